//! The owned module: the buffer and its index, with borrowed views.

use lading_parser::{
    BodyRules, BodySummary, CustomSection, Data, Element, Error, Export, Features, FromReader,
    FunctionBody, Global, Import, MemoryType, NameSectionReader, OperatorsReader, Parser, Reader,
    SubType, Table, TagType,
};
use lading_source::Buffer;

use crate::announced::announced_items;
use crate::bodies::Bodies;
use crate::early_code::find_code;
use crate::index::{CodeEntries, Index, Items, custom_at};
use crate::walk::{CodeWalk, Walked};
use crate::{Config, LimitExceeded, LoadError, LoadTimes, SectionEntry};
use std::sync::Arc;
use std::time::Instant;

/// A loaded WebAssembly module: the buffer it was loaded from, moved in and
/// never copied, plus a compact index of where each item starts in it.
///
/// Loading checks every byte, every function body included, so a `Module`
/// is well-formed (not validated: types are not checked). Accessors decode
/// items on demand from the buffer and return borrowed views: names as
/// `&str`, bodies and payloads as `&[u8]`, all pointing into the buffer.
///
/// `Send + Sync`; `Clone` is O(1) (the buffer and the index are shared).
#[derive(Clone)]
pub struct Module {
    buffer: Buffer,
    index: Arc<Index>,
}

/// A function defined in the module (not imported), borrowed from it.
#[derive(Clone, Debug)]
pub struct Function<'a> {
    /// The function's index in the function index space (imports first).
    pub index: u32,
    /// The index of its type.
    pub type_index: u32,
    /// Its body: locals and instructions.
    pub body: FunctionBody<'a>,
}

impl<'a> Function<'a> {
    /// The body's bytes (locals and instructions, after the size prefix).
    pub fn body_bytes(&self) -> &'a [u8] {
        self.body.bytes()
    }

    /// The body's instructions, decoded lazily.
    #[inline]
    pub fn operators(&self) -> Result<OperatorsReader<'a>, Error> {
        self.body.operators_reader()
    }
}

/// Adds the sections `parser` yields to `index`, the code section's
/// entries left to the body check. The error that stops it, if any.
fn add_sections(parser: &mut Parser<'_>, index: &mut Index, bytes: &[u8]) -> Option<LoadError> {
    loop {
        // Custom sections by their ranges alone, without payloads.
        parser.skip_custom_sections(|range| index.add_custom(range));
        let payload = match parser.next()? {
            Ok(payload) => payload,
            Err(e) => return Some(e.into()),
        };
        if let Err(e) = index.add(bytes, payload) {
            return Some(e);
        }
    }
}

impl Module {
    /// Loads a module from `buffer` (moved in): decodes every section and
    /// checks every function body, on several threads when the module is
    /// large enough (see [`Config::threads`]). The result is the same with
    /// any thread count: the module, or the first error in byte order.
    ///
    /// The error is either a malformation or a limit of
    /// [`Config::limits`](crate::Config::limits) exceeded; counts are
    /// checked against their limit before anything is reserved for the
    /// items they announce.
    pub fn new(buffer: Buffer, config: &Config) -> Result<Module, LoadError> {
        Module::load(buffer, config, None)
    }

    /// [`Module::new`], and how long its section pass and body check took
    /// (up to the error, if any; zero for a phase that did not run).
    pub fn new_timed(buffer: Buffer, config: &Config) -> (Result<Module, LoadError>, LoadTimes) {
        let mut times = LoadTimes::default();
        let result = Module::load(buffer, config, Some(&mut times));
        (result, times)
    }

