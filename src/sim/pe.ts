// A processing element (one core): architectural state, the exception funnel, memory
// access with translation, and the run loop over cached decoded instructions.
//
// State layout (fixed indices, typed arrays, no allocation on the execution path):
//   x[2n], x[2n+1]  low/high halves of X0..X30 (n = 0..30)
//   slot 31         the zero register (always 0; decoders send writes to XZR to SINK)
//   slot 32         the current stack pointer (SP_EL0 or SP_ELx, per PSTATE.SPSel)
//   slot 33         write sink for XZR destinations
import { Acc, EXCEPTION_TAKEN, ExceptionTaken, Flow, type Exec } from './exec';
import type { EventBus } from './events';
import type { PhysicalMemory } from './memory';
import { BusError, PAGE_SIZE } from './memory';
import type { CpuFeatures, CpuModel } from './cpu-model';
import { Access, SYSREGS, requiredSlot } from './sysregs';
import {
  DebugMode, breakpointMatches, checkWatchpoints, isLoadExclusive, needsDebugSlowPath, refreshDebugState, stepStateAfterReturn,
  takeBreakpointException, takeSoftwareStepException,
} from './selfdebug/exceptions';
import {
  EC, EC_NAMES, FSC, synDataAbort, synSError, synFpAccess, synIllegalState, synInsnAbort, synPcAlign, synSysreg, synUncategorized,
} from './syndrome';
import { decode } from './decode';
import type { Jit } from './jit/jit';
import { EXC_LOOP_SLOTS, noteExceptionEntry, noteExceptionReturn } from './stuck';
import { TWO32, hex64 } from './u64';
import { PA_BITS } from './mmu/regime';
import type { Gic } from './gic/gic';
import type { GenericTimers } from './timer/generic-timer';
import type { CostTable } from './cost/profile';
import { PMU_STATE_SIZE, pmuExceptionReturn, pmuExceptionTaken, pmuReset } from './pmu/pmu';

export const ZR = 31;
export const SP = 32;
export const SINK = 33;

/** Everything a PE needs from its board. */
export interface Board {
  readonly mem: PhysicalMemory;
  readonly bus: EventBus;
  /** CPU cycles per generic-counter tick. */
  readonly cyclesPerTick: number;
  /** Firmware services (PSCI) on HVC/SMC; returns true if the call was handled by firmware. */
  firmwareCall(pe: PE, conduit: 'hvc' | 'smc'): boolean;
  /** Semihosting (HLT #0xF000). */
  semihosting(pe: PE): void;
  /** Decoded-instruction cache for a RAM page (created on demand). */
  codePage(pa: number): (Exec | undefined)[] | undefined;
  /** Which instruction reaches the built-in firmware (PSCI): SMC when the machine starts at EL2, HVC at EL1. */
  readonly firmwareConduit: 'hvc' | 'smc' | 'none';
  /** SEV: sets the event register of every PE. */
  sendEvent?(): void;
  /** TLB maintenance (installed by the MMU). */
  tlbi?(pe: PE, op: string, lo: number, hi: number): void;
  /** Address translation instructions (installed by the MMU); writes PAR_EL1. */
  at?(pe: PE, op: string, lo: number, hi: number): void;
  /** Interrupt controller (its GICv3 CPU-interface registers are system registers of the PE). */
  readonly gic?: Gic;
  /** Generic timers (CNTP/CNTV/CNTHP/CNTHV registers). */
  readonly timers?: GenericTimers;
  /** Called by the run loop when the PE's cycle count reaches pe.eventDeadline (timer due). */
  onDeadline?(pe: PE): void;
}

export const enum PowerState { On = 0, Off = 1 }

/** A data-access observer (see PE.accessHook); it may raise an exception and throw EXCEPTION_TAKEN. */
export type AccessHook = (pe: PE, vlo: number, vhi: number, pa: number, size: number, acc: Acc) => void;

const VECTOR_SYNC = 0x000, VECTOR_IRQ = 0x080, VECTOR_FIQ = 0x100, VECTOR_SERROR = 0x180;
export type ExceptionKind = 'sync' | 'irq' | 'fiq' | 'serror';

export class PE {
  readonly id: number;
  readonly board: Board;
  readonly mem: PhysicalMemory;
  readonly bus: EventBus;
  readonly model: CpuModel;
  readonly features: CpuFeatures;
  /** MPIDR_EL1 value (Aff0 = core number within the cluster). */
  readonly mpidr: number;

  /**
   * The PE's state memory, shared with compiled regions (src/sim/jit): the board's RAM arena
   * (src/sim/ram-arena.ts), which also holds guest RAM and the soft TLBs. This PE's block
   * starts at stateBase; the register file below is a view at its start, so wasm reads and
   * writes the same registers as the interpreter. (The arena grows without detaching views.)
   */
  readonly state: WebAssembly.Memory;
  readonly stateBase: number;
  /** General-purpose registers, SP and the sinks (see layout above), at stateBase in `state`. */
  readonly x: Uint32Array;
  /** Byte offset in `state` of this PE's soft TLB (FastTlb, set by the MMU), -1 without one. */
  softTlbBase = -1;
  /** The region compiler (src/sim/jit), or null when it is off. */
  jit: Jit | null = null;
  /** Instructions a compiled region retired beyond the one the run loop counts for its call (0 outside). */
  regionRan = 0;
  /** SIMD&FP registers V0..V31, 128 bits each as four 32-bit words (little-endian order). */
  readonly v = new Uint32Array(32 * 4);
  pcLo = 0;
  pcHi = 0;

  // PSTATE
  nf = 0; zf = 0; cf = 0; vf = 0;
  /** D, A, I, F as bits 3..0. */
  daif = 0xf;
  el = 2;
  spsel = 1;
  /** PSTATE.IL (illegal execution state), PSTATE.SS, PSTATE.PAN. */
  il = 0; ss = 0; pan = 0;

  /** Banked stack pointers SP_EL0..SP_EL2 (the selected one lives in slot 32). */
  readonly spBank = new Uint32Array(3 * 2);
  /** System register storage: slot i at [2i] (low) and [2i+1] (high). */
  readonly sys = new Uint32Array(SYSREGS.length * 2);
  /** Result of a computed system-register read. */
  srLo = 0;
  srHi = 0;
  /** OSLSR_EL1.OSLK: the OS lock, set by a cold reset (DDI0487 D2, "The OS Lock"); Linux clears it at boot. */
  osLock = 1;

  /**
   * Self-hosted debug summaries (src/sim/selfdebug/exceptions.ts explains the design):
   * dbgMode != 0 sends the run loop to its one-instruction-at-a-time debug path (hardware
   * breakpoints, software step); dbgWatch chains the guest's watchpoints into accessHook.
   */
  dbgMode = 0;
  dbgWatch = false;
  /**
   * Software step: stepInsn = the instruction executing now is being stepped (an exception it
   * takes saves SPSR.SS = 1, except SVC/HVC/SMC, which complete); stepDone = the previous
   * instruction was stepped (syndrome ISV); stepEx = it was a load-exclusive (syndrome EX).
   */
  stepInsn = 0;
  stepDone = 0;
  stepEx = 0;

