// Assembler front end: expressions, data directives, sections, symbols,
// literal pools and the line map.
import { strict as assert } from 'node:assert';
import { AssembleOptions, AssemblyResult, assemble } from '../../../src/asm/assembler';

function asm(src: string, opts: Partial<AssembleOptions> = {}): AssemblyResult {
  return assemble(src, { fileName: 't.s', ...opts });
}

function ok(src: string, opts: Partial<AssembleOptions> = {}): AssemblyResult {
  const r = asm(src, opts);
  assert.deepEqual(r.errors.map((e) => `${e.line}:${e.column} ${e.message}`), [], 'unexpected errors');
  return r;
}

function hex(r: AssemblyResult, name = '.data'): string {
  const s = r.sections.find((x) => x.name === name);
  assert.ok(s, `no section ${name}`);
  return Buffer.from(s.data).toString('hex');
}

/** Value of one `.quad` expression. */
function q(expr: string, prelude = ''): bigint {
  const r = ok(`${prelude}\n.data\n.quad ${expr}\n`);
  const d = r.sections.find((s) => s.name === '.data')!.data;
  return new DataView(d.buffer, d.byteOffset).getBigInt64(d.length - 8, true);
}

const LINK = 0x4000_0000n;

describe('assembler: expressions (gas semantics, 64-bit)', () => {
  const table: [string, bigint][] = [
    ['1 + 2 * 3', 7n],
    ['2 + 3 & 1', 3n], // & binds tighter than + in gas
    ['(2 + 3) & 1', 1n],
    ['1 << 4 | 1', 17n],
    ['2 == 1 + 1', -1n], // comparisons are below + and true is -1
    ['1 < 2', -1n],
    ['2 < 1', 0n],
    ['3 >= 3', -1n],
    ['1 <> 2', -1n],
    ['1 != 1', 0n],
    ['-1 < 0', -1n], // signed comparison
    ['1 && 2', 1n],
    ['0 || 3', 1n],
    ['1 || 0 && 0', 1n],
    ['-1 >> 1', 0x7fff_ffff_ffff_ffffn], // logical right shift
    ['1 << 63 >> 63', 1n],
    ['-7 / 2', -3n],
    ['-7 % 2', -1n],
    ['~0 / 2', 0n],
    ['!5', 0n],
    ['!0', 1n],
    ['~0x0f', -16n],
    ['3 ! 4', -5n], // or-not
    ['5 ^ 3', 6n],
    ['010', 8n], // octal
    ['0b101', 5n],
    ['0x7fffffffffffffff + 1', -0x8000_0000_0000_0000n], // wraps at 64 bits
    ['0xffffffffffffffff', -1n],
    ["'A", 65n],
    ["'A' + 1", 66n],
    ["'\\n", 10n],
    ['-(-(3))', 3n],
    ['+5', 5n],
    ['((1 + 2) * (3 + 4))', 21n],
  ];
  for (const [e, v] of table) it(`${e} = ${v}`, () => assert.equal(q(e), v));

  it('uses symbols, `.` and label differences', () => {
    assert.equal(q('K * 2', '.equ K, 21'), 42n);
    const r = ok('.data\na: .quad 0\nb: .quad b - a, ., a');
    assert.equal(hex(r).slice(16), '0800000000000000' + '1000004000000000' + '0000004000000000');
  });
});

