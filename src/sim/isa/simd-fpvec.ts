// Advanced SIMD floating-point instructions, vector and scalar (DDI0487 C4.1.96, the FP opcodes
// of the AdvSIMD classes; C7.2 instruction pages), half, single and double precision:
//   three same          FADD FSUB FMUL FDIV FMAX FMIN FMAXNM FMINNM FMLA FMLS FABD FMULX FRECPS
//                       FRSQRTS FCMEQ FCMGE FCMGT FACGE FACGT; pairwise FADDP FMAXP FMINP FMAXNMP
//                       FMINNMP; the scalar forms of FABD FMULX FRECPS FRSQRTS FCMxx FACxx
//   two-register misc   FABS FNEG FSQRT FRINT{N,A,P,M,Z,X,I} FCVT{N,A,P,M,Z}{S,U} SCVTF UCVTF,
//                       FCMxx #0, FRECPE FRSQRTE FRECPX, FCVTN(2) FCVTL(2) FCVTXN(2), URECPE URSQRTE
//   across lanes        FMAXV FMINV FMAXNMV FMINNMV;  scalar pairwise FADDP FMAXP FMINP FMAXNMP FMINNMP
//   shift by immediate  SCVTF UCVTF FCVTZS FCVTZU #fbits (vector and scalar)
//   by element          FMLA FMLS FMUL FMULX (vector and scalar)
// The half-precision forms (FEAT_FP16: the "FP16" classes, size 00 by element, immh 001x, U = 0
// across lanes / scalar pairwise) run only on a model with the feature (`max`): fp16Only() makes
// them UNDEFINED elsewhere. FCVTN/FCVTL to and from half are ARMv8.0 and run everywhere.
//
// Every lane goes through the scalar FP machinery of simd-fp.ts (FPUnpack into operand slots,
// FPProcessNaNs, the exact arithmetic and FPRound of simd-fpcore.ts), so FPCR.DN/FZ/RMode/AHP and
// the FPSR cumulative flags behave exactly as for the scalar instructions. Source lanes are read
// from the register file and results are collected in the scratch vector D, written to Vd only at
// the end: aliasing between Vd, Vn and Vm is harmless.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { D, Exc, FPCR, U16, W32, fp16Only, fzFor, store } from './simd-common';
import {
  K, OK, OL, OH, OV, Op2, RB, Ty, arith2, convert, done, fixedToFp, fmtOf, fpRoundInt, fpToFixed,
  invalid, mulAdd, negOperand, pack, processNaN, processNaNs, rmode, unpack,
} from './simd-fp';
import { FP, RM, fma, roundInt, signOf, sqrt } from './simd-fpcore';

const DB16 = D * 2;

// ---------------------------------------------------------------- lanes

/** FPUnpack of lane e (format ty) of V[r] into operand slot i. */
function lane(pe: PE, r: number, ty: number, e: number, i: number, fz: boolean): void {
  const v = pe.v, b = r << 2;
  if (ty === Ty.D) unpack(i, ty, v[b + 2 * e], v[b + 2 * e + 1], fz);
  else if (ty === Ty.S) unpack(i, ty, v[b + e], 0, fz);
  else unpack(i, ty, (v[b + (e >>> 1)] >>> ((e & 1) << 4)) & 0xffff, 0, fz);
}

/** Result RB into lane e (format ty) of the scratch result D. */
function put(ty: number, e: number): void {
  if (ty === Ty.D) { W32[D + 2 * e] = RB[0]; W32[D + 2 * e + 1] = RB[1]; }
  else if (ty === Ty.S) W32[D + e] = RB[0];
  else U16[DB16 + e] = RB[0];
}

/** All-ones or zero of the lane width into RB (compare results). */
function mask(t: boolean): void { RB[0] = RB[1] = t ? 0xffffffff : 0; }

/** Writes D to V[d]: the vector (q = 0: low 64 bits) or, for a scalar, lane 0 alone. */
function finish(pe: PE, d: number, q: number, scalar: boolean, ty: number): number {
  if (scalar) { W32[D + 2] = 0; W32[D + 3] = 0; if (ty !== Ty.D) W32[D + 1] = 0; if (ty === Ty.H) U16[DB16 + 1] = 0; }
  store(pe, d, D, scalar ? 0 : q);
  return done(pe);
}

function dnOf(fpcr: number): boolean { return (fpcr & 1 << 25) !== 0; }

// ---------------------------------------------------------------- three same

/** Operations of the three-same FP opcodes (and of by-element, pairwise, across lanes). */
const enum F3 {
  ADD, SUB, MUL, DIV, MAX, MIN, MAXNM, MINNM, MLA, MLS, ABD, MULX, RECPS, RSQRTS, CMEQ, CMGE, CMGT, ACGE, ACGT,
}

const OP2: Record<number, number> = {
  [F3.ADD]: Op2.ADD, [F3.SUB]: Op2.SUB, [F3.MUL]: Op2.MUL, [F3.DIV]: Op2.DIV, [F3.MAX]: Op2.MAX, [F3.MIN]: Op2.MIN,
  [F3.MAXNM]: Op2.MAXNM, [F3.MINNM]: Op2.MINNM, [F3.ABD]: Op2.SUB,
};

/** Clears the sign of RB (FPAbs, NaNs included). */
function absRB(ty: number): void {
  if (ty === Ty.D) RB[1] = (RB[1] & 0x7fffffff) >>> 0; else RB[0] = (RB[0] & (ty === Ty.S ? 0x7fffffff : 0x7fff)) >>> 0;
}

