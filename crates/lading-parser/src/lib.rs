//! A decoder of the whole WebAssembly 3.0 binary format over a borrowed
//! `&[u8]`: no allocation, no copy, the absolute offset of every error.
//!
//! TODO(crate docs): runnable example once the parser lands.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod check;
mod code_entry;
mod const_expr;
mod custom;
mod custom_section;
mod error;
mod features;
mod from_reader;
mod function_body;
mod item_list;
pub mod leb128;
mod module_summary;
mod opcode_table;
mod operator;
mod operator_table;
mod operators_reader;
mod parser;
mod reader;
mod section_reader;
mod sections;
mod types;

pub use check::{BodySummary, check_bodies, check_const_expr};
pub use code_entry::check_code_entry;
pub use const_expr::ConstExpr;
pub use custom::branch_hints::{BranchHint, BranchHintFunction, BranchHintSectionReader};
pub use custom::name::{IndirectNameMap, IndirectNaming, Name, NameMap, NameSectionReader, Naming};
pub use custom::producers::{
    ProducersField, ProducersFieldKind, ProducersFieldValue, ProducersSectionReader,
};
pub use custom::target_features::{
    TargetFeature, TargetFeaturePrefix, TargetFeaturesSectionReader,
};
pub use custom_section::CustomSection;
pub use error::{Error, ErrorKind, ErrorMessage, Result};
pub use features::{Features, Proposal};
pub use from_reader::FromReader;
pub use function_body::{FunctionBody, LocalsReader};
pub use item_list::{ItemList, ItemListIter};
pub use module_summary::{ModuleSummary, check_module};
pub use opcode_table::{
    ATOMIC_PREFIXED, ControlEffect, GC_PREFIXED, Immediates, MISC_PREFIXED, ONE_BYTE, OpcodeInfo,
    SIMD_PREFIXED, one_byte_opcode, prefixed_opcode,
};
pub use operator::{
    BlockType, BrTable, BrTableTargets, CastBranch, Catch, CountedItems, Ieee32, Ieee64, MemArg,
    Operator, Ordering, SelectTypes, TryTable, V128,
};
pub use operators_reader::OperatorsReader;
pub use parser::{Parser, Payload};
pub use reader::Reader;
pub use section_reader::SectionReader;
pub use sections::code::CodeSectionReader;
pub use sections::data::{Data, DataKind, DataSectionReader};
pub use sections::elements::{Element, ElementItems, ElementKind, ElementSectionReader};
pub use sections::exports::{Export, ExportSectionReader, ExternalKind};
pub use sections::functions::FunctionSectionReader;
pub use sections::globals::{Global, GlobalSectionReader, GlobalType};
pub use sections::imports::{Import, ImportSectionReader, TypeRef};
pub use sections::memories::{MemorySectionReader, MemoryType};
pub use sections::tables::{Table, TableSectionReader, TableType};
pub use sections::tags::{TagSectionReader, TagType};
pub use sections::types::{
    ArrayType, CompositeType, FieldType, FuncType, RecGroup, StorageType, StructType, SubType,
    TypeSectionReader,
};
pub use types::{AbstractHeapType, HeapType, RefType, ValType};
