// The Performance Monitors Extension, PMUv3 (DDI0487, chapter "The Performance Monitors Extension",
// and the register descriptions under "Performance Monitors registers"): PMCR_EL0, N event counters (N from the CPU model: 6 on the
// Cortex-A57) with their type/filter registers, the 64-bit cycle counter PMCCNTR_EL0 with
// PMCCFILTR_EL0, enable/overflow/interrupt-enable set/clear pairs, PMSELR/PMXEV* indirection,
// PMSWINC_EL0, PMCEID0/1_EL0, PMUSERENR_EL0 (EL0 access) and the EL2 controls in MDCR_EL2
// (HPMN partitioning, HPME, TPM/TPMCR traps, HPMD with FEAT_PMUv3p1).
//
// Events counted, exactly (PMCEID0_EL0 advertises these and only these):
//   0x00 SW_INCR      writes to PMSWINC_EL0
//   0x08 INST_RETIRED instructions architecturally executed (an instruction that takes a
//                     synchronous exception other than SVC/HVC/SMC is not; ERET is)
//   0x09 EXC_TAKEN    exceptions taken
//   0x0A EXC_RETURN   exception returns (ERET)
//   0x11 CPU_CYCLES   PE cycles: one per instruction, plus the cost model's charges when one is
//                     installed (pe.now()); time a WFI sleeps counts too (we choose: the clock runs)
// Event codes not listed never count.
//
// Nothing is added to the instruction hot path. Counters are computed lazily from per-EL
// totals: the PE's retired-step count (instret + sliceExecuted) and cycle count (now()) are
// attributed to an Exception level at every EL change, which only happens at exception entry and
// ERET (slow paths that call pmuExceptionTaken / pmuExceptionReturn). A counter holds its value
// at its last "fold" and the filtered total of its event source at that moment; its value now is
// that value plus the growth of the source since. Overflow needs no per-instruction check either:
// a counter of instructions or cycles cannot overflow sooner than `remaining` cycles from now, so
// the PMU posts that cycle as a PE deadline (pe.postDeadline, shared with the generic timers) and
// re-checks there; SW_INCR and the exception events overflow only where they are counted.
//
// Exception-level attribution (PMEVTYPER<n>_EL0.P/U/NSH filtering): an instruction counts at the
// EL it executes at, ERET included; EXC_TAKEN counts at the EL the exception is taken from and
// EXC_RETURN at the EL the ERET executes at (we choose the EL where the event's instruction or
// state is; the Arm ARM leaves the attribution of these events to the implementation).
// The cost model's exception entry/return charges count at the target EL.
//
// All PMU state lives in one Float64Array per PE (pe.pmu) so snapshots and reverse execution
// capture it with the rest of the PE. This file must not import the system-register index at run
// time (the index imports PMU_REGS).
import { Access, type SysRegDef, type TrapRule } from '../sysregs/types';
import type { PE } from '../pe';
import { CPU_MODELS } from '../cpu-model';
import { TWO32 } from '../u64';

/** The PMU overflow interrupt: PPI 23 on QEMU's virt board (VIRTUAL_PMU_IRQ 7 + 16). */
export const PMU_PPI = 23;

/** Architectural event numbers (DDI0487, "The PMU event number space and common events"). */
export const PMU_EVENT = { SW_INCR: 0x00, INST_RETIRED: 0x08, EXC_TAKEN: 0x09, EXC_RETURN: 0x0a, CPU_CYCLES: 0x11 } as const;
/** PMCEID0_EL0: bit n set when common event n is counted. */
export const PMCEID0 = (1 << 0x00) | (1 << 0x08) | (1 << 0x09) | (1 << 0x0a) | (1 << 0x11);

// PMCR_EL0 bits.
const PMCR_E = 1, PMCR_P = 2, PMCR_C = 4, PMCR_D = 8, PMCR_DP = 0x20, PMCR_LC = 0x40;
/** Writable PMCR_EL0 bits: E, D, X, DP, LC (P and C are write-only actions that read 0). */
const PMCR_WMASK = 0x79;
// PMEVTYPER<n>_EL0 / PMCCFILTR_EL0 filter bits. NSK, NSU and M are RES0 without EL3, MT without
// a multithreaded PMU (DDI0487, PMEVTYPER<n>_EL0 field descriptions).
const F_P = 0x80000000, F_U = 0x40000000, F_NSH = 0x08000000;
const FILTER_BITS = (F_P | F_U | F_NSH) >>> 0;
// MDCR_EL2 bits.
const MDCR_HPMN = 0x1f, MDCR_HPME = 1 << 7, MDCR_HPMD = 1 << 17;
// PMUSERENR_EL0 bits.
const UEN_EN = 1, UEN_SW = 2, UEN_CR = 4, UEN_ER = 8;

