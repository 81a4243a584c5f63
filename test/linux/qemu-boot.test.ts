// The reference boots (the oracle the full-system tests compare against): Debian's kernel
// (scripts/fetch-kernel.sh) under qemu-system-aarch64 -M virt,virtualization=on, 2 PEs, GICv3:
//   - with the initramfs on cortex-a57: KVM in nVHE mode ("Hyp mode initialized"), /init prints
//     its banner, finds /dev/kvm (10:232), API version 12, runs its guests (an MMIO exit, then
//     PSCI SYSTEM_OFF; the virtual timer's PPI 27 through KVM's vGIC), and powers off: QEMU
//     exits 0;
//   - the same on -cpu max: KVM in VHE mode, and on cortex-a57 with a GICv2 (vgic-v2);
//   - without an initramfs: KVM initialises, then "VFS: Unable to mount root fs" and a panic
//     (panic=-1 reboots at once, -no-reboot makes that reboot end QEMU);
//   - two cortex-a57 boots compared with compareConsoles are the same: the allowed-differences
//     list covers everything that changes from run to run; cortex-a57 against max is not.
// The boots run side by side in before() (each takes a few seconds of TCG).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INIT_BINARY, makeInitramfs } from '../../scripts/make-initramfs';
import { assertInitRan, bootQemu, initLines, requireKernel, requireTool, QEMU, type BootResult } from './boot-tools';
import { compareConsoles, formatComparison } from './console-compare';

describe('Linux reference boots under QEMU (the oracle)', function () {
  this.timeout(300_000);
  let dir: string;
  let a57: BootResult;
  let a57again: BootResult;
  let max: BootResult;
  let gicv2: BootResult;
  let noRoot: BootResult;

  before(async function () {
    requireTool(this, QEMU, 'qemu-system-arm');
    const kernel = requireKernel(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-qboot-'));
    const initrd = path.join(dir, 'initramfs.cpio.gz');
    fs.writeFileSync(initrd, makeInitramfs(fs.readFileSync(INIT_BINARY)));
    const common = { kernel, cores: 2, timeoutMs: 240_000 };
    const withInit = { ...common, initrd, append: 'console=ttyAMA0 nokaslr' };
    // pauth-impdef=on: QEMU's cheap pointer-authentication algorithm instead of QARMA
    // (architecturally an IMPLEMENTATION DEFINED choice); it makes the max boot ~2.5x faster.
    [a57, a57again, max, gicv2, noRoot] = await Promise.all([
      bootQemu({ ...withInit, cpu: 'cortex-a57' }),
      bootQemu({ ...withInit, cpu: 'cortex-a57' }),
      bootQemu({ ...withInit, cpu: 'max,pauth-impdef=on' }),
      bootQemu({ ...withInit, cpu: 'cortex-a57', gic: 2 }),
      bootQemu({ ...common, cpu: 'cortex-a57', append: 'console=ttyAMA0 panic=-1' }),
    ]);
    console.log(`    boot times (side by side): cortex-a57 ${a57.ms} and ${a57again.ms} ms, max ${max.ms} ms, GICv2 ${gicv2.ms} ms, no initramfs ${noRoot.ms} ms`);
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('cortex-a57 (nVHE KVM): banner, /dev/kvm, API 12, the KVM guests run (MMIO, PSCI, vtimer PPI 27 via the vGIC), power-off with exit status 0', () => {
    assertInitRan(a57, 'nVHE', '0xd07');
    assert.match(a57.console, /Run \/init as init process/);
  });

  it('max (VHE KVM): the same, with KVM in VHE mode', () => {
    assertInitRan(max, 'VHE', '0x051');
    assert.ok(initLines(max.console).includes('KVM_CHECK_EXTENSION KVM_CAP_ARM_VM_IPA_SIZE 48'));
  });

  it('cortex-a57 with a GICv2 (GICD/GICC/GICH/GICV, as on the paper\'s hardware): KVM nVHE, the vtimer guest through vgic-v2, power-off 0', () => {
    assertInitRan(gicv2, 'nVHE', '0xd07', 2);
    assert.doesNotMatch(gicv2.console, /GICv3/);
    assert.match(gicv2.console, /GIC: Using split EOI\/Deactivate mode/);
  });

  it('without an initramfs: "Hyp mode initialized successfully", then "VFS: Unable to mount root fs" and the panic', () => {
    assert.ok(!noRoot.timedOut, noRoot.console.slice(-2000));
    assert.strictEqual(noRoot.status, 0, 'panic=-1 reboots, -no-reboot ends QEMU');
    const kvm = noRoot.console.indexOf('kvm [1]: Hyp mode initialized successfully');
    const vfs = noRoot.console.indexOf('Kernel panic - not syncing: VFS: Unable to mount root fs');
    assert.ok(kvm > 0, 'KVM initialised');
    assert.ok(vfs > kvm, 'then the panic');
    assert.deepStrictEqual(initLines(noRoot.console), []);
  });

  it('two cortex-a57 boots compare the same: the allowed differences cover what changes between runs', () => {
    const c = compareConsoles(a57.console, a57again.console);
    assert.ok(c.same, formatComparison(c));
    assert.ok(c.compared.qemu > 200, `${c.compared.qemu} lines compared`);
    assert.ok(c.ignored.some((x) => /^rtc-pl031 .*setting system clock/.test(x.line)), 'the date line is left out');
  });

  it('cortex-a57 against max: compareConsoles reports the KVM mode and init\'s lines that differ', () => {
    const c = compareConsoles(a57.console, max.console);
    assert.ok(!c.same);
    const has = (kind: string, line: string): boolean => c.differences.some((d) => d.kind === kind && d.line === line);
    assert.ok(has('missing', 'kvm [1]: Hyp mode initialized successfully'), formatComparison(c));
    assert.ok(has('extra', 'kvm [1]: VHE mode initialized successfully'), formatComparison(c));
    assert.ok(has('missing', 'armvirt-init: kvm mode: nVHE') && has('extra', 'armvirt-init: kvm mode: VHE'), formatComparison(c));
    assert.ok(!has('missing', 'armvirt-init: hello from user space'), 'equal lines are not reported');
  });
});
