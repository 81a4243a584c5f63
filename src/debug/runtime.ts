// The machine-facing half of the debugger (as mockRuntime.ts is to mockDebug.ts in
// microsoft/vscode-mock-debug): loads the program into a Machine, runs it in slices that yield
// to the event loop (so a pause request is seen within a few milliseconds), owns breakpoints,
// watchpoints, exception filters and stepping, and maps machine events to stops. It knows
// nothing of DAP: the session (session.ts) translates requests into calls here and the
// `stopped` / `output` / `exited` events into DAP events.
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { Machine, type MachineOptions } from '../sim/machine';
import { openDrives } from '../sim/devices/file-backend';
import { PowerState, SP, type PE } from '../sim/pe';
import type { EventName, ExceptionEntryEvent, MachineEvents } from '../sim/events';
import { BreakpointEngine, type CodeBreakpoint, type Watchpoint, type WatchAccess } from '../sim/breakpoints';
import { loadProgram, readKernelFiles, type ProgramImage } from '../asm/program';
import { bootKernel, type BootFiles } from '../sim/boot/linux-boot';
import { disassemble } from '../asm/a64/index';
import { evaluate, interpolate, interpolateWith, parseHitCondition, checkSyntax, ExprError, type ExprEnv } from './expressions';
import { EXCEPTION_FILTERS, STUCK_FILTER, describeCause, describeEntry, type ExceptionFilterDef, type FieldValues } from './exception-filters';
import { stuckHint, type StuckReport } from '../sim/stuck';
import { lookupRegister } from './variables';
import { evaluateC, evaluateCScalar, checkCSyntax, resultBytes, CExprError, type CScope } from './c-expr';
import { cScope, programTypeNameTest, showResult } from './c-scope';
import { frameVariables, leBytes, visibleVariables, type FrameReader, type VisibleVariable } from './c-frame';
import type { DwarfInfo } from '../dwarf/dwarf';
import { DwarfError } from '../dwarf/reader';
import { Timeline } from './timeline';
import { unwindContext, type CFrameState, type StackEnv } from './call-stack';
import { DW_REG_PC, DW_REG_SP } from '../dwarf/unwind';
import { KernelView } from './kernel-view';
import { profileGuestExit, type ExitProfile } from './exit-profile';
import type { MachineDigest } from '../sim/snapshot';
import { pageTables as pageTableTree } from '../sim/mmu/tables';

const TWO32 = 4294967296;

// ---------------------------------------------------------------- public types

export interface LaunchConfig {
  /** `.S`/`.s` assembly source or an ELF64 executable (or give `kernel`). */
  program?: string;
  /** Linux boot protocol (src/sim/boot/linux-boot.ts): arm64 Image, .flat, gzip, ELF or raw binary. */
  kernel?: string;
  /** Initial ramdisk for `kernel`. */
  initrd?: string;
  /** Kernel command line (/chosen/bootargs). */
  append?: string;
  /** Device tree blob to use instead of the generated one. */
  dtb?: string;
  stopOnEntry?: boolean;
  cores?: number;
  gic?: 'v2' | 'v3';
  /** RAM size in MiB. */
  memory?: number;
  entryEL?: 1 | 2;
  /** CPU model ('cortex-a57', 'max', …). */
  cpu?: string;
  /** Cost profile name or .json path (src/sim/cost); absent: one cycle per instruction. */
  profile?: string;
  /** Print machine events (exception entry/return, VM switches, GIC events) to the Debug Console. */
  trace?: boolean;
  /** Stop (as a pause) after this many instructions in total. */
  maxInstructions?: number;
  /** Reverse execution: instructions between machine snapshots (default 1,000,000). */
  snapshotInterval?: number;
  /** virtio-blk disks: FILE[,readonly][,serial=ID] each (src/sim/devices/file-backend.ts). */
  drives?: string[];
  /** A virtio console after the drives. */
  virtioConsole?: boolean;
  /** The WebAssembly region compiler (src/sim/jit); on unless false. */
  jit?: boolean;
}

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'instruction breakpoint' | 'data breakpoint' | 'exception' | 'pause' | 'goto';

export interface StopInfo {
  reason: StopReason;
  peId: number;
  /** Short text for the stopped event. */
  description?: string;
  text?: string;
  hitBreakpointIds?: number[];
  /** For reason 'exception': the filter and the event. */
  exception?: { filterId: string; label: string; description: string; details?: string; fields: FieldValues };
  /** Internal stops (step helpers) never reach the UI. */
  internal?: boolean;
}

export interface SourceLocation { file: string; line: number }

export type BreakpointKind = 'source' | 'function' | 'instruction';

export interface BreakpointSpec {
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface BreakpointResult {
  id: number;
  verified: boolean;
  message?: string;
  address?: number;
  /** The exact address as hex, when `address` (a number) cannot hold it (kernel VAs). */
  addressText?: string;
  line?: number;
  file?: string;
}

export type AddressSpace = 'va' | 'ipa' | 'pa';

export interface DataBreakpointSpec extends BreakpointSpec {
  space: AddressSpace;
  address: number;
  bytes: number;
  access: 'read' | 'write' | 'readWrite';
}

/** One frame of a PE's call stack (innermost first). */
export interface FrameInfo {
  /** Address of the instruction shown (the call instruction for callers). */
  pc: number;
  name: string;
  el: number;
  /** Index into the PE's contexts: 0 = live registers, n = the state saved at the n-th exception entry (innermost first). */
  context: number;
  synthetic: boolean;
  source?: SourceLocation;
  /** Registers and scope of a frame the DWARF describes (for its C variables). */
  c?: CFrameState;
  /** The exact 64-bit PC when `pc` (a number) cannot hold it (kernel VAs). */
  pcExact?: bigint;
}

/** Registers of an interrupted context, captured at exception entry (GPRs are not banked). */
export interface SavedContext {
  from: number;
  to: number;
  kind: ExceptionEntryEvent['kind'];
  ec: number;
  esr: number;
  elr: number;
  far?: number;
  hpfar?: number;
  /** X0..X30 and SP of the interrupted context: x[2n], x[2n+1]; SP at [62], [63]. */
  regs: Uint32Array;
  /** PSTATE of the interrupted context (as saved in SPSR). */
  spsr: number;
  /** Address of the instruction that caused the exception (ELR-4 for SVC/HVC/SMC). */
  insnAddr: number;
  /** The same, exact (kernel VAs do not fit a number). */
  insnAddrExact: bigint;
  label: string;
}

/**
 * A recorded machine event for the trace panel. `retired` is its position in the execution
 * history (timeline.ts): the first instruction boundary at which the event has happened — for
 * an exception entry, the first instruction of the vector, where an `el-entry` filter stops.
 * `armvirt/travel` goes back (or forward) to it.
 */
export interface TraceRecord { seq: number; cycle: number; pe: number; type: string; text: string; retired: number; data: Record<string, unknown> }

/** An exception filter enabled by a custom request (a panel), kept apart from the client's list. */
export interface ExtraFilter { filterId: string; condition?: string }

/** Providers of panel data (GIC, timers, page tables); the machine parts plug in here. */
export interface PanelProviders {
  gic?(peId: number): unknown;
  timers?(peId: number): unknown;
  pageTables?(peId: number, args: Record<string, unknown>): unknown;
}

class UserBreakpoint implements CodeBreakpoint {
  hits = 0;
  /** Kernel symbols (kernel-view.ts): the PA to watch, and the regime the code must run in to stop. */
  pas?: readonly number[];
  regime?: 'kernel' | 'hyp';
  constructor(
    readonly id: number, readonly kind: BreakpointKind, readonly va: number, readonly spec: BreakpointSpec,
    private readonly rt: Runtime, readonly hitTest: ((n: number) => boolean) | undefined,
  ) {}

  hit(pe: PE): boolean {
    if (this.regime !== undefined && this.rt.kernel?.regime(pe) !== this.regime) return false;
    if (this.spec.condition) {
      try {
        if (this.rt.conditionValue(pe, this.spec.condition) === 0n) return false;
      } catch (e) {
        this.rt.requestStop({ reason: stopReasonOf(this.kind), peId: pe.id, hitBreakpointIds: [this.id], text: `breakpoint condition error: ${(e as Error).message}` });
        return true;
      }
    }
    this.hits++;
    if (this.hitTest && !this.hitTest(this.hits)) return false;
    if (this.spec.logMessage !== undefined) {
      this.rt.log(this.rt.logText(pe, this.spec.logMessage) + '\n', 'console');
      return false;
    }
    this.rt.requestStop({ reason: stopReasonOf(this.kind), peId: pe.id, hitBreakpointIds: [this.id] });
    return true;
  }
}

function stopReasonOf(kind: BreakpointKind): StopReason {
  return kind === 'function' ? 'function breakpoint' : kind === 'instruction' ? 'instruction breakpoint' : 'breakpoint';
}

/** BL / BLR / BLRAA…: instructions that call (step over treats them as one step). */
export function isCall(word: number): boolean {
  return ((word & 0xfc000000) >>> 0) === 0x94000000 || ((word & 0xfffffc1f) >>> 0) === 0xd63f0000 || ((word & 0xfefff800) >>> 0) === 0xd63f0800;
}

const hex = (v: number): string => `0x${v.toString(16)}`;

type Outcome = { kind: 'stop'; stop: StopInfo } | { kind: 'exit'; code: number } | { kind: 'error'; message: string };

// ---------------------------------------------------------------- the runtime

export class Runtime extends EventEmitter {
  machine!: Machine;
  program!: ProgramImage;
  /** The boot protocol's files when launched with `kernel` (undefined for `program`). */
  private bootFiles: BootFiles | undefined;
  engine!: BreakpointEngine;
  config!: LaunchConfig;
  panels: PanelProviders = {};

