//! Decodes a WebAssembly module with `lading-parser` and prints what it
//! holds, section by section.
//!
//! ```text
//! cargo run --release -p lading-parser --example summary -- examples/hello.wasm
//! ```

use lading_parser::{Features, check_module};

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: summary FILE.wasm");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{}: cannot read: {e}", path.to_string_lossy());
            std::process::exit(2);
        }
    };
    match check_module(&bytes, Features::default()) {
        Ok(summary) => {
            println!("{}: ok, {} bytes", path.to_string_lossy(), bytes.len());
            println!("{summary:#?}");
        }
        Err(e) => {
            println!(
                "{}: error at offset {}: {}",
                path.to_string_lossy(),
                e.offset(),
                e.message()
            );
            std::process::exit(1);
        }
    }
}
