//! The `load` target: arbitrary bytes into `lading::Loader::load`; a module
//! that loads is walked through every accessor, every body's operators and
//! every custom-section decoder.

use lading::{Config, Limits, Loader, Module};

use crate::check_custom_sections;

/// Loads `data` with the default limits and without limits; neither may
/// panic, an error's offset lies within the data, and a loaded module is
/// walked completely.
pub fn check_load(data: &[u8]) {
    for limits in [Limits::default(), Limits::unlimited()] {
        let loader = Loader::new(Config::default().limits(limits).threads(0));
        match loader.load(data.to_vec()) {
            Ok(module) => walk(&module),
            Err(e) => {
                if let Some(offset) = e.offset() {
                    assert!(offset <= data.len(), "{e} past {}", data.len());
                }
            }
        }
    }
}

/// Reads everything `module` offers. Accessors of a loaded module never
/// fail: every item decodes again; only custom-section contents and
/// operators past what the check accepted may report errors.
fn walk(module: &Module) {
    assert_eq!(module.types().count(), module.type_count() as usize);
    for i in 0..module.type_count() {
        assert!(module.type_at(i).is_some());
    }
    assert_eq!(module.imports().count(), module.import_count() as usize);
    assert_eq!(module.exports().count(), module.export_count() as usize);
    for export in module.exports() {
        assert!(module.export(export.name).is_some());
    }
    // Every item indexed decodes again (the index skips some without
    // decoding them at load: what it skips must decode).
    assert_eq!(module.tables().count(), module.table_count() as usize);
    assert_eq!(module.memories().count(), module.memory_count() as usize);
    assert_eq!(module.globals().count(), module.global_count() as usize);
    assert_eq!(module.tags().count(), module.tag_count() as usize);
    assert_eq!(module.elements().count(), module.element_count() as usize);
    assert_eq!(module.data().count(), module.data_segment_count() as usize);
    let _ = (
        module.start(),
        module.data_count(),
        module.imported_counts(),
    );
    let mut instructions = 0u64;
    assert_eq!(module.functions().count(), module.function_count() as usize);
    for function in module.functions() {
        let locals = function.body.locals_reader().expect("locals were checked");
        for local in locals {
            local.expect("locals were checked");
        }
        let ops = function.operators().expect("the body was checked");
        for op in ops {
            let op = op.expect("the body was checked");
            let _ = op.name();
            instructions += 1;
        }
    }
    // The operator iterator agrees with the check pass on every body.
    assert_eq!(instructions, module.instruction_count());
    for custom in module.custom_sections() {
        check_custom_sections(custom.data);
    }
    if let Some(names) = module.name_section() {
        for name in names {
            let _ = name;
        }
    }
}
