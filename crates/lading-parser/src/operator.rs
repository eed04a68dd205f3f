//! One WebAssembly instruction with its decoded immediates, and the types of
//! those immediates.
//!
//! The [`Operator`] enum, its decoder and [`Operator::name`] are all
//! generated from the single instruction list in `operator_table.rs`.

use crate::operator_table::for_each_instruction;
use crate::{
    ErrorKind, Features, FromReader, HeapType, Proposal, Reader, RefType, Result, ValType,
};

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
    targets: Borrowed<'a>,
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
            reader: self.targets.reader(),
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
    types: Borrowed<'a>,
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
        CountedItems::new(self.types.reader(), self.count)
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
    catches: Borrowed<'a>,
}

impl<'a> TryTable<'a> {
    /// The number of handler clauses.
    pub fn catch_count(&self) -> u32 {
        self.count
    }

    /// The handler clauses, in order. They were checked when the
    /// instruction was decoded.
    pub fn catches(&self) -> CountedItems<'a, Catch> {
        CountedItems::new(self.catches.reader(), self.count)
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

/// Bytes of the code already checked, with the absolute offset of the
/// first: smaller than a [`Reader`], so the [`Operator`] stays small.
#[derive(Clone, Copy, Debug)]
struct Borrowed<'a> {
    bytes: &'a [u8],
    base: usize,
}

impl<'a> Borrowed<'a> {
    /// A reader to decode the bytes again. They were checked with the
    /// module's features, so every feature is on here.
    fn reader(self) -> Reader<'a> {
        Reader::new_in_section(self.bytes, self.base, Features::ALL)
    }
}

/// The bytes of `reader` from position `start` up to its current position.
fn consumed_since<'a>(reader: &Reader<'a>, start: usize) -> Borrowed<'a> {
    let bytes = reader
        .data()
        .get(start..reader.position())
        .unwrap_or_default();
    Borrowed {
        bytes,
        base: reader.base() + start,
    }
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
    /// The common case inline in every load and store: flags without a
    /// memory index and an offset below 128, one byte each.
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<MemArg> {
        if let [flags @ 0..0x40, offset @ 0..0x80, ..] = *reader.remaining_bytes() {
            reader.skip(2)?;
            return Ok(MemArg {
                align: u32::from(flags),
                memory: 0,
                offset: u64::from(offset),
            });
        }
        read_memarg(reader)
    }
}

