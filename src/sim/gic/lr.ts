// The GIC virtual CPU interface shared by GICv2 (GICH/GICV, IHI 0048B ch. 5) and GICv3
// (ICH_*/ICV_*, IHI 0069 ch. 6 and 12.5): list registers, the virtual machine control
// register, active priorities, maintenance interrupt status and the ICV/GICV operations
// (acknowledge, EOI, deactivate). The pseudocode functions named in comments are IHI 0069's.
//
// One representation for both versions: list registers are kept in the GICv3 ICH_LR<n>_EL2
// layout as two 32-bit halves; the GICv2 GICH_LR<n> view converts at the MMIO boundary
// (toV2Lr/fromV2Lr). GICH_HCR/ICH_HCR_EL2, GICH_VMCR/ICH_VMCR_EL2 and GICH_MISR/ICH_MISR_EL2
// share their bit layouts, so they are stored once.
//
// Priorities: 5 bits of virtual priority and 5 of preemption (ICH_VTR_EL2.PRIbits/PREbits = 4,
// as QEMU's GICv3 and GICv2 virtual interfaces), hence one 32-bit active-priority register per
// group (ICH_AP0R0/ICH_AP1R0; GICH_APR on GICv2), bit n = group priority n << 3.

// ---- ICH_LR<n>_EL2 fields (high half: bits 63..32 of the register)
export const LR_STATE_SHIFT = 30;      // [63:62] State
export const LR_HW = 1 << 29;          // [61] HW
export const LR_GROUP = 1 << 28;       // [60] Group
export const LR_PRIO_SHIFT = 16;       // [55:48] Priority
export const LR_EOI = 1 << 9;          // [41] EOI (pINTID[9] when HW == 0)
export const LR_PINTID_MASK = 0x1fff;  // [44:32] pINTID
/** Writable bits of the high half: State, HW, Group, Priority[7:3], pINTID (NMI and RES0 fields clear). */
const LR_HI_WMASK = (0xc0000000 | LR_HW | LR_GROUP | (0xf8 << LR_PRIO_SHIFT) | LR_PINTID_MASK) >>> 0;

export const enum LrState { Invalid = 0, Pending = 1, Active = 2, PendingActive = 3 }
export const LR_STATE_NAMES = ['invalid', 'pending', 'active', 'pending+active'] as const;
export type LrStateName = typeof LR_STATE_NAMES[number];

// ---- ICH_HCR_EL2 / GICH_HCR
export const HCR_EN = 1 << 0;
export const HCR_UIE = 1 << 1;
export const HCR_LRENPIE = 1 << 2;
export const HCR_NPIE = 1 << 3;
export const HCR_VGRP0EIE = 1 << 4;
export const HCR_VGRP0DIE = 1 << 5;
export const HCR_VGRP1EIE = 1 << 6;
export const HCR_VGRP1DIE = 1 << 7;
export const HCR_TC = 1 << 10;
export const HCR_TALL0 = 1 << 11;
export const HCR_TALL1 = 1 << 12;
export const HCR_TSEI = 1 << 13;
export const HCR_TDIR = 1 << 14;
export const HCR_EOICOUNT_SHIFT = 27;
/** Writable ICH_HCR_EL2 bits (QEMU's mask: no TSEI support beyond storage, no vSGI/vLPI controls). */
export const ICH_HCR_WMASK = (0xff | HCR_TC | HCR_TALL0 | HCR_TALL1 | HCR_TSEI | HCR_TDIR | (0x1f << HCR_EOICOUNT_SHIFT)) >>> 0;
/** Writable GICH_HCR bits (IHI 0048B 5.3.1: En, UIE, LRENPIE, NPIE, VGrp*IE, EOICount). */
export const GICH_HCR_WMASK = (0xff | (0x1f << HCR_EOICOUNT_SHIFT)) >>> 0;

// ---- ICH_VMCR_EL2 / GICH_VMCR
export const VMCR_VENG0 = 1 << 0;
export const VMCR_VENG1 = 1 << 1;
export const VMCR_VACKCTL = 1 << 2;
export const VMCR_VFIQEN = 1 << 3;
export const VMCR_VCBPR = 1 << 4;
export const VMCR_VEOIM = 1 << 9;
export const VMCR_VBPR1_SHIFT = 18;
export const VMCR_VBPR0_SHIFT = 21;
export const VMCR_VPMR_SHIFT = 24;
/** Minimum VBPR0 (7 - PREbits); VBPR1's minimum is one more. */
export const MIN_VBPR = 2;

