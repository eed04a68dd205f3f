//! How the loader loads: features, limits, parallelism.

use lading_parser::Features;

/// The configuration of a [`crate::Loader`].
///
/// ```
/// use lading::{Config, Features, Proposal};
/// let config = Config::default()
///     .features(Features::default().without(Proposal::Threads))
///     .threads(0)
///     .max_module_size(64 << 20);
/// assert_eq!(config.max_module_size, 64 << 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// What the module crate loads with: features and threads.
    pub module: lading_module::Config,
    /// The largest module accepted, in bytes (default 1 GiB, the
    /// WebAssembly JS API's limit).
    pub max_module_size: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            module: lading_module::Config::default(),
            max_module_size: 1 << 30,
        }
    }
}

impl Config {
    /// The accepted proposals (default: all).
    #[must_use]
    pub fn features(mut self, features: Features) -> Config {
        self.module = self.module.features(features);
        self
    }

    /// Threads checking function bodies: 0 = the calling thread only;
    /// default: automatic.
    #[must_use]
    pub fn threads(mut self, threads: usize) -> Config {
        self.module = self.module.threads(threads);
        self
    }

    /// The largest module accepted, in bytes.
    #[must_use]
    pub fn max_module_size(mut self, bytes: u64) -> Config {
        self.max_module_size = bytes;
        self
    }
}
