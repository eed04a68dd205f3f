//! LEB128 integers as the WebAssembly binary format encodes them.
//!
//! An `N`-bit integer takes at most `ceil(N / 7)` bytes; in the last byte the
//! bits beyond `N` must be zero (unsigned) or copies of the sign bit (signed).
//! Redundant zero padding within that byte budget is legal
//! (`80 80 80 80 00` is the u32 `0`).
//!
//! Every function reads from `data` at `*pos`, advances `*pos` past the
//! integer on success and returns an [`Error`] whose offset is an index into
//! `data`. Running out of bytes yields [`ErrorKind::UnexpectedEnd`]; too many
//! bytes yield [`ErrorKind::IntegerRepresentationTooLong`]; stray bits in the
//! last byte yield [`ErrorKind::IntegerTooLarge`]. None of them allocates.
//!
//! ```
//! use lading_parser::leb128;
//! let mut pos = 0;
//! assert_eq!(leb128::read_u32(&[0xe5, 0x8e, 0x26], &mut pos), Ok(624485));
//! assert_eq!(pos, 3);
//! ```

use crate::{Error, ErrorKind, Result};

/// Reads an unsigned 32-bit integer.
#[inline]
pub fn read_u32(data: &[u8], pos: &mut usize) -> Result<u32> {
    if let Some(&byte) = data.get(*pos)
        && byte < 0x80
    {
        *pos += 1;
        return Ok(u32::from(byte));
    }
    // The slow path never returns more than 32 bits.
    read_unsigned(data, pos, 32).map(|v| v as u32)
}

/// [`read_u32`] with integers of up to four bytes read inline, for sizes,
/// counts and indices read in a loop of their own.
#[inline(always)]
pub fn read_u32_short(data: &[u8], pos: &mut usize) -> Result<u32> {
    match data.get(*pos..) {
        Some([low, ..]) if *low < 0x80 => {
            *pos += 1;
            Ok(u32::from(*low))
        }
        Some([low, high, ..]) if *high < 0x80 => {
            *pos += 2;
            Ok(u32::from(low & 0x7f) | u32::from(*high) << 7)
        }
        _ => match read_packed(data, *pos, packed_max_len(32)) {
            Some((value, len)) => {
                *pos += len;
                // At most four groups of seven bits.
                Ok(value as u32)
            }
            None => read_u32(data, pos),
        },
    }
}

/// Reads an unsigned 64-bit integer.
#[inline]
pub fn read_u64(data: &[u8], pos: &mut usize) -> Result<u64> {
    if let Some(&byte) = data.get(*pos)
        && byte < 0x80
    {
        *pos += 1;
        return Ok(u64::from(byte));
    }
    read_unsigned(data, pos, 64)
}

/// Reads a signed 32-bit integer.
#[inline]
pub fn read_i32(data: &[u8], pos: &mut usize) -> Result<i32> {
    match data.get(*pos..) {
        Some([byte, ..]) if *byte < 0x80 => {
            *pos += 1;
            Ok(i32::from(((byte << 1) as i8) >> 1))
        }
        // Two bytes (constants of up to 13 bits and a sign, frequent in
        // code) inline: 14 bits, sign-extended from bit 13.
        Some([low, high, ..]) if *high < 0x80 => {
            *pos += 2;
            let value = i32::from(low & 0x7f) | i32::from(*high) << 7;
            Ok((value << 18) >> 18)
        }
        // Up to five bytes inline; a fifth one must hold bits 28 to 31 and
        // the sign of bit 31 (bits 31 to 34 all equal).
        _ => match read_packed(data, *pos, 5) {
            Some((value, len)) if len < 5 || matches!((value >> 31) & 0xf, 0 | 0xf) => {
                *pos += len;
                // Sign-extended from the top bit of its 7 * len bits: the
                // low 32 bits of that are the value.
                let unused = 64 - 7 * len as u32;
                Ok((((value << unused) as i64) >> unused) as i32)
            }
            // The slow path sign-extends from bit 31, so the value fits.
            _ => read_signed(data, pos, 32).map(|v| v as i32),
        },
    }
}

/// Reads a signed 33-bit integer (the encoding of block types), returned
/// sign-extended in an `i64`.
#[inline]
pub fn read_s33(data: &[u8], pos: &mut usize) -> Result<i64> {
    if let Some(&byte) = data.get(*pos)
        && byte < 0x80
    {
        *pos += 1;
        return Ok(i64::from(((byte << 1) as i8) >> 1));
    }
    read_signed(data, pos, 33)
}

