//! The global section: global types and their initializers.

use core::ops::Range;

use super::types::read_mutability;
use crate::{ConstExpr, FromReader, Reader, Result, SectionReader, ValType};

/// A reader of the global section.
pub type GlobalSectionReader<'a> = SectionReader<'a, Global<'a>>;

/// The type of a global: its value type and whether it can be set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalType {
    /// The type of the global's value.
    pub content_type: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
}

impl<'a> FromReader<'a> for GlobalType {
    fn from_reader(reader: &mut Reader<'a>) -> Result<GlobalType> {
        let content_type = ValType::from_reader(reader)?;
        let mutable = read_mutability(reader)?;
        Ok(GlobalType {
            content_type,
            mutable,
        })
    }
}

/// One entry of the global section.
#[derive(Clone, Debug)]
pub struct Global<'a> {
    /// The global's type.
    pub ty: GlobalType,
    /// The expression giving its initial value.
    pub init_expr: ConstExpr<'a>,
    /// The absolute byte range of the entry.
    pub range: Range<usize>,
}

impl<'a> FromReader<'a> for Global<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<Global<'a>> {
        let start = reader.offset();
        let ty = GlobalType::from_reader(reader)?;
        let init_expr = ConstExpr::from_reader(reader)?;
        Ok(Global {
            ty,
            init_expr,
            range: start..reader.offset(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorKind, Features};

    fn global(bytes: &[u8]) -> Result<Global<'_>> {
        Global::from_reader(&mut Reader::new_in_section(bytes, 0, Features::default()))
    }

    #[test]
    fn mutable_i32() {
        // i32, mutable, i32.const 7, end.
        let g = global(&[0x7f, 0x01, 0x41, 0x07, 0x0b]).unwrap();
        assert_eq!(
            g.ty,
            GlobalType {
                content_type: ValType::I32,
                mutable: true
            }
        );
        assert_eq!(g.init_expr.range(), 2..5);
        assert_eq!(g.range, 0..5);
    }

    #[test]
    fn errors() {
        let err = |b: &[u8]| {
            let e = global(b).unwrap_err();
            (e.kind(), e.offset())
        };
        // Mutability 2.
        assert_eq!(
            err(&[0x7f, 0x02, 0x41, 0x00, 0x0b]),
            (ErrorKind::MalformedMutability, 1)
        );
        // Mutability as a LEB128 0x81 0x00.
        assert_eq!(
            err(&[0x7f, 0x81, 0x00]),
            (ErrorKind::MalformedMutability, 1)
        );
        // Not a value type.
        assert_eq!(err(&[0x40, 0x00]), (ErrorKind::MalformedValueType, 0));
        // Missing end.
        assert_eq!(
            err(&[0x7f, 0x00, 0x41, 0x00]),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 4)
        );
    }
}
