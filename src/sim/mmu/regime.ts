// Which translation regime and which controls apply to an access: a snapshot ("context") of
// the registers that drive translation, built once per regime change and reused by the walker,
// the TLB and AT. DDI0487 D8.1 (translation regimes), D8.2 (controls), D17.2 (register layouts).
//
//   EL1&0  TTBR0_EL1/TTBR1_EL1, TCR_EL1, SCTLR_EL1, MAIR_EL1; Stage 2 by HCR_EL2.{VM,DC}
//   EL2    TTBR0_EL2, TCR_EL2 (E2H=0 layout), SCTLR_EL2, MAIR_EL2 (one VA range, no ASID)
//   EL2&0  TTBR0_EL2/TTBR1_EL2, TCR_EL2 (TCR_EL1 layout), with HCR_EL2.E2H=1 (FEAT_VHE)
import type { PE } from '../pe';
import { requiredSlot } from '../sysregs';

export const enum Regime { EL10 = 0, EL2 = 1, EL20 = 2 }
export const REGIME_NAMES = ['EL1&0', 'EL2', 'EL2&0'];

const HCR_VM = 1 << 0, HCR_PTW = 1 << 2, HCR_DC = 1 << 12, HCR_TGE = 1 << 27;

export const SLOT = {
  SCTLR_EL1: requiredSlot('SCTLR_EL1'), SCTLR_EL2: requiredSlot('SCTLR_EL2'),
  TCR_EL1: requiredSlot('TCR_EL1'), TCR_EL2: requiredSlot('TCR_EL2'),
  TTBR0_EL1: requiredSlot('TTBR0_EL1'), TTBR1_EL1: requiredSlot('TTBR1_EL1'),
  TTBR0_EL2: requiredSlot('TTBR0_EL2'), TTBR1_EL2: requiredSlot('TTBR1_EL2'),
  MAIR_EL1: requiredSlot('MAIR_EL1'), MAIR_EL2: requiredSlot('MAIR_EL2'),
  HCR_EL2: requiredSlot('HCR_EL2'), VTCR_EL2: requiredSlot('VTCR_EL2'), VTTBR_EL2: requiredSlot('VTTBR_EL2'),
  PAR_EL1: requiredSlot('PAR_EL1'),
};

/** PARange encodings of ID_AA64MMFR0_EL1 / TCR.IPS / VTCR.PS, in bits. DDI0487 D17.2.64 */
export const PA_BITS = [32, 36, 40, 42, 44, 48, 52, 48];

/** Everything a walk needs, read from the system registers at one moment. */
export interface Ctx {
  regime: Regime;
  /** EL whose permissions the access is checked against (0 for EL0/AT S1E0*, 1, or 2). */
  el: number;
  /** Stage 1 enabled (SCTLR_ELx.M, and for EL1&0 not forced off by HCR_EL2.{DC,TGE}). */
  s1: boolean;
  /** Stage 2 enabled (EL1&0 only: HCR_EL2.VM or DC); stage-1 table accesses go through it. */
  s2: boolean;
  /** Stop after stage 1 (AT S1E1x and S1E0x, debugger stage-1 view): the result is the IPA. */
  s1only: boolean;
  /** The regime has two VA ranges (TTBR0 and TTBR1) and two privilege levels. */
  twoRanges: boolean;
  sctlr: number;
  tcrLo: number; tcrHi: number;
  ttbr0Lo: number; ttbr0Hi: number; ttbr1Lo: number; ttbr1Hi: number;
  mairLo: number; mairHi: number;
  hcrLo: number; hcrHi: number;
  vtcr: number; vttbrLo: number; vttbrHi: number;
  /** Current VMID (VTTBR_EL2.VMID, 8 or 16 bits per VTCR_EL2.VS); 0 for the EL2 regimes. */
  vmid: number;
  /** Implemented physical address size (ID_AA64MMFR0_EL1.PARange). */
  paBits: number;
  /** PSTATE.PAN applies to this access (privileged data access in a two-range regime). */
  pan: boolean;
  /** HCR_EL2.DC: stage 1 off with Normal write-back memory. */
  dc: boolean;
  /** HCR_EL2.PTW: stage-1 walks to Device memory (at stage 2) fault. */
  ptw: boolean;
  /** 16-bit ASIDs supported and selected (TCR.AS). */
  asid16: boolean;
}

/** Regime of an access made at `el` in the current HCR_EL2 state. */
export function regimeOf(pe: PE, el: number): Regime {
  const hcrHi = pe.sys[SLOT.HCR_EL2 * 2 + 1];
  const e2h = pe.features.vhe && (hcrHi & 4) !== 0;
  if (el === 2) return e2h ? Regime.EL20 : Regime.EL2;
  if (el === 0 && e2h && (pe.sys[SLOT.HCR_EL2 * 2] & HCR_TGE) !== 0) return Regime.EL20;
  return Regime.EL10;
}

