// AdvSIMD floating point (src/sim/isa/simd-fpvec.ts): known answers worked out by hand from the
// Arm ARM pseudocode (DDI0487 shared/functions/float: FPProcessNaNs, FPMulX, FPRecipStepFused,
// FPRSqrtStepFused, FPRecipEstimate/RecipEstimate, FPRSqrtEstimate/RecipSqrtEstimate, FPRecpX,
// FPConvert with FPRounding_ODD, FPCompareGE/GT, Reduce). Instruction words from
// aarch64-linux-gnu-as 2.40. The differential fuzzer (`npm run fuzz`) compares every encoding
// with QEMU; these pin the rules each lane follows.
import { strict as assert } from 'node:assert';
import { decode, UNDEF } from '../../../src/sim/decode';
import { SIMD_FPVEC } from '../../../src/sim/isa/simd-fpvec';
import { requiredSlot } from '../../../src/sim/sysregs';
import { CORTEX_A57, CPU_MODELS, type CpuModel } from '../../../src/sim/cpu-model';
import { TestBoard, getX, rng, setX } from './harness';

const FPCR = requiredSlot('FPCR') * 2, FPSR = requiredSlot('FPSR') * 2;
const IOC = 1, OFC = 4, IXC = 16, IDC = 128;
const FZ = 1 << 24, RMODE_RM = 2 << 22;

function setV(pe: TestBoard['pe'], n: number, v: bigint): void {
  for (let i = 0; i < 4; i++) pe.v[4 * n + i] = Number((v >> BigInt(32 * i)) & 0xffffffffn);
}
function getV(pe: TestBoard['pe'], n: number): bigint {
  let r = 0n;
  for (let i = 3; i >= 0; i--) r = (r << 32n) | BigInt(pe.v[4 * n + i]);
  return r;
}
const hx = (v: bigint): string => '0x' + v.toString(16);
/** Double bits. */
const d = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0];
/** Two doubles as a 128-bit vector (lane 0 low). */
const d2 = (lo: number, hi: number): bigint => (d(hi) << 64n) | d(lo);
/** Four single-precision bit patterns as a vector (lane 0 first). */
const s4 = (...w: number[]): bigint => w.reduce((acc, x, i) => acc | (BigInt(x >>> 0) << BigInt(32 * i)), 0n);

function fresh(fpcr = 0, model: CpuModel = CORTEX_A57): TestBoard {
  const t = new TestBoard(model);
  const pe = t.reset(1);
  pe.sys[requiredSlot('CPACR_EL1') * 2] = 3 << 20;
  pe.sys[FPCR] = fpcr; pe.sys[FPSR] = 0;
  return t;
}

/** Runs one word at EL1 with the given registers; returns V0 and FPSR. */
function exec(word: number, regs: Record<number, bigint>, fpcr = 0, model: CpuModel = CORTEX_A57): { v0: bigint; fpsr: number } {
  const t = fresh(fpcr, model), pe = t.pe, before = pe.exceptions;
  setV(pe, 0, 0xdeadbeef_deadbeef_deadbeef_deadbeefn);
  for (const [r, v] of Object.entries(regs)) setV(pe, Number(r), v);
  t.exec1(word);
  assert.equal(pe.exceptions, before, `0x${word.toString(16)} took an exception`);
  return { v0: getV(pe, 0), fpsr: pe.sys[FPSR] };
}

function check(word: number, regs: Record<number, bigint>, want: bigint, fpsr: number, fpcr = 0, model: CpuModel = CORTEX_A57): void {
  const r = exec(word, regs, fpcr, model);
  assert.equal(hx(r.v0), hx(want), `0x${word.toString(16)}: result`);
  assert.equal(r.fpsr, fpsr, `0x${word.toString(16)}: FPSR`);
}

