// `armvirt`: the headless command line.
//   armvirt run PROGRAM [options]      run an ELF or assembly program; exit with its exit code
//   armvirt asm FILE.S -o FILE.elf     assemble to an ELF64 executable
//   armvirt experiments [options]      the paper's microbenchmarks under the example hypervisors
//   armvirt --help | --version         (every command also takes --help)
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { Machine, type MachineOptions, type RunResult } from '../sim/machine';
import { loadProgram, ProgramError, formatDiagnostic, readFailure, readProgramFile } from '../asm/program';
import { checkBootOptions, loadGuest } from './kernel-boot';
import { openDrives } from '../sim/devices/file-backend';
import { BootError } from '../sim/boot/errors';
import { SYSREGS } from '../sim/sysregs';
import { hex64 } from '../sim/u64';
import type { PE } from '../sim/pe';
import { UsageError, intOption, joinNegativeValues, parseCommand, wantsHelp, type OptionSpec } from './args';
import { HELP, MAIN_HELP } from './help';
import { FdWriter } from './output';
import { StdinFeed } from './input';
import { catchSignals, peSummary, runSliced, runTraced, type StopFlag } from './runner';
import { findStuck, stuckHint } from '../sim/stuck';

/** Exit codes (README "Run a program"; `armvirt --help`). */
const EXIT_USAGE = 2;
const EXIT_LIMIT = 124;
const EXIT_BROKEN_PIPE = 128 + 13; // as a process killed by SIGPIPE
const EXIT_SIGNAL: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 128 + 2, SIGTERM: 128 + 15 };

type Disasm = (word: number, opts?: { pc?: bigint }) => string;
let disasm: Disasm | null | undefined;
function loadDisassembler(): Disasm | null {
  if (disasm !== undefined) return disasm;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('../asm/a64/index') as { disassemble?: Disasm };
    disasm = m.disassemble ?? null;
  } catch {
    disasm = null;
  }
  return disasm;
}

function traceLine(pe: PE): string {
  const word = pe.peekInsn();
  const d = loadDisassembler();
  let text = '';
  if (d) {
    try { text = d(word, { pc: BigInt(pe.pc) }); } catch { text = ''; }
  }
  return `CPU${pe.id} EL${pe.el} ${hex64(pe.pcLo, pe.pcHi)}: ${word.toString(16).padStart(8, '0')}${text ? `  ${text.replace(/\t/g, ' ')}` : ''}\n`;
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

/** Why a file could not be written (a missing directory is the usual ENOENT). */
function writeFailure(e: unknown): string {
  return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its directory does not exist' : readFailure(e);
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
  // The Linux boot protocol (src/cli/kernel-boot.ts).
  kernel: { type: 'string' },
  initrd: { type: 'string' },
  append: { type: 'string' },
  dtb: { type: 'string' },
  'dump-dtb': { type: 'string' },
  // virtio-mmio devices (src/sim/devices): disks FILE[,readonly][,serial=ID], and a console.
  drive: { type: 'string', multiple: true },
  'virtio-console': { type: 'boolean', default: false },
};

async function cmdRun(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, RUN_OPTIONS);
  if (positionals.length > 1) throw new UsageError(`run takes one PROGRAM (got ${positionals.length}: ${positionals.join(' ')})`);
  if (positionals.length === 0 && values.kernel === undefined && values['dump-dtb'] === undefined) throw new UsageError('run needs a PROGRAM (or --kernel FILE)');
  checkBootOptions(values, positionals);
  const gic = values.gic;
  if (gic !== undefined && gic !== 'v2' && gic !== 'v3') throw new UsageError(`--gic must be v2 or v3 (got '${gic}')`);
  const opts: MachineOptions = {
    cores: intOption(values.cores, 'cores', 1, 8),
    gic: gic as 'v2' | 'v3' | undefined,
    memoryMiB: intOption(values.memory, 'memory', 1, 3072),
    entryEL: intOption(values['entry-el'], 'entry-el', 1, 2) as 1 | 2 | undefined,
    cpu: values.cpu as string | undefined,
    virtioConsole: values['virtio-console'] === true,
  };
  const driveSpecs = (values.drive as unknown as string[] | undefined) ?? [];
  let disks: ReturnType<typeof openDrives>;
  try {
    disks = openDrives(driveSpecs);
  } catch (e) {
    throw new UsageError(`--${(e as Error).message}`, /unknown option|no FILE/.test((e as Error).message));
  }
  opts.drives = disks.drives;
  try {
    return await runMachine(values, positionals, opts);
  } finally {
    // Writes went to the files as they happened; make them durable and close the files.
    disks.close();
  }
}

