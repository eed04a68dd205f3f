//! Instructions in the WebAssembly text format: mnemonic and immediates,
//! as `lading dump` prints them.

use std::fmt::{self, Write};

use lading::parser::{
    AbstractHeapType, BlockType, Catch, HeapType, Ieee32, Ieee64, MemArg, Operator, RefType,
    ValType,
};

/// Writes `op` as the text format writes it: `i32.load offset=8 align=4`,
/// `br_table 0 1 2`, `block (result i32)`, `f32.const 0x1p-1`...
///
/// Indices are numbers; a memory index is printed only when it is not 0,
/// a table index always (but `call_indirect`'s only when it is not 0);
/// `align` is in bytes and always printed, `offset` when it is not 0.
pub fn write_operator(out: &mut String, op: &Operator<'_>) -> fmt::Result {
    out.push_str(op.name());
    match op {
        Operator::I32Load { memarg }
        | Operator::I64Load { memarg }
        | Operator::F32Load { memarg }
        | Operator::F64Load { memarg }
        | Operator::I32Load8S { memarg }
        | Operator::I32Load8U { memarg }
        | Operator::I32Load16S { memarg }
        | Operator::I32Load16U { memarg }
        | Operator::I64Load8S { memarg }
        | Operator::I64Load8U { memarg }
        | Operator::I64Load16S { memarg }
        | Operator::I64Load16U { memarg }
        | Operator::I64Load32S { memarg }
        | Operator::I64Load32U { memarg }
        | Operator::I32Store { memarg }
        | Operator::I64Store { memarg }
        | Operator::F32Store { memarg }
        | Operator::F64Store { memarg }
        | Operator::I32Store8 { memarg }
        | Operator::I32Store16 { memarg }
        | Operator::I64Store8 { memarg }
        | Operator::I64Store16 { memarg }
        | Operator::I64Store32 { memarg }
        | Operator::V128Load { memarg }
        | Operator::V128Load8x8S { memarg }
        | Operator::V128Load8x8U { memarg }
        | Operator::V128Load16x4S { memarg }
        | Operator::V128Load16x4U { memarg }
        | Operator::V128Load32x2S { memarg }
        | Operator::V128Load32x2U { memarg }
        | Operator::V128Load8Splat { memarg }
        | Operator::V128Load16Splat { memarg }
        | Operator::V128Load32Splat { memarg }
        | Operator::V128Load64Splat { memarg }
        | Operator::V128Store { memarg }
        | Operator::V128Load32Zero { memarg }
        | Operator::V128Load64Zero { memarg }
        | Operator::MemoryAtomicNotify { memarg }
        | Operator::MemoryAtomicWait32 { memarg }
        | Operator::MemoryAtomicWait64 { memarg }
        | Operator::I32AtomicLoad { memarg }
        | Operator::I64AtomicLoad { memarg }
        | Operator::I32AtomicLoad8U { memarg }
        | Operator::I32AtomicLoad16U { memarg }
        | Operator::I64AtomicLoad8U { memarg }
        | Operator::I64AtomicLoad16U { memarg }
        | Operator::I64AtomicLoad32U { memarg }
        | Operator::I32AtomicStore { memarg }
        | Operator::I64AtomicStore { memarg }
        | Operator::I32AtomicStore8 { memarg }
        | Operator::I32AtomicStore16 { memarg }
        | Operator::I64AtomicStore8 { memarg }
        | Operator::I64AtomicStore16 { memarg }
        | Operator::I64AtomicStore32 { memarg }
        | Operator::I32AtomicRmwAdd { memarg }
        | Operator::I64AtomicRmwAdd { memarg }
        | Operator::I32AtomicRmw8AddU { memarg }
        | Operator::I32AtomicRmw16AddU { memarg }
        | Operator::I64AtomicRmw8AddU { memarg }
        | Operator::I64AtomicRmw16AddU { memarg }
        | Operator::I64AtomicRmw32AddU { memarg }
        | Operator::I32AtomicRmwSub { memarg }
        | Operator::I64AtomicRmwSub { memarg }
        | Operator::I32AtomicRmw8SubU { memarg }
        | Operator::I32AtomicRmw16SubU { memarg }
        | Operator::I64AtomicRmw8SubU { memarg }
        | Operator::I64AtomicRmw16SubU { memarg }
        | Operator::I64AtomicRmw32SubU { memarg }
        | Operator::I32AtomicRmwAnd { memarg }
        | Operator::I64AtomicRmwAnd { memarg }
        | Operator::I32AtomicRmw8AndU { memarg }
        | Operator::I32AtomicRmw16AndU { memarg }
        | Operator::I64AtomicRmw8AndU { memarg }
        | Operator::I64AtomicRmw16AndU { memarg }
        | Operator::I64AtomicRmw32AndU { memarg }
        | Operator::I32AtomicRmwOr { memarg }
        | Operator::I64AtomicRmwOr { memarg }
        | Operator::I32AtomicRmw8OrU { memarg }
        | Operator::I32AtomicRmw16OrU { memarg }
        | Operator::I64AtomicRmw8OrU { memarg }
        | Operator::I64AtomicRmw16OrU { memarg }
        | Operator::I64AtomicRmw32OrU { memarg }
        | Operator::I32AtomicRmwXor { memarg }
        | Operator::I64AtomicRmwXor { memarg }
        | Operator::I32AtomicRmw8XorU { memarg }
        | Operator::I32AtomicRmw16XorU { memarg }
        | Operator::I64AtomicRmw8XorU { memarg }
        | Operator::I64AtomicRmw16XorU { memarg }
        | Operator::I64AtomicRmw32XorU { memarg }
        | Operator::I32AtomicRmwXchg { memarg }
        | Operator::I64AtomicRmwXchg { memarg }
        | Operator::I32AtomicRmw8XchgU { memarg }
        | Operator::I32AtomicRmw16XchgU { memarg }
        | Operator::I64AtomicRmw8XchgU { memarg }
        | Operator::I64AtomicRmw16XchgU { memarg }
        | Operator::I64AtomicRmw32XchgU { memarg }
        | Operator::I32AtomicRmwCmpxchg { memarg }
        | Operator::I64AtomicRmwCmpxchg { memarg }
        | Operator::I32AtomicRmw8CmpxchgU { memarg }
        | Operator::I32AtomicRmw16CmpxchgU { memarg }
        | Operator::I64AtomicRmw8CmpxchgU { memarg }
        | Operator::I64AtomicRmw16CmpxchgU { memarg }
        | Operator::I64AtomicRmw32CmpxchgU { memarg } => write_memarg(out, memarg),
        Operator::I8x16ExtractLaneS { lane }
        | Operator::I8x16ExtractLaneU { lane }
        | Operator::I8x16ReplaceLane { lane }
        | Operator::I16x8ExtractLaneS { lane }
        | Operator::I16x8ExtractLaneU { lane }
        | Operator::I16x8ReplaceLane { lane }
        | Operator::I32x4ExtractLane { lane }
        | Operator::I32x4ReplaceLane { lane }
        | Operator::I64x2ExtractLane { lane }
        | Operator::I64x2ReplaceLane { lane }
        | Operator::F32x4ExtractLane { lane }
        | Operator::F32x4ReplaceLane { lane }
        | Operator::F64x2ExtractLane { lane }
        | Operator::F64x2ReplaceLane { lane } => write!(out, " {lane}"),
        Operator::V128Load8Lane { memarg, lane }
        | Operator::V128Load16Lane { memarg, lane }
        | Operator::V128Load32Lane { memarg, lane }
        | Operator::V128Load64Lane { memarg, lane }
        | Operator::V128Store8Lane { memarg, lane }
        | Operator::V128Store16Lane { memarg, lane }
        | Operator::V128Store32Lane { memarg, lane }
        | Operator::V128Store64Lane { memarg, lane } => {
            write_memarg(out, memarg)?;
            write!(out, " {lane}")
        }
        Operator::Catch { tag_index: index }
        | Operator::Throw { tag_index: index }
        | Operator::Rethrow {
            relative_depth: index,
        }
        | Operator::Br {
            relative_depth: index,
        }
        | Operator::BrIf {
            relative_depth: index,
        }
        | Operator::Delegate {
            relative_depth: index,
        }
        | Operator::BrOnNull {
            relative_depth: index,
        }
        | Operator::BrOnNonNull {
            relative_depth: index,
        }
        | Operator::Call {
            function_index: index,
        }
        | Operator::ReturnCall {
            function_index: index,
        }
        | Operator::RefFunc {
            function_index: index,
        }
        | Operator::CallRef { type_index: index }
        | Operator::ReturnCallRef { type_index: index }
        | Operator::LocalGet { local_index: index }
        | Operator::LocalSet { local_index: index }
        | Operator::LocalTee { local_index: index }
        | Operator::GlobalGet {
            global_index: index,
        }
        | Operator::GlobalSet {
            global_index: index,
        }
        | Operator::TableGet { table: index }
        | Operator::TableSet { table: index }
        | Operator::TableGrow { table: index }
        | Operator::TableSize { table: index }
        | Operator::TableFill { table: index }
        | Operator::StructNew {
            struct_type_index: index,
        }
        | Operator::StructNewDefault {
            struct_type_index: index,
        }
        | Operator::ArrayNew {
            array_type_index: index,
        }
        | Operator::ArrayNewDefault {
            array_type_index: index,
        }
        | Operator::ArrayGet {
            array_type_index: index,
        }
        | Operator::ArrayGetS {
            array_type_index: index,
        }
        | Operator::ArrayGetU {
            array_type_index: index,
        }
        | Operator::ArraySet {
            array_type_index: index,
        }
        | Operator::ArrayFill {
            array_type_index: index,
        }
        | Operator::DataDrop { data_index: index }
        | Operator::ElemDrop { elem_index: index } => write!(out, " {index}"),
        Operator::StructGet {
            struct_type_index: a,
            field_index: b,
        }
        | Operator::StructGetS {
            struct_type_index: a,
            field_index: b,
        }
        | Operator::StructGetU {
            struct_type_index: a,
            field_index: b,
        }
        | Operator::StructSet {
            struct_type_index: a,
            field_index: b,
        }
        | Operator::ArrayNewData {
            array_type_index: a,
            array_data_index: b,
        }
        | Operator::ArrayInitData {
            array_type_index: a,
            array_data_index: b,
        }
        | Operator::ArrayNewElem {
            array_type_index: a,
            array_elem_index: b,
        }
        | Operator::ArrayInitElem {
            array_type_index: a,
            array_elem_index: b,
        }
        | Operator::ArrayNewFixed {
            array_type_index: a,
            array_size: b,
        }
        | Operator::ArrayCopy {
            array_type_index_dst: a,
            array_type_index_src: b,
        }
        | Operator::TableCopy {
            dst_table: a,
            src_table: b,
        }
        | Operator::TableInit {
            table: a,
            elem_index: b,
        } => write!(out, " {a} {b}"),
        Operator::CallIndirect {
            type_index,
            table_index,
        }
        | Operator::ReturnCallIndirect {
            type_index,
            table_index,
        } => {
            if *table_index != 0 {
                write!(out, " {table_index}")?;
            }
            write!(out, " (type {type_index})")
        }
        Operator::MemorySize { memory }
        | Operator::MemoryGrow { memory }
        | Operator::MemoryFill { memory } => nonzero(out, *memory),
        Operator::MemoryInit { data_index, memory } => {
            nonzero(out, *memory)?;
            write!(out, " {data_index}")
        }
        Operator::MemoryCopy {
            dst_memory,
            src_memory,
        } => {
            if *dst_memory != 0 || *src_memory != 0 {
                write!(out, " {dst_memory} {src_memory}")?;
            }
            Ok(())
        }
        Operator::Block { blockty }
        | Operator::Loop { blockty }
        | Operator::If { blockty }
        | Operator::Try { blockty } => write_block_type(out, *blockty),
        Operator::RefNull { heap_type } => {
            out.push(' ');
            write_heap_type(out, *heap_type)
        }
        Operator::RefTestNonNull { heap_type } | Operator::RefCastNonNull { heap_type } => {
            out.push(' ');
            write_ref_type(out, ref_type(false, *heap_type))
        }
        Operator::RefTestNullable { heap_type } | Operator::RefCastNullable { heap_type } => {
            out.push(' ');
            write_ref_type(out, ref_type(true, *heap_type))
        }
        Operator::BrOnCast { cast } | Operator::BrOnCastFail { cast } => {
            write!(out, " {} ", cast.relative_depth)?;
            write_ref_type(out, cast.from)?;
            out.push(' ');
            write_ref_type(out, cast.to)
        }
        Operator::BrTable { targets } => {
            for target in targets.targets() {
                // The targets were checked when the instruction was read.
                let Ok(target) = target else { break };
                write!(out, " {target}")?;
            }
            write!(out, " {}", targets.default())
        }
        Operator::TypedSelect { tys } => {
            out.push_str(" (result");
            for ty in tys.types() {
                let Ok(ty) = ty else { break };
                out.push(' ');
                write_val_type(out, ty)?;
            }
            out.push(')');
            Ok(())
        }
        Operator::TryTable { try_table } => {
            write_block_type(out, try_table.blockty)?;
            for catch in try_table.catches() {
                let Ok(catch) = catch else { break };
                match catch {
                    Catch::One { tag, label } => write!(out, " (catch {tag} {label})")?,
                    Catch::OneRef { tag, label } => write!(out, " (catch_ref {tag} {label})")?,
                    Catch::All { label } => write!(out, " (catch_all {label})")?,
                    Catch::AllRef { label } => write!(out, " (catch_all_ref {label})")?,
                }
            }
            Ok(())
        }
        Operator::I32Const { value } => write!(out, " {value}"),
        Operator::I64Const { value } => write!(out, " {value}"),
        Operator::F32Const { value } => {
            out.push(' ');
            write_f32(out, *value)
        }
        Operator::F64Const { value } => {
            out.push(' ');
            write_f64(out, *value)
        }
        Operator::V128Const { value } => {
            out.push_str(" i32x4");
            for lane in value.0.chunks_exact(4) {
                let bytes = [lane[0], lane[1], lane[2], lane[3]];
                write!(out, " 0x{:08x}", u32::from_le_bytes(bytes))?;
            }
            Ok(())
        }
        Operator::I8x16Shuffle { lanes } => {
            for lane in lanes {
                write!(out, " {lane}")?;
            }
            Ok(())
        }
        // `atomic.fence`'s ordering byte is always 0 (seq_cst), which the
        // text format does not write; every other instruction has no
        // immediate.
        _ => Ok(()),
    }
}

