// Differential test corpus: build programs with GNU binutils, run them under QEMU (the oracle) and
// under our simulator's CLI. Used by diff.test.ts (and any later suite, e.g. one that assembles the
// same programs with our own assembler: pass a different `Assembler` to buildProgram).
//
// Command line (for people working on the corpus):
//   npx tsx test/diff/build.ts                 build every program and bench program
//   npx tsx test/diff/build.ts --run [filter]  also run each under QEMU and print output + exit code
//   npx tsx test/diff/build.ts --sim [filter]  also run each under `node dist/cli.js run`
//   npx tsx test/diff/build.ts --bench [--run]  only bench/programs (into test/diff/build/bench)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const DIFF_DIR = __dirname;
export const REPO_ROOT = path.resolve(DIFF_DIR, '..', '..');
export const PROGRAMS_DIR = path.join(DIFF_DIR, 'programs');
export const BENCH_PROGRAMS_DIR = path.join(REPO_ROOT, 'bench', 'programs');
export const INCLUDE_DIR = path.join(DIFF_DIR, 'include');
export const LINK_SCRIPT = path.join(DIFF_DIR, 'link.ld');
export const BUILD_DIR = path.join(DIFF_DIR, 'build');
/** The simulator's CLI; ARMVIRT_CLI overrides it (e.g. to try the suite against another build). */
/** Where bench/programs/*.s are built (by `npx tsx test/diff/build.ts --bench`). */
export const BENCH_BUILD_DIR = path.join(BUILD_DIR, 'bench');
export const SIM_CLI = process.env.ARMVIRT_CLI ? path.resolve(process.env.ARMVIRT_CLI) : path.join(REPO_ROOT, 'dist', 'cli.js');

export const AS = process.env.AARCH64_AS ?? 'aarch64-linux-gnu-as';
export const LD = process.env.AARCH64_LD ?? 'aarch64-linux-gnu-ld';
export const QEMU = process.env.QEMU_SYSTEM_AARCH64 ?? 'qemu-system-aarch64';

/** Wall-clock limit for one run (QEMU or simulator). Every program finishes in < 2 s under QEMU. */
export const RUN_TIMEOUT_MS = 10_000;

/** Options a program declares on its first line: `// diff: gic=2 cpu=max cores=2 drive=16`. */
export interface ProgramOptions {
  gic: 2 | 3;
  cpu: string;
  cores: number;
  /**
   * A virtio-blk disk of this many 512-byte sectors (byte i = (0x81 + 0x25 i + 7 (i >> 9)) mod 256:
   * every sector differs), a fresh copy for each run: QEMU gets it as `-device virtio-blk-device` with
   * the modern (Version 2) transport layout, the simulator as `--drive`. 0: none.
   */
  drive?: number;
}

export interface Program {
  /** File name without extension, e.g. `030-hvc`. */
  name: string;
  /** Absolute path of the source. */
  source: string;
  options: ProgramOptions;
}

export const DEFAULT_OPTIONS: ProgramOptions = { gic: 3, cpu: 'cortex-a57', cores: 1 };

/** Parses the `// diff:` header of a program source (first line only). */
export function parseOptions(text: string, where = 'program'): ProgramOptions {
  const opts: ProgramOptions = { ...DEFAULT_OPTIONS };
  const first = text.split('\n', 1)[0];
  const m = /^\s*(?:\/\/|@|#|\/\*)\s*diff:(.*)$/.exec(first);
  if (!m) return opts;
  for (const tok of m[1].replace(/\*\/\s*$/, '').trim().split(/\s+/).filter(Boolean)) {
    const [k, v] = tok.split('=');
    if (k === 'gic' && (v === '2' || v === '3')) opts.gic = Number(v) as 2 | 3;
    else if (k === 'cpu' && v) opts.cpu = v;
    else if (k === 'cores' && /^[1-8]$/.test(v ?? '')) opts.cores = Number(v);
    else if (k === 'drive' && /^[1-9][0-9]{0,4}$/.test(v ?? '')) opts.drive = Number(v);
    else throw new Error(`${where}: bad diff option '${tok}' (know gic=2|3 cpu=NAME cores=1..8 drive=SECTORS)`);
  }
  return opts;
}

function listDir(dir: string, filter?: string): Program[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(s|S)$/.test(f))
    .sort()
    .map((f) => {
      const source = path.join(dir, f);
      const name = f.replace(/\.(s|S)$/, '');
      return { name, source, options: parseOptions(readFileSync(source, 'utf8'), f) };
    })
    .filter((p) => !filter || p.name.includes(filter));
}

