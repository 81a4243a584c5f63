// The full-system test of ArmVirt against the oracle (in `npm test`). Debian's kernel boots with the reference initramfs
// under `armvirt run --kernel` and under QEMU with the same options; the consoles must be the
// same line for line except ALLOWED_DIFFERENCES (console-compare.ts), /init must report what it
// reports under QEMU (KVM in nVHE mode on cortex-a57, VHE on max, its KVM guests' exits, the
// virtual timer's PPI 27 through KVM's vGICv3 or vGICv2) and
// the machine must power off with exit status 0.
// Alone: npm run build && npx mocha --no-config --node-option import=tsx --extension ts test/linux/ours-boot.test.ts
//   ARMVIRT_BOOT_MAX_INSNS  instruction budget of each boot (default: none)
//   ARMVIRT_BOOT_TIMEOUT_S  wall-clock limit of each boot (default 600: a boot takes 40-90 s)
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { INIT_BINARY, makeInitramfs } from '../../scripts/make-initramfs';
import { REPO, QEMU, assertInitRan, bootQemu, requireKernel, requireTool, type BootOptions, type BootResult } from './boot-tools';
import { ALLOWED_DIFFERENCES, MAX_CPU_DIFFERENCES, compareConsoles, formatComparison } from './console-compare';

const CLI = path.join(REPO, 'dist/cli.js');
const TIMEOUT_MS = Number(process.env.ARMVIRT_BOOT_TIMEOUT_S ?? 600) * 1000;

/** `armvirt run --kernel …` with the options of a QEMU boot (our CPU model names: cortex-a57, max). */
function bootOurs(o: BootOptions): Promise<BootResult> {
  const argv = [
    CLI, 'run', '--kernel', o.kernel, ...(o.initrd ? ['--initrd', o.initrd] : []), '--append', o.append,
    '--cores', String(o.cores), '--gic', `v${o.gic ?? 3}`, '--cpu', o.cpu,
    ...(process.env.ARMVIRT_BOOT_MAX_INSNS ? ['--max-insns', process.env.ARMVIRT_BOOT_MAX_INSNS] : []),
  ];
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let timedOut = false;
    p.stdout.on('data', (b: Buffer) => { out += b.toString('latin1'); });
    p.stderr.on('data', (b: Buffer) => { out += b.toString('latin1'); });
    const timer = setTimeout(() => { timedOut = true; p.kill('SIGKILL'); }, o.timeoutMs ?? TIMEOUT_MS);
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (status) => { clearTimeout(timer); resolve({ console: out, status, timedOut, ms: Date.now() - t0, argv: ['armvirt', ...argv.slice(1)] }); });
  });
}

/**
 * /init's "cpuinfo Features:" line: the hwcaps Linux derives from the ID registers, the crypto
 * ones (aes pmull sha1 sha2) included, are QEMU's word for word.
 */
function assertSameFeatures(qemu: BootResult, ours: BootResult): void {
  const words = (b: BootResult): string[] => (/armvirt-init: cpuinfo Features: (.*)/.exec(b.console)?.[1] ?? '').trim().split(/\s+/);
  for (const w of ['aes', 'pmull', 'sha1', 'sha2']) assert.ok(words(qemu).includes(w), `QEMU's cortex-a57 reports ${w}`);
  assert.deepStrictEqual(words(ours), words(qemu));
}

