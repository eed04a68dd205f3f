//! Crafted hostile modules, generated here: each gets its specific error (or
//! loads), without a panic, without recursion on its structure, and within
//! the memory bound of `counting::FACTOR × input + counting::CONSTANT`.
//!
//! Every case also prints how long it took; times are not asserted (the
//! machine is shared), but every case is linear in its input.

mod counting;

use std::time::Instant;

use lading::parser::{ErrorKind, check_module};
use lading::{Config, Error, Features, Limits, Loader, Module};

const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/// The unsigned LEB128 encoding of `v`.
fn leb(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

/// Section `id` with `contents`, its size prefixed.
fn section(id: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![id];
    out.extend(leb(contents.len() as u64));
    out.extend_from_slice(contents);
    out
}

/// A module of the header and `sections`.
fn wasm(sections: &[Vec<u8>]) -> Vec<u8> {
    let mut out = HEADER.to_vec();
    for s in sections {
        out.extend_from_slice(s);
    }
    out
}

/// A vector: the count, then the items' bytes.
fn vector(count: u64, items: &[u8]) -> Vec<u8> {
    let mut out = leb(count);
    out.extend_from_slice(items);
    out
}

/// One function of type 0 = `[i32 × params] -> []` whose code section
/// entry is `body` (locals and instructions, without the size).
fn one_function(params: u32, body: &[u8]) -> Vec<u8> {
    let mut ty = vec![0x60];
    ty.extend(vector(params.into(), &vec![0x7f; params as usize]));
    ty.push(0x00);
    let mut entry = leb(body.len() as u64);
    entry.extend_from_slice(body);
    wasm(&[
        section(1, &vector(1, &ty)),
        section(3, &vector(1, &[0x00])),
        section(10, &vector(1, &entry)),
    ])
}

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

/// Asserts that `result` is the limit `what` exceeded with `value`.
fn assert_limit(result: Result<Module, Error>, expected_what: &str, expected_value: u64) {
    match result {
        Err(Error::LimitExceeded { what, value, .. }) => {
            assert_eq!((what, value), (expected_what, expected_value))
        }
        other => panic!("expected {expected_what} limit, got {other:?}"),
    }
}

/// Asserts that `result` is the error `check_module` gives for `bytes`
/// (the parser is the reference for well-formedness), and returns it.
fn assert_malformed_as_parser(
    bytes: &[u8],
    result: Result<Module, Error>,
) -> lading::parser::Error {
    let expected = check_module(bytes, Features::default()).expect_err("malformed");
    match result {
        Err(Error::Malformed(e)) => {
            assert_eq!(e, expected);
            assert!(e.offset() <= bytes.len());
            e
        }
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

fn unlimited() -> Config {
    Config::default().limits(Limits::unlimited())
}

/// The vector-bearing sections.
const VECTOR_SECTIONS: [u8; 11] = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13];

/// Sections whose count has a limit: id, what exceeds, the limit's name,
/// and the bytes of one well-formed item.
const LIMITED_COUNTS: [(u8, &str, &str, &[u8]); 10] = [
    (1, "rec group count", "rec-groups", &[0x60, 0x00, 0x00]),
    (2, "import count", "imports", &[0x00, 0x00, 0x00, 0x00]),
    (3, "function count", "functions", &[0x00]),
    (4, "table count", "tables", &[0x70, 0x00, 0x00]),
    (5, "memory count", "memories", &[0x00, 0x00]),
    (
        6,
        "global count",
        "globals",
        &[0x7f, 0x00, 0x41, 0x00, 0x0b],
    ),
    (7, "export count", "exports", &[0x00, 0x00, 0x00]),
    (
        9,
        "element segment count",
        "element-segments",
        &[0x01, 0x00, 0x00],
    ),
    (11, "data segment count", "data-segments", &[0x01, 0x00]),
    (13, "tag count", "tags", &[0x00, 0x00]),
];

#[test]
fn counts_of_u32_max_with_nothing_behind_them() {
    let _serial = counting::serial();
    for id in VECTOR_SECTIONS {
        let bytes = wasm(&[section(id, &leb(u32::MAX.into()))]);
        // A count larger than the bytes left is malformed before any limit
        // applies, with or without limits; nothing is reserved for it.
        for (config, limits) in [(Config::default(), "default"), (unlimited(), "none")] {
            let what = format!("section {id}, count 2^32-1, limits {limits}");
            let result = load(&what, bytes.clone(), config);
            let e = assert_malformed_as_parser(&bytes, result);
            assert_eq!(
                (e.kind(), e.offset()),
                (ErrorKind::UnexpectedEndOfSectionOrFunction, bytes.len()),
                "{what}"
            );
        }
    }
}

#[test]
fn counts_over_the_limits_with_items_behind_them() {
    let _serial = counting::serial();
    let mut limits = Limits::unlimited();
    for (id, what, name, item) in LIMITED_COUNTS {
        assert!(limits.set(name, 2));
        // Three items where the limit is two: the count is over it.
        let items: Vec<u8> = std::iter::repeat_n(item, 3).flatten().copied().collect();
        let bytes = wasm(&[section(id, &vector(3, &items))]);
        let config = Config::default().limits(limits);
        let result = load(&format!("section {id}, 3 items, limit 2"), bytes, config);
        assert_limit(result, what, 3);
    }
}

#[test]
fn section_sizes_past_the_end() {
    let _serial = counting::serial();
    for id in 0..=13u8 {
        for size in [100u64, u32::MAX.into()] {
            let mut bytes = HEADER.to_vec();
            bytes.push(id);
            bytes.extend(leb(size));
            bytes.extend_from_slice(&[0x01, 0x00, 0x00]);
            let result = load(
                &format!("section {id} of size {size}"),
                bytes.clone(),
                Config::default(),
            );
            let e = assert_malformed_as_parser(&bytes, result);
            assert_eq!(e.kind(), ErrorKind::LengthOutOfBounds, "section {id}");
        }
    }
}

/// A body of `depth` nested `block`s, each closed, or none closed.
fn nested_blocks(depth: usize, closed: bool) -> Vec<u8> {
    let mut body = vec![0x00]; // no locals
    for _ in 0..depth {
        body.extend_from_slice(&[0x02, 0x40]); // block (empty type)
    }
    if closed {
        body.extend(std::iter::repeat_n(0x0b, depth)); // end × depth
    }
    body.push(0x0b); // the function's end
    one_function(0, &body)
}

const DEPTH: usize = 1_000_000;

fn deep_nesting_cases() {
    let bytes = nested_blocks(DEPTH, true);
    let module = load("1,000,000 nested blocks", bytes, Config::default()).expect("loads");
    assert_eq!(module.instruction_count(), 2 * DEPTH as u64 + 1);
    // The operator iterator is iterative too.
    let ops = module.function(0).unwrap().operators().unwrap();
    assert_eq!(ops.count(), 2 * DEPTH + 1);

    let bytes = nested_blocks(DEPTH, false);
    let result = load(
        "1,000,000 unclosed blocks",
        bytes.clone(),
        Config::default(),
    );
    assert_malformed_as_parser(&bytes, result);
}

#[test]
fn deep_nesting_on_the_default_stack() {
    let _serial = counting::serial();
    deep_nesting_cases();
}

#[test]
fn deep_nesting_on_a_64_kib_stack() {
    let _serial = counting::serial();
    std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(deep_nesting_cases)
        .unwrap()
        .join()
        .unwrap();
}

/// A body declaring `n` locals of i32 in one run, then `end`.
fn locals_body(n: u32) -> Vec<u8> {
    let mut body = vector(1, &[]);
    body.extend(leb(n.into()));
    body.extend_from_slice(&[0x7f, 0x0b]);
    body
}

#[test]
fn locals_over_the_limit() {
    let _serial = counting::serial();
    let result = load(
        "50,001 locals",
        one_function(0, &locals_body(50_001)),
        Config::default(),
    );
    assert_limit(result, "local count", 50_001);
    load(
        "50,000 locals",
        one_function(0, &locals_body(50_000)),
        Config::default(),
    )
    .expect("loads");
    // Parameters count too (JS API: "including implicitly declared as
    // parameters").
    let result = load(
        "2 params + 49,999 locals",
        one_function(2, &locals_body(49_999)),
        Config::default(),
    );
    assert_limit(result, "local count", 50_001);
    // 2^32 - 1 locals, without limits: loads, allocating nothing for them.
    let module = load(
        "2^32-1 locals, no limits",
        one_function(0, &locals_body(u32::MAX)),
        unlimited(),
    )
    .expect("loads");
    assert_eq!(module.local_count(), u32::MAX.into());
}

/// A body of `size` bytes: no locals, `nop`s, `end`.
fn body_of_size(size: usize) -> Vec<u8> {
    let mut body = vec![0x00];
    body.extend(std::iter::repeat_n(0x01, size - 2));
    body.push(0x0b);
    body
}

#[test]
fn body_of_8_mb() {
    let _serial = counting::serial();
    let bytes = one_function(0, &body_of_size(8_000_000));
    let result = load("body of 8,000,000 bytes", bytes, Config::default());
    assert_limit(result, "function body size", 8_000_000);
    let bytes = one_function(0, &body_of_size(7_654_321));
    let module = load("body of 7,654,321 bytes", bytes.clone(), Config::default()).expect("loads");
    assert_eq!(module.instruction_count(), 7_654_321 - 1);
    let mut limits = Limits::default();
    limits.function_body_size = 7_654_320;
    let result = load(
        "body of 7,654,321 bytes, limit lowered",
        bytes,
        Config::default().limits(limits),
    );
    assert_limit(result, "function body size", 7_654_321);
}

/// `count` exports of function 0, all named "".
fn exports(count: u64) -> Vec<u8> {
    let items: Vec<u8> = std::iter::repeat_n([0x00, 0x00, 0x00], count as usize)
        .flatten()
        .collect();
    wasm(&[
        section(1, &vector(1, &[0x60, 0x00, 0x00])),
        section(3, &vector(1, &[0x00])),
        section(7, &vector(count, &items)),
        section(10, &vector(1, &[0x02, 0x00, 0x0b])),
    ])
}

#[test]
fn many_exports() {
    let _serial = counting::serial();
    // The JS API allows 1,000,000 exports (raised from 100,000 in 2024).
    let module = load("100,001 exports", exports(100_001), Config::default()).expect("loads");
    assert_eq!(module.export_count(), 100_001);
    let mut limits = Limits::default();
    limits.exports = 100_000;
    let result = load(
        "100,001 exports, limit 100,000",
        exports(100_001),
        Config::default().limits(limits),
    );
    assert_limit(result, "export count", 100_001);
    let result = load("1,000,001 exports", exports(1_000_001), Config::default());
    assert_limit(result, "export count", 1_000_001);
}

/// A rec group of `n` subtypes, each a struct declaring the one before it
/// as its supertype: a subtype chain of depth `n - 1`.
fn subtype_chain(n: u32) -> Vec<u8> {
    let mut group = vec![0x4e];
    group.extend(leb(n.into()));
    for i in 0..n {
        if i == 0 {
            group.extend_from_slice(&[0x50, 0x00]); // sub, no supertype
        } else {
            group.extend_from_slice(&[0x50, 0x01]); // sub, one supertype
            group.extend(leb((i - 1).into()));
        }
        group.extend_from_slice(&[0x5f, 0x00]); // struct, no field
    }
    wasm(&[section(1, &vector(1, &group))])
}

#[test]
fn deep_subtype_chains() {
    let _serial = counting::serial();
    load(
        "subtype chain of depth 63",
        subtype_chain(64),
        Config::default(),
    )
    .expect("loads");
    let result = load(
        "subtype chain of depth 64",
        subtype_chain(65),
        Config::default(),
    );
    assert_limit(result, "subtyping depth", 64);
    // A long chain in one huge rec group, without limits: loads.
    let module = load(
        "rec group of 1,000,000 chained subtypes",
        subtype_chain(1_000_000),
        unlimited(),
    )
    .expect("loads");
    assert_eq!(module.type_count(), 1_000_000);
    // Over the rec group size and type count limits.
    let result = load(
        "rec group of 1,000,001 subtypes",
        subtype_chain(1_000_001),
        Config::default(),
    );
    assert_limit(result, "rec group size", 1_000_001);
    // Rec groups nested in rec groups are not an encoding: 0x4E inside a
    // group is a malformed composite type, found without recursion.
    let nested: Vec<u8> = std::iter::repeat_n([0x4e, 0x01], 100_000)
        .flatten()
        .collect();
    let bytes = wasm(&[section(1, &vector(1, &nested))]);
    let result = load(
        "100,000 nested rec groups",
        bytes.clone(),
        Config::default(),
    );
    assert_malformed_as_parser(&bytes, result);
}

#[test]
fn type_shapes_over_the_limits() {
    let _serial = counting::serial();
    // A function type with 1,001 parameters.
    let bytes = one_function(1_001, &[0x00, 0x0b]);
    assert_limit(
        load("1,001 params", bytes, Config::default()),
        "parameter count",
        1_001,
    );
    // 1,001 results.
    let mut ty = vec![0x60, 0x00];
    ty.extend(vector(1_001, &[0x7f; 1_001]));
    let bytes = wasm(&[section(1, &vector(1, &ty))]);
    assert_limit(
        load("1,001 results", bytes, Config::default()),
        "result count",
        1_001,
    );
    // A struct of 10,001 fields.
    let fields: Vec<u8> = std::iter::repeat_n([0x7f, 0x00], 10_001)
        .flatten()
        .collect();
    let mut ty = vec![0x5f];
    ty.extend(vector(10_001, &fields));
    let bytes = wasm(&[section(1, &vector(1, &ty))]);
    assert_limit(
        load("10,001 fields", bytes, Config::default()),
        "struct field count",
        10_001,
    );
    // 101 memories; a table of 10,000,001 elements.
    let memories: Vec<u8> = std::iter::repeat_n([0x00, 0x00], 101).flatten().collect();
    let bytes = wasm(&[section(5, &vector(101, &memories))]);
    assert_limit(
        load("101 memories", bytes, Config::default()),
        "memory count",
        101,
    );
    let mut table = vec![0x70, 0x00];
    table.extend(leb(10_000_001));
    let bytes = wasm(&[section(4, &vector(1, &table))]);
    assert_limit(
        load("table of 10,000,001", bytes, Config::default()),
        "table size",
        10_000_001,
    );
}

#[test]
fn name_section_with_overlapping_subsections() {
    let _serial = counting::serial();
    // Subsection 1 (functions) claims 100 bytes where 3 follow, so it would
    // overlap the next subsection and run past the section.
    let mut contents = vector(4, b"name");
    contents.extend_from_slice(&[0x01, 100, 0x01, 0x00, 0x00]);
    contents.extend_from_slice(&[0x00, 0x02, 0x01, b'm']);
    let bytes = wasm(&[section(0, &contents)]);
    let module = load(
        "name section with overlapping subsections",
        bytes,
        Config::default(),
    )
    .expect("custom section contents do not fail a load");
    let names = module.name_section().expect("a name section");
    let errors: Vec<_> = names.filter_map(Result::err).collect();
    assert_eq!(errors.len(), 1, "the decoder stops at its first error");
    println!("name decoder: {}", errors[0]);
    assert_eq!(errors[0].kind(), ErrorKind::LengthOutOfBounds);
}

#[test]
fn module_size_limit() {
    let _serial = counting::serial();
    let bytes = wasm(&[section(0, &vector(0, &[0; 100]))]);
    let result = load(
        "module over a 64-byte limit",
        bytes,
        Config::default().max_module_size(64),
    );
    match result {
        Err(e @ Error::LimitExceeded { offset: None, .. }) => {
            assert_eq!(e.to_string(), "module size of 111 exceeds the limit of 64")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn limit_message() {
    let _serial = counting::serial();
    println!("worst peak / input so far: {:.3}", counting::worst_ratio());
    let mut limits = Limits::default();
    limits.functions = 1;
    let bytes = wasm(&[section(3, &vector(2, &[0x00, 0x00]))]);
    let e = load(
        "2 functions, limit 1",
        bytes,
        Config::default().limits(limits),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "function count of 2 exceeds the limit of 1 at offset 10"
    );
    assert_eq!(e.offset(), Some(10));
}
