// C expressions for the debugger (evaluate, watch, hover, breakpoint conditions,
// logpoints, setExpression): a hand-written tokenizer and recursive-descent
// parser to a small tree, evaluated against a CScope. Nothing is handed to
// eval(), and evaluation has no side effects (no assignment, ++/-- or calls):
// writes go through `assignC` only (setExpression).
//
//   primary     identifiers (C variables, then enum constants, then registers,
//               system registers and symbols as typed `unsigned long`),
//               integer literals (suffixes u, l, ll), character literals 'a' '\n' '\x41'
//   postfix     a.m  p->m  a[i]
//   unary       - + ! ~ * &  sizeof expr  sizeof(type)  (type) expr
//   binary      * / %  + -  << >>  < <= > >=  == !=  &  ^  |  &&  ||   (C precedence)
//   ternary     c ? a : b
//
// Types follow C11 (ISO/IEC 9899:2011): integer promotions and the usual
// arithmetic conversions (§6.3.1.1, §6.3.1.8) for an LP64 target (AAPCS64:
// int 4 bytes, long and pointers 8), pointer arithmetic scaled by the target's
// size (§6.5.6; `void *` counts bytes, as GCC does), comparisons and logical
// operators giving int (§6.5.8–§6.5.14). `&&`, `||` and `?:` evaluate only the
// operand they need, so `p && p->id == 1` never reads through a null p.
// Not C: `*expr` of an integer reads an `unsigned long` there (the register
// expression language's `*x0`), and `u8`…`u64` name unsigned types when the
// program does not define them. Floating-point values are read and shown,
// not computed with.

import type { TypeNode, StructType } from '../dwarf/types';
import { typeName } from '../dwarf/types';

export class CExprError extends Error {}

/** An object the expression can name: a variable's type and where its bytes are. */
export interface CObject {
  type: TypeNode;
  /** Address of the object in memory (lvalues in memory). */
  address?: bigint;
  /** The bytes, when they are not (only) in memory: register values, constants. */
  bytes?: Uint8Array;
  /** Why there are no bytes: `optimized out`, `unavailable: …`. */
  missing?: string;
  /** Writes new bytes to an object that does not live in memory (a register); absent = read-only. */
  write?(bytes: Uint8Array): void;
}

/** What an expression can see in the selected frame; built by c-scope.ts from DWARF and the PE. */
export interface CScope {
  /** A C variable visible here: the frame's locals and arguments, then globals. */
  variable(name: string): CObject | undefined;
  /** A named type: with `tag`, the struct/union/enum of that tag; without, a typedef or base type. */
  type(name: string, tag?: 'struct' | 'union' | 'enum'): TypeNode | undefined;
  /** An enumeration constant. */
  enumerator(name: string): { type: TypeNode; value: bigint } | undefined;
  /** Registers, system registers (with `.FIELD`) and symbols, as the register expression language has them. */
  register(name: string): bigint | undefined;
  /** `size` bytes of virtual memory, undefined when any cannot be read. */
  readMemory(address: bigint, size: number): Uint8Array | undefined;
  /** Writes virtual memory; false when it cannot. */
  writeMemory?(address: bigint, bytes: Uint8Array): boolean;
}

/** The value of an expression: a CObject, read lazily from `address` when it has no `bytes`. */
export interface CResult extends CObject {
  /** Set for a bit field: where its bits are in `bytes` (offset from bit 0 of the first byte, width). */
  bitField?: { offset: number; size: number };
}

// ---------------------------------------------------------------- types

const base = (name: string, size: number, encoding: string): TypeNode => ({ kind: 'base', name, size, encoding });
const BUILTIN: Record<string, TypeNode> = {
  char: base('char', 1, 'DW_ATE_unsigned_char'), // AAPCS64 §10.1.1: plain char is unsigned
  'signed char': base('signed char', 1, 'DW_ATE_signed_char'),
  'unsigned char': base('unsigned char', 1, 'DW_ATE_unsigned_char'),
  short: base('short int', 2, 'DW_ATE_signed'),
  'unsigned short': base('short unsigned int', 2, 'DW_ATE_unsigned'),
  int: base('int', 4, 'DW_ATE_signed'),
  'unsigned int': base('unsigned int', 4, 'DW_ATE_unsigned'),
  long: base('long int', 8, 'DW_ATE_signed'),
  'unsigned long': base('long unsigned int', 8, 'DW_ATE_unsigned'),
  'long long': base('long long int', 8, 'DW_ATE_signed'),
  'unsigned long long': base('long long unsigned int', 8, 'DW_ATE_unsigned'),
  _Bool: base('_Bool', 1, 'DW_ATE_boolean'),
  float: base('float', 4, 'DW_ATE_float'),
  double: base('double', 8, 'DW_ATE_float'),
  u8: base('u8', 1, 'DW_ATE_unsigned'), u16: base('u16', 2, 'DW_ATE_unsigned'),
  u32: base('u32', 4, 'DW_ATE_unsigned'), u64: base('u64', 8, 'DW_ATE_unsigned'),
};
const VOID: TypeNode = { kind: 'void' };
/** `unsigned long`: the type of registers, symbols and event fields in C expressions. */
export const C_ULONG = BUILTIN['unsigned long'];
const INT = BUILTIN.int, UINT = BUILTIN['unsigned int'], LONG = BUILTIN.long, ULONG = BUILTIN['unsigned long'];

