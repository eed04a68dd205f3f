//! The logic of the fuzz targets, kept in plain functions so that a smoke
//! test can run it without libFuzzer.

use lading_parser::{
    BranchHintSectionReader, ErrorKind, Features, FunctionBody, IndirectNameMap, Name, NameMap,
    NameSectionReader, ProducersSectionReader, Proposal, Reader, Result,
    TargetFeaturesSectionReader, leb128,
};

mod differential;
mod load;
mod split;
mod threads;

pub use differential::{check_bytes_agree, check_smith_counts};
pub use load::check_load;
pub use split::check_split;
pub use threads::check_threads;

/// What an LEB128 reader of lading-parser returned: the value and the bytes
/// consumed, or `None` for an error.
type Outcome<T> = Option<(T, usize)>;

/// Runs one of lading-parser's readers on `data`, checking that an error's
/// offset lies within the data.
fn ours<T>(data: &[u8], read: fn(&[u8], &mut usize) -> Result<T>) -> Outcome<T> {
    let mut pos = 0;
    match read(data, &mut pos) {
        Ok(v) => {
            assert!(pos <= data.len());
            Some((v, pos))
        }
        Err(e) => {
            assert!(e.offset() <= data.len(), "{e:?} past {}", data.len());
            None
        }
    }
}

/// The `leb128` crate's unsigned reading: the value and the bytes consumed.
fn reference_unsigned(data: &[u8]) -> Outcome<u64> {
    let mut rest = data;
    let v = ::leb128::read::unsigned(&mut rest).ok()?;
    Some((v, data.len() - rest.len()))
}

/// The `leb128` crate's signed reading: the value and the bytes consumed.
fn reference_signed(data: &[u8]) -> Outcome<i64> {
    let mut rest = data;
    let v = ::leb128::read::signed(&mut rest).ok()?;
    Some((v, data.len() - rest.len()))
}

/// Checks lading-parser's LEB128 readers against the `leb128` crate: an
/// encoding is accepted exactly when the crate reads it in at most
/// `ceil(bits / 7)` bytes and its value fits the type, with the same value
/// and length.
pub fn check_leb128(data: &[u8]) {
    let unsigned = reference_unsigned(data);
    let signed = reference_signed(data);

    let expected = unsigned.filter(|&(v, n)| n <= 5 && v <= u64::from(u32::MAX));
    let got = ours(data, leb128::read_u32).map(|(v, n)| (u64::from(v), n));
    assert_eq!(got, expected, "u32 of {data:02x?}");

    let expected = unsigned.filter(|&(_, n)| n <= 10);
    assert_eq!(ours(data, leb128::read_u64), expected, "u64 of {data:02x?}");

    let in_i32 = i64::from(i32::MIN)..=i64::from(i32::MAX);
    let expected = signed.filter(|&(v, n)| n <= 5 && in_i32.contains(&v));
    let got = ours(data, leb128::read_i32).map(|(v, n)| (i64::from(v), n));
    assert_eq!(got, expected, "i32 of {data:02x?}");

    let in_s33 = -(1i64 << 32)..=(1i64 << 32) - 1;
    let expected = signed.filter(|&(v, n)| n <= 5 && in_s33.contains(&v));
    assert_eq!(ours(data, leb128::read_s33), expected, "s33 of {data:02x?}");

    let expected = signed.filter(|&(_, n)| n <= 10);
    assert_eq!(ours(data, leb128::read_i64), expected, "i64 of {data:02x?}");
}

/// Where the fuzzed payload pretends to start in its module.
const BASE: usize = 1000;

/// Checks that an error points into the payload (or just past it).
fn check_error(data: &[u8], e: lading_parser::Error) {
    assert!(
        (BASE..=BASE + data.len()).contains(&e.offset()),
        "{e:?} outside {BASE}..={}",
        BASE + data.len()
    );
}

/// Drains a name map, checking errors.
fn drain_name_map(data: &[u8], map: NameMap<'_>) {
    for naming in map {
        if let Err(e) = naming {
            check_error(data, e);
        }
    }
}

/// Drains an indirect name map and every inner map, checking errors.
fn drain_indirect_name_map(data: &[u8], map: IndirectNameMap<'_>) {
    for entry in map {
        match entry {
            Ok(entry) => drain_name_map(data, entry.names),
            Err(e) => check_error(data, e),
        }
    }
}

