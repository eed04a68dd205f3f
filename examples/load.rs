//! Loads a WebAssembly module with lading and prints what it holds: every
//! name printed is borrowed from the module's one buffer.
//!
//! ```text
//! cargo run --release -p lading --example load -- examples/hello.wasm
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: load FILE.wasm");
        return ExitCode::from(2);
    };
    let module = match lading::load_file(&path) {
        Ok(module) => module,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{}: {} bytes, {} instructions",
        path.to_string_lossy(),
        module.bytes().len(),
        module.instruction_count()
    );
    for import in module.imports() {
        println!("import {}.{}: {:?}", import.module, import.name, import.ty);
    }
    for export in module.exports() {
        println!(
            "export {:?}: {:?} {}",
            export.name, export.kind, export.index
        );
    }
    for f in module.functions() {
        let ops = f.operators().map(|ops| ops.count()).unwrap_or(0);
        println!(
            "func {} (type {}): {} bytes, {ops} instructions",
            f.index,
            f.type_index,
            f.body_bytes().len()
        );
    }
    for data in module.data() {
        println!("data: {:?}", String::from_utf8_lossy(data.data));
    }
    for custom in module.custom_sections() {
        println!(
            "custom section {:?}: {} bytes",
            custom.name,
            custom.data.len()
        );
    }
    ExitCode::SUCCESS
}
