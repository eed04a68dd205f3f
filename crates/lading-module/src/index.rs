//! The compact index of a module: where each item starts in the buffer.

use std::ops::Range;

use lading_parser::{
    CodeSectionReader, CustomSection, Error, Features, FromReader, Payload, Reader, RecGroup,
    SectionReader, SubType, TypeRef,
};

/// Where the items of one section start, and where the section ends: item
/// `i` decodes from `offsets[i]` up to `end`. One `u32` per item.
#[derive(Clone, Debug, Default)]
pub(crate) struct Items {
    pub offsets: Vec<u32>,
    pub end: u32,
}

impl Items {
    /// Records the start of every item of `section`, a section of
    /// `module`, checking each.
    fn collect<'a, T: FromReader<'a>>(
        module: &'a [u8],
        section: SectionReader<'a, T>,
    ) -> Result<Items, Error> {
        let end = section.range().end as u32;
        let mut offsets = Vec::with_capacity(section.item_count() as usize);
        section.for_each_item(module, |at, _| {
            offsets.push(at as u32);
            Ok(())
        })?;
        Ok(Items { offsets, end })
    }

    /// Decodes item `i`. Items were checked when the module was loaded, so
    /// decoding again succeeds; `None` only for an index out of range.
    pub fn get<'a, T: FromReader<'a>>(
        &self,
        bytes: &'a [u8],
        features: Features,
        i: usize,
    ) -> Option<T> {
        let start = *self.offsets.get(i)? as usize;
        let data = bytes.get(start..self.end as usize)?;
        T::from_reader(&mut Reader::new_in_section(data, start, features)).ok()
    }

    fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * size_of::<u32>()
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
    pub sections: Vec<SectionEntry>,
    /// The start of every subtype, in type index order.
    pub types: Items,
    pub rec_groups: u32,
    pub imports: Items,
    /// Imported functions, tables, memories, globals and tags.
    pub imported: [u32; 5],
    /// The type index of every defined function.
    pub function_types: Vec<u32>,
    /// Where every code section entry (a body's size prefix) starts.
    pub bodies: Vec<u32>,
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
    /// The contents (name included) of every custom section.
    pub customs: Vec<Range<u32>>,
    pub instructions: u64,
    pub locals: u64,
}

fn range_u32(range: Range<usize>) -> Range<u32> {
    range.start as u32..range.end as u32
}

impl Index {
    /// Adds what one payload holds, checking every item of it.
    pub fn add(&mut self, bytes: &[u8], payload: Payload<'_>) -> Result<(), Error> {
        match payload {
            Payload::Version { .. } | Payload::End { .. } => {}
            Payload::TypeSection(s) => {
                self.section(1, s.range());
                self.add_types(bytes, s)?;
            }
            Payload::ImportSection(s) => {
                self.section(2, s.range());
                let end = s.range().end as u32;
                let mut offsets = Vec::with_capacity(s.item_count() as usize);
                let imported = &mut self.imported;
                s.for_each_item(bytes, |at, import| {
                    offsets.push(at as u32);
                    let kind = match import.ty {
                        TypeRef::Func(_) => 0,
                        TypeRef::Table(_) => 1,
                        TypeRef::Memory(_) => 2,
                        TypeRef::Global(_) => 3,
                        TypeRef::Tag(_) => 4,
                    };
                    imported[kind] += 1;
                    Ok(())
                })?;
                self.imports = Items { offsets, end };
            }
            Payload::FunctionSection(s) => {
                self.section(3, s.range());
                let types = &mut self.function_types;
                types.reserve_exact(s.item_count() as usize);
                s.for_each_item(bytes, |_, type_index| {
                    types.push(type_index);
                    Ok(())
                })?;
            }
            Payload::TableSection(s) => {
                self.section(4, s.range());
                self.tables = Items::collect(bytes, s)?;
            }
            Payload::MemorySection(s) => {
                self.section(5, s.range());
                self.memories = Items::collect(bytes, s)?;
            }
            Payload::TagSection(s) => {
                self.section(13, s.range());
                self.tags = Items::collect(bytes, s)?;
            }
            Payload::GlobalSection(s) => {
                self.section(6, s.range());
                self.globals = Items::collect(bytes, s)?;
            }
            Payload::ExportSection(s) => {
                self.section(7, s.range());
                self.exports = Items::collect(bytes, s)?;
            }
            Payload::StartSection { func, range } => {
                self.section(8, range);
                self.start = Some(func);
            }
            Payload::ElementSection(s) => {
                self.section(9, s.range());
                self.elements = Items::collect(bytes, s)?;
            }
            Payload::DataCountSection { count, range } => {
                self.section(12, range);
                self.data_count = Some(count);
            }
            Payload::CodeSection(s) => {
                self.section(10, s.range());
                self.add_code(s)?;
            }
            Payload::DataSection(s) => {
                self.section(11, s.range());
                self.data = Items::collect(bytes, s)?;
            }
            Payload::CustomSection(c) => {
                self.section(0, c.range.clone());
                self.customs.push(range_u32(c.range));
            }
            _ => {}
        }
        Ok(())
    }

    fn section(&mut self, id: u8, range: Range<usize>) {
        let range = range_u32(range);
        self.sections.push(SectionEntry {
            id,
            start: range.start,
            end: range.end,
        });
    }

    fn add_types(
        &mut self,
        bytes: &[u8],
        section: SectionReader<'_, RecGroup<'_>>,
    ) -> Result<(), Error> {
        let end = section.range().end as u32;
        let mut offsets = Vec::with_capacity(section.item_count() as usize);
        let features = self.features;
        let mut groups = 0;
        section.for_each_item(bytes, |_, group| {
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
                offsets.push(reader.offset() as u32);
                SubType::from_reader(&mut reader)?;
            }
            Ok(())
        })?;
        self.rec_groups = groups;
        self.types = Items { offsets, end };
        Ok(())
    }

    fn add_code(&mut self, section: CodeSectionReader<'_>) -> Result<(), Error> {
        self.data_count_present = section.data_count_present();
        self.code_end = section.range().end as u32;
        let mut entries = section.into_inner();
        let count = entries.item_count();
        self.bodies.reserve_exact(count as usize);
        for _ in 0..count {
            let at = entries.offset() as u32;
            // A malformed entry is kept: checking it reports its error as
            // the reference interpreter does (`check_code_entry`).
            self.bodies.push(at);
            entries.next().transpose()?;
        }
        // Bytes after the last entry.
        entries.next().transpose()?;
        Ok(())
    }

    /// The heap bytes this index holds.
    pub fn heap_bytes(&self) -> usize {
        self.sections.capacity() * size_of::<SectionEntry>()
            + self.types.heap_bytes()
            + self.imports.heap_bytes()
            + self.function_types.capacity() * size_of::<u32>()
            + self.bodies.capacity() * size_of::<u32>()
            + self.tables.heap_bytes()
            + self.memories.heap_bytes()
            + self.tags.heap_bytes()
            + self.globals.heap_bytes()
            + self.exports.heap_bytes()
            + self.elements.heap_bytes()
            + self.data.heap_bytes()
            + self.customs.capacity() * size_of::<Range<u32>>()
    }
}

/// The custom section whose contents span `range` in `bytes`.
pub(crate) fn custom_at<'a>(bytes: &'a [u8], range: &Range<u32>) -> Option<CustomSection<'a>> {
    let data = bytes.get(range.start as usize..range.end as usize)?;
    CustomSection::new(data, range.start as usize).ok()
}
