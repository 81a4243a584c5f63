// Debug adapter round trips: the median DAP round trip (request sent → `stopped` event) of `next`
// and `stepBack` through DebugClient against dist/debugAdapter.js, and the time of a `continue` to
// a breakpoint far away beside the same program run headless in this process.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Machine } from '../src/sim/machine';
import { loadProgram } from '../src/asm/program';
import { ROOT } from './programs';
import { median } from './stats';

export interface DapBenchOptions {
  /** Iterations of the 4-instruction loop run before the breakpoint (3 + 4n instructions). */
  iterations: number;
  /** Repetitions of the single-step round trips. */
  steps: number;
}

export interface DapBenchResult {
  instructions: number;
  nextMs: number;
  stepBackMs: number;
  firstStepBackMs: number;
  stepBackLineMs: number;
  reverseContinueMs: number;
  continueMs: number;
  headlessMs: number;
  steps: number;
}

function loopSource(iterations: number): string {
  return `        .text
        .global _start
_start:
        ldr     x1, =${iterations}
        mov     x2, #0
        mov     x3, #1
loop:   add     x2, x2, x3
        eor     x3, x3, x2, lsl #1
        subs    x1, x1, #1
        b.ne    loop
done:   mov     x0, #0
1:      add     x0, x0, #1
        b       1b
`;
}

export async function dapBench(opts: DapBenchOptions): Promise<DapBenchResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DebugClient } = require('@vscode/debugadapter-testsupport') as typeof import('@vscode/debugadapter-testsupport');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-dap-bench-'));
  const file = path.join(dir, 'dap-intloop.s');
  fs.writeFileSync(file, loopSource(opts.iterations));
  const instructions = 3 + 4 * opts.iterations;
  const prog = loadProgram(file);
  const warm = new Machine({ output: () => undefined }); // so the headless figure is not the JIT's first run
  warm.load(prog.segments, prog.entry);
  warm.run(Math.min(instructions, 1_000_000));
  const m = new Machine({ output: () => undefined });
  m.load(prog.segments, prog.entry);
  const h0 = process.hrtime.bigint();
  m.run(instructions); // up to the `done` label
  const headlessMs = Number(process.hrtime.bigint() - h0) / 1e6;

  const dc = new DebugClient(process.execPath, path.join(ROOT, 'dist', 'debugAdapter.js'), 'armvirt');
  dc.defaultTimeout = 600_000;
  await dc.start();
  const now = (): number => Number(process.hrtime.bigint()) / 1e6;
  const roundTrip = async (req: () => Promise<unknown>): Promise<number> => {
    const t = now();
    const ev = dc.waitForEvent('stopped', 600_000);
    await req();
    await ev;
    return now() - t;
  };
  try {
    const first = dc.waitForEvent('stopped', 600_000);
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'done' }] })).then(() => dc.configurationDoneRequest()),
      dc.launch({ program: file, stopOnEntry: true }),
    ]);
    await first;
    const continueMs = await roundTrip(() => dc.continueRequest({ threadId: 1 }));
    // The first step back after a long run re-executes from the last periodic snapshot (up to 10^6 instructions back).
    const firstStepBackMs = await roundTrip(() => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
    const next: number[] = [];
    for (let i = 0; i < opts.steps; i++) next.push(await roundTrip(() => dc.nextRequest({ threadId: 1, granularity: 'instruction' })));
    const back: number[] = [];
    for (let i = 0; i < opts.steps; i++) back.push(await roundTrip(() => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' })));
    const backLine: number[] = [];
    for (let i = 0; i < Math.max(1, opts.steps >> 2); i++) backLine.push(await roundTrip(() => dc.stepBackRequest({ threadId: 1 })));
    const reverseContinueMs = await roundTrip(() => dc.reverseContinueRequest({ threadId: 1 }));
    return {
      instructions, nextMs: median(next), stepBackMs: median(back), firstStepBackMs, stepBackLineMs: median(backLine),
      reverseContinueMs, continueMs, headlessMs, steps: opts.steps,
    };
  } finally {
    await dc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
