//! The loader: bytes in from any source, a checked module out.

use std::io::Read;
use std::path::Path;

use lading_module::Module;
use lading_source::Buffer;

use crate::{Config, Error};

/// Loads modules with one [`Config`].
///
/// Every way in moves the bytes into one [`Buffer`] without copying them,
/// then checks the whole module and keeps the buffer inside the
/// [`Module`].
#[derive(Clone, Debug, Default)]
pub struct Loader {
    config: Config,
}

impl Loader {
    /// A loader with `config`.
    pub fn new(config: Config) -> Loader {
        Loader { config }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Loads a module from bytes moved in: a `Vec<u8>`, `Box<[u8]>`,
    /// `Arc<[u8]>`, `&'static [u8]`, a [`Buffer`], or (feature `bytes`) a
    /// `bytes::Bytes`.
    pub fn load(&self, bytes: impl Into<Buffer>) -> Result<Module, Error> {
        let buffer = bytes.into();
        self.check_size(buffer.len() as u64)?;
        Ok(Module::new(buffer, &self.config.module)?)
    }

    /// Reads a file into one allocation and loads it.
    pub fn load_file(&self, path: impl AsRef<Path>) -> Result<Module, Error> {
        let path = path.as_ref();
        if let Ok(meta) = std::fs::metadata(path) {
            self.check_size(meta.len())?;
        }
        self.load(lading_source::read_file(path)?)
    }

    /// Maps a file and loads it; the module keeps the mapping.
    ///
    /// # Safety
    ///
    /// As [`lading_source::map_file`]: no process may modify or truncate
    /// the file while the module (or anything borrowed from it) lives.
    #[allow(unsafe_code)]
    pub unsafe fn map_file(&self, path: impl AsRef<Path>) -> Result<Module, Error> {
        // SAFETY: forwarded to the caller, who upholds the same contract.
        let buffer = unsafe { lading_source::map_file(path) }?;
        self.load(buffer)
    }

    /// Reads `reader` to its end and loads what it gave; `size_hint` (e.g. a
    /// `Content-Length`) lets the bytes land in one allocation.
    pub fn load_reader(
        &self,
        reader: impl Read,
        size_hint: Option<usize>,
    ) -> Result<Module, Error> {
        let limit = self.config.enabled_limits().module_size;
        let mut limited = reader.take(limit.saturating_add(1));
        let buffer = lading_source::read_from(&mut limited, size_hint)?;
        self.load(buffer)
    }

    fn check_size(&self, len: u64) -> Result<(), Error> {
        let limit = self.config.enabled_limits().module_size;
        if len > limit {
            return Err(Error::LimitExceeded {
                what: "module size",
                limit,
                value: len,
                offset: None,
            });
        }
        Ok(())
    }
}

/// Loads a module from bytes moved in, with the default [`Config`].
pub fn load(bytes: impl Into<Buffer>) -> Result<Module, Error> {
    Loader::default().load(bytes)
}

/// Reads a file and loads it, with the default [`Config`].
pub fn load_file(path: impl AsRef<Path>) -> Result<Module, Error> {
    Loader::default().load_file(path)
}
