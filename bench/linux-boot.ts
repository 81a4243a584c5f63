// `npm run bench` — Linux boot beside QEMU, in the same run: Debian's kernel (scripts/fetch-kernel.sh)
// with the project's initramfs (examples/linux/init) on 2 PEs, wall time from process start to
// KVM's "… mode initialized successfully" line and to init's power-off (process exit), for
// `qemu-system-aarch64 -M virt,virtualization=on` and for `node dist/cli.js run --kernel`, one
// after the other so that they do not compete for the host's cores.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INIT_BINARY, makeInitramfs } from '../scripts/make-initramfs';

const ROOT = path.resolve(__dirname, '..');
const KVM_LINE = /kvm \[\d+\]: (Hyp|VHE) mode initialized successfully/;

export interface BootTiming {
  /** Seconds from spawn to KVM's initialised line (undefined: never printed). */
  kvmInit?: number;
  /** Seconds from spawn to process exit (init powers off: PSCI SYSTEM_OFF). */
  powerOff: number;
  status: number | null;
  /** The init program's banner was printed (the boot reached user space). */
  initRan: boolean;
}

export interface LinuxBootReport {
  cpu: string;
  cores: number;
  kernel: string;
  qemu?: BootTiming;
  ours: BootTiming;
  /** ours / QEMU wall seconds (above 1: ArmVirt is slower). */
  kvmInitRatio?: number;
  powerOffRatio?: number;
}

/** The cached Debian Image, or undefined (nothing is fetched here). */
export function cachedKernel(): string | undefined {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/fetch-kernel.sh'), '--check'], { encoding: 'utf8' });
  const image = r.stdout.trim();
  return r.status === 0 && image ? image : undefined;
}

function timeBoot(cmd: string, args: string[], timeoutS: number): Promise<BootTiming> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const secs = (): number => Number(process.hrtime.bigint() - t0) / 1e9;
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let kvmInit: number | undefined;
    const onData = (b: Buffer): void => {
      text += b.toString('latin1');
      if (kvmInit === undefined && KVM_LINE.test(text)) kvmInit = secs();
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutS * 1000);
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ kvmInit, powerOff: secs(), status, initRan: text.includes('armvirt-init: ') });
    });
  });
}

export async function linuxBootBench(qemu: string | undefined, opts: { cpu?: string; cores?: number; timeoutS?: number } = {}): Promise<LinuxBootReport | undefined> {
  const kernel = cachedKernel();
  if (!kernel) return undefined;
  const cpu = opts.cpu ?? 'cortex-a57', cores = opts.cores ?? 2, timeoutS = opts.timeoutS ?? 600;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-linux-bench-'));
  try {
    const initrd = path.join(dir, 'initramfs.cpio.gz');
    fs.writeFileSync(initrd, makeInitramfs(fs.readFileSync(INIT_BINARY)));
    const append = 'console=ttyAMA0 nokaslr';
    const rep: LinuxBootReport = { cpu, cores, kernel, ours: { powerOff: 0, status: null, initRan: false } };
    if (qemu) {
      rep.qemu = await timeBoot(qemu, ['-M', 'virt,virtualization=on,gic-version=3', '-cpu', cpu, '-smp', String(cores), '-m', '1024',
        '-nographic', '-nic', 'none', '-kernel', kernel, '-initrd', initrd, '-append', append], timeoutS);
    }
    rep.ours = await timeBoot(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'run', '--kernel', kernel, '--initrd', initrd,
      '--append', append, '--cores', String(cores), '--cpu', cpu], timeoutS);
    if (rep.qemu?.kvmInit && rep.ours.kvmInit) rep.kvmInitRatio = rep.ours.kvmInit / rep.qemu.kvmInit;
    if (rep.qemu?.initRan && rep.ours.initRan) rep.powerOffRatio = rep.ours.powerOff / rep.qemu.powerOff;
    return rep;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function printLinuxBoot(r: LinuxBootReport): void {
  const t = (b: BootTiming | undefined): string => (b === undefined ? 'n/a'
    : `KVM initialised ${b.kvmInit === undefined ? 'never' : `${b.kvmInit.toFixed(2)} s`}, power-off ${b.powerOff.toFixed(2)} s (exit ${b.status}${b.initRan ? '' : ', init never ran'})`);
  console.log(`\nlinux boot (${path.basename(r.kernel)}, ${r.cpu} × ${r.cores}, initramfs; armvirt with its defaults, region compiler on; wall time from process start):`);
  console.log(`  QEMU     ${t(r.qemu)}`);
  console.log(`  armvirt  ${t(r.ours)}`);
  const f = (x: number | undefined): string => (x === undefined ? 'n/a' : `${x.toFixed(1)}×`);
  console.log(`  armvirt / QEMU: to KVM initialised ${f(r.kvmInitRatio)}, to power-off ${f(r.powerOffRatio)}`);
}
