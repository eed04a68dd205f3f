//! A count-prefixed vector of items: the shape of most sections.

use core::marker::PhantomData;
use core::ops::Range;

use crate::{ErrorKind, FromReader, Reader, Result};

/// A reader of a vector of `T`, as most sections are: a `u32` count, then
/// that many items. Iterating yields each item; after the last one, bytes
/// left in the section are a `section size mismatch` error. After the first
/// error the iterator yields `None` for good.
///
/// Never allocates: items borrow from the section's bytes.
#[derive(Clone)]
pub struct SectionReader<'a, T> {
    reader: Reader<'a>,
    count: u32,
    remaining: u32,
    done: bool,
    marker: PhantomData<fn() -> T>,
}

impl<'a, T: FromReader<'a>> SectionReader<'a, T> {
    /// Reads the count at the start of `reader`, which must span exactly the
    /// section's contents.
    pub fn new(mut reader: Reader<'a>) -> Result<SectionReader<'a, T>> {
        let count = reader.read_len()?;
        Ok(SectionReader {
            reader,
            count,
            remaining: count,
            done: false,
            marker: PhantomData,
        })
    }

    /// The number of items the section declares.
    #[inline]
    pub fn item_count(&self) -> u32 {
        self.count
    }

    /// The absolute byte range of the section's contents (count included).
    pub fn range(&self) -> Range<usize> {
        self.reader.base()..self.reader.base() + self.reader.data().len()
    }

    /// The absolute offset of the next item.
    pub fn offset(&self) -> usize {
        self.reader.offset()
    }

    /// A reader at the next item, over the rest of the section's contents:
    /// for a caller that decodes the items its own way.
    pub fn items_reader(&self) -> Reader<'a> {
        self.reader.clone()
    }

    /// Reads every item, handing each with its absolute offset to `each`,
    /// and returns how many there were. `module` is the whole module this
    /// section is part of: an item that runs out of the section's bytes is
    /// reported as the reference interpreter reports it (decoded again over
    /// the rest of the module, see [`crate::Parser`]).
    pub fn for_each_item(
        self,
        module: &'a [u8],
        each: impl FnMut(usize, T) -> Result<()>,
    ) -> Result<u32> {
        self.drive::<false>(module, |_| Ok(()), each)
    }

    /// As [`SectionReader::for_each_item`], calling `lookahead` first with
    /// a reader at the start of each item, before the item is decoded: a
    /// caller can read what the item announces (a count) and stop, by
    /// returning an error, before paying for decoding it. What `lookahead`
    /// reads is not consumed.
    pub fn for_each_item_with_lookahead(
        self,
        module: &'a [u8],
        lookahead: impl FnMut(Reader<'a>) -> Result<()>,
        each: impl FnMut(usize, T) -> Result<()>,
    ) -> Result<u32> {
        self.drive::<true>(module, lookahead, each)
    }

    /// The loop of both: with `LOOK` false, no lookahead at all (not even
    /// its test), which keeps [`SectionReader::for_each_item`] as it was.
    fn drive<const LOOK: bool>(
        mut self,
        module: &'a [u8],
        mut lookahead: impl FnMut(Reader<'a>) -> Result<()>,
        mut each: impl FnMut(usize, T) -> Result<()>,
    ) -> Result<u32> {
        let count = self.count;
        let end = self.range().end;
        loop {
            let start = self.offset();
            if LOOK && self.remaining > 0 && !self.done {
                lookahead(self.reader.clone())?;
            }
            match self.next() {
                None => return Ok(count),
                Some(Ok(item)) => each(start, item)?,
                Some(Err(e))
                    if e.kind() == ErrorKind::UnexpectedEndOfSectionOrFunction
                        && e.offset() == end =>
                {
                    let features = self.reader.features();
                    return Err(crate::parser::overrun_error::<T>(
                        module, start, end, features,
                    ));
                }
                Some(Err(e)) => return Err(e),
            }
        }
    }

    /// Reads every item, checking each, and returns how many there were.
    pub fn check_all(self) -> Result<u32> {
        let count = self.count;
        for item in self {
            item?;
        }
        Ok(count)
    }
}

impl<'a, T: FromReader<'a>> Iterator for SectionReader<'a, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        if self.remaining == 0 {
            self.done = true;
            if !self.reader.is_empty() {
                return Some(Err(self.reader.error(ErrorKind::SectionSizeMismatch)));
            }
            return None;
        }
        self.remaining -= 1;
        let item = T::from_reader(&mut self.reader);
        if item.is_err() {
            self.done = true;
        }
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            (0, Some(0))
        } else {
            (0, Some(self.remaining as usize + 1))
        }
    }
}

impl<T> core::fmt::Debug for SectionReader<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SectionReader")
            .field("count", &self.count)
            .field("remaining", &self.remaining)
            .field("offset", &self.reader.offset())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Features;

    #[test]
    fn items_then_size_check() {
        let bytes = [0x02, 0x05, 0x80, 0x01, 0xaa];
        let r = Reader::new_in_section(&bytes, 10, Features::default());
        let mut s = SectionReader::<u32>::new(r).unwrap();
        assert_eq!(s.item_count(), 2);
        assert_eq!(s.next(), Some(Ok(5)));
        assert_eq!(s.next(), Some(Ok(128)));
        let e = s.next().unwrap().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::SectionSizeMismatch, 14));
        assert_eq!(s.next(), None);
    }

    #[test]
    fn stops_after_an_error() {
        let bytes = [0x01, 0x80];
        let r = Reader::new_in_section(&bytes, 0, Features::default());
        let mut s = SectionReader::<u32>::new(r).unwrap();
        assert!(s.next().unwrap().is_err());
        assert_eq!(s.next(), None);
    }
}
