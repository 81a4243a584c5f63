// A minimal board for ISA unit tests: one PE, RAM at 0x4000_0000, no devices (STYLE 10).
// Tests write instruction words into RAM, reset the PE at EL1 or EL2 and run N instructions.
//
//   const t = new TestBoard();
//   const pe = t.reset(1);                 // EL1 at RAM_BASE
//   t.code([0x91000420]);                  // add x0, x1, #1
//   setX(pe, 1, 41n); pe.run(1);
//
// 64-bit register values are exchanged as BigInt here (tests only; never in src/sim).
import type { Exec } from '../../../src/sim/exec';
import { EventBus } from '../../../src/sim/events';
import { PAGE_SIZE, PhysicalMemory } from '../../../src/sim/memory';
import { PE, type Board } from '../../../src/sim/pe';
import { CORTEX_A57, type CpuModel } from '../../../src/sim/cpu-model';
import { UNDEF, decode } from '../../../src/sim/decode';
import { strict as assert } from 'node:assert';

export const RAM_BASE = 0x4000_0000;
export const RAM_SIZE = 16 * 1024 * 1024;
export const MASK64 = (1n << 64n) - 1n;

export class TestBoard implements Board {
  readonly mem = new PhysicalMemory(RAM_BASE, RAM_SIZE);
  readonly bus = new EventBus();
  readonly cyclesPerTick = 1;
  /** No firmware on this board: HVC/SMC behave as the architecture says without EL3 software. */
  readonly firmwareConduit = 'none' as const;
  readonly pe: PE;

  constructor(model: CpuModel = CORTEX_A57) {
    this.pe = new PE(0, this, model);
  }

  firmwareCall(): boolean { return false; }

  /** Semihosting ends the run slice (no host services on this board). */
  semihosting(pe: PE): void { pe.stopRequested = true; }

  codePage(pa: number): (Exec | undefined)[] | undefined {
    const off = pa - RAM_BASE;
    if (off < 0 || off >= RAM_SIZE) return undefined;
    const idx = Math.floor(off / PAGE_SIZE);
    let c = this.mem.code[idx];
    if (c === undefined) { c = new Array<Exec | undefined>(PAGE_SIZE / 4).fill(undefined); this.mem.setCode(idx, c); }
    return c as (Exec | undefined)[];
  }

  /** Resets the PE to run from `pc` (default RAM_BASE) at `el` (1 or 2). */
  reset(el = 1, pc = RAM_BASE): PE {
    this.pe.stopRequested = false;
    this.pe.reset(pc, 0, el);
    return this.pe;
  }

  /** Writes instruction words at `at` (default RAM_BASE); stores keep the decode cache coherent. */
  code(words: readonly number[], at = RAM_BASE): void {
    for (let i = 0; i < words.length; i++) this.mem.write(at + 4 * i, 4, words[i] >>> 0);
  }

  /**
   * Executes one instruction word at RAM_BASE with the current register state (no reset):
   * the quickest way to run thousands of operand combinations through one encoding.
   */
  exec1(word: number, at = RAM_BASE): void {
    const pe = this.pe;
    if (this.mem.read(at, 4) !== (word >>> 0)) this.mem.write(at, 4, word >>> 0);
    pe.pcLo = at >>> 0;
    pe.pcHi = 0;
    pe.run(1);
  }
}

/** Sets X[n] (n = 0..30, or 32 for the current SP) from a BigInt (taken modulo 2^64). */
export function setX(pe: PE, n: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  pe.x[2 * n] = Number(u & 0xffffffffn);
  pe.x[2 * n + 1] = Number(u >> 32n);
}

/** Reads X[n] (slot 31 reads 0, slot 32 the current SP) as an unsigned BigInt. */
export function getX(pe: PE, n: number): bigint {
  return (BigInt(pe.x[2 * n + 1]) << 32n) | BigInt(pe.x[2 * n]);
}

