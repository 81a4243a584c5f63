// Load/store pairs: LDP/STP/LDPSW/LDNP/STNP for W/X and SIMD&FP S/D/Q, in the "Load/store
// register pair" (offset, pre-indexed, post-indexed) and "Load/store no-allocate pair
// (offset)" classes: opc 101 V 0 idx L imm7 Rt2 Rn Rt (DDI0487 C4.1.88, C6.2 LDP/STP).
//
// - Non-temporal hints (LDNP/STNP) mean nothing to a simulator without caches: they execute
//   as the offset form. There is no LDNPSW (opc=01, idx=00, L=1 unallocated), and opc=01 with
//   L=0 is STGP (FEAT_MTE, not implemented), opc=11 is unallocated.
// - ISV=0 for pairs: no syndrome instruction part (ISS 0).
// - Both accesses complete before any register is written, so a fault on the second leaves
//   the registers unchanged (memory may hold the first store: pairs are not single-copy atomic).
// - LDP with Rt == Rt2 is CONSTRAINED UNPREDICTABLE (C6.2 LDP, "the value loaded is UNKNOWN"):
//   we choose QEMU 7.2's result, which writes Rt2 and then Rt, so Rt's value (the lower address)
//   is kept. Writeback with Rn == Rt or Rn == Rt2 (Rn != 31): we choose QEMU's, the base
//   writeback is done last and wins for loads; stores store the register values before it.
// - Rn = 31 is SP; the SP alignment check (SCTLR_ELx.SA) is not implemented (off by default).
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { dst, sext, src } from './common';
import { EA, addOff } from './ldst-common';

const enum Pair { LdW, LdX, StW, StX, LdS, LdD, LdQ, StS, StD, StQ }

// Pair transfers at (lo, hi); the second element is at +size. t2/u2 = 2*slot of Rt/Rt2 (GPR),
// t4/u4 = 4*Rt/4*Rt2 (SIMD&FP). hiMask = -1 sign-extends words to 64 bits (LDPSW).

function ldpW(pe: PE, lo: number, hi: number, hiMask: number, t2: number, u2: number): void {
  const a = pe.read(lo, hi, 4, 0) | 0;
  const b = pe.read(addOff(lo, hi, 4), EA.hi, 4, 0) | 0;
  pe.x[u2] = b; pe.x[u2 + 1] = (b >> 31) & hiMask;
  pe.x[t2] = a; pe.x[t2 + 1] = (a >> 31) & hiMask;
}

function ldpX(pe: PE, lo: number, hi: number, t2: number, u2: number): void {
  const al = pe.read64(lo, hi, 0), ah = pe.rhi;
  const bl = pe.read64(addOff(lo, hi, 8), EA.hi, 0), bh = pe.rhi;
  pe.x[u2] = bl; pe.x[u2 + 1] = bh;
  pe.x[t2] = al; pe.x[t2 + 1] = ah;
}

function stpW(pe: PE, lo: number, hi: number, t2: number, u2: number): void {
  const a = pe.x[t2], b = pe.x[u2];
  pe.write(lo, hi, 4, a, 0);
  pe.write(addOff(lo, hi, 4), EA.hi, 4, b, 0);
}

function stpX(pe: PE, lo: number, hi: number, t2: number, u2: number): void {
  const al = pe.x[t2], ah = pe.x[t2 + 1], bl = pe.x[u2], bh = pe.x[u2 + 1];
  pe.write64(lo, hi, al, ah, 0);
  pe.write64(addOff(lo, hi, 8), EA.hi, bl, bh, 0);
}

function ldpS(pe: PE, lo: number, hi: number, t4: number, u4: number): void {
  const a = pe.read(lo, hi, 4, 0);
  const b = pe.read(addOff(lo, hi, 4), EA.hi, 4, 0);
  const v = pe.v;
  v[u4] = b; v[u4 + 1] = 0; v[u4 + 2] = 0; v[u4 + 3] = 0;
  v[t4] = a; v[t4 + 1] = 0; v[t4 + 2] = 0; v[t4 + 3] = 0;
}