/// [`MemArg`]'s immediate in general: flags (the log2 of the alignment, and
/// whether a memory index follows), the memory index, the offset.
#[inline(never)]
fn read_memarg(reader: &mut Reader<'_>) -> Result<MemArg> {
    let at = reader.position();
    let flags = reader.read_var_u32()?;
    // Bits 0..=5: log2 of the alignment; bit 6: a memory index follows
    // (multi-memory's encoding, whatever the index: gated at the flags);
    // anything larger is malformed.
    if flags >= 0x80 {
        return Err(reader.error_at(ErrorKind::MalformedMemopFlags, at));
    }
    let memory = if flags & 0x40 != 0 {
        require(reader, Proposal::MultiMemory, at)?;
        reader.read_var_u32()?
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

impl<'a> Immediate<'a> for BlockType {
    #[inline]
    fn read(reader: &mut Reader<'a>) -> Result<BlockType> {
        // The types of most blocks, inline; the rest out of line.
        let fast = match reader.remaining_bytes() {
            [0x40, ..] => BlockType::Empty,
            [0x7f, ..] => BlockType::Type(ValType::I32),
            [0x7e, ..] => BlockType::Type(ValType::I64),
            [0x7d, ..] => BlockType::Type(ValType::F32),
            [0x7c, ..] => BlockType::Type(ValType::F64),
            _ => return block_type_slow(reader),
        };
        reader.skip(1)?;
        Ok(fast)
    }
}

/// [`BlockType::read`] for anything but the empty type and the number
/// types.
#[inline(never)]
fn block_type_slow(reader: &mut Reader<'_>) -> Result<BlockType> {
    let byte = reader.peek_u8()?;
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

impl<'a> Immediate<'a> for BrTable<'a> {
    fn read(reader: &mut Reader<'a>) -> Result<BrTable<'a>> {
        // Every target takes at least one byte, so the count is bounded by
        // the bytes left.
        let count = reader.read_len()?;
        let start = reader.position();
        reader.skip_var_u32s(count.into())?;
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
/// position `$at`; the bracketed arms come first (the prefix bytes, in the
/// group of one-byte opcodes, so that one jump table dispatches them all).
macro_rules! decode_group {
    ($reader:ident, $code:ident, $at:ident, $prefix:expr,
     [ $( $extra:pat => $decode:expr ),* ],
     $( $op:literal $name:ident $text:literal $proposal:ident
        $({ $($field:ident : $ty:ty),* })? ; )*) => {
        match $code {
            $( $extra => $decode, )*
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

        /// Decodes the instruction whose first byte `code`, at position
        /// `at`, was just read from `reader`.
        #[inline]
        pub(crate) fn decode<'a>(reader: &mut Reader<'a>, code: u8, at: usize) -> Result<Operator<'a>> {
            decode_group!(reader, code, at, 0,
                [
                    0xfb => {
                        let code = reader.read_var_u32()?;
                        decode_gc(reader, code, at)
                    },
                    0xfc => {
                        let code = reader.read_var_u32()?;
                        decode_misc(reader, code, at)
                    },
                    0xfd => {
                        let code = reader.read_var_u32()?;
                        decode_simd(reader, code, at)
                    },
                    0xfe => {
                        let code = reader.read_var_u32()?;
                        decode_atomic(reader, code, at)
                    }
                ],
                $( $op0 $name0 $text0 $proposal0 $({ $($field0 : $ty0),* })? ; )*)
        }

        fn decode_gc<'a>(reader: &mut Reader<'a>, code: u32, at: usize) -> Result<Operator<'a>> {
            decode_group!(reader, code, at, 0xfb,
                [],
                $( $op1 $name1 $text1 $proposal1 $({ $($field1 : $ty1),* })? ; )*)
        }

        fn decode_misc<'a>(reader: &mut Reader<'a>, code: u32, at: usize) -> Result<Operator<'a>> {
            decode_group!(reader, code, at, 0xfc,
                [],
                $( $op2 $name2 $text2 $proposal2 $({ $($field2 : $ty2),* })? ; )*)
        }

        fn decode_simd<'a>(reader: &mut Reader<'a>, code: u32, at: usize) -> Result<Operator<'a>> {
            decode_group!(reader, code, at, 0xfd,
                [],
                $( $op3 $name3 $text3 $proposal3 $({ $($field3 : $ty3),* })? ; )*)
        }

        fn decode_atomic<'a>(reader: &mut Reader<'a>, code: u32, at: usize) -> Result<Operator<'a>> {
            decode_group!(reader, code, at, 0xfe,
                [],
                $( $op4 $name4 $text4 $proposal4 $({ $($field4 : $ty4),* })? ; )*)
        }
    };
}

for_each_instruction!(define_operator);