/** NZCV as a 4-bit number (N = 8). */
export function nzcv(pe: PE): number {
  return (pe.nf << 3) | (pe.zf << 2) | (pe.cf << 1) | pe.vf;
}

export function setNzcv(pe: PE, f: number): void {
  pe.nf = (f >>> 3) & 1; pe.zf = (f >>> 2) & 1; pe.cf = (f >>> 1) & 1; pe.vf = f & 1;
}

/** True if the word decodes as UNDEFINED (no encoding, or the encoding rejects its fields). */
export function isUndefined(word: number): boolean {
  return decode(word >>> 0) === UNDEF;
}

/** mulberry32: deterministic 32-bit random words for seeded tests. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * Random 64-bit operand biased toward edge cases: 0, 1, -1, INT_MIN/MAX of both widths, small
 * values, single bits, and fully random words.
 */
export function randOperand(next: () => number): bigint {
  const sel = next() % 16;
  const w = (): bigint => BigInt(next());
  switch (sel) {
    case 0: return 0n;
    case 1: return 1n;
    case 2: return MASK64;
    case 3: return 1n << 63n;
    case 4: return (1n << 63n) - 1n;
    case 5: return 0x80000000n | ((next() & 1) ? 0xffffffff00000000n : 0n);
    case 6: return 0x7fffffffn | ((next() & 1) ? 0xffffffff00000000n : 0n);
    case 7: return 0xffffffffn;
    case 8: return BigInt(next() % 64);
    case 9: return 1n << BigInt(next() % 64);
    case 10: return BigInt.asUintN(64, -BigInt(next() % 1000));
    case 11: return w();
    default: return (w() << 32n) | w();
  }
}

/** One known-answer case: inputs (registers, SP, NZCV) and expected outputs. */
export interface Case {
  asm: string;
  /** The instruction, or a sequence run back to back. */
  word: number | number[];
  x?: Record<number, bigint>;
  sp?: bigint;
  flags?: number;
  want: Record<number, bigint>;
  wantSp?: bigint;
  /** Expected NZCV (defaults to the input flags: unchanged). */
  wantFlags?: number;
}

/** Runs each case through the run loop at EL1 on a fresh PE and checks the outputs. */
export function runCases(cases: Case[]): void {
  // mocha's it() is a global here: this helper is only called inside describe() blocks.
  const board = new TestBoard();
  for (const c of cases) {
    const inputs = Object.entries(c.x ?? {}).map(([k, v]) => `x${k}=0x${v.toString(16)}`);
    if (c.sp !== undefined) inputs.push(`sp=0x${c.sp.toString(16)}`);
    if (c.flags !== undefined) inputs.push(`nzcv=${c.flags.toString(2).padStart(4, '0')}`);
    it(`${c.asm}  [${inputs.join(' ')}]`, () => {
      const pe = board.reset(1);
      const flags = c.flags ?? 0b1010;
      for (const [k, v] of Object.entries(c.x ?? {})) setX(pe, Number(k), v);
      if (c.sp !== undefined) setX(pe, 32, c.sp);
      setNzcv(pe, flags);
      const words = typeof c.word === 'number' ? [c.word] : c.word;
      board.code(words);
      assert.equal(pe.run(words.length), words.length);
      assert.equal(pe.exceptions, 0, 'took an exception');
      assert.equal(pe.pc, RAM_BASE + 4 * words.length);
      for (const [k, v] of Object.entries(c.want)) {
        assert.equal('0x' + getX(pe, Number(k)).toString(16), '0x' + v.toString(16), `X${k}`);
      }
      if (c.wantSp !== undefined) assert.equal('0x' + getX(pe, 32).toString(16), '0x' + c.wantSp.toString(16), 'SP');
      assert.equal(nzcv(pe).toString(2).padStart(4, '0'), (c.wantFlags ?? flags).toString(2).padStart(4, '0'), 'NZCV');
      assert.equal(pe.x[62] | pe.x[63], 0, 'zero register slot written');
    });
  }
}
