//! The check pass against wasmparser 0.263's operator reader: on every
//! function body of the spec test suite and of the corpus of real modules
//! both must accept and count the same number of instructions; on random
//! mutations of valid bodies both must agree on accept or reject.

mod common;
mod mutation;

use std::sync::OnceLock;

use common::{Directive, corpus, corpus_modules, suite_cases, wasmparser_features};
use lading_parser::{Features, FunctionBody, Reader};
use mutation::{apply, cases, mutation};
use proptest::prelude::*;

/// wasmparser's verdict on one body: the operator count and the `Debug`
/// text of every local type and operator, or its message.
fn wasmparser_count(body: &[u8], offset: usize) -> Result<(u64, Vec<String>), String> {
    let reader = wasmparser::BinaryReader::new_features(body, offset as u64, wasmparser_features());
    let body = wasmparser::FunctionBody::new(reader);
    let mut names = Vec::new();
    for local in body.get_locals_reader().map_err(|e| e.to_string())? {
        names.push(format!("{:?}", local.map_err(|e| e.to_string())?));
    }
    let mut ops = body.get_operators_reader().map_err(|e| e.to_string())?;
    let mut count = 0;
    while !ops.eof() {
        let op = ops.read().map_err(|e| e.to_string())?;
        names.push(format!("{op:?}"));
        count += 1;
    }
    ops.finish().map_err(|e| e.to_string())?;
    Ok((count, names))
}

fn wasmparser_count_fast(body: &[u8], offset: usize) -> Result<u64, String> {
    let reader = wasmparser::BinaryReader::new_features(body, offset as u64, wasmparser_features());
    let body = wasmparser::FunctionBody::new(reader);
    let mut ops = body.get_operators_reader().map_err(|e| e.to_string())?;
    let mut count = 0;
    while !ops.eof() {
        ops.read().map_err(|e| e.to_string())?;
        count += 1;
    }
    ops.finish().map_err(|e| e.to_string())?;
    Ok(count)
}

fn lading_check(body: &[u8], offset: usize) -> lading_parser::Result<u64> {
    FunctionBody::new(Reader::new_in_section(body, offset, Features::default()))
        .check()
        .map(|s| s.instructions)
}

/// The absolute ranges of the function bodies of a core module.
fn body_ranges(wasm: &[u8]) -> Result<Vec<std::ops::Range<usize>>, wasmparser::BinaryReaderError> {
    let mut ranges = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::CodeSectionEntry(body) = payload? {
            let r = body.range();
            ranges.push(r.start as usize..r.end as usize);
        }
    }
    Ok(ranges)
}

/// Every module the spec test suite defines with `module`, encoded, with
/// its location (`None` without the suite).
fn testsuite_modules() -> Option<Vec<(&'static str, &'static [u8])>> {
    Some(
        suite_cases()?
            .iter()
            .filter(|case| case.directive == Directive::Module)
            .filter_map(|case| Some((case.location.as_str(), case.bytes.as_deref().ok()?)))
            .collect(),
    )
}

fn lading_body<'a>(wasm: &'a [u8], range: &std::ops::Range<usize>) -> FunctionBody<'a> {
    FunctionBody::new(Reader::new_in_section(
        &wasm[range.clone()],
        range.start,
        Features::default(),
    ))
}

/// Checks all bodies with `check_bodies`; returns the total instruction
/// count.
fn lading_check_all(wasm: &[u8], ranges: &[std::ops::Range<usize>]) -> u64 {
    let bodies: Vec<_> = ranges.iter().map(|r| lading_body(wasm, r)).collect();
    lading_parser::check_bodies(&bodies)
        .expect("valid")
        .instructions
}

