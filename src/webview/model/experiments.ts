// The experiments view model (pure: no DOM, no vscode, no node): `armvirt experiments --json`'s
// report → one bar group per benchmark (our hypervisors beside the paper's Table 3 cells, each
// group on its own scale, since the figures go from tens to tens of thousands of cycles) and the
// hypercall breakdown stacked by register class beside the paper's Table 4. The CLI's --html
// report and the VS Code panel both render this model (src/webview/experiments-svg.ts).
import { BENCHMARKS, PAPER_COLUMN, PAPER_TABLE3, PAPER_TABLE4, TABLE4_HYPERVISOR, type Benchmark, type ExperimentsReport, type Hypervisor } from '../../cli/paper';

/** Our hypervisors in chart order, each followed by the paper column it is compared with. */
const CHART_ORDER: Hypervisor[] = ['kvm-split', 'xen-style', 'kvm-vhe'];
const PAPER_LABEL = { kvm: 'paper ARM KVM', xen: 'paper ARM Xen' } as const;

export interface BarView {
  bench: Benchmark;
  /** Our hypervisor, or the paper's column ('paper-kvm', 'paper-xen'). */
  hyp: Hypervisor | 'paper-kvm' | 'paper-xen';
  source: 'ours' | 'paper';
  label: string;
  /** Cycles; null when the guest did not report. */
  value: number | null;
  /** The paper's figure this bar is compared with (ours only), and ours / paper. */
  paper: number | null;
  ratio: number | null;
  /** What is written beside the bar. */
  text: string;
  /** Tooltip. */
  title: string;
}

export interface GroupView { bench: Benchmark; title: string; bars: BarView[]; /** The group's scale: 0 … max cycles. */ max: number; ticks: number[] }

export interface SegmentView { cls: string; label: string; save: number; restore: number; value: number; title: string }
export interface StackView { hyp: Hypervisor | 'paper-kvm'; source: 'ours' | 'paper'; label: string; segments: SegmentView[]; total: number; text: string }
export interface BreakdownView { classes: { cls: string; label: string }[]; stacks: StackView[]; max: number; ticks: number[] }

export interface ExperimentsView {
  title: string;
  /** Profile, iterations, hypervisors not run. */
  notes: string[];
  groups: GroupView[];
  breakdown: BreakdownView;
}

export const fmtCycles = (n: number | null): string => (n === null ? '—' : Math.round(n).toLocaleString('en-US'));
const fmtRatio = (r: number): string => `${r.toFixed(2)}×`;

/** Scale ends (× 10^k) and the number of tick steps that divides each into round values. */
const NICE: [number, number][] = [[1, 4], [1.5, 3], [2, 4], [2.5, 5], [3, 3], [4, 4], [5, 5], [6, 3], [8, 4], [10, 5]];

/** The smallest NICE end × 10^k at or above `v` (at least 1): a scale end with round ticks. */
export function niceCeil(v: number): number {
  if (!(v > 1)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const [m] of NICE) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Evenly spaced round ticks from 0 to `max` (a niceCeil value). */
export function ticks(max: number): number[] {
  const lead = max / 10 ** Math.floor(Math.log10(max));
  const steps = NICE.find(([m]) => Math.abs(m - lead) < 1e-9)?.[1] ?? 4;
  return Array.from({ length: steps + 1 }, (_, i) => (max * i) / steps);
}

export function experimentsViewModel(r: ExperimentsReport, opts: { iterations?: number } = {}): ExperimentsView {
  const ran = CHART_ORDER.filter((h) => r.rows.some((x) => x.hypervisor === h));
  const benches = BENCHMARKS.filter((b) => r.rows.some((x) => x.benchmark === b));
  const groups: GroupView[] = benches.map((bench) => {
    const bars: BarView[] = [];
    const paperBar = (col: 'kvm' | 'xen'): void => {
      const v = PAPER_TABLE3[bench][col];
      bars.push({ bench, hyp: `paper-${col}`, source: 'paper', label: PAPER_LABEL[col], value: v, paper: null, ratio: null, text: fmtCycles(v),
        title: `${bench}: ${fmtCycles(v)} cycles in the paper (ISCA 2016 Table 3, ${col === 'kvm' ? 'ARM KVM' : 'ARM Xen'})` });
    };
    for (const h of ran) {
      const row = r.rows.find((x) => x.benchmark === bench && x.hypervisor === h);
      const value = row?.cycles ?? null;
      const paper = row?.paper ?? null;
      const ratio = value !== null && paper ? value / paper : null;
      bars.push({ bench, hyp: h, source: 'ours', label: h, value, paper, ratio,
        text: value === null ? '— (no result)' : ratio === null ? fmtCycles(value) : `${fmtCycles(value)} · ${fmtRatio(ratio)}`,
        title: `${h}, ${bench}: ${value === null ? 'the guest did not report' : `${fmtCycles(value)} cycles`}${ratio === null ? '' : `; paper ${fmtCycles(paper)}; ours/paper ${ratio.toFixed(2)}`}` });
      const col = PAPER_COLUMN[h];
      if (col) paperBar(col);
    }
    // The paper's two ARM cells are shown even for a run without the hypervisor compared with them.
    for (const col of ['kvm', 'xen'] as const) if (!bars.some((b) => b.hyp === `paper-${col}`)) paperBar(col);
    const max = niceCeil(Math.max(...bars.map((b) => b.value ?? 0)));
    return { bench, title: bench, bars, max, ticks: ticks(max) };
  });

  const classes = Object.entries(PAPER_TABLE4).map(([cls, p]) => ({ cls, label: p.label }));
  const stack = (hyp: StackView['hyp'], source: StackView['source'], label: string, get: (cls: string) => { save: number; restore: number } | undefined): StackView => {
    const segments = classes.map(({ cls, label: cl }) => {
      const v = get(cls) ?? { save: 0, restore: 0 };
      return { cls, label: cl, save: v.save, restore: v.restore, value: v.save + v.restore, title: `${label}, ${cl}: save ${fmtCycles(v.save)} + restore ${fmtCycles(v.restore)} cycles` };
    });
    const total = segments.reduce((s, x) => s + x.value, 0);
    return { hyp, source, label, segments, total, text: `${fmtCycles(total)} cycles` };
  };
  const stacks: StackView[] = [];
  for (const h of CHART_ORDER) {
    const rows = r.breakdown.filter((x) => x.hypervisor === h);
    if (rows.length === 0) continue;
    stacks.push(stack(h, 'ours', h, (cls) => rows.find((x) => x.class === cls)));
    if (h === TABLE4_HYPERVISOR) stacks.push(stack('paper-kvm', 'paper', 'paper ARM KVM (Table 4)', (cls) => PAPER_TABLE4[cls]));
  }
  if (!stacks.some((s) => s.source === 'paper')) stacks.push(stack('paper-kvm', 'paper', 'paper ARM KVM (Table 4)', (cls) => PAPER_TABLE4[cls]));
  const bmax = niceCeil(Math.max(...stacks.map((s) => s.total)));

  const notes = [`cost profile: ${r.profile}`];
  if (opts.iterations !== undefined) notes.push(`${opts.iterations} iterations per benchmark`);
  if (r.missing?.length) notes.push(`not run (example not written yet): ${r.missing.join(', ')}`);
  return {
    title: 'ArmVirt experiments: the ISCA 2016 microbenchmarks',
    notes, groups,
    breakdown: { classes, stacks, max: bmax, ticks: ticks(bmax) },
  };
}
