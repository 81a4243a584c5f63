// `npm run bench` (node dist/bench.js [--quick] [--json] [--only ID,...] [--assembler gnu|builtin]):
// simulator speed beside QEMU TCG on the same ELF files, measured in one run.
//
// Each loop benchmark is compared with QEMU twice:
//   loop to loop         our MIPS inside Machine.run (in this process; loading and assembly not
//                        counted) vs QEMU's loop-only MIPS, which is the difference between two
//                        whole-process runs with different loop lengths (start-up cancels out);
//   process to process   wall time of `node dist/cli.js run prog.elf` vs `qemu-system-aarch64 …
//                        -kernel prog.elf` for the same ELF.
// Both are also given by CPU time (user + system) instead of wall time: on a machine shared with
// other jobs the wall clock counts the time spent waiting for a CPU, the CPU time mostly does not.
// Then start-up (node -e 0, our CLI and QEMU on a program that exits at once), the assembler on a
// generated 100,000-line source and the debug adapter's round trips. The machine's load is
// printed at the start and the end: on a shared machine the figures move with it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runAssemblerBench } from '../src/asm/assembler/bench-support';
import { dapBench, type DapBenchResult } from './dap';
import { linuxBootBench, printLinuxBoot, type LinuxBootReport } from './linux-boot';
import { formatLoad, hostInfo, hostLoad, type HostInfo, type HostLoad } from './host';
import { gnuToolchainAvailable, haveTool, ProgramBuilder, type AssemblerKind } from './programs';
import { QEMU, QEMU_ARGS, runCli, runInProcess, runNodeEmpty, runQemu, type InProcessRun, type ProcessRun } from './runners';
import { extrapolateWork, loopOnlyRate, median, ratio } from './stats';

/** A program of bench/programs with a loop whose length is the `.equ` `symbol`. */
interface LoopSpec {
  id: string;
  title: string;
  program: string;
  symbol: string;
  /** Length run by us (in process and as a CLI process) and by QEMU as its short run. */
  length: { full: number; quick: number };
  /** QEMU's long run: long enough that the loop, not start-up, dominates its wall time. */
  qemuLong: { full: number; quick: number };
  /** Also report hypercall round trips per second (exceptions taken). */
  roundTrips?: boolean;
}

const LOOPS: LoopSpec[] = [
  { id: 'intloop', title: 'integer loop (add, eor, subs, b.ne), MMU off', program: 'intloop', symbol: 'ITERATIONS',
    length: { full: 25_000_000, quick: 5_000_000 }, qemuLong: { full: 250_000_000, quick: 100_000_000 } },
  { id: 'hvc-loop', title: 'hypercall round trips (HVC at EL1 → EL2 vector → ERET)', program: 'hvc-loop', symbol: 'ROUNDS',
    length: { full: 1_000_000, quick: 200_000 }, qemuLong: { full: 2_000_000, quick: 500_000 }, roundTrips: true },
  { id: 'mmu-loop', title: 'page-strided loop, Stage 1 + Stage 2 on (4 KiB pages over 64 MiB)', program: 'mmu-loop', symbol: 'PASSES',
    length: { full: 200, quick: 40 }, qemuLong: { full: 300, quick: 100 } },
  { id: 'mmu-loop-flat', title: 'the same loop with the MMU off', program: 'mmu-loop-flat', symbol: 'PASSES',
    length: { full: 200, quick: 40 }, qemuLong: { full: 300, quick: 100 } },
];
const OTHER_IDS = ['startup', 'asm', 'dap', 'linux'];

interface Mode {
  quick: boolean;
  /** Repetitions: in-process runs, CLI processes, QEMU processes (per length), start-up processes. */
  reps: { inProcess: number; cli: number; qemu: number; startup: number };
  asmLines: number;
  dap: { iterations: number; steps: number };
}

