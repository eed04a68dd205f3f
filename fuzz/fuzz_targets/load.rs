//! Arbitrary bytes into `lading::Loader::load`: never panic; a loaded
//! module is walked through every accessor, operator and custom section.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    lading_fuzz::check_load(data);
});
