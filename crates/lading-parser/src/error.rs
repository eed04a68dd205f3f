//! The one error type of the parser: an absolute byte offset and a kind.

use core::fmt;

use crate::Proposal;

/// A decoding error: where it happened (absolute byte offset in the module)
/// and what went wrong.
///
/// `Display` prints the message the WebAssembly specification's reference
/// interpreter uses for the same defect, so it can be matched against the
/// spec test suite's `assert_malformed` expectations. The error is `Copy`,
/// never allocates, and is 16 bytes large.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Error {
    offset: usize,
    kind: ErrorKind,
}

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// Creates an error of `kind` at absolute byte `offset`.
    #[cold]
    #[inline(never)]
    pub fn new(kind: ErrorKind, offset: usize) -> Error {
        Error { offset, kind }
    }

    /// The absolute byte offset in the module where the defect was found.
    #[inline]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What went wrong.
    #[inline]
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The spec's message for this error, without the offset.
    pub fn message(&self) -> ErrorMessage {
        ErrorMessage(self.kind)
    }
}

/// The spec message of an [`ErrorKind`], formatted without allocating.
///
/// Returned by [`Error::message`]; `Display` prints e.g. `unexpected end`.
#[derive(Clone, Copy, Debug)]
pub struct ErrorMessage(ErrorKind);

impl fmt::Display for ErrorMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {:#x})", self.kind, self.offset)
    }
}

impl core::error::Error for Error {}