  /**
   * Exclusive monitor: physical address and size of the reservation (-1 = open), and the
   * value loaded by LDXR. As QEMU does, STXR succeeds only if the reservation matches and
   * memory still holds the loaded value, which models both the local and the global monitor
   * (a store by another PE, or by this one, that changes the value makes STXR fail).
   */
  exclAddr = -1;
  exclSize = 0;
  exclLo = 0;
  exclHi = 0;
  exclLo2 = 0;
  exclHi2 = 0;

  /** Retired instructions and elapsed cycles. */
  instret = 0;
  cycles = 0;
  /** Exceptions taken (any kind) — counted for tests and the cost model. */
  exceptions = 0;
  /**
   * The last exception entries, for exception-loop detection (src/sim/stuck.ts): a count of
   * identical entries raised at their own vector, and what led there. Numbers only, so snapshots
   * and digests carry them.
   */
  readonly excLoop = new Float64Array(EXC_LOOP_SLOTS);
  /**
   * Cost model (src/sim/cost): null = every instruction costs one cycle (cycles == instructions).
   * With a profile, decoded executors charge their static cost beyond one cycle into costExtra,
   * and the exception funnel, MMIO, walks and IPIs charge theirs through charge().
   */
  cost: CostTable | null = null;
  /** Modelled cycles beyond one per instruction accumulated in the current run slice. */
  costExtra = 0;
  /** Earliest cycle at which a physical interrupt sent by another PE can be taken here (IPI latency). */
  irqArrival = 0;
  /** Decoder used to fill the decoded-instruction cache (the machine installs a cost-charging one). */
  decoder: (word: number) => Exec = decode;

  power: PowerState = PowerState.On;
  /** Waiting in WFI/WFE. */
  waiting = false;
  /** WFE event register. */
  eventReg = 0;
  /** Physical interrupt lines from the interrupt controller, and virtual ones from its virtual interface. */
  irqLine = false;
  fiqLine = false;
  vIrqLine = false;
  vFiqLine = false;
  /** Set when a halting request (debugger pause, machine stop) should end the run slice. */
  stopRequested = false;
  /** Instructions executed so far in the current run() call, so that time read mid-slice is exact (see now()). */
  sliceExecuted = 0;
  /** The inner run loop returns to the interrupt check once it has executed this many (budget or timer deadline). */
  sliceLimit = 0;
  /** Set by kick(): an interrupt line rose; the inner loop re-checks at the end of the current block. */
  recheckIrq = false;
  /** Cycle count at which a time-driven device of this PE (generic timer, PMU) next needs attention; Infinity: none. */
  eventDeadline = Infinity;
  /** Each time-driven device's own deadline (0: generic timers, 1: PMU overflow); eventDeadline is their minimum. */
  readonly deadlines = new Float64Array([Infinity, Infinity]);
  /** Performance Monitors state (src/sim/pmu/pmu.ts owns the layout). */
  readonly pmu = new Float64Array(PMU_STATE_SIZE);

  /** Data accesses bypass translation (stage 1 and stage 2 both off for the current regime). */
  flatData = true;
  /** Hook for the MMU (installed by the MMU module); returns a PA or throws EXCEPTION_TAKEN. */
  mmuTranslate: ((pe: PE, vlo: number, vhi: number, acc: Acc, iss: number, size: number) => number) | null = null;
  /**
   * True only while an LDTR/STTR access that uses EL0 permissions is in progress
   * (AccType_UNPRIV, DDI0487 C6.2 LDTR); the MMU checks stage-1 permissions as for EL0 and
   * ignores PSTATE.PAN. Set and cleared by the load/store module around the access.
   */
  unprivAccess = false;
  /** Hook invoked when the Stage-2 VMID changes (TLB, vm-switch events). */
  onVmidChange: ((pe: PE, oldVmid: number, newVmid: number) => void) | null = null;
  /**
   * Called with the VA and PA of every data access after translation: the debugger's
   * watchpoints (`watch`), the guest's (dbgWatch), both chained, or null (one compare per access).
   */
  accessHook: AccessHook | null = null;
  private debuggerWatch: AccessHook | null = null;
  /** Debugger watchpoint hook (src/sim/breakpoints.ts); null when the debugger watches nothing. */
  get watch(): AccessHook | null { return this.debuggerWatch; }
  set watch(h: AccessHook | null) { this.debuggerWatch = h; this.refreshAccessHook(); }
  /**
   * The debugger's code breakpoints as seen by the debug slow path (installed by
   * src/sim/breakpoints.ts): returns true when the debugger stops before the instruction at PC
   * (physical address `pa`). `willExecute` is false when a guest debug exception is taken
   * instead. The fast path needs no hook: there the debugger's breakpoints wrap decoded slots.
   */
  codeBreakpointCheck: ((pe: PE, pa: number, willExecute: boolean) => boolean) | null = null;
  /** Hook invoked by updateRegime() (the MMU drops cached contexts when translation controls changed). */
  onRegimeChange: ((pe: PE) => void) | null = null;

  // Frequently used system-register slots.
  readonly slotHCR_EL2 = requiredSlot('HCR_EL2');
  readonly slotSCTLR_EL1 = requiredSlot('SCTLR_EL1');
  readonly slotSCTLR_EL2 = requiredSlot('SCTLR_EL2');
  readonly slotCPTR_EL2 = requiredSlot('CPTR_EL2');
  readonly slotCPACR_EL1 = requiredSlot('CPACR_EL1');
  readonly slotVPIDR_EL2 = requiredSlot('VPIDR_EL2');
  readonly slotVMPIDR_EL2 = requiredSlot('VMPIDR_EL2');
  readonly slotCSSELR_EL1 = requiredSlot('CSSELR_EL1');
  readonly slotCNTKCTL_EL1 = requiredSlot('CNTKCTL_EL1');
  readonly slotCNTHCTL_EL2 = requiredSlot('CNTHCTL_EL2');
  readonly slotCNTVOFF_EL2 = requiredSlot('CNTVOFF_EL2');
  readonly slotVTTBR_EL2 = requiredSlot('VTTBR_EL2');
  readonly slotELR = [0, requiredSlot('ELR_EL1'), requiredSlot('ELR_EL2')];
  readonly slotSPSR = [0, requiredSlot('SPSR_EL1'), requiredSlot('SPSR_EL2')];
  readonly slotESR = [0, requiredSlot('ESR_EL1'), requiredSlot('ESR_EL2')];
  readonly slotFAR = [0, requiredSlot('FAR_EL1'), requiredSlot('FAR_EL2')];
  readonly slotVBAR = [0, requiredSlot('VBAR_EL1'), requiredSlot('VBAR_EL2')];
  readonly slotHPFAR_EL2 = requiredSlot('HPFAR_EL2');
  readonly slotMDCR_EL2 = requiredSlot('MDCR_EL2');
  readonly slotPAR_EL1 = requiredSlot('PAR_EL1');

  /**
   * With stage 1 off and no stage 2, VA bits at or above the implemented PA size
   * (ID_AA64MMFR0_EL1.PARange: 44 bits on cortex-a57, 48 on the others) give an Address size
   * fault at level 0 (AArch64.S1DisabledOutput); this is 2^(PA size - 32), compared with VA[63:32].
   */
  private readonly flatPaLimitHi: number;