/** Index of the cycle counter in the bit masks (PMCNTENSET_EL0.C etc.) and in the state arrays. */
const CC = 31;

// ---------------------------------------------------------------- state layout (pe.pmu)
/** Per-EL totals: [el * 5 + k] for k = steps, cycles, retired-correction, exceptions taken, ERETs. */
const ACC = 0, K_STEPS = 0, K_CYC = 1, K_FIX = 2, K_EXC = 3, K_ERET = 4;
/** Step and cycle counts at the last EL change. */
const MARK_S = 15, MARK_C = 16;
const R_PMCR = 17, R_CNTEN = 18, R_OVS = 19, R_INTEN = 20, R_SELR = 21, R_USERENR = 22;
/** MDCR_EL2 as the counters were last configured with (HPMN, HPME, HPMD). */
const R_MDCR = 23;
/** Level of the PMU interrupt output. */
const R_IRQ = 24;
/** Bit mask of the counters counting now (bit 31: cycle counter). */
const R_ACTIVE = 25;
/** PMEVTYPER<n>_EL0 at [TYPER + n]; PMCCFILTR_EL0 at [TYPER + 31]. */
const TYPER = 32;
/** Counter value at its last fold, low and high words (event counters are 32-bit). */
const LO = 64, HI = 96;
/** Filtered total of the counter's event source at its last fold. */
const SRC = 128;
export const PMU_STATE_SIZE = 160;

/** Deadline slot the PMU posts in (pe.deadlines): slot 0 is the generic timers'. */
export const PMU_DEADLINE_SLOT = 1;

/** Event counters the model implements (PMCR_EL0.N). */
function numCounters(pe: PE): number { return (pe.model.pmcr >>> 11) & 0x1f; }

/** Largest N of any model: the PMEVCNTR<n>/PMEVTYPER<n> encodings the table holds (n >= N is UNDEFINED anyway). */
const MAX_N = Math.max(...Object.values(CPU_MODELS).map((m) => (m.pmcr >>> 11) & 0x1f));

/** MDCR_EL2.HPMN as it partitions the counters (values above N behave as N: we choose so). */
function hpmnOf(pe: PE, mdcr: number): number { return Math.min(mdcr & MDCR_HPMN, numCounters(pe)); }

/** Event counters accessible at the current EL: HPMN at EL0/EL1, N at EL2. */
function accessible(pe: PE): number {
  return pe.el < 2 ? hpmnOf(pe, pe.sys[pe.slotMDCR_EL2 * 2]) : numCounters(pe);
}

/** Bits of the set/clear registers visible at the current EL: accessible counters and C (bit 31). */
function visibleMask(pe: PE): number {
  const n = accessible(pe);
  return ((n >= 31 ? 0x7fffffff : (1 << n) - 1) | 0x80000000) >>> 0;
}

function evtMask(pe: PE): number { return pe.features.pmuv3p1 ? 0xffff : 0x3ff; }

// ---------------------------------------------------------------- counting

/** Exception levels counter i counts at (bit e = EL e), from its filter and MDCR_EL2.HPMD. */
function elMask(pe: PE, i: number): number {
  const s = pe.pmu;
  const t = s[TYPER + i];
  let m = 0;
  if (!(t & F_U)) m |= 1;
  if (!(t & F_P)) m |= 2;
  if (t & F_NSH) m |= 4;
  // FEAT_PMUv3p1 MDCR_EL2.HPMD prohibits counting at EL2 by counters [0, HPMN), and by the
  // cycle counter when PMCR_EL0.DP is set (DDI0487, "Prohibiting event and cycle counting").
  const mdcr = s[R_MDCR];
  if (pe.features.pmuv3p1 && (mdcr & MDCR_HPMD) && (i === CC ? (s[R_PMCR] & PMCR_DP) !== 0 : i < hpmnOf(pe, mdcr))) m &= ~4;
  return m;
}

function eventOf(pe: PE, i: number): number {
  return i === CC ? PMU_EVENT.CPU_CYCLES : pe.pmu[TYPER + i] & evtMask(pe);
}

/** Counters enabled for counting (bit i), from PMCR_EL0.E, MDCR_EL2.HPME and PMCNTENSET_EL0. */
function activeMask(pe: PE): number {
  const s = pe.pmu;
  const n = numCounters(pe), hpmn = hpmnOf(pe, s[R_MDCR]);
  const low = hpmn >= 31 ? 0x7fffffff : (1 << hpmn) - 1;
  const all = n >= 31 ? 0x7fffffff : (1 << n) - 1;
  let m = 0;
  if (s[R_PMCR] & PMCR_E) m |= low | 0x80000000;
  if (s[R_MDCR] & MDCR_HPME) m |= all & ~low;
  return (m & s[R_CNTEN]) >>> 0;
}

