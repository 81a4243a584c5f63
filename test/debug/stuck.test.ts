// DAP tests of a machine that can make no progress (src/sim/stuck.ts): the session stops as on
// an exception ('stuck' filter, on by default) naming the pattern, exceptionInfo explains it,
// continuing reports it again at once, and with the filter off the stop is a pause.
import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { launch, lineOf, newClient, program, stopped, topFrame } from './helpers';

const NOVEC = program('stuck-novec.s');
const HALT = program('stuck-halt.s');
const NOVEC_MESSAGE = 'CPU0: instruction abort at EL2 fetching 0x200 (VBAR_EL2 is 0: no vector table installed); ESR_EL2=0x86000010';

describe('debug adapter: stuck machine', function () {
  this.timeout(30000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  it('a missing vector table stops with reason exception naming the loop; exceptionInfo explains it; the hint says entryEL', async () => {
    const stderr: string[] = [];
    dc.on('output', (o: { body: { category?: string; output: string } }) => { if (o.body.category === 'stderr') stderr.push(o.body.output); });
    const first = stopped(dc);
    const t0 = Date.now();
    await launch(dc, { program: NOVEC });
    const e = await first;
    const ms = Date.now() - t0;
    assert.strictEqual(e.body.reason, 'exception');
    assert.strictEqual(e.body.description, NOVEC_MESSAGE);
    assert.strictEqual(e.body.text, NOVEC_MESSAGE);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.exceptionId, 'stuck');
    assert.strictEqual(info.body.breakMode, 'always');
    assert.strictEqual(info.body.description, NOVEC_MESSAGE);
    assert.match(info.body.details?.message ?? '', /the loop began with SVC .* from EL2 \(ELR_EL2=0x4000000c/);
    assert.match(info.body.details?.message ?? '', /Did you mean "entryEL": 1\?/);
    assert.ok(stderr.join('').includes(`armvirt: ${NOVEC_MESSAGE}\n`), stderr.join(''));
    assert.ok(stderr.join('').includes('armvirt: Did you mean "entryEL": 1?'), stderr.join(''));
    // The PE is where the loop is: at the vector, 0x200.
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.strictEqual(st.body.stackFrames[0].instructionPointerReference, '0x200');
    // Continue cannot get anywhere: the same stop comes back at once.
    const again = stopped(dc, 'exception');
    await dc.continueRequest({ threadId: 1 });
    assert.strictEqual((await again).body.description, NOVEC_MESSAGE);
    // (recorded for the "stops within 1 s": launch to stop, including adapter start-up)
    console.log(`      stuck stop ${ms} ms after launch`);
  });

  it('b . with interrupts masked stops as halted at the loop; with the filter off the stop is a pause with the same text', async () => {
    const first = stopped(dc, 'exception');
    await launch(dc, { program: HALT });
    const e = await first;
    assert.strictEqual(e.body.description, 'CPU0: halted at PC 0x40000008 (branch to self, interrupts masked)');
    assert.strictEqual((await topFrame(dc)).line, lineOf(HALT, '@halt'));
    // The filter off: continuing still stops (a stuck machine never goes on), as a pause.
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    const p = stopped(dc, 'pause');
    await dc.continueRequest({ threadId: 1 });
    const e2 = await p;
    assert.strictEqual(e2.body.text, 'CPU0: halted at PC 0x40000008 (branch to self, interrupts masked)');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.notStrictEqual(info.body.exceptionId, 'stuck');
    assert.strictEqual(info.body.description, 'CPU0: halted at PC 0x40000008 (branch to self, interrupts masked)');
  });

  it('reverse execution from a stuck stop: stepBack and reverseContinue re-execute the recorded history, continue finds the loop again', async () => {
    const first = stopped(dc, 'exception');
    await launch(dc, { program: NOVEC });
    await first;
    const back = stopped(dc, 'step');
    await dc.stepBackRequest({ threadId: 1, granularity: 'instruction' });
    await back;
    assert.strictEqual((await topFrame(dc)).instructionPointerReference, '0x200', 'the previous step is the loop too');
    assert.match((await dc.evaluateRequest({ expression: 'ESR_EL2', context: 'repl' })).body.result, /0x86000010/);
    // Back to the start of the history (the breakpoint at the SVC is hit on the way back).
    const bp = await dc.setBreakpointsRequest({ source: { path: NOVEC }, breakpoints: [{ line: lineOf(NOVEC, '@svc') }] });
    assert.ok(bp.body.breakpoints[0].verified);
    const rc = stopped(dc, 'breakpoint');
    await dc.reverseContinueRequest({ threadId: 1 });
    await rc;
    assert.strictEqual((await topFrame(dc)).line, lineOf(NOVEC, '@svc'));
    await dc.setBreakpointsRequest({ source: { path: NOVEC }, breakpoints: [] });
    const again = stopped(dc, 'exception');
    await dc.continueRequest({ threadId: 1 });
    assert.strictEqual((await again).body.description, NOVEC_MESSAGE);
  });

  it('stepBack from a b . stop with 2 PEs (short run slices: re-execution passes the points where detection stopped the first run)', async () => {
    const first = stopped(dc, 'exception');
    await launch(dc, { program: HALT, cores: 2 });
    assert.strictEqual((await first).body.description, 'CPU0: halted at PC 0x40000008 (branch to self, interrupts masked)');
    const again = stopped(dc, 'exception');
    await dc.continueRequest({ threadId: 1 });
    await again;
    for (let i = 0; i < 3; i++) {
      const back = stopped(dc, 'step');
      await dc.stepBackRequest({ threadId: 1, granularity: 'instruction' });
      await back;
      assert.strictEqual((await topFrame(dc)).line, lineOf(HALT, '@halt'));
    }
  });

  it('the stuck filter is offered, on by default, with a condition', async () => {
    const r = await dc.initializeRequest();
    const f = r.body!.exceptionBreakpointFilters!.find((x) => x.filter === 'stuck');
    assert.ok(f);
    assert.strictEqual(f.default, true);
    assert.strictEqual(f.label, 'Machine is stuck (no progress possible)');
    assert.strictEqual(f.supportsCondition, true);
  });

  it('a condition on the stuck filter that does not hold makes the stop a pause', async () => {
    const first = stopped(dc, 'pause');
    await launch(dc, { program: HALT }, () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'stuck', condition: 'el == 1' }] }));
    assert.strictEqual((await first).body.text, 'CPU0: halted at PC 0x40000008 (branch to self, interrupts masked)');
  });
});
