// DAP tests of the GIC and timer exception filters (virq-inject, virq-taken, irq-taken,
// timer-fire, maintenance-irq, wfi) on gic.s, a GICv3 hypervisor at EL2 injecting virtual
// interrupts into a guest at EL1: each stops at the architecturally exact instruction with the
// right exceptionInfo, and conditions skip non-matching events.
import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, lineOf, newClient, program, stopped, topFrame } from './helpers';

const GIC = program('gic.s');
const L = (marker: string): number => lineOf(GIC, marker);

describe('debug adapter: GIC and timer exception filters', function () {
  this.timeout(30000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  async function launchWith(filterOptions: DebugProtocol.ExceptionFilterOptions[]): Promise<DebugProtocol.StoppedEvent> {
    const first = stopped(dc, 'exception');
    await launch(dc, { program: GIC, gic: 'v3' }, () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions }));
    return first;
  }

  async function cont(): Promise<DebugProtocol.StoppedEvent> {
    const p = stopped(dc, 'exception');
    await dc.continueRequest({ threadId: 1 });
    return p;
  }

  async function contToExit(): Promise<number> {
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    return ((await exited) as DebugProtocol.ExitedEvent).body.exitCode;
  }

  async function info(): Promise<{ id: string; description: string }> {
    const r = await dc.exceptionInfoRequest({ threadId: 1 });
    return { id: r.body.exceptionId, description: r.body.description ?? '' };
  }

  /** Line of the interrupted instruction (the synthetic frame under an exception entry). */
  async function interruptedLine(): Promise<number | undefined> {
    const st = await dc.stackTraceRequest({ threadId: 1 });
    return st.body.stackFrames[1]?.line;
  }

  it('virq-inject: stops after the LR write; a vintid condition skips other injections', async () => {
    await launchWith([{ filterId: 'virq-inject' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@inject40') + 1);
    assert.deepStrictEqual(await info(), { id: 'virq-inject', description: 'Virtual interrupt 40 made pending in LR0 (priority 0xa0, group 1)' });
    await cont();
    assert.strictEqual((await topFrame(dc)).line, L('@after-inject42'));
    assert.strictEqual((await info()).description, 'Virtual interrupt 42 made pending in LR1 (priority 0x90, group 1)');
    await cont();
    assert.strictEqual((await topFrame(dc)).line, L('@el2-eret27'));
    assert.strictEqual((await info()).description, 'Virtual interrupt 27 made pending in LR0 (priority 0xa0, group 1, HW)');
    assert.strictEqual(await contToExit(), 0);
  });

  it('virq-inject with condition vintid == 42 skips vINTID 40 and 27', async () => {
    await launchWith([{ filterId: 'virq-inject', condition: 'vintid == 42 && lr == 1 && hw == 0' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@after-inject42'));
    assert.strictEqual((await info()).description, 'Virtual interrupt 42 made pending in LR1 (priority 0x90, group 1)');
    assert.strictEqual(await contToExit(), 0);
  });

  it('virq-taken: stops on the EL1 IRQ vector for each virtual IRQ', async () => {
    await launchWith([{ filterId: 'virq-taken' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@el1-irq'));
    assert.deepStrictEqual(await info(), { id: 'virq-taken', description: 'virtual IRQ taken to EL1 from EL1' });
    assert.strictEqual(await interruptedLine(), L('@unmask') + 1);
    await cont(); // vINTID 40
    assert.strictEqual((await topFrame(dc)).line, L('@el1-irq'));
    await cont(); // vINTID 27 (the virtual timer, injected by the hypervisor)
    assert.strictEqual((await topFrame(dc)).line, L('@el1-irq'));
    assert.strictEqual(await interruptedLine(), L('@after-wfi'));
    assert.strictEqual(await contToExit(), 0);
  });

  it('irq-taken: physical IRQs (maintenance PPI 25, then the vtimer PPI 27) taken to EL2', async () => {
    await launchWith([{ filterId: 'irq-taken', condition: 'to == 2 && from == 1' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@el2-irq'));
    assert.deepStrictEqual(await info(), { id: 'irq-taken', description: 'IRQ taken to EL2 from EL1' });
    assert.strictEqual(await interruptedLine(), L('@el1-eret')); // right after the guest's EOI of vINTID 42
    await cont();
    assert.strictEqual((await topFrame(dc)).line, L('@el2-irq'));
    assert.strictEqual(await interruptedLine(), L('@after-wfi')); // the timer woke the guest from WFI
    assert.strictEqual(await contToExit(), 0);
  });

  it('irq-taken does not stop for virtual IRQs, virq-taken does not stop for physical ones', async () => {
    // No event matches: the program runs to its exit without a stop.
    const end = Promise.race([
      dc.waitForEvent('exited').then((e) => `exited ${(e as DebugProtocol.ExitedEvent).body.exitCode}`),
      dc.waitForEvent('stopped').then((e) => `stopped ${JSON.stringify(e.body)}`),
    ]);
    const filterOptions = [{ filterId: 'irq-taken', condition: 'to == 1' }, { filterId: 'virq-taken', condition: 'to == 2' }];
    await launch(dc, { program: GIC, gic: 'v3' }, () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions }));
    assert.strictEqual(await end, 'exited 0');
  });

  it('timer-fire: the virtual timer output rises while the guest waits in WFI', async () => {
    await launchWith([{ filterId: 'timer-fire', condition: 'timer == 1 && intid == 27' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@after-wfi'));
    const i = await info();
    assert.strictEqual(i.id, 'timer-fire');
    assert.match(i.description, /^CNTV timer fired on CPU0 \(INTID 27, count \d+\)$/);
    const count = Number(/count (\d+)/.exec(i.description)![1]);
    assert.ok(count >= 1000, `count ${count}`);
    assert.strictEqual((await dc.threadsRequest()).body.threads[0].name, 'CPU0 (EL1)');
    assert.strictEqual(await contToExit(), 0);
  });

  it('maintenance-irq: stops after the guest EOI that raises the EOI maintenance interrupt', async () => {
    await launchWith([{ filterId: 'maintenance-irq', condition: 'misr & 1' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@el1-eoi') + 1);
    assert.deepStrictEqual(await info(), { id: 'maintenance-irq', description: 'Maintenance interrupt on CPU0, MISR=0x1' });
    assert.strictEqual(await contToExit(), 0);
  });

  it('wfi: stops after the WFI that waits, then the timer wakes the guest', async () => {
    await launchWith([{ filterId: 'wfi' }, { filterId: 'virq-taken', condition: 'elr > 0' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@el1-irq')); // vIRQ 42 comes first
    await cont(); // vIRQ 40
    await cont();
    assert.strictEqual((await topFrame(dc)).line, L('@after-wfi'));
    assert.deepStrictEqual(await info(), { id: 'wfi', description: 'CPU0 entered WFI' });
    await cont(); // woken by the timer (through the hypervisor's injection)
    assert.strictEqual((await info()).id, 'virq-taken');
    assert.strictEqual(await interruptedLine(), L('@after-wfi'));
    assert.strictEqual(await contToExit(), 0);
  });
});
