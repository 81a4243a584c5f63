// SIMD&FP known-answer tests (instruction words from aarch64-linux-gnu-as 2.40) and an exact
// BigInt reference for the FP rounding paths (FADD/FMUL/FDIV/FSQRT/FMADD in every rounding
// mode, incl. subnormal results and FZ). Expected values are computed independently of the
// simulator: by hand for moves and structure loads, by the reference for arithmetic.
import { strict as assert } from 'node:assert';
import { decode, findEncoding } from '../../../src/sim/decode';
import { requiredSlot } from '../../../src/sim/sysregs';
import { SIMD } from '../../../src/sim/isa/simd';
import { RAM_BASE, TestBoard, getX, nzcv, rng, setX } from './harness';

const FPCR = requiredSlot('FPCR') * 2, FPSR = requiredSlot('FPSR') * 2;
const DATA = RAM_BASE + 0x10000;

function setV(pe: TestBoard['pe'], n: number, v: bigint): void {
  for (let i = 0; i < 4; i++) pe.v[4 * n + i] = Number((v >> BigInt(32 * i)) & 0xffffffffn);
}
function getV(pe: TestBoard['pe'], n: number): bigint {
  let r = 0n;
  for (let i = 3; i >= 0; i--) r = (r << 32n) | BigInt(pe.v[4 * n + i]);
  return r;
}
const hx = (v: bigint): string => '0x' + v.toString(16);

/** Runs one word at EL1 (FP enabled) and checks no exception was taken. */
function run(t: TestBoard, word: number): void {
  const pe = t.pe, before = pe.exceptions;
  t.exec1(word);
  assert.equal(pe.exceptions, before, `0x${word.toString(16)} took an exception`);
}

function fresh(): TestBoard {
  const t = new TestBoard();
  const pe = t.reset(1);
  pe.sys[requiredSlot('CPACR_EL1') * 2] = 3 << 20;
  for (let i = 0; i < 64; i++) t.mem.write(DATA + i, 1, i);
  return t;
}

describe('SIMD&FP: encoding table', () => {
  it('every record is reachable: words matching a record decode to that record', () => {
    const next = rng(7);
    for (const e of SIMD) {
      for (let k = 0; k < 200; k++) {
        const w = ((e.value & e.mask) | (next() & ~e.mask)) >>> 0;
        // immh = 0000 is "modified immediate", which is listed first and wins by design.
        if (e.name.startsWith('Advanced SIMD shift by immediate') && ((w >>> 19) & 15) === 0) continue;
        // A narrower record listed earlier (the FP opcodes of an AdvSIMD class, simd-fpvec.ts)
        // takes its part of a wider class by design; anything else must be this record.
        const found = findEncoding(w);
        const narrower = found !== undefined && found !== e && SIMD.indexOf(found) < SIMD.indexOf(e)
          && ((found.mask & e.mask) >>> 0) === (e.mask >>> 0) && found.mask !== e.mask;
        if (!narrower) assert.equal(found?.name, e.name, `0x${w.toString(16)} should be "${e.name}"`);
      }
    }
  });
});