/// ` N` when `index` is not 0.
fn nonzero(out: &mut String, index: u32) -> fmt::Result {
    if index != 0 {
        write!(out, " {index}")?;
    }
    Ok(())
}

fn write_memarg(out: &mut String, memarg: &MemArg) -> fmt::Result {
    nonzero(out, memarg.memory)?;
    if memarg.offset != 0 {
        write!(out, " offset={}", memarg.offset)?;
    }
    // The alignment is a power of two up to 2^63.
    write!(out, " align={}", 1u128 << memarg.align.min(127))
}

fn write_block_type(out: &mut String, blockty: BlockType) -> fmt::Result {
    match blockty {
        BlockType::Empty => Ok(()),
        BlockType::Type(ty) => {
            out.push_str(" (result ");
            write_val_type(out, ty)?;
            out.push(')');
            Ok(())
        }
        BlockType::FuncType(index) => write!(out, " (type {index})"),
    }
}

fn ref_type(nullable: bool, heap_type: HeapType) -> RefType {
    RefType {
        nullable,
        heap_type,
    }
}

/// A value type: `i32`, `v128`, `funcref`, `(ref null 3)`...
pub fn write_val_type(out: &mut String, ty: ValType) -> fmt::Result {
    match ty {
        ValType::I32 => out.push_str("i32"),
        ValType::I64 => out.push_str("i64"),
        ValType::F32 => out.push_str("f32"),
        ValType::F64 => out.push_str("f64"),
        ValType::V128 => out.push_str("v128"),
        ValType::Ref(rt) => return write_ref_type(out, rt),
    }
    Ok(())
}

