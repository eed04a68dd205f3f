//! `lading inspect`: what a module holds, as a report or one line of JSON.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use lading::{Loader, Module};

use crate::load::{Failure, Source, load};

/// Show what a module holds: its sections and the number of each kind of item
///
/// Without --json: a report of every section (id, name, offset of its
/// contents, size, item count), then the totals.
///
/// With --json: exactly one line of JSON, keys in this order:
///   {"file":"PATH","size":N,"rec_groups":N,"types":N,"imports":{"func":N,"table":N,"memory":N,"global":N,"tag":N},"functions":N,"tables":N,"memories":N,"globals":N,"tags":N,"exports":N,"start":N|null,"elements":N,"data":N,"data_count":N|null,"code":{"bodies":N,"locals":N,"operators":N},"custom_sections":["NAME",...]}
/// A malformed module gives (exit status 1):
///   {"file":"PATH","error":"MESSAGE","offset":N}
/// A file that cannot be read gives (exit status 2):
///   {"file":"PATH","error":"cannot read: IO ERROR"}
/// A module over the loader's size limit (1 GiB) gives (exit status 1):
///   {"file":"PATH","error":"MESSAGE"}
///
/// Without --json, errors are printed to stderr as `lading check` prints
/// them.
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Print one line of JSON instead of the report.
    #[arg(long)]
    json: bool,
    /// The module.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

/// Loads the module and reports it.
pub fn run(args: &Args, out: &mut impl Write) -> io::Result<u8> {
    let module = match load(&Loader::default(), &args.file, Source::Read) {
        Ok(module) => module,
        Err(failure) => return report_failure(args, &failure, out),
    };
    if args.json {
        writeln!(out, "{}", json(&args.file, &module))?;
    } else {
        report(&args.file, &module, out)?;
    }
    Ok(crate::OK)
}

fn report_failure(args: &Args, failure: &Failure, out: &mut impl Write) -> io::Result<u8> {
    if args.json {
        let file = string(&args.file.to_string_lossy());
        match failure {
            Failure::At { offset, message } => writeln!(
                out,
                r#"{{"file":{file},"error":{},"offset":{offset}}}"#,
                string(message)
            )?,
            Failure::Limit(message) => {
                writeln!(out, r#"{{"file":{file},"error":{}}}"#, string(message))?
            }
            Failure::Unreadable(message) => writeln!(
                out,
                r#"{{"file":{file},"error":{}}}"#,
                string(&format!("cannot read: {message}"))
            )?,
        }
    } else {
        eprintln!("{}: {failure}", args.file.display());
    }
    Ok(failure.status())
}

/// A JSON string literal.
fn string(s: &str) -> String {
    // Serializing a `&str` cannot fail.
    serde_json::to_string(s).unwrap_or_default()
}

/// `N` or `null`.
fn number_or_null(n: Option<u32>) -> String {
    n.map_or_else(|| "null".to_string(), |n| n.to_string())
}

/// The one-line JSON form, keys in the documented order.
fn json(path: &Path, m: &Module) -> String {
    let [func, table, memory, global, tag] = m.imported_counts();
    let names: Vec<String> = m.custom_sections().map(|c| string(c.name)).collect();
    format!(
        concat!(
            r#"{{"file":{},"size":{},"rec_groups":{},"types":{},"#,
            r#""imports":{{"func":{},"table":{},"memory":{},"global":{},"tag":{}}},"#,
            r#""functions":{},"tables":{},"memories":{},"globals":{},"tags":{},"exports":{},"#,
            r#""start":{},"elements":{},"data":{},"data_count":{},"#,
            r#""code":{{"bodies":{},"locals":{},"operators":{}}},"custom_sections":[{}]}}"#
        ),
        string(&path.to_string_lossy()),
        m.bytes().len(),
        m.rec_group_count(),
        m.type_count(),
        func,
        table,
        memory,
        global,
        tag,
        m.function_count(),
        m.table_count(),
        m.memory_count(),
        m.global_count(),
        m.tag_count(),
        m.export_count(),
        number_or_null(m.start()),
        m.element_count(),
        m.data_segment_count(),
        number_or_null(m.data_count()),
        m.body_count(),
        m.local_count(),
        m.instruction_count(),
        names.join(","),
    )
}

/// The section's name in the binary format's specification.
fn section_name(id: u8) -> &'static str {
    match id {
        0 => "custom",
        1 => "type",
        2 => "import",
        3 => "function",
        4 => "table",
        5 => "memory",
        6 => "global",
        7 => "export",
        8 => "start",
        9 => "element",
        10 => "code",
        11 => "data",
        12 => "datacount",
        13 => "tag",
        _ => "unknown",
    }
}

/// The readable report.
fn report(path: &Path, m: &Module, out: &mut impl Write) -> io::Result<()> {
    let size = m.bytes().len();
    writeln!(
        out,
        "{}: WebAssembly module, version 1, {size} bytes",
        path.display()
    )?;
    writeln!(out)?;
    writeln!(out, "Sections ({}):", m.sections().len())?;
    writeln!(
        out,
        "  {:>2}  {:<9}  {:>10}  {:>10}  items",
        "id", "name", "offset", "size"
    )?;
    let mut customs = m.custom_sections();
    for section in m.sections() {
        let items = match section.id {
            0 => customs
                .next()
                .map_or_else(String::new, |c| format!("{:?}", c.name)),
            1 => m.rec_group_count().to_string(),
            2 => m.import_count().to_string(),
            3 => m.function_count().to_string(),
            4 => m.table_count().to_string(),
            5 => m.memory_count().to_string(),
            6 => m.global_count().to_string(),
            7 => m.export_count().to_string(),
            8 => m
                .start()
                .map_or_else(String::new, |f| format!("function {f}")),
            9 => m.element_count().to_string(),
            10 => m.body_count().to_string(),
            11 => m.data_segment_count().to_string(),
            12 => m
                .data_count()
                .map_or_else(String::new, |n| format!("count {n}")),
            13 => m.tag_count().to_string(),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {:>2}  {:<9}  {:>10}  {:>10}  {items}",
            section.id,
            section_name(section.id),
            section.start,
            section.end.saturating_sub(section.start),
        )?;
    }
    writeln!(out)?;
    writeln!(out, "Totals:")?;
    let [func, table, memory, global, tag] = m.imported_counts();
    let rows: [(&str, String); 17] = [
        ("rec groups", m.rec_group_count().to_string()),
        ("types", m.type_count().to_string()),
        (
            "imports",
            format!(
                "{} (func {func}, table {table}, memory {memory}, global {global}, tag {tag})",
                m.import_count()
            ),
        ),
        ("functions", m.function_count().to_string()),
        ("tables", m.table_count().to_string()),
        ("memories", m.memory_count().to_string()),
        ("globals", m.global_count().to_string()),
        ("tags", m.tag_count().to_string()),
        ("exports", m.export_count().to_string()),
        ("start", m.start().map_or("none".into(), |f| f.to_string())),
        ("elements", m.element_count().to_string()),
        ("data", m.data_segment_count().to_string()),
        (
            "data count",
            m.data_count().map_or("none".into(), |n| n.to_string()),
        ),
        ("code bodies", m.body_count().to_string()),
        ("locals", m.local_count().to_string()),
        ("operators", m.instruction_count().to_string()),
        ("custom sections", m.custom_sections().count().to_string()),
    ];
    for (what, value) in rows {
        writeln!(out, "  {what:<16} {value}")?;
    }
    Ok(())
}
