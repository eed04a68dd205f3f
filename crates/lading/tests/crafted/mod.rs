//! The crafted hostile modules, generated here, and what loading each must
//! give: one set, shared by the library's test (`tests/hostile.rs`, which
//! loads each and checks its error, time and memory) and the CLI's
//! (`lading-cli/tests/cli.rs`, which runs `lading check` on each, written to
//! a file, with the same limits as `--limit` options).
//!
//! Offsets in the expectations are computed from how the bytes are built
//! here, not taken from the loader.

#![allow(dead_code)]

use lading::parser::ErrorKind;
use lading::{Config, Limits};

/// What loading a crafted module (with its limits) must give.
#[derive(Clone, Copy, Debug)]
pub enum Expected {
    /// It loads.
    Loads,
    /// It exceeds the limit `what` (the `LimitExceeded` name) with `value`.
    Limit {
        what: &'static str,
        value: u64,
        offset: Offset,
    },
    /// It is malformed: the error `check_module` gives (the parser is the
    /// reference for well-formedness), of `kind` when given.
    Malformed {
        kind: Option<ErrorKind>,
        offset: Offset,
    },
}

/// Where an expected error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offset {
    /// Not checked.
    Unchecked,
    /// The error has no offset (the module's size).
    None,
    /// At this absolute offset.
    At(usize),
}

/// One crafted module.
pub struct Case {
    /// What it is, e.g. `1,001 params` (also names its file).
    pub name: String,
    pub bytes: Vec<u8>,
    /// Limits set over the defaults, by their `Limits::set` names (the
    /// CLI's `--limit NAME=VALUE`).
    pub limits: Vec<(&'static str, u64)>,
    pub expected: Expected,
}

impl Case {
    fn new(name: impl Into<String>, bytes: Vec<u8>, expected: Expected) -> Case {
        Case {
            name: name.into(),
            bytes,
            limits: Vec::new(),
            expected,
        }
    }

    /// This case with the limit `name` set to `value`.
    fn limit(mut self, name: &'static str, value: u64) -> Case {
        self.limits.push((name, value));
        self
    }

    /// This case without any limit: every one set to `u64::MAX` (which
    /// `Limits::set` saturates), as `Limits::unlimited()`.
    fn unlimited(mut self) -> Case {
        for (name, _) in Limits::default().entries() {
            self.limits.push((name, u64::MAX));
        }
        self
    }

    /// The limits the case loads under.
    pub fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        for &(name, value) in &self.limits {
            assert!(limits.set(name, value), "unknown limit {name}");
        }
        limits
    }

    /// The configuration the case loads with.
    pub fn config(&self) -> Config {
        Config::default().limits(self.limits())
    }

    /// The name as a file name: letters and digits, dashes between.
    pub fn file_stem(&self) -> String {
        let mut stem = String::new();
        for c in self.name.chars() {
            if c.is_ascii_alphanumeric() {
                stem.push(c);
            } else if !stem.ends_with('-') && c != ',' {
                stem.push('-');
            }
        }
        stem.trim_matches('-').to_string()
    }
}

fn limit(what: &'static str, value: u64, offset: Offset) -> Expected {
    Expected::Limit {
        what,
        value,
        offset,
    }
}

fn malformed(kind: Option<ErrorKind>, offset: Offset) -> Expected {
    Expected::Malformed { kind, offset }
}

/// Every group of cases, each a generator (so that a test holds one group
/// at a time).
pub const GROUPS: [fn() -> Vec<Case>; 13] = [
    huge_counts,
    counts_over_the_limits,
    section_sizes_past_the_end,
    deep_nesting,
    locals,
    big_bodies,
    exports,
    subtype_chains,
    type_shapes,
    name_section,
    module_size,
    function_count,
    br_tables,
];

