// The system-register table: every group's descriptors concatenated, with a storage slot
// per register and a lookup by encoding. Devices (GIC CPU interface, timers) add their own
// groups here, so one table drives the CPU, the debugger's Variables view and the LSP.
import { SPECIAL_REGS } from './special';
import { EL1_REGS } from './el1';
import { EL2_REGS } from './el2';
import { ID_REGS } from './id';
import { COUNTER_REGS } from './counter';
import { VHE_ALIAS_REGS } from './vhe';
import { TIMER_REGS } from '../timer/generic-timer';
import { GICV3_CPUIF_REGS } from '../gic/gicv3-cpuif';
import { GICV3_VIRTUAL_REGS } from '../gic/gicv3-virtual';
import { SELF_DEBUG_REGS } from '../selfdebug/registers';
import { PMU_REGS } from '../pmu/pmu';
import { sysregKey, type SysRegDef } from './types';

export * from './types';

const groups: SysRegDef[][] = [SPECIAL_REGS, EL1_REGS, EL2_REGS, VHE_ALIAS_REGS, ID_REGS, SELF_DEBUG_REGS, COUNTER_REGS, TIMER_REGS, GICV3_CPUIF_REGS, GICV3_VIRTUAL_REGS, PMU_REGS];

/** All registers; a register's index is its storage slot (two 32-bit words in PE.sys). */
export const SYSREGS: SysRegDef[] = [];
const byKey = new Map<number, number>();
const byName = new Map<string, number>();

export function registerSysRegs(defs: SysRegDef[]): void {
  for (const d of defs) {
    const key = sysregKey(d.op0, d.op1, d.crn, d.crm, d.op2);
    if (byKey.has(key)) throw new Error(`duplicate system register encoding for ${d.name} and ${SYSREGS[byKey.get(key)!].name}`);
    if (byName.has(d.name)) throw new Error(`duplicate system register name ${d.name}`);
    byKey.set(key, SYSREGS.length);
    byName.set(d.name, SYSREGS.length);
    SYSREGS.push(d);
  }
}
for (const g of groups) registerSysRegs(g);

/** Slot of a register by encoding key, or -1. */
export function sysregSlotByKey(key: number): number {
  return byKey.get(key) ?? -1;
}

/** Slot of a register by Arm ARM name (case-insensitive), or -1. */
export function sysregSlot(name: string): number {
  return byName.get(name.toUpperCase()) ?? -1;
}

/** Slot of a register that must exist (table invariants, checked at start-up). */
export function requiredSlot(name: string): number {
  const s = byName.get(name);
  if (s === undefined) throw new Error(`system register ${name} missing from the table`);
  return s;
}
