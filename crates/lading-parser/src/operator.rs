//! One WebAssembly instruction with its decoded immediates, and the types of
//! those immediates.
//!
//! The [`Operator`] enum, its decoder and [`Operator::name`] are all
//! generated from the single instruction list in `operator_table.rs`.

use crate::operator_table::for_each_instruction;
use crate::{ErrorKind, FromReader, HeapType, Proposal, Reader, RefType, Result, ValType};

/// The type of a `block`, `loop`, `if`, `try` or `try_table`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockType {
    /// No parameters, no results (`0x40`).
    Empty,
    /// No parameters, one result of this type.
    Type(ValType),
    /// The parameters and results of the function type at this index
    /// (a non-negative `s33`; needs multi-value).
    FuncType(u32),
}

/// The immediate of a load, store or atomic instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemArg {
    /// The log2 of the alignment hint (0..=63; validation bounds it further).
    pub align: u32,
    /// The memory index: 0 unless bit 6 of the flags announced one.
    pub memory: u32,
    /// The constant offset added to the address (a `u64` when memory64 is
    /// enabled, a `u32` otherwise).
    pub offset: u64,
}

/// A 32-bit float, by its bits, so that NaN payloads survive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ieee32(pub u32);

/// A 64-bit float, by its bits, so that NaN payloads survive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ieee64(pub u64);

impl Ieee32 {
    /// The float these bits encode.
    pub fn to_f32(self) -> f32 {
        f32::from_bits(self.0)
    }
}

impl Ieee64 {
    /// The float these bits encode.
    pub fn to_f64(self) -> f64 {
        f64::from_bits(self.0)
    }
}

/// A 128-bit vector constant, in the byte order of the encoding (little
/// endian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct V128(pub [u8; 16]);

impl V128 {
    /// The vector as a little-endian `u128`.
    pub fn to_u128(self) -> u128 {
        u128::from_le_bytes(self.0)
    }
}

/// The memory ordering of `atomic.fence`: its reserved byte must be zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ordering {
    /// Sequentially consistent (`0x00`), the only ordering of the threads
    /// proposal.
    SeqCst,
}

/// The immediate of `br_on_cast` and `br_on_cast_fail`: a flags byte (bit 0:
/// the source type is nullable, bit 1: the target type is nullable), a
/// label, then the source and target heap types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CastBranch {
    /// The label to branch to.
    pub relative_depth: u32,
    /// The type of the operand.
    pub from: RefType,
    /// The type cast to.
    pub to: RefType,
}

/// The labels of a `br_table`, borrowed from the code: a count, the targets,
/// then the default label.
#[derive(Clone, Debug)]
pub struct BrTable<'a> {
    count: u32,
    default: u32,
    targets: Reader<'a>,
}

impl<'a> BrTable<'a> {
    /// The number of targets, without the default.
    pub fn len(&self) -> u32 {
        self.count
    }

    /// Whether there are no targets besides the default.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The label taken when the operand is out of range.
    pub fn default(&self) -> u32 {
        self.default
    }

    /// The targets, in order. They were checked when the instruction was
    /// decoded, so the iterator yields only `Ok` values.
    pub fn targets(&self) -> BrTableTargets<'a> {
        BrTableTargets {
            reader: self.targets.clone(),
            remaining: self.count,
        }
    }
}

/// An iterator over the targets of a [`BrTable`].
#[derive(Clone, Debug)]
pub struct BrTableTargets<'a> {
    reader: Reader<'a>,
    remaining: u32,
}

impl Iterator for BrTableTargets<'_> {
    type Item = Result<u32>;

    fn next(&mut self) -> Option<Result<u32>> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let target = self.reader.read_var_u32();
        if target.is_err() {
            self.remaining = 0;
        }
        Some(target)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining as usize))
    }
}

/// The value types of `select t*` (`0x1C`), borrowed from the code.
#[derive(Clone, Debug)]
pub struct SelectTypes<'a> {
    count: u32,
    types: Reader<'a>,
}

impl<'a> SelectTypes<'a> {
    /// The number of types (1 in valid code).
    pub fn len(&self) -> u32 {
        self.count
    }

    /// Whether the list is empty (invalid, but well-formed).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The types, in order. They were checked when the instruction was
    /// decoded.
    pub fn types(&self) -> CountedItems<'a, ValType> {
        CountedItems::new(self.types.clone(), self.count)
    }
}

