// Known answers for the AdvSIMD integer classes of simd-int-sat.ts, simd-int-diff.ts and
// simd-int-elem.ts (three different, by element, saturating/rounding shifts, saturating narrows,
// RDM, DotProd, URECPE/URSQRTE). Expected values are worked out by hand from the C7.2
// Operation pseudocode; the instruction words come from our encoder, which
// test/unit/asm/a64.test.ts checks against GNU as for every record. The random differential
// comparison with QEMU is `npm run fuzz` (test/fuzz/fuzz.test.ts in CI).
import { strict as assert } from 'node:assert';
import { encode } from '../../../src/asm/a64/encode';
import { ARMV81_VHE, CORTEX_A57, type CpuModel } from '../../../src/sim/cpu-model';
import { requiredSlot } from '../../../src/sim/sysregs';
import { TestBoard } from './harness';

const FPSR = requiredSlot('FPSR') * 2, QC = 1 << 27;

function word(text: string): number {
  const sp = text.indexOf(' ');
  const r = encode(text.slice(0, sp), text.slice(sp + 1), { pc: 0n, evaluate: (e) => BigInt(e), literal: () => 0n });
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return r.word;
}

function setV(t: TestBoard, n: number, v: bigint): void {
  for (let i = 0; i < 4; i++) t.pe.v[4 * n + i] = Number((v >> BigInt(32 * i)) & 0xffffffffn);
}
function getV(t: TestBoard, n: number): bigint {
  let r = 0n;
  for (let i = 3; i >= 0; i--) r = (r << 32n) | BigInt(t.pe.v[4 * n + i]);
  return r;
}

interface Run { v0: bigint; qc: boolean; undef: boolean }

/** Runs `text` at EL1 with FP enabled, V0..V3 = regs; returns V0, FPSR.QC and whether it was UNDEFINED. */
function run(text: string, regs: bigint[], model: CpuModel = ARMV81_VHE): Run {
  const t = new TestBoard(model);
  const pe = t.reset(1);
  pe.sys[requiredSlot('CPACR_EL1') * 2] = 3 << 20;
  regs.forEach((v, i) => setV(t, i, v));
  pe.sys[FPSR] = 0;
  const before = pe.exceptions;
  t.exec1(word(text));
  const undef = pe.exceptions !== before;
  return { v0: getV(t, 0), qc: (pe.sys[FPSR] & QC) !== 0, undef };
}

/** Lanes (low first) of `bits` each into a 128-bit value. */
const lanes = (bits: number, ...xs: bigint[]): bigint => xs.reduce((acc, x, i) => acc | (BigInt.asUintN(bits, x) << BigInt(bits * i)), 0n);

describe('AdvSIMD integer: three different', () => {
  it('SMULL2/UMULL of 32-bit lanes give exact 64-bit products', () => {
    const a = lanes(32, 1n, 2n, -0x80000000n, 0x7fffffffn), b = lanes(32, 3n, 4n, -0x80000000n, -1n);
    assert.equal(run('smull2 v0.2d, v1.4s, v2.4s', [0n, a, b]).v0, lanes(64, 0x4000000000000000n, -0x7fffffffn));
    assert.equal(run('umull v0.2d, v1.2s, v2.2s', [0n, lanes(32, 0xffffffffn, 5n), lanes(32, 0xffffffffn, 7n)]).v0,
      lanes(64, 0xfffffffe00000001n, 35n));
  });

  it('SQDMULL saturates only -2^15 * -2^15 (QC); SQDMLAL saturates the accumulation too', () => {
    const r = run('sqdmull v0.4s, v1.4h, v2.4h', [0n, lanes(16, -0x8000n, 3n, -2n, 0n), lanes(16, -0x8000n, 5n, 7n, 9n)]);
    assert.equal(r.v0, lanes(32, 0x7fffffffn, 30n, -28n, 0n));
    assert.equal(r.qc, true);
    const acc = run('sqdmlal v0.4s, v1.4h, v2.4h', [lanes(32, 0x7ffffff0n, 1n, 0n, 0n), lanes(16, 1n, 2n, 0n, 0n), lanes(16, 8n, 3n, 0n, 0n)]);
    assert.equal(acc.v0, lanes(32, 0x7fffffffn, 13n, 0n, 0n));
    assert.equal(acc.qc, true);
    const ok = run('sqdmlsl s0, h1, h2', [5n, 2n, 3n]);
    assert.deepEqual([ok.v0, ok.qc], [BigInt.asUintN(32, -7n), false]);
  });

  it('RADDHN2 rounds and writes the upper half, keeping the lower; SUBHN clears it', () => {
    const r = run('raddhn2 v0.16b, v1.8h, v2.8h', [0x1122334455667788n, lanes(16, 0x0180n, 0xff00n), lanes(16, 0x0000n, 0x0080n)]);
    assert.equal(r.v0, (lanes(8, 0x02n, 0x00n) << 64n) | 0x1122334455667788n);   // 0x0180+0x80 = 0x0200 -> 2; 0xff80+0x80 wraps -> 0
    assert.equal(run('subhn v0.8b, v1.8h, v2.8h', [-1n, lanes(16, 0x0100n), lanes(16, 0x0200n)]).v0, lanes(8, 0xffn));
  });

  it('PMULL (8-bit) is a carry-less product; UABAL and SSUBW', () => {
    assert.equal(run('pmull v0.8h, v1.8b, v2.8b', [0n, lanes(8, 0xffn, 3n), lanes(8, 0xffn, 3n)]).v0, lanes(16, 0x5555n, 5n));
    assert.equal(run('uabal v0.8h, v1.8b, v2.8b', [lanes(16, 10n, 0xffffn), lanes(8, 1n, 0n), lanes(8, 255n, 2n)]).v0, lanes(16, 264n, 1n));
    assert.equal(run('ssubw2 v0.4s, v1.4s, v2.8h', [0n, lanes(32, 1n), lanes(16, 0n, 0n, 0n, 0n, -5n)]).v0, lanes(32, 6n, 0n, 0n, 0n));
  });

  it('SQDMULL is not UNDEFINED; PMULL 1Q is the crypto extension\'s (simd-crypto.ts, listed first)', () => {
    assert.equal(run('sqdmull v0.4s, v1.4h, v2.4h', []).undef, false);
  });
});

