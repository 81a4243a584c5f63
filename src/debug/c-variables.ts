// C values as the Variables view shows them: a value string in C notation
// (integers, chars with their character, enums by name, pointers in hex with
// the string a `char *` points to), the children of aggregates (struct/union
// members with bit fields, array elements by index range so big arrays page,
// the target of a pointer read only when expanded), and writes parsed in the
// variable's type. Variables and their locations come from c-frame.ts; this
// module knows nothing of DAP (variables.ts maps these results to it).

import type { TypeNode } from '../dwarf/types';
import { typeName } from '../dwarf/types';
import { leBytes, writeStore, type CValue, type FrameReader, type Store } from './c-frame';

export { frameVariables, frameGlobals, visibleVariables, type CValue, type CFrameVariables, type FrameReader, type VisibleVariable } from './c-frame';

/** Longest string shown for a `char *` or char array (more is cut with `…`). */
const STRING_MAX = 200;

function readInt(b: Uint8Array, off: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i] ?? 0);
  return v;
}

/** Strips typedefs and qualifiers. */
export function strip(t: TypeNode): TypeNode {
  let x = t;
  for (let i = 0; i < 32 && (x.kind === 'typedef' || x.kind === 'const' || x.kind === 'volatile' || x.kind === 'restrict' || x.kind === 'atomic'); i++) x = x.target;
  return x;
}

const isCharType = (t: TypeNode): boolean => {
  const s = strip(t);
  return s.kind === 'base' && s.size === 1 && (s.encoding === 'DW_ATE_signed_char' || s.encoding === 'DW_ATE_unsigned_char');
};

/** How many children a value has: named (members, a pointer's target) or indexed (array elements). */
export interface ChildCount {
  named: number;
  indexed: number;
}

export interface Shown {
  value: string;
  type: string;
  /** Children the value can be expanded into (none: a scalar). */
  count?: ChildCount;
}

/** A C string literal for bytes up to the first NUL. */
function cString(b: Uint8Array, complete: boolean): string {
  let s = '"';
  let i = 0;
  for (; i < b.length && b[i] !== 0; i++) {
    const c = b[i];
    s += c === 0x22 ? '\\"' : c === 0x5c ? '\\\\' : c === 0x0a ? '\\n' : c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s + (i === b.length && !complete ? '"…' : '"');
}

/** Reads a NUL-terminated string at `address` (at most STRING_MAX bytes), byte runs at a time. */
function readCString(reader: FrameReader, address: bigint): string | undefined {
  const out: number[] = [];
  for (let at = address; out.length < STRING_MAX;) {
    const n = Math.min(16, STRING_MAX - out.length);
    let chunk = reader.memory(at, n);
    if (!chunk) {
      // A string may end just before an unreadable page: fall back to single bytes.
      chunk = reader.memory(at, 1);
      if (!chunk) return out.length > 0 ? cString(Uint8Array.from(out), false) : undefined;
    }
    for (const c of chunk) {
      if (c === 0) return cString(Uint8Array.from(out), true);
      out.push(c);
    }
    at += BigInt(chunk.length);
  }
  return cString(Uint8Array.from(out), false);
}

/** Formats a value as C. */
export function show(v: CValue, reader?: FrameReader): Shown {
  const type = typeName(v.type);
  const t = strip(v.type);
  const count = childCount(v);
  if (!v.bytes) {
    if (v.address !== undefined && !v.missing && t.kind === 'array') return { value: `[${arrayLength(t)}]`, type, count };
    return { value: `(${v.missing ?? 'unavailable'})`, type };
  }
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
    case 'pointer': case 'reference': case 'rvalue-reference': {
      const p = readInt(b, 0, t.size ?? 8);
      let value = `0x${p.toString(16).padStart(16, '0')}`;
      // `char *` shows the string it points to (DAP clients show it next to the address).
      if (p !== 0n && reader && isCharType(t.target)) {
        const s = readCString(reader, p);
        value += s !== undefined ? ` ${s}` : ' <unreadable>';
      }
      return { value, type, count };
    }
    case 'enum': {
      const size = t.size ?? 4;
      const raw = readInt(b, 0, size);
      const signed = t.enumerators.some((e) => e.value < 0n) ? BigInt.asIntN(size * 8, raw) : raw;
      const e = t.enumerators.find((x) => x.value === signed);
      return { value: e ? e.name : `${signed}`, type };
    }
    case 'struct': case 'union': case 'class': return { value: '{…}', type, count };
    case 'array': {
      const value = isCharType(t.element) && t.dims.length === 1 ? cString(b, b.includes(0)) : `[${arrayLength(t)}]`;
      return { value, type, count };
    }
    default:
      return { value: `0x${readInt(b, 0, Math.min(b.length, 8)).toString(16)}`, type };
  }
}

