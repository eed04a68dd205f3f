//! Errors of reading or mapping a source.

use std::path::PathBuf;

/// A source could not be read. Errors about a file carry its path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// Opening, reading or mapping a file failed.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file changed size while it was read.
    #[error("{}: the file changed size while being read ({expected} bytes expected)", path.display())]
    Changed {
        /// The file.
        path: PathBuf,
        /// Its size when reading started.
        expected: u64,
    },
    /// The file is larger than this platform can address, or a pipe or
    /// device gave more than [`crate::STREAM_LIMIT`] bytes (`len`: the bytes read).
    #[error("{}: {len} bytes is too large to load", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        len: u64,
    },
    /// Reading from a stream failed.
    #[error("reading failed: {0}")]
    Read(#[source] std::io::Error),
}