  private nextBpId = 1;
  private sourceBps = new Map<string, UserBreakpoint[]>();
  private functionBps: UserBreakpoint[] = [];
  private instructionBps: UserBreakpoint[] = [];
  private dataBps: { id: number; spec: DataBreakpointSpec; wp: Watchpoint }[] = [];
  private filters: { def: ExceptionFilterDef; condition?: string }[] = [];
  /** The client has sent its filter list (until then, filters with `default: true` are on). */
  private filtersSet = false;
  /**
   * Filters added by armvirt/setExceptionFilter (the GIC panel's "break on this LR"). DAP clients
   * replace their whole filter list with every setExceptionBreakpoints, and VS Code has no API
   * for an extension to add to that list; kept separately, these survive the client's updates.
   */
  private extraFilters: { def: ExceptionFilterDef; condition?: string }[] = [];
  private filterUnsubs: (() => void)[] = [];
  private contexts: SavedContext[][] = [];
  private pendingStop: StopInfo | undefined;
  private pauseRequested = false;
  private running = false;
  /** Console input not yet handed to the guest (consoleInput), and the run loop waiting for some. */
  private consoleQueue: Uint8Array[] = [];
  private inputWaiter: (() => void) | null = null;
  private inputWaitSaid = false;
  private outputBuf: string[] = [];
  private chunk = 200_000;
  /** Execution history for stepBack / reverseContinue (timeline.ts). */
  timeline!: Timeline;
  /** Re-executing the past: 'plain' with breakpoints, watchpoints and filters off; 'record' to find the last stop. */
  private replay: 'off' | 'plain' | 'record' = 'off';
  private totalExecuted = 0;
  private trace: TraceRecord[] = [];
  private traceSeq = 0;
  private sortedSymbols: { name: string; value: number; size: number }[] = [];
  /** Kernel-aware view (kallsyms, regimes, tasks) of a Linux Image launched with `kernel`; undefined otherwise. */
  kernel: KernelView | undefined;
  /** The last guest exit profiled by function (profileExit; armvirt/exitProfile), for the Timeline panel. */
  lastExitProfile: ExitProfile | undefined;
  private lastStop: StopInfo | undefined;
  private conditionWarned = new Set<string>();
  exited = false;

  // ---------------------------------------------------------------- lifecycle

  /** The open disk files of `drives` (reopened at each boot, flushed and closed by close()). */
  private disks: ReturnType<typeof openDrives> | null = null;

  /** Loads the program and builds the machine. Throws ProgramError / RangeError with a readable message. */
  launch(config: LaunchConfig): void {
    const abs = (f: string | undefined): string | undefined => (f === undefined ? undefined : path.resolve(f));
    this.config = { ...config, program: abs(config.program), kernel: abs(config.kernel), initrd: abs(config.initrd), dtb: abs(config.dtb) };
    this.loadImage();
    this.sortedSymbols = this.program.symbols
      .filter((s) => s.type !== 'object' && s.type !== 'section' && s.type !== 'file')
      .map((s) => ({ name: s.name, value: s.value, size: s.size }))
      .sort((a, b) => a.value - b.value);
    this.boot();
    if (this.program.lineMapError) this.log(`armvirt: ignoring DWARF line information: ${this.program.lineMapError}\n`, 'console');
    if (config.profile) this.log(`armvirt: cost profile '${config.profile}': cycles and CNTVCT follow its modelled costs\n`, 'console');
  }

  /** (Re)creates the machine, loads the image and re-applies breakpoints, watchpoints and filters. */
  private boot(): void {
    const c = this.config;
    this.close();
    this.lastExitProfile = undefined;
    const specs = c.drives ?? [];
    const bad = specs.find((x) => typeof x !== 'string');
    if (bad !== undefined) throw new RangeError(`"drives" entries must be strings FILE[,readonly][,serial=ID] (got ${JSON.stringify(bad)})`);
    try {
      this.disks = openDrives(specs, (f) => path.resolve(f));
    } catch (e) {
      throw new RangeError(`"drives": ${(e as Error).message}`);
    }
    const opts: MachineOptions = {
      drives: this.disks.drives,
      virtioConsole: c.virtioConsole === true,
      jit: c.jit !== false,
      cores: c.cores, gic: c.gic, memoryMiB: c.memory, cpu: c.cpu,
      // The launch attribute wins over the program's ARMVIRT note (`.armvirt entry_el`), then EL2.
      entryEL: c.entryEL ?? this.program.entryEL,
      // Cost profile (src/sim/cost): cycles and the generic counter advance with modelled costs.
      cost: c.profile ? c.profile : undefined,
      output: (b) => { if (this.replay === 'off') this.outputBuf.push(Buffer.from(b).toString('latin1')); },
    };
    this.machine = new Machine(opts);
    if (this.bootFiles) {
      // Linux boot protocol: kernel, initrd and DTB at QEMU's addresses, X0 = DTB address.
      const plan = bootKernel(this.machine, this.bootFiles);
      for (const w of plan.warnings) this.log(`armvirt: ${w}\n`, 'console');
      this.kernel = undefined;
      const image = plan.format === 'image' ? plan.segments.find((s) => s.addr === plan.entry)?.data : undefined;
      if (image) {
        const v = KernelView.forImage(this.machine, image, plan.entry);
        if (typeof v === 'string') this.log(`armvirt: no kernel symbols: ${v}\n`, 'console');
        else {
          this.kernel = v;
          this.log(`armvirt: ${v.syms.symbols.length} kernel symbols from the Image's kallsyms\n`, 'console');
        }
      }
    } else {
      this.machine.load(this.program.segments, this.program.entry);
    }
    this.engine = new BreakpointEngine(this.machine, (va) => this.codePas(va));
    this.contexts = this.machine.pes.map(() => []);
    this.totalExecuted = 0;
    this.exited = false;
    this.pendingStop = undefined;
    this.trace = [];
    this.wireMachineEvents();
    for (const bp of this.allCodeBreakpoints()) this.engine.add(bp);
    this.applyWatchpoints();
    this.subscribeFilters();
    this.replay = 'off';
    this.timeline = new Timeline(this.machine, {
      saveExtra: () => this.contexts.map((c) => c.slice()),
      loadExtra: (x) => { this.contexts = (x as SavedContext[][]).map((c) => c.slice()); },
    }, { interval: c.snapshotInterval });
  }

  /**
   * Flushes and closes the disk files (the session ends, or a restart reopens them). Guest writes
   * reached the files as they happened; reverse execution does not undo them (README "Limits").
   */
  close(): void {
    this.disks?.close();
    this.disks = null;
  }

  /** Restart: reload the program from disk and reset the machine, keeping all breakpoints. */
  restart(): void {
    this.loadImage();
    this.boot();
  }

  /** Reads the program, or the boot protocol's files, from disk. */
  private loadImage(): void {
    const c = this.config;
    if (c.kernel !== undefined) {
      const { files, image } = readKernelFiles({ kernel: c.kernel, initrd: c.initrd, dtb: c.dtb, append: c.append });
      this.bootFiles = files;
      this.program = image;
    } else if (c.program !== undefined) {
      this.bootFiles = undefined;
      this.program = loadProgram(c.program);
    } else {
      throw new Error('launch: "program" (an assembly source or ELF) or "kernel" (a Linux Image) is required');
    }
  }

  private allCodeBreakpoints(): UserBreakpoint[] {
    return [...[...this.sourceBps.values()].flat(), ...this.functionBps, ...this.instructionBps];
  }

  private wireMachineEvents(): void {
    const bus = this.machine.bus;
    // Exception nesting (for the synthetic stack frames); always on: exceptions are rare next to instructions.
    bus.on('exceptionEntry', (e) => this.onEntry(e));
    bus.on('exceptionReturn', (e) => {
      if (e.illegal) return;
      const st = this.contexts[e.pe];
      // Pop the exception being returned from, then any stale entries above the EL returned to.
      if (st.length > 0 && st[st.length - 1].to === e.from) st.pop();
      while (st.length > 0 && st[st.length - 1].to > e.to) st.pop();
      this.record(e.pe, 'exceptionReturn', `ERET EL${e.from} → EL${e.to} at ${hex(e.pc)}${this.kernelFnAt(e.pe)}`, e as unknown as Record<string, unknown>);
    });
    const gicEvents: EventName[] = ['virqInjected', 'virqTaken', 'maintenanceIrq', 'timerFired', 'irqTaken', 'sgiSent', 'psciCpuOn'];
    for (const n of gicEvents) {
      if (!(n in bus.wants)) continue;
      bus.on(n, (e: MachineEvents[typeof n]) => {
        const pe = (e as { pe?: number; caller?: number; from?: number }).pe ?? (e as { caller?: number }).caller ?? (e as { from?: number }).from ?? 0;
        this.record(pe, n, `${n} ${JSON.stringify(e)}`, e as unknown as Record<string, unknown>);
      });
    }
    // Breakpoints are set on VAs: follow the guest's translation changes (DDI0487 D8: these
    // registers select the translation regime and tables).
    bus.on('sysregWrite', (e) => {
      if (this.engine.size > 0 && this.replay !== 'plain' && /^(SCTLR|TTBR[01]|TCR|HCR|VTTBR|VTCR)_EL[12]$/.test(e.name)) this.engine.refresh();
    });
    if (this.config.trace) {
      bus.on('sysregWrite', (e) => {
        if (e.name === 'VTTBR_EL2' || e.name === 'HCR_EL2') this.record(e.pe, 'sysregWrite', `MSR ${e.name} = 0x${(e.hi * TWO32 + e.lo).toString(16)}`, e as unknown as Record<string, unknown>);
      });
    }
  }

  private onEntry(e: ExceptionEntryEvent): void {
    const pe = this.machine.pes[e.pe];
    const regs = new Uint32Array(64);
    regs.set(pe.x.subarray(0, 62));
    const spsr = pe.sys[pe.slotSPSR[e.to] * 2];
    // SP of the interrupted context: the bank selected by the saved EL and SPSel.
    const bank = (spsr & 1) ? e.from : 0;
    regs[62] = pe.spBank[bank * 2];
    regs[63] = pe.spBank[bank * 2 + 1];
    const callLike = e.kind === 'sync' && (e.ec === 0x15 || e.ec === 0x16 || e.ec === 0x17);
    const insnAddr = callLike ? e.elr - 4 : e.elr;
    const elr = pe.slotELR[e.to] * 2;
    const insnAddrExact = ((BigInt(pe.sys[elr + 1] >>> 0) << 32n) | BigInt(pe.sys[elr] >>> 0)) - (callLike ? 4n : 0n);
    const cause = e.kind === 'sync' ? `${describeCause(e.ec, e.esr)} (EC 0x${e.ec.toString(16)})` : e.kind.toUpperCase();
    const label = `EL${e.to} ${e.kind} handler ← EL${e.from}${this.regimeNote(pe, e.from)} ${fmtAddrExact(insnAddrExact)}: ${cause}`;
    this.contexts[e.pe].push({ from: e.from, to: e.to, kind: e.kind, ec: e.ec, esr: e.esr, elr: e.elr, far: e.far, hpfar: e.hpfar, regs, spsr, insnAddr, insnAddrExact, label });
    if (this.contexts[e.pe].length > 16) this.contexts[e.pe].shift();
    this.record(e.pe, 'exceptionEntry', `${describeEntry(e)}${this.kernelFnAt(e.pe)}`, e as unknown as Record<string, unknown>);
  }