/// A reference type: the shorthand (`funcref`) for a nullable abstract
/// heap type, else `(ref null? ht)`.
fn write_ref_type(out: &mut String, rt: RefType) -> fmt::Result {
    use AbstractHeapType as A;
    if rt.nullable
        && let HeapType::Abstract(ht) = rt.heap_type
    {
        let short = match ht {
            A::Func => "funcref",
            A::Extern => "externref",
            A::Any => "anyref",
            A::Eq => "eqref",
            A::I31 => "i31ref",
            A::Struct => "structref",
            A::Array => "arrayref",
            A::Exn => "exnref",
            A::None => "nullref",
            A::NoFunc => "nullfuncref",
            A::NoExtern => "nullexternref",
            A::NoExn => "nullexnref",
        };
        out.push_str(short);
        return Ok(());
    }
    out.push_str(if rt.nullable { "(ref null " } else { "(ref " });
    write_heap_type(out, rt.heap_type)?;
    out.push(')');
    Ok(())
}

fn write_heap_type(out: &mut String, ht: HeapType) -> fmt::Result {
    use AbstractHeapType as A;
    let name = match ht {
        HeapType::Concrete(index) => return write!(out, "{index}"),
        HeapType::Abstract(A::Func) => "func",
        HeapType::Abstract(A::Extern) => "extern",
        HeapType::Abstract(A::Any) => "any",
        HeapType::Abstract(A::Eq) => "eq",
        HeapType::Abstract(A::I31) => "i31",
        HeapType::Abstract(A::Struct) => "struct",
        HeapType::Abstract(A::Array) => "array",
        HeapType::Abstract(A::Exn) => "exn",
        HeapType::Abstract(A::None) => "none",
        HeapType::Abstract(A::NoFunc) => "nofunc",
        HeapType::Abstract(A::NoExtern) => "noextern",
        HeapType::Abstract(A::NoExn) => "noexn",
    };
    out.push_str(name);
    Ok(())
}

