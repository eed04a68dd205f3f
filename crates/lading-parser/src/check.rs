//! The check pass: verifies that a function body (or a constant expression)
//! is well-formed per the binary format and counts its instructions, without
//! building operator values.
//!
//! The hot loop looks at the opcode and the eight bytes after it: one table
//! load and one mask test take instructions whose integer immediates are
//! one byte long (most of them); a second test takes a two-byte last
//! integer, and a shape computation up to two LEB128 integers within the
//! window ([`fast_len`]). What it declines, the loop handles in place when
//! it needs no reader: `end`, `else`, blocks, and the instructions
//! [`quick_len`] measures (block types, heap and value types, GC
//! instructions, long indices). Everything else (rare control
//! instructions, long or unusual immediates, the last bytes of the body)
//! goes through an exact path built on [`Reader`]. Tests check that every
//! length the fast and quick paths give is the exact path's.
//!
//! Each instruction's length decides where the next one starts, so checking
//! one body is a single chain of dependent steps whose latency bounds the
//! speed; [`FunctionBody::check_pair`] and [`check_bodies`] interleave two
//! bodies so that two independent chains overlap.
//!
//! Block nesting is tracked with a depth counter and the kinds of the
//! innermost 64 frames in an array indexed by depth modulo 64; deeper frames
//! spill to a vector, so only bodies nested more than 64 levels allocate, at
//! most one byte per two bytes of body.

mod split;

pub use split::{BodySplit, SplitHead, SplitTail};

use crate::opcode_table::{
    ControlEffect, FastShape, GC_QUICK, GC_SHORT, HEAP_FOLLOWS, HEAP_TYPE, Immediates, ONE_BYTE,
    ONE_BYTE_FAST, ONE_BYTE_QUICK, ONE_BYTE_SHORT, ONE_BYTE_SHORT_ALL, ONE_BYTE_SHORT_LEN,
    OpcodeInfo, Quick, QuickShape, SIMD_SHORT, VAL_TYPE, prefixed_opcode,
};
use crate::{
    BodyRules, Error, ErrorKind, Features, FromReader, FunctionBody, HeapType, Proposal, Reader,
    Result, ValType,
};

/// What the check pass learned about a well-formed function body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BodySummary {
    /// The number of locals declared (parameters not included).
    pub locals: u64,
    /// The number of instructions, every `end`, `else`, legacy `catch`,
    /// `catch_all` and `delegate` included, and each `br_table` as one.
    pub instructions: u64,
}

impl<'a> FunctionBody<'a> {
    /// Checks that the whole body is well-formed: the locals, then
    /// instructions up to the `end` that closes the function, which must be
    /// the body's last byte.
    ///
    /// Errors carry the spec's messages: an unknown opcode is `illegal
    /// opcode`, a misplaced `else`, `catch`, `catch_all` or `delegate` is
    /// `END opcode expected` (where the reference interpreter stops the
    /// enclosing block and expects its `end`), bytes after the final `end`
    /// are `section size mismatch` and running out of bytes is `unexpected
    /// end of section or function`.
    ///
    /// ```
    /// use lading_parser::{Features, FunctionBody, Reader};
    /// // No locals; i32.const 1; drop; end.
    /// let bytes = [0x00, 0x41, 0x01, 0x1a, 0x0b];
    /// let body = FunctionBody::new(Reader::new_in_section(&bytes, 0, Features::default()));
    /// let summary = body.check().unwrap();
    /// assert_eq!((summary.locals, summary.instructions), (0, 3));
    /// ```
    pub fn check(&self) -> Result<BodySummary> {
        let (mut checker, locals) = self.checker()?;
        let outcome = checker.run();
        checker.summary(outcome, locals)
    }

    /// Checks this body and `other` as [`FunctionBody::check`] does, with the
    /// instructions of both interleaved: the length of each instruction
    /// decides where the next starts, so one body is one chain of dependent
    /// steps, and two independent chains run faster together. Use it to
    /// check a code section two bodies at a time.
    pub fn check_pair(
        &self,
        other: &FunctionBody<'_>,
    ) -> (Result<BodySummary>, Result<BodySummary>) {
        match (self.checker(), other.checker()) {
            (Ok((mut a, la)), Ok((mut b, lb))) => {
                let (ra, rb) = match race(&mut a, &mut b) {
                    Finished::First(ra) => (ra, b.run()),
                    Finished::Second(rb) => (a.run(), rb),
                };
                (a.summary(ra, la), b.summary(rb, lb))
            }
            (Err(e), _) => (Err(e), other.check()),
            (_, Err(e)) => (self.check(), Err(e)),
        }
    }

    /// [`FunctionBody::check`] for a body of `module` (its bytes from
    /// absolute offset 0 on): the bytes after the body let the fast path take
    /// the last instructions too.
    pub(crate) fn check_in(&self, module: &'a [u8]) -> Result<BodySummary> {
        let (mut checker, locals) = self.checker_in(module)?;
        let outcome = checker.run();
        checker.summary(outcome, locals)
    }

    /// Reads the locals; returns a checker positioned at the first
    /// instruction and the number of locals.
    fn checker(&self) -> Result<(Checker<'a>, u64)> {
        self.checker_in(&[])
    }

    /// [`FunctionBody::checker`] for a body of `module` (bytes from absolute
    /// offset 0 on; empty if unknown): the bytes after the body let the
    /// fast path look past its last instructions.
    fn checker_in(&self, module: &'a [u8]) -> Result<(Checker<'a>, u64)> {
        let (reader, locals) = self.skip_locals()?;
        let mut checker = Checker::new(
            reader.remaining_bytes(),
            reader.offset(),
            reader.features(),
            self.data_count_present(),
        );
        checker.max_br_table_targets = self.max_br_table_targets();
        checker.look_past(module);
        Ok((checker, locals))
    }
}

/// Checks the instructions `code` of a body of `module` (bytes from
/// absolute offset 0 on) that start at offset `start`, after `locals`
/// locals: [`FunctionBody::check`] once the locals are read.
pub(crate) fn check_instructions(
    module: &[u8],
    start: usize,
    code: &[u8],
    locals: u64,
    rules: BodyRules,
) -> Result<BodySummary> {
    if rules.features == Features::ALL {
        check_instructions_with::<true>(module, start, code, locals, rules)
    } else {
        check_instructions_with::<false>(module, start, code, locals, rules)
    }
}

/// The size up to which [`check_instructions`] first tries a body without
/// a checker (bytes of instructions).
const SMALL_BODY: usize = 64;

/// [`check_instructions`], with every proposal enabled if `ALL`.
#[inline(always)]
fn check_instructions_with<const ALL: bool>(
    module: &[u8],
    start: usize,
    code: &[u8],
    locals: u64,
    rules: BodyRules,
) -> Result<BodySummary> {
    // Many small bodies are instructions the fast and quick paths take,
    // none opening a block, then the `end` that closes the function:
    // those are checked here, without building a checker. (Larger bodies
    // almost always open a block, and the checker would then start over
    // where this stops: not worth the detour.)
    let window = window_past(module, start, code);
    let disabled = !rules.features.bits();
    let (mut at, mut count) = (0, 0);
    while code.len() <= SMALL_BODY
        && let Some(rest) = window.get(at..)
        && let Some(chunk) = rest.first_chunk::<9>()
    {
        let len = match fast_len_in::<ALL>(chunk, disabled) {
            (Some(len), _, _) => len,
            (None, 0x0b, _) if at + 1 == code.len() => {
                return Ok(BodySummary {
                    locals,
                    instructions: count + 1,
                });
            }
            (None, op, w) => match quick_len_of(op, w, rest, disabled) {
                Some((len, None)) => len,
                _ => break,
            },
        };
        // Past the body: the checker reports it.
        if at + len > code.len() {
            break;
        }
        at += len;
        count += 1;
    }
    let mut checker = Checker::new(code, start, rules.features, rules.data_count_present);
    checker.window = window;
    (checker.pos, checker.count) = (at, count);
    checker.max_br_table_targets = rules.max_br_table_targets;
    let outcome = checker.run();
    checker.summary(outcome, locals)
}

/// Checks the instructions of a constant expression (or any instruction
/// sequence) up to and including the `end` that closes it, advances `reader`
/// past that `end` and returns the number of instructions.
///
/// This checks the binary format only; which instructions are constant is
/// for validation. Running out of bytes is `unexpected end of section or
/// function`.
pub fn check_const_expr(reader: &mut Reader<'_>) -> Result<u64> {
    if reader.features() == Features::ALL {
        check_const_expr_with::<true>(reader)
    } else {
        check_const_expr_with::<false>(reader)
    }
}

/// [`check_const_expr`], with every proposal enabled if `ALL`.
#[inline(always)]
fn check_const_expr_with<const ALL: bool>(reader: &mut Reader<'_>) -> Result<u64> {
    let data = reader.remaining_bytes();
    let disabled = !reader.features().bits();
    // Most constant expressions are one instruction of a fast shape
    // (`i32.const`, `global.get`...), then `end`; many others a few
    // instructions the fast and quick paths take (`i32.const`,
    // `global.get`, `struct.new`...), then `end`: without a checker while no
    // block opens.
    if let Some(len) = common_const_expr_len(data, reader.features()) {
        reader.skip(len)?;
        return Ok(2);
    }
    let (at, count) = match scan_const_expr::<ALL>(data, disabled) {
        ConstScan::Ended { len, count } => {
            reader.skip(len)?;
            return Ok(count);
        }
        ConstScan::Stopped { at, count } => (at, count),
    };
    let mut checker = Checker::new(data, reader.offset(), reader.features(), true);
    (checker.pos, checker.count) = (at, count);
    let (count, end) = checker.run()?;
    reader.skip(end)?;
    Ok(count)
}

/// How far the fast and quick paths take the instructions at the start of
/// `data` (a constant expression), none of which opens a block.
enum ConstScan {
    /// Through the `end` that closes it: its length and instruction count.
    Ended { len: usize, count: u64 },
    /// Up to an instruction they do not take (or the end of `data`), at
    /// `at`, after `count` instructions: a checker goes on from there.
    Stopped { at: usize, count: u64 },
}

/// What the fast and quick paths make of the instruction at the start of
/// `rest`, whose first nine bytes are `chunk`.
enum ConstStep {
    /// An instruction of this length, within `rest`.
    Len(usize),
    /// An `end`.
    End,
    /// One they do not take.
    Stop,
}

#[inline(always)]
fn const_step<const ALL: bool>(chunk: &[u8; 9], rest: &[u8], disabled: u32) -> ConstStep {
    let len = match fast_len_in::<ALL>(chunk, disabled) {
        (Some(len), _, _) => len,
        (None, 0x0b, _) => return ConstStep::End,
        (None, op, w) => match quick_len_of(op, w, rest, disabled) {
            Some((len, None)) => len,
            _ => return ConstStep::Stop,
        },
    };
    // Within `rest` (always, but for the zeros after the last bytes of
    // `data`, see `scan_const_tail`).
    if len <= rest.len() {
        ConstStep::Len(len)
    } else {
        ConstStep::Stop
    }
}

/// Takes the instructions at the start of `data` with the fast and quick
/// paths, up to the `end` that closes them or one they do not take.
#[inline(always)]
fn scan_const_expr<const ALL: bool>(data: &[u8], disabled: u32) -> ConstScan {
    let (mut at, mut count) = (0, 0);
    while let Some(rest) = data.get(at..)
        && let Some(chunk) = rest.first_chunk::<9>()
    {
        match const_step::<ALL>(chunk, rest, disabled) {
            ConstStep::Len(len) => at += len,
            ConstStep::End => {
                return ConstScan::Ended {
                    len: at + 1,
                    count: count + 1,
                };
            }
            ConstStep::Stop => return ConstScan::Stopped { at, count },
        }
        count += 1;
    }
    scan_const_tail::<ALL>(data, at, count, disabled)
}

/// [`scan_const_expr`] from `at`, closer than nine bytes to the end of
/// `data` (the last expression of a section): each instruction measured
/// over the bytes left followed by zeros, and taken only if it lies within
/// them, so the zeros are never part of what is accepted.
#[inline(never)]
fn scan_const_tail<const ALL: bool>(
    data: &[u8],
    mut at: usize,
    mut count: u64,
    disabled: u32,
) -> ConstScan {
    while let Some(rest) = data.get(at..)
        && !rest.is_empty()
    {
        let mut padded = [0u8; 9];
        let Some(head) = padded.get_mut(..rest.len()) else {
            break;
        };
        head.copy_from_slice(rest);
        match const_step::<ALL>(&padded, rest, disabled) {
            ConstStep::Len(len) => at += len,
            ConstStep::End => {
                return ConstScan::Ended {
                    len: at + 1,
                    count: count + 1,
                };
            }
            ConstStep::Stop => break,
        }
        count += 1;
    }
    ConstScan::Stopped { at, count }
}