export function pointerTo(t: TypeNode): TypeNode {
  return { kind: 'pointer', size: 8, target: t };
}

/** Strips typedefs and qualifiers. */
export function stripType(t: TypeNode): TypeNode {
  let x = t;
  for (let i = 0; i < 64 && (x.kind === 'typedef' || x.kind === 'const' || x.kind === 'volatile' || x.kind === 'restrict' || x.kind === 'atomic'); i++) x = x.target;
  return x;
}

interface IntInfo { size: number; signed: boolean }

function intInfo(t0: TypeNode): IntInfo | undefined {
  const t = stripType(t0);
  if (t.kind === 'enum') {
    const size = t.size ?? 4;
    const signed = t.base ? intInfo(t.base)?.signed ?? false : t.enumerators.some((e) => e.value < 0n);
    return { size, signed };
  }
  if (t.kind !== 'base') return undefined;
  switch (t.encoding) {
    case 'DW_ATE_signed': case 'DW_ATE_signed_char': return { size: t.size ?? 4, signed: true };
    case 'DW_ATE_unsigned': case 'DW_ATE_unsigned_char': case 'DW_ATE_boolean': case 'DW_ATE_UTF': return { size: t.size ?? 4, signed: false };
    default: return undefined;
  }
}

const isPointer = (t: TypeNode): boolean => stripType(t).kind === 'pointer';
const isArray = (t: TypeNode): boolean => stripType(t).kind === 'array';
const isFloat = (t: TypeNode): boolean => { const s = stripType(t); return s.kind === 'base' && s.encoding === 'DW_ATE_float'; };
const isScalar = (t: TypeNode): boolean => intInfo(t) !== undefined || isPointer(t);

function normalize(v: bigint, info: IntInfo): bigint {
  return info.signed ? BigInt.asIntN(info.size * 8, v) : BigInt.asUintN(info.size * 8, v);
}

/** Integer promotion (C11 §6.3.1.1): types narrower than int become int. */
function promote(t: TypeNode): TypeNode {
  const i = intInfo(t);
  if (!i) return t;
  if (i.size < 4) return INT;
  if (i.size === 4) return i.signed ? INT : UINT;
  return i.signed ? LONG : ULONG;
}

/** Usual arithmetic conversions (C11 §6.3.1.8) on promoted integer types. */
function common(a: TypeNode, b: TypeNode): TypeNode {
  const x = intInfo(promote(a))!, y = intInfo(promote(b))!;
  const size = Math.max(x.size, y.size);
  let signed: boolean;
  if (x.signed === y.signed) signed = x.signed;
  else {
    const u = x.signed ? y : x, s = x.signed ? x : y;
    signed = !(u.size >= s.size);
  }
  return size === 8 ? (signed ? LONG : ULONG) : (signed ? INT : UINT);
}

export function typeSize(t: TypeNode): number | undefined {
  const s = stripType(t);
  if (s.kind === 'void') return 1; // GNU C: sizeof(void) is 1
  if (s.kind === 'function') return 1;
  return s.size ?? t.size;
}

function describe(t: TypeNode): string {
  return typeName(t);
}

// ---------------------------------------------------------------- tokens

type Tok =
  | { k: 'num'; v: bigint; text: string; pos: number }
  | { k: 'char'; v: bigint; text: string; pos: number }
  | { k: 'id'; v: string; pos: number }
  | { k: 'op'; v: string; pos: number }
  | { k: 'end'; pos: number };

const OPS = ['->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '<', '>', '(', ')', '[', ']', '.', '?', ':', ','];
const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (/[0-9]/.test(c)) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*)([uUlL]*)/.exec(src.slice(i))!;
      const digits = m[1].replace(/_/g, '');
      let v: bigint;
      try { v = /^0[oO]/.test(digits) ? BigInt('0o' + digits.slice(2)) : /^0[0-7]+$/.test(digits) ? BigInt('0o' + digits.slice(1)) : BigInt(digits); } catch { throw new CExprError(`bad number '${m[0]}' at ${i + 1}`); }
      if (!/^(u?l{0,2}|l{0,2}u?)$/i.test(m[2])) throw new CExprError(`bad number suffix '${m[2]}' at ${i + 1 + m[1].length}`);
      out.push({ k: 'num', v, text: m[0], pos: i });
      i += m[0].length;
      if (i < src.length && /[A-Za-z_]/.test(src[i])) throw new CExprError(`bad number '${m[0]}${src[i]}' at ${i + 1}`);
      continue;
    }
    if (c === "'") {
      const m = /^'(\\x[0-9a-fA-F]{1,2}|\\[0-7]{1,3}|\\.|[^'\\])'/.exec(src.slice(i));
      if (!m) throw new CExprError(`bad character literal at ${i + 1}`);
      const body = m[1];
      let v: number;
      if (body[0] !== '\\') v = body.charCodeAt(0);
      else if (body[1] === 'x') v = parseInt(body.slice(2), 16);
      else if (/[0-7]/.test(body[1])) v = parseInt(body.slice(1), 8);
      else if (ESCAPES[body[1]] !== undefined) v = ESCAPES[body[1]];
      else throw new CExprError(`unknown escape '${body}' at ${i + 1}`);
      out.push({ k: 'char', v: BigInt(v & 0xff), text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i))!;
      out.push({ k: 'id', v: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (c === '"') throw new CExprError(`string literals are not supported (at ${i + 1})`);
    if (c === '=' && src[i + 1] !== '=') throw new CExprError(`assignment is not allowed in an expression (at ${i + 1}); use setExpression or the Variables view`);
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new CExprError(`unexpected character '${c}' at ${i + 1}`);
    if ((op === '+' || op === '-') && src[i + 1] === op) throw new CExprError(`'${op}${op}' would change the program; expressions here have no side effects (at ${i + 1})`);
    out.push({ k: 'op', v: op, pos: i });
    i += op.length;
  }
  out.push({ k: 'end', pos: src.length });
  return out;
}

