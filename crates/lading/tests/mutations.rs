//! Every prefix of a few small corpus modules, and 10,000 seeded
//! single-byte mutations of each, load to `Ok` or `Err`: never a panic,
//! and never more live heap than `counting::FACTOR × input +
//! counting::CONSTANT`. A module that loads is then walked: every accessor,
//! every body's operators, the name section.

#[path = "../../lading-parser/tests/common/mod.rs"]
mod common;
mod counting;

use lading::{Buffer, Config, Loader, Module};

/// Modules of at most this size are mutated.
const MAX_MUTATED: u64 = 64 * 1024;
/// How many modules are mutated (the largest that fit).
const MODULES: usize = 4;
/// Modules of at most this size have every prefix loaded; larger ones
/// have prefixes at a stride giving about this many.
const ALL_PREFIXES: usize = 32 * 1024;
/// Mutations per module.
const MUTATIONS: usize = 10_000;

/// A deterministic pseudo-random generator (xorshift64*), so that every
/// run mutates the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Reads everything a loaded module offers; none of it may panic.
fn walk(module: &Module) -> usize {
    let mut seen = 0;
    seen += module.types().count() + module.imports().count() + module.exports().count();
    seen += module.tables().count() + module.memories().count() + module.globals().count();
    seen += module.tags().count() + module.elements().count() + module.data().count();
    seen += module.custom_sections().count() + module.sections().len();
    for function in module.functions() {
        if let Ok(ops) = function.operators() {
            seen += ops.take_while(Result::is_ok).count();
        }
        if let Ok(locals) = function.body.locals_reader() {
            seen += locals.take_while(Result::is_ok).count();
        }
    }
    if let Some(names) = module.name_section() {
        seen += names.take_while(Result::is_ok).count();
    }
    seen
}

/// Loads `bytes` (made before, moved in: loading copies nothing) and
/// checks the memory bound; returns whether it loaded.
fn load(loader: &Loader, bytes: Buffer, what: &dyn Fn() -> String) -> bool {
    let len = bytes.len();
    let (loaded, peak) = counting::peak(|| match loader.load(bytes) {
        Ok(module) => {
            walk(&module);
            true
        }
        Err(e) => {
            assert!(e.offset().is_none_or(|o| o <= len), "{}: {e}", what());
            false
        }
    });
    counting::assert_bounded(&what(), len, peak);
    loaded
}

/// The largest corpus modules of at most [`MAX_MUTATED`] bytes.
fn modules() -> Option<Vec<(String, &'static [u8])>> {
    let mut files: Vec<_> = common::corpus()?
        .into_iter()
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.len(), p)))
        .filter(|(len, _)| *len <= MAX_MUTATED)
        .collect();
    files.sort();
    let chosen = files.split_off(files.len().saturating_sub(MODULES));
    Some(
        chosen
            .into_iter()
            .map(|(_, path)| {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let bytes: &'static [u8] = Box::leak(std::fs::read(&path).unwrap().into());
                (name, bytes)
            })
            .collect(),
    )
}

#[test]
fn prefixes_and_mutations_never_panic_and_stay_bounded() {
    let _serial = counting::serial();
    let Some(modules) = modules() else { return };
    assert!(!modules.is_empty());
    let loader = Loader::new(Config::default().threads(0));
    for (name, bytes) in &modules {
        let start = std::time::Instant::now();
        assert!(
            load(&loader, Buffer::from(*bytes), &|| name.clone()),
            "{name} loads"
        );
        let stride = bytes.len().div_ceil(ALL_PREFIXES).max(1);
        let mut prefixes = 0;
        for len in (0..bytes.len()).step_by(stride) {
            let prefix = Buffer::from(&bytes[..len]);
            load(&loader, prefix, &|| format!("{name} cut at {len}"));
            prefixes += 1;
        }
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ bytes.len() as u64);
        let mut mutant = bytes.to_vec();
        let mut loaded = 0;
        for _ in 0..MUTATIONS {
            let r = rng.next();
            let at = (r >> 8) as usize % bytes.len();
            let mut byte = r as u8;
            if byte == bytes[at] {
                byte ^= 0x80;
            }
            mutant[at] = byte;
            // The copy is made before the measured load, which takes it.
            let copy = Buffer::from(mutant.clone());
            if load(&loader, copy, &|| {
                format!("{name} with {byte:#04x} at {at}")
            }) {
                loaded += 1;
            }
            mutant[at] = bytes[at];
        }
        println!(
            "{name}: {} bytes, {prefixes} prefixes, {MUTATIONS} mutants ({loaded} load), {:?}",
            bytes.len(),
            start.elapsed()
        );
    }
    println!(
        "worst peak heap / input over inputs of 4 KiB or more: {:.3}",
        counting::worst_ratio()
    );
}
