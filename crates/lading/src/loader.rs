//! The loader: bytes in from any source, a checked module out.

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use lading_module::{LoadTimes, Module};
use lading_source::{Buffer, SourceError};

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

    /// [`Loader::load`], and how long its section pass and body check took
    /// ([`LoadTimes::read`] is zero: the bytes were in memory).
    pub fn load_timed(&self, bytes: impl Into<Buffer>) -> (Result<Module, Error>, LoadTimes) {
        let buffer = bytes.into();
        if let Err(e) = self.check_size(buffer.len() as u64) {
            return (Err(e), LoadTimes::default());
        }
        let (module, times) = Module::new_timed(buffer, &self.config.module);
        (module.map_err(Error::from), times)
    }

    /// Reads a file into one allocation and loads it.
    pub fn load_file(&self, path: impl AsRef<Path>) -> Result<Module, Error> {
        self.load_file_timed(path).0
    }

    /// [`Loader::load_file`], and how long each phase took: reading the
    /// file, the section pass, the body check.
    pub fn load_file_timed(&self, path: impl AsRef<Path>) -> (Result<Module, Error>, LoadTimes) {
        let path = path.as_ref();
        let start = Instant::now();
        let read = self.read_file(path);
        let read_time = start.elapsed();
        self.load_read(read, read_time)
    }

    fn read_file(&self, path: &Path) -> Result<Buffer, Error> {
        match std::fs::metadata(path) {
            // A pipe or device (`/dev/stdin`), or a file of size 0 that
            // may have bytes (`/proc`): its size shows only at its end, so
            // read no more than one byte past the size limit.
            Ok(meta) if !meta.is_file() || meta.len() == 0 => {
                let file = std::fs::File::open(path).map_err(|source| SourceError::File {
                    path: path.to_path_buf(),
                    source,
                })?;
                let limit = self.config.enabled_limits().module_size;
                let buffer = lading_source::read_from(file.take(limit.saturating_add(1)), None)?;
                self.check_size(buffer.len() as u64)?;
                Ok(buffer)
            }
            Ok(meta) => {
                self.check_size(meta.len())?;
                Ok(lading_source::read_file(path)?)
            }
            Err(_) => Ok(lading_source::read_file(path)?),
        }
    }

    /// Loads what was read in `read_time`, or passes the read's error on.
    fn load_read(
        &self,
        read: Result<Buffer, Error>,
        read_time: std::time::Duration,
    ) -> (Result<Module, Error>, LoadTimes) {
        let (module, mut times) = match read {
            Ok(buffer) => self.load_timed(buffer),
            Err(e) => (Err(e), LoadTimes::default()),
        };
        times.read = read_time;
        (module, times)
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
        unsafe { self.map_file_timed(path) }.0
    }

    /// [`Loader::map_file`], and how long each phase took: mapping the file
    /// ([`LoadTimes::read`]), the section pass, the body check. The page
    /// faults of first touching the bytes fall in the last two.
    ///
    /// # Safety
    ///
    /// As [`Loader::map_file`].
    #[allow(unsafe_code)]
    pub unsafe fn map_file_timed(
        &self,
        path: impl AsRef<Path>,
    ) -> (Result<Module, Error>, LoadTimes) {
        let start = Instant::now();
        // SAFETY: forwarded to the caller, who upholds the same contract.
        let mapped = unsafe { lading_source::map_file(path) }.map_err(Error::from);
        let map_time = start.elapsed();
        self.load_read(mapped, map_time)
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
