// Panel view models (src/webview/model/*) from adapter responses recorded on
// test/debug/programs/gic.s and pagetables.s (test/unit/webview/record-fixtures.ts).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GicSnapshot } from '../../../src/sim/gic/gic';
import type { TimersSnapshot } from '../../../src/sim/timer/generic-timer';
import { decodeLr, gicViewModel } from '../../../src/webview/model/gic';
import { decodeTimerCtl, timersViewModel } from '../../../src/webview/model/timers';
import { nodeItems, rootItems, walkView, type PtNodeData, type PtRootsData, type TranslateReport } from '../../../src/webview/model/pagetables';
import { exitProfileView, timelineViewModel, travelMessage, type ExitProfileRecord, type TraceRecord } from '../../../src/webview/model/timeline';

const FIX = path.join(__dirname, 'fixtures');
const load = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(FIX, name), 'utf8')) as T;
const gic = (n: string): GicSnapshot => load<{ data: GicSnapshot }>(`gic-${n}.json`).data;
const timers = (n: string): TimersSnapshot => load<{ data: TimersSnapshot }>(`timers-${n}.json`).data;
const trace = (n: string): TraceRecord[] => load<{ records: TraceRecord[] }>(`trace-${n}.json`).records;

describe('webview models: GIC', () => {
  it('decodes the list registers after the hypervisor injects vINTIDs 40 and 42', () => {
    const vm = gicViewModel(gic('0-after-inject42'));
    const lrs = vm.tables.find((t) => t.id === 'lrs')!;
    const text = (r: number) => lrs.rows[r].cells.map((c) => c.text);
    assert.deepStrictEqual(text(0).slice(0, 7), ['ICH_LR0', 'pending', '40', '—', '', '0xa0', 'G1']);
    assert.deepStrictEqual(text(1).slice(0, 7), ['ICH_LR1', 'pending', '42', '—', 'EOI', '0x90', 'G1']);
    assert.strictEqual(text(2)[1], 'invalid');
    assert.ok(lrs.rows[2].dim);
    assert.ok(vm.summary.includes('2/4 ICH_LRs in use'));
  });

  it('lists the SGIs in flight with target, senders and state; a new one is marked changed', () => {
    const base = gic('0-after-inject42');
    const prev: GicSnapshot = { ...base, sgis: [] };
    const cur: GicSnapshot = { ...base, sgis: [{ intid: 1, target: 1, sources: [0], pending: true, active: false }, { intid: 2, target: 0, sources: null, pending: true, active: true }] };
    const t = gicViewModel(cur, prev).tables.find((x) => x.id === 'sgis')!;
    assert.deepStrictEqual(t.rows.map((r) => r.cells.map((c) => c.text)), [['1', 'CPU1', 'CPU0', 'pending'], ['2', 'CPU0', '?', 'pending+active']]);
    assert.ok(t.rows[0].cells[1].changed, 'not in flight at the previous stop');
    assert.deepStrictEqual(gicViewModel({ ...base, sgis: undefined as unknown as GicSnapshot['sgis'] }).tables.find((x) => x.id === 'sgis')!.rows, []);
  });

  it('decodes a raw ICH_LR value: state, vINTID, pINTID/HW, priority, group', () => {
    assert.deepStrictEqual(decodeLr('70a0001b0000001b', 0), { index: 0, raw: '70a0001b0000001b', state: 'pending', vintid: 27, pintid: '27', hw: true, priority: 0xa0, group: 1, eoi: false });
    assert.strictEqual(decodeLr('5090020000000000').eoi, true);
    assert.strictEqual(decodeLr('b0a0001b0000001b').state, 'active');
    assert.strictEqual(decodeLr('f0a0001b0000001b').state, 'pending+active');
    assert.strictEqual(decodeLr('0').state, 'invalid');
    // The snapshot's own decoding agrees with decodeLr for every recorded LR.
    for (const n of ['0-after-inject42', '4-el2-eret27']) {
      for (const l of gic(n).virtual.lrs) {
        const d = decodeLr(l.raw, l.index);
        assert.deepStrictEqual([d.state, d.vintid, d.hw, d.priority, d.group, d.eoi], [l.state, l.vintid, l.hw, l.priority, l.group, l.eoi]);
      }
    }
  });

  it('the timer injection as vINTID 27 with HW = 1, pINTID 27; changed cells marked against the previous stop', () => {
    const vm = gicViewModel(gic('4-el2-eret27'), gic('3-wfi'));
    const lrs = vm.tables.find((t) => t.id === 'lrs')!;
    const lr0 = lrs.rows[0];
    assert.deepStrictEqual(lr0.cells.slice(0, 5).map((c) => c.text), ['ICH_LR0', 'pending', '27', '27', 'HW']);
    assert.deepStrictEqual(lr0.cells.map((c) => !!c.changed), [false, true, true, true, true, false, false, true]);
    assert.ok(lr0.changed);
    assert.ok(!lrs.rows[1].changed);
    const elrsr = vm.tables.find((t) => t.id === 'vif')!.rows.find((r) => r.key === 'ICH_ELRSR_EL2')!;
    assert.ok(elrsr.cells[1].changed);
    // No previous stop: nothing is marked.
    assert.ok(gicViewModel(gic('4-el2-eret27')).tables.every((t) => t.rows.every((r) => !r.changed && r.cells.every((c) => !c.changed))));
  });

  it('names the MISR reasons', () => {
    const s = gic('0-after-inject42');
    const vm = gicViewModel({ ...s, virtual: { ...s.virtual, misr: 0x9 } });
    assert.deepStrictEqual(vm.misrReasons, ['EOI (EOI maintenance of an LR)', 'NP (no pending LR)']);
    assert.strictEqual(vm.tables.find((t) => t.id === 'vif')!.rows.find((r) => r.key === 'ICH_MISR_EL2')!.cells[2].text, 'EOI NP');
  });

  it('each LR row posts break-on-this-LR for its PE and index; watched LRs are marked', () => {
    const vm = gicViewModel(gic('0-after-inject42'), undefined, { watchedLrs: [1] });
    const lrs = vm.tables.find((t) => t.id === 'lrs')!;
    assert.strictEqual(lrs.rows.length, 4);
    lrs.rows.forEach((r, i) => assert.deepStrictEqual(r.action, { type: 'breakOnLr', pe: 0, lr: i, name: `ICH_LR${i}` }));
    assert.deepStrictEqual(lrs.rows.map((r) => !!r.marked), [false, true, false, false]);
    assert.match(lrs.rows[0].actionLabel!, /^Break when a virtual interrupt is made pending in ICH_LR0 \(virq-inject, lr == 0\)$/);
    assert.strictEqual(lrs.rows[1].actionLabel, 'Remove the breakpoint on ICH_LR1');
    // Only list registers are activatable.
    for (const t of vm.tables.filter((x) => x.id !== 'lrs')) assert.ok(t.rows.every((r) => r.action === undefined), t.id);
    // The PE comes from the snapshot (the panel shows the selected thread's CPU).
    const s = gic('0-after-inject42');
    const other = gicViewModel({ ...s, pe: 2 }).tables.find((t) => t.id === 'lrs')!;
    assert.deepStrictEqual(other.rows[3].action, { type: 'breakOnLr', pe: 2, lr: 3, name: 'ICH_LR3' });
  });

  it('lists the enabled PPIs 25 and 27 of the distributor', () => {
    const irqs = gicViewModel(gic('0-after-inject42')).tables.find((t) => t.id === 'irqs')!;
    const ids = irqs.rows.map((r) => r.cells[0].text);
    assert.ok(ids.includes('25') && ids.includes('27'), ids.join(','));
  });
});

