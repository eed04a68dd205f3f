//! Checking one code section entry, with the reference interpreter's view
//! of a body that runs out of its bytes.

use crate::check::{check_instructions, val_type_len};
use crate::leb128;
use crate::{BodySummary, Error, ErrorKind, Features, FromReader, FunctionBody, Reader, Result};

/// What a function body is checked under: the enabled proposals, whether
/// the module has a data count section, and the most targets one
/// `br_table` may have ([`FunctionBody::with_max_br_table_targets`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyRules {
    /// The enabled proposals.
    pub features: Features,
    /// Whether the module has a data count section
    /// ([`FunctionBody::with_data_count`]).
    pub data_count_present: bool,
    /// The most targets one `br_table` may have (`u32::MAX`: no bound).
    pub max_br_table_targets: u32,
}

impl BodyRules {
    /// `features`, a data count section present, no `br_table` bound.
    pub fn new(features: Features) -> BodyRules {
        BodyRules {
            features,
            data_count_present: true,
            max_br_table_targets: u32::MAX,
        }
    }
}

/// Checks the code section entry that starts at absolute offset `entry` (its
/// size prefix) of `module`, in a code section whose contents end at
/// `section_end`: reads the body's size, then checks its locals and every
/// instruction ([`FunctionBody::check`]) under `rules`.
///
/// A body that runs out of bytes (of its declared size or of the section)
/// is reported as the reference interpreter reports it: that decoder does
/// not confine a body to its size, it reads on into the bytes that follow
/// and compares positions afterwards. So the body is checked again over the
/// rest of the module: if it then ends, it is longer than declared
/// (`section size mismatch`); if it then fails otherwise (an `else` where a
/// body cannot have one, an over-long integer...), that is the error; if it
/// runs out again, the original error stands.
///
/// Allocates nothing (but for bodies nested deeper than 64 levels).
#[inline]
pub fn check_code_entry(
    module: &[u8],
    entry: usize,
    section_end: usize,
    rules: BodyRules,
) -> Result<BodySummary> {
    // Inline, the common entry that checks; out of line, the rest.
    match check_plain_entry(module, entry, section_end, rules) {
        Some(Ok(summary)) => Ok(summary),
        plain => check_other_entry(module, entry, section_end, rules, plain),
    }
}

/// [`check_code_entry`] for an entry that is not plain (`plain` is
/// `None`) or that failed the plain path.
#[inline(never)]
fn check_other_entry(
    module: &[u8],
    entry: usize,
    section_end: usize,
    rules: BodyRules,
    plain: Option<Result<BodySummary>>,
) -> Result<BodySummary> {
    let checked = plain.unwrap_or_else(|| check_general_entry(module, entry, section_end, rules));
    match checked {
        Err(e) if runs_out(e) => Err(overrun(module, entry, rules, e)),
        result => result,
    }
}

/// [`check_code_entry`] with readers, for any entry (before the re-check of
/// a body that runs out of bytes).
fn check_general_entry(
    module: &[u8],
    entry: usize,
    section_end: usize,
    rules: BodyRules,
) -> Result<BodySummary> {
    let data = module.get(entry..section_end).unwrap_or_default();
    let mut reader = Reader::new_in_section(data, entry, rules.features);
    FunctionBody::from_reader(&mut reader).and_then(|body| body.with_rules(rules).check_in(module))
}

/// [`check_code_entry`] without building readers for the common entry:
/// a size that fits the section, then runs of locals adding up to less
/// than 2^32, each of a value type whose proposals are enabled and whose
/// heap type, if any, is abstract or an index of at most five bytes. `None`
/// for any other entry, which the general path reads (and reports, if
/// malformed) from its start.
#[inline]
fn check_plain_entry(
    module: &[u8],
    entry: usize,
    section_end: usize,
    rules: BodyRules,
) -> Option<Result<BodySummary>> {
    if rules.features == Features::ALL {
        check_plain_entry_with::<true>(module, entry, section_end, rules)
    } else {
        check_plain_entry_with::<false>(module, entry, section_end, rules)
    }
}

