//! Checking the function bodies by walking the code section's entries in
//! order, each size prefix read next to the body it precedes: on one
//! thread, or on several that split the walk between them.
//!
//! Where entry `i` starts is known only once entries `0..i` are read. A
//! walk that reads every size prefix before checking any body jumps from
//! one body to the next across the whole section: a cache miss per entry,
//! one after the other (4.5 ms for the 39,481 entries of a 29 MB code
//! section here, 7% of its load). Read while the bodies are checked, the
//! next size prefix is in the line the check just read.
//!
//! On several threads, each walks a *lane*: a run of entries from a known
//! entry to a stop. A thread without a lane steals the second half of the
//! lane with the most bytes left: it reads the size prefixes from the
//! lane's last published entry to its middle (the only jumps, a fraction
//! of the entries), and moves the lane's stop there. Lanes thus split by
//! bytes and keep splitting until the threads finish together.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use lading_parser::leb128::read_u32_short;
use lading_parser::{BodySplit, BodySummary, SplitHead, SplitTail};

use lading_source::Buffer;

use crate::LoadError;
use crate::bodies::Bodies;

/// Bodies of this size and more are checked in two halves on two threads
/// (a tenth of a millisecond of checking or more).
pub(crate) const SPLIT_MIN_BYTES: usize = 128 << 10;

/// A walker publishes where it is at least this often, in bytes of code:
/// a stealer may move a lane's stop to no closer than this past the last
/// published entry, which the walker cannot have passed without looking.
const PUBLISH_BYTES: usize = 4 << 10;

/// The fewest bytes a lane must have left to be split: some tens of
/// microseconds of checking, against reading the size prefixes to its
/// middle (a few entries).
const MIN_STEAL_BYTES: usize = 16 << 10;

/// The entries of a code section to walk and the bodies to check.
pub(crate) struct CodeWalk<'a> {
    /// What each body is checked under (its `entries` are not used).
    pub bodies: Bodies<'a>,
    /// The absolute offset of the first entry.
    pub first: usize,
    /// The number of entries.
    pub count: u32,
    /// The largest body size allowed.
    pub body_size_limit: u32,
}

/// How a walk on one thread ended.
#[derive(Debug)]
pub(crate) enum Walked {
    /// Every body checked, the entries filling the section exactly.
    Done(BodySummary),
    /// The first body that failed, in order (the bodies before it check).
    Failed(LoadError),
    /// The entry `index` does not read (its size, or its body past the
    /// section or over the size limit), or, at `count`, the section has
    /// bytes after the last entry: the bodies before it check, to `total`.
    Unread { index: usize, total: BodySummary },
}

/// A run of entries one thread walks: the next entry to check (as
/// published: the walker may be up to [`PUBLISH_BYTES`] further), the
/// entry it stops at, and whether its walker has started (until then,
/// another thread may take all of it).
#[derive(Clone, Copy, Debug, Default)]
struct Lane {
    index: u32,
    pos: usize,
    stop_index: u32,
    stop_pos: usize,
    started: bool,
}

/// What the threads of a walk share.
struct Shared {
    /// One lane per thread.
    lanes: Vec<Mutex<Lane>>,
    /// Set when anything failed or did not read: the walk's result is
    /// then dropped and the bodies checked again on one thread.
    failed: AtomicBool,
    /// The tails of split bodies, for any thread to check.
    tails: Mutex<Vec<(u32, BodySplit)>>,
    /// How many tails wait in `tails`.
    pending_tails: AtomicUsize,
    /// How many lanes are being walked or wait for their walker: while
    /// any is, a tail may come.
    walking: AtomicUsize,
    /// How many helpers have started and not yet handed over their part.
    helpers_busy: AtomicUsize,
    /// The parts the helpers handed over.
    done: Mutex<Vec<Part>>,
}

/// A helper thread's hold on [`Shared::helpers_busy`]: handed back when
/// the helper is done, or fails the walk if it panicked.
struct Busy<'a>(&'a Shared);

