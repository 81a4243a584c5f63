// Operand kinds of the AdvSIMD records (insns-simd.ts): vector registers with an arrangement
// (`v0.16b`), scalar SIMD&FP registers whose size comes from a field, vector elements
// (`v1.s[2]`), register lists (`{v0.4s-v3.4s}`, `{v1.b, v2.b}[3]`), the structure load/store
// addresses (`[x0], #32`, `[x0], x2`), modified immediates and shift amounts.
//
// Arrangements are data: a scheme lists, for each arrangement an instruction accepts, the field
// values that select it (DDI0487 J.a C4.1.95: `size:Q`, `sz:Q`, `immh:Q`, `imm5:Q`). The same
// list prints (first entry whose fields match) and parses (sets the fields, or reports that an
// earlier operand chose differently). Pseudo-fields starting with `_` (`_es`: element size as
// log2 bytes) carry what one operand tells the next; they are never encoded.
import { fpImm8ToNumber } from "./bits";
import {
  err, evalImm, fmtE18, GP, gpName, hex, isErr, parseFpImm8, parseGp, parseMem, rangeErr,
  type Fields, type OpErr, type OperandKind, type ParseState,
} from "./operands";

type Entry = readonly [string, Fields];
type Scheme = readonly Entry[];

const VEC6: Scheme = [
  ["8b", { size: 0, Q: 0 }], ["16b", { size: 0, Q: 1 }], ["4h", { size: 1, Q: 0 }], ["8h", { size: 1, Q: 1 }],
  ["2s", { size: 2, Q: 0 }], ["4s", { size: 2, Q: 1 }],
];
/** Arrangement schemes by name; the operand token names one (`V(Rd,SQ)`). */
const SCHEMES: Record<string, Scheme> = {
  /** size:Q, every arrangement but the reserved 1D */
  SQ: [...VEC6, ["2d", { size: 3, Q: 1 }]],
  /** size:Q including 1D (LD1/ST1 multiple, LDnR) */
  SQ1D: [...VEC6, ["1d", { size: 3, Q: 0 }], ["2d", { size: 3, Q: 1 }]],
  /** size:Q without 64-bit elements */
  SQND: VEC6,
  /** across-lanes sources: no 2S, no 64-bit */
  ACR: [VEC6[0], VEC6[1], VEC6[2], VEC6[3], VEC6[5]],
  /** 8- and 16-bit elements */
  BHQ: VEC6.slice(0, 4),
  /** 16- and 32-bit elements */
  HSQ: VEC6.slice(2, 6),
  /** bytes, size fixed by the encoding */
  BQ: [["8b", { Q: 0 }], ["16b", { Q: 1 }]],
  HQ: [["4h", { Q: 0 }], ["8h", { Q: 1 }]],
  SQ2: [["2s", { Q: 0 }], ["4s", { Q: 1 }]],
  D2: [["2d", { Q: 1 }]],
  D2X: [["2d", {}]],
  B16: [["16b", {}]],
  /** the 128-bit polynomial product of PMULL .1Q, and its 64-bit sources */
  Q1: [["1q", {}]],
  D1: [["1d", {}]],
  /** wide (double-width) elements selected by size: 8H, 4S, 2D */
  L: [["8h", { size: 0 }], ["4s", { size: 1 }], ["2d", { size: 2 }]],
  /** long pairwise results: double-width elements, half as many (size:Q) */
  LP: [["4h", { size: 0, Q: 0 }], ["8h", { size: 0, Q: 1 }], ["2s", { size: 1, Q: 0 }], ["4s", { size: 1, Q: 1 }], ["1d", { size: 2, Q: 0 }], ["2d", { size: 2, Q: 1 }]],
  S4: [["4s", {}]],
  /** floating point sz:Q */
  FQ: [["2s", { sz: 0, Q: 0 }], ["4s", { sz: 0, Q: 1 }], ["2d", { sz: 1, Q: 1 }]],
  /** FP narrow half of FCVTN/FCVTXN/FCVTL by sz:Q (half from single, single from double) */
  FNQ: [["4h", { sz: 0, Q: 0 }], ["8h", { sz: 0, Q: 1 }], ["2s", { sz: 1, Q: 0 }], ["4s", { sz: 1, Q: 1 }]],
  /** FP wide side of FCVTN/FCVTL by sz: 4S, 2D */
  FW: [["4s", { sz: 0 }], ["2d", { sz: 1 }]],
  /** half-precision pair (FEAT_FP16 scalar pairwise source) */
  H2: [["2h", {}]],
  /** floating point pair (scalar pairwise source) */
  FP2: [["2s", { sz: 0 }], ["2d", { sz: 1 }]],
  // scalar register classes
  SZ: [["b", { size: 0 }], ["h", { size: 1 }], ["s", { size: 2 }], ["d", { size: 3 }]],
  SZL: [["h", { size: 0 }], ["s", { size: 1 }], ["d", { size: 2 }]],
  SZBHS: [["b", { size: 0 }], ["h", { size: 1 }], ["s", { size: 2 }]],
  SZHS: [["h", { size: 1 }], ["s", { size: 2 }]],
  /** double-width results of H and S sources (SQDMULL ...) */
  SZSD: [["s", { size: 1 }], ["d", { size: 2 }]],
  LHS: [["4s", { size: 1 }], ["2d", { size: 2 }]],
  /** PMULL with 8-bit sources */
  H8: [["8h", {}]],
  B8: [["8b", {}]],
  FSZ: [["s", { sz: 0 }], ["d", { sz: 1 }]],
};

