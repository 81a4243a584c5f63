// A stuck machine explains itself (issue 12): patterns in which no PE can ever make progress
// again, recognised so that `run()` stops with a message instead of spinning forever.
//
//   exception loop   a PE takes the same synchronous exception again and again, each time raised
//                    by the first instruction of the handler (or its fetch): e.g. VBAR_EL2 = 0,
//                    nothing at 0x200, so fetching the vector is an instruction abort whose vector
//                    is the same address. Recognised after EXCEPTION_LOOP_LIMIT identical entries
//                    (same target EL, vector, ESR, ELR, FAR) with exactly one step between each
//                    (the faulting one) and no exception return.
//   branch to self   `b .` (and B.cond/CBZ/CBNZ/TBZ/TBNZ/BR to itself whose condition holds):
//                    the PE's state never changes again, so only an interrupt can move it on.
//   WFI deadlock     every powered PE waits in WFI with nothing pending and no timer armed.
//
// A looping PE is *parked* when no interrupt can ever move it on: none can be taken given
// PSTATE.DAIF and the routing controls (the same rules as PE.checkInterrupts: HCR_EL2.IMO/FMO/
// AMO/TGE, DDI0487 D1.3.6 and the interrupt masking tables of D1.13), or none can arrive (nothing
// pending, no timer armed, and every other PE is itself parked or waiting the same way). The
// machine is stuck only when every powered PE is parked or waits with nothing to wake it; a PE
// parked in `b .` while another runs is simply idle.
//
// Detection never changes what the machine executes: the exception funnel records its entries
// in PE.excLoop (plain numbers, so snapshots and digests carry them), and the scheduler looks at
// the PEs only between run slices (src/sim/machine.ts).
import type { PE } from './pe';
import { PowerState } from './pe';
import { EC_NAMES } from './syndrome';
import { TWO32 } from './u64';
import { condHolds } from './isa/common';
import type { TranslateOptions, TranslateReport } from './mmu/mmu';

/**
 * Identical exception entries in a row that make an exception loop. 32 is far beyond anything a
 * handler does on purpose (a handler that faults on its first instruction cannot have done
 * anything else), and 32 entries take microseconds.
 */
export const EXCEPTION_LOOP_LIMIT = 32;

/** Indices into PE.excLoop. */
const enum L {
  Count = 0, At, From, Target, VecLo, VecHi, Esr, ElrLo, ElrHi, FarLo, FarHi, Sync,
  /** The entry before the loop started (what sent the PE to the faulting vector). */
  OriginValid, OriginFrom, OriginEsr, OriginElrLo, OriginElrHi, OriginSync,
  Size,
}
export const EXC_LOOP_SLOTS = L.Size;

/**
 * Called by the exception funnel (PE.takeException) after an entry has written ESR/ELR/FAR and
 * the PC: counts identical entries raised at the vector they lead to.
 */
