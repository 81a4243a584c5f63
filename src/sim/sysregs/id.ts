// Identification registers. Values come from the CPU model (src/sim/cpu-model.ts): the core's
// own values (as QEMU's model of it reports them), except that feature fields say "not implemented"
// for what this simulator does not implement. DDI0487 D17.2.
// Reads from EL1 of MIDR_EL1/MPIDR_EL1 return VPIDR_EL2/VMPIDR_EL2 when EL2 is implemented.
import { Access, enc, type FieldDef, type SysRegDef } from './types';

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

// ---------------------------------------------------------------- the ID register space
//
// op0=3, op1=0, CRn=0, CRm=1..7 is the ID register space (DDI0487, "Op0 == 0b11,
// moves to and from non-debug System registers": the ID register encodings with CRm=0b0001-0b0111).
// Every allocated register reads its CPU-model value (absent = 0, "feature not implemented"); every
// unallocated encoding there is RAZ at EL1 and above, so that software written for later
// architecture versions can probe registers added since (Linux reads ID_AA64ISAR2_EL1,
// ID_AA64ZFR0_EL1, ID_AA64SMFR0_EL1 … unconditionally). All of them are read-only (MSR is
// UNDEFINED), UNDEFINED at EL0 (FEAT_IDST, which makes EL0 accesses trap, is ARMv8.4) and trapped to
// EL2 by HCR_EL2.TID3 (DDI0487, HCR_EL2.TID3 lists every register below and "the reserved
// encodings" of this space). CRm=0 (MIDR/MPIDR/REVIDR) is not part of the RAZ space: its other op2
// values are unallocated and UNDEFINED, as on QEMU and KVM (whose ID_UNALLOCATED covers CRm 1–7).
//
// The AArch32 registers of CRm 1–3 are the AArch64 views of the AArch32 ID registers. Our PEs
// implement AArch64 only (ID_AA64PFR0_EL1.EL0/EL1/EL2 = 1), and then the Arm ARM makes their
// contents UNKNOWN; we choose 0 for every one of them, as KVM shows AArch64-only guests
// (Linux uses them only when ID_AA64PFR0_EL1.EL0 says AArch32 EL0 exists).
const ID_SPACE: [crm: number, op2: number, name: string, long: string][] = [
  [1, 0, 'ID_PFR0_EL1', 'AArch32 Processor Feature Register 0'], [1, 1, 'ID_PFR1_EL1', 'AArch32 Processor Feature Register 1'],
  [1, 2, 'ID_DFR0_EL1', 'AArch32 Debug Feature Register 0'], [1, 3, 'ID_AFR0_EL1', 'AArch32 Auxiliary Feature Register 0'],
  [1, 4, 'ID_MMFR0_EL1', 'AArch32 Memory Model Feature Register 0'], [1, 5, 'ID_MMFR1_EL1', 'AArch32 Memory Model Feature Register 1'],
  [1, 6, 'ID_MMFR2_EL1', 'AArch32 Memory Model Feature Register 2'], [1, 7, 'ID_MMFR3_EL1', 'AArch32 Memory Model Feature Register 3'],
  [2, 0, 'ID_ISAR0_EL1', 'AArch32 Instruction Set Attribute Register 0'], [2, 1, 'ID_ISAR1_EL1', 'AArch32 Instruction Set Attribute Register 1'],
  [2, 2, 'ID_ISAR2_EL1', 'AArch32 Instruction Set Attribute Register 2'], [2, 3, 'ID_ISAR3_EL1', 'AArch32 Instruction Set Attribute Register 3'],
  [2, 4, 'ID_ISAR4_EL1', 'AArch32 Instruction Set Attribute Register 4'], [2, 5, 'ID_ISAR5_EL1', 'AArch32 Instruction Set Attribute Register 5'],
  [2, 6, 'ID_MMFR4_EL1', 'AArch32 Memory Model Feature Register 4'], [2, 7, 'ID_ISAR6_EL1', 'AArch32 Instruction Set Attribute Register 6'],
  [3, 0, 'MVFR0_EL1', 'AArch32 Media and VFP Feature Register 0'], [3, 1, 'MVFR1_EL1', 'AArch32 Media and VFP Feature Register 1'],
  [3, 2, 'MVFR2_EL1', 'AArch32 Media and VFP Feature Register 2'], [3, 4, 'ID_PFR2_EL1', 'AArch32 Processor Feature Register 2'],
  [3, 5, 'ID_DFR1_EL1', 'AArch32 Debug Feature Register 1'], [3, 6, 'ID_MMFR5_EL1', 'AArch32 Memory Model Feature Register 5'],
  [4, 0, 'ID_AA64PFR0_EL1', 'AArch64 Processor Feature Register 0'], [4, 1, 'ID_AA64PFR1_EL1', 'AArch64 Processor Feature Register 1'],
  [4, 2, 'ID_AA64PFR2_EL1', 'AArch64 Processor Feature Register 2'], [4, 4, 'ID_AA64ZFR0_EL1', 'SVE Feature ID Register 0'],
  [4, 5, 'ID_AA64SMFR0_EL1', 'SME Feature ID Register 0'], [4, 7, 'ID_AA64FPFR0_EL1', 'AArch64 Floating-point Feature Register'],
  [5, 0, 'ID_AA64DFR0_EL1', 'AArch64 Debug Feature Register 0'], [5, 1, 'ID_AA64DFR1_EL1', 'AArch64 Debug Feature Register 1'],
  [5, 2, 'ID_AA64DFR2_EL1', 'AArch64 Debug Feature Register 2'],
  [5, 4, 'ID_AA64AFR0_EL1', 'AArch64 Auxiliary Feature Register 0'], [5, 5, 'ID_AA64AFR1_EL1', 'AArch64 Auxiliary Feature Register 1'],
  [6, 0, 'ID_AA64ISAR0_EL1', 'AArch64 Instruction Set Attribute Register 0'], [6, 1, 'ID_AA64ISAR1_EL1', 'AArch64 Instruction Set Attribute Register 1'],
  [6, 2, 'ID_AA64ISAR2_EL1', 'AArch64 Instruction Set Attribute Register 2'], [6, 3, 'ID_AA64ISAR3_EL1', 'AArch64 Instruction Set Attribute Register 3'],
  [7, 0, 'ID_AA64MMFR0_EL1', 'AArch64 Memory Model Feature Register 0'], [7, 1, 'ID_AA64MMFR1_EL1', 'AArch64 Memory Model Feature Register 1'],
  [7, 2, 'ID_AA64MMFR2_EL1', 'AArch64 Memory Model Feature Register 2'], [7, 3, 'ID_AA64MMFR3_EL1', 'AArch64 Memory Model Feature Register 3'],
  [7, 4, 'ID_AA64MMFR4_EL1', 'AArch64 Memory Model Feature Register 4'],
];

