// The FDT encoder and decoder (src/sim/boot/fdt.ts): round trips through our own decoder and
// through Debian's dtc in both directions, and errors that name the field at fault.
import * as assert from 'node:assert';
import {
  cells, cells64, decodeFdt, empty, encodeFdt, findNode, getProp, node, propCells, propStrings, str, strList, FdtError, type FdtNode,
} from '../../../../src/sim/boot/fdt';
import { DTC, dtcCompile, dtcDecompile, requireTool } from './tools';

function sample(): FdtNode {
  return node('', { '#address-cells': cells(2), '#size-cells': cells(2), compatible: str('test,board') }, [
    node('memory@40000000', { device_type: str('memory'), reg: cells64(0x40000000, 0x20000000) }),
    node('cpus', { '#address-cells': cells(1), '#size-cells': cells(0) }, [
      node('cpu@0', { reg: cells(0), compatible: str('arm,cortex-a57') }),
      node('cpu@1', { reg: cells(1), compatible: str('arm,cortex-a57') }),
    ]),
    node('chosen', { bootargs: str('console=ttyAMA0'), 'linux,initrd-start': cells(0x48000000), odd: new Uint8Array([1, 2, 3]) }),
    node('flag', { 'always-on': empty(), list: strList('a', 'bc', '') }),
  ]);
}

