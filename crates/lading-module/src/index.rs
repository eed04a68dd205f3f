//! The compact index of a module: where each item starts in the buffer.

use std::cell::Cell;
use std::ops::Range;

use lading_parser::{
    CodeSectionReader, CompositeKind, CompositeType, CustomSection, Data, Error, Export, Features,
    FromReader, FunctionBody, Global, Import, Payload, Reader, RecGroup, SectionReader, SubType,
    SubTypeFacts, TypeRef, TypeScan,
};

use crate::{LimitExceeded, Limits, LoadError};

/// The capacity to reserve for `count` items in a section whose contents
/// span `range`: every item takes at least one byte, so never more than the
/// section's bytes, whatever the count says.
pub(crate) fn capacity(count: u32, range: &Range<usize>) -> usize {
    (count as usize).min(range.len())
}

/// Makes room for `n` more item starts in `offsets`, the index's. When it
/// must grow, it grows by a quarter more than it needs: the sections after
/// a large one then fit without another copy of the starts so far. Room
/// left at the end is given back ([`Index::shrink`]).
fn reserve_items(offsets: &mut Vec<u32>, n: usize) {
    if offsets.capacity() - offsets.len() < n {
        offsets.reserve_exact(n + (offsets.len() + n) / 4 + 16);
    }
}

/// Where the items of one section start, and where the section ends: item
/// `i` decodes from `offsets[first + i]` up to `end`, in the one vector of
/// item starts all sections share ([`Index::offsets`]). One `u32` per item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Items {
    /// Where the section's starts begin in [`Index::offsets`].
    pub first: u32,
    /// How many items the section holds.
    pub len: u32,
    pub end: u32,
}

impl Items {
    /// The items whose starts `offsets` holds from `first` on, of a section
    /// ending at `end`.
    fn since(first: usize, offsets: &[u32], end: usize) -> Items {
        Items {
            first: first as u32,
            len: (offsets.len() - first) as u32,
            end: end as u32,
        }
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Their starts, in `offsets` (the index's).
    pub fn starts<'a>(&self, offsets: &'a [u32]) -> &'a [u32] {
        let first = self.first as usize;
        offsets
            .get(first..first + self.len as usize)
            .unwrap_or_default()
    }

    /// Appends the start of every item of `section`, a section of
    /// `module`, to `offsets`, checking each.
    fn collect<'a, T: FromReader<'a>>(
        offsets: &mut Vec<u32>,
        module: &'a [u8],
        section: SectionReader<'a, T>,
    ) -> Result<Items, LoadError> {
        Items::collect_checked(offsets, module, section, |_, _| Ok(()))
    }

    /// As [`Items::collect`], handing every item to `each` too, which may
    /// find it exceeds a limit.
    fn collect_checked<'a, T: FromReader<'a>>(
        offsets: &mut Vec<u32>,
        module: &'a [u8],
        section: SectionReader<'a, T>,
        mut each: impl FnMut(usize, &T) -> Result<(), LimitExceeded>,
    ) -> Result<Items, LoadError> {
        let first = offsets.len();
        reserve_items(offsets, capacity(section.item_count(), &section.range()));
        let end = section.range().end;
        let mut hit = None;
        let read = section.for_each_item(module, |at, item| {
            offsets.push(at as u32);
            each(at, &item).map_err(|e| stop(&mut hit, e))
        });
        settle(read, hit)?;
        Ok(Items::since(first, offsets, end))
    }

