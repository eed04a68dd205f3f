//! The code section: function bodies.

use core::ops::Range;

use crate::{FunctionBody, Reader, Result, SectionReader};

/// A reader of the code section: one [`FunctionBody`] per defined
/// function, each told whether the module has a data count section.
#[derive(Clone, Debug)]
pub struct CodeSectionReader<'a> {
    bodies: SectionReader<'a, FunctionBody<'a>>,
    data_count_present: bool,
}

impl<'a> CodeSectionReader<'a> {
    /// Reads the count at the start of `reader` (the section's contents);
    /// `data_count_present` says whether a data count section came before.
    pub fn new(reader: Reader<'a>, data_count_present: bool) -> Result<CodeSectionReader<'a>> {
        Ok(CodeSectionReader {
            bodies: SectionReader::new(reader)?,
            data_count_present,
        })
    }

    /// The number of bodies the section declares.
    pub fn item_count(&self) -> u32 {
        self.bodies.item_count()
    }

    /// Whether the module has a data count section (before this one).
    pub fn data_count_present(&self) -> bool {
        self.data_count_present
    }

    /// The reader of the bodies, which does not set
    /// [`FunctionBody::with_data_count`] itself.
    pub fn into_inner(self) -> SectionReader<'a, FunctionBody<'a>> {
        self.bodies
    }

    /// The absolute byte range of the section's contents.
    pub fn range(&self) -> Range<usize> {
        self.bodies.range()
    }
}

impl<'a> Iterator for CodeSectionReader<'a> {
    type Item = Result<FunctionBody<'a>>;

    fn next(&mut self) -> Option<Result<FunctionBody<'a>>> {
        let present = self.data_count_present;
        self.bodies
            .next()
            .map(|body| body.map(|b| b.with_data_count(present)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.bodies.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorKind, Features};

    #[test]
    fn bodies_carry_the_data_count_flag() {
        let bytes = [
            0x02, // two bodies
            0x02, 0x00, 0x0b, // size 2: no locals, end
        ];
        let r = Reader::new_in_section(&bytes, 0, Features::default());
        let mut s = CodeSectionReader::new(r, false).unwrap();
        assert_eq!(s.item_count(), 2);
        let b = s.next().unwrap().unwrap();
        assert!(!b.data_count_present());
        assert_eq!(b.range(), 2..4);
        // The second body is missing.
        let e = s.next().unwrap().unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 4)
        );
        assert!(s.next().is_none());
    }

    #[test]
    fn body_size_past_the_section() {
        let bytes = [
            0x03, // three bodies
            0x01, 0x01, // size 1: one byte
            0x7f, // size 127, nothing follows
        ];
        let r = Reader::new_in_section(&bytes, 10, Features::default());
        let mut s = CodeSectionReader::new(r, true).unwrap();
        assert!(s.next().unwrap().unwrap().data_count_present());
        let e = s.next().unwrap().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::LengthOutOfBounds, 13));
    }
}
