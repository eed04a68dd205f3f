//! The memory section: memory types.

use super::limits::{CUSTOM_PAGE_SIZE, HAS_MAX, IS_64, SHARED, read_limits_flags, read_min_max};
use super::types::require;
use crate::{ErrorKind, FromReader, Proposal, Reader, Result, SectionReader};

/// A reader of the memory section.
pub type MemorySectionReader<'a> = SectionReader<'a, MemoryType>;

/// The type of a memory: its limits in pages, and how it is addressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryType {
    /// Whether the memory is indexed with `i64` (memory64).
    pub memory64: bool,
    /// Whether the memory is shared between threads (threads).
    pub shared: bool,
    /// The minimum number of pages.
    pub initial: u64,
    /// The maximum number of pages, if any.
    pub maximum: Option<u64>,
    /// The log2 of the page size if it is not the default 64 KiB
    /// (custom-page-sizes).
    pub page_size_log2: Option<u32>,
}

impl<'a> FromReader<'a> for MemoryType {
    /// Reads the flags byte, the limits, then the page size if flagged.
    ///
    /// Bits above bit 3 are `malformed limits flags`. The custom page size
    /// bit is also `malformed limits flags` when custom-page-sizes is
    /// disabled, since the core test suite expects exactly that; the shared
    /// and 64-bit bits are `FeatureDisabled` when their proposal is off. A
    /// page size log2 of 64 or more cannot be represented and is `invalid
    /// custom page size` (whether it is 0 or 16 is for validation).
    fn from_reader(reader: &mut Reader<'a>) -> Result<MemoryType> {
        let at = reader.position();
        let mut allowed = HAS_MAX | SHARED | IS_64;
        if reader.features().has(Proposal::CustomPageSizes) {
            allowed |= CUSTOM_PAGE_SIZE;
        }
        let flags = read_limits_flags(reader, allowed)?;
        if flags & SHARED != 0 {
            require(reader, Proposal::Threads, at)?;
        }
        if flags & IS_64 != 0 {
            require(reader, Proposal::Memory64, at)?;
        }
        let (initial, maximum) = read_min_max(reader, flags)?;
        let page_size_log2 = if flags & CUSTOM_PAGE_SIZE != 0 {
            let at = reader.position();
            let log2 = reader.read_var_u32()?;
            if log2 >= 64 {
                return Err(reader.error_at(ErrorKind::InvalidCustomPageSize, at));
            }
            Some(log2)
        } else {
            None
        };
        Ok(MemoryType {
            memory64: flags & IS_64 != 0,
            shared: flags & SHARED != 0,
            initial,
            maximum,
            page_size_log2,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Features;

    fn memory(bytes: &[u8], features: Features) -> Result<MemoryType> {
        MemoryType::from_reader(&mut Reader::new_in_section(bytes, 0, features))
    }

    #[test]
    fn encodings() {
        // flags 0, min 1.
        let m = memory(&[0x00, 0x01], Features::default()).unwrap();
        assert_eq!(
            (m.initial, m.maximum, m.shared, m.memory64),
            (1, None, false, false)
        );
        // flags 3 (max, shared), min 1, max 2.
        let m = memory(&[0x03, 0x01, 0x02], Features::default()).unwrap();
        assert_eq!((m.initial, m.maximum, m.shared), (1, Some(2), true));
        // flags 5 (max, 64-bit), min 2^32 (u64), max 2^32.
        let m = memory(
            &[
                0x05, 0x80, 0x80, 0x80, 0x80, 0x10, 0x80, 0x80, 0x80, 0x80, 0x10,
            ],
            Features::default(),
        )
        .unwrap();
        assert_eq!((m.initial, m.maximum), (1 << 32, Some(1 << 32)));
        // flags 0, min 2^32: well-formed (too large is for validation).
        let m = memory(&[0x00, 0x80, 0x80, 0x80, 0x80, 0x10], Features::default()).unwrap();
        assert_eq!(m.initial, 1 << 32);
        // flags 8 (custom page size), min 0, log2 0.
        let m = memory(&[0x08, 0x00, 0x00], Features::default()).unwrap();
        assert_eq!(m.page_size_log2, Some(0));
    }

    #[test]
    fn errors() {
        let err = |b: &[u8], f| {
            let e = memory(b, f).unwrap_err();
            (e.kind(), e.offset())
        };
        let all = Features::default();
        // Unknown bit 4.
        assert_eq!(
            err(&[0x10, 0x00], all),
            (ErrorKind::MalformedLimitsFlags, 0)
        );
        // Flags as a two-byte LEB128: 0x81 has unknown bits.
        assert_eq!(
            err(&[0x81, 0x00, 0x00], all),
            (ErrorKind::MalformedLimitsFlags, 0)
        );
        // Custom page size bit without the proposal.
        assert_eq!(
            err(&[0x08, 0x00, 0x00], Features::WASM2),
            (ErrorKind::MalformedLimitsFlags, 0)
        );
        // Shared without threads.
        assert_eq!(
            err(&[0x03, 0x00, 0x01], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Threads), 0)
        );
        // 64-bit without memory64.
        assert_eq!(
            err(&[0x04, 0x00], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Memory64), 0)
        );
        // Page size 2^65.
        assert_eq!(
            err(&[0x08, 0x00, 0x41], all),
            (ErrorKind::InvalidCustomPageSize, 2)
        );

        // Minimum as a 10-byte u64 with unused bits set in the last byte.
        assert_eq!(
            err(
                &[
                    0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x70
                ],
                all
            ),
            (ErrorKind::IntegerTooLarge, 10)
        );
        // Minimum 2 padded to 5 bytes is fine.
        assert_eq!(
            memory(&[0x00, 0x82, 0x80, 0x80, 0x80, 0x00], all)
                .unwrap()
                .initial,
            2
        );
        // Missing maximum.
        assert_eq!(
            err(&[0x01, 0x00], all),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 2)
        );
    }
}