    /// [`Items::collect`] for a section whose items `skim` can skip, given
    /// the section's item bytes, an item's position in them and the enabled
    /// proposals: records where each starts without decoding it. Any item
    /// `skim` declines, or bytes left after the last, and the section is
    /// collected by decoding instead (which reports what is wrong).
    fn collect_skimming<'a, T: FromReader<'a>>(
        offsets: &mut Vec<u32>,
        module: &'a [u8],
        section: SectionReader<'a, T>,
        skim: impl Fn(&[u8], usize, Features) -> Option<usize>,
    ) -> Result<Items, LoadError> {
        let reader = section.items_reader();
        let (items, base, features) =
            (reader.remaining_bytes(), reader.offset(), reader.features());
        let first = offsets.len();
        reserve_items(offsets, capacity(section.item_count(), &section.range()));
        let mut pos = Some(0);
        for _ in 0..section.item_count() {
            let Some(at) = pos else { break };
            offsets.push((base + at) as u32);
            pos = skim(items, at, features);
        }
        if pos != Some(items.len()) {
            offsets.truncate(first);
            return Items::collect(offsets, module, section);
        }
        Ok(Items::since(first, offsets, section.range().end))
    }

    /// Decodes item `i`, whose start `offsets` (the index's) holds. Items
    /// were checked when the module was loaded, so decoding again succeeds;
    /// `None` only for an index out of range.
    pub fn get<'a, T: FromReader<'a>>(
        &self,
        offsets: &[u32],
        bytes: &'a [u8],
        features: Features,
        i: usize,
    ) -> Option<T> {
        let start = *self.starts(offsets).get(i)? as usize;
        let data = bytes.get(start..self.end as usize)?;
        T::from_reader(&mut Reader::new_in_section(data, start, features)).ok()
    }
}

/// A section's id and the range of its contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionEntry {
    /// The section id (0 = custom, 1 = type, ... 13 = tag).
    pub id: u8,
    /// The absolute range of the section's contents (after the size).
    pub start: u32,
    /// The end of that range.
    pub end: u32,
}

impl SectionEntry {
    /// The absolute byte range of the section's contents.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Everything a loaded module knows besides its bytes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    pub features: Features,
    pub limits: Limits,
    pub sections: Vec<SectionEntry>,
    /// The item starts of every section but the type section, one after
    /// the other (each section's [`Items`] says where its own are), and the
    /// type index of every defined function ([`Index::function_types`]):
    /// one allocation for all of them, of the size their sections announce
    /// ([`announced_items`](crate::announced::announced_items)).
    pub offsets: Vec<u32>,
    /// The start of every subtype, in type index order: a vector of their
    /// own, as a type section announces its recursion groups, not its
    /// subtypes.
    pub type_offsets: Vec<u32>,
    /// Where the subtypes are in [`Index::type_offsets`] (all of it).
    pub types: Items,
    /// How many recursion groups the type section holds.
    pub rec_groups: u32,
    pub imports: Items,
    /// Imported functions, tables, memories, globals and tags.
    pub imported: [u32; 5],
    /// Where the type index of every defined function is in
    /// [`Index::offsets`] (`end` unused).
    pub function_types: Items,
    /// Where every code section entry (a body's size prefix) starts.
    pub bodies: Vec<u32>,
    /// Where the code section's entries are, once it is read.
    pub code: Option<CodeEntries>,
    pub code_end: u32,
    pub data_count_present: bool,
    pub tables: Items,
    pub memories: Items,
    pub tags: Items,
    pub globals: Items,
    pub exports: Items,
    pub start: Option<u32>,
    pub elements: Items,
    pub data_count: Option<u32>,
    pub data: Items,
    pub instructions: u64,
    pub locals: u64,
}

/// `Err` when `value` exceeds `limit`: what exceeds it, found at `offset`.
fn check(what: &'static str, value: u32, limit: u32, offset: usize) -> Result<(), LimitExceeded> {
    LimitExceeded::check(what, value.into(), limit.into(), offset)
}

/// [`check`] for 64-bit values.
fn check64(what: &'static str, value: u64, limit: u64, offset: usize) -> Result<(), LimitExceeded> {
    LimitExceeded::check(what, value, limit, offset)
}

