// Unit tests of the debugger's expression evaluator (conditions, logpoints, hovers).
import * as assert from 'node:assert';
import { evaluate, interpolate, parseHitCondition, checkSyntax, ExprError, type ExprEnv } from '../../src/debug/expressions';

const env: ExprEnv = {
  lookup: (n) => ({ x0: 0x10n, to: 2n, ec: 0x16n, 'HCR_EL2.VM': 1n, big: 0xffffffffffffffffn } as Record<string, bigint>)[n],
  readMemory: (a, size) => (a === 0x1000n ? [0n, 0xaan, 0xbbaan, 0n, 0xddccbbaan, 0, 0, 0, 0x11223344ddccbbaan][size] as bigint : undefined),
};
const ev = (s: string): bigint => evaluate(s, env);

describe('debug expressions', () => {
  it('numbers, precedence and unsigned 64-bit wrap', () => {
    assert.strictEqual(ev('1 + 2 * 3'), 7n);
    assert.strictEqual(ev('(1 + 2) * 3'), 9n);
    assert.strictEqual(ev('0x10 | 0b1 | 0o10'), 0x19n);
    assert.strictEqual(ev('1_000 % 7'), 6n);
    assert.strictEqual(ev('-1'), 0xffffffffffffffffn);
    assert.strictEqual(ev('big + 1'), 0n);
    assert.strictEqual(ev('~0 >> 60'), 0xfn);
    assert.strictEqual(ev('1 << 4 == 16'), 1n);
    assert.strictEqual(ev('5 > 3 ? 10 : 20'), 10n);
  });

  it('identifiers, dotted fields and logic', () => {
    assert.strictEqual(ev('to == 2 && ec == 0x16'), 1n);
    assert.strictEqual(ev('to == 1 || HCR_EL2.VM'), 1n);
    assert.strictEqual(ev('!x0'), 0n);
    assert.throws(() => ev('nope + 1'), ExprError);
  });

  it('typed memory reads', () => {
    assert.strictEqual(ev('*(u8*)0x1000'), 0xaan);
    assert.strictEqual(ev('*(u16 *)(x0 * 0x100)'), 0xbbaan);
    assert.strictEqual(ev('*(u32*)0x1000'), 0xddccbbaan);
    assert.strictEqual(ev('*(u64*)0x1000 >> 32'), 0x11223344n);
    assert.strictEqual(ev('*0x1000 & 0xff'), 0xaan);
    assert.throws(() => ev('*(u32*)0x2000'), /cannot read/);
  });

  it('syntax errors, interpolation and hit conditions', () => {
    assert.match(checkSyntax('1 +') ?? '', /unexpected end/);
    assert.match(checkSyntax('(1') ?? '', /expected '\)'/);
    assert.strictEqual(checkSyntax('x0 / 0'), undefined);
    assert.strictEqual(interpolate('x0={x0} {{literal}} bad={zz}', env), 'x0=0x10 {literal} bad=<unknown name \'zz\'>');
    const h = parseHitCondition('%3') as (n: number) => boolean;
    assert.deepStrictEqual([1, 2, 3, 6].map(h), [false, false, true, true]);
    assert.strictEqual((parseHitCondition('5') as (n: number) => boolean)(5), true);
    assert.strictEqual((parseHitCondition('==5') as (n: number) => boolean)(6), false);
    assert.strictEqual(typeof parseHitCondition('x'), 'string');
  });
});
