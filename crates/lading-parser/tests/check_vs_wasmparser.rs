//! The check pass against wasmparser 0.263's operator reader: on every
//! function body of the spec test suite and of the corpus of real modules
//! both must accept and count the same number of instructions; on random
//! mutations of valid bodies both must agree on accept or reject.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lading_parser::{Features, FunctionBody, Reader};
use proptest::prelude::*;
use wasmparser::WasmFeatures;

const TESTSUITE: &str = "/work/shared/testsuite";
const CORPUS: &str = "/work/main/target/corpus";

/// The proposals lading decodes, as wasmparser features (no stack switching,
/// shared-everything threads, custom descriptors, ...).
fn wasmparser_features() -> WasmFeatures {
    WasmFeatures::WASM3
        | WasmFeatures::LEGACY_EXCEPTIONS
        | WasmFeatures::WIDE_ARITHMETIC
        | WasmFeatures::CUSTOM_PAGE_SIZES
}

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

fn wast_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            wast_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "wast") {
            out.push(path);
        }
    }
}

/// Every core module the spec test suite defines with `module`, encoded.
/// Also the number of scripts `wast` could not read.
fn testsuite_modules() -> &'static (Vec<Vec<u8>>, usize) {
    static MODULES: OnceLock<(Vec<Vec<u8>>, usize)> = OnceLock::new();
    MODULES.get_or_init(|| {
        let mut files = Vec::new();
        wast_files(Path::new(TESTSUITE), &mut files);
        let mut modules = Vec::new();
        let mut skipped = 0;
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                skipped += 1;
                continue;
            };
            let Ok(buf) = wast::parser::ParseBuffer::new(&text) else {
                skipped += 1;
                continue;
            };
            let Ok(script) = wast::parser::parse::<wast::Wast>(&buf) else {
                skipped += 1;
                continue;
            };
            for directive in script.directives {
                match directive {
                    wast::WastDirective::Module(mut m)
                    | wast::WastDirective::ModuleDefinition(mut m) => {
                        if let Ok(bytes) = m.encode()
                            && bytes.get(4..8) == Some(&[1, 0, 0, 0])
                        {
                            modules.push(bytes);
                        }
                    }
                    _ => {}
                }
            }
        }
        (modules, skipped)
    })
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
    if !Path::new(TESTSUITE).is_dir() {
        println!("spec testsuite not found at {TESTSUITE}; skipped");
        return;
    }
    let (modules, skipped) = testsuite_modules();
    let mut bodies = 0;
    for (i, wasm) in modules.iter().enumerate() {
        bodies += compare_module(&format!("testsuite module #{i}"), wasm);
    }
    println!(
        "spec testsuite: {} modules, {bodies} function bodies compared, {skipped} scripts wast could not read",
        modules.len()
    );
    assert!(bodies > 1000);
}

#[test]
fn corpus_bodies_agree() {
    let dir = std::env::var("LADING_CORPUS").unwrap_or_else(|_| CORPUS.to_string());
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("corpus not found at {dir}; skipped");
        return;
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    paths.sort();
    let mut bodies = 0;
    for path in &paths {
        let wasm = std::fs::read(path).expect("readable corpus file");
        bodies += compare_module(&path.display().to_string(), &wasm);
    }
    println!(
        "corpus: {} modules, {bodies} function bodies compared",
        paths.len()
    );
}

/// A pool of valid bodies from the test suite, for mutation.
fn body_pool() -> &'static Vec<Vec<u8>> {
    static POOL: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (modules, _) = testsuite_modules();
        let mut pool = Vec::new();
        for wasm in modules {
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

#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Truncate { len: usize },
    Insert { at: usize, byte: u8 },
}

fn apply(body: &[u8], m: &Mutation) -> Vec<u8> {
    let mut out = body.to_vec();
    match *m {
        Mutation::Flip { at, byte } => {
            let i = at % out.len();
            out[i] = byte;
        }
        Mutation::Truncate { len } => out.truncate(len % out.len()),
        Mutation::Insert { at, byte } => {
            let i = at % (out.len() + 1);
            out.insert(i, byte);
        }
    }
    out
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        any::<usize>().prop_map(|len| Mutation::Truncate { len }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        // PROPTEST_CASES overrides.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000),
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
            body = apply(&body, m);
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
    let dir = std::env::var("LADING_CORPUS").unwrap_or_else(|_| CORPUS.to_string());
    let Some(path) = std::fs::read_dir(&dir).ok().and_then(|entries| {
        entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
            .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
    }) else {
        println!("corpus not found at {dir}; skipped");
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