    /// [`Module::new`], filling `times` if asked for: the clock is read
    /// only then.
    fn load(
        buffer: Buffer,
        config: &Config,
        times: Option<&mut LoadTimes>,
    ) -> Result<Module, LoadError> {
        let start = times.is_some().then(Instant::now);
        let features = config.enabled_features();
        let limits = *config.enabled_limits();
        let size = buffer.len() as u64;
        if size > limits.module_size {
            return Err(LoadError::LimitExceeded(LimitExceeded {
                what: "module size",
                limit: limits.module_size,
                value: size,
                offset: None,
            }));
        }
        let mut index = Index {
            features,
            limits,
            // Room for one of each standard section and a few custom ones:
            // most modules never grow it.
            sections: Vec::with_capacity(16),
            // Room for every item start the sections announce, at once.
            offsets: Vec::with_capacity(announced_items(&buffer, &limits)),
            ..Index::default()
        };
        let bytes: &[u8] = &buffer;
        let mut parser = Parser::new(bytes, features);
        // On several threads: the code section found by its header, its
        // entries walked and their bodies checked while every section is
        // read. The result stands if the section pass found the same code
        // section, under the same rules, and nothing failed; anything else
        // is checked again below, as if this had not run (a rare, slower
        // path for malformed modules).
        if config.may_use_threads(bytes.len())
            && let Some(early) = find_code(bytes, &limits)
            && let threads @ 2.. = config.thread_count(early.code_bytes())
        {
            let walk = CodeWalk {
                bodies: Bodies {
                    bytes,
                    entries: &[],
                    section_end: early.end,
                    rules: BodyRules {
                        features,
                        data_count_present: early.data_count_present,
                        max_br_table_targets: limits.br_table_targets,
                    },
                    // Without the types, near the local limit is a failure
                    // here: such a body is checked again below, with them.
                    function_types: &[],
                    type_offsets: &[],
                    max_params: 0,
                    max_locals: limits.locals.saturating_sub(limits.params.into()),
                },
                first: early.entries.first as usize,
                count: early.entries.count,
                body_size_limit: limits.function_body_size,
            };
            let (walked, (failure, sections_done)) = walk.parallel(&buffer, threads, || {
                let failure = add_sections(&mut parser, &mut index, bytes);
                (failure, start.map(|_| Instant::now()))
            });
            if let (Some((totals, entries)), None) = (walked, &failure)
                && index.code == Some(early.entries)
                && index.code_end as usize == early.end
                && index.data_count_present == early.data_count_present
            {
                if let (Some(times), Some(start), Some(done)) = (times, start, sections_done) {
                    times.sections = done - start;
                    times.bodies = done.elapsed();
                }
                index.bodies = entries;
                return Module::finish(buffer, index, Ok(totals), None);
            }
            return Module::check_indexed(buffer, index, failure, config, times, start);
        }
        let failure = add_sections(&mut parser, &mut index, bytes);
        Module::check_indexed(buffer, index, failure, config, times, start)
    }

    /// The module, or the error of the load: the bodies all precede a
    /// failure of the section pass after them, so their errors come first.
    fn finish(
        buffer: Buffer,
        mut index: Index,
        totals: Result<BodySummary, LoadError>,
        failure: Option<LoadError>,
    ) -> Result<Module, LoadError> {
        let totals = totals?;
        index.instructions = totals.instructions;
        index.locals = totals.locals;
        if let Some(e) = failure {
            return Err(e);
        }
        index.shrink();
        Ok(Module {
            buffer,
            index: Arc::new(index),
        })
    }

    /// The end of a load whose section pass is done (up to `failure`, if
    /// any): every body of the code section it found checked, on this
    /// thread, their errors first (they precede the failure). Only loads
    /// whose code section was not found by its header ahead of the section
    /// pass, or whose check on several threads failed, come here.
    fn check_indexed(
        buffer: Buffer,
        mut index: Index,
        mut failure: Option<LoadError>,
        config: &Config,
        times: Option<&mut LoadTimes>,
        start: Option<Instant>,
    ) -> Result<Module, LoadError> {
        let sections_done = start.map(|start| (start, Instant::now()));
        let totals = match index.code {
            Some(code) => Module::walk_indexed(&buffer, &mut index, &mut failure, config, code),
            None => Ok(BodySummary::default()),
        };
        if let (Some(times), Some((start, done))) = (times, sections_done) {
            times.sections = done - start;
            times.bodies = done.elapsed();
        }
        Module::finish(buffer, index, totals, failure)
    }

