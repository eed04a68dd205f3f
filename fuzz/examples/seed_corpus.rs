//! Writes seed corpora for the fuzz targets from the spec test suite's
//! modules: every module a `.wast` script defines or asserts about (valid,
//! invalid, malformed binary), encoded with `wast`.
//!
//! Usage: `cargo run --example seed_corpus -- TESTSUITE_DIR CORPUS_DIR`;
//! writes `CORPUS_DIR/{load,differential,custom_sections,threads}/NNNNNN.wasm`,
//! and `CORPUS_DIR/split/NNNNNN-K.bin` for each function body (the split
//! target's input: a split offset of 0, the default features, then the
//! body's instructions).
//! Run through `fuzz/seed-corpus`.

#[path = "../../crates/lading-parser/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use lading_parser::{Features, FunctionBody, Parser, Payload};

/// Writes the instructions of every function body of `module` as split
/// target inputs named `NAME-K.bin`; returns how many.
fn write_bodies(module: &[u8], dir: &Path, name: &str) -> usize {
    let mut written = 0;
    for payload in Parser::new(module, Features::default()) {
        let Ok(Payload::CodeSection(code)) = payload else {
            continue;
        };
        for body in code.into_iter().flatten() {
            let body: FunctionBody<'_> = body;
            let Ok((instructions, _)) = body.skip_locals() else {
                continue;
            };
            let mut input = vec![0, 0, 0];
            input.extend_from_slice(instructions.remaining_bytes());
            std::fs::write(dir.join(format!("{name}-{written}.bin")), input).expect("writable");
            written += 1;
        }
    }
    written
}

fn main() {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(testsuite), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: seed_corpus TESTSUITE_DIR CORPUS_DIR");
        std::process::exit(2);
    };
    let dirs = [
        "load",
        "differential",
        "custom_sections",
        "split",
        "threads",
    ]
    .map(|d| out.join(d));
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
            std::fs::write(dirs[4].join(&name), &bytes).expect("writable");
            // The differential target reads a mode byte first: odd = bytes.
            let mut tagged = vec![1u8];
            tagged.extend_from_slice(&bytes);
            std::fs::write(dirs[1].join(&name), &tagged).expect("writable");
            write_bodies(&bytes, &dirs[3], &format!("{written:06}"));
            written += 1;
        }
    }
    println!("{written} modules written under {}", out.display());
}