export function paBitsOf(pe: PE): number {
  const id = pe.model.ids.ID_AA64MMFR0_EL1;
  return PA_BITS[(id ? id[0] : 5) & 7];
}

function vmidBits16(pe: PE): boolean {
  const id = pe.model.ids.ID_AA64MMFR1_EL1;
  return id !== undefined && ((id[0] >>> 4) & 0xf) === 2;
}

/**
 * Builds the context for an access at `el` (the PE's EL for ordinary accesses). `regime`
 * overrides the regime (AT S1E0* from EL2 and debugger requests); `s1only` stops after stage 1
 * (AT S1E1*, which returns the IPA; its table walk still goes through stage 2).
 */
export function makeCtx(pe: PE, el: number, regime: Regime = regimeOf(pe, el), s1only = false): Ctx {
  const sys = pe.sys;
  const hcrLo = sys[SLOT.HCR_EL2 * 2], hcrHi = sys[SLOT.HCR_EL2 * 2 + 1];
  const e2h = pe.features.vhe && (hcrHi & 4) !== 0;
  const tge = (hcrLo & HCR_TGE) !== 0;
  const el2 = regime !== Regime.EL10;
  const s = el2 ? 2 : 1;
  const sctlr = sys[(s === 2 ? SLOT.SCTLR_EL2 : SLOT.SCTLR_EL1) * 2];
  const tcr = (s === 2 ? SLOT.TCR_EL2 : SLOT.TCR_EL1) * 2;
  const t0 = (s === 2 ? SLOT.TTBR0_EL2 : SLOT.TTBR0_EL1) * 2;
  const t1 = (s === 2 ? SLOT.TTBR1_EL2 : SLOT.TTBR1_EL1) * 2;
  const mair = (s === 2 ? SLOT.MAIR_EL2 : SLOT.MAIR_EL1) * 2;
  // HCR_EL2 bits as QEMU's arm_hcr_el2_eff(): with {E2H,TGE} = {1,1} VM and DC behave as 0.
  const hostLike = e2h && tge;
  const dc = !el2 && !hostLike && (hcrLo & HCR_DC) !== 0;
  let s1 = (sctlr & 1) !== 0;
  // DDI0487 D8.2.11: for EL1&0, HCR_EL2.DC or TGE make stage 1 behave as disabled.
  if (!el2 && (dc || tge)) s1 = false;
  const s2 = !el2 && !hostLike && (hcrLo & (HCR_VM | HCR_DC)) !== 0;
  const vtcr = sys[SLOT.VTCR_EL2 * 2];
  const vttbrHi = sys[SLOT.VTTBR_EL2 * 2 + 1];
  const vmid = el2 ? 0 : ((vtcr & (1 << 19)) && vmidBits16(pe) ? vttbrHi >>> 16 : (vttbrHi >>> 16) & 0xff);
  const twoRanges = regime !== Regime.EL2;
  const tcrHi = twoRanges ? sys[tcr + 1] : 0;
  const asidBits = pe.model.ids.ID_AA64MMFR0_EL1 ? (pe.model.ids.ID_AA64MMFR0_EL1[0] >>> 4) & 0xf : 2;
  return {
    regime, el, s1, s2, s1only, twoRanges, sctlr,
    tcrLo: sys[tcr], tcrHi,
    ttbr0Lo: sys[t0], ttbr0Hi: sys[t0 + 1],
    ttbr1Lo: twoRanges ? sys[t1] : 0, ttbr1Hi: twoRanges ? sys[t1 + 1] : 0,
    mairLo: sys[mair], mairHi: sys[mair + 1],
    hcrLo, hcrHi, vtcr, vttbrLo: sys[SLOT.VTTBR_EL2 * 2], vttbrHi,
    vmid, paBits: paBitsOf(pe),
    pan: pe.features.pan && pe.pan === 1 && el !== 0 && twoRanges,
    dc, ptw: (hcrLo & HCR_PTW) !== 0,
    asid16: twoRanges && (tcrHi & (1 << 4)) !== 0 && asidBits === 2,
  };
}

/** The MAIR_ELx attribute byte for AttrIndx. */
export function mairAttr(ctx: Ctx, attrIndx: number): number {
  return attrIndx < 4 ? (ctx.mairLo >>> (attrIndx * 8)) & 0xff : (ctx.mairHi >>> ((attrIndx - 4) * 8)) & 0xff;
}

/** Human-readable memory type of a MAIR attribute byte (for walk records and the panel). */
export function describeAttr(attr: number): string {
  const hi = attr >>> 4, lo = attr & 0xf;
  if (hi === 0) return ['Device-nGnRnE', 'Device-nGnRE', 'Device-nGRE', 'Device-GRE'][(lo >>> 2) & 3];
  const c = (n: number): string => (n === 4 ? 'NC' : (n & 0xc) === 0xc ? 'WB' : (n & 0xc) === 0x8 ? 'WT' : (n & 0xc) === 0x4 ? 'WB-T' : 'WT-T');
  return `Normal o${c(hi)} i${c(lo)}`;
}
