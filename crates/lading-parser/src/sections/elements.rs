//! The element section: segments of references for tables.

use core::ops::Range;

use super::types::require;
use crate::{
    ConstExpr, ErrorKind, FromReader, ItemList, Proposal, Reader, RefType, Result, SectionReader,
};

/// A reader of the element section.
pub type ElementSectionReader<'a> = SectionReader<'a, Element<'a>>;

/// How an element segment is used.
#[derive(Clone, Debug)]
pub enum ElementKind<'a> {
    /// Available to `table.init` only.
    Passive,
    /// Copied into a table at instantiation.
    Active {
        /// The table index if written explicitly (flags 2 and 6); `None`
        /// means table 0.
        table_index: Option<u32>,
        /// Where in the table the elements go.
        offset_expr: ConstExpr<'a>,
    },
    /// Only declares references for `ref.func`.
    Declared,
}

/// The references of an element segment, decoded lazily.
#[derive(Clone, Debug)]
pub enum ElementItems<'a> {
    /// Function indices (flags 0 to 3), of type `funcref`.
    Functions(ItemList<'a, u32>),
    /// Constant expressions of the given reference type (flags 4 to 7).
    Expressions(RefType, ItemList<'a, ConstExpr<'a>>),
}

impl ElementItems<'_> {
    /// The number of references.
    pub fn len(&self) -> u32 {
        match self {
            ElementItems::Functions(list) => list.len(),
            ElementItems::Expressions(_, list) => list.len(),
        }
    }

    /// Whether there is no reference.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One entry of the element section.
#[derive(Clone, Debug)]
pub struct Element<'a> {
    /// How the segment is used.
    pub kind: ElementKind<'a>,
    /// The references.
    pub items: ElementItems<'a>,
    /// The absolute byte range of the entry.
    pub range: Range<usize>,
}

/// Flags bit: passive or declarative rather than active.
const NOT_ACTIVE: u32 = 0b001;
/// Flags bit: with `NOT_ACTIVE`, declarative; without, an explicit table
/// index and element kind or type.
const DECLARED_OR_EXPLICIT: u32 = 0b010;
/// Flags bit: the references are expressions rather than function indices.
const EXPRESSIONS: u32 = 0b100;

impl<'a> FromReader<'a> for Element<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<Element<'a>> {
        let start = reader.offset();
        let at = reader.position();
        let flags = reader.read_var_u32()?;
        if flags > 7 {
            return Err(reader.error_at(ErrorKind::MalformedElementsSegmentKind, at));
        }
        if flags != 0 {
            require(reader, Proposal::BulkMemory, at)?;
        }
        let kind = if flags & NOT_ACTIVE != 0 {
            if flags & DECLARED_OR_EXPLICIT != 0 {
                ElementKind::Declared
            } else {
                ElementKind::Passive
            }
        } else {
            let table_index = if flags & DECLARED_OR_EXPLICIT != 0 {
                Some(reader.read_var_u32()?)
            } else {
                None
            };
            let offset_expr = ConstExpr::from_reader(reader)?;
            ElementKind::Active {
                table_index,
                offset_expr,
            }
        };
        // Flags 0 and 4 have neither element kind nor type.
        let has_kind_or_type = flags & (NOT_ACTIVE | DECLARED_OR_EXPLICIT) != 0;
        let items = if flags & EXPRESSIONS != 0 {
            let ty = if has_kind_or_type {
                RefType::from_reader(reader)?
            } else {
                RefType::FUNCREF
            };
            ElementItems::Expressions(ty, ItemList::read(reader)?)
        } else {
            if has_kind_or_type {
                reader.expect_zero(ErrorKind::MalformedElementKind)?;
            }
            ElementItems::Functions(ItemList::read(reader)?)
        };
        Ok(Element {
            kind,
            items,
            range: start..reader.offset(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Features;

    fn element(bytes: &[u8], features: Features) -> Result<Element<'_>> {
        Element::from_reader(&mut Reader::new_in_section(bytes, 0, features))
    }

    #[test]
    fn all_eight_encodings() {
        let all = Features::default();
        // 0: i32.const 0 end, 2 funcs: 0 1.
        let e = element(&[0x00, 0x41, 0x00, 0x0b, 0x02, 0x00, 0x01], all).unwrap();
        assert!(matches!(
            e.kind,
            ElementKind::Active {
                table_index: None,
                ..
            }
        ));
        let ElementItems::Functions(f) = &e.items else {
            panic!("functions")
        };
        assert_eq!(f.iter().collect::<Vec<_>>(), [0, 1]);
        assert_eq!(e.range, 0..7);
        // 1: elemkind 0, 1 func: 3.
        let e = element(&[0x01, 0x00, 0x01, 0x03], all).unwrap();
        assert!(matches!(e.kind, ElementKind::Passive));
        // 2: table 1, i32.const 0 end, elemkind 0, 0 funcs.
        let e = element(&[0x02, 0x01, 0x41, 0x00, 0x0b, 0x00, 0x00], all).unwrap();
        assert!(matches!(
            e.kind,
            ElementKind::Active {
                table_index: Some(1),
                ..
            }
        ));
        // 3: elemkind 0, 1 func: 0.
        let e = element(&[0x03, 0x00, 0x01, 0x00], all).unwrap();
        assert!(matches!(e.kind, ElementKind::Declared));
        // 4: i32.const 0 end, 1 expr: ref.func 0 end.
        let e = element(&[0x04, 0x41, 0x00, 0x0b, 0x01, 0xd2, 0x00, 0x0b], all).unwrap();
        assert!(matches!(
            e.items,
            ElementItems::Expressions(RefType::FUNCREF, _)
        ));
        assert_eq!(e.items.len(), 1);
        // 5: externref, 1 expr: ref.null extern end.
        let e = element(&[0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b], all).unwrap();
        assert!(matches!(
            e.items,
            ElementItems::Expressions(RefType::EXTERNREF, _)
        ));
        // 6: table 0, i32.const 0 end, funcref, 0 exprs.
        let e = element(&[0x06, 0x00, 0x41, 0x00, 0x0b, 0x70, 0x00], all).unwrap();
        assert!(matches!(
            e.kind,
            ElementKind::Active {
                table_index: Some(0),
                ..
            }
        ));
        // 7: funcref, 1 expr: ref.null func end.
        let e = element(&[0x07, 0x70, 0x01, 0xd0, 0x70, 0x0b], all).unwrap();
        assert!(matches!(e.kind, ElementKind::Declared));
    }

    #[test]
    fn errors() {
        let err = |b: &[u8], f| {
            let e = element(b, f).unwrap_err();
            (e.kind(), e.offset())
        };
        let all = Features::default();
        // Flags 8.
        assert_eq!(
            err(&[0x08], all),
            (ErrorKind::MalformedElementsSegmentKind, 0)
        );
        // Elemkind 1.
        assert_eq!(
            err(&[0x01, 0x01, 0x00], all),
            (ErrorKind::MalformedElementKind, 1)
        );
        // Passive without bulk memory.
        assert_eq!(
            err(&[0x01, 0x00, 0x00], Features::WASM1),
            (ErrorKind::FeatureDisabled(Proposal::BulkMemory), 0)
        );
        // Type that is not a reference type.
        assert_eq!(
            err(&[0x05, 0x7f, 0x00], all),
            (ErrorKind::MalformedReferenceType, 1)
        );
        // 2 funcs declared, 1 given.
        assert_eq!(
            err(&[0x01, 0x00, 0x02, 0x00], all),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 4)
        );
    }
}
