// Self-hosted debug exceptions (DDI0487 D2 "AArch64 Self-hosted Debug"): when they are enabled,
// where they go, breakpoint and watchpoint matching, and the software-step state machine.
//
// Performance design. The interpreter's fast loop runs whole blocks with no per-instruction
// debug check. `refreshDebugState()` recomputes, whenever something that decides it changes
// (EL, PSTATE.D, MDSCR_EL1, DBGBCR/DBGWCR, the OS lock, OSDLR/DBGPRCR, MDCR_EL2, HCR_EL2), two
// summaries kept on the PE:
//   - pe.dbgMode: DebugMode bits. Non-zero means a hardware breakpoint can match at the current
//     EL or software step is active; the run loop then asks needsDebugSlowPath() at the start of
//     each block and, if so, takes its debug slow path, one instruction per iteration with the
//     checks in order (PE.runDebugged). Software step and context breakpoints (which match any
//     instruction) need it everywhere; address breakpoints only on the 4 KiB page of their
//     address, since a fast-path block never leaves the page it started in. Zero costs one
//     compare per block.
//   - pe.dbgWatch: a watchpoint is enabled and debug exceptions are enabled at the current EL;
//     the PE then chains checkWatchpoints() into its data-access hook (PE.accessHook), which is
//     null — one compare per access, as before — when neither the guest nor the debugger
//     watches memory.
// Every change of those inputs either ends the fast loop by itself (exception entry and return,
// MSR DAIFSet/DAIFClr) or is a system-register write whose hook returns true when the summary
// changed, so the slow path starts at the very next instruction.
//
// What is implemented: address-match breakpoints, unlinked or linked to a context breakpoint;
// context-ID, VMID and context-ID + VMID breakpoints (unlinked: they fire on every instruction
// of the matching context; linked: they qualify an address breakpoint or watchpoint), including
// the FEAT_VHE types (0b011x, 0b110x); watchpoints with BAS/LSC/MASK, unlinked or linked; software
// step with ISV/EX; the routing to EL1 or EL2 (MDCR_EL2.TDE, HCR_EL2.TGE); the enable
// conditions (OS lock, OS double lock, KDE, PSTATE.D, MDE). Halting debug, vector catch and
// AArch32 address-mismatch breakpoints are not (README Limits).
import { Acc, EXCEPTION_TAKEN } from '../exec';
import type { PE } from '../pe';
import { requiredSlot } from '../sysregs';
import { synBreakpoint, synSoftwareStep, synWatchpoint } from '../syndrome';
import { TWO32 } from '../u64';
import { MAX_BREAKPOINTS, MAX_WATCHPOINTS, numBreakpoints, numContextBreakpoints, numWatchpoints } from './resources';

/** pe.dbgMode bits: what the run loop's debug slow path checks before each instruction. */
export const enum DebugMode {
  /** An enabled breakpoint can match at the current EL (MDSCR_EL1.MDE, debug exceptions enabled). */
  Breakpoints = 1,
  /** Software step is active (MDSCR_EL1.SS, debug exceptions enabled at the current EL). */
  Step = 2,
}

const S_MDSCR = requiredSlot('MDSCR_EL1');
const S_OSDLR = requiredSlot('OSDLR_EL1');
const S_DBGPRCR = requiredSlot('DBGPRCR_EL1');
const S_MDCR = requiredSlot('MDCR_EL2');
const S_CONTEXTIDR_EL1 = requiredSlot('CONTEXTIDR_EL1');
const S_CONTEXTIDR_EL2 = requiredSlot('CONTEXTIDR_EL2');
const S_BVR: number[] = [], S_BCR: number[] = [], S_WVR: number[] = [], S_WCR: number[] = [];
for (let n = 0; n < MAX_BREAKPOINTS; n++) { S_BVR.push(requiredSlot(`DBGBVR${n}_EL1`)); S_BCR.push(requiredSlot(`DBGBCR${n}_EL1`)); }
for (let n = 0; n < MAX_WATCHPOINTS; n++) { S_WVR.push(requiredSlot(`DBGWVR${n}_EL1`)); S_WCR.push(requiredSlot(`DBGWCR${n}_EL1`)); }

