// Floating-point arithmetic core for the SIMD&FP instructions: exact arithmetic on JS doubles
// and one rounding function, FPRound() of DDI0487 J1 (shared/functions/float/fpround), with
// the FPCR controls and FPSR cumulative flags.
//
// Representation. Values of the half, single and double formats are all exact JS doubles.
// An operation computes its exact result as an unevaluated sum  v = (X + E + T) * 2^s  of
// doubles, where X = RN(X + E + T) (so |E + T| <= ulp(X)/2) and T only matters when E alone
// would be a tie (see cmpTail). Error-free transformations give E exactly for addition
// (TwoSum) and multiplication (Dekker's TwoProduct on significands in [1, 2)); division and
// square root give the correctly rounded double quotient/root plus a correction whose sign is
// exact (from the exactly representable remainder), which is all rounding needs because an
// exact tie is impossible for them. Fused multiply-add sums the exact product and the addend
// with TwoSum and renormalises the three terms. Scaling by s keeps every intermediate in the
// normal range, so results that are subnormal, underflow or overflow round exactly once.
//
// roundTo() then rounds v to the target format with the FPCR rounding mode (RN, RP, RM, RZ;
// and RA = ties away for FCVTA*/FRINTA), flush-to-zero (FPCR.FZ: a result tiny before
// rounding becomes zero and raises UFC only), overflow (OFC+IXC, infinity or the largest
// finite number per mode), underflow (tiny before rounding and inexact: UFC), inexact (IXC).
// Tininess is detected before rounding, as FPRound() does (and QEMU for Arm).
//
// FPCR.AHP (alternative half precision) applies to the conversions only (simd-fp.ts convert()).
// FPCR.FZ16 (FEAT_FP16) is the `fz` the callers pass for half precision. Not supported: the
// FEAT_AFP controls (FIZ, AH, NEP) and floating-point exception traps (FPCR.{IOE..IDE} are RAZ
// on our CPU models).
import { Exc } from './simd-common';

/**
 * Rounding modes: FPCR.RMode values, RA (ties away from zero) for FCVTA and FRINTA, and RO
 * (FPRounding_ODD: truncate, then set the lowest bit if inexact) for FCVTXN.
 */
export const enum RM { RN = 0, RP = 1, RM = 2, RZ = 3, RA = 4, RO = 5 }

/** Target formats. */
export interface Fmt {
  /** Precision including the hidden bit, minimum and maximum normal exponents. */
  readonly p: number; readonly emin: number; readonly emax: number;
  /** Largest finite value. */
  readonly max: number;
}
export const HALF: Fmt = { p: 11, emin: -14, emax: 15, max: 65504 };
export const SINGLE: Fmt = { p: 24, emin: -126, emax: 127, max: 3.4028234663852886e38 };
export const DOUBLE: Fmt = { p: 53, emin: -1022, emax: 1023, max: Number.MAX_VALUE };

/** Exception flags raised by the current operation (the caller ORs them into FPSR). */
export const FP = { flags: 0 };

/** 2^n for integer n in [-1074, 1023], exact (built by repeated exact doubling/halving). */
const POW2 = new Float64Array(2098);
{
  let x = 1;
  for (let n = 0; n <= 1023; n++) { POW2[n + 1074] = x; x *= 2; }
  x = 1;
  for (let n = 0; n >= -1074; n--) { POW2[n + 1074] = x; x /= 2; }
}
/** A term far below every ulp that matters: decides rounding direction only. */
const STICKY = POW2[-400 + 1074];

export function pow2(n: number): number { return n > 1023 ? Infinity : n < -1074 ? 0 : POW2[n + 1074]; }

// ---------------------------------------------------------------- exponent / significand

const SB = new ArrayBuffer(8);
const SF = new Float64Array(SB);
const SW = new Uint32Array(SB);

