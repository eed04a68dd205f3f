//! Test inputs near a valid encoding, for tests that hold a fast path
//! against the decoder it stands for.

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