// ---- ICH_MISR_EL2 / GICH_MISR
export const MISR_EOI = 1 << 0;
export const MISR_U = 1 << 1;
export const MISR_LRENP = 1 << 2;
export const MISR_NP = 1 << 3;
export const MISR_VGRP0E = 1 << 4;
export const MISR_VGRP0D = 1 << 5;
export const MISR_VGRP1E = 1 << 6;
export const MISR_VGRP1D = 1 << 7;
export const MISR_NAMES = ['EOI', 'U', 'LRENP', 'NP', 'VGrp0E', 'VGrp0D', 'VGrp1E', 'VGrp1D'] as const;

export const INTID_SPURIOUS = 1023;
/** Number of list registers QEMU's virt board gives a Cortex-A57 (ICH_VTR_EL2.ListRegs = 3). */
export const DEFAULT_LIST_REGS = 4;

/** What the virtual interface needs from its surroundings. */
export interface VirtualHost {
  /** Deactivate physical interrupt `pintid` of this PE (an LR with HW=1 was deactivated). */
  deactivatePhysical(pe: number, pintid: number): void;
  /** New output levels: virtual IRQ, virtual FIQ and the maintenance interrupt (PPI 25). */
  setVirtualLines(pe: number, virq: boolean, vfiq: boolean, maintenance: boolean, misr: number): void;
  /** Event hooks (called only when somebody listens; see gic.ts). */
  events?: VirtualEvents;
}

export interface VirtualEvents {
  lrWrite?(pe: number, lr: number, lo: number, hi: number): void;
  virqTaken?(pe: number, lr: number, vintid: number): void;
  virqCompleted?(pe: number, lr: number, vintid: number, how: 'eoi' | 'dir', hw: boolean, pintid: number): void;
}

/** The GICv2 GICH_LR<n> encoding of an internal (ICH_LR layout) list register. IHI 0048B 5.3.11 */
export function toV2Lr(lo: number, hi: number): number {
  return ((lo & 0x3ff) | ((hi & 0x3ff) << 10) | (((hi >>> (LR_PRIO_SHIFT + 3)) & 0x1f) << 23)
    | (((hi >>> LR_STATE_SHIFT) & 3) << 28) | (hi & LR_GROUP ? 1 << 30 : 0) | (hi & LR_HW ? 1 << 31 : 0)) >>> 0;
}

/** Internal (ICH_LR layout) halves of a GICv2 GICH_LR<n> value; bits [22:20] are reserved (RAZ/WI). */
export function fromV2Lr(v: number): { lo: number; hi: number } {
  const lo = v & 0x3ff;
  const hi = (((v >>> 10) & 0x3ff) | (((v >>> 23) & 0x1f) << (LR_PRIO_SHIFT + 3)) | (((v >>> 28) & 3) << LR_STATE_SHIFT)
    | (v & (1 << 30) ? LR_GROUP : 0) | (v & (1 << 31) ? LR_HW : 0)) >>> 0;
  return { lo, hi };
}

export function lrState(hi: number): LrState { return (hi >>> LR_STATE_SHIFT) as LrState; }
export function lrPriority(hi: number): number { return (hi >>> LR_PRIO_SHIFT) & 0xff; }

function ctz32(v: number): number { return v === 0 ? 32 : 31 - Math.clz32(v & -v); }

/**
 * The virtual CPU interface of one PE. `version` selects the few differences: GICv2 signals
 * virtual Group 0 as vFIQ only with VMCR.VMFIQEn, acknowledges either group through GICV_IAR
 * (Group 1 only with AckCtl), and returns the source CPU of a virtual SGI in GICV_IAR[12:10].
 */
export class VirtualCpuInterface {
  readonly lrLo: Uint32Array;
  readonly lrHi: Uint32Array;
  hcr = 0;
  vmcr: number;
  /** Active priorities per group (ICH_AP0R0_EL2 / ICH_AP1R0_EL2). */
  ap0 = 0;
  ap1 = 0;
  /** Last output levels (to signal changes only). */
  virq = false;
  vfiq = false;
  maint = false;

  constructor(readonly pe: number, readonly version: 2 | 3, readonly numLrs: number, private readonly host: VirtualHost) {
    this.lrLo = new Uint32Array(numLrs);
    this.lrHi = new Uint32Array(numLrs);
    this.vmcr = this.resetVmcr();
  }

