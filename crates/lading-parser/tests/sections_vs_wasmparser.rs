//! Compares the section structure the lading `Parser` sees with wasmparser's
//! on every module of the spec test suite and of the corpus, and reports
//! which binary `assert_malformed` messages `check_module` gets wrong.

mod common;

use common::{Directive, Expect, corpus_modules, suite_cases};
use lading_parser::{Features, Parser, Payload, check_module};

/// (section name, item count) for every section, in order, by lading.
fn lading_sections(bytes: &[u8], features: Features) -> Result<Vec<(&'static str, u64)>, String> {
    let mut out = Vec::new();
    for payload in Parser::new(bytes, features) {
        let payload = payload.map_err(|e| e.to_string())?;
        out.push(match payload {
            Payload::Version { .. } | Payload::End { .. } => continue,
            Payload::TypeSection(s) => ("type", s.item_count().into()),
            Payload::ImportSection(s) => ("import", s.item_count().into()),
            Payload::FunctionSection(s) => ("function", s.item_count().into()),
            Payload::TableSection(s) => ("table", s.item_count().into()),
            Payload::MemorySection(s) => ("memory", s.item_count().into()),
            Payload::TagSection(s) => ("tag", s.item_count().into()),
            Payload::GlobalSection(s) => ("global", s.item_count().into()),
            Payload::ExportSection(s) => ("export", s.item_count().into()),
            Payload::StartSection { func, .. } => ("start", func.into()),
            Payload::ElementSection(s) => ("element", s.item_count().into()),
            Payload::DataCountSection { count, .. } => ("datacount", count.into()),
            Payload::CodeSection(s) => ("code", s.item_count().into()),
            Payload::DataSection(s) => ("data", s.item_count().into()),
            Payload::CustomSection(_) => ("custom", 0),
            _ => ("other", 0),
        });
    }
    Ok(out)
}

/// The same list by wasmparser.
fn wasmparser_sections(bytes: &[u8]) -> Result<Vec<(&'static str, u64)>, String> {
    use wasmparser::Payload as P;
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| e.to_string())?;
        out.push(match payload {
            P::TypeSection(s) => ("type", s.count().into()),
            P::ImportSection(s) => ("import", s.count().into()),
            P::FunctionSection(s) => ("function", s.count().into()),
            P::TableSection(s) => ("table", s.count().into()),
            P::MemorySection(s) => ("memory", s.count().into()),
            P::TagSection(s) => ("tag", s.count().into()),
            P::GlobalSection(s) => ("global", s.count().into()),
            P::ExportSection(s) => ("export", s.count().into()),
            P::StartSection { func, .. } => ("start", func.into()),
            P::ElementSection(s) => ("element", s.count().into()),
            P::DataCountSection { count, .. } => ("datacount", count.into()),
            P::CodeSectionStart { count, .. } => ("code", count.into()),
            P::DataSection(s) => ("data", s.count().into()),
            P::CustomSection(_) => ("custom", 0),
            _ => continue,
        });
    }
    Ok(out)
}

