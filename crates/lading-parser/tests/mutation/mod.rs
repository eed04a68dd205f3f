//! Random mutations of byte strings for the proptests: a byte changed,
//! the tail cut off, a byte inserted.

#![allow(dead_code)]

use proptest::prelude::*;

/// One change to a byte string; positions wrap around its length.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// The byte at `at` becomes `byte` (nothing if the string is empty).
    Flip { at: usize, byte: u8 },
    /// Only the first `len` bytes stay.
    Truncate { len: usize },
    /// `byte` is inserted before position `at`.
    Insert { at: usize, byte: u8 },
}

/// Applies `m` to `bytes`.
pub fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    match *m {
        Mutation::Flip { at, byte } => {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = byte;
            }
        }
        Mutation::Truncate { len } => bytes.truncate(len % (bytes.len() + 1)),
        Mutation::Insert { at, byte } => bytes.insert(at % (bytes.len() + 1), byte),
    }
}

/// Any mutation.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        any::<usize>().prop_map(|len| Mutation::Truncate { len }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
    ]
}

/// The number of proptest cases: `PROPTEST_CASES` overrides `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