  private resetVmcr(): number {
    // VBPR0 = minimum, VBPR1 = minimum + 1; GICv3 VFIQEn is RAO (QEMU reset 0x004c0008 / GICv2 0x004c0000).
    return ((MIN_VBPR << VMCR_VBPR0_SHIFT) | ((MIN_VBPR + 1) << VMCR_VBPR1_SHIFT) | (this.version === 3 ? VMCR_VFIQEN : 0)) >>> 0;
  }

  reset(): void {
    this.lrLo.fill(0);
    this.lrHi.fill(0);
    this.hcr = 0;
    this.vmcr = this.resetVmcr();
    this.ap0 = this.ap1 = 0;
    this.update();
  }

  /** ICH_VTR_EL2 (GICv3) or GICH_VTR (GICv2): PRIbits=5, PREbits=5, ListRegs. */
  vtr(): number {
    const base = (4 << 29) | (4 << 26) | (this.numLrs - 1);
    // GICv3 adds IDbits=1 (24-bit), A3V, nV4 (no vSGIs) and TDS, as QEMU reports (0x90b80003 for 4 LRs).
    return (this.version === 3 ? base | (1 << 23) | (1 << 21) | (1 << 20) | (1 << 19) : base) >>> 0;
  }

  // ------------------------------------------------------------- register views

  /** Writes list register n (ICH_LR layout); the priority's unimplemented low bits are RES0. */
  writeLr(n: number, lo: number, hi: number): void {
    this.lrLo[n] = this.version === 2 ? lo & 0x3ff : lo >>> 0;
    this.lrHi[n] = (hi & LR_HI_WMASK) >>> 0;
    this.host.events?.lrWrite?.(this.pe, n, this.lrLo[n], this.lrHi[n]);
    this.update();
  }

  writeHcr(v: number): void {
    this.hcr = (v & (this.version === 3 ? ICH_HCR_WMASK : GICH_HCR_WMASK)) >>> 0;
    this.update();
  }

  /** ICH_VMCR_EL2 / GICH_VMCR write: VPMR keeps 5 bits; BPRs below the minimum read as the minimum. */
  writeVmcr(v: number): void {
    let m = (v & (VMCR_VENG0 | VMCR_VENG1 | VMCR_VCBPR | VMCR_VEOIM | (7 << VMCR_VBPR1_SHIFT) | (7 << VMCR_VBPR0_SHIFT) | (0xf8 << VMCR_VPMR_SHIFT))) >>> 0;
    // GICv2 keeps VMAckCtl and VMFIQEn; GICv3 has no AckCtl and VFIQEn is RAO.
    if (this.version === 2) m |= v & (VMCR_VACKCTL | VMCR_VFIQEN);
    else m |= VMCR_VFIQEN;
    this.vmcr = m >>> 0;
    this.setVbpr(0, this.vbpr(0));
    this.setVbpr(1, this.vbpr(1));
    this.update();
  }

  vbpr(grp: number): number { return (this.vmcr >>> (grp === 0 ? VMCR_VBPR0_SHIFT : VMCR_VBPR1_SHIFT)) & 7; }

  setVbpr(grp: number, v: number): void {
    const min = grp === 0 ? MIN_VBPR : MIN_VBPR + 1;
    const shift = grp === 0 ? VMCR_VBPR0_SHIFT : VMCR_VBPR1_SHIFT;
    this.vmcr = ((this.vmcr & ~(7 << shift)) | (Math.max(v & 7, min) << shift)) >>> 0;
  }

  vpmr(): number { return this.vmcr >>> VMCR_VPMR_SHIFT; }

  writeAp(grp: number, v: number): void {
    if (grp === 0) this.ap0 = v >>> 0; else this.ap1 = v >>> 0;
    this.update();
  }

  /** ICH_EISR_EL2 / GICH_EISR<word>: LRs with State=Invalid, HW=0 and EOI=1 (LRs 32*word..). */
  eisr(word = 0): number {
    let v = 0;
    for (let i = word * 32; i < this.numLrs && i < word * 32 + 32; i++) {
      if ((this.lrHi[i] & (0xc0000000 | LR_HW | LR_EOI)) === LR_EOI) v |= 1 << (i & 31);
    }
    return v >>> 0;
  }

