// Randomized differential test: every integer data-processing encoding class (the records of
// DP_IMM and DP_REG, plus the whole Data-processing immediate / register spaces) executed on
// the simulator and on the BigInt reference model (dp-ref.ts) with random words and random,
// edge-biased register contents, flags and PC. Compares UNDEFINED decisions, all of X0..X30,
// SP, NZCV and the zero-register slot.
import { strict as assert } from 'node:assert';
import { decode } from '../../../src/sim/decode';
import { Flow } from '../../../src/sim/exec';
import { DP_IMM } from '../../../src/sim/isa/dp-imm';
import { DP_REG } from '../../../src/sim/isa/dp-reg';
import type { PE } from '../../../src/sim/pe';
import { refExec, type RefState } from './dp-ref';
import { RAM_BASE, TestBoard, getX, isUndefined, nzcv, randOperand, rng, setNzcv, setX } from './harness';

const CASES_PER_CLASS = 3000;

/** minAllocated: the fraction of words that must be allocated (the sharpened templates fix the
 * fields that make most random words UNDEFINED, so that the operations get exercised). */
interface Template { name: string; mask: number; value: number; minAllocated: number }

const templates: Template[] = [
  // The encoding records themselves (random fields: many words are UNDEFINED, which is tested too).
  ...DP_IMM.map((e) => ({ name: e.name, mask: e.mask, value: e.value, minAllocated: 0 })),
  ...DP_REG.map((e) => ({ name: e.name, mask: e.mask, value: e.value, minAllocated: 0 })),
  { name: 'whole Data processing -- immediate space', mask: 0x1c000000, value: 0x10000000, minAllocated: 0.3 },
  { name: 'whole Data processing -- register space', mask: 0x0e000000, value: 0x0a000000, minAllocated: 0.1 },
  // Sharpened templates.
  { name: 'SBFM (64-bit)', mask: 0xffc00000, value: 0x93400000, minAllocated: 0.9 },
  { name: 'BFM (64-bit)', mask: 0xffc00000, value: 0xb3400000, minAllocated: 0.9 },
  { name: 'UBFM (64-bit)', mask: 0xffc00000, value: 0xd3400000, minAllocated: 0.9 },
  { name: 'SBFM (32-bit)', mask: 0xffe08000, value: 0x13000000, minAllocated: 0.9 },
  { name: 'BFM (32-bit)', mask: 0xffe08000, value: 0x33000000, minAllocated: 0.9 },
  { name: 'UBFM (32-bit)', mask: 0xffe08000, value: 0x53000000, minAllocated: 0.9 },
  { name: 'EXTR (64-bit)', mask: 0xffe00000, value: 0x93c00000, minAllocated: 0.9 },
  { name: 'EXTR (32-bit)', mask: 0xffe08000, value: 0x13800000, minAllocated: 0.9 },
  { name: 'ADD/SUB (extended register), imm3 <= 3', mask: 0x1fe01000, value: 0x0b200000, minAllocated: 0.9 },
  { name: 'CCMN/CCMP (register, immediate)', mask: 0x3fe00410, value: 0x3a400000, minAllocated: 0.9 },
  { name: 'CSEL/CSINC/CSINV/CSNEG', mask: 0x3fe00800, value: 0x1a800000, minAllocated: 0.9 },
  { name: 'UDIV/SDIV', mask: 0x7fe0f800, value: 0x1ac00800, minAllocated: 0.7 },
  { name: 'LSLV/LSRV/ASRV/RORV', mask: 0x7fe0f000, value: 0x1ac02000, minAllocated: 0.7 },
  { name: 'CRC32/CRC32C', mask: 0x7fe0e000, value: 0x1ac04000, minAllocated: 0.3 },
  { name: 'RBIT/REV16/REV32/REV/CLZ/CLS', mask: 0x7fffe000, value: 0x5ac00000, minAllocated: 0.4 },
  { name: 'MADD/MSUB/SMADDL/SMSUBL/UMADDL/UMSUBL/SMULH/UMULH', mask: 0x7f000000, value: 0x1b000000, minAllocated: 0.3 },
];