// ---------------------------------------------------------------- syntax tree

/** A type as written in a cast or sizeof: the named base and the number of `*`. */
export interface TypeName { base: string; tag?: 'struct' | 'union' | 'enum'; stars: number; text: string }

export type Node =
  | { n: 'num'; v: bigint; text: string }
  | { n: 'char'; v: bigint }
  | { n: 'id'; name: string; pos: number }
  | { n: 'member'; obj: Node; name: string; arrow: boolean; pos: number }
  | { n: 'index'; obj: Node; index: Node }
  | { n: 'unary'; op: string; arg: Node }
  | { n: 'cast'; type: TypeName; arg: Node }
  | { n: 'sizeofType'; type: TypeName }
  | { n: 'sizeofExpr'; arg: Node }
  | { n: 'binary'; op: string; left: Node; right: Node }
  | { n: 'cond'; test: Node; yes: Node; no: Node };

const PREC: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
const TYPE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', '_Bool', 'float', 'double', 'const', 'volatile', 'struct', 'union', 'enum']);
const MAX_DEPTH = 256;

class Parser {
  private p = 0;
  private depth = 0;
  constructor(private readonly t: Tok[], private readonly isTypeName: (name: string) => boolean) {}

  parse(): Node {
    const n = this.ternary();
    const t = this.t[this.p];
    if (t.k !== 'end') throw new CExprError(`unexpected '${tokText(t)}' at ${t.pos + 1}`);
    return n;
  }

  private nested<T>(fn: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new CExprError(`expression nested too deeply (more than ${MAX_DEPTH} levels)`);
    try { return fn(); } finally { this.depth--; }
  }

  private peekOp(v: string, at = 0): boolean {
    const t = this.t[this.p + at];
    return t !== undefined && t.k === 'op' && t.v === v;
  }

  private expect(v: string): void {
    if (!this.peekOp(v)) {
      const t = this.t[this.p];
      throw new CExprError(`expected '${v}' but found '${tokText(t)}' at ${t.pos + 1}`);
    }
    this.p++;
  }

  private ternary(): Node {
    return this.nested(() => {
      const test = this.binary(1);
      if (!this.peekOp('?')) return test;
      this.p++;
      const yes = this.ternary();
      this.expect(':');
      const no = this.ternary();
      return { n: 'cond', test, yes, no };
    });
  }

  private binary(minPrec: number): Node {
    let left = this.unary();
    for (;;) {
      const t = this.t[this.p];
      if (t.k !== 'op') return left;
      const prec = PREC[t.v];
      if (prec === undefined || prec < minPrec) return left;
      this.p++;
      const right = this.binary(prec + 1);
      left = { n: 'binary', op: t.v, left, right };
    }
  }

  /** Whether the tokens at p start a type name (after a '(' of a cast or sizeof). */
  private startsType(at: number): boolean {
    const t = this.t[at];
    return t.k === 'id' && (TYPE_WORDS.has(t.v) || this.isTypeName(t.v));
  }

  private typeName(): TypeName {
    const start = this.t[this.p].pos;
    const words: string[] = [];
    let tag: TypeName['tag'];
    let named: string | undefined;
    for (;;) {
      const t = this.t[this.p];
      if (t.k !== 'id') break;
      if (t.v === 'const' || t.v === 'volatile') { this.p++; continue; }
      if (t.v === 'struct' || t.v === 'union' || t.v === 'enum') {
        const n = this.t[this.p + 1];
        if (n.k !== 'id') throw new CExprError(`expected a tag name after '${t.v}' at ${n.pos + 1}`);
        tag = t.v; named = n.v; this.p += 2; continue;
      }
      if (TYPE_WORDS.has(t.v)) { words.push(t.v); this.p++; continue; }
      if (words.length === 0 && named === undefined && this.isTypeName(t.v)) { named = t.v; this.p++; continue; }
      break;
    }
    let stars = 0;
    for (;;) {
      if (this.peekOp('*')) { stars++; this.p++; continue; }
      const t = this.t[this.p];
      if (t.k === 'id' && (t.v === 'const' || t.v === 'volatile')) { this.p++; continue; }
      break;
    }
    let baseName: string;
    if (named !== undefined) {
      if (words.length) throw new CExprError(`'${words.join(' ')}' cannot be combined with '${named}' at ${start + 1}`);
      baseName = named;
    } else {
      if (words.length === 0) throw new CExprError(`expected a type at ${start + 1}`);
      baseName = canonicalWords(words, start);
    }
    return { base: baseName, tag, stars, text: `${tag ? tag + ' ' : ''}${baseName}${stars ? ' ' + '*'.repeat(stars) : ''}`};
  }

