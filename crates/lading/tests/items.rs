//! Every item accessor of a loaded module gives, in order, the items
//! wasmparser reads from the same bytes: types, imports, tables, memories,
//! tags, globals, exports, element and data segments. The index keeps the
//! starts of most sections' items in one vector, each section's a span of
//! it; a span off by one shows here as another section's item.

#[path = "../../lading-parser/tests/common/mod.rs"]
mod common;

use lading::Module;
use lading::parser::{CompositeType, ExternalKind, TypeRef};
use wasmparser::{CompositeInnerType, Parser, Payload};

/// What both parsers say of one item, as plain values.
#[derive(Debug, PartialEq, Eq, Default)]
struct Items {
    /// (final, has a supertype, kind, params or fields, results)
    types: Vec<(bool, bool, char, usize, usize)>,
    /// (module, name, kind)
    imports: Vec<(String, String, char)>,
    /// (initial, maximum)
    tables: Vec<(u64, Option<u64>)>,
    memories: Vec<(u64, Option<u64>, bool, bool)>,
    /// The type index of each tag.
    tags: Vec<u32>,
    /// (mutable, where the initializer starts)
    globals: Vec<(bool, usize)>,
    /// (name, kind, index)
    exports: Vec<(String, char, u32)>,
    /// The byte range of each element segment.
    elements: Vec<(usize, usize)>,
    /// Where each data segment's bytes start, and how many.
    data: Vec<(usize, usize)>,
}

/// The items of `bytes` as wasmparser reads them, or its first error.
fn wasmparser_items(bytes: &[u8]) -> wasmparser::Result<Items> {
    let mut items = Items::default();
    let mut parser = Parser::new(0);
    parser.set_features(common::wasmparser_features());
    let offset_of = |part: &[u8]| part.as_ptr() as usize - bytes.as_ptr() as usize;
    for payload in parser.parse_all(bytes) {
        match payload? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group?.into_types() {
                        let shape = match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) => {
                                ('f', f.params().len(), f.results().len())
                            }
                            CompositeInnerType::Struct(s) => ('s', s.fields.len(), 0),
                            CompositeInnerType::Array(_) => ('a', 1, 0),
                            CompositeInnerType::Cont(_) => ('c', 0, 0),
                        };
                        let has_super = !sub.supertype_idxs.is_empty();
                        items
                            .types
                            .push((sub.is_final, has_super, shape.0, shape.1, shape.2));
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import?;
                    let kind = match import.ty {
                        wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_) => 'f',
                        wasmparser::TypeRef::Table(_) => 't',
                        wasmparser::TypeRef::Memory(_) => 'm',
                        wasmparser::TypeRef::Global(_) => 'g',
                        wasmparser::TypeRef::Tag(_) => 'e',
                    };
                    let (module, name) = (import.module.to_owned(), import.name.to_owned());
                    items.imports.push((module, name, kind));
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let ty = table?.ty;
                    items.tables.push((ty.initial, ty.maximum));
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let m = memory?;
                    items
                        .memories
                        .push((m.initial, m.maximum, m.memory64, m.shared));
                }
            }
            Payload::TagSection(reader) => {
                for tag in reader {
                    items.tags.push(tag?.func_type_idx);
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let g = global?;
                    let init = g.init_expr.get_binary_reader().original_position() as usize;
                    items.globals.push((g.ty.mutable, init));
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let e = export?;
                    let kind = match e.kind {
                        wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => 'f',
                        wasmparser::ExternalKind::Table => 't',
                        wasmparser::ExternalKind::Memory => 'm',
                        wasmparser::ExternalKind::Global => 'g',
                        wasmparser::ExternalKind::Tag => 'e',
                    };
                    items.exports.push((e.name.to_owned(), kind, e.index));
                }
            }
            Payload::ElementSection(reader) => {
                for element in reader {
                    let range = element?.range;
                    items
                        .elements
                        .push((range.start as usize, range.end as usize));
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let d = data?;
                    items.data.push((offset_of(d.data), d.data.len()));
                }
            }
            _ => {}
        }
    }
    Ok(items)
}