  /** ICH_ELRSR_EL2 / GICH_ELRSR<word>: LRs that hold no interrupt (Invalid, and not waiting for an EOI maintenance). */
  elrsr(word = 0): number {
    let v = 0;
    for (let i = word * 32; i < this.numLrs && i < word * 32 + 32; i++) {
      const hi = this.lrHi[i];
      if (lrState(hi) === LrState.Invalid && ((hi & LR_HW) !== 0 || (hi & LR_EOI) === 0)) v |= 1 << (i & 31);
    }
    return v >>> 0;
  }

  /** ICH_MISR_EL2 / GICH_MISR: the maintenance interrupt reasons (IHI 0069 12.5.10). */
  misr(): number {
    let valid = 0;
    let pending = false;
    for (let i = 0; i < this.numLrs; i++) {
      const s = lrState(this.lrHi[i]);
      if (s !== LrState.Invalid) valid++;
      if (s === LrState.Pending) pending = true;
    }
    const h = this.hcr, m = this.vmcr;
    let v = 0;
    if (this.eisr(0) !== 0 || this.eisr(1) !== 0) v |= MISR_EOI;
    if ((h & HCR_UIE) && valid < 2) v |= MISR_U;
    if ((h & HCR_LRENPIE) && (h >>> HCR_EOICOUNT_SHIFT) !== 0) v |= MISR_LRENP;
    if ((h & HCR_NPIE) && !pending) v |= MISR_NP;
    if ((h & HCR_VGRP0EIE) && (m & VMCR_VENG0)) v |= MISR_VGRP0E;
    // We follow the architecture (VGrp0D when VENG0 == 0); QEMU 7.2 tests VENG1 here.
    if ((h & HCR_VGRP0DIE) && !(m & VMCR_VENG0)) v |= MISR_VGRP0D;
    if ((h & HCR_VGRP1EIE) && (m & VMCR_VENG1)) v |= MISR_VGRP1E;
    if ((h & HCR_VGRP1DIE) && !(m & VMCR_VENG1)) v |= MISR_VGRP1D;
    return v >>> 0;
  }

  eoiCount(): number { return this.hcr >>> HCR_EOICOUNT_SHIFT; }

  private incrementEoiCount(): void {
    const c = ((this.hcr >>> HCR_EOICOUNT_SHIFT) + 1) & 0x1f;
    this.hcr = ((this.hcr & ~(0x1f << HCR_EOICOUNT_SHIFT)) | (c << HCR_EOICOUNT_SHIFT)) >>> 0;
  }

  // ------------------------------------------------------------- priority logic

  /** Running priority: the highest active group priority (VPriorityRunning), 0xff when idle. */
  runningPriority(): number {
    const a = (this.ap0 | this.ap1) >>> 0;
    return a === 0 ? 0xff : ctz32(a) << 3;
  }

  /** Mask that keeps the group priority bits for a group (VGroupBits with VCBPR). */
  gprioMask(grp: number): number {
    let bpr: number;
    if (grp === 1 && (this.vmcr & VMCR_VCBPR)) bpr = this.vbpr(0);
    else bpr = grp === 0 ? this.vbpr(0) : this.vbpr(1) - 1;
    return (0xff << (bpr + 1)) & 0xff;
  }

  /** Index of the highest-priority pending LR whose group is enabled (HighestPriorityVirtualInterrupt), or -1. */
  hppiIndex(): number {
    const m = this.vmcr;
    if (!(m & (VMCR_VENG0 | VMCR_VENG1))) return -1;
    let idx = -1, prio = 0xff;
    for (let i = 0; i < this.numLrs; i++) {
      const hi = this.lrHi[i];
      if (lrState(hi) !== LrState.Pending) continue;
      if (!(m & (hi & LR_GROUP ? VMCR_VENG1 : VMCR_VENG0))) continue;
      const p = lrPriority(hi);
      if (p < prio) { prio = p; idx = i; }
    }
    return idx;
  }

  /** CanSignalVirtualInterrupt: enabled interface, below the priority mask, preempts the running priority. */
  canSignal(idx: number): boolean {
    if (!(this.hcr & HCR_EN)) return false;
    const hi = this.lrHi[idx];
    const prio = lrPriority(hi);
    if (prio >= this.vpmr()) return false;
    const r = this.runningPriority();
    if (r === 0xff) return true;
    const mask = this.gprioMask(hi & LR_GROUP ? 1 : 0);
    return (prio & mask) < (r & mask);
  }