function schemeGet(s: Scheme, f: Fields): string | null {
  outer: for (const [name, fv] of s) {
    for (const k in fv) if (f[k] !== fv[k]) continue outer;
    return name;
  }
  return null;
}

/** Sets the fields for arrangement `arr`; an error text if not allowed or inconsistent. */
function schemeSet(s: Scheme, arr: string, f: Fields): string | undefined {
  const e = s.find((x) => x[0] === arr);
  const names = s.map((x) => x[0]).join(", ");
  if (!e) return `invalid arrangement '.${arr}' here (expected ${names})`;
  for (const k in e[1]) {
    if (f[k] !== undefined && f[k] !== e[1][k]) return `operand mismatch: '.${arr}' does not fit the other operands (expected ${s.filter(([, fv]) => Object.keys(fv).every((kk) => f[kk] === undefined || f[kk] === fv[kk])).map((x) => x[0]).join(", ") || names})`;
  }
  for (const k in e[1]) f[k] = e[1][k];
  return undefined;
}

const ES = "bhsd";
const ctz5 = (v: number) => (v & 1 ? 0 : v & 2 ? 1 : v & 4 ? 2 : v & 8 ? 3 : 4);
const VREG = /^v([0-9]|[12][0-9]|3[01])\s*\.\s*([0-9]*)([bhsdq])$/;
const VELT = /^v([0-9]|[12][0-9]|3[01])\s*\.\s*([bhsd])\s*\[\s*(.+?)\s*\]$/;
const isVec = (t: string) => /^v\d+\s*\./.test(t);
const isScalar = (t: string) => /^[bhsdq]\d+$/.test(t);

/** Sets the element size pseudo-field, checking it against an earlier operand. */
function setEs(st: ParseState, f: Fields, es: number, what: string): OpErr | undefined {
  if (f._es !== undefined && f._es !== es) return err(st, `operand mismatch: ${what} needs .${ES[f._es]} elements like the other operands`);
  f._es = es;
  return undefined;
}

/** `Vn.<T>` with T from a scheme. */
function vecKind(token: string, field: string, scheme: string): OperandKind {
  const s = SCHEMES[scheme];
  if (!s) throw new Error(`unknown arrangement scheme '${scheme}'`);
  const names = s.map((x) => x[0]).join(", ");
  return {
    token, syntax: `<V${field.slice(1)}>.<T>`, uses: [field],
    quick: isVec,
    print(f) {
      const a = schemeGet(s, f);
      return a === null ? null : `v${f[field]}.${a}`;
    },
    parse(st, f) {
      const m = VREG.exec(st.lower[st.i].trim());
      if (!m) return err(st, `expected a vector register Vn.T (T = ${names}), got '${st.pieces[st.i]}'`);
      const e = schemeSet(s, m[2] + m[3], f);
      if (e) return err(st, e);
      f[field] = Number(m[1]);
      st.i++;
      return undefined;
    },
  };
}

/** Scalar SIMD&FP register `<b|h|s|d><n>` whose size comes from a scheme. */
function scalarKind(token: string, field: string, scheme: string): OperandKind {
  const s = SCHEMES[scheme];
  if (!s) throw new Error(`unknown scalar scheme '${scheme}'`);
  const names = s.map((x) => x[0] + "n").join(", ");
  return {
    token, syntax: `<V><${field.slice(1)}>`, uses: [field],
    quick: isScalar,
    print(f) {
      const a = schemeGet(s, f);
      return a === null ? null : a + f[field];
    },
    parse(st, f) {
      const m = /^([bhsdq])([0-9]|[12][0-9]|3[01])$/.exec(st.lower[st.i].trim());
      if (!m) return err(st, `expected a SIMD&FP scalar register (${names}), got '${st.pieces[st.i]}'`);
      const e = schemeSet(s, m[1], f);
      if (e) return err(st, e);
      f[field] = Number(m[2]);
      st.i++;
      return undefined;
    },
  };
}

// ---- shifts by immediate: immh selects the element size, immh:immb the amount -----------------

const SH_ARR = [["8b", "16b"], ["4h", "8h"], ["2s", "4s"], ["", "2d"]];
const SH_WIDE = ["8h", "4s", "2d"];
const shEs = (f: Fields) => (f.immh === 0 ? -1 : 31 - Math.clz32(f.immh));

