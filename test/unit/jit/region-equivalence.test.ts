// The region compiler's integer classes against the interpreter, instruction by instruction:
// seeded random words from every encoding record the compiler has an emitter for, in loops that
// close with the compiled branches, run with the compiler off and forced on (threshold 0) from
// the same random registers and flags, under random budgets (so passes end mid-loop, exactly
// where the interpreter's slice ends). Registers (sink slot included), NZCV, PC, instret and
// cycles must be equal. The sample count is a fixed budget (STYLE: lean tests).
// One word in four or so is a system instruction that compiled code runs through a call-out to the
// interpreter's executor (emit-callout.ts): MRS/MSR of flags, SP_EL0, thread registers and the
// virtual counter (which reads the slice position), SPSel and DAIF changes, TLBI/IC, CLREX, ISB,
// WFE/SEV/SEVL, and MRS/MSR of EL2 registers, UNDEFINED at EL1 (an exception mid-region).
import { strict as assert } from 'node:assert';
import { TestBoard, RAM_BASE, randOperand, rng, setX } from '../sim/harness';
import { compareRandomLoops } from './compare';
import { DP_IMM } from '../../../src/sim/isa/dp-imm';
import { DP_REG } from '../../../src/sim/isa/dp-reg';
import { decode, findEncoding, UNDEF } from '../../../src/sim/decode';
import { DP_EMITTERS } from '../../../src/sim/jit/emit-dp';
import { BRANCH_EMITTERS } from '../../../src/sim/jit/emit-branch';
import { Jit } from '../../../src/sim/jit/jit';
import { BRANCH_SYS } from '../../../src/sim/isa/branch';
import { SYSTEM_EMITTERS } from '../../../src/sim/jit/emit-system';
import { SYSTEM } from '../../../src/sim/isa/system';
import { LDST_EXCL } from '../../../src/sim/isa/ldst-excl';
import { CALLOUT_EMITTERS } from '../../../src/sim/jit/emit-callout';
import { assemble } from '../../../src/asm/assembler';

const SAMPLES = Number(process.env.JIT_SAMPLES ?? 400);
// Hints and barriers, native (NOP-like, DMB/DSB) or call-outs (WFE/SEV/SEVL, CLREX, ISB); not WFI,
// which would wait for an interrupt this board never raises.
const RECORDS = [...DP_IMM, ...DP_REG].filter((e) => DP_EMITTERS[e.name] !== undefined)
  .concat(SYSTEM.filter((e) => SYSTEM_EMITTERS[e.name] !== undefined));
const WFI = 3;

/** Call-out words at EL1 (Rt is replaced at random). */
const CALLOUT_SOURCE = `
        mrs x0, nzcv
        msr nzcv, x0
        mrs x0, daif
        mrs x0, sp_el0
        msr sp_el0, x0
        mrs x0, tpidr_el1
        msr tpidr_el1, x0
        msr tpidrro_el0, x0
        mrs x0, cntvct_el0
        mrs x0, currentel
        mrs x0, midr_el1
        mrs x0, hcr_el2
        msr vttbr_el2, x0
        msr spsel, #0
        msr spsel, #1
        msr daifset, #2
        msr daifclr, #2
        tlbi vmalle1
        ic iallu
`;
const CALLOUTS = ((): number[] => {
  const r = assemble(CALLOUT_SOURCE, { fileName: 'callouts.S' });
  assert.deepEqual(r.errors.map((e) => e.message), []);
  const d = r.sections.find((x) => x.name === '.text')!.data;
  const words: number[] = [];
  for (let i = 0; i < d.length; i += 4) words.push((d[i] | (d[i + 1] << 8) | (d[i + 2] << 16) | (d[i + 3] << 24)) >>> 0);
  return words;
})();

function randomWord(next: () => number): number {
  if (next() % 4 === 0) {
    const w = CALLOUTS[next() % CALLOUTS.length];
    // MRS/MSR: a random register other than X26 (the loop's start) and SP-free slots.
    return (w >>> 20) === 0xd53 || (w >>> 20) === 0xd51 ? ((w & ~31) | (next() % 26)) >>> 0 : w;
  }
  for (;;) {
    const e = RECORDS[next() % RECORDS.length];
    let w = ((next() & ~e.mask) | e.value) >>> 0;
    // Keep X26 (the loop's start for RET/BLR) out of destinations; X25, the counter, may be hit.
    if ((w & 31) === 26) w = (w & ~31) | 27;
    if (e.name.startsWith('Hints') && ((w >>> 5) & 0x7f) === WFI) continue;
    if (findEncoding(w) === e && decode(w) !== UNDEF) return w;
  }
}

