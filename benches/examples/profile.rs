//! One workload over one module, for profilers (`valgrind --tool=callgrind`)
//! where criterion's repetitions only add noise:
//!
//! ```text
//! cargo build --profile bench -p lading-benches --example profile
//! valgrind --tool=callgrind target/release/examples/profile check-module FILE
//! ```
//!
//! Workloads: `check-module` (`lading_parser::check_module`), `load`
//! (`Loader` with one thread), `load-parallel` (default threads),
//! `wasmparser-decode`, `wasmparser-operators`, `lading-operators` (the last
//! two after loading). FILE `synthetic-NAME` builds that synthetic module.
//! `profile write-synthetic DIR` writes every synthetic module to
//! `DIR/NAME.wasm`, so that a profile of one leaves out building it.
//! With `LADING_REPEAT=N` the workload runs N times and the median time goes
//! to stderr (for the operator workloads, the load included).

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(what), Some(file)) = (args.next(), args.next()) else {
        eprintln!("usage: profile WORKLOAD FILE");
        std::process::exit(2);
    };
    if what == "write-synthetic" {
        std::fs::create_dir_all(&file).expect("writable directory");
        for input in lading_benches::synthetic() {
            let to = std::path::Path::new(&file).join(format!("{}.wasm", input.name));
            std::fs::rename(&input.path, &to)
                .or_else(|_| std::fs::write(&to, &input.bytes))
                .expect("writable file");
            if let Some(dir) = input.path.parent() {
                let _ = std::fs::remove_dir(dir);
            }
            println!("{}", to.display());
        }
        return;
    }
    let bytes = match file.strip_prefix("synthetic-") {
        Some(_) => {
            let inputs = lading_benches::synthetic();
            for input in &inputs {
                // Files written by `synthetic()`, not needed here.
                let _ = std::fs::remove_file(&input.path);
                if let Some(dir) = input.path.parent() {
                    let _ = std::fs::remove_dir(dir);
                }
            }
            inputs
                .into_iter()
                .find(|i| i.name == file)
                .expect("a synthetic module of that name")
                .bytes
        }
        None => std::fs::read(&file).expect("readable module"),
    };
    // `LADING_REPEAT=N`: run the workload N times and print the median time
    // to stderr (a quick in-process timing; criterion is the real bench).
    let repeat: usize = std::env::var("LADING_REPEAT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let mut times = Vec::with_capacity(repeat);
    let mut count = 0;
    // Shared, as in the criterion bench: a load does not free the bytes.
    let shared: std::sync::Arc<[u8]> = bytes.into();
    for _ in 0..repeat {
        let start = std::time::Instant::now();
        count = run(&what, &shared);
        times.push(start.elapsed());
    }
    times.sort();
    if repeat > 1 {
        eprintln!("{what} median {:?}", times[repeat / 2]);
    }
    println!("{count}");
}

#[inline(never)]
fn run(what: &str, shared: &std::sync::Arc<[u8]>) -> u64 {
    let bytes = std::sync::Arc::clone(shared);
    let serial = lading::Loader::new(lading::Config::default().threads(0));
    match what {
        "check-module" => {
            lading_parser::check_module(&bytes, lading_parser::Features::default())
                .expect("checks")
                .instructions
        }
        "load" => serial.load(bytes).expect("loads").instruction_count(),
        "load-parallel" => lading::load(bytes).expect("loads").instruction_count(),
        "wasmparser-decode" => lading_benches::wasmparser_decode(&bytes),
        "wasmparser-operators" => {
            lading_benches::wasmparser_operators(&lading_benches::wasmparser_bodies(&bytes))
        }
        "lading-operators" => lading_benches::lading_operators(&serial.load(bytes).expect("loads")),
        _ => {
            eprintln!("unknown workload {what}");
            std::process::exit(2);
        }
    }
}
