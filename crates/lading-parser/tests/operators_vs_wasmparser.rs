//! Decodes function bodies and constant expressions with lading's
//! `OperatorsReader` and with wasmparser's, and compares the operators.
//!
//! Inputs: hand-written `.wat` modules covering many instruction groups, and
//! every module of the spec test suite (`common::testsuite`).

mod common;

use common::{Directive, suite_cases, wasmparser_features as wp_features};
use lading_parser as lading;
use wasmparser as wp;

/// The operator's variant name, from its `Debug` output.
fn variant(debug: &str) -> &str {
    let end = debug.find([' ', '(', '{']).unwrap_or(debug.len());
    &debug[..end]
}

/// `(align, offset, memory)` of a memarg in a wasmparser operator.
fn wp_memarg(op: &wp::Operator<'_>) -> Option<(u32, u64, u32)> {
    let debug = format!("{op:?}");
    if !debug.contains("memarg: MemArg") {
        return None;
    }
    let num = |key: &str| -> u64 {
        let at = debug.find(key).unwrap() + key.len();
        let rest = &debug[at..];
        let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap();
        rest[..end].parse().unwrap()
    };
    Some((
        num("align: ") as u32,
        num("offset: "),
        num("Memory(") as u32,
    ))
}

/// A comparable summary of a wasmparser operator: its variant name and its
/// key immediates.
fn wp_key(op: &wp::Operator<'_>) -> String {
    use wp::Operator as O;
    let debug = format!("{op:?}");
    let mut name = variant(&debug).to_string();
    if name == "TypedSelectMulti" {
        name = "TypedSelect".to_string();
    }
    let imm = match op {
        O::I32Const { value } => format!("{value}"),
        O::I64Const { value } => format!("{value}"),
        O::F32Const { value } => format!("{}", value.bits()),
        O::F64Const { value } => format!("{}", value.bits()),
        O::V128Const { value } => format!("{:?}", value.bytes()),
        O::I8x16Shuffle { lanes } => format!("{lanes:?}"),
        O::LocalGet { local_index } | O::LocalSet { local_index } | O::LocalTee { local_index } => {
            format!("{local_index}")
        }
        O::GlobalGet { global_index } | O::GlobalSet { global_index } => format!("{global_index}"),
        O::Call { function_index } | O::RefFunc { function_index } => format!("{function_index}"),
        O::CallIndirect {
            type_index,
            table_index,
        } => format!("{type_index} {table_index}"),
        O::Br { relative_depth } | O::BrIf { relative_depth } => format!("{relative_depth}"),
        O::BrTable { targets } => {
            let t: Vec<u32> = targets.targets().map(|t| t.unwrap()).collect();
            format!("{t:?} {}", targets.default())
        }
        O::Block { blockty } | O::Loop { blockty } | O::If { blockty } => wp_blockty(blockty),
        O::TryTable { try_table } => {
            format!("{} {}", wp_blockty(&try_table.ty), try_table.catches.len())
        }
        O::MemorySize { mem } | O::MemoryGrow { mem } => format!("{mem}"),
        O::BrOnCast {
            relative_depth,
            from_ref_type,
            to_ref_type,
        }
        | O::BrOnCastFail {
            relative_depth,
            from_ref_type,
            to_ref_type,
        } => format!(
            "{relative_depth} {} {}",
            from_ref_type.is_nullable(),
            to_ref_type.is_nullable()
        ),
        _ => match wp_memarg(op) {
            Some(m) => format!("{m:?}"),
            None => String::new(),
        },
    };
    format!("{name} {imm}")
}

fn wp_blockty(b: &wp::BlockType) -> String {
    match b {
        wp::BlockType::Empty => "empty".into(),
        wp::BlockType::Type(_) => "type".into(),
        wp::BlockType::FuncType(i) => format!("func {i}"),
    }
}

fn lading_blockty(b: &lading::BlockType) -> String {
    match b {
        lading::BlockType::Empty => "empty".into(),
        lading::BlockType::Type(_) => "type".into(),
        lading::BlockType::FuncType(i) => format!("func {i}"),
    }
}