/// Records the limit `exceeded` in `hit` and returns an error that stops
/// reading items; [`settle`] turns it back into the limit.
fn stop(hit: &mut Option<LimitExceeded>, exceeded: LimitExceeded) -> Error {
    let at = exceeded.offset.unwrap_or(0);
    *hit = Some(exceeded);
    Error::new(lading_parser::ErrorKind::UnexpectedEnd, at)
}

/// The outcome of reading items: the limit hit if any, else the read's.
fn settle<T>(read: Result<T, Error>, hit: Option<LimitExceeded>) -> Result<T, LoadError> {
    match (read, hit) {
        (_, Some(exceeded)) => Err(exceeded.into()),
        (read, None) => Ok(read?),
    }
}

/// Where the entries of a code section are: found by its header, walked
/// by the body check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct CodeEntries {
    /// The absolute start of the section's contents (its count first).
    pub contents: u32,
    /// The absolute offset of the first entry.
    pub first: u32,
    /// How many entries the section says it holds.
    pub count: u32,
}

fn range_u32(range: Range<usize>) -> Range<u32> {
    range.start as u32..range.end as u32
}

impl Index {
    /// Adds what one payload holds, checking every item of it and the
    /// limits on its counts (before reserving anything for the items).
    pub fn add(&mut self, bytes: &[u8], payload: Payload<'_>) -> Result<(), LoadError> {
        let limits = self.limits;
        match payload {
            Payload::Version { .. } | Payload::End { .. } => {}
            Payload::TypeSection(s) => {
                self.section(1, s.range());
                let at = s.range().start;
                check("rec group count", s.item_count(), limits.rec_groups, at)?;
                self.add_types(bytes, s)?;
            }
            Payload::ImportSection(s) => {
                self.section(2, s.range());
                let range = s.range();
                check("import count", s.item_count(), limits.imports, range.start)?;
                let offsets = &mut self.offsets;
                let first = offsets.len();
                reserve_items(offsets, capacity(s.item_count(), &range));
                // Functions and globals of common forms without decoding
                // them; any other import, and the section is decoded.
                let scan = TypeScan::new(self.features);
                if let Some([functions, globals]) = skim_imports(&s, offsets, &scan) {
                    self.imported[0] += functions;
                    self.imported[3] += globals;
                    self.imports = Items::since(first, offsets, range.end);
                    return Ok(());
                }
                offsets.truncate(first);
                let imported = &mut self.imported;
                let mut hit = None;
                let read = s.for_each_item(bytes, |at, import| {
                    offsets.push(at as u32);
                    let kind = match import.ty {
                        TypeRef::Func(_) => 0,
                        TypeRef::Table(t) => {
                            check64("table size", t.initial, limits.table_size, at)
                                .map_err(|e| stop(&mut hit, e))?;
                            1
                        }
                        TypeRef::Memory(_) => 2,
                        TypeRef::Global(_) => 3,
                        TypeRef::Tag(_) => 4,
                    };
                    imported[kind] += 1;
                    let (what, count, limit) = match kind {
                        1 => ("table count", imported[1], limits.tables),
                        2 => ("memory count", imported[2], limits.memories),
                        _ => return Ok(()),
                    };
                    check(what, count, limit, at).map_err(|e| stop(&mut hit, e))
                });
                settle(read, hit)?;
                self.imports = Items::since(first, offsets, range.end);
            }
            Payload::FunctionSection(s) => {
                self.section(3, s.range());
                let range = s.range();
                check(
                    "function count",
                    s.item_count(),
                    limits.functions,
                    range.start,
                )?;
                let types = &mut self.offsets;
                let first = types.len();
                reserve_items(types, capacity(s.item_count(), &range));
                if !read_all_u32s(&s, types) {
                    s.for_each_item(bytes, |_, type_index| {
                        types.push(type_index);
                        Ok(())
                    })?;
                }
                self.function_types = Items::since(first, types, range.end);
            }
            Payload::TableSection(s) => {
                self.section(4, s.range());
                let total = u64::from(self.imported[1]) + u64::from(s.item_count());
                check64("table count", total, limits.tables.into(), s.range().start)?;
                self.tables = Items::collect_checked(&mut self.offsets, bytes, s, |at, table| {
                    check64("table size", table.ty.initial, limits.table_size, at)
                })?;
            }
            Payload::MemorySection(s) => {
                self.section(5, s.range());
                let total = u64::from(self.imported[2]) + u64::from(s.item_count());
                check64(
                    "memory count",
                    total,
                    limits.memories.into(),
                    s.range().start,
                )?;
                self.memories = Items::collect(&mut self.offsets, bytes, s)?;
            }
            Payload::TagSection(s) => {
                self.section(13, s.range());
                check("tag count", s.item_count(), limits.tags, s.range().start)?;
                self.tags = Items::collect(&mut self.offsets, bytes, s)?;
            }
            Payload::GlobalSection(s) => {
                self.section(6, s.range());
                check(
                    "global count",
                    s.item_count(),
                    limits.globals,
                    s.range().start,
                )?;
                let scan = TypeScan::new(self.features);
                self.globals = Items::collect_skimming(
                    &mut self.offsets,
                    bytes,
                    s,
                    |items, pos, features| Global::skip_common(items, pos, &scan, features),
                )?;
            }
            Payload::ExportSection(s) => {
                self.section(7, s.range());
                check(
                    "export count",
                    s.item_count(),
                    limits.exports,
                    s.range().start,
                )?;
                self.exports =
                    Items::collect_skimming(&mut self.offsets, bytes, s, Export::skip_common)?;
            }
            Payload::StartSection { func, range } => {
                self.section(8, range);
                self.start = Some(func);
            }
            Payload::ElementSection(s) => {
                self.section(9, s.range());
                let at = s.range().start;
                check(
                    "element segment count",
                    s.item_count(),
                    limits.element_segments,
                    at,
                )?;
                self.elements = Items::collect(&mut self.offsets, bytes, s)?;
            }
            Payload::DataCountSection { count, range } => {
                self.section(12, range.clone());
                check("data count", count, limits.data_segments, range.start)?;
                self.data_count = Some(count);
            }
            Payload::CodeSection(s) => {
                self.section(10, s.range());
                // The code section's count is the number of functions too.
                let at = s.range().start;
                check("function body count", s.item_count(), limits.functions, at)?;
                self.add_code(s)?;
            }
            Payload::DataSection(s) => {
                self.section(11, s.range());
                let at = s.range().start;
                check(
                    "data segment count",
                    s.item_count(),
                    limits.data_segments,
                    at,
                )?;
                self.data =
                    Items::collect_skimming(&mut self.offsets, bytes, s, Data::skip_common)?;
            }
            Payload::CustomSection(c) => self.add_custom(c.range),
            _ => {}
        }
        Ok(())
    }

