// ELF64 writer and loader: round trip, GNU tools reading our output, clear
// errors for broken inputs, and a mutation fuzz where only ElfError may escape.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemble } from '../../../src/asm/assembler';
import { ElfError, parseElf } from '../../../src/asm/elf';
import { writeElf } from '../../../src/asm/elf-writer';
import { requireBinutils } from './gnu';

const SRC = [
  '        .text',
  '        .global _start',
  '        .type _start, %function',
  '_start: mov x0, #1',
  '        ldr x1, =message',
  '        b 1f',
  '        .word 0x12345678',
  '1:      ret',
  '        .size _start, . - _start',
  '        .data',
  '        .global message',
  '        .type message, %object',
  'message: .asciz "hello"',
  '        .size message, . - message',
  '        .bss',
  'buffer: .skip 256',
  '        .equ CONST, 0x1234',
].join('\n');

function build(): Uint8Array {
  const r = assemble(SRC, { fileName: 'elf.s' });
  assert.deepEqual(r.errors, []);
  return writeElf(r);
}

function tmpFile(bytes: Uint8Array): { file: string; done: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-elf-'));
  const file = path.join(dir, 'a.elf');
  fs.writeFileSync(file, bytes);
  return { file, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function elfError(bytes: Uint8Array): string {
  try {
    parseElf(bytes);
  } catch (e) {
    assert.ok(e instanceof ElfError, `expected ElfError, got ${(e as Error)?.stack}`);
    return e.message;
  }
  return 'no error';
}

describe('ELF writer and loader', () => {
  const bytes = build();

  it('round-trips entry, segments, sections and symbols', () => {
    const img = parseElf(bytes);
    assert.equal(img.type, 2);
    assert.equal(img.machine, 183);
    assert.equal(img.entry, 0x4000_0000n);
    assert.deepEqual(
      img.segments.map((s) => [s.vaddr, s.paddr, s.data.length, s.memsz, s.flags]),
      [
        [0x4000_0000n, 0x4000_0000n, 32, 32n, 5],
        [0x4000_0020n, 0x4000_0020n, 6, 6n, 6],
        [0x4000_0028n, 0x4000_0028n, 0, 256n, 6],
      ],
    );
    assert.deepEqual(img.sections.map((s) => s.name), ['', '.text', '.data', '.bss', '.symtab', '.strtab', '.shstrtab']);
    const sym = new Map(img.symbols.map((s) => [s.name, s]));
    assert.deepEqual([sym.get('_start')!.value, sym.get('_start')!.size, sym.get('_start')!.type, sym.get('_start')!.bind], [0x4000_0000n, 20n, 2, 1]);
    assert.deepEqual([sym.get('message')!.type, sym.get('message')!.size], [1, 6n]);
    assert.equal(sym.get('CONST')!.shndx, 0xfff1);
    assert.equal(sym.get('buffer')!.bind, 0);
    // Mapping symbols: code, data word, code, literal pool.
    const maps = img.symbols.filter((s) => s.name === '$x' || s.name === '$d').map((s) => `${s.name}@${(s.value - 0x4000_0000n).toString(16)}`);
    assert.deepEqual(maps, ['$x@0', '$d@c', '$x@10', '$d@14', '$d@20']);
    // The data of segment 0 is the .text contents.
    const r = assemble(SRC, { fileName: 'elf.s' });
    assert.deepEqual(img.segments[0].data, r.sections[0].data);
  });

  it('is read cleanly by objdump -d and readelf -a', function () {
    requireBinutils(this);
    const t = tmpFile(bytes);
    try {
      const d = spawnSync('aarch64-linux-gnu-objdump', ['-d', t.file], { encoding: 'utf8' });
      assert.equal(d.status, 0, d.stderr);
      assert.equal(d.stderr, '');
      assert.match(d.stdout, /<_start>:/);
      assert.match(d.stdout, /mov\s+x0, #0x1/);
      assert.match(d.stdout, /\.word\s+0x12345678/); // data in .text shown as data ($d)
      assert.match(d.stdout, /\bret\b/);
      const e = spawnSync('aarch64-linux-gnu-readelf', ['-a', '-W', t.file], { encoding: 'utf8' });
      assert.equal(e.status, 0, e.stderr);
      assert.equal(e.stderr, '');
      assert.match(e.stdout, /Type:\s+EXEC/);
      assert.match(e.stdout, /Machine:\s+AArch64/);
      assert.match(e.stdout, /LOAD\s+0x[0-9a-f]+ 0x0000000040000000 0x0000000040000000 0x000020 0x000020 R E/);
      assert.match(e.stdout, /LOAD\s+0x[0-9a-f]+ 0x0000000040000028 0x0000000040000028 0x000000 0x000100 RW/);
      assert.match(e.stdout, /FUNC\s+GLOBAL\s+DEFAULT\s+1 _start/);
      assert.match(e.stdout, /OBJECT\s+GLOBAL\s+DEFAULT\s+2 message/);
    } finally {
      t.done();
    }
  });

  it('reads objects and executables made by GNU as and ld', function () {
    requireBinutils(this);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-elf-gnu-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.s'), SRC);
      const a = spawnSync('aarch64-linux-gnu-as', ['-o', 'a.o', 'a.s'], { cwd: dir, encoding: 'utf8' });
      assert.equal(a.status, 0, a.stderr);
      const l = spawnSync('aarch64-linux-gnu-ld', ['-Ttext=0x40000000', '-o', 'a.elf', 'a.o'], { cwd: dir, encoding: 'utf8' });
      assert.equal(l.status, 0, l.stderr);
      const obj = parseElf(new Uint8Array(fs.readFileSync(path.join(dir, 'a.o'))));
      assert.equal(obj.type, 1);
      assert.ok(obj.symbols.some((s) => s.name === '_start'));
      const exe = parseElf(new Uint8Array(fs.readFileSync(path.join(dir, 'a.elf'))));
      assert.equal(exe.entry, 0x4000_0000n);
      assert.ok(exe.segments.length >= 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('errors name the problem', () => {
    const set = (b: Uint8Array, off: number, v: number[]): Uint8Array => {
      const c = b.slice();
      c.set(v, off);
      return c;
    };
    const u16 = (v: number): number[] => [v & 0xff, v >> 8];
    const u64 = (v: bigint): number[] => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
    const cases: [string, () => Uint8Array, string][] = [
      ['empty input', () => new Uint8Array(0), 'not an ELF file (bad magic)'],
      ['bad magic', () => set(bytes, 0, [0x7f, 0x45, 0x4c, 0x47]), 'not an ELF file (bad magic)'],
      ['a text file', () => new TextEncoder().encode('#!/bin/sh\necho hi\n'), 'not an ELF file (bad magic)'],
      ['truncated identification', () => bytes.slice(0, 10), 'ELF identification is truncated (10 of 16 bytes)'],
      ['32-bit class', () => set(bytes, 4, [1]), 'ELF class is 32-bit; only ELF64 is supported'],
      ['invalid class', () => set(bytes, 4, [7]), 'invalid ELF class 7; expected 2 (ELF64)'],
      ['big-endian', () => set(bytes, 5, [2]), 'ELF data encoding is big-endian; only little-endian is supported'],
      ['truncated header', () => bytes.slice(0, 40), 'ELF header is truncated (40 of 64 bytes)'],
      ['x86-64 machine', () => set(bytes, 18, u16(62)), 'ELF machine is x86-64 (62); expected AArch64 (183)'],
      ['unknown machine', () => set(bytes, 18, u16(9999)), 'ELF machine is unknown (9999); expected AArch64 (183)'],
      ['bad phentsize', () => set(bytes, 54, u16(32)), 'program header entry size is 32; expected 56'],
      ['phdrs past the end', () => set(bytes, 32, u64(BigInt(bytes.length - 8))), 'program header table extends beyond the end of the file'],
      ['segment past the end', () => set(bytes, 64 + 56 * 1 + 32, u64(0x100000n)), 'program header 1 extends beyond the end of the file'],
      ['file size above memory size', () => set(bytes, 64 + 56 * 1 + 32, u64(7n)), 'program header 1: file size 0x7 is larger than memory size 0x6'],
      ['segment offset past the end', () => set(bytes, 64 + 56 * 2 + 8, u64(BigInt(bytes.length) + 1n)), 'program header 2 extends beyond the end of the file'],
      ['wrapping segment', () => set(set(bytes, 64 + 16, u64(0xffff_ffff_ffff_fff0n)), 64 + 24, u64(0xffff_ffff_ffff_fff0n)), 'program header 0: segment at 0xfffffffffffffff0 of 0x20 bytes wraps around the address space'],
      ['section table past the end', () => set(bytes, 40, u64(BigInt(bytes.length - 10))), 'section header table extends beyond the end of the file'],
      ['bad shentsize', () => set(bytes, 58, u16(40)), 'section header entry size is 40; expected 64'],
      ['bad shstrndx', () => set(bytes, 62, u16(50)), 'section name table index 50 is out of range (7 sections)'],
      ['truncated file', () => bytes.slice(0, bytes.length - 100), 'section header table extends beyond the end of the file'],
    ];
    for (const [name, make, want] of cases) it(name, () => assert.equal(elfError(make()), want));
  });

  it('survives 10^4 random mutations and truncations with ElfError only', () => {
    let x = 0x1234_5678;
    const rnd = (): number => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x / 0x1_0000_0000;
    };
    let parsed = 0;
    let failed = 0;
    for (let i = 0; i < 10_000; i++) {
      let b = bytes.slice();
      const kind = i % 4;
      if (kind === 0) b = b.slice(0, Math.floor(rnd() * b.length));
      const n = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < n && b.length > 0; k++) {
        // Bias mutations towards the headers, where the structure lives.
        const at = rnd() < 0.6 ? Math.floor(rnd() * Math.min(b.length, 64 + 3 * 56)) : Math.floor(rnd() * b.length);
        b[at] = kind === 1 ? 0xff : Math.floor(rnd() * 256);
      }
      if (kind === 3 && b.length > 70) b[64 - 24 + Math.floor(rnd() * 8)] = Math.floor(rnd() * 256); // shoff
      try {
        const img = parseElf(b);
        parsed++;
        for (const s of img.segments) assert.ok(BigInt(s.data.length) <= s.memsz);
      } catch (e) {
        if (!(e instanceof ElfError)) assert.fail(`mutation ${i}: ${(e as Error)?.stack}`);
        assert.ok(e.message.length > 0);
        failed++;
      }
    }
    assert.ok(parsed > 100 && failed > 100, `parsed ${parsed}, failed ${failed}`);
  });
});
