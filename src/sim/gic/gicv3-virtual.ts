// GICv3 virtualization control registers ICH_*_EL2 (IHI 0069 12.4) as descriptors over the
// virtual CPU interface (lr.ts). The ICV_* registers share the ICC_* encodings and are handled
// in gicv3-cpuif.ts (an EL1 access with HCR_EL2.IMO/FMO set). List registers beyond the number
// implemented (ICH_VTR_EL2.ListRegs) are UNDEFINED, as in QEMU.
// This file must not import the system-register index at run time (the index imports it).
import { Access, enc, type SysRegDef } from '../sysregs/types';
import type { PE } from '../pe';
import type { Gic } from './gic';
import { gicv3Of } from './gicv3-cpuif';

const set = (pe: PE, lo: number, hi = 0): void => { pe.srLo = lo >>> 0; pe.srHi = hi >>> 0; };
const V = (pe: PE) => (gicv3Of(pe) as Gic).virt[pe.id];
const access = (pe: PE): Access => (gicv3Of(pe) ? Access.Ok : Access.Undefined);

const r = (name: string, e: string, long: string, rest: Partial<SysRegDef>): SysRegDef =>
  ({ name, ...enc(e), group: 'GIC', long, minEL: 2, wmaskHi: 0, access, ...rest });

export const ICH_HCR_FIELDS = [
  { name: 'En', lsb: 0, width: 1, desc: 'Virtual CPU interface enable' }, { name: 'UIE', lsb: 1, width: 1, desc: 'Underflow interrupt enable' },
  { name: 'LRENPIE', lsb: 2, width: 1, desc: 'List Register Entry Not Present interrupt enable' },
  { name: 'NPIE', lsb: 3, width: 1, desc: 'No Pending interrupt enable' },
  { name: 'VGrp0EIE', lsb: 4, width: 1 }, { name: 'VGrp0DIE', lsb: 5, width: 1 }, { name: 'VGrp1EIE', lsb: 6, width: 1 }, { name: 'VGrp1DIE', lsb: 7, width: 1 },
  { name: 'TC', lsb: 10, width: 1, desc: 'Trap common EL1 ICC registers' }, { name: 'TALL0', lsb: 11, width: 1 }, { name: 'TALL1', lsb: 12, width: 1 },
  { name: 'TSEI', lsb: 13, width: 1 }, { name: 'TDIR', lsb: 14, width: 1 }, { name: 'EOIcount', lsb: 27, width: 5 },
];
export const ICH_VMCR_FIELDS = [
  { name: 'VENG0', lsb: 0, width: 1 }, { name: 'VENG1', lsb: 1, width: 1 }, { name: 'VAckCtl', lsb: 2, width: 1 }, { name: 'VFIQEn', lsb: 3, width: 1 },
  { name: 'VCBPR', lsb: 4, width: 1 }, { name: 'VEOIM', lsb: 9, width: 1 }, { name: 'VBPR1', lsb: 18, width: 3 }, { name: 'VBPR0', lsb: 21, width: 3 },
  { name: 'VPMR', lsb: 24, width: 8 },
];
export const ICH_MISR_FIELDS = [
  { name: 'EOI', lsb: 0, width: 1 }, { name: 'U', lsb: 1, width: 1 }, { name: 'LRENP', lsb: 2, width: 1 }, { name: 'NP', lsb: 3, width: 1 },
  { name: 'VGrp0E', lsb: 4, width: 1 }, { name: 'VGrp0D', lsb: 5, width: 1 }, { name: 'VGrp1E', lsb: 6, width: 1 }, { name: 'VGrp1D', lsb: 7, width: 1 },
];
export const ICH_LR_FIELDS = [
  { name: 'vINTID', lsb: 0, width: 32 }, { name: 'pINTID', lsb: 32, width: 13 }, { name: 'Priority', lsb: 48, width: 8 },
  { name: 'Group', lsb: 60, width: 1 }, { name: 'HW', lsb: 61, width: 1 },
  { name: 'State', lsb: 62, width: 2, values: { 0: 'invalid', 1: 'pending', 2: 'active', 3: 'pending+active' } },
];

function lrRegs(): SysRegDef[] {
  const out: SysRegDef[] = [];
  for (let n = 0; n < 16; n++) {
    out.push(r(`ICH_LR${n}_EL2`, `3,4,12,${12 + (n >>> 3)},${n & 7}`, `Interrupt Controller List Register ${n}`, {
      wmaskHi: 0xffffffff, fields: ICH_LR_FIELDS,
      access: (pe) => { const g = gicv3Of(pe); return g && n < g.numLrs ? Access.Ok : Access.Undefined; },
      read: (pe) => { const v = V(pe); set(pe, v.lrLo[n], v.lrHi[n]); },
      write: (pe, lo, hi) => { V(pe).writeLr(n, lo, hi); return true; },
    }));
  }
  return out;
}

export const GICV3_VIRTUAL_REGS: SysRegDef[] = [
  r('ICH_AP0R0_EL2', '3,4,12,8,0', 'Interrupt Controller Hyp Active Priorities Group 0 Register 0', {
    read: (pe) => set(pe, V(pe).ap0), write: (pe, lo) => { V(pe).writeAp(0, lo); return true; } }),
  r('ICH_AP1R0_EL2', '3,4,12,9,0', 'Interrupt Controller Hyp Active Priorities Group 1 Register 0', {
    read: (pe) => set(pe, V(pe).ap1), write: (pe, lo) => { V(pe).writeAp(1, lo); return true; } }),
  r('ICH_HCR_EL2', '3,4,12,11,0', 'Interrupt Controller Hyp Control Register', {
    fields: ICH_HCR_FIELDS, read: (pe) => set(pe, V(pe).hcr), write: (pe, lo) => { V(pe).writeHcr(lo); return true; } }),
  r('ICH_VTR_EL2', '3,4,12,11,1', 'Interrupt Controller VGIC Type Register', {
    readOnly: true, read: (pe) => set(pe, V(pe).vtr()),
    fields: [{ name: 'ListRegs', lsb: 0, width: 5 }, { name: 'TDS', lsb: 19, width: 1 }, { name: 'nV4', lsb: 20, width: 1 }, { name: 'A3V', lsb: 21, width: 1 },
      { name: 'SEIS', lsb: 22, width: 1 }, { name: 'IDbits', lsb: 23, width: 3 }, { name: 'PREbits', lsb: 26, width: 3 }, { name: 'PRIbits', lsb: 29, width: 3 }] }),
  r('ICH_MISR_EL2', '3,4,12,11,2', 'Interrupt Controller Maintenance Interrupt State Register', {
    readOnly: true, fields: ICH_MISR_FIELDS, read: (pe) => set(pe, V(pe).misr()) }),
  r('ICH_EISR_EL2', '3,4,12,11,3', 'Interrupt Controller End of Interrupt Status Register', { readOnly: true, read: (pe) => set(pe, V(pe).eisr()) }),
  r('ICH_ELRSR_EL2', '3,4,12,11,5', 'Interrupt Controller Empty List Register Status Register', { readOnly: true, read: (pe) => set(pe, V(pe).elrsr()) }),
  r('ICH_VMCR_EL2', '3,4,12,11,7', 'Interrupt Controller Virtual Machine Control Register', {
    fields: ICH_VMCR_FIELDS, read: (pe) => set(pe, V(pe).vmcr), write: (pe, lo) => { V(pe).writeVmcr(lo); return true; } }),
  ...lrRegs(),
];