/// [`check_plain_entry`], with every proposal enabled if `ALL`.
#[inline(always)]
fn check_plain_entry_with<const ALL: bool>(
    module: &[u8],
    entry: usize,
    section_end: usize,
    rules: BodyRules,
) -> Option<Result<BodySummary>> {
    let section = module.get(..section_end)?;
    let mut pos = entry;
    let size = leb128::read_u32(section, &mut pos).ok()?;
    let body = section.get(pos..pos.checked_add(size as usize)?)?;
    let body_start = pos;
    pos = 0;
    let runs = leb128::read_u32(body, &mut pos).ok()?;
    let disabled = !rules.features.bits();
    let mut total = 0u64;
    // Each run takes at least two bytes of the body, or ends the loop.
    for _ in 0..runs {
        // The eight bytes from the run on, in the module (the run must end
        // within the body).
        let w = u64::from_le_bytes(*module.get(body_start + pos..)?.first_chunk::<8>()?);
        if w & 0x80 == 0 {
            // A one-byte count, then a type of at most seven bytes.
            total += w & 0x7f;
            let ty = w >> 8;
            pos += 1 + match ty & 0xff {
                // Every proposal enabled: a number, or `ref` and `ref null`
                // with a type index of one or two bytes.
                0x7c..=0x7f if ALL => 1,
                0x63 | 0x64 if ALL && ty & 0xc000 == 0 => 2,
                0x63 | 0x64 if ALL && ty & 0xc0_8000 == 0x8000 => 3,
                _ => val_type_len(ty, disabled)?,
            };
        } else {
            total += u64::from(leb128::read_u32(body, &mut pos).ok()?);
            let w = module.get(body_start + pos..)?.first_chunk::<8>()?;
            pos += val_type_len(u64::from_le_bytes(*w), disabled)?;
        }
        if pos > body.len() {
            return None;
        }
    }
    if total > u64::from(u32::MAX) {
        return None;
    }
    Some(check_instructions(
        module,
        body_start + pos,
        body.get(pos..)?,
        total,
        rules,
    ))
}

/// Whether `e` says the bytes ran out (of a body, or of the section for
/// the body's declared size).
fn runs_out(e: Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::UnexpectedEndOfSectionOrFunction | ErrorKind::LengthOutOfBounds
    )
}

