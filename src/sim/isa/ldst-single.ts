// Single-register loads and stores, general-purpose and SIMD&FP: the "Load/store register"
// encoding classes of DDI0487 C4.1.88 (unsigned immediate, unscaled immediate, immediate
// post-/pre-indexed, unprivileged, register offset) and "Load register (literal)", with PRFM.
//
// Decoding turns (size, V, opc) into a transfer record (Xfer) and the addressing form into a
// closure specialised for both: one function literal per (addressing mode, transfer kind).
//
// Notes shared by all forms (DDI0487 C6.2 shared pseudocode):
// - Rn = 31 is SP. The SP alignment check (SCTLR_ELx.SA) is not implemented: it is off by
//   default and QEMU's gen_check_sp_alignment() is a no-op too.
// - Order of effects: address, access (may throw EXCEPTION_TAKEN), then the register writes
//   (destination, then base writeback), so a faulting access leaves the registers unchanged.
// - Writeback with Rn == Rt (Rn != 31) is CONSTRAINED UNPREDICTABLE (C6.2 LDR/STR (immediate),
//   "CONSTRAINED UNPREDICTABLE behavior"): we choose what QEMU does — a load writes Rt and then
//   the base, so the written-back address wins; a store stores the value Rt had before the
//   writeback.
// - Tagged addresses (TBI) and the SP alignment check belong to the MMU/PE, not here.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { dst, sext, src } from './common';
import {
  EA, addOff, addRegW, addRegX, issSingle, ld64, ldD, ldN, ldQ, ldV, st64, stD, stN, stQ, stV,
} from './ldst-common';

/** How a value moves between a register and memory. */
export const enum Kind { LdN, Ld64, StN, St64, LdV, LdD, LdQ, StV, StD, StQ, Prfm }

/** Decoded transfer: everything the closure needs, fixed at decode time. */
export interface Xfer {
  kind: Kind;
  /** Access size in bytes (1, 2, 4, 8, 16) and its log2 (the LSL of scaled offsets). */
  size: number;
  log: number;
  /** Sign extension (see ldN) and store mask (see stN/stV). */
  shl: number;
  hiMask: number;
  mask: number;
  /** ISS instruction part (0 when ISV=0). */
  iss: number;
  /** Register slot: 2*slot of X[t] (31 = XZR/sink), or 4*t for V[t]. */
  r: number;
}

const PRFM_XFER: Xfer = { kind: Kind.Prfm, size: 8, log: 3, shl: 0, hiMask: 0, mask: 0, iss: 0, r: 0 };

/**
 * General-purpose transfer for `size` (log2 bytes) and `opc` (00 STR, 01 LDR, 10 LDRS* to X,
 * 11 LDRS* to W). size=11 opc=10 is PRFM; opc=11 with size >= 10 is unallocated.
 * `issValid`: the form has no writeback (ISV may be set, DDI0487 D17.2.37 ISV).
 */
export function gprXfer(size: number, opc: number, rt: number, issValid: boolean): Xfer | undefined {
  if (size === 3 && opc === 2) return PRFM_XFER;
  if (opc === 3 && size >= 2) return undefined;
  const bytes = 1 << size;
  const iss = issValid ? issSingle(size, opc, rt) : 0;
  const base = { size: bytes, log: size, shl: 0, hiMask: 0, mask: bytes >= 4 ? 0xffffffff : (1 << (8 * bytes)) - 1, iss };
  if (opc === 0) return { ...base, kind: size === 3 ? Kind.St64 : Kind.StN, r: src(rt, false) * 2 };
  const r = dst(rt, false) * 2;
  if (size === 3) return { ...base, kind: Kind.Ld64, r };
  if (opc === 1) return { ...base, kind: Kind.LdN, r };
  // Signed: opc=10 extends to 64 bits, opc=11 to 32 bits.
  return { ...base, kind: Kind.LdN, shl: 32 - 8 * bytes, hiMask: opc === 2 ? -1 : 0, r };
}

/**
 * SIMD&FP transfer: the access size is opc<1>:size (000 B, 001 H, 010 S, 011 D, 100 Q; above
 * 100 unallocated), opc<0> = 1 for loads. ISS is 0: ISV=0 for SIMD&FP (QEMU sets none either).
 */
export function fpXfer(size: number, opc: number, rt: number): Xfer | undefined {
  const log = size | ((opc & 2) << 1);
  if (log > 4) return undefined;
  const load = (opc & 1) === 1;
  const bytes = 1 << log;
  let kind: Kind;
  if (log <= 2) kind = load ? Kind.LdV : Kind.StV;
  else if (log === 3) kind = load ? Kind.LdD : Kind.StD;
  else kind = load ? Kind.LdQ : Kind.StQ;
  return { kind, size: bytes, log, shl: 0, hiMask: 0, mask: bytes >= 4 ? 0xffffffff : (1 << (8 * bytes)) - 1, iss: 0, r: rt * 4 };
}