/// A handler clause of `try_table`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Catch {
    /// `catch tag label` (`0x00`): branch with the tag's payload.
    One {
        /// The tag index.
        tag: u32,
        /// The label to branch to.
        label: u32,
    },
    /// `catch_ref tag label` (`0x01`): branch with the payload and the
    /// `exnref`.
    OneRef {
        /// The tag index.
        tag: u32,
        /// The label to branch to.
        label: u32,
    },
    /// `catch_all label` (`0x02`): branch with no values.
    All {
        /// The label to branch to.
        label: u32,
    },
    /// `catch_all_ref label` (`0x03`): branch with the `exnref`.
    AllRef {
        /// The label to branch to.
        label: u32,
    },
}

impl<'a> FromReader<'a> for Catch {
    fn from_reader(reader: &mut Reader<'a>) -> Result<Catch> {
        let at = reader.position();
        Ok(match reader.read_u8()? {
            0x00 => Catch::One {
                tag: reader.read_var_u32()?,
                label: reader.read_var_u32()?,
            },
            0x01 => Catch::OneRef {
                tag: reader.read_var_u32()?,
                label: reader.read_var_u32()?,
            },
            0x02 => Catch::All {
                label: reader.read_var_u32()?,
            },
            0x03 => Catch::AllRef {
                label: reader.read_var_u32()?,
            },
            _ => return Err(reader.error_at(ErrorKind::MalformedCatchClause, at)),
        })
    }
}

/// The immediate of `try_table`: its block type and handler clauses,
/// borrowed from the code.
#[derive(Clone, Debug)]
pub struct TryTable<'a> {
    /// The block's type.
    pub blockty: BlockType,
    count: u32,
    catches: Reader<'a>,
}

impl<'a> TryTable<'a> {
    /// The number of handler clauses.
    pub fn catch_count(&self) -> u32 {
        self.count
    }

    /// The handler clauses, in order. They were checked when the
    /// instruction was decoded.
    pub fn catches(&self) -> CountedItems<'a, Catch> {
        CountedItems::new(self.catches.clone(), self.count)
    }
}

/// An iterator over `count` items of type `T` decoded from a borrowed
/// reader (the types of `select t*`, the clauses of `try_table`). Stops
/// after the first error.
#[derive(Clone, Debug)]
pub struct CountedItems<'a, T> {
    reader: Reader<'a>,
    remaining: u32,
    marker: core::marker::PhantomData<fn() -> T>,
}

impl<'a, T> CountedItems<'a, T> {
    fn new(reader: Reader<'a>, remaining: u32) -> CountedItems<'a, T> {
        CountedItems {
            reader,
            remaining,
            marker: core::marker::PhantomData,
        }
    }
}

impl<'a, T: FromReader<'a>> Iterator for CountedItems<'a, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let item = T::from_reader(&mut self.reader);
        if item.is_err() {
            self.remaining = 0;
        }
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining as usize))
    }
}

/// Fails with `FeatureDisabled(proposal)` at `at` unless it is enabled.
#[inline]
fn require(reader: &Reader<'_>, proposal: Proposal, at: usize) -> Result<()> {
    if reader.features().has(proposal) {
        Ok(())
    } else {
        Err(reader.error_at(ErrorKind::FeatureDisabled(proposal), at))
    }
}

/// A reader over the bytes from absolute `start` (a position of `reader`)
/// up to `reader`'s current position.
fn consumed_since<'a>(reader: &Reader<'a>, start: usize) -> Reader<'a> {
    let bytes = reader
        .data()
        .get(start..reader.position())
        .unwrap_or_default();
    Reader::new_in_section(bytes, reader.base() + start, reader.features())
}

/// An immediate decoded by its type alone.
trait Immediate<'a>: Sized {
    fn read(reader: &mut Reader<'a>) -> Result<Self>;
}

impl<'a> Immediate<'a> for u32 {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<u32> {
        reader.read_var_u32()
    }
}

impl<'a> Immediate<'a> for u8 {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<u8> {
        reader.read_u8()
    }
}

impl<'a> Immediate<'a> for i32 {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<i32> {
        reader.read_var_i32()
    }
}

impl<'a> Immediate<'a> for i64 {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<i64> {
        reader.read_var_i64()
    }
}

impl<'a> Immediate<'a> for Ieee32 {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<Ieee32> {
        reader.read_f32_bits().map(Ieee32)
    }
}

impl<'a> Immediate<'a> for Ieee64 {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<Ieee64> {
        reader.read_f64_bits().map(Ieee64)
    }
}

impl<'a> Immediate<'a> for V128 {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<V128> {
        reader.read_array().map(V128)
    }
}

