// The JavaScript half of a region's call-out (emit-callout.ts): runs the interpreter's executor of
// one instruction in the middle of a compiled region with the PE in exactly the state the
// interpreter would have at that instruction, and tells the region whether it may go on.
//
// Before the executor: the region has stored its written registers and, when it holds them in
// locals, the flags to the PE's state block (region-compiler.ts); here the flags go to the PE's
// fields, PC is set to the instruction's address and PE.sliceExecuted to the count the
// interpreter's run loop would have set (the entry's count plus the instructions this call retired
// before it), so that time read mid-slice (CNTVCT, CNTPCT, the PMU cycle counter) is exact.
// After it, the region goes on (result 0) only when the executor returned Flow.Next and changed
// nothing a region depends on; otherwise it leaves right after the instruction (result 1), and
// CalloutFrame.exit tells the entry (jit.ts) how the run loop must go on:
//   - Flow: the executor returned Jump or Stop (ISB, a system-register write that ends the block,
//     a trap or UNDEFINED taken as Flow.Stop) or threw EXCEPTION_TAKEN (a data abort on an
//     exclusive or atomic; handled as the Flow.Stop the run loop's catch amounts to): the PC is the
//     executor's, the entry returns that flow;
//   - Next: the executor returned Flow.Next but changed the EL, the translation the region's
//     loads and stores use, the self-hosted debug state, the code of this page or the PE's next
//     timer/PMU deadline, or asked to stop or wait: the entry returns as from any early exit, the run loop goes on at the next
//     instruction in the same page, as the interpreter would;
//   - Resume: the executor returned Flow.Next and raised an interrupt re-check (PE.kick, e.g. an
//     exclusive store to a device): the interpreter goes on to the end of its block before
//     checking, so the entry returns Flow.Stop with PE.resumeMidBlock set as the run loop's
//     splitBlock would have it, and the run loop resumes at the next instruction without the check.
// Instructions before the call-out in this run were retired by the region; the one in the call
// retires with them (also when it took an exception, as the interpreter counts it).
import { ExceptionTaken, Flow, type Exec } from '../exec';
import type { PE } from '../pe';
import { STATE } from './emitter';

const TWO32 = 4294967296;

/** How the run loop goes on after a call-out left the region (see the header). */
export const enum CalloutExit { None = 0, Flow = 1, Next = 2, Resume = 3 }

/** The region run in progress (one per Jit: PEs run one at a time), set by the entry. */
export class CalloutFrame {
  pe: PE | null = null;
  /** PE.sliceExecuted at the entry (the region's own first PC and the instructions regions chained before it retired are in the state block: STATE.runPc, runBase). */
  base = 0;
  exit = CalloutExit.None;
  /** With exit = Flow: the flow the executor returned. */
  flow = 0;
}

/** What the call-out of one region needs to know about it. */
export interface CalloutSite {
  /** The executors of its call-out instructions, and their byte offsets from its first instruction. */
  readonly execs: readonly Exec[];
  readonly offs: readonly number[];
  /** The RAM page index of its code, and the code epochs (PhysicalMemory.codeEpoch). */
  readonly pageIdx: number;
  readonly epochs: Uint32Array;
}

/**
 * The import "h"."co"(k, n) of one region: runs call-out k, n instructions after the entry
 * (counted in stats.callouts).
 * `state` gives the PE's state block view; `setupMemory` recomputes the translation for loads
 * and stores (Jit.setupMemory), false when the region must not go on.
 */
export function makeCallout(frame: CalloutFrame, site: CalloutSite, stats: { callouts: number }, state: (pe: PE) => Int32Array,
  setupMemory: (pe: PE, s: Int32Array) => boolean): (k: number, n: number) => number {
  const { execs, offs, pageIdx, epochs } = site;
  const NF = STATE.nf >> 2, ZF = STATE.zf >> 2, CF = STATE.cf >> 2, VF = STATE.vf >> 2;
  const FLAT = STATE.memFlat >> 2, BANK = STATE.memBank >> 2;
  const PC = STATE.runPc >> 2, RUN = STATE.runBase >> 2, LEFT = STATE.calloutLeft >> 2;
  // The state block holds the current NZCV for the whole call into compiled code: the entry puts
  // them there, and regions that do not hold them in locals leave them there; so they are always
  // copied, whether or not this region keeps them in locals.
  return (k: number, n: number): number => {
    const pe = frame.pe!;
    const s = state(pe);
    stats.callouts++;
    pe.sliceExecuted = frame.base + s[RUN] + n;
    const pcLo = s[PC] >>> 0, pcHi = s[PC + 1] >>> 0;
    const l = pcLo + offs[k];
    if (l >= 0 && l < TWO32) { pe.pcLo = l; pe.pcHi = pcHi; }
    else {
      const carry = Math.floor(l / TWO32);
      pe.pcLo = (l - carry * TWO32) >>> 0;
      pe.pcHi = (pcHi + carry) >>> 0;
    }
    pe.nf = s[NF]; pe.zf = s[ZF]; pe.cf = s[CF]; pe.vf = s[VF];
    const el = pe.el, dbg = pe.dbgMode, epoch = epochs[pageIdx], deadline = pe.eventDeadline;
    let flow: number;
    try {
      flow = execs[k](pe);
    } catch (e) {
      if (!(e instanceof ExceptionTaken)) throw e;
      flow = Flow.Stop;
    }
    s[NF] = pe.nf; s[ZF] = pe.zf; s[CF] = pe.cf; s[VF] = pe.vf;
    if (flow !== Flow.Next) { frame.exit = CalloutExit.Flow; frame.flow = flow; s[LEFT] = 1; return 1; }
    if (pe.recheckIrq) { frame.exit = CalloutExit.Resume; s[LEFT] = 1; return 1; }
    // A timer or PMU write that moves the PE's next deadline: the run loop sizes its slices by the
    // deadline at each block start in a new page, which a chain into another page would skip.
    if (pe.stopRequested || pe.waiting || pe.el !== el || pe.dbgMode !== dbg || epochs[pageIdx] !== epoch || pe.eventDeadline !== deadline) {
      frame.exit = CalloutExit.Next;
      s[LEFT] = 1;
      return 1;
    }
    // A TLBI or a context change bumps the soft TLB's generation: regions reload it from the
    // state block after the call (and chained ones on entry). A different bank or a
    // flat/translated switch: leave. Checked whether or not this region has loads and stores,
    // since a region chained after it may.
    const flat = s[FLAT], bank = s[BANK];
    if (!setupMemory(pe, s) || s[FLAT] !== flat || (flat === 0 && s[BANK] !== bank)) { frame.exit = CalloutExit.Next; s[LEFT] = 1; return 1; }
    return 0;
  };
}