function ldpD(pe: PE, lo: number, hi: number, t4: number, u4: number): void {
  const al = pe.read64(lo, hi, 0), ah = pe.rhi;
  const bl = pe.read64(addOff(lo, hi, 8), EA.hi, 0), bh = pe.rhi;
  const v = pe.v;
  v[u4] = bl; v[u4 + 1] = bh; v[u4 + 2] = 0; v[u4 + 3] = 0;
  v[t4] = al; v[t4 + 1] = ah; v[t4 + 2] = 0; v[t4 + 3] = 0;
}

function ldpQ(pe: PE, lo: number, hi: number, t4: number, u4: number): void {
  const a0 = pe.read64(lo, hi, 0), a1 = pe.rhi;
  const l8 = addOff(lo, hi, 8), h8 = EA.hi;
  const a2 = pe.read64(l8, h8, 0), a3 = pe.rhi;
  const l16 = addOff(lo, hi, 16), h16 = EA.hi;
  const b0 = pe.read64(l16, h16, 0), b1 = pe.rhi;
  const b2 = pe.read64(addOff(lo, hi, 24), EA.hi, 0), b3 = pe.rhi;
  const v = pe.v;
  v[u4] = b0; v[u4 + 1] = b1; v[u4 + 2] = b2; v[u4 + 3] = b3;
  v[t4] = a0; v[t4 + 1] = a1; v[t4 + 2] = a2; v[t4 + 3] = a3;
}

function stpS(pe: PE, lo: number, hi: number, t4: number, u4: number): void {
  const a = pe.v[t4], b = pe.v[u4];
  pe.write(lo, hi, 4, a, 0);
  pe.write(addOff(lo, hi, 4), EA.hi, 4, b, 0);
}

function stpD(pe: PE, lo: number, hi: number, t4: number, u4: number): void {
  const v = pe.v;
  pe.write64(lo, hi, v[t4], v[t4 + 1], 0);
  pe.write64(addOff(lo, hi, 8), EA.hi, v[u4], v[u4 + 1], 0);
}

function stpQ(pe: PE, lo: number, hi: number, t4: number, u4: number): void {
  const v = pe.v;
  pe.write64(lo, hi, v[t4], v[t4 + 1], 0);
  pe.write64(addOff(lo, hi, 8), EA.hi, v[t4 + 2], v[t4 + 3], 0);
  pe.write64(addOff(lo, hi, 16), EA.hi, v[u4], v[u4 + 1], 0);
  pe.write64(addOff(lo, hi, 24), EA.hi, v[u4 + 2], v[u4 + 3], 0);
}

/** Signed offset (idx 10, and 00 = no-allocate): access at base+off, no writeback. */
function pairOffset(k: Pair, n2: number, off: number, t: number, u: number, hiMask: number): Exec {
  switch (k) {
    case Pair.LdW: return (pe: PE) => { ldpW(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, hiMask, t, u); return Flow.Next; };
    case Pair.LdX: return (pe: PE) => { ldpX(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, t, u); return Flow.Next; };
    case Pair.StW: return (pe: PE) => { stpW(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, t, u); return Flow.Next; };
    case Pair.StX: return (pe: PE) => { stpX(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, t, u); return Flow.Next; };
    case Pair.LdS: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldpS(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, t, u); return Flow.Next; };
    case Pair.LdD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldpD(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, t, u); return Flow.Next; };
    case Pair.LdQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldpQ(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, t, u); return Flow.Next; };
    case Pair.StS: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stpS(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, t, u); return Flow.Next; };
    case Pair.StD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stpD(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, t, u); return Flow.Next; };
    default: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stpQ(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, t, u); return Flow.Next; };
  }
}