impl<'a> Immediate<'a> for [u8; 16] {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<[u8; 16]> {
        reader.read_array()
    }
}

impl<'a> Immediate<'a> for HeapType {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<HeapType> {
        HeapType::from_reader(reader)
    }
}

impl<'a> Immediate<'a> for Ordering {
    fn read(reader: &mut Reader<'a>) -> Result<Ordering> {
        reader.expect_zero(ErrorKind::ZeroByteExpected)?;
        Ok(Ordering::SeqCst)
    }
}

impl<'a> Immediate<'a> for MemArg {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<MemArg> {
        let at = reader.position();
        let flags = reader.read_var_u32()?;
        // Bits 0..=5: log2 of the alignment; bit 6: a memory index follows;
        // anything larger is malformed.
        if flags >= 0x80 {
            return Err(reader.error_at(ErrorKind::MalformedMemopFlags, at));
        }
        let memory = if flags & 0x40 != 0 {
            let index_at = reader.position();
            let memory = reader.read_var_u32()?;
            if memory != 0 {
                require(reader, Proposal::MultiMemory, index_at)?;
            }
            memory
        } else {
            0
        };
        let offset = if reader.features().has(Proposal::Memory64) {
            reader.read_var_u64()?
        } else {
            u64::from(reader.read_var_u32()?)
        };
        Ok(MemArg {
            align: flags & 0x3f,
            memory,
            offset,
        })
    }
}

impl<'a> Immediate<'a> for BlockType {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<BlockType> {
        let byte = reader.peek_u8()?;
        if byte == 0x40 {
            reader.read_u8()?;
            return Ok(BlockType::Empty);
        }
        // A one-byte negative s33 is a value type; a value type's encoding
        // never starts a longer negative LEB.
        if byte & 0xc0 == 0x40 {
            return ValType::from_reader(reader).map(BlockType::Type);
        }
        let at = reader.position();
        let index = reader.read_var_s33()?;
        if index < 0 {
            return Err(reader.error_at(ErrorKind::MalformedBlockType, at));
        }
        require(reader, Proposal::MultiValue, at)?;
        // A non-negative s33 fits 32 bits.
        Ok(BlockType::FuncType(index as u32))
    }
}

impl<'a> Immediate<'a> for BrTable<'a> {
    fn read(reader: &mut Reader<'a>) -> Result<BrTable<'a>> {
        // Every target takes at least one byte, so the count is bounded by
        // the bytes left.
        let count = reader.read_len()?;
        let start = reader.position();
        for _ in 0..count {
            reader.skip_var_unsigned(32)?;
        }
        let targets = consumed_since(reader, start);
        let default = reader.read_var_u32()?;
        Ok(BrTable {
            count,
            default,
            targets,
        })
    }
}

impl<'a> Immediate<'a> for SelectTypes<'a> {
    fn read(reader: &mut Reader<'a>) -> Result<SelectTypes<'a>> {
        let count = reader.read_len()?;
        let start = reader.position();
        for _ in 0..count {
            ValType::from_reader(reader)?;
        }
        Ok(SelectTypes {
            count,
            types: consumed_since(reader, start),
        })
    }
}

impl<'a> Immediate<'a> for TryTable<'a> {
    fn read(reader: &mut Reader<'a>) -> Result<TryTable<'a>> {
        let blockty = BlockType::read(reader)?;
        let count = reader.read_len()?;
        let start = reader.position();
        for _ in 0..count {
            Catch::from_reader(reader)?;
        }
        Ok(TryTable {
            blockty,
            count,
            catches: consumed_since(reader, start),
        })
    }
}

impl<'a> Immediate<'a> for CastBranch {
    fn read(reader: &mut Reader<'a>) -> Result<CastBranch> {
        let at = reader.position();
        let flags = reader.read_u8()?;
        if flags & !0b11 != 0 {
            return Err(reader.error_at(ErrorKind::MalformedCastFlags, at));
        }
        let relative_depth = reader.read_var_u32()?;
        let from = HeapType::from_reader(reader)?;
        let to = HeapType::from_reader(reader)?;
        Ok(CastBranch {
            relative_depth,
            from: RefType {
                nullable: flags & 0b01 != 0,
                heap_type: from,
            },
            to: RefType {
                nullable: flags & 0b10 != 0,
                heap_type: to,
            },
        })
    }
}