describe('SIMD&FP: structure loads and stores', () => {
  it('LD2 de-interleaves; LD1R replicates with immediate post-index', () => {
    const t = fresh(), pe = t.pe;
    setX(pe, 1, BigInt(DATA));
    run(t, 0x4c408020);                                  // ld2 {v0.16b, v1.16b}, [x1]
    let even = 0n, odd = 0n;
    for (let i = 15; i >= 0; i--) { even = (even << 8n) | BigInt(2 * i); odd = (odd << 8n) | BigInt(2 * i + 1); }
    assert.equal(hx(getV(pe, 0)), hx(even));
    assert.equal(hx(getV(pe, 1)), hx(odd));
    run(t, 0x4ddfc822);                                  // ld1r {v2.4s}, [x1], #4
    assert.equal(hx(getV(pe, 2)), hx(0x03020100_03020100_03020100_03020100n));
    assert.equal(getX(pe, 1), BigInt(DATA + 4));
  });

  it('single-lane load with register post-index keeps the other lanes', () => {
    const t = fresh(), pe = t.pe;
    setX(pe, 1, BigInt(DATA + 8)); setX(pe, 2, 100n);
    setV(pe, 3, 0xffffffff_eeeeeeee_dddddddd_ccccccccn);
    run(t, 0x0dc29023);                                  // ld1 {v3.s}[1], [x1], x2
    assert.equal(hx(getV(pe, 3)), hx(0xffffffff_eeeeeeee_0b0a0908_ccccccccn));
    assert.equal(getX(pe, 1), BigInt(DATA + 108));
  });

  it('LD4 of 4H zeroes the upper halves and wraps V28..V31; LD3R; LD1 from SP', () => {
    const t = fresh(), pe = t.pe;
    setX(pe, 1, BigInt(DATA)); setX(pe, 2, 3n);
    for (const r of [28, 29, 30, 31]) setV(pe, r, (1n << 128n) - 1n);
    run(t, 0x0c40043c);                                  // ld4 {v28.4h-v31.4h}, [x1]
    // element e of register s is the halfword at 2*(4e+s)
    for (let s = 0; s < 4; s++) {
      let want = 0n;
      for (let e = 3; e >= 0; e--) { const b = 2 * (4 * e + s); want = (want << 16n) | BigInt(((b + 1) << 8) | b); }
      assert.equal(hx(getV(pe, 28 + s)), hx(want), `V${28 + s}`);
    }
    run(t, 0x0dc2e024);                                  // ld3r {v4.8b-v6.8b}, [x1], x2
    assert.equal(hx(getV(pe, 4)), hx(0x0000000000000000_0000000000000000n));
    assert.equal(hx(getV(pe, 5)), hx(0x0101010101010101n));
    assert.equal(hx(getV(pe, 6)), hx(0x0202020202020202n));
    assert.equal(getX(pe, 1), BigInt(DATA + 3));
    setX(pe, 32, BigInt(DATA + 16));
    run(t, 0x0c4073e7);                                  // ld1 {v7.8b}, [sp]
    assert.equal(hx(getV(pe, 7)), hx(0x1716151413121110n));
  });

  it('ST2 interleaves with immediate post-index; ST1 single lane', () => {
    const t = fresh(), pe = t.pe;
    setX(pe, 3, BigInt(DATA + 0x100));
    setV(pe, 0, 0x0706050403020100n);
    setV(pe, 1, 0x1716151413121110n);
    setV(pe, 2, 0x8877665544332211_0123456789abcdefn);
    run(t, 0x0c9f8060);                                  // st2 {v0.8b, v1.8b}, [x3], #16
    const got = Array.from({ length: 16 }, (_, i) => t.mem.read(DATA + 0x100 + i, 1));
    assert.deepEqual(got, [0x00, 0x10, 0x01, 0x11, 0x02, 0x12, 0x03, 0x13, 0x04, 0x14, 0x05, 0x15, 0x06, 0x16, 0x07, 0x17]);
    assert.equal(getX(pe, 3), BigInt(DATA + 0x110));
    run(t, 0x4d008462);                                  // st1 {v2.d}[1], [x3]
    assert.equal(t.mem.read(DATA + 0x110, 4), 0x44332211);
    assert.equal(t.mem.read(DATA + 0x114, 4), 0x88776655);
  });
});

