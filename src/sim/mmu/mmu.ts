// The MMU as seen by the machine: installs the PE translation hook (fast TLB path, then the
// architectural TLB, then a walk), TLB maintenance (board.tlbi), address translation
// instructions (board.at), and the debugger's side-effect-free `translate`.
import { Acc, EXCEPTION_TAKEN } from '../exec';
import type { Board, PE } from '../pe';
import { type Ctx, REGIME_NAMES, Regime, SLOT, describeAttr, makeCtx, regimeOf } from './regime';
import { FAST_BITS, FAST_SIZE, FastTlb, Tlb, type TlbEntry, type TlbiScope, entryPerms, ctxAsid } from './tlb';
import { FAULT_NAMES, accBit, stage2, translate as walk, walkReads, type FaultRecord, type S1Info, type S2Info, type WalkStep } from './walk';
import { executeAt, resultAttrs } from './at';

const FAST_MASK = FAST_SIZE - 1;
const HCR_FB = 1 << 9;
const TWO32 = 4294967296;

/** Registers whose change invalidates the per-EL contexts and the fast cache. */
const SNAP_SLOTS = [SLOT.SCTLR_EL1, SLOT.SCTLR_EL2, SLOT.HCR_EL2, SLOT.TCR_EL1, SLOT.TCR_EL2, SLOT.TTBR0_EL1, SLOT.TTBR1_EL1,
  SLOT.TTBR0_EL2, SLOT.TTBR1_EL2, SLOT.VTTBR_EL2, SLOT.VTCR_EL2, SLOT.MAIR_EL1, SLOT.MAIR_EL2];

/** MMU state of one PE. */
export class PeMmu {
  /** In the board's RAM arena, where compiled regions look it up too (pe.softTlbBase). */
  readonly fast: FastTlb;
  readonly tlb = new Tlb();
  /** Contexts for accesses at EL0, EL1, EL2 (rebuilt lazily after a change). */
  private readonly ctx: (Ctx | null)[] = [null, null, null];
  private readonly snap = new Uint32Array(SNAP_SLOTS.length * 2 + 1);
  /** Translations that went past the fast cache: TLB hits and walks (for tests and the cost model). */
  tlbHits = 0;
  walks = 0;
  /** The last fault raised by a CPU access (for trap explanations). */
  lastFault: FaultRecord | null = null;

  constructor(readonly pe: PE) {
    this.fast = new FastTlb(pe.mem.arena);
    pe.softTlbBase = this.fast.base;
    this.tlb.onClear = () => this.fast.flush();
  }

  /** Called from pe.updateRegime(): drops cached contexts when a translation control changed. */
  check(): void {
    const sys = this.pe.sys, s = this.snap;
    let changed = false;
    for (let i = 0; i < SNAP_SLOTS.length; i++) {
      const j = SNAP_SLOTS[i] * 2;
      if (s[2 * i] !== sys[j] || s[2 * i + 1] !== sys[j + 1]) { s[2 * i] = sys[j]; s[2 * i + 1] = sys[j + 1]; changed = true; }
    }
    const last = s.length - 1;
    if (s[last] !== this.pe.pan) { s[last] = this.pe.pan; changed = true; }
    if (changed) this.invalidateContext();
  }

  invalidateContext(): void {
    this.ctx[0] = this.ctx[1] = this.ctx[2] = null;
    this.fast.flush();
  }

  ctxFor(el: number): Ctx {
    let c = this.ctx[el];
    if (c === null) c = this.ctx[el] = makeCtx(this.pe, el);
    return c;
  }

