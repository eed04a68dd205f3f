//! `TypeScan` against decoding (`SubType::from_reader`,
//! `RecGroup::read_header`): wherever the scan answers, decoding succeeds
//! and agrees on the end, the kind, the counts, finality and the first
//! supertype; wherever decoding fails, the scan does not answer. Checked at
//! every byte position of every type section of the spec test suite and of
//! the corpus under many feature sets, on every two-byte sequence in every
//! place a type starts under every combination of the proposals a type can
//! need, and on generated, mutated encodings under random feature sets.

mod common;

use common::{corpus_modules, suite_cases};
use lading_parser::{
    CompositeKind, CompositeType, Features, FromReader, Parser, Payload, Proposal, Reader,
    RecGroup, SubType, SubTypeFacts, TypeScan,
};
use proptest::prelude::*;

/// The proposals whose encodings a type section can hold.
const TYPE_PROPOSALS: [Proposal; 6] = [
    Proposal::MultiValue,
    Proposal::ReferenceTypes,
    Proposal::Simd,
    Proposal::Exceptions,
    Proposal::FunctionReferences,
    Proposal::Gc,
];

/// Every combination of [`TYPE_PROPOSALS`], the other proposals on.
fn type_feature_sets() -> Vec<Features> {
    (0..1u32 << TYPE_PROPOSALS.len())
        .map(|bits| {
            TYPE_PROPOSALS
                .iter()
                .enumerate()
                .fold(Features::ALL, |f, (i, &p)| {
                    if bits >> i & 1 == 1 { f } else { f.without(p) }
                })
        })
        .collect()
}

/// What decoding the subtype at `pos` gives, as facts; `None` if it fails.
fn decoded(data: &[u8], pos: usize, features: Features) -> Option<SubTypeFacts> {
    let mut reader = Reader::new_in_section(data.get(pos..)?, 0, features);
    let sub = SubType::from_reader(&mut reader).ok()?;
    let supertypes: Vec<u32> = sub.supertypes.iter().collect();
    let (kind, params, results, fields) = match &sub.composite {
        CompositeType::Func(f) => (
            CompositeKind::Func,
            f.params().iter().count(),
            f.results().iter().count(),
            0,
        ),
        CompositeType::Struct(s) => (CompositeKind::Struct, 0, 0, s.fields.iter().count()),
        CompositeType::Array(_) => (CompositeKind::Array, 0, 0, 1),
    };
    Some(SubTypeFacts {
        end: pos + reader.position(),
        is_final: sub.is_final,
        supertypes: supertypes.len() as u32,
        first_supertype: supertypes.first().copied(),
        kind,
        params: params as u32,
        results: results as u32,
        fields: fields as u32,
    })
}

/// What reading a group's header at `pos` gives: its count and where its
/// first subtype starts.
fn header(data: &[u8], pos: usize, features: Features) -> Option<(u32, usize)> {
    let mut reader = Reader::new_in_section(data.get(pos..)?, 0, features);
    let h = RecGroup::read_header(&mut reader).ok()?;
    Some((h.count, pos + reader.position()))
}

/// How the scan fared against decoding.
#[derive(Default, Debug)]
struct Tally {
    /// Both answered, alike.
    agreed: u64,
    /// Decoding succeeded where the scan did not answer.
    left_to_decoding: u64,
    /// Both failed.
    both_failed: u64,
}

/// Checks the scan against decoding at `pos`, panicking with `what` on a
/// disagreement.
fn compare_at(data: &[u8], pos: usize, features: Features, tally: &mut Tally, what: &str) {
    let scan = TypeScan::new(features);
    let expected = decoded(data, pos, features);
    match (scan.sub_type(data, pos), expected) {
        (Some(got), Some(expected)) => {
            assert_eq!(got, expected, "{what}: subtype at {pos} under {features:?}");
            tally.agreed += 1;
        }
        (Some(got), None) => panic!(
            "{what}: the scan answers {got:?} at {pos} under {features:?}, decoding fails on {:02x?}",
            &data[pos..data.len().min(pos + 16)]
        ),
        (None, Some(_)) => tally.left_to_decoding += 1,
        (None, None) => tally.both_failed += 1,
    }
    assert_eq!(
        scan.rec_group(data, pos),
        header(data, pos, features),
        "{what}: group header at {pos} under {features:?}"
    );
}