describe('AdvSIMD integer: by element', () => {
  it('MLS, UMLAL2 and SQDMULH (by element) use the indexed lane', () => {
    assert.equal(run('mls v0.4s, v1.4s, v2.s[3]', [lanes(32, 100n, 0n, 0n, 0n), lanes(32, 3n, 1n, 0n, 0n), lanes(32, 0n, 0n, 0n, 7n)]).v0,
      lanes(32, 79n, -7n, 0n, 0n));
    assert.equal(run('umlal2 v0.4s, v1.8h, v2.h[7]', [lanes(32, 1n), lanes(16, 0n, 0n, 0n, 0n, 0xffffn), lanes(16, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0xffffn)]).v0,
      lanes(32, 0xfffe0002n));
    const r = run('sqdmulh v0.8h, v1.8h, v2.h[1]', [0n, lanes(16, -0x8000n, 0x4000n), lanes(16, 0n, -0x8000n)]);
    assert.equal(r.v0, lanes(16, 0x7fffn, -0x4000n));
    assert.equal(r.qc, true);
  });

  it('SQRDMULH (scalar, by element) rounds: 0x4001 * 0x0001 * 2 = 0x8002 -> 1', () => {
    assert.equal(run('sqrdmulh h0, h1, v2.h[0]', [0n, 0x4001n, 1n]).v0, 1n);
  });
});

