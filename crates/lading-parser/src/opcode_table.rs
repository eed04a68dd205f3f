//! Static tables that classify every instruction opcode by the shape of its
//! immediates, its effect on block nesting and the proposal it belongs to.
//!
//! One table covers the one-byte opcodes; four more cover the sub-opcodes
//! (a LEB128 `u32` after the prefix byte) of the `0xFB` (GC), `0xFC`
//! (saturating conversions, bulk memory, tables, wide arithmetic), `0xFD`
//! (SIMD and relaxed SIMD) and `0xFE` (threads) prefixes. The tables are
//! built by `const` code, so a lookup is one load.

use crate::{AbstractHeapType, Proposal};

/// The shape of the immediates that follow an opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Immediates {
    /// No immediate.
    None,
    /// One LEB128 `u32` (an index or a label).
    Index,
    /// Two LEB128 `u32`s.
    Index2,
    /// A signed LEB128 32-bit constant.
    I32,
    /// A signed LEB128 64-bit constant.
    I64,
    /// Four raw bytes (an `f32`).
    F32,
    /// Eight raw bytes (an `f64`).
    F64,
    /// Sixteen raw bytes (a `v128` constant, or the lanes of a shuffle).
    Bytes16,
    /// One lane index byte.
    Lane,
    /// A memory argument: flags `u32` (below 64, or below 128 with bit 6
    /// announcing a memory index `u32`), then the offset (`u64` with
    /// memory64 enabled, else `u32`).
    MemArg,
    /// A memory argument, then a lane index byte.
    MemArgLane,
    /// A block type: `0x40`, a value type, or a non-negative `s33` type
    /// index.
    BlockType,
    /// A `try_table`: a block type, then a vector of catch clauses.
    TryTable,
    /// A `br_table`: a vector of labels, then the default label.
    BrTable,
    /// A typed `select`: a vector of value types.
    SelectTypes,
    /// A heap type (`ref.null`, `ref.test`, `ref.cast`).
    HeapType,
    /// `br_on_cast` and `br_on_cast_fail`: a flags byte (bits 0 and 1), a
    /// label, and two heap types.
    BrOnCast,
    /// A memory index: a LEB128 `u32` with multi-memory, else a single
    /// `0x00` byte.
    MemIndex,
    /// An index (`u32`), then a memory index (`memory.init`).
    IndexMemIndex,
    /// Two memory indices (`memory.copy`).
    MemIndex2,
    /// `call_indirect`: a type index, then a table index (a LEB128 `u32`
    /// with reference types, else a single `0x00` byte).
    CallIndirect,
    /// A single `0x00` byte (`atomic.fence`).
    ZeroByte,
    /// A prefix byte: a LEB128 `u32` sub-opcode follows.
    Prefix,
    /// Not an instruction.
    Illegal,
}

/// Where an instruction sits in the block structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ControlEffect {
    /// An ordinary instruction.
    None,
    /// Opens a block that ends with `end` (`block`, `loop`, `try_table`).
    OpenBlock,
    /// Opens an `if` block, which may have an `else`.
    OpenIf,
    /// Opens a legacy `try` block, which may have `catch`, `catch_all` or
    /// `delegate`.
    OpenTry,
    /// `else`: only directly inside an `if` block, once.
    Else,
    /// `end`: closes the innermost block (or the function).
    End,
    /// Legacy `catch`: only directly inside a `try` block, before any
    /// `catch_all`.
    Catch,
    /// Legacy `catch_all`: only directly inside a `try` block, once.
    CatchAll,
    /// Legacy `delegate`: closes a `try` block that has no catch clause.
    Delegate,
}

/// What the tables know about one opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OpcodeInfo {
    /// The immediates after the opcode.
    pub immediates: Immediates,
    /// The effect on block nesting.
    pub control: ControlEffect,
    /// The proposal the instruction belongs to; `None` for WebAssembly 1.0.
    pub proposal: Option<Proposal>,
    /// Whether the instruction needs a data count section (`memory.init`,
    /// `data.drop`).
    pub needs_data_count: bool,
    pub(crate) fast: FastShape,
}

