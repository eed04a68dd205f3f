//! Checking one large function body on two threads: its head, from the
//! first instruction to a split point, and its tail, from there to the end,
//! each checked on its own, then joined.
//!
//! Instructions have no length the bytes alone do not give, so a decoder
//! started at an arbitrary byte falls into step with the real instruction
//! boundaries within a few instructions (it need not: the head then fails
//! to meet it, see below). The split point is where such a decoder, started
//! in the middle of the body, is after [`SYNC`] instructions.
//!
//! - The head is checked up to the split point, as a body cut short there:
//!   it must run out of bytes exactly at the split point, with no
//!   instruction across it; that proves the split point is an instruction
//!   boundary. It leaves the kinds of the frames still open.
//! - The tail is checked from the split point with one frame of unknown
//!   kind open ([`OUTER`]); when it closes that frame, another one opens.
//!   What the tail requires of those frames (an `else` needs an `if`, a
//!   `catch` a `try`) is recorded as [`Demand`]s.
//! - The join checks the demands against the head's frames, and that the
//!   tail closes the last of them (the function's) with the body's last
//!   byte.
//!
//! Whatever does not hold (the split point is not a boundary, a demand
//! fails, the head or tail fails) makes the join decline: the caller then
//! checks the whole body in one piece, which gives the exact result and the
//! first error. A join that succeeds gives what checking the body in one
//! piece gives: the tests hold the two against each other.

use super::{Checker, FrameKind, INLINE_FRAMES, OUTER};
use crate::{BodyRules, BodySummary, FromReader, FunctionBody, Reader};

/// How many instructions the decoder that picks the split point reads from
/// the middle of the body before it trusts it is in step.
const SYNC: usize = 32;

/// How many bytes on from the middle of the body the split point is looked
/// for, one start after another, when decoding from a start fails.
const SEARCH: usize = 64;

/// What the tail required of a frame opened before the split point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Demand {
    /// Which frame: how many frames opened before the split point the tail
    /// had closed (0: the innermost).
    pub outer: u32,
    /// The kinds it may have: bits `1 << kind`.
    pub allowed: u8,
    /// Its kind afterwards.
    pub becomes: FrameKind,
}

/// Where the check of one function body is split in two.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodySplit {
    /// The number of locals the body declares.
    locals: u64,
    /// The absolute offset of the first instruction.
    start: usize,
    /// The absolute offset of the split point.
    at: usize,
    /// The absolute end of the body.
    end: usize,
    rules: BodyRules,
}

/// What the head of a split body leaves for the join.
#[derive(Clone, Debug)]
pub struct SplitHead {
    /// The instructions before the split point.
    count: u64,
    /// The kinds of the frames open at the split point, outermost (the
    /// function's) first.
    kinds: Vec<FrameKind>,
}

/// What the tail of a split body leaves for the join.
#[derive(Clone, Debug)]
pub struct SplitTail {
    /// The instructions from the split point on.
    count: u64,
    /// How many frames opened before the split point the tail closed, the
    /// last one with the body's last byte.
    closed: u32,
    /// What it required of them, in order.
    demands: Vec<Demand>,
}

impl BodySplit {
    /// A split of the body whose code section entry (its size prefix)
    /// starts at `entry` in `module` (bytes from absolute offset 0 on), in
    /// a code section whose contents end at `section_end`, checked under
    /// `rules`. `None` when the entry or its locals do not read, or no split
    /// point was found: the body is then checked in one piece.
    pub fn new(
        module: &[u8],
        entry: usize,
        section_end: usize,
        rules: BodyRules,
    ) -> Option<BodySplit> {
        let mut split = BodySplit::at_start(module, entry, section_end, rules)?;
        split.at = split_point(module, split.start, split.end, rules)?;
        Some(split)
    }

