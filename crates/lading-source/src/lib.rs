//! Byte sources for lading: bytes in, one immutable [`Buffer`] out, without
//! copying them.
//!
//! ```
//! use lading_source::Buffer;
//!
//! let bytes = vec![0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
//! let at = bytes.as_ptr();
//! let buffer = Buffer::from(bytes); // moved in: the same allocation
//! assert_eq!(buffer.as_ptr(), at);
//! let version = buffer.slice(4..8).unwrap(); // O(1), keeps the buffer alive
//! assert_eq!(&version[..], &[1, 0, 0, 0]);
//! ```
//!
//! A [`Buffer`] is built by *moving* ownership in: a `Vec<u8>` (its spare
//! capacity kept, never shrunk), a `Box<[u8]>`, an `Arc<[u8]>`, a
//! `&'static [u8]`, a memory-mapped file ([`map_file`]), or, with the
//! `bytes` feature, a `bytes::Bytes`. [`read_file`] allocates exactly one
//! block, sized from the file's metadata, and reads straight into it;
//! [`read_from`] reads any `Read`, such as a socket or a pipe.
//!
//! Clones and sub-slices share the one `Arc`: O(1), no copy.
//!
//! # Crate features
//! - `bytes`: `From<bytes::Bytes>`, holding the `Bytes` itself.
//!
//! # Safety
//! This is the one crate of lading that uses `unsafe`, to map files; see
//! [`map_file`] for the contract its callers uphold.

#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod buffer;
mod error;
mod file;
mod read;

pub use buffer::Buffer;
pub use error::SourceError;
pub use file::{PAGES_THRESHOLD, POPULATE_THRESHOLD, STREAM_LIMIT, map_file, read_file};
pub use read::read_from;
