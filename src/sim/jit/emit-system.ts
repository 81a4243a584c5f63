// WebAssembly emitters for the system instructions a region may run through because they have
// no effect in this machine beyond retiring (DDI0487 C6.2 "HINT", "DMB", "DSB"). Kernel code is
// full of them: every function of Debian's arm64 kernel starts with PACIASP/BTI and the
// patchable-entry NOPs of ftrace, so a region that ended at a hint ended at nearly every call.
//   - HINT: NOP and YIELD, and the hints of features this machine does not implement
//     (PACIASP/AUTIASP and the other pointer-authentication hints without FEAT_PAuth, BTI without
//     FEAT_BTI, ESB, CSDB...), which the architecture executes as NOP (C6.2.109 "HINT"), exactly
//     as the interpreter's `hint` executor does (src/sim/isa/system.ts). WFE, WFI, SEV and SEVL
//     touch the scheduler and the event register: those stay the interpreter's.
//   - DMB and DSB order memory accesses; this machine performs every access in program order
//     and completes TLB maintenance at once, so the interpreter treats them as NOP too.
// WFE, WFI, SEV and SEVL (the scheduler and the event register), CLREX (the exclusive monitor)
// and ISB (it ends the interpreter's block so that pending interrupts are recognised after it:
// its executor returns Flow.Stop, and the region leaves after it) run as the interpreter's
// executors through a call-out (emit-callout.ts).
import type { InsnEmitter } from './emit-dp';

const WFE = 2, WFI = 3, SEV = 4, SEVL = 5;
const DSB = 4, DMB = 5;

export const SYSTEM_EMITTERS: Record<string, InsnEmitter> = {
  'Hints (NOP/YIELD/WFE/WFI/SEV/SEVL)': (w, e) => {
    const op = (w >>> 5) & 0x7f;   // CRm:op2
    if (op === WFE || op === WFI || op === SEV || op === SEVL) e.callout(w);
    return true;
  },
  'Barriers (CLREX/DSB/DMB/ISB)': (w, e) => {
    const op2 = (w >>> 5) & 7;
    if (op2 !== DSB && op2 !== DMB) e.callout(w);
    return true;
  },
};