const hex = (v: number | bigint): string => '0x' + v.toString(16);

function loadState(pe: PE, st: RefState): void {
  for (let i = 0; i < 31; i++) setX(pe, i, st.x[i]);
  setX(pe, 32, st.sp);
  pe.x[62] = 0; pe.x[63] = 0;
  setNzcv(pe, st.nzcv);
  pe.pcLo = Number(st.pc & 0xffffffffn);
  pe.pcHi = Number(st.pc >> 32n);
}

function compare(pe: PE, want: RefState, before: RefState, word: number): void {
  const ctx = (): string => `word ${hex(word)}; before: x=${before.x.map(hex).join(',')} sp=${hex(before.sp)} nzcv=${before.nzcv} pc=${hex(before.pc)}`;
  for (let i = 0; i < 31; i++) {
    if (getX(pe, i) !== want.x[i]) assert.fail(`X${i} = ${hex(getX(pe, i))}, want ${hex(want.x[i])}; ${ctx()}`);
  }
  if (getX(pe, 32) !== want.sp) assert.fail(`SP = ${hex(getX(pe, 32))}, want ${hex(want.sp)}; ${ctx()}`);
  if (nzcv(pe) !== want.nzcv) assert.fail(`NZCV = ${nzcv(pe)}, want ${want.nzcv}; ${ctx()}`);
  if (pe.x[62] !== 0 || pe.x[63] !== 0) assert.fail(`the zero register slot was written; ${ctx()}`);
}

describe('integer data processing: differential test against a BigInt reference model', function () {
  this.timeout(120_000);
  const board = new TestBoard();
  const pe = board.reset(1);

  templates.forEach((t, ti) => {
    it(`${t.name}: ${CASES_PER_CLASS} random words and operands`, () => {
      const next = rng(0x5eed0000 + ti);
      let executed = 0, undef = 0;
      for (let i = 0; i < CASES_PER_CLASS; i++) {
        let word = (t.value | (next() & ~t.mask)) >>> 0;
        // Make register aliasing (Rd = Rn, Rd = Rm, Rn = Rm, Ra = Rd) and register 31 common.
        const alias = next() % 8;
        const rd = word & 31;
        if (alias === 0) word = ((word & ~(31 << 5)) | (rd << 5)) >>> 0;
        else if (alias === 1) word = ((word & ~(31 << 16)) | (rd << 16)) >>> 0;
        else if (alias === 2) word = ((word & ~(31 << 16)) | (((word >>> 5) & 31) << 16)) >>> 0;
        else if (alias === 3) word = (word | 31 << (5 * (next() % 4))) >>> 0;
        const viaRun = (next() & 1) === 0;
        const before: RefState = {
          x: Array.from({ length: 31 }, () => randOperand(next)),
          sp: randOperand(next),
          nzcv: next() & 15,
          // Through the run loop the PC must be in RAM; called directly it can be anything.
          pc: viaRun ? BigInt(RAM_BASE + (next() & 0xfffffc)) : (randOperand(next) & ~3n),
        };
        const want = refExec(word, before);
        assert.notEqual(want, 'OTHER', `word ${hex(word)} is outside data processing`);
        const simUndef = isUndefined(word);
        if (want === 'UNDEF' || simUndef) {
          assert.equal(simUndef, want === 'UNDEF', `word ${hex(word)}: simulator UNDEFINED=${simUndef}, reference ${want === 'UNDEF'}`);
          undef++;
          continue;
        }
        loadState(pe, before);
        if (viaRun) {
          board.exec1(word, Number(before.pc));
          assert.equal(pe.pc, Number(before.pc) + 4, `word ${hex(word)}: PC did not advance`);
          assert.equal(pe.exceptions, 0, `word ${hex(word)}: took an exception`);
        } else {
          assert.equal(decode(word)(pe), Flow.Next);
        }
        compare(pe, want as RefState, before, word);
        executed++;
      }
      assert.ok(executed >= t.minAllocated * CASES_PER_CLASS,
        `only ${executed} of ${CASES_PER_CLASS} words were allocated (${undef} UNDEFINED)`);
    });
  });
});
