// Self-hosted debug system registers (DDI0487 D2 "AArch64 Self-hosted Debug", registers in
// D17.3 "Debug registers"): breakpoint and watchpoint value/control pairs, MDSCR_EL1, the OS
// lock, claim tags, the Debug Communications Channel and the AArch32 vector catch register.
//
// Writes that can change whether debug exceptions are generated (MDSCR_EL1, DBGBCR/DBGWCR,
// the OS lock, OSDLR/DBGPRCR) call pe.updateDebugState(); they return true (leave the fast
// loop) only when that changed what the run loop must check, so a world switch that saves and
// restores these registers with debug off stays on the fast path.
//
// Trap controls (DDI0487, MDCR_EL2): TDA traps the debug registers, TDOSA the OS lock
// registers (OSLAR, OSLSR, OSDLR, DBGPRCR), TDRA MDRAR_EL1; TDE set makes all three behave as 1.
import { Access, enc, type FieldDef, type SysRegDef, type TrapRule } from '../sysregs/types';
// The table's index imports this file; its lookups are used only when an access runs, never
// while the modules load, so the import cycle is harmless.
import { requiredSlot } from '../sysregs';
import type { PE } from '../pe';
import { MAX_BREAKPOINTS, MAX_WATCHPOINTS, numBreakpoints, numWatchpoints } from './resources';

const TDA: TrapRule[] = [{ reg: 'MDCR_EL2', bits: [9, 8] }];
const TDOSA: TrapRule[] = [{ reg: 'MDCR_EL2', bits: [10, 8] }];
const TDRA: TrapRule[] = [{ reg: 'MDCR_EL2', bits: [11, 8] }];

/** Storage slot of a register of this group, looked up on first use (see the import note). */
const slots = new Map<string, number>();
function slot(name: string): number {
  let s = slots.get(name);
  if (s === undefined) { s = requiredSlot(name); slots.set(name, s); }
  return s;
}

/** A write that may change the debug state: leave the fast loop only if the run loop's checks changed. */
const refresh = (pe: PE): boolean => pe.updateDebugState();

