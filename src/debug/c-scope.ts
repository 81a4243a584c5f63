// The CScope of a stopped PE for C expressions (c-expr.ts): the innermost
// frame's arguments and locals (c-variables.ts), the program's globals (the
// PC's compile unit first), its named types and enumeration constants from
// DWARF, and — for names that are none of these — the registers, system
// registers and symbols of the register expression language. Also formats an
// expression's result for DAP (value text and children).
//
// When frames other than the innermost get variables (CFI unwinding), a scope
// for that frame is the same thing with that frame's `CFrameVariables` and
// FrameReader: `cScope` takes both as parameters.

import type { DwarfInfo, Variable } from '../dwarf/dwarf';
import { evaluateLocation } from '../dwarf/expr';
import { TAG } from '../dwarf/tables';
import type { TypeNode } from '../dwarf/types';
import type { CFrameVariables, CValue, FrameReader } from './c-variables';
import { show } from './c-variables';
import { C_ULONG, type CObject, type CResult, type CScope, leBytes, stripType, typeSize } from './c-expr';

const T = {
  typedef: TAG('DW_TAG_typedef'), struct: TAG('DW_TAG_structure_type'), union: TAG('DW_TAG_union_type'),
  enum: TAG('DW_TAG_enumeration_type'), base: TAG('DW_TAG_base_type'), enumerator: TAG('DW_TAG_enumerator'),
  variable: TAG('DW_TAG_variable'),
};

/** Named types, enumerators and globals of a program, indexed once per DwarfInfo. */
interface ProgramIndex {
  /** Keys: `name` for typedefs and base types, `struct name` / `union name` / `enum name` for tags. */
  types: Map<string, number[]>;
  enumerators: Map<string, { enumDie: number; value: bigint }>;
  globals: Map<string, Variable[]>;
}

const indexes = new WeakMap<DwarfInfo, ProgramIndex>();

function programIndex(dwarf: DwarfInfo): ProgramIndex {
  let ix = indexes.get(dwarf);
  if (ix) return ix;
  ix = { types: new Map(), enumerators: new Map(), globals: new Map() };
  const addType = (key: string, off: number): void => {
    const l = ix!.types.get(key);
    if (l) l.push(off); else ix!.types.set(key, [off]);
  };
  for (const d of dwarf.allDies()) {
    switch (d.tag) {
      case T.typedef: case T.base: {
        const n = dwarf.name(d);
        if (n) addType(n, d.offset);
        break;
      }
      case T.struct: case T.union: case T.enum: {
        const n = dwarf.name(d);
        if (n) addType(`${d.tag === T.struct ? 'struct' : d.tag === T.union ? 'union' : 'enum'} ${n}`, d.offset);
        if (d.tag === T.enum) {
          for (const c of d.children) {
            const cn = c.tag === T.enumerator ? dwarf.name(c) : undefined;
            if (cn && !ix.enumerators.has(cn)) {
              const v = dwarf.typeOf(d);
              const e = v.kind === 'enum' ? v.enumerators.find((x) => x.name === cn) : undefined;
              if (e) ix.enumerators.set(cn, { enumDie: d.offset, value: e.value });
            }
          }
        }
        break;
      }
      default: break;
    }
  }
  for (const u of dwarf.units) {
    for (const v of dwarf.globalsOfCu(u)) {
      if (!v.name) continue;
      const l = ix.globals.get(v.name);
      if (l) l.push(v); else ix.globals.set(v.name, [v]);
    }
  }
  indexes.set(dwarf, ix);
  return ix;
}

/** Whether `name` is a typedef or base type of the program (for telling casts from parentheses). */
export function programTypeNameTest(dwarf: DwarfInfo): (name: string) => boolean {
  const ix = programIndex(dwarf);
  return (name) => ix.types.has(name) || /^u(8|16|32|64)$/.test(name);
}

