// The region compiler against the interpreter on the whole differential corpus: every program
// runs in-process twice — compiler off, and forced on (threshold 0: every block head compiles
// at its first visit) — and must end with the same state digests (registers, system registers,
// devices, RAM), the same retired-instruction count, stop reason and output. Programs that need
// a virtio disk get none here (the corpus's disk check then fails identically both ways).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildProgram, listPrograms, missingTools } from './build';
import { Machine } from '../../src/sim/machine';
import { machineDigest } from '../../src/sim/snapshot';
import { loadElfProgram } from '../../src/asm/elf-program';

/** Instruction budget per run (the corpus's programs end long before). */
const LIMIT = 20_000_000;

interface Outcome { digest: string; retired: number; reason: string; out: string; compiled: number }

function runOnce(elf: string, opts: { gic: 2 | 3; cpu: string; cores: number }, jit: boolean): Outcome {
  const image = loadElfProgram(elf, readFileSync(elf));
  const out: number[] = [];
  const m = new Machine({
    gic: opts.gic === 2 ? 'v2' : 'v3', cpu: opts.cpu, cores: opts.cores, entryEL: image.entryEL,
    output: (b) => { for (const x of b) out.push(x); },
    jit: jit ? { threshold: 0 } : false,
  });
  m.load(image.segments, image.entry);
  const r = m.run(LIMIT);
  return {
    digest: machineDigest(m).all, retired: m.retired, reason: r.reason,
    out: Buffer.from(out).toString('latin1'), compiled: m.jit?.stats.compiledInstructions ?? 0,
  };
}

describe('jit: differential corpus with the region compiler forced on vs off', function () {
  const missing = missingTools();
  if (missing.length > 0) {
    it('needs binutils', function () { if (process.env.CI === 'true') assert.fail(missing.join(', ')); this.skip(); });
    return;
  }
  const programs = listPrograms();
  let compiledTotal = 0;
  for (const prog of programs) {
    it(prog.name, async () => {
      const elf = await buildProgram(prog);
      const off = runOnce(elf, prog.options, false);
      const on = runOnce(elf, prog.options, true);
      assert.equal(on.reason, off.reason, 'stop reason');
      assert.equal(on.retired, off.retired, 'retired instructions');
      assert.equal(on.out, off.out, 'guest output');
      assert.equal(on.digest, off.digest, 'machine state digest');
      compiledTotal += on.compiled;
    });
  }
  it('ran compiled code in the corpus', () => {
    assert.ok(compiledTotal > 0, 'no instruction of the corpus ran in a compiled region');
  });
});
