// Field layouts shared by several registers.
import type { FieldDef } from './types';

/** SPSR_ELx layout for exceptions taken from AArch64. DDI0487 C5.2.18 */
export const SPSR_FIELDS: FieldDef[] = [
  { name: 'N', lsb: 31, width: 1 }, { name: 'Z', lsb: 30, width: 1 }, { name: 'C', lsb: 29, width: 1 }, { name: 'V', lsb: 28, width: 1 },
  { name: 'PAN', lsb: 22, width: 1 }, { name: 'SS', lsb: 21, width: 1 }, { name: 'IL', lsb: 20, width: 1 },
  { name: 'D', lsb: 9, width: 1 }, { name: 'A', lsb: 8, width: 1 }, { name: 'I', lsb: 7, width: 1 }, { name: 'F', lsb: 6, width: 1 },
  { name: 'M', lsb: 0, width: 5, desc: 'Exception level and SP', values: { 0: 'EL0t', 4: 'EL1t', 5: 'EL1h', 8: 'EL2t', 9: 'EL2h' } },
];

/** ESR_ELx layout. DDI0487 D17.2.37 */
export const ESR_FIELDS: FieldDef[] = [
  { name: 'EC', lsb: 26, width: 6, desc: 'Exception Class' },
  { name: 'IL', lsb: 25, width: 1, desc: 'Instruction Length (1 = 32-bit)' },
  { name: 'ISS', lsb: 0, width: 25, desc: 'Instruction Specific Syndrome' },
];

/** SCTLR_ELx common controls. DDI0487 D17.2.118 */
export const SCTLR_FIELDS: FieldDef[] = [
  { name: 'M', lsb: 0, width: 1, desc: 'MMU enable for stage 1' },
  { name: 'A', lsb: 1, width: 1, desc: 'Alignment check enable' },
  { name: 'C', lsb: 2, width: 1, desc: 'Data cacheability' },
  { name: 'SA', lsb: 3, width: 1, desc: 'SP alignment check' },
  { name: 'SA0', lsb: 4, width: 1, desc: 'SP alignment check for EL0' },
  { name: 'UMA', lsb: 9, width: 1, desc: 'User Mask Access (DAIF at EL0)' },
  { name: 'I', lsb: 12, width: 1, desc: 'Instruction cacheability' },
  { name: 'DZE', lsb: 14, width: 1 }, { name: 'UCT', lsb: 15, width: 1 },
  { name: 'nTWI', lsb: 16, width: 1 }, { name: 'nTWE', lsb: 18, width: 1 },
  { name: 'WXN', lsb: 19, width: 1, desc: 'Write permission implies XN' },
  { name: 'E0E', lsb: 24, width: 1 }, { name: 'EE', lsb: 25, width: 1 }, { name: 'UCI', lsb: 26, width: 1 },
];

/** TCR_ELx (EL1&0 format). DDI0487 D17.2.131 */
export const TCR_FIELDS: FieldDef[] = [
  { name: 'T0SZ', lsb: 0, width: 6 }, { name: 'EPD0', lsb: 7, width: 1 }, { name: 'IRGN0', lsb: 8, width: 2 },
  { name: 'ORGN0', lsb: 10, width: 2 }, { name: 'SH0', lsb: 12, width: 2 }, { name: 'TG0', lsb: 14, width: 2, values: { 0: '4KB', 1: '64KB', 2: '16KB' } },
  { name: 'T1SZ', lsb: 16, width: 6 }, { name: 'A1', lsb: 22, width: 1 }, { name: 'EPD1', lsb: 23, width: 1 },
  { name: 'TG1', lsb: 30, width: 2, values: { 1: '16KB', 2: '4KB', 3: '64KB' } }, { name: 'IPS', lsb: 32, width: 3 },
  { name: 'AS', lsb: 36, width: 1 }, { name: 'TBI0', lsb: 37, width: 1 }, { name: 'TBI1', lsb: 38, width: 1 },
];

export const TTBR_FIELDS: FieldDef[] = [
  { name: 'ASID', lsb: 48, width: 16 }, { name: 'BADDR', lsb: 1, width: 47 }, { name: 'CnP', lsb: 0, width: 1 },
];
