//! The custom section decoders against `wasm-encoder` (round trips) and
//! against wasmparser on the corpus modules.

mod common;

use common::corpus_modules;
use lading_parser::{
    BranchHintSectionReader, Name, NameSectionReader, ProducersFieldKind, ProducersSectionReader,
    TargetFeaturePrefix, TargetFeaturesSectionReader,
};
use wasmparser::{Parser, Payload};

/// A custom section found in a module: its name, payload and the payload's
/// absolute offset.
struct Custom<'a> {
    name: &'a str,
    data: &'a [u8],
    offset: usize,
}

/// The custom sections of `module`, up to the first parse error.
fn custom_sections(module: &[u8]) -> Vec<Custom<'_>> {
    let mut found = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload {
            Ok(Payload::CustomSection(c)) => found.push(Custom {
                name: c.name(),
                data: c.data(),
                offset: c.data_offset() as usize,
            }),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    found
}

/// One flattened name entry: (subsection id, outer index, index, name).
type Entry<'a> = (u8, Option<u32>, u32, &'a str);

/// Every entry of a name section through lading-parser, the subsection ids
/// in order, and the error that stopped it (if any).
fn lading_names(
    data: &[u8],
    offset: usize,
) -> (Vec<Entry<'_>>, Vec<u8>, Option<lading_parser::Error>) {
    let mut entries = Vec::new();
    let mut ids = Vec::new();
    for item in NameSectionReader::new(data, offset) {
        let name = match item {
            Ok(name) => name,
            Err(e) => return (entries, ids, Some(e)),
        };
        let id = name.id();
        ids.push(id);
        let result: lading_parser::Result<()> = (|| {
            match name {
                Name::Module { name, .. } => entries.push((id, None, 0, name)),
                Name::Function(map)
                | Name::Type(map)
                | Name::Table(map)
                | Name::Memory(map)
                | Name::Global(map)
                | Name::Element(map)
                | Name::Data(map)
                | Name::Tag(map) => {
                    for n in map {
                        let n = n?;
                        entries.push((id, None, n.index, n.name));
                    }
                }
                Name::Local(map) | Name::Label(map) | Name::Field(map) => {
                    for outer in map {
                        let outer = outer?;
                        for n in outer.names {
                            let n = n?;
                            entries.push((id, Some(outer.index), n.index, n.name));
                        }
                    }
                }
                Name::Unknown { .. } => {}
            }
            Ok(())
        })();
        if let Err(e) = result {
            return (entries, ids, Some(e));
        }
    }
    (entries, ids, None)
}

/// The same through wasmparser, with the offset of its error if any (ids 12
/// and 13, unknown to lading-parser, contribute only their id).
fn wasmparser_names(data: &[u8], offset: usize) -> (Vec<Entry<'_>>, Vec<u8>, Option<usize>) {
    use wasmparser::Name as W;
    let reader =
        wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(data, offset as u64));
    let mut entries = Vec::new();
    let mut ids = Vec::new();
    for item in reader {
        let name = match item {
            Ok(name) => name,
            Err(e) => return (entries, ids, Some(e.offset() as usize)),
        };
        let (id, direct, indirect) = match name {
            W::Module { name, .. } => {
                entries.push((0, None, 0, name));
                (0, None, None)
            }
            W::Function(m) => (1, Some(m), None),
            W::Local(m) => (2, None, Some(m)),
            W::Label(m) => (3, None, Some(m)),
            W::Type(m) => (4, Some(m), None),
            W::Table(m) => (5, Some(m), None),
            W::Memory(m) => (6, Some(m), None),
            W::Global(m) => (7, Some(m), None),
            W::Element(m) => (8, Some(m), None),
            W::Data(m) => (9, Some(m), None),
            W::Field(m) => (10, None, Some(m)),
            W::Tag(m) => (11, Some(m), None),
            W::Parameter(_) => (12, None, None),
            W::TagParameter(_) => (13, None, None),
            W::Unknown { ty, .. } => (ty, None, None),
        };
        ids.push(id);
        for n in direct.into_iter().flatten() {
            let n = match n {
                Ok(x) => x,
                Err(e) => return (entries, ids, Some(e.offset() as usize)),
            };
            entries.push((id, None, n.index, n.name));
        }
        for outer in indirect.into_iter().flatten() {
            let outer = match outer {
                Ok(x) => x,
                Err(e) => return (entries, ids, Some(e.offset() as usize)),
            };
            for n in outer.names {
                let n = match n {
                    Ok(x) => x,
                    Err(e) => return (entries, ids, Some(e.offset() as usize)),
                };
                entries.push((id, Some(outer.index), n.index, n.name));
            }
        }
    }
    (entries, ids, None)
}

/// A producers section flattened: (field name, value name, version).
type Produced<'a> = (&'a str, &'a str, &'a str);