describe('FDT encoder/decoder (DTB v17)', () => {
  it('encodes the header, reservations and blocks that the decoder reads back unchanged', () => {
    const tree = sample();
    const blob = encodeFdt(tree, { bootCpuidPhys: 1, reservations: [{ address: 0x48000000n, size: 0x1000n }] });
    const v = new DataView(blob.buffer);
    assert.strictEqual(v.getUint32(0), 0xd00dfeed);
    assert.strictEqual(v.getUint32(4), blob.length, 'totalsize');
    assert.strictEqual(v.getUint32(20), 17, 'version');
    assert.strictEqual(v.getUint32(24), 16, 'last_comp_version');
    assert.strictEqual(v.getUint32(16) % 8, 0, 'off_mem_rsvmap is 8-byte aligned');
    assert.strictEqual(v.getUint32(8) % 4, 0, 'off_dt_struct is 4-byte aligned');
    const d = decodeFdt(blob);
    assert.deepStrictEqual(d.root, tree);
    assert.deepStrictEqual(d.reservations, [{ address: 0x48000000n, size: 0x1000n }]);
    assert.strictEqual(d.bootCpuidPhys, 1);
    assert.strictEqual(d.version, 17);
  });

  it('shares property names in the strings block', () => {
    const blob = encodeFdt(sample());
    const sizeStrings = new DataView(blob.buffer).getUint32(32);
    const names = new Set<string>();
    const walk = (n: FdtNode): void => { n.props.forEach((p) => names.add(p.name)); n.children.forEach(walk); };
    walk(sample());
    assert.strictEqual(sizeStrings, [...names].reduce((s, n) => s + n.length + 1, 0));
  });

  it('queries: paths with and without unit addresses, cells and string lists', () => {
    const t = sample();
    assert.deepStrictEqual(propCells(getProp(findNode(t, '/memory')!, 'reg')!), [0, 0x40000000, 0, 0x20000000]);
    assert.strictEqual(findNode(t, '/cpus/cpu@1')!.name, 'cpu@1');
    assert.strictEqual(findNode(t, '/cpus/cpu'), undefined, 'ambiguous without the unit address');
    assert.deepStrictEqual(propStrings(getProp(findNode(t, '/flag')!, 'list')!), ['a', 'bc', '']);
  });

  describe('errors name the field', () => {
    const good = (): Uint8Array => encodeFdt(sample());
    const patch = (off: number, value: number): Uint8Array => { const b = good(); new DataView(b.buffer).setUint32(off, value); return b; };
    const cases: [string, () => Uint8Array, RegExp][] = [
      ['magic', () => patch(0, 0xfeedd00d), /^DTB magic: 0xfeedd00d is not 0xd00dfeed/],
      ['totalsize', () => patch(4, 0x100000), /^DTB totalsize: 1048576 is outside/],
      ['off_dt_struct alignment', () => patch(8, 0x39), /^DTB off_dt_struct: 0x39 is not 4-byte aligned/],
      ['off_dt_strings range', () => patch(12, 0xfffff0), /^DTB off_dt_strings: block 0xfffff0/],
      ['off_mem_rsvmap alignment', () => patch(16, 0x2c), /^DTB off_mem_rsvmap: 0x2c is not 8-byte aligned/],
      ['version', () => patch(20, 3), /^DTB version: 3/],
      ['last_comp_version', () => patch(24, 18), /^DTB last_comp_version: 18/],
      ['truncated header', () => good().subarray(0, 20), /^DTB header: 20 bytes/],
    ];
    for (const [name, make, re] of cases) {
      it(name, () => assert.throws(() => decodeFdt(make()), (e: unknown) => e instanceof FdtError && re.test((e as Error).message)));
    }
    it('a property name offset outside the strings block', () => {
      const b = good();
      const v = new DataView(b.buffer);
      // First FDT_PROP: after the root's FDT_BEGIN_NODE token and its empty, padded name.
      const p = v.getUint32(8) + 8;
      assert.strictEqual(v.getUint32(p), 3, 'FDT_PROP');
      v.setUint32(p + 8, 0x7fff);
      assert.throws(() => decodeFdt(b), /DTB FDT_PROP nameoff: 32767 is outside the strings block/);
    });
    it('an unknown token', () => {
      const b = good();
      const v = new DataView(b.buffer);
      v.setUint32(v.getUint32(8) + 8, 7);
      assert.throws(() => decodeFdt(b), /DTB structure block: unexpected token 0x7/);
    });
  });

  describe('against dtc (Debian device-tree-compiler)', () => {
    before(function () { requireTool(this, DTC, 'device-tree-compiler'); });

    it('dtc decompiles our blob to the same nodes and values, without warnings', () => {
      const r = dtcDecompile(encodeFdt(sample(), { reservations: [{ address: 0x48000000n, size: 0x1000n }] }));
      assert.strictEqual(r.status, 0, r.stderr);
      assert.strictEqual(r.stderr, '');
      assert.match(r.dts, /\/memreserve\/\s+0x0000000048000000 0x0000000000001000;/);
      assert.match(r.dts, /memory@40000000 \{\s+device_type = "memory";\s+reg = <0x00 0x40000000 0x00 0x20000000>;/);
      assert.match(r.dts, /cpu@1 \{\s+reg = <0x01>;/);
      assert.match(r.dts, /bootargs = "console=ttyAMA0";/);
      assert.match(r.dts, /odd = \[01 02 03\];/);
      assert.match(r.dts, /always-on;/);
    });

    it('our decoder reads what dtc compiles, and re-encoding it gives a tree dtc prints identically', () => {
      const src = `/dts-v1/;\n/memreserve/ 0x50000000 0x2000;\n/ {\n\t#address-cells = <2>;\n\tmodel = "x";\n\tn@1 {\n\t\treg = <1 2>;\n\t\tb = [ab cd];\n\t\tl = "p", "q";\n\t\te;\n\t};\n};\n`;
      const blob = dtcCompile(src);
      const d = decodeFdt(blob);
      const n = findNode(d.root, '/n@1')!;
      assert.deepStrictEqual(propCells(getProp(n, 'reg')!), [1, 2]);
      assert.deepStrictEqual([...getProp(n, 'b')!], [0xab, 0xcd]);
      assert.deepStrictEqual(propStrings(getProp(n, 'l')!), ['p', 'q']);
      assert.strictEqual(getProp(n, 'e')!.length, 0);
      assert.deepStrictEqual(d.reservations, [{ address: 0x50000000n, size: 0x2000n }]);
      const again = encodeFdt(d.root, { reservations: d.reservations, bootCpuidPhys: d.bootCpuidPhys });
      assert.strictEqual(dtcDecompile(again).dts, dtcDecompile(blob).dts);
    });
  });
});
