// GICv3 CPU interface system registers ICC_*_EL1/EL2 (IHI 0069 12.2) as descriptors. With
// HCR_EL2.IMO (Group 1 registers) / FMO (Group 0) set, an EL1 access is an ICV_* access that
// acts on the virtual CPU interface (lr.ts); CTLR, DIR, PMR and RPR go virtual with either.
// Traps to EL2 follow ICH_HCR_EL2.TC/TALL0/TALL1/TDIR, and EL1 SGI generation traps to EL2
// whenever IMO or FMO is set (QEMU gicv3_sgi_access). On a GICv2 board every ICC_* encoding is
// UNDEFINED, as under QEMU with gic-version=2.
// This file must not import the system-register index at run time (the index imports it).
import { Access, enc, type SysRegDef } from '../sysregs/types';
import type { PE } from '../pe';
import type { Gic } from './gic';
import { CTLR_CBPR, CTLR_EOIMODE } from './irq-state';
import { HCR_TALL0, HCR_TALL1, HCR_TC, HCR_TDIR } from './lr';

const HCR_FMO = 1 << 3, HCR_IMO = 1 << 4;

/** The board's GICv3, or undefined (GICv2 board, or a board without a GIC). */
export function gicv3Of(pe: PE): Gic | undefined {
  const g = pe.board.gic;
  return g !== undefined && g.version === 3 ? g : undefined;
}

/** Is this EL1 access redirected to the ICV_* register? (HCR_EL2 bits in `flags`.) */
function icv(pe: PE, flags: number): boolean {
  return pe.el === 1 && (pe.hcrLo() & flags) !== 0;
}

function ichHcr(pe: PE, g: Gic): number { return g.virt[pe.id].hcr; }

function irqFiqAccess(pe: PE): Access {
  const g = gicv3Of(pe);
  if (!g) return Access.Undefined;
  if (pe.el === 1 && (ichHcr(pe, g) & HCR_TC)) return Access.TrapEL2;
  return Access.Ok;
}
function grp0Access(pe: PE): Access {
  const g = gicv3Of(pe);
  if (!g) return Access.Undefined;
  if (pe.el === 1 && (ichHcr(pe, g) & HCR_TALL0)) return Access.TrapEL2;
  return Access.Ok;
}
function grp1Access(pe: PE): Access {
  const g = gicv3Of(pe);
  if (!g) return Access.Undefined;
  if (pe.el === 1 && (ichHcr(pe, g) & HCR_TALL1)) return Access.TrapEL2;
  return Access.Ok;
}
function dirAccess(pe: PE): Access {
  const g = gicv3Of(pe);
  if (!g) return Access.Undefined;
  if (pe.el === 1 && (ichHcr(pe, g) & HCR_TDIR)) return Access.TrapEL2;
  return irqFiqAccess(pe);
}
function sgiAccess(pe: PE): Access {
  if (!gicv3Of(pe)) return Access.Undefined;
  if (pe.el === 1 && (pe.hcrLo() & (HCR_IMO | HCR_FMO))) return Access.TrapEL2;
  return Access.Ok;
}
function plainAccess(pe: PE): Access { return gicv3Of(pe) ? Access.Ok : Access.Undefined; }

const set = (pe: PE, lo: number): void => { pe.srLo = lo >>> 0; pe.srHi = 0; };
const G = (pe: PE): Gic => gicv3Of(pe)!;
/** ICC_CTLR_EL1 read-only part: A3V, IDbits = 1 (24-bit), PRIbits = 4 (5 bits), as QEMU's 0x8c00. */
const ICC_CTLR_RO = (1 << 15) | (1 << 11) | (4 << 8);