describe('SIMD&FP: moves', () => {
  const cases: [string, number, (t: TestBoard) => void, Record<number, bigint>, Record<number, bigint>?][] = [
    ['fmov d0, x1', 0x9e670020, (t) => { setV(t.pe, 0, -1n & ((1n << 128n) - 1n)); setX(t.pe, 1, 0x3ff0000000000000n); }, { 0: 0x3ff0000000000000n }],
    ['fmov x0, v1.d[1]', 0x9eae0020, (t) => setV(t.pe, 1, 0x1122334455667788_99aabbccddeeff00n), {}, { 0: 0x1122334455667788n }],
    ['fmov v1.d[1], x2', 0x9eaf0041, (t) => { setV(t.pe, 1, 0x5555n); setX(t.pe, 2, 0xabcdn); }, { 1: 0xabcd_0000000000005555n }],
    ['fmov s2, w3', 0x1e270062, (t) => { setV(t.pe, 2, 0xffffn << 64n); setX(t.pe, 3, 0x1234567887654321n); }, { 2: 0x87654321n }],
    ['movi v0.4s, #0xab, lsl #16', 0x4f054560, () => undefined, { 0: 0x00ab0000_00ab0000_00ab0000_00ab0000n }],
    ['mvni v1.8h, #0x12, lsl #8', 0x6f00a641, () => undefined, { 1: 0xedff_edff_edff_edff_edff_edff_edff_edffn }],
    ['orr v2.4s, #0x80, lsl #24', 0x4f047402, (t) => setV(t.pe, 2, 1n), { 2: 0x80000000_80000000_80000000_80000001n }],
    ['bic v3.8h, #0xff', 0x6f0797e3, (t) => setV(t.pe, 3, (1n << 128n) - 1n), { 3: 0xff00_ff00_ff00_ff00_ff00_ff00_ff00_ff00n }],
    ['movi v4.2d, #0xff00ff0000ff00ff', 0x6f05e4a4, () => undefined, { 4: 0xff00ff0000ff00ff_ff00ff0000ff00ffn }],
    ['movi d5, #0xffff0000ffff0000', 0x2f06e585, (t) => setV(t.pe, 5, -1n & ((1n << 128n) - 1n)), { 5: 0xffff0000ffff0000n }],
    ['movi v6.4s, #0x12, msl #16', 0x4f00d646, () => undefined, { 6: 0x0012ffff_0012ffff_0012ffff_0012ffffn }],
    ['fmov v7.4s, #1.5', 0x4f03f707, () => undefined, { 7: 0x3fc00000_3fc00000_3fc00000_3fc00000n }],
    ['fmov v8.2d, #-2.0', 0x6f04f408, () => undefined, { 8: 0xc000000000000000_c000000000000000n }],
    ['movi v9.8b, #0x7f', 0x0f03e7e9, (t) => setV(t.pe, 9, (1n << 128n) - 1n), { 9: 0x7f7f7f7f7f7f7f7fn }],
    ['dup v0.8h, w1', 0x4e020c20, (t) => setX(t.pe, 1, 0x12345678n), { 0: 0x5678_5678_5678_5678_5678_5678_5678_5678n }],
    ['dup v1.2d, x1', 0x4e080c21, (t) => setX(t.pe, 1, 0x0123456789abcdefn), { 1: 0x0123456789abcdef_0123456789abcdefn }],
    ['dup v2.4s, v3.s[2]', 0x4e140462, (t) => setV(t.pe, 3, 0x44444444_33333333_22222222_11111111n), { 2: 0x33333333_33333333_33333333_33333333n }],
    ['mov v4.b[5], w1', 0x4e0b1c24, (t) => { setX(t.pe, 1, 0xabn); setV(t.pe, 4, 0n); }, { 4: 0xab0000000000n }],
    ['mov v5.h[3], v6.h[7]', 0x6e0e74c5, (t) => { setV(t.pe, 6, 0xbeefn << 112n); setV(t.pe, 5, 1n << 127n); }, { 5: (1n << 127n) | (0xbeefn << 48n) }],
  ];
  for (const [asm, word, init, wantV, wantX] of cases) {
    it(asm, () => {
      const t = fresh();
      init(t);
      run(t, word);
      for (const [r, v] of Object.entries(wantV)) assert.equal(hx(getV(t.pe, Number(r))), hx(v), `V${r}`);
      for (const [r, v] of Object.entries(wantX ?? {})) assert.equal(hx(getX(t.pe, Number(r))), hx(v), `X${r}`);
    });
  }
  it('umov/smov/mov x from lanes', () => {
    const t = fresh(), pe = t.pe;
    setV(pe, 7, 0xfedcba9876543210_8899aabbccddeeffn);
    run(t, 0x0e133ce0);                                  // umov w0, v7.b[9]
    assert.equal(getX(pe, 0), 0x32n);
    run(t, 0x4e0e2ce1);                                  // smov x1, v7.h[3]
    assert.equal(getX(pe, 1), 0xffffffffffff8899n);
    run(t, 0x4e183ce2);                                  // mov x2, v7.d[1]
    assert.equal(getX(pe, 2), 0xfedcba9876543210n);
  });
});

