// Machine.load checks every segment against RAM before writing anything: a program header with
// a huge p_memsz or an address outside RAM is refused with a message naming the segment, and a
// large in-RAM .bss costs no memory (pages never touched stay unallocated).
import { strict as assert } from 'node:assert';
import { Machine } from '../../../src/sim/machine';
import { parseElf } from '../../../src/asm/elf';
import { assemble } from '../../../src/asm/assembler';
import { writeElf } from '../../../src/asm/elf-writer';

const RAM = 0x40000000;

function elfSegments(patch?: (dv: DataView, phoff: number) => void) {
  const r = assemble('_start: mov x0, #1\n b .\n', { fileName: 'l.s' });
  assert.deepEqual(r.errors, []);
  const bytes = writeElf(r);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  patch?.(dv, Number(dv.getBigUint64(32, true)));
  const elf = parseElf(bytes);
  return elf.segments.map((s) => ({ addr: Number(s.paddr), data: s.data, memsz: Number(s.memsz) }));
}

describe('Machine.load: segments are validated before anything is written', () => {
  it('refuses a p_memsz far beyond RAM with a message naming the segment, without allocating it', () => {
    const segs = elfSegments((dv, ph) => dv.setBigUint64(ph + 40, 0xff_ffff_ffffn, true));
    const m = new Machine({ memoryMiB: 64 });
    const heap = process.memoryUsage().arrayBuffers;
    assert.throws(() => m.load(segs, RAM), /segment 0 at 0x40000000 \(0xffffffffff bytes in memory\) is outside RAM 0x40000000\.\.0x44000000/);
    assert.ok(process.memoryUsage().arrayBuffers - heap < 16 << 20, 'no allocation of the segment size');
    assert.equal(m.mem.allocated.length, 0, 'nothing was written');
  });

  it('refuses a segment that starts below RAM', () => {
    const m = new Machine({ memoryMiB: 64 });
    assert.throws(() => m.load([{ addr: 0x1000, data: new Uint8Array(16) }], 0x1000), /segment 0 at 0x1000 .* is outside RAM/);
  });

  it('refuses memsz smaller than the file size', () => {
    const m = new Machine({ memoryMiB: 64 });
    assert.throws(() => m.load([{ addr: RAM, data: new Uint8Array(16), memsz: 8 }], RAM), /memory size 8 is smaller than its file size 16/);
  });

  it('a 512 MiB .bss inside RAM loads without allocating its pages, and zero-fills pages already used', () => {
    const m = new Machine({ memoryMiB: 1024 });
    // First touch the page where the .bss will begin, as a previous program would have.
    m.load([{ addr: RAM + 0x1000, data: new Uint8Array(4096).fill(0xaa) }], RAM);
    assert.equal(m.mem.peek(RAM + 0x1800), 0xaa);
    m.load([{ addr: RAM, data: new Uint8Array(0x1000).fill(1), memsz: 512 << 20 }], RAM);
    assert.equal(m.mem.peek(RAM + 0x1800), 0, 'the .bss part of a used page is zeroed');
    assert.equal(m.mem.peek(RAM + 0xfff), 1);
    assert.ok(m.mem.allocated.length <= 2, `${m.mem.allocated.length} pages allocated`);
  });
});