describe('assembler: data directives', () => {
  it('emits integers of every width', () => {
    const r = ok(['.data', '.byte 1, -1, 255', '.hword 0x1234', '.short 2', '.2byte 3', '.word 0xdeadbeef', '.long 4',
      '.int 5', '.4byte 6', '.quad 7', '.xword 8', '.dword 9', '.8byte 10'].join('\n'));
    assert.equal(hex(r), '01ffff' + '3412' + '0200' + '0300' + 'efbeadde' + '04000000' + '05000000' + '06000000' +
      '0700000000000000' + '0800000000000000' + '0900000000000000' + '0a00000000000000');
  });

  it('warns when a value is truncated', () => {
    const r = ok('.data\n.byte 256\n.hword -32769\n.byte -128');
    assert.deepEqual(r.warnings.map((w) => w.message), ['value 0x100 truncated to 0x0', 'value 0xffffffffffff7fff truncated to 0x7fff']);
  });

  it('emits strings with escapes', () => {
    const r = ok('.data\n.ascii "ab", "\\t\\n\\\\\\"\\x41\\101\\0"\n.asciz "z"\n.string "", "y"');
    assert.equal(hex(r), '6162' + '090a5c22414100' + '7a00' + '00' + '7900');
  });

  it('emits UTF-8 for non-ASCII characters', () => {
    assert.equal(hex(ok('.data\n.ascii "é€"')), 'c3a9e282ac');
  });

  it('fills and skips', () => {
    const r = ok('.data\n.skip 2\n.space 2, 0x41\n.zero 1\n.fill 2, 2, 0x1234\n.fill 1, 8, -1\n.fill 2');
    assert.equal(hex(r), '0000' + '4141' + '00' + '34123412' + 'ffffffff00000000' + '0000');
  });

  it('aligns: .align is a power of two on AArch64, .balign counts bytes', () => {
    const r = ok('.data\n.byte 1\n.align 2\n.byte 2\n.balign 8, 0xee\n.byte 3\n.p2align 4,,1\n.byte 4\n.balign 4,,3\n.byte 5');
    assert.equal(hex(r), '01000000' + '02eeeeee' + '03' + '04' /* .p2align skipped: 7 > max 1 */ + '0000' + '05');
  });

  it('pads code with zeros to a word, then NOPs', () => {
    const r = ok('.text\n.byte 1\n.align 4\n.inst 0x12345678');
    assert.equal(hex(r, '.text'), '01000000' + '1f2003d5'.repeat(3) + '78563412');
  });

  it('aligns an instruction after odd-sized data', () => {
    const r = ok('.text\n.byte 1\nnop');
    assert.equal(hex(r, '.text'), '01000000' + '1f2003d5');
  });

  it('handles .org forward with fill', () => {
    assert.equal(hex(ok('.data\nx: .byte 1\n.org x + 4, 0xaa\n.byte 2\n.org 6')), '01aaaaaa0200');
  });

  it('emits .float, .double and LEB128', () => {
    assert.equal(hex(ok('.data\n.float 1.5\n.double -2\n.uleb128 624485\n.sleb128 -123456')), '0000c03f' + '00000000000000c0' + 'e58e26' + 'c0bb78');
  });

  it('splits statements at ; and strips comments', () => {
    const r = ok('.data\n.byte 1 ; .byte 2 // .byte 9\n# a comment line\n  .byte 3 /* .byte 9 */ ; .byte 4\n/* multi\nline */ .byte 5\n.ascii "a;b//c"');
    assert.equal(hex(r), '0102030405' + '613b622f2f63');
  });
});

describe('assembler: symbols', () => {
  it('records labels, equates, binding, type and size', () => {
    const r = ok([
      '.text', '.global _start', '.type _start, %function', '_start: nop', 'nop', '.size _start, . - _start',
      '.data', '.weak w', '.hidden w', 'w: .quad 1', '.type obj, @object', '.local obj', 'obj: .byte 1', '.equ K, 0x1234',
    ].join('\n'));
    const by = new Map(r.symbols.map((s) => [s.name, s]));
    assert.deepEqual(
      { v: by.get('_start')!.value, s: by.get('_start')!.section, b: by.get('_start')!.binding, t: by.get('_start')!.type, z: by.get('_start')!.size },
      { v: LINK, s: '.text', b: 'global', t: 'func', z: 8n },
    );
    assert.equal(by.get('w')!.binding, 'weak');
    assert.equal(by.get('w')!.visibility, 'hidden');
    assert.equal(by.get('obj')!.type, 'object');
    assert.equal(by.get('obj')!.global, false);
    assert.deepEqual({ v: by.get('K')!.value, s: by.get('K')!.section }, { v: 0x1234n, s: null });
  });

  it('lets each use of a .set symbol see its value at that point', () => {
    const r = ok('.data\n.set x, 1\n.byte x\n.set x, x + 1\n.byte x\nx = 7\n.byte x\n.quad y\n.set y, 3\n.set y, 4');
    assert.equal(hex(r), '010207' + '0300000000000000');
  });

  it('resolves forward references in data and equates', () => {
    const r = ok('.data\n.equ later, end - start\nstart: .quad end, later\nend:');
    assert.equal(hex(r), '1000004000000000' + '1000000000000000');
  });

  it('resolves numeric local labels (1b, 1f) to the nearest definition', () => {
    const r = ok('.data\n1: .byte 0\n.byte 1b - 0x40000000\n1: .byte 2f - 1b, 1f - 1b\n1: .byte 1b - 0x40000000\n2:');
    assert.equal(hex(r), '00' + '00' + '0302' + '04');
  });

  it('defines several labels on one line', () => {
    const r = ok('.data\na: b: .byte 1\nc:d:.byte 2');
    const v = Object.fromEntries(r.symbols.map((s) => [s.name, s.value - LINK]));
    assert.deepEqual(v, { a: 0n, b: 0n, c: 1n, d: 1n });
  });

  it('takes _start as the entry, else the start of .text', () => {
    assert.equal(ok('.data\n.byte 1\n.text\nnop\n_start: nop').entry, LINK + 4n);
    assert.equal(ok('.text\nnop').entry, LINK);
  });

  it('supports .req register aliases', () => {
    const a = ok('fp_ .req x29\nmov fp_, x1\n.unreq fp_');
    const b = ok('mov x29, x1');
    assert.equal(hex(a, '.text'), hex(b, '.text'));
  });
});

