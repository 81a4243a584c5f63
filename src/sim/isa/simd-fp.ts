// Scalar floating-point instructions (DDI0487 C4.1.96 "Data Processing -- Scalar Floating-Point
// and Advanced SIMD", the scalar FP classes): conversion between FP and integer (incl. FMOV
// general), conversion between FP and fixed-point, data-processing 1/2/3 source, compare,
// conditional compare, conditional select, immediate. Single and double precision; half
// precision (ftype 11) is FEAT_FP16 (`max` only, fp16Only(): UNDEFINED elsewhere) except FCVT
// to and from half, which is ARMv8.0.
//
// NaN handling follows the shared pseudocode (DDI0487 J1 shared/functions/float):
// FPProcessNaN (signalling NaN -> IOC and quieted; FPCR.DN -> default NaN), FPProcessNaNs and
// FPProcessNaNs3 (first signalling NaN in operand order, then first quiet NaN), FPMulAdd's
// (inf * 0) + qNaN -> default NaN with IOC, FPMaxNum/FPMinNum's single-quiet-NaN rule.
// FPCR.FZ flushes denormal inputs (IDC) and tiny outputs (UFC), FPCR.FZ16 the same for half
// precision but without IDC; rounding per FPCR.RMode.
// Arithmetic itself is in simd-fpcore.ts; the AdvSIMD FP instructions (simd-fpvec.ts) run each
// lane through the operand slots and helpers exported here.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { condHolds, dst, src } from './common';
import { Exc, FPCR, FPCR_AHP, FPCR_DN, FPCR_FZ, FPSR, fp16Only, fzFor } from './simd-common';
import {
  DOUBLE, FP, type Fmt, HALF, RM, SINGLE, add, div, fma, ilogb, mul, pow2, roundInt, roundTo, signOf, sqrt,
} from './simd-fpcore';

/** ftype field: 00 single, 01 double, 11 half. */
export const enum Ty { S = 0, D = 1, H = 3 }

/** Operand kinds after FPUnpack. */
export const enum K { Num = 0, Inf = 1, QNaN = 2, SNaN = 3 }

// ---------------------------------------------------------------- operands (module scratch)

export const OK = new Int32Array(3);
export const OV = new Float64Array(3);
export const OL = new Uint32Array(3);
export const OH = new Uint32Array(3);
/** Result bits. */
export const RB = new Uint32Array(2);
const CVB = new ArrayBuffer(8);
const CV32 = new Uint32Array(CVB);
const CVF32 = new Float32Array(CVB);
const CVF64 = new Float64Array(CVB);

export function fmtOf(ty: number): Fmt { return ty === Ty.S ? SINGLE : ty === Ty.D ? DOUBLE : HALF; }

/** Half-precision bits -> double (exact). */
function halfToNum(b: number): number {
  const e = (b >>> 10) & 31, f = b & 0x3ff;
  const v = e === 0 ? f * pow2(-24) : e === 31 ? (f ? NaN : Infinity) : (f + 1024) * pow2(e - 25);
  return b & 0x8000 ? -v : v;
}

/** Double exactly representable in half precision (or ±Inf/±0) -> bits. */
function numToHalf(x: number): number {
  const s = signOf(x) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === 0) return s;
  if (a === Infinity) return s | 0x7c00;
  const e = ilogb(a);
  if (e < -14) return s | (a * pow2(24));
  return s | ((e + 15) << 10) | (a * pow2(10 - e) - 1024);
}

/**
 * FPUnpack of raw bits (lo, hi) of format ty into operand slot i: kind, value, bits.
 * `fz`: flush denormals to zero (IDC), as FPUnpack with FPCR.FZ does for single/double.
 */
export function unpack(i: number, ty: number, lo: number, hi: number, fz: boolean): void {
  OL[i] = lo; OH[i] = hi;
  let k: number = K.Num, v: number;
  if (ty === Ty.D) {
    const e = (hi >>> 20) & 0x7ff;
    if (e === 0x7ff) {
      if ((hi & 0xfffff) | lo) k = hi & 0x80000 ? K.QNaN : K.SNaN; else k = K.Inf;
      v = k === K.Inf ? (hi >>> 31 ? -Infinity : Infinity) : NaN;
    } else if (e === 0 && fz && ((hi & 0xfffff) | lo)) {
      FP.flags |= Exc.IDC; v = hi >>> 31 ? -0 : 0;
    } else {
      CV32[0] = lo; CV32[1] = hi; v = CVF64[0];
    }
  } else if (ty === Ty.S) {
    const e = (lo >>> 23) & 0xff;
    if (e === 0xff) {
      if (lo & 0x7fffff) k = lo & 0x400000 ? K.QNaN : K.SNaN; else k = K.Inf;
      v = k === K.Inf ? (lo >>> 31 ? -Infinity : Infinity) : NaN;
    } else if (e === 0 && fz && (lo & 0x7fffff)) {
      FP.flags |= Exc.IDC; v = lo >>> 31 ? -0 : 0;
    } else {
      CV32[0] = lo; v = CVF32[0];
    }
  } else {
    const e = (lo >>> 10) & 31;
    if (e === 31 && (lo & 0x3ff)) k = lo & 0x200 ? K.QNaN : K.SNaN;
    else if (e === 31) k = K.Inf;
    // FPCR.FZ16 flushes a half-precision denormal input to zero without Input Denormal
    // (FPUnpackBase(): IDC is raised only for the FZ flush of single and double).
    if (e === 0 && fz && (lo & 0x3ff)) v = lo & 0x8000 ? -0 : 0;
    else v = halfToNum(lo & 0xffff);
  }
  OK[i] = k; OV[i] = v;
}

