//! The function section: the type index of each defined function.

use crate::SectionReader;

/// A reader of the function section: one type index (`u32`) per function.
pub type FunctionSectionReader<'a> = SectionReader<'a, u32>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorKind, Features, Reader};

    #[test]
    fn indices_and_overlong_index() {
        // 2 functions: types 0 and 1.
        let r = Reader::new_in_section(&[0x02, 0x00, 0x01], 0, Features::default());
        let s = FunctionSectionReader::new(r).unwrap();
        assert_eq!(s.collect::<Result<Vec<_>, _>>().unwrap(), [0, 1]);
        // 1 function, index with 6 LEB128 bytes.
        let bytes = [0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        let r = Reader::new_in_section(&bytes, 0, Features::default());
        let e = FunctionSectionReader::new(r)
            .unwrap()
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::IntegerRepresentationTooLong);
    }
}
