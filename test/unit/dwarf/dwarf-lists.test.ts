// Range and location lists (src/dwarf/lists.ts) on hand-built sections: the DWARF 5 entry
// kinds GCC does not emit for a plain executable (address-index forms, rnglistx/loclistx
// through the offsets array, default locations) and DWARF 4 base address selection.
import { strict as assert } from 'node:assert';
import type { Unit } from '../../../src/dwarf/info';
import { readLocList, readRanges } from '../../../src/dwarf/lists';
import { DwarfError } from '../../../src/dwarf/reader';
import { DW_LLE, DW_RLE } from '../../../src/dwarf/tables';

const le = (v: bigint, n: number): number[] => Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
const RLE = (n: string): number => DW_RLE.code.get(n)!;
const LLE = (n: string): number => DW_LLE.code.get(n)!;

function unit(version: number, over: Partial<Unit> = {}): Unit {
  return {
    offset: 0, end: 0, version, unitType: 1, offsetSize: 4, addressSize: 8, abbrevOffset: 0, root: undefined as never,
    strOffsetsBase: 0, addrBase: 8, loclistsBase: 12, rnglistsBase: 12, baseAddress: 0x1000n, ...over,
  };
}

// .debug_addr: an 8-byte header, then entries 0x4000, 0x5000.
const ADDR = new Uint8Array([...le(0n, 8), ...le(0x4000n, 8), ...le(0x5000n, 8)]);

describe('range and location lists (src/dwarf/lists.ts)', () => {
  it('reads every DW_RLE_* kind, a rnglistx index through the offsets array, and the unit base address', () => {
    // 12-byte table header (not read), offsets array [4] at base 12, then the list at 16.
    const list = [
      RLE('DW_RLE_offset_pair'), 0x10, 0x20, // base 0x1000 (the unit's low_pc)
      RLE('DW_RLE_base_addressx'), 1, // base = 0x5000
      RLE('DW_RLE_offset_pair'), 0x4, 0x8,
      RLE('DW_RLE_startx_endx'), 0, 1,
      RLE('DW_RLE_startx_length'), 0, 0x10,
      RLE('DW_RLE_base_address'), ...le(0x9000n, 8),
      RLE('DW_RLE_offset_pair'), 0, 4,
      RLE('DW_RLE_start_end'), ...le(0x100n, 8), ...le(0x200n, 8),
      RLE('DW_RLE_start_length'), ...le(0x300n, 8), 0x80, 0x01,
      RLE('DW_RLE_end_of_list'),
    ];
    const rnglists = new Uint8Array([...new Array(12).fill(0), ...le(4n, 4), ...list]);
    const u = unit(5);
    const want = [[0x1010n, 0x1020n], [0x5004n, 0x5008n], [0x4000n, 0x5000n], [0x4000n, 0x4010n], [0x9000n, 0x9004n], [0x100n, 0x200n], [0x300n, 0x380n]];
    const got = readRanges({ rnglists, addr: ADDR }, u, { kind: 'rnglistx', index: 0 }).map((r) => [r.begin, r.end]);
    assert.deepEqual(got, want);
    assert.deepEqual(readRanges({ rnglists, addr: ADDR }, u, { kind: 'sec_offset', offset: 16 }).map((r) => [r.begin, r.end]), want);
  });

  it('reads every DW_LLE_* kind, with loclistx and default locations', () => {
    const expr = [1, 0x50]; // DW_OP_reg0
    const list = [
      LLE('DW_LLE_GNU_view_pair'), 0, 1,
      LLE('DW_LLE_offset_pair'), 0, 8, ...expr,
      LLE('DW_LLE_base_addressx'), 0,
      LLE('DW_LLE_offset_pair'), 4, 8, ...expr,
      LLE('DW_LLE_startx_endx'), 0, 1, ...expr,
      LLE('DW_LLE_startx_length'), 1, 4, ...expr,
      LLE('DW_LLE_base_address'), ...le(0x7000n, 8),
      LLE('DW_LLE_start_end'), ...le(0x10n, 8), ...le(0x20n, 8), ...expr,
      LLE('DW_LLE_start_length'), ...le(0x30n, 8), 2, ...expr,
      LLE('DW_LLE_default_location'), 0,
      LLE('DW_LLE_end_of_list'),
    ];
    const loclists = new Uint8Array([...new Array(12).fill(0), ...le(4n, 4), ...list]);
    const got = readLocList({ loclists, addr: ADDR }, unit(5), { kind: 'loclistx', index: 0 });
    assert.deepEqual(got.map((e) => [e.begin, e.end, e.expr.length, !!e.isDefault]), [
      [0x1000n, 0x1008n, 1, false], [0x4004n, 0x4008n, 1, false], [0x4000n, 0x5000n, 1, false], [0x5000n, 0x5004n, 1, false],
      [0x10n, 0x20n, 1, false], [0x30n, 0x32n, 1, false], [0n, (1n << 64n) - 1n, 0, true],
    ]);
  });

  it('applies DWARF 4 base address selection entries in .debug_ranges and .debug_loc', () => {
    const max = (1n << 64n) - 1n;
    const ranges = new Uint8Array([...le(0x10n, 8), ...le(0x20n, 8), ...le(max, 8), ...le(0x8000n, 8), ...le(0x4n, 8), ...le(0x8n, 8), ...le(0n, 16)]);
    assert.deepEqual(readRanges({ ranges }, unit(4), { kind: 'sec_offset', offset: 0 }).map((r) => [r.begin, r.end]), [[0x1010n, 0x1020n], [0x8004n, 0x8008n]]);
    const loc = new Uint8Array([...le(max, 8), ...le(0x2000n, 8), ...le(0x0n, 8), ...le(0x8n, 8), 1, 0, 0x50, ...le(0n, 16)]);
    assert.deepEqual(readLocList({ loc }, unit(4), { kind: 'sec_offset', offset: 0 }).map((e) => [e.begin, e.end, e.expr[0]]), [[0x2000n, 0x2008n, 0x50]]);
  });

  it('names what is wrong with a bad list', () => {
    assert.throws(() => readRanges({ rnglists: new Uint8Array([0x42]) }, unit(5), { kind: 'sec_offset', offset: 0 }),
      (e: unknown) => e instanceof DwarfError && /\.debug_rnglists: range list entry kind 0x42 at offset 0x0 is not a DW_RLE_\* value/.test(e.message));
    assert.throws(() => readLocList({ loclists: new Uint8Array([LLE('DW_LLE_startx_endx'), 0, 1, 0]) }, unit(5), { kind: 'sec_offset', offset: 0 }),
      /uses an address index but the file has no \.debug_addr/);
    assert.throws(() => readRanges({}, unit(4), { kind: 'sec_offset', offset: 0 }), /no \.debug_ranges/);
    assert.throws(() => readLocList({ loc: new Uint8Array(10) }, unit(4), { kind: 'sec_offset', offset: 0 }), /\.debug_loc: location list end at offset 0x8 runs past/);
  });
});
