//! lading against wasmparser, side by side in one criterion run, throughput
//! in bytes of module.
//!
//! For each input (every corpus module, `LADING_CORPUS`, plus synthetic
//! modules built at start), one after the other so that the benchmarks of
//! one input run close together in time:
//!
//! - `lading/check-serial`: `Loader` with `threads(0)`, from bytes already in
//!   memory (every body checked, one thread);
//! - `lading/check-parallel`: the same with the default thread count;
//! - `lading/load_file`, `lading/map_file`: from the page-cached file;
//! - `wasmparser/decode`: every section item read and every operator of every
//!   body pulled from `OperatorsReader`;
//! - `wasmparser/validate`: wasmparser's validator, for reference;
//! - `lading/operators`, `wasmparser/operators`: every `Operator` of every
//!   body of an already loaded module.
//!
//! Benchmark ids are `<group>/<input>`, so `cargo bench -p lading-benches --
//! biome` runs one input and `-- check-serial` one benchmark. Setting
//! `LADING_BENCH_INFO=FILE` writes, per input, its size, instruction count
//! and index heap bytes as tab-separated lines (`benches/report` uses it).

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lading::{Config, Loader};
use lading_benches::{
    Input, corpus, lading_operators, synthetic, wasmparser_bodies, wasmparser_decode,
    wasmparser_operators, wasmparser_validate,
};

/// Corpus modules smaller than this measure overhead, not throughput.
const MIN_CORPUS_SIZE: usize = 64 * 1024;

fn bench(c: &mut Criterion) {
    let serial = Loader::new(Config::default().threads(0));
    let parallel = Loader::new(Config::default());
    let mut info = std::env::var_os("LADING_BENCH_INFO")
        .map(|path| std::fs::File::create(path).expect("writable LADING_BENCH_INFO file"));
    let mut inputs = synthetic();
    inputs.extend(corpus(MIN_CORPUS_SIZE));
    for Input { name, bytes, path } in inputs {
        let size = bytes.len() as u64;
        // Cloning an `Arc` is free: each iteration loads the same bytes.
        let shared: Arc<[u8]> = bytes.into();
        let module = serial
            .load(Arc::clone(&shared))
            .expect("lading loads the bench input");
        if let Some(file) = info.as_mut() {
            // The threads `lading/check-parallel` checks the bodies with.
            let code_bytes = module
                .sections()
                .iter()
                .find(|s| s.id == 10)
                .map_or(0, |s| s.range().len());
            writeln!(
                file,
                "{name}\t{size}\t{}\t{}\t{}\t{}",
                module.instruction_count(),
                module.index_heap_bytes(),
                module.function_count(),
                Config::default().module.thread_count(code_bytes),
            )
            .expect("writable LADING_BENCH_INFO file");
        }
        let bodies = wasmparser_bodies(&shared);
        let mut run = |group: &str, f: &mut dyn FnMut()| {
            let mut g = c.benchmark_group(group);
            g.throughput(Throughput::Bytes(size));
            g.sample_size(10);
            g.warm_up_time(Duration::from_millis(500));
            g.measurement_time(Duration::from_secs(2));
            g.bench_function(BenchmarkId::from_parameter(&name), |b| b.iter(&mut *f));
            g.finish();
        };
        run("lading/check-serial", &mut || {
            serial.load(Arc::clone(&shared)).expect("loads");
        });
        run("lading/check-parallel", &mut || {
            parallel.load(Arc::clone(&shared)).expect("loads");
        });
        run("lading/load_file", &mut || {
            serial.load_file(&path).expect("loads");
        });
        run("lading/map_file", &mut || {
            // SAFETY: the bench's files are not modified while it runs.
            #[allow(unsafe_code)]
            let module = unsafe { serial.map_file(&path) };
            module.expect("loads");
        });
        run("wasmparser/decode", &mut || {
            wasmparser_decode(&shared);
        });
        run("wasmparser/validate", &mut || wasmparser_validate(&shared));
        run("lading/operators", &mut || {
            lading_operators(&module);
        });
        run("wasmparser/operators", &mut || {
            wasmparser_operators(&bodies);
        });
        if name.starts_with("synthetic-") {
            // A temporary file written by `synthetic()`, and its directory
            // once empty.
            let _ = std::fs::remove_file(&path);
            if let Some(dir) = path.parent() {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
