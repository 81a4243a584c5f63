// `armvirt run PROGRAM`: runs an ELF or an assembly program on a Machine until it exits, and maps
// how it ended to the process's exit code. Loaded by cli.ts only for `run`; the assembler is
// loaded only for an assembly source and the disassembler only for --trace (dynamic imports, which
// the esbuild bundle turns into chunks read on demand: scripts/build.mjs).
import { writeFileSync } from 'node:fs';
import { Machine, type MachineOptions, type RunResult } from '../sim/machine';
import { isAssemblySource, readProgram, writeFailure, type ProgramImage } from '../asm/program-image';
import { loadElfProgram } from '../asm/elf-program';
import { SYSREGS } from '../sim/sysregs';
import { hex64 } from '../sim/u64';
import type { PE } from '../sim/pe';
import { UsageError, intOption, parseCommand, type OptionSpec } from './args';
import { FdWriter } from './output';
import { StdinFeed } from './input';
import { openDrives } from '../sim/devices/file-backend';
import { catchSignals, nowMs, peSummary, runSliced, runTraced, type StopFlag } from './runner';
import { findStuck, stuckHint } from '../sim/stuck';
import { loadProfile } from '../sim/cost/profile';

/** Exit codes (README "Run a program"; `armvirt --help`). */
const EXIT_LIMIT = 124;
const EXIT_DEADLOCK = 125;
const EXIT_BROKEN_PIPE = 128 + 13; // as a process killed by SIGPIPE
const EXIT_SIGNAL: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 128 + 2, SIGTERM: 128 + 15 };

/** An ELF is parsed here; an assembly source is handed to the assembler, loaded only then. */
async function loadProgram(file: string): Promise<ProgramImage> {
  const bytes = readProgram(file);
  if (!isAssemblySource(file)) return loadElfProgram(file, bytes);
  const { loadAssemblyProgram } = await import('../asm/asm-program');
  return loadAssemblyProgram(file, bytes);
}

type Disasm = (word: number, opts?: { pc?: bigint }) => string;

/** The disassembler for --trace; without it (it failed to load) the trace shows the words alone. */
async function loadDisassembler(): Promise<Disasm | null> {
  try {
    return (await import('../asm/a64/index')).disassemble ?? null;
  } catch {
    return null;
  }
}

function traceLine(d: Disasm | null): (pe: PE) => string {
  return (pe) => {
    const word = pe.peekInsn();
    let text = '';
    if (d) {
      try { text = d(word, { pc: BigInt(pe.pc) }); } catch { text = ''; }
    }
    return `CPU${pe.id} EL${pe.el} ${hex64(pe.pcLo, pe.pcHi)}: ${word.toString(16).padStart(8, '0')}${text ? `  ${text.replace(/\t/g, ' ')}` : ''}\n`;
  };
}

/** Final register state for --regs-json: X0–X30, SP, PC, NZCV, CurrentEL and EL1/EL2 system registers. */
export function registerDump(pe: PE): Record<string, unknown> {
  const h = (lo: number, hi: number): string => `0x${hex64(lo, hi)}`;
  const out: Record<string, unknown> = {};
  for (let i = 0; i <= 30; i++) out[`x${i}`] = h(pe.x[2 * i], pe.x[2 * i + 1]);
  out.sp = h(pe.x[64], pe.x[65]);
  out.pc = h(pe.pcLo, pe.pcHi);
  out.nzcv = `0x${(((pe.nf << 31) | (pe.zf << 30) | (pe.cf << 29) | (pe.vf << 28)) >>> 0).toString(16).padStart(8, '0')}`;
  out.currentEL = pe.el;
  out.spsel = pe.spsel;
  out.daif = `0x${(pe.daif << 6).toString(16)}`;
  const sys: Record<string, string> = {};
  SYSREGS.forEach((d, i) => {
    if (['EL1', 'EL2', 'Virtualization', 'Timer', 'EL0'].includes(d.group) && !d.read && !d.writeOnly) {
      sys[d.name] = h(pe.sys[2 * i], pe.sys[2 * i + 1]);
    }
  });
  for (const [n, i] of [['SP_EL0', 0], ['SP_EL1', 1], ['SP_EL2', 2]] as const) {
    pe.readBankedSp(i);
    sys[n] = h(pe.srLo, pe.srHi);
  }
  out.sysregs = sys;
  out.instructions = pe.instret;
  return out;
}

/**
 * `--stats`: instructions, wall time of the run (not of start-up) and MIPS, and what the region
 * compiler did (share of instructions in compiled code, regions, invalidations, compile time).
 */