    /// The same body split at the absolute offset `at` instead, which must
    /// lie between its first instruction and its end (`None` otherwise).
    /// Any such offset is sound: where it is not an instruction boundary,
    /// the head declines and so does the join.
    pub fn new_at(
        module: &[u8],
        entry: usize,
        section_end: usize,
        rules: BodyRules,
        at: usize,
    ) -> Option<BodySplit> {
        let split = BodySplit::at_start(module, entry, section_end, rules)?;
        (split.start..=split.end)
            .contains(&at)
            .then_some(BodySplit { at, ..split })
    }

    /// The body at `entry` split before its first instruction.
    fn at_start(
        module: &[u8],
        entry: usize,
        section_end: usize,
        rules: BodyRules,
    ) -> Option<BodySplit> {
        let data = module.get(entry..section_end)?;
        let mut reader = Reader::new_in_section(data, entry, rules.features);
        let body = FunctionBody::from_reader(&mut reader).ok()?;
        let (instructions, locals) = body.skip_locals().ok()?;
        let start = instructions.offset();
        Some(BodySplit {
            locals,
            start,
            at: start,
            end: body.range().end,
            rules,
        })
    }

    /// The absolute offset of the split point.
    pub fn at(&self) -> usize {
        self.at
    }

    /// Checks the instructions before the split point. `None` when they do
    /// not check as the start of a body cut short exactly there.
    pub fn check_head(&self, module: &[u8]) -> Option<SplitHead> {
        let data = module.get(self.start..self.at)?;
        // No window past the split point: the last instructions before it
        // take the exact path, and one across it fails there.
        let mut checker = self.checker(data, self.start);
        match checker.run() {
            // The instruction that failed starts at the split point: there
            // is none there, the bytes ran out.
            Err(_) if checker.pos == data.len() => Some(SplitHead {
                count: checker.count,
                kinds: checker.open_kinds(),
            }),
            _ => None,
        }
    }

    /// Checks the instructions from the split point to the body's end.
    /// `None` when they fail, or the body does not end with an `end`
    /// closing a frame opened before the split point.
    pub fn check_tail(&self, module: &[u8]) -> Option<SplitTail> {
        let data = module.get(self.at..self.end)?;
        let mut checker = self.checker(data, self.at);
        checker.look_past(module);
        checker.kinds[0] = OUTER;
        loop {
            let (_, pos) = checker.run().ok()?;
            // The `end` (or `delegate`) at `pos - 1` closed an outer frame.
            checker.outer_closed += 1;
            if pos == data.len() {
                return Some(SplitTail {
                    count: checker.count,
                    closed: checker.outer_closed,
                    demands: checker.demands,
                });
            }
            // The next frame out.
            checker.depth = 1;
            checker.kinds[0] = OUTER;
        }
    }

    /// The summary of the whole body, when the head and the tail fit: the
    /// tail's demands hold of the head's frames, and the tail closes the
    /// last of them with the body's last byte. `None` otherwise: the body
    /// must then be checked in one piece.
    pub fn join(&self, head: &SplitHead, tail: &SplitTail) -> Option<BodySummary> {
        let mut kinds = head.kinds.clone();
        for demand in &tail.demands {
            let i = kinds.len().checked_sub(1 + demand.outer as usize)?;
            let kind = kinds.get_mut(i)?;
            if demand.allowed & (1 << *kind) == 0 {
                return None;
            }
            *kind = demand.becomes;
        }
        (tail.closed as usize == kinds.len()).then_some(BodySummary {
            locals: self.locals,
            instructions: head.count + tail.count,
        })
    }

    fn checker<'a>(&self, data: &'a [u8], base: usize) -> Checker<'a> {
        let mut checker = Checker::new(
            data,
            base,
            self.rules.features,
            self.rules.data_count_present,
        );
        checker.max_br_table_targets = self.rules.max_br_table_targets;
        checker
    }
}