/** Clears the sign of operand slot i (FPAbs before a compare). */
function absOperand(i: number, ty: number): void {
  if (OV[i] < 0 || Object.is(OV[i], -0)) negOperand(i, ty);
  else if (Number.isNaN(OV[i])) {
    if (ty === Ty.D) OH[i] = (OH[i] & 0x7fffffff) >>> 0; else OL[i] = (OL[i] & (ty === Ty.S ? 0x7fffffff : 0x7fff)) >>> 0;
  }
}

/**
 * FPMulX (FMULX), FPRecipStepFused (FRECPS: 2 - a*b) and FPRSqrtStepFused (FRSQRTS:
 * (3 - a*b) / 2) on slots 0 and 1, into RB. The step functions negate operand 1 first
 * (FPNeg, NaNs included), so a NaN in it comes out with its sign flipped.
 */
function stepOp(op: number, ty: number, fpcr: number): void {
  if (op !== F3.MULX) negOperand(0, ty);
  if (processNaNs(2, ty, dnOf(fpcr))) return;
  const inf0 = OK[0] === K.Inf, inf1 = OK[1] === K.Inf;
  const a = OV[0], b = OV[1];
  const sign = signOf(a) !== signOf(b);
  if ((inf0 && b === 0) || (a === 0 && inf1)) {
    pack(ty, op === F3.MULX ? (sign ? -2 : 2) : op === F3.RECPS ? 2 : 1.5);
  } else if (inf0 || inf1) {
    pack(ty, sign ? -Infinity : Infinity);
  } else if (op === F3.MULX) {
    arith2(Op2.MUL, ty, fpcr);
  } else {
    // Fully fused: one rounding of 2 + a*b, or of (3 + a*b) / 2; an exact zero is -0 only in RM.
    const rsq = op === F3.RSQRTS;
    pack(ty, fma(fmtOf(ty), rsq ? 3 : 2, a, b, rmode(fpcr), fzFor(ty, fpcr), rsq ? -1 : 0));
  }
}

/** FPCompareEQ/GE/GT of slots 0 and 1 (FACxx: of their absolute values) into RB as a lane mask. */
function compareOp(op: number, ty: number): void {
  if (op === F3.ACGE || op === F3.ACGT) { absOperand(0, ty); absOperand(1, ty); }
  if (OK[0] >= K.QNaN || OK[1] >= K.QNaN) {
    // EQ signals only for a signalling NaN; the ordered comparisons for any NaN.
    if (op !== F3.CMEQ || OK[0] === K.SNaN || OK[1] === K.SNaN) FP.flags |= Exc.IOC;
    mask(false);
    return;
  }
  const a = OV[0], b = OV[1];
  mask(op === F3.CMEQ ? a === b : op === F3.CMGE || op === F3.ACGE ? a >= b : a > b);
}

/** One lane of a two-operand op on slots 0 and 1 (MLA/MLS: slots 0 = accumulator, 1, 2). */
function op2Lane(op: number, ty: number, fpcr: number): void {
  switch (op) {
    case F3.MLA: mulAdd(ty, fpcr); return;
    case F3.MLS: negOperand(1, ty); mulAdd(ty, fpcr); return;
    case F3.MULX: case F3.RECPS: case F3.RSQRTS: stepOp(op, ty, fpcr); return;
    case F3.CMEQ: case F3.CMGE: case F3.CMGT: case F3.ACGE: case F3.ACGT: compareOp(op, ty); return;
    default:
      arith2(OP2[op], ty, fpcr);
      if (op === F3.ABD) absRB(ty);
  }
}

/**
 * Element-wise op: lanes of Vn and Vm (or, by element, lane `idx` of Vm for every lane), into
 * Vd. `elements` lanes of format ty; scalar forms have one lane.
 */
function execSame(op: number, ty: number, elements: number, q: number, scalar: boolean, d: number, n: number, m: number, idx: number): Exec {
  const acc = op === F3.MLA || op === F3.MLS;
  return (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const fpcr = pe.sys[FPCR], fz = fzFor(ty, fpcr);
    FP.flags = 0;
    for (let e = 0; e < elements; e++) {
      const o = acc ? 1 : 0;
      if (acc) lane(pe, d, ty, e, 0, fz);
      lane(pe, n, ty, e, o, fz);
      lane(pe, m, ty, idx < 0 ? e : idx, o + 1, fz);
      op2Lane(op, ty, fpcr);
      put(ty, e);
    }
    return finish(pe, d, q, scalar, ty);
  };
}

/** Pairwise over the concatenation Vm:Vn (FADDP, FMAXP ... vector). */
function execPairwise(op: number, ty: number, elements: number, q: number, d: number, n: number, m: number): Exec {
  const h = elements >>> 1;
  return (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const fpcr = pe.sys[FPCR], fz = fzFor(ty, fpcr);
    FP.flags = 0;
    for (let e = 0; e < elements; e++) {
      const r = e < h ? n : m, i = 2 * (e < h ? e : e - h);
      lane(pe, r, ty, i, 0, fz);
      lane(pe, r, ty, i + 1, 1, fz);
      arith2(OP2[op], ty, fpcr);
      put(ty, e);
    }
    return finish(pe, d, q, false, ty);
  };
}

