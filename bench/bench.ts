// `npm run bench`: simulator speed, measured in one run beside QEMU TCG on the same ELF.
//
//   intloop   MIPS of a ~10^8-instruction integer loop (MMU off)
//   hvc-loop  hypercall round trips per second (HVC at EL1 → EL2 handler → ERET)
//   asm-100k  time to assemble a generated 100,000-line source with the built-in assembler
//
// Programs are built once with the GNU toolchain when it is installed (the same ELF then runs
// under QEMU for the ratio), otherwise with the built-in assembler.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Machine } from '../src/sim/machine';
import { loadProgram } from '../src/asm/program';
import { assemble } from '../src/asm/assembler';

const ROOT = path.resolve(__dirname, '..');
const PROGRAMS = path.join(ROOT, 'bench', 'programs');
const INCLUDE = path.join(ROOT, 'test', 'diff', 'include');
const LINK = path.join(ROOT, 'test', 'diff', 'link.ld');
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-bench-'));

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function build(name: string): string {
  const src = path.join(PROGRAMS, `${name}.s`);
  const elf = path.join(OUT, `${name}.elf`);
  if (have('aarch64-linux-gnu-as') && have('aarch64-linux-gnu-ld')) {
    const obj = path.join(OUT, `${name}.o`);
    const a = spawnSync('aarch64-linux-gnu-as', ['-I', INCLUDE, '-o', obj, src], { encoding: 'utf8' });
    if (a.status !== 0) throw new Error(`as failed for ${name}: ${a.stderr}`);
    const l = spawnSync('aarch64-linux-gnu-ld', ['-T', LINK, '-o', elf, obj], { encoding: 'utf8' });
    if (l.status !== 0) throw new Error(`ld failed for ${name}: ${l.stderr}`);
    return elf;
  }
  return src; // the built-in assembler loads it directly
}

interface SimRun { seconds: number; instructions: number; exceptions: number; output: string; exitCode?: number }

function runSim(file: string): SimRun {
  const prog = loadProgram(file);
  const chunks: Buffer[] = [];
  const m = new Machine({ output: (b) => chunks.push(Buffer.from(b)) });
  m.load(prog.segments, prog.entry);
  const t0 = process.hrtime.bigint();
  const r = m.run(5e9);
  const t1 = process.hrtime.bigint();
  const pe = m.pes[0];
  return { seconds: Number(t1 - t0) / 1e9, instructions: pe.instret, exceptions: pe.exceptions, output: Buffer.concat(chunks).toString('latin1'), exitCode: r.exitCode };
}

function runQemu(elf: string): { seconds: number } | undefined {
  if (!have('qemu-system-aarch64') || !elf.endsWith('.elf')) return undefined;
  const t0 = process.hrtime.bigint();
  const r = spawnSync('qemu-system-aarch64', ['-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'cortex-a57', '-nographic', '-nic', 'none',
    '-semihosting', '-kernel', elf], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
  const t1 = process.hrtime.bigint();
  if (r.status === null) return undefined;
  return { seconds: Number(t1 - t0) / 1e9 };
}

function fmt(n: number, digits = 1): string { return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }); }

function main(): void {
  const rows: string[][] = [['benchmark', 'armvirt', 'QEMU TCG', 'ratio (armvirt/QEMU)']];
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} x${os.cpus().length}, node ${process.version}`);

  // Integer loop
  const intElf = build('intloop');
  const s1 = runSim(intElf);
  const q1 = runQemu(intElf);
  const mips = s1.instructions / s1.seconds / 1e6;
  const qmips = q1 ? s1.instructions / q1.seconds / 1e6 : undefined;
  rows.push(['intloop MIPS', `${fmt(mips)} (${fmt(s1.instructions / 1e6, 0)}M insns in ${fmt(s1.seconds, 2)} s)`,
    qmips ? `${fmt(qmips)} (${fmt(q1!.seconds, 2)} s incl. start-up)` : 'n/a', qmips ? fmt(mips / qmips, 2) : 'n/a']);

  // Hypercall round trips
  const hvcElf = build('hvc-loop');
  const s2 = runSim(hvcElf);
  const q2 = runQemu(hvcElf);
  const trips = s2.exceptions;
  const tps = trips / s2.seconds;
  const qtps = q2 ? trips / q2.seconds : undefined;
  rows.push(['hypercalls/s', `${fmt(tps, 0)} (${trips} traps in ${fmt(s2.seconds, 2)} s)`, qtps ? `${fmt(qtps, 0)} (${fmt(q2!.seconds, 2)} s)` : 'n/a',
    qtps ? fmt(tps / qtps, 2) : 'n/a']);

  // Translation-heavy loop: Stage 1 + Stage 2 on, 4 KiB pages over 64 MiB, beside the same loop with the MMU off.
  const flat = runSim(build('mmu-loop-flat'));
  const mmu = runSim(build('mmu-loop'));
  if (flat.output !== mmu.output) throw new Error('mmu-loop checksums differ between MMU on and off');
  const fm = flat.instructions / flat.seconds / 1e6, mm = mmu.instructions / mmu.seconds / 1e6;
  rows.push(['mmu-loop MIPS (S1+S2, 4K pages, 64 MiB)', `${fmt(mm)} (MMU off: ${fmt(fm)})`, '', `slowdown ${fmt(fm / mm, 2)}x`]);

  // Assembler throughput
  const lines: string[] = ['.text', '.global _start', '_start:'];
  const body = ['add x1, x2, #12', 'ldr x3, [x4, #16]', 'orr w5, w6, #0xff', 'b.ne 1f', '1: stp x29, x30, [sp, #-16]!', 'mrs x0, hcr_el2',
    'msr vbar_el2, x0', 'ldp x29, x30, [sp], #16', 'madd x7, x8, x9, x10', 'cbz x0, _start'];
  while (lines.length < 100000) lines.push(body[lines.length % body.length]);
  const src = lines.join('\n') + '\n';
  const t0 = process.hrtime.bigint();
  const r = assemble(src, { fileName: 'bench-100k.s' });
  const t1 = process.hrtime.bigint();
  const asmSec = Number(t1 - t0) / 1e9;
  rows.push(['assemble 100,000 lines', `${fmt(asmSec, 3)} s (${r.errors.length} errors)`, '', '']);

  const w = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(w[i])).join('  '));
  fs.rmSync(OUT, { recursive: true, force: true });
}

main();