/// The table index of `call_indirect` and `return_call_indirect`: a `u32`
/// with reference types, a reserved zero byte without.
#[inline]
fn read_table_index(reader: &mut Reader<'_>) -> Result<u32> {
    if reader.features().has(Proposal::ReferenceTypes) {
        reader.read_var_u32()
    } else {
        reader.expect_zero(ErrorKind::ZeroByteExpected)?;
        Ok(0)
    }
}

/// The memory index of `memory.size`, `memory.grow`, `memory.init`,
/// `memory.copy` and `memory.fill`: a `u32` with multi-memory, a reserved
/// zero byte without.
#[inline]
fn read_memory_index(reader: &mut Reader<'_>) -> Result<u32> {
    if reader.features().has(Proposal::MultiMemory) {
        reader.read_var_u32()
    } else {
        reader.expect_zero(ErrorKind::ZeroByteExpected)?;
        Ok(0)
    }
}

/// Decodes the immediate named `$field`: a few names have their own rule,
/// the others are decoded by their type.
macro_rules! read_immediate {
    ($reader:ident, table_index) => {
        read_table_index($reader)?
    };
    ($reader:ident, memory) => {
        read_memory_index($reader)?
    };
    ($reader:ident, dst_memory) => {
        read_memory_index($reader)?
    };
    ($reader:ident, src_memory) => {
        read_memory_index($reader)?
    };
    ($reader:ident, $field:ident) => {
        Immediate::read($reader)?
    };
}

/// Checks that the row's proposal is enabled (`Mvp` always is).
macro_rules! require_proposal {
    ($reader:ident, Mvp, $at:ident) => {};
    ($reader:ident, $proposal:ident, $at:ident) => {
        require($reader, Proposal::$proposal, $at)?
    };
}

/// The row's proposal as an `Option<Proposal>`.
macro_rules! proposal_of {
    (Mvp) => {
        None
    };
    ($proposal:ident) => {
        Some(Proposal::$proposal)
    };
}

/// Decodes one instruction of a prefix group whose opcode was read at
/// position `$at`.
macro_rules! decode_group {
    ($reader:ident, $code:ident, $at:ident, $prefix:expr,
     $( $op:literal $name:ident $text:literal $proposal:ident
        $({ $($field:ident : $ty:ty),* })? ; )*) => {
        match $code {
            $(
                $op => {
                    require_proposal!($reader, $proposal, $at);
                    Ok(Operator::$name $({ $($field: read_immediate!($reader, $field)),* })?)
                }
            )*
            _ => Err($reader.error_at(
                ErrorKind::IllegalOpcode {
                    prefix: $prefix,
                    code: u32::from($code),
                },
                $at,
            )),
        }
    };
}