/** Reads V[n] as format ty into slot i. */
function unpackReg(pe: PE, i: number, ty: number, n: number, fz: boolean): void {
  const v = pe.v, b = n << 2;
  unpack(i, ty, ty === Ty.H ? v[b] & 0xffff : v[b], ty === Ty.D ? v[b + 1] : 0, fz);
}

/** Flips the sign of operand i (FPNeg: NaNs included). */
export function negOperand(i: number, ty: number): void {
  if (ty === Ty.D) OH[i] = (OH[i] ^ 0x80000000) >>> 0;
  else OL[i] = (OL[i] ^ (ty === Ty.S ? 0x80000000 : 0x8000)) >>> 0;
  OV[i] = -OV[i];
}

/** Default NaN of the format into RB. */
export function defaultNaN(ty: number): void {
  if (ty === Ty.D) { RB[0] = 0; RB[1] = 0x7ff80000; } else { RB[0] = ty === Ty.S ? 0x7fc00000 : 0x7e00; RB[1] = 0; }
}

/** FPProcessNaN of operand i into RB. */
export function processNaN(i: number, ty: number, dn: boolean): void {
  if (OK[i] === K.SNaN) FP.flags |= Exc.IOC;
  if (dn) { defaultNaN(ty); return; }
  RB[0] = OL[i]; RB[1] = OH[i];
  if (ty === Ty.D) RB[1] |= 0x80000; else RB[0] |= ty === Ty.S ? 0x400000 : 0x200;
}

/** FPProcessNaNs over operands 0..count-1; true if a NaN was found (result in RB). */
export function processNaNs(count: number, ty: number, dn: boolean): boolean {
  for (let i = 0; i < count; i++) if (OK[i] === K.SNaN) { processNaN(i, ty, dn); return true; }
  for (let i = 0; i < count; i++) if (OK[i] === K.QNaN) { processNaN(i, ty, dn); return true; }
  return false;
}

/** Packs a double that is exact in the format (or ±Inf, ±0) into RB. */
export function pack(ty: number, x: number): void {
  if (ty === Ty.D) { CVF64[0] = x; RB[0] = CV32[0]; RB[1] = CV32[1]; }
  else if (ty === Ty.S) { CVF32[0] = x; RB[0] = CV32[0]; RB[1] = 0; }
  else { RB[0] = numToHalf(x); RB[1] = 0; }
}

/** Writes RB to V[d] as a scalar of format ty (the rest of the register is zeroed). */
function writeRB(pe: PE, d: number, ty: number): void {
  const v = pe.v, b = d << 2;
  v[b] = RB[0]; v[b + 1] = ty === Ty.D ? RB[1] : 0; v[b + 2] = 0; v[b + 3] = 0;
}

export function invalid(ty: number): void { FP.flags |= Exc.IOC; defaultNaN(ty); }

/** Ends an FP instruction: cumulative flags into FPSR. */
export function done(pe: PE): number {
  if (FP.flags !== 0) pe.sys[FPSR] = (pe.sys[FPSR] | FP.flags) >>> 0;
  return Flow.Next;
}

export function rmode(fpcr: number): number { return (fpcr >>> 22) & 3; }

// ---------------------------------------------------------------- data-processing (2 source)

export const enum Op2 { MUL = 0, DIV = 1, ADD = 2, SUB = 3, MAX = 4, MIN = 5, MAXNM = 6, MINNM = 7, NMUL = 8 }

