// DAP tests of the guest's self-hosted debug beside the debugger's own breakpoints: a source
// breakpoint on the instruction a guest hardware breakpoint (DBGBVR0_EL1) watches stops the
// debugger first; continuing takes the guest's breakpoint exception, which the el-entry filter
// reports by its EC; the debug registers appear in their own Variables scope.
import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, lineOf, newClient, program, stopped, topFrame, variable } from './helpers';

const SD = program('selfdebug.s');

describe('debug adapter: guest self-hosted debug', function () {
  this.timeout(30000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  it("a debugger breakpoint at a guest hardware breakpoint's address stops first; continue takes the guest's exception (ec == 0x31)", async () => {
    const first = stopped(dc, 'breakpoint');
    await launch(dc, { program: SD }, async () => {
      await dc.setBreakpointsRequest({ source: { path: SD }, breakpoints: [{ line: lineOf(SD, '@target') }] });
      await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'el-entry', condition: 'ec == 0x31' }] });
    });
    await first;
    assert.strictEqual((await topFrame(dc)).line, lineOf(SD, '@target'));
    const bcr = await variable(dc, 'Self-hosted debug', 'DBGBCR0_EL1');
    assert.strictEqual(bcr.value, '0x00000000000001e7');
    const fields = await dc.variablesRequest({ variablesReference: bcr.variablesReference });
    assert.match(fields.body.variables.find((v) => v.name === 'BT')!.value, /unlinked address match/);

    const exc = stopped(dc, 'exception');
    await dc.continueRequest({ threadId: 1 });
    await exc;
    assert.strictEqual((await topFrame(dc)).line, lineOf(SD, '@el1-handler'));
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.description, 'Exception at EL1: Hardware breakpoint, ESR_EL1=0xC6000022');

    // The handler disables the breakpoint and returns to `target`: the debugger's breakpoint
    // there stops again (the instruction is about to execute), then the program exits with 2.
    const again = stopped(dc, 'breakpoint');
    await dc.continueRequest({ threadId: 1 });
    await again;
    assert.strictEqual((await topFrame(dc)).line, lineOf(SD, '@target'));
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 2);
  });
});