describe('webview models: timers', () => {
  it('decodes CTL and the cycles until the virtual timer fires', () => {
    const vm = timersViewModel(timers('3-wfi'), timers('2-el1-irq'));
    const cntv = vm.tables[0].rows.find((r) => r.key === 'CNTV')!;
    assert.strictEqual(cntv.cells[2].text, '0x1 ENABLE');
    assert.strictEqual(cntv.cells[6].text, String(timers('3-wfi').timers[1].cyclesToFire));
    assert.ok(cntv.cells[2].changed && cntv.cells[3].changed);
    assert.ok(vm.summary.some((s) => s.startsWith('next timer event at cycle 1063')));
    assert.strictEqual(decodeTimerCtl(7), 'ENABLE IMASK ISTATUS');
    assert.strictEqual(decodeTimerCtl(0), 'disabled');
  });

  it('the guest masks the fired timer (ENABLE | IMASK | ISTATUS)', () => {
    const vm = timersViewModel(timers('6-after-wfi'), timers('5-el1-irq'));
    const cntv = vm.tables[0].rows.find((r) => r.key === 'CNTV')!;
    assert.strictEqual(cntv.cells[2].text, '0x7 ENABLE IMASK ISTATUS');
    assert.strictEqual(cntv.cells[6].text, 'fired');
    assert.strictEqual(cntv.cells[5].text, 'met (masked)');
    assert.ok(cntv.cells[2].changed);
  });
});

