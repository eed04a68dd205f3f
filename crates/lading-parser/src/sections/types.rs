//! The type section: recursion groups of subtypes of composite types.

use core::ops::Range;

use crate::{ErrorKind, FromReader, ItemList, Proposal, Reader, Result, SectionReader, ValType};

/// A reader of the type section: one [`RecGroup`] per entry.
pub type TypeSectionReader<'a> = SectionReader<'a, RecGroup<'a>>;

/// Fails with `FeatureDisabled(proposal)` at position `at` unless enabled.
pub(crate) fn require(reader: &Reader<'_>, proposal: Proposal, at: usize) -> Result<()> {
    if reader.features().has(proposal) {
        Ok(())
    } else {
        Err(reader.error_at(ErrorKind::FeatureDisabled(proposal), at))
    }
}

/// Reads a mutability byte: 0 is immutable, 1 mutable, anything else is
/// `malformed mutability`.
pub(crate) fn read_mutability(reader: &mut Reader<'_>) -> Result<bool> {
    let at = reader.position();
    match reader.read_u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(reader.error_at(ErrorKind::MalformedMutability, at)),
    }
}

/// One entry of the type section: an explicit recursion group (`0x4E`
/// vec(subtype)) or a single subtype standing for a group of one.
///
/// All subtypes are decoded (and checked) when the group is read;
/// [`RecGroup::types`] decodes them again lazily from the borrowed bytes.
#[derive(Clone, Debug)]
pub struct RecGroup<'a> {
    types: ItemList<'a, SubType<'a>>,
    explicit: bool,
    range: Range<usize>,
}

impl<'a> RecGroup<'a> {
    /// The subtypes of the group, in order.
    pub fn types(&self) -> &ItemList<'a, SubType<'a>> {
        &self.types
    }

    /// How many subtypes the group holds.
    pub fn len(&self) -> u32 {
        self.types.len()
    }

    /// Whether the group holds no subtype (an empty explicit `rec`).
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// Whether the group was written with `0x4E` rather than as one subtype.
    pub fn is_explicit(&self) -> bool {
        self.explicit
    }

    /// The absolute byte range of the entry.
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }
}

/// The start of a type section entry, read before any of its subtypes:
/// what the group declares, so that a caller can bound it before decoding
/// it (see [`RecGroup::read_header`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecGroupHeader {
    /// Whether the group is written with `0x4E` rather than as one subtype.
    pub explicit: bool,
    /// How many subtypes the group declares (1 for a bare subtype).
    pub count: u32,
    /// The absolute offset of the count (of the subtype, for a bare one).
    pub count_offset: usize,
}

impl<'a> RecGroup<'a> {
    /// Reads the start of a type section entry: `0x4E` and the subtype
    /// count of an explicit group (checking that GC is enabled), nothing
    /// for a bare subtype. `reader` is left at the first subtype; the
    /// subtypes are not read, so this costs the same whatever the count.
    pub fn read_header(reader: &mut Reader<'a>) -> Result<RecGroupHeader> {
        let at = reader.position();
        if reader.peek_u8()? != 0x4e {
            return Ok(RecGroupHeader {
                explicit: false,
                count: 1,
                count_offset: reader.offset(),
            });
        }
        require(reader, Proposal::Gc, at)?;
        reader.read_u8()?;
        let count_offset = reader.offset();
        let count = reader.read_count()?;
        Ok(RecGroupHeader {
            explicit: true,
            count,
            count_offset,
        })
    }
}

impl<'a> FromReader<'a> for RecGroup<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<RecGroup<'a>> {
        let start = reader.offset();
        let header = RecGroup::read_header(reader)?;
        Ok(RecGroup {
            types: ItemList::read_items(reader, header.count)?,
            explicit: header.explicit,
            range: start..reader.offset(),
        })
    }
}

/// A subtype: a composite type, whether it is final, and its declared
/// supertypes (`0x50`/`0x4F` vec(typeidx) comptype, or a bare comptype,
/// which is final and has no supertype).
#[derive(Clone, Debug)]
pub struct SubType<'a> {
    /// Whether no type may declare this one as its supertype.
    pub is_final: bool,
    /// The type indices of the declared supertypes.
    pub supertypes: ItemList<'a, u32>,
    /// The structure of the type.
    pub composite: CompositeType<'a>,
}

impl<'a> FromReader<'a> for SubType<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<SubType<'a>> {
        let at = reader.position();
        let byte = reader.peek_u8()?;
        if byte == 0x50 || byte == 0x4f {
            require(reader, Proposal::Gc, at)?;
            reader.read_u8()?;
            let supertypes = ItemList::read(reader)?;
            let composite = CompositeType::from_reader(reader)?;
            return Ok(SubType {
                is_final: byte == 0x4f,
                supertypes,
                composite,
            });
        }
        let supertypes = ItemList::read_items(reader, 0)?;
        let composite = CompositeType::from_reader(reader)?;
        Ok(SubType {
            is_final: true,
            supertypes,
            composite,
        })
    }
}

