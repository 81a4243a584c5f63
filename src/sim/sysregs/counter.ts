// Generic-timer counter registers needed from the start (guests time themselves with them).
// The per-timer registers (CNTP_*, CNTV_*, CNTHP_*) are in src/sim/timer (GIC/timer issue).
// DDI0487 D11 (The Generic Timer), CNTKCTL_EL1 / CNTHCTL_EL2 access controls.
import { Access, enc, type SysRegDef } from './types';
import type { PE } from '../pe';

/** EL0 counter access: CNTKCTL_EL1.EL0PCTEN (bit 0) / EL0VCTEN (bit 1); EL1 physical: CNTHCTL_EL2.EL1PCTEN (bit 0). */
function counterAccess(pe: PE, virt: boolean): Access {
  if (pe.el === 0 && !pe.tge()) {
    const k = pe.sys[pe.slotCNTKCTL_EL1 * 2];
    if (!(k & (virt ? 2 : 1))) return Access.TrapEL1;
  }
  // EL1/EL0 physical counter: CNTHCTL_EL2.EL1PCTEN (bit 0), or bit 10 in the E2H layout (not with TGE).
  if (!virt && pe.el <= 1 && !(pe.e2h() && pe.tge())) {
    if (!(pe.sys[pe.slotCNTHCTL_EL2 * 2] & (pe.e2h() ? 1 << 10 : 1))) return Access.TrapEL2;
  }
  return Access.Ok;
}

export const COUNTER_REGS: SysRegDef[] = [
  { name: 'CNTFRQ_EL0', ...enc('3,3,14,0,0'), group: 'Timer', long: 'Counter-timer Frequency Register', minEL: 0, wmaskHi: 0,
    reset: 62_500_000, // QEMU's generic timer frequency (62.5 MHz)
    // Writable only at the highest EL (EL2 here, as EL3 is not implemented); EL0 reads allowed if either EL0 counter is enabled.
    access: (pe, write) => (write && pe.el < 2 ? Access.Undefined
      : pe.el === 0 && !pe.tge() && !(pe.sys[pe.slotCNTKCTL_EL1 * 2] & 3) ? Access.TrapEL1 : Access.Ok) },
  { name: 'CNTPCT_EL0', ...enc('3,3,14,0,1'), group: 'Timer', long: 'Counter-timer Physical Count Register', minEL: 0, readOnly: true,
    access: (pe) => counterAccess(pe, false), read: (pe) => pe.readCounter(false) },
  { name: 'CNTVCT_EL0', ...enc('3,3,14,0,2'), group: 'Timer', long: 'Counter-timer Virtual Count Register', minEL: 0, readOnly: true,
    access: (pe) => counterAccess(pe, true), read: (pe) => pe.readCounter(true) },
  { name: 'CNTKCTL_EL1', ...enc('3,0,14,1,0'), group: 'Timer', long: 'Counter-timer Kernel Control Register', minEL: 1, wmask: 0x3ff, wmaskHi: 0,
    e2hRedirect: 'CNTHCTL_EL2',
    fields: [{ name: 'EL0PCTEN', lsb: 0, width: 1 }, { name: 'EL0VCTEN', lsb: 1, width: 1 }, { name: 'EVNTEN', lsb: 2, width: 1 },
      { name: 'EVNTDIR', lsb: 3, width: 1 }, { name: 'EVNTI', lsb: 4, width: 4 }, { name: 'EL0VTEN', lsb: 8, width: 1 }, { name: 'EL0PTEN', lsb: 9, width: 1 }] },
  { name: 'CNTHCTL_EL2', ...enc('3,4,14,1,0'), group: 'Timer', long: 'Counter-timer Hypervisor Control Register', minEL: 2, reset: 3, wmaskHi: 0,
    fields: [{ name: 'EL1PCTEN', lsb: 0, width: 1, desc: 'EL0/EL1 physical counter access (E2H=0)' }, { name: 'EL1PCEN', lsb: 1, width: 1, desc: 'EL0/EL1 physical timer access (E2H=0)' },
      { name: 'EVNTEN', lsb: 2, width: 1 }, { name: 'EVNTDIR', lsb: 3, width: 1 }, { name: 'EVNTI', lsb: 4, width: 4 },
      { name: 'EL0VTEN', lsb: 8, width: 1 }, { name: 'EL0PTEN', lsb: 9, width: 1 }, { name: 'EL1PCTEN_E2H', lsb: 10, width: 1 }, { name: 'EL1PTEN_E2H', lsb: 11, width: 1 }] },
  { name: 'CNTVOFF_EL2', ...enc('3,4,14,0,3'), group: 'Timer', long: 'Counter-timer Virtual Offset Register', minEL: 2 },
];
