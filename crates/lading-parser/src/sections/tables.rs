//! The table section: table types, optionally with an initializer.

use core::ops::Range;

use super::limits::{HAS_MAX, IS_64, read_limits_flags, read_min_max};
use super::types::require;
use crate::{ConstExpr, FromReader, Proposal, Reader, RefType, Result, SectionReader};

/// A reader of the table section.
pub type TableSectionReader<'a> = SectionReader<'a, Table<'a>>;

/// The type of a table: what it holds and its limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableType {
    /// The type of the table's elements.
    pub element_type: RefType,
    /// Whether the table is indexed with `i64` (memory64).
    pub table64: bool,
    /// The minimum number of elements.
    pub initial: u64,
    /// The maximum number of elements, if any.
    pub maximum: Option<u64>,
}

impl<'a> FromReader<'a> for TableType {
    fn from_reader(reader: &mut Reader<'a>) -> Result<TableType> {
        let element_type = RefType::from_reader(reader)?;
        let at = reader.position();
        let flags = read_limits_flags(reader, HAS_MAX | IS_64)?;
        if flags & IS_64 != 0 {
            require(reader, Proposal::Memory64, at)?;
        }
        let (initial, maximum) = read_min_max(reader, flags)?;
        Ok(TableType {
            element_type,
            table64: flags & IS_64 != 0,
            initial,
            maximum,
        })
    }
}

/// One entry of the table section.
#[derive(Clone, Debug)]
pub struct Table<'a> {
    /// The table's type.
    pub ty: TableType,
    /// The expression every element starts as (`0x40 0x00` encoding), or
    /// `None` for null references.
    pub init: Option<ConstExpr<'a>>,
    /// The absolute byte range of the entry.
    pub range: Range<usize>,
}

impl<'a> FromReader<'a> for Table<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<Table<'a>> {
        let start = reader.offset();
        let at = reader.position();
        if reader.peek_u8()? == 0x40 {
            require(reader, Proposal::FunctionReferences, at)?;
            reader.read_u8()?;
            reader.expect_zero(crate::ErrorKind::MalformedReferenceType)?;
            let ty = TableType::from_reader(reader)?;
            let init = ConstExpr::from_reader(reader)?;
            return Ok(Table {
                ty,
                init: Some(init),
                range: start..reader.offset(),
            });
        }
        let ty = TableType::from_reader(reader)?;
        Ok(Table {
            ty,
            init: None,
            range: start..reader.offset(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorKind, Features};

    fn table(bytes: &[u8], features: Features) -> Result<Table<'_>> {
        Table::from_reader(&mut Reader::new_in_section(bytes, 0, features))
    }

    #[test]
    fn plain_and_initialized() {
        // funcref, flags 1 (max), min 2, max 300.
        let t = table(&[0x70, 0x01, 0x02, 0xac, 0x02], Features::default()).unwrap();
        assert_eq!(t.ty.element_type, RefType::FUNCREF);
        assert_eq!((t.ty.initial, t.ty.maximum), (2, Some(300)));
        assert!(!t.ty.table64 && t.init.is_none());
        // 0x40 0x00, externref, flags 4 (64-bit), min 1 (u64), init: ref.null extern, end.
        let t = table(
            &[0x40, 0x00, 0x6f, 0x04, 0x01, 0xd0, 0x6f, 0x0b],
            Features::default(),
        )
        .unwrap();
        assert!(t.ty.table64);
        assert_eq!(t.init.unwrap().range(), 5..8);
        assert_eq!(t.range, 0..8);
    }

    #[test]
    fn errors() {
        let kind = |b: &[u8], f| table(b, f).unwrap_err().kind();
        // flags 0x08 is not a table flag.
        assert_eq!(
            kind(&[0x70, 0x08], Features::default()),
            ErrorKind::MalformedLimitsFlags
        );
        // flags 0x02 (shared) is not a table flag.
        assert_eq!(
            kind(&[0x70, 0x02, 0x00], Features::default()),
            ErrorKind::MalformedLimitsFlags
        );
        // 64-bit table without memory64.
        assert_eq!(
            kind(&[0x70, 0x04, 0x00], Features::WASM2),
            ErrorKind::FeatureDisabled(Proposal::Memory64)
        );
        // Minimum with 11 LEB128 bytes.
        assert_eq!(
            kind(
                &[
                    0x70, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00
                ],
                Features::default()
            ),
            ErrorKind::IntegerRepresentationTooLong
        );
        // 0x40 then a non-zero byte.
        assert_eq!(
            kind(&[0x40, 0x01, 0x70, 0x00, 0x00], Features::default()),
            ErrorKind::MalformedReferenceType
        );
        // Not a reference type.
        assert_eq!(
            kind(&[0x7f, 0x00, 0x00], Features::default()),
            ErrorKind::MalformedReferenceType
        );
        // Truncated.
        assert_eq!(
            kind(&[0x70, 0x01, 0x00], Features::default()),
            ErrorKind::UnexpectedEndOfSectionOrFunction
        );
    }
}