  constructor(id: number, board: Board, model: CpuModel) {
    this.id = id;
    this.flatPaLimitHi = 2 ** (PA_BITS[(model.ids.ID_AA64MMFR0_EL1?.[0] ?? 5) & 7] - 32);
    this.board = board;
    this.mem = board.mem;
    this.state = board.mem.arena.memory;
    this.stateBase = board.mem.arena.block(4096);
    this.x = new Uint32Array(this.state.buffer, this.stateBase, 34 * 2);
    this.bus = board.bus;
    this.model = model;
    this.features = model.features;
    // QEMU virt: Aff0 = index within a cluster of 8, Aff1 = cluster; bit 31 RES1.
    this.mpidr = (0x80000000 | ((Math.floor(id / 8) & 0xff) << 8) | (id % 8)) >>> 0;
    this.resetSysregs();
  }

  /** Architectural reset of the system registers (table reset values, model ID values). */
  resetSysregs(): void {
    this.sys.fill(0);
    for (let i = 0; i < SYSREGS.length; i++) {
      const d = SYSREGS[i];
      const id = this.model.ids[d.name];
      if (id) { this.sys[2 * i] = id[0] >>> 0; this.sys[2 * i + 1] = id[1] >>> 0; continue; }
      this.sys[2 * i] = (d.reset ?? 0) >>> 0;
      this.sys[2 * i + 1] = (d.resetHi ?? 0) >>> 0;
    }
    this.sys[this.slotVPIDR_EL2 * 2] = this.model.midr;
    this.sys[this.slotVMPIDR_EL2 * 2] = this.mpidr;
    pmuReset(this);
  }

  /** A time-driven device posts the cycle at which it next needs attention (Infinity: never). */
  postDeadline(source: number, cycle: number): void {
    this.deadlines[source] = cycle;
    this.eventDeadline = Math.min(this.deadlines[0], this.deadlines[1]);
  }

  /** Reset to run from `pc` at `el` (EL2 or EL1, SPSel=1, all interrupts masked). */
  reset(pcLo: number, pcHi: number, el: number): void {
    this.x.fill(0);
    this.v.fill(0);
    this.spBank.fill(0);
    this.resetSysregs();
    this.nf = this.zf = this.cf = this.vf = 0;
    this.daif = 0xf;
    this.el = el;
    this.spsel = 1;
    this.il = this.ss = this.pan = 0;
    this.osLock = 1;
    this.stepInsn = this.stepDone = this.stepEx = 0;
    this.pcLo = pcLo >>> 0;
    this.pcHi = pcHi >>> 0;
    this.exclAddr = -1;
    this.excLoop.fill(0);
    this.waiting = false;
    this.power = PowerState.On;
    if (el === 1) {
      // Started at EL1 (no EL2 software): EL1 is AArch64.
      this.sys[this.slotHCR_EL2 * 2] = 0x80000000;
    }
    this.updateRegime();
  }

  // ---------------------------------------------------------------- register helpers

  /** Index (in halves) of the stack pointer bank currently selected. */
  private spIndex(): number { return this.spsel ? this.el : 0; }

  /** Save the live SP into its bank before PSTATE.EL/SPSel change. */
  private saveSp(): void {
    const i = this.spIndex() * 2;
    this.spBank[i] = this.x[SP * 2];
    this.spBank[i + 1] = this.x[SP * 2 + 1];
  }

  /** Load the live SP from the bank selected by the (new) PSTATE.EL/SPSel. */
  private loadSp(): void {
    const i = this.spIndex() * 2;
    this.x[SP * 2] = this.spBank[i];
    this.x[SP * 2 + 1] = this.spBank[i + 1];
  }

  setSpSel(v: number): void {
    this.saveSp();
    this.spsel = v & 1;
    this.loadSp();
  }

  /** Changes PSTATE.EL and SPSel together, keeping the banked SPs coherent. */
  setElSp(el: number, spsel: number): void {
    this.saveSp();
    this.el = el;
    this.spsel = spsel;
    this.loadSp();
    this.updateRegime();
  }

  readBankedSp(i: number): void {
    if (i === this.spIndex()) { this.srLo = this.x[SP * 2]; this.srHi = this.x[SP * 2 + 1]; }
    else { this.srLo = this.spBank[i * 2]; this.srHi = this.spBank[i * 2 + 1]; }
  }

  writeBankedSp(i: number, lo: number, hi: number): void {
    if (i === this.spIndex()) { this.x[SP * 2] = lo; this.x[SP * 2 + 1] = hi; }
    else { this.spBank[i * 2] = lo; this.spBank[i * 2 + 1] = hi; }
  }

  hcrLo(): number { return this.sys[this.slotHCR_EL2 * 2]; }
  hcrHi(): number { return this.sys[this.slotHCR_EL2 * 2 + 1]; }
  /** HCR_EL2.TGE */
  tge(): boolean { return (this.sys[this.slotHCR_EL2 * 2] & (1 << 27)) !== 0; }
  /** HCR_EL2.E2H (FEAT_VHE) */
  e2h(): boolean { return (this.sys[this.slotHCR_EL2 * 2 + 1] & 4) !== 0; }
  sctlrEl1(): number { return this.sys[this.slotSCTLR_EL1 * 2]; }
  /** SCTLR of the current translation regime (EL2&0 host with E2H+TGE uses SCTLR_EL2). */
  sctlrCurrent(): number {
    return this.el === 2 || (this.el === 0 && this.e2h() && this.tge()) ? this.sys[this.slotSCTLR_EL2 * 2] : this.sys[this.slotSCTLR_EL1 * 2];
  }
  el0UmaEnabled(): boolean { return (this.sctlrCurrent() & (1 << 9)) !== 0; }

  /** Current Stage-2 VMID (VTTBR_EL2[55:48], 8-bit unless VTCR_EL2.VS). */
  vmid(): number { return (this.sys[this.slotVTTBR_EL2 * 2 + 1] >>> 16) & 0xff; }

  onVttbrWrite(lo: number, hi: number): void {
    const s = this.slotVTTBR_EL2 * 2;
    const old = (this.sys[s + 1] >>> 16) & 0xff;
    this.sys[s] = lo;
    this.sys[s + 1] = hi;
    const now = (hi >>> 16) & 0xff;
    if (old !== now && this.onVmidChange) this.onVmidChange(this, old, now);
  }

  /** Recomputes derived state after EL, SCTLR or HCR changes. */
  updateRegime(): void {
    const hcr = this.hcrLo();
    // DDI0487 D8.2.11: for EL1&0, HCR_EL2.VM or DC enable stage 2 and DC or TGE force stage 1
    // off; with {E2H,TGE} = {1,1} EL0 is in the EL2&0 regime (SCTLR_EL2, no stage 2).
    const host = this.e2h() && this.tge();
    const stage2 = this.el < 2 && !host && (hcr & 0x1001) !== 0;
    const stage1 = this.el < 2 && !host ? (this.sctlrEl1() & 1) !== 0 && (hcr & 0x08001000) === 0 : (this.sys[this.slotSCTLR_EL2 * 2] & 1) !== 0;
    this.flatData = !stage1 && !stage2;
    if (this.onRegimeChange !== null) this.onRegimeChange(this);
    refreshDebugState(this);
  }

  /**
   * Recomputes the self-hosted debug summaries after a change of PSTATE.D or of a debug control
   * register; true if they changed (the fast loop must end before the next instruction).
   */
  updateDebugState(): boolean { return refreshDebugState(this); }