const NOP: Exec = () => Flow.Next;

/** True for the SIMD&FP kinds (their closures start with the FP access check). */
function isFp(k: Kind): boolean { return k >= Kind.LdV && k <= Kind.StQ; }

/**
 * Generic transfer, for the rare forms (literal, unprivileged) where one switch per execution
 * costs nothing that matters. The hot forms below use specialised literals instead.
 */
function xfer(pe: PE, lo: number, hi: number, x: Xfer): void {
  switch (x.kind) {
    case Kind.LdN: ldN(pe, lo, hi, x.size, x.shl, x.hiMask, x.iss, x.r); break;
    case Kind.Ld64: ld64(pe, lo, hi, x.iss, x.r); break;
    case Kind.StN: stN(pe, lo, hi, x.size, x.mask, x.iss, x.r); break;
    case Kind.St64: st64(pe, lo, hi, x.iss, x.r); break;
    case Kind.LdV: ldV(pe, lo, hi, x.size, x.r); break;
    case Kind.LdD: ldD(pe, lo, hi, x.r); break;
    case Kind.LdQ: ldQ(pe, lo, hi, x.r); break;
    case Kind.StV: stV(pe, lo, hi, x.size, x.mask, x.r); break;
    case Kind.StD: stD(pe, lo, hi, x.r); break;
    case Kind.StQ: stQ(pe, lo, hi, x.r); break;
    default: break;
  }
}

// ---------------------------------------------------------------- addressing modes
// n2 = 2 * slot of the base (32 for SP). Each mode returns one literal per transfer kind.

/** [Xn|SP, #off] — unsigned offset, unscaled (LDUR/STUR). */
function modeOffset(x: Xfer, n2: number, off: number): Exec {
  const { size, shl, hiMask, mask, iss, r } = x;
  switch (x.kind) {
    case Kind.LdN: return (pe: PE) => { ldN(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, size, shl, hiMask, iss, r); return Flow.Next; };
    case Kind.Ld64: return (pe: PE) => { ld64(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, iss, r); return Flow.Next; };
    case Kind.StN: return (pe: PE) => { stN(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, size, mask, iss, r); return Flow.Next; };
    case Kind.St64: return (pe: PE) => { st64(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, iss, r); return Flow.Next; };
    case Kind.LdV: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldV(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, size, r); return Flow.Next; };
    case Kind.LdD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldD(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, r); return Flow.Next; };
    case Kind.LdQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldQ(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, r); return Flow.Next; };
    case Kind.StV: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stV(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, size, mask, r); return Flow.Next; };
    case Kind.StD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stD(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, r); return Flow.Next; };
    case Kind.StQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stQ(pe, addOff(pe.x[n2], pe.x[n2 + 1], off), EA.hi, r); return Flow.Next; };
    default: return NOP;
  }
}

