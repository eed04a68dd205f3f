//! A body checked in two halves (`BodySplit`) against the whole body's
//! check (see `lading_fuzz::check_split`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    lading_fuzz::check_split(data);
});
