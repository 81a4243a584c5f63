// Random test cases from the project's one instruction table (src/asm/a64): which records the
// fuzzer may use, random field values with the fix-ups that keep the instruction inside the
// harness (branch targets, base registers, system registers), and random input records.
import { A64_TABLE, type A64Insn } from '../../src/asm/a64/table';
import { SYSREG_NAMES } from '../../src/asm/a64/sysreg-names';
import { decode as asmDecode } from '../../src/asm/a64/disasm';
import { decode as simDecode, UNDEF } from '../../src/sim/decode';
import type { FuzzCase } from './harness';
import { BUF_BASE, BUF_SIZE, IN, SLOT_BASE, SLOT_SIZE, UNMAPPED_BASE } from './layout';

/** Deterministic PRNG (xorshift128+ on two 32-bit halves would do; mulberry32 is enough here). */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0 || 0x9e3779b9; }
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Integer in [0, n). */
  int(n: number): number { return Math.floor((this.u32() / 0x1_0000_0000) * n); }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  u64(): bigint { return (BigInt(this.u32()) << 32n) | BigInt(this.u32()); }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
  chance(p: number): boolean { return this.u32() / 0x1_0000_0000 < p; }
}

/** Why a record (or a whole class) is left out: instructions whose effect leaves the test slot. */
export const EXCLUDED: ReadonlyArray<{ cls: string; mnemonics?: readonly string[]; reason: string }> = [
  { cls: 'exception', mnemonics: ['svc', 'hvc', 'smc', 'hlt', 'dcps1', 'dcps2', 'dcps3', 'tcancel'], reason: 'exception generation is the harness\'s own exit path (SVC), or semihosting (HLT), firmware (SMC) or debug state' },
  { cls: 'pstate', mnemonics: ['msr'], reason: 'MSR (immediate) changes SPSel/DAIF/PAN/UAO/SSBS/TCO, which the harness depends on' },
  { cls: 'system', mnemonics: ['wfet', 'wfit'], reason: 'waits' },
  { cls: 'systeminstrs', reason: 'cache/TLB maintenance and address translation act on the harness\'s own state' },
  { cls: 'branch_reg', mnemonics: ['eret', 'eretaa', 'eretab', 'drps'], reason: 'exception return leaves the test EL' },
];

/** System registers MRS/MSR may name: PSTATE and FP state the harness reloads per case, and a scratch register. */
const SYSREGS = ['nzcv', 'fpcr', 'fpsr', 'tpidr_el0'].map((n) => SYSREG_NAMES[n]);

/** HINT numbers that wait or signal events (WFE, WFI, SEV, SEVL): the slot must not wait. */
const WAITING_HINTS = new Set([2, 3, 4, 5]);

const MEMORY_CLASS = /^(ldst|asisdls|memop|ldapstl|loadlit)/;
const BRANCH_IMM_FIELD: Record<string, string> = { branch_imm: 'imm26', condbranch: 'imm19', compbranch: 'imm19', testbranch: 'imm14' };

function excludedReason(r: A64Insn): string | undefined {
  for (const e of EXCLUDED) if (e.cls === r.spec.cls && (!e.mnemonics || e.mnemonics.includes(r.spec.mnemonic))) return e.reason;
  return undefined;
}

export interface Eligible { rec: A64Insn; cls: string }

/**
 * Records the fuzzer draws from: table records (not encode-only, not unimplemented, not excluded)
 * for which our simulator's decoder returns an executor (not UNDEFINED) for at least one of 64
 * random field assignments. The table is the one source: no hand list of implemented classes.
 */