    /// Records the custom section whose contents span `range`.
    pub(crate) fn add_custom(&mut self, range: Range<usize>) {
        self.section(0, range);
    }

    fn section(&mut self, id: u8, range: Range<usize>) {
        let range = range_u32(range);
        self.sections.push(SectionEntry {
            id,
            start: range.start,
            end: range.end,
        });
    }

    /// Indexes every subtype of the type section, checking the limits on
    /// types, recursion groups, parameters, results, struct fields and
    /// subtyping depth.
    fn add_types(
        &mut self,
        bytes: &[u8],
        section: SectionReader<'_, RecGroup<'_>>,
    ) -> Result<(), LoadError> {
        if self.add_types_once(&section).is_some() {
            return Ok(());
        }
        self.add_types_decoded(bytes, section)
    }

    /// [`Index::add_types`] decoding every group, then every subtype of
    /// it: reports the first error as the reference interpreter does.
    fn add_types_decoded(
        &mut self,
        bytes: &[u8],
        section: SectionReader<'_, RecGroup<'_>>,
    ) -> Result<(), LoadError> {
        let range = section.range();
        let limits = self.limits;
        // Every subtype takes at least two bytes (a form and a count).
        let reserve = capacity(section.item_count(), &range).min(range.len() / 2);
        let mut offsets = Vec::with_capacity(reserve);
        let mut depths = Depths::default();
        let features = self.features;
        let mut groups = 0;
        // Shared by the two closures below; a limit found is `Copy`.
        let hit = Cell::new(None);
        let stop = |e: LimitExceeded| {
            let mut slot = None;
            let error = stop(&mut slot, e);
            hit.set(slot);
            error
        };
        // The subtypes announced so far, counted before each group is
        // decoded.
        let mut declared = 0u64;
        // The group's size and the running type count are checked from the
        // group's count, before its subtypes are decoded: an oversized
        // group costs nothing to reject. A header that does not read is
        // left to decoding the group, which reports it.
        let lookahead = |mut reader: Reader<'_>| {
            let at = reader.offset();
            let Ok(header) = RecGroup::read_header(&mut reader) else {
                return Ok(());
            };
            declared += u64::from(header.count);
            check(
                "rec group size",
                header.count,
                limits.rec_group_size,
                header.count_offset,
            )
            .and_then(|()| check64("type count", declared, limits.types.into(), at))
            .map_err(stop)
        };
        let read = section.for_each_item_with_lookahead(bytes, lookahead, |_, group| {
            groups += 1;
            let range = group.range();
            let group_bytes = bytes.get(range.clone()).unwrap_or_default();
            let mut reader = Reader::new_in_section(group_bytes, range.start, features);
            if group.is_explicit() {
                // 0x4E, the count, then the subtypes.
                reader.read_u8()?;
                reader.read_var_u32()?;
            }
            for _ in 0..group.len() {
                let at = reader.offset();
                offsets.push(at as u32);
                let sub = SubType::from_reader(&mut reader)?;
                // (Its end is not needed here: the reader is past it.)
                let facts = facts_of(&sub, reader.offset());
                let depth = type_facts(&facts, &depths, &limits, at).map_err(stop)?;
                depths.push(depth);
            }
            Ok(())
        });
        settle(read, hit.get())?;
        self.rec_groups = groups;
        self.set_types(offsets, range.end);
        Ok(())
    }

    /// [`Index::add_types`] for a well-formed type section within the
    /// limits, decoding each subtype once: `None`, with nothing indexed,
    /// for any error, which the general path then finds and reports as the
    /// reference interpreter does (it decodes a whole group, then its
    /// subtypes again). Each subtype is scanned ([`TypeScan`]); one the
    /// scan does not handle is decoded.
    fn add_types_once(&mut self, section: &SectionReader<'_, RecGroup<'_>>) -> Option<()> {
        let range = section.range();
        let limits = self.limits;
        let features = self.features;
        let reserve = capacity(section.item_count(), &range).min(range.len() / 2);
        let mut offsets = Vec::with_capacity(reserve);
        let mut depths = Depths::default();
        let items = section.items_reader();
        let (data, base) = (items.remaining_bytes(), items.offset());
        let scan = TypeScan::new(features);
        let mut pos = 0;
        for _ in 0..section.item_count() {
            let (count, subtypes) = scan.rec_group(data, pos)?;
            pos = subtypes;
            let total = offsets.len() as u64 + u64::from(count);
            if count > limits.rec_group_size || total > u64::from(limits.types) {
                return None;
            }
            for _ in 0..count {
                let at = base + pos;
                offsets.push(u32::try_from(at).ok()?);
                let facts = match scan.sub_type(data, pos) {
                    Some(facts) => facts,
                    None => {
                        let rest = data.get(pos..)?;
                        let mut reader = Reader::new_in_section(rest, at, features);
                        let sub = SubType::from_reader(&mut reader).ok()?;
                        facts_of(&sub, pos + reader.position())
                    }
                };
                pos = facts.end;
                let depth = type_facts(&facts, &depths, &limits, at).ok()?;
                depths.push(depth);
            }
        }
        if pos != data.len() {
            return None;
        }
        self.rec_groups = section.item_count();
        self.set_types(offsets, range.end);
        Some(())
    }

    /// Records where the code section's entries are, without reading
    /// them: the body check walks them in order ([`CodeWalk`]), reading
    /// each size prefix next to the body it checks, and fills
    /// [`Index::bodies`]. Room for them is reserved here.
    ///
    /// [`CodeWalk`]: crate::walk::CodeWalk
    fn add_code(&mut self, section: CodeSectionReader<'_>) -> Result<(), LoadError> {
        self.data_count_present = section.data_count_present();
        let range = section.range();
        self.code_end = range.end as u32;
        let entries = section.into_inner();
        let count = entries.item_count();
        // Every entry takes at least two bytes (a size and an `end`).
        self.bodies
            .reserve_exact(capacity(count, &range).min(range.len() / 2));
        self.code = Some(CodeEntries {
            contents: range.start as u32,
            first: entries.items_reader().offset() as u32,
            count,
        });
        Ok(())
    }

    /// Indexes the entries of the code section [`Index::add_code`]
    /// recorded one by one, as items: for a code section whose walk found
    /// an entry that does not read. The error is that entry's, after the
    /// entries before it; a malformed entry is kept (checking it reports
    /// its error as the reference interpreter does, `check_code_entry`),
    /// one over the body size limit is not.
    pub fn add_code_entries(&mut self, bytes: &[u8]) -> Result<(), LoadError> {
        self.bodies.clear();
        let Some(code) = self.code else {
            return Ok(());
        };
        let range = code.contents as usize..self.code_end as usize;
        let contents = bytes.get(range.clone()).unwrap_or_default();
        let reader = Reader::new_in_section(contents, range.start, self.features);
        let mut entries = SectionReader::<FunctionBody<'_>>::new(reader)?;
        let limit = self.limits.function_body_size;
        for _ in 0..entries.item_count() {
            let at = entries.offset();
            self.bodies.push(at as u32);
            if let Some(body) = entries.next().transpose()? {
                let size = body.range().len() as u64;
                if let Err(e) = check64("function body size", size, limit.into(), at) {
                    // Bodies before this one are checked; this one is not.
                    self.bodies.pop();
                    return Err(e.into());
                }
            }
        }
        // Bytes after the last entry.
        entries.next().transpose()?;
        Ok(())
    }

    /// The heap bytes this index holds.
    pub fn heap_bytes(&self) -> usize {
        self.sections.capacity() * size_of::<SectionEntry>()
            + self.offsets.capacity() * size_of::<u32>()
            + self.type_offsets.capacity() * size_of::<u32>()
            + self.bodies.capacity() * size_of::<u32>()
    }

    /// The type index of every defined function.
    pub fn function_types(&self) -> &[u32] {
        self.function_types.starts(&self.offsets)
    }

    /// The start of every subtype, in type index order.
    pub fn type_starts(&self) -> &[u32] {
        &self.type_offsets
    }

    /// Records `offsets`, the start of every subtype of a type section
    /// ending at `end`.
    fn set_types(&mut self, mut offsets: Vec<u32>, end: usize) {
        // Sized from the groups, grown by the subtypes: give back the rest.
        offsets.shrink_to_fit();
        self.types = Items::since(0, &offsets, end);
        self.type_offsets = offsets;
    }

    /// Gives back the room reserved for item starts beyond what they
    /// took, when that is more than an eighth of it (reserving doubles).
    pub fn shrink(&mut self) {
        let spare = self.offsets.capacity() - self.offsets.len();
        if spare > 64 && spare > self.offsets.capacity() / 8 {
            self.offsets.shrink_to_fit();
        }
    }
}

