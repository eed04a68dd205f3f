//! Finding the code section before the sections in front of it are read,
//! so that its bodies can be checked while they are.

use lading_parser::leb128::read_u32_short;

use crate::Limits;
use crate::index::CodeEntries;

/// Where the code section's entries are, found by walking section headers
/// only: what the body check needs, before the section pass gets there.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct EarlyCode {
    /// Where its entries start and how many there are.
    pub entries: CodeEntries,
    /// The absolute end of the code section's contents.
    pub end: usize,
    /// Whether a data count section comes before it.
    pub data_count_present: bool,
}

impl EarlyCode {
    /// The bytes of the entries.
    pub fn code_bytes(&self) -> usize {
        self.end.saturating_sub(self.entries.first as usize)
    }
}

/// The most sections looked at for the code section: one of each standard
/// section and many custom ones. Beyond, the walk would cost more than it
/// can save (a module of custom sections alone, with no code, is walked
/// to its end): the section pass finds the code section instead.
const SECTIONS_BEFORE_CODE: usize = 64;

/// The code section of the module in `bytes`, if it is among the first
/// [`SECTIONS_BEFORE_CODE`] sections, the header and every section header
/// up to it read, and its count reads and fits `limits`. `None` for anything else: the section pass then
/// finds what is wrong. Nothing here is trusted: the section pass finds
/// the code section too, and the early result stands only if both agree.
pub(crate) fn find_code(bytes: &[u8], limits: &Limits) -> Option<EarlyCode> {
    if bytes.get(..8)? != b"\0asm\x01\0\0\0" {
        return None;
    }
    let mut pos = 8;
    let mut data_count_present = false;
    for _ in 0..SECTIONS_BEFORE_CODE {
        let id = *bytes.get(pos)?;
        pos += 1;
        let size = read_u32_short(bytes, &mut pos).ok()? as usize;
        let end = pos.checked_add(size).filter(|&end| end <= bytes.len())?;
        match id {
            10 => return entries(bytes, pos, end, limits, data_count_present),
            12 => data_count_present = true,
            _ => {}
        }
        pos = end;
    }
    None
}

/// The entries of a code section whose contents span `pos..end`: where the
/// first starts, and their count, if it reads and is within the limit. The
/// entries themselves are read by the body check, which walks them.
fn entries(
    bytes: &[u8],
    mut pos: usize,
    end: usize,
    limits: &Limits,
    data_count_present: bool,
) -> Option<EarlyCode> {
    let code = bytes.get(..end)?;
    let contents = pos;
    let count = read_u32_short(code, &mut pos).ok()?;
    if count > limits.functions {
        return None;
    }
    Some(EarlyCode {
        entries: CodeEntries {
            contents: u32::try_from(contents).ok()?,
            first: u32::try_from(pos).ok()?,
            count,
        },
        end,
        data_count_present,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[u8] = b"\0asm\x01\0\0\0";

    #[test]
    fn finds_the_code_section_behind_others() {
        // A type section, a data count section, then code: two bodies.
        let module = [
            HEADER,
            &[0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
            &[0x0c, 0x01, 0x00],
            &[0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b],
        ]
        .concat();
        let code = find_code(&module, &Limits::default()).unwrap();
        let entries = CodeEntries {
            contents: 19,
            first: 20,
            count: 2,
        };
        assert_eq!(code.entries, entries);
        assert_eq!(code.end, module.len());
        assert!(code.data_count_present);
        assert_eq!(code.code_bytes(), 6);
    }

    #[test]
    fn anything_odd_is_left_to_the_section_pass() {
        let limits = Limits::default();
        let body = [0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b];
        assert!(find_code(&[HEADER, &body].concat(), &limits).is_some());
        // Wrong version, a section past the end, a count that does not
        // read, no code section.
        assert!(find_code(&[b"\0asm\x02\0\0\0", &body[..]].concat(), &limits).is_none());
        assert!(find_code(&[HEADER, &[0x01, 0x09, 0x00]].concat(), &limits).is_none());
        assert!(find_code(&[HEADER, &[0x0a, 0x01, 0x80]].concat(), &limits).is_none());
        assert!(find_code(&[HEADER, &[0x01, 0x01, 0x00]].concat(), &limits).is_none());
        // More bodies than the limit on functions.
        let small = Limits {
            functions: 0,
            ..limits
        };
        assert!(find_code(&[HEADER, &body].concat(), &small).is_none());
        // Entries are not read here: one past its section is the walk's.
        assert!(find_code(&[HEADER, &[0x0a, 0x03, 0x01, 0x05, 0x00]].concat(), &limits).is_some());
    }

    /// The code section behind `SECTIONS_BEFORE_CODE - 1` custom sections
    /// is found; behind one more, it is left to the section pass.
    #[test]
    fn looks_at_a_bounded_number_of_sections() {
        let custom = [0x00, 0x02, 0x01, b'c'];
        let body = [0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b];
        for (customs, found) in [
            (SECTIONS_BEFORE_CODE - 1, true),
            (SECTIONS_BEFORE_CODE, false),
        ] {
            let mut module = HEADER.to_vec();
            for _ in 0..customs {
                module.extend(custom);
            }
            module.extend(body);
            let code = find_code(&module, &Limits::default());
            assert_eq!(code.is_some(), found, "{customs} custom sections");
        }
    }
}