/// How the check pass's fast path measures an instruction whose immediates
/// are a few raw bytes or at most two short LEB128 integers, from the eight
/// bytes after its opcode (the window, `w` as a little-endian `u64`).
///
/// `stops = !w & 0x8080_8080_8080_8080` marks the bytes that end a LEB128
/// integer. The instruction takes `base + tz(s) / 8` bytes, where
/// `s = (stops & (stops - k)) | force`: `k = 1` drops the first mark, so
/// the length ends at the second integer; `force = 1` makes the length
/// `base` alone (no integer decides it). It is well-formed, and takes the
/// fast path, if `w & forbid == 0` (bytes that must be small or zero), if
/// `(stops | 1) & need != 0` (an integer ends where it must; `need = 1` for
/// shapes without integers) or `w & fifth == 0` (the integer that decides
/// the length takes five bytes, the last one small enough for 32 bits;
/// all ones where that is not allowed), and if the proposal bit `gate` is
/// enabled ([`NEVER`] for instructions that always take the exact path).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FastShape {
    pub(crate) need: u64,
    pub(crate) forbid: u64,
    pub(crate) fifth: u64,
    pub(crate) gate: u32,
    pub(crate) base: u8,
    pub(crate) k: u8,
    pub(crate) force: u8,
}

// Proposal bits are `1 << (proposal as u8)` in a `u32`.
const _: () = assert!(Proposal::ALL.len() <= 32);

/// The window bits that must be clear for an unsigned 32-bit integer at
/// the start of the window to take five bytes: the fifth below 0x10.
const FIFTH_U32: u64 = 0xf0 << 32;
/// The same for a signed one: the fifth below 0x08 (non-negative).
const FIFTH_I32: u64 = 0xf8 << 32;

/// The byte-end marks of window bytes `first..=last`.
const fn stops_in(first: u32, last: u32) -> u64 {
    let mut mask = 0;
    let mut i = first;
    while i <= last {
        mask |= 0x80 << (8 * i);
        i += 1;
    }
    mask
}

impl FastShape {
    const SLOW: FastShape = FastShape {
        need: 0,
        forbid: 0,
        fifth: u64::MAX,
        gate: NEVER,
        base: 0,
        k: 0,
        force: 0,
    };

    /// `base` bytes in all, no integer deciding the length, `forbid` bits
    /// of the window clear.
    const fn fixed(base: u8, forbid: u64) -> FastShape {
        FastShape {
            need: 1,
            forbid,
            fifth: u64::MAX,
            gate: 0,
            base,
            k: 0,
            force: 1,
        }
    }

    /// The opcode, then integers: the length ends at the first (`k = 0`)
    /// or second (`k = 1`) mark, which must lie in `need` (or be a
    /// five-byte integer allowed by `fifth`), plus `extra` bytes after it.
    const fn integers(k: u8, need: u64, fifth: u64, forbid: u64, extra: u8) -> FastShape {
        FastShape {
            need,
            forbid,
            fifth,
            gate: 0,
            base: 2 + extra,
            k,
            force: 0,
        }
    }

    const fn of(immediates: Immediates, proposal: Option<Proposal>) -> FastShape {
        // LEB128 integers of at most 4 bytes always fit 32 bits, of at most
        // 8 bytes 64 bits: longer ones take the exact path. A memory
        // argument's flags byte must be below 64 (no memory index).
        let mut shape = match immediates {
            Immediates::None => FastShape::fixed(1, 0),
            // Five-byte integers (padded ones are common): an unsigned
            // one's last byte below 0x10, a signed one's below 0x08 (a
            // non-negative value; negative ones take the exact path).
            Immediates::Index => FastShape::integers(0, stops_in(0, 3), FIFTH_U32, 0, 0),
            Immediates::I32 => FastShape::integers(0, stops_in(0, 3), FIFTH_I32, 0, 0),
            Immediates::I64 => FastShape::integers(0, stops_in(0, 7), u64::MAX, 0, 0),
            // A one-byte first index (flags below 64 for a memory
            // argument), then one of at most 5 bytes.
            Immediates::Index2 => FastShape::integers(1, stops_in(1, 4), FIFTH_U32 << 8, 0x80, 0),
            Immediates::MemArg => FastShape::integers(1, stops_in(1, 4), FIFTH_U32 << 8, 0xc0, 0),
            Immediates::MemArgLane => {
                FastShape::integers(1, stops_in(1, 4), FIFTH_U32 << 8, 0xc0, 1)
            }
            Immediates::F32 => FastShape::fixed(5, 0),
            Immediates::F64 => FastShape::fixed(9, 0),
            Immediates::Bytes16 => FastShape::fixed(17, 0),
            Immediates::Lane => FastShape::fixed(2, 0),
            // `0x00`: the byte without multi-memory, index 0 with it.
            Immediates::ZeroByte | Immediates::MemIndex => FastShape::fixed(2, 0xff),
            Immediates::MemIndex2 => FastShape::fixed(3, 0xffff),
            // A one-byte type index, then table `0x00` (the byte without
            // reference types, index 0 with them).
            Immediates::CallIndirect => FastShape::fixed(3, 0xff80),
            _ => return FastShape::SLOW,
        };
        if let Some(p) = proposal {
            shape.gate = 1 << (p as u8);
        }
        shape
    }
}

