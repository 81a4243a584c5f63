// `armvirt experiments --linux`: the paper's seven microbenchmarks on Linux's own KVM. Debian's
// kernel boots in the simulator (`armvirt run --kernel`, one child process per KVM mode, side by
// side) with an initramfs whose /vmm (examples/linux/vmm.c) runs the benchmark guests
// (examples/linux/vmm-guests.S) under KVM; the guests time themselves with the counter, which
// ticks once per modelled cycle of the cost profile, and print through the VMM.
//
// Nothing here computes a benchmark's cycles: this module starts the boots and reads the VMM's
// console lines ("armvirt-vmm: <benchmark>: <n> cycles (<k> iterations)" and, from KVM's own exit
// counter, "armvirt-vmm: <benchmark>: exits <e> in <l> loops").
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INIT_BINARY, VMM_BINARY, makeInitramfs } from '../../scripts/make-initramfs';
import { BENCHMARKS, PAPER_TABLE3, type Benchmark } from './paper';
import { byFunction, parseExitProfiles, type ExitProfile } from '../debug/exit-profile';

/**
 * Which hypercall each boot profiles by function (`run --exit-profile`): the 8th HVC of the run,
 * which is the hypercall guest's 8th loop (its two warm-up loops and five timed ones before it).
 */
export const EXIT_PROFILE_HVC = 8;

/** The two KVM modes: the CPU model decides (FEAT_VHE: Linux runs at EL2 with E2H), and the profile. */
export const LINUX_KVM_MODES = {
  'linux-kvm-nvhe': { cpu: 'cortex-a57', profile: 'xgene-gicv2', label: 'nVHE' },
  'linux-kvm-vhe': { cpu: 'max', profile: 'armv8.1-vhe', label: 'VHE' },
} as const;
export type LinuxKvmMode = keyof typeof LINUX_KVM_MODES;
export const LINUX_KVM_MODE_NAMES = Object.keys(LINUX_KVM_MODES) as LinuxKvmMode[];

/** A fixed RTC time (2024-01-01 UTC), one input less that varies between boots (`run --rtc-epoch`). */
export const RTC_EPOCH = 1704067200;

/** One benchmark's result as the VMM printed it. */
export interface VmmResult {
  cycles: number;
  iterations: number;
  /** Guest exits KVM counted during the timed loop (debugfs "exits"), or null when not reported. */
  exits: number | null;
  /** Loops the exits were counted over (iterations plus warm-up). */
  loops: number | null;
}

/** The VMM's results by benchmark, read from a console (lines of other programs are ignored). */
export function parseVmmConsole(text: string): Map<Benchmark, VmmResult> {
  const out = new Map<Benchmark, VmmResult>();
  const exits = new Map<string, { exits: number; loops: number }>();
  for (const m of text.matchAll(/^armvirt-vmm: ([a-z-]+): exits (\d+) in (\d+) loops\r?$/gm)) {
    exits.set(m[1], { exits: Number(m[2]), loops: Number(m[3]) });
  }
  for (const m of text.matchAll(/^armvirt-vmm: ([a-z-]+): (\d+) cycles \((\d+) iterations\)\r?$/gm)) {
    if (!(BENCHMARKS as readonly string[]).includes(m[1])) continue;
    const e = exits.get(m[1]);
    out.set(m[1] as Benchmark, { cycles: Number(m[2]), iterations: Number(m[3]), exits: e?.exits ?? null, loops: e?.loops ?? null });
  }
  return out;
}

/** The kernel command line that makes the kernel run /vmm with the given benchmarks (all when empty). */
export function vmmAppend(benches: readonly Benchmark[] = []): string {
  return `console=ttyAMA0 nokaslr rdinit=/vmm${benches.length > 0 ? ` -- ${benches.join(' ')}` : ''}`;
}

/** The initramfs holding /init and /vmm (the checked-in binaries). */
export function vmmInitramfs(): Buffer {
  return makeInitramfs(fs.readFileSync(INIT_BINARY), { vmm: fs.readFileSync(VMM_BINARY) });
}

/** Where a checkout or the package keeps dist/cli.js (this module is bundled into dist/). */
export function cliPath(): string {
  for (const f of [path.join(__dirname, 'cli.js'), path.join(__dirname, '..', '..', 'dist', 'cli.js')]) if (fs.existsSync(f)) return f;
  throw new Error('dist/cli.js not found: run npm run build first');
}

/** The default kernel: scripts/fetch-kernel.sh's cache ($ARMVIRT_KERNEL_CACHE, $XDG_CACHE_HOME or ~/.cache /armvirt-kernel/Image). */
export function defaultKernel(): string {
  const dir = process.env.ARMVIRT_KERNEL_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'armvirt-kernel');
  return path.join(dir, 'Image');
}

export interface LinuxBoot {
  mode: LinuxKvmMode;
  console: string;
  status: number | null;
  timedOut: boolean;
  ms: number;
  results: Map<Benchmark, VmmResult>;
  /** One hypercall charged to kernel functions (when the hypercall guest ran). */
  exitProfile?: ExitProfile;
}