/** [Xn|SP, #off]! — pre-index: access at base+off, then base := base+off. */
function modePre(x: Xfer, n2: number, off: number): Exec {
  const { size, shl, hiMask, mask, iss, r } = x;
  switch (x.kind) {
    case Kind.LdN: return (pe: PE) => { const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; ldN(pe, lo, hi, size, shl, hiMask, iss, r); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Kind.Ld64: return (pe: PE) => { const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; ld64(pe, lo, hi, iss, r); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Kind.StN: return (pe: PE) => { const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; stN(pe, lo, hi, size, mask, iss, r); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Kind.St64: return (pe: PE) => { const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; st64(pe, lo, hi, iss, r); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Kind.LdV: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; ldV(pe, lo, hi, size, r); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Kind.LdD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; ldD(pe, lo, hi, r); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Kind.LdQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; ldQ(pe, lo, hi, r); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Kind.StV: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; stV(pe, lo, hi, size, mask, r); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Kind.StD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; stD(pe, lo, hi, r); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    case Kind.StQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi; stQ(pe, lo, hi, r); pe.x[n2] = lo; pe.x[n2 + 1] = hi; return Flow.Next; };
    default: return NOP;
  }
}

/**
 * [Xn|SP], #off — post-index: access at base, then base := base+off. The new base is computed
 * from the base read before the access (a load into Rn == Rt is overwritten by it, as QEMU).
 */
function modePost(x: Xfer, n2: number, off: number): Exec {
  const { size, shl, hiMask, mask, iss, r } = x;
  switch (x.kind) {
    case Kind.LdN: return (pe: PE) => { const lo = pe.x[n2], hi = pe.x[n2 + 1]; ldN(pe, lo, hi, size, shl, hiMask, iss, r); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Kind.Ld64: return (pe: PE) => { const lo = pe.x[n2], hi = pe.x[n2 + 1]; ld64(pe, lo, hi, iss, r); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Kind.StN: return (pe: PE) => { const lo = pe.x[n2], hi = pe.x[n2 + 1]; stN(pe, lo, hi, size, mask, iss, r); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Kind.St64: return (pe: PE) => { const lo = pe.x[n2], hi = pe.x[n2 + 1]; st64(pe, lo, hi, iss, r); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Kind.LdV: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; ldV(pe, lo, hi, size, r); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Kind.LdD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; ldD(pe, lo, hi, r); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Kind.LdQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; ldQ(pe, lo, hi, r); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Kind.StV: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; stV(pe, lo, hi, size, mask, r); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Kind.StD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; stD(pe, lo, hi, r); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    case Kind.StQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; const lo = pe.x[n2], hi = pe.x[n2 + 1]; stQ(pe, lo, hi, r); pe.x[n2] = addOff(lo, hi, off); pe.x[n2 + 1] = EA.hi; return Flow.Next; };
    default: return NOP;
  }
}

/** [Xn|SP, Wm, UXTW|SXTW #s]: sx = 1 for SXTW; scale = 2^s. */
function modeRegW(x: Xfer, n2: number, m2: number, sx: number, scale: number): Exec {
  const { size, shl, hiMask, mask, iss, r } = x;
  switch (x.kind) {
    case Kind.LdN: return (pe: PE) => { ldN(pe, addRegW(pe.x[n2], pe.x[n2 + 1], pe.x[m2], sx, scale), EA.hi, size, shl, hiMask, iss, r); return Flow.Next; };
    case Kind.Ld64: return (pe: PE) => { ld64(pe, addRegW(pe.x[n2], pe.x[n2 + 1], pe.x[m2], sx, scale), EA.hi, iss, r); return Flow.Next; };
    case Kind.StN: return (pe: PE) => { stN(pe, addRegW(pe.x[n2], pe.x[n2 + 1], pe.x[m2], sx, scale), EA.hi, size, mask, iss, r); return Flow.Next; };
    case Kind.St64: return (pe: PE) => { st64(pe, addRegW(pe.x[n2], pe.x[n2 + 1], pe.x[m2], sx, scale), EA.hi, iss, r); return Flow.Next; };
    case Kind.LdV: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldV(pe, addRegW(pe.x[n2], pe.x[n2 + 1], pe.x[m2], sx, scale), EA.hi, size, r); return Flow.Next; };
    case Kind.LdD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldD(pe, addRegW(pe.x[n2], pe.x[n2 + 1], pe.x[m2], sx, scale), EA.hi, r); return Flow.Next; };
    case Kind.LdQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldQ(pe, addRegW(pe.x[n2], pe.x[n2 + 1], pe.x[m2], sx, scale), EA.hi, r); return Flow.Next; };
    case Kind.StV: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stV(pe, addRegW(pe.x[n2], pe.x[n2 + 1], pe.x[m2], sx, scale), EA.hi, size, mask, r); return Flow.Next; };
    case Kind.StD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stD(pe, addRegW(pe.x[n2], pe.x[n2 + 1], pe.x[m2], sx, scale), EA.hi, r); return Flow.Next; };
    case Kind.StQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stQ(pe, addRegW(pe.x[n2], pe.x[n2 + 1], pe.x[m2], sx, scale), EA.hi, r); return Flow.Next; };
    default: return NOP;
  }
}

