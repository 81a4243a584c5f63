// Shared pieces of the SIMD&FP modules (simd-*.ts): the scratch vectors that element-wise
// operations work in, element accessors on the register file, and the FPCR/FPSR slots.
//
// Register file: V[n] is pe.v[4n..4n+3], word 0 holding bits [31:0] (DDI0487 C2.2 "SIMD&FP
// registers"). Operations copy their source vectors into the module scratch below, compute
// through typed-array views of it (which gives byte/halfword/word/doubleword lanes without
// allocation), and copy the result back: aliasing between Vd, Vn and Vm is then harmless.
// The lane views rely on a little-endian host (all Node.js platforms we support); checked
// at start-up.
import type { Exec } from '../exec';
import type { PE } from '../pe';
import { requiredSlot } from '../sysregs';

/** Scratch: four 128-bit vectors A, B, C, D (bytes 0..15, 16..31, 32..47, 48..63) plus a
 *  4-register block for structure loads/stores and table lookups (bytes 64..127). */
const BUF = new ArrayBuffer(128);
export const W32 = new Uint32Array(BUF);
export const U8 = new Uint8Array(BUF);
export const U16 = new Uint16Array(BUF);
export const I8 = new Int8Array(BUF);
export const I16 = new Int16Array(BUF);
export const I32 = new Int32Array(BUF);
export const F32 = new Float32Array(BUF);
export const F64 = new Float64Array(BUF);

/** Word offsets of the scratch vectors in W32. */
export const A = 0, B = 4, C = 8, D = 12, BLOCK = 16;

if (new Uint8Array(new Uint32Array([0x01020304]).buffer)[0] !== 4) {
  throw new Error('SIMD&FP lane views need a little-endian host');
}

/** Copies V[r] (r = 0..31) into scratch vector at word offset `to`. */
export function load(pe: PE, r: number, to: number): void {
  const v = pe.v, i = r << 2;
  W32[to] = v[i]; W32[to + 1] = v[i + 1]; W32[to + 2] = v[i + 2]; W32[to + 3] = v[i + 3];
}

/** Writes scratch vector at `from` to V[r]; with q = 0 only the low 64 bits, upper bits zeroed. */
export function store(pe: PE, r: number, from: number, q: number): void {
  const v = pe.v, i = r << 2;
  v[i] = W32[from]; v[i + 1] = W32[from + 1];
  if (q) { v[i + 2] = W32[from + 2]; v[i + 3] = W32[from + 3]; } else { v[i + 2] = 0; v[i + 3] = 0; }
}

/**
 * Element `idx` of size 2^sz bytes (sz = 0..2) of V[r], zero-extended; for sz = 3 use elemLo/
 * elemHi. Pure word arithmetic (no scratch).
 */
export function elem(pe: PE, r: number, sz: number, idx: number): number {
  const bit = idx << (sz + 3);
  const w = pe.v[(r << 2) + (bit >>> 5)];
  if (sz === 2) return w;
  return (w >>> (bit & 31)) & (sz === 0 ? 0xff : 0xffff);
}

/** Writes element `idx` of size 2^sz bytes (sz = 0..2) of V[r], other bits unchanged. */
export function setElem(pe: PE, r: number, sz: number, idx: number, val: number): void {
  const bit = idx << (sz + 3);
  const i = (r << 2) + (bit >>> 5);
  if (sz === 2) { pe.v[i] = val; return; }
  const m = (sz === 0 ? 0xff : 0xffff) << (bit & 31);
  pe.v[i] = ((pe.v[i] & ~m) | ((val << (bit & 31)) & m)) >>> 0;
}

// ---------------------------------------------------------------- FPCR / FPSR

/** Word index of FPCR and FPSR in pe.sys (the descriptors live in sysregs/special.ts). */
export const FPCR = requiredSlot('FPCR') * 2;
export const FPSR = requiredSlot('FPSR') * 2;

/** FPSR cumulative exception bits (DDI0487 C5.2.8). */
export const enum Exc { IOC = 1, DZC = 2, OFC = 4, UFC = 8, IXC = 16, IDC = 128 }

/** FPCR fields (DDI0487 C5.2.7). */
export const FPCR_AHP = 1 << 26, FPCR_DN = 1 << 25, FPCR_FZ = 1 << 24;

/** FPCR.FZ16 (FEAT_FP16): flush-to-zero for half-precision arithmetic. */
export const FPCR_FZ16 = 1 << 19;

/** The flush-to-zero control for arithmetic in format ty (3 = half: FZ16; single/double: FZ). */
export function fzFor(ty: number, fpcr: number): boolean { return (fpcr & (ty === 3 ? FPCR_FZ16 : FPCR_FZ)) !== 0; }

/**
 * The half-precision arithmetic forms are FEAT_FP16: UNDEFINED on a CPU model without it
 * (ID_AA64PFR0_EL1.FP = 0). `half` false or e undefined: e unchanged.
 */
export function fp16Only(half: boolean, e: Exec): Exec;
export function fp16Only(half: boolean, e: Exec | undefined): Exec | undefined;
export function fp16Only(half: boolean, e: Exec | undefined): Exec | undefined {
  if (!half || e === undefined) return e;
  return (pe: PE) => (pe.features.fp16 ? e(pe) : pe.undefinedInstruction());
}