impl Checker<'_> {
    /// The kinds of the open frames, outermost first.
    fn open_kinds(&self) -> Vec<FrameKind> {
        let spilled = self.depth.saturating_sub(INLINE_FRAMES);
        let mut kinds = Vec::with_capacity(self.depth);
        kinds.extend(self.spill.iter().take(spilled));
        kinds.extend((spilled..self.depth).map(|d| self.kinds[d % INLINE_FRAMES]));
        kinds
    }
}

/// Where [`SYNC`] instructions decoded from about the middle of the
/// instructions `start..end` of `module` end, if they decode (from one of
/// [`SEARCH`] starts) and end before `end`.
fn split_point(module: &[u8], start: usize, end: usize, rules: BodyRules) -> Option<usize> {
    let middle = start + (end.checked_sub(start)?) / 2;
    (middle..middle + SEARCH).find_map(|from| {
        let data = module.get(from..end)?;
        let mut decoder = Checker::new(data, from, rules.features, true);
        decoder.look_past(module);
        decoder.kinds[0] = OUTER;
        let mut pos = 0;
        for _ in 0..SYNC {
            pos = decoder.slow(pos).ok()?;
            if decoder.depth == 0 {
                decoder.depth = 1;
                decoder.kinds[0] = OUTER;
            }
        }
        (pos < data.len()).then_some(from + pos)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Features, check_code_entry};

    /// A code section entry: the size, no locals, then `instructions`.
    fn entry(instructions: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        ::leb128::write::unsigned(&mut out, instructions.len() as u64 + 1).unwrap();
        out.push(0x00);
        out.extend_from_slice(instructions);
        out
    }

    /// Every byte of `instructions` as the split point: the head, tail and
    /// join at each, against the check in one piece. For a body that
    /// checks, the splits that join must be exactly those at an
    /// instruction's start, as the operators reader finds them.
    fn splits_agree(instructions: &[u8], features: Features) {
        let module = entry(instructions);
        let rules = BodyRules::new(features);
        let whole = check_code_entry(&module, 0, module.len(), rules);
        let split = BodySplit::at_start(&module, 0, module.len(), rules).unwrap();
        let mut joined = Vec::new();
        for at in split.start..=split.end {
            let split = BodySplit {
                at,
                ..split.clone()
            };
            let (Some(head), Some(tail)) = (split.check_head(&module), split.check_tail(&module))
            else {
                continue;
            };
            if let Some(summary) = split.join(&head, &tail) {
                assert_eq!(Ok(summary), whole, "split at {at} of {module:02x?}");
                joined.push(at);
            }
        }
        if whole.is_ok() {
            let mut reader = Reader::new_in_section(&module, 0, features);
            let body = FunctionBody::from_reader(&mut reader).unwrap();
            let mut operators = body.operators_reader().unwrap();
            let mut starts = Vec::new();
            while !operators.is_finished() {
                starts.push(operators.offset());
                operators.next().unwrap().unwrap();
            }
            assert_eq!(joined, starts, "{module:02x?}");
        }
    }

    #[test]
    fn joins_agree_with_the_whole_body() {
        let all = Features::default();
        // block; if; else; end; end; i32.const 1; drop; end
        let nested = [
            0x02, 0x40, 0x41, 0x01, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, 0x0b, 0x41, 0x01, 0x1a,
            0x0b,
        ];
        splits_agree(&nested, all);
        // try; catch 0; catch_all; end; try; delegate 0; end
        let legacy = [
            0x06, 0x40, 0x07, 0x00, 0x19, 0x0b, 0x06, 0x40, 0x01, 0x18, 0x00, 0x0b,
        ];
        splits_agree(&legacy, all);
        // Malformed: a join never succeeds where the whole body fails.
        for bad in [
            // else in a block
            &[0x02, 0x40, 0x01, 0x05, 0x01, 0x0b, 0x0b][..],
            // catch after catch_all
            &[0x06, 0x40, 0x19, 0x07, 0x00, 0x0b, 0x0b],
            // delegate in a catch
            &[0x06, 0x40, 0x07, 0x00, 0x18, 0x00, 0x0b],
            // the function ends early
            &[0x01, 0x0b, 0x01, 0x0b],
            // a frame left open
            &[0x02, 0x40, 0x01, 0x01, 0x0b],
            // an illegal opcode after the split
            &[0x01, 0x01, 0x01, 0x01, 0xff, 0x0b],
        ] {
            let module = entry(bad);
            assert!(check_code_entry(&module, 0, module.len(), BodyRules::new(all)).is_err());
            splits_agree(bad, all);
        }
    }

    /// Deep nesting: the head's frames spill past the 64 kept inline.
    #[test]
    fn deep_frames_reach_the_join() {
        let mut body = Vec::new();
        for i in 0..100 {
            body.extend(if i % 3 == 0 {
                [0x04, 0x40]
            } else {
                [0x02, 0x40]
            });
            body.extend([0x41, 0x00]);
        }
        for i in (0..100).rev() {
            if i % 3 == 0 {
                body.push(0x05);
            }
            body.push(0x0b);
        }
        body.push(0x0b);
        splits_agree(&body, Features::default());
        // The same with one `else` in a block: every join declines.
        let wrong = body.iter().rposition(|&b| b == 0x05).unwrap();
        body.insert(wrong + 2, 0x05);
        splits_agree(&body, Features::default());
    }

    #[test]
    fn the_split_point_is_past_the_middle() {
        let mut body = Vec::new();
        for _ in 0..1000 {
            body.extend([0x41, 0x80, 0x01, 0x1a]);
        }
        body.push(0x0b);
        let module = entry(&body);
        let split = BodySplit::new(
            &module,
            0,
            module.len(),
            BodyRules::new(Features::default()),
        )
        .unwrap();
        let middle = (split.start + split.end) / 2;
        assert!(split.at >= middle && split.at < middle + SEARCH + 9 * SYNC);
        let head = split.check_head(&module).unwrap();
        let tail = split.check_tail(&module).unwrap();
        assert_eq!(
            split.join(&head, &tail),
            Some(BodySummary {
                locals: 0,
                instructions: 2001
            })
        );
    }

    proptest::proptest! {
        /// Bodies of control instructions, legacy exception handling,
        /// common and malformed instructions, with the function's `end` or
        /// without: at every byte as the split point, a join gives what the
        /// whole body's check gives, and a body that checks joins at every
        /// instruction start.
        #[test]
        fn random_bodies_split_as_they_check(
            pieces in proptest::collection::vec(0usize..PIECES.len(), 0..24),
            ends in 0usize..3,
            features in proptest::sample::select(vec![Features::ALL, Features::WASM2]),
        ) {
            let mut body: Vec<u8> =
                pieces.iter().flat_map(|&i| PIECES[i].iter().copied()).collect();
            body.extend(std::iter::repeat_n(0x0b, ends));
            splits_agree(&body, features);
        }
    }

    /// Pieces of bodies for `random_bodies_split_as_they_check`.
    const PIECES: &[&[u8]] = &[
        &[0x0b],                         // end
        &[0x0b],                         // end
        &[0x02, 0x40],                   // block
        &[0x03, 0x7f],                   // loop (result i32)
        &[0x04, 0x40],                   // if
        &[0x04, 0x40],                   // if
        &[0x05],                         // else
        &[0x05],                         // else
        &[0x06, 0x40],                   // try
        &[0x07, 0x00],                   // catch 0
        &[0x19],                         // catch_all
        &[0x18, 0x00],                   // delegate 0
        &[0x1f, 0x40, 0x00],             // try_table, no catches
        &[0x41, 0x80, 0x01],             // i32.const 128
        &[0x1a],                         // drop
        &[0x0e, 0x02, 0x00, 0x01, 0x00], // br_table 0 1 0
        &[
            0xfd, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        ], // v128.const
        &[0xff],                         // no such opcode
        &[0x80],                         // a LEB that goes on
    ];
}
