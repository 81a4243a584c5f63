// `armvirt`: the headless command line.
//   armvirt run PROGRAM [options]      run an ELF or assembly program; exit with its exit code
//   armvirt asm FILE.S -o FILE.elf     assemble to an ELF64 executable
//   armvirt experiments [options]      the paper's microbenchmarks under the example hypervisors
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { Machine, type MachineOptions } from '../sim/machine';
import { ProgramError, formatDiagnostic } from '../asm/program';
import { checkBootOptions, loadGuest } from './kernel-boot';
import { BootError } from '../sim/boot/errors';
import { SYSREGS } from '../sim/sysregs';
import { hex64 } from '../sim/u64';
import type { PE } from '../sim/pe';

const USAGE = `usage:
  armvirt run PROGRAM [--max-insns N] [--regs-json FILE] [--trace] [--cores N]
                      [--gic v2|v3] [--memory MiB] [--entry-el 1|2] [--cpu NAME]
  armvirt run --kernel Image [--initrd FILE] [--append ARGS] [--dtb FILE]
                      [--dump-dtb FILE] [the run options above]
  armvirt asm FILE.S -o FILE.elf [--link-address ADDR]
  armvirt experiments [--hyp xen-style|kvm-split|kvm-vhe|all] [--profile NAME]
                      [--json] [--iterations N] [--bench NAME,...]

PROGRAM is an ELF64 AArch64 executable or an assembly source (.S, .s, .asm).
--kernel boots an arm64 Linux Image (or kvm-unit-tests .flat, gzip, ELF, raw binary) as
QEMU's -kernel does, with a generated device tree in X0; --dump-dtb FILE writes that tree
and exits.
Guest output (PL011 UART and semihosting) goes to stdout; the exit code is the guest's
semihosting exit code, 124 when --max-insns is reached, 2 for usage or load errors.`;

class UsageError extends Error {}

/** Buffered synchronous writer for guest output (stdout may be a pipe). */
class Out {
  private chunks: Buffer[] = [];
  private size = 0;
  write(b: Uint8Array): void {
    this.chunks.push(Buffer.from(b));
    this.size += b.length;
    if (this.size >= 1 << 14) this.flush();
  }
  flush(): void {
    if (this.size === 0) return;
    const buf = Buffer.concat(this.chunks);
    this.chunks = [];
    this.size = 0;
    let off = 0;
    while (off < buf.length) {
      try {
        off += fs.writeSync(1, buf, off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw e;
      }
    }
  }
}

function intOption(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got '${v}')`);
  return n;
}

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

function cmdRun(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
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
    },
  });
  checkBootOptions(values, positionals);
  const gic = values.gic;
  if (gic !== undefined && gic !== 'v2' && gic !== 'v3') throw new UsageError(`--gic must be v2 or v3 (got '${gic}')`);
  const opts: MachineOptions = {
    cores: intOption(values.cores, 'cores', 1, 8),
    gic: gic as 'v2' | 'v3' | undefined,
    memoryMiB: intOption(values.memory, 'memory', 1, 3072),
    entryEL: intOption(values['entry-el'], 'entry-el', 1, 2) as 1 | 2 | undefined,
    cpu: values.cpu,
  };
  const maxInsns = intOption(values['max-insns'], 'max-insns', 1, Number.MAX_SAFE_INTEGER) ?? Infinity;
  const out = new Out();
  const m = new Machine({ ...opts, output: (b) => out.write(b) });
  if (loadGuest(m, values, positionals, (s) => process.stderr.write(s)) === 'dumped') return 0;

  let result;
  if (values.trace) {
    const err = new Out();
    let executed = 0;
    result = { reason: 'limit' as string, exitCode: 0 as number | undefined };
    // One instruction at a time, round-robin over the PEs that are running.
    outer: for (;;) {
      let any = false;
      for (const pe of m.pes) {
        if (pe.power !== 0 || (pe.waiting && !pe.interruptPending())) continue;
        any = true;
        out.flush();
        err.write(Buffer.from(traceLine(pe)));
        err.flush();
        m.stepInstruction(pe);
        executed++;
        if (m.halted) { result = { reason: m.halted, exitCode: m.exitCode }; break outer; }
        if (executed >= maxInsns) break outer;
      }
      if (!any) { result = { reason: m.pes.every((p) => p.power !== 0) ? 'off' : 'deadlock', exitCode: 0 }; break; }
    }
  } else {
    result = m.run(maxInsns);
  }
  out.flush();
  if (values['regs-json']) fs.writeFileSync(values['regs-json'], JSON.stringify(registerDump(m.pes[0]), null, 2) + '\n');
  switch (result.reason) {
    case 'exit': return result.exitCode ?? 0;
    case 'off': return 0;
    case 'reset': return 0;
    case 'limit':
      process.stderr.write(`armvirt: stopped after ${maxInsns} instructions (--max-insns); ${m.pes[0].describe()}\n`);
      return 124;
    case 'deadlock':
      process.stderr.write(`armvirt: every running PE is waiting (WFI) with nothing that can wake it; ${m.pes.map((p) => p.describe()).join(', ')}\n`);
      return 125;
    default:
      return 1;
  }
}

function cmdAsm(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { output: { type: 'string', short: 'o' }, 'link-address': { type: 'string' } },
  });
  if (positionals.length !== 1 || !values.output) throw new UsageError('asm needs FILE and -o OUTPUT');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { assembleFile } = require('../asm/assembler') as typeof import('../asm/assembler');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { writeElf } = require('../asm/elf-writer') as { writeElf(r: unknown): Uint8Array };
  let link: bigint | undefined;
  if (values['link-address'] !== undefined) {
    try { link = BigInt(values['link-address'].replace(/_/g, '')); } catch { throw new UsageError(`--link-address is not a number: '${values['link-address']}'`); }
  }
  const r = assembleFile(positionals[0], { linkAddress: link });
  for (const w of r.warnings) process.stderr.write(formatDiagnostic(w) + '\n');
  for (const e of r.errors) process.stderr.write(formatDiagnostic(e) + '\n');
  if (r.errors.length > 0) return 1;
  fs.writeFileSync(values.output, writeElf(r));
  return 0;
}

export function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run': return cmdRun(rest);
      case 'asm': return cmdAsm(rest);
      case 'experiments': {
        const { values } = parseArgs({
          args: rest, allowPositionals: false,
          options: { hyp: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' }, iterations: { type: 'string' }, bench: { type: 'string' } },
        });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { cmdExperiments } = require('./experiments') as typeof import('./experiments');
        return cmdExperiments(values);
      }
      case undefined: case '-h': case '--help': case 'help':
        process.stdout.write(USAGE + '\n');
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`armvirt: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof ProgramError || e instanceof RangeError || e instanceof BootError) {
      process.stderr.write(`armvirt: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
