//! What every function body is checked under, and checking the bodies of
//! known entries.

use std::ops::Range;

use lading_parser::{
    BodyRules, BodySummary, CompositeType, Error, ErrorKind, FromReader, Reader, SubType,
    check_code_entry,
};

use crate::{LimitExceeded, LoadError};

/// The function bodies of a module to check: where each entry (its size
/// prefix) starts, if known, where the code section's contents end, and
/// the rules and limits every body is checked under.
pub(crate) struct Bodies<'a> {
    pub bytes: &'a [u8],
    pub entries: &'a [u32],
    pub section_end: usize,
    /// What every body is checked under.
    pub rules: BodyRules,
    /// The type index of every body's function.
    pub function_types: &'a [u32],
    /// Where every type (subtype) starts in `bytes`.
    pub type_offsets: &'a [u32],
    /// The most parameters a function type may have (checked when the
    /// types were indexed).
    pub max_params: u32,
    /// The most locals (parameters included) a body may have.
    pub max_locals: u64,
}

impl<'a> Bodies<'a> {
    /// Checks the bodies of `entries[range]` in order; returns the total
    /// instruction count or the first error.
    pub fn check_range(&self, range: Range<usize>) -> Result<BodySummary, LoadError> {
        let mut total = BodySummary {
            locals: 0,
            instructions: 0,
        };
        let first = range.start;
        for (i, &entry) in self
            .entries
            .get(range)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let summary = self.check_entry(first + i, entry as usize)?;
            total.locals += summary.locals;
            total.instructions += summary.instructions;
        }
        Ok(total)
    }

    /// Checks body `i`, whose code section entry starts at `entry`: its
    /// summary, within the limits.
    #[inline(always)]
    pub fn check_entry(&self, i: usize, entry: usize) -> Result<BodySummary, LoadError> {
        let summary = check_code_entry(self.bytes, entry, self.section_end, self.rules)
            .map_err(|e| self.limit_of(e))?;
        self.admit(i, entry, summary)
    }

    /// The summary of body `i` (its entry at `entry`), if its locals and
    /// its function's parameters are within the limit on locals.
    #[inline(always)]
    pub fn admit(
        &self,
        i: usize,
        entry: usize,
        summary: BodySummary,
    ) -> Result<BodySummary, LoadError> {
        // Below the limit whatever the parameters (at most `max_params`):
        // the function's type is decoded only near it.
        if summary.locals > self.max_locals.saturating_sub(self.max_params.into())
            && summary.locals > self.max_locals.saturating_sub(self.params(i))
        {
            return Err(LimitExceeded {
                what: "local count",
                limit: self.max_locals,
                value: summary.locals.saturating_add(self.params(i)),
                offset: Some(entry),
            }
            .into());
        }
        Ok(summary)
    }

    /// The error of a body: the `br_table` bound the parser was given is
    /// the `br_table targets` limit; anything else is malformed.
    pub fn limit_of(&self, e: Error) -> LoadError {
        match e.kind() {
            ErrorKind::TooManyBrTableTargets { count } => LimitExceeded {
                what: "br_table target count",
                limit: self.rules.max_br_table_targets.into(),
                value: count.into(),
                offset: Some(e.offset()),
            }
            .into(),
            _ => e.into(),
        }
    }

    /// The parameter count of body `i`'s function, when its type is a
    /// function type of the module (0 otherwise).
    fn params(&self, i: usize) -> u64 {
        let ty = self.function_types.get(i).copied().unwrap_or(u32::MAX);
        let Some(&at) = self.type_offsets.get(ty as usize) else {
            return 0;
        };
        let at = at as usize;
        let mut reader = Reader::new_in_section(
            self.bytes.get(at..).unwrap_or_default(),
            at,
            self.rules.features,
        );
        // The type decoded when it was indexed.
        match SubType::from_reader(&mut reader).map(|sub| sub.composite) {
            Ok(CompositeType::Func(f)) => f.params().len().into(),
            _ => 0,
        }
    }
}