function arrayLength(t: Extract<TypeNode, { kind: 'array' }>): number {
  return t.dims.length > 0 && t.dims[0].count !== undefined ? Number(t.dims[0].count) : 0;
}

/** The element type of an array's first dimension (an array of the remaining dimensions for a multi-dimensional one). */
function arrayElement(t: Extract<TypeNode, { kind: 'array' }>): TypeNode {
  const el = t.element;
  if (t.dims.length <= 1) return el;
  return { kind: 'array', element: el, dims: t.dims.slice(1), size: t.dims.slice(1).reduce((s, d) => s * Number(d.count ?? 0), el.size ?? 0) };
}

export function childCount(v: CValue): ChildCount | undefined {
  const t = strip(v.type);
  switch (t.kind) {
    case 'struct': case 'union': case 'class': return t.members.length > 0 ? { named: t.members.length, indexed: 0 } : undefined;
    case 'array': return arrayLength(t) > 0 ? { named: 0, indexed: arrayLength(t) } : undefined;
    case 'pointer': case 'reference': case 'rvalue-reference': {
      const target = strip(t.target);
      // void * and function pointers have nothing to show; a null pointer has no target.
      if (target.kind === 'void' || target.kind === 'function' || !target.size || !v.bytes || readInt(v.bytes, 0, t.size ?? 8) === 0n) return undefined;
      return { named: 1, indexed: 0 };
    }
    default: return undefined;
  }
}

/** A child at a derived place: member of a memory object or of bytes in registers. */
function sub(v: CValue, name: string, type: TypeNode, offset: number, size: number, reader: FrameReader): CValue {
  const out: CValue = { name, type, expr: childExpr(v.expr, name) };
  if (v.address !== undefined) out.address = v.address + BigInt(offset);
  if (v.bytes) {
    out.bytes = v.bytes.subarray(offset, offset + size);
  } else if (out.address !== undefined && !v.missing) {
    const b = size <= 1 << 16 ? reader.memory(out.address, size) : undefined;
    if (b) out.bytes = b;
    else if (size <= 1 << 16) out.missing = `unavailable: memory at 0x${out.address.toString(16)} cannot be read`;
  } else {
    out.missing = v.missing;
  }
  if (v.store?.kind === 'memory') out.store = { kind: 'memory', address: v.store.address + BigInt(offset) };
  else out.readOnly = `${name}: only parts of objects in memory can be written (${v.name} ${v.store ? 'is in registers' : `is read-only: ${v.readOnly ?? ''}`})`;
  return out;
}

/** The C expression of a member (`.m`, or `->m` under a dereference) or an element (`[i]`). */
function childExpr(parent: string | undefined, name: string): string | undefined {
  if (parent === undefined) return undefined;
  const deref = parent.startsWith('*');
  if (name.startsWith('[')) return deref ? `(${parent})${name}` : `${parent}${name}`;
  return deref ? `${parent.slice(1)}->${name}` : `${parent}.${name}`;
}

/**
 * Children of a value: members (with bit fields extracted), array elements
 * `start`..`start+count` (all when not given), or a pointer's target (`*p`,
 * read from memory now).
 */
export function children(v: CValue, reader: FrameReader, start = 0, count?: number): CValue[] {
  const t = strip(v.type);
  switch (t.kind) {
    case 'struct': case 'union': case 'class':
      return t.members.map((m) => {
        if (m.bitSize !== undefined && m.bitOffset !== undefined) {
          // A bit field: the bytes that hold it are its storage; the field's bits are extracted from them.
          const first = Math.floor(m.bitOffset / 8);
          const storageBytes = Math.ceil((m.bitOffset + m.bitSize) / 8) - first;
          const storage = sub(v, m.name ?? '', m.type, first, storageBytes, reader);
          const out: CValue = { ...storage, bits: { offset: m.bitOffset - first * 8, size: m.bitSize, storageBytes } };
          if (storage.bytes) {
            const mt = strip(m.type);
            let field = (readInt(storage.bytes, 0, storageBytes) >> BigInt(out.bits!.offset)) & ((1n << BigInt(m.bitSize)) - 1n);
            if ((mt.kind === 'base' && mt.encoding === 'DW_ATE_signed') || (mt.kind === 'enum' && mt.enumerators.some((e) => e.value < 0n))) field = BigInt.asIntN(m.bitSize, field);
            out.bytes = leBytes(field, m.type.size ?? 8);
          }
          delete out.address; // a bit field has no address of its own
          return out;
        }
        return sub(v, m.name ?? '', m.type, m.byteOffset, m.type.size ?? 0, reader);
      });
    case 'array': {
      const inner = arrayElement(t);
      const isz = inner.size ?? 0;
      const n = arrayLength(t);
      const end = Math.min(n, count === undefined ? n : start + count);
      const out: CValue[] = [];
      for (let i = start; i < end; i++) out.push(sub(v, `[${i}]`, inner, i * isz, isz, reader));
      return out;
    }
    case 'pointer': case 'reference': case 'rvalue-reference': {
      if (!childCount(v) || !v.bytes) return [];
      const target = t.target;
      const address = readInt(v.bytes, 0, t.size ?? 8);
      const size = target.size ?? 0;
      const b = size <= 1 << 16 ? reader.memory(address, size) : undefined;
      const out: CValue = { name: `*${v.name}`, type: target, address, store: { kind: 'memory', address }, expr: v.expr !== undefined ? `*${v.expr}` : undefined };
      if (b) out.bytes = b;
      else if (size <= 1 << 16) out.missing = `unavailable: memory at 0x${address.toString(16)} cannot be read`;
      return [out];
    }
    default: return [];
  }
}

