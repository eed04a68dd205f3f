//! The data section: segments of bytes for memories.

use core::ops::Range;

use super::types::require;
use crate::check::common_const_expr_len;
use crate::{
    ConstExpr, ErrorKind, Features, FromReader, Proposal, Reader, Result, SectionReader, leb128,
};

/// A reader of the data section.
pub type DataSectionReader<'a> = SectionReader<'a, Data<'a>>;

/// How a data segment is used.
#[derive(Clone, Debug)]
pub enum DataKind<'a> {
    /// Available to `memory.init` only (flags 1).
    Passive,
    /// Copied into a memory at instantiation (flags 0: memory 0; flags 2:
    /// an explicit memory index).
    Active {
        /// The memory the bytes go to.
        memory_index: u32,
        /// Where in the memory they go.
        offset_expr: ConstExpr<'a>,
    },
}

/// One entry of the data section.
#[derive(Clone, Debug)]
pub struct Data<'a> {
    /// How the segment is used.
    pub kind: DataKind<'a>,
    /// The segment's bytes, borrowed from the module.
    pub data: &'a [u8],
    /// The absolute byte range of the entry.
    pub range: Range<usize>,
}

impl<'a> FromReader<'a> for Data<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<Data<'a>> {
        let start = reader.offset();
        let at = reader.position();
        let kind = match reader.read_var_u32()? {
            0 => DataKind::Active {
                memory_index: 0,
                offset_expr: ConstExpr::from_reader(reader)?,
            },
            1 => {
                require(reader, Proposal::BulkMemory, at)?;
                DataKind::Passive
            }
            2 => DataKind::Active {
                memory_index: reader.read_var_u32()?,
                offset_expr: ConstExpr::from_reader(reader)?,
            },
            _ => return Err(reader.error_at(ErrorKind::MalformedDataSegmentKind, at)),
        };
        // A length past the end of the section is reported as the section
        // ending early, as the reference interpreter does.
        let len = reader.read_var_u32()?;
        let data = reader.read_bytes(len as usize)?;
        Ok(Data {
            kind,
            data,
            range: start..reader.offset(),
        })
    }
}

impl Data<'_> {
    /// The end of the data segment at `pos` in `items` (the items of a
    /// data section) when it is of a common form: active in memory 0 or
    /// passive (with bulk memory), its offset one instruction of a fast
    /// shape then `end`, its bytes within `items`. `None` for any other
    /// segment, valid or not, which [`Data::from_reader`] decodes (and
    /// reports). A caller that only needs where segments start and end
    /// skips with this and decodes the rest.
    #[inline]
    pub fn skip_common(items: &[u8], pos: usize, features: Features) -> Option<usize> {
        if let Some(end) = skip_active_i32(items, pos) {
            return Some(end);
        }
        let mut at = pos + 1;
        match items.get(pos)? {
            0 => at += offset_len(items.get(at..)?, features)?,
            1 if features.has(Proposal::BulkMemory) => {}
            _ => return None,
        }
        let len = leb128::read_u32_short(items, &mut at).ok()? as usize;
        let end = at.checked_add(len)?;
        (end <= items.len()).then_some(end)
    }
}