describe('Linux on ArmVirt against QEMU (full system)', function () {
  // Each boot is killed after TIMEOUT_MS (a boot that hangs fails instead of stalling CI).
  this.timeout(TIMEOUT_MS + 60_000);
  let dir: string;
  let kernel: string;
  let initrd: string;

  before(function () {
    requireTool(this, QEMU, 'qemu-system-arm');
    kernel = requireKernel(this);
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-ours-'));
    initrd = path.join(dir, 'initramfs.cpio.gz');
    fs.writeFileSync(initrd, makeInitramfs(fs.readFileSync(INIT_BINARY)));
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('cortex-a57, 2 PEs, GICv3, with the initramfs: the same console as QEMU, /init runs, KVM nVHE, power-off 0', async () => {
    const o = { kernel, initrd, append: 'console=ttyAMA0 nokaslr', cores: 2 };
    const [qemu, ours] = await Promise.all([bootQemu({ ...o, cpu: 'cortex-a57' }), bootOurs({ ...o, cpu: 'cortex-a57' })]);
    console.log(`    QEMU ${qemu.ms} ms, ArmVirt ${ours.ms} ms`);
    assertInitRan(qemu, 'nVHE', '0xd07');
    assertInitRan(ours, 'nVHE', '0xd07');
    assertSameFeatures(qemu, ours);
    const c = compareConsoles(qemu.console, ours.console);
    assert.ok(c.same, formatComparison(c));
  });

  it('cortex-a57, 2 PEs, GICv2: the same console as QEMU with gic-version=2, KVM nVHE with vgic-v2', async () => {
    const o = { kernel, initrd, append: 'console=ttyAMA0 nokaslr', cores: 2, cpu: 'cortex-a57', gic: 2 as const };
    const [qemu, ours] = await Promise.all([bootQemu(o), bootOurs(o)]);
    assertInitRan(qemu, 'nVHE', '0xd07', 2);
    assertInitRan(ours, 'nVHE', '0xd07', 2);
    assertSameFeatures(qemu, ours);
    const c = compareConsoles(qemu.console, ours.console);
    assert.ok(c.same, formatComparison(c));
  });

  it('max, 2 PEs: KVM in VHE mode, /init runs its guests, power-off 0; the same console as QEMU\'s max but for the features ours lacks', async () => {
    const o = { kernel, initrd, append: 'console=ttyAMA0 nokaslr', cores: 2, cpu: 'max' };
    const [qemu, ours] = await Promise.all([bootQemu(o), bootOurs(o)]);
    assertInitRan(qemu, 'VHE');
    assertInitRan(ours, 'VHE');
    // Every hwcap ours reports, QEMU's max reports too; the ones it lacks are features README's
    // Limits table names (SVE, PAuth, BTI, FP16, …), listed here so that a regression shows.
    const words = (b: BootResult): string[] => (/armvirt-init: cpuinfo Features: (.*)/.exec(b.console)?.[1] ?? '').trim().split(/\s+/);
    const q = new Set(words(qemu));
    assert.deepStrictEqual(words(ours).filter((w) => !q.has(w)), [], 'hwcaps only ours reports');
    assert.ok(words(ours).includes('atomics') && words(ours).includes('crc32'), words(ours).join(' '));
    const c = compareConsoles(qemu.console, ours.console, [...ALLOWED_DIFFERENCES, ...MAX_CPU_DIFFERENCES]);
    assert.ok(c.same, formatComparison(c));
  });

  it('without an initramfs: "Hyp mode initialized successfully", then the VFS panic, as under QEMU', async () => {
    const o = { kernel, append: 'console=ttyAMA0 panic=-1', cores: 2, cpu: 'cortex-a57' };
    const [qemu, ours] = await Promise.all([bootQemu(o), bootOurs(o)]);
    for (const b of [qemu, ours]) {
      const kvm = b.console.indexOf('kvm [1]: Hyp mode initialized successfully');
      assert.ok(kvm > 0 && b.console.indexOf('VFS: Unable to mount root fs', kvm) > kvm, `${b.argv[0]}:\n${b.console.slice(-3000)}`);
    }
    // Up to the panic (its backtrace names the PE that ran init, which may differ).
    const upTo = (s: string): string => s.slice(0, s.indexOf('Kernel panic - not syncing'));
    const c = compareConsoles(upTo(qemu.console), upTo(ours.console));
    assert.ok(c.same, formatComparison(c));
  });

  it('cortex-a57 with 4 PEs: PSCI CPU_ON brings up every secondary at EL2, KVM initialises, then the VFS panic', async () => {
    const ours = await bootOurs({ kernel, append: 'console=ttyAMA0 panic=-1', cores: 4, cpu: 'cortex-a57' });
    assert.match(ours.console, /SMP: Total of 4 processors activated/);
    assert.match(ours.console, /CPU: All CPU\(s\) started at EL2/);
    const kvm = ours.console.indexOf('kvm [1]: Hyp mode initialized successfully');
    assert.ok(kvm > 0 && ours.console.indexOf('VFS: Unable to mount root fs', kvm) > kvm, ours.console.slice(-3000));
  });

  it('max without an initramfs: "VHE mode initialized successfully", then the VFS panic, as under QEMU\'s max (but for the features ours lacks)', async () => {
    const o = { kernel, append: 'console=ttyAMA0 panic=-1', cores: 1, cpu: 'max' };
    const [qemu, ours] = await Promise.all([bootQemu(o), bootOurs(o)]);
    for (const b of [qemu, ours]) {
      const kvm = b.console.indexOf('kvm [1]: VHE mode initialized successfully');
      assert.ok(kvm > 0 && b.console.indexOf('VFS: Unable to mount root fs', kvm) > kvm, `${b.argv[0]}:\n${b.console.slice(-3000)}`);
    }
    assert.strictEqual(ours.status, 0, 'panic=-1 reboots at once: PSCI SYSTEM_RESET ends the run with 0');
    const upTo = (s: string): string => s.slice(0, s.indexOf('Kernel panic - not syncing'));
    const c = compareConsoles(upTo(qemu.console), upTo(ours.console), [...ALLOWED_DIFFERENCES, ...MAX_CPU_DIFFERENCES]);
    assert.ok(c.same, formatComparison(c));
  });
});