fn overrun(module: &[u8], entry: usize, rules: BodyRules, first: Error) -> Error {
    let rest = module.get(entry..).unwrap_or_default();
    let mut reader = Reader::new_in_section(rest, entry, rules.features);
    let size = match reader.read_var_u32() {
        Ok(size) => size,
        Err(e) if runs_out(e) => return first,
        Err(e) => return e,
    };
    // The reference interpreter bounds a size by the module's length only.
    if size as usize > module.len() {
        return Error::new(ErrorKind::LengthOutOfBounds, entry);
    }
    let body_start = reader.offset();
    let body = Reader::new_in_section(reader.remaining_bytes(), body_start, rules.features);
    // No bound on `br_table` targets here: the body is malformed whatever
    // this finds past its bytes, and this only looks for the message.
    match FunctionBody::new(body)
        .with_data_count(rules.data_count_present)
        .check()
    {
        Ok(_) => Error::new(ErrorKind::SectionSizeMismatch, body_start),
        Err(e) if e.kind() == ErrorKind::SectionSizeMismatch => {
            Error::new(ErrorKind::SectionSizeMismatch, body_start)
        }
        Err(e) if runs_out(e) => first,
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Proposal;

    const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    fn entry_error(code: &[u8], section_len: usize) -> ErrorKind {
        let module: Vec<u8> = HEADER.iter().chain(code).copied().collect();
        let end = (HEADER.len() + section_len).min(module.len());
        check_code_entry(
            &module,
            HEADER.len(),
            end,
            BodyRules::new(Features::default()),
        )
        .unwrap_err()
        .kind()
    }

    #[test]
    fn body_ending_past_its_size() {
        // size 4: no locals, i32.const 1, drop; the `end` (0x0b) lies past
        // the declared size (binary.wast: "section size mismatch").
        let code = [0x04, 0x00, 0x41, 0x01, 0x1a, 0x0b, 0x03, 0x01];
        assert_eq!(entry_error(&code, 5), ErrorKind::SectionSizeMismatch);
    }

    #[test]
    fn body_running_into_the_next_one() {
        // size 4 without `end`; the next entry's size byte 0x05 reads as a
        // misplaced `else` (binary.wast: "END opcode expected").
        let code = [
            0x04, 0x00, 0x41, 0x01, 0x1a, 0x05, 0x00, 0x41, 0x01, 0x1a, 0x0b,
        ];
        assert_eq!(entry_error(&code, 5), ErrorKind::EndOpcodeExpected);
    }

    #[test]
    fn body_at_the_end_of_the_module() {
        let code = [0x04, 0x00, 0x41, 0x01, 0x1a];
        assert_eq!(
            entry_error(&code, 5),
            ErrorKind::UnexpectedEndOfSectionOrFunction
        );
    }

    #[test]
    fn integer_running_past_the_body() {
        // size 3: no locals, i32.const with a LEB that continues past the
        // body and is too long (6 bytes).
        let code = [0x03, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b];
        assert_eq!(
            entry_error(&code, 4),
            ErrorKind::IntegerRepresentationTooLong
        );
    }

    #[test]
    fn br_table_targets_over_the_maximum() {
        // At offset 8: size 10, no locals, i32.const 0, br_table with 3
        // targets (0 0 0) and the default 0, end. The count is at 13.
        let code = [
            0x0a, 0x00, 0x41, 0x00, 0x0e, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0b,
        ];
        let module: Vec<u8> = HEADER.iter().chain(&code).copied().collect();
        let rules = |max| BodyRules {
            max_br_table_targets: max,
            ..BodyRules::new(Features::default())
        };
        let check = |max| check_code_entry(&module, 8, module.len(), rules(max));
        let e = check(2).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::TooManyBrTableTargets { count: 3 }, 13)
        );
        assert_eq!(e.message().to_string(), "too many br_table targets");
        assert_eq!(check(3).unwrap().instructions, 3);
        assert_eq!(check(0).unwrap_err().offset(), 13);
        // A count over the bytes left is malformed, whatever the maximum.
        let code = [0x06, 0x00, 0x41, 0x00, 0x0e, 0x7f, 0x0b];
        let module: Vec<u8> = HEADER.iter().chain(&code).copied().collect();
        let e = check_code_entry(&module, 8, module.len(), rules(2));
        assert!(
            !matches!(
                e.unwrap_err().kind(),
                ErrorKind::TooManyBrTableTargets { .. }
            ),
            "malformed before the maximum"
        );
    }

    /// The plain entry's fast path gives what the general path gives (the
    /// same summary, or the same error at the same offset) wherever it takes
    /// an entry: locals of every first byte, `ref` and `ref null` with every
    /// next byte and with type indices of one to six bytes, small and huge
    /// counts, bodies cut inside the locals, under every feature set.
    #[test]
    fn plain_entries_agree_with_the_general_path() {
        let mut types: Vec<Vec<u8>> = (0..=0xffu8).map(|b| vec![b]).collect();
        for lead in [0x63u8, 0x64] {
            types.extend((0..=0xffu8).map(|b| vec![lead, b]));
            for index in [
                &[0x85, 0x01][..],
                &[0xc5, 0x3f],
                &[0xff, 0x7f],
                &[0xc0, 0x00],
                &[0x80, 0x80, 0x80, 0x80, 0x0f],
                &[0x80, 0x80, 0x80, 0x80, 0x10],
                &[0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
            ] {
                types.push([&[lead][..], index].concat());
            }
        }
        let counts: [&[u8]; 4] = [
            &[0x01],
            &[0x00],
            &[0x85, 0x01],
            &[0xff, 0xff, 0xff, 0xff, 0x0f],
        ];
        let mut feature_sets = vec![Features::ALL, Features::WASM1, Features::WASM2];
        feature_sets.extend(Proposal::ALL.iter().map(|&p| Features::ALL.without(p)));
        let (mut fast_ok, mut fast_err, mut declined) = (0, 0, 0);
        for ty in &types {
            for count in counts {
                // One run; two runs, the second of 2^32 - 1 i32 (too many
                // locals after a count of at least 1); then nop, end.
                let one = [&[0x01][..], count, ty, &[0x01, 0x0b]].concat();
                let two = [
                    &[0x02][..],
                    count,
                    ty,
                    &[0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b],
                ]
                .concat();
                for body in [one, two] {
                    // The whole body, and the body cut one and two bytes short
                    // (a type or the instructions running past its size).
                    for cut in 0..3 {
                        let size = body.len() - cut;
                        let mut module = HEADER.to_vec();
                        module.push(size as u8);
                        module.extend_from_slice(&body);
                        let section_end = HEADER.len() + 1 + size;
                        // Bytes after the section, for the fast path's window.
                        module.extend_from_slice(&[0x0b; 8]);
                        for &features in &feature_sets {
                            let rules = BodyRules::new(features);
                            let general = check_general_entry(&module, 8, section_end, rules);
                            match check_plain_entry(&module, 8, section_end, rules) {
                                Some(fast) => {
                                    assert_eq!(
                                        fast, general,
                                        "{body:02x?} size {size} {features:?}"
                                    );
                                    if fast.is_ok() {
                                        fast_ok += 1;
                                    } else {
                                        fast_err += 1;
                                    }
                                }
                                None => declined += 1,
                            }
                        }
                    }
                }
            }
        }
        // Typed locals take the fast path, as do bodies whose instructions
        // are malformed; malformed or disabled locals are declined.
        assert!(fast_ok > 10_000, "{fast_ok}");
        assert!(fast_err > 1_000, "{fast_err}");
        assert!(declined > 10_000, "{declined}");
    }

    #[test]
    fn well_formed_entry() {
        let module: Vec<u8> = HEADER.iter().chain(&[0x02, 0x00, 0x0b]).copied().collect();
        let summary =
            check_code_entry(&module, 8, 11, BodyRules::new(Features::default())).unwrap();
        assert_eq!(summary.instructions, 1);
    }
}