/** Filtered running total of the event source of counter i (its growth is what the counter counts). */
function sourceTotal(pe: PE, i: number): number {
  const s = pe.pmu;
  const ev = eventOf(pe, i);
  let k: number;
  switch (ev) {
    case PMU_EVENT.INST_RETIRED: k = K_STEPS; break;
    case PMU_EVENT.CPU_CYCLES: k = K_CYC; break;
    case PMU_EVENT.EXC_TAKEN: k = K_EXC; break;
    case PMU_EVENT.EXC_RETURN: k = K_ERET; break;
    default: return 0;
  }
  const mask = elMask(pe, i);
  let total = 0;
  for (let e = 0; e < 3; e++) {
    if (!(mask & (1 << e))) continue;
    total += s[ACC + e * 5 + k];
    if (k === K_STEPS) total += s[ACC + e * 5 + K_FIX];
  }
  if (mask & (1 << pe.el)) {
    if (k === K_STEPS) total += pe.instret + pe.sliceExecuted - s[MARK_S];
    else if (k === K_CYC) total += pe.now() - s[MARK_C];
  }
  return total;
}

/** Increments counted by counter i since its last fold (PMCR_EL0.D: the cycle counter counts every 64th cycle). */
function pending(pe: PE, i: number): number {
  const now = sourceTotal(pe, i), then = pe.pmu[SRC + i];
  if (i === CC && (pe.pmu[R_PMCR] & PMCR_D)) return Math.floor(now / 64) - Math.floor(then / 64);
  return now - then;
}

/** Scratch result of value(): low and high words and whether the counter overflowed since its fold. */
const V = { lo: 0, hi: 0, ovf: false };

/**
 * Counter i's value now, without changing any state (register reads, the debugger). Event
 * counters are 32 bits; PMCCNTR_EL0 is 64 bits and overflows at bit 31 (PMCR_EL0.LC = 0) or 63.
 */
function value(pe: PE, i: number, d: number): void {
  const s = pe.pmu;
  const v = s[LO + i] + d;
  if (i !== CC) { V.lo = v % TWO32; V.hi = 0; V.ovf = v >= TWO32; return; }
  const carry = Math.floor(v / TWO32);
  const hi = s[HI + i] + carry;
  V.lo = v % TWO32;
  V.hi = hi % TWO32;
  V.ovf = s[R_PMCR] & PMCR_LC ? hi >= TWO32 : carry > 0;
}

function pendingIfActive(pe: PE, i: number): number {
  return (pe.pmu[R_ACTIVE] & (i === CC ? 0x80000000 : 1 << i)) !== 0 ? pending(pe, i) : 0;
}

/** PMOVSSET as it reads now: the recorded flags and overflows that happened since the last fold. */
function overflowFlags(pe: PE): number {
  let f = pe.pmu[R_OVS];
  const act = pe.pmu[R_ACTIVE];
  if (act === 0) return f >>> 0;
  for (let i = 0; i < 32; i++) {
    if (!(act & (i === CC ? 0x80000000 : 1 << i))) continue;
    value(pe, i, pending(pe, i));
    if (V.ovf) f |= i === CC ? 0x80000000 : 1 << i;
  }
  return f >>> 0;
}

/** Folds every active counter: value += pending, overflow flags recorded, source totals re-based. */
function fold(pe: PE): void {
  const s = pe.pmu;
  const act = s[R_ACTIVE];
  for (let i = 0; i < 32; i++) {
    const bit = i === CC ? 0x80000000 : 1 << i;
    if (!(act & bit)) continue;
    value(pe, i, pending(pe, i));
    s[LO + i] = V.lo; s[HI + i] = V.hi;
    if (V.ovf) s[R_OVS] = (s[R_OVS] | bit) >>> 0;
    s[SRC + i] = sourceTotal(pe, i);
  }
}

/** After a configuration change: every counter's source total from now on, the active set, outputs. */
function rebase(pe: PE): void {
  const s = pe.pmu;
  for (let i = 0; i < 32; i++) s[SRC + i] = sourceTotal(pe, i);
  s[R_ACTIVE] = activeMask(pe);
  update(pe);
}

/**
 * Folds, applies `change` to the configuration, and re-bases: the way every register write goes.
 * Returns true so the MSR ends the run loop's block: the overflow deadline or the interrupt
 * output may have changed (the loop's slice limit is computed from the deadline at block start).
 */
function reconfigure(pe: PE, change: () => void): true {
  fold(pe);
  change();
  rebase(pe);
  return true;
}

