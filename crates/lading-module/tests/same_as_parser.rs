//! Loading a `Module` gives exactly what the parser's `check_module` gives
//! (the same acceptance, the same first error, the same instruction count),
//! whether bodies are checked on one thread or on several.

#[path = "../../lading-parser/tests/common/mod.rs"]
mod common;

use common::{Expect, corpus, read_script, testsuite, wast_files};
use lading_module::{Config, Features, Limits, LoadError, Module};
use lading_parser::check_module;
use lading_source::Buffer;

fn load(bytes: &[u8], features: Features, threads: usize) -> Result<u64, lading_parser::Error> {
    // No limits: a module loads exactly when it is well-formed.
    let config = Config::default()
        .features(features)
        .threads(threads)
        .limits(Limits::unlimited());
    match Module::new(Buffer::from(bytes.to_vec()), &config) {
        Ok(m) => Ok(m.instruction_count()),
        Err(LoadError::Malformed(e)) => Err(e),
        Err(e @ LoadError::LimitExceeded(_)) => panic!("no limit is set: {e}"),
    }
}

fn agree(bytes: &[u8], features: Features, what: &str) -> bool {
    let expected = check_module(bytes, features).map(|s| s.instructions);
    for threads in [0, 2, 3, 8] {
        assert_eq!(
            load(bytes, features, threads),
            expected,
            "{what} with {threads} threads"
        );
    }
    expected.is_ok()
}

#[test]
fn test_suite_modules_load_as_the_parser_decodes_them() {
    let Some(dir) = testsuite() else { return };
    let (mut ok, mut rejected) = (0, 0);
    for file in wast_files(&dir) {
        for case in read_script(&file).cases {
            let (Expect::Decodes | Expect::Malformed(_), Ok(bytes)) = (&case.expect, &case.bytes)
            else {
                continue;
            };
            if agree(bytes, case.features, &case.location) {
                ok += 1;
            } else {
                rejected += 1;
            }
        }
    }
    println!("modules loaded: {ok}, rejected: {rejected}, all as check_module");
    assert!(ok > 1000 && rejected > 500);
}

#[test]
fn corpus_modules_and_mutants_load_the_same_on_any_thread_count() {
    let Some(files) = corpus() else { return };
    let mut mutants = 0;
    for path in &files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(path).unwrap();
        assert!(agree(&bytes, Features::default(), &name), "{name} loads");
        // Mutants: a byte set to 0xff at spread positions, and truncations.
        for k in 1..=8 {
            let at = bytes.len() * k / 9;
            let mut mutant = bytes.clone();
            mutant[at] = 0xff;
            agree(
                &mutant,
                Features::default(),
                &format!("{name} with 0xff at {at}"),
            );
            agree(
                &bytes[..at],
                Features::default(),
                &format!("{name} cut at {at}"),
            );
            mutants += 2;
        }
    }
    println!("corpus modules: {}, mutants: {mutants}", files.len());
}
