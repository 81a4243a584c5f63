// Exclusives, load-acquire/store-release and the FEAT_LSE atomics (DDI0487 C4.1.88 classes
// "Load/store exclusive register", "Load/store exclusive pair", "Load/store ordered",
// "Compare and swap", "Compare and swap pair", "Atomic memory operations"; C6.2 pages).
//
// Exclusive monitor (see PE.exclAddr): LDXR records the physical address, size and loaded
// value; STXR succeeds when the address and size match and memory still holds that value
// (QEMU's model). STXR always clears the monitor. The order of checks follows
// AArch64.ExclusiveMonitorsPass(): alignment first (an alignment fault even when the monitor
// is open), then with no reservation the store fails without translating (the architecture's
// IsExclusiveVA() = FALSE path), else translate (faults are taken with the monitor unchanged;
// exception entry clears it anyway) and compare.
// Differences from QEMU 7.2 on purpose: QEMU compares the virtual address and skips the
// alignment check of a STXR whose address does not match the reservation (it just fails);
// we compare physical address and size, and always check alignment as the Arm ARM does.
//
// Other choices:
// - ISV=0 for exclusives, pairs and atomics (ISS instruction part 0); LDAR/STLR/LDAPR get
//   ISV=1 with AR=1 (QEMU does the same).
// - Acquire/release semantics need no work in a sequentially consistent interpreter.
// - Should-be-one fields (Rs, Rt2 of LDXR/LDAR/STLR) are ignored, as QEMU does.
// - STXR with Rs == Rt, Rs == Rt2 or Rs == Rn (Rn != 31), LDXP with Rt == Rt2: CONSTRAINED
//   UNPREDICTABLE (C6.2 STXR/LDXP); we choose QEMU's behaviour: the store uses the register
//   values read before the status write, and LDXP writes Rt then Rt2 (Rt2's value is kept).
// - Rn = 31 is SP; the SP alignment check (SCTLR_ELx.SA) is not implemented (off by default).
// - Physical accesses to MMIO from exclusives/atomics go to the device like any access.
import { Acc, Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { requiredSlot } from '../sysregs';
import { dst, src } from './common';
import {
  EA, checkAligned, issOrdered, physRead, physRead64, physWrite, physWrite64,
} from './ldst-common';

const TWO32 = 4294967296;

/** Mask of the low `size` bytes (size 1, 2, 4). */
function sizeMask(size: number): number { return size >= 4 ? 0xffffffff : (1 << (8 * size)) - 1; }

// ---------------------------------------------------------------- exclusives

/** LDXR/LDAXR (size 1..8): Rt := [Xn] and set the monitor. */
function ldxr(size: number, n2: number, t2: number): Exec {
  return (pe: PE) => {
    const lo = pe.x[n2], hi = pe.x[n2 + 1];
    const pa = pe.translateData(lo, hi, Acc.Read, size, 0, true);
    let vl: number, vh = 0;
    if (size === 8) { vl = physRead64(pe, pa, lo, hi); vh = EA.physHi; }
    else vl = physRead(pe, pa, size, lo, hi);
    pe.exclAddr = pa; pe.exclSize = size; pe.exclLo = vl; pe.exclHi = vh;
    pe.x[t2] = vl; pe.x[t2 + 1] = vh;
    return Flow.Next;
  };
}

/** LDXP/LDAXP: 32-bit pair = one 8-byte access aligned to 8; 64-bit pair = 16 bytes aligned to 16. */
function ldxp(x64: boolean, n2: number, t2: number, u2: number): Exec {
  if (!x64) {
    return (pe: PE) => {
      const lo = pe.x[n2], hi = pe.x[n2 + 1];
      const pa = pe.translateData(lo, hi, Acc.Read, 8, 0, true);
      const a = physRead64(pe, pa, lo, hi), b = EA.physHi;
      pe.exclAddr = pa; pe.exclSize = 8; pe.exclLo = a; pe.exclHi = b;
      pe.x[t2] = a; pe.x[t2 + 1] = 0;
      pe.x[u2] = b; pe.x[u2 + 1] = 0;
      return Flow.Next;
    };
  }
  return (pe: PE) => {
    const lo = pe.x[n2], hi = pe.x[n2 + 1];
    const pa = pe.translateData(lo, hi, Acc.Read, 16, 0, true);
    const al = physRead64(pe, pa, lo, hi), ah = EA.physHi;
    const bl = physRead64(pe, pa + 8, lo, hi), bh = EA.physHi;
    pe.exclAddr = pa; pe.exclSize = 16; pe.exclLo = al; pe.exclHi = ah; pe.exclLo2 = bl; pe.exclHi2 = bh;
    pe.x[t2] = al; pe.x[t2 + 1] = ah;
    pe.x[u2] = bl; pe.x[u2 + 1] = bh;
    return Flow.Next;
  };
}

/**
 * The store half of an exclusive pair/register: returns 0 (stored) or 1 (failed) and clears
 * the monitor. (dl, dh) is the first doubleword (or the value), (el, eh) the second (16 only).
 */
function storeExclusive(pe: PE, lo: number, hi: number, size: number, dl: number, dh: number, el: number, eh: number): number {
  checkAligned(pe, lo, hi, size, Acc.Write);
  if (pe.exclAddr === -1) return 1;
  const pa = pe.translateData(lo, hi, Acc.Write, size, 0, true);
  let ok = pa === pe.exclAddr && size === pe.exclSize;
  if (ok) {
    if (size < 8) {
      ok = physRead(pe, pa, size, lo, hi) === pe.exclLo;
    } else {
      ok = physRead64(pe, pa, lo, hi) === pe.exclLo && EA.physHi === pe.exclHi;
      if (ok && size === 16) ok = physRead64(pe, pa + 8, lo, hi) === pe.exclLo2 && EA.physHi === pe.exclHi2;
    }
  }
  if (ok) {
    if (size < 8) physWrite(pe, pa, size, dl, lo, hi);
    else {
      physWrite64(pe, pa, dl, dh, lo, hi);
      if (size === 16) physWrite64(pe, pa + 8, el, eh, lo, hi);
    }
  }
  pe.exclAddr = -1;
  return ok ? 0 : 1;
}

/** STXR/STLXR (size 1..8): Ws := status. */
function stxr(size: number, n2: number, t2: number, s2: number): Exec {
  const mask = sizeMask(size);
  return (pe: PE) => {
    const lo = pe.x[n2], hi = pe.x[n2 + 1];
    const status = storeExclusive(pe, lo, hi, size, (pe.x[t2] & mask) >>> 0, pe.x[t2 + 1], 0, 0);
    pe.x[s2] = status; pe.x[s2 + 1] = 0;
    return Flow.Next;
  };
}

/** STXP/STLXP: 32-bit pair stores Wt:Wt2 as one doubleword (Rt at the lower address). */
function stxp(x64: boolean, n2: number, t2: number, u2: number, s2: number): Exec {
  if (!x64) {
    return (pe: PE) => {
      const status = storeExclusive(pe, pe.x[n2], pe.x[n2 + 1], 8, pe.x[t2], pe.x[u2], 0, 0);
      pe.x[s2] = status; pe.x[s2 + 1] = 0;
      return Flow.Next;
    };
  }
  return (pe: PE) => {
    const status = storeExclusive(pe, pe.x[n2], pe.x[n2 + 1], 16, pe.x[t2], pe.x[t2 + 1], pe.x[u2], pe.x[u2 + 1]);
    pe.x[s2] = status; pe.x[s2 + 1] = 0;
    return Flow.Next;
  };
}

/** Load/store exclusive register: size 001000 0 L 0 Rs o0 Rt2 Rn Rt. */
function ldstExclusiveRegDecode(w: number): Exec | undefined {
  const size = 1 << (w >>> 30), L = (w >>> 22) & 1, Rs = (w >>> 16) & 31, Rn = (w >>> 5) & 31, Rt = w & 31;
  const n2 = src(Rn, true) * 2;
  if (L) return ldxr(size, n2, dst(Rt, false) * 2);
  return stxr(size, n2, src(Rt, false) * 2, dst(Rs, false) * 2);
}

/** Load/store exclusive pair: 1 sz 001000 0 L 1 Rs o0 Rt2 Rn Rt (sz: 0 = W pair, 1 = X pair). */
function ldstExclusivePairDecode(w: number): Exec | undefined {
  const x64 = ((w >>> 30) & 1) === 1, L = (w >>> 22) & 1, Rs = (w >>> 16) & 31, Rt2 = (w >>> 10) & 31, Rn = (w >>> 5) & 31, Rt = w & 31;
  const n2 = src(Rn, true) * 2;
  if (L) return ldxp(x64, n2, dst(Rt, false) * 2, dst(Rt2, false) * 2);
  return stxp(x64, n2, src(Rt, false) * 2, src(Rt2, false) * 2, dst(Rs, false) * 2);
}

// ---------------------------------------------------------------- ordered

/**
 * Load/store ordered: size 001000 1 L 0 Rs o0 Rt2 Rn Rt. o0=1: STLR / LDAR (natural alignment
 * required: DDI0487 C6.2 LDAR, CheckAlignment with AccType_ORDERED). o0=0: STLLR / LDLAR need
 * FEAT_LOR, which neither CPU model implements (ID_AA64MMFR1_EL1.LO = 0): unallocated.
 */
function ldstOrderedDecode(w: number): Exec | undefined {
  const log = w >>> 30, size = 1 << log, L = (w >>> 22) & 1, o0 = (w >>> 15) & 1, Rn = (w >>> 5) & 31, Rt = w & 31;
  if (!o0) return undefined;
  return L ? loadAcquire(log, src(Rn, true) * 2, Rt) : storeRelease(log, src(Rn, true) * 2, Rt);
}

/** LDAR/LDAPR: aligned zero-extending load with ISV=1, AR=1. */
function loadAcquire(log: number, n2: number, Rt: number): Exec {
  const size = 1 << log, iss = issOrdered(log, Rt), t2 = dst(Rt, false) * 2;
  if (size === 8) {
    return (pe: PE) => {
      const l = pe.read64(pe.x[n2], pe.x[n2 + 1], iss, true);
      pe.x[t2] = l; pe.x[t2 + 1] = pe.rhi;
      return Flow.Next;
    };
  }
  return (pe: PE) => {
    const v = pe.read(pe.x[n2], pe.x[n2 + 1], size, iss, true);
    pe.x[t2] = v; pe.x[t2 + 1] = 0;
    return Flow.Next;
  };
}

function storeRelease(log: number, n2: number, Rt: number): Exec {
  const size = 1 << log, iss = issOrdered(log, Rt), t2 = src(Rt, false) * 2, mask = sizeMask(size);
  if (size === 8) {
    return (pe: PE) => { pe.write64(pe.x[n2], pe.x[n2 + 1], pe.x[t2], pe.x[t2 + 1], iss, true); return Flow.Next; };
  }
  return (pe: PE) => { pe.write(pe.x[n2], pe.x[n2 + 1], size, (pe.x[t2] & mask) >>> 0, iss, true); return Flow.Next; };
}

// ---------------------------------------------------------------- FEAT_LSE

/**
 * Translation for a read-modify-write (CAS, CASP, LD<op>, SWP): the access is checked as a read
 * and then as a write, so the abort reports WnR = 0 when a read of the location would have
 * faulted (alignment, translation, access flag, no read permission) and WnR = 1 only when the
 * write alone is refused (DDI0487 K.a D19.2 ISS encoding for a Data Abort, WnR: "for an atomic
 * instruction ... WnR is 0 if a read of the location would have generated the fault").
 */
function translateRmw(pe: PE, lo: number, hi: number, size: number): number {
  pe.translateData(lo, hi, Acc.Read, size, 0, true);
  return pe.translateData(lo, hi, Acc.Write, size, 0, true);
}

/**
 * Compare and swap: size 001000 1 L 1 Rs o0 11111 Rn Rt (CAS, CASA, CASL, CASAL; B/H/W/X).
 * Rs := [Xn]; if it equalled Rs, [Xn] := Rt. Aligned, permission-checked as a write (QEMU
 * and the Arm ARM both treat the access as a write even when the compare fails).
 */
function casDecode(w: number): Exec | undefined {
  const size = 1 << (w >>> 30), Rs = (w >>> 16) & 31, Rt2 = (w >>> 10) & 31, Rn = (w >>> 5) & 31, Rt = w & 31;
  if (Rt2 !== 31) return undefined;
  const n2 = src(Rn, true) * 2, s2 = src(Rs, false) * 2, sd2 = dst(Rs, false) * 2, t2 = src(Rt, false) * 2;
  const mask = sizeMask(size);
  if (size === 8) {
    return (pe: PE) => {
      if (!pe.features.lse) return pe.undefinedInstruction();
      const lo = pe.x[n2], hi = pe.x[n2 + 1];
      const cl = pe.x[s2], ch = pe.x[s2 + 1], nl = pe.x[t2], nh = pe.x[t2 + 1];
      const pa = translateRmw(pe, lo, hi, 8);
      const ol = physRead64(pe, pa, lo, hi), oh = EA.physHi;
      if (ol === cl && oh === ch) physWrite64(pe, pa, nl, nh, lo, hi);
      pe.x[sd2] = ol; pe.x[sd2 + 1] = oh;
      return Flow.Next;
    };
  }
  return (pe: PE) => {
    if (!pe.features.lse) return pe.undefinedInstruction();
    const lo = pe.x[n2], hi = pe.x[n2 + 1];
    const c = (pe.x[s2] & mask) >>> 0, n = (pe.x[t2] & mask) >>> 0;
    const pa = translateRmw(pe, lo, hi, size);
    const o = physRead(pe, pa, size, lo, hi);
    if (o === c) physWrite(pe, pa, size, n, lo, hi);
    pe.x[sd2] = o; pe.x[sd2 + 1] = 0;
    return Flow.Next;
  };
}

/**
 * Compare and swap pair: 0 sz 001000 0 L 1 Rs o0 11111 Rn Rt (CASP*; sz 0 = W pair, 1 = X pair).
 * Rs and Rt must be even (odd registers: CONSTRAINED UNPREDICTABLE, C6.2 CASP; we choose
 * UNDEFINED as QEMU does). Register 30's pair partner is 31 = XZR.
 */
function caspDecode(w: number): Exec | undefined {
  const x64 = ((w >>> 30) & 1) === 1, Rs = (w >>> 16) & 31, Rt2 = (w >>> 10) & 31, Rn = (w >>> 5) & 31, Rt = w & 31;
  if (Rt2 !== 31 || ((Rs | Rt) & 1) !== 0) return undefined;
  const n2 = src(Rn, true) * 2;
  const s2 = src(Rs, false) * 2, s2b = src(Rs + 1, false) * 2, d2 = dst(Rs, false) * 2, d2b = dst(Rs + 1, false) * 2;
  const t2 = src(Rt, false) * 2, t2b = src(Rt + 1, false) * 2;
  if (!x64) {
    return (pe: PE) => {
      if (!pe.features.lse) return pe.undefinedInstruction();
      const lo = pe.x[n2], hi = pe.x[n2 + 1];
      const c1 = pe.x[s2], c2 = pe.x[s2b], v1 = pe.x[t2], v2 = pe.x[t2b];
      const pa = translateRmw(pe, lo, hi, 8);
      const o1 = physRead64(pe, pa, lo, hi), o2 = EA.physHi;
      if (o1 === c1 && o2 === c2) physWrite64(pe, pa, v1, v2, lo, hi);
      pe.x[d2] = o1; pe.x[d2 + 1] = 0;
      pe.x[d2b] = o2; pe.x[d2b + 1] = 0;
      return Flow.Next;
    };
  }
  return (pe: PE) => {
    if (!pe.features.lse) return pe.undefinedInstruction();
    const lo = pe.x[n2], hi = pe.x[n2 + 1];
    const c1l = pe.x[s2], c1h = pe.x[s2 + 1], c2l = pe.x[s2b], c2h = pe.x[s2b + 1];
    const v1l = pe.x[t2], v1h = pe.x[t2 + 1], v2l = pe.x[t2b], v2h = pe.x[t2b + 1];
    const pa = translateRmw(pe, lo, hi, 16);
    const o1l = physRead64(pe, pa, lo, hi), o1h = EA.physHi;
    const o2l = physRead64(pe, pa + 8, lo, hi), o2h = EA.physHi;
    if (o1l === c1l && o1h === c1h && o2l === c2l && o2h === c2h) {
      physWrite64(pe, pa, v1l, v1h, lo, hi);
      physWrite64(pe, pa + 8, v2l, v2h, lo, hi);
    }
    pe.x[d2] = o1l; pe.x[d2 + 1] = o1h;
    pe.x[d2b] = o2l; pe.x[d2b + 1] = o2h;
    return Flow.Next;
  };
}

/** Atomic memory operation codes: o3:opc of the "Atomic memory operations" class. */
const enum AOp { Add = 0, Clr = 1, Eor = 2, Set = 3, Smax = 4, Smin = 5, Umax = 6, Umin = 7, Swp = 8 }

/** New memory value for a 1/2/4-byte operation; o and s are zero-extended, `shl` = 32 - 8*size. */
function aluN(op: AOp, o: number, s: number, shl: number): number {
  switch (op) {
    case AOp.Add: return o + s;
    case AOp.Clr: return o & ~s;
    case AOp.Eor: return o ^ s;
    case AOp.Set: return o | s;
    case AOp.Smax: return ((o << shl) >> shl) >= ((s << shl) >> shl) ? o : s;
    case AOp.Smin: return ((o << shl) >> shl) <= ((s << shl) >> shl) ? o : s;
    case AOp.Umax: return o >= s ? o : s;
    case AOp.Umin: return o <= s ? o : s;
    default: return s;
  }
}

/** 64-bit operation: returns the low half, high half in RES.hi. */
const RES = { hi: 0 };
function alu64(op: AOp, ol: number, oh: number, sl: number, sh: number): number {
  let takeOld: boolean;
  switch (op) {
    case AOp.Add: {
      const l = ol + sl;
      RES.hi = (oh + sh + (l >= TWO32 ? 1 : 0)) >>> 0;
      return l >>> 0;
    }
    case AOp.Clr: RES.hi = (oh & ~sh) >>> 0; return (ol & ~sl) >>> 0;
    case AOp.Eor: RES.hi = (oh ^ sh) >>> 0; return (ol ^ sl) >>> 0;
    case AOp.Set: RES.hi = (oh | sh) >>> 0; return (ol | sl) >>> 0;
    case AOp.Smax: takeOld = (oh | 0) > (sh | 0) || (oh === sh && ol >= sl); break;
    case AOp.Smin: takeOld = (oh | 0) < (sh | 0) || (oh === sh && ol <= sl); break;
    case AOp.Umax: takeOld = oh > sh || (oh === sh && ol >= sl); break;
    case AOp.Umin: takeOld = oh < sh || (oh === sh && ol <= sl); break;
    default: takeOld = false;
  }
  if (takeOld) { RES.hi = oh; return ol; }
  RES.hi = sh;
  return sl;
}

/**
 * LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN/SWP (all A/R variants; Rt = 31 gives the
 * ST* aliases): Rt := [Xn]; [Xn] := [Xn] op Rs. The register operand is read before Rt is written
 * (Rs == Rt is fine). Natural alignment required; the access is permission-checked as a write.
 */
function atomicOp(op: AOp, size: number, n2: number, s2: number, t2: number): Exec {
  if (size === 8) {
    return (pe: PE) => {
      if (!pe.features.lse) return pe.undefinedInstruction();
      const lo = pe.x[n2], hi = pe.x[n2 + 1], sl = pe.x[s2], sh = pe.x[s2 + 1];
      const pa = translateRmw(pe, lo, hi, 8);
      const ol = physRead64(pe, pa, lo, hi), oh = EA.physHi;
      const nl = alu64(op, ol, oh, sl, sh);
      physWrite64(pe, pa, nl, RES.hi, lo, hi);
      pe.x[t2] = ol; pe.x[t2 + 1] = oh;
      return Flow.Next;
    };
  }
  const mask = sizeMask(size), shl = 32 - 8 * size;
  return (pe: PE) => {
    if (!pe.features.lse) return pe.undefinedInstruction();
    const lo = pe.x[n2], hi = pe.x[n2 + 1], s = (pe.x[s2] & mask) >>> 0;
    const pa = translateRmw(pe, lo, hi, size);
    const o = physRead(pe, pa, size, lo, hi);
    physWrite(pe, pa, size, (aluN(op, o, s, shl) & mask) >>> 0, lo, hi);
    pe.x[t2] = o; pe.x[t2 + 1] = 0;
    return Flow.Next;
  };
}

/**
 * Atomic memory operations: size 111 V 00 A R 1 Rs o3 opc 00 Rn Rt. o3:opc 0000..0111 the LD<op>
 * family, 1000 SWP (FEAT_LSE); 1100 with A=1 R=0 Rs=11111 is LDAPR (FEAT_LRCPC, detected from
 * ID_AA64ISAR1_EL1.LRCPC so the instruction exists exactly when the ID register says so).
 */
function atomicMemDecode(w: number): Exec | undefined {
  const log = w >>> 30, size = 1 << log, V = (w >>> 26) & 1, A = (w >>> 23) & 1, R = (w >>> 22) & 1;
  const Rs = (w >>> 16) & 31, o3opc = (w >>> 12) & 15, Rn = (w >>> 5) & 31, Rt = w & 31;
  if (V) return undefined;
  const n2 = src(Rn, true) * 2;
  if (o3opc === 12) {
    if (Rs !== 31 || A !== 1 || R !== 0) return undefined;
    const isar1 = requiredSlot('ID_AA64ISAR1_EL1') * 2;
    const ld = loadAcquire(log, n2, Rt);
    return (pe: PE) => (((pe.sys[isar1] >>> 20) & 0xf) === 0 ? pe.undefinedInstruction() : ld(pe));
  }
  if (o3opc > 8) return undefined;
  return atomicOp(o3opc as AOp, size, n2, src(Rs, false) * 2, dst(Rt, false) * 2);
}

export const LDST_EXCL: Encoding[] = [
  { name: 'Load/store exclusive register', mask: 0x3fa00000, value: 0x08000000, decode: ldstExclusiveRegDecode },
  { name: 'Load/store exclusive pair', mask: 0xbfa00000, value: 0x88200000, decode: ldstExclusivePairDecode },
  { name: 'Compare and swap pair', mask: 0xbfa00000, value: 0x08200000, decode: caspDecode },
  { name: 'Load/store ordered', mask: 0x3fa00000, value: 0x08800000, decode: ldstOrderedDecode },
  { name: 'Compare and swap', mask: 0x3fa00000, value: 0x08a00000, decode: casDecode },
  { name: 'Atomic memory operations', mask: 0x3b200c00, value: 0x38200000, decode: atomicMemDecode },
  // FEAT_LRCPC2 is not implemented: LDAPUR*/STLUR* are unallocated.
  { name: 'LDAPR/STLR (unscaled immediate)', mask: 0x3f200c00, value: 0x19000000, decode: () => undefined },
];
