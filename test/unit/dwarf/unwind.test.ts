// Unit tests of one CFI unwinding step (src/dwarf/unwind.ts) on hand-made rows: saved FP/LR with
// a PAC-signed return address (DW_CFA_AARCH64_negate_ra_state), a leaf whose return address is
// still in LR, an undefined return address (the outermost frame), expression rules, and which
// registers a caller frame keeps (the callee-saved X19–X29 only, AAPCS64 §6.1.1).
import * as assert from 'node:assert';
import type { CfiRow, Fde, RegisterRule } from '../../../src/dwarf/cfi';
import { decodeExpr } from '../../../src/dwarf/expr';
import { DW_REG_PC, DW_REG_SP, stripPac, unwindStep } from '../../../src/dwarf/unwind';

const fde = { cie: { raReg: 30 } } as unknown as Fde;

function row(cfa: CfiRow['cfa'], rules: [number, RegisterRule][], raSigned = false): CfiRow {
  return { pc: 0n, end: 4n, cfa, registers: new Map(rules), raSigned, fde };
}

function memory(words: Record<string, bigint>) {
  return { read: (a: bigint, size: number) => (size === 8 ? words[a.toString(16)] : undefined) };
}

const ops = (bytes: number[]) => decodeExpr(Uint8Array.from(bytes), { addressSize: 8, offsetSize: 4 });

describe('dwarf: unwinding one frame from CFI (src/dwarf/unwind.ts)', () => {
  it('restores FP and a PAC-signed LR saved by the prologue; the caller\'s SP is the CFA', () => {
    // After `paciasp; stp x29, x30, [sp, #-32]!; mov x29, sp`: CFA = x29 + 32, x29 at CFA-32, x30 at CFA-24.
    const r = row({ kind: 'reg-offset', reg: 29, offset: 32n }, [[29, { kind: 'offset', offset: -32n }], [30, { kind: 'offset', offset: -24n }]], true);
    const regs = new Map<number, bigint>([[0, 9n], [19, 5n], [29, 0xfe0n], [30, 0x999n], [DW_REG_SP, 0xfe0n], [DW_REG_PC, 0x40000100n]]);
    const signed = 0x0012_0000_4000_1234n; // a PAC in bits 54:48 of a lower-range address
    const c = unwindStep(r, regs, memory({ fe0: 0x2000n, fe8: signed }))!;
    assert.equal(c.cfa, 0x1000n);
    assert.equal(c.registers.get(DW_REG_SP), 0x1000n);
    assert.equal(c.registers.get(DW_REG_PC), 0x4000_1234n, 'the PAC is removed from the return address');
    assert.equal(c.registers.get(29), 0x2000n);
    assert.equal(c.registers.get(19), 5n, 'callee-saved registers without a rule keep their value');
    assert.equal(c.registers.has(0), false, 'X0 is corruptible: unknown in the caller');
    assert.deepEqual([...c.savedAt], [[29, 0xfe0n], [30, 0xfe8n]]);
    // The same row without RA_SIGN_STATE keeps the bits.
    const plain = unwindStep({ ...r, raSigned: false }, regs, memory({ fe0: 0x2000n, fe8: signed }))!;
    assert.equal(plain.registers.get(DW_REG_PC), signed);
  });

  it('a callee-saved register this frame keeps stays where the frame below saved it (for writes)', () => {
    const r = row({ kind: 'reg-offset', reg: 31, offset: 16n }, [[30, { kind: 'offset', offset: -8n }], [20, { kind: 'offset', offset: -16n }]]);
    const regs = new Map<number, bigint>([[20, 1n], [21, 2n], [DW_REG_SP, 0x100n], [DW_REG_PC, 0x40000000n]]);
    const c = unwindStep(r, regs, memory({ 100: 3n, 108: 0x40000800n }), new Map([[21, 0x500n], [20, 0x600n]]))!;
    assert.equal(c.registers.get(20), 3n);
    assert.equal(c.savedAt.get(20), 0x100n, 'saved by this frame: its own slot');
    assert.equal(c.registers.get(21), 2n);
    assert.equal(c.savedAt.get(21), 0x500n, 'kept by this frame: the slot of the frame below');
  });

  it('a leaf returns through LR; an undefined return address ends the stack', () => {
    const leaf = row({ kind: 'reg-offset', reg: 31, offset: 0n }, []);
    const regs = new Map<number, bigint>([[30, 0x40000444n], [DW_REG_SP, 0x8000n], [DW_REG_PC, 0x40000500n]]);
    const c = unwindStep(leaf, regs, memory({}))!;
    assert.equal(c.registers.get(DW_REG_PC), 0x40000444n);
    assert.equal(c.registers.get(DW_REG_SP), 0x8000n);
    assert.equal(unwindStep(row({ kind: 'reg-offset', reg: 31, offset: 0n }, [[30, { kind: 'undefined' }]]), regs, memory({})), undefined);
    // No CFA base register known: no caller.
    assert.equal(unwindStep(row({ kind: 'reg-offset', reg: 29, offset: 16n }, []), regs, memory({})), undefined);
  });

  it('expression, val-expression, val-offset and register rules', () => {
    // DW_CFA_expression x19: [CFA + 16] (the CFA is pushed first); DW_CFA_val_expression x20: CFA + 8;
    // DW_CFA_val_offset x21: CFA - 8; DW_CFA_register x22 in x1; CFA by expression: SP + 64.
    const r = row({ kind: 'expression', ops: ops([0x8f, 0xc0, 0x00]) }, [ // DW_OP_breg31 64 (SLEB128)
      [19, { kind: 'expression', ops: ops([0x23, 0x10]) }], // DW_OP_plus_uconst 16
      [20, { kind: 'val-expression', ops: ops([0x23, 0x08]) }],
      [21, { kind: 'val-offset', offset: -8n }],
      [22, { kind: 'register', reg: 1 }],
    ]);
    const regs = new Map<number, bigint>([[1, 77n], [30, 0x40000010n], [DW_REG_SP, 0x7000n], [DW_REG_PC, 0x40000000n]]);
    const c = unwindStep(r, regs, memory({ 7050: 0xabcn }))!;
    assert.equal(c.cfa, 0x7040n);
    assert.equal(c.registers.get(19), 0xabcn);
    assert.equal(c.savedAt.get(19), 0x7050n);
    assert.equal(c.registers.get(20), 0x7048n);
    assert.equal(c.registers.get(21), 0x7038n);
    assert.equal(c.registers.get(22), 77n);
  });

  it('stripPac keeps bit 55\'s range: upper-range addresses get ones above the VA size', () => {
    assert.equal(stripPac(0x00b5_8000_1234_5678n), 0xffff_8000_1234_5678n);
    assert.equal(stripPac(0x0035_0000_4000_0000n), 0x0000_0000_4000_0000n);
  });
});
