// EL2 registers: hypervisor configuration, EL2 translation, Stage-2 control, exception
// state. DDI0487 D17.2. Accessible only at EL2 (UNDEFINED at EL1/EL0 without FEAT_NV).
import { Access, enc, type SysRegDef } from './types';
import { ESR_FIELDS, SCTLR_FIELDS, SPSR_FIELDS, TCR_FIELDS, TTBR_FIELDS } from './fields';
import { SCTLR_EE_E0E } from './el1';
import { pmuMdcrWritten } from '../pmu/pmu';

const SCTLR_EL2_RES1 = 0x30c50830;
const CPTR_EL2_RES1 = 0x000033ff;

export const HCR_FIELDS = [
  { name: 'VM', lsb: 0, width: 1, desc: 'Stage 2 translation enable for EL1&0' },
  { name: 'SWIO', lsb: 1, width: 1, desc: 'Set/Way Invalidation Override' },
  { name: 'PTW', lsb: 2, width: 1, desc: 'Protected Table Walk' },
  { name: 'FMO', lsb: 3, width: 1, desc: 'Physical FIQ routing to EL2 / virtual FIQ enable' },
  { name: 'IMO', lsb: 4, width: 1, desc: 'Physical IRQ routing to EL2 / virtual IRQ enable' },
  { name: 'AMO', lsb: 5, width: 1, desc: 'Physical SError routing to EL2 / virtual SError enable' },
  { name: 'VF', lsb: 6, width: 1, desc: 'Virtual FIQ pending' },
  { name: 'VI', lsb: 7, width: 1, desc: 'Virtual IRQ pending' },
  { name: 'VSE', lsb: 8, width: 1, desc: 'Virtual SError pending' },
  { name: 'FB', lsb: 9, width: 1, desc: 'Force broadcast of TLB/cache maintenance' },
  { name: 'BSU', lsb: 10, width: 2, desc: 'Barrier Shareability upgrade' },
  { name: 'DC', lsb: 12, width: 1, desc: 'Default Cacheability' },
  { name: 'TWI', lsb: 13, width: 1, desc: 'Trap WFI to EL2' },
  { name: 'TWE', lsb: 14, width: 1, desc: 'Trap WFE to EL2' },
  { name: 'TID0', lsb: 15, width: 1 }, { name: 'TID1', lsb: 16, width: 1 }, { name: 'TID2', lsb: 17, width: 1 },
  { name: 'TID3', lsb: 18, width: 1, desc: 'Trap ID group 3 registers' },
  { name: 'TSC', lsb: 19, width: 1, desc: 'Trap SMC to EL2' },
  { name: 'TIDCP', lsb: 20, width: 1 }, { name: 'TACR', lsb: 21, width: 1 }, { name: 'TSW', lsb: 22, width: 1 },
  { name: 'TPCP', lsb: 23, width: 1 }, { name: 'TPU', lsb: 24, width: 1 }, { name: 'TTLB', lsb: 25, width: 1, desc: 'Trap TLB maintenance' },
  { name: 'TVM', lsb: 26, width: 1, desc: 'Trap Virtual Memory controls (writes)' },
  { name: 'TGE', lsb: 27, width: 1, desc: 'Trap General Exceptions from EL0' },
  { name: 'TDZ', lsb: 28, width: 1 }, { name: 'HCD', lsb: 29, width: 1, desc: 'HVC instruction disable' },
  { name: 'TRVM', lsb: 30, width: 1, desc: 'Trap Reads of Virtual Memory controls' },
  { name: 'RW', lsb: 31, width: 1, desc: 'EL1 is AArch64' },
  { name: 'CD', lsb: 32, width: 1 }, { name: 'ID', lsb: 33, width: 1 },
  { name: 'E2H', lsb: 34, width: 1, desc: 'EL2 Host (FEAT_VHE)' },
  { name: 'TLOR', lsb: 35, width: 1 }, { name: 'TERR', lsb: 36, width: 1 }, { name: 'TEA', lsb: 37, width: 1 },
];

