//! The spec test suite as the conformance oracle.
//!
//! Every module of every `.wast` script under the test suite
//! (`LADING_TESTSUITE`, default `../shared/testsuite`) is encoded with the
//! `wast` crate, then:
//! - every well-formed module (plain modules and those of `assert_invalid`,
//!   `assert_unlinkable`, `assert_trap`, ...) must decode completely, every
//!   function body included;
//! - every `assert_malformed` with a binary module must be rejected with an
//!   error whose message contains the expected one.
//!
//! `assert_malformed` cases in the text format are the text parser's
//! business and only counted; so are the top-level forms `wast` 263 cannot
//! read (the folded legacy `try` form), which must not exceed 12.

mod common;

use common::{Expect, read_script, testsuite, wast_files};
use lading_parser::check_module;

/// The most top-level forms `wast` 263 may fail to read (the folded
/// legacy `(try (do ...) (catch ...))` directives in `legacy/*.wast`).
const MAX_UNREADABLE: usize = 12;

#[test]
fn spec_test_suite() {
    let Some(dir) = testsuite() else { return };
    let files = wast_files(&dir);
    assert!(!files.is_empty(), "no .wast files in {}", dir.display());
    let (mut decoded, mut decodable) = (0, 0);
    let (mut rejected, mut malformed) = (0, 0);
    let (mut text, mut unencodable, mut unreadable) = (0, 0, 0);
    let mut unencodable_list = Vec::new();
    let mut failures = Vec::new();
    for file in &files {
        let script = read_script(file);
        unreadable += script.unreadable;
        for case in script.cases {
            match (&case.expect, &case.bytes) {
                (Expect::TextMalformed, _) => text += 1,
                (_, Err(why)) => {
                    unencodable += 1;
                    let why = why.lines().next().unwrap_or_default();
                    unencodable_list.push(format!("{}: {why}", case.location));
                }
                (Expect::Decodes, Ok(bytes)) => {
                    decodable += 1;
                    match check_module(bytes, case.features) {
                        Ok(_) => decoded += 1,
                        Err(e) => {
                            failures.push(format!("{}: must decode, got: {e}", case.location))
                        }
                    }
                }
                (Expect::Malformed(message), Ok(bytes)) => {
                    malformed += 1;
                    match check_module(bytes, case.features) {
                        Ok(_) => failures
                            .push(format!("{}: decoded, expected {message:?}", case.location)),
                        Err(e) if e.message().to_string().contains(message.as_str()) => {
                            rejected += 1
                        }
                        Err(e) => failures.push(format!(
                            "{}: expected {message:?}, got {:?} at {}",
                            case.location,
                            e.message().to_string(),
                            e.offset()
                        )),
                    }
                }
            }
        }
    }
    println!("scripts:                      {}", files.len());
    println!("well-formed modules decoded:  {decoded}/{decodable}");
    println!("malformed binaries rejected:  {rejected}/{malformed} (with the expected message)");
    println!("text-format malformed cases:  {text} (skipped: the text parser's business)");
    println!("modules wast cannot encode:   {unencodable} (text modules its parser rejects)");
    for u in &unencodable_list {
        println!("  {u}");
    }
    println!("forms wast cannot read:       {unreadable} (at most {MAX_UNREADABLE})");
    for f in failures.iter().take(200) {
        println!("FAIL {f}");
    }
    assert!(
        unreadable <= MAX_UNREADABLE,
        "{unreadable} forms unreadable"
    );
    assert!(decodable > 0 && malformed > 0, "the suite yielded no cases");
    assert!(
        failures.is_empty(),
        "{} conformance failures",
        failures.len()
    );
}
