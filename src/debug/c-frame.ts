// The C view of one stack frame: which variables are visible (arguments and
// locals of the frame's function — an inlined one included — and the globals of
// its compile unit, or of the whole program when the PC is in code without
// variables such as an assembly vector), where each lives (its location
// expression evaluated against the frame's registers — unwound ones for callers
// — with the CFA from CFI), and a reader/writer for that place. Knows nothing of
// DAP: the Variables view (variables.ts) and a C expression evaluator build on
// `visibleVariables` and the CValue it returns.

import type { DwarfInfo, Variable } from '../dwarf/dwarf';
import type { Die } from '../dwarf/info';
import { evaluateLocation, evaluateValue, type EvalContext, type Location } from '../dwarf/expr';
import type { TypeNode } from '../dwarf/types';

/** What the frame can read (and perhaps write): registers by DWARF number and memory. */
export interface FrameReader {
  /** DWARF register (AADWARF64 §4.1: 0–30 X, 31 SP; 32 here the frame's PC); undefined when not known in this frame. */
  register(n: number): bigint | undefined;
  /** `count` bytes at a virtual address, undefined when any is unreadable. */
  memory(address: bigint, count: number): Uint8Array | undefined;
  /** Writes memory; returns false when a byte cannot be written. Absent: memory is read-only. */
  writeMemory?(address: bigint, bytes: Uint8Array): boolean;
  /** Writes a register of this frame; throws with a reason when it cannot. Absent: registers are read-only. */
  writeRegister?(n: number, value: bigint): void;
}

/** Where a value can be written back. */
export type Store =
  | { kind: 'memory'; address: bigint }
  | { kind: 'register'; reg: number }
  | { kind: 'pieces'; parts: { store?: Store; bytes: number; why?: string }[] };

/** A C value: its type, its bytes (or why there are none), and where it lives. */
export interface CValue {
  name: string;
  type: TypeNode;
  bytes?: Uint8Array;
  /** Why there are no bytes: `optimized out`, `unavailable: …`. */
  missing?: string;
  /** Where the value lives in memory, for a memory reference and for dereferencing members. */
  address?: bigint;
  /** Where a write goes; undefined (with `readOnly`) when the value cannot be written. */
  store?: Store;
  readOnly?: string;
  /** The C expression that names this value (`vcpus[0].regs[1]`, `v->next`), for watch and copy. */
  expr?: string;
  /** A bit field inside `store`: the bits it occupies (DWARF 5 §5.7.6). */
  bits?: { offset: number; size: number; storageBytes: number };
}

export interface CFrameVariables {
  /** Name of the frame's function (an inlined one included). */
  functionName?: string;
  arguments: CValue[];
  locals: CValue[];
}

export interface VisibleVariable {
  name: string;
  kind: 'argument' | 'local' | 'global';
  /** The variable's DIE (DW_TAG_variable / DW_TAG_formal_parameter). */
  die: Die;
  type: TypeNode;
  /** Its value and store now (reads the machine through the frame's reader). */
  read(): CValue;
}

/**
 * Variables visible in a frame, innermost declaration first: locals (innermost
 * block first), arguments, then globals; a name is listed once (an inner
 * declaration hides an outer one). `inlineDepth` picks the function when inlined
 * subroutines hold `pc` (0: the innermost).
 */
export function visibleVariables(dwarf: DwarfInfo, pc: bigint, reader: FrameReader, inlineDepth = 0): VisibleVariable[] {
  const out: VisibleVariable[] = [];
  const seen = new Set<string>();
  const ctx = evalContext(dwarf, pc, reader);
  const add = (v: Variable, kind: VisibleVariable['kind']): void => {
    if (!v.name || seen.has(v.name)) return;
    seen.add(v.name);
    out.push({ name: v.name, kind, die: v.die, type: dwarf.typeOf(v.die), read: () => readVariable(dwarf, v, pc, ctx, reader) });
  };
  const s = frameScopes(dwarf, pc, inlineDepth);
  if (s) {
    for (const sc of s.locals) for (const v of sc.variables) add(v, 'local');
    for (const v of s.fn.parameters) add(v, 'argument');
  }
  for (const v of programGlobals(dwarf, pc)) add(v, 'global');
  return out;
}

/** The arguments and locals of the frame; undefined when DWARF has no function at `pc`. */
export function frameVariables(dwarf: DwarfInfo, pc: bigint, reader: FrameReader, inlineDepth = 0): CFrameVariables | undefined {
  const s = frameScopes(dwarf, pc, inlineDepth);
  if (!s) return undefined;
  const ctx = evalContext(dwarf, pc, reader);
  const seen = new Set<string>();
  const read = (v: Variable): CValue | undefined => {
    if (!v.name || seen.has(v.name)) return undefined; // an inner declaration hides an outer one
    seen.add(v.name);
    return readVariable(dwarf, v, pc, ctx, reader);
  };
  const locals: CValue[] = [];
  for (const sc of s.locals) for (const v of sc.variables) { const c = read(v); if (c) locals.push(c); }
  const args: CValue[] = [];
  for (const v of s.fn.parameters) { const c = read(v); if (c) args.push(c); }
  return { functionName: s.fn.name, arguments: args, locals };
}

/** File-scope and static variables for a frame at `pc` (see programGlobals). */
export function frameGlobals(dwarf: DwarfInfo, pc: bigint, reader: FrameReader): CValue[] {
  const ctx = evalContext(dwarf, pc, reader);
  return programGlobals(dwarf, pc).map((v) => readVariable(dwarf, v, pc, ctx, reader));
}

