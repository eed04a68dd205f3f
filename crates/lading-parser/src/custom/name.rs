//! The `name` custom section (spec appendix "Name Section", extended by the
//! extended-name-section and GC proposals).
//!
//! ```text
//! namesec    ::= section_0(namedata)
//! namedata   ::= n:name (= "name") subsec*          -- the payload starts at subsec*
//! subsec     ::= id:byte size:u32 contents           -- contents are exactly `size` bytes
//! namemap    ::= vec(idx:u32 name)
//! indirectnamemap ::= vec(idx:u32 namemap)
//! ```

use core::ops::Range;

use crate::{Error, ErrorKind, Features, FromReader, Reader, Result, SectionReader};

/// A vector of entries in increasing index order, decoded lazily: the
/// shape of [`NameMap`] and [`IndirectNameMap`].
///
/// Iterating yields each entry. An index not greater than the previous one
/// is an `out of order name index` error (the spec requires unique indices
/// in increasing order); bytes left after the last entry are a `section
/// size mismatch`. After the first error the iterator yields `None` for
/// good.
#[derive(Clone, Debug)]
pub struct IndexedMap<'a, T> {
    entries: SectionReader<'a, T>,
    last_index: Option<u32>,
    done: bool,
}

/// A name map: (index, name) pairs in increasing index order.
pub type NameMap<'a> = IndexedMap<'a, Naming<'a>>;

/// An indirect name map: (index, [`NameMap`]) pairs in increasing index
/// order, for names of things nested in another index space (locals of
/// functions, labels of functions, fields of types).
pub type IndirectNameMap<'a> = IndexedMap<'a, IndirectNaming<'a>>;

/// An entry of an [`IndexedMap`]: it names the thing at an index.
pub trait Indexed {
    /// The index the entry is about.
    fn index(&self) -> u32;
}

impl Indexed for Naming<'_> {
    fn index(&self) -> u32 {
        self.index
    }
}

impl Indexed for IndirectNaming<'_> {
    fn index(&self) -> u32 {
        self.index
    }
}

impl<'a, T: FromReader<'a>> IndexedMap<'a, T> {
    /// Reads the count of a map spanning exactly `data`, whose first byte is
    /// at absolute offset `offset`.
    pub fn new(data: &'a [u8], offset: usize) -> Result<IndexedMap<'a, T>> {
        IndexedMap::from_contents(Reader::new_in_section(data, offset, Features::default()))
    }

    fn from_contents(reader: Reader<'a>) -> Result<IndexedMap<'a, T>> {
        Ok(IndexedMap {
            entries: SectionReader::new(reader)?,
            last_index: None,
            done: false,
        })
    }

    /// The number of entries the map declares.
    pub fn item_count(&self) -> u32 {
        self.entries.item_count()
    }

    /// The absolute byte range of the map (count included).
    pub fn range(&self) -> Range<usize> {
        self.entries.range()
    }
}

impl<'a, T: FromReader<'a> + Indexed> Iterator for IndexedMap<'a, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        let start = self.entries.offset();
        match self.entries.next() {
            Some(Ok(entry)) => {
                let index = entry.index();
                if self.last_index.is_some_and(|last| index <= last) {
                    self.done = true;
                    return Some(Err(Error::new(ErrorKind::NameIndexOutOfOrder, start)));
                }
                self.last_index = Some(index);
                Some(Ok(entry))
            }
            Some(Err(e)) => {
                self.done = true;
                Some(Err(e))
            }
            None => {
                self.done = true;
                None
            }
        }
    }
}

/// One entry of a [`NameMap`]: the name of the thing at `index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Naming<'a> {
    /// The index in the subsection's index space.
    pub index: u32,
    /// The name, checked UTF-8.
    pub name: &'a str,
}

impl<'a> FromReader<'a> for Naming<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<Naming<'a>> {
        let index = reader.read_var_u32()?;
        let name = reader.read_name()?;
        Ok(Naming { index, name })
    }
}

/// One entry of an [`IndirectNameMap`]: the names of the things nested in
/// the thing at `index`.
#[derive(Clone, Debug)]
pub struct IndirectNaming<'a> {
    /// The index of the outer thing (e.g. a function index).
    pub index: u32,
    /// The names of the inner things (e.g. the function's locals).
    pub names: NameMap<'a>,
}