/// The length of the constant expression at the start of `data` when the
/// fast and quick paths take all of it, through its `end` (no block
/// opens); `None` for any other, valid or not, which [`check_const_expr`]
/// checks with a checker (and reports).
pub(crate) fn const_expr_len(data: &[u8], features: Features) -> Option<usize> {
    if let Some(len) = common_const_expr_len(data, features) {
        return Some(len);
    }
    let disabled = !features.bits();
    let scan = if features == Features::ALL {
        scan_const_expr::<true>(data, disabled)
    } else {
        scan_const_expr::<false>(data, disabled)
    };
    match scan {
        ConstScan::Ended { len, .. } => Some(len),
        ConstScan::Stopped { .. } => None,
    }
}

/// The length of the constant expression at the start of `data` when it
/// is of the most common form, one instruction of a fast shape
/// (`i32.const`, `global.get`...) then `end`; `None` for any other, which
/// [`check_const_expr`] checks exactly. An expression closer than nine
/// bytes to the end of `data` is left to [`check_const_expr`] too (its
/// scan measures such bytes, `scan_const_tail`).
#[inline(always)]
pub(crate) fn common_const_expr_len(data: &[u8], features: Features) -> Option<usize> {
    common_const_expr_len_in(data.first_chunk::<9>()?, data, features)
}

/// [`common_const_expr_len`] measured over `chunk`, the first nine bytes
/// of `data`.
#[inline(always)]
fn common_const_expr_len_in(chunk: &[u8; 9], data: &[u8], features: Features) -> Option<usize> {
    let disabled = !features.bits();
    let (len, _, _) = if features == Features::ALL {
        fast_len_in::<true>(chunk, disabled)
    } else {
        fast_len_in::<false>(chunk, disabled)
    };
    let len = len?;
    (data.get(len) == Some(&0x0b)).then_some(len + 1)
}

/// The window the fast path reads over `code`, which starts at absolute
/// offset `start`: the bytes of `module` (from offset 0 on) from `start`
/// on when `code` is part of them, so that the fast path also takes the
/// last instructions of a body; `code` alone otherwise.
#[inline]
fn window_past<'a>(module: &'a [u8], start: usize, code: &'a [u8]) -> &'a [u8] {
    match module.get(start..) {
        // The same bytes, not equal ones.
        Some(window)
            if window.len() > code.len() && core::ptr::eq(window.as_ptr(), code.as_ptr()) =>
        {
            window
        }
        _ => code,
    }
}

/// The kind of an open frame, as far as the binary format cares.
type FrameKind = u8;
/// `block`, `loop`, `try_table`, the function, and `if` after `else` or
/// `try` after `catch_all`: only `end` closes them.
const PLAIN: FrameKind = 0;
/// An `if` before its `else`.
const IF: FrameKind = 1;
/// A legacy `try` before any catch clause.
const TRY: FrameKind = 2;
/// A legacy `try` after a `catch`.
const CATCH: FrameKind = 3;

/// A frame opened before the first instruction checked: the tail of a body
/// checked from its middle ([`split`]). What the tail does with it (an
/// `else`, a `catch`...) is recorded as a [`split::Demand`], checked once
/// the head's frames are known. Never a kind a whole body's check sees.
const OUTER: FrameKind = 4;

/// How many frame kinds the checker keeps inline.
const INLINE_FRAMES: usize = 64;

struct Checker<'a> {
    /// The instructions to check.
    data: &'a [u8],
    /// `data` and possibly bytes after it: the fast path reads its window
    /// here, so that it also takes the last instructions of the body.
    window: &'a [u8],
    base: usize,
    features: Features,
    /// One bit per disabled proposal, `1 << (proposal as u8)`.
    disabled: u32,
    data_count: bool,
    /// Open frames, the function's included.
    depth: usize,
    /// Kinds of the innermost `min(depth, 64)` frames: frame `d` (0 the
    /// function's) at `d % 64`.
    kinds: [FrameKind; INLINE_FRAMES],
    /// Kinds of the frames beyond the innermost 64, outermost first.
    spill: Vec<u8>,
    /// The position of the next instruction in `data`.
    pos: usize,
    /// Instructions checked so far.
    count: u64,
    /// The most targets one `br_table` may have.
    max_br_table_targets: u32,
    /// What was required of [`OUTER`] frames (only a tail checks those).
    demands: Vec<split::Demand>,
    /// How many [`OUTER`] frames the tail closed so far.
    outer_closed: u32,
}

impl<'a> Checker<'a> {
    fn new(data: &'a [u8], base: usize, features: Features, data_count: bool) -> Checker<'a> {
        Checker {
            data,
            window: data,
            base,
            features,
            // Proposal bits are `1 << (proposal as u8)` in both.
            disabled: !features.bits(),
            data_count,
            depth: 1,
            kinds: [PLAIN; INLINE_FRAMES],
            spill: Vec::new(),
            pos: 0,
            count: 0,
            max_br_table_targets: u32::MAX,
            demands: Vec::new(),
            outer_closed: 0,
        }
    }

    /// Lets the fast path read its window over the bytes of `module` (from
    /// absolute offset 0 on) after the instructions, when they are part of
    /// it.
    fn look_past(&mut self, module: &'a [u8]) {
        self.window = window_past(module, self.base, self.data);
    }

    /// Checks instructions until the function's frame closes; returns the
    /// instruction count and the position after the closing `end`.
    fn run(&mut self) -> Outcome {
        if self.disabled == !Features::ALL.bits() {
            self.run_with::<true>()
        } else {
            self.run_with::<false>()
        }
    }

    /// [`Checker::run`], with every proposal enabled if `ALL`.
    #[inline(always)]
    fn run_with<const ALL: bool>(&mut self) -> Outcome {
        // Positions as `u32`, so that `pos + 9` cannot overflow: a body of 4
        // GiB or more (only a reader over such bytes makes one) takes the
        // exact path throughout.
        let (Ok(body_len), Ok(mut pos)) = (u32::try_from(self.data.len()), u32::try_from(self.pos))
        else {
            return self.run_slow();
        };
        // Locals, so that the chain from one instruction to the next stays
        // in registers.
        let window = self.window.get(..u32::MAX as usize).unwrap_or(self.window);
        let disabled = self.disabled;
        // The window up to eight bytes past the last position where an
        // instruction may start within the body: the fast path takes the
        // instruction at `pos` if its opcode and the eight bytes after it
        // lie in `fast`.
        let fast = match window.len().checked_sub(8) {
            Some(limit) => window
                .get(..(body_len as usize).min(limit) + 8)
                .unwrap_or_default(),
            None => &[],
        };
        let mut count = self.count;
        // Where the current run of instructions the fast path took starts.
        let (mut start, mut start_count) = (pos, count);
        'outer: loop {
            let at = pos as usize;
            let next = if let Some(chunk) = fast.get(at..at + 9).and_then(<[u8]>::first_chunk::<9>)
            {
                let (mut chunk, mut op, mut v) = (chunk, chunk[0], head_word(chunk));
                // A run of instructions of the short path. The opcode after
                // one is taken from the eight bytes loaded for it, not
                // loaded again: the chain from one instruction to the next
                // is then a table load and a shift instead of two loads
                // (the opcode, then its table entry), and that chain is
                // what bounds this loop.
                while ALL && let Some(len) = short_len_all(op, v) {
                    // At most 7: the next opcode is in `v`, and `pos` stays
                    // within `fast`.
                    pos += len as u32;
                    count += 1;
                    let Some(next) = fast
                        .get(pos as usize..pos as usize + 9)
                        .and_then(<[u8]>::first_chunk::<9>)
                    else {
                        continue 'outer;
                    };
                    (chunk, op, v) = (next, (v >> (8 * len)) as u8, head_word(next));
                }
                debug_assert_eq!(op, chunk[0]);
                let at = pos as usize;
                // SIMD instructions, where they are frequent, come between
                // runs of the short path.
                if op == 0xfd
                    && let Some(len) = simd_len(window.get(at..).unwrap_or_default(), disabled)
                    // `at` is within the body (so is `chunk`).
                    && len <= (body_len - pos) as usize
                {
                    pos += len as u32;
                    count += 1;
                    (start, start_count) = (pos, count);
                    continue;
                }
                let &[_, ref after @ ..] = chunk;
                let w = u64::from_le_bytes(*after);
                let len = if ALL {
                    shaped_len_all(op, v, w)
                } else {
                    fast_len_of(op, w, disabled)
                };
                if let Some(len) = len {
                    // At most 9 (so `pos` stays within `fast`).
                    pos += len as u32;
                    count += 1;
                    continue;
                }
                // Within the body: `fast` ends at most 8 bytes past it.
                let len = match op {
                    0x0b => {
                        self.pop();
                        if self.depth == 0 {
                            (self.pos, self.count) = (at + 1, count + 1);
                            return Ok((count + 1, at + 1));
                        }
                        1
                    }
                    0x05 if self.top() == IF => {
                        self.set_top(PLAIN);
                        1
                    }
                    // The most frequent blocks: a type of one byte that
                    // needs no proposal.
                    0x02..=0x04 if body_len - pos > 1 && matches!(w & 0xff, 0x40 | 0x7c..=0x7f) => {
                        self.push(if op == 0x04 { IF } else { PLAIN });
                        2
                    }
                    _ => {
                        match quick_len_of(op, w, window.get(at..).unwrap_or_default(), disabled) {
                            Some((len, frame)) if len <= (body_len - pos) as usize => {
                                if let Some(kind) = frame {
                                    self.push(kind);
                                }
                                len
                            }
                            _ => match self.step(at) {
                                Ok(next) => next - at,
                                Err(e) => return self.failed(at, count, e),
                            },
                        }
                    }
                };
                // Within the body, whose length fits a `u32`.
                pos += len as u32;
                count += 1;
                (start, start_count) = (pos, count);
                // Only `end` (above) and the exact path close frames.
                if self.depth == 0 {
                    (self.pos, self.count) = (pos as usize, count);
                    return Ok((count, pos as usize));
                }
                continue;
            } else if pos > body_len {
                // An instruction the fast path took runs past the body: the
                // exact path reports it.
                let (at, taken) = overrun(fast, start, body_len, disabled);
                count = start_count + taken;
                match self.slow(at) {
                    Ok(next) => next,
                    Err(e) => return self.failed(at, count, e),
                }
            } else {
                match self.slow(at) {
                    Ok(next) => next,
                    Err(e) => return self.failed(at, count, e),
                }
            };
            // Within the body, whose length fits a `u32`.
            pos = next as u32;
            count += 1;
            if self.depth == 0 {
                (self.pos, self.count) = (pos as usize, count);
                return Ok((count, pos as usize));
            }
            (start, start_count) = (pos, count);
        }
    }

    /// The outcome of an instruction at `at` that failed with `e`, after
    /// `count` instructions: where it started and the count are kept (a
    /// split body's head stops where its bytes end, [`split`]).
    #[cold]
    fn failed(&mut self, at: usize, count: u64, e: Error) -> Outcome {
        (self.pos, self.count) = (at, count);
        Err(e)
    }

    /// Whether the innermost frame is an [`OUTER`] one, of which the tail
    /// requires one of the kinds in `allowed` (bits `1 << kind`): then the
    /// demand is recorded for the join to check, and the caller goes on as
    /// if it held.
    #[cold]
    fn demand(&mut self, allowed: u8, becomes: FrameKind) -> bool {
        if self.top() != OUTER {
            return false;
        }
        self.demands.push(split::Demand {
            outer: self.outer_closed,
            allowed,
            becomes,
        });
        true
    }

    /// [`Checker::run`] without the fast path.
    #[cold]
    fn run_slow(&mut self) -> Outcome {
        loop {
            self.pos = self.slow(self.pos)?;
            self.count += 1;
            if self.depth == 0 {
                return Ok((self.count, self.pos));
            }
        }
    }

    /// Checks the one instruction at `pos` (within the body, or at its end)
    /// when [`fast_len`] declined it; returns the position after it. The
    /// function's frame is closed when `depth` is 0.
    #[inline(never)]
    fn slow(&mut self, pos: usize) -> Result<usize> {
        // Without building a reader: `end`, an `else` in an `if`, and the
        // instructions [`quick_len`] measures (blocks, prefixed opcodes,
        // immediates with types or long indices).
        let rest = self.window.get(pos..).unwrap_or_default();
        // The body's bytes from `pos` on.
        let left = self.data.len().saturating_sub(pos);
        match rest.first() {
            Some(0x0b) if left > 0 => {
                self.pop();
                return Ok(pos + 1);
            }
            Some(0x05) if left > 0 && self.top() == IF => {
                self.set_top(PLAIN);
                return Ok(pos + 1);
            }
            // The most frequent blocks: a type of one byte that needs no
            // proposal.
            Some(&op @ 0x02..=0x04)
                if left > 1 && matches!(rest.get(1), Some(0x40 | 0x7c..=0x7f)) =>
            {
                self.push(if op == 0x04 { IF } else { PLAIN });
                return Ok(pos + 2);
            }
            _ => {}
        }
        if let Some((len, frame)) = quick_len(rest, self.disabled)
            && len <= left
        {
            if let Some(kind) = frame {
                self.push(kind);
            }
            return Ok(pos + len);
        }
        self.step(pos)
    }

