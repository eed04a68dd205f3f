//! Allocation accounting with a counting global allocator: loading does not
//! copy the module, allocates little besides the index, and frees
//! everything on error.
//!
//! All measurements run in one test function, one after the other, so no
//! other test's allocations are counted.

#![allow(unsafe_code)]

#[path = "../../lading-parser/tests/common/mod.rs"]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static TOTAL: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);
static BLOCKS_OF: AtomicUsize = AtomicUsize::new(usize::MAX);
static BLOCKS_OF_COUNT: AtomicUsize = AtomicUsize::new(0);

fn record(size: usize) {
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
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Relaxed);
        record(new_size);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What one measured closure allocated: total bytes, largest block, and
/// live bytes left after it (and everything it returned) was dropped.
struct Measured {
    total: usize,
    largest: usize,
    net: isize,
    blocks_of_watched: usize,
}

fn measure(watch_size: usize, f: impl FnOnce()) -> Measured {
    BLOCKS_OF.store(watch_size, Relaxed);
    BLOCKS_OF_COUNT.store(0, Relaxed);
    let (total, live) = (TOTAL.load(Relaxed), LIVE.load(Relaxed));
    LARGEST.store(0, Relaxed);
    f();
    BLOCKS_OF.store(usize::MAX, Relaxed);
    Measured {
        total: TOTAL.load(Relaxed) - total,
        largest: LARGEST.load(Relaxed),
        net: LIVE.load(Relaxed) as isize - live as isize,
        blocks_of_watched: BLOCKS_OF_COUNT.load(Relaxed),
    }
}

fn corpus_loads() {
    let Some(files) = common::corpus() else {
        return;
    };
    println!(
        "{:<48} {:>10} {:>10} {:>9} {:>10} {:>9}",
        "module", "bytes", "index", "vec", "mmap", "read_file"
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
        let read = measure(size, || drop(lading::load_file(path).unwrap()));
        println!(
            "{name:<48} {size:>10} {index:>10} {:>8.1}% {:>9.1}% {:>8.1}%",
            100.0 * from_vec.total as f64 / size as f64,
            100.0 * mapped.total as f64 / size as f64,
            100.0 * (read.total - size) as f64 / size as f64,
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
        assert_eq!(
            read.blocks_of_watched, 1,
            "{name}: read_file must allocate one block of the file's size"
        );
        assert!(
            read.total - size < budget,
            "{name}: read_file allocated {} bytes",
            read.total
        );
        assert!(
            from_vec.net <= 0 && mapped.net <= 0 && read.net <= 0,
            "{name}: bytes left allocated"
        );
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