const fn info(immediates: Immediates, proposal: Option<Proposal>) -> OpcodeInfo {
    OpcodeInfo {
        immediates,
        control: ControlEffect::None,
        proposal,
        needs_data_count: false,
        fast: FastShape::of(immediates, proposal),
    }
}

const fn control(
    immediates: Immediates,
    control: ControlEffect,
    proposal: Option<Proposal>,
) -> OpcodeInfo {
    OpcodeInfo {
        immediates,
        control,
        proposal,
        needs_data_count: false,
        // Control instructions always take the exact path.
        fast: FastShape::SLOW,
    }
}

const fn data_count(immediates: Immediates) -> OpcodeInfo {
    OpcodeInfo {
        immediates,
        control: ControlEffect::None,
        proposal: Some(Proposal::BulkMemory),
        needs_data_count: true,
        fast: FastShape::SLOW,
    }
}

const ILLEGAL: OpcodeInfo = OpcodeInfo {
    immediates: Immediates::Illegal,
    control: ControlEffect::None,
    proposal: None,
    needs_data_count: false,
    fast: FastShape::SLOW,
};

const fn fill<const N: usize>(
    mut table: [OpcodeInfo; N],
    first: usize,
    last: usize,
    entry: OpcodeInfo,
) -> [OpcodeInfo; N] {
    let mut i = first;
    while i <= last {
        table[i] = entry;
        i += 1;
    }
    table
}

const fn one_byte_table() -> [OpcodeInfo; 256] {
    use ControlEffect as C;
    use Immediates as I;
    let none = None;
    let legacy = Some(Proposal::LegacyExceptions);
    let exceptions = Some(Proposal::Exceptions);
    let reftypes = Some(Proposal::ReferenceTypes);
    let funcrefs = Some(Proposal::FunctionReferences);
    let tail = Some(Proposal::TailCall);

    let mut t = [ILLEGAL; 256];
    t[0x00] = info(I::None, none); // unreachable
    t[0x01] = info(I::None, none); // nop
    t[0x02] = control(I::BlockType, C::OpenBlock, none); // block
    t[0x03] = control(I::BlockType, C::OpenBlock, none); // loop
    t[0x04] = control(I::BlockType, C::OpenIf, none); // if
    t[0x05] = control(I::None, C::Else, none); // else
    t[0x06] = control(I::BlockType, C::OpenTry, legacy); // try
    t[0x07] = control(I::Index, C::Catch, legacy); // catch tag
    t[0x08] = info(I::Index, exceptions); // throw tag
    t[0x09] = info(I::Index, legacy); // rethrow label
    t[0x0a] = info(I::None, exceptions); // throw_ref
    t[0x0b] = control(I::None, C::End, none); // end
    t[0x0c] = info(I::Index, none); // br
    t[0x0d] = info(I::Index, none); // br_if
    t[0x0e] = info(I::BrTable, none); // br_table
    t[0x0f] = info(I::None, none); // return
    t[0x10] = info(I::Index, none); // call
    t[0x11] = info(I::CallIndirect, none); // call_indirect
    t[0x12] = info(I::Index, tail); // return_call
    // return_call_indirect type table: the table index is encoded as
    // call_indirect's (a zero byte without reference types).
    t[0x13] = info(I::CallIndirect, tail);
    t[0x14] = info(I::Index, funcrefs); // call_ref type
    // return_call_ref type: function references' instruction (it also
    // needs tail calls, which validation sees to), as in the operator table.
    t[0x15] = info(I::Index, funcrefs);
    t[0x18] = control(I::Index, C::Delegate, legacy); // delegate label
    t[0x19] = control(I::None, C::CatchAll, legacy); // catch_all
    t[0x1a] = info(I::None, none); // drop
    t[0x1b] = info(I::None, none); // select
    t[0x1c] = info(I::SelectTypes, reftypes); // select t*
    t[0x1f] = control(I::TryTable, C::OpenBlock, exceptions); // try_table
    t = fill(t, 0x20, 0x24, info(I::Index, none)); // local.*, global.*
    t = fill(t, 0x25, 0x26, info(I::Index, reftypes)); // table.get/set
    t = fill(t, 0x28, 0x3e, info(I::MemArg, none)); // loads and stores
    t = fill(t, 0x3f, 0x40, info(I::MemIndex, none)); // memory.size/grow
    t[0x41] = info(I::I32, none); // i32.const
    t[0x42] = info(I::I64, none); // i64.const
    t[0x43] = info(I::F32, none); // f32.const
    t[0x44] = info(I::F64, none); // f64.const
    t = fill(t, 0x45, 0xbf, info(I::None, none)); // numeric
    t = fill(t, 0xc0, 0xc4, info(I::None, Some(Proposal::SignExtension)));
    t[0xd0] = info(I::HeapType, reftypes); // ref.null
    t[0xd1] = info(I::None, reftypes); // ref.is_null
    t[0xd2] = info(I::Index, reftypes); // ref.func
    t[0xd3] = info(I::None, Some(Proposal::Gc)); // ref.eq
    t[0xd4] = info(I::None, funcrefs); // ref.as_non_null
    t[0xd5] = info(I::Index, funcrefs); // br_on_null
    t[0xd6] = info(I::Index, funcrefs); // br_on_non_null
    t[0xfb] = info(I::Prefix, none);
    t[0xfc] = info(I::Prefix, none);
    t[0xfd] = info(I::Prefix, none);
    t[0xfe] = info(I::Prefix, none);
    t
}

