// Where the cycles of one guest exit go, function by function: the machine executes (under its
// cost profile) one timed iteration of a guest — from the guest's counter read before its trap to
// its counter read after the hypervisor returned — one instruction at a time, and every cycle a
// PE spends is charged to the function its PC is in (named from the kernel's own kallsyms,
// kernel-view.ts), so the segments add up to the guest's own measurement of that iteration.
//
// The machine runs as it always does (round-robin over all PEs, `Machine.run(1)` keeps the
// instruction stream of a free run, machine.ts), so profiling does not change what it measures.
// Used by `armvirt run --exit-profile` (what `armvirt experiments --linux` prints) and by the
// adapter's `armvirt/exitProfile` request (the Timeline panel).
import type { Machine } from '../sim/machine';
import type { PE } from '../sim/pe';
import type { KernelView, Regime } from './kernel-view';

/** Consecutive instructions of one PE in one function (or guest / user code). */
export interface ProfileSegment {
  /** kallsyms name, or "guest (VMID n)", "user space", "0x…" when nothing is named there. */
  fn: string;
  regime: Regime;
  el: number;
  startCycle: number;
  cycles: number;
  instructions: number;
}

/** One function's share of the exit: the segments of one name added up, dearest first. */
export interface FunctionShare { fn: string; regime: Regime; cycles: number; instructions: number; segments: number }

export interface ExitProfile {
  pe: number;
  /** PE cycle of the guest's first counter read (the window's start) and of its second one (the end). */
  startCycle: number;
  endCycle: number;
  /** endCycle − startCycle: the sum of the segments' cycles. */
  cycles: number;
  /** What the guest itself measured for this iteration (second counter value − first), or null when it did not read twice. */
  guestMeasured: number | null;
  /** Why the guest left (the exception that started the exit, e.g. "HVC in AArch64 from EL1"). */
  cause: string;
  /** The PE's segments in time order. */
  segments: ProfileSegment[];
}

/** MRS Xt, CNTVCT_EL0 / CNTPCT_EL0 (C5.2: op0 3, op1 3, CRn 14, CRm 0, op2 2 / 1): the guests' timestamps. */
export function isCounterRead(word: number): boolean {
  const w = (word & ~0x1f) >>> 0;
  return w === 0xd53be040 || w === 0xd53be020;
}

export interface ProfileOptions {
  /** Give up after this many machine steps (default 5 million). */
  maxSteps?: number;
  /** Runs the machine by one instruction (default Machine.run(1); the adapter passes its logged history's run). */
  run1?: () => void;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/**
 * Runs `machine` until PE `peId` — in a guest, or in its hypervisor on the way back to one — has
 * read the counter, left the guest (an exception to the hypervisor), come back, and read the
 * counter again; returns that window (from the last read before the exit to the first after it)
 * charged to functions. Throws when the window does not close within `maxSteps`.
 */
export function profileGuestExit(machine: Machine, kernel: KernelView, peId: number, opts: ProfileOptions = {}): ExitProfile {
  const pe = machine.pes[peId];
  if (!pe) throw new RangeError(`exit profile: no PE ${peId}`);
  const maxSteps = opts.maxSteps ?? 5_000_000;
  const run1 = opts.run1 ?? ((): void => { machine.run(1); });
  const segments: ProfileSegment[] = [];
  let cause = '', lastWhy = '';
  const off = machine.bus.on('exceptionEntry', (e) => { if (e.pe === peId) lastWhy = e.why; });
  // A PE in its hypervisor (e.g. stopped at a trap to EL2) first runs back into its guest.
  let phase: 'enter' | 'first-read' | 'exit' | 'return' | 'second-read' = kernel.regime(pe) === 'guest' ? 'first-read' : 'enter';
  let startCycle = 0, first = 0n;
  try {
    for (let step = 0; step < maxSteps; step++) {
      const n = pe.instret, before = pe.now(), el = pe.el;
      const regime = kernel.regime(pe);
      const pc = (BigInt(pe.pcHi) << 32n) | BigInt(pe.pcLo);
      const word = regime === 'guest' ? kernel.fetch32(pe, pc) : undefined;
      const counterRead = word !== undefined && isCounterRead(word);
      if (counterRead && phase === 'second-read') {
        // The window ends where the second timestamp is taken: its instruction is not in it.
        off();
        run1();
        while (pe.instret === n) run1();
        const second = reg64(pe, word! & 0x1f);
        const end = before;
        return { pe: peId, startCycle, endCycle: end, cycles: end - startCycle, guestMeasured: Number(second - first), cause, segments };
      }
      run1();
      if (pe.instret === n) continue;
      if (phase === 'enter') {
        if (kernel.regime(pe) === 'guest') phase = 'first-read';
        continue;
      }
      if (counterRead && (phase === 'first-read' || phase === 'exit')) {
        // The window starts at the guest's last counter read before it leaves.
        phase = 'exit';
        segments.length = 0;
        startCycle = before;
        first = reg64(pe, word! & 0x1f);
      }
      if (phase === 'first-read') continue;
      charge(segments, nameOf(kernel, pe, pc, el, regime), regime, el, before, pe.now() - before);
      const now = kernel.regime(pe);
      if (phase === 'exit' && now !== 'guest') { phase = 'return'; cause = lastWhy; }
      else if (phase === 'return' && now === 'guest') phase = 'second-read';
    }
  } finally {
    off();
  }
  throw new Error(`exit profile: CPU${peId} did not complete a guest exit within ${maxSteps} steps (stopped in phase '${phase}')`);
}

/** Adds `cycles` to the last segment when it is the same function, else opens a new one. */
function charge(segs: ProfileSegment[], fn: string, regime: Regime, el: number, start: number, cycles: number): void {
  const last = segs[segs.length - 1];
  if (last && last.fn === fn && last.el === el) { last.cycles += cycles; last.instructions++; return; }
  segs.push({ fn, regime, el, startCycle: start, cycles, instructions: 1 });
}

function nameOf(kernel: KernelView, pe: PE, pc: bigint, el: number, regime: Regime): string {
  if (regime === 'guest') return `guest (VMID ${pe.vmid()})`;
  if (regime === 'user') return 'user space';
  return kernel.symbolize(pe, pc, el)?.name ?? hex(pc);
}

function reg64(pe: PE, r: number): bigint {
  return (BigInt(pe.x[2 * r + 1]) << 32n) | BigInt(pe.x[2 * r]);
}

/** The segments added up by function (and regime), dearest first. */
export function byFunction(p: ExitProfile): FunctionShare[] {
  const m = new Map<string, FunctionShare>();
  for (const s of p.segments) {
    const k = `${s.regime}\0${s.fn}`;
    const f = m.get(k) ?? { fn: s.fn, regime: s.regime, cycles: 0, instructions: 0, segments: 0 };
    f.cycles += s.cycles; f.instructions += s.instructions; f.segments++;
    m.set(k, f);
  }
  return [...m.values()].sort((a, b) => b.cycles - a.cycles);
}

/** What starts the line `armvirt run --exit-profile` prints: the prefix, then the ExitProfile as JSON. */
export const EXIT_PROFILE_PREFIX = 'armvirt-exit-profile: ';

/** Every exit profile printed on a console (lines of other programs are ignored). */
export function parseExitProfiles(text: string): ExitProfile[] {
  const out: ExitProfile[] = [];
  for (const m of text.matchAll(/armvirt-exit-profile: (\{.*\})\r?$/gm)) {
    try { out.push(JSON.parse(m[1]) as ExitProfile); } catch { /* a line cut by the console: skip */ }
  }
  return out;
}
