//! Crafted hostile modules (`tests/crafted`, shared with the CLI's test):
//! each gets its specific error (or loads), without a panic, without
//! recursion on its structure, and within the memory bound of
//! `counting::FACTOR × input + counting::CONSTANT`.
//!
//! Every case also prints how long it took; times are not asserted (the
//! machine is shared), but every case is linear in its input.

mod counting;
mod crafted;

use std::time::Instant;

use crafted::{Case, Expected, Offset};
use lading::parser::{ErrorKind, check_module};
use lading::{Config, Error, Features, Loader, Module};

/// Loads `bytes` with `config` on the calling thread, measuring the peak
/// of live heap bytes, and checks it against the bound.
fn load(what: &str, bytes: Vec<u8>, config: Config) -> Result<Module, Error> {
    let input = bytes.len();
    let start = Instant::now();
    let (result, peak) = counting::peak(|| Loader::new(config.threads(0)).load(bytes));
    let outcome = match &result {
        Ok(_) => "loads".to_string(),
        Err(e) => e.to_string(),
    };
    println!(
        "{what}: {input} bytes, {:?}, peak {peak} bytes: {outcome}",
        start.elapsed()
    );
    counting::assert_bounded(what, input, peak);
    result
}

/// Asserts that an error's offset is the expected one.
fn assert_offset(name: &str, offset: Option<usize>, expected: Offset) {
    match expected {
        Offset::Unchecked => {}
        Offset::None => assert_eq!(offset, None, "{name}"),
        Offset::At(at) => assert_eq!(offset, Some(at), "{name}"),
    }
}

/// Loads `case` with its limits and checks the outcome against what it
/// expects; returns the outcome. A malformed module's error must be the one
/// `check_module` gives (the parser is the reference for well-formedness),
/// and a module that loads must be one it accepts.
fn run(case: Case) -> Result<Module, Error> {
    let config = case.config();
    let Case {
        name,
        bytes,
        expected,
        ..
    } = case;
    let oracle = check_module(&bytes, Features::default()).err();
    let len = bytes.len();
    let result = load(&name, bytes, config);
    match expected {
        Expected::Loads => {
            assert_eq!(oracle, None, "{name}: well-formed");
            if let Err(e) = &result {
                panic!("{name}: expected to load, got {e}");
            }
        }
        Expected::Limit {
            what,
            value,
            offset,
        } => match &result {
            Err(e @ Error::LimitExceeded { .. }) => {
                let Error::LimitExceeded {
                    what: w, value: v, ..
                } = e
                else {
                    unreachable!()
                };
                assert_eq!((*w, *v), (what, value), "{name}");
                assert_offset(&name, e.offset(), offset);
            }
            other => panic!("{name}: expected the {what} limit, got {other:?}"),
        },
        Expected::Malformed { kind, offset } => {
            let expected = oracle.unwrap_or_else(|| panic!("{name}: check_module accepts it"));
            match &result {
                Err(Error::Malformed(e)) => {
                    assert_eq!(*e, expected, "{name}");
                    assert!(e.offset() <= len, "{name}");
                    if let Some(kind) = kind {
                        assert_eq!(e.kind(), kind, "{name}");
                    }
                    assert_offset(&name, Some(e.offset()), offset);
                }
                other => panic!("{name}: expected {expected:?}, got {other:?}"),
            }
        }
    }
    result
}

/// What only the library can check about some cases, by name: counts of
/// what loaded, messages. Returns whether `name` has such checks.
fn more_checks(name: &str, result: &Result<Module, Error>) -> bool {
    let module = || result.as_ref().expect("loaded");
    match name {
        crafted::NESTED => {
            let depth = crafted::DEPTH as u64;
            assert_eq!(module().instruction_count(), 2 * depth + 1);
            // The operator iterator is iterative too.
            let ops = module().function(0).unwrap().operators().unwrap();
            assert_eq!(ops.count() as u64, 2 * depth + 1);
        }
        crafted::MAX_LOCALS => {
            // Loads, allocating nothing for the locals.
            assert_eq!(module().local_count(), u32::MAX.into());
        }
        crafted::LARGEST_BODY => {
            // 7,654,319 nops and the end; the locals count byte is no
            // instruction.
            assert_eq!(module().instruction_count(), 7_654_321 - 1);
        }
        crafted::MANY_EXPORTS => assert_eq!(module().export_count(), 100_001),
        crafted::LONG_CHAIN => assert_eq!(module().type_count(), 1_000_000),
        crafted::NAMES => {
            let names = module().name_section().expect("a name section");
            let errors: Vec<_> = names.filter_map(Result::err).collect();
            assert_eq!(errors.len(), 1, "the decoder stops at its first error");
            println!("name decoder: {}", errors[0]);
            assert_eq!(errors[0].kind(), ErrorKind::LengthOutOfBounds);
        }
        crafted::BR_TABLE_AT_LIMIT => {
            // i32.const, br_table, end.
            assert_eq!(module().instruction_count(), 3);
        }
        "module over a 64-byte limit" => assert_eq!(
            result.as_ref().unwrap_err().to_string(),
            "module size of 111 exceeds the limit of 64"
        ),
        "2 functions, limit 1" => assert_eq!(
            result.as_ref().unwrap_err().to_string(),
            "function count of 2 exceeds the limit of 1 at offset 10"
        ),
        _ => return false,
    }
    true
}

/// The names [`more_checks`] knows: each must be a crafted case.
const MORE_CHECKED: usize = 9;

#[test]
fn every_crafted_module() {
    let _serial = counting::serial();
    let mut cases = 0;
    let mut more = 0;
    for group in crafted::GROUPS {
        for case in group() {
            let name = case.name.clone();
            let result = run(case);
            more += usize::from(more_checks(&name, &result));
            cases += 1;
        }
    }
    println!("{cases} crafted modules");
    println!("worst peak / input so far: {:.3}", counting::worst_ratio());
    assert_eq!(more, MORE_CHECKED, "every case with more checks was run");
}

/// Deep nesting, also on a thread of a 64 KiB stack: nothing recurses on
/// the nesting.
#[test]
fn deep_nesting_on_a_64_kib_stack() {
    let _serial = counting::serial();
    std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(|| {
            for case in crafted::deep_nesting() {
                let name = case.name.clone();
                let result = run(case);
                more_checks(&name, &result);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}
