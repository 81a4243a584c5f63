// DAP tests of travel to a trace record (armvirt/travel, the timeline panel's click): the state
// after travelling equals the state a forward run had at the record — PC, registers, instruction
// count and the digest of the whole machine (armvirt/digest) —, execution goes on forward from
// there, and positions the history cannot re-create give an error response.
import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, launch, lineOf, newClient, program, stopped, topFrame } from './helpers';

const TRAVEL = program('travel.s');

interface Digest { all: string; retired: number; historyStart: number; snapshots: number }
interface Rec { seq: number; pe: number; type: string; retired: number; data: { from?: number; to?: number } }
interface State { d: Digest; pc?: string; line: number; x3: string; x6: string; x20: string }

describe('debug adapter: travel to a trace record (armvirt/travel)', function () {
  this.timeout(60000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  const digest = async (c = dc): Promise<Digest> => (await c.customRequest('armvirt/digest', {})).body as Digest;
  const records = async (): Promise<Rec[]> => (await dc.customRequest('armvirt/trace', {})).body.records as Rec[];
  async function state(c = dc): Promise<State> {
    const f = await topFrame(c);
    // The number of snapshots held is not part of the machine state.
    return { d: { ...await digest(c), snapshots: 0 }, pc: f.instructionPointerReference, line: f.line, x3: await evaluate(c, 'x3'), x6: await evaluate(c, 'x6'), x20: await evaluate(c, 'x20') };
  }
  async function act(c: DebugClient, req: () => Promise<unknown>, reason: string): Promise<DebugProtocol.StoppedEvent> {
    const p = stopped(c, reason);
    await req();
    return p;
  }
  const travel = (retired: number) => act(dc, () => dc.customRequest('armvirt/travel', { retired, threadId: 1 }), 'goto');

  /** Launches travel.s stopping at every exception entry (the first instruction of the EL2 vector). */
  async function start(c: DebugClient, filter: string): Promise<void> {
    const first = stopped(c, 'exception');
    await launch(c, { program: TRAVEL, snapshotInterval: 1000 }, () => c.setExceptionBreakpointsRequest({ filters: [filter] }));
    await first;
  }

  it('goes back to earlier records with their exact state, forward to a later one, then continues', async () => {
    await start(dc, 'el-entry');
    const stops: State[] = [await state()];
    for (let i = 1; i < 4; i++) {
      await act(dc, () => dc.continueRequest({ threadId: 1 }), 'exception');
      stops.push(await state());
    }
    const held = (await digest()).snapshots;
    assert.ok(held >= 8, `several snapshots (${held})`);
    assert.ok(stops.every((s) => s.line === lineOf(TRAVEL, '@el2-handler')));
    // Each HVC entry record is at the position the el-entry filter stopped at.
    const entries = (await records()).filter((r) => r.type === 'exceptionEntry');
    assert.deepStrictEqual(entries.map((r) => r.retired), stops.map((s) => s.d.retired));

    const e = await travel(entries[1].retired);
    assert.strictEqual(e.body.threadId, 1);
    assert.deepStrictEqual(await state(), stops[1], 'back at the second trap');
    // Forward in the recorded history (re-execution, no new records).
    await travel(entries[3].retired);
    assert.deepStrictEqual(await state(), stops[3], 'at the fourth trap');
    assert.strictEqual((await records()).filter((r) => r.type === 'exceptionEntry').length, 4);
    await travel(entries[0].retired);
    assert.deepStrictEqual(await state(), stops[0], 'at the first trap');
    // Continue from the past: the same next trap, and the records after it are not doubled.
    await act(dc, () => dc.continueRequest({ threadId: 1 }), 'exception');
    assert.deepStrictEqual(await state(), stops[1]);
    const again = (await records()).filter((r) => r.type === 'exceptionEntry');
    assert.deepStrictEqual(again.map((r) => r.retired), stops.slice(0, 2).map((s) => s.d.retired));
    await act(dc, () => dc.continueRequest({ threadId: 1 }), 'exception');
    assert.deepStrictEqual(await state(), stops[2]);
  });

  it('an ERET record: the state equals a fresh run stopped there by the el-return filter', async () => {
    await start(dc, 'el-entry');
    for (let i = 0; i < 3; i++) await act(dc, () => dc.continueRequest({ threadId: 1 }), 'exception');
    // Returns from EL2 to EL1: the boot ERET, then one per HVC handled so far.
    const rets = (await records()).filter((r) => r.type === 'exceptionReturn' && r.data.from === 2);
    assert.ok(rets.length >= 3, `${rets.length} returns`);
    await travel(rets[2].retired);
    const got = await state();
    assert.strictEqual(got.line, lineOf(TRAVEL, '@hvc') + 1, 'right after the second HVC');

    const fresh = newClient();
    await fresh.start();
    try {
      await start(fresh, 'el-return');
      await act(fresh, () => fresh.continueRequest({ threadId: 1 }), 'exception');
      await act(fresh, () => fresh.continueRequest({ threadId: 1 }), 'exception');
      const want = await state(fresh);
      assert.deepStrictEqual(got, want);
    } finally {
      await fresh.stop();
    }
  });

  it('a position before the oldest snapshot, or not executed yet, is an error response; the session goes on', async () => {
    await start(dc, 'el-entry');
    await act(dc, () => dc.continueRequest({ threadId: 1 }), 'exception');
    const entries = (await records()).filter((r) => r.type === 'exceptionEntry');
    const now = (await digest()).retired;
    await assert.rejects(dc.customRequest('armvirt/travel', { retired: now + 1000 }), /has not been executed yet: the recorded history ends at instruction/);
    await assert.rejects(dc.customRequest('armvirt/travel', { retired: 'soon' }), /not an instruction count/);
    // An edit of memory restarts the history here: the first trap is now out of reach.
    await dc.customRequest('writeMemory', { memoryReference: '0x40100000', data: Buffer.from([1, 2, 3, 4]).toString('base64') });
    assert.strictEqual((await digest()).historyStart, now);
    await assert.rejects(dc.customRequest('armvirt/travel', { retired: entries[0].retired }), /is before the oldest snapshot: the recorded history starts at instruction \d+/);
    // Still at the same stop, and running on works.
    assert.strictEqual((await digest()).retired, now);
    await act(dc, () => dc.continueRequest({ threadId: 1 }), 'exception');
    assert.ok((await digest()).retired > now);
  });
});
