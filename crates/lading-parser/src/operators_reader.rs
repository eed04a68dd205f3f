//! The instructions of a function body or constant expression, one at a
//! time, through the `end` that closes the body.

use crate::operator;
use crate::{ErrorKind, FunctionBody, Operator, Proposal, Reader, Result};

/// The kinds of open blocks, which decide what may come next.
const FRAME_BLOCK: u8 = 0; // block, loop, try_table, the body itself
const FRAME_IF: u8 = 1; // `if` before its `else`
const FRAME_ELSE: u8 = 2; // `if` after its `else`
const FRAME_TRY: u8 = 3; // legacy `try` before any handler
const FRAME_TRY_CATCH: u8 = 4; // legacy `try` after a `catch`
const FRAME_TRY_CATCH_ALL: u8 = 5; // legacy `try` after its `catch_all`

/// How many nesting levels are tracked without allocating.
const INLINE_FRAMES: usize = 64;

/// An iterator over the instructions of a function body or constant
/// expression: every instruction, each `end` included, up to and including
/// the `end` that closes the outermost block.
///
/// The reader tracks the open blocks (64 levels inline; deeper nesting
/// spills to a `Vec`), so it rejects an `else` outside an `if`, a `catch` or
/// `catch_all` outside a legacy `try` (or after its `catch_all`), and a
/// `delegate` after a handler, all as `END opcode expected`. Running out of
/// bytes, between instructions or inside one, is `unexpected end of section
/// or function` at the end of the bytes; bytes left
/// after the final `end` of a function body are a `section size mismatch`,
/// yielded after that `end`. After the first error the iterator yields
/// `None` forever.
///
/// ```
/// use lading_parser::{Features, FromReader, FunctionBody, Operator, Reader};
/// // size 6: no locals; i32.const 7; drop; end
/// let bytes = [0x05, 0x00, 0x41, 0x07, 0x1a, 0x0b];
/// let mut r = Reader::new_in_section(&bytes, 0, Features::default());
/// let body = FunctionBody::from_reader(&mut r).unwrap();
/// let names: Vec<_> = body
///     .operators_reader()
///     .unwrap()
///     .map(|op| op.unwrap().name())
///     .collect();
/// assert_eq!(names, ["i32.const", "drop", "end"]);
/// ```
#[derive(Clone, Debug)]
pub struct OperatorsReader<'a> {
    reader: Reader<'a>,
    /// The kinds of the first `INLINE_FRAMES` open blocks.
    inline: [u8; INLINE_FRAMES],
    /// The kinds of the open blocks beyond `INLINE_FRAMES`.
    spilled: Vec<u8>,
    /// The number of open blocks, the body's own included.
    depth: usize,
    data_count_present: bool,
    /// Whether bytes after the final `end` are an error.
    exact: bool,
    done: bool,
}

impl<'a> OperatorsReader<'a> {
    /// A reader of the instructions starting at `reader`'s position, which
    /// must end exactly with the final `end` (a function body's code, or
    /// a constant expression's bytes).
    pub fn new(reader: Reader<'a>) -> OperatorsReader<'a> {
        OperatorsReader::with_options(reader, true, true)
    }

    #[inline]
    fn with_options(
        reader: Reader<'a>,
        data_count_present: bool,
        exact: bool,
    ) -> OperatorsReader<'a> {
        OperatorsReader {
            reader,
            inline: [FRAME_BLOCK; INLINE_FRAMES],
            spilled: Vec::new(),
            depth: 1,
            data_count_present,
            exact,
            done: false,
        }
    }

    /// The absolute offset of the next instruction.
    pub fn offset(&self) -> usize {
        self.reader.offset()
    }

    /// Whether the final `end` has been read (or an error stopped the
    /// reader).
    pub fn is_finished(&self) -> bool {
        self.done
    }

