// Exact-integer lanes for the AdvSIMD classes whose intermediate values do not fit a double:
// widening/narrowing (three different), by-element, saturating and rounding shifts, doubling
// multiplies, dot products (simd-int-diff.ts, simd-int-elem.ts, simd-int-sat.ts).
//
// The Arm ARM pseudocode of these instructions works on unbounded integers (DDI0487 J.a
// "Integer" in the pseudocode glossary: Int(), SInt(), UInt()) and saturates at the end
// (SatQ(), SignedSatQ(), UnsignedSatQ(), shared/functions/integer). We follow it literally with
// BigInt lanes: a 64x64-bit doubling product or a 64-bit value shifted left by 127 stays exact.
// These instructions are rare in compiled code; the common integer forms stay on the
// allocation-free paths of simd-int.ts.
//
// Lanes are read from the register file and the results collected in RES; a result is written
// only after every lane is computed, so Vd may alias Vn or Vm.
import type { PE } from '../pe';
import { FPSR } from './simd-common';

/** FPSR.QC, the cumulative saturation bit (DDI0487 C5.2.8). */
const QC = 1 << 27;

/** Results of the instruction being executed (at most 16 lanes). */
export const RES: bigint[] = new Array<bigint>(16).fill(0n);

/** Set by satQ when a lane saturated; the executor folds it into FPSR.QC. */
let saturated = false;

const BITS = [0n, 8n, 16n, 32n, 64n, 128n];
const LOG: Record<number, number> = { 8: 1, 16: 2, 32: 3, 64: 4, 128: 5 };
const SMAX: bigint[] = BITS.map((b) => (b === 0n ? 0n : (1n << (b - 1n)) - 1n));
const SMIN: bigint[] = BITS.map((b) => (b === 0n ? 0n : -(1n << (b - 1n))));
const UMAX: bigint[] = BITS.map((b) => (1n << b) - 1n);

/** Element `e` of `bits` (8..64) of V[r], as a signed or unsigned integer. */
export function lane(pe: PE, r: number, bits: number, e: number, signed: boolean): bigint {
  const v = pe.v, base = r << 2;
  if (bits === 64) {
    const u = (BigInt(v[base + 2 * e + 1]) << 32n) | BigInt(v[base + 2 * e]);
    return signed ? BigInt.asIntN(64, u) : u;
  }
  const bit = e * bits;
  const w = v[base + (bit >>> 5)];
  if (bits === 32) return BigInt(signed ? w | 0 : w);
  const x = (w >>> (bit & 31)) & ((1 << bits) - 1);
  return BigInt(signed ? (x << (32 - bits)) >> (32 - bits) : x);
}

/**
 * SatQ(i, N, unsigned) (DDI0487 shared/functions/integer/SatQ): i clamped to the N-bit signed or
 * unsigned range; a clamp sets FPSR.QC when the instruction completes.
 */
export function satQ(i: bigint, bits: number, unsigned: boolean): bigint {
  const k = LOG[bits];
  const lo = unsigned ? 0n : SMIN[k], hi = unsigned ? UMAX[k] : SMAX[k];
  if (i < lo) { saturated = true; return lo; }
  if (i > hi) { saturated = true; return hi; }
  return i;
}

/** `x << shift` for a signed shift count (negative: arithmetic right shift, rounding down). */
export function shiftBy(x: bigint, shift: number): bigint {
  return shift >= 0 ? x << BigInt(shift) : x >> BigInt(-shift);
}

/** Starts an instruction: clears the saturation record. */
export function begin(): void { saturated = false; }

/**
 * Writes RES[0..count) as `bits`-wide lanes into V[d] starting at lane `at`, then ends the
 * instruction (FPSR.QC). keepLow keeps V[d]<63:0> (the "2" narrowing forms write the upper
 * half: Vpart[d, 1]); every bit above the written lanes is zeroed (C2.2: a write of a scalar or
 * 64-bit vector clears the rest of the register).
 */
export function writeLanes(pe: PE, d: number, bits: number, count: number, at: number, keepLow: boolean): void {
  const v = pe.v, base = d << 2;
  let w0 = keepLow ? v[base] : 0, w1 = keepLow ? v[base + 1] : 0, w2 = 0, w3 = 0;
  for (let e = 0; e < count; e++) {
    const x = BigInt.asUintN(bits, RES[e]);
    const bit = (at + e) * bits;
    const parts = bits === 64 ? [Number(x & 0xffffffffn), Number(x >> 32n)] : [Number(x)];
    for (let p = 0; p < parts.length; p++) {
      const b = bit + 32 * p, wi = b >>> 5, sh = b & 31;
      const val = bits >= 32 ? parts[p] : (parts[p] << sh) >>> 0;
      if (wi === 0) w0 = (w0 | val) >>> 0;
      else if (wi === 1) w1 = (w1 | val) >>> 0;
      else if (wi === 2) w2 = (w2 | val) >>> 0;
      else w3 = (w3 | val) >>> 0;
    }
  }
  v[base] = w0; v[base + 1] = w1; v[base + 2] = w2; v[base + 3] = w3;
  if (saturated) pe.sys[FPSR] = (pe.sys[FPSR] | QC) >>> 0;
}

/** PolynomialMult(op1, op2) (DDI0487 shared/functions/vector): carry-less product. */
export function polyMul(a: number, b: number, bits: number): bigint {
  let r = 0n;
  const x = BigInt(a);
  for (let i = 0; i < bits; i++) if ((b >>> i) & 1) r ^= x << BigInt(i);
  return r;
}

// ---------------------------------------------------------------- shared lane operations

/** One lane operation: a (Vn), b (Vm or the indexed element), d (Vd, accumulating forms), esize. */
export type LaneOp = (a: bigint, b: bigint, d: bigint, bits: number) => bigint;

export const absInt = (x: bigint): bigint => (x < 0n ? -x : x);

/** SQDMULL's product (and SQDMLAL/SQDMLSL's first step): SignedSatQ(2 * a * b, 2 * esize). */
export const sqdmull = (a: bigint, b: bigint, bits: number): bigint => satQ(2n * a * b, 2 * bits, false);

/** SQDMULH / SQRDMULH: SignedSatQ((2 * a * b + round) >> esize, esize). */
export function sqdmulh(round: boolean): LaneOp {
  return (a, b, _d, bits) => satQ((2n * a * b + (round ? 1n << BigInt(bits - 1) : 0n)) >> BigInt(bits), bits, false);
}

/** SQRDMLAH / SQRDMLSH (FEAT_RDM): SignedSatQ(((d << esize) +/- 2 * a * b + round) >> esize, esize). */
export function sqrdmlah(sub: boolean): LaneOp {
  return (a, b, d, bits) => {
    const p = 2n * a * b, e = BigInt(bits);
    return satQ(((d << e) + (sub ? -p : p) + (1n << (e - 1n))) >> e, bits, false);
  };
}
