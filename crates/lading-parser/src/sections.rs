//! The items of each section of a module, one section per file.

pub(crate) mod code;
pub(crate) mod data;
pub(crate) mod elements;
pub(crate) mod exports;
pub(crate) mod functions;
pub(crate) mod globals;
pub(crate) mod imports;
pub(crate) mod limits;
pub(crate) mod memories;
pub(crate) mod tables;
pub(crate) mod tags;
pub(crate) mod type_scan;
pub(crate) mod types;