/** Three-same FP opcode (bits 15:11 = 11xxx) by U:a:opcode<2:0>; -1 unallocated. Pairwise ops are marked by `PAIR`. */
const PAIR = 64;
function same3Op(U: number, a: number, o: number): number {
  const k = (U << 4) | (a << 3) | o;
  switch (k) {
    case 0b00000: return F3.MAXNM; case 0b01000: return F3.MINNM;
    case 0b00001: return F3.MLA; case 0b01001: return F3.MLS;
    case 0b00010: return F3.ADD; case 0b01010: return F3.SUB;
    case 0b00011: return F3.MULX; case 0b00100: return F3.CMEQ;
    case 0b00110: return F3.MAX; case 0b01110: return F3.MIN;
    case 0b00111: return F3.RECPS; case 0b01111: return F3.RSQRTS;
    case 0b10000: return F3.MAXNM | PAIR; case 0b11000: return F3.MINNM | PAIR;
    case 0b10010: return F3.ADD | PAIR; case 0b11010: return F3.ABD;
    case 0b10011: return F3.MUL; case 0b10100: return F3.CMGE; case 0b11100: return F3.CMGT;
    case 0b10101: return F3.ACGE; case 0b11101: return F3.ACGT;
    case 0b10110: return F3.MAX | PAIR; case 0b11110: return F3.MIN | PAIR;
    case 0b10111: return F3.DIV;
    default: return -1;
  }
}

/**
 * Advanced SIMD three same, FP opcodes: 0 Q U 01110 a sz 1 Rm 11 opcode<2:0> 1 Rn Rd; the FP16 class
 * (FEAT_FP16) is 0 Q U 01110 a 10 Rm 00 opcode<2:0> 1 Rn Rd with the same U:a:opcode operations.
 */
function fp3SameDecode(half: boolean) {
  return (w: number): Exec | undefined => {
    const Q = (w >>> 30) & 1, U = (w >>> 29) & 1, a = (w >>> 23) & 1, sz = half ? 0 : (w >>> 22) & 1;
    const Rm = (w >>> 16) & 31, o = (w >>> 11) & 7, Rn = (w >>> 5) & 31, Rd = w & 31;
    const op = same3Op(U, a, o);
    if (op < 0 || (sz === 1 && Q === 0)) return undefined;
    const ty = half ? Ty.H : sz ? Ty.D : Ty.S, elements = (Q ? 16 : 8) >>> (half ? 1 : 2 + sz);
    if (op & PAIR) return fp16Only(half, execPairwise(op & ~PAIR, ty, elements, Q, Rd, Rn, Rm));
    return fp16Only(half, execSame(op, ty, elements, Q, false, Rd, Rn, Rm, -1));
  };
}

/** Advanced SIMD scalar three same, FP opcodes: 01 U 11110 a sz 1 Rm 11 opcode<2:0> 1 Rn Rd (FP16: a 10 Rm 00 opcode). */
function fpScalar3SameDecode(half: boolean) {
  return (w: number): Exec | undefined => {
    const U = (w >>> 29) & 1, a = (w >>> 23) & 1, sz = (w >>> 22) & 1;
    const Rm = (w >>> 16) & 31, o = (w >>> 11) & 7, Rn = (w >>> 5) & 31, Rd = w & 31;
    const op = same3Op(U, a, o);
    const scalarOk = op === F3.ABD || op === F3.MULX || op === F3.RECPS || op === F3.RSQRTS
      || (op >= F3.CMEQ && op <= F3.ACGT);
    if (!scalarOk) return undefined;
    return fp16Only(half, execSame(op, half ? Ty.H : sz ? Ty.D : Ty.S, 1, 0, true, Rd, Rn, Rm, -1));
  };
}

// ---------------------------------------------------------------- by element

/**
 * Vector/scalar x indexed element, FP opcodes 0001 FMLA, 0101 FMLS, 1001 FMUL (U = 0) / FMULX (U = 1):
 * 0 Q U 01111 size L M Rm opcode H 0 Rn Rd (scalar: 01 U 11111 ...). size 10: single, index H:L,
 * element register M:Rm; 11: double, index H (L = 1 unallocated), M:Rm; 00: half (FEAT_FP16),
 * index H:L:M, element register Rm (V0-V15); 01: unallocated.
 */
function fpElemDecode(scalar: boolean) {
  return (w: number): Exec | undefined => {
    const Q = (w >>> 30) & 1, U = (w >>> 29) & 1, size = (w >>> 22) & 3, L = (w >>> 21) & 1, M = (w >>> 20) & 1;
    const Rm = (w >>> 16) & 15, opcode = (w >>> 12) & 15, H = (w >>> 11) & 1, Rn = (w >>> 5) & 31, Rd = w & 31;
    if (size === 1) return undefined;
    if (U && opcode !== 9) return undefined;
    const op = opcode === 1 ? F3.MLA : opcode === 5 ? F3.MLS : U ? F3.MULX : F3.MUL;
    if (size === 0) {
      const idx = (H << 2) | (L << 1) | M;
      return fp16Only(true, execSame(op, Ty.H, scalar ? 1 : Q ? 8 : 4, Q, scalar, Rd, Rn, Rm, idx));
    }
    const sz = size & 1;
    if (sz === 1 && (L === 1 || (!scalar && Q === 0))) return undefined;
    const idx = sz ? H : (H << 1) | L;
    const ty = sz ? Ty.D : Ty.S;
    return execSame(op, ty, scalar ? 1 : (Q ? 4 : 2) >>> sz, Q, scalar, Rd, Rn, (M << 4) | Rm, idx);
  };
}

// ---------------------------------------------------------------- two-register misc

const enum F2 {
  ABS, NEG, SQRT, RINT, CVTS, CVTU, SCVTF, UCVTF, CMGT0, CMGE0, CMEQ0, CMLE0, CMLT0, RECPE, RSQRTE, RECPX, URECPE, URSQRTE,
}

/** RecipEstimate(a), 256 <= a < 512 (DDI0487 shared/functions/float/reciprocal estimate). */
function recipEstimate(a: number): number {
  a = a * 2 + 1;
  const b = Math.floor(2 ** 19 / a);
  return (b + 1) >>> 1;
}