/**
 * Recomputes the interrupt output (PPI 23) and the next overflow deadline. The interrupt request
 * is PMOVSSET & PMINTENSET for counters enabled by PMCR_EL0.E (or MDCR_EL2.HPME for counters
 * reserved for EL2). DDI0487, "Generating overflow interrupt requests".
 */
function update(pe: PE): void {
  const s = pe.pmu;
  const n = numCounters(pe), hpmn = hpmnOf(pe, s[R_MDCR]);
  const low = hpmn >= 31 ? 0x7fffffff : (1 << hpmn) - 1;
  const all = n >= 31 ? 0x7fffffff : (1 << n) - 1;
  let gate = 0;
  if (s[R_PMCR] & PMCR_E) gate |= low | 0x80000000;
  if (s[R_MDCR] & MDCR_HPME) gate |= all & ~low;
  const level = (s[R_OVS] & s[R_INTEN] & gate) !== 0 ? 1 : 0;
  if (level !== s[R_IRQ]) {
    s[R_IRQ] = level;
    pe.board.gic?.setPpi(pe.id, PMU_PPI, level === 1);
  }
  // Deadline: cycles until the nearest instruction or cycle counter could overflow (each of those
  // events takes at least one cycle), counting only counters that count at the current EL (an EL
  // change re-arms it).
  let deadline = Infinity;
  const act = s[R_ACTIVE];
  if (act !== 0) {
    const now = pe.now();
    for (let i = 0; i < 32; i++) {
      if (!(act & (i === CC ? 0x80000000 : 1 << i))) continue;
      const ev = eventOf(pe, i);
      if ((ev !== PMU_EVENT.INST_RETIRED && ev !== PMU_EVENT.CPU_CYCLES) || !(elMask(pe, i) & (1 << pe.el))) continue;
      value(pe, i, pending(pe, i));
      let left: number;
      if (i !== CC) left = TWO32 - V.lo;
      else if (s[R_PMCR] & PMCR_LC) left = (TWO32 - 1 - V.hi) * TWO32 + (TWO32 - V.lo);
      else left = TWO32 - V.lo;
      if (i === CC && (s[R_PMCR] & PMCR_D)) left = Math.max(1, (left - 1) * 64);
      if (now + left < deadline) deadline = now + left;
    }
  }
  pe.postDeadline(PMU_DEADLINE_SLOT, deadline >= 2 ** 53 ? Infinity : deadline);
}

// ---------------------------------------------------------------- hooks for the PE and the board

/** Architectural reset: counters and controls 0 (their reset values are UNKNOWN; E resets to 0), HPMN = N. */
export function pmuReset(pe: PE): void {
  const s = pe.pmu;
  s.fill(0);
  s[MARK_S] = pe.instret + pe.sliceExecuted;
  s[MARK_C] = pe.now();
  // MDCR_EL2.HPMN resets to PMCR_EL0.N (DDI0487, MDCR_EL2.HPMN: on a Warm reset it resets to PMCR_EL0.N).
  const m = pe.slotMDCR_EL2 * 2;
  pe.sys[m] = ((pe.sys[m] & ~MDCR_HPMN) | numCounters(pe)) >>> 0;
  s[R_MDCR] = pe.sys[m];
  pe.postDeadline(PMU_DEADLINE_SLOT, Infinity);
}

/** Moves the step and cycle counts since the last EL change to `from`'s totals. */
function markEl(pe: PE, from: number): void {
  const s = pe.pmu;
  const steps = pe.instret + pe.sliceExecuted, cyc = pe.now();
  s[ACC + from * 5 + K_STEPS] += steps - s[MARK_S];
  s[ACC + from * 5 + K_CYC] += cyc - s[MARK_C];
  s[MARK_S] = steps;
  s[MARK_C] = cyc;
}

/**
 * Exception entry (called by PE.takeException after PSTATE.EL changed from `from` to `to`). The
 * run loop counts one step for it after this point: that step is no retired instruction unless the
 * exception came from SVC/HVC/SMC (preferred return address past the instruction), which retired
 * at `from`.
 */
export function pmuExceptionTaken(pe: PE, from: number, to: number, retired: boolean): void {
  const s = pe.pmu;
  markEl(pe, from);
  s[ACC + from * 5 + K_EXC] += 1;
  s[ACC + to * 5 + K_FIX] -= 1;
  if (retired) s[ACC + from * 5 + K_FIX] += 1;
  if (s[R_ACTIVE] !== 0) { fold(pe); update(pe); }
}

/** ERET from `from` (PSTATE.EL is now `to`; equal after an illegal return): the ERET retired at `from`. */
export function pmuExceptionReturn(pe: PE, from: number, to: number): void {
  const s = pe.pmu;
  markEl(pe, from);
  s[ACC + from * 5 + K_ERET] += 1;
  s[ACC + from * 5 + K_FIX] += 1;
  s[ACC + to * 5 + K_FIX] -= 1;
  if (s[R_ACTIVE] !== 0) { fold(pe); update(pe); }
}

