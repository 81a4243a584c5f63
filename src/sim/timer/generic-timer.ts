// The Generic Timer's per-PE timers (DDI0487 D11.2): the EL1 physical timer (CNTP_*), the
// virtual timer (CNTV_*), the EL2 physical timer (CNTHP_*) and, with FEAT_VHE, the EL2 virtual
// timer (CNTHV_*). Each has CTL (ENABLE, IMASK, ISTATUS), a 64-bit CVAL and the 32-bit
// TimerValue view TVAL. Outputs are level-sensitive PPIs into the GIC, as on QEMU's virt board:
// 30 (EL1 physical), 27 (virtual), 26 (EL2 physical), 28 (EL2 virtual).
//
// Time is simulated: the physical count is floor(cycles / cyclesPerTick) of the PE's executed
// cycles (see PE.now()), so runs are deterministic. Each PE has an `eventDeadline`: the cycle at
// which its earliest enabled, unmasked, not-yet-fired timer condition becomes true. The PE run
// loop ends its slice there and the board calls `update(pe)`; the scheduler fast-forwards to it
// when every PE waits in WFI.
//
// Counter registers (CNTFRQ/CNTPCT/CNTVCT/CNTKCTL/CNTHCTL/CNTVOFF) stay in sysregs/counter.ts.
// This file must not import the system-register index at run time (the index imports TIMER_REGS).
import { Access, enc, type SysRegDef } from '../sysregs/types';
import type { PE } from '../pe';
import type { EventBus } from '../events';
import { TWO32 } from '../u64';

export const enum TimerIndex { Phys = 0, Virt = 1, HypPhys = 2, HypVirt = 3 }
export const TIMER_NAMES = ['CNTP', 'CNTV', 'CNTHP', 'CNTHV'] as const;
export type TimerName = typeof TIMER_NAMES[number];
/** PPI of each timer (QEMU virt: ARCH_TIMER_*_IRQ + 16). */
export const TIMER_PPI = [30, 27, 26, 28] as const;
/** QEMU's generic timer frequency (CNTFRQ_EL0 = 62.5 MHz). */
export const CNTFRQ_HZ = 62_500_000;

export const CTL_ENABLE = 1;
export const CTL_IMASK = 2;
export const CTL_ISTATUS = 4;

/** What the timers drive: PPIs of an interrupt controller. */
export interface TimerIrqSink {
  setPpi(pe: number, intid: number, level: boolean): void;
}

export interface TimerSnapshot {
  name: TimerName;
  /** PPI the timer raises. */
  intid: number;
  ctl: number;
  enable: boolean;
  imask: boolean;
  istatus: boolean;
  /** CVAL as 16 hex digits, and as a number (exact below 2^53). */
  cval: string;
  cvalNum: number;
  /** TVAL as the signed 32-bit TimerValue the PE would read at EL2 (negative once expired). */
  tval: number;
  /** The timer's output (ENABLE && ISTATUS && !IMASK) — the PPI level. */
  asserted: boolean;
  /** Counter ticks until the condition is met (0 when met, null when disabled). */
  ticksToFire: number | null;
  /** Cycles until the condition is met, at the board's cycles-per-tick (null when disabled). */
  cyclesToFire: number | null;
}

export interface TimersSnapshot {
  pe: number;
  frequency: number;
  cyclesPerTick: number;
  /** PE cycle count the snapshot was taken at. */
  cycles: number;
  /** CNTPCT and CNTVCT (= CNTPCT - CNTVOFF_EL2) as hex, and CNTPCT as a number. */
  physicalCount: string;
  physicalCountNum: number;
  virtualCount: string;
  cntvoff: string;
  cntkctl: number;
  cnthctl: number;
  /** Cycle at which this PE's next timer event is due (null: none). */
  nextDeadline: number | null;
  timers: TimerSnapshot[];
}

const hex = (lo: number, hi: number): string => hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');

/** (alo, ahi) - (blo, bhi) mod 2^64 into the scratch record. */
const D = { lo: 0, hi: 0 };
function sub64(alo: number, ahi: number, blo: number, bhi: number): void {
  const lo = alo - blo;
  D.lo = lo >>> 0;
  D.hi = (ahi - bhi - (lo < 0 ? 1 : 0)) >>> 0;
}
function add64(alo: number, ahi: number, blo: number, bhi: number): void {
  const lo = alo + blo;
  D.lo = lo >>> 0;
  D.hi = (ahi + bhi + (lo >= TWO32 ? 1 : 0)) >>> 0;
}
/** a >= b, unsigned 64-bit. */
function geq64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return ahi > bhi || (ahi === bhi && alo >= blo);
}

