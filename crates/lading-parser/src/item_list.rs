//! A checked, borrowed vector of items that can be decoded again lazily.

use core::marker::PhantomData;

use crate::{FromReader, Reader, Result};

/// A count-prefixed vector whose items were all decoded (and so checked)
/// once, when the enclosing value was read, and which keeps only a reader
/// over their bytes and their count.
///
/// Iterating decodes the items again from the borrowed bytes, without
/// allocating. Since the same bytes are decoded with the same features, the
/// second decoding cannot fail; should it ever, iteration simply ends.
pub struct ItemList<'a, T> {
    reader: Reader<'a>,
    count: u32,
    marker: PhantomData<fn() -> T>,
}

impl<T> Clone for ItemList<'_, T> {
    fn clone(&self) -> Self {
        ItemList {
            reader: self.reader.clone(),
            count: self.count,
            marker: PhantomData,
        }
    }
}

impl<T> core::fmt::Debug for ItemList<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ItemList")
            .field("count", &self.count)
            .field("offset", &self.reader.base())
            .finish()
    }
}

impl<'a, T: FromReader<'a>> ItemList<'a, T> {
    /// Reads a `u32` count, then decodes that many items from `reader`,
    /// returning the list of them. The count is not bounded by the bytes left
    /// (items are read one by one, so a too-large count fails at the end of
    /// the data).
    pub fn read(reader: &mut Reader<'a>) -> Result<ItemList<'a, T>> {
        let count = reader.read_count()?;
        ItemList::read_items(reader, count)
    }

    /// Decodes `count` items from `reader` and returns the list of them.
    pub fn read_items(reader: &mut Reader<'a>, count: u32) -> Result<ItemList<'a, T>> {
        let start = reader.position();
        let base = reader.offset();
        for _ in 0..count {
            T::from_reader(reader)?;
        }
        let bytes = reader
            .data()
            .get(start..reader.position())
            .unwrap_or_default();
        Ok(ItemList {
            reader: Reader::new_in_section(bytes, base, reader.features()),
            count,
            marker: PhantomData,
        })
    }

    /// The number of items.
    #[inline]
    pub fn len(&self) -> u32 {
        self.count
    }

    /// Whether there is no item.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The items, decoded again from the borrowed bytes.
    pub fn iter(&self) -> ItemListIter<'a, T> {
        ItemListIter {
            reader: self.reader.clone(),
            remaining: self.count,
            marker: PhantomData,
        }
    }
}

impl<'a, T: FromReader<'a>> IntoIterator for &ItemList<'a, T> {
    type Item = T;
    type IntoIter = ItemListIter<'a, T>;
    fn into_iter(self) -> ItemListIter<'a, T> {
        self.iter()
    }
}

/// The iterator of an [`ItemList`].
pub struct ItemListIter<'a, T> {
    reader: Reader<'a>,
    remaining: u32,
    marker: PhantomData<fn() -> T>,
}

impl<'a, T: FromReader<'a>> Iterator for ItemListIter<'a, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        match T::from_reader(&mut self.reader) {
            Ok(item) => Some(item),
            // Unreachable: these bytes decoded without error before.
            Err(_) => {
                self.remaining = 0;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorKind, Features};

    #[test]
    fn decodes_then_iterates_again() {
        // count 2; 5; 128 (two bytes); then a trailing byte not in the list.
        let bytes = [0x02, 0x05, 0x80, 0x01, 0xaa];
        let mut r = Reader::new_in_section(&bytes, 10, Features::default());
        let list = ItemList::<u32>::read(&mut r).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(r.offset(), 14);
        assert_eq!(list.iter().collect::<Vec<_>>(), [5, 128]);
        assert_eq!(list.iter().count(), 2);
    }

    #[test]
    fn too_large_count_hits_the_end() {
        // count 3 but only one item.
        let mut r = Reader::new_in_section(&[0x03, 0x05], 0, Features::default());
        let e = ItemList::<u32>::read(&mut r).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 2)
        );
    }
}
