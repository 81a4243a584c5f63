// The region compiler's loads and stores against the interpreter: seeded random loops mixing
// every general-purpose load/store form the compiler has an emitter for (single register:
// unsigned/unscaled immediate, pre/post-index, register offset; pairs: offset, pre/post-index,
// no-allocate; all sizes, signed forms, PRFM) with integer instructions, conditional branches
// inside the loop body (side exits, back edges from the middle) and B to anywhere in the loop
// (followed by the compiler), run with the compiler
// off and forced on (threshold 0) under random budgets. Base registers point into a data area
// at random (often unaligned, sometimes page-crossing or out-of-RAM) offsets, so the early-exit
// paths (alignment, page crossing, device/unmapped PA) run too. Registers, NZCV, PC, counts and
// the data area's bytes must be equal, and a good share of accesses must have run compiled.
// Load-acquire/store-release are compiled as plain accesses; exclusives (often as LDXR/STXR pairs
// on one address, so that the monitor passes or fails both ways), CAS/CASP and the LSE atomics
// run as call-outs to the interpreter's executors (aborts included: the PE has FEAT_LSE here).
import { strict as assert } from 'node:assert';
import { TestBoard, RAM_BASE, randOperand, rng, setX } from '../sim/harness';
import { ARMV81_VHE } from '../../../src/sim/cpu-model';
import { CALLOUT_EMITTERS } from '../../../src/sim/jit/emit-callout';
import { compareRandomLoops } from './compare';
import { LDST_SINGLE } from '../../../src/sim/isa/ldst-single';
import { LDST_PAIR } from '../../../src/sim/isa/ldst-pair';
import { LDST_EXCL } from '../../../src/sim/isa/ldst-excl';
import { DP_IMM } from '../../../src/sim/isa/dp-imm';
import { decode, findEncoding, UNDEF } from '../../../src/sim/decode';
import { requiredSlot } from '../../../src/sim/sysregs';
import { MEM_EMITTERS } from '../../../src/sim/jit/emit-mem';
import { DP_EMITTERS } from '../../../src/sim/jit/emit-dp';
import { Jit } from '../../../src/sim/jit/jit';

const SAMPLES = Number(process.env.JIT_SAMPLES ?? 600);
const MEM = [...LDST_SINGLE, ...LDST_PAIR, ...LDST_EXCL].filter((e) => MEM_EMITTERS[e.name] !== undefined);
const DP = DP_IMM.filter((e) => DP_EMITTERS[e.name] !== undefined);
const EXCL = LDST_EXCL.filter((e) => CALLOUT_EMITTERS[e.name] !== undefined);
const DATA = RAM_BASE + 0x20000;
/**
 * EL1 vectors: a synchronous exception (alignment, abort, UNDEFINED) is skipped — ELR_EL1 += 4,
 * ERET — so the loop goes on and later passes take exceptions too (X27 is the handler's).
 */
const VECTORS = RAM_BASE + 0x10000;
const SKIP = [0xd538403b, 0x9100137b, 0xd518403b, 0xd69f03e0];   // mrs x27, elr_el1; add x27, x27, #4; msr elr_el1, x27; eret
/** Base registers X0-X3 (and SP); Rm of register offsets X5-X7 (small values); destinations X8-X24. */
const BASES = [0, 1, 2, 3, 31];

function pick(next: () => number, list: readonly number[]): number { return list[next() % list.length]; }
const pickFrom = (list: readonly number[], next: () => number): number => pick(next, list);

function memWord(next: () => number): number {
  for (;;) {
    const e = MEM[next() % MEM.length];
    let w = ((next() & ~e.mask) | e.value) >>> 0;
    w &= ~(1 << 26);                                        // general-purpose registers only
    w = (w & ~(31 << 5)) | (pick(next, BASES) << 5);        // Rn
    w = (w & ~31) | (8 + (next() % 17));                    // Rt
    if (e.name.includes('pair')) w = (w & ~(31 << 10)) | ((8 + (next() % 17)) << 10);   // Rt2
    else if (e.name.includes('register offset')) w = (w & ~(31 << 16)) | ((5 + (next() % 3)) << 16);  // Rm
    w >>>= 0;
    if (findEncoding(w) === e && decode(w) !== UNDEF) return w;
  }
}

/** A call-out word: an exclusive, CAS/CASP or LSE atomic; Rs and Rt (and Rt2) from X8-X24. */
function exclWord(next: () => number): number {
  for (;;) {
    const e = EXCL[next() % EXCL.length];
    let w = ((next() & ~e.mask) | e.value) >>> 0;
    w = (w & ~(31 << 5)) | (pickFrom(BASES, next) << 5);
    w = (w & ~31) | (8 + (next() % 17));
    w = (w & ~(31 << 16)) | ((8 + (next() % 17)) << 16);
    if (e.name.startsWith('Compare')) w |= 31 << 10;
    else if (e.name.startsWith('Load/store exclusive')) w = (w & ~(31 << 10)) | ((8 + (next() % 17)) << 10);
    w >>>= 0;
    if (findEncoding(w) === e && decode(w) !== UNDEF) return w;
  }
}

/** The store-exclusive matching a load-exclusive word (same size, pair and base; L = 0, new Rs/Rt). */
function storeExclusiveFor(w: number, next: () => number): number {
  const ws = (w & ~(1 << 22) & ~(31 << 16) & ~31) | ((8 + (next() % 17)) << 16) | (8 + (next() % 17));
  return ws >>> 0;
}