  /** Rebuilds accessHook from the debugger's watchpoint hook and the guest's watchpoints. */
  refreshAccessHook(): void {
    const d = this.debuggerWatch;
    if (!this.dbgWatch) this.accessHook = d;
    else if (d === null) this.accessHook = checkWatchpoints;
    else {
      // The guest's watchpoint exception is taken before the access, so the debugger sees only
      // accesses that happen.
      this.accessHook = (pe, vlo, vhi, pa, size, acc) => { checkWatchpoints(pe, vlo, vhi, pa, size, acc); d(pe, vlo, vhi, pa, size, acc); };
    }
  }

  /**
   * SIMD/FP access check (DDI0487 D1.14 / CPACR_EL1.FPEN, CPTR_EL2.TFP). EL1/EL0 checks
   * come first (trap to EL1, or to EL2 when TGE routes EL0 exceptions there), then EL2.
   */
  fpAccess(): Access {
    const el = this.el;
    const e2h = this.e2h();
    const tge = this.tge();
    if (el <= 1 && !(el === 0 && e2h && tge)) {
      const fpen = (this.sys[this.slotCPACR_EL1 * 2] >>> 20) & 3;
      if (fpen === 0 || fpen === 2 || (fpen === 1 && el === 0)) return el === 0 && tge ? Access.FpTrapEL2 : Access.FpTrapEL1;
    }
    const cptr = this.sys[this.slotCPTR_EL2 * 2];
    if (e2h) {
      const fpen = (cptr >>> 20) & 3;
      if (el === 2 || (el === 0 && tge)) {
        if (fpen === 0 || fpen === 2 || (fpen === 1 && el === 0)) return Access.FpTrapEL2;
      } else if (fpen === 0 || fpen === 2) {
        return Access.FpTrapEL2;
      }
    } else if (cptr & (1 << 10)) {
      return Access.FpTrapEL2;
    }
    return Access.Ok;
  }

  /** For FP/SIMD instructions: takes the access trap if any; returns true if trapped. */
  fpTrapped(): boolean {
    const a = this.fpAccess();
    if (a === Access.Ok) return false;
    this.takeException(a === Access.FpTrapEL2 ? 2 : 1, synFpAccess(), 'sync', this.pcLo, this.pcHi);
    return true;
  }

  // ---------------------------------------------------------------- exceptions

  /** EL that synchronous exceptions from the current EL are taken to (EL0 → EL1, or EL2 with TGE). */
  syncTargetEL(): number {
    if (this.el === 0) return this.tge() ? 2 : 1;
    return this.el;
  }

  /** PSTATE as saved in SPSR_ELx. DDI0487 C5.2.18 */
  pstateToSpsr(): number {
    return ((this.nf << 31) | (this.zf << 30) | (this.cf << 29) | (this.vf << 28) | (this.pan << 22) | (this.ss << 21) | (this.il << 20)
      | (this.daif << 6) | (this.el << 2) | this.spsel) >>> 0;
  }

  /**
   * The exception funnel: AArch64.TakeException(). Vector selection, ESR/FAR, SPSR/ELR and
   * PSTATE in the architecture's order (DDI0487 D1.10.2).
   * @param retLo/retHi preferred exception return address (ELR).
   * @param far fault address (lo/hi) for aborts; undefined leaves FAR unchanged.
   */
  takeException(target: number, esr: number, kind: ExceptionKind, retLo: number, retHi: number,
    farLo?: number, farHi?: number, hpfar?: number): void {
    const from = this.el;
    let offset: number;
    if (target > from) offset = 0x400;          // lower EL, AArch64
    else if (this.spsel) offset = 0x200;        // current EL with SP_ELx
    else offset = 0x000;                        // current EL with SP_EL0
    offset += kind === 'sync' ? VECTOR_SYNC : kind === 'irq' ? VECTOR_IRQ : kind === 'fiq' ? VECTOR_FIQ : VECTOR_SERROR;

    let spsr = this.pstateToSpsr();
    // An exception taken by an instruction being stepped (not SVC/HVC/SMC, which complete
    // first): the instruction was not stepped, so SPSR.SS = 1 and it is stepped again after the
    // return. DDI0487 D2, "Software Step exceptions".
    if (this.stepInsn !== 0) { spsr = (spsr | (1 << 21)) >>> 0; this.stepInsn = 0; }
    // Registers of the target EL (with E2H at EL2 the same EL2 registers are used).
    this.sys[this.slotSPSR[target] * 2] = spsr;
    this.sys[this.slotSPSR[target] * 2 + 1] = 0;
    this.sys[this.slotELR[target] * 2] = retLo >>> 0;
    this.sys[this.slotELR[target] * 2 + 1] = retHi >>> 0;
    if (kind === 'sync' || kind === 'serror') {
      this.sys[this.slotESR[target] * 2] = esr >>> 0;
      this.sys[this.slotESR[target] * 2 + 1] = 0;
    }
    if (farLo !== undefined) {
      this.sys[this.slotFAR[target] * 2] = farLo >>> 0;
      this.sys[this.slotFAR[target] * 2 + 1] = (farHi ?? 0) >>> 0;
    }
    if (hpfar !== undefined && target === 2) {
      this.sys[this.slotHPFAR_EL2 * 2] = hpfar % TWO32 >>> 0;
      this.sys[this.slotHPFAR_EL2 * 2 + 1] = Math.floor(hpfar / TWO32) >>> 0;
    }
    // PSTATE: all of DAIF masked, SPSel=1, SS=0, IL=0, EL=target. DDI0487 D1.10.2
    this.daif = 0xf;
    this.ss = 0;
    this.il = 0;
    this.setElSp(target, 1);
    this.exclAddr = -1;   // ClearExclusiveLocal on exception entry (we choose to clear, as QEMU does)
    this.waiting = false;
    this.exceptions++;
    // PMU: EL attribution of steps and cycles; SVC/HVC/SMC (return address past them) retired.
    pmuExceptionTaken(this, from, target, kind === 'sync' && (retLo !== this.pcLo || retHi !== this.pcHi));
    if (this.cost !== null) this.charge(this.cost.entry[from * 3 + target]);

    const vb = this.slotVBAR[target] * 2;
    const vlo = this.sys[vb] + offset;
    this.pcLo = vlo >>> 0;
    this.pcHi = (this.sys[vb + 1] + (vlo >= TWO32 ? 1 : 0)) >>> 0;
    noteExceptionEntry(this, from, target, kind === 'sync');

    if (this.bus.wants.exceptionEntry) {
      const ec = kind === 'sync' ? esr >>> 26 : -1;
      this.bus.emit('exceptionEntry', {
        pe: this.id, from, to: target, kind, vector: this.pcLo, vectorHi: this.pcHi, ec, esr: kind === 'sync' ? esr : 0,
        far: farLo !== undefined ? (farHi ?? 0) * TWO32 + farLo : undefined, hpfar,
        elr: retHi * TWO32 + retLo,
        why: kind === 'sync' ? `${EC_NAMES[ec] ?? `EC 0x${ec.toString(16)}`} from EL${from}` : `${kind.toUpperCase()} from EL${from}`,
      });
    }
  }

