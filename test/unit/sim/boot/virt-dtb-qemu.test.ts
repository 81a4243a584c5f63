// The generated tree against QEMU's own (`qemu-system-aarch64 -M virt,…,dumpdtb=FILE` with the
// same -smp/-m/-kernel/-initrd/-append): every node we emit exists in QEMU's tree with the same
// properties and values (phandle references compared by the node they point to), except the
// documented differences; and every QEMU node we leave out is one of the devices we do not model.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Machine, type MachineOptions } from '../../../../src/sim/machine';
import { decodeFdt, propCells, type FdtNode, type FdtProperty } from '../../../../src/sim/boot/fdt';
import { planBoot } from '../../../../src/sim/boot/linux-boot';
import { buildProbeImage } from './probe-image';
import { QEMU, requireTool } from './tools';

/** Properties whose value is a phandle (or a list of them): compared by the node they name. */
const PHANDLE_PROPS = new Set(['interrupt-parent', 'clocks', 'cpu', 'phandle']);
/** QEMU virt nodes of devices the board does not model (README "Limits", virt-dtb.ts); the PL031 and the 32 virtio_mmio transports are compared. */
const NOT_MODELLED = /^\/(platform-bus@c000000|fw-cfg@9020000|gpio-keys(\/.*)?|pl061@9030000|pcie@10000000|flash@0|intc@8000000\/(its@8080000|v2m@8020000))$/;

function index(root: FdtNode): { nodes: Map<string, FdtNode>; byPhandle: Map<number, string> } {
  const nodes = new Map<string, FdtNode>();
  const byPhandle = new Map<number, string>();
  const walk = (n: FdtNode, p: string): void => {
    nodes.set(p, n);
    const ph = n.props.find((x) => x.name === 'phandle');
    if (ph) byPhandle.set(propCells(ph.value)[0], p);
    for (const c of n.children) walk(c, `${p === '/' ? '' : p}/${c.name}`);
  };
  walk(root, '/');
  return { nodes, byPhandle };
}

describe('virt device tree against QEMU 7.2\'s (dumpdtb)', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    requireTool(this, QEMU, 'qemu-system-arm');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-qdtb-'));
    fs.writeFileSync(path.join(dir, 'probe.img'), buildProbeImage());
    fs.writeFileSync(path.join(dir, 'initrd'), new Uint8Array(70_000));
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  const configs: MachineOptions[] = [
    { gic: 'v3', cores: 1 },
    { gic: 'v3', cores: 4, memoryMiB: 2048 },
    { gic: 'v2', cores: 2, memoryMiB: 256 },
    { gic: 'v2', cores: 8, entryEL: 1 },
    { gic: 'v3', cores: 2, entryEL: 1, cpu: 'max' },
  ];
  for (const o of configs) {
    it(JSON.stringify(o), () => {
      const out = path.join(dir, 'q.dtb');
      const el2 = (o.entryEL ?? 2) === 2;
      const q = spawnSync(QEMU, [
        '-M', `virt${el2 ? ',virtualization=on' : ''},gic-version=${o.gic === 'v2' ? 2 : 3},dumpdtb=${out}`,
        '-cpu', o.cpu ?? 'cortex-a57', '-smp', String(o.cores ?? 1), '-m', String(o.memoryMiB ?? 1024),
        '-display', 'none', '-nic', 'none', '-kernel', path.join(dir, 'probe.img'), '-initrd', path.join(dir, 'initrd'), '-append', 'console=ttyAMA0 x=1',
      ], { encoding: 'utf8', timeout: 20_000 });
      assert.strictEqual(q.status, 0, q.stderr);
      const theirs = index(decodeFdt(fs.readFileSync(out)).root);
      const plan = planBoot(new Machine(o), { kernel: { kind: 'binary', bytes: buildProbeImage() }, initrd: new Uint8Array(70_000), append: 'console=ttyAMA0 x=1' });
      const ours = index(decodeFdt(plan.dtb).root);

      const differences: string[] = [];
      for (const [p, n] of ours.nodes) {
        const t = theirs.nodes.get(p);
        if (!t) { differences.push(`${p}: not in QEMU's tree`); continue; }
        for (const prop of n.props) {
          const tp: FdtProperty | undefined = t.props.find((x) => x.name === prop.name);
          if (!tp) { differences.push(`${p} ${prop.name}: not in QEMU's node`); continue; }
          let a: unknown = [...prop.value], b: unknown = [...tp.value];
          // rng-seed: QEMU's bytes are random, ours come from the RTC epoch; the size must agree.
          if (p === '/chosen' && prop.name === 'rng-seed') { a = prop.value.length; b = tp.value.length; }
          if (PHANDLE_PROPS.has(prop.name)) {
            a = propCells(prop.value).map((h) => ours.byPhandle.get(h));
            b = propCells(tp.value).map((h) => theirs.byPhandle.get(h));
          }
          // Documented difference: QEMU sizes the GICv3 redistributor region for 123 PEs; ours
          // covers the GICR frames of the PEs the machine has (virt-dtb.ts).
          if (p === '/intc@8000000' && prop.name === 'reg' && o.gic !== 'v2') {
            const mine: number[] = propCells(prop.value), qemu: number[] = propCells(tp.value);
            assert.deepStrictEqual(mine.slice(0, 7), qemu.slice(0, 7), 'GICD, GICR base');
            assert.strictEqual(qemu[7], 0xf60000);
            assert.strictEqual(mine[7], (o.cores ?? 1) * 0x20000);
            continue;
          }
          if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${p} ${prop.name}: ours ${JSON.stringify(a)}, QEMU ${JSON.stringify(b)}`);
        }
        // A property QEMU has that we leave out on purpose: /chosen's KASLR seed.
        for (const tp of t.props) {
          if (!n.props.some((x) => x.name === tp.name) && !(p === '/chosen' && tp.name === 'kaslr-seed')) {
            differences.push(`${p} ${tp.name}: only in QEMU's node`);
          }
        }
      }
      for (const p of theirs.nodes.keys()) {
        if (!ours.nodes.has(p) && !NOT_MODELLED.test(p)) differences.push(`${p}: only in QEMU's tree`);
      }
      assert.deepStrictEqual(differences, []);
    });
  }
});