describe('AdvSIMD FP: three same, pairwise, by element', () => {
  it('fadd v0.4s: per-lane NaN rules (inf - inf -> default NaN + IOC, sNaN quietened + IOC)', () => {
    check(0x4e22d420, { 1: s4(0x3f800000, 0x40000000, 0xff800000, 0x7fa00001), 2: s4(0x40000000, 0x3f000000, 0x7f800000, 0x3f800000) },
      s4(0x40400000, 0x40200000, 0x7fc00000, 0x7fe00001), IOC);
  });

  it('fadd v0.4s with FPCR.FZ flushes a denormal input to zero and sets IDC', () => {
    check(0x4e22d420, { 1: s4(1, 0, 0, 0), 2: s4(0x3f800000, 0, 0, 0) }, s4(0x3f800000, 0, 0, 0), IDC, FZ);
  });

  it('faddp v0.4s adds adjacent pairs of Vn then of Vm', () => {
    // Vn = [1, 2, 3, 4], Vm = [10, 20, 30, 40] -> [3, 7, 30, 70]
    check(0x6e22d420, { 1: s4(0x3f800000, 0x40000000, 0x40400000, 0x40800000), 2: s4(0x41200000, 0x41a00000, 0x41f00000, 0x42200000) },
      s4(0x40400000, 0x40e00000, 0x41f00000, 0x428c0000), 0);
  });

  it('fabd s0: FPAbs clears the sign of a propagated NaN too', () => {
    check(0x7ea2d420, { 1: 0xffc00001n, 2: 0x3f800000n }, 0x7fc00001n, 0);
  });

  it('facgt d0 compares magnitudes; the scalar result is an all-ones D lane', () => {
    check(0x7ee2ec20, { 1: d(-3), 2: d(2) }, 0xffffffffffffffffn, 0);
    check(0x7ee2ec20, { 1: d(2), 2: d(-3) }, 0n, 0);
  });

  it('frecps s0: inf x 0 gives 2.0 without Invalid Operation (FPRecipStepFused)', () => {
    check(0x5e22fc20, { 1: 0x7f800000n, 2: 0n }, 0x40000000n, 0);
  });

  it('frsqrts d0: (3 - a*b) / 2 fused; an exact zero is -0 only when rounding toward -inf', () => {
    check(0x5ee2fc20, { 1: d(1), 2: d(1) }, d(1), 0);
    check(0x5ee2fc20, { 1: d(1.5), 2: d(2) }, 0n, 0);
    check(0x5ee2fc20, { 1: d(1.5), 2: d(2) }, 0x8000000000000000n, 0, RMODE_RM);
  });

  it('fmla v0.2d by element v2.d[1]; fmls s0 by element v2.s[2]', () => {
    check(0x4fc21820, { 0: d2(1, 2), 1: d2(3, 4), 2: d2(5, 10) }, d2(31, 42), 0);
    // 10 - 2 * 3 = 4; the scalar form zeroes the rest of V0
    const t = fresh(), pe = t.pe;
    setV(pe, 0, s4(0x41200000, 0x11111111, 0x22222222, 0x33333333)); setV(pe, 1, 0x40000000n);
    setV(pe, 2, s4(0, 0, 0x40400000, 0));
    t.exec1(0x5f825820);
    assert.equal(hx(getV(pe, 0)), hx(0x40800000n));
  });

  it('fmulx v0.4s by element: inf x 0 is 2.0 with the product sign (FPMulX)', () => {
    check(0x6fa29820, { 1: s4(0x7f800000, 0x40000000, 0xff800000, 0), 2: s4(0, 0, 0, 0x80000000) },
      s4(0xc0000000, 0x80000000, 0x40000000, 0x80000000), 0);
  });
});

