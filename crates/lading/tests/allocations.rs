//! Allocation accounting with a counting global allocator: loading does not
//! copy the module, allocates little besides the index, and frees
//! everything on error.
//!
//! All measurements run in one test function, one after the other, so no
//! other test's allocations are counted. Totals count every thread (body
//! checks may run on several); what is left allocated is counted on the
//! measuring thread alone, so that the test harness's own allocations on
//! its main thread (e.g. a "running for over 60 seconds" notice on a busy
//! machine) cannot show up as a leak.

#![allow(unsafe_code)]

#[path = "../../lading-parser/tests/common/mod.rs"]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static TOTAL: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);
static BLOCKS_OF: AtomicUsize = AtomicUsize::new(usize::MAX);
static BLOCKS_OF_COUNT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Bytes allocated minus bytes freed by this thread.
    static THREAD_LIVE: Cell<isize> = const { Cell::new(0) };
}

fn thread_live(delta: isize) {
    // A const-initialized cell without destructor: no allocation, and
    // usable until the thread's very end (`try_with` covers teardown).
    let _ = THREAD_LIVE.try_with(|live| live.set(live.get() + delta));
}

fn record(size: usize) {
    thread_live(size as isize);
    TOTAL.fetch_add(size, Relaxed);
    LIVE.fetch_add(size, Relaxed);
    LARGEST.fetch_max(size, Relaxed);
    if size == BLOCKS_OF.load(Relaxed) {
        BLOCKS_OF_COUNT.fetch_add(1, Relaxed);
    }
}

// SAFETY: every method forwards to the system allocator with the same
// arguments; the counters are plain atomics and allocate nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        thread_live(-(layout.size() as isize));
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Relaxed);
        thread_live(-(layout.size() as isize));
        record(new_size);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What one measured closure allocated: total bytes and largest block (all
/// threads), and the bytes the measuring thread left allocated after it
/// (and everything it returned) was dropped.
struct Measured {
    total: usize,
    largest: usize,
    net: isize,
    blocks_of_watched: usize,
}

fn here() -> isize {
    THREAD_LIVE.with(|live| live.get())
}

fn measure(watch_size: usize, f: impl FnOnce()) -> Measured {
    BLOCKS_OF.store(watch_size, Relaxed);
    BLOCKS_OF_COUNT.store(0, Relaxed);
    let (total, live) = (TOTAL.load(Relaxed), here());
    LARGEST.store(0, Relaxed);
    f();
    BLOCKS_OF.store(usize::MAX, Relaxed);
    Measured {
        total: TOTAL.load(Relaxed) - total,
        largest: LARGEST.load(Relaxed),
        net: here() - live,
        blocks_of_watched: BLOCKS_OF_COUNT.load(Relaxed),
    }
}

fn corpus_loads() {
    let Some(files) = common::corpus() else {
        return;
    };
    println!(
        "{:<48} {:>10} {:>8} {:>17} {:>17} {:>17}",
        "module", "bytes", "index", "vec: alloc (%)", "mmap: alloc (%)", "read_file: + (%)"
    );
    for path in &files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(path).unwrap();
        let size = bytes.len();
        let budget = size / 4 + 64 * 1024;
        let mut index = 0;
        assert_eq!(bytes.capacity(), size);
        let from_vec = measure(usize::MAX, || {
            let module = lading::load(bytes).expect("corpus modules load");
            index = module.index_heap_bytes();
            drop(module);
        });
        // SAFETY: the corpus files are not modified while the test runs.
        let mapped = measure(usize::MAX, || {
            drop(unsafe { lading::Loader::default().map_file(path) }.unwrap())
        });
        let mut kind = "";
        let read = measure(size, || {
            let module = lading::load_file(path).unwrap();
            kind = module.buffer().kind();
        });
        // Large files are read into pages of their own, not the heap.
        let heap_read = if kind == "pages" { 0 } else { size };
        let pct = |n: usize| format!("{n} ({:.1}%)", 100.0 * n as f64 / size as f64);
        println!(
            "{name:<48} {size:>10} {index:>8} {:>17} {:>17} {:>17}",
            pct(from_vec.total),
            pct(mapped.total),
            pct(read.total - heap_read),
        );
        for (how, m) in [("vec", &from_vec), ("mmap", &mapped)] {
            assert!(
                m.largest < size.max(1),
                "{name} from {how}: a block of {} bytes (module {size})",
                m.largest
            );
            assert!(
                m.total < budget,
                "{name} from {how}: {} bytes allocated (module {size})",
                m.total
            );
        }
        match kind {
            "vec" => assert_eq!(
                read.blocks_of_watched, 1,
                "{name}: read_file must allocate one block of the file's size"
            ),
            "pages" => assert_eq!(
                (read.blocks_of_watched, read.largest < size),
                (0, true),
                "{name}: read into pages, the heap holds no copy"
            ),
            _ => panic!("{name}: read_file gave a buffer of kind {kind}"),
        }
        assert!(
            read.total - heap_read < budget,
            "{name}: read_file allocated {} bytes",
            read.total
        );
        // On one thread, dropping the module frees everything it held, the
        // moved-in vector too (with several threads, a thread's handle is
        // allocated here and freed there, which this per-thread count
        // cannot follow).
        let serial = lading::Loader::new(lading::Config::default().threads(0));
        let bytes = std::fs::read(path).unwrap();
        let moved_in = bytes.capacity() as isize;
        let m = measure(usize::MAX, || drop(serial.load(bytes).unwrap()));
        assert_eq!(m.net + moved_in, 0, "{name}: bytes left allocated");
    }
}

/// Every proper prefix of `module`, and mutations of every byte past the
/// header to 0xff, 0x80 and 0x00 (every `step`th byte).
fn broken_versions(module: &[u8], step: usize) -> Vec<Vec<u8>> {
    let mut inputs: Vec<Vec<u8>> = (0..module.len()).map(|n| module[..n].to_vec()).collect();
    for i in (8..module.len()).step_by(step) {
        for byte in [0xff, 0x80, 0x00] {
            let mut m = module.to_vec();
            m[i] = byte;
            inputs.push(m);
        }
    }
    inputs
}

fn malformed_loads_free_everything() {
    let hello = include_bytes!("../../../examples/hello.wasm");
    let mut inputs = broken_versions(hello, 1);
    // The smallest real-world module of at least 4 KiB, if the corpus is here.
    let smallest = common::corpus()
        .into_iter()
        .flatten()
        .filter_map(|p| std::fs::read(p).ok())
        .filter(|b| b.len() >= 4096)
        .min_by_key(|b| b.len());
    if let Some(real) = &smallest {
        inputs.extend(broken_versions(real, 7));
    }
    let (mut failures, total) = (0, inputs.len());
    for input in inputs {
        // The input is moved into the loader and freed with its error.
        let moved_in = input.capacity() as isize;
        let m = measure(usize::MAX, || {
            if lading::load(input).is_err() {
                failures += 1;
            }
        });
        assert_eq!(
            m.net + moved_in,
            0,
            "a load left {} bytes allocated",
            m.net + moved_in
        );
    }
    println!("broken inputs: {total}, rejected: {failures}, nothing left allocated after any");
    assert!(failures >= hello.len() + smallest.map_or(0, |b| b.len()));
}

#[test]
fn allocation_accounting() {
    malformed_loads_free_everything();
    corpus_loads();
}