/** The corpus, sorted by name; `filter` keeps names containing it (DIFF_ONLY). */
export function listPrograms(filter: string | undefined = process.env.DIFF_ONLY || undefined): Program[] {
  return listDir(PROGRAMS_DIR, filter);
}

/** bench/programs/*.s, built the same way. */
export function listBenchPrograms(filter?: string): Program[] {
  return listDir(BENCH_PROGRAMS_DIR, filter);
}

/** Is a command on PATH (and runnable)? */
export function haveTool(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** Names of the missing external tools (empty when the oracle side can run). */
export function missingTools(): string[] {
  return [AS, LD, QEMU].filter((t) => !haveTool(t));
}

export interface ProcResult {
  stdout: Buffer;
  stderr: string;
  /** Exit status, or null when killed (then `signal`/`timedOut` say why). */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  ms: number;
}

/** Runs a command with stdin closed, collecting stdout as raw bytes. Never rejects. */
export function runProcess(cmd: string, args: string[], timeoutMs = RUN_TIMEOUT_MS, cwd?: string): Promise<ProcResult> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      err.push(Buffer.from(String(e)));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
        signal,
        timedOut,
        ms: Date.now() - t0,
      });
    });
  });
}

/**
 * Turns a program source into an object file. The default is GNU as. An assembler marked
 * `linked` writes the final executable itself (our assembler's ELF writer lays the image out at
 * the link address), so buildProgram passes it the ELF path and does not run ld.
 */
export type Assembler = ((source: string, object: string, includeDir: string) => Promise<void>) & { readonly linked?: boolean };

export const gnuAssembler: Assembler = async (source, object, includeDir) => {
  // GNU as looks for `.include` files in the current directory and the -I directories only, not
  // beside the including file (bench/programs/mmu-loop*.s include mmu-loop-work.inc).
  const r = await runProcess(AS, ['-I', includeDir, '-I', path.dirname(source), '-o', object, source], 60_000);
  if (r.code !== 0) throw new Error(`${AS} failed on ${path.basename(source)}:\n${r.stderr}`);
};

/**
 * Assembles and links one program into `<outDir>/<name>.elf` (outDir defaults to test/diff/build,
 * or build/<tag> when a tag is given so that two assemblers do not overwrite each other's files).
 */
export async function buildProgram(
  prog: Program,
  opts: { assembler?: Assembler; tag?: string; outDir?: string } = {},
): Promise<string> {
  const outDir = opts.outDir ?? (opts.tag ? path.join(BUILD_DIR, opts.tag) : BUILD_DIR);
  mkdirSync(outDir, { recursive: true });
  const obj = path.join(outDir, `${prog.name}.o`);
  const elf = path.join(outDir, `${prog.name}.elf`);
  const asm = opts.assembler ?? gnuAssembler;
  if (asm.linked) {
    await asm(prog.source, elf, INCLUDE_DIR);
    return elf;
  }
  await asm(prog.source, obj, INCLUDE_DIR);
  const r = await runProcess(LD, ['-T', LINK_SCRIPT, '-o', elf, obj], 60_000);
  if (r.code !== 0) throw new Error(`${LD} failed on ${prog.name}:\n${r.stderr}`);
  return elf;
}

/**
 * QEMU command line: TESTING.md's, except that `-semihosting` is spelled
 * `-semihosting-config enable=on,target=native,chardev=serial0`. With plain `-semihosting`,
 * QEMU 7.2 writes semihosting console output (SYS_WRITE0/SYS_WRITEC) to stderr, so it could not
 * be compared in order with the PL011 output; routed to serial0 both arrive on stdout in program
 * order, which is what `armvirt run` prints. QEMU adds no CR to the guest's LF (checked), so
 * stdout is compared as raw bytes.
 * QEMU's timers follow host time: programs that use a timer give it a deadline far enough
 * away (100 ms) that a loaded host cannot reach it before the guest waits for it.
 */
export function qemuArgs(elf: string, o: ProgramOptions = DEFAULT_OPTIONS): string[] {
  return [
    '-M', `virt,virtualization=on,gic-version=${o.gic}`,
    '-cpu', o.cpu,
    '-smp', String(o.cores),
    '-nographic',
    '-nic', 'none',
    '-semihosting-config', 'enable=on,target=native,chardev=serial0',
    ...(o.drive ? [
      // QEMU's virtio-mmio defaults to the legacy (Version 1) layout; the simulator models Version 2.
      '-global', 'virtio-mmio.force-legacy=false',
      '-drive', `file=${diskImage(elf, 'qemu')},if=none,format=raw,id=d0`, '-device', 'virtio-blk-device,drive=d0',
    ] : []),
    '-kernel', elf,
  ];
}

