// FEAT_VHE *_EL12 aliases: at EL2 with HCR_EL2.E2H=1 these encodings (op1 = 5) reach the real
// EL1 registers, which the EL1 encodings no longer do (they are redirected to the EL2
// registers, see `e2hRedirect`). Anywhere else they are UNDEFINED. DDI0487 D5.6 / D17.2
// (encodings as listed for each *_EL12 register). The timer aliases (CNT*_EL02, CNTKCTL_EL12)
// are registered with the timer registers.
import { enc, type SysRegDef } from './types';

const ALIASES: [string, string][] = [
  ['SCTLR', '3,5,1,0,0'], ['CPACR', '3,5,1,0,2'], ['TTBR0', '3,5,2,0,0'], ['TTBR1', '3,5,2,0,1'], ['TCR', '3,5,2,0,2'],
  ['SPSR', '3,5,4,0,0'], ['ELR', '3,5,4,0,1'], ['AFSR0', '3,5,5,1,0'], ['AFSR1', '3,5,5,1,1'], ['ESR', '3,5,5,2,0'],
  ['FAR', '3,5,6,0,0'], ['MAIR', '3,5,10,2,0'], ['AMAIR', '3,5,10,3,0'], ['VBAR', '3,5,12,0,0'], ['CONTEXTIDR', '3,5,13,0,1'],
];

export const VHE_ALIAS_REGS: SysRegDef[] = ALIASES.map(([r, e]) => ({
  name: `${r}_EL12`, ...enc(e), group: 'EL2' as const, long: `${r}_EL1 accessed from EL2 with E2H (FEAT_VHE)`, minEL: 2 as const,
  e2hAliasOf: `${r}_EL1`,
}));
