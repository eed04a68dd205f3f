//! The timed loaders (`Loader::load_timed`, `load_file_timed`,
//! `map_file_timed`) give what the untimed ones give, and phase times that
//! fit in the time the call took.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lading::{Config, Error, Limits, LoadTimes, Loader, Module};

fn hello() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello.wasm")
}

/// What a load gave, comparable across loaders.
fn outcome(result: &Result<Module, Error>) -> String {
    match result {
        Ok(m) => format!(
            "ok {} {} {:?}",
            m.instruction_count(),
            m.local_count(),
            m.sections()
        ),
        Err(e) => format!("error {e}"),
    }
}

/// Runs `f`, and checks its phases fit in the time it took.
fn timed(
    f: impl FnOnce() -> (Result<Module, Error>, LoadTimes),
) -> (Result<Module, Error>, LoadTimes) {
    let start = Instant::now();
    let (result, times) = f();
    let elapsed = start.elapsed();
    assert!(
        times.read + times.sections + times.bodies <= elapsed,
        "{times:?} in {elapsed:?}"
    );
    (result, times)
}

#[test]
fn timed_loaders_match_untimed_ones() {
    let bytes = std::fs::read(hello()).expect("hello.wasm");
    let mut truncated = bytes.clone();
    truncated.truncate(bytes.len() - 3);
    for threads in [0, 2] {
        let loader = Loader::new(Config::default().threads(threads));
        for input in [&bytes, &truncated] {
            let (result, times) = timed(|| loader.load_timed(input.clone()));
            assert_eq!(outcome(&result), outcome(&loader.load(input.clone())));
            // The bytes were in memory: no read.
            assert_eq!(times.read, Duration::ZERO);
        }
        let (result, _) = timed(|| loader.load_file_timed(hello()));
        assert_eq!(outcome(&result), outcome(&loader.load(bytes.clone())));
        // SAFETY: examples/hello.wasm is not modified while tests run.
        #[allow(unsafe_code)]
        let (result, _) = timed(|| unsafe { loader.map_file_timed(hello()) });
        assert_eq!(outcome(&result), outcome(&loader.load(bytes.clone())));
    }
}

#[test]
fn phases_that_did_not_run_take_no_time() {
    let loader = Loader::default();
    let (result, times) = timed(|| loader.load_file_timed("no/such/file.wasm"));
    assert!(matches!(result, Err(Error::Io(_))), "{}", outcome(&result));
    assert_eq!(
        (times.sections, times.bodies),
        (Duration::ZERO, Duration::ZERO)
    );
    // Over the module size limit: refused before the section pass.
    let mut limits = Limits::default();
    assert!(limits.set("module-size", 8));
    let small = Loader::new(Config::default().limits(limits));
    let bytes = std::fs::read(hello()).expect("hello.wasm");
    let (result, times) = timed(|| small.load_timed(bytes));
    assert!(
        matches!(result, Err(Error::LimitExceeded { .. })),
        "{}",
        outcome(&result)
    );
    assert_eq!(times, LoadTimes::default());
}
