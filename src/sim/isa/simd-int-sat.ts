// AdvSIMD integer forms of the three same, two-register miscellaneous and shift by immediate
// classes (vector and scalar) that simd-int.ts leaves out: halving adds, absolute differences,
// polynomial multiply, the saturating/rounding register shifts, the saturating forms for every
// element size, doubling multiplies returning the high half, FEAT_RDM and FEAT_DotProd (three
// same extra), long pairwise adds, saturating absolute/negate/accumulate, saturating narrows,
// SHLL, and the rounding, saturating and narrowing shifts by immediate. DDI0487 J.a C4.1.95
// (encoding tables), C7.2 (each instruction's Operation pseudocode, followed literally on exact
// integers: simd-lanes.ts).
//
// Each decoder here is reached only when the simd-int.ts decoder of the same class returned
// UNDEFINED for the word, and returns undefined itself for the encodings that are unallocated.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { RES, absInt as abs, begin, lane, polyMul, satQ, shiftBy, sqdmulh, sqrdmlah, writeLanes, type LaneOp as Lane3 } from './simd-lanes';

interface Form {
  /** Signedness of the Vn and Vm (or Vd) operands. */
  sn: boolean; sm: boolean;
  /** Reads Vd as the third operand (accumulating forms). */
  acc: boolean;
  fn: Lane3;
  /** Architectural feature checked at execution (FEAT_RDM, FEAT_DotProd). */
  feat?: 'rdm' | 'dotprod';
}

/** Shift left by SInt(b<7:0>), optionally rounding and saturating (SSHL ... UQRSHL, C7.2). */
function regShift(round: boolean, sat: boolean, unsigned: boolean): Lane3 {
  return (a, b, _d, bits) => {
    const shift = Number(BigInt.asIntN(8, b));
    const rc = round && shift < 0 ? 1n << BigInt(-shift - 1) : 0n;
    const r = shiftBy(a + rc, shift);
    return sat ? satQ(r, bits, unsigned) : r;
  };
}

/** Three same forms by U:opcode (opcode < 11000); null where simd-int.ts has the operation. */
function sameForm(U: number, opcode: number): Form | null {
  const s = U === 0, u = !s;
  const f = (fn: Lane3, acc = false): Form => ({ sn: s, sm: s, acc, fn });
  switch (opcode) {
    case 0b00000: return f((a, b) => (a + b) >> 1n);                      // SHADD / UHADD
    case 0b00001: return f((a, b, _d, n) => satQ(a + b, n, u));            // SQADD / UQADD
    case 0b00010: return f((a, b) => (a + b + 1n) >> 1n);                 // SRHADD / URHADD
    case 0b00100: return f((a, b) => (a - b) >> 1n);                      // SHSUB / UHSUB
    case 0b00101: return f((a, b, _d, n) => satQ(a - b, n, u));            // SQSUB / UQSUB
    case 0b01000: return { sn: s, sm: true, acc: false, fn: regShift(false, false, u) };  // SSHL / USHL
    case 0b01001: return { sn: s, sm: true, acc: false, fn: regShift(false, true, u) };   // SQSHL / UQSHL
    case 0b01010: return { sn: s, sm: true, acc: false, fn: regShift(true, false, u) };   // SRSHL / URSHL
    case 0b01011: return { sn: s, sm: true, acc: false, fn: regShift(true, true, u) };    // SQRSHL / UQRSHL
    case 0b01110: return f((a, b) => abs(a - b));                          // SABD / UABD
    case 0b01111: return f((a, b, d) => d + abs(a - b), true);             // SABA / UABA
    case 0b10011: return U ? { sn: false, sm: false, acc: false, fn: (a, b) => polyMul(Number(a), Number(b), 8) } : null;  // PMUL
    case 0b10110: return { sn: true, sm: true, acc: false, fn: sqdmulh(U === 1) };          // SQDMULH / SQRDMULH
    default: return null;
  }
}