  /** UNDEFINED instruction at the current PC. */
  undefinedInstruction(): number {
    if (this.bus.wants.undefinedInstruction) {
      this.bus.emit('undefinedInstruction', { pe: this.id, pc: this.pcHi * TWO32 + this.pcLo, word: this.peekInsn() });
    }
    this.takeException(this.syncTargetEL(), synUncategorized(), 'sync', this.pcLo, this.pcHi);
    return Flow.Stop;
  }

  /** Synchronous exception with the current instruction as preferred return address. */
  syncException(target: number, esr: number): number {
    this.takeException(target, esr, 'sync', this.pcLo, this.pcHi);
    return Flow.Stop;
  }

  /** Synchronous exception returning to the next instruction (SVC/HVC/SMC). */
  syncExceptionNext(target: number, esr: number): number {
    // The instruction completes before the exception (SSAdvance() in AArch64.CallSupervisor and
    // friends): a stepped SVC/HVC/SMC leaves SPSR.SS = 0.
    this.stepInsn = 0;
    const lo = this.pcLo + 4;
    this.takeException(target, esr, 'sync', lo >>> 0, (this.pcHi + (lo >= TWO32 ? 1 : 0)) >>> 0);
    return Flow.Stop;
  }

  /** Raises the exception an Access check asked for, for a system register access (MRS/MSR). */
  sysregTrap(a: Access, op0: number, op1: number, crn: number, crm: number, op2: number, rt: number, isRead: boolean): number {
    switch (a) {
      case Access.TrapEL2: return this.syncException(2, synSysreg(op0, op1, crn, crm, op2, rt, isRead));
      case Access.TrapEL1: return this.syncException(this.el === 0 && this.tge() ? 2 : 1, synSysreg(op0, op1, crn, crm, op2, rt, isRead));
      case Access.FpTrapEL1: return this.syncException(1, synFpAccess());
      case Access.FpTrapEL2: return this.syncException(2, synFpAccess());
      default: return this.undefinedInstruction();
    }
  }

  /**
   * ERET: AArch64.ExceptionReturn() with the illegal-return checks of DDI0487 D1.11.4.
   * An illegal return keeps the EL, sets PSTATE.IL, and the next instruction faults (EC 0x0E).
   */
  exceptionReturn(): number {
    const from = this.el;
    const spsr = this.sys[this.slotSPSR[from] * 2];
    const elrLo = this.sys[this.slotELR[from] * 2];
    const elrHi = this.sys[this.slotELR[from] * 2 + 1];
    const m = spsr & 0x1f;
    const tEl = (m >>> 2) & 3;
    const tSp = m & 1;
    let illegal = false;
    if (m & 0x10) illegal = true;                              // AArch32 target: not implemented (RW=1 required)
    else if (tEl > from) illegal = true;                       // return to a higher EL
    else if (tEl === 3) illegal = true;                        // EL3 not implemented
    else if (tEl === 0 && tSp === 1) illegal = true;           // EL0 with SP_ELx is reserved
    else if (m & 2) illegal = true;                            // M[1] is reserved in AArch64 modes
    else if (tEl === 1 && from === 2 && this.tge() && !this.e2h()) illegal = true; // EL1 while HCR_EL2.TGE=1
    else if (tEl === 1 && from === 2 && this.tge() && this.e2h()) illegal = true;
    else if (tEl < 2 && from === 2 && !(this.hcrLo() & 0x80000000)) illegal = true; // EL1/EL0 AArch32 per HCR_EL2.RW
    const ss = stepStateAfterReturn(this, spsr, illegal ? from : tEl);
    // Restore the flags and masks in all cases (DDI0487: IL return still restores NZCV/DAIF).
    this.nf = (spsr >>> 31) & 1; this.zf = (spsr >>> 30) & 1; this.cf = (spsr >>> 29) & 1; this.vf = (spsr >>> 28) & 1;
    this.daif = (spsr >>> 6) & 0xf;
    this.ss = 0;
    this.pan = this.features.pan ? (spsr >>> 22) & 1 : 0;
    if (illegal) {
      this.il = 1;
      this.updateDebugState(); // PSTATE.D may have changed
    } else {
      this.il = (spsr >>> 20) & 1;
      this.setElSp(tEl, tSp);
    }
    this.ss = ss;
    this.exclAddr = -1;
    noteExceptionReturn(this);
    // The PC is ELR; bits above the VA size are not trimmed here (tagged addresses come with the MMU).
    pmuExceptionReturn(this, from, this.el);
    this.pcLo = elrLo;
    this.pcHi = elrHi;
    if (this.cost !== null) this.charge(this.cost.eret[from * 3 + this.el]);
    if (this.bus.wants.exceptionReturn) {
      this.bus.emit('exceptionReturn', { pe: this.id, from, to: this.el, pc: elrHi * TWO32 + elrLo, illegal });
    }
    return Flow.Stop;
  }

  // ---------------------------------------------------------------- interrupts

  /**
   * Takes a pending physical or virtual interrupt if it is not masked. Routing and masking
   * follow DDI0487 D1.13.2 (HCR_EL2.IMO/FMO/TGE) for a PE with EL2 and no EL3.
   * Returns true if an interrupt was taken.
   */
  checkInterrupts(): boolean {
    const hcr = this.hcrLo();
    const el = this.el;
    const tge = (hcr & (1 << 27)) !== 0;
    // Physical IRQ
    if (this.irqLine) {
      const toEl2 = (hcr & (1 << 4)) !== 0 || tge;
      if (toEl2) {
        if (el < 2 || !(this.daif & 2)) return this.takeInterrupt(2, 'irq');
      } else if (el < 2 && !(this.daif & 2)) {
        return this.takeInterrupt(1, 'irq');
      }
    }
    if (this.fiqLine) {
      const toEl2 = (hcr & (1 << 3)) !== 0 || tge;
      if (toEl2) {
        if (el < 2 || !(this.daif & 1)) return this.takeInterrupt(2, 'fiq');
      } else if (el < 2 && !(this.daif & 1)) {
        return this.takeInterrupt(1, 'fiq');
      }
    }
    // Virtual interrupts: only at EL1/EL0, only with IMO/FMO/AMO set and TGE clear. HCR_EL2.VI/VF
    // or the GIC virtual CPU interface assert vIRQ/vFIQ; HCR_EL2.VSE asserts a virtual SError.
    // We choose QEMU's priority order among pending asynchronous exceptions (FIQ, IRQ, vIRQ, vFIQ, vSError).
    if (el < 2 && !tge) {
      if ((hcr & (1 << 4)) && ((hcr & (1 << 7)) || this.vIrqLine) && !(this.daif & 2)) return this.takeInterrupt(1, 'irq');
      if ((hcr & (1 << 3)) && ((hcr & (1 << 6)) || this.vFiqLine) && !(this.daif & 1)) return this.takeInterrupt(1, 'fiq');
      if ((hcr & (1 << 5)) && (hcr & (1 << 8)) && !(this.daif & 4)) {
        // Virtual SError: ESR_EL1 = SError syndrome with ISS from VSESR_EL2 (0 without FEAT_RAS);
        // taking it clears HCR_EL2.VSE. DDI0487 D1.14.5
        this.sys[this.slotHCR_EL2 * 2] = (hcr & ~(1 << 8)) >>> 0;
        this.takeException(1, synSError(0), 'serror', this.pcLo, this.pcHi);
        return true;
      }
    }
    return false;
  }