/** The arithmetic of FPAdd/FPSub/FPMul/FPDiv/FPMax/FPMin on unpacked operands 0 and 1, into RB. */
export function arith2(op: number, ty: number, fpcr: number): void {
  const dn = (fpcr & FPCR_DN) !== 0, fz = fzFor(ty, fpcr), rm = rmode(fpcr), f = fmtOf(ty);
  if (op === Op2.MAXNM || op === Op2.MINNM) {
    // FPMaxNum/FPMinNum: a single quiet NaN is replaced by the infinity that loses.
    const q0 = OK[0] === K.QNaN, q1 = OK[1] === K.QNaN;
    const inf = op === Op2.MAXNM ? -Infinity : Infinity;
    if (q0 && !q1 && OK[1] !== K.SNaN) { OK[0] = K.Inf; OV[0] = inf; } else if (q1 && !q0 && OK[0] !== K.SNaN) { OK[1] = K.Inf; OV[1] = inf; }
  }
  if (OK[0] >= K.QNaN || OK[1] >= K.QNaN) { processNaNs(2, ty, dn); return; }
  const a = OV[0], b = OV[1];
  let r: number;
  switch (op) {
    case Op2.ADD: case Op2.SUB: {
      const bb = op === Op2.SUB ? -b : b;
      if (OK[0] === K.Inf || OK[1] === K.Inf) {
        if (OK[0] === K.Inf && OK[1] === K.Inf && a !== bb) { invalid(ty); return; }
        r = OK[0] === K.Inf ? a : bb;
      } else r = add(f, a, bb, rm, fz);
      break;
    }
    case Op2.MUL: case Op2.NMUL:
      if (OK[0] === K.Inf || OK[1] === K.Inf) {
        if (a === 0 || b === 0) { invalid(ty); return; }
        r = signOf(a) !== signOf(b) ? -Infinity : Infinity;
      } else r = mul(f, a, b, rm, fz);
      break;
    case Op2.DIV:
      if (OK[0] === K.Inf) {
        if (OK[1] === K.Inf) { invalid(ty); return; }
        r = signOf(a) !== signOf(b) ? -Infinity : Infinity;
      } else if (OK[1] === K.Inf) {
        r = signOf(a) !== signOf(b) ? -0 : 0;
      } else if (b === 0) {
        if (a === 0) { invalid(ty); return; }
        FP.flags |= Exc.DZC;
        r = signOf(a) !== signOf(b) ? -Infinity : Infinity;
      } else r = div(f, a, b, rm, fz);
      break;
    case Op2.MAX: case Op2.MAXNM:
      r = a > b ? a : b < a ? b : a === 0 && b === 0 ? (signOf(a) && signOf(b) ? -0 : 0) : b;
      break;
    default:   // MIN, MINNM
      r = a < b ? a : b > a ? b : a === 0 && b === 0 ? (signOf(a) || signOf(b) ? -0 : 0) : b;
      break;
  }
  pack(ty, r);
}

/** Floating-point data-processing (2 source): M 0 S 11110 ftype 1 Rm opcode 10 Rn Rd. */
function fpDp2Decode(w: number): Exec | undefined {
  const M = w >>> 31, S = (w >>> 29) & 1, ty = (w >>> 22) & 3, Rm = (w >>> 16) & 31, opcode = (w >>> 12) & 15;
  const Rn = (w >>> 5) & 31, Rd = w & 31;
  if (M || S || ty === 2 || opcode > 8) return undefined;
  return fp16Only(ty === Ty.H, (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const fpcr = pe.sys[FPCR], fz = fzFor(ty, fpcr);
    FP.flags = 0;
    unpackReg(pe, 0, ty, Rn, fz);
    unpackReg(pe, 1, ty, Rm, fz);
    arith2(opcode, ty, fpcr);
    if (opcode === Op2.NMUL) { if (ty === Ty.D) RB[1] = (RB[1] ^ 0x80000000) >>> 0; else RB[0] = (RB[0] ^ (ty === Ty.S ? 0x80000000 : 0x8000)) >>> 0; }
    writeRB(pe, Rd, ty);
    return done(pe);
  });
}

// ---------------------------------------------------------------- data-processing (3 source)

/**
 * FPMulAdd(addend, op1, op2) on operands 0 = addend, 1, 2 (negations already applied), into RB.
 */
export function mulAdd(ty: number, fpcr: number): void {
  const dn = (fpcr & FPCR_DN) !== 0, fz = fzFor(ty, fpcr), rm = rmode(fpcr);
  const inf1 = OK[1] === K.Inf, inf2 = OK[2] === K.Inf;
  const zero1 = OK[1] === K.Num && OV[1] === 0, zero2 = OK[2] === K.Num && OV[2] === 0;
  const nan = processNaNs(3, ty, dn);
  if (OK[0] === K.QNaN && ((inf1 && zero2) || (zero1 && inf2))) { invalid(ty); return; }
  if (nan) return;
  if ((inf1 && zero2) || (zero1 && inf2)) { invalid(ty); return; }
  const c = OV[0], a = OV[1], b = OV[2];
  const infA = OK[0] === K.Inf, infP = inf1 || inf2;
  const signP = signOf(a) !== signOf(b);
  if (infA && infP && signOf(c) !== signP) { invalid(ty); return; }
  if (infA) { pack(ty, c); return; }
  if (infP) { pack(ty, signP ? -Infinity : Infinity); return; }
  pack(ty, fma(fmtOf(ty), c, a, b, rm, fz));
}

/** Floating-point data-processing (3 source): M 0 S 11111 ftype o1 Rm o0 Ra Rn Rd. */
function fpDp3Decode(w: number): Exec | undefined {
  const M = w >>> 31, S = (w >>> 29) & 1, ty = (w >>> 22) & 3, o1 = (w >>> 21) & 1, Rm = (w >>> 16) & 31;
  const o0 = (w >>> 15) & 1, Ra = (w >>> 10) & 31, Rn = (w >>> 5) & 31, Rd = w & 31;
  if (M || S || ty === 2) return undefined;
  // FMADD: a + n*m; FMSUB: a - n*m; FNMADD: -a - n*m; FNMSUB: -a + n*m.
  const negA = o1 === 1, negN = o0 !== o1;
  return fp16Only(ty === Ty.H, (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const fpcr = pe.sys[FPCR], fz = fzFor(ty, fpcr);
    FP.flags = 0;
    unpackReg(pe, 0, ty, Ra, fz);
    unpackReg(pe, 1, ty, Rn, fz);
    unpackReg(pe, 2, ty, Rm, fz);
    if (negA) negOperand(0, ty);
    if (negN) negOperand(1, ty);
    mulAdd(ty, fpcr);
    writeRB(pe, Rd, ty);
    return done(pe);
  });
}