    /// The summary of a body whose instructions gave `outcome`: the body must
    /// end right after the function's `end`.
    fn summary(&self, outcome: Outcome, locals: u64) -> Result<BodySummary> {
        let (instructions, end) = outcome?;
        if end != self.data.len() {
            return Err(Error::new(ErrorKind::SectionSizeMismatch, self.base + end));
        }
        Ok(BodySummary {
            locals,
            instructions,
        })
    }

    /// The kind of the innermost frame (while one is open).
    #[inline]
    fn top(&self) -> FrameKind {
        self.kinds[self.depth.wrapping_sub(1) % INLINE_FRAMES]
    }

    #[inline]
    fn set_top(&mut self, kind: FrameKind) {
        self.kinds[self.depth.wrapping_sub(1) % INLINE_FRAMES] = kind;
    }

    #[inline]
    fn push(&mut self, kind: FrameKind) {
        let slot = self.depth % INLINE_FRAMES;
        if self.depth >= INLINE_FRAMES {
            // The frame 64 levels out leaves the slot.
            self.spill.push(self.kinds[slot]);
        }
        self.kinds[slot] = kind;
        self.depth += 1;
    }

    #[inline]
    fn pop(&mut self) {
        self.depth -= 1;
        if self.depth >= INLINE_FRAMES
            && let Some(kind) = self.spill.pop()
        {
            // The frame 64 levels out comes back to the slot.
            self.kinds[self.depth % INLINE_FRAMES] = kind;
        }
    }

    /// Checks the one instruction at `pos` exactly; returns the position
    /// after it.
    #[inline(never)]
    fn step(&mut self, pos: usize) -> Result<usize> {
        let rest = self.data.get(pos..).unwrap_or_default();
        let mut r = Reader::new_in_section(rest, self.base + pos, self.features);
        let op = r.read_u8()?;
        let info = self.resolve(&mut r, op)?;
        match info.control {
            ControlEffect::None
            | ControlEffect::OpenBlock
            | ControlEffect::OpenIf
            | ControlEffect::OpenTry => {}
            ControlEffect::End => self.pop(),
            ControlEffect::Else => {
                if self.top() != IF && !self.demand(1 << IF, PLAIN) {
                    return Err(misplaced(&r));
                }
                self.set_top(PLAIN);
            }
            ControlEffect::Catch => {
                if !matches!(self.top(), TRY | CATCH) && !self.demand(1 << TRY | 1 << CATCH, CATCH)
                {
                    return Err(misplaced(&r));
                }
                self.set_top(CATCH);
            }
            ControlEffect::CatchAll => {
                if !matches!(self.top(), TRY | CATCH) && !self.demand(1 << TRY | 1 << CATCH, PLAIN)
                {
                    return Err(misplaced(&r));
                }
                self.set_top(PLAIN);
            }
            ControlEffect::Delegate => {
                if self.top() != TRY && !self.demand(1 << TRY, PLAIN) {
                    return Err(misplaced(&r));
                }
                self.pop();
            }
        }
        skip_immediates(&mut r, info.immediates, self.max_br_table_targets)?;
        match info.control {
            ControlEffect::OpenBlock => self.push(PLAIN),
            ControlEffect::OpenIf => self.push(IF),
            ControlEffect::OpenTry => self.push(TRY),
            _ => {}
        }
        Ok(pos + r.position())
    }

    /// The table entry of opcode `op` (already read), reading the
    /// sub-opcode of a prefix; checks the proposal and the data count.
    #[inline]
    fn resolve(&self, r: &mut Reader<'_>, op: u8) -> Result<&'static OpcodeInfo> {
        let mut info = &ONE_BYTE[usize::from(op)];
        match info.immediates {
            Immediates::Illegal => {
                return Err(r.error_at(
                    ErrorKind::IllegalOpcode {
                        prefix: 0,
                        code: u32::from(op),
                    },
                    0,
                ));
            }
            Immediates::Prefix => {
                let code = r.read_var_u32()?;
                info = match prefixed_opcode(op, code) {
                    Some(info) => info,
                    None => {
                        return Err(r.error_at(ErrorKind::IllegalOpcode { prefix: op, code }, 0));
                    }
                };
            }
            _ => {}
        }
        if let Some(p) = info.proposal
            && !self.features.has(p)
        {
            return Err(r.error_at(ErrorKind::FeatureDisabled(p), 0));
        }
        if info.needs_data_count && !self.data_count {
            return Err(r.error_at(ErrorKind::DataCountSectionRequired, 0));
        }
        Ok(info)
    }
}

/// Where the fast path, from `start` on in `fast` (see [`Checker::run`]),
/// takes an instruction that ends past `body_len`, and how many it takes
/// before that one.
#[cold]
fn overrun(fast: &[u8], start: u32, body_len: u32, disabled: u32) -> (usize, u64) {
    let (mut at, mut taken) = (start as usize, 0);
    while let Some(&[op, ref after @ ..]) = fast.get(at..).and_then(<[u8]>::first_chunk::<9>)
        && let Some(len) = fast_len_of(op, u64::from_le_bytes(*after), disabled)
        && at + len <= body_len as usize
    {
        at += len;
        taken += 1;
    }
    (at, taken)
}

/// The length of the instruction at the start of `rest` if the fast path
/// takes it (see [`FastShape`]): its immediates are a few raw bytes or at
/// most two short LEB128 integers, all within the 8 bytes after the opcode,
/// and its proposal is enabled (`disabled` has one bit per disabled
/// proposal). `None` for anything else (prefixed opcodes included), which
/// [`quick_len`] or the exact path measures.
#[inline(always)]
fn fast_len(rest: &[u8], disabled: u32) -> Option<usize> {
    let [op, b1, b2, b3, b4, b5, b6, b7, b8] = *rest.first_chunk::<9>()?;
    fast_len_of(
        op,
        u64::from_le_bytes([b1, b2, b3, b4, b5, b6, b7, b8]),
        disabled,
    )
}

/// The opcode and the seven bytes after it, of the nine bytes `chunk`
/// from an opcode on, little-endian.
#[inline(always)]
fn head_word(chunk: &[u8; 9]) -> u64 {
    let &[ref head @ .., _] = chunk;
    u64::from_le_bytes(*head)
}

/// [`fast_len_of`] with every proposal enabled, for the opcode `op`, the
/// opcode and the seven bytes after it `v` and the eight bytes after it
/// `w`: the same lengths, without proposal bits to test.
///
/// `op` comes from a load of its own, not from `v`: the table row it picks
/// is then one load after the instruction's position instead of a load
/// and an extraction (the chain from one instruction's position to the
/// next bounds the loops that measure instructions).
#[inline(always)]
fn fast_len_all(op: u8, v: u64, w: u64) -> Option<usize> {
    short_len_all(op, v).or_else(|| shaped_len_all(op, v, w))
}

/// The short path of [`fast_len_all`]: instructions of at most seven bytes
/// (see [`ONE_BYTE_SHORT_ALL`]), so that the opcode after one is in `v`.
#[inline(always)]
fn short_len_all(op: u8, v: u64) -> Option<usize> {
    let short = &ONE_BYTE_SHORT_ALL[usize::from(op)];
    (v & short.mask == 0).then(|| usize::from(ONE_BYTE_SHORT_LEN[usize::from(op)]))
}

/// The rest of [`fast_len_all`], for an instruction [`short_len_all`]
/// declined.
#[inline(always)]
fn shaped_len_all(op: u8, v: u64, w: u64) -> Option<usize> {
    let short = &ONE_BYTE_SHORT_ALL[usize::from(op)];
    if !short.shape {
        return None;
    }
    if v & short.mask2 == short.want2 {
        return Some(usize::from(short.len2));
    }
    shape_len(&ONE_BYTE_FAST[usize::from(op)], w, !Features::ALL.bits())
}

/// [`fast_len`] for the opcode and the eight bytes after it, `chunk`, with
/// [`fast_len_all`] if every proposal is enabled (`ALL`); also returns the
/// opcode and the eight bytes after it as an integer.
#[inline(always)]
fn fast_len_in<const ALL: bool>(chunk: &[u8; 9], disabled: u32) -> (Option<usize>, u8, u64) {
    let &[op, ref after @ ..] = chunk;
    let &[ref head @ .., _] = chunk;
    let w = u64::from_le_bytes(*after);
    let len = if ALL {
        fast_len_all(op, u64::from_le_bytes(*head), w)
    } else {
        fast_len_of(op, w, disabled)
    };
    (len, op, w)
}

/// [`fast_len`] for the opcode `op` and the eight bytes `w` after it.
#[inline(always)]
fn fast_len_of(op: u8, w: u64, disabled: u32) -> Option<usize> {
    let short = &ONE_BYTE_SHORT[usize::from(op)];
    if (w & short.mask) | u64::from(short.gate & disabled) == 0 {
        return Some(usize::from(short.len));
    }
    if !short.shape {
        return None;
    }
    if w & short.mask2 == short.want2 && short.gate & disabled == 0 {
        return Some(usize::from(short.len2));
    }
    shape_len(&ONE_BYTE_FAST[usize::from(op)], w, disabled)
}

/// The length of the instruction at the start of `rest`, and the kind of
/// frame it opens, for instructions [`fast_len`] declines that need no
/// look at the open frames: blocks whose type is one of at most eight
/// bytes, GC instructions with a one-byte sub-opcode, other prefixed
/// opcodes with a sub-opcode of one or two bytes and immediates of a fast
/// shape, and immediates with types or long indices (see [`Quick`]).
/// `None` sends the instruction to the exact path.
#[inline(always)]
fn quick_len(rest: &[u8], disabled: u32) -> Option<(usize, Option<FrameKind>)> {
    let &[op, ref after @ ..] = rest.first_chunk::<9>()?;
    quick_len_of(op, u64::from_le_bytes(*after), rest, disabled)
}

/// [`quick_len`] for the opcode `op`, the eight bytes `w` after it and
/// `rest` (from the opcode on), which only some immediates need.
#[inline(always)]
fn quick_len_of(op: u8, w: u64, rest: &[u8], disabled: u32) -> Option<(usize, Option<FrameKind>)> {
    let quick = &ONE_BYTE_QUICK[usize::from(op)];
    match quick.kind {
        Quick::Block => {
            let len = block_type_len(w, disabled)?;
            Some((1 + len, Some(if op == 0x04 { IF } else { PLAIN })))
        }
        Quick::Gc if w & 0x80 == 0 => {
            let short = &GC_SHORT[(w & 0x7f) as usize];
            if short.gate & disabled == 0 {
                if w & short.mask == 0 {
                    return Some((1 + usize::from(short.len), None));
                }
                if w & short.mask2 == short.want2 {
                    return Some((1 + usize::from(short.len2), None));
                }
            }
            // The seven bytes after the sub-opcode, and a continuation
            // byte that ends no integer.
            let after = (w >> 8) | 0x80 << 56;
            let quick = &GC_QUICK[(w & 0x7f) as usize];
            Some((2 + quick_imm_len(quick, after, rest, 2, disabled)?, None))
        }
        Quick::Gc | Quick::Prefix => {
            let (bytes, code, at) = sub_opcode(rest)?;
            let w = word(bytes, at)?;
            if op == 0xfd
                && let Some(len) = simd_short_len(code, at, w, disabled)
            {
                return Some((len, None));
            }
            let info = prefixed_opcode(op, code)?;
            if let Some(len) = shape_len(&info.fast, w, disabled) {
                // `len` counts one opcode byte.
                return Some((at - 1 + len, None));
            }
            // GC instructions whose sub-opcode has a redundant byte.
            let quick = match (op, code) {
                (0xfb, 0..0x80) => &GC_QUICK[code as usize],
                _ => return None,
            };
            Some((at + quick_imm_len(quick, w, bytes, at, disabled)?, None))
        }
        _ => Some((1 + quick_imm_len(quick, w, rest, 1, disabled)?, None)),
    }
}

/// The length of the SIMD instruction at the start of `rest` (from its
/// `0xFD` prefix on) if it is of a short shape (see [`SIMD_SHORT`]): a
/// sub-opcode of one or two bytes, immediates all within the bytes after
/// it. `None` for anything else, which [`quick_len`] or the exact path
/// measures.
#[inline(always)]
fn simd_len(rest: &[u8], disabled: u32) -> Option<usize> {
    let (bytes, code, at) = sub_opcode(rest)?;
    simd_short_len(code, at, word(bytes, at)?, disabled)
}

/// The first 19 bytes of `rest`, a prefixed instruction (the prefix, a
/// sub-opcode, and the longest immediates the quick path takes, 16
/// bytes), with its sub-opcode of one or two bytes and where the
/// immediates start; `None` if there are fewer bytes or a longer
/// sub-opcode.
#[inline(always)]
fn sub_opcode(rest: &[u8]) -> Option<(&[u8; 19], u32, usize)> {
    let bytes = rest.first_chunk::<19>()?;
    let (code, at) = match *bytes {
        [_, b1 @ 0..0x80, ..] => (u32::from(b1), 2),
        [_, b1, b2 @ 0..0x80, ..] => (u32::from(b1 & 0x7f) | u32::from(b2) << 7, 3),
        _ => return None,
    };
    Some((bytes, code, at))
}

/// The length of a SIMD instruction of sub-opcode `code` whose immediates
/// start at `at` (one past the sub-opcode; at most 3) with the window `w`,
/// if it is of a short shape.
#[inline(always)]
fn simd_short_len(code: u32, at: usize, w: u64, disabled: u32) -> Option<usize> {
    let short = SIMD_SHORT.get(code as usize)?;
    // Immediates of at most 16 bytes.
    ((w & short.mask) | u64::from(short.gate & disabled) == 0)
        .then_some(at + usize::from(short.len))
}

/// The length of the immediates of an instruction of quick class `quick`
/// (no block, no prefix), which start with the window `w` at `rest[at]`
/// (the last bytes of `w` may be filler that ends no integer); `None` if
/// its proposal is disabled, or for anything the exact path might measure
/// otherwise or reject.
#[inline(always)]
fn quick_imm_len(
    quick: &QuickShape,
    w: u64,
    rest: &[u8],
    at: usize,
    disabled: u32,
) -> Option<usize> {
    if quick.gate & disabled != 0 {
        return None;
    }
    match quick.kind {
        Quick::None => Some(0),
        Quick::Index => index_len(w),
        Quick::Index2 => two_indices_len(w),
        Quick::HeapType => heap_type_len(w, disabled),
        Quick::CallIndirect => {
            // A type index of at most four bytes, then table `0x00` (the
            // byte without reference types, index 0 with them).
            let len = index_len(w)?;
            ((w >> (8 * len)) & 0xff == 0).then_some(len + 1)
        }
        // One type.
        Quick::Select if w & 0xff == 1 => Some(1 + val_type_len(w >> 8, disabled)?),
        Quick::BrOnCast => {
            // Flags (bits 0 and 1), a label, two heap types.
            if w & 0xff > 0b11 {
                return None;
            }
            let label = index_len(w >> 8)?;
            let from = heap_type_len(word(rest, at + 1 + label)?, disabled)?;
            let to = heap_type_len(word(rest, at + 1 + label + from)?, disabled)?;
            Some(1 + label + from + to)
        }
        _ => None,
    }
}

/// The eight bytes of `bytes` from `at` on, little-endian.
#[inline(always)]
fn word(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(*bytes.get(at..)?.first_chunk::<8>()?))
}