const fn gc_table() -> [OpcodeInfo; 0x1f] {
    use Immediates as I;
    let gc = Some(Proposal::Gc);
    let mut t = [ILLEGAL; 0x1f];
    t = fill(t, 0x00, 0x01, info(I::Index, gc)); // struct.new(_default)
    t = fill(t, 0x02, 0x05, info(I::Index2, gc)); // struct.get(_s/_u)/set
    t = fill(t, 0x06, 0x07, info(I::Index, gc)); // array.new(_default)
    t = fill(t, 0x08, 0x0a, info(I::Index2, gc)); // array.new_fixed/data/elem
    t = fill(t, 0x0b, 0x0e, info(I::Index, gc)); // array.get(_s/_u)/set
    t[0x0f] = info(I::None, gc); // array.len
    t[0x10] = info(I::Index, gc); // array.fill
    t = fill(t, 0x11, 0x13, info(I::Index2, gc)); // array.copy/init_data/init_elem
    t = fill(t, 0x14, 0x17, info(I::HeapType, gc)); // ref.test, ref.cast
    t = fill(t, 0x18, 0x19, info(I::BrOnCast, gc)); // br_on_cast(_fail)
    t = fill(t, 0x1a, 0x1e, info(I::None, gc)); // conversions, i31
    t
}

const fn misc_table() -> [OpcodeInfo; 0x17] {
    use Immediates as I;
    let mut t = [ILLEGAL; 0x17];
    t = fill(
        t,
        0x00,
        0x07,
        info(I::None, Some(Proposal::SaturatingFloatToInt)),
    );
    let bulk = Some(Proposal::BulkMemory);
    t[0x08] = data_count(I::IndexMemIndex); // memory.init data mem
    t[0x09] = data_count(I::Index); // data.drop data
    t[0x0a] = info(I::MemIndex2, bulk); // memory.copy dst src
    t[0x0b] = info(I::MemIndex, bulk); // memory.fill mem
    t[0x0c] = info(I::Index2, bulk); // table.init elem table
    t[0x0d] = info(I::Index, bulk); // elem.drop elem
    t[0x0e] = info(I::Index2, bulk); // table.copy dst src
    // table.grow, table.size, table.fill
    t = fill(
        t,
        0x0f,
        0x11,
        info(I::Index, Some(Proposal::ReferenceTypes)),
    );
    // i64.add128, i64.sub128, i64.mul_wide_s, i64.mul_wide_u
    t = fill(t, 0x13, 0x16, info(I::None, Some(Proposal::WideArithmetic)));
    t
}

const fn simd_table() -> [OpcodeInfo; 0x114] {
    use Immediates as I;
    let simd = Some(Proposal::Simd);
    let mut t = [ILLEGAL; 0x114];
    t = fill(t, 0x00, 0x0b, info(I::MemArg, simd)); // v128.load*, v128.store
    t[0x0c] = info(I::Bytes16, simd); // v128.const
    t[0x0d] = info(I::Bytes16, simd); // i8x16.shuffle: 16 lane bytes
    t = fill(t, 0x0e, 0x14, info(I::None, simd)); // swizzle, splats
    t = fill(t, 0x15, 0x22, info(I::Lane, simd)); // extract/replace_lane
    t = fill(t, 0x23, 0x53, info(I::None, simd));
    t = fill(t, 0x54, 0x5b, info(I::MemArgLane, simd)); // load/store lane
    t = fill(t, 0x5c, 0x5d, info(I::MemArg, simd)); // load32/64_zero
    t = fill(t, 0x5e, 0xff, info(I::None, simd));
    // Codes left unassigned in the SIMD opcode space.
    let holes = [
        0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0,
        0xd2, 0xd3, 0xd4, 0xe2, 0xee,
    ];
    let mut i = 0;
    while i < holes.len() {
        t[holes[i]] = ILLEGAL;
        i += 1;
    }
    t = fill(t, 0x100, 0x113, info(I::None, Some(Proposal::RelaxedSimd)));
    t
}