const MDSCR_SS = 1 << 0, MDSCR_KDE = 1 << 13, MDSCR_MDE = 1 << 15;
const MDCR_TDE = 1 << 8;
/** Bits 48:32 of an address: breakpoint and watchpoint values hold VA[48:2] (bits above are sign extension). */
const HI_VA_MASK = 0x1ffff;

/**
 * AArch64.DebugTarget() for this PE (Non-secure, no EL3): EL2 when MDCR_EL2.TDE or HCR_EL2.TGE
 * routes debug exceptions there, else EL1. DDI0487 D2, "Routing debug exceptions"; pseudocode AArch64.DebugTarget().
 */
export function debugTargetEL(pe: PE): number {
  return (pe.sys[S_MDCR * 2] & MDCR_TDE) !== 0 || pe.tge() ? 2 : 1;
}

/** DoubleLockStatus(): OSDLR_EL1.DLK = 1 and DBGPRCR_EL1.CORENPDRQ = 0 (not halted: no halting debug here). */
function doubleLocked(pe: PE): boolean {
  return (pe.sys[S_OSDLR * 2] & 1) !== 0 && (pe.sys[S_DBGPRCR * 2] & 1) === 0;
}

/**
 * AArch64.GenerateDebugExceptionsFrom(from, secure = FALSE, mask): debug exceptions other than
 * BRK are generated only with the OS lock and double lock clear; at the debug target EL itself
 * only with MDSCR_EL1.KDE = 1 and PSTATE.D (`mask`) = 0; from a lower EL always; never from an
 * EL above the target (so EL2 generates them only when TDE or TGE makes EL2 the target).
 * DDI0487 D2, "Enabling debug exceptions".
 */
export function debugExceptionsEnabledFrom(pe: PE, from: number, mask: number): boolean {
  if (pe.osLock !== 0 || doubleLocked(pe)) return false;
  const target = debugTargetEL(pe);
  if (from === target) return (pe.sys[S_MDSCR * 2] & MDSCR_KDE) !== 0 && mask === 0;
  return target > from;
}

/**
 * AArch64.StateMatch() for a Non-secure PE without EL3: which ELs a breakpoint or watchpoint
 * control (PMC/PAC in bits 2:1, HMC bit 13, SSC bits 15:14) matches at. `isPriv` is false for an
 * unprivileged (LDTR/STTR) access at EL1, which matches as EL0. DDI0487 D2, "Breakpoint exceptions" / "Watchpoint exceptions".
 */
export function stateMatch(pe: PE, ctrl: number, isBreakpoint: boolean, isPriv: boolean): boolean {
  const pxc = (ctrl >>> 1) & 3, hmc = (ctrl >>> 13) & 1, ssc = (ctrl >>> 14) & 3;
  // SSC = 0b10 (Secure only) never matches in Non-secure state; 0b11 matches only with HMC = 1.
  if (ssc === 2 || (ssc === 3 && hmc === 0)) return false;
  switch (pe.el) {
    case 2: return (hmc === 1 && ((ssc << 2) | pxc) !== 0b1000) || ssc === 3;
    case 1: return (isPriv || isBreakpoint ? pxc & 1 : pxc & 2) !== 0;
    default: return (pxc & 2) !== 0;
  }
}

/**
 * The linked breakpoint check of AArch64.StateMatch(): a linked breakpoint (BT<0> = 1) or
 * watchpoint (WT = 1) matches only while breakpoint LBN, a linked context type, matches the
 * current context.
 */
function linkedMatch(pe: PE, ctrl: number, linked: boolean): boolean {
  return !linked || breakpointValueMatch(pe, (ctrl >>> 16) & 0xf, true);
}

/** ELIsInHost(PSTATE.EL): the EL2&0 regime of FEAT_VHE (EL2 with E2H, or EL0 with E2H and TGE). */
function inHost(pe: PE): boolean {
  return pe.e2h() && (pe.el === 2 || (pe.el === 0 && pe.tge()));
}

