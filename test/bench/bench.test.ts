// Smoke test of `npm run bench`: `node dist/bench.js --quick --json --only intloop` (about 3 s on
// the 2-core development machine) runs and reports both comparisons with QEMU. It checks the
// figures are there and consistent, never how fast anything is.
//   CI=true   fail (instead of skip the QEMU half) when qemu-system-aarch64 is missing
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { haveTool } from '../../bench/programs';
import { QEMU } from '../../bench/runners';

const ROOT = path.resolve(__dirname, '..', '..');
const BENCH = path.join(ROOT, 'dist', 'bench.js');

describe('bench: node dist/bench.js --quick --json --only intloop', function () {
  this.timeout(120_000);

  it('reports loop-to-loop and process-to-process ratios and the host load', function () {
    assert.ok(fs.existsSync(BENCH), `${path.relative(ROOT, BENCH)} is missing (run \`npm run build\`)`);
    const withQemu = haveTool(QEMU);
    if (!withQemu && process.env.CI === 'true') assert.fail(`${QEMU} is missing (CI=true)`);
    const r = spawnSync(process.execPath, [BENCH, '--quick', '--json', '--only', 'intloop'], { encoding: 'utf8', timeout: 110_000 });
    assert.equal(r.status, 0, r.stderr);
    const rep = JSON.parse(r.stdout);
    assert.equal(rep.mode, 'quick');
    assert.equal(rep.host.cpus > 0, true);
    assert.equal(rep.loadAtStart.loadavg.length, 3);
    assert.equal(rep.loadAtEnd.loadavg.length, 3);
    assert.deepEqual(rep.loops.map((l: { id: string }) => l.id), ['intloop']);
    const l = rep.loops[0];
    // 3 + 4 instructions per iteration of the loop, plus the harness: the count follows the length.
    assert.equal(l.length, 5_000_000);
    assert.ok(l.instructions > 4 * l.length && l.instructions < 4 * l.length + 10_000, `instructions ${l.instructions}`);
    assert.equal(l.qemuLongInstructions - l.instructions, 4 * (l.qemuLongLength - l.length));
    assert.ok(l.ours.mips > 0 && l.ours.processSeconds.length === 1 && l.ours.processSeconds[0] > 0);
    assert.ok(l.ours.cpuMips > 0 && l.ours.runLoopCpuSeconds.length === 1);
    if (process.platform === 'linux') assert.equal(l.ours.processCpuSeconds.length, 1, 'CPU time of the CLI process (from /proc/self/stat)');
    if (!withQemu) {
      console.log(`      note: ${QEMU} not installed — only our side was checked`);
      assert.equal(l.qemu, undefined);
      return;
    }
    assert.equal(l.qemu.outputMatches, true, 'QEMU and the simulator print the same checksum');
    assert.equal(l.qemu.shortSeconds.length, 3);
    assert.equal(l.qemu.longSeconds.length, 3);
    assert.ok(l.qemu.loopMips > 0, 'QEMU loop-only MIPS (the long runs took longer than the short ones)');
    assert.ok(Math.abs(l.ratios.loopToLoop - l.ours.mips / l.qemu.loopMips) < 1e-9);
    const median3 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1];
    assert.ok(Math.abs(l.ratios.processToProcess - median3(l.qemu.shortSeconds) / l.ours.processSeconds[0]) < 1e-9);
  });
});
