// The execution history behind reverse debugging (stepBack, reverseContinue): periodic machine
// snapshots (src/sim/snapshot.ts, copy-on-write memory) plus a log of every call that drove the
// machine since the first snapshot. The machine is deterministic (DESIGN.md section 3), and
// Machine.run keeps its round-robin position between calls, so re-issuing the logged calls from
// a snapshot re-creates every later state exactly.
//
// The log has two kinds of operations:
//   run  — Machine.run calls (consecutive calls of one debugger action are merged: run(a) then
//          run(b) executes what run(a + b) does); `late` records whether the last call returned
//          with the scheduling before the next instruction done (Machine.settled), which run(0)
//          re-creates;
//   step — Machine.stepInstruction on one PE (the debugger's instruction steps), merged while
//          each call retires exactly one instruction;
//   input — bytes typed into the guest's console (Machine.consoleInput.receive) between two
//          machine calls: host input is the one thing that does not follow from the state, so it
//          is logged where it arrived and handed to the device again when the log is re-issued.
//
// A position in the history is the number of instructions retired by all PEs (Machine.retired).
// The state "at T" is the state right before instruction T+1 was executed: every operation that
// ended at or before T re-issued in full, then the operation that executed instruction T+1 up to
// T. Stops of the debugger happen between operations, so going back to a stop's position gives
// exactly the state at that stop.
//
// This module knows nothing of DAP; the runtime supplies hooks to save and restore its own
// per-position state (exception contexts for the call stack) and to switch breakpoints off.
import type { Machine } from '../sim/machine';
import type { MachineSnapshot } from '../sim/snapshot';
import type { PE } from '../sim/pe';

type Op =
  | { kind: 'run'; g0: number; n: number; late: boolean }
  | { kind: 'step'; g0: number; n: number; calls: number; pe: number }
  | { kind: 'input'; g0: number; n: 0; bytes: Uint8Array };

interface Checkpoint {
  /** Position: `k` instructions (step calls) into operation `j`. */
  j: number;
  k: number;
  g: number;
  snap: MachineSnapshot;
  extra: unknown;
}

export interface TimelineOptions {
  /** Instructions between periodic snapshots (default 1,000,000). */
  interval?: number;
  /** Snapshots kept; older ones are thinned out (every other one), the first is always kept. */
  maxCheckpoints?: number;
}

export interface TimelineHooks {
  /** Runtime state that belongs to a position (captured with each snapshot). */
  saveExtra(): unknown;
  loadExtra(x: unknown): void;
}

/** Thrown when re-execution did not retire the instructions the log says (a bug, or an edit the log missed). */
export class ReplayError extends Error {}

export class Timeline {
  private ops: Op[] = [];
  private checkpoints: Checkpoint[] = [];
  /** Position of the machine in the log while re-executing (live: j = ops.length, k = 0). */
  private j = 0;
  private k = 0;
  /** The last run operation may be extended by the next run call (same debugger action). */
  private open = false;
  readonly interval: number;
  private readonly maxCheckpoints: number;

  constructor(private readonly m: Machine, private readonly hooks: TimelineHooks, opts: TimelineOptions = {}) {
    this.interval = Math.max(1000, opts.interval ?? 1_000_000);
    this.maxCheckpoints = Math.max(4, opts.maxCheckpoints ?? 64);
    this.reset();
  }

  /** Forgets the history: the current state becomes its start (after a debugger edit of registers or memory). */
  reset(): void {
    this.ops = [];
    this.checkpoints = [];
    this.j = 0;
    this.k = 0;
    this.open = false;
    this.checkpoint();
  }

  /** Retired-instruction count of the oldest state that can be gone back to. */
  get start(): number { return this.checkpoints[0].g; }

  /** Number of snapshots held. */
  get snapshots(): number { return this.checkpoints.length; }

  /** True when the machine is at the end of its history (not in a re-created past state). */
  get live(): boolean { return this.j === this.ops.length && this.k === 0; }

  // ---------------------------------------------------------------- recording (forward execution)

  /**
   * Starts a debugger action that executes forward. In a past state, the history after it is
   * dropped (execution from here re-creates it, or a different one after an edit).
   */
  beginForward(): void {
    if (!this.live) {
      const { j, k } = this;
      if (k > 0) {
        const op = this.ops[j];
        if (op.kind === 'run') { op.n = k; op.late = false; } else if (op.kind === 'step') { op.calls = k; op.n = k; }
        this.ops.length = j + 1;
      } else {
        this.ops.length = j;
      }
      this.checkpoints = this.checkpoints.filter((c) => c.j < j || (c.j === j && c.k <= k));
      this.j = this.ops.length;
      this.k = 0;
    }
    this.open = false;
    if (this.m.retired - this.lastCheckpoint.g >= Math.min(this.interval, 20_000)) this.checkpoint();
  }

