//! The parser's two body decoders against each other: the table-driven
//! check pass (`FunctionBody::check`) and the operator iterator
//! (`FunctionBody::operators_reader`) must agree on every input: the same
//! verdict, the same instruction count (every `end` included), the same
//! error kind and offset, and the same final offset.
//!
//! Inputs: every function body of every module of the spec test suite
//! (with the features of its script) and of the corpus, then a proptest
//! over mutated suite bodies, random sequences of valid instruction
//! encodings and arbitrary bytes, under the feature sets that matter.

mod common;
mod mutation;

use std::sync::OnceLock;

use common::{corpus_modules, suite_cases};
use lading_parser::{
    ErrorKind, Features, FromReader, FunctionBody, Operator, Parser, Payload, Proposal, Reader,
};
use mutation::{apply, cases, mutation};
use proptest::prelude::*;

/// What one decoder makes of a body: the instruction count or the error's
/// kind and offset, and the offset where it stopped on success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Verdict {
    outcome: Result<u64, (ErrorKind, usize)>,
    end: Option<usize>,
}

/// The check pass's verdict: on success it consumed the whole body.
fn by_check(body: &FunctionBody<'_>) -> Verdict {
    match body.check() {
        Ok(summary) => Verdict {
            outcome: Ok(summary.instructions),
            end: Some(body.range().end),
        },
        Err(e) => Verdict {
            outcome: Err((e.kind(), e.offset())),
            end: None,
        },
    }
}

/// The operator iterator's verdict, iterated to completion: the number of
/// operators it yields and the offset where it stops.
fn by_operators(body: &FunctionBody<'_>) -> Verdict {
    let mut ops = match body.operators_reader() {
        Ok(ops) => ops,
        Err(e) => {
            return Verdict {
                outcome: Err((e.kind(), e.offset())),
                end: None,
            };
        }
    };
    let mut count = 0;
    for op in ops.by_ref() {
        if let Err(e) = op {
            return Verdict {
                outcome: Err((e.kind(), e.offset())),
                end: None,
            };
        }
        count += 1;
    }
    Verdict {
        outcome: Ok(count),
        end: Some(ops.offset()),
    }
}

/// Both verdicts on `body`, with and without a data count section; `Err`
/// describes the first disagreement.
fn compare(body: &FunctionBody<'_>) -> Result<Verdict, String> {
    let mut first = None;
    for present in [body.data_count_present(), !body.data_count_present()] {
        let body = body.clone().with_data_count(present);
        let (check, ops) = (by_check(&body), by_operators(&body));
        if check != ops {
            return Err(format!(
                "data count {present}, features {:?}: check {check:?}, operators {ops:?}",
                body.reader().features()
            ));
        }
        first.get_or_insert(check);
    }
    Ok(first.unwrap_or(Verdict {
        outcome: Ok(0),
        end: None,
    }))
}

/// A body over `bytes` (locals and instructions) at offset 0.
fn body_of(bytes: &[u8], features: Features) -> FunctionBody<'_> {
    FunctionBody::new(Reader::new_in_section(bytes, 0, features))
}

#[derive(Default, Debug)]
struct Tally {
    modules: usize,
    bodies: usize,
    accepted: usize,
    instructions: u64,
    disagreements: Vec<String>,
}

/// Compares every body of `wasm` as lading's own `Parser` finds them.
fn compare_module(name: &str, wasm: &[u8], features: Features, tally: &mut Tally) {
    tally.modules += 1;
    for payload in Parser::new(wasm, features) {
        let Ok(payload) = payload else { return };
        let Payload::CodeSection(code) = payload else {
            continue;
        };
        for body in code {
            let Ok(body) = body else { return };
            tally.bodies += 1;
            match compare(&body) {
                Ok(v) => {
                    if let Ok(n) = v.outcome {
                        tally.accepted += 1;
                        tally.instructions += n;
                    }
                }
                Err(e) => tally
                    .disagreements
                    .push(format!("{name}: body at {:?}: {e}", body.range())),
            }
        }
    }
}

fn report(what: &str, tally: &Tally) {
    println!(
        "{what}: {} modules, {} bodies compared ({} accepted, {} instructions)",
        tally.modules, tally.bodies, tally.accepted, tally.instructions
    );
    for d in tally.disagreements.iter().take(20) {
        println!("DISAGREE {d}");
    }
    assert!(
        tally.disagreements.is_empty(),
        "{what}: {} disagreements, first: {}",
        tally.disagreements.len(),
        tally.disagreements[0]
    );
}

/// Every module of the suite (valid, invalid, malformed alike), encoded,
/// with the features of its script.
fn suite_modules() -> &'static Vec<(&'static str, &'static [u8], Features)> {
    static MODULES: OnceLock<Vec<(&'static str, &'static [u8], Features)>> = OnceLock::new();
    MODULES.get_or_init(|| {
        let mut out = Vec::new();
        for case in suite_cases().unwrap_or_default() {
            if let Ok(bytes) = &case.bytes {
                out.push((case.location.as_str(), bytes.as_slice(), case.features));
            }
        }
        out
    })
}

#[test]
fn spec_testsuite_bodies_agree() {
    if suite_cases().is_none() {
        return;
    }
    let mut tally = Tally::default();
    for (location, wasm, features) in suite_modules() {
        compare_module(location, wasm, *features, &mut tally);
    }
    report("spec test suite", &tally);
    assert!(tally.bodies > 1000, "only {} bodies", tally.bodies);
}