/** RecipSqrtEstimate(a), 128 <= a < 512. */
function recipSqrtEstimate(a: number): number {
  if (a < 256) a = a * 2 + 1;
  else { a = (a >>> 1) << 1; a = (a + 1) * 2; }
  // The pseudocode's b is the least b >= 512 with a * (b + 1)^2 >= 2^28. Start at the square
  // root (products stay below 2^31, exact in doubles) and correct by one either way, rather than
  // counting up from 512: the table is built at load, and counting cost ~190,000 steps.
  let b = Math.max(512, Math.ceil(Math.sqrt(2 ** 28 / a)) - 1);
  while (b > 512 && a * b * b >= 2 ** 28) b--;
  while (a * (b + 1) * (b + 1) < 2 ** 28) b++;
  return (b + 1) >>> 1;
}
const RECIP = new Uint16Array(256), RSQRT = new Uint16Array(384);
for (let i = 0; i < 256; i++) RECIP[i] = recipEstimate(256 + i);
for (let i = 0; i < 384; i++) RSQRT[i] = recipSqrtEstimate(128 + i);

/** Exponent field and the top 8 (shifted) fraction bits of slot 0's raw bits, per format. */
function expFrac(ty: number): { exp: number; frac: number } {
  // frac: the 52-bit fraction as a double-aligned integer would be too wide; keep the top 32 bits.
  if (ty === Ty.D) return { exp: (OH[0] >>> 20) & 0x7ff, frac: ((OH[0] << 12) | (OL[0] >>> 20)) >>> 0 };
  if (ty === Ty.H) return { exp: (OL[0] >>> 10) & 0x1f, frac: (OL[0] << 22) >>> 0 };
  return { exp: (OL[0] >>> 23) & 0xff, frac: (OL[0] << 9) >>> 0 };
}

/** FPRecipEstimate() on slot 0 into RB. */
/** Sign bit of slot 0's raw bits. */
function signBit(ty: number): number { return ty === Ty.D ? OH[0] >>> 31 : ty === Ty.S ? OL[0] >>> 31 : (OL[0] >>> 15) & 1; }

function recipEstimateOp(ty: number, fpcr: number): void {
  const sign = signBit(ty);
  const x = OV[0], s = sign ? -1 : 1;
  if (OK[0] >= K.QNaN) { processNaN(0, ty, dnOf(fpcr)); return; }
  if (OK[0] === K.Inf) { pack(ty, sign ? -0 : 0); return; }
  if (x === 0) { FP.flags |= Exc.DZC; pack(ty, s * Infinity); return; }
  const ax = Math.abs(x), f = fmtOf(ty);
  if (ax < 2 ** (ty === Ty.D ? -1024 : ty === Ty.S ? -128 : -16)) {
    const rm = rmode(fpcr);
    const toInf = rm === RM.RN || (rm === RM.RP && !sign) || (rm === RM.RM && sign === 1);
    FP.flags |= Exc.OFC | Exc.IXC;
    pack(ty, s * (toInf ? Infinity : f.max));
    return;
  }
  if (fzFor(ty, fpcr) && ax >= 2 ** (ty === Ty.D ? 1022 : ty === Ty.S ? 126 : 14)) { FP.flags |= Exc.UFC; pack(ty, sign ? -0 : 0); return; }
  let { exp, frac } = expFrac(ty);
  if (exp === 0) {
    if ((frac >>> 31) === 0) { exp = -1; frac = (frac << 2) >>> 0; } else frac = (frac << 1) >>> 0;
  }
  const est = RECIP[frac >>> 24];            // scaled = '1':fraction<51:44>
  let resExp = (ty === Ty.D ? 2045 : ty === Ty.S ? 253 : 29) - exp;
  // fraction = estimate<7:0> : zeros, then denormalised for result exponents 0 and -1.
  let fr = (est & 0xff) * 2 ** 24;           // as a 32-bit left-aligned fraction (bits 31..24)
  if (resExp === 0) fr = 2 ** 31 + fr / 2;
  else if (resExp === -1) { fr = 2 ** 30 + fr / 4; resExp = 0; }
  setBits(ty, sign, resExp, fr);
}

/** RB = sign : exp : (32-bit left-aligned fraction, zero-extended), per format. */
function setBits(ty: number, sign: number, exp: number, fr: number): void {
  fr = fr >>> 0;
  if (ty === Ty.D) { RB[1] = ((sign << 31) | (exp << 20) | (fr >>> 12)) >>> 0; RB[0] = (fr << 20) >>> 0; }
  else if (ty === Ty.S) { RB[0] = ((sign << 31) | (exp << 23) | (fr >>> 9)) >>> 0; RB[1] = 0; }
  else { RB[0] = (sign << 15) | (exp << 10) | (fr >>> 22); RB[1] = 0; }
}

/** FPRSqrtEstimate() on slot 0 into RB. */
function rsqrtEstimateOp(ty: number, fpcr: number): void {
  const sign = signBit(ty);
  if (OK[0] >= K.QNaN) { processNaN(0, ty, dnOf(fpcr)); return; }
  if (OK[0] === K.Num && OV[0] === 0) { FP.flags |= Exc.DZC; pack(ty, sign ? -Infinity : Infinity); return; }
  if (sign) { invalid(ty); return; }
  if (OK[0] === K.Inf) { pack(ty, 0); return; }
  let { exp, frac } = expFrac(ty);
  // The 52-bit fraction's bits below the top 32 never reach the estimate, except through the
  // normalisation shift of a denormal, which takes them from below: keep the low word too.
  let lowBits = ty === Ty.D ? (OL[0] << 12) >>> 0 : 0;
  if (exp === 0) {
    while ((frac >>> 31) === 0) { frac = ((frac << 1) | (lowBits >>> 31)) >>> 0; lowBits = (lowBits << 1) >>> 0; exp--; }
    frac = ((frac << 1) | (lowBits >>> 31)) >>> 0;
  }
  // An even biased exponent (odd unbiased: both biases are odd) scales into [0.5, 1), an odd one into [0.25, 0.5).
  const scaled = (exp & 1) === 0 ? 256 + (frac >>> 24) : 128 + (frac >>> 25);
  const est = RSQRT[scaled - 128];
  const resExp = Math.floor(((ty === Ty.D ? 3068 : ty === Ty.S ? 380 : 44) - exp) / 2);
  setBits(ty, 0, resExp, (est & 0xff) * 2 ** 24);
}