/** Sizes each three same form allows (bit per size; vector 64-bit lanes also need Q = 1). */
function sameSizes(U: number, opcode: number, scalar: boolean): number {
  switch (opcode) {
    case 0b00001: case 0b00101: case 0b01001: case 0b01011: return 0b1111;
    case 0b01000: case 0b01010: return scalar ? 0b1000 : 0b1111;
    case 0b10011: return scalar ? 0 : 0b0001;
    case 0b10110: return 0b0110;
    default: return scalar ? 0 : 0b0111;   // halving, ABD, ABA: no 64-bit lanes, no scalar form
  }
}

function execSame(form: Form, bits: number, count: number, d: number, n: number, m: number): Exec {
  return (pe: PE) => {
    if (form.feat && !pe.features[form.feat]) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    begin();
    for (let e = 0; e < count; e++) {
      RES[e] = form.fn(lane(pe, n, bits, e, form.sn), lane(pe, m, bits, e, form.sm), form.acc ? lane(pe, d, bits, e, form.sn) : 0n, bits);
    }
    writeLanes(pe, d, bits, count, 0, false);
    return Flow.Next;
  };
}

/** Advanced SIMD three same (integer opcodes) and scalar three same: the forms simd-int.ts lacks. */
export function advsimd3SameIntDecode(w: number): Exec | undefined {
  const scalar = ((w >>> 28) & 1) === 1;
  const Q = scalar ? 0 : (w >>> 30) & 1, U = (w >>> 29) & 1, size = (w >>> 22) & 3, opcode = (w >>> 11) & 31;
  if (opcode >= 0b11000) return undefined;
  const form = sameForm(U, opcode);
  if (!form || !((sameSizes(U, opcode, scalar) >> size) & 1) || (!scalar && size === 3 && Q === 0)) return undefined;
  const bits = 8 << size;
  return execSame(form, bits, scalar ? 1 : (64 << Q) / bits, w & 31, (w >>> 5) & 31, (w >>> 16) & 31);
}

/**
 * Advanced SIMD three same extra (0 Q U 01110 size 0 Rm 1 opcode 1 Rn Rd) and its scalar form:
 * SQRDMLAH/SQRDMLSH (FEAT_RDM, U = 1, opcode 000x, H and S lanes) and SDOT/UDOT (FEAT_DotProd,
 * opcode 0010, size = 10). The FCMLA/FCADD/USDOT/SMMLA opcodes are not implemented.
 */
export function advsimd3SameExtraDecode(w: number): Exec | undefined {
  const scalar = ((w >>> 28) & 1) === 1;
  const Q = scalar ? 0 : (w >>> 30) & 1, U = (w >>> 29) & 1, size = (w >>> 22) & 3, opcode = (w >>> 11) & 15;
  const d = w & 31, n = (w >>> 5) & 31, m = (w >>> 16) & 31;
  if (U === 1 && opcode <= 1) {
    if (size !== 1 && size !== 2) return undefined;
    const bits = 8 << size;
    const form: Form = { sn: true, sm: true, acc: true, fn: sqrdmlah(opcode === 1), feat: 'rdm' };
    return execSame(form, bits, scalar ? 1 : (64 << Q) / bits, d, n, m);
  }
  if (opcode === 2 && !scalar && size === 2) return execDot(U === 0, Q, d, n, m, -1);
  return undefined;
}

/**
 * SDOT/UDOT (vector, and by element when idx >= 0: the 32-bit group idx of Vm for every lane):
 * each 32-bit lane of Vd accumulates the four byte products of the matching groups, modulo 2^32.
 */
export function execDot(signed: boolean, Q: number, d: number, n: number, m: number, idx: number): Exec {
  const count = 2 << Q;
  return (pe: PE) => {
    if (!pe.features.dotprod) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    begin();
    for (let e = 0; e < count; e++) {
      const g = idx >= 0 ? idx : e;
      let r = lane(pe, d, 32, e, false);
      for (let k = 0; k < 4; k++) r += lane(pe, n, 8, 4 * e + k, signed) * lane(pe, m, 8, 4 * g + k, signed);
      RES[e] = r;
    }
    writeLanes(pe, d, 32, count, 0, false);
    return Flow.Next;
  };
}

// ---------------------------------------------------------------- two-register misc

