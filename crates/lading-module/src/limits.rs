//! The implementation limits a module is loaded under, and the error of
//! exceeding one.

/// Upper bounds on what a module may declare, checked while it loads.
///
/// The defaults are the WebAssembly JS API's "implementation-defined limits"
/// (the limits every web engine enforces), so a module that loads with the
/// defaults is one a browser would accept on these counts. Each field can be
/// raised or lowered; [`Limits::unlimited`] turns them all off.
///
/// Counts are checked as soon as they are read, before anything is
/// allocated for the items they announce.
///
/// Not enforced as a separate limit: the operands of `array.new_fixed` (a
/// type-checking matter: a loader does not follow the operand stack).
///
/// ```
/// use lading_module::{Config, Limits};
/// let mut limits = Limits::default();
/// assert_eq!(limits.functions, 1_000_000);
/// limits.exports = 10;
/// let config = Config::default().limits(limits);
/// assert_eq!(config.enabled_limits().exports, 10);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest module, in bytes (default 1 GiB = 1,073,741,824).
    pub module_size: u64,
    /// Types (subtypes over all recursion groups) (default 1,000,000).
    pub types: u32,
    /// Recursion groups, the entries of the type section (default 1,000,000).
    pub rec_groups: u32,
    /// Subtypes in one recursion group (default 1,000,000).
    pub rec_group_size: u32,
    /// The depth of a subtype chain, a type without supertype having
    /// depth 0 (default 63). Depths are counted up to 255: a limit of 255
    /// or more is no limit.
    pub subtyping_depth: u32,
    /// Parameters of one function type (default 1,000).
    pub params: u32,
    /// Results of one function type (default 1,000).
    pub results: u32,
    /// Fields of one struct type (default 10,000).
    pub struct_fields: u32,
    /// Functions defined, the entries of the function section (default
    /// 1,000,000).
    pub functions: u32,
    /// Imports (default 1,000,000).
    pub imports: u32,
    /// Exports (default 1,000,000).
    pub exports: u32,
    /// Globals defined (default 1,000,000).
    pub globals: u32,
    /// Tags defined (default 1,000,000).
    pub tags: u32,
    /// Data segments, and the data count section's value (default 100,000).
    pub data_segments: u32,
    /// Element segments (default 10,000,000).
    pub element_segments: u32,
    /// Tables, imported and defined (default 100,000).
    pub tables: u32,
    /// Memories, imported and defined (default 100).
    pub memories: u32,
    /// The initial size of a table, imported or defined, in elements
    /// (default 10,000,000).
    pub table_size: u64,
    /// The size of one function body, locals declarations included, in
    /// bytes (default 7,654,321).
    pub function_body_size: u32,
    /// Locals of one function: its parameters (when its type is a function
    /// type of this module) plus the locals it declares (default 50,000).
    pub locals: u64,
    /// Targets of one `br_table`, its default label not counted (default
    /// 7,654,321). The JS API names no such limit; engines bound it by the
    /// function body size (every target takes at least a byte of the body),
    /// and so does this default, which is wasmparser's
    /// `MAX_WASM_BR_TABLE_SIZE`: with the default body size it never
    /// triggers on its own, lower it to bound branch tables separately.
    /// Checked at the `br_table`'s count, before its targets are read.
    pub br_table_targets: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            module_size: 1 << 30,
            types: 1_000_000,
            rec_groups: 1_000_000,
            rec_group_size: 1_000_000,
            subtyping_depth: 63,
            params: 1_000,
            results: 1_000,
            struct_fields: 10_000,
            functions: 1_000_000,
            imports: 1_000_000,
            exports: 1_000_000,
            globals: 1_000_000,
            tags: 1_000_000,
            data_segments: 100_000,
            element_segments: 10_000_000,
            tables: 100_000,
            memories: 100,
            table_size: 10_000_000,
            function_body_size: 7_654_321,
            locals: 50_000,
            br_table_targets: 7_654_321,
        }
    }
}

impl Limits {
    /// No limit at all: every field at its type's maximum. A module then
    /// loads exactly when it is well-formed (what `check_module` accepts).
    pub fn unlimited() -> Limits {
        Limits {
            module_size: u64::MAX,
            types: u32::MAX,
            rec_groups: u32::MAX,
            rec_group_size: u32::MAX,
            subtyping_depth: u32::MAX,
            params: u32::MAX,
            results: u32::MAX,
            struct_fields: u32::MAX,
            functions: u32::MAX,
            imports: u32::MAX,
            exports: u32::MAX,
            globals: u32::MAX,
            tags: u32::MAX,
            data_segments: u32::MAX,
            element_segments: u32::MAX,
            tables: u32::MAX,
            memories: u32::MAX,
            table_size: u64::MAX,
            function_body_size: u32::MAX,
            locals: u64::MAX,
            br_table_targets: u32::MAX,
        }
    }