macro_rules! define_operator {
    (
        plain { $( $op0:literal $name0:ident $text0:literal $proposal0:ident
                   $({ $($field0:ident : $ty0:ty),* })? ; )* }
        gc { $( $op1:literal $name1:ident $text1:literal $proposal1:ident
                $({ $($field1:ident : $ty1:ty),* })? ; )* }
        misc { $( $op2:literal $name2:ident $text2:literal $proposal2:ident
                  $({ $($field2:ident : $ty2:ty),* })? ; )* }
        simd { $( $op3:literal $name3:ident $text3:literal $proposal3:ident
                  $({ $($field3:ident : $ty3:ty),* })? ; )* }
        atomic { $( $op4:literal $name4:ident $text4:literal $proposal4:ident
                    $({ $($field4:ident : $ty4:ty),* })? ; )* }
    ) => {
        /// One instruction with its immediates, borrowed from the code.
        ///
        /// There is one variant per instruction of WebAssembly 3.0, the
        /// threads, legacy exception handling, relaxed SIMD and wide
        /// arithmetic proposals. Each variant's documentation gives the
        /// instruction's text-format mnemonic; [`Operator::name`] returns it.
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum Operator<'a> {
            $(
                #[doc = concat!("`", $text0, "` (`", stringify!($op0), "`)")]
                $name0 $({ $( #[doc = concat!("The `", stringify!($field0), "` immediate.")] $field0: $ty0 ),* })?,
            )*
            $(
                #[doc = concat!("`", $text1, "` (`0xFB ", stringify!($op1), "`)")]
                $name1 $({ $( #[doc = concat!("The `", stringify!($field1), "` immediate.")] $field1: $ty1 ),* })?,
            )*
            $(
                #[doc = concat!("`", $text2, "` (`0xFC ", stringify!($op2), "`)")]
                $name2 $({ $( #[doc = concat!("The `", stringify!($field2), "` immediate.")] $field2: $ty2 ),* })?,
            )*
            $(
                #[doc = concat!("`", $text3, "` (`0xFD ", stringify!($op3), "`)")]
                $name3 $({ $( #[doc = concat!("The `", stringify!($field3), "` immediate.")] $field3: $ty3 ),* })?,
            )*
            $(
                #[doc = concat!("`", $text4, "` (`0xFE ", stringify!($op4), "`)")]
                $name4 $({ $( #[doc = concat!("The `", stringify!($field4), "` immediate.")] $field4: $ty4 ),* })?,
            )*
        }

        impl<'a> Operator<'a> {
            /// The instruction's text-format mnemonic, e.g. `i32.add` or
            /// `memory.atomic.notify`. (`select t*` is `select`; the
            /// nullable and non-nullable `ref.test` and `ref.cast` share
            /// their mnemonic.)
            pub fn name(&self) -> &'static str {
                match self {
                    $( Operator::$name0 { .. } => $text0, )*
                    $( Operator::$name1 { .. } => $text1, )*
                    $( Operator::$name2 { .. } => $text2, )*
                    $( Operator::$name3 { .. } => $text3, )*
                    $( Operator::$name4 { .. } => $text4, )*
                }
            }

            /// The proposal that introduced the instruction, or `None` for
            /// WebAssembly 1.0 instructions.
            pub fn proposal(&self) -> Option<Proposal> {
                match self {
                    $( Operator::$name0 { .. } => proposal_of!($proposal0), )*
                    $( Operator::$name1 { .. } => proposal_of!($proposal1), )*
                    $( Operator::$name2 { .. } => proposal_of!($proposal2), )*
                    $( Operator::$name3 { .. } => proposal_of!($proposal3), )*
                    $( Operator::$name4 { .. } => proposal_of!($proposal4), )*
                }
            }
        }

        #[inline]
        fn decode_plain<'a>(reader: &mut Reader<'a>, code: u8, at: usize) -> Result<Operator<'a>> {
            decode_group!(reader, code, at, 0,
                $( $op0 $name0 $text0 $proposal0 $({ $($field0 : $ty0),* })? ; )*)
        }

        fn decode_gc<'a>(reader: &mut Reader<'a>, code: u32, at: usize) -> Result<Operator<'a>> {
            decode_group!(reader, code, at, 0xfb,
                $( $op1 $name1 $text1 $proposal1 $({ $($field1 : $ty1),* })? ; )*)
        }

        fn decode_misc<'a>(reader: &mut Reader<'a>, code: u32, at: usize) -> Result<Operator<'a>> {
            decode_group!(reader, code, at, 0xfc,
                $( $op2 $name2 $text2 $proposal2 $({ $($field2 : $ty2),* })? ; )*)
        }

        fn decode_simd<'a>(reader: &mut Reader<'a>, code: u32, at: usize) -> Result<Operator<'a>> {
            decode_group!(reader, code, at, 0xfd,
                $( $op3 $name3 $text3 $proposal3 $({ $($field3 : $ty3),* })? ; )*)
        }

        fn decode_atomic<'a>(reader: &mut Reader<'a>, code: u32, at: usize) -> Result<Operator<'a>> {
            decode_group!(reader, code, at, 0xfe,
                $( $op4 $name4 $text4 $proposal4 $({ $($field4 : $ty4),* })? ; )*)
        }
    };
}

for_each_instruction!(define_operator);

impl<'a> FromReader<'a> for Operator<'a> {
    /// Decodes one instruction. Gating: the `0xFB` prefix needs GC, `0xFD`
    /// SIMD and `0xFE` threads; every other opcode is checked against its
    /// own proposal. Unknown opcodes are `illegal opcode`.
    #[inline]
    fn from_reader(reader: &mut Reader<'a>) -> Result<Operator<'a>> {
        let at = reader.position();
        let code = reader.read_u8()?;
        match code {
            0xfb => {
                require(reader, Proposal::Gc, at)?;
                let code = reader.read_var_u32()?;
                decode_gc(reader, code, at)
            }
            0xfc => {
                let code = reader.read_var_u32()?;
                decode_misc(reader, code, at)
            }
            0xfd => {
                require(reader, Proposal::Simd, at)?;
                let code = reader.read_var_u32()?;
                decode_simd(reader, code, at)
            }
            0xfe => {
                require(reader, Proposal::Threads, at)?;
                let code = reader.read_var_u32()?;
                decode_atomic(reader, code, at)
            }
            _ => decode_plain(reader, code, at),
        }
    }
}