export function noteExceptionEntry(pe: PE, from: number, target: number, sync: boolean): void {
  const w = pe.excLoop;
  // Steps retired before this one (PE.run keeps sliceExecuted current at every entry).
  const at = pe.instret + pe.sliceExecuted;
  const e = pe.sys, esr = e[pe.slotESR[target] * 2], elrLo = e[pe.slotELR[target] * 2], elrHi = e[pe.slotELR[target] * 2 + 1];
  const farLo = e[pe.slotFAR[target] * 2], farHi = e[pe.slotFAR[target] * 2 + 1];
  if (sync && w[L.Count] > 0 && w[L.Sync] === 1 && at - w[L.At] === 1 && from === target && w[L.Target] === target
    && elrLo === w[L.VecLo] && elrHi === w[L.VecHi] && pe.pcLo === w[L.VecLo] && pe.pcHi === w[L.VecHi]
    && esr === w[L.Esr] && elrLo === w[L.ElrLo] && elrHi === w[L.ElrHi] && farLo === w[L.FarLo] && farHi === w[L.FarHi]) {
    // At the limit, end the run slice here so the scheduler looks at once (a slice boundary
    // at an exception entry changes nothing that executes: run(a) + run(b) == run(a + b)).
    if (++w[L.Count] === EXCEPTION_LOOP_LIMIT) pe.stopRequested = true;
    w[L.At] = at;
    return;
  }
  // A different entry. If it was raised by the first instruction of the previous entry's vector,
  // the previous entry is what led here (the origin of a loop, if one follows).
  if (w[L.Count] > 0 && elrLo === w[L.VecLo] && elrHi === w[L.VecHi] && from === w[L.Target]) {
    if (!(w[L.ElrLo] === w[L.VecLo] && w[L.ElrHi] === w[L.VecHi])) {
      w[L.OriginValid] = 1; w[L.OriginFrom] = w[L.From]; w[L.OriginEsr] = w[L.Esr];
      w[L.OriginElrLo] = w[L.ElrLo]; w[L.OriginElrHi] = w[L.ElrHi]; w[L.OriginSync] = w[L.Sync];
    }
  } else {
    w[L.OriginValid] = 0;
  }
  w[L.Count] = 1; w[L.At] = at; w[L.From] = from; w[L.Target] = target;
  w[L.VecLo] = pe.pcLo; w[L.VecHi] = pe.pcHi; w[L.Esr] = esr; w[L.ElrLo] = elrLo; w[L.ElrHi] = elrHi;
  w[L.FarLo] = farLo; w[L.FarHi] = farHi; w[L.Sync] = sync ? 1 : 0;
}

/** True once `pe` has taken EXCEPTION_LOOP_LIMIT identical entries at their own vector (a cheap test between run slices). */
export function inExceptionLoop(pe: PE): boolean {
  return pe.excLoop[L.Count] >= EXCEPTION_LOOP_LIMIT;
}

/** An exception return (ERET) ends any exception loop. */
export function noteExceptionReturn(pe: PE): void {
  pe.excLoop[L.Count] = 0;
}

// ---------------------------------------------------------------- reports

export type StuckKind = 'exception-loop' | 'branch-to-self' | 'wfi';

/** Why one PE cannot make progress. */
export interface PeStuck {
  pe: number;
  kind: StuckKind;
  el: number;
  pc: number;
  /** "CPU0: halted at PC 0x40000010 (branch to self, interrupts masked)". */
  message: string;
  /** Exception loop: ESR value and register name, vector address, vector base register and value. */
  esr?: number;
  esrName?: string;
  vector?: number;
  vbar?: number;
  vbarName?: string;
  far?: number;
  /** Exception loop: the exception that led to the faulting vector, when it is known. */
  origin?: string;
  /** Exception loop: the word at the vector when the report was made (undefined: no memory there). */
  word?: number;
}

export interface StuckReport extends Omit<PeStuck, 'kind'> {
  /** 'deadlock' when every powered PE waits in WFI; otherwise the first parked PE's kind. */
  kind: StuckKind | 'deadlock';
  /** Every powered PE's part (the first one's fields are repeated at the top level). */
  pes: PeStuck[];
  /**
   * The machine started at EL2, the stuck PE is at EL2 with VBAR_EL2 = 0, and the program looks
   * written for EL1 (it loops in an exception at EL2, or it set VBAR_EL1): see stuckHint().
   */
  suggestEntryEl1: boolean;
}

/** What stuck detection needs from the board (Machine implements it). */
export interface StuckBoard {
  readonly pes: readonly PE[];
  readonly options: { readonly entryEL: number };
  translate(pe: PE, va: number | { lo: number; hi: number }, opts?: TranslateOptions): TranslateReport;
}

const hex = (v: number): string => `0x${v.toString(16)}`;
const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

/**
 * The hint a front end appends to a stuck report, spelled for it: the CLI option or the launch
 * attribute that starts the boot PE at EL1.
 */
