// Data processing -- register: known-answer tests for flags and edge cases (carry/overflow at
// the boundaries, ADC/SBC chains, shifts by >= width, division by zero, INT_MIN / -1, sign
// extension in the extended-register forms, CRC32 check values), the UNDEFINED rules, and
// random-operand checks of the multiply-high and bit-counting instructions against BigInt.
// Instruction words were produced with `aarch64-linux-gnu-as -march=armv8-a+crc` (binutils 2.40).
import { strict as assert } from 'node:assert';
import { decode } from '../../../src/sim/decode';
import { MASK64, TestBoard, getX, isUndefined, randOperand, rng, runCases, setX } from './harness';

const MAX = MASK64;
const MIN = 1n << 63n;
const neg = (v: bigint): bigint => BigInt.asUintN(64, -v);

describe('Data processing -- register', () => {
  describe('Logical (shifted register)', () => {
    runCases([
      { asm: 'bic x0, x1, x2', word: 0x8a220020, x: { 1: MAX, 2: 0xffn }, want: { 0: 0xffffffffffffff00n } },
      { asm: 'orn w0, w1, w2', word: 0x2a220020, x: { 1: 0n, 2: 0xabcdef000000ffffn }, want: { 0: 0xffff0000n } },
      { asm: 'eon x0, x1, x2, lsl #4', word: 0xca221020, x: { 1: 0n, 2: 0x0fffffffffffffffn }, want: { 0: 0xfn } },
      { asm: 'bics x0, x1, x2', word: 0xea220020, x: { 1: MIN, 2: 0n }, flags: 0b0111, want: { 0: MIN }, wantFlags: 0b1000 },
      { asm: 'bics x0, x1, x2', word: 0xea220020, x: { 1: 5n, 2: 5n }, flags: 0b1011, want: { 0: 0n }, wantFlags: 0b0100 },
      { asm: 'mov x0, x1', word: 0xaa0103e0, x: { 1: 0x123n }, want: { 0: 0x123n } },
      { asm: 'mvn w0, w1', word: 0x2a2103e0, x: { 1: 0xffffffff00000000n }, want: { 0: 0xffffffffn } },
      { asm: 'and x0, x1, x2, ror #63', word: 0x8ac2fc20, x: { 1: MAX, 2: MIN }, want: { 0: 1n } },
      { asm: 'eor w0, w1, w2, asr #31', word: 0x4a827c20, x: { 1: 0x0f0f0f0fn, 2: 0x80000000n }, want: { 0: 0xf0f0f0f0n } },
      { asm: 'orr x0, x1, x2, lsr #32', word: 0xaa428020, x: { 1: 0n, 2: 0xabcdef0012345678n }, want: { 0: 0xabcdef00n } },
      { asm: 'ands w0, w1, w2, ror #1', word: 0x6ac20420, x: { 1: 0xffffffffn, 2: 1n }, flags: 0b0011, want: { 0: 0x80000000n }, wantFlags: 0b1000 },
    ]);
  });

  describe('Add/subtract (shifted register): carry and overflow', () => {
    runCases([
      { asm: 'adds w0, w1, w2', word: 0x2b020020, x: { 1: 0x7fffffffn, 2: 1n }, want: { 0: 0x80000000n }, wantFlags: 0b1001 },
      { asm: 'adds w0, w1, w2', word: 0x2b020020, x: { 1: 0xffffffffn, 2: 0xffffffffn }, want: { 0: 0xfffffffen }, wantFlags: 0b1010 },
      { asm: 'adds w0, w1, w2', word: 0x2b020020, x: { 1: 0xffffffffn, 2: 1n }, want: { 0: 0n }, wantFlags: 0b0110 },
      { asm: 'adds x0, x1, x2', word: 0xab020020, x: { 1: MAX, 2: MAX }, want: { 0: MAX - 1n }, wantFlags: 0b1010 },
      { asm: 'adds x0, x1, x2', word: 0xab020020, x: { 1: MIN, 2: MIN }, want: { 0: 0n }, wantFlags: 0b0111 },
      { asm: 'adds x0, x1, x2', word: 0xab020020, x: { 1: MIN - 1n, 2: 1n }, want: { 0: MIN }, wantFlags: 0b1001 },
      { asm: 'adds x0, x1, x2', word: 0xab020020, x: { 1: 0xffffffffn, 2: 1n }, want: { 0: 0x100000000n }, wantFlags: 0b0000 },
      { asm: 'subs x0, x1, x2', word: 0xeb020020, x: { 1: 0n, 2: 1n }, want: { 0: MAX }, wantFlags: 0b1000 },
      { asm: 'subs x0, x1, x2', word: 0xeb020020, x: { 1: 5n, 2: 5n }, want: { 0: 0n }, wantFlags: 0b0110 },
      { asm: 'subs x0, x1, x2', word: 0xeb020020, x: { 1: MIN, 2: 1n }, want: { 0: MIN - 1n }, wantFlags: 0b0011 },
      { asm: 'subs x0, x1, x2', word: 0xeb020020, x: { 1: 0x100000000n, 2: 1n }, want: { 0: 0xffffffffn }, wantFlags: 0b0010 },
      { asm: 'subs w0, w1, w2', word: 0x6b020020, x: { 1: 0x80000000n, 2: 1n }, want: { 0: 0x7fffffffn }, wantFlags: 0b0011 },
      { asm: 'subs w0, w1, w2', word: 0x6b020020, x: { 1: 1n, 2: 2n }, want: { 0: 0xffffffffn }, wantFlags: 0b1000 },
      { asm: 'neg x0, x1', word: 0xcb0103e0, x: { 1: MIN }, want: { 0: MIN } },
      { asm: 'negs x0, x1', word: 0xeb0103e0, x: { 1: MIN }, want: { 0: MIN }, wantFlags: 0b1001 },
      { asm: 'negs x0, x1', word: 0xeb0103e0, x: { 1: 0n }, want: { 0: 0n }, wantFlags: 0b0110 },
      { asm: 'cmp w1, w2, lsl #31', word: 0x6b027c3f, x: { 1: 0x80000000n, 2: 1n }, want: {}, wantFlags: 0b0110 },
      { asm: 'add x0, x1, x2, lsr #63', word: 0x8b42fc20, x: { 1: 1n, 2: MIN }, want: { 0: 2n } },
      { asm: 'add x0, x1, x2, asr #32', word: 0x8b828020, x: { 1: 0n, 2: MIN }, want: { 0: 0xffffffff80000000n } },
      { asm: 'sub x0, x1, x2, lsl #40', word: 0xcb02a020, x: { 1: 0n, 2: 1n }, want: { 0: 0xffffff0000000000n } },
    ]);
  });

  describe('Add/subtract (extended register): extension, shift, SP', () => {
    runCases([
      { asm: 'add x0, sp, w1, uxtw #2', word: 0x8b214be0, sp: 0x1000n, x: { 1: MAX }, want: { 0: 0x400000ffcn } },
      { asm: 'add x0, x1, w2, sxtb', word: 0x8b228020, x: { 1: 0x100n, 2: 0x80n }, want: { 0: 0x80n } },
      { asm: 'add x0, x1, w2, sxth #4', word: 0x8b22b020, x: { 1: 0n, 2: 0xffffn }, want: { 0: 0xfffffffffffffff0n } },
      { asm: 'sub sp, sp, x1', word: 0xcb2163ff, sp: 0x10n, x: { 1: 0x20n }, want: {}, wantSp: 0xfffffffffffffff0n },
      { asm: 'cmp x1, w2, sxtw', word: 0xeb22c03f, x: { 1: MAX, 2: 0xffffffffn }, want: {}, wantFlags: 0b0110 },
      { asm: 'adds w0, w1, w2, uxtb #3', word: 0x2b220c20, x: { 1: 0xfffffff8n, 2: 0x101n }, want: { 0: 0n }, wantFlags: 0b0110 },
      { asm: 'add w0, wsp, w1, sxth #1', word: 0x0b21a7e0, sp: 0x100000010n, x: { 1: 0x8000n }, want: { 0: 0xffff0010n } },
      { asm: 'sub x0, x1, x2, sxtx #4', word: 0xcb22f020, x: { 1: 0n, 2: 1n }, want: { 0: 0xfffffffffffffff0n } },
    ]);
  });

  describe('Add/subtract (with carry): 128-bit chains and flags', () => {
    runCases([
      { asm: 'adds x0, x2, x4; adc x1, x3, x5', word: [0xab040040, 0x9a050061], x: { 2: MAX, 3: 0n, 4: 1n, 5: 0n }, want: { 0: 0n, 1: 1n }, wantFlags: 0b0110 },
      { asm: 'adds x0, x2, x4; adc x1, x3, x5', word: [0xab040040, 0x9a050061], x: { 2: MAX, 3: MAX, 4: MAX, 5: MAX }, want: { 0: MAX - 1n, 1: MAX }, wantFlags: 0b1010 },
      { asm: 'subs x0, x2, x4; sbc x1, x3, x5', word: [0xeb040040, 0xda050061], x: { 2: 0n, 3: 1n, 4: 1n, 5: 0n }, want: { 0: MAX, 1: 0n }, wantFlags: 0b1000 },
      { asm: 'subs x0, x2, x4; sbc x1, x3, x5', word: [0xeb040040, 0xda050061], x: { 2: 5n, 3: 7n, 4: 5n, 5: 8n }, want: { 0: 0n, 1: MAX }, wantFlags: 0b0110 },
      { asm: 'adcs w0, w1, w2', word: 0x3a020020, flags: 0b0010, x: { 1: 0x7fffffffn, 2: 0n }, want: { 0: 0x80000000n }, wantFlags: 0b1001 },
      { asm: 'adcs w0, w1, w2', word: 0x3a020020, flags: 0b0000, x: { 1: 0xffffffffn, 2: 0n }, want: { 0: 0xffffffffn }, wantFlags: 0b1000 },
      { asm: 'adcs w0, w1, w2', word: 0x3a020020, flags: 0b0010, x: { 1: 0xffffffffn, 2: 0n }, want: { 0: 0n }, wantFlags: 0b0110 },
      { asm: 'sbcs w0, w1, w2', word: 0x7a020020, flags: 0b0000, x: { 1: 0n, 2: 0n }, want: { 0: 0xffffffffn }, wantFlags: 0b1000 },
      { asm: 'sbcs w0, w1, w2', word: 0x7a020020, flags: 0b0010, x: { 1: 0n, 2: 0n }, want: { 0: 0n }, wantFlags: 0b0110 },
      { asm: 'adcs x0, x1, x2', word: 0xba020020, flags: 0b0010, x: { 1: MAX, 2: MAX }, want: { 0: MAX }, wantFlags: 0b1010 },
      { asm: 'adcs x0, x1, x2', word: 0xba020020, flags: 0b0010, x: { 1: 0xffffffffn, 2: 0n }, want: { 0: 0x100000000n }, wantFlags: 0b0000 },
      { asm: 'sbcs x0, x1, x2', word: 0xfa020020, flags: 0b0000, x: { 1: MIN, 2: 0n }, want: { 0: MIN - 1n }, wantFlags: 0b0011 },
      { asm: 'sbcs x0, x1, x2', word: 0xfa020020, flags: 0b0000, x: { 1: 0x100000000n, 2: 0n }, want: { 0: 0xffffffffn }, wantFlags: 0b0010 },
      { asm: 'ngc x0, x1', word: 0xda0103e0, flags: 0b0010, x: { 1: 1n }, want: { 0: MAX } },
      { asm: 'ngc x0, x1', word: 0xda0103e0, flags: 0b0000, x: { 1: 0n }, want: { 0: MAX } },
    ]);
  });

  describe('Conditional compare', () => {
    runCases([
      { asm: 'ccmp x1, x2, #4, eq', word: 0xfa420024, flags: 0b0100, x: { 1: 3n, 2: 5n }, want: {}, wantFlags: 0b1000 },
      { asm: 'ccmp x1, x2, #4, eq', word: 0xfa420024, flags: 0b0000, x: { 1: 3n, 2: 5n }, want: {}, wantFlags: 0b0100 },
      { asm: 'ccmn w1, #5, #2, ne', word: 0x3a451822, flags: 0b0000, x: { 1: 0xfffffffbn }, want: {}, wantFlags: 0b0110 },
      { asm: 'ccmn w1, #5, #2, ne', word: 0x3a451822, flags: 0b0100, x: { 1: 0xfffffffbn }, want: {}, wantFlags: 0b0010 },
      { asm: 'ccmp x1, #31, #0, al', word: 0xfa5fe820, flags: 0b1001, x: { 1: 31n }, want: {}, wantFlags: 0b0110 },
      { asm: 'ccmp w1, w2, #15, nv (NV holds: always)', word: 0x7a42f02f, flags: 0b0000, x: { 1: 1n, 2: 1n }, want: {}, wantFlags: 0b0110 },
    ]);
  });

  describe('Conditional select', () => {
    runCases([
      { asm: 'cset w0, eq', word: 0x1a9f17e0, flags: 0b0100, x: { 0: MAX }, want: { 0: 1n } },
      { asm: 'cset w0, eq', word: 0x1a9f17e0, flags: 0b0000, x: { 0: MAX }, want: { 0: 0n } },
      { asm: 'csetm x0, ne', word: 0xda9f03e0, flags: 0b0000, want: { 0: MAX } },
      { asm: 'csetm x0, ne', word: 0xda9f03e0, flags: 0b0100, x: { 0: 7n }, want: { 0: 0n } },
      { asm: 'cinc x0, x1, cs', word: 0x9a813420, flags: 0b0010, x: { 1: 0xffffffffn }, want: { 0: 0x100000000n } },
      { asm: 'cinc x0, x1, cs', word: 0x9a813420, flags: 0b0010, x: { 1: MAX }, want: { 0: 0n } },
      { asm: 'cinc x0, x1, cs', word: 0x9a813420, flags: 0b0000, x: { 1: MAX }, want: { 0: MAX } },
      { asm: 'cneg w0, w1, mi', word: 0x5a815420, flags: 0b1000, x: { 1: 1n }, want: { 0: 0xffffffffn } },
      { asm: 'cneg w0, w1, mi', word: 0x5a815420, flags: 0b0000, x: { 1: 0xffffffff00000001n }, want: { 0: 1n } },
      { asm: 'csinv x0, x1, x2, lt', word: 0xda82b020, flags: 0b1000, x: { 1: 9n, 2: 0n }, want: { 0: 9n } },
      { asm: 'csinv x0, x1, x2, lt', word: 0xda82b020, flags: 0b1001, x: { 1: 9n, 2: 0n }, want: { 0: MAX } },
      { asm: 'csel x0, x1, x2, gt', word: 0x9a82c020, flags: 0b0000, x: { 1: 1n, 2: 2n }, want: { 0: 1n } },
      { asm: 'csel x0, x1, x2, gt', word: 0x9a82c020, flags: 0b0100, x: { 1: 1n, 2: 2n }, want: { 0: 2n } },
      { asm: 'csneg x0, x1, x2, le', word: 0xda82d420, flags: 0b0000, x: { 1: 1n, 2: 1n }, want: { 0: MAX } },
      { asm: 'csneg x0, x1, x2, le', word: 0xda82d420, flags: 0b0000, x: { 1: 1n, 2: 0n }, want: { 0: 0n } },
      { asm: 'csneg x0, x1, x2, le', word: 0xda82d420, flags: 0b0000, x: { 1: 1n, 2: 0x100000000n }, want: { 0: 0xffffffff00000000n } },
      { asm: 'cinc x0, x1, ne', word: 0x9a810420, flags: 0b0100, x: { 1: 5n }, want: { 0: 5n } },
      { asm: 'cinc x0, x1, ne', word: 0x9a810420, flags: 0b0000, x: { 1: 5n }, want: { 0: 6n } },
    ]);
  });

  describe('Data-processing (3 source)', () => {
    runCases([
      { asm: 'madd x0, x1, x2, x3', word: 0x9b020c20, x: { 1: 0x100000000n, 2: 0x100000000n, 3: 5n }, want: { 0: 5n } },
      { asm: 'madd x0, x1, x2, x3', word: 0x9b020c20, x: { 1: 3n, 2: MAX, 3: 0n }, want: { 0: neg(3n) } },
      { asm: 'msub w0, w1, w2, w3', word: 0x1b028c20, x: { 1: 3n, 2: 4n, 3: 10n }, want: { 0: 0xfffffffen } },
      { asm: 'mul x0, x1, x2', word: 0x9b027c20, x: { 1: 0xffffffffn, 2: 0xffffffffn }, want: { 0: 0xfffffffe00000001n } },
      { asm: 'smull x0, w1, w2', word: 0x9b227c20, x: { 1: 0xffffffffn, 2: 0x80000000n }, want: { 0: 0x80000000n } },
      { asm: 'umull x0, w1, w2', word: 0x9ba27c20, x: { 1: 0xffffffffn, 2: 0x80000000n }, want: { 0: 0x7fffffff80000000n } },
      { asm: 'smaddl x0, w1, w2, x3', word: 0x9b220c20, x: { 1: 0xabcdef00fffffffen, 2: 3n, 3: 10n }, want: { 0: 4n } },
      { asm: 'umsubl x0, w1, w2, x3', word: 0x9ba28c20, x: { 1: 0xffffffffn, 2: 2n, 3: 0n }, want: { 0: 0xfffffffe00000002n } },
      { asm: 'smulh x0, x1, x2', word: 0x9b427c20, x: { 1: MIN, 2: MIN }, want: { 0: 1n << 62n } },
      { asm: 'smulh x0, x1, x2', word: 0x9b427c20, x: { 1: MAX, 2: 1n }, want: { 0: MAX } },
      { asm: 'umulh x0, x1, x2', word: 0x9bc27c20, x: { 1: MAX, 2: MAX }, want: { 0: MAX - 1n } },
    ]);

    it('SMULH/UMULH/MUL/SMULL/UMULL on 20000 random operands match BigInt', () => {
      const board = new TestBoard();
      const pe = board.reset(1);
      const next = rng(1234);
      const fns = [0x9b427c20, 0x9bc27c20, 0x9b027c20, 0x9b227c20, 0x9ba27c20].map((w) => decode(w));
      for (let i = 0; i < 20000; i++) {
        const a = randOperand(next), b = randOperand(next);
        setX(pe, 1, a); setX(pe, 2, b);
        const sa = BigInt.asIntN(64, a), sb = BigInt.asIntN(64, b);
        const want = [
          BigInt.asUintN(64, (sa * sb) >> 64n),
          (a * b) >> 64n,
          BigInt.asUintN(64, a * b),
          BigInt.asUintN(64, BigInt.asIntN(32, a) * BigInt.asIntN(32, b)),
          BigInt.asUintN(32, a) * BigInt.asUintN(32, b),
        ];
        for (let k = 0; k < fns.length; k++) {
          fns[k](pe);
          if (getX(pe, 0) !== want[k]) assert.fail(`op ${k}: a=0x${a.toString(16)} b=0x${b.toString(16)}: 0x${getX(pe, 0).toString(16)} != 0x${want[k].toString(16)}`);
        }
      }
    });
  });

  describe('Data-processing (2 source): division and variable shifts', () => {
    runCases([
      { asm: 'udiv x0, x1, x2 (by zero)', word: 0x9ac20820, x: { 0: 7n, 1: 5n, 2: 0n }, want: { 0: 0n } },
      { asm: 'udiv x0, x1, x2', word: 0x9ac20820, x: { 1: MAX, 2: 3n }, want: { 0: 0x5555555555555555n } },
      { asm: 'udiv x0, x1, x2', word: 0x9ac20820, x: { 1: MAX, 2: 0x100000001n }, want: { 0: 0xffffffffn } },
      { asm: 'sdiv x0, x1, x2 (INT64_MIN / -1)', word: 0x9ac20c20, x: { 1: MIN, 2: MAX }, want: { 0: MIN } },
      { asm: 'sdiv x0, x1, x2 (-7 / 2 rounds toward zero)', word: 0x9ac20c20, x: { 1: neg(7n), 2: 2n }, want: { 0: neg(3n) } },
      { asm: 'sdiv x0, x1, x2 (7 / -2)', word: 0x9ac20c20, x: { 1: 7n, 2: neg(2n) }, want: { 0: neg(3n) } },
      { asm: 'sdiv x0, x1, x2 (by zero)', word: 0x9ac20c20, x: { 0: 7n, 1: MIN, 2: 0n }, want: { 0: 0n } },
      { asm: 'udiv w0, w1, w2 (by zero)', word: 0x1ac20820, x: { 0: 7n, 1: 0xffffffffn, 2: 0x100000000n }, want: { 0: 0n } },
      { asm: 'udiv w0, w1, w2 (upper halves ignored)', word: 0x1ac20820, x: { 1: 0x100000010n, 2: 0x100000004n }, want: { 0: 4n } },
      { asm: 'udiv w0, w1, w2', word: 0x1ac20820, x: { 1: 0xffffffffn, 2: 0xfffffffen }, want: { 0: 1n } },
      { asm: 'sdiv w0, w1, w2 (INT32_MIN / -1)', word: 0x1ac20c20, x: { 1: 0x80000000n, 2: 0xffffffffn }, want: { 0: 0x80000000n } },
      { asm: 'sdiv w0, w1, w2 (-7 / 2)', word: 0x1ac20c20, x: { 1: 0xfffffff9n, 2: 2n }, want: { 0: 0xfffffffdn } },
      { asm: 'lslv x0, x1, x2 (64 = 0 mod 64)', word: 0x9ac22020, x: { 1: 0x1234n, 2: 64n }, want: { 0: 0x1234n } },
      { asm: 'lslv x0, x1, x2 (65)', word: 0x9ac22020, x: { 1: 0x1234n, 2: 65n }, want: { 0: 0x2468n } },
      { asm: 'lslv x0, x1, x2 (-61 = 3 mod 64)', word: 0x9ac22020, x: { 1: 1n, 2: neg(61n) }, want: { 0: 8n } },
      { asm: 'lslv x0, x1, x2 (32)', word: 0x9ac22020, x: { 1: 0x80000001n, 2: 32n }, want: { 0: 0x8000000100000000n } },
      { asm: 'lsrv x0, x1, x2 (127)', word: 0x9ac22420, x: { 1: MIN, 2: 127n }, want: { 0: 1n } },
      { asm: 'asrv w0, w1, w2 (32 = 0 mod 32)', word: 0x1ac22820, x: { 1: 0x80000000n, 2: 32n }, want: { 0: 0x80000000n } },
      { asm: 'asrv w0, w1, w2 (31)', word: 0x1ac22820, x: { 1: 0x80000000n, 2: 31n }, want: { 0: 0xffffffffn } },
      { asm: 'rorv x0, x1, x2 (65)', word: 0x9ac22c20, x: { 1: 1n, 2: 65n }, want: { 0: MIN } },
      { asm: 'rorv x0, x1, x2 (32)', word: 0x9ac22c20, x: { 1: 0x1122334455667788n, 2: 32n }, want: { 0: 0x5566778811223344n } },
      { asm: 'rorv w0, w1, w2 (33)', word: 0x1ac22c20, x: { 1: 1n, 2: 33n }, want: { 0: 0x80000000n } },
      { asm: 'asrv x0, x1, x2 (63)', word: 0x9ac22820, x: { 1: MIN, 2: 63n }, want: { 0: MAX } },
      { asm: 'asrv x0, x1, x2 (40)', word: 0x9ac22820, x: { 1: MIN, 2: 40n }, want: { 0: 0xffffffffff800000n } },
    ]);

    describe('CRC32 / CRC32C check values ("123456789")', () => {
      const msg = Buffer.from('123456789');
      const board = new TestBoard();
      /** Runs CRC instructions over msg split into chunks of the given byte sizes. */
      const crc = (words: Record<number, number>, chunks: number[]): number => {
        const pe = board.reset(1);
        setX(pe, 0, 0xffffffffn);
        let off = 0;
        for (const size of chunks) {
          let v = 0n;
          for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(msg[off + i]);
          setX(pe, 1, v | (size < 8 ? 0xdead000000000000n : 0n));   // bits above the operand size are ignored
          decode(words[size])(pe);
          off += size;
        }
        assert.equal(getX(pe, 0) >> 32n, 0n);
        return (~pe.x[0]) >>> 0;
      };
      const CRC32 = { 1: 0x1ac14000, 2: 0x1ac14400, 4: 0x1ac14800, 8: 0x9ac14c00 };
      const CRC32C = { 1: 0x1ac15000, 8: 0x9ac15c00 };
      it('CRC32B byte by byte = 0xCBF43926', () => assert.equal(crc(CRC32, [1, 1, 1, 1, 1, 1, 1, 1, 1]), 0xcbf43926));
      it('CRC32H/W/X mixed chunks = 0xCBF43926', () => {
        assert.equal(crc(CRC32, [2, 2, 4, 1]), 0xcbf43926);
        assert.equal(crc(CRC32, [8, 1]), 0xcbf43926);
        assert.equal(crc(CRC32, [4, 4, 1]), 0xcbf43926);
      });
      it('CRC32CB / CRC32CX = 0xE3069283', () => {
        assert.equal(crc(CRC32C, [1, 1, 1, 1, 1, 1, 1, 1, 1]), 0xe3069283);
        assert.equal(crc(CRC32C, [8, 1]), 0xe3069283);
      });
    });
  });

  describe('Data-processing (1 source)', () => {
    runCases([
      { asm: 'rbit x0, x1', word: 0xdac00020, x: { 1: 1n }, want: { 0: MIN } },
      { asm: 'rbit w0, w1', word: 0x5ac00020, x: { 1: 0xffffffff00000001n }, want: { 0: 0x80000000n } },
      { asm: 'rev16 x0, x1', word: 0xdac00420, x: { 1: 0x1122334455667788n }, want: { 0: 0x2211443366558877n } },
      { asm: 'rev32 x0, x1', word: 0xdac00820, x: { 1: 0x1122334455667788n }, want: { 0: 0x4433221188776655n } },
      { asm: 'rev x0, x1', word: 0xdac00c20, x: { 1: 0x1122334455667788n }, want: { 0: 0x8877665544332211n } },
      { asm: 'rev w0, w1', word: 0x5ac00820, x: { 1: 0x1122334455667788n }, want: { 0: 0x88776655n } },
      { asm: 'rev16 w0, w1', word: 0x5ac00420, x: { 1: 0x1122334455667788n }, want: { 0: 0x66558877n } },
      { asm: 'clz x0, x1 (0)', word: 0xdac01020, x: { 1: 0n }, want: { 0: 64n } },
      { asm: 'clz x0, x1 (1)', word: 0xdac01020, x: { 1: 1n }, want: { 0: 63n } },
      { asm: 'clz w0, w1 (0, upper half set)', word: 0x5ac01020, x: { 1: 0xffffffff00000000n }, want: { 0: 32n } },
      { asm: 'cls x0, x1 (0)', word: 0xdac01420, x: { 1: 0n }, want: { 0: 63n } },
      { asm: 'cls x0, x1 (-1)', word: 0xdac01420, x: { 1: MAX }, want: { 0: 63n } },
      { asm: 'cls x0, x1 (1)', word: 0xdac01420, x: { 1: 1n }, want: { 0: 62n } },
      { asm: 'cls x0, x1 (INT64_MIN)', word: 0xdac01420, x: { 1: MIN }, want: { 0: 0n } },
      { asm: 'cls x0, x1 (0xffffffff)', word: 0xdac01420, x: { 1: 0xffffffffn }, want: { 0: 31n } },
      { asm: 'cls x0, x1 (0xffffffff_7fffffff)', word: 0xdac01420, x: { 1: 0xffffffff7fffffffn }, want: { 0: 31n } },
      { asm: 'cls w0, w1 (0x80000000)', word: 0x5ac01420, x: { 1: 0x80000000n }, want: { 0: 0n } },
      { asm: 'cls w0, w1 (0)', word: 0x5ac01420, x: { 1: 0n }, want: { 0: 31n } },
    ]);

    it('RBIT/REV*/CLZ/CLS on 20000 random operands match a bit-string reference', () => {
      const board = new TestBoard();
      const pe = board.reset(1);
      const next = rng(99);
      const bin = (v: bigint, n: number): string => BigInt.asUintN(n, v).toString(2).padStart(n, '0');
      const fromBin = (s: string): bigint => BigInt('0b' + s);
      const bytesRev = (s: string, chunk: number): string => {
        let out = '';
        for (let i = 0; i < s.length; i += chunk) out += (s.slice(i, i + chunk).match(/.{8}/g) ?? []).reverse().join('');
        return out;
      };
      const lead = (s: string, c: string): number => { let i = 0; while (i < s.length && s[i] === c) i++; return i; };
      const cases: [number, number, (s: string) => bigint][] = [
        [0xdac00020, 64, (s) => fromBin([...s].reverse().join(''))],
        [0x5ac00020, 32, (s) => fromBin([...s].reverse().join(''))],
        [0xdac00420, 64, (s) => fromBin(bytesRev(s, 16))],
        [0x5ac00420, 32, (s) => fromBin(bytesRev(s, 16))],
        [0xdac00820, 64, (s) => fromBin(bytesRev(s, 32))],
        [0x5ac00820, 32, (s) => fromBin(bytesRev(s, 32))],
        [0xdac00c20, 64, (s) => fromBin(bytesRev(s, 64))],
        [0xdac01020, 64, (s) => BigInt(lead(s, '0'))],
        [0x5ac01020, 32, (s) => BigInt(lead(s, '0'))],
        [0xdac01420, 64, (s) => BigInt(lead(s, s[0]) - 1)],
        [0x5ac01420, 32, (s) => BigInt(lead(s, s[0]) - 1)],
      ];
      const fns = cases.map(([w]) => decode(w));
      for (let i = 0; i < 20000; i++) {
        let a = randOperand(next);
        // Long runs of leading zeros / ones for CLZ/CLS.
        if (next() & 1) a = (next() & 1) ? a >> BigInt(next() % 64) : BigInt.asUintN(64, BigInt.asIntN(64, a) >> BigInt(next() % 64));
        setX(pe, 1, a);
        for (let k = 0; k < cases.length; k++) {
          const [w, n, ref] = cases[k];
          fns[k](pe);
          const want = ref(bin(a, n));
          if (getX(pe, 0) !== want) assert.fail(`0x${w.toString(16)} on 0x${a.toString(16)}: 0x${getX(pe, 0).toString(16)} != 0x${want.toString(16)}`);
        }
      }
    });
  });

  describe('UNDEFINED encodings', () => {
    const undef: [string, number][] = [
      ['Logical (shifted register) sf=0 imm6=32', 0x0a008020],
      ['ADD (shifted register) shift=ROR', 0x8bc00020],
      ['ADD (shifted register) sf=0 imm6=32', 0x0b008020],
      ['ADD (extended register) imm3=5', 0x8b201420],
      ['ADD (extended register) imm3=7', 0x8b201c20],
      ['ADD (extended register) opt=01', 0x8b600020],
      ['CCMP S=0', 0x5a400000],
      ['CCMP o2=1', 0x7a400400],
      ['CCMP o3=1', 0x7a400010],
      ['CSEL S=1', 0x3a800000],
      ['CSEL op2=10', 0x1a800800],
      ['Data-processing (2 source) S=1', 0x3ac00800],
      ['SUBP (FEAT_MTE)', 0x9ac00000],
      ['Data-processing (2 source) opcode=000001', 0x1ac00400],
      ['PACGA (FEAT_PAuth)', 0x9ac03000],
      ['CRC32X with sf=0', 0x1ac14c00],
      ['CRC32B with sf=1', 0x9ac14000],
      ['REV (sf=0, opcode=000011)', 0x5ac00c00],
      ['CTZ (FEAT_CSSC)', 0x5ac01800],
      ['Data-processing (1 source) S=1', 0x7ac00000],
      ['PACIA (FEAT_PAuth, opcode2=00001)', 0xdac10000],
      ['Data-processing (3 source) op54=01', 0x3b000000],
      ['SMADDL with sf=0', 0x1b200000],
      ['Data-processing (3 source) op31=011', 0x9b600000],
      ['SMULH with o0=1', 0x9b408000],
      ['Data-processing (3 source) op31=100', 0x9b800000],
      ['Data-processing (3 source) op31=111', 0x9be00000],
      ['RMIF (FEAT_FlagM)', 0xba000400],
      ['SETF8 (FEAT_FlagM)', 0x3a00080d],
      ['Add/subtract (with carry) op3=000100', 0x1a001000],
      ['op1=1 op2=0001', 0x1a200000],
      ['op1=1 op2=0011', 0x1a600000],
      ['op1=1 op2=0101', 0x1aa00000],
      ['op1=1 op2=0111', 0x1ae00000],
    ];
    for (const [name, w] of undef) it(`${name}: 0x${w.toString(16)}`, () => assert.ok(isUndefined(w)));
  });
});
