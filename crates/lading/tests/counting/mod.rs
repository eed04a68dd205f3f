//! A counting global allocator for the tests that bound loading's memory:
//! the peak of live heap bytes while a closure runs.
//!
//! A test binary that includes this module installs the allocator. The
//! peak is global, so measured closures must not run concurrently: each
//! takes [`serial`] first.

#![allow(unsafe_code, dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Mutex, MutexGuard};

/// The memory bound loading keeps: peak live heap bytes while loading are
/// at most `FACTOR × input size + CONSTANT` (the input buffer itself,
/// allocated before, excluded). The README's Security section states it.
pub const FACTOR: usize = 16;
/// See [`FACTOR`].
pub const CONSTANT: usize = 64 * 1024;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(size: usize) {
    let live = LIVE.fetch_add(size, Relaxed) + size;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every method forwards to the system allocator with the same
// arguments; the counters are plain atomics and allocate nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grow(new_size);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        LIVE.fetch_sub(layout.size(), Relaxed);
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static SERIAL: Mutex<()> = Mutex::new(());

/// Holds off every other measuring test while the guard lives.
pub fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `f` and returns what it returned and the peak of heap bytes live
/// above what was live when it started.
pub fn peak<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let out = f();
    (out, PEAK.load(Relaxed).saturating_sub(base))
}

/// The largest `peak / input` seen, in thousandths, over inputs of at
/// least 4 KiB (below that the constant dominates).
static WORST_RATIO: AtomicUsize = AtomicUsize::new(0);

/// The largest `peak / input` ratio [`assert_bounded`] has seen for inputs
/// of at least 4 KiB.
pub fn worst_ratio() -> f64 {
    WORST_RATIO.load(Relaxed) as f64 / 1000.0
}

/// Asserts that `peak` bytes for an input of `input` bytes keep the bound.
pub fn assert_bounded(what: &str, input: usize, peak: usize) {
    if input >= 4096 {
        WORST_RATIO.fetch_max(peak * 1000 / input, Relaxed);
    }
    let bound = FACTOR * input + CONSTANT;
    assert!(
        peak <= bound,
        "{what}: peak {peak} bytes for {input} input bytes exceeds {FACTOR} × input + {CONSTANT}"
    );
}
