// Unit tests of the C expression evaluator (src/debug/c-expr.ts) over a hand-built
// scope: a `struct vcpu` in memory, a pointer to it, an array, an enum and a char *.
// The expected values are C's (LP64): they are what gcc computes for the same
// expressions (the DAP test in c-expr-dap.test.ts checks that against a compiled program).
import * as assert from 'node:assert';
import { assignC, CExprError, checkCSyntax, evaluateC, evaluateCScalar, resultBytes, type CScope } from '../../src/debug/c-expr';
import type { TypeNode } from '../../src/dwarf/types';

const int: TypeNode = { kind: 'base', name: 'int', size: 4, encoding: 'DW_ATE_signed' };
const u64: TypeNode = { kind: 'typedef', name: 'uint64_t', target: { kind: 'base', name: 'long unsigned int', size: 8, encoding: 'DW_ATE_unsigned' }, size: 8 };
const u8: TypeNode = { kind: 'base', name: 'unsigned char', size: 1, encoding: 'DW_ATE_unsigned_char' };
const char: TypeNode = { kind: 'base', name: 'char', size: 1, encoding: 'DW_ATE_unsigned_char' };
const state: TypeNode = { kind: 'enum', name: 'state', size: 4, enumerators: [{ name: 'IDLE', value: 0n }, { name: 'RUNNING', value: 1n }, { name: 'BLOCKED', value: 2n }] };
const regs: TypeNode = { kind: 'array', element: u64, dims: [{ lower: 0n, count: 4n }], size: 32 };
const vcpu: TypeNode = {
  kind: 'struct', name: 'vcpu', size: 48, declaration: false, members: [
    { name: 'id', type: int, byteOffset: 0 },
    { name: 'st', type: state, byteOffset: 4 },
    { name: 'regs', type: regs, byteOffset: 8 },
    { name: 'pending', type: u8, byteOffset: 40, bitSize: 3, bitOffset: 320 },
    { name: 'hw', type: u8, byteOffset: 40, bitSize: 1, bitOffset: 323 },
  ],
};
const vcpuT: TypeNode = { kind: 'typedef', name: 'vcpu_t', target: vcpu, size: 48 };
const ptr = (t: TypeNode): TypeNode => ({ kind: 'pointer', size: 8, target: t });

const BASE = 0x40001000n;
function memoryImage(): Map<bigint, number> {
  const m = new Map<bigint, number>();
  const put = (a: bigint, v: bigint, n: number): void => { for (let i = 0; i < n; i++) m.set(a + BigInt(i), Number((v >> BigInt(8 * i)) & 0xffn)); };
  // vcpus[0] at BASE, vcpus[1] at BASE+48
  put(BASE, 0n, 4); put(BASE + 4n, 1n, 4);
  for (let i = 0; i < 4; i++) put(BASE + 8n + BigInt(8 * i), 0x1000n + BigInt(i), 8);
  put(BASE + 40n, 0b1101n, 1); // pending = 5, hw = 1
  put(BASE + 48n, 1n, 4); put(BASE + 52n, 2n, 4);
  for (let i = 0; i < 4; i++) put(BASE + 56n + BigInt(8 * i), 0x2000n + BigInt(i), 8);
  put(BASE + 88n, 0n, 8);
  // cur (a struct vcpu *) at BASE+0x100, pointing at vcpus[1]; name (char *) at BASE+0x108
  put(BASE + 0x100n, BASE + 48n, 8);
  put(BASE + 0x108n, BASE + 0x200n, 8);
  const s = 'guest-1';
  for (let i = 0; i <= s.length; i++) m.set(BASE + 0x200n + BigInt(i), i < s.length ? s.charCodeAt(i) : 0);
  put(BASE + 0x110n, -7n & 0xffffffffn, 4); // int neg = -7
  return m;
}

