//! One entry of the code section: a function's locals and instructions.

use core::ops::Range;

use crate::{ErrorKind, FromReader, Reader, Result, ValType};

/// The body of one function, borrowed from the code section: its local
/// declarations, then its instructions up to the final `end`.
///
/// Decoding the entry only reads its size; [`FunctionBody::locals_reader`]
/// and the instruction decoders read the rest on demand.
#[derive(Clone, Debug)]
pub struct FunctionBody<'a> {
    reader: Reader<'a>,
    data_count_present: bool,
    max_br_table_targets: u32,
}

impl<'a> FromReader<'a> for FunctionBody<'a> {
    fn from_reader(reader: &mut Reader<'a>) -> Result<FunctionBody<'a>> {
        let size = reader.read_len()?;
        let body = reader.sub_reader(size as usize)?;
        Ok(FunctionBody {
            reader: body,
            data_count_present: true,
            max_br_table_targets: u32::MAX,
        })
    }
}

impl<'a> FunctionBody<'a> {
    /// A body over exactly `reader`'s bytes (locals and instructions, without
    /// the size prefix).
    pub fn new(reader: Reader<'a>) -> FunctionBody<'a> {
        FunctionBody {
            reader,
            data_count_present: true,
            max_br_table_targets: u32::MAX,
        }
    }

    /// This body, told whether the module has a data count section:
    /// without one, `memory.init` and `data.drop` are `data count section
    /// required`. The code section reader sets it; it defaults to `true`.
    #[must_use]
    pub fn with_data_count(mut self, present: bool) -> FunctionBody<'a> {
        self.data_count_present = present;
        self
    }

    /// Whether the module has a data count section.
    #[inline]
    pub fn data_count_present(&self) -> bool {
        self.data_count_present
    }

    /// This body, with at most `max` targets allowed in one `br_table` (its
    /// label vector, the default label not counted): [`FunctionBody::check`]
    /// gives [`ErrorKind::TooManyBrTableTargets`] at the count of a
    /// `br_table` over it. It defaults to `u32::MAX`, no bound: the binary
    /// format has none, this is for a loader's implementation limit.
    #[must_use]
    pub fn with_max_br_table_targets(mut self, max: u32) -> FunctionBody<'a> {
        self.max_br_table_targets = max;
        self
    }

    /// This body, checked under `rules` (its features stay the reader's):
    /// [`FunctionBody::with_data_count`] and
    /// [`FunctionBody::with_max_br_table_targets`] in one.
    #[must_use]
    pub fn with_rules(self, rules: crate::BodyRules) -> FunctionBody<'a> {
        self.with_data_count(rules.data_count_present)
            .with_max_br_table_targets(rules.max_br_table_targets)
    }

    /// The most targets [`FunctionBody::check`] allows in one `br_table`.
    #[inline]
    pub fn max_br_table_targets(&self) -> u32 {
        self.max_br_table_targets
    }

    /// The absolute byte range of the body (after its size prefix).
    pub fn range(&self) -> Range<usize> {
        self.reader.base()..self.reader.base() + self.reader.data().len()
    }

    /// The body's bytes (after its size prefix).
    pub fn bytes(&self) -> &'a [u8] {
        self.reader.data()
    }

    /// A reader over the whole body, positioned at the locals.
    pub fn reader(&self) -> Reader<'a> {
        self.reader.clone()
    }

    /// The local declarations: `(count, type)` runs.
    pub fn locals_reader(&self) -> Result<LocalsReader<'a>> {
        LocalsReader::new(self.reader.clone())
    }

    /// Reads and checks every local declaration; returns a reader positioned
    /// at the first instruction and the total number of locals.
    #[inline]
    pub fn skip_locals(&self) -> Result<(Reader<'a>, u64)> {
        // No local declarations: a run count of zero in one byte.
        if let [0, ..] = self.reader.remaining_bytes() {
            let mut reader = self.reader.clone();
            reader.skip(1)?;
            return Ok((reader, 0));
        }
        self.skip_local_runs()
    }

    /// [`FunctionBody::skip_locals`] for a body with local declarations.
    #[inline(never)]
    fn skip_local_runs(&self) -> Result<(Reader<'a>, u64)> {
        let mut locals = self.locals_reader()?;
        for run in &mut locals {
            run?;
        }
        let total = locals.total;
        Ok((locals.reader, total))
    }
}

/// The local declarations of a function body: runs of `count` locals of one
/// type. The running total must not exceed 2^32 - 1 (`too many locals`).
#[derive(Clone, Debug)]
pub struct LocalsReader<'a> {
    reader: Reader<'a>,
    remaining: u32,
    total: u64,
    failed: bool,
}

impl<'a> LocalsReader<'a> {
    fn new(mut reader: Reader<'a>) -> Result<LocalsReader<'a>> {
        let remaining = reader.read_len()?;
        Ok(LocalsReader {
            reader,
            remaining,
            total: 0,
            failed: false,
        })
    }

    /// The number of `(count, type)` runs not read yet.
    pub fn runs_remaining(&self) -> u32 {
        self.remaining
    }

    /// The number of locals read so far.
    pub fn total(&self) -> u64 {
        self.total
    }

    fn read_run(&mut self) -> Result<(u32, ValType)> {
        let at = self.reader.position();
        let count = self.reader.read_var_u32()?;
        self.total += u64::from(count);
        if self.total > u64::from(u32::MAX) {
            return Err(self.reader.error_at(ErrorKind::TooManyLocals, at));
        }
        let ty = ValType::from_reader(&mut self.reader)?;
        Ok((count, ty))
    }
}

impl<'a> Iterator for LocalsReader<'a> {
    type Item = Result<(u32, ValType)>;

    fn next(&mut self) -> Option<Result<(u32, ValType)>> {
        if self.remaining == 0 || self.failed {
            return None;
        }
        self.remaining -= 1;
        let run = self.read_run();
        self.failed = run.is_err();
        Some(run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Features;

    fn body(bytes: &[u8]) -> FunctionBody<'_> {
        let mut r = Reader::new_in_section(bytes, 0, Features::default());
        FunctionBody::from_reader(&mut r).unwrap()
    }

    #[test]
    fn locals_then_instructions() {
        // size 7: 2 runs: 3 x i32, 1 x f64; then `end`.
        let b = body(&[0x07, 0x02, 0x03, 0x7f, 0x01, 0x7c, 0x0b, 0x0b]);
        assert_eq!(b.range(), 1..8);
        let runs: Vec<_> = b.locals_reader().unwrap().collect::<Result<_>>().unwrap();
        assert_eq!(runs, [(3, ValType::I32), (1, ValType::F64)]);
        let (rest, total) = b.skip_locals().unwrap();
        assert_eq!(total, 4);
        assert_eq!(rest.offset(), 6);
    }

    #[test]
    fn too_many_locals() {
        // 2 runs of 0xffff_ffff i32 locals: the total passes 2^32 - 1.
        let bytes = [
            0x0d, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f,
        ];
        let e = body(&bytes).skip_locals().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::TooManyLocals, 8));
    }

    #[test]
    fn body_longer_than_section() {
        let mut r = Reader::new_in_section(&[0x05, 0x00], 0, Features::default());
        let e = FunctionBody::from_reader(&mut r).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LengthOutOfBounds);
    }
}