/** The PE reached the PMU's deadline: record overflows, raise the interrupt, re-arm. */
export function pmuDeadline(pe: PE): void {
  if (pe.deadlines[PMU_DEADLINE_SLOT] > pe.now()) return;
  fold(pe);
  update(pe);
}

/** MDCR_EL2 was written (HPMN, HPME, HPMD change which counters count, and where). */
export function pmuMdcrWritten(pe: PE): true {
  return reconfigure(pe, () => { pe.pmu[R_MDCR] = pe.sys[pe.slotMDCR_EL2 * 2]; });
}

// ---------------------------------------------------------------- register semantics

/** Snapshot of the PMU for tools and tests. */
export interface PmuSnapshot {
  n: number;
  pmcr: number;
  cntEnable: number;
  overflow: number;
  intEnable: number;
  irq: boolean;
  counters: { index: number; event: number; value: string; counting: boolean }[];
  cycles: string;
}

export function pmuSnapshot(pe: PE): PmuSnapshot {
  const s = pe.pmu;
  const n = numCounters(pe);
  const counters = [];
  for (let i = 0; i < n; i++) {
    value(pe, i, pendingIfActive(pe, i));
    counters.push({ index: i, event: eventOf(pe, i), value: '0x' + V.lo.toString(16), counting: (s[R_ACTIVE] & (1 << i)) !== 0 });
  }
  value(pe, CC, pendingIfActive(pe, CC));
  const cycles = '0x' + (BigInt(V.hi) * 2n ** 32n + BigInt(V.lo)).toString(16);
  return { n, pmcr: s[R_PMCR] >>> 0, cntEnable: s[R_CNTEN] >>> 0, overflow: overflowFlags(pe), intEnable: s[R_INTEN] >>> 0, irq: s[R_IRQ] === 1, counters, cycles };
}

function readCounter(pe: PE, i: number): void {
  value(pe, i, pendingIfActive(pe, i));
  pe.srLo = V.lo >>> 0;
  pe.srHi = V.hi >>> 0;
}

function writeCounter(pe: PE, i: number, lo: number, hi: number): true {
  return reconfigure(pe, () => { pe.pmu[LO + i] = lo >>> 0; pe.pmu[HI + i] = i === CC ? hi >>> 0 : 0; });
}

function writeTyper(pe: PE, i: number, lo: number): true {
  const mask = i === CC ? FILTER_BITS : (FILTER_BITS | evtMask(pe)) >>> 0;
  return reconfigure(pe, () => { pe.pmu[TYPER + i] = (lo & mask) >>> 0; });
}

/** Writes a set/clear pair's underlying bits (only the bits visible at the current EL change). */
function setClear(pe: PE, reg: number, lo: number, set: boolean): true {
  const m = (lo & visibleMask(pe)) >>> 0;
  return reconfigure(pe, () => { pe.pmu[reg] = (set ? pe.pmu[reg] | m : pe.pmu[reg] & ~m) >>> 0; });
}

function writePmcr(pe: PE, lo: number): true {
  return reconfigure(pe, () => {
    const s = pe.pmu;
    s[R_PMCR] = lo & PMCR_WMASK;
    // P resets the event counters (at EL0/EL1 only those below HPMN); C resets PMCCNTR_EL0.
    if (lo & PMCR_P) for (let i = 0; i < accessible(pe); i++) s[LO + i] = 0;
    if (lo & PMCR_C) { s[LO + CC] = 0; s[HI + CC] = 0; }
  });
}

/** PMCR_EL0 read: N is MDCR_EL2.HPMN at EL0/EL1 (DDI0487, PMCR_EL0.N). */
function readPmcr(pe: PE): void {
  const n = pe.el < 2 ? pe.sys[pe.slotMDCR_EL2 * 2] & MDCR_HPMN : numCounters(pe);
  pe.srLo = ((pe.model.pmcr & ~(0x1f << 11)) | (n << 11) | (pe.pmu[R_PMCR] & PMCR_WMASK)) >>> 0;
  pe.srHi = 0;
}

/** PMSWINC_EL0: increments each enabled SW_INCR counter whose filter counts at the current EL. */
function swinc(pe: PE, lo: number): boolean {
  const s = pe.pmu;
  const m = lo & visibleMask(pe) & s[R_ACTIVE] & 0x7fffffff;
  if (m === 0) return false;
  fold(pe);
  for (let i = 0; i < 31; i++) {
    if (!(m & (1 << i)) || eventOf(pe, i) !== PMU_EVENT.SW_INCR || !(elMask(pe, i) & (1 << pe.el))) continue;
    const v = s[LO + i] + 1;
    if (v >= TWO32) { s[LO + i] = 0; s[R_OVS] = (s[R_OVS] | (1 << i)) >>> 0; } else s[LO + i] = v;
  }
  update(pe);
  return true;
}