/// The same summary for a lading operator.
fn lading_key(op: &lading::Operator<'_>) -> String {
    use lading::Operator as O;
    let debug = format!("{op:?}");
    let name = variant(&debug).to_string();
    let imm = match op {
        O::I32Const { value } => format!("{value}"),
        O::I64Const { value } => format!("{value}"),
        O::F32Const { value } => format!("{}", value.0),
        O::F64Const { value } => format!("{}", value.0),
        O::V128Const { value } => format!("{:?}", value.0),
        O::I8x16Shuffle { lanes } => format!("{lanes:?}"),
        O::LocalGet { local_index } | O::LocalSet { local_index } | O::LocalTee { local_index } => {
            format!("{local_index}")
        }
        O::GlobalGet { global_index } | O::GlobalSet { global_index } => format!("{global_index}"),
        O::Call { function_index } | O::RefFunc { function_index } => format!("{function_index}"),
        O::CallIndirect {
            type_index,
            table_index,
        } => format!("{type_index} {table_index}"),
        O::Br { relative_depth } | O::BrIf { relative_depth } => format!("{relative_depth}"),
        O::BrTable { targets } => {
            let t: Vec<u32> = targets.targets().map(|t| t.unwrap()).collect();
            format!("{t:?} {}", targets.default())
        }
        O::Block { blockty } | O::Loop { blockty } | O::If { blockty } => lading_blockty(blockty),
        O::TryTable { try_table } => format!(
            "{} {}",
            lading_blockty(&try_table.blockty),
            try_table.catch_count()
        ),
        O::MemorySize { memory } | O::MemoryGrow { memory } => format!("{memory}"),
        O::BrOnCast { cast } | O::BrOnCastFail { cast } => format!(
            "{} {} {}",
            cast.relative_depth, cast.from.nullable, cast.to.nullable
        ),
        _ => match memarg_of(&debug) {
            Some(m) => format!("{m:?}"),
            None => String::new(),
        },
    };
    format!("{name} {imm}")
}

/// `(align, offset, memory)` from a lading operator's `Debug` output.
fn memarg_of(debug: &str) -> Option<(u32, u64, u32)> {
    if !debug.contains("memarg: MemArg") {
        return None;
    }
    let num = |key: &str| -> u64 {
        let at = debug.find(key).unwrap() + key.len();
        let rest = &debug[at..];
        let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap();
        rest[..end].parse().unwrap()
    };
    Some((
        num("align: ") as u32,
        num("offset: "),
        num("memory: ") as u32,
    ))
}

#[derive(Default, Debug)]
struct Tally {
    bodies: usize,
    matched: usize,
    const_exprs: usize,
    const_matched: usize,
    operators: usize,
    mismatches: Vec<String>,
}

/// Decodes `ops` with wasmparser until its final `end`.
fn wp_keys(mut reader: wp::OperatorsReader<'_>) -> Result<Vec<String>, String> {
    let mut keys = Vec::new();
    while !reader.eof() {
        let op = reader.read().map_err(|e| e.to_string())?;
        keys.push(wp_key(&op));
    }
    Ok(keys)
}

fn lading_keys(reader: lading::OperatorsReader<'_>) -> Result<Vec<String>, String> {
    let mut keys = Vec::new();
    for op in reader {
        keys.push(lading_key(&op.map_err(|e| e.to_string())?));
    }
    Ok(keys)
}

fn compare(
    what: &str,
    tally: &mut Tally,
    ours: Result<Vec<String>, String>,
    theirs: Result<Vec<String>, String>,
) -> bool {
    match (ours, theirs) {
        (Ok(a), Ok(b)) if a == b => {
            tally.operators += a.len();
            true
        }
        (a, b) => {
            let first_diff = match (&a, &b) {
                (Ok(a), Ok(b)) => {
                    let i = a
                        .iter()
                        .zip(b)
                        .position(|(x, y)| x != y)
                        .unwrap_or(a.len().min(b.len()));
                    format!(
                        "len {} vs {}; at {i}: {:?} vs {:?}",
                        a.len(),
                        b.len(),
                        a.get(i),
                        b.get(i)
                    )
                }
                _ => format!("{:?} vs {:?}", a.as_ref().err(), b.as_ref().err()),
            };
            tally.mismatches.push(format!("{what}: {first_diff}"));
            false
        }
    }
}