function dpWord(next: () => number): number {
  for (;;) {
    const e = DP[next() % DP.length];
    let w = ((next() & ~e.mask) | e.value) >>> 0;
    w = (w & ~31) | (8 + (next() % 17));                    // keep bases, counter and Rm values intact
    if (findEncoding(w) === e && decode(w) !== UNDEF) return w;
  }
}

function program(next: () => number): number[] {
  const n = 1 + (next() % 8);
  const words: number[] = [];
  // Mostly loads/stores and integer instructions; now and then a NOP, which the compiler leaves
  // to the interpreter (a region ends before it, also when a followed B leads there).
  for (let i = 0; i < n; i++) {
    const k = next() % 12;
    if (k < 2) words.push(0xd503201f);
    else if (k < 5) {
      const w = exclWord(next);
      words.push(w);
      // A load-exclusive is followed (now and then after one other word) by its store-exclusive.
      if ((w & 0x3f400000) === 0x08400000 && i + 1 < n) {
        if (next() % 2 === 0 && i + 2 < n) { words.push(dpWord(next)); i++; }
        words.push(storeExclusiveFor(w, next)); i++;
      }
    } else words.push(k < 6 ? dpWord(next) : memWord(next));
  }
  // Conditional branches inside the body (side exits of a region): to any instruction of the
  // loop, the SUBS included — forward skips, back to the start, back into the middle.
  for (let i = 0; i < n; i++) {
    if (next() % 5 !== 0) continue;
    const off = (next() % (n + 1)) - i;
    switch (next() % 4) {
      case 3: words[i] = (0x14000000 | (off & 0x3ffffff)) >>> 0; break;                                                // b (followed within the page)
      case 0: words[i] = (0x54000000 | ((off & 0x7ffff) << 5) | (next() % 15)) >>> 0; break;                  // b.cond
      case 1: words[i] = (0xb4000000 | ((next() & 1) << 24) | ((off & 0x7ffff) << 5) | (8 + next() % 17)) >>> 0; break;   // cbz/cbnz x8-x24
      default: words[i] = (0x36000000 | ((next() & 1) << 24) | ((next() % 32) << 19) | ((off & 0x3fff) << 5) | (8 + next() % 17)) >>> 0;  // tbz/tbnz
    }
  }
  words.push(0xf1000739);                                 // subs x25, x25, #1
  words.push((0x54000001 | ((-(words.length) & 0x7ffff) << 5)) >>> 0);   // b.ne start
  words.push(0xd4200000);                                 // brk #0
  return words;
}

interface Result { x: number[]; nzcv: number; pc: number; instret: number; data: number[]; compiled: number }

/** Call-outs made by the compiled runs so far. */
let callouts = 0;

function runOne(words: number[], seed: number, budget: number, jit: boolean): Result {
  const t = new TestBoard(ARMV81_VHE);
  const pe = t.reset(1);
  const j = jit ? new Jit({ threshold: 0 }) : null;
  pe.jit = j;
  t.code(words);
  t.code(SKIP, VECTORS);
  t.code(SKIP, VECTORS + 0x200);
  pe.sys[requiredSlot('VBAR_EL1') * 2] = VECTORS;
  const next = rng(seed);
  for (let r = 0; r < 31; r++) setX(pe, r, randOperand(next));
  for (let i = 0; i < 0x3000; i += 4) t.mem.write(DATA - 0x1000 + i, 4, (next() * 2654435761) >>> 0);
  const base = (): bigint => {
    const k = next() % 16;
    if (k === 0) return BigInt(DATA + 0x1000 - 8 + (next() % 8));    // near a page end: page crossing
    if (k === 1) return 0x9000_0000n;                                 // not RAM (the interpreter aborts)
    return BigInt(DATA + (next() % 0x400) * (k < 8 ? 8 : 1));        // aligned, or any byte
  };
  for (const r of [0, 1, 2, 3, 32]) setX(pe, r, base());
  for (const r of [5, 6, 7]) setX(pe, r, BigInt(next() % 64));
  setX(pe, 25, BigInt(1 + (next() % 6)));
  pe.nf = next() & 1; pe.zf = next() & 1; pe.cf = next() & 1; pe.vf = next() & 1;
  let left = budget;
  while (left > 0) { const k = Math.min(left, 1 + (next() % 13)); pe.run(k); left -= k; }
  const data: number[] = [];
  for (let i = 0; i < 0x3000; i += 4) data.push(t.mem.read(DATA - 0x1000 + i, 4));
  callouts += j?.stats.callouts ?? 0;
  return { x: [...pe.x, ...pe.sys, pe.el, pe.exclAddr], nzcv: pe.nf * 8 + pe.zf * 4 + pe.cf * 2 + pe.vf, pc: pe.pc, instret: pe.instret, data, compiled: j?.stats.compiledInstructions ?? 0 };
}

describe('jit: compiled loads and stores equal the interpreter', () => {
  it('every record with a memory emitter is a record of the interpreter\'s table', () => {
    const names = new Set([...LDST_SINGLE, ...LDST_PAIR, ...LDST_EXCL].map((e) => e.name));
    for (const n of Object.keys(MEM_EMITTERS)) assert.ok(names.has(n), `no encoding record named '${n}'`);
  });

  it(`${SAMPLES} random loops with loads and stores: same registers, flags, PC, counts and memory`, () => {
    const compiled = compareRandomLoops({ samples: SAMPLES, seed: Number(process.env.JIT_SEED ?? 0x5eed), maxBudget: 100, program, runOne });
    assert.ok(compiled > SAMPLES * 5, `only ${compiled} instructions ran compiled`);
    assert.ok(callouts > SAMPLES, `only ${callouts} call-outs`);
  });
});