const fn atomic_table() -> [OpcodeInfo; 0x4f] {
    use Immediates as I;
    let threads = Some(Proposal::Threads);
    let mut t = [ILLEGAL; 0x4f];
    // memory.atomic.notify, memory.atomic.wait32/64
    t = fill(t, 0x00, 0x02, info(I::MemArg, threads));
    t[0x03] = info(I::ZeroByte, threads); // atomic.fence 0x00
    // atomic loads, stores, read-modify-writes, cmpxchg
    t = fill(t, 0x10, 0x4e, info(I::MemArg, threads));
    t
}

/// The one-byte opcodes, indexed by the opcode byte.
pub static ONE_BYTE: [OpcodeInfo; 256] = one_byte_table();
/// The `0xFB` (GC) sub-opcodes.
pub static GC_PREFIXED: [OpcodeInfo; 0x1f] = gc_table();
/// The `0xFC` sub-opcodes.
pub static MISC_PREFIXED: [OpcodeInfo; 0x17] = misc_table();
/// The `0xFD` (SIMD, relaxed SIMD) sub-opcodes.
pub static SIMD_PREFIXED: [OpcodeInfo; 0x114] = simd_table();
/// The `0xFE` (threads) sub-opcodes.
pub static ATOMIC_PREFIXED: [OpcodeInfo; 0x4f] = atomic_table();

/// The first tests of the check pass's fast path, for an instruction whose
/// integer immediates are all one byte long (most are), then for one whose
/// last (or, for `call_indirect`, first) integer takes two bytes: it takes
/// `len` bytes if the window bits `mask` are clear (one-byte integers,
/// small flags, zero bytes), else `len2` bytes if the window bits `mask2`
/// are `want2`; in both cases only if the proposal bit `gate` is enabled.
/// Instructions that always take the exact path have a gate bit no
/// feature set enables. `shape` says whether the opcode's [`FastShape`]
/// may take it when these tests fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ShortShape {
    pub(crate) mask: u64,
    pub(crate) mask2: u64,
    pub(crate) want2: u64,
    pub(crate) gate: u32,
    pub(crate) len: u8,
    pub(crate) len2: u8,
    pub(crate) shape: bool,
}

/// A proposal bit that [`Features`](crate::Features) never sets.
pub(crate) const NEVER: u32 = 1 << 31;
const _: () = assert!(Proposal::ALL.len() < 31);

impl ShortShape {
    const SLOW: ShortShape = ShortShape {
        mask: 0,
        // Never `want2`.
        mask2: 0,
        want2: 1,
        gate: NEVER,
        len: 0,
        len2: 0,
        shape: false,
    };

    const fn of(immediates: Immediates, proposal: Option<Proposal>) -> ShortShape {
        // The window bits of a two-byte integer in bytes 0 and 1: a mark,
        // then none.
        const TWO: (u64, u64) = (0x8080, 0x0080);
        let (len, mask, (len2, mask2, want2)) = match immediates {
            Immediates::None => (1, 0, (0, 0, 1)),
            Immediates::Index | Immediates::I32 | Immediates::I64 => (2, 0x80, (3, TWO.0, TWO.1)),
            // Flags below 64, a one-byte offset; or a two-byte one.
            Immediates::MemArg => (3, 0x80c0, (4, TWO.0 << 8 | 0xc0, TWO.1 << 8)),
            Immediates::F32 => (5, 0, (0, 0, 1)),
            Immediates::F64 => (9, 0, (0, 0, 1)),
            Immediates::MemIndex => (2, 0xff, (0, 0, 1)),
            // A one-byte type index, table `0x00`; or a two-byte index.
            Immediates::CallIndirect => (3, 0xff80, (4, 0xff_0000 | TWO.0, TWO.1)),
            _ => return ShortShape::SLOW,
        };
        let gate = match proposal {
            Some(p) => 1 << (p as u8),
            None => 0,
        };
        ShortShape {
            mask,
            mask2,
            want2,
            gate,
            len,
            len2,
            shape: false,
        }
    }
}

/// The short shapes of the one-byte opcodes (see [`ShortShape`]).
pub(crate) static ONE_BYTE_SHORT: [ShortShape; 256] = {
    let mut short = [ShortShape::SLOW; 256];
    let mut i = 0;
    while i < 256 {
        let info = &ONE_BYTE[i];
        // Control instructions and those needing a data count take the
        // exact path.
        if info.fast.need != 0 {
            short[i] = ShortShape::of(info.immediates, info.proposal);
        }
        short[i].shape = info.fast.gate != NEVER;
        i += 1;
    }
    short
};

