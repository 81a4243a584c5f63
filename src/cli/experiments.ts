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
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Machine } from '../sim/machine';
import { assemble, nodeReadFile } from '../asm/assembler';
import type { PE } from '../sim/pe';
import type { Exec } from '../sim/exec';

export const HYPERVISORS = ['kvm-split', 'kvm-vhe', 'xen-style'] as const;
export type Hypervisor = typeof HYPERVISORS[number];
export const BENCHMARKS = ['hypercall', 'interrupt-controller-trap', 'virtual-ipi', 'virtual-irq-completion', 'vm-switch', 'io-latency-out', 'io-latency-in'] as const;
export type Benchmark = typeof BENCHMARKS[number];
/** Guest programs in examples/bench that are not Table 3 rows: not run by `armvirt experiments`, only by runBenchmark (tests, launch configurations). */
export const EXTRA_GUESTS = ['virtual-timer'] as const;
export type Guest = Benchmark | typeof EXTRA_GUESTS[number];

/** The paper's Table 3 (ARM columns), PAPER.md. */
export const PAPER_TABLE3: Record<Benchmark, { kvm: number; xen: number }> = {
  'hypercall': { kvm: 6500, xen: 376 },
  'interrupt-controller-trap': { kvm: 7370, xen: 1356 },
  'virtual-ipi': { kvm: 11557, xen: 5978 },
  'virtual-irq-completion': { kvm: 71, xen: 71 },
  'vm-switch': { kvm: 10387, xen: 8799 },
  'io-latency-out': { kvm: 6024, xen: 16491 },
  'io-latency-in': { kvm: 13872, xen: 15650 },
};

/** The paper's Table 4 (KVM ARM hypercall breakdown), by our register-class names. */
export const PAPER_TABLE4: Record<string, { label: string; save: number; restore: number }> = {
  gp: { label: 'GP registers', save: 152, restore: 184 },
  fp: { label: 'FP registers', save: 282, restore: 310 },
  el1: { label: 'EL1 system registers', save: 230, restore: 511 },
  vgic: { label: 'VGIC registers (GICv2 MMIO)', save: 3250, restore: 181 },
  timer: { label: 'Timer registers', save: 104, restore: 106 },
  el2cfg: { label: 'EL2 config registers', save: 92, restore: 107 },
  el2vm: { label: 'EL2 virtual memory registers', save: 92, restore: 107 },
};

/** Which column of the paper a hypervisor is compared with (kvm-vhe: the paper had no VHE hardware). */
function paperFigure(h: Hypervisor, b: Benchmark): number | null {
  if (h === 'kvm-split') return PAPER_TABLE3[b].kvm;
  if (h === 'xen-style') return PAPER_TABLE3[b].xen;
  return null;
}

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

export interface BreakdownRow { hypervisor: Hypervisor; class: string; save: number; restore: number }

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

export interface ExperimentsReport {
  profile: string;
  /** Hypervisors asked for whose example is not written yet. */
  missing?: Hypervisor[];
  rows: { benchmark: Benchmark; hypervisor: Hypervisor; cycles: number | null; paper: number | null }[];
  breakdown: BreakdownRow[];
}

export function runExperiments(hyps: readonly Hypervisor[], opts: RunOptions = {}, benches: readonly Benchmark[] = BENCHMARKS): ExperimentsReport {
  const rows: ExperimentsReport['rows'] = [];
  const breakdown: BreakdownRow[] = [];
  const missing: Hypervisor[] = [];
  const used = new Set<string>();
  for (const h of hyps) {
    if (!fs.existsSync(path.join(examplesDir(), 'hyp', HYP_DIR[h]))) { missing.push(h); continue; }
    used.add(opts.profile ?? DEFAULT_PROFILE[h]);
    for (const b of benches) {
      let cycles: number | null = null;
      try { cycles = runBenchmark(h, b, opts).cycles; } catch { cycles = null; }
      rows.push({ benchmark: b, hypervisor: h, cycles, paper: paperFigure(h, b) });
    }
    breakdown.push(...hypercallBreakdown(h, opts));
  }
  const report: ExperimentsReport = { profile: [...used].join('+'), rows, breakdown };
  if (missing.length > 0) report.missing = missing;
  return report;
}

const fmt = (n: number | null): string => (n === null ? '—' : Math.round(n).toLocaleString('en-US'));

export function formatReport(r: ExperimentsReport): string {
  const lines: string[] = [`cost profile: ${r.profile}`];
  if (r.missing) lines.push(`not run (example not written yet): ${r.missing.join(', ')}`);
  lines.push('', 'Microbenchmarks (cycles): ours beside the paper (ISCA 2016 Table 3, ARM columns)');
  const hdr = ['benchmark', 'hypervisor', 'ours', 'paper', 'ours/paper'];
  const table = [hdr, ...r.rows.map((x) => [x.benchmark, x.hypervisor, fmt(x.cycles), fmt(x.paper),
    x.cycles !== null && x.paper ? (x.cycles / x.paper).toFixed(2) : '—'])];
  const w = hdr.map((_, i) => Math.max(...table.map((t) => t[i].length)));
  for (const t of table) lines.push(t.map((c, i) => (i >= 2 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  '));
  lines.push('', 'Hypercall breakdown by register class (cycles per hypercall), beside the paper\'s Table 4 (KVM ARM)');
  const bh = ['hypervisor', 'class', 'save', 'restore', 'paper save', 'paper restore'];
  const bt = [bh, ...r.breakdown.map((x) => [x.hypervisor, PAPER_TABLE4[x.class]?.label ?? x.class, fmt(x.save), fmt(x.restore),
    x.hypervisor === 'kvm-split' ? fmt(PAPER_TABLE4[x.class]?.save ?? null) : '', x.hypervisor === 'kvm-split' ? fmt(PAPER_TABLE4[x.class]?.restore ?? null) : ''])];
  const bw = bh.map((_, i) => Math.max(...bt.map((t) => t[i].length)));
  for (const t of bt) lines.push(t.map((c, i) => (i >= 2 ? c.padStart(bw[i]) : c.padEnd(bw[i]))).join('  '));
  return lines.join('\n') + '\n';
}

/** The CLI subcommand. */
export function cmdExperiments(values: { hyp?: string; profile?: string; json?: boolean; iterations?: string; bench?: string }): number {
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
  const report = runExperiments(hyps, { profile: values.profile, iterations }, benches);
  process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
  return 0;
}
