// Identification registers. Values come from the CPU model (src/sim/cpu-model.ts) so the
// guest sees the same IDs as on QEMU's model of the same core. DDI0487 D17.2.
// Reads from EL1 of MIDR_EL1/MPIDR_EL1 return VPIDR_EL2/VMPIDR_EL2 when EL2 is implemented.
import { Access, enc, type SysRegDef } from './types';

const tid3 = true;

export const ID_REGS: SysRegDef[] = [
  { name: 'MIDR_EL1', ...enc('3,0,0,0,0'), group: 'ID', long: 'Main ID Register', minEL: 1, readOnly: true,
    read: (pe) => { if (pe.el === 1) { pe.srLo = pe.sys[pe.slotVPIDR_EL2 * 2]; } else { pe.srLo = pe.model.midr; } pe.srHi = 0; },
    fields: [{ name: 'Implementer', lsb: 24, width: 8 }, { name: 'Variant', lsb: 20, width: 4 }, { name: 'Architecture', lsb: 16, width: 4 },
      { name: 'PartNum', lsb: 4, width: 12 }, { name: 'Revision', lsb: 0, width: 4 }] },
  { name: 'MPIDR_EL1', ...enc('3,0,0,0,5'), group: 'ID', long: 'Multiprocessor Affinity Register', minEL: 1, readOnly: true,
    read: (pe) => {
      if (pe.el === 1) { pe.srLo = pe.sys[pe.slotVMPIDR_EL2 * 2]; pe.srHi = pe.sys[pe.slotVMPIDR_EL2 * 2 + 1]; }
      else { pe.srLo = pe.mpidr; pe.srHi = 0; }
    },
    fields: [{ name: 'Aff3', lsb: 32, width: 8 }, { name: 'U', lsb: 30, width: 1 }, { name: 'MT', lsb: 24, width: 1 },
      { name: 'Aff2', lsb: 16, width: 8 }, { name: 'Aff1', lsb: 8, width: 8 }, { name: 'Aff0', lsb: 0, width: 8 }] },
  { name: 'REVIDR_EL1', ...enc('3,0,0,0,6'), group: 'ID', long: 'Revision ID Register', minEL: 1, readOnly: true, reset: 0, traps: [{ reg: 'HCR_EL2', bits: [16], on: 'read' }] },
  { name: 'ID_AA64PFR0_EL1', ...enc('3,0,0,4,0'), group: 'ID', long: 'AArch64 Processor Feature Register 0', minEL: 1, readOnly: true, tid3,
    fields: [{ name: 'EL0', lsb: 0, width: 4 }, { name: 'EL1', lsb: 4, width: 4 }, { name: 'EL2', lsb: 8, width: 4 }, { name: 'EL3', lsb: 12, width: 4 },
      { name: 'FP', lsb: 16, width: 4 }, { name: 'AdvSIMD', lsb: 20, width: 4 }, { name: 'GIC', lsb: 24, width: 4 }] },
  { name: 'ID_AA64PFR1_EL1', ...enc('3,0,0,4,1'), group: 'ID', long: 'AArch64 Processor Feature Register 1', minEL: 1, readOnly: true, tid3 },
  { name: 'ID_AA64DFR0_EL1', ...enc('3,0,0,5,0'), group: 'ID', long: 'AArch64 Debug Feature Register 0', minEL: 1, readOnly: true, tid3 },
  { name: 'ID_AA64DFR1_EL1', ...enc('3,0,0,5,1'), group: 'ID', long: 'AArch64 Debug Feature Register 1', minEL: 1, readOnly: true, tid3 },
  { name: 'ID_AA64AFR0_EL1', ...enc('3,0,0,5,4'), group: 'ID', long: 'AArch64 Auxiliary Feature Register 0', minEL: 1, readOnly: true, tid3 },
  { name: 'ID_AA64AFR1_EL1', ...enc('3,0,0,5,5'), group: 'ID', long: 'AArch64 Auxiliary Feature Register 1', minEL: 1, readOnly: true, tid3 },
  { name: 'ID_AA64ISAR0_EL1', ...enc('3,0,0,6,0'), group: 'ID', long: 'AArch64 Instruction Set Attribute Register 0', minEL: 1, readOnly: true, tid3 },
  { name: 'ID_AA64ISAR1_EL1', ...enc('3,0,0,6,1'), group: 'ID', long: 'AArch64 Instruction Set Attribute Register 1', minEL: 1, readOnly: true, tid3 },
  { name: 'ID_AA64MMFR0_EL1', ...enc('3,0,0,7,0'), group: 'ID', long: 'AArch64 Memory Model Feature Register 0', minEL: 1, readOnly: true, tid3,
    fields: [{ name: 'PARange', lsb: 0, width: 4 }, { name: 'ASIDBits', lsb: 4, width: 4 }, { name: 'TGran16', lsb: 20, width: 4 },
      { name: 'TGran64', lsb: 24, width: 4 }, { name: 'TGran4', lsb: 28, width: 4 }] },
  { name: 'ID_AA64MMFR1_EL1', ...enc('3,0,0,7,1'), group: 'ID', long: 'AArch64 Memory Model Feature Register 1', minEL: 1, readOnly: true, tid3,
    fields: [{ name: 'HAFDBS', lsb: 0, width: 4 }, { name: 'VMIDBits', lsb: 4, width: 4 }, { name: 'VH', lsb: 8, width: 4, desc: 'FEAT_VHE' },
      { name: 'HPDS', lsb: 12, width: 4 }, { name: 'LO', lsb: 16, width: 4 }, { name: 'PAN', lsb: 20, width: 4 }] },
  { name: 'ID_AA64MMFR2_EL1', ...enc('3,0,0,7,2'), group: 'ID', long: 'AArch64 Memory Model Feature Register 2', minEL: 1, readOnly: true, tid3 },
  { name: 'CTR_EL0', ...enc('3,3,0,0,1'), group: 'ID', long: 'Cache Type Register', minEL: 0, readOnly: true, traps: [{ reg: 'HCR_EL2', bits: [17], on: 'read' }],
    // EL0 reads need SCTLR_EL1.UCT (bit 15). DDI0487 D17.2.34
    access: (pe) => (pe.el === 0 && !(pe.sctlrEl1() & (1 << 15)) ? Access.TrapEL1 : Access.Ok) },
  { name: 'DCZID_EL0', ...enc('3,3,0,0,7'), group: 'ID', long: 'Data Cache Zero ID Register', minEL: 0, readOnly: true,
    // DZP (bit 4) reports whether DC ZVA is prohibited at the current EL: SCTLR_EL1.DZE at EL0, HCR_EL2.TDZ at EL0/EL1.
    read: (pe) => {
      const bs = pe.model.ids.DCZID_EL0?.[0] ?? 4;
      const prohibited = (pe.el === 0 && !pe.tge() && !(pe.sctlrEl1() & (1 << 14))) || (pe.el < 2 && !pe.tge() && (pe.hcrLo() & (1 << 28)) !== 0);
      pe.srLo = (bs & 0xf) | (prohibited ? 0x10 : 0); pe.srHi = 0;
    },
    fields: [{ name: 'BS', lsb: 0, width: 4, desc: 'log2(block size in words)' }, { name: 'DZP', lsb: 4, width: 1, desc: 'DC ZVA prohibited' }] },
  { name: 'CLIDR_EL1', ...enc('3,1,0,0,1'), group: 'ID', long: 'Cache Level ID Register', minEL: 1, readOnly: true, traps: [{ reg: 'HCR_EL2', bits: [17], on: 'read' }] },
  { name: 'CCSIDR_EL1', ...enc('3,1,0,0,0'), group: 'ID', long: 'Current Cache Size ID Register', minEL: 1, readOnly: true, traps: [{ reg: 'HCR_EL2', bits: [17], on: 'read' }],
    read: (pe) => { pe.srLo = pe.model.ccsidr[pe.sys[pe.slotCSSELR_EL1 * 2] & 0xf] ?? 0; pe.srHi = 0; } },
  { name: 'AIDR_EL1', ...enc('3,1,0,0,7'), group: 'ID', long: 'Auxiliary ID Register', minEL: 1, readOnly: true, traps: [{ reg: 'HCR_EL2', bits: [16], on: 'read' }] },
];