/// Feeds `data` as the payload of every custom section decoder and reads
/// everything they yield: none may panic, every error must point into the
/// payload, and every iterator must stop after its first error.
pub fn check_custom_sections(data: &[u8]) {
    let mut names = NameSectionReader::new(data, BASE);
    for name in names.by_ref() {
        match name {
            Ok(
                Name::Function(map)
                | Name::Type(map)
                | Name::Table(map)
                | Name::Memory(map)
                | Name::Global(map)
                | Name::Element(map)
                | Name::Data(map)
                | Name::Tag(map),
            ) => drain_name_map(data, map),
            Ok(Name::Local(map) | Name::Label(map) | Name::Field(map)) => {
                drain_indirect_name_map(data, map);
            }
            Ok(Name::Module { range, .. } | Name::Unknown { range, .. }) => {
                assert!(range.start >= BASE && range.end <= BASE + data.len());
            }
            Err(e) => check_error(data, e),
        }
    }
    assert!(names.next().is_none());

    match NameMap::new(data, BASE) {
        Ok(map) => drain_name_map(data, map),
        Err(e) => check_error(data, e),
    }
    match IndirectNameMap::new(data, BASE) {
        Ok(map) => drain_indirect_name_map(data, map),
        Err(e) => check_error(data, e),
    }

    match ProducersSectionReader::new(data, BASE) {
        Ok(mut fields) => {
            for field in fields.by_ref() {
                match field {
                    // The values were checked when the field was read.
                    Ok(mut field) => assert!(field.values.all(|v| v.is_ok())),
                    Err(e) => check_error(data, e),
                }
            }
            assert!(fields.next().is_none());
        }
        Err(e) => check_error(data, e),
    }

    match TargetFeaturesSectionReader::new(data, BASE) {
        Ok(mut features) => {
            for feature in features.by_ref() {
                if let Err(e) = feature {
                    check_error(data, e);
                }
            }
            assert!(features.next().is_none());
        }
        Err(e) => check_error(data, e),
    }

    match BranchHintSectionReader::new(data, BASE) {
        Ok(mut functions) => {
            for function in functions.by_ref() {
                match function {
                    // The hints were checked when the function was read.
                    Ok(mut function) => assert!(function.hints.all(|h| h.is_ok())),
                    Err(e) => check_error(data, e),
                }
            }
            assert!(functions.next().is_none());
        }
        Err(e) => check_error(data, e),
    }
}

/// What one body decoder made of a body: the instruction count and the
/// offset where it stopped, or the error's kind and offset.
type Verdict = core::result::Result<(u64, usize), (ErrorKind, usize)>;

/// The check pass's verdict; on success it read the whole body.
fn by_check(body: &FunctionBody<'_>) -> Verdict {
    match body.check() {
        Ok(summary) => Ok((summary.instructions, body.range().end)),
        Err(e) => Err((e.kind(), e.offset())),
    }
}

/// The operator iterator's verdict, iterated to the end: the operators it
/// yields (every `end` included) and where it stops.
fn by_operators(body: &FunctionBody<'_>) -> Verdict {
    let mut ops = body
        .operators_reader()
        .map_err(|e| (e.kind(), e.offset()))?;
    let mut count = 0;
    for op in ops.by_ref() {
        op.map_err(|e| (e.kind(), e.offset()))?;
        count += 1;
    }
    Ok((count, ops.offset()))
}

/// Both decoders on the body over `data` at `BASE`: the same verdict, the
/// same count and end, the same error kind and offset, errors inside the
/// body (or just past it).
fn compare_body_decoders(data: &[u8], features: Features, data_count: bool) {
    let reader = Reader::new_in_section(data, BASE, features);
    let body = FunctionBody::new(reader).with_data_count(data_count);
    let check = by_check(&body);
    let ops = by_operators(&body);
    assert_eq!(
        check, ops,
        "check pass vs operators on {data:02x?}, {features:?}, data count {data_count}"
    );
    if let Err((_, offset)) = check {
        assert!((BASE..=BASE + data.len()).contains(&offset));
    }
}

/// The features three bytes choose: one bit per proposal.
fn features_from(bits: [u8; 3]) -> Features {
    let mask = u32::from_le_bytes([bits[0], bits[1], bits[2], 0]);
    Proposal::ALL
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .fold(Features::WASM1, |f, (_, p)| f.with(*p))
}