/** floor(log2|x|) for finite nonzero x (exact, subnormals included). */
export function ilogb(x: number): number {
  SF[0] = x;
  const e = (SW[1] >>> 20) & 0x7ff;
  if (e !== 0) return e - 1023;
  SF[0] = x * 18446744073709551616;   // 2^64: subnormal -> normal
  return ((SW[1] >>> 20) & 0x7ff) - 1023 - 64;
}

/** True if |x| is a power of two (finite nonzero x). */
function isPow2(x: number): boolean {
  SF[0] = x;
  if (((SW[1] >>> 20) & 0x7ff) === 0) SF[0] = x * 18446744073709551616;
  return (SW[1] & 0xfffff) === 0 && SW[0] === 0;
}

/** x / 2^e for e = ilogb(x): the significand in [1, 2) with x's sign. */
function signif(x: number, e: number): number {
  // Two steps so that 2^-e never overflows (e >= -1074).
  if (e < -1000) return (x * POW2[1000 + 1074]) * pow2(-e - 1000);
  return x * pow2(-e);
}

// ---------------------------------------------------------------- error-free transformations

/** Results of the transformations (a typed array: no boxed doubles in module variables). */
const ER = new Float64Array(2);

/** TwoSum (Knuth): ER[0] + ER[1] == a + b exactly, ER[0] = RN(a + b). Needs a finite sum. */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  ER[1] = (a - (s - bb)) + (b - bb);
  ER[0] = s;
}

/** Dekker's TwoProduct for |a|, |b| < 2^500 and no underflow: ER[0] + ER[1] == a * b exactly. */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let c = 134217729 * a;
  const ah = c - (c - a), al = a - ah;
  c = 134217729 * b;
  const bh = c - (c - b), bl = b - bh;
  ER[1] = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  ER[0] = p;
}

// ---------------------------------------------------------------- rounding

/** sign(E + T - t) for the tail of the current value, exact (see the header). */
function cmpTail(E: number, T: number, t: number): number {
  if (E !== t) return E > t ? 1 : -1;
  return T > 0 ? 1 : T < 0 ? -1 : 0;
}

/**
 * FPRound(): rounds v = (X + E + T) * 2^s (X finite, nonzero, X = RN(v)) to `f`. Returns the
 * result as a double (±0, ±Inf or a value of the format) and ORs the exceptions into FP.flags.
 */
export function roundTo(f: Fmt, X: number, E: number, T: number, s: number, rm: number, fz: boolean): number {
  const neg = X < 0;
  if (neg) { X = -X; E = -E; T = -T; if (rm === RM.RP) rm = RM.RM; else if (rm === RM.RM) rm = RM.RP; }
  let e = ilogb(X);
  // v just below a power of two lies in the binade below X.
  if ((E < 0 || (E === 0 && T < 0)) && isPow2(X)) e--;
  const ev = e + s;                      // exponent of the exact value
  let r: number;
  if (ev > f.emax) {
    r = overflow(f, rm);
  } else if (ev < f.emin && fz) {
    FP.flags |= Exc.UFC;                 // flushed: no IXC (FPRound, FPCR.FZ)
    r = 0;
  } else if (ev < f.emin - f.p) {
    // Below half the smallest subnormal: 0, or the smallest subnormal when rounding up.
    FP.flags |= Exc.UFC | Exc.IXC;
    r = rm === RM.RP || rm === RM.RO ? pow2(f.emin - f.p + 1) : 0;
  } else {
    const qexp = (ev < f.emin ? f.emin : ev) - (f.p - 1);   // exponent of the quantum of v
    const q = pow2(qexp - s);              // the quantum in the scaled domain
    let m = Math.floor(X / q);             // X = m*q + a, 0 <= a < q, all exact
    let a = X - m * q;
    // rr = a + E + T lies in (-q, 2q); bring it to [0, q).
    if (cmpTail(E, T, -a) < 0) { m -= 1; a += q; } else if (cmpTail(E, T, q - a) >= 0) { m += 1; a -= q; }
    const c0 = cmpTail(E, T, -a);
    let up = false;
    if (c0 !== 0) {
      FP.flags |= Exc.IXC;
      if (ev < f.emin) FP.flags |= Exc.UFC;
      switch (rm) {
        case RM.RN: { const h = cmpTail(E, T, q / 2 - a); up = h > 0 || (h === 0 && m % 2 === 1); break; }
        case RM.RA: up = cmpTail(E, T, q / 2 - a) >= 0; break;
        case RM.RP: up = true; break;
        case RM.RO: up = m % 2 === 0; break;   // FPRoundBase(): odd significand when inexact
        default: up = false;
      }
    }
    if (up) m += 1;
    r = m * pow2(qexp);
    if (r > f.max) r = overflow(f, rm);
  }
  return neg ? -r : r;
}

