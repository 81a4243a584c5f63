// Operand kinds of the A64 table. Each record's operand format is a list of tokens
// ("Rd|sp, Rn|sp, AIMM"); each token names an OperandKind that knows how to print itself
// from named encoding fields (objdump 2.40 spelling) and how to parse GNU as syntax back into
// those fields. No kind touches instruction bits directly: fields are placed by the table.
import type { DisasmOptions, EncodeContext } from "./api";
import { decodeBitMask, encodeBitMask, fpImm8ToNumber, numberToFpImm8, signExtend } from "./bits";
import { SYSREG_NAMES, SYSREG_PRINT_NAMES } from "./sysreg-names";
import { PSTATE_FIELDS, SYS_OPS } from "./sysops-data";
import { SIMD_KINDS } from "./operands-simd";

export type Fields = Record<string, number>;

export interface DisState {
  pc: bigint;
  symbolize?: DisasmOptions["symbolize"];
  /** Set by an operand that wants objdump's trailing "\t// ..." comment. */
  comment: string;
}

export interface ParseState {
  pieces: string[];
  /** lower-cased pieces (registers, names) */
  lower: string[];
  cols: number[];
  i: number;
  ctx: EncodeContext;
}

/** A parse error; `weak` marks "right shape family, wrong variant" errors that a sibling record
 * (e.g. the register-offset form of a load) usually explains better. */
export interface OpErr { msg: string; col: number; weak?: boolean }

export interface OperandKind {
  readonly token: string;
  /** Human-readable syntax for messages, hover and completion. */
  readonly syntax: string;
  /** Text, "" when omitted, null when the fields hold a reserved value (record does not match). */
  print(f: Fields, d: DisState): string | null;
  /** Parses pieces[st.i..] into fields; advances st.i. */
  parse(st: ParseState, f: Fields): OpErr | undefined;
  /** Cheap pre-check of a lower-cased operand (false = certainly not this kind). */
  readonly quick?: (lower: string) => boolean;
  /** May consume other than exactly one operand piece (shifted immediates, post-index, pairs). */
  readonly multi?: boolean;
  /** When the operand may be left out (only trailing operands): fills its fields. */
  readonly fillDefault?: (f: Fields) => void;
  /** Fields this operand prints; used to check ties and round-trips. */
  readonly uses?: readonly string[];
}

const MASK64 = (1n << 64n) - 1n;

// ---- helpers ---------------------------------------------------------------------------------

export const hex = (v: number | bigint) => "0x" + v.toString(16);

export function err(st: ParseState, msg: string, at = st.i, offset = 0): OpErr {
  const col = at < st.cols.length ? st.cols[at] + offset : st.cols.length ? st.cols[st.cols.length - 1] : 0;
  return { msg, col };
}

export interface GpReg { n: number; is64: boolean; sp: boolean }
interface FpReg { n: number; cls: string }
export const GP = new Map<string, GpReg>();
const FP = new Map<string, FpReg>();
for (let n = 0; n < 31; n++) {
  GP.set("x" + n, { n, is64: true, sp: false });
  GP.set("w" + n, { n, is64: false, sp: false });
}
GP.set("xzr", { n: 31, is64: true, sp: false });
GP.set("wzr", { n: 31, is64: false, sp: false });
GP.set("sp", { n: 31, is64: true, sp: true });
GP.set("wsp", { n: 31, is64: false, sp: true });
GP.set("ip0", { n: 16, is64: true, sp: false });
GP.set("ip1", { n: 17, is64: true, sp: false });
GP.set("fp", { n: 29, is64: true, sp: false });
GP.set("lr", { n: 30, is64: true, sp: false });
for (let n = 0; n < 32; n++) for (const c of "bhsdqv") FP.set(c + n, { n, cls: c });

export function isRegisterName(s: string): boolean {
  return GP.has(s) || FP.has(s);
}

/** Parses a general-purpose register. want: 64, 32 or 0 (either). */
export function parseGp(st: ParseState, text: string, want: 0 | 32 | 64, allowSp: boolean, at: number, offset = 0): GpReg | OpErr {
  const r = GP.get(text);
  const what = want === 64 ? "a 64-bit general-purpose register (x0-x30" : want === 32 ? "a 32-bit general-purpose register (w0-w30" : "a general-purpose register (x0-x30, w0-w30";
  const tail = allowSp ? (want === 32 ? ", wsp)" : want === 64 ? ", sp)" : ", sp, wsp)") : want === 32 ? ", wzr)" : want === 64 ? ", xzr)" : ", xzr, wzr)";
  if (!r) return err(st, `expected ${what}${tail}, got '${text}'`, at, offset);
  if (want && (want === 64) !== r.is64) return err(st, `expected ${what}${tail}, got '${text}'`, at, offset);
  if (r.n === 31 && r.sp !== allowSp) {
    return err(st, allowSp ? `'${text}' is not allowed here, use ${r.is64 ? "sp" : "wsp"}` : `'${text}' is not allowed here, use ${r.is64 ? "xzr" : "wzr"}`, at, offset);
  }
  return r;
}

export function gpName(n: number, is64: boolean, sp: boolean): string {
  if (n === 31) return sp ? (is64 ? "sp" : "wsp") : is64 ? "xzr" : "wzr";
  return (is64 ? "x" : "w") + n;
}

const NUM_RE = /^[-+]?(0x[0-9a-f]+|0b[01]+|[0-9]+)$/i;
export function parseNumber(t: string): bigint | undefined {
  if (!NUM_RE.test(t)) return undefined;
  let neg = false;
  if (t[0] === "-" || t[0] === "+") { neg = t[0] === "-"; t = t.slice(1); }
  let v: bigint;
  if (t.length > 1 && t[0] === "0" && /[0-7]/.test(t[1]) && !/[89]/.test(t)) v = BigInt("0o" + t.slice(1));
  else v = BigInt(t);
  return neg ? -v : v;
}

/** Evaluates an immediate operand text (with or without '#'); propagates ctx.evaluate errors. */
export function evalImm(st: ParseState, text: string, needHash: boolean, at = st.i): bigint | OpErr {
  let t = text.trim();
  if (t.startsWith("#")) t = t.slice(1).trim();
  else if (needHash) return err(st, `expected an immediate '#...', got '${text}'`, at);
  if (t === "") return err(st, "missing immediate value", at);
  const n = parseNumber(t);
  if (n === undefined && (GP.has(t.toLowerCase()) || FP.has(t.toLowerCase()))) return err(st, `expected an immediate, got register '${t}'`, at);
  if (n !== undefined) return n;
  return st.ctx.evaluate(t);
}

export function isErr(x: unknown): x is OpErr {
  return typeof x === "object" && x !== null && "msg" in x;
}

export function rangeErr(st: ParseState, v: bigint, lo: bigint | number | string, hi: bigint | number | string, at = st.i, what = "immediate"): OpErr {
  return err(st, `${what} out of range (${lo} to ${hi}): ${v}`, at);
}

function next(st: ParseState): string | undefined {
  return st.i < st.pieces.length ? st.pieces[st.i] : undefined;
}

function printAddress(addr: bigint, d: DisState): string {
  addr &= MASK64;
  const s = d.symbolize?.(addr);
  if (!s) return hex(addr);
  const off = s.offset < 0n ? "-" + hex(-s.offset) : s.offset ? "+" + hex(s.offset) : "";
  return `${addr.toString(16)} <${s.name}${off}>`;
}

/** Strips an objdump-style " <sym+0x10>" suffix so disassembly text reassembles. */
export function stripSym(t: string): string {
  const lt = t.indexOf(" <");
  if (lt > 0 && t.endsWith(">")) {
    const a = t.slice(0, lt).trim();
    if (/^[0-9a-f]+$/i.test(a)) return "0x" + a;
  }
  return t;
}

