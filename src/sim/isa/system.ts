// System instructions: exception generation (SVC/HVC/SMC/BRK/HLT), ERET, hints (WFI/WFE/
// SEV/NOP…), barriers and CLREX, MSR (immediate) to PSTATE fields, MRS/MSR (register) through
// the system-register table, and SYS/SYSL (TLBI, DC, IC, AT). DDI0487 C5 / C6.2.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { Access, SYSREGS, requiredSlot, sysregKey, sysregSlot, sysregSlotByKey, type SysRegDef } from '../sysregs';
import { synBrk, synHvc, synSmc, synSvc, synSysreg, synWfx } from '../syndrome';
import { advance, dst, src } from './common';
import { SYS_OPS, type SysOp } from './sys-ops';

const HCR_TWI = 1 << 13, HCR_TWE = 1 << 14, HCR_TID3 = 1 << 18, HCR_TSC = 1 << 19, HCR_TVM = 1 << 26, HCR_TRVM = 1 << 30, HCR_HCD = 1 << 29;

const TRAP_REG_SLOT = { HCR_EL2: requiredSlot('HCR_EL2'), MDCR_EL2: requiredSlot('MDCR_EL2'), CPTR_EL2: requiredSlot('CPTR_EL2') };

/** Resolves VHE redirection: with E2H at EL2, EL1 encodings reach EL2 registers and *_EL12 reach EL1. */
function resolve(pe: PE, slot: number): number {
  const d = SYSREGS[slot];
  if (d.e2hAliasOf !== undefined) return pe.el === 2 && pe.e2h() ? sysregSlot(d.e2hAliasOf) : -1;
  if (d.e2hRedirect !== undefined && pe.el === 2 && pe.e2h()) return sysregSlot(d.e2hRedirect);
  return slot;
}

/** Architectural access check for MRS/MSR, in the order of the Arm ARM pseudocode. */
function check(pe: PE, d: SysRegDef, write: boolean): Access {
  if (pe.el < d.minEL) return Access.Undefined;
  if (write ? d.readOnly : d.writeOnly) return Access.Undefined;
  // EL0 controls held at EL1 (SCTLR_EL1.UCT, CNTKCTL_EL1…) are checked before the EL2 traps.
  let a = d.access ? d.access(pe, write) : Access.Ok;
  // UNDEFINED (a feature or counter that does not exist here) comes before every trap, at any EL.
  if (a === Access.Undefined) return a;
  if (pe.el === 0 && a !== Access.Ok && a !== Access.TrapEL2 && a !== Access.FpTrapEL2) return a;
  if (pe.el < 2 && !pe.tge()) {
    const hcr = pe.hcrLo();
    if (d.tvm && (hcr & (write ? HCR_TVM : HCR_TRVM))) return Access.TrapEL2;
    if (d.tid3 && !write && (hcr & HCR_TID3)) return Access.TrapEL2;
    if (d.traps) {
      for (const t of d.traps) {
        if (t.on !== undefined && (t.on === 'write') !== write) continue;
        const v = pe.sys[TRAP_REG_SLOT[t.reg] * 2];
        for (const bit of t.bits) if (v & (1 << bit)) return Access.TrapEL2;
      }
    }
  }
  return a;
}

function mrs(w: number): Exec | undefined {
  const op0 = 2 + ((w >>> 19) & 1), op1 = (w >>> 16) & 7, crn = (w >>> 12) & 15, crm = (w >>> 8) & 15, op2 = (w >>> 5) & 7, rt = w & 31;
  const slot0 = sysregSlotByKey(sysregKey(op0, op1, crn, crm, op2));
  const t = dst(rt, false) * 2;
  if (slot0 < 0) return undefined;
  return (pe: PE) => {
    const slot = resolve(pe, slot0);
    if (slot < 0) return pe.undefinedInstruction();
    const d = SYSREGS[slot];
    const a = check(pe, d, false);
    if (a !== Access.Ok) return pe.sysregTrap(a, op0, op1, crn, crm, op2, rt, true);
    if (d.read) { d.read(pe); pe.x[t] = pe.srLo; pe.x[t + 1] = pe.srHi; }
    else { pe.x[t] = pe.sys[2 * slot]; pe.x[t + 1] = pe.sys[2 * slot + 1]; }
    return Flow.Next;
  };
}