const SSC_VALUES = { 0: 'Non-secure and Secure', 1: 'Non-secure', 2: 'Secure', 3: 'see HMC' };
/** DBGBCR<n>_EL1 layout (DDI0487, DBGBCR<n>_EL1). */
const DBGBCR_FIELDS: FieldDef[] = [
  { name: 'E', lsb: 0, width: 1, desc: 'Enable' },
  { name: 'PMC', lsb: 1, width: 2, desc: 'Privilege mode control', values: { 1: 'EL1', 2: 'EL0', 3: 'EL1 and EL0' } },
  { name: 'BAS', lsb: 5, width: 4, desc: 'Byte address select (0b1111 for A64)' },
  { name: 'HMC', lsb: 13, width: 1, desc: 'Higher mode control (EL2)' },
  { name: 'SSC', lsb: 14, width: 2, desc: 'Security state control', values: SSC_VALUES },
  { name: 'LBN', lsb: 16, width: 4, desc: 'Linked breakpoint number' },
  { name: 'BT', lsb: 20, width: 4, desc: 'Breakpoint type',
    values: { 0: 'unlinked address match', 1: 'linked address match', 2: 'unlinked context ID', 3: 'linked context ID', 8: 'unlinked VMID', 9: 'linked VMID', 10: 'unlinked VMID + context ID', 11: 'linked VMID + context ID' } },
];
/** DBGWCR<n>_EL1 layout (DDI0487, DBGWCR<n>_EL1). */
const DBGWCR_FIELDS: FieldDef[] = [
  { name: 'E', lsb: 0, width: 1, desc: 'Enable' },
  { name: 'PAC', lsb: 1, width: 2, desc: 'Privilege of access control', values: { 1: 'EL1', 2: 'EL0', 3: 'EL1 and EL0' } },
  { name: 'LSC', lsb: 3, width: 2, desc: 'Load/store control', values: { 1: 'load', 2: 'store', 3: 'load or store' } },
  { name: 'BAS', lsb: 5, width: 8, desc: 'Byte address select' },
  { name: 'HMC', lsb: 13, width: 1, desc: 'Higher mode control (EL2)' },
  { name: 'SSC', lsb: 14, width: 2, desc: 'Security state control', values: SSC_VALUES },
  { name: 'LBN', lsb: 16, width: 4, desc: 'Linked breakpoint number' },
  { name: 'WT', lsb: 20, width: 1, desc: 'Watchpoint type (1 = linked)' },
  { name: 'MASK', lsb: 24, width: 5, desc: 'Address mask (log2 of the watched range; 0 = none)' },
];
/** MDSCR_EL1 layout (DDI0487, MDSCR_EL1). */
const MDSCR_FIELDS: FieldDef[] = [
  { name: 'SS', lsb: 0, width: 1, desc: 'Software step enable' },
  { name: 'ERR', lsb: 6, width: 1 },
  { name: 'TDCC', lsb: 12, width: 1, desc: 'Trap EL0 access to the DCC registers' },
  { name: 'KDE', lsb: 13, width: 1, desc: 'Local (kernel) debug enable: debug exceptions at the debug target EL' },
  { name: 'HDE', lsb: 14, width: 1, desc: 'Halting debug enable' },
  { name: 'MDE', lsb: 15, width: 1, desc: 'Monitor debug events: breakpoints and watchpoints' },
  { name: 'TDA', lsb: 21, width: 1 },
  { name: 'INTdis', lsb: 22, width: 2 },
  { name: 'TXU', lsb: 26, width: 1 }, { name: 'RXO', lsb: 27, width: 1 },
  { name: 'TXfull', lsb: 29, width: 1 }, { name: 'RXfull', lsb: 30, width: 1 }, { name: 'TFO', lsb: 31, width: 1 },
];
/** MDSCR_EL1 bits writable from EL1 (TXfull/RXfull reflect the DCC; RES0 bits stay 0). */
const MDSCR_WMASK = 0x8ce0f041;

/** Breakpoint/watchpoint registers beyond the number the model implements are UNDEFINED. */
const bpExists = (n: number) => (pe: PE): Access => (n < numBreakpoints(pe) ? Access.Ok : Access.Undefined);
const wpExists = (n: number) => (pe: PE): Access => (n < numWatchpoints(pe) ? Access.Ok : Access.Undefined);

/**
 * DCC registers at EL0: MDSCR_EL1.TDCC traps EL0 accesses to EL1 (to EL2 with HCR_EL2.TGE);
 * otherwise HCR_EL2.TGE (MDCR_EL2.TDE treated as 1) sends them to EL2. MDCR_EL2.TDA/TDE at EL0
 * and EL1 are the table's trap rules. DDI0487, the MDCCSR_EL0 accessibility pseudocode.
 */
function dccAccess(pe: PE): Access {
  if (pe.el !== 0) return Access.Ok;
  if (pe.sys[slot('MDSCR_EL1') * 2] & (1 << 12)) return pe.tge() ? Access.TrapEL2 : Access.TrapEL1;
  return pe.tge() ? Access.TrapEL2 : Access.Ok;
}

function breakpointRegs(): SysRegDef[] {
  const out: SysRegDef[] = [];
  for (let n = 0; n < MAX_BREAKPOINTS; n++) {
    out.push({ name: `DBGBVR${n}_EL1`, ...enc(`2,0,0,${n},4`), group: 'Debug', long: `Debug Breakpoint Value Register ${n}`, minEL: 1, traps: TDA,
      // All bits stored: the layout depends on DBGBCR.BT (VA[48:2] for an address, ContextID in
      // [31:0], VMID or ContextID2 in [63:32] for a context type).
      access: bpExists(n) });
    out.push({ name: `DBGBCR${n}_EL1`, ...enc(`2,0,0,${n},5`), group: 'Debug', long: `Debug Breakpoint Control Register ${n}`, minEL: 1, traps: TDA,
      access: bpExists(n), wmask: 0x00ffe1e7, wmaskHi: 0, fields: DBGBCR_FIELDS, write: refresh });
  }
  for (let n = 0; n < MAX_WATCHPOINTS; n++) {
    out.push({ name: `DBGWVR${n}_EL1`, ...enc(`2,0,0,${n},6`), group: 'Debug', long: `Debug Watchpoint Value Register ${n}`, minEL: 1, traps: TDA,
      access: wpExists(n), wmask: 0xfffffffc });
    out.push({ name: `DBGWCR${n}_EL1`, ...enc(`2,0,0,${n},7`), group: 'Debug', long: `Debug Watchpoint Control Register ${n}`, minEL: 1, traps: TDA,
      access: wpExists(n), wmask: 0x1f1fffff, wmaskHi: 0, fields: DBGWCR_FIELDS, write: refresh });
  }
  return out;
}