    /// The reader positioned after the last instruction read.
    pub fn reader(&self) -> &Reader<'a> {
        &self.reader
    }

    /// Reads every remaining instruction, checking each; returns the
    /// reader positioned after the final `end`.
    pub fn finish(mut self) -> Result<Reader<'a>> {
        for op in self.by_ref() {
            op?;
        }
        Ok(self.reader)
    }

    fn top(&self) -> u8 {
        let index = self.depth.wrapping_sub(1);
        if index < INLINE_FRAMES {
            self.inline.get(index).copied().unwrap_or(FRAME_BLOCK)
        } else {
            self.spilled.last().copied().unwrap_or(FRAME_BLOCK)
        }
    }

    fn set_top(&mut self, kind: u8) {
        let index = self.depth.wrapping_sub(1);
        let slot = if index < INLINE_FRAMES {
            self.inline.get_mut(index)
        } else {
            self.spilled.last_mut()
        };
        if let Some(slot) = slot {
            *slot = kind;
        }
    }

    fn push(&mut self, kind: u8) {
        match self.inline.get_mut(self.depth) {
            Some(slot) => *slot = kind,
            None => self.spilled.push(kind),
        }
        self.depth += 1;
    }

    /// Closes the innermost open block (an `end`, or a `delegate` closing
    /// its `try`); the reader is finished once the body's own block is
    /// closed.
    #[inline]
    fn pop(&mut self) {
        self.depth -= 1;
        if self.depth >= INLINE_FRAMES {
            self.spilled.pop();
        }
        if self.depth == 0 {
            self.done = true;
        }
    }

    /// What an opcode that opens, switches or closes a block (or that
    /// needs the data count section) does to the open blocks, decided from
    /// the opcode alone before any immediate is read, as the check pass
    /// and the reference interpreter decide it: an `else`, `catch`,
    /// `catch_all` or `delegate` where the open block cannot take one is
    /// `END opcode expected` at the opcode, and `memory.init` or
    /// `data.drop` without a data count section is `data count section
    /// required` at the opcode. A disabled proposal is left to the
    /// decoder, which reports it (and an error stops the reader, so the
    /// blocks updated here are never looked at again).
    ///
    /// `code` was read at position `at`; the reader is after it.
    #[inline(never)]
    fn structure(&mut self, code: u8, at: usize) -> Result<()> {
        let legacy = || self.reader.features().has(Proposal::LegacyExceptions);
        let misplaced = |r: &Self| Err(r.reader.error_at(ErrorKind::EndOpcodeExpected, at));
        match code {
            0x02 | 0x03 | 0x1f => self.push(FRAME_BLOCK),
            0x04 => self.push(FRAME_IF),
            0x06 => self.push(FRAME_TRY),
            0x05 => match self.top() {
                FRAME_IF => self.set_top(FRAME_ELSE),
                _ => return misplaced(self),
            },
            0x07 if legacy() => match self.top() {
                FRAME_TRY | FRAME_TRY_CATCH => self.set_top(FRAME_TRY_CATCH),
                _ => return misplaced(self),
            },
            0x19 if legacy() => match self.top() {
                FRAME_TRY | FRAME_TRY_CATCH => self.set_top(FRAME_TRY_CATCH_ALL),
                _ => return misplaced(self),
            },
            0x18 if legacy() => match self.top() {
                FRAME_TRY => self.pop(),
                _ => return misplaced(self),
            },
            0x0b => self.pop(),
            0xfc if !self.data_count_present
                && self.reader.features().has(Proposal::BulkMemory) =>
            {
                let mut r = self.reader.clone();
                if matches!(r.read_var_u32(), Ok(0x08 | 0x09)) {
                    return Err(self
                        .reader
                        .error_at(ErrorKind::DataCountSectionRequired, at));
                }
            }
            _ => {}
        }
        Ok(())
    }

    #[inline]
    fn read(&mut self) -> Result<Operator<'a>> {
        let at = self.reader.position();
        let Ok(code) = self.reader.read_u8() else {
            // The reference interpreter's stream ends here: its `end`
            // expectation fails on the missing byte (binary.wast, "missing
            // end marker (at EOF)").
            return Err(self.reader.eof_error());
        };
        if is_structural(code) {
            // The most frequent ones inline.
            match code {
                0x0b => self.pop(),
                0x02 | 0x03 => self.push(FRAME_BLOCK),
                0x04 => self.push(FRAME_IF),
                _ => self.structure(code, at)?,
            }
        }
        operator::decode(&mut self.reader, code, at)
    }
}

/// Whether the reader looks at opcode `code` before decoding it: the block
/// instructions (`block`, `loop`, `if`, `else`, `try`, `catch`, `end`,
/// `delegate`, `catch_all`, `try_table`) and the `0xFC` prefix (for
/// `memory.init` and `data.drop`, which need the data count section).
#[inline]
fn is_structural(code: u8) -> bool {
    STRUCTURAL[usize::from(code)]
}

