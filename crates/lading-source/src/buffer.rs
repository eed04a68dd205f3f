//! The immutable, shared byte buffer.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// Where a buffer's bytes live. Each variant owns the bytes it was built
/// from: nothing is copied in.
enum Storage {
    Vec(Vec<u8>),
    Boxed(Box<[u8]>),
    Shared(Arc<[u8]>),
    Static(&'static [u8]),
    Mapped(memmap2::Mmap),
    /// Anonymous memory a file was read into (see `read_file`).
    Pages(memmap2::Mmap),
    #[cfg(feature = "bytes")]
    Bytes(bytes::Bytes),
}

impl Storage {
    #[inline]
    fn bytes(&self) -> &[u8] {
        match self {
            Storage::Vec(v) => v,
            Storage::Boxed(b) => b,
            Storage::Shared(a) => a,
            Storage::Static(s) => s,
            Storage::Mapped(m) | Storage::Pages(m) => m,
            #[cfg(feature = "bytes")]
            Storage::Bytes(b) => b,
        }
    }
}

/// An immutable byte buffer behind one `Arc`: `Send + Sync`, O(1) to clone
/// and to slice, dereferencing to `&[u8]`.
///
/// A buffer (or a slice of one) keeps the whole storage alive.
#[derive(Clone)]
pub struct Buffer {
    storage: Arc<Storage>,
    start: usize,
    end: usize,
}

impl Buffer {
    fn new(storage: Storage) -> Buffer {
        let end = storage.bytes().len();
        Buffer {
            storage: Arc::new(storage),
            start: 0,
            end,
        }
    }

    /// A buffer over static bytes (e.g. `include_bytes!`), not copied.
    pub fn from_static(bytes: &'static [u8]) -> Buffer {
        Buffer::new(Storage::Static(bytes))
    }

    /// A buffer over a memory map the caller already made.
    pub fn from_mmap(map: memmap2::Mmap) -> Buffer {
        Buffer::new(Storage::Mapped(map))
    }

    /// A buffer over anonymous memory that bytes were read into.
    /// The first `len` bytes of `map` (which may be longer: whole huge
    /// pages).
    pub(crate) fn from_pages(map: memmap2::Mmap, len: usize) -> Buffer {
        let mut buffer = Buffer::new(Storage::Pages(map));
        buffer.end = buffer.end.min(len);
        buffer
    }

    /// The bytes.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        // `start..end` lies within the storage by construction; `get`
        // keeps this path free of panics regardless.
        self.storage
            .bytes()
            .get(self.start..self.end)
            .unwrap_or_default()
    }

    /// A buffer over `range` of this one (relative to its start), sharing
    /// the storage; `None` if the range is out of bounds or reversed.
    pub fn slice(&self, range: Range<usize>) -> Option<Buffer> {
        if range.start > range.end || range.end > self.len() {
            return None;
        }
        Some(Buffer {
            storage: Arc::clone(&self.storage),
            start: self.start + range.start,
            end: self.start + range.end,
        })
    }

    /// The range of `part` within this buffer, if `part` is a sub-slice of
    /// it (compared by address).
    pub fn range_of(&self, part: &[u8]) -> Option<Range<usize>> {
        let outer = self.as_slice().as_ptr_range();
        let inner = part.as_ptr_range();
        let (o0, o1) = (outer.start as usize, outer.end as usize);
        let (i0, i1) = (inner.start as usize, inner.end as usize);
        (i0 >= o0 && i1 <= o1).then(|| i0 - o0..i1 - o0)
    }

    /// Whether both buffers share the same storage (one allocation or map).
    pub fn shares_storage_with(&self, other: &Buffer) -> bool {
        Arc::ptr_eq(&self.storage, &other.storage)
    }

    /// What the bytes live in: `vec`, `box`, `arc`, `static`, `mmap` (a
    /// mapped file), `pages` (anonymous memory a file was read into, see
    /// [`read_file`](crate::read_file)) or `bytes`.
    pub fn kind(&self) -> &'static str {
        match *self.storage {
            Storage::Vec(_) => "vec",
            Storage::Boxed(_) => "box",
            Storage::Shared(_) => "arc",
            Storage::Static(_) => "static",
            Storage::Mapped(_) => "mmap",
            Storage::Pages(_) => "pages",
            #[cfg(feature = "bytes")]
            Storage::Bytes(_) => "bytes",
        }
    }
}

impl Deref for Buffer {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for Buffer {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl fmt::Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Buffer")
            .field("kind", &self.kind())
            .field("len", &self.len())
            .finish()
    }
}

impl PartialEq for Buffer {
    fn eq(&self, other: &Buffer) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Buffer {}

/// Moves the vector in; its allocation, spare capacity included, is kept.
impl From<Vec<u8>> for Buffer {
    fn from(bytes: Vec<u8>) -> Buffer {
        Buffer::new(Storage::Vec(bytes))
    }
}

/// Moves the box in.
impl From<Box<[u8]>> for Buffer {
    fn from(bytes: Box<[u8]>) -> Buffer {
        Buffer::new(Storage::Boxed(bytes))
    }
}

/// Moves the `Arc` in (the bytes stay shared with its other owners).
impl From<Arc<[u8]>> for Buffer {
    fn from(bytes: Arc<[u8]>) -> Buffer {
        Buffer::new(Storage::Shared(bytes))
    }
}

impl From<&'static [u8]> for Buffer {
    fn from(bytes: &'static [u8]) -> Buffer {
        Buffer::from_static(bytes)
    }
}

impl From<memmap2::Mmap> for Buffer {
    fn from(map: memmap2::Mmap) -> Buffer {
        Buffer::from_mmap(map)
    }
}

/// Holds the `Bytes` itself: no copy.
#[cfg(feature = "bytes")]
impl From<bytes::Bytes> for Buffer {
    fn from(bytes: bytes::Bytes) -> Buffer {
        Buffer::new(Storage::Bytes(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_keep_the_allocation() {
        let mut v = Vec::with_capacity(100);
        v.extend_from_slice(b"\0asm");
        let at = v.as_ptr();
        let b = Buffer::from(v);
        assert_eq!((b.as_ptr(), b.len(), b.kind()), (at, 4, "vec"));

        let boxed: Box<[u8]> = vec![1, 2, 3].into_boxed_slice();
        let at = boxed.as_ptr();
        assert_eq!(Buffer::from(boxed).as_ptr(), at);

        let arc: Arc<[u8]> = Arc::from(&[1u8, 2, 3][..]);
        let at = arc.as_ptr();
        assert_eq!(Buffer::from(arc).as_ptr(), at);

        static BYTES: [u8; 3] = [7, 8, 9];
        assert_eq!(Buffer::from_static(&BYTES).as_ptr(), BYTES.as_ptr());
    }

    #[test]
    fn slices_share_and_check_bounds() {
        let b = Buffer::from(vec![0, 1, 2, 3, 4, 5]);
        let s = b.slice(2..5).unwrap();
        assert_eq!(&*s, &[2, 3, 4]);
        assert!(s.shares_storage_with(&b));
        assert_eq!(
            s.slice(1..3).map(|x| x.to_owned_vec_for_test()),
            Some(vec![3, 4])
        );
        assert!(b.slice(4..7).is_none());
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = b.slice(3..2);
        assert!(reversed.is_none());
        assert_eq!(b.range_of(&s), Some(2..5));
        assert_eq!(b.range_of(&[1, 2]), None);
    }

    impl Buffer {
        fn to_owned_vec_for_test(&self) -> Vec<u8> {
            self.as_slice().to_vec()
        }
    }

    #[test]
    fn is_send_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Buffer>();
    }
}
