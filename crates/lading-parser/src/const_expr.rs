//! Constant expressions: global initializers, segment offsets and element
//! expressions.

use core::ops::Range;

use crate::{FromReader, OperatorsReader, Reader, Result};

/// A constant expression, borrowed from its section: its instructions
/// through the final `end`.
///
/// Decoding checks that every instruction is well-formed and finds the
/// final `end`; which instructions are constant is left to validation.
///
/// ```
/// use lading_parser::{ConstExpr, Features, FromReader, Reader};
/// // i32.const 42; end; then one more byte of the section.
/// let bytes = [0x41, 0x2a, 0x0b, 0x99];
/// let mut r = Reader::new_in_section(&bytes, 10, Features::default());
/// let expr = ConstExpr::from_reader(&mut r).unwrap();
/// assert_eq!(expr.range(), 10..13);
/// assert_eq!(r.offset(), 13);
/// ```
#[derive(Clone, Debug)]
pub struct ConstExpr<'a> {
    reader: Reader<'a>,
}

impl<'a> FromReader<'a> for ConstExpr<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<ConstExpr<'a>> {
        let start = reader.position();
        let base = reader.offset();
        let after = OperatorsReader::new_prefix(reader.clone()).finish()?;
        // `after` read the same data from `start` on, so the range is in
        // bounds; the fallback keeps the code free of panics.
        let bytes = after
            .data()
            .get(start..after.position())
            .unwrap_or_default();
        *reader = after;
        Ok(ConstExpr {
            reader: Reader::new_in_section(bytes, base, reader.features()),
        })
    }
}

impl<'a> ConstExpr<'a> {
    /// The absolute byte range of the expression, final `end` included.
    pub fn range(&self) -> Range<usize> {
        self.reader.base()..self.reader.base() + self.reader.data().len()
    }

    /// The expression's bytes, final `end` included.
    pub fn bytes(&self) -> &'a [u8] {
        self.reader.data()
    }

    /// A reader over the expression's bytes.
    pub fn reader(&self) -> Reader<'a> {
        self.reader.clone()
    }

    /// The expression's instructions, final `end` included.
    pub fn operators_reader(&self) -> OperatorsReader<'a> {
        OperatorsReader::new(self.reader.clone())
    }
}