function scope(mem = memoryImage()): CScope {
  const vars: Record<string, { type: TypeNode; address?: bigint; bytes?: Uint8Array; missing?: string }> = {
    vcpus: { type: { kind: 'array', element: vcpu, dims: [{ lower: 0n, count: 2n }], size: 96 }, address: BASE },
    cur: { type: ptr(vcpuT), address: BASE + 0x100n },
    name: { type: ptr(char), address: BASE + 0x108n },
    neg: { type: int, address: BASE + 0x110n },
    gone: { type: int, missing: 'optimized out' },
    nothing: { type: ptr(vcpu), bytes: new Uint8Array(8) },
    wild: { type: ptr(vcpu), bytes: Uint8Array.from([0, 0, 0, 0, 0, 0, 0x10, 0]) },
  };
  return {
    variable: (n) => vars[n],
    type: (n, tag) => (tag === 'struct' && n === 'vcpu' ? vcpu : tag === 'enum' && n === 'state' ? state : !tag && n === 'vcpu_t' ? vcpuT : !tag && n === 'uint64_t' ? u64 : undefined),
    enumerator: (n) => { const e = (state as { enumerators: { name: string; value: bigint }[] }).enumerators.find((x) => x.name === n); return e ? { type: state, value: e.value } : undefined; },
    register: (n) => (n === 'x0' ? BASE + 48n : n === 'HCR_EL2.VM' ? 1n : undefined),
    readMemory: (a, size) => {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i++) { const b = mem.get(a + BigInt(i)); if (b === undefined) return undefined; out[i] = b; }
      return out;
    },
    writeMemory: (a, bytes) => { bytes.forEach((b, i) => mem.set(a + BigInt(i), b)); return true; },
  };
}

const val = (src: string, s = scope()): bigint => evaluateCScalar(src, s);
const err = (src: string, s = scope()): string => {
  try { resultBytes(evaluateC(src, s), s, src); } catch (e) { assert.ok(e instanceof CExprError, `${src}: ${(e as Error).stack}`); return e.message; }
  assert.fail(`${src} did not fail`);
};

