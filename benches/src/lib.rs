//! Inputs and workloads shared by the benchmarks (`benches/benches/load.rs`)
//! and the profiling driver (`benches/examples/profile.rs`).
//!
//! Inputs are every module of the corpus (`LADING_CORPUS`, default
//! `target/corpus`) plus synthetic modules built with `wasm-encoder`, so the
//! benchmarks also run on a machine without the corpus.

use std::path::PathBuf;

use wasm_encoder::{
    BlockType, CodeSection, CompositeInnerType, CompositeType, ConstExpr, CustomSection,
    DataSection, ExportKind, ExportSection, FieldType, FuncType, Function, FunctionSection,
    Instruction, MemArg, MemArgTarget, MemorySection, MemoryType, Module, StorageType, StructType,
    SubType, TypeSection, ValType,
};

/// One benchmark input: a name, its bytes, and the file holding them.
pub struct Input {
    /// The module's name (the corpus file's stem, or `synthetic-...`).
    pub name: String,
    /// The module's bytes.
    pub bytes: Vec<u8>,
    /// A file with the same bytes, for the file-loading benchmarks.
    pub path: PathBuf,
}

/// The corpus directory: `LADING_CORPUS`, else `target/corpus` of the
/// workspace.
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("LADING_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/corpus")))
}

/// Every `.wasm` file of the corpus of at least `min_size` bytes, sorted by
/// name; empty (with a note on stderr) when there is no corpus.
pub fn corpus(min_size: usize) -> Vec<Input> {
    let dir = corpus_dir();
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
    let mut out = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).expect("readable corpus module");
        if bytes.len() < min_size {
            continue;
        }
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        out.push(Input { name, bytes, path });
    }
    out
}

/// The synthetic modules, written to files in a fresh directory under the
/// system's temporary directory.
pub fn synthetic() -> Vec<Input> {
    let dir = std::env::temp_dir().join(format!("lading-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory for synthetic modules");
    let modules = [
        ("synthetic-100k-tiny-functions", tiny_functions()),
        ("synthetic-5mb-function", one_big_function()),
        ("synthetic-simd", simd_heavy()),
        ("synthetic-100k-types-rec-groups", many_types()),
        ("synthetic-50mb-data", big_data()),
        ("synthetic-1000-custom-sections", custom_sections()),
    ];
    modules
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.join(format!("{name}.wasm"));
            std::fs::write(&path, &bytes).expect("writable temporary file");
            Input {
                name: name.to_string(),
                bytes,
                path,
            }
        })
        .collect()
}

/// A memory argument for memory 0.
fn mem(offset: u64, align: u32) -> MemArg {
    MemArg {
        offset,
        align,
        target: MemArgTarget::Memory(0),
        ordering: None,
    }
}