function overflow(f: Fmt, rm: number): number {
  FP.flags |= Exc.OFC | Exc.IXC;
  return rm === RM.RN || rm === RM.RP || rm === RM.RA ? Infinity : f.max;
}

/** Zero result of an exact cancellation: +0, or -0 when rounding toward minus infinity. */
function exactZero(rm: number): number { return rm === RM.RM ? -0 : 0; }

// ---------------------------------------------------------------- operations on finite values
// Callers handle NaNs, infinities and the invalid cases first; these get finite operands
// (already flushed by FPCR.FZ) and return the rounded result.

/** FPAdd (finite a, b): a + b rounded. */
export function add(f: Fmt, a: number, b: number, rm: number, fz: boolean): number {
  if (a === 0 && b === 0) return Object.is(a, b) ? a : exactZero(rm);
  if (a === 0) return b;
  if (b === 0) return a;
  const ea = ilogb(a), eb = ilogb(b);
  // Far apart: the smaller one only decides the rounding direction (and ties).
  if (ea - eb > 60) return roundTo(f, a, b, 0, 0, rm, fz);
  if (eb - ea > 60) return roundTo(f, b, a, 0, 0, rm, fz);
  let s = 0;
  if (ea > 1000 || eb > 1000) { a *= 1 / 1024; b *= 1 / 1024; s = 10; }   // keep the sum finite
  twoSum(a, b);
  if (ER[0] === 0) return exactZero(rm);
  return roundTo(f, ER[0], ER[1], 0, s, rm, fz);
}

/** FPMul (finite a, b): a * b rounded. */
export function mul(f: Fmt, a: number, b: number, rm: number, fz: boolean): number {
  if (a === 0 || b === 0) return (a < 0 || Object.is(a, -0)) !== (b < 0 || Object.is(b, -0)) ? -0 : 0;
  const ea = ilogb(a), eb = ilogb(b);
  twoProd(signif(a, ea), signif(b, eb));
  return roundTo(f, ER[0], ER[1], 0, ea + eb, rm, fz);
}

/** FPDiv (finite a, b != 0): a / b rounded. */
export function div(f: Fmt, a: number, b: number, rm: number, fz: boolean): number {
  if (a === 0) return (Object.is(a, -0)) !== (b < 0) ? -0 : 0;
  const ea = ilogb(a), eb = ilogb(b);
  const ma = signif(a, ea), mb = signif(b, eb);
  const q = ma / mb;
  twoProd(q, mb);
  const r = (ma - ER[0]) - ER[1];          // exact remainder (representable)
  return roundTo(f, q, r / mb, 0, ea - eb, rm, fz);
}

