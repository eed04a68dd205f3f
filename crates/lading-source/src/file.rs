//! Loading a file: read into one allocation, or mapped.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::{Buffer, SourceError};

fn file_error(path: &Path) -> impl FnOnce(std::io::Error) -> SourceError + '_ {
    move |source| SourceError::File {
        path: path.to_path_buf(),
        source,
    }
}

/// Files from this size on are read into memory pages of their own.
pub const PAGES_THRESHOLD: u64 = 1 << 20;

/// Files from this size on (and under [`PAGES_THRESHOLD`]) are read into
/// memory of their own whose pages are all made present first.
pub const POPULATE_THRESHOLD: u64 = 128 << 10;

/// The size of a transparent huge page on x86-64 and most 64-bit systems:
/// mappings for a file's pages are made whole multiples of it, so that its
/// last bytes get a huge page too.
const HUGE_PAGE: usize = 2 << 20;

/// Reads a whole file into one allocation sized from its metadata, read
/// straight into: the file's bytes are never copied or reallocated.
///
/// Files of [`PAGES_THRESHOLD`] bytes and more are read into anonymous
/// memory of their own (a [`Buffer`] of kind `pages`) which, on Linux, asks
/// for transparent huge pages: the kernel then fills the buffer with a few
/// 2 MiB faults instead of one fault per 4 KiB page, which makes reading a
/// large module several times faster (and checking it touches fewer pages).
/// Files from [`POPULATE_THRESHOLD`] bytes up to that are read into
/// anonymous memory of their own too, of their size, whose pages the kernel
/// makes present in one go before the read (no fault per page: about twice
/// as fast as reading into the heap here, 0.68 against 1.42 ms for 1 MB).
/// Smaller files, and systems without anonymous mappings, use one heap
/// allocation.
///
/// A file that shrinks or grows while it is read is a
/// [`SourceError::Changed`] error, never a torn buffer.
///
/// A pipe, terminal or device (`/dev/stdin`), or a file whose size says 0
/// (which may have bytes, as in `/proc`), has no size to read ahead: it is
/// read to its end into a vector that grows as bytes arrive, up to
/// [`STREAM_LIMIT`] bytes ([`SourceError::TooLarge`] beyond).
pub fn read_file(path: impl AsRef<Path>) -> Result<Buffer, SourceError> {
    let path = path.as_ref();
    let mut file = File::open(path).map_err(file_error(path))?;
    let metadata = file.metadata().map_err(file_error(path))?;
    // A file of size 0 may have bytes (those of `/proc`, `/sys`).
    if !metadata.is_file() || metadata.len() == 0 {
        return read_stream(file, path);
    }
    let len = metadata.len();
    let Ok(size) = usize::try_from(len) else {
        return Err(SourceError::TooLarge {
            path: path.to_path_buf(),
            len,
        });
    };
    if len >= PAGES_THRESHOLD
        && let Some(mapped) = size.checked_next_multiple_of(HUGE_PAGE)
        && let Ok(mut pages) = memmap2::MmapMut::map_anon(mapped)
    {
        #[cfg(target_os = "linux")]
        // Only a hint: without huge pages the read is as fast as into the
        // heap.
        let _ = pages.advise(memmap2::Advice::HugePage);
        let into = pages.get_mut(..size).unwrap_or_default();
        read_exactly(&mut file, into, len).map_err(|e| e.at(path))?;
        let pages = pages.make_read_only().map_err(file_error(path))?;
        return Ok(Buffer::from_pages(pages, size));
    }
    if len >= POPULATE_THRESHOLD
        && let Ok(mut pages) = memmap2::MmapOptions::new().len(size).populate().map_anon()
    {
        read_exactly(&mut file, &mut pages, len).map_err(|e| e.at(path))?;
        let pages = pages.make_read_only().map_err(file_error(path))?;
        return Ok(Buffer::from_pages(pages, size));
    }
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(size)
        .map_err(|_| SourceError::TooLarge {
            path: path.to_path_buf(),
            len,
        })?;
    // `File::read_to_end` reads up to the size it was reserved for in one
    // call, then makes sure the file ends there.
    file.read_to_end(&mut bytes).map_err(file_error(path))?;
    if bytes.len() != size {
        return Err(SourceError::Changed {
            path: path.to_path_buf(),
            expected: len,
        });
    }
    Ok(Buffer::from(bytes))
}

/// The most [`read_file`] reads from a pipe or device: the byte offsets
/// of a WebAssembly module are 32-bit.
pub const STREAM_LIMIT: u64 = 1 << 32;