  private unary(): Node {
    return this.nested(() => {
      const t = this.t[this.p];
      if (t.k === 'op' && ['-', '+', '!', '~', '*', '&'].includes(t.v)) {
        this.p++;
        return { n: 'unary', op: t.v, arg: this.unary() };
      }
      if (t.k === 'id' && t.v === 'sizeof') {
        this.p++;
        if (this.peekOp('(') && this.startsType(this.p + 1)) {
          this.p++;
          const type = this.typeName();
          this.expect(')');
          return { n: 'sizeofType', type };
        }
        return { n: 'sizeofExpr', arg: this.unary() };
      }
      if (this.peekOp('(') && this.startsType(this.p + 1)) {
        this.p++;
        const type = this.typeName();
        this.expect(')');
        return { n: 'cast', type, arg: this.unary() };
      }
      return this.postfix();
    });
  }

  private postfix(): Node {
    let n = this.primary();
    for (;;) {
      const t = this.t[this.p];
      if (t.k !== 'op') return n;
      if (t.v === '.' || t.v === '->') {
        this.p++;
        const m = this.t[this.p];
        if (m.k !== 'id') throw new CExprError(`expected a member name after '${t.v}' at ${m.pos + 1}`);
        this.p++;
        n = { n: 'member', obj: n, name: m.v, arrow: t.v === '->', pos: m.pos };
      } else if (t.v === '[') {
        this.p++;
        const index = this.ternary();
        this.expect(']');
        n = { n: 'index', obj: n, index };
      } else if (t.v === '(') {
        throw new CExprError(`function calls are not supported (at ${t.pos + 1}): evaluation never runs guest code`);
      } else return n;
    }
  }

  private primary(): Node {
    const t = this.t[this.p];
    if (t.k === 'num') { this.p++; return { n: 'num', v: t.v, text: t.text }; }
    if (t.k === 'char') { this.p++; return { n: 'char', v: t.v }; }
    if (t.k === 'id') {
      if (t.v === 'sizeof' || TYPE_WORDS.has(t.v)) throw new CExprError(`unexpected '${t.v}' at ${t.pos + 1}`);
      this.p++;
      return { n: 'id', name: t.v, pos: t.pos };
    }
    if (t.k === 'op' && t.v === '(') {
      this.p++;
      const n = this.ternary();
      this.expect(')');
      return n;
    }
    throw new CExprError(t.k === 'end' ? 'unexpected end of expression' : `unexpected '${tokText(t)}' at ${t.pos + 1}`);
  }
}

/** `unsigned long int` → `unsigned long`; refuses combinations C does not have. */
function canonicalWords(words: string[], at: number): string {
  const count = (w: string): number => words.filter((x) => x === w).length;
  const unsigned = count('unsigned') > 0, signed = count('signed') > 0;
  if (unsigned && signed) throw new CExprError(`'signed' and 'unsigned' together at ${at + 1}`);
  const rest = words.filter((w) => w !== 'unsigned' && w !== 'signed');
  const longs = count('long');
  const others = rest.filter((w) => w !== 'long' && w !== 'int');
  if (others.length > 1) throw new CExprError(`bad type '${words.join(' ')}' at ${at + 1}`);
  const main = others[0];
  if (main === 'void' || main === '_Bool' || main === 'float' || main === 'double') {
    if (unsigned || signed || longs) throw new CExprError(`bad type '${words.join(' ')}' at ${at + 1}`);
    return main;
  }
  if (main === 'char') return unsigned ? 'unsigned char' : signed ? 'signed char' : 'char';
  if (main === 'short') return unsigned ? 'unsigned short' : 'short';
  if (longs > 2) throw new CExprError(`too many 'long' at ${at + 1}`);
  const core = longs === 2 ? 'long long' : longs === 1 ? 'long' : 'int';
  return unsigned ? `unsigned ${core}` : core;
}

function tokText(t: Tok): string {
  return t.k === 'end' ? 'end of expression' : t.k === 'num' || t.k === 'char' ? t.text : t.v;
}

// ---------------------------------------------------------------- evaluation

/** Parses `src` (a type-name test tells casts from parenthesized expressions). */
export function parseC(src: string, isTypeName: (name: string) => boolean = (n) => n in BUILTIN): Node {
  if (src.trim() === '') throw new CExprError('empty expression');
  return new Parser(tokenize(src), isTypeName).parse();
}

/** Checks the syntax of a C expression; returns an error message or undefined. */
export function checkCSyntax(src: string, isTypeName?: (name: string) => boolean): string | undefined {
  try { parseC(src, isTypeName); return undefined; } catch (e) { return (e as Error).message; }
}

class Evaluator {
  constructor(private readonly scope: CScope) {}

