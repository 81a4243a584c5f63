// DAP tests: launch, entry stop, source breakpoints, stepping, data breakpoints, memory,
// disassembly, setVariable, pause and exit codes — against `node dist/debugAdapter.js`.
import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, launch, lineOf, newClient, program, stopped, topFrame, variable } from './helpers';

const BASIC = program('basic.s');
const SPIN = program('spin.s');

describe('debug adapter: basics', function () {
  this.timeout(30000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  it('declares its capabilities', async () => {
    const r = await dc.initializeRequest();
    const c = r.body!;
    for (const k of ['supportsConfigurationDoneRequest', 'supportsConditionalBreakpoints', 'supportsHitConditionalBreakpoints', 'supportsLogPoints',
      'supportsFunctionBreakpoints', 'supportsInstructionBreakpoints', 'supportsDataBreakpoints', 'supportsDataBreakpointBytes',
      'supportsExceptionFilterOptions', 'supportsExceptionInfoRequest', 'supportsSteppingGranularity', 'supportsDisassembleRequest',
      'supportsReadMemoryRequest', 'supportsWriteMemoryRequest', 'supportsSetVariable', 'supportsEvaluateForHovers', 'supportsRestartRequest',
      'supportsTerminateRequest', 'supportsLoadedSourcesRequest'] as const) {
      assert.strictEqual(c[k], true, k);
    }
    const ids = c.exceptionBreakpointFilters!.map((f) => f.filter);
    for (const id of ['el-entry', 'el-return', 'trap-el2', 'stage2-fault', 'stage1-fault', 'virq-inject', 'virq-taken', 'irq-taken', 'timer-fire', 'maintenance-irq', 'wfi', 'undefined', 'vm-switch']) {
      assert.ok(ids.includes(id), id);
    }
    assert.ok(c.exceptionBreakpointFilters!.every((f) => f.supportsCondition));
  });

  it('stops on entry at the first instruction and names the thread after the PE', async () => {
    const firstP = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await firstP;
    const f = await topFrame(dc);
    assert.strictEqual(f.line, lineOf(BASIC, 'mov     x0, #1'));
    assert.ok(f.source?.path?.endsWith('basic.s'));
    const th = await dc.threadsRequest();
    assert.deepStrictEqual(th.body.threads.map((t) => t.name), ['CPU0 (EL2)']);
  });

  it('runs to the end and reports the exit code', async () => {
    const exitedP = dc.waitForEvent('exited');
    const terminatedP = dc.waitForEvent('terminated');
    await launch(dc, { program: BASIC });
    const ex = await exitedP as DebugProtocol.ExitedEvent;
    assert.strictEqual(ex.body.exitCode, 3);
    await terminatedP;
  });

  it('sends UART output to the Debug Console and ends with exit code 0', async () => {
    const out = dc.assertOutput('stdout', 'hi\n');
    const exitedP = dc.waitForEvent('exited');
    await launch(dc, { program: program('uart.s') });
    await out;
    assert.strictEqual(((await exitedP) as DebugProtocol.ExitedEvent).body.exitCode, 0);
  });

  it('hits a source breakpoint at the right line, then steps over a bl', async () => {
    const bl = lineOf(BASIC, 'bl      func');
    const firstP = stopped(dc, 'breakpoint');
    await launch(dc, { program: BASIC }, () => dc.setBreakpointsRequest({ source: { path: BASIC }, breakpoints: [{ line: bl }] }));
    await firstP;
    assert.strictEqual((await topFrame(dc)).line, bl);
    await Promise.all([stopped(dc, 'step'), dc.nextRequest({ threadId: 1 })]).then(([e]) => e);
    assert.strictEqual((await topFrame(dc)).line, bl + 1);
    assert.strictEqual((await variable(dc, 'General', 'X0')).value, '0x0000000000000006');
  });

  it('steps into a bl and out again, with the caller in the stack', async () => {
    const bl = lineOf(BASIC, 'bl      func');
    const firstP = stopped(dc, 'breakpoint');
    await launch(dc, { program: BASIC }, () => dc.setBreakpointsRequest({ source: { path: BASIC }, breakpoints: [{ line: bl }] }));
    await firstP;
    await Promise.all([stopped(dc, 'step'), dc.stepInRequest({ threadId: 1 })]).then(([e]) => e);
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.strictEqual(st.body.stackFrames[0].line, lineOf(BASIC, 'add     x0, x0, #5'));
    assert.strictEqual(st.body.stackFrames[1].line, bl, 'caller frame at the bl');
    await Promise.all([stopped(dc, 'step'), dc.stepOutRequest({ threadId: 1 })]).then(([e]) => e);
    assert.strictEqual((await topFrame(dc)).line, bl + 1);
  });

  it('steps by instruction', async () => {
    const firstP = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await firstP;
    await Promise.all([stopped(dc, 'step'), dc.stepInRequest({ threadId: 1, granularity: 'instruction' })]).then(([e]) => e);
    assert.strictEqual((await topFrame(dc)).instructionPointerReference, '0x40000004');
  });

  it('function breakpoint, conditional breakpoint with a hit count, and a logpoint', async () => {
    const add = lineOf(BASIC, 'add     x3, x3, #1');
    const cmp = lineOf(BASIC, 'cmp     x3, #5');
    const e1P = stopped(dc, 'function breakpoint');
    await launch(dc, { program: BASIC }, async () => {
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'func' }] });
      await dc.setBreakpointsRequest({ source: { path: BASIC }, breakpoints: [{ line: add, logMessage: 'x3={x3}' }, { line: cmp, condition: 'x3 >= 2', hitCondition: '2' }] });
    });
    const e1 = await e1P;
    assert.ok(e1.body.hitBreakpointIds?.length === 1);
    assert.strictEqual((await topFrame(dc)).line, lineOf(BASIC, 'add     x0, x0, #5'));
    const out = dc.assertOutput('console', 'x3=0x0\nx3=0x1\nx3=0x2\n');
    await Promise.all([stopped(dc, 'breakpoint'), dc.continueRequest({ threadId: 1 })]).then(([e]) => e);
    await out;
    assert.strictEqual((await topFrame(dc)).line, cmp);
    assert.strictEqual(await evaluate(dc, 'x3'), '0x3 (3)');
  });

  it('data breakpoint stops after the store', async () => {
    const firstP = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await firstP;
    const info = await dc.dataBreakpointInfoRequest({ name: 'var', bytes: 8 } as DebugProtocol.DataBreakpointInfoArguments);
    assert.ok(info.body.dataId);
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    assert.strictEqual(set.body.breakpoints[0].verified, true);
    const e = await Promise.all([stopped(dc, 'data breakpoint'), dc.continueRequest({ threadId: 1 })]).then(([e]) => e);
    assert.match(e.body.text ?? '', /write of 8 byte/);
    assert.strictEqual((await topFrame(dc)).line, lineOf(BASIC, 'mov     x3, #0'), 'stopped after the str');
    assert.strictEqual(await evaluate(dc, '*(u64*)var'), '0x6 (6)');
  });

  it('data breakpoint by physical address (mode and prefix) with a condition', async () => {
    const first = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await first;
    const addr = await evaluate(dc, 'var');
    const info = await dc.dataBreakpointInfoRequest({ name: `pa:${addr.split(' ')[0]}`, asAddress: true, bytes: 4 } as DebugProtocol.DataBreakpointInfoArguments);
    assert.match(info.body.dataId ?? '', /^pa:0x/);
    assert.match(info.body.description, /^4 byte\(s\) at PA 0x/);
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'readWrite', condition: 'x0 == 6 && write' }] });
    assert.strictEqual(set.body.breakpoints[0].verified, true);
    const hit = stopped(dc, 'data breakpoint');
    await dc.continueRequest({ threadId: 1 });
    await hit;
    assert.strictEqual((await topFrame(dc)).line, lineOf(BASIC, 'mov     x3, #0'));
    const exitedP = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await exitedP) as DebugProtocol.ExitedEvent).body.exitCode, 3);
  });

  it('disassembles an exact number of instructions, padding unreadable memory', async () => {
    const firstP = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await firstP;
    const r = await dc.disassembleRequest({ memoryReference: '0x40000000', instructionOffset: -4, instructionCount: 10, resolveSymbols: true });
    const ins = r.body!.instructions;
    assert.strictEqual(ins.length, 10);
    assert.strictEqual(ins[4].address, '0x40000000');
    assert.match(ins[4].instruction, /^mov\s+x0, #0x1/);
    assert.strictEqual(ins[4].symbol, '_start');
    assert.match(ins[5].instruction, /^bl\s+40000030 <func>/);
    assert.strictEqual(ins[0].presentationHint, 'invalid', 'below RAM');
    const r2 = await dc.disassembleRequest({ memoryReference: '0x0', instructionCount: 3 });
    assert.strictEqual(r2.body!.instructions.length, 3);
  });

  it('readMemory / writeMemory round trip', async () => {
    const firstP = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await firstP;
    const data = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 0xde, 0xad]).toString('base64');
    const w = await dc.customRequest('writeMemory', { memoryReference: '0x40100000', offset: 6, data });
    assert.strictEqual(w.body.bytesWritten, 10);
    const r = await dc.customRequest('readMemory', { memoryReference: '0x40100006', count: 10 });
    assert.strictEqual(Buffer.from(r.body.data, 'base64').toString('hex'), '0102030405060708dead');
    const u = await dc.customRequest('readMemory', { memoryReference: '0x3ffffffc', count: 8 });
    assert.strictEqual(u.body.unreadableBytes, 4, 'bytes below RAM are unreadable');
  });

  it('setVariable writes a register field and a register', async () => {
    const firstP = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await firstP;
    const f = await topFrame(dc);
    const scopes = await dc.scopesRequest({ frameId: f.id });
    const virt = scopes.body.scopes.find((s) => s.name === 'Virtualization')!;
    const regs = await dc.variablesRequest({ variablesReference: virt.variablesReference });
    const hcr = regs.body.variables.find((v) => v.name === 'HCR_EL2')!;
    assert.ok(hcr.variablesReference > 0, 'HCR_EL2 has fields');
    const r = await dc.setVariableRequest({ variablesReference: hcr.variablesReference, name: 'IMO', value: '1' });
    assert.strictEqual(r.body.value, '1');
    assert.strictEqual(await evaluate(dc, 'HCR_EL2.IMO'), '0x1 (1)');
    assert.strictEqual(await evaluate(dc, 'HCR_EL2 & 0x10'), '0x10 (16)');
    const gen = scopes.body.scopes.find((s) => s.name === 'General')!;
    const w = await dc.setVariableRequest({ variablesReference: gen.variablesReference, name: 'X5', value: '0x1234 + 1' });
    assert.strictEqual(w.body.value, '0x0000000000001235');
    assert.strictEqual(await evaluate(dc, 'x5'), '0x1235 (4661)');
  });

  it('the Performance Monitors scope lists PMU registers with fields; the ID scope lists named ID registers, not unallocated encodings; PMCCNTR_EL0 is writable', async () => {
    const firstP = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await firstP;
    const f = await topFrame(dc);
    const scopes = await dc.scopesRequest({ frameId: f.id });
    const ids = scopes.body.scopes.find((s) => s.name === 'ID and other registers')!;
    const regs = (await dc.variablesRequest({ variablesReference: ids.variablesReference })).body.variables;
    const pmuScope = scopes.body.scopes.find((s) => s.name === 'Performance Monitors')!;
    const pmu = (await dc.variablesRequest({ variablesReference: pmuScope.variablesReference })).body.variables;
    assert.ok(!regs.some((v) => v.name.startsWith('PM')), 'PMU registers have their own scope');
    const pmcr = pmu.find((v) => v.name === 'PMCR_EL0')!;
    assert.strictEqual(pmcr.value, '0x0000000041013000');
    const fields = (await dc.variablesRequest({ variablesReference: pmcr.variablesReference })).body.variables;
    assert.ok(fields.some((v) => v.name === 'N' && v.value === '0x6'), JSON.stringify(fields.map((v) => [v.name, v.value])));
    assert.ok(regs.some((v) => v.name === 'ID_AA64ISAR2_EL1' && v.value === '0x0000000000000000'));
    assert.ok(pmu.some((v) => v.name === 'PMEVCNTR5_EL0'));
    assert.ok(!regs.some((v) => v.name.startsWith('S3_0_C0_')), 'unallocated encodings are not listed');
    const w = await dc.setVariableRequest({ variablesReference: pmuScope.variablesReference, name: 'PMCCNTR_EL0', value: '0x123456789' });
    assert.strictEqual(w.body.value, '0x0000000123456789');
    assert.strictEqual(await evaluate(dc, 'PMCCNTR_EL0'), '0x0000000123456789');
  });

  it('pauses a guest that loops forever (the run loop yields to requests)', async () => {
    await launch(dc, { program: SPIN });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const ev = stopped(dc, 'pause');
    await dc.pauseRequest({ threadId: 1 });
    await ev;
    // Not a speed goal (those live in bench/): a run loop that never yields would miss this by seconds.
    assert.ok(Date.now() - t0 < 2000, `pause took ${Date.now() - t0} ms`);
    const f = await topFrame(dc);
    assert.ok(f.line >= lineOf(SPIN, 'spin:'));
    assert.match(await evaluate(dc, 'x0'), /^0x[0-9a-f]+/);
  });

  it('instruction breakpoint from the Disassembly view; loaded sources; restart keeps breakpoints', async () => {
    const first = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await first;
    const set = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x40000030' }] });
    assert.strictEqual(set.body.breakpoints[0].verified, true);
    assert.strictEqual(set.body.breakpoints[0].line, lineOf(BASIC, 'add     x0, x0, #5'));
    const hit = stopped(dc, 'instruction breakpoint');
    await dc.continueRequest({ threadId: 1 });
    await hit;
    assert.strictEqual((await topFrame(dc)).instructionPointerReference, '0x40000030');
    const ls = await dc.customRequest('loadedSources', {});
    assert.ok(ls.body.sources.some((s: DebugProtocol.Source) => s.path?.endsWith('basic.s')));
    const again = stopped(dc, 'entry');
    await dc.customRequest('restart', {});
    await again;
    assert.strictEqual((await topFrame(dc)).instructionPointerReference, '0x40000000');
    const hit2 = stopped(dc, 'instruction breakpoint');
    await dc.continueRequest({ threadId: 1 });
    await hit2;
  });

  it('several cores are threads; maxInstructions stops the run', async () => {
    const first = stopped(dc, 'pause');
    await launch(dc, { program: SPIN, cores: 2, maxInstructions: 1000 });
    const e = await first;
    assert.match(e.body.text ?? '', /maxInstructions/);
    const th = await dc.threadsRequest();
    assert.deepStrictEqual(th.body.threads.map((t) => t.name), ['CPU0 (EL2)', 'CPU1 (off)']);
    assert.strictEqual(await evaluate(dc, 'x0 > 100'), '0x1 (1)');
    await dc.terminateRequest({});
  });

  it('reports a load error for a missing program', async () => {
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ program: program('does-not-exist.s') } as DebugProtocol.LaunchRequestArguments), /does not exist/);
  });
});
