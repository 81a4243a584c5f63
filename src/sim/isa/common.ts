// Helpers shared by the ISA modules: register-slot selection, condition codes,
// PC-relative arithmetic and immediate decoding. All allocation-free.
import type { PE } from '../pe';
import { SP, SINK, ZR } from '../pe';
import { TWO32 } from '../u64';

export { SP, SINK, ZR };

/** Destination slot for register number n: 31 is SP when `sp`, otherwise XZR (writes discarded). */
export function dst(n: number, sp: boolean): number { return n === 31 ? (sp ? SP : SINK) : n; }

/** Source slot for register number n: 31 is SP when `sp`, otherwise XZR (reads 0). */
export function src(n: number, sp: boolean): number { return n === 31 ? (sp ? SP : ZR) : n; }

/** Sign-extends the low `bits` bits of v to a JS number. */
export function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return bits >= 32 ? v | 0 : ((v << s) >> s);
}

/** The PSTATE condition flags (what ConditionHolds() reads). */
export type Nzcv = Pick<PE, 'nf' | 'zf' | 'cf' | 'vf'>;

/** ConditionHolds() (DDI0487 J1, shared/functions/system/ConditionHolds). */
export function condHolds(pe: Nzcv, cond: number): boolean {
  let r: boolean;
  switch (cond >>> 1) {
    case 0: r = pe.zf === 1; break;                              // EQ / NE
    case 1: r = pe.cf === 1; break;                              // CS / CC
    case 2: r = pe.nf === 1; break;                              // MI / PL
    case 3: r = pe.vf === 1; break;                              // VS / VC
    case 4: r = pe.cf === 1 && pe.zf === 0; break;               // HI / LS
    case 5: r = pe.nf === pe.vf; break;                          // GE / LT
    case 6: r = pe.nf === pe.vf && pe.zf === 0; break;           // GT / LE
    default: r = true;                                           // AL / NV
  }
  return (cond & 1) !== 0 && cond !== 15 ? !r : r;
}

/**
 * ConditionHolds() for `cond` as a truth table over the flags, built at decode time: bit
 * N:Z:C:V (N the most significant) is set for the flag values the condition holds for. The hot
 * executors test it with condPass() (one shift), not a switch whose branches are shared by every
 * condition's instances.
 */
export function condMask(cond: number): number {
  let mask = 0;
  for (let f = 0; f < 16; f++) {
    if (condHolds({ nf: f >>> 3, zf: (f >>> 2) & 1, cf: (f >>> 1) & 1, vf: f & 1 }, cond)) mask |= 1 << f;
  }
  return mask;
}

/** True when the condition whose condMask() is `mask` holds for the PE's flags (each 0 or 1). */
export function condPass(pe: PE, mask: number): boolean {
  return ((mask >>> ((pe.nf << 3) | (pe.zf << 2) | (pe.cf << 1) | pe.vf)) & 1) !== 0;
}

/** PC := PC + offset (offset a signed JS number, |offset| < 2^52). */
export function branchRel(pe: PE, offset: number): void {
  const lo = pe.pcLo + offset;
  // lo may be negative or >= 2^32; carry into the high half.
  const carry = Math.floor(lo / TWO32);
  pe.pcLo = (lo - carry * TWO32) >>> 0;
  pe.pcHi = (pe.pcHi + carry) >>> 0;
}

/** Writes PC+4 to X30 (link register). */
export function link(pe: PE): void {
  const lo = pe.pcLo + 4;
  pe.x[60] = lo >>> 0;
  pe.x[61] = (pe.pcHi + (lo >= TWO32 ? 1 : 0)) >>> 0;
}

/** Writes a 32-bit result to W register slot d (upper half zeroed). */
export function setW(pe: PE, d: number, v: number): void {
  pe.x[2 * d] = v;
  pe.x[2 * d + 1] = 0;
}

/** Writes a 64-bit result to X register slot d. */
export function setX(pe: PE, d: number, lo: number, hi: number): void {
  pe.x[2 * d] = lo;
  pe.x[2 * d + 1] = hi;
}

/**
 * DecodeBitMasks() for logical immediates (DDI0487 J1 shared/functions/bitmasks).
 * Returns [wmaskLo, wmaskHi, tmaskLo, tmaskHi] or undefined when the encoding is reserved.
 */
export function decodeBitMasks(n: number, imms: number, immr: number, immediate: boolean, datasize: number): [number, number, number, number] | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  let len = -1;
  for (let i = 6; i >= 0; i--) if (combined & (1 << i)) { len = i; break; }
  if (len < 1) return undefined;
  const levels = (1 << len) - 1;
  if (immediate && (imms & levels) === levels) return undefined;
  const s = imms & levels;
  const r = immr & levels;
  const diff = (s - r) & levels;
  const esize = 1 << len;
  if (esize > datasize) return undefined;
  const d = diff & levels;
  // welem = Ones(s+1) zero-extended to esize; telem = Ones(d+1)
  const welem = onesBig(s + 1);
  const telem = onesBig(d + 1);
  const wrot = rorElem(welem, r, esize);
  const w = replicate(wrot, esize, datasize);
  const t = replicate(telem, esize, datasize);
  return [w[0], w[1], t[0], t[1]];
}

// Decode-time helpers on [lo, hi] pairs (not on the execution path).
function onesBig(n: number): [number, number] {
  if (n >= 64) return [0xffffffff, 0xffffffff];
  if (n >= 32) return [0xffffffff, n === 32 ? 0 : (0xffffffff >>> (64 - n))];
  return [n === 0 ? 0 : (0xffffffff >>> (32 - n)), 0];
}
function rorElem(v: [number, number], r: number, esize: number): [number, number] {
  if (r === 0) return v;
  if (esize <= 32) {
    const mask = esize === 32 ? 0xffffffff : ((1 << esize) - 1);
    const x = v[0] & mask;
    return [(((x >>> r) | (x << (esize - r))) & mask) >>> 0, 0];
  }
  let [lo, hi] = v;
  for (let i = 0; i < r; i++) {
    const b = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = ((hi >>> 1) | (b << 31)) >>> 0;
  }
  return [lo, hi];
}
function replicate(v: [number, number], esize: number, datasize: number): [number, number] {
  if (esize === 64) return v;
  let lo = 0;
  const mask = esize === 32 ? 0xffffffff : ((1 << esize) - 1);
  const e = v[0] & mask;
  for (let i = 0; i < 32; i += esize) lo = (lo | (e << i)) >>> 0;
  if (esize === 32) lo = e >>> 0;
  return [lo, datasize === 64 ? lo : 0];
}

/** PC := PC + 4 (for executors that return Flow.Stop after completing normally). */
export function advance(pe: PE): void {
  const lo = pe.pcLo + 4;
  pe.pcLo = lo >>> 0;
  if (lo >= TWO32) pe.pcHi = (pe.pcHi + 1) >>> 0;
}