describe('AdvSIMD integer: saturating and rounding shifts, narrows', () => {
  it('SQADD/UQSUB (scalar D) saturate and set QC; a non-saturating one leaves QC clear', () => {
    const r = run('sqadd d0, d1, d2', [0n, 0x7fffffffffffffffn, 1n]);
    assert.deepEqual([r.v0, r.qc], [0x7fffffffffffffffn, true]);
    const u = run('uqsub d0, d1, d2', [0n, 1n, 2n]);
    assert.deepEqual([u.v0, u.qc], [0n, true]);
    const n = run('uqadd b0, b1, b2', [0n, 0x0fn, 0xf0n]);
    assert.deepEqual([n.v0, n.qc], [0xffn, false]);
  });

  it('SRSHL/SQRSHL by negative and large register shifts; SSHL 2D', () => {
    assert.equal(run('srshl d0, d1, d2', [0n, -3n & 0xffffffffffffffffn, 0xffn]).v0, BigInt.asUintN(64, -1n));   // -3 >> 1 rounded = -1
    const q = run('sqrshl v0.4s, v1.4s, v2.4s', [0n, lanes(32, 1n, -1n, 5n, 0n), lanes(32, 31n, 40n, -1n, 0n)]);
    assert.equal(q.v0, lanes(32, 0x7fffffffn, -0x80000000n, 3n, 0n));
    assert.equal(q.qc, true);
    assert.equal(run('sshl v0.2d, v1.2d, v2.2d', [0n, lanes(64, -8n, 1n), lanes(64, -2n, 63n)]).v0, lanes(64, -2n, -0x8000000000000000n));
  });

  it('SQSHLU, URSRA, SQRSHRUN2 and UQXTN (scalar)', () => {
    const s = run('sqshlu v0.8b, v1.8b, #1', [0n, lanes(8, -1n, 0x40n, 0x80n, 0x7fn)]);
    assert.equal(s.v0, lanes(8, 0n, 0x80n, 0n, 0xfen));
    assert.equal(s.qc, true);
    assert.equal(run('ursra d0, d1, #64', [5n, 0x8000000000000000n]).v0, 6n);
    const n = run('sqrshrun2 v0.8h, v1.4s, #4', [0xaaaan, lanes(32, 0x18n, -0x10n, 0x1000000n, 0x7ffn)]);
    assert.equal(n.v0, (lanes(16, 2n, 0n, 0xffffn, 0x80n) << 64n) | 0xaaaan);
    assert.equal(run('uqxtn s0, d1', [-1n, 0x100000000n]).v0, 0xffffffffn);
  });

  it('SUQADD/USQADD, SQABS/SQNEG of the most negative value, SADALP, SHLL2', () => {
    assert.equal(run('suqadd b0, b1', [0x7en, 0x05n]).v0, 0x7fn);
    assert.equal(run('usqadd h0, h1', [0x0003n, 0xfffbn]).v0, 0n);   // 3 + (-5) saturates to 0
    const a = run('sqabs v0.4s, v1.4s', [0n, lanes(32, -0x80000000n, -5n, 5n, 0n)]);
    assert.deepEqual([a.v0, a.qc], [lanes(32, 0x7fffffffn, 5n, 5n, 0n), true]);
    assert.equal(run('sqneg d0, d1', [0n, 1n]).v0, BigInt.asUintN(64, -1n));
    assert.equal(run('sadalp v0.2d, v1.4s', [lanes(64, 1n, 2n), lanes(32, -1n, -1n, 0x7fffffffn, 1n)]).v0, lanes(64, -1n, 0x80000002n));
    assert.equal(run('shll2 v0.4s, v1.8h, #16', [0n, lanes(16, 0n, 0n, 0n, 0n, 0xabcdn)]).v0, lanes(32, 0xabcd0000n));
  });

  it('URECPE/URSQRTE (RecipEstimate/RecipSqrtEstimate on operand<31:23>)', () => {
    // 0x80000000 (0.5): a = 513, 2^19 DIV 513 = 1022, (1022+1) DIV 2 = 511; below 0.5: all ones.
    assert.equal(run('urecpe v0.2s, v1.2s', [0n, lanes(32, 0x80000000n, 0x7fffffffn)]).v0, lanes(32, 0xff800000n, 0xffffffffn));
    // 0x40000000 (0.25): a = 257, largest b with 257(b+1)^2 < 2^28 is 1021 -> 511; 0xffffffff: a = 1022, b = 511 -> 256.
    assert.equal(run('ursqrte v0.4s, v1.4s', [0n, lanes(32, 0x40000000n, 0xffffffffn, 0x3fffffffn, 0n)]).v0,
      lanes(32, 0xff800000n, 0x80000000n, 0xffffffffn, 0xffffffffn));
  });
});

describe('AdvSIMD integer: FEAT_RDM and FEAT_DotProd (max only)', () => {
  it('SQRDMLAH/SQRDMLSH on max; UNDEFINED on cortex-a57', () => {
    const r = run('sqrdmlah v0.4h, v1.4h, v2.4h', [lanes(16, 0x7fffn, 1n), lanes(16, 0x4000n, 0x4000n), lanes(16, 0x4000n, 0x4000n)]);
    assert.deepEqual([r.v0, r.qc], [lanes(16, 0x7fffn, 0x2001n), true]);
    assert.equal(run('sqrdmlsh s0, s1, s2', [0n, 0x40000000n, 0x40000000n]).v0, 0xe0000000n);
    assert.equal(run('sqrdmlah h0, h1, v2.h[3]', [0n, 0x4000n, lanes(16, 0n, 0n, 0n, 0x2000n)]).v0, 0x1000n);
    assert.equal(run('sqrdmlah v0.4h, v1.4h, v2.4h', [], CORTEX_A57).undef, true);
    assert.equal(run('sqrdmlsh v0.4s, v1.4s, v2.s[1]', [], CORTEX_A57).undef, true);
  });

  it('SDOT/UDOT (vector and by element) on max; UNDEFINED on cortex-a57', () => {
    const n = lanes(8, 1n, 2n, 3n, 4n, -1n, -1n, -1n, -1n), m = lanes(8, 5n, 6n, 7n, 8n, 2n, 2n, 2n, 2n);
    assert.equal(run('sdot v0.2s, v1.8b, v2.8b', [lanes(32, 10n, 10n), n, m]).v0, lanes(32, 80n, 2n));
    assert.equal(run('udot v0.2s, v1.8b, v2.8b', [0n, n, m]).v0, lanes(32, 70n, 2040n));
    assert.equal(run('sdot v0.4s, v1.16b, v2.4b[1]', [0n, n, m]).v0, lanes(32, 20n, -8n, 0n, 0n));
    assert.equal(run('sdot v0.2s, v1.8b, v2.8b', [], CORTEX_A57).undef, true);
    assert.equal(run('udot v0.4s, v1.16b, v2.4b[0]', [], CORTEX_A57).undef, true);
  });
});