  /** Recomputes the vIRQ/vFIQ and maintenance outputs and tells the host about changes. */
  update(): void {
    let virq = false, vfiq = false;
    const idx = this.hppiIndex();
    if (idx >= 0 && this.canSignal(idx)) {
      const g1 = (this.lrHi[idx] & LR_GROUP) !== 0;
      // Group 1 is vIRQ; Group 0 is vFIQ (GICv2: only with VMFIQEn, else vIRQ).
      if (g1 || (this.version === 2 && !(this.vmcr & VMCR_VFIQEN))) virq = true; else vfiq = true;
    }
    const misr = this.hcr & HCR_EN ? this.misr() : 0;
    const maint = misr !== 0;
    if (virq !== this.virq || vfiq !== this.vfiq || maint !== this.maint) {
      this.virq = virq; this.vfiq = vfiq; this.maint = maint;
      this.host.setVirtualLines(this.pe, virq, vfiq, maint, misr);
    }
  }

  // ------------------------------------------------------------- guest operations (ICV_* / GICV_*)

  /**
   * Acknowledge (ICV_IAR0/1_EL1 for grp 0/1; GICV_IAR with grp = -1). Moves the LR from pending
   * to active and sets the active priority bit. Returns the INTID (GICv2: with the source CPU of
   * an SGI in bits [12:10]) or 1023; GICv2 returns 1022 for Group 1 without AckCtl.
   */
  acknowledge(grp: number): number {
    const idx = this.hppiIndex();
    if (idx < 0) return INTID_SPURIOUS;
    const hi = this.lrHi[idx];
    const thisGrp = hi & LR_GROUP ? 1 : 0;
    if (grp >= 0 && thisGrp !== grp) return INTID_SPURIOUS;
    if (!this.canSignal(idx)) return INTID_SPURIOUS;
    if (grp < 0 && thisGrp === 1 && !(this.vmcr & VMCR_VACKCTL)) return 1022;
    const vintid = this.lrLo[idx];
    if (vintid >= 1020 && vintid <= 1023) {
      // A special INTID in an LR: it goes from pending to invalid and the bogus ID is returned.
      this.lrHi[idx] = (hi & ~(1 << LR_STATE_SHIFT)) >>> 0;
      this.update();
      return vintid;
    }
    const bit = (lrPriority(hi) & this.gprioMask(thisGrp)) >>> 3;
    this.lrHi[idx] = ((hi & ~(3 << LR_STATE_SHIFT)) | (LrState.Active << LR_STATE_SHIFT)) >>> 0;
    if (thisGrp === 0) this.ap0 = (this.ap0 | (1 << bit)) >>> 0; else this.ap1 = (this.ap1 | (1 << bit)) >>> 0;
    this.host.events?.virqTaken?.(this.pe, idx, vintid);
    this.update();
    // GICv2: a virtual SGI reports its source CPU (GICH_LR CPUID, bits [12:10]).
    if (this.version === 2 && vintid < 16 && !(hi & LR_HW)) return (vintid | ((hi & 7) << 10)) >>> 0;
    return vintid;
  }

  /** HPPIR value for a group (grp = -1: GICV_HPPIR, either group). */
  highestPending(grp: number): number {
    const idx = this.hppiIndex();
    if (idx < 0) return INTID_SPURIOUS;
    const hi = this.lrHi[idx];
    if (grp >= 0 && (hi & LR_GROUP ? 1 : 0) !== grp) return INTID_SPURIOUS;
    // GICv2: we choose QEMU's behaviour of not reporting an SGI's source CPUID in GICV_HPPIR.
    return this.lrLo[idx];
  }

  /** FindActiveVirtualInterrupt: the LR holding `vintid` in an active state, or -1. */
  findActive(vintid: number): number {
    for (let i = 0; i < this.numLrs; i++) {
      if ((this.lrHi[i] & (LrState.Active << LR_STATE_SHIFT)) && this.lrLo[i] === vintid) return i;
    }
    return -1;
  }

  /** Drops the highest active priority (group 0 first at equal priority); returns it, or 0xff if none. */
  private dropPriority(): number {
    const c0 = ctz32(this.ap0), c1 = ctz32(this.ap1);
    if (c0 === 32 && c1 === 32) return 0xff;
    if (c0 <= c1) { this.ap0 = (this.ap0 & (this.ap0 - 1)) >>> 0; return c0 << 3; }
    this.ap1 = (this.ap1 & (this.ap1 - 1)) >>> 0;
    return c1 << 3;
  }