/** FPRecpX() on slot 0 into RB: exponent complemented, fraction zero (zero/denormal: max exponent - 1). */
function recpXOp(ty: number, fpcr: number): void {
  if (OK[0] >= K.QNaN) { processNaN(0, ty, dnOf(fpcr)); return; }
  const sign = signBit(ty);
  const { exp } = expFrac(ty);
  const ones = ty === Ty.D ? 0x7ff : ty === Ty.S ? 0xff : 0x1f;
  setBits(ty, sign, exp === 0 ? ones - 1 : ~exp & ones, 0);
}

/** One lane of a two-register misc op on slot 0 into RB. */
function misc2Lane(op: number, ty: number, fpcr: number, rm: number, exact: boolean, fbits: number): void {
  switch (op) {
    case F2.SQRT: {
      const x = OV[0];
      if (OK[0] >= K.QNaN) processNaN(0, ty, dnOf(fpcr));
      else if (x === 0) pack(ty, x);
      else if (signOf(x)) invalid(ty);
      else if (OK[0] === K.Inf) pack(ty, x);
      else pack(ty, sqrt(fmtOf(ty), x, rmode(fpcr), fzFor(ty, fpcr)));
      return;
    }
    case F2.RINT: fpRoundInt(ty, fpcr, rm < 0 ? rmode(fpcr) : rm, exact); return;
    case F2.CVTS: case F2.CVTU:
      if (ty === Ty.H) fpToFixed16(fbits, op === F2.CVTU, rm);
      else fpToFixed(fbits, op === F2.CVTU, ty === Ty.D, rm);
      return;
    case F2.CMGT0: case F2.CMGE0: case F2.CMEQ0: case F2.CMLE0: case F2.CMLT0: {
      // LE and LT compare zero with the element (FPCompareGE(0, x), FPCompareGT(0, x)).
      const swap = op === F2.CMLE0 || op === F2.CMLT0;
      if (swap) { OK[1] = OK[0]; OV[1] = OV[0]; OL[1] = OL[0]; OH[1] = OH[0]; unpack(0, ty, 0, 0, false); }
      else unpack(1, ty, 0, 0, false);
      compareOp(op === F2.CMEQ0 ? F3.CMEQ : op === F2.CMGT0 || op === F2.CMLT0 ? F3.CMGT : F3.CMGE, ty);
      return;
    }
    case F2.RECPE: recipEstimateOp(ty, fpcr); return;
    case F2.RSQRTE: rsqrtEstimateOp(ty, fpcr); return;
    default: recpXOp(ty, fpcr);
  }
}

/** FPToFixed of slot 0 to a 16-bit (un)signed integer lane (the FEAT_FP16 vector/scalar forms), into RB. */
function fpToFixed16(fbits: number, unsigned: boolean, rm: number): void {
  const lo = unsigned ? 0 : -32768, hi = unsigned ? 65535 : 32767;
  let r: number;
  if (OK[0] >= K.QNaN) { FP.flags |= Exc.IOC; r = 0; }
  else {
    const x = OV[0] * 2 ** fbits;          // exact: a half value times 2^fbits (fbits <= 16)
    r = roundInt(x, rm);
    if (r < lo || r > hi) { FP.flags |= Exc.IOC; r = r < lo ? lo : hi; }
    else if (r !== x) FP.flags |= Exc.IXC;
  }
  RB[0] = r & 0xffff; RB[1] = 0;
}

/** UnsignedRecipEstimate / UnsignedRSqrtEstimate of a 32-bit lane. */
function unsignedEstimate(op: number, x: number): number {
  if (op === F2.URECPE) return x >>> 31 === 0 ? 0xffffffff : ((RECIP[(x >>> 23) & 0xff] & 0x1ff) * 2 ** 23) >>> 0;
  if (x >>> 30 === 0) return 0xffffffff;
  return ((RSQRT[(x >>> 23) - 128] & 0x1ff) * 2 ** 23) >>> 0;
}

function execMisc(op: number, ty: number, elements: number, q: number, scalar: boolean, d: number, n: number, rm: number, exact: boolean, fbits: number): Exec {
  const n4 = n << 2;
  if (op === F2.ABS || op === F2.NEG) {
    // FPAbs/FPNeg: sign-bit operations, no exceptions.
    const words = q ? 4 : 2;
    const m = ty === Ty.D ? [0, 0x80000000] : ty === Ty.S ? [0x80000000, 0x80000000] : [0x80008000, 0x80008000];
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      const v = pe.v;
      for (let i = 0; i < words; i++) W32[D + i] = op === F2.ABS ? v[n4 + i] & ~m[i & 1] : v[n4 + i] ^ m[i & 1];
      store(pe, d, D, q);
      return Flow.Next;
    };
  }
  if (op === F2.URECPE || op === F2.URSQRTE) {
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      for (let e = 0; e < elements; e++) W32[D + e] = unsignedEstimate(op, pe.v[n4 + e]);
      store(pe, d, D, q);
      return Flow.Next;
    };
  }
  const toFp = op === F2.SCVTF || op === F2.UCVTF;
  return (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const fpcr = pe.sys[FPCR], fz = fzFor(ty, fpcr), v = pe.v;
    FP.flags = 0;
    for (let e = 0; e < elements; e++) {
      if (toFp) {
        let lo: number, hi = 0;
        if (ty === Ty.D) { lo = v[n4 + 2 * e]; hi = v[n4 + 2 * e + 1]; }
        else if (ty === Ty.S) lo = v[n4 + e];
        else {
          // 16-bit integer lanes (FEAT_FP16): extended to 32 bits as the signedness says.
          const h = (v[n4 + (e >>> 1)] >>> ((e & 1) << 4)) & 0xffff;
          lo = op === F2.UCVTF ? h : (h << 16) >> 16;
        }
        fixedToFp(lo, hi, op === F2.UCVTF, ty === Ty.D, fbits, ty, rmode(fpcr), fz);
      } else {
        lane(pe, n, ty, e, 0, fz);
        misc2Lane(op, ty, fpcr, rm, exact, fbits);
      }
      put(ty, e);
    }
    return finish(pe, d, q, scalar, ty);
  };
}

