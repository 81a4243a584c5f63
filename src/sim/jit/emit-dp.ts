// WebAssembly emitters for the integer data-processing classes (DDI0487 C4.1.2 "Data
// Processing -- Immediate" and C4.1.5 "Data Processing -- Register"), keyed by the name of the
// encoding record in src/sim/isa/dp-imm.ts and dp-reg.ts: the compiler finds an instruction's
// record with the interpreter's own decoder table (findEncoding), and only compiles words whose
// record also decodes to an executor, so the decoder alone decides what is allocated. The field
// slices below are the records' (the same bit positions as their decode()); semantics follow
// the instruction pages' pseudocode, as the interpreter's handlers do. An emitter returns false
// for a variant it does not compile (the region then ends before it and the interpreter runs it).
import { Op, T } from './wasm-encoder';
import { type Emitter, type Sized, W, X, sized } from './emitter';
import { decodeBitMasks, dst, src } from '../isa/common';
import { SINK } from '../pe';

export type InsnEmitter = (w: number, e: Emitter) => boolean;

function bits(w: number, hi: number, lo: number): number {
  return (w >>> lo) & (hi - lo === 31 ? 0xffffffff : (1 << (hi - lo + 1)) - 1);
}

/** Pushes Rm shifted by ShiftReg(shift, amount) (LSL, LSR, ASR, ROR). */
function shiftedOperand(e: Emitter, s: Sized, m: number, shift: number, amount: number): void {
  e.read(s, m);
  if (amount === 0) return;
  e.konst(s, amount, 0).op(shift === 0 ? s.shl : shift === 1 ? s.shrU : shift === 2 ? s.shrS : s.rotr);
}

/** Pushes ExtendReg(m, option, shift) (DDI0487 shared/functions/integer/ExtendReg). */
function extendedOperand(e: Emitter, s: Sized, m: number, option: number, shift: number): void {
  const len = 8 << (option & 3);             // 8, 16, 32, 64
  const signed = (option & 4) !== 0;
  if (len >= s.bits) e.read(s, m);
  else if (!signed) {
    e.read(s, m);
    e.konst(s, len === 32 ? 0xffffffff : (1 << len) - 1, 0).op(s.and);
  } else {
    e.read(s, m);
    e.konst(s, s.bits - len, 0).op(s.shl).konst(s, s.bits - len, 0).op(s.shrS);
  }
  if (shift !== 0) e.konst(s, shift, 0).op(s.shl);
}

/**
 * r = a + b' + cin with b' = b (ADD) or NOT(b) (SUB); the operand pushers push a and b.
 * Sets NZCV when S (AddWithCarry). cin null: the C flag (ADC/SBC).
 */
function addSub(e: Emitter, s: Sized, sub: boolean, S: boolean, d: number, pushA: () => void, pushB: () => void, cin: 0 | 1 | null): void {
  const a = e.temp(s.t), b = e.temp(s.t), r = e.temp(s.t);
  pushA(); e.set(a);
  pushB();
  if (sub) e.konst(s, -1, -1).op(s.xor);
  e.set(b);
  e.get(a).get(b).op(s.add);
  if (cin === 1) e.konst(s, 1, 0).op(s.add);
  else if (cin === null) { e.flag(2); if (s.bits === 64) e.op(Op.I64ExtendI32U); e.op(s.add); }
  e.set(r);
  if (S) e.flagsAdd(s, a, b, r, cin);
  e.get(r).write(s, d);
}

/** AND/ORR/EOR/ANDS of the pushed operands into d (flags for ANDS). */
function logical(e: Emitter, s: Sized, opc: number, d: number, pushA: () => void, pushB: () => void): void {
  pushA(); pushB();
  e.op(opc === 1 ? s.or : opc === 2 ? s.xor : s.and);
  if (opc === 3) {
    const r = e.temp(s.t);
    e.tee(r);
    e.flagsLogical(s, r);
  }
  e.write(s, d);
}