impl Busy<'_> {
    fn new(shared: &Shared) -> Busy<'_> {
        shared.helpers_busy.fetch_add(1, Ordering::SeqCst);
        Busy(shared)
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.failed.store(true, Ordering::SeqCst);
        }
        self.0.helpers_busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What one thread of a walk did.
#[derive(Default)]
struct Part {
    /// Every entry it walked, lane after lane.
    entries: Vec<u32>,
    /// Where each lane it walked starts: its first entry's index, and the
    /// position of that entry in `entries`.
    segments: Vec<(u32, usize)>,
    /// The bodies it checked whole.
    total: BodySummary,
    /// The split bodies whose heads it checked.
    heads: Vec<(u32, BodySplit, Option<SplitHead>)>,
    /// The tails it checked.
    tails: Vec<(u32, Option<SplitTail>)>,
}

/// Adds `summary` to `total`.
fn add_to(total: &mut BodySummary, summary: BodySummary) {
    total.locals += summary.locals;
    total.instructions += summary.instructions;
}

impl CodeWalk<'_> {
    /// The end of the entry at `pos` (its size prefix and its body), if its
    /// size reads, is within the limit, and the body ends in the section.
    #[inline(always)]
    fn entry_end(&self, pos: usize) -> Option<usize> {
        let code = self.bodies.bytes.get(..self.bodies.section_end)?;
        let mut at = pos;
        let size = read_u32_short(code, &mut at).ok()?;
        if size > self.body_size_limit {
            return None;
        }
        at.checked_add(size as usize)
            .filter(|&end| end <= code.len())
    }

    /// Walks every entry in order on this thread, pushing each one's
    /// offset to `entries` and checking its body.
    pub fn serial(&self, entries: &mut Vec<u32>) -> Walked {
        let mut total = BodySummary::default();
        let mut pos = self.first;
        for index in 0..self.count as usize {
            let Some(end) = self.entry_end(pos) else {
                return Walked::Unread { index, total };
            };
            entries.push(pos as u32);
            match self.bodies.check_entry(index, pos) {
                Ok(summary) => add_to(&mut total, summary),
                Err(e) => return Walked::Failed(e),
            }
            pos = end;
        }
        if pos != self.bodies.section_end {
            return Walked::Unread {
                index: self.count as usize,
                total,
            };
        }
        Walked::Done(total)
    }

    /// Walks every entry on `threads` threads (the calling one included):
    /// the totals and every entry's offset in order, or `None` if any
    /// entry or body failed, any limit was hit, or the entries do not fill
    /// the section (checking on one thread then tells what is wrong).
    ///
    /// The helpers own what they read (`buffer`, the module's bytes, and
    /// this walk's rules; there are no types, `function_types` is empty):
    /// they run on threads kept from one load to the next ([`helpers`]),
    /// and the calling thread returns once every entry is walked, without
    /// waiting for a helper that has not started by then (all kept
    /// threads busy with other loads, or a slow wake-up).
    ///
    /// [`helpers`]: crate::helpers
    /// `meanwhile` runs on the calling thread while the others start
    /// walking; its result is returned beside theirs.
    pub fn parallel<R>(
        &self,
        buffer: &Buffer,
        threads: usize,
        meanwhile: impl FnOnce() -> R,
    ) -> (Option<(BodySummary, Vec<u32>)>, R) {
        let shared = Arc::new(self.shared(threads.max(2)));
        let b = &self.bodies;
        let (first, count, body_size_limit) = (self.first, self.count, self.body_size_limit);
        let (section_end, rules, max_locals) = (b.section_end, b.rules, b.max_locals);
        let owned = b.function_types.is_empty() && b.type_offsets.is_empty();
        for me in 1..shared.lanes.len() {
            let (ours, buffer) = (Arc::clone(&shared), buffer.clone());
            let helper = move || {
                let shared = &*ours;
                let busy = Busy::new(shared);
                let walk = CodeWalk {
                    bodies: Bodies {
                        bytes: &buffer,
                        entries: &[],
                        section_end,
                        rules,
                        function_types: &[],
                        type_offsets: &[],
                        max_params: 0,
                        max_locals,
                    },
                    first,
                    count,
                    body_size_limit,
                };
                let part = walk.work(shared, me);
                if let Ok(mut done) = shared.done.lock() {
                    done.push(part);
                }
                drop(busy);
            };
            // Without a helper, the walk is dropped (and done again on
            // one thread).
            if !owned || crate::helpers::run(Box::new(helper)).is_err() {
                shared.failed.store(true, Ordering::SeqCst);
            }
        }
        let during = meanwhile();
        let mut parts = vec![self.work(&shared, 0)];
        // Every lane is walked: wait for the helpers that took part.
        while shared.helpers_busy.load(Ordering::SeqCst) > 0 {
            std::thread::yield_now();
        }
        if shared.failed.load(Ordering::SeqCst) {
            return (None, during);
        }
        match shared.done.lock() {
            Ok(mut done) => parts.append(&mut done),
            Err(_) => return (None, during),
        }
        (self.merge(parts), during)
    }

    /// What `threads` threads share at the start: the first helper's lane
    /// holds every entry, the others none (they steal).
    fn shared(&self, threads: usize) -> Shared {
        let mut lanes = vec![Lane::default(); threads];
        lanes[1] = Lane {
            index: 0,
            pos: self.first,
            stop_index: self.count,
            stop_pos: self.bodies.section_end,
            started: false,
        };
        // An empty lane is never walked (its entries, if the count says
        // there are any, are missing: the merge finds them so).
        let walking = usize::from(lanes[1].pos < lanes[1].stop_pos);
        Shared {
            lanes: lanes.into_iter().map(Mutex::new).collect(),
            failed: AtomicBool::new(false),
            tails: Mutex::new(Vec::new()),
            pending_tails: AtomicUsize::new(0),
            walking: AtomicUsize::new(walking),
            helpers_busy: AtomicUsize::new(0),
            done: Mutex::new(Vec::new()),
        }
    }

    /// One thread's share: its lane, tails of split bodies, and lanes
    /// stolen from the others, until none is left worth splitting and no
    /// lane is walked (whose walker may yet leave a tail).
    fn work(&self, shared: &Shared, me: usize) -> Part {
        let mut part = Part::default();
        while !shared.failed.load(Ordering::Relaxed) {
            if shared.pending_tails.load(Ordering::Acquire) > 0 {
                let tail = shared.tails.lock().ok().and_then(|mut tails| tails.pop());
                if let Some((index, split)) = tail {
                    shared.pending_tails.fetch_sub(1, Ordering::Release);
                    part.tails
                        .push((index, split.check_tail(self.bodies.bytes)));
                }
                continue;
            }
            let own = shared.lanes[me].lock().map(|lane| *lane);
            match own {
                Ok(lane) if lane.pos < lane.stop_pos => {
                    if self.walk_lane(shared, me, &mut part) {
                        shared.walking.fetch_sub(1, Ordering::SeqCst);
                    }
                    continue;
                }
                Ok(_) if self.steal(shared, me) => continue,
                Ok(_) => {}
                Err(_) => break,
            }
            // Nothing to take but what a walker may leave: a lane too
            // small to split only shrinks. Waits on the counts alone, not
            // on the walkers' locks, and yields: the walker waited for may
            // be on this core (a helper not yet started).
            while shared.pending_tails.load(Ordering::Acquire) == 0
                && shared.walking.load(Ordering::Acquire) > 0
                && !shared.failed.load(Ordering::Relaxed)
            {
                std::thread::yield_now();
            }
            if shared.pending_tails.load(Ordering::Acquire) == 0 {
                break;
            }
        }
        part
    }

    /// Walks lane `me` to its stop, which other threads may move closer.
    /// `false` if it was empty when its walk started (another thread took
    /// all of it, and counted it as walked).
    fn walk_lane(&self, shared: &Shared, me: usize, part: &mut Part) -> bool {
        // Fails the walk; the lane counts as walked.
        let fail = || {
            shared.failed.store(true, Ordering::Relaxed);
            true
        };
        let lane = match shared.lanes[me].lock() {
            Ok(mut lane) if lane.pos < lane.stop_pos => {
                lane.started = true;
                *lane
            }
            Ok(_) => return false,
            Err(_) => return fail(),
        };
        let (mut index, mut pos) = (lane.index, lane.pos);
        let (mut stop_index, mut stop_pos) = (lane.stop_index, lane.stop_pos);
        let mut publish_at = pos;
        part.segments.push((index, part.entries.len()));
        loop {
            if pos >= publish_at.min(stop_pos) || index >= stop_index {
                let Ok(mut lane) = shared.lanes[me].lock() else {
                    return fail();
                };
                (stop_index, stop_pos) = (lane.stop_index, lane.stop_pos);
                (lane.index, lane.pos) = (index, pos);
                if pos >= stop_pos || index >= stop_index {
                    if (pos, index) != (stop_pos, stop_index) {
                        return fail();
                    }
                    return true;
                }
                if shared.failed.load(Ordering::Relaxed) {
                    return true;
                }
                publish_at = pos + PUBLISH_BYTES;
            }
            let Some(end) = self.entry_end(pos) else {
                return fail();
            };
            part.entries.push(pos as u32);
            if end - pos >= SPLIT_MIN_BYTES
                && let Some(split) = BodySplit::new(
                    self.bodies.bytes,
                    pos,
                    self.bodies.section_end,
                    self.bodies.rules,
                )
            {
                // The tail for another thread; the head here.
                if let Ok(mut tails) = shared.tails.lock() {
                    tails.push((index, split.clone()));
                    shared.pending_tails.fetch_add(1, Ordering::Release);
                }
                let head = split.check_head(self.bodies.bytes);
                part.heads.push((index, split, head));
            } else {
                match self.bodies.check_entry(index as usize, pos) {
                    Ok(summary) => add_to(&mut part.total, summary),
                    Err(_) => return fail(),
                }
            }
            (index, pos) = (index + 1, end);
        }
    }

    /// Moves the stop of the lane with the most bytes left to its middle
    /// and makes the rest lane `me`. `false` when no lane is worth it.
    fn steal(&self, shared: &Shared, me: usize) -> bool {
        loop {
            if shared.failed.load(Ordering::Relaxed) {
                return false;
            }
            let Some((victim, seen)) = shared
                .lanes
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != me)
                .filter_map(|(i, lane)| lane.lock().ok().map(|lane| (i, *lane)))
                .max_by_key(|(_, lane)| lane.stop_pos.saturating_sub(lane.pos))
            else {
                return false;
            };
            let left = seen.stop_pos.saturating_sub(seen.pos);
            if !seen.started && left > 0 {
                // Its walker has not started (a helper thread not yet
                // running): all of it, and its count as walked with it.
                let Ok(mut lane) = shared.lanes[victim].lock() else {
                    return false;
                };
                if lane.started || lane.pos != seen.pos || lane.stop_pos != seen.stop_pos {
                    continue;
                }
                let all = Lane {
                    started: false,
                    ..*lane
                };
                (lane.stop_index, lane.stop_pos) = (lane.index, lane.pos);
                drop(lane);
                return self.take(shared, me, all);
            }
            if left < MIN_STEAL_BYTES {
                return false;
            }
            // The first entry at or past the middle: read from the last
            // published one, without checking bodies.
            let middle = seen.pos + left / 2;
            let (mut index, mut pos) = (seen.index, seen.pos);
            while pos < middle && index < seen.stop_index {
                match self.entry_end(pos) {
                    Some(end) => (index, pos) = (index + 1, end),
                    // The lane's walker meets it, and fails.
                    None => return false,
                }
            }
            if pos >= seen.stop_pos || index >= seen.stop_index {
                // One body to the stop: nothing to split.
                return false;
            }
            let Ok(mut lane) = shared.lanes[victim].lock() else {
                return false;
            };
            if lane.stop_pos != seen.stop_pos || pos < lane.pos + PUBLISH_BYTES {
                // Split by another thread, or its walker too close by now.
                continue;
            }
            let stolen = Lane {
                index,
                pos,
                stop_index: lane.stop_index,
                stop_pos: lane.stop_pos,
                started: false,
            };
            (lane.stop_index, lane.stop_pos) = (index, pos);
            // Counted before the victim's walker can finish.
            shared.walking.fetch_add(1, Ordering::SeqCst);
            drop(lane);
            return self.take(shared, me, stolen);
        }
    }

    /// Makes `lane` lane `me`.
    fn take(&self, shared: &Shared, me: usize, lane: Lane) -> bool {
        match shared.lanes[me].lock() {
            Ok(mut own) => {
                *own = lane;
                true
            }
            Err(_) => {
                shared.failed.store(true, Ordering::Relaxed);
                false
            }
        }
    }

    /// The totals and the entries in order from what the threads did, if
    /// their lanes cover every entry once and every split body joins.
    fn merge(&self, parts: Vec<Part>) -> Option<(BodySummary, Vec<u32>)> {
        let mut total = BodySummary::default();
        let mut segments = Vec::new();
        for (k, part) in parts.iter().enumerate() {
            add_to(&mut total, part.total);
            for (s, &(first, start)) in part.segments.iter().enumerate() {
                let end = part
                    .segments
                    .get(s + 1)
                    .map_or(part.entries.len(), |&(_, e)| e);
                segments.push((first, k, start..end));
            }
        }
        segments.sort_unstable_by_key(|&(first, _, _)| first);
        // The entries walked, not the count the section claims.
        let mut entries = Vec::with_capacity(parts.iter().map(|p| p.entries.len()).sum());
        for (first, k, range) in segments {
            if first as usize != entries.len() {
                return None;
            }
            entries.extend_from_slice(parts[k].entries.get(range)?);
        }
        if entries.len() != self.count as usize {
            return None;
        }
        let tails: Vec<_> = parts.iter().flat_map(|p| &p.tails).collect();
        for (index, split, head) in parts.iter().flat_map(|p| &p.heads) {
            let (_, tail) = tails.iter().find(|(i, _)| i == index)?;
            let summary = split.join(head.as_ref()?, tail.as_ref()?)?;
            let entry = *entries.get(*index as usize)? as usize;
            add_to(
                &mut total,
                self.bodies.admit(*index as usize, entry, summary).ok()?,
            );
        }
        Some((total, entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lading_parser::{BodyRules, Features, check_code_entry};

    /// A code section's contents after its count: `n` entries, body `i`
    /// holding `i % 50 + 1` blocks of `block; i32.const 42; drop; end`
    /// (so bodies differ in size), plus `extra` bytes. Returns the bytes
    /// and each entry's offset.
    fn section(n: usize, extra: &[u8]) -> (Vec<u8>, Vec<u32>) {
        let (mut bytes, mut entries) = (Vec::new(), Vec::new());
        for i in 0..n {
            let mut body = vec![0x00];
            for _ in 0..i % 50 + 1 {
                body.extend([0x02, 0x40, 0x41, 0x2a, 0x1a, 0x0b]);
            }
            body.push(0x0b);
            entries.push(bytes.len() as u32);
            let mut size = body.len();
            while size >= 0x80 {
                bytes.push(size as u8 | 0x80);
                size >>= 7;
            }
            bytes.push(size as u8);
            bytes.extend(body);
        }
        bytes.extend(extra);
        (bytes, entries)
    }

    fn walk(bytes: &[u8], count: u32) -> CodeWalk<'_> {
        CodeWalk {
            bodies: Bodies {
                bytes,
                entries: &[],
                section_end: bytes.len(),
                rules: BodyRules::new(Features::default()),
                function_types: &[],
                type_offsets: &[],
                max_params: 0,
                max_locals: u64::MAX,
            },
            first: 0,
            count,
            body_size_limit: u32::MAX,
        }
    }

    /// [`CodeWalk::parallel`] over a buffer of `bytes`.
    fn parallel(bytes: &[u8], count: u32, threads: usize) -> Option<(BodySummary, Vec<u32>)> {
        let buffer = Buffer::from(bytes.to_vec());
        walk(&buffer, count).parallel(&buffer, threads, || ()).0
    }

    /// The totals of checking each body on its own.
    fn totals(bytes: &[u8], entries: &[u32]) -> BodySummary {
        let mut total = BodySummary::default();
        for &entry in entries {
            let rules = BodyRules::new(Features::default());
            let summary = check_code_entry(bytes, entry as usize, bytes.len(), rules).unwrap();
            add_to(&mut total, summary);
        }
        total
    }

    #[test]
    fn one_thread_walks_every_entry() {
        let (bytes, expected) = section(3000, &[]);
        let mut entries = Vec::new();
        let Walked::Done(total) = walk(&bytes, 3000).serial(&mut entries) else {
            panic!("walks");
        };
        assert_eq!(entries, expected);
        assert_eq!(total, totals(&bytes, &expected));
        assert_eq!(
            total.instructions,
            (0..3000).map(|i| 4 * (i % 50 + 1) + 1).sum()
        );
    }

    /// An entry that does not read stops the walk there; so do bytes
    /// after the last entry, and a body over the size limit.
    #[test]
    fn one_thread_stops_at_an_entry_that_does_not_read() {
        let (bytes, expected) = section(100, &[0x00]);
        let unread = |walked| match walked {
            Walked::Unread { index, total } => (index, total),
            other => panic!("{other:?}"),
        };
        let (index, total) = unread(walk(&bytes, 100).serial(&mut Vec::new()));
        assert_eq!((index, total), (100, totals(&bytes, &expected)));
        // One entry more than there are.
        let exact = &bytes[..bytes.len() - 1];
        let (index, total) = unread(walk(exact, 101).serial(&mut Vec::new()));
        assert_eq!((index, total), (100, totals(&bytes, &expected)));
        // Entry 60 cut short by the section's end.
        let cut = &bytes[..expected[60] as usize + 5];
        let mut entries = Vec::new();
        let (index, total) = unread(walk(cut, 100).serial(&mut entries));
        assert_eq!((index, total), (60, totals(&bytes, &expected[..60])));
        assert_eq!(entries, expected[..60]);
        let small = CodeWalk {
            body_size_limit: 100,
            ..walk(&bytes, 100)
        };
        let over = expected.windows(2).position(|w| w[1] - w[0] > 102).unwrap();
        assert_eq!(unread(small.serial(&mut Vec::new())).0, over);
    }

    /// A thread that steals half of another's lane leaves it an entry
    /// near its middle as its stop: both lanes walked, the entries and
    /// totals are the serial walk's.
    #[test]
    fn a_stolen_half_is_walked_to_the_same_result() {
        let (bytes, expected) = section(20_000, &[]);
        let walk = walk(&bytes, 20_000);
        // A lane whose walker has not started: all of it.
        let shared = walk.shared(2);
        assert!(walk.steal(&shared, 0));
        let (all, left) = (
            *shared.lanes[0].lock().unwrap(),
            *shared.lanes[1].lock().unwrap(),
        );
        assert_eq!((all.index, all.pos), (0, 0));
        assert_eq!((all.stop_index, all.stop_pos), (20_000, bytes.len()));
        assert_eq!((left.pos, left.stop_pos), (0, 0));
        // A started one: its second half.
        let shared = walk.shared(2);
        shared.lanes[1].lock().unwrap().started = true;
        assert!(walk.steal(&shared, 0));
        let (first, second) = (
            *shared.lanes[1].lock().unwrap(),
            *shared.lanes[0].lock().unwrap(),
        );
        assert_eq!(
            (first.stop_index, first.stop_pos),
            (second.index, second.pos)
        );
        assert_eq!(expected[second.index as usize] as usize, second.pos);
        assert!(second.pos.abs_diff(bytes.len() / 2) < 1000, "{second:?}");
        // Each lane walked by its thread (which may steal from the other).
        let parts = std::thread::scope(|scope| {
            let other = scope.spawn(|| walk.work(&shared, 1));
            vec![walk.work(&shared, 0), other.join().unwrap()]
        });
        assert!(!shared.failed.load(Ordering::Relaxed));
        let (total, entries) = walk.merge(parts).unwrap();
        assert_eq!(entries, expected);
        assert_eq!(total, totals(&bytes, &expected));
        for threads in 2..5 {
            assert_eq!(
                parallel(&bytes, 20_000, threads),
                Some((total, expected.clone()))
            );
        }
    }

    /// On several threads, anything that does not read or check fails the
    /// walk as a whole.
    #[test]
    fn several_threads_fail_on_anything_odd() {
        let (bytes, expected) = section(20_000, &[]);
        assert!(parallel(&bytes, 20_000, 2).is_some());
        // An empty section, with a count of none and of one.
        assert_eq!(parallel(&[], 0, 2), Some(Default::default()));
        assert!(parallel(&[], 1, 3).is_none());
        assert!(parallel(&bytes, 19_999, 2).is_none());
        assert!(parallel(&bytes, 20_001, 2).is_none());
        let mut broken = bytes.clone();
        // An `end` for a `drop` in body 15,000: the function ends early.
        let at = expected[15_000] as usize + 6;
        assert_eq!(broken[at], 0x1a);
        broken[at] = 0x0b;
        assert!(parallel(&broken, 20_000, 2).is_none());
    }

    /// A large body is checked in two halves, head and tail, which join to
    /// what checking it in one piece gives.
    #[test]
    fn a_large_body_is_checked_in_two_joined_halves() {
        let (mut bytes, mut body, mut blocks) = (Vec::new(), vec![0x00], 0);
        while body.len() < SPLIT_MIN_BYTES {
            body.extend([0x02, 0x40, 0x41, 0x2a, 0x1a, 0x0b]);
            blocks += 1;
        }
        body.push(0x0b);
        let n = body.len();
        bytes.extend([
            (n & 0x7f) as u8 | 0x80,
            (n >> 7 & 0x7f) as u8 | 0x80,
            (n >> 14) as u8,
        ]);
        bytes.extend(body);
        let walk = walk(&bytes, 1);
        let split = BodySplit::new(&bytes, 0, bytes.len(), walk.bodies.rules).unwrap();
        let head = split.check_head(&bytes).unwrap();
        let tail = split.check_tail(&bytes).unwrap();
        let whole = totals(&bytes, &[0]);
        assert_eq!(split.join(&head, &tail), Some(whole));
        assert_eq!(whole.instructions, 4 * blocks + 1);
        let shared = walk.shared(2);
        // The walker checks the head and leaves the tail, which the other
        // thread takes.
        let walker = walk.work(&shared, 1);
        assert_eq!(walker.heads.len(), 1);
        assert!(walker.tails.is_empty() || shared.tails.lock().unwrap().is_empty());
        let parts = vec![walker, walk.work(&shared, 0)];
        assert_eq!(walk.merge(parts), Some((whole, vec![0])));
        assert_eq!(parallel(&bytes, 1, 2), Some((whole, vec![0])));
    }
}