describe('assembler: sections and layout', () => {
  it('places .text, .data, .bss, then other sections, each aligned', () => {
    const r = ok('.section .rodata\n.byte 9\n.bss\n.skip 3\n.data\n.byte 1\n.text\nnop\nnop\nnop');
    assert.deepEqual(
      r.sections.map((s) => [s.name, s.address - LINK, s.size]),
      [['.text', 0n, 12], ['.data', 16n, 1], ['.bss', 24n, 3], ['.rodata', 32n, 1]],
    );
    assert.equal(r.sections[2].nobits, true);
    assert.equal(r.sections[2].data.length, 0);
  });

  it('honours the link address option', () => {
    const r = ok('nop', { linkAddress: 0x8_0000n });
    assert.equal(r.sections[0].address, 0x8_0000n);
    assert.equal(r.entry, 0x8_0000n);
  });

  it('parses .section flags and types', () => {
    const r = ok('.section .vectors, "ax", %progbits\nnop\n.section .stack, "aw", @nobits\n.skip 16\n.section .note.GNU-stack,"",%progbits');
    const v = r.sections.find((s) => s.name === '.vectors')!;
    assert.deepEqual(v.flags, { alloc: true, write: false, exec: true });
    assert.equal(r.sections.find((s) => s.name === '.stack')!.nobits, true);
  });

  it('supports .pushsection/.popsection and .previous', () => {
    const r = ok('.text\n.inst 1\n.pushsection .data\n.byte 2\n.popsection\n.inst 3\n.data\n.byte 4\n.previous\n.inst 5');
    assert.equal(hex(r, '.text'), '01000000' + '03000000' + '05000000');
    assert.equal(hex(r), '0204');
  });

  it('records $x/$d mapping changes', () => {
    const r = ok('nop\n.word 5\nnop');
    assert.deepEqual(r.sections[0].mapping, [{ offset: 0, kind: 'code' }, { offset: 4, kind: 'data' }, { offset: 8, kind: 'code' }]);
  });
});

describe('assembler: literal pools (ldr Rt, =expr)', () => {
  const word = (r: AssemblyResult, off: number): number => new DataView(r.sections[0].data.buffer).getUint32(off, true);
  const u64 = (r: AssemblyResult, off: number): bigint => new DataView(r.sections[0].data.buffer).getBigUint64(off, true);

  it('places the pool at the end of the section and deduplicates entries', () => {
    const r = ok('_start:\nldr x0, =0x1122334455667788\nldr x1, =0x1122334455667788\nldr w2, =7\nldr x3, =_start');
    // 4 instructions, then the 4-byte pool, then the 8-byte pool (aligned).
    assert.equal(r.sections[0].size, 16 + 4 + 4 + 16);
    assert.equal(word(r, 16), 7);
    assert.equal(u64(r, 24), 0x1122334455667788n);
    assert.equal(u64(r, 32), LINK);
    // ldr x0 and ldr x1 load from the same entry: imm19 = (24 - pc) / 4.
    assert.equal((word(r, 0) >>> 5) & 0x7ffff, 6);
    assert.equal((word(r, 4) >>> 5) & 0x7ffff, 5);
  });

  it('dumps pending literals at .ltorg and starts a new pool after it', () => {
    const r = ok('ldr x0, =5\n.ltorg\nldr x1, =5');
    // ldr, pool (8-aligned at 8), ldr, second pool at 24
    assert.equal(r.sections[0].size, 32);
    assert.equal(u64(r, 8), 5n);
    assert.equal(u64(r, 24), 5n);
    assert.equal(r.sections[0].mapping.map((m) => m.kind).join(','), 'code,data,code,data');
  });

  it('keeps literals per section', () => {
    const r = ok('.text\nldr x0, =1\n.section .text.two, "ax"\nldr x1, =2');
    assert.equal(r.sections[0].size, 16);
    assert.equal(r.sections[1].size, 16);
  });

  it('uses the pool for literals of sizes 4, 8 and 16', () => {
    const r = ok('ldr s0, =1\nldr d1, =2\nldr q2, =3\nldrsw x3, =-1');
    assert.equal(r.sections[0].size, 16 + 8 + 8 + 16);
    assert.equal(word(r, 16), 1);
    assert.equal(word(r, 20), 0xffffffff);
    assert.equal(u64(r, 24), 2n);
    assert.equal(u64(r, 32), 3n);
  });
});

