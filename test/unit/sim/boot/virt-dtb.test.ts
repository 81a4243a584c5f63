// The generated device tree of the board (src/sim/boot/virt-dtb.ts): what each machine option
// puts in it, decoded with our decoder and checked with dtc; nodes only for modelled devices.
import * as assert from 'node:assert';
import { Machine, type MachineOptions } from '../../../../src/sim/machine';
import { decodeFdt, encodeFdt, findNode, getProp, propCells, propStrings, type FdtNode } from '../../../../src/sim/boot/fdt';
import { virtDeviceTree, hasPmu, type ChosenInfo } from '../../../../src/sim/boot/virt-dtb';
import { DTC, dtcDecompile, requireTool } from './tools';

function tree(opts: MachineOptions, chosen: ChosenInfo = {}): FdtNode {
  // Through the encoder and decoder, as the guest sees it.
  return decodeFdt(encodeFdt(virtDeviceTree(new Machine(opts), chosen))).root;
}
const at = (t: FdtNode, path: string): FdtNode => {
  const n = findNode(t, path);
  assert.ok(n, `node ${path}`);
  return n;
};
const u32s = (t: FdtNode, path: string, prop: string): number[] => propCells(getProp(at(t, path), prop)!);
const strs = (t: FdtNode, path: string, prop: string): string[] => propStrings(getProp(at(t, path), prop)!);

