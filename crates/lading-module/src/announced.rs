//! How many item starts a module's index will hold, from its section
//! headers: room for all of them is reserved at once.

use lading_parser::leb128::read_u32_short;

use crate::Limits;

/// The most sections looked at: one of each standard section and many
/// custom ones. The index grows for any item beyond.
const SECTIONS_LOOKED_AT: usize = 64;

/// The number of items the sections of the module in `bytes` announce
/// (imports, functions, tables, memories, tags, globals, exports, element
/// and data segments; not types, whose section counts recursion groups,
/// and whose starts the index holds apart), each count capped
/// by its section's size, as every item takes a byte at least. A count
/// over its limit in `limits` counts for nothing: that load fails, and
/// nothing is reserved for its items. Section headers and counts alone
/// are read, among the first [`SECTIONS_LOOKED_AT`] sections, up to
/// anything that does not read: nothing here is trusted, it only sizes a
/// reservation (the section pass finds what is wrong).
pub(crate) fn announced_items(bytes: &[u8], limits: &Limits) -> usize {
    let mut pos = 8;
    let mut total = 0;
    for _ in 0..SECTIONS_LOOKED_AT {
        let Some(&id) = bytes.get(pos) else { break };
        pos += 1;
        let Ok(size) = read_u32_short(bytes, &mut pos) else {
            break;
        };
        let Some(end) = pos
            .checked_add(size as usize)
            .filter(|&end| end <= bytes.len())
        else {
            break;
        };
        let limit = match id {
            2 => limits.imports,
            3 => limits.functions,
            4 => limits.tables,
            5 => limits.memories,
            6 => limits.globals,
            7 => limits.exports,
            9 => limits.element_segments,
            11 => limits.data_segments,
            13 => limits.tags,
            _ => 0,
        };
        if limit > 0 {
            let contents = bytes.get(..end).unwrap_or_default();
            let mut at = pos;
            if let Ok(count) = read_u32_short(contents, &mut at)
                && count <= limit
            {
                total += (count as usize).min(size as usize);
            }
        }
        pos = end;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_item_sections_capped_by_their_sizes() {
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        module.extend([1, 4, 1, 0x60, 0, 0]); // type: not counted
        module.extend([3, 3, 2, 0, 0]); // function: 2
        module.extend([0, 2, 1, b'x']); // custom: not counted
        module.extend([7, 2, 200, 1]); // export: 200 announced, 2 bytes
        module.extend([10, 4, 1, 2, 0, 0x0b]); // code: not counted
        module.extend([11, 1, 0]); // data: 0
        let limits = Limits::default();
        assert_eq!(announced_items(&module, &limits), 2 + 2);
        // A count over its limit counts for nothing.
        let low = Limits {
            functions: 1,
            ..Limits::default()
        };
        assert_eq!(announced_items(&module, &low), 2);
        // Cut inside the last header: the sections before it still count.
        module.extend([6, 0x80]);
        assert_eq!(announced_items(&module, &limits), 4);
        // A section past the end is not counted.
        module.truncate(module.len() - 2);
        module.extend([6, 9, 3]);
        assert_eq!(announced_items(&module, &limits), 4);
        assert_eq!(announced_items(b"\0asm", &limits), 0);
    }
}