/**
 * AArch64.BreakpointValueMatch(n, PC, linkedTo): the value comparison of breakpoint n by its type
 * BT (DDI0487 D2, "Breakpoint types" and DBGBCR<n>_EL1.BT): 0b000x address (DBGBVR[48:2] = PC[48:2], BAS[0] = 1: A64
 * instructions are word aligned, a PE with AArch32 selects halfwords with BAS), 0b001x
 * CONTEXTIDR_EL1 (CONTEXTIDR_EL2 in the EL2&0 regime), 0b100x VMID (DBGBVR[39:32]), 0b101x both;
 * with FEAT_VHE 0b011x CONTEXTIDR_EL1 at EL1/EL0 outside the host, 0b110x full context ID
 * (CONTEXTIDR_EL1 and CONTEXTIDR_EL2 = DBGBVR[63:32]).
 * Context types exist only on the last CTX_CMPs breakpoints. `linkedTo`: asked for a linked
 * breakpoint or watchpoint, which needs a linked context type; on its own, a linked context
 * type never matches. CONSTRAINED UNPREDICTABLE choices: a reserved type, a context type on a
 * breakpoint that is not context-aware, a VHE type without FEAT_VHE, and the AArch32-only
 * address-mismatch types (0b010x) all never match; an unimplemented LBN never matches.
 */
function breakpointValueMatch(pe: PE, n: number, linkedTo: boolean): boolean {
  const brps = numBreakpoints(pe);
  if (n >= brps) return false;
  const bcr = pe.sys[S_BCR[n] * 2];
  if ((bcr & 1) === 0) return false;
  const type = (bcr >>> 20) & 0xf;
  const linked = (type & 1) !== 0;
  const matchAddr = (type & 0b1110) === 0b0000;
  if (type === 0b0100 || type === 0b0101 || type === 0b1110 || type === 0b1111) return false;
  if (!matchAddr && n < brps - numContextBreakpoints(pe)) return false;
  if ((type & 0b0110) === 0b0110 || (type & 0b1100) === 0b1100) { if (!pe.features.vhe) return false; }
  if (linkedTo ? !linked || matchAddr : linked && !matchAddr) return false;
  const s = S_BVR[n] * 2;
  const bvrLo = pe.sys[s], bvrHi = pe.sys[s + 1];
  if (matchAddr) {
    return (bcr & (1 << 5)) !== 0 && ((bvrLo & ~3) >>> 0) === ((pe.pcLo & ~3) >>> 0) && (bvrHi & HI_VA_MASK) === (pe.pcHi & HI_VA_MASK);
  }
  const lowEl = pe.el < 2;
  const host = inHost(pe);
  const ctx1 = pe.sys[S_CONTEXTIDR_EL1 * 2];
  const ctx2 = pe.sys[S_CONTEXTIDR_EL2 * 2];
  switch (type >>> 1) {
    case 0b001: return host ? ctx2 === bvrLo : lowEl && ctx1 === bvrLo;               // context ID
    case 0b100: return lowEl && !host && pe.vmid() === (bvrHi & 0xff);                // VMID
    case 0b101: return lowEl && !host && ctx1 === bvrLo && pe.vmid() === (bvrHi & 0xff);
    case 0b011: return lowEl && !host && ctx1 === bvrLo;                              // CONTEXTIDR_EL1 (VHE)
    case 0b110: return lowEl && !host && ctx1 === bvrLo && ctx2 === bvrHi;            // full context ID (VHE)
    default: return false;
  }
}

/**
 * Recomputes pe.dbgMode and pe.dbgWatch (see the header). Returns true when they changed, i.e.
 * when the run loop must re-check before the next instruction.
 */