export interface CScopeParts {
  dwarf: DwarfInfo;
  pc: bigint;
  reader: FrameReader;
  /** The frame's variables (computed on first use when a function). */
  frame: CFrameVariables | undefined | (() => CFrameVariables | undefined);
  /** Registers, system registers and symbols (the register expression language's lookup). */
  register(name: string): bigint | undefined;
  /** Names that win over C variables: an exception filter's event fields (`ec`, `vmid` …). */
  field?(name: string): bigint | undefined;
  writeMemory?(address: bigint, bytes: Uint8Array): boolean;
}

/** A CScope over DWARF for one frame. */
export function cScope(parts: CScopeParts): CScope {
  const { dwarf, pc, reader } = parts;
  const ix = programIndex(dwarf);
  let frame: CFrameVariables | undefined | null = null;
  const frameVars = (): CFrameVariables | undefined => {
    if (frame === null) frame = typeof parts.frame === 'function' ? parts.frame() : parts.frame;
    return frame;
  };
  const unit = dwarf.unitAt(pc);
  const typeByKey = (key: string): TypeNode | undefined => {
    const offs = ix.types.get(key);
    if (!offs) return undefined;
    // Prefer a definition (not a declaration) in the PC's compile unit, then any definition.
    const dies = offs.map((o) => dwarf.dieAt(o)!).filter(Boolean);
    const complete = dies.filter((d) => { const t = dwarf.typeOf(d); return !((t.kind === 'struct' || t.kind === 'union') && t.declaration); });
    const pick = complete.find((d) => d.unit === unit) ?? complete[0] ?? dies[0];
    return pick ? dwarf.typeOf(pick) : undefined;
  };
  return {
    variable(name) {
      const field = parts.field?.(name);
      if (field !== undefined) return { type: C_ULONG, bytes: leBytes(field, 8) };
      const f = frameVars();
      const v = f ? [...f.locals, ...f.arguments].find((x) => x.name === name) : undefined;
      if (v) return objectOf(v);
      const gs = ix.globals.get(name);
      if (!gs) return undefined;
      const defs = gs.filter((x) => x.location.kind !== 'none');
      const g = defs.find((x) => x.die.unit === unit) ?? defs.find((x) => x.external) ?? defs[0];
      if (g) return globalObject(dwarf, g, pc, reader);
      // Only declared in C (`extern char guest_entry[];`, defined in assembly): the symbol's address.
      const at = parts.register(name);
      return at === undefined ? undefined : { type: dwarf.typeOf(gs[0].die), address: at };
    },
    type(name, tag) {
      return typeByKey(tag ? `${tag} ${name}` : name);
    },
    enumerator(name) {
      const e = ix.enumerators.get(name);
      if (!e) return undefined;
      return { type: dwarf.typeOf(dwarf.dieAt(e.enumDie)!), value: e.value };
    },
    register: (name) => parts.register(name),
    readMemory: (address, size) => reader.memory(address, size),
    writeMemory: parts.writeMemory,
  };
}

function objectOf(v: CValue): CObject {
  // An object in memory is read through its address (fresh, and its members lazily).
  if (v.address !== undefined && v.bytes) return { type: v.type, address: v.address };
  return { type: v.type, bytes: v.bytes, missing: v.missing, address: v.address };
}

function globalObject(dwarf: DwarfInfo, v: Variable, pc: bigint, reader: FrameReader): CObject {
  const type = dwarf.typeOf(v.die);
  if (v.location.kind === 'const') {
    const c = v.location.value;
    return { type, bytes: typeof c === 'bigint' ? leBytes(c, typeSize(type) ?? 8) : c };
  }
  const ops = dwarf.locationAt(v, pc);
  if (!ops) return { type, missing: v.location.kind === 'none' ? 'not defined in this program (a declaration only)' : 'optimized out' };
  const loc = evaluateLocation(ops, {
    readRegister: (n) => reader.register(n),
    readMemory: (a, size) => {
      const b = reader.memory(a, size);
      return b ? b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n) : undefined;
    },
  });
  if (loc.kind === 'memory') return { type, address: loc.address };
  if (loc.kind === 'value') return { type, bytes: leBytes(loc.value, typeSize(type) ?? 8) };
  if (loc.kind === 'implicit') return { type, bytes: loc.bytes };
  return { type, missing: loc.kind === 'unavailable' ? `unavailable: ${loc.reason}` : 'optimized out' };
}

