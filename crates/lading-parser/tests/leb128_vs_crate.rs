//! LEB128 decoding checked against the `leb128` crate as encoder and oracle.

use lading_parser::{ErrorKind, leb128};
use proptest::prelude::*;

fn enc_u(v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    ::leb128::write::unsigned(&mut out, v).unwrap();
    out
}

fn enc_s(v: i64) -> Vec<u8> {
    let mut out = Vec::new();
    ::leb128::write::signed(&mut out, v).unwrap();
    out
}

/// Re-encodes a canonical LEB128 as `len` bytes by zero padding (unsigned)
/// or sign padding (signed), as the spec allows within the byte budget.
fn pad(canonical: &[u8], len: usize, fill: u8) -> Vec<u8> {
    let mut out = canonical.to_vec();
    if let Some(last) = out.last_mut()
        && len > canonical.len()
    {
        *last |= 0x80;
    }
    while out.len() < len {
        let byte = if out.len() + 1 == len {
            fill & 0x7f
        } else {
            fill | 0x80
        };
        out.push(byte);
    }
    out
}

/// The raw value of the first LEB128 group in `bytes` (all 7-bit groups up
/// to the first byte without a continuation bit), unsigned and signed, with
/// its length; `None` if no group ends or it is longer than 10 bytes.
fn raw(bytes: &[u8]) -> Option<(u128, i128, usize)> {
    let end = bytes.iter().position(|b| b & 0x80 == 0)? + 1;
    if end > 10 {
        return None;
    }
    let mut value = 0u128;
    for (i, b) in bytes[..end].iter().enumerate() {
        value |= u128::from(b & 0x7f) << (7 * i);
    }
    let width = 7 * end as u32;
    let signed = ((value << (128 - width)) as i128) >> (128 - width);
    Some((value, signed, end))
}

/// The spec's verdict on `bytes` as an `N`-bit unsigned integer: at most
/// ceil(N/7) bytes, and the value of all groups (unused bits included) fits.
/// Cross-checked with the `leb128` crate's decoder.
fn oracle_unsigned(bytes: &[u8], bits: u32) -> Option<(u64, usize)> {
    let (value, _, end) = raw(bytes)?;
    if end > bits.div_ceil(7) as usize || value >> bits != 0 {
        return None;
    }
    let mut slice = &bytes[..end];
    assert_eq!(
        ::leb128::read::unsigned(&mut slice).ok(),
        Some(value as u64)
    );
    Some((value as u64, end))
}