/**
 * Advanced SIMD two-register miscellaneous and its scalar form: SADDLP/UADDLP, SADALP/UADALP,
 * SUQADD/USQADD, SQABS/SQNEG, SQXTN/UQXTN/SQXTUN (and "2"), SHLL (and "2"). URECPE and URSQRTE are simd-fpvec.ts's (they share FPRecipEstimate's tables).
 */
export function advsimd2RegMiscIntDecode(w: number): Exec | undefined {
  const scalar = ((w >>> 28) & 1) === 1;
  const Q = scalar ? 0 : (w >>> 30) & 1, U = (w >>> 29) & 1, size = (w >>> 22) & 3, opcode = (w >>> 12) & 31;
  const d = w & 31, n = (w >>> 5) & 31, bits = 8 << size;
  const full = scalar ? 1 : (64 << Q) / bits;
  const fpOk = (pe: PE) => !pe.fpTrapped();
  switch (opcode) {
    case 0b00010: case 0b00110: {   // [SU]ADDLP, [SU]ADALP: pairs of esize lanes into 2*esize lanes
      if (scalar || size === 3) return undefined;
      const acc = opcode === 0b00110, signed = U === 0, count = full >>> 1;
      return (pe: PE) => {
        if (!fpOk(pe)) return Flow.Stop;
        begin();
        for (let e = 0; e < count; e++) {
          RES[e] = lane(pe, n, bits, 2 * e, signed) + lane(pe, n, bits, 2 * e + 1, signed) + (acc ? lane(pe, d, 2 * bits, e, false) : 0n);
        }
        writeLanes(pe, d, 2 * bits, count, 0, false);
        return Flow.Next;
      };
    }
    case 0b00011: case 0b00111: {   // SUQADD/USQADD, SQABS/SQNEG
      if (!scalar && size === 3 && Q === 0) return undefined;
      const acc = opcode === 0b00011;
      return (pe: PE) => {
        if (!fpOk(pe)) return Flow.Stop;
        begin();
        for (let e = 0; e < full; e++) {
          if (acc) {
            // SUQADD: SInt(Vd) + UInt(Vn) saturated signed; USQADD: UInt(Vd) + SInt(Vn) saturated unsigned.
            RES[e] = satQ(lane(pe, n, bits, e, U === 1) + lane(pe, d, bits, e, U === 0), bits, U === 1);
          } else {
            const x = lane(pe, n, bits, e, true);
            RES[e] = satQ(U ? -x : abs(x), bits, false);
          }
        }
        writeLanes(pe, d, bits, full, 0, false);
        return Flow.Next;
      };
    }
    case 0b10010: case 0b10100: {   // SQXTUN (U = 1, 10010), SQXTN / UQXTN (10100)
      if (size === 3 || (opcode === 0b10010 && U === 0)) return undefined;
      const srcSigned = !(opcode === 0b10100 && U === 1), dstUnsigned = U === 1;
      const count = scalar ? 1 : 64 / bits;
      return (pe: PE) => {
        if (!fpOk(pe)) return Flow.Stop;
        begin();
        for (let e = 0; e < count; e++) RES[e] = satQ(lane(pe, n, 2 * bits, e, srcSigned), bits, dstUnsigned);
        writeLanes(pe, d, bits, count, Q ? count : 0, Q === 1);
        return Flow.Next;
      };
    }
    case 0b10011: {                 // SHLL{2}: each lane of Vpart[n, Q] shifted left by esize
      if (scalar || U === 0 || size === 3) return undefined;
      const count = 64 / bits;
      return (pe: PE) => {
        if (!fpOk(pe)) return Flow.Stop;
        begin();
        for (let e = 0; e < count; e++) RES[e] = lane(pe, n, bits, Q * count + e, false) << BigInt(bits);
        writeLanes(pe, d, 2 * bits, count, 0, false);
        return Flow.Next;
      };
    }
    default: return undefined;
  }
}

// ---------------------------------------------------------------- shift by immediate

/**
 * Advanced SIMD shift by immediate and its scalar form: SRSHR/URSHR, SRSRA/URSRA, SQSHL/UQSHL
 * and SQSHLU (immediate), and the narrowing RSHRN, SQSHRN, SQRSHRN, UQSHRN, UQRSHRN, SQSHRUN,
 * SQRSHRUN ("2" forms in the upper half). immh selects the element size (highest set bit).
 */
