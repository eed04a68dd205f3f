//! The tag section (exception handling): tag types.

use crate::{ErrorKind, FromReader, Reader, Result, SectionReader};

/// A reader of the tag section.
pub type TagSectionReader<'a> = SectionReader<'a, TagType>;

/// The type of a tag: an exception whose payload is a function type's
/// parameters (attribute `0x00`, the only one defined).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TagType {
    /// The index of the function type giving the payload.
    pub func_type_idx: u32,
}

impl<'a> FromReader<'a> for TagType {
    fn from_reader(reader: &mut Reader<'a>) -> Result<TagType> {
        reader.expect_zero(ErrorKind::MalformedTagAttribute)?;
        let func_type_idx = reader.read_var_u32()?;
        Ok(TagType { func_type_idx })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Features;

    #[test]
    fn tag_and_bad_attribute() {
        let read =
            |b: &[u8]| TagType::from_reader(&mut Reader::new_in_section(b, 0, Features::default()));
        // attribute 0, type 3.
        assert_eq!(read(&[0x00, 0x03]), Ok(TagType { func_type_idx: 3 }));
        // attribute 1.
        let e = read(&[0x01, 0x03]).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::MalformedTagAttribute, 0)
        );
    }
}