/// [`ONE_BYTE_SHORT`] for every proposal enabled, tested on the opcode and
/// the seven bytes after it: the masks one byte up, and, for instructions
/// that always take the exact path, the opcode byte (never 0 for them) in
/// `mask`; no proposal bits.
pub(crate) static ONE_BYTE_SHORT_ALL: [ShortShape; 256] = {
    let mut all = ONE_BYTE_SHORT;
    let mut i = 0;
    while i < 256 {
        let never = all[i].gate == NEVER;
        // Opcode 0x00 (`unreachable`) takes the fast path.
        assert!(!never || i != 0);
        // The check loop takes the next opcode from the same eight bytes
        // after an instruction of this path, so it must end within them:
        // longer ones (`f64.const`) are measured by their shape.
        let long = all[i].len > 7;
        assert!(!long || (all[i].shape && i != 0));
        all[i].mask = all[i].mask << 8 | if never || long { 0xff } else { 0 };
        all[i].mask2 <<= 8;
        all[i].want2 <<= 8;
        all[i].gate = 0;
        i += 1;
    }
    all
};

/// The `len` of every [`ONE_BYTE_SHORT_ALL`] row, apart: the check loop's
/// chain from one instruction to the next loads one byte indexed by the
/// opcode, not a row.
pub(crate) static ONE_BYTE_SHORT_LEN: [u8; 256] = {
    let mut t = [0; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = ONE_BYTE_SHORT[i].len;
        i += 1;
    }
    t
};

/// The fast shapes of the one-byte opcodes, apart from the rest of
/// [`ONE_BYTE`] so that the check pass's hot loop touches 24 bytes a row.
pub(crate) static ONE_BYTE_FAST: [FastShape; 256] = {
    let mut fast = [FastShape::SLOW; 256];
    let mut i = 0;
    while i < 256 {
        fast[i] = ONE_BYTE[i].fast;
        i += 1;
    }
    fast
};

/// How the check pass measures an instruction its fast path declined,
/// before it falls back to the exact path (see [`QuickShape`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub(crate) enum Quick {
    /// Only the exact path.
    Exact,
    /// No immediates.
    None,
    /// An index of at most four bytes.
    Index,
    /// Two indices of at most four bytes each.
    Index2,
    /// A heap type.
    HeapType,
    /// `br_on_cast`'s flags, label and two heap types.
    BrOnCast,
    /// A type index of at most four bytes, then table `0x00`.
    CallIndirect,
    /// One value type (a typed `select` with one type).
    Select,
    /// A block type; the instruction opens a block (`block`, `loop`) or an
    /// `if` (`if`).
    Block,
    /// `0xFB`: a GC sub-opcode of one byte follows ([`GC_QUICK`]).
    Gc,
    /// Another prefix, or `0xFB` with a longer sub-opcode.
    Prefix,
}

/// The quick path's class of an opcode: how to measure its immediates, and
/// the proposal bit (`1 << (proposal as u8)`) it needs, [`NEVER`] for
/// [`Quick::Exact`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct QuickShape {
    pub(crate) gate: u32,
    pub(crate) kind: Quick,
}

impl QuickShape {
    const EXACT: QuickShape = QuickShape {
        gate: NEVER,
        kind: Quick::Exact,
    };

    /// The class of `info`'s instruction. Control instructions but blocks,
    /// and those needing a data count, take the exact path; so do one-byte
    /// opcodes (not `prefixed`) whose immediates the fast path measures.
    const fn of(info: &OpcodeInfo, prefixed: bool) -> QuickShape {
        use Immediates as I;
        let kind = match (info.immediates, info.control) {
            (I::BlockType, ControlEffect::OpenBlock | ControlEffect::OpenIf) => Quick::Block,
            (_, ControlEffect::None) if info.needs_data_count => return QuickShape::EXACT,
            (I::Prefix, _) => Quick::Prefix,
            (I::HeapType, ControlEffect::None) => Quick::HeapType,
            (I::BrOnCast, ControlEffect::None) => Quick::BrOnCast,
            (I::CallIndirect, ControlEffect::None) => Quick::CallIndirect,
            (I::SelectTypes, ControlEffect::None) => Quick::Select,
            (I::None, ControlEffect::None) if prefixed => Quick::None,
            (I::Index, ControlEffect::None) if prefixed => Quick::Index,
            (I::Index2, ControlEffect::None) => Quick::Index2,
            _ => return QuickShape::EXACT,
        };
        let gate = match info.proposal {
            Some(p) => 1 << (p as u8),
            None => 0,
        };
        QuickShape { gate, kind }
    }
}