describe('SIMD&FP: integer vector ops', () => {
  const bytes = (f: (i: number) => number): bigint => { let r = 0n; for (let i = 15; i >= 0; i--) r = (r << 8n) | BigInt(f(i) & 0xff); return r; };
  it('add, cmeq #0, addp, uminv, ext, tbl, zip1, ushr, cnt, rev64, xtn, uaddlv', () => {
    const t = fresh(), pe = t.pe;
    const v1 = bytes((i) => i * 17 + 3), v2 = bytes((i) => 250 - i);
    setV(pe, 1, v1); setV(pe, 2, v2);
    run(t, 0x4e228420);                                  // add v0.16b, v1.16b, v2.16b
    assert.equal(hx(getV(pe, 0)), hx(bytes((i) => i * 17 + 3 + 250 - i)));
    setV(pe, 1, 0x0000_0001_0000_ffff_0000_8000_0001_0000n);
    run(t, 0x4e609823);                                  // cmeq v3.8h, v1.8h, #0
    assert.equal(hx(getV(pe, 3)), hx(0xffff_0000_ffff_0000_ffff_0000_0000_ffffn));
    setV(pe, 1, 0x00000004_00000003_00000002_ffffffffn); setV(pe, 2, 0x00000000_00000020_00000000_00000001n);
    run(t, 0x4ea2bc24);                                  // addp v4.4s, v1.4s, v2.4s
    assert.equal(hx(getV(pe, 4)), hx(0x00000020_00000001_00000007_00000001n));
    setV(pe, 1, bytes((i) => 200 - 3 * i));
    run(t, 0x6e31a825);                                  // uminv b5, v1.16b
    assert.equal(getV(pe, 5), BigInt(200 - 45));
    setV(pe, 1, bytes((i) => i)); setV(pe, 2, bytes((i) => 0x80 + i));
    run(t, 0x6e021826);                                  // ext v6.16b, v1.16b, v2.16b, #3
    assert.equal(hx(getV(pe, 6)), hx(bytes((i) => (i + 3 < 16 ? i + 3 : 0x80 + i + 3 - 16))));
    setV(pe, 3, bytes((i) => [0, 31, 32, 255, 16, 5][i % 6]));
    run(t, 0x4e032027);                                  // tbl v7.16b, {v1.16b, v2.16b}, v3.16b
    assert.equal(hx(getV(pe, 7)), hx(bytes((i) => { const k = [0, 31, 32, 255, 16, 5][i % 6]; return k < 16 ? k : k < 32 ? 0x80 + k - 16 : 0; })));
    run(t, 0x4e423828);                                  // zip1 v8.8h, v1.8h, v2.8h
    assert.equal(hx(getV(pe, 8)), hx(0x8786_0706_8584_0504_8382_0302_8180_0100n));
    setV(pe, 1, 0xf000000000000000_7000000000000001n);
    run(t, 0x6f440429);                                  // ushr v9.2d, v1.2d, #60
    assert.equal(hx(getV(pe, 9)), hx(0xf_0000000000000007n));
    setV(pe, 1, 0xffff_ffff_ffff_ffff_0f07_0301_00ff_8001n);
    run(t, 0x0e20582a);                                  // cnt v10.8b, v1.8b
    assert.equal(hx(getV(pe, 10)), hx(0x0403_0201_0008_0101n));
    setV(pe, 1, bytes((i) => i));
    run(t, 0x4e20082b);                                  // rev64 v11.16b, v1.16b
    assert.equal(hx(getV(pe, 11)), hx(bytes((i) => (i < 8 ? 7 - i : 23 - i))));
    run(t, 0x0e21282c);                                  // xtn v12.8b, v1.8h
    assert.equal(hx(getV(pe, 12)), hx(0x0e0c0a0806040200n));
    run(t, 0x6e30382d);                                  // uaddlv h13, v1.16b
    assert.equal(getV(pe, 13), 120n);
  });
});

// ---------------------------------------------------------------- exact reference for rounding

interface Fmt { p: number; emin: number; emax: number }
const DBL: Fmt = { p: 53, emin: -1022, emax: 1023 };
const SGL: Fmt = { p: 24, emin: -126, emax: 127 };

/** A finite double as (N, E) with value N * 2^E exactly (N a signed BigInt). */
function parts(x: number): [bigint, number] {
  const b = new BigUint64Array(new Float64Array([x]).buffer)[0];
  const e = Number((b >> 52n) & 0x7ffn), m = b & ((1n << 52n) - 1n);
  const N = e === 0 ? m : m | (1n << 52n);
  return [b >> 63n ? -N : N, (e === 0 ? 1 : e) - 1075];
}

