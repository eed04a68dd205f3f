//! A lean scan of the type section: what a loader needs to know of each
//! subtype (where it ends, its counts, its first supertype), found without
//! building a [`SubType`](crate::SubType) or an error.
//!
//! The scan answers `None` for anything it does not handle, whether the
//! subtype is malformed, needs a disabled proposal, or is merely unusual (a
//! heap type index of more than four bytes); the caller then decodes the
//! subtype with [`SubType::from_reader`](crate::FromReader), which reports
//! the exact error. Where the scan answers `Some`, decoding succeeds and
//! agrees with it (tested on the spec test suite, the corpus and generated
//! encodings under every combination of the proposals that matter).

use crate::{Features, Proposal, leb128};

/// What [`TypeScan::sub_type`] found about one subtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubTypeFacts {
    /// The position just past the subtype, in the scanned slice.
    pub end: usize,
    /// Whether the subtype is final (`0x4F`, or a bare composite type).
    pub is_final: bool,
    /// How many supertypes it declares.
    pub supertypes: u32,
    /// The first declared supertype, if any.
    pub first_supertype: Option<u32>,
    /// Which composite type it is.
    pub kind: CompositeKind,
    /// A function type's parameter count (0 for the other kinds).
    pub params: u32,
    /// A function type's result count (0 for the other kinds).
    pub results: u32,
    /// A struct type's field count; 1 for an array type (its element), 0
    /// for a function type.
    pub fields: u32,
}

/// The kind of a composite type, without its contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompositeKind {
    /// `0x60`: a function type.
    Func,
    /// `0x5F`: a struct type.
    Struct,
    /// `0x5E`: an array type.
    Array,
}

// Classes of a byte where a value type, a storage type or a heap type
// starts; each is a bit of the masks of `TypeScan`, so that one table look
// up and one bit test decide a type byte.
/// Never valid here.
const INVALID: u8 = 0;
/// Valid whatever the features: a number type; as a heap type, a one-byte
/// type index (its proposal was checked at the `0x63`/`0x64` before it).
const PLAIN: u8 = 1;
/// Needs SIMD (`v128`).
const SIMD: u8 = 2;
/// Needs reference types (`func`, `extern`).
const REFS: u8 = 3;
/// Needs exceptions (`exn`, `noexn`).
const EXN: u8 = 4;
/// Needs GC (the other abstract heap types).
const GC: u8 = 5;
/// `0x63`/`0x64`: needs function references; a heap type follows.
const TYPED: u8 = 6;
/// `i8`/`i16`: valid in storage types only.
const PACKED: u8 = 7;
/// As a heap type, a type index of more than one byte (or a malformed
/// signed LEB128), read by `long_index`.
const LONG: u8 = 8;

/// One entry per byte: the low nibble is its class as the first byte of a
/// value or storage type, the high nibble its class as the first byte of a
/// heap type.
static CLASSES: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        // Heap types: a non-negative one-byte s33, a longer one, or an
        // abstract heap type; any other byte is a negative s33, malformed.
        let heap = if b < 0x40 {
            PLAIN
        } else if b >= 0x80 {
            LONG
        } else {
            abstract_class(b as u8)
        };
        let value = match b {
            0x7c..=0x7f => PLAIN,
            0x7b => SIMD,
            0x63 | 0x64 => TYPED,
            0x78 | 0x77 => PACKED,
            _ => abstract_class(b as u8),
        };
        table[b] = heap << 4 | value;
        b += 1;
    }
    table
}

/// The class of an abstract heap type's byte (a value type shorthand for
/// its nullable reference too), `INVALID` for any other byte.
const fn abstract_class(byte: u8) -> u8 {
    match byte {
        0x70 | 0x6f => REFS,
        0x69 | 0x74 => EXN,
        0x6e | 0x6d | 0x6c | 0x6b | 0x6a | 0x71 | 0x73 | 0x72 => GC,
        _ => INVALID,
    }
}