/**
 * The Globals scope: variables defined at file scope in the PC's compile unit, or — when that unit
 * has none (assembly: the EL2 vectors) — in every unit, each read as it is now.
 */
export function programGlobals(dwarf: DwarfInfo, pc: bigint, reader: FrameReader): CValue[] {
  const unit = dwarf.unitAt(pc);
  const defined = (u: (typeof dwarf.units)[number]): Variable[] => dwarf.globalsOfCu(u).filter((v) => v.name && v.location.kind !== 'none');
  const own = unit ? defined(unit) : [];
  const vars = own.length > 0 ? own : dwarf.units.flatMap(defined);
  const seen = new Set<string>();
  const out: CValue[] = [];
  for (const v of vars) {
    if (seen.has(v.name!)) continue;
    seen.add(v.name!);
    const o = globalObject(dwarf, v, pc, reader);
    const size = typeSize(o.type) ?? 0;
    let bytes = o.bytes;
    if (!bytes && o.address !== undefined && size > 0) bytes = reader.memory(o.address, size);
    out.push({ name: v.name!, type: o.type, bytes, address: o.address, missing: bytes ? undefined : o.missing ?? `unavailable: memory at 0x${(o.address ?? 0n).toString(16)} cannot be read` });
  }
  return out;
}

// ---------------------------------------------------------------- results for DAP

export interface ShownResult {
  value: string;
  type: string;
  /** Children listed here: the pointed-to object of a pointer. */
  children?: CValue[];
  /** A struct, union or array result, whose members or elements are read when expanded. */
  expand?: CValue;
  /** Address of the object (lvalue) or the pointer's value, for a memory reference. */
  memory?: bigint;
}

const MAX_STRING = 200;

/** A result as the Variables view shows values: integers in decimal, pointers in hex (char * with its string), aggregates with children. */
export function showResult(name: string, r: CResult, scope: CScope, readBytes: (r: CResult) => Uint8Array): ShownResult {
  const t = stripType(r.type);
  // A value that cannot be read is an error (the message says why: unmapped memory, optimized out).
  const bytes = t.kind === 'void' ? undefined : readBytes(r);
  const cv: CValue = { name, type: r.type, bytes, missing: r.missing, address: r.address, expr: name };
  const base = show(cv);
  if (!bytes || t.kind !== 'pointer') return { value: base.value, type: base.type, expand: base.count ? cv : undefined, memory: r.address };
  const p = bytes.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
  const target = t.target;
  const tt = stripType(target);
  let value = base.value;
  let children: CValue[] | undefined;
  if (p === 0n) value = `${value} (null)`;
  else if (tt.kind === 'base' && (tt.encoding === 'DW_ATE_signed_char' || tt.encoding === 'DW_ATE_unsigned_char') && tt.size === 1) {
    value = `${value} ${cString(scope, p)}`;
  } else if (tt.kind !== 'void' && tt.kind !== 'function') {
    const size = typeSize(target) ?? 0;
    const b = size > 0 ? scope.readMemory(p, size) : undefined;
    children = [{ name: `*${name}`, type: target, bytes: b, address: p, missing: b ? undefined : `unavailable: memory at 0x${p.toString(16)} cannot be read` }];
  }
  return { value, type: base.type, children, memory: p };
}

function cString(scope: CScope, p: bigint): string {
  let s = '';
  for (let i = 0; i < MAX_STRING; i++) {
    const b = scope.readMemory(p + BigInt(i), 1);
    if (!b) return i === 0 ? '<memory not readable>' : `"${s}"…<unreadable>`;
    if (b[0] === 0) return `"${s}"`;
    const c = b[0];
    s += c === 0x22 ? '\\"' : c === 0x5c ? '\\\\' : c === 10 ? '\\n' : c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `"${s}"…`;
}
