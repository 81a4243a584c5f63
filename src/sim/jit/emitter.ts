// The code-building context one region's instructions are emitted into: guest registers and
// NZCV in wasm locals, loaded once on entry and written back at every exit, plus typed helpers
// the per-class emitters (emit-*.ts) use so they read like the Arm ARM pseudocode. 32-bit
// (sf = 0) operations run on i32 values and are zero-extended on the register write, which is
// the architecture's rule for W-register results (DDI0487 C1.2.5 "Registers in AArch64 state").
import { Bytes, Op, T } from './wasm-encoder';
import { SINK, SP, ZR } from '../pe';
import { Acc } from '../exec';
import { FAST_SIZE, FAST_TLB_LAYOUT } from '../mmu/tlb';

/**
 * Byte offsets in the PE's state block (at pe.stateBase in the RAM arena; see PE.x: X0..X30,
 * XZR, SP, sink as 64-bit little-endian slots).
 */
export const STATE = {
  /** Register slot r at 8*r. */
  x: 0,
  /** PSTATE.N, Z, C, V as i32 0/1. */
  nf: 272, zf: 276, cf: 280, vf: 284,
  /** Exit: PC offset of the next instruction from the region's first (i32), and modelled cycles used (i32). */
  exitDelta: 288, exitUsed: 292,
  /** Exit through a register branch: the target PC (i64), with exitDelta = EXIT_ABSOLUTE. */
  exitPc: 296,
  /** 1 when the run left before a load/store for the interpreter (statistics), else 0. */
  exitPart: 304,
  /**
   * Translation for loads and stores, written by the entry (jit.ts): flat = 1 when PA = VA
   * (stage 1 off, no stage 2); otherwise the soft-TLB bank (EL << FAST_BITS) and its generation
   * tag; the soft TLB's and the slot table's arena offsets; RAM base and size.
   */
  memFlat: 308, memBank: 312, memGen: 316, tlbBase: 320, slotBase: 324, ramBase: 328, ramSize: 336,
  /** Regions the trampoline chained to in the last call (i32; statistics, see encodeTrampoline). */
  chains: 344,
  /**
   * Written by the trampoline before it calls a region, for that region's call-outs (callout.ts):
   * the region's first PC (i64), the instructions earlier regions of the same call retired (i32),
   * and 0 in calloutLeft, which a call-out that makes the region leave sets to 1 (the trampoline
   * then chains no further).
   */
  runPc: 352, runBase: 360, calloutLeft: 364,
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

/**
 * Parameters of the region function: (limit, pcLo, pcHi, base) -> instructions retired; base is
 * the PE's state block in the arena (every STATE offset is relative to it).
 */
export const P_LIMIT = 0, P_PCLO = 1, P_PCHI = 2, P_BASE = 3;
const N_PARAMS = 4;

/** Locals a region with loads/stores loads from STATE once on entry (see STATE.memFlat). */
export interface MemLocals { flat: number; bank: number; gen: number; tlb: number; slots: number; ramBase: number; ramSize: number }

/**
 * One call-out: where region-compiler.ts inserts the spill (before the call) and the reload
 * (after it, on the path that goes on), what may need spilling, and what the executor may write.
 */
export interface CalloutSite {
  spillAt: number;
  reloadAt: number;
  /** The instruction's index in the region and byte offset from its first. */
  insn: number;
  off: number;
  /**
   * Registers and flags written since the previous call-out (since the entry for the first): the
   * state block already holds every other value, except in a loop's first call-out, which the
   * previous pass's later instructions reach too (the compiler spills everything written there).
   */
  dirty: number[];
  dirtyFlags: boolean;
  /**
   * Register slots the executor may write (reloaded when the region holds them): the registers
   * named by the word's Rt, Rt2 and Rs fields and their pair partners, and SP. That covers MRS,
   * exclusives, CAS/CASP and atomics (their destinations are those fields) and SPSel/SP_EL0
   * writes; fields of other classes read as register numbers only add harmless reloads.
   */
  reload: number[];
}

export class Emitter {
  readonly body = new Bytes();
  /** Local types beyond the parameters. */
  readonly locals: T[] = [];
  /** Register slot -> i64 local holding it (allocated on first use). */
  readonly regLocal = new Map<number, number>();
  readonly written = new Set<number>();
  flagsRead = false;
  flagsWritten = false;
  /** Locals for N, Z, C, V (i32) and the entry PC (i64). */
  readonly nzcv: number[];
  readonly pc0: number;
  /** Index (in the region) of the instruction being emitted, and its byte offset from the region's first. */
  insn = 0;
  off = 0;
  private readonly temps = new Map<T, number[]>();
  private readonly tempsUsed = new Map<T, number>();

  /** Exit locals: PC offset of the next instruction from the region start, and exitPart (STATE). */
  readonly delta: number;
  readonly part: number;
  /** Instructions retired and modelled cycles used so far in this run (i32 locals). */
  readonly retired: number;
  readonly used: number;
  /** Modelled cycles of the first k instructions of a pass (prefix[0] = 0), kept by the compiler. */
  readonly prefix: number[] = [0];
  /** Translation locals, allocated by the first load/store (null: the region accesses no memory). */
  mem: MemLocals | null = null;
  /** Call-outs to the interpreter's executors (emit-callout.ts), in emission order. */
  readonly callouts: CalloutSite[] = [];
  private status = -1;
  /** Register slots and flags written since the last call-out (see CalloutSite.dirty). */
  private dirty = new Set<number>();
  private flagsDirty = false;

  constructor() {
    this.nzcv = [this.local(T.I32), this.local(T.I32), this.local(T.I32), this.local(T.I32)];
    this.pc0 = this.local(T.I64);
    this.delta = this.local(T.I32);
    this.part = this.local(T.I32);
    this.retired = this.local(T.I32);
    this.used = this.local(T.I32);
  }

  /** Counts the first k instructions of the current pass as retired (instructions and modelled cycles). */
  retire(k: number): this {
    if (k === 0) return this;
    this.get(this.retired).i32(k).op(Op.I32Add).set(this.retired);
    return this.get(this.used).i32(this.prefix[k]).op(Op.I32Add).set(this.used);
  }

  local(t: T): number {
    this.locals.push(t);
    return N_PARAMS + this.locals.length - 1;
  }

  /**
   * Leaves the region before the current instruction, which the interpreter then executes:
   * the registers and flags in locals are the state after the instructions before it. `depth`
   * is the number of blocks opened since the loop body (the exit block is 1 beyond the loop).
   */
  exitHere(depth: number): this {
    this.retire(this.insn).i32(this.off).set(this.delta).i32(1).set(this.part);
    return this.op(Op.Br).u32(depth + 1);
  }

  /**
   * Leaves the region after the current instruction (it retired; the next PC is the following
   * word unless the instruction wrote the PC, which the entry then keeps: see callout.ts);
   * `depth` + 1 is the label of the block to leave to.
   */
  exitAfter(depth: number): this {
    this.retire(this.insn + 1).i32(this.off + 4).set(this.delta);
    return this.op(Op.Br).u32(depth + 1);
  }

  /**
   * The current instruction (word w) runs as the interpreter's own executor, called through the
   * import "h"."co"(k, n): k the call-out's index in the region, n the instructions this run
   * retired before it. Around the call the compiler inserts the register and flag spill and
   * reload (region-compiler.ts); a non-zero result leaves the region after the instruction,
   * through the block that skips the register write-back (the state block is already complete,
   * and the executor may have changed what the locals hold: an exception entry switches SP).
   */
  callout(w: number): this {
    if (this.status < 0) this.status = this.local(T.I32);
    const rt = w & 31, rt2 = (w >>> 10) & 31, rs = (w >>> 16) & 31;
    const reload = new Set<number>([SP]);
    for (const r of [rt, rt2, rs, rt + 1, rs + 1]) if (r <= 31) reload.add(r === ZR ? SINK : r);
    const site: CalloutSite = {
      spillAt: this.body.length, reloadAt: 0, insn: this.insn, off: this.off,
      dirty: [...this.dirty], dirtyFlags: this.flagsDirty, reload: [...reload],
    };
    this.dirty.clear();
    this.flagsDirty = false;
    this.i32(this.callouts.length).get(this.retired).i32(this.insn).op(Op.I32Add).op(Op.Call).u32(0).set(this.status);
    // Labels inside the `if`: 0 = if, 1 = loop, 2 = exit block, 3 = the call-out exit block.
    this.get(this.status).op(Op.If).byte(0x40).exitAfter(2).op(Op.End);
    site.reloadAt = this.body.length;
    this.callouts.push(site);
    return this;
  }

  /**
   * The host address (arena offset, an i32 local) of an access of `total` bytes at the VA in
   * i64 local `va`, made of elements of `align` bytes; the region is left before this
   * instruction for anything but the plain case, which the interpreter then performs exactly
   * (so faults get their exact syndrome by construction):
   *  - an address not aligned to the element size, or an access crossing a page (alignment
   *    faults, SCTLR.A, page-crossing translation stay the interpreter's);
   *  - a soft-TLB miss, or an entry without the permission (the same test as the
   *    interpreter's fast path in mmu.ts makeHook: tag, generation, high word, permission bit);
   *  - a PA outside RAM (devices), a page not in the arena, and for stores a page that holds
   *    decoded instructions or is shared with a snapshot (PhysicalMemory.slotTab).
   * Watchpoints and other access observers keep regions with accesses from being entered.
   */
  hostAddr(va: number, align: number, total: number, write: boolean): number {
    const m = this.memLocals();
    const L = FAST_TLB_LAYOUT;
    const pa = this.temp(T.I64), k = this.temp(T.I32), i = this.temp(T.I32), ent = this.temp(T.I32), host = this.temp(T.I32);
    // Alignment and page crossing (element-aligned accesses of total <= 16 cross only at the end).
    this.get(va).op(Op.I32WrapI64).i32(align - 1).op(Op.I32And);
    this.get(va).op(Op.I32WrapI64).i32(0xfff).op(Op.I32And).i32(4096 - total).op(Op.I32GtU).op(Op.I32Or);
    this.op(Op.If).byte(0x40).exitHere(1).op(Op.End);
    // VA -> PA: flat, or the soft TLB's slot (EL << FAST_BITS) | (VA[31:12] & mask).
    this.get(m.flat).op(Op.If).byte(T.I64).get(va).op(Op.Else);
    this.get(va).op(Op.I32WrapI64).i32(12).op(Op.I32ShrU).tee(k);
    this.i32(FAST_SIZE - 1).op(Op.I32And).get(m.bank).op(Op.I32Or).set(i);
    this.get(i).i32(2).op(Op.I32Shl).get(m.tlb).op(Op.I32Add).op(Op.I32Load).byte(2).u32(L.tagLo);
    this.get(k).get(m.gen).op(Op.I32Or).op(Op.I32Ne);
    this.get(i).i32(2).op(Op.I32Shl).get(m.tlb).op(Op.I32Add).op(Op.I32Load).byte(2).u32(L.tagHi);
    this.get(va).i64(32, 0).op(Op.I64ShrU).op(Op.I32WrapI64).op(Op.I32Ne).op(Op.I32Or);
    this.get(i).get(m.tlb).op(Op.I32Add).op(Op.I32Load8U).byte(0).u32(L.perm);
    this.i32(write ? 1 << Acc.Write : 1 << Acc.Read).op(Op.I32And).op(Op.I32Eqz).op(Op.I32Or);
    this.op(Op.If).byte(0x40).exitHere(2).op(Op.End);
    this.get(i).i32(3).op(Op.I32Shl).get(m.tlb).op(Op.I32Add).op(Op.F64Load).byte(3).u32(L.pa).op(Op.I64TruncF64U);
    this.get(va).i64(0xfff, 0).op(Op.I64And).op(Op.I64Or);
    this.op(Op.End);
    // PA -> RAM page -> arena slot.
    this.get(m.ramBase).op(Op.I64Sub).tee(pa).get(m.ramSize).op(Op.I64GeU);
    this.op(Op.If).byte(0x40).exitHere(1).op(Op.End);
    this.get(pa).i64(12, 0).op(Op.I64ShrU).op(Op.I32WrapI64).i32(2).op(Op.I32Shl).get(m.slots).op(Op.I32Add);
    this.op(Op.I32Load).byte(2).u32(0).tee(ent);
    if (write) this.i32(1).op(Op.I32And);
    this.op(Op.I32Eqz).op(Op.If).byte(0x40).exitHere(1).op(Op.End);
    this.get(ent).i32(-2).op(Op.I32And).get(pa).op(Op.I32WrapI64).i32(0xfff).op(Op.I32And).op(Op.I32Add).set(host);
    return host;
  }

  private memLocals(): MemLocals {
    if (this.mem === null) {
      this.mem = {
        flat: this.local(T.I32), bank: this.local(T.I32), gen: this.local(T.I32), tlb: this.local(T.I32), slots: this.local(T.I32),
        ramBase: this.local(T.I64), ramSize: this.local(T.I64),
      };
    }
    return this.mem;
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
  u32(v: number): this { this.body.u32(v); return this; }
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
    this.dirty.add(r);
    return this.set(this.reg(r));
  }

  /** Pushes the PC of the current instruction (i64). */
  pc(): this {
    this.get(this.pc0);
    if (this.off !== 0) this.i64(this.off, this.off < 0 ? -1 : 0).op(Op.I64Add);
    return this;
  }

  flag(i: number): this { this.flagsRead = true; return this.get(this.nzcv[i]); }
  setFlag(i: number): this { this.flagsWritten = true; this.flagsDirty = true; return this.set(this.nzcv[i]); }

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