/// A proposal's bit in `disabled`.
const fn bit(p: Proposal) -> u32 {
    1 << (p as u8)
}

/// The length of an unsigned LEB128 integer of at most four bytes (a `u32`
/// whatever its bits) at the start of `w`.
#[inline(always)]
fn index_len(w: u64) -> Option<usize> {
    let stops = !w & 0x8080_8080;
    (stops != 0).then(|| (stops.trailing_zeros() >> 3) as usize + 1)
}

/// The length of two unsigned LEB128 integers of at most four bytes each
/// at the start of `w`.
#[inline(always)]
fn two_indices_len(w: u64) -> Option<usize> {
    let stops = !w & 0x8080_8080_8080_8080;
    let first = stops.trailing_zeros() >> 3;
    // 8 if there is no second mark.
    let second = (stops & stops.wrapping_sub(1)).trailing_zeros() >> 3;
    (first < 4 && second < 8 && second - first <= 4).then_some(second as usize + 1)
}

/// The length of a non-negative `s33` (a type index) at the start of `w`:
/// at most five bytes, the last one's sign bit (0x40) clear, and a fifth
/// byte below 0x10 (no bit beyond the 33 and a non-negative sign).
#[inline(always)]
fn type_index_len(w: u64) -> Option<usize> {
    let stops = !w & 0x80_8080_8080;
    if stops == 0 {
        return None;
    }
    let last = stops.trailing_zeros() >> 3;
    let limit = if last == 4 { 0x10 } else { 0x40 };
    ((w >> (8 * last)) & 0xff < limit).then_some(last as usize + 1)
}

/// The length of the heap type at the start of `w`: an abstract heap type
/// whose proposal is enabled, or a type index (function references).
#[inline(always)]
fn heap_type_len(w: u64, disabled: u32) -> Option<usize> {
    let funcrefs = bit(Proposal::FunctionReferences) & disabled == 0;
    if funcrefs {
        // Type indices of one and two bytes, the last one's sign bit clear.
        if w & 0xc0 == 0 {
            return Some(1);
        }
        if w & 0xc080 == 0x80 {
            return Some(2);
        }
    }
    let needs = HEAP_TYPE[(w & 0xff) as usize];
    if needs != 0 {
        return (needs & disabled == 0).then_some(1);
    }
    if !funcrefs {
        return None;
    }
    type_index_len(w)
}

/// The length of the value type at the start of `w`, if the proposals it
/// needs are enabled.
#[inline]
pub(crate) fn val_type_len(w: u64, disabled: u32) -> Option<usize> {
    let needs = VAL_TYPE[(w & 0xff) as usize];
    if needs & !HEAP_FOLLOWS & disabled != 0 {
        return None;
    }
    if needs & HEAP_FOLLOWS == 0 {
        return Some(1);
    }
    Some(1 + heap_type_len(w >> 8, disabled)?)
}

/// The length of the block type at the start of `w`: `0x40`, a value type,
/// or a type index (multi-value).
#[inline]
fn block_type_len(w: u64, disabled: u32) -> Option<usize> {
    let byte = w & 0xff;
    if byte == 0x40 {
        Some(1)
    } else if byte & 0xc0 == 0x40 {
        val_type_len(w, disabled)
    } else if bit(Proposal::MultiValue) & disabled != 0 {
        None
    } else {
        type_index_len(w)
    }
}

/// The length of an instruction of shape `f` (counting one opcode byte)
/// whose immediates start with the window `w`; `None` if the fast path
/// cannot take it. No data-dependent branch but the final one.
#[inline(always)]
fn shape_len(f: &FastShape, w: u64, disabled: u32) -> Option<usize> {
    let stops = !w & 0x8080_8080_8080_8080;
    let s = (stops & stops.wrapping_sub(u64::from(f.k))) | u64::from(f.force);
    let len = u32::from(f.base) + (s.trailing_zeros() >> 3);
    let ends = ((stops | 1) & f.need != 0) | (w & f.fifth == 0);
    let ok = (w & f.forbid == 0) & ends & (f.gate & disabled == 0);
    ok.then_some(len as usize)
}

/// How a checker's run ended: the instruction count and the position after
/// the function's `end`, or the error.
type Outcome = Result<(u64, usize)>;

/// Which of two racing checkers finished first, and how.
enum Finished {
    First(Outcome),
    Second(Outcome),
}

/// Checks two function bodies at once, interleaving their instructions so
/// that the two independent dependency chains (each instruction's length
/// decides where the next starts) overlap in the processor, until one of
/// them finishes; the other stays where it is.
fn race(a: &mut Checker<'_>, b: &mut Checker<'_>) -> Finished {
    let (data_a, disabled_a) = (a.data, a.disabled);
    let (data_b, disabled_b) = (b.data, b.disabled);
    // Locals, so that both chains stay in registers.
    let (mut pos_a, mut count_a) = (a.pos, a.count);
    let (mut pos_b, mut count_b) = (b.pos, b.count);
    loop {
        let fa = fast_len(data_a.get(pos_a..).unwrap_or_default(), disabled_a);
        let fb = fast_len(data_b.get(pos_b..).unwrap_or_default(), disabled_b);
        if let (Some(x), Some(y)) = (fa, fb) {
            pos_a += x;
            count_a += 1;
            pos_b += y;
            count_b += 1;
            continue;
        }
        match fa {
            Some(x) => {
                pos_a += x;
                count_a += 1;
            }
            None => match a.slow(pos_a) {
                Ok(pos) => {
                    pos_a = pos;
                    count_a += 1;
                    if a.depth == 0 {
                        (a.pos, a.count) = (pos_a, count_a);
                        (b.pos, b.count) = (pos_b, count_b);
                        return Finished::First(Ok((count_a, pos_a)));
                    }
                }
                Err(e) => {
                    (b.pos, b.count) = (pos_b, count_b);
                    return Finished::First(Err(e));
                }
            },
        }
        match fb {
            Some(y) => {
                pos_b += y;
                count_b += 1;
            }
            None => match b.slow(pos_b) {
                Ok(pos) => {
                    pos_b = pos;
                    count_b += 1;
                    if b.depth == 0 {
                        (b.pos, b.count) = (pos_b, count_b);
                        (a.pos, a.count) = (pos_a, count_a);
                        return Finished::Second(Ok((count_b, pos_b)));
                    }
                }
                Err(e) => {
                    (a.pos, a.count) = (pos_a, count_a);
                    return Finished::Second(Err(e));
                }
            },
        }
    }
}

/// A body being checked by [`check_bodies`].
struct Lane<'a> {
    index: usize,
    checker: Checker<'a>,
    locals: u64,
}

/// The running totals of [`check_bodies`] and its first error by body order.
#[derive(Default)]
struct Tally {
    total: BodySummary,
    first_error: Option<(usize, Error)>,
}

impl Tally {
    fn add(&mut self, index: usize, result: Result<BodySummary>) {
        match result {
            Ok(s) => {
                self.total.locals += s.locals;
                self.total.instructions += s.instructions;
            }
            Err(e) => {
                if self.first_error.is_none_or(|(i, _)| index < i) {
                    self.first_error = Some((index, e));
                }
            }
        }
    }

    /// The next body whose locals are well-formed, as a lane: `body(i)`
    /// gives body `i` (`None` past the last one, or an error if its entry is
    /// malformed). Starts nothing once a body has failed: later bodies
    /// cannot hold the first error.
    fn start<'a>(
        &mut self,
        module: &'a [u8],
        body: &mut impl FnMut(usize) -> Option<Result<FunctionBody<'a>>>,
        next: &mut usize,
    ) -> Option<Lane<'a>> {
        loop {
            if self.first_error.is_some() {
                return None;
            }
            let index = *next;
            let body = body(index)?;
            *next += 1;
            match body.and_then(|b| b.checker_in(module)) {
                Ok((checker, locals)) => {
                    return Some(Lane {
                        index,
                        checker,
                        locals,
                    });
                }
                Err(e) => self.add(index, Err(e)),
            }
        }
    }
}

/// Checks every body of `bodies` as [`FunctionBody::check`] does, two at a
/// time with their instructions interleaved (see
/// [`FunctionBody::check_pair`]), and returns the totals: locals and
/// instructions summed over all bodies. The error, if any, is the one of the
/// first malformed body in `bodies`' order.
pub fn check_bodies(bodies: &[FunctionBody<'_>]) -> Result<BodySummary> {
    interleave(&[], |i| bodies.get(i).cloned().map(Ok)).map_err(|(_, e)| e)
}

/// Checks the bodies `body(0)`, `body(1)`... (up to the first `None`) two at
/// a time with their instructions interleaved; returns the totals, or the
/// index and error of the first malformed body. `module` holds the bodies
/// (from absolute offset 0 on), or is empty.
pub(crate) fn interleave<'a>(
    module: &'a [u8],
    mut body: impl FnMut(usize) -> Option<Result<FunctionBody<'a>>>,
) -> core::result::Result<BodySummary, (usize, Error)> {
    let mut tally = Tally::default();
    let mut next = 0;
    let mut a = tally.start(module, &mut body, &mut next);
    let mut b = tally.start(module, &mut body, &mut next);
    loop {
        let first_finished = match (a.as_mut(), b.as_mut()) {
            (Some(x), Some(y)) => match race(&mut x.checker, &mut y.checker) {
                Finished::First(o) => {
                    tally.add(x.index, x.checker.summary(o, x.locals));
                    true
                }
                Finished::Second(o) => {
                    tally.add(y.index, y.checker.summary(o, y.locals));
                    false
                }
            },
            (Some(x), None) => {
                let o = x.checker.run();
                tally.add(x.index, x.checker.summary(o, x.locals));
                true
            }
            (None, Some(y)) => {
                let o = y.checker.run();
                tally.add(y.index, y.checker.summary(o, y.locals));
                false
            }
            (None, None) => break,
        };
        if first_finished {
            a = tally.start(module, &mut body, &mut next);
        } else {
            b = tally.start(module, &mut body, &mut next);
        }
    }
    match tally.first_error {
        Some(failure) => Err(failure),
        None => Ok(tally.total),
    }
}