function statsLine(m: Machine, ms: number): string {
  const mips = ms > 0 ? (m.retired / ms / 1000).toFixed(1) : '-';
  const jit = m.jit !== null ? m.jit.summary(m.retired) : 'jit: off (--no-jit)';
  return `armvirt: stats: ${m.retired} instructions in ${(ms / 1000).toFixed(3)} s (${mips} MIPS); ${jit}\n`;
}

const RUN_OPTIONS: OptionSpec = {
  'max-insns': { type: 'string' },
  'regs-json': { type: 'string' },
  trace: { type: 'boolean', default: false },
  cores: { type: 'string' },
  gic: { type: 'string' },
  memory: { type: 'string' },
  'entry-el': { type: 'string' },
  cpu: { type: 'string' },
  profile: { type: 'string' },
  // The Linux boot protocol (src/cli/kernel-boot.ts).
  kernel: { type: 'string' },
  initrd: { type: 'string' },
  append: { type: 'string' },
  dtb: { type: 'string' },
  'dump-dtb': { type: 'string' },
  'rtc-epoch': { type: 'string' },
  // One guest hypercall under the kernel's KVM charged to kernel functions (src/cli/exit-profile.ts).
  'exit-profile': { type: 'string' },
  // virtio-mmio devices (src/sim/devices): disks FILE[,readonly][,serial=ID], and a console.
  drive: { type: 'string', multiple: true },
  'virtio-console': { type: 'boolean', default: false },
  // The WebAssembly region compiler (src/sim/jit): on unless --no-jit; --jit states the default.
  jit: { type: 'boolean', default: false },
  'no-jit': { type: 'boolean', default: false },
  stats: { type: 'boolean', default: false },
};

/** --profile NAME|FILE: a bundled cost profile or a .json file, checked before anything runs. */
function checkProfileOption(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  try {
    loadProfile(v);
  } catch (e) {
    throw new UsageError(`--profile: ${(e as Error).message}`);
  }
  return v;
}

export async function cmdRun(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, RUN_OPTIONS);
  if (positionals.length > 1) throw new UsageError(`run takes one PROGRAM (got ${positionals.length}: ${positionals.join(' ')})`);
  if (positionals.length === 0 && values.kernel === undefined && values['dump-dtb'] === undefined) throw new UsageError('run needs a PROGRAM (or --kernel FILE)');
  // The Linux boot protocol's module (and the boot code of src/sim/boot) is loaded only with its options.
  const boot = ['kernel', 'initrd', 'append', 'dtb', 'dump-dtb'].some((o) => values[o] !== undefined) ? await import('./kernel-boot') : undefined;
  boot?.checkBootOptions(values, positionals);
  const gic = values.gic;
  if (gic !== undefined && gic !== 'v2' && gic !== 'v3') throw new UsageError(`--gic must be v2 or v3 (got '${gic}')`);
  const opts: MachineOptions = {
    cores: intOption(values.cores, 'cores', 1, 8),
    gic: gic as 'v2' | 'v3' | undefined,
    memoryMiB: intOption(values.memory, 'memory', 1, 3072),
    entryEL: intOption(values['entry-el'], 'entry-el', 1, 2) as 1 | 2 | undefined,
    cpu: values.cpu as string | undefined,
    // A cost profile makes the counter tick once per modelled cycle (cyclesPerTick 1, the default),
    // so a guest that times itself with CNTVCT/CNTPCT reads cycles of that profile.
    cost: checkProfileOption(values.profile as string | undefined),
    virtioConsole: values['virtio-console'] === true,
    jit: values['no-jit'] !== true,
  };
  if (values.jit === true && values['no-jit'] === true) throw new UsageError('--jit and --no-jit contradict each other');
  const driveSpecs = (values.drive as unknown as string[] | undefined) ?? [];
  let disks: ReturnType<typeof openDrives>;
  try {
    disks = openDrives(driveSpecs);
  } catch (e) {
    throw new UsageError(`--${(e as Error).message}`, /unknown option|no FILE/.test((e as Error).message));
  }
  opts.drives = disks.drives;
  try {
    return await runMachine(values, positionals, opts, boot);
  } finally {
    // Writes went to the files as they happened; make them durable and close the files.
    disks.close();
  }
}

