//! Custom sections: a name and opaque bytes.

use core::ops::Range;

use crate::{Reader, Result};

/// A custom section (id 0): a UTF-8 name and bytes this parser does not
/// interpret. Only the name is checked; the contents never fail the load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomSection<'a> {
    /// The section's name.
    pub name: &'a str,
    /// The bytes after the name.
    pub data: &'a [u8],
    /// The absolute offset of the first byte of `data`.
    pub data_offset: usize,
    /// The absolute byte range of the section's contents (name included).
    pub range: Range<usize>,
}

impl<'a> CustomSection<'a> {
    /// Reads the name at the start of `contents` (the section's bytes after
    /// its size, at absolute offset `base`); the rest is the data.
    ///
    /// Running out of bytes in the name is `unexpected end`, and a name
    /// longer than the section `length out of bounds`, as the spec tests
    /// expect; a name that is not UTF-8 is `malformed UTF-8 encoding`.
    pub fn new(contents: &'a [u8], base: usize) -> Result<CustomSection<'a>> {
        let mut reader = Reader::new(contents, base, crate::Features::WASM1);
        let name = reader.read_name()?;
        Ok(CustomSection {
            name,
            data: reader.remaining_bytes(),
            data_offset: reader.offset(),
            range: base..base + contents.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn name_and_data() {
        // name "ab", data 1 2 3.
        let c = CustomSection::new(&[0x02, b'a', b'b', 1, 2, 3], 100).unwrap();
        assert_eq!(
            (c.name, c.data, c.data_offset),
            ("ab", &[1u8, 2, 3][..], 103)
        );
        assert_eq!(c.range, 100..106);
    }

    #[test]
    fn errors() {
        let err = |b: &[u8]| {
            let e = CustomSection::new(b, 10).unwrap_err();
            (e.kind(), e.offset())
        };
        // Empty section: no name length.
        assert_eq!(err(&[]), (ErrorKind::UnexpectedEnd, 10));
        // Name length 5, 1 byte.
        assert_eq!(err(&[0x05, b'a']), (ErrorKind::LengthOutOfBounds, 10));
        // Name is a lone continuation byte.
        assert_eq!(err(&[0x01, 0x80]), (ErrorKind::MalformedUtf8, 10));
    }
}
