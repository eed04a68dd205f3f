//! The `metadata.code.branch_hint` custom section (branch hinting proposal,
//! an instance of the tool-conventions code metadata framework).
//!
//! ```text
//! branchhints ::= vec(func)
//! func        ::= idx:funcidx vec(hint)
//! hint        ::= offset:u32 size:u32 value:byte   -- size = 1, value = 0 or 1
//! ```
//!
//! `offset` is the byte offset of the hinted `if` or `br_if` from the start
//! of the function body.

use core::ops::Range;

use crate::{ErrorKind, Features, FromReader, Reader, Result, SectionReader};

/// One branch hint: whether the branch at `func_offset` is likely taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BranchHint {
    /// The offset of the `if` or `br_if` from the start of the function body.
    pub func_offset: u32,
    /// Value 1 (likely taken) or 0 (likely not taken).
    pub taken: bool,
}

impl<'a> FromReader<'a> for BranchHint {
    fn from_reader(reader: &mut Reader<'a>) -> Result<BranchHint> {
        let func_offset = reader.read_var_u32()?;
        let size_pos = reader.position();
        if reader.read_var_u32()? != 1 {
            return Err(reader.error_at(ErrorKind::MalformedBranchHint, size_pos));
        }
        let value_pos = reader.position();
        let taken = match reader.read_u8()? {
            0 => false,
            1 => true,
            _ => return Err(reader.error_at(ErrorKind::MalformedBranchHint, value_pos)),
        };
        Ok(BranchHint { func_offset, taken })
    }
}

/// The branch hints of one function.
#[derive(Clone, Debug)]
pub struct BranchHintFunction<'a> {
    /// The function index.
    pub func: u32,
    /// The function's hints. Their bytes were already checked when the
    /// function entry was read, so iterating yields no error.
    pub hints: SectionReader<'a, BranchHint>,
}

impl<'a> FromReader<'a> for BranchHintFunction<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<BranchHintFunction<'a>> {
        let func = reader.read_var_u32()?;
        // Read the hints once with a copy of the reader to find where they
        // end, then give their exact bytes to a lazy reader.
        let mut scan = reader.clone();
        let start = scan.position();
        let count = scan.read_len()?;
        for _ in 0..count {
            BranchHint::from_reader(&mut scan)?;
        }
        let len = scan.position() - start;
        let hints = SectionReader::new(reader.sub_reader(len)?)?;
        Ok(BranchHintFunction { func, hints })
    }
}

/// A reader of the `metadata.code.branch_hint` section's payload, yielding
/// each [`BranchHintFunction`].
///
/// A hint whose size is not 1 or whose value is neither 0 nor 1 is a
/// `malformed branch hint` error. The convention's ordering rules
/// (increasing function indices, increasing offsets within a function) are
/// not checked; function indices and offsets are not validated against the
/// module. After the first error the iterator yields `None` for good.
#[derive(Clone, Debug)]
pub struct BranchHintSectionReader<'a> {
    functions: SectionReader<'a, BranchHintFunction<'a>>,
}

impl<'a> BranchHintSectionReader<'a> {
    /// Reads the function count of the payload `data`, whose first byte is
    /// at absolute offset `offset`.
    pub fn new(data: &'a [u8], offset: usize) -> Result<BranchHintSectionReader<'a>> {
        let reader = Reader::new_in_section(data, offset, Features::default());
        Ok(BranchHintSectionReader {
            functions: SectionReader::new(reader)?,
        })
    }

    /// The number of functions the section declares.
    pub fn item_count(&self) -> u32 {
        self.functions.item_count()
    }

    /// The absolute byte range of the payload.
    pub fn range(&self) -> Range<usize> {
        self.functions.range()
    }
}

impl<'a> Iterator for BranchHintSectionReader<'a> {
    type Item = Result<BranchHintFunction<'a>>;

    fn next(&mut self) -> Option<Result<BranchHintFunction<'a>>> {
        self.functions.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.functions.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_of_two_functions() {
        let bytes = [
            0x02, // 2 functions
            0x00, // function 0
            0x02, // 2 hints
            0x05, 0x01, 0x01, // offset 5, size 1, taken
            0x0a, 0x01, 0x00, // offset 10, size 1, not taken
            0x03, // function 3
            0x00, // no hints
        ];
        let mut r = BranchHintSectionReader::new(&bytes, 0).unwrap();
        assert_eq!(r.item_count(), 2);
        let f = r.next().unwrap().unwrap();
        assert_eq!(f.func, 0);
        let hints: Vec<_> = f.hints.collect::<Result<_>>().unwrap();
        assert_eq!(
            hints,
            [
                BranchHint {
                    func_offset: 5,
                    taken: true
                },
                BranchHint {
                    func_offset: 10,
                    taken: false
                }
            ]
        );
        let f = r.next().unwrap().unwrap();
        assert_eq!((f.func, f.hints.item_count()), (3, 0));
        assert!(r.next().is_none());
    }

    #[test]
    fn bad_size_and_bad_value() {
        let bytes = [
            0x01, // 1 function
            0x00, // function 0
            0x01, // 1 hint
            0x05, 0x02, 0x01, // offset 5, size 2: malformed
        ];
        let mut r = BranchHintSectionReader::new(&bytes, 100).unwrap();
        let e = r.next().unwrap().unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::MalformedBranchHint, 104)
        );
        assert!(r.next().is_none());
        let bytes = [
            0x01, // 1 function
            0x00, // function 0
            0x01, // 1 hint
            0x05, 0x01, 0x02, // offset 5, size 1, value 2: malformed
        ];
        let e = BranchHintSectionReader::new(&bytes, 0)
            .unwrap()
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::MalformedBranchHint, 5));
    }
}