/**
 * Rounds N * 2^E (plus a sticky bit below it) to `f` with mode rm (0 RN, 1 RP, 2 RM, 3 RZ),
 * FZ flushing; returns [value, flags] with flags as FPSR bits.
 */
function refRound(N: bigint, E: number, sticky: boolean, f: Fmt, rm: number, fz: boolean): [number, number] {
  if (sticky) { N = N * 4n + (N < 0n ? -1n : 1n); E -= 2; }
  const neg = N < 0n; let M = neg ? -N : N;
  if (M === 0n) return [rm === 2 ? -0 : 0, 0];
  const L = M.toString(2).length;
  const ev = E + L - 1;
  const sgn = (v: number): number => (neg ? -v : v);
  const up = rm === 1 ? !neg : rm === 2 ? neg : false;
  const max = (2 - 2 ** (1 - f.p)) * 2 ** f.emax;
  if (ev < f.emin && fz) return [sgn(0), 8];
  const qexp = Math.max(ev, f.emin) - (f.p - 1);
  const shift = qexp - E;
  let flags = 0;
  let m: bigint;
  if (shift <= 0) m = M << BigInt(-shift);
  else {
    m = M >> BigInt(shift);
    const rem = M - (m << BigInt(shift)), half = 1n << BigInt(shift - 1);
    if (rem !== 0n) {
      flags |= 16;
      if (ev < f.emin) flags |= 8;
      if (rm === 0 ? rem > half || (rem === half && (m & 1n) === 1n) : up) m += 1n;
    }
    M = m;
  }
  const r = Number(m) * 2 ** qexp;
  if (ev > f.emax || r > max) return [sgn(rm === 0 || up ? Infinity : max), 4 | 16];
  return [sgn(r), flags];
}

function randFinite(next: () => number, f: Fmt): number {
  const sign = next() & 1 ? -1 : 1;
  const kind = next() % 6;
  let x: number;
  if (kind === 0) x = (next() % 1000) * 2 ** (f.emin - f.p + 1);                          // subnormal
  else if (kind === 1) x = (1 + (next() >>> 8) / 2 ** 24) * 2 ** (f.emax - (next() % 4));   // huge
  else if (kind === 2) x = (1 + (next() >>> 28) / 16) * 2 ** ((next() % 120) - 60);          // short significand
  else x = (1 + next() / 2 ** 32 + next() / 2 ** 64) * 2 ** ((next() % 80) - 40);
  x = f === SGL ? Math.fround(x) : x;
  return Number.isFinite(x) ? sign * x : sign;
}

function bitsOf(x: number, f: Fmt): bigint {
  return f === SGL ? BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]) : new BigUint64Array(new Float64Array([x]).buffer)[0];
}

