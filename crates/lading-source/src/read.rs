//! Reading from a stream (a socket, a pipe).

use std::io::Read;

use crate::{Buffer, SourceError};

/// The largest capacity a size hint may reserve up front; beyond it the
/// buffer grows as bytes actually arrive, so a hostile hint cannot reserve
/// unbounded memory.
pub const MAX_HINT: usize = 256 << 20;

/// Reads `reader` to its end into one buffer.
///
/// With a correct `size_hint` (e.g. a `Content-Length`), the bytes land in
/// one allocation of that size. Without one, or beyond it, the vector grows
/// as bytes arrive (which moves what was read so far: pass a hint, or use
/// [`crate::read_file`], to avoid that). Hints above [`MAX_HINT`] are
/// clamped.
pub fn read_from(mut reader: impl Read, size_hint: Option<usize>) -> Result<Buffer, SourceError> {
    let mut bytes = Vec::new();
    if let Some(hint) = size_hint {
        bytes
            .try_reserve_exact(hint.min(MAX_HINT))
            .map_err(|e| SourceError::Read(std::io::Error::other(e)))?;
    }
    reader.read_to_end(&mut bytes).map_err(SourceError::Read)?;
    Ok(Buffer::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_to_the_end() {
        let data: Vec<u8> = (0..=255).collect();
        let b = read_from(&data[..], Some(data.len())).unwrap();
        assert_eq!(&*b, &data[..]);
        let b = read_from(&data[..], None).unwrap();
        assert_eq!(b.len(), 256);
        let b = read_from(&data[..], Some(usize::MAX)).unwrap();
        assert_eq!(b.len(), 256);
    }
}
