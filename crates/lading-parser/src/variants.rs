//! Test inputs near a valid encoding, for tests that hold a fast path
//! against the decoder it stands for.

use crate::{Features, TypeScan};

/// Hands every input of [`cuts_of_variants`] of each of `entries`, with
/// the bytes `bytes`, to `check`, under three feature sets (with a
/// [`TypeScan`] of each); the number of inputs `check` says the fast path
/// took.
pub(crate) fn count_taken(
    entries: &[&[u8]],
    bytes: &[u8],
    mut check: impl FnMut(&[u8], Features, &TypeScan) -> bool,
) -> usize {
    let mut taken = 0;
    for features in [Features::ALL, Features::WASM2, Features::WASM1] {
        let scan = TypeScan::new(features);
        for entry in entries {
            for items in cuts_of_variants(entry, bytes) {
                taken += usize::from(check(&items, features, &scan));
            }
        }
    }
    taken
}

/// `entry`, then `entry` with each byte replaced by each of `bytes`, each
/// of them cut short at every length (the whole included): the prefixes a
/// skimming function may see at the end of a section.
pub(crate) fn cuts_of_variants(entry: &[u8], bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut variants = vec![entry.to_vec()];
    for at in 0..entry.len() {
        for &byte in bytes {
            let mut variant = entry.to_vec();
            variant[at] = byte;
            variants.push(variant);
        }
    }
    variants
        .iter()
        .flat_map(|v| (0..=v.len()).map(|cut| v[..cut].to_vec()))
        .collect()
}

#[test]
fn every_replacement_at_every_length() {
    let all = cuts_of_variants(&[1, 2], &[9]);
    // [1, 2], [9, 2], [1, 9]; each at lengths 0, 1 and 2.
    let want: [&[u8]; 9] = [&[], &[1], &[1, 2], &[], &[9], &[9, 2], &[], &[1], &[1, 9]];
    assert_eq!(all, want);
}
