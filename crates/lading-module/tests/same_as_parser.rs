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

/// A module of one function whose body (`filler` between `opening` and
/// `closing`) is large enough to be checked in two halves on two threads.
fn one_function(opening: &[u8], filler: &[u8], closing: &[u8]) -> Vec<u8> {
    fn leb(n: usize, out: &mut Vec<u8>) {
        leb128::write::unsigned(out, n as u64).expect("a Vec");
    }
    let mut body = vec![0x00]; // no locals
    body.extend_from_slice(opening);
    while body.len() < 400 << 10 {
        body.extend_from_slice(filler);
    }
    body.extend_from_slice(closing);
    let mut code = vec![0x01];
    leb(body.len(), &mut code);
    code.extend(body);
    let mut module = b"\0asm\x01\0\0\0".to_vec();
    // Types: () -> (); tags: one of type 0; functions: one of type 0.
    module.extend([0x01, 0x04, 0x01, 0x60, 0x00, 0x00]);
    module.extend([0x03, 0x02, 0x01, 0x00]);
    module.extend([0x0d, 0x03, 0x01, 0x00, 0x00]);
    module.push(0x0a);
    leb(code.len(), &mut module);
    module.extend(code);
    module
}

/// One large body, checked in two halves on several threads: the frames
/// opened before the middle (`if`s and legacy `try`s, closed by `else` and
/// `catch_all` after it) and mutants of it (bytes set to 0xff, a closing
/// `else` turned into a `catch_all` and back, cuts) load as the parser
/// decodes them.
#[test]
fn a_large_body_split_in_two_loads_as_the_parser_decodes_it() {
    let mut opening = Vec::new();
    let mut closing = Vec::new();
    for i in 0..40 {
        if i % 2 == 0 {
            // i32.const 1; if
            opening.extend([0x41, 0x01, 0x04, 0x40]);
        } else {
            opening.extend([0x06, 0x40]); // try
        }
    }
    for i in (0..40).rev() {
        if i % 2 == 0 {
            closing.extend([0x05, 0x01, 0x0b]); // else; nop; end
        } else {
            closing.extend([0x19, 0x0b]); // catch_all; end
        }
    }
    closing.push(0x0b);
    // block; i32.const 300; drop; if; else; end; try; catch 0; end; end
    let filler = [
        0x02, 0x40, 0x41, 0xac, 0x02, 0x1a, 0x41, 0x00, 0x04, 0x40, 0x05, 0x0b, 0x06, 0x40, 0x07,
        0x00, 0x0b, 0x0b,
    ];
    let module = one_function(&opening, &filler, &closing);
    assert!(agree(&module, Features::default(), "the large body"));
    let code_end = module.len();
    let mut mutants = 0;
    for k in 1..40 {
        let at = code_end - (code_end - 40) * k / 40;
        let mut mutant = module.clone();
        mutant[at] = 0xff;
        agree(&mutant, Features::default(), &format!("0xff at {at}"));
        agree(&module[..at], Features::default(), &format!("cut at {at}"));
        mutants += 2;
    }
    // The closing `else`s and `catch_all`s swapped: each now fails its
    // outer frame's kind.
    for (from, to) in [(0x05, 0x19), (0x19, 0x05)] {
        let at = code_end - closing.len()
            + closing
                .iter()
                .position(|&b| b == from)
                .expect("a closing instruction");
        let mut mutant = module.clone();
        mutant[at] = to;
        assert!(!agree(
            &mutant,
            Features::default(),
            &format!("{to:#x} at {at}")
        ));
        mutants += 1;
    }
    println!("mutants: {mutants}");
}