/** Op, fixed rounding (-1: FPCR) and exactness of the misc FP opcodes 11000..11111 and 011xx; undefined if unallocated. */
function misc2Op(U: number, a: number, opcode: number, scalar: boolean): [number, number, boolean] | undefined {
  switch (opcode) {
    case 0b01100: return [U ? F2.CMGE0 : F2.CMGT0, -1, false];
    case 0b01101: return [U ? F2.CMLE0 : F2.CMEQ0, -1, false];
    case 0b01110: return U ? undefined : [F2.CMLT0, -1, false];
    case 0b01111: return scalar ? undefined : [U ? F2.NEG : F2.ABS, -1, false];
    case 0b11000: case 0b11001: {
      if (scalar) return undefined;
      const k = (U << 2) | (a << 1) | (opcode & 1);
      // FRINTN FRINTM FRINTP FRINTZ | FRINTA FRINTX - FRINTI
      const rm = [RM.RN, RM.RM, RM.RP, RM.RZ, RM.RA, -1, -2, -1][k];
      if (rm === -2) return undefined;
      return [F2.RINT, rm, k === 5];
    }
    case 0b11010: return [U ? F2.CVTU : F2.CVTS, a ? RM.RP : RM.RN, false];
    case 0b11011: return [U ? F2.CVTU : F2.CVTS, a ? RM.RZ : RM.RM, false];
    case 0b11100: return a ? (scalar ? undefined : [U ? F2.URSQRTE : F2.URECPE, -1, false]) : [U ? F2.CVTU : F2.CVTS, RM.RA, false];
    case 0b11101: return [a ? (U ? F2.RSQRTE : F2.RECPE) : U ? F2.UCVTF : F2.SCVTF, -1, false];
    case 0b11111:
      if (!a) return undefined;
      if (U) return scalar ? undefined : [F2.SQRT, -1, false];
      return scalar ? [F2.RECPX, -1, false] : undefined;
    default: return undefined;
  }
}

/** FCVTN/FCVTN2 (narrow), FCVTXN/FCVTXN2 (narrow, round to odd), FCVTL/FCVTL2 (long). */
function execCvtNarrowLong(long: boolean, odd: boolean, sz: number, q: number, scalar: boolean, d: number, n: number): Exec {
  // Narrow: from = wide (S or D), to = narrow (H or S); long: the reverse.
  const narrow = sz ? Ty.S : Ty.H, wide = sz ? Ty.D : Ty.S;
  const from = long ? narrow : wide, to = long ? wide : narrow;
  const elements = scalar ? 1 : sz ? 2 : 4;
  const n4 = n << 2, d4 = d << 2;
  return (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const fpcr = pe.sys[FPCR], v = pe.v;
    FP.flags = 0;
    const rm = odd ? RM.RO : rmode(fpcr);
    // Long reads the upper half of Vn for FCVTL2.
    const base = long && q ? n4 + 2 : n4;
    for (let e = 0; e < elements; e++) {
      let lo: number, hi = 0;
      if (from === Ty.D) { lo = v[base + 2 * e]; hi = v[base + 2 * e + 1]; }
      else if (from === Ty.S) lo = v[base + e];
      else lo = (v[base + (e >>> 1)] >>> ((e & 1) << 4)) & 0xffff;
      convert(from, to, lo, hi, fpcr, rm);
      put(to, e);
    }
    if (long) { store(pe, d, D, 1); return done(pe); }
    if (scalar) return finish(pe, d, 0, true, to);
    // Narrow: the result is 64 bits, written to the lower half (upper zeroed) or, for the "2"
    // form, to the upper half (lower kept).
    if (q) { v[d4 + 2] = W32[D]; v[d4 + 3] = W32[D + 1]; } else { v[d4] = W32[D]; v[d4 + 1] = W32[D + 1]; v[d4 + 2] = 0; v[d4 + 3] = 0; }
    return done(pe);
  };
}

/**
 * Two-register misc, FP opcodes (vector 0 Q U 01110 a sz 10000 opcode 10 Rn Rd, scalar 01 U 11110 ...);
 * `half`: the FP16 classes (0 Q U 01110 a 1111 00 opcode 10 Rn Rd, scalar 01 U 11110 a 1111 00 ...).
 */
