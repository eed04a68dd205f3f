//! Arbitrary bytes into every custom section decoder: never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    lading_fuzz::check_custom_sections(data);
});