  /**
   * " in kvm_handle_exit": the kernel function a PE is at (an exception entry's vector, or where
   * an ERET lands), so Timeline segments of a Linux guest are named by kernel function.
   */
  private kernelFnAt(peId: number): string {
    if (!this.kernel || this.replay !== 'off') return '';
    const pe = this.machine.pes[peId];
    const s = this.kernel.symbolize(pe, (BigInt(pe.pcHi >>> 0) << 32n) | BigInt(pe.pcLo >>> 0));
    return s ? ` in ${s.name}` : '';
  }

  private record(pe: number, type: string, text: string, data: Record<string, unknown>): void {
    if (this.replay !== 'off') return; // re-executed history was recorded the first time
    const p = this.machine.pes[pe];
    const rec: TraceRecord = { seq: this.traceSeq++, cycle: p ? p.now() : 0, pe, type, text, retired: this.eventPosition(), data: { ...data } };
    this.trace.push(rec);
    if (this.trace.length > 4096) this.trace.splice(0, this.trace.length - 4096);
    if (this.config.trace) this.log(`[trace] cycle ${rec.cycle} CPU${pe}: ${text}\n`, 'console');
  }

  /**
   * History position of an event being emitted. PE.instret is only updated at the end of a run
   * slice; PE.sliceExecuted counts the steps of the running slice before the current one (0 on
   * the PEs not running). The event belongs to that step (or happens just before it, at a timer
   * deadline), so the first boundary that includes it is one step later.
   */
  private eventPosition(): number {
    let n = 1;
    for (const p of this.machine.pes) n += p.instret + p.sliceExecuted;
    return n;
  }

  /** Recent event records, oldest first. */
  traceRecords(since = -1, max = 1000): TraceRecord[] {
    const r = this.trace.filter((t) => t.seq > since);
    return r.slice(Math.max(0, r.length - max));
  }

  log(text: string, category: 'console' | 'stdout' | 'stderr' = 'console'): void {
    if (this.replay !== 'off') return;
    this.emit('output', text, category);
  }

  private flushOutput(): void {
    if (this.outputBuf.length === 0) return;
    const t = this.outputBuf.join('');
    this.outputBuf = [];
    this.emit('output', t, 'stdout');
  }

  // ---------------------------------------------------------------- program info

  get isAssembly(): boolean { return this.program.kind === 'asm' && this.program.assembly !== undefined; }

  /** Source files of the program (the main file and its includes). */
  sourceFiles(): string[] {
    return this.program.assembly ? this.program.assembly.files.map((f) => path.resolve(f)) : this.program.sourceFiles ?? [];
  }

  /** Source line of an address (assembly programs; ELF via DWARF .debug_line; ELF without DWARF has none). */
  sourceOf(addr: number): SourceLocation | undefined {
    const lm = this.program.lineMap ?? this.program.assembly?.lineMap;
    if (!lm || addr < 0) return undefined;
    const e = lm.lookup(BigInt(addr));
    if (!e || e.kind !== 'code') return undefined;
    return { file: path.resolve(e.file), line: e.line };
  }

  private lineKey(addr: number): string | undefined {
    const s = this.sourceOf(addr);
    return s && `${s.file}:${s.line}`;
  }

