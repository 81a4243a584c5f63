// Macros, repetition, conditionals and .include.
import { strict as assert } from 'node:assert';
import { AssembleOptions, AssemblyResult, assemble } from '../../../src/asm/assembler';

function data(src: string, opts: Partial<AssembleOptions> = {}): string {
  const r: AssemblyResult = assemble('.data\n' + src, { fileName: 't.s', ...opts });
  assert.deepEqual(r.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`), []);
  const s = r.sections.find((x) => x.name === '.data');
  return s ? Buffer.from(s.data).toString('hex') : '';
}
const ascii = (s: string): string => Buffer.from(s).toString('hex');

describe('assembler: macros', () => {
  const M = '.macro m a, b=7, c:vararg\n.byte \\a\n.byte \\b\n.ascii "<\\c>"\n.endm\n';
  it('substitutes positional arguments and defaults', () => {
    assert.equal(data(M + 'm 1, 3'), '0103' + ascii('<>'));
    assert.equal(data(M + 'm 5'), '0507' + ascii('<>'));
  });
  it('treats an empty argument as the default', () => {
    assert.equal(data(M + 'm 5, , x y, z'), '0507' + ascii('<x y,z>'));
  });
  it('splits arguments at blanks between words, as gas does', () => {
    assert.equal(data(M + 'm 9 8 7 6'), '0908' + ascii('<7 6>'));
    assert.equal(data(M + 'm 1 + 2, 3'), '0303' + ascii('<>'));
    assert.equal(data(M + 'm 1 +2'), '0307' + ascii('<>'));
  });
  it('accepts keyword arguments', () => {
    assert.equal(data(M + 'm b=2, a=4'), '0402' + ascii('<>'));
  });
  it('strips quotes from quoted arguments', () => {
    assert.equal(data('.macro s x\n.asciz "\\x"\n.endm\ns "hi there"'), ascii('hi there') + '00');
  });
  it('supports \\() concatenation and \\@', () => {
    const src = '.macro lab n\nl\\n\\()_x: .byte \\@\n.endm\nlab 5\nlab 6\n.byte l6_x - l5_x';
    assert.equal(data(src), '000101');
  });
  it('numbers \\@ over all macro expansions', () => {
    assert.equal(data('.macro a\n.byte \\@\n.endm\n.macro b\n.byte \\@\na\n.endm\na\nb\na'), '00010203');
  });
  it('expands nested and recursive macros with .if', () => {
    const src = '.macro rec n\n.byte \\n\n.if \\n > 0\nrec \\n-1\n.endif\n.endm\nrec 3';
    assert.equal(data(src), '03020100');
  });
  it('leaves a macro early at .exitm', () => {
    assert.equal(data('.macro e\n.byte 1\n.if 1\n.exitm\n.endif\n.byte 2\n.endm\ne\n.byte 3'), '0103');
  });
  it('redefines a macro after .purgem', () => {
    assert.equal(data('.macro e\n.byte 1\n.endm\ne\n.purgem e\n.macro e\n.byte 2\n.endm\ne'), '0102');
  });
  it('defines macros inside macros on expansion', () => {
    assert.equal(data('.macro outer\n.macro inner\n.byte 9\n.endm\n.endm\nouter\ninner'), '09');
  });
  it('is case-insensitive for macro names and accepts parameters after a comma', () => {
    assert.equal(data('.macro Foo, x\n.byte \\x\n.endm\nFOO 4'), '04');
  });
  it('can shadow an instruction mnemonic', () => {
    assert.equal(data('.macro nop\n.byte 0x55\n.endm\nnop'), '55');
  });
  it('accepts a macro on one line with ; separators', () => {
    assert.equal(data('.macro one; .byte 1; .endm\none'), '01');
  });
});

describe('assembler: .rept / .irp / .irpc', () => {
  it('repeats', () => assert.equal(data('.rept 3\n.byte 0xcc\n.endr'), 'cccccc'));
  it('repeats zero times', () => assert.equal(data('.rept 0\n.byte 1\n.endr\n.byte 2'), '02'));
  it('nests', () => assert.equal(data('.rept 2\n.rept 2\n.byte 1\n.endr\n.byte 2\n.endr'), '010102010102'));
  it('iterates .irp over values', () => assert.equal(data('.irp r, 1, 2, 3\n.byte \\r\n.endr'), '010203'));
  it('iterates .irp over blank-separated values', () => assert.equal(data('.irp r 4 5\n.byte \\r\n.endr'), '0405'));
  it('runs .irp once with no values', () => assert.equal(data('.irp r\n.byte 7\n.endr'), '07'));
  it('iterates .irpc over characters', () => assert.equal(data('.irpc c, 123\n.byte \\c\n.endr'), '010203'));
  it('uses .irp inside a macro', () => {
    assert.equal(data('.macro regs base\n.irp n, 0, 1\n.byte \\base + \\n\n.endr\n.endm\nregs 10'), '0a0b');
  });
  it('counts with .set inside .rept', () => {
    assert.equal(data('.set i, 0\n.rept 4\n.byte i\n.set i, i + 1\n.endr'), '00010203');
  });
});

describe('assembler: conditionals', () => {
  it('.if / .elseif / .else', () => {
    assert.equal(data('.if 1\n.byte 1\n.elseif 1\n.byte 2\n.else\n.byte 3\n.endif'), '01');
    assert.equal(data('.if 0\n.byte 1\n.elseif 1\n.byte 2\n.else\n.byte 3\n.endif'), '02');
    assert.equal(data('.if 0\n.byte 1\n.elseif 0\n.byte 2\n.else\n.byte 3\n.endif'), '03');
  });
  it('skips nested conditionals in a false branch', () => {
    assert.equal(data('.if 0\n.if 1\n.byte 1\n.else\n.byte 2\n.endif\n.bogus\n.else\n.byte 3\n.endif'), '03');
  });
  it('.ifdef / .ifndef see symbols defined so far', () => {
    assert.equal(data('.ifdef foo\n.byte 1\n.endif\nfoo:\n.ifdef foo\n.byte 2\n.endif\n.ifndef bar\n.byte 3\n.endif'), '0203');
  });
  it('.ifeq .ifne .ifge .ifgt .ifle .iflt', () => {
    const t = (d: string, v: number): string => data(`${d} ${v}\n.byte 1\n.else\n.byte 0\n.endif`);
    assert.deepEqual(
      [t('.ifeq', 0), t('.ifne', 0), t('.ifge', -1), t('.ifgt', 0), t('.ifle', 0), t('.iflt', -1)],
      ['01', '00', '00', '00', '01', '01'],
    );
  });
  it('.ifb .ifnb .ifc .ifnc .ifeqs .ifnes', () => {
    assert.equal(
      data('.ifb\n.byte 1\n.endif\n.ifnb x\n.byte 2\n.endif\n.ifc a,a\n.byte 3\n.endif\n.ifnc a,b\n.byte 4\n.endif\n' +
        '.ifeqs "a","a"\n.byte 5\n.endif\n.ifnes "a","b"\n.byte 6\n.endif'),
      '010203040506',
    );
  });
  it('evaluates label differences in .if', () => {
    assert.equal(data('a: .byte 1\nb:\n.if b - a == 1\n.byte 2\n.endif'), '0102');
  });
});

describe('assembler: .include', () => {
  const files: Record<string, string> = {
    '/src/main.s': '.data\n.include "sub/a.s"\n.include "lib.s"\n',
    '/src/sub/a.s': '.byte 1\n.include "b.s"\n',
    '/src/sub/b.s': '.byte 2\n',
    '/inc/lib.s': '.byte 3\n',
  };
  const read = (p: string): string | undefined => files[p];

  it('resolves relative to the including file, then the include paths', () => {
    const r = assemble(files['/src/main.s'], { fileName: '/src/main.s', readFile: read, includePaths: ['/inc'] });
    assert.deepEqual(r.errors, []);
    assert.equal(Buffer.from(r.sections.find((s) => s.name === '.data')!.data).toString('hex'), '010203');
    assert.deepEqual(r.files, ['/src/main.s', '/src/sub/a.s', '/src/sub/b.s', '/inc/lib.s']);
    assert.deepEqual(r.lineMap.entries.map((e) => `${e.file}:${e.line}`), ['/src/sub/a.s:1', '/src/sub/b.s:1', '/inc/lib.s:1']);
  });

  it('reports a missing include and goes on', () => {
    const r = assemble('.data\n.include "gone.s"\n.byte 4', { fileName: '/src/x.s', readFile: read });
    assert.deepEqual(r.errors.map((e) => `${e.line}:${e.column} ${e.message}`), ["2:10 include file 'gone.s' not found"]);
    assert.equal(r.sections.find((s) => s.name === '.data')!.size, 1);
  });

  it('stops runaway recursive includes', () => {
    const r = assemble('.include "self.s"', { fileName: 'self.s', readFile: () => '.include "self.s"' });
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /nested too deeply/);
  });
});