impl<'a> FromReader<'a> for Operator<'a> {
    /// Decodes one instruction. Gating: every opcode, prefixed or not, is
    /// checked against its own proposal (as the check pass does), so an
    /// unknown sub-opcode is `illegal opcode` whatever the features, and
    /// a relaxed SIMD opcode needs relaxed SIMD. Unknown opcodes are
    /// `illegal opcode`.
    #[inline]
    fn from_reader(reader: &mut Reader<'a>) -> Result<Operator<'a>> {
        let at = reader.position();
        let code = reader.read_u8()?;
        decode(reader, code, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AbstractHeapType, Features};

    /// Decodes exactly one instruction from `bytes` with `features`.
    fn one(bytes: &[u8], features: Features) -> Result<Operator<'_>> {
        let mut r = Reader::new_in_section(bytes, 0, features);
        let op = Operator::from_reader(&mut r)?;
        assert!(r.is_empty(), "{op:?} left {} bytes", r.remaining());
        Ok(op)
    }

    fn op(bytes: &[u8]) -> Operator<'_> {
        one(bytes, Features::default()).unwrap()
    }

    fn op_with(bytes: &[u8], features: Features) -> Operator<'_> {
        one(bytes, features).unwrap()
    }

    fn err(bytes: &[u8], features: Features) -> (ErrorKind, usize) {
        let mut r = Reader::new_in_section(bytes, 0, features);
        let e = Operator::from_reader(&mut r).unwrap_err();
        (e.kind(), e.offset())
    }

    #[test]
    fn control_and_block_types() {
        // block (empty)
        assert!(matches!(
            op(&[0x02, 0x40]),
            Operator::Block {
                blockty: BlockType::Empty
            }
        ));
        // loop (result i32)
        assert!(matches!(
            op(&[0x03, 0x7f]),
            Operator::Loop {
                blockty: BlockType::Type(ValType::I32)
            }
        ));
        // if with type index 200 as s33: c8 01
        assert!(matches!(
            op(&[0x04, 0xc8, 0x01]),
            Operator::If {
                blockty: BlockType::FuncType(200)
            }
        ));
        // block (result (ref null any)): 63 6e
        let Operator::Block {
            blockty: BlockType::Type(ValType::Ref(rt)),
        } = op(&[0x02, 0x63, 0x6e])
        else {
            panic!()
        };
        assert!(rt.nullable);
        // A negative multi-byte s33 (-128: 80 7f) is malformed.
        assert_eq!(
            err(&[0x02, 0x80, 0x7f], Features::default()),
            (ErrorKind::MalformedBlockType, 1)
        );
        // A type index needs multi-value.
        assert_eq!(
            err(&[0x02, 0x00], Features::WASM1),
            (ErrorKind::FeatureDisabled(Proposal::MultiValue), 1)
        );
        // br 3, br_if 1, call 300 (ac 02), return, unreachable, nop
        assert!(matches!(
            op(&[0x0c, 0x03]),
            Operator::Br { relative_depth: 3 }
        ));
        assert!(matches!(
            op(&[0x0d, 0x01]),
            Operator::BrIf { relative_depth: 1 }
        ));
        assert!(matches!(
            op(&[0x10, 0xac, 0x02]),
            Operator::Call {
                function_index: 300
            }
        ));
        assert!(matches!(op(&[0x0f]), Operator::Return));
        assert!(matches!(op(&[0x00]), Operator::Unreachable));
        assert_eq!(op(&[0x01]).name(), "nop");
    }

    #[test]
    fn br_table_targets_are_borrowed() {
        // br_table: 3 targets 0, 1, 130 (82 01), default 4
        let bytes = [0x0e, 0x03, 0x00, 0x01, 0x82, 0x01, 0x04];
        let Operator::BrTable { targets } = op(&bytes) else {
            panic!()
        };
        assert_eq!(targets.len(), 3);
        assert_eq!(targets.default(), 4);
        let t: Vec<u32> = targets.targets().map(|t| t.unwrap()).collect();
        assert_eq!(t, [0, 1, 130]);
        // A count larger than the bytes left.
        assert_eq!(
            err(&[0x0e, 0x05, 0x00], Features::default()),
            (ErrorKind::LengthOutOfBounds, 1)
        );
    }

    #[test]
    fn call_indirect_table_byte() {
        // call_indirect type 2, table 1
        assert!(matches!(
            op(&[0x11, 0x02, 0x01]),
            Operator::CallIndirect {
                type_index: 2,
                table_index: 1
            }
        ));
        // Without reference types the table index is a reserved zero byte.
        assert_eq!(
            err(&[0x11, 0x02, 0x01], Features::WASM1),
            (ErrorKind::ZeroByteExpected, 2)
        );
        assert!(one(&[0x11, 0x02, 0x00], Features::WASM1).is_ok());
    }

    #[test]
    fn try_table_catches() {
        // try_table (empty), 4 clauses: catch 1 0; catch_ref 2 1;
        // catch_all 3; catch_all_ref 4
        let bytes = [
            0x1f, 0x40, 0x04, 0x00, 0x01, 0x00, 0x01, 0x02, 0x01, 0x02, 0x03, 0x03, 0x04,
        ];
        let Operator::TryTable { try_table } = op(&bytes) else {
            panic!()
        };
        assert_eq!(try_table.blockty, BlockType::Empty);
        let c: Vec<Catch> = try_table.catches().map(|c| c.unwrap()).collect();
        assert_eq!(
            c,
            [
                Catch::One { tag: 1, label: 0 },
                Catch::OneRef { tag: 2, label: 1 },
                Catch::All { label: 3 },
                Catch::AllRef { label: 4 },
            ]
        );
        // Clause kind 4 is malformed.
        assert_eq!(
            err(&[0x1f, 0x40, 0x01, 0x04, 0x00], Features::default()),
            (ErrorKind::MalformedCatchClause, 3)
        );
        // throw 0, throw_ref
        assert!(matches!(
            op(&[0x08, 0x00]),
            Operator::Throw { tag_index: 0 }
        ));
        assert_eq!(op(&[0x0a]).name(), "throw_ref");
        assert_eq!(
            err(&[0x1f, 0x40, 0x00], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Exceptions), 0)
        );
    }

    #[test]
    fn legacy_exceptions() {
        // try (empty), catch 1, catch_all, rethrow 0, delegate 2
        assert!(matches!(
            op(&[0x06, 0x40]),
            Operator::Try {
                blockty: BlockType::Empty
            }
        ));
        assert!(matches!(
            op(&[0x07, 0x01]),
            Operator::Catch { tag_index: 1 }
        ));
        assert!(matches!(op(&[0x19]), Operator::CatchAll));
        assert!(matches!(
            op(&[0x09, 0x00]),
            Operator::Rethrow { relative_depth: 0 }
        ));
        assert!(matches!(
            op(&[0x18, 0x02]),
            Operator::Delegate { relative_depth: 2 }
        ));
        let no_legacy = Features::default().without(Proposal::LegacyExceptions);
        assert_eq!(
            err(&[0x19], no_legacy),
            (ErrorKind::FeatureDisabled(Proposal::LegacyExceptions), 0)
        );
    }

    #[test]
    fn select_and_references() {
        assert!(matches!(op(&[0x1b]), Operator::Select));
        // select (result i64 funcref): 2 types
        let Operator::TypedSelect { tys } = op(&[0x1c, 0x02, 0x7e, 0x70]) else {
            panic!()
        };
        let t: Vec<ValType> = tys.types().map(|t| t.unwrap()).collect();
        assert_eq!(t, [ValType::I64, ValType::Ref(RefType::FUNCREF)]);
        assert_eq!(op(&[0x1c, 0x01, 0x7f]).name(), "select");
        // ref.null extern, ref.is_null, ref.func 7
        assert!(matches!(
            op(&[0xd0, 0x6f]),
            Operator::RefNull {
                heap_type: HeapType::Abstract(AbstractHeapType::Extern)
            }
        ));
        assert_eq!(op(&[0xd1]).name(), "ref.is_null");
        assert!(matches!(
            op(&[0xd2, 0x07]),
            Operator::RefFunc { function_index: 7 }
        ));
        // ref.as_non_null, br_on_null 1, br_on_non_null 2, call_ref 3
        assert_eq!(op(&[0xd4]).name(), "ref.as_non_null");
        assert!(matches!(
            op(&[0xd5, 0x01]),
            Operator::BrOnNull { relative_depth: 1 }
        ));
        assert!(matches!(
            op(&[0xd6, 0x02]),
            Operator::BrOnNonNull { relative_depth: 2 }
        ));
        assert!(matches!(
            op(&[0x14, 0x03]),
            Operator::CallRef { type_index: 3 }
        ));
        assert_eq!(
            err(&[0x14, 0x03], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::FunctionReferences), 0)
        );
        // table.get 1, table.set 0
        assert!(matches!(op(&[0x25, 0x01]), Operator::TableGet { table: 1 }));
        assert!(matches!(op(&[0x26, 0x00]), Operator::TableSet { table: 0 }));
        // return_call 4 needs tail calls
        assert!(matches!(
            op(&[0x12, 0x04]),
            Operator::ReturnCall { function_index: 4 }
        ));
        assert_eq!(
            err(&[0x12, 0x04], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::TailCall), 0)
        );
    }

    #[test]
    fn numeric_constants() {
        // i32.const -1 (7f), i64.const 2^32 (80 80 80 80 10)
        assert!(matches!(
            op(&[0x41, 0x7f]),
            Operator::I32Const { value: -1 }
        ));
        assert!(matches!(
            op(&[0x42, 0x80, 0x80, 0x80, 0x80, 0x10]),
            Operator::I64Const {
                value: 0x1_0000_0000
            }
        ));
        // f32.const 1.0 (00 00 80 3f), f64.const with a NaN payload kept
        let Operator::F32Const { value } = op(&[0x43, 0x00, 0x00, 0x80, 0x3f]) else {
            panic!()
        };
        assert_eq!(value.to_f32(), 1.0);
        let Operator::F64Const { value } =
            op(&[0x44, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f])
        else {
            panic!()
        };
        assert_eq!(value.0, 0x7ff8_0000_0000_0001);
        // Sign extension: i32.extend8_s
        assert_eq!(op(&[0xc0]).name(), "i32.extend8_s");
        assert_eq!(
            err(&[0xc0], Features::WASM1),
            (ErrorKind::FeatureDisabled(Proposal::SignExtension), 0)
        );
        assert_eq!(op(&[0x6a]).name(), "i32.add");
        assert_eq!(op(&[0xbf]).name(), "f64.reinterpret_i64");
    }

    #[test]
    fn memargs() {
        // i32.load align=2 offset=16
        assert!(matches!(
            op(&[0x28, 0x02, 0x10]),
            Operator::I32Load {
                memarg: MemArg {
                    align: 2,
                    memory: 0,
                    offset: 16
                }
            }
        ));
        // i64.store, flags 0x43 (align 3, memory follows), memory 2,
        // offset 2^32 (80 80 80 80 10) as a u64
        assert!(matches!(
            op(&[0x37, 0x43, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10]),
            Operator::I64Store {
                memarg: MemArg {
                    align: 3,
                    memory: 2,
                    offset: 0x1_0000_0000
                }
            }
        ));
        // Without memory64 the offset is a u32: 2^32 is too large.
        assert_eq!(
            err(&[0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10], Features::WASM2).0,
            ErrorKind::IntegerTooLarge
        );
        // Flags 0x80 (align 2^128) are malformed.
        assert_eq!(
            err(&[0x28, 0x80, 0x01, 0x00], Features::default()),
            (ErrorKind::MalformedMemopFlags, 1)
        );
        // Flag bit 6 (a memory index follows) needs multi-memory, reported
        // at the flags, before the index is read: flags 0x42, memory 1.
        assert_eq!(
            err(&[0x28, 0x42, 0x01, 0x00], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::MultiMemory), 1)
        );
        // Even memory 0: flags 0x42, memory 0, offset 0.
        assert_eq!(
            err(&[0x28, 0x42, 0x00, 0x00], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::MultiMemory), 1)
        );
        // And with the index cut off: flags 0x40, then nothing.
        assert_eq!(
            err(&[0x28, 0x40], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::MultiMemory), 1)
        );
        // memory.size 1, memory.grow 0
        assert!(matches!(
            op(&[0x3f, 0x01]),
            Operator::MemorySize { memory: 1 }
        ));
        assert!(matches!(
            op(&[0x40, 0x00]),
            Operator::MemoryGrow { memory: 0 }
        ));
        // Without multi-memory the memory byte is reserved.
        assert_eq!(
            err(&[0x3f, 0x01], Features::WASM2),
            (ErrorKind::ZeroByteExpected, 1)
        );
    }

    #[test]
    fn gc_prefix() {
        // struct.new 1; struct.get 1 2; array.new_fixed 3 4
        assert!(matches!(
            op(&[0xfb, 0x00, 0x01]),
            Operator::StructNew {
                struct_type_index: 1
            }
        ));
        assert!(matches!(
            op(&[0xfb, 0x02, 0x01, 0x02]),
            Operator::StructGet {
                struct_type_index: 1,
                field_index: 2
            }
        ));
        assert!(matches!(
            op(&[0xfb, 0x08, 0x03, 0x04]),
            Operator::ArrayNewFixed {
                array_type_index: 3,
                array_size: 4
            }
        ));
        // ref.test (ref null i31): 0x15 6c; ref.cast (ref 5): 0x16 05
        let t = op(&[0xfb, 0x15, 0x6c]);
        assert!(matches!(t, Operator::RefTestNullable { .. }));
        assert_eq!(t.name(), "ref.test");
        assert!(matches!(
            op(&[0xfb, 0x16, 0x05]),
            Operator::RefCastNonNull {
                heap_type: HeapType::Concrete(5)
            }
        ));
        // br_on_cast flags 0b01 (source nullable), label 2, any -> i31
        let Operator::BrOnCast { cast } = op(&[0xfb, 0x18, 0x01, 0x02, 0x6e, 0x6c]) else {
            panic!()
        };
        assert_eq!(cast.relative_depth, 2);
        assert!(cast.from.nullable && !cast.to.nullable);
        assert_eq!(cast.to.heap_type, HeapType::Abstract(AbstractHeapType::I31));
        // br_on_cast_fail flags 0b10 (target nullable)
        let Operator::BrOnCastFail { cast } = op(&[0xfb, 0x19, 0x02, 0x00, 0x6e, 0x6c]) else {
            panic!()
        };
        assert!(!cast.from.nullable && cast.to.nullable);
        // flags 0x04 are malformed
        assert_eq!(
            err(&[0xfb, 0x18, 0x04, 0x00, 0x6e, 0x6c], Features::default()),
            (ErrorKind::MalformedCastFlags, 2)
        );
        // ref.i31, i31.get_u, any.convert_extern
        assert_eq!(op(&[0xfb, 0x1c]).name(), "ref.i31");
        assert_eq!(op(&[0xfb, 0x1e]).name(), "i31.get_u");
        assert_eq!(op(&[0xfb, 0x1a]).name(), "any.convert_extern");
        // 0xFB 0x1F is unknown; the GC prefix needs GC.
        assert_eq!(
            err(&[0xfb, 0x1f], Features::default()),
            (
                ErrorKind::IllegalOpcode {
                    prefix: 0xfb,
                    code: 0x1f
                },
                0
            )
        );
        assert_eq!(
            err(&[0xfb, 0x00, 0x01], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Gc), 0)
        );
    }

    #[test]
    fn misc_prefix() {
        // i32.trunc_sat_f32_s (fc 00), i64.trunc_sat_f64_u (fc 07)
        assert_eq!(op(&[0xfc, 0x00]).name(), "i32.trunc_sat_f32_s");
        assert_eq!(op(&[0xfc, 0x07]).name(), "i64.trunc_sat_f64_u");
        assert_eq!(
            err(&[0xfc, 0x00], Features::WASM1),
            (
                ErrorKind::FeatureDisabled(Proposal::SaturatingFloatToInt),
                0
            )
        );
        // memory.init data 3, memory 0; data.drop 3
        assert!(matches!(
            op(&[0xfc, 0x08, 0x03, 0x00]),
            Operator::MemoryInit {
                data_index: 3,
                memory: 0
            }
        ));
        assert!(matches!(
            op(&[0xfc, 0x09, 0x03]),
            Operator::DataDrop { data_index: 3 }
        ));
        // memory.copy 1 2 (multi-memory), memory.fill 0
        assert!(matches!(
            op(&[0xfc, 0x0a, 0x01, 0x02]),
            Operator::MemoryCopy {
                dst_memory: 1,
                src_memory: 2
            }
        ));
        assert!(matches!(
            op(&[0xfc, 0x0b, 0x00]),
            Operator::MemoryFill { memory: 0 }
        ));
        assert_eq!(
            err(&[0xfc, 0x0a, 0x00, 0x01], Features::WASM2),
            (ErrorKind::ZeroByteExpected, 3)
        );
        // table.init elem 1 table 2; elem.drop 1; table.copy 3 4
        assert!(matches!(
            op(&[0xfc, 0x0c, 0x01, 0x02]),
            Operator::TableInit {
                elem_index: 1,
                table: 2
            }
        ));
        assert!(matches!(
            op(&[0xfc, 0x0d, 0x01]),
            Operator::ElemDrop { elem_index: 1 }
        ));
        assert!(matches!(
            op(&[0xfc, 0x0e, 0x03, 0x04]),
            Operator::TableCopy {
                dst_table: 3,
                src_table: 4
            }
        ));
        // table.grow/size/fill need reference types
        assert!(matches!(
            op(&[0xfc, 0x0f, 0x01]),
            Operator::TableGrow { table: 1 }
        ));
        assert_eq!(op(&[0xfc, 0x10, 0x00]).name(), "table.size");
        assert_eq!(op(&[0xfc, 0x11, 0x00]).name(), "table.fill");
        let no_rt = Features::WASM1.with(Proposal::BulkMemory);
        assert_eq!(
            err(&[0xfc, 0x10, 0x00], no_rt),
            (ErrorKind::FeatureDisabled(Proposal::ReferenceTypes), 0)
        );
        assert!(one(&[0xfc, 0x0b, 0x00], no_rt).is_ok());
        // wide arithmetic: fc 19..=22
        assert_eq!(op(&[0xfc, 0x13]).name(), "i64.add128");
        assert_eq!(op(&[0xfc, 0x14]).name(), "i64.sub128");
        assert_eq!(op(&[0xfc, 0x15]).name(), "i64.mul_wide_s");
        assert_eq!(op(&[0xfc, 0x16]).name(), "i64.mul_wide_u");
        assert_eq!(
            err(&[0xfc, 0x13], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::WideArithmetic), 0)
        );
        // fc 0x12 is unknown, even as a two-byte LEB (92 00)
        assert_eq!(
            err(&[0xfc, 0x92, 0x00], Features::default()),
            (
                ErrorKind::IllegalOpcode {
                    prefix: 0xfc,
                    code: 0x12
                },
                0
            )
        );
    }

    #[test]
    fn simd_prefix() {
        // v128.load align=4 offset=0
        assert!(matches!(
            op(&[0xfd, 0x00, 0x04, 0x00]),
            Operator::V128Load {
                memarg: MemArg {
                    align: 4,
                    memory: 0,
                    offset: 0
                }
            }
        ));
        // v128.const 0x0f0e..00 (bytes 0..=15)
        let mut bytes = vec![0xfd, 0x0c];
        bytes.extend(0u8..16);
        let Operator::V128Const { value } = op(&bytes) else {
            panic!()
        };
        assert_eq!(value.to_u128(), 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
        // i8x16.shuffle with lanes 15..=0
        let mut bytes = vec![0xfd, 0x0d];
        bytes.extend((0u8..16).rev());
        let Operator::I8x16Shuffle { lanes } = op(&bytes) else {
            panic!()
        };
        assert_eq!(lanes[0], 15);
        // i8x16.extract_lane_s 3; f64x2.replace_lane 1
        assert!(matches!(
            op(&[0xfd, 0x15, 0x03]),
            Operator::I8x16ExtractLaneS { lane: 3 }
        ));
        assert!(matches!(
            op(&[0xfd, 0x22, 0x01]),
            Operator::F64x2ReplaceLane { lane: 1 }
        ));
        // v128.load16_lane align=1 offset=2 lane 5
        assert!(matches!(
            op(&[0xfd, 0x55, 0x01, 0x02, 0x05]),
            Operator::V128Load16Lane {
                memarg: MemArg {
                    align: 1,
                    offset: 2,
                    ..
                },
                lane: 5
            }
        ));
        // i32x4.add (fd ae 01), f64x2.convert_low_i32x4_u (fd ff 01)
        assert_eq!(op(&[0xfd, 0xae, 0x01]).name(), "i32x4.add");
        assert_eq!(op(&[0xfd, 0xff, 0x01]).name(), "f64x2.convert_low_i32x4_u");
        // relaxed: i8x16.relaxed_swizzle (fd 80 02), f32x4.relaxed_madd
        // (fd 85 02), i32x4.relaxed_dot_i8x16_i7x16_add_s (fd 93 02)
        assert_eq!(op(&[0xfd, 0x80, 0x02]).name(), "i8x16.relaxed_swizzle");
        assert_eq!(op(&[0xfd, 0x85, 0x02]).name(), "f32x4.relaxed_madd");
        assert_eq!(
            op(&[0xfd, 0x93, 0x02]).name(),
            "i32x4.relaxed_dot_i8x16_i7x16_add_s"
        );
        assert_eq!(
            err(&[0xfd, 0x80, 0x02], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::RelaxedSimd), 0)
        );
        assert_eq!(
            err(&[0xfd, 0x0e], Features::WASM1),
            (ErrorKind::FeatureDisabled(Proposal::Simd), 0)
        );
        // Gated per opcode, not per prefix: relaxed SIMD's fd 80 02 needs
        // relaxed SIMD only, as in the check pass.
        assert_eq!(
            op_with(&[0xfd, 0x80, 0x02], Features::ALL.without(Proposal::Simd)).name(),
            "i8x16.relaxed_swizzle"
        );
        // fd 9a 01 is a hole in the opcode space
        assert_eq!(
            err(&[0xfd, 0x9a, 0x01], Features::default()).0,
            ErrorKind::IllegalOpcode {
                prefix: 0xfd,
                code: 0x9a
            }
        );
    }

    #[test]
    fn atomics_prefix() {
        // memory.atomic.notify align=2 offset=8
        assert!(matches!(
            op(&[0xfe, 0x00, 0x02, 0x08]),
            Operator::MemoryAtomicNotify {
                memarg: MemArg {
                    align: 2,
                    offset: 8,
                    memory: 0
                }
            }
        ));
        // atomic.fence 0x00
        assert!(matches!(
            op(&[0xfe, 0x03, 0x00]),
            Operator::AtomicFence {
                ordering: Ordering::SeqCst
            }
        ));
        assert_eq!(
            err(&[0xfe, 0x03, 0x01], Features::default()),
            (ErrorKind::ZeroByteExpected, 2)
        );
        // i64.atomic.rmw32.cmpxchg_u (fe 4e)
        assert_eq!(
            op(&[0xfe, 0x4e, 0x02, 0x00]).name(),
            "i64.atomic.rmw32.cmpxchg_u"
        );
        assert_eq!(
            err(&[0xfe, 0x03, 0x00], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Threads), 0)
        );
        assert_eq!(
            err(&[0xfe, 0x4f], Features::default()).0,
            ErrorKind::IllegalOpcode {
                prefix: 0xfe,
                code: 0x4f
            }
        );
        // fe 4f is no encoding of threads: illegal even without threads.
        assert_eq!(
            err(&[0xfe, 0x4f], Features::WASM2),
            (
                ErrorKind::IllegalOpcode {
                    prefix: 0xfe,
                    code: 0x4f
                },
                0
            )
        );
    }

    #[test]
    fn illegal_and_truncated() {
        assert_eq!(
            err(&[0x27], Features::default()),
            (
                ErrorKind::IllegalOpcode {
                    prefix: 0,
                    code: 0x27
                },
                0
            )
        );
        assert_eq!(
            err(&[0xff], Features::default()).0,
            ErrorKind::IllegalOpcode {
                prefix: 0,
                code: 0xff
            }
        );
        // i32.const with its immediate cut off
        assert_eq!(
            err(&[0x41], Features::default()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 1)
        );
        assert_eq!(
            err(&[0x43, 0x00, 0x00], Features::default()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 3)
        );
    }

    #[test]
    fn operators_stay_small() {
        // The largest immediates (`try_table`, `br_table`) borrow their
        // bytes as a slice and an offset, not a whole reader.
        assert!(core::mem::size_of::<Operator<'_>>() <= 48);
    }

    #[test]
    fn every_variant_has_a_name() {
        // One instruction per prefix group round-trips through name().
        assert_eq!(op(&[0x0b]).name(), "end");
        assert_eq!(op(&[0x0b]).proposal(), None);
        assert_eq!(op(&[0xfb, 0x1c]).proposal(), Some(Proposal::Gc));
        assert_eq!(op(&[0xfd, 0x0e]).proposal(), Some(Proposal::Simd));
    }
}