/** Pre-index (idx 11): access at base+off, then base := base+off. */
function pairPre(k: Pair, n2: number, off: number, t: number, u: number, hiMask: number): Exec {
  switch (k) {
    case Pair.LdW: return (pe: PE) => { const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; ldpW(pe, lo, hi, hiMask, t, u); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Pair.LdX: return (pe: PE) => { const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; ldpX(pe, lo, hi, t, u); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Pair.StW: return (pe: PE) => { const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; stpW(pe, lo, hi, t, u); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Pair.StX: return (pe: PE) => { const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; stpX(pe, lo, hi, t, u); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Pair.LdS: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; ldpS(pe, lo, hi, t, u); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Pair.LdD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; ldpD(pe, lo, hi, t, u); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Pair.LdQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; ldpQ(pe, lo, hi, t, u); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Pair.StS: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; stpS(pe, lo, hi, t, u); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Pair.StD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; stpD(pe, lo, hi, t, u); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    default: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; stpQ(pe, lo, hi, t, u); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
  }
}

/** Post-index (idx 01): access at base, then base := base+off (from the base read before). */
function pairPost(k: Pair, n2: number, off: number, t: number, u: number, hiMask: number): Exec {
  switch (k) {
    case Pair.LdW: return (pe: PE) => { const lo = pe.x[n2], hi = pe.x[n2 + 1]; ldpW(pe, lo, hi, hiMask, t, u); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Pair.LdX: return (pe: PE) => { const lo = pe.x[n2], hi = pe.x[n2 + 1]; ldpX(pe, lo, hi, t, u); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Pair.StW: return (pe: PE) => { const lo = pe.x[n2], hi = pe.x[n2 + 1]; stpW(pe, lo, hi, t, u); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Pair.StX: return (pe: PE) => { const lo = pe.x[n2], hi = pe.x[n2 + 1]; stpX(pe, lo, hi, t, u); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Pair.LdS: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; ldpS(pe, lo, hi, t, u); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Pair.LdD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; ldpD(pe, lo, hi, t, u); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Pair.LdQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; ldpQ(pe, lo, hi, t, u); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Pair.StS: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; stpS(pe, lo, hi, t, u); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Pair.StD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; stpD(pe, lo, hi, t, u); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    default: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; stpQ(pe, lo, hi, t, u); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
  }
}

/** All four pair classes: opc 101 V 0 idx L imm7 Rt2 Rn Rt; idx 00 no-allocate, 01 post, 10 offset, 11 pre. */
function ldstPairDecode(w: number): Exec | undefined {
  const opc = w >>> 30, V = (w >>> 26) & 1, idx = (w >>> 23) & 3, L = (w >>> 22) & 1;
  const imm7 = sext((w >>> 15) & 0x7f, 7), Rt2 = (w >>> 10) & 31, Rn = (w >>> 5) & 31, Rt = w & 31;
  if (opc === 3) return undefined;
  let k: Pair, log: number, hiMask = 0, t: number, u: number;
  if (V) {
    log = 2 + opc;                                  // 00 S, 01 D, 10 Q
    k = L ? [Pair.LdS, Pair.LdD, Pair.LdQ][opc] : [Pair.StS, Pair.StD, Pair.StQ][opc];
    t = Rt * 4; u = Rt2 * 4;
  } else {
    if (opc === 1 && (L === 0 || idx === 0)) return undefined;  // STGP (FEAT_MTE) / no LDNPSW
    log = opc === 2 ? 3 : 2;
    if (opc === 1) hiMask = -1;                     // LDPSW
    if (L) { k = log === 3 ? Pair.LdX : Pair.LdW; t = dst(Rt, false) * 2; u = dst(Rt2, false) * 2; }
    else { k = log === 3 ? Pair.StX : Pair.StW; t = src(Rt, false) * 2; u = src(Rt2, false) * 2; }
  }
  const off = imm7 * (1 << log);
  const n2 = src(Rn, true) * 2;
  if (idx === 1) return pairPost(k, n2, off, t, u, hiMask);
  if (idx === 3) return pairPre(k, n2, off, t, u, hiMask);
  return pairOffset(k, n2, off, t, u, hiMask);
}

export const LDST_PAIR: Encoding[] = [
  { name: 'Load/store no-allocate pair (offset)', mask: 0x3b800000, value: 0x28000000, decode: ldstPairDecode },
  { name: 'Load/store register pair (post-indexed)', mask: 0x3b800000, value: 0x28800000, decode: ldstPairDecode },
  { name: 'Load/store register pair (offset)', mask: 0x3b800000, value: 0x29000000, decode: ldstPairDecode },
  { name: 'Load/store register pair (pre-indexed)', mask: 0x3b800000, value: 0x29800000, decode: ldstPairDecode },
];