/// Compares every function body and global initializer of `wasm`.
fn compare_module(name: &str, wasm: &[u8], tally: &mut Tally) {
    let mut parser = wp::Parser::new(0);
    parser.set_features(wp_features());
    let mut data_count = false;
    for payload in parser.parse_all(wasm) {
        let Ok(payload) = payload else { return };
        match payload {
            wp::Payload::DataCountSection { .. } => data_count = true,
            wp::Payload::CodeSectionEntry(body) => {
                tally.bodies += 1;
                let range = body.range();
                let range = range.start as usize..range.end as usize;
                let bytes = &wasm[range.clone()];
                let reader =
                    lading::Reader::new_in_section(bytes, range.start, lading::Features::default());
                let ours = lading::FunctionBody::new(reader)
                    .with_data_count(data_count)
                    .operators_reader()
                    .map_err(|e| e.to_string())
                    .and_then(lading_keys);
                let theirs = body
                    .get_operators_reader()
                    .map_err(|e| e.to_string())
                    .and_then(wp_keys);
                if compare(
                    &format!("{name} body at {}", range.start),
                    tally,
                    ours,
                    theirs,
                ) {
                    tally.matched += 1;
                }
            }
            wp::Payload::GlobalSection(globals) => {
                for global in globals {
                    let Ok(global) = global else { break };
                    tally.const_exprs += 1;
                    let br = global.init_expr.get_binary_reader();
                    let start = br.original_position() as usize;
                    // Decode from the expression's start over the rest of the
                    // module: ours must stop after the final `end`.
                    let mut reader = lading::Reader::new_in_section(
                        &wasm[start..],
                        start,
                        lading::Features::default(),
                    );
                    let ours = <lading::ConstExpr as lading::FromReader>::from_reader(&mut reader)
                        .map_err(|e| e.to_string());
                    let len = br.bytes_remaining();
                    let ours = ours.and_then(|expr| {
                        assert_eq!(expr.range(), start..start + len, "{name}");
                        assert_eq!(reader.offset(), start + len);
                        lading_keys(expr.operators_reader())
                    });
                    let theirs = wp_keys(global.init_expr.get_operators_reader());
                    if compare(&format!("{name} global at {start}"), tally, ours, theirs) {
                        tally.const_matched += 1;
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn spec_testsuite_matches_wasmparser() {
    let Some(cases) = suite_cases() else { return };
    let mut tally = Tally::default();
    let mut modules = 0;
    for case in cases {
        let kept = matches!(
            case.directive,
            Directive::Module | Directive::Invalid | Directive::Unlinkable
        );
        if let (true, Ok(wasm)) = (kept, &case.bytes) {
            modules += 1;
            compare_module(&case.location, wasm, &mut tally);
        }
    }
    eprintln!(
        "{modules} modules; bodies: {}/{} matched; const exprs: {}/{} matched; {} operators",
        tally.matched, tally.bodies, tally.const_matched, tally.const_exprs, tally.operators
    );
    for m in tally.mismatches.iter().take(40) {
        eprintln!("MISMATCH {m}");
    }
    assert!(
        tally.mismatches.is_empty(),
        "{} mismatches",
        tally.mismatches.len()
    );
    assert!(tally.bodies > 1000);
}

/// Encodes `wat` and compares every body.
fn check_wat(wat: &str) -> Tally {
    let buf = wast::parser::ParseBuffer::new(wat).unwrap();
    let mut module = wast::parser::parse::<wast::Wat>(&buf).unwrap();
    let wasm = module.encode().unwrap();
    let mut tally = Tally::default();
    compare_module("inline", &wasm, &mut tally);
    assert!(tally.mismatches.is_empty(), "{:#?}", tally.mismatches);
    tally
}

#[test]
fn hand_written_modules_match_wasmparser() {
    let t = check_wat(
        r#"(module
          (type $t (func (param i32) (result i32)))
          (type $s (struct (field (mut i32)) (field i8)))
          (type $a (array (mut i8)))
          (memory $m0 1 2 shared)
          (memory $m1 i64 1)
          (table 2 funcref)
          (tag $e (param i32))
          (global $g (mut i32) (i32.add (i32.const 1) (i32.const 2)))
          (data $d "abc")
          (elem $el func $f)
          (func $f (type $t)
            (block $b (result i32)
              (loop $l (param i32) (result i32)
                (if (param i32) (result i32) (local.get 0)
                  (then (br_table 0 1 2 (i32.const 3)))
                  (else (br_if $l (i32.const 4)) (drop))))
              (drop) (i32.const 0))
            (drop)
            (try_table (result i32) (catch $e 0) (catch_all 0) (i32.const 9))
            (drop)
            (try_table (catch_ref $e 0) (catch_all_ref 0)) unreachable)
          (func $mem (param i64) (result i32)
            (i32.load offset=8 align=2 (i32.const 0))
            (i64.load $m1 offset=0x1_0000_0000 (local.get 0))
            (drop) (drop)
            (memory.size $m1) (drop)
            (memory.grow (i32.const 1)) (drop)
            (memory.copy $m1 $m1 (i64.const 0) (i64.const 0) (i64.const 0))
            (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
            (data.drop $d)
            (memory.atomic.notify offset=4 (i32.const 0) (i32.const 1)) (drop)
            (i64.atomic.rmw.cmpxchg (i32.const 0) (i64.const 0) (i64.const 1)) (drop)
            atomic.fence
            (i32.const 0))
          (func $simd (result v128)
            (v128.const i32x4 1 2 3 4)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (v128.const i64x2 0 0))
            (i8x16.extract_lane_s 3) (i8x16.splat)
            (v128.load8_lane offset=2 7 (i32.const 0))
            (i32x4.relaxed_trunc_f32x4_s)
            (f32x4.relaxed_madd (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0))
            (drop))
          (func $gc (param anyref) (result i32)
            (struct.new $s (i32.const 1) (i32.const 2))
            (struct.get_s $s 1) (drop)
            (array.new_fixed $a 2 (i32.const 1) (i32.const 2)) (drop)
            (block $x (result anyref)
              (br_on_cast $x anyref (ref null i31) (local.get 0)) (drop)
              (br_on_cast_fail $x anyref (ref i31) (local.get 0)))
            (ref.test (ref $s)) (drop)
            (ref.cast (ref null any) (local.get 0)) (drop)
            (ref.i31 (i32.const 5)) (i31.get_u))
          (func $misc (param f32 i64) (result i64)
            (i32.trunc_sat_f32_s (local.get 0)) (drop)
            (i64.add128 (local.get 1) (local.get 1) (local.get 1) (local.get 1)) (drop)
            (i64.mul_wide_s (local.get 1) (local.get 1)) (drop)
            (i32.extend8_s (i32.const 1)) (drop)
            (table.size 0) (drop)
            (select (result i64) (local.get 1) (local.get 1) (i32.const 0))
            (return_call $misc (local.get 0)))
          (func $legacy
            try
              i32.const 1
              throw $e
            catch $e
              drop
            catch_all
              rethrow 0
            end
            try
              nop
            delegate 0)
        )"#,
    );
    assert_eq!(t.matched, t.bodies);
    assert_eq!(t.bodies, 6);
    assert_eq!(t.const_matched, 1);
}

/// Every opcode of every prefix, followed by zero bytes (valid immediates
/// for every instruction): both decoders must agree on which opcodes exist,
/// on the operator and on its length. wasmparser also knows proposals this
/// crate does not decode (stack switching, shared-everything threads,
/// custom descriptors, memory control); those must be illegal here.
#[test]
fn every_opcode_matches_wasmparser() {
    let out_of_scope = [
        "ArrayAtomicGet",
        "ArrayAtomicGetS",
        "ArrayAtomicGetU",
        "ArrayAtomicRmwAdd",
        "ArrayAtomicRmwAnd",
        "ArrayAtomicRmwCmpxchg",
        "ArrayAtomicRmwOr",
        "ArrayAtomicRmwSub",
        "ArrayAtomicRmwXchg",
        "ArrayAtomicRmwXor",
        "ArrayAtomicSet",
        "ContBind",
        "ContNew",
        "GlobalAtomicGet",
        "GlobalAtomicRmwAdd",
        "GlobalAtomicRmwAnd",
        "GlobalAtomicRmwCmpxchg",
        "GlobalAtomicRmwOr",
        "GlobalAtomicRmwSub",
        "GlobalAtomicRmwXchg",
        "GlobalAtomicRmwXor",
        "GlobalAtomicSet",
        "MemoryDiscard",
        "Pause",
        "RefCastDescEqNonNull",
        "RefCastDescEqNullable",
        "RefGetDesc",
        "RefI31Shared",
        "Resume",
        "ResumeThrow",
        "ResumeThrowRef",
        "StructAtomicGet",
        "StructAtomicGetS",
        "StructAtomicGetU",
        "StructAtomicRmwAdd",
        "StructAtomicRmwAnd",
        "StructAtomicRmwCmpxchg",
        "StructAtomicRmwOr",
        "StructAtomicRmwSub",
        "StructAtomicRmwXchg",
        "StructAtomicRmwXor",
        "StructAtomicSet",
        "StructNewDefaultDesc",
        "StructNewDesc",
        "Suspend",
        "Switch",
        "TableAtomicGet",
        "TableAtomicRmwCmpxchg",
        "TableAtomicRmwXchg",
        "TableAtomicSet",
        "BrOnCastDescEq",
        "BrOnCastDescEqFail",
    ];
    let mut decoded = 0;
    let mut names = std::collections::BTreeSet::new();
    for prefix in [None, Some(0xfbu8), Some(0xfc), Some(0xfd), Some(0xfe)] {
        let codes = match prefix {
            None => 0u32..0x100,
            Some(_) => 0..0x200,
        };
        for code in codes {
            if prefix.is_none() && (0xfb..=0xfe).contains(&code) {
                continue;
            }
            let mut bytes = Vec::new();
            match prefix {
                None => bytes.push(code as u8),
                Some(p) => {
                    bytes.push(p);
                    leb128::write::unsigned(&mut bytes, u64::from(code)).unwrap();
                }
            }
            bytes.extend([0u8; 40]);
            let theirs = {
                let br = wp::BinaryReader::new_features(&bytes, 0, wp_features());
                let mut ops = wp::OperatorsReader::new(br);
                ops.read()
                    .map(|op| (wp_key(&op), ops.original_position() as usize))
            };
            let mut reader = lading::Reader::new_in_section(&bytes, 0, lading::Features::default());
            let ours =
                <lading::Operator as lading::FromReader>::from_reader(&mut reader).map(|op| {
                    names.insert(op.name());
                    (lading_key(&op), reader.offset())
                });
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "prefix {prefix:x?} code {code:#x}");
                    decoded += 1;
                }
                (Err(e), Ok(b)) => {
                    let name = variant(&b.0);
                    assert!(
                        out_of_scope.contains(&name),
                        "prefix {prefix:x?} code {code:#x}: we fail ({e}), wasmparser reads {b:?}"
                    );
                    assert!(matches!(e.kind(), lading::ErrorKind::IllegalOpcode { .. }));
                }
                // wasmparser's reader tracks frames too: these need an
                // enclosing `if` or `try` there.
                (Ok(_), Err(_)) if prefix.is_none() && [0x05, 0x07, 0x18, 0x19].contains(&code) => {
                    decoded += 1;
                }
                (Ok(a), Err(e)) => {
                    panic!(
                        "prefix {prefix:x?} code {code:#x}: we read {a:?}, wasmparser fails: {e}"
                    )
                }
                (Err(_), Err(_)) => {}
            }
        }
    }
    // Every row of the instruction table decodes (575 instructions), and
    // only `select`, `ref.test` and `ref.cast` share a mnemonic.
    assert_eq!(decoded, 575);
    assert_eq!(names.len(), 575 - 3);
}
