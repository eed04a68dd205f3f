//! Value types, reference types and heap types.

use crate::{ErrorKind, FromReader, Proposal, Reader, Result};

/// A value type: a number, a vector or a reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `v128` (SIMD)
    V128,
    /// A reference type.
    Ref(RefType),
}

/// A reference type: a heap type and whether `null` is a value of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RefType {
    /// Whether the type includes `null` (`ref null ht`).
    pub nullable: bool,
    /// What the reference points to.
    pub heap_type: HeapType,
}

/// What a reference points to: an abstract heap type or a defined type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeapType {
    /// One of the built-in heap types.
    Abstract(AbstractHeapType),
    /// A type index into the module's types.
    Concrete(u32),
}

/// The built-in heap types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbstractHeapType {
    /// `func` (0x70)
    Func,
    /// `extern` (0x6F)
    Extern,
    /// `any` (0x6E)
    Any,
    /// `eq` (0x6D)
    Eq,
    /// `i31` (0x6C)
    I31,
    /// `struct` (0x6B)
    Struct,
    /// `array` (0x6A)
    Array,
    /// `exn` (0x69)
    Exn,
    /// `none` (0x71), the bottom of `any`.
    None,
    /// `nofunc` (0x73), the bottom of `func`.
    NoFunc,
    /// `noextern` (0x72), the bottom of `extern`.
    NoExtern,
    /// `noexn` (0x74), the bottom of `exn`.
    NoExn,
}

impl AbstractHeapType {
    /// The abstract heap type a one-byte code stands for, if any.
    #[inline]
    pub const fn from_byte(byte: u8) -> Option<AbstractHeapType> {
        use AbstractHeapType::*;
        Some(match byte {
            0x70 => Func,
            0x6F => Extern,
            0x6E => Any,
            0x6D => Eq,
            0x6C => I31,
            0x6B => Struct,
            0x6A => Array,
            0x69 => Exn,
            0x71 => None,
            0x73 => NoFunc,
            0x72 => NoExtern,
            0x74 => NoExn,
            _ => return Option::None,
        })
    }

    /// The proposal that introduced this heap type.
    pub const fn proposal(self) -> Proposal {
        use AbstractHeapType::*;
        match self {
            Func | Extern => Proposal::ReferenceTypes,
            Exn | NoExn => Proposal::Exceptions,
            Any | Eq | I31 | Struct | Array | None | NoFunc | NoExtern => Proposal::Gc,
        }
    }
}

impl RefType {
    /// `funcref`, i.e. `(ref null func)`.
    pub const FUNCREF: RefType = RefType::nullable(AbstractHeapType::Func);
    /// `externref`, i.e. `(ref null extern)`.
    pub const EXTERNREF: RefType = RefType::nullable(AbstractHeapType::Extern);

    const fn nullable(ty: AbstractHeapType) -> RefType {
        RefType {
            nullable: true,
            heap_type: HeapType::Abstract(ty),
        }
    }
}

fn require(reader: &Reader<'_>, proposal: Proposal, at: usize) -> Result<()> {
    if reader.features().has(proposal) {
        Ok(())
    } else {
        Err(reader.error_at(ErrorKind::FeatureDisabled(proposal), at))
    }
}

impl<'a> FromReader<'a> for HeapType {
    fn from_reader(reader: &mut Reader<'a>) -> Result<HeapType> {
        // Type indices of one and two bytes (the last one's sign bit clear)
        // with function references enabled.
        if reader.features().has(Proposal::FunctionReferences) {
            match *reader.remaining_bytes() {
                [b0 @ 0..0x40, ..] => {
                    reader.skip(1)?;
                    return Ok(HeapType::Concrete(u32::from(b0)));
                }
                [b0 @ 0x80..=0xff, b1 @ 0..0x40, ..] => {
                    reader.skip(2)?;
                    return Ok(HeapType::Concrete(
                        u32::from(b0 & 0x7f) | u32::from(b1) << 7,
                    ));
                }
                _ => {}
            }
        }
        heap_type_exact(reader)
    }
}