fn lading_producers(data: &[u8], offset: usize) -> lading_parser::Result<Vec<Produced<'_>>> {
    let mut out = Vec::new();
    for field in ProducersSectionReader::new(data, offset)? {
        let field = field?;
        for value in field.values {
            let value = value?;
            out.push((field.name, value.name, value.version));
        }
    }
    Ok(out)
}

fn wasmparser_producers(data: &[u8], offset: usize) -> wasmparser::Result<Vec<Produced<'_>>> {
    let reader = wasmparser::BinaryReader::new(data, offset as u64);
    let mut out = Vec::new();
    for field in wasmparser::ProducersSectionReader::new(reader)? {
        let field = field?;
        for value in field.values {
            let value = value?;
            out.push((field.name, value.name, value.version));
        }
    }
    Ok(out)
}

#[test]
fn name_section_round_trip() {
    let mut names = wasm_encoder::NameSection::new();
    names.module("the module");
    let mut functions = wasm_encoder::NameMap::new();
    functions.append(0, "main");
    functions.append(3, "helper");
    functions.append(70000, "é");
    names.functions(&functions);
    let mut locals = wasm_encoder::IndirectNameMap::new();
    let mut main_locals = wasm_encoder::NameMap::new();
    main_locals.append(0, "x");
    main_locals.append(1, "");
    locals.append(0, &main_locals);
    locals.append(3, &wasm_encoder::NameMap::new());
    names.locals(&locals);
    let mut labels = wasm_encoder::IndirectNameMap::new();
    let mut main_labels = wasm_encoder::NameMap::new();
    main_labels.append(2, "loop");
    labels.append(0, &main_labels);
    names.labels(&labels);
    let one = |name: &str| {
        let mut m = wasm_encoder::NameMap::new();
        m.append(1, name);
        m
    };
    names.types(&one("type"));
    names.tables(&one("table"));
    names.memories(&one("memory"));
    names.globals(&one("global"));
    names.elements(&one("elem"));
    names.data(&one("data"));
    let mut fields = wasm_encoder::IndirectNameMap::new();
    fields.append(4, &one("field"));
    names.fields(&fields);
    names.tags(&one("tag"));
    names.raw(42, &[1, 2, 3]);

    let mut module = wasm_encoder::Module::new();
    module.section(&names);
    let bytes = module.finish();
    let custom = custom_sections(&bytes);
    assert_eq!(custom.len(), 1);
    assert_eq!(custom[0].name, "name");
    let (entries, ids, error) = lading_names(custom[0].data, custom[0].offset);
    assert_eq!(error, None);
    assert_eq!(ids, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 42]);
    let expected: Vec<Entry<'_>> = vec![
        (0, None, 0, "the module"),
        (1, None, 0, "main"),
        (1, None, 3, "helper"),
        (1, None, 70000, "é"),
        (2, Some(0), 0, "x"),
        (2, Some(0), 1, ""),
        (3, Some(0), 2, "loop"),
        (4, None, 1, "type"),
        (5, None, 1, "table"),
        (6, None, 1, "memory"),
        (7, None, 1, "global"),
        (8, None, 1, "elem"),
        (9, None, 1, "data"),
        (10, Some(4), 1, "field"),
        (11, None, 1, "tag"),
    ];
    assert_eq!(entries, expected);
    let last = NameSectionReader::new(custom[0].data, custom[0].offset)
        .last()
        .unwrap()
        .unwrap();
    match last {
        Name::Unknown { id, data, range } => {
            assert_eq!((id, data), (42, &[1, 2, 3][..]));
            assert_eq!(&bytes[range], &[1, 2, 3]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn producers_target_features_and_branch_hints_round_trip() {
    let mut producers = wasm_encoder::ProducersSection::new();
    let mut language = wasm_encoder::ProducersField::new();
    language.value("Rust", "").value("C", "11");
    producers.field("language", &language);
    let mut tools = wasm_encoder::ProducersField::new();
    tools.value("rustc", "1.95.0 (abc 2026-01-01)");
    producers.field("processed-by", &tools);
    let mut sdk = wasm_encoder::ProducersField::new();
    sdk.value("wasi-sdk", "25");
    producers.field("sdk", &sdk);

    // wasm-encoder has no target features encoder: spell it out.
    let target_features = wasm_encoder::CustomSection {
        name: "target_features".into(),
        data: (&[
            0x02, // 2 entries
            b'+', 0x07, b's', b'i', b'm', b'd', b'1', b'2', b'8', // +simd128
            b'-', 0x07, b'a', b't', b'o', b'm', b'i', b'c', b's', // -atomics
        ][..])
            .into(),
    };

    let mut hints = wasm_encoder::BranchHints::new();
    hints.function_hints(
        2,
        [
            wasm_encoder::BranchHint {
                branch_func_offset: 7,
                branch_hint_value: 1,
            },
            wasm_encoder::BranchHint {
                branch_func_offset: 300,
                branch_hint_value: 0,
            },
        ],
    );

    let mut module = wasm_encoder::Module::new();
    module.section(&producers);
    module.section(&target_features);
    module.section(&hints);
    let bytes = module.finish();
    let custom = custom_sections(&bytes);
    let names: Vec<&str> = custom.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        ["producers", "target_features", "metadata.code.branch_hint"]
    );

    let produced = lading_producers(custom[0].data, custom[0].offset).unwrap();
    assert_eq!(
        produced,
        [
            ("language", "Rust", ""),
            ("language", "C", "11"),
            ("processed-by", "rustc", "1.95.0 (abc 2026-01-01)"),
            ("sdk", "wasi-sdk", "25"),
        ]
    );
    let kinds: Vec<_> = ProducersSectionReader::new(custom[0].data, custom[0].offset)
        .unwrap()
        .map(|f| f.unwrap().kind)
        .collect();
    assert_eq!(
        kinds,
        [
            ProducersFieldKind::Language,
            ProducersFieldKind::ProcessedBy,
            ProducersFieldKind::Sdk
        ]
    );

    let features: Vec<_> = TargetFeaturesSectionReader::new(custom[1].data, custom[1].offset)
        .unwrap()
        .map(|f| f.map(|f| (f.prefix, f.name)))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        features,
        [
            (TargetFeaturePrefix::Used, "simd128"),
            (TargetFeaturePrefix::Disallowed, "atomics")
        ]
    );

    let mut functions = BranchHintSectionReader::new(custom[2].data, custom[2].offset).unwrap();
    let f = functions.next().unwrap().unwrap();
    assert_eq!(f.func, 2);
    let hints: Vec<_> = f
        .hints
        .map(|h| h.map(|h| (h.func_offset, h.taken)))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(hints, [(7, true), (300, false)]);
    assert!(functions.next().is_none());
}

#[test]
fn corpus_custom_sections_match_wasmparser() {
    let Some(corpus) = corpus_modules() else {
        return;
    };
    let (mut modules, mut name_sections, mut name_entries) = (0, 0, 0);
    let (mut out_of_order, mut producers_sections, mut producer_values) = (0, 0, 0);
    let (mut feature_sections, mut features, mut name_errors) = (0, 0, 0);
    for (path, bytes) in corpus {
        modules += 1;
        for custom in custom_sections(&bytes) {
            match custom.name {
                "name" => {
                    name_sections += 1;
                    let (ours, our_ids, our_error) = lading_names(custom.data, custom.offset);
                    let (theirs, their_ids, their_error) =
                        wasmparser_names(custom.data, custom.offset);
                    match our_error {
                        Some(e)
                            if e.kind() == lading_parser::ErrorKind::NameSubsectionOutOfOrder =>
                        {
                            // wasmparser does not check the order: compare the
                            // prefix up to the out-of-order subsection.
                            out_of_order += 1;
                            assert_eq!(&their_ids[..our_ids.len()], &our_ids[..], "{path:?}");
                            assert_eq!(&theirs[..ours.len()], &ours[..], "{path:?}");
                        }
                        _ => {
                            let our_offset = our_error.map(|e| e.offset());
                            assert_eq!(our_offset, their_error, "{path:?}: {our_error:?}");
                            name_errors += usize::from(our_error.is_some());
                            assert_eq!(our_ids, their_ids, "{path:?}");
                            assert_eq!(ours, theirs, "{path:?}");
                        }
                    }
                    name_entries += ours.len();
                }
                "producers" => {
                    producers_sections += 1;
                    let ours = lading_producers(custom.data, custom.offset);
                    let theirs = wasmparser_producers(custom.data, custom.offset);
                    match (ours, theirs) {
                        (Ok(ours), Ok(theirs)) => {
                            assert_eq!(ours, theirs, "{path:?}");
                            producer_values += ours.len();
                        }
                        (Err(_), Err(_)) => {}
                        (ours, theirs) => panic!("{path:?}: {ours:?} vs {theirs:?}"),
                    }
                }
                "target_features" => {
                    feature_sections += 1;
                    let reader = TargetFeaturesSectionReader::new(custom.data, custom.offset)
                        .unwrap_or_else(|e| panic!("{path:?}: {e}"));
                    for feature in reader {
                        feature.unwrap_or_else(|e| panic!("{path:?}: {e}"));
                        features += 1;
                    }
                }
                _ => {}
            }
        }
    }
    println!(
        "{modules} modules: {name_sections} name sections ({name_entries} names, \
         {name_errors} with the same error as wasmparser, \
         {out_of_order} with out-of-order subsections), {producers_sections} producers \
         sections ({producer_values} values), {feature_sections} target_features sections \
         ({features} features)"
    );
}
