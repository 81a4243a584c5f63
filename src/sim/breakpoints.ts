// Debugger breakpoints and watchpoints on the simulator side (no DAP types here; the adapter
// in src/debug drives this module).
//
// Code breakpoints cost nothing on the hot path: a breakpoint replaces the decoded executor of
// the instruction at its physical address in the machine's decoded-instruction cache
// (`mem.code[page][word]`) by a wrapper. The wrapper checks that the PC (a VA) is the one the
// breakpoint was set on, skips the stop once when the PE is resuming from this very address,
// and otherwise asks the breakpoint whether to stop (condition, hit count, logpoint). A stop
// requests a machine pause and returns Flow.Stop *without* executing the instruction, so the
// PE stops with PC at the breakpoint, as a hardware breakpoint (DDI0487 D2.8) reports it.
//
// `PhysicalMemory.write` invalidates a decoded slot by setting it undefined; the run loop then
// re-decodes it without the wrapper. `arm()` re-installs every wrapper whose slot was
// invalidated; the runtime calls it before every run slice, so a breakpoint on code the guest
// rewrites inside one slice is missed only for that slice (we choose this over a per-instruction
// check).
//
// When the guest's own self-hosted debug is active (hardware breakpoints or software step, see
// src/sim/selfdebug/exceptions.ts), the PE runs one instruction at a time and asks
// `stopBefore` (installed as PE.codeBreakpointCheck) before the guest's breakpoint check, so a
// debugger breakpoint at the address of a guest DBGBVR breakpoint stops the debugger first, and
// the guest's breakpoint exception is taken when the user continues.
//
// Watchpoints hook the PE's data-address translation (`PE.watch`, null when none are set) and
// report after the access instruction completes, as hardware watchpoints do (DDI0487 D2.10:
// the watchpoint exception is taken with the access done for our purposes — we stop at the
// next instruction boundary).
import { Acc, Flow, INSTRUMENTED, type Exec } from './exec';
import { decode } from './decode';
import { PAGE_SIZE } from './memory';
import type { PE } from './pe';
import type { Machine } from './machine';

/** A code breakpoint at a virtual address. */
export interface CodeBreakpoint {
  /** The PC value (VA in the current translation regime) at which to stop. */
  readonly va: number;
  /** Called just before a PE executes the instruction at `va`; return true to stop there. */
  hit(pe: PE): boolean;
  /**
   * Physical addresses to watch instead of resolving `va` (a kernel symbol placed by its PA);
   * with it, `hit` is asked at any PC that executes them (the code may run at several VAs: the
   * kernel's, the nVHE hyp's) and decides itself.
   */
  readonly pas?: readonly number[];
}

/** A data watchpoint over [start, end) in the VA or PA space. */
export interface Watchpoint {
  readonly space: 'va' | 'pa';
  readonly start: number;
  readonly end: number;
  readonly onRead: boolean;
  readonly onWrite: boolean;
  /** Called after a matching access has been translated; return true to stop after the instruction. */
  hit(pe: PE, access: WatchAccess): boolean;
}

export interface WatchAccess { va: number; pa: number; size: number; write: boolean }

interface Slot {
  pa: number;
  page: (Exec | undefined)[];
  idx: number;
  inner: Exec;
  wrapper: Exec;
  entries: CodeBreakpoint[];
}

export class BreakpointEngine {
  private readonly slots = new Map<number, Slot>();
  private readonly byBp = new Map<CodeBreakpoint, number[]>();
  /** Per PE: the VA whose breakpoints are skipped once because the PE resumes from it (-1: none). */
  private readonly skipVa: number[];
  private watchpoints: Watchpoint[] = [];
  private readonly watchHook: (pe: PE, vlo: number, vhi: number, pa: number, size: number, acc: number) => void;

  /**
   * @param resolvePa physical addresses a VA's instruction may be fetched from (identity when
   *   the MMU is off; the runtime passes a debug translation when one exists).
   */
  constructor(private readonly machine: Machine, private readonly resolvePa: (va: number) => number[] = (va) => [va]) {
    this.skipVa = machine.pes.map(() => -1);
    this.watchHook = (pe, vlo, vhi, pa, size, acc) => this.checkWatch(pe, vhi * 4294967296 + vlo, pa, size, acc === Acc.Write);
    const check = (pe: PE, pa: number, willExecute: boolean): boolean => this.stopBefore(pe, pa, willExecute);
    for (const pe of machine.pes) pe.codeBreakpointCheck = check;
  }

  /**
   * The debug slow path's question (see the header): does the debugger stop before the
   * instruction at the PE's PC, fetched from `pa`? When it does not and the instruction will
   * execute, the wrapper in the slot runs it without asking (and counting hits) again.
   */
  private stopBefore(pe: PE, pa: number, willExecute: boolean): boolean {
    const s = this.slots.get(pa);
    if (s === undefined) return false;
    const pc = pe.pcHi * 4294967296 + pe.pcLo;
    if (this.skipVa[pe.id] === pc) {
      if (!willExecute) this.skipVa[pe.id] = -1;
      return false;
    }
    this.skipVa[pe.id] = -1;
    if (this.decide(pe, s, pc)) {
      pe.resumeMidBlock = true;
      this.machine.requestPause();
      return true;
    }
    if (willExecute) this.skipVa[pe.id] = pc;
    return false;
  }

  /** Every entry at `pc` sees the hit (hit counts and logpoints count even when another one stops); true to stop. */
  private decide(pe: PE, s: Slot, pc: number): boolean {
    const entries = s.entries;
    let stop = false;
    for (let i = 0; i < entries.length; i++) if ((entries[i].pas !== undefined || entries[i].va === pc) && entries[i].hit(pe)) stop = true;
    return stop;
  }

