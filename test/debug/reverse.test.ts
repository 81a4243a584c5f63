// DAP tests of reverse execution (stepBack, reverseContinue): the state after going back equals
// the state when first there, compared through `armvirt/digest` (hashes of every PE register,
// system register, counter, device and RAM page).
import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, lineOf, newClient, program, stopped, topFrame } from './helpers';

const EXC = program('exceptions.s');
const REV = program('reverse.s');

interface Digest { all: string; pes: string[]; memory: string; retired: number; historyStart: number; snapshots: number }

describe('debug adapter: reverse execution', function () {
  this.timeout(60000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  async function digest(): Promise<Digest> {
    const r = await dc.customRequest('armvirt/digest', {});
    return r.body as Digest;
  }

  async function act(req: Promise<unknown>, reason?: string): Promise<DebugProtocol.StoppedEvent> {
    const p = stopped(dc, reason);
    await req;
    return p;
  }

  it('declares supportsStepBack', async () => {
    const r = await dc.initializeRequest();
    assert.strictEqual(r.body?.supportsStepBack, true);
  });

  it('stepBack by instruction across an HVC entry and an ERET gives back the state of each step', async () => {
    const first = stopped(dc, 'entry');
    await launch(dc, { program: EXC, stopOnEntry: true, snapshotInterval: 1000 });
    await first;
    const states: { d: Digest; line: number; name: string }[] = [];
    const record = async (): Promise<void> => {
      const f = await topFrame(dc);
      states.push({ d: await digest(), line: f.line, name: f.name });
    };
    await record();
    const N = 30;
    for (let i = 0; i < N; i++) {
      await act(dc.stepInRequest({ threadId: 1, granularity: 'instruction' }), 'step');
      await record();
    }
    // The steps went through the first ERET (EL2 → EL1), HVC #0 into the EL2 handler and its ERET.
    const lines = states.map((s) => s.line);
    for (const m of ['@eret-first', '@hvc0', '@el2-handler', '@el2-eret', '@hvc1']) assert.ok(lines.includes(lineOf(EXC, m)), `stepped over ${m}`);
    for (let i = N - 1; i >= 0; i--) {
      await act(dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }), 'step');
      const d = await digest();
      assert.strictEqual(d.retired, states[i].d.retired, `position after stepping back to step ${i}`);
      assert.deepStrictEqual(d, { ...states[i].d, snapshots: d.snapshots }, `digest at step ${i}`);
      assert.strictEqual((await topFrame(dc)).line, states[i].line);
    }
    // Forward again from the start: the same states.
    for (let i = 1; i <= 5; i++) {
      await act(dc.stepInRequest({ threadId: 1, granularity: 'instruction' }), 'step');
      assert.strictEqual((await digest()).all, states[i].d.all);
    }
  });

  it('reverseContinue goes back to earlier breakpoint hits with their exact state, then to the start', async () => {
    const tick = lineOf(REV, '@tick');
    const first = stopped(dc, 'entry');
    await launch(dc, { program: REV, stopOnEntry: true, snapshotInterval: 1000 }, () =>
      dc.setBreakpointsRequest({ source: { path: REV }, breakpoints: [{ line: tick }] }));
    await first;
    const d0 = await digest();
    const hits: Digest[] = [];
    for (let i = 0; i < 3; i++) {
      await act(dc.continueRequest({ threadId: 1 }), 'breakpoint');
      assert.strictEqual((await topFrame(dc)).line, tick);
      hits.push(await digest());
    }
    assert.ok(hits[2].retired > 20000 && hits[2].snapshots > 10, `several snapshots (${hits[2].snapshots})`);
    for (const i of [1, 0]) {
      const e = await act(dc.reverseContinueRequest({ threadId: 1 }), 'breakpoint');
      assert.ok(e.body.hitBreakpointIds && e.body.hitBreakpointIds.length === 1);
      const d = await digest();
      assert.strictEqual(d.retired, hits[i].retired);
      assert.strictEqual(d.all, hits[i].all, `digest at hit ${i}`);
    }
    await act(dc.reverseContinueRequest({ threadId: 1 }), 'step');
    assert.strictEqual((await digest()).all, d0.all, 'back at the start of the history');
    assert.strictEqual((await topFrame(dc)).line, lineOf(REV, '@start'));
    // Forward again: the same hits.
    await act(dc.continueRequest({ threadId: 1 }), 'breakpoint');
    assert.strictEqual((await digest()).all, hits[0].all);
  });

  it('stepBack by line goes to the start of the previous line', async () => {
    const tick = lineOf(REV, '@tick');
    const first = stopped(dc, 'entry');
    await launch(dc, { program: REV, stopOnEntry: true, snapshotInterval: 1000 }, () =>
      dc.setBreakpointsRequest({ source: { path: REV }, breakpoints: [{ line: tick }] }));
    await first;
    await act(dc.continueRequest({ threadId: 1 }), 'breakpoint');
    await act(dc.continueRequest({ threadId: 1 }), 'breakpoint');
    const atTick = await digest();
    await act(dc.stepBackRequest({ threadId: 1 }), 'step');
    assert.strictEqual((await topFrame(dc)).line, lineOf(REV, '@inner-end'));
    assert.strictEqual((await digest()).retired, atTick.retired - 1);
    await act(dc.stepBackRequest({ threadId: 1 }), 'step');
    assert.strictEqual((await topFrame(dc)).line, lineOf(REV, '@inner-end') - 1);
    // And forward by line back to the breakpoint line.
    await act(dc.nextRequest({ threadId: 1 }), 'step');
    await act(dc.nextRequest({ threadId: 1 }), 'step');
    assert.strictEqual((await topFrame(dc)).line, tick);
    assert.strictEqual((await digest()).all, atTick.all);
  });
});