/// A scanner of type section entries under a set of features.
///
/// ```
/// use lading_parser::{CompositeKind, Features, TypeScan};
/// // rec, two subtypes: a struct of (mut i8) and (ref null 0); sub of 0, a
/// // function from i32 to i64.
/// let bytes = [
///     0x4e, 0x02, //
///     0x5f, 0x02, 0x78, 0x01, 0x63, 0x00, 0x00, //
///     0x50, 0x01, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7e,
/// ];
/// let scan = TypeScan::new(Features::default());
/// assert_eq!(scan.rec_group(&bytes, 0), Some((2, 2)));
/// let first = scan.sub_type(&bytes, 2).unwrap();
/// assert_eq!((first.kind, first.fields, first.end), (CompositeKind::Struct, 2, 9));
/// let second = scan.sub_type(&bytes, 9).unwrap();
/// assert_eq!((second.kind, second.params, second.results), (CompositeKind::Func, 1, 1));
/// assert_eq!((second.is_final, second.first_supertype), (false, Some(0)));
/// assert_eq!(second.end, bytes.len());
/// // Without GC, neither is scanned (decoding reports the error).
/// assert_eq!(TypeScan::new(Features::WASM2).sub_type(&bytes, 2), None);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct TypeScan {
    /// The classes allowed to start a value type.
    values: u16,
    /// The classes allowed to start a storage type.
    storage: u16,
    /// The classes allowed to start a heap type (`LONG` aside).
    heaps: u16,
    gc: bool,
    multi_value: bool,
}

impl TypeScan {
    /// A scanner accepting what `features` enables.
    pub fn new(features: Features) -> TypeScan {
        let bit = |on: bool, class: u8| if on { 1u16 << class } else { 0 };
        let has = |p| features.has(p);
        let heaps = bit(true, PLAIN)
            | bit(has(Proposal::ReferenceTypes), REFS)
            | bit(has(Proposal::Exceptions), EXN)
            | bit(has(Proposal::Gc), GC);
        let values =
            heaps | bit(has(Proposal::Simd), SIMD) | bit(has(Proposal::FunctionReferences), TYPED);
        TypeScan {
            values,
            storage: values | bit(true, PACKED),
            heaps,
            gc: has(Proposal::Gc),
            multi_value: has(Proposal::MultiValue),
        }
    }

    /// The start of the type section entry at `pos` in `data`: the number
    /// of subtypes of the group (1 for a bare subtype) and the position of
    /// its first subtype. `None` exactly where
    /// [`RecGroup::read_header`](crate::RecGroup::read_header) fails.
    #[inline]
    pub fn rec_group(&self, data: &[u8], pos: usize) -> Option<(u32, usize)> {
        if *data.get(pos)? != 0x4e {
            return Some((1, pos));
        }
        if !self.gc {
            return None;
        }
        let mut pos = pos + 1;
        let count = leb128::read_u32(data, &mut pos).ok()?;
        Some((count, pos))
    }

    /// Scans the subtype at `pos` in `data`. `None` for a malformed
    /// subtype, one that needs a disabled proposal, or one this scan does
    /// not handle (a heap type index of five bytes); where it is `Some`,
    /// [`SubType::from_reader`](crate::FromReader) decodes the same bytes
    /// to the same subtype.
    #[inline]
    pub fn sub_type(&self, data: &[u8], pos: usize) -> Option<SubTypeFacts> {
        let mut pos = pos;
        let mut form = *data.get(pos)?;
        let mut is_final = true;
        let mut supertypes = 0;
        let mut first_supertype = None;
        if form == 0x50 || form == 0x4f {
            if !self.gc {
                return None;
            }
            is_final = form == 0x4f;
            pos += 1;
            supertypes = leb128::read_u32(data, &mut pos).ok()?;
            // Each supertype takes at least a byte: as many rounds as
            // bytes at most.
            for _ in 0..supertypes {
                let index = leb128::read_u32(data, &mut pos).ok()?;
                first_supertype = first_supertype.or(Some(index));
            }
            form = *data.get(pos)?;
        }
        pos += 1;
        let (kind, params, results, fields);
        match form {
            0x60 => {
                kind = CompositeKind::Func;
                params = leb128::read_u32(data, &mut pos).ok()?;
                pos = self.value_types(data, pos, params)?;
                results = leb128::read_u32(data, &mut pos).ok()?;
                if results > 1 && !self.multi_value {
                    return None;
                }
                pos = self.value_types(data, pos, results)?;
                fields = 0;
            }
            0x5f if self.gc => {
                kind = CompositeKind::Struct;
                fields = leb128::read_u32(data, &mut pos).ok()?;
                pos = self.fields(data, pos, fields)?;
                (params, results) = (0, 0);
            }
            0x5e if self.gc => {
                kind = CompositeKind::Array;
                fields = 1;
                pos = self.fields(data, pos, 1)?;
                (params, results) = (0, 0);
            }
            _ => return None,
        }
        Some(SubTypeFacts {
            end: pos,
            is_final,
            supertypes,
            first_supertype,
            kind,
            params,
            results,
            fields,
        })
    }

