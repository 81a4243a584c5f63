// The experiments view model and its SVG rendering against a real run: `armvirt experiments
// --json` (the CLI from source, 2 iterations) gives the rows; every bar of the model and of the
// rendered markup must carry exactly those numbers, and the paper's bars the numbers the CLI's
// own text table prints beside them.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { formatReport } from '../../../src/cli/experiments';
import { BENCHMARKS, HYPERVISORS, PAPER_TABLE3, PAPER_TABLE4, type ExperimentsReport } from '../../../src/cli/paper';
import { experimentsViewModel, niceCeil, ticks } from '../../../src/webview/model/experiments';
import { GROUP, experimentsContent, toMarkup } from '../../../src/webview/experiments-svg';

const ROOT = path.resolve(__dirname, '../../..');

/** `armvirt experiments --json --iterations N` run from the sources. */
function runCliJson(args: string[] = []): ExperimentsReport {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/cli.ts'), 'experiments', '--json', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out) as ExperimentsReport;
}

/** The CLI's text table as {benchmark/hypervisor: {ours, paper}} ('—' → null). */
function parseTable(text: string): Map<string, { ours: number | null; paper: number | null }> {
  const m = new Map<string, { ours: number | null; paper: number | null }>();
  const num = (s: string): number | null => (s === '—' ? null : Number(s.replace(/,/g, '')));
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s{2,}/);
    if (f.length === 5 && (BENCHMARKS as readonly string[]).includes(f[0])) m.set(`${f[0]}/${f[1]}`, { ours: num(f[2]), paper: num(f[3]) });
  }
  return m;
}

describe('experiments view model (from a real `armvirt experiments --json` run)', function () {
  this.timeout(300000);
  let report: ExperimentsReport;
  before(() => { report = runCliJson(['--iterations', '2']); });

  it('has one group per benchmark and, in each, one bar per hypervisor whose value is the JSON row', () => {
    assert.equal(report.rows.length, BENCHMARKS.length * HYPERVISORS.length);
    const v = experimentsViewModel(report, { iterations: 2 });
    assert.deepEqual(v.groups.map((g) => g.bench), [...BENCHMARKS]);
    for (const g of v.groups) {
      const ours = g.bars.filter((b) => b.source === 'ours');
      assert.deepEqual(ours.map((b) => b.hyp), ['kvm-split', 'xen-style', 'kvm-vhe']);
      for (const b of ours) {
        const row = report.rows.find((r) => r.benchmark === g.bench && r.hypervisor === b.hyp)!;
        assert.ok(row.cycles !== null && row.cycles > 0, `${g.bench}/${b.hyp} reported`);
        assert.equal(b.value, row.cycles, `${g.bench}/${b.hyp}`);
        assert.equal(b.paper, row.paper);
        assert.equal(b.ratio, row.paper === null ? null : row.cycles! / row.paper);
      }
      assert.ok(g.bars.every((b) => (b.value ?? 0) <= g.max), `${g.bench}: every bar within the scale`);
      assert.equal(g.ticks[0], 0);
      assert.equal(g.ticks[g.ticks.length - 1], g.max);
    }
  });

  it('shows beside them the paper values the CLI table prints (Table 3, ARM KVM and ARM Xen)', () => {
    const table = parseTable(formatReport(report));
    assert.equal(table.size, report.rows.length, 'every row parsed from the CLI table');
    const v = experimentsViewModel(report);
    for (const g of v.groups) {
      const paper = (hyp: string) => g.bars.find((b) => b.hyp === hyp)!.value;
      assert.equal(paper('paper-kvm'), table.get(`${g.bench}/kvm-split`)!.paper);
      assert.equal(paper('paper-xen'), table.get(`${g.bench}/xen-style`)!.paper);
      assert.equal(paper('paper-kvm'), PAPER_TABLE3[g.bench].kvm);
      // the CLI's "ours" column is the bar too
      for (const b of g.bars.filter((x) => x.source === 'ours')) assert.equal(b.value, table.get(`${g.bench}/${b.hyp}`)!.ours);
    }
  });

  it('stacks the hypercall breakdown by register class: the JSON breakdown rows, and Table 4 for the paper', () => {
    const v = experimentsViewModel(report);
    const bd = v.breakdown;
    assert.deepEqual(bd.stacks.map((s) => s.hyp), ['kvm-split', 'paper-kvm', 'xen-style', 'kvm-vhe']);
    for (const s of bd.stacks) {
      for (const seg of s.segments) {
        const want = s.source === 'paper' ? PAPER_TABLE4[seg.cls] : report.breakdown.find((r) => r.hypervisor === s.hyp && r.class === seg.cls)!;
        assert.deepEqual([seg.save, seg.restore], [want.save, want.restore], `${s.hyp} ${seg.cls}`);
      }
      assert.equal(s.total, s.segments.reduce((t, x) => t + x.save + x.restore, 0));
      assert.ok(s.total <= bd.max);
    }
  });

  it('renders each bar with its numbers as attributes and a length proportional to its value', () => {
    const v = experimentsViewModel(report);
    const html = toMarkup(experimentsContent(v));
    const bars = [...html.matchAll(/<rect class="bar [^"]*"[^>]*>/g)].map((m) => m[0]);
    assert.equal(bars.length, v.groups.reduce((n, g) => n + g.bars.length, 0));
    const attr = (tag: string, name: string): string => new RegExp(`${name}="([^"]*)"`).exec(tag)![1];
    for (const r of report.rows) {
      const tag = bars.find((t) => attr(t, 'data-bench') === r.benchmark && attr(t, 'data-hyp') === r.hypervisor);
      assert.ok(tag, `${r.benchmark}/${r.hypervisor} drawn`);
      assert.equal(Number(attr(tag!, 'data-value')), r.cycles);
      const max = v.groups.find((g) => g.bench === r.benchmark)!.max;
      assert.ok(Math.abs(Number(attr(tag!, 'width')) - (r.cycles! / max) * GROUP.plotWidth) <= 0.05 + 1e-9, `${r.benchmark}/${r.hypervisor} width`);
    }
    assert.equal((html.match(/<figure class="bench-group"/g) ?? []).length, BENCHMARKS.length);
  });

  it('scales: round scale ends and ticks', () => {
    assert.deepEqual([49, 71, 100, 376, 6500, 12865, 16491].map(niceCeil), [50, 80, 100, 400, 8000, 15000, 20000]);
    assert.deepEqual(ticks(8000), [0, 2000, 4000, 6000, 8000]);
    assert.deepEqual(ticks(15000), [0, 5000, 10000, 15000]);
    assert.equal(niceCeil(0), 1);
  });

  it('escapes text and attributes in the markup', () => {
    assert.equal(toMarkup({ tag: 'text', attrs: { 'data-x': 'a"<b>&' }, children: ['<script>&'] }), '<text data-x="a&quot;&lt;b&gt;&amp;">&lt;script&gt;&amp;</text>');
  });
});