function misc2Decode(scalar: boolean, half = false) {
  return (w: number): Exec | undefined => {
    const Q = (w >>> 30) & 1, U = (w >>> 29) & 1, a = (w >>> 23) & 1, sz = half ? 0 : (w >>> 22) & 1;
    const opcode = (w >>> 12) & 31, Rn = (w >>> 5) & 31, Rd = w & 31;
    if (!half && (opcode === 0b10110 || opcode === 0b10111)) {
      if (a) return undefined;                                  // BFCVTN (FEAT_BF16), unallocated
      const long = opcode === 0b10111;
      if (scalar) return !long && U && sz ? execCvtNarrowLong(false, true, 1, 0, true, Rd, Rn) : undefined;
      if (long && U) return undefined;
      if (!long && U && !sz) return undefined;                  // FCVTXN is double -> single only
      return execCvtNarrowLong(long, !long && U === 1, sz, Q, false, Rd, Rn);
    }
    const k = misc2Op(U, a, opcode, scalar);
    if (!k) return undefined;
    const [op, rm, exact] = k;
    if (op === F2.URECPE || op === F2.URSQRTE) {
      if (sz || half) return undefined;
      return execMisc(op, Ty.S, Q ? 4 : 2, Q, false, Rd, Rn, -1, false, 0);
    }
    if ((op >= F2.CMGT0 && op <= F2.CMLT0) || op === F2.ABS || op === F2.NEG) { if (!a) return undefined; }
    if (!scalar && sz && !Q) return undefined;
    const ty = half ? Ty.H : sz ? Ty.D : Ty.S;
    const elements = scalar ? 1 : (Q ? 16 : 8) >>> (half ? 1 : 2 + sz);
    return fp16Only(half, execMisc(op, ty, elements, Q, scalar, Rd, Rn, rm, exact, 0));
  };
}

// ---------------------------------------------------------------- across lanes, scalar pairwise

/** Reduce() over lanes [lo, lo + n) of V[r] (n a power of two): halves recursively; result in RB. */
function reduce(pe: PE, op: number, ty: number, r: number, lo: number, n: number, fpcr: number, fz: boolean): void {
  if (n === 1) {
    // A single element is returned as it is (raw bits); the operation that uses it unpacks it.
    const v = pe.v, b = r << 2;
    RB[0] = ty === Ty.S ? v[b + lo] : (v[b + (lo >>> 1)] >>> ((lo & 1) << 4)) & 0xffff; RB[1] = 0;
    return;
  }
  reduce(pe, op, ty, r, lo, n >>> 1, fpcr, fz);
  const l0 = RB[0], l1 = RB[1];
  reduce(pe, op, ty, r, lo + (n >>> 1), n >>> 1, fpcr, fz);
  const h0 = RB[0], h1 = RB[1];
  unpack(0, ty, l0, l1, fz);
  unpack(1, ty, h0, h1, fz);
  arith2(op, ty, fpcr);
}

/**
 * Across lanes, FP: 0 Q U 01110 a sz 11000 opcode 10 Rn Rd. U = 1, sz = 0: single (4S only);
 * U = 0, sz = 0: half (FEAT_FP16, 4H or 8H). FMAXNMV/FMINNMV (01100), FMAXV/FMINV (01111), a = min.
 * Reduce() halves the vector recursively: op(op(e0, e1), op(e2, e3)) for 4 lanes.
 */
function fpAcrossDecode(w: number): Exec | undefined {
  const Q = (w >>> 30) & 1, U = (w >>> 29) & 1, a = (w >>> 23) & 1, sz = (w >>> 22) & 1, opcode = (w >>> 12) & 31;
  const Rn = (w >>> 5) & 31, Rd = w & 31;
  if (sz || (U && !Q)) return undefined;                        // 2S and 2D: reserved
  const half = U === 0, ty = half ? Ty.H : Ty.S, elements = half ? (Q ? 8 : 4) : 4;
  let op: number;
  if (opcode === 0b01100) op = a ? Op2.MINNM : Op2.MAXNM;
  else if (opcode === 0b01111) op = a ? Op2.MIN : Op2.MAX;
  else return undefined;
  return fp16Only(half, (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const fpcr = pe.sys[FPCR], fz = fzFor(ty, fpcr);
    FP.flags = 0;
    reduce(pe, op, ty, Rn, 0, elements, fpcr, fz);
    W32[D] = 0;
    put(ty, 0);
    return finish(pe, Rd, 0, true, ty);
  });
}

/**
 * Advanced SIMD scalar pairwise, FP: 01 U 11110 a sz 11000 opcode 10 Rn Rd (FADDP, FMAXP, FMINP,
 * FMAXNMP, FMINNMP). U = 1: single/double by sz; U = 0, sz = 0: half (FEAT_FP16).
 */
function fpScalarPairwiseDecode(w: number): Exec | undefined {
  const U = (w >>> 29) & 1, a = (w >>> 23) & 1, sz = (w >>> 22) & 1, opcode = (w >>> 12) & 31, Rn = (w >>> 5) & 31, Rd = w & 31;
  if (!U && sz) return undefined;
  let op: number;
  if (opcode === 0b01100) op = a ? Op2.MINNM : Op2.MAXNM;
  else if (opcode === 0b01101 && !a) op = Op2.ADD;
  else if (opcode === 0b01111) op = a ? Op2.MIN : Op2.MAX;
  else return undefined;
  const half = U === 0, ty = half ? Ty.H : sz ? Ty.D : Ty.S;
  return fp16Only(half, (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const fpcr = pe.sys[FPCR], fz = fzFor(ty, fpcr);
    FP.flags = 0;
    lane(pe, Rn, ty, 0, 0, fz);
    lane(pe, Rn, ty, 1, 1, fz);
    arith2(op, ty, fpcr);
    W32[D] = 0;
    put(ty, 0);
    return finish(pe, Rd, 0, true, ty);
  });
}

// ---------------------------------------------------------------- fixed-point conversions by immediate

/**
 * SCVTF/UCVTF (opcode 11100) and FCVTZS/FCVTZU (11111) by immediate: 0 Q U 011110 immh immb opcode 1 Rn Rd
 * (scalar 01 U 111110 ...). immh = 1xxx: double, fbits = 128 - immh:immb; 01xx: single, 64 - immh:immb;
 * 001x: half (FEAT_FP16), 32 - immh:immb; 0001: unallocated.
 */
