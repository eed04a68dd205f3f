//! `lading check`: load each file fully and say whether it is well-formed.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lading::{Config, Features, Limits, LoadTimes, Loader, Proposal};

use crate::load::{Source, load_timed};

/// Load each module fully (every function body checked) and report it.
///
/// Prints one line per file, in argument order: `FILE: ok`,
/// `FILE: error at offset N: MESSAGE` (N: the decimal byte offset;
/// MESSAGE: the WebAssembly specification's message), or
/// `FILE: error: cannot read: IO ERROR`. Goes on after a failing file.
///
/// With `--time`, each file's result line is followed by one line on
/// stderr: `FILE: read R ms, sections S ms, bodies B ms, total T ms,
/// X MB/s` (`map` in place of `read` for a mapped file). R: reading (or
/// mapping) the file; S: the section pass (the header, every section and
/// item decoded, the index built); B: checking every function body
/// (wall-clock time, on all its threads); T: the whole load, from opening
/// the file to the checked module; X: the file's size in millions of bytes
/// per second of T. Times are in milliseconds with three decimals, rounded
/// down to the microsecond, so R + S + B <= T. A phase that did not run
/// (the file could not be read, the module was too large) shows 0.000. The
/// page faults of a mapped file fall in S and B, where the bytes are first
/// read.
///
/// Files are mapped into memory, not copied: a regular file must then not
/// change (be modified or truncated) while it is checked, or lading may
/// see changed bytes or be killed by `SIGBUS`. `--read` reads each file
/// into memory instead (pipes and devices are always read).
///
/// Exit status: 0 when every file loaded, 1 when a module is malformed,
/// 2 for a usage error or a file that cannot be read.
#[derive(clap::Args)]
pub struct Args {
    /// Read the files into memory instead of mapping them: for files that
    /// may change (be modified or truncated) while they are checked.
    #[arg(long)]
    read: bool,
    /// Threads checking function bodies: 0 = serial (default: automatic).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Reject the encodings of these proposals (names as `lading features`
    /// lists them).
    #[arg(
        long,
        value_name = "PROPOSAL[,PROPOSAL...]",
        value_delimiter = ',',
        value_parser = parse_proposal
    )]
    disable: Vec<Proposal>,
    /// Raise or lower a loader limit, e.g. `--limit functions=5000`
    /// (repeatable). Names: module-size, types, rec-groups, rec-group-size,
    /// subtyping-depth, params, results, struct-fields, functions, imports,
    /// exports, globals, data-segments, element-segments, tables, memories,
    /// locals, function-body-size, table-size, tags, br-table-targets;
    /// defaults are the WebAssembly JS API's implementation limits.
    #[arg(long = "limit", value_name = "NAME=VALUE", value_parser = parse_limit)]
    limits: Vec<(String, u64)>,
    /// Print only the files that fail.
    #[arg(long, short)]
    quiet: bool,
    /// Print to stderr where each load's time went: reading, the section
    /// pass, the body check, the total and MB/s (one line per file, format
    /// in `lading help check`).
    #[arg(long)]
    time: bool,
    /// The modules to check.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

fn parse_proposal(name: &str) -> Result<Proposal, String> {
    Proposal::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = Proposal::ALL.iter().map(|p| p.name()).collect();
        format!("unknown proposal (known: {})", known.join(", "))
    })
}

fn parse_limit(text: &str) -> Result<(String, u64), String> {
    let (name, value) = text.split_once('=').ok_or("expected NAME=VALUE")?;
    let value: u64 = value
        .trim()
        .parse()
        .map_err(|e| format!("{value:?}: {e}"))?;
    if !Limits::default().set(name, value) {
        let known: Vec<&str> = Limits::default()
            .entries()
            .iter()
            .map(|(n, _)| *n)
            .collect();
        return Err(format!(
            "unknown limit {name:?} (known: {})",
            known.join(", ")
        ));
    }
    Ok((name.to_string(), value))
}

/// Checks every file; the status is the worst of all files.
pub fn run(args: &Args, out: &mut impl Write) -> io::Result<u8> {
    let features = args
        .disable
        .iter()
        .fold(Features::default(), |f, &p| f.without(p));
    let mut limits = Limits::default();
    for (name, value) in &args.limits {
        // Names were checked when the arguments were parsed.
        limits.set(name, *value);
    }
    let mut config = Config::default().features(features).limits(limits);
    if let Some(threads) = args.threads {
        config = config.threads(threads);
    }
    let loader = Loader::new(config);
    let mut status = crate::OK;
    for path in &args.files {
        let start = Instant::now();
        let source = Source::for_check(path, args.read);
        let (result, times) = load_timed(&loader, path, source);
        let total = start.elapsed();
        let size = match &result {
            Ok(module) => module.bytes().len() as u64,
            Err(_) if args.time => std::fs::metadata(path).map_or(0, |m| m.len()),
            Err(_) => 0,
        };
        match result {
            Ok(_) => {
                if !args.quiet {
                    writeln!(out, "{}: ok", path.display())?;
                }
            }
            Err(failure) => {
                status = status.max(failure.status());
                writeln!(out, "{}: {failure}", path.display())?;
            }
        }
        if args.time {
            // The time line comes after the file's result line on a
            // terminal that shows both streams.
            out.flush()?;
            let line = time_line(&times, total, size, source);
            writeln!(io::stderr(), "{}: {line}", path.display())?;
        }
    }
    Ok(status)
}

/// The text after `FILE: ` of a `--time` line.
fn time_line(times: &LoadTimes, total: Duration, size: u64, source: Source) -> String {
    // Rounded down to the microsecond: the phases, disjoint parts of the
    // total, add up to no more than it once rounded too.
    let ms = |d: Duration| {
        let us = d.as_micros();
        format!("{}.{:03} ms", us / 1000, us % 1000)
    };
    let seconds = total.as_secs_f64();
    let rate = if seconds > 0.0 {
        size as f64 / seconds / 1e6
    } else {
        0.0
    };
    format!(
        "{} {}, sections {}, bodies {}, total {}, {rate:.1} MB/s",
        source.verb(),
        ms(times.read),
        ms(times.sections),
        ms(times.bodies),
        ms(total),
    )
}
