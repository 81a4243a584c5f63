// Error table: malformed inputs, each with the exact diagnostic and its line:column.
import { strict as assert } from 'node:assert';
import { assemble } from '../../../src/asm/assembler';

const FILES: Record<string, string> = {
  'bad.s': '.byte 1\n.bogus\n',
};

interface Case {
  src: string;
  /** `line:column message` of the first error (exact), or of the first warning with `warning: true`. */
  want: string;
  warning?: boolean;
}

const CASES: Case[] = [
  // expressions
  { src: '.byte undefined_sym', want: "1:7 undefined symbol 'undefined_sym'" },
  { src: '.quad 1\n.quad foo + 1', want: "2:7 undefined symbol 'foo'" },
  { src: '.byte 1/0', want: '1:8 division by zero' },
  // .armvirt (the ARMVIRT ELF note)
  { src: '.armvirt entry_el, 3', want: '1:20 .armvirt entry_el must be 1 or 2 (got 3)' },
  { src: '.armvirt', want: '1:1 .armvirt expects a setting: .armvirt entry_el, 1|2' },
  { src: '.armvirt entry_point, 1', want: "1:10 unknown .armvirt setting 'entry_point' (known: entry_el)" },
  { src: '.armvirt entry_el', want: '1:10 .armvirt entry_el expects one value: .armvirt entry_el, 1|2' },
  { src: '.armvirt entry_el, 1\n.armvirt entry_el, 2', want: '2:20 .armvirt entry_el 2 contradicts entry_el 1 set at e.s:1' },
  { src: 'x: .armvirt entry_el, x', want: '1:23 .armvirt entry_el needs a constant (1 or 2), not an address' },
  { src: '.byte 5 % 0', want: '1:9 division by zero' },
  { src: '.byte (1 + 2', want: "1:13 missing ')' in expression" },
  { src: '.byte 1 +', want: '1:10 expected an expression' },
  { src: '.byte 1 2', want: "1:9 unexpected '2' in expression" },
  { src: '.byte 0x', want: "1:7 invalid number '0x'" },
  { src: '.byte 09', want: "1:7 invalid number '09'" },
  { src: '.byte "s"', want: '1:7 a string is not allowed in an expression' },
  { src: '.byte 1b', want: "1:7 no preceding definition of local label '1' for '1b'" },
  { src: '.byte 1f', want: "1:7 no following definition of local label '1' for '1f'" },
  { src: '.equ a, b\n.equ b, a\n.quad a', want: "2:9 symbol 'a' is defined in terms of itself" },
  { src: '.if undefined_thing\n.endif', want: "1:5 undefined symbol 'undefined_thing'" },
  { src: '.rept 1f\n.endr\n1:', want: "1:7 .rept needs a constant expression; '1f' is a forward reference" },
  { src: '.uleb128 foo', want: "1:10 undefined symbol 'foo'" },
  { src: 'ldr x0, =undefined_lit', want: "1:10 undefined symbol 'undefined_lit'" },
  // directives
  { src: '.bogus 1', want: "1:1 unknown directive '.bogus'" },
  { src: '  .text\n  .dat', want: "2:3 unknown directive '.dat'" },
  { src: '  123', want: "1:3 expected a label, directive or instruction, found '123'" },
  { src: '.align 40', want: '1:8 alignment exponent 40 is out of range (0 to 28)' },
  { src: '.balign 3', want: '1:9 alignment 3 is not a power of two' },
  { src: '.skip -1', want: '1:7 .skip size is negative (-1)' },
  { src: '.org 4\n.org 0', want: '2:6 attempt to move .org backwards (from 0x4 to 0x0)' },
  { src: '.fill -1, 1, 0', want: '1:7 .fill repeat count is negative (-1)' },
  { src: '.equ x', want: '1:6 expected .equ symbol, expression' },
  { src: '.equ 1x, 3', want: "1:6 invalid symbol name '1x'" },
  { src: '.equiv a, 1\n.equiv a, 2', want: "2:8 symbol 'a' is already defined (at e.s:1)" },
  { src: 'x = 1\nx:', want: "2:1 symbol 'x' is already defined (at e.s:1)" },
  { src: 'foo:\nfoo:', want: "2:1 symbol 'foo' is already defined (at e.s:1)" },
  { src: '.global 1abc', want: "1:9 invalid symbol name '1abc'" },
  { src: '.section', want: '1:9 expected a section name after .section' },
  { src: '.section .x, "q"', want: "1:15 unknown section flag 'q'" },
  { src: '.section .x, "a", %weird', want: "1:19 unknown section type '%weird'" },
  { src: '.popsection', want: '1:1 .popsection without .pushsection' },
  { src: '.type foo, %banana', want: "1:12 unknown symbol type '%banana'" },
  { src: '.size foo', want: '1:7 expected .size symbol, expression' },
  { src: '.bss\nnop', want: "2:1 instruction in section '.bss', which has no contents (nobits)" },
  { src: '.bss\n.byte 1', want: "2:7 attempt to store a non-zero value in section '.bss' (nobits)" },
  { src: '.float abc', want: "1:8 invalid floating-point number 'abc'" },
  { src: '.string "a" "b"', want: "1:12 unexpected text after string: '\"b\"'" },
  { src: '.err', want: '1:1 .err encountered' },
  { src: '  .error "custom message"', want: '1:3 custom message' },
  { src: '.include nope.s', want: '1:10 .include expects a file name in double quotes' },
  { src: '.include "nope.s"', want: "1:10 include file 'nope.s' not found" },
  // strings and comments
  { src: '.ascii "abc', want: '1:8 unterminated string (missing closing ")' },
  { src: '.byte 1\n/* never closed\n.byte 2', want: '2:1 unterminated comment (missing */)' },
  // conditionals
  { src: '.if 1\n.byte 1\n', want: '1:1 unterminated .if (missing .endif)' },
  { src: '.endif', want: '1:1 .endif without .if' },
  { src: '.else', want: '1:1 .else without .if' },
  { src: '.elseif 1', want: '1:1 .elseif without .if' },
  { src: '.if 1\n.else\n.else\n.endif', want: '3:1 .else after .else' },
  { src: '.ifdef\n.endif', want: '1:7 expected a symbol name after .ifdef' },
  { src: '.ifc a\n.endif', want: '1:6 .ifc needs two comma-separated operands' },
  // macros and repetition
  { src: '.macro m\n.byte 1\n', want: '1:1 unterminated .macro (missing .endm)' },
  { src: '.endm', want: '1:1 .endm without .macro' },
  { src: '.endr', want: '1:1 .endr without .rept/.irp/.irpc' },
  { src: '.rept 3\n.byte 1\n', want: '1:1 unterminated .rept (missing .endr)' },
  { src: '.irp x, 1, 2\n', want: '1:1 unterminated .irp (missing .endr)' },
  { src: '.exitm', want: '1:1 .exitm outside a macro' },
  { src: '.macro m a:req\n.byte \\a\n.endm\nm', want: "4:1 missing value for required parameter 'a' of macro 'm'" },
  { src: '.macro m a\n.byte \\a\n.endm\nm 1, 2', want: "4:6 too many arguments for macro 'm' (it takes 1)" },
  { src: '.macro m\n.endm\n.macro m\n.endm', want: "3:8 macro 'm' is already defined" },
  { src: '.purgem nothere', want: "1:9 macro 'nothere' is not defined" },
  {
    src: '.macro rec\nrec\n.endm\nrec',
    want: "2:1 macro 'rec' nested too deeply (more than 100 levels); recursive macro without a stop?",
  },
  { src: '.macro m v\n.byte \\v\n.endm\nm zz', want: "2:7 undefined symbol 'zz'" },
  // includes: the error is in the included file
  { src: '.data\n.include "bad.s"', want: "bad.s 2:1 unknown directive '.bogus'" },
  // warnings
  { src: '.byte 300', want: '1:7 value 0x12c truncated to 0x2c', warning: true },
  { src: '.byte 1 << 70', want: '1:9 shift count out of range (70 is not between 0 and 63)', warning: true },
  { src: '.rept -1\n.endr', want: '1:7 negative count for .rept (-1); ignored', warning: true },
  { src: '.warning "careful"', want: '1:1 careful', warning: true },
];