describe('SIMD&FP: FP arithmetic against an exact BigInt reference', () => {
  const ops: [string, number, number, (a: number, b: number, c: number, f: Fmt, rm: number, fz: boolean) => [number, number]][] = [
    // [name, word for S (ftype 00), arity, reference]; D adds 1 << 22.
    ['fadd', 0x1e222820, 2, (a, b, _c, f, rm, fz) => { const [na, ea] = parts(a), [nb, eb] = parts(b), e = Math.min(ea, eb); return refRound((na << BigInt(ea - e)) + (nb << BigInt(eb - e)), e, false, f, rm, fz); }],
    ['fmul', 0x1e220820, 2, (a, b, _c, f, rm, fz) => { const [na, ea] = parts(a), [nb, eb] = parts(b); return refRound(na * nb, ea + eb, false, f, rm, fz); }],
    ['fdiv', 0x1e221820, 2, (a, b, _c, f, rm, fz) => {
      const [na, ea] = parts(a), [nb, eb] = parts(b), K = 240n;
      const num = na << K, q = num / nb;
      return refRound(q, ea - eb - Number(K), q * nb !== num, f, rm, fz);
    }],
    ['fsqrt', 0x1e21c020, 1, (a, _b, _c, f, rm, fz) => {
      let [na, ea] = parts(Math.abs(a));
      if (ea & 1) { na <<= 1n; ea -= 1; }
      const K = 240n, s = na << K;
      // Newton's method from above: the floor of the square root
      const r0 = BigInt(Math.floor(Math.sqrt(Number(s))));
      let r = r0 + (r0 >> 40n) + 1n;
      for (;;) { const y = (r + s / r) >> 1n; if (y >= r) break; r = y; }
      return refRound(r, (ea - Number(K)) / 2, r * r !== s, f, rm, fz);
    }],
    ['fmadd', 0x1f020c20, 3, (a, b, c, f, rm, fz) => {
      // d = c + a*b with Rn = a (v1), Rm = b (v2), Ra = c (v3)
      const [na, ea] = parts(a), [nb, eb] = parts(b), [nc, ec] = parts(c);
      const ep = ea + eb, e = Math.min(ep, ec);
      const N = ((na * nb) << BigInt(ep - e)) + (nc << BigInt(ec - e));
      if (N === 0n) return [rm === 2 ? -0 : 0, 0];   // exact cancellation
      return refRound(N, e, false, f, rm, fz);
    }],
  ];
  for (const [name, wordS, arity, ref] of ops) {
    for (const f of [SGL, DBL]) {
      it(`${name} ${f === SGL ? 'single' : 'double'}: 1500 random operands × 4 rounding modes × FZ`, () => {
        const t = fresh(), pe = t.pe;
        const word = (wordS | (f === DBL ? 1 << 22 : 0)) >>> 0;
        const ex = decode(word);
        const next = rng(wordS ^ f.p);
        for (let k = 0; k < 1500; k++) {
          let a = randFinite(next, f), b = randFinite(next, f), c = randFinite(next, f);
          if (name === 'fsqrt') a = Math.abs(a);
          if (name === 'fmadd' && next() % 2) {
            // c ≈ -(a*b): the exact result is (about) the product's rounding error
            c = f === SGL ? Math.fround(-(a * b)) : -(a * b);
            if (!Number.isFinite(c) || c === 0) c = 1;
          }
          if (name === 'fdiv' && b === 0) b = 1;
          if (f === DBL && (a === 0 || b === 0 || c === 0)) continue;   // zero-sign rules are covered by QEMU
          const rm = next() % 4, fz = next() % 4 === 0;
          // The reference flushes denormal inputs like FPUnpack does.
          const flush = (x: number): number => (fz && Math.abs(x) < 2 ** f.emin ? (x < 0 ? -0 : 0) : x);
          const idc = fz && [a, b, c].slice(0, arity).some((x) => x !== 0 && Math.abs(x) < 2 ** f.emin) ? 128 : 0;
          const [fa, fb, fc] = [flush(a), flush(b), flush(c)];
          if (fa === 0 || (arity > 1 && fb === 0) || (arity > 2 && fc === 0)) continue;
          setV(pe, 1, bitsOf(a, f)); setV(pe, 2, bitsOf(b, f)); setV(pe, 3, bitsOf(c, f));
          pe.sys[FPCR] = ((rm << 22) | (fz ? 1 << 24 : 0)) >>> 0;
          pe.sys[FPSR] = 0;
          ex(pe);
          const [want, flags] = ref(fa, fb, fc, f, rm, fz);
          const got = getV(pe, 0);
          const msg = `${name} a=${a} b=${b} c=${c} rm=${rm} fz=${fz}`;
          assert.equal(hx(got), hx(bitsOf(want, f)), msg);
          assert.equal(pe.sys[FPSR], flags | idc, `${msg}: FPSR`);
        }
      });
    }
  }
});