/** Field layouts of the ID registers whose fields say what the models implement. */
const ID_FIELDS: Record<string, FieldDef[]> = {
  ID_AA64PFR0_EL1: [{ name: 'EL0', lsb: 0, width: 4, values: { 1: 'AArch64 only', 2: 'AArch64 and AArch32' } },
    { name: 'EL1', lsb: 4, width: 4, values: { 1: 'AArch64 only', 2: 'AArch64 and AArch32' } },
    { name: 'EL2', lsb: 8, width: 4, values: { 0: 'not implemented', 1: 'AArch64 only', 2: 'AArch64 and AArch32' } },
    { name: 'EL3', lsb: 12, width: 4, values: { 0: 'not implemented', 1: 'AArch64 only', 2: 'AArch64 and AArch32' } },
    { name: 'FP', lsb: 16, width: 4, values: { 0: 'implemented', 15: 'not implemented' } },
    { name: 'AdvSIMD', lsb: 20, width: 4, values: { 0: 'implemented', 15: 'not implemented' } },
    { name: 'GIC', lsb: 24, width: 4, values: { 0: 'no system-register interface', 1: 'GICv3/v4 system registers' } }],
  ID_AA64DFR0_EL1: [{ name: 'DebugVer', lsb: 0, width: 4, values: { 6: 'Armv8.0 debug', 7: 'Armv8.0 debug with VHE' } },
    { name: 'TraceVer', lsb: 4, width: 4 }, { name: 'PMUVer', lsb: 8, width: 4, values: { 0: 'no PMU', 1: 'PMUv3', 4: 'PMUv3 for Armv8.1' } },
    { name: 'BRPs', lsb: 12, width: 4, desc: 'breakpoints - 1' }, { name: 'WRPs', lsb: 20, width: 4, desc: 'watchpoints - 1' },
    { name: 'CTX_CMPs', lsb: 28, width: 4, desc: 'context-aware breakpoints - 1' }],
  ID_AA64ISAR0_EL1: [{ name: 'AES', lsb: 4, width: 4 }, { name: 'SHA1', lsb: 8, width: 4 }, { name: 'SHA2', lsb: 12, width: 4 },
    { name: 'CRC32', lsb: 16, width: 4 }, { name: 'Atomic', lsb: 20, width: 4, values: { 0: 'not implemented', 2: 'FEAT_LSE' } },
    { name: 'RDM', lsb: 28, width: 4, values: { 0: 'not implemented', 1: 'FEAT_RDM' } }, { name: 'DP', lsb: 44, width: 4, values: { 0: 'not implemented', 1: 'FEAT_DotProd' } }],
  ID_AA64MMFR0_EL1: [{ name: 'PARange', lsb: 0, width: 4, values: { 0: '32 bits', 1: '36 bits', 2: '40 bits', 3: '42 bits', 4: '44 bits', 5: '48 bits' } },
    { name: 'ASIDBits', lsb: 4, width: 4, values: { 0: '8 bits', 2: '16 bits' } }, { name: 'BigEnd', lsb: 8, width: 4 }, { name: 'SNSMem', lsb: 12, width: 4 },
    { name: 'BigEndEL0', lsb: 16, width: 4 }, { name: 'TGran16', lsb: 20, width: 4, values: { 0: 'not supported', 1: 'supported' } },
    { name: 'TGran64', lsb: 24, width: 4, values: { 0: 'supported', 15: 'not supported' } }, { name: 'TGran4', lsb: 28, width: 4, values: { 0: 'supported', 15: 'not supported' } }],
  ID_AA64MMFR1_EL1: [{ name: 'HAFDBS', lsb: 0, width: 4 }, { name: 'VMIDBits', lsb: 4, width: 4, values: { 0: '8 bits', 2: '16 bits' } },
    { name: 'VH', lsb: 8, width: 4, desc: 'FEAT_VHE' }, { name: 'HPDS', lsb: 12, width: 4 }, { name: 'LO', lsb: 16, width: 4 }, { name: 'PAN', lsb: 20, width: 4 }],
};

for (const [crm, op2, name, long] of ID_SPACE) {
  ID_REGS.push({ name, op0: 3, op1: 0, crn: 0, crm, op2, group: 'ID', long, minEL: 1, readOnly: true, tid3, fields: ID_FIELDS[name] });
}
// The unallocated encodings of the space: RAZ, named with the generic S3_0_C0_Cm_n syntax.
const allocated = new Set(ID_SPACE.map(([crm, op2]) => crm * 8 + op2));
for (let crm = 1; crm <= 7; crm++) {
  for (let op2 = 0; op2 <= 7; op2++) {
    if (allocated.has(crm * 8 + op2)) continue;
    ID_REGS.push({ name: `S3_0_C0_C${crm}_${op2}`, op0: 3, op1: 0, crn: 0, crm, op2, group: 'ID',
      long: 'Unallocated ID register encoding (reserved, RAZ)', minEL: 1, readOnly: true, tid3, reservedId: true });
  }
}