/// An `else`, `catch`, `catch_all` or `delegate` where the innermost frame
/// does not allow it: the reference interpreter ends the instruction
/// sequence of the block there and then expects its `end`.
#[cold]
fn misplaced(r: &Reader<'_>) -> Error {
    r.error_at(ErrorKind::EndOpcodeExpected, 0)
}

/// Skips the immediates of shape `imm`, checking them exactly; a
/// `br_table` may have at most `max_targets` targets.
fn skip_immediates(r: &mut Reader<'_>, imm: Immediates, max_targets: u32) -> Result<()> {
    match imm {
        // A prefix is resolved before, and an illegal opcode rejected.
        Immediates::None | Immediates::Prefix | Immediates::Illegal => {}
        Immediates::Index => r.skip_var_unsigned(32)?,
        Immediates::Index2 => {
            r.skip_var_unsigned(32)?;
            r.skip_var_unsigned(32)?;
        }
        Immediates::I32 => r.skip_var_signed(32)?,
        Immediates::I64 => r.skip_var_signed(64)?,
        Immediates::F32 => r.skip(4)?,
        Immediates::F64 => r.skip(8)?,
        Immediates::Bytes16 => r.skip(16)?,
        Immediates::Lane => r.skip(1)?,
        Immediates::MemArg => skip_memarg(r)?,
        Immediates::MemArgLane => {
            skip_memarg(r)?;
            r.skip(1)?;
        }
        Immediates::BlockType => skip_block_type(r)?,
        Immediates::TryTable => {
            skip_block_type(r)?;
            let catches = r.read_len()?;
            for _ in 0..catches {
                let at = r.position();
                match r.read_u8()? {
                    // catch tag label, catch_ref tag label
                    0x00 | 0x01 => {
                        r.skip_var_unsigned(32)?;
                        r.skip_var_unsigned(32)?;
                    }
                    // catch_all label, catch_all_ref label
                    0x02 | 0x03 => r.skip_var_unsigned(32)?,
                    _ => return Err(r.error_at(ErrorKind::MalformedCatchClause, at)),
                }
            }
        }
        Immediates::BrTable => {
            // The labels, then the default label.
            let at = r.position();
            let targets = r.read_len()?;
            if targets > max_targets {
                let kind = ErrorKind::TooManyBrTableTargets { count: targets };
                return Err(r.error_at(kind, at));
            }
            r.skip_var_u32s(u64::from(targets) + 1)?;
        }
        Immediates::SelectTypes => {
            let types = r.read_len()?;
            for _ in 0..types {
                ValType::from_reader(r)?;
            }
        }
        Immediates::HeapType => {
            HeapType::from_reader(r)?;
        }
        Immediates::BrOnCast => {
            let at = r.position();
            // Bit 0: the source type is nullable; bit 1: the target type.
            if r.read_u8()? > 0b11 {
                return Err(r.error_at(ErrorKind::MalformedCastFlags, at));
            }
            r.skip_var_unsigned(32)?;
            HeapType::from_reader(r)?;
            HeapType::from_reader(r)?;
        }
        Immediates::MemIndex => skip_mem_index(r)?,
        Immediates::IndexMemIndex => {
            r.skip_var_unsigned(32)?;
            skip_mem_index(r)?;
        }
        Immediates::MemIndex2 => {
            skip_mem_index(r)?;
            skip_mem_index(r)?;
        }
        Immediates::CallIndirect => {
            r.skip_var_unsigned(32)?;
            if r.features().has(Proposal::ReferenceTypes) {
                r.skip_var_unsigned(32)?;
            } else {
                r.expect_zero(ErrorKind::ZeroByteExpected)?;
            }
        }
        Immediates::ZeroByte => r.expect_zero(ErrorKind::ZeroByteExpected)?,
    }
    Ok(())
}

/// A memory argument: flags below 64 are the alignment exponent; from 64 to
/// 127 bit 6 announces a memory index; 128 and up are malformed. Then the
/// offset: a `u64` with memory64, else a `u32`.
fn skip_memarg(r: &mut Reader<'_>) -> Result<()> {
    let at = r.position();
    let flags = r.read_var_u32()?;
    if flags >= 128 {
        return Err(r.error_at(ErrorKind::MalformedMemopFlags, at));
    }
    if flags >= 64 {
        if !r.features().has(Proposal::MultiMemory) {
            return Err(r.error_at(ErrorKind::FeatureDisabled(Proposal::MultiMemory), at));
        }
        r.skip_var_unsigned(32)?;
    }
    if r.features().has(Proposal::Memory64) {
        r.skip_var_unsigned(64)
    } else {
        r.skip_var_unsigned(32)
    }
}

/// A memory index: a `u32` with multi-memory, else the single byte `0x00`.
fn skip_mem_index(r: &mut Reader<'_>) -> Result<()> {
    if r.features().has(Proposal::MultiMemory) {
        r.skip_var_unsigned(32)
    } else {
        r.expect_zero(ErrorKind::ZeroByteExpected)
    }
}