  /** Deactivates LR idx: Active → Invalid, Pending+Active → Pending; HW=1 deactivates pINTID. */
  private deactivateLr(idx: number, how: 'eoi' | 'dir'): void {
    const hi = this.lrHi[idx];
    const hw = (hi & LR_HW) !== 0;
    const pintid = hi & LR_PINTID_MASK;
    this.lrHi[idx] = (hi & ~(LrState.Active << LR_STATE_SHIFT)) >>> 0;
    // pINTIDs 1020..1023 (and above the SPI range) have no physical interrupt to deactivate.
    if (hw && pintid < 1020) this.host.deactivatePhysical(this.pe, pintid);
    this.host.events?.virqCompleted?.(this.pe, idx, this.lrLo[idx], how, hw, pintid);
  }

  /**
   * End of interrupt (ICV_EOIR0/1_EL1 for grp 0/1; GICV_EOIR with grp = -1). Priority drop,
   * then (VEOIM == 0) deactivation; an EOI that matches no LR increments EOIcount.
   * We implement QEMU's IMPDEF choice of dropping the priority before the checks.
   */
  endOfInterrupt(value: number, grp: number): void {
    const intid = this.version === 2 ? value & 0x3ff : value & 0xffffff;
    if (intid >= 1020 && intid <= 1023) return;
    const drop = this.dropPriority();
    if (drop === 0xff) { this.update(); return; } // no active priority: CONSTRAINED UNPREDICTABLE, we choose to do nothing
    const idx = this.findActive(intid);
    if (idx < 0) {
      this.incrementEoiCount();
    } else {
      const hi = this.lrHi[idx];
      const thisGrp = hi & LR_GROUP ? 1 : 0;
      const g = grp < 0 ? thisGrp : grp;
      if (thisGrp === g && (lrPriority(hi) & this.gprioMask(g)) === drop && !(this.vmcr & VMCR_VEOIM)) this.deactivateLr(idx, 'eoi');
    }
    this.update();
  }

  /** Deactivate (ICV_DIR_EL1 / GICV_DIR): only with VEOIM == 1; no matching LR increments EOIcount. */
  deactivate(value: number): void {
    const intid = this.version === 2 ? value & 0x3ff : value & 0xffffff;
    if (intid >= 1020) return;
    if (!(this.vmcr & VMCR_VEOIM)) return;
    const idx = this.findActive(intid);
    if (idx < 0) this.incrementEoiCount(); else this.deactivateLr(idx, 'dir');
    this.update();
  }

  // ------------------------------------------------------------- ICV register views

  /** ICV_CTLR_EL1: A3V, IDbits=1, PRIbits=4, EOImode and CBPR from VMCR (GICv3). */
  icvCtlr(): number {
    return ((1 << 15) | (1 << 11) | (4 << 8) | (this.vmcr & VMCR_VEOIM ? 2 : 0) | (this.vmcr & VMCR_VCBPR ? 1 : 0)) >>> 0;
  }

  writeIcvCtlr(v: number): void {
    let m = this.vmcr & ~(VMCR_VEOIM | VMCR_VCBPR);
    if (v & 2) m |= VMCR_VEOIM;
    if (v & 1) m |= VMCR_VCBPR;
    this.vmcr = m >>> 0;
    this.update();
  }

  /** ICV_BPR0/1_EL1 read: with VCBPR, BPR1 reads as BPR0 + 1 (saturated to 7). */
  readBpr(grp: number): number {
    if (grp === 1 && (this.vmcr & VMCR_VCBPR)) return Math.min(this.vbpr(0) + 1, 7);
    return this.vbpr(grp);
  }

  writeBpr(grp: number, v: number): void {
    if (grp === 1 && (this.vmcr & VMCR_VCBPR)) return;
    this.setVbpr(grp, v);
    this.update();
  }

  writePmr(v: number): void {
    this.vmcr = ((this.vmcr & 0x00ffffff) | ((v & 0xf8) << VMCR_VPMR_SHIFT)) >>> 0;
    this.update();
  }

  writeGroupEnable(grp: number, on: boolean): void {
    const bit = grp === 0 ? VMCR_VENG0 : VMCR_VENG1;
    this.vmcr = (on ? this.vmcr | bit : this.vmcr & ~bit) >>> 0;
    this.update();
  }
}