  /** Instructions the next run call may execute before a snapshot is due. */
  untilCheckpoint(): number {
    return Math.max(1, this.lastCheckpoint.g + this.interval - this.m.retired);
  }

  /** Machine.run, logged. */
  run(budget: number): ReturnType<Machine['run']> {
    const g0 = this.m.retired;
    const r = this.m.run(budget);
    const n = this.m.retired - g0;
    const last = this.ops[this.ops.length - 1];
    if (this.open && last?.kind === 'run') { last.n += n; last.late = this.m.settled; }
    else this.ops.push({ kind: 'run', g0, n, late: this.m.settled });
    this.open = true;
    this.j = this.ops.length;
    if (this.m.retired - this.lastCheckpoint.g >= this.interval) this.checkpoint();
    return r;
  }

  /** Machine.stepInstruction, logged. */
  step(pe: PE): number {
    const g0 = this.m.retired;
    const r = this.m.stepInstruction(pe);
    const n = this.m.retired - g0;
    const last = this.ops[this.ops.length - 1];
    if (last?.kind === 'step' && last.pe === pe.id && last.n === last.calls && n === 1) { last.n++; last.calls++; }
    else this.ops.push({ kind: 'step', g0, n, calls: 1, pe: pe.id });
    this.open = false;
    this.j = this.ops.length;
    return r;
  }

  /** Machine.consoleInput.receive, logged (it retires nothing: n = 0). */
  input(bytes: Uint8Array): void {
    this.m.consoleInput.receive(bytes);
    this.ops.push({ kind: 'input', g0: this.m.retired, n: 0, bytes });
    this.open = false;
    this.j = this.ops.length;
  }

  private get lastCheckpoint(): Checkpoint { return this.checkpoints[this.checkpoints.length - 1]; }

  /** Snapshot of the current (live) position. */
  private checkpoint(): void {
    let j = this.ops.length, k = 0;
    const last = this.ops[j - 1];
    // Inside a run that later calls may extend: the position is "n instructions into it".
    if (last !== undefined && this.open && last.kind === 'run') { j--; k = last.n; }
    const c: Checkpoint = { j, k, g: this.m.retired, snap: this.m.snapshot(), extra: this.hooks.saveExtra() };
    const prev = this.checkpoints[this.checkpoints.length - 1];
    if (prev && prev.g === c.g && prev.j === c.j && prev.k === c.k) this.checkpoints[this.checkpoints.length - 1] = c;
    else this.checkpoints.push(c);
    if (this.checkpoints.length > this.maxCheckpoints) {
      // Thin out: keep the first and the newest eight, drop every other one in between.
      const keepNew = 8;
      const cps = this.checkpoints;
      const out = [cps[0]];
      for (let i = 1; i < cps.length - keepNew; i++) if (i % 2 === 0) out.push(cps[i]);
      out.push(...cps.slice(cps.length - keepNew));
      this.checkpoints = out;
    }
  }

  // ---------------------------------------------------------------- going back

  /** Retired count at the end of the history. */
  get end(): number {
    const last = this.ops[this.ops.length - 1];
    return last === undefined ? this.checkpoints[0].g : last.g0 + last.n;
  }