  resolveType(tn: TypeName): TypeNode {
    let t: TypeNode | undefined;
    if (tn.tag) {
      t = this.scope.type(tn.base, tn.tag);
      if (!t) throw new CExprError(`no type '${tn.tag} ${tn.base}' in the program`);
    } else {
      t = this.scope.type(tn.base) ?? BUILTIN[tn.base] ?? (tn.base === 'void' ? VOID : undefined);
      if (!t) throw new CExprError(`no type '${tn.base}' in the program`);
    }
    for (let i = 0; i < tn.stars; i++) t = pointerTo(t);
    return t;
  }

  /** The bytes of a value (reading memory for an lvalue). */
  bytes(v: CResult, what = 'value'): Uint8Array {
    if (v.bytes) return v.bytes;
    if (v.missing) throw new CExprError(`${what} is ${v.missing}`);
    const size = typeSize(v.type);
    if (v.address === undefined || size === undefined) throw new CExprError(`${what} has no readable bytes`);
    const b = this.scope.readMemory(v.address, size);
    if (!b) throw new CExprError(`cannot read ${size} byte(s) at 0x${v.address.toString(16)}: memory not mapped or not readable`);
    v.bytes = b;
    return b;
  }

  /** The integer value of a scalar (integer, enum or pointer); arrays decay to their address. */
  scalar(v: CResult, what: string): bigint {
    const t = stripType(v.type);
    if (t.kind === 'array' || t.kind === 'function') {
      if (v.address === undefined) throw new CExprError(`${what}: an array that is not in memory has no address`);
      return v.address;
    }
    if (v.bitField) {
      const b = this.bytes(v, what);
      const raw = readLe(b, 0, Math.min(16, b.length));
      const field = (raw >> BigInt(v.bitField.offset)) & ((1n << BigInt(v.bitField.size)) - 1n);
      const info = intInfo(v.type);
      return info?.signed ? BigInt.asIntN(v.bitField.size, field) : field;
    }
    if (isFloat(t)) throw new CExprError(`${what}: floating-point arithmetic is not supported`);
    const info = intInfo(t) ?? (t.kind === 'pointer' ? { size: 8, signed: false } : undefined);
    if (!info) throw new CExprError(`${what} is a ${describe(v.type)}, not a number or pointer`);
    const b = this.bytes(v, what);
    return normalize(readLe(b, 0, info.size), info);
  }

  /** The type a value has after array-to-pointer decay (C11 §6.3.2.1). */
  decayed(v: CResult): TypeNode {
    const t = stripType(v.type);
    if (t.kind === 'array') return pointerTo(t.element);
    if (t.kind === 'function') return pointerTo(v.type);
    return v.type;
  }

  int(value: bigint, type: TypeNode): CResult {
    const info = intInfo(type) ?? { size: 8, signed: false };
    const size = typeSize(type) ?? 8;
    return { type, bytes: leBytes(normalize(value, info), size) };
  }

  eval(n: Node): CResult {
    switch (n.n) {
      case 'num': return this.literal(n.v, n.text);
      case 'char': return this.int(n.v, INT); // a character constant has type int (C11 §6.4.4.4)
      case 'id': return this.identifier(n.name);
      case 'member': return this.member(n);
      case 'index': {
        const obj = this.eval(n.obj);
        const idx = this.eval(n.index);
        const ot = stripType(obj.type);
        // An array held only as bytes (a register or constant): index its bytes.
        if (ot.kind === 'array' && obj.address === undefined && obj.bytes) {
          const el = elementType(ot);
          const i = Number(this.scalar(idx, 'index'));
          const es = typeSize(el) ?? 1;
          if (i < 0 || (i + 1) * es > obj.bytes.length) throw new CExprError(`index ${i} is outside the array (${obj.bytes.length / es} elements)`);
          return { type: el, bytes: obj.bytes.subarray(i * es, (i + 1) * es) };
        }
        return this.deref(this.add(obj, idx, '+'), 'subscript');
      }
      case 'unary': return this.unary(n.op, n.arg);
      case 'cast': return this.cast(this.resolveType(n.type), this.eval(n.arg));
      case 'sizeofType': return this.int(BigInt(this.sizeOf(this.resolveType(n.type), n.type.text)), ULONG);
      case 'sizeofExpr': {
        const v = this.eval(n.arg);
        return this.int(BigInt(this.sizeOf(v.type, 'the expression')), ULONG);
      }
      case 'binary': return this.binary(n.op, n.left, n.right);
      case 'cond': {
        const c = this.eval(n.test);
        return this.scalar(c, 'condition') !== 0n ? this.condResult(this.eval(n.yes), n.no) : this.condResult(this.eval(n.no), n.yes);
      }
    }
  }

  /**
   * A ?: result converted to the common type of both arms when both are integers (C11 §6.5.15 ¶5).
   * The other arm is evaluated only for its type (evaluation has no side effects); when it
   * cannot be (it reads unmapped memory, say), the chosen arm keeps its promoted type.
   */
  private condResult(v: CResult, other: Node): CResult {
    const t = this.decayed(v);
    if (!intInfo(t)) return v;
    let ot: TypeNode | undefined;
    try { ot = this.decayed(this.eval(other)); } catch { ot = undefined; }
    return this.int(this.scalar(v, 'operand'), ot && intInfo(ot) ? common(t, ot) : promote(t));
  }

