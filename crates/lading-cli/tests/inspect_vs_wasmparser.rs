//! `lading inspect --json` against wasmparser: every corpus module and a
//! sample of the spec test suite's modules, run through the real binary.
//! Well-formed modules must give wasmparser's counts; malformed ones the
//! error form with lading's own message and offset.

#[path = "../../lading-parser/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use wasmparser::{Parser, Payload, TypeRef};

/// The top-level keys of the success form, in their documented order.
const KEYS: [&str; 17] = [
    "file",
    "size",
    "rec_groups",
    "types",
    "imports",
    "functions",
    "tables",
    "memories",
    "globals",
    "tags",
    "exports",
    "start",
    "elements",
    "data",
    "data_count",
    "code",
    "custom_sections",
];

/// Runs `lading inspect --json PATH`: the exit status and the one line.
fn inspect(path: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lading"))
        .args(["inspect", "--json"])
        .arg(path)
        .output()
        .expect("the lading binary runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(
        text.ends_with('\n') && text.lines().count() == 1,
        "{}: not one line: {text:?}",
        path.display()
    );
    (out.status.code().unwrap_or(-1), text)
}

/// What wasmparser counts in `bytes`, as the JSON lading must print.
fn wasmparser_counts(path: &Path, bytes: &[u8]) -> wasmparser::Result<Value> {
    let mut parser = Parser::new(0);
    parser.set_features(common::wasmparser_features());
    let (mut rec_groups, mut types) = (0u64, 0u64);
    let mut imports = [0u64; 5];
    let (mut functions, mut tables, mut memories, mut globals, mut tags) = (0, 0, 0, 0, 0);
    let (mut exports, mut elements, mut data) = (0, 0, 0);
    let (mut start, mut data_count) = (None, None);
    let (mut bodies, mut locals, mut operators) = (0u64, 0u64, 0u64);
    let mut customs = Vec::new();
    for payload in parser.parse_all(bytes) {
        match payload? {
            Payload::TypeSection(s) => {
                for group in s {
                    rec_groups += 1;
                    types += group?.types().len() as u64;
                }
            }
            Payload::ImportSection(s) => {
                for import in s.into_imports() {
                    let kind = match import?.ty {
                        TypeRef::Func(_) | TypeRef::FuncExact(_) => 0,
                        TypeRef::Table(_) => 1,
                        TypeRef::Memory(_) => 2,
                        TypeRef::Global(_) => 3,
                        TypeRef::Tag(_) => 4,
                    };
                    imports[kind] += 1;
                }
            }
            Payload::FunctionSection(s) => functions = s.count(),
            Payload::TableSection(s) => tables = s.count(),
            Payload::MemorySection(s) => memories = s.count(),
            Payload::GlobalSection(s) => globals = s.count(),
            Payload::TagSection(s) => tags = s.count(),
            Payload::ExportSection(s) => exports = s.count(),
            Payload::StartSection { func, .. } => start = Some(func),
            Payload::ElementSection(s) => elements = s.count(),
            Payload::DataSection(s) => data = s.count(),
            Payload::DataCountSection { count, .. } => data_count = Some(count),
            Payload::CodeSectionEntry(body) => {
                bodies += 1;
                for local in body.get_locals_reader()? {
                    locals += u64::from(local?.0);
                }
                let mut ops = body.get_operators_reader()?;
                while !ops.eof() {
                    ops.read()?;
                    operators += 1;
                }
                ops.finish()?;
            }
            Payload::CustomSection(c) => customs.push(c.name().to_string()),
            _ => {}
        }
    }
    let [func, table, memory, global, tag] = imports;
    Ok(json!({
        "file": path.to_string_lossy(),
        "size": bytes.len(),
        "rec_groups": rec_groups,
        "types": types,
        "imports": {"func": func, "table": table, "memory": memory, "global": global, "tag": tag},
        "functions": functions,
        "tables": tables,
        "memories": memories,
        "globals": globals,
        "tags": tags,
        "exports": exports,
        "start": start,
        "elements": elements,
        "data": data,
        "data_count": data_count,
        "code": {"bodies": bodies, "locals": locals, "operators": operators},
        "custom_sections": customs,
    }))
}

