//! Where the time of one load went.

use std::time::Duration;

/// The wall-clock time of each phase of one load, for users who want to see
/// where it goes (`lading check --time`). [`Module::new_timed`] fills
/// `sections` and `bodies`; the facade's file loaders also fill `read`.
///
/// Measuring costs three clock reads per load, whatever the module's size;
/// loads that are not timed (`Module::new`, `Loader::load`) read no clock.
///
/// [`Module::new_timed`]: crate::Module::new_timed
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadTimes {
    /// Reading the file into memory, or mapping it (zero when the bytes
    /// were handed over in memory). A mapping's page faults fall in the
    /// next two phases, when the bytes are first touched.
    pub read: Duration,
    /// The section pass: the header, every section and item decoded and the
    /// index built; everything but the function bodies.
    pub sections: Duration,
    /// Checking every function body, once the section pass is done
    /// (wall-clock time, on however many threads checked them). With
    /// several threads, the bodies are checked from the end of the code
    /// section on, alongside the sections after it (data, names): this is
    /// the time they take beyond the section pass.
    pub bodies: Duration,
}