/// [`HeapType::from_reader`] without its fast path.
fn heap_type_exact(reader: &mut Reader<'_>) -> Result<HeapType> {
    let at = reader.position();
    if let Some(ty) = AbstractHeapType::from_byte(reader.peek_u8()?) {
        require(reader, ty.proposal(), at)?;
        reader.read_u8()?;
        return Ok(HeapType::Abstract(ty));
    }
    let index = reader.read_var_s33()?;
    if index < 0 {
        return Err(reader.error_at(ErrorKind::MalformedHeapType, at));
    }
    require(reader, Proposal::FunctionReferences, at)?;
    // A non-negative s33 fits 32 bits.
    Ok(HeapType::Concrete(index as u32))
}

/// Reads the reference type that starts with `byte` (already consumed, at
/// position `at`); `None` if `byte` does not start a reference type.
fn ref_type_after(reader: &mut Reader<'_>, byte: u8, at: usize) -> Result<Option<RefType>> {
    match byte {
        0x63 | 0x64 => {
            require(reader, Proposal::FunctionReferences, at)?;
            let heap_type = HeapType::from_reader(reader)?;
            Ok(Some(RefType {
                nullable: byte == 0x63,
                heap_type,
            }))
        }
        _ => match AbstractHeapType::from_byte(byte) {
            Some(ty) => {
                require(reader, ty.proposal(), at)?;
                Ok(Some(RefType::nullable(ty)))
            }
            None => Ok(None),
        },
    }
}

impl<'a> FromReader<'a> for RefType {
    fn from_reader(reader: &mut Reader<'a>) -> Result<RefType> {
        let at = reader.position();
        let byte = reader.read_u8()?;
        match ref_type_after(reader, byte, at)? {
            Some(ty) => Ok(ty),
            None => Err(reader.error_at(ErrorKind::MalformedReferenceType, at)),
        }
    }
}

impl ValType {
    /// Reads the value type that starts with `byte`, already consumed at
    /// position `at`.
    #[inline]
    pub fn from_byte(reader: &mut Reader<'_>, byte: u8, at: usize) -> Result<ValType> {
        Ok(match byte {
            0x7F => ValType::I32,
            0x7E => ValType::I64,
            0x7D => ValType::F32,
            0x7C => ValType::F64,
            0x7B => {
                require(reader, Proposal::Simd, at)?;
                ValType::V128
            }
            _ => match ref_type_after(reader, byte, at)? {
                Some(ty) => ValType::Ref(ty),
                None => return Err(reader.error_at(ErrorKind::MalformedValueType, at)),
            },
        })
    }
}

impl<'a> FromReader<'a> for ValType {
    #[inline]
    fn from_reader(reader: &mut Reader<'a>) -> Result<ValType> {
        // Numbers, and `ref` and `ref null` with a type index of one or two
        // bytes (the last one's sign bit clear) with function references
        // enabled.
        let funcrefs = reader.features().has(Proposal::FunctionReferences);
        let concrete = |lead: u8, index: u32| {
            ValType::Ref(RefType {
                nullable: lead == 0x63,
                heap_type: HeapType::Concrete(index),
            })
        };
        let fast = match *reader.remaining_bytes() {
            [0x7f, ..] => Some((ValType::I32, 1)),
            [0x7e, ..] => Some((ValType::I64, 1)),
            [0x7d, ..] => Some((ValType::F32, 1)),
            [0x7c, ..] => Some((ValType::F64, 1)),
            [lead @ (0x63 | 0x64), b0 @ 0..0x40, ..] if funcrefs => {
                Some((concrete(lead, u32::from(b0)), 2))
            }
            [lead @ (0x63 | 0x64), b0 @ 0x80..=0xff, b1 @ 0..0x40, ..] if funcrefs => {
                Some((concrete(lead, u32::from(b0 & 0x7f) | u32::from(b1) << 7), 3))
            }
            _ => None,
        };
        if let Some((ty, len)) = fast {
            reader.skip(len)?;
            return Ok(ty);
        }
        val_type_exact(reader)
    }
}