export function eligibleRecords(classFilter?: string): { eligible: Eligible[]; unimplemented: Map<string, number>; excluded: Map<string, string> } {
  if (classFilter) {
    const known = new Set(A64_TABLE.map((r) => r.spec.cls));
    for (const c of classFilter.split(',')) if (!known.has(c)) throw new Error(`--class: unknown instruction-table class '${c}' (npm run fuzz -- --list-classes lists them)`);
  }
  const rng = new Rng(1);
  const eligible: Eligible[] = [];
  const unimplemented = new Map<string, number>();
  const excluded = new Map<string, string>();
  for (const rec of A64_TABLE) {
    if (rec.spec.encodeOnly || rec.spec.unimplemented) continue;
    if (classFilter && !classFilter.split(',').includes(rec.spec.cls)) continue;
    const why = excludedReason(rec);
    if (why) { excluded.set(`${rec.spec.cls}/${rec.spec.mnemonic}`, why); continue; }
    let ok = false;
    if (rec.spec.cls === 'udf') ok = true; // UNDEFINED by design: both sides must raise it
    for (let i = 0; i < 64 && !ok; i++) ok = usable(rec, randomWord(rec, rng));
    if (ok) eligible.push({ rec, cls: rec.spec.cls });
    else unimplemented.set(rec.spec.cls, (unimplemented.get(rec.spec.cls) ?? 0) + 1);
  }
  return { eligible, unimplemented, excluded };
}

function setField(word: number, rec: A64Insn, name: string, v: number): number {
  const fd = rec.fields.find((f) => f.name === name);
  if (!fd) return word;
  const m = (fd.width === 32 ? 0xffffffff : (1 << fd.width) - 1) << fd.lo;
  return ((word & ~m) | ((v << fd.lo) & m)) >>> 0;
}

function fieldOf(word: number, rec: A64Insn, name: string): number | undefined {
  const fd = rec.fields.find((f) => f.name === name);
  return fd ? (word >>> fd.lo) & ((1 << fd.width) - 1) : undefined;
}

const PAIR_LOAD = /^(ldp|ldnp|ldpsw|ldxp|ldaxp)$/;
const WRITEBACK = new Set(['ldst_immpost', 'ldst_immpre', 'ldstpair_post', 'ldstpair_pre']);
const STORE_EXCL = /^(stxr|stlxr)[bh]?$|^(stxp|stlxp)$/;

/**
 * Why an encoding is CONSTRAINED UNPREDICTABLE (DDI0487 K.a, the instruction pages' "CONSTRAINED
 * UNPREDICTABLE behavior" and J1 "Architectural constraints on UNPREDICTABLE behaviors"): QEMU and
 * we may legitimately choose differently, so the generator does not emit these.
 */
export function unpredictable(rec: A64Insn, word: number): string | undefined {
  const m = rec.spec.mnemonic;
  const r = registerFields(rec, word);
  const gpr = ((word >>> 26) & 1) === 0; // the V bit of load/store encodings
  if (PAIR_LOAD.test(m) && r.Rt === r.Rt2) return 'load pair with t == t2';
  if (WRITEBACK.has(rec.spec.cls) && gpr && r.Rn !== 31 && (r.Rn === r.Rt || r.Rn === r.Rt2)) return 'writeback with n == t';
  if (STORE_EXCL.test(m) && (r.Rs === r.Rt || r.Rs === r.Rt2 || (r.Rs === r.Rn && r.Rn !== 31))) return 'store exclusive with s == t or s == n';
  return undefined;
}

/**
 * Does `word` stand for `rec`: the disassembler reads it as a record of the same class (not, say,
 * a modified-immediate instruction that shares the encoding space when immh is 0), and our
 * decoder does not reject it outright.
 */
function usable(rec: A64Insn, word: number): boolean {
  return asmDecode(word)?.insn.spec.cls === rec.spec.cls && (simDecode(word) !== UNDEF || rec.spec.cls === 'udf');
}

