// The three ways the bench runs a program: in this process (the machine's run loop alone), as a
// `node dist/cli.js run` process and as a QEMU process (both timed by the wall clock, start-up
// and exit included).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Machine } from '../src/sim/machine';
import { loadProgram } from '../src/asm/program';
import { ROOT } from './programs';

export const QEMU = process.env.QEMU_SYSTEM_AARCH64 ?? 'qemu-system-aarch64';
/** The machine of /work/shared/docs/TESTING.md and test/diff: the board our default Machine models. */
export const QEMU_ARGS = ['-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'cortex-a57', '-nographic', '-nic', 'none', '-semihosting'];
export const CLI = path.join(ROOT, 'dist', 'cli.js');
const PROCESS_TIMEOUT_MS = 300_000;

export interface InProcessRun {
  /** Seconds inside Machine.run only: loading the ELF and building the machine are not counted. */
  seconds: number;
  /** CPU seconds (user + system) of this process over the same span: less sensitive to other load. */
  cpuSeconds: number;
  instructions: number;
  exceptions: number;
  output: string;
  exitCode?: number;
}

/** `jit`: with the WebAssembly region compiler on (its default threshold), as `armvirt run` (the default); otherwise `--no-jit`. */
export function runInProcess(elf: string, jit = false): InProcessRun {
  const prog = loadProgram(elf);
  const chunks: Buffer[] = [];
  const m = new Machine({ output: (b) => chunks.push(Buffer.from(b)), jit });
  m.load(prog.segments, prog.entry);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = m.run(5e9);
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage(c0);
  const pe = m.pes[0];
  if (r.exitCode !== 0) throw new Error(`${elf} did not exit with code 0 in the simulator (${r.reason}, exit code ${r.exitCode})`);
  return { seconds: Number(t1 - t0) / 1e9, cpuSeconds: (c1.user + c1.system) / 1e6, instructions: pe.instret, exceptions: pe.exceptions, output: Buffer.concat(chunks).toString('latin1'), exitCode: r.exitCode };
}

export interface ProcessRun {
  /** Wall-clock seconds from spawn to exit. */
  seconds: number;
  /** CPU seconds (user + system, all threads) of the child; undefined where /proc is not available. */
  cpuSeconds?: number;
  stdout: string;
}

/**
 * CPU seconds of this process's waited-for children so far: cutime + cstime of /proc/self/stat
 * (fields 16 and 17, in USER_HZ ticks, which Linux fixes at 100 for /proc; proc(5)). spawnSync waits
 * for its child, so the difference across one spawnSync is that child's CPU time (10 ms resolution).
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const s = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return undefined;
  }
}

/** Spawns `cmd args`, waits for it, and fails unless it exits with status 0. */
export function timeProcess(cmd: string, args: string[]): ProcessRun {
  const c0 = childrenCpuSeconds();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: PROCESS_TIMEOUT_MS, maxBuffer: 1 << 24 });
  const t1 = process.hrtime.bigint();
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}: ${String(r.stderr).trim()}`);
  const c1 = childrenCpuSeconds();
  return { seconds: Number(t1 - t0) / 1e9, cpuSeconds: c0 !== undefined && c1 !== undefined ? c1 - c0 : undefined, stdout: r.stdout.toString('latin1') };
}

export function runCli(elf: string, jit = false): ProcessRun {
  return timeProcess(process.execPath, [CLI, 'run', elf, jit ? '--jit' : '--no-jit']);
}

export function runQemu(elf: string): ProcessRun {
  return timeProcess(QEMU, [...QEMU_ARGS, '-kernel', elf]);
}

/** `node -e 0`: what any Node program costs before it does anything. */
export function runNodeEmpty(): ProcessRun {
  return timeProcess(process.execPath, ['-e', '0']);
}