function msr(w: number): Exec | undefined {
  const op0 = 2 + ((w >>> 19) & 1), op1 = (w >>> 16) & 7, crn = (w >>> 12) & 15, crm = (w >>> 8) & 15, op2 = (w >>> 5) & 7, rt = w & 31;
  const slot0 = sysregSlotByKey(sysregKey(op0, op1, crn, crm, op2));
  const s = src(rt, false) * 2;
  if (slot0 < 0) return undefined;
  return (pe: PE) => {
    const slot = resolve(pe, slot0);
    if (slot < 0) return pe.undefinedInstruction();
    const d = SYSREGS[slot];
    const a = check(pe, d, true);
    if (a !== Access.Ok) return pe.sysregTrap(a, op0, op1, crn, crm, op2, rt, false);
    const mlo = d.wmask ?? 0xffffffff, mhi = d.wmaskHi ?? 0xffffffff;
    const oldLo = pe.sys[2 * slot], oldHi = pe.sys[2 * slot + 1];
    const lo = ((oldLo & ~mlo) | (pe.x[s] & mlo)) >>> 0;
    const hi = ((oldHi & ~mhi) | (pe.x[s + 1] & mhi)) >>> 0;
    pe.sys[2 * slot] = lo;
    pe.sys[2 * slot + 1] = hi;
    let recheck = false;
    if (d.write) recheck = d.write(pe, lo, hi) === true;
    if (pe.bus.wants.sysregWrite) pe.bus.emit('sysregWrite', { pe: pe.id, name: d.name, lo: pe.sys[2 * slot], hi: pe.sys[2 * slot + 1], oldLo, oldHi });
    if (!recheck) return Flow.Next;
    // The write may unmask interrupts or change translation: leave the fast loop.
    pe.updateRegime();
    advance(pe);
    return Flow.Stop;
  };
}

/** MSR (immediate): PSTATE fields. DDI0487 C5.1.3 / C6.2.229 */
function msrImm(w: number): Exec | undefined {
  const op1 = (w >>> 16) & 7, op2 = (w >>> 5) & 7, crm = (w >>> 8) & 15;
  if (op1 === 3 && (op2 === 6 || op2 === 7)) {
    const set = op2 === 6;
    return (pe: PE) => {
      // EL0 needs SCTLR_EL1.UMA; otherwise trapped to EL1 with the MSR-immediate ISS (op0=0).
      if (pe.el === 0 && !pe.el0UmaEnabled()) {
        return pe.syncException(pe.tge() ? 2 : 1, synSysreg(0, op1, 4, crm, op2, 31, false));
      }
      pe.daif = set ? pe.daif | crm : pe.daif & ~crm;
      pe.updateDebugState(); // PSTATE.D enables or disables debug exceptions at the debug target EL
      advance(pe);
      return Flow.Stop;
    };
  }
  if (op1 === 0 && op2 === 5) {
    return (pe: PE) => {
      if (pe.el === 0) return pe.undefinedInstruction();
      pe.setSpSel(crm & 1);
      return Flow.Next;
    };
  }
  if (op1 === 0 && op2 === 4) {
    return (pe: PE) => {
      if (!pe.features.pan || pe.el === 0) return pe.undefinedInstruction();
      pe.pan = crm & 1;
      pe.updateRegime(); // PAN changes EL1 data permissions (the MMU's cached context)
      return Flow.Next;
    };
  }
  return undefined;
}

function wfx(isWfe: boolean): Exec {
  return (pe: PE) => {
    // WFI with an interrupt pending (masked or not) and WFE with the event register set complete
    // at once; only a WFx that would wait is trapped. DDI0487 D1.16.2
    if (isWfe ? pe.eventReg !== 0 : pe.interruptPending()) {
      if (isWfe) pe.eventReg = 0;
      return Flow.Next;
    }
    // Traps: EL0 by SCTLR_EL1.nTWI/nTWE (bits 16/18) to EL1, then HCR_EL2.TWI/TWE to EL2.
    if (pe.el === 0 && !(pe.tge()) && !(pe.sctlrEl1() & (isWfe ? 1 << 18 : 1 << 16))) return pe.syncException(1, synWfx(isWfe ? 1 : 0));
    if (pe.el < 2 && !pe.tge() && (pe.hcrLo() & (isWfe ? HCR_TWE : HCR_TWI))) return pe.syncException(2, synWfx(isWfe ? 1 : 0));
    advance(pe);
    if (isWfe) {
      // We choose to treat WFE without a pending event as a yield of the time slice (no sleep),
      // so spin-wait loops built on WFE progress deterministically, as in QEMU.
      return Flow.Stop;
    }
    pe.waiting = true;
    if (pe.bus.wants.wfiEntered) pe.bus.emit('wfiEntered', { pe: pe.id, wfe: false });
    return Flow.Stop;
  };
}

function hint(w: number): Exec | undefined {
  const op = (w >>> 5) & 0x7f; // CRm:op2
  switch (op) {
    case 0: case 1: return () => Flow.Next;                 // NOP, YIELD
    case 2: return wfx(true);                                 // WFE
    case 3: return wfx(false);                                // WFI
    case 4: return (pe: PE) => { pe.board.sendEvent?.(); return Flow.Next; }; // SEV
    case 5: return (pe: PE) => { pe.eventReg = 1; return Flow.Next; };        // SEVL
    default: return () => Flow.Next;                          // unallocated hints execute as NOP
  }
}

