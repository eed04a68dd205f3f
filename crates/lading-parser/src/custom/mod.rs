//! Decoders for the well-known custom sections. Custom sections never make a
//! module load fail; these decoders are called on demand.

pub(crate) mod branch_hints;
pub(crate) mod name;
pub(crate) mod producers;
pub(crate) mod target_features;