/// The end of the data segment at `pos` in `items` when its header is the
/// most common one, all within 16 bytes: active in memory 0 (flags 0), the
/// offset `i32.const` with an integer of up to four bytes then `end`, the
/// length in up to four bytes. Each field's length is found by a branch,
/// not computed from the bytes before it: when the segments of a module
/// share a shape, the branches are predicted and the next segment's start
/// waits on one chain of additions only.
#[inline(always)]
fn skip_active_i32(items: &[u8], pos: usize) -> Option<usize> {
    let head = items.get(pos..)?.first_chunk::<16>()?;
    let [0x00, 0x41, ..] = *head else {
        return None;
    };
    let len_at = match *head {
        [_, _, 0x00..=0x7f, 0x0b, ..] => 4,
        [_, _, 0x80..=0xff, 0x00..=0x7f, 0x0b, ..] => 5,
        [_, _, 0x80..=0xff, 0x80..=0xff, 0x00..=0x7f, 0x0b, ..] => 6,
        [
            _,
            _,
            0x80..=0xff,
            0x80..=0xff,
            0x80..=0xff,
            0x00..=0x7f,
            0x0b,
            ..,
        ] => 7,
        _ => return None,
    };
    let [b0, b1, b2, b3] = *head.get(len_at..)?.first_chunk::<4>()?;
    let (len, len_len) = match (b0, b1, b2, b3) {
        (0x00..=0x7f, ..) => (u32::from(b0), 1),
        (_, 0x00..=0x7f, ..) => (u32::from(b0 & 0x7f) | u32::from(b1) << 7, 2),
        (_, _, 0x00..=0x7f, _) => (
            u32::from(b0 & 0x7f) | u32::from(b1 & 0x7f) << 7 | u32::from(b2) << 14,
            3,
        ),
        (_, _, _, 0x00..=0x7f) => (
            u32::from(b0 & 0x7f)
                | u32::from(b1 & 0x7f) << 7
                | u32::from(b2 & 0x7f) << 14
                | u32::from(b3) << 21,
            4,
        ),
        _ => return None,
    };
    let end = pos + len_at + len_len + len as usize;
    (end <= items.len()).then_some(end)
}