describe('assembler: line map', () => {
  const src = [
    '.macro twice', //    1
    '  nop', //           2
    '  nop', //           3
    '.endm', //           4
    '_start:', //         5
    '  mov x0, #1', //    6
    '  twice', //         7
    '  .quad 5', //       8
    '  .include "inc.s"', // 9
  ].join('\n');
  const files: Record<string, string> = { 'inc.s': '\n  nop\n' };
  const r = ok(src, { fileName: 'main.s', readFile: (p) => files[p] });
  const lm = r.lineMap;

  it('maps addresses to lines', () => {
    assert.deepEqual(lm.addressToLine(LINK), { file: 'main.s', line: 6 });
    assert.deepEqual(lm.addressToLine(LINK + 8n), { file: 'main.s', line: 7, macro: { name: 'twice', file: 'main.s', line: 3 } });
    assert.deepEqual(lm.addressToLine(LINK + 13n), { file: 'main.s', line: 8 });
    assert.deepEqual(lm.addressToLine(LINK + 20n), { file: 'inc.s', line: 2 });
    assert.equal(lm.addressToLine(LINK + 24n), undefined);
  });

  it('maps lines to addresses (a macro call yields its whole expansion)', () => {
    assert.deepEqual(lm.lineToAddresses('main.s', 7), [LINK + 4n, LINK + 8n]);
    assert.deepEqual(lm.lineToAddresses('main.s', 2), []);
    assert.deepEqual(lm.lineToAddresses('main.s', 2, { includeMacroBodies: true }), [LINK + 4n]);
    assert.deepEqual(lm.lineToAddresses('inc.s', 2), [LINK + 20n]);
    assert.equal(lm.breakpointAddress('main.s', 8), undefined);
    assert.equal(lm.breakpointAddress('main.s', 7), LINK + 4n);
  });

  it('maps .S files to the original lines after preprocessing', () => {
    const s = ok('#define TWO 2\n\n#if TWO > 1\n  mov x0, #TWO\n#endif\n  nop', { fileName: 'p.S' });
    assert.deepEqual(s.lineMap.entries.map((e) => e.line), [4, 6]);
  });
});

describe('assembler: misc directives', () => {
  it('accepts .arch/.cpu/.cfi_*/.file and friends', () => {
    ok('.arch armv8.1-a\n.cpu cortex-a57\n.arch_extension crc\n.file "x.c"\n.cfi_startproc\n.cfi_endproc\n.ident "x"');
  });
  it('collects .print output and stops at .end', () => {
    const r = ok('.print "hello"\n.data\n.byte 1\n.end\n.byte 2\n.bogus');
    assert.deepEqual(r.messages, ['hello']);
    assert.equal(hex(r), '01');
  });
  it('emits .inst words as code', () => {
    const r = ok('.inst 0xd503201f, 0xd65f03c0');
    assert.equal(hex(r, '.text'), '1f2003d5c0035fd6');
  });
  it('allocates .comm/.lcomm in .bss', () => {
    const r = ok('.comm buf, 64, 16\n.lcomm small, 4');
    const bss = r.sections.find((s) => s.name === '.bss')!;
    assert.equal(bss.size, 68);
    const buf = r.symbols.find((s) => s.name === 'buf')!;
    assert.deepEqual([buf.binding, buf.size, buf.section], ['global', 64n, '.bss']);
  });
});

describe('assembler: bench support', () => {
  it('generates a source that assembles without errors', async () => {
    const { generateBenchSource } = await import('../../../src/asm/assembler/bench-support');
    const src = generateBenchSource(2000);
    assert.equal(src.split('\n').length - 1, 2000);
    ok(src, { fileName: 'bench.s' });
  });
});

describe('assembler: line map file matching', () => {
  it('matches relative and absolute spellings of a file', () => {
    const path = require('node:path') as typeof import('node:path');
    const r = ok('nop\nnop', { fileName: 'rel/dir/x.s' });
    assert.deepEqual(r.lineMap.lineToAddresses(path.resolve('rel/dir/x.s'), 2), [LINK + 4n]);
    assert.deepEqual(r.lineMap.lineToAddresses('./rel/dir/../dir/x.s', 1), [LINK]);
  });
});