  private sizeOf(t: TypeNode, what: string): number {
    const s = stripType(t);
    if ((s.kind === 'struct' || s.kind === 'union') && s.declaration) throw new CExprError(`sizeof ${describe(t)}: the type is incomplete`);
    const size = typeSize(t);
    if (size === undefined) throw new CExprError(`sizeof ${what}: the size of ${describe(t)} is unknown`);
    return size;
  }

  /** Integer literal types (C11 §6.4.4.1): the first of int, (unsigned int,) long, unsigned long that holds the value. */
  private literal(v: bigint, text: string): CResult {
    const suffix = (/[uUlL]+$/.exec(text)?.[0] ?? '').toLowerCase();
    const u = suffix.includes('u');
    const l = suffix.includes('l');
    const decimal = !/^0[xXbBoO0-7]/.test(text) || text === '0' || /^0[uUlL]*$/.test(text);
    const candidates: TypeNode[] = [];
    if (!l) { if (!u) candidates.push(INT); if (u || !decimal) candidates.push(UINT); }
    if (!u) candidates.push(LONG);
    if (u || !decimal) candidates.push(ULONG);
    for (const t of candidates) {
      const i = intInfo(t)!;
      const max = i.signed ? (1n << BigInt(i.size * 8 - 1)) - 1n : (1n << BigInt(i.size * 8)) - 1n;
      if (v <= max) return this.int(v, t);
    }
    if (v < 1n << 64n) return this.int(v, ULONG);
    throw new CExprError(`integer literal '${text}' is too large for 64 bits`);
  }

  private identifier(name: string): CResult {
    const o = this.scope.variable(name);
    if (o) return { ...o };
    const e = this.scope.enumerator(name);
    if (e) return this.int(e.value, e.type);
    const r = this.scope.register(name);
    if (r !== undefined) return this.int(r, ULONG);
    throw new CExprError(`no variable, enum constant, register or symbol named '${name}'`);
  }

  private member(n: Extract<Node, { n: 'member' }>): CResult {
    // A system register field (`HCR_EL2.VM`) when the left side is a plain register name.
    if (!n.arrow && n.obj.n === 'id' && !this.scope.variable(n.obj.name)) {
      const f = this.scope.register(`${n.obj.name}.${n.name}`);
      if (f !== undefined) return this.int(f, ULONG);
    }
    let obj = this.eval(n.obj);
    if (n.arrow) {
      if (!isPointer(this.decayed(obj))) throw new CExprError(`'->${n.name}' needs a pointer to a struct or union, but the left side is ${describe(obj.type)}`);
      obj = this.deref(obj, `'->${n.name}'`);
    }
    const t = stripType(obj.type);
    if (t.kind !== 'struct' && t.kind !== 'union' && t.kind !== 'class') {
      throw new CExprError(`'${n.arrow ? '->' : '.'}${n.name}' needs a struct or union, but the left side is ${describe(obj.type)}${isPointer(obj.type) && !n.arrow ? ` (use '->')` : ''}`);
    }
    const found = findMember(t, n.name);
    if (!found) throw new CExprError(`no member '${n.name}' in ${describe(obj.type)}`);
    const { type, offset, bitField } = found;
    const size = typeSize(type) ?? 0;
    if (bitField) {
      // The bytes that hold the field's bits; its offset is then counted from the first of them.
      const first = Math.floor(bitField.offset / 8);
      const span = Math.ceil(((bitField.offset % 8) + bitField.size) / 8);
      const bf = { offset: bitField.offset % 8, size: bitField.size };
      if (obj.address !== undefined) {
        const b = this.scope.readMemory(obj.address + BigInt(first), span);
        if (!b) throw new CExprError(`cannot read ${span} byte(s) at 0x${(obj.address + BigInt(first)).toString(16)}: memory not mapped or not readable`);
        return { type, bytes: b, bitField: bf };
      }
      if (obj.bytes) return { type, bytes: obj.bytes.subarray(first, first + span), bitField: bf };
      return { type, missing: obj.missing ?? 'unavailable', bitField: bf };
    }
    if (obj.address !== undefined) return { type, address: obj.address + BigInt(offset), missing: obj.missing };
    if (obj.bytes) return { type, bytes: obj.bytes.subarray(offset, offset + size) };
    return { type, missing: obj.missing ?? 'unavailable' };
  }

  /** `*p`: the object p points to (lazily read). `*x0` of an integer reads an unsigned long there. */
  deref(v: CResult, what: string): CResult {
    const t = stripType(this.decayed(v));
    if (t.kind === 'pointer') {
      const target = t.target;
      if (stripType(target).kind === 'void') throw new CExprError(`${what}: cannot dereference a 'void *' (cast it first)`);
      return { type: target, address: this.scalar(v, what) };
    }
    if (intInfo(t)) return { type: ULONG, address: BigInt.asUintN(64, this.scalar(v, what)) };
    throw new CExprError(`${what}: cannot dereference ${describe(v.type)}`);
  }

