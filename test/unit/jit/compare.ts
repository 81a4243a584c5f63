// The loop both random-equivalence suites share: generate a program, run it with the compiler off
// and forced on from the same seeded state and budget, and require the same architectural result.
import { strict as assert } from 'node:assert';
import { rng } from '../sim/harness';

/** What one run leaves behind; `cycles` and `data` are compared when the suite records them. */
export interface RunSummary { x: number[]; nzcv: number; pc: number; instret: number; compiled: number; cycles?: number; data?: number[] }

export interface RandomLoops {
  samples: number;
  seed: number;
  /** Budgets are 1..maxBudget instructions. */
  maxBudget: number;
  program(next: () => number): number[];
  runOne(words: number[], seed: number, budget: number, jit: boolean): RunSummary;
}

/** Runs every sample both ways; returns how many instructions ran in compiled code. */
export function compareRandomLoops(o: RandomLoops): number {
  const next = rng(o.seed);
  let compiled = 0;
  for (let s = 0; s < o.samples; s++) {
    const words = o.program(next);
    const seed = next();
    const budget = 1 + (next() % o.maxBudget);
    const off = o.runOne(words, seed, budget, false);
    const on = o.runOne(words, seed, budget, true);
    const where = `sample ${s}: ${words.map((w) => w.toString(16).padStart(8, '0')).join(' ')} budget ${budget}`;
    assert.deepEqual(on.x, off.x, `registers, ${where}`);
    assert.equal(on.nzcv, off.nzcv, `NZCV, ${where}`);
    assert.equal(on.pc, off.pc, `PC, ${where}`);
    assert.equal(on.instret, off.instret, `instret, ${where}`);
    if (off.cycles !== undefined) assert.equal(on.cycles, off.cycles, `cycles, ${where}`);
    if (off.data !== undefined) assert.deepEqual(on.data, off.data, `memory, ${where}`);
    compiled += on.compiled;
  }
  return compiled;
}
