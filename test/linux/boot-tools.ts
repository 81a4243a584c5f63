// What the Linux boot tests need from outside: Debian's kernel (scripts/fetch-kernel.sh, cached
// outside the repository; .ci/run fetches it before the first test) and QEMU, the oracle, booting
// it on `-M virt,virtualization=on` exactly as README "Boot a Linux kernel" shows.
import { spawn, spawnSync } from 'node:child_process';
import * as assert from 'node:assert';
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

/** What every boot with the initramfs must print, in this order (`part`: MIDR_EL1.PartNum as
 * /proc/cpuinfo shows it, when the CPU model is known; `gic`: the board's GIC version). */
export function assertInitRan(b: BootResult, mode: 'nVHE' | 'VHE', part?: string, gic: 2 | 3 = 3): void {
  const where = `${b.argv.join(' ')}\n${b.console.slice(-3000)}`;
  assert.ok(!b.timedOut, `timed out after ${b.ms} ms: ${where}`);
  assert.strictEqual(b.status, 0, where);
  const lines = initLines(b.console);
  const expected = [
    'hello from user space',
    'mount proc on /proc: ok',
    'mount sysfs on /sys: ok',
    'mount devtmpfs on /dev: ok',
    ...(part ? [`cpuinfo CPU part: ${part}`] : []),
    'cpus 2',
    '/dev/kvm: char 10:232',
    'KVM_GET_API_VERSION 12',
    'KVM_CHECK_EXTENSION KVM_CAP_USER_MEMORY 1',
    'KVM_CHECK_EXTENSION KVM_CAP_ARM_PSCI_0_2 1',
    'vm: exit MMIO write 0x4b4f at 0x9000000 (4 bytes)',
    'vm: exit SYSTEM_EVENT type 1 (shutdown: the guest called PSCI SYSTEM_OFF)',
    // The second guest, with KVM's in-kernel vGIC of the host's kind: its virtual timer's PPI 27
    // (0x1b) comes through a list register and the guest reports the INTID it acknowledged.
    gic === 3 ? 'vm-vtimer: vgic-v3 at 0x8000000, redistributors at 0x80a0000' : 'vm-vtimer: vgic-v2 at 0x8000000, cpu interface at 0x8010000',
    'vm-vtimer: exit MMIO write 0x1b at 0x9000000 (4 bytes)',
    'vm-vtimer: exit SYSTEM_EVENT type 1 (shutdown: the guest called PSCI SYSTEM_OFF)',
    'klog: CPU: All CPU(s) started at EL2',
    `klog: kvm [1]: ${mode === 'VHE' ? 'VHE' : 'Hyp'} mode initialized successfully`,
    `kvm mode: ${mode}`,
    'powering off',
  ];
  let at = 0;
  for (const e of expected) {
    const i = lines.indexOf(e, at);
    assert.ok(i >= 0, `"armvirt-init: ${e}" missing (or out of order) in:\n${lines.join('\n')}`);
    at = i + 1;
  }
  assert.match(b.console, /reboot: Power down/);
}
