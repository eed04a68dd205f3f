//! lading-parser's LEB128 readers against the `leb128` crate.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    lading_fuzz::check_leb128(data);
});