// ---------------------------------------------------------------- data-processing (1 source)

/** Rounding of FRINTN/P/M/Z/A/X/I by opcode<2:0> (0 N, 1 P, 2 M, 3 Z, 4 A, 6 X, 7 I). */
export function fpRoundInt(ty: number, fpcr: number, rm: number, exact: boolean): void {
  if (OK[0] >= K.QNaN) { processNaN(0, ty, (fpcr & FPCR_DN) !== 0); return; }
  const x = OV[0];
  if (OK[0] === K.Inf || x === 0) { pack(ty, x); return; }
  const r = roundInt(x, rm);
  if (exact && r !== x) FP.flags |= Exc.IXC;
  pack(ty, r);
}

/** FPConvertNaN of operand 0 from format `from` to `to`, into RB (quiet, payload truncated or extended). */
export function convertNaN(from: number, to: number, dn: boolean): void {
  if (OK[0] === K.SNaN) FP.flags |= Exc.IOC;
  if (dn) { defaultNaN(to); return; }
  const lo = OL[0], hi = OH[0];
  // Fraction as a left-aligned 32-bit field (top 32 fraction bits) plus the next bits for D targets.
  let top: number, low = 0, sign: number;
  if (from === Ty.D) { sign = hi >>> 31; top = ((hi << 12) | (lo >>> 20)) >>> 0; low = (lo << 12) >>> 0; }
  else if (from === Ty.S) { sign = lo >>> 31; top = (lo << 9) >>> 0; }
  else { sign = (lo >>> 15) & 1; top = (lo << 22) >>> 0; }
  top = (top | 0x80000000) >>> 0;    // quiet bit
  if (to === Ty.D) { RB[1] = ((sign << 31) | 0x7ff00000 | (top >>> 12)) >>> 0; RB[0] = ((top << 20) | (low >>> 12)) >>> 0; }
  else if (to === Ty.S) { RB[0] = ((sign << 31) | 0x7f800000 | (top >>> 9)) >>> 0; RB[1] = 0; }
  else { RB[0] = (sign << 15) | 0x7c00 | (top >>> 22); RB[1] = 0; }
}

/**
 * Alternative half precision (FPCR.AHP = 1, DDI0487 K.a A1.4.2 and FPUnpackBase()): exponent
 * 0b11111 encodes normal numbers (up to 131008) instead of infinities and NaNs.
 */
export function altHalfToNum(b: number): number {
  const e = (b >>> 10) & 31, f = b & 0x3ff;
  const v = e === 0 ? f * pow2(-24) : (f + 1024) * pow2(e - 25);
  return b & 0x8000 ? -v : v;
}
/** Alternative half precision's largest magnitude, and a format one binade wider used to detect overflow. */
const ALT_HALF_MAX = 131008;
const ALT_HALF_WIDE: Fmt = { p: 11, emin: -14, emax: 17, max: 262016 };

/**
 * FCVT to half with FPCR.AHP = 1 (FPConvert() with alt_hp, FPRoundBase() with isAlt): a NaN
 * becomes zero and an infinity the largest magnitude, both with Invalid Operation; a finite value
 * that rounds above 131008 also gives the largest magnitude and Invalid Operation (no Overflow,
 * no Inexact). FPCR.FZ does not apply to half-precision results. Operand in slot 0; result in RB.
 */
export function convertToAltHalf(from: number, rm: RM): void {
  const sign = (from === Ty.D ? OH[0] >>> 31 : from === Ty.S ? OL[0] >>> 31 : (OL[0] >>> 15) & 1) === 1;
  const s = sign ? 0x8000 : 0;
  if (OK[0] >= K.QNaN) { FP.flags |= Exc.IOC; RB[0] = s; RB[1] = 0; return; }
  if (OK[0] === K.Inf) { FP.flags |= Exc.IOC; RB[0] = s | 0x7fff; RB[1] = 0; return; }
  const x = OV[0];
  if (x === 0) { pack(Ty.H, x); return; }
  const before = FP.flags;
  const r = roundTo(ALT_HALF_WIDE, x, 0, 0, 0, rm, false);
  if (Math.abs(r) > ALT_HALF_MAX) { FP.flags = before | Exc.IOC; RB[0] = s | 0x7fff; RB[1] = 0; return; }
  pack(Ty.H, r);
}

/**
 * FPConvert() of raw bits (lo, hi) from format `from` to `to` with rounding rm (FCVT, FCVTN,
 * FCVTL, FCVTXN with RM.RO), honouring FPCR.AHP for half precision and FPCR.DN/FZ; into RB.
 */
