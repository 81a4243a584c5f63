// The Linux boot protocol (src/sim/boot/linux-boot.ts, src/cli/kernel-boot.ts): placement of
// kernel, initrd and DTB at QEMU 7.2's addresses, the boot registers, user DTBs, --dump-dtb,
// and a differential run of a hand-made Image (boot-probe.S) under the simulator and QEMU
// with the same -kernel/-initrd/-append/-dtb: the probe prints X0..X3, its load address,
// CurrentEL, DAIF, SCTLR.M, the FDT magic at X0 and /chosen, so the outputs must be identical.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { Machine, type MachineOptions } from '../../../../src/sim/machine';
import { planBoot, bootKernel, type BootFiles } from '../../../../src/sim/boot/linux-boot';
import { BootError } from '../../../../src/sim/boot/errors';
import { cells, decodeFdt, encodeFdt, findNode, getProp, propCells, propStrings, node, str } from '../../../../src/sim/boot/fdt';
import { virtDeviceTree } from '../../../../src/sim/boot/virt-dtb';
import { main } from '../../../../src/cli/cli';
import { buildProbeImage } from './probe-image';
import { DTC, QEMU, dtcDecompile, requireTool } from './tools';

const MiB = 1024 * 1024;
const probe = buildProbeImage();

function binary(bytes: Uint8Array): BootFiles['kernel'] { return { kind: 'binary', bytes }; }

/** Runs the probe in the simulator and returns its console output. */
function runSim(opts: MachineOptions, files: Omit<BootFiles, 'kernel'>, kernel = probe): { out: string; reason: string } {
  let out = '';
  const m = new Machine({ ...opts, output: (b) => { out += Buffer.from(b).toString('latin1'); } });
  bootKernel(m, { kernel: binary(kernel), ...files });
  const r = m.run(1_000_000);
  return { out, reason: r.reason };
}