/// [`is_structural`] as a table: one load instead of a chain of compares
/// on every instruction.
const STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut code = 0;
    while code < 256 {
        table[code] = matches!(code, 0x02..=0x07 | 0x0b | 0x18 | 0x19 | 0x1f | 0xfc);
        code += 1;
    }
    table
};

impl<'a> Iterator for OperatorsReader<'a> {
    type Item = Result<Operator<'a>>;

    #[inline]
    fn next(&mut self) -> Option<Result<Operator<'a>>> {
        if self.done {
            if self.exact && !self.reader.is_empty() {
                // Report the trailing bytes once, then stop for good.
                let e = self.reader.error(ErrorKind::SectionSizeMismatch);
                self.exact = false;
                return Some(Err(e));
            }
            return None;
        }
        let op = self.read();
        if op.is_err() {
            self.done = true;
            self.exact = false;
        }
        Some(op)
    }
}

impl<'a> FunctionBody<'a> {
    /// The body's instructions, after its local declarations (which are
    /// read and checked first).
    #[inline]
    pub fn operators_reader(&self) -> Result<OperatorsReader<'a>> {
        let (reader, _) = self.skip_locals()?;
        Ok(OperatorsReader::with_options(
            reader,
            self.data_count_present(),
            true,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Features, FromReader};

    fn reader(bytes: &[u8]) -> OperatorsReader<'_> {
        OperatorsReader::new(Reader::new_in_section(bytes, 100, Features::default()))
    }

    /// The names of the operators, then the error (if any) as kind and
    /// offset.
    fn run(bytes: &[u8]) -> (Vec<&'static str>, Option<(ErrorKind, usize)>) {
        let mut names = Vec::new();
        for op in reader(bytes) {
            match op {
                Ok(op) => names.push(op.name()),
                Err(e) => return (names, Some((e.kind(), e.offset()))),
            }
        }
        (names, None)
    }

    #[test]
    fn stops_after_the_final_end() {
        // block; i32.const 1; br_if 0; end; end
        let bytes = [0x02, 0x40, 0x41, 0x01, 0x0d, 0x00, 0x0b, 0x0b];
        let mut r = reader(&bytes);
        let names: Vec<_> = r.by_ref().map(|op| op.unwrap().name()).collect();
        assert_eq!(names, ["block", "i32.const", "br_if", "end", "end"]);
        assert!(r.is_finished());
        assert_eq!(r.offset(), 108);
        assert!(r.next().is_none());
    }

    #[test]
    fn trailing_bytes_after_the_final_end() {
        // end; nop
        assert_eq!(
            run(&[0x0b, 0x01]),
            (vec!["end"], Some((ErrorKind::SectionSizeMismatch, 101)))
        );
    }

    #[test]
    fn missing_final_end() {
        // i32.const 1; drop; (no end): the body's bytes run out where the
        // `end` should be, as in binary.wast's "Function with missing end
        // marker (at EOF)": `unexpected end of section or function`, at the
        // end of the bytes (what the check pass says too).
        assert_eq!(
            run(&[0x41, 0x01, 0x1a]),
            (
                vec!["i32.const", "drop"],
                Some((ErrorKind::UnexpectedEndOfSectionOrFunction, 103))
            )
        );
        // block; (no end, neither the block's nor the body's).
        assert_eq!(
            run(&[0x02, 0x40]),
            (
                vec!["block"],
                Some((ErrorKind::UnexpectedEndOfSectionOrFunction, 102))
            )
        );
        // An immediate cut off by the end of the body.
        assert_eq!(
            run(&[0x41]),
            (
                vec![],
                Some((ErrorKind::UnexpectedEndOfSectionOrFunction, 101))
            )
        );
    }

    #[test]
    fn if_else() {
        // if; else; end; end
        let (names, e) = run(&[0x04, 0x40, 0x05, 0x0b, 0x0b]);
        assert_eq!(names, ["if", "else", "end", "end"]);
        assert_eq!(e, None);
        // else in a block: block; else
        assert_eq!(
            run(&[0x02, 0x40, 0x05, 0x0b, 0x0b]).1,
            Some((ErrorKind::EndOpcodeExpected, 102))
        );
        // two elses: if; else; else
        assert_eq!(
            run(&[0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b]).1,
            Some((ErrorKind::EndOpcodeExpected, 103))
        );
        // else at the body level
        assert_eq!(
            run(&[0x05, 0x0b]).1,
            Some((ErrorKind::EndOpcodeExpected, 100))
        );
    }

