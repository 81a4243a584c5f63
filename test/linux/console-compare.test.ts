// compareConsoles (test/linux/console-compare.ts) on made-up consoles: timestamps and the
// allowed lines do not count, anything else does, and one missing line is one difference.
import * as assert from 'node:assert';
import { ALLOWED_DIFFERENCES, compareConsoles, consoleLines, formatComparison } from './console-compare';

const QEMU_CONSOLE = [
  'firmware noise before the kernel',
  '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x411fd070]',
  '[    0.000000] Linux version 6.1.0-57-cloud-arm64',
  '[    0.000000] random: crng init done',
  '[    0.000000] CPU features: detected: ARM erratum 832075',
  '[    0.000000] arch_timer: cp15 timer(s) running at 62.50MHz (phys).',
  '[    0.000000] ITS [mem 0x08080000-0x0809ffff]',
  '[    1.413135] Trying to unpack rootfs image as initramfs...',
  '[    1.477865] kvm [1]: Hyp mode initialized successfully',
  '[    2.088130] rtc-pl031 9010000.pl031: setting system clock to 2026-12-07T17:35:12 UTC (1796664912)',
  '[    4.033378] Run /init as init process',
  'armvirt-init: hello from user space',
  '[    4.229088] reboot: Power down',
].join('\r\n');

/** Ours: other timestamps, MIDR, timer frequency, date; no ITS; no rng seed; the async line elsewhere. */
const OUR_CONSOLE = [
  '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd070]',
  '[    0.000000] Linux version 6.1.0-57-cloud-arm64',
  '[    0.000000] arch_timer: cp15 timer(s) running at 100.00MHz (phys).',
  '[    1.000000] kvm [1]: Hyp mode initialized successfully',
  '[    1.100000] Trying to unpack rootfs image as initramfs...',
  '[    1.200000] random: crng init done',
  '[    2.000000] rtc-pl031 9010000.pl031: setting system clock to 1970-01-01T00:00:00 UTC (0)',
  '[   12.000000] Run /init as init process',
  'armvirt-init: hello from user space',
  '[   13.000000] reboot: Power down',
].join('\n');

describe('compareConsoles (QEMU console against ours)', () => {
  it('timestamps, CR and everything before "Booting Linux" are not compared', () => {
    const lines = consoleLines(QEMU_CONSOLE);
    assert.strictEqual(lines[0], 'Booting Linux on physical CPU 0x0000000000 [0x411fd070]');
    assert.strictEqual(lines[2], 'random: crng init done');
    assert.ok(lines.every((l) => !l.includes('\r') && !l.startsWith('[')));
  });

  it('consoles that differ only in allowed lines are the same; each ignored line says why', () => {
    const c = compareConsoles(QEMU_CONSOLE, OUR_CONSOLE);
    assert.ok(c.same, formatComparison(c));
    assert.deepStrictEqual(c.compared, { qemu: 5, ours: 5 });
    const its = c.ignored.find((x) => x.line.startsWith('ITS '));
    assert.ok(its && its.side === 'qemu' && /does not model/.test(its.why));
    assert.ok(c.ignored.some((x) => x.side === 'ours' && x.line.startsWith('rtc-pl031')));
    assert.ok(ALLOWED_DIFFERENCES.every((a) => a.why.length > 20), 'every allowed difference is explained');
  });

  it('a missing line is one difference at its place; a changed line is a missing and an extra one', () => {
    const ours = OUR_CONSOLE.replace('[   12.000000] Run /init as init process\n', '').replace('Linux version 6.1.0-57-cloud-arm64', 'Linux version 6.1.0-58-cloud-arm64');
    const c = compareConsoles(QEMU_CONSOLE, ours);
    assert.deepStrictEqual(c.differences, [
      { kind: 'missing', line: 'Linux version 6.1.0-57-cloud-arm64', at: 1 },
      { kind: 'extra', line: 'Linux version 6.1.0-58-cloud-arm64', at: 1 },
      { kind: 'missing', line: 'Run /init as init process', at: 3 },
    ]);
    assert.match(formatComparison(c), /^3 differences .*\n- Linux version 6\.1\.0-57-cloud-arm64 {4}\(QEMU line 1\)\n\+ Linux version 6\.1\.0-58/);
  });

  it('a line that may move must still be there', () => {
    const c = compareConsoles(QEMU_CONSOLE, OUR_CONSOLE.replace('[    1.100000] Trying to unpack rootfs image as initramfs...\n', ''));
    assert.deepStrictEqual(c.differences, [{ kind: 'missing', line: 'Trying to unpack rootfs image as initramfs...', at: 7 }]);
  });

  it('callers can narrow the list: without the allowed differences, the timer line counts', () => {
    const c = compareConsoles(QEMU_CONSOLE, OUR_CONSOLE, ALLOWED_DIFFERENCES.filter((a) => !a.pattern.test('arch_timer: cp15 timer(s) running at 1MHz')));
    assert.ok(c.differences.some((d) => d.kind === 'extra' && d.line === 'arch_timer: cp15 timer(s) running at 100.00MHz (phys).'));
  });
});