export class GenericTimers {
  /** CTL (ENABLE, IMASK) per [pe * 4 + timer]. */
  readonly ctl: Uint8Array;
  readonly cvalLo: Uint32Array;
  readonly cvalHi: Uint32Array;
  /** Current output level per [pe * 4 + timer]. */
  readonly output: Uint8Array;

  constructor(readonly pes: readonly PE[], readonly sink: TimerIrqSink | null, readonly bus: EventBus, readonly cyclesPerTick: number) {
    const n = pes.length * 4;
    this.ctl = new Uint8Array(n);
    this.cvalLo = new Uint32Array(n);
    this.cvalHi = new Uint32Array(n);
    this.output = new Uint8Array(n);
  }

  /** CPU reset of one PE's timers (QEMU resets CTL to 0; CVAL is UNKNOWN, we choose 0). */
  resetPe(pe: PE): void {
    for (let t = 0; t < 4; t++) {
      const i = pe.id * 4 + t;
      this.ctl[i] = 0;
      this.cvalLo[i] = 0;
      this.cvalHi[i] = 0;
    }
    this.update(pe);
  }

  // ------------------------------------------------------------- counter

  /** Physical count of `pe` now (a number: below 2^53 for any realistic run). */
  physicalCount(pe: PE): number {
    return Math.floor(pe.now() / this.cyclesPerTick);
  }

  /** Offset subtracted for timer t's comparison (CNTVOFF_EL2 for the virtual timer). */
  private offset(pe: PE, t: number): void {
    if (t === TimerIndex.Virt) { D.lo = pe.sys[pe.slotCNTVOFF_EL2 * 2]; D.hi = pe.sys[pe.slotCNTVOFF_EL2 * 2 + 1]; }
    else { D.lo = 0; D.hi = 0; }
  }

  /** The count timer t compares against (its view of the counter), into D. */
  private timerCount(pe: PE, t: number, phys: number): void {
    const plo = phys % TWO32 >>> 0, phi = Math.floor(phys / TWO32) >>> 0;
    this.offset(pe, t);
    sub64(plo, phi, D.lo, D.hi);
  }

  /**
   * The count a register access by the PE sees for timer t: the virtual timer's offset is
   * ignored at EL2 with E2H and at EL0 with E2H and TGE (as CNTVCT_EL0 reads).
   */
  private accessCount(pe: PE, t: number, phys: number): void {
    if (t === TimerIndex.Virt && ((pe.el === 2 && pe.e2h()) || (pe.el === 0 && pe.e2h() && pe.tge()))) {
      D.lo = phys % TWO32 >>> 0; D.hi = Math.floor(phys / TWO32) >>> 0;
      return;
    }
    this.timerCount(pe, t, phys);
  }

  /** ISTATUS of timer t at physical count `phys`: count - offset >= CVAL (unsigned). */
  private condition(pe: PE, t: number, phys: number): boolean {
    const i = pe.id * 4 + t;
    this.timerCount(pe, t, phys);
    return geq64(D.lo, D.hi, this.cvalLo[i], this.cvalHi[i]);
  }

  // ------------------------------------------------------------- outputs and deadlines

  /**
   * Recomputes every timer output of `pe` at its current time, drives the PPIs, emits
   * timerFired on a rising output, and sets pe.eventDeadline to the next condition change.
   */
  update(pe: PE): void {
    const phys = this.physicalCount(pe);
    let deadline = Infinity;
    for (let t = 0; t < 4; t++) {
      const i = pe.id * 4 + t;
      const c = this.ctl[i];
      let out = 0;
      if ((c & CTL_ENABLE) && !(c & CTL_IMASK)) {
        if (this.condition(pe, t, phys)) {
          out = 1;
        } else {
          // Fires when phys >= CVAL + offset (no wrap: the condition is false now).
          this.offset(pe, t);
          const ticks = (this.cvalHi[i] + D.hi) * TWO32 + this.cvalLo[i] + D.lo;
          const cyc = ticks * this.cyclesPerTick;
          if (cyc < deadline) deadline = cyc;
        }
      }
      if (out !== this.output[i]) {
        this.output[i] = out;
        this.sink?.setPpi(pe.id, TIMER_PPI[t], out === 1);
        if (out && this.bus.wants.timerFired) {
          this.bus.emit('timerFired', { pe: pe.id, timer: TIMER_NAMES[t], intid: TIMER_PPI[t], count: phys });
        }
      }
    }
    pe.postDeadline(0, deadline >= 2 ** 53 ? Infinity : deadline);
  }

  // ------------------------------------------------------------- register semantics

  readCtl(pe: PE, t: number): number {
    const i = pe.id * 4 + t;
    // ISTATUS is UNKNOWN while the timer is disabled: we choose 0, as QEMU.
    return this.ctl[i] | ((this.ctl[i] & CTL_ENABLE) && this.condition(pe, t, this.physicalCount(pe)) ? CTL_ISTATUS : 0);
  }