/// A block type: `0x40` (no results), a value type (whose first byte reads
/// as a negative one-byte `s33`), or a non-negative `s33` type index.
fn skip_block_type(r: &mut Reader<'_>) -> Result<()> {
    let at = r.position();
    let byte = r.peek_u8()?;
    if byte == 0x40 {
        r.read_u8()?;
    } else if byte & 0xc0 == 0x40 {
        ValType::from_reader(r)?;
    } else {
        if r.read_var_s33()? < 0 {
            return Err(r.error_at(ErrorKind::MalformedBlockType, at));
        }
        if !r.features().has(Proposal::MultiValue) {
            return Err(r.error_at(ErrorKind::FeatureDisabled(Proposal::MultiValue), at));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `instrs` as the instructions of a body with no locals, at
    /// absolute offset 100 (the locals count byte sits at 100).
    fn check_with(instrs: &[u8], features: Features) -> Result<BodySummary> {
        let mut bytes = vec![0x00]; // no local runs
        bytes.extend_from_slice(instrs);
        FunctionBody::new(Reader::new_in_section(&bytes, 100, features)).check()
    }

    fn check(instrs: &[u8]) -> Result<BodySummary> {
        check_with(instrs, Features::default())
    }

    fn count(instrs: &[u8]) -> u64 {
        match check(instrs) {
            Ok(s) => s.instructions,
            Err(e) => panic!("{instrs:02x?}: {e}"),
        }
    }

    /// The error kind and its offset relative to the first instruction.
    fn fail_with(instrs: &[u8], features: Features) -> (ErrorKind, usize) {
        let e = check_with(instrs, features).expect_err("malformed");
        (e.kind(), e.offset() - 101)
    }

    fn fail(instrs: &[u8]) -> (ErrorKind, usize) {
        fail_with(instrs, Features::default())
    }

    /// Checks that every length the fast paths give for the instruction at
    /// the start of `bytes` ([`fast_len`] for a one-byte opcode,
    /// [`quick_len`] for any) is the exact path's, with the same frame
    /// opened (none for all but blocks), under `features`; returns how many
    /// of the two took it.
    fn agree(bytes: &[u8], features: Features) -> u32 {
        let disabled = !features.bits();
        let mut taken = 0;
        let mut exact = |len, frame: Option<FrameKind>| {
            taken += 1;
            // Without a data count section: instructions needing one must
            // take the exact path, which rejects them.
            let mut checker = Checker::new(bytes, 0, features, false);
            let at = &bytes[..bytes.len().min(24)];
            assert_eq!(checker.step(0), Ok(len), "{at:02x?} with {features:?}");
            match frame {
                None => assert_eq!(checker.depth, 1, "{at:02x?}"),
                Some(kind) => assert_eq!((checker.depth, checker.top()), (2, kind), "{at:02x?}"),
            }
        };
        if !matches!(bytes[0], 0xfb..=0xfe)
            && let Some(len) = fast_len(bytes, disabled)
        {
            exact(len, None);
        }
        if features == Features::ALL {
            let v = u64::from_le_bytes(*bytes.first_chunk::<8>().unwrap());
            let w = u64::from_le_bytes(*bytes[1..].first_chunk::<8>().unwrap());
            assert_eq!(
                fast_len_all(bytes[0], v, w),
                fast_len(bytes, disabled),
                "{:02x?}",
                &bytes[..9]
            );
        }
        if let Some((len, frame)) = quick_len(bytes, disabled) {
            exact(len, frame);
        }
        taken
    }

    /// Every length the fast paths give is the exact path's: for every
    /// one-byte and prefixed opcode (sub-opcodes in one and two bytes),
    /// immediates of many shapes, and feature sets with everything, nothing
    /// and one proposal missing; for the opcodes with types or two indices
    /// in their immediates, also every first byte and every byte after
    /// `ref`, `ref null` and a count or flags, and casts between many heap
    /// types.
    #[test]
    fn fast_paths_agree_with_the_exact_path() {
        let fillers: [&[u8]; 22] = [
            // Two-byte integers: an index, then table 0 or 1; flags, then
            // a two-byte offset; a negative one.
            &[0x85, 0x01, 0x00, 0x00],
            &[0x85, 0x01, 0x01, 0x00],
            &[0x02, 0x85, 0x01, 0x00],
            &[0xc5, 0x41, 0x00],
            // Padded five-byte integers.
            &[0x80, 0x80, 0x80, 0x80, 0x00],
            &[0x00, 0x81, 0x80, 0x80, 0x80, 0x0f],
            &[0x3f, 0xff, 0xff, 0xff, 0xff, 0x07],
            &[0x85, 0x80, 0x80, 0x80, 0x08],
            // Five-byte integers too large for 32 bits.
            &[0xff, 0xff, 0xff, 0xff, 0x7f, 0x00],
            &[0x00, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00],
            &[0x00; 24],
            &[0x01; 24],
            &[0x7f; 24],
            &[0x40; 24],
            &[0x80; 24],
            &[0xff; 24],
            &[0x80, 0x01, 0x00, 0x00],
            &[0x00, 0x80, 0x80, 0x01, 0x05, 0x00],
            &[0x3f, 0xff, 0xff, 0xff, 0x7f, 0x00],
            &[0x02, 0x81, 0x80, 0x80, 0x80, 0x00, 0x00],
            &[0xc0, 0x80, 0x00, 0x00],
            &[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00],
        ];
        // Heap types: abstract ones of each proposal, type indices of one
        // to five bytes, negative and too large ones, bytes that start none.
        let heap_types: [&[u8]; 14] = [
            &[0x6e],
            &[0x71],
            &[0x69],
            &[0x70],
            &[0x6f],
            &[0x05],
            &[0x85, 0x01],
            &[0xc5, 0x3f],
            &[0xff, 0x7f],
            &[0x80, 0x80, 0x80, 0x80, 0x0f],
            &[0x80, 0x80, 0x80, 0x80, 0x10],
            &[0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
            &[0x40],
            &[0x7f],
        ];
        let tails: [&[u8]; 8] = [
            &[],
            &[0x6e, 0x6e, 0x6e],
            &[0x85, 0x01, 0x6e],
            &[0x80, 0x80, 0x80, 0x80, 0x0f, 0x6e],
            &[0x80, 0x80, 0x80, 0x80, 0x10, 0x6e],
            &[0xff, 0x7f, 0x6e],
            &[0xc0, 0x00, 0x6e],
            &[0x80, 0x80, 0x80, 0x7f, 0x00],
        ];
        // Every combination of seven kinds of byte (small, a last byte with
        // the sign bit, continuation bytes) in the first three places.
        let kinds = [0x00u8, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xff];
        let mut grid: Vec<Vec<u8>> = Vec::new();
        for a in kinds {
            for b in kinds {
                for c in kinds {
                    grid.push(vec![a, b, c, 0x00]);
                }
            }
        }
        let mut typed: Vec<Vec<u8>> = Vec::new();
        for first in 0..=0xffu8 {
            for tail in tails {
                typed.push([&[first][..], tail].concat());
            }
            for lead in [0x63, 0x64, 0x00, 0x01, 0x03] {
                for tail in &tails[..3] {
                    typed.push([&[lead, first][..], tail].concat());
                }
            }
        }
        let labels: [&[u8]; 4] = [
            &[0x00],
            &[0x85, 0x01],
            &[0x80, 0x80, 0x80, 0x01],
            &[0x80, 0x80, 0x80, 0x80, 0x01],
        ];
        for flags in [0x00, 0x03, 0x04] {
            for label in labels {
                for from in heap_types {
                    for to in heap_types {
                        typed.push([&[flags][..], label, from, to].concat());
                    }
                }
            }
        }
        let mut feature_sets = vec![Features::ALL, Features::WASM1, Features::default()];
        feature_sets.extend(Proposal::ALL.iter().map(|&p| Features::ALL.without(p)));
        let mut opcodes: Vec<Vec<u8>> = (0..=0xffu8).map(|op| vec![op]).collect();
        for prefix in 0xfbu8..=0xfe {
            for code in 0..0x120u32 {
                if prefixed_opcode(prefix, code).is_some() {
                    let (low, high) = ((code & 0x7f) as u8, (code >> 7) as u8);
                    if high == 0 {
                        opcodes.push(vec![prefix, low]);
                    }
                    opcodes.push(vec![prefix, low | 0x80, high]);
                }
            }
        }
        let (mut taken, mut typed_taken) = (0, 0);
        // The opcodes (and first sub-opcode byte) the fast paths took with
        // typed immediates.
        let mut typed_opcodes = std::collections::BTreeSet::new();
        for opcode in &opcodes {
            let info = match opcode[..] {
                [op] => &ONE_BYTE[usize::from(op)],
                [prefix, ..] => {
                    let sub = u32::from(opcode[1] & 0x7f)
                        | u32::from(opcode.get(2).map_or(0, |b| *b)) << 7;
                    prefixed_opcode(prefix, sub).unwrap()
                }
                [] => unreachable!(),
            };
            let has_types = matches!(
                info.immediates,
                Immediates::HeapType
                    | Immediates::BlockType
                    | Immediates::TryTable
                    | Immediates::SelectTypes
                    | Immediates::BrOnCast
                    | Immediates::Index2
                    | Immediates::CallIndirect
            );
            let extra: &[Vec<u8>] = if has_types { &typed } else { &[] };
            let fillers = fillers.iter().copied().chain(grid.iter().map(|f| &f[..]));
            for filler in fillers.chain(extra.iter().map(|f| &f[..])) {
                let mut bytes = opcode.clone();
                bytes.extend_from_slice(filler);
                bytes.resize(bytes.len().max(32), 0x00);
                for &features in &feature_sets {
                    let n = agree(&bytes, features);
                    taken += n;
                    if has_types && n > 0 {
                        typed_taken += n;
                        typed_opcodes.insert((opcode[0], opcode[1..].first().copied()));
                    }
                }
            }
        }
        // Most opcodes take the fast path with some immediates.
        assert!(taken > 20_000, "{taken}");
        assert!(typed_taken > 100_000, "{typed_taken}");
        // Each opcode with typed immediates but the legacy try and
        // try_table.
        for opcode in [
            (0x02, None),
            (0x03, None),
            (0x04, None),
            (0x11, None),
            (0x13, None),
            (0x1c, None),
            (0xd0, None),
            (0xfb, Some(0x02)),
            (0xfb, Some(0x0a)),
            (0xfb, Some(0x13)),
            (0xfb, Some(0x14)),
            (0xfb, Some(0x17)),
            (0xfb, Some(0x18)),
            (0xfb, Some(0x99)),
        ] {
            assert!(typed_opcodes.contains(&opcode), "{opcode:02x?}");
        }
    }

    /// The fast path reads past the body's bytes when they lie in a larger
    /// module, but takes no instruction that runs past the body: checking
    /// every prefix of a body (cut inside or between instructions) inside
    /// the module gives what checking it alone gives, where the fast path
    /// never sees past the body.
    #[test]
    fn fast_path_stops_at_the_body_end() {
        let mut instrs = Vec::new();
        for i in 0..60u8 {
            match i % 10 {
                0 => instrs.extend([0x41, 0x85, 0x01]), // i32.const (2-byte)
                1 => instrs.push(0x01),                 // nop
                2 => instrs.extend([0x44, 1, 2, 3, 4, 5, 6, 7, 8]), // f64.const
                3 => instrs.extend([0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
                4 => instrs.extend([0x20, i]), // local.get
                5 => instrs.extend([0x28, 0x02, 0x80, 0x01]), // i32.load
                6 => instrs.extend([0xfd, 0xae, 0x01]), // i32x4.add
                7 => instrs.extend([0xfd, 0x00, 0x04, 0x10]), // v128.load
                8 => instrs.extend([0xfd, 0x15, 0x03]), // i8x16.extract_lane_s
                _ => {
                    // v128.const
                    instrs.extend([0xfd, 0x0c]);
                    instrs.extend([i; 16]);
                }
            }
        }
        instrs.push(0x0b);
        let mut module = instrs.clone();
        // What follows the body: more instructions, then ends.
        module.extend([0x41, 0x01, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b, 0x0b]);
        module.extend([0xfd, 0x0c]);
        module.extend([0x01; 24]);
        for features in [Features::ALL, Features::WASM1] {
            for cut in 0..=instrs.len() + 20 {
                let data = &module[..cut];
                let mut inside = Checker::new(data, 0, features, true);
                inside.look_past(&module);
                let mut alone = Checker::new(data, 0, features, true);
                assert_eq!(inside.run(), alone.run(), "cut at {cut}");
            }
        }
    }

    /// `check_const_expr` gives what a checker over the same bytes gives
    /// (the count, where it ends, or the same error): constant expressions
    /// of GC instructions with long indices, `ref.null`, blocks, illegal
    /// and disabled opcodes, cut at every length.
    #[test]
    fn const_exprs_agree_with_the_checker() {
        let exprs: [&[u8]; 13] = [
            // One instruction, then end, closer to the end of the bytes
            // than the fast path's nine-byte window at every cut: i32.const
            // 1; i32.const 128 (two bytes); global.get 0; ref.func 3;
            // f64.const 1.0.
            &[0x41, 0x01, 0x0b],
            &[0x41, 0x80, 0x01, 0x0b],
            &[0x23, 0x00, 0x0b],
            &[0xd2, 0x03, 0x0b],
            &[0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x0b],
            // i32.const 1, i32.const -60, global.get 300, struct.new 200, end
            &[
                0x41, 0x01, 0x41, 0x44, 0x23, 0xac, 0x02, 0xfb, 0x00, 0xc8, 0x01, 0x0b,
            ],
            // ref.null none, array.new_fixed 5 2 (two-byte type), end
            &[0xd0, 0x71, 0xd0, 0x71, 0xfb, 0x08, 0x85, 0x01, 0x02, 0x0b],
            // block, i32.const 0, end, end
            &[0x02, 0x40, 0x41, 0x00, 0x0b, 0x0b],
            // i64.const, ref.i31 (GC), an illegal opcode
            &[0x42, 0x05, 0xfb, 0x1c, 0xff, 0x0b],
            // struct.new with a sub-opcode of a redundant byte, end
            &[0xfb, 0x80, 0x00, 0x03, 0x0b],
            // br_on_cast 0 0 any i31: not constant, but decodes
            &[0xfb, 0x18, 0x00, 0x00, 0x6e, 0x6c, 0x0b],
            // memory.init (data count), end
            &[0xfc, 0x08, 0x00, 0x00, 0x0b],
            // an else with no if
            &[0x41, 0x00, 0x05, 0x0b],
        ];
        for expr in exprs {
            for features in [Features::ALL, Features::WASM2, Features::WASM1] {
                for cut in 0..=expr.len() + 1 {
                    let mut bytes = expr[..cut.min(expr.len())].to_vec();
                    if cut > expr.len() {
                        bytes.extend([0x01; 16]);
                    }
                    let mut reader = Reader::new_in_section(&bytes, 50, features);
                    let got = check_const_expr(&mut reader).map(|n| (n, reader.offset()));
                    let mut checker = Checker::new(&bytes, 50, features, true);
                    let want = checker.run().map(|(n, end)| (n, 50 + end));
                    assert_eq!(got, want, "{bytes:02x?} {features:?}");
                }
            }
        }
    }

    #[test]
    fn locals_and_plain_instructions() {
        // 2 runs: 3 x i32, 1 x i64; then nop, end.
        let bytes = [0x02, 0x03, 0x7f, 0x01, 0x7e, 0x01, 0x0b];
        let body = FunctionBody::new(Reader::new_in_section(&bytes, 0, Features::default()));
        assert_eq!(
            body.check(),
            Ok(BodySummary {
                locals: 4,
                instructions: 2
            })
        );
        // Just `end`.
        assert_eq!(count(&[0x0b]), 1);
        // i32.const 1, i32.const 2, i32.add, drop, end.
        assert_eq!(count(&[0x41, 0x01, 0x41, 0x02, 0x6a, 0x1a, 0x0b]), 5);
    }

    #[test]
    fn leb_immediates() {
        // local.get 624485 (3-byte u32), drop, end
        assert_eq!(count(&[0x20, 0xe5, 0x8e, 0x26, 0x1a, 0x0b]), 3);
        // local.get u32::MAX (5 bytes, exact path), drop, end
        assert_eq!(count(&[0x20, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x1a, 0x0b]), 3);
        // local.get with a stray bit in the fifth byte
        assert_eq!(
            fail(&[0x20, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x1a, 0x0b]),
            (ErrorKind::IntegerTooLarge, 5)
        );
        // local.get with six bytes
        assert_eq!(
            fail(&[0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b]).0,
            ErrorKind::IntegerRepresentationTooLong
        );
        // i32.const -1 padded to 5 bytes is legal; 0x4f in byte 5 is not.
        assert_eq!(count(&[0x41, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x1a, 0x0b]), 3);
        assert_eq!(
            fail(&[0x41, 0xff, 0xff, 0xff, 0xff, 0x4f, 0x1a, 0x0b]).0,
            ErrorKind::IntegerTooLarge
        );
        // i64.const i64::MIN (10 bytes)
        let mut min = vec![0x42];
        min.extend([0x80; 9]);
        min.extend([0x7f, 0x1a, 0x0b]);
        assert_eq!(count(&min), 3);
        // i64.const with 8 bytes (fast path), then drop, end
        assert_eq!(
            count(&[
                0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x1a, 0x0b
            ]),
            3
        );
        // struct.get 1 2 (two u32), drop, end; return_call_indirect 1 0
        assert_eq!(count(&[0xfb, 0x02, 0x01, 0x02, 0x1a, 0x0b]), 3);
        assert_eq!(count(&[0x13, 0x81, 0x01, 0x00, 0x0b]), 2);
    }

    #[test]
    fn floats_and_vectors() {
        // f32.const (4 bytes), f64.const (8 bytes), drop, drop, end
        let mut b = vec![0x43, 0, 0, 0x80, 0x3f, 0x44];
        b.extend([0; 8]);
        b.extend([0x1a, 0x1a, 0x0b]);
        assert_eq!(count(&b), 5);
        // v128.const (16 bytes), i8x16.shuffle (16 lane bytes), end
        let mut b = vec![0xfd, 0x0c];
        b.extend([0xff; 16]);
        b.extend([0xfd, 0x0d]);
        b.extend(0..16u8);
        b.push(0x0b);
        assert_eq!(count(&b), 3);
        // i8x16.extract_lane_s 15, i64x2.replace_lane 1, end
        assert_eq!(count(&[0xfd, 0x15, 0x0f, 0xfd, 0x1e, 0x01, 0x0b]), 3);
        // v128.load8_lane align=0 offset=0 lane 3; v128.store64_lane with a
        // memory index: flags 0x43 (bit 6 + align 3), memory 1, offset 8, lane 1
        assert_eq!(
            count(&[
                0xfd, 0x54, 0x00, 0x00, 0x03, 0xfd, 0x5b, 0x43, 0x01, 0x08, 0x01, 0x0b
            ]),
            3
        );
        // Relaxed SIMD: i8x16.relaxed_swizzle (0xfd 0x100 as LEB 80 02)
        assert_eq!(count(&[0xfd, 0x80, 0x02, 0x0b]), 2);
        assert_eq!(
            fail_with(
                &[0xfd, 0x80, 0x02, 0x0b],
                Features::default().without(Proposal::RelaxedSimd)
            ),
            (ErrorKind::FeatureDisabled(Proposal::RelaxedSimd), 0)
        );
        // An unassigned SIMD code.
        assert_eq!(
            fail(&[0xfd, 0x9a, 0x01, 0x0b]),
            (
                ErrorKind::IllegalOpcode {
                    prefix: 0xfd,
                    code: 0x9a
                },
                0
            )
        );
    }

    #[test]
    fn memargs() {
        // i32.load align=2 offset=0; i64.store align=3 offset=624485
        assert_eq!(
            count(&[0x28, 0x02, 0x00, 0x37, 0x03, 0xe5, 0x8e, 0x26, 0x0b]),
            3
        );
        // align 63 decodes (validation rejects it)
        assert_eq!(count(&[0x28, 0x3f, 0x00, 0x0b]), 2);
        // flags 0x40: memory index 2 follows, then offset 4
        assert_eq!(count(&[0x28, 0x40, 0x02, 0x04, 0x0b]), 2);
        // flags 128 (LEB 80 01) and 256 (80 02): malformed memop flags
        assert_eq!(
            fail(&[0x28, 0x80, 0x01, 0x00, 0x0b]),
            (ErrorKind::MalformedMemopFlags, 1)
        );
        assert_eq!(
            fail(&[0x28, 0x80, 0x02, 0x00, 0x0b]),
            (ErrorKind::MalformedMemopFlags, 1)
        );
        // A u64 offset (2^40) with memory64; too large for a u32 without.
        let b = [0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x0b];
        assert_eq!(count(&b), 2);
        let no64 = Features::default().without(Proposal::Memory64);
        assert_eq!(
            fail_with(&b, no64).0,
            ErrorKind::IntegerRepresentationTooLong
        );
        // A memory index without multi-memory
        let no_multi = Features::default().without(Proposal::MultiMemory);
        assert_eq!(
            fail_with(&[0x28, 0x40, 0x02, 0x04, 0x0b], no_multi),
            (ErrorKind::FeatureDisabled(Proposal::MultiMemory), 1)
        );
        // Truncated: i32.load with flags only
        assert_eq!(
            fail(&[0x28, 0x02]),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 2)
        );
    }

    #[test]
    fn memory_and_table_indices() {
        // memory.size 0, memory.grow 1 (multi-memory), drop, drop, end
        assert_eq!(count(&[0x3f, 0x00, 0x40, 0x01, 0x1a, 0x1a, 0x0b]), 5);
        let no_multi = Features::default().without(Proposal::MultiMemory);
        assert_eq!(
            fail_with(&[0x3f, 0x01, 0x0b], no_multi),
            (ErrorKind::ZeroByteExpected, 1)
        );
        // memory.size with a LEB zero (80 00) is only a u32 with multi-memory.
        assert_eq!(count(&[0x3f, 0x80, 0x00, 0x1a, 0x0b]), 3);
        assert_eq!(
            fail_with(&[0x3f, 0x80, 0x00, 0x1a, 0x0b], no_multi),
            (ErrorKind::ZeroByteExpected, 1)
        );
        // memory.fill 0 / memory.copy 0 0 / memory.init 3 0
        assert_eq!(count(&[0xfc, 0x0b, 0x00, 0x0b]), 2);
        assert_eq!(count(&[0xfc, 0x0a, 0x00, 0x00, 0x0b]), 2);
        assert_eq!(count(&[0xfc, 0x08, 0x03, 0x00, 0x0b]), 2);
        assert_eq!(
            fail_with(&[0xfc, 0x0a, 0x00, 0x01, 0x0b], no_multi),
            (ErrorKind::ZeroByteExpected, 3)
        );
        // call_indirect type 1 table 2; without reference types the table
        // must be the byte 0x00.
        assert_eq!(count(&[0x11, 0x01, 0x02, 0x0b]), 2);
        assert_eq!(
            fail_with(&[0x11, 0x01, 0x02, 0x0b], Features::WASM1),
            (ErrorKind::ZeroByteExpected, 2)
        );
        assert_eq!(
            check_with(&[0x11, 0x01, 0x00, 0x0b], Features::WASM1).map(|s| s.instructions),
            Ok(2)
        );
    }

    #[test]
    fn data_count_required() {
        // memory.init 0 0; data.drop 0
        for instrs in [
            &[0xfc, 0x08, 0x00, 0x00, 0x0b][..],
            &[0xfc, 0x09, 0x00, 0x0b],
        ] {
            let mut bytes = vec![0x00];
            bytes.extend_from_slice(instrs);
            let body = FunctionBody::new(Reader::new_in_section(&bytes, 0, Features::default()));
            assert_eq!(body.check().map(|s| s.instructions), Ok(2));
            let e = body.with_data_count(false).check().unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (ErrorKind::DataCountSectionRequired, 1)
            );
        }
    }

    #[test]
    fn block_types() {
        // block (empty), block i32, block (ref null any), end x3 + end
        assert_eq!(
            count(&[
                0x02, 0x40, 0x02, 0x7f, 0x02, 0x63, 0x6e, 0x0b, 0x0b, 0x0b, 0x0b
            ]),
            7
        );
        // block type index 0 and 200 (s33 c8 01), loop type index 1
        assert_eq!(
            count(&[
                0x02, 0x00, 0x02, 0xc8, 0x01, 0x03, 0x01, 0x0b, 0x0b, 0x0b, 0x0b
            ]),
            7
        );
        // A type index needs multi-value.
        assert_eq!(
            fail_with(&[0x02, 0x00, 0x0b, 0x0b], Features::WASM1),
            (ErrorKind::FeatureDisabled(Proposal::MultiValue), 1)
        );
        // Negative s33 in two bytes (ff 7f = -1): malformed block type.
        assert_eq!(
            fail(&[0x02, 0xff, 0x7f, 0x0b, 0x0b]),
            (ErrorKind::MalformedBlockType, 1)
        );
        // 0x41 has the value-type shape but is no value type.
        assert_eq!(
            fail(&[0x02, 0x41, 0x0b, 0x0b]),
            (ErrorKind::MalformedValueType, 1)
        );
        // Largest s33 index 2^32 - 1: ff ff ff ff 0f
        assert_eq!(count(&[0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b, 0x0b]), 3);
    }

    #[test]
    fn if_else_placement() {
        // i32.const 0, if, nop, else, nop, end, end
        assert_eq!(
            count(&[0x41, 0x00, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, 0x0b]),
            7
        );
        // A second else.
        assert_eq!(
            fail(&[0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b]),
            (ErrorKind::EndOpcodeExpected, 5)
        );
        // else in a block, and at the function level.
        assert_eq!(
            fail(&[0x02, 0x40, 0x05, 0x0b, 0x0b]),
            (ErrorKind::EndOpcodeExpected, 2)
        );
        assert_eq!(fail(&[0x05, 0x0b]), (ErrorKind::EndOpcodeExpected, 0));
        // else in a block nested in an if.
        assert_eq!(
            fail(&[0x41, 0x00, 0x04, 0x40, 0x02, 0x40, 0x05, 0x0b, 0x0b, 0x0b]),
            (ErrorKind::EndOpcodeExpected, 6)
        );
    }

    #[test]
    fn legacy_exceptions() {
        // try, catch 0, catch 1, catch_all, end, end
        assert_eq!(
            count(&[0x06, 0x40, 0x07, 0x00, 0x07, 0x01, 0x19, 0x0b, 0x0b]),
            6
        );
        // try, nop, delegate 0, end
        assert_eq!(count(&[0x06, 0x40, 0x01, 0x18, 0x00, 0x0b]), 4);
        // try, catch_all, rethrow 0, end, end
        assert_eq!(count(&[0x06, 0x40, 0x19, 0x09, 0x00, 0x0b, 0x0b]), 5);
        // catch after catch_all; catch_all twice
        assert_eq!(
            fail(&[0x06, 0x40, 0x19, 0x07, 0x00, 0x0b, 0x0b]),
            (ErrorKind::EndOpcodeExpected, 3)
        );
        assert_eq!(
            fail(&[0x06, 0x40, 0x19, 0x19, 0x0b, 0x0b]),
            (ErrorKind::EndOpcodeExpected, 3)
        );
        // delegate after catch
        assert_eq!(
            fail(&[0x06, 0x40, 0x07, 0x00, 0x18, 0x00, 0x0b]),
            (ErrorKind::EndOpcodeExpected, 4)
        );
        // catch, catch_all, delegate outside try
        assert_eq!(
            fail(&[0x02, 0x40, 0x07, 0x00, 0x0b, 0x0b]),
            (ErrorKind::EndOpcodeExpected, 2)
        );
        assert_eq!(fail(&[0x19, 0x0b]), (ErrorKind::EndOpcodeExpected, 0));
        assert_eq!(fail(&[0x18, 0x00, 0x0b]), (ErrorKind::EndOpcodeExpected, 0));
        // catch inside a block inside a try
        assert_eq!(
            fail(&[0x06, 0x40, 0x02, 0x40, 0x07, 0x00, 0x0b, 0x0b, 0x0b]),
            (ErrorKind::EndOpcodeExpected, 4)
        );
        let no_legacy = Features::default().without(Proposal::LegacyExceptions);
        assert_eq!(
            fail_with(&[0x06, 0x40, 0x0b, 0x0b], no_legacy),
            (ErrorKind::FeatureDisabled(Proposal::LegacyExceptions), 0)
        );
    }

    #[test]
    fn try_table_catches() {
        // try_table (empty) with 4 clauses: catch 1 0, catch_ref 2 0,
        // catch_all 0, catch_all_ref 1; then end (try_table), end.
        let b = [
            0x1f, 0x40, 0x04, 0x00, 0x01, 0x00, 0x01, 0x02, 0x00, 0x02, 0x00, 0x03, 0x01, 0x0b,
            0x0b,
        ];
        assert_eq!(count(&b), 3);
        // Clause kind 4 is malformed.
        assert_eq!(
            fail(&[0x1f, 0x40, 0x01, 0x04, 0x00, 0x0b, 0x0b]),
            (ErrorKind::MalformedCatchClause, 3)
        );
        // try_table with a type-index block type and no clauses, throw 0
        assert_eq!(count(&[0x1f, 0x01, 0x00, 0x08, 0x00, 0x0b, 0x0b]), 4);
        // More clauses than bytes left.
        assert_eq!(
            fail(&[0x1f, 0x40, 0x7f, 0x0b]),
            (ErrorKind::LengthOutOfBounds, 2)
        );
        // else directly in a try_table
        assert_eq!(
            fail(&[0x1f, 0x40, 0x00, 0x05, 0x0b, 0x0b]),
            (ErrorKind::EndOpcodeExpected, 3)
        );
    }

    #[test]
    fn br_table_and_select() {
        // br_table with 3 targets (0 1 200) and default 0, end: one instruction
        assert_eq!(
            count(&[
                0x02, 0x40, 0x0e, 0x03, 0x00, 0x01, 0xc8, 0x01, 0x00, 0x0b, 0x0b
            ]),
            4
        );
        // br_table with no targets
        assert_eq!(count(&[0x0e, 0x00, 0x00, 0x0b]), 2);
        // Target count beyond the body.
        assert_eq!(
            fail(&[0x0e, 0x10, 0x00, 0x0b]),
            (ErrorKind::LengthOutOfBounds, 1)
        );
        // select i32; select (ref null func) v128 decodes (validation limits
        // the arity); select with no types.
        assert_eq!(count(&[0x1c, 0x01, 0x7f, 0x0b]), 2);
        assert_eq!(count(&[0x1c, 0x02, 0x63, 0x70, 0x7b, 0x0b]), 2);
        assert_eq!(count(&[0x1c, 0x00, 0x0b]), 2);
        assert_eq!(
            fail(&[0x1c, 0x01, 0x40, 0x0b]),
            (ErrorKind::MalformedValueType, 2)
        );
    }

    #[test]
    fn references_and_casts() {
        // ref.null func, ref.null 5 (type index), ref.null none, drops, end
        assert_eq!(
            count(&[0xd0, 0x70, 0xd0, 0x05, 0xd0, 0x71, 0x1a, 0x1a, 0x1a, 0x0b]),
            7
        );
        assert_eq!(fail(&[0xd0, 0x7f, 0x0b]), (ErrorKind::MalformedHeapType, 1));
        // ref.test (ref eq), ref.cast (ref null 3)
        assert_eq!(count(&[0xfb, 0x14, 0x6d, 0xfb, 0x17, 0x03, 0x0b]), 3);
        // br_on_cast flags 3, label 0, from any to 7; br_on_cast_fail flags 0
        assert_eq!(
            count(&[
                0xfb, 0x18, 0x03, 0x00, 0x6e, 0x07, 0xfb, 0x19, 0x00, 0x01, 0x6c, 0x6b, 0x0b
            ]),
            3
        );
        // Flags 4 are malformed.
        assert_eq!(
            fail(&[0xfb, 0x18, 0x04, 0x00, 0x6e, 0x6e, 0x0b]),
            (ErrorKind::MalformedCastFlags, 2)
        );
        // return_call_indirect 1 0 (0x13): its table index is encoded as
        // call_indirect's, a single zero byte without reference types, as
        // the operator reader reads it.
        let no_reftypes = Features::ALL.without(Proposal::ReferenceTypes);
        assert_eq!(
            fail_with(&[0x13, 0x01, 0x01, 0x0b], no_reftypes),
            (ErrorKind::ZeroByteExpected, 2)
        );
        assert!(check_with(&[0x13, 0x01, 0x00, 0x0b], no_reftypes).is_ok());
        // With reference types, a LEB128 table index: 300 (ac 02).
        assert!(check_with(&[0x13, 0x01, 0xac, 0x02, 0x0b], Features::ALL).is_ok());
        // return_call_ref 0 (0x15) is function references' instruction, as
        // the operator reader says: accepted without tail calls, rejected
        // without function references.
        let no_tail = Features::ALL.without(Proposal::TailCall);
        assert!(check_with(&[0x15, 0x00, 0x0b], no_tail).is_ok());
        assert_eq!(
            fail_with(&[0x15, 0x00, 0x0b], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::FunctionReferences), 0)
        );
        // GC disabled
        assert_eq!(
            fail_with(&[0xfb, 0x0f, 0x0b], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Gc), 0)
        );
        // ref.eq (one-byte, GC), sign extension disabled in 1.0
        assert_eq!(
            fail_with(&[0xd3, 0x0b], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Gc), 0)
        );
        assert_eq!(
            fail_with(
                &[0x41, 0x00, 0xc0, 0x1a, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0],
                Features::WASM1
            ),
            (ErrorKind::FeatureDisabled(Proposal::SignExtension), 2)
        );
    }

    #[test]
    fn atomics() {
        // atomic.fence 0x00; i32.atomic.rmw.add align=2 offset=0
        assert_eq!(count(&[0xfe, 0x03, 0x00, 0xfe, 0x1e, 0x02, 0x00, 0x0b]), 3);
        assert_eq!(
            fail(&[0xfe, 0x03, 0x01, 0x0b]),
            (ErrorKind::ZeroByteExpected, 2)
        );
        assert_eq!(
            fail(&[0xfe, 0x04, 0x0b]),
            (
                ErrorKind::IllegalOpcode {
                    prefix: 0xfe,
                    code: 4
                },
                0
            )
        );
        assert_eq!(
            fail_with(&[0xfe, 0x03, 0x00, 0x0b], Features::WASM2),
            (ErrorKind::FeatureDisabled(Proposal::Threads), 0)
        );
    }

    #[test]
    fn misc_prefix() {
        // i32.trunc_sat_f32_s, i64.add128, table.size 0, table.grow 1
        assert_eq!(
            count(&[
                0xfc, 0x00, 0xfc, 0x13, 0xfc, 0x10, 0x00, 0xfc, 0x0f, 0x01, 0x0b
            ]),
            5
        );
        // A sub-opcode with a redundant LEB encoding (80 00 = 0).
        assert_eq!(count(&[0xfc, 0x80, 0x00, 0x0b]), 2);
        // memory.discard (0x12) is not part of any supported proposal.
        assert_eq!(
            fail(&[0xfc, 0x12, 0x00, 0x0b]),
            (
                ErrorKind::IllegalOpcode {
                    prefix: 0xfc,
                    code: 0x12
                },
                0
            )
        );
        // A sub-opcode too large for a u32.
        assert_eq!(
            fail(&[0xfc, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x0b]).0,
            ErrorKind::IntegerTooLarge
        );
    }

    #[test]
    fn illegal_opcodes() {
        for op in [0x16u8, 0x17, 0x1d, 0x1e, 0x27, 0xc5, 0xcf, 0xd7, 0xe0, 0xff] {
            assert_eq!(
                fail(&[0x01, op, 0x0b]),
                (
                    ErrorKind::IllegalOpcode {
                        prefix: 0,
                        code: u32::from(op)
                    },
                    1
                )
            );
        }
    }

    #[test]
    fn body_ends_at_final_end() {
        // Bytes after the final end: section size mismatch at the first one.
        assert_eq!(fail(&[0x0b, 0x01]), (ErrorKind::SectionSizeMismatch, 1));
        assert_eq!(
            fail(&[0x02, 0x40, 0x0b, 0x0b, 0x0b]),
            (ErrorKind::SectionSizeMismatch, 4)
        );
        // Running out before it.
        assert_eq!(
            fail(&[0x41, 0x01, 0x1a]),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 3)
        );
        assert_eq!(fail(&[]), (ErrorKind::UnexpectedEndOfSectionOrFunction, 0));
        // An empty body lacks even the locals count.
        let body = FunctionBody::new(Reader::new_in_section(&[], 7, Features::default()));
        let e = body.check().unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 7)
        );
    }

    #[test]
    fn deep_nesting() {
        // 100,000 blocks; the innermost is an if with an else; then all ends.
        let n = 100_000;
        let mut b = Vec::new();
        for i in 0..n {
            // Mix frame kinds so the spilled kinds matter: every third
            // frame is an `if` that gets its `else` on the way out.
            if i % 3 == 0 {
                b.extend([0x41, 0x00, 0x04, 0x40]);
            } else {
                b.extend([0x02, 0x40]);
            }
        }
        let mut instrs = 0u64;
        for i in (0..n).rev() {
            if i % 3 == 0 {
                b.extend([0x05, 0x0b]);
                instrs += 4;
            } else {
                b.push(0x0b);
                instrs += 2;
            }
        }
        b.push(0x0b);
        assert_eq!(count(&b), instrs + 1);
        // A misplaced else deep down (innermost frame is a block).
        let mut bad = Vec::new();
        for _ in 0..n {
            bad.extend([0x02, 0x40]);
        }
        bad.push(0x05);
        assert_eq!(fail(&bad), (ErrorKind::EndOpcodeExpected, 2 * n));
        // An else that must match an if 70 levels out, after popping.
        let mut b = vec![0x41, 0x00, 0x04, 0x40];
        for _ in 0..70 {
            b.extend([0x02, 0x40]);
        }
        b.extend([0x0b; 70]);
        b.extend([0x05, 0x0b, 0x0b]);
        assert_eq!(count(&b), 2 + 70 + 70 + 3);
        // The same with the else one level too deep.
        let mut b = vec![0x41, 0x00, 0x04, 0x40];
        for _ in 0..70 {
            b.extend([0x02, 0x40]);
        }
        b.extend([0x0b; 69]);
        b.extend([0x05, 0x0b, 0x0b, 0x0b]);
        assert_eq!(fail(&b).0, ErrorKind::EndOpcodeExpected);
    }

    #[test]
    fn truncation_never_panics() {
        // A body touching every immediate class.
        let mut b = vec![
            0x02, 0x40, // block
            0x41, 0x7f, // i32.const -1
            0x04, 0x7f, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0b, // if i32 .. else .. end
            0x1a, // drop
            0x28, 0x42, 0x01, 0x80, 0x01, // i32.load memory 1 offset 128
            0x1a, 0x0e, 0x02, 0x00, 0x00, 0x00, // drop, br_table 0 0 0
            0x0b, // end
            0x43, 0, 0, 0, 0, 0x1a, // f32.const, drop
            0x1c, 0x01, 0x7f, // select i32 (unbalanced, decodes)
            0xd0, 0x6f, 0x1a, // ref.null extern, drop
        ];
        b.extend([0xfd, 0x0c]);
        b.extend([1; 16]);
        b.extend([0xfd, 0x54, 0x00, 0x00, 0x00]); // v128.load8_lane
        b.extend([0xfb, 0x18, 0x01, 0x00, 0x6e, 0x05]); // br_on_cast
        b.extend([0x1f, 0x40, 0x01, 0x00, 0x00, 0x00, 0x0b]); // try_table
        b.extend([0x06, 0x40, 0x07, 0x00, 0x19, 0x0b]); // try catch catch_all
        b.extend([0xfe, 0x03, 0x00, 0xfc, 0x08, 0x00, 0x00]); // fence, memory.init
        b.extend([0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
        b.push(0x0b);
        let full = count(&b);
        assert!(full > 20);
        for len in 0..b.len() {
            let e = check(&b[..len]).expect_err("truncated");
            match e.kind() {
                ErrorKind::UnexpectedEndOfSectionOrFunction => assert_eq!(e.offset(), 101 + len),
                // A vector count (br_table, select, try_table) beyond the
                // bytes left.
                ErrorKind::LengthOutOfBounds => {}
                kind => panic!("{len}: {kind:?}"),
            }
        }
    }

    #[test]
    fn pairs_and_many_bodies() {
        // Body A: no locals; i32.const 1, drop, end (3 instructions).
        let a: &[u8] = &[0x00, 0x41, 0x01, 0x1a, 0x0b];
        // Body B: 1 run of 2 i64; block, nop x 12, end, end (15).
        let mut b = vec![0x01, 0x02, 0x7e, 0x02, 0x40];
        b.extend([0x01; 12]);
        b.extend([0x0b, 0x0b]);
        // Body C: an illegal opcode 0xff at its offset 1.
        let c: &[u8] = &[0x00, 0xff, 0x0b];
        let body =
            |bytes, at| FunctionBody::new(Reader::new_in_section(bytes, at, Features::default()));
        let b: &[u8] = &b;
        let (x, y) = body(a, 0).check_pair(&body(b, 100));
        assert_eq!(x.map(|s| s.instructions), Ok(3));
        assert_eq!(
            y,
            Ok(BodySummary {
                locals: 2,
                instructions: 15
            })
        );
        // The same either way round, and with the shorter body second.
        let (y, x) = body(b, 100).check_pair(&body(a, 0));
        assert_eq!((x.unwrap().instructions, y.unwrap().instructions), (3, 15));
        let bodies = [
            body(a, 0),
            body(b, 100),
            body(a, 0),
            body(b, 100),
            body(a, 0),
        ];
        assert_eq!(
            check_bodies(&bodies),
            Ok(BodySummary {
                locals: 4,
                instructions: 3 * 3 + 2 * 15
            })
        );
        assert_eq!(check_bodies(&[]), Ok(BodySummary::default()));
        // The error reported is the first malformed body's, by order.
        let bodies = [body(b, 100), body(c, 200), body(a, 0), body(c, 300)];
        let e = check_bodies(&bodies).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (
                ErrorKind::IllegalOpcode {
                    prefix: 0,
                    code: 0xff
                },
                201
            )
        );
        let (x, y) = body(c, 200).check_pair(&body(b, 100));
        assert_eq!(x.unwrap_err().offset(), 201);
        assert_eq!(y.unwrap().instructions, 15);
        // A body whose locals are malformed (count runs past the end).
        let bodies = [body(a, 0), body(&[0x05][..], 400)];
        assert_eq!(
            check_bodies(&bodies).unwrap_err().kind(),
            ErrorKind::LengthOutOfBounds
        );
    }

    #[test]
    fn const_expr() {
        // i32.const 42, end, then bytes that belong to someone else.
        let bytes = [0x41, 0x2a, 0x0b, 0x99];
        let mut r = Reader::new_in_section(&bytes, 10, Features::default());
        assert_eq!(check_const_expr(&mut r), Ok(2));
        assert_eq!(r.offset(), 13);
        let mut r = Reader::new_in_section(&bytes[..2], 10, Features::default());
        let e = check_const_expr(&mut r).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::UnexpectedEndOfSectionOrFunction, 12)
        );
    }

    proptest::proptest! {
        /// `check_instructions` (which tries small bodies without a
        /// checker first) gives what a checker run from the start gives:
        /// the same count or the same error and offset, on small bodies of
        /// common instructions, blocks, `else`, `end`, prefixed and
        /// malformed bytes, alone and followed by more bytes of a module.
        #[test]
        fn small_bodies_check_as_with_a_checker(
            pieces in proptest::collection::vec(0usize..PIECES.len(), 0..12),
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12),
            features in proptest::sample::select(vec![Features::ALL, Features::WASM2, Features::WASM1]),
        ) {
            let code: Vec<u8> = pieces.iter().flat_map(|&i| PIECES[i].iter().copied()).collect();
            let module = [&code[..], &tail].concat();
            let rules = BodyRules { features, ..BodyRules::new(features) };
            for (within, bytes) in [(&code[..], &code[..]), (&module[..], &module[..code.len()])] {
                let got = check_instructions(within, 0, bytes, 3, rules);
                let mut checker = Checker::new(bytes, 0, features, true);
                let outcome = checker.run();
                let expected = checker.summary(outcome, 3);
                proptest::prop_assert_eq!(got, expected, "{:02x?}", bytes);
            }
        }
    }

    /// Pieces of bodies for `small_bodies_check_as_with_a_checker`.
    const PIECES: &[&[u8]] = &[
        &[0x0b],                   // end
        &[0x20, 0x00],             // local.get 0
        &[0x41, 0xff, 0x7f],       // i32.const -1
        &[0x6a],                   // i32.add
        &[0x02, 0x40],             // block
        &[0x04, 0x7f],             // if (result i32)
        &[0x05],                   // else
        &[0x0c, 0x00],             // br 0
        &[0x28, 0x02, 0x80, 0x01], // i32.load offset 128
        &[0xfd, 0x0c],             // v128.const (16 bytes follow)
        &[0x00; 8],
        &[0xfc, 0x0a, 0x00, 0x00],       // memory.copy
        &[0xd0, 0x70],                   // ref.null func
        &[0x1c, 0x01, 0x7f],             // select (result i32)
        &[0x80],                         // a LEB that goes on
        &[0xff],                         // no such opcode
        &[0x10, 0x80, 0x80, 0x80, 0x80], // call, index runs on
    ];
}
