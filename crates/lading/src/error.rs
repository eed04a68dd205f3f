//! The one error type of the facade.

use std::path::PathBuf;

/// Why a module could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes could not be read (a file, a mapping, a stream).
    #[error("cannot read: {0}")]
    Io(#[from] lading_source::SourceError),
    /// The bytes are not a well-formed module: the offset of the defect and
    /// the spec's message.
    #[error("malformed module at offset {}: {}", .0.offset(), .0.message())]
    Malformed(#[from] lading_parser::Error),
    /// The module exceeds a limit of the [`crate::Config`]
    /// ([`crate::Limits`]), e.g. `function count of 1000001 exceeds the
    /// limit of 1000000 at offset 42`.
    #[error("{what} of {value} exceeds the limit of {limit}{}", at(.offset))]
    LimitExceeded {
        /// What was limited, e.g. `function count`.
        what: &'static str,
        /// The limit.
        limit: u64,
        /// The value found.
        value: u64,
        /// Where, if the limit concerns a part of the module (`None` for
        /// the module's size).
        offset: Option<usize>,
    },
}

impl From<lading_module::LoadError> for Error {
    fn from(e: lading_module::LoadError) -> Error {
        match e {
            lading_module::LoadError::Malformed(e) => Error::Malformed(e),
            lading_module::LoadError::LimitExceeded(l) => Error::LimitExceeded {
                what: l.what,
                limit: l.limit,
                value: l.value,
                offset: l.offset,
            },
        }
    }
}

fn at(offset: &Option<usize>) -> String {
    offset
        .map(|o| format!(" at offset {o}"))
        .unwrap_or_default()
}

impl Error {
    /// The byte offset of the defect, for malformed modules and limits
    /// found in the module.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::Malformed(e) => Some(e.offset()),
            Error::LimitExceeded { offset, .. } => *offset,
            Error::Io(_) => None,
        }
    }

    /// What is malformed, for malformed modules.
    pub fn malformed_kind(&self) -> Option<lading_parser::ErrorKind> {
        match self {
            Error::Malformed(e) => Some(e.kind()),
            _ => None,
        }
    }

    /// The path of the file involved, for I/O errors about a file.
    pub fn path(&self) -> Option<&PathBuf> {
        match self {
            Error::Io(lading_source::SourceError::File { path, .. })
            | Error::Io(lading_source::SourceError::Changed { path, .. })
            | Error::Io(lading_source::SourceError::TooLarge { path, .. }) => Some(path),
            _ => None,
        }
    }
}
