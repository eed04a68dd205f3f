//! The trait of everything that can be decoded from a [`Reader`].

use crate::{Reader, Result};

/// A value decoded from the bytes at a reader's position, borrowing from
/// them where it can.
pub trait FromReader<'a>: Sized {
    /// Decodes one value and advances `reader` past it.
    fn from_reader(reader: &mut Reader<'a>) -> Result<Self>;
}

impl<'a> FromReader<'a> for u32 {
    #[inline]
    fn from_reader(reader: &mut Reader<'a>) -> Result<u32> {
        reader.read_var_u32()
    }
}

impl<'a> FromReader<'a> for &'a str {
    #[inline]
    fn from_reader(reader: &mut Reader<'a>) -> Result<&'a str> {
        reader.read_name()
    }
}