/// The check pass against the operator iterator: `data` as a body with all
/// features (with and without a data count section), then, if it has four
/// bytes or more, the rest after them as a body with the features the
/// first three choose and the data count section the fourth's low bit says.
pub fn check_operators(data: &[u8]) {
    compare_body_decoders(data, Features::ALL, true);
    compare_body_decoders(data, Features::ALL, false);
    if let [a, b, c, d, rest @ ..] = data {
        compare_body_decoders(rest, features_from([*a, *b, *c]), d & 1 != 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoke() {
        let leb_inputs: &[&[u8]] = &[
            &[],
            &[0x00],
            &[0x7f],
            &[0x80, 0x01],
            &[0xff, 0xff, 0xff, 0xff, 0x0f],
            &[0xff, 0xff, 0xff, 0xff, 0x1f],
            &[0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
            &[0xff, 0xff, 0xff, 0xff, 0x7f],
            &[0x80, 0x80, 0x80, 0x80, 0x78],
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            &[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f],
            &[
                0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,
            ],
        ];
        for input in leb_inputs {
            check_leb128(input);
        }
        let section_inputs: &[&[u8]] = &[
            &[],
            &[0x00, 0x02, 0x01, b'a'],
            &[0x01, 0x04, 0x01, 0x02, 0x01, b'f', 0x01, 0x00],
            &[0x02, 0x06, 0x01, 0x00, 0x01, 0x00, 0x01, 0xff],
            &[
                0x01, 0x08, b'l', b'a', b'n', b'g', b'u', b'a', b'g', b'e', 0x00,
            ],
            &[0x01, b'+', 0x01, b'a'],
            &[0x01, 0x00, 0x01, 0x05, 0x01, 0x01],
            &[0xff, 0xff, 0xff, 0xff, 0x0f],
        ];
        for input in section_inputs {
            check_custom_sections(input);
        }
        let body_inputs: &[&[u8]] = &[
            &[],
            // no locals; end
            &[0x00, 0x0b],
            // no locals; i32.const 1; drop; (no end)
            &[0x00, 0x41, 0x01, 0x1a],
            // no locals; if; else; end; end; then a trailing nop
            &[0x00, 0x04, 0x40, 0x05, 0x0b, 0x0b, 0x01],
            // no locals; delegate with an over-long label
            &[0x00, 0x18, 0x80, 0x80, 0x80, 0x80, 0x10],
            // no locals; memory.init 0 0; end (needs a data count section)
            &[0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b],
            // features 0 (1.0), data count: no locals; i32.load flags
            // 0x40; end
            &[0x00, 0x00, 0x00, 0x01, 0x00, 0x28, 0x40, 0x00, 0x00, 0x0b],
            // all features but reference types: return_call_indirect 1 1
            &[0xef, 0xff, 0x07, 0x01, 0x00, 0x13, 0x01, 0x01, 0x0b],
        ];
        for input in body_inputs {
            check_operators(input);
        }
        let modules: &[&[u8]] = &[
            &[],
            &[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
            // (func (export "f") (result i32) i32.const 42)
            &[
                0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01,
                0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, b'f', 0x00, 0x00, 0x0a, 0x06,
                0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
            ],
            // A name section, a count of 2^32 - 1 in a type section.
            &[
                0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x04, b'n', b'a', b'm',
                b'e', 0x01, 0x01, 0x00, 0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f,
            ],
        ];
        for module in modules {
            check_load(module);
            check_threads(module);
            check_bytes_agree(module);
        }
        // Findings of the differential target (harness, not lading): a
        // section id past 13 (0x7f, 0x0e) and a result type 0x68, which
        // wasmparser's parser accepts and its validator rejects.
        let findings: &[&[u8]] = &[
            &[
                0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x7f, 0x01, 0x00,
            ],
            &[
                0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0e, 0x01, 0x00,
            ],
            &[
                0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01,
                0x68, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x41, 0x00, 0x43, 0x00,
                0x00, 0x00, 0x00, 0xfd, 0x3d, 0x0b,
            ],
        ];
        for finding in findings {
            check_load(finding);
            check_bytes_agree(finding);
        }
        for seed in 0..64u8 {
            let data: Vec<u8> = (0..4096u32)
                .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
                .collect();
            check_smith_counts(&data);
        }
    }
}