/// Compares every body of `wasm`; returns the number of bodies.
fn compare_module(name: &str, wasm: &[u8]) -> usize {
    let Ok(ranges) = body_ranges(wasm) else {
        return 0;
    };
    // Pairs must agree with single bodies.
    for pair in ranges.chunks_exact(2) {
        let (a, b) = lading_body(wasm, &pair[0]).check_pair(&lading_body(wasm, &pair[1]));
        assert_eq!(
            a,
            lading_body(wasm, &pair[0]).check(),
            "{name}: pair at {:?}",
            pair[0]
        );
        assert_eq!(
            b,
            lading_body(wasm, &pair[1]).check(),
            "{name}: pair at {:?}",
            pair[1]
        );
    }
    let mut total = 0;
    for range in &ranges {
        let body = &wasm[range.clone()];
        let expected = wasmparser_count_fast(body, range.start)
            .unwrap_or_else(|e| panic!("{name}: wasmparser rejects body at {range:?}: {e}"));
        let got = lading_check(body, range.start)
            .unwrap_or_else(|e| panic!("{name}: lading rejects body at {range:?}: {e}"));
        assert_eq!(got, expected, "{name}: body at {range:?}");
        total += got;
    }
    assert_eq!(
        lading_check_all(wasm, &ranges),
        total,
        "{name}: check_bodies"
    );
    ranges.len()
}

#[test]
fn spec_testsuite_bodies_agree() {
    let Some(modules) = testsuite_modules() else {
        return;
    };
    let mut bodies = 0;
    for (location, wasm) in &modules {
        bodies += compare_module(location, wasm);
    }
    println!(
        "spec testsuite: {} modules, {bodies} function bodies compared",
        modules.len()
    );
    assert!(bodies > 1000);
}

#[test]
fn corpus_bodies_agree() {
    let Some(modules) = corpus_modules() else {
        return;
    };
    let (mut count, mut bodies) = (0, 0);
    for (path, wasm) in modules {
        count += 1;
        bodies += compare_module(&path.display().to_string(), &wasm);
    }
    println!("corpus: {count} modules, {bodies} function bodies compared");
}

/// A pool of valid bodies from the test suite, for mutation.
fn body_pool() -> &'static Vec<Vec<u8>> {
    static POOL: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut pool = Vec::new();
        for (_, wasm) in testsuite_modules().unwrap_or_default() {
            for range in body_ranges(wasm).unwrap_or_default() {
                let body = &wasm[range];
                if body.len() > 2 && body.len() < 4096 {
                    pool.push(body.to_vec());
                }
            }
        }
        pool
    })
}

/// Operators (by their `Debug` text) that wasmparser decodes but belong to
/// proposals lading does not: stack switching, shared-everything threads,
/// custom descriptors, memory control, acquire-release atomics (`pause`).
const WASMPARSER_ONLY: &[&str] = &[
    "ContNew",
    "ContBind",
    "Suspend",
    "Resume",
    "ResumeThrow",
    "Switch",
    "MemoryDiscard",
    "GlobalAtomic",
    "TableAtomic",
    "StructAtomic",
    "ArrayAtomic",
    "RefI31Shared",
    "Pause",
    "StructNewDesc",
    "StructNewDefaultDesc",
    "RefGetDesc",
    "RefCastDesc",
    "BrOnCastDesc",
    // Types only those proposals have (matched case-insensitively):
    // shared heap types, exact references, continuation types.
    "shared",
    "exact",
    "cont",
];