export const DP_EMITTERS: Record<string, InsnEmitter> = {
  'PC-rel. addressing (ADR, ADRP)': (w, e) => {
    const op = bits(w, 31, 31);
    const imm = ((bits(w, 23, 5) << 2) | bits(w, 30, 29)) << 11 >> 11;   // SignExtend(immhi:immlo, 21)
    e.pc();
    if (op) e.i64(0xfffff000, -1).op(Op.I64And).i64(imm << 12, imm >> 20).op(Op.I64Add);
    else e.i64(imm, imm >> 31).op(Op.I64Add);
    e.write(X, dst(bits(w, 4, 0), false));
    return true;
  },

  'Add/subtract (immediate)': (w, e) => {
    const s = sized(bits(w, 31, 31)), sub = bits(w, 30, 30) === 1, S = bits(w, 29, 29) === 1;
    const imm = bits(w, 21, 10) * (bits(w, 22, 22) ? 4096 : 1);
    addSub(e, s, sub, S, dst(bits(w, 4, 0), !S), () => e.read(s, src(bits(w, 9, 5), true)), () => e.konst(s, imm, 0), sub ? 1 : 0);
    return true;
  },

  'Logical (immediate)': (w, e) => {
    const sf = bits(w, 31, 31), s = sized(sf), opc = bits(w, 30, 29);
    const m = decodeBitMasks(bits(w, 22, 22), bits(w, 15, 10), bits(w, 21, 16), true, sf ? 64 : 32);
    if (m === undefined) return false;
    logical(e, s, opc, dst(bits(w, 4, 0), opc !== 3), () => e.read(s, src(bits(w, 9, 5), false)), () => e.konst(s, m[0], m[1]));
    return true;
  },

  'Move wide (immediate)': (w, e) => {
    const sf = bits(w, 31, 31), s = sized(sf), opc = bits(w, 30, 29), pos = bits(w, 22, 21) * 16;
    const imm = bits(w, 20, 5);
    const lo = pos < 32 ? (imm << pos) >>> 0 : 0, hi = pos >= 32 ? (imm << (pos - 32)) >>> 0 : 0;
    const d = dst(bits(w, 4, 0), false);
    if (opc === 0) e.konst(s, ~lo, ~hi);                 // MOVN
    else if (opc === 2) e.konst(s, lo, hi);              // MOVZ
    else {                                                // MOVK: keep the other bits of Rd
      // Rd = 31 reads the sink slot, as the interpreter does (see Emitter.write).
      const mlo = pos < 32 ? ~(0xffff << pos) : -1, mhi = pos >= 32 ? ~(0xffff << (pos - 32)) : -1;
      e.read(s, d).konst(s, mlo, mhi).op(s.and).konst(s, lo, hi).op(s.or);
    }
    e.write(s, d);
    return true;
  },

  'Bitfield': (w, e) => {
    // SBFM / BFM / UBFM: DDI0487 C6.2 BFM pseudocode.
    const sf = bits(w, 31, 31), s = sized(sf), opc = bits(w, 30, 29);
    const immr = bits(w, 21, 16), imms = bits(w, 15, 10);
    const m = decodeBitMasks(bits(w, 22, 22), imms, immr, false, sf ? 64 : 32);
    if (m === undefined) return false;
    const n = src(bits(w, 9, 5), false), d = dst(bits(w, 4, 0), false);
    const bot = e.temp(s.t);
    // bot = (dst AND NOT(wmask)) OR (ROR(src, R) AND wmask), dst = Rd for BFM, else zero.
    e.read(s, n);
    if (immr !== 0) e.konst(s, immr, 0).op(s.rotr);
    e.konst(s, m[0], m[1]).op(s.and);
    if (opc === 1) e.read(s, d).konst(s, ~m[0], ~m[1]).op(s.and).op(s.or);
    e.set(bot);
    // top = Replicate(src<S>) for SBFM, Rd for BFM, zero for UBFM; result = (top AND NOT(tmask)) OR (bot AND tmask).
    if (opc === 0) e.read(s, n).konst(s, s.bits - 1 - imms, 0).op(s.shl).konst(s, s.bits - 1, 0).op(s.shrS);
    else if (opc === 1) e.read(s, d);
    else e.konst(s, 0, 0);
    e.konst(s, ~m[2], ~m[3]).op(s.and);
    e.get(bot).konst(s, m[2], m[3]).op(s.and).op(s.or);
    e.write(s, d);
    return true;
  },

  'Extract': (w, e) => {
    // EXTR: (Rn:Rm) >> lsb, DDI0487 C6.2 EXTR.
    const s = sized(bits(w, 31, 31)), lsb = bits(w, 15, 10);
    const m = src(bits(w, 20, 16), false), n = src(bits(w, 9, 5), false);
    if (lsb === 0) e.read(s, m);
    else e.read(s, m).konst(s, lsb, 0).op(s.shrU).read(s, n).konst(s, s.bits - lsb, 0).op(s.shl).op(s.or);
    e.write(s, dst(bits(w, 4, 0), false));
    return true;
  },

  'Logical (shifted register)': (w, e) => {
    const s = sized(bits(w, 31, 31)), opc = bits(w, 30, 29), N = bits(w, 21, 21);
    const shift = bits(w, 23, 22), amount = bits(w, 15, 10), m = src(bits(w, 20, 16), false);
    logical(e, s, opc, dst(bits(w, 4, 0), false), () => e.read(s, src(bits(w, 9, 5), false)), () => {
      shiftedOperand(e, s, m, shift, amount);
      if (N) e.konst(s, -1, -1).op(s.xor);
    });
    return true;
  },

  'Add/subtract (shifted register)': (w, e) => {
    const s = sized(bits(w, 31, 31)), sub = bits(w, 30, 30) === 1, S = bits(w, 29, 29) === 1;
    const shift = bits(w, 23, 22), amount = bits(w, 15, 10), m = src(bits(w, 20, 16), false);
    addSub(e, s, sub, S, dst(bits(w, 4, 0), false), () => e.read(s, src(bits(w, 9, 5), false)),
      () => shiftedOperand(e, s, m, shift, amount), sub ? 1 : 0);
    return true;
  },

  'Add/subtract (extended register)': (w, e) => {
    const s = sized(bits(w, 31, 31)), sub = bits(w, 30, 30) === 1, S = bits(w, 29, 29) === 1;
    const m = src(bits(w, 20, 16), false), option = bits(w, 15, 13), shift = bits(w, 12, 10);
    addSub(e, s, sub, S, dst(bits(w, 4, 0), !S), () => e.read(s, src(bits(w, 9, 5), true)),
      () => extendedOperand(e, s, m, option, shift), sub ? 1 : 0);
    return true;
  },

  'Add/subtract (with carry)': (w, e) => {
    const s = sized(bits(w, 31, 31)), sub = bits(w, 30, 30) === 1, S = bits(w, 29, 29) === 1;
    addSub(e, s, sub, S, dst(bits(w, 4, 0), false), () => e.read(s, src(bits(w, 9, 5), false)),
      () => e.read(s, src(bits(w, 20, 16), false)), null);
    return true;
  },

  'Conditional compare (register)': (w, e) => conditionalCompare(w, e, false),
  'Conditional compare (immediate)': (w, e) => conditionalCompare(w, e, true),

  'Conditional select': (w, e) => {
    // CSEL / CSINC / CSINV / CSNEG: Rd = ConditionHolds(cond) ? Rn : f(Rm).
    const s = sized(bits(w, 31, 31)), op = bits(w, 30, 30), op2 = bits(w, 11, 10);
    e.read(s, src(bits(w, 9, 5), false));
    if (op === 0 && op2 === 0) e.read(s, src(bits(w, 20, 16), false));
    else if (op === 0) e.read(s, src(bits(w, 20, 16), false)).konst(s, 1, 0).op(s.add);
    else if (op2 === 0) e.read(s, src(bits(w, 20, 16), false)).konst(s, -1, -1).op(s.xor);
    else e.konst(s, 0, 0).read(s, src(bits(w, 20, 16), false)).op(s.sub);
    e.cond(bits(w, 15, 12)).op(Op.Select);
    e.write(s, dst(bits(w, 4, 0), false));
    return true;
  },

  'Data-processing (2 source)': (w, e) => {
    const s = sized(bits(w, 31, 31)), opcode = bits(w, 15, 10);
    const m = src(bits(w, 20, 16), false), n = src(bits(w, 9, 5), false), d = dst(bits(w, 4, 0), false);
    if (opcode === 2 || opcode === 3) {
      // UDIV / SDIV: division by zero gives zero; SDIV of the most negative value by -1 wraps
      // to itself (DDI0487 C6.2 SDIV: RoundTowardsZero of an out-of-range result truncated).
      const b = e.temp(s.t);
      e.read(s, m).set(b);
      e.get(b).op(s.eqz).op(Op.If).body.byte(s.t);
      e.konst(s, 0, 0);
      e.op(Op.Else);
      if (opcode === 2) e.read(s, n).get(b).op(s.divU);
      else {
        e.get(b).konst(s, -1, -1).op(s.eq).op(Op.If).body.byte(s.t);
        e.konst(s, 0, 0).read(s, n).op(s.sub);
        e.op(Op.Else).read(s, n).get(b).op(s.divS).op(Op.End);
      }
      e.op(Op.End);
      e.write(s, d);
      return true;
    }
    if (opcode >= 8 && opcode <= 11) {
      // LSLV / LSRV / ASRV / RORV: the amount is Rm MOD datasize, which is wasm's shift rule.
      e.read(s, n).read(s, m).op([s.shl, s.shrU, s.shrS, s.rotr][opcode - 8]);
      e.write(s, d);
      return true;
    }
    return false;
  },

  'Data-processing (1 source)': (w, e) => {
    const s = sized(bits(w, 31, 31)), opcode = bits(w, 15, 10);
    if (bits(w, 20, 16) !== 0 || opcode > 5) return false;     // PAC* and FEAT_CSSC: unallocated here
    const n = src(bits(w, 9, 5), false), d = dst(bits(w, 4, 0), false);
    if (opcode === 4) { e.read(s, n).op(s.clz).write(s, d); return true; }
    if (opcode === 5) {
      // CLS: CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>) = CLZ(x EOR (x ASR N-1)) - 1.
      const x = e.temp(s.t);
      e.read(s, n).tee(x).get(x).konst(s, s.bits - 1, 0).op(s.shrS).op(s.xor).op(s.clz).konst(s, 1, 0).op(s.sub).write(s, d);
      return true;
    }
    const x = e.temp(s.t);
    e.read(s, n).set(x);
    reverse(e, s, x, opcode);
    e.get(x).write(s, d);
    return true;
  },

  'Data-processing (3 source)': (w, e) => {
    const sf = bits(w, 31, 31), op31 = bits(w, 23, 21), o0 = bits(w, 15, 15);
    const m = src(bits(w, 20, 16), false), a = src(bits(w, 14, 10), false), n = src(bits(w, 9, 5), false);
    const d = dst(bits(w, 4, 0), false);
    if (op31 === 0) {
      // MADD / MSUB: Rd = Ra +/- Rn * Rm (modulo 2^datasize).
      const s = sized(sf);
      e.read(s, a).read(s, n).read(s, m).op(s.mul).op(o0 ? s.sub : s.add).write(s, d);
      return true;
    }
    if (sf === 1 && (op31 === 1 || op31 === 5)) {
      // SMADDL / SMSUBL / UMADDL / UMSUBL: Xd = Xa +/- Ext(Wn) * Ext(Wm).
      const ext = op31 === 1 ? Op.I64ExtendI32S : Op.I64ExtendI32U;
      e.read(X, a).read(W, n).op(ext).read(W, m).op(ext).op(Op.I64Mul).op(o0 ? Op.I64Sub : Op.I64Add).write(X, d);
      return true;
    }
    if (sf === 1 && o0 === 0 && (op31 === 2 || op31 === 6)) {
      // SMULH / UMULH: Xd = (Xn * Xm)<127:64>, signed / unsigned (Ra ignored, as the interpreter).
      const x = e.temp(T.I64), y = e.temp(T.I64);
      e.read(X, n).set(x).read(X, m).set(y);
      mulHigh(e, x, y, op31 === 2);
      e.write(X, d);
      return true;
    }
    return false;
  },
};