describe('C expressions (c-expr.ts)', () => {
  it('reads members, array elements and pointers, as C does', () => {
    assert.strictEqual(val('cur->id'), 1n);
    assert.strictEqual(val('cur->regs[0]'), 0x2000n);
    assert.strictEqual(val('vcpus[0].regs[3]'), 0x1003n);
    assert.strictEqual(val('(*cur).regs[2]'), 0x2002n);
    assert.strictEqual(val('cur == &vcpus[1]'), 1n);
    assert.strictEqual(val('(&vcpus[0])->st == RUNNING'), 1n);
    assert.strictEqual(val('cur->st'), 2n);
    assert.strictEqual(val('*name'), 0x67n);
    assert.strictEqual(val("name[5] == '-'"), 1n);
    assert.strictEqual(val("name[6] - '0'"), 1n);
    assert.strictEqual(val('vcpus[0].pending'), 5n);
    assert.strictEqual(val('vcpus[0].hw'), 1n);
  });

  it('scales pointer arithmetic by the target size and gives ptrdiff_t for differences', () => {
    assert.strictEqual(val('(unsigned long)(vcpus + 1)'), BASE + 48n);
    assert.strictEqual(val('&vcpus[1] - &vcpus[0]'), 1n);
    assert.strictEqual(val('(char *)&vcpus[1] - (char *)vcpus'), 48n);
    assert.strictEqual(val('(unsigned long)&cur->regs[2] - (unsigned long)cur'), 24n);
    assert.strictEqual(val('*(cur->regs + 1)'), 0x2001n);
    assert.strictEqual(val('(unsigned long)((void *)cur + 3)'), BASE + 51n);
  });

  it('applies integer promotions and the usual arithmetic conversions (LP64)', () => {
    assert.strictEqual(val('-1 < 0u'), 0n, 'int converts to unsigned int');
    assert.strictEqual(val('-1 < 0l'), 1n, 'int converts to long');
    assert.strictEqual(val('-1L < 1U'), 1n, 'unsigned int converts to long');
    assert.strictEqual(val('neg / 2'), -3n, 'division truncates toward zero');
    assert.strictEqual(val('neg % 4'), -3n);
    assert.strictEqual(val('neg >> 1'), -4n, 'arithmetic shift of a negative int');
    assert.strictEqual(val('(unsigned char)300'), 44n);
    assert.strictEqual(val('(signed char)200'), -56n);
    assert.strictEqual(val('0xffffffff + 1'), 0n, '0xffffffff is unsigned int and wraps');
    assert.strictEqual(val('4294967295 + 1'), 4294967296n, '4294967295 is long');
    assert.strictEqual(val('2147483647 + 1'), -2147483648n, 'int wraps (as gcc -fwrapv would)');
    assert.strictEqual(val("'A' + 1"), 66n);
    assert.strictEqual(val("'\\n'"), 10n);
    assert.strictEqual(val("'\\x41'"), 65n);
    assert.strictEqual(val('1 ? 2 : 3'), 2n);
    assert.strictEqual(val('!cur + ~0'), -1n);
    assert.strictEqual(val('(1 << 4 | 3) ^ 0x10'), 3n);
  });

  it('gives sizeof of types and expressions, arrays not decaying', () => {
    assert.strictEqual(val('sizeof(struct vcpu)'), 48n);
    assert.strictEqual(val('sizeof(vcpu_t *)'), 8n);
    assert.strictEqual(val('sizeof vcpus'), 96n);
    assert.strictEqual(val('sizeof(vcpus) / sizeof(vcpus[0])'), 2n);
    assert.strictEqual(val('sizeof cur->regs'), 32n);
    assert.strictEqual(val('sizeof(unsigned short)'), 2n);
    assert.strictEqual(val("sizeof 'a'"), 4n);
    assert.strictEqual(val('sizeof(enum state)'), 4n);
    assert.strictEqual(val('sizeof(uint64_t) * 2'), 16n);
  });

  it('casts to typedefs, tags and pointers; falls back to registers and register fields', () => {
    assert.strictEqual(val('((vcpu_t *)x0)->id'), 1n);
    assert.strictEqual(val('((struct vcpu *)x0)->regs[1]'), 0x2001n);
    assert.strictEqual(val('(enum state)2 == BLOCKED'), 1n);
    assert.strictEqual(val('HCR_EL2.VM'), 1n);
    assert.strictEqual(val('*(u64 *)(x0 + 8)'), 0x2000n);
  });

  it('evaluates only the operand it needs in && || ?:', () => {
    assert.strictEqual(val('nothing && nothing->id == 1'), 0n);
    assert.strictEqual(val('!nothing || nothing->id'), 1n);
    assert.strictEqual(val('nothing ? nothing->id : 7'), 7n);
  });

  it('says what is wrong, naming the member, the type or the address', () => {
    assert.strictEqual(err('cur->idd'), "no member 'idd' in vcpu_t");
    assert.strictEqual(err('vcpus[0].nope'), "no member 'nope' in struct vcpu");
    assert.match(err('cur.id'), /needs a struct or union, but the left side is vcpu_t \*.*use '->'/);
    assert.match(err('vcpus[0]->id'), /'->id' needs a pointer/);
    assert.match(err('nothing->id'), /cannot read 4 byte\(s\) at 0x0: memory not mapped/);
    assert.match(err('wild->regs[1]'), /cannot read 8 byte\(s\) at 0x10000000000010/);
    assert.match(err('gone + 1'), /optimized out/);
    assert.match(err('nosuch'), /no variable, enum constant, register or symbol named 'nosuch'/);
    assert.match(err('sizeof(struct nope)'), /no type 'struct nope'/);
    assert.match(err('cur->id = 3'), /assignment is not allowed/);
    assert.match(err('cur->id++'), /no side effects/);
    assert.match(err('f(1)'), /function calls are not supported/);
    assert.match(err('(struct vcpu)1'), /cannot cast to struct vcpu/);
    assert.match(err('1 / 0'), /division by zero/);
    assert.match(err('cur + cur'), /cannot add two pointers/);
    assert.match(err('&neg + 1 ('), /unexpected '\('|function calls/);
    assert.match(checkCSyntax('vcpu->id ==') ?? '', /unexpected end of expression/);
    assert.strictEqual(checkCSyntax('vcpu->id == 1 && (unsigned long)vcpu->regs[0] > 3'), undefined);
  });

  it('assigns through an lvalue in memory, converting as C assignment does', () => {
    const mem = memoryImage();
    const s = scope(mem);
    assignC('cur->regs[3]', '0x1234 + 1', s);
    assert.strictEqual(val('vcpus[1].regs[3]', s), 0x1235n);
    assignC('neg', '-1', s);
    assert.strictEqual(val('neg', s), -1n);
    assignC('vcpus[0].st', 'BLOCKED', s);
    assert.strictEqual(val('vcpus[0].st == BLOCKED', s), 1n);
    assert.throws(() => assignC('vcpus[0]', '1', s), /only integer, enum and pointer objects/);
    assert.throws(() => assignC('1 + 2', '1', s), /not an object that can be written/);
  });

  it('returns aggregates as objects with their address (children are formatted by c-scope)', () => {
    const r = evaluateC('*cur', scope());
    assert.strictEqual(r.address, BASE + 48n);
    assert.strictEqual((r.type as { name: string }).name, 'vcpu_t');
  });
});