export function convert(from: number, to: number, lo: number, hi: number, fpcr: number, rm: number): void {
  // FPUnpackCV: FPCR.FZ flushes single/double inputs; half inputs are never flushed.
  unpack(0, from, lo, hi, from !== Ty.H && (fpcr & FPCR_FZ) !== 0);
  const ahp = (fpcr & FPCR_AHP) !== 0;
  if (ahp && from === Ty.H) { OK[0] = K.Num; OV[0] = altHalfToNum(OL[0] & 0xffff); }
  if (ahp && to === Ty.H) convertToAltHalf(from, rm);
  else if (OK[0] >= K.QNaN) convertNaN(from, to, (fpcr & FPCR_DN) !== 0);
  else {
    const x = OV[0];
    // FPRoundCV: half-precision results ignore FPCR.FZ.
    pack(to, OK[0] === K.Inf || x === 0 ? x : roundTo(fmtOf(to), x, 0, 0, 0, rm, to !== Ty.H && (fpcr & FPCR_FZ) !== 0));
  }
}

/** Floating-point data-processing (1 source): M 0 S 11110 ftype 1 opcode 10000 Rn Rd. */
function fpDp1Decode(w: number): Exec | undefined {
  const M = w >>> 31, S = (w >>> 29) & 1, ty = (w >>> 22) & 3, opcode = (w >>> 15) & 63, Rn = (w >>> 5) & 31, Rd = w & 31;
  if (M || S || ty === 2) return undefined;
  if (opcode >= 4 && opcode <= 7) {
    // FCVT: opc = opcode<1:0> is the destination type (00 S, 01 D, 11 H).
    const to = opcode & 3;
    if (to === 2 || to === ty) return undefined;
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      const fpcr = pe.sys[FPCR];
      FP.flags = 0;
      const v = pe.v, b = Rn << 2;
      convert(ty, to, ty === Ty.H ? v[b] & 0xffff : v[b], ty === Ty.D ? v[b + 1] : 0, fpcr, rmode(fpcr));
      writeRB(pe, Rd, to);
      return done(pe);
    };
  }
  // The half-precision forms below are FEAT_FP16 (FCVT from half above is ARMv8.0).
  return fp16Only(ty === Ty.H, fpDp1Arith(ty, opcode, Rn, Rd));
}

/** FMOV (register), FABS, FNEG, FSQRT, FRINT* of FP data-processing (1 source); undefined if unallocated. */
function fpDp1Arith(ty: number, opcode: number, Rn: number, Rd: number): Exec | undefined {
  const n4 = Rn << 2, d4 = Rd << 2;
  const words = ty === Ty.D ? 2 : 1;
  const signBit = ty === Ty.H ? 0x8000 : 0x80000000, keep = ty === Ty.H ? 0xffff : 0xffffffff;
  switch (opcode) {
    case 0: case 1: case 2:
      // FMOV (register), FABS, FNEG: bit operations, no exceptions.
      return (pe: PE) => {
        if (pe.fpTrapped()) return Flow.Stop;
        const v = pe.v;
        const lo = v[n4] & keep, hi = words === 2 ? v[n4 + 1] : 0;
        const top = words === 2 ? hi : lo;
        const t2 = opcode === 0 ? top : opcode === 1 ? top & ~signBit : top ^ signBit;
        if (words === 2) { v[d4] = lo; v[d4 + 1] = t2 >>> 0; } else { v[d4] = t2 >>> 0; v[d4 + 1] = 0; }
        v[d4 + 2] = 0; v[d4 + 3] = 0;
        return Flow.Next;
      };
    case 3:
      return (pe: PE) => {
        if (pe.fpTrapped()) return Flow.Stop;
        const fpcr = pe.sys[FPCR];
        FP.flags = 0;
        unpackReg(pe, 0, ty, Rn, fzFor(ty, fpcr));
        const x = OV[0];
        if (OK[0] >= K.QNaN) processNaN(0, ty, (fpcr & FPCR_DN) !== 0);
        else if (x === 0) pack(ty, x);
        else if (signOf(x)) invalid(ty);
        else if (OK[0] === K.Inf) pack(ty, x);
        else pack(ty, sqrt(fmtOf(ty), x, rmode(fpcr), fzFor(ty, fpcr)));
        writeRB(pe, Rd, ty);
        return done(pe);
      };
    case 8: case 9: case 10: case 11: case 12: case 14: case 15: {
      const fixed = opcode === 8 ? RM.RN : opcode === 9 ? RM.RP : opcode === 10 ? RM.RM : opcode === 11 ? RM.RZ : opcode === 12 ? RM.RA : -1;
      const exact = opcode === 14;
      return (pe: PE) => {
        if (pe.fpTrapped()) return Flow.Stop;
        const fpcr = pe.sys[FPCR];
        FP.flags = 0;
        unpackReg(pe, 0, ty, Rn, fzFor(ty, fpcr));
        fpRoundInt(ty, fpcr, fixed < 0 ? rmode(fpcr) : fixed, exact);
        writeRB(pe, Rd, ty);
        return done(pe);
      };
    }
    default: return undefined;   // FRINT32/64 (FEAT_FRINTTS), BFCVT: not implemented
  }
}