/// The structure of a defined type.
#[derive(Clone, Debug)]
pub enum CompositeType<'a> {
    /// `0x60`: a function type.
    Func(FuncType<'a>),
    /// `0x5F`: a struct type (GC).
    Struct(StructType<'a>),
    /// `0x5E`: an array type (GC).
    Array(ArrayType),
}

impl<'a> FromReader<'a> for CompositeType<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<CompositeType<'a>> {
        let at = reader.position();
        match reader.read_u8()? {
            0x60 => Ok(CompositeType::Func(FuncType::read_after_form(reader)?)),
            0x5f => {
                require(reader, Proposal::Gc, at)?;
                Ok(CompositeType::Struct(StructType {
                    fields: ItemList::read(reader)?,
                }))
            }
            0x5e => {
                require(reader, Proposal::Gc, at)?;
                Ok(CompositeType::Array(ArrayType(FieldType::from_reader(
                    reader,
                )?)))
            }
            // The reference interpreter reads the form as a signed 7-bit
            // LEB128: a continuation bit makes the encoding too long.
            byte if byte & 0x80 != 0 => {
                Err(reader.error_at(ErrorKind::IntegerRepresentationTooLong, at + 1))
            }
            _ => Err(reader.error_at(ErrorKind::MalformedCompositeType, at)),
        }
    }
}

/// A function type: parameter and result types, decoded lazily.
#[derive(Clone, Debug)]
pub struct FuncType<'a> {
    params: ItemList<'a, ValType>,
    results: ItemList<'a, ValType>,
}

impl<'a> FuncType<'a> {
    /// Reads `vec(valtype) vec(valtype)` (after the `0x60` form byte). More
    /// than one result needs multi-value.
    fn read_after_form(reader: &mut Reader<'a>) -> Result<FuncType<'a>> {
        let params = ItemList::read(reader)?;
        let at = reader.position();
        let results = ItemList::read(reader)?;
        if results.len() > 1 {
            require(reader, Proposal::MultiValue, at)?;
        }
        Ok(FuncType { params, results })
    }

    /// The parameter types.
    pub fn params(&self) -> &ItemList<'a, ValType> {
        &self.params
    }

    /// The result types.
    pub fn results(&self) -> &ItemList<'a, ValType> {
        &self.results
    }
}

/// A struct type: its fields, decoded lazily.
#[derive(Clone, Debug)]
pub struct StructType<'a> {
    /// The fields, in order.
    pub fields: ItemList<'a, FieldType>,
}

/// An array type: the type of its elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArrayType(pub FieldType);

/// The type of a struct field or of array elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldType {
    /// What the field stores.
    pub element_type: StorageType,
    /// Whether the field can be written.
    pub mutable: bool,
}

impl<'a> FromReader<'a> for FieldType {
    fn from_reader(reader: &mut Reader<'a>) -> Result<FieldType> {
        let element_type = StorageType::from_reader(reader)?;
        let mutable = read_mutability(reader)?;
        Ok(FieldType {
            element_type,
            mutable,
        })
    }
}

/// What a struct field or array element stores: a packed integer or a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageType {
    /// `0x78`: an 8-bit integer.
    I8,
    /// `0x77`: a 16-bit integer.
    I16,
    /// A value type.
    Val(ValType),
}

