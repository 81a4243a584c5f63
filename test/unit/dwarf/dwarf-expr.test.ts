// DWARF expression evaluator (src/dwarf/expr.ts) on hand-encoded expressions:
// each result kind (register, memory, value, implicit, pieces, optimized out,
// unavailable), the operations a C compiler emits, control flow, and clear
// errors for malformed input. No toolchain needed.
import { strict as assert } from 'node:assert';
import { decodeExpr, evaluateLocation, evaluateValue, formatExpr, type EvalContext } from '../../../src/dwarf/expr';
import { DwarfError } from '../../../src/dwarf/reader';
import { DW_OP, DW_OP_CODE } from '../../../src/dwarf/tables';

const FMT = { addressSize: 8, offsetSize: 4 as const };
const op = (name: string): number => {
  const c = DW_OP_CODE.get(name);
  if (c === undefined) throw new Error(name);
  return c;
};
const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};
const le = (v: bigint, n: number): number[] => Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

/** A machine with x0..x30 = 0x100*n, sp = 0x8000, memory = address + 1 for each byte read as a word. */
const regs = new Map<number, bigint>([...Array.from({ length: 31 }, (_, n) => [n, BigInt(0x100 * n)] as [number, bigint]), [31, 0x8000n]]);
const ctx: EvalContext = {
  readRegister: (n) => regs.get(n),
  readMemory: (a, size) => (a >= 0x10000n ? undefined : (a + 1n) & ((1n << BigInt(size * 8)) - 1n)),
  frameBase: () => 0x7000n,
  cfa: () => 0x8010n,
};
const ev = (bytes: number[], c: EvalContext = ctx) => evaluateLocation(decodeExpr(new Uint8Array(bytes), FMT), c);