// ---------------------------------------------------------------- compare, conditional

/** FPCompare of operands 0 and 1 as NZCV (4 bits); `signalAll`: FCMPE (any NaN raises IOC). */
function compare(signalAll: boolean): number {
  if (OK[0] >= K.QNaN || OK[1] >= K.QNaN) {
    if (signalAll || OK[0] === K.SNaN || OK[1] === K.SNaN) FP.flags |= Exc.IOC;
    return 0b0011;
  }
  const a = OV[0], b = OV[1];
  return a === b ? 0b0110 : a < b ? 0b1000 : 0b0010;
}

function setNzcv(pe: PE, f: number): void {
  pe.nf = f >>> 3; pe.zf = (f >>> 2) & 1; pe.cf = (f >>> 1) & 1; pe.vf = f & 1;
}

/** Floating-point compare: M 0 S 11110 ftype 1 Rm op 1000 Rn opcode2 (FCMP, FCMPE, with zero). */
function fpCompareDecode(w: number): Exec | undefined {
  const M = w >>> 31, S = (w >>> 29) & 1, ty = (w >>> 22) & 3, Rm = (w >>> 16) & 31, op = (w >>> 14) & 3;
  const Rn = (w >>> 5) & 31, opc2 = w & 31;
  if (M || S || ty === 2 || op !== 0 || (opc2 & 7) !== 0) return undefined;
  const withZero = (opc2 & 8) !== 0, signalAll = (opc2 & 16) !== 0;
  return fp16Only(ty === Ty.H, (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const fz = fzFor(ty, pe.sys[FPCR]);
    FP.flags = 0;
    unpackReg(pe, 0, ty, Rn, fz);
    if (withZero) unpack(1, ty, 0, 0, false); else unpackReg(pe, 1, ty, Rm, fz);
    setNzcv(pe, compare(signalAll));
    return done(pe);
  });
}

/** Floating-point conditional compare: M 0 S 11110 ftype 1 Rm cond 01 Rn op nzcv (FCCMP, FCCMPE). */
function fpCondCompareDecode(w: number): Exec | undefined {
  const M = w >>> 31, S = (w >>> 29) & 1, ty = (w >>> 22) & 3, Rm = (w >>> 16) & 31, cond = (w >>> 12) & 15;
  const Rn = (w >>> 5) & 31, op = (w >>> 4) & 1, nzcv = w & 15;
  if (M || S || ty === 2) return undefined;
  return fp16Only(ty === Ty.H, (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    if (!condHolds(pe, cond)) { setNzcv(pe, nzcv); return Flow.Next; }
    const fz = fzFor(ty, pe.sys[FPCR]);
    FP.flags = 0;
    unpackReg(pe, 0, ty, Rn, fz);
    unpackReg(pe, 1, ty, Rm, fz);
    setNzcv(pe, compare(op === 1));
    return done(pe);
  });
}

/** Floating-point conditional select: M 0 S 11110 ftype 1 Rm cond 11 Rn Rd (FCSEL). */
function fpCondSelectDecode(w: number): Exec | undefined {
  const M = w >>> 31, S = (w >>> 29) & 1, ty = (w >>> 22) & 3, Rm = (w >>> 16) & 31, cond = (w >>> 12) & 15;
  const Rn = (w >>> 5) & 31, Rd = w & 31;
  if (M || S || ty === 2) return undefined;
  const d4 = Rd << 2, dbl = ty === Ty.D, keep = ty === Ty.H ? 0xffff : 0xffffffff;
  return fp16Only(ty === Ty.H, (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const s4 = (condHolds(pe, cond) ? Rn : Rm) << 2, v = pe.v;
    const lo = v[s4] & keep, hi = dbl ? v[s4 + 1] : 0;
    v[d4] = lo >>> 0; v[d4 + 1] = hi; v[d4 + 2] = 0; v[d4 + 3] = 0;
    return Flow.Next;
  });
}

/** Floating-point immediate: M 0 S 11110 ftype 1 imm8 100 imm5 Rd (FMOV scalar, immediate). VFPExpandImm. */
function fpImmDecode(w: number): Exec | undefined {
  const M = w >>> 31, S = (w >>> 29) & 1, ty = (w >>> 22) & 3, imm8 = (w >>> 13) & 0xff, imm5 = (w >>> 5) & 31, Rd = w & 31;
  if (M || S || imm5 !== 0 || ty === 2) return undefined;
  const sign = imm8 >>> 7, b6 = (imm8 >>> 6) & 1, lo4 = imm8 & 15, e2 = (imm8 >>> 4) & 3;
  let lo: number, hi: number;
  if (ty === Ty.H) {
    // VFPExpandImm, N = 16: sign : NOT(b6) : b6 b6 : imm8<5:4> : imm8<3:0> : 000000
    lo = (sign << 15) | ((b6 ^ 1) << 14) | ((b6 ? 3 : 0) << 12) | (e2 << 10) | (lo4 << 6);
    hi = 0;
  } else if (ty === Ty.S) {
    lo = ((sign << 31) | ((b6 ^ 1) << 30) | ((b6 ? 0x1f : 0) << 25) | (e2 << 23) | (lo4 << 19)) >>> 0;
    hi = 0;
  } else {
    lo = 0;
    hi = ((sign << 31) | ((b6 ^ 1) << 30) | ((b6 ? 0xff : 0) << 22) | (e2 << 20) | (lo4 << 16)) >>> 0;
  }
  const d4 = Rd << 2;
  return fp16Only(ty === Ty.H, (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const v = pe.v;
    v[d4] = lo; v[d4 + 1] = hi; v[d4 + 2] = 0; v[d4 + 3] = 0;
    return Flow.Next;
  });
}

