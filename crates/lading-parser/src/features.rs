//! Which WebAssembly proposals the parser accepts.

use core::fmt;

/// A WebAssembly proposal whose encodings can be turned on or off.
///
/// Everything that was part of WebAssembly 1.0 is always on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
#[repr(u8)]
pub enum Proposal {
    /// Mutable imported and exported globals.
    MutableGlobal,
    /// Saturating float-to-int conversions (`0xFC 0x00..=0x07`).
    SaturatingFloatToInt,
    /// Sign-extension operators (`i32.extend8_s`, ...).
    SignExtension,
    /// Multiple results for functions and blocks.
    MultiValue,
    /// `funcref`/`externref`, multiple tables, table instructions.
    ReferenceTypes,
    /// Bulk memory and table operations, passive segments, data count.
    BulkMemory,
    /// 128-bit SIMD.
    Simd,
    /// Relaxed SIMD.
    RelaxedSimd,
    /// Shared memories and atomic instructions.
    Threads,
    /// Exception handling with `try_table` and `exnref`.
    Exceptions,
    /// The legacy exception handling (`try`, `catch`, `delegate`, `rethrow`).
    LegacyExceptions,
    /// Tail calls (`return_call`, ...).
    TailCall,
    /// Typed function references (`call_ref`, `(ref $t)`, `br_on_null`, ...).
    FunctionReferences,
    /// Garbage collection: structs, arrays, i31, subtyping, casts.
    Gc,
    /// 64-bit memories and tables.
    Memory64,
    /// More than one memory.
    MultiMemory,
    /// `i32.add` & co. in constant expressions.
    ExtendedConst,
    /// Memories with a page size other than 64 KiB.
    CustomPageSizes,
    /// 128-bit arithmetic (`i64.add128`, `i64.mul_wide_s`, ...).
    WideArithmetic,
}

impl Proposal {
    /// Every proposal, in declaration order.
    pub const ALL: [Proposal; 19] = [
        Proposal::MutableGlobal,
        Proposal::SaturatingFloatToInt,
        Proposal::SignExtension,
        Proposal::MultiValue,
        Proposal::ReferenceTypes,
        Proposal::BulkMemory,
        Proposal::Simd,
        Proposal::RelaxedSimd,
        Proposal::Threads,
        Proposal::Exceptions,
        Proposal::LegacyExceptions,
        Proposal::TailCall,
        Proposal::FunctionReferences,
        Proposal::Gc,
        Proposal::Memory64,
        Proposal::MultiMemory,
        Proposal::ExtendedConst,
        Proposal::CustomPageSizes,
        Proposal::WideArithmetic,
    ];

    /// The proposal's short name, e.g. `relaxed-simd`.
    pub const fn name(self) -> &'static str {
        match self {
            Proposal::MutableGlobal => "mutable-global",
            Proposal::SaturatingFloatToInt => "saturating-float-to-int",
            Proposal::SignExtension => "sign-extension",
            Proposal::MultiValue => "multi-value",
            Proposal::ReferenceTypes => "reference-types",
            Proposal::BulkMemory => "bulk-memory",
            Proposal::Simd => "simd",
            Proposal::RelaxedSimd => "relaxed-simd",
            Proposal::Threads => "threads",
            Proposal::Exceptions => "exceptions",
            Proposal::LegacyExceptions => "legacy-exceptions",
            Proposal::TailCall => "tail-call",
            Proposal::FunctionReferences => "function-references",
            Proposal::Gc => "gc",
            Proposal::Memory64 => "memory64",
            Proposal::MultiMemory => "multi-memory",
            Proposal::ExtendedConst => "extended-const",
            Proposal::CustomPageSizes => "custom-page-sizes",
            Proposal::WideArithmetic => "wide-arithmetic",
        }
    }

    /// Looks a proposal up by its [`name`](Proposal::name).
    pub fn from_name(name: &str) -> Option<Proposal> {
        Proposal::ALL.into_iter().find(|p| p.name() == name)
    }

    #[inline]
    const fn bit(self) -> u32 {
        1 << (self as u8)
    }
}

impl fmt::Display for Proposal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of enabled proposals. The default enables everything this parser
/// can decode.
///
/// ```
/// use lading_parser::{Features, Proposal};
/// let f = Features::default().without(Proposal::Simd);
/// assert!(!f.has(Proposal::Simd));
/// assert!(f.has(Proposal::Gc));
/// assert!(Features::WASM1.is_empty());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Features {
    bits: u32,
}

impl Features {
    /// Plain WebAssembly 1.0 with no proposal.
    pub const WASM1: Features = Features { bits: 0 };

    /// Every proposal this parser knows.
    pub const ALL: Features = {
        let mut bits = 0;
        let mut i = 0;
        while i < Proposal::ALL.len() {
            bits |= Proposal::ALL[i].bit();
            i += 1;
        }
        Features { bits }
    };

    /// WebAssembly 2.0: 1.0 plus mutable globals, sign extension, saturating
    /// conversions, multi-value, reference types, bulk memory and SIMD.
    pub const WASM2: Features = Features::WASM1
        .with(Proposal::MutableGlobal)
        .with(Proposal::SaturatingFloatToInt)
        .with(Proposal::SignExtension)
        .with(Proposal::MultiValue)
        .with(Proposal::ReferenceTypes)
        .with(Proposal::BulkMemory)
        .with(Proposal::Simd);

    /// One bit per enabled proposal, `1 << (proposal as u8)`.
    #[inline]
    pub(crate) const fn bits(self) -> u32 {
        self.bits
    }

    /// Whether `proposal` is enabled.
    #[inline]
    pub const fn has(self, proposal: Proposal) -> bool {
        self.bits & proposal.bit() != 0
    }

    /// This set with `proposal` enabled.
    #[must_use]
    pub const fn with(self, proposal: Proposal) -> Features {
        Features {
            bits: self.bits | proposal.bit(),
        }
    }

    /// This set with `proposal` disabled.
    #[must_use]
    pub const fn without(self, proposal: Proposal) -> Features {
        Features {
            bits: self.bits & !proposal.bit(),
        }
    }

    /// Whether no proposal is enabled.
    pub const fn is_empty(self) -> bool {
        self.bits == 0
    }

    /// The enabled proposals, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Proposal> {
        Proposal::ALL.into_iter().filter(move |p| self.has(*p))
    }
}

impl Default for Features {
    fn default() -> Features {
        Features::ALL
    }
}

impl fmt::Debug for Features {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for p in Proposal::ALL {
            assert_eq!(Proposal::from_name(p.name()), Some(p));
        }
        assert_eq!(Proposal::from_name("nope"), None);
        assert_eq!(Features::ALL.iter().count(), Proposal::ALL.len());
    }

    #[test]
    fn with_and_without() {
        let f = Features::WASM1.with(Proposal::Gc);
        assert!(f.has(Proposal::Gc) && !f.has(Proposal::Simd));
        assert!(f.without(Proposal::Gc).is_empty());
        assert!(Features::WASM2.has(Proposal::Simd));
        assert!(!Features::WASM2.has(Proposal::Threads));
    }
}