// ---- wide / logical immediates --------------------------------------------------------------

/** binutils aarch64_wide_constant_p: value loadable by one MOVZ. */
export function wideConstant(value: bigint, is32: boolean): number | undefined {
  value &= MASK64;
  if (is32) {
    const hi = value >> 32n;
    if (hi !== 0n && hi !== 0xffffffffn) return undefined;
    value &= 0xffffffffn;
  }
  for (let hw = 0; hw < (is32 ? 2 : 4); hw++) {
    if ((value & (0xffffn << BigInt(16 * hw))) === value) return hw;
  }
  return undefined;
}

function fitWidth(st: ParseState, v: bigint, is64: boolean, at = st.i): bigint | OpErr {
  if (is64) {
    if (v < -(1n << 63n) || v > MASK64) return rangeErr(st, v, "-0x8000000000000000", "0xffffffffffffffff", at);
    return v & MASK64;
  }
  if (v < -(1n << 31n) || v > 0xffffffffn) {
    // GNU also accepts 64-bit values whose top half is all ones (e.g. ~0x80000000 computed as 64-bit)
    if ((v & MASK64) >> 32n === 0xffffffffn) return v & 0xffffffffn;
    return rangeErr(st, v, "-0x80000000", "0xffffffff", at);
  }
  return v & 0xffffffffn;
}

// ---- condition codes -------------------------------------------------------------------------
const COND_NAMES: string[][] = [
  ["eq", "none"], ["ne", "any"], ["cs", "hs", "nlast"], ["cc", "lo", "ul", "last"], ["mi", "first"],
  ["pl", "nfrst"], ["vs"], ["vc"], ["hi", "pmore"], ["ls", "plast"], ["ge", "tcont"], ["lt", "tstop"],
  ["gt"], ["le"], ["al"], ["nv"],
];
export const CONDITIONS = COND_NAMES;
const COND_BY_NAME = new Map<string, number>();
COND_NAMES.forEach((ns, i) => ns.forEach((n) => COND_BY_NAME.set(n, i)));
export function condByName(s: string): number | undefined {
  return COND_BY_NAME.get(s);
}
/** objdump's comment listing the other names of a condition (b.cond uses its own form). */
function condComment(c: number): string {
  const ns = COND_NAMES[c];
  return ns.length > 1 ? `${ns[0]} = ${ns.slice(1).join(", ")}` : "";
}

// ---- system register / operation tables ----------------------------------------------------
const SYSREG_MRS = new Map<number, string>();
const SYSREG_MSR = new Map<number, string>();
for (const [k, r, w] of SYSREG_PRINT_NAMES) {
  if (r) SYSREG_MRS.set(k, r);
  if (w) SYSREG_MSR.set(k, w);
}
const SYSREG_BY_NAME = new Map<string, number>();
for (const [n, e] of Object.entries(SYSREG_NAMES)) SYSREG_BY_NAME.set(n, (e.op0 << 14) | (e.op1 << 11) | (e.crn << 7) | (e.crm << 3) | e.op2);
const SYSREG_GENERIC = /^s([0-3])_([0-7])_c([0-9]|1[0-5])_c([0-9]|1[0-5])_([0-7])$/;

interface SysOp { key: number; reg: "r" | "n" }
const SYSOP_PRINT = new Map<string, Map<number, { name: string; reg: "r" | "n" }>>();
const SYSOP_PARSE = new Map<string, Map<string, SysOp>>();
for (const [key, kind, name, reg] of SYS_OPS) {
  if (!SYSOP_PRINT.has(kind)) { SYSOP_PRINT.set(kind, new Map()); SYSOP_PARSE.set(kind, new Map()); }
  SYSOP_PRINT.get(kind)!.set(key, { name, reg });
  SYSOP_PARSE.get(kind)!.set(name, { key, reg });
}
export const SYSOP_NAMES: ReadonlyMap<string, ReadonlyMap<string, SysOp>> = SYSOP_PARSE;

const PSTATE_BY_KEY = new Map<number, string>();
const PSTATE_BY_NAME = new Map<string, number>();
for (const [op1, op2, name] of PSTATE_FIELDS) { PSTATE_BY_KEY.set((op1 << 3) | op2, name); PSTATE_BY_NAME.set(name, (op1 << 3) | op2); }

const PRFOPS = ["pldl1keep", "pldl1strm", "pldl2keep", "pldl2strm", "pldl3keep", "pldl3strm", "", "",
  "plil1keep", "plil1strm", "plil2keep", "plil2strm", "plil3keep", "plil3strm", "", "",
  "pstl1keep", "pstl1strm", "pstl2keep", "pstl2strm", "pstl3keep", "pstl3strm"];
const PRFOP_BY_NAME = new Map<string, number>();
PRFOPS.forEach((n, i) => n && PRFOP_BY_NAME.set(n, i));

// ---- memory operand parsing -------------------------------------------------------------------
interface MemParts { inner: string[]; innerCols: number[]; wb: boolean }
export function parseMem(st: ParseState, at: number): MemParts | OpErr {
  const t = st.pieces[at];
  if (t === undefined) return err(st, "missing memory operand '[Xn|SP...]'", at);
  if (t[0] !== "[") return err(st, `expected a memory operand '[Xn|SP...]', got '${t}'`, at);
  const close = t.lastIndexOf("]");
  if (close < 0) return err(st, "missing ']' in memory operand", at);
  const tail = t.slice(close + 1).trim();
  if (tail !== "" && tail !== "!") return err(st, `unexpected '${tail}' after memory operand`, at, close + 1);
  const body = t.slice(1, close);
  const inner: string[] = [];
  const innerCols: number[] = [];
  let start = 0;
  for (let k = 0; k <= body.length; k++) {
    if (k === body.length || body[k] === ",") {
      const raw = body.slice(start, k);
      const lead = raw.length - raw.trimStart().length;
      inner.push(raw.trim());
      innerCols.push(1 + start + lead);
      start = k + 1;
    }
  }
  return { inner, innerCols, wb: tail === "!" };
}

function parseBase(st: ParseState, m: MemParts, at: number, f: Fields): OpErr | undefined {
  const r = parseGp(st, m.inner[0].toLowerCase(), 64, true, at, m.innerCols[0]);
  if (isErr(r)) return r;
  f.Rn = r.n;
  return undefined;
}

/** Parses the offset immediate inside [...]: "#imm", "imm", ":lo12:sym". */
function memImm(st: ParseState, text: string, at: number, col: number, lo12Scale = -1): bigint | OpErr {
  let t = text.trim();
  if (t.startsWith("#")) t = t.slice(1).trim();
  if (t.toLowerCase().startsWith(":lo12:")) {
    if (lo12Scale < 0) return err(st, "':lo12:' is not allowed here", at, col);
    return BigInt.asUintN(12, st.ctx.evaluate(t.slice(6).trim()));
  }
  if (t === "") return err(st, "missing offset", at, col);
  const n = parseNumber(t);
  return n !== undefined ? n : st.ctx.evaluate(t);
}

// ---- kind factory ------------------------------------------------------------------------------

const GP_TOKEN = /^([RXW])(d|n|m|t|t2|s|a)(\|sp)?(=\d+)?$/;
const FP_TOKEN = /^([BHSDQF])(d|n|m|t|t2|a)$/;
const FTYPE_CLS = ["s", "d", "", "h"];

export const notReg = (t: string) => !GP.has(t) && !FP.has(t) && t[0] !== "[" && t[0] !== "{" && !/^v\d+\s*\./.test(t);
const isMem = (t: string) => t[0] === "[";

const cache = new Map<string, OperandKind>();

export function operandKind(token: string): OperandKind {
  let k = cache.get(token);
  if (!k) { k = makeKind(token); cache.set(token, k); }
  return k;
}

