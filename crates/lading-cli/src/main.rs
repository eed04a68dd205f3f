//! `lading`: check, inspect and disassemble WebAssembly modules.
//!
//! Output formats are a contract for scripts; see `lading <COMMAND> --help`
//! and the README. Exit status: 0 success, 1 a malformed module, 2 a usage
//! error or a file that cannot be read.

mod check;
mod dump;
mod features;
mod inspect;
mod load;
mod wat;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status: every module loaded.
pub const OK: u8 = 0;
/// Exit status: a module is malformed.
pub const MALFORMED: u8 = 1;
/// Exit status: a usage error, or a file that cannot be read.
pub const USAGE: u8 = 2;

/// Check, inspect and disassemble WebAssembly modules.
///
/// Exit status: 0 on success, 1 when a module is malformed, 2 for a usage
/// error or a file that cannot be read.
#[derive(Parser)]
#[command(name = "lading", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Check(check::Args),
    Inspect(inspect::Args),
    Dump(dump::Args),
    Features(features::Args),
}

fn main() -> ExitCode {
    // A bug must not print a Rust panic message and backtrace at users.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        eprintln!("lading: internal error: {what}");
    }));
    let cli = Cli::parse();
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    let status = match cli.command {
        Command::Check(args) => check::run(&args, &mut stdout),
        Command::Inspect(args) => inspect::run(&args, &mut stdout),
        Command::Dump(args) => dump::run(&args, &mut stdout),
        Command::Features(args) => features::run(&args, &mut stdout),
    }
    .and_then(|status| stdout.flush().map(|()| status));
    match status {
        Ok(status) => ExitCode::from(status),
        // A reader that went away (`lading dump x.wasm | head`) is not an
        // error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(OK),
        Err(e) => {
            eprintln!("lading: cannot write the output: {e}");
            ExitCode::from(USAGE)
        }
    }
}
