// How many breakpoints and watchpoints the PE implements (no imports beyond types, so the
// register table and the debug-exception logic can both depend on it).
import type { PE } from '../pe';

/** Encodings the register table holds (the Cortex-A57's 6 breakpoints and 4 watchpoints). */
export const MAX_BREAKPOINTS = 6;
export const MAX_WATCHPOINTS = 4;

/** ID_AA64DFR0_EL1 of the model; without one, the architecture's minimum (2 breakpoints, 2 watchpoints). */
const dfr0 = (pe: PE): number => pe.model.ids.ID_AA64DFR0_EL1?.[0] ?? 0x00101000;

/** ID_AA64DFR0_EL1.BRPs + 1, capped by the table (DDI0487, ID_AA64DFR0_EL1). */
export function numBreakpoints(pe: PE): number {
  const v = dfr0(pe);
  return Math.min(((v >>> 12) & 0xf) + 1, MAX_BREAKPOINTS);
}

/** ID_AA64DFR0_EL1.WRPs + 1, capped by the table. */
export function numWatchpoints(pe: PE): number {
  const v = dfr0(pe);
  return Math.min(((v >>> 20) & 0xf) + 1, MAX_WATCHPOINTS);
}

/** ID_AA64DFR0_EL1.CTX_CMPs + 1: the last this-many breakpoints are context-aware. */
export function numContextBreakpoints(pe: PE): number {
  return Math.min(((dfr0(pe) >>> 28) & 0xf) + 1, numBreakpoints(pe));
}
