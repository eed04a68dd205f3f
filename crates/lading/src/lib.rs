//! lading loads WebAssembly modules: it takes the bytes by move, checks
//! every byte of the module, and hands out borrowed views into the one
//! buffer it keeps. No byte of the module is ever copied.
//!
//! ```
//! // examples/hello.wat: imports, a memory, globals, three functions.
//! let bytes = include_bytes!("../../../examples/hello.wasm").to_vec();
//! let module = lading::load(bytes)?;
//! for export in module.exports() {
//!     println!("export {} = {:?} {}", export.name, export.kind, export.index);
//! }
//! let fib = module.export("fib").unwrap();
//! assert!(module.bytes().as_ptr_range().contains(&fib.name.as_ptr()));
//! # Ok::<(), lading::Error>(())
//! ```
//!
//! # Ownership flow
//!
//! ```text
//!  Vec<u8> / Box<[u8]> / Arc<[u8]> / &'static [u8] / file (read once) / mmap / Bytes
//!        │ moved, never copied
//!        ▼
//!  Buffer ──── one Arc, immutable, O(1) clone and slice          (lading-source)
//!        │ moved into
//!        ▼
//!  Module ──── Buffer + compact index of offsets into it          (lading-module)
//!        │ borrowed views, re-decoded on demand
//!        ▼
//!  &str names, &[u8] bodies / data / custom payloads, Operator iterators
//! ```
//!
//! Loading checks the header, every section and item, and every
//! instruction of every function body (on several threads for large
//! modules); a module that loads is well-formed. Errors carry the byte
//! offset and the WebAssembly specification's message.
//!
//! The parser alone, over a borrowed `&[u8]`, is [`parser`]
//! (`lading-parser`).
// `unsafe` is denied, with one exception: `Loader::map_file` forwards the
// contract of `lading_source::map_file`, so it must be an `unsafe fn`.
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod config;
mod error;
mod loader;

pub use config::Config;
pub use error::Error;
pub use loader::{Loader, load, load_file};

pub use lading_module::{
    Function, LimitExceeded, Limits, LoadError, LoadTimes, Module, SectionEntry,
};
pub use lading_parser as parser;
pub use lading_parser::{Features, Proposal};
pub use lading_source::{Buffer, SourceError};