export const EL2_REGS: SysRegDef[] = [
  { name: 'VPIDR_EL2', ...enc('3,4,0,0,0'), group: 'Virtualization', long: 'Virtualization Processor ID Register', minEL: 2, wmaskHi: 0 },
  { name: 'VMPIDR_EL2', ...enc('3,4,0,0,5'), group: 'Virtualization', long: 'Virtualization Multiprocessor ID Register', minEL: 2 },
  { name: 'SCTLR_EL2', ...enc('3,4,1,0,0'), group: 'EL2', long: 'System Control Register (EL2)', minEL: 2, reset: SCTLR_EL2_RES1, fields: SCTLR_FIELDS,
    // EE/E0E are RES0 (no mixed-endian data, ID_AA64MMFR0_EL1.BigEnd = 0).
    write: (pe, lo) => { pe.sys[pe.slotSCTLR_EL2 * 2] = ((lo | (pe.e2h() ? 0 : SCTLR_EL2_RES1)) & ~SCTLR_EE_E0E) >>> 0; return true; } },
  { name: 'ACTLR_EL2', ...enc('3,4,1,0,1'), group: 'EL2', long: 'Auxiliary Control Register (EL2)', minEL: 2 },
  { name: 'HCR_EL2', ...enc('3,4,1,1,0'), group: 'Virtualization', long: 'Hypervisor Configuration Register', minEL: 2,
    wmaskHi: 0x3f, fields: HCR_FIELDS,
    // E2H (bit 34) exists only with FEAT_VHE; without it the bit is RES0.
    write: (pe, lo, hi) => { pe.sys[pe.slotHCR_EL2 * 2 + 1] = pe.features.vhe ? hi : hi & ~0x4; return true; } },
  // HPMN resets to PMCR_EL0.N (set by pmuReset); HPMN/HPME/HPMD repartition the PMU counters.
  { name: 'MDCR_EL2', ...enc('3,4,1,1,1'), group: 'EL2', long: 'Monitor Debug Configuration Register (EL2)', minEL: 2, reset: 6,
    fields: [{ name: 'HPMN', lsb: 0, width: 5 }, { name: 'TPMCR', lsb: 5, width: 1 }, { name: 'TPM', lsb: 6, width: 1 }, { name: 'HPME', lsb: 7, width: 1 },
      { name: 'TDE', lsb: 8, width: 1 }, { name: 'TDA', lsb: 9, width: 1 }, { name: 'TDOSA', lsb: 10, width: 1 }, { name: 'TDRA', lsb: 11, width: 1 }],
    // HPMN/HPME/HPMD repartition the PMU counters (src/sim/pmu); TDE routes debug exceptions
    // (src/sim/selfdebug): re-check both. The PMU re-arms its deadline, so the block always ends.
    write: (pe) => { pe.updateDebugState(); return pmuMdcrWritten(pe); } },
  { name: 'CPTR_EL2', ...enc('3,4,1,1,2'), group: 'EL2', long: 'Architectural Feature Trap Register (EL2)', minEL: 2, reset: CPTR_EL2_RES1,
    write: (pe, lo) => { pe.sys[pe.slotCPTR_EL2 * 2] = (pe.e2h() ? lo : (lo | CPTR_EL2_RES1)) >>> 0; },
    fields: [{ name: 'TFP', lsb: 10, width: 1, desc: 'Trap SIMD/FP to EL2 (E2H=0 layout)' }, { name: 'FPEN', lsb: 20, width: 2, desc: 'E2H=1 layout' },
      { name: 'TTA', lsb: 20, width: 1 }, { name: 'TCPAC', lsb: 31, width: 1 }] },
  { name: 'HSTR_EL2', ...enc('3,4,1,1,3'), group: 'EL2', long: 'Hypervisor System Trap Register', minEL: 2, wmaskHi: 0 },
  { name: 'HACR_EL2', ...enc('3,4,1,1,7'), group: 'EL2', long: 'Hypervisor Auxiliary Control Register', minEL: 2 },
  { name: 'TTBR0_EL2', ...enc('3,4,2,0,0'), group: 'EL2', long: 'Translation Table Base Register 0 (EL2)', minEL: 2, fields: TTBR_FIELDS, write: () => true },
  { name: 'TTBR1_EL2', ...enc('3,4,2,0,1'), group: 'EL2', long: 'Translation Table Base Register 1 (EL2, FEAT_VHE)', minEL: 2, fields: TTBR_FIELDS,
    access: (pe) => (pe.features.vhe ? Access.Ok : Access.Undefined), write: () => true },
  { name: 'TCR_EL2', ...enc('3,4,2,0,2'), group: 'EL2', long: 'Translation Control Register (EL2)', minEL: 2, reset: 0x80800000, fields: TCR_FIELDS, write: () => true },
  { name: 'VTTBR_EL2', ...enc('3,4,2,1,0'), group: 'Virtualization', long: 'Virtualization Translation Table Base Register', minEL: 2,
    fields: [{ name: 'VMID', lsb: 48, width: 16 }, { name: 'BADDR', lsb: 1, width: 47 }, { name: 'CnP', lsb: 0, width: 1 }],
    write: (pe, lo, hi) => { pe.onVttbrWrite(lo, hi); return true; } },
  { name: 'VTCR_EL2', ...enc('3,4,2,1,2'), group: 'Virtualization', long: 'Virtualization Translation Control Register', minEL: 2, reset: 0x80000000, wmaskHi: 0,
    fields: [{ name: 'T0SZ', lsb: 0, width: 6 }, { name: 'SL0', lsb: 6, width: 2 }, { name: 'IRGN0', lsb: 8, width: 2 }, { name: 'ORGN0', lsb: 10, width: 2 },
      { name: 'SH0', lsb: 12, width: 2 }, { name: 'TG0', lsb: 14, width: 2, values: { 0: '4KB', 1: '64KB', 2: '16KB' } }, { name: 'PS', lsb: 16, width: 3 },
      { name: 'VS', lsb: 19, width: 1, desc: '16-bit VMID' }, { name: 'HA', lsb: 21, width: 1 }, { name: 'HD', lsb: 22, width: 1 }],
    write: () => true },
  { name: 'SPSR_EL2', ...enc('3,4,4,0,0'), group: 'EL2', long: 'Saved Program Status Register (EL2)', minEL: 2, fields: SPSR_FIELDS, wmaskHi: 0 },
  { name: 'ELR_EL2', ...enc('3,4,4,0,1'), group: 'EL2', long: 'Exception Link Register (EL2)', minEL: 2 },
  { name: 'AFSR0_EL2', ...enc('3,4,5,1,0'), group: 'EL2', long: 'Auxiliary Fault Status Register 0 (EL2)', minEL: 2 },
  { name: 'AFSR1_EL2', ...enc('3,4,5,1,1'), group: 'EL2', long: 'Auxiliary Fault Status Register 1 (EL2)', minEL: 2 },
  { name: 'ESR_EL2', ...enc('3,4,5,2,0'), group: 'EL2', long: 'Exception Syndrome Register (EL2)', minEL: 2, fields: ESR_FIELDS, wmaskHi: 0 },
  { name: 'FAR_EL2', ...enc('3,4,6,0,0'), group: 'EL2', long: 'Fault Address Register (EL2)', minEL: 2 },
  { name: 'HPFAR_EL2', ...enc('3,4,6,0,4'), group: 'Virtualization', long: 'Hypervisor IPA Fault Address Register', minEL: 2, wmask: 0xfffffff0, wmaskHi: 0xf,
    fields: [{ name: 'FIPA', lsb: 4, width: 36, desc: 'Faulting IPA bits [47:12]' }] },
  { name: 'MAIR_EL2', ...enc('3,4,10,2,0'), group: 'EL2', long: 'Memory Attribute Indirection Register (EL2)', minEL: 2, write: () => true },
  { name: 'AMAIR_EL2', ...enc('3,4,10,3,0'), group: 'EL2', long: 'Auxiliary Memory Attribute Indirection Register (EL2)', minEL: 2 },
  { name: 'VBAR_EL2', ...enc('3,4,12,0,0'), group: 'EL2', long: 'Vector Base Address Register (EL2)', minEL: 2, wmask: 0xfffff800 },
  { name: 'CONTEXTIDR_EL2', ...enc('3,4,13,0,1'), group: 'EL2', long: 'Context ID Register (EL2, FEAT_VHE)', minEL: 2, wmaskHi: 0,
    access: (pe) => (pe.features.vhe ? Access.Ok : Access.Undefined) },
  { name: 'TPIDR_EL2', ...enc('3,4,13,0,2'), group: 'EL2', long: 'Thread Pointer / ID Register (EL2)', minEL: 2 },
];
