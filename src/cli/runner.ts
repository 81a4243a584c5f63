// Runs a Machine from the command line without blocking the event loop: the machine executes in
// slices of N instructions (N tuned so that a slice takes about 15 ms), and between slices the
// runner flushes pending output and yields (setImmediate), so that SIGINT/SIGTERM handlers run.
// Slicing does not change what the guest does: Machine.run(a) then run(b) executes exactly the
// instruction stream of run(a + b) (src/sim/machine.ts, the round-robin position is kept).
import type { Machine, RunResult } from '../sim/machine';
import { PowerState, type PE } from '../sim/pe';
import { hex64 } from '../sim/u64';
import type { FdWriter } from './output';
import type { StdinFeed } from './input';

/** Target wall-clock time of one slice. */
const SLICE_MS = 15;
const MIN_SLICE = 1_000;
const MAX_SLICE = 50_000_000;

/** Why the runner stopped early: a signal, or a reader that closed our output (EPIPE). */
export interface StopFlag {
  signal: NodeJS.Signals | null;
  /** Set by the runner when output can no longer be written. */
  brokenPipe: boolean;
}

/** Installs SIGINT/SIGTERM handlers that set `flag.signal`; returns the function removing them. */
export function catchSignals(flag: StopFlag, onSignal?: () => void): () => void {
  const on = (s: NodeJS.Signals) => (): void => { flag.signal ??= s; onSignal?.(); };
  const int = on('SIGINT'), term = on('SIGTERM');
  process.on('SIGINT', int);
  process.on('SIGTERM', term);
  return () => {
    process.off('SIGINT', int);
    process.off('SIGTERM', term);
  };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A monotonic clock in milliseconds (process.hrtime: node:perf_hooks is not loaded just for this). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Runs `m` until it stops by itself (exit, power-off, deadlock…), `maxInsns` instructions have
 * run ('limit'), or `flag` asks to stop ('paused'). Output in `writers` is flushed after every slice.
 */
export async function runSliced(m: Machine, maxInsns: number, flag: StopFlag, writers: FdWriter[], input?: StdinFeed): Promise<RunResult> {
  let slice = 100_000;
  let executed = 0;
  // Stdin is read once the guest can want input: it has looked at the PL011's receive side (Pl011.
  // onInputInterest), or it has a virtio console. Until then, no byte could reach it anyway (the
  // OS keeps what is typed or piped), and a program that never reads its console — a benchmark
  // loop, a test that prints and exits — never pays for Node's stdin streams (~5 ms of CPU).
  // With a cost profile every slice is the same number of instructions, never sized by the host's
  // clock: modelled cycles are fractional and summed slice by slice, so where slices end changes
  // their rounding, and with it the instruction at which the counter ticks (two identical runs of
  // a Linux KVM hypercall measured 4,930 and 7,354 cycles). Fixed slices make a run repeat exactly.
  const steady = m.cost !== null;
  let wantsInput = m.virtioConsole !== null;
  if (input && !wantsInput) m.uart.onInputInterest = () => { wantsInput = true; };
  for (;;) {
    if (flag.signal || flag.brokenPipe) return { reason: 'paused', executed };
    input?.drain(m);
    const n = Math.min(slice, maxInsns - executed);
    const t0 = nowMs();
    const r = m.run(n);
    const ms = nowMs() - t0;
    executed += r.executed;
    for (const w of writers) {
      w.flush();
      if (w.closed) flag.brokenPipe = true;
    }
    // Every PE sleeps and only console input could wake one (the guest unmasked the UART's
    // receive interrupt, or gave the virtio console receive buffers): wait for stdin rather than
    // report a deadlock, until it ends.
    const asleep = r.reason === 'deadlock' || (r.reason === 'stuck' && (m.stuck?.pes.every((p) => p.kind === 'wfi') ?? false));
    if (asleep && input && (input.open || input.pending) && m.consoleInput.waitsForInput) {
      input.listen();
      await input.wait();
      continue;
    }
    if (r.reason !== 'limit' || executed >= maxInsns) return { ...r, executed };
    // Aim the next slice at SLICE_MS from this one's rate (smoothed, bounded).
    if (steady) { /* fixed slices, see above */ } else if (r.executed > 0 && ms > 0.5) {
      const ideal = (r.executed / ms) * SLICE_MS;
      slice = Math.round(Math.min(MAX_SLICE, Math.max(MIN_SLICE, (slice + ideal) / 2)));
    } else if (ms <= 0.5) slice = Math.min(MAX_SLICE, slice * 2);
    if (wantsInput) input?.listen();
    await yieldToEventLoop();
  }
}

/**
 * --trace: one instruction at a time, round-robin over the PEs that can run, each preceded by
 * its trace line on `trace`. Yields to the event loop about every SLICE_MS.
 */
export async function runTraced(m: Machine, maxInsns: number, flag: StopFlag, out: FdWriter, trace: FdWriter, line: (pe: PE) => string): Promise<RunResult> {
  let executed = 0;
  let t0 = nowMs();
  for (;;) {
    let any = false;
    for (const pe of m.pes) {
      if (pe.power !== PowerState.On || (pe.waiting && !pe.interruptPending())) continue;
      any = true;
      // Keep guest output and trace lines in order on a shared terminal.
      if (out.pending > 0) out.flush();
      trace.write(line(pe));
      m.stepInstruction(pe);
      executed++;
      if (m.halted) return { reason: m.halted, exitCode: m.exitCode, executed };
      if (executed >= maxInsns) return { reason: 'limit', executed };
    }
    if (!any) return { reason: m.pes.every((p) => p.power !== PowerState.On) ? 'off' : 'deadlock', exitCode: 0, executed };
    // A clock read per round is cheap next to disassembling and formatting a trace line.
    if (nowMs() - t0 >= SLICE_MS) {
      out.flush();
      trace.flush();
      if (out.closed || trace.closed) flag.brokenPipe = true;
      await yieldToEventLoop();
      t0 = nowMs();
    }
    if (out.closed || trace.closed) flag.brokenPipe = true;
    if (flag.signal || flag.brokenPipe) return { reason: 'paused', executed };
  }
}

/** "CPU0 EL1 PC=0x0000000040000010 running": each PE's EL, PC and whether it runs, waits (WFI) or is off. */
export function peSummary(pes: readonly PE[]): string {
  return pes.map((p) => {
    const state = p.power !== PowerState.On ? 'off' : p.waiting ? 'WFI' : 'running';
    return `CPU${p.id} EL${p.el} PC=0x${hex64(p.pcLo, p.pcHi)} ${state}`;
  }).join(', ');
}