/// Same for a signed integer: the sign-extended value of all groups fits.
fn oracle_signed(bytes: &[u8], bits: u32) -> Option<(i64, usize)> {
    let (_, value, end) = raw(bytes)?;
    let half = 1i128 << (bits - 1);
    if end > bits.div_ceil(7) as usize || value < -half || value >= half {
        return None;
    }
    let mut slice = &bytes[..end];
    assert_eq!(::leb128::read::signed(&mut slice).ok(), Some(value as i64));
    Some((value as i64, end))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn u32_round_trips(v: u32, extra in 0usize..5) {
        let canonical = enc_u(u64::from(v));
        let bytes = pad(&canonical, (canonical.len() + extra).min(5), 0);
        let mut pos = 0;
        prop_assert_eq!(leb128::read_u32(&bytes, &mut pos), Ok(v));
        prop_assert_eq!(pos, bytes.len());
    }

    #[test]
    fn u64_round_trips(v: u64, extra in 0usize..10) {
        let canonical = enc_u(v);
        let bytes = pad(&canonical, (canonical.len() + extra).min(10), 0);
        let mut pos = 0;
        prop_assert_eq!(leb128::read_u64(&bytes, &mut pos), Ok(v));
        prop_assert_eq!(pos, bytes.len());
    }

    #[test]
    fn i32_round_trips(v: i32, extra in 0usize..5) {
        let canonical = enc_s(i64::from(v));
        let fill = if v < 0 { 0x7f } else { 0 };
        let bytes = pad(&canonical, (canonical.len() + extra).min(5), fill);
        let mut pos = 0;
        prop_assert_eq!(leb128::read_i32(&bytes, &mut pos), Ok(v));
        prop_assert_eq!(pos, bytes.len());
    }

    /// Values of one to four bytes, which take the inline paths.
    #[test]
    fn short_i32_round_trips(v in -(1i32 << 27)..(1i32 << 27), extra in 0usize..5) {
        let canonical = enc_s(i64::from(v));
        let fill = if v < 0 { 0x7f } else { 0 };
        let bytes = pad(&canonical, (canonical.len() + extra).min(5), fill);
        let mut pos = 0;
        prop_assert_eq!(leb128::read_i32(&bytes, &mut pos), Ok(v));
        prop_assert_eq!(pos, bytes.len());
    }

    #[test]
    fn s33_round_trips(v in -(1i64 << 32)..(1i64 << 32)) {
        let bytes = enc_s(v);
        let mut pos = 0;
        prop_assert_eq!(leb128::read_s33(&bytes, &mut pos), Ok(v));
        prop_assert_eq!(pos, bytes.len());
    }

    #[test]
    fn i64_round_trips(v: i64, extra in 0usize..10) {
        let canonical = enc_s(v);
        let fill = if v < 0 { 0x7f } else { 0 };
        let bytes = pad(&canonical, (canonical.len() + extra).min(10), fill);
        let mut pos = 0;
        prop_assert_eq!(leb128::read_i64(&bytes, &mut pos), Ok(v));
        prop_assert_eq!(pos, bytes.len());
    }

    /// On arbitrary bytes, every width accepts exactly what the oracle
    /// accepts, with the same value and length.
    #[test]
    fn arbitrary_bytes_agree(bytes in proptest::collection::vec(any::<u8>(), 0..12)) {
        for bits in [32u32, 64] {
            let mut pos = 0;
            let ours = if bits == 32 {
                leb128::read_u32(&bytes, &mut pos).map(u64::from)
            } else {
                leb128::read_u64(&bytes, &mut pos)
            };
            prop_assert_eq!(ours.ok().map(|v| (v, pos)), oracle_unsigned(&bytes, bits));
        }
        for bits in [32u32, 33, 64] {
            let mut pos = 0;
            let ours = match bits {
                32 => leb128::read_i32(&bytes, &mut pos).map(i64::from),
                33 => leb128::read_s33(&bytes, &mut pos),
                _ => leb128::read_i64(&bytes, &mut pos),
            };
            prop_assert_eq!(ours.ok().map(|v| (v, pos)), oracle_signed(&bytes, bits));
        }
    }

    /// Rejections carry the spec's reason.
    #[test]
    fn too_long_and_too_large(v: u32) {
        // Six bytes is one too many for a u32, whatever the value.
        let bytes = pad(&enc_u(u64::from(v)), 6, 0);
        let e = leb128::read_u32(&bytes, &mut 0).unwrap_err();
        prop_assert_eq!(e.kind(), ErrorKind::IntegerRepresentationTooLong);
        // A value of 2^32 or more in five bytes is too large.
        let big = enc_u(u64::from(v) | (1 << 32));
        let e = leb128::read_u32(&big, &mut 0).unwrap_err();
        prop_assert_eq!(e.kind(), ErrorKind::IntegerTooLarge);
    }
}

#[test]
fn spec_examples() {
    // From binary-leb128.wast: padded zero, and the largest five-byte u32.
    assert_eq!(
        leb128::read_u32(&[0x80, 0x80, 0x80, 0x80, 0x00], &mut 0),
        Ok(0)
    );
    assert_eq!(
        leb128::read_u32(&[0xff, 0xff, 0xff, 0xff, 0x0f], &mut 0),
        Ok(u32::MAX)
    );
    let e = leb128::read_u32(&[0x80, 0x80, 0x80, 0x80, 0x70], &mut 0).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::IntegerTooLarge);
    assert_eq!(
        leb128::read_i32(&[0xff, 0xff, 0xff, 0xff, 0x7f], &mut 0),
        Ok(-1)
    );
    let e = leb128::read_i32(&[0xff, 0xff, 0xff, 0xff, 0x4f], &mut 0).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::IntegerTooLarge);
}
