//! Nothing is copied: every `&str`/`&[u8]` any accessor returns lies inside
//! the buffer the module was loaded from, for every source kind, over every
//! well-formed module of the spec test suite and every corpus module.

#![allow(unsafe_code)] // map_file is unsafe: the test owns the files it maps.

#[path = "../../lading-parser/tests/common/mod.rs"]
mod common;
mod views;

use std::sync::Arc;

use common::{Expect, corpus, read_script, testsuite, wast_files};
use lading::{Buffer, Module};
use views::assert_views_inside;

/// Loads `bytes` from every in-memory source kind and checks the views;
/// returns the number of views checked.
fn every_memory_kind(bytes: &[u8], what: &str) -> Option<usize> {
    let vec = bytes.to_vec();
    let at = vec.as_ptr();
    let module = lading::load(vec).ok()?;
    assert_eq!(
        module.bytes().as_ptr(),
        at,
        "{what}: the Vec was not moved in"
    );
    let mut n = assert_views_inside(&module, what);
    let sources: [(&str, Buffer); 3] = [
        ("box", Buffer::from(bytes.to_vec().into_boxed_slice())),
        ("arc", Buffer::from(Arc::<[u8]>::from(bytes))),
        (
            "static",
            Buffer::from_static(Box::leak(bytes.to_vec().into_boxed_slice())),
        ),
    ];
    for (kind, buffer) in sources {
        let at = buffer.as_ptr();
        let module = lading::load(buffer).expect("loads from every source");
        assert_eq!(
            module.bytes().as_ptr(),
            at,
            "{what}: the {kind} buffer was copied"
        );
        n += assert_views_inside(&module, &format!("{what} ({kind})"));
    }
    Some(n)
}

#[test]
fn test_suite_views_point_into_the_buffer() {
    let Some(dir) = testsuite() else { return };
    let (mut modules, mut views) = (0, 0);
    for file in wast_files(&dir) {
        for case in read_script(&file).cases {
            let (Expect::Decodes, Ok(bytes)) = (&case.expect, &case.bytes) else {
                continue;
            };
            if let Some(n) = every_memory_kind(bytes, &case.location) {
                modules += 1;
                views += n;
            }
        }
    }
    println!("test-suite modules: {modules}, views checked: {views}");
    assert!(modules > 1000);
}

#[test]
fn corpus_views_point_into_the_buffer() {
    let Some(files) = corpus() else { return };
    for path in &files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let module = lading::load_file(path).expect("corpus modules load");
        let mut n = assert_views_inside(&module, &name);
        // SAFETY: the corpus files are not modified while the test runs.
        let mapped: Module = unsafe { lading::Loader::default().map_file(path) }.expect("maps");
        assert_eq!(mapped.buffer().kind(), "mmap");
        n += assert_views_inside(&mapped, &name);
        let bytes = std::fs::read(path).unwrap();
        n += every_memory_kind(&bytes, &name).expect("corpus modules load");
        println!("{name}: {n} views inside the buffer");
    }
}
