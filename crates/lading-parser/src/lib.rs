//! A decoder of the whole WebAssembly 3.0 binary format over a borrowed
//! `&[u8]`: no allocation, no copy, the absolute offset of every error.
//!
//! TODO(crate docs): runnable example once the parser lands.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod check;
mod error;
mod features;
mod from_reader;
mod function_body;
pub mod leb128;
mod opcode_table;
mod reader;
mod section_reader;
mod types;

pub use check::{BodySummary, check_bodies, check_const_expr};
pub use error::{Error, ErrorKind, ErrorMessage, Result};
pub use features::{Features, Proposal};
pub use from_reader::FromReader;
pub use function_body::{FunctionBody, LocalsReader};
pub use opcode_table::{
    ATOMIC_PREFIXED, ControlEffect, GC_PREFIXED, Immediates, MISC_PREFIXED, ONE_BYTE, OpcodeInfo,
    SIMD_PREFIXED, one_byte_opcode, prefixed_opcode,
};
pub use reader::Reader;
pub use section_reader::SectionReader;
pub use types::{AbstractHeapType, HeapType, RefType, ValType};
