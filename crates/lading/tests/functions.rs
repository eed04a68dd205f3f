//! `Module::functions` and `Module::function` give every defined function,
//! in order, with the index, type and body wasmparser reads from the same
//! bytes.

#[path = "../../lading-parser/tests/common/mod.rs"]
mod common;

use std::ops::Range;

use lading::Module;
use wasmparser::{Parser, Payload, TypeRef};

/// (function index, type index, body range) of every defined function, as
/// wasmparser reads them.
fn wasmparser_functions(bytes: &[u8]) -> Vec<(u32, u32, Range<usize>)> {
    let (mut imported, mut types, mut bodies) = (0, Vec::new(), Vec::new());
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.expect("a module lading loads parses") {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if let TypeRef::Func(_) = import.expect("import").ty {
                        imported += 1;
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                types = reader.into_iter().map(|t| t.expect("type")).collect();
            }
            Payload::CodeSectionEntry(body) => {
                let range = body.range();
                bodies.push(range.start as usize..range.end as usize);
            }
            _ => {}
        }
    }
    assert_eq!(types.len(), bodies.len());
    (imported..)
        .zip(types)
        .zip(bodies)
        .map(|((index, ty), range)| (index, ty, range))
        .collect()
}

fn check(bytes: Vec<u8>, what: &str) {
    let expected = wasmparser_functions(&bytes);
    let module: Module = lading::load(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    let listed: Vec<_> = module
        .functions()
        .map(|f| (f.index, f.type_index, f.body.range()))
        .collect();
    assert_eq!(listed, expected, "{what}: functions()");
    let one_by_one: Vec<_> = (0..module.function_count())
        .map(|i| module.function(i).expect("every defined function"))
        .map(|f| (f.index, f.type_index, f.body.range()))
        .collect();
    assert_eq!(one_by_one, expected, "{what}: function(i)");
    assert!(module.function(module.function_count()).is_none());
}

#[test]
fn functions_are_wasmparsers() {
    for (path, bytes) in common::corpus_or_example() {
        check(bytes, &path.display().to_string());
    }
}
