//! Shared by the facade's integration tests: every borrowed view a loaded
//! module hands out.

#![allow(dead_code)]

use lading::Module;
use lading::parser::Name;

/// Every `&str` and `&[u8]` the module's accessors return, as byte slices.
pub fn all_views(module: &Module) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = Vec::new();
    for import in module.imports() {
        out.push(import.module.as_bytes());
        out.push(import.name.as_bytes());
    }
    for export in module.exports() {
        out.push(export.name.as_bytes());
    }
    for f in module.functions() {
        out.push(f.body_bytes());
    }
    for g in module.globals() {
        out.push(g.init_expr.bytes());
    }
    for d in module.data() {
        out.push(d.data);
    }
    for c in module.custom_sections() {
        out.push(c.name.as_bytes());
        out.push(c.data);
    }
    if let Some(names) = module.name_section() {
        for name in names.flatten() {
            match name {
                Name::Module { name, .. } => out.push(name.as_bytes()),
                Name::Function(map) | Name::Type(map) | Name::Global(map) => {
                    out.extend(map.flatten().map(|n| n.name.as_bytes()))
                }
                Name::Local(indirect) => {
                    for inner in indirect.flatten() {
                        out.extend(inner.names.flatten().map(|n| n.name.as_bytes()));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Whether every view lies inside the module's buffer.
pub fn assert_views_inside(module: &Module, what: &str) -> usize {
    let range = module.bytes().as_ptr_range();
    let (start, end) = (range.start as usize, range.end as usize);
    let views = all_views(module);
    for v in &views {
        let r = v.as_ptr_range();
        assert!(
            r.start as usize >= start && r.end as usize <= end,
            "{what}: a view of {} bytes lies outside the buffer",
            v.len()
        );
    }
    views.len()
}