  /** True if an interrupt is pending for this PE regardless of masking (wakes WFI). */
  interruptPending(): boolean {
    const hcr = this.hcrLo();
    if (this.irqLine || this.fiqLine) return true;
    if (this.el < 2 && !(hcr & (1 << 27))) {
      if ((hcr & (1 << 4)) && ((hcr & (1 << 7)) || this.vIrqLine)) return true;
      if ((hcr & (1 << 3)) && ((hcr & (1 << 6)) || this.vFiqLine)) return true;
      if ((hcr & (1 << 5)) && (hcr & (1 << 8))) return true;
    }
    return false;
  }

  /** ISR_EL1 value: pending A/I/F as seen from the current EL (virtual when AMO/IMO/FMO route them). DDI0487 D17.2.84 */
  isrValue(): number {
    const hcr = this.hcrLo();
    const virt = this.el < 2 && !(hcr & (1 << 27));
    let v = 0;
    if (virt && (hcr & (1 << 4))) { if ((hcr & (1 << 7)) || this.vIrqLine) v |= 1 << 7; } else if (this.irqLine) v |= 1 << 7;
    if (virt && (hcr & (1 << 3))) { if ((hcr & (1 << 6)) || this.vFiqLine) v |= 1 << 6; } else if (this.fiqLine) v |= 1 << 6;
    if (virt && (hcr & (1 << 5)) && (hcr & (1 << 8))) v |= 1 << 8;
    return v;
  }

  private takeInterrupt(target: number, kind: 'irq' | 'fiq'): boolean {
    // Preferred return address of an interrupt: the next instruction to execute (the current PC).
    // Cost model: an interrupt another PE sent cannot be taken before it arrives (IPI latency).
    if (this.cost !== null && this.irqLine && this.irqArrival > this.now()) this.charge(this.irqArrival - this.now());
    this.takeException(target, 0, kind, this.pcLo, this.pcHi);
    return true;
  }

  // ---------------------------------------------------------------- memory access

  /**
   * Translates a data address and checks alignment. Throws EXCEPTION_TAKEN after raising the
   * abort. `iss` is the instruction part of a data-abort syndrome (see issLdSt).
   */
  private xlate(vlo: number, vhi: number, acc: Acc, size: number, iss: number, mustAlign: boolean): number {
    // The common case first, kept small so that V8 inlines the whole load/store path into each
    // executor (a call left out of line boxes address halves >= 2^31 into heap numbers: an
    // allocation per kernel access). Everything else, with the same results, is xlateSlow().
    if ((vlo & (size - 1)) === 0 && this.accessHook === null) {
      if (!this.flatData) {
        const t = this.mmuTranslate;
        if (t !== null) return t(this, vlo, vhi, acc, iss, size);
      } else if (vhi < this.flatPaLimitHi) {
        return vhi * TWO32 + vlo;
      }
    }
    return this.xlateSlow(vlo, vhi, acc, size, iss, mustAlign);
  }

  private xlateSlow(vlo: number, vhi: number, acc: Acc, size: number, iss: number, mustAlign: boolean): number {
    if ((vlo & (size - 1)) !== 0 && (mustAlign || (this.sctlrCurrent() & 2) !== 0 || this.flatDeviceAlignment())) {
      this.dataAbort(vlo, vhi, acc, iss, FSC.ALIGNMENT, false, 0);
    }
    if (this.flatData) {
      // Stage 1 off and no Stage 2: PA = VA; bits above the implemented PA size give an
      // Address size fault at level 0 (DDI0487 D8.2.10).
      if (vhi >= this.flatPaLimitHi) this.dataAbort(vlo, vhi, acc, iss, FSC.addressSize(0), false, 0);
      const flat = vhi * TWO32 + vlo;
      if (this.accessHook !== null) this.accessHook(this, vlo, vhi, flat, size, acc);
      return flat;
    }
    // No MMU module installed: behave as flat (README "Limits").
    const pa = this.mmuTranslate === null ? vhi * TWO32 + vlo : this.mmuTranslate(this, vlo, vhi, acc, iss, size);
    if (this.accessHook !== null) this.accessHook(this, vlo, vhi, pa, size, acc);
    return pa;
  }

  /**
   * With the stage-1 MMU off, data accesses are Device-nGnRnE and unaligned accesses fault
   * (DDI0487 B2.5.2). QEMU 7.2 does not model this, so the board can turn it off to match.
   */
  strictFlatAlignment = false;
  private flatDeviceAlignment(): boolean {
    return this.strictFlatAlignment && (this.sctlrCurrent() & 1) === 0 && !(this.el < 2 && (this.hcrLo() & (1 << 12)));
  }

  /** Raises a data abort for (vlo, vhi); never returns. */
  dataAbort(vlo: number, vhi: number, acc: Acc, iss: number, fsc: number, stage2: boolean, ipa: number, s1ptw = 0): never {
    let target = this.syncTargetEL();
    if (stage2) target = 2;
    const sameEl = target === this.el;
    const wnr = acc === Acc.Write ? 1 : 0;
    // ISV: the Arm ARM sets it in ESR_EL2 only for stage-2 aborts; we choose QEMU 7.2's rule
    // (merge_syn_data_abort): any data abort taken to EL2, except on a stage-1 walk, carries the
    // instruction syndrome when the instruction has one (differential corpus 041-align).
    const esr = synDataAbort(sameEl, iss, target === 2 && !s1ptw, 0, 0, s1ptw, wnr, fsc);
    const hpfar = stage2 ? Math.floor(ipa / 4096) * 16 : undefined;
    this.takeException(target, esr, 'sync', this.pcLo, this.pcHi, vlo, vhi, hpfar);
    throw EXCEPTION_TAKEN;
  }

  private busFault(vlo: number, vhi: number, acc: Acc, iss: number): never {
    this.mem.fault = BusError.None;
    this.dataAbort(vlo, vhi, acc, iss, FSC.SYNC_EXTERNAL, false, 0);
  }

  /** Loads 1, 2 or 4 bytes (zero-extended). */
  read(vlo: number, vhi: number, size: number, iss: number, mustAlign = false): number {
    if (!this.flatData && (vlo & 0xfff) + size > 4096) return this.readCrossPage(vlo, vhi, size, iss, mustAlign);
    const pa = this.xlate(vlo, vhi, Acc.Read, size, iss, mustAlign);
    const v = this.mem.read(pa, size, this.id);
    if (this.mem.fault !== BusError.None) this.busFault(vlo, vhi, Acc.Read, iss);
    return v;
  }

  /** Loads 8 bytes; returns the low word, high word in this.rhi. */
  rhi = 0;
  read64(vlo: number, vhi: number, iss: number, mustAlign = false): number {
    const pa = this.xlate(vlo, vhi, Acc.Read, 8, iss, mustAlign);
    // The page offset of the PA is the VA's (translation maps whole 4 KiB pages).
    if ((vlo & (PAGE_SIZE - 1)) > PAGE_SIZE - 8 && !this.flatData) return this.read64CrossPage(vlo, vhi, iss);
    const mem = this.mem;
    mem.read64(pa, this.id);
    if (mem.fault !== BusError.None) this.busFault(vlo, vhi, Acc.Read, iss);
    this.rhi = mem.out.hi;
    return mem.out.lo;
  }