    /// Walks the entries of `code`, the code section of `index`, checking
    /// every body; records the entries in the index. An entry that does
    /// not read is the load's `failure` (it precedes any failure of the
    /// sections after the code section), after the bodies before it.
    fn walk_indexed(
        bytes: &[u8],
        index: &mut Index,
        failure: &mut Option<LoadError>,
        config: &Config,
        code: CodeEntries,
    ) -> Result<BodySummary, LoadError> {
        let limits = config.enabled_limits();
        let mut entries = std::mem::take(&mut index.bodies);
        let walked = CodeWalk {
            bodies: Module::bodies_of(bytes, index, config, &[]),
            first: code.first as usize,
            count: code.count,
            body_size_limit: limits.function_body_size,
        }
        .serial(&mut entries);
        index.bodies = entries;
        match walked {
            Walked::Done(totals) => Ok(totals),
            Walked::Failed(e) => Err(e),
            Walked::Unread { index: at, total } => {
                // The entries as items, to the one that does not read.
                if let Err(e) = index.add_code_entries(bytes) {
                    *failure = Some(e);
                }
                let bodies = Module::bodies_of(bytes, index, config, &index.bodies);
                let rest = bodies.check_range(at..index.bodies.len())?;
                Ok(BodySummary {
                    locals: total.locals + rest.locals,
                    instructions: total.instructions + rest.instructions,
                })
            }
        }
    }