const iar = (grp: number) => (pe: PE): void => {
  const g = G(pe);
  set(pe, icv(pe, grp ? HCR_IMO : HCR_FMO) ? g.virt[pe.id].acknowledge(grp) : g.state.acknowledge(pe.id, grp));
};
const eoir = (grp: number) => (pe: PE, lo: number): boolean => {
  const g = G(pe);
  if (icv(pe, grp ? HCR_IMO : HCR_FMO)) g.virt[pe.id].endOfInterrupt(lo, grp); else g.state.endOfInterrupt(pe.id, lo, grp);
  return true;
};
const hppir = (grp: number) => (pe: PE): void => {
  const g = G(pe);
  set(pe, icv(pe, grp ? HCR_IMO : HCR_FMO) ? g.virt[pe.id].highestPending(grp) : g.state.highestPending(pe.id, grp));
};
const bprRead = (grp: number) => (pe: PE): void => {
  const g = G(pe);
  if (icv(pe, grp ? HCR_IMO : HCR_FMO)) { set(pe, g.virt[pe.id].readBpr(grp)); return; }
  const c = g.state.cpus[pe.id];
  // With CBPR, BPR1 reads as BPR0 + 1 (saturated) and writes are ignored.
  set(pe, grp === 0 ? c.bpr0 : (c.ctlr & CTLR_CBPR) ? Math.min(c.bpr0 + 1, 7) : c.bpr1);
};
const bprWrite = (grp: number) => (pe: PE, lo: number): boolean => {
  const g = G(pe);
  if (icv(pe, grp ? HCR_IMO : HCR_FMO)) { g.virt[pe.id].writeBpr(grp, lo); return true; }
  const c = g.state.cpus[pe.id];
  if (grp === 0) c.bpr0 = Math.max(lo & 7, c.minBpr0);
  else if (!(c.ctlr & CTLR_CBPR)) c.bpr1 = Math.max(lo & 7, c.minBpr0 + 1);
  g.state.updatePe(pe.id);
  return true;
};
const apRead = (grp: number) => (pe: PE): void => {
  const g = G(pe);
  if (icv(pe, grp ? HCR_IMO : HCR_FMO)) { const v = g.virt[pe.id]; set(pe, grp ? v.ap1 : v.ap0); return; }
  set(pe, g.state.readAprV3(pe.id, grp));
};
const apWrite = (grp: number) => (pe: PE, lo: number): boolean => {
  const g = G(pe);
  if (icv(pe, grp ? HCR_IMO : HCR_FMO)) g.virt[pe.id].writeAp(grp, lo); else g.state.writeAprV3(pe.id, grp, lo);
  return true;
};
const igrpenRead = (grp: number) => (pe: PE): void => {
  const g = G(pe);
  if (icv(pe, grp ? HCR_IMO : HCR_FMO)) { set(pe, (g.virt[pe.id].vmcr >>> grp) & 1); return; }
  const c = g.state.cpus[pe.id];
  set(pe, grp ? c.igrpen1 : c.igrpen0);
};
const igrpenWrite = (grp: number) => (pe: PE, lo: number): boolean => {
  const g = G(pe);
  if (icv(pe, grp ? HCR_IMO : HCR_FMO)) { g.virt[pe.id].writeGroupEnable(grp, (lo & 1) !== 0); return true; }
  const c = g.state.cpus[pe.id];
  if (grp) c.igrpen1 = lo & 1; else c.igrpen0 = lo & 1;
  g.state.updatePe(pe.id);
  return true;
};
const sgi = (group: number) => (pe: PE, lo: number, hi: number): boolean => {
  G(pe).generateSgiV3(pe.id, lo, hi, group);
  return true;
};

const gic = 'GIC' as const;
const r = (name: string, e: string, long: string, rest: Partial<SysRegDef>): SysRegDef =>
  ({ name, ...enc(e), group: gic, long, minEL: 1, wmaskHi: 0, ...rest });

