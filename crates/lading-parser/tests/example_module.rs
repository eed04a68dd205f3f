//! `examples/hello.wasm` is the binary of `examples/hello.wat`, as the `wast`
//! crate encodes it (set `LADING_BLESS=1` to rewrite it after editing the
//! text), and it decodes.

use std::path::Path;

#[test]
fn hello_wasm_is_hello_wat() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let text = std::fs::read_to_string(dir.join("hello.wat")).unwrap();
    let buf = wast::parser::ParseBuffer::new(&text).unwrap();
    let mut wat = wast::parser::parse::<wast::Wat>(&buf).unwrap();
    let encoded = wat.encode().unwrap();
    let path = dir.join("hello.wasm");
    if std::env::var_os("LADING_BLESS").is_some() {
        std::fs::write(&path, &encoded).unwrap();
    }
    let stored = std::fs::read(&path).unwrap();
    assert!(
        stored == encoded,
        "examples/hello.wasm is stale: rerun with LADING_BLESS=1"
    );
    let summary = lading_parser::check_module(&stored, lading_parser::Features::default()).unwrap();
    // The text declares 3 functions besides the import, one per export but
    // `memory`; each body's instruction count is checked by the differential
    // test against wasmparser.
    assert_eq!(
        (summary.imports, summary.functions, summary.exports),
        (1, 3, 4)
    );
    assert_eq!((summary.data, summary.elements, summary.globals), (1, 1, 1));
}