impl<'a> FromReader<'a> for IndirectNaming<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<IndirectNaming<'a>> {
        let index = reader.read_var_u32()?;
        // Find where the inner name map ends by reading it once with a copy
        // of the reader, then hand its exact bytes to a lazy reader.
        let mut scan = reader.clone();
        let start = scan.position();
        let count = scan.read_len()?;
        for _ in 0..count {
            Naming::from_reader(&mut scan)?;
        }
        let len = scan.position() - start;
        let names = NameMap::from_contents(reader.sub_reader(len)?)?;
        Ok(IndirectNaming { index, names })
    }
}

/// One subsection of the `name` section.
#[derive(Clone, Debug)]
pub enum Name<'a> {
    /// Subsection 0: the module's name.
    Module {
        /// The name.
        name: &'a str,
        /// The absolute byte range of the subsection's contents.
        range: Range<usize>,
    },
    /// Subsection 1: function names.
    Function(NameMap<'a>),
    /// Subsection 2: local names, per function.
    Local(IndirectNameMap<'a>),
    /// Subsection 3: label names, per function.
    Label(IndirectNameMap<'a>),
    /// Subsection 4: type names.
    Type(NameMap<'a>),
    /// Subsection 5: table names.
    Table(NameMap<'a>),
    /// Subsection 6: memory names.
    Memory(NameMap<'a>),
    /// Subsection 7: global names.
    Global(NameMap<'a>),
    /// Subsection 8: element segment names.
    Element(NameMap<'a>),
    /// Subsection 9: data segment names.
    Data(NameMap<'a>),
    /// Subsection 10: field names, per struct type.
    Field(IndirectNameMap<'a>),
    /// Subsection 11: tag names.
    Tag(NameMap<'a>),
    /// A subsection with an id this decoder does not know; not an error.
    Unknown {
        /// The subsection id.
        id: u8,
        /// The subsection's contents.
        data: &'a [u8],
        /// The absolute byte range of the contents.
        range: Range<usize>,
    },
}

impl Name<'_> {
    /// The subsection id.
    pub fn id(&self) -> u8 {
        match self {
            Name::Module { .. } => 0,
            Name::Function(_) => 1,
            Name::Local(_) => 2,
            Name::Label(_) => 3,
            Name::Type(_) => 4,
            Name::Table(_) => 5,
            Name::Memory(_) => 6,
            Name::Global(_) => 7,
            Name::Element(_) => 8,
            Name::Data(_) => 9,
            Name::Field(_) => 10,
            Name::Tag(_) => 11,
            Name::Unknown { id, .. } => *id,
        }
    }
}

/// A reader of the `name` section's payload (after the section name),
/// yielding one [`Name`] per subsection.
///
/// Each subsection is `id:byte size:u32 contents`. A size running past the
/// payload is `length out of bounds`. The spec requires every subsection to
/// occur at most once and in order of increasing id: an id not greater than
/// the previous one yields an `out of order name subsection` error item.
/// The module name subsection must end exactly at its size (`section size
/// mismatch`); the name maps of the other subsections are decoded lazily and
/// report bytes left over at the end of their own iteration. After the first
/// error the iterator yields `None` for good. Nothing allocates.
///
/// ```
/// use lading_parser::{Name, NameSectionReader};
/// // Subsection 1 (function names), 5 bytes: one entry, function 2 is "f".
/// let payload = [0x01, 0x04, 0x01, 0x02, 0x01, b'f'];
/// let mut names = NameSectionReader::new(&payload, 0);
/// let Some(Ok(Name::Function(mut map))) = names.next() else { panic!() };
/// let naming = map.next().unwrap().unwrap();
/// assert_eq!((naming.index, naming.name), (2, "f"));
/// ```
#[derive(Clone, Debug)]
pub struct NameSectionReader<'a> {
    reader: Reader<'a>,
    last_id: Option<u8>,
    done: bool,
}

impl<'a> NameSectionReader<'a> {
    /// A reader of the payload `data`, whose first byte is at absolute
    /// offset `offset`.
    pub fn new(data: &'a [u8], offset: usize) -> NameSectionReader<'a> {
        NameSectionReader {
            reader: Reader::new_in_section(data, offset, Features::default()),
            last_id: None,
            done: false,
        }
    }

    /// The absolute offset of the next subsection.
    pub fn offset(&self) -> usize {
        self.reader.offset()
    }

    fn read_subsection(&mut self) -> Result<Name<'a>> {
        let id_pos = self.reader.position();
        let id = self.reader.read_u8()?;
        if self.last_id.is_some_and(|last| id <= last) {
            return Err(self
                .reader
                .error_at(ErrorKind::NameSubsectionOutOfOrder, id_pos));
        }
        self.last_id = Some(id);
        let size = self.reader.read_len()?;
        let mut contents = self.reader.sub_reader(size as usize)?;
        let range = contents.base()..contents.base() + contents.data().len();
        Ok(match id {
            0 => {
                let name = contents.read_name()?;
                if !contents.is_empty() {
                    return Err(contents.error(ErrorKind::SectionSizeMismatch));
                }
                Name::Module { name, range }
            }
            1 => Name::Function(NameMap::from_contents(contents)?),
            2 => Name::Local(IndirectNameMap::from_contents(contents)?),
            3 => Name::Label(IndirectNameMap::from_contents(contents)?),
            4 => Name::Type(NameMap::from_contents(contents)?),
            5 => Name::Table(NameMap::from_contents(contents)?),
            6 => Name::Memory(NameMap::from_contents(contents)?),
            7 => Name::Global(NameMap::from_contents(contents)?),
            8 => Name::Element(NameMap::from_contents(contents)?),
            9 => Name::Data(NameMap::from_contents(contents)?),
            10 => Name::Field(IndirectNameMap::from_contents(contents)?),
            11 => Name::Tag(NameMap::from_contents(contents)?),
            id => Name::Unknown {
                id,
                data: contents.data(),
                range,
            },
        })
    }
}

impl<'a> Iterator for NameSectionReader<'a> {
    type Item = Result<Name<'a>, Error>;

    fn next(&mut self) -> Option<Result<Name<'a>>> {
        if self.done || self.reader.is_empty() {
            return None;
        }
        let item = self.read_subsection();
        if item.is_err() {
            self.done = true;
        }
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<'a>(map: NameMap<'a>) -> Vec<(u32, &'a str)> {
        map.map(|n| n.map(|n| (n.index, n.name)))
            .collect::<Result<Vec<_>>>()
            .unwrap()
    }

    #[test]
    fn module_function_and_local_names() {
        let bytes = [
            0x00, 0x04, // subsection 0 (module name), 4 bytes
            0x03, b'a', b'b', b'c', // name "abc"
            0x01, 0x06, // subsection 1 (function names), 6 bytes
            0x02, // 2 namings
            0x00, 0x01, b'f', // function 0: "f"
            0x05, 0x00, // function 5: ""
            0x02, 0x08, // subsection 2 (local names), 8 bytes
            0x01, // 1 indirect naming
            0x03, // function 3
            0x02, // 2 namings
            0x00, 0x01, b'x', // local 0: "x"
            0x01, 0x00, // local 1: ""
        ];
        let mut r = NameSectionReader::new(&bytes, 100);
        match r.next().unwrap().unwrap() {
            Name::Module { name, range } => {
                assert_eq!(name, "abc");
                assert_eq!(range, 102..106);
            }
            other => panic!("{other:?}"),
        }
        match r.next().unwrap().unwrap() {
            Name::Function(map) => {
                assert_eq!(map.item_count(), 2);
                assert_eq!(names(map), [(0, "f"), (5, "")]);
            }
            other => panic!("{other:?}"),
        }
        match r.next().unwrap().unwrap() {
            Name::Local(map) => {
                let entries: Vec<_> = map.collect::<Result<_>>().unwrap();
                assert_eq!(entries.len(), 1);
                assert_eq!(entries[0].index, 3);
                assert_eq!(names(entries[0].names.clone()), [(0, "x"), (1, "")]);
            }
            other => panic!("{other:?}"),
        }
        assert!(r.next().is_none());
    }

    #[test]
    fn extended_and_unknown_subsections() {
        let bytes = [
            0x04, 0x04, // subsection 4 (type names), 4 bytes
            0x01, 0x07, 0x01, b't', // type 7: "t"
            0x0a, 0x06, // subsection 10 (field names), 6 bytes
            0x01, 0x02, // 1 entry: type 2
            0x01, 0x00, 0x01, b'g', // field 0: "g"
            0x0b, 0x04, // subsection 11 (tag names), 4 bytes
            0x01, 0x00, 0x01, b'e', // tag 0: "e"
            0x20, 0x02, 0xaa, 0xbb, // subsection 0x20 (unknown), 2 bytes
        ];
        let r = NameSectionReader::new(&bytes, 0);
        let items: Vec<_> = r.collect::<Result<_>>().unwrap();
        let ids: Vec<u8> = items.iter().map(Name::id).collect();
        assert_eq!(ids, [4, 10, 11, 0x20]);
        match &items[3] {
            Name::Unknown { id, data, range } => {
                assert_eq!(
                    (*id, *data, range.clone()),
                    (0x20, &[0xaa, 0xbb][..], 22..24)
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn out_of_order_subsection_is_an_error_item() {
        let bytes = [
            0x01, 0x01, 0x00, // subsection 1, 1 byte: empty name map
            0x01, 0x01, 0x00, // subsection 1 again
            0x02, 0x01, 0x00, // subsection 2 (never reached)
        ];
        let mut r = NameSectionReader::new(&bytes, 10);
        assert!(r.next().unwrap().is_ok());
        let e = r.next().unwrap().unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::NameSubsectionOutOfOrder, 13)
        );
        assert!(r.next().is_none());
    }

    #[test]
    fn module_name_must_fill_its_subsection() {
        let bytes = [
            0x00, 0x03, // subsection 0, 3 bytes
            0x01, b'a', // name "a"
            0xff, // one byte too many
        ];
        let e = NameSectionReader::new(&bytes, 0)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::SectionSizeMismatch, 4));
    }

    #[test]
    fn name_map_leftover_and_bad_sizes() {
        let bytes = [
            0x01, 0x05, // subsection 1, 5 bytes
            0x01, 0x00, 0x01, b'f', // 1 naming: 0 -> "f"
            0x00, // leftover byte
        ];
        let mut r = NameSectionReader::new(&bytes, 0);
        let Name::Function(mut map) = r.next().unwrap().unwrap() else {
            panic!("function names expected")
        };
        assert_eq!(
            map.next(),
            Some(Ok(Naming {
                index: 0,
                name: "f"
            }))
        );
        let e = map.next().unwrap().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::SectionSizeMismatch, 6));
        // Subsection size past the end of the payload.
        let bytes = [0x01, 0x09, 0x00];
        let e = NameSectionReader::new(&bytes, 0)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::LengthOutOfBounds, 1));
        // Truncated: an id with no size.
        let e = NameSectionReader::new(&[0x01], 0)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnexpectedEndOfSectionOrFunction);
    }

    #[test]
    fn bad_utf8_in_indirect_map() {
        let bytes = [
            0x02, 0x06, // subsection 2, 6 bytes
            0x01, 0x00, // 1 entry: function 0
            0x01, 0x00, 0x01, 0xff, // local 0: invalid UTF-8
        ];
        let Some(Ok(Name::Local(mut map))) = NameSectionReader::new(&bytes, 0).next() else {
            panic!("local names expected")
        };
        let e = map.next().unwrap().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::MalformedUtf8, 6));
        assert!(map.next().is_none());
    }

    #[test]
    fn name_map_indices_must_increase() {
        let bytes = [
            0x03, // 3 namings
            0x02, 0x01, b'a', // index 2: "a"
            0x02, 0x01, b'b', // index 2 again: out of order
            0x05, 0x01, b'c', // never reached
        ];
        let mut map = NameMap::new(&bytes, 30).unwrap();
        assert_eq!(
            map.next(),
            Some(Ok(Naming {
                index: 2,
                name: "a"
            }))
        );
        let e = map.next().unwrap().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::NameIndexOutOfOrder, 34));
        assert!(map.next().is_none());
        let bytes = [
            0x02, // 2 entries
            0x03, 0x00, // function 3: no names
            0x01, 0x00, // function 1: out of order
        ];
        let mut map = IndirectNameMap::new(&bytes, 0).unwrap();
        assert_eq!(map.next().unwrap().unwrap().index, 3);
        let e = map.next().unwrap().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::NameIndexOutOfOrder, 3));
        assert!(map.next().is_none());
    }
}