export function stuckHint(r: StuckReport, spelling: 'cli' | 'dap'): string | undefined {
  if (!r.suggestEntryEl1) return undefined;
  const opt = spelling === 'cli' ? '--entry-el 1' : '"entryEL": 1';
  return `Did you mean ${opt}? The machine started at EL2 (the default) and VBAR_EL2 is 0: this program looks written for EL1.`;
}

/** Reads the word at `pe`'s PC through the current translation (from the TLB when it holds the page); undefined when not RAM. */
function wordAtPc(board: StuckBoard, pe: PE): number | undefined {
  let pa = pe.pc;
  if (!pe.flatData) {
    const t = board.translate(pe, { lo: pe.pcLo, hi: pe.pcHi }, { access: 'fetch', source: 'tlb' });
    if (!t.ok) return undefined;
    pa = t.pa;
  }
  const page = pe.mem.ramPage(pa);
  return page ? page.getUint32(pa % 4096, true) : undefined;
}

/** True if the instruction `w` at the PC branches to itself in `pe`'s current state (which it cannot change). */
export function branchesToSelf(pe: PE, w: number): boolean {
  // B / BL with imm26 = 0 (BL writes the same LR every time).
  if ((w & 0x7fffffff) === 0x14000000) return true;
  // B.cond with imm19 = 0: the flags never change, so it loops iff the condition holds now.
  if (((w & 0xfffffff0) >>> 0) === 0x54000000) return condHolds(pe, w & 0xf);
  // CBZ / CBNZ with imm19 = 0.
  if ((w & 0x7effffe0) === 0x34000000) {
    const t = w & 31, sf = w >>> 31;
    const zero = t === 31 || (pe.x[2 * t] === 0 && (sf === 0 || pe.x[2 * t + 1] === 0));
    return ((w >>> 24) & 1) === 0 ? zero : !zero;
  }
  // TBZ / TBNZ with imm14 = 0.
  if ((w & 0x7e07ffe0) === 0x36000000) {
    const t = w & 31, bit = ((w >>> 31) << 5) | ((w >>> 19) & 31);
    const v = t === 31 ? 0 : (pe.x[2 * t + (bit >>> 5)] >>> (bit & 31)) & 1;
    return ((w >>> 24) & 1) === 0 ? v === 0 : v === 1;
  }
  // BR Xn with Xn = PC.
  if (((w & 0xfffffc1f) >>> 0) === 0xd61f0000) {
    const n = (w >>> 5) & 31;
    return n !== 31 && pe.x[2 * n] === pe.pcLo && pe.x[2 * n + 1] === pe.pcHi;
  }
  return false;
}

/**
 * True if some interrupt could be taken in `pe`'s current state, were it pending: the routing
 * and masking rules of PE.checkInterrupts (DDI0487 D1.13.2, no EL3). An interrupt routed to a
 * higher EL than the current one is not masked by PSTATE; one routed to a lower EL is never taken.
 */
export function interruptCanBeTaken(pe: PE): boolean {
  const hcr = pe.hcrLo(), el = pe.el, daif = pe.daif;
  const tge = (hcr & (1 << 27)) !== 0;
  const imo = (hcr & (1 << 4)) !== 0, fmo = (hcr & (1 << 3)) !== 0, amo = (hcr & (1 << 5)) !== 0;
  const phys = (toEl2: boolean, masked: boolean): boolean => (toEl2 ? el < 2 || !masked : el < 2 && !masked);
  if (phys(imo || tge, (daif & 2) !== 0)) return true;
  if (phys(fmo || tge, (daif & 1) !== 0)) return true;
  if (el < 2 && !tge) {
    // Virtual IRQ/FIQ (the GIC's virtual interface or HCR_EL2.VI/VF) with IMO/FMO; a virtual
    // SError only if HCR_EL2.VSE is already set (nothing else can set this PE's HCR_EL2 now).
    if (imo && !(daif & 2)) return true;
    if (fmo && !(daif & 1)) return true;
    if (amo && (hcr & (1 << 8)) && !(daif & 4)) return true;
  }
  return false;
}