  /** Nearest symbol at or below `addr` (within its size, or 1 MiB when the size is unknown). */
  symbolize(addr: number): { name: string; offset: number } | undefined {
    const s = this.sortedSymbols;
    let lo = 0, hi = s.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].value <= addr) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return undefined;
    const sym = s[best];
    const off = addr - sym.value;
    if (sym.size > 0 ? off >= sym.size && off >= 0x100000 : off >= 0x100000) return undefined;
    return { name: sym.name, offset: off };
  }

  symbolAddress(name: string): number | undefined {
    return this.program.symbols.find((s) => s.name === name)?.value;
  }

  // ---------------------------------------------------------------- memory (debugger view)

  /** PA of `va` in the PE's current (or given EL's) translation regime, without side effects; undefined on a fault. */
  vaToPa(pe: PE, va: number, el = pe.el, access: 'read' | 'write' | 'fetch' = 'read'): number | undefined {
    const mmu = (this.machine as { mmu?: { translate(pe: PE, va: number, o: object): { ok: boolean; pa: number } } }).mmu;
    if (!mmu) return va;
    try {
      const r = mmu.translate(pe, va, { el, access, checkPermissions: false });
      return r.ok ? r.pa : undefined;
    } catch {
      return undefined;
    }
  }

  /** PA of an IPA through the current Stage 2 (identity when Stage 2 is off). */
  ipaToPa(pe: PE, ipa: number): number | undefined {
    const stage2On = (pe.hcrLo() & 1) !== 0;
    const mmu = (this.machine as { mmu?: { translate(pe: PE, va: number, o: object): { ok: boolean; pa: number } } }).mmu;
    if (!stage2On || !mmu) return ipa;
    const r = mmu.translate(pe, ipa, { el: 1, stage: 2, checkPermissions: false });
    return r.ok ? r.pa : undefined;
  }

  /**
   * Physical addresses a breakpoint VA may execute from: the identity, and its translation in
   * the EL1&0 and EL2 regimes of every PE (the wrapper then checks the PC, so an alias that is
   * not this VA never stops).
   */
  private codePas(va: number): number[] {
    const out = new Set<number>([va]);
    for (const pe of this.machine.pes) {
      for (const el of [1, 2]) {
        const pa = this.vaToPa(pe, va, el, 'fetch');
        if (pa !== undefined) out.add(pa);
      }
    }
    return [...out].sort((a, b) => a - b);
  }

  /** Reads guest memory at a VA (RAM only: MMIO reads can have side effects). Unreadable bytes are undefined. */
  readVirtual(pe: PE, va: number, count: number, el = pe.el): (number | undefined)[] {
    const out: (number | undefined)[] = new Array(count);
    let pageVa = -1, pagePa: number | undefined;
    for (let i = 0; i < count; i++) {
      const a = va + i;
      const pv = Math.floor(a / 4096);
      if (pv !== pageVa) { pageVa = pv; pagePa = this.vaToPa(pe, pv * 4096, el); }
      out[i] = pagePa === undefined ? undefined : this.machine.mem.peek(pagePa + (a % 4096));
    }
    return out;
  }

  private dwarfFailed = false;

  /** The program's DWARF; undefined without .debug_info, or when it is malformed (reported once). */
  debugInfo(): DwarfInfo | undefined {
    if (!this.program.debugInfo || this.dwarfFailed) return undefined;
    try {
      return this.program.debugInfo();
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.dwarfFailed = true;
      this.log(`armvirt: ignoring DWARF debugging information: ${e.message}\n`, 'console');
      return undefined;
    }
  }

  /**
   * The C variables a frame can name (locals, arguments, globals; c-frame.ts), each with its
   * type and a reader of its value and storage: what a C expression evaluator builds on.
   * Empty without DWARF.
   */
  visibleCVariables(pe: PE, frame: FrameInfo): VisibleVariable[] {
    const dwarf = this.debugInfo();
    if (!dwarf || frame.synthetic) return [];
    try {
      return visibleVariables(dwarf, frame.c?.lookupPc ?? BigInt(frame.pc), this.cFrameReader(pe, frame), frame.c?.inlineDepth ?? 0);
    } catch (e) {
      if (e instanceof DwarfError) return [];
      throw e;
    }
  }

  /**
   * Registers and memory of a frame for its C variables: the frame's registers (unwound ones
   * for callers, DWARF numbering of AADWARF64 §4.1) and memory in the regime of its EL.
   * Registers are written in the live innermost frame, and in callers where the CFI says the
   * callee saved them; memory is written wherever it is RAM.
   */
  /** The live innermost frame's registers and memory at the PE's EL (no unwinding): conditions and logpoints. */
  frameReader(pe: PE): FrameReader {
    const x = (n: number): bigint => (BigInt(pe.x[2 * n + 1] >>> 0) << 32n) | BigInt(pe.x[2 * n] >>> 0);
    return {
      register: (n) => (n <= 30 ? x(n) : n === 31 ? x(SP) : n === 32 ? (BigInt(pe.pcHi >>> 0) << 32n) | BigInt(pe.pcLo >>> 0) : undefined),
      memory: (address, count) => {
        if (address + BigInt(count) > BigInt(Number.MAX_SAFE_INTEGER) || count > 1 << 20) return undefined;
        const b = this.readVirtual(pe, Number(address), count);
        return b.every((v) => v !== undefined) ? Uint8Array.from(b as number[]) : undefined;
      },
    };
  }

  cFrameReader(pe: PE, frame: FrameInfo): FrameReader {
    const c = frame.c;
    const el = frame.el;
    return {
      register: (n) => c?.registers.get(n),
      memory: (address, count) => {
        if (address + BigInt(count) > BigInt(Number.MAX_SAFE_INTEGER) || count > 1 << 20) return undefined;
        const b = this.readVirtual(pe, Number(address), count, el);
        return b.every((v) => v !== undefined) ? Uint8Array.from(b as number[]) : undefined;
      },
      writeMemory: (address, bytes) => address + BigInt(bytes.length) <= BigInt(Number.MAX_SAFE_INTEGER) && this.writeVirtual(pe, Number(address), bytes, el) === bytes.length,
      writeRegister: (n, value) => {
        const v = value & ((1n << 64n) - 1n);
        if (c?.live && n <= 31) {
          const slot = n === 31 ? SP : n;
          pe.x[2 * slot] = Number(v & 0xffffffffn) >>> 0;
          pe.x[2 * slot + 1] = Number(v >> 32n) >>> 0;
        } else if (c && frame.context === 0 && n >= 19 && n <= 29 && !c.savedAt.has(n)) {
          // A callee-saved register no callee saved is untouched below this frame (AAPCS64
          // §6.1.1): its value is the live register's.
          pe.x[2 * n] = Number(v & 0xffffffffn) >>> 0;
          pe.x[2 * n + 1] = Number(v >> 32n) >>> 0;
        } else {
          const at = c?.savedAt.get(n);
          const name = n === 31 ? 'SP' : `X${n}`;
          if (frame.context > 0 && at === undefined) throw new Error(`it lives in ${name} of a context interrupted by an exception (EL${frame.el}), whose registers are read-only here`);
          if (at === undefined) throw new Error(`it lives in ${name}, which no callee saved in memory and which is not live in this frame: it cannot be written from here`);
          if (this.writeVirtual(pe, Number(at), leBytes(v, 8), el) !== 8) throw new Error(`the saved ${name} at 0x${at.toString(16)} cannot be written`);
        }
        c?.registers.set(n, v);
        this.noteEdit();
      },
    };
  }

  readPhysical(pa: number, count: number): (number | undefined)[] {
    const out: (number | undefined)[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = this.machine.mem.peek(pa + i);
    return out;
  }

  /** Writes guest RAM at a VA; returns the number of bytes written (stops at the first unwritable byte). */
  writeVirtual(pe: PE, va: number, data: Uint8Array, el = pe.el): number {
    for (let i = 0; i < data.length; i++) {
      const pa = this.vaToPa(pe, va + i, el, 'write');
      if (pa === undefined || !this.machine.mem.isRam(pa)) { if (i > 0) this.noteEdit(); return i; }
      this.machine.mem.write(pa, 1, data[i], pe.id);
    }
    // Written code drops its decoded slots (and breakpoint wrappers): re-install them.
    this.engine.arm();
    this.noteEdit();
    return data.length;
  }

  readWord(pe: PE, va: number, el = pe.el): number | undefined {
    const b = this.readVirtual(pe, va, 4, el);
    if (b.some((x) => x === undefined)) return undefined;
    return ((b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0);
  }

  readU64(pe: PE, va: number, el = pe.el): number | undefined {
    const lo = this.readWord(pe, va, el), hi = this.readWord(pe, va + 4, el);
    if (lo === undefined || hi === undefined) return undefined;
    return hi * TWO32 + lo;
  }

  disassembleAt(pe: PE, va: number): { word?: number; text: string } {
    const w = this.readWord(pe, va);
    if (w === undefined) return { text: '<unreadable>' };
    let text: string;
    try {
      text = disassemble(w, { pc: BigInt(va), symbolize: (a) => { const s = this.symbolize(Number(a)); return s && { name: s.name, offset: BigInt(s.offset) }; } });
    } catch {
      text = `.inst 0x${w.toString(16).padStart(8, '0')}`;
    }
    return { word: w, text: text.replace(/\t/g, ' ') };
  }

  // ---------------------------------------------------------------- expressions

  /** The environment expressions see on `pe`: registers, system registers (with fields), symbols, extra fields. */
  exprEnv(pe: PE, extra?: FieldValues): ExprEnv {
    return {
      lookup: (name) => {
        if (extra && Object.prototype.hasOwnProperty.call(extra, name)) return BigInt(extra[name]);
        const r = lookupRegister(pe, name);
        if (r !== undefined) return r;
        const s = this.symbolAddress(name);
        return s === undefined ? undefined : BigInt(s);
      },
      readMemory: (addr, size) => {
        const b = this.readVirtual(pe, Number(addr), size);
        let v = 0n;
        for (let i = size - 1; i >= 0; i--) {
          if (b[i] === undefined) return undefined;
          v = (v << 8n) | BigInt(b[i]!);
        }
        return v;
      },
    };
  }

  /**
   * The C expression scope of `pe`'s innermost frame when the program has DWARF: its arguments and
   * locals, the program's globals, types and enum constants, then registers and symbols as exprEnv has them.
   */
  cScope(pe: PE, fields?: FieldValues, frame?: FrameInfo): CScope | undefined {
    const dwarf = this.debugInfo();
    if (!dwarf) return undefined;
    // A selected caller frame (evaluate, watch): its unwound registers, PC and inline depth;
    // otherwise (conditions, logpoints) the live innermost frame, without unwinding.
    const pc = frame ? frame.c?.lookupPc ?? BigInt(frame.pc) : (BigInt(pe.pcHi >>> 0) << 32n) | BigInt(pe.pcLo >>> 0);
    const depth = frame?.c?.inlineDepth ?? 0;
    const reader = frame ? this.cFrameReader(pe, frame) : this.frameReader(pe);
    const env = this.exprEnv(pe);
    return cScope({
      dwarf, pc, reader,
      field: fields ? (name) => (Object.prototype.hasOwnProperty.call(fields, name) ? BigInt(fields[name]) : undefined) : undefined,
      frame: () => {
        try { return frameVariables(dwarf, pc, reader, depth); } catch (e) { if (e instanceof DwarfError) return undefined; throw e; }
      },
      register: (name) => env.lookup(name),
      writeMemory: (address, bytes) => {
        if (address + BigInt(bytes.length) > BigInt(Number.MAX_SAFE_INTEGER)) return false;
        return this.writeVirtual(pe, Number(address), bytes) === bytes.length;
      },
    });
  }

  /**
   * The value of a breakpoint condition on `pe`: a C expression when the program has DWARF
   * (`vcpu->id == 1`), else the register expression language. Throws with a message for the user.
   */
  conditionValue(pe: PE, src: string, fields?: FieldValues): bigint {
    const scope = this.cScope(pe, fields);
    return scope ? evaluateCScalar(src, scope) : evaluate(src, this.exprEnv(pe, fields));
  }

  /** A logpoint message with each `{expr}` replaced: C values as the Variables view shows them, else hex. */
  logText(pe: PE, message: string, fields?: FieldValues): string {
    const scope = this.cScope(pe, fields);
    if (!scope) return interpolate(message, this.exprEnv(pe, fields));
    return interpolateWith(message, (expr) => {
      const r = evaluateC(expr, scope);
      return showResult(expr, r, scope, (x) => resultBytes(x, scope, expr)).value;
    });
  }

  /** Syntax check of a condition as conditionValue will read it. */
  private conditionSyntaxError(src: string): string | undefined {
    const dwarf = this.debugInfo();
    return dwarf ? checkCSyntax(src, programTypeNameTest(dwarf)) : checkSyntax(src);
  }

  // ---------------------------------------------------------------- breakpoints

  /** Replaces the source breakpoints of `file`. */
  setSourceBreakpoints(file: string, lines: (BreakpointSpec & { line: number })[]): BreakpointResult[] {
    const key = path.resolve(file);
    for (const bp of this.sourceBps.get(key) ?? []) this.engine.remove(bp);
    const list: UserBreakpoint[] = [];
    const results: BreakpointResult[] = [];
    const lm = this.program.lineMap ?? this.program.assembly?.lineMap;
    for (const l of lines) {
      const id = this.nextBpId++;
      const bad = this.checkSpec(l);
      if (bad) { results.push({ id, verified: false, message: bad }); continue; }
      if (!lm) { results.push({ id, verified: false, message: 'no line information for this program (ELF without .debug_line): use the Disassembly view' }); continue; }
      // Find the first line at or after the requested one that produced code (as most debuggers move breakpoints).
      let found: { addrs: number[]; line: number } | undefined;
      for (let ln = l.line; ln < l.line + 64 && !found; ln++) {
        const addrs = this.lineAddresses(key, ln);
        if (addrs.length > 0) found = { addrs, line: ln };
      }
      if (!found) { results.push({ id, verified: false, message: `no code at or after line ${l.line}` }); continue; }
      const hitTest = l.hitCondition ? parseHitCondition(l.hitCondition) as (n: number) => boolean : undefined;
      for (const a of found.addrs) {
        const bp = new UserBreakpoint(id, 'source', a, l, this, hitTest);
        list.push(bp);
        this.engine.add(bp);
      }
      results.push({ id, verified: true, address: found.addrs[0], line: found.line, file: key });
    }
    this.sourceBps.set(key, list);
    return results;
  }

  /** Code addresses of a source line: its first instruction, and each expansion of a macro-body line. */
  private lineAddresses(file: string, line: number): number[] {
    const lm = (this.program.lineMap ?? this.program.assembly?.lineMap)!;
    const out = new Set<number>();
    const first = lm.breakpointAddress(file, line);
    if (first !== undefined) out.add(Number(first));
    for (const a of lm.lineToAddresses(file, line, { includeMacroBodies: true })) {
      const e = lm.lookup(a);
      if (e && e.kind === 'code' && e.macro && path.resolve(e.macro.file) === file && e.macro.line === line) out.add(Number(a));
    }
    if (out.size === 0) {
      // Files in the line map may be spelled relative to the working directory.
      for (const e of lm.entries) if (e.kind === 'code' && e.line === line && path.resolve(e.file) === file) { out.add(Number(e.address)); break; }
    }
    return [...out];
  }

  private checkSpec(s: BreakpointSpec): string | undefined {
    if (s.condition) { const e = this.conditionSyntaxError(s.condition); if (e) return `condition: ${e}`; }
    if (s.hitCondition) { const h = parseHitCondition(s.hitCondition); if (typeof h === 'string') return h; }
    return undefined;
  }

  setFunctionBreakpoints(list: (BreakpointSpec & { name: string })[]): BreakpointResult[] {
    for (const bp of this.functionBps) this.engine.remove(bp);
    this.functionBps = [];
    return list.map((f) => {
      const id = this.nextBpId++;
      const bad = this.checkSpec(f);
      if (bad) return { id, verified: false, message: bad };
      let addr = this.symbolAddress(f.name.trim());
      if (addr === undefined) {
        try { addr = Number(evaluate(f.name.replace(/^\*/, ''), { lookup: (n) => { const s = this.symbolAddress(n); return s === undefined ? undefined : BigInt(s); } })); } catch { addr = undefined; }
      }
      const hitTest = f.hitCondition ? parseHitCondition(f.hitCondition) as (n: number) => boolean : undefined;
      if (addr === undefined && this.kernel) {
        const k = this.kernel.resolve(f.name.trim());
        if (k !== undefined) {
          // A kernel symbol: placed on its PA, stopping when it runs in its own regime (kernel-view.ts).
          const bp = new UserBreakpoint(id, 'function', k.va === undefined ? k.pa : Number(k.va), f, this, hitTest);
          bp.pas = [k.pa];
          bp.regime = k.regime;
          this.functionBps.push(bp);
          this.engine.add(bp);
          const where = k.regime === 'hyp' ? 'nVHE hyp VA' : 'kernel VA';
          return {
            id, verified: true, addressText: k.va === undefined ? undefined : `0x${k.va.toString(16)}`,
            message: `${f.name.trim()}: ${k.va === undefined ? `${where} not known yet` : `${where} 0x${k.va.toString(16)}`}, PA 0x${k.pa.toString(16)} (kallsyms)`,
          };
        }
      }
      if (addr === undefined) return { id, verified: false, message: `no symbol '${f.name}'` };
      const bp = new UserBreakpoint(id, 'function', addr, f, this, hitTest);
      this.functionBps.push(bp);
      this.engine.add(bp);
      const src = this.sourceOf(addr);
      return { id, verified: true, address: addr, line: src?.line, file: src?.file };
    });
  }

  setInstructionBreakpoints(list: (BreakpointSpec & { address: number })[]): BreakpointResult[] {
    for (const bp of this.instructionBps) this.engine.remove(bp);
    this.instructionBps = [];
    return list.map((b) => {
      const id = this.nextBpId++;
      const bad = this.checkSpec(b);
      if (bad) return { id, verified: false, message: bad };
      if (!Number.isSafeInteger(b.address) || b.address % 4 !== 0) return { id, verified: false, message: `address ${hex(b.address)} is not a 4-byte aligned instruction address` };
      const hitTest = b.hitCondition ? parseHitCondition(b.hitCondition) as (n: number) => boolean : undefined;
      const bp = new UserBreakpoint(id, 'instruction', b.address, b, this, hitTest);
      this.instructionBps.push(bp);
      this.engine.add(bp);
      const src = this.sourceOf(b.address);
      return { id, verified: true, address: b.address, line: src?.line, file: src?.file };
    });
  }

  setDataBreakpoints(list: DataBreakpointSpec[]): BreakpointResult[] {
    const results: BreakpointResult[] = [];
    this.dataBps = [];
    for (const spec of list) {
      const id = this.nextBpId++;
      const bad = this.checkSpec(spec);
      if (bad) { results.push({ id, verified: false, message: bad }); continue; }
      let space: 'va' | 'pa' = spec.space === 'va' ? 'va' : 'pa';
      let start = spec.address;
      if (spec.space === 'ipa') {
        const pa = this.ipaToPa(this.machine.pes[0], spec.address);
        if (pa === undefined) { results.push({ id, verified: false, message: `IPA ${hex(spec.address)} is not mapped by the current Stage 2 tables` }); continue; }
        start = pa;
        space = 'pa';
      }
      const hitTest = spec.hitCondition ? parseHitCondition(spec.hitCondition) as (n: number) => boolean : undefined;
      let hits = 0;
      const wp: Watchpoint = {
        space, start, end: start + Math.max(1, spec.bytes),
        onRead: spec.access !== 'write', onWrite: spec.access !== 'read',
        hit: (pe: PE, a: WatchAccess) => {
          const fields = { va: a.va, pa: a.pa, size: a.size, write: a.write ? 1 : 0 };
          if (spec.condition) {
            try { if (this.conditionValue(pe, spec.condition, fields) === 0n) return false; } catch { return false; }
          }
          hits++;
          if (hitTest && !hitTest(hits)) return false;
          const text = `${a.write ? 'write' : 'read'} of ${a.size} byte(s) at VA ${hex(a.va)} (PA ${hex(a.pa)})`;
          if (spec.logMessage !== undefined) { this.log(this.logText(pe, spec.logMessage, fields) + '\n'); return false; }
          this.requestStop({ reason: 'data breakpoint', peId: pe.id, hitBreakpointIds: [id], description: 'data breakpoint', text });
          return true;
        },
      };
      this.dataBps.push({ id, spec, wp });
      results.push({ id, verified: true });
    }
    this.applyWatchpoints();
    return results;
  }

  private applyWatchpoints(): void {
    this.engine.setWatchpoints(this.dataBps.map((d) => d.wp));
  }

  /** Enables exception filters; returns an error message per filter with a bad condition. */
  setExceptionFilters(list: { filterId: string; condition?: string }[]): { verified: boolean; message?: string }[] {
    const results: { verified: boolean; message?: string }[] = [];
    this.filters = [];
    this.filtersSet = true;
    for (const f of list) {
      const r = resolveFilter(f.filterId, f.condition, (c) => this.conditionSyntaxError(c));
      if ('message' in r) { results.push({ verified: false, message: r.message }); continue; }
      const { def } = r;
      this.filters.push(r);
      const unknownEvents = def.events.filter((n) => !(n in this.machine.bus.wants));
      results.push(def.events.length > 0 && unknownEvents.length === def.events.length
        ? { verified: false, message: `the machine does not emit ${def.events.join('/')} events yet` }
        : { verified: true });
    }
    this.subscribeFilters();
    return results;
  }

  /**
   * Adds (enabled) or removes one filter of the extra list (armvirt/setExceptionFilter). Returns
   * whether it was accepted and the whole extra list afterwards.
   */
  setExtraFilter(filterId: string, condition: string | undefined, enabled: boolean): { verified: boolean; message?: string; filters: ExtraFilter[] } {
    const list = (): ExtraFilter[] => this.extraFilters.map((f) => ({ filterId: f.def.id, condition: f.condition }));
    const r = resolveFilter(filterId, condition, (c) => this.conditionSyntaxError(c));
    if ('message' in r) return { verified: false, message: r.message, filters: list() };
    this.extraFilters = this.extraFilters.filter((f) => f.def.id !== filterId || f.condition !== r.condition);
    if (enabled) this.extraFilters.push(r);
    this.subscribeFilters();
    return { verified: true, filters: list() };
  }

  private subscribeFilters(): void {
    for (const u of this.filterUnsubs) u();
    this.filterUnsubs = [];
    const bus = this.machine.bus;
    const all = [...this.filters, ...this.extraFilters];
    const names = new Set(all.flatMap((f) => f.def.events));
    const ctx = { pe: (id: number) => this.machine.pes[id] };
    for (const name of names) {
      if (!(name in bus.wants)) continue;
      // The most specific filter describes the stop: the catch-all entry filters are tried last.
      const generic = (f: { def: ExceptionFilterDef }): number => (f.def.id === 'el-entry' ? 2 : f.def.id === 'trap-el2' ? 1 : 0);
      const interested = all.filter((f) => f.def.events.includes(name)).sort((a, b) => generic(a) - generic(b));
      const listener = (e: MachineEvents[EventName]): void => {
        for (const f of interested) {
          const m = f.def.match(name, e, ctx);
          if (!m) continue;
          if (f.condition) {
            const pe = this.machine.pes[m.pe];
            try {
              if (this.conditionValue(pe, f.condition, m.fields) === 0n) continue;
            } catch (err) {
              const key = `${f.def.id}:${f.condition}`;
              if (!this.conditionWarned.has(key)) {
                this.conditionWarned.add(key);
                this.log(`armvirt: condition of filter '${f.def.label}' failed (${(err as Error).message}); treated as false\n`);
              }
              continue;
            }
          }
          this.requestStop({
            reason: 'exception', peId: m.pe, description: f.def.label, text: m.description,
            exception: { filterId: f.def.id, label: f.def.label, description: m.description, details: m.details, fields: m.fields },
          });
          return;
        }
      };
      this.filterUnsubs.push(bus.on(name, listener as (e: MachineEvents[typeof name]) => void));
    }
  }

  /** Called from inside the machine (breakpoint wrappers, watchpoints, event listeners): stop at the next boundary. */
  requestStop(s: StopInfo): void {
    if (!this.pendingStop) this.pendingStop = s;
    else if (s.hitBreakpointIds && this.pendingStop.hitBreakpointIds && s.reason === this.pendingStop.reason) {
      this.pendingStop.hitBreakpointIds.push(...s.hitBreakpointIds.filter((i) => !this.pendingStop!.hitBreakpointIds!.includes(i)));
    }
    this.machine.requestPause();
  }

  // ---------------------------------------------------------------- run control

  get isRunning(): boolean { return this.running; }

  /** The last stop (for exceptionInfo). */
  get stopInfo(): StopInfo | undefined { return this.lastStop; }

  /** Reports the initial stop (stopOnEntry) or starts running. */
  start(): void {
    if (this.config.stopOnEntry) this.report({ kind: 'stop', stop: { reason: 'entry', peId: 0 } });
    else this.continue();
  }

  pause(): void {
    if (this.running) {
      this.pauseRequested = true;
      this.machine.requestPause();
      this.wakeInput();
    }
  }

  /**
   * Bytes typed into the guest's console (the PL011, or the virtio console when the board has
   * one: Machine.consoleInput). They reach the device at the next point where the machine is
   * between instructions of a forward run, through the timeline, which logs them so that reverse
   * execution re-delivers them at the same position. A stopped machine keeps them until it runs.
   */
  consoleInput(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.consoleQueue.push(bytes);
    this.wakeInput();
  }

  /** Bytes given to consoleInput that the guest has not been handed yet. */
  get consoleInputQueued(): number { return this.consoleQueue.reduce((n, b) => n + b.length, 0); }

  private wakeInput(): void {
    const w = this.inputWaiter;
    this.inputWaiter = null;
    w?.();
  }

  private drainInput(): void {
    if (this.consoleQueue.length === 0) return;
    for (const b of this.consoleQueue) this.timeline.input(b);
    this.consoleQueue = [];
  }

  continue(): void {
    void this.exec(() => this.freeRun());
  }

  /** Step over (next): by source line, or one instruction; calls and exceptions to higher ELs run to completion. */
  next(peId: number, granularity: 'line' | 'instruction' = 'line'): void {
    void this.exec(() => this.stepLine(this.machine.pes[peId], true, granularity));
  }

  stepIn(peId: number, granularity: 'line' | 'instruction' = 'line'): void {
    void this.exec(() => this.stepLine(this.machine.pes[peId], false, granularity));
  }

  stepOut(peId: number): void {
    void this.exec(() => this.stepOutImpl(this.machine.pes[peId]));
  }

  // ---------------------------------------------------------------- reverse execution (timeline.ts)

  /**
   * Step back: to the state before `peId`'s last instruction, or (granularity 'line') to the
   * start of the previous source line it executed. Re-executes from the nearest snapshot with
   * breakpoints, watchpoints and filters off.
   */
  stepBack(peId: number, granularity: 'line' | 'instruction' = 'line'): void {
    void this.exec(async () => this.stepBackImpl(this.machine.pes[peId], granularity), false);
  }

  /**
   * Runs forward through `peId`'s next guest exit — from the guest's last counter read before it
   * leaves to its first after it is back (src/debug/exit-profile.ts) — charging every cycle to the
   * kernel function that spent it, and stops there (a `step` stop). The machine runs all PEs as a
   * free run would, logged in the history (reverse execution reaches back into the exit);
   * breakpoints and filters are off meanwhile.
   */
  profileExit(peId: number): Promise<ExitProfile> {
    return new Promise((resolve, reject) => {
      if (this.running || this.exited) { reject(new Error(this.exited ? 'the program has exited' : 'the program is running')); return; }
      const kernel = this.kernel;
      if (!kernel) { reject(new Error('an exit profile names kernel functions: launch a Linux kernel ("kernel") whose Image has kallsyms')); return; }
      if (!this.machine.pes[peId]) { reject(new Error(`no thread ${peId + 1}`)); return; }
      void this.exec(async () => {
        this.engine.disarm();
        try {
          const p = profileGuestExit(this.machine, kernel, peId, {
            run1: () => { this.totalExecuted += this.timeline.run(1).executed; },
          });
          this.lastExitProfile = p;
          resolve(p);
        } catch (e) {
          reject(e);
        }
        this.flushOutput();
        this.pendingStop = undefined;
        if (this.machine.halted) return this.exitOutcome();
        return { kind: 'stop', stop: { reason: 'step', peId } };
      });
    });
  }

  /** Reverse continue: back to the last breakpoint, watchpoint or exception-filter stop before now (or the start of the history). */
  reverseContinue(peId: number): void {
    void this.exec(async () => this.reverseContinueImpl(peId), false);
  }

  /**
   * Checks that `retired` is a position the history can re-create (armvirt/travel); returns why
   * not, or undefined.
   */
  travelError(retired: number): string | undefined {
    if (!Number.isSafeInteger(retired) || retired < 0) return `not an instruction count: ${String(retired)}`;
    const { start, end } = this.timeline;
    if (retired < start) {
      return `instruction ${retired} is before the oldest snapshot: the recorded history starts at instruction ${start}`
        + ' (it restarts when registers or memory are edited)';
    }
    if (retired > end) return `instruction ${retired} has not been executed yet: the recorded history ends at instruction ${end}`;
    return undefined;
  }

  /**
   * Travel to a recorded position (the timeline panel's records): restores the nearest snapshot at
   * or before it and re-executes to exactly `retired` (timeline.ts goto), with breakpoints,
   * watchpoints and filters off, then stops with reason 'goto'. Check travelError first.
   */
  travel(retired: number, peId: number): void {
    void this.exec(async () => {
      this.enterReplay('plain');
      try {
        this.timeline.goto(retired);
      } finally {
        this.leaveReplay();
      }
      return { kind: 'stop', stop: { reason: 'goto', peId, description: 'travelled', text: `travelled to instruction ${this.machine.retired}` } };
    }, false);
  }

  /** The registers or memory were edited by the debugger: the history restarts here (it cannot re-create the edit). */
  noteEdit(): void {
    if (!this.timeline || this.running) return;
    // After a travel back, the records after this point belong to a future that is now gone.
    const now = this.machine.retired;
    this.trace = this.trace.filter((r) => r.retired <= now);
    this.timeline.reset();
    // A stuck report is re-checked before it is given again; after an edit (a handler written
    // at the vector, a fixed register) let the machine run and find out afresh.
    this.machine.stuck = null;
  }

  /** Hashes of the whole machine state (armvirt/digest; reverse-execution tests). */
  digest(): MachineDigest & { historyStart: number; snapshots: number } {
    return { ...this.machine.digest(), historyStart: this.timeline.start, snapshots: this.timeline.snapshots };
  }

  private enterReplay(mode: 'plain' | 'record'): void {
    this.replay = mode;
    this.pendingStop = undefined;
    if (mode === 'plain') {
      this.engine.disarm();
      this.engine.setWatchpoints([]);
      for (const u of this.filterUnsubs) u();
      this.filterUnsubs = [];
    } else {
      this.applyWatchpoints();
      this.subscribeFilters();
    }
  }

  private leaveReplay(): void {
    this.replay = 'off';
    this.pendingStop = undefined;
    this.outputBuf = [];
    this.engine.refresh();
    this.engine.arm();
    this.engine.clearResume();
    this.applyWatchpoints();
    this.subscribeFilters();
  }

  private stepBackImpl(pe: PE, granularity: 'line' | 'instruction'): Outcome {
    const now = this.machine.retired;
    const start = this.timeline.start;
    if (now <= start) return { kind: 'stop', stop: { reason: 'step', peId: pe.id, description: 'start of history', text: 'at the start of the recorded history' } };
    this.enterReplay('plain');
    try {
      const byLine = granularity === 'line' && this.lineKey(pe.pc) !== undefined;
      const target = !byLine && this.machine.pes.length === 1 ? now - 1 : this.findBack(pe, now, byLine);
      this.timeline.goto(target);
    } finally {
      this.leaveReplay();
    }
    return { kind: 'stop', stop: { reason: 'step', peId: pe.id } };
  }

  /**
   * The position to step back to: the last one before `now` where `pe` had not yet executed its
   * latest instruction, or (byLine) the first position of the last stretch of a different line.
   * Samples the history one instruction at a time over a window that grows until it is found.
   */
  private findBack(pe: PE, now: number, byLine: boolean): number {
    const start = this.timeline.start;
    const lineNow = this.lineKey(pe.pc);
    for (let w = 4096; ; w *= 4) {
      const from = Math.max(start, now - w);
      const samples = this.timeline.scan(from, now, () => ({ instret: pe.instret, pc: pe.pc }));
      const cur = samples[samples.length - 1];
      let i = samples.length - 2;
      if (!byLine) {
        while (i >= 0 && samples[i].instret >= cur.instret) i--;
        if (i >= 0) return from + i;
      } else {
        const keys = samples.map((x) => this.lineKey(x.pc));
        while (i >= 0 && (keys[i] === lineNow || samples[i].instret === cur.instret)) i--;
        if (i >= 0) {
          const other = keys[i];
          while (i > 0 && keys[i - 1] === other) i--;
          if (i > 0 || from === start) return from + i;
        }
      }
      if (from === start) return start;
    }
  }

  private reverseContinueImpl(peId: number): Outcome {
    const now = this.machine.retired;
    const bps = this.allCodeBreakpoints();
    const hits = bps.map((b) => b.hits);
    let found: { g: number; stop: StopInfo } | undefined;
    this.enterReplay('record');
    try {
      found = this.timeline.findLastStop<StopInfo>(now, () => {
        this.pendingStop = undefined;
        this.engine.refresh();
        this.engine.arm();
        this.engine.clearResume();
      }, (beforeStep) => {
        if (beforeStep) {
          // Stepping does not go through the breakpoint wrappers: check the ones at this PC.
          const pc = beforeStep.pc;
          for (const b of bps) if (b.va === pc) b.hit(beforeStep);
        }
        const s = this.takePending();
        if (s) this.engine.resumeFrom(this.machine.pes[s.peId]);
        if (beforeStep) this.engine.resumeFrom(beforeStep);
        this.engine.arm();
        return s && !s.internal ? s : undefined;
      });
      bps.forEach((b, i) => { b.hits = hits[i]; });
      this.enterReplay('plain');
      this.timeline.goto(found ? found.g : this.timeline.start);
    } finally {
      bps.forEach((b, i) => { b.hits = hits[i]; });
      this.leaveReplay();
    }
    if (!found) return { kind: 'stop', stop: { reason: 'step', peId, description: 'start of history', text: 'no breakpoint or exception stop earlier in the recorded history' } };
    return { kind: 'stop', stop: found.stop };
  }

  private async exec(fn: () => Promise<Outcome>, forward = true): Promise<void> {
    if (this.running || this.exited) return;
    if (forward) {
      // Going forward from a past state drops the history after it, and the records of that
      // history: re-execution records them again (or different ones after an edit).
      if (!this.timeline.live) {
        const now = this.machine.retired;
        this.trace = this.trace.filter((r) => r.retired <= now);
      }
      this.timeline.beginForward();
    }
    this.running = true;
    this.pauseRequested = false;
    this.pendingStop = undefined;
    let out: Outcome;
    try {
      out = await fn();
    } catch (e) {
      // A host exception is a bug of the simulator: its stack goes to stderr, the client gets one line.
      console.error('armvirt runtime: internal error:', e);
      out = { kind: 'error', message: e instanceof Error ? e.message : String(e) };
    }
    this.running = false;
    this.report(out);
  }

  private report(out: Outcome): void {
    this.flushOutput();
    if (out.kind === 'exit') {
      this.exited = true;
      this.emit('exited', out.code);
      return;
    }
    if (out.kind === 'error') {
      this.log(`armvirt: internal error: ${out.message}\n`, 'stderr');
      this.lastStop = { reason: 'pause', peId: 0, text: out.message };
      this.emit('stopped', this.lastStop);
      return;
    }
    this.lastStop = out.stop;
    this.emit('stopped', out.stop);
  }

  private exitOutcome(): Outcome {
    return { kind: 'exit', code: this.machine.halted === 'exit' ? this.machine.exitCode : 0 };
  }

  private takePending(): StopInfo | undefined {
    const s = this.pendingStop;
    this.pendingStop = undefined;
    return s;
  }

  /** Runs every PE until a breakpoint, watchpoint, filter, pause, exit or the instruction limit. */
  private async freeRun(): Promise<Outcome> {
    for (const pe of this.machine.pes) if (pe.power === PowerState.On) this.engine.resumeFrom(pe);
    const limit = this.config.maxInstructions ?? Infinity;
    for (;;) {
      if (this.pauseRequested) {
        this.pauseRequested = false;
        return { kind: 'stop', stop: { reason: 'pause', peId: this.activePe() } };
      }
      this.drainInput();
      this.engine.arm();
      const budget = Math.min(this.chunk, limit - this.totalExecuted);
      if (budget <= 0) return { kind: 'stop', stop: { reason: 'pause', peId: this.activePe(), description: 'instruction limit', text: `maxInstructions (${limit}) reached` } };
      const t0 = Date.now();
      const r = this.timeline.run(Math.min(budget, this.timeline.untilCheckpoint()));
      const dt = Date.now() - t0;
      this.totalExecuted += r.executed;
      // Aim at ~10 ms slices: pause within 100 ms even for a guest that never stops.
      if (r.reason === 'limit') this.chunk = Math.max(10_000, Math.min(5_000_000, Math.round(this.chunk * (dt > 0 ? Math.min(2, 10 / dt) : 2))));
      this.flushOutput();
      const pending = this.takePending();
      if (this.machine.halted) return this.exitOutcome();
      if (pending) {
        if (pending.internal) return { kind: 'stop', stop: pending };
        return { kind: 'stop', stop: pending };
      }
      if (r.reason === 'exit' || r.reason === 'off' || r.reason === 'reset') return this.exitOutcome();
      // Every PE sleeps and only console input could wake one (the guest unmasked the UART's
      // receive interrupt, or gave the virtio console receive buffers): a shell at its prompt is
      // waiting, not stuck. Wait for input (or a pause) instead of reporting a deadlock.
      const asleep = r.reason === 'deadlock' || (r.reason === 'stuck' && (this.machine.stuck?.pes.every((p) => p.kind === 'wfi') ?? false));
      if (asleep && this.machine.consoleInput.waitsForInput) {
        if (this.consoleQueue.length === 0) {
          if (!this.inputWaitSaid) {
            this.inputWaitSaid = true;
            this.log('armvirt: every PE is waiting for console input (type it in the ArmVirt guest console terminal)\n');
          }
          await new Promise<void>((res) => { this.inputWaiter = res; });
        }
        continue;
      }
      if (r.reason === 'deadlock' || r.reason === 'stuck') return { kind: 'stop', stop: this.stuckStop(this.machine.stuck) };
      await new Promise<void>((res) => setImmediate(res));
    }
  }

  /**
   * The stop for a machine that can make no progress (src/sim/stuck.ts): an exception stop of
   * the 'stuck' filter while it is on (the default), else a pause with the same text. Continuing
   * reports it again at once (Machine.run checks that it still holds). The hint, spelled as a
   * launch attribute, goes to the Debug Console and exceptionInfo's details.
   */
  private stuckStop(s: StuckReport | null): StopInfo {
    const text = s?.message ?? 'every running PE is waiting (WFI) and nothing can wake it';
    const peId = s?.pe ?? this.activePe();
    const hint = s ? stuckHint(s, 'dap') : undefined;
    const details = [text, s?.origin, hint].filter((l): l is string => l !== undefined).join('\n');
    this.log(details.split('\n').map((l) => `armvirt: ${l}\n`).join(''), 'stderr');
    const fields: FieldValues = { pe: peId, el: s?.el ?? 0, pc: s?.pc ?? 0, esr: s?.esr ?? 0, vector: s?.vector ?? 0 };
    const on = this.filtersSet ? [...this.filters, ...this.extraFilters].filter((f) => f.def.id === STUCK_FILTER.id) : [{ def: STUCK_FILTER }];
    const pe = this.machine.pes[peId];
    const matches = on.some((f) => {
      if (!('condition' in f) || !f.condition) return true;
      try { return this.conditionValue(pe, f.condition, fields) !== 0n; } catch { return false; }
    });
    if (!matches) return { reason: 'pause', peId, description: text, text };
    return {
      reason: 'exception', peId, description: text, text,
      exception: { filterId: STUCK_FILTER.id, label: STUCK_FILTER.label, description: text, details, fields },
    };
  }

  private activePe(): number {
    const pe = this.machine.pes.find((p) => p.power === PowerState.On);
    return pe ? pe.id : 0;
  }

  /** Executes one instruction on `pe`; returns an outcome if something stopped or ended the run. */
  private stepOne(pe: PE): Outcome | undefined {
    this.drainInput();
    this.engine.arm();
    this.engine.resumeFrom(pe);
    this.timeline.step(pe);
    this.totalExecuted++;
    if (this.machine.halted) { this.flushOutput(); return this.exitOutcome(); }
    const pending = this.takePending();
    if (pending && !pending.internal) return { kind: 'stop', stop: pending };
    return undefined;
  }

  /** Runs until `pe` reaches `va` at `el` with SP >= `sp` (the return of a call); undefined when it got there. */
  private async runTo(pe: PE, va: number, el: number, sp: number): Promise<Outcome | undefined> {
    const temp: CodeBreakpoint = {
      va,
      hit: (p) => {
        if (p !== pe || p.el !== el || spOf(p) < sp) return false;
        this.requestStop({ reason: 'step', peId: p.id, internal: true });
        return true;
      },
    };
    this.engine.add(temp);
    try {
      const out = await this.freeRun();
      if (out.kind === 'stop' && out.stop.internal) return undefined;
      return out;
    } finally {
      this.engine.remove(temp);
    }
  }

  /** Runs until `pe` returns (ERET) to `el` or below; undefined when it did. */
  private async runUntilReturnTo(pe: PE, el: number): Promise<Outcome | undefined> {
    const off = this.machine.bus.on('exceptionReturn', (e) => {
      if (e.pe === pe.id && e.to <= el && !e.illegal) this.requestStop({ reason: 'step', peId: pe.id, internal: true });
    });
    try {
      const out = await this.freeRun();
      if (out.kind === 'stop' && out.stop.internal) return undefined;
      return out;
    } finally {
      off();
    }
  }

  /**
   * Inlined subroutines holding `pc` (DWARF 5 §3.3.8) and the function they are inlined into,
   * for stepping: `next` does not stop inside a subroutine inlined during the step.
   */
  private inlineAt(pc: number): { depth: number; fn?: number; ranges?: { begin: bigint; end: bigint }[] } {
    const dwarf = this.debugInfo();
    if (!dwarf) return { depth: 0 };
    try {
      const fns = dwarf.scopesAt(BigInt(pc)).filter((sc) => sc.kind !== 'block');
      const inlined = fns.filter((sc) => sc.kind === 'inlined');
      return { depth: inlined.length, fn: fns[fns.length - 1]?.die.offset, ranges: inlined[0]?.ranges };
    } catch (e) {
      if (e instanceof DwarfError) return { depth: 0 };
      throw e;
    }
  }

  /**
   * One instruction, or a call run to its return (`over`). An exception taken to a higher EL
   * (SVC/HVC/SMC, a trap, an interrupt) runs until it returns when stepping `over`, or when its
   * preferred return address is still on `lineKey`, the line being stepped: an exception in
   * the middle of a C line does not end the step (an exception filter or breakpoint still stops
   * it). One taken at the end of the line (an assembly `hvc` line) is stepped into.
   */
  private async stepOver(pe: PE, over: boolean, lineKey?: string): Promise<Outcome | undefined> {
    const startEl = pe.el;
    const word = this.readWord(pe, pe.pc);
    if (over && word !== undefined && isCall(word)) return this.runTo(pe, pe.pc + 4, pe.el, spOf(pe));
    const out = this.stepOne(pe);
    if (out) return out;
    if (pe.el > startEl) {
      const entry = this.contexts[pe.id][this.contexts[pe.id].length - 1];
      const midLine = lineKey !== undefined && entry !== undefined && this.lineKey(entry.elr) === lineKey;
      if (over || midLine) return this.runUntilReturnTo(pe, startEl);
    }
    return undefined;
  }

  private async stepLine(pe: PE, over: boolean, granularity: 'line' | 'instruction'): Promise<Outcome> {
    const done: Outcome = { kind: 'stop', stop: { reason: 'step', peId: pe.id } };
    const startKey = granularity === 'line' ? this.lineKey(pe.pc) : undefined;
    const byLine = startKey !== undefined;
    const start = byLine && over ? this.inlineAt(pe.pc) : undefined;
    const startEl = pe.el;
    for (let n = 1; ; n++) {
      if (this.pauseRequested) { this.pauseRequested = false; return { kind: 'stop', stop: { reason: 'pause', peId: pe.id } }; }
      if (n % 4096 === 0) await new Promise<void>((res) => setImmediate(res));
      const out = await this.stepOver(pe, over, startKey);
      if (out) return out;
      if (!byLine) return done;
      const key = this.lineKey(pe.pc);
      if (key !== undefined && key === startKey) continue;
      // `next` continues through the lines of a function inlined into the one it started in.
      if (start && key !== undefined && pe.el === startEl) {
        const now = this.inlineAt(pe.pc);
        if (now.fn !== undefined && now.fn === start.fn && now.depth > start.depth) continue;
      }
      return done;
    }
  }

  private async stepOutImpl(pe: PE): Promise<Outcome> {
    const frames = this.stackFrames(pe.id);
    const top = frames[0];
    // Out of an inlined subroutine: step (over calls and exceptions) until the PC leaves its code.
    if (top?.c?.inlinedRanges && top.context === 0) {
      const ranges = top.c.inlinedRanges;
      const inside = (): boolean => ranges.some((r) => BigInt(pe.pc) >= r.begin && BigInt(pe.pc) < r.end);
      const el = pe.el;
      for (let n = 1; inside() && pe.el === el; n++) {
        if (this.pauseRequested) { this.pauseRequested = false; return { kind: 'stop', stop: { reason: 'pause', peId: pe.id } }; }
        const out = await this.stepOver(pe, true);
        if (out) return out;
        if (n % 4096 === 0) await new Promise<void>((res) => setImmediate(res));
      }
      return { kind: 'stop', stop: { reason: 'step', peId: pe.id } };
    }
    // The caller is the first frame of another machine frame (inlined frames share the PC).
    const caller = frames.find((f, i) => i > 0 && f.context === 0 && !f.synthetic && (f.c === undefined || f.c.physical > 0));
    if (caller) {
      const out = await this.runTo(pe, caller.pc + 4, pe.el, spOf(pe));
      return out ?? { kind: 'stop', stop: { reason: 'step', peId: pe.id } };
    }
    const ctx = this.contexts[pe.id];
    if (ctx.length > 0 && ctx[ctx.length - 1].to === pe.el) {
      const out = await this.runUntilReturnTo(pe, ctx[ctx.length - 1].from);
      return out ?? { kind: 'stop', stop: { reason: 'step', peId: pe.id } };
    }
    return this.stepLine(pe, true, 'line');
  }

  // ---------------------------------------------------------------- threads and stacks

  threadName(pe: PE): string {
    if (pe.power !== PowerState.On) return `CPU${pe.id} (off)`;
    const vm = pe.el < 2 && (pe.hcrLo() & 1) !== 0 ? `, VMID ${pe.vmid()}` : '';
    if (this.kernel) {
      // A Linux guest: the regime, the host task's comm, and where the PE is (issue #13).
      const k = this.kernel;
      const regime = k.regime(pe);
      const comm = regime === 'guest' ? undefined : k.comm(pe);
      const pc = (BigInt(pe.pcHi >>> 0) << 32n) | BigInt(pe.pcLo >>> 0);
      const what = regime === 'guest' ? 'guest' : regime === 'hyp' ? 'nVHE hyp' : regime === 'kernel' ? 'kernel' : 'user';
      const named = k.symbolize(pe, pc);
      const where = named ? `${named.delta ? `${named.name}+0x${named.delta.toString(16)}` : named.name} @ ${fmtAddrExact(pc)}` : fmtAddrExact(pc);
      return `CPU${pe.id} (EL${pe.el} ${what}${vm}${comm !== undefined ? `, ${comm}` : ''}${pe.waiting ? ', WFI' : ''}) ${where}`;
    }
    return `CPU${pe.id} (EL${pe.el}${vm}${pe.waiting ? ', WFI' : ''})`;
  }

  /** ", kernel" / ", VMID 1" …: the regime of a context at `el`, for frame labels (Linux guests only). */
  private regimeNote(pe: PE, el: number): string {
    if (!this.kernel) return '';
    const r = this.kernel.regime(pe, el);
    return r === 'guest' ? ` VMID ${pe.vmid()}` : r === 'hyp' ? ' nVHE hyp' : ` ${r}`;
  }

  /** Saved contexts of `peId`, innermost first. */
  savedContexts(peId: number): SavedContext[] {
    return [...this.contexts[peId]].reverse();
  }

  /**
   * Call stack: unwinding within the current EL (CFI where the program has it, else frame
   * records; src/debug/call-stack.ts), then one synthetic frame per exception level the PE is
   * nested in, each followed by the unwinding of the interrupted context from the registers
   * saved at that exception entry.
   */
  stackFrames(peId: number): FrameInfo[] {
    const pe = this.machine.pes[peId];
    const frames: FrameInfo[] = [];
    const x = pe.x;
    const big = (r: Uint32Array, i: number): bigint => (BigInt(r[i + 1] >>> 0) << 32n) | BigInt(r[i] >>> 0);
    const pcExact = (BigInt(pe.pcHi >>> 0) << 32n) | BigInt(pe.pcLo >>> 0);
    // A Linux kernel (kallsyms, kernel-view.ts) unwinds by its frame records with exact addresses;
    // anything else by CFI where the program has it, else frame records (call-stack.ts).
    if (!this.unwindKernel(pe, frames, pcExact, big(x, 58), big(x, 60), pe.el, 0)) {
      const live = new Map<number, bigint>();
      for (let i = 0; i <= 30; i++) live.set(i, (BigInt(x[2 * i + 1] >>> 0) << 32n) | BigInt(x[2 * i] >>> 0));
      live.set(DW_REG_SP, (BigInt(x[2 * SP + 1] >>> 0) << 32n) | BigInt(x[2 * SP] >>> 0));
      live.set(DW_REG_PC, BigInt(pe.pc));
      this.unwind(pe, frames, live, pe.el, 0);
    }
    const ctxs = this.savedContexts(peId);
    // A saved context is shown only while the PE is still at or above its target EL.
    let el = pe.el;
    ctxs.forEach((c, i) => {
      if (c.to > el) return;
      frames.push({ pc: c.insnAddr, pcExact: c.insnAddrExact, name: c.label, el: c.from, context: i + 1, synthetic: true, source: this.sourceOf(c.insnAddr) });
      const r = c.regs;
      const regs = new Map<number, bigint>();
      for (let n = 0; n <= 31; n++) regs.set(n, (BigInt(r[2 * n + 1] >>> 0) << 32n) | BigInt(r[2 * n] >>> 0));
      regs.set(DW_REG_PC, BigInt(c.insnAddr));
      const before = frames.length;
      if (!this.unwindKernel(pe, frames, c.insnAddrExact, big(r, 58), big(r, 60), c.from, i + 1)) this.unwind(pe, frames, regs, c.from, i + 1);
      // Code with DWARF keeps the interrupted function as a frame of its own (with its
      // variables); for other code the synthetic frame stands for the interrupted instruction.
      if (!frames[before]?.c) frames.splice(before, 1);
      el = c.from;
    });
    return frames;
  }

  /**
   * Kernel-aware unwinding (a Linux guest, in the host kernel or the nVHE hyp): exact 64-bit
   * addresses, names from kallsyms, each frame marked with its regime. False when it does not apply.
   */
  private unwindKernel(pe: PE, out: FrameInfo[], pc: bigint, fp: bigint, lr: bigint, el: number, context: number): boolean {
    const k = this.kernel;
    if (!k) return false;
    const regime = k.regime(pe, el);
    if (regime === 'guest' || regime === 'user') return false;
    const tag = regime === 'hyp' ? `EL${el} nVHE hyp` : `EL${el} kernel`;
    for (const f of k.unwind(pe, pc, fp, lr, el, isCall)) {
      const n = Number(f.pc);
      out.push({ pc: n, pcExact: f.pc, name: `${f.name} (${tag})`, el, context, synthetic: false, source: this.sourceOf(n) });
    }
    return true;
  }

  private unwind(pe: PE, out: FrameInfo[], regs: Map<number, bigint>, el: number, context: number): void {
    const vbar = el >= 1 && el <= 2 ? pe.sys[2 * pe.slotVBAR[el]] + pe.sys[2 * pe.slotVBAR[el] + 1] * TWO32 : undefined;
    const env: StackEnv = {
      dwarf: this.debugInfo(),
      read: (a, size) => {
        if (a + BigInt(size) > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
        const b = this.readVirtual(pe, Number(a), size, el);
        if (b.some((v) => v === undefined)) return undefined;
        return b.reduceRight<bigint>((acc, v) => (acc << 8n) | BigInt(v!), 0n);
      },
      readWord: (a) => this.readWord(pe, a, el),
      symbolName: (a) => {
        const s = this.symbolize(a);
        return s ? (s.offset ? `${s.name}+0x${s.offset.toString(16)}` : s.name) : fmtAddr(a);
      },
      symbolOf: (a) => this.symbolize(a)?.name,
      source: (a) => this.sourceOf(a),
      // VBAR_ELx resets to an architecturally UNKNOWN value: 0 is taken as "not set".
      vectorBase: vbar ? BigInt(vbar) : undefined,
      isCall,
    };
    const tag = `EL${el}${this.regimeNote(pe, el)}`;
    for (const f of unwindContext(env, regs, context === 0)) {
      out.push({ pc: f.pc, name: `${f.name} (${tag})`, el, context, synthetic: false, source: f.source && { file: path.resolve(f.source.file), line: f.source.line }, c: f.c });
    }
  }

  // ---------------------------------------------------------------- translation (evaluate `translate`, armvirt/translate)

  translate(pe: PE, va: number, opts: { el?: number; stage?: 1 | 2 | 'both'; access?: 'read' | 'write' | 'fetch' } = {}): { text: string; report?: unknown } {
    const mmu = (this.machine as { mmu?: { translate(pe: PE, va: number, o: object): TranslateReportLike } }).mmu;
    if (!mmu) return { text: `no MMU model on this machine: PA = VA = ${hex(va)}` };
    const r = mmu.translate(pe, va, { ...opts, checkPermissions: true });
    const lines: string[] = [];
    lines.push(`${hex(va)} (EL${r.el}, ${r.regime}): ${r.explanation}`);
    for (const s of r.steps) {
      const d = s.descHi * TWO32 + s.descLo;
      lines.push(`  S${s.stage} L${s.level}${s.forS1Table ? ' (for S1 table)' : ''}: table ${hex(s.tableBase)}[${s.index}] @ ${hex(s.descAddr)}${s.descPa !== s.descAddr ? ` (PA ${hex(s.descPa)})` : ''} = 0x${d.toString(16).padStart(16, '0')} → ${s.decision}${s.why ? `: ${s.why}` : ''}`);
    }
    if (r.ok) lines.push(`  result: ${r.s1 || r.s2 ? `IPA ${hex(r.ipa)} → ` : ''}PA ${hex(r.pa)}${r.attrText ? ` (${r.attrText})` : ''}`);
    return { text: lines.join('\n'), report: r };
  }

  /** armvirt/pageTables: root tables of a stage, or one table's valid entries (src/sim/mmu/tables.ts; side-effect free). */
  pageTables(pe: PE, args: { stage?: unknown; regime?: unknown; node?: unknown }): unknown {
    return pageTableTree(pe, args);
  }

  // ---------------------------------------------------------------- exception info

  exceptionInfo(): { id: string; description: string; details?: string; fields?: FieldValues } | undefined {
    const s = this.lastStop;
    if (!s) return undefined;
    if (s.exception) return { id: s.exception.filterId, description: s.exception.description, details: s.exception.details, fields: s.exception.fields };
    if (s.text) return { id: s.reason, description: s.text };
    return undefined;
  }
}

interface TranslateReportLike {
  ok: boolean; regime: string; el: number; ipa: number; pa: number; explanation: string; attrText: string;
  s1: unknown; s2: unknown;
  steps: { stage: number; level: number; tableBase: number; index: number; descAddr: number; descPa: number; descLo: number; descHi: number; decision: string; why: string; forS1Table?: boolean }[];
}

function spOf(pe: PE): number {
  return pe.x[SP * 2 + 1] * TWO32 + pe.x[SP * 2];
}

/** 0x4000_1234 style (underscore every 4 hex digits), as in the Arm ARM's address notation. */
/** fmtAddr for an exact 64-bit address. */
export function fmtAddrExact(a: bigint): string {
  const h = a.toString(16);
  const parts: string[] = [];
  for (let i = h.length; i > 0; i -= 4) parts.unshift(h.slice(Math.max(0, i - 4), i));
  return `0x${parts.join('_')}`;
}

export function fmtAddr(a: number): string {
  const h = a.toString(16);
  const parts: string[] = [];
  for (let i = h.length; i > 0; i -= 4) parts.unshift(h.slice(Math.max(0, i - 4), i));
  return `0x${parts.join('_')}`;
}

export { ExprError };

/** A filter id and condition as the client gave them → the filter definition and the trimmed condition, or why not. */
function resolveFilter(filterId: string, condition: string | undefined, check: (src: string) => string | undefined = checkSyntax): { def: ExceptionFilterDef; condition?: string } | { message: string } {
  const def = EXCEPTION_FILTERS.find((d) => d.id === filterId);
  if (!def) return { message: `unknown filter '${filterId}'` };
  const cond = condition?.trim() || undefined;
  if (cond) {
    const err = check(cond);
    if (err) return { message: `condition: ${err}` };
  }
  return { def, condition: cond };
}