/** Claim tags: 8 implemented; the current tags are kept in both slots (reads of DBGCLAIMSET_EL1 give the implemented set). */
const CLAIM_TAGS = 0xff;
function writeClaim(pe: PE, set: boolean, lo: number): void {
  const sSet = slot('DBGCLAIMSET_EL1') * 2, sClr = slot('DBGCLAIMCLR_EL1') * 2;
  const other = set ? pe.sys[sClr] : pe.sys[sSet];
  const tags = (set ? other | lo : other & ~lo) & CLAIM_TAGS;
  pe.sys[sSet] = tags;
  pe.sys[sClr] = tags;
}

export const SELF_DEBUG_REGS: SysRegDef[] = [
  ...breakpointRegs(),
  { name: 'MDSCR_EL1', ...enc('2,0,0,2,2'), group: 'Debug', long: 'Monitor Debug System Control Register', minEL: 1, traps: TDA,
    wmask: MDSCR_WMASK, wmaskHi: 0, fields: MDSCR_FIELDS, write: refresh },
  { name: 'MDCCINT_EL1', ...enc('2,0,0,2,0'), group: 'Debug', long: 'Monitor DCC Interrupt Enable Register', minEL: 1, traps: TDA,
    wmask: 0x60000000, wmaskHi: 0, fields: [{ name: 'TX', lsb: 29, width: 1 }, { name: 'RX', lsb: 30, width: 1 }] },
  { name: 'OSDTRRX_EL1', ...enc('2,0,0,0,2'), group: 'Debug', long: 'OS Lock Data Transfer Register, Receive', minEL: 1, traps: TDA, wmaskHi: 0 },
  { name: 'OSDTRTX_EL1', ...enc('2,0,0,3,2'), group: 'Debug', long: 'OS Lock Data Transfer Register, Transmit', minEL: 1, traps: TDA, wmaskHi: 0 },
  { name: 'OSECCR_EL1', ...enc('2,0,0,6,2'), group: 'Debug', long: 'OS Lock Exception Catch Control Register', minEL: 1, traps: TDA, wmaskHi: 0 },
  // The DCC has no external debugger behind it: the transmit buffer never fills (TXfull = 0, a
  // write to DBGDTRTX_EL0 is consumed at once) and nothing is ever received (RXfull = 0).
  { name: 'MDCCSR_EL0', ...enc('2,3,0,1,0'), group: 'Debug', long: 'Monitor DCC Status Register', minEL: 0, readOnly: true, traps: TDA,
    access: dccAccess, fields: [{ name: 'TXfull', lsb: 29, width: 1 }, { name: 'RXfull', lsb: 30, width: 1 }] },
  { name: 'DBGDTR_EL0', ...enc('2,3,0,4,0'), group: 'Debug', long: 'Debug Data Transfer Register, half-duplex', minEL: 0, traps: TDA, access: dccAccess },
  { name: 'DBGDTRRX_EL0', ...enc('2,3,0,5,0'), group: 'Debug', long: 'Debug Data Transfer Register, Receive (writes: DBGDTRTX_EL0, Transmit)', minEL: 0,
    traps: TDA, access: dccAccess, read: (pe) => { pe.srLo = 0; pe.srHi = 0; }, write: (pe) => { pe.sys[slot('DBGDTRRX_EL0') * 2] = 0; } },
  // ROMADDR not valid (Valid = 0b00): no memory-mapped debug ROM table on this board.
  { name: 'MDRAR_EL1', ...enc('2,0,1,0,0'), group: 'Debug', long: 'Monitor Debug ROM Address Register', minEL: 1, readOnly: true, traps: TDRA },
  { name: 'OSLAR_EL1', ...enc('2,0,1,0,4'), group: 'Debug', long: 'OS Lock Access Register', minEL: 1, writeOnly: true, traps: TDOSA,
    write: (pe, lo) => { pe.osLock = lo & 1; return refresh(pe); } },
  // OSLM = 0b10 (OS lock implemented, bits 3 and 0), OSLK (bit 1), nTT = 0 (DDI0487, OSLSR_EL1).
  { name: 'OSLSR_EL1', ...enc('2,0,1,1,4'), group: 'Debug', long: 'OS Lock Status Register', minEL: 1, readOnly: true, traps: TDOSA,
    read: (pe) => { pe.srLo = 0x8 | (pe.osLock << 1); pe.srHi = 0; },
    fields: [{ name: 'OSLM', lsb: 0, width: 1, desc: 'OSLM[0] (OSLM[1] is bit 3)' }, { name: 'OSLK', lsb: 1, width: 1, desc: 'OS lock status' },
      { name: 'nTT', lsb: 2, width: 1 }, { name: 'OSLM1', lsb: 3, width: 1 }] },
  { name: 'OSDLR_EL1', ...enc('2,0,1,3,4'), group: 'Debug', long: 'OS Double Lock Register', minEL: 1, wmask: 1, wmaskHi: 0, traps: TDOSA,
    fields: [{ name: 'DLK', lsb: 0, width: 1, desc: 'OS double lock (with DBGPRCR_EL1.CORENPDRQ = 0)' }], write: refresh },
  { name: 'DBGPRCR_EL1', ...enc('2,0,1,4,4'), group: 'Debug', long: 'Debug Power Control Register', minEL: 1, wmask: 1, wmaskHi: 0, traps: TDOSA,
    fields: [{ name: 'CORENPDRQ', lsb: 0, width: 1, desc: 'Core no powerdown request' }], write: refresh },
  { name: 'DBGCLAIMSET_EL1', ...enc('2,0,7,8,6'), group: 'Debug', long: 'Debug Claim Tag Set Register', minEL: 1, traps: TDA, wmaskHi: 0,
    read: (pe) => { pe.srLo = CLAIM_TAGS; pe.srHi = 0; }, write: (pe, lo) => { writeClaim(pe, true, lo); } },
  { name: 'DBGCLAIMCLR_EL1', ...enc('2,0,7,9,6'), group: 'Debug', long: 'Debug Claim Tag Clear Register', minEL: 1, traps: TDA, wmaskHi: 0,
    write: (pe, lo) => { writeClaim(pe, false, lo); } },
  // No Secure state (no EL3): SID = SNID = 0b00 (not implemented); Non-secure invasive and
  // non-invasive debug implemented and enabled: NSID = NSNID = 0b11 (DDI0487, DBGAUTHSTATUS_EL1).
  { name: 'DBGAUTHSTATUS_EL1', ...enc('2,0,7,14,6'), group: 'Debug', long: 'Debug Authentication Status Register', minEL: 1, readOnly: true, traps: TDA,
    reset: 0x0f, fields: [{ name: 'NSID', lsb: 0, width: 2 }, { name: 'NSNID', lsb: 2, width: 2 }, { name: 'SID', lsb: 4, width: 2 }, { name: 'SNID', lsb: 6, width: 2 }] },
  // DBGVCR32_EL2 is absent: it exists only when AArch32 is supported at some EL (DDI0487,
  // DBGVCR32_EL2 "Configurations"), and both CPU models advertise AArch64-only ELs
  // (ID_AA64PFR0_EL1.EL0..EL2 = 1), so an access is UNDEFINED.
];