    /// The name and current value of every limit, in the order of the
    /// fields; the names are what [`Limits::set`] takes.
    pub fn entries(&self) -> [(&'static str, u64); 21] {
        [
            ("module-size", self.module_size),
            ("types", self.types.into()),
            ("rec-groups", self.rec_groups.into()),
            ("rec-group-size", self.rec_group_size.into()),
            ("subtyping-depth", self.subtyping_depth.into()),
            ("params", self.params.into()),
            ("results", self.results.into()),
            ("struct-fields", self.struct_fields.into()),
            ("functions", self.functions.into()),
            ("imports", self.imports.into()),
            ("exports", self.exports.into()),
            ("globals", self.globals.into()),
            ("tags", self.tags.into()),
            ("data-segments", self.data_segments.into()),
            ("element-segments", self.element_segments.into()),
            ("tables", self.tables.into()),
            ("memories", self.memories.into()),
            ("table-size", self.table_size),
            ("function-body-size", self.function_body_size.into()),
            ("locals", self.locals),
            ("br-table-targets", self.br_table_targets.into()),
        ]
    }

    /// Sets the limit named `name` (a name of [`Limits::entries`];
    /// underscores may stand for dashes) to `value`. `false` for an unknown
    /// name; a value too large for a 32-bit limit saturates.
    pub fn set(&mut self, name: &str, value: u64) -> bool {
        let v32 = u32::try_from(value).unwrap_or(u32::MAX);
        let name = name.trim();
        let field: &mut u32 = match name.replace('_', "-").as_str() {
            "module-size" => {
                self.module_size = value;
                return true;
            }
            "table-size" => {
                self.table_size = value;
                return true;
            }
            "locals" => {
                self.locals = value;
                return true;
            }
            "types" => &mut self.types,
            "rec-groups" => &mut self.rec_groups,
            "rec-group-size" => &mut self.rec_group_size,
            "subtyping-depth" => &mut self.subtyping_depth,
            "params" => &mut self.params,
            "results" => &mut self.results,
            "struct-fields" => &mut self.struct_fields,
            "functions" => &mut self.functions,
            "imports" => &mut self.imports,
            "exports" => &mut self.exports,
            "globals" => &mut self.globals,
            "tags" => &mut self.tags,
            "data-segments" => &mut self.data_segments,
            "element-segments" => &mut self.element_segments,
            "tables" => &mut self.tables,
            "memories" => &mut self.memories,
            "function-body-size" => &mut self.function_body_size,
            "br-table-targets" => &mut self.br_table_targets,
            _ => return false,
        };
        *field = v32;
        true
    }
}

/// A module declares more of something than a [`Limits`] allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitExceeded {
    /// What was counted, e.g. `function count`.
    pub what: &'static str,
    /// The limit.
    pub limit: u64,
    /// The value found in the module.
    pub value: u64,
    /// The absolute offset of what declares the value (a section's count, a
    /// type, a body), or `None` for the module's size.
    pub offset: Option<usize>,
}

impl LimitExceeded {
    /// `Err` of a [`LimitExceeded`] when `value > limit`.
    pub(crate) fn check(
        what: &'static str,
        value: u64,
        limit: u64,
        offset: usize,
    ) -> Result<(), LimitExceeded> {
        if value > limit {
            Err(LimitExceeded {
                what,
                limit,
                value,
                offset: Some(offset),
            })
        } else {
            Ok(())
        }
    }
}

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} exceeds the limit of {}",
            self.what, self.value, self.limit
        )?;
        if let Some(offset) = self.offset {
            write!(f, " at offset {offset}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LimitExceeded {}

/// Why [`crate::Module::new`] did not load a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The bytes are not a well-formed module: the parser's error, with the
    /// offset of the defect and the specification's message.
    Malformed(lading_parser::Error),
    /// The module is well-formed so far but exceeds a configured limit.
    LimitExceeded(LimitExceeded),
}

impl LoadError {
    /// The absolute offset of the defect (`None` for the module's size).
    pub fn offset(&self) -> Option<usize> {
        match self {
            LoadError::Malformed(e) => Some(e.offset()),
            LoadError::LimitExceeded(l) => l.offset,
        }
    }

    /// The parser's error, for a malformed module.
    pub fn malformed(&self) -> Option<lading_parser::Error> {
        match self {
            LoadError::Malformed(e) => Some(*e),
            LoadError::LimitExceeded(_) => None,
        }
    }
}

impl From<lading_parser::Error> for LoadError {
    fn from(e: lading_parser::Error) -> LoadError {
        LoadError::Malformed(e)
    }
}

impl From<LimitExceeded> for LoadError {
    fn from(e: LimitExceeded) -> LoadError {
        LoadError::LimitExceeded(e)
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Malformed(e) => {
                write!(
                    f,
                    "malformed module at offset {}: {}",
                    e.offset(),
                    e.message()
                )
            }
            LoadError::LimitExceeded(l) => l.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let mut limits = Limits::unlimited();
        for (i, (name, _)) in Limits::default().entries().iter().enumerate() {
            assert!(limits.set(name, i as u64 + 1), "{name}");
        }
        for (i, (_, value)) in limits.entries().iter().enumerate() {
            assert_eq!(*value, i as u64 + 1);
        }
        assert!(!limits.set("nonsense", 1));
        assert!(limits.set("function_body_size", 5));
        assert_eq!(limits.function_body_size, 5);
    }

    #[test]
    fn message() {
        let e = LimitExceeded::check("function count", 1_000_001, 1_000_000, 11).unwrap_err();
        assert_eq!(
            e.to_string(),
            "function count of 1000001 exceeds the limit of 1000000 at offset 11"
        );
    }
}