/** A random encoding of `rec`, with immediates kept where the harness can follow them. */
export function randomWord(rec: A64Insn, rng: Rng): number {
  let w = rec.encodeValue;
  for (const fd of rec.freeFields) w = setField(w, rec, fd.name, rng.u32() & ((1 << fd.width) - 1));
  const cls = rec.spec.cls;
  const bf = BRANCH_IMM_FIELD[cls];
  // Direct branches: target +8 (the slot's `svc #2`) or +4 (`svc #1`, same as falling through).
  if (bf) w = setField(w, rec, bf, rng.chance(0.85) ? 2 : 1);
  if (MEMORY_CLASS.test(cls)) {
    // Offsets stay within the 1 KiB buffer around the base (which points at its middle).
    if (rng.chance(0.9)) w = setField(w, rec, 'imm12', rng.int(8));
    if (rng.chance(0.9)) w = setField(w, rec, 'imm7', rng.range(-16, 15) & 0x7f);
    if (cls === 'loadlit') w = setField(w, rec, 'imm19', rng.range(-64, 64) & 0x7ffff);
  }
  if (cls === 'systemmove') {
    const s = rng.pick(SYSREGS);
    w = setField(w, rec, 'op0', s.op0); w = setField(w, rec, 'op1', s.op1);
    w = setField(w, rec, 'CRn', s.crn); w = setField(w, rec, 'CRm', s.crm); w = setField(w, rec, 'op2', s.op2);
  }
  if (cls === 'hints') {
    const n = (w >>> 5) & 0x7f;
    if (WAITING_HINTS.has(n)) w = (w & ~(0x7f << 5)) >>> 0; // NOP instead
  }
  return w >>> 0;
}

const INTERESTING64: readonly bigint[] = [
  0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0xfffffffffffffffen, 0xffffffff80000000n,
];
/** FP bit patterns: ±0, ±1, ±inf, quiet and signalling NaNs, max, min normal, a denormal, 2^-1074 … */
const FP64: readonly bigint[] = [
  0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n,
  0x7ff8000000000000n, 0x7ff4000000000001n, 0x7fefffffffffffffn, 0x0010000000000000n, 0x000fffffffffffffn, 1n,
  0x4340000000000000n, 0x43e0000000000000n, 0xc3e0000000000000n, 0x3fe0000000000000n, 0x4000000000000000n,
];
const FP32: readonly number[] = [
  0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00001, 0x7f7fffff, 0x00800000,
  0x007fffff, 1, 0x4f000000, 0xcf000000, 0x5f000000, 0x3f000000, 0x477fe000, 0x477ff000, 0x33800000,
];
const FP16: readonly number[] = [0, 0x8000, 0x3c00, 0xbc00, 0x7c00, 0xfc00, 0x7e00, 0x7d01, 0x7bff, 0x0400, 0x03ff, 1, 0x3800];

function randomX(rng: Rng): bigint {
  switch (rng.int(5)) {
    case 0: return rng.pick(INTERESTING64);
    case 1: return BigInt(rng.int(64));
    case 2: return BigInt.asUintN(64, -BigInt(rng.range(1, 64)));
    case 3: return BigInt(rng.u32());
    default: return rng.u64();
  }
}

function randomVHalf(rng: Rng): bigint {
  switch (rng.int(5)) {
    case 0: return rng.pick(FP64);
    case 1: return (BigInt(rng.pick(FP32)) << 32n) | BigInt(rng.pick(FP32));
    case 2: { let v = 0n; for (let i = 0; i < 4; i++) v = (v << 16n) | BigInt(rng.pick(FP16)); return v; }
    case 3: return rng.chance(0.5) ? BigInt(rng.pick(FP32)) : BigInt(rng.pick(FP16));
    default: return rng.u64();
  }
}

/** An address for a base register: mostly inside the buffer (any alignment), sometimes one that faults. */
function randomAddress(rng: Rng): bigint {
  if (rng.chance(0.06)) {
    return rng.pick([
      BigInt(UNMAPPED_BASE + rng.int(0x1000)), // unmapped: translation fault, level 1
      0x1_0000_0000n + BigInt(rng.int(0x1000)), // above T0SZ=32's 4 GiB: translation fault, level 0
      0x0080_0000_4044_0200n, // top byte ignored? no: TBI=0, so a translation fault
      BigInt(SLOT_BASE + rng.int(64)), // read-only slot page: stores give permission faults
    ]);
  }
  return BigInt(BUF_BASE + BUF_SIZE / 2 + rng.range(-64, 63));
}

const REG_FIELDS = ['Rd', 'Rn', 'Rm', 'Ra', 'Rt', 'Rt2', 'Rs'];