  /** read64 across a page with translation on: the second half is translated separately. */
  private read64CrossPage(vlo: number, vhi: number, iss: number): number {
    const lo = this.read(vlo, vhi, 4, iss);
    const n = vlo + 4;
    this.rhi = this.read(n >>> 0, (vhi + (n >= TWO32 ? 1 : 0)) >>> 0, 4, iss);
    return lo;
  }

  /**
   * An unaligned access that crosses a page with translation on: each byte is translated on
   * its own (both pages are checked before anything is written, as an access is single-copy
   * atomic only at byte granularity here).
   */
  private readCrossPage(vlo: number, vhi: number, size: number, iss: number, mustAlign: boolean): number {
    this.xlate(vlo, vhi, Acc.Read, size, iss, mustAlign); // alignment check and first-page translation
    let v = 0;
    for (let i = size - 1; i >= 0; i--) {
      const a = vlo + i;
      v = v * 256 + this.read(a >>> 0, (vhi + (a >= TWO32 ? 1 : 0)) >>> 0, 1, iss);
    }
    return v >>> 0;
  }

  private writeCrossPage(vlo: number, vhi: number, size: number, value: number, iss: number, mustAlign: boolean): void {
    this.xlate(vlo, vhi, Acc.Write, size, iss, mustAlign);
    const pas: number[] = [];
    for (let i = 0; i < size; i++) {
      const a = vlo + i;
      pas.push(this.xlate(a >>> 0, (vhi + (a >= TWO32 ? 1 : 0)) >>> 0, Acc.Write, 1, iss, false));
    }
    for (let i = 0; i < size; i++) {
      this.mem.write(pas[i], 1, (value >>> (8 * i)) & 0xff, this.id);
      if (this.mem.fault !== BusError.None) this.busFault(vlo, vhi, Acc.Write, iss);
    }
  }

  write(vlo: number, vhi: number, size: number, value: number, iss: number, mustAlign = false): void {
    if (!this.flatData && (vlo & 0xfff) + size > 4096) { this.writeCrossPage(vlo, vhi, size, value, iss, mustAlign); return; }
    const pa = this.xlate(vlo, vhi, Acc.Write, size, iss, mustAlign);
    this.mem.write(pa, size, value, this.id);
    if (this.mem.fault !== BusError.None) this.busFault(vlo, vhi, Acc.Write, iss);
  }

  write64(vlo: number, vhi: number, lo: number, hi: number, iss: number, mustAlign = false): void {
    const pa = this.xlate(vlo, vhi, Acc.Write, 8, iss, mustAlign);
    if ((vlo & (PAGE_SIZE - 1)) > PAGE_SIZE - 8 && !this.flatData) { this.write64CrossPage(vlo, vhi, lo, hi, iss); return; }
    const mem = this.mem;
    mem.write64(pa, lo, hi, this.id);
    if (mem.fault !== BusError.None) this.busFault(vlo, vhi, Acc.Write, iss);
  }

  /** write64 across a page with translation on: two 4-byte stores, each translated. */
  private write64CrossPage(vlo: number, vhi: number, lo: number, hi: number, iss: number): void {
    this.write(vlo, vhi, 4, lo, iss);
    const n = vlo + 4;
    this.write(n >>> 0, (vhi + (n >= TWO32 ? 1 : 0)) >>> 0, 4, hi, iss);
  }

  /** Physical address of a data access without performing it (exclusives need it). */
  translateData(vlo: number, vhi: number, acc: Acc, size: number, iss: number, mustAlign: boolean): number {
    return this.xlate(vlo, vhi, acc, size, iss, mustAlign);
  }

  // ---------------------------------------------------------------- fetch and run

  /** Instruction word at PC without side effects (for events and the debugger); 0 if unreadable. */
  peekInsn(): number {
    const pa = this.pcHi * TWO32 + this.pcLo;
    const p = this.mem.ramPage(pa);
    return p ? p.getUint32(pa % PAGE_SIZE, true) : 0;
  }

  /** Translates the PC for an instruction fetch; raises the abort and returns -1 on failure. */
  private fetchPa(): number {
    const lo = this.pcLo, hi = this.pcHi;
    if (lo & 3) { this.takeException(this.syncTargetEL(), synPcAlign(), 'sync', lo, hi, lo, hi); return -1; }
    let pa: number;
    if (this.flatData) {
      if (hi >= this.flatPaLimitHi) { this.insnAbort(FSC.addressSize(0)); return -1; }
      pa = hi * TWO32 + lo;
    } else if (this.mmuTranslate) {
      try {
        pa = this.mmuTranslate(this, lo, hi, Acc.Fetch, 0, 4);
      } catch (e) {
        if (e instanceof ExceptionTaken) return -1;
        throw e;
      }
    } else {
      pa = hi * TWO32 + lo;
    }
    if (!this.mem.isRam(pa)) { this.insnAbort(FSC.SYNC_EXTERNAL); return -1; }
    return pa;
  }

  insnAbort(ifsc: number, stage2 = false, ipa = 0, s1ptw = 0): void {
    const target = stage2 ? 2 : this.syncTargetEL();
    const hpfar = stage2 ? Math.floor(ipa / 4096) * 16 : undefined;
    this.takeException(target, synInsnAbort(target === this.el, 0, s1ptw, ifsc), 'sync', this.pcLo, this.pcHi, this.pcLo, this.pcHi, hpfar);
  }