/// The quick classes of the one-byte opcodes, `0xFB` being [`Quick::Gc`].
pub(crate) static ONE_BYTE_QUICK: [QuickShape; 256] = {
    let mut t = [QuickShape::EXACT; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = QuickShape::of(&ONE_BYTE[i], false);
        i += 1;
    }
    t[0xfb].kind = Quick::Gc;
    t
};

/// Short shapes (see [`ShortShape`]) of the `0xFB` sub-opcodes of one byte,
/// tested on the eight bytes from the sub-opcode on (the sub-opcode's own
/// byte must be below 0x80); lengths count the sub-opcode, not the prefix.
/// Instructions without immediates, and those with one index or two of
/// which the first takes one or two bytes and the last one byte.
pub(crate) static GC_SHORT: [ShortShape; 0x80] = {
    let mut t = [ShortShape::SLOW; 0x80];
    let mut i = 0;
    while i < GC_PREFIXED.len() {
        let info = &GC_PREFIXED[i];
        let gate = match info.proposal {
            Some(p) => 1 << (p as u8),
            None => 0,
        };
        // (len, mask, len2, mask2, want2), the sub-opcode's byte included.
        let shape = match info.immediates {
            Immediates::None => Some((1, 0x80, 0, 0, 1)),
            Immediates::Index => Some((2, 0x8080, 3, 0x80_8080, 0x00_8000)),
            Immediates::Index2 => Some((3, 0x80_8080, 4, 0x8080_8080, 0x0000_8000)),
            _ => None,
        };
        if let Some((len, mask, len2, mask2, want2)) = shape {
            t[i] = ShortShape {
                mask,
                mask2,
                want2,
                gate,
                len,
                len2,
                shape: true,
            };
        }
        i += 1;
    }
    t
};

/// The immediates of a SIMD instruction (`0xFD` prefix) when each of its
/// integers takes one byte: a row per sub-opcode. The fast path takes the
/// instruction if the window after the sub-opcode has no bit of `mask`
/// set and its proposal is enabled; `len` counts the immediates' bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SimdShort {
    pub(crate) mask: u64,
    pub(crate) gate: u32,
    pub(crate) len: u8,
}

/// [`SimdShort`] of every SIMD sub-opcode; instructions of other shapes
/// have a gate no feature set enables.
pub(crate) static SIMD_SHORT: [SimdShort; 0x114] = {
    let mut t = [SimdShort {
        mask: 0,
        gate: NEVER,
        len: 0,
    }; 0x114];
    let mut i = 0;
    while i < SIMD_PREFIXED.len() {
        let info = &SIMD_PREFIXED[i];
        // Flags below 64 (no memory index) and an offset of one byte.
        let shape = match info.immediates {
            Immediates::None => Some((0, 0)),
            Immediates::MemArg => Some((2, 0x80c0)),
            Immediates::MemArgLane => Some((3, 0x80c0)),
            Immediates::Lane => Some((1, 0)),
            Immediates::Bytes16 => Some((16, 0)),
            _ => None,
        };
        if let (Some((len, mask)), Some(p)) = (shape, info.proposal) {
            t[i] = SimdShort {
                mask,
                gate: 1 << (p as u8),
                len,
            };
        }
        i += 1;
    }
    t
};

/// The quick classes of the `0xFB` sub-opcodes of one byte (illegal ones
/// take the exact path).
pub(crate) static GC_QUICK: [QuickShape; 0x80] = {
    let mut t = [QuickShape::EXACT; 0x80];
    let mut i = 0;
    while i < GC_PREFIXED.len() {
        if !matches!(GC_PREFIXED[i].immediates, Immediates::Illegal) {
            t[i] = QuickShape::of(&GC_PREFIXED[i], true);
        }
        i += 1;
    }
    t
};

/// Set in a [`VAL_TYPE`] entry whose byte (`0x63`, `0x64`) is followed by
/// a heap type.
pub(crate) const HEAP_FOLLOWS: u32 = 1 << 30;
const _: () = assert!(Proposal::ALL.len() < 30);

/// The proposal bit (`1 << (proposal as u8)`) each abstract heap type's
/// byte needs; 0 for bytes that are no abstract heap type (a heap type
/// starting with one is a type index, or malformed).
pub(crate) static HEAP_TYPE: [u32; 256] = {
    let mut t = [0; 256];
    let mut i = 0;
    while i < 256 {
        if let Some(ty) = AbstractHeapType::from_byte(i as u8) {
            t[i] = 1 << (ty.proposal() as u8);
        }
        i += 1;
    }
    t
};

