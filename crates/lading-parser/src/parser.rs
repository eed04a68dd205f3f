//! The top-level parser: the header, then one payload per section.

use core::ops::Range;

use crate::{
    CodeSectionReader, CustomSection, DataSectionReader, ElementSectionReader, Error, ErrorKind,
    ExportSectionReader, Features, FromReader, FunctionSectionReader, GlobalSectionReader,
    ImportSectionReader, MemorySectionReader, Proposal, Reader, Result, SectionReader,
    TableSectionReader, TagSectionReader, TypeSectionReader,
};

/// What the [`Parser`] yields: the header, each section (as a reader of
/// its items), then the end of the module.
#[derive(Debug)]
#[non_exhaustive]
pub enum Payload<'a> {
    /// The header: `\0asm` and the version, which is 1.
    Version {
        /// The version number.
        num: u32,
        /// The absolute byte range of the header.
        range: Range<usize>,
    },
    /// The type section (id 1).
    TypeSection(TypeSectionReader<'a>),
    /// The import section (id 2).
    ImportSection(ImportSectionReader<'a>),
    /// The function section (id 3).
    FunctionSection(FunctionSectionReader<'a>),
    /// The table section (id 4).
    TableSection(TableSectionReader<'a>),
    /// The memory section (id 5).
    MemorySection(MemorySectionReader<'a>),
    /// The tag section (id 13, exception handling).
    TagSection(TagSectionReader<'a>),
    /// The global section (id 6).
    GlobalSection(GlobalSectionReader<'a>),
    /// The export section (id 7).
    ExportSection(ExportSectionReader<'a>),
    /// The start section (id 8).
    StartSection {
        /// The index of the start function.
        func: u32,
        /// The absolute byte range of the section's contents.
        range: Range<usize>,
    },
    /// The element section (id 9).
    ElementSection(ElementSectionReader<'a>),
    /// The data count section (id 12, bulk memory).
    DataCountSection {
        /// The number of data segments.
        count: u32,
        /// The absolute byte range of the section's contents.
        range: Range<usize>,
    },
    /// The code section (id 10).
    CodeSection(CodeSectionReader<'a>),
    /// The data section (id 11).
    DataSection(DataSectionReader<'a>),
    /// A custom section (id 0), allowed anywhere after the header.
    CustomSection(CustomSection<'a>),
    /// The end of the module.
    End {
        /// The absolute offset of the end (the module's length).
        offset: usize,
    },
}

/// A parser of a whole module: an iterator of [`Payload`]s.
///
/// It checks the header, each section's id, size and place in the order
/// of sections, and the counts that must agree across sections (functions
/// and bodies, data count and data segments). It does not read the items
/// of a section: each section payload is a reader that does, lazily. After
/// the first error the parser yields `None` for good. Never allocates.
///
/// ```
/// use lading_parser::{Features, Parser, Payload};
/// let module = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/// let mut parser = Parser::new(&module, Features::default());
/// assert!(matches!(parser.next(), Some(Ok(Payload::Version { num: 1, .. }))));
/// assert!(matches!(parser.next(), Some(Ok(Payload::End { offset: 8 }))));
/// assert!(parser.next().is_none());
/// ```
#[derive(Clone, Debug)]
pub struct Parser<'a> {
    reader: Reader<'a>,
    state: State,
    /// The order rank of the last non-custom section, 0 before any.
    last_rank: u8,
    function_count: Option<u32>,
    code_seen: bool,
    data_count: Option<u32>,
    data_seen: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Header,
    Sections,
    Done,
}

const MAGIC: [u8; 4] = *b"\0asm";
const VERSION_1: [u8; 4] = [0x01, 0x00, 0x00, 0x00];
/// The version field of a component-model binary (version 0x0d, layer 1).
const COMPONENT: [u8; 4] = [0x0d, 0x00, 0x01, 0x00];

/// The place of a non-custom section in the required order, by id; `None`
/// for an unknown id.
fn rank(id: u8) -> Option<u8> {
    Some(match id {
        1 => 1,   // type
        2 => 2,   // import
        3 => 3,   // function
        4 => 4,   // table
        5 => 5,   // memory
        13 => 6,  // tag
        6 => 7,   // global
        7 => 8,   // export
        8 => 9,   // start
        9 => 10,  // element
        12 => 11, // data count
        10 => 12, // code
        11 => 13, // data
        _ => return None,
    })
}

/// A reader of the vector of `T` in `contents`.
///
/// The reference interpreter bounds a vector's count by the size of the
/// whole module only, so a count larger than the section shows as the first
/// item that fails to decode, usually at the end of the section. This
/// mirrors it: when the count exceeds the bytes left, the items are decoded
/// up to the first error, which must come since every item of a section
/// takes at least one byte.
fn vector<'a, T: FromReader<'a>>(contents: Reader<'a>) -> Result<SectionReader<'a, T>> {
    let mut probe = contents.clone();
    let count = probe.read_count()?;
    if count as usize > probe.remaining() {
        for _ in 0..count {
            T::from_reader(&mut probe)?;
        }
        return Err(probe.eof_error());
    }
    SectionReader::new(contents)
}

/// Reads the single `u32` of a start or data count section, which must
/// fill the section.
fn single_u32(mut contents: Reader<'_>) -> Result<u32> {
    let value = contents.read_var_u32()?;
    if !contents.is_empty() {
        return Err(contents.error(ErrorKind::SectionSizeMismatch));
    }
    Ok(value)
}

impl<'a> Parser<'a> {
    /// A parser of the module in `bytes`, accepting the encodings of the
    /// proposals in `features`.
    pub fn new(bytes: &'a [u8], features: Features) -> Parser<'a> {
        Parser {
            reader: Reader::new(bytes, 0, features),
            state: State::Header,
            last_rank: 0,
            function_count: None,
            code_seen: false,
            data_count: None,
            data_seen: false,
        }
    }

    fn header(&mut self) -> Result<Payload<'a>> {
        let magic = self.reader.read_array::<4>()?;
        if magic != MAGIC {
            return Err(self.reader.error_at(ErrorKind::MagicHeaderNotDetected, 0));
        }
        let version = self.reader.read_array::<4>()?;
        if version == COMPONENT {
            return Err(self.reader.error_at(ErrorKind::ComponentNotSupported, 4));
        }
        if version != VERSION_1 {
            return Err(self.reader.error_at(ErrorKind::UnknownBinaryVersion, 4));
        }
        Ok(Payload::Version {
            num: 1,
            range: 0..8,
        })
    }

    fn end(&self) -> Result<Payload<'a>> {
        let offset = self.reader.offset();
        if !self.code_seen && self.function_count.unwrap_or(0) > 0 {
            return Err(Error::new(
                ErrorKind::FunctionAndCodeInconsistentLengths,
                offset,
            ));
        }
        if !self.data_seen && self.data_count.unwrap_or(0) > 0 {
            return Err(Error::new(
                ErrorKind::DataCountAndDataInconsistentLengths,
                offset,
            ));
        }
        Ok(Payload::End { offset })
    }

    fn section(&mut self) -> Result<Payload<'a>> {
        if self.reader.is_empty() {
            return self.end();
        }
        let at = self.reader.position();
        let id = self.reader.read_u8()?;
        let rank = match (id, rank(id)) {
            (0, _) => 0,
            (_, Some(rank)) => rank,
            (_, None) => return Err(self.reader.error_at(ErrorKind::MalformedSectionId, at)),
        };
        if id != 0 {
            if rank <= self.last_rank {
                return Err(self
                    .reader
                    .error_at(ErrorKind::UnexpectedContentAfterLastSection, at));
            }
            self.last_rank = rank;
        }
        let size = self.reader.read_len()?;
        let contents = self.reader.sub_reader(size as usize)?;
        if id == 0 {
            return CustomSection::new(contents.data(), contents.base())
                .map(Payload::CustomSection);
        }
        let features = self.reader.features();
        let gate = |proposal: Proposal| {
            if features.has(proposal) {
                Ok(())
            } else {
                Err(Error::new(ErrorKind::FeatureDisabled(proposal), at))
            }
        };
        let range = contents.base()..contents.base() + contents.data().len();
        Ok(match id {
            1 => Payload::TypeSection(vector(contents)?),
            2 => Payload::ImportSection(vector(contents)?),
            3 => {
                let section: FunctionSectionReader<'a> = vector(contents)?;
                self.function_count = Some(section.item_count());
                Payload::FunctionSection(section)
            }
            4 => Payload::TableSection(vector(contents)?),
            5 => Payload::MemorySection(vector(contents)?),
            6 => Payload::GlobalSection(vector(contents)?),
            7 => Payload::ExportSection(vector(contents)?),
            8 => Payload::StartSection {
                func: single_u32(contents)?,
                range,
            },
            9 => Payload::ElementSection(vector(contents)?),
            10 => {
                let bodies = vector::<crate::FunctionBody<'a>>(contents.clone())?;
                if bodies.item_count() != self.function_count.unwrap_or(0) {
                    return Err(Error::new(
                        ErrorKind::FunctionAndCodeInconsistentLengths,
                        at,
                    ));
                }
                self.code_seen = true;
                Payload::CodeSection(CodeSectionReader::new(contents, self.data_count.is_some())?)
            }
            11 => {
                let section: DataSectionReader<'a> = vector(contents)?;
                if let Some(count) = self.data_count
                    && count != section.item_count()
                {
                    return Err(Error::new(
                        ErrorKind::DataCountAndDataInconsistentLengths,
                        at,
                    ));
                }
                self.data_seen = true;
                Payload::DataSection(section)
            }
            12 => {
                gate(Proposal::BulkMemory)?;
                let count = single_u32(contents)?;
                self.data_count = Some(count);
                Payload::DataCountSection { count, range }
            }
            // Only id 13 is left: `rank` knows no other.
            _ => {
                gate(Proposal::Exceptions)?;
                Payload::TagSection(vector(contents)?)
            }
        })
    }
}

impl<'a> Iterator for Parser<'a> {
    type Item = Result<Payload<'a>>;

    fn next(&mut self) -> Option<Result<Payload<'a>>> {
        let payload = match self.state {
            State::Done => return None,
            State::Header => {
                self.state = State::Sections;
                self.header()
            }
            State::Sections => self.section(),
        };
        if matches!(payload, Err(_) | Ok(Payload::End { .. })) {
            self.state = State::Done;
        }
        Some(payload)
    }
}