/// A few facts about every item of the sections both parsers decode the
/// same way, by lading: subtypes per recursion group, references per element
/// segment, bytes per data segment, export names and kinds, memory and table
/// limits.
fn lading_items(bytes: &[u8], features: Features) -> Result<Vec<String>, String> {
    use lading_parser::{ElementItems, ExternalKind};
    let mut out = Vec::new();
    let err = |e: lading_parser::Error| e.to_string();
    for payload in Parser::new(bytes, features) {
        match payload.map_err(err)? {
            Payload::TypeSection(s) => {
                for g in s {
                    out.push(format!("rec {}", g.map_err(err)?.len()));
                }
            }
            Payload::ElementSection(s) => {
                for e in s {
                    let e = e.map_err(err)?;
                    let kind = matches!(e.items, ElementItems::Functions(_));
                    out.push(format!("elem {} {}", kind, e.items.len()));
                }
            }
            Payload::DataSection(s) => {
                for d in s {
                    out.push(format!("data {}", d.map_err(err)?.data.len()));
                }
            }
            Payload::ExportSection(s) => {
                for e in s {
                    let e = e.map_err(err)?;
                    let kind = match e.kind {
                        ExternalKind::Func => 0,
                        ExternalKind::Table => 1,
                        ExternalKind::Memory => 2,
                        ExternalKind::Global => 3,
                        ExternalKind::Tag => 4,
                    };
                    out.push(format!("export {} {kind} {}", e.name, e.index));
                }
            }
            Payload::MemorySection(s) => {
                for m in s {
                    let m = m.map_err(err)?;
                    out.push(format!(
                        "memory {} {:?} {} {} {:?}",
                        m.initial, m.maximum, m.memory64, m.shared, m.page_size_log2
                    ));
                }
            }
            Payload::TableSection(s) => {
                for t in s {
                    let t = t.map_err(err)?;
                    out.push(format!(
                        "table {} {:?} {} {}",
                        t.ty.initial,
                        t.ty.maximum,
                        t.ty.table64,
                        t.init.is_some()
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The same facts by wasmparser.
fn wasmparser_items(bytes: &[u8]) -> Result<Vec<String>, String> {
    use wasmparser::{ElementItems, ExternalKind, Payload as P, TableInit};
    let mut out = Vec::new();
    let err = |e: wasmparser::BinaryReaderError| e.to_string();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.map_err(err)? {
            P::TypeSection(s) => {
                for g in s {
                    out.push(format!("rec {}", g.map_err(err)?.types().len()));
                }
            }
            P::ElementSection(s) => {
                for e in s {
                    let e = e.map_err(err)?;
                    let (kind, n) = match e.items {
                        ElementItems::Functions(f) => (true, f.count()),
                        ElementItems::Expressions(_, x) => (false, x.count()),
                    };
                    out.push(format!("elem {kind} {n}"));
                }
            }
            P::DataSection(s) => {
                for d in s {
                    out.push(format!("data {}", d.map_err(err)?.data.len()));
                }
            }
            P::ExportSection(s) => {
                for e in s {
                    let e = e.map_err(err)?;
                    let kind = match e.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => 0,
                        ExternalKind::Table => 1,
                        ExternalKind::Memory => 2,
                        ExternalKind::Global => 3,
                        ExternalKind::Tag => 4,
                    };
                    out.push(format!("export {} {kind} {}", e.name, e.index));
                }
            }
            P::MemorySection(s) => {
                for m in s {
                    let m = m.map_err(err)?;
                    out.push(format!(
                        "memory {} {:?} {} {} {:?}",
                        m.initial, m.maximum, m.memory64, m.shared, m.page_size_log2
                    ));
                }
            }
            P::TableSection(s) => {
                for t in s {
                    let t = t.map_err(err)?;
                    out.push(format!(
                        "table {} {:?} {} {}",
                        t.ty.initial,
                        t.ty.maximum,
                        t.ty.table64,
                        matches!(t.init, TableInit::Expr(_))
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

#[derive(Default)]
struct Tally {
    modules: usize,
    structure_mismatches: usize,
    wasmparser_rejects: usize,
    lading_rejects_valid: usize,
    malformed: usize,
    malformed_right: usize,
    invalid: usize,
    invalid_rejected: usize,
    invalid_rejected_outside_exprs: usize,
}

fn compare_valid(what: &str, bytes: &[u8], features: Features, tally: &mut Tally) {
    tally.modules += 1;
    let theirs = match wasmparser_sections(bytes) {
        Ok(s) => s,
        Err(_) => {
            tally.wasmparser_rejects += 1;
            return;
        }
    };
    match lading_sections(bytes, features) {
        Ok(ours) if ours == theirs => {}
        Ok(ours) => {
            tally.structure_mismatches += 1;
            println!("STRUCTURE {what}: lading {ours:?} vs wasmparser {theirs:?}");
        }
        Err(e) => {
            tally.structure_mismatches += 1;
            println!("STRUCTURE {what}: lading error `{e}`, wasmparser {theirs:?}");
        }
    }
    if let Ok(theirs) = wasmparser_items(bytes) {
        match lading_items(bytes, features) {
            Ok(ours) if ours == theirs => {}
            Ok(ours) => {
                tally.structure_mismatches += 1;
                println!("ITEMS {what}: lading {ours:?} vs wasmparser {theirs:?}");
            }
            Err(e) => {
                tally.structure_mismatches += 1;
                println!("ITEMS {what}: lading error `{e}`, wasmparser {theirs:?}");
            }
        }
    }
    if let Err(e) = check_module(bytes, features) {
        tally.lading_rejects_valid += 1;
        println!("REJECTED {what}: {e}");
    }
}

#[test]
fn testsuite_sections_match_wasmparser() {
    let Some(cases) = suite_cases() else { return };
    let mut tally = Tally::default();
    let mut wrong = Vec::new();
    for case in cases {
        let Ok(bytes) = &case.bytes else { continue };
        let (what, features) = (&case.location, case.features);
        match (case.directive, &case.expect) {
            (Directive::Module, _) => compare_valid(what, bytes, features, &mut tally),
            (Directive::Invalid, _) => {
                // Invalid but well-formed: decoding must succeed, except
                // in function bodies, which the final checker decides.
                tally.invalid += 1;
                if let Err(e) = lading_items(bytes, features) {
                    tally.invalid_rejected += 1;
                    // Constant expressions are out of this file's
                    // scope: only other rejections fail the test.
                    if !e.starts_with("illegal opcode") {
                        tally.invalid_rejected_outside_exprs += 1;
                    }
                    println!("INVALID REJECTED {what}: {e}");
                }
            }
            (Directive::Malformed, Expect::Malformed(message)) => {
                tally.malformed += 1;
                let got = match check_module(bytes, features) {
                    Ok(_) => "(accepted)".to_string(),
                    Err(e) => e.message().to_string(),
                };
                if got.starts_with(message.as_str()) {
                    tally.malformed_right += 1;
                } else {
                    wrong.push(format!("{what} | {message} | {got}"));
                }
            }
            _ => {}
        }
    }
    println!("\nbinary assert_malformed that check_module gets wrong:");
    println!("file:line | expected | got");
    for w in &wrong {
        println!("{w}");
    }
    println!(
        "\n{} modules: {} structure mismatches, \
         {} rejected by wasmparser, {} rejected by check_module; \
         binary assert_malformed: {}/{} right; \
         assert_invalid modules whose sections fail to decode: {}/{}",
        tally.modules,
        tally.structure_mismatches,
        tally.wasmparser_rejects,
        tally.lading_rejects_valid,
        tally.malformed_right,
        tally.malformed,
        tally.invalid_rejected,
        tally.invalid
    );
    assert_eq!(tally.structure_mismatches, 0, "section structure differs");
    assert_eq!(
        tally.invalid_rejected_outside_exprs, 0,
        "a well-formed module fails to decode"
    );
}

#[test]
fn corpus_sections_match_wasmparser() {
    let Some(modules) = corpus_modules() else {
        return;
    };
    let mut tally = Tally::default();
    for (path, bytes) in modules {
        compare_valid(
            &path.display().to_string(),
            &bytes,
            Features::default(),
            &mut tally,
        );
    }
    println!(
        "corpus: {} modules, {} structure mismatches, {} rejected by wasmparser, {} rejected by check_module",
        tally.modules,
        tally.structure_mismatches,
        tally.wasmparser_rejects,
        tally.lading_rejects_valid
    );
    assert_eq!(tally.structure_mismatches, 0, "section structure differs");
    assert_eq!(
        tally.lading_rejects_valid, 0,
        "check_module rejects a corpus module"
    );
}

/// Every prefix of the small (at most 256 bytes) spec-suite modules, and each of them with one
/// byte changed, gives `Ok` or an error, never a panic, and every error
/// points inside the input.
#[test]
fn truncated_and_mutated_modules_never_panic() {
    let Some(cases) = suite_cases() else { return };
    let mut modules = 0;
    for case in cases {
        if !matches!(case.directive, Directive::Module | Directive::Malformed) {
            continue;
        }
        let Ok(bytes) = &case.bytes else { continue };
        if bytes.len() > 256 {
            continue;
        }
        modules += 1;
        for len in 0..=bytes.len() {
            let mut m = bytes[..len].to_vec();
            if let Err(e) = check_module(&m, Features::default()) {
                assert!(e.offset() <= m.len(), "{e} past the end of {m:?}");
            }
            if let Some(last) = m.last_mut() {
                *last ^= 0x80;
                if let Err(e) = check_module(&m, Features::default()) {
                    assert!(e.offset() <= m.len(), "{e} past the end of {m:?}");
                }
            }
        }
    }
    println!("{modules} modules truncated and mutated");
}