/** Register numbers an encoding names (for reproducers). */
export function registerFields(rec: A64Insn, word: number): Record<string, number> {
  const r: Record<string, number> = {};
  for (const f of REG_FIELDS) { const v = fieldOf(word, rec, f); if (v !== undefined) r[f] = v; }
  for (const [k, v] of Object.entries(rec.fixed)) if (REG_FIELDS.includes(k)) r[k] = v;
  return r;
}

export interface GenCase extends FuzzCase { rec: A64Insn }

const classCache = new WeakMap<readonly Eligible[], Eligible[][]>();
function classList(eligible: readonly Eligible[]): Eligible[][] {
  let c = classCache.get(eligible);
  if (!c) {
    const m = new Map<string, Eligible[]>();
    for (const e of eligible) { let l = m.get(e.cls); if (!l) m.set(e.cls, (l = [])); l.push(e); }
    c = [...m.values()];
    classCache.set(eligible, c);
  }
  return c;
}

/** Case number `index` of a batch (its slot address is known, so register branches can target it). */
export function randomCase(eligible: readonly Eligible[], rng: Rng, index: number): GenCase {
  // A class first, then a record in it: classes with many records (LSE atomics: 212) do not crowd out the rest.
  const classes = classList(eligible);
  const { rec } = rng.pick(rng.pick(classes));
  let word = randomWord(rec, rng);
  for (let i = 0; i < 32 && !usable(rec, word); i++) word = randomWord(rec, rng);
  for (let i = 0; unpredictable(rec, word); i++) {
    if (i === 1000) throw new Error(`no predictable encoding of ${rec.spec.mnemonic} found`);
    word = randomWord(rec, rng);
  }
  const input = new BigUint64Array(IN.WORDS);
  for (let i = 0; i < 31; i++) input[IN.X + i] = randomX(rng);
  input[IN.SP] = BigInt(BUF_BASE + BUF_SIZE / 2 + (rng.chance(0.8) ? rng.range(-4, 3) * 16 : rng.range(-64, 63)));
  input[IN.NZCV] = BigInt(rng.int(16)) << 28n;
  // FPCR: AHP, DN, FZ, RMode, FZ16 (RES0 on cortex-a57, which has no FEAT_FP16: both sides drop
  // it). Trap enables are RAZ/WI on both models.
  let fpcr = 0;
  if (rng.chance(0.5)) fpcr |= rng.int(16) << 22 | (rng.int(2) << 26) | (rng.int(2) << 19);
  input[IN.FPCR] = BigInt(fpcr);
  input[IN.FPSR] = rng.chance(0.5) ? 0n : BigInt((rng.int(32) | (rng.int(2) << 7) | (rng.int(2) << 27)) >>> 0);
  for (let i = 0; i < 64; i++) input[IN.V + i] = randomVHalf(rng);
  const cls = rec.spec.cls;
  const regs = registerFields(rec, word);
  if (MEMORY_CLASS.test(cls) && regs.Rn !== undefined) {
    const a = randomAddress(rng);
    if (regs.Rn === 31) input[IN.SP] = a; else input[IN.X + regs.Rn] = a;
    if (regs.Rm !== undefined && regs.Rm !== 31 && regs.Rm !== regs.Rn) input[IN.X + regs.Rm] = BigInt.asUintN(64, BigInt(rng.range(-16, 16)));
  }
  if (cls === 'branch_reg' && regs.Rn !== undefined && regs.Rn !== 31) {
    const slot = SLOT_BASE + index * SLOT_SIZE;
    input[IN.X + regs.Rn] = BigInt(slot + rng.pick([8, 8, 8, 4, 10, 0x1000 * 0x100]));
  }
  return { word, input, rec };
}

/** The buffer's initial contents (the same for every case of a run). */
export function pristineBuffer(rng: Rng): Uint8Array {
  const b = new Uint8Array(BUF_SIZE);
  for (let i = 0; i < b.length; i += 4) new DataView(b.buffer).setUint32(i, rng.u32(), true);
  return b;
}