export interface LinuxBootOptions {
  kernel: string;
  /** An initramfs file with /vmm (default: one written to a temporary folder). */
  initrd?: string;
  benches?: readonly Benchmark[];
  /** Overrides the mode's cost profile. */
  profile?: string;
  timeoutMs?: number;
}

/** Boots the kernel under one KVM mode with the VMM as init and collects its results. */
export function bootLinuxKvm(mode: LinuxKvmMode, o: LinuxBootOptions): Promise<LinuxBoot> {
  if (!fs.existsSync(o.kernel)) throw new RangeError(`--kernel: ${o.kernel} does not exist (bash scripts/fetch-kernel.sh fetches Debian's arm64 kernel)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-vmm-'));
  const initrd = o.initrd ?? path.join(tmp, 'initramfs.cpio.gz');
  if (o.initrd === undefined) fs.writeFileSync(initrd, vmmInitramfs());
  const m = LINUX_KVM_MODES[mode];
  const argv = [cliPath(), 'run', '--kernel', o.kernel, '--initrd', initrd, '--append', vmmAppend(o.benches),
    '--cores', '2', '--gic', 'v3', '--cpu', m.cpu, '--profile', o.profile ?? m.profile, '--rtc-epoch', String(RTC_EPOCH),
    ...(o.benches === undefined || o.benches.length === 0 || o.benches.includes('hypercall') ? ['--exit-profile', String(EXIT_PROFILE_HVC)] : [])];
  // The console goes to a file, not a pipe: a caller may keep its event loop busy (the example
  // hypervisors' experiments run synchronously meanwhile) and a full pipe would stop the boot.
  const log = path.join(tmp, 'console.txt');
  const fd = fs.openSync(log, 'w');
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, argv, { stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    let timedOut = false;
    const timer = o.timeoutMs === undefined ? undefined : setTimeout(() => { timedOut = true; p.kill('SIGKILL'); }, o.timeoutMs);
    const done = (): string => {
      if (timer) clearTimeout(timer);
      const text = fs.existsSync(log) ? fs.readFileSync(log, 'latin1') : '';
      fs.rmSync(tmp, { recursive: true, force: true });
      return text;
    };
    p.on('error', (e) => { done(); reject(e); });
    p.on('close', (status) => {
      const text = done();
      resolve({ mode, console: text, status, timedOut, ms: Date.now() - t0, results: parseVmmConsole(text), exitProfile: parseExitProfiles(text)[0] });
    });
  });
}

/** One row of the Linux table: a benchmark under each mode beside the paper's KVM figure. */
export interface LinuxKvmRow { benchmark: Benchmark; mode: LinuxKvmMode; cycles: number | null; exits: number | null; loops: number | null; paper: number }

export function linuxRows(boots: readonly LinuxBoot[], benches: readonly Benchmark[] = BENCHMARKS): LinuxKvmRow[] {
  const rows: LinuxKvmRow[] = [];
  for (const b of benches) {
    for (const boot of boots) {
      const r = boot.results.get(b);
      rows.push({ benchmark: b, mode: boot.mode, cycles: r?.cycles ?? null, exits: r?.exits ?? null, loops: r?.loops ?? null, paper: PAPER_TABLE3[b].kvm });
    }
  }
  return rows;
}

/**
 * One hypercall's cycles by function, per mode: the functions that spend the most (kallsyms
 * names; the guest's own instructions as "guest (VMID n)"), the rest summed, and the total beside
 * what the guest measured for that same iteration.
 */
export function formatExitBreakdown(boots: readonly LinuxBoot[], top = 14): string[] {
  const out: string[] = [];
  for (const b of boots) {
    const p = b.exitProfile;
    if (!p) continue;
    const fns = byFunction(p);
    out.push('', `One hypercall on ${b.mode} (CPU${p.pe}, ${p.cause}) by function: ${p.cycles.toLocaleString('en-US')} cycles` +
      `${p.guestMeasured === null ? '' : `, the guest measured ${p.guestMeasured.toLocaleString('en-US')}`}; ${p.segments.length} segments`);
    const w = Math.max(...fns.slice(0, top).map((f) => f.fn.length), 10);
    for (const f of fns.slice(0, top)) out.push(`  ${f.fn.padEnd(w)}  ${f.regime.padEnd(6)}  ${Math.round(f.cycles).toLocaleString('en-US').padStart(6)}  ${f.instructions.toString().padStart(5)} insns`);
    const rest = fns.slice(top);
    if (rest.length) out.push(`  ${`(${rest.length} other functions)`.padEnd(w)}  ${''.padEnd(6)}  ${Math.round(rest.reduce((a, f) => a + f.cycles, 0)).toLocaleString('en-US').padStart(6)}  ${rest.reduce((a, f) => a + f.instructions, 0).toString().padStart(5)} insns`);
  }
  return out;
}
