// `armvirt experiments`: runs every microbenchmark guest (examples/bench) under each example
// hypervisor (examples/hyp) on a 2-PE GICv2 machine with a cost profile (src/sim/cost), and
// prints the guests' own measurements beside the paper's Table 3, plus the breakdown of a
// hypercall's world switch by register class beside Table 4.
//
// Nothing here computes a benchmark's cycles: the guest measures itself with the counter, and
// the counter advances with the modelled cycles of what the machine executed. The breakdown is
// measured from execution too: every instruction's cycles (static and dynamic charges) are
// attributed to the world-switch section (bd_<class>_<save|restore>_* labels in kit.inc) that
// contains its PC, over two runs with different iteration counts, and the difference is divided
// by the difference in hypercalls (so start-up and reporting cancel out).
//
// The text table is printed row by row as results come (with a status line on a terminal's
// stderr); --json prints one document at the end; --html also writes the charts
// (experiments-report.ts). The paper's figures live in paper.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Machine } from '../sim/machine';
import { assemble, nodeReadFile } from '../asm/assembler';
import type { PE } from '../sim/pe';
import type { Exec } from '../sim/exec';
import { BENCHMARKS, HYPERVISORS, PAPER_TABLE3, PAPER_TABLE4, TABLE4_HYPERVISOR, paperFigure, type Benchmark, type BreakdownRow, type ExperimentRow, type ExperimentsReport, type Hypervisor } from './paper';
import { LINUX_KVM_MODE_NAMES, bootLinuxKvm, defaultKernel, formatExitBreakdown, linuxRows, type LinuxBoot, type LinuxKvmRow } from './linux-kvm';

export { BENCHMARKS, HYPERVISORS, PAPER_TABLE3, PAPER_TABLE4 } from './paper';
export type { Benchmark, BreakdownRow, ExperimentRow, ExperimentsReport, Hypervisor } from './paper';
/** Guest programs in examples/bench that are not Table 3 rows: not run by `armvirt experiments`, only by runBenchmark (tests, launch configurations). */
export const EXTRA_GUESTS = ['virtual-timer'] as const;
export type Guest = Benchmark | typeof EXTRA_GUESTS[number];

const HYP_DIR: Record<Hypervisor, string> = { 'kvm-split': 'kvm-split/kvm-split.S', 'kvm-vhe': 'kvm-vhe/kvm-vhe.S', 'xen-style': 'xen-style/xen-style.S' };
const HYP_CPU: Record<Hypervisor, string> = { 'kvm-split': 'cortex-a57', 'kvm-vhe': 'armv8.1-vhe', 'xen-style': 'cortex-a57' };
const DEFAULT_PROFILE: Record<Hypervisor, string> = { 'kvm-split': 'xgene-gicv2', 'kvm-vhe': 'armv8.1-vhe', 'xen-style': 'xgene-gicv2' };

/** The examples/ directory (next to dist/ or src/ in a checkout or an installed package). */
export function examplesDir(): string {
  for (const d of [path.join(__dirname, '..', 'examples'), path.join(__dirname, '..', '..', 'examples'), path.join(process.cwd(), 'examples')]) {
    if (fs.existsSync(path.join(d, 'hyp'))) return d;
  }
  throw new Error('examples/ not found (run from the armvirt-debugger checkout or package)');
}

/** The program for (hypervisor, benchmark): kit, guest runtime, the benchmark, the hypervisor. */
export function programSource(h: Hypervisor, b: Guest, iterations: number): string {
  return [
    `// ${b} under ${h} (armvirt experiments layout; see examples/run/)`,
    `        .equ ITERATIONS, ${iterations}`,
    '        .include "../hyp/common/kit.inc"',
    '        .include "../bench/common/guest.inc"',
    `        .include "../bench/${b}.S"`,
    `        .include "../hyp/${HYP_DIR[h]}"`,
    '',
  ].join('\n');
}

