// Data processing -- immediate (DDI0487 C4.1, op0 = x00, op1 bits [28:26] = 100):
// PC-rel. addressing, Add/subtract (immediate), Logical (immediate), Move wide (immediate),
// Bitfield and Extract. Semantics follow the instruction pages' pseudocode in DDI0487 C6.2
// (revision K.a); aliases (CMP, CMN, MOV, TST, LSL, UBFX, SXTW, ROR …) are not separate
// encodings and fall out of these records.
//
// Each record's decode() only extracts the Arm ARM fields and hands them to the handler
// builder for the class, which validates them (returning undefined for UNDEFINED) and
// returns a closure specialised for datasize, flag setting and operation. Closures read and
// write the register file directly and allocate nothing.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { TWO32 } from '../u64';
import { decodeBitMasks, dst, sext, src } from './common';

/** Bits [hi:lo] of w. */
function bits(w: number, hi: number, lo: number): number {
  return (w >>> lo) & (hi - lo === 31 ? 0xffffffff : (1 << (hi - lo + 1)) - 1);
}

export const DP_IMM: Encoding[] = [
  {
    // ADR / ADRP: op immlo 10000 immhi Rd
    name: 'PC-rel. addressing (ADR, ADRP)', mask: 0x1f000000, value: 0x10000000,
    decode: (w) => pcRelAddressing(bits(w, 31, 31), bits(w, 30, 29), bits(w, 23, 5), bits(w, 4, 0)),
  },
  {
    // sf op S 100010 sh imm12 Rn Rd
    name: 'Add/subtract (immediate)', mask: 0x1f800000, value: 0x11000000,
    decode: (w) => addSubImmediate(bits(w, 31, 31), bits(w, 30, 30), bits(w, 29, 29), bits(w, 22, 22), bits(w, 21, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
  {
    // ADDG / SUBG: FEAT_MTE is not implemented by our CPU models (ID_AA64PFR1_EL1.MTE = 0).
    name: 'Add/subtract (immediate, with tags)', mask: 0x1fc00000, value: 0x11800000,
    decode: () => undefined,
  },
  {
    // SMAX/SMIN/UMAX/UMIN (immediate): FEAT_CSSC (ARMv8.9) is not implemented by our CPU models.
    name: 'Min/max (immediate)', mask: 0x1fc00000, value: 0x11c00000,
    decode: () => undefined,
  },
  {
    // sf opc 100100 N immr imms Rn Rd
    name: 'Logical (immediate)', mask: 0x1f800000, value: 0x12000000,
    decode: (w) => logicalImmediate(bits(w, 31, 31), bits(w, 30, 29), bits(w, 22, 22), bits(w, 21, 16), bits(w, 15, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
  {
    // sf opc 100101 hw imm16 Rd
    name: 'Move wide (immediate)', mask: 0x1f800000, value: 0x12800000,
    decode: (w) => moveWide(bits(w, 31, 31), bits(w, 30, 29), bits(w, 22, 21), bits(w, 20, 5), bits(w, 4, 0)),
  },
  {
    // sf opc 100110 N immr imms Rn Rd
    name: 'Bitfield', mask: 0x1f800000, value: 0x13000000,
    decode: (w) => bitfield(bits(w, 31, 31), bits(w, 30, 29), bits(w, 22, 22), bits(w, 21, 16), bits(w, 15, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
  {
    // sf op21 100111 N o0 Rm imms Rn Rd
    name: 'Extract', mask: 0x1f800000, value: 0x13800000,
    decode: (w) => extract(bits(w, 31, 31), bits(w, 30, 29), bits(w, 22, 22), bits(w, 21, 21), bits(w, 20, 16), bits(w, 15, 10), bits(w, 9, 5), bits(w, 4, 0)),
  },
];

// ---------------------------------------------------------------- PC-rel. addressing

/**
 * ADR: X[d] = PC + SignExtend(immhi:immlo); ADRP: X[d] = PC<63:12>:Zeros(12) + SignExtend(immhi:immlo:Zeros(12)).
 * PC is the address of this instruction (pe.pcLo/pcHi). Rd = 31 is XZR.
 */
function pcRelAddressing(op: number, immlo: number, immhi: number, Rd: number): Exec | undefined {
  const d = dst(Rd, false) * 2;
  const imm = sext((immhi << 2) | immlo, 21) * (op ? 4096 : 1);
  // The offset as unsigned halves, so execution is a plain 64-bit add.
  const offLo = imm >>> 0;
  const offHi = Math.floor(imm / TWO32) >>> 0;
  if (op) {
    return (pe: PE) => {
      const l = ((pe.pcLo & 0xfffff000) >>> 0) + offLo;
      pe.x[d] = l >>> 0;
      pe.x[d + 1] = (pe.pcHi + offHi + (l > 0xffffffff ? 1 : 0)) >>> 0;
      return Flow.Next;
    };
  }
  return (pe: PE) => {
    const l = pe.pcLo + offLo;
    pe.x[d] = l >>> 0;
    pe.x[d + 1] = (pe.pcHi + offHi + (l > 0xffffffff ? 1 : 0)) >>> 0;
    return Flow.Next;
  };
}

// ---------------------------------------------------------------- Add/subtract (immediate)

/**
 * ADD/ADDS/SUB/SUBS (immediate). imm = ZeroExtend(imm12 << (sh ? 12 : 0)); the result is
 * AddWithCarry(X[n], imm, 0) or AddWithCarry(X[n], NOT(imm), 1). Rn is SP when 31; Rd is SP
 * for ADD/SUB and XZR for ADDS/SUBS (CMN, CMP).
 */
function addSubImmediate(sf: number, op: number, S: number, sh: number, imm12: number, Rn: number, Rd: number): Exec {
  const imm = sh ? imm12 * 4096 : imm12;
  const n = src(Rn, true) * 2;
  const d = dst(Rd, S === 0) * 2;
  if (sf === 0) {
    if (S === 0) {
      if (op === 0) return (pe: PE) => { const x = pe.x; x[d] = x[n] + imm; x[d + 1] = 0; return Flow.Next; };
      return (pe: PE) => { const x = pe.x; x[d] = x[n] - imm; x[d + 1] = 0; return Flow.Next; };
    }
    if (op === 0) {
      return (pe: PE) => {
        const x = pe.x;
        const a = x[n];
        const s = a + imm;
        const r = s >>> 0;
        x[d] = r; x[d + 1] = 0;
        pe.nf = r >>> 31; pe.zf = r === 0 ? 1 : 0; pe.cf = s > 0xffffffff ? 1 : 0;
        pe.vf = (~a & r) >>> 31;                      // imm is positive: overflow iff a >= 0 and r < 0
        return Flow.Next;
      };
    }
    return (pe: PE) => {
      const x = pe.x;
      const a = x[n];
      const r = (a - imm) >>> 0;
      x[d] = r; x[d + 1] = 0;
      pe.nf = r >>> 31; pe.zf = r === 0 ? 1 : 0; pe.cf = a >= imm ? 1 : 0;
      pe.vf = (a & ~r) >>> 31;                        // a < 0 and r >= 0
      return Flow.Next;
    };
  }
  if (S === 0) {
    if (op === 0) {
      return (pe: PE) => {
        const x = pe.x;
        const l = x[n] + imm;
        x[d + 1] = x[n + 1] + (l > 0xffffffff ? 1 : 0);
        x[d] = l;
        return Flow.Next;
      };
    }
    return (pe: PE) => {
      const x = pe.x;
      const l = x[n] - imm;
      x[d + 1] = x[n + 1] - (l < 0 ? 1 : 0);
      x[d] = l;
      return Flow.Next;
    };
  }
  if (op === 0) {
    return (pe: PE) => {
      const x = pe.x;
      const ah = x[n + 1];
      const l = x[n] + imm;
      const h = ah + (l > 0xffffffff ? 1 : 0);
      const rl = l >>> 0, rh = h >>> 0;
      x[d] = rl; x[d + 1] = rh;
      pe.nf = rh >>> 31; pe.zf = (rl | rh) === 0 ? 1 : 0; pe.cf = h > 0xffffffff ? 1 : 0;
      pe.vf = (~ah & rh) >>> 31;
      return Flow.Next;
    };
  }
  return (pe: PE) => {
    const x = pe.x;
    const ah = x[n + 1];
    const l = x[n] - imm;
    const h = ah - (l < 0 ? 1 : 0);
    const rl = l >>> 0, rh = h >>> 0;
    x[d] = rl; x[d + 1] = rh;
    pe.nf = rh >>> 31; pe.zf = (rl | rh) === 0 ? 1 : 0; pe.cf = h >= 0 ? 1 : 0;
    pe.vf = (ah & ~rh) >>> 31;
    return Flow.Next;
  };
}

// ---------------------------------------------------------------- Logical (immediate)

/**
 * AND/ORR/EOR/ANDS (immediate) with imm = DecodeBitMasks(N, imms, immr, TRUE, datasize).
 * sf = 0 with N = 1 and the reserved bitmask patterns are UNDEFINED. Rd is SP except for
 * ANDS (TST); Rn is XZR. ANDS sets N and Z from the result, C = V = 0.
 */
function logicalImmediate(sf: number, opc: number, N: number, immr: number, imms: number, Rn: number, Rd: number): Exec | undefined {
  if (sf === 0 && N === 1) return undefined;
  const masks = decodeBitMasks(N, imms, immr, true, sf ? 64 : 32);
  if (masks === undefined) return undefined;
  const ml = masks[0], mh = masks[1];
  const n = src(Rn, false) * 2;
  const d = dst(Rd, opc !== 3) * 2;
  if (sf === 0) {
    switch (opc) {
      case 0: return (pe: PE) => { const x = pe.x; x[d] = x[n] & ml; x[d + 1] = 0; return Flow.Next; };
      case 1: return (pe: PE) => { const x = pe.x; x[d] = x[n] | ml; x[d + 1] = 0; return Flow.Next; };
      case 2: return (pe: PE) => { const x = pe.x; x[d] = x[n] ^ ml; x[d + 1] = 0; return Flow.Next; };
      default: return (pe: PE) => {
        const x = pe.x;
        const r = x[n] & ml;
        x[d] = r; x[d + 1] = 0;
        pe.nf = r >>> 31; pe.zf = r === 0 ? 1 : 0; pe.cf = 0; pe.vf = 0;
        return Flow.Next;
      };
    }
  }
  switch (opc) {
    case 0: return (pe: PE) => { const x = pe.x; x[d] = x[n] & ml; x[d + 1] = x[n + 1] & mh; return Flow.Next; };
    case 1: return (pe: PE) => { const x = pe.x; x[d] = x[n] | ml; x[d + 1] = x[n + 1] | mh; return Flow.Next; };
    case 2: return (pe: PE) => { const x = pe.x; x[d] = x[n] ^ ml; x[d + 1] = x[n + 1] ^ mh; return Flow.Next; };
    default: return (pe: PE) => {
      const x = pe.x;
      const rl = x[n] & ml, rh = x[n + 1] & mh;
      x[d] = rl; x[d + 1] = rh;
      pe.nf = rh >>> 31; pe.zf = (rl | rh) === 0 ? 1 : 0; pe.cf = 0; pe.vf = 0;
      return Flow.Next;
    };
  }
}

// ---------------------------------------------------------------- Move wide (immediate)

/**
 * MOVN/MOVZ/MOVK: pos = hw * 16. opc = 01 is unallocated; sf = 0 with hw >= 2 is UNDEFINED.
 * Rd = 31 is XZR.
 */
function moveWide(sf: number, opc: number, hw: number, imm16: number, Rd: number): Exec | undefined {
  if (opc === 1) return undefined;
  if (sf === 0 && hw >= 2) return undefined;
  const d = dst(Rd, false) * 2;
  const pos = hw * 16;
  if (opc === 3) {
    // MOVK: keep the other bits of X[d] (the upper word is cleared for the 32-bit form).
    const half = pos >= 32 ? 1 : 0;
    const sh = pos & 31;
    const keep = ~(0xffff << sh);
    const ins = (imm16 << sh) >>> 0;
    if (sf === 0) return (pe: PE) => { const x = pe.x; x[d] = (x[d] & keep) | ins; x[d + 1] = 0; return Flow.Next; };
    const i = d + half;
    return (pe: PE) => { const x = pe.x; x[i] = (x[i] & keep) | ins; return Flow.Next; };
  }
  // MOVZ / MOVN: a constant.
  let lo = pos < 32 ? (imm16 << pos) >>> 0 : 0;
  let hi = pos >= 32 ? (imm16 << (pos - 32)) >>> 0 : 0;
  if (opc === 0) { lo = ~lo >>> 0; hi = sf ? ~hi >>> 0 : 0; }
  return (pe: PE) => { const x = pe.x; x[d] = lo; x[d + 1] = hi; return Flow.Next; };
}

// ---------------------------------------------------------------- Bitfield

/**
 * SBFM/BFM/UBFM (DDI0487 C6.2 "SBFM", "BFM", "UBFM"):
 *   (wmask, tmask) = DecodeBitMasks(N, imms, immr, FALSE, datasize)
 *   bot = (dst AND NOT(wmask)) OR (ROR(src, R) AND wmask)
 *   top = extend ? Replicate(src<S>) : dst      (dst = inzero ? Zeros() : X[d])
 *   X[d] = (top AND NOT(tmask)) OR (bot AND tmask)
 * which simplifies, with wt = wmask AND tmask, to
 *   UBFM: ROR(src, R) AND wt
 *   SBFM: (ROR(src, R) AND wt) OR (Replicate(src<S>) AND NOT(tmask))
 *   BFM:  (X[d] AND NOT(wt)) OR (ROR(src, R) AND wt)
 * opc = 11 is unallocated; N != sf, and sf = 0 with immr<5> or imms<5> set, are UNDEFINED.
 */
function bitfield(sf: number, opc: number, N: number, immr: number, imms: number, Rn: number, Rd: number): Exec | undefined {
  if (opc === 3) return undefined;
  if (N !== sf) return undefined;
  if (sf === 0 && (immr >= 32 || imms >= 32)) return undefined;
  const masks = decodeBitMasks(N, imms, immr, false, sf ? 64 : 32);
  if (masks === undefined) return undefined;
  const wtl = (masks[0] & masks[2]) >>> 0, wth = (masks[1] & masks[3]) >>> 0;
  const ntl = ~masks[2] >>> 0, nth = ~masks[3] >>> 0;
  const n = src(Rn, false) * 2;
  const d = dst(Rd, false) * 2;
  const S = imms;
  if (sf === 0) {
    const r = immr, l = 32 - immr;          // x << 32 is x << 0 in JS, and (s >>> 0) | (s << 0) = s for R = 0
    switch (opc) {
      case 2: return (pe: PE) => {
        const x = pe.x; const s = x[n];
        x[d] = ((s >>> r) | (s << l)) & wtl; x[d + 1] = 0;
        return Flow.Next;
      };
      case 0: return (pe: PE) => {
        const x = pe.x; const s = x[n];
        x[d] = (((s >>> r) | (s << l)) & wtl) | (-((s >>> S) & 1) & ntl); x[d + 1] = 0;
        return Flow.Next;
      };
      default: return (pe: PE) => {
        const x = pe.x; const s = x[n];
        x[d] = (x[d] & ~wtl) | (((s >>> r) | (s << l)) & wtl); x[d + 1] = 0;
        return Flow.Next;
      };
    }
  }
  // 64-bit: ROR by R on halves. For R >= 32 the halves swap; a = the half that ends up low.
  const a = n + (immr >= 32 ? 1 : 0), b = n + (immr >= 32 ? 0 : 1);
  const r = immr & 31, l = 31 - r;         // (v << (31 - r)) << 1 is v << (32 - r), and 0 for r = 0
  const sIdx = n + (S >= 32 ? 1 : 0), sBit = S & 31;
  switch (opc) {
    case 2: return (pe: PE) => {
      const x = pe.x; const sl = x[a], sh = x[b];
      x[d] = ((sl >>> r) | ((sh << l) << 1)) & wtl;
      x[d + 1] = ((sh >>> r) | ((sl << l) << 1)) & wth;
      return Flow.Next;
    };
    case 0: return (pe: PE) => {
      const x = pe.x; const sl = x[a], sh = x[b];
      const sign = -((x[sIdx] >>> sBit) & 1);
      x[d] = (((sl >>> r) | ((sh << l) << 1)) & wtl) | (sign & ntl);
      x[d + 1] = (((sh >>> r) | ((sl << l) << 1)) & wth) | (sign & nth);
      return Flow.Next;
    };
    default: return (pe: PE) => {
      const x = pe.x; const sl = x[a], sh = x[b];
      x[d] = (x[d] & ~wtl) | (((sl >>> r) | ((sh << l) << 1)) & wtl);
      x[d + 1] = (x[d + 1] & ~wth) | (((sh >>> r) | ((sl << l) << 1)) & wth);
      return Flow.Next;
    };
  }
}

// ---------------------------------------------------------------- Extract

/**
 * EXTR (ROR (immediate) when Rn = Rm): X[d] = (X[n]:X[m])<lsb + datasize - 1 : lsb>, lsb = imms.
 * op21 != 00 and o0 = 1 are unallocated; N != sf and sf = 0 with imms<5> = 1 are UNDEFINED.
 */
function extract(sf: number, op21: number, N: number, o0: number, Rm: number, imms: number, Rn: number, Rd: number): Exec | undefined {
  if (op21 !== 0 || o0 !== 0) return undefined;
  if (N !== sf) return undefined;
  if (sf === 0 && imms >= 32) return undefined;
  const n = src(Rn, false) * 2, m = src(Rm, false) * 2;
  const d = dst(Rd, false) * 2;
  if (sf === 0) {
    const r = imms, l = 31 - imms;
    return (pe: PE) => {
      const x = pe.x;
      x[d] = (x[m] >>> r) | ((x[n] << l) << 1); x[d + 1] = 0;
      return Flow.Next;
    };
  }
  // The 128-bit value n:m as four words w3:w2:w1:w0 = nh:nl:mh:ml; the result starts at word
  // lsb/32: for lsb < 32 it is (mh:ml) >> lsb with nl's bits, for lsb >= 32 (nl:mh) >> (lsb-32) with nh's.
  const w0 = imms >= 32 ? m + 1 : m;
  const w1 = imms >= 32 ? n : m + 1;
  const w2 = imms >= 32 ? n + 1 : n;
  const r = imms & 31, l = 31 - r;
  return (pe: PE) => {
    const x = pe.x;
    const v0 = x[w0], v1 = x[w1], v2 = x[w2];
    x[d] = (v0 >>> r) | ((v1 << l) << 1);
    x[d + 1] = (v1 >>> r) | ((v2 << l) << 1);
    return Flow.Next;
  };
}
