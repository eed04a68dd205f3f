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
    if let Some(&byte) = data.get(*pos)
        && byte < 0x80
    {
        *pos += 1;
        return Ok(i32::from(((byte << 1) as i8) >> 1));
    }
    // The slow path sign-extends from bit 31, so the value fits.
    read_signed(data, pos, 32).map(|v| v as i32)
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