// ---------------------------------------------------------------- conversions

/** Bounds of the integer destinations: [min, max] for (unsigned, 64-bit). */
const INT_MIN = [-2147483648, -9223372036854775808, 0, 0];
const INT_MAX = [2147483647, 9223372036854775807, 4294967295, 18446744073709551615];

/**
 * FPToFixed of operand 0 to a 32/64-bit (un)signed integer with `fbits` fraction bits and
 * rounding rm; result in RB (lo, hi). NaN -> 0 and IOC; out of range saturates with IOC.
 */
export function fpToFixed(fbits: number, unsigned: boolean, is64: boolean, rm: number): void {
  const sel = (unsigned ? 2 : 0) + (is64 ? 1 : 0);
  let r: number;
  if (OK[0] >= K.QNaN) { FP.flags |= Exc.IOC; r = 0; }
  else {
    const x = OV[0] * pow2(fbits);
    r = roundInt(x, rm);
    // The bounds as doubles: 2^63 - 1 and 2^64 - 1 round up to 2^63 and 2^64, so compare with >=.
    const max = INT_MAX[sel];
    if (r < INT_MIN[sel] || (is64 ? r >= max : r > max)) {
      FP.flags |= Exc.IOC;
      r = r < INT_MIN[sel] ? INT_MIN[sel] : max;
      if (is64 && r === max) {
        // Saturate to 2^63 - 1 / 2^64 - 1 exactly.
        RB[0] = 0xffffffff; RB[1] = unsigned ? 0xffffffff : 0x7fffffff;
        return;
      }
    } else if (r !== x) FP.flags |= Exc.IXC;
  }
  if (r === 0) { RB[0] = 0; RB[1] = 0; return; }
  const h = Math.floor(r / 4294967296);
  RB[0] = (r - h * 4294967296) >>> 0;
  RB[1] = is64 ? h >>> 0 : 0;
}

/**
 * FixedToFP: (lo, hi) as a 32/64-bit (un)signed integer scaled by 2^-fbits, rounded to format
 * ty with rm; into RB.
 */
export function fixedToFp(lo: number, hi: number, unsigned: boolean, is64: boolean, fbits: number, ty: number, rm: number, fz: boolean): void {
  let X: number, E = 0;
  if (!is64) X = unsigned ? lo >>> 0 : lo | 0;
  else {
    const A = (unsigned ? hi >>> 0 : hi | 0) * 4294967296, b = lo >>> 0;
    X = A + b;
    const bb = X - A;
    E = (A - (X - bb)) + (b - bb);   // TwoSum
  }
  pack(ty, X === 0 ? 0 : roundTo(fmtOf(ty), X, E, 0, -fbits, rm, fz));
}

/**
 * Conversion between floating-point and integer: sf 0 S 11110 ftype 1 rmode opcode 000000 Rn Rd.
 * FCVT{N,P,M,Z}{S,U} (rmode 00..11, opcode 00x), SCVTF/UCVTF (00, 01x), FCVTA{S,U} (00, 10x),
 * FMOV (general) (opcode 11x: 00 W<->S / X<->D, 01 X<->V.D[1] with ftype 10).
 */