/** Nothing pending for `pe` and none of its timers armed: no interrupt can arrive by itself. */
function nothingCanArrive(pe: PE): boolean {
  return !pe.interruptPending() && pe.eventDeadline === Infinity;
}

/** Vector base register name and value of `el`. */
function vbarOf(pe: PE, el: number): { name: string; value: number } {
  const s = pe.slotVBAR[el] * 2;
  return { name: `VBAR_EL${el}`, value: pe.sys[s + 1] * TWO32 + pe.sys[s] };
}

/** Text for a synchronous exception cause in a loop message. */
function describeLoop(board: StuckBoard, pe: PE): PeStuck {
  const w = pe.excLoop;
  const el = w[L.Target];
  const esr = w[L.Esr] >>> 0;
  const ec = esr >>> 26;
  const vector = w[L.VecHi] * TWO32 + w[L.VecLo];
  const far = w[L.FarHi] * TWO32 + w[L.FarLo];
  const vb = vbarOf(pe, el);
  const offset = vector - vb.value;
  const esrName = `ESR_EL${el}`;
  const vbarText = vb.value === 0 ? `${vb.name} is 0: no vector table installed` : `the vector table at ${vb.name}=${hex(vb.value)}`;
  let what: string;
  let why: string;
  if (ec === 0x20 || ec === 0x21) {
    what = `instruction abort at EL${el} fetching ${hex(far)}`;
    const fsc = esr & 0x3f;
    why = vb.value === 0 ? vbarText
      : `${vbarText} cannot be fetched at offset ${hex(offset)}: ${fsc === 0x10 ? 'no memory there' : `fault status ${hex(fsc)}`}`;
  } else if (ec === 0x00) {
    const word = wordAtPc(board, pe);
    what = `UNDEFINED instruction at EL${el} at ${hex(vector)}`;
    why = vb.value === 0 ? vbarText
      : `${vbarText} holds ${word === undefined ? 'no instruction' : hex8(word)} at offset ${hex(offset)}, which is not an instruction`;
  } else if (ec === 0x24 || ec === 0x25) {
    what = `data abort at EL${el} at ${hex(vector)} accessing ${hex(far)}`;
    why = `${vbarText}: the handler's first instruction faults again`;
  } else {
    what = `${EC_NAMES[ec] ?? `exception class ${hex(ec)}`} at EL${el} at ${hex(vector)}`;
    why = `${vbarText}: the handler's first instruction raises it again`;
  }
  let origin: string | undefined;
  if (w[L.OriginValid]) {
    const oe = w[L.OriginEsr] >>> 0;
    const oelr = w[L.OriginElrHi] * TWO32 + w[L.OriginElrLo];
    const cause = w[L.OriginSync] ? (EC_NAMES[oe >>> 26] ?? `exception class ${hex(oe >>> 26)}`) : 'an interrupt';
    origin = `the loop began with ${cause} from EL${w[L.OriginFrom]} (ELR_EL${el}=${hex(oelr)}${w[L.OriginSync] ? `, ${esrName}=${hex8(oe)}` : ''})`;
  }
  return {
    pe: pe.id, kind: 'exception-loop', el, pc: vector, word: wordAtPc(board, pe),
    message: `CPU${pe.id}: ${what} (${why}); ${esrName}=${hex8(esr)}`,
    esr, esrName, vector, vbar: vb.value, vbarName: vb.name, far, origin,
  };
}

/**
 * How a powered PE stands: parked (a loop no interrupt can leave), idle (waiting in WFI with
 * nothing pending and no timer armed), or undefined when it can still make progress.
 * A PE that could take an interrupt counts as parked only if none can arrive: findStuck asks
 * this of every PE, so the answer holds only when all of them are parked or idle.
 */
