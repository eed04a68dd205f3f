//! Checking that names are UTF-8 without building a `&str`.

/// The high bit of every byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Whether `bytes` are valid UTF-8: ASCII is recognized eight bytes at a
/// time (most names are ASCII, and short, where `core::str::from_utf8`
/// goes byte by byte); anything else is left to `core::str::from_utf8`.
#[inline]
pub(crate) fn is_utf8(bytes: &[u8]) -> bool {
    is_ascii(bytes) || core::str::from_utf8(bytes).is_ok()
}

/// Whether every byte of `bytes` is below 0x80.
#[inline(always)]
fn is_ascii(bytes: &[u8]) -> bool {
    let mut high = 0u64;
    let mut rest = bytes;
    while let Some((word, after)) = rest.split_first_chunk::<8>() {
        high |= u64::from_le_bytes(*word);
        rest = after;
    }
    match bytes.last_chunk::<8>() {
        // The last eight bytes cover what is left (and some bytes again).
        Some(last) => high |= u64::from_le_bytes(*last),
        None => {
            for &byte in rest {
                high |= u64::from(byte);
            }
        }
    }
    high & HIGH_BITS == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ascii_and_beyond() {
        assert!(is_utf8(b""));
        assert!(is_utf8(b"name"));
        assert!(is_utf8(b"custom-123"));
        assert!(is_utf8("süß, 名前 🦀".as_bytes()));
        // A high bit in each position of a 1- to 17-byte name.
        for len in 1..=17 {
            for at in 0..len {
                let mut name = vec![b'a'; len];
                name[at] = 0xff;
                assert!(!is_utf8(&name), "0xff at {at} of {len}");
                name[at] = 0x80;
                assert!(!is_utf8(&name), "0x80 at {at} of {len}");
            }
        }
        // Truncated and overlong sequences.
        assert!(!is_utf8(&[b'a', 0xc3]));
        assert!(!is_utf8(&[0xc0, 0x80]));
        assert!(!is_utf8(&[0xed, 0xa0, 0x80]));
    }

    proptest! {
        /// Agrees with `core::str::from_utf8` on any bytes, and on bytes
        /// that are mostly ASCII (where the word path decides).
        #[test]
        fn agrees_with_core(bytes in proptest::collection::vec(any::<u8>(), 0..40),
                            ascii in proptest::collection::vec(0u8..0x80, 0..40),
                            at in any::<usize>(), byte in any::<u8>()) {
            prop_assert_eq!(is_utf8(&bytes), core::str::from_utf8(&bytes).is_ok());
            let mut mostly = ascii;
            if !mostly.is_empty() {
                let i = at % mostly.len();
                mostly[i] = byte;
            }
            prop_assert_eq!(is_utf8(&mostly), core::str::from_utf8(&mostly).is_ok());
        }
    }
}
