// The code-building context one region's instructions are emitted into: guest registers and
// NZCV in wasm locals, loaded once on entry and written back at every exit, plus typed helpers
// the per-class emitters (emit-*.ts) use so they read like the Arm ARM pseudocode. 32-bit
// (sf = 0) operations run on i32 values and are zero-extended on the register write, which is
// the architecture's rule for W-register results (DDI0487 C1.2.5 "Registers in AArch64 state").
import { Bytes, Op, T } from './wasm-encoder';
import { SINK, ZR } from '../pe';

/** Byte offsets in the PE's state memory (see PE.x: X0..X30, XZR, SP, sink as 64-bit little-endian slots). */
export const STATE = {
  /** Register slot r at 8*r. */
  x: 0,
  /** PSTATE.N, Z, C, V as i32 0/1. */
  nf: 272, zf: 276, cf: 280, vf: 284,
  /** Exit: PC offset from the region's first instruction (i32), and modelled cycles beyond one per instruction. */
  exitDelta: 288, exitExtra: 292,
  /** Exit through a register branch: the target PC (i64), with exitDelta = EXIT_ABSOLUTE. */
  exitPc: 296,
} as const;

/** exitDelta value meaning "the next PC is at STATE.exitPc" (real offsets are multiples of 4). */
export const EXIT_ABSOLUTE = 1;

/** One operand size: the opcodes of i32 (W registers) or i64 (X registers). */
export interface Sized {
  readonly t: T;
  readonly add: Op; readonly sub: Op; readonly mul: Op; readonly and: Op; readonly or: Op; readonly xor: Op;
  readonly shl: Op; readonly shrS: Op; readonly shrU: Op; readonly rotr: Op; readonly clz: Op;
  readonly eqz: Op; readonly eq: Op; readonly ltS: Op; readonly ltU: Op; readonly geU: Op;
  readonly divS: Op; readonly divU: Op;
  readonly bits: number;
}

export const W: Sized = {
  t: T.I32, add: Op.I32Add, sub: Op.I32Sub, mul: Op.I32Mul, and: Op.I32And, or: Op.I32Or, xor: Op.I32Xor,
  shl: Op.I32Shl, shrS: Op.I32ShrS, shrU: Op.I32ShrU, rotr: Op.I32Rotr, clz: Op.I32Clz,
  eqz: Op.I32Eqz, eq: Op.I32Eq, ltS: Op.I32LtS, ltU: Op.I32LtU, geU: Op.I32GeU, divS: Op.I32DivS, divU: Op.I32DivU,
  bits: 32,
};
export const X: Sized = {
  t: T.I64, add: Op.I64Add, sub: Op.I64Sub, mul: Op.I64Mul, and: Op.I64And, or: Op.I64Or, xor: Op.I64Xor,
  shl: Op.I64Shl, shrS: Op.I64ShrS, shrU: Op.I64ShrU, rotr: Op.I64Rotr, clz: Op.I64Clz,
  eqz: Op.I64Eqz, eq: Op.I64Eq, ltS: Op.I64LtS, ltU: Op.I64LtU, geU: Op.I64GeU, divS: Op.I64DivS, divU: Op.I64DivU,
  bits: 64,
};
export const sized = (sf: number): Sized => (sf ? X : W);

/** Parameters of the region function: (limit, pcLo, pcHi) -> instructions executed. */
export const P_LIMIT = 0, P_PCLO = 1, P_PCHI = 2;

export class Emitter {
  readonly body = new Bytes();
  /** Local types beyond the three i32 parameters. */
  readonly locals: T[] = [];
  /** Register slot -> i64 local holding it (allocated on first use). */
  readonly regLocal = new Map<number, number>();
  readonly written = new Set<number>();
  flagsRead = false;
  flagsWritten = false;
  /** Locals for N, Z, C, V (i32) and the entry PC (i64). */
  readonly nzcv: number[];
  readonly pc0: number;
  /** Index (in the region) of the instruction being emitted. */
  insn = 0;
  private readonly temps = new Map<T, number[]>();
  private readonly tempsUsed = new Map<T, number>();

  constructor() {
    this.nzcv = [this.local(T.I32), this.local(T.I32), this.local(T.I32), this.local(T.I32)];
    this.pc0 = this.local(T.I64);
  }

  local(t: T): number {
    this.locals.push(t);
    return 3 + this.locals.length - 1;
  }

  /** A scratch local for the current instruction (released by endInsn). */
  temp(t: T): number {
    const used = this.tempsUsed.get(t) ?? 0;
    let list = this.temps.get(t);
    if (list === undefined) { list = []; this.temps.set(t, list); }
    if (used === list.length) list.push(this.local(t));
    this.tempsUsed.set(t, used + 1);
    return list[used];
  }