describe('webview models: page tables', () => {
  const pt = load<{ stage1: { roots: { data: PtRootsData }; nodes: { data: PtNodeData }[] }; stage2: { roots: { data: PtRootsData }; nodes: { data: PtNodeData }[] }; translate: { report: TranslateReport } }>('pagetables.json');

  it('roots: TTBR0_EL1 through Stage 2, TTBR1_EL1 disabled with its reason; VTTBR_EL2 concatenated', () => {
    const s1 = rootItems(pt.stage1.roots.data);
    assert.strictEqual(s1[0].label, 'TTBR0_EL1 0x41000000 (PA 0x40400000)');
    assert.strictEqual(s1[1].kind, 'disabled');
    assert.match(s1[1].detail, /EPD1/);
    const s2 = rootItems(pt.stage2.roots.data);
    assert.match(s2[0].detail, /2 concatenated tables/);
  });

  it('decodes Stage-2 and Stage-1 block descriptors', () => {
    const dev = nodeItems(pt.stage2.nodes.find((n) => n.data.entries.some((e) => e.index === 72 && e.decoded.memType === 'Device-nGnRE'))!.data).find((i) => i.label.startsWith('[72]'))!;
    assert.strictEqual(dev.label, '[72] 0x9000000–0x91fffff (2M) → block 0x9000000');
    assert.strictEqual(dev.detail, 'S2AP rw, Device-nGnRE, non-shareable');
    const s1 = nodeItems(pt.stage1.nodes[1].data)[0];
    assert.strictEqual(s1.label, '[0] 0x40000000–0x401fffff (2M) → block 0x40000000');
    assert.strictEqual(s1.detail, 'EL1 RW, EL0 none, Normal oWB iWB, inner shareable');
    assert.match(s1.title, /\(PA 0x40401000\)/);
  });

  it('the two-stage walk of the PC', () => {
    const w = walkView(pt.translate.report);
    assert.ok(w.ok);
    assert.match(w.headline, /VA → IPA 0x40000108 → PA 0x40000108/);
    assert.strictEqual(w.steps[0].text, 'S2 L1 (for S1 table): 0x40200000[1] @ 0x40200008 = 0x0000000040203003');
    assert.ok(w.steps.every((s) => !s.fault));
    const failed = walkView({ ...pt.translate.report, ok: false, fault: { type: 'translation', level: 2, stage2: true } });
    assert.ok(failed.steps[failed.steps.length - 1].fault);
    assert.strictEqual(failed.headline, 'fault: type=translation level=2 stage2=true');
  });
});