export const GICV3_CPUIF_REGS: SysRegDef[] = [
  r('ICC_PMR_EL1', '3,0,4,6,0', 'Interrupt Controller Interrupt Priority Mask Register', {
    access: irqFiqAccess, fields: [{ name: 'Priority', lsb: 0, width: 8 }],
    read: (pe) => { const g = G(pe); set(pe, icv(pe, HCR_IMO | HCR_FMO) ? g.virt[pe.id].vpmr() : g.state.cpus[pe.id].pmr); },
    write: (pe, lo) => {
      const g = G(pe);
      if (icv(pe, HCR_IMO | HCR_FMO)) g.virt[pe.id].writePmr(lo);
      else { g.state.cpus[pe.id].pmr = lo & 0xf8; g.state.updatePe(pe.id); }
      return true;
    } }),
  r('ICC_IAR0_EL1', '3,0,12,8,0', 'Interrupt Controller Interrupt Acknowledge Register 0', { access: grp0Access, readOnly: true, read: iar(0) }),
  r('ICC_EOIR0_EL1', '3,0,12,8,1', 'Interrupt Controller End Of Interrupt Register 0', { access: grp0Access, writeOnly: true, write: eoir(0) }),
  r('ICC_HPPIR0_EL1', '3,0,12,8,2', 'Interrupt Controller Highest Priority Pending Interrupt Register 0', { access: grp0Access, readOnly: true, read: hppir(0) }),
  r('ICC_BPR0_EL1', '3,0,12,8,3', 'Interrupt Controller Binary Point Register 0', { access: grp0Access, read: bprRead(0), write: bprWrite(0) }),
  r('ICC_AP0R0_EL1', '3,0,12,8,4', 'Interrupt Controller Active Priorities Group 0 Register 0', { access: grp0Access, read: apRead(0), write: apWrite(0) }),
  r('ICC_AP1R0_EL1', '3,0,12,9,0', 'Interrupt Controller Active Priorities Group 1 Register 0', { access: grp1Access, read: apRead(1), write: apWrite(1) }),
  r('ICC_DIR_EL1', '3,0,12,11,1', 'Interrupt Controller Deactivate Interrupt Register', {
    access: dirAccess, writeOnly: true,
    write: (pe, lo) => {
      const g = G(pe);
      if (icv(pe, HCR_IMO | HCR_FMO)) g.virt[pe.id].deactivate(lo); else g.state.deactivateRegister(pe.id, lo);
      return true;
    } }),
  r('ICC_RPR_EL1', '3,0,12,11,3', 'Interrupt Controller Running Priority Register', {
    access: irqFiqAccess, readOnly: true,
    read: (pe) => { const g = G(pe); set(pe, icv(pe, HCR_IMO | HCR_FMO) ? g.virt[pe.id].runningPriority() : g.state.runningPriority(pe.id)); } }),
  r('ICC_SGI1R_EL1', '3,0,12,11,5', 'Interrupt Controller Software Generated Interrupt Group 1 Register', {
    access: sgiAccess, writeOnly: true, wmaskHi: 0xffffffff, write: sgi(1),
    fields: [{ name: 'TargetList', lsb: 0, width: 16 }, { name: 'Aff1', lsb: 16, width: 8 }, { name: 'INTID', lsb: 24, width: 4 },
      { name: 'Aff2', lsb: 32, width: 8 }, { name: 'IRM', lsb: 40, width: 1 }, { name: 'RS', lsb: 44, width: 4 }, { name: 'Aff3', lsb: 48, width: 8 }] }),
  // With DS = 1, "the other Security state's Group 1" SGIs are Group 0 (QEMU icc_generate_sgi).
  r('ICC_ASGI1R_EL1', '3,0,12,11,6', 'Interrupt Controller Alias Software Generated Interrupt Group 1 Register', {
    access: sgiAccess, writeOnly: true, wmaskHi: 0xffffffff, write: sgi(0) }),
  r('ICC_SGI0R_EL1', '3,0,12,11,7', 'Interrupt Controller Software Generated Interrupt Group 0 Register', {
    access: sgiAccess, writeOnly: true, wmaskHi: 0xffffffff, write: sgi(0) }),
  r('ICC_IAR1_EL1', '3,0,12,12,0', 'Interrupt Controller Interrupt Acknowledge Register 1', { access: grp1Access, readOnly: true, read: iar(1) }),
  r('ICC_EOIR1_EL1', '3,0,12,12,1', 'Interrupt Controller End Of Interrupt Register 1', { access: grp1Access, writeOnly: true, write: eoir(1) }),
  r('ICC_HPPIR1_EL1', '3,0,12,12,2', 'Interrupt Controller Highest Priority Pending Interrupt Register 1', { access: grp1Access, readOnly: true, read: hppir(1) }),
  r('ICC_BPR1_EL1', '3,0,12,12,3', 'Interrupt Controller Binary Point Register 1', { access: grp1Access, read: bprRead(1), write: bprWrite(1) }),
  r('ICC_CTLR_EL1', '3,0,12,12,4', 'Interrupt Controller Control Register (EL1)', {
    access: irqFiqAccess,
    fields: [{ name: 'CBPR', lsb: 0, width: 1 }, { name: 'EOImode', lsb: 1, width: 1 }, { name: 'PMHE', lsb: 6, width: 1 },
      { name: 'PRIbits', lsb: 8, width: 3 }, { name: 'IDbits', lsb: 11, width: 3 }, { name: 'SEIS', lsb: 14, width: 1 }, { name: 'A3V', lsb: 15, width: 1 }],
    read: (pe) => {
      const g = G(pe);
      if (icv(pe, HCR_IMO | HCR_FMO)) { set(pe, g.virt[pe.id].icvCtlr()); return; }
      const c = g.state.cpus[pe.id].ctlr;
      set(pe, ICC_CTLR_RO | (c & CTLR_EOIMODE ? 2 : 0) | (c & CTLR_CBPR ? 1 : 0));
    },
    write: (pe, lo) => {
      const g = G(pe);
      if (icv(pe, HCR_IMO | HCR_FMO)) { g.virt[pe.id].writeIcvCtlr(lo); return true; }
      const c = g.state.cpus[pe.id];
      c.ctlr = (c.ctlr & ~(CTLR_EOIMODE | CTLR_CBPR)) | (lo & 2 ? CTLR_EOIMODE : 0) | (lo & 1 ? CTLR_CBPR : 0);
      g.state.updatePe(pe.id);
      return true;
    } }),
  // SRE, DFB, DIB RAO/WI: system-register interface always on, no bypass (QEMU: 0x7).
  r('ICC_SRE_EL1', '3,0,12,12,5', 'Interrupt Controller System Register Enable Register (EL1)', {
    access: plainAccess, wmask: 0, read: (pe) => set(pe, 7),
    fields: [{ name: 'SRE', lsb: 0, width: 1 }, { name: 'DFB', lsb: 1, width: 1 }, { name: 'DIB', lsb: 2, width: 1 }] }),
  r('ICC_IGRPEN0_EL1', '3,0,12,12,6', 'Interrupt Controller Interrupt Group 0 Enable Register', { access: grp0Access, read: igrpenRead(0), write: igrpenWrite(0) }),
  r('ICC_IGRPEN1_EL1', '3,0,12,12,7', 'Interrupt Controller Interrupt Group 1 Enable Register', { access: grp1Access, read: igrpenRead(1), write: igrpenWrite(1) }),
  // SRE, DFB, DIB, Enable RAO/WI (QEMU: 0xf). UNDEFINED with gic-version=2, as on QEMU.
  r('ICC_SRE_EL2', '3,4,12,9,5', 'Interrupt Controller System Register Enable Register (EL2)', {
    minEL: 2, access: plainAccess, wmask: 0, read: (pe) => set(pe, 0xf),
    fields: [{ name: 'SRE', lsb: 0, width: 1 }, { name: 'DFB', lsb: 1, width: 1 }, { name: 'DIB', lsb: 2, width: 1 }, { name: 'Enable', lsb: 3, width: 1 }] }),
];
