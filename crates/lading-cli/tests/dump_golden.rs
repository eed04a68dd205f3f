//! `lading dump examples/hello.wasm` against its golden output.
//! `LADING_BLESS=1` rewrites the golden file from the binary's output.

use std::path::Path;
use std::process::Command;

#[test]
fn hello_dump_matches_golden() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_lading"))
        .args(["dump", "examples/hello.wasm"])
        .current_dir(&root)
        .output()
        .expect("the lading binary runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    let actual = String::from_utf8(out.stdout).expect("UTF-8 output");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/hello.dump");
    if std::env::var("LADING_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&golden, &actual).expect("golden file written");
        return;
    }
    let expected =
        std::fs::read_to_string(&golden).expect("golden file (LADING_BLESS=1 writes it)");
    assert_eq!(
        actual,
        expected,
        "dump output differs from {}; LADING_BLESS=1 rewrites it",
        golden.display()
    );
}