/**
 * Parses `text` as a value of `v`'s type (integer or character literal,
 * enumerator name, true/false, floating point; `number` evaluates anything else,
 * e.g. register expressions) and writes it through the value's store.
 * Returns the value as it reads back. Throws Error naming the variable.
 */
export function writeValue(v: CValue, text: string, reader: FrameReader, number: (text: string) => bigint): CValue {
  if (!v.store) throw new Error(v.readOnly ?? `${v.name} cannot be written`);
  const t = strip(v.type);
  const size = v.type.size ?? 0;
  const src = text.trim();
  let bytes: Uint8Array;
  if (t.kind === 'base' && t.encoding === 'DW_ATE_float') {
    const f = Number(src);
    if (src === '' || Number.isNaN(f) && !/^nan$/i.test(src)) throw new Error(`${v.name}: '${text}' is not a ${typeName(v.type)} value`);
    bytes = new Uint8Array(size);
    const dv = new DataView(bytes.buffer);
    if (size === 4) dv.setFloat32(0, f, true);
    else if (size === 8) dv.setFloat64(0, f, true);
    else throw new Error(`${v.name}: ${size}-byte floating point values cannot be written`);
  } else if (t.kind === 'base' || t.kind === 'enum' || t.kind === 'pointer') {
    let n: bigint;
    const ch = /^'(\\?.)'$/.exec(src);
    const en = t.kind === 'enum' ? t.enumerators.find((e) => e.name === src) : undefined;
    if (en) n = en.value;
    else if (ch) n = BigInt((ch[1] === '\\n' ? '\n' : ch[1] === '\\0' ? '\0' : ch[1].replace(/^\\/, '')).charCodeAt(0));
    else if (t.kind === 'base' && t.encoding === 'DW_ATE_boolean' && /^(true|false)$/.test(src)) n = src === 'true' ? 1n : 0n;
    else {
      try { n = number(src); } catch (e) { throw new Error(`${v.name}: '${text}' is not a ${typeName(v.type)} value (${(e as Error).message})`); }
    }
    const bitsWide = v.bits ? v.bits.size : size * 8;
    // Negative values of unsigned types and large values of signed ones are taken as their bit patterns (as C converts them).
    const lo = -(1n << BigInt(bitsWide - 1));
    const hi = (1n << BigInt(bitsWide)) - 1n;
    if (n < lo || n > hi) throw new Error(`${v.name}: ${n} does not fit in ${v.bits ? `a ${bitsWide}-bit field` : typeName(v.type)}`);
    if (v.bits) return writeBits(v, n, reader);
    bytes = leBytes(BigInt.asUintN(size * 8, n), size);
  } else {
    throw new Error(`${v.name}: a ${typeName(v.type)} is written member by member`);
  }
  writeStore(v.store, bytes, reader, v.name);
  return reread(v, bytes);
}

/** Read-modify-write of a bit field's storage bytes (in memory). */
function writeBits(v: CValue, n: bigint, reader: FrameReader): CValue {
  const { offset, size, storageBytes } = v.bits!;
  const store = v.store as Store;
  if (store.kind !== 'memory') throw new Error(`${v.name}: bit fields are written only in memory`);
  const old = reader.memory(store.address, storageBytes);
  if (!old) throw new Error(`${v.name}: memory at 0x${store.address.toString(16)} cannot be read`);
  const mask = ((1n << BigInt(size)) - 1n) << BigInt(offset);
  const word = (readInt(old, 0, storageBytes) & ~mask) | ((BigInt.asUintN(size, n) << BigInt(offset)) & mask);
  writeStore(store, leBytes(word, storageBytes), reader, v.name);
  const t = strip(v.type);
  const signed = (t.kind === 'base' && t.encoding === 'DW_ATE_signed') || (t.kind === 'enum' && t.enumerators.some((e) => e.value < 0n));
  const field = signed ? BigInt.asIntN(size, n) : BigInt.asUintN(size, n);
  const tsz = v.type.size ?? 8;
  return { ...v, bytes: leBytes(BigInt.asUintN(tsz * 8, field), tsz) };
}

function reread(v: CValue, bytes: Uint8Array): CValue {
  return { ...v, bytes, missing: undefined };
}
