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
/// and bodies, data count and data segments): like the reference
/// interpreter, the latter once all sections are read, so a disagreement is
/// an error in place of [`Payload::End`], at the offending section's id. It does not read the items
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
    /// The code section's count and offset, once seen.
    code: Option<(u32, usize)>,
    data_count: Option<u32>,
    /// The data section's count and offset, once seen.
    data: Option<(u32, usize)>,
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

/// Whether `kind` is an error only instructions give.
fn is_instruction_error(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::IllegalOpcode { .. }
            | ErrorKind::EndOpcodeExpected
            | ErrorKind::ZeroByteExpected
            | ErrorKind::MalformedMemopFlags
            | ErrorKind::MalformedBlockType
            | ErrorKind::MalformedCatchClause
            | ErrorKind::MalformedCastFlags
            | ErrorKind::FeatureDisabled(_)
    )
}

/// The error for an item of a section that failed by running out of the
/// section's bytes, as the reference interpreter reports it.
///
/// The reference interpreter does not confine a section's items to the
/// section: it decodes on into the bytes that follow and only then compares
/// where it stopped with the section's size. So the item that ran out is
/// decoded again from `start` (an absolute offset, an index into `module`)
/// over the rest of the module: if it decodes, the section is too short for
/// it (`section size mismatch` at `section_end`); if it fails other than in
/// an instruction, that failure is the error; otherwise the section's end
/// stays the error.
pub(crate) fn overrun_error<'a, T: FromReader<'a>>(
    module: &'a [u8],
    start: usize,
    section_end: usize,
    features: Features,
) -> Error {
    let rest = module.get(start..).unwrap_or_default();
    let mut reader = Reader::new_in_section(rest, start, features);
    match T::from_reader(&mut reader) {
        Ok(_) => Error::new(ErrorKind::SectionSizeMismatch, section_end),
        // Instruction errors past the section depend on how far the
        // reference interpreter's instruction decoder (which knows every
        // instruction, constant or not) would read into the next section's
        // bytes, which a constant expression decoder does not mimic: keep
        // the end of the section as the error for those.
        Err(e) if !is_instruction_error(e.kind()) => e,
        Err(_) => Error::new(ErrorKind::UnexpectedEndOfSectionOrFunction, section_end),
    }
}

/// A reader of the vector of `T` in `contents`, a section of `module`.
///
/// The reference interpreter does not bound a vector's count by the
/// section's size: a count larger than the bytes left shows as the first
/// item that fails to decode (see [`overrun_error`]). This mirrors it: the
/// items are decoded up to the first error, which must come since every
/// item of a section takes at least one byte.
fn vector<'a, T: FromReader<'a>>(
    contents: Reader<'a>,
    module: &'a [u8],
) -> Result<SectionReader<'a, T>> {
    let mut probe = contents.clone();
    let count = read_u32_in(&mut probe, module)?;
    if count as usize > probe.remaining() {
        let end = contents.base() + contents.data().len();
        for _ in 0..count {
            let start = probe.offset();
            match T::from_reader(&mut probe) {
                Ok(_) => {}
                Err(e)
                    if e.kind() == ErrorKind::UnexpectedEndOfSectionOrFunction
                        && e.offset() == end =>
                {
                    return Err(overrun_error::<T>(module, start, end, contents.features()));
                }
                Err(e) => return Err(e),
            }
        }
        // Unreachable: `count` items of at least one byte each do not fit.
        return Err(Error::new(ErrorKind::SectionSizeMismatch, end));
    }
    SectionReader::new(contents)
}

/// Reads a `u32` from `reader`, a section of `module`; one whose encoding
/// runs out of the section is reported as [`overrun_error`] says.
fn read_u32_in(reader: &mut Reader<'_>, module: &[u8]) -> Result<u32> {
    let start = reader.offset();
    reader.read_var_u32().map_err(|e| {
        let end = reader.base() + reader.data().len();
        if e.kind() == ErrorKind::UnexpectedEndOfSectionOrFunction && e.offset() == end {
            overrun_error::<u32>(module, start, end, reader.features())
        } else {
            e
        }
    })
}

