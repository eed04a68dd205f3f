//! How the loader loads: features, limits, parallelism.

use lading_module::Limits;
use lading_parser::Features;

/// The configuration of a [`crate::Loader`].
///
/// ```
/// use lading::{Config, Features, Limits, Proposal};
/// let mut limits = Limits::default();
/// limits.exports = 1000;
/// let config = Config::default()
///     .features(Features::default().without(Proposal::Threads))
///     .threads(0)
///     .limits(limits)
///     .max_module_size(64 << 20);
/// assert_eq!(config.module.enabled_limits().module_size, 64 << 20);
/// assert_eq!(config.module.enabled_limits().exports, 1000);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// What the module crate loads with: features, limits and threads.
    pub module: lading_module::Config,
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

    /// The limits a module must stay within (default: the WebAssembly JS
    /// API's implementation limits, see [`Limits`]).
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Config {
        self.module = self.module.limits(limits);
        self
    }

    /// The limits in force.
    pub fn enabled_limits(&self) -> &Limits {
        self.module.enabled_limits()
    }

    /// The largest module accepted, in bytes (the `module_size` limit;
    /// default 1 GiB).
    #[must_use]
    pub fn max_module_size(self, bytes: u64) -> Config {
        let mut limits = *self.enabled_limits();
        limits.module_size = bytes;
        self.limits(limits)
    }
}