/// A module with one memory, one type `(i32, i32) -> i32`, the given
/// bodies (all of that type) and an export of function 0.
fn module_with_bodies(bodies: impl Iterator<Item = Function>) -> Vec<u8> {
    let mut module = Module::new();
    let mut types = TypeSection::new();
    types
        .ty()
        .function([ValType::I32, ValType::I32], [ValType::I32]);
    module.section(&types);
    let mut funcs = FunctionSection::new();
    let mut code = CodeSection::new();
    for f in bodies {
        funcs.function(0);
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

/// 100,000 tiny functions: per-body overhead.
pub fn tiny_functions() -> Vec<u8> {
    module_with_bodies((0..100_000u32).map(|i| {
        let mut f = Function::new([]);
        f.instruction(&Instruction::LocalGet(0))
            .instruction(&Instruction::I32Const((i % 1000) as i32))
            .instruction(&Instruction::I32Add)
            .instruction(&Instruction::End);
        f
    }))
}

/// One function of about 5 MB: arithmetic, memory traffic, blocks, branches
/// and calls, as compiled code has them.
pub fn one_big_function() -> Vec<u8> {
    let mut f = Function::new([(4, ValType::I32), (2, ValType::I64)]);
    let mut i = 0u32;
    while f.byte_len() < 5 << 20 {
        f.instruction(&Instruction::Block(BlockType::Empty))
            .instruction(&Instruction::LocalGet(0))
            .instruction(&Instruction::I32Load(mem(u64::from(i % 4096), 2)))
            .instruction(&Instruction::LocalTee(2))
            .instruction(&Instruction::I32Const((i * 7919) as i32))
            .instruction(&Instruction::I32Add)
            .instruction(&Instruction::LocalSet(3))
            .instruction(&Instruction::LocalGet(3))
            .instruction(&Instruction::BrIf(0))
            .instruction(&Instruction::LocalGet(1))
            .instruction(&Instruction::I64ExtendI32U)
            .instruction(&Instruction::I64Const(i64::from(i) << 20))
            .instruction(&Instruction::I64Mul)
            .instruction(&Instruction::LocalSet(6))
            .instruction(&Instruction::LocalGet(0))
            .instruction(&Instruction::LocalGet(2))
            .instruction(&Instruction::I32Store(mem(16, 2)))
            .instruction(&Instruction::LocalGet(2))
            .instruction(&Instruction::LocalGet(3))
            .instruction(&Instruction::Call(0))
            .instruction(&Instruction::Drop)
            .instruction(&Instruction::End);
        i += 1;
    }
    f.instruction(&Instruction::LocalGet(3))
        .instruction(&Instruction::End);
    module_with_bodies(std::iter::once(f))
}

/// 2,000 functions of SIMD code: loads, stores, constants, shuffles, lane
/// operations and arithmetic.
pub fn simd_heavy() -> Vec<u8> {
    module_with_bodies((0..2_000u32).map(|i| {
        let mut f = Function::new([(4, ValType::V128)]);
        for k in 0..40u32 {
            let n = i.wrapping_mul(40).wrapping_add(k);
            f.instruction(&Instruction::LocalGet(0))
                .instruction(&Instruction::V128Load(mem(u64::from(n % 512) * 16, 4)))
                .instruction(&Instruction::V128Const(i128::from(n) * 0x0101_0101))
                .instruction(&Instruction::I32x4Add)
                .instruction(&Instruction::LocalTee(2))
                .instruction(&Instruction::LocalGet(2))
                .instruction(&Instruction::I8x16Shuffle([
                    0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31,
                ]))
                .instruction(&Instruction::LocalGet(3))
                .instruction(&Instruction::F32x4Mul)
                .instruction(&Instruction::LocalGet(2))
                .instruction(&Instruction::I8x16Swizzle)
                .instruction(&Instruction::LocalSet(3))
                .instruction(&Instruction::LocalGet(0))
                .instruction(&Instruction::LocalGet(3))
                .instruction(&Instruction::V128Store(mem(32, 4)))
                .instruction(&Instruction::LocalGet(3))
                .instruction(&Instruction::I32x4ExtractLane((k % 4) as u8))
                .instruction(&Instruction::Drop);
        }
        f.instruction(&Instruction::LocalGet(1))
            .instruction(&Instruction::End);
        f
    }))
}

/// 100,000 GC types in rec groups of four: three structs referring to each
/// other and a function type.
pub fn many_types() -> Vec<u8> {
    let mut types = TypeSection::new();
    for g in 0..25_000u32 {
        let base = g * 4;
        let sub = |inner| SubType {
            is_final: true,
            supertype_idxs: Vec::new(),
            composite_type: CompositeType {
                inner,
                shared: false,
                descriptor: None,
                describes: None,
            },
        };
        let field = |element_type| FieldType {
            element_type,
            mutable: true,
        };
        let reference = |index: u32| {
            StorageType::Val(ValType::Ref(wasm_encoder::RefType {
                nullable: true,
                heap_type: wasm_encoder::HeapType::Concrete(index),
            }))
        };
        let group = [
            sub(CompositeInnerType::Struct(StructType {
                fields: Box::new([
                    field(StorageType::I8),
                    field(StorageType::Val(ValType::I64)),
                    field(reference(base + 1)),
                ]),
            })),
            sub(CompositeInnerType::Struct(StructType {
                fields: Box::new([field(reference(base)), field(StorageType::I16)]),
            })),
            sub(CompositeInnerType::Struct(StructType {
                fields: Box::new([field(StorageType::Val(ValType::F64)); 4]),
            })),
            sub(CompositeInnerType::Func(FuncType::new(
                [ValType::I32, ValType::Ref(wasm_encoder::RefType::ANYREF)],
                [ValType::I64],
            ))),
        ];
        types.ty().rec(group);
    }
    let mut module = Module::new();
    module.section(&types);
    module.finish()
}

/// 50 MB of active data segments of 64 KiB each.
pub fn big_data() -> Vec<u8> {
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 1024,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut data = DataSection::new();
    let chunk: Vec<u8> = (0..65_536u32).map(|i| (i * 31 % 251) as u8).collect();
    for k in 0..800u32 {
        data.active(
            0,
            &ConstExpr::i32_const((k * 65_536) as i32),
            chunk.iter().copied(),
        );
    }
    let mut module = Module::new();
    module.section(&memories);
    module.section(&data);
    module.finish()
}

/// 1,000 custom sections of 1 KiB each.
pub fn custom_sections() -> Vec<u8> {
    let mut module = Module::new();
    let payload: Vec<u8> = (0..1024u32).map(|i| (i % 256) as u8).collect();
    for k in 0..1000 {
        module.section(&CustomSection {
            name: format!("custom-{k}").into(),
            data: payload.as_slice().into(),
        });
    }
    module.finish()
}

/// The proposals wasmparser decodes with: all of them.
fn wasmparser_features() -> wasmparser::WasmFeatures {
    wasmparser::WasmFeatures::all()
}

/// wasmparser doing the work of lading's load: every section item read and
/// every operator of every body pulled from `OperatorsReader`; returns the
/// operator count.
pub fn wasmparser_decode(bytes: &[u8]) -> u64 {
    let mut parser = wasmparser::Parser::new(0);
    parser.set_features(wasmparser_features());
    let mut n = 0u64;
    fn all<'a, T: wasmparser::FromReader<'a>>(s: wasmparser::SectionLimited<'a, T>) {
        for item in s {
            item.expect("wasmparser decodes the bench input");
        }
    }
    for payload in parser.parse_all(bytes) {
        use wasmparser::Payload::*;
        match payload.expect("wasmparser decodes the bench input") {
            TypeSection(s) => all(s),
            ImportSection(s) => all(s),
            FunctionSection(s) => all(s),
            TableSection(s) => all(s),
            MemorySection(s) => all(s),
            TagSection(s) => all(s),
            GlobalSection(s) => all(s),
            ExportSection(s) => all(s),
            ElementSection(s) => {
                for e in s {
                    let e = e.expect("wasmparser decodes the bench input");
                    match e.items {
                        wasmparser::ElementItems::Functions(f) => all(f),
                        wasmparser::ElementItems::Expressions(_, x) => all(x),
                    }
                }
            }
            DataSection(s) => all(s),
            CodeSectionEntry(body) => {
                let mut locals = body.get_locals_reader().expect("locals");
                for _ in 0..locals.get_count() {
                    locals.read().expect("local");
                }
                let mut ops = body.get_operators_reader().expect("operators");
                while !ops.eof() {
                    ops.read().expect("operator");
                    n += 1;
                }
            }
            _ => {}
        }
    }
    n
}

/// wasmparser's validator over the whole module, for reference.
pub fn wasmparser_validate(bytes: &[u8]) {
    wasmparser::Validator::new_with_features(wasmparser_features())
        .validate_all(bytes)
        .expect("wasmparser validates the bench input");
}

/// The function bodies of a module, as wasmparser finds them.
pub fn wasmparser_bodies(bytes: &[u8]) -> Vec<wasmparser::FunctionBody<'_>> {
    let mut parser = wasmparser::Parser::new(0);
    parser.set_features(wasmparser_features());
    parser
        .parse_all(bytes)
        .filter_map(|p| match p.expect("wasmparser decodes the bench input") {
            wasmparser::Payload::CodeSectionEntry(body) => Some(body),
            _ => None,
        })
        .collect()
}

/// Pulls every operator of every body from wasmparser's `OperatorsReader`;
/// returns the count.
pub fn wasmparser_operators(bodies: &[wasmparser::FunctionBody<'_>]) -> u64 {
    let mut n = 0;
    for body in bodies {
        let mut ops = body.get_operators_reader().expect("operators");
        while !ops.eof() {
            std::hint::black_box(ops.read().expect("operator"));
            n += 1;
        }
    }
    n
}

/// Pulls every operator of every body of a loaded module from lading's
/// `OperatorsReader`; returns the count.
pub fn lading_operators(module: &lading::Module) -> u64 {
    let mut n = 0;
    for f in module.functions() {
        for op in f.operators().expect("operators") {
            std::hint::black_box(op.expect("operator"));
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_modules_are_valid_and_load() {
        for input in super::synthetic() {
            super::wasmparser_validate(&input.bytes);
            let module = lading::load(input.bytes).expect("lading loads it");
            assert_eq!(
                super::lading_operators(&module),
                module.instruction_count(),
                "{}",
                input.name
            );
            std::fs::remove_file(&input.path).expect("removable");
            if let Some(dir) = input.path.parent() {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}
