//! The owned WebAssembly module of lading: the buffer it was loaded from,
//! moved in, plus a compact index of ranges into it. Accessors return
//! borrowed views into that one buffer.
//!
//! ```
//! use lading_module::{Config, Module};
//! use lading_source::Buffer;
//!
//! // (module (func (export "f") (result i32) i32.const 42))
//! let bytes: Vec<u8> = vec![
//!     0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
//!     0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: () -> i32
//!     0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
//!     0x07, 0x05, 0x01, 0x01, b'f', 0x00, 0x00, // export "f" = function 0
//!     0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b, // code: i32.const 42, end
//! ];
//! let module = Module::new(Buffer::from(bytes), &Config::default())?;
//! let export = module.exports().next().unwrap();
//! assert_eq!((export.name, export.index), ("f", 0));
//! // The name points into the module's own bytes: nothing was copied.
//! assert!(module.bytes().as_ptr_range().contains(&export.name.as_ptr()));
//! assert_eq!(module.instruction_count(), 2);
//! # Ok::<(), lading_module::LoadError>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod announced;
mod bodies;
mod config;
mod early_code;
mod helpers;
mod index;
mod limits;
mod module;
mod times;
mod walk;

pub use config::{Config, PARALLEL_THRESHOLD};
pub use index::SectionEntry;
pub use lading_parser::{Features, Proposal};
pub use limits::{LimitExceeded, Limits, LoadError};
pub use module::{Function, Module};
pub use times::LoadTimes;

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Module>();
};