/** A loop body of random instructions, then SUBS X25, X25, #1 and a closing branch back to the start (B.NE, CBNZ, TBNZ, B, RET, BLR). */
function program(next: () => number): number[] {
  const n = 1 + (next() % 8);
  const words: number[] = [];
  for (let i = 0; i < n; i++) words.push(randomWord(next));
  words.push(0xf1000739);                                 // subs x25, x25, #1
  const back = -(words.length) & 0x7ffff;
  switch (next() % 6) {
    case 4: words.push(0xd65f0340); break;                                         // ret x26 (X26 = start)
    case 5: words.push(0xd63f0340); break;                                         // blr x26
    case 0: words.push((0x54000001 | (back << 5)) >>> 0); break;                 // b.ne start
    case 1: words.push((0xb5000000 | (back << 5) | 25) >>> 0); break;            // cbnz x25, start
    case 2: words.push((0x37000000 | ((next() % 32) << 19) | ((back & 0x3fff) << 5) | (next() % 31)) >>> 0); break; // tbnz wN, #b, start
    default: words.push((0x14000000 | (-(words.length) & 0x3ffffff)) >>> 0); // b start
  }
  words.push(0xd4200000);                                 // brk #0: ends the run when the loop exits
  return words;
}

/** Call-outs made by the compiled runs so far. */
let callouts = 0;

function runOne(words: number[], seed: number, budget: number, jit: boolean): { x: number[]; nzcv: number; pc: number; instret: number; cycles: number; compiled: number; callouts: number } {
  const t = new TestBoard();
  const pe = t.reset(1);
  const j = jit ? new Jit({ threshold: 0 }) : null;
  pe.jit = j;
  t.code(words);
  const next = rng(seed);
  for (let r = 0; r < 31; r++) setX(pe, r, randOperand(next));
  setX(pe, 25, BigInt(1 + (next() % 6)));
  setX(pe, 26, BigInt(RAM_BASE));
  setX(pe, 32, BigInt(RAM_BASE + 0x100000));
  pe.nf = next() & 1; pe.zf = next() & 1; pe.cf = next() & 1; pe.vf = next() & 1;
  // Several slices, as the machine's scheduler would cut them.
  let left = budget;
  while (left > 0) { const k = Math.min(left, 1 + (next() % 13)); pe.run(k); left -= k; }
  // Registers only the executors write (exception entry, MSR), compared as part of the state.
  const x = [...pe.x, ...pe.sys, ...pe.spBank, pe.el, pe.daif, pe.spsel, pe.exclAddr, pe.eventReg];
  callouts += j?.stats.callouts ?? 0;
  return { x, nzcv: pe.nf * 8 + pe.zf * 4 + pe.cf * 2 + pe.vf, pc: pe.pc, instret: pe.instret, cycles: pe.cycles, compiled: j?.stats.compiledInstructions ?? 0, callouts: j?.stats.callouts ?? 0 };
}

describe('jit: compiled regions equal the interpreter (integer core, branches)', () => {
  it('every record with an emitter is a record of the interpreter\'s table', () => {
    const names = new Set([...DP_IMM, ...DP_REG, ...BRANCH_SYS, ...SYSTEM, ...LDST_EXCL].map((e) => e.name));
    for (const n of [...Object.keys(DP_EMITTERS), ...Object.keys(BRANCH_EMITTERS), ...Object.keys(SYSTEM_EMITTERS), ...Object.keys(CALLOUT_EMITTERS)]) {
      assert.ok(names.has(n), `no encoding record named '${n}'`);
    }
  });

  it(`${SAMPLES} random loops: same registers, flags, PC and counts with the compiler on and off`, () => {
    const compiled = compareRandomLoops({ samples: SAMPLES, seed: Number(process.env.JIT_SEED ?? 0x4a17), maxBudget: 120, program, runOne });
    // The compiler really ran: most of these instructions were in compiled code, call-outs included.
    assert.ok(compiled > SAMPLES * 10, `only ${compiled} instructions ran compiled`);
    assert.ok(callouts > SAMPLES * 2, `only ${callouts} call-outs`);
  });

  it('SMULH / UMULH (128-bit products from 32-bit pieces) on random and edge operands', () => {
    // umulh x2, x0, x1; smulh x3, x4, x5; umulh x6, x7, x7; smulh x8, x9, x8; subs x25; b.ne; brk
    const words = [0x9bc17c02, 0x9b457c83, 0x9bc77ce6, 0x9b487d28, 0xf1000739, 0x54ffff41, 0xd4200000];
    const next = rng(0x3141);
    for (let s = 0; s < 200; s++) {
      const seed = next();
      const off = runOne(words, seed, 40, false), on = runOne(words, seed, 40, true);
      assert.deepEqual(on.x, off.x, `seed ${seed}`);
      assert.ok(on.compiled > 0);
    }
  });
});