/// Reads the single `u32` of a start or data count section (of `module`),
/// which must fill the section.
fn single_u32(mut contents: Reader<'_>, module: &[u8]) -> Result<u32> {
    let value = read_u32_in(&mut contents, module)?;
    if !contents.is_empty() {
        return Err(contents.error(ErrorKind::SectionSizeMismatch));
    }
    Ok(value)
}

/// The range of the contents of the custom section at `at` in `rest` (the
/// section id onwards), if there is one that reads: its size and name fit,
/// and the name is UTF-8.
#[inline(always)]
fn custom_contents(rest: &[u8], at: usize) -> Option<Range<usize>> {
    let [0, ..] = rest.get(at..)? else {
        return None;
    };
    let mut pos = at + 1;
    let size = crate::leb128::read_u32_short(rest, &mut pos).ok()? as usize;
    let contents = pos..pos.checked_add(size)?;
    let section = rest.get(contents.clone())?;
    let mut name_at = 0;
    let name_len = crate::leb128::read_u32_short(section, &mut name_at).ok()? as usize;
    let name = section.get(name_at..name_at.checked_add(name_len)?)?;
    crate::utf8::is_utf8(name).then_some(contents)
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
            code: None,
            data_count: None,
            data: None,
        }
    }

    /// Skips the custom sections at the parser's position, if the next
    /// sections are ones that read, calling `each` with the absolute byte
    /// range of each one's contents (name included): the `range` of the
    /// [`Payload::CustomSection`] that [`Iterator::next`] would yield, with
    /// the name checked to be UTF-8 but not made a `&str`. For callers that
    /// keep only where custom sections are: this costs a fraction of a
    /// payload.
    ///
    /// Skips nothing before the header, after the end, or when the next
    /// section is not a custom section, or is one that does not read (its
    /// size or name runs out, its name is not UTF-8): [`Iterator::next`]
    /// then yields it or its error.
    pub fn skip_custom_sections(&mut self, mut each: impl FnMut(Range<usize>)) {
        if self.state != State::Sections {
            return;
        }
        let rest = self.reader.remaining_bytes();
        let base = self.reader.offset();
        let mut end = 0;
        while let Some(contents) = custom_contents(rest, end) {
            each(base + contents.start..base + contents.end);
            end = contents.end;
        }
        // Within the bytes left: cannot fail.
        let _ = self.reader.skip(end);
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
        let (code_count, code_at) = self.code.unwrap_or((0, offset));
        if code_count != self.function_count.unwrap_or(0) {
            return Err(Error::new(
                ErrorKind::FunctionAndCodeInconsistentLengths,
                code_at,
            ));
        }
        if let Some(count) = self.data_count {
            let (data_count, data_at) = self.data.unwrap_or((0, offset));
            if data_count != count {
                return Err(Error::new(
                    ErrorKind::DataCountAndDataInconsistentLengths,
                    data_at,
                ));
            }
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
        let module = self.reader.data();
        Ok(match id {
            1 => Payload::TypeSection(vector(contents, module)?),
            2 => Payload::ImportSection(vector(contents, module)?),
            3 => {
                let section: FunctionSectionReader<'a> = vector(contents, module)?;
                self.function_count = Some(section.item_count());
                Payload::FunctionSection(section)
            }
            4 => Payload::TableSection(vector(contents, module)?),
            5 => Payload::MemorySection(vector(contents, module)?),
            6 => Payload::GlobalSection(vector(contents, module)?),
            7 => Payload::ExportSection(vector(contents, module)?),
            8 => Payload::StartSection {
                func: single_u32(contents, module)?,
                range,
            },
            9 => Payload::ElementSection(vector(contents, module)?),
            10 => {
                let bodies = vector::<crate::FunctionBody<'a>>(contents.clone(), module)?;
                self.code = Some((bodies.item_count(), at));
                Payload::CodeSection(CodeSectionReader::new(contents, self.data_count.is_some())?)
            }
            11 => {
                let section: DataSectionReader<'a> = vector(contents, module)?;
                self.data = Some((section.item_count(), at));
                Payload::DataSection(section)
            }
            12 => {
                gate(Proposal::BulkMemory)?;
                let count = single_u32(contents, module)?;
                self.data_count = Some(count);
                Payload::DataCountSection { count, range }
            }
            // Only id 13 is left: `rank` knows no other.
            _ => {
                gate(Proposal::Exceptions)?;
                Payload::TagSection(vector(contents, module)?)
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    fn module(sections: &[u8]) -> Vec<u8> {
        let mut m = HEADER.to_vec();
        m.extend_from_slice(sections);
        m
    }

    /// The first error of parsing `bytes`, with all features.
    fn first_error(bytes: &[u8]) -> (ErrorKind, usize) {
        let e = Parser::new(bytes, Features::default())
            .find_map(|p| p.err())
            .expect("an error");
        (e.kind(), e.offset())
    }

    #[test]
    fn header_errors() {
        // Empty, short magic, short version.
        assert_eq!(first_error(&[]), (ErrorKind::UnexpectedEnd, 0));
        assert_eq!(first_error(b"\0as"), (ErrorKind::UnexpectedEnd, 3));
        assert_eq!(first_error(b"\0asm\x01"), (ErrorKind::UnexpectedEnd, 5));
        // Wrong magic.
        assert_eq!(
            first_error(b"\0ASM\x01\0\0\0"),
            (ErrorKind::MagicHeaderNotDetected, 0)
        );
        // Version 2.
        assert_eq!(
            first_error(b"\0asm\x02\0\0\0"),
            (ErrorKind::UnknownBinaryVersion, 4)
        );
        // Component: version 0x0d, layer 1.
        assert_eq!(
            first_error(b"\0asm\x0d\0\x01\0"),
            (ErrorKind::ComponentNotSupported, 4)
        );
    }

    #[test]
    fn payloads_in_order() {
        let m = module(&[
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: [] -> []
            0x03, 0x02, 0x01, 0x00, // function section: type 0
            0x08, 0x01, 0x00, // start section: function 0
            0x0c, 0x01, 0x00, // data count section: 0
            0x00, 0x03, 0x01, b'n', 0x07, // custom section "n", data 07
            0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code section: one body
        ]);
        let payloads: Vec<_> = Parser::new(&m, Features::default())
            .collect::<Result<_>>()
            .unwrap();
        assert!(matches!(payloads[0], Payload::Version { num: 1, .. }));
        assert!(matches!(&payloads[1], Payload::TypeSection(s) if s.item_count() == 1));
        assert!(matches!(&payloads[2], Payload::FunctionSection(s) if s.item_count() == 1));
        assert!(
            matches!(&payloads[3], Payload::StartSection { func: 0, range } if *range == (20..21))
        );
        assert!(matches!(
            &payloads[4],
            Payload::DataCountSection { count: 0, .. }
        ));
        let Payload::CustomSection(c) = &payloads[5] else {
            panic!("custom section")
        };
        assert_eq!((c.name, c.data, c.data_offset), ("n", &[7u8][..], 28));
        let Payload::CodeSection(code) = &payloads[6] else {
            panic!("code section")
        };
        assert!(code.data_count_present());
        assert!(matches!(payloads[7], Payload::End { offset: 35 }));
        assert_eq!(payloads.len(), 8);
    }

    #[test]
    fn section_errors() {
        // Section id 14.
        assert_eq!(
            first_error(&module(&[0x0e, 0x00])),
            (ErrorKind::MalformedSectionId, 8)
        );
        // Size 5 with 1 byte left.
        assert_eq!(
            first_error(&module(&[0x01, 0x05, 0x00])),
            (ErrorKind::LengthOutOfBounds, 9)
        );
        // Size cut short.
        assert_eq!(
            first_error(&module(&[0x01, 0x80])),
            (ErrorKind::UnexpectedEnd, 10)
        );
        // Memory section before table section.
        assert_eq!(
            first_error(&module(&[0x05, 0x01, 0x00, 0x04, 0x01, 0x00])),
            (ErrorKind::UnexpectedContentAfterLastSection, 11)
        );
        // Start section with a byte after the index.
        assert_eq!(
            first_error(&module(&[0x08, 0x02, 0x00, 0x00])),
            (ErrorKind::SectionSizeMismatch, 11)
        );
        // Data count section with a byte after the count.
        assert_eq!(
            first_error(&module(&[0x0c, 0x02, 0x00, 0x00])),
            (ErrorKind::SectionSizeMismatch, 11)
        );
        // Custom section of size 0: no name.
        assert_eq!(
            first_error(&module(&[0x00, 0x00])),
            (ErrorKind::UnexpectedEnd, 10)
        );
        // Custom section named "\xff".
        assert_eq!(
            first_error(&module(&[0x00, 0x02, 0x01, 0xff])),
            (ErrorKind::MalformedUtf8, 10)
        );
        // Table section: 1 table declared, none given.
        assert_eq!(
            first_error(&module(&[0x04, 0x01, 0x01])),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 11)
        );
    }

    #[test]
    fn gated_sections() {
        let e = Parser::new(&module(&[0x0d, 0x01, 0x00]), Features::WASM2)
            .find_map(|p| p.err())
            .unwrap();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::FeatureDisabled(Proposal::Exceptions), 8)
        );
        let e = Parser::new(&module(&[0x0c, 0x01, 0x00]), Features::WASM1)
            .find_map(|p| p.err())
            .unwrap();
        assert_eq!(e.kind(), ErrorKind::FeatureDisabled(Proposal::BulkMemory));
    }

    #[test]
    fn cross_section_counts() {
        // Function section with 1 function, no code section.
        assert_eq!(
            first_error(&module(&[0x03, 0x02, 0x01, 0x00])),
            (ErrorKind::FunctionAndCodeInconsistentLengths, 12)
        );
        // Code section with 1 body, no function section: at the code section.
        assert_eq!(
            first_error(&module(&[0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b])),
            (ErrorKind::FunctionAndCodeInconsistentLengths, 8)
        );
        // Data count 1, no data section.
        assert_eq!(
            first_error(&module(&[0x0c, 0x01, 0x01])),
            (ErrorKind::DataCountAndDataInconsistentLengths, 11)
        );
        // Data count 1, data section with 0 segments.
        assert_eq!(
            first_error(&module(&[0x0c, 0x01, 0x01, 0x0b, 0x01, 0x00])),
            (ErrorKind::DataCountAndDataInconsistentLengths, 11)
        );
        // Data count 0 and no data section is fine.
        assert!(Parser::new(&module(&[0x0c, 0x01, 0x00]), Features::default()).all(|p| p.is_ok()));
    }

    #[test]
    fn stops_after_the_first_error() {
        let m = module(&[0x0e, 0x00, 0x01, 0x01, 0x00]);
        let mut p = Parser::new(&m, Features::default());
        assert!(p.next().unwrap().is_ok());
        assert!(p.next().unwrap().is_err());
        assert!(p.next().is_none());
        assert!(p.next().is_none());
    }

    #[test]
    fn items_read_past_the_section() {
        let m = module(&[
            0x07, 0x01, 0x02, // export section: 2 exports, nothing else
            0x0a, 0x07, 0x02, // code section...
        ]);
        // Export 0 read on from the code section: name length 10 is past
        // the module.
        assert_eq!(first_error(&m), (ErrorKind::LengthOutOfBounds, 11));
        // Start section of size 1 whose index's LEB128 runs on for 6 bytes.
        let m = module(&[0x08, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
        assert_eq!(
            first_error(&m),
            (ErrorKind::IntegerRepresentationTooLong, 15)
        );
        // Memory section of size 2 whose minimum's LEB128 runs on, and has
        // unused bits set.
        let m = module(&[
            0x05, 0x02, 0x01, 0x00, // memory section: flags 0
            0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x70, // minimum
        ]);
        let e = crate::check_module(&m, Features::default()).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::IntegerTooLarge, 21));
    }

    #[test]
    fn multiple_function_sections() {
        let m = module(&[
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section
            0x03, 0x02, 0x01, 0x00, // function section, 1 function
            0x03, 0x02, 0x01, 0x00, // function section again
        ]);
        assert_eq!(
            first_error(&m),
            (ErrorKind::UnexpectedContentAfterLastSection, 18)
        );
    }

    /// What a walk of `bytes` yields, one line per payload: custom sections
    /// by their range, other payloads by their debug name, then the error.
    fn walk(bytes: &[u8], fast_customs: bool) -> Vec<String> {
        let mut parser = Parser::new(bytes, Features::default());
        let mut seen = Vec::new();
        loop {
            if fast_customs {
                parser.skip_custom_sections(|range| seen.push(format!("custom {range:?}")));
            }
            match parser.next() {
                None => return seen,
                Some(Ok(Payload::CustomSection(c))) => seen.push(format!("custom {:?}", c.range)),
                Some(Ok(p)) => seen.push(format!("{p:?}").chars().take(12).collect()),
                Some(Err(e)) => seen.push(format!("error {:?} at {}", e.kind(), e.offset())),
            }
        }
    }

    /// A custom section with `name` and two bytes of data, its size in
    /// `size_bytes` LEB128 bytes (padded).
    fn custom(name: &[u8], size_bytes: usize) -> Vec<u8> {
        let size = 1 + name.len() + 2;
        let mut s = vec![0x00];
        for i in 0..size_bytes {
            let group = ((size >> (7 * i)) & 0x7f) as u8;
            s.push(if i + 1 < size_bytes {
                group | 0x80
            } else {
                group
            });
        }
        s.push(name.len() as u8);
        s.extend_from_slice(name);
        s.extend_from_slice(&[7, 8]);
        s
    }

    #[test]
    fn custom_ranges_are_those_of_the_payloads() {
        let names: [&[u8]; 6] = [
            b"",
            b"name",
            b"custom-123",
            "名前🦀".as_bytes(),
            b"bad\xff",
            b"\xc3",
        ];
        let type_section = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00];
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for name in names {
            for size_bytes in [1, 2, 5, 6] {
                let c = custom(name, size_bytes);
                cases.push(module(&c));
                cases.push(module(&[&c[..], &type_section, &c, &c].concat()));
                // Cut short anywhere: in the size, the name or the data.
                for cut in 1..c.len() {
                    cases.push(module(&[&type_section[..], &c[..cut]].concat()));
                }
            }
        }
        // A name longer than its section, a size past the module.
        cases.push(module(&[0x00, 0x02, 0x05, b'a']));
        cases.push(module(&[0x00, 0x7f, 0x00]));
        cases.push(HEADER[..6].to_vec());
        for bytes in &cases {
            assert_eq!(walk(bytes, true), walk(bytes, false), "{bytes:x?}");
        }
        // The fast path took the sections it should.
        let two = module(&[custom(b"a", 2), custom(b"b", 1)].concat());
        let mut parser = Parser::new(&two, Features::default());
        let mut ranges = Vec::new();
        parser.skip_custom_sections(|range| ranges.push(range));
        assert_eq!(ranges, [], "before the header");
        assert!(matches!(parser.next(), Some(Ok(Payload::Version { .. }))));
        parser.skip_custom_sections(|range| ranges.push(range));
        assert_eq!(ranges, [11..15, 17..21]);
        assert!(matches!(
            parser.next(),
            Some(Ok(Payload::End { offset: 21 }))
        ));
    }

    proptest::proptest! {
        /// Any bytes after the header, many of them custom-section-like.
        #[test]
        fn custom_ranges_agree_on_any_bytes(
            rest in proptest::collection::vec(
                proptest::prop_oneof![proptest::prelude::Just(0u8), 0u8..4, proptest::prelude::any::<u8>()],
                0..48,
            )
        ) {
            let bytes = module(&rest);
            proptest::prop_assert_eq!(walk(&bytes, true), walk(&bytes, false));
        }
    }
}