/// [`ValType::from_reader`] without its fast path.
fn val_type_exact(reader: &mut Reader<'_>) -> Result<ValType> {
    let at = reader.position();
    let byte = reader.read_u8()?;
    ValType::from_byte(reader, byte, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Features;

    fn val(bytes: &[u8], features: Features) -> Result<ValType> {
        ValType::from_reader(&mut Reader::new_in_section(bytes, 0, features))
    }

    #[test]
    fn numbers_vectors_and_shorthands() {
        let all = Features::default();
        assert_eq!(val(&[0x7f], all), Ok(ValType::I32));
        assert_eq!(val(&[0x7b], all), Ok(ValType::V128));
        assert_eq!(val(&[0x70], all), Ok(ValType::Ref(RefType::FUNCREF)));
        assert_eq!(val(&[0x6f], all), Ok(ValType::Ref(RefType::EXTERNREF)));
        assert_eq!(
            val(&[0x40], all).unwrap_err().kind(),
            ErrorKind::MalformedValueType
        );
        let e = val(&[0x7b], Features::WASM1).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::FeatureDisabled(Proposal::Simd));
    }

    #[test]
    fn ref_with_heap_types() {
        let all = Features::default();
        let t = val(&[0x64, 0x05], all).unwrap();
        assert_eq!(
            t,
            ValType::Ref(RefType {
                nullable: false,
                heap_type: HeapType::Concrete(5)
            })
        );
        let t = val(&[0x63, 0x6e], all).unwrap();
        let any = HeapType::Abstract(AbstractHeapType::Any);
        assert_eq!(
            t,
            ValType::Ref(RefType {
                nullable: true,
                heap_type: any
            })
        );
        // Type index 200 needs two bytes of s33.
        let t = val(&[0x64, 0xc8, 0x01], all).unwrap();
        assert_eq!(
            t,
            ValType::Ref(RefType {
                nullable: false,
                heap_type: HeapType::Concrete(200)
            })
        );
        assert_eq!(
            val(&[0x64, 0x40], all).unwrap_err().kind(),
            ErrorKind::MalformedHeapType
        );
        let e = val(&[0x63, 0x6e], Features::WASM2).unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::FeatureDisabled(Proposal::FunctionReferences)
        );
    }

    /// The fast path for short type indices gives what the exact path
    /// gives (the heap type and where it ends, or the same error), for every
    /// first two bytes, with and without function references.
    #[test]
    fn heap_type_fast_path_agrees() {
        let features = [
            Features::default(),
            Features::default().without(Proposal::FunctionReferences),
            Features::WASM2,
        ];
        for b0 in 0..=0xffu8 {
            for b1 in 0..=0xffu8 {
                let bytes = [b0, b1, 0x00, 0x80, 0x01];
                for &f in &features {
                    let mut fast = Reader::new_in_section(&bytes, 7, f);
                    let mut exact = Reader::new_in_section(&bytes, 7, f);
                    assert_eq!(
                        HeapType::from_reader(&mut fast).map(|t| (t, fast.position())),
                        heap_type_exact(&mut exact).map(|t| (t, exact.position())),
                        "{bytes:02x?} {f:?}"
                    );
                }
            }
        }
    }

    /// The value type fast path gives what the exact path gives, for every
    /// first two bytes and several third ones, with and without function
    /// references.
    #[test]
    fn val_type_fast_path_agrees() {
        let features = [
            Features::default(),
            Features::default().without(Proposal::FunctionReferences),
            Features::WASM2,
        ];
        for b0 in 0..=0xffu8 {
            for b1 in 0..=0xffu8 {
                for b2 in [0x00u8, 0x01, 0x3f, 0x40, 0x7f, 0x80] {
                    let bytes = [b0, b1, b2, 0x00, 0x80, 0x01];
                    for &f in &features {
                        let mut fast = Reader::new_in_section(&bytes, 7, f);
                        let mut exact = Reader::new_in_section(&bytes, 7, f);
                        assert_eq!(
                            ValType::from_reader(&mut fast).map(|t| (t, fast.position())),
                            val_type_exact(&mut exact).map(|t| (t, exact.position())),
                            "{bytes:02x?} {f:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn reference_types_only() {
        let mut r = Reader::new_in_section(&[0x7f], 0, Features::default());
        assert_eq!(
            RefType::from_reader(&mut r).unwrap_err().kind(),
            ErrorKind::MalformedReferenceType
        );
    }
}