/** [Xn|SP, Xm{, LSL|SXTX #s}]: scale = 2^s. */
function modeRegX(x: Xfer, n2: number, m2: number, shift: number, scale: number): Exec {
  const { size, shl, hiMask, mask, iss, r } = x;
  switch (x.kind) {
    case Kind.LdN: return (pe: PE) => { ldN(pe, addRegX(pe.x[n2], pe.x[n2 + 1], pe.x[m2], pe.x[m2 + 1], shift, scale), EA.hi, size, shl, hiMask, iss, r); return Flow.Next; };
    case Kind.Ld64: return (pe: PE) => { ld64(pe, addRegX(pe.x[n2], pe.x[n2 + 1], pe.x[m2], pe.x[m2 + 1], shift, scale), EA.hi, iss, r); return Flow.Next; };
    case Kind.StN: return (pe: PE) => { stN(pe, addRegX(pe.x[n2], pe.x[n2 + 1], pe.x[m2], pe.x[m2 + 1], shift, scale), EA.hi, size, mask, iss, r); return Flow.Next; };
    case Kind.St64: return (pe: PE) => { st64(pe, addRegX(pe.x[n2], pe.x[n2 + 1], pe.x[m2], pe.x[m2 + 1], shift, scale), EA.hi, iss, r); return Flow.Next; };
    case Kind.LdV: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldV(pe, addRegX(pe.x[n2], pe.x[n2 + 1], pe.x[m2], pe.x[m2 + 1], shift, scale), EA.hi, size, r); return Flow.Next; };
    case Kind.LdD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldD(pe, addRegX(pe.x[n2], pe.x[n2 + 1], pe.x[m2], pe.x[m2 + 1], shift, scale), EA.hi, r); return Flow.Next; };
    case Kind.LdQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; ldQ(pe, addRegX(pe.x[n2], pe.x[n2 + 1], pe.x[m2], pe.x[m2 + 1], shift, scale), EA.hi, r); return Flow.Next; };
    case Kind.StV: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stV(pe, addRegX(pe.x[n2], pe.x[n2 + 1], pe.x[m2], pe.x[m2 + 1], shift, scale), EA.hi, size, mask, r); return Flow.Next; };
    case Kind.StD: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stD(pe, addRegX(pe.x[n2], pe.x[n2 + 1], pe.x[m2], pe.x[m2 + 1], shift, scale), EA.hi, r); return Flow.Next; };
    case Kind.StQ: return (pe: PE) => { if (pe.fpTrapped()) return Flow.Stop; stQ(pe, addRegX(pe.x[n2], pe.x[n2 + 1], pe.x[m2], pe.x[m2 + 1], shift, scale), EA.hi, r); return Flow.Next; };
    default: return NOP;
  }
}

/**
 * True when LDTR/STTR use EL0 permissions (AccType_UNPRIV): at EL1 (no FEAT_NV here), and at
 * EL2 with HCR_EL2.{E2H,TGE} = {1,1} (the EL2&0 regime). Elsewhere (EL0, EL2 without both
 * bits) they are normal accesses. DDI0487 C6.2 LDTR, "unpriv_at_el1"/"unpriv_at_el2".
 */
export function unprivileged(pe: PE): boolean {
  return pe.el === 1 || (pe.el === 2 && pe.e2h() && pe.tge());
}

/**
 * [Xn|SP, #simm9] unprivileged (LDTR*, STTR*). The EL0 intent is passed to the MMU in
 * pe.unprivAccess for the duration of the access; with stage 1 off it changes nothing.
 */
function modeUnpriv(x: Xfer, n2: number, off: number): Exec {
  return (pe: PE) => {
    const lo = addOff(pe.x[n2], pe.x[n2 + 1], off), hi = EA.hi;
    pe.unprivAccess = unprivileged(pe);
    try { xfer(pe, lo, hi, x); } finally { pe.unprivAccess = false; }
    return Flow.Next;
  };
}

// ---------------------------------------------------------------- encoding classes

/** Load/store register (unsigned immediate): size 111 V 01 opc imm12 Rn Rt. C6.2 LDR/STR (immediate), unsigned offset. */
function ldstRegUnsignedImmDecode(w: number): Exec | undefined {
  const size = w >>> 30, V = (w >>> 26) & 1, opc = (w >>> 22) & 3, imm12 = (w >>> 10) & 0xfff, Rn = (w >>> 5) & 31, Rt = w & 31;
  const x = V ? fpXfer(size, opc, Rt) : gprXfer(size, opc, Rt, true);
  if (x === undefined) return undefined;
  if (x.kind === Kind.Prfm) return NOP;   // PRFM (immediate): a hint, never faults
  return modeOffset(x, src(Rn, true) * 2, imm12 * x.size);
}

/**
 * Load/store register (unscaled immediate / immediate post-indexed / unprivileged / immediate
 * pre-indexed): size 111 V 00 opc 0 imm9 idx Rn Rt, idx = 00 / 01 / 10 / 11.
 */