/** PMSELR_EL0.SEL for PMXEVTYPER/PMXEVCNTR, or -1 when it selects no accessible counter. */
function selected(pe: PE, typer: boolean): number {
  const sel = pe.pmu[R_SELR] & 0x1f;
  if (sel === 31) return typer ? CC : -1;
  return sel < accessible(pe) ? sel : -1;
}

// ---------------------------------------------------------------- access control

/** What PMUSERENR_EL0 enables at EL0 besides EN (all of them). */
const enum User { None, SwInc, CycleRead, EventRead, Select }

/**
 * EL0 access (DDI0487, PMUSERENR_EL0 and the PMU registers' accessibility pseudocode): PMUSERENR_EL0.EN allows
 * everything; SW allows PMSWINC_EL0 writes, CR PMCCNTR_EL0 reads, ER event-counter reads and
 * PMSELR_EL0 reads/writes. Otherwise the access traps to EL1 (EC 0x18; EL2 with HCR_EL2.TGE).
 */
function el0(pe: PE, write: boolean, u: User, pmcr = false): Access {
  if (pe.el !== 0) return Access.Ok;
  const r = pe.pmu[R_USERENR];
  const allowed = (r & UEN_EN) !== 0 || (u === User.SwInc && write && (r & UEN_SW) !== 0)
    || (u === User.CycleRead && !write && (r & UEN_CR) !== 0) || (u === User.EventRead && !write && (r & UEN_ER) !== 0)
    || (u === User.Select && (r & UEN_ER) !== 0);
  if (!allowed) return Access.TrapEL1;
  return tpmUnderTge(pe, pmcr);
}

/**
 * The table's MDCR_EL2 trap rules are not applied at EL0 with HCR_EL2.TGE = 1 (HCR_EL2 controls
 * are off then), but MDCR_EL2.TPM/TPMCR still trap EL0 PMU accesses to EL2: the accessibility
 * pseudocode tests only EL2Enabled().
 */
function tpmUnderTge(pe: PE, pmcr: boolean): Access {
  return pe.el === 0 && pe.tge() && (pe.sys[pe.slotMDCR_EL2 * 2] & (pmcr ? 0x60 : 0x40)) !== 0 ? Access.TrapEL2 : Access.Ok;
}

/** MDCR_EL2.TPM (bit 6) traps EL0/EL1 accesses to every PMU register; TPMCR (bit 5) PMCR_EL0 as well. */
const TPM: TrapRule[] = [{ reg: 'MDCR_EL2', bits: [6] }];
const TPMCR: TrapRule[] = [{ reg: 'MDCR_EL2', bits: [6, 5] }];

function reg(name: string, e: [number, number, number, number, number], long: string, more: Partial<SysRegDef>): SysRegDef {
  const [op0, op1, crn, crm, op2] = e;
  return { name, op0, op1, crn, crm, op2, group: 'PMU', long, minEL: 0, traps: TPM, ...more };
}

const CNT_FIELDS = [{ name: 'C', lsb: 31, width: 1, desc: 'cycle counter' }, { name: 'P', lsb: 0, width: 31, desc: 'event counters (bit n = counter n)' }];
const FILTER_FIELDS = [{ name: 'P', lsb: 31, width: 1, desc: 'do not count at EL1' }, { name: 'U', lsb: 30, width: 1, desc: 'do not count at EL0' },
  { name: 'NSH', lsb: 27, width: 1, desc: 'count at EL2' }];

