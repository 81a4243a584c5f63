// Data processing -- register (DDI0487 C4.1, op0 bits [27:25] = x101): Logical (shifted
// register), Add/subtract (shifted register, extended register, with carry), Conditional
// compare (register, immediate), Conditional select, Data-processing (1, 2 and 3 source).
// Semantics follow the instruction pages' pseudocode in DDI0487 C6.2 (revision K.a):
// ShiftReg(), ExtendReg(), AddWithCarry(), ConditionHolds(), CountLeadingSignBits().
//
// Each record's decode() only extracts the Arm ARM fields and hands them to the handler
// builder for the class, which validates them (undefined = UNDEFINED) and returns a closure
// specialised for datasize, operation, flag setting and (where it pays) the "no shift"
// case. Closures allocate nothing; two-word results of helpers come back in module scratch
// variables (`oH` here, `R` from u64.ts) that are consumed immediately.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { R, asr64, lsl64, lsr64, mul64lo, ror64, sdiv64, smulh64, udiv64, umul32, umulh64 } from '../u64';
import { SINK, condMask, condPass, dst, src } from './common';

/** Bits [hi:lo] of w. */
function bits(w: number, hi: number, lo: number): number {
  return (w >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

export const DP_REG: Encoding[] = [
  {
    // sf opc 01010 shift N Rm imm6 Rn Rd
    name: 'Logical (shifted register)', mask: 0x1f000000, value: 0x0a000000,
    decode: (w) => logicalShiftedRegister(bits(w, 31, 31), bits(w, 30, 29), bits(w, 23, 22), bits(w, 21, 21),
      bits(w, 20, 16), bits(w, 15, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
  {
    // sf op S 01011 shift 0 Rm imm6 Rn Rd
    name: 'Add/subtract (shifted register)', mask: 0x1f200000, value: 0x0b000000,
    decode: (w) => addSubShiftedRegister(bits(w, 31, 31), bits(w, 30, 30), bits(w, 29, 29), bits(w, 23, 22),
      bits(w, 20, 16), bits(w, 15, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
  {
    // sf op S 01011 opt 1 Rm option imm3 Rn Rd
    name: 'Add/subtract (extended register)', mask: 0x1f200000, value: 0x0b200000,
    decode: (w) => addSubExtendedRegister(bits(w, 31, 31), bits(w, 30, 30), bits(w, 29, 29), bits(w, 23, 22),
      bits(w, 20, 16), bits(w, 15, 13), bits(w, 12, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
  {
    // sf op S 11010000 Rm 000000 Rn Rd
    name: 'Add/subtract (with carry)', mask: 0x1fe0fc00, value: 0x1a000000,
    decode: (w) => addSubWithCarry(bits(w, 31, 31), bits(w, 30, 30), bits(w, 29, 29), bits(w, 20, 16), bits(w, 9, 5), bits(w, 4, 0)),
  },
  {
    // RMIF: FEAT_FlagM (ARMv8.4) is not implemented by our CPU models.
    name: 'Rotate right into flags', mask: 0x1fe07c00, value: 0x1a000400,
    decode: () => undefined,
  },
  {
    // SETF8 / SETF16: FEAT_FlagM (ARMv8.4) is not implemented by our CPU models.
    name: 'Evaluate into flags', mask: 0x1fe03c00, value: 0x1a000800,
    decode: () => undefined,
  },
  {
    // sf op S 11010010 Rm cond 0 o2 Rn o3 nzcv
    name: 'Conditional compare (register)', mask: 0x1fe00800, value: 0x1a400000,
    decode: (w) => conditionalCompare(bits(w, 31, 31), bits(w, 30, 30), bits(w, 29, 29), false, bits(w, 20, 16),
      bits(w, 15, 12), bits(w, 10, 10), bits(w, 9, 5), bits(w, 4, 4), bits(w, 3, 0)),
  },
  {
    // sf op S 11010010 imm5 cond 1 o2 Rn o3 nzcv
    name: 'Conditional compare (immediate)', mask: 0x1fe00800, value: 0x1a400800,
    decode: (w) => conditionalCompare(bits(w, 31, 31), bits(w, 30, 30), bits(w, 29, 29), true, bits(w, 20, 16),
      bits(w, 15, 12), bits(w, 10, 10), bits(w, 9, 5), bits(w, 4, 4), bits(w, 3, 0)),
  },
  {
    // sf op S 11010100 Rm cond op2 Rn Rd
    name: 'Conditional select', mask: 0x1fe00000, value: 0x1a800000,
    decode: (w) => conditionalSelect(bits(w, 31, 31), bits(w, 30, 30), bits(w, 29, 29), bits(w, 20, 16),
      bits(w, 15, 12), bits(w, 11, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
  {
    // sf 0 S 11010110 Rm opcode Rn Rd
    name: 'Data-processing (2 source)', mask: 0x5fe00000, value: 0x1ac00000,
    decode: (w) => dataProcessing2Source(bits(w, 31, 31), bits(w, 29, 29), bits(w, 20, 16), bits(w, 15, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
  {
    // sf 1 S 11010110 opcode2 opcode Rn Rd
    name: 'Data-processing (1 source)', mask: 0x5fe00000, value: 0x5ac00000,
    decode: (w) => dataProcessing1Source(bits(w, 31, 31), bits(w, 29, 29), bits(w, 20, 16), bits(w, 15, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
  {
    // sf op54 11011 op31 Rm o0 Ra Rn Rd
    name: 'Data-processing (3 source)', mask: 0x1f000000, value: 0x1b000000,
    decode: (w) => dataProcessing3Source(bits(w, 31, 31), bits(w, 30, 29), bits(w, 23, 21), bits(w, 20, 16),
      bits(w, 15, 15), bits(w, 14, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
];

// ---------------------------------------------------------------- shared operand and ALU helpers
// Small, allocation-free functions that V8 inlines into the closures. Operands and results are
// unsigned 32-bit halves; 64-bit operand helpers return the low word and leave the high word in oH.

/** High word of the last 64-bit operand computed by shiftReg64/extendReg64. */
let oH = 0;

/** ShiftReg() for datasize 32 and amount 1..31 (type: 0 LSL, 1 LSR, 2 ASR, 3 ROR). */
function shiftReg32(v: number, type: number, amount: number): number {
  switch (type) {
    case 0: return (v << amount) >>> 0;
    case 1: return v >>> amount;
    case 2: return (v >> amount) >>> 0;
    default: return ((v >>> amount) | (v << (32 - amount))) >>> 0;
  }
}

/** ShiftReg() for datasize 64 and amount 1..63; returns the low word, high word in oH. */
function shiftReg64(l: number, h: number, type: number, amount: number): number {
  if (amount < 32) {
    const k = 32 - amount;
    switch (type) {
      case 0: oH = ((h << amount) | (l >>> k)) >>> 0; return (l << amount) >>> 0;
      case 1: oH = h >>> amount; return ((l >>> amount) | (h << k)) >>> 0;
      case 2: oH = (h >> amount) >>> 0; return ((l >>> amount) | (h << k)) >>> 0;
      default: oH = ((h >>> amount) | (l << k)) >>> 0; return ((l >>> amount) | (h << k)) >>> 0;
    }
  }
  const a = amount - 32;                       // 0..31; (v << (31 - a)) << 1 is v << (32 - a), 0 for a = 0
  switch (type) {
    case 0: oH = (l << a) >>> 0; return 0;
    case 1: oH = 0; return h >>> a;
    case 2: oH = (h >> 31) >>> 0; return (h >> a) >>> 0;
    default: oH = ((l >>> a) | ((h << (31 - a)) << 1)) >>> 0; return ((h >>> a) | ((l << (31 - a)) << 1)) >>> 0;
  }
}

/**
 * ExtendReg() for datasize 64: `kind` 0 zero-extends and 1 sign-extends the low 32 - k bits
 * (UXTB/UXTH/UXTW, SXTB/SXTH/SXTW); kind 2 takes all 64 bits (UXTX/SXTX). Then LSL by 0..4.
 */
function extendReg64(x: Uint32Array, m: number, kind: number, k: number, shift: number): number {
  let l: number, h: number;
  if (kind === 2) { l = x[m]; h = x[m + 1]; }
  else if (kind === 0) { l = (x[m] << k) >>> k; h = 0; }
  else { l = (x[m] << k) >> k; h = l >> 31; }
  oH = ((h << shift) | ((l >>> (31 - shift)) >>> 1)) >>> 0;
  return (l << shift) >>> 0;
}

/** ExtendReg() for datasize 32 (kind 2 behaves as kind 0 with k = 0). */
function extendReg32(v: number, signed: boolean, k: number, shift: number): number {
  return ((signed ? (v << k) >> k : (v << k) >>> k) << shift) >>> 0;
}

/** X[d] = a + b (64-bit, no flags). */
function addX(x: Uint32Array, d: number, al: number, ah: number, bl: number, bh: number): void {
  const l = al + bl;
  x[d] = l;
  x[d + 1] = ah + bh + (l > 0xffffffff ? 1 : 0);
}

/** X[d] = a - b (64-bit, no flags). */
function subX(x: Uint32Array, d: number, al: number, ah: number, bl: number, bh: number): void {
  const l = al - bl;
  x[d] = l;
  x[d + 1] = ah - bh - (l < 0 ? 1 : 0);
}

/** (X[d], NZCV) = AddWithCarry(a, b, carry) for datasize 64. */
function addsX(pe: PE, d: number, al: number, ah: number, bl: number, bh: number, carry: number): void {
  const l = al + bl + carry;
  const h = ah + bh + (l > 0xffffffff ? 1 : 0);
  const rl = l >>> 0, rh = h >>> 0;
  const x = pe.x;
  x[d] = rl; x[d + 1] = rh;
  pe.nf = rh >>> 31; pe.zf = (rl | rh) === 0 ? 1 : 0; pe.cf = h > 0xffffffff ? 1 : 0;
  pe.vf = (~(ah ^ bh) & (ah ^ rh)) >>> 31;
}

/** (X[d], NZCV) = AddWithCarry(a, NOT(b), 1 - borrow), i.e. a - b - borrow, for datasize 64. */
function subsX(pe: PE, d: number, al: number, ah: number, bl: number, bh: number, borrow: number): void {
  const l = al - bl - borrow;
  const h = ah - bh - (l < 0 ? 1 : 0);
  const rl = l >>> 0, rh = h >>> 0;
  const x = pe.x;
  x[d] = rl; x[d + 1] = rh;
  pe.nf = rh >>> 31; pe.zf = (rl | rh) === 0 ? 1 : 0; pe.cf = h >= 0 ? 1 : 0;
  pe.vf = ((ah ^ bh) & (ah ^ rh)) >>> 31;
}

/** (W[d], NZCV) = AddWithCarry(a, b, carry) for datasize 32. */
function addsW(pe: PE, d: number, a: number, b: number, carry: number): void {
  const s = a + b + carry;
  const r = s >>> 0;
  const x = pe.x;
  x[d] = r; x[d + 1] = 0;
  pe.nf = r >>> 31; pe.zf = r === 0 ? 1 : 0; pe.cf = s > 0xffffffff ? 1 : 0;
  pe.vf = (~(a ^ b) & (a ^ r)) >>> 31;
}

/** (W[d], NZCV) = AddWithCarry(a, NOT(b), 1 - borrow) for datasize 32. */
function subsW(pe: PE, d: number, a: number, b: number, borrow: number): void {
  const s = a - b - borrow;
  const r = s >>> 0;
  const x = pe.x;
  x[d] = r; x[d + 1] = 0;
  pe.nf = r >>> 31; pe.zf = r === 0 ? 1 : 0; pe.cf = s >= 0 ? 1 : 0;
  pe.vf = ((a ^ b) & (a ^ r)) >>> 31;
}

/** N and Z from a logical result, C = V = 0 (ANDS, BICS). */
function logicFlags(pe: PE, n: number, z: number): void {
  pe.nf = n >>> 31; pe.zf = z === 0 ? 1 : 0; pe.cf = 0; pe.vf = 0;
}

// ---------------------------------------------------------------- Logical (shifted register)

/**
 * AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register): operand2 = ShiftReg(m, shift, imm6),
 * inverted when N = 1. sf = 0 with imm6<5> = 1 is UNDEFINED. All registers are XZR at 31.
 * (ROR is allowed here, unlike in Add/subtract.)
 */
function logicalShiftedRegister(sf: number, opc: number, shift: number, N: number, Rm: number, imm6: number, Rn: number, Rd: number): Exec | undefined {
  if (sf === 0 && imm6 >= 32) return undefined;
  const n = src(Rn, false) * 2, m = src(Rm, false) * 2, d = dst(Rd, false) * 2;
  const inv = N ? -1 : 0;
  const t = shift, a = imm6;
  if (sf === 0) {
    if (a === 0) {
      switch (opc) {
        case 0: return (pe: PE) => { const x = pe.x; x[d] = x[n] & (x[m] ^ inv); x[d + 1] = 0; return Flow.Next; };
        case 1: return (pe: PE) => { const x = pe.x; x[d] = x[n] | (x[m] ^ inv); x[d + 1] = 0; return Flow.Next; };
        case 2: return (pe: PE) => { const x = pe.x; x[d] = x[n] ^ x[m] ^ inv; x[d + 1] = 0; return Flow.Next; };
        default: return (pe: PE) => {
          const x = pe.x; const r = x[n] & (x[m] ^ inv);
          x[d] = r; x[d + 1] = 0; logicFlags(pe, r, r);
          return Flow.Next;
        };
      }
    }
    switch (opc) {
      case 0: return (pe: PE) => { const x = pe.x; x[d] = x[n] & (shiftReg32(x[m], t, a) ^ inv); x[d + 1] = 0; return Flow.Next; };
      case 1: return (pe: PE) => { const x = pe.x; x[d] = x[n] | (shiftReg32(x[m], t, a) ^ inv); x[d + 1] = 0; return Flow.Next; };
      case 2: return (pe: PE) => { const x = pe.x; x[d] = x[n] ^ shiftReg32(x[m], t, a) ^ inv; x[d + 1] = 0; return Flow.Next; };
      default: return (pe: PE) => {
        const x = pe.x; const r = x[n] & (shiftReg32(x[m], t, a) ^ inv);
        x[d] = r; x[d + 1] = 0; logicFlags(pe, r, r);
        return Flow.Next;
      };
    }
  }
  if (a === 0) {
    switch (opc) {
      case 0: return (pe: PE) => { const x = pe.x; x[d] = x[n] & (x[m] ^ inv); x[d + 1] = x[n + 1] & (x[m + 1] ^ inv); return Flow.Next; };
      case 1: return (pe: PE) => { const x = pe.x; x[d] = x[n] | (x[m] ^ inv); x[d + 1] = x[n + 1] | (x[m + 1] ^ inv); return Flow.Next; };
      case 2: return (pe: PE) => { const x = pe.x; x[d] = x[n] ^ x[m] ^ inv; x[d + 1] = x[n + 1] ^ x[m + 1] ^ inv; return Flow.Next; };
      default: return (pe: PE) => {
        const x = pe.x; const rl = x[n] & (x[m] ^ inv), rh = x[n + 1] & (x[m + 1] ^ inv);
        x[d] = rl; x[d + 1] = rh; logicFlags(pe, rh, rl | rh);
        return Flow.Next;
      };
    }
  }
  switch (opc) {
    case 0: return (pe: PE) => {
      const x = pe.x; const bl = shiftReg64(x[m], x[m + 1], t, a) ^ inv, bh = oH ^ inv;
      x[d] = x[n] & bl; x[d + 1] = x[n + 1] & bh;
      return Flow.Next;
    };
    case 1: return (pe: PE) => {
      const x = pe.x; const bl = shiftReg64(x[m], x[m + 1], t, a) ^ inv, bh = oH ^ inv;
      x[d] = x[n] | bl; x[d + 1] = x[n + 1] | bh;
      return Flow.Next;
    };
    case 2: return (pe: PE) => {
      const x = pe.x; const bl = shiftReg64(x[m], x[m + 1], t, a) ^ inv, bh = oH ^ inv;
      x[d] = x[n] ^ bl; x[d + 1] = x[n + 1] ^ bh;
      return Flow.Next;
    };
    default: return (pe: PE) => {
      const x = pe.x; const bl = shiftReg64(x[m], x[m + 1], t, a) ^ inv, bh = oH ^ inv;
      const rl = x[n] & bl, rh = x[n + 1] & bh;
      x[d] = rl; x[d + 1] = rh; logicFlags(pe, rh, rl | rh);
      return Flow.Next;
    };
  }
}

// ---------------------------------------------------------------- Add/subtract (shifted register)

/**
 * ADD/ADDS/SUB/SUBS (shifted register): operand2 = ShiftReg(m, shift, imm6). shift = 11 (ROR)
 * is reserved and sf = 0 with imm6<5> = 1 is UNDEFINED. All registers are XZR at 31
 * (NEG, NEGS, CMP, CMN are aliases).
 */
function addSubShiftedRegister(sf: number, op: number, S: number, shift: number, Rm: number, imm6: number, Rn: number, Rd: number): Exec | undefined {
  if (shift === 3) return undefined;
  if (sf === 0 && imm6 >= 32) return undefined;
  const n = src(Rn, false) * 2, m = src(Rm, false) * 2, d = dst(Rd, false) * 2;
  const t = shift, a = imm6;
  if (sf === 0) {
    if (a === 0) {
      switch (op * 2 + S) {
        case 0: return (pe: PE) => { const x = pe.x; x[d] = x[n] + x[m]; x[d + 1] = 0; return Flow.Next; };
        case 1: return (pe: PE) => { const x = pe.x; addsW(pe, d, x[n], x[m], 0); return Flow.Next; };
        case 2: return (pe: PE) => { const x = pe.x; x[d] = x[n] - x[m]; x[d + 1] = 0; return Flow.Next; };
        default: return (pe: PE) => { const x = pe.x; subsW(pe, d, x[n], x[m], 0); return Flow.Next; };
      }
    }
    switch (op * 2 + S) {
      case 0: return (pe: PE) => { const x = pe.x; x[d] = x[n] + shiftReg32(x[m], t, a); x[d + 1] = 0; return Flow.Next; };
      case 1: return (pe: PE) => { const x = pe.x; addsW(pe, d, x[n], shiftReg32(x[m], t, a), 0); return Flow.Next; };
      case 2: return (pe: PE) => { const x = pe.x; x[d] = x[n] - shiftReg32(x[m], t, a); x[d + 1] = 0; return Flow.Next; };
      default: return (pe: PE) => { const x = pe.x; subsW(pe, d, x[n], shiftReg32(x[m], t, a), 0); return Flow.Next; };
    }
  }
  if (a === 0) {
    switch (op * 2 + S) {
      case 0: return (pe: PE) => { const x = pe.x; addX(x, d, x[n], x[n + 1], x[m], x[m + 1]); return Flow.Next; };
      case 1: return (pe: PE) => { const x = pe.x; addsX(pe, d, x[n], x[n + 1], x[m], x[m + 1], 0); return Flow.Next; };
      case 2: return (pe: PE) => { const x = pe.x; subX(x, d, x[n], x[n + 1], x[m], x[m + 1]); return Flow.Next; };
      default: return (pe: PE) => { const x = pe.x; subsX(pe, d, x[n], x[n + 1], x[m], x[m + 1], 0); return Flow.Next; };
    }
  }
  switch (op * 2 + S) {
    case 0: return (pe: PE) => { const x = pe.x; const bl = shiftReg64(x[m], x[m + 1], t, a); addX(x, d, x[n], x[n + 1], bl, oH); return Flow.Next; };
    case 1: return (pe: PE) => { const x = pe.x; const bl = shiftReg64(x[m], x[m + 1], t, a); addsX(pe, d, x[n], x[n + 1], bl, oH, 0); return Flow.Next; };
    case 2: return (pe: PE) => { const x = pe.x; const bl = shiftReg64(x[m], x[m + 1], t, a); subX(x, d, x[n], x[n + 1], bl, oH); return Flow.Next; };
    default: return (pe: PE) => { const x = pe.x; const bl = shiftReg64(x[m], x[m + 1], t, a); subsX(pe, d, x[n], x[n + 1], bl, oH, 0); return Flow.Next; };
  }
}

// ---------------------------------------------------------------- Add/subtract (extended register)

/**
 * ADD/ADDS/SUB/SUBS (extended register): operand2 = ExtendReg(m, option, imm3). opt != 00 and
 * imm3 > 4 are UNDEFINED. Rn is SP at 31; Rd is SP for ADD/SUB and XZR for ADDS/SUBS; Rm is XZR.
 */
function addSubExtendedRegister(sf: number, op: number, S: number, opt: number, Rm: number, option: number, imm3: number, Rn: number, Rd: number): Exec | undefined {
  if (opt !== 0 || imm3 > 4) return undefined;
  const n = src(Rn, true) * 2, m = src(Rm, false) * 2, d = dst(Rd, S === 0) * 2;
  const size = option & 3;                       // 0 B, 1 H, 2 W, 3 X
  const signed = (option & 4) !== 0;
  const k = size === 0 ? 24 : size === 1 ? 16 : 0;
  const sh = imm3;
  if (sf === 0) {
    switch (op * 2 + S) {
      case 0: return (pe: PE) => { const x = pe.x; x[d] = x[n] + extendReg32(x[m], signed, k, sh); x[d + 1] = 0; return Flow.Next; };
      case 1: return (pe: PE) => { const x = pe.x; addsW(pe, d, x[n], extendReg32(x[m], signed, k, sh), 0); return Flow.Next; };
      case 2: return (pe: PE) => { const x = pe.x; x[d] = x[n] - extendReg32(x[m], signed, k, sh); x[d + 1] = 0; return Flow.Next; };
      default: return (pe: PE) => { const x = pe.x; subsW(pe, d, x[n], extendReg32(x[m], signed, k, sh), 0); return Flow.Next; };
    }
  }
  const kind = size === 3 ? 2 : signed ? 1 : 0;
  switch (op * 2 + S) {
    case 0: return (pe: PE) => { const x = pe.x; const bl = extendReg64(x, m, kind, k, sh); addX(x, d, x[n], x[n + 1], bl, oH); return Flow.Next; };
    case 1: return (pe: PE) => { const x = pe.x; const bl = extendReg64(x, m, kind, k, sh); addsX(pe, d, x[n], x[n + 1], bl, oH, 0); return Flow.Next; };
    case 2: return (pe: PE) => { const x = pe.x; const bl = extendReg64(x, m, kind, k, sh); subX(x, d, x[n], x[n + 1], bl, oH); return Flow.Next; };
    default: return (pe: PE) => { const x = pe.x; const bl = extendReg64(x, m, kind, k, sh); subsX(pe, d, x[n], x[n + 1], bl, oH, 0); return Flow.Next; };
  }
}

// ---------------------------------------------------------------- Add/subtract (with carry)

/** ADC/ADCS: AddWithCarry(X[n], X[m], C); SBC/SBCS: AddWithCarry(X[n], NOT(X[m]), C). NGC/NGCS are aliases. */
function addSubWithCarry(sf: number, op: number, S: number, Rm: number, Rn: number, Rd: number): Exec {
  const n = src(Rn, false) * 2, m = src(Rm, false) * 2, d = dst(Rd, false) * 2;
  if (sf === 0) {
    switch (op * 2 + S) {
      case 0: return (pe: PE) => { const x = pe.x; x[d] = x[n] + x[m] + pe.cf; x[d + 1] = 0; return Flow.Next; };
      case 1: return (pe: PE) => { const x = pe.x; addsW(pe, d, x[n], x[m], pe.cf); return Flow.Next; };
      case 2: return (pe: PE) => { const x = pe.x; x[d] = x[n] - x[m] - 1 + pe.cf; x[d + 1] = 0; return Flow.Next; };
      default: return (pe: PE) => { const x = pe.x; subsW(pe, d, x[n], x[m], 1 - pe.cf); return Flow.Next; };
    }
  }
  // Through the flag-setting helpers with d = SINK for the non-S forms would also write NZCV; keep them separate.
  switch (op * 2 + S) {
    case 0: return (pe: PE) => {
      const x = pe.x; const l = x[n] + x[m] + pe.cf;
      x[d + 1] = x[n + 1] + x[m + 1] + (l > 0xffffffff ? 1 : 0); x[d] = l;
      return Flow.Next;
    };
    case 1: return (pe: PE) => { const x = pe.x; addsX(pe, d, x[n], x[n + 1], x[m], x[m + 1], pe.cf); return Flow.Next; };
    case 2: return (pe: PE) => {
      const x = pe.x; const l = x[n] - x[m] - 1 + pe.cf;
      x[d + 1] = x[n + 1] - x[m + 1] - (l < 0 ? 1 : 0); x[d] = l;
      return Flow.Next;
    };
    default: return (pe: PE) => { const x = pe.x; subsX(pe, d, x[n], x[n + 1], x[m], x[m + 1], 1 - pe.cf); return Flow.Next; };
  }
}

// ---------------------------------------------------------------- Conditional compare

/**
 * CCMN/CCMP (register, immediate): if ConditionHolds(cond) the flags are those of
 * AddWithCarry(X[n], operand2, 0) (CCMN) or AddWithCarry(X[n], NOT(operand2), 1) (CCMP), else
 * NZCV = nzcv. S = 0, o2 = 1 and o3 = 1 are unallocated.
 */
function conditionalCompare(sf: number, op: number, S: number, imm: boolean, Rm: number, cond: number, o2: number, Rn: number, o3: number, nzcv: number): Exec | undefined {
  if (S === 0 || o2 !== 0 || o3 !== 0) return undefined;
  const n = src(Rn, false) * 2, d = SINK * 2;
  const cm = condMask(cond);
  const nf = (nzcv >>> 3) & 1, zf = (nzcv >>> 2) & 1, cf = (nzcv >>> 1) & 1, vf = nzcv & 1;
  if (imm) {
    const b = Rm;                                  // imm5
    if (sf === 0) {
      if (op === 0) return (pe: PE) => {
        if (condPass(pe, cm)) addsW(pe, d, pe.x[n], b, 0); else { pe.nf = nf; pe.zf = zf; pe.cf = cf; pe.vf = vf; }
        return Flow.Next;
      };
      return (pe: PE) => {
        if (condPass(pe, cm)) subsW(pe, d, pe.x[n], b, 0); else { pe.nf = nf; pe.zf = zf; pe.cf = cf; pe.vf = vf; }
        return Flow.Next;
      };
    }
    if (op === 0) return (pe: PE) => {
      if (condPass(pe, cm)) addsX(pe, d, pe.x[n], pe.x[n + 1], b, 0, 0); else { pe.nf = nf; pe.zf = zf; pe.cf = cf; pe.vf = vf; }
      return Flow.Next;
    };
    return (pe: PE) => {
      if (condPass(pe, cm)) subsX(pe, d, pe.x[n], pe.x[n + 1], b, 0, 0); else { pe.nf = nf; pe.zf = zf; pe.cf = cf; pe.vf = vf; }
      return Flow.Next;
    };
  }
  const m = src(Rm, false) * 2;
  if (sf === 0) {
    if (op === 0) return (pe: PE) => {
      if (condPass(pe, cm)) addsW(pe, d, pe.x[n], pe.x[m], 0); else { pe.nf = nf; pe.zf = zf; pe.cf = cf; pe.vf = vf; }
      return Flow.Next;
    };
    return (pe: PE) => {
      if (condPass(pe, cm)) subsW(pe, d, pe.x[n], pe.x[m], 0); else { pe.nf = nf; pe.zf = zf; pe.cf = cf; pe.vf = vf; }
      return Flow.Next;
    };
  }
  if (op === 0) return (pe: PE) => {
    const x = pe.x;
    if (condPass(pe, cm)) addsX(pe, d, x[n], x[n + 1], x[m], x[m + 1], 0); else { pe.nf = nf; pe.zf = zf; pe.cf = cf; pe.vf = vf; }
    return Flow.Next;
  };
  return (pe: PE) => {
    const x = pe.x;
    if (condPass(pe, cm)) subsX(pe, d, x[n], x[n + 1], x[m], x[m + 1], 0); else { pe.nf = nf; pe.zf = zf; pe.cf = cf; pe.vf = vf; }
    return Flow.Next;
  };
}

// ---------------------------------------------------------------- Conditional select

/**
 * CSEL/CSINC/CSINV/CSNEG: X[d] = ConditionHolds(cond) ? X[n] : f(X[m]) with f = identity,
 * +1, NOT, negate (CSET, CSETM, CINC, CINV, CNEG, MOV aliases). S = 1 and op2<1> = 1 are unallocated.
 */
function conditionalSelect(sf: number, op: number, S: number, Rm: number, cond: number, op2: number, Rn: number, Rd: number): Exec | undefined {
  if (S !== 0 || op2 >= 2) return undefined;
  const cm = condMask(cond);
  const n = src(Rn, false) * 2, m = src(Rm, false) * 2, d = dst(Rd, false) * 2;
  if (sf === 0) {
    switch (op * 2 + op2) {
      case 0: return (pe: PE) => { const x = pe.x; x[d] = condPass(pe, cm) ? x[n] : x[m]; x[d + 1] = 0; return Flow.Next; };
      case 1: return (pe: PE) => { const x = pe.x; x[d] = condPass(pe, cm) ? x[n] : x[m] + 1; x[d + 1] = 0; return Flow.Next; };
      case 2: return (pe: PE) => { const x = pe.x; x[d] = condPass(pe, cm) ? x[n] : ~x[m]; x[d + 1] = 0; return Flow.Next; };
      default: return (pe: PE) => { const x = pe.x; x[d] = condPass(pe, cm) ? x[n] : -x[m]; x[d + 1] = 0; return Flow.Next; };
    }
  }
  switch (op * 2 + op2) {
    case 0: return (pe: PE) => {
      const x = pe.x;
      if (condPass(pe, cm)) { x[d] = x[n]; x[d + 1] = x[n + 1]; } else { x[d] = x[m]; x[d + 1] = x[m + 1]; }
      return Flow.Next;
    };
    case 1: return (pe: PE) => {
      const x = pe.x;
      if (condPass(pe, cm)) { x[d] = x[n]; x[d + 1] = x[n + 1]; }
      else { const l = x[m] + 1; x[d + 1] = x[m + 1] + (l > 0xffffffff ? 1 : 0); x[d] = l; }
      return Flow.Next;
    };
    case 2: return (pe: PE) => {
      const x = pe.x;
      if (condPass(pe, cm)) { x[d] = x[n]; x[d + 1] = x[n + 1]; } else { x[d] = ~x[m]; x[d + 1] = ~x[m + 1]; }
      return Flow.Next;
    };
    default: return (pe: PE) => {
      const x = pe.x;
      if (condPass(pe, cm)) { x[d] = x[n]; x[d + 1] = x[n + 1]; }
      else { const l = x[m]; x[d + 1] = ~x[m + 1] + (l === 0 ? 1 : 0); x[d] = -l; }
      return Flow.Next;
    };
  }
}

// ---------------------------------------------------------------- Data-processing (2 source)

/** CRC tables for the bit-reflected polynomials (CRC32: 0x04C11DB7, CRC32C: 0x1EDC6F41). */
function crcTable(reflectedPoly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let j = 0; j < 8; j++) c = c & 1 ? (c >>> 1) ^ reflectedPoly : c >>> 1;
    t[i] = c;
  }
  return t;
}
const CRC32_TABLE = crcTable(0xedb88320);
const CRC32C_TABLE = crcTable(0x82f63b78);

/**
 * CRC32 pseudocode (BitReverse(Poly32Mod2(BitReverse(acc):Zeros(size) EOR BitReverse(val):Zeros(32), poly)))
 * is the bit-reflected CRC update without pre/post inversion: byte-wise table steps, LSB first.
 */
function crcBytes(t: Uint32Array, acc: number, v: number, nbytes: number): number {
  for (let i = 0; i < nbytes; i++) { acc = t[(acc ^ v) & 0xff] ^ (acc >>> 8); v >>>= 8; }
  return acc;
}

/**
 * UDIV/SDIV (division by zero gives 0, SDIV rounds toward zero, INT_MIN / -1 = INT_MIN),
 * LSLV/LSRV/ASRV/RORV (amount = X[m] MOD datasize), CRC32{B,H,W,X}, CRC32C{B,H,W,X}.
 * S = 1 and the other opcodes (SUBP, IRG, GMI: FEAT_MTE; PACGA: FEAT_PAuth; SMAX.. FEAT_CSSC)
 * are unallocated on our CPU models.
 */
function dataProcessing2Source(sf: number, S: number, Rm: number, opcode: number, Rn: number, Rd: number): Exec | undefined {
  if (S !== 0) return undefined;
  const n = src(Rn, false) * 2, m = src(Rm, false) * 2, d = dst(Rd, false) * 2;
  if (opcode >= 16 && opcode <= 23) {
    // CRC32/CRC32C (FEAT_CRC32, ID_AA64ISAR0_EL1.CRC32 = 1 on our models): sz = opcode<1:0>.
    const sz = opcode & 3;
    if ((sf === 1) !== (sz === 3)) return undefined;
    const t = opcode & 4 ? CRC32C_TABLE : CRC32_TABLE;
    if (sz === 3) return (pe: PE) => {
      const x = pe.x; const acc = crcBytes(t, x[n], x[m], 4);
      x[d] = crcBytes(t, acc, x[m + 1], 4); x[d + 1] = 0;
      return Flow.Next;
    };
    const nb = 1 << sz;
    return (pe: PE) => { const x = pe.x; x[d] = crcBytes(t, x[n], x[m], nb); x[d + 1] = 0; return Flow.Next; };
  }
  if (sf === 0) {
    switch (opcode) {
      case 2: return (pe: PE) => { const x = pe.x; const b = x[m]; x[d] = b === 0 ? 0 : x[n] / b; x[d + 1] = 0; return Flow.Next; };
      // (a / b) | 0 truncates toward zero, and 2^31 | 0 = INT_MIN for INT_MIN / -1.
      case 3: return (pe: PE) => { const x = pe.x; const b = x[m] | 0; x[d] = b === 0 ? 0 : ((x[n] | 0) / b) | 0; x[d + 1] = 0; return Flow.Next; };
      // JavaScript shift counts are already taken modulo 32.
      case 8: return (pe: PE) => { const x = pe.x; x[d] = x[n] << x[m]; x[d + 1] = 0; return Flow.Next; };
      case 9: return (pe: PE) => { const x = pe.x; x[d] = x[n] >>> x[m]; x[d + 1] = 0; return Flow.Next; };
      case 10: return (pe: PE) => { const x = pe.x; x[d] = x[n] >> x[m]; x[d + 1] = 0; return Flow.Next; };
      case 11: return (pe: PE) => {
        const x = pe.x; const v = x[n], s = x[m] & 31;
        x[d] = (v >>> s) | (v << (32 - s)); x[d + 1] = 0;      // s = 0: v | v
        return Flow.Next;
      };
      default: return undefined;
    }
  }
  switch (opcode) {
    case 2: return (pe: PE) => {
      const x = pe.x; const bl = x[m], bh = x[m + 1];
      if ((bl | bh) === 0) { x[d] = 0; x[d + 1] = 0; } else { udiv64(x[n], x[n + 1], bl, bh); x[d] = R.lo; x[d + 1] = R.hi; }
      return Flow.Next;
    };
    case 3: return (pe: PE) => {
      const x = pe.x; const bl = x[m], bh = x[m + 1];
      if ((bl | bh) === 0) { x[d] = 0; x[d + 1] = 0; } else { sdiv64(x[n], x[n + 1], bl, bh); x[d] = R.lo; x[d + 1] = R.hi; }
      return Flow.Next;
    };
    case 8: return (pe: PE) => { const x = pe.x; lsl64(x[n], x[n + 1], x[m] & 63); x[d] = R.lo; x[d + 1] = R.hi; return Flow.Next; };
    case 9: return (pe: PE) => { const x = pe.x; lsr64(x[n], x[n + 1], x[m] & 63); x[d] = R.lo; x[d + 1] = R.hi; return Flow.Next; };
    case 10: return (pe: PE) => { const x = pe.x; asr64(x[n], x[n + 1], x[m] & 63); x[d] = R.lo; x[d + 1] = R.hi; return Flow.Next; };
    case 11: return (pe: PE) => { const x = pe.x; ror64(x[n], x[n + 1], x[m] & 63); x[d] = R.lo; x[d + 1] = R.hi; return Flow.Next; };
    default: return undefined;
  }
}

// ---------------------------------------------------------------- Data-processing (1 source)

/** Bit reversal of a 32-bit word. */
function rbit32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

/** Byte reversal of a 32-bit word. */
function bswap32(v: number): number {
  return ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24)) >>> 0;
}

/** Byte swap within each halfword. */
function rev16w(v: number): number {
  return (((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8)) >>> 0;
}

/**
 * RBIT, REV16, REV32, REV (REV64), CLZ, CLS. S = 1, opcode2 != 0 (PAC*: FEAT_PAuth not
 * implemented), REV with sf = 0 and opcode 011, and opcodes >= 6 (CTZ, CNT, ABS: FEAT_CSSC)
 * are unallocated. CLS = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>) = CLZ(x EOR (x ASR N-1)) - 1.
 */
function dataProcessing1Source(sf: number, S: number, opcode2: number, opcode: number, Rn: number, Rd: number): Exec | undefined {
  if (S !== 0 || opcode2 !== 0) return undefined;
  const n = src(Rn, false) * 2, d = dst(Rd, false) * 2;
  if (sf === 0) {
    switch (opcode) {
      case 0: return (pe: PE) => { const x = pe.x; x[d] = rbit32(x[n]); x[d + 1] = 0; return Flow.Next; };
      case 1: return (pe: PE) => { const x = pe.x; x[d] = rev16w(x[n]); x[d + 1] = 0; return Flow.Next; };
      case 2: return (pe: PE) => { const x = pe.x; x[d] = bswap32(x[n]); x[d + 1] = 0; return Flow.Next; };
      case 4: return (pe: PE) => { const x = pe.x; x[d] = Math.clz32(x[n]); x[d + 1] = 0; return Flow.Next; };
      case 5: return (pe: PE) => { const x = pe.x; const v = x[n]; x[d] = Math.clz32(v ^ (v >> 31)) - 1; x[d + 1] = 0; return Flow.Next; };
      default: return undefined;
    }
  }
  switch (opcode) {
    case 0: return (pe: PE) => { const x = pe.x; const l = x[n]; x[d] = rbit32(x[n + 1]); x[d + 1] = rbit32(l); return Flow.Next; };
    case 1: return (pe: PE) => { const x = pe.x; x[d] = rev16w(x[n]); x[d + 1] = rev16w(x[n + 1]); return Flow.Next; };
    case 2: return (pe: PE) => { const x = pe.x; x[d] = bswap32(x[n]); x[d + 1] = bswap32(x[n + 1]); return Flow.Next; };
    case 3: return (pe: PE) => { const x = pe.x; const l = x[n]; x[d] = bswap32(x[n + 1]); x[d + 1] = bswap32(l); return Flow.Next; };
    case 4: return (pe: PE) => {
      const x = pe.x; const h = x[n + 1];
      x[d] = h !== 0 ? Math.clz32(h) : 32 + Math.clz32(x[n]); x[d + 1] = 0;
      return Flow.Next;
    };
    case 5: return (pe: PE) => {
      const x = pe.x; const h = x[n + 1]; const s = h >> 31;
      const th = h ^ s;
      x[d] = (th !== 0 ? Math.clz32(th) : 32 + Math.clz32(x[n] ^ s)) - 1; x[d + 1] = 0;
      return Flow.Next;
    };
    default: return undefined;
  }
}

// ---------------------------------------------------------------- Data-processing (3 source)

/** Signed 32x32 -> 64 product into R.lo/R.hi (umul32 with the two's-complement correction). */
function smul32(a: number, b: number): void {
  umul32(a, b);
  let h = R.hi;
  if (a & 0x80000000) h -= b;
  if (b & 0x80000000) h -= a;
  R.hi = h >>> 0;
}

/**
 * MADD/MSUB (X[a] ± X[n]*X[m]), SMADDL/SMSUBL/UMADDL/UMSUBL (X[a] ± W[n]*W[m] widened),
 * SMULH/UMULH (high 64 bits of the 128-bit product). MUL, MNEG, SMULL, UMULL, SMNEGL, UMNEGL
 * are aliases with Ra = XZR. op54 != 00, the unused op31 values, o0 = 1 with op31 = x10, and
 * the long forms with sf = 0 are unallocated. For SMULH/UMULH Ra is "should be 11111"; we
 * choose to ignore it (CONSTRAINED UNPREDICTABLE, as QEMU does).
 */
function dataProcessing3Source(sf: number, op54: number, op31: number, Rm: number, o0: number, Ra: number, Rn: number, Rd: number): Exec | undefined {
  if (op54 !== 0) return undefined;
  if (sf === 0 && op31 !== 0) return undefined;
  const n = src(Rn, false) * 2, m = src(Rm, false) * 2, a = src(Ra, false) * 2, d = dst(Rd, false) * 2;
  // MUL, UMULL, SMULL (Ra = XZR, o0 = 0): the same result without adding the zero register.
  if (Ra === 31 && o0 === 0) {
    if (sf === 0) return (pe: PE) => { const x = pe.x; x[d] = Math.imul(x[n], x[m]); x[d + 1] = 0; return Flow.Next; };
    switch (op31) {
      case 0: return (pe: PE) => { const x = pe.x; mul64lo(x[n], x[n + 1], x[m], x[m + 1]); x[d] = R.lo; x[d + 1] = R.hi; return Flow.Next; };
      case 1: return (pe: PE) => { const x = pe.x; smul32(x[n], x[m]); x[d] = R.lo; x[d + 1] = R.hi; return Flow.Next; };
      case 5: return (pe: PE) => { const x = pe.x; umul32(x[n], x[m]); x[d] = R.lo; x[d + 1] = R.hi; return Flow.Next; };
      default: break;
    }
  }
  if (sf === 0) {
    if (o0 === 0) return (pe: PE) => { const x = pe.x; x[d] = x[a] + Math.imul(x[n], x[m]); x[d + 1] = 0; return Flow.Next; };
    return (pe: PE) => { const x = pe.x; x[d] = x[a] - Math.imul(x[n], x[m]); x[d + 1] = 0; return Flow.Next; };
  }
  switch (op31 * 2 + o0) {
    case 0: return (pe: PE) => { const x = pe.x; mul64lo(x[n], x[n + 1], x[m], x[m + 1]); addX(x, d, x[a], x[a + 1], R.lo, R.hi); return Flow.Next; };
    case 1: return (pe: PE) => { const x = pe.x; mul64lo(x[n], x[n + 1], x[m], x[m + 1]); subX(x, d, x[a], x[a + 1], R.lo, R.hi); return Flow.Next; };
    case 2: return (pe: PE) => { const x = pe.x; smul32(x[n], x[m]); addX(x, d, x[a], x[a + 1], R.lo, R.hi); return Flow.Next; };
    case 3: return (pe: PE) => { const x = pe.x; smul32(x[n], x[m]); subX(x, d, x[a], x[a + 1], R.lo, R.hi); return Flow.Next; };
    case 4: return (pe: PE) => { const x = pe.x; smulh64(x[n], x[n + 1], x[m], x[m + 1]); x[d] = R.lo; x[d + 1] = R.hi; return Flow.Next; };
    case 10: return (pe: PE) => { const x = pe.x; umul32(x[n], x[m]); addX(x, d, x[a], x[a + 1], R.lo, R.hi); return Flow.Next; };
    case 11: return (pe: PE) => { const x = pe.x; umul32(x[n], x[m]); subX(x, d, x[a], x[a + 1], R.lo, R.hi); return Flow.Next; };
    case 12: return (pe: PE) => { const x = pe.x; umulh64(x[n], x[n + 1], x[m], x[m + 1]); x[d] = R.lo; x[d + 1] = R.hi; return Flow.Next; };
    default: return undefined;
  }
}
