// Launch-attribute checks of the VS Code extension (src/extension/config.ts), without VS Code.
import * as assert from 'node:assert/strict';
import { checkLaunchConfig } from '../../../src/extension/config';

const exists = (f: string): boolean => f.endsWith('/ws/prog.S') || f === '/abs/prog.elf';
const check = (c: Record<string, unknown>) => checkLaunchConfig({ type: 'armvirt', request: 'launch', name: 't', program: 'prog.S', ...c }, '/ws', exists);

describe('extension: launch configuration checks', () => {
  it('accepts a complete valid configuration and resolves a relative program', () => {
    const r = check({ stopOnEntry: true, cores: 2, gic: 'v2', memory: 256, entryEL: 1, cpu: 'max', profile: 'xgene-gicv2', trace: true, maxInstructions: 1000 });
    assert.deepEqual(r.errors, []);
    assert.equal(r.config.program, '/ws/prog.S');
  });

  it('drives: each FILE[,readonly][,serial=ID] resolved against the workspace and checked', () => {
    const ok = checkLaunchConfig({ program: 'prog.S', drives: ['disk.img,readonly', '/abs/a,,b.img,serial=x1'], virtioConsole: true }, '/ws',
      (f) => f === '/ws/prog.S' || f === '/ws/disk.img' || f === '/abs/a,b.img');
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.config.drives, ['/ws/disk.img,readonly', '/abs/a,,b.img,serial=x1']);
    assert.deepEqual(check({ drives: ['none.img'] }).errors, ['"drives"[0] file does not exist: /ws/none.img']);
    assert.match(check({ drives: ['prog.S,cache=none'] }).errors[0], /^"drives"\[0\]: drive 'prog.S,cache=none': unknown option 'cache=none'/);
    assert.deepEqual(check({ drives: [3] }).errors, ['"drives"[0] must be a string FILE[,readonly][,serial=ID] (got 3)']);
    assert.match(check({ drives: 'disk.img' }).errors[0], /^"drives" must be an array/);
    assert.match(check({ virtioConsole: 'yes' }).errors[0], /^"virtioConsole" must be true or false/);
  });

  it('keeps an absolute program path (an ELF)', () => {
    assert.deepEqual(check({ program: '/abs/prog.elf' }).errors, []);
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['program missing', { program: undefined }, /^"program" is required/],
    ['program empty', { program: '' }, /^"program" is required/],
    ['program not found', { program: 'nope.S' }, /^"program" file does not exist: \/ws\/nope\.S/],
    ['program unsubstituted', { program: '${file}' }, /^"program" still contains a variable/],
    ['cores 0', { cores: 0 }, /^"cores" must be an integer from 1 to 8 \(got 0\)/],
    ['cores 9', { cores: 9 }, /^"cores" must be an integer from 1 to 8 \(got 9\)/],
    ['cores 1.5', { cores: 1.5 }, /^"cores" must be an integer/],
    ['cores string', { cores: '2' }, /^"cores" must be an integer from 1 to 8 \(got '2'\)/],
    ['gic', { gic: 'v4' }, /^"gic" must be one of 'v2', 'v3' \(got 'v4'\)/],
    ['memory', { memory: 0 }, /^"memory" must be an integer from 1 to 3072/],
    ['entryEL', { entryEL: 3 }, /^"entryEL" must be one of 1, 2 \(got 3\)/],
    ['cpu', { cpu: 'a53' }, /^"cpu" must be one of 'cortex-a57', 'armv8.1-vhe', 'max'/],
    ['profile', { profile: 7 }, /^"profile" must be the name of a cost profile/],
    ['trace', { trace: 1 }, /^"trace" must be true or false \(got 1\)/],
    ['stopOnEntry', { stopOnEntry: 'yes' }, /^"stopOnEntry" must be true or false/],
    ['maxInstructions', { maxInstructions: -5 }, /^"maxInstructions" must be an integer from 0/],
  ];
  for (const [what, attrs, re] of cases) {
    it(`names the attribute: ${what}`, () => {
      const r = check(attrs);
      assert.equal(r.errors.length, 1, r.errors.join(' | '));
      assert.match(r.errors[0], re);
    });
  }

  it('reports every invalid attribute at once', () => {
    assert.equal(check({ cores: 0, gic: 'x', memory: -1 }).errors.length, 3);
  });

  it('drops maxInstructions 0 ("no limit") and an empty profile', () => {
    const r = check({ maxInstructions: 0, profile: '' });
    assert.deepEqual(r.errors, []);
    assert.equal('maxInstructions' in r.config, false);
    assert.equal('profile' in r.config, false);
  });
});

describe('extension: launch configuration checks of the boot protocol (kernel, initrd, append, dtb)', () => {
  const files = new Set(['/ws/Image', '/ws/rd.cpio.gz', '/abs/virt.dtb']);
  const checkK = (c: Record<string, unknown>) => checkLaunchConfig({ type: 'armvirt', request: 'launch', name: 'k', ...c }, '/ws', (f) => files.has(f));

  it('accepts kernel + initrd + append + dtb instead of program, resolving relative paths', () => {
    const r = checkK({ kernel: 'Image', initrd: 'rd.cpio.gz', append: 'console=ttyAMA0', dtb: '/abs/virt.dtb', stopOnEntry: true });
    assert.deepEqual(r.errors, []);
    assert.equal(r.config.kernel, '/ws/Image');
    assert.equal(r.config.initrd, '/ws/rd.cpio.gz');
    assert.equal(r.config.dtb, '/abs/virt.dtb');
    assert.equal(r.config.program, undefined);
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['kernel not found', { kernel: 'vmlinux' }, /^"kernel" file does not exist: \/ws\/vmlinux/],
    ['kernel empty', { kernel: '' }, /^"kernel" must be the path of an arm64 Linux Image/],
    ['initrd not found', { kernel: 'Image', initrd: 'nope' }, /^"initrd" file does not exist/],
    ['dtb not a string', { kernel: 'Image', dtb: 5 }, /^"dtb" must be the path of a device tree blob \(got 5\)/],
    ['append not a string', { kernel: 'Image', append: ['a'] }, /^"append" must be a string, the kernel command line/],
    ['program and kernel', { kernel: 'Image', program: '/ws/prog.S' }, /^"program" and "kernel" exclude each other/],
    ['initrd without kernel', { program: '/abs/prog.elf', initrd: 'rd.cpio.gz' }, /^"initrd" needs "kernel"/],
  ];
  for (const [what, attrs, re] of cases) {
    it(`names the attribute: ${what}`, () => {
      const r = checkLaunchConfig({ type: 'armvirt', request: 'launch', name: 'k', ...attrs }, '/ws', (f) => files.has(f) || f === '/abs/prog.elf' || f === '/ws/prog.S');
      assert.equal(r.errors.length, 1, r.errors.join(' | '));
      assert.match(r.errors[0], re);
    });
  }
});
