//! `lading features`: the proposals the loader knows, on or off by default.

use std::io::{self, Write};

use lading::{Features, Proposal};

/// List the WebAssembly proposals lading decodes, with their default.
///
/// One line per proposal: its name (as `check --disable` takes it), then
/// `on` or `off`, aligned in two columns.
#[derive(clap::Args)]
pub struct Args {}

/// Prints the list.
pub fn run(_args: &Args, out: &mut impl Write) -> io::Result<u8> {
    let defaults = Features::default();
    let width = Proposal::ALL
        .iter()
        .map(|p| p.name().len())
        .max()
        .unwrap_or(0);
    for proposal in Proposal::ALL {
        let state = if defaults.has(proposal) { "on" } else { "off" };
        writeln!(out, "{:<width$}  {state}", proposal.name())?;
    }
    Ok(crate::OK)
}
