// C variables of the innermost frame, from DWARF (src/dwarf): which variables
// are in scope at the PC (arguments of the innermost function — an inlined one
// included — and locals of the blocks inside it), where each lives (location
// expression evaluated against the PE's registers and memory, with the CFA
// from CFI), and how its bytes read as its C type. Knows nothing of DAP: the
// Variables view (variables.ts) turns the results into DAP variables.

import type { DwarfInfo, Variable } from '../dwarf/dwarf';
import { evaluateLocation, evaluateValue, type EvalContext, type Location } from '../dwarf/expr';
import { typeName, type TypeNode } from '../dwarf/types';

/** What the frame can read: general registers by DWARF number and memory. */
export interface FrameReader {
  /** DWARF register (AADWARF64 §4.1: 0–30 X, 31 SP, 32 PC); undefined when not readable. */
  register(n: number): bigint | undefined;
  /** `count` bytes at a virtual address, undefined when any is unreadable. */
  memory(address: bigint, count: number): Uint8Array | undefined;
}

/** A variable's bytes (undefined with a reason when they cannot be had). */
export interface CValue {
  name: string;
  type: TypeNode;
  bytes?: Uint8Array;
  /** Why there are no bytes: `optimized out`, `unavailable: …`. */
  missing?: string;
  /** Where the value lives, for a memory reference. */
  address?: bigint;
}

export interface CFrameVariables {
  /** Name of the innermost function (an inlined one included). */
  functionName?: string;
  arguments: CValue[];
  locals: CValue[];
}

/** The arguments and locals visible at `pc`; undefined when DWARF has no function there. */
export function frameVariables(dwarf: DwarfInfo, pc: bigint, reader: FrameReader): CFrameVariables | undefined {
  const chain = dwarf.scopesAt(pc);
  const fnIndex = chain.findIndex((s) => s.kind !== 'block');
  if (fnIndex < 0) return undefined;
  const ctx = evalContext(dwarf, pc, reader);
  const seen = new Set<string>();
  const read = (v: Variable): CValue | undefined => {
    if (!v.name || seen.has(v.name)) return undefined; // an inner declaration hides an outer one
    seen.add(v.name);
    return readVariable(dwarf, v, pc, ctx, reader);
  };
  const locals: CValue[] = [];
  for (const s of chain.slice(0, fnIndex + 1)) for (const v of s.variables) { const c = read(v); if (c) locals.push(c); }
  const args: CValue[] = [];
  for (const v of chain[fnIndex].parameters) { const c = read(v); if (c) args.push(c); }
  return { functionName: chain[fnIndex].name, arguments: args, locals };
}

/** Registers and memory for the evaluator; the CFA from CFI and the frame base from DW_AT_frame_base. */
function evalContext(dwarf: DwarfInfo, pc: bigint, reader: FrameReader): EvalContext {
  const toBig = (b: Uint8Array): bigint => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
  const ctx: EvalContext = {
    readRegister: (n) => reader.register(n),
    readMemory: (a, size) => {
      const b = reader.memory(a, size);
      return b ? toBig(b) : undefined;
    },
    cfa: () => {
      const row = dwarf.cfaRulesAt(pc);
      if (!row || row.cfa.kind !== 'reg-offset') return undefined;
      const base = reader.register(row.cfa.reg);
      return base === undefined ? undefined : (base + row.cfa.offset) & ((1n << 64n) - 1n);
    },
  };
  // The frame base is the same for every variable of the frame: evaluate it once, when first needed.
  let frameBase: { value?: bigint } | undefined;
  ctx.frameBase = () => {
    if (!frameBase) {
      const fb = dwarf.frameBaseAt(pc);
      frameBase = { value: fb ? evaluateValue(fb, { ...ctx, frameBase: undefined }) : undefined };
    }
    return frameBase.value;
  };
  return ctx;
}

function readVariable(dwarf: DwarfInfo, v: Variable, pc: bigint, ctx: EvalContext, reader: FrameReader): CValue {
  const type = dwarf.typeOf(v.die);
  const out: CValue = { name: v.name ?? '?', type };
  const size = type.size ?? 0;
  if (v.location.kind === 'const') {
    const c = v.location.value;
    out.bytes = typeof c === 'bigint' ? leBytes(c, size) : c;
    return out;
  }
  const ops = dwarf.locationAt(v, pc);
  if (!ops) {
    out.missing = 'optimized out';
    return out;
  }
  const loc = evaluateLocation(ops, ctx);
  const r = bytesOf(loc, size, reader);
  if (r.address !== undefined) out.address = r.address;
  if (r.bytes) out.bytes = r.bytes;
  else out.missing = r.missing;
  return out;
}