/// The length of the offset expression at the start of `expr` when it is
/// of a common form: `i32.const` with an integer of up to four bytes then
/// `end`, read from one word; else what `common_const_expr_len` takes.
#[inline(always)]
fn offset_len(expr: &[u8], features: Features) -> Option<usize> {
    if let [0x41, b1, b2, b3, b4, b5, ..] = *expr {
        let w = u64::from_le_bytes([b1, b2, b3, b4, b5, 0, 0, 0]);
        // The integer's bytes: up to the first without a continuation.
        let len = ((!w & 0x80_8080_8080).trailing_zeros() / 8 + 1) as usize;
        // Four bytes hold at most 28 bits: never too large for an `i32`.
        if len <= 4 && (w >> (8 * len)) & 0xff == 0x0b {
            return Some(len + 2);
        }
    }
    common_const_expr_len(expr, features)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Features;

    fn data(bytes: &[u8], features: Features) -> Result<Data<'_>> {
        Data::from_reader(&mut Reader::new_in_section(bytes, 0, features))
    }

    #[test]
    fn three_encodings() {
        let all = Features::default();
        // 0: i32.const 3 end, 2 bytes "ab".
        let d = data(&[0x00, 0x41, 0x03, 0x0b, 0x02, b'a', b'b'], all).unwrap();
        assert!(matches!(
            d.kind,
            DataKind::Active {
                memory_index: 0,
                ..
            }
        ));
        assert_eq!((d.data, d.range), (&b"ab"[..], 0..7));
        // 1: 1 byte "x".
        let d = data(&[0x01, 0x01, b'x'], all).unwrap();
        assert!(matches!(d.kind, DataKind::Passive));
        // 2: memory 1, i32.const 0 end, 0 bytes.
        let d = data(&[0x02, 0x01, 0x41, 0x00, 0x0b, 0x00], all).unwrap();
        assert!(matches!(
            d.kind,
            DataKind::Active {
                memory_index: 1,
                ..
            }
        ));
    }

    #[test]
    fn errors() {
        let err = |b: &[u8], f| {
            let e = data(b, f).unwrap_err();
            (e.kind(), e.offset())
        };
        // Flags 3.
        assert_eq!(
            err(&[0x03], Features::default()),
            (ErrorKind::MalformedDataSegmentKind, 0)
        );
        // Passive without bulk memory.
        assert_eq!(
            err(&[0x01, 0x00], Features::WASM1),
            (ErrorKind::FeatureDisabled(Proposal::BulkMemory), 0)
        );
        // 7 bytes declared, 6 given.
        assert_eq!(
            err(&[0x01, 0x07, 1, 2, 3, 4, 5, 6], Features::default()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 8)
        );
    }

    /// Long segments: lengths of three and four bytes, with every group
    /// set, skipped to where decoding ends (one byte short: declined).
    #[test]
    fn long_segments_skip_to_their_end() {
        for len in [
            16_383_usize,
            16_384,
            (1 << 21) - 1,
            (1 << 21) + (3 << 14) + 0x1ff,
        ] {
            let mut encoded = Vec::new();
            ::leb128::write::unsigned(&mut encoded, len as u64).unwrap();
            for offset in [
                &[0x41, 0x05, 0x0b][..],
                &[0x41, 0x80, 0x80, 0x80, 0x01, 0x0b],
            ] {
                let mut segment = [&[0x00], offset, &encoded].concat();
                segment.resize(segment.len() + len, 0xab);
                let end = data(&segment, Features::default()).map(|d| d.range.end);
                assert_eq!(end, Ok(segment.len()));
                assert_eq!(
                    Data::skip_common(&segment, 0, Features::default()),
                    Some(segment.len()),
                    "length {len}"
                );
                // The header's own path, not its fallback, takes it.
                assert_eq!(skip_active_i32(&segment, 0), Some(segment.len()));
                let short = &segment[..segment.len() - 1];
                assert_eq!(Data::skip_common(short, 0, Features::default()), None);
            }
        }
    }

    /// Wherever `skip_common` skips a segment, decoding it succeeds and ends
    /// there; wherever decoding fails, `skip_common` declines. Over segments
    /// of every flag, offset form and length, cut short anywhere, under
    /// three feature sets.
    #[test]
    fn skipping_agrees_with_decoding() {
        let flags: [&[u8]; 5] = [&[0x00], &[0x01], &[0x02, 0x00], &[0x03], &[0x80, 0x00]];
        let offsets: [&[u8]; 13] = [
            &[0x41, 0x05, 0x0b],
            &[0x41, 0x80, 0x01, 0x0b],
            &[0x41, 0xff, 0xff, 0xff, 0x7f, 0x0b],
            &[0x41, 0x80, 0x80, 0x80, 0x01, 0x0a],
            &[0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x0b],
            &[0x41, 0x80, 0x80, 0x04, 0x0b],
            &[0x41, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b],
            &[0x42, 0x7f, 0x0b],
            &[0x23, 0x00, 0x0b],
            &[0x41, 0x05],
            &[0x41, 0x05, 0x41, 0x06, 0x0b],
            &[0xd2, 0x00, 0x0b],
            &[0xff, 0x0b],
        ];
        // Beyond 200 bytes the segment is cut short: 16384 and 2^21 in
        // three and four bytes check the high groups of the length.
        let lengths: [&[u8]; 10] = [
            &[0x00],
            &[0x03],
            &[0xc8, 0x01],
            &[0xc9, 0x01],
            &[0x83, 0x80, 0x00],
            &[0x83, 0x80, 0x80, 0x00],
            &[0x83, 0x80, 0x80, 0x80, 0x00],
            &[0x80, 0x80, 0x80, 0x80, 0x10],
            &[0x80, 0x80, 0x01],
            &[0x80, 0x80, 0x80, 0x01],
        ];
        let (mut checked, mut skipped) = (0, 0);
        for features in [Features::default(), Features::WASM2, Features::WASM1] {
            for flag in flags {
                for offset in offsets {
                    for len in lengths {
                        let mut segment = [flag, offset, len].concat();
                        segment.extend(std::iter::repeat_n(0xab, 200));
                        for cut in 0..segment.len() {
                            let items = &segment[..cut];
                            let decoded = data(items, features).map(|d| d.range.end);
                            match Data::skip_common(items, 0, features) {
                                Some(end) => {
                                    assert_eq!(decoded, Ok(end), "{items:02x?}");
                                    skipped += 1;
                                }
                                None => checked += usize::from(decoded.is_err()),
                            }
                        }
                    }
                }
            }
        }
        // Most cuts fail to decode: the comparison saw them.
        assert!(checked > 10_000 && skipped > 1_000, "{checked} {skipped}");
        // The common forms are skipped (the offset's check reads a window
        // of nine bytes).
        let common = [0x00, 0x41, 0x05, 0x0b, 0x06, 1, 2, 3, 4, 5, 6];
        assert_eq!(Data::skip_common(&common, 0, Features::default()), Some(11));
        assert_eq!(
            Data::skip_common(&[0x01, 0x01, 9], 0, Features::default()),
            Some(3)
        );
    }
}
