// The classes a region runs through by calling the interpreter's own executor for the word (the
// closure the decoder made, PE.decoder(w)) instead of ending before it. They are the system and
// synchronisation instructions that kernel code has in its hot paths — MRS/MSR (per-CPU offsets in
// TPIDR_EL1, the current task in SP_EL0, DAIF save/restore), TLBI/DC/IC/AT, the exclusives and
// atomics of every lock — whose effects reach far beyond registers (system registers, the TLBs,
// the exclusive monitor, the GIC and timers) and are not worth a second implementation: one
// description of each instruction (the interpreter's) stays the only one.
//
// An executor of these classes returns Flow.Next in the normal case; whatever else it does —
// a trap or an UNDEFINED (Flow.Stop with the exception taken), a data abort (EXCEPTION_TAKEN
// thrown), an ISB or a system-register write that ends the block (Flow.Stop), a change of EL,
// translation or code — makes the region leave right after it, exactly where the interpreter's
// run loop would leave its block or go on. The JavaScript half of a call (PC, slice count,
// flags, and what happened) is callout.ts; the spill and reload of the registers around the call
// are inserted by region-compiler.ts at the marks Emitter.callout leaves.
import type { InsnEmitter } from './emit-dp';

const callout: InsnEmitter = (w, e) => { e.callout(w); return true; };

/** Encoding record names (src/sim/isa) whose every allocated word is run through a call-out. */
export const CALLOUT_EMITTERS: Record<string, InsnEmitter> = {
  'MRS': callout,
  'MSR (register)': callout,
  'MSR (immediate)': callout,
  'SYS': callout,
  'Load/store exclusive register': callout,
  'Load/store exclusive pair': callout,
  'Compare and swap': callout,
  'Compare and swap pair': callout,
  'Atomic memory operations': callout,
};

/**
 * Words whose executor always returns Flow.Stop, so that a region always leaves right after them:
 * ISB (a context synchronization event ends the interpreter's block: src/sim/isa/system.ts
 * barrier) and MSR DAIFSet/DAIFClr (PSTATE.DAIF changed: interrupts are re-checked, msrImm).
 */
export function alwaysLeaves(w: number): boolean {
  return (w & 0xfffff0ff) === 0xd50330df                   // ISB, any CRm (the options other than SY are reserved: ISB too)
    || (w & 0xfffff0df) === 0xd50340df;                     // MSR DAIFSet (op2 = 6) / DAIFClr (op2 = 7), any CRm
}