/// Every type section of `bytes` (as far as the module decodes), its items'
/// bytes.
fn type_sections(bytes: &[u8], features: Features) -> Vec<&[u8]> {
    let mut out = Vec::new();
    for payload in Parser::new(bytes, features) {
        match payload {
            Ok(Payload::TypeSection(s)) => out.push(s.items_reader().remaining_bytes()),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    out
}

/// Walks the groups of a type section as a loader would, scanning each
/// subtype and decoding it when the scan does not answer: how many subtypes
/// each way, `None` from the first one that does not decode.
fn walk(data: &[u8], features: Features) -> (u64, u64) {
    let scan = TypeScan::new(features);
    let (mut scanned, mut decoded_only) = (0, 0);
    let mut pos = 0;
    while pos < data.len() {
        let Some((count, first)) = scan.rec_group(data, pos) else {
            break;
        };
        pos = first;
        for _ in 0..count {
            if let Some(facts) = scan.sub_type(data, pos) {
                scanned += 1;
                pos = facts.end;
            } else if let Some(facts) = decoded(data, pos, features) {
                decoded_only += 1;
                pos = facts.end;
            } else {
                return (scanned, decoded_only);
            }
        }
    }
    (scanned, decoded_only)
}

/// Feature sets worth checking a real type section under besides its own:
/// everything, WebAssembly 1.0 and 2.0, and everything but one proposal.
fn variants(own: Features) -> Vec<Features> {
    let mut out = vec![own, Features::ALL, Features::WASM1, Features::WASM2];
    out.extend(TYPE_PROPOSALS.iter().map(|&p| Features::ALL.without(p)));
    out
}

#[test]
fn suite_type_sections_scan_as_they_decode() {
    let Some(cases) = suite_cases() else { return };
    let (mut tally, mut sections) = (Tally::default(), 0);
    let (mut scanned, mut decoded_only) = (0, 0);
    for case in cases {
        let Ok(bytes) = &case.bytes else { continue };
        for data in type_sections(bytes, case.features) {
            sections += 1;
            let (s, d) = walk(data, case.features);
            scanned += s;
            decoded_only += d;
            for features in variants(case.features) {
                for pos in 0..=data.len() {
                    compare_at(data, pos, features, &mut tally, &case.location);
                }
            }
        }
    }
    println!(
        "spec suite: {sections} type sections; subtypes scanned {scanned}, left to decoding \
         {decoded_only}; at every position: {tally:?}"
    );
    assert!(sections > 1000 && tally.agreed > 10_000 && tally.both_failed > 10_000);
    // Subtypes of the suite the scan leaves to decoding: five-byte heap
    // type indices and nothing else, so very few.
    assert!(decoded_only * 100 < scanned, "{decoded_only} of {scanned}");
}

#[test]
fn corpus_type_sections_scan_as_they_decode() {
    let Some(modules) = corpus_modules() else {
        return;
    };
    let (mut tally, mut scanned, mut decoded_only) = (Tally::default(), 0, 0);
    for (path, bytes) in modules {
        let name = path.display().to_string();
        for data in type_sections(&bytes, Features::default()) {
            let (s, d) = walk(data, Features::default());
            scanned += s;
            decoded_only += d;
            for features in [Features::ALL, Features::WASM2] {
                for pos in 0..=data.len() {
                    compare_at(data, pos, features, &mut tally, &name);
                }
            }
        }
    }
    println!(
        "corpus: subtypes scanned {scanned}, left to decoding {decoded_only}; at every \
         position: {tally:?}"
    );
    assert!(scanned > 5_000 && tally.agreed > 5_000);
    assert_eq!(decoded_only, 0, "every corpus subtype is scanned");
}

#[test]
fn every_two_bytes_where_a_type_starts() {
    // Where a subtype, a parameter, a result, a field, an array's element
    // and a supertype start, then two bytes, then zeros.
    let places: [&[u8]; 6] = [
        &[],
        &[0x60, 0x01],
        &[0x60, 0x00, 0x01],
        &[0x5f, 0x02, 0x7f, 0x00],
        &[0x5e],
        &[0x50, 0x01],
    ];
    let sets = type_feature_sets();
    let mut tally = Tally::default();
    let mut bytes = Vec::new();
    for place in places {
        for pair in 0..=u16::MAX {
            bytes.clear();
            bytes.extend_from_slice(place);
            bytes.extend_from_slice(&pair.to_le_bytes());
            bytes.extend_from_slice(&[0x00, 0x00]);
            for &features in &sets {
                compare_at(&bytes, 0, features, &mut tally, "two bytes");
            }
        }
    }
    println!("every two bytes: {tally:?}");
    assert!(tally.agreed > 100_000 && tally.both_failed > 100_000);
}

/// Unsigned LEB128 of `v`, padded with `pad` extra bytes.
fn leb_u(v: u64, pad: usize) -> Vec<u8> {
    let mut out = Vec::new();
    leb128::write::unsigned(&mut out, v).unwrap();
    for _ in 0..pad {
        *out.last_mut().unwrap() |= 0x80;
        out.push(0);
    }
    out
}

/// Signed LEB128 of `v`, sign-padded with `pad` extra bytes.
fn leb_s(v: i64, pad: usize) -> Vec<u8> {
    let mut out = Vec::new();
    leb128::write::signed(&mut out, v).unwrap();
    for _ in 0..pad {
        *out.last_mut().unwrap() |= 0x80;
        out.push(if v < 0 { 0x7f } else { 0 });
    }
    out
}

/// A heap type: an abstract one, a type index of any length, a negative
/// index, or any byte.
fn heap_type() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::sample::select(vec![
            0x70u8, 0x6f, 0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x69, 0x71, 0x73, 0x72, 0x74
        ])
        .prop_map(|b| vec![b]),
        (
            prop_oneof![0i64..64, 0i64..100_000, 0i64..=u32::MAX as i64, -300i64..0],
            0usize..3
        )
            .prop_map(|(v, pad)| leb_s(v, pad)),
        any::<u8>().prop_map(|b| vec![b]),
    ]
}