describe('AdvSIMD FP: two-register misc, across lanes, conversions', () => {
  it('frecpe/frsqrte follow RecipEstimate/RecipSqrtEstimate (8-bit estimates)', () => {
    // 1.0: scaled 256 -> RecipEstimate 511 -> 0x3f7f8000 (0.998...)
    check(0x5ea1d820, { 1: 0x3f800000n }, 0x3f7f8000n, 0);
    // 2.0: even biased exponent -> scaled 256 -> a = 514 -> b = 722 -> r = 361: 0x3f348000 (~1/sqrt 2)
    check(0x7ea1d820, { 1: 0x40000000n }, 0x3f348000n, 0);
    // 4.0: odd biased exponent -> scaled 128 -> a = 257 -> b = 1022 -> r = 511; exponent (380-129) DIV 2 = 125
    check(0x7ea1d820, { 1: 0x40800000n }, 0x3eff8000n, 0);
    // zero: infinity of its sign and Divide by Zero
    check(0x5ea1d820, { 1: 0x80000000n }, 0xff800000n, 2);
  });

  it('frecpx d0 complements the exponent; zero/denormal give the largest exponent - 1', () => {
    check(0x5ee1f820, { 1: d(4) }, 0x3fe0000000000000n, 0);
    check(0x5ee1f820, { 1: 0x8000000000000001n }, 0xffe0000000000000n, 0);
  });

  it('urecpe v0.2s: 0x80000000 -> 0xff800000, below 0x80000000 -> all ones', () => {
    check(0x0ea1c820, { 1: s4(0x80000000, 0x7fffffff, 0x12345678, 0x12345678) }, s4(0xff800000, 0xffffffff, 0, 0), 0);
  });

  it('fcmle s0, #0.0 is FPCompareGE(0, x): -0 passes; a NaN fails with Invalid Operation', () => {
    check(0x7ea0d820, { 1: 0x80000000n }, 0xffffffffn, 0);
    check(0x7ea0d820, { 1: 0x7fc00000n }, 0n, IOC);
  });

  it('fmaxnmv s0, v1.4s: a quiet NaN loses to a number', () => {
    check(0x6e30c820, { 1: s4(0x7fc00000, 0x3f800000, 0xc0a00000, 0x40400000) }, 0x40400000n, 0);
  });

  it('fcvtxn s0, d1 rounds to odd; fcvtn v0.4h overflows to infinity; fcvtl2 widens the upper half', () => {
    check(0x7e616820, { 1: d(1 + 2 ** -30) }, 0x3f800001n, IXC);
    check(0x0e216820, { 1: s4(0x3f800000, 0xc0000000, 0x477fe000, 0x49742400) }, 0x7c007bffc0003c00n, OFC | IXC);
    check(0x4e617820, { 1: s4(0, 0, 0x3f000000, 0xff800000) }, (0xfff0000000000000n << 64n) | d(0.5), 0);
  });

  it('scvtf v0.2d #1 and fcvtzs s0 #2: fixed-point with fraction bits', () => {
    check(0x4f7fe420, { 1: (0xffffffffffffffffn << 64n) | 3n }, d2(1.5, -0.5), 0);
    check(0x5f3efc20, { 1: 0x3fa66666n }, 5n, IXC);   // 1.3 * 4 = 5.2 -> 5 toward zero
  });

  it('reserved sz:Q and size encodings are UNDEFINED', () => {
    assert.equal(decode(0x0e62d420), UNDEF);   // fadd with sz = 1, Q = 0 (reserved 1D)
    assert.equal(decode(0x4f421820), UNDEF);   // fmla by element with size = 01
    assert.notEqual(decode(0x4e22d420), UNDEF);
  });
});

