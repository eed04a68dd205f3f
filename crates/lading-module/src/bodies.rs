//! Checking every function body, on one thread or several.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use lading_parser::{
    BodyRules, BodySummary, CompositeType, Error, ErrorKind, FromReader, Reader, SubType,
    check_code_entry,
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
            // Below the limit whatever the parameters (at most
            // `max_params`): the function's type is decoded only near it.
            if summary.locals > self.max_locals.saturating_sub(self.max_params.into())
                && summary.locals > self.max_locals.saturating_sub(self.params(first + i))
            {
                return Err(LimitExceeded {
                    what: "local count",
                    limit: self.max_locals,
                    value: summary.locals.saturating_add(self.params(first + i)),
                    offset: Some(entry as usize),
                }
                .into());
            }
            total.locals += summary.locals;
            total.instructions += summary.instructions;
        }
        Ok(total)
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
    /// The bodies are cut into chunks of about equal byte size, several per
    /// thread, which the threads take in order as they finish the previous
    /// one: a thread slowed by its bodies (or by the machine) takes fewer.
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
        if threads <= 1 || n < 2 {
            let during = meanwhile();
            return (self.check_range(0..n), during);
        }
        let chunks = split_by_bytes(self.entries, self.section_end, threads * CHUNKS_PER_THREAD);
        let next = AtomicUsize::new(0);
        // Chunks after the first failing one cannot hold the first error.
        let first_failed = AtomicUsize::new(usize::MAX);
        let work = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(range) = chunks.get(i) else { break };
                if i > first_failed.load(Ordering::Relaxed) {
                    break;
                }
                let result = self.check_range(range.clone());
                if result.is_err() {
                    first_failed.fetch_min(i, Ordering::Relaxed);
                }
                done.push((i, result));
            }
            done
        };
        let (mut results, during) = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let during = meanwhile();
            let mut results = work();
            for helper in helpers {
                match helper.join() {
                    Ok(done) => results.extend(done),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            (results, during)
        });
        // In chunk order: every chunk before the first failing one was
        // checked (a thread only stops at a chunk after a failed one).
        results.sort_unstable_by_key(|&(i, _)| i);
        let mut total = BodySummary {
            locals: 0,
            instructions: 0,
        };
        for (_, result) in results {
            let part = match result {
                Ok(part) => part,
                Err(e) => return (Err(e), during),
            };
            total.locals += part.locals;
            total.instructions += part.instructions;
        }
        (Ok(total), during)
    }
}

/// How many chunks of bodies each thread takes, on average: more balance
/// the load, fewer cost less to hand out.
const CHUNKS_PER_THREAD: usize = 8;

/// Splits the entries into at most `parts` contiguous ranges of about equal
/// byte size.
fn split_by_bytes(entries: &[u32], end: usize, parts: usize) -> Vec<Range<usize>> {
    let (Some(&first), n) = (entries.first(), entries.len()) else {
        return Vec::new();
    };
    let total = end.saturating_sub(first as usize);
    let per_part = total.div_ceil(parts).max(1);
    let mut ranges = Vec::with_capacity(parts);
    let mut start = 0;
    while start < n && ranges.len() + 1 < parts {
        let limit = entries[start] as usize + per_part;
        // The first entry at or past the byte limit starts the next chunk.
        let next = start + 1 + entries[start + 1..].partition_point(|&e| (e as usize) < limit);
        ranges.push(start..next.min(n));
        start = next;
    }
    if start < n {
        ranges.push(start..n);
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_cover_every_entry_once_in_order() {
        let entries: Vec<u32> = (0..100).map(|i| i * 10).collect();
        for parts in 1..8 {
            let ranges = split_by_bytes(&entries, 1000, parts);
            assert!(ranges.len() <= parts);
            let mut next = 0;
            for r in &ranges {
                assert_eq!(r.start, next);
                assert!(r.end > r.start);
                next = r.end;
            }
            assert_eq!(next, 100);
        }
        assert!(split_by_bytes(&[], 10, 4).is_empty());
        // One huge body: one chunk for it, the rest after.
        let ranges = split_by_bytes(&[0, 900, 901, 902], 1000, 2);
        assert_eq!(ranges, vec![0..1, 1..4]);
    }
}