/**
 * RBIT (opcode 0), REV16 (1), REV32 / REV of a W register (2), REV of an X register (3) on the
 * value in local x, in place (DDI0487 C6.2 RBIT, REV16, REV32, REV). wasm has no bit or byte
 * reversal, so each is the classic sequence of swaps of adjacent fields — bits, pairs, nibbles,
 * bytes, halfwords — within the element the instruction reverses (a halfword for REV16, a word
 * for REV32, the whole register for REV and RBIT), the last swap of the register's two halves
 * being a rotation by half its width.
 */
function reverse(e: Emitter, s: Sized, x: number, opcode: number): void {
  const swap = (shift: number, mask: number): void => {
    // x = ((x >>> shift) & mask) | ((x & mask) << shift)
    e.get(x).konst(s, shift, 0).op(s.shrU).konst(s, mask, mask).op(s.and);
    e.get(x).konst(s, mask, mask).op(s.and).konst(s, shift, 0).op(s.shl).op(s.or).set(x);
  };
  const half = (): void => { e.get(x).konst(s, s.bits / 2, 0).op(s.rotr).set(x); };
  if (opcode === 0) {
    swap(1, 0x55555555); swap(2, 0x33333333); swap(4, 0x0f0f0f0f);
    if (s.bits === 64) swap(8, 0x00ff00ff);
  }
  if (opcode === 0 && s.bits === 32) { swap(8, 0x00ff00ff); half(); return; }
  if (opcode === 0) { swap(16, 0x0000ffff); half(); return; }
  swap(8, 0x00ff00ff);                                        // bytes within halfwords: REV16
  if (opcode === 1) return;
  if (s.bits === 32) { half(); return; }                      // REV Wd: halfwords within the word
  swap(16, 0x0000ffff);                                       // REV32 Xd: halfwords within each word
  if (opcode === 3) half();                                   // REV Xd: the two words
}