function makeKind(token: string): OperandKind {
  let m = GP_TOKEN.exec(token);
  if (m) return gpKind(token, m[1] as "R" | "X" | "W", "R" + m[2], !!m[3], m[4] ? Number(m[4].slice(1)) : undefined);
  m = FP_TOKEN.exec(token);
  if (m) return fpKind(token, m[1].toLowerCase(), "R" + m[2]);
  if (token.startsWith("'")) return literalKind(token.slice(1, -1));
  const paren = token.indexOf("(");
  const name = paren < 0 ? token : token.slice(0, paren);
  const args = paren < 0 ? [] : token.slice(paren + 1, -1).split(",");
  const make = KINDS[name] ?? SIMD_KINDS[name];
  if (!make) throw new Error(`unknown operand kind '${token}'`);
  return make(token, args);
}

function gpKind(token: string, w: "R" | "X" | "W", field: string, sp: boolean, dflt: number | undefined): OperandKind {
  const syntax = (w === "R" ? "<R" : "<" + w) + field.slice(1) + (sp ? "|SP>" : ">");
  return {
    token, syntax, uses: [field],
    quick(t) {
      const r = GP.get(t);
      return r !== undefined && (w === "R" || r.is64 === (w === "X"));
    },
    print(f) {
      const n = f[field];
      if (dflt !== undefined && n === dflt) return "";
      const is64 = w === "X" || (w === "R" && f.sf === 1);
      return gpName(n, is64, sp);
    },
    parse(st, f) {
      const t = st.lower[st.i];
      let want: 0 | 32 | 64 = w === "X" ? 64 : w === "W" ? 32 : 0;
      if (w === "R" && f.sf !== undefined) want = f.sf ? 64 : 32;
      const r = parseGp(st, t, want, sp, st.i);
      if (isErr(r)) return r;
      if (w === "R" && f.sf === undefined) f.sf = r.is64 ? 1 : 0;
      f[field] = r.n;
      st.i++;
      return undefined;
    },
    fillDefault: dflt !== undefined ? (f) => { f[field] = dflt; } : undefined,
  };
}

function fpKind(token: string, cls: string, field: string): OperandKind {
  const syntax = `<${cls.toUpperCase()}${field.slice(1)}>`;
  const clsOf = (f: Fields) => (cls === "f" ? FTYPE_CLS[f.ftype] : cls);
  return {
    token, syntax, uses: [field],
    quick(t) {
      const r = FP.get(t);
      return r !== undefined && (cls === "f" ? r.cls === "h" || r.cls === "s" || r.cls === "d" : r.cls === cls);
    },
    print(f) {
      const c = clsOf(f);
      if (!c) return null;
      return c + f[field];
    },
    parse(st, f) {
      const t = st.lower[st.i];
      const r = FP.get(t);
      if (cls === "f") {
        if (!r || !"hsd".includes(r.cls)) return err(st, `expected a floating-point register (h0-h31, s0-s31, d0-d31), got '${st.pieces[st.i]}'`);
        const ft = FTYPE_CLS.indexOf(r.cls);
        if (f.ftype !== undefined && f.ftype !== ft) return err(st, `expected ${FTYPE_CLS[f.ftype]}-register, got '${st.pieces[st.i]}' (operands must have the same type)`);
        f.ftype = ft;
      } else if (!r || r.cls !== cls) {
        return err(st, `expected a ${cls.toUpperCase()} register (${cls}0-${cls}31), got '${st.pieces[st.i]}'`);
      }
      f[field] = r.n;
      st.i++;
      return undefined;
    },
  };
}

function literalKind(word: string): OperandKind {
  return {
    token: `'${word}'`, syntax: word,
    quick: (t) => t === word,
    print: () => word,
    parse(st) {
      if (st.lower[st.i] !== word) return err(st, `expected '${word}', got '${st.pieces[st.i]}'`);
      st.i++;
      return undefined;
    },
  };
}

type Factory = (token: string, args: string[]) => OperandKind;

/** Unsigned immediate in one field, printed in hex ("#0x1f") or decimal ("#31"). */
function uimm(token: string, field: string, width: number, style: "hex" | "dec", opts: { optional?: number; hashOptional?: boolean } = {}): OperandKind {
  const max = (1 << width) - 1;
  return {
    token, syntax: `#<${field}>`, uses: [field],
    quick: notReg,
    print(f) {
      const v = f[field];
      if (opts.optional !== undefined && v === opts.optional) return "";
      return style === "hex" ? "#" + hex(v) : "#" + v;
    },
    parse(st, f) {
      const v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      if (v < 0n || v > BigInt(max)) return rangeErr(st, v, 0, max);
      f[field] = Number(v);
      st.i++;
      return undefined;
    },
    fillDefault: opts.optional !== undefined ? (f) => { f[field] = opts.optional!; } : undefined,
  };
}

const SHIFT_NAMES = ["lsl", "lsr", "asr", "ror"];
const EXTEND_NAMES = ["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"];

function regSize(f: Fields): 32 | 64 {
  return f.sf ? 64 : 32;
}

/** Branch/literal target: field holds a signed word offset (scale 4) or byte offset. */
function labelKind(token: string, fieldSpec: string, kind: "pc" | "adr" | "adrp"): OperandKind {
  const width = kind === "pc" ? Number(fieldSpec.replace(/^imm/, "")) : 21;
  return {
    token, syntax: "<label>", quick: notReg,
    print(f, d) {
      let addr: bigint;
      if (kind === "pc") addr = d.pc + BigInt(signExtend(f[fieldSpec], width)) * 4n;
      else if (kind === "adr") addr = d.pc + BigInt(signExtend((f.immhi << 2) | f.immlo, 21));
      else addr = (d.pc & ~0xfffn) + (BigInt(signExtend((f.immhi << 2) | f.immlo, 21)) << 12n);
      return printAddress(addr, d);
    },
    parse(st, f) {
      let t = st.pieces[st.i].trim();
      if (!notReg(st.lower[st.i].trim())) return err(st, `expected a label or address, got '${t}'`);
      if (t.startsWith("#")) t = t.slice(1);
      t = stripSym(t);
      if (kind === "adrp" && t.toLowerCase().startsWith(":pg_hi21:")) t = t.slice(9);
      const n = parseNumber(t);
      const target = n !== undefined ? n : st.ctx.evaluate(t);
      if (kind === "adrp") {
        const off = BigInt.asIntN(64, ((target & ~0xfffn) - (st.ctx.pc & ~0xfffn))) >> 12n;
        if (off < -(1n << 20n) || off >= 1n << 20n) return err(st, `adrp target out of range (±4 GiB): ${hex(target & MASK64)}`);
        const v = Number(off) & 0x1fffff;
        f.immlo = v & 3; f.immhi = v >> 2;
      } else {
        const off = BigInt.asIntN(64, target - st.ctx.pc);
        if (kind === "adr") {
          if (off < -(1n << 20n) || off >= 1n << 20n) return err(st, `adr target out of range (±1 MiB): offset ${off}`);
          const v = Number(off) & 0x1fffff;
          f.immlo = v & 3; f.immhi = v >> 2;
        } else {
          if (off & 3n) return err(st, `branch target is not 4-byte aligned: offset ${off}`);
          const lim = 1n << BigInt(width + 1);
          if (off < -lim || off >= lim) return err(st, `branch target out of range (±${fmtRange(lim)}): offset ${off}`);
          f[fieldSpec] = Number(off >> 2n) & ((1 << width) - 1);
        }
      }
      st.i++;
      return undefined;
    },
  };
}
function fmtRange(lim: bigint): string {
  return lim >= 1n << 20n ? `${lim >> 20n} MiB` : `${lim >> 10n} KiB`;
}