fn lading_items(module: &Module) -> Items {
    let bytes = module.bytes();
    let offset_of = |part: &[u8]| part.as_ptr() as usize - bytes.as_ptr() as usize;
    Items {
        types: module
            .types()
            .map(|sub| {
                let (kind, a, b) = match &sub.composite {
                    CompositeType::Func(f) => {
                        ('f', f.params().len() as usize, f.results().len() as usize)
                    }
                    CompositeType::Struct(s) => ('s', s.fields.len() as usize, 0),
                    CompositeType::Array(_) => ('a', 1, 0),
                };
                (sub.is_final, !sub.supertypes.is_empty(), kind, a, b)
            })
            .collect(),
        imports: module
            .imports()
            .map(|i| {
                let kind = match i.ty {
                    TypeRef::Func(_) => 'f',
                    TypeRef::Table(_) => 't',
                    TypeRef::Memory(_) => 'm',
                    TypeRef::Global(_) => 'g',
                    TypeRef::Tag(_) => 'e',
                };
                (i.module.to_owned(), i.name.to_owned(), kind)
            })
            .collect(),
        tables: module
            .tables()
            .map(|t| (t.ty.initial, t.ty.maximum))
            .collect(),
        memories: module
            .memories()
            .map(|m| (m.initial, m.maximum, m.memory64, m.shared))
            .collect(),
        tags: module.tags().map(|t| t.func_type_idx).collect(),
        globals: module
            .globals()
            .map(|g| (g.ty.mutable, g.init_expr.range().start))
            .collect(),
        exports: module
            .exports()
            .map(|e| {
                let kind = match e.kind {
                    ExternalKind::Func => 'f',
                    ExternalKind::Table => 't',
                    ExternalKind::Memory => 'm',
                    ExternalKind::Global => 'g',
                    ExternalKind::Tag => 'e',
                };
                (e.name.to_owned(), kind, e.index)
            })
            .collect(),
        elements: module
            .elements()
            .map(|e| (e.range.start, e.range.end))
            .collect(),
        data: module
            .data()
            .map(|d| (offset_of(d.data), d.data.len()))
            .collect(),
    }
}

/// The counts, and item `i` of each section one by one, agree with the
/// iterators.
fn check_counts_and_lookups(module: &Module, items: &Items, what: &str) {
    let counts = [
        (module.type_count(), items.types.len()),
        (module.import_count(), items.imports.len()),
        (module.table_count(), items.tables.len()),
        (module.memory_count(), items.memories.len()),
        (module.tag_count(), items.tags.len()),
        (module.global_count(), items.globals.len()),
        (module.export_count(), items.exports.len()),
        (module.element_count(), items.elements.len()),
        (module.data_segment_count(), items.data.len()),
    ];
    for (i, (count, len)) in counts.into_iter().enumerate() {
        assert_eq!(count as usize, len, "{what}: count of section kind {i}");
    }
    for i in 0..module.type_count() {
        let sub = module.type_at(i).expect("every type");
        assert_eq!(sub.is_final, items.types[i as usize].0, "{what}: type {i}");
    }
    assert!(module.type_at(module.type_count()).is_none());
    for i in 0..module.import_count() {
        let import = module.import(i).expect("every import");
        assert_eq!(
            import.name, items.imports[i as usize].1,
            "{what}: import {i}"
        );
    }
    assert!(module.import(module.import_count()).is_none());
}

fn check(bytes: Vec<u8>, what: &str) {
    let expected = wasmparser_items(&bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    let module: Module = lading::load(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    check_module(&module, &expected, what);
}

fn check_module(module: &Module, expected: &Items, what: &str) {
    let got = lading_items(module);
    // Section by section, for a readable failure.
    assert_eq!(got.types, expected.types, "{what}: types");
    assert_eq!(got.imports, expected.imports, "{what}: imports");
    assert_eq!(got.tables, expected.tables, "{what}: tables");
    assert_eq!(got.memories, expected.memories, "{what}: memories");
    assert_eq!(got.tags, expected.tags, "{what}: tags");
    assert_eq!(got.globals, expected.globals, "{what}: globals");
    assert_eq!(got.exports, expected.exports, "{what}: exports");
    assert_eq!(got.elements, expected.elements, "{what}: elements");
    assert_eq!(got.data, expected.data, "{what}: data");
    check_counts_and_lookups(module, &got, what);
}

#[test]
fn items_are_wasmparsers() {
    let mut checked = 0;
    for (path, bytes) in common::corpus_or_example() {
        check(bytes, &path.display().to_string());
        checked += 1;
    }
    assert!(checked > 0);
}

/// Every module of the test suite that must decode, and that both load
/// (wasmparser with its features, lading with the script's).
#[test]
fn suite_items_are_wasmparsers() {
    let Some(cases) = common::suite_cases() else {
        return;
    };
    let mut checked = 0;
    for case in cases {
        let (common::Expect::Decodes, Ok(bytes)) = (&case.expect, &case.bytes) else {
            continue;
        };
        let Ok(expected) = wasmparser_items(bytes) else {
            continue;
        };
        let loader = lading::Loader::new(lading::Config::default().features(case.features));
        // A copy for the test to hand over; the module borrows from it.
        let Ok(module) = loader.load(bytes.clone()) else {
            continue;
        };
        check_module(&module, &expected, &case.location);
        checked += 1;
    }
    println!("{checked} test suite modules compared");
    // Most of the suite's modules (5,570 decode).
    assert!(checked > 4000, "only {checked} modules compared");
}