pub const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/// The unsigned LEB128 encoding of `v`.
pub fn leb(mut v: u64) -> Vec<u8> {
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
pub fn section(id: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![id];
    out.extend(leb(contents.len() as u64));
    out.extend_from_slice(contents);
    out
}

/// A module of the header and `sections`.
pub fn wasm(sections: &[Vec<u8>]) -> Vec<u8> {
    let mut out = HEADER.to_vec();
    for s in sections {
        out.extend_from_slice(s);
    }
    out
}

/// A vector: the count, then the items' bytes.
pub fn vector(count: u64, items: &[u8]) -> Vec<u8> {
    let mut out = leb(count);
    out.extend_from_slice(items);
    out
}

/// The absolute offset of the contents of a module's first section, whose
/// contents are `len` bytes: after the header, the id and the size.
fn first_contents(len: usize) -> usize {
    HEADER.len() + 1 + leb(len as u64).len()
}

/// One function of type 0 = `[i32 × params] -> []` whose code section
/// entry is `body` (locals and instructions, without the size). The body
/// is the module's last bytes.
pub fn one_function(params: u32, body: &[u8]) -> Vec<u8> {
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

/// The vector-bearing sections.
pub const VECTOR_SECTIONS: [u8; 11] = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13];

/// Counts of 2^32 - 1 with no bytes behind them, in every vector-bearing
/// section, with the default limits and with none: a count larger than the
/// bytes left is malformed before any limit applies, at the end.
pub fn huge_counts() -> Vec<Case> {
    let mut cases = Vec::new();
    for id in VECTOR_SECTIONS {
        let bytes = wasm(&[section(id, &leb(u32::MAX.into()))]);
        let expected = malformed(
            Some(ErrorKind::UnexpectedEndOfSectionOrFunction),
            Offset::At(bytes.len()),
        );
        let name = format!("section {id}, count 2^32-1");
        cases.push(Case::new(
            format!("{name}, limits default"),
            bytes.clone(),
            expected,
        ));
        cases.push(Case::new(format!("{name}, limits none"), bytes, expected).unlimited());
    }
    cases
}

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

/// Three items where the limit is two, in every section with a limited
/// count; the error is at the count, the section's first byte.
pub fn counts_over_the_limits() -> Vec<Case> {
    LIMITED_COUNTS
        .iter()
        .map(|&(id, what, name, item)| {
            let items: Vec<u8> = std::iter::repeat_n(item, 3).flatten().copied().collect();
            let contents = vector(3, &items);
            let at = first_contents(contents.len());
            let bytes = wasm(&[section(id, &contents)]);
            Case::new(
                format!("section {id}, 3 items, {name} 2"),
                bytes,
                limit(what, 3, Offset::At(at)),
            )
            .unlimited()
            .limit(name, 2)
        })
        .collect()
}

/// Sections of every id whose size runs past the end of the module.
pub fn section_sizes_past_the_end() -> Vec<Case> {
    let mut cases = Vec::new();
    for id in 0..=13u8 {
        for size in [100u64, u32::MAX.into()] {
            let mut bytes = HEADER.to_vec();
            bytes.push(id);
            bytes.extend(leb(size));
            bytes.extend_from_slice(&[0x01, 0x00, 0x00]);
            cases.push(Case::new(
                format!("section {id} of size {size}"),
                bytes,
                malformed(Some(ErrorKind::LengthOutOfBounds), Offset::Unchecked),
            ));
        }
    }
    cases
}

/// A body of `depth` nested `block`s, each closed, or none closed.
pub fn nested_blocks(depth: usize, closed: bool) -> Vec<u8> {
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

pub const DEPTH: usize = 1_000_000;
pub const NESTED: &str = "1,000,000 nested blocks";

/// 1,000,000 nested blocks, closed (loads) and unclosed (malformed).
pub fn deep_nesting() -> Vec<Case> {
    vec![
        Case::new(NESTED, nested_blocks(DEPTH, true), Expected::Loads),
        Case::new(
            "1,000,000 unclosed blocks",
            nested_blocks(DEPTH, false),
            malformed(None, Offset::Unchecked),
        ),
    ]
}

/// A body declaring `n` locals of i32 in one run, then `end`.
pub fn locals_body(n: u32) -> Vec<u8> {
    let mut body = vector(1, &[]);
    body.extend(leb(n.into()));
    body.extend_from_slice(&[0x7f, 0x0b]);
    body
}

pub const MAX_LOCALS: &str = "2^32-1 locals, no limits";

/// Locals over and at the default limit of 50,000, parameters counted
/// (JS API: "including implicitly declared as parameters"), and 2^32 - 1
/// of them without limits.
pub fn locals() -> Vec<Case> {
    let count = |value| limit("local count", value, Offset::Unchecked);
    vec![
        Case::new(
            "50,001 locals",
            one_function(0, &locals_body(50_001)),
            count(50_001),
        ),
        Case::new(
            "50,000 locals",
            one_function(0, &locals_body(50_000)),
            Expected::Loads,
        ),
        Case::new(
            "2 params + 49,999 locals",
            one_function(2, &locals_body(49_999)),
            count(50_001),
        ),
        Case::new(
            MAX_LOCALS,
            one_function(0, &locals_body(u32::MAX)),
            Expected::Loads,
        )
        .unlimited(),
    ]
}

/// A body of `size` bytes: no locals, `nop`s, `end`.
pub fn body_of_size(size: usize) -> Vec<u8> {
    let mut body = vec![0x00];
    body.extend(std::iter::repeat_n(0x01, size - 2));
    body.push(0x0b);
    body
}

pub const LARGEST_BODY: &str = "body of 7,654,321 bytes";

/// A body of 8 MB, over the default limit; one at it, which loads, and
/// over a lowered limit.
pub fn big_bodies() -> Vec<Case> {
    let size = |value| limit("function body size", value, Offset::Unchecked);
    let largest = one_function(0, &body_of_size(7_654_321));
    vec![
        Case::new(
            "body of 8,000,000 bytes",
            one_function(0, &body_of_size(8_000_000)),
            size(8_000_000),
        ),
        Case::new(LARGEST_BODY, largest.clone(), Expected::Loads),
        Case::new(
            "body of 7,654,321 bytes, limit 7,654,320",
            largest,
            size(7_654_321),
        )
        .limit("function-body-size", 7_654_320),
    ]
}

/// `count` exports of function 0, all named "".
pub fn exports_module(count: u64) -> Vec<u8> {
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

pub const MANY_EXPORTS: &str = "100,001 exports";

/// 100,001 exports (the JS API allows 1,000,000 since 2024, up from
/// 100,000): under the default limit, over a lowered one; 1,000,001.
pub fn exports() -> Vec<Case> {
    let count = |value| limit("export count", value, Offset::Unchecked);
    vec![
        Case::new(MANY_EXPORTS, exports_module(100_001), Expected::Loads),
        Case::new(
            "100,001 exports, limit 100,000",
            exports_module(100_001),
            count(100_001),
        )
        .limit("exports", 100_000),
        Case::new(
            "1,000,001 exports",
            exports_module(1_000_001),
            count(1_000_001),
        ),
    ]
}

/// A rec group of `n` subtypes, each a struct declaring the one before it
/// as its supertype: a subtype chain of depth `n - 1`. Returns the module
/// and the absolute offset of the group's count.
pub fn subtype_chain(n: u32) -> (Vec<u8>, usize) {
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
    let contents = vector(1, &group);
    // After the contents' start: the group count (1), then 0x4E.
    let count_at = first_contents(contents.len()) + 2;
    (wasm(&[section(1, &contents)]), count_at)
}

pub const LONG_CHAIN: &str = "rec group of 1,000,000 chained subtypes, no limits";

/// Subtype chains at and over the depth limit; one huge rec group, without
/// limits (loads) and over the group size limit (found at the group's
/// count, before its subtypes are read); rec groups nested 100,000 deep,
/// which is not an encoding (0x4E inside a group is a malformed composite
/// type), found without recursion.
pub fn subtype_chains() -> Vec<Case> {
    let depth = |value| limit("subtyping depth", value, Offset::Unchecked);
    let (over, count_at) = subtype_chain(1_000_001);
    let nested: Vec<u8> = std::iter::repeat_n([0x4e, 0x01], 100_000)
        .flatten()
        .collect();
    vec![
        Case::new(
            "subtype chain of depth 63",
            subtype_chain(64).0,
            Expected::Loads,
        ),
        Case::new("subtype chain of depth 64", subtype_chain(65).0, depth(64)),
        Case::new(LONG_CHAIN, subtype_chain(1_000_000).0, Expected::Loads).unlimited(),
        Case::new(
            "rec group of 1,000,001 subtypes",
            over,
            limit("rec group size", 1_000_001, Offset::At(count_at)),
        ),
        Case::new(
            "100,000 nested rec groups",
            wasm(&[section(1, &vector(1, &nested))]),
            malformed(None, Offset::Unchecked),
        ),
    ]
}

/// Function types with 1,001 parameters and results, a struct of 10,001
/// fields, 101 memories, a table of 10,000,001 elements.
pub fn type_shapes() -> Vec<Case> {
    let mut results = vec![0x60, 0x00];
    results.extend(vector(1_001, &[0x7f; 1_001]));
    let fields: Vec<u8> = std::iter::repeat_n([0x7f, 0x00], 10_001)
        .flatten()
        .collect();
    let mut fields_ty = vec![0x5f];
    fields_ty.extend(vector(10_001, &fields));
    let memories: Vec<u8> = std::iter::repeat_n([0x00, 0x00], 101).flatten().collect();
    let mut table = vec![0x70, 0x00];
    table.extend(leb(10_000_001));
    let over = |what, value| limit(what, value, Offset::Unchecked);
    vec![
        Case::new(
            "1,001 params",
            one_function(1_001, &[0x00, 0x0b]),
            over("parameter count", 1_001),
        ),
        Case::new(
            "1,001 results",
            wasm(&[section(1, &vector(1, &results))]),
            over("result count", 1_001),
        ),
        Case::new(
            "10,001 fields",
            wasm(&[section(1, &vector(1, &fields_ty))]),
            over("struct field count", 10_001),
        ),
        Case::new(
            "101 memories",
            wasm(&[section(5, &vector(101, &memories))]),
            over("memory count", 101),
        ),
        Case::new(
            "table of 10,000,001",
            wasm(&[section(4, &vector(1, &table))]),
            over("table size", 10_000_001),
        ),
    ]
}

pub const NAMES: &str = "name section with overlapping subsections";

/// A name section whose subsection 1 (functions) claims 100 bytes where 3
/// follow, so it would overlap the next subsection and run past the
/// section: the module loads (custom sections never fail a load); the name
/// decoder reports it.
pub fn name_section() -> Vec<Case> {
    let mut contents = vector(4, b"name");
    contents.extend_from_slice(&[0x01, 100, 0x01, 0x00, 0x00]);
    contents.extend_from_slice(&[0x00, 0x02, 0x01, b'm']);
    vec![Case::new(
        NAMES,
        wasm(&[section(0, &contents)]),
        Expected::Loads,
    )]
}

/// A module of 111 bytes over a module size limit of 64: no offset.
pub fn module_size() -> Vec<Case> {
    let bytes = wasm(&[section(0, &vector(0, &[0; 100]))]);
    vec![
        Case::new(
            "module over a 64-byte limit",
            bytes,
            limit("module size", 111, Offset::None),
        )
        .limit("module-size", 64),
    ]
}

/// Two functions where the limit is one: the count is at offset 10.
pub fn function_count() -> Vec<Case> {
    vec![
        Case::new(
            "2 functions, limit 1",
            wasm(&[section(3, &vector(2, &[0x00, 0x00]))]),
            limit("function count", 2, Offset::At(10)),
        )
        .limit("functions", 1),
    ]
}

/// A function whose body is `i32.const 0`, a `br_table` of `targets`
/// targets (all label 0) and its default, `end`. Returns the module and
/// the absolute offset of the `br_table`'s count.
pub fn br_table(targets: u32) -> (Vec<u8>, usize) {
    let mut body = vec![0x00, 0x41, 0x00, 0x0e];
    body.extend(leb(targets.into()));
    body.extend(std::iter::repeat_n(0x00, targets as usize + 1));
    body.push(0x0b);
    let module = one_function(0, &body);
    // The body is the module's end; its count follows 4 bytes.
    let count_at = module.len() - body.len() + 4;
    (module, count_at)
}

pub const BR_TABLE_AT_LIMIT: &str = "br_table of 1,000 targets, limit 1,000";

/// `br_table`s at and over a lowered limit of 1,000 targets, and at and over
/// the default (7,654,321) with the body size limit raised to 8,000,000:
/// under the default body size no `br_table` can reach the default. The
/// error is at the count, before the targets are read.
pub fn br_tables() -> Vec<Case> {
    let targets = |value, at| limit("br_table target count", value, Offset::At(at));
    let (at_limit, _) = br_table(1_000);
    let (over, over_at) = br_table(1_001);
    let (at_default, _) = br_table(7_654_321);
    let (over_default, over_default_at) = br_table(7_654_322);
    vec![
        Case::new(BR_TABLE_AT_LIMIT, at_limit, Expected::Loads).limit("br-table-targets", 1_000),
        Case::new(
            "br_table of 1,001 targets, limit 1,000",
            over,
            targets(1_001, over_at),
        )
        .limit("br-table-targets", 1_000),
        Case::new(
            "br_table of 7,654,321 targets, body size limit 8,000,000",
            at_default,
            Expected::Loads,
        )
        .limit("function-body-size", 8_000_000),
        Case::new(
            "br_table of 7,654,322 targets, body size limit 8,000,000",
            over_default,
            targets(7_654_322, over_default_at),
        )
        .limit("function-body-size", 8_000_000),
    ]
}