describe('DWARF expressions (src/dwarf/expr.ts)', () => {
  it('has a table row, with operand encodings, for every DWARF 5 operation code 0x03..0xa9 it names', () => {
    // Table 7.9 of DWARF 5: lit/reg/breg 32 each, plus the named ones.
    for (let i = 0; i < 32; i++) {
      assert.equal(DW_OP.get(0x30 + i)?.name, `DW_OP_lit${i}`);
      assert.equal(DW_OP.get(0x50 + i)?.name, `DW_OP_reg${i}`);
      assert.deepEqual(DW_OP.get(0x70 + i)?.operands, ['sleb']);
    }
    assert.deepEqual(DW_OP.get(0x92)?.operands, ['uleb', 'sleb']);
    assert.equal(DW_OP.get(0xa3)?.name, 'DW_OP_entry_value');
  });

  it('register, memory (fbreg, breg, addr), stack value, call_frame_cfa', () => {
    assert.deepEqual(ev([op('DW_OP_reg0') + 3]), { kind: 'register', reg: 3, name: 'x3' });
    assert.deepEqual(ev([op('DW_OP_regx'), ...uleb(31)]), { kind: 'register', reg: 31, name: 'sp' });
    assert.deepEqual(ev([op('DW_OP_fbreg'), ...sleb(-20)]), { kind: 'memory', address: 0x7000n - 20n });
    assert.deepEqual(ev([op('DW_OP_breg0') + 31, ...sleb(16)]), { kind: 'memory', address: 0x8010n });
    assert.deepEqual(ev([op('DW_OP_bregx'), ...uleb(29), ...sleb(-8)]), { kind: 'memory', address: 0x1d00n - 8n });
    assert.deepEqual(ev([op('DW_OP_addr'), ...le(0x41ffe8n, 8)]), { kind: 'memory', address: 0x41ffe8n });
    assert.deepEqual(ev([op('DW_OP_call_frame_cfa')]), { kind: 'memory', address: 0x8010n });
    assert.deepEqual(ev([op('DW_OP_lit0') + 5, op('DW_OP_stack_value')]), { kind: 'value', value: 5n });
    // breg1 (x1 = 0x100); dup; mul; stack_value: what GCC emits for sq(x) = x*x.
    assert.deepEqual(ev([op('DW_OP_breg0') + 1, 0, op('DW_OP_dup'), op('DW_OP_mul'), op('DW_OP_stack_value')]), { kind: 'value', value: 0x10000n });
  });

  it('arithmetic is 64-bit with signed division and comparisons', () => {
    const val = (bytes: number[]): bigint => {
      const r = ev([...bytes, op('DW_OP_stack_value')]);
      assert.equal(r.kind, 'value');
      return (r as { value: bigint }).value;
    };
    assert.equal(val([op('DW_OP_lit0') + 3, op('DW_OP_lit0') + 4, op('DW_OP_mul'), op('DW_OP_consts'), ...sleb(-2), op('DW_OP_plus')]), 10n);
    assert.equal(val([op('DW_OP_lit0'), op('DW_OP_lit1'), op('DW_OP_minus')]), (1n << 64n) - 1n);
    assert.equal(val([op('DW_OP_consts'), ...sleb(-9), op('DW_OP_lit0') + 2, op('DW_OP_div')]), (1n << 64n) - 4n);
    assert.equal(val([op('DW_OP_consts'), ...sleb(-1), op('DW_OP_lit0'), op('DW_OP_lt')]), 1n);
    assert.equal(val([op('DW_OP_const1u'), 0x80, op('DW_OP_lit0') + 4, op('DW_OP_shr')]), 8n);
    assert.equal(val([op('DW_OP_consts'), ...sleb(-16), op('DW_OP_lit0') + 2, op('DW_OP_shra'), op('DW_OP_neg')]), 4n);
    assert.equal(val([op('DW_OP_lit0') + 1, op('DW_OP_lit0') + 2, op('DW_OP_swap'), op('DW_OP_minus')]), 1n);
    assert.equal(val([op('DW_OP_lit0') + 7, op('DW_OP_plus_uconst'), ...uleb(300)]), 307n);
    assert.equal(val([op('DW_OP_addr'), ...le(0x20n, 8), op('DW_OP_deref_size'), 1]), 0x21n);
    assert.equal(val([op('DW_OP_addr'), ...le(0x20n, 8), op('DW_OP_deref')]), 0x21n);
  });

  it('bra and skip count from the end of the branch operation', () => {
    // lit1|lit0; bra +4; lit7; skip +1; lit8; stack_value
    const prog = (first: number): number[] => [first, op('DW_OP_bra'), ...le(4n, 2), op('DW_OP_lit0') + 7, op('DW_OP_skip'), ...le(1n, 2), op('DW_OP_lit0') + 8, op('DW_OP_stack_value')];
    assert.deepEqual(ev(prog(op('DW_OP_lit0') + 1)), { kind: 'value', value: 8n });
    assert.deepEqual(ev(prog(op('DW_OP_lit0'))), { kind: 'value', value: 7n });
    // A branch into the middle of an operation is an error.
    assert.throws(() => ev([op('DW_OP_skip'), ...le(1n, 2), op('DW_OP_const1u'), 5]), /not the start of an operation/);
  });

  it('composite pieces, implicit values, optimized out and unavailable', () => {
    assert.deepEqual(ev([op('DW_OP_reg0'), op('DW_OP_piece'), 4, op('DW_OP_piece'), 4]), {
      kind: 'pieces',
      pieces: [
        { sizeBits: 32, offsetBits: 0, location: { kind: 'register', reg: 0, name: 'x0' } },
        { sizeBits: 32, offsetBits: 0, location: { kind: 'optimized-out' } },
      ],
    });
    assert.deepEqual(ev([op('DW_OP_fbreg'), ...sleb(-8), op('DW_OP_piece'), 8, op('DW_OP_lit0') + 1, op('DW_OP_stack_value'), op('DW_OP_bit_piece'), 3, 0]).kind, 'pieces');
    assert.deepEqual(ev([op('DW_OP_implicit_value'), 4, 1, 2, 3, 4]), { kind: 'implicit', bytes: new Uint8Array([1, 2, 3, 4]) });
    assert.deepEqual(ev([]), { kind: 'optimized-out' });
    const entry = ev([op('DW_OP_entry_value'), 1, op('DW_OP_reg0'), op('DW_OP_stack_value')]);
    assert.equal(entry.kind, 'unavailable');
    assert.match((entry as { reason: string }).reason, /DW_OP_entry_value/);
    assert.equal(ev([op('DW_OP_breg0') + 5, 0], { ...ctx, readRegister: () => undefined }).kind, 'unavailable');
    assert.equal(ev([op('DW_OP_addr'), ...le(0x20000n, 8), op('DW_OP_deref')]).kind, 'unavailable');
    assert.equal(ev([op('DW_OP_fbreg'), 0], { ...ctx, frameBase: undefined }).kind, 'unavailable');
    // A frame base given as a register means that register's contents.
    assert.equal(evaluateValue(decodeExpr(new Uint8Array([op('DW_OP_reg0') + 29]), FMT), ctx), 0x1d00n);
  });

  it('prints like readelf', () => {
    const p = (b: number[]): string => formatExpr(decodeExpr(new Uint8Array(b), FMT));
    assert.equal(p([op('DW_OP_breg0') + 31, 16, op('DW_OP_stack_value')]), 'DW_OP_breg31 (sp): 16; DW_OP_stack_value');
    assert.equal(p([op('DW_OP_fbreg'), ...sleb(-20)]), 'DW_OP_fbreg: -20');
    assert.equal(p([op('DW_OP_entry_value'), 1, op('DW_OP_reg0'), op('DW_OP_stack_value')]), 'DW_OP_entry_value: (DW_OP_reg0 (x0)); DW_OP_stack_value');
    assert.equal(p([op('DW_OP_piece'), 4]), 'DW_OP_piece: 4');
  });

  it('rejects malformed expressions with a DwarfError naming the problem', () => {
    assert.throws(() => decodeExpr(new Uint8Array([0x01]), FMT), (e: unknown) => e instanceof DwarfError && /operation 0x1/.test(e.message));
    assert.throws(() => decodeExpr(new Uint8Array([op('DW_OP_addr'), 1, 2]), FMT), (e: unknown) => e instanceof DwarfError && /DW_OP_addr operand/.test(e.message));
    assert.throws(() => ev([op('DW_OP_plus')]), (e: unknown) => e instanceof DwarfError && /pops an empty stack/.test(e.message));
    assert.throws(() => ev([op('DW_OP_lit0') + 1, op('DW_OP_lit0'), op('DW_OP_div')]), /by zero/);
    assert.throws(() => ev([op('DW_OP_reg0'), op('DW_OP_lit0')]), /follows a register/);
    // An endless loop stops.
    assert.throws(() => ev([op('DW_OP_skip'), ...le(-3n & 0xffffn, 2)]), /steps/);
  });
});
