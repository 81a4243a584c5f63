// DAP tests of the exception filters: each stops at the architecturally exact instruction with
// the right exceptionInfo, conditions skip non-matching events, synthetic frames show the
// interrupted EL, and stepping over an HVC runs its handler.
import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, launch, lineOf, newClient, program, stopped, topFrame, variable } from './helpers';

const EXC = program('exceptions.s');
const L = (marker: string): number => lineOf(EXC, marker);

describe('debug adapter: exception filters', function () {
  this.timeout(30000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  /** Launches with filters; resolves at the first stop. */
  async function launchWith(filterOptions: DebugProtocol.ExceptionFilterOptions[], extra: Record<string, unknown> = {}): Promise<DebugProtocol.StoppedEvent> {
    const first = stopped(dc);
    await launch(dc, { program: EXC, ...extra }, () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions }));
    return first;
  }

  async function cont(reason?: string): Promise<DebugProtocol.StoppedEvent> {
    const p = stopped(dc, reason);
    await dc.continueRequest({ threadId: 1 });
    return p;
  }

  it('el-entry: stops on the first vector instruction with exceptionInfo and a synthetic frame for EL1', async () => {
    const e = await launchWith([{ filterId: 'el-entry' }]);
    assert.strictEqual(e.body.reason, 'exception');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const [f0, f1] = st.body.stackFrames;
    assert.strictEqual(f0.line, L('@el2-handler'));
    assert.strictEqual(f1.name, 'EL2 sync handler ← EL1 0x4000_004c: HVC #0 (EC 0x16)');
    assert.strictEqual(f1.line, L('@hvc0'));
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.description, 'Trap to EL2: HVC #0 from EL1, ESR_EL2=0x5A000000');
    assert.strictEqual(info.body.exceptionId, 'el-entry');
    // The interrupted context is visible in the synthetic frame.
    const scopes = await dc.scopesRequest({ frameId: f1.id });
    assert.ok(scopes.body.scopes.some((s) => s.name === 'General (EL1, at exception entry)'));
    const ps = scopes.body.scopes.find((s) => s.name.startsWith('PSTATE'))!;
    const vars = await dc.variablesRequest({ variablesReference: ps.variablesReference });
    assert.match(vars.body.variables[0].value, /EL1h/);
    // ESR_EL2.EC decoded with the exception class name; the thread shows the EL.
    const esr = await variable(dc, 'System registers: EL2', 'ESR_EL2');
    const fields = await dc.variablesRequest({ variablesReference: esr.variablesReference });
    assert.strictEqual(fields.body.variables.find((v) => v.name === 'EC')!.value, '0x16 (HVC in AArch64)');
    assert.strictEqual((await dc.threadsRequest()).body.threads[0].name, 'CPU0 (EL2)');
  });

  it('a conditional filter skips non-matching events', async () => {
    await launchWith([{ filterId: 'el-entry', condition: 'to == 2 && ec == 0x16 && imm == 1' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@el2-handler'));
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.description, 'Trap to EL2: HVC #1 from EL1, ESR_EL2=0x5A000001');
    assert.strictEqual(await evaluate(dc, 'ESR_EL2.ISS'), '0x1 (1)');
    // No other event matches: the program runs to its exit.
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 7);
  });

  it('el-return stops on the first instruction after ERET', async () => {
    await launchWith([{ filterId: 'el-return', condition: 'from == 2' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@eret-first') + 2);
    assert.match((await dc.exceptionInfoRequest({ threadId: 1 })).body.description ?? "", /^ERET from EL2 to EL1/);
    assert.strictEqual((await dc.threadsRequest()).body.threads[0].name, 'CPU0 (EL1)');
  });

  it('trap-el2 and stage2-fault: the Stage-2 instruction abort with its IPA', async () => {
    await launchWith([{ filterId: 'stage2-fault', condition: 'ipa >= 0x40000000 && level == 1' }, { filterId: 'trap-el2', condition: 'ec == 0x20' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@el2-handler'));
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.exceptionId, 'stage2-fault');
    assert.match(info.body.description!, /^Trap to EL2: Stage-2 Instruction Abort, translation fault level 1 from EL1, ESR_EL2=0x82000005, FAR_EL2=0x40000058, IPA 0x40000058$/);
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.strictEqual(st.body.stackFrames[1].line, L('@s2fault'));
  });

  it('a stage2-fault condition that never matches lets the program exit', async () => {
    const exited = dc.waitForEvent('exited');
    await launch(dc, { program: EXC }, () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'stage2-fault', condition: 'ipa >= 0x8000000000' }] }));
    assert.strictEqual(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 7);
  });

  it('stage1-fault: stops at the EL1 vector for each Stage-1 data abort; a condition selects the store', async () => {
    const S1 = program('stage1.s');
    const first = stopped(dc);
    await launch(dc, { program: S1 }, () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'stage1-fault' }] }));
    await first;
    assert.strictEqual((await topFrame(dc)).line, lineOf(S1, '@el1-handler'));
    let info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.exceptionId, 'stage1-fault');
    assert.match(info.body.description!, /Data Abort.*translation fault level 1.*ESR_EL1=0x96000005.*FAR_EL1=0x1000/);
    let st = await dc.stackTraceRequest({ threadId: 1 });
    assert.strictEqual(st.body.stackFrames[1].line, lineOf(S1, '@s1-load'));
    await cont('exception');
    info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.match(info.body.description!, /ESR_EL1=0x96000045.*FAR_EL1=0x80000000/);   // WnR=1
    st = await dc.stackTraceRequest({ threadId: 1 });
    assert.strictEqual(st.body.stackFrames[1].line, lineOf(S1, '@s1-store'));
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 9);
  });

  it('stage1-fault with a condition on the fault fields skips the load', async () => {
    const S1 = program('stage1.s');
    const first = stopped(dc);
    await launch(dc, { program: S1 }, () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'stage1-fault', condition: 'write && va == 0x80000000' }] }));
    await first;
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.strictEqual(st.body.stackFrames[1].line, lineOf(S1, '@s1-store'));
  });

  it('undefined: stops at the EL1 vector', async () => {
    await launchWith([{ filterId: 'undefined' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@el1-handler'));
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.description, 'UNDEFINED instruction 0x00000000 at 0x4000005c');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.strictEqual(st.body.stackFrames[1].line, L('@udf'));
  });

  it('vm-switch: stops after the MSR VTTBR_EL2 that changes the VMID', async () => {
    await launchWith([{ filterId: 'vm-switch', condition: 'to == 1' }]);
    assert.strictEqual((await topFrame(dc)).line, L('@vmswitch') + 1);
    assert.strictEqual((await dc.exceptionInfoRequest({ threadId: 1 })).body.description, 'VM switch on CPU0: VMID 0 → 1');
    assert.strictEqual(await evaluate(dc, 'VTTBR_EL2.VMID'), '0x1 (1)');
  });

  it('a bad filter condition is reported', async () => {
    let res: DebugProtocol.SetExceptionBreakpointsResponse | undefined;
    const exited = dc.waitForEvent('exited');
    await launch(dc, { program: EXC }, async () => {
      res = await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'el-entry', condition: 'to == ' }, { filterId: 'wfi' }] });
    });
    assert.strictEqual(res?.body?.breakpoints?.[0].verified, false);
    assert.match(res?.body?.breakpoints?.[0].message ?? '', /condition/);
    assert.strictEqual(res?.body?.breakpoints?.[1].verified, true);
    await exited;
  });

  it('step over an HVC runs the EL2 handler and stops on the next EL1 line', async () => {
    const first = stopped(dc, 'breakpoint');
    await launch(dc, { program: EXC }, () => dc.setBreakpointsRequest({ source: { path: EXC }, breakpoints: [{ line: L('@hvc0') }] }));
    await first;
    const p = stopped(dc, 'step');
    await dc.nextRequest({ threadId: 1 });
    await p;
    const f = await topFrame(dc);
    assert.strictEqual(f.line, L('@hvc1'));
    assert.strictEqual((await dc.threadsRequest()).body.threads[0].name, 'CPU0 (EL1)');
    // …and step into the next one lands on the vector.
    const p2 = stopped(dc, 'step');
    await dc.stepInRequest({ threadId: 1 });
    await p2;
    assert.strictEqual((await topFrame(dc)).line, L('@el2-handler'));
    // step out of the handler returns to EL1 after the ERET.
    const p3 = stopped(dc, 'step');
    await dc.stepOutRequest({ threadId: 1 });
    await p3;
    assert.strictEqual((await topFrame(dc)).line, L('@hvc3'));
  });

  it('evaluate translate, and armvirt/trace lists the events with cycle stamps', async () => {
    await launchWith([{ filterId: 'el-entry', condition: 'imm == 3' }]);
    const t = await evaluate(dc, 'translate 0x40000000');
    assert.match(t, /0x40000000/);
    const r = await dc.customRequest('armvirt/trace', {});
    const recs = r.body.records as { type: string; cycle: number; text: string }[];
    const entries = recs.filter((x) => x.type === 'exceptionEntry');
    assert.strictEqual(entries.length, 3);
    assert.match(entries[0].text, /HVC #0/);
    assert.ok(entries[1].cycle > entries[0].cycle);
    const g = await dc.customRequest('armvirt/gic', {});
    assert.strictEqual(typeof g.body.available, 'boolean');
  });
});