export const PMU_REGS: SysRegDef[] = [
  reg('PMCR_EL0', [3, 3, 9, 12, 0], 'Performance Monitors Control Register', {
    traps: TPMCR, access: (pe, w) => el0(pe, w, User.None, true), read: readPmcr, write: (pe, lo) => writePmcr(pe, lo),
    fields: [{ name: 'E', lsb: 0, width: 1, desc: 'enable counters below HPMN and PMCCNTR' }, { name: 'P', lsb: 1, width: 1, desc: 'event counter reset (WO)' },
      { name: 'C', lsb: 2, width: 1, desc: 'cycle counter reset (WO)' }, { name: 'D', lsb: 3, width: 1, desc: 'PMCCNTR counts every 64th cycle' },
      { name: 'X', lsb: 4, width: 1 }, { name: 'DP', lsb: 5, width: 1 }, { name: 'LC', lsb: 6, width: 1, desc: 'PMCCNTR overflows at 64 bits' },
      { name: 'N', lsb: 11, width: 5, desc: 'event counters (HPMN at EL0/EL1)' }, { name: 'IDCODE', lsb: 16, width: 8 }, { name: 'IMP', lsb: 24, width: 8 }] }),
  reg('PMCNTENSET_EL0', [3, 3, 9, 12, 1], 'Performance Monitors Count Enable Set register', {
    access: (pe, w) => el0(pe, w, User.None), fields: CNT_FIELDS,
    read: (pe) => { pe.srLo = (pe.pmu[R_CNTEN] & visibleMask(pe)) >>> 0; pe.srHi = 0; }, write: (pe, lo) => setClear(pe, R_CNTEN, lo, true) }),
  reg('PMCNTENCLR_EL0', [3, 3, 9, 12, 2], 'Performance Monitors Count Enable Clear register', {
    access: (pe, w) => el0(pe, w, User.None), fields: CNT_FIELDS,
    read: (pe) => { pe.srLo = (pe.pmu[R_CNTEN] & visibleMask(pe)) >>> 0; pe.srHi = 0; }, write: (pe, lo) => setClear(pe, R_CNTEN, lo, false) }),
  reg('PMOVSCLR_EL0', [3, 3, 9, 12, 3], 'Performance Monitors Overflow Flag Status Clear Register', {
    access: (pe, w) => el0(pe, w, User.None), fields: CNT_FIELDS,
    read: (pe) => { pe.srLo = (overflowFlags(pe) & visibleMask(pe)) >>> 0; pe.srHi = 0; }, write: (pe, lo) => setClear(pe, R_OVS, lo, false) }),
  reg('PMSWINC_EL0', [3, 3, 9, 12, 4], 'Performance Monitors Software Increment register', {
    writeOnly: true, access: (pe, w) => el0(pe, w, User.SwInc), write: (pe, lo) => swinc(pe, lo) }),
  reg('PMSELR_EL0', [3, 3, 9, 12, 5], 'Performance Monitors Event Counter Selection Register', {
    access: (pe, w) => el0(pe, w, User.Select), fields: [{ name: 'SEL', lsb: 0, width: 5 }],
    read: (pe) => { pe.srLo = pe.pmu[R_SELR]; pe.srHi = 0; }, write: (pe, lo) => { pe.pmu[R_SELR] = lo & 0x1f; } }),
  reg('PMCEID0_EL0', [3, 3, 9, 12, 6], 'Performance Monitors Common Event Identification register 0', {
    readOnly: true, access: (pe, w) => el0(pe, w, User.None),
    // Events 0x00–0x1F; with FEAT_PMUv3p1 bits [63:32] describe 0x4000–0x401F (none counted).
    read: (pe) => { pe.srLo = PMCEID0 >>> 0; pe.srHi = 0; },
    fields: [{ name: 'SW_INCR', lsb: 0, width: 1 }, { name: 'INST_RETIRED', lsb: 8, width: 1 }, { name: 'EXC_TAKEN', lsb: 9, width: 1 },
      { name: 'EXC_RETURN', lsb: 10, width: 1 }, { name: 'CPU_CYCLES', lsb: 17, width: 1 }] }),
  reg('PMCEID1_EL0', [3, 3, 9, 12, 7], 'Performance Monitors Common Event Identification register 1', {
    readOnly: true, access: (pe, w) => el0(pe, w, User.None), read: (pe) => { pe.srLo = 0; pe.srHi = 0; } }),
  reg('PMCCNTR_EL0', [3, 3, 9, 13, 0], 'Performance Monitors Cycle Count Register', {
    access: (pe, w) => el0(pe, w, User.CycleRead), read: (pe) => readCounter(pe, CC), write: (pe, lo, hi) => writeCounter(pe, CC, lo, hi) }),
  reg('PMXEVTYPER_EL0', [3, 3, 9, 13, 1], 'Performance Monitors Selected Event Type Register', {
    // PMSELR_EL0.SEL beyond the accessible counters (other than 31): we choose UNDEFINED, as the
    // current Arm ARM pseudocode does (ARMv8.0 left it CONSTRAINED UNPREDICTABLE).
    // The hooks check the selection again: the debugger reads and writes without the access check.
    access: (pe, w) => (selected(pe, true) < 0 ? Access.Undefined : el0(pe, w, User.None)),
    read: (pe) => { const i = selected(pe, true); pe.srLo = i < 0 ? 0 : pe.pmu[TYPER + i] >>> 0; pe.srHi = 0; },
    write: (pe, lo) => { const i = selected(pe, true); return i >= 0 && writeTyper(pe, i, lo); } }),
  reg('PMXEVCNTR_EL0', [3, 3, 9, 13, 2], 'Performance Monitors Selected Event Count Register', {
    access: (pe, w) => (selected(pe, false) < 0 ? Access.Undefined : el0(pe, w, User.EventRead)), wmaskHi: 0,
    read: (pe) => { const i = selected(pe, false); if (i < 0) { pe.srLo = 0; pe.srHi = 0; } else readCounter(pe, i); },
    write: (pe, lo) => { const i = selected(pe, false); return i >= 0 && writeCounter(pe, i, lo, 0); } }),
  reg('PMUSERENR_EL0', [3, 3, 9, 14, 0], 'Performance Monitors User Enable Register', {
    access: (pe, w) => (pe.el === 0 && w ? Access.Undefined : tpmUnderTge(pe, false)),
    read: (pe) => { pe.srLo = pe.pmu[R_USERENR]; pe.srHi = 0; }, write: (pe, lo) => { pe.pmu[R_USERENR] = lo & 0xf; },
    fields: [{ name: 'EN', lsb: 0, width: 1, desc: 'EL0 access to the PMU' }, { name: 'SW', lsb: 1, width: 1, desc: 'EL0 PMSWINC writes' },
      { name: 'CR', lsb: 2, width: 1, desc: 'EL0 PMCCNTR reads' }, { name: 'ER', lsb: 3, width: 1, desc: 'EL0 event counter reads, PMSELR' }] }),
  reg('PMINTENSET_EL1', [3, 0, 9, 14, 1], 'Performance Monitors Interrupt Enable Set register', {
    minEL: 1, fields: CNT_FIELDS,
    read: (pe) => { pe.srLo = (pe.pmu[R_INTEN] & visibleMask(pe)) >>> 0; pe.srHi = 0; }, write: (pe, lo) => setClear(pe, R_INTEN, lo, true) }),
  reg('PMINTENCLR_EL1', [3, 0, 9, 14, 2], 'Performance Monitors Interrupt Enable Clear register', {
    minEL: 1, fields: CNT_FIELDS,
    read: (pe) => { pe.srLo = (pe.pmu[R_INTEN] & visibleMask(pe)) >>> 0; pe.srHi = 0; }, write: (pe, lo) => setClear(pe, R_INTEN, lo, false) }),
  reg('PMOVSSET_EL0', [3, 3, 9, 14, 3], 'Performance Monitors Overflow Flag Status Set register', {
    access: (pe, w) => el0(pe, w, User.None), fields: CNT_FIELDS,
    read: (pe) => { pe.srLo = (overflowFlags(pe) & visibleMask(pe)) >>> 0; pe.srHi = 0; }, write: (pe, lo) => setClear(pe, R_OVS, lo, true) }),
  reg('PMCCFILTR_EL0', [3, 3, 14, 15, 7], 'Performance Monitors Cycle Count Filter Register', {
    access: (pe, w) => el0(pe, w, User.None), fields: FILTER_FIELDS,
    read: (pe) => { pe.srLo = pe.pmu[TYPER + CC] >>> 0; pe.srHi = 0; }, write: (pe, lo) => writeTyper(pe, CC, lo) }),
];

