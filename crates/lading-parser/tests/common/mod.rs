//! Shared helpers of the integration tests: where the spec test suite and
//! the corpus live, and reading `.wast` scripts into binary modules.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lading_parser::{Features, Proposal};

/// The proposals lading decodes, as wasmparser features: WebAssembly 3.0
/// with the legacy exceptions, wide arithmetic and custom page sizes (not
/// `WasmFeatures::all()`, whose later proposals give some encodings other
/// meanings, e.g. bit 5 of a memarg's flags as an atomic ordering).
pub fn wasmparser_features() -> wasmparser::WasmFeatures {
    use wasmparser::WasmFeatures as F;
    F::WASM3 | F::LEGACY_EXCEPTIONS | F::WIDE_ARITHMETIC | F::CUSTOM_PAGE_SIZES
}

/// Whether `LADING_REQUIRE_DATA=1`: then missing data fails the test.
pub fn data_required() -> bool {
    std::env::var("LADING_REQUIRE_DATA").is_ok_and(|v| v == "1")
}

/// Reports missing test data: a failure when data is required, one line
/// on stderr otherwise.
pub fn missing(what: &str, path: &Path, how: &str) {
    assert!(
        !data_required(),
        "{what} not found at {} (LADING_REQUIRE_DATA=1); {how}",
        path.display()
    );
    eprintln!("skipped: {what} not found at {}; {how}", path.display());
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The spec test suite folder, if present (`LADING_TESTSUITE` overrides
/// `../shared/testsuite` beside the workspace).
pub fn testsuite() -> Option<PathBuf> {
    let dir = match std::env::var_os("LADING_TESTSUITE") {
        Some(dir) => PathBuf::from(dir),
        None => workspace().join("../shared/testsuite"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    missing(
        "the WebAssembly spec test suite",
        &dir,
        "set LADING_TESTSUITE to a checkout of WebAssembly/testsuite",
    );
    None
}

/// The corpus of real-world modules, if fetched (`LADING_CORPUS`
/// overrides `target/corpus` in the workspace).
pub fn corpus() -> Option<Vec<PathBuf>> {
    let dir = match std::env::var_os("LADING_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => workspace().join("target/corpus"),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
                .collect()
        })
        .unwrap_or_default();
    if files.is_empty() {
        missing(
            "the corpus of real-world modules",
            &dir,
            "run `../shared/corpus/fetch target/corpus` (or set LADING_CORPUS)",
        );
        return None;
    }
    files.sort();
    Some(files)
}

/// Every corpus module with its path, read; without the corpus (as
/// [`corpus`] says), the example module `examples/hello.wasm` alone.
pub fn corpus_or_example() -> Vec<(PathBuf, Vec<u8>)> {
    match corpus_modules() {
        Some(modules) => modules.collect(),
        None => {
            let hello = workspace().join("examples/hello.wasm");
            let bytes = std::fs::read(&hello).expect("the example module");
            vec![(hello, bytes)]
        }
    }
}

/// Every corpus module with its path, read (`None` as [`corpus`] says).
pub fn corpus_modules() -> Option<impl Iterator<Item = (PathBuf, Vec<u8>)>> {
    Some(corpus()?.into_iter().map(|path| {
        let bytes = std::fs::read(&path).expect("readable corpus module");
        (path, bytes)
    }))
}

/// Every module of every script of the test suite, read once per test
/// binary (`None` as [`testsuite`] says).
pub fn suite_cases() -> Option<&'static [Case]> {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    let dir = testsuite()?;
    Some(CASES.get_or_init(|| {
        wast_files(&dir)
            .iter()
            .flat_map(|file| read_script(file).cases)
            .collect()
    }))
}

/// Every `.wast` file under `dir`, sorted.
pub fn wast_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)
            .expect("readable test suite folder")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "wast") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `path` relative to the test suite folder (`proposals/threads/atomic.wast`).
fn relative_name(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    let from = parts
        .iter()
        .rposition(|p| p == "proposals" || p == "legacy" || p == "custom");
    match from {
        Some(i) => parts[i..].join("/"),
        None => parts.last().map(|p| p.to_string()).unwrap_or_default(),
    }
}

/// What a test-suite directive asks of a decoder.
pub enum Expect {
    /// A module that is well-formed (valid or not): it must decode.
    Decodes,
    /// A binary module that must be rejected with this message.
    Malformed(String),
    /// A malformed module in the text format: the text parser's business.
    TextMalformed,
}

/// The directive a module comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Directive {
    /// `module` or `module definition`.
    Module,
    /// `assert_invalid`.
    Invalid,
    /// `assert_unlinkable`.
    Unlinkable,
    /// The module of an `assert_trap`, `assert_return` or
    /// `assert_exception`.
    Exec,
    /// `assert_malformed`.
    Malformed,
    /// `assert_invalid_custom` or `assert_malformed_custom`.
    Custom,
}

/// One module of a script, encoded to binary.
pub struct Case {
    /// `file:line` of the directive.
    pub location: String,
    /// The directive it comes from.
    pub directive: Directive,
    /// The module's bytes, or why `wast` could not encode it.
    pub bytes: Result<Vec<u8>, String>,
    /// What is expected.
    pub expect: Expect,
    /// The features the script is meant for.
    pub features: Features,
}