  // ---------------------------------------------------------------- code breakpoints

  add(bp: CodeBreakpoint): void {
    const pas = (bp.pas ?? this.resolvePa(bp.va)).filter((pa) => pa % 4 === 0 && this.machine.mem.isRam(pa));
    this.byBp.set(bp, pas);
    for (const pa of pas) {
      let s = this.slots.get(pa);
      if (!s) {
        s = this.makeSlot(pa);
        this.slots.set(pa, s);
      }
      s.entries.push(bp);
      this.install(s);
    }
  }

  remove(bp: CodeBreakpoint): void {
    const pas = this.byBp.get(bp);
    if (!pas) return;
    this.byBp.delete(bp);
    for (const pa of pas) {
      const s = this.slots.get(pa);
      if (!s) continue;
      const i = s.entries.indexOf(bp);
      if (i >= 0) s.entries.splice(i, 1);
      if (s.entries.length === 0) {
        // Put a plain decoded executor back (or leave the slot to be re-decoded).
        if (s.page[s.idx] === s.wrapper) s.page[s.idx] = undefined;
        this.slots.delete(pa);
      }
    }
  }

  /** Number of code breakpoints set. */
  get size(): number { return this.byBp.size; }

  /**
   * Re-resolves every breakpoint's VA to physical addresses (after the guest changed its
   * translation: SCTLR/TTBR/TCR/HCR/VTTBR writes) and moves the wrappers that changed.
   */
  refresh(): void {
    for (const [bp, pas] of [...this.byBp]) {
      const now = (bp.pas ?? this.resolvePa(bp.va)).filter((pa) => pa % 4 === 0 && this.machine.mem.isRam(pa));
      if (now.length === pas.length && now.every((p, i) => p === pas[i])) continue;
      this.remove(bp);
      this.add(bp);
    }
  }

  /** True if some code breakpoint is set at `va`. */
  hasBreakpointAt(va: number): boolean {
    for (const bp of this.byBp.keys()) if (bp.va === va) return true;
    return false;
  }

  /** Re-installs wrappers whose decoded slot was invalidated by a memory write or a reload. */
  arm(): void {
    for (const s of this.slots.values()) if (s.page[s.idx] !== s.wrapper) this.install(s);
  }

  /**
   * Takes every wrapper out of the decoded-instruction cache (reverse execution re-executes with
   * breakpoints off); `arm()` puts them back.
   */
  disarm(): void {
    for (const s of this.slots.values()) {
      const page = this.machine.codePage(s.pa)!;
      if (page[s.idx] === s.wrapper) page[s.idx] = undefined;
      if (s.page[s.idx] === s.wrapper) s.page[s.idx] = undefined;
    }
  }

  /** The next instruction `pe` executes at its current PC does not stop on a breakpoint there. */
  resumeFrom(pe: PE): void {
    this.skipVa[pe.id] = pe.pc;
  }

  /** Forgets all resume marks (after a reset or restart). */
  clearResume(): void { this.skipVa.fill(-1); }

  private makeSlot(pa: number): Slot {
    const page = this.machine.codePage(pa)!;
    const idx = (pa % PAGE_SIZE) >>> 2;
    const s: Slot = { pa, page, idx, inner: decodeAt(this.machine, pa), wrapper: undefined as unknown as Exec, entries: [] };
    const skip = this.skipVa;
    const machine = this.machine;
    s.wrapper = (pe: PE): number => {
      const pc = pe.pcHi * 4294967296 + pe.pcLo;
      if (skip[pe.id] === pc) {
        skip[pe.id] = -1;
        return s.inner(pe);
      }
      skip[pe.id] = -1;
      if (!this.decide(pe, s, pc)) return s.inner(pe);
      // The run loop counted this instruction before calling us; it was not executed.
      pe.instret--;
      pe.cycles--;
      // Resuming executes this instruction without a new interrupt check, as if never stopped.
      pe.resumeMidBlock = true;
      machine.requestPause();
      return Flow.Stop;
    };
    INSTRUMENTED.add(s.wrapper);
    return s;
  }

  private install(s: Slot): void {
    // The page array can be replaced (reload): look it up again.
    s.page = this.machine.codePage(s.pa)!;
    s.inner = decodeAt(this.machine, s.pa);
    s.page[s.idx] = s.wrapper;
    this.machine.mem.codeChanged(s.pa);   // compiled regions covering the slot must end before it
  }

  // ---------------------------------------------------------------- watchpoints

  setWatchpoints(list: Watchpoint[]): void {
    this.watchpoints = list.slice();
    const hook = list.length > 0 ? this.watchHook : null;
    for (const pe of this.machine.pes) pe.watch = hook;
  }

  get hasWatchpoints(): boolean { return this.watchpoints.length > 0; }

  private checkWatch(pe: PE, va: number, pa: number, size: number, write: boolean): void {
    let stop = false;
    for (const w of this.watchpoints) {
      if (write ? !w.onWrite : !w.onRead) continue;
      const a = w.space === 'va' ? va : pa;
      if (a + size <= w.start || a >= w.end) continue;
      if (w.hit(pe, { va, pa, size, write })) stop = true;
    }
    if (stop) this.machine.requestPause();
  }
}

function decodeAt(machine: Machine, pa: number): Exec {
  const view = machine.mem.ramPage(pa)!;
  // The PEs' decoder (with a cost profile it charges each instruction's modelled cycles).
  return (machine.pes[0]?.decoder ?? decode)(view.getUint32(pa % PAGE_SIZE, true));
}
