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
/// Smaller files, and systems without anonymous mappings, use one heap
/// allocation.
///
/// A file that shrinks or grows while it is read is a
/// [`SourceError::Changed`] error, never a torn buffer.
pub fn read_file(path: impl AsRef<Path>) -> Result<Buffer, SourceError> {
    let path = path.as_ref();
    let mut file = File::open(path).map_err(file_error(path))?;
    let len = file.metadata().map_err(file_error(path))?.len();
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
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(size)
        .map_err(|_| SourceError::TooLarge {
            path: path.to_path_buf(),
            len,
        })?;
    // `take` stops at the expected size, so the vector never grows.
    (&mut file)
        .take(len)
        .read_to_end(&mut bytes)
        .map_err(file_error(path))?;
    if bytes.len() != size || grew(&mut file).map_err(file_error(path))? {
        return Err(SourceError::Changed {
            path: path.to_path_buf(),
            expected: len,
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
        let size = PAGES_THRESHOLD as usize + 12345;
        let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
        let path = temp_file("large.wasm", &bytes);
        let read = read_file(&path).unwrap();
        assert_eq!(read.kind(), "pages");
        assert!(*read == *bytes);
        std::fs::remove_file(&path).unwrap();
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