function fpIntConvDecode(w: number): Exec | undefined {
  const sf = w >>> 31, S = (w >>> 29) & 1, ty = (w >>> 22) & 3, rmodeF = (w >>> 19) & 3, opcode = (w >>> 16) & 7;
  const Rn = (w >>> 5) & 31, Rd = w & 31;
  if (S) return undefined;
  if (opcode >= 6) {
    // FMOV (general)
    const toFp = opcode === 7;
    let part: number;       // word offset in V: 0 low, 2 = D[1]
    let words: number;
    if (ty === Ty.H && rmodeF === 0) { part = 0; words = 0; }   // FEAT_FP16: W/X <-> H, low 16 bits
    else if (ty === Ty.S && sf === 0 && rmodeF === 0) { part = 0; words = 1; }
    else if (ty === Ty.D && sf === 1 && rmodeF === 0) { part = 0; words = 2; }
    else if (ty === 2 && sf === 1 && rmodeF === 1) { part = 2; words = 2; }
    else return undefined;  // FJCVTZS (FEAT_JSCVT)
    const keep = words === 0 ? 0xffff : 0xffffffff;
    if (toFp) {
      const n2 = src(Rn, false) * 2, d4 = Rd << 2;
      return fp16Only(words === 0, (pe: PE) => {
        if (pe.fpTrapped()) return Flow.Stop;
        const v = pe.v;
        const lo = pe.x[n2], hi = pe.x[n2 + 1];
        if (part === 2) { v[d4 + 2] = lo; v[d4 + 3] = hi; return Flow.Next; }
        v[d4] = (lo & keep) >>> 0; v[d4 + 1] = words === 2 ? hi : 0; v[d4 + 2] = 0; v[d4 + 3] = 0;
        return Flow.Next;
      });
    }
    const d2 = dst(Rd, false) * 2, n4 = (Rn << 2) + part;
    return fp16Only(words === 0, (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      pe.x[d2] = (pe.v[n4] & keep) >>> 0; pe.x[d2 + 1] = words === 2 ? pe.v[n4 + 1] : 0;
      return Flow.Next;
    });
  }
  if (ty === 2) return undefined;
  const is64 = sf === 1, unsigned = (opcode & 1) === 1;
  if (opcode === 2 || opcode === 3) {
    if (rmodeF !== 0) return undefined;
    return intToFpExec(Rn, Rd, unsigned, is64, 0, ty);
  }
  let rm: number;
  if (opcode <= 1) rm = rmodeF === 0 ? RM.RN : rmodeF === 1 ? RM.RP : rmodeF === 2 ? RM.RM : RM.RZ;
  else { if (rmodeF !== 0) return undefined; rm = RM.RA; }   // FCVTAS/FCVTAU
  return fpToIntExec(Rn, Rd, unsigned, is64, 0, ty, rm);
}

function intToFpExec(Rn: number, Rd: number, unsigned: boolean, is64: boolean, fbits: number, ty: number): Exec {
  const n2 = src(Rn, false) * 2;
  return fp16Only(ty === Ty.H, (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const fpcr = pe.sys[FPCR];
    FP.flags = 0;
    fixedToFp(pe.x[n2], pe.x[n2 + 1], unsigned, is64, fbits, ty, rmode(fpcr), fzFor(ty, fpcr));
    writeRB(pe, Rd, ty);
    return done(pe);
  });
}

function fpToIntExec(Rn: number, Rd: number, unsigned: boolean, is64: boolean, fbits: number, ty: number, rm: number): Exec {
  const d2 = dst(Rd, false) * 2;
  return fp16Only(ty === Ty.H, (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    FP.flags = 0;
    unpackReg(pe, 0, ty, Rn, fzFor(ty, pe.sys[FPCR]));
    fpToFixed(fbits, unsigned, is64, rm);
    pe.x[d2] = RB[0]; pe.x[d2 + 1] = RB[1];
    return done(pe);
  });
}

/**
 * Conversion between floating-point and fixed-point: sf 0 S 11110 ftype 0 rmode opcode scale Rn Rd.
 * SCVTF/UCVTF (rmode 00, opcode 01x), FCVTZS/FCVTZU (rmode 11, opcode 00x); fbits = 64 - scale.
 */
function fpFixedConvDecode(w: number): Exec | undefined {
  const sf = w >>> 31, S = (w >>> 29) & 1, ty = (w >>> 22) & 3, rmodeF = (w >>> 19) & 3, opcode = (w >>> 16) & 7;
  const scale = (w >>> 10) & 63, Rn = (w >>> 5) & 31, Rd = w & 31;
  if (S || ty === 2 || (sf === 0 && scale < 32)) return undefined;
  const fbits = 64 - scale, is64 = sf === 1, unsigned = (opcode & 1) === 1;
  if (rmodeF === 0 && (opcode === 2 || opcode === 3)) return intToFpExec(Rn, Rd, unsigned, is64, fbits, ty);
  if (rmodeF === 3 && opcode <= 1) return fpToIntExec(Rn, Rd, unsigned, is64, fbits, ty, RM.RZ);
  return undefined;
}

export const SIMD_FP: Encoding[] = [
  { name: 'Conversion between floating-point and fixed-point', mask: 0x5f200000, value: 0x1e000000, decode: fpFixedConvDecode },
  { name: 'Conversion between floating-point and integer', mask: 0x5f20fc00, value: 0x1e200000, decode: fpIntConvDecode },
  { name: 'Floating-point data-processing (1 source)', mask: 0x5f207c00, value: 0x1e204000, decode: fpDp1Decode },
  { name: 'Floating-point compare', mask: 0x5f203c00, value: 0x1e202000, decode: fpCompareDecode },
  { name: 'Floating-point immediate', mask: 0x5f201c00, value: 0x1e201000, decode: fpImmDecode },
  { name: 'Floating-point conditional compare', mask: 0x5f200c00, value: 0x1e200400, decode: fpCondCompareDecode },
  { name: 'Floating-point data-processing (2 source)', mask: 0x5f200c00, value: 0x1e200800, decode: fpDp2Decode },
  { name: 'Floating-point conditional select', mask: 0x5f200c00, value: 0x1e200c00, decode: fpCondSelectDecode },
  { name: 'Floating-point data-processing (3 source)', mask: 0x5f000000, value: 0x1f000000, decode: fpDp3Decode },
];