/// What [`type_facts`] needs of a decoded subtype that ends at `end`.
fn facts_of(sub: &SubType<'_>, end: usize) -> SubTypeFacts {
    let (kind, params, results, fields) = match &sub.composite {
        CompositeType::Func(f) => (CompositeKind::Func, f.params().len(), f.results().len(), 0),
        CompositeType::Struct(s) => (CompositeKind::Struct, 0, 0, s.fields.len()),
        CompositeType::Array(_) => (CompositeKind::Array, 0, 0, 1),
    };
    SubTypeFacts {
        end,
        is_final: sub.is_final,
        supertypes: sub.supertypes.len(),
        first_supertype: sub.supertypes.iter().next(),
        kind,
        params,
        results,
        fields,
    }
}

/// The depth of a subtype's supertype chain given the depths of the types
/// before it, checking it and its parameters, results and fields against
/// `limits`. `at` is where it starts.
fn type_facts(
    sub: &SubTypeFacts,
    depths: &Depths,
    limits: &Limits,
    at: usize,
) -> Result<u8, LimitExceeded> {
    match sub.kind {
        CompositeKind::Func => {
            check("parameter count", sub.params, limits.params, at)?;
            check("result count", sub.results, limits.results, at)?;
        }
        CompositeKind::Struct => {
            check("struct field count", sub.fields, limits.struct_fields, at)?;
        }
        CompositeKind::Array => {}
    }
    // A supertype defined after this type is invalid, not malformed: it is
    // left to validation, and counts as depth 0 here.
    let depth = match sub.first_supertype {
        Some(s) => depths.get(s).map_or(0, |d| d.saturating_add(1)),
        None => 0,
    };
    check("subtyping depth", depth.into(), limits.subtyping_depth, at)?;
    Ok(depth)
}

