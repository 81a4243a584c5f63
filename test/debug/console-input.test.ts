// DAP: console input for the guest (armvirt/consoleInput, what the "ArmVirt guest console" terminal
// sends). The interrupt-driven echo guest of the PL011 tests sleeps in WFI with the receive
// interrupt unmasked: the adapter waits for input instead of reporting a deadlock, the bytes reach
// the guest through the UART, and reverse execution re-delivers them where they arrived.
import * as assert from 'node:assert';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, launch, newClient, stopped } from './helpers';

const ECHO = path.join(__dirname, '../../examples/el1-uart-echo.S');

interface Digest { all: string; retired: number }

describe('debug adapter: guest console input (armvirt/consoleInput)', function () {
  this.timeout(60000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  const digest = async (): Promise<Digest> => (await dc.customRequest('armvirt/digest', {})).body as Digest;
  /** Resolves when everything the guest printed so far (category stdout) ends with `tail`. */
  function printed(tail: string): Promise<void> {
    return new Promise((resolve) => {
      const on = (e: DebugProtocol.OutputEvent) => {
        if (e.body.category !== 'stdout') return;
        out += e.body.output;
        if (out.endsWith(tail)) { dc.removeListener('output', on); resolve(); }
      };
      dc.on('output', on);
    });
  }
  let out = '';
  const input = (args: Record<string, unknown>) => dc.customRequest('armvirt/consoleInput', args);
  async function act(req: () => Promise<unknown>, reason: string): Promise<DebugProtocol.StoppedEvent> {
    const p = stopped(dc, reason);
    await req();
    return p;
  }

  it('before launch: refused with "no program is running"; bad arguments are named', async () => {
    await dc.initializeRequest();
    await assert.rejects(input({ text: 'x' }), /no program/i);
    await launch(dc, { program: ECHO, stopOnEntry: true });
    await assert.rejects(input({}), /exactly one of 'text' and 'data'/);
    await assert.rejects(input({ data: '!!!' }), /'data' is not base64/);
    await assert.rejects(input({ text: 5 }), /'text'/);
  });

  it('a sleeping guest waits for input (no deadlock stop); typed bytes are echoed; travel re-delivers them', async () => {
    const waiting = dc.assertOutput('console', 'armvirt: every PE is waiting for console input', 20000);
    await launch(dc, { program: ECHO, snapshotInterval: 1000 });
    await waiting;
    // Paused while it waits: nothing was received yet.
    await act(() => dc.pauseRequest({ threadId: 1 }), 'pause');
    assert.strictEqual(await evaluate(dc, 'x20'), '0x0 (0)');
    const before = await digest();

    // Input given while stopped is held until the machine runs.
    const r = await input({ text: 'ab' });
    assert.deepStrictEqual(r.body, { bytes: 2, device: 'pl011' });
    assert.strictEqual((await digest()).all, before.all, 'nothing is delivered while stopped');
    const echoed = printed('bc');
    await dc.continueRequest({ threadId: 1 });
    await echoed;
    // Base64 data while running (a newline goes back unchanged).
    const nl = printed('bc\n');
    await input({ data: Buffer.from('\n').toString('base64') });
    await nl;
    await new Promise((res) => setTimeout(res, 200));
    await act(() => dc.pauseRequest({ threadId: 1 }), 'pause');
    assert.strictEqual(await evaluate(dc, 'x20'), '0x3 (3)');
    const after = await digest();
    assert.ok(after.retired > before.retired);

    // Back to before the input, then forward again through the log: the same bytes arrive at the same places.
    await act(() => dc.customRequest('armvirt/travel', { retired: before.retired, threadId: 1 }), 'goto');
    assert.strictEqual((await digest()).all, before.all);
    assert.strictEqual(await evaluate(dc, 'x20'), '0x0 (0)');
    await act(() => dc.customRequest('armvirt/travel', { retired: after.retired, threadId: 1 }), 'goto');
    assert.strictEqual((await digest()).all, after.all, 'replayed input re-creates the state');
    assert.strictEqual(await evaluate(dc, 'x20'), '0x3 (3)');

    // 'q' makes the guest exit 7.
    const exited = dc.waitForEvent('exited');
    await input({ text: 'q' });
    await dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 7);
  });
});
