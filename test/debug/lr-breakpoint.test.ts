// DAP tests of the GIC panel's "break on this list register" (armvirt/setExceptionFilter): the
// panel host asks the adapter for the `virq-inject` filter with `lr == n && pe == p`, kept apart
// from the client's own filter list. After the request the session stops right after the
// instruction that makes LR n pending, and never for another LR.
import * as assert from 'node:assert';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ROOT, launch, lineOf, newClient, program, stopped, topFrame } from './helpers';

const HYP = path.join(ROOT, 'examples/hyp-hvc-virq.S');
const GIC = program('gic.s');
const LR0_WRITE = lineOf(HYP, 'msr     ICH_LR0_EL2, x0');

describe('debug adapter: break on a list register (armvirt/setExceptionFilter)', function () {
  this.timeout(30000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  async function startAtEntry(prog: string): Promise<void> {
    const first = stopped(dc, 'entry');
    await launch(dc, { program: prog, gic: 'v3', stopOnEntry: true });
    await first;
  }

  const breakOnLr = (lr: number, enabled = true) =>
    dc.customRequest('armvirt/setExceptionFilter', { filterId: 'virq-inject', condition: `lr == ${lr} && pe == 0`, enabled });

  /** Continues; resolves with the stop, or with the exit code when the program ends without one. */
  async function cont(): Promise<DebugProtocol.StoppedEvent | number> {
    const end = Promise.race([
      dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>,
      dc.waitForEvent('exited').then((e) => (e as DebugProtocol.ExitedEvent).body.exitCode),
    ]);
    await dc.continueRequest({ threadId: 1 });
    return end;
  }

  it('hyp-hvc-virq.S: stops right after `msr ICH_LR0_EL2, x0`, even after the client replaces its filters', async () => {
    await startAtEntry(HYP);
    const out = dc.waitForEvent('output');
    const r = await breakOnLr(0);
    assert.deepStrictEqual(r.body.filters, [{ filterId: 'virq-inject', condition: 'lr == 0 && pe == 0' }]);
    assert.match(((await out) as DebugProtocol.OutputEvent).body.output, /exception breakpoint 'virq-inject' when lr == 0 && pe == 0 set/);
    // VS Code sends the whole list of the Breakpoints view on every change: ours stays.
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    const s = await cont();
    assert.ok(typeof s !== 'number', `stopped, not exited ${String(s)}`);
    assert.strictEqual(s.body.reason, 'exception');
    assert.strictEqual((await topFrame(dc)).line, LR0_WRITE + 1);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.exceptionId, 'virq-inject');
    assert.strictEqual(info.body.description, 'Virtual interrupt 42 made pending in LR0 (priority 0x80, group 1)');
    assert.strictEqual(await cont(), 42, 'the guest took vINTID 42');
  });

  it('hyp-hvc-virq.S: a breakpoint on LR1 (never written) does not stop', async () => {
    await startAtEntry(HYP);
    await breakOnLr(1);
    assert.strictEqual(await cont(), 42);
  });

  it('gic.s: LR1 stops only at the injection of vINTID 42, not at the LR0 writes; removing it stops nothing', async () => {
    await startAtEntry(GIC);
    await breakOnLr(1);
    const s = await cont();
    assert.ok(typeof s !== 'number');
    assert.strictEqual((await topFrame(dc)).line, lineOf(GIC, '@after-inject42'));
    assert.match((await dc.exceptionInfoRequest({ threadId: 1 })).body.description ?? '', /in LR1 /);
    // LR0 is written twice more (vINTID 27 at @inject27): no stop for it.
    assert.strictEqual(await cont(), 0);

    const dc2 = dc;
    dc = newClient();
    await dc2.stop();
    await dc.start();
    await startAtEntry(GIC);
    await breakOnLr(1);
    const r = await breakOnLr(1, false);
    assert.deepStrictEqual(r.body.filters, []);
    assert.strictEqual(await cont(), 0);
  });

  it('gic.s: LR0 stops at each LR0 injection (vINTID 40, then 27)', async () => {
    await startAtEntry(GIC);
    await breakOnLr(0);
    assert.ok(typeof (await cont()) !== 'number');
    assert.strictEqual((await topFrame(dc)).line, lineOf(GIC, '@inject40') + 1);
    assert.ok(typeof (await cont()) !== 'number');
    assert.strictEqual((await topFrame(dc)).line, lineOf(GIC, '@el2-eret27'));
    assert.strictEqual(await cont(), 0);
  });

  it('rejects an unknown filter and a bad condition', async () => {
    await startAtEntry(HYP);
    await assert.rejects(dc.customRequest('armvirt/setExceptionFilter', { filterId: 'nope' }), /unknown filter 'nope'/);
    await assert.rejects(dc.customRequest('armvirt/setExceptionFilter', { filterId: 'virq-inject', condition: 'lr ==' }), /condition/);
  });
});