describe('Linux boot protocol', () => {
  describe('placement (QEMU hw/arm/boot.c)', () => {
    const m = new Machine({});
    it('an Image with text_offset 0 goes to RAM base + 2 MiB; the DTB to base + 128 MiB, 2 MiB-aligned', () => {
      const p = planBoot(m, { kernel: binary(probe) });
      assert.strictEqual(p.format, 'image');
      assert.strictEqual(p.entry, 0x40200000);
      assert.strictEqual(p.kernel.end, 0x40200000 + probe.length);
      assert.strictEqual(p.dtbAddr, 0x48000000);
      assert.strictEqual(p.x0, 0x48000000);
      assert.strictEqual(decodeFdt(p.dtb).totalSize, p.dtb.length);
    });
    it('the initrd at base + min(RAM/2, 128 MiB), page-aligned, described in /chosen; the DTB after it', () => {
      const initrd = new Uint8Array(100_000);
      const p = planBoot(m, { kernel: binary(probe), initrd });
      assert.deepStrictEqual(p.initrd, { start: 0x48000000, end: 0x48000000 + 100_000 });
      assert.strictEqual(p.dtbAddr, 0x48200000);
      const chosen = findNode(decodeFdt(p.dtb).root, '/chosen')!;
      assert.deepStrictEqual(propCells(getProp(chosen, 'linux,initrd-start')!), [0x48000000]);
      assert.deepStrictEqual(propCells(getProp(chosen, 'linux,initrd-end')!), [0x48000000 + 100_000]);
      const small = planBoot(new Machine({ memoryMiB: 64 }), { kernel: binary(probe), initrd });
      assert.strictEqual(small.initrd!.start, 0x42000000);
    });
    it('an initrd never overlaps a kernel larger than the default gap: it follows image_size', () => {
      const big = probe.slice();
      new DataView(big.buffer).setBigUint64(16, BigInt(40 * MiB + 123), true); // image_size
      const p = planBoot(new Machine({ memoryMiB: 64 }), { kernel: binary(big), initrd: new Uint8Array(10) });
      assert.strictEqual(p.kernel.end, 0x40200000 + 40 * MiB + 123);
      assert.strictEqual(p.initrd!.start, 0x42a01000, 'page-aligned after the kernel');
      assert.strictEqual(p.dtbAddr, 0x42c00000);
    });
    it('raw binaries and image_size-0 Images at base + 0x80000; gzip is decompressed first', () => {
      const raw = probe.slice();
      raw.fill(0, 56, 60);
      assert.strictEqual(planBoot(m, { kernel: binary(raw) }).format, 'raw');
      assert.strictEqual(planBoot(m, { kernel: binary(raw) }).entry, 0x40080000);
      const legacy = probe.slice();
      legacy.fill(0, 16, 24);
      assert.strictEqual(planBoot(m, { kernel: binary(legacy) }).entry, 0x40080000);
      const gz = planBoot(m, { kernel: binary(gzipSync(probe)) });
      assert.ok(gz.gunzipped);
      assert.strictEqual(gz.entry, 0x40200000);
      assert.ok(Buffer.from(gz.segments[0].data).equals(Buffer.from(probe)));
    });
    it('an ELF kernel keeps its addresses, gets the DTB at the base of RAM when there is room, and no X0 (not Linux, as QEMU)', () => {
      const p = planBoot(m, { kernel: { kind: 'elf', entry: 0x40100000, segments: [{ addr: 0x40100000, data: new Uint8Array(16) }] }, initrd: new Uint8Array(4) });
      assert.strictEqual(p.format, 'elf');
      assert.strictEqual(p.dtbAddr, 0x40000000);
      assert.strictEqual(p.x0, 0);
      assert.strictEqual(p.initrd, undefined);
      assert.match(p.warnings.join(), /initrd is not loaded/);
    });
    it('what does not fit in RAM is an error naming it', () => {
      const tiny = new Machine({ memoryMiB: 2 });
      assert.throws(() => planBoot(tiny, { kernel: binary(probe) }), (e: unknown) => e instanceof BootError && /^kernel \(\d+ bytes at 0x40200000\) does not fit in RAM 0x40000000..0x40200000/.test((e as Error).message));
      assert.throws(() => planBoot(new Machine({ memoryMiB: 4 }), { kernel: binary(probe), initrd: new Uint8Array(3 * MiB) }), /initrd \(3145728 bytes at 0x40201000\) does not fit in RAM/);
    });
  });

  describe('registers at the kernel entry (booting.rst)', () => {
    it('PC = entry at EL2, X0 = DTB, X1-X3 = 0, DAIF masked, MMU off', () => {
      const m = new Machine({});
      m.pes[0].x.fill(0xffffffff);
      const p = bootKernel(m, { kernel: binary(probe), append: 'x' });
      const pe = m.pes[0];
      assert.strictEqual(pe.pc, 0x40200000);
      assert.strictEqual(pe.el, 2);
      assert.strictEqual(pe.x[0] + pe.x[1] * 2 ** 32, p.dtbAddr);
      for (let r = 1; r <= 3; r++) assert.strictEqual(pe.x[2 * r] + pe.x[2 * r + 1], 0, `x${r}`);
      assert.strictEqual(pe.daif, 0xf);
      // The DTB in memory is the plan's (read back through the bus).
      const magic = [0, 1, 2, 3].map((i) => m.mem.read(p.dtbAddr! + i, 1));
      assert.deepStrictEqual(magic, [0xd0, 0x0d, 0xfe, 0xed]);
    });
    it('with entryEL 1 the kernel starts at EL1 and the tree says PSCI over HVC', () => {
      const m = new Machine({ entryEL: 1 });
      const p = bootKernel(m, { kernel: binary(probe) });
      assert.strictEqual(m.pes[0].el, 1);
      assert.deepStrictEqual(propStrings(getProp(findNode(decodeFdt(p.dtb).root, '/psci')!, 'method')!), ['hvc']);
    });
  });

  describe('a user DTB (--dtb)', () => {
    it('is validated: a bad blob is an error naming the header field', () => {
      const bad = encodeFdt(virtDeviceTree(new Machine({})));
      new DataView(bad.buffer).setUint32(0, 0x12345678);
      assert.throws(() => planBoot(new Machine({}), { kernel: binary(probe), dtb: bad }), /DTB magic: 0x12345678 is not 0xd00dfeed/);
    });
    it('is used as given except QEMU\'s edits: /memory = the machine\'s RAM, /chosen bootargs and initrd range (a stale range removed)', () => {
      const root = node('', { model: str('mine'), '#address-cells': cells(2), '#size-cells': cells(1) }, [
        node('memory@80000000', { device_type: str('memory'), reg: cells(0, 0x80000000, 0x1000) }),
        node('memory', { device_type: str('memory'), reg: cells(0, 0x90000000, 0x1000) }),
        node('chosen', { bootargs: str('old'), 'linux,initrd-start': new Uint8Array(4), 'linux,initrd-end': new Uint8Array(4) }),
      ]);
      const user = encodeFdt(root, { reservations: [{ address: 0x50000000n, size: 0x1000n }] });
      const p = planBoot(new Machine({ memoryMiB: 256 }), { kernel: binary(probe), dtb: user, append: 'new args' });
      const d = decodeFdt(p.dtb);
      assert.deepStrictEqual(propStrings(getProp(d.root, 'model')!), ['mine']);
      assert.deepStrictEqual(d.root.children.filter((c) => c.name.startsWith('memory')).map((c) => c.name), ['memory@40000000']);
      assert.deepStrictEqual(propCells(getProp(findNode(d.root, '/memory@40000000')!, 'reg')!), [0, 0x40000000, 0x10000000], '2 address cells + 1 size cell');
      const chosen = findNode(d.root, '/chosen')!;
      assert.deepStrictEqual(propStrings(getProp(chosen, 'bootargs')!), ['new args']);
      assert.strictEqual(getProp(chosen, 'linux,initrd-start'), undefined);
      assert.deepStrictEqual(d.reservations, [{ address: 0x50000000n, size: 0x1000n }]);
    });
    it('without #address-cells / #size-cells on the root the /memory node cannot be written: an error naming them', () => {
      const user = encodeFdt(node('', { '#size-cells': cells(2) }, [node('chosen')]));
      assert.throws(() => planBoot(new Machine({}), { kernel: binary(probe), dtb: user }), /DTB #address-cells of the root node is missing/);
      const narrow = encodeFdt(node('', { '#address-cells': cells(1), '#size-cells': cells(1) }));
      assert.doesNotThrow(() => planBoot(new Machine({ memoryMiB: 3072 }), { kernel: binary(probe), dtb: narrow }), '3 GiB fits one size cell');
    });
  });

  describe('the probe Image in the simulator', () => {
    it('sees its DTB, /chosen and the boot registers', () => {
      const r = runSim({ memoryMiB: 256 }, { append: 'console=ttyAMA0 probe=1', initrd: new Uint8Array(5000) });
      assert.strictEqual(r.reason, 'off', 'PSCI SYSTEM_OFF');
      assert.strictEqual(r.out, [
        'x0=0x0000000048200000', 'x1|x2|x3=0x0000000000000000', 'entry=0x0000000040200000', 'CurrentEL=0x0000000000000002',
        'DAIF=0x00000000000003c0', 'SCTLR.M=0x0000000000000000', 'magic=0x00000000d00dfeed', 'bootargs=console=ttyAMA0 probe=1',
        'initrd=0x0000000048000000..0x0000000048001388', 'memory=0x0000000040000000+0x0000000010000000', ''].join('\n'));
    });
  });

  describe('differential: the same flags under QEMU (qemu-system-aarch64 -M virt)', function () {
    this.timeout(60_000);
    let dir: string;
    before(function () {
      requireTool(this, QEMU, 'qemu-system-arm');
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-boot-'));
      fs.writeFileSync(path.join(dir, 'probe.img'), probe);
      fs.writeFileSync(path.join(dir, 'probe.img.gz'), gzipSync(probe));
      const raw = probe.slice();
      raw.fill(0, 56, 60);
      fs.writeFileSync(path.join(dir, 'raw.img'), raw);
      fs.writeFileSync(path.join(dir, 'initrd'), new Uint8Array(123_457).fill(7));
      // A user tree for another RAM size: QEMU (and we) rewrite its /memory for the machine.
      fs.writeFileSync(path.join(dir, 'user.dtb'), encodeFdt(virtDeviceTree(new Machine({ cores: 2, memoryMiB: 512 }), { bootargs: 'from the user tree' })));
    });
    after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

    interface Case { name: string; kernel: string; opts: MachineOptions; initrd?: boolean; append?: string; dtb?: boolean }
    const cases: Case[] = [
      { name: 'EL2, GICv3, 1 GiB, -append', kernel: 'probe.img', opts: {}, append: 'console=ttyAMA0 earlycon' },
      { name: 'EL2, GICv2, 2 cores, 256 MiB, -initrd', kernel: 'probe.img', opts: { gic: 'v2', cores: 2, memoryMiB: 256 }, initrd: true, append: 'root=/dev/ram0' },
      { name: 'EL1 (virtualization=off), 64 MiB, -initrd', kernel: 'probe.img', opts: { entryEL: 1, memoryMiB: 64 }, initrd: true },
      { name: 'gzip-compressed Image, 3 GiB', kernel: 'probe.img.gz', opts: { memoryMiB: 3072 }, append: 'a b c' },
      { name: 'raw binary (no Image magic) at base + 0x80000', kernel: 'raw.img', opts: {}, append: 'raw' },
      { name: '-dtb with -append and -initrd', kernel: 'probe.img', opts: { cores: 2 }, dtb: true, initrd: true, append: 'appended' },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const o = c.opts;
        const args = [
          '-M', `virt${(o.entryEL ?? 2) === 2 ? ',virtualization=on' : ''},gic-version=${o.gic === 'v2' ? 2 : 3}`,
          '-cpu', 'cortex-a57', '-smp', String(o.cores ?? 1), '-m', String(o.memoryMiB ?? 1024),
          '-display', 'none', '-serial', 'stdio', '-monitor', 'none', '-nic', 'none',
          '-kernel', path.join(dir, c.kernel),
          ...(c.initrd ? ['-initrd', path.join(dir, 'initrd')] : []),
          ...(c.append !== undefined ? ['-append', c.append] : []),
          ...(c.dtb ? ['-dtb', path.join(dir, 'user.dtb')] : []),
        ];
        const q = spawnSync(QEMU, args, { encoding: 'latin1', timeout: 20_000 });
        assert.strictEqual(q.status, 0, `QEMU: ${q.stderr}`);
        const sim = runSim(o, {
          initrd: c.initrd ? fs.readFileSync(path.join(dir, 'initrd')) : undefined,
          append: c.append,
          dtb: c.dtb ? fs.readFileSync(path.join(dir, 'user.dtb')) : undefined,
        }, fs.readFileSync(path.join(dir, c.kernel)));
        assert.strictEqual(sim.reason, 'off');
        assert.match(sim.out, /magic=0x00000000d00dfeed/);
        assert.strictEqual(sim.out, q.stdout);
      });
    }
  });

  describe('armvirt run --dump-dtb / --kernel (CLI)', () => {
    let dir: string;
    let errText = '';
    const origErr = process.stderr.write.bind(process.stderr);
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-cli-'));
      errText = '';
      (process.stderr as { write: unknown }).write = (s: string | Uint8Array): boolean => { errText += String(s); return true; };
    });
    afterEach(() => {
      (process.stderr as { write: unknown }).write = origErr;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('--dump-dtb writes the tree the kernel would get (with /chosen), exit 0, and dtc accepts it', async function () {
      const k = path.join(dir, 'k.img'), rd = path.join(dir, 'rd'), out = path.join(dir, 'out.dtb');
      fs.writeFileSync(k, probe);
      fs.writeFileSync(rd, new Uint8Array(4096));
      assert.strictEqual(await main(['run', '--kernel', k, '--initrd', rd, '--append', 'console=ttyAMA0', '--gic', 'v2', '--cores', '2', '--dump-dtb', out]), 0, errText);
      const d = decodeFdt(fs.readFileSync(out));
      assert.deepStrictEqual(propStrings(getProp(findNode(d.root, '/chosen')!, 'bootargs')!), ['console=ttyAMA0']);
      assert.deepStrictEqual(propCells(getProp(findNode(d.root, '/chosen')!, 'linux,initrd-start')!), [0x48000000]);
      assert.deepStrictEqual(propStrings(getProp(findNode(d.root, '/intc')!, 'compatible')!), ['arm,cortex-a15-gic']);
      requireTool(this, DTC, 'device-tree-compiler');
      const r = dtcDecompile(fs.readFileSync(out));
      assert.strictEqual(r.status, 0, r.stderr);
      assert.strictEqual(r.stderr, '');
      assert.match(r.dts, /linux,initrd-end = <0x48001000>;/);
    });

    it('--dump-dtb without a kernel writes the bare board tree', async () => {
      const out = path.join(dir, 'bare.dtb');
      assert.strictEqual(await main(['run', '--dump-dtb', out, '--cores', '3']), 0, errText);
      assert.strictEqual(findNode(decodeFdt(fs.readFileSync(out)).root, '/cpus')!.children.filter((c) => c.name.startsWith('cpu@')).length, 3);
    });

    it('--kernel runs the Image: its console output on stdout, exit 0 after PSCI SYSTEM_OFF', function () {
      this.timeout(60_000);
      const k = path.join(dir, 'k.img');
      fs.writeFileSync(k, probe);
      const cli = path.resolve(__dirname, '../../../../src/cli/cli.ts');
      const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'run', '--kernel', k, '--append', 'via the CLI', '--max-insns', '100000'], { encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.match(r.stdout, /^x0=0x0000000048000000\n/);
      assert.match(r.stdout, /\nbootargs=via the CLI\n/);
    });

    it('usage and load errors exit with 2 and name the problem', async () => {
      const k = path.join(dir, 'k.img');
      const bad = probe.slice();
      new DataView(bad.buffer).setBigUint64(24, 1n, true); // flags: big-endian
      fs.writeFileSync(k, bad);
      assert.strictEqual(await main(['run', '--kernel', k]), 2);
      assert.match(errText, /arm64 Image header flags: bit 0 \(endianness\) is 1/);
      errText = '';
      fs.writeFileSync(path.join(dir, 'bad.dtb'), new Uint8Array(64));
      fs.writeFileSync(k, probe);
      assert.strictEqual(await main(['run', '--kernel', k, '--dtb', path.join(dir, 'bad.dtb')]), 2);
      assert.match(errText, /DTB magic: 0x00000000 is not 0xd00dfeed/);
      errText = '';
      assert.strictEqual(await main(['run', 'prog.S', '--kernel', k]), 2);
      assert.match(errText, /either PROGRAM or --kernel/);
      errText = '';
      assert.strictEqual(await main(['run', 'prog.S', '--append', 'x']), 2);
      assert.match(errText, /--append needs --kernel/);
      errText = '';
      assert.strictEqual(await main(['run', '--kernel', path.join(dir, 'missing')]), 2);
      assert.match(errText, /kernel '.*missing' does not exist/);
    });
  });
});