impl<'a> FromReader<'a> for StorageType {
    fn from_reader(reader: &mut Reader<'a>) -> Result<StorageType> {
        match reader.peek_u8()? {
            0x78 => {
                reader.read_u8()?;
                Ok(StorageType::I8)
            }
            0x77 => {
                reader.read_u8()?;
                Ok(StorageType::I16)
            }
            _ => Ok(StorageType::Val(ValType::from_reader(reader)?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Features;

    fn section(bytes: &[u8], features: Features) -> TypeSectionReader<'_> {
        TypeSectionReader::new(Reader::new_in_section(bytes, 0, features)).unwrap()
    }

    #[test]
    fn bare_func_type() {
        let bytes = [
            0x01, // one entry
            0x60, // func
            0x02, 0x7f, 0x7e, // params: i32 i64
            0x01, 0x7c, // results: f64
        ];
        let mut s = section(&bytes, Features::default());
        let group = s.next().unwrap().unwrap();
        assert!(!group.is_explicit());
        assert_eq!(group.len(), 1);
        assert_eq!(group.range(), 1..7);
        let sub = group.types().iter().next().unwrap();
        assert!(sub.is_final);
        assert!(sub.supertypes.is_empty());
        let CompositeType::Func(f) = sub.composite else {
            panic!("not a func type")
        };
        assert_eq!(
            f.params().iter().collect::<Vec<_>>(),
            [ValType::I32, ValType::I64]
        );
        assert_eq!(f.results().iter().collect::<Vec<_>>(), [ValType::F64]);
        assert!(s.next().is_none());
    }

    #[test]
    fn rec_group_of_sub_struct_and_array() {
        let bytes = [
            0x01, // one entry
            0x4e, 0x02, // rec, two subtypes
            0x50, 0x00, // sub, no supertypes
            0x5f, 0x02, // struct, two fields
            0x78, 0x01, // mut i8
            0x7f, 0x00, // i32
            0x4f, 0x01, 0x00, // sub final, supertype 0
            0x5e, 0x77, 0x00, // array of i16
        ];
        let group = section(&bytes, Features::default())
            .next()
            .unwrap()
            .unwrap();
        assert!(group.is_explicit());
        let subs: Vec<_> = group.types().iter().collect();
        assert_eq!(subs.len(), 2);
        assert!(!subs[0].is_final);
        let CompositeType::Struct(s) = &subs[0].composite else {
            panic!("not a struct")
        };
        let fields: Vec<_> = s.fields.iter().collect();
        assert_eq!(
            fields,
            [
                FieldType {
                    element_type: StorageType::I8,
                    mutable: true
                },
                FieldType {
                    element_type: StorageType::Val(ValType::I32),
                    mutable: false
                }
            ]
        );
        assert!(subs[1].is_final);
        assert_eq!(subs[1].supertypes.iter().collect::<Vec<_>>(), [0]);
        assert!(matches!(
            subs[1].composite,
            CompositeType::Array(ArrayType(FieldType {
                element_type: StorageType::I16,
                mutable: false
            }))
        ));
    }

    #[test]
    fn header_before_the_subtypes() {
        // At absolute offset 10: rec, a count of 2^32 - 1 (5 bytes), and no
        // subtype behind it: the header reads, the group does not.
        let bytes = [0x4e, 0xff, 0xff, 0xff, 0xff, 0x0f];
        let mut r = Reader::new_in_section(&bytes, 10, Features::default());
        let header = RecGroup::read_header(&mut r).unwrap();
        assert_eq!(
            header,
            RecGroupHeader {
                explicit: true,
                count: u32::MAX,
                count_offset: 11
            }
        );
        assert_eq!(r.offset(), 16);
        let mut r = Reader::new_in_section(&bytes, 10, Features::default());
        assert!(RecGroup::from_reader(&mut r).is_err());
        // A bare subtype: a group of one, nothing read.
        let bytes = [0x60, 0x00, 0x00];
        let mut r = Reader::new_in_section(&bytes, 10, Features::default());
        let header = RecGroup::read_header(&mut r).unwrap();
        assert_eq!(
            (header.explicit, header.count, header.count_offset),
            (false, 1, 10)
        );
        assert_eq!(r.offset(), 10);
        // rec without GC: the same error as reading the group.
        let bytes = [0x4e, 0x00];
        let mut r = Reader::new_in_section(&bytes, 10, Features::WASM2);
        let e = RecGroup::read_header(&mut r).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::FeatureDisabled(Proposal::Gc), 10)
        );
    }

    fn first_error(bytes: &[u8], features: Features) -> (ErrorKind, usize) {
        let e = section(bytes, features)
            .find_map(|r| r.err())
            .expect("an error");
        (e.kind(), e.offset())
    }

    #[test]
    fn errors() {
        // Unknown composite form 0x40.
        assert_eq!(
            first_error(&[0x01, 0x40], Features::default()),
            (ErrorKind::MalformedCompositeType, 1)
        );
        // Form -0x20 as a two-byte signed LEB128.
        assert_eq!(
            first_error(&[0x01, 0xe0, 0x7f, 0x00, 0x00], Features::default()),
            (ErrorKind::IntegerRepresentationTooLong, 2)
        );
        // Field mutability 2.
        assert_eq!(
            first_error(&[0x01, 0x5e, 0x7f, 0x02], Features::default()),
            (ErrorKind::MalformedMutability, 3)
        );
        // Param type 0x40 is not a value type.
        assert_eq!(
            first_error(&[0x01, 0x60, 0x01, 0x40, 0x00], Features::default()),
            (ErrorKind::MalformedValueType, 3)
        );
        // Struct without GC.
        assert_eq!(
            first_error(&[0x01, 0x5f, 0x00], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Gc), 1)
        );
        // rec without GC.
        assert_eq!(
            first_error(&[0x01, 0x4e, 0x00], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Gc), 1)
        );
        // Two results without multi-value.
        assert_eq!(
            first_error(&[0x01, 0x60, 0x00, 0x02, 0x7f, 0x7f], Features::WASM1),
            (ErrorKind::FeatureDisabled(Proposal::MultiValue), 3)
        );
        // Rec group declaring 2 subtypes with only one present.
        assert_eq!(
            first_error(&[0x01, 0x4e, 0x02, 0x60, 0x00, 0x00], Features::default()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 6)
        );
        // A byte left after the last entry.
        assert_eq!(
            first_error(&[0x01, 0x60, 0x00, 0x00, 0x00], Features::default()),
            (ErrorKind::SectionSizeMismatch, 4)
        );
    }
}