describe('virt device tree', () => {
  it('root: linux,dummy-virt, 2 address and size cells, the GIC as interrupt-parent', () => {
    const t = tree({});
    assert.deepStrictEqual(strs(t, '/', 'compatible'), ['linux,dummy-virt']);
    assert.deepStrictEqual(u32s(t, '/', '#address-cells'), [2]);
    assert.deepStrictEqual(u32s(t, '/', '#size-cells'), [2]);
    const gicPhandle = u32s(t, '/intc@8000000', 'phandle')[0];
    assert.deepStrictEqual(u32s(t, '/', 'interrupt-parent'), [gicPhandle]);
  });

  it('/memory@40000000 covers the configured RAM', () => {
    assert.deepStrictEqual(u32s(tree({ memoryMiB: 256 }), '/memory@40000000', 'reg'), [0, 0x40000000, 0, 0x10000000]);
    assert.deepStrictEqual(u32s(tree({ memoryMiB: 3072 }), '/memory@40000000', 'reg'), [0, 0x40000000, 0, 0xc0000000]);
    assert.deepStrictEqual(strs(tree({}), '/memory@40000000', 'device_type'), ['memory']);
  });

  it('/cpus: one cpu node per PE, reg = MPIDR affinity, enable-method psci with more than one (as QEMU)', () => {
    const t = tree({ cores: 4 });
    const cpus = at(t, '/cpus').children.filter((c) => c.name.startsWith('cpu@'));
    assert.deepStrictEqual(cpus.map((c) => c.name), ['cpu@0', 'cpu@1', 'cpu@2', 'cpu@3']);
    for (const [i, c] of cpus.entries()) {
      assert.deepStrictEqual(propCells(getProp(c, 'reg')!), [i]);
      assert.deepStrictEqual(propStrings(getProp(c, 'enable-method')!), ['psci']);
      assert.deepStrictEqual(propStrings(getProp(c, 'compatible')!), ['arm,cortex-a57']);
      assert.deepStrictEqual(propStrings(getProp(c, 'device_type')!), ['cpu']);
    }
    assert.deepStrictEqual(u32s(t, '/cpus', '#address-cells'), [1]);
    assert.deepStrictEqual(u32s(t, '/cpus', '#size-cells'), [0]);
    assert.strictEqual(at(t, '/cpus/cpu-map/socket0/cluster0').children.length, 4);
    assert.strictEqual(getProp(at(tree({ cores: 1 }), '/cpus/cpu@0'), 'enable-method'), undefined);
  });

  it('/psci: PSCI 1.0 compatibles, method smc when entering at EL2 and hvc at EL1', () => {
    const el2 = tree({ entryEL: 2 }), el1 = tree({ entryEL: 1 });
    assert.deepStrictEqual(strs(el2, '/psci', 'compatible'), ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci']);
    assert.deepStrictEqual(strs(el2, '/psci', 'method'), ['smc']);
    assert.deepStrictEqual(strs(el1, '/psci', 'method'), ['hvc']);
    assert.deepStrictEqual(u32s(el2, '/psci', 'cpu_on'), [0xc4000003]);
  });

  it('GICv2: arm,cortex-a15-gic with GICD, GICC, GICH, GICV and the maintenance PPI 9', () => {
    const t = tree({ gic: 'v2', cores: 2 });
    assert.deepStrictEqual(strs(t, '/intc@8000000', 'compatible'), ['arm,cortex-a15-gic']);
    assert.deepStrictEqual(u32s(t, '/intc@8000000', 'reg'), [
      0, 0x08000000, 0, 0x10000, 0, 0x08010000, 0, 0x10000, 0, 0x08030000, 0, 0x10000, 0, 0x08040000, 0, 0x10000]);
    assert.deepStrictEqual(u32s(t, '/intc@8000000', 'interrupts'), [1, 9, 4]);
    assert.deepStrictEqual(u32s(t, '/intc@8000000', '#interrupt-cells'), [3]);
    assert.ok(getProp(at(t, '/intc@8000000'), 'interrupt-controller'));
  });

  it('entered at EL1 (QEMU virt without virtualization=on): no GICH/GICV regions, no maintenance interrupt', () => {
    const v2 = tree({ gic: 'v2', entryEL: 1 });
    assert.deepStrictEqual(u32s(v2, '/intc@8000000', 'reg'), [0, 0x08000000, 0, 0x10000, 0, 0x08010000, 0, 0x10000]);
    assert.strictEqual(getProp(at(v2, '/intc@8000000'), 'interrupts'), undefined);
    assert.strictEqual(getProp(at(tree({ gic: 'v3', entryEL: 1 }), '/intc@8000000'), 'interrupts'), undefined);
  });

  it('GICv3: arm,gic-v3 with GICD and a redistributor region of one 128 KiB frame pair per PE', () => {
    const t = tree({ gic: 'v3', cores: 3 });
    assert.deepStrictEqual(strs(t, '/intc@8000000', 'compatible'), ['arm,gic-v3']);
    assert.deepStrictEqual(u32s(t, '/intc@8000000', 'reg'), [0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 3 * 0x20000]);
    assert.deepStrictEqual(u32s(t, '/intc@8000000', '#redistributor-regions'), [1]);
    assert.deepStrictEqual(u32s(t, '/intc@8000000', 'interrupts'), [1, 9, 4]);
  });

  it('/timer: PPIs 13, 14, 11, 10 level-high; with GICv2 the flags carry the CPU mask', () => {
    assert.deepStrictEqual(u32s(tree({ gic: 'v3', cores: 2 }), '/timer', 'interrupts'), [1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4]);
    assert.deepStrictEqual(u32s(tree({ gic: 'v2', cores: 2 }), '/timer', 'interrupts'), [1, 13, 0x304, 1, 14, 0x304, 1, 11, 0x304, 1, 10, 0x304]);
    assert.deepStrictEqual(u32s(tree({ gic: 'v2', cores: 1 }), '/timer', 'interrupts')[2], 0x104);
    assert.deepStrictEqual(strs(tree({}), '/timer', 'compatible'), ['arm,armv8-timer', 'arm,armv7-timer']);
  });

  it('/pl011@9000000 on SPI 1 with the 24 MHz apb-pclk, /pl031@9010000 on SPI 2; no nodes for devices the board does not model', () => {
    const m = new Machine({});
    const t = decodeFdt(encodeFdt(virtDeviceTree(m))).root;
    assert.deepStrictEqual(strs(t, '/pl011@9000000', 'compatible'), ['arm,pl011', 'arm,primecell']);
    assert.deepStrictEqual(u32s(t, '/pl011@9000000', 'reg'), [0, 0x09000000, 0, 0x1000]);
    assert.deepStrictEqual(u32s(t, '/pl011@9000000', 'interrupts'), [0, 1, 4]);
    const clk = u32s(t, '/apb-pclk', 'phandle')[0];
    assert.deepStrictEqual(u32s(t, '/pl011@9000000', 'clocks'), [clk, clk]);
    assert.deepStrictEqual(u32s(t, '/apb-pclk', 'clock-frequency'), [24_000_000]);
    const names = [...new Set(t.children.map((c) => c.name.split('@')[0]))].sort();
    const pmu = hasPmu(m) ? ['pmu'] : [];
    assert.deepStrictEqual(names, ['apb-pclk', 'chosen', 'cpus', 'intc', 'memory', 'pl011', 'pl031', ...pmu, 'psci', 'timer', 'virtio_mmio']);
    assert.deepStrictEqual(strs(t, '/pl031@9010000', 'compatible'), ['arm,pl031', 'arm,primecell']);
    assert.deepStrictEqual(u32s(t, '/pl031@9010000', 'reg'), [0, 0x09010000, 0, 0x1000]);
    assert.deepStrictEqual(u32s(t, '/pl031@9010000', 'interrupts'), [0, 2, 4]);
  });

  it('lists exactly the devices of Machine.devices (the 32 virtio-mmio transports lowest address first)', () => {
    const m = new Machine({});
    const t = virtDeviceTree(m);
    const virtio = t.children.filter((c) => c.name.startsWith('virtio_mmio@'));
    assert.deepStrictEqual(virtio.map((c) => c.name), Array.from({ length: 32 }, (_, i) => `virtio_mmio@${(0x0a000000 + 0x200 * i).toString(16)}`));
    // Edge-triggered SPI 16 + i, 0x200 bytes, DMA-coherent (hw/arm/virt.c create_virtio_devices).
    assert.deepStrictEqual(propCells(getProp(findNode(t, '/virtio_mmio@a000200')!, 'interrupts')!), [0, 17, 1]);
    assert.deepStrictEqual(propCells(getProp(findNode(t, '/virtio_mmio@a003e00')!, 'reg')!), [0, 0x0a003e00, 0, 0x200]);
    assert.ok(getProp(findNode(t, '/virtio_mmio@a003e00')!, 'dma-coherent'));
    m.devices.splice(m.devices.findIndex((d) => d.kind === 'pl031'), 1);
    assert.strictEqual(findNode(virtDeviceTree(m), '/pl031@9010000'), undefined, 'a device removed from the list loses its node');
  });

  it('/pmu (PPI 7) only when ID_AA64DFR0_EL1.PMUVer says the CPU has a PMU', () => {
    const m = new Machine({ gic: 'v2', cores: 2 });
    const withPmu = { ...m.model, ids: { ...m.model.ids, ID_AA64DFR0_EL1: [0x00000100, 0] as [number, number] } };
    const noPmu = { ...m.model, ids: { ...m.model.ids, ID_AA64DFR0_EL1: [0x00000006, 0] as [number, number] } };
    const impdef = { ...m.model, ids: { ...m.model.ids, ID_AA64DFR0_EL1: [0x00000f06, 0] as [number, number] } };
    (m as unknown as { model: unknown }).model = withPmu;
    assert.ok(hasPmu(m));
    assert.deepStrictEqual(propCells(getProp(findNode(virtDeviceTree(m), '/pmu')!, 'interrupts')!), [1, 7, 0x304]);
    (m as unknown as { model: unknown }).model = noPmu;
    assert.strictEqual(findNode(virtDeviceTree(m), '/pmu'), undefined);
    (m as unknown as { model: unknown }).model = impdef;
    assert.strictEqual(hasPmu(m), false);
  });

  it('/chosen: stdout-path, bootargs and the initrd range', () => {
    const t = tree({}, { bootargs: 'console=ttyAMA0 earlycon', initrd: { start: 0x48000000, end: 0x480186a0 } });
    assert.deepStrictEqual(strs(t, '/chosen', 'stdout-path'), ['/pl011@9000000']);
    assert.deepStrictEqual(strs(t, '/chosen', 'bootargs'), ['console=ttyAMA0 earlycon']);
    assert.deepStrictEqual(u32s(t, '/chosen', 'linux,initrd-start'), [0x48000000]);
    assert.deepStrictEqual(u32s(t, '/chosen', 'linux,initrd-end'), [0x480186a0]);
    const bare = tree({});
    assert.strictEqual(getProp(at(bare, '/chosen'), 'bootargs'), undefined);
    assert.strictEqual(getProp(at(bare, '/chosen'), 'linux,initrd-start'), undefined);
  });

  it('/chosen/rng-seed: 32 bytes from the RTC epoch (QEMU\'s size; the same epoch, the same seed), so Linux\'s CRNG starts seeded', () => {
    const seed = (epoch: number): number[] => [...getProp(at(tree({ rtcEpoch: epoch } as MachineOptions), '/chosen'), 'rng-seed')!];
    const a = seed(1704067200);
    assert.strictEqual(a.length, 32);
    assert.deepStrictEqual(seed(1704067200), a, 'deterministic');
    assert.notDeepStrictEqual(seed(1704067201), a, 'another epoch, another seed');
    assert.ok(new Set(a).size > 16, `not a constant fill: ${a}`);
  });

  it('dtc accepts the trees of every GIC version, EL and core count without warnings', function () {
    requireTool(this, DTC, 'device-tree-compiler');
    for (const opts of [{ gic: 'v2', cores: 1 }, { gic: 'v2', cores: 8, entryEL: 1 }, { gic: 'v3', cores: 1 }, { gic: 'v3', cores: 8, memoryMiB: 3072 }] as MachineOptions[]) {
      const r = dtcDecompile(encodeFdt(virtDeviceTree(new Machine(opts), { bootargs: 'a=b', initrd: { start: 0x48000000, end: 0x48001000 } })));
      assert.strictEqual(r.status, 0, `${JSON.stringify(opts)}: ${r.stderr}`);
      assert.strictEqual(r.stderr, '', JSON.stringify(opts));
      assert.match(r.dts, /bootargs = "a=b";/);
      assert.match(r.dts, new RegExp(`method = "${opts.entryEL === 1 ? 'hvc' : 'smc'}";`));
      assert.match(r.dts, opts.gic === 'v2' ? /compatible = "arm,cortex-a15-gic";/ : /compatible = "arm,gic-v3";/);
      assert.strictEqual(r.dts.match(/device_type = "cpu";/g)!.length, opts.cores);
    }
  });
});
