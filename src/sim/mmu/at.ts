// Address translation instructions (AT S1E0R … S12E1W) and the PAR_EL1 encodings.
// DDI0487 C5.5 (AT *), D17.2.99 (PAR_EL1); attribute combination per AArch64.CombineS1S2Desc.
// We follow QEMU 7.2's do_ats_write() (checked by test/diff/programs/100-s2-mmio.s): NS=1 in a
// successful PAR; SH is the descriptor's for stage 1 only, the combined one for stage 1+2.
import { Acc, EXCEPTION_TAKEN } from '../exec';
import type { PE } from '../pe';
import { synDataAbort } from '../syndrome';
import { type Ctx, Regime, SLOT, makeCtx, regimeOf } from './regime';
import { translate, type S2Info, type WalkResult } from './walk';

const TWO32 = 4294967296;

export interface AtOp { stage12: boolean; el: 0 | 1 | 2; write: boolean }

/** Parses 'S1E1R', 'S12E0W', 'S1E2W' … */
export function parseAt(op: string): AtOp | undefined {
  const m = /^S(12|1)E([012])([RW])$/.exec(op);
  if (!m) return undefined;
  return { stage12: m[1] === '12', el: Number(m[2]) as 0 | 1 | 2, write: m[3] === 'W' };
}

/** The context an AT instruction translates in. */
export function atContext(pe: PE, a: AtOp): Ctx {
  let regime: Regime;
  if (a.el === 2) regime = regimeOf(pe, 2);
  // AT S1E1*/S1E0* at EL2 with {E2H,TGE} = {1,1} address the EL2&0 regime.
  else if (pe.el === 2 && !a.stage12 && pe.features.vhe && pe.e2h() && pe.tge()) regime = Regime.EL20;
  else regime = Regime.EL10;
  const ctx = makeCtx(pe, a.el === 0 ? 0 : a.el, regime, !a.stage12);
  ctx.pan = false; // AT S1E1R/W ignore PSTATE.PAN (only the *RP/*WP forms, FEAT_PAN2, use it)
  return ctx;
}

/** Stage-2 MemAttr[3:0] as a MAIR-format byte (QEMU convert_stage2_attrs, HCR_EL2.CD=0). */
export function s2AttrToMair(memAttr: number): number {
  const hi = (memAttr >>> 2) & 3, lo = memAttr & 3;
  if (hi === 0) return lo << 2; // Device: 0b0000dd00
  const hint = (x: number): number => (x !== 1 ? 3 : 0);
  return (hi << 6) | (hint(hi) << 4) | (lo << 2) | hint(lo);
}

function combineNibble(s1: number, s2: number): number {
  if (s1 === 4 || s2 === 4) return 4;                            // Non-cacheable wins
  if ((s1 & 0xc) === 0 || (s1 & 0xc) === 8) return s1;          // stage-1 write-through
  if ((s2 & 0xc) === 8) return 8 | (s1 & 3);                     // stage-2 write-through, stage-1 hints
  return s1;
}

/** Combined memory attributes and shareability of a two-stage translation (HCR_EL2.FWB=0). */
export function combineAttrs(attr1: number, sh1: number, s2: S2Info): { attr: number; sh: number } {
  const a2 = s2AttrToMair(s2.memAttr);
  let attr: number;
  if ((attr1 & 0xf0) === 0 || (a2 & 0xf0) === 0) {
    const l1 = attr1 & 0xf, l2 = a2 & 0xf;
    const d1 = (attr1 & 0xf0) === 0 ? l1 : 0xc, d2 = (a2 & 0xf0) === 0 ? l2 : 0xc;
    attr = Math.min(d1, d2);                                       // nGnRnE < nGnRE < nGRE < GRE
  } else {
    attr = (combineNibble(attr1 >>> 4, a2 >>> 4) << 4) | combineNibble(attr1 & 0xf, a2 & 0xf);
  }
  let sh = sh1 === 2 || s2.sh === 2 ? 2 : sh1 === 3 || s2.sh === 3 ? 3 : 0;
  if ((attr & 0xf0) === 0 || attr === 0x44) sh = 2;
  return { attr, sh };
}

/** Memory attributes of a successful walk, as AT reports them: [MAIR byte, SH]. */
export function resultAttrs(ctx: Ctx, w: WalkResult, fetch: boolean): { attr: number; sh: number } {
  let attr: number, sh: number;
  if (w.s1) { attr = w.s1.attr; sh = w.s1.sh; }
  else if (ctx.dc) { attr = 0xff; sh = 0; }                        // HCR_EL2.DC: Normal WB
  else if (fetch) { attr = (ctx.sctlr & (1 << 12)) ? 0xee : 0x44; sh = 2; }
  else { attr = 0; sh = 0; }                                       // stage 1 off: Device-nGnRnE
  if (w.s2) return combineAttrs(attr, sh, w.s2);
  // Stage 1 only: SH as in the descriptor. PAREncodeShareability() would report Outer Shareable
  // for Device and Normal non-cacheable memory; QEMU 7.2 (our oracle) does not, nor do we.
  return { attr, sh };
}

/** Executes an AT operation: writes PAR_EL1, or takes the stage-2 S1PTW abort QEMU takes to EL2. */
export function executeAt(pe: PE, op: string, lo: number, hi: number): void {
  const a = parseAt(op);
  if (!a) return;
  const ctx = atContext(pe, a);
  const w = translate(pe.mem, ctx, lo, hi, a.write ? Acc.Write : Acc.Read, null);
  const par = SLOT.PAR_EL1 * 2;
  const f = w.fault;
  if (f) {
    // A stage-2 fault on the stage-1 walk of AT S1E0*/S1E1* executed at EL1 is taken to EL2
    // as a Data Abort with CM=1, WnR=1 (DDI0487 C5.5; QEMU do_ats_write()).
    if (f.s1ptw && pe.el === 1 && !a.stage12) {
      const esr = synDataAbort(false, 0, false, 0, 1, 1, 1, f.fsc);
      pe.takeException(2, esr, 'sync', pe.pcLo, pe.pcHi, lo, hi, Math.floor(f.ipa / 4096) * 16);
      throw EXCEPTION_TAKEN;
    }
    pe.sys[par] = (1 | (f.fsc << 1) | (f.s1ptw ? 1 << 8 : 0) | (f.stage2 ? 1 << 9 : 0) | (1 << 11)) >>> 0;
    pe.sys[par + 1] = 0;
    return;
  }
  const { attr, sh } = resultAttrs(ctx, w, false);
  pe.sys[par] = ((w.pa % TWO32 & 0xfffff000) | (1 << 11) | (1 << 9) | (sh << 7)) >>> 0;
  pe.sys[par + 1] = ((Math.floor(w.pa / TWO32) & 0xffff) | (attr << 24)) >>> 0;
}
