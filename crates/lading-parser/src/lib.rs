//! A decoder of the whole WebAssembly 3.0 binary format over a borrowed
//! `&[u8]`: no allocation, no copy, the absolute offset of every error.
//!
//! TODO(crate docs): runnable example once the parser lands.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod const_expr;
mod custom;
mod error;
mod features;
mod from_reader;
mod function_body;
pub mod leb128;
mod operator;
mod operator_table;
mod operators_reader;
mod reader;
mod section_reader;
mod types;

pub use const_expr::ConstExpr;
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
pub use operator::{
    BlockType, BrTable, BrTableTargets, CastBranch, Catch, CountedItems, Ieee32, Ieee64, MemArg,
    Operator, Ordering, SelectTypes, TryTable, V128,
};
pub use operators_reader::OperatorsReader;
pub use reader::Reader;
pub use section_reader::SectionReader;
pub use types::{AbstractHeapType, HeapType, RefType, ValType};