/** [Xn|SP{, #imm}] with a scaled unsigned 12-bit offset. */
function memUoff(token: string, scale: number): OperandKind {
  const size = 1 << scale;
  return {
    token, syntax: `[<Xn|SP>{, #<pimm>}]`, uses: ["Rn", "imm12"],
    quick: isMem,
    print(f) {
      const off = f.imm12 * size;
      return off ? `[${gpName(f.Rn, true, true)}, #${off}]` : `[${gpName(f.Rn, true, true)}]`;
    },
    parse(st, f) {
      const m = parseMem(st, st.i);
      if (isErr(m)) return m;
      if (m.wb) return { ...err(st, "unexpected '!'", st.i), weak: true };
      const e = parseBase(st, m, st.i, f);
      if (e) return e;
      if (m.inner.length >= 2 && GP.has(m.inner[1].toLowerCase())) return { ...err(st, "register offset not allowed here", st.i, m.innerCols[1]), weak: true };
      if (m.inner.length > 2) return err(st, "too many elements in memory operand for an immediate offset", st.i, m.innerCols[2]);
      let off = 0n;
      if (m.inner.length === 2) {
        const t = m.inner[1];
        const lo12 = t.replace(/^#\s*/, "").toLowerCase().startsWith(":lo12:");
        const v = memImm(st, t, st.i, m.innerCols[1], scale);
        if (isErr(v)) return v;
        if (lo12) { f.imm12 = Number(v) >> scale; st.i++; return undefined; }
        off = v;
      }
      if (off < 0n || off > BigInt(4095 * size) || off % BigInt(size) !== 0n) {
        return err(st, `offset out of range (0 to ${4095 * size}${size > 1 ? `, multiple of ${size}` : ""}): ${off}`, st.i, m.innerCols[1] ?? 0);
      }
      f.imm12 = Number(off) / size;
      st.i++;
      return undefined;
    },
  };
}

/** 9-bit signed byte offset: "off" [Xn{, #s}], "pre" [Xn, #s]!, "post" [Xn], #s. */
function memS9(token: string, mode: "off" | "pre" | "post", field = "imm9", width = 9, scale = 0): OperandKind {
  const lo = -(1 << (width - 1)) * (1 << scale);
  const hi = ((1 << (width - 1)) - 1) * (1 << scale);
  const unit = 1 << scale;
  return {
    token, syntax: mode === "off" ? "[<Xn|SP>{, #<simm>}]" : mode === "pre" ? "[<Xn|SP>, #<simm>]!" : "[<Xn|SP>], #<simm>", uses: ["Rn", field],
    quick: isMem, multi: mode === "post",
    print(f) {
      const off = signExtend(f[field], width) * unit;
      const base = gpName(f.Rn, true, true);
      if (mode === "off") return off ? `[${base}, #${off}]` : `[${base}]`;
      if (mode === "pre") return `[${base}, #${off}]!`;
      return `[${base}], #${off}`;
    },
    parse(st, f) {
      const m = parseMem(st, st.i);
      if (isErr(m)) return m;
      const e = parseBase(st, m, st.i, f);
      if (e) return e;
      let v: bigint | OpErr = 0n;
      let at = st.i, col = 0;
      if (mode === "post") {
        if (m.wb || m.inner.length !== 1) return { ...err(st, "expected '[Xn|SP], #imm' (post-index)", st.i), weak: true };
        st.i++;
        if (st.i >= st.pieces.length) return err(st, "missing post-index offset '#imm'", st.i - 1);
        at = st.i;
        v = evalImm(st, st.pieces[st.i], false);
      } else {
        if (mode === "pre" && !m.wb) return { ...err(st, "expected '!' for pre-index", st.i), weak: true };
        if (mode === "off" && m.wb) return { ...err(st, "unexpected '!'", st.i), weak: true };
        if (m.inner.length >= 2 && GP.has(m.inner[1].toLowerCase())) return { ...err(st, "register offset not allowed here", st.i, m.innerCols[1]), weak: true };
        if (m.inner.length > 2) return err(st, "too many elements in memory operand", st.i, m.innerCols[2]);
        if (m.inner.length === 2) {
          col = m.innerCols[1];
          v = memImm(st, m.inner[1], st.i, col);
        } else if (mode === "pre") return err(st, "pre-index needs an offset '[Xn|SP, #imm]!'", st.i);
      }
      if (isErr(v)) return v;
      if (v < BigInt(lo) || v > BigInt(hi) || v % BigInt(unit) !== 0n) {
        return err(st, `offset out of range (${lo} to ${hi}${unit > 1 ? `, multiple of ${unit}` : ""}): ${v}`, at, col);
      }
      f[field] = (Number(v) / unit) & ((1 << width) - 1);
      st.i++;
      return undefined;
    },
  };
}

/** [Xn|SP, (Wm|Xm){, extend {#amount}}] */
function memReg(token: string, scale: number): OperandKind {
  return {
    token, syntax: "[<Xn|SP>, (<Wm>|<Xm>){, <extend> {<amount>}}]", uses: ["Rn", "Rm", "option", "S"],
    quick: isMem,
    print(f) {
      const opt = f.option;
      if ((opt & 2) === 0) return null;
      const base = gpName(f.Rn, true, true);
      const rm = gpName(f.Rm, (opt & 1) === 1, false);
      const amount = f.S ? ` #${scale}` : "";
      if (opt === 3) return f.S ? `[${base}, ${rm}, lsl #${scale}]` : `[${base}, ${rm}]`;
      return `[${base}, ${rm}, ${EXTEND_NAMES[opt]}${amount}]`;
    },
    parse(st, f) {
      const m = parseMem(st, st.i);
      if (isErr(m)) return m;
      if (m.wb) return err(st, "unexpected '!'", st.i);
      const e = parseBase(st, m, st.i, f);
      if (e) return e;
      if (m.inner.length < 2) return { ...err(st, "expected a register offset '[Xn|SP, Xm]'", st.i), weak: true };
      const r = parseGp(st, m.inner[1].toLowerCase(), 0, false, st.i, m.innerCols[1]);
      if (isErr(r)) return { ...r, weak: !GP.has(m.inner[1].toLowerCase()) };
      f.Rm = r.n;
      let opt = 3, s = 0;
      if (m.inner.length >= 3) {
        const ex = m.inner[2].toLowerCase();
        const mm = /^(\w+)\s*(?:#?\s*(.+))?$/.exec(ex);
        const nm = mm ? mm[1] : "";
        opt = nm === "lsl" ? 3 : EXTEND_NAMES.indexOf(nm);
        if (opt < 0 || (opt & 2) === 0) return err(st, `expected lsl, uxtw, sxtw or sxtx, got '${m.inner[2]}'`, st.i, m.innerCols[2]);
        if (mm && mm[2] !== undefined) {
          const a = parseNumber(mm[2].replace(/^#/, "").trim());
          if (a === undefined || (a !== 0n && a !== BigInt(scale))) return err(st, `shift amount must be ${scale === 0 ? "0" : `0 or ${scale}`}`, st.i, m.innerCols[2]);
          s = scale === 0 ? 1 : a === 0n ? 0 : 1;
        } else if (nm === "lsl") return err(st, "'lsl' needs an amount", st.i, m.innerCols[2]);
        if (m.inner.length > 3) return err(st, "too many elements in memory operand", st.i, m.innerCols[3]);
      }
      if (((opt & 1) === 1) !== r.is64) return err(st, (opt & 1) ? `index register must be 64-bit with ${opt === 3 ? "lsl" : EXTEND_NAMES[opt]}` : `index register must be 32-bit with ${EXTEND_NAMES[opt]}`, st.i, m.innerCols[1]);
      f.option = opt;
      f.S = s;
      st.i++;
      return undefined;
    },
  };
}

/** [Xn|SP{, #0}] as used by exclusives, atomics, acquire/release. */
function mem0(token: string): OperandKind {
  return {
    token, syntax: "[<Xn|SP>{, #0}]", uses: ["Rn"],
    quick: isMem,
    print: (f) => `[${gpName(f.Rn, true, true)}]`,
    parse(st, f) {
      const m = parseMem(st, st.i);
      if (isErr(m)) return m;
      if (m.wb) return err(st, "unexpected '!'", st.i);
      const e = parseBase(st, m, st.i, f);
      if (e) return e;
      if (m.inner.length === 2) {
        const v = memImm(st, m.inner[1], st.i, m.innerCols[1]);
        if (isErr(v)) return v;
        if (v !== 0n) return err(st, `offset must be 0 here, got ${v}`, st.i, m.innerCols[1]);
      } else if (m.inner.length > 2) return err(st, "too many elements in memory operand", st.i, m.innerCols[2]);
      st.i++;
      return undefined;
    },
  };
}

// Register forms that print from one field but consume several (casp pairs).
function regPair(token: string, field: string): OperandKind {
  return {
    token, syntax: `<R${field.slice(1)}>, <R${field.slice(1)}+1>`, uses: [field],
    quick: (t) => GP.has(t),
    multi: true,
    print(f) {
      const n = f[field];
      if (n & 1) return null;
      const is64 = f.sz === 1;
      return `${gpName(n, is64, false)}, ${gpName(n + 1 === 32 ? 31 : n + 1, is64, false)}`;
    },
    parse(st, f) {
      const want = f.sz === undefined ? 0 : f.sz ? 64 : 32;
      const a = parseGp(st, st.lower[st.i], want as 0 | 32 | 64, false, st.i);
      if (isErr(a)) return a;
      f.sz = a.is64 ? 1 : 0;
      if (a.n & 1 || a.n === 31) return err(st, "first register of the pair must be even-numbered");
      if (st.i + 1 >= st.pieces.length) return err(st, "missing second register of the pair", st.i);
      const b = parseGp(st, st.lower[st.i + 1], a.is64 ? 64 : 32, false, st.i + 1);
      if (isErr(b)) return b;
      if (b.n !== a.n + 1) return err(st, "registers of the pair must be consecutive", st.i + 1);
      f[field] = a.n;
      st.i += 2;
      return undefined;
    },
  };
}

const KINDS: Record<string, Factory> = {
  // #imm12{, lsl #12}, also ":lo12:sym" and #imm<<12 forms
  AIMM: (token) => ({
    token, syntax: "#<imm>{, lsl #12}", uses: ["imm12", "sh"],
    quick: notReg, multi: true,
    print: (f) => `#${hex(f.imm12)}${f.sh ? ", lsl #12" : ""}`,
    parse(st, f) {
      let t = st.pieces[st.i].trim();
      if (t.startsWith("#")) t = t.slice(1).trim();
      if (t.toLowerCase().startsWith(":lo12:")) {
        f.imm12 = Number(BigInt.asUintN(12, st.ctx.evaluate(t.slice(6).trim())));
        f.sh = 0;
        st.i++;
        return undefined;
      }
      const v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      const at = st.i;
      st.i++;
      const s = next(st);
      if (s !== undefined) {
        const mm = /^lsl\s*#?\s*(\S+)$/i.exec(s.trim());
        const amt = mm ? parseNumber(mm[1]) : undefined;
        if (amt !== 0n && amt !== 12n) return err(st, `expected 'lsl #0' or 'lsl #12', got '${s}'`);
        if (v < 0n || v > 4095n) return rangeErr(st, v, 0, 4095, at);
        f.imm12 = Number(v); f.sh = amt === 12n ? 1 : 0;
        st.i++;
        return undefined;
      }
      if (v >= 0n && v <= 4095n) { f.imm12 = Number(v); f.sh = 0; return undefined; }
      if (v > 0n && v <= 0xfff000n && (v & 0xfffn) === 0n) { f.imm12 = Number(v >> 12n); f.sh = 1; return undefined; }
      return rangeErr(st, v, 0, 4095, at, "immediate (optionally shifted by 12)");
    },
  }),
  // logical (bitmask) immediate N:immr:imms
  LIMM: (token, args) => ({
    token, syntax: "#<bimm>", uses: ["N", "immr", "imms"],
    quick: notReg,
    print(f) {
      const v = decodeBitMask(f.N, f.imms, f.immr, regSize(f));
      return v === undefined ? null : "#" + hex(v);
    },
    parse(st, f) {
      const v0 = evalImm(st, st.pieces[st.i], false);
      if (isErr(v0)) return v0;
      let v = fitWidth(st, v0, f.sf === 1);
      if (isErr(v)) return v;
      if (args[0] === "inv") v = ~v & (f.sf === 1 ? MASK64 : 0xffffffffn);
      const e = encodeBitMask(v, regSize(f));
      if (!e) return err(st, `immediate ${hex(v)} cannot be encoded as a bitmask immediate${args[0] === "inv" ? " (bic uses the inverted value)" : ""}`);
      f.N = e.n; f.immr = e.immr; f.imms = e.imms;
      st.i++;
      return undefined;
    },
  }),
  // mov alias of orr (bitmask immediate): value with objdump's padded form and decimal comment
  MOVLI: (token) => ({
    token, syntax: "#<imm>", uses: ["N", "immr", "imms"],
    quick: notReg,
    print(f, d) {
      const v = decodeBitMask(f.N, f.imms, f.immr, regSize(f));
      if (v === undefined) return null;
      return movImmText(v, f.sf === 0, d);
    },
    parse(st, f) {
      const v0 = evalImm(st, st.pieces[st.i], false);
      if (isErr(v0)) return v0;
      const v = fitWidth(st, v0, f.sf === 1);
      if (isErr(v)) return v;
      const e = encodeBitMask(v, regSize(f));
      if (!e) return err(st, `immediate ${hex(v)} cannot be loaded by a single mov (not a 16-bit chunk, its inverse, or a bitmask immediate)`);
      f.N = e.n; f.immr = e.immr; f.imms = e.imms;
      st.i++;
      return undefined;
    },
  }),
  // mov alias of movz/movn
  MOVWI: (token, args) => {
    const inverted = args[0] === "n";
    return {
      token, syntax: "#<imm>", uses: ["imm16", "hw"],
    quick: notReg,
      print(f, d) {
        if (f.sf === 0 && f.hw > 1) return null;
        let v = BigInt(f.imm16) << BigInt(16 * f.hw);
        if (inverted) v = ~v & (f.sf ? MASK64 : 0xffffffffn);
        return movImmText(v, f.sf === 0, d);
      },
      parse(st, f) {
        const v0 = evalImm(st, st.pieces[st.i], false);
        if (isErr(v0)) return v0;
        const is64 = f.sf === 1;
        const v = fitWidth(st, v0, is64);
        if (isErr(v)) return v;
        const val = inverted ? ~v & (is64 ? MASK64 : 0xffffffffn) : v;
        const hw = wideConstant(val, !is64);
        if (hw === undefined) return err(st, `immediate ${hex(v)} cannot be loaded by ${inverted ? "movn" : "movz"}`);
        f.hw = hw;
        f.imm16 = Number((val >> BigInt(16 * hw)) & 0xffffn);
        st.i++;
        return undefined;
      },
    };
  },
  // #imm16{, lsl #shift} of movz/movn/movk
  MOVW: (token) => ({
    token, syntax: "#<imm16>{, lsl #<shift>}", uses: ["imm16", "hw"],
    quick: notReg, multi: true,
    print(f) {
      if (f.sf === 0 && f.hw > 1) return null;
      return `#${hex(f.imm16)}${f.hw ? `, lsl #${f.hw * 16}` : ""}`;
    },
    parse(st, f) {
      const at = st.i;
      let t = st.pieces[st.i].trim();
      if (t.startsWith("#")) t = t.slice(1).trim();
      const rel = /^:abs_g([0-3])(_nc|_s)?:(.*)$/i.exec(t);
      let v: bigint | OpErr;
      let hwForced = -1;
      if (rel) {
        hwForced = Number(rel[1]);
        v = (BigInt.asUintN(64, st.ctx.evaluate(rel[3].trim())) >> BigInt(16 * hwForced)) & 0xffffn;
      } else v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      st.i++;
      const maxHw = f.sf ? 3 : 1;
      const s = next(st);
      if (s !== undefined) {
        const mm = /^lsl\s*#?\s*(\S+)$/i.exec(s.trim());
        const amt = mm ? parseNumber(mm[1]) : undefined;
        if (amt === undefined || amt % 16n !== 0n || amt < 0n || amt > BigInt(maxHw * 16)) return err(st, `expected 'lsl #0${maxHw > 1 ? ", #16, #32 or #48'" : "' or 'lsl #16'"}, got '${s}'`);
        if (v < 0n || v > 0xffffn) return rangeErr(st, v, 0, 65535, at);
        f.imm16 = Number(v); f.hw = Number(amt / 16n);
        st.i++;
        return undefined;
      }
      if (hwForced >= 0) {
        if (hwForced > maxHw) return err(st, "relocation group out of range for a 32-bit register", at);
        f.imm16 = Number(v); f.hw = hwForced; return undefined;
      }
      if (v >= 0n && v <= 0xffffn) { f.imm16 = Number(v); f.hw = 0; return undefined; }
      const hw = v > 0n ? wideConstant(v, !f.sf) : undefined;
      if (hw !== undefined && v <= (f.sf ? MASK64 : 0xffffffffn)) { f.hw = hw; f.imm16 = Number((v >> BigInt(16 * hw)) & 0xffffn); return undefined; }
      return rangeErr(st, v, 0, 65535, at);
    },
  }),
  // shifted register: {, shift #amount}; args: "noror" for add/sub
  SHIFT: (token, args) => {
    const noRor = args[0] === "noror";
    return {
      token, syntax: "{, <shift> #<amount>}", uses: ["shift", "imm6"],
      quick: (t) => /^(lsl|lsr|asr|ror)\b/.test(t),
      print(f) {
        if (noRor && f.shift === 3) return null;
        if (f.sf === 0 && f.imm6 >= 32) return null;
        if (f.shift === 0 && f.imm6 === 0) return "";
        return `${SHIFT_NAMES[f.shift]} #${f.imm6}`;
      },
      parse(st, f) {
        const t = st.lower[st.i].trim();
        const mm = /^(lsl|lsr|asr|ror)\s*(?:#\s*)?(.*)$/.exec(t);
        if (!mm) return err(st, `expected a shift (lsl, lsr, asr${noRor ? "" : ", ror"}) #amount, got '${st.pieces[st.i]}'`);
        const sh = SHIFT_NAMES.indexOf(mm[1]);
        if (noRor && sh === 3) return err(st, "'ror' is not allowed for add/sub");
        if (mm[2].trim() === "") return err(st, `missing shift amount after '${mm[1]}'`);
        const a = evalImm(st, mm[2], false);
        if (isErr(a)) return a;
        const max = f.sf ? 63 : 31;
        if (a < 0n || a > BigInt(max)) return rangeErr(st, a, 0, max, st.i, "shift amount");
        f.shift = sh; f.imm6 = Number(a);
        st.i++;
        return undefined;
      },
      fillDefault: (f) => { f.shift = 0; f.imm6 = 0; },
    };
  },
  // extended register Rm: W or X according to option
  REXT: (token) => ({
    token, syntax: "<Wm|Xm>", uses: ["Rm"],
    quick: (t) => GP.has(t),
    print: (f) => gpName(f.Rm, f.sf === 1 && (f.option & 3) === 3, false),
    parse(st, f) {
      const r = parseGp(st, st.lower[st.i], f.sf ? 0 : 32, false, st.i);
      if (isErr(r)) return r;
      f.Rm = r.n;
      f._rm64 = r.is64 ? 1 : 0;
      st.i++;
      return undefined;
    },
  }),
  // {, extend {#amount}} of add/sub (extended register)
  EXT: (token) => ({
    token, syntax: "{, <extend> {#<amount>}}", uses: ["option", "imm3"],
    quick: (t) => /^([us]xt[bhwx]|lsl)\b/.test(t),
    print(f) {
      if (f.imm3 > 4) return null;
      const lslOk = (f.Rd === 31 && !f.S) || f.Rn === 31;
      const amount = f.imm3 ? ` #${f.imm3}` : "";
      if (lslOk && f.option === (f.sf ? 3 : 2)) return f.imm3 ? `lsl #${f.imm3}` : "";
      return EXTEND_NAMES[f.option] + amount;
    },
    parse(st, f) {
      const t = st.lower[st.i].trim();
      const mm = /^([a-z]+)\s*(?:#?\s*(.+))?$/.exec(t);
      const nm = mm ? mm[1] : "";
      let opt = EXTEND_NAMES.indexOf(nm);
      if (nm === "lsl") {
        if (!((f.Rd === 31 && !f.S) || f.Rn === 31)) return err(st, "'lsl' is only allowed here when Rd or Rn is sp; use uxtw/uxtx");
        opt = f.sf ? 3 : 2;
      }
      if (opt < 0) return err(st, `expected an extend (uxtb, uxth, uxtw, uxtx, sxtb, sxth, sxtw, sxtx or lsl), got '${st.pieces[st.i]}'`);
      let a = 0n;
      if (mm && mm[2] !== undefined) {
        const v = evalImm(st, mm[2], false);
        if (isErr(v)) return v;
        a = v;
      } else if (nm === "lsl") return err(st, "'lsl' needs an amount");
      if (a < 0n || a > 4n) return rangeErr(st, a, 0, 4, st.i, "extend amount");
      if (f._rm64 !== undefined && ((opt & 3) === 3) !== (f._rm64 === 1) && f.sf) {
        return err(st, (opt & 3) === 3 ? `${nm} needs a 64-bit Xm register` : `${nm} needs a 32-bit Wm register`);
      }
      f.option = opt; f.imm3 = Number(a);
      st.i++;
      return undefined;
    },
    fillDefault(f) {
      f.option = f.sf ? 3 : 2; f.imm3 = 0;
    },
  }),
  COND: (token, args) => {
    const inv = args[0] === "inv";
    return {
      token, syntax: "<cond>", uses: ["cond"],
    quick: (t) => COND_BY_NAME.has(t),
      print(f, d) {
        const c = inv ? f.cond ^ 1 : f.cond;
        d.comment = condComment(c);
        return COND_NAMES[c][0];
      },
      parse(st, f) {
        const c = COND_BY_NAME.get(st.lower[st.i].trim());
        if (c === undefined) return err(st, `expected a condition (eq, ne, cs/hs, cc/lo, mi, pl, vs, vc, hi, ls, ge, lt, gt, le, al, nv), got '${st.pieces[st.i]}'`);
        if (inv && c >= 14) return err(st, `condition '${st.pieces[st.i]}' cannot be used here (al/nv)`);
        f.cond = inv ? c ^ 1 : c;
        st.i++;
        return undefined;
      },
    };
  },
  // decimal or hex immediate in one field: UIMM(field,width,hex|dec)
  UIMM: (token, args) => uimm(token, args[0], Number(args[1]), args[2] as "hex" | "dec"),
  // optional trailing immediate: OPTIMM(field,width,hex|dec,default)
  OPTIMM: (token, args) => uimm(token, args[0], Number(args[1]), args[2] as "hex" | "dec", { optional: Number(args[3]) }),
  LABEL: (token, args) => labelKind(token, args[0], "pc"),
  ADRL: (token) => labelKind(token, "", "adr"),
  ADRPL: (token) => labelKind(token, "", "adrp"),
  // literal load: label or "=expr"
  LIT: (token, args) => {
    const lab = labelKind(token, "imm19", "pc");
    const size = Number(args[0] ?? 0) as 0 | 4 | 8 | 16;
    return {
      token, syntax: "<label>", uses: ["imm19"], quick: notReg,
      print: lab.print,
      parse(st, f) {
        const t = st.pieces[st.i].trim();
        if (t.startsWith("=")) {
          if (!size) return err(st, "'=expr' literal is not allowed for this instruction");
          const addr = st.ctx.literal(t.slice(1).trim(), size as 4 | 8 | 16);
          const off = BigInt.asIntN(64, addr - st.ctx.pc);
          if (off & 3n || off < -(1n << 20n) || off >= 1n << 20n) return err(st, `literal pool out of range (±1 MiB): offset ${off}`);
          f.imm19 = Number(off >> 2n) & 0x7ffff;
          st.i++;
          return undefined;
        }
        return lab.parse(st, f);
      },
    };
  },
  // tbz/tbnz register: W if b5 = 0, X if b5 = 1; GNU accepts Xt with bit < 32 (encodes b5 = 0)
  TBZR: (token) => ({
    token, syntax: "<R><t>", uses: ["Rt", "b5"],
    quick: (t) => GP.has(t),
    print: (f) => gpName(f.Rt, f.b5 === 1, false),
    parse(st, f) {
      const r = parseGp(st, st.lower[st.i], 0, false, st.i);
      if (isErr(r)) return r;
      f.Rt = r.n; f._w = r.is64 ? 64 : 32;
      st.i++;
      return undefined;
    },
  }),
  TBZBIT: (token) => ({
    token, syntax: "#<imm>", uses: ["b5", "b40"],
    print: (f) => `#${(f.b5 << 5) | f.b40}`,
    parse(st, f) {
      const v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      const max = f._w === 32 ? 31 : 63;
      if (v < 0n || v > BigInt(max)) return rangeErr(st, v, 0, max, st.i, "bit number");
      f.b5 = Number(v) >> 5; f.b40 = Number(v) & 31;
      st.i++;
      return undefined;
    },
  }),
  // bitfield alias operands
  BF: (token, args) => bitfieldKind(token, args[0]),
  MEMU: (token, args) => memUoff(token, Number(args[0])),
  MEMS9: (token, args) => memS9(token, args[0] as "off" | "pre" | "post"),
  MEMP: (token, args) => memS9(token, args[0] as "off" | "pre" | "post", "imm7", 7, Number(args[1])),
  MEMR: (token, args) => memReg(token, Number(args[0])),
  MEM0: (token) => mem0(token),
  PAIR: (token, args) => regPair(token, args[0]),
  SYSREG: (token, args) => sysregKind(token, args[0] === "w"),
  PSTATE: (token) => ({
    token, syntax: "<pstatefield>", uses: ["op1", "op2"],
    quick: (t) => PSTATE_BY_NAME.has(t),
    print(f) {
      return PSTATE_BY_KEY.get((f.op1 << 3) | f.op2) ?? null;
    },
    parse(st, f) {
      const k = PSTATE_BY_NAME.get(st.lower[st.i].trim());
      if (k === undefined) return err(st, `expected a PSTATE field (${[...PSTATE_BY_NAME.keys()].join(", ")}), got '${st.pieces[st.i]}'`);
      f.op1 = k >> 3; f.op2 = k & 7;
      st.i++;
      return undefined;
    },
  }),
  SYSOP: (token, args) => sysopKind(token, args[0]),
  CR: (token, args) => {
    const field = args[0];
    return {
      token, syntax: "C<n>", uses: [field],
      print: (f) => "C" + f[field],
      parse(st, f) {
        const mm = /^c([0-9]|1[0-5])$/.exec(st.lower[st.i].trim());
        if (!mm) return err(st, `expected a control register name C0-C15, got '${st.pieces[st.i]}'`);
        f[field] = Number(mm[1]);
        st.i++;
        return undefined;
      },
    };
  },
  PRFOP: (token) => ({
    token, syntax: "<prfop>|#<imm5>", uses: ["Rt"],
    print: (f) => PRFOPS[f.Rt] || "#0x" + f.Rt.toString(16).padStart(2, "0"),
    parse(st, f) {
      const t = st.lower[st.i].trim();
      const k = PRFOP_BY_NAME.get(t);
      if (k !== undefined) { f.Rt = k; st.i++; return undefined; }
      if (!t.startsWith("#") && !NUM_RE.test(t)) return err(st, `expected a prefetch operation (pldl1keep, pstl2strm, ...) or #imm5, got '${st.pieces[st.i]}'`);
      const v = evalImm(st, t, false);
      if (isErr(v)) return v;
      if (v < 0n || v > 31n) return rangeErr(st, v, 0, 31);
      f.Rt = Number(v);
      st.i++;
      return undefined;
    },
  }),
  BARRIER: (token, args) => {
    const two = args[0] === "2";
    return {
      token, syntax: "#<imm4>", uses: ["CRm"],
      print: (f) => "#0x" + (two ? f.CRm.toString(16).padStart(2, "0") : f.CRm.toString(16)),
      parse(st, f) {
        const v = evalImm(st, st.pieces[st.i], false);
        if (isErr(v)) return v;
        if (v < 0n || v > 15n) return rangeErr(st, v, 0, 15);
        f.CRm = Number(v);
        st.i++;
        return undefined;
      },
    };
  },
  HINTIMM: (token) => ({
    token, syntax: "#<imm7>", uses: ["CRm", "op2"],
    print: (f) => "#" + hex((f.CRm << 3) | f.op2),
    parse(st, f) {
      const v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      if (v < 0n || v > 127n) return rangeErr(st, v, 0, 127);
      f.CRm = Number(v) >> 3; f.op2 = Number(v) & 7;
      st.i++;
      return undefined;
    },
  }),
  FPIMM: (token) => ({
    token, syntax: "#<fpimm>", uses: ["imm8"],
    print: (f) => "#" + fmtE18(fpImm8ToNumber(f.imm8)),
    parse(st, f) {
      const e = parseFpImm8(st, f.ftype);
      if (isErr(e)) return e;
      f.imm8 = e;
      st.i++;
      return undefined;
    },
  }),
  // fixed-point fraction bits: #fbits = 64 - scale
  FBITS: (token) => ({
    token, syntax: "#<fbits>", uses: ["scale"],
    print(f) {
      const fb = 64 - f.scale;
      if (f.sf === 0 && f.scale < 32) return null;
      return "#" + fb;
    },
    parse(st, f) {
      const v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      const max = f.sf ? 64 : 32;
      if (v < 1n || v > BigInt(max)) return rangeErr(st, v, 1, max, st.i, "fraction bits");
      f.scale = 64 - Number(v);
      st.i++;
      return undefined;
    },
  }),
  // Vn.D[1] (fmov to/from the upper half of a 128-bit register)
  VD1: (token, args) => {
    const field = args[0];
    return {
      token, syntax: "<Vn>.D[1]", uses: [field],
      print: (f) => `v${f[field]}.d[1]`,
      parse(st, f) {
        const mm = /^v([0-9]|[12][0-9]|3[01])\s*\.\s*d\s*\[\s*1\s*\]$/.exec(st.lower[st.i].trim());
        if (!mm) return err(st, `expected Vn.D[1], got '${st.pieces[st.i]}'`);
        f[field] = Number(mm[1]);
        st.i++;
        return undefined;
      },
    };
  },
  // signed 8-bit immediate (CSSC smax/smin)
  SIMM8: (token) => ({
    token, syntax: "#<simm>", uses: ["imm8"],
    print: (f) => "#" + signExtend(f.imm8, 8),
    parse(st, f) {
      const v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      if (v < -128n || v > 127n) return rangeErr(st, v, -128, 127);
      f.imm8 = Number(v) & 0xff;
      st.i++;
      return undefined;
    },
  }),
  // #0.0 of fcmp/fcmpe
  FZERO: (token) => ({
    token, syntax: "#0.0",
    print: () => "#0.0",
    parse(st) {
      const t = st.lower[st.i].replace(/^#/, "").trim();
      if (!/^[-+]?0(\.0*)?(e[-+]?\d+)?$/.test(t)) return err(st, `expected #0.0, got '${st.pieces[st.i]}'`);
      st.i++;
      return undefined;
    },
  }),
};

/** Parses the 8-bit floating-point immediate of fmov (VFPExpandImm); ftype 0/1 lets a hex
 * integer stand for the raw single/double bit pattern (GNU as). */
export function parseFpImm8(st: ParseState, ftype: number | undefined): number | OpErr {
  let t = st.pieces[st.i].trim();
  if (t.startsWith("#")) t = t.slice(1).trim();
  let v = Number(t);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) {
    if (/^[-+]?0x[0-9a-f]+$/i.test(t)) {
      // GNU: a hex integer is the raw IEEE bit pattern for fmov immediates
      const bits = BigInt(t);
      if (ftype === 0) v = new Float32Array(new Uint32Array([Number(bits & 0xffffffffn)]).buffer)[0];
      else if (ftype === 1) v = new Float64Array(new BigUint64Array([bits]).buffer)[0];
      else v = NaN;
    } else return err(st, `expected a floating-point immediate, got '${st.pieces[st.i]}'`);
  }
  const e = numberToFpImm8(v);
  if (e === undefined) return err(st, `floating-point immediate ${t} cannot be encoded (±n/16 × 2^r, n = 16..31, r = -3..4)`);
  return e;
}

export function fmtE18(v: number): string {
  // C printf("%.18e") for the 256 exact FP immediates
  const s = v.toExponential(18);
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

function movImmText(v: bigint, is32: boolean, d: DisState): string {
  const hexs = v.toString(16);
  const signed = is32 ? BigInt.asIntN(32, v) : BigInt.asIntN(64, v);
  d.comment = "#" + signed.toString();
  return "#0x" + hexs.padEnd(20, " ");
}

/** Bitfield alias operands computed from immr/imms (DDI0487 C6.2 UBFM/SBFM/BFM aliases). */
function bitfieldKind(token: string, which: string): OperandKind {
  return {
    token, syntax: "#<" + which + ">", uses: ["immr", "imms"],
    print(f) {
      const size = regSize(f);
      if (f.N !== f.sf) return null;
      if (f.sf === 0 && (f.immr >= 32 || f.imms >= 32)) return null;
      switch (which) {
        case "immr": return "#" + f.immr;
        case "imms": return "#" + f.imms;
        case "lsl": return "#" + (size - 1 - f.imms);
        case "shr": return "#" + f.immr;
        case "lsb": return "#" + f.immr; // bfx family
        case "width": return "#" + (f.imms + 1 - f.immr);
        case "ilsb": return "#" + ((size - f.immr) & (size - 1)); // bfi family
        case "iwidth": return "#" + (f.imms + 1);
      }
      return null;
    },
    parse(st, f) {
      const v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      const size = regSize(f);
      const n = Number(v);
      f.N = f.sf;
      switch (which) {
        case "immr": case "imms":
          if (v < 0n || v >= BigInt(size)) return rangeErr(st, v, 0, size - 1);
          f[which] = n; break;
        case "lsl":
          if (v < 0n || v >= BigInt(size)) return rangeErr(st, v, 0, size - 1, st.i, "shift amount");
          f.immr = (size - n) % size; f.imms = size - 1 - n; break;
        case "shr":
          if (v < 0n || v >= BigInt(size)) return rangeErr(st, v, 0, size - 1, st.i, "shift amount");
          f.immr = n; f.imms = size - 1; break;
        case "lsb": case "ilsb":
          if (v < 0n || v >= BigInt(size)) return rangeErr(st, v, 0, size - 1, st.i, "lsb");
          f._lsb = n;
          if (which === "lsb") f.immr = n; else f.immr = (size - n) % size;
          break;
        case "width": case "iwidth": {
          const lsb = f._lsb;
          if (v < 1n || v > BigInt(size - lsb)) return rangeErr(st, v, 1, size - lsb, st.i, "width");
          if (which === "width") f.imms = lsb + n - 1; else f.imms = n - 1;
          break;
        }
      }
      st.i++;
      return undefined;
    },
  };
}

function sysregKind(token: string, isWrite: boolean): OperandKind {
  const names = isWrite ? SYSREG_MSR : SYSREG_MRS;
  return {
    token, syntax: "<systemreg>", uses: ["op0", "op1", "CRn", "CRm", "op2"],
    quick: notReg,
    print(f) {
      const k = (f.op0 << 14) | (f.op1 << 11) | (f.CRn << 7) | (f.CRm << 3) | f.op2;
      return names.get(k) ?? `s${f.op0}_${f.op1}_c${f.CRn}_c${f.CRm}_${f.op2}`;
    },
    parse(st, f) {
      const t = st.lower[st.i].trim();
      let k = SYSREG_BY_NAME.get(t);
      if (k === undefined) {
        const mm = SYSREG_GENERIC.exec(t);
        if (!mm) {
          return err(st, `unknown system register '${st.pieces[st.i]}' (use an Arm ARM name such as hcr_el2, or S<op0>_<op1>_C<n>_C<m>_<op2>)`);
        }
        k = (Number(mm[1]) << 14) | (Number(mm[2]) << 11) | (Number(mm[3]) << 7) | (Number(mm[4]) << 3) | Number(mm[5]);
      }
      f.op0 = k >> 14; f.op1 = (k >> 11) & 7; f.CRn = (k >> 7) & 15; f.CRm = (k >> 3) & 15; f.op2 = k & 7;
      st.i++;
      return undefined;
    },
  };
}

function sysopKind(token: string, kind: string): OperandKind {
  const byKey = SYSOP_PRINT.get(kind) ?? new Map();
  const byName = SYSOP_PARSE.get(kind) ?? new Map();
  return {
    token, syntax: `<${kind}_op>{, <Xt>}`, uses: ["op1", "CRn", "CRm", "op2", "Rt"],
    quick: (t) => byName.has(t), multi: true,
    print(f) {
      const e = byKey.get((f.op1 << 11) | (f.CRn << 7) | (f.CRm << 3) | f.op2);
      if (!e) return null;
      return e.reg === "r" ? `${e.name}, ${gpName(f.Rt, true, false)}` : e.name;
    },
    parse(st, f) {
      const t = st.lower[st.i].trim();
      const e = byName.get(t);
      if (!e) return err(st, `unknown ${kind} operation '${st.pieces[st.i]}'`);
      f.op1 = e.key >> 11; f.CRn = (e.key >> 7) & 15; f.CRm = (e.key >> 3) & 15; f.op2 = e.key & 7;
      st.i++;
      if (e.reg === "r") {
        if (st.i >= st.pieces.length) return err(st, `${kind} ${t} needs a register operand Xt`, st.i - 1);
        const r = parseGp(st, st.lower[st.i], 64, false, st.i);
        if (isErr(r)) return r;
        f.Rt = r.n;
        st.i++;
      } else f.Rt = 31;
      return undefined;
    },
  };
}
