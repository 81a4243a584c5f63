// Fuzz: random 32-bit words executed at EL0, EL1 and EL2 never throw on the host. Whatever a
// word does — UNDEFINED, a trap, an abort, a load from an unmapped address — must end as
// architectural state in the guest.
import { strict as assert } from 'node:assert';
import { Machine } from '../../../src/sim/machine';
import { sysregSlot } from '../../../src/sim/sysregs';

/** xorshift32: deterministic, seeded. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

const WORDS = 100_000;
const BASE = 0x40000000;

describe('fuzz: random instruction words', function () {
  this.timeout(120_000);
  for (const el of [0, 1, 2]) {
    it(`executes ${WORDS} random words at EL${el} without a host exception`, () => {
      const next = rng(0x9e3779b9 ^ (el * 7919));
      const m = new Machine({ memoryMiB: 64, output: () => undefined });
      const code = new Uint8Array(WORDS * 4);
      const dv = new DataView(code.buffer);
      for (let i = 0; i < WORDS; i++) dv.setUint32(i * 4, next(), true);
      m.load([{ addr: BASE, data: code }], BASE);
      const pe = m.pes[0];
      // Vectors in RAM (past the code) so exceptions land somewhere executable.
      const vbar = BASE + 0x200000;
      for (const name of ['VBAR_EL1', 'VBAR_EL2']) pe.sys[sysregSlot(name) * 2] = vbar;
      pe.sys[sysregSlot('HCR_EL2') * 2] = 0x80000000; // EL1 is AArch64
      let exceptions = 0;
      for (let i = 0; i < WORDS; i++) {
        // Registers point into RAM half of the time so loads and stores really access memory.
        for (let r = 0; r < 31; r++) {
          const v = next();
          pe.x[2 * r] = (v & 1) ? (BASE + (v & 0x3ffff8)) >>> 0 : v;
          pe.x[2 * r + 1] = (v & 1) ? 0 : next();
        }
        pe.setElSp(el, el === 0 ? 0 : 1);
        pe.pcLo = (BASE + i * 4) >>> 0;
        pe.pcHi = 0;
        pe.il = 0;
        pe.waiting = false;
        m.halted = null;
        const before = pe.exceptions;
        m.stepInstruction(pe);
        exceptions += pe.exceptions - before;
      }
      // Most random words are unallocated or trap: the guest must have seen exceptions.
      assert.ok(exceptions > WORDS / 10, `only ${exceptions} exceptions were taken`);
      assert.equal(pe.instret, WORDS);
    });
  }
});
