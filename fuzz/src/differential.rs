//! The `differential` target: lading against wasmparser 0.263.
//!
//! - `wasm-smith` modules, with every proposal lading decodes: lading
//!   accepts them, and its counts (`check_module`'s `ModuleSummary`) equal
//!   wasmparser's.
//! - Arbitrary bytes: lading and wasmparser agree on whether the module
//!   *decodes* (wasmparser's parser and readers, every item and operator
//!   read, no validator), but for the known differences below.
//!
//! # Known, spec-justified differences (bytes lading rejects, wasmparser's
//! # parser accepts)
//!
//! wasmparser leaves these checks to its validator; the binary format makes
//! them decoding errors, and the reference interpreter's decoder (whose
//! messages the spec test suite expects) reports them while decoding:
//!
//! 1. Section order and duplicate sections: the reference interpreter
//!    reports a section out of order as `unexpected content after last
//!    section` (binary/modules.rst, "Modules": the sections occur in a fixed
//!    order, each at most once).
//! 2. Function and code section counts that differ: `function and code
//!    section have inconsistent lengths` (binary/modules.rst, "Modules":
//!    the lengths of the two vectors must be equal).
//! 3. A data count section whose count differs from the data section's, or
//!    a `memory.init`/`data.drop` without a data count section: `data count
//!    and data section have inconsistent lengths`, `data count section
//!    required` (binary/modules.rst, "Data Count Section").
//! 4. A function body whose total locals exceed 2^32 - 1: `too many locals`
//!    (binary/modules.rst, "Code Section": the total must be below 2^32).
//!
//! 5. Anything else wasmparser's parser leaves to its validator (unknown
//!    section ids, encodings of proposals outside its features, ...): when
//!    lading rejects and wasmparser's parser accepts, wasmparser's
//!    validator must reject too. So lading never rejects a module that
//!    wasmparser finds valid, and never accepts one wasmparser's parser
//!    rejects.
//!
//! Differences 1 to 4 are recognized by lading's error kind; any other
//! disagreement is a finding.

use arbitrary::Unstructured;
use lading_parser::{ErrorKind, Features, ModuleSummary, check_module};
use wasmparser::{Parser, Payload, WasmFeatures};

/// The proposals lading decodes, as wasmparser features.
fn wasmparser_features() -> WasmFeatures {
    WasmFeatures::WASM3
        | WasmFeatures::LEGACY_EXCEPTIONS
        | WasmFeatures::WIDE_ARITHMETIC
        | WasmFeatures::CUSTOM_PAGE_SIZES
}

/// A wasm-smith configuration with every proposal lading decodes on.
fn smith_config(u: &mut Unstructured<'_>) -> arbitrary::Result<wasm_smith::Config> {
    let mut config: wasm_smith::Config = u.arbitrary()?;
    config.bulk_memory_enabled = true;
    config.exceptions_enabled = true;
    config.gc_enabled = true;
    config.custom_page_sizes_enabled = true;
    config.memory64_enabled = true;
    config.multi_value_enabled = true;
    config.reference_types_enabled = true;
    config.relaxed_simd_enabled = true;
    config.saturating_float_to_int_enabled = true;
    config.sign_extension_ops_enabled = true;
    config.simd_enabled = true;
    config.tail_call_enabled = true;
    config.threads_enabled = true;
    config.wide_arithmetic_enabled = true;
    config.extended_const_enabled = true;
    config.max_memories = config.max_memories.max(2);
    // Proposals lading does not decode.
    config.compact_imports_enabled = false;
    config.custom_descriptors_enabled = false;
    config.shared_everything_threads_enabled = false;
    config.available_imports = None;
    config.exports = None;
    config.module_shape = None;
    Ok(config)
}

/// The counts wasmparser reports, in the shape of lading's summary.
#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    types: u32,
    imports: u32,
    functions: u32,
    tables: u32,
    memories: u32,
    tags: u32,
    globals: u32,
    exports: u32,
    start: Option<u32>,
    elements: u32,
    data_count: Option<u32>,
    data: u32,
    code: u32,
    custom_sections: u32,
    instructions: u64,
    /// wasmparser met a section id past 13 (a rejection, see `theirs`).
    unknown_section: bool,
}

fn ours(s: &ModuleSummary) -> Counts {
    Counts {
        types: s.types,
        imports: s.imports,
        functions: s.functions,
        tables: s.tables,
        memories: s.memories,
        tags: s.tags,
        globals: s.globals,
        exports: s.exports,
        start: s.start,
        elements: s.elements,
        data_count: s.data_count,
        data: s.data,
        code: s.code,
        custom_sections: s.custom_sections,
        instructions: s.instructions,
        unknown_section: false,
    }
}

/// Reads a constant expression's operators to its end.
fn const_expr(expr: &wasmparser::ConstExpr<'_>) -> wasmparser::Result<()> {
    let mut ops = expr.get_operators_reader();
    while !ops.eof() {
        ops.read()?;
    }
    ops.finish()
}

