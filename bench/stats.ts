// The arithmetic of `npm run bench`, kept free of timing and I/O so that it can be unit tested.

/** Median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Runs of one program length: how much work it does and the wall-clock seconds of each repetition. */
export interface LengthRuns {
  /** Work done by one run (instructions retired, or round trips) — the same in every repetition. */
  work: number;
  seconds: readonly number[];
}

export interface LoopOnlyRate {
  /** Work per second of the loop alone, or undefined when the longer run was not measurably slower. */
  rate: number | undefined;
  /** Median seconds of the short and the long run, and their difference. */
  shortSeconds: number;
  longSeconds: number;
  deltaSeconds: number;
  deltaWork: number;
}

/**
 * The rate of a loop alone, from whole-process runs of the same program with two loop lengths:
 * everything but the loop (process start-up, machine set-up, translation of the code, exit) costs
 * the same in both, so it cancels in
 *   rate = (work(long) − work(short)) / (median t(long) − median t(short)).
 * The medians are taken per length (not per pair) so one slow repetition does not decide the result.
 */
export function loopOnlyRate(short: LengthRuns, long: LengthRuns): LoopOnlyRate {
  const deltaWork = long.work - short.work;
  if (!(deltaWork > 0)) throw new RangeError(`the long run must do more work than the short one (got ${short.work} and ${long.work})`);
  const shortSeconds = median(short.seconds);
  const longSeconds = median(long.seconds);
  const deltaSeconds = longSeconds - shortSeconds;
  return { rate: deltaSeconds > 0 ? deltaWork / deltaSeconds : undefined, shortSeconds, longSeconds, deltaSeconds, deltaWork };
}

/**
 * Work done by a run whose loop runs `n` times, from two measured runs (n0, work0) and (n1, work1) of
 * the same program: the programs are straight-line set-up plus a loop with a fixed body, so work is
 * affine in n. Throws when the per-iteration work is not a whole number, which would mean the
 * program is not such a loop (and the extrapolation would be wrong).
 */
export function extrapolateWork(n0: number, work0: number, n1: number, work1: number, n: number): number {
  if (n1 === n0) throw new RangeError('two different loop lengths are needed');
  const perIteration = (work1 - work0) / (n1 - n0);
  if (!Number.isInteger(perIteration)) {
    throw new RangeError(`work per iteration is not a whole number (${work0} at ${n0}, ${work1} at ${n1}): the program is not a fixed loop`);
  }
  return work0 + perIteration * (n - n0);
}

/** a / b, or undefined when either side is missing or b is zero. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}
