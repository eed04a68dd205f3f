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