/** Vector operand of a shift: mode "n" (element size from immh, with Q), "l" (double width). */
function shVecKind(token: string, field: string, mode: string): OperandKind {
  return {
    token, syntax: `<V${field.slice(1)}>.<T>`, uses: [field, "immh", "Q"],
    quick: isVec,
    print(f) {
      const es = shEs(f);
      if (es < 0) return null;
      const a = mode === "l" ? SH_WIDE[es] : SH_ARR[es][f.Q];
      return a ? `v${f[field]}.${a}` : null;
    },
    parse(st, f) {
      const m = VREG.exec(st.lower[st.i].trim());
      const arr = m ? m[2] + m[3] : "";
      let es = -1;
      if (mode === "l") es = SH_WIDE.indexOf(arr);
      else {
        for (let e = 0; e < 4; e++) {
          const q = SH_ARR[e].indexOf(arr);
          if (q >= 0 && arr) {
            if (f.Q !== undefined && f.Q !== q) return err(st, `operand mismatch: '.${arr}' does not fit this instruction (Q=${f.Q})`);
            f.Q = q; es = e;
          }
        }
      }
      if (!m || es < 0) return err(st, `expected a vector register Vn.T (T = ${mode === "l" ? SH_WIDE.join(", ") : "8b, 16b, 4h, 8h, 2s, 4s, 2d"}), got '${st.pieces[st.i]}'`);
      const e = setEs(st, f, es, `'${st.pieces[st.i]}'`);
      if (e) return e;
      f[field] = Number(m[1]);
      st.i++;
      return undefined;
    },
  };
}

/** Scalar register of a scalar shift: size from immh (mode "n"), or double that ("l", narrowing sources). */
function shScalarKind(token: string, field: string, mode: string): OperandKind {
  const wide = mode === "l";
  return {
    token, syntax: `<V><${field.slice(1)}>`, uses: [field, "immh"],
    quick: isScalar,
    print(f) {
      const es = shEs(f);
      const e = wide ? es + 1 : es;
      return es < 0 || e > 3 ? null : ES[e] + f[field];
    },
    parse(st, f) {
      const m = /^([bhsd])([0-9]|[12][0-9]|3[01])$/.exec(st.lower[st.i].trim());
      if (!m) return err(st, `expected a SIMD&FP scalar register (${wide ? "hn, sn, dn" : "bn, hn, sn, dn"}), got '${st.pieces[st.i]}'`);
      const es = ES.indexOf(m[1]) - (wide ? 1 : 0);
      if (es < 0) return err(st, `invalid register '${st.pieces[st.i]}' here (expected hn, sn or dn)`);
      const e = setEs(st, f, es, `'${st.pieces[st.i]}'`);
      if (e) return e;
      f[field] = Number(m[2]);
      st.i++;
      return undefined;
    },
  };
}

/** Shift amount in immh:immb: "r" right (1..esize), "l" left (0..esize-1). */
function shImmKind(token: string, dir: string): OperandKind {
  return {
    token, syntax: "#<shift>", uses: ["immh", "immb"],
    print(f) {
      const es = shEs(f);
      if (es < 0) return null;
      const esize = 8 << es;
      const v = (f.immh << 3) | f.immb;
      return "#" + (dir === "r" ? 2 * esize - v : v - esize);
    },
    parse(st, f) {
      const v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      const es = f._es ?? 3;
      const esize = 8 << es;
      const [lo, hi] = dir === "r" ? [1, esize] : [0, esize - 1];
      if (v < BigInt(lo) || v > BigInt(hi)) return rangeErr(st, v, lo, hi, st.i, "shift amount");
      const enc = dir === "r" ? 2 * esize - Number(v) : esize + Number(v);
      f.immh = enc >> 3; f.immb = enc & 7;
      st.i++;
      return undefined;
    },
  };
}

// ---- elements ----------------------------------------------------------------------------------

interface Elt { reg: number; es: number; idx: number }
function parseElt(st: ParseState, allowed: string): Elt | OpErr {
  const m = VELT.exec(st.lower[st.i].trim());
  if (!m) return err(st, `expected a vector element Vn.T[index] (T = ${allowed.split("").join(", ")}), got '${st.pieces[st.i]}'`);
  if (!allowed.includes(m[2])) return err(st, `invalid element size '.${m[2]}' here (expected ${allowed.split("").map((c) => "." + c).join(", ")})`);
  const es = ES.indexOf(m[2]);
  const v = evalImm(st, m[3], false);
  if (isErr(v)) return v;
  const max = (16 >> es) - 1;
  if (v < 0n || v > BigInt(max)) return rangeErr(st, v, 0, max, st.i, "element index");
  return { reg: Number(m[1]), es, idx: Number(v) };
}

