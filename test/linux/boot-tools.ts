// What the Linux boot tests need from outside: Debian's kernel (scripts/fetch-kernel.sh, cached
// outside the repository; .ci/run fetches it before the first test) and QEMU, the oracle, booting
// it on `-M virt,virtualization=on` exactly as README "Boot a Linux kernel" shows.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { QEMU, requireTool } from '../unit/sim/boot/tools';

export { QEMU, requireTool };
export const REPO = path.resolve(__dirname, '../..');
const FETCH_KERNEL = path.join(REPO, 'scripts/fetch-kernel.sh');

/** The cached Image, or: with CI=true a failure, else the test is skipped with a message. */
export function requireKernel(ctx: Mocha.Context): string {
  const r = spawnSync('bash', [FETCH_KERNEL, '--check'], { encoding: 'utf8' });
  const image = r.stdout.trim();
  if (r.status === 0 && image) return image;
  const msg = 'no Debian kernel in the cache (run: bash scripts/fetch-kernel.sh, as root)';
  if (process.env.CI === 'true') throw new Error(`${msg}; CI=true: not skipping`);
  console.log(`    (skipped: ${msg})`);
  ctx.skip();
}

export interface BootOptions {
  kernel: string;
  initrd?: string;
  append: string;
  /** -cpu: cortex-a57 (nVHE KVM) or max (VHE) */
  cpu: string;
  cores: number;
  memoryMiB?: number;
  gic?: 2 | 3;
  timeoutMs?: number;
}

export interface BootResult {
  console: string;
  /** QEMU's exit status; null when killed at the timeout */
  status: number | null;
  timedOut: boolean;
  ms: number;
  argv: string[];
}

/** The QEMU command line of a boot (-no-reboot: a reboot, e.g. after `panic=-1`, ends QEMU). */
export function qemuArgs(o: BootOptions): string[] {
  return [
    '-M', `virt,virtualization=on,gic-version=${o.gic ?? 3}`, '-cpu', o.cpu, '-smp', String(o.cores),
    '-m', String(o.memoryMiB ?? 1024), '-nographic', '-nic', 'none', '-no-reboot',
    '-kernel', o.kernel, ...(o.initrd ? ['-initrd', o.initrd] : []), '-append', o.append,
  ];
}

/** Boots under QEMU and collects the serial console (stdout with -nographic). Asynchronous so
 * that several boots can run side by side. */
export function bootQemu(o: BootOptions): Promise<BootResult> {
  const argv = qemuArgs(o);
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(QEMU, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let timedOut = false;
    p.stdout.on('data', (b: Buffer) => { out += b.toString('latin1'); });
    p.stderr.on('data', (b: Buffer) => { out += b.toString('latin1'); });
    const timer = setTimeout(() => { timedOut = true; p.kill('SIGKILL'); }, o.timeoutMs ?? 120_000);
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ console: out, status, timedOut, ms: Date.now() - t0, argv });
    });
  });
}

/** The lines init printed (examples/linux/init.c prefixes every one with "armvirt-init: "). */
export function initLines(consoleText: string): string[] {
  return consoleText.split('\n').map((l) => l.replace(/\r/g, '')).filter((l) => l.startsWith('armvirt-init: ')).map((l) => l.slice('armvirt-init: '.length));
}