/** FPSqrt (finite a >= 0). */
export function sqrt(f: Fmt, a: number, rm: number, fz: boolean): number {
  if (a === 0) return a;
  let e = ilogb(a);
  if (e & 1) e -= 1;                    // even exponent: significand in [1, 4)
  const m = signif(a, e);
  const q = Math.sqrt(m);
  twoProd(q, q);
  const r = (m - ER[0]) - ER[1];
  // E = r / 2q has the exact sign, but the division can round it onto exactly half an ulp of q
  // (sqrt(DBL_MAX): q = 2 - 2^-52, E = 2^-53) although a square root is never a tie. Then E is a
  // power of two, so m - (q + E)^2 = (r - 2qE) - E^2 is exact and its sign breaks the tie (T).
  const E = r / (2 * q);
  const d = (r - 2 * q * E) - E * E;
  return roundTo(f, q, E, d > 0 ? STICKY : d < 0 ? -STICKY : 0, e / 2, rm, fz);
}

/** Sign bit of a double (distinguishes -0). */
export function signOf(x: number): boolean { return x < 0 || Object.is(x, -0); }

/**
 * FPMulAdd (finite c + a*b, no invalid case): rounded once. With `scale`, (c + a*b) * 2^scale
 * rounded once (FRSQRTS: (3 + a*b) / 2); the scaled-zero-product case then needs c * 2^scale
 * exact, which holds for the constants that use it.
 */
export function fma(f: Fmt, c: number, a: number, b: number, rm: number, fz: boolean, scale = 0): number {
  if (a === 0 || b === 0) {
    const pneg = signOf(a) !== signOf(b);
    if (c === 0) return pneg === signOf(c) ? c : exactZero(rm);
    return c * pow2(scale);
  }
  const ea = ilogb(a), eb = ilogb(b);
  twoProd(signif(a, ea), signif(b, eb));
  const P = ER[0], Pe = ER[1], s = ea + eb + scale;
  if (c === 0) return roundTo(f, P, Pe, 0, s, rm, fz);
  if (scale !== 0) c *= pow2(scale);         // exact for the scaled constants (c normal, |scale| small)
  const ec = ilogb(c);
  if (ec - s > 200) {
    // The product only decides the rounding direction: a sticky term below every ulp.
    return roundTo(f, signif(c, ec), P > 0 ? STICKY : -STICKY, 0, ec, rm, fz);
  }
  if (ec - s < -200) {
    return roundTo(f, P, Pe, c > 0 ? STICKY : -STICKY, s, rm, fz);
  }
  const cs = signif(c, ec) * pow2(ec - s);   // exact: |ec - s| <= 200
  // v = P + Pe + cs: renormalise to X + E + T with X = RN(v).
  twoSum(P, cs);
  let x = ER[0], y = ER[1], z = Pe;
  for (let i = 0; i < 4; i++) {
    twoSum(x, y); const x1 = ER[0]; let y1 = ER[1];
    twoSum(y1, z); y1 = ER[0]; const z1 = ER[1];
    twoSum(x1, y1);
    const changed = ER[0] !== x || ER[1] !== y || z1 !== z;
    x = ER[0]; y = ER[1]; z = z1;
    if (!changed) break;
  }
  if (x === 0) return exactZero(rm);
  return roundTo(f, x, y, z, s, rm, fz);
}

/**
 * Rounds a finite double to an integral value with rounding mode rm (FPRoundInt's core);
 * returns the integer as a double and sets `FP.inexact` if it differs.
 */
export function roundInt(x: number, rm: number): number {
  if (!(Math.abs(x) < 4503599627370496)) return x;   // |x| >= 2^52: integral already
  const fl = Math.floor(x);
  const fr = x - fl;                                    // exact
  if (fr === 0) return x;
  let r: number;
  switch (rm) {
    case RM.RN: r = fr > 0.5 || (fr === 0.5 && fl % 2 !== 0) ? fl + 1 : fl; break;
    case RM.RA: r = fr > 0.5 || (fr === 0.5 && x > 0) ? fl + 1 : fl; break;
    case RM.RP: r = fl + 1; break;
    case RM.RM: r = fl; break;
    default: r = x < 0 ? fl + 1 : fl;
  }
  return r === 0 && x < 0 ? -0 : r;
}