describe('webview models: timeline', () => {
  it('segments per EL with the cycle cost, events inside them', () => {
    const recs = trace('6-after-wfi');
    const end = recs[recs.length - 1].cycle + 10;
    const vm = timelineViewModel(recs, end);
    assert.strictEqual(vm.pes.length, 1);
    const segs = vm.pes[0].segments;
    assert.strictEqual(segs[0].el, 2);
    assert.strictEqual(segs[0].cause, 'start of trace');
    // Contiguous, costs add up to the traced span.
    for (let i = 1; i < segs.length; i++) assert.strictEqual(segs[i].startCycle, segs[i - 1].endCycle);
    assert.strictEqual(segs.reduce((a, s) => a + s.cycles, 0), end - recs[0].cycle);
    assert.strictEqual(vm.pes[0].cyclesPerEl.reduce((a, b) => a + b, 0), end - recs[0].cycle);
    const firstIrq = segs.find((s) => s.cause.startsWith('IRQ taken to EL1'))!;
    assert.strictEqual(firstIrq.el, 1);
    assert.ok(firstIrq.events.some((e) => e.type === 'virqTaken'));
    assert.ok(vm.types.includes('timerFired'));
  });

  it('every record carries its history position: segments and events post travel to it', () => {
    const recs = trace('6-after-wfi');
    assert.ok(recs.every((r) => Number.isInteger(r.retired) && r.retired! > 0));
    const vm = timelineViewModel(recs);
    const segs = vm.pes[0].segments;
    assert.strictEqual(travelMessage(0, segs[0]), undefined, 'the start of the trace has no record');
    const s = segs[2];
    const rec = recs.find((r) => r.seq === s.seq)!;
    assert.deepStrictEqual(travelMessage(0, s), { type: 'travel', retired: rec.retired, pe: 0, seq: rec.seq, cycle: rec.cycle });
    const ev = segs.flatMap((x) => x.events).find((e) => e.type === 'virqTaken')!;
    const evRec = recs.find((r) => r.seq === ev.seq)!;
    assert.deepStrictEqual(travelMessage(0, ev), { type: 'travel', retired: evRec.retired, pe: 0, seq: evRec.seq, cycle: evRec.cycle });
    // Records are in history order.
    for (let i = 1; i < recs.length; i++) assert.ok(recs[i].retired! >= recs[i - 1].retired!);
  });

  it('after travelling back, the records after the current position are marked future', () => {
    const recs = trace('6-after-wfi');
    const now = recs[3].retired!;
    const vm = timelineViewModel(recs, undefined, [], now);
    const all = vm.pes[0].segments.flatMap((s) => [s, ...s.events]).filter((x) => x.at !== undefined);
    assert.ok(all.length > 4);
    for (const x of all) assert.strictEqual(!!x.future, x.at! > now, `record #${x.seq}`);
    assert.ok(timelineViewModel(recs).pes[0].segments.every((s) => !s.future));
  });

  it('one guest exit by function (a hypercall profiled under nVHE KVM): a lane of function segments and the functions by cost', () => {
    // Fixture: `armvirt run --exit-profile 8` on Debian's 6.1 kernel, cortex-a57, the VMM's hypercall guest.
    const p = load<ExitProfileRecord>('exit-profile-nvhe-hypercall.json');
    const sum = p.segments.reduce((a, s) => a + s.cycles, 0);
    assert.ok(Math.abs(sum - p.cycles) < 1e-6, `segments ${sum} vs ${p.cycles}`);
    const vm = timelineViewModel(trace('6-after-wfi'), undefined, [], undefined, p);
    const x = vm.exit!;
    assert.strictEqual(x.segments.length, p.segments.length);
    assert.deepStrictEqual(x.segments.map((s) => s.fn), p.segments.map((s) => s.fn), 'in time order');
    // Functions: each name once per regime, dearest first, their cycles adding up to the exit.
    assert.strictEqual(new Set(x.functions.map((f) => `${f.regime} ${f.fn}`)).size, x.functions.length);
    for (let i = 1; i < x.functions.length; i++) assert.ok(x.functions[i].cycles <= x.functions[i - 1].cycles);
    assert.ok(Math.abs(x.functions.reduce((a, f) => a + f.cycles, 0) - p.cycles) < x.functions.length * 0.1);
    assert.ok(Math.abs(x.functions.reduce((a, f) => a + f.percent, 0) - 100) < 1);
    const run = x.functions.find((f) => f.fn === '__kvm_nvhe___kvm_vcpu_run')!;
    assert.strictEqual(run.regime, 'hyp');
    assert.strictEqual(run.instructions, p.segments.filter((s) => s.fn === run.fn).reduce((a, s) => a + s.instructions, 0));
    assert.match(x.title, /^One guest exit on CPU0 by function — HVC in AArch64 from EL1: 4930\.1 cycles; the guest measured 4930$/);
    assert.strictEqual(timelineViewModel(trace('6-after-wfi')).exit, undefined, 'no profile, no section model');
    assert.strictEqual(exitProfileView({ ...p, guestMeasured: null }).title.includes('measured'), false);
  });

  it('filters the events but keeps the segments', () => {
    const recs = trace('6-after-wfi');
    const all = timelineViewModel(recs);
    const only = timelineViewModel(recs, undefined, ['timerFired']);
    assert.strictEqual(only.pes[0].segments.length, all.pes[0].segments.length);
    assert.ok(only.pes[0].segments.flatMap((s) => s.events).every((e) => e.type === 'timerFired'));
  });
});
