//! The baseline of the whole-process benchmark (`benches/whole-process`):
//! a minimal program that reads each file with `std::fs::read` and walks
//! it fully with wasmparser (every payload, every section item, every
//! operator of every body: `lading_benches::wasmparser_decode`), then
//! prints `FILE: N operators`, one line per file, like `lading check FILE`
//! prints one.
//!
//! ```text
//! cargo build --release -p lading-benches --example wasmparser_walk
//! target/release/examples/wasmparser_walk FILE...
//! ```

use std::io::Write;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: wasmparser_walk FILE...");
        std::process::exit(2);
    }
    let mut out = std::io::stdout().lock();
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_else(|e| {
            eprintln!("{file}: cannot read: {e}");
            std::process::exit(2);
        });
        let operators = lading_benches::wasmparser_decode(&bytes);
        writeln!(out, "{file}: {operators} operators").expect("writable stdout");
    }
}
