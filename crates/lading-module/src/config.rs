//! What a module is loaded with: features and parallelism.

use lading_parser::Features;

use crate::Limits;

/// How a module is loaded: which proposals are accepted, the [`Limits`] it
/// must stay within, and how many threads check function bodies.
///
/// ```
/// use lading_module::{Config, Features, Proposal};
/// let config = Config::default().features(Features::default().without(Proposal::Simd)).threads(0);
/// assert_eq!(config.thread_count(1 << 30), 1);
/// assert_eq!(Config::default().thread_count(1000), 1);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Config {
    features: Features,
    threads: Option<usize>,
    limits: Limits,
}

/// Below this many bytes of function bodies, a module is checked on the
/// calling thread: starting threads would cost more than they save.
pub const PARALLEL_THRESHOLD: usize = 256 * 1024;

impl Config {
    /// The accepted proposals.
    #[must_use]
    pub fn features(mut self, features: Features) -> Config {
        self.features = features;
        self
    }

    /// How many threads check function bodies: 0 = on the calling thread
    /// only; `n` = up to `n` threads. The default picks the machine's
    /// available parallelism.
    #[must_use]
    pub fn threads(mut self, threads: usize) -> Config {
        self.threads = Some(threads);
        self
    }

    /// Lets the loader pick the thread count (the default).
    #[must_use]
    pub fn automatic_threads(mut self) -> Config {
        self.threads = None;
        self
    }

    /// The limits the module must stay within (default: the WebAssembly JS
    /// API's, see [`Limits`]).
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Config {
        self.limits = limits;
        self
    }

    /// The limits in force.
    pub fn enabled_limits(&self) -> &Limits {
        &self.limits
    }

    /// The accepted proposals.
    pub fn enabled_features(&self) -> Features {
        self.features
    }

    /// Whether a module of `module_bytes` bytes may have its bodies checked
    /// on more than one thread: false when [`Config::thread_count`] is 1
    /// for any code it can hold. Asks nothing of the system.
    pub(crate) fn may_use_threads(&self, module_bytes: usize) -> bool {
        match self.threads {
            Some(n) => n > 1,
            // The code is part of the module.
            None => module_bytes >= PARALLEL_THRESHOLD,
        }
    }

    /// The number of threads (1 = the calling thread alone) used to check
    /// `code_bytes` bytes of function bodies.
    pub fn thread_count(&self, code_bytes: usize) -> usize {
        match self.threads {
            Some(n) => n.max(1),
            None if code_bytes < PARALLEL_THRESHOLD => 1,
            None => {
                // Asked once: on Linux the answer reads cgroup files.
                static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
                let cores = *CORES
                    .get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
                // Each thread gets at least a quarter threshold of bytes.
                cores.clamp(1, (code_bytes / (PARALLEL_THRESHOLD / 4)).max(1))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where `may_use_threads` says no, no code the module can hold gets
    /// more than one thread.
    #[test]
    fn may_use_threads_covers_thread_count() {
        let t = PARALLEL_THRESHOLD;
        for threads in [None, Some(0), Some(1), Some(2), Some(8)] {
            let config = Config {
                threads,
                ..Config::default()
            };
            for module in [0, 1, t / 4, t - 1, t, t + 1, 4 * t, 100 * t] {
                let most = [0, module / 2, module.saturating_sub(1), module]
                    .into_iter()
                    .map(|code| config.thread_count(code))
                    .max();
                if !config.may_use_threads(module) {
                    assert_eq!(most, Some(1), "{threads:?}, {module} bytes");
                }
            }
        }
        assert!(Config::default().may_use_threads(t));
        assert!(!Config::default().threads(0).may_use_threads(usize::MAX));
    }
}