const FULL: Mode = { quick: false, reps: { inProcess: 3, cli: 3, qemu: 5, startup: 15 }, asmLines: 100_000, dap: { iterations: 25_000_000, steps: 40 } };
const QUICK: Mode = { quick: true, reps: { inProcess: 1, cli: 1, qemu: 3, startup: 5 }, asmLines: 20_000, dap: { iterations: 2_500_000, steps: 10 } };

interface LoopResult {
  id: string;
  title: string;
  symbol: string;
  /** Loop length of the program we run and of QEMU's short and long runs. */
  length: number;
  qemuLongLength: number;
  /** Instructions retired by the `length` program (and, extrapolated, by QEMU's long one). */
  instructions: number;
  qemuLongInstructions: number;
  roundTrips?: number;
  /** What the program printed (its checksum). */
  output: string;
  ours: {
    /** Seconds inside Machine.run, per repetition. */
    runLoopSeconds: number[];
    mips: number;
    roundTripsPerSecond?: number;
    /** Wall seconds of `node dist/cli.js run`, per repetition. */
    processSeconds: number[];
    /** The same measures by CPU time (user + system) instead of wall time. */
    runLoopCpuSeconds: number[];
    cpuMips: number;
    processCpuSeconds?: number[];
  };
  /** The same runs with the region compiler on (`--jit`; src/sim/jit). */
  jit: { runLoopSeconds: number[]; mips: number; roundTripsPerSecond?: number; processSeconds: number[] };
  qemu?: {
    shortSeconds: number[];
    longSeconds: number[];
    /** Loop-only rate (undefined when the long run was not measurably slower). */
    loopMips?: number;
    loopRoundTripsPerSecond?: number;
    /** The same by CPU time (all of QEMU's threads) instead of wall time. */
    shortCpuSeconds?: number[];
    longCpuSeconds?: number[];
    loopCpuMips?: number;
    /** Does QEMU print what the simulator printed for the same ELF? */
    outputMatches: boolean;
  };
  ratios: {
    /** armvirt MIPS / QEMU loop-only MIPS. */
    loopToLoop?: number;
    /** QEMU process seconds / armvirt process seconds (> 1: armvirt finishes first). */
    processToProcess?: number;
    /** The same two ratios by CPU time instead of wall time (less sensitive to other load). */
    loopToLoopCpu?: number;
    processToProcessCpu?: number;
    /** loopToLoop and processToProcess with the region compiler on. */
    loopToLoopJit?: number;
    processToProcessJit?: number;
  };
}

interface StartupResult {
  /** Medians of wall seconds; CPU seconds (where /proc gives them) are means, as /proc counts in 10 ms ticks. */
  nodeEmptySeconds: number;
  cliSeconds: number;
  qemuSeconds?: number;
  nodeEmptyCpuSeconds?: number;
  cliCpuSeconds?: number;
  qemuCpuSeconds?: number;
  /** `node dist/cli.js run startup.elf` / `node -e 0`, by wall time and by CPU time (issue 14's target: at most 1.5). */
  cliToNode: number;
  cliToNodeCpu?: number;
  reps: number;
}

interface AsmResult { lines: number; ms: number; errors: number; firstError?: string }

interface Report {
  mode: 'full' | 'quick';
  host: HostInfo;
  loadAtStart: HostLoad;
  loadAtEnd?: HostLoad;
  assembler: AssemblerKind;
  /** The QEMU command line (undefined: QEMU not installed, no comparisons). */
  qemuCommand?: string;
  /** What each ratio divides, for whoever reads the recorded JSON. */
  ratioMeaning: { loopToLoop: string; processToProcess: string; cpu: string };
  loops: LoopResult[];
  /** MIPS of mmu-loop-flat / MIPS of mmu-loop: what Stage 1 + Stage 2 translation costs the same loop. */
  mmuSlowdown?: { ours: number; oursCpu: number; qemu?: number; qemuCpu?: number };
  startup?: StartupResult;
  asm?: AsmResult;
  dap?: DapBenchResult;
  /** Debian's kernel + initramfs to KVM init and power-off, beside QEMU (full mode only). */
  linux?: LinuxBootReport;
  seconds?: number;
}