/// A float by its bits, in a form the text format reads back to the same
/// bits: the shortest decimal that rounds to it, `inf`, or `nan` with its
/// payload unless it is the canonical one (`nan:0x200000`).
fn write_float(out: &mut String, sign: bool, body: FloatBody) -> fmt::Result {
    if sign {
        out.push('-');
    }
    match body {
        FloatBody::Finite(text) => out.push_str(&text),
        FloatBody::Infinite => out.push_str("inf"),
        FloatBody::Nan { payload, canonical } => {
            out.push_str("nan");
            if payload != canonical {
                write!(out, ":0x{payload:x}")?;
            }
        }
    }
    Ok(())
}

enum FloatBody {
    Finite(String),
    Infinite,
    Nan { payload: u64, canonical: u64 },
}

fn write_f32(out: &mut String, value: Ieee32) -> fmt::Result {
    let bits = value.0;
    let sign = bits >> 31 != 0;
    let magnitude = f32::from_bits(bits & 0x7fff_ffff);
    let payload = u64::from(bits & 0x007f_ffff);
    let body = if magnitude.is_nan() {
        FloatBody::Nan {
            payload,
            canonical: 0x40_0000,
        }
    } else if magnitude.is_infinite() {
        FloatBody::Infinite
    } else {
        // `{:?}` prints the shortest decimal that reads back to the same
        // value (`1.0`, `0.1`, `1e-45`), which the text format accepts.
        FloatBody::Finite(format!("{magnitude:?}"))
    };
    write_float(out, sign, body)
}