/// Reads a signed 64-bit integer.
#[inline]
pub fn read_i64(data: &[u8], pos: &mut usize) -> Result<i64> {
    if let Some(&byte) = data.get(*pos)
        && byte < 0x80
    {
        *pos += 1;
        return Ok(i64::from(((byte << 1) as i8) >> 1));
    }
    // Up to eight bytes (56 bits) inline.
    if let Some((value, len)) = read_packed(data, *pos, packed_max_len(64)) {
        *pos += len;
        // Sign-extended from the top bit of its 7 * len bits.
        let unused = 64 - 7 * len as u32;
        return Ok(((value << unused) as i64) >> unused);
    }
    read_signed(data, pos, 64)
}

/// Skips an unsigned integer of at most `bits` bits without computing its
/// value, with the same checks as the `read_` functions.
#[inline]
pub fn skip_unsigned(data: &[u8], pos: &mut usize, bits: u32) -> Result<()> {
    if let Some(&byte) = data.get(*pos)
        && byte < 0x80
    {
        *pos += 1;
        return Ok(());
    }
    read_unsigned(data, pos, bits).map(drop)
}

/// Skips `count` unsigned 32-bit integers, with the same checks as
/// [`read_u32`]: eight bytes at a time while the integers in them are
/// complete and at most four bytes long, one at a time otherwise.
pub fn skip_u32s(data: &[u8], pos: &mut usize, mut count: u64) -> Result<()> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while count > 0 {
        if let Some(window) = data.get(*pos..).and_then(|d| d.first_chunk::<8>()) {
            let w = u64::from_le_bytes(*window);
            let more = w & HIGH;
            let stops = !w & HIGH;
            // A byte followed by three more that all continue: an integer
            // of five bytes or more, which needs the exact checks.
            let long = more & (more >> 8) & (more >> 16) & (more >> 24);
            let ends = u64::from(stops.count_ones());
            if long == 0 && ends != 0 && ends <= count {
                // Up to and including the last byte that ends an integer.
                *pos += (63 - stops.leading_zeros()) as usize / 8 + 1;
                count -= ends;
                continue;
            }
        }
        skip_unsigned(data, pos, 32)?;
        count -= 1;
    }
    Ok(())
}

/// Skips a signed integer of at most `bits` bits without computing its
/// value, with the same checks as the `read_` functions.
#[inline]
pub fn skip_signed(data: &[u8], pos: &mut usize, bits: u32) -> Result<()> {
    if let Some(&byte) = data.get(*pos)
        && byte < 0x80
    {
        *pos += 1;
        return Ok(());
    }
    read_signed(data, pos, bits).map(drop)
}

/// Decodes, without a loop, an integer of at most `max_len` bytes (at most
/// 8) whose bytes all lie in the 8 bytes at `pos`: returns its 7-bit
/// groups packed together (not sign-extended) and its length. `None` for
/// anything else, which the byte-by-byte loops handle (and report).
#[inline]
fn read_packed(data: &[u8], pos: usize, max_len: u32) -> Option<(u64, usize)> {
    let w = u64::from_le_bytes(*data.get(pos..)?.first_chunk::<8>()?);
    let stops = !w & 0x8080_8080_8080_8080;
    let len = (stops.trailing_zeros() >> 3) + 1;
    if len > max_len {
        return None;
    }
    // The groups of the integer's bytes, then packed pairwise, by fours
    // and by eights.
    let mut v = w & (u64::MAX >> (64 - 8 * len)) & 0x7f7f_7f7f_7f7f_7f7f;
    v = (v & 0x007f_007f_007f_007f) | ((v & 0x7f00_7f00_7f00_7f00) >> 1);
    v = (v & 0x0000_3fff_0000_3fff) | ((v & 0x3fff_0000_3fff_0000) >> 2);
    v = (v & 0x0000_0000_0fff_ffff) | ((v & 0x0fff_ffff_0000_0000) >> 4);
    Some((v, len as usize))
}

/// The longest integer of `bits` bits [`read_packed`] may decode: one
/// whose groups hold fewer bits, so that it can be neither too large nor
/// too long.
#[inline]
fn packed_max_len(bits: u32) -> u32 {
    if bits >= 64 { 8 } else { (bits - 1) / 7 }
}

/// The two bytes at `pos` if they encode a two-byte integer (the first
/// with its continuation bit, the second without). Integers of 14 bits or
/// more need no check on such an encoding: the bits of the second byte are
/// all within the value.
#[inline]
fn two_bytes(data: &[u8], pos: usize, bits: u32) -> Option<(u8, u8)> {
    match data.get(pos..)? {
        [low, high, ..] if bits >= 14 && low & 0x80 != 0 && high & 0x80 == 0 => Some((*low, *high)),
        _ => None,
    }
}

