//! The data section: segments of bytes for memories.

use core::ops::Range;

use super::types::require;
use crate::{ConstExpr, ErrorKind, FromReader, Proposal, Reader, Result, SectionReader};

/// A reader of the data section.
pub type DataSectionReader<'a> = SectionReader<'a, Data<'a>>;

/// How a data segment is used.
#[derive(Clone, Debug)]
pub enum DataKind<'a> {
    /// Available to `memory.init` only (flags 1).
    Passive,
    /// Copied into a memory at instantiation (flags 0: memory 0; flags 2:
    /// an explicit memory index).
    Active {
        /// The memory the bytes go to.
        memory_index: u32,
        /// Where in the memory they go.
        offset_expr: ConstExpr<'a>,
    },
}

/// One entry of the data section.
#[derive(Clone, Debug)]
pub struct Data<'a> {
    /// How the segment is used.
    pub kind: DataKind<'a>,
    /// The segment's bytes, borrowed from the module.
    pub data: &'a [u8],
    /// The absolute byte range of the entry.
    pub range: Range<usize>,
}

impl<'a> FromReader<'a> for Data<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<Data<'a>> {
        let start = reader.offset();
        let at = reader.position();
        let kind = match reader.read_var_u32()? {
            0 => DataKind::Active {
                memory_index: 0,
                offset_expr: ConstExpr::from_reader(reader)?,
            },
            1 => {
                require(reader, Proposal::BulkMemory, at)?;
                DataKind::Passive
            }
            2 => DataKind::Active {
                memory_index: reader.read_var_u32()?,
                offset_expr: ConstExpr::from_reader(reader)?,
            },
            _ => return Err(reader.error_at(ErrorKind::MalformedDataSegmentKind, at)),
        };
        // A length past the end of the section is reported as the section
        // ending early, as the reference interpreter does.
        let len = reader.read_var_u32()?;
        let data = reader.read_bytes(len as usize)?;
        Ok(Data {
            kind,
            data,
            range: start..reader.offset(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Features;

    fn data(bytes: &[u8], features: Features) -> Result<Data<'_>> {
        Data::from_reader(&mut Reader::new_in_section(bytes, 0, features))
    }

    #[test]
    fn three_encodings() {
        let all = Features::default();
        // 0: i32.const 3 end, 2 bytes "ab".
        let d = data(&[0x00, 0x41, 0x03, 0x0b, 0x02, b'a', b'b'], all).unwrap();
        assert!(matches!(
            d.kind,
            DataKind::Active {
                memory_index: 0,
                ..
            }
        ));
        assert_eq!((d.data, d.range), (&b"ab"[..], 0..7));
        // 1: 1 byte "x".
        let d = data(&[0x01, 0x01, b'x'], all).unwrap();
        assert!(matches!(d.kind, DataKind::Passive));
        // 2: memory 1, i32.const 0 end, 0 bytes.
        let d = data(&[0x02, 0x01, 0x41, 0x00, 0x0b, 0x00], all).unwrap();
        assert!(matches!(
            d.kind,
            DataKind::Active {
                memory_index: 1,
                ..
            }
        ));
    }

    #[test]
    fn errors() {
        let err = |b: &[u8], f| {
            let e = data(b, f).unwrap_err();
            (e.kind(), e.offset())
        };
        // Flags 3.
        assert_eq!(
            err(&[0x03], Features::default()),
            (ErrorKind::MalformedDataSegmentKind, 0)
        );
        // Passive without bulk memory.
        assert_eq!(
            err(&[0x01, 0x00], Features::WASM1),
            (ErrorKind::FeatureDisabled(Proposal::BulkMemory), 0)
        );
        // 7 bytes declared, 6 given.
        assert_eq!(
            err(&[0x01, 0x07, 1, 2, 3, 4, 5, 6], Features::default()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 8)
        );
    }
}