/** The disk image of a `drive=` program for one side of the comparison (next to the ELF). */
export function diskImage(elf: string, side: 'qemu' | 'sim'): string {
  return `${elf}.${side}.img`;
}

/** Writes a fresh disk image for `drive=N` (byte i = 0x81 + 0x25 i + 7 (i >> 9)). */
function makeDisk(file: string, sectors: number): void {
  const b = Buffer.alloc(sectors * 512);
  for (let i = 0; i < b.length; i++) b[i] = (0x81 + 0x25 * i + 7 * (i >> 9)) & 0xff;
  writeFileSync(file, b);
}

export function runQemu(elf: string, o: ProgramOptions = DEFAULT_OPTIONS, timeoutMs = RUN_TIMEOUT_MS): Promise<ProcResult> {
  if (o.drive) makeDisk(diskImage(elf, 'qemu'), o.drive);
  return runProcess(QEMU, qemuArgs(elf, o), timeoutMs);
}

export function simArgs(elf: string, o: ProgramOptions = DEFAULT_OPTIONS): string[] {
  return [SIM_CLI, 'run', elf, '--gic', `v${o.gic}`, '--cores', String(o.cores), '--cpu', o.cpu, ...(o.drive ? ['--drive', diskImage(elf, 'sim')] : [])];
}

export function runSim(elf: string, o: ProgramOptions = DEFAULT_OPTIONS, timeoutMs = RUN_TIMEOUT_MS): Promise<ProcResult> {
  if (o.drive) makeDisk(diskImage(elf, 'sim'), o.drive);
  return runProcess(process.execPath, simArgs(elf, o), timeoutMs);
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R>[] {
  const results: Promise<R>[] = [];
  let running = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    running--;
    queue.shift()?.();
  };
  items.forEach((item, i) => {
    results.push(
      new Promise<R>((resolve, reject) => {
        const start = () => {
          running++;
          fn(item, i).then(resolve, reject).finally(next);
        };
        if (running < limit) start();
        else queue.push(start);
      }),
    );
  });
  return results;
}

/** Describes the first difference between two outputs, or returns undefined when identical. */
export function firstDifference(expected: Buffer, actual: Buffer): string | undefined {
  if (expected.equals(actual)) return undefined;
  const e = expected.toString('latin1').split('\n');
  const a = actual.toString('latin1').split('\n');
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) {
      const show = (s: string | undefined) => (s === undefined ? '<end of output>' : JSON.stringify(s));
      return `first difference at line ${i + 1}:\n  qemu: ${show(e[i])}\n  sim:  ${show(a[i])}`;
    }
  }
  return 'outputs differ'; // unreachable: equal line arrays imply equal bytes
}

function describeExit(r: ProcResult): string {
  if (r.timedOut) return `timed out after ${r.ms} ms`;
  if (r.code === null) return `killed by ${r.signal}`;
  return `exit ${r.code}`;
}

// ------------------------------------------------------------------ command line
async function main(argv: string[]): Promise<void> {
  const run = argv.includes('--run');
  const sim = argv.includes('--sim');
  const filter = argv.find((a) => !a.startsWith('--'));
  const missing = missingTools();
  if (missing.length) {
    console.error(`missing tools: ${missing.join(', ')} (see docs/TESTING.md)`);
    process.exit(2);
  }
  const benchOnly = argv.includes('--bench');
  const progs = [
    ...(benchOnly ? [] : listPrograms(filter).map((p) => ({ p, outDir: BUILD_DIR }))),
    ...listBenchPrograms(filter).map((p) => ({ p, outDir: BENCH_BUILD_DIR })),
  ];
  let failed = 0;
  for (const { p, outDir } of progs) {
    let elf: string;
    try {
      elf = await buildProgram(p, { outDir });
    } catch (e) {
      failed++;
      console.log(`BUILD FAILED ${p.name}: ${(e as Error).message}`);
      continue;
    }
    if (!run && !sim) {
      console.log(`built ${path.relative(REPO_ROOT, elf)}`);
      continue;
    }
    const r = await (sim ? runSim(elf, p.options) : runQemu(elf, p.options));
    console.log(`===== ${p.name} (${describeExit(r)}, ${r.ms} ms)`);
    process.stdout.write(r.stdout);
    if (r.stderr) console.log(`----- stderr:\n${r.stderr}`);
  }
  if (failed) process.exit(1);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