  /** TLB miss path of a CPU access: architectural TLB, then a walk; raises the abort on a fault. */
  slow(pe: PE, vlo: number, vhi: number, acc: Acc, iss: number): number {
    const el = pe.unprivAccess ? 0 : pe.el;
    const ctx = this.ctxFor(el);
    const e = this.tlb.lookup(ctx, vlo, vhi);
    if (e !== null) {
      const p = entryPerms(ctx, e);
      // We choose, as QEMU does, to re-walk when a cached entry lacks the permission (so a
      // permission upgrade without TLBI takes effect); a fault is then reported from the walk.
      if ((p & accBit(acc)) !== 0) {
        this.tlbHits++;
        this.fast.fill(el, vlo, vhi, e.paPage, p);
        return e.paPage + (vlo & 0xfff);
      }
    }
    this.walks++;
    const reads0 = walkReads.count;
    const w = walk(pe.mem, ctx, vlo, vhi, acc, null);
    // Cost model: each descriptor read of a TLB-miss walk (both stages) costs a walk step.
    if (pe.cost !== null) pe.charge(pe.cost.walkStep * (walkReads.count - reads0));
    const f = w.fault;
    if (f !== null) {
      this.lastFault = f;
      if (acc === Acc.Fetch) {
        pe.insnAbort(f.fsc, f.stage2, f.ipa, f.s1ptw ? 1 : 0);
        throw EXCEPTION_TAKEN;
      }
      return pe.dataAbort(vlo, vhi, acc, iss, f.fsc, f.stage2, f.ipa, f.s1ptw ? 1 : 0);
    }
    const ne = this.tlb.insert(ctx, vlo, vhi, w);
    this.fast.fill(el, vlo, vhi, ne.paPage, entryPerms(ctx, ne));
    return w.pa;
  }
}

/** The translation hook of one PE: the fast path is two compares and a bit test. */
function makeHook(m: PeMmu): (pe: PE, vlo: number, vhi: number, acc: Acc, iss: number, size: number) => number {
  const f = m.fast;
  const tagLo = f.tagLo, tagHi = f.tagHi, pa = f.pa, perm = f.perm, genTag = f.genTag;
  return (pe, vlo, vhi, acc, iss) => {
    // LDTR/STTR (pe.unprivAccess) are checked with EL0 permissions in the same regime, which is
    // exactly the EL0 bank's context (at EL1: EL1&0; at EL2 with {E2H,TGE}={1,1}: EL2&0).
    const el = pe.unprivAccess ? 0 : pe.el;
    const k = vlo >>> 12;
    const i = (el << FAST_BITS) | (k & FAST_MASK);
    if (tagLo[i] === (k | genTag[el]) && tagHi[i] === vhi && (perm[i] & (1 << acc)) !== 0) return pa[i] + (vlo & 0xfff);
    return m.slow(pe, vlo, vhi, acc, iss);
  };
}

// ---------------------------------------------------------------- debugger translation

export type AccessName = 'read' | 'write' | 'fetch';

export interface TranslateOptions {
  /** Access to check permissions for (default 'read'). */
  access?: AccessName;
  /** EL of the access (default: the PE's current EL). */
  el?: number;
  /** 1: stage 1 only (result is the IPA); 2: stage 2 only (va is an IPA); 'both' (default): as the CPU. */
  stage?: 1 | 2 | 'both';
  /** 'tlb': answer from the PE's TLB when it holds the page, as the CPU would; 'walk' (default): a fresh walk. */
  source?: 'tlb' | 'walk';
  /** Check permissions (default true). */
  checkPermissions?: boolean;
}

export interface TranslateReport {
  ok: boolean;
  regime: string;
  el: number;
  vaLo: number;
  vaHi: number;
  ipa: number;
  pa: number;
  /** Answer came from the TLB (no descriptor was read). */
  fromTlb: boolean;
  fault: FaultRecord | null;
  /** One line per fault, as in a trap explanation. */
  explanation: string;
  s1: S1Info | null;
  s2: S2Info | null;
  /** Memory type after both stages (MAIR format) and shareability. */
  attr: number;
  attrText: string;
  sh: number;
  steps: WalkStep[];
}

const ACC_OF: Record<AccessName, Acc> = { read: Acc.Read, write: Acc.Write, fetch: Acc.Fetch };

/** The MMU of a board: one PeMmu per PE. */
export class Mmu {
  private readonly states = new Map<PE, PeMmu>();

  constructor(readonly pes: readonly PE[]) {
    for (const pe of pes) {
      const m = new PeMmu(pe);
      this.states.set(pe, m);
      pe.mmuTranslate = makeHook(m);
      pe.onRegimeChange = () => m.check();
      m.check();
    }
  }

  state(pe: PE): PeMmu {
    const s = this.states.get(pe);
    if (!s) throw new Error(`PE ${pe.id} has no MMU state`);
    return s;
  }