fn write_f64(out: &mut String, value: Ieee64) -> fmt::Result {
    let bits = value.0;
    let sign = bits >> 63 != 0;
    let magnitude = f64::from_bits(bits & 0x7fff_ffff_ffff_ffff);
    let payload = bits & 0x000f_ffff_ffff_ffff;
    let body = if magnitude.is_nan() {
        FloatBody::Nan {
            payload,
            canonical: 0x8_0000_0000_0000,
        }
    } else if magnitude.is_infinite() {
        FloatBody::Infinite
    } else {
        FloatBody::Finite(format!("{magnitude:?}"))
    };
    write_float(out, sign, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lading::Features;
    use lading::parser::{FromReader, Reader};

    /// Decodes one instruction from `bytes` and writes it.
    fn text(bytes: &[u8]) -> String {
        let mut reader = Reader::new_in_section(bytes, 0, Features::ALL);
        let op = Operator::from_reader(&mut reader).expect("a valid instruction");
        let mut out = String::new();
        write_operator(&mut out, &op).expect("formatting a String");
        out
    }

    #[test]
    fn immediates_in_text_format() {
        // i32.load, flags 0x42 (align 2^2, memory index follows), memory 1,
        // offset 8
        assert_eq!(
            text(&[0x28, 0x42, 0x01, 0x08]),
            "i32.load 1 offset=8 align=4"
        );
        // i64.store align 2^3, offset 0
        assert_eq!(text(&[0x37, 0x03, 0x00]), "i64.store align=8");
        // br_table with targets 0 1 and default 2
        assert_eq!(text(&[0x0e, 0x02, 0x00, 0x01, 0x02]), "br_table 0 1 2");
        // block (result i32); loop (type 3); if (empty)
        assert_eq!(text(&[0x02, 0x7f]), "block (result i32)");
        assert_eq!(text(&[0x03, 0x03]), "loop (type 3)");
        assert_eq!(text(&[0x04, 0x40]), "if");
        // local.get 0; i32.const -1 (0x7f); i64.const -128 (0x80 0x7f)
        assert_eq!(text(&[0x20, 0x00]), "local.get 0");
        assert_eq!(text(&[0x41, 0x7f]), "i32.const -1");
        assert_eq!(text(&[0x42, 0x80, 0x7f]), "i64.const -128");
        // call_indirect type 2 table 0, then table 1
        assert_eq!(text(&[0x11, 0x02, 0x00]), "call_indirect (type 2)");
        assert_eq!(text(&[0x11, 0x02, 0x01]), "call_indirect 1 (type 2)");
        // memory.size 0 and 1; memory.copy 0 0
        assert_eq!(text(&[0x3f, 0x00]), "memory.size");
        assert_eq!(text(&[0x3f, 0x01]), "memory.size 1");
        assert_eq!(text(&[0xfc, 0x0a, 0x00, 0x00]), "memory.copy");
        // memory.init data 3 memory 1; table.init elem 1 table 0
        assert_eq!(text(&[0xfc, 0x08, 0x03, 0x01]), "memory.init 1 3");
        assert_eq!(text(&[0xfc, 0x0c, 0x01, 0x00]), "table.init 0 1");
        // select (result funcref); ref.null extern; ref.cast (ref null 4)
        assert_eq!(text(&[0x1c, 0x01, 0x70]), "select (result funcref)");
        assert_eq!(text(&[0xd0, 0x6f]), "ref.null extern");
        assert_eq!(text(&[0xfb, 0x17, 0x04]), "ref.cast (ref null 4)");
        assert_eq!(text(&[0xfb, 0x14, 0x6c]), "ref.test (ref i31)");
        // br_on_cast, flags 0b01: label 2, anyref to (ref i31)
        assert_eq!(
            text(&[0xfb, 0x18, 0x01, 0x02, 0x6e, 0x6c]),
            "br_on_cast 2 anyref (ref i31)"
        );
        // try_table (result i32) with catch 1 0 and catch_all_ref 2
        assert_eq!(
            text(&[0x1f, 0x7f, 0x02, 0x00, 0x01, 0x00, 0x03, 0x02]),
            "try_table (result i32) (catch 1 0) (catch_all_ref 2)"
        );
        // struct.get 1 2; i8x16.extract_lane_s 3; v128.load8_lane align=1 lane 5
        assert_eq!(text(&[0xfb, 0x02, 0x01, 0x02]), "struct.get 1 2");
        assert_eq!(text(&[0xfd, 0x15, 0x03]), "i8x16.extract_lane_s 3");
        assert_eq!(
            text(&[0xfd, 0x54, 0x00, 0x00, 0x05]),
            "v128.load8_lane align=1 5"
        );
        // atomic.fence: the ordering byte is not written
        assert_eq!(text(&[0xfe, 0x03, 0x00]), "atomic.fence");
    }

    #[test]
    fn vectors_and_shuffles() {
        let mut bytes = vec![0xfd, 0x0c];
        bytes.extend([
            0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0, 0, 0, 0x80, 0, 1, 2, 3,
        ]);
        assert_eq!(
            text(&bytes),
            "v128.const i32x4 0xffffffff 0x00000001 0x80000000 0x03020100"
        );
        let mut bytes = vec![0xfd, 0x0d];
        bytes.extend((0u8..16).rev());
        assert_eq!(
            text(&bytes),
            "i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0"
        );
    }

    fn f32_text(bits: u32) -> String {
        let mut bytes = vec![0x43];
        bytes.extend(bits.to_le_bytes());
        text(&bytes)
    }

    fn f64_text(bits: u64) -> String {
        let mut bytes = vec![0x44];
        bytes.extend(bits.to_le_bytes());
        text(&bytes)
    }

    #[test]
    fn floats_round_trip() {
        assert_eq!(f32_text(1.0f32.to_bits()), "f32.const 1.0");
        assert_eq!(f32_text((-0.0f32).to_bits()), "f32.const -0.0");
        assert_eq!(f32_text(f32::INFINITY.to_bits()), "f32.const inf");
        assert_eq!(f32_text(f32::NEG_INFINITY.to_bits()), "f32.const -inf");
        // The canonical NaN (payload 0x400000), a negative one with payload 1.
        assert_eq!(f32_text(0x7fc0_0000), "f32.const nan");
        assert_eq!(f32_text(0xff80_0001), "f32.const -nan:0x1");
        assert_eq!(f64_text(0x7ff8_0000_0000_0000), "f64.const nan");
        assert_eq!(f64_text(0x7ff0_0000_0000_0002), "f64.const nan:0x2");
        assert_eq!(f64_text(0.1f64.to_bits()), "f64.const 0.1");
        // Finite values read back to the same bits.
        for bits in [1u32, 0x3dcc_cccd, 0x7f7f_ffff, 0x0080_0000, 0xc2f6_e979] {
            let printed = f32_text(bits);
            let value: f32 = printed["f32.const ".len()..].parse().expect("a float");
            assert_eq!(value.to_bits(), bits, "{printed}");
        }
        for bits in [1u64, 0x3fb9_9999_9999_999a, 0x7fef_ffff_ffff_ffff] {
            let printed = f64_text(bits);
            let value: f64 = printed["f64.const ".len()..].parse().expect("a float");
            assert_eq!(value.to_bits(), bits, "{printed}");
        }
    }

    /// Every instruction with immediates prints some: decodes every opcode
    /// of every prefix group with immediates of 1 bytes and compares with
    /// the operator's `Debug` form (a struct variant has immediates). This
    /// catches an instruction added to the parser but not to the printer.
    #[test]
    fn every_instruction_with_immediates_prints_them() {
        let mut checked = 0;
        for prefix in [None, Some(0xfbu8), Some(0xfc), Some(0xfd), Some(0xfe)] {
            let codes = if prefix.is_none() {
                0..0x100u32
            } else {
                0..0x200
            };
            for code in codes {
                let mut bytes = Vec::new();
                match prefix {
                    None => bytes.push(code as u8),
                    Some(p) => {
                        bytes.push(p);
                        // `code` as an unsigned LEB128.
                        let (mut v, mut more) = (code, true);
                        while more {
                            let byte = (v & 0x7f) as u8;
                            v >>= 7;
                            more = v != 0;
                            bytes.push(if more { byte | 0x80 } else { byte });
                        }
                    }
                }
                bytes.extend([0x01; 20]);
                let mut reader = Reader::new_in_section(&bytes, 0, Features::ALL);
                let Ok(op) = Operator::from_reader(&mut reader) else {
                    continue;
                };
                checked += 1;
                let has_immediates = format!("{op:?}").contains('{');
                let mut out = String::new();
                write_operator(&mut out, &op).expect("formatting a String");
                let printed = out.len() > op.name().len();
                let exempt = matches!(op, Operator::AtomicFence { .. });
                assert_eq!(
                    printed,
                    has_immediates && !exempt,
                    "{op:?} printed as {out:?}"
                );
            }
        }
        assert!(checked > 500, "only {checked} instructions decoded");
    }
}