#[inline(never)]
fn read_unsigned(data: &[u8], pos: &mut usize, bits: u32) -> Result<u64> {
    if let Some((low, high)) = two_bytes(data, *pos, bits) {
        *pos += 2;
        return Ok(u64::from(low & 0x7f) | u64::from(high) << 7);
    }
    if let Some((value, len)) = read_packed(data, *pos, packed_max_len(bits)) {
        *pos += len;
        return Ok(value);
    }
    let mut result = 0u64;
    let mut shift = 0u32;
    loop {
        let Some(&byte) = data.get(*pos) else {
            return Err(Error::new(ErrorKind::UnexpectedEnd, *pos));
        };
        let unused = bits - shift;
        if unused < 7 && (byte & 0x7f) >> unused != 0 {
            return Err(Error::new(ErrorKind::IntegerTooLarge, *pos));
        }
        *pos += 1;
        result |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(result);
        }
        shift += 7;
        if shift >= bits {
            return Err(Error::new(ErrorKind::IntegerRepresentationTooLong, *pos));
        }
    }
}

#[inline(never)]
fn read_signed(data: &[u8], pos: &mut usize, bits: u32) -> Result<i64> {
    if let Some((low, high)) = two_bytes(data, *pos, bits) {
        *pos += 2;
        // 14 bits, sign-extended from bit 13.
        let value = i64::from(low & 0x7f) | i64::from(high) << 7;
        return Ok((value << 50) >> 50);
    }
    if let Some((value, len)) = read_packed(data, *pos, packed_max_len(bits)) {
        *pos += len;
        // Sign-extended from the top bit of its 7 * len bits.
        let unused = 64 - 7 * len as u32;
        return Ok(((value << unused) as i64) >> unused);
    }
    let mut result = 0i64;
    let mut shift = 0u32;
    loop {
        let Some(&byte) = data.get(*pos) else {
            return Err(Error::new(ErrorKind::UnexpectedEnd, *pos));
        };
        let unused = bits - shift;
        if unused < 7 {
            // The bits from the value's sign bit up must all be equal.
            let mask = (0x7f_u8 << (unused - 1)) & 0x7f;
            let high = byte & mask;
            if high != 0 && high != mask {
                return Err(Error::new(ErrorKind::IntegerTooLarge, *pos));
            }
        }
        *pos += 1;
        result |= i64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            if shift < 64 && byte & 0x40 != 0 {
                result |= -1i64 << shift;
            }
            return Ok(result);
        }
        if shift >= bits {
            return Err(Error::new(ErrorKind::IntegerRepresentationTooLong, *pos));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32_of(bytes: &[u8]) -> Result<u32> {
        read_u32(bytes, &mut 0)
    }
    fn i32_of(bytes: &[u8]) -> Result<i32> {
        read_i32(bytes, &mut 0)
    }
    fn kind<T>(r: Result<T>) -> ErrorKind {
        r.err().map(|e| e.kind()).expect("an error")
    }

    /// `skip_u32s` stops where skipping one integer at a time stops, with
    /// the same error.
    #[test]
    fn skipping_many_matches_one_at_a_time() {
        let patterns: [&[u8]; 6] = [
            &[0x01],
            &[0x80, 0x01],
            &[0xff, 0xff, 0x03],
            &[0x80, 0x80, 0x80, 0x01],
            &[0xff, 0xff, 0xff, 0xff, 0x0f],
            &[0xff, 0xff, 0xff, 0xff, 0x1f],
        ];
        // Every sequence of up to five patterns, then nothing, zeros or
        // continuation bytes; counts around it.
        let mut seq = Vec::new();
        for (n, suffix) in (0..6u32).flat_map(|n| [(n, 0x00), (n, 0x80), (n, 0xff)]) {
            for choice in 0..6u32.pow(n) {
                seq.clear();
                let mut c = choice;
                for _ in 0..n {
                    seq.extend_from_slice(patterns[(c % 6) as usize]);
                    c /= 6;
                }
                if suffix != 0xff {
                    seq.extend_from_slice(&[suffix; 8]);
                }
                for count in 0..=u64::from(n) + 1 {
                    let mut one = 0;
                    let expected = (0..count)
                        .try_for_each(|_| skip_unsigned(&seq, &mut one, 32))
                        .map(|()| one);
                    let mut many = 0;
                    let got = skip_u32s(&seq, &mut many, count).map(|()| many);
                    assert_eq!(got, expected, "{seq:02x?} count {count}");
                }
            }
        }
    }

    /// The inline short path reads what `read_u32` reads (itself checked
    /// against the `leb128` crate), errors included: every first two bytes,
    /// then a few third bytes or none.
    #[test]
    fn short_u32s_match_read_u32() {
        for first in 0..=255u8 {
            for second in 0..=255u8 {
                let rests: [&[u8]; 9] = [
                    &[],
                    &[0x00],
                    &[0x7f],
                    &[0x80],
                    &[0xff, 0x0f],
                    &[0x80, 0x01, 0, 0, 0, 0, 0, 0],
                    &[0xff, 0xff, 0x0f, 0, 0, 0, 0, 0],
                    &[0xff, 0xff, 0x1f, 0, 0, 0, 0, 0],
                    &[0x80, 0x80, 0x80, 0x80, 0, 0, 0, 0],
                ];
                for rest in rests {
                    let bytes = [&[first, second][..], rest].concat();
                    for take in 0..=bytes.len() {
                        let data = &bytes[..take];
                        let (mut a, mut b) = (0, 0);
                        assert_eq!(read_u32_short(data, &mut a), read_u32(data, &mut b));
                        assert_eq!(a, b, "{data:02x?}");
                    }
                }
            }
        }
    }

    #[test]
    fn unsigned_edges() {
        assert_eq!(u32_of(&[0x00]), Ok(0));
        assert_eq!(u32_of(&[0x7f]), Ok(127));
        assert_eq!(u32_of(&[0x80, 0x01]), Ok(128));
        // Maximum value, five bytes, last byte uses its low four bits only.
        assert_eq!(u32_of(&[0xff, 0xff, 0xff, 0xff, 0x0f]), Ok(u32::MAX));
        // Redundant padding within five bytes is legal.
        assert_eq!(u32_of(&[0x80, 0x80, 0x80, 0x80, 0x00]), Ok(0));
        // Unused bits of the fifth byte set.
        assert_eq!(
            kind(u32_of(&[0xff, 0xff, 0xff, 0xff, 0x1f])),
            ErrorKind::IntegerTooLarge
        );
        assert_eq!(
            kind(u32_of(&[0x80, 0x80, 0x80, 0x80, 0x10])),
            ErrorKind::IntegerTooLarge
        );
        // A sixth byte.
        assert_eq!(
            kind(u32_of(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00])),
            ErrorKind::IntegerRepresentationTooLong
        );
        // Truncated.
        assert_eq!(kind(u32_of(&[0x80])), ErrorKind::UnexpectedEnd);
        assert_eq!(kind(u32_of(&[])), ErrorKind::UnexpectedEnd);
        let mut pos = 0;
        assert_eq!(
            read_u64(
                &[0xff; 9].iter().copied().chain([0x01]).collect::<Vec<_>>(),
                &mut pos
            ),
            Ok(u64::MAX)
        );
        assert_eq!(pos, 10);
    }

    #[test]
    fn signed_edges() {
        assert_eq!(i32_of(&[0x7f]), Ok(-1));
        assert_eq!(i32_of(&[0x40]), Ok(-64));
        assert_eq!(i32_of(&[0x3f]), Ok(63));
        assert_eq!(i32_of(&[0xc0, 0x00]), Ok(64));
        assert_eq!(i32_of(&[0x80, 0x80, 0x80, 0x80, 0x78]), Ok(i32::MIN));
        assert_eq!(i32_of(&[0xff, 0xff, 0xff, 0xff, 0x07]), Ok(i32::MAX));
        // Padding with sign copies is legal.
        assert_eq!(i32_of(&[0xff, 0xff, 0xff, 0xff, 0x7f]), Ok(-1));
        assert_eq!(i32_of(&[0x80, 0x80, 0x80, 0x80, 0x00]), Ok(0));
        // Bits beyond the sign disagree.
        assert_eq!(
            kind(i32_of(&[0xff, 0xff, 0xff, 0xff, 0x4f])),
            ErrorKind::IntegerTooLarge
        );
        assert_eq!(
            kind(i32_of(&[0x80, 0x80, 0x80, 0x80, 0x70])),
            ErrorKind::IntegerTooLarge
        );
        assert_eq!(
            kind(i32_of(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])),
            ErrorKind::IntegerRepresentationTooLong
        );
        assert_eq!(read_s33(&[0x40], &mut 0), Ok(-64));
        assert_eq!(
            read_s33(&[0xff, 0xff, 0xff, 0xff, 0x0f], &mut 0),
            Ok(0xffff_ffff)
        );
        assert_eq!(
            kind(read_s33(&[0xff, 0xff, 0xff, 0xff, 0x1f], &mut 0)),
            ErrorKind::IntegerTooLarge
        );
        let min = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f];
        assert_eq!(read_i64(&min, &mut 0), Ok(i64::MIN));
        let bad = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x3f];
        assert_eq!(kind(read_i64(&bad, &mut 0)), ErrorKind::IntegerTooLarge);
    }

    #[test]
    fn skip_matches_read() {
        let mut a = 0;
        let mut b = 0;
        let bytes = [0xe5, 0x8e, 0x26, 0x00];
        skip_unsigned(&bytes, &mut a, 32).unwrap();
        read_u32(&bytes, &mut b).unwrap();
        assert_eq!(a, b);
    }
}
