//! The export section: a name, a kind and an index.

use core::ops::Range;

use super::types::require;
use crate::{ErrorKind, FromReader, Proposal, Reader, Result, SectionReader};

/// A reader of the export section.
pub type ExportSectionReader<'a> = SectionReader<'a, Export<'a>>;

/// The kind of item an export names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExternalKind {
    /// `0x00`: a function.
    Func,
    /// `0x01`: a table.
    Table,
    /// `0x02`: a memory.
    Memory,
    /// `0x03`: a global.
    Global,
    /// `0x04`: a tag (exception handling).
    Tag,
}

/// One entry of the export section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export<'a> {
    /// The name it is exported as.
    pub name: &'a str,
    /// What kind of item it is.
    pub kind: ExternalKind,
    /// The item's index in its index space.
    pub index: u32,
    /// The absolute byte range of the entry.
    pub range: Range<usize>,
}

impl<'a> FromReader<'a> for Export<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<Export<'a>> {
        let start = reader.offset();
        let name = reader.read_name()?;
        let at = reader.position();
        let kind = match reader.read_u8()? {
            0x00 => ExternalKind::Func,
            0x01 => ExternalKind::Table,
            0x02 => ExternalKind::Memory,
            0x03 => ExternalKind::Global,
            0x04 => {
                require(reader, Proposal::Exceptions, at)?;
                ExternalKind::Tag
            }
            _ => return Err(reader.error_at(ErrorKind::MalformedExportKind, at)),
        };
        let index = reader.read_var_u32()?;
        Ok(Export {
            name,
            kind,
            index,
            range: start..reader.offset(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Features;

    fn export(bytes: &[u8], features: Features) -> Result<Export<'_>> {
        Export::from_reader(&mut Reader::new_in_section(bytes, 0, features))
    }

    #[test]
    fn kinds_and_errors() {
        // "f1", func 0.
        let e = export(&[0x02, b'f', b'1', 0x00, 0x00], Features::default()).unwrap();
        assert_eq!(
            (e.name, e.kind, e.index, e.range),
            ("f1", ExternalKind::Func, 0, 0..5)
        );
        // "", tag 1.
        let e = export(&[0x00, 0x04, 0x01], Features::default()).unwrap();
        assert_eq!(e.kind, ExternalKind::Tag);
        // "", kind 5.
        let e = export(&[0x00, 0x05, 0x00], Features::default()).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::MalformedExportKind, 1));
        // "", tag without exceptions.
        let e = export(&[0x00, 0x04, 0x00], Features::WASM2).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::FeatureDisabled(Proposal::Exceptions));
        // Index missing.
        let e = export(&[0x00, 0x00], Features::default()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnexpectedEndOfSectionOrFunction);
    }
}