  /**
   * Side-effect-free translation for the debugger: no TLB fill, no Access flag update, no
   * exception. Returns the result and the walk records of both stages.
   */
  translate(pe: PE, va: number | { lo: number; hi: number }, opts: TranslateOptions = {}): TranslateReport {
    const vlo = typeof va === 'number' ? va % TWO32 >>> 0 : va.lo >>> 0;
    const vhi = typeof va === 'number' ? Math.floor(va / TWO32) >>> 0 : va.hi >>> 0;
    const el = opts.el ?? pe.el;
    const acc = ACC_OF[opts.access ?? 'read'];
    const stage = opts.stage ?? 'both';
    const ctx = makeCtx(pe, el, regimeOf(pe, el), stage === 1);
    if (el !== pe.el) ctx.pan = ctx.pan && el === 1;
    const steps: WalkStep[] = [];
    const rep: TranslateReport = {
      ok: false, regime: REGIME_NAMES[ctx.regime], el, vaLo: vlo, vaHi: vhi, ipa: 0, pa: 0, fromTlb: false, fault: null,
      explanation: '', s1: null, s2: null, attr: 0, attrText: '', sh: 0, steps,
    };
    if (stage === 2) {
      const ipa = (vhi & 0xffff) * TWO32 + vlo;
      if (!ctx.s2 && ctx.regime === Regime.EL10) {
        ctx.s2 = true; // show the Stage-2 tables even when HCR_EL2.VM=0
        ctx.s1only = false;
      }
      const r = stage2(pe.mem, ctx, ipa, acc, false, steps);
      rep.ipa = ipa;
      if (r.fault) { rep.fault = r.fault; }
      else { rep.ok = true; rep.pa = r.pa; rep.s2 = r.info; }
    } else {
      if (opts.source === 'tlb') {
        const e = this.state(pe).tlb.lookup(ctx, vlo, vhi);
        if (e) {
          rep.fromTlb = true;
          rep.ok = true;
          rep.pa = e.paPage + (vlo & 0xfff);
          rep.ipa = e.ipaPage + (vlo & 0xfff);
          rep.s1 = e.walk.s1;
          rep.s2 = e.walk.s2;
          const ra = resultAttrs(ctx, e.walk, acc === Acc.Fetch);
          rep.attr = ra.attr; rep.sh = ra.sh; rep.attrText = describeAttr(ra.attr);
          if ((entryPerms(ctx, e) & accBit(acc)) === 0 && opts.checkPermissions !== false) {
            rep.explanation = `TLB entry found but it does not permit this access (the CPU would re-walk)`;
          } else {
            rep.explanation = `from the TLB (${e.global ? 'global' : `ASID ${e.asid}`}${ctx.regime === Regime.EL10 ? `, VMID ${e.vmid}` : ''})`;
          }
          return rep;
        }
      }
      const w = walk(pe.mem, ctx, vlo, vhi, acc, steps, opts.checkPermissions !== false);
      rep.ipa = w.ipa; rep.s1 = w.s1; rep.s2 = w.s2;
      if (w.fault) rep.fault = w.fault;
      else { rep.ok = true; rep.pa = w.pa; }
      if (rep.ok) {
        const ra = resultAttrs(ctx, w, acc === Acc.Fetch);
        rep.attr = ra.attr; rep.sh = ra.sh; rep.attrText = describeAttr(ra.attr);
      }
    }
    rep.explanation = rep.fault ? explainFault(rep.fault, ctx, el) : `${REGIME_NAMES[ctx.regime]}: VA → ${ctx.s2 ? `IPA 0x${rep.ipa.toString(16)} → ` : ''}PA 0x${rep.pa.toString(16)}`;
    return rep;
  }