async function runMachine(values: Record<string, string | boolean | undefined>, positionals: string[], opts: MachineOptions): Promise<number> {
  const regsJson = values['regs-json'] as string | undefined;
  const maxInsns = intOption(values['max-insns'], 'max-insns', 1, Number.MAX_SAFE_INTEGER) ?? Infinity;
  const out = new FdWriter(1);
  let m: Machine;
  if (values.kernel === undefined && values['dump-dtb'] === undefined) {
    const program = loadProgram(positionals[0]);
    // --entry-el wins over the program's ARMVIRT note (`.armvirt entry_el`), which wins over EL2.
    m = new Machine({ ...opts, entryEL: opts.entryEL ?? program.entryEL, output: (b) => out.write(b) });
    m.load(program.segments, program.entry);
  } else {
    // The Linux boot protocol: the host's clock for the PL031, as QEMU's -rtc base=utc.
    m = new Machine({ ...opts, rtcEpoch: Math.floor(Date.now() / 1000), output: (b) => out.write(b) });
    if (loadGuest(m, values, positionals, (w) => process.stderr.write(w)) === 'dumped') return 0;
  }

  const stop: StopFlag = { signal: null, brokenPipe: false };
  const input = new StdinFeed();
  const release = catchSignals(stop, () => input.wake());
  let result: RunResult;
  try {
    if (values.trace) {
      const trace = new FdWriter(2);
      result = await runTraced(m, maxInsns, stop, out, trace, traceLine);
      trace.flush();
    } else {
      result = await runSliced(m, maxInsns, stop, [out], input);
    }
  } finally {
    release();
    input.close();
  }
  out.flush();
  if (regsJson) {
    try {
      fs.writeFileSync(regsJson, JSON.stringify(registerDump(m.pes[0]), null, 2) + '\n');
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
      return 125;
    }
    default:
      return 1;
  }
}

const ASM_OPTIONS: OptionSpec = { output: { type: 'string', short: 'o' }, 'link-address': { type: 'string' } };

function cmdAsm(argv: string[]): number {
  const { values, positionals } = parseCommand(argv, ASM_OPTIONS);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'asm needs a FILE to assemble' : `asm takes one FILE (got ${positionals.length}: ${positionals.join(' ')})`);
  const output = values.output as string | undefined;
  if (!output) throw new UsageError('asm needs -o OUTPUT (the ELF to write)');
  const file = positionals[0];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { assembleFile, nodeReadFile } = require('../asm/assembler') as typeof import('../asm/assembler');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { writeElf } = require('../asm/elf-writer') as { writeElf(r: unknown): Uint8Array };
  let link: bigint | undefined;
  const la = values['link-address'] as string | undefined;
  if (la !== undefined) {
    try { link = BigInt(la.replace(/_/g, '')); } catch { throw new UsageError(`--link-address is not a number: '${la}'`); }
    if (link < 0n || link >= 1n << 64n) throw new UsageError(`--link-address must be from 0 to 0xffff_ffff_ffff_ffff (got '${la}')`);
  }
  // Read the file here: a missing or unreadable file is "cannot read FILE: reason", not a diagnostic at 1:1.
  const text = readProgramFile(file).toString('utf8');
  const r = assembleFile(file, { linkAddress: link, readFile: (p) => (p === file ? text : nodeReadFile(p)) });
  for (const w of r.warnings) process.stderr.write(formatDiagnostic(w) + '\n');
  for (const e of r.errors) process.stderr.write(formatDiagnostic(e) + '\n');
  if (r.errors.length > 0) {
    process.stderr.write(`armvirt: ${r.errors.length} error(s) assembling ${file}; nothing written\n`);
    return EXIT_USAGE;
  }
  try {
    fs.writeFileSync(output, writeElf(r));
  } catch (e) {
    throw new UsageError(`cannot write ${output}: ${writeFailure(e)}`, false);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    // Help first: `armvirt CMD --help` must work even where CMD's options would not parse,
    // and without loading the command's modules.
    if (cmd !== undefined && HELP[cmd] && wantsHelp(rest)) {
      process.stdout.write(HELP[cmd] + '\n');
      return 0;
    }
    switch (cmd) {
      case 'run': return await cmdRun(rest);
      case 'asm': return cmdAsm(rest);
      case 'experiments': {
        const spec: OptionSpec = { hyp: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' }, iterations: { type: 'string' }, bench: { type: 'string' }, html: { type: 'string' }, 'progress-json': { type: 'boolean' } };
        // Values that look like negative numbers (--iterations -5) reach the range check, not the parser's "ambiguous".
        const { values } = parseArgs({ args: joinNegativeValues(rest, spec), allowPositionals: false, options: spec });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { cmdExperiments } = require('./experiments') as typeof import('./experiments');
        return cmdExperiments(values);
      }
      case 'help':
        if (rest[0] !== undefined && HELP[rest[0]]) {
          process.stdout.write(HELP[rest[0]] + '\n');
          return 0;
        }
        if (rest[0] !== undefined) throw new UsageError(`no help for unknown command '${rest[0]}' (commands: run, asm, experiments)`);
        process.stdout.write(MAIN_HELP + '\n');
        return 0;
      case '-h': case '--help':
        process.stdout.write(MAIN_HELP + '\n');
        return 0;
      case '-V': case '--version':
        process.stdout.write(`armvirt ${version}\n`);
        return 0;
      case undefined:
        process.stderr.write(MAIN_HELP + '\n');
        return EXIT_USAGE;
      default:
        throw new UsageError(cmd.startsWith('-') ? `unknown option '${cmd}' (options come after the command)` : `unknown command '${cmd}' (commands: run, asm, experiments)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const usage = cmd !== undefined && HELP[cmd] ? `armvirt ${cmd} --help` : 'armvirt --help';
      process.stderr.write(`armvirt: ${e.message}\n${e.showUsage ? `(see ${usage})\n` : ''}`);
      return EXIT_USAGE;
    }
    const code = (e as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`armvirt: ${(e as Error).message.split('\n')[0]}\n(see armvirt ${cmd} --help)\n`);
      return EXIT_USAGE;
    }
    if (e instanceof ProgramError || e instanceof RangeError || e instanceof BootError) {
      process.stderr.write(`armvirt: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`armvirt: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
