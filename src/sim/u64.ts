// 64-bit arithmetic on pairs of unsigned 32-bit halves.
//
// The simulator never uses BigInt on the per-instruction path (10-100x slower in V8).
// A 64-bit value is (lo, hi), each an unsigned 32-bit JS number. Functions that must
// return two words write them into the shared scratch record `R` (no allocation);
// callers copy R.lo / R.hi out immediately.

export const TWO32 = 4294967296;

/** Scratch result of the last two-word operation (also carries NZCV for flag-setting ops). */
export const R = { lo: 0, hi: 0, n: 0, z: 0, c: 0, v: 0 };

/** a + b + cin over 64 bits; sets R.lo/hi and R.n/z/c/v as ADDS would (Arm ARM AddWithCarry). */
export function add64(alo: number, ahi: number, blo: number, bhi: number, cin: number): void {
  const l = alo + blo + cin;
  const c0 = l >= TWO32 ? 1 : 0;
  const h = ahi + bhi + c0;
  const lo = l >>> 0;
  const hi = h >>> 0;
  R.lo = lo;
  R.hi = hi;
  R.n = hi >>> 31;
  R.z = (lo | hi) === 0 ? 1 : 0;
  R.c = h >= TWO32 ? 1 : 0;
  R.v = ((~(ahi ^ bhi) & (ahi ^ hi)) >>> 31) & 1;
}

/** a + b + cin over 32 bits; returns the result and sets R.n/z/c/v. */
export function add32(a: number, b: number, cin: number): number {
  const s = a + b + cin;
  const r = s >>> 0;
  R.n = r >>> 31;
  R.z = r === 0 ? 1 : 0;
  R.c = s >= TWO32 ? 1 : 0;
  R.v = ((~(a ^ b) & (a ^ r)) >>> 31) & 1;
  return r;
}

/** Unsigned 32x32 -> 64 product into R.lo/R.hi. */
export function umul32(a: number, b: number): void {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  R.lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  R.hi = (p11 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536)) >>> 0;
}

/** Low 64 bits of a 64x64 product into R.lo/R.hi. */
export function mul64lo(alo: number, ahi: number, blo: number, bhi: number): void {
  umul32(alo, blo);
  const lo = R.lo;
  const hi = (R.hi + Math.imul(alo, bhi) + Math.imul(ahi, blo)) >>> 0;
  R.lo = lo;
  R.hi = hi;
}

/** High 64 bits of the unsigned 128-bit product a*b into R.lo/R.hi. */
export function umulh64(alo: number, ahi: number, blo: number, bhi: number): void {
  // Schoolbook on 32-bit limbs; each partial product is exact in (lo, hi) pairs.
  umul32(alo, blo); const ll_hi = R.hi;
  umul32(alo, bhi); const lh_lo = R.lo, lh_hi = R.hi;
  umul32(ahi, blo); const hl_lo = R.lo, hl_hi = R.hi;
  umul32(ahi, bhi); const hh_lo = R.lo, hh_hi = R.hi;
  // column 1 (bits 32..63): ll_hi + lh_lo + hl_lo -> carry into column 2
  const col1 = ll_hi + lh_lo + hl_lo;
  const carry1 = Math.floor(col1 / TWO32);
  const col2 = hh_lo + lh_hi + hl_hi + carry1;
  const carry2 = Math.floor(col2 / TWO32);
  R.lo = col2 >>> 0;
  R.hi = (hh_hi + carry2) >>> 0;
}

/** High 64 bits of the signed 128-bit product a*b into R.lo/R.hi. */
export function smulh64(alo: number, ahi: number, blo: number, bhi: number): void {
  umulh64(alo, ahi, blo, bhi);
  let lo = R.lo, hi = R.hi;
  // signed correction: if a < 0, subtract b; if b < 0, subtract a (from the high half)
  if (ahi & 0x80000000) { sub64(lo, hi, blo, bhi); lo = R.lo; hi = R.hi; }
  if (bhi & 0x80000000) { sub64(lo, hi, alo, ahi); lo = R.lo; hi = R.hi; }
  R.lo = lo;
  R.hi = hi;
}

/** a - b over 64 bits (no flags) into R.lo/R.hi. */
export function sub64(alo: number, ahi: number, blo: number, bhi: number): void {
  const l = alo - blo;
  const borrow = l < 0 ? 1 : 0;
  R.lo = l >>> 0;
  R.hi = (ahi - bhi - borrow) >>> 0;
}

/** Two's complement negation into R.lo/R.hi. */
export function neg64(lo: number, hi: number): void {
  sub64(0, 0, lo, hi);
}

