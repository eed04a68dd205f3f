//! The import section: module name, field name and what is imported.

use core::ops::Range;

use super::types::require;
use crate::{
    ErrorKind, FromReader, GlobalType, MemoryType, Proposal, Reader, Result, SectionReader,
    TableType, TagType,
};

/// A reader of the import section.
pub type ImportSectionReader<'a> = SectionReader<'a, Import<'a>>;

/// What an import brings in, with its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// `0x00`: a function of the given type index.
    Func(u32),
    /// `0x01`: a table.
    Table(TableType),
    /// `0x02`: a memory.
    Memory(MemoryType),
    /// `0x03`: a global.
    Global(GlobalType),
    /// `0x04`: a tag (exception handling).
    Tag(TagType),
}

/// One entry of the import section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import<'a> {
    /// The name of the module imported from.
    pub module: &'a str,
    /// The name of the item within that module.
    pub name: &'a str,
    /// What is imported.
    pub ty: TypeRef,
    /// The absolute byte range of the entry.
    pub range: Range<usize>,
}

impl<'a> FromReader<'a> for Import<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<Import<'a>> {
        let start = reader.offset();
        let module = reader.read_name()?;
        let name = reader.read_name()?;
        let at = reader.position();
        let ty = match reader.read_u8()? {
            0x00 => TypeRef::Func(reader.read_var_u32()?),
            0x01 => TypeRef::Table(TableType::from_reader(reader)?),
            0x02 => TypeRef::Memory(MemoryType::from_reader(reader)?),
            0x03 => TypeRef::Global(GlobalType::from_reader(reader)?),
            0x04 => {
                require(reader, Proposal::Exceptions, at)?;
                TypeRef::Tag(TagType::from_reader(reader)?)
            }
            _ => return Err(reader.error_at(ErrorKind::MalformedImportKind, at)),
        };
        Ok(Import {
            module,
            name,
            ty,
            range: start..reader.offset(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Features, ValType};

    fn import(bytes: &[u8], features: Features) -> Result<Import<'_>> {
        Import::from_reader(&mut Reader::new_in_section(bytes, 0, features))
    }

    #[test]
    fn kinds() {
        // "m", "f", func type 2.
        let i = import(&[0x01, b'm', 0x01, b'f', 0x00, 0x02], Features::default()).unwrap();
        assert_eq!((i.module, i.name, i.ty), ("m", "f", TypeRef::Func(2)));
        assert_eq!(i.range, 0..6);
        // "", "g", global i64 immutable.
        let i = import(&[0x00, 0x01, b'g', 0x03, 0x7e, 0x00], Features::default()).unwrap();
        assert_eq!(
            i.ty,
            TypeRef::Global(GlobalType {
                content_type: ValType::I64,
                mutable: false
            })
        );
        // "", "", memory flags 0 min 1.
        let i = import(&[0x00, 0x00, 0x02, 0x00, 0x01], Features::default()).unwrap();
        assert!(matches!(
            i.ty,
            TypeRef::Memory(MemoryType { initial: 1, .. })
        ));
        // "", "", table funcref flags 0 min 0.
        let i = import(&[0x00, 0x00, 0x01, 0x70, 0x00, 0x00], Features::default()).unwrap();
        assert!(matches!(i.ty, TypeRef::Table(_)));
        // "", "", tag attribute 0 type 1.
        let i = import(&[0x00, 0x00, 0x04, 0x00, 0x01], Features::default()).unwrap();
        assert_eq!(i.ty, TypeRef::Tag(TagType { func_type_idx: 1 }));
    }

    #[test]
    fn errors() {
        let err = |b: &[u8], f| {
            let e = import(b, f).unwrap_err();
            (e.kind(), e.offset())
        };
        // Kind 5.
        assert_eq!(
            err(&[0x00, 0x00, 0x05, 0x00], Features::default()),
            (ErrorKind::MalformedImportKind, 2)
        );
        // Kind as LEB128 0x80 0x00.
        assert_eq!(
            err(&[0x00, 0x00, 0x80, 0x00], Features::default()),
            (ErrorKind::MalformedImportKind, 2)
        );
        // Tag without exceptions.
        assert_eq!(
            err(&[0x00, 0x00, 0x04, 0x00, 0x00], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Exceptions), 2)
        );
        // Module name not UTF-8.
        assert_eq!(
            err(&[0x01, 0xff, 0x00, 0x00, 0x00], Features::default()),
            (ErrorKind::MalformedUtf8, 0)
        );
        // Name longer than the data.
        assert_eq!(
            err(&[0x00, 0x05, b'a'], Features::default()),
            (ErrorKind::LengthOutOfBounds, 1)
        );
    }
}
