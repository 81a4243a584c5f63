// Shared pieces of the load/store modules: effective-address arithmetic on (lo, hi) halves,
// the register transfers of single loads/stores, decode-time ISS construction and the
// physical-access helpers that exclusives and atomics use after one translation.
//
// Everything that runs per instruction is allocation-free: 64-bit results come back as a
// return value (low half) plus the scratch record `EA.hi` (high half), as u64.ts does with R.
// DDI0487 references are to DDI0487 J.a (C3.2 "Loads and stores", C6.2 instruction pages).
import { Acc } from '../exec';
import type { PE } from '../pe';
import { BusError } from '../memory';
import { FSC, issLdSt } from '../syndrome';

/** 2^-32: multiplying an exact multiple of 2^32 by it gives the carry/borrow exactly. */
const INV32 = 1 / 4294967296;

/**
 * High half of the last address computed by addOff/addRegW/addRegX (read it right after the
 * call), and of the last physRead64. A constant record, so the build's bundling and the
 * tests' per-file transform both compile the accesses to plain property loads.
 */
export const EA = { hi: 0, physHi: 0 };

/**
 * (lo, hi) + off for a signed immediate offset (|off| < 2^31). Returns the low half; the high
 * half is in `EA.hi`. The sum wraps modulo 2^64 like the Arm ARM's bits(64) arithmetic.
 */
export function addOff(lo: number, hi: number, off: number): number {
  const s = lo + off;
  const r = s >>> 0;
  EA.hi = (hi + (s - r) * INV32) >>> 0;
  return r;
}

/**
 * (lo, hi) + ExtendReg(Wm, UXTW|SXTW, shift): `sx` is 1 for SXTW, 0 for UXTW, and
 * `scale` = 2^shift. The 32-bit operand is made signed without a branch: m - 2^32*(m<31> & sx).
 */
export function addRegW(lo: number, hi: number, m: number, sx: number, scale: number): number {
  const s = lo + (m - ((m >>> 31) & sx) * 4294967296) * scale;
  const r = s >>> 0;
  EA.hi = (hi + (s - r) * INV32) >>> 0;
  return r;
}

/** (lo, hi) + (Xm << shift) for LSL/UXTX/SXTX (a 64-bit extend is the identity); scale = 2^shift. */
export function addRegX(lo: number, hi: number, mlo: number, mhi: number, shift: number, scale: number): number {
  const s = lo + mlo * scale;
  const r = s >>> 0;
  EA.hi = (hi + (mhi << shift) + (s - r) * INV32) >>> 0;
  return r;
}

// ---------------------------------------------------------------- register transfers
// Each helper performs the access first (it may throw EXCEPTION_TAKEN) and writes the
// register only afterwards, so a faulting access leaves the register file unchanged.

/**
 * Loads 1, 2 or 4 bytes into X[t] (slot index t2 = 2*t). `shl` = 32 - 8*size sign-extends the
 * loaded value to 32 bits (0 for zero-extending and 32-bit loads); `hiMask` = -1 sign-extends
 * on to 64 bits (LDRSB/LDRSH/LDRSW to X), 0 gives a W result or a zero-extended X.
 */
export function ldN(pe: PE, lo: number, hi: number, size: number, shl: number, hiMask: number, iss: number, t2: number): void {
  const v = (pe.read(lo, hi, size, iss) << shl) >> shl;
  pe.x[t2] = v;
  pe.x[t2 + 1] = (v >> 31) & hiMask;
}

export function ld64(pe: PE, lo: number, hi: number, iss: number, t2: number): void {
  const l = pe.read64(lo, hi, iss);
  pe.x[t2] = l;
  pe.x[t2 + 1] = pe.rhi;
}

/** Stores the low `size` (1, 2, 4) bytes of X[t]; `mask` keeps those bytes (0xffffffff for 4). */
export function stN(pe: PE, lo: number, hi: number, size: number, mask: number, iss: number, t2: number): void {
  pe.write(lo, hi, size, (pe.x[t2] & mask) >>> 0, iss);
}

export function st64(pe: PE, lo: number, hi: number, iss: number, t2: number): void {
  pe.write64(lo, hi, pe.x[t2], pe.x[t2 + 1], iss);
}

// SIMD&FP transfers (v4 = 4*t, the first word of V[t]). Writing a B/H/S/D register zeroes the
// rest of the 128-bit V register (DDI0487 C2.2 / V[] setter with a narrower width).