/// What went wrong while decoding. `Display` prints the spec's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ended in the middle of the module's top-level structure.
    UnexpectedEnd,
    /// The input ended inside a section or a function body.
    UnexpectedEndOfSectionOrFunction,
    /// A LEB128 integer used more bytes than its type allows.
    IntegerRepresentationTooLong,
    /// A LEB128 integer's value does not fit its type.
    IntegerTooLarge,
    /// The first four bytes are not `\0asm`.
    MagicHeaderNotDetected,
    /// The version field is not 1.
    UnknownBinaryVersion,
    /// The header announces a component-model binary (layer 1).
    ComponentNotSupported,
    /// A section id is not one of the known ids.
    MalformedSectionId,
    /// A section's contents did not end exactly at its declared size.
    SectionSizeMismatch,
    /// A length or size runs past the end of the enclosing data.
    LengthOutOfBounds,
    /// A section appears after the section that must follow it, or twice.
    UnexpectedContentAfterLastSection,
    /// The function and code sections declare different numbers of functions.
    FunctionAndCodeInconsistentLengths,
    /// The data count and data sections declare different numbers of segments.
    DataCountAndDataInconsistentLengths,
    /// `memory.init` or `data.drop` was used without a data count section.
    DataCountSectionRequired,
    /// A name is not valid UTF-8.
    MalformedUtf8,
    /// An import descriptor has an unknown kind byte.
    MalformedImportKind,
    /// An export descriptor has an unknown kind byte.
    MalformedExportKind,
    /// A limits flags byte has unknown bits set.
    MalformedLimitsFlags,
    /// A custom page size is not a power of two up to 65536.
    InvalidCustomPageSize,
    /// A global's mutability byte is neither 0 nor 1.
    MalformedMutability,
    /// A value type byte is not a known value type.
    MalformedValueType,
    /// A reference type byte is not a known reference type.
    MalformedReferenceType,
    /// A heap type is not a known abstract heap type or a type index.
    MalformedHeapType,
    /// A storage type (struct or array field) is malformed.
    MalformedStorageType,
    /// A composite type's form byte is not `func`, `struct` or `array`.
    MalformedCompositeType,
    /// A memory instruction's alignment flags are out of range.
    MalformedMemopFlags,
    /// An element segment's flags are out of range.
    MalformedElementsSegmentKind,
    /// An element segment's element kind byte is not 0x00.
    MalformedElementKind,
    /// A data segment's flags are out of range.
    MalformedDataSegmentKind,
    /// A tag's attribute byte is not 0x00.
    MalformedTagAttribute,
    /// A block type is malformed.
    MalformedBlockType,
    /// A `try_table` catch clause has an unknown kind byte.
    MalformedCatchClause,
    /// A cast instruction's flags byte has unknown bits set.
    MalformedCastFlags,
    /// A function declares more than 2^32 - 1 locals in total.
    TooManyLocals,
    /// A `br_table` has more targets than the maximum the body was checked
    /// with ([`crate::FunctionBody::with_max_br_table_targets`]): not a
    /// defect of the binary format, a bound a loader sets. Carries the
    /// target count; the offset is the count's.
    TooManyBrTableTargets {
        /// The number of targets (the default label not counted).
        count: u32,
    },
    /// An opcode is not a known instruction. Carries the prefix byte (0 if
    /// none) and the opcode.
    IllegalOpcode {
        /// The prefix byte (0xFB..0xFE), or 0 for a one-byte opcode.
        prefix: u8,
        /// The opcode (after the prefix).
        code: u32,
    },
    /// A reserved immediate byte is not zero.
    ZeroByteExpected,
    /// A function body or constant expression does not end with `end`.
    EndOpcodeExpected,
    /// An encoding of a proposal that is disabled in [`crate::Features`].
    FeatureDisabled(Proposal),
    /// A `name` section subsection id is not greater than the previous one
    /// (each subsection occurs at most once, in increasing id order).
    NameSubsectionOutOfOrder,
    /// An index in a `name` section name map is not greater than the
    /// previous one (indices are unique and in increasing order).
    NameIndexOutOfOrder,
    /// A `producers` section field name is not `language`, `processed-by`
    /// or `sdk`.
    MalformedProducersField,
    /// A `target_features` section prefix byte is not `+`, `-` or `=`.
    MalformedTargetFeaturePrefix,
    /// A branch hint's size is not 1 or its value is neither 0 nor 1.
    MalformedBranchHint,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        let message = match *self {
            UnexpectedEnd => "unexpected end",
            UnexpectedEndOfSectionOrFunction => "unexpected end of section or function",
            IntegerRepresentationTooLong => "integer representation too long",
            IntegerTooLarge => "integer too large",
            MagicHeaderNotDetected => "magic header not detected",
            UnknownBinaryVersion => "unknown binary version",
            ComponentNotSupported => {
                "unknown binary version: component model binaries are not supported"
            }
            MalformedSectionId => "malformed section id",
            SectionSizeMismatch => "section size mismatch",
            LengthOutOfBounds => "length out of bounds",
            UnexpectedContentAfterLastSection => "unexpected content after last section",
            FunctionAndCodeInconsistentLengths => {
                "function and code section have inconsistent lengths"
            }
            DataCountAndDataInconsistentLengths => {
                "data count and data section have inconsistent lengths"
            }
            DataCountSectionRequired => "data count section required",
            MalformedUtf8 => "malformed UTF-8 encoding",
            MalformedImportKind => "malformed import kind",
            MalformedExportKind => "malformed export kind",
            MalformedLimitsFlags => "malformed limits flags",
            InvalidCustomPageSize => "invalid custom page size",
            MalformedMutability => "malformed mutability",
            MalformedValueType => "malformed value type",
            MalformedReferenceType => "malformed reference type",
            MalformedHeapType => "malformed heap type",
            MalformedStorageType => "malformed storage type",
            MalformedCompositeType => "malformed composite type",
            MalformedMemopFlags => "malformed memop flags",
            MalformedElementsSegmentKind => "malformed elements segment kind",
            MalformedElementKind => "malformed element kind",
            MalformedDataSegmentKind => "malformed data segment kind",
            MalformedTagAttribute => "malformed tag attribute",
            MalformedBlockType => "malformed block type",
            MalformedCatchClause => "malformed catch clause",
            MalformedCastFlags => "malformed cast flags",
            TooManyLocals => "too many locals",
            TooManyBrTableTargets { .. } => "too many br_table targets",
            IllegalOpcode { prefix: 0, code } => return write!(f, "illegal opcode {code:02x}"),
            IllegalOpcode { prefix, code } => {
                return write!(f, "illegal opcode {prefix:02x} {code:02x}");
            }
            ZeroByteExpected => "zero byte expected",
            EndOpcodeExpected => "END opcode expected",
            FeatureDisabled(p) => return write!(f, "{} support is not enabled", p.name()),
            NameSubsectionOutOfOrder => "out of order name subsection",
            NameIndexOutOfOrder => "out of order name index",
            MalformedProducersField => "malformed producers field name",
            MalformedTargetFeaturePrefix => "malformed target feature prefix",
            MalformedBranchHint => "malformed branch hint",
        };
        f.write_str(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_small_and_copy() {
        assert_eq!(core::mem::size_of::<Error>(), 16);
        fn is_copy<T: Copy + Send + Sync + 'static>() {}
        is_copy::<Error>();
    }

    #[test]
    fn display_is_the_spec_message() {
        let e = Error::new(ErrorKind::IntegerTooLarge, 12);
        assert_eq!(e.message().to_string(), "integer too large");
        assert_eq!(e.to_string(), "integer too large (at offset 0xc)");
        let e = Error::new(
            ErrorKind::IllegalOpcode {
                prefix: 0,
                code: 0xff,
            },
            0,
        );
        assert_eq!(e.message().to_string(), "illegal opcode ff");
        let e = Error::new(
            ErrorKind::IllegalOpcode {
                prefix: 0xfc,
                code: 0x20,
            },
            0,
        );
        assert_eq!(e.message().to_string(), "illegal opcode fc 20");
    }
}
