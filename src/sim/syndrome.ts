// Syndrome builders (ESR_ELx values), one small pure function per exception class, with
// parameters named after the ISS fields. DDI0487 D17.2.37 (ESR_EL1) / D17.2.40 (ESR_EL2).
// IL (bit 25) is 1 for every exception taken from A64 state in this model.

export const EC = {
  UNKNOWN: 0x00,
  WFX: 0x01,
  FP_ACCESS: 0x07,
  ILLEGAL_STATE: 0x0e,
  SVC64: 0x15,
  HVC64: 0x16,
  SMC64: 0x17,
  SYSREG: 0x18,
  INSN_ABORT_LOWER: 0x20,
  INSN_ABORT_SAME: 0x21,
  PC_ALIGN: 0x22,
  DATA_ABORT_LOWER: 0x24,
  DATA_ABORT_SAME: 0x25,
  SP_ALIGN: 0x26,
  SERROR: 0x2f,
  BREAKPOINT_LOWER: 0x30,
  BREAKPOINT_SAME: 0x31,
  SOFTWARE_STEP_LOWER: 0x32,
  SOFTWARE_STEP_SAME: 0x33,
  WATCHPOINT_LOWER: 0x34,
  WATCHPOINT_SAME: 0x35,
  BRK64: 0x3c,
} as const;

/** Names of exception classes (for exceptionInfo, traces and the Variables view). */
export const EC_NAMES: Record<number, string> = {
  0x00: 'Unknown reason (UNDEFINED)',
  0x01: 'Trapped WFI/WFE',
  0x07: 'Access to SIMD/FP trapped',
  0x0e: 'Illegal Execution state',
  0x15: 'SVC in AArch64',
  0x16: 'HVC in AArch64',
  0x17: 'SMC in AArch64',
  0x18: 'Trapped MSR/MRS/system instruction',
  0x20: 'Instruction Abort from a lower EL',
  0x21: 'Instruction Abort from the same EL',
  0x22: 'PC alignment fault',
  0x24: 'Data Abort from a lower EL',
  0x25: 'Data Abort from the same EL',
  0x26: 'SP alignment fault',
  0x2f: 'SError interrupt',
  0x30: 'Breakpoint from a lower EL',
  0x31: 'Breakpoint from the same EL',
  0x32: 'Software Step from a lower EL',
  0x33: 'Software Step from the same EL',
  0x34: 'Watchpoint from a lower EL',
  0x35: 'Watchpoint from the same EL',
  0x3c: 'BRK instruction in AArch64',
};

const IL = 1 << 25;

function esr(ec: number, iss: number): number {
  return ((ec << 26) | IL | (iss & 0x1ffffff)) >>> 0;
}

export const synUncategorized = (): number => esr(EC.UNKNOWN, 0);
export const synSvc = (imm16: number): number => esr(EC.SVC64, imm16 & 0xffff);
export const synHvc = (imm16: number): number => esr(EC.HVC64, imm16 & 0xffff);
export const synSmc = (imm16: number): number => esr(EC.SMC64, imm16 & 0xffff);
export const synBrk = (imm16: number): number => esr(EC.BRK64, imm16 & 0xffff);
export const synIllegalState = (): number => esr(EC.ILLEGAL_STATE, 0);
export const synPcAlign = (): number => esr(EC.PC_ALIGN, 0);
export const synSpAlign = (): number => esr(EC.SP_ALIGN, 0);
/** SError interrupt syndrome (EC 0x2F); ISS from VSESR_EL2 for a virtual SError. */
export const synSError = (iss: number): number => esr(EC.SERROR, iss);

/** Fault status code of every debug exception (IFSC/DFSC "Debug exception"). DDI0487 D17.2.37 */
const DEBUG_FSC = 0x22;

/** Hardware breakpoint (EC 0x30/0x31): ISS = IFSC 0b100010. */
export const synBreakpoint = (sameEl: boolean): number => esr(sameEl ? EC.BREAKPOINT_SAME : EC.BREAKPOINT_LOWER, DEBUG_FSC);