/// The depth of every type's supertype chain so far, saturating at 255:
/// held only from the first type of a depth other than 0 on (most modules
/// have none, and reserve nothing for them).
#[derive(Default)]
struct Depths {
    /// The depths of the first types, up to the last of a depth other
    /// than 0 (any type after them has depth 0).
    known: Vec<u8>,
    /// How many types there are.
    count: u32,
}

impl Depths {
    /// Type `i`'s depth, if it is defined yet.
    fn get(&self, i: u32) -> Option<u8> {
        (i < self.count).then(|| self.known.get(i as usize).copied().unwrap_or(0))
    }

    /// Adds the next type, of depth `depth`.
    fn push(&mut self, depth: u8) {
        if depth != 0 {
            self.known.resize(self.count as usize, 0);
            self.known.push(depth);
        }
        self.count += 1;
    }
}

/// Appends the start of every import of `section` to `offsets` when all
/// are functions and globals [`Import::skip_common`] takes and they end the
/// section: how many of each. `None` otherwise (with some starts appended:
/// the caller drops them and decodes the section).
fn skim_imports(
    section: &SectionReader<'_, Import<'_>>,
    offsets: &mut Vec<u32>,
    scan: &TypeScan,
) -> Option<[u32; 2]> {
    let reader = section.items_reader();
    let (items, base) = (reader.remaining_bytes(), reader.offset());
    let mut pos = 0;
    let mut counts = [0u32; 2];
    for _ in 0..section.item_count() {
        offsets.push((base + pos) as u32);
        let (end, kind) = Import::skip_common(items, pos, scan)?;
        counts[usize::from(kind == 0x03)] += 1;
        pos = end;
    }
    (pos == items.len()).then_some(counts)
}