function show(d: { file: string; line: number; column: number; message: string }): string {
  return `${d.file === 'e.s' ? '' : d.file + ' '}${d.line}:${d.column} ${d.message}`;
}

describe('assembler error table', () => {
  it('has at least 40 cases', () => assert.ok(CASES.length >= 40, String(CASES.length)));
  for (const c of CASES) {
    it(`${JSON.stringify(c.src)} → ${c.want}`, () => {
      const r = assemble(c.src, { fileName: 'e.s', readFile: (p) => FILES[p] });
      const list = c.warning ? r.warnings : r.errors;
      assert.ok(list.length > 0, `expected a ${c.warning ? 'warning' : 'error'}, got none (errors: ${r.errors.map(show).join('; ')})`);
      assert.equal(show(list[0]), c.want);
    });
  }

  it('reports every error in a file, not only the first', () => {
    const src = ['.byte 1/0', '.bogus', '.byte undefined_a', 'ok: .byte 1', '.byte undefined_b', '.endif'].join('\n');
    const r = assemble(src, { fileName: 'e.s' });
    assert.deepEqual(
      r.errors.map(show),
      ['1:8 division by zero', "2:1 unknown directive '.bogus'", "3:7 undefined symbol 'undefined_a'", "5:7 undefined symbol 'undefined_b'", '6:1 .endif without .if'],
    );
  });

  it('names the macro call site of an error inside an expansion', () => {
    const r = assemble('.macro m v\n  .byte \\v\n.endm\n  m nosuch', { fileName: 'e.s' });
    assert.equal(r.errors.length, 1);
    assert.deepEqual(r.errors[0].related, [{ file: 'e.s', line: 4, column: 3, message: "macro 'm' invoked from here" }]);
  });

  it('reports encoder errors at the operand the encoder names', () => {
    const r = assemble('  add x0, x1, #5000', { fileName: 'e.s' });
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].line, 1);
    assert.equal(r.errors[0].column, 15);
    assert.match(r.errors[0].message, /out of range/);
  });

  it('reports an unknown mnemonic at the mnemonic', () => {
    const r = assemble('\n   frobnicate x0', { fileName: 'e.s' });
    assert.equal(r.errors.length, 1);
    assert.equal(`${r.errors[0].line}:${r.errors[0].column}`, '2:4');
    assert.match(r.errors[0].message, /unknown instruction 'frobnicate'/);
  });
});