  private unary(op: string, argNode: Node): CResult {
    const arg = this.eval(argNode);
    switch (op) {
      case '*': return this.deref(arg, "'*'");
      case '&': {
        if (arg.bitField) throw new CExprError(`'&' of a bit field is not allowed`);
        if (arg.address === undefined) throw new CExprError(`'&' needs an object in memory; this value ${arg.missing ? `is ${arg.missing}` : 'is not in memory (a register or a constant)'}`);
        return this.int(arg.address, pointerTo(arg.type)) as CResult;
      }
      case '!': return this.int(this.scalar(arg, "operand of '!'") === 0n ? 1n : 0n, INT);
      default: {
        const t = this.decayed(arg);
        if (!intInfo(t)) throw new CExprError(`'${op}' needs an integer, but the operand is ${describe(arg.type)}`);
        const pt = promote(t);
        const x = this.scalar(arg, `operand of '${op}'`);
        return this.int(op === '-' ? -x : op === '~' ? ~x : x, pt);
      }
    }
  }

  cast(to: TypeNode, v: CResult): CResult {
    const t = stripType(to);
    if (t.kind === 'void') return { type: VOID, bytes: new Uint8Array(0) };
    if (!isScalar(to)) throw new CExprError(`cannot cast to ${describe(to)}: only integer, enum and pointer types`);
    const from = this.decayed(v);
    if (!isScalar(from) && !isArray(v.type)) throw new CExprError(`cannot cast ${describe(v.type)} to ${describe(to)}`);
    const x = this.scalar(v, 'cast operand');
    if (intInfo(to)?.size === 1 && stripType(to).kind === 'base' && (stripType(to) as { encoding: string }).encoding === 'DW_ATE_boolean') return this.int(x !== 0n ? 1n : 0n, to);
    return this.int(x, to);
  }

  private add(a: CResult, b: CResult, op: '+' | '-'): CResult {
    const ta = this.decayed(a), tb = this.decayed(b);
    const pa = stripType(ta).kind === 'pointer', pb = stripType(tb).kind === 'pointer';
    if (pa && pb) {
      if (op === '+') throw new CExprError(`cannot add two pointers`);
      const size = BigInt(typeSize((stripType(ta) as { target: TypeNode }).target) ?? 1) || 1n;
      const d = BigInt.asIntN(64, this.scalar(a, 'left operand') - this.scalar(b, 'right operand'));
      return this.int(d / size, LONG); // ptrdiff_t (C11 §6.5.6 ¶9)
    }
    if (pa || pb) {
      if (pb && op === '-') throw new CExprError(`cannot subtract a pointer from an integer`);
      const [p, pt, i] = pa ? [a, ta, b] : [b, tb, a];
      if (!intInfo(this.decayed(i))) throw new CExprError(`pointer arithmetic needs an integer operand, not ${describe(i.type)}`);
      const size = BigInt(typeSize((stripType(pt) as { target: TypeNode }).target) ?? 1);
      const k = this.scalar(i, 'offset');
      const base = this.scalar(p, 'pointer');
      return this.int(BigInt.asUintN(64, op === '+' ? base + k * size : base - k * size), pt);
    }
    return this.arith(op, a, b);
  }

  private arith(op: string, a: CResult, b: CResult): CResult {
    const ta = this.decayed(a), tb = this.decayed(b);
    if (!intInfo(ta)) throw new CExprError(`'${op}' needs integers, but the left operand is ${describe(a.type)}`);
    if (!intInfo(tb)) throw new CExprError(`'${op}' needs integers, but the right operand is ${describe(b.type)}`);
    const x = this.scalar(a, 'left operand'), y = this.scalar(b, 'right operand');
    if (op === '<<' || op === '>>') {
      // The type is the promoted left operand's (C11 §6.5.7); a negative or too-large count is
      // undefined in C: we choose to give 0 (or the sign for >> of a negative value) as AArch64 code would not.
      const pt = promote(ta);
      const bits = BigInt(intInfo(pt)!.size * 8);
      if (y < 0n || y >= bits) return this.int(op === '>>' && x < 0n ? -1n : 0n, pt);
      return this.int(op === '<<' ? x << y : x >> y, pt);
    }
    const ct = common(ta, tb);
    const info = intInfo(ct)!;
    const cx = normalize(x, info), cy = normalize(y, info);
    switch (op) {
      case '+': return this.int(cx + cy, ct);
      case '-': return this.int(cx - cy, ct);
      case '*': return this.int(cx * cy, ct);
      case '/': if (cy === 0n) throw new CExprError('division by zero'); return this.int(cx / cy, ct);
      case '%': if (cy === 0n) throw new CExprError('division by zero'); return this.int(cx % cy, ct);
      case '&': return this.int(cx & cy, ct);
      case '|': return this.int(cx | cy, ct);
      case '^': return this.int(cx ^ cy, ct);
      default: return this.int(compare(op, cx, cy) ? 1n : 0n, INT);
    }
  }