async function runMachine(values: Record<string, string | boolean | undefined>, positionals: string[], opts: MachineOptions, boot: typeof import('./kernel-boot') | undefined): Promise<number> {
  const regsJson = values['regs-json'] as string | undefined;
  const maxInsns = intOption(values['max-insns'], 'max-insns', 1, Number.MAX_SAFE_INTEGER) ?? Infinity;
  const out = new FdWriter(1);
  let m: Machine;
  const exitProfileN = intOption(values['exit-profile'], 'exit-profile', 2, Number.MAX_SAFE_INTEGER);
  if (exitProfileN !== undefined && values.kernel === undefined) throw new UsageError('--exit-profile needs --kernel (it names the kernel\'s KVM functions from its kallsyms)');
  let exitProfile: import('./exit-profile').ExitProfileTrigger | undefined;
  if (values.kernel === undefined && values['dump-dtb'] === undefined) {
    const program = await loadProgram(positionals[0]);
    // --entry-el wins over the program's ARMVIRT note (`.armvirt entry_el`), which wins over EL2.
    m = new Machine({ ...opts, entryEL: opts.entryEL ?? program.entryEL, rtcEpoch: intOption(values['rtc-epoch'], 'rtc-epoch', 0, 0xffffffff), output: (b) => out.write(b) });
    m.load(program.segments, program.entry);
  } else {
    // The Linux boot protocol: the host's clock for the PL031, as QEMU's -rtc base=utc, unless
    // --rtc-epoch fixes it (Linux mixes the RTC's time into its random pool). With a fixed epoch
    // nothing else from the host reaches the guest: a 2-PE boot of Debian's kernel retires the
    // same instruction count and prints a byte-identical console, timestamps included, every run.
    const epoch = intOption(values['rtc-epoch'], 'rtc-epoch', 0, 0xffffffff) ?? Math.floor(Date.now() / 1000);
    m = new Machine({ ...opts, rtcEpoch: epoch, output: (b) => out.write(b) });
    const plan = boot!.loadGuest(m, values, (w) => process.stderr.write(w));
    if (plan === 'dumped') return 0;
    if (exitProfileN !== undefined) {
      const { armExitProfile } = await import('./exit-profile');
      const t = armExitProfile(m, plan, exitProfileN);
      if (typeof t === 'string') throw new UsageError(`--exit-profile: no kernel symbols: ${t}`, false);
      exitProfile = t;
    }
  }

  const stop: StopFlag = { signal: null, brokenPipe: false };
  const started = nowMs(); // not performance.now(): loading node:perf_hooks costs ~1 ms at every start
  const input = new StdinFeed();
  const release = catchSignals(stop, () => input.wake());
  let result: RunResult;
  try {
    if (values.trace) {
      const trace = new FdWriter(2);
      const line = traceLine(await loadDisassembler());
      result = await runTraced(m, maxInsns, stop, out, trace, line);
      trace.flush();
    } else {
      for (;;) {
        result = await runSliced(m, maxInsns - m.retired, stop, [out], input);
        if (result.reason !== 'paused' || !exitProfile?.due) break;
        // Paused for --exit-profile: one stderr line after the console output so far, then on.
        const { EXIT_PROFILE_PREFIX } = await import('./exit-profile');
        let line: string;
        try {
          line = EXIT_PROFILE_PREFIX + JSON.stringify(exitProfile.take());
        } catch (e) {
          line = `armvirt: --exit-profile: ${(e as Error).message}`;
        }
        out.flush();
        process.stderr.write(`\n${line}\n`);
      }
    }
  } finally {
    release();
    input.close();
  }
  out.flush();
  if (values.stats) process.stderr.write(statsLine(m, nowMs() - started));
  if (regsJson) {
    try {
      writeFileSync(regsJson, JSON.stringify(registerDump(m.pes[0]), null, 2) + '\n');
    } catch (e) {
      throw new UsageError(`cannot write ${regsJson}: ${writeFailure(e)}`, false);
    }
  }
  if (stop.brokenPipe || out.closed) return EXIT_BROKEN_PIPE;
  if (stop.signal) {
    process.stderr.write(`armvirt: interrupted after ${m.retired} instructions; ${peSummary(m.pes)}\n`);
    return EXIT_SIGNAL[stop.signal] ?? 128;
  }
  switch (result.reason) {
    case 'exit': return result.exitCode ?? 0;
    case 'off': return 0;
    case 'reset': return 0;
    case 'limit':
      process.stderr.write(`armvirt: stopped after ${maxInsns} instructions (--max-insns); ${m.pes[0].describe()}\n`);
      return EXIT_LIMIT;
    case 'deadlock':
    case 'stuck': {
      // The machine can make no progress (src/sim/stuck.ts): say where and why, and what to try.
      const s = m.stuck ?? findStuck(m);
      const lines = s ? [s.message, s.origin, stuckHint(s, 'cli')] : [`every running PE is waiting (WFI) with nothing that can wake it; ${m.pes.map((p) => p.describe()).join(', ')}`];
      for (const l of lines) if (l) process.stderr.write(`armvirt: ${l}\n`);
      return EXIT_DEADLOCK;
    }
    default:
      return 1;
  }
}