/** `Vn.<Ts>[index]` encoded in imm5 (DUP, INS, UMOV, SMOV): lowest set bit = size. */
function elt5Kind(token: string, field: string, allowed: string): OperandKind {
  return {
    token, syntax: `<V${field.slice(1)}>.<Ts>[<index>]`, uses: [field, "imm5"],
    quick: isVec,
    print(f) {
      const es = ctz5(f.imm5);
      if (es > 3 || !allowed.includes(ES[es])) return null;
      return `v${f[field]}.${ES[es]}[${f.imm5 >> (es + 1)}]`;
    },
    parse(st, f) {
      const e = parseElt(st, allowed);
      if (isErr(e)) return e;
      const se = setEs(st, f, e.es, `'${st.pieces[st.i]}'`);
      if (se) return se;
      f.imm5 = (e.idx << (e.es + 1)) | (1 << e.es);
      f[field] = e.reg;
      st.i++;
      return undefined;
    },
  };
}

/** Source element of INS (element): `Vn.<Ts>[imm4 >> size]`, size from imm5. */
function elt4Kind(token: string, field: string): OperandKind {
  return {
    token, syntax: `<V${field.slice(1)}>.<Ts>[<index2>]`, uses: [field, "imm4"],
    quick: isVec,
    print(f) {
      const es = ctz5(f.imm5);
      if (es > 3) return null;
      return `v${f[field]}.${ES[es]}[${f.imm4 >> es}]`;
    },
    parse(st, f) {
      const e = parseElt(st, "bhsd");
      if (isErr(e)) return e;
      const se = setEs(st, f, e.es, `'${st.pieces[st.i]}'`);
      if (se) return se;
      f.imm4 = e.idx << e.es;
      f[field] = e.reg;
      st.i++;
      return undefined;
    },
  };
}

/** DUP destination `Vd.<T>` from imm5:Q. */
function vt5Kind(token: string, field: string): OperandKind {
  return {
    token, syntax: `<V${field.slice(1)}>.<T>`, uses: [field, "imm5", "Q"],
    quick: isVec,
    print(f) {
      const es = ctz5(f.imm5);
      if (es > 3) return null;
      const a = SH_ARR[es][f.Q];
      return a ? `v${f[field]}.${a}` : null;
    },
    parse(st, f) {
      const m = VREG.exec(st.lower[st.i].trim());
      const arr = m ? m[2] + m[3] : "";
      for (let es = 0; es < 4 && m; es++) {
        const q = SH_ARR[es].indexOf(arr);
        if (q < 0 || !arr) continue;
        const se = setEs(st, f, es, `'${st.pieces[st.i]}'`);
        if (se) return se;
        f.Q = q;
        f[field] = Number(m[1]);
        st.i++;
        return undefined;
      }
      return err(st, `expected a vector register Vd.T (T = 8b, 16b, 4h, 8h, 2s, 4s, 2d), got '${st.pieces[st.i]}'`);
    },
  };
}

/** General register of DUP/INS (general): W for 8-32-bit elements, X for 64-bit ones. */
function r5Kind(token: string, field: string): OperandKind {
  return {
    token, syntax: `<R${field.slice(1)}>`, uses: [field],
    quick: (t) => GP.has(t),
    print(f) {
      const es = ctz5(f.imm5);
      if (es > 3) return null;
      return gpName(f[field], es === 3, false);
    },
    parse(st, f) {
      const es = f._es ?? 0;
      const r = parseGp(st, st.lower[st.i], es === 3 ? 64 : 32, false, st.i);
      if (isErr(r)) return r;
      f.imm5 ??= 1 << es;
      f[field] = r.n;
      st.i++;
      return undefined;
    },
  };
}

/** Scalar register of DUP (element) `mov <V><d>, Vn.<T>[i]`, size from imm5. */
function sc5Kind(token: string, field: string): OperandKind {
  return {
    token, syntax: `<V><${field.slice(1)}>`, uses: [field],
    quick: isScalar,
    print(f) {
      const es = ctz5(f.imm5);
      return es > 3 ? null : ES[es] + f[field];
    },
    parse(st, f) {
      const m = /^([bhsd])([0-9]|[12][0-9]|3[01])$/.exec(st.lower[st.i].trim());
      if (!m) return err(st, `expected a scalar register (Bn, Hn, Sn, Dn), got '${st.pieces[st.i]}'`);
      f._es = ES.indexOf(m[1]);
      f[field] = Number(m[2]);
      st.i++;
      return undefined;
    },
  };
}

// ---- register lists ----------------------------------------------------------------------------