  writeCtl(pe: PE, t: number, v: number): void {
    this.ctl[pe.id * 4 + t] = v & (CTL_ENABLE | CTL_IMASK);
    this.update(pe);
  }

  writeCval(pe: PE, t: number, lo: number, hi: number): void {
    const i = pe.id * 4 + t;
    this.cvalLo[i] = lo >>> 0;
    this.cvalHi[i] = hi >>> 0;
    this.update(pe);
  }

  /** TVAL read: (CVAL - count) truncated to 32 bits (the register's upper half is RES0). */
  readTval(pe: PE, t: number): number {
    const i = pe.id * 4 + t;
    this.accessCount(pe, t, this.physicalCount(pe));
    sub64(this.cvalLo[i], this.cvalHi[i], D.lo, D.hi);
    return D.lo;
  }

  /** TVAL write: CVAL = count + SignExtend(TVAL[31:0]). DDI0487 D11.2.4 */
  writeTval(pe: PE, t: number, v: number): void {
    const i = pe.id * 4 + t;
    this.accessCount(pe, t, this.physicalCount(pe));
    const clo = D.lo, chi = D.hi;
    add64(clo, chi, v >>> 0, v & 0x80000000 ? 0xffffffff : 0);
    this.cvalLo[i] = D.lo;
    this.cvalHi[i] = D.hi;
    this.update(pe);
  }

  // ------------------------------------------------------------- debugger view

  snapshot(pe: PE): TimersSnapshot {
    const phys = this.physicalCount(pe);
    const plo = phys % TWO32 >>> 0, phi = Math.floor(phys / TWO32) >>> 0;
    this.timerCount(pe, TimerIndex.Virt, phys);
    const vcount = hex(D.lo, D.hi);
    const timers: TimerSnapshot[] = [];
    for (let t = 0; t < 4; t++) {
      const i = pe.id * 4 + t;
      const c = this.ctl[i];
      const ist = (c & CTL_ENABLE) !== 0 && this.condition(pe, t, phys);
      this.timerCount(pe, t, phys);
      sub64(this.cvalLo[i], this.cvalHi[i], D.lo, D.hi);
      const tval = D.lo | 0;
      let ticks: number | null = null;
      if (c & CTL_ENABLE) {
        if (ist) ticks = 0;
        else ticks = D.hi * TWO32 + D.lo;
      }
      timers.push({
        name: TIMER_NAMES[t], intid: TIMER_PPI[t], ctl: c | (ist ? CTL_ISTATUS : 0),
        enable: (c & CTL_ENABLE) !== 0, imask: (c & CTL_IMASK) !== 0, istatus: ist,
        cval: hex(this.cvalLo[i], this.cvalHi[i]), cvalNum: this.cvalHi[i] * TWO32 + this.cvalLo[i],
        tval, asserted: this.output[i] === 1, ticksToFire: ticks,
        cyclesToFire: ticks === null ? null : Math.max(0, ticks * this.cyclesPerTick - (pe.now() % this.cyclesPerTick)),
      });
    }
    return {
      pe: pe.id, frequency: CNTFRQ_HZ, cyclesPerTick: this.cyclesPerTick, cycles: pe.now(),
      physicalCount: hex(plo, phi), physicalCountNum: phys, virtualCount: vcount,
      cntvoff: hex(pe.sys[pe.slotCNTVOFF_EL2 * 2], pe.sys[pe.slotCNTVOFF_EL2 * 2 + 1]),
      cntkctl: pe.sys[pe.slotCNTKCTL_EL1 * 2], cnthctl: pe.sys[pe.slotCNTHCTL_EL2 * 2],
      nextDeadline: Number.isFinite(pe.eventDeadline) ? pe.eventDeadline : null,
      timers,
    };
  }
}

// ------------------------------------------------------------------ system registers

function timersOf(pe: PE): GenericTimers | undefined { return pe.board.timers; }

/**
 * Access checks of DDI0487 D11.2 (CNTKCTL_EL1 / CNTHCTL_EL2), as QEMU's gt_timer_access:
 * EL0 needs EL0PTEN/EL0VTEN (in CNTHCTL_EL2 when E2H and TGE are both set, else CNTKCTL_EL1);
 * EL1/EL0 physical timer accesses also need CNTHCTL_EL2.EL1PCEN (E2H=0) or EL1PTEN (E2H=1).
 */