export function advsimdShiftImmIntDecode(w: number): Exec | undefined {
  const scalar = ((w >>> 28) & 1) === 1;
  const Q = scalar ? 0 : (w >>> 30) & 1, U = (w >>> 29) & 1, immh = (w >>> 19) & 15, immb = (w >>> 16) & 7, opcode = (w >>> 11) & 31;
  const d = w & 31, n = (w >>> 5) & 31;
  if (immh === 0) return undefined;
  const size = 31 - Math.clz32(immh), bits = 8 << size, immhb = (immh << 3) | immb;
  const full = scalar ? 1 : (64 << Q) / bits;
  if (opcode === 0b00100 || opcode === 0b00110) {   // [SU]RSHR, [SU]RSRA
    if (scalar ? size !== 3 : size === 3 && Q === 0) return undefined;
    const sh = 2 * bits - immhb, signed = U === 0, acc = opcode === 0b00110, rc = 1n << BigInt(sh - 1);
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      begin();
      for (let e = 0; e < full; e++) RES[e] = ((lane(pe, n, bits, e, signed) + rc) >> BigInt(sh)) + (acc ? lane(pe, d, bits, e, false) : 0n);
      writeLanes(pe, d, bits, full, 0, false);
      return Flow.Next;
    };
  }
  if (opcode === 0b01100 || opcode === 0b01110) {   // SQSHLU (U = 1, 01100), SQSHL / UQSHL (01110)
    if ((opcode === 0b01100 && U === 0) || (!scalar && size === 3 && Q === 0)) return undefined;
    const sh = BigInt(immhb - bits), srcSigned = !(opcode === 0b01110 && U === 1), dstUnsigned = U === 1;
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      begin();
      for (let e = 0; e < full; e++) RES[e] = satQ(lane(pe, n, bits, e, srcSigned) << sh, bits, dstUnsigned);
      writeLanes(pe, d, bits, full, 0, false);
      return Flow.Next;
    };
  }
  if (opcode >= 0b10000 && opcode <= 0b10011) {    // narrowing: 2*esize source lanes
    if (size === 3) return undefined;
    const round = (opcode & 1) === 1;
    // U:opcode -> (source signed, saturate, result unsigned); SHRN (U0 10000) is simd-int.ts's.
    let srcSigned: boolean, sat: boolean;
    if (opcode <= 0b10001) {
      if (U === 0) { if (!round || scalar) return undefined; srcSigned = false; sat = false; }   // RSHRN
      else { srcSigned = true; sat = true; }                                                      // SQ[R]SHRUN
    } else { srcSigned = U === 0; sat = true; }                                                   // [SU]Q[R]SHRN
    const dstUnsigned = U === 1;
    const sh = BigInt(2 * bits - immhb), rc = round ? 1n << (sh - 1n) : 0n, count = scalar ? 1 : 64 / bits;
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      begin();
      for (let e = 0; e < count; e++) {
        const r = (lane(pe, n, 2 * bits, e, srcSigned) + rc) >> sh;
        RES[e] = sat ? satQ(r, bits, dstUnsigned) : r;
      }
      writeLanes(pe, d, bits, count, Q ? count : 0, Q === 1);
      return Flow.Next;
    };
  }
  return undefined;
}

export const SIMD_INT_SAT: Encoding[] = [
  // Three same extra, only the opcodes implemented here (FEAT_FCMA/FEAT_I8MM ones stay unmatched).
  { name: 'Advanced SIMD three same extra (SQRDMLAH, SQRDMLSH)', mask: 0xbf20f400, value: 0x2e008400, decode: advsimd3SameExtraDecode },
  { name: 'Advanced SIMD three same extra (SDOT, UDOT)', mask: 0x9f20fc00, value: 0x0e009400, decode: advsimd3SameExtraDecode },
  { name: 'Advanced SIMD scalar three same extra (SQRDMLAH, SQRDMLSH)', mask: 0xff20f400, value: 0x7e008400, decode: advsimd3SameExtraDecode },
];
