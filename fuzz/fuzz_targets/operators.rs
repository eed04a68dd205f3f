//! The check pass against the operator iterator on arbitrary bodies.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    lading_fuzz::check_operators(data);
});