interface List { first: number; count: number; type: string; index?: string }
/** Parses `{v0.4s, v1.4s}`, `{v0.4s-v3.4s}` or with a lane index `{v0.s, v1.s}[1]`. */
function parseList(st: ParseState): List | OpErr {
  const t = st.lower[st.i].trim();
  if (t[0] !== "{") return err(st, `expected a register list '{Vn.T, ...}', got '${st.pieces[st.i]}'`);
  const close = t.indexOf("}");
  if (close < 0) return err(st, "missing '}' in register list");
  const tail = t.slice(close + 1).trim();
  let index: string | undefined;
  if (tail) {
    const m = /^\[\s*(.+?)\s*\]$/.exec(tail);
    if (!m) return err(st, `unexpected '${tail}' after register list`);
    index = m[1];
  }
  const regs: number[] = [];
  let type: string | undefined;
  for (const item of t.slice(1, close).split(",")) {
    const parts = item.split("-").map((p) => p.trim());
    if (parts.length > 2 || parts[0] === "") return err(st, `bad register list item '${item.trim()}'`);
    const rs: number[] = [];
    for (const p of parts) {
      const m = /^v([0-9]|[12][0-9]|3[01])\s*\.\s*([0-9]*[bhsdq])$/.exec(p);
      if (!m) return err(st, `expected a vector register Vn.T in the list, got '${p}'`);
      if (type !== undefined && type !== m[2]) return err(st, `all registers of a list must have the same type ('.${type}' and '.${m[2]}')`);
      type = m[2];
      rs.push(Number(m[1]));
    }
    if (rs.length === 2) {
      const n = ((rs[1] - rs[0]) & 31) + 1;
      for (let k = 0; k < n; k++) regs.push((rs[0] + k) & 31);
    } else regs.push(rs[0]);
  }
  for (let k = 1; k < regs.length; k++) {
    if (regs[k] !== ((regs[k - 1] + 1) & 31)) return err(st, "registers of a list must be consecutive (v31 wraps to v0)");
  }
  return { first: regs[0], count: regs.length, type: type!, index };
}

function printList(first: number, count: number, type: string): string {
  const last = (first + count - 1) & 31;
  if (count > 2 && last > first) return `{v${first}.${type}-v${last}.${type}}`;
  const rs: string[] = [];
  for (let k = 0; k < count; k++) rs.push(`v${(first + k) & 31}.${type}`);
  return `{${rs.join(", ")}}`;
}

/** `{Vt.T, ...}` of `count` registers with T from a scheme (LDn/STn multiple, LDnR, TBL). */
function listKind(token: string, field: string, count: number, scheme: string): OperandKind {
  const s = SCHEMES[scheme];
  if (!s) throw new Error(`unknown arrangement scheme '${scheme}'`);
  return {
    token, syntax: `{<V${field.slice(1)}>.<T>${count > 1 ? ` .. ${count} registers` : ""}}`, uses: [field],
    quick: (t) => t[0] === "{",
    print(f) {
      const a = schemeGet(s, f);
      return a === null ? null : printList(f[field], count, a);
    },
    parse(st, f) {
      const l = parseList(st);
      if (isErr(l)) return l;
      if (l.index !== undefined) return { ...err(st, "unexpected lane index after the register list"), weak: true };
      if (l.count !== count) return { ...err(st, `expected a list of ${count} register${count > 1 ? "s" : ""}, got ${l.count}`), weak: true };
      const e = schemeSet(s, l.type, f);
      if (e) return err(st, e);
      f[field] = l.first;
      st.i++;
      return undefined;
    },
  };
}

/** Lane index of single-structure loads/stores, by element size (DDI0487 C7.2 LD1 (single)). */
const LANE_INDEX: Record<string, { get(f: Fields): number; set(f: Fields, i: number): void; max: number }> = {
  b: { get: (f) => (f.Q << 3) | (f.S << 2) | f.size, set: (f, i) => { f.Q = i >> 3; f.S = (i >> 2) & 1; f.size = i & 3; }, max: 15 },
  h: { get: (f) => (f.Q << 2) | (f.S << 1) | f.size, set: (f, i) => { f.Q = i >> 2; f.S = (i >> 1) & 1; f.size = i & 1; }, max: 7 },
  s: { get: (f) => (f.Q << 1) | f.S, set: (f, i) => { f.Q = i >> 1; f.S = i & 1; }, max: 3 },
  d: { get: (f) => f.Q, set: (f, i) => { f.Q = i; }, max: 1 },
};

/** `{Vt.<T>, ...}[index]` of single-structure loads/stores. */
function laneKind(token: string, field: string, count: number, type: string): OperandKind {
  const li = LANE_INDEX[type];
  return {
    token, syntax: `{<V${field.slice(1)}>.${type.toUpperCase()}${count > 1 ? ` .. ${count} registers` : ""}}[<index>]`, uses: [field],
    quick: (t) => t[0] === "{",
    print: (f) => `${printList(f[field], count, type)}[${li.get(f)}]`,
    parse(st, f) {
      const l = parseList(st);
      if (isErr(l)) return l;
      if (l.index === undefined) return { ...err(st, "expected a lane index '{...}[index]'"), weak: true };
      if (l.type !== type) return { ...err(st, `expected .${type} elements, got '.${l.type}'`), weak: true };
      if (l.count !== count) return { ...err(st, `expected a list of ${count} register${count > 1 ? "s" : ""}, got ${l.count}`), weak: true };
      const v = evalImm(st, l.index, false);
      if (isErr(v)) return v;
      if (v < 0n || v > BigInt(li.max)) return rangeErr(st, v, 0, li.max, st.i, "lane index");
      li.set(f, Number(v));
      f[field] = l.first;
      st.i++;
      return undefined;
    },
  };
}