  endInsn(): void { this.tempsUsed.clear(); }

  op(o: Op): this { this.body.byte(o); return this; }
  byte(b: number): this { this.body.byte(b); return this; }
  get(l: number): this { this.body.byte(Op.LocalGet).u32(l); return this; }
  set(l: number): this { this.body.byte(Op.LocalSet).u32(l); return this; }
  tee(l: number): this { this.body.byte(Op.LocalTee).u32(l); return this; }
  i32(v: number): this { this.body.byte(Op.I32Const).s32(v); return this; }
  i64(lo: number, hi: number): this { this.body.byte(Op.I64Const).s64(lo, hi); return this; }
  /** A constant of size s from a JS number (low 32 bits for W; lo/hi halves for X). */
  konst(s: Sized, lo: number, hi = 0): this { return s.bits === 32 ? this.i32(lo) : this.i64(lo, hi); }

  private reg(slot: number): number {
    let l = this.regLocal.get(slot);
    if (l === undefined) { l = this.local(T.I64); this.regLocal.set(slot, l); }
    return l;
  }

  /** Pushes register slot `r` (XZR reads as 0) as an operand of size s. */
  read(s: Sized, r: number): this {
    if (r === ZR) return this.konst(s, 0, 0);
    this.get(this.reg(r));
    if (s.bits === 32) this.op(Op.I32WrapI64);
    return this;
  }

  /**
   * Pops a value of size s into register slot r (W results zero-extended). Results for XZR go
   * to the sink slot as the interpreter's executors send them (SINK), so that even that
   * unarchitectural slot — part of the state digests — is the same with the compiler on or off.
   */
  write(s: Sized, r: number): this {
    if (s.bits === 32) this.op(Op.I64ExtendI32U);
    if (r === ZR) r = SINK;
    this.written.add(r);
    return this.set(this.reg(r));
  }

  /** Pushes the PC of the current instruction (i64). */
  pc(): this {
    this.get(this.pc0);
    if (this.insn !== 0) this.i64(this.insn * 4, 0).op(Op.I64Add);
    return this;
  }

  flag(i: number): this { this.flagsRead = true; return this.get(this.nzcv[i]); }
  setFlag(i: number): this { this.flagsWritten = true; return this.set(this.nzcv[i]); }

  /** NZ from the result in local r (of size s), C and V cleared: logical ops that set flags. */
  flagsLogical(s: Sized, r: number): void {
    this.get(r).konst(s, 0).op(s.ltS).setFlag(0);
    this.get(r).op(s.eqz).setFlag(1);
    this.i32(0).setFlag(2);
    this.i32(0).setFlag(3);
  }

  /**
   * AddWithCarry(a, b, carryIn) flags (DDI0487 shared/functions/integer/AddWithCarry) for
   * r = a + b + cin, locals a, b, r of size s; cin is a constant 0/1 or, when null, the C flag.
   * C is the unsigned carry out: r < a, or r == a when a carry came in; V is signed overflow.
   */
  flagsAdd(s: Sized, a: number, b: number, r: number, cin: 0 | 1 | null): void {
    // Compute C before N/Z/V overwrite the flags a carry-in reads.
    if (cin === 0) this.get(r).get(a).op(s.ltU);
    else if (cin === 1) this.get(a).get(r).op(s.geU);   // r <= a  <=>  a >= r
    else {
      // select(carry in ? r <= a : r < a)
      this.get(a).get(r).op(s.geU);
      this.get(r).get(a).op(s.ltU);
      this.flag(2).op(Op.Select);
    }
    const c = this.temp(T.I32);
    this.set(c);
    this.get(r).konst(s, 0).op(s.ltS).setFlag(0);
    this.get(r).op(s.eqz).setFlag(1);
    this.get(c).setFlag(2);
    this.get(a).get(r).op(s.xor).get(b).get(r).op(s.xor).op(s.and).konst(s, 0).op(s.ltS).setFlag(3);
  }

  /** Pushes ConditionHolds(cond) as i32 0/1 (DDI0487 shared/functions/system/ConditionHolds). */
  cond(cond: number): this {
    switch (cond >>> 1) {
      case 0: this.flag(1); break;
      case 1: this.flag(2); break;
      case 2: this.flag(0); break;
      case 3: this.flag(3); break;
      case 4: this.flag(2).flag(1).i32(1).op(Op.I32Xor).op(Op.I32And); break;
      case 5: this.flag(0).flag(3).op(Op.I32Eq); break;
      case 6: this.flag(0).flag(3).op(Op.I32Eq).flag(1).i32(1).op(Op.I32Xor).op(Op.I32And); break;
      default: this.i32(1);
    }
    if ((cond & 1) !== 0 && cond !== 15) this.i32(1).op(Op.I32Xor);
    return this;
  }
}
