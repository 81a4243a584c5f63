// The ARMVIRT ELF note (src/asm/armvirt-note.ts): `.armvirt entry_el, N` and the same note
// written by hand give the same bytes, the ELF writer marks the section SHT_NOTE and keeps it
// out of memory, the ELF reader and loadProgram find it, and bad notes are named.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemble } from '../../../src/asm/assembler';
import { writeElf } from '../../../src/asm/elf-writer';
import { parseElf, ElfError, SHT_NOTE } from '../../../src/asm/elf';
import { loadProgram, ProgramError } from '../../../src/asm/program';
import { armvirtNoteInfo, encodeNote, entryElNote, parseNotes, NoteError, NT_ARMVIRT_ENTRY_EL } from '../../../src/asm/armvirt-note';

const PROGRAM = '        .text\n_start: mov x0, #1\n        b .\n';
const BY_HAND = [
  '        .pushsection .note.armvirt, "", %note',
  '        .balign 4',
  '        .long   8',
  '        .long   4',
  '        .long   1',
  '        .asciz  "ARMVIRT"',
  '        .long   1',
  '        .popsection',
].join('\n') + '\n';

describe('ARMVIRT note', () => {
  it('.armvirt entry_el, 1 writes the same non-allocated SHT_NOTE section as the GNU as snippet', () => {
    const dir = assemble('        .armvirt entry_el, 1\n' + PROGRAM, { fileName: 'a.s' });
    const hand = assemble(BY_HAND + PROGRAM, { fileName: 'b.s' });
    assert.deepEqual([...dir.errors, ...hand.errors], []);
    const a = dir.sections.find((s) => s.name === '.note.armvirt')!;
    const b = hand.sections.find((s) => s.name === '.note.armvirt')!;
    assert.ok(a && b);
    assert.deepEqual([...a.data], [...b.data]);
    assert.deepEqual([...a.data], [8, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, ...Buffer.from('ARMVIRT\0'), 1, 0, 0, 0]);
    assert.equal(a.note, true);
    assert.equal(a.flags.alloc, false);
    // The code is where it was without the note.
    assert.deepEqual(dir.sections.find((s) => s.name === '.text')!.address, 0x40000000n);
  });

  it('goes through writeElf → parseElf as a SHT_NOTE section outside every PT_LOAD', () => {
    const r = assemble('        .armvirt entry_el, 1\n' + PROGRAM, { fileName: 'a.s' });
    const elf = parseElf(writeElf(r));
    const sec = elf.sections.find((s) => s.name === '.note.armvirt')!;
    assert.equal(sec.type, SHT_NOTE);
    assert.equal(sec.flags, 0n);
    assert.equal(elf.segments.length, 1);
    assert.ok(elf.segments.every((s) => sec.offset >= s.offset + BigInt(s.data.length) || sec.offset + sec.size <= s.offset));
    assert.deepEqual(elf.notes.map((n) => [n.owner, n.type, [...n.desc]]), [['ARMVIRT', NT_ARMVIRT_ENTRY_EL, [1, 0, 0, 0]]]);
    assert.deepEqual(armvirtNoteInfo(elf.notes), { entryEL: 1 });
  });

  it('loadProgram reports the entry EL of an assembly source and of its ELF; none without the note', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-note-'));
    try {
      const src = path.join(tmp, 'p.S');
      fs.writeFileSync(src, '        .armvirt entry_el, 1\n' + PROGRAM);
      assert.equal(loadProgram(src).entryEL, 1);
      const elf = path.join(tmp, 'p.elf');
      fs.writeFileSync(elf, writeElf(assemble(fs.readFileSync(src, 'utf8'), { fileName: src })));
      assert.equal(loadProgram(elf).entryEL, 1);
      const two = path.join(tmp, 'two.S');
      fs.writeFileSync(two, '        .armvirt entry_el, 2\n' + PROGRAM);
      assert.equal(loadProgram(two).entryEL, 2);
      const plain = path.join(tmp, 'plain.S');
      fs.writeFileSync(plain, PROGRAM);
      assert.equal(loadProgram(plain).entryEL, undefined);
      // A hand-written note that says EL3 is refused with the reason.
      const el3 = path.join(tmp, 'el3.S');
      fs.writeFileSync(el3, BY_HAND.replace(/\.long {3}1\n {8}\.popsection/, '.long   3\n        .popsection') + PROGRAM);
      assert.throws(() => loadProgram(el3), (e: unknown) => e instanceof ProgramError && /entry-EL note says EL3/.test(e.message));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('names bad notes: descriptor size, EL, disagreement, truncation; ignores other owners and types', () => {
    const desc = (v: number): Uint8Array => Uint8Array.of(v, 0, 0, 0);
    assert.deepEqual(armvirtNoteInfo(parseNotes(encodeNote('GNU', 1, desc(7)))), {});
    assert.deepEqual(armvirtNoteInfo(parseNotes(encodeNote('ARMVIRT', 99, desc(7)))), {});
    assert.throws(() => armvirtNoteInfo(parseNotes(encodeNote('ARMVIRT', 1, Uint8Array.of(1, 0)))), /2-byte descriptor; expected 4/);
    assert.throws(() => armvirtNoteInfo(parseNotes(entryElNote(0))), /says EL0/);
    const both = new Uint8Array([...entryElNote(1), ...entryElNote(2)]);
    assert.throws(() => armvirtNoteInfo(parseNotes(both)), /notes disagree \(EL1 and EL2\)/);
    assert.throws(() => parseNotes(entryElNote(1).subarray(0, 20)), (e: unknown) => e instanceof NoteError && /extends beyond its section/.test(e.message));
    // In an ELF, a truncated note is an ElfError naming the section.
    const r = assemble('        .armvirt entry_el, 1\n' + PROGRAM, { fileName: 'a.s' });
    const bytes = writeElf(r);
    const elf = parseElf(bytes);
    const sec = elf.sections.find((s) => s.name === '.note.armvirt')!;
    // Claim a descriptor of 0x100 bytes.
    new DataView(bytes.buffer).setUint32(Number(sec.offset) + 4, 0x100, true);
    assert.throws(() => parseElf(bytes), (e: unknown) => e instanceof ElfError && /note section \.note\.armvirt: note entry at offset 0/.test(e.message));
    // The same damage in another tool's note section is not ours to judge: skipped.
    const other = writeElf(assemble('        .pushsection .note.other, "", %note\n        .long 8, 0x100, 1\n        .asciz "ARMVIRT"\n        .popsection\n' + PROGRAM, { fileName: 'o.s' }));
    const o = parseElf(other);
    assert.ok(o.sections.some((s) => s.name === '.note.other' && s.type === SHT_NOTE));
    assert.deepEqual(o.notes, []);
  });

  it('a name size near 2^32 is refused, not padded to 0 (it once read 4 GiB of name and ran out of heap)', () => {
    for (const namesz of [0xfffffffd, 0xffffffff, 0x80000000]) {
      const n = entryElNote(1);
      new DataView(n.buffer, n.byteOffset).setUint32(0, namesz, true);
      assert.throws(() => parseNotes(n), (e: unknown) => e instanceof NoteError && /name size \d+.*extends beyond its section/.test(e.message), `namesz 0x${namesz.toString(16)}`);
      const d = entryElNote(1);
      new DataView(d.buffer, d.byteOffset).setUint32(4, namesz, true);
      assert.throws(() => parseNotes(d), NoteError, `descsz 0x${namesz.toString(16)}`);
    }
  });
});