/** Bytes one structure load/store moves (the immediate of its post-index form). */
function structBytes(kind: string, count: number, f: Fields): number {
  if (kind === "m") return count * (f.Q ? 16 : 8);
  if (kind === "r") return count << f.size;
  return count << "bhsd".indexOf(kind);
}

/** `[Xn|SP]`, or post-index `[Xn|SP], #bytes` / `[Xn|SP], Xm` (Rm = 31 means the immediate). */
function memStructKind(token: string, args: string[]): OperandKind {
  const post = args[0] === "post";
  const kind = args[1];
  const count = Number(args[2]);
  return {
    token, syntax: post ? "[<Xn|SP>], (#<imm>|<Xm>)" : "[<Xn|SP>]", uses: post ? ["Rn", "Rm"] : ["Rn"],
    quick: (t) => t[0] === "[", multi: post,
    print(f) {
      const base = `[${gpName(f.Rn, true, true)}]`;
      if (!post) return base;
      return f.Rm === 31 ? `${base}, #${structBytes(kind, count, f)}` : `${base}, ${gpName(f.Rm, true, false)}`;
    },
    parse(st, f) {
      const m = parseMem(st, st.i);
      if (isErr(m)) return m;
      if (m.wb) return err(st, "unexpected '!'", st.i);
      const r = parseGp(st, m.inner[0].toLowerCase(), 64, true, st.i, m.innerCols[0]);
      if (isErr(r)) return r;
      if (m.inner.length > 1) return err(st, "structure loads/stores take no offset inside '[...]'; use post-index '[Xn], #imm' or '[Xn], Xm'", st.i, m.innerCols[1]);
      f.Rn = r.n;
      st.i++;
      if (!post) {
        if (st.i < st.pieces.length) return { ...err(st, "unexpected post-index here"), weak: true };
        return undefined;
      }
      if (st.i >= st.pieces.length) return { ...err(st, "missing post-index '#imm' or 'Xm'", st.i - 1), weak: true };
      const t = st.lower[st.i].trim();
      if (GP.has(t)) {
        const rm = parseGp(st, t, 64, false, st.i);
        if (isErr(rm)) return rm;
        if (rm.n === 31) return err(st, "the post-index register cannot be xzr (that encoding means the immediate form)");
        f.Rm = rm.n;
      } else {
        const v = evalImm(st, st.pieces[st.i], false);
        if (isErr(v)) return v;
        const want = structBytes(kind, count, f);
        if (v !== BigInt(want)) return err(st, `post-index immediate must be #${want} (the bytes transferred), got ${v}`);
        f.Rm = 31;
      }
      st.i++;
      return undefined;
    },
  };
}

// ---- modified immediates (MOVI, MVNI, ORR, BIC, FMOV vector) ----------------------------------

const imm8 = (f: Fields) => (f.abc << 5) | f.defgh;
const setImm8 = (f: Fields, v: number) => { f.abc = v >> 5; f.defgh = v & 31; };

/** Replicated-byte 64-bit immediate of MOVI (64-bit): each bit of imm8 selects 0x00 or 0xff. */
function expandBytes(v: number): bigint {
  let r = 0n;
  for (let k = 7; k >= 0; k--) r = (r << 8n) | ((v >> k) & 1 ? 0xffn : 0n);
  return r;
}

