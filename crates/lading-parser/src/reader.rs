//! The byte cursor every decoder in this crate reads through.

use crate::{Error, ErrorKind, Features, Result, leb128};

/// A cursor over a borrowed byte slice that knows the absolute offset of its
/// first byte, so every error points into the whole module.
///
/// A reader also carries the enabled [`Features`], and the message for
/// running out of bytes: `unexpected end` at the top level of a module,
/// `unexpected end of section or function` inside a section (see
/// [`Reader::sub_reader`]). Reading never allocates.
///
/// ```
/// use lading_parser::{Features, Reader};
/// let bytes = [0x03, b'a', b'b', b'c', 0xe5, 0x8e, 0x26];
/// let mut r = Reader::new(&bytes, 100, Features::default());
/// assert_eq!(r.read_name().unwrap(), "abc");
/// assert_eq!(r.read_var_u32().unwrap(), 624485);
/// assert!(r.is_empty());
/// assert_eq!(r.offset(), 107);
/// ```
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    features: Features,
    eof: ErrorKind,
}

impl<'a> Reader<'a> {
    /// A top-level reader over `data`, whose first byte sits at absolute
    /// offset `base`. Running out of bytes is `unexpected end`.
    pub fn new(data: &'a [u8], base: usize, features: Features) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            base,
            features,
            eof: ErrorKind::UnexpectedEnd,
        }
    }

    /// A reader over the contents of a section or function body. Running out
    /// of bytes is `unexpected end of section or function`.
    pub fn new_in_section(data: &'a [u8], base: usize, features: Features) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            base,
            features,
            eof: ErrorKind::UnexpectedEndOfSectionOrFunction,
        }
    }

    /// The enabled proposals.
    #[inline]
    pub fn features(&self) -> Features {
        self.features
    }

    /// The absolute offset of the next byte.
    #[inline]
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// The absolute offset of this reader's first byte.
    #[inline]
    pub fn base(&self) -> usize {
        self.base
    }

    /// The position of the next byte relative to this reader's first byte.
    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Whether every byte has been read.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// How many bytes are left.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    /// The bytes not read yet.
    #[inline]
    pub fn remaining_bytes(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or_default()
    }

    /// All bytes of this reader, read or not.
    #[inline]
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// An error of `kind` at the current offset.
    #[cold]
    pub fn error(&self, kind: ErrorKind) -> Error {
        Error::new(kind, self.offset())
    }

    /// An error of `kind` at `pos`, a position relative to this reader.
    #[cold]
    pub fn error_at(&self, kind: ErrorKind, pos: usize) -> Error {
        Error::new(kind, self.base + pos)
    }

    /// The error for running out of bytes, at the end of the data.
    #[cold]
    pub fn eof_error(&self) -> Error {
        Error::new(self.eof, self.base + self.data.len())
    }

    #[cold]
    fn fix(&self, e: Error) -> Error {
        let kind = match e.kind() {
            ErrorKind::UnexpectedEnd => self.eof,
            kind => kind,
        };
        Error::new(kind, self.base + e.offset())
    }

    /// Reads one byte.
    #[inline]
    pub fn read_u8(&mut self) -> Result<u8> {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.eof_error()),
        }
    }

    /// The next byte, without consuming it.
    #[inline]
    pub fn peek_u8(&self) -> Result<u8> {
        match self.data.get(self.pos) {
            Some(&b) => Ok(b),
            None => Err(self.eof_error()),
        }
    }

    /// Reads `len` bytes.
    #[inline]
    pub fn read_bytes(&mut self, len: usize) -> Result<&'a [u8]> {
        match self
            .pos
            .checked_add(len)
            .and_then(|end| self.data.get(self.pos..end))
        {
            Some(bytes) => {
                self.pos += len;
                Ok(bytes)
            }
            None => Err(self.eof_error()),
        }
    }

    /// Reads exactly `N` bytes into an array.
    #[inline]
    pub fn read_array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let bytes = self.read_bytes(N)?;
        let mut out = [0; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// Skips `len` bytes.
    #[inline]
    pub fn skip(&mut self, len: usize) -> Result<()> {
        self.read_bytes(len).map(drop)
    }

    /// Reads an unsigned LEB128 32-bit integer.
    #[inline]
    pub fn read_var_u32(&mut self) -> Result<u32> {
        leb128::read_u32(self.data, &mut self.pos).map_err(|e| self.fix(e))
    }

    /// Reads an unsigned LEB128 64-bit integer.
    #[inline]
    pub fn read_var_u64(&mut self) -> Result<u64> {
        leb128::read_u64(self.data, &mut self.pos).map_err(|e| self.fix(e))
    }

    /// Reads a signed LEB128 32-bit integer.
    #[inline]
    pub fn read_var_i32(&mut self) -> Result<i32> {
        leb128::read_i32(self.data, &mut self.pos).map_err(|e| self.fix(e))
    }

    /// Reads a signed LEB128 33-bit integer (block types).
    #[inline]
    pub fn read_var_s33(&mut self) -> Result<i64> {
        leb128::read_s33(self.data, &mut self.pos).map_err(|e| self.fix(e))
    }

    /// Reads a signed LEB128 64-bit integer.
    #[inline]
    pub fn read_var_i64(&mut self) -> Result<i64> {
        leb128::read_i64(self.data, &mut self.pos).map_err(|e| self.fix(e))
    }

    /// Skips an unsigned LEB128 integer of at most `bits` bits.
    #[inline]
    pub fn skip_var_unsigned(&mut self, bits: u32) -> Result<()> {
        leb128::skip_unsigned(self.data, &mut self.pos, bits).map_err(|e| self.fix(e))
    }

    /// Skips `count` unsigned LEB128 32-bit integers (the labels of a
    /// `br_table`), eight bytes at a time where they are short.
    #[inline]
    pub fn skip_var_u32s(&mut self, count: u64) -> Result<()> {
        leb128::skip_u32s(self.data, &mut self.pos, count).map_err(|e| self.fix(e))
    }

    /// Skips a signed LEB128 integer of at most `bits` bits.
    #[inline]
    pub fn skip_var_signed(&mut self, bits: u32) -> Result<()> {
        leb128::skip_signed(self.data, &mut self.pos, bits).map_err(|e| self.fix(e))
    }

    /// Reads the little-endian bits of an `f32`.
    #[inline]
    pub fn read_f32_bits(&mut self) -> Result<u32> {
        self.read_array().map(u32::from_le_bytes)
    }

    /// Reads the little-endian bits of an `f64`.
    #[inline]
    pub fn read_f64_bits(&mut self) -> Result<u64> {
        self.read_array().map(u64::from_le_bytes)
    }

    /// Reads a length or a vector count (u32) that must not exceed the bytes
    /// left, since every item takes at least one byte: `length out of
    /// bounds` otherwise. This makes the count a safe bound for iteration.
    #[inline]
    pub fn read_len(&mut self) -> Result<u32> {
        let start = self.pos;
        let n = self.read_var_u32()?;
        if n as usize > self.remaining() {
            return Err(self.error_at(ErrorKind::LengthOutOfBounds, start));
        }
        Ok(n)
    }

    /// Reads a vector count (u32) without bounding it by the bytes left;
    /// for vectors whose items may take no bytes.
    #[inline]
    pub fn read_count(&mut self) -> Result<u32> {
        self.read_var_u32()
    }

    /// Reads a length-prefixed byte string.
    #[inline]
    pub fn read_byte_string(&mut self) -> Result<&'a [u8]> {
        let n = self.read_len()?;
        self.read_bytes(n as usize)
    }

    /// Reads a length-prefixed UTF-8 name: `malformed UTF-8 encoding` if it
    /// is not valid UTF-8.
    #[inline]
    pub fn read_name(&mut self) -> Result<&'a str> {
        let start = self.pos;
        let bytes = self.read_byte_string()?;
        core::str::from_utf8(bytes).map_err(|_| self.error_at(ErrorKind::MalformedUtf8, start))
    }

    /// A reader over the next `len` bytes (inside a section), which this
    /// reader skips.
    #[inline]
    pub fn sub_reader(&mut self, len: usize) -> Result<Reader<'a>> {
        let base = self.offset();
        let data = self.read_bytes(len)?;
        Ok(Reader::new_in_section(data, base, self.features))
    }

    /// Fails with `kind` unless the next byte is `0x00`, which it consumes.
    #[inline]
    pub fn expect_zero(&mut self, kind: ErrorKind) -> Result<()> {
        let at = self.pos;
        match self.read_u8()? {
            0 => Ok(()),
            _ => Err(self.error_at(kind, at)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_absolute() {
        let bytes = [0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        let mut r = Reader::new_in_section(&bytes, 1000, Features::default());
        let e = r.read_var_u32().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::IntegerRepresentationTooLong);
        assert_eq!(e.offset(), 1005);
    }

    #[test]
    fn end_of_data_message_depends_on_level() {
        let mut top = Reader::new(&[0x80], 0, Features::default());
        assert_eq!(
            top.read_var_u32().unwrap_err().kind(),
            ErrorKind::UnexpectedEnd
        );
        let mut inner = Reader::new_in_section(&[], 0, Features::default());
        assert_eq!(
            inner.read_u8().unwrap_err().kind(),
            ErrorKind::UnexpectedEndOfSectionOrFunction
        );
    }

    #[test]
    fn lengths_and_names() {
        let mut r = Reader::new(&[0x05, b'a'], 0, Features::default());
        assert_eq!(
            r.read_name().unwrap_err().kind(),
            ErrorKind::LengthOutOfBounds
        );
        let mut r = Reader::new(&[0x02, 0xc3, 0x28], 0, Features::default());
        let e = r.read_name().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::MalformedUtf8, 0));
        let mut r = Reader::new(&[0x02, 0xc3, 0xa9, 0x01], 0, Features::default());
        assert_eq!(r.read_name().unwrap(), "é");
        let sub = r.sub_reader(1).unwrap();
        assert_eq!(sub.base(), 3);
        assert!(r.is_empty());
        assert!(r.sub_reader(1).is_err());
    }
}