function peState(board: StuckBoard, pe: PE): PeStuck | undefined {
  if (pe.waiting) {
    if (!nothingCanArrive(pe)) return undefined;
    return {
      pe: pe.id, kind: 'wfi', el: pe.el, pc: pe.pc,
      // The PC is past the WFI while the PE waits (WFI completes, then the PE sleeps).
      message: `CPU${pe.id}: waiting in WFI at ${hex(pe.pc - 4)} with nothing that can wake it (no interrupt pending, no timer armed${interruptCanBeTaken(pe) ? '' : ', interrupts masked'})`,
    };
  }
  const w = pe.excLoop;
  let loop: 'exception-loop' | 'branch-to-self' | undefined;
  // The loop holds while the PE is at its vector and the vector base still leads there (the
  // entries of the loop are from the same EL with SP_ELx: offset 0x200). A debugger that
  // changed VBAR_ELx, or the PC, has ended it.
  if (w[L.Count] >= EXCEPTION_LOOP_LIMIT && pe.pcLo === w[L.VecLo] && pe.pcHi === w[L.VecHi] && pe.el === w[L.Target] && !pe.il
    && vbarOf(pe, pe.el).value + 0x200 === pe.pc) loop = 'exception-loop';
  else {
    const word = wordAtPc(board, pe);
    if (word !== undefined && branchesToSelf(pe, word)) loop = 'branch-to-self';
  }
  if (!loop) return undefined;
  const masked = !interruptCanBeTaken(pe);
  if (!masked && !nothingCanArrive(pe)) return undefined;
  if (loop === 'exception-loop') {
    const r = describeLoop(board, pe);
    if (!masked) r.message += ' (no interrupt can arrive: none pending, no timer armed)';
    return r;
  }
  return {
    pe: pe.id, kind: 'branch-to-self', el: pe.el, pc: pe.pc,
    message: `CPU${pe.id}: halted at PC ${hex(pe.pc)} (branch to self, ${masked ? 'interrupts masked' : 'no interrupt can arrive: none pending, no timer armed'})`,
  };
}

/**
 * True if `now` (a fresh findStuck) is the stuck state `before` described, with nothing edited
 * in between that the state checks cannot see: the words at the faulting vectors are the same
 * (a debugger may have written a valid handler there; the next entry would tell, but only after
 * the loop limit again).
 */
export function sameStuck(before: StuckReport, now: StuckReport): boolean {
  return now.pes.every((p) => p.kind !== 'exception-loop' || before.pes.some((q) => q.pe === p.pe && q.kind === p.kind && q.pc === p.pc && q.word === p.word));
}

/**
 * The machine's stuck report, or undefined if some PE can still make progress. Cheap enough to
 * call between run slices (one TLB look-up and one word read per looping PE).
 */
export function findStuck(board: StuckBoard): StuckReport | undefined {
  const on = board.pes.filter((p) => p.power === PowerState.On);
  if (on.length === 0) return undefined;
  // Each PE on its own, assuming that the others send no interrupt; a PE that can still move
  // ends the search. When none can, the assumption holds for every PE and the answer stands.
  const parts: PeStuck[] = [];
  for (const pe of on) {
    const s = peState(board, pe);
    if (!s) return undefined;
    parts.push(s);
  }
  const first = parts.find((p) => p.kind !== 'wfi') ?? parts[0];
  const pe0 = board.pes[first.pe];
  const vbar2 = vbarOf(pe0, 2).value, vbar1 = vbarOf(pe0, 1).value;
  const suggestEntryEl1 = board.options.entryEL === 2 && first.el === 2 && vbar2 === 0
    && (first.kind === 'exception-loop' || vbar1 !== 0);
  const kind = parts.every((p) => p.kind === 'wfi') ? 'deadlock' : first.kind;
  return {
    ...first, kind, pes: parts, suggestEntryEl1,
    message: parts.map((p) => p.message).join('; '),
  };
}
