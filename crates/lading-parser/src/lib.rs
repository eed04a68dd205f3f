//! A decoder of the whole WebAssembly 3.0 binary format over a borrowed
//! `&[u8]`: no allocation, no copy, the absolute offset of every error.
//!
//! TODO(crate docs): runnable example once the parser lands.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod custom;
mod error;
mod features;
mod from_reader;
mod function_body;
pub mod leb128;
mod reader;
mod section_reader;
mod types;

pub use custom::branch_hints::{BranchHint, BranchHintFunction, BranchHintSectionReader};
pub use custom::name::{IndirectNameMap, IndirectNaming, Name, NameMap, NameSectionReader, Naming};
pub use custom::producers::{
    ProducersField, ProducersFieldKind, ProducersFieldValue, ProducersSectionReader,
};
pub use custom::target_features::{
    TargetFeature, TargetFeaturePrefix, TargetFeaturesSectionReader,
};
pub use error::{Error, ErrorKind, ErrorMessage, Result};
pub use features::{Features, Proposal};
pub use from_reader::FromReader;
pub use function_body::{FunctionBody, LocalsReader};
pub use reader::Reader;
pub use section_reader::SectionReader;
pub use types::{AbstractHeapType, HeapType, RefType, ValType};
