//! A `Module` is `Send + Sync`, and loading the same file from 8 threads at
//! once gives identical modules.

#[path = "../../lading-parser/tests/common/mod.rs"]
mod common;

use lading::Module;

const _: () = {
    const fn send_sync<T: Send + Sync + Clone>() {}
    send_sync::<Module>();
};

/// Everything observable about a module, borrowed views compared by value.
fn fingerprint(m: &Module) -> String {
    let exports: Vec<_> = m.exports().map(|e| (e.name, e.index)).collect();
    let imports: Vec<_> = m.imports().map(|i| (i.module, i.name)).collect();
    let bodies: Vec<_> = m
        .functions()
        .map(|f| (f.type_index, f.body.range()))
        .collect();
    format!(
        "{:?} {:?} {} {} {} {exports:?} {imports:?} {bodies:?}",
        m.sections(),
        m.imported_counts(),
        m.type_count(),
        m.instruction_count(),
        m.local_count()
    )
}

#[test]
fn eight_threads_load_identical_modules() {
    let files = match common::corpus() {
        Some(files) => files,
        None => {
            vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello.wasm")]
        }
    };
    // The largest modules, where parallel body checking kicks in too.
    let mut files: Vec<_> = files
        .into_iter()
        .map(|p| (std::fs::metadata(&p).unwrap().len(), p))
        .collect();
    files.sort();
    for (_, path) in files.iter().rev().take(3) {
        let expected = fingerprint(&lading::load_file(path).unwrap());
        let loaded: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| fingerprint(&lading::load_file(path).unwrap())))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for f in loaded {
            assert!(
                f == expected,
                "{}: a thread loaded a different module",
                path.display()
            );
        }
        // A loaded module moves to and is shared by other threads.
        let module = lading::load_file(path).unwrap();
        let shared: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| fingerprint(&module.clone())))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(shared.iter().all(|f| *f == expected));
    }
}