/// What the first byte of a value type needs: the proposal bits it needs
/// (0 for `i32`, `i64`, `f32`, `f64`), with [`HEAP_FOLLOWS`] for `ref` and
/// `ref null`, whose heap type follows; [`NEVER`] for bytes that start no
/// value type.
pub(crate) static VAL_TYPE: [u32; 256] = {
    let mut t = [NEVER; 256];
    let mut i = 0x7c;
    while i <= 0x7f {
        t[i] = 0;
        i += 1;
    }
    t[0x7b] = 1 << (Proposal::Simd as u8);
    let funcrefs = 1 << (Proposal::FunctionReferences as u8);
    t[0x63] = funcrefs | HEAP_FOLLOWS;
    t[0x64] = funcrefs | HEAP_FOLLOWS;
    // The shorthands `funcref`, `externref`, `anyref`...: one byte each.
    i = 0;
    while i < 256 {
        if HEAP_TYPE[i] != 0 {
            t[i] = HEAP_TYPE[i];
        }
        i += 1;
    }
    t
};

/// What the tables know about the one-byte opcode `code`.
#[inline]
pub fn one_byte_opcode(code: u8) -> &'static OpcodeInfo {
    &ONE_BYTE[usize::from(code)]
}

/// What the tables know about sub-opcode `code` after `prefix` (0xFB..0xFE);
/// `None` if `prefix` is not a prefix or `code` is not an instruction.
#[inline]
pub fn prefixed_opcode(prefix: u8, code: u32) -> Option<&'static OpcodeInfo> {
    let table: &'static [OpcodeInfo] = match prefix {
        0xfb => &GC_PREFIXED,
        0xfc => &MISC_PREFIXED,
        0xfd => &SIMD_PREFIXED,
        0xfe => &ATOMIC_PREFIXED,
        _ => return None,
    };
    let info = table.get(usize::try_from(code).ok()?)?;
    (info.immediates != Immediates::Illegal).then_some(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_classes() {
        assert_eq!(one_byte_opcode(0x0b).control, ControlEffect::End);
        assert_eq!(one_byte_opcode(0x04).control, ControlEffect::OpenIf);
        assert_eq!(one_byte_opcode(0x20).immediates, Immediates::Index);
        assert_eq!(one_byte_opcode(0x28).immediates, Immediates::MemArg);
        assert_eq!(one_byte_opcode(0x42).immediates, Immediates::I64);
        assert_eq!(one_byte_opcode(0x44).immediates, Immediates::F64);
        assert_eq!(one_byte_opcode(0x6a).immediates, Immediates::None);
        assert_eq!(
            one_byte_opcode(0xc0).proposal,
            Some(Proposal::SignExtension)
        );
        // Gaps in the one-byte space.
        for code in [0x16, 0x17, 0x1d, 0x1e, 0x27, 0xc5, 0xcf, 0xd7, 0xe0, 0xff] {
            assert_eq!(one_byte_opcode(code).immediates, Immediates::Illegal);
        }
    }

    #[test]
    fn prefixed_classes() {
        assert!(prefixed_opcode(0xfc, 0x08).unwrap().needs_data_count);
        assert!(prefixed_opcode(0xfc, 0x09).unwrap().needs_data_count);
        assert!(!prefixed_opcode(0xfc, 0x0a).unwrap().needs_data_count);
        assert_eq!(prefixed_opcode(0xfc, 0x12), None);
        assert_eq!(
            prefixed_opcode(0xfd, 0x0d).unwrap().immediates,
            Immediates::Bytes16
        );
        assert_eq!(
            prefixed_opcode(0xfd, 0x54).unwrap().immediates,
            Immediates::MemArgLane
        );
        assert_eq!(prefixed_opcode(0xfd, 0x9a), None);
        assert_eq!(
            prefixed_opcode(0xfd, 0x113).unwrap().proposal,
            Some(Proposal::RelaxedSimd)
        );
        assert_eq!(prefixed_opcode(0xfd, 0x114), None);
        assert_eq!(
            prefixed_opcode(0xfe, 0x03).unwrap().immediates,
            Immediates::ZeroByte
        );
        assert_eq!(prefixed_opcode(0xfe, 0x04), None);
        assert_eq!(prefixed_opcode(0xfe, 0x4f), None);
        assert_eq!(
            prefixed_opcode(0xfb, 0x18).unwrap().immediates,
            Immediates::BrOnCast
        );
        assert_eq!(prefixed_opcode(0xfb, 0x1f), None);
        assert_eq!(prefixed_opcode(0xfb, u32::MAX), None);
        assert_eq!(prefixed_opcode(0x00, 0), None);
    }
}
