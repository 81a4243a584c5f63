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
    const a = spawnSync('aarch64-linux-gnu-as', ['-I', INCLUDE, '-I', PROGRAMS, '-o', obj, src], { encoding: 'utf8' });
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
  // Each program runs twice and the second (JIT-warm) run is measured, so the ratio compares
  // steady states rather than which program happened to pay for the warm-up.
  const flatElf = build('mmu-loop-flat'), mmuElf = build('mmu-loop');
  runSim(flatElf); runSim(mmuElf);
  const flat = runSim(flatElf);
  const mmu = runSim(mmuElf);
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

// ---------------------------------------------------------------- debug adapter round trips
// Median DAP round trip (request sent → stopped event) of `next` (instruction) and `stepBack`
// (instruction) through DebugClient against dist/debugAdapter.js, and the time of a `continue`
// to a breakpoint 10^8 instructions away beside the same program run headless.
const DAP_LOOP = `        .text
        .global _start
_start:
        ldr     x1, =25000000
        mov     x2, #0
        mov     x3, #1
loop:   add     x2, x2, x3
        eor     x3, x3, x2, lsl #1
        subs    x1, x1, #1
        b.ne    loop
done:   mov     x0, #0
1:      add     x0, x0, #1
        b       1b
`;

async function dapBench(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DebugClient } = require('@vscode/debugadapter-testsupport') as typeof import('@vscode/debugadapter-testsupport');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-dap-bench-'));
  const file = path.join(dir, 'dap-intloop.s');
  fs.writeFileSync(file, DAP_LOOP);
  const prog = loadProgram(file);
  const m = new Machine({ output: () => undefined });
  m.load(prog.segments, prog.entry);
  // Up to the `done` label: 3 + 25,000,000 * 4 instructions.
  const h0 = process.hrtime.bigint();
  m.run(100_000_003);
  const headless = Number(process.hrtime.bigint() - h0) / 1e9;

  const dc = new DebugClient('node', path.join(ROOT, 'dist', 'debugAdapter.js'), 'armvirt');
  dc.defaultTimeout = 600_000;
  await dc.start();
  const now = (): number => Number(process.hrtime.bigint()) / 1e6;
  const roundTrip = async (req: () => Promise<unknown>): Promise<number> => {
    const t = now();
    const ev = dc.waitForEvent('stopped', 600_000);
    await req();
    await ev;
    return now() - t;
  };
  const median = (a: number[]): number => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
  try {
    const first = dc.waitForEvent('stopped', 600_000);
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'done' }] })).then(() => dc.configurationDoneRequest()),
      dc.launch({ program: file, stopOnEntry: true }),
    ]);
    await first;
    const cont = await roundTrip(() => dc.continueRequest({ threadId: 1 }));
    // The first step back after a long run re-executes from the last periodic snapshot (up to 10^6 instructions back).
    const firstBack = await roundTrip(() => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
    const next: number[] = [];
    for (let i = 0; i < 40; i++) next.push(await roundTrip(() => dc.nextRequest({ threadId: 1, granularity: 'instruction' })));
    const back: number[] = [];
    for (let i = 0; i < 40; i++) back.push(await roundTrip(() => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' })));
    const backLine: number[] = [];
    for (let i = 0; i < 10; i++) backLine.push(await roundTrip(() => dc.stepBackRequest({ threadId: 1 })));
    const rev = await roundTrip(() => dc.reverseContinueRequest({ threadId: 1 }));
    const fmtMs = (v: number): string => `${fmt(v, 1)} ms`;
    const rows = [['debug adapter (dist/debugAdapter.js)', 'time'],
      ['next (instruction), median of 40', fmtMs(median(next))],
      ['stepBack (instruction), median of 40, at 10^8 instructions', fmtMs(median(back))],
      ['first stepBack after the continue (from a periodic snapshot)', fmtMs(firstBack)],
      ['stepBack (line), median of 10', fmtMs(median(backLine))],
      ['reverseContinue to the start of history (10^8 instructions back)', fmtMs(rev)],
      ['continue to a breakpoint 10^8 instructions away', `${fmtMs(cont)} (headless run: ${fmtMs(headless * 1000)}, ratio ${fmt(cont / (headless * 1000), 2)})`]];
    const w = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    console.log('');
    for (const row of rows) console.log(row.map((c, i) => c.padEnd(w[i])).join('  '));
  } finally {
    await dc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
void dapBench();
