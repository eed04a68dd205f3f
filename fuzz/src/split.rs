//! The split target: a body checked in two halves (`BodySplit`), at the
//! split point `BodySplit::new` picks and at any offset.

use lading_parser::{
    BodyRules, BodySplit, Features, FromReader, FunctionBody, Reader, check_code_entry,
};

/// `data`: two bytes of split offset, one byte of feature set, then the
/// instructions of a body without locals. When the head, the tail and the
/// join succeed, the summary is the one of checking the body in one piece;
/// a body that checks joins exactly at the instruction starts the
/// operators reader finds.
pub fn check_split(data: &[u8]) {
    let [a, b, f, code @ ..] = data else {
        return;
    };
    let features = match f % 3 {
        0 => Features::default(),
        1 => Features::WASM2,
        _ => Features::WASM1,
    };
    // The entry: its size, no locals, the instructions.
    let mut module = Vec::new();
    leb128::write::unsigned(&mut module, code.len() as u64 + 1).unwrap();
    let start = module.len() + 1;
    module.push(0x00);
    module.extend_from_slice(code);
    let rules = BodyRules::new(features);
    let whole = check_code_entry(&module, 0, module.len(), rules);
    let at = start + usize::from(u16::from_le_bytes([*a, *b])) % (code.len() + 1);
    let picked = BodySplit::new(&module, 0, module.len(), rules);
    let chosen = BodySplit::new_at(&module, 0, module.len(), rules, at);
    // Where instructions start, if the body checks.
    let starts: Option<Vec<usize>> = whole.is_ok().then(|| {
        let mut reader = Reader::new_in_section(&module, 0, features);
        let body = FunctionBody::from_reader(&mut reader).unwrap();
        let mut operators = body.operators_reader().unwrap();
        let mut starts = Vec::new();
        while !operators.is_finished() {
            starts.push(operators.offset());
            operators.next().unwrap().unwrap();
        }
        starts
    });
    for split in [picked, chosen].into_iter().flatten() {
        let head = split.check_head(&module);
        let tail = split.check_tail(&module);
        let joined = match (&head, &tail) {
            (Some(head), Some(tail)) => split.join(head, tail),
            _ => None,
        };
        if let Some(summary) = joined {
            assert_eq!(Ok(summary), whole, "split at {}", split.at());
        }
        if let Some(starts) = &starts {
            assert_eq!(
                joined.is_some(),
                starts.contains(&split.at()),
                "split at {}",
                split.at()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoke() {
        let inputs: &[&[u8]] = &[
            &[],
            &[0, 0, 0],
            // block; if; else; end; end; end, split at each offset
            &[0, 0, 0, 0x02, 0x40, 0x04, 0x40, 0x05, 0x0b, 0x0b, 0x0b],
            &[3, 0, 0, 0x02, 0x40, 0x04, 0x40, 0x05, 0x0b, 0x0b, 0x0b],
            &[5, 0, 1, 0x02, 0x40, 0x04, 0x40, 0x05, 0x0b, 0x0b, 0x0b],
            // else in a block, split after the block opens
            &[2, 0, 0, 0x02, 0x40, 0x05, 0x0b, 0x0b],
            // try; catch_all; end; end under every feature set
            &[2, 0, 2, 0x06, 0x40, 0x19, 0x0b, 0x0b],
            &[2, 0, 0, 0x06, 0x40, 0x19, 0x0b, 0x0b],
        ];
        for input in inputs {
            check_split(input);
        }
    }
}