function fpFixedShiftDecode(scalar: boolean) {
  return (w: number): Exec | undefined => {
    const Q = (w >>> 30) & 1, U = (w >>> 29) & 1, immh = (w >>> 19) & 15, immhb = (w >>> 16) & 127;
    const opcode = (w >>> 11) & 31, Rn = (w >>> 5) & 31, Rd = w & 31;
    if (immh < 2) return undefined;
    const es = immh >= 8 ? 3 : immh >= 4 ? 2 : 1;           // log2 bytes of the element
    if (es === 3 && !scalar && !Q) return undefined;
    const ty = es === 3 ? Ty.D : es === 2 ? Ty.S : Ty.H, fbits = (16 << es) - immhb;
    const elements = scalar ? 1 : (Q ? 16 : 8) >>> es;
    const op = opcode === 0b11100 ? (U ? F2.UCVTF : F2.SCVTF) : U ? F2.CVTU : F2.CVTS;
    return fp16Only(es === 1, execMisc(op, ty, elements, Q, scalar, Rd, Rn, RM.RZ, false, fbits));
  };
}

/**
 * The FP opcodes of the AdvSIMD classes. Listed before the integer classes of simd-int.ts, whose
 * masks also cover these encodings: the decoder takes the first record that matches.
 */
export const SIMD_FPVEC: Encoding[] = [
  { name: 'Advanced SIMD three same (FP)', mask: 0x9f20c400, value: 0x0e20c400, decode: fp3SameDecode(false) },
  { name: 'Advanced SIMD scalar three same (FP)', mask: 0xdf20c400, value: 0x5e20c400, decode: fpScalar3SameDecode(false) },
  { name: 'Advanced SIMD two-register miscellaneous (FP compare with zero, FABS, FNEG)', mask: 0x9f3fcc00, value: 0x0e20c800, decode: misc2Decode(false) },
  { name: 'Advanced SIMD two-register miscellaneous (FCVTN, FCVTXN, FCVTL)', mask: 0x9f3fec00, value: 0x0e216800, decode: misc2Decode(false) },
  { name: 'Advanced SIMD two-register miscellaneous (FP)', mask: 0x9f3f8c00, value: 0x0e218800, decode: misc2Decode(false) },
  { name: 'Advanced SIMD scalar two-register miscellaneous (FP compare with zero)', mask: 0xdf3fcc00, value: 0x5e20c800, decode: misc2Decode(true) },
  { name: 'Advanced SIMD scalar two-register miscellaneous (FCVTXN)', mask: 0xdf3fec00, value: 0x5e216800, decode: misc2Decode(true) },
  { name: 'Advanced SIMD scalar two-register miscellaneous (FP)', mask: 0xdf3f8c00, value: 0x5e218800, decode: misc2Decode(true) },
  { name: 'Advanced SIMD across lanes (FP)', mask: 0x9f3fcc00, value: 0x0e30c800, decode: fpAcrossDecode },
  { name: 'Advanced SIMD scalar pairwise (FP)', mask: 0xdf3fcc00, value: 0x5e30c800, decode: fpScalarPairwiseDecode },
  { name: 'Advanced SIMD shift by immediate (SCVTF, UCVTF fixed-point)', mask: 0x9f80fc00, value: 0x0f00e400, decode: fpFixedShiftDecode(false) },
  { name: 'Advanced SIMD shift by immediate (FCVTZS, FCVTZU fixed-point)', mask: 0x9f80fc00, value: 0x0f00fc00, decode: fpFixedShiftDecode(false) },
  { name: 'Advanced SIMD scalar shift by immediate (SCVTF, UCVTF fixed-point)', mask: 0xdf80fc00, value: 0x5f00e400, decode: fpFixedShiftDecode(true) },
  { name: 'Advanced SIMD scalar shift by immediate (FCVTZS, FCVTZU fixed-point)', mask: 0xdf80fc00, value: 0x5f00fc00, decode: fpFixedShiftDecode(true) },
  { name: 'Advanced SIMD three same (FP16)', mask: 0x9f60c400, value: 0x0e400400, decode: fp3SameDecode(true) },
  { name: 'Advanced SIMD scalar three same (FP16)', mask: 0xdf60c400, value: 0x5e400400, decode: fpScalar3SameDecode(true) },
  { name: 'Advanced SIMD two-register miscellaneous (FP16)', mask: 0x9f7e0c00, value: 0x0e780800, decode: misc2Decode(false, true) },
  { name: 'Advanced SIMD scalar two-register miscellaneous (FP16)', mask: 0xdf7e0c00, value: 0x5e780800, decode: misc2Decode(true, true) },
  { name: 'Advanced SIMD vector x indexed element (FMLA)', mask: 0xbf00f400, value: 0x0f001000, decode: fpElemDecode(false) },
  { name: 'Advanced SIMD vector x indexed element (FMLS)', mask: 0xbf00f400, value: 0x0f005000, decode: fpElemDecode(false) },
  { name: 'Advanced SIMD vector x indexed element (FMUL, FMULX)', mask: 0x9f00f400, value: 0x0f009000, decode: fpElemDecode(false) },
  { name: 'Advanced SIMD scalar x indexed element (FMLA)', mask: 0xff00f400, value: 0x5f001000, decode: fpElemDecode(true) },
  { name: 'Advanced SIMD scalar x indexed element (FMLS)', mask: 0xff00f400, value: 0x5f005000, decode: fpElemDecode(true) },
  { name: 'Advanced SIMD scalar x indexed element (FMUL, FMULX)', mask: 0xdf00f400, value: 0x5f009000, decode: fpElemDecode(true) },
];
