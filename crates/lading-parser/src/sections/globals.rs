//! The global section: global types and their initializers.

use core::ops::Range;

use super::types::read_mutability;
use crate::check::const_expr_len;
use crate::{ConstExpr, Features, FromReader, Reader, Result, SectionReader, TypeScan, ValType};

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

impl Global<'_> {
    /// The end of the global at `pos` in `items` (the items of a global
    /// section) when it is of a common form: a value type `scan` takes, a
    /// mutability of 0 or 1, an initializer whose instructions the check's
    /// fast paths take (no block), all within `items`. `None` for any
    /// other global, valid or not, which [`Global::from_reader`] decodes
    /// (and reports). `scan` is for the enabled proposals, `features`.
    #[inline]
    pub fn skip_common(
        items: &[u8],
        pos: usize,
        scan: &TypeScan,
        features: Features,
    ) -> Option<usize> {
        let at = scan.value_type_end(items, pos)?;
        if *items.get(at)? > 1 {
            return None;
        }
        let expr = at + 1;
        Some(expr + const_expr_len(items.get(expr..)?, features)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variants::count_taken;
    use crate::{ErrorKind, Features};

    /// Whenever `skip_common` takes a global, decoding it succeeds and ends
    /// at the same byte: over globals of many forms, each cut short at
    /// every length and with every byte replaced by bytes that matter to
    /// the format, under three feature sets.
    #[test]
    fn skip_common_agrees_with_decoding() {
        let globals: [&[u8]; 10] = [
            &[0x7f, 0x00, 0x41, 0x07, 0x0b],       // i32 = i32.const 7
            &[0x7e, 0x01, 0x42, 0x80, 0x01, 0x0b], // mut i64 = i64.const 128
            &[
                0x7b, 0x00, 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b,
            ],
            &[0x70, 0x00, 0xd0, 0x70, 0x0b], // funcref = ref.null func
            &[0x64, 0x05, 0x00, 0xd2, 0x03, 0x0b], // (ref 5) = ref.func 3
            &[0x63, 0x85, 0x01, 0x01, 0x23, 0x00, 0x0b], // mut (ref null 133) = global.get 0
            // (ref 2) = i32.const 1, global.get 4, struct.new 2
            &[
                0x64, 0x02, 0x00, 0x41, 0x01, 0x23, 0x04, 0xfb, 0x00, 0x02, 0x0b,
            ],
            // i31ref = i32.const 5, ref.i31
            &[0x6c, 0x00, 0x41, 0x05, 0xfb, 0x1c, 0x0b],
            // i32 = i32.const 1, i32.const 2, i32.add (extended const)
            &[0x7f, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b],
            // externref = a block: left to decoding
            &[0x6f, 0x00, 0x02, 0x40, 0x0b, 0x0b],
        ];
        let bytes_that_matter = [
            0x00, 0x01, 0x02, 0x0b, 0x40, 0x63, 0x64, 0x6c, 0x7f, 0x80, 0xfb,
        ];
        let taken = count_taken(&globals, &bytes_that_matter, |items, features, scan| {
            let Some(end) = Global::skip_common(items, 0, scan, features) else {
                return false;
            };
            let mut reader = Reader::new_in_section(items, 0, features);
            let decoded = Global::from_reader(&mut reader);
            assert!(decoded.is_ok(), "{items:02x?} {features:?}: {decoded:?}");
            assert_eq!(reader.offset(), end, "{items:02x?} {features:?}");
            true
        });
        assert!(taken > 100, "only {taken} globals taken");
    }

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