/// A value or storage type, valid or not.
fn value_type() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => proptest::sample::select(vec![
            0x7fu8, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f, 0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x69,
            0x71, 0x73, 0x72, 0x74, 0x78, 0x77
        ])
        .prop_map(|b| vec![b]),
        3 => (prop_oneof![Just(0x63u8), Just(0x64)], heap_type()).prop_map(|(b, h)| {
            let mut out = vec![b];
            out.extend(h);
            out
        }),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ]
}

/// A count of `items`, sometimes off by one, sometimes padded.
fn counted(items: Vec<Vec<u8>>, skew: i8, pad: usize) -> Vec<u8> {
    let n = (items.len() as i64 + i64::from(skew)).max(0) as u64;
    let mut out = leb_u(n, pad);
    out.extend(items.into_iter().flatten());
    out
}

/// A count's skew (mostly none) and padding (mostly none).
fn count_shape() -> impl Strategy<Value = (i8, usize)> {
    (
        prop_oneof![8 => Just(0i8), 1 => -1i8..=1],
        prop_oneof![8 => Just(0usize), 1 => 0usize..6],
    )
}

/// A subtype, mostly well-formed: an optional `sub`/`sub final` with
/// supertypes, then a function, struct or array type, or any form byte.
fn sub_type() -> impl Strategy<Value = Vec<u8>> {
    let field = || {
        (value_type(), prop_oneof![8 => 0u8..2, 1 => any::<u8>()]).prop_map(|(t, m)| {
            let mut out = t;
            out.push(m);
            out
        })
    };
    let composite = prop_oneof![
        (
            proptest::collection::vec(value_type(), 0..5),
            proptest::collection::vec(value_type(), 0..4),
            count_shape(),
            count_shape(),
        )
            .prop_map(|(params, results, (s1, p1), (s2, p2))| {
                let mut out = vec![0x60];
                out.extend(counted(params, s1, p1));
                out.extend(counted(results, s2, p2));
                out
            }),
        (proptest::collection::vec(field(), 0..5), count_shape()).prop_map(
            |(fields, (skew, pad))| {
                let mut out = vec![0x5f];
                out.extend(counted(fields, skew, pad));
                out
            }
        ),
        field().prop_map(|f| {
            let mut out = vec![0x5e];
            out.extend(f);
            out
        }),
        (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..6)).prop_map(|(b, rest)| {
            let mut out = vec![b];
            out.extend(rest);
            out
        }),
    ];
    let supers = proptest::collection::vec(
        (0u64..=u32::MAX as u64 + 1, 0usize..3).prop_map(|(v, pad)| leb_u(v, pad)),
        0..3,
    );
    (
        prop_oneof![2 => Just(None), 1 => Just(Some(0x50u8)), 1 => Just(Some(0x4f))],
        supers,
        count_shape(),
        composite,
    )
        .prop_map(|(prefix, supers, (skew, pad), composite)| {
            let mut out = Vec::new();
            if let Some(p) = prefix {
                out.push(p);
                out.extend(counted(supers, skew, pad));
            }
            out.extend(composite);
            out
        })
}

/// A random set of proposals.
fn features() -> impl Strategy<Value = Features> {
    any::<u32>().prop_map(|bits| {
        Proposal::ALL
            .iter()
            .enumerate()
            .fold(Features::WASM1, |f, (i, &p)| {
                if bits >> i & 1 == 1 { f.with(p) } else { f }
            })
    })
}

/// A change to an encoding: a byte set, a byte inserted, or the end cut.
#[derive(Clone, Debug)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, u8),
    Cut(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Cut),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn generated_subtypes_scan_as_they_decode(
        sub in sub_type(),
        rec in any::<bool>(),
        mutations in proptest::collection::vec(mutation(), 0..3),
        features in features(),
    ) {
        let mut bytes = if rec { vec![0x4e, 0x01] } else { Vec::new() };
        bytes.extend(sub);
        for m in mutations {
            let len = bytes.len();
            match m {
                Mutation::Set(i, b) if len > 0 => bytes[i % len] = b,
                Mutation::Insert(i, b) => bytes.insert(i % (len + 1), b),
                Mutation::Cut(i) => bytes.truncate(i % (len + 1)),
                Mutation::Set(..) => {}
            }
        }
        let mut tally = Tally::default();
        for pos in 0..=bytes.len() {
            compare_at(&bytes, pos, features, &mut tally, "generated");
        }
    }
}