  private binary(op: string, ln: Node, rn: Node): CResult {
    if (op === '&&' || op === '||') {
      const l = this.scalar(this.eval(ln), `left operand of '${op}'`) !== 0n;
      if (op === '&&' && !l) return this.int(0n, INT);
      if (op === '||' && l) return this.int(1n, INT);
      return this.int(this.scalar(this.eval(rn), `right operand of '${op}'`) !== 0n ? 1n : 0n, INT);
    }
    const a = this.eval(ln), b = this.eval(rn);
    if (op === '+' || op === '-') return this.add(a, b, op);
    if (['<', '<=', '>', '>=', '==', '!='].includes(op) && (isPointer(this.decayed(a)) || isPointer(this.decayed(b)))) {
      // Pointers compare as addresses (C11 §6.5.8, §6.5.9); a pointer against an integer (0) too.
      const x = BigInt.asUintN(64, this.scalar(a, 'left operand')), y = BigInt.asUintN(64, this.scalar(b, 'right operand'));
      return this.int(compare(op, x, y) ? 1n : 0n, INT);
    }
    return this.arith(op, a, b);
  }
}

function compare(op: string, x: bigint, y: bigint): boolean {
  switch (op) {
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
    case '==': return x === y;
    case '!=': return x !== y;
    default: throw new CExprError(`unknown operator '${op}'`);
  }
}

function elementType(t: Extract<TypeNode, { kind: 'array' }>): TypeNode {
  if (t.dims.length <= 1) return t.element;
  const dims = t.dims.slice(1);
  const es = t.element.size ?? 0;
  return { kind: 'array', element: t.element, dims, size: dims.reduce((s, d) => s * Number(d.count ?? 0), es) };
}

/** A member by name, looking into anonymous struct/union members (C11 §6.7.2.1 ¶13). */
function findMember(t: StructType, name: string): { type: TypeNode; offset: number; bitField?: { offset: number; size: number } } | undefined {
  for (const m of t.members) {
    if (m.name === name) {
      if (m.bitSize !== undefined && m.bitOffset !== undefined) return { type: m.type, offset: m.byteOffset, bitField: { offset: m.bitOffset, size: m.bitSize } };
      return { type: m.type, offset: m.byteOffset };
    }
    if (m.name === undefined) {
      const inner = stripType(m.type);
      if (inner.kind === 'struct' || inner.kind === 'union' || inner.kind === 'class') {
        const f = findMember(inner, name);
        if (f) return { ...f, offset: f.offset + m.byteOffset, bitField: f.bitField ? { ...f.bitField, offset: f.bitField.offset + m.byteOffset * 8 } : undefined };
      }
    }
  }
  return undefined;
}

function readLe(b: Uint8Array, off: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i] ?? 0);
  return v;
}

export function leBytes(v: bigint, size: number): Uint8Array {
  const b = new Uint8Array(size);
  const u = BigInt.asUintN(Math.max(8, size * 8), v);
  for (let i = 0; i < size; i++) b[i] = Number((u >> BigInt(8 * i)) & 0xffn);
  return b;
}

/** A scope's type-name test: typedef names (and u8…u64) start casts; variables shadow them. */
function typeNameTest(scope: CScope): (name: string) => boolean {
  return (name) => !scope.variable(name) && (scope.type(name) !== undefined || name in BUILTIN);
}

/** Evaluates a C expression in `scope`. Throws CExprError with a message for the user. */
export function evaluateC(src: string, scope: CScope): CResult {
  const tree = parseC(src, typeNameTest(scope));
  const ev = new Evaluator(scope);
  const v = ev.eval(tree);
  // Bit fields are read out here, so a result always carries its own bytes.
  if (v.bitField) {
    const value = ev.scalar(v, src);
    return { type: v.type, bytes: leBytes(value, typeSize(v.type) ?? 8) };
  }
  return v;
}

/** Evaluates a condition or a numeric expression: the scalar value (arrays give their address). */
export function evaluateCScalar(src: string, scope: CScope): bigint {
  const tree = parseC(src, typeNameTest(scope));
  const ev = new Evaluator(scope);
  return ev.scalar(ev.eval(tree), src);
}

/** The bytes of a result (reading memory for an lvalue); throws CExprError when they cannot be read. */
export function resultBytes(v: CResult, scope: CScope, what: string): Uint8Array {
  return new Evaluator(scope).bytes(v, what);
}

/**
 * Assigns `valueSrc` (a C expression) to the lvalue `targetSrc`, converting as C assignment does
 * (C11 §6.5.16.1) for integer, enum and pointer targets. Returns the new value's bytes.
 */
export function assignC(targetSrc: string, valueSrc: string, scope: CScope): CResult {
  const test = typeNameTest(scope);
  const ev = new Evaluator(scope);
  const target = ev.eval(parseC(targetSrc, test));
  if (target.bitField) throw new CExprError(`'${targetSrc}' is a bit field: writing bit fields is not supported`);
  if (!isScalar(target.type)) throw new CExprError(`'${targetSrc}' is ${describe(target.type)}: only integer, enum and pointer objects can be assigned`);
  if (target.type.kind === 'const') throw new CExprError(`'${targetSrc}' is const`);
  const value = ev.cast(target.type, ev.eval(parseC(valueSrc, test)));
  const bytes = value.bytes!;
  if (target.address !== undefined) {
    if (!scope.writeMemory || !scope.writeMemory(target.address, bytes)) throw new CExprError(`cannot write ${bytes.length} byte(s) at 0x${target.address.toString(16)}`);
  } else if (target.write) {
    target.write(bytes);
  } else {
    throw new CExprError(`'${targetSrc}' is not an object that can be written (${target.missing ?? 'a computed value'})`);
  }
  return { type: target.type, address: target.address, bytes };
}