/** LDR B/H/S: 1, 2 or 4 bytes into V[t], upper bits zero. */
export function ldV(pe: PE, lo: number, hi: number, size: number, v4: number): void {
  const x = pe.read(lo, hi, size, 0);
  const v = pe.v;
  v[v4] = x; v[v4 + 1] = 0; v[v4 + 2] = 0; v[v4 + 3] = 0;
}

export function ldD(pe: PE, lo: number, hi: number, v4: number): void {
  const l = pe.read64(lo, hi, 0);
  const v = pe.v;
  v[v4] = l; v[v4 + 1] = pe.rhi; v[v4 + 2] = 0; v[v4 + 3] = 0;
}

/** LDR Q: two 8-byte accesses, both before the register write. */
export function ldQ(pe: PE, lo: number, hi: number, v4: number): void {
  const l0 = pe.read64(lo, hi, 0), h0 = pe.rhi;
  const l1 = pe.read64(addOff(lo, hi, 8), EA.hi, 0), h1 = pe.rhi;
  const v = pe.v;
  v[v4] = l0; v[v4 + 1] = h0; v[v4 + 2] = l1; v[v4 + 3] = h1;
}

export function stV(pe: PE, lo: number, hi: number, size: number, mask: number, v4: number): void {
  pe.write(lo, hi, size, (pe.v[v4] & mask) >>> 0, 0);
}

export function stD(pe: PE, lo: number, hi: number, v4: number): void {
  pe.write64(lo, hi, pe.v[v4], pe.v[v4 + 1], 0);
}

export function stQ(pe: PE, lo: number, hi: number, v4: number): void {
  pe.write64(lo, hi, pe.v[v4], pe.v[v4 + 1], 0);
  pe.write64(addOff(lo, hi, 8), EA.hi, pe.v[v4 + 2], pe.v[v4 + 3], 0);
}

// ---------------------------------------------------------------- ISS (decode time)

/**
 * ISS instruction part for a single general-register load/store without writeback (ISV=1).
 * `opc` is the Arm ARM opc field of the "Load/store register" classes: 00 store, 01 load,
 * 10 signed load to X, 11 signed load to W. SF follows the register width the instruction
 * transfers (stores: size == 64 bits), as QEMU's disas_ldst_compute_iss_sf() does.
 */
export function issSingle(size: number, opc: number, rt: number): number {
  const signed = opc >= 2;
  const sf = signed ? (opc & 1) === 0 : size === 3;
  return issLdSt(size, signed, rt, sf, false);
}

/** ISS for the acquire/release forms (LDAR, STLR, LDAPR): zero-extending, AR=1. */
export function issOrdered(size: number, rt: number): number {
  return issLdSt(size, false, rt, size === 3, true);
}

// ---------------------------------------------------------------- physical accesses
// Exclusives and atomics translate once (alignment, permission as a write) and then access
// the physical address directly. These helpers report a bus error as a synchronous external
// abort at the virtual address, as pe.read/pe.write do. The ISS is 0 (ISV=0 for them).

export function physRead(pe: PE, pa: number, size: number, vlo: number, vhi: number): number {
  const v = pe.mem.read(pa, size, pe.id);
  if (pe.mem.fault !== BusError.None) physFault(pe, vlo, vhi, Acc.Read);
  return v;
}

export function physRead64(pe: PE, pa: number, vlo: number, vhi: number): number {
  pe.mem.read64(pa, pe.id);
  if (pe.mem.fault !== BusError.None) physFault(pe, vlo, vhi, Acc.Read);
  EA.physHi = pe.mem.out.hi;
  return pe.mem.out.lo;
}

export function physWrite(pe: PE, pa: number, size: number, value: number, vlo: number, vhi: number): void {
  pe.mem.write(pa, size, value, pe.id);
  if (pe.mem.fault !== BusError.None) physFault(pe, vlo, vhi, Acc.Write);
}

export function physWrite64(pe: PE, pa: number, lo: number, hi: number, vlo: number, vhi: number): void {
  pe.mem.write64(pa, lo, hi, pe.id);
  if (pe.mem.fault !== BusError.None) physFault(pe, vlo, vhi, Acc.Write);
}

function physFault(pe: PE, vlo: number, vhi: number, acc: Acc): never {
  pe.mem.fault = BusError.None;
  return pe.dataAbort(vlo, vhi, acc, 0, FSC.SYNC_EXTERNAL, false, 0);
}

/** Alignment check of exclusives and atomics (DDI0487 AArch64.ExclusiveMonitorsPass: before anything else). */
export function checkAligned(pe: PE, lo: number, hi: number, bytes: number, acc: Acc): void {
  if ((lo & (bytes - 1)) !== 0) pe.dataAbort(lo, hi, acc, 0, FSC.ALIGNMENT, false, 0);
}