/**
 * The globals of the compile unit holding `pc`; when pc is in no unit or one
 * without variables (assembly), every C unit's file-scope variables that have
 * a location, each name once (definitions before declarations).
 */
function programGlobals(dwarf: DwarfInfo, pc: bigint): Variable[] {
  const unit = dwarf.unitAt(pc);
  const own = unit ? dwarf.globalsOfCu(unit).filter((v) => v.name) : [];
  if (own.length > 0) return own;
  const byName = new Map<string, Variable>();
  for (const u of dwarf.units) {
    for (const v of dwarf.globalsOfCu(u)) {
      if (!v.name || v.location.kind === 'none') continue;
      if (!byName.has(v.name)) byName.set(v.name, v);
    }
  }
  return [...byName.values()];
}

/** The function scope of the frame and the scopes whose variables it shows (innermost first). */
function frameScopes(dwarf: DwarfInfo, pc: bigint, inlineDepth: number) {
  const chain = dwarf.scopesAt(pc);
  const fns = chain.map((s, i) => (s.kind === 'block' ? -1 : i)).filter((i) => i >= 0);
  if (fns.length === 0) return undefined;
  const at = fns[Math.min(inlineDepth, fns.length - 1)];
  const from = inlineDepth === 0 ? 0 : fns[Math.min(inlineDepth, fns.length - 1) - 1] + 1;
  return { fn: chain[at], locals: chain.slice(from, at + 1) };
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
  const out: CValue = { name: v.name ?? '?', type, expr: v.name };
  const size = type.size ?? 0;
  if (v.location.kind === 'const') {
    const c = v.location.value;
    out.bytes = typeof c === 'bigint' ? leBytes(c, size) : c;
    out.readOnly = `${out.name} is a constant (DW_AT_const_value): it has no storage to write`;
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
  const st = storeOf(loc);
  if (st.store) out.store = st.store;
  else out.readOnly = `${out.name} ${st.why}`;
  return out;
}

/** Where a location can be written, or why it cannot. */
function storeOf(loc: Location): { store?: Store; why?: string } {
  switch (loc.kind) {
    case 'memory': return { store: { kind: 'memory', address: loc.address } };
    case 'register': return { store: { kind: 'register', reg: loc.reg } };
    case 'pieces': {
      const parts = loc.pieces.map((p) => {
        const s = p.sizeBits % 8 || p.offsetBits % 8 ? { why: 'has a piece that is not whole bytes' } : storeOf(p.location);
        return { store: s.store, bytes: p.sizeBits / 8, why: s.why };
      });
      const bad = parts.find((p) => !p.store);
      return bad ? { why: `is partly ${bad.why?.replace(/^is /, '') ?? 'not writable'}` } : { store: { kind: 'pieces', parts } };
    }
    case 'value': case 'implicit': return { why: 'is a computed value here (DW_OP_stack_value / DW_OP_implicit_value): optimized code keeps no storage to write' };
    case 'optimized-out': return { why: 'is optimized out here' };
    case 'implicit-pointer': return { why: 'is an implicit pointer (DW_OP_implicit_pointer): it has no storage' };
    case 'unavailable': return { why: `is unavailable: ${loc.reason}` };
  }
}

function bytesOf(loc: Location, size: number, reader: FrameReader): { bytes?: Uint8Array; missing?: string; address?: bigint } {
  switch (loc.kind) {
    case 'memory': {
      // Large objects (big arrays) are read element by element when shown.
      if (size > 1 << 16) return { address: loc.address, missing: undefined };
      const b = reader.memory(loc.address, size);
      return b ? { bytes: b, address: loc.address } : { missing: `unavailable: memory at 0x${loc.address.toString(16)} cannot be read`, address: loc.address };
    }
    case 'register': {
      const v = reader.register(loc.reg);
      // A corruptible register of a caller frame that no callee saved: its value at the call is gone (gdb's `<optimized out>` too).
      if (v === undefined) return { missing: 'optimized out' };
      if (size > 8) return { missing: `unavailable: register ${loc.name} is not shown here` };
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

export function leBytes(v: bigint, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size && i < 16; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return b;
}

/**
 * Writes `bytes` (the value's full size) to a store through the frame's
 * reader; throws Error with the reason when the frame cannot write there.
 */
export function writeStore(store: Store, bytes: Uint8Array, reader: FrameReader, name: string): void {
  switch (store.kind) {
    case 'memory':
      if (!reader.writeMemory) throw new Error(`${name}: memory of this frame cannot be written`);
      if (!reader.writeMemory(store.address, bytes)) throw new Error(`${name}: memory at 0x${store.address.toString(16)} cannot be written`);
      return;
    case 'register': {
      if (!reader.writeRegister) throw new Error(`${name} lives in a register of a caller frame that was not saved to memory: it cannot be written from this frame`);
      const old = reader.register(store.reg) ?? 0n;
      // A value narrower than the register replaces its low bytes (the rest keeps its contents).
      const width = BigInt(Math.min(8, bytes.length) * 8);
      const mask = width >= 64n ? (1n << 64n) - 1n : (1n << width) - 1n;
      const v = bytes.subarray(0, 8).reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
      try {
        reader.writeRegister(store.reg, (old & ~mask) | v);
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`);
      }
      return;
    }
    case 'pieces': {
      let at = 0;
      for (const p of store.parts) {
        if (p.store) writeStore(p.store, bytes.subarray(at, at + p.bytes), reader, name);
        at += p.bytes;
      }
    }
  }
}
