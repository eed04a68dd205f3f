//! The export section: a name, a kind and an index.

use core::ops::Range;

use super::types::require;
use crate::{ErrorKind, Features, FromReader, Proposal, Reader, Result, SectionReader, leb128};

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

impl Export<'_> {
    /// The end of the export at `pos` in `items` (the items of an export
    /// section) when it reads: a UTF-8 name, a kind (a tag only with
    /// exceptions enabled), and an index of up to four bytes, all within
    /// `items`. `None` for any other export, valid or not, which
    /// [`Export::from_reader`] decodes (and reports). A caller that only
    /// needs where exports start and end skips with this and decodes the
    /// rest.
    #[inline]
    pub fn skip_common(items: &[u8], pos: usize, features: Features) -> Option<usize> {
        let mut at = pos;
        let len = leb128::read_u32_short(items, &mut at).ok()? as usize;
        let name = items.get(at..at.checked_add(len)?)?;
        if !crate::utf8::is_utf8(name) {
            return None;
        }
        at += len;
        match *items.get(at)? {
            0..=3 => {}
            4 if features.has(Proposal::Exceptions) => {}
            _ => return None,
        }
        at += 1;
        // An index of up to four bytes, the last without a continuation.
        let index = items.get(at..)?;
        let stops = index.iter().take(4).position(|b| b & 0x80 == 0)?;
        Some(at + stops + 1)
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

    /// Wherever `skip_common` skips an export, decoding it succeeds and
    /// ends there; wherever decoding fails, `skip_common` declines. Over
    /// names (empty, ASCII, longer than a word, multi-byte, invalid),
    /// every kind byte and indices of one to six bytes, cut short anywhere.
    #[test]
    fn skipping_agrees_with_decoding() {
        let names: [&[u8]; 6] = [
            b"",
            b"f",
            b"an_export_name",
            "名前".as_bytes(),
            b"\xff",
            b"ab\xc3",
        ];
        let indices: [&[u8]; 6] = [
            &[0x00],
            &[0x80, 0x01],
            &[0xff, 0xff, 0x7f],
            &[0x80, 0x80, 0x80, 0x01],
            &[0xff, 0xff, 0xff, 0xff, 0x0f],
            &[0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
        ];
        let (mut skipped, mut declined) = (0, 0);
        for features in [Features::default(), Features::WASM2] {
            for name in names {
                for kind in 0..=6u8 {
                    for index in indices {
                        let mut item = vec![name.len() as u8];
                        item.extend_from_slice(name);
                        item.push(kind);
                        item.extend_from_slice(index);
                        item.extend_from_slice(&[0x05, 0x66]);
                        for cut in 0..=item.len() {
                            let bytes = &item[..cut];
                            let decoded = export(bytes, features).map(|e| e.range.end);
                            match Export::skip_common(bytes, 0, features) {
                                Some(end) => {
                                    assert_eq!(decoded, Ok(end), "{bytes:02x?}");
                                    skipped += 1;
                                }
                                None => declined += usize::from(decoded.is_err()),
                            }
                        }
                    }
                }
            }
        }
        assert!(skipped > 300 && declined > 1_000, "{skipped} {declined}");
    }
}