/**
 * Pushes the high 64 bits of the 128-bit product of i64 locals x and y (wasm has no 64x64->128
 * multiply): the unsigned high half from 32-bit partial products, then for SMULH the signed
 * correction hi(x*y signed) = hi(x*y unsigned) - (x < 0 ? y : 0) - (y < 0 ? x : 0) mod 2^64.
 */
function mulHigh(e: Emitter, x: number, y: number, signed: boolean): void {
  const x0 = e.temp(T.I64), x1 = e.temp(T.I64), y0 = e.temp(T.I64), y1 = e.temp(T.I64), p01 = e.temp(T.I64), p10 = e.temp(T.I64);
  const lo32 = (): void => { e.i64(0xffffffff, 0).op(Op.I64And); };
  e.get(x); lo32(); e.set(x0);
  e.get(x).i64(32, 0).op(Op.I64ShrU).set(x1);
  e.get(y); lo32(); e.set(y0);
  e.get(y).i64(32, 0).op(Op.I64ShrU).set(y1);
  e.get(x0).get(y1).op(Op.I64Mul).set(p01);
  e.get(x1).get(y0).op(Op.I64Mul).set(p10);
  // carry = ((x0*y0 >> 32) + lo(p01) + lo(p10)) >> 32 (the sum is below 3 * 2^32)
  e.get(x0).get(y0).op(Op.I64Mul).i64(32, 0).op(Op.I64ShrU);
  e.get(p01); lo32(); e.op(Op.I64Add);
  e.get(p10); lo32(); e.op(Op.I64Add);
  e.i64(32, 0).op(Op.I64ShrU);
  e.get(x1).get(y1).op(Op.I64Mul).op(Op.I64Add);
  e.get(p01).i64(32, 0).op(Op.I64ShrU).op(Op.I64Add);
  e.get(p10).i64(32, 0).op(Op.I64ShrU).op(Op.I64Add);
  if (signed) {
    e.get(y).i64(0, 0).get(x).i64(0, 0).op(Op.I64LtS).op(Op.Select).op(Op.I64Sub);
    e.get(x).i64(0, 0).get(y).i64(0, 0).op(Op.I64LtS).op(Op.Select).op(Op.I64Sub);
  }
}

