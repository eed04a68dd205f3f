//! lading against wasmparser: wasm-smith modules decode with equal counts;
//! arbitrary bytes are accepted or rejected by both (known differences in
//! `src/differential.rs`). The first input byte picks the mode.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode & 1 == 0 => lading_fuzz::check_smith_counts(rest),
        Some((_, rest)) => lading_fuzz::check_bytes_agree(rest),
        None => {}
    }
});
