// The arithmetic and program building of `npm run bench` (bench/stats.ts, bench/programs.ts);
// nothing here is timed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extrapolateWork, loopOnlyRate, median, ratio } from '../../../bench/stats';
import { gnuToolchainAvailable, ProgramBuilder } from '../../../bench/programs';
import { runInProcess } from '../../../bench/runners';

describe('bench: statistics', () => {
  it('median of odd and even counts, unsorted input, input left unchanged', () => {
    const xs = [5, 1, 4, 2, 3];
    assert.equal(median(xs), 3);
    assert.deepEqual(xs, [5, 1, 4, 2, 3]);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.throws(() => median([]), /empty/);
  });

  it('loop-only rate: start-up common to both lengths cancels out', () => {
    // 0.2 s of start-up, then 1e9 instructions per second: 1e8 and 5e8 instructions.
    const r = loopOnlyRate({ work: 1e8, seconds: [0.31, 0.3, 0.9] }, { work: 5e8, seconds: [0.7, 0.71, 0.69] });
    assert.equal(r.shortSeconds, 0.31);
    assert.equal(r.longSeconds, 0.7);
    assert.equal(r.deltaWork, 4e8);
    assert.ok(Math.abs(r.deltaSeconds - 0.39) < 1e-12);
    assert.ok(Math.abs(r.rate! - 4e8 / 0.39) < 1e-3);
    // Whole-process rate of the long run would be 5e8 / 0.7: the start-up makes it lower.
    assert.ok(r.rate! > 5e8 / 0.7);
  });

  it('loop-only rate: undefined when the long run is not slower, error when it does no more work', () => {
    assert.equal(loopOnlyRate({ work: 1, seconds: [0.5] }, { work: 2, seconds: [0.4] }).rate, undefined);
    assert.equal(loopOnlyRate({ work: 1, seconds: [0.5] }, { work: 2, seconds: [0.5] }).rate, undefined);
    assert.throws(() => loopOnlyRate({ work: 2, seconds: [0.1] }, { work: 2, seconds: [0.2] }), /more work/);
  });

  it('work extrapolated along a fixed loop, refused when the loop body is not a whole number of instructions', () => {
    // 3 set-up instructions + 4 per iteration: 43 at n = 10, 4003 at n = 1000.
    assert.equal(extrapolateWork(10, 43, 1000, 4003, 250_000_000), 3 + 4 * 250_000_000);
    assert.equal(extrapolateWork(10, 83, 20, 123, 5), 63);
    assert.throws(() => extrapolateWork(10, 83, 20, 124, 5), /not a whole number/);
    assert.throws(() => extrapolateWork(10, 83, 10, 83, 5), /two different/);
  });

  it('ratio with missing sides', () => {
    assert.equal(ratio(3, 4), 0.75);
    assert.equal(ratio(undefined, 4), undefined);
    assert.equal(ratio(3, undefined), undefined);
    assert.equal(ratio(3, 0), undefined);
  });
});

describe('bench: programs with a loop-length parameter', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-bench-test-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // The built-in assembler is the fallback without GNU as: it must find harness.inc (test/diff/include)
  // and the programs' own .inc files (bench/programs).
  const kinds = gnuToolchainAvailable() ? (['builtin', 'gnu'] as const) : (['builtin'] as const);
  for (const kind of kinds) {
    it(`builds intloop and mmu-loop-flat with ${kind === 'gnu' ? 'GNU as' : 'the built-in assembler'}; the length changes only the loop count`, () => {
      const b = new ProgramBuilder(path.join(dir), kind);
      const a = runInProcess(b.build('intloop', 'ITERATIONS', 10));
      const c = runInProcess(b.build('intloop', 'ITERATIONS', 30));
      assert.equal(c.instructions - a.instructions, 4 * 20, 'intloop: 4 instructions per iteration');
      assert.match(a.output, /^checksum=[0-9a-f]{16}\n$/);
      assert.notEqual(a.output, c.output);
      const f1 = runInProcess(b.build('mmu-loop-flat', 'PASSES', 1));
      const f2 = runInProcess(b.build('mmu-loop-flat', 'PASSES', 2));
      assert.equal(f2.instructions - f1.instructions, 16384 * 7 + 4, 'one more pass over the 16,384 pages');
    });
  }

  it('refuses a symbol the program does not guard', () => {
    const b = new ProgramBuilder(dir, 'builtin');
    assert.throws(() => b.build('intloop', 'PASSES', 3), /no '\.ifndef PASSES' guard/);
    assert.throws(() => b.build('intloop', 'ITERATIONS', 0), /positive integer/);
  });
});
