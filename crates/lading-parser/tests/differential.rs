//! lading against `wasmparser`: for every module lading decodes, the item
//! count of every section and the total instruction count must equal what
//! `wasmparser` reports. Run over the spec test suite and the corpus; every
//! corpus module must decode.

mod common;

use common::{Expect, corpus, read_script, testsuite, wast_files};
use lading_parser::{Features, ModuleSummary, check_module};
use wasmparser::{Parser, Payload};

/// The counts `wasmparser` reports, in the shape of lading's summary.
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
    }
}

fn theirs(bytes: &[u8]) -> wasmparser::Result<Counts> {
    let mut parser = Parser::new(0);
    parser.set_features(common::wasmparser_features());
    let mut c = Counts::default();
    for payload in parser.parse_all(bytes) {
        match payload? {
            Payload::TypeSection(s) => c.types = s.count(),
            Payload::ImportSection(s) => c.imports = s.count(),
            Payload::FunctionSection(s) => c.functions = s.count(),
            Payload::TableSection(s) => c.tables = s.count(),
            Payload::MemorySection(s) => c.memories = s.count(),
            Payload::TagSection(s) => c.tags = s.count(),
            Payload::GlobalSection(s) => c.globals = s.count(),
            Payload::ExportSection(s) => c.exports = s.count(),
            Payload::StartSection { func, .. } => c.start = Some(func),
            Payload::ElementSection(s) => c.elements = s.count(),
            Payload::DataCountSection { count, .. } => c.data_count = Some(count),
            Payload::DataSection(s) => c.data = s.count(),
            Payload::CodeSectionEntry(body) => {
                c.code += 1;
                let mut ops = body.get_operators_reader()?;
                while !ops.eof() {
                    ops.read()?;
                    c.instructions += 1;
                }
                ops.finish()?;
            }
            Payload::CustomSection(_) => c.custom_sections += 1,
            _ => {}
        }
    }
    Ok(c)
}

/// Compares one module; returns a description of the mismatch, if any.
fn compare(bytes: &[u8]) -> Result<bool, String> {
    let Ok(summary) = check_module(bytes, Features::default()) else {
        return Ok(false);
    };
    let ours = ours(&summary);
    match theirs(bytes) {
        Ok(theirs) if theirs == ours => Ok(true),
        Ok(theirs) => Err(format!("lading {ours:?}\nwasmparser {theirs:?}")),
        Err(e) => Err(format!("lading decodes, wasmparser fails: {e}")),
    }
}

#[test]
fn test_suite_counts_match_wasmparser() {
    let Some(dir) = testsuite() else { return };
    let (mut compared, mut failures) = (0, Vec::new());
    for file in wast_files(&dir) {
        for case in read_script(&file).cases {
            let (Expect::Decodes, Ok(bytes)) = (&case.expect, &case.bytes) else {
                continue;
            };
            match compare(bytes) {
                Ok(true) => compared += 1,
                Ok(false) => {}
                Err(e) => failures.push(format!("{}: {e}", case.location)),
            }
        }
    }
    println!("test-suite modules with equal counts: {compared}");
    for f in failures.iter().take(50) {
        println!("MISMATCH {f}");
    }
    assert!(compared > 0);
    assert!(
        failures.is_empty(),
        "{} modules differ from wasmparser",
        failures.len()
    );
}

#[test]
fn corpus_decodes_and_counts_match_wasmparser() {
    let Some(files) = corpus() else { return };
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("readable corpus module");
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        match check_module(&bytes, Features::default()) {
            Err(e) => failures.push(format!("{name}: does not decode: {e}")),
            Ok(summary) => {
                println!(
                    "{name}: {} bytes, {} functions, {} instructions",
                    bytes.len(),
                    summary.code,
                    summary.instructions
                );
                if let Err(e) = compare(&bytes) {
                    failures.push(format!("{name}: {e}"));
                }
            }
        }
    }
    println!("corpus modules checked: {}", files.len());
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} corpus modules failed",
        failures.len()
    );
}