export function refreshDebugState(pe: PE): boolean {
  const oldMode = pe.dbgMode, oldWatch = pe.dbgWatch;
  const mdscr = pe.sys[S_MDSCR * 2];
  let mode = 0;
  let watch = false;
  if ((mdscr & (MDSCR_SS | MDSCR_MDE)) !== 0 && debugExceptionsEnabledFrom(pe, pe.el, (pe.daif >>> 3) & 1)) {
    if (mdscr & MDSCR_SS) mode |= DebugMode.Step;
    if (mdscr & MDSCR_MDE) {
      // Any enabled breakpoint whose privilege and security controls match this EL (its value
      // and linked context are compared per instruction: they change without an MSR to these).
      for (let n = numBreakpoints(pe) - 1; n >= 0; n--) {
        const bcr = pe.sys[S_BCR[n] * 2];
        if ((bcr & 1) !== 0 && stateMatch(pe, bcr, true, true)) { mode |= DebugMode.Breakpoints; break; }
      }
      for (let n = numWatchpoints(pe) - 1; n >= 0; n--) if (pe.sys[S_WCR[n] * 2] & 1) { watch = true; break; }
    }
  }
  // Leaving the active step states forgets "the previous instruction was stepped" (ISV).
  if ((mode & DebugMode.Step) === 0) pe.stepDone = 0;
  pe.dbgMode = mode;
  if (watch !== oldWatch) {
    pe.dbgWatch = watch;
    pe.refreshAccessHook();
  }
  return mode !== oldMode || watch !== oldWatch;
}

/**
 * Whether the block starting at PC must run on the debug slow path (see the header): software
 * step is active, or an enabled breakpoint that matches this EL is a context type or an address
 * on PC's page. Called once per block while pe.dbgMode != 0.
 */
export function needsDebugSlowPath(pe: PE): boolean {
  if ((pe.dbgMode & DebugMode.Step) !== 0) return true;
  const page = pe.pcLo >>> 12, hi = pe.pcHi & HI_VA_MASK;
  for (let n = numBreakpoints(pe) - 1; n >= 0; n--) {
    const bcr = pe.sys[S_BCR[n] * 2];
    if ((bcr & 1) === 0 || !stateMatch(pe, bcr, true, true)) continue;
    if ((bcr & (0b1110 << 20)) !== 0) return true;
    const s = S_BVR[n] * 2;
    if (pe.sys[s] >>> 12 === page && (pe.sys[s + 1] & HI_VA_MASK) === hi) return true;
  }
  return false;
}

/**
 * True if a breakpoint matches the instruction at PC: AArch64.BreakpointMatch() over the
 * implemented breakpoints (value, privilege/security state, linked context).
 */
export function breakpointMatches(pe: PE): boolean {
  for (let n = numBreakpoints(pe) - 1; n >= 0; n--) {
    const bcr = pe.sys[S_BCR[n] * 2];
    if ((bcr & 1) === 0 || !breakpointValueMatch(pe, n, false)) continue;
    if (stateMatch(pe, bcr, true, true) && linkedMatch(pe, bcr, (bcr & (1 << 20)) !== 0)) return true;
  }
  return false;
}

/** Breakpoint exception: EC 0x30/0x31, ELR = the instruction; FAR is UNKNOWN, we choose 0 as QEMU does. AArch64.BreakpointException() */
export function takeBreakpointException(pe: PE): void {
  const target = debugTargetEL(pe);
  pe.takeException(target, synBreakpoint(target === pe.el), 'sync', pe.pcLo, pe.pcHi, 0, 0);
}

/**
 * Software step exception, taken in the active-pending state (PSTATE.SS = 0) before the next
 * instruction: EC 0x32/0x33, ELR = that instruction. ISV = 1 when the previous instruction was
 * stepped (executed in the active-not-pending state), with EX = 1 if it was a load-exclusive;
 * ISV = 0 when the PE reached active-pending without stepping one (e.g. an exception return
 * with SPSR.SS = 0). FAR is not written. DDI0487 D2, "Software Step exceptions"; AArch64.SoftwareStepException().
 */
export function takeSoftwareStepException(pe: PE): void {
  const target = debugTargetEL(pe);
  pe.takeException(target, synSoftwareStep(target === pe.el, pe.stepDone, pe.stepEx), 'sync', pe.pcLo, pe.pcHi);
}

/**
 * SS bit for PSTATE after an exception return: DebugExceptionReturnSS(). SPSR.SS is restored only
 * when software step is enabled at the destination and not at the EL returning (the debugger's
 * handler); otherwise PSTATE.SS = 0. Call before PSTATE changes. DDI0487 D2, "Software Step exceptions".
 */