    /// The end of the value type at `pos` in `data` when the scan takes it
    /// (one of the forms it knows, of an enabled proposal); `None` for any
    /// other, valid or not, which decoding a `ValType` reports.
    pub fn value_type_end(&self, data: &[u8], pos: usize) -> Option<usize> {
        self.value_type(data, pos, self.values)
    }

    /// Skips `count` value types from `pos`; each takes a byte at least.
    #[inline(always)]
    fn value_types(&self, data: &[u8], mut pos: usize, count: u32) -> Option<usize> {
        for _ in 0..count {
            pos = self.value_type(data, pos, self.values)?;
        }
        Some(pos)
    }

    /// Skips `count` field types (a storage type and a mutability) from
    /// `pos`; each takes two bytes at least.
    #[inline(always)]
    fn fields(&self, data: &[u8], mut pos: usize, count: u32) -> Option<usize> {
        for _ in 0..count {
            pos = self.value_type(data, pos, self.storage)?;
            if *data.get(pos)? > 1 {
                return None;
            }
            pos += 1;
        }
        Some(pos)
    }

    /// Skips the value (or storage) type at `pos` whose first byte's class
    /// is in `allowed`.
    #[inline(always)]
    fn value_type(&self, data: &[u8], pos: usize, allowed: u16) -> Option<usize> {
        let class = CLASSES[usize::from(*data.get(pos)?)] & 0xf;
        if allowed >> class & 1 == 0 {
            return None;
        }
        if class != TYPED {
            return Some(pos + 1);
        }
        // (ref null? ht)
        let pos = pos + 1;
        let class = CLASSES[usize::from(*data.get(pos)?)] >> 4;
        if class == LONG {
            return long_index(data, pos);
        }
        if self.heaps >> class & 1 == 0 {
            return None;
        }
        Some(pos + 1)
    }
}

/// Skips the heap type at `pos`, a signed LEB128 of two to four bytes
/// (its first byte has the continuation bit) that must be non-negative: a
/// type index. `None` for anything else, a longer encoding included.
#[inline(always)]
fn long_index(data: &[u8], pos: usize) -> Option<usize> {
    // At most 28 bits in four bytes: within the 33 of an s33, so none of
    // these is too long or too large; the sign is bit 6 of the last byte.
    let mut at = pos + 1;
    while at < pos + 4 {
        let byte = *data.get(at)?;
        if byte < 0x80 {
            return (byte & 0x40 == 0).then_some(at + 1);
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_bytes() {
        assert_eq!(CLASSES[0x7f], PLAIN);
        assert_eq!(CLASSES[0x00], PLAIN << 4);
        assert_eq!(CLASSES[0x3f], PLAIN << 4);
        assert_eq!(CLASSES[0x40], INVALID);
        assert_eq!(CLASSES[0x80], LONG << 4);
        assert_eq!(CLASSES[0x70], REFS << 4 | REFS);
        assert_eq!(CLASSES[0x63], TYPED);
        assert_eq!(CLASSES[0x78], PACKED);
        assert_eq!(CLASSES[0x74], EXN << 4 | EXN);
        assert_eq!(CLASSES[0x6e], GC << 4 | GC);
    }

    #[test]
    fn long_indices() {
        let scan = TypeScan::new(Features::default());
        let run = |bytes: &[u8]| scan.value_type(bytes, 0, scan.values);
        // (ref 200), (ref 8191), (ref 2^20), (ref 2^27 - 1)
        assert_eq!(run(&[0x64, 0xc8, 0x01]), Some(3));
        assert_eq!(run(&[0x64, 0xff, 0x3f]), Some(3));
        assert_eq!(run(&[0x64, 0x80, 0x80, 0x40]), None, "negative");
        assert_eq!(run(&[0x64, 0x80, 0x80, 0x20]), Some(4));
        assert_eq!(run(&[0x64, 0xff, 0xff, 0xff, 0x3f]), Some(5));
        // Five bytes: left to decoding.
        assert_eq!(run(&[0x64, 0x80, 0x80, 0x80, 0x80, 0x00]), None);
        // Cut short.
        assert_eq!(run(&[0x64, 0x80, 0x80]), None);
    }
}
