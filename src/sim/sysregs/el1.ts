// EL1 (and EL0-accessible) context registers: the state a hypervisor saves and restores
// on every world switch. Encodings: DDI0487 D17 / C5.3. HCR_EL2.TVM/TRVM trap the
// virtual-memory controls (DDI0487 D17.2.48, HCR_EL2.TVM). The debug registers are in
// src/sim/selfdebug/registers.ts.
import { Access, enc, type SysRegDef } from './types';
import { ESR_FIELDS, SCTLR_FIELDS, SPSR_FIELDS, TCR_FIELDS, TTBR_FIELDS } from './fields';

/** SCTLR_EL1 RES1 bits in ARMv8.0 (11, 20, 22, 23, 28, 29). */
const SCTLR_EL1_RES1 = 0x30d00800;
/** SCTLR_ELx.EE (bit 25) and E0E (bit 24). */
export const SCTLR_EE_E0E = 0x03000000;

export const EL1_REGS: SysRegDef[] = [
  { name: 'SCTLR_EL1', ...enc('3,0,1,0,0'), group: 'EL1', long: 'System Control Register (EL1)', minEL: 1, tvm: true,
    reset: SCTLR_EL1_RES1, e2hRedirect: 'SCTLR_EL2', fields: SCTLR_FIELDS,
    // EE (25) and E0E (24) are RES0: ID_AA64MMFR0_EL1.BigEnd/BigEndEL0 = 0 (no mixed-endian data).
    write: (pe, lo) => { pe.sys[pe.slotSCTLR_EL1 * 2] = ((lo | SCTLR_EL1_RES1) & ~SCTLR_EE_E0E) >>> 0; return true; } },
  { name: 'ACTLR_EL1', ...enc('3,0,1,0,1'), group: 'EL1', long: 'Auxiliary Control Register (EL1)', minEL: 1, traps: [{ reg: 'HCR_EL2', bits: [21] }] },
  { name: 'CPACR_EL1', ...enc('3,0,1,0,2'), group: 'EL1', long: 'Architectural Feature Access Control Register', minEL: 1,
    traps: [{ reg: 'CPTR_EL2', bits: [31] }],   // CPTR_EL2.TCPAC
    wmask: 0x10300000, e2hRedirect: 'CPTR_EL2',
    fields: [{ name: 'FPEN', lsb: 20, width: 2, desc: 'Trap SIMD/FP at EL0/EL1', values: { 0: 'trap EL0+EL1', 1: 'trap EL0', 2: 'trap EL0+EL1', 3: 'no trap' } },
      { name: 'TTA', lsb: 28, width: 1, desc: 'Trap trace register access' }] },
  { name: 'TTBR0_EL1', ...enc('3,0,2,0,0'), group: 'EL1', long: 'Translation Table Base Register 0 (EL1)', minEL: 1, tvm: true, e2hRedirect: 'TTBR0_EL2', fields: TTBR_FIELDS,
    write: () => true },
  { name: 'TTBR1_EL1', ...enc('3,0,2,0,1'), group: 'EL1', long: 'Translation Table Base Register 1 (EL1)', minEL: 1, tvm: true, e2hRedirect: 'TTBR1_EL2', fields: TTBR_FIELDS,
    write: () => true },
  { name: 'TCR_EL1', ...enc('3,0,2,0,2'), group: 'EL1', long: 'Translation Control Register (EL1)', minEL: 1, tvm: true, e2hRedirect: 'TCR_EL2', fields: TCR_FIELDS,
    wmaskHi: 0x0000007f, write: () => true },
  { name: 'SPSR_EL1', ...enc('3,0,4,0,0'), group: 'EL1', long: 'Saved Program Status Register (EL1)', minEL: 1, e2hRedirect: 'SPSR_EL2', fields: SPSR_FIELDS, wmaskHi: 0 },
  { name: 'ELR_EL1', ...enc('3,0,4,0,1'), group: 'EL1', long: 'Exception Link Register (EL1)', minEL: 1, e2hRedirect: 'ELR_EL2' },
  { name: 'AFSR0_EL1', ...enc('3,0,5,1,0'), group: 'EL1', long: 'Auxiliary Fault Status Register 0 (EL1)', minEL: 1, tvm: true, e2hRedirect: 'AFSR0_EL2' },
  { name: 'AFSR1_EL1', ...enc('3,0,5,1,1'), group: 'EL1', long: 'Auxiliary Fault Status Register 1 (EL1)', minEL: 1, tvm: true, e2hRedirect: 'AFSR1_EL2' },
  { name: 'ESR_EL1', ...enc('3,0,5,2,0'), group: 'EL1', long: 'Exception Syndrome Register (EL1)', minEL: 1, tvm: true, e2hRedirect: 'ESR_EL2', fields: ESR_FIELDS, wmaskHi: 0 },
  { name: 'FAR_EL1', ...enc('3,0,6,0,0'), group: 'EL1', long: 'Fault Address Register (EL1)', minEL: 1, tvm: true, e2hRedirect: 'FAR_EL2' },
  { name: 'PAR_EL1', ...enc('3,0,7,4,0'), group: 'EL1', long: 'Physical Address Register', minEL: 1,
    fields: [{ name: 'F', lsb: 0, width: 1, desc: 'Fault' }, { name: 'FST', lsb: 1, width: 6 }, { name: 'PA', lsb: 12, width: 36 }, { name: 'ATTR', lsb: 56, width: 8 }] },
  { name: 'MAIR_EL1', ...enc('3,0,10,2,0'), group: 'EL1', long: 'Memory Attribute Indirection Register (EL1)', minEL: 1, tvm: true, e2hRedirect: 'MAIR_EL2',
    write: () => true },
  { name: 'AMAIR_EL1', ...enc('3,0,10,3,0'), group: 'EL1', long: 'Auxiliary Memory Attribute Indirection Register (EL1)', minEL: 1, tvm: true, e2hRedirect: 'AMAIR_EL2' },
  { name: 'VBAR_EL1', ...enc('3,0,12,0,0'), group: 'EL1', long: 'Vector Base Address Register (EL1)', minEL: 1, wmask: 0xfffff800, e2hRedirect: 'VBAR_EL2' },
  { name: 'CONTEXTIDR_EL1', ...enc('3,0,13,0,1'), group: 'EL1', long: 'Context ID Register (EL1)', minEL: 1, tvm: true, wmaskHi: 0, e2hRedirect: 'CONTEXTIDR_EL2' },
  { name: 'ISR_EL1', ...enc('3,0,12,1,0'), group: 'EL1', long: 'Interrupt Status Register', minEL: 1, readOnly: true,
    read: (pe) => { pe.srLo = pe.isrValue(); pe.srHi = 0; },
    fields: [{ name: 'A', lsb: 8, width: 1, desc: 'SError pending' }, { name: 'I', lsb: 7, width: 1, desc: 'IRQ pending' }, { name: 'F', lsb: 6, width: 1, desc: 'FIQ pending' }] },
  { name: 'TPIDR_EL1', ...enc('3,0,13,0,4'), group: 'EL1', long: 'Thread Pointer / ID Register (EL1)', minEL: 1 },
  { name: 'CSSELR_EL1', ...enc('3,2,0,0,0'), group: 'EL1', long: 'Cache Size Selection Register', minEL: 1, wmask: 0xf, wmaskHi: 0, traps: [{ reg: 'HCR_EL2', bits: [17] }] },
  { name: 'TPIDR_EL0', ...enc('3,3,13,0,2'), group: 'EL0', long: 'Thread Pointer / ID Register (EL0)', minEL: 0 },
  { name: 'TPIDRRO_EL0', ...enc('3,3,13,0,3'), group: 'EL0', long: 'Thread Pointer / ID Register, read-only at EL0', minEL: 0,
    access: (pe, write) => (pe.el === 0 && write ? Access.Undefined : Access.Ok) },
];

/** Registers whose writes affect instruction translation or interrupt state: callers stop the fast loop after them. */
export const EL1_NAMES = EL1_REGS.map((r) => r.name);
