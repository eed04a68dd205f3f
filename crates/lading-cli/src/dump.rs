//! `lading dump`: function bodies in the WebAssembly text format's
//! mnemonics, one instruction per line with its offset.

use std::io::{self, Write};
use std::path::PathBuf;

use lading::parser::{Operator, TypeRef};
use lading::{Function, Loader, Module};

use crate::load::{Source, load};
use crate::wat::{write_operator, write_val_type};

/// Disassemble function bodies, one instruction per line.
///
/// Each function starts with `func INDEX (type T)` and its local
/// declarations; each instruction line is its decimal byte offset in the
/// file, then the instruction in the text format's mnemonics with its
/// immediates (indices as numbers, `align` in bytes), indented by nesting.
/// Imported functions have no body: they are listed as
/// `func INDEX (type T): import "MODULE" "NAME"`.
///
/// Exit status: 0; 1 when the module is malformed; 2 for a usage error,
/// a file that cannot be read, or a `--func` index that names an imported
/// function or no function at all.
#[derive(clap::Args)]
pub struct Args {
    /// The module.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Only this function, by its index in the function index space
    /// (imported functions first, then the module's own).
    #[arg(long, value_name = "INDEX")]
    func: Option<u32>,
}

/// Nesting deeper than this is not indented further.
const MAX_INDENT: usize = 32;

/// Loads the module and disassembles it.
pub fn run(args: &Args, out: &mut impl Write) -> io::Result<u8> {
    let module = match load(&Loader::default(), &args.file, Source::Read) {
        Ok(module) => module,
        Err(failure) => {
            eprintln!("{}: {failure}", args.file.display());
            return Ok(failure.status());
        }
    };
    let imported = module.imported_counts()[0];
    let width = module.bytes().len().to_string().len();
    let mut line = String::new();
    match args.func {
        None => {
            write_imports(&module, out)?;
            for (i, function) in module.functions().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write_function(&function, width, &mut line, out)?;
            }
        }
        Some(index) if index < imported => {
            eprintln!(
                "{}: function {index} is imported (functions 0 to {} are imports); it has no body",
                args.file.display(),
                imported - 1
            );
            return Ok(crate::USAGE);
        }
        Some(index) => match module.function(index - imported) {
            Some(function) => write_function(&function, width, &mut line, out)?,
            None => {
                eprintln!(
                    "{}: no function {index}: the module has {} ({imported} imported, {} defined)",
                    args.file.display(),
                    u64::from(imported) + u64::from(module.function_count()),
                    module.function_count()
                );
                return Ok(crate::USAGE);
            }
        },
    }
    Ok(crate::OK)
}

/// One line per imported function.
fn write_imports(module: &Module, out: &mut impl Write) -> io::Result<()> {
    let functions = module.imports().filter_map(|import| match import.ty {
        TypeRef::Func(ty) => Some((import.module, import.name, ty)),
        _ => None,
    });
    let mut any = false;
    for (index, (from, name, ty)) in functions.enumerate() {
        writeln!(out, "func {index} (type {ty}): import {from:?} {name:?}")?;
        any = true;
    }
    if any && module.function_count() > 0 {
        writeln!(out)?;
    }
    Ok(())
}

fn write_function(
    function: &Function<'_>,
    width: usize,
    line: &mut String,
    out: &mut impl Write,
) -> io::Result<()> {
    writeln!(
        out,
        "func {} (type {})",
        function.index, function.type_index
    )?;
    // The module was checked when it loaded: its bodies decode.
    let broken = |e: lading::parser::Error| io::Error::other(e.to_string());
    let mut locals = function.body.locals_reader().map_err(broken)?.peekable();
    if locals.peek().is_some() {
        line.clear();
        line.push_str("  locals:");
        for (i, run) in locals.enumerate() {
            let (count, ty) = run.map_err(broken)?;
            line.push_str(if i == 0 { " " } else { ", " });
            line.push_str(&format!("{count} x "));
            fmt(write_val_type(line, ty))?;
        }
        writeln!(out, "{line}")?;
    }
    let mut operators = function.operators().map_err(broken)?;
    let mut depth = 0usize;
    loop {
        let offset = operators.offset();
        let Some(op) = operators.next() else { break };
        let op = op.map_err(broken)?;
        let level = match op {
            Operator::End | Operator::Delegate { .. } => {
                depth = depth.saturating_sub(1);
                depth
            }
            Operator::Else | Operator::Catch { .. } | Operator::CatchAll => depth.saturating_sub(1),
            _ => depth,
        };
        line.clear();
        for _ in 0..level.min(MAX_INDENT) {
            line.push_str("  ");
        }
        fmt(write_operator(line, &op))?;
        writeln!(out, "  {offset:>width$}: {line}")?;
        if matches!(
            op,
            Operator::Block { .. }
                | Operator::Loop { .. }
                | Operator::If { .. }
                | Operator::Try { .. }
                | Operator::TryTable { .. }
        ) {
            depth += 1;
        }
    }
    Ok(())
}

/// Writing to a `String` does not fail; the conversion keeps `?` simple.
fn fmt(result: std::fmt::Result) -> io::Result<()> {
    result.map_err(|_| io::Error::other("formatting failed"))
}