export interface ProgramBuild { segments: { addr: number; data: Uint8Array; memsz: number }[]; entry: number; symbols: Map<string, number> }

export function buildProgram(h: Hypervisor, b: Guest, iterations: number): ProgramBuild {
  const dir = path.join(examplesDir(), 'run');
  const fileName = path.join(dir, `${h}-${b}.S`);
  const r = assemble(programSource(h, b, iterations), { fileName, readFile: nodeReadFile });
  if (r.errors.length > 0) {
    throw new Error(`assembling ${h}/${b}:\n${r.errors.slice(0, 10).map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`).join('\n')}`);
  }
  const symbols = new Map<string, number>();
  for (const s of r.symbols) if (s.section !== null) symbols.set(s.name, Number(s.value));
  return {
    segments: r.sections.filter((s) => s.flags.alloc && s.size > 0).map((s) => ({ addr: Number(s.address), data: s.nobits ? new Uint8Array(0) : s.data, memsz: s.size })),
    entry: Number(r.entry), symbols,
  };
}

export interface RunOptions { profile?: string; iterations?: number; maxInstructions?: number; quantum?: number }

export interface BenchRun {
  hypervisor: Hypervisor;
  benchmark: Guest;
  /** The guest's printed average (cycles), or null when it did not report. */
  cycles: number | null;
  output: string;
  machine: Machine;
  program: ProgramBuild;
  /** Per-section cycles when sections were probed (breakdown runs). */
  sections?: Map<string, number>;
}

/** Creates the machine for a hypervisor (2 PEs, GICv2, one counter tick per modelled cycle). */
export function makeMachine(h: Hypervisor, profile: string, output: (s: string) => void, quantum = 200): Machine {
  return new Machine({
    cores: 2, gic: 'v2', cpu: HYP_CPU[h], cost: profile, cyclesPerTick: 1, quantum,
    output: (bytes) => output(Buffer.from(bytes).toString('latin1')),
  });
}

/**
 * Attributes every executed instruction's modelled cycles to the world-switch section holding
 * its PC (labels bd_<class>_<dir>_<tag> … bd_end_<class>_<dir>_<tag>). Returns the totals.
 */
export function probeSections(m: Machine, symbols: Map<string, number>): Map<string, number> {
  const ranges: { key: string; start: number; end: number }[] = [];
  for (const [name, start] of symbols) {
    const mm = /^bd_([a-z0-9]+)_(save|restore)_(\w+)$/.exec(name);
    if (!mm) continue;
    const end = symbols.get(`bd_end_${mm[1]}_${mm[2]}_${mm[3]}`);
    if (end !== undefined) ranges.push({ key: `${mm[1]}.${mm[2]}`, start, end });
  }
  const byPc = new Map<number, string>();
  for (const r of ranges) for (let a = r.start; a < r.end; a += 4) byPc.set(a, r.key);
  const totals = new Map<string, number>();
  for (const pe of m.pes) {
    const inner = pe.decoder;
    pe.decoder = (word: number): Exec => {
      const f = inner(word);
      return (p: PE) => {
        const key = byPc.get(p.pcLo);
        if (key === undefined) return f(p);
        const c0 = p.costExtra;
        try {
          return f(p);
        } finally {
          totals.set(key, (totals.get(key) ?? 0) + 1 + p.costExtra - c0);
        }
      };
    };
  }
  m.mem.code.fill(undefined);
  return totals;
}

export function runBenchmark(h: Hypervisor, b: Guest, opts: RunOptions = {}, probe = false): BenchRun {
  const iterations = opts.iterations ?? 32;
  const program = buildProgram(h, b, iterations);
  let output = '';
  const m = makeMachine(h, opts.profile ?? DEFAULT_PROFILE[h], (s) => { output += s; }, opts.quantum);
  m.load(program.segments, program.entry);
  const sections = probe ? probeSections(m, program.symbols) : undefined;
  m.run(opts.maxInstructions ?? 20_000_000 + iterations * 200_000);
  const mm = /RESULT (\S+) cycles=(\d+)/.exec(output);
  return { hypervisor: h, benchmark: b, cycles: mm ? Number(mm[2]) : null, output, machine: m, program, sections };
}

/** The hypercall's cycles per register class and direction, per hypercall (difference of two runs). */
export function hypercallBreakdown(h: Hypervisor, opts: RunOptions = {}): BreakdownRow[] {
  const n1 = 4, n2 = 12;
  const a = runBenchmark(h, 'hypercall', { ...opts, iterations: n1 }, true).sections!;
  const b = runBenchmark(h, 'hypercall', { ...opts, iterations: n2 }, true).sections!;
  const rows: BreakdownRow[] = [];
  for (const cls of Object.keys(PAPER_TABLE4)) {
    const per = (dir: string): number => Math.round(((b.get(`${cls}.${dir}`) ?? 0) - (a.get(`${cls}.${dir}`) ?? 0)) / (n2 - n1));
    rows.push({ hypervisor: h, class: cls, save: per('save'), restore: per('restore') });
  }
  return rows;
}

/** Hooks for a caller that shows progress or prints rows as they are measured. */
export interface ExperimentsProgress {
  /** Before each step: `step` of `total` (1-based); `what` is a benchmark or the hypercall breakdown's two runs. */
  start?(step: number, total: number, hypervisor: Hypervisor, what: Benchmark | 'breakdown'): void;
  /** Each Table 3 row as soon as it is measured. */
  row?(row: ExperimentRow): void;
}

/** What a run will do before it starts: the profiles it uses, the hypervisors it skips, its step count. */
export interface ExperimentsPlan { profile: string; missing: Hypervisor[]; hyps: Hypervisor[]; benches: readonly Benchmark[]; total: number }

export function planExperiments(hyps: readonly Hypervisor[], opts: RunOptions = {}, benches: readonly Benchmark[] = BENCHMARKS): ExperimentsPlan {
  const missing: Hypervisor[] = [];
  const run: Hypervisor[] = [];
  const used = new Set<string>();
  for (const h of hyps) {
    if (!fs.existsSync(path.join(examplesDir(), 'hyp', HYP_DIR[h]))) { missing.push(h); continue; }
    run.push(h);
    used.add(opts.profile ?? DEFAULT_PROFILE[h]);
  }
  // One step per benchmark, and one for the breakdown, per hypervisor.
  return { profile: [...used].join('+'), missing, hyps: run, benches, total: run.length * (benches.length + 1) };
}

export function runExperiments(hyps: readonly Hypervisor[], opts: RunOptions = {}, benches: readonly Benchmark[] = BENCHMARKS, progress: ExperimentsProgress = {}): ExperimentsReport {
  const plan = planExperiments(hyps, opts, benches);
  const rows: ExperimentRow[] = [];
  const breakdown: BreakdownRow[] = [];
  let step = 0;
  for (const h of plan.hyps) {
    for (const b of benches) {
      progress.start?.(++step, plan.total, h, b);
      let cycles: number | null = null;
      try { cycles = runBenchmark(h, b, opts).cycles; } catch { cycles = null; }
      const row: ExperimentRow = { benchmark: b, hypervisor: h, cycles, paper: paperFigure(h, b) };
      rows.push(row);
      progress.row?.(row);
    }
    progress.start?.(++step, plan.total, h, 'breakdown');
    breakdown.push(...hypercallBreakdown(h, opts));
  }
  const report: ExperimentsReport = { profile: plan.profile, rows, breakdown };
  if (plan.missing.length > 0) report.missing = plan.missing;
  return report;
}

const fmt = (n: number | null): string => (n === null ? '—' : Math.round(n).toLocaleString('en-US'));
const ratio = (x: ExperimentRow): string => (x.cycles !== null && x.paper ? (x.cycles / x.paper).toFixed(2) : '—');

/**
 * The Table 3 text table, one line at a time: column widths come from the names that can occur
 * (and numbers up to 999,999), so rows can be printed as they are measured and line up with the
 * header printed before the first.
 */
export class MicroTable {
  private static readonly HEADER = ['benchmark', 'hypervisor', 'ours', 'paper', 'ours/paper'];
  private readonly w: number[];

  constructor(hyps: readonly string[], benches: readonly string[], rows: readonly ExperimentRow[] = []) {
    const cells = [MicroTable.HEADER, ...rows.map(MicroTable.cells)];
    this.w = MicroTable.HEADER.map((h, i) => Math.max(i === 0 ? Math.max(0, ...benches.map((b) => b.length)) : i === 1 ? Math.max(0, ...hyps.map((x) => x.length)) : '999,999'.length - 1,
      ...cells.map((c) => c[i].length)));
  }

  private static cells(x: ExperimentRow): string[] { return [x.benchmark, x.hypervisor, fmt(x.cycles), fmt(x.paper), ratio(x)]; }

  private line(c: string[]): string { return c.map((s, i) => (i >= 2 ? s.padStart(this.w[i]) : s.padEnd(this.w[i]))).join('  '); }

  /** The lines before the first row (profile, skipped hypervisors, title, column header). */
  static preamble(profile: string, missing: readonly Hypervisor[] | undefined): string[] {
    const lines = [`cost profile: ${profile}`];
    if (missing && missing.length > 0) lines.push(`not run (example not written yet): ${missing.join(', ')}`);
    lines.push('', 'Microbenchmarks (cycles): ours beside the paper (ISCA 2016 Table 3, ARM columns)');
    return lines;
  }

  header(): string { return this.line(MicroTable.HEADER); }
  row(x: ExperimentRow): string { return this.line(MicroTable.cells(x)); }
}

/** The hypercall breakdown table (after the Table 3 rows). */
export function formatBreakdown(breakdown: readonly BreakdownRow[]): string[] {
  const lines = ['', 'Hypercall breakdown by register class (cycles per hypercall), beside the paper\'s Table 4 (KVM ARM)'];
  const bh = ['hypervisor', 'class', 'save', 'restore', 'paper save', 'paper restore'];
  const bt = [bh, ...breakdown.map((x) => [x.hypervisor, PAPER_TABLE4[x.class]?.label ?? x.class, fmt(x.save), fmt(x.restore),
    x.hypervisor === TABLE4_HYPERVISOR ? fmt(PAPER_TABLE4[x.class]?.save ?? null) : '', x.hypervisor === TABLE4_HYPERVISOR ? fmt(PAPER_TABLE4[x.class]?.restore ?? null) : ''])];
  const bw = bh.map((_, i) => Math.max(...bt.map((t) => t[i].length)));
  for (const t of bt) lines.push(t.map((c, i) => (i >= 2 ? c.padStart(bw[i]) : c.padEnd(bw[i]))).join('  '));
  return lines;
}

export function formatReport(r: ExperimentsReport): string {
  const t = new MicroTable([...new Set(r.rows.map((x) => x.hypervisor))], [...new Set(r.rows.map((x) => x.benchmark))], r.rows);
  return [...MicroTable.preamble(r.profile, r.missing), t.header(), ...r.rows.map((x) => t.row(x)), ...formatBreakdown(r.breakdown)].join('\n') + '\n';
}

/** Writes all of `s` to a file descriptor now (process.stdout/stderr may be asynchronous pipes). */
function writeAll(fd: number, s: string): void {
  const buf = Buffer.from(s);
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw e;
    }
  }
}

/** The `armvirt experiments` options (cli.ts parses them). */
export interface ExperimentsCliOptions {
  hyp?: string; profile?: string; json?: boolean; iterations?: string; bench?: string;
  /** Write the HTML report (inline SVG and CSS, nothing remote) to this file. */
  html?: string;
  /** One JSON object per step on stderr ({"step", "total", "hypervisor", "what"}), for the VS Code panel. */
  'progress-json'?: boolean;
  /** Also boot Debian's kernel under both KVM modes and run the benchmarks on Linux's own KVM (linux-kvm.ts). */
  linux?: boolean;
  /** The kernel for --linux (default: scripts/fetch-kernel.sh's cache). */
  kernel?: string;
}

/**
 * The Linux table: each benchmark on Linux 6.1's KVM (nVHE on cortex-a57, VHE on max), the exits
 * KVM counted in the timed loop, beside the example hypervisors' KVM rows and the paper's KVM column.
 */
export function formatLinuxTable(linux: readonly LinuxKvmRow[], examples: readonly ExperimentRow[]): string[] {
  const benches = [...new Set(linux.map((r) => r.benchmark))];
  const ex = (h: Hypervisor, b: Benchmark): string => fmt(examples.find((r) => r.hypervisor === h && r.benchmark === b)?.cycles ?? null);
  const cell = (b: Benchmark, mode: string): LinuxKvmRow | undefined => linux.find((r) => r.benchmark === b && r.mode === mode);
  const exits = (r: LinuxKvmRow | undefined): string => (r?.exits == null || r.loops == null ? '—' : `${r.exits}/${r.loops}`);
  const head = ['benchmark', ...LINUX_KVM_MODE_NAMES.flatMap((m) => [m, 'exits']), 'kvm-split', 'kvm-vhe', 'paper KVM'];
  const t = [head, ...benches.map((b) => [b, ...LINUX_KVM_MODE_NAMES.flatMap((m) => [fmt(cell(b, m)?.cycles ?? null), exits(cell(b, m))]),
    ex('kvm-split', b), ex('kvm-vhe', b), fmt(PAPER_TABLE3[b].kvm)])];
  const w = head.map((_, i) => Math.max(...t.map((r) => r[i].length)));
  return ['', 'On Linux 6.1\'s KVM in the simulator (cycles; exits: guest exits KVM counted in the timed loop / loops)',
    ...t.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '))];
}

/** The CLI subcommand (a promise with --linux: the kernel boots run as child processes). */
export function cmdExperiments(values: ExperimentsCliOptions, io: { stderrIsTTY?: boolean } = {}): number | Promise<number> {
  const hypArg = values.hyp ?? 'all';
  const hyps = hypArg === 'all' ? HYPERVISORS : hypArg.split(',').map((h) => {
    if (!(HYPERVISORS as readonly string[]).includes(h)) throw new RangeError(`--hyp must be one of ${HYPERVISORS.join(', ')} or all (got '${h}')`);
    return h as Hypervisor;
  });
  const benches = values.bench === undefined ? BENCHMARKS : values.bench.split(',').map((b) => {
    if (!(BENCHMARKS as readonly string[]).includes(b)) throw new RangeError(`--bench must be among ${BENCHMARKS.join(', ')} (got '${b}')`);
    return b as Benchmark;
  });
  const iterations = values.iterations === undefined ? 32 : Number(values.iterations);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 256) throw new RangeError(`--iterations must be an integer from 1 to 256 (got '${values.iterations}')`);
  const opts: RunOptions = { profile: values.profile, iterations };
  // A report that cannot be written is refused before the experiments run, not after.
  if (values.html !== undefined) {
    const dir = path.dirname(path.resolve(values.html));
    try { fs.accessSync(dir, fs.constants.W_OK); } catch { throw new RangeError(`--html: cannot write into ${dir} (no such folder, or not writable)`); }
    if (fs.existsSync(values.html) && fs.statSync(values.html).isDirectory()) throw new RangeError(`--html: ${values.html} is a folder; give a file name`);
  }
  const plan = planExperiments(hyps, opts, benches);
  // The Linux boots start first and run beside the example hypervisors (child processes).
  let boots: Promise<LinuxBoot[]> | undefined;
  if (values.linux) {
    const kernel = values.kernel ?? defaultKernel();
    if (!fs.existsSync(kernel)) throw new RangeError(`--linux needs Debian's arm64 kernel: ${kernel} does not exist (bash scripts/fetch-kernel.sh, or --kernel FILE)`);
    boots = Promise.all(LINUX_KVM_MODE_NAMES.map((mode) => bootLinuxKvm(mode, { kernel, profile: values.profile, benches: values.bench === undefined ? [] : benches })));
  } else if (values.kernel !== undefined) {
    throw new RangeError('--kernel is for --linux (the Linux boots)');
  }

  // A status line on a terminal's stderr ("[5/24] kvm-split × vm-switch", redrawn in place and
  // cleared at the end); none with --json or when stderr is a file or pipe.
  const tty = !values.json && !values['progress-json'] && (io.stderrIsTTY ?? process.stderr.isTTY === true);
  let status = '';
  const clearStatus = (): void => { if (status) { writeAll(2, '\r\x1b[K'); status = ''; } };
  // Table rows go to stdout as they are measured (not with --json: one document at the end).
  const table = values.json ? undefined : new MicroTable(plan.hyps, benches);
  if (table) writeAll(1, [...MicroTable.preamble(plan.profile, plan.missing), table.header()].join('\n') + '\n');
  const progress: ExperimentsProgress = {
    start: (step, total, h, what) => {
      const label = what === 'breakdown' ? `${h} × hypercall breakdown` : `${h} × ${what}`;
      if (values['progress-json']) writeAll(2, JSON.stringify({ step, total, hypervisor: h, what, label }) + '\n');
      if (tty) { status = `[${step}/${total}] ${label}`; writeAll(2, `\r\x1b[K${status}`); }
    },
    row: (r) => {
      if (!table) return;
      // The status line is taken down before the row is printed (stdout and stderr may be the
      // same terminal); the next step draws it again.
      clearStatus();
      writeAll(1, table.row(r) + '\n');
    },
  };
  let report: ExperimentsReport;
  try {
    report = runExperiments(hyps, opts, benches, progress);
  } finally {
    clearStatus();
  }
  if (values.html) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { reportHtml } = require('./experiments-report') as typeof import('./experiments-report');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { experimentsViewModel } = require('../webview/model/experiments') as typeof import('../webview/model/experiments');
    fs.writeFileSync(values.html, reportHtml(experimentsViewModel(report, { iterations }), experimentsCss()));
  }
  if (boots === undefined) {
    writeAll(1, values.json ? JSON.stringify(report, null, 2) + '\n' : formatBreakdown(report.breakdown).join('\n') + '\n');
    return 0;
  }
  if (!values.json) writeAll(1, formatBreakdown(report.breakdown).join('\n') + '\n');
  return boots.then((done) => {
    const linux = linuxRows(done, benches);
    for (const b of done) {
      if (b.status !== 0 || b.results.size === 0) writeAll(2, `armvirt experiments: the ${b.mode} boot ended with status ${b.status}; its last lines:\n${b.console.split('\n').slice(-15).join('\n')}\n`);
    }
    const exitProfiles = Object.fromEntries(done.filter((b) => b.exitProfile).map((b) => [b.mode, b.exitProfile]));
    writeAll(1, values.json ? JSON.stringify({ ...report, linux, exitProfiles }, null, 2) + '\n' : [...formatLinuxTable(linux, report.rows), ...formatExitBreakdown(done)].join('\n') + '\n');
    return done.every((b) => b.status === 0) ? 0 : 1;
  });
}

/** The report's stylesheet: dist/webview-experiments.css next to dist/cli.js, or the source in a checkout. */
export function experimentsCss(): string {
  for (const f of [path.join(__dirname, 'webview-experiments.css'), path.join(__dirname, '..', 'webview', 'experiments.css'), path.join(__dirname, '..', 'src', 'webview', 'experiments.css')]) {
    if (fs.existsSync(f)) return fs.readFileSync(f, 'utf8');
  }
  throw new Error('the report stylesheet (webview-experiments.css) was not found next to the armvirt CLI');
}
