//! Constant expressions: global initializers, segment offsets and element
//! expressions.

use core::ops::Range;

use crate::{FromReader, OperatorsReader, Reader, Result, check_const_expr};

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
        let start = reader.remaining_bytes();
        let base = reader.offset();
        check_const_expr(reader)?;
        // The check read `start`'s first bytes; the fallback keeps the code
        // free of panics.
        let bytes = start.get(..reader.offset() - base).unwrap_or_default();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorKind, Features, Operator};

    #[test]
    fn reads_through_the_final_end_only() {
        // global.get 0; i32.const 1; i32.add; end; then the next item (0x7f)
        let bytes = [0x23, 0x00, 0x41, 0x01, 0x6a, 0x0b, 0x7f];
        let mut r = Reader::new_in_section(&bytes, 50, Features::default());
        let expr = ConstExpr::from_reader(&mut r).unwrap();
        assert_eq!(expr.range(), 50..56);
        assert_eq!(expr.bytes(), &bytes[..6]);
        assert_eq!(r.offset(), 56);
        let names: Vec<_> = expr
            .operators_reader()
            .map(|op| op.unwrap().name())
            .collect();
        assert_eq!(names, ["global.get", "i32.const", "i32.add", "end"]);
    }

    #[test]
    fn nested_blocks_and_any_instruction() {
        // block; nop; end; ref.null func; end
        let bytes = [0x02, 0x40, 0x01, 0x0b, 0xd0, 0x70, 0x0b];
        let mut r = Reader::new_in_section(&bytes, 0, Features::default());
        let expr = ConstExpr::from_reader(&mut r).unwrap();
        assert_eq!(expr.range(), 0..7);
        assert!(r.is_empty());
        let last_but_one = expr.operators_reader().nth(3).unwrap().unwrap();
        assert!(matches!(last_but_one, Operator::RefNull { .. }));
    }

    #[test]
    fn running_out_is_unexpected_end() {
        // i32.const 1, then the section ends.
        let mut r = Reader::new_in_section(&[0x41, 0x01], 0, Features::default());
        let e = ConstExpr::from_reader(&mut r).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 2)
        );
        // An illegal opcode inside.
        let mut r = Reader::new_in_section(&[0x27, 0x0b], 0, Features::default());
        assert!(matches!(
            ConstExpr::from_reader(&mut r).unwrap_err().kind(),
            ErrorKind::IllegalOpcode { .. }
        ));
    }
}