function bytesOf(loc: Location, size: number, reader: FrameReader): { bytes?: Uint8Array; missing?: string; address?: bigint } {
  switch (loc.kind) {
    case 'memory': {
      const b = reader.memory(loc.address, size);
      return b ? { bytes: b, address: loc.address } : { missing: `unavailable: memory at 0x${loc.address.toString(16)} cannot be read`, address: loc.address };
    }
    case 'register': {
      const v = reader.register(loc.reg);
      if (v === undefined || size > 8) return { missing: `unavailable: register ${loc.name} is not shown here` };
      return { bytes: leBytes(v, size) };
    }
    case 'value': return { bytes: leBytes(loc.value, size) };
    case 'implicit': return { bytes: loc.bytes.subarray(0, size) };
    case 'pieces': {
      const out = new Uint8Array(size);
      let at = 0;
      for (const p of loc.pieces) {
        if (p.sizeBits % 8 || p.offsetBits % 8) return { missing: 'unavailable: a piece is not a whole number of bytes' };
        const n = p.sizeBits / 8;
        const part = bytesOf(p.location, n, reader);
        if (!part.bytes) return { missing: p.location.kind === 'optimized-out' ? 'optimized out (partly)' : part.missing };
        out.set(part.bytes.subarray(0, Math.max(0, Math.min(n, size - at))), at);
        at += n;
      }
      return { bytes: out };
    }
    case 'optimized-out': return { missing: 'optimized out' };
    case 'implicit-pointer': return { missing: 'unavailable: an implicit pointer' };
    case 'unavailable': return { missing: `unavailable: ${loc.reason}` };
  }
}

function leBytes(v: bigint, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size && i < 16; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return b;
}

function readInt(b: Uint8Array, off: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i] ?? 0);
  return v;
}

/** Strips typedefs and qualifiers. */
function strip(t: TypeNode): TypeNode {
  let x = t;
  for (let i = 0; i < 32 && (x.kind === 'typedef' || x.kind === 'const' || x.kind === 'volatile' || x.kind === 'restrict' || x.kind === 'atomic'); i++) x = x.target;
  return x;
}

export interface Shown {
  value: string;
  type: string;
  /** Children of an aggregate (struct members, array elements). */
  children?: CValue[];
}

/** Formats a value as C: integers in decimal, chars with their character, pointers in hex, enums by name, aggregates as `{…}` with children. */
export function show(v: CValue): Shown {
  const type = typeName(v.type);
  if (!v.bytes) return { value: `<${v.missing ?? 'unavailable'}>`, type };
  const t = strip(v.type);
  const b = v.bytes;
  switch (t.kind) {
    case 'base': {
      const size = t.size ?? b.length;
      const raw = readInt(b, 0, size);
      switch (t.encoding) {
        case 'DW_ATE_float':
          if (size === 4) return { value: String(new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true)), type };
          if (size === 8) return { value: String(new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true)), type };
          return { value: `0x${raw.toString(16)}`, type };
        case 'DW_ATE_boolean': return { value: raw ? 'true' : 'false', type };
        case 'DW_ATE_signed': return { value: BigInt.asIntN(size * 8, raw).toString(), type };
        case 'DW_ATE_signed_char': case 'DW_ATE_unsigned_char': {
          const n = t.encoding === 'DW_ATE_signed_char' ? BigInt.asIntN(8, raw) : raw;
          const c = Number(raw);
          return { value: `${n} ${c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `'\\x${c.toString(16).padStart(2, '0')}'`}`, type };
        }
        default: return { value: raw.toString(), type };
      }
    }
    case 'pointer': case 'reference': case 'rvalue-reference':
      return { value: `0x${readInt(b, 0, t.size ?? 8).toString(16).padStart(16, '0')}`, type };
    case 'enum': {
      const size = t.size ?? 4;
      const raw = readInt(b, 0, size);
      const signed = t.enumerators.some((e) => e.value < 0n) ? BigInt.asIntN(size * 8, raw) : raw;
      const e = t.enumerators.find((x) => x.value === signed);
      return { value: e ? e.name : `${signed}`, type };
    }
    case 'struct': case 'union': case 'class': {
      const children: CValue[] = t.members.map((m) => {
        const mt = strip(m.type);
        if (m.bitSize !== undefined && m.bitOffset !== undefined) {
          // A bit field: extract its bits and present them as the member type's bytes.
          const storage = readInt(b, 0, Math.min(b.length, 16));
          let field = (storage >> BigInt(m.bitOffset)) & ((1n << BigInt(m.bitSize)) - 1n);
          if (mt.kind === 'base' && mt.encoding === 'DW_ATE_signed') field = BigInt.asIntN(m.bitSize, field);
          return { name: m.name ?? '', type: m.type, bytes: leBytes(field, m.type.size ?? 8) };
        }
        const sz = m.type.size ?? 0;
        return { name: m.name ?? '', type: m.type, bytes: b.subarray(m.byteOffset, m.byteOffset + sz), address: v.address !== undefined ? v.address + BigInt(m.byteOffset) : undefined };
      });
      return { value: '{…}', type, children };
    }
    case 'array': {
      const el = t.element;
      const esz = el.size ?? 0;
      const count = t.dims.length > 0 && t.dims[0].count !== undefined ? Number(t.dims[0].count) : 0;
      // A multi-dimensional array's elements are arrays of the remaining dimensions.
      const inner: TypeNode = t.dims.length > 1 ? { kind: 'array', element: el, dims: t.dims.slice(1), size: t.dims.slice(1).reduce((s, d) => s * Number(d.count ?? 0), esz) } : el;
      const isz = inner.size ?? 0;
      const children: CValue[] = [];
      for (let i = 0; i < Math.min(count, 1000); i++) {
        children.push({ name: `[${i}]`, type: inner, bytes: b.subarray(i * isz, (i + 1) * isz), address: v.address !== undefined ? v.address + BigInt(i * isz) : undefined });
      }
      return { value: `[${count}]`, type, children };
    }
    default:
      return { value: `0x${readInt(b, 0, Math.min(b.length, 8)).toString(16)}`, type };
  }
}