/** AArch32 ID registers readable from AArch64 EL1 (Linux reads them); values from the model. */
const AARCH32_IDS: [string, string][] = [
  ['ID_PFR0_EL1', '3,0,0,1,0'], ['ID_PFR1_EL1', '3,0,0,1,1'], ['ID_DFR0_EL1', '3,0,0,1,2'], ['ID_AFR0_EL1', '3,0,0,1,3'],
  ['ID_MMFR0_EL1', '3,0,0,1,4'], ['ID_MMFR1_EL1', '3,0,0,1,5'], ['ID_MMFR2_EL1', '3,0,0,1,6'], ['ID_MMFR3_EL1', '3,0,0,1,7'],
  ['ID_ISAR0_EL1', '3,0,0,2,0'], ['ID_ISAR1_EL1', '3,0,0,2,1'], ['ID_ISAR2_EL1', '3,0,0,2,2'], ['ID_ISAR3_EL1', '3,0,0,2,3'],
  ['ID_ISAR4_EL1', '3,0,0,2,4'], ['ID_ISAR5_EL1', '3,0,0,2,5'], ['MVFR0_EL1', '3,0,0,3,0'], ['MVFR1_EL1', '3,0,0,3,1'], ['MVFR2_EL1', '3,0,0,3,2'],
];
for (const [name, e] of AARCH32_IDS) {
  ID_REGS.push({ name, ...enc(e), group: 'ID', long: `AArch32 ${name.replace('_EL1', '')} identification register`, minEL: 1, readOnly: true, tid3 });
}