  /** The operation that executed instruction t+1 and how far into it state t is (j = ops.length: the end). */
  private locate(t: number): { j: number; k: number } {
    // The end of the history is the live state, input handed over last included.
    if (t >= this.end) return { j: this.ops.length, k: 0 };
    let lo = 0, hi = this.ops.length;
    // First op with g0 + n > t (ops are ordered by g0; n may be 0). Input that arrived at t
    // belongs after the state at t: the debugger stopped there before the bytes were handed over.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const o = this.ops[mid];
      if (o.kind === 'input' ? o.g0 >= t : o.g0 + o.n > t) hi = mid; else lo = mid + 1;
    }
    if (lo === this.ops.length) return { j: lo, k: 0 };
    return { j: lo, k: Math.max(0, t - this.ops[lo].g0) };
  }

  private before(a: { j: number; k: number }, b: { j: number; k: number }): boolean {
    return a.j < b.j || (a.j === b.j && a.k <= b.k);
  }

  /**
   * Re-creates the state at position `t` (clamped to the history): restores the nearest snapshot
   * at or before it and re-issues the logged calls. The caller switches breakpoints, watchpoints
   * and filters off first (or records them: `onPause`).
   */
  goto(t: number): void {
    t = Math.max(this.start, Math.min(t, this.end));
    const target = this.locate(t);
    let cp = this.checkpoints[0];
    for (const c of this.checkpoints) if (this.before(c, target)) cp = c;
    this.restoreCheckpoint(cp);
    this.advance(target);
  }

  /** Restores a snapshot and puts the log position there. */
  private restoreCheckpoint(c: Checkpoint): void {
    this.m.restore(c.snap);
    this.hooks.loadExtra(c.extra);
    this.j = c.j;
    this.k = c.k;
    this.open = false;
  }

  /**
   * Goes forward from the current log position to `target` by re-issuing the log. When recording
   * stops for reverse-continue, `onPause` is called after every machine call (a stop may have
   * been requested: the run then goes on) and before every step with the stepping PE (its
   * breakpoints are checked there, as stepping does not go through them).
   */
  private advance(target: { j: number; k: number }, onPause?: (beforeStep?: PE) => void): void {
    // Re-execution must run exactly what the log says: a stuck machine was stopped by the
    // recorded run's own length, so detection (src/sim/stuck.ts) stays off here.
    const detect = this.m.stuckDetection;
    this.m.stuckDetection = false;
    try {
      this.replay(target, onPause);
    } finally {
      this.m.stuckDetection = detect;
    }
  }

  private replay(target: { j: number; k: number }, onPause?: (beforeStep?: PE) => void): void {
    const m = this.m;
    while (this.j < target.j || (this.j === target.j && this.k < target.k)) {
      const op = this.ops[this.j];
      const full = this.j < target.j;
      if (op.kind === 'run') {
        const end = full ? op.n : target.k;
        while (this.k < end) {
          const g = m.retired;
          const r = m.run(end - this.k);
          const got = m.retired - g;
          this.k += got;
          if (got === 0 && r.reason !== 'paused') throw new ReplayError(`re-execution stopped (${r.reason}) ${end - this.k} instructions early`);
          onPause?.();
        }
        if (full) {
          if (op.late) { m.run(0); onPause?.(); }
          this.j++;
          this.k = 0;
        }
      } else if (op.kind === 'input') {
        m.consoleInput.receive(op.bytes);
        this.j++;
        this.k = 0;
      } else {
        const pe = m.pes[op.pe];
        const end = full ? op.calls : target.k;
        while (this.k < end) {
          onPause?.(pe);
          m.stepInstruction(pe);
          this.k++;
          onPause?.();
        }
        if (full) { this.j++; this.k = 0; }
      }
    }
    if (m.retired !== this.positionG()) throw new ReplayError(`re-execution reached ${m.retired} instead of ${this.positionG()}`);
  }

  /** Retired count the log says the current position has. */
  private positionG(): number {
    if (this.j >= this.ops.length) return this.end;
    const op = this.ops[this.j];
    return op.g0 + (op.kind === 'step' && op.n !== op.calls ? 0 : this.k);
  }

  /**
   * Samples `sample()` at every position from `from` to `to` (inclusive), one instruction at a
   * time (re-execution between them). Used to find where a PE's PC changed line or where it last
   * executed. Returns the samples, index 0 at `from`.
   */
  scan<T>(from: number, to: number, sample: () => T): T[] {
    this.goto(from);
    const out: T[] = [sample()];
    for (let t = from + 1; t <= to; t++) {
      this.advance(this.locate(t));
      out.push(sample());
    }
    return out;
  }

  /**
   * For reverse-continue: re-executes the history in windows between snapshots, newest first,
   * and returns the position of the last stop (recorded by `record` during re-execution, with
   * breakpoints and filters armed by the caller) before `now`; undefined when there is none.
   * `record` returns what stopped at the current position (or undefined) and clears it.
   */
  findLastStop<S>(now: number, arm: () => void, record: (beforeStep?: PE) => S | undefined): { g: number; stop: S } | undefined {
    const cps = this.checkpoints.filter((c) => c.g < now);
    for (let i = cps.length - 1; i >= 0; i--) {
      const endG = i + 1 < cps.length ? cps[i + 1].g : now;
      const hits: { g: number; stop: S }[] = [];
      this.restoreCheckpoint(cps[i]);
      arm();
      const take = (beforeStep?: PE): void => {
        const s = record(beforeStep);
        if (s !== undefined && this.m.retired < now) hits.push({ g: this.m.retired, stop: s });
      };
      this.advance(this.locate(endG), take);
      take();
      if (hits.length > 0) return hits[hits.length - 1];
    }
    return undefined;
  }
}
