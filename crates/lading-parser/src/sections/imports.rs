//! The import section: module name, field name and what is imported.

use core::ops::Range;

use super::types::require;
use crate::{
    ErrorKind, FromReader, GlobalType, MemoryType, Proposal, Reader, Result, SectionReader,
    TableType, TagType, TypeScan, leb128,
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

impl Import<'_> {
    /// The end of the import at `pos` in `items` (the items of an import
    /// section), and its kind (`0x00` or `0x03`), when it is of a common
    /// form: two names of valid UTF-8, then a function of a type index of
    /// up to four bytes, or a global of a value type `scan` takes and a
    /// mutability of 0 or 1, all within `items`. `None` for any other
    /// import, valid or not, which [`Import::from_reader`] decodes (and
    /// reports). `scan` is for the enabled proposals.
    #[inline]
    pub fn skip_common(items: &[u8], pos: usize, scan: &TypeScan) -> Option<(usize, u8)> {
        let mut at = skip_name(items, pos)?;
        at = skip_name(items, at)?;
        let kind = *items.get(at)?;
        at += 1;
        match kind {
            0x00 => {
                // The last byte of the index has no continuation bit.
                let index = items.get(at..)?;
                let stops = index.iter().take(4).position(|b| b & 0x80 == 0)?;
                Some((at + stops + 1, kind))
            }
            0x03 => {
                let at = scan.value_type_end(items, at)?;
                (*items.get(at)? <= 1).then_some((at + 1, kind))
            }
            _ => None,
        }
    }
}

/// The end of the name (a length of up to four bytes, then that many bytes
/// of valid UTF-8) at `pos` in `items`.
#[inline(always)]
fn skip_name(items: &[u8], pos: usize) -> Option<usize> {
    let mut at = pos;
    let len = leb128::read_u32_short(items, &mut at).ok()? as usize;
    let name = items.get(at..at.checked_add(len)?)?;
    crate::utf8::is_utf8(name).then_some(at + len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variants::count_taken;
    use crate::{Features, ValType};

    /// Whenever `skip_common` takes an import, decoding it succeeds, ends
    /// at the same byte and gives the same kind: over imports of many
    /// forms, each cut short at every length and with every byte replaced
    /// by bytes that matter to the format, under three feature sets.
    #[test]
    fn skip_common_agrees_with_decoding() {
        let imports: [&[u8]; 7] = [
            &[0x01, b'm', 0x01, b'f', 0x00, 0x02],             // func 2
            &[0x00, 0x02, 0xc3, 0xa9, 0x00, 0x85, 0x01],       // "é": func 133
            &[0x00, 0x01, b'g', 0x03, 0x7e, 0x00],             // global i64
            &[0x01, b'm', 0x00, 0x03, 0x64, 0x8f, 0x02, 0x01], // global mut (ref 271)
            &[0x00, 0x00, 0x03, 0x7b, 0x01],                   // global mut v128
            &[0x00, 0x00, 0x02, 0x00, 0x01],                   // memory: decoded
            &[0x00, 0x00, 0x04, 0x00, 0x01],                   // tag: decoded
        ];
        let bytes_that_matter = [
            0x00, 0x01, 0x02, 0x03, 0x04, 0x63, 0x64, 0x7f, 0x80, 0xc3, 0xff,
        ];
        let taken = count_taken(&imports, &bytes_that_matter, |items, features, scan| {
            let Some((end, kind)) = Import::skip_common(items, 0, scan) else {
                return false;
            };
            let mut reader = Reader::new_in_section(items, 0, features);
            let decoded = Import::from_reader(&mut reader);
            let Ok(import) = decoded else {
                panic!("{items:02x?} {features:?}: {decoded:?}")
            };
            assert_eq!(reader.offset(), end, "{items:02x?} {features:?}");
            let want = match import.ty {
                TypeRef::Func(_) => 0x00,
                TypeRef::Global(_) => 0x03,
                other => panic!("{items:02x?}: skipped as {kind}, is {other:?}"),
            };
            assert_eq!(kind, want, "{items:02x?} {features:?}");
            true
        });
        assert!(taken > 100, "only {taken} imports taken");
    }

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