/// Reads a pipe, a terminal or a device, whose size is not known before its
/// end: into a vector grown as bytes arrive, up to [`STREAM_LIMIT`] bytes.
fn read_stream(file: File, path: &Path) -> Result<Buffer, SourceError> {
    let mut bytes = Vec::new();
    file.take(STREAM_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(file_error(path))?;
    if bytes.len() as u64 > STREAM_LIMIT {
        return Err(SourceError::TooLarge {
            path: path.to_path_buf(),
            len: bytes.len() as u64,
        });
    }
    Ok(Buffer::from(bytes))
}

/// Why [`read_exactly`] failed.
enum ReadError {
    Io(std::io::Error),
    Changed(u64),
}

impl ReadError {
    fn at(self, path: &Path) -> SourceError {
        match self {
            ReadError::Io(source) => file_error(path)(source),
            ReadError::Changed(expected) => SourceError::Changed {
                path: path.to_path_buf(),
                expected,
            },
        }
    }
}

/// Fills `into` (of `len` bytes) from `file`, which must then be at its
/// end.
fn read_exactly(file: &mut File, into: &mut [u8], len: u64) -> Result<(), ReadError> {
    let mut filled = 0;
    while let Some(rest) = into.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match file.read(rest) {
            Ok(0) => return Err(ReadError::Changed(len)),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ReadError::Io(e)),
        }
    }
    if grew(file).map_err(ReadError::Io)? {
        return Err(ReadError::Changed(len));
    }
    Ok(())
}

/// Whether `file`, read up to its expected length, has more bytes.
fn grew(file: &mut File) -> std::io::Result<bool> {
    let mut probe = [0u8; 1];
    Ok(file.read(&mut probe)? != 0)
}

/// Maps a file into memory, read-only, hinting sequential access.
///
/// # Safety
///
/// The mapping reflects the file as it is on disk, for as long as the
/// returned buffer (or any clone or slice of it) lives. The caller must
/// ensure that no process modifies or truncates the file during that time:
/// modified bytes would change under the loader's feet (breaking the
/// immutability every `&[u8]` promises), and accessing the mapping beyond a
/// truncated end raises `SIGBUS`. A safe wrapper cannot rule this out,
/// hence this function is `unsafe`. Use [`read_file`] when the file may
/// change.
pub unsafe fn map_file(path: impl AsRef<Path>) -> Result<Buffer, SourceError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(file_error(path))?;
    // SAFETY: the caller upholds this function's contract: the file is
    // neither modified nor truncated while the mapping lives.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(file_error(path))?;
    #[cfg(unix)]
    {
        // Only a hint: failing to give it changes nothing but speed.
        let _ = map.advise(memmap2::Advice::Sequential);
    }
    Ok(Buffer::from_mmap(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("lading-source-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// A device has no size to read ahead: it is read to its end.
    #[cfg(target_os = "linux")]
    #[test]
    fn devices_are_read_to_their_end() {
        let empty = read_file("/dev/null").unwrap();
        assert!(empty.is_empty());
        assert_eq!(empty.kind(), "vec");
        // A file's size in /proc is 0 although it has bytes.
        let status = read_file("/proc/self/status").unwrap();
        assert!(status.starts_with(b"Name:"), "{:?}", &status[..16]);
    }

    #[test]
    fn read_and_map_give_the_file() {
        let path = temp_file("a.wasm", b"\0asm\x01\0\0\0");
        let read = read_file(&path).unwrap();
        assert_eq!(&*read, b"\0asm\x01\0\0\0");
        assert_eq!(read.kind(), "vec");
        // SAFETY: the test owns the file and does not change it.
        let mapped = unsafe { map_file(&path) }.unwrap();
        assert_eq!(read, mapped);
        assert_eq!(mapped.kind(), "mmap");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn large_files_are_read_into_pages() {
        let sizes = [
            (POPULATE_THRESHOLD as usize - 1, "vec"),
            (POPULATE_THRESHOLD as usize, "pages"),
            (PAGES_THRESHOLD as usize - 1, "pages"),
            (PAGES_THRESHOLD as usize + 12345, "pages"),
        ];
        for (size, kind) in sizes {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            let path = temp_file(&format!("large-{size}.wasm"), &bytes);
            let read = read_file(&path).unwrap();
            assert_eq!(read.kind(), kind, "{size} bytes");
            assert_eq!(read.len(), size);
            assert!(*read == *bytes, "{size} bytes");
            std::fs::remove_file(&path).unwrap();
        }
    }

    #[test]
    fn errors_carry_the_path() {
        let e = read_file("/nonexistent/lading.wasm").unwrap_err();
        assert!(
            e.to_string().starts_with("/nonexistent/lading.wasm: "),
            "{e}"
        );
        // SAFETY: the file does not exist; nothing is mapped.
        let e = unsafe { map_file("/nonexistent/lading.wasm") }.unwrap_err();
        assert!(matches!(e, SourceError::File { .. }));
    }

    #[test]
    fn empty_file() {
        let path = temp_file("empty.wasm", b"");
        assert!(read_file(&path).unwrap().is_empty());
        // SAFETY: the test owns the file and does not change it.
        assert!(unsafe { map_file(&path) }.unwrap().is_empty());
        std::fs::remove_file(&path).unwrap();
    }
}