#[test]
fn corpus_bodies_agree() {
    let Some(modules) = corpus_modules() else {
        return;
    };
    let mut tally = Tally::default();
    for (path, wasm) in modules {
        compare_module(
            &path.display().to_string(),
            &wasm,
            Features::ALL,
            &mut tally,
        );
    }
    report("corpus", &tally);
    assert_eq!(tally.accepted, tally.bodies, "a corpus body is rejected");
}

/// Bodies of the suite's modules (locals and instructions) of at most 4 KiB
/// that both decoders accept under all features, for mutation.
fn body_pool() -> &'static Vec<Vec<u8>> {
    static POOL: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut pool = Vec::new();
        for (_, wasm, _) in suite_modules() {
            for payload in Parser::new(wasm, Features::ALL) {
                let Ok(Payload::CodeSection(code)) = payload else {
                    continue;
                };
                for body in code.flatten() {
                    if body.bytes().len() < 4096 && body.check().is_ok() {
                        pool.push(body.bytes().to_vec());
                    }
                }
            }
        }
        pool.sort();
        pool.dedup();
        pool
    })
}

/// The encoding of every instruction lading knows, each prefix included,
/// with all-zero immediates (valid for every instruction), `end` excepted.
fn instruction_encodings() -> &'static Vec<Vec<u8>> {
    static ENCODINGS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    ENCODINGS.get_or_init(|| {
        let mut out = Vec::new();
        let opcodes = (0u32..0x100)
            .filter(|c| !(0xfb..=0xfe).contains(c))
            .map(|c| vec![c as u8])
            .chain([0xfbu8, 0xfc, 0xfd, 0xfe].into_iter().flat_map(|prefix| {
                (0u32..0x200).map(move |code| {
                    let mut bytes = vec![prefix];
                    leb128::write::unsigned(&mut bytes, u64::from(code)).expect("a Vec");
                    bytes
                })
            }));
        for mut bytes in opcodes {
            let len = bytes.len();
            bytes.extend([0u8; 40]);
            let mut reader = Reader::new_in_section(&bytes, 0, Features::ALL);
            if let Ok(op) = Operator::from_reader(&mut reader)
                && !matches!(op, Operator::End)
            {
                let used = reader.offset().max(len);
                bytes.truncate(used);
                out.push(bytes);
            }
        }
        out
    })
}

/// The feature sets that matter: all, WebAssembly 2.0, and all but one
/// proposal.
fn features() -> impl Strategy<Value = Features> {
    prop_oneof![
        Just(Features::ALL),
        Just(Features::WASM2),
        proptest::sample::select(Proposal::ALL.to_vec()).prop_map(|p| Features::ALL.without(p)),
    ]
}

/// A mutated body of the suite.
fn mutated_body() -> impl Strategy<Value = Vec<u8>> {
    (any::<usize>(), proptest::collection::vec(mutation(), 1..4)).prop_map(|(pick, mutations)| {
        let pool = body_pool();
        let mut body = pool
            .get(pick % pool.len().max(1))
            .cloned()
            .unwrap_or_default();
        for m in &mutations {
            apply(&mut body, m);
        }
        body
    })
}

/// No locals, then a random sequence of valid instruction encodings (with
/// `end`s and the block openers among them), usually closed by an `end`,
/// sometimes with a byte changed.
fn instruction_sequence() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec((any::<usize>(), 0u8..8), 0..40),
        any::<bool>(),
        proptest::option::of(mutation()),
    )
        .prop_map(|(picks, close, mutation)| {
            let encodings = instruction_encodings();
            let mut body = vec![0x00];
            for (pick, kind) in picks {
                match kind {
                    // `end` and `block` often, to reach every nesting state.
                    0 => body.push(0x0b),
                    1 => body.extend([0x02, 0x40]),
                    _ => body.extend(&encodings[pick % encodings.len()]),
                }
            }
            if close {
                body.push(0x0b);
            }
            if let Some(m) = mutation {
                apply(&mut body, &m);
            }
            body
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(4000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_suite_bodies_agree(body in mutated_body(), features in features()) {
        let r = compare(&body_of(&body, features));
        prop_assert!(r.is_ok(), "{:02x?}: {}", body, r.unwrap_err());
    }

    #[test]
    fn instruction_sequences_agree(body in instruction_sequence(), features in features()) {
        let r = compare(&body_of(&body, features));
        prop_assert!(r.is_ok(), "{:02x?}: {}", body, r.unwrap_err());
    }

    #[test]
    fn arbitrary_bytes_agree(
        body in proptest::collection::vec(any::<u8>(), 0..64),
        features in features(),
    ) {
        let r = compare(&body_of(&body, features));
        prop_assert!(r.is_ok(), "{:02x?}: {}", body, r.unwrap_err());
    }
}

/// The generators reach both verdicts.
#[test]
fn generators_reach_both_verdicts() {
    let encodings = instruction_encodings();
    // 575 instructions, minus `end`.
    assert_eq!(encodings.len(), 574);
    let mut all = vec![0x00];
    for e in encodings {
        all.extend(e);
    }
    let v = compare(&body_of(&all, Features::ALL)).expect("agree");
    assert!(v.outcome.is_err(), "unclosed blocks and misplaced else");
}