/// Whether every key appears in the documented order (the nested objects'
/// keys are compared by value; their order is checked by their first key).
fn keys_in_order(line: &str) -> bool {
    let mut from = 0;
    for key in KEYS {
        let quoted = format!("\"{key}\":");
        match line[from..].find(&quoted) {
            Some(at) => from += at + quoted.len(),
            None => return false,
        }
    }
    line.contains(r#""imports":{"func":"#) && line.contains(r#""code":{"bodies":"#)
}

/// Checks the binary's answer for the module at `path`; returns a
/// description of the disagreement, if any, and whether it loaded.
fn compare(path: &Path, bytes: &[u8]) -> Result<bool, String> {
    let (status, line) = inspect(path);
    let value: Value =
        serde_json::from_str(&line).map_err(|e| format!("not JSON ({e}): {line}"))?;
    match lading::load(bytes.to_vec()) {
        Ok(_) => {
            if status != 0 {
                return Err(format!("status {status} for a module that loads: {line}"));
            }
            if !keys_in_order(&line) {
                return Err(format!("keys out of order: {line}"));
            }
            let expected = wasmparser_counts(path, bytes)
                .map_err(|e| format!("lading loads it, wasmparser fails: {e}"))?;
            if value != expected {
                return Err(format!("lading     {value}\nwasmparser {expected}"));
            }
            Ok(true)
        }
        Err(lading::Error::Malformed(e)) => {
            let expected = json!({
                "file": path.to_string_lossy(),
                "error": e.message().to_string(),
                "offset": e.offset(),
            });
            if status != 1 || value != expected {
                return Err(format!("status {status}, {line} instead of {expected}"));
            }
            if !line.starts_with(r#"{"file":"#) || !line.contains(r#"","offset":"#) {
                return Err(format!("keys out of order: {line}"));
            }
            Ok(false)
        }
        Err(e) => Err(format!("unexpected load error {e}")),
    }
}

fn report(failures: &[String]) {
    for f in failures.iter().take(30) {
        println!("MISMATCH {f}");
    }
    assert!(
        failures.is_empty(),
        "{} modules disagree (see MISMATCH lines)",
        failures.len()
    );
}

#[test]
fn corpus_modules_match_wasmparser() {
    let Some(files) = common::corpus() else {
        return;
    };
    let mut failures = Vec::new();
    let mut loaded = 0;
    for path in &files {
        let bytes = std::fs::read(path).expect("readable corpus module");
        match compare(path, &bytes) {
            Ok(ok) => loaded += usize::from(ok),
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    println!("corpus modules compared: {}, loaded: {loaded}", files.len());
    report(&failures);
    assert!(loaded > 0);
}

/// Every this-many-th module of the test suite is run through the binary.
const SAMPLE_STRIDE: usize = 23;

#[test]
fn test_suite_sample_matches_wasmparser_and_lading_errors() {
    let Some(dir) = common::testsuite() else {
        return;
    };
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lading-cli-suite");
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let (mut loaded, mut malformed, mut seen) = (0, 0, 0usize);
    let mut failures = Vec::new();
    for file in common::wast_files(&dir) {
        for case in common::read_script(&file).cases {
            let (common::Expect::Decodes | common::Expect::Malformed(_), Ok(bytes)) =
                (&case.expect, &case.bytes)
            else {
                continue;
            };
            seen += 1;
            if seen % SAMPLE_STRIDE != 0 {
                continue;
            }
            let path = tmp.join(format!("module-{seen}.wasm"));
            std::fs::write(&path, bytes).expect("temp module written");
            match compare(&path, bytes) {
                Ok(true) => loaded += 1,
                Ok(false) => malformed += 1,
                Err(e) => failures.push(format!("{}: {e}", case.location)),
            }
            let _ = std::fs::remove_file(&path);
        }
    }
    println!("test-suite modules: {seen}, sampled: loaded {loaded}, malformed {malformed}");
    report(&failures);
    assert!(loaded > 100 && malformed > 10, "sample too small");
}
