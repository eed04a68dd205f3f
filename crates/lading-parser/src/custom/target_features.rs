//! The `target_features` custom section (tool-conventions `Linking.md`):
//! the features the module uses, requires or must not be linked with.
//!
//! ```text
//! target_features ::= vec(feature)
//! feature         ::= prefix:byte name:name   -- prefix is 0x2b '+', 0x2d '-' or 0x3d '='
//! ```

use core::ops::Range;

use crate::{ErrorKind, Features, FromReader, Reader, Result, SectionReader};

/// The prefix byte of a [`TargetFeature`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TargetFeaturePrefix {
    /// `+` (0x2b): the module uses the feature.
    Used,
    /// `-` (0x2d): the module must not be linked with modules that use it.
    Disallowed,
    /// `=` (0x3d): every module linked with this one must use it.
    Required,
}

impl TargetFeaturePrefix {
    /// The prefix as its ASCII character.
    pub fn as_char(self) -> char {
        match self {
            TargetFeaturePrefix::Used => '+',
            TargetFeaturePrefix::Disallowed => '-',
            TargetFeaturePrefix::Required => '=',
        }
    }
}

/// One entry of the `target_features` section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetFeature<'a> {
    /// What the entry says about the feature.
    pub prefix: TargetFeaturePrefix,
    /// The feature name, e.g. `simd128`.
    pub name: &'a str,
}

impl<'a> FromReader<'a> for TargetFeature<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<TargetFeature<'a>> {
        let at = reader.position();
        let prefix = match reader.read_u8()? {
            b'+' => TargetFeaturePrefix::Used,
            b'-' => TargetFeaturePrefix::Disallowed,
            b'=' => TargetFeaturePrefix::Required,
            _ => return Err(reader.error_at(ErrorKind::MalformedTargetFeaturePrefix, at)),
        };
        let name = reader.read_name()?;
        Ok(TargetFeature { prefix, name })
    }
}

/// A reader of the `target_features` section's payload, yielding each
/// [`TargetFeature`].
///
/// A prefix byte other than `+`, `-`, `=` is a `malformed target feature
/// prefix` error; bytes left after the last entry are a `section size
/// mismatch`. After the first error the iterator yields `None` for good.
#[derive(Clone, Debug)]
pub struct TargetFeaturesSectionReader<'a> {
    features: SectionReader<'a, TargetFeature<'a>>,
}

impl<'a> TargetFeaturesSectionReader<'a> {
    /// Reads the entry count of the payload `data`, whose first byte is at
    /// absolute offset `offset`.
    pub fn new(data: &'a [u8], offset: usize) -> Result<TargetFeaturesSectionReader<'a>> {
        let reader = Reader::new_in_section(data, offset, Features::default());
        Ok(TargetFeaturesSectionReader {
            features: SectionReader::new(reader)?,
        })
    }

    /// The number of entries the section declares.
    pub fn item_count(&self) -> u32 {
        self.features.item_count()
    }

    /// The absolute byte range of the payload.
    pub fn range(&self) -> Range<usize> {
        self.features.range()
    }
}

impl<'a> Iterator for TargetFeaturesSectionReader<'a> {
    type Item = Result<TargetFeature<'a>>;

    fn next(&mut self) -> Option<Result<TargetFeature<'a>>> {
        self.features.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.features.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_prefixes() {
        let bytes = [
            0x03, // 3 entries
            0x2b, 0x04, b's', b'i', b'm', b'd', // +simd
            0x2d, 0x01, b'a', // -a
            0x3d, 0x00, // = with an empty name
        ];
        let r = TargetFeaturesSectionReader::new(&bytes, 0).unwrap();
        assert_eq!(r.item_count(), 3);
        let all: Vec<_> = r.collect::<Result<_>>().unwrap();
        assert_eq!(
            all,
            [
                TargetFeature {
                    prefix: TargetFeaturePrefix::Used,
                    name: "simd"
                },
                TargetFeature {
                    prefix: TargetFeaturePrefix::Disallowed,
                    name: "a"
                },
                TargetFeature {
                    prefix: TargetFeaturePrefix::Required,
                    name: ""
                },
            ]
        );
        assert_eq!(all[1].prefix.as_char(), '-');
    }

    #[test]
    fn bad_prefix_stops_iteration() {
        let bytes = [
            0x02, // 2 entries
            0x2b, 0x01, b'a', // +a
            0x2a, 0x01, b'b', // '*' is not a prefix
        ];
        let mut r = TargetFeaturesSectionReader::new(&bytes, 20).unwrap();
        assert!(r.next().unwrap().is_ok());
        let e = r.next().unwrap().unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::MalformedTargetFeaturePrefix, 24)
        );
        assert!(r.next().is_none());
    }

    #[test]
    fn leftover_bytes() {
        let bytes = [
            0x01, // 1 entry
            0x2b, 0x00, // + with an empty name
            0x00, // stray byte
        ];
        let mut r = TargetFeaturesSectionReader::new(&bytes, 0).unwrap();
        assert!(r.next().unwrap().is_ok());
        let e = r.next().unwrap().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::SectionSizeMismatch, 3));
    }
}