    #[test]
    fn legacy_try_frames() {
        // try; catch 0; catch 1; catch_all; end; end
        let (names, e) = run(&[0x06, 0x40, 0x07, 0x00, 0x07, 0x01, 0x19, 0x0b, 0x0b]);
        assert_eq!(names, ["try", "catch", "catch", "catch_all", "end", "end"]);
        assert_eq!(e, None);
        // try; delegate 0; end
        let (names, e) = run(&[0x06, 0x40, 0x18, 0x00, 0x0b]);
        assert_eq!(names, ["try", "delegate", "end"]);
        assert_eq!(e, None);
        // catch after catch_all: try; catch_all; catch 0
        assert_eq!(
            run(&[0x06, 0x40, 0x19, 0x07, 0x00, 0x0b, 0x0b]).1,
            Some((ErrorKind::EndOpcodeExpected, 103))
        );
        // delegate after catch: try; catch 0; delegate 0
        assert_eq!(
            run(&[0x06, 0x40, 0x07, 0x00, 0x18, 0x00, 0x0b]).1,
            Some((ErrorKind::EndOpcodeExpected, 104))
        );
        // catch_all inside a block
        assert_eq!(
            run(&[0x02, 0x40, 0x19, 0x0b, 0x0b]).1,
            Some((ErrorKind::EndOpcodeExpected, 102))
        );
        // try_table closes with end like a block
        let (names, e) = run(&[0x1f, 0x40, 0x00, 0x0b, 0x0b]);
        assert_eq!(names, ["try_table", "end", "end"]);
        assert_eq!(e, None);
    }

    #[test]
    fn deep_nesting_spills_and_restores_frame_kinds() {
        // Depths around the inline limit (64) and well past it.
        for n in [1, 63, 64, 65, 254, 255, 256, 257, 258, 300, 600] {
            // n x `if`, then `else` + `end` for each, then the final `end`:
            // the `else`s at depths beyond 64 need the spilled kinds.
            let mut bytes = Vec::new();
            for _ in 0..n {
                bytes.extend([0x41, 0x00, 0x04, 0x40]);
            }
            for _ in 0..n {
                bytes.extend([0x05, 0x0b]);
            }
            bytes.push(0x0b);
            let mut r = reader(&bytes);
            let mut count = 0;
            for op in r.by_ref() {
                op.unwrap();
                count += 1;
            }
            assert_eq!(count, n * 2 + n * 2 + 1, "{n} ifs");
            assert!(r.is_finished());
            // n blocks, one `if` inside, then `else` after closing the `if`
            // (the frame below is a block): misplaced.
            let mut bytes = Vec::new();
            for _ in 0..n {
                bytes.extend([0x02, 0x40]);
            }
            bytes.extend([0x41, 0x00, 0x04, 0x40, 0x0b, 0x05]);
            let (_, e) = run(&bytes);
            assert_eq!(
                e,
                Some((ErrorKind::EndOpcodeExpected, 100 + 2 * n + 5)),
                "{n} blocks"
            );
            // n legacy `try`s, each closed by `catch_all` and `end`; then
            // a `catch` after a `catch_all`: misplaced.
            let mut bytes = Vec::new();
            for _ in 0..n {
                bytes.extend([0x06, 0x40]);
            }
            for _ in 0..n {
                bytes.extend([0x19, 0x0b]);
            }
            bytes.extend([0x06, 0x40, 0x19, 0x07, 0x00]);
            let (names, e) = run(&bytes);
            assert_eq!(names.len(), 3 * n + 2, "{n} trys");
            assert_eq!(
                e,
                Some((ErrorKind::EndOpcodeExpected, 100 + 4 * n + 3)),
                "{n} trys"
            );
        }
    }

    #[test]
    fn misplaced_handlers_fail_before_their_immediates() {
        // delegate at the body level with an over-long label (80 80 80 80
        // 10): the reference interpreter stops at the opcode and expects
        // `end`, so the label is never read.
        assert_eq!(
            run(&[0x18, 0x80, 0x80, 0x80, 0x80, 0x10]).1,
            Some((ErrorKind::EndOpcodeExpected, 100))
        );
        // if; catch with its tag cut off by the end of the body.
        assert_eq!(
            run(&[0x04, 0x40, 0x07]).1,
            Some((ErrorKind::EndOpcodeExpected, 102))
        );
    }