/** "8": #imm8; "lsl32"/"lsl16": #imm8{, lsl #8*sh}; "msl": #imm8, msl #8|16; "d64": 64-bit byte mask. */
function modImmKind(token: string, kind: string): OperandKind {
  const maxSh = kind === "lsl32" ? 3 : 1;
  return {
    token, syntax: kind === "d64" ? "#<imm64>" : kind === "8" ? "#<imm8>" : `#<imm8>, ${kind === "msl" ? "msl" : "lsl"} #<amount>`,
    uses: ["abc", "defgh"], quick: (t) => !GP.has(t) && !isVec(t), multi: kind !== "8" && kind !== "d64",
    print(f) {
      const v = imm8(f);
      if (kind === "d64") return "#" + hex(expandBytes(v));
      if (kind === "8") return "#" + hex(v);
      if (kind === "msl") return `#${hex(v)}, msl #${f.sh ? 16 : 8}`;
      return f.sh ? `#${hex(v)}, lsl #${8 * f.sh}` : "#" + hex(v);
    },
    parse(st, f) {
      const at = st.i;
      const v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      if (kind === "d64") {
        const u = BigInt.asUintN(64, v);
        if (v < -(1n << 63n) || v >= 1n << 64n) return rangeErr(st, v, 0, "0xffffffffffffffff");
        let b = 0;
        for (let k = 0; k < 8; k++) {
          const byte = (u >> BigInt(8 * k)) & 0xffn;
          if (byte === 0xffn) b |= 1 << k;
          else if (byte !== 0n) return err(st, `immediate ${hex(u)} cannot be encoded: every byte must be 0x00 or 0xff`);
        }
        setImm8(f, b);
        st.i++;
        return undefined;
      }
      if (v < 0n || v > 255n) return rangeErr(st, v, 0, 255, at);
      setImm8(f, Number(v));
      st.i++;
      if (kind === "8") return undefined;
      const s = st.i < st.pieces.length ? st.lower[st.i].trim() : undefined;
      const word = kind === "msl" ? "msl" : "lsl";
      if (s === undefined) {
        if (kind === "msl") return { ...err(st, "missing 'msl #8' or 'msl #16'", at), weak: true };
        f.sh = 0;
        return undefined;
      }
      const mm = /^(lsl|msl)\s*#?\s*(\S+)$/.exec(s);
      if (!mm || mm[1] !== word) return { ...err(st, `expected '${word} #amount', got '${st.pieces[st.i]}'`), weak: true };
      const a = evalImm(st, mm[2], false);
      if (isErr(a)) return a;
      if (kind === "msl") {
        if (a !== 8n && a !== 16n) return err(st, `msl amount must be 8 or 16, got ${a}`);
        f.sh = a === 16n ? 1 : 0;
      } else {
        if (a < 0n || a > BigInt(8 * maxSh) || a % 8n !== 0n) return err(st, `shift amount must be ${maxSh === 3 ? "0, 8, 16 or 24" : "0 or 8"}, got ${a}`);
        f.sh = Number(a) / 8;
      }
      st.i++;
      return undefined;
    },
  };
}

function vfpImmKind(token: string, args: string[]): OperandKind {
  const ftype = args[0] === "d" ? 1 : args[0] === "s" ? 0 : 3;
  return {
    token, syntax: "#<fpimm>", uses: ["abc", "defgh"], quick: (t) => !GP.has(t) && !isVec(t),
    print: (f) => "#" + fmtE18(fpImm8ToNumber(imm8(f))),
    parse(st, f) {
      const e = parseFpImm8(st, ftype);
      if (isErr(e)) return e;
      setImm8(f, e);
      st.i++;
      return undefined;
    },
  };
}

/** Index of EXT: bytes, < 8 for the 64-bit form. */
function extIndexKind(token: string): OperandKind {
  return {
    token, syntax: "#<index>", uses: ["imm4"],
    print: (f) => (f.Q === 0 && f.imm4 > 7 ? null : "#" + f.imm4),
    parse(st, f) {
      const v = evalImm(st, st.pieces[st.i], false);
      if (isErr(v)) return v;
      const max = f.Q ? 15 : 7;
      if (v < 0n || v > BigInt(max)) return rangeErr(st, v, 0, max, st.i, "index");
      f.imm4 = Number(v);
      st.i++;
      return undefined;
    },
  };
}