// PMEVCNTR<n>_EL0 (3,3,14,8+n/8,n%8) and PMEVTYPER<n>_EL0 (3,3,14,12+n/8,n%8). A counter the
// model does not implement (n >= N) is UNDEFINED; one reserved for EL2 (n >= HPMN) is UNDEFINED
// at EL0/EL1, before any trap (DDI0487, PMEVCNTR<n>_EL0 accessibility pseudocode).
for (let n = 0; n < MAX_N; n++) {
  const exists = (pe: PE): boolean => n < accessible(pe);
  PMU_REGS.push(reg(`PMEVCNTR${n}_EL0`, [3, 3, 14, 8 + (n >> 3), n & 7], `Performance Monitors Event Count Register ${n}`, {
    wmaskHi: 0, access: (pe, w) => (!exists(pe) ? Access.Undefined : el0(pe, w, User.EventRead)),
    read: (pe) => readCounter(pe, n), write: (pe, lo) => writeCounter(pe, n, lo, 0) }));
  PMU_REGS.push(reg(`PMEVTYPER${n}_EL0`, [3, 3, 14, 12 + (n >> 3), n & 7], `Performance Monitors Event Type Register ${n}`, {
    access: (pe, w) => (!exists(pe) ? Access.Undefined : el0(pe, w, User.None)),
    read: (pe) => { pe.srLo = pe.pmu[TYPER + n] >>> 0; pe.srHi = 0; }, write: (pe, lo) => writeTyper(pe, n, lo),
    fields: [...FILTER_FIELDS, { name: 'evtCount', lsb: 0, width: 16, desc: 'event number' }] }));
}
