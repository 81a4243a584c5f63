// DAP tests of armvirt/pageTables: lazy Stage-2 and Stage-1 trees of pagetables.s, with the
// Stage-1 tables at IPAs that Stage 2 maps elsewhere (tablePa / descPa are the PAs).
import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { launch, lineOf, newClient, program, stopped, topFrame } from './helpers';

const PT = program('pagetables.s');

interface Entry {
  index: number; inputStart: string; inputEnd: string; descAddress: string; descPa: string; raw: string;
  decoded: Record<string, unknown>; child?: Record<string, unknown>;
}

describe('debug adapter: armvirt/pageTables', function () {
  this.timeout(30000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  async function runToGuest(): Promise<void> {
    const line = lineOf(PT, '@guest-ready');
    const first = stopped(dc, 'breakpoint');
    await launch(dc, { program: PT }, () => dc.setBreakpointsRequest({ source: { path: PT }, breakpoints: [{ line }] }));
    await first;
    assert.strictEqual((await topFrame(dc)).line, line);
  }

  async function pt(args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const r = await dc.customRequest('armvirt/pageTables', { threadId: 1, ...args });
    assert.strictEqual(r.body.available, true);
    return r.body.data;
  }

  it('Stage 2: the concatenated root, a level-2 table with rw and ro blocks', async () => {
    await runToGuest();
    const roots = await pt({ stage: 2 });
    assert.strictEqual(roots.stage2Enabled, true);
    assert.strictEqual(roots.vmid, 1);
    const [root] = roots.roots as Record<string, unknown>[];
    assert.strictEqual(root.name, 'VTTBR_EL2');
    assert.strictEqual(root.level, 1);
    assert.strictEqual(root.tableAddress, '0x40200000');
    assert.strictEqual(root.concatenated, 2);
    assert.strictEqual(root.inputEnd, '0xffffffffff');
    const l1 = await pt({ stage: 2, node: root.node });
    const e1 = l1.entries as Entry[];
    assert.deepStrictEqual(e1.map((e) => e.index), [0, 1]);
    assert.strictEqual(e1[1].decoded.type, 'table');
    assert.strictEqual(e1[1].decoded.outputAddress, '0x40203000');
    assert.strictEqual(e1[1].inputStart, '0x40000000');
    assert.strictEqual(e1[1].inputEnd, '0x7fffffff');
    assert.deepStrictEqual(e1[1].child, { stage: 2, level: 2, tableAddress: '0x40203000', inputBase: '0x40000000', entries: 512 });
    // Lazy: only {level, tableAddress, inputBase} are needed for the next level.
    const l2 = await pt({ stage: 2, node: { level: 2, tableAddress: '0x40203000', inputBase: '0x40000000' } });
    const e2 = l2.entries as Entry[];
    assert.strictEqual(e2.length, 10);
    const b8 = e2.find((e) => e.index === 8)!;
    assert.strictEqual(b8.inputStart, '0x41000000');
    assert.strictEqual(b8.inputEnd, '0x411fffff');
    assert.strictEqual(b8.descAddress, '0x40203040');
    assert.strictEqual(b8.raw, '0x00000000404007fd');
    assert.deepStrictEqual(
      { type: b8.decoded.type, oa: b8.decoded.outputAddress, s2ap: b8.decoded.s2apText, xn: b8.decoded.xn, af: b8.decoded.af, sh: b8.decoded.sh, mem: b8.decoded.memType },
      { type: 'block', oa: '0x40400000', s2ap: 'rw', xn: 0, af: 1, sh: 3, mem: 'Normal oWB iWB' });
    const b9 = e2.find((e) => e.index === 9)!;
    assert.strictEqual(b9.decoded.outputAddress, '0x40600000');
    assert.strictEqual(b9.decoded.s2ap, 1);
    assert.strictEqual(b9.decoded.s2apText, 'ro');
    assert.strictEqual(b9.decoded.xn, 1);
    // The UART block in the low table is Device memory.
    const low = await pt({ stage: 2, node: e1[0].child });
    const uart = (low.entries as Entry[])[0];
    assert.strictEqual(uart.index, 72);
    assert.strictEqual(uart.decoded.outputAddress, '0x9000000');
    assert.strictEqual(uart.decoded.memType, 'Device-nGnRE');
  });

  it('Stage 1 under Stage 2: IPA table addresses with their PAs, blocks, pages and MAIR attributes', async () => {
    await runToGuest();
    const roots = await pt({ stage: 1 });
    assert.strictEqual(roots.regime, 'EL1&0');
    assert.strictEqual(roots.stage1Enabled, true);
    assert.strictEqual(roots.stage2Enabled, true);
    const [t0, t1] = roots.roots as Record<string, unknown>[];
    assert.strictEqual(t0.name, 'TTBR0_EL1');
    assert.strictEqual(t0.enabled, true);
    assert.strictEqual(t0.level, 1);
    assert.strictEqual(t0.tableAddress, '0x41000000');
    assert.strictEqual(t0.tablePa, '0x40400000');
    assert.strictEqual(t0.inputEnd, '0x7fffffffff');
    assert.strictEqual(t1.name, 'TTBR1_EL1');
    assert.strictEqual(t1.enabled, false);
    assert.match(String(t1.reason), /EPD1=1/);
    const l1 = await pt({ stage: 1, node: t0.node });
    const [dev, tbl] = l1.entries as Entry[];
    assert.strictEqual(dev.decoded.type, 'block');
    assert.strictEqual(dev.decoded.attrIndx, 1);
    assert.strictEqual(dev.decoded.mair, '0x04');
    assert.strictEqual(dev.decoded.memType, 'Device-nGnRE');
    assert.strictEqual(tbl.descPa, '0x40400008');
    assert.strictEqual(tbl.decoded.type, 'table');
    assert.strictEqual(tbl.decoded.outputAddress, '0x41001000');
    assert.strictEqual(tbl.decoded.outputPa, '0x40401000');
    const l2 = await pt({ stage: 1, node: tbl.child });
    assert.strictEqual(l2.tablePa, '0x40401000');
    const e2 = l2.entries as Entry[];
    assert.deepStrictEqual(e2.map((e) => e.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 17]);
    const ro = e2.find((e) => e.index === 16)!;
    assert.strictEqual(ro.inputStart, '0x42000000');
    assert.strictEqual(ro.raw, '0x0060000041200781');
    assert.deepStrictEqual(
      { type: ro.decoded.type, oa: ro.decoded.outputAddress, ap: ro.decoded.ap, apText: ro.decoded.apText, uxn: ro.decoded.uxn, pxn: ro.decoded.pxn, ng: ro.decoded.ng, af: ro.decoded.af, mair: ro.decoded.mair, mem: ro.decoded.memType },
      { type: 'block', oa: '0x41200000', ap: 2, apText: 'EL1 RO, EL0 none', uxn: 1, pxn: 1, ng: 0, af: 1, mair: '0xff', mem: 'Normal oWB iWB' });
    const l3 = await pt({ stage: 1, node: e2.find((e) => e.index === 17)!.child });
    const [page] = l3.entries as Entry[];
    assert.strictEqual(page.inputStart, '0x42200000');
    assert.strictEqual(page.inputEnd, '0x42200fff');
    assert.strictEqual(page.descPa, '0x40402000');
    assert.strictEqual(page.decoded.type, 'page');
    assert.strictEqual(page.decoded.outputAddress, '0x40001000');
    assert.strictEqual(page.decoded.ng, 1);
  });

  it('reads are side-effect free: the machine digest does not change', async () => {
    await runToGuest();
    const before = (await dc.customRequest('armvirt/digest', {})).body.all;
    const roots = await pt({ stage: 1 });
    const l1 = await pt({ stage: 1, node: (roots.roots as Record<string, unknown>[])[0].node });
    await pt({ stage: 1, node: (l1.entries as Entry[])[1].child });
    const s2 = await pt({ stage: 2 });
    await pt({ stage: 2, node: (s2.roots as Record<string, unknown>[])[0].node });
    // An unbacked table address reads nothing and allocates nothing.
    const far = await pt({ stage: 2, node: { level: 3, tableAddress: '0x7ff00000' } });
    assert.deepStrictEqual(far.entries, []);
    // The EL2 regime (one VA range, stage 1 off here) and a bad regime name.
    const el2 = await pt({ stage: 1, regime: 'EL2' });
    assert.strictEqual(el2.stage1Enabled, false);
    assert.deepStrictEqual((el2.roots as Record<string, unknown>[]).map((r) => r.name), ['TTBR0_EL2']);
    await assert.rejects(dc.customRequest('armvirt/pageTables', { threadId: 1, stage: 1, regime: 'EL3' }), /unknown regime 'EL3'/);
    assert.strictEqual((await dc.customRequest('armvirt/digest', {})).body.all, before);
  });
});