// FEAT_FP16 (ARMv8.2 half-precision arithmetic): on `max` only. FPUnpackBase() flushes a half
// denormal input with FPCR.FZ16 without Input Denormal; FPRound() overflows to infinity in RN.
describe('AdvSIMD FP: FEAT_FP16 on max', () => {
  const MAX = CPU_MODELS.max;
  const FZ16 = 1 << 19;
  const h4 = (...w: number[]): bigint => w.reduce((acc, x, i) => acc | (BigInt(x) << BigInt(16 * i)), 0n);

  it('max advertises FP16 (ID_AA64PFR0_EL1.FP = AdvSIMD = 1); cortex-a57 does not', () => {
    for (const [model, want] of [[MAX, 1n], [CORTEX_A57, 0n]] as const) {
      const t = fresh(0, model);
      t.exec1(0xd5380401);                                 // mrs x1, id_aa64pfr0_el1
      const pfr0 = getX(t.pe, 1);
      assert.equal((pfr0 >> 16n) & 0xfn, want, `${model.name}: FP`);
      assert.equal((pfr0 >> 20n) & 0xfn, want, `${model.name}: AdvSIMD`);
    }
  });

  it('FPCR.FZ16 is writable on max and RES0 on cortex-a57', () => {
    for (const [model, want] of [[MAX, 0x80000n], [CORTEX_A57, 0n]] as const) {
      const t = fresh(0, model);
      setX(t.pe, 0, 0x80000n);
      t.exec1(0xd51b4400);                                 // msr fpcr, x0
      t.exec1(0xd53b4401);                                 // mrs x1, fpcr
      assert.equal(getX(t.pe, 1), want, model.name);
    }
  });

  it('fadd v0.4h: overflow to infinity, an exact denormal sum; FZ16 flushes the denormals without IDC', () => {
    const regs = { 1: h4(0x3c00, 0x4000, 0x7bff, 0x0001), 2: h4(0x3800, 0xc000, 0x7bff, 0x0001) };
    check(0x0e421420, regs, h4(0x3e00, 0x0000, 0x7c00, 0x0002), OFC | IXC, 0, MAX);
    check(0x0e421420, regs, h4(0x3e00, 0x0000, 0x7c00, 0x0000), OFC | IXC, FZ16, MAX);
  });

  it('fcvtzs v0.4h saturates to 16-bit integers; fmla v0.8h by element; fmaxnmv h0, v1.8h; fmov v0.8h, #-2.5', () => {
    check(0x0ef9b820, { 1: h4(0x7bff, 0xbc00, 0x3e00, 0x7e00) }, h4(0x7fff, 0xffff, 0x0001, 0x0000), IOC | IXC, 0, MAX);
    const ones = h4(0x3c00, 0x3c00, 0x3c00, 0x3c00), twos = h4(0x4000, 0x4000, 0x4000, 0x4000);
    check(0x4f121820, { 0: (ones << 64n) | ones, 1: (twos << 64n) | twos, 2: 0x4200n << 80n },
      (h4(0x4700, 0x4700, 0x4700, 0x4700) << 64n) | h4(0x4700, 0x4700, 0x4700, 0x4700), 0, 0, MAX);
    check(0x4e30c820, { 1: (h4(0x4400, 0xfc00, 0x3800, 0x7e00) << 64n) | h4(0x7e00, 0x3c00, 0xc500, 0x4200) }, 0x4400n, 0, 0, MAX);
    check(0x4f04fc80, {}, 0xc100c100c100c100c100c100c100c100n, 0, 0, MAX);
  });

  it('on cortex-a57 the half-precision forms are UNDEFINED (EC 0x00); FCVT to and from half is not', () => {
    const ESR_EL1 = requiredSlot('ESR_EL1') * 2;
    for (const word of [0x0e421420, 0x1ee20820, 0x4e30c820, 0x4f04fc80, 0x4f121820]) {
      const t = fresh(), before = t.pe.exceptions;
      t.exec1(word);
      assert.equal(t.pe.exceptions, before + 1, `0x${word.toString(16)} raises an exception`);
      assert.equal(t.pe.sys[ESR_EL1] >>> 26, 0, `0x${word.toString(16)}: EC 0 (Unknown reason)`);
    }
    check(0x1e23c020, { 1: 0x3f800000n }, 0x3c00n, 0);      // fcvt h0, s1 (ARMv8.0)
  });
});

describe('AdvSIMD FP: every encoding of the table runs or is UNDEFINED', () => {
  it('100 random words per record, random registers and FPCR, both models: no host exception', () => {
    const next = rng(17);
    for (const model of [CORTEX_A57, CPU_MODELS.max]) {
      for (const e of SIMD_FPVEC) {
        for (let k = 0; k < 100; k++) {
          const w = ((e.value & e.mask) | (next() & ~e.mask)) >>> 0;
          const t = fresh(next() & 0x07ff0000, model);
          for (let r = 0; r < 32; r++) setV(t.pe, r, (BigInt(next() >>> 0) << 96n) | (BigInt(next() >>> 0) << 64n) | (BigInt(next() >>> 0) << 32n) | BigInt(next() >>> 0));
          t.exec1(w);   // throws on a host exception
          assert.equal(t.pe.sys[FPSR] & ~0x9f, 0, `0x${w.toString(16)}: only cumulative flags are set`);
        }
      }
    }
  });
});
