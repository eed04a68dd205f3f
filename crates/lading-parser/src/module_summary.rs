//! Checking a whole module: every section, every item, every body.

use crate::{Features, Parser, Payload, Result};

/// What [`check_module`] counted in a module.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ModuleSummary {
    /// Entries of the type section (recursion groups, explicit or not).
    pub types: u32,
    /// Subtypes over all recursion groups: the size of the type index space.
    pub sub_types: u64,
    /// Imports.
    pub imports: u32,
    /// Entries of the function section.
    pub functions: u32,
    /// Tables defined.
    pub tables: u32,
    /// Memories defined.
    pub memories: u32,
    /// Tags defined.
    pub tags: u32,
    /// Globals defined.
    pub globals: u32,
    /// Exports.
    pub exports: u32,
    /// The start function, if any.
    pub start: Option<u32>,
    /// Element segments.
    pub elements: u32,
    /// The data count section's count, if any.
    pub data_count: Option<u32>,
    /// Data segments.
    pub data: u32,
    /// Function bodies in the code section.
    pub code: u32,
    /// Custom sections.
    pub custom_sections: u32,
    /// Instructions over all function bodies, as counted by
    /// [`FunctionBody::check`](crate::FunctionBody::check).
    pub instructions: u64,
}

/// Decodes and checks the whole module in `bytes`: the header, every
/// section, every item of every section, and every function body (with
/// [`FunctionBody::check`](crate::FunctionBody::check)). Returns what it
/// counted, or the first error.
///
/// Allocates nothing: the parser, the section readers and the items all
/// borrow from `bytes`.
///
/// ```
/// use lading_parser::{Features, check_module};
/// let module = [
///     0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
///     0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: [] -> []
///     0x03, 0x02, 0x01, 0x00, // function section: type 0
///     0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code section: no locals, end
/// ];
/// let summary = check_module(&module, Features::default()).unwrap();
/// assert_eq!((summary.types, summary.functions, summary.code), (1, 1, 1));
/// ```
pub fn check_module(bytes: &[u8], features: Features) -> Result<ModuleSummary> {
    let mut summary = ModuleSummary::default();
    for payload in Parser::new(bytes, features) {
        match payload? {
            Payload::Version { .. } | Payload::End { .. } => {}
            Payload::TypeSection(section) => {
                summary.types = section.item_count();
                for group in section {
                    summary.sub_types += u64::from(group?.len());
                }
            }
            Payload::ImportSection(section) => summary.imports = section.check_all()?,
            Payload::FunctionSection(section) => summary.functions = section.check_all()?,
            Payload::TableSection(section) => summary.tables = section.check_all()?,
            Payload::MemorySection(section) => summary.memories = section.check_all()?,
            Payload::TagSection(section) => summary.tags = section.check_all()?,
            Payload::GlobalSection(section) => summary.globals = section.check_all()?,
            Payload::ExportSection(section) => summary.exports = section.check_all()?,
            Payload::StartSection { func, .. } => summary.start = Some(func),
            Payload::ElementSection(section) => summary.elements = section.check_all()?,
            Payload::DataCountSection { count, .. } => summary.data_count = Some(count),
            Payload::CodeSection(section) => {
                summary.code = section.item_count();
                for body in section {
                    summary.instructions += body?.check()?.instructions;
                }
            }
            Payload::DataSection(section) => summary.data = section.check_all()?,
            Payload::CustomSection(_) => summary.custom_sections += 1,
        }
    }
    Ok(summary)
}
