//! Arbitrary bytes loaded on one thread and on several: the same module or
//! the same error.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    lading_fuzz::check_threads(data);
});