  /**
   * Runs up to `budget` instructions. Returns the number executed (an exception entry
   * without an instruction, such as an interrupt, counts as one step).
   */
  run(budget: number): number {
    let executed = 0;
    const mem = this.mem;
    // With a cost profile the budget is modelled cycles (executed + costExtra); without, instructions.
    while (executed + this.costExtra < budget) {
      if (this.stopRequested || this.power !== PowerState.On) break;
      this.sliceExecuted = executed;
      // Straight-line code split by a budget or a pause goes on without an interrupt check, as it
      // would have in one slice (so the instruction stream does not depend on how runs are cut).
      const resume = this.resumeMidBlock;
      this.resumeMidBlock = false;
      if (!resume) this.recheckIrq = false;
      if (this.cycles + executed + this.costExtra >= this.eventDeadline) this.board.onDeadline?.(this);
      if (!resume && this.checkInterrupts()) { executed++; continue; }
      if (this.waiting) break;
      if (this.dbgMode !== 0 && needsDebugSlowPath(this)) {
        // Self-hosted debug needs a check before every instruction of this block.
        if (this.runDebugged(executed)) executed++;
        continue;
      }
      if (this.il) {
        // PSTATE.IL set by an illegal exception return: the next instruction faults.
        this.takeException(this.syncTargetEL(), synIllegalState(), 'sync', this.pcLo, this.pcHi);
        executed++;
        continue;
      }
      const pa = this.fetchPa();
      if (pa < 0) { executed++; continue; }
      const page = this.board.codePage(pa)!;
      // The page's DataView is looked up on each decode miss: a store into this page after a
      // snapshot replaces it (copy-on-write, memory.ts), and the store invalidated the slot.
      const pageIdx = Math.floor((pa - mem.ramBase) / PAGE_SIZE);
      if (mem.pages[pageIdx] === undefined) mem.ramPage(pa);
      let idx = (pa % PAGE_SIZE) >>> 2;
      const baseLo = this.pcLo - idx * 4;   // VA of the page start (page offsets are equal in VA and PA)
      const pageHi = this.pcHi;
      // End the inner loop at the budget or at the next timer deadline, whichever comes first.
      // Charges (costExtra) lower sliceLimit as they happen, so the inner loop's single compare
      // `executed >= sliceLimit` stays exact in modelled cycles.
      const toDeadline = this.eventDeadline - this.cycles;
      this.sliceLimit = Math.max((toDeadline < budget ? toDeadline : budget) - this.costExtra, executed + 1);
      const jit = this.jit;
      if (jit !== null) jit.head(this, page, pageIdx, idx);
      try {
        for (;;) {
          let f = page[idx];
          if (f === undefined) f = page[idx] = this.decoder(mem.pages[pageIdx]!.getUint32(idx << 2, true));
          this.sliceExecuted = executed;
          executed++;
          const flow = f(this);
          if (flow !== Flow.Next) {
            // A compiled region ran (src/sim/jit): it returns as a branch would.
            if (this.regionRan !== 0) { executed += this.regionRan; this.regionRan = 0; }
            if (flow === Flow.Stop || this.recheckIrq) break;
            // Jump (a branch: same translation regime). Stay in this page when the target is in it.
            const d = this.pcLo - baseLo;
            if (!(d >= 0 && d < 4096 && this.pcHi === pageHi && (d & 3) === 0)) break;
            if (executed >= this.sliceLimit || this.stopRequested) { this.splitBlock(executed); break; }
            idx = d >>> 2;
            if (jit !== null) jit.head(this, page, pageIdx, idx);
            continue;
          }
          idx++;
          if (idx === 1024) {
            const n = baseLo + 4096;
            this.pcLo = n >>> 0;
            if (n >= TWO32) this.pcHi = (this.pcHi + 1) >>> 0;
            break;
          }
          this.pcLo = (baseLo + idx * 4) >>> 0;
          // stopRequested: debugger pause, an event-triggered stop, or machine halt.
          if (executed >= this.sliceLimit || this.stopRequested) { this.splitBlock(executed); break; }
        }
      } catch (e) {
        if (!(e instanceof ExceptionTaken)) throw e;
      }
    }
    this.instret += executed;
    this.cycles += executed + this.costExtra;
    this.costExtra = 0;
    this.sliceExecuted = 0;
    return executed;
  }

  /**
   * The debug slow path: one instruction with the self-hosted debug checks before it, in the
   * order of the synchronous exception priorities (DDI0487 D1, "Prioritization of synchronous
   * exceptions"): a pending software step, then the fetch (PC alignment, Instruction Abort), then
   * a hardware breakpoint, then an illegal execution state. The debugger's own breakpoints are asked first of all after
   * the fetch: they are outside the machine, so a DAP breakpoint at the address of a guest
   * DBGBVR breakpoint stops the debugger before the guest's exception, which is then taken when
   * the user continues. Returns false when nothing ran (the debugger stopped).
   */
  private runDebugged(executed: number): boolean {
    const mode = this.dbgMode;
    this.sliceExecuted = executed;
    this.sliceLimit = executed + 1;
    if ((mode & DebugMode.Step) !== 0 && this.ss === 0) { takeSoftwareStepException(this); return true; }
    const pa = this.fetchPa();
    if (pa < 0) return true;
    const bp = (mode & DebugMode.Breakpoints) !== 0 && breakpointMatches(this);
    if (this.codeBreakpointCheck !== null && this.codeBreakpointCheck(this, pa, !bp && !this.il)) return false;
    if (bp) { takeBreakpointException(this); return true; }
    if (this.il) { this.takeException(this.syncTargetEL(), synIllegalState(), 'sync', this.pcLo, this.pcHi); return true; }
    const mem = this.mem;
    const page = this.board.codePage(pa)!;
    const pageIdx = Math.floor((pa - mem.ramBase) / PAGE_SIZE);
    const view = mem.pages[pageIdx] ?? mem.ramPage(pa)!;
    const idx = (pa % PAGE_SIZE) >>> 2;
    const word = view.getUint32(idx << 2, true);
    let f = page[idx];
    if (f === undefined) f = page[idx] = this.decoder(word);
    if ((mode & DebugMode.Step) !== 0) {
      // Active-not-pending: this instruction is stepped. PSTATE.SS is cleared as it completes
      // (done first here; an exception it takes saves SPSR.SS = 1 through stepInsn).
      this.ss = 0;
      this.stepInsn = 1;
      this.stepDone = 1;
      this.stepEx = isLoadExclusive(word) ? 1 : 0;
    }
    try {
      if (f(this) === Flow.Next) {
        const n = this.pcLo + 4;
        this.pcLo = n >>> 0;
        if (n >= TWO32) this.pcHi = (this.pcHi + 1) >>> 0;
      }
    } catch (e) {
      if (!(e instanceof ExceptionTaken)) throw e;
    }
    this.stepInsn = 0;
    return true;
  }

  /**
   * Set when a run slice ended inside straight-line code because of its budget or a stop request
   * (not a block end, an exception or a timer deadline): the next slice continues without the
   * interrupt check, exactly as one longer slice would. A breakpoint stop sets it too. This makes
   * run(a) + run(b) execute what run(a + b) does, which reverse execution relies on.
   */
  resumeMidBlock = false;

  private splitBlock(executed: number): void {
    this.resumeMidBlock = this.cycles + executed + this.costExtra < this.eventDeadline;
  }

  /** Charges `n` modelled cycles to the current run slice (cost model; see `cost`). */
  charge(n: number): void {
    this.costExtra += n;
    this.sliceLimit -= n;
  }

  /** The PE's time in cycles, exact in the middle of a run slice (generic counter = now() / cyclesPerTick). */
  now(): number { return this.cycles + this.sliceExecuted + this.costExtra; }

  /**
   * An interrupt line rose (a device or another PE changed it): re-check the lines at the end of
   * the current block, i.e. after the next branch or block-ending instruction (system-register
   * writes and ISB end it at once). QEMU's TCG likewise recognizes an interrupt raised by an MMIO
   * store at the end of the translation block; the architecture only requires it eventually.
   */
  kick(): void { this.recheckIrq = true; }

  /**
   * Reads the generic counter into srLo/srHi. CNTVCT = CNTPCT - CNTVOFF_EL2 (mod 2^64), except
   * that the offset is zero at EL2 with E2H and at EL0 with E2H and TGE (DDI0487 D11.2.2).
   */
  readCounter(virtual: boolean): void {
    const t = Math.floor(this.now() / this.board.cyclesPerTick);
    let lo = t % TWO32 >>> 0, hi = Math.floor(t / TWO32) >>> 0;
    if (virtual && !((this.el === 2 && this.e2h()) || (this.el === 0 && this.e2h() && this.tge()))) {
      const d = lo - this.sys[this.slotCNTVOFF_EL2 * 2];
      lo = d >>> 0;
      hi = (hi - this.sys[this.slotCNTVOFF_EL2 * 2 + 1] - (d < 0 ? 1 : 0)) >>> 0;
    }
    this.srLo = lo;
    this.srHi = hi;
  }

  /** Program counter as a JS number (exact below 2^53) — for tools, not the hot path. */
  get pc(): number { return this.pcHi * TWO32 + this.pcLo; }

  describe(): string {
    return `CPU${this.id} EL${this.el} PC=${hex64(this.pcLo, this.pcHi)}`;
  }
}

export { EC };