function ldstRegImm9Decode(w: number): Exec | undefined {
  const size = w >>> 30, V = (w >>> 26) & 1, opc = (w >>> 22) & 3, Rn = (w >>> 5) & 31, Rt = w & 31;
  const imm9 = sext((w >>> 12) & 0x1ff, 9), idx = (w >>> 10) & 3;
  const writeback = idx === 1 || idx === 3;
  let x: Xfer | undefined;
  if (V) {
    if (idx === 2) return undefined;      // no unprivileged SIMD&FP forms
    x = fpXfer(size, opc, Rt);
  } else {
    x = gprXfer(size, opc, Rt, !writeback);
  }
  if (x === undefined) return undefined;
  if (x.kind === Kind.Prfm) return idx === 0 ? NOP : undefined;   // PRFUM only; other idx unallocated
  const n2 = src(Rn, true) * 2;
  switch (idx) {
    case 0: return modeOffset(x, n2, imm9);
    case 1: return modePost(x, n2, imm9);
    case 2: return modeUnpriv(x, n2, imm9);
    default: return modePre(x, n2, imm9);
  }
}

/**
 * Load/store register (register offset): size 111 V 00 opc 1 Rm option S 10 Rn Rt.
 * option<1> = 0 is unallocated; 010 UXTW, 110 SXTW, 011 LSL/UXTX, 111 SXTX; S scales by the size.
 */
function ldstRegRegOffsetDecode(w: number): Exec | undefined {
  const size = w >>> 30, V = (w >>> 26) & 1, opc = (w >>> 22) & 3, Rm = (w >>> 16) & 31, option = (w >>> 13) & 7, S = (w >>> 12) & 1;
  const Rn = (w >>> 5) & 31, Rt = w & 31;
  if ((option & 2) === 0) return undefined;
  const x = V ? fpXfer(size, opc, Rt) : gprXfer(size, opc, Rt, true);
  if (x === undefined) return undefined;
  if (x.kind === Kind.Prfm) return NOP;   // PRFM (register)
  const shift = S ? x.log : 0;
  const n2 = src(Rn, true) * 2, m2 = src(Rm, false) * 2;
  if (option & 1) return modeRegX(x, n2, m2, shift, 1 << shift);
  return modeRegW(x, n2, m2, (option >>> 2) & 1, 1 << shift);
}

/**
 * Load register (literal): opc 011 V 00 imm19 Rt. GPR opc: 00 LDR Wt, 01 LDR Xt, 10 LDRSW,
 * 11 PRFM; SIMD&FP opc: 00 S, 01 D, 10 Q, 11 unallocated. Address = PC + imm19*4.
 */
function ldLiteralDecode(w: number): Exec | undefined {
  const opc = w >>> 30, V = (w >>> 26) & 1, Rt = w & 31;
  const off = sext((w >>> 5) & 0x7ffff, 19) * 4;
  let x: Xfer | undefined;
  if (V) {
    if (opc === 3) return undefined;
    // As (size, opc) of the register classes: S = (10, 01), D = (11, 01), Q = (00, 11).
    x = opc === 2 ? fpXfer(0, 3, Rt) : fpXfer(2 + opc, 1, Rt);
  } else {
    if (opc === 3) return NOP;            // PRFM (literal)
    // LDR W: size 10 opc 01; LDR X: size 11 opc 01; LDRSW: size 10 opc 10.
    x = gprXfer(opc === 1 ? 3 : 2, opc === 2 ? 2 : 1, Rt, true);
  }
  const xf = x!;
  if (isFp(xf.kind)) {
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      xfer(pe, addOff(pe.pcLo, pe.pcHi, off), EA.hi, xf);
      return Flow.Next;
    };
  }
  return (pe: PE) => { xfer(pe, addOff(pe.pcLo, pe.pcHi, off), EA.hi, xf); return Flow.Next; };
}

export const LDST_SINGLE: Encoding[] = [
  { name: 'Load register (literal)', mask: 0x3b000000, value: 0x18000000, decode: ldLiteralDecode },
  { name: 'Load/store register (unsigned immediate)', mask: 0x3b000000, value: 0x39000000, decode: ldstRegUnsignedImmDecode },
  { name: 'Load/store register (unscaled immediate)', mask: 0x3b200c00, value: 0x38000000, decode: ldstRegImm9Decode },
  { name: 'Load/store register (immediate post-indexed)', mask: 0x3b200c00, value: 0x38000400, decode: ldstRegImm9Decode },
  { name: 'Load/store register (unprivileged)', mask: 0x3b200c00, value: 0x38000800, decode: ldstRegImm9Decode },
  { name: 'Load/store register (immediate pre-indexed)', mask: 0x3b200c00, value: 0x38000c00, decode: ldstRegImm9Decode },
  { name: 'Load/store register (register offset)', mask: 0x3b200c00, value: 0x38200800, decode: ldstRegRegOffsetDecode },
  // FEAT_PAuth is not implemented: LDRAA/LDRAB are unallocated.
  { name: 'Load/store register (pac)', mask: 0x3b200400, value: 0x38200400, decode: () => undefined },
];
