//! Checking a whole module: every section, every item, every body.

use crate::{BodyRules, check_code_entry};
use crate::{Features, FromReader, Parser, Payload, Result, SectionReader};

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
                let mut sub_types = 0u64;
                check_items(section, (bytes, features), |group| {
                    sub_types += u64::from(group.len());
                    Ok(())
                })?;
                summary.sub_types = sub_types;
            }
            Payload::ImportSection(s) => {
                summary.imports = check_items(s, (bytes, features), |_| Ok(()))?
            }
            Payload::FunctionSection(s) => {
                summary.functions = check_items(s, (bytes, features), |_| Ok(()))?
            }
            Payload::TableSection(s) => {
                summary.tables = check_items(s, (bytes, features), |_| Ok(()))?
            }
            Payload::MemorySection(s) => {
                summary.memories = check_items(s, (bytes, features), |_| Ok(()))?
            }
            Payload::TagSection(s) => summary.tags = check_items(s, (bytes, features), |_| Ok(()))?,
            Payload::GlobalSection(s) => {
                summary.globals = check_items(s, (bytes, features), |_| Ok(()))?
            }
            Payload::ExportSection(s) => {
                summary.exports = check_items(s, (bytes, features), |_| Ok(()))?
            }
            Payload::StartSection { func, .. } => summary.start = Some(func),
            Payload::ElementSection(s) => {
                summary.elements = check_items(s, (bytes, features), |_| Ok(()))?
            }
            Payload::DataCountSection { count, .. } => summary.data_count = Some(count),
            Payload::CodeSection(section) => {
                let present = section.data_count_present();
                let end = section.range().end;
                let mut entries = section.into_inner();
                summary.code = entries.item_count();
                for _ in 0..summary.code {
                    let entry = entries.offset();
                    // The entry's own errors come from check_code_entry,
                    // which reads it again as the reference interpreter does.
                    let _ = entries.next();
                    summary.instructions += check_code_entry(
                        bytes,
                        entry,
                        end,
                        BodyRules {
                            data_count_present: present,
                            ..BodyRules::new(features)
                        },
                    )?
                    .instructions;
                }
                // Bytes after the last entry.
                if let Some(Err(e)) = entries.next() {
                    return Err(e);
                }
            }
            Payload::DataSection(s) => {
                summary.data = check_items(s, (bytes, features), |_| Ok(()))?
            }
            Payload::CustomSection(_) => summary.custom_sections += 1,
        }
    }
    Ok(summary)
}

/// Reads every item of `section` (a section of `module`), handing each to
/// `each`; returns the item count.
fn check_items<'a, T: FromReader<'a>>(
    section: SectionReader<'a, T>,
    (module, _features): (&'a [u8], Features),
    mut each: impl FnMut(T) -> Result<()>,
) -> Result<u32> {
    section.for_each_item(module, |_, item| each(item))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn counts_every_section() {
        let module = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
            0x01, 0x0c, 0x02, // type section, 2 entries
            0x60, 0x00, 0x00, // [] -> []
            0x4e, 0x02, 0x5e, 0x7f, 0x00, // rec of 2: array i32, ...
            0x5e, 0x7e, 0x01, // ... array mut i64
            0x02, 0x06, 0x01, 0x00, 0x00, 0x02, 0x00, 0x01, // import: "" "" memory min 1
            0x03, 0x02, 0x01, 0x00, // function section: type 0
            0x04, 0x04, 0x01, 0x70, 0x00, 0x01, // table section: funcref min 1
            0x0d, 0x03, 0x01, 0x00, 0x00, // tag section: type 0
            0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b, // global: i32 const 0
            0x07, 0x05, 0x01, 0x01, b'f', 0x00, 0x00, // export "f" func 0
            0x08, 0x01, 0x00, // start: func 0
            0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00, // elem: active, func 0
            0x0c, 0x01, 0x01, // data count 1
            0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code: one body
            0x0b, 0x04, 0x01, 0x01, 0x01, b'x', // data: passive "x"
            0x00, 0x02, 0x01, b'c', // custom "c"
        ];
        let s = check_module(&module, Features::default()).unwrap();
        assert_eq!(
            s,
            ModuleSummary {
                types: 2,
                sub_types: 3,
                imports: 1,
                functions: 1,
                tables: 1,
                memories: 0,
                tags: 1,
                globals: 1,
                exports: 1,
                start: Some(0),
                elements: 1,
                data_count: Some(1),
                data: 1,
                code: 1,
                custom_sections: 1,
                instructions: s.instructions,
            }
        );
    }

    #[test]
    fn item_errors_surface() {
        let module = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
            0x07, 0x04, 0x01, 0x00, 0x09, 0x00, // export "" with kind 9
        ];
        let e = check_module(&module, Features::default()).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::MalformedExportKind, 12));
    }
}