/** A fixed immediate that only prints (`#0` of compare-with-zero, `#0.0`, the SHLL shift). */
function fixedImmKind(token: string, args: string[]): OperandKind {
  const text = args[0];
  const shll = text === "shll";
  return {
    token, syntax: shll ? "#<shift>" : "#" + text,
    print: (f) => (shll ? "#" + (8 << f.size) : "#" + text),
    parse(st, f) {
      const t = st.lower[st.i].trim().replace(/^#\s*/, "");
      if (shll) {
        const v = evalImm(st, t, false);
        if (isErr(v)) return v;
        if (v !== BigInt(8 << (f.size ?? 0))) return err(st, `shift amount must be the element size (${8 << (f.size ?? 0)}), got ${v}`);
      } else if (text === "0.0") {
        if (!/^[-+]?0(\.0*)?(e[-+]?\d+)?$/.test(t)) return err(st, `expected #0.0, got '${st.pieces[st.i]}'`);
      } else if (t !== text && !(text === "0" && /^0x0+$/.test(t))) return err(st, `expected #${text}, got '${st.pieces[st.i]}'`);
      st.i++;
      return undefined;
    },
  };
}

/**
 * Indexed element of the "vector x indexed element" class: `Vm.H[H:L:M]` (Vm = v0-v15 in Rm<3:0>)
 * or `Vm.S[H:L]` with Vm = M:Rm; floating point (sz) `Vm.S[H:L]` / `Vm.D[H]`.
 */
function byEltKind(token: string, fp: boolean, half = false): OperandKind {
  return {
    token, syntax: "<Vm>.<Ts>[<index>]", uses: ["H", "L", "M", "Rm"],
    quick: isVec,
    print(f) {
      const es = half ? 1 : fp ? 2 + f.sz : f.size;
      if (es === 1) return `v${f.Rm}.h[${(f.H << 2) | (f.L << 1) | f.M}]`;
      if (es === 2) return `v${(f.M << 4) | f.Rm}.s[${(f.H << 1) | f.L}]`;
      if (es === 3 && f.L === 0) return `v${(f.M << 4) | f.Rm}.d[${f.H}]`;
      return null;
    },
    parse(st, f) {
      const allowed = half ? "h" : fp ? "sd" : "hs";
      const e = parseElt(st, allowed);
      if (isErr(e)) return e;
      const want = half ? 1 : fp ? 2 + (f.sz ?? e.es - 2) : f.size ?? e.es;
      if (want !== e.es) return err(st, `operand mismatch: the element must be .${ES[want]} like the other operands`);
      if (half) { /* element size fixed by the encoding */ } else if (fp) f.sz = e.es - 2; else f.size = e.es;
      if (e.es === 1) {
        if (e.reg > 15) return err(st, "with .h elements the indexed register must be v0-v15");
        if (e.idx > 7) return rangeErr(st, BigInt(e.idx), 0, 7, st.i, "element index");
        f.H = e.idx >> 2; f.L = (e.idx >> 1) & 1; f.M = e.idx & 1; f.Rm = e.reg;
      } else {
        const max = e.es === 2 ? 3 : 1;
        if (e.idx > max) return rangeErr(st, BigInt(e.idx), 0, max, st.i, "element index");
        if (e.es === 2) { f.H = e.idx >> 1; f.L = e.idx & 1; } else { f.H = e.idx; f.L = 0; }
        f.M = e.reg >> 4; f.Rm = e.reg & 15;
      }
      st.i++;
      return undefined;
    },
  };
}

/** The 32-bit group `Vm.4B[index]` of SDOT/UDOT (by element): index H:L, Vm = M:Rm. */
function dotEltKind(token: string): OperandKind {
  return {
    token, syntax: "<Vm>.4B[<index>]", uses: ["H", "L", "M", "Rm"],
    quick: isVec,
    print: (f) => `v${(f.M << 4) | f.Rm}.4b[${(f.H << 1) | f.L}]`,
    parse(st, f) {
      const m = /^v([0-9]|[12][0-9]|3[01])\s*\.\s*4b\s*\[\s*(.+?)\s*\]$/.exec(st.lower[st.i].trim());
      if (!m) return err(st, `expected a 4-byte element group Vm.4B[index], got '${st.pieces[st.i]}'`);
      const v = evalImm(st, m[2], false);
      if (isErr(v)) return v;
      if (v < 0n || v > 3n) return rangeErr(st, v, 0, 3, st.i, "element index");
      const r = Number(m[1]), i = Number(v);
      f.M = r >> 4; f.Rm = r & 15; f.H = i >> 1; f.L = i & 1;
      st.i++;
      return undefined;
    },
  };
}

/** The implicit zero shift of SXTL/UXTL: prints nothing, encodes immh:immb = esize. */
function shZeroKind(token: string): OperandKind {
  return {
    token, syntax: "", uses: ["immh", "immb"],
    print: () => "",
    parse: (st) => ({ ...err(st, "sxtl/uxtl take no shift amount (use sshll/ushll)"), weak: true }),
    fillDefault(f) {
      f.immh = 1 << (f._es ?? 0); f.immb = 0;
    },
  };
}

type Factory = (token: string, args: string[]) => OperandKind;
export const SIMD_KINDS: Record<string, Factory> = {
  V: (t, a) => vecKind(t, a[0], a[1]),
  SC: (t, a) => scalarKind(t, a[0], a[1]),
  VSH: (t, a) => shVecKind(t, a[0], a[1]),
  SHIMM: (t, a) => shImmKind(t, a[0]),
  SSH: (t, a) => shScalarKind(t, a[0], a[1]),
  E4B: (t) => dotEltKind(t),
  SHZERO: (t) => shZeroKind(t),
  ELX: (t, a) => byEltKind(t, a[0] === "fp" || a[0] === "fph", a[0] === "fph"),
  E5: (t, a) => elt5Kind(t, a[0], a[1]),
  E4: (t, a) => elt4Kind(t, a[0]),
  VT5: (t, a) => vt5Kind(t, a[0]),
  R5: (t, a) => r5Kind(t, a[0]),
  SC5: (t, a) => sc5Kind(t, a[0]),
  LIST: (t, a) => listKind(t, a[0], Number(a[1]), a[2]),
  LANE: (t, a) => laneKind(t, a[0], Number(a[1]), a[2]),
  MEMV: memStructKind,
  MODIMM: (t, a) => modImmKind(t, a[0]),
  VFPIMM: vfpImmKind,
  EXTIDX: extIndexKind,
  FIXED: fixedImmKind,
};