/// Decodes the whole module with wasmparser, every item and operator, and
/// counts as lading does.
fn theirs(bytes: &[u8]) -> wasmparser::Result<Counts> {
    let mut parser = Parser::new(0);
    parser.set_features(wasmparser_features());
    let mut c = Counts::default();
    for payload in parser.parse_all(bytes) {
        match payload? {
            Payload::TypeSection(s) => {
                c.types = s.count();
                for group in s {
                    group?;
                }
            }
            Payload::ImportSection(s) => {
                c.imports = s.count();
                for import in s {
                    import?;
                }
            }
            Payload::FunctionSection(s) => {
                c.functions = s.count();
                for f in s {
                    f?;
                }
            }
            Payload::TableSection(s) => {
                c.tables = s.count();
                for table in s {
                    if let wasmparser::TableInit::Expr(e) = table?.init {
                        const_expr(&e)?;
                    }
                }
            }
            Payload::MemorySection(s) => {
                c.memories = s.count();
                for m in s {
                    m?;
                }
            }
            Payload::TagSection(s) => {
                c.tags = s.count();
                for t in s {
                    t?;
                }
            }
            Payload::GlobalSection(s) => {
                c.globals = s.count();
                for g in s {
                    const_expr(&g?.init_expr)?;
                }
            }
            Payload::ExportSection(s) => {
                c.exports = s.count();
                for e in s {
                    e?;
                }
            }
            Payload::StartSection { func, .. } => c.start = Some(func),
            Payload::ElementSection(s) => {
                c.elements = s.count();
                for element in s {
                    let element = element?;
                    if let wasmparser::ElementKind::Active { offset_expr, .. } = &element.kind {
                        const_expr(offset_expr)?;
                    }
                    match element.items {
                        wasmparser::ElementItems::Functions(r) => {
                            for f in r {
                                f?;
                            }
                        }
                        wasmparser::ElementItems::Expressions(_, r) => {
                            for e in r {
                                const_expr(&e?)?;
                            }
                        }
                    }
                }
            }
            Payload::DataCountSection { count, .. } => c.data_count = Some(count),
            Payload::DataSection(s) => {
                c.data = s.count();
                for data in s {
                    if let wasmparser::DataKind::Active { offset_expr, .. } = data?.kind {
                        const_expr(&offset_expr)?;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                c.code += 1;
                for local in body.get_locals_reader()? {
                    local?;
                }
                let mut ops = body.get_operators_reader()?;
                while !ops.eof() {
                    ops.read()?;
                    c.instructions += 1;
                }
                ops.finish()?;
            }
            Payload::CustomSection(_) => c.custom_sections += 1,
            // wasmparser's parser hands an unknown section id on (its
            // validator rejects it); the binary format has ids 0 to 13 only
            // (binary/modules.rst, "Sections"; the reference interpreter:
            // `malformed section id`), so it is a rejection here.
            Payload::UnknownSection { .. } => {
                c.unknown_section = true;
                return Ok(c);
            }
            _ => {}
        }
    }
    Ok(c)
}

/// A wasm-smith module from `data`: lading decodes it, with wasmparser's
/// counts.
pub fn check_smith_counts(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(config) = smith_config(&mut u) else {
        return;
    };
    let Ok(module) = wasm_smith::Module::new(config, &mut u) else {
        return;
    };
    let bytes = module.to_bytes();
    let summary = match check_module(&bytes, Features::default()) {
        Ok(summary) => summary,
        Err(e) => panic!("lading rejects a wasm-smith module: {e:?} ({e})"),
    };
    let theirs = theirs(&bytes).expect("wasmparser decodes what it generated");
    assert_eq!(ours(&summary), theirs, "counts differ");
}

/// Whether lading's error is one of the known, spec-justified differences
/// (see the module docs).
fn known_difference(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::UnexpectedContentAfterLastSection
            | ErrorKind::FunctionAndCodeInconsistentLengths
            | ErrorKind::DataCountAndDataInconsistentLengths
            | ErrorKind::DataCountSectionRequired
            | ErrorKind::TooManyLocals
    )
}

/// Arbitrary bytes: lading and wasmparser agree on whether they decode.
pub fn check_bytes_agree(data: &[u8]) {
    let lading = check_module(data, Features::default());
    let wasmparser = theirs(data);
    match (lading, wasmparser) {
        (Ok(summary), Ok(counts)) => assert_eq!(ours(&summary), counts, "counts differ"),
        (Err(_), Err(_)) => {}
        (Err(_), Ok(counts)) if counts.unknown_section => {}
        (Err(e), Ok(_)) if known_difference(e.kind()) => {}
        // 5. wasmparser's parser defers more checks to its validator, e.g.
        //    the encodings of proposals off in its features (a value type
        //    0x68 of stack switching); the binary format of WebAssembly 3.0
        //    makes them malformed (binary/types.rst: `malformed value
        //    type`...). Agreement when wasmparser's validator rejects too:
        //    what must never happen is lading rejecting a valid module.
        (Err(_), Ok(_))
            if wasmparser::Validator::new_with_features(wasmparser_features())
                .validate_all(data)
                .is_err() => {}
        (Err(e), Ok(_)) => panic!("lading rejects ({e:?}: {e}), wasmparser decodes"),
        (Ok(_), Err(e)) => panic!("lading decodes, wasmparser rejects: {e}"),
    }
}