/** CCMP / CCMN: flags of Rn - op2 (or Rn + op2) when the condition holds, else the nzcv immediate. */
function conditionalCompare(w: number, e: Emitter, imm: boolean): boolean {
  const s = sized(bits(w, 31, 31)), sub = bits(w, 30, 30) === 1;
  const rm = bits(w, 20, 16), nzcv = bits(w, 3, 0);
  const a = e.temp(s.t), b = e.temp(s.t), r = e.temp(s.t);
  e.cond(bits(w, 15, 12)).op(Op.If).body.byte(0x40);
  e.read(s, src(bits(w, 9, 5), false)).set(a);
  if (imm) e.konst(s, rm, 0); else e.read(s, src(rm, false));
  if (sub) e.konst(s, -1, -1).op(s.xor);
  e.set(b);
  e.get(a).get(b).op(s.add);
  if (sub) e.konst(s, 1, 0).op(s.add);
  e.set(r);
  e.flagsAdd(s, a, b, r, sub ? 1 : 0);
  e.get(r).write(s, SINK);                 // the interpreter leaves the result in the sink slot
  e.op(Op.Else);
  for (let i = 0; i < 4; i++) e.i32((nzcv >>> (3 - i)) & 1).setFlag(i);
  e.op(Op.End);
  return true;
}
