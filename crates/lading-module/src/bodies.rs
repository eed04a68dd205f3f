//! Checking every function body, on one thread or several.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use lading_parser::{
    BodyRules, BodySplit, BodySummary, CompositeType, Error, ErrorKind, FromReader, Reader,
    SplitHead, SplitTail, SubType, check_code_entry,
};

use crate::{LimitExceeded, LoadError};

/// The function bodies of a module to check: where each entry (its size
/// prefix) starts, and where the code section's contents end.
pub(crate) struct Bodies<'a> {
    pub bytes: &'a [u8],
    pub entries: &'a [u32],
    pub section_end: usize,
    /// What every body is checked under.
    pub rules: BodyRules,
    /// The type index of every body's function.
    pub function_types: &'a [u32],
    /// Where every type (subtype) starts in `bytes`.
    pub type_offsets: &'a [u32],
    /// The most parameters a function type may have (checked when the
    /// types were indexed).
    pub max_params: u32,
    /// The most locals (parameters included) a body may have.
    pub max_locals: u64,
}

impl<'a> Bodies<'a> {
    /// Checks the bodies of `entries[range]` in order; returns the total
    /// instruction count or the first error.
    fn check_range(&self, range: Range<usize>) -> Result<BodySummary, LoadError> {
        let mut total = BodySummary {
            locals: 0,
            instructions: 0,
        };
        let first = range.start;
        for (i, &entry) in self
            .entries
            .get(range)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let summary =
                check_code_entry(self.bytes, entry as usize, self.section_end, self.rules)
                    .map_err(|e| self.limit_of(e))?;
            let summary = self.admit(first + i, summary)?;
            total.locals += summary.locals;
            total.instructions += summary.instructions;
        }
        Ok(total)
    }

    /// The summary of body `i`, if its locals and its function's
    /// parameters are within the limit on locals.
    #[inline(always)]
    fn admit(&self, i: usize, summary: BodySummary) -> Result<BodySummary, LoadError> {
        // Below the limit whatever the parameters (at most `max_params`):
        // the function's type is decoded only near it.
        if summary.locals > self.max_locals.saturating_sub(self.max_params.into())
            && summary.locals > self.max_locals.saturating_sub(self.params(i))
        {
            return Err(LimitExceeded {
                what: "local count",
                limit: self.max_locals,
                value: summary.locals.saturating_add(self.params(i)),
                offset: self.entries.get(i).map(|&entry| entry as usize),
            }
            .into());
        }
        Ok(summary)
    }

    /// The work of checking every body on `threads` threads, in body
    /// order: runs of bodies cut into chunks ([`split_guided`]), and each
    /// body of [`SPLIT_MIN_BYTES`] or more in two halves (its head and
    /// tail, [`BodySplit`]) when a split point is found.
    fn plan(&self, threads: usize) -> (Vec<Work>, Vec<(usize, BodySplit)>) {
        let (mut work, mut splits) = (Vec::new(), Vec::new());
        let mut run_start = 0;
        for i in self.large_bodies() {
            let Some(&entry) = self.entries.get(i) else {
                continue;
            };
            if let Some(split) =
                BodySplit::new(self.bytes, entry as usize, self.section_end, self.rules)
            {
                self.plan_run(&mut work, run_start..i, threads);
                work.push(Work::Head(splits.len()));
                work.push(Work::Tail(splits.len()));
                splits.push((i, split));
                run_start = i + 1;
            }
        }
        self.plan_run(&mut work, run_start..self.entries.len(), threads);
        (work, splits)
    }

    /// The entries whose bodies take [`SPLIT_MIN_BYTES`] or more, in order.
    /// Most modules have none: the entries are scanned a block at a time
    /// for the widest gap (a loop without exits, which vectorizes), and
    /// only a block with a wide one is looked into.
    fn large_bodies(&self) -> Vec<usize> {
        const BLOCK: usize = 256;
        let entries = self.entries;
        let mut large = Vec::new();
        let mut start = 0;
        while start + 1 < entries.len() {
            let stop = (start + BLOCK).min(entries.len() - 1);
            let gaps = || {
                entries[start..=stop]
                    .windows(2)
                    .map(|w| w[1].wrapping_sub(w[0]) as usize)
            };
            if gaps().max().unwrap_or(0) >= SPLIT_MIN_BYTES {
                large.extend(
                    gaps()
                        .enumerate()
                        .filter(|&(_, gap)| gap >= SPLIT_MIN_BYTES)
                        .map(|(j, _)| start + j),
                );
            }
            start = stop;
        }
        if let Some(last) = entries.len().checked_sub(1)
            && self.entry_end(last).saturating_sub(entries[last] as usize) >= SPLIT_MIN_BYTES
        {
            large.push(last);
        }
        large
    }

    /// Adds the chunks of the bodies `run` to `work`.
    fn plan_run(&self, work: &mut Vec<Work>, run: Range<usize>, threads: usize) {
        let (Some(entries), Some(last)) = (self.entries.get(run.clone()), run.end.checked_sub(1))
        else {
            return;
        };
        let end = self.entry_end(last);
        work.extend(
            split_guided(entries, end, threads)
                .into_iter()
                .map(|r| Work::Bodies(run.start + r.start..run.start + r.end)),
        );
    }

    /// Where entry `i` ends: the next one's start, or the section's end.
    fn entry_end(&self, i: usize) -> usize {
        self.entries
            .get(i + 1)
            .map_or(self.section_end, |&next| next as usize)
    }

    /// Does one piece of work.
    fn run(&self, work: &Work, splits: &[(usize, BodySplit)]) -> Done {
        match *work {
            Work::Bodies(ref range) => Done::Bodies(self.check_range(range.clone())),
            Work::Head(k) => Done::Head(splits.get(k).and_then(|(_, s)| s.check_head(self.bytes))),
            Work::Tail(k) => Done::Tail(splits.get(k).and_then(|(_, s)| s.check_tail(self.bytes))),
        }
    }

    /// The summary of split body `i` from its two halves, or, when they do
    /// not join, of checking it in one piece (which gives its first error).
    fn join(
        &self,
        (i, split): &(usize, BodySplit),
        head: Option<SplitHead>,
        tail: Option<SplitTail>,
    ) -> Result<BodySummary, LoadError> {
        match (head, tail) {
            (Some(head), Some(tail)) if let Some(summary) = split.join(&head, &tail) => {
                self.admit(*i, summary)
            }
            _ => self.check_range(*i..*i + 1),
        }
    }

    /// The error of a body: the `br_table` bound the parser was given is
    /// the `br_table targets` limit; anything else is malformed.
    fn limit_of(&self, e: Error) -> LoadError {
        match e.kind() {
            ErrorKind::TooManyBrTableTargets { count } => LimitExceeded {
                what: "br_table target count",
                limit: self.rules.max_br_table_targets.into(),
                value: count.into(),
                offset: Some(e.offset()),
            }
            .into(),
            _ => e.into(),
        }
    }

    /// The parameter count of body `i`'s function, when its type is a
    /// function type of the module (0 otherwise).
    fn params(&self, i: usize) -> u64 {
        let ty = self.function_types.get(i).copied().unwrap_or(u32::MAX);
        let Some(&at) = self.type_offsets.get(ty as usize) else {
            return 0;
        };
        let at = at as usize;
        let mut reader = Reader::new_in_section(
            self.bytes.get(at..).unwrap_or_default(),
            at,
            self.rules.features,
        );
        // The type decoded when it was indexed.
        match SubType::from_reader(&mut reader).map(|sub| sub.composite) {
            Ok(CompositeType::Func(f)) => f.params().len().into(),
            _ => 0,
        }
    }

    /// Checks every body with up to `threads` threads (the calling one
    /// included). The result is the same as checking them in order on one
    /// thread: the total local and instruction counts, or the error of the
    /// first malformed body.
    ///
    /// The bodies are cut into chunks of decreasing byte size (guided
    /// scheduling: each a share of the bytes left), which the threads take
    /// in order as they finish the previous one: a thread slowed by its
    /// bodies (or by the machine) takes fewer, and the last chunks are
    /// small, so that the threads finish close together.
    ///
    /// `meanwhile` runs on the calling thread while the other threads start
    /// on the bodies (the calling thread joins them once it returns); on
    /// one thread, it runs first. Its result is returned beside theirs.
    pub fn check_while<R>(
        &self,
        threads: usize,
        meanwhile: impl FnOnce() -> R,
    ) -> (Result<BodySummary, LoadError>, R) {
        let n = self.entries.len();
        let (work, splits) = if threads > 1 {
            self.plan(threads)
        } else {
            Default::default()
        };
        if work.len() < 2 {
            let during = meanwhile();
            return (self.check_range(0..n), during);
        }
        let next = AtomicUsize::new(0);
        // Pieces after the first failing one cannot hold the first error.
        let first_failed = AtomicUsize::new(usize::MAX);
        let run = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(piece) = work.get(i) else { break };
                if i > first_failed.load(Ordering::Relaxed) {
                    break;
                }
                let result = self.run(piece, &splits);
                if matches!(result, Done::Bodies(Err(_))) {
                    first_failed.fetch_min(i, Ordering::Relaxed);
                }
                done.push((i, result));
            }
            done
        };
        let (mut results, during) = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(run)).collect();
            let during = meanwhile();
            let mut results = run();
            for helper in helpers {
                match helper.join() {
                    Ok(done) => results.extend(done),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            (results, during)
        });
        // In order: every piece before the first failing one was done (a
        // thread only stops at a piece after a failed one), a head just
        // before its tail.
        results.sort_unstable_by_key(|&(i, _)| i);
        let mut total = BodySummary {
            locals: 0,
            instructions: 0,
        };
        let mut head = None;
        for (i, result) in results {
            let part = match (result, &work[i]) {
                (Done::Bodies(part), _) => part,
                (Done::Head(h), _) => {
                    head = h;
                    continue;
                }
                (Done::Tail(tail), &Work::Tail(k)) => match splits.get(k) {
                    Some(split) => self.join(split, head.take(), tail),
                    None => continue,
                },
                (Done::Tail(_), _) => continue,
            };
            match part {
                Ok(part) => {
                    total.locals += part.locals;
                    total.instructions += part.instructions;
                }
                Err(e) => return (Err(e), during),
            }
        }
        (Ok(total), during)
    }
}

