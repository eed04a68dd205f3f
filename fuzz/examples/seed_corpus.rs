//! Writes seed corpora for the fuzz targets from the spec test suite's
//! modules: every module a `.wast` script defines or asserts about (valid,
//! invalid, malformed binary), encoded with `wast`.
//!
//! Usage: `cargo run --example seed_corpus -- TESTSUITE_DIR CORPUS_DIR`;
//! writes `CORPUS_DIR/{load,differential,custom_sections}/NNNNNN.wasm`.
//! Run through `fuzz/seed-corpus`.

#[path = "../../crates/lading-parser/tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(testsuite), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: seed_corpus TESTSUITE_DIR CORPUS_DIR");
        std::process::exit(2);
    };
    let dirs = ["load", "differential", "custom_sections"].map(|d| out.join(d));
    for dir in &dirs {
        std::fs::create_dir_all(dir).expect("creatable corpus folder");
    }
    let mut seen = std::collections::HashSet::new();
    let mut written = 0usize;
    for file in common::wast_files(&testsuite) {
        for case in common::read_script(&file).cases {
            let Ok(bytes) = case.bytes else { continue };
            if !seen.insert(bytes.clone()) {
                continue;
            }
            let name = format!("{written:06}.wasm");
            std::fs::write(dirs[0].join(&name), &bytes).expect("writable");
            // The differential target reads a mode byte first: odd = bytes.
            let mut tagged = vec![1u8];
            tagged.extend_from_slice(&bytes);
            std::fs::write(dirs[1].join(&name), &tagged).expect("writable");
            written += 1;
        }
    }
    println!("{written} modules written under {}", out.display());
}