const USAGE = `usage: node dist/bench.js [--quick] [--json] [--save FILE] [--only ID,...] [--assembler gnu|builtin]
  --quick      shorter loops (a fifth), fewer repetitions, a smaller assembler source and DAP loop
  --json       print one JSON object (the figures and the host's load) instead of the tables
  --save FILE  also write that JSON object to FILE
  --only       run only these: ${[...LOOPS.map((l) => l.id), ...OTHER_IDS].join(', ')}
  --assembler  build the programs with GNU as + ld (the default when installed) or the built-in assembler`;

function parse(argv: string[]): { mode: Mode; json: boolean; save?: string; only: Set<string>; assembler: AssemblerKind } {
  const { values } = parseArgs({
    args: argv, allowPositionals: false,
    options: { quick: { type: 'boolean' }, json: { type: 'boolean' }, save: { type: 'string' }, only: { type: 'string' }, assembler: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { console.log(USAGE); process.exit(0); }
  const known = [...LOOPS.map((l) => l.id), ...OTHER_IDS];
  const only = new Set((values.only ?? known.join(',')).split(',').map((s) => s.trim()).filter(Boolean));
  for (const id of only) if (!known.includes(id)) throw new UsageError(`--only: unknown benchmark '${id}' (know ${known.join(', ')})`);
  const a = values.assembler ?? (gnuToolchainAvailable() ? 'gnu' : 'builtin');
  if (a !== 'gnu' && a !== 'builtin') throw new UsageError(`--assembler must be gnu or builtin (got '${a}')`);
  if (a === 'gnu' && !gnuToolchainAvailable()) throw new UsageError('--assembler gnu: aarch64-linux-gnu-as/ld are not installed');
  return { mode: values.quick ? QUICK : FULL, json: values.json === true, save: values.save, only, assembler: a };
}

class UsageError extends Error {}

function times<T>(n: number, f: () => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(f());
  return out;
}

function runLoop(spec: LoopSpec, mode: Mode, builder: ProgramBuilder, withQemu: boolean): LoopResult {
  const n = mode.quick ? spec.length.quick : spec.length.full;
  const nLong = mode.quick ? spec.qemuLong.quick : spec.qemuLong.full;
  const nSmall = Math.max(1, Math.floor(n / 100));
  const elf = builder.build(spec.program, spec.symbol, n);
  const small = builder.build(spec.program, spec.symbol, nSmall);

  // In process: the small program first (it also warms V8's JIT up), then the measured runs.
  const s = runInProcess(small);
  const runs: InProcessRun[] = [];
  for (let i = 0; i < mode.reps.inProcess; i++) runs.push(runInProcess(elf));
  const { instructions, exceptions, output } = runs[0];
  for (const r of runs) if (r.instructions !== instructions || r.output !== output) throw new Error(`${spec.id}: two runs of the same program differ`);
  const runLoopSeconds = runs.map((r) => r.seconds);
  const runLoopCpuSeconds = runs.map((r) => r.cpuSeconds);
  const t = median(runLoopSeconds);
  const cli = times(mode.reps.cli, () => checked(runCli(elf), output, `${spec.id}: node dist/cli.js run`));
  // The region compiler: same program, same instruction count and output required.
  runInProcess(small, true);
  const jitRuns = times(mode.reps.inProcess, () => runInProcess(elf, true));
  for (const r of jitRuns) if (r.instructions !== instructions || r.output !== output) throw new Error(`${spec.id}: the run with --jit differs from the interpreter's`);
  const tj = median(jitRuns.map((r) => r.seconds));
  const jitCli = times(mode.reps.cli, () => checked(runCli(elf, true), output, `${spec.id}: node dist/cli.js run --jit`));
  const result: LoopResult = {
    id: spec.id, title: spec.title, symbol: spec.symbol, length: n, qemuLongLength: nLong, instructions,
    qemuLongInstructions: extrapolateWork(nSmall, s.instructions, n, instructions, nLong),
    roundTrips: spec.roundTrips ? exceptions : undefined, output,
    ours: {
      runLoopSeconds, mips: instructions / t / 1e6, roundTripsPerSecond: spec.roundTrips ? exceptions / t : undefined,
      processSeconds: cli.map((r) => r.seconds),
      runLoopCpuSeconds, cpuMips: instructions / median(runLoopCpuSeconds) / 1e6, processCpuSeconds: allDefined(cli.map((r) => r.cpuSeconds)),
    },
    jit: {
      runLoopSeconds: jitRuns.map((r) => r.seconds), mips: instructions / tj / 1e6,
      roundTripsPerSecond: spec.roundTrips ? exceptions / tj : undefined, processSeconds: jitCli.map((r) => r.seconds),
    },
    ratios: {},
  };

  if (withQemu) {
    // QEMU retires the same architectural instructions as the simulator for the same ELF (the
    // programs are deterministic), so the simulator's counts stand for QEMU's; the printed
    // checksum confirms both ran the same loop.
    const long = builder.build(spec.program, spec.symbol, nLong);
    const shortRuns: ProcessRun[] = [], longRuns: ProcessRun[] = [];
    for (let i = 0; i < mode.reps.qemu; i++) { // interleaved, so a change of load hits both lengths
      shortRuns.push(runQemu(elf));
      longRuns.push(runQemu(long));
    }
    const outputMatches = shortRuns.every((r) => r.stdout === output);
    const shortSeconds = shortRuns.map((r) => r.seconds), longSeconds = longRuns.map((r) => r.seconds);
    const shortCpuSeconds = allDefined(shortRuns.map((r) => r.cpuSeconds)), longCpuSeconds = allDefined(longRuns.map((r) => r.cpuSeconds));
    const cpuRate = shortCpuSeconds && longCpuSeconds
      ? loopOnlyRate({ work: instructions, seconds: shortCpuSeconds }, { work: result.qemuLongInstructions, seconds: longCpuSeconds }).rate : undefined;
    const rate = loopOnlyRate({ work: instructions, seconds: shortSeconds }, { work: result.qemuLongInstructions, seconds: longSeconds });
    const trips = spec.roundTrips ? extrapolateWork(nSmall, s.exceptions, n, exceptions, nLong) : undefined;
    const tripRate = trips !== undefined ? loopOnlyRate({ work: exceptions, seconds: shortSeconds }, { work: trips, seconds: longSeconds }).rate : undefined;
    result.qemu = {
      shortSeconds, longSeconds, loopMips: rate.rate !== undefined ? rate.rate / 1e6 : undefined, loopRoundTripsPerSecond: tripRate,
      shortCpuSeconds, longCpuSeconds, loopCpuMips: cpuRate !== undefined ? cpuRate / 1e6 : undefined, outputMatches,
    };
    result.ratios.loopToLoop = ratio(result.ours.mips, result.qemu.loopMips);
    result.ratios.processToProcess = ratio(median(shortSeconds), median(result.ours.processSeconds));
    result.ratios.loopToLoopCpu = ratio(result.ours.cpuMips, result.qemu.loopCpuMips);
    result.ratios.loopToLoopJit = ratio(result.jit.mips, result.qemu.loopMips);
    result.ratios.processToProcessJit = ratio(median(shortSeconds), median(result.jit.processSeconds));
    const ourCpu = result.ours.processCpuSeconds;
    result.ratios.processToProcessCpu = shortCpuSeconds && ourCpu ? ratio(median(shortCpuSeconds), median(ourCpu)) : undefined;
  }
  return result;
}

function allDefined(xs: (number | undefined)[]): number[] | undefined {
  return xs.every((x) => x !== undefined) ? (xs as number[]) : undefined;
}

function checked<T extends { stdout: string }>(r: T, expected: string, what: string): T {
  if (r.stdout !== expected) throw new Error(`${what} printed ${JSON.stringify(r.stdout.slice(0, 200))}, the in-process run ${JSON.stringify(expected.slice(0, 200))}`);
  return r;
}

function runStartup(mode: Mode, builder: ProgramBuilder, withQemu: boolean): StartupResult {
  const elf = builder.build('startup');
  const n = mode.reps.startup;
  runNodeEmpty(); // the first spawn of node pays for the page cache
  runCli(elf);
  // Interleaved, so that a change of the machine's load weighs on each command alike.
  const node: ProcessRun[] = [], cli: ProcessRun[] = [], qemu: ProcessRun[] | undefined = withQemu ? [] : undefined;
  for (let i = 0; i < n; i++) {
    node.push(runNodeEmpty());
    cli.push(runCli(elf));
    qemu?.push(runQemu(elf));
  }
  const cpu = (rs: ProcessRun[] | undefined): number | undefined => {
    const xs = rs && allDefined(rs.map((r) => r.cpuSeconds));
    return xs && xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const nodeEmptySeconds = median(node.map((r) => r.seconds)), cliSeconds = median(cli.map((r) => r.seconds));
  const nodeEmptyCpuSeconds = cpu(node), cliCpuSeconds = cpu(cli);
  return {
    nodeEmptySeconds, cliSeconds,
    qemuSeconds: qemu && median(qemu.map((r) => r.seconds)),
    nodeEmptyCpuSeconds, cliCpuSeconds, qemuCpuSeconds: cpu(qemu),
    cliToNode: cliSeconds / nodeEmptySeconds,
    cliToNodeCpu: nodeEmptyCpuSeconds && cliCpuSeconds !== undefined ? cliCpuSeconds / nodeEmptyCpuSeconds : undefined,
    reps: n,
  };
}

// ---------------------------------------------------------------- printing

function fmt(n: number | undefined, digits = 1): string {
  return n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
function fmtRatio(n: number | undefined): string {
  return n === undefined ? 'n/a' : n >= 10 ? fmt(n, 1) : n >= 0.1 ? fmt(n, 2) : fmt(n, 3);
}
function count(n: number): string { return n.toLocaleString('en-US'); }

function printLoop(r: LoopResult, mode: Mode): void {
  const q = r.qemu;
  console.log(`\n${r.id}: ${r.title}; ${r.symbol} = ${count(r.length)} (${count(r.instructions)} instructions${r.roundTrips ? `, ${count(r.roundTrips)} round trips` : ''}); armvirt interpreted (--no-jit), then with the region compiler (the default)`);
  const trips = (v: number | undefined): string => (r.roundTrips && v !== undefined ? ` = ${fmt(v / 1e6, 2)} M round trips/s` : '');
  console.log(`  loop to loop:       armvirt ${fmt(r.ours.mips)} MIPS${trips(r.ours.roundTripsPerSecond)} (instructions / seconds in Machine.run, in process, median of ${mode.reps.inProcess})`);
  if (q) {
    console.log(`                      QEMU    ${fmt(q.loopMips)} MIPS${trips(q.loopRoundTripsPerSecond)} (loop only: Δinstructions / Δmedian wall time of ${r.symbol} = ${count(r.length)} and ${count(r.qemuLongLength)}, ${mode.reps.qemu} runs each: ${fmt(median(q.shortSeconds), 3)} s and ${fmt(median(q.longSeconds), 3)} s)`);
    console.log(`                      ratio   ${fmtRatio(r.ratios.loopToLoop)} (armvirt MIPS / QEMU MIPS)`);
    console.log(`                      by CPU time instead of wall time: armvirt ${fmt(r.ours.cpuMips)} MIPS, QEMU ${fmt(q.loopCpuMips)} MIPS, ratio ${fmtRatio(r.ratios.loopToLoopCpu)}`);
  }
  console.log(`  process to process: armvirt ${fmt(median(r.ours.processSeconds), 3)} s (node dist/cli.js run ${r.id}.elf, wall clock, median of ${mode.reps.cli})`);
  if (q) {
    console.log(`                      QEMU    ${fmt(median(q.shortSeconds), 3)} s (qemu-system-aarch64 … -kernel ${r.id}.elf, median of ${mode.reps.qemu})${q.outputMatches ? '' : ' — QEMU printed something else than the simulator!'}`);
    console.log(`                      ratio   ${fmtRatio(r.ratios.processToProcess)} (QEMU seconds / armvirt seconds: above 1, armvirt is faster)`);
    const cpu = (xs: number[] | undefined): string => (xs ? `${fmt(median(xs), 2)} s` : 'n/a');
    console.log(`                      by CPU time instead of wall time: armvirt ${cpu(r.ours.processCpuSeconds)}, QEMU ${cpu(q.shortCpuSeconds)}, ratio ${fmtRatio(r.ratios.processToProcessCpu)}`);
  }
  console.log(`  compiler on (default): armvirt ${fmt(r.jit.mips)} MIPS${trips(r.jit.roundTripsPerSecond)} loop to loop, ratio ${fmtRatio(r.ratios.loopToLoopJit)}; `
    + `process ${fmt(median(r.jit.processSeconds), 3)} s, ratio ${fmtRatio(r.ratios.processToProcessJit)} (src/sim/jit; armvirt run without --no-jit)`);
}

function printReport(rep: Report, mode: Mode): void {
  for (const r of rep.loops) printLoop(r, mode);
  if (rep.mmuSlowdown) {
    const s = rep.mmuSlowdown;
    console.log(`\ntranslation cost (mmu-loop-flat MIPS / mmu-loop MIPS, the same loop with the MMU off and on): armvirt ${fmtRatio(s.ours)} (by CPU time ${fmtRatio(s.oursCpu)}), QEMU loop only ${fmtRatio(s.qemu)} (by CPU time ${fmtRatio(s.qemuCpu)})`);
  }
  if (rep.startup) {
    const s = rep.startup;
    console.log(`\nstart-up (startup.elf exits at once; wall clock, median of ${s.reps}): node -e 0 ${fmt(s.nodeEmptySeconds, 3)} s; node dist/cli.js run ${fmt(s.cliSeconds, 3)} s (${fmt(s.cliSeconds - s.nodeEmptySeconds, 3)} s more than an empty node); QEMU ${fmt(s.qemuSeconds, 3)} s`);
    console.log(`  by CPU time (mean of ${s.reps}): node -e 0 ${fmt(s.nodeEmptyCpuSeconds, 3)} s; node dist/cli.js run ${fmt(s.cliCpuSeconds, 3)} s; QEMU ${fmt(s.qemuCpuSeconds, 3)} s`);
    console.log(`  ratio node dist/cli.js run / node -e 0: ${fmtRatio(s.cliToNode)} by wall time, ${fmtRatio(s.cliToNodeCpu)} by CPU time`);
  }
  if (rep.asm) {
    console.log(`\nassembler: ${count(rep.asm.lines)} generated lines in ${fmt(rep.asm.ms, 0)} ms (in process, after one warm-up; ${rep.asm.errors} errors${rep.asm.firstError ? `, first: ${rep.asm.firstError}` : ''})`);
  }
  if (rep.dap) {
    const d = rep.dap;
    console.log(`\ndebug adapter (dist/debugAdapter.js over DAP, request → stopped event):`);
    console.log(`  next (instruction), median of ${d.steps}: ${fmt(d.nextMs)} ms; stepBack (instruction), median of ${d.steps}: ${fmt(d.stepBackMs)} ms`);
    console.log(`  first stepBack after the continue (from a periodic snapshot): ${fmt(d.firstStepBackMs)} ms; stepBack (line): ${fmt(d.stepBackLineMs)} ms`);
    console.log(`  continue to a breakpoint ${count(d.instructions)} instructions away: ${fmt(d.continueMs, 0)} ms vs ${fmt(d.headlessMs, 0)} ms headless in process (ratio ${fmtRatio(d.continueMs / d.headlessMs)})`);
    console.log(`  reverseContinue to the start of history (${count(d.instructions)} instructions back): ${fmt(d.reverseContinueMs, 0)} ms`);
  }
  console.log(`\nload at the end: ${rep.loadAtEnd ? formatLoad(rep.loadAtEnd) : 'n/a'}; bench took ${fmt(rep.seconds, 0)} s`);
}

// ---------------------------------------------------------------- main

async function main(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { mode, json, save, only, assembler } = opts;
  const t0 = process.hrtime.bigint();
  const withQemu = haveTool(QEMU);
  const rep: Report = { mode: mode.quick ? 'quick' : 'full', host: hostInfo(), loadAtStart: hostLoad(), assembler,
    qemuCommand: withQemu ? `${QEMU} ${QEMU_ARGS.join(' ')} -kernel PROG.elf` : undefined,
    ratioMeaning: {
      loopToLoop: 'armvirt MIPS inside Machine.run (in process) / QEMU loop-only MIPS (difference of two loop lengths, whole-process wall times)',
      processToProcess: 'QEMU wall seconds / armvirt wall seconds (node dist/cli.js run), same ELF; above 1 armvirt finishes first',
      cpu: 'the *Cpu ratios: the same with CPU seconds (user + system, all threads) instead of wall seconds',
    },
    loops: [] };
  if (!json) {
    console.log(`host: ${rep.host.cpuModel} × ${rep.host.cpus}, node ${rep.host.node}, ${rep.host.platform}; at the start: ${formatLoad(rep.loadAtStart)}`);
    console.log(`${rep.mode} mode; programs built by ${assembler === 'gnu' ? 'GNU as + ld' : 'the built-in assembler'}; ${withQemu ? `QEMU: ${rep.qemuCommand}` : 'QEMU not installed: no comparisons'}`);
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-bench-'));
  try {
    const builder = new ProgramBuilder(out, assembler);
    for (const spec of LOOPS) {
      if (!only.has(spec.id)) continue;
      const r = runLoop(spec, mode, builder, withQemu);
      rep.loops.push(r);
      if (!json) printLoop(r, mode);
    }
    const mmu = rep.loops.find((r) => r.id === 'mmu-loop'), flat = rep.loops.find((r) => r.id === 'mmu-loop-flat');
    if (mmu && flat) {
      if (mmu.output !== flat.output) throw new Error(`mmu-loop and mmu-loop-flat print different checksums: ${mmu.output.trim()} vs ${flat.output.trim()}`);
      rep.mmuSlowdown = {
        ours: flat.ours.mips / mmu.ours.mips, oursCpu: flat.ours.cpuMips / mmu.ours.cpuMips,
        qemu: ratio(flat.qemu?.loopMips, mmu.qemu?.loopMips), qemuCpu: ratio(flat.qemu?.loopCpuMips, mmu.qemu?.loopCpuMips),
      };
    }
    if (only.has('startup')) rep.startup = runStartup(mode, builder, withQemu);
    if (only.has('asm')) rep.asm = runAssemblerBench(mode.asmLines);
    if (only.has('dap')) rep.dap = await dapBench(mode.dap);
    if (only.has('linux') && !mode.quick) {
      rep.linux = await linuxBootBench(withQemu ? QEMU : undefined);
      if (!json) {
        if (rep.linux) printLinuxBoot(rep.linux);
        else console.log('\nlinux boot: no Debian kernel cached (bash scripts/fetch-kernel.sh, as root): skipped');
      }
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  rep.loadAtEnd = hostLoad();
  rep.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (save) fs.writeFileSync(save, JSON.stringify(rep, null, 2) + '\n');
  if (json) console.log(JSON.stringify(rep, null, 2));
  else printReport({ ...rep, loops: [] }, mode);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  process.exitCode = 1;
});
