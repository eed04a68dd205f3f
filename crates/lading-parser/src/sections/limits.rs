//! The limits of tables and memories: a flags byte, a minimum and an
//! optional maximum, 32- or 64-bit.

use crate::{ErrorKind, Reader, Result};

/// Flag bit: a maximum follows the minimum.
pub(crate) const HAS_MAX: u8 = 0b0001;
/// Flag bit: the memory is shared between threads.
pub(crate) const SHARED: u8 = 0b0010;
/// Flag bit: the memory or table is indexed with 64-bit addresses.
pub(crate) const IS_64: u8 = 0b0100;
/// Flag bit: a custom page size follows the limits (memories only).
pub(crate) const CUSTOM_PAGE_SIZE: u8 = 0b1000;

/// Reads the flags byte of limits: `malformed limits flags` if any bit
/// outside `allowed` is set. Returns the flags.
pub(crate) fn read_limits_flags(reader: &mut Reader<'_>, allowed: u8) -> Result<u8> {
    let at = reader.position();
    let flags = reader.read_u8()?;
    if flags & !allowed != 0 {
        return Err(reader.error_at(ErrorKind::MalformedLimitsFlags, at));
    }
    Ok(flags)
}

/// Reads the minimum and the optional maximum that `flags` announce.
///
/// Both are read as `u64` LEB128 whatever the address type, as the
/// reference interpreter does: a 32-bit memory or table whose limits do not
/// fit 32 bits is well-formed, and invalid (validation's business).
pub(crate) fn read_min_max(reader: &mut Reader<'_>, flags: u8) -> Result<(u64, Option<u64>)> {
    let initial = reader.read_var_u64()?;
    let maximum = if flags & HAS_MAX != 0 {
        Some(reader.read_var_u64()?)
    } else {
        None
    };
    Ok((initial, maximum))
}