/**
 * Software step (EC 0x32/0x33): ISV (bit 24) = 1 when an instruction was stepped (EX valid),
 * EX (bit 6) = 1 when that instruction was a load-exclusive, IFSC 0b100010. AArch64.SoftwareStepException()
 */
export const synSoftwareStep = (sameEl: boolean, isv: number, ex: number): number =>
  esr(sameEl ? EC.SOFTWARE_STEP_SAME : EC.SOFTWARE_STEP_LOWER, (isv << 24) | ((isv & ex) << 6) | DEBUG_FSC);

/** Watchpoint (EC 0x34/0x35): CM (bit 8) cache maintenance, WnR (bit 6), DFSC 0b100010. */
export const synWatchpoint = (sameEl: boolean, cm: number, wnr: number): number =>
  esr(sameEl ? EC.WATCHPOINT_SAME : EC.WATCHPOINT_LOWER, (cm << 8) | (wnr << 6) | DEBUG_FSC);

/** WFI/WFE trap: CV=1, COND=0b1110 (as reported for A64), TI = 0 WFI / 1 WFE. */
export const synWfx = (ti: number): number => esr(EC.WFX, (1 << 24) | (0xe << 20) | (ti & 3));

/** SIMD/FP access trap (CPACR_EL1.FPEN, CPTR_EL2.TFP): CV=1, COND=0b1110 as QEMU and hardware report for A64. */
export const synFpAccess = (): number => esr(EC.FP_ACCESS, (1 << 24) | (0xe << 20));

/** Trapped MSR/MRS: ISS = Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Direction[0] (1 = read). */
export function synSysreg(op0: number, op1: number, crn: number, crm: number, op2: number, rt: number, isRead: boolean): number {
  return esr(EC.SYSREG, (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (isRead ? 1 : 0));
}

/** Fault status codes (DFSC/IFSC), DDI0487 D17.2.37. */
export const FSC = {
  addressSize: (level: number) => 0x00 | level,
  translation: (level: number) => 0x04 | level,
  accessFlag: (level: number) => 0x08 | level,
  permission: (level: number) => 0x0c | level,
  SYNC_EXTERNAL: 0x10,
  SYNC_EXTERNAL_WALK: (level: number) => 0x14 | level,
  ALIGNMENT: 0x21,
  TLB_CONFLICT: 0x30,
} as const;

/**
 * Data Abort ISS. `ldst` carries the instruction part (ISV SAS SSE SRT SF AR as built by
 * `issLdSt`); it is kept only when `isvAllowed` (stage-2 faults reported to EL2, not S1PTW).
 */
export function synDataAbort(sameEl: boolean, ldst: number, isvAllowed: boolean, ea: number, cm: number, s1ptw: number, wnr: number, dfsc: number): number {
  const insnPart = isvAllowed && (ldst & (1 << 24)) ? ldst & 0x01ffc000 : 0;
  return esr(sameEl ? EC.DATA_ABORT_SAME : EC.DATA_ABORT_LOWER,
    insnPart | (ea << 9) | (cm << 8) | (s1ptw << 7) | (wnr << 6) | (dfsc & 0x3f));
}

export function synInsnAbort(sameEl: boolean, ea: number, s1ptw: number, ifsc: number): number {
  return esr(sameEl ? EC.INSN_ABORT_SAME : EC.INSN_ABORT_LOWER, (ea << 9) | (s1ptw << 7) | (ifsc & 0x3f));
}

/**
 * Instruction-specific part of a data-abort ISS for single general-register loads/stores
 * (ISV=1): SAS = log2(size), SSE = sign extend, SRT = Rt, SF = 64-bit register, AR = acquire/release.
 */
export function issLdSt(log2size: number, signExtend: boolean, rt: number, sf: boolean, ar: boolean): number {
  return (1 << 24) | (log2size << 22) | ((signExtend ? 1 : 0) << 21) | (rt << 16) | ((sf ? 1 : 0) << 15) | ((ar ? 1 : 0) << 14);
}

export function ecOf(esrValue: number): number { return esrValue >>> 26; }