    #[test]
    fn data_count_is_checked_before_the_immediates() {
        // memory.init (fc 08) with its data index cut off, no data count
        // section: `data count section required` at the opcode.
        let bytes = [0x00, 0xfc, 0x08];
        let body = FunctionBody::new(Reader::new_in_section(&bytes, 10, Features::default()));
        assert_eq!(
            first_error(body.with_data_count(false)),
            Some((ErrorKind::DataCountSectionRequired, 11))
        );
        // data.drop (fc 09) with its sub-opcode padded to two bytes (89
        // 00), after a nop: still data.drop, still at the opcode.
        let bytes = [0x00, 0x01, 0xfc, 0x89, 0x00, 0x00, 0x0b];
        let body = FunctionBody::new(Reader::new_in_section(&bytes, 10, Features::default()));
        assert_eq!(
            first_error(body.clone().with_data_count(false)),
            Some((ErrorKind::DataCountSectionRequired, 12))
        );
        assert_eq!(first_error(body), None);
    }

    /// The first error the operators of `body` give.
    fn first_error(body: FunctionBody<'_>) -> Option<(ErrorKind, usize)> {
        let mut ops = body.operators_reader().ok()?;
        let e = ops.find_map(|op| op.err())?;
        Some((e.kind(), e.offset()))
    }

    #[test]
    fn errors_stop_the_iterator() {
        let mut r = reader(&[0x27, 0x0b]);
        assert!(r.next().unwrap().is_err());
        assert!(r.next().is_none());
        assert!(r.is_finished());
    }

    #[test]
    fn function_bodies_and_data_count() {
        // size 8, no locals; i32.const 0 x3 ... simpler: data.drop 0; end
        let bytes = [0x05, 0x00, 0xfc, 0x09, 0x00, 0x0b];
        let mut outer = Reader::new_in_section(&bytes, 0, Features::default());
        let body = FunctionBody::from_reader(&mut outer).unwrap();
        let ok: Vec<_> = body
            .operators_reader()
            .unwrap()
            .map(|op| op.unwrap().name())
            .collect();
        assert_eq!(ok, ["data.drop", "end"]);
        assert_eq!(
            first_error(body.with_data_count(false)),
            Some((ErrorKind::DataCountSectionRequired, 2))
        );
    }

    #[test]
    fn locals_are_skipped() {
        // size 6: 1 run of 2 x i64; nop; end
        let bytes = [0x05, 0x01, 0x02, 0x7e, 0x01, 0x0b];
        let mut outer = Reader::new_in_section(&bytes, 0, Features::default());
        let body = FunctionBody::from_reader(&mut outer).unwrap();
        let r = body.operators_reader().unwrap();
        assert_eq!(r.offset(), 4);
        assert_eq!(r.count(), 2);
    }

    proptest::proptest! {
        /// Any bytes: no panic, at most one item per byte plus the error,
        /// and nothing after an error.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let mut items = 0;
            let mut failed = false;
            for op in reader(&bytes) {
                proptest::prop_assert!(!failed);
                failed = op.is_err();
                items += 1;
            }
            proptest::prop_assert!(items <= bytes.len() + 1);
        }

        /// Valid-looking code: opcodes from a small set with zero
        /// immediates, closed by enough `end`s.
        #[test]
        fn structured_bytes_never_panic(ops in proptest::collection::vec(
            proptest::sample::select(vec![0x02u8, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0b, 0x18, 0x19, 0x1f, 0x01]),
            0..200,
        )) {
            let mut bytes = Vec::new();
            for op in ops {
                bytes.push(op);
                match op {
                    0x02 | 0x03 | 0x04 | 0x06 => bytes.push(0x40),
                    0x07 | 0x18 => bytes.push(0x00),
                    0x1f => bytes.extend([0x40, 0x00]),
                    _ => {}
                }
            }
            bytes.extend([0x0b; 8]);
            let mut r = reader(&bytes);
            for op in r.by_ref() {
                if op.is_err() {
                    break;
                }
            }
            proptest::prop_assert!(r.is_finished() || r.offset() <= 100 + bytes.len());
        }
    }
}
