//! Loading a file for a subcommand, and why it failed in the words of the
//! output formats.

use std::fmt;
use std::path::Path;

use lading::{Error, LoadTimes, Loader, Module, SourceError};

use crate::{MALFORMED, USAGE};

/// Why a file did not load.
pub enum Failure {
    /// The module is malformed (or exceeds a limit) at `offset`: the
    /// parser's spec message.
    At {
        /// The byte offset of the defect.
        offset: usize,
        /// The message.
        message: String,
    },
    /// The module exceeds a limit that has no offset (its size).
    Limit(String),
    /// The file cannot be read: what the operating system said.
    Unreadable(String),
}

impl Failure {
    fn from_error(error: Error) -> Failure {
        match error {
            Error::Malformed(e) => Failure::At {
                offset: e.offset(),
                message: e.message().to_string(),
            },
            Error::Io(SourceError::File { source, .. }) => Failure::Unreadable(source.to_string()),
            Error::Io(SourceError::Changed { expected, .. }) => Failure::Unreadable(format!(
                "the file changed size while being read ({expected} bytes expected)"
            )),
            Error::Io(SourceError::TooLarge { len, .. }) => {
                Failure::Unreadable(format!("{len} bytes is too large to load"))
            }
            Error::Io(e) => Failure::Unreadable(e.to_string()),
            Error::LimitExceeded {
                what,
                limit,
                value,
                offset,
            } => {
                let message = format!("{what} of {value} exceeds the limit of {limit}");
                match offset {
                    Some(offset) => Failure::At { offset, message },
                    None => Failure::Limit(message),
                }
            }
            e => Failure::Limit(e.to_string()),
        }
    }

    /// The exit status this failure gives.
    pub fn status(&self) -> u8 {
        match self {
            Failure::At { .. } | Failure::Limit(_) => MALFORMED,
            Failure::Unreadable(_) => USAGE,
        }
    }
}

/// The text after `FILE: ` in a one-line report:
/// `error at offset N: MESSAGE` or `error: cannot read: IO ERROR`.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::At { offset, message } => write!(f, "error at offset {offset}: {message}"),
            Failure::Limit(message) => write!(f, "error: {message}"),
            Failure::Unreadable(message) => write!(f, "error: cannot read: {message}"),
        }
    }
}

/// How a subcommand gets a file's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Read into one allocation (`lading_source::read_file`).
    Read,
    /// Mapped (`lading_source::map_file`): no copy of the file.
    Map,
}

impl Source {
    /// What `lading check` does with `path`: map it when it is a regular
    /// file with a size (the default) and `read` is not asked for; read it
    /// otherwise (pipes, devices, `/proc` files of size 0, a path that does
    /// not open: the read reports why).
    pub fn for_check(path: &Path, read: bool) -> Source {
        let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0);
        if regular && !read {
            Source::Map
        } else {
            Source::Read
        }
    }

    /// The word `--time` lines use for this phase.
    pub fn verb(self) -> &'static str {
        match self {
            Source::Read => "read",
            Source::Map => "map",
        }
    }
}

/// Loads `path` with `loader`: read into one allocation, or mapped.
pub fn load(loader: &Loader, path: &Path, source: Source) -> Result<Module, Failure> {
    load_timed(loader, path, source).0
}

/// [`load`], and how long each phase of the load took.
pub fn load_timed(
    loader: &Loader,
    path: &Path,
    source: Source,
) -> (Result<Module, Failure>, LoadTimes) {
    let (module, times) = match source {
        // SAFETY: the contract of mapping, stated in `lading help check`
        // (use `--read` for files that may change): the file must not be
        // modified or truncated while lading runs. The module and
        // everything borrowed from it are dropped before `lading` returns
        // from the subcommand.
        #[allow(unsafe_code)]
        Source::Map => unsafe { loader.map_file_timed(path) },
        Source::Read => loader.load_file_timed(path),
    };
    (module.map_err(Failure::from_error), times)
}