function timerAccess(pe: PE, t: number): Access {
  if (!timersOf(pe)) return Access.Undefined;
  const el = pe.el;
  const e2h = pe.e2h(), tge = pe.tge();
  const cnthctl = pe.sys[pe.slotCNTHCTL_EL2 * 2];
  if (el === 0) {
    const bit = t === TimerIndex.Phys ? 1 << 9 : 1 << 8;
    if (e2h && tge) { if (!(cnthctl & bit)) return Access.TrapEL2; }
    else if (!(pe.sys[pe.slotCNTKCTL_EL1 * 2] & bit)) return Access.TrapEL1;
  }
  if (t === TimerIndex.Phys && el <= 1 && !(e2h && tge)) {
    if (!(cnthctl & (e2h ? 1 << 11 : 1 << 1))) return Access.TrapEL2;
  }
  return Access.Ok;
}

function hypAccess(pe: PE, t: number): Access {
  if (!timersOf(pe)) return Access.Undefined;
  if (t === TimerIndex.HypVirt && !pe.features.vhe) return Access.Undefined;
  return Access.Ok;
}

const CTL_FIELDS = [
  { name: 'ENABLE', lsb: 0, width: 1, desc: 'Timer enabled' },
  { name: 'IMASK', lsb: 1, width: 1, desc: 'Interrupt masked' },
  { name: 'ISTATUS', lsb: 2, width: 1, desc: 'Timer condition met (read-only)' },
];

function timerRegs(t: number, prefix: string, suffix: string, op1: number, crm: number, minEL: 0 | 2, longName: string,
  redirect?: string): SysRegDef[] {
  const access = minEL === 0 ? (pe: PE) => timerAccess(pe, t) : (pe: PE) => hypAccess(pe, t);
  const r = (s: string): string | undefined => (redirect ? `${redirect}_${s}_EL2` : undefined);
  return [
    { name: `${prefix}_TVAL_${suffix}`, ...enc(`3,${op1},14,${crm},0`), group: 'Timer', long: `${longName} TimerValue`, minEL,
      wmaskHi: 0, access, e2hRedirect: r('TVAL'),
      read: (pe) => { pe.srLo = timersOf(pe)!.readTval(pe, t); pe.srHi = 0; },
      write: (pe, lo) => { timersOf(pe)!.writeTval(pe, t, lo); return true; } },
    { name: `${prefix}_CTL_${suffix}`, ...enc(`3,${op1},14,${crm},1`), group: 'Timer', long: `${longName} Control`, minEL,
      wmask: 3, wmaskHi: 0, access, e2hRedirect: r('CTL'), fields: CTL_FIELDS,
      read: (pe) => { pe.srLo = timersOf(pe)!.readCtl(pe, t); pe.srHi = 0; },
      write: (pe, lo) => { timersOf(pe)!.writeCtl(pe, t, lo); return true; } },
    { name: `${prefix}_CVAL_${suffix}`, ...enc(`3,${op1},14,${crm},2`), group: 'Timer', long: `${longName} CompareValue`, minEL,
      access, e2hRedirect: r('CVAL'),
      read: (pe) => { const g = timersOf(pe)!; const i = pe.id * 4 + t; pe.srLo = g.cvalLo[i]; pe.srHi = g.cvalHi[i]; },
      write: (pe, lo, hi) => { timersOf(pe)!.writeCval(pe, t, lo, hi); return true; } },
  ];
}

function aliases(prefix: string, crm: number): SysRegDef[] {
  return (['TVAL', 'CTL', 'CVAL'] as const).map((r, i) => ({
    name: `${prefix}_${r}_EL02`, ...enc(`3,5,14,${crm},${i}`), group: 'Timer' as const, long: `${prefix}_${r}_EL0 accessed from EL2 with E2H (FEAT_VHE)`,
    minEL: 2 as const, e2hAliasOf: `${prefix}_${r}_EL0`,
  }));
}

/** Timer registers (DDI0487 D17.8). With E2H at EL2, CNTP_* / CNTV_* reach CNTHP_* / CNTHV_*. */
export const TIMER_REGS: SysRegDef[] = [
  ...timerRegs(TimerIndex.Phys, 'CNTP', 'EL0', 3, 2, 0, 'Counter-timer Physical Timer', 'CNTHP'),
  ...timerRegs(TimerIndex.Virt, 'CNTV', 'EL0', 3, 3, 0, 'Counter-timer Virtual Timer', 'CNTHV'),
  ...timerRegs(TimerIndex.HypPhys, 'CNTHP', 'EL2', 4, 2, 2, 'Counter-timer Hypervisor Physical Timer'),
  ...timerRegs(TimerIndex.HypVirt, 'CNTHV', 'EL2', 4, 3, 2, 'Counter-timer Virtual Timer (EL2, FEAT_VHE)'),
  ...aliases('CNTP', 2),
  ...aliases('CNTV', 3),
  { name: 'CNTKCTL_EL12', ...enc('3,5,14,1,0'), group: 'Timer', long: 'CNTKCTL_EL1 accessed from EL2 with E2H (FEAT_VHE)', minEL: 2,
    e2hAliasOf: 'CNTKCTL_EL1' },
];
