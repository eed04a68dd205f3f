//! lading-parser's whole-module check against wasmparser decoding the same
//! module (every section item read, every operator of every body pulled),
//! side by side in one criterion run, throughput in bytes.
//!
//! Inputs: every module of the corpus (`LADING_CORPUS`, default
//! `target/corpus`) plus synthetic modules built at start with
//! `wasm-encoder`, so the bench also runs without the corpus.

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lading_parser::{Features, check_module};
use wasm_encoder::{
    CodeSection, ExportKind, ExportSection, Function, FunctionSection, Instruction, MemArg,
    MemArgTarget, MemorySection, MemoryType, Module, TypeSection, ValType,
};

/// Reads every section item and every operator with wasmparser; returns
/// the operator count.
fn wasmparser_decode(bytes: &[u8]) -> u64 {
    let mut parser = wasmparser::Parser::new(0);
    parser.set_features(wasmparser::WasmFeatures::all());
    let mut n = 0u64;
    for payload in parser.parse_all(bytes) {
        use wasmparser::Payload::*;
        match payload.expect("wasmparser decodes the bench input") {
            TypeSection(s) => s.into_iter().for_each(|x| {
                x.unwrap();
            }),
            ImportSection(s) => s.into_iter().for_each(|x| {
                x.unwrap();
            }),
            FunctionSection(s) => s.into_iter().for_each(|x| {
                x.unwrap();
            }),
            TableSection(s) => s.into_iter().for_each(|x| {
                x.unwrap();
            }),
            MemorySection(s) => s.into_iter().for_each(|x| {
                x.unwrap();
            }),
            GlobalSection(s) => s.into_iter().for_each(|x| {
                x.unwrap();
            }),
            ExportSection(s) => s.into_iter().for_each(|x| {
                x.unwrap();
            }),
            ElementSection(s) => s.into_iter().for_each(|x| {
                x.unwrap();
            }),
            DataSection(s) => s.into_iter().for_each(|x| {
                x.unwrap();
            }),
            CodeSectionEntry(body) => {
                let mut locals = body.get_locals_reader().unwrap();
                for _ in 0..locals.get_count() {
                    locals.read().unwrap();
                }
                let mut ops = body.get_operators_reader().unwrap();
                while !ops.eof() {
                    ops.read().unwrap();
                    n += 1;
                }
            }
            _ => {}
        }
    }
    n
}

/// 20,000 small functions doing arithmetic and memory traffic.
fn synthetic_functions() -> Vec<u8> {
    let mut module = Module::new();
    let mut types = TypeSection::new();
    types
        .ty()
        .function([ValType::I32, ValType::I32], [ValType::I32]);
    module.section(&types);
    let mut funcs = FunctionSection::new();
    let mut code = CodeSection::new();
    let mem = MemArg {
        offset: 8,
        align: 2,
        target: MemArgTarget::Memory(0),
        ordering: None,
    };
    for i in 0..20_000u32 {
        funcs.function(0);
        let mut f = Function::new([(2, ValType::I32)]);
        for k in 0..8 {
            f.instruction(&Instruction::LocalGet(0))
                .instruction(&Instruction::LocalGet(1))
                .instruction(&Instruction::I32Add)
                .instruction(&Instruction::I32Const((i * 31 + k) as i32))
                .instruction(&Instruction::I32Mul)
                .instruction(&Instruction::LocalTee(2))
                .instruction(&Instruction::I32Load(mem))
                .instruction(&Instruction::LocalGet(2))
                .instruction(&Instruction::I32Store(mem));
        }
        f.instruction(&Instruction::LocalGet(2))
            .instruction(&Instruction::End);
        code.function(&f);
    }
    module.section(&funcs);
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 1,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    module.section(&memories);
    let mut exports = ExportSection::new();
    exports.export("f0", ExportKind::Func, 0);
    module.section(&exports);
    module.section(&code);
    module.finish()
}

fn inputs() -> Vec<(String, Vec<u8>)> {
    let mut out = vec![("synthetic-20k-functions".to_string(), synthetic_functions())];
    let dir = std::env::var_os("LADING_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/corpus")));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
                .collect()
        })
        .unwrap_or_default();
    if files.is_empty() {
        eprintln!(
            "corpus not found at {}: synthetic inputs only",
            dir.display()
        );
    }
    files.sort();
    for path in files {
        let bytes = std::fs::read(&path).expect("readable corpus module");
        // Tiny modules measure overhead, not throughput.
        if bytes.len() >= 64 * 1024 {
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            out.push((name, bytes));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    for (name, bytes) in inputs() {
        let mut group = c.benchmark_group(&name);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.sample_size(10);
        group.bench_with_input(BenchmarkId::new("lading", "check"), &bytes, |b, bytes| {
            b.iter(|| {
                check_module(bytes, Features::default()).expect("lading decodes the bench input")
            })
        });
        group.bench_with_input(
            BenchmarkId::new("wasmparser", "decode"),
            &bytes,
            |b, bytes| b.iter(|| wasmparser_decode(bytes)),
        );
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