  /** TLB maintenance (TLBI <op>, Xt). DDI0487 D8.13 / C5.5. */
  tlbi(pe: PE, op: string, lo: number, hi: number): void {
    const is = op.endsWith('IS') || (pe.el === 1 && (pe.hcrLo() & HCR_FB) !== 0);
    const base = op.endsWith('IS') ? op.slice(0, -2) : op;
    const ctx1 = makeCtx(pe, 1, Regime.EL10);
    const vmid = ctx1.vmid;
    const e2h = pe.features.vhe && pe.e2h();
    // EL1 operations executed at EL2 with {E2H,TGE} = {1,1} apply to the EL2&0 regime.
    const host = pe.el === 2 && e2h && pe.tge();
    const el1Regimes = host ? [Regime.EL20] : [Regime.EL10];
    const asidCtx = host ? makeCtx(pe, 2, Regime.EL20) : ctx1;
    const opAsid = asidCtx.asid16 ? hi >>> 16 : (hi >>> 16) & 0xff;
    // Operand bits [43:0] are VA[55:12].
    const vpn = (hi & 0xfff) * TWO32 + (lo >>> 0);
    let scope: TlbiScope | null = null;
    switch (base) {
      case 'VMALLE1': scope = { regimes: el1Regimes, vmid }; break;
      case 'VAE1': case 'VALE1': scope = { regimes: el1Regimes, vmid, vpn, asid: opAsid }; break;
      case 'VAAE1': case 'VAALE1': scope = { regimes: el1Regimes, vmid, vpn }; break;
      case 'ASIDE1': scope = { regimes: el1Regimes, vmid, asid: opAsid, nonGlobalOnly: true }; break;
      case 'VMALLS12E1': scope = { regimes: [Regime.EL10], vmid }; break;
      case 'ALLE1': scope = { regimes: [Regime.EL10] }; break;
      case 'ALLE2': scope = { regimes: [Regime.EL2, Regime.EL20] }; break;
      case 'VAE2': case 'VALE2': {
        const c2 = makeCtx(pe, 2, regimeOf(pe, 2));
        scope = e2h ? { regimes: [Regime.EL20], vpn, asid: c2.asid16 ? hi >>> 16 : (hi >>> 16) & 0xff } : { regimes: [Regime.EL2], vpn };
        break;
      }
      // IPAS2E1/IPAS2LE1 invalidate stage-2-only entries by IPA. This TLB holds only combined
      // stage 1+2 entries, which an IPA-based operation does not remove (software follows it with
      // TLBI VMALLE1), so there is nothing to do — as in QEMU, whose combined entries also survive.
      case 'IPAS2E1': case 'IPAS2LE1': scope = null; break;
      default: scope = null;
    }
    const targets = is ? [...this.states.values()] : [this.state(pe)];
    for (const t of targets) {
      if (scope !== null && scope.vpn !== undefined) {
        // By VA: only the fast-cache slots of the removed entries' pages go (a kernel issues one
        // TLBI per unmapped page; flushing the whole cache each time made every later access
        // take the slow path once).
        const removed: TlbEntry[] = [];
        t.tlb.invalidate(scope, removed);
        for (const e of removed) t.fast.dropPage(e.vpn);
      } else {
        if (scope !== null) t.tlb.invalidate(scope);
        t.fast.flush();
      }
    }
  }

  at(pe: PE, op: string, lo: number, hi: number): void {
    executeAt(pe, op, lo, hi);
  }
}

function explainFault(f: FaultRecord, ctx: Ctx, el: number): string {
  const stage = f.stage2 ? `Stage-2${f.s1ptw ? ' (on the stage-1 table walk)' : ''}` : 'Stage-1';
  const where = f.stage2 ? `, IPA 0x${f.ipa.toString(16)}${ctx.regime === Regime.EL10 ? ` in VMID ${ctx.vmid}` : ''}` : '';
  return `${stage} ${FAULT_NAMES[f.type].toLowerCase()}, level ${f.level} (EL${el}, ${REGIME_NAMES[ctx.regime]}${where}): ${f.why}`;
}

/** Installs the MMU on a board's PEs; board.tlbi/board.at are wired to it. */
export function installMmu(board: Board, pes: readonly PE[]): Mmu {
  const mmu = new Mmu(pes);
  const b = board as { tlbi?: Board['tlbi']; at?: Board['at'] };
  b.tlbi = (pe, op, lo, hi) => mmu.tlbi(pe, op, lo, hi);
  b.at = (pe, op, lo, hi) => mmu.at(pe, op, lo, hi);
  return mmu;
}

export { ctxAsid };