/// All modules of one script plus the number of top-level forms `wast`
/// could not read.
pub struct Script {
    /// The modules.
    pub cases: Vec<Case>,
    /// Top-level forms `wast` 263 cannot parse (read form by form).
    pub unreadable: usize,
}

fn parse_buffer(text: &str) -> wast::parser::Result<wast::parser::ParseBuffer<'_>> {
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    wast::parser::ParseBuffer::new_with_lexer(lexer)
}

/// The features a script of the suite is meant for: the scripts of
/// `proposals/NAME/` test that proposal on top of WebAssembly 3.0; the
/// others test WebAssembly 3.0 (plus threads and the legacy exceptions
/// of their folders), where custom page sizes do not exist (memory flag
/// 0x08 is malformed) and wide arithmetic's opcodes are illegal.
pub fn features_for(path: &Path) -> Features {
    let in_proposals = path.components().any(|c| c.as_os_str() == "proposals");
    if in_proposals {
        Features::ALL
    } else {
        Features::ALL
            .without(Proposal::CustomPageSizes)
            .without(Proposal::WideArithmetic)
    }
}

/// Reads a script: as a whole if `wast` can, else form by form.
pub fn read_script(path: &Path) -> Script {
    let text = std::fs::read_to_string(path).expect("readable .wast file");
    let name = relative_name(path);
    let mut cases = Vec::new();
    if let Ok(buf) = parse_buffer(&text)
        && let Ok(wast) = wast::parser::parse::<wast::Wast>(&buf)
    {
        collect(&text, &name, 0, wast, &mut cases);
        return Script {
            cases,
            unreadable: 0,
        };
    }
    let mut unreadable = 0;
    for (start, form) in top_level_forms(&text) {
        let Ok(buf) = parse_buffer(form) else {
            unreadable += 1;
            continue;
        };
        match wast::parser::parse::<wast::Wast>(&buf) {
            Ok(wast) => collect(&text, &name, start, wast, &mut cases),
            Err(_) => unreadable += 1,
        }
    }
    Script { cases, unreadable }
}

fn collect(text: &str, name: &str, base: usize, wast: wast::Wast<'_>, out: &mut Vec<Case>) {
    let features = features_for(Path::new(name));
    use wast::{QuoteWat, WastDirective as D, WastExecute, Wat, core::ModuleKind};
    let line = |offset: usize| {
        text[..(base + offset).min(text.len())]
            .lines()
            .count()
            .max(1)
    };
    use Directive as K;
    // The directives in order, those of `thread` blocks included.
    let mut work: Vec<_> = wast.directives.into_iter().rev().collect();
    while let Some(directive) = work.pop() {
        let location = format!("{name}:{}", line(directive.span().offset()));
        let (mut module, expect, kind) = match directive {
            D::Thread(thread) => {
                work.extend(thread.directives.into_iter().rev());
                continue;
            }
            D::Module(m) | D::ModuleDefinition(m) => (m, Expect::Decodes, K::Module),
            D::AssertInvalid { module, .. } => (module, Expect::Decodes, K::Invalid),
            D::AssertInvalidCustom { module, .. } | D::AssertMalformedCustom { module, .. } => {
                (module, Expect::Decodes, K::Custom)
            }
            D::AssertUnlinkable { module, .. } => {
                (QuoteWat::Wat(module), Expect::Decodes, K::Unlinkable)
            }
            D::AssertTrap {
                exec: WastExecute::Wat(module),
                ..
            }
            | D::AssertReturn {
                exec: WastExecute::Wat(module),
                ..
            }
            | D::AssertException {
                exec: WastExecute::Wat(module),
                ..
            } => (QuoteWat::Wat(module), Expect::Decodes, K::Exec),
            D::AssertMalformed {
                module, message, ..
            } => {
                let binary = matches!(
                    &module,
                    QuoteWat::Wat(Wat::Module(m)) if matches!(m.kind, ModuleKind::Binary(_))
                );
                let expect = if binary {
                    Expect::Malformed(message.to_string())
                } else {
                    Expect::TextMalformed
                };
                (module, expect, K::Malformed)
            }
            _ => continue,
        };
        if matches!(
            module,
            QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
        ) {
            continue;
        }
        let bytes = match expect {
            Expect::TextMalformed => Err("text".to_string()),
            _ => module.encode().map_err(|e| e.to_string()),
        };
        out.push(Case {
            location,
            directive: kind,
            bytes,
            expect,
            features,
        });
    }
}

/// Splits a script into its top-level parenthesized forms, skipping
/// comments and strings; yields each form with its byte offset.
pub fn top_level_forms(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut forms = Vec::new();
    let (mut i, mut depth, mut start) = (0, 0usize, 0);
    while i < bytes.len() {
        match bytes[i] {
            b';' if bytes.get(i + 1) == Some(&b';') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' if bytes.get(i + 1) == Some(&b';') => {
                let mut nest = 0;
                while i < bytes.len() {
                    if bytes[i] == b'(' && bytes.get(i + 1) == Some(&b';') {
                        nest += 1;
                        i += 2;
                    } else if bytes[i] == b';' && bytes.get(i + 1) == Some(&b')') {
                        nest -= 1;
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    forms.push((start, &text[start..=i]));
                }
            }
            _ => {}
        }
        i += 1;
    }
    forms
}
