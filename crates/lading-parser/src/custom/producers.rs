//! The `producers` custom section (tool-conventions `ProducersSection.md`):
//! which languages, tools and SDKs produced the module.
//!
//! ```text
//! producers ::= vec(field)
//! field     ::= name:name values:vec(value)   -- name is language | processed-by | sdk
//! value     ::= name:name version:name
//! ```

use core::ops::Range;

use crate::{ErrorKind, Features, FromReader, Reader, Result, SectionReader};

/// Which of the three known fields a [`ProducersField`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProducersFieldKind {
    /// `language`: source languages.
    Language,
    /// `processed-by`: tools that processed the module.
    ProcessedBy,
    /// `sdk`: SDKs used.
    Sdk,
}

/// One (name, version) pair of a [`ProducersField`], e.g. `("rustc",
/// "1.95.0")`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProducersFieldValue<'a> {
    /// The language, tool or SDK name.
    pub name: &'a str,
    /// Its version; may be empty.
    pub version: &'a str,
}

impl<'a> FromReader<'a> for ProducersFieldValue<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<ProducersFieldValue<'a>> {
        let name = reader.read_name()?;
        let version = reader.read_name()?;
        Ok(ProducersFieldValue { name, version })
    }
}

/// One field of the `producers` section: its name and its values, decoded
/// lazily.
#[derive(Clone, Debug)]
pub struct ProducersField<'a> {
    /// The field name as written: `language`, `processed-by` or `sdk`.
    pub name: &'a str,
    /// The field name as a kind.
    pub kind: ProducersFieldKind,
    /// The (name, version) pairs. Their bytes were already checked when the
    /// field was read, so iterating yields no error.
    pub values: SectionReader<'a, ProducersFieldValue<'a>>,
}

impl<'a> FromReader<'a> for ProducersField<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<ProducersField<'a>> {
        let name_pos = reader.position();
        let name = reader.read_name()?;
        let kind = match name {
            "language" => ProducersFieldKind::Language,
            "processed-by" => ProducersFieldKind::ProcessedBy,
            "sdk" => ProducersFieldKind::Sdk,
            _ => return Err(reader.error_at(ErrorKind::MalformedProducersField, name_pos)),
        };
        // Read the values once with a copy of the reader to find where they
        // end, then give their exact bytes to a lazy reader.
        let mut scan = reader.clone();
        let start = scan.position();
        let count = scan.read_len()?;
        for _ in 0..count {
            ProducersFieldValue::from_reader(&mut scan)?;
        }
        let len = scan.position() - start;
        let values = SectionReader::new(reader.sub_reader(len)?)?;
        Ok(ProducersField { name, kind, values })
    }
}

/// A reader of the `producers` section's payload, yielding each
/// [`ProducersField`].
///
/// An unknown field name is a `malformed producers field name` error; the
/// convention's rule that each field name occurs at most once is not
/// checked. Bytes left after the last field are a `section size mismatch`.
/// After the first error the iterator yields `None` for good.
#[derive(Clone, Debug)]
pub struct ProducersSectionReader<'a> {
    fields: SectionReader<'a, ProducersField<'a>>,
}

impl<'a> ProducersSectionReader<'a> {
    /// Reads the field count of the payload `data`, whose first byte is at
    /// absolute offset `offset`.
    pub fn new(data: &'a [u8], offset: usize) -> Result<ProducersSectionReader<'a>> {
        let reader = Reader::new_in_section(data, offset, Features::default());
        Ok(ProducersSectionReader {
            fields: SectionReader::new(reader)?,
        })
    }

    /// The number of fields the section declares.
    pub fn item_count(&self) -> u32 {
        self.fields.item_count()
    }

    /// The absolute byte range of the payload.
    pub fn range(&self) -> Range<usize> {
        self.fields.range()
    }
}

impl<'a> Iterator for ProducersSectionReader<'a> {
    type Item = Result<ProducersField<'a>>;

    fn next(&mut self) -> Option<Result<ProducersField<'a>>> {
        self.fields.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.fields.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_fields() {
        let bytes = [
            0x02, // 2 fields
            0x08, b'l', b'a', b'n', b'g', b'u', b'a', b'g', b'e', // "language"
            0x01, // 1 value
            0x04, b'R', b'u', b's', b't', // name "Rust"
            0x00, // version ""
            0x03, b's', b'd', b'k', // "sdk"
            0x01, // 1 value
            0x01, b'x', // name "x"
            0x03, b'1', b'.', b'0', // version "1.0"
        ];
        let mut r = ProducersSectionReader::new(&bytes, 50).unwrap();
        assert_eq!(r.item_count(), 2);
        let f = r.next().unwrap().unwrap();
        assert_eq!((f.name, f.kind), ("language", ProducersFieldKind::Language));
        let values: Vec<_> = f.values.collect::<Result<_>>().unwrap();
        assert_eq!(
            values,
            [ProducersFieldValue {
                name: "Rust",
                version: ""
            }]
        );
        let f = r.next().unwrap().unwrap();
        assert_eq!(f.kind, ProducersFieldKind::Sdk);
        let values: Vec<_> = f.values.collect::<Result<_>>().unwrap();
        assert_eq!(values[0].version, "1.0");
        assert!(r.next().is_none());
    }

    #[test]
    fn unknown_field_name() {
        let bytes = [
            0x01, // 1 field
            0x03, b'f', b'o', b'o', // "foo": not a known field
            0x00, // 0 values
        ];
        let mut r = ProducersSectionReader::new(&bytes, 7).unwrap();
        let e = r.next().unwrap().unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::MalformedProducersField, 8)
        );
        assert!(r.next().is_none());
    }

    #[test]
    fn truncated_value_and_trailing_bytes() {
        let bytes = [
            0x01, // 1 field
            0x03, b's', b'd', b'k', // "sdk"
            0x01, // 1 value
            0x01, b'x', // name "x"
                  // version missing
        ];
        let mut r = ProducersSectionReader::new(&bytes, 0).unwrap();
        let e = r.next().unwrap().unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 8)
        );
        let bytes = [
            0x00, // 0 fields
            0x00, // stray byte
        ];
        let mut r = ProducersSectionReader::new(&bytes, 0).unwrap();
        let e = r.next().unwrap().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::SectionSizeMismatch, 1));
        // A field count larger than the payload.
        let e = ProducersSectionReader::new(&[0x05], 0).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LengthOutOfBounds);
    }
}