    /// The bodies of `entries`, in the code section of `index`, to check
    /// under `config`.
    fn bodies_of<'a>(
        bytes: &'a [u8],
        index: &'a Index,
        config: &Config,
        entries: &'a [u32],
    ) -> Bodies<'a> {
        let limits = config.enabled_limits();
        Bodies {
            bytes,
            entries,
            section_end: index.code_end as usize,
            rules: BodyRules {
                features: config.enabled_features(),
                data_count_present: index.data_count_present,
                max_br_table_targets: limits.br_table_targets,
            },
            function_types: index.function_types(),
            type_offsets: index.type_starts(),
            max_params: limits.params,
            max_locals: limits.locals,
        }
    }

    /// The module's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.buffer
    }

    /// The buffer the module was loaded from.
    pub fn buffer(&self) -> &Buffer {
        &self.buffer
    }

    /// The proposals the module was loaded with.
    pub fn features(&self) -> Features {
        self.index.features
    }

    /// Every section in order: id and contents range.
    pub fn sections(&self) -> &[SectionEntry] {
        &self.index.sections
    }

    /// The number of instructions in all function bodies (each `end`
    /// included).
    pub fn instruction_count(&self) -> u64 {
        self.index.instructions
    }

    /// The number of locals declared in all function bodies (the sum of
    /// every local declaration's count; parameters excluded).
    pub fn local_count(&self) -> u64 {
        self.index.locals
    }

    /// The heap bytes of the index (the buffer excluded).
    pub fn index_heap_bytes(&self) -> usize {
        size_of::<Index>() + self.index.heap_bytes()
    }

    /// The number of rec groups in the type section.
    pub fn rec_group_count(&self) -> u32 {
        self.index.rec_groups
    }

    /// Every item of `items`, whose starts are in `offsets`: the index's
    /// [`Index::offsets`], or its `type_offsets` for the types.
    fn all_in<'a, T: FromReader<'a>>(
        &'a self,
        offsets: &'a [u32],
        items: &'a Items,
    ) -> impl Iterator<Item = T> + 'a {
        let (bytes, features) = (self.bytes(), self.features());
        (0..items.len()).filter_map(move |i| items.get(offsets, bytes, features, i))
    }

    /// Item `i` of `items`, whose start is in `offsets` (as in
    /// [`Module::all_in`]).
    fn one_in<'a, T: FromReader<'a>>(
        &'a self,
        offsets: &'a [u32],
        items: &'a Items,
        i: u32,
    ) -> Option<T> {
        items.get(offsets, self.bytes(), self.features(), i as usize)
    }

    /// Every item of `items`, a section's other than the type section's.
    fn all<'a, T: FromReader<'a>>(&'a self, items: &'a Items) -> impl Iterator<Item = T> + 'a {
        self.all_in(&self.index.offsets, items)
    }

    /// Item `i` of `items`, a section's other than the type section's.
    fn one<'a, T: FromReader<'a>>(&'a self, items: &'a Items, i: u32) -> Option<T> {
        self.one_in(&self.index.offsets, items, i)
    }

    /// The number of defined types (the subtypes of all rec groups).
    pub fn type_count(&self) -> u32 {
        self.index.types.len
    }

    /// Defined type `index`.
    pub fn type_at(&self, index: u32) -> Option<SubType<'_>> {
        self.one_in(&self.index.type_offsets, &self.index.types, index)
    }

    /// Every defined type, in type index order.
    pub fn types(&self) -> impl Iterator<Item = SubType<'_>> + '_ {
        self.all_in(&self.index.type_offsets, &self.index.types)
    }

    /// The number of imports.
    pub fn import_count(&self) -> u32 {
        self.index.imports.len
    }

    /// Every import, in order.
    pub fn imports(&self) -> impl Iterator<Item = Import<'_>> + '_ {
        self.all(&self.index.imports)
    }

    /// Import `i`.
    pub fn import(&self, i: u32) -> Option<Import<'_>> {
        self.one(&self.index.imports, i)
    }

    /// How many functions, tables, memories, globals and tags are imported,
    /// in that order.
    pub fn imported_counts(&self) -> [u32; 5] {
        self.index.imported
    }

    /// The number of functions defined in the module (imports excluded).
    pub fn function_count(&self) -> u32 {
        self.index.function_types.len
    }

    /// Defined function `i` (0 = the first function after the imported ones).
    pub fn function(&self, i: u32) -> Option<Function<'_>> {
        let type_index = *self.index.function_types().get(i as usize)?;
        let entry = *self.index.bodies.get(i as usize)?;
        self.function_at(self.code_bytes(), i, type_index, entry)
    }

    /// Every defined function, in order.
    pub fn functions(&self) -> impl Iterator<Item = Function<'_>> + '_ {
        Functions {
            module: self,
            code: self.code_bytes(),
            types: self.index.function_types(),
            bodies: &self.index.bodies,
            next: 0,
        }
    }

    /// The module's bytes up to the end of the code section.
    fn code_bytes(&self) -> &[u8] {
        let bytes = self.bytes();
        bytes.get(..self.index.code_end as usize).unwrap_or(bytes)
    }

    /// Defined function `i`, of type `type_index`, whose code section entry
    /// starts at `entry` in `code` (the module's bytes up to the end of the
    /// code section).
    #[inline(always)]
    fn function_at<'a>(
        &self,
        code: &'a [u8],
        i: u32,
        type_index: u32,
        entry: u32,
    ) -> Option<Function<'a>> {
        let entry = entry as usize;
        let data = code.get(entry..)?;
        // The size, then the body: what `FunctionBody::from_reader` reads,
        // without a reader for the size.
        let mut at = 0;
        let size = lading_parser::leb128::read_u32_short(data, &mut at).ok()? as usize;
        let contents = data.get(at..at.checked_add(size)?)?;
        let reader = Reader::new_in_section(contents, entry + at, self.features());
        let body = FunctionBody::new(reader).with_data_count(self.index.data_count_present);
        Some(Function {
            index: self.index.imported[0] + i,
            type_index,
            body,
        })
    }

    /// The number of tables defined in the module (imports excluded).
    pub fn table_count(&self) -> u32 {
        self.index.tables.len
    }

    /// The number of memories defined in the module (imports excluded).
    pub fn memory_count(&self) -> u32 {
        self.index.memories.len
    }

    /// The number of globals defined in the module (imports excluded).
    pub fn global_count(&self) -> u32 {
        self.index.globals.len
    }

    /// The number of tags defined in the module (imports excluded).
    pub fn tag_count(&self) -> u32 {
        self.index.tags.len
    }

    /// The number of element segments.
    pub fn element_count(&self) -> u32 {
        self.index.elements.len
    }

    /// The number of data segments (the data section's length; see
    /// [`Module::data_count`] for the data count section's value).
    pub fn data_segment_count(&self) -> u32 {
        self.index.data.len
    }

    /// The number of code section entries (function bodies).
    pub fn body_count(&self) -> u32 {
        self.index.bodies.len() as u32
    }

    /// Every table defined in the module.
    pub fn tables(&self) -> impl Iterator<Item = Table<'_>> + '_ {
        self.all(&self.index.tables)
    }

    /// Every memory defined in the module.
    pub fn memories(&self) -> impl Iterator<Item = MemoryType> + '_ {
        self.all(&self.index.memories)
    }

    /// Every tag defined in the module.
    pub fn tags(&self) -> impl Iterator<Item = TagType> + '_ {
        self.all(&self.index.tags)
    }

    /// Every global defined in the module.
    pub fn globals(&self) -> impl Iterator<Item = Global<'_>> + '_ {
        self.all(&self.index.globals)
    }

    /// The number of exports.
    pub fn export_count(&self) -> u32 {
        self.index.exports.len
    }

    /// Every export, in order.
    pub fn exports(&self) -> impl Iterator<Item = Export<'_>> + '_ {
        self.all(&self.index.exports)
    }

    /// The export named `name`, if any.
    pub fn export(&self, name: &str) -> Option<Export<'_>> {
        self.exports().find(|e| e.name == name)
    }

    /// The start function's index, if any.
    pub fn start(&self) -> Option<u32> {
        self.index.start
    }

    /// Every element segment, in order.
    pub fn elements(&self) -> impl Iterator<Item = Element<'_>> + '_ {
        self.all(&self.index.elements)
    }

    /// The data count section's value, if present.
    pub fn data_count(&self) -> Option<u32> {
        self.index.data_count
    }

    /// Every data segment, in order; each segment's bytes are `data.data`.
    pub fn data(&self) -> impl Iterator<Item = Data<'_>> + '_ {
        self.all(&self.index.data)
    }

    /// Every custom section, in order.
    pub fn custom_sections(&self) -> impl Iterator<Item = CustomSection<'_>> + '_ {
        self.index
            .sections
            .iter()
            .filter(|s| s.id == 0)
            .filter_map(|s| custom_at(self.bytes(), &(s.start..s.end)))
    }

    /// The first custom section named `name`.
    pub fn custom_section(&self, name: &str) -> Option<CustomSection<'_>> {
        self.custom_sections().find(|c| c.name == name)
    }

    /// The `name` section, decoded on demand, if the module has one. Its
    /// contents were not checked at load: the reader reports their errors.
    pub fn name_section(&self) -> Option<NameSectionReader<'_>> {
        let c = self.custom_section("name")?;
        Some(NameSectionReader::new(c.data, c.data_offset))
    }
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("buffer", &self.buffer)
            .field("sections", &self.index.sections.len())
            .field("types", &self.type_count())
            .field("imports", &self.import_count())
            .field("functions", &self.function_count())
            .field("exports", &self.export_count())
            .field("instructions", &self.index.instructions)
            .finish()
    }
}

/// [`Module::functions`]: a plain loop over the index, so that the whole
/// step (a function's view from its entry) inlines into the caller's loop.
struct Functions<'a> {
    module: &'a Module,
    /// The module's bytes up to the end of the code section.
    code: &'a [u8],
    /// The type index of every defined function.
    types: &'a [u32],
    /// Where every code section entry starts.
    bodies: &'a [u32],
    /// The next defined function's index.
    next: u32,
}

impl<'a> Iterator for Functions<'a> {
    type Item = Function<'a>;

    #[inline]
    fn next(&mut self) -> Option<Function<'a>> {
        loop {
            let i = self.next;
            let type_index = *self.types.get(i as usize)?;
            let entry = *self.bodies.get(i as usize)?;
            self.next += 1;
            // An entry is always within the code (the index was built
            // from it); skipped, like `filter_map`, if not.
            if let Some(function) = self.module.function_at(self.code, i, type_index, entry) {
                return Some(function);
            }
        }
    }
}
