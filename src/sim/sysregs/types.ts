// System-register descriptors (after QEMU's ARMCPRegInfo): one record per register with
// its Arm ARM name, encoding, reset value, writable mask, fields and access rules.
// Side effects live in optional hooks only where the architecture needs them.
import type { PE } from '../pe';

export type SysRegGroup =
  | 'Special' | 'EL0' | 'EL1' | 'EL2' | 'ID' | 'Timer' | 'GIC' | 'Virtualization' | 'Debug' | 'FP' | 'Cache' | 'PMU';

export interface FieldDef {
  name: string;
  lsb: number;
  width: number;
  /** Meaning of the field, for hovers and the Variables view. */
  desc?: string;
  /** Names of enumerated values. */
  values?: Record<number, string>;
}

/** Outcome of an access check. */
export const enum Access {
  Ok = 0,
  /** UNDEFINED: EC 0x00 to the EL that UNDEFINED exceptions from the current EL go to. */
  Undefined = 1,
  /** Trapped system-register access to EL2 (EC 0x18). */
  TrapEL2 = 2,
  /** Trapped system-register access to EL1 (EC 0x18). */
  TrapEL1 = 3,
  /** SIMD/FP access trap to EL1 (EC 0x07, CPACR_EL1.FPEN). */
  FpTrapEL1 = 4,
  /** SIMD/FP access trap to EL2 (EC 0x07, CPTR_EL2). */
  FpTrapEL2 = 5,
}

export interface SysRegDef {
  /** Name as in the Arm ARM (upper case), e.g. "HCR_EL2". */
  name: string;
  op0: number; op1: number; crn: number; crm: number; op2: number;
  group: SysRegGroup;
  /** Long name, e.g. "Hypervisor Configuration Register". */
  long: string;
  /** Lowest EL that may access it (lower ELs get UNDEFINED). */
  minEL: 0 | 1 | 2;
  /** Reset value, low and high 32 bits. */
  reset?: number;
  resetHi?: number;
  /** Writable bits (default all). */
  wmask?: number;
  wmaskHi?: number;
  readOnly?: boolean;
  writeOnly?: boolean;
  /** HCR_EL2.TVM traps EL1 writes and HCR_EL2.TRVM traps EL1 reads to EL2 (EC 0x18). */
  tvm?: boolean;
  /** HCR_EL2.TID3 traps EL1 (and EL0) reads to EL2 (ID group 3 registers). */
  tid3?: boolean;
  /**
   * Further EL2 trap controls that trap EL1/EL0 accesses to EL2 (EC 0x18), as data: e.g.
   * HCR_EL2.TACR (bit 21) for ACTLR_EL1, HCR_EL2.TID1/TID2 for the cache and revision ID
   * registers, MDCR_EL2.TDA/TDOSA (or TDE) for debug registers, CPTR_EL2.TCPAC for CPACR_EL1.
   */
  traps?: TrapRule[];
  /** Extra access conditions beyond minEL (e.g. EL0 access enabled by a control bit). */
  access?(pe: PE, write: boolean): Access;
  /** Computed read: writes the value into pe.srLo / pe.srHi. */
  read?(pe: PE): void;
  /** Write with side effects; called after masking. Return true if execution must re-check state (IRQ masks, translation). */
  write?(pe: PE, lo: number, hi: number): boolean | void;
  /** With HCR_EL2.E2H=1 at EL2, this (EL1) encoding accesses the named EL2 register instead (FEAT_VHE). */
  e2hRedirect?: string;
  /** This is an *_EL12/_EL02 alias: at EL2 with E2H=1 it accesses the named EL1/EL0 register; otherwise UNDEFINED. */
  e2hAliasOf?: string;
  fields?: FieldDef[];
  /**
   * An unallocated encoding of the ID register space (op0=3, op1=0, CRn=0, CRm=1–7): RAZ,
   * named S3_0_C0_Cm_n. The Variables view leaves these out.
   */
  reservedId?: boolean;
}

/** Packs an encoding the way the MSR/MRS instruction and ESR ISS order it (used as lookup key). */
export function sysregKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** Helper for writing table entries compactly: encoding as "op0,op1,CRn,CRm,op2". */
export function enc(s: string): { op0: number; op1: number; crn: number; crm: number; op2: number } {
  const [op0, op1, crn, crm, op2] = s.split(',').map((x) => parseInt(x, 10));
  return { op0, op1, crn, crm, op2 };
}

/** A trap control: the access traps to EL2 when any of `bits` is set in `reg` (at EL1, and EL0 unless TGE). */
export interface TrapRule {
  reg: 'HCR_EL2' | 'MDCR_EL2' | 'CPTR_EL2';
  bits: number[];
  /** Which accesses it traps (default both). */
  on?: 'read' | 'write';
}