export function stepStateAfterReturn(pe: PE, spsr: number, destEl: number): number {
  if ((pe.sys[S_MDSCR * 2] & MDSCR_SS) === 0) return 0;
  const atSource = debugExceptionsEnabledFrom(pe, pe.el, (pe.daif >>> 3) & 1);
  const atDest = debugExceptionsEnabledFrom(pe, destEl, (spsr >>> 9) & 1);
  return !atSource && atDest ? (spsr >>> 21) & 1 : 0;
}

/** LDXR/LDAXR/LDXP/LDAXP (load/store exclusive class with o2 = 0, L = 1): the EX bit of a step syndrome. */
export function isLoadExclusive(word: number): boolean {
  return (word & 0x3fc00000) === 0x08400000;
}

/**
 * Offset of the first byte of the access [va, va + size) that watchpoint n watches, or -1.
 * AArch64.WatchpointByteMatch(): DBGWVR[48:3] (or [48:2] with DBGWVR[2] = 1) and BAS select
 * bytes of a doubleword (word); MASK >= 3 watches the 2^MASK-byte block instead. CONSTRAINED
 * UNPREDICTABLE choices: with MASK set we choose to ignore BAS (as if 0xFF); a reserved MASK of
 * 1 or 2 we choose to match nothing; a non-contiguous BAS watches exactly the bytes it selects.
 * An access that crosses a 4 GiB boundary is compared on its low half (bits 31:0) only.
 */
function firstWatchedByte(pe: PE, n: number, wcr: number, vlo: number, vhi: number, size: number): number {
  const s = S_WVR[n] * 2;
  const wlo = pe.sys[s];
  if ((pe.sys[s + 1] & HI_VA_MASK) !== (vhi & HI_VA_MASK)) return -1;
  const mask = (wcr >>> 24) & 0x1f;
  if (mask === 1 || mask === 2) return -1;
  const bas = (wcr >>> 5) & 0xff;
  const bottom = (wlo & 4) !== 0 ? 2 : 3;
  for (let i = 0; i < size; i++) {
    const a = (vlo + i) >>> 0;
    if (mask !== 0) {
      if (a >>> mask === wlo >>> mask) return i;
    } else if (a >>> bottom === wlo >>> bottom && ((bas >>> (a & ((1 << bottom) - 1))) & 1) !== 0) {
      return i;
    }
  }
  return -1;
}

/**
 * The guest's watchpoints, called for every data access while pe.dbgWatch is set (chained into
 * PE.accessHook before the debugger's own hook). AArch64.CheckWatchpoint(): an enabled
 * watchpoint (unlinked, or linked and its context breakpoint matching) whose LSC selects the access direction, whose PAC/HMC/SSC match the EL
 * (unprivileged LDTR/STTR accesses match as EL0) and whose bytes overlap the access raises a
 * watchpoint exception before the access is performed: EC 0x34/0x35, WnR, DFSC 0b100010,
 * ELR = the instruction. FAR = the lowest address the access touches within the watched
 * bytes (the Arm ARM allows any address in the access; QEMU reports the same one).
 * DDI0487 D2, "Watchpoint exceptions"; AArch64.WatchpointException().
 */
export function checkWatchpoints(pe: PE, vlo: number, vhi: number, _pa: number, size: number, acc: Acc): void {
  const write = acc === Acc.Write;
  const lsc = write ? 0x10 : 0x08;
  const isPriv = !pe.unprivAccess;
  let hit = -1;
  for (let n = numWatchpoints(pe) - 1; n >= 0; n--) {
    const wcr = pe.sys[S_WCR[n] * 2];
    if ((wcr & 1) === 0 || (wcr & lsc) === 0) continue;
    if (!stateMatch(pe, wcr, false, isPriv) || !linkedMatch(pe, wcr, (wcr & (1 << 20)) !== 0)) continue;
    const off = firstWatchedByte(pe, n, wcr, vlo, vhi, size);
    if (off >= 0 && (hit < 0 || off < hit)) hit = off;
  }
  if (hit < 0) return;
  const farLo = vlo + hit;
  const target = debugTargetEL(pe);
  pe.takeException(target, synWatchpoint(target === pe.el, 0, write ? 1 : 0), 'sync', pe.pcLo, pe.pcHi,
    farLo >>> 0, (vhi + (farLo >= TWO32 ? 1 : 0)) >>> 0);
  throw EXCEPTION_TAKEN;
}
