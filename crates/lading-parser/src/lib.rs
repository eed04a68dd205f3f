//! A decoder of the whole WebAssembly 3.0 binary format over a borrowed
//! `&[u8]`: no allocation, no copy, the absolute offset of every error.
//!
//! ```
//! use lading_parser::{Features, Operator, Parser, Payload, check_module};
//!
//! // (module (func (export "answer") (result i32) i32.const 42))
//! let module = [
//!     0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
//!     0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // types: () -> i32
//!     0x03, 0x02, 0x01, 0x00, // functions: type 0
//!     0x07, 0x0a, 0x01, 0x06, b'a', b'n', b's', b'w', b'e', b'r', 0x00, 0x00, // exports
//!     0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b, // code: i32.const 42, end
//! ];
//!
//! // Check every byte, every body included, and count what is there.
//! let summary = check_module(&module, Features::default())?;
//! assert_eq!((summary.functions, summary.exports, summary.instructions), (1, 1, 2));
//!
//! // Or walk the sections and read what you need, borrowed.
//! for payload in Parser::new(&module, Features::default()) {
//!     match payload? {
//!         Payload::ExportSection(exports) => {
//!             for export in exports {
//!                 assert_eq!(export?.name, "answer");
//!             }
//!         }
//!         Payload::CodeSection(bodies) => {
//!             for body in bodies {
//!                 let mut ops = body?.operators_reader()?;
//!                 assert!(matches!(ops.next(), Some(Ok(Operator::I32Const { value: 42 }))));
//!             }
//!         }
//!         _ => {}
//!     }
//! }
//!
//! // Errors carry the offset and the specification's message.
//! let e = check_module(&module[..30], Features::default()).unwrap_err();
//! assert_eq!(e.message().to_string(), "length out of bounds");
//! # Ok::<(), lading_parser::Error>(())
//! ```
//!
//! # What it decodes
//!
//! Every section (0 to 13) and every item of WebAssembly 3.0: rec groups and
//! GC types, all reference types, imports and exports of every kind, limits
//! with every flag (shared, 64-bit, custom page sizes), tables with
//! initializers, all 8 element and 3 data segment encodings, tags, and every
//! instruction: control (with legacy exceptions), parametric, variable,
//! table, memory (multi-memory, memory64), numeric, reference, GC (`0xFB`),
//! `0xFC` (saturating truncation, bulk memory, tables, wide arithmetic),
//! SIMD and relaxed SIMD (`0xFD`), atomics (`0xFE`). Each proposal can be
//! turned off in [`Features`]; its encodings are then rejected with an error
//! that names it.
//!
//! # Two ways through a body
//!
//! - [`FunctionBody::operators_reader`]: an iterator of [`Operator`]s,
//!   for consumers.
//! - [`FunctionBody::check`]: a table-driven pass that checks the whole body
//!   and counts its instructions without building operators; what
//!   [`check_module`] uses. The two agree on every input (tested).
//!
//! # Errors
//!
//! [`Error`] is 16 bytes, `Copy`: an absolute byte offset and an
//! [`ErrorKind`] whose `Display` is the message of the specification's
//! reference interpreter (what the spec test suite expects), e.g.
//! `integer representation too long`. Iterators stop for good after their
//! first error.
//!
//! # Custom sections
//!
//! A custom section's name is checked; its contents never fail a module.
//! Decoders for `name`, `producers`, `target_features` and
//! `metadata.code.branch_hint` are used on demand.
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
mod utf8;
#[cfg(test)]
mod variants;

pub use check::{BodySplit, BodySummary, SplitHead, SplitTail, check_bodies, check_const_expr};
pub use code_entry::{BodyRules, check_code_entry};
pub use const_expr::ConstExpr;
pub use custom::branch_hints::{BranchHint, BranchHintFunction, BranchHintSectionReader};
pub use custom::name::{
    Indexed, IndexedMap, IndirectNameMap, IndirectNaming, Name, NameMap, NameSectionReader, Naming,
};
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
pub use sections::type_scan::{CompositeKind, SubTypeFacts, TypeScan};
pub use sections::types::{
    ArrayType, CompositeType, FieldType, FuncType, RecGroup, RecGroupHeader, StorageType,
    StructType, SubType, TypeSectionReader,
};
pub use types::{AbstractHeapType, HeapType, RefType, ValType};
