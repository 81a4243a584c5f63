// Data processing -- immediate: known-answer tests for flags and edge cases, aliases, the
// UNDEFINED rules, and DecodeBitMasks. Instruction words were produced with
// `aarch64-linux-gnu-as` (binutils 2.40); the source line is next to each word.
import { strict as assert } from 'node:assert';
import { decode } from '../../../src/sim/decode';
import { Flow } from '../../../src/sim/exec';
import { decodeBitMasks } from '../../../src/sim/isa/common';
import { refDecodeBitMasks, refExec, type RefState } from './dp-ref';
import { MASK64, RAM_BASE, TestBoard, getX, isUndefined, runCases } from './harness';

const MAX = MASK64;
const MIN = 1n << 63n;

describe('Data processing -- immediate', () => {
  describe('ADD/SUB (immediate): flags at the boundaries, SP forms', () => {
    runCases([
      { asm: 'adds w0, w1, #1', word: 0x31000420, x: { 1: 0x7fffffffn }, want: { 0: 0x80000000n }, wantFlags: 0b1001 },
      { asm: 'adds w0, w1, #1', word: 0x31000420, x: { 1: 0xdeadbeefffffffffn }, want: { 0: 0n }, wantFlags: 0b0110 },
      { asm: 'adds x0, x1, #1', word: 0xb1000420, x: { 1: MIN - 1n }, want: { 0: MIN }, wantFlags: 0b1001 },
      { asm: 'adds x0, x1, #1', word: 0xb1000420, x: { 1: MAX }, want: { 0: 0n }, wantFlags: 0b0110 },
      { asm: 'adds x0, x1, #1', word: 0xb1000420, x: { 1: 0xffffffffn }, want: { 0: 0x100000000n }, wantFlags: 0b0000 },
      { asm: 'subs w0, w1, #1', word: 0x71000420, x: { 1: 0n }, want: { 0: 0xffffffffn }, wantFlags: 0b1000 },
      { asm: 'subs w0, w1, #1', word: 0x71000420, x: { 1: 0x80000000n }, want: { 0: 0x7fffffffn }, wantFlags: 0b0011 },
      { asm: 'subs x0, x1, #1', word: 0xf1000420, x: { 1: 0n }, want: { 0: MAX }, wantFlags: 0b1000 },
      { asm: 'subs x0, x1, #1', word: 0xf1000420, x: { 1: MIN }, want: { 0: MIN - 1n }, wantFlags: 0b0011 },
      { asm: 'subs x0, x1, #1', word: 0xf1000420, x: { 1: 0x100000000n }, want: { 0: 0xffffffffn }, wantFlags: 0b0010 },
      { asm: 'cmp x1, #0', word: 0xf100003f, x: { 1: 0n }, want: {}, wantFlags: 0b0110 },
      { asm: 'cmn w1, #1', word: 0x3100043f, x: { 1: 0xffffffffn }, want: {}, wantFlags: 0b0110 },
      { asm: 'add x0, x1, #1, lsl #12', word: 0x91400420, x: { 1: 0xfffff000n }, want: { 0: 0x100000000n } },
      { asm: 'sub x0, x1, #4095', word: 0xd13ffc20, x: { 1: 0x100000000n }, want: { 0: 0xfffff001n } },
      { asm: 'add sp, sp, #16', word: 0x910043ff, sp: MAX - 7n, want: {}, wantSp: 8n },
      { asm: 'mov x0, sp', word: 0x910003e0, sp: 0x123456789abcn, want: { 0: 0x123456789abcn } },
      { asm: 'add wsp, w1, #1', word: 0x1100043f, x: { 1: 0xfffffffffffffffen }, sp: MAX, want: {}, wantSp: 0xffffffffn },
      { asm: 'sub x0, x1, #1 (flags unchanged)', word: 0xd1000420, x: { 1: 0n }, flags: 0b0101, want: { 0: MAX } },
      { asm: 'add w0, w1, #4095, lsl #12', word: 0x117ffc20, x: { 1: 0xffffffff00000001n }, want: { 0: 0xfff001n } },
    ]);
  });

  describe('ADR / ADRP (PC = address of the instruction)', () => {
    const adr = (op: number, imm: number, rd: number): number =>
      ((op << 31) | ((imm & 3) << 29) | 0x10000000 | (((imm >> 2) & 0x7ffff) << 5) | rd) >>> 0;
    const at = RAM_BASE + 0x10;
    const cases: [string, number, bigint][] = [
      ['adr x0, .-0x14', adr(0, -0x14, 0), BigInt(RAM_BASE - 4)],
      ['adr x0, .+0xfffff', adr(0, 0xfffff, 0), BigInt(at + 0xfffff)],
      ['adr x0, .-0x100000', adr(0, -0x100000, 0), BigInt(at - 0x100000)],
      ['adrp x0, 1 page', adr(1, 1, 0), BigInt(RAM_BASE + 0x1000)],
      ['adrp x0, -1 page', adr(1, -1, 0), BigInt(RAM_BASE - 0x1000)],
      ['adrp x0, +0xc0000 pages (carry into bit 32)', adr(1, 0xc0000, 0), 0x100000000n],
      ['adrp x0, -0x100000 pages (wraps)', adr(1, -0x100000, 0), BigInt.asUintN(64, BigInt(RAM_BASE) - (1n << 32n))],
    ];
    const board = new TestBoard();
    for (const [name, word, want] of cases) {
      it(name, () => {
        const pe = board.reset(1, at);
        board.code([word], at);
        pe.run(1);
        assert.equal(getX(pe, 0), want);
      });
    }
    it('uses all 64 bits of the PC (closure called at PC 0xffff_ffff_ffff_f004)', () => {
      const pe = board.reset(1);
      pe.pcLo = 0xfffff004; pe.pcHi = 0xffffffff;
      assert.equal(decode(adr(0, 8, 1))(pe), Flow.Next);
      assert.equal(getX(pe, 1), 0xfffffffffffff00cn);
      decode(adr(1, 1, 2))(pe);
      assert.equal(getX(pe, 2), 0n);
      decode(adr(1, -2, 3))(pe);
      assert.equal(getX(pe, 3), 0xffffffffffffd000n);
    });
    it('ADR to XZR writes nothing', () => {
      const pe = board.reset(1);
      decode(adr(0, 0x40, 31))(pe);
      assert.equal(pe.x[62] | pe.x[63], 0);
    });
  });

  describe('Logical (immediate)', () => {
    runCases([
      { asm: 'and x0, x1, #0xff00ff00ff00ff00', word: 0x92089c20, x: { 1: MAX }, want: { 0: 0xff00ff00ff00ff00n } },
      { asm: 'orr w0, wzr, #0x55555555', word: 0x3200f3e0, x: { 0: MAX }, want: { 0: 0x55555555n } },
      { asm: 'eor x0, x1, #0x8000000000000000', word: 0xd2410020, x: { 1: 1n }, want: { 0: MIN + 1n } },
      { asm: 'ands w0, w1, #1', word: 0x72000020, x: { 1: 2n }, flags: 0b0011, want: { 0: 0n }, wantFlags: 0b0100 },
      { asm: 'ands w0, w1, #1', word: 0x72000020, x: { 1: 0xffffffff00000001n }, flags: 0b1111, want: { 0: 1n }, wantFlags: 0b0000 },
      { asm: 'tst x1, #0x8000000000000000', word: 0xf241003f, x: { 1: MIN }, want: {}, wantFlags: 0b1000 },
      { asm: 'orr sp, xzr, #0x1000', word: 0xb27403ff, sp: MAX, want: {}, wantSp: 0x1000n },
      { asm: 'and w0, w1, #0x7ffffffe', word: 0x121f7420, x: { 1: MAX }, want: { 0: 0x7ffffffen } },
      { asm: 'eor x0, x1, #0x5555555555555555', word: 0xd200f020, x: { 1: MAX }, want: { 0: 0xaaaaaaaaaaaaaaaan } },
      { asm: 'ands x0, x1, #0xfffffffffffffff0', word: 0xf27cec20, x: { 1: MIN + 5n }, want: { 0: MIN }, wantFlags: 0b1000 },
    ]);
  });

  describe('Move wide (immediate)', () => {
    const junk = 0x1111222233334444n;
    runCases([
      { asm: 'movz x0, #0x1234, lsl #48', word: 0xd2e24680, x: { 0: junk }, want: { 0: 0x1234000000000000n } },
      { asm: 'movn w0, #0', word: 0x12800000, x: { 0: junk }, want: { 0: 0xffffffffn } },
      { asm: 'movn x0, #0x1234, lsl #16', word: 0x92a24680, want: { 0: 0xffffffffedcbffffn } },
      { asm: 'movk x0, #0xbeef, lsl #32', word: 0xf2d7dde0, x: { 0: junk }, want: { 0: 0x1111beef33334444n } },
      { asm: 'movk w0, #1, lsl #16', word: 0x72a00020, x: { 0: junk }, want: { 0: 0x00014444n } },
      { asm: 'mov x0, #-1', word: 0x92800000, want: { 0: MAX } },
      { asm: 'mov w0, #0xffff0000', word: 0x52bfffe0, x: { 0: junk }, want: { 0: 0xffff0000n } },
    ]);
  });

  describe('Bitfield: the aliases', () => {
    runCases([
      { asm: 'ubfx x0, x1, #4, #8', word: 0xd3442c20, x: { 1: 0x123456789abcdef0n }, want: { 0: 0xefn } },
      { asm: 'sbfx x0, x1, #60, #4', word: 0x937cfc20, x: { 1: MIN }, want: { 0: 0xfffffffffffffff8n } },
      { asm: 'sbfx x0, x1, #60, #4', word: 0x937cfc20, x: { 1: 0x7000000000000000n }, want: { 0: 7n } },
      { asm: 'sbfx w0, w1, #28, #4', word: 0x131c7c20, x: { 1: 0xffffffff90000000n }, want: { 0: 0xfffffff9n } },
      { asm: 'bfi x0, x1, #8, #4', word: 0xb3780c20, x: { 0: MAX, 1: 5n }, want: { 0: 0xfffffffffffff5ffn } },
      { asm: 'bfxil w0, w1, #4, #8', word: 0x33042c20, x: { 0: MAX, 1: 0xab0n }, want: { 0: 0xffffffabn } },
      { asm: 'lsl x0, x1, #63', word: 0xd3410020, x: { 1: 3n }, want: { 0: MIN } },
      { asm: 'lsr x0, x1, #63', word: 0xd37ffc20, x: { 1: MIN }, want: { 0: 1n } },
      { asm: 'asr x0, x1, #63', word: 0x937ffc20, x: { 1: MIN }, want: { 0: MAX } },
      { asm: 'asr w0, w1, #31', word: 0x131f7c20, x: { 1: 0x80000000n }, want: { 0: 0xffffffffn } },
      { asm: 'sxtw x0, w1', word: 0x93407c20, x: { 1: 0x1234567880000000n }, want: { 0: 0xffffffff80000000n } },
      { asm: 'sxtb x0, w1', word: 0x93401c20, x: { 1: 0x80n }, want: { 0: 0xffffffffffffff80n } },
      { asm: 'sxth w0, w1', word: 0x13003c20, x: { 1: 0x8000n }, want: { 0: 0xffff8000n } },
      { asm: 'uxtb w0, w1', word: 0x53001c20, x: { 1: MAX }, want: { 0: 0xffn } },
      { asm: 'uxth w0, w1', word: 0x53003c20, x: { 1: MAX }, want: { 0: 0xffffn } },
      { asm: 'lsl w0, w1, #31', word: 0x53010020, x: { 1: 3n }, want: { 0: 0x80000000n } },
      { asm: 'ubfiz x0, x1, #32, #16', word: 0xd3603c20, x: { 1: 0x12345678n }, want: { 0: 0x567800000000n } },
      { asm: 'sbfiz x0, x1, #40, #8', word: 0x93581c20, x: { 1: 0x80n }, want: { 0: 0xffff800000000000n } },
      { asm: 'bfi x0, x1, #60, #4', word: 0xb3440c20, x: { 0: 0n, 1: 0xfn }, want: { 0: 0xf000000000000000n } },
      { asm: 'bfxil x0, x1, #32, #32', word: 0xb360fc20, x: { 0: 0x1111111122222222n, 1: 0xaaaaaaaabbbbbbbbn }, want: { 0: 0x11111111aaaaaaaan } },
      { asm: 'bfm x0, xzr, #60, #7 (bfc x0, #4, #8)', word: 0xb37c1fe0, x: { 0: MAX }, want: { 0: 0xfffffffffffff00fn } },
      { asm: 'lsr w0, w1, #1', word: 0x53017c20, x: { 1: MAX }, want: { 0: 0x7fffffffn } },
    ]);
  });

  describe('Extract', () => {
    const a = 0x1122334455667788n, b = 0x99aabbccddeeff00n;
    runCases([
      { asm: 'extr x0, x1, x2, #8', word: 0x93c22020, x: { 1: a, 2: b }, want: { 0: 0x8899aabbccddeeffn } },
      { asm: 'ror x0, x1, #32', word: 0x93c18020, x: { 1: a }, want: { 0: 0x5566778811223344n } },
      { asm: 'ror w0, w1, #1', word: 0x13810420, x: { 1: 3n }, want: { 0: 0x80000001n } },
      { asm: 'extr x0, x1, x2, #0', word: 0x93c20020, x: { 1: a, 2: b }, want: { 0: b } },
      { asm: 'extr w0, w1, w2, #31', word: 0x13827c20, x: { 1: 1n, 2: 0x80000000n }, want: { 0: 3n } },
      { asm: 'extr x0, x1, x2, #40', word: 0x93c2a020, x: { 1: a, 2: b }, want: { 0: 0x445566778899aabbn } },
    ]);
  });

  describe('UNDEFINED encodings', () => {
    const undef: [string, number][] = [
      ['Logical (immediate) sf=0 N=1', 0x12400020],
      ['Logical (immediate) N=1 imms=111111 (all ones, reserved)', 0x9240fc20],
      ['Logical (immediate) N=0 imms=111110 (len < 1)', 0x9200f820],
      ['Logical (immediate) N=0 imms=111101 (all ones in a 2-bit element)', 0x9200f420],
      ['MOVZ sf=0 hw=2', 0x52c00020],
      ['Move wide opc=01', 0x32800020],
      ['Bitfield sf=1 N=0', 0x93000020],
      ['Bitfield sf=0 N=1', 0x13400020],
      ['Bitfield sf=0 immr<5>=1', 0x13200020],
      ['Bitfield sf=0 imms<5>=1', 0x13008020],
      ['Bitfield opc=11', 0xf3400020],
      ['Extract sf=1 N=0', 0x93800020],
      ['Extract sf=0 imms<5>=1', 0x13808020],
      ['Extract o0=1', 0x93e00020],
      ['Extract op21=01', 0xb3c00020],
      ['ADDG (FEAT_MTE)', 0x91800000],
      ['SMAX (immediate) (FEAT_CSSC)', 0x11c00000],
    ];
    for (const [name, w] of undef) it(`${name}: 0x${w.toString(16)}`, () => assert.ok(isUndefined(w)));

    it('an UNDEFINED word takes an Undefined Instruction exception (EC 0) to EL1', () => {
      const board = new TestBoard();
      const pe = board.reset(1);
      board.code([0x12400020]);
      pe.run(1);
      assert.equal(pe.exceptions, 1);
      assert.equal(pe.el, 1);
    });
  });

  describe('DecodeBitMasks', () => {
    it('matches the BigInt pseudocode for every N, immr, imms, immediate and datasize', () => {
      let checked = 0;
      for (const m of [32, 64]) {
        for (const immediate of [true, false]) {
          for (let n = 0; n < 2; n++) {
            for (let immr = 0; immr < 64; immr++) {
              for (let imms = 0; imms < 64; imms++) {
                const got = decodeBitMasks(n, imms, immr, immediate, m);
                const want = refDecodeBitMasks(n, imms, immr, immediate, m);
                const ctx = `N=${n} immr=${immr} imms=${imms} immediate=${immediate} M=${m}`;
                if (want === undefined) { assert.equal(got, undefined, ctx); continue; }
                assert.ok(got !== undefined, ctx);
                const w = (BigInt(got[1] >>> 0) << 32n) | BigInt(got[0] >>> 0);
                const t = (BigInt(got[3] >>> 0) << 32n) | BigInt(got[2] >>> 0);
                assert.equal(w, want[0], `wmask ${ctx}`);
                assert.equal(t, want[1], `tmask ${ctx}`);
                checked++;
              }
            }
          }
        }
      }
      assert.ok(checked > 10000);
    });

    it('ORR (immediate) yields exactly the 5334 distinct 64-bit and 1302 distinct 32-bit bitmask immediates', () => {
      const board = new TestBoard();
      const pe = board.reset(1);
      for (const sf of [1, 0]) {
        const seen = new Set<bigint>();
        for (let n = 0; n <= sf; n++) {
          for (let immr = 0; immr < 64; immr++) {
            for (let imms = 0; imms < 64; imms++) {
              // orr Xd/Wd, xzr, #imm with Rd = x0
              const w = ((sf << 31) | 0x32000000 | (n << 22) | (immr << 16) | (imms << 10) | (31 << 5)) >>> 0;
              const st: RefState = { x: new Array(31).fill(0n), sp: 0n, nzcv: 0, pc: 0n };
              const want = refExec(w, st);
              if (isUndefined(w)) { assert.equal(want, 'UNDEF', `0x${w.toString(16)}`); continue; }
              assert.notEqual(want, 'UNDEF');
              decode(w)(pe);
              assert.equal(getX(pe, 0), (want as RefState).x[0]);
              seen.add(getX(pe, 0));
            }
          }
        }
        assert.equal(seen.size, sf ? 5334 : 1302);
      }
    });
  });
});