/** Unsigned 64-bit division (b != 0) into R.lo/R.hi. Exact for all inputs. */
export function udiv64(alo: number, ahi: number, blo: number, bhi: number): void {
  if (ahi === 0 && bhi === 0) {
    R.lo = Math.floor(alo / blo) >>> 0;
    R.hi = 0;
    return;
  }
  const a = ahi * TWO32 + alo;
  const b = bhi * TWO32 + blo;
  if (ahi < 0x200000 && bhi < 0x200000) {
    // both below 2^53: doubles are exact, and so is floor(a / b)
    const q = Math.floor(a / b);
    R.lo = q >>> 0;
    R.hi = Math.floor(q / TWO32) >>> 0;
    return;
  }
  // Restoring long division on halves (rare path: operands >= 2^53).
  let qlo = 0, qhi = 0, rlo = 0, rhi = 0;
  for (let i = 63; i >= 0; i--) {
    // r = (r << 1) | bit i of a
    rhi = ((rhi << 1) | (rlo >>> 31)) >>> 0;
    const bit = i >= 32 ? (ahi >>> (i - 32)) & 1 : (alo >>> i) & 1;
    rlo = ((rlo << 1) | bit) >>> 0;
    if (rhi > bhi || (rhi === bhi && rlo >= blo)) {
      sub64(rlo, rhi, blo, bhi); rlo = R.lo; rhi = R.hi;
      if (i >= 32) qhi = (qhi | (1 << (i - 32))) >>> 0; else qlo = (qlo | (1 << i)) >>> 0;
    }
  }
  R.lo = qlo;
  R.hi = qhi;
}

/** Signed 64-bit division rounding toward zero (b != 0) into R.lo/R.hi. INT64_MIN / -1 = INT64_MIN. */
export function sdiv64(alo: number, ahi: number, blo: number, bhi: number): void {
  const an = (ahi >>> 31) === 1, bn = (bhi >>> 31) === 1;
  if (an) { neg64(alo, ahi); alo = R.lo; ahi = R.hi; }
  if (bn) { neg64(blo, bhi); blo = R.lo; bhi = R.hi; }
  udiv64(alo, ahi, blo, bhi);
  if (an !== bn) neg64(R.lo, R.hi);
}

/** Logical shift left of a 64-bit value by 0..63 into R.lo/R.hi. */
export function lsl64(lo: number, hi: number, s: number): void {
  if (s === 0) { R.lo = lo; R.hi = hi; }
  else if (s < 32) { R.hi = ((hi << s) | (lo >>> (32 - s))) >>> 0; R.lo = (lo << s) >>> 0; }
  else { R.hi = (lo << (s - 32)) >>> 0; R.lo = 0; }
}

/** Logical shift right by 0..63 into R.lo/R.hi. */
export function lsr64(lo: number, hi: number, s: number): void {
  if (s === 0) { R.lo = lo; R.hi = hi; }
  else if (s < 32) { R.lo = ((lo >>> s) | (hi << (32 - s))) >>> 0; R.hi = hi >>> s; }
  else { R.lo = hi >>> (s - 32); R.hi = 0; }
}

/** Arithmetic shift right by 0..63 into R.lo/R.hi. */
export function asr64(lo: number, hi: number, s: number): void {
  if (s === 0) { R.lo = lo; R.hi = hi; }
  else if (s < 32) { R.lo = ((lo >>> s) | (hi << (32 - s))) >>> 0; R.hi = (hi >> s) >>> 0; }
  else { R.lo = (hi >> (s - 32)) >>> 0; R.hi = (hi >> 31) >>> 0; }
}

/** Rotate right by 0..63 into R.lo/R.hi. */
export function ror64(lo: number, hi: number, s: number): void {
  s &= 63;
  if (s === 0) { R.lo = lo; R.hi = hi; return; }
  if (s >= 32) { const t = lo; lo = hi; hi = t; s -= 32; }
  if (s === 0) { R.lo = lo; R.hi = hi; return; }
  R.lo = ((lo >>> s) | (hi << (32 - s))) >>> 0;
  R.hi = ((hi >>> s) | (lo << (32 - s))) >>> 0;
}

/** Converts halves to a JS number (exact below 2^53; used off the hot path for addresses). */
export function toNum(lo: number, hi: number): number {
  return hi * TWO32 + lo;
}

/** Converts halves to BigInt — for debugger/CLI output only, never on the execution path. */
export function toBig(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Formats halves as 16 hex digits. */
export function hex64(lo: number, hi: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}