/// Appends every item of `section`, a vector of `u32`s, to `to` in one
/// tight loop: `true` if they all read and end the section. Otherwise
/// nothing is appended and `false` says to read them one by one (which
/// reports the error as the reference interpreter does).
fn read_all_u32s(section: &SectionReader<'_, u32>, to: &mut Vec<u32>) -> bool {
    let reader = section.items_reader();
    let items = reader.remaining_bytes();
    let kept = to.len();
    let mut pos = 0;
    for _ in 0..section.item_count() {
        match lading_parser::leb128::read_u32_short(items, &mut pos) {
            Ok(value) => to.push(value),
            Err(_) => break,
        }
    }
    if to.len() - kept == section.item_count() as usize && pos == items.len() {
        return true;
    }
    to.truncate(kept);
    false
}

/// The custom section whose contents span `range` in `bytes`.
pub(crate) fn custom_at<'a>(bytes: &'a [u8], range: &Range<u32>) -> Option<CustomSection<'a>> {
    let data = bytes.get(range.start as usize..range.end as usize)?;
    CustomSection::new(data, range.start as usize).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lading_parser::Parser;

    /// The type section of `module`.
    fn type_section(module: &[u8]) -> SectionReader<'_, RecGroup<'_>> {
        Parser::new(module, Features::ALL)
            .find_map(|p| match p {
                Ok(Payload::TypeSection(s)) => Some(s),
                _ => None,
            })
            .expect("a type section")
    }

    /// A module of one type section holding `entries` entries.
    fn module(entries: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        out.push(1);
        out.push(u8::try_from(contents.len() + 1).unwrap());
        out.push(entries);
        out.extend_from_slice(contents);
        out
    }

    #[test]
    fn scanned_and_decoded_types_index_alike() {
        let contents = [
            0x60, 0x02, 0x7f, 0x6e, 0x01, 0x7e, // func (i32 anyref) -> i64
            0x4e, 0x03, // rec of three
            0x50, 0x00, 0x5f, 0x01, 0x78, 0x01, // sub struct (mut i8)
            // sub final of 1: array of (ref 0) with a five-byte index,
            // which the scan leaves to decoding
            0x4f, 0x01, 0x01, 0x5e, 0x64, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00, //
            0x50, 0x01, 0x02, 0x5f, 0x00, // sub of 2: struct {}
        ];
        let bytes = module(2, &contents);
        let section = type_section(&bytes);
        let data = section.items_reader().remaining_bytes();
        let scan = TypeScan::new(Features::ALL);
        assert!(
            scan.sub_type(data, 14).is_none(),
            "a subtype left to decoding"
        );
        let mut once = Index {
            features: Features::ALL,
            ..Index::default()
        };
        assert_eq!(once.add_types_once(&section), Some(()));
        let mut decoded = Index {
            features: Features::ALL,
            ..Index::default()
        };
        decoded.add_types_decoded(&bytes, section).unwrap();
        let base = bytes.len() - contents.len();
        let starts: Vec<u32> = [0, 8, 14, 25].iter().map(|p| (base + p) as u32).collect();
        assert_eq!(once.type_starts(), starts);
        assert_eq!(decoded.type_starts(), starts);
        assert_eq!((once.rec_groups, decoded.rec_groups), (2, 2));
        assert_eq!(once.types.end, decoded.types.end);
    }

    #[test]
    fn a_limit_leaves_the_section_to_decoding() {
        // A chain of depth 2 (types 1 and 2 have supertypes) under a depth
        // limit of 1: the single pass gives up, decoding reports it at the
        // third subtype.
        let contents = [
            0x4e, 0x03, 0x50, 0x00, 0x5f, 0x00, 0x50, 0x01, 0x00, 0x5f, 0x00, 0x50, 0x01, 0x01,
            0x5f, 0x00,
        ];
        let bytes = module(1, &contents);
        let mut index = Index {
            features: Features::ALL,
            limits: Limits {
                subtyping_depth: 1,
                ..Limits::default()
            },
            ..Index::default()
        };
        assert_eq!(index.add_types_once(&type_section(&bytes)), None);
        assert!(index.type_starts().is_empty());
        let e = index.add_types(&bytes, type_section(&bytes)).unwrap_err();
        let LoadError::LimitExceeded(e) = e else {
            panic!("not a limit: {e}")
        };
        let base = bytes.len() - contents.len();
        assert_eq!(
            (e.what, e.value, e.offset),
            ("subtyping depth", 2, Some(base + 11))
        );
    }
}