function barrier(w: number): Exec | undefined {
  const op2 = (w >>> 5) & 7;
  switch (op2) {
    case 2: return (pe: PE) => { pe.exclAddr = -1; return Flow.Next; };  // CLREX
    case 4: case 5: return () => Flow.Next;                                // DSB, DMB
    // ISB: a context synchronization event; end the block so that pending interrupts are taken here (as QEMU).
    case 6: return (pe: PE) => { advance(pe); return Flow.Stop; };
    default: return undefined;
  }
}

function exceptionGen(w: number): Exec | undefined {
  const opc = (w >>> 21) & 7, ll = w & 3, imm16 = (w >>> 5) & 0xffff;
  if (opc === 0 && ll === 1) { // SVC
    return (pe: PE) => {
      if (pe.el === 2) return pe.syncExceptionNext(2, synSvc(imm16));
      return pe.syncExceptionNext(pe.syncTargetEL(), synSvc(imm16));
    };
  }
  if (opc === 0 && ll === 2) { // HVC
    return (pe: PE) => {
      if (pe.el === 0 || (pe.hcrLo() & HCR_HCD)) return pe.undefinedInstruction();
      if (pe.board.firmwareConduit === 'hvc' && pe.board.firmwareCall(pe, 'hvc')) { advance(pe); return Flow.Stop; }
      return pe.syncExceptionNext(2, synHvc(imm16));
    };
  }
  if (opc === 0 && ll === 3) { // SMC
    return (pe: PE) => {
      if (pe.el === 0) return pe.undefinedInstruction();
      // HCR_EL2.TSC traps EL1 SMC to EL2; the preferred return address is the SMC itself.
      if (pe.el === 1 && (pe.hcrLo() & HCR_TSC)) return pe.syncException(2, synSmc(imm16));
      if (pe.board.firmwareConduit === 'smc' && pe.board.firmwareCall(pe, 'smc')) { advance(pe); return Flow.Stop; }
      // No EL3: SMC is UNDEFINED.
      return pe.undefinedInstruction();
    };
  }
  if (opc === 1 && ll === 0) { // BRK: debug exception, routed to EL2 by MDCR_EL2.TDE or HCR_EL2.TGE
    return (pe: PE) => {
      let target = pe.el === 2 ? 2 : 1;
      if (pe.el < 2 && ((pe.sys[pe.slotMDCR_EL2 * 2] & (1 << 8)) || pe.tge())) target = 2;
      return pe.syncException(target, synBrk(imm16));
    };
  }
  if (opc === 2 && ll === 0) { // HLT: semihosting trap for #0xF000, otherwise UNDEFINED (no halting debug)
    return (pe: PE) => {
      if (imm16 === 0xf000 && pe.el > 0) { pe.board.semihosting(pe); return Flow.Stop; }
      return pe.undefinedInstruction();
    };
  }
  return undefined;
}

function sys(w: number): Exec | undefined {
  const isRead = ((w >>> 21) & 1) === 1;
  const op1 = (w >>> 16) & 7, crn = (w >>> 12) & 15, crm = (w >>> 8) & 15, op2 = (w >>> 5) & 7, rt = w & 31;
  if (isRead) return undefined; // SYSL: no operations defined here
  const op: SysOp | undefined = SYS_OPS.get(sysregKey(1, op1, crn, crm, op2));
  if (!op) return undefined;
  const s = src(rt, false) * 2;
  return (pe: PE) => {
    const a = op.access(pe);
    if (a !== Access.Ok) return pe.sysregTrap(a, 1, op1, crn, crm, op2, rt, false);
    return op.exec(pe, pe.x[s], pe.x[s + 1]);
  };
}

export const SYSTEM: Encoding[] = [
  { name: 'ERET', mask: 0xffffffff, value: 0xd69f03e0, decode: () => (pe: PE) => (pe.el === 0 ? pe.undefinedInstruction() : pe.exceptionReturn()) },
  { name: 'Exception generation (SVC/HVC/SMC/BRK/HLT)', mask: 0xff000000, value: 0xd4000000, decode: exceptionGen },
  { name: 'Hints (NOP/YIELD/WFE/WFI/SEV/SEVL)', mask: 0xfffff01f, value: 0xd503201f, decode: hint },
  { name: 'Barriers (CLREX/DSB/DMB/ISB)', mask: 0xfffff01f, value: 0xd503301f, decode: barrier },
  { name: 'MSR (immediate)', mask: 0xfff8f01f, value: 0xd500401f, decode: msrImm },
  { name: 'SYS', mask: 0xffd80000, value: 0xd5080000, decode: sys },
  { name: 'MSR (register)', mask: 0xfff00000, value: 0xd5100000, decode: msr },
  { name: 'MRS', mask: 0xfff00000, value: 0xd5300000, decode: mrs },
];