/// A piece of the work of checking the bodies.
enum Work {
    /// The bodies of these entries.
    Bodies(Range<usize>),
    /// The head of the split body `k` of the plan's splits.
    Head(usize),
    /// The tail of the split body `k`.
    Tail(usize),
}

/// What a piece of [`Work`] gave.
enum Done {
    Bodies(Result<BodySummary, LoadError>),
    /// `None`: the head does not check as one (the join then declines).
    Head(Option<SplitHead>),
    Tail(Option<SplitTail>),
}

/// Bodies of this size and more are checked in two halves on two threads
/// (a tenth of a millisecond of checking or more).
const SPLIT_MIN_BYTES: usize = 128 << 10;

/// The smallest chunk handed out, in bytes of code (unless the bodies left
/// are fewer): some tens of microseconds of checking, against the cost of
/// taking a chunk and keeping its result.
const MIN_CHUNK_BYTES: usize = 32 << 10;

/// Splits the entries into contiguous ranges, in order, each about
/// `1 / (2 * threads)` of the bytes left after the ones before it and at
/// least [`MIN_CHUNK_BYTES`]: big chunks first, few to hand out; small
/// ones last, so that no thread is left with much when the others are
/// done. A chunk holds at least one entry, however large.
fn split_guided(entries: &[u32], end: usize, threads: usize) -> Vec<Range<usize>> {
    let n = entries.len();
    let mut ranges = Vec::new();
    let mut start = 0;
    while let Some(&first) = entries.get(start) {
        let left = end.saturating_sub(first as usize);
        let size = (left / (2 * threads.max(1))).max(MIN_CHUNK_BYTES);
        let limit = first as usize + size;
        // The first entry at or past the byte limit starts the next chunk.
        let next = start + 1 + entries[start + 1..].partition_point(|&e| (e as usize) < limit);
        ranges.push(start..next.min(n));
        start = next;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use lading_parser::Features;

    /// The block scan finds the large bodies a plain filter finds: in the
    /// middle of a block, on either side of a block boundary, last.
    #[test]
    fn large_bodies_are_found_in_any_block() {
        let big = SPLIT_MIN_BYTES as u32;
        for wide in [vec![], vec![0], vec![7, 255, 256, 600], vec![511, 512, 999]] {
            let mut entries = vec![0u32];
            for i in 0..1000 {
                let gap = if wide.contains(&i) { big } else { 10 };
                entries.push(entries[i] + gap);
            }
            let section_end = *entries.last().unwrap() as usize + 1;
            let bodies = Bodies {
                bytes: &[],
                entries: &entries,
                section_end,
                rules: BodyRules::new(Features::default()),
                function_types: &[],
                type_offsets: &[],
                max_params: 0,
                max_locals: 0,
            };
            assert_eq!(bodies.large_bodies(), wide);
            let last_big = Bodies {
                section_end: section_end + SPLIT_MIN_BYTES,
                ..bodies
            };
            let mut with_last = wide.clone();
            with_last.push(1000);
            assert_eq!(last_big.large_bodies(), with_last);
        }
    }

    /// A large body is planned as a head and a tail, which join to what
    /// checking it in one piece gives.
    #[test]
    fn a_large_body_is_checked_in_two_joined_halves() {
        // Entry at 0: a size of three bytes, no locals, then blocks and
        // constants, the function's end last.
        let (mut body, mut blocks) = (vec![0x00], 0);
        while body.len() < SPLIT_MIN_BYTES {
            body.extend([0x02, 0x40, 0x41, 0x2a, 0x1a, 0x0b]);
            blocks += 1;
        }
        body.push(0x0b);
        let n = body.len();
        let mut bytes = vec![
            (n & 0x7f) as u8 | 0x80,
            (n >> 7 & 0x7f) as u8 | 0x80,
            (n >> 14) as u8,
        ];
        bytes.extend(body);
        let bodies = Bodies {
            bytes: &bytes,
            entries: &[0],
            section_end: bytes.len(),
            rules: BodyRules::new(Features::default()),
            function_types: &[0],
            type_offsets: &[],
            max_params: 0,
            max_locals: u64::MAX,
        };
        let (work, splits) = bodies.plan(2);
        assert!(matches!(work[..], [Work::Head(0), Work::Tail(0)]));
        let (Done::Head(head), Done::Tail(tail)) =
            (bodies.run(&work[0], &splits), bodies.run(&work[1], &splits))
        else {
            panic!("a head and a tail");
        };
        let (head, tail) = (
            head.expect("the head checks"),
            tail.expect("the tail checks"),
        );
        let whole = bodies.check_range(0..1).unwrap();
        assert_eq!(splits[0].1.join(&head, &tail), Some(whole));
        assert_eq!(bodies.check_while(2, || ()).0.unwrap(), whole);
        assert_eq!(whole.instructions, 4 * blocks + 1);
    }

    #[test]
    fn splits_cover_every_entry_once_in_order() {
        let kib = 1 << 10;
        let entries: Vec<u32> = (0..1000).map(|i| i * kib).collect();
        let end = 1000 * kib as usize;
        for threads in 1..8 {
            let ranges = split_guided(&entries, end, threads);
            let mut next = 0;
            let mut last_bytes = usize::MAX;
            for r in &ranges {
                assert_eq!(r.start, next);
                assert!(r.end > r.start);
                next = r.end;
                // Never larger than the share of what is left, never
                // growing, never under the minimum but for the last.
                let from = entries[r.start] as usize;
                let to = entries.get(r.end).map_or(end, |&e| e as usize);
                let bytes = to - from;
                assert!(bytes <= ((end - from) / (2 * threads)).max(MIN_CHUNK_BYTES) + 1024);
                assert!(bytes <= last_bytes, "{threads} threads: {ranges:?}");
                assert!(bytes >= MIN_CHUNK_BYTES || r.end == entries.len());
                last_bytes = bytes;
            }
            assert_eq!(next, 1000);
        }
        assert!(split_guided(&[], 10, 4).is_empty());
        // One huge body: one chunk for it, the rest after.
        let big = 1 << 20;
        let ranges = split_guided(&[0, big, big + 1, big + 2], big as usize + 3, 2);
        assert_eq!(ranges, vec![0..1, 1..4]);
    }
}