/// Whether lading and wasmparser may disagree on this body, and why.
fn justified(lading: &lading_parser::Result<u64>, body: &[u8]) -> Option<&'static str> {
    match (lading, wasmparser_count(body, 0)) {
        (Ok(_), Err(msg)) => {
            // Implementation limits of wasmparser, not binary-format rules:
            // a typed select with more than 10 types (the format allows any
            // number; validation requires exactly one), type indices beyond
            // 2^20.
            if msg.contains("select types size is out of bounds") {
                Some("wasmparser limits select types to 10")
            } else if msg.contains("implementation limits") {
                Some("wasmparser limits type indices")
            } else {
                None
            }
        }
        (Err(_), Ok((_, names))) => {
            if names.iter().map(|n| n.to_ascii_lowercase()).any(|n| {
                WASMPARSER_ONLY
                    .iter()
                    .any(|only| n.contains(&only.to_ascii_lowercase()))
            }) {
                Some("an encoding of a proposal lading does not decode")
            } else {
                None
            }
        }
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        // PROPTEST_CASES overrides.
        cases: cases(20_000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_bodies_agree(
        pick in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let pool = body_pool();
        prop_assume!(!pool.is_empty());
        let mut body = pool[pick % pool.len()].clone();
        for m in &mutations {
            if body.is_empty() {
                break;
            }
            apply(&mut body, m);
        }
        let lading = lading_check(&body, 0);
        let wasmparser = wasmparser_count_fast(&body, 0);
        if lading.is_ok() != wasmparser.is_ok() {
            let why = justified(&lading, &body);
            prop_assert!(
                why.is_some(),
                "disagreement on {:02x?}: lading {:?}, wasmparser {:?}",
                body,
                lading,
                wasmparser
            );
        } else if let (Ok(a), Ok(b)) = (&lading, &wasmparser) {
            prop_assert_eq!(a, b, "counts differ on {:02x?}", body);
        }
    }
}

/// Throughput of the check pass against wasmparser's operator reader over
/// the largest corpus module. Run with
/// `cargo test --release -p lading-parser --test check_vs_wasmparser -- --ignored --nocapture speed`.
#[test]
#[ignore]
fn speed() {
    let Some(path) = corpus().and_then(|files| {
        files
            .into_iter()
            .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
    }) else {
        return;
    };
    let wasm = std::fs::read(&path).expect("readable");
    let ranges = body_ranges(&wasm).expect("a module");
    let bytes: usize = ranges.iter().map(|r| r.len()).sum();
    let rounds = 5;
    let mut best_lading = f64::MAX;
    let mut best_pairs = f64::MAX;
    let mut best_wasmparser = f64::MAX;
    let mut total = (0, 0, 0);
    for _ in 0..rounds {
        let start = std::time::Instant::now();
        let mut n = 0;
        for r in &ranges {
            n += lading_check(&wasm[r.clone()], r.start).expect("valid");
        }
        best_lading = best_lading.min(start.elapsed().as_secs_f64());
        let start = std::time::Instant::now();
        let p = lading_check_all(&wasm, &ranges);
        best_pairs = best_pairs.min(start.elapsed().as_secs_f64());
        let start = std::time::Instant::now();
        let mut m = 0;
        for r in &ranges {
            m += wasmparser_count_fast(&wasm[r.clone()], r.start).expect("valid");
        }
        best_wasmparser = best_wasmparser.min(start.elapsed().as_secs_f64());
        total = (n, m, p);
    }
    assert_eq!(total.0, total.1);
    assert_eq!(total.0, total.2);
    let mb = bytes as f64 / 1e6;
    println!(
        "{}: {} bodies, {:.1} MB of bodies, {} instructions",
        path.display(),
        ranges.len(),
        mb,
        total.0
    );
    println!(
        "lading check: {:.0} MB/s ({:.1}x); check_bodies: {:.0} MB/s ({:.1}x); wasmparser OperatorsReader: {:.0} MB/s",
        mb / best_lading,
        best_wasmparser / best_lading,
        mb / best_pairs,
        best_wasmparser / best_pairs,
        mb / best_wasmparser,
    );
}

/// The check pass on synthetic bodies whose instructions all take the fast
/// path with perfectly predictable branches (`local.get 0; drop`), alone and
/// in pairs: the bound set by the chain of dependent instruction lengths.
#[test]
#[ignore]
fn speed_synthetic() {
    let mut body = vec![0x00];
    for _ in 0..1_000_000 {
        body.extend([0x20, 0x00, 0x1a]);
    }
    body.push(0x0b);
    let b = FunctionBody::new(Reader::new_in_section(&body, 0, Features::default()));
    let mut best = (f64::MAX, f64::MAX);
    for _ in 0..5 {
        let start = std::time::Instant::now();
        assert_eq!(b.check().expect("valid").instructions, 2_000_001);
        best.0 = best.0.min(start.elapsed().as_secs_f64());
        let start = std::time::Instant::now();
        let (x, y) = b.check_pair(&b);
        assert_eq!(x, y);
        best.1 = best.1.min(start.elapsed().as_secs_f64() / 2.0);
    }
    let mb = body.len() as f64 / 1e6;
    println!(
        "synthetic local.get/drop: check {:.0} MB/s, check_pair {:.0} MB/s",
        mb / best.0,
        mb / best.1
    );
}
