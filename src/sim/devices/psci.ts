// PSCI firmware (Arm DEN 0022), answered by the board as QEMU's virt does when it has no EL3
// firmware: over SMC when the machine starts at EL2, over HVC when it starts at EL1.
// Function IDs use the SMC32 (0x84…) or SMC64 (0xC4…) calling conventions; X0 = function ID.
import type { PE } from '../pe';

export const PSCI = {
  VERSION: 0x84000000,
  CPU_SUSPEND_32: 0x84000001, CPU_SUSPEND_64: 0xc4000001,
  CPU_OFF: 0x84000002,
  CPU_ON_32: 0x84000003, CPU_ON_64: 0xc4000003,
  AFFINITY_INFO_32: 0x84000004, AFFINITY_INFO_64: 0xc4000004,
  MIGRATE_INFO_TYPE: 0x84000006,
  SYSTEM_OFF: 0x84000008,
  SYSTEM_RESET: 0x84000009,
  FEATURES: 0x8400000a,
} as const;

export const PSCI_RET = {
  SUCCESS: 0, NOT_SUPPORTED: -1, INVALID_PARAMETERS: -2, DENIED: -3, ALREADY_ON: -4, ON_PENDING: -5,
  INTERNAL_FAILURE: -6, NOT_PRESENT: -7, DISABLED: -8, INVALID_ADDRESS: -9,
} as const;

/** PSCI 1.1, as QEMU 7.2 reports. */
export const PSCI_VERSION_VALUE = 0x00010001;

export interface PsciHost {
  cpuOn(target: number, entryLo: number, entryHi: number, ctxLo: number, ctxHi: number, caller: PE): number;
  cpuOff(pe: PE): number;
  affinityInfo(target: number): number;
  systemOff(): void;
  systemReset(): void;
}

/** MIGRATE (not supported: no Trusted OS). */
const MIGRATE_32 = 0x84000005, MIGRATE_64 = 0xc4000005;
const KNOWN = new Set<number>([...Object.values(PSCI), MIGRATE_32, MIGRATE_64]);

/** True if W0 holds a PSCI function ID this firmware answers (others make SMC/HVC UNDEFINED, as in QEMU). */
export function isPsciCall(fn: number): boolean {
  return KNOWN.has(fn);
}

function ret(pe: PE, v: number): void {
  // Return values are small signed integers (sign-extended to 64 bits); 2 ** 64 + v would round in a double.
  pe.x[0] = v >>> 0;
  pe.x[1] = v < 0 ? 0xffffffff : 0;
}

/** Handles a PSCI call in X0..X3; returns false if X0 is not a PSCI function ID. */
export function psciCall(pe: PE, host: PsciHost): boolean {
  const fn = pe.x[0];
  // Only W0 selects the function (the upper half of X0 is ignored, as QEMU does).
  if (!isPsciCall(fn)) return false;
  const is64 = (fn & 0x40000000) !== 0;
  const arg = (n: number): [number, number] => [pe.x[2 * n], is64 ? pe.x[2 * n + 1] : 0];
  switch (fn) {
    case PSCI.VERSION: ret(pe, PSCI_VERSION_VALUE); break;
    case PSCI.MIGRATE_INFO_TYPE: ret(pe, 2); break; // Trusted OS not present
    case PSCI.FEATURES: {
      const q = pe.x[2];
      const supported = [PSCI.VERSION, PSCI.CPU_OFF, PSCI.CPU_ON_32, PSCI.CPU_ON_64, PSCI.AFFINITY_INFO_32, PSCI.AFFINITY_INFO_64,
        PSCI.MIGRATE_INFO_TYPE, PSCI.SYSTEM_OFF, PSCI.SYSTEM_RESET, PSCI.FEATURES, PSCI.CPU_SUSPEND_32, PSCI.CPU_SUSPEND_64] as number[];
      ret(pe, supported.includes(q) ? 0 : PSCI_RET.NOT_SUPPORTED);
      break;
    }
    case PSCI.CPU_ON_32: case PSCI.CPU_ON_64: {
      const [tLo, tHi] = arg(1), [eLo, eHi] = arg(2), [cLo, cHi] = arg(3);
      ret(pe, host.cpuOn(tHi * 4294967296 + tLo, eLo, eHi, cLo, cHi, pe));
      break;
    }
    case PSCI.CPU_OFF: ret(pe, host.cpuOff(pe)); break;
    case PSCI.AFFINITY_INFO_32: case PSCI.AFFINITY_INFO_64: {
      const [tLo, tHi] = arg(1);
      ret(pe, host.affinityInfo(tHi * 4294967296 + tLo));
      break;
    }
    case PSCI.CPU_SUSPEND_32: case PSCI.CPU_SUSPEND_64:
      // Standby: behaves as WFI would (returns when woken); we return immediately with SUCCESS.
      ret(pe, PSCI_RET.SUCCESS);
      break;
    case PSCI.SYSTEM_OFF: host.systemOff(); break;
    case PSCI.SYSTEM_RESET: host.systemReset(); break;
    default: ret(pe, PSCI_RET.NOT_SUPPORTED);
  }
  return true;
}