describe('SIMD&FP: scalar FP known answers', () => {
  const d = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0];
  it('fadd, fmadd (fused), fmov imm, fcmp, fcvtzs saturation, scvtf, fcvt, frinta', () => {
    const t = fresh(), pe = t.pe;
    setV(pe, 1, d(1 + 2 ** -30)); setV(pe, 2, d(1 - 2 ** -30)); setV(pe, 4, d(-1));
    run(t, 0x1e622820);                                  // fadd d0, d1, d2
    assert.equal(getV(pe, 0), d(2));
    run(t, 0x1f421023);                                  // fmadd d3, d1, d2, d4: (1 - 2^-60) - 1, exactly
    assert.equal(getV(pe, 3), d(-(2 ** -60)));
    assert.equal(pe.sys[FPSR], 0);
    run(t, 0x1e6c1005);                                  // fmov d5, #0.5
    assert.equal(getV(pe, 5), d(0.5));
    run(t, 0x1e622020);                                  // fcmp d1, d2
    assert.equal(nzcv(pe), 0b0010);
    setV(pe, 1, d(-3e10));
    run(t, 0x1e780020);                                  // fcvtzs w0, d1
    assert.equal(getX(pe, 0), 0x80000000n);
    assert.equal(pe.sys[FPSR] & 1, 1, 'IOC');
    setV(pe, 2, 0x40200000n);                            // 2.5f
    run(t, 0x9e19f041);                                  // fcvtzu x1, s2, #4
    assert.equal(getX(pe, 1), 40n);
    setX(pe, 2, 0xffffffffffffffffn);
    run(t, 0x9e620046);                                  // scvtf d6, x2
    assert.equal(getV(pe, 6), d(-1));
    setV(pe, 1, d(1 + 2 ** -24 + 2 ** -40));
    run(t, 0x1e624027);                                  // fcvt s7, d1 (rounds up)
    assert.equal(getV(pe, 7), 0x3f800001n);
    setV(pe, 2, 0x477fe000n);                            // 65504f
    run(t, 0x1e23c048);                                  // fcvt h8, s2
    assert.equal(getV(pe, 8), 0x7bffn);
    setV(pe, 1, d(-2.5));
    run(t, 0x1e664029);                                  // frinta d9, d1
    assert.equal(getV(pe, 9), d(-3));
  });
});

// Cases the differential fuzzer (tools/fuzz, `npm run fuzz`) found against QEMU 7.2; expected
// values from the Arm ARM pseudocode (FPSqrt, FPConvert with alt_hp, FPCR write mask).
describe('SIMD&FP: regressions found by the differential fuzzer', () => {
  const IOC = 1, IXC = 16;
  it('FSQRT of DBL_MAX rounds down to 0x5fefffffffffffff (no tie: a square root is never a midpoint)', () => {
    const t = fresh();
    setV(t.pe, 1, 0x7fefffffffffffffn);
    t.pe.sys[FPCR] = 0; t.pe.sys[FPSR] = 0;
    run(t, 0x1e61c020); // fsqrt d0, d1
    assert.equal(hx(getV(t.pe, 0)), '0x5fefffffffffffff');
    assert.equal(t.pe.sys[FPSR], IXC);
  });

  it('FCVT with FPCR.AHP=1 uses alternative half precision (no infinities or NaNs)', () => {
    const AHP = 1 << 26;
    const cases: [number, bigint, bigint, number][] = [
      // [word, input, expected, FPSR]
      [0x1ee2c020, 0xfc00n, 0xc0f0000000000000n, 0], // fcvt d0, h1: -65536
      [0x1ee2c020, 0x7fffn, 0x40fffc0000000000n, 0], // 131008, the largest magnitude
      [0x1e63c020, 0x7ff0000000000000n, 0x7fffn, IOC], // fcvt h0, d1: +inf -> largest, Invalid
      [0x1e63c020, 0xfff8000000000000n, 0x8000n, IOC], // NaN -> zero of its sign, Invalid
      [0x1e63c020, 0x40f0000000000000n, 0x7c00n, 0], // 65536.0 is a normal number
      [0x1e63c020, 0x412e848000000000n, 0x7fffn, IOC], // 1e6 overflows: largest, Invalid, no Overflow/Inexact
    ];
    for (const [word, input, want, fpsr] of cases) {
      const t = fresh();
      setV(t.pe, 1, input);
      t.pe.sys[FPCR] = AHP; t.pe.sys[FPSR] = 0;
      run(t, word);
      assert.equal(hx(getV(t.pe, 0)), hx(want), `0x${word.toString(16)} of ${hx(input)}`);
      assert.equal(t.pe.sys[FPSR], fpsr, `FPSR after 0x${word.toString(16)} of ${hx(input)}`);
    }
  });

  it('MSR FPCR/FPSR keep only the implemented bits (trap enables RAZ/WI, FZ16 and [63:32] RES0)', () => {
    const t = fresh();
    setX(t.pe, 0, 0xffffffffffffffffn);
    run(t, 0xd51b4400); // msr fpcr, x0
    run(t, 0xd53b4401); // mrs x1, fpcr
    assert.equal(hx(getX(t.pe, 1)), '0x7f70000');
    run(t, 0xd51b4420); // msr fpsr, x0
    run(t, 0xd53b4422); // mrs x2, fpsr
    assert.equal(hx(getX(t.pe, 2)), '0xf800009f');
  });
});
