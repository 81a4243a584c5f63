// Advanced SIMD moves (DDI0487 C4.1.95): "Advanced SIMD copy" (DUP element/general, INS
// element/general, SMOV, UMOV), "Advanced SIMD scalar copy" (DUP element, scalar) and
// "Advanced SIMD modified immediate" (MOVI, MVNI, ORR, BIC immediate, FMOV vector immediate).
// Pseudocode: C7.2 DUP, INS, SMOV, UMOV, MOVI, MVNI, ORR/BIC (vector, immediate), and
// shared/functions/vector/AdvSIMDExpandImm.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { dst, src } from './common';
import { elem, fp16Only, setElem } from './simd-common';

/** Replicates element `val` of 2^sz bytes (sz 0..2) to a 32-bit word. */
function repWord(val: number, sz: number): number {
  if (sz === 0) val = (val & 0xff) * 0x01010101;
  else if (sz === 1) val = (val & 0xffff) * 0x00010001;
  return val >>> 0;
}

/** Writes lo/hi to both 64-bit halves of V[d] (q = 1) or the low half with the upper zeroed. */
function writeRep(pe: PE, d4: number, lo: number, hi: number, q: number): void {
  const v = pe.v;
  v[d4] = lo; v[d4 + 1] = hi;
  if (q) { v[d4 + 2] = lo; v[d4 + 3] = hi; } else { v[d4 + 2] = 0; v[d4 + 3] = 0; }
}

/**
 * AdvSIMD copy: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd. size = LowestSetBit(imm5) (> 3 reserved).
 * op=0: imm4 0000 DUP (element), 0001 DUP (general), 0011 INS (general, Q=1), 0101 SMOV,
 * 0111 UMOV; op=1 (Q=1): INS (element) with index2 = imm4 >> size.
 */
function advsimdCopyDecode(w: number): Exec | undefined {
  const Q = (w >>> 30) & 1, op = (w >>> 29) & 1, imm5 = (w >>> 16) & 31, imm4 = (w >>> 11) & 15;
  const Rn = (w >>> 5) & 31, Rd = w & 31;
  const sz = imm5 & 1 ? 0 : imm5 & 2 ? 1 : imm5 & 4 ? 2 : imm5 & 8 ? 3 : 4;
  if (sz > 3) return undefined;
  const idx = imm5 >>> (sz + 1);
  const d4 = Rd << 2, n4 = Rn << 2;
  if (op === 1) {
    if (Q === 0) return undefined;
    // INS (element): V[d].elem[idx] = V[n].elem[imm4 >> sz]
    const idx2 = imm4 >>> sz;
    if (sz === 3) {
      return (pe: PE) => {
        if (pe.fpTrapped()) return Flow.Stop;
        const v = pe.v, s = n4 + 2 * idx2, t = d4 + 2 * idx;
        const lo = v[s], hi = v[s + 1];
        v[t] = lo; v[t + 1] = hi;
        return Flow.Next;
      };
    }
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      setElem(pe, Rd, sz, idx, elem(pe, Rn, sz, idx2));
      return Flow.Next;
    };
  }
  switch (imm4) {
    case 0: {
      // DUP (element)
      if (sz === 3 && Q === 0) return undefined;
      if (sz === 3) {
        return (pe: PE) => {
          if (pe.fpTrapped()) return Flow.Stop;
          const s = n4 + 2 * idx;
          writeRep(pe, d4, pe.v[s], pe.v[s + 1], 1);
          return Flow.Next;
        };
      }
      return (pe: PE) => {
        if (pe.fpTrapped()) return Flow.Stop;
        const r = repWord(elem(pe, Rn, sz, idx), sz);
        writeRep(pe, d4, r, r, Q);
        return Flow.Next;
      };
    }
    case 1: {
      // DUP (general): from W[n] (sz < 3) or X[n] (sz = 3, Q = 1)
      if (sz === 3 && Q === 0) return undefined;
      const n2 = src(Rn, false) * 2;
      if (sz === 3) {
        return (pe: PE) => {
          if (pe.fpTrapped()) return Flow.Stop;
          writeRep(pe, d4, pe.x[n2], pe.x[n2 + 1], 1);
          return Flow.Next;
        };
      }
      return (pe: PE) => {
        if (pe.fpTrapped()) return Flow.Stop;
        const r = repWord(pe.x[n2], sz);
        writeRep(pe, d4, r, r, Q);
        return Flow.Next;
      };
    }
    case 3: {
      // INS (general)
      if (Q === 0) return undefined;
      const n2 = src(Rn, false) * 2;
      if (sz === 3) {
        return (pe: PE) => {
          if (pe.fpTrapped()) return Flow.Stop;
          const t = d4 + 2 * idx;
          pe.v[t] = pe.x[n2]; pe.v[t + 1] = pe.x[n2 + 1];
          return Flow.Next;
        };
      }
      return (pe: PE) => {
        if (pe.fpTrapped()) return Flow.Stop;
        setElem(pe, Rd, sz, idx, pe.x[n2]);
        return Flow.Next;
      };
    }
    case 5: {
      // SMOV: sign-extend to W (Q = 0, sz 0..1) or X (Q = 1, sz 0..2)
      if (sz === 3 || (Q === 0 && sz === 2)) return undefined;
      const d2 = dst(Rd, false) * 2, sh = 32 - (8 << sz);
      return (pe: PE) => {
        if (pe.fpTrapped()) return Flow.Stop;
        const val = sz === 2 ? elem(pe, Rn, sz, idx) | 0 : (elem(pe, Rn, sz, idx) << sh) >> sh;
        pe.x[d2] = val >>> 0;
        pe.x[d2 + 1] = Q ? (val >> 31) >>> 0 : 0;
        return Flow.Next;
      };
    }
    case 7: {
      // UMOV: W (Q = 0, sz 0..2) or X (Q = 1, sz = 3)
      if ((Q === 1) !== (sz === 3)) return undefined;
      const d2 = dst(Rd, false) * 2;
      if (sz === 3) {
        return (pe: PE) => {
          if (pe.fpTrapped()) return Flow.Stop;
          const s = n4 + 2 * idx;
          pe.x[d2] = pe.v[s]; pe.x[d2 + 1] = pe.v[s + 1];
          return Flow.Next;
        };
      }
      return (pe: PE) => {
        if (pe.fpTrapped()) return Flow.Stop;
        pe.x[d2] = elem(pe, Rn, sz, idx); pe.x[d2 + 1] = 0;
        return Flow.Next;
      };
    }
    default: return undefined;
  }
}

/** AdvSIMD scalar copy: 01 op 11110000 imm5 0 imm4 1 Rn Rd; only op=0 imm4=0000, DUP (element) scalar. */
function advsimdScalarCopyDecode(w: number): Exec | undefined {
  const op = (w >>> 29) & 1, imm5 = (w >>> 16) & 31, imm4 = (w >>> 11) & 15, Rn = (w >>> 5) & 31, Rd = w & 31;
  if (op !== 0 || imm4 !== 0) return undefined;
  const sz = imm5 & 1 ? 0 : imm5 & 2 ? 1 : imm5 & 4 ? 2 : imm5 & 8 ? 3 : 4;
  if (sz > 3) return undefined;
  const idx = imm5 >>> (sz + 1), d4 = Rd << 2, n4 = Rn << 2;
  return (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const v = pe.v;
    let lo: number, hi = 0;
    if (sz === 3) { lo = v[n4 + 2 * idx]; hi = v[n4 + 2 * idx + 1]; } else lo = elem(pe, Rn, sz, idx);
    v[d4] = lo; v[d4 + 1] = hi; v[d4 + 2] = 0; v[d4 + 3] = 0;
    return Flow.Next;
  };
}

/**
 * AdvSIMDExpandImm(op, cmode, imm8) as [lo, hi] (decode time), or undefined when reserved
 * (cmode 1111 with op = 1 needs Q = 1: checked by the caller).
 */
export function advSimdExpandImm(op: number, cmode: number, imm8: number): [number, number] {
  let w: number;
  switch (cmode >>> 1) {
    case 0: w = imm8; break;
    case 1: w = imm8 << 8; break;
    case 2: w = imm8 << 16; break;
    case 3: w = imm8 << 24; break;
    case 4: w = imm8 * 0x00010001; break;
    case 5: w = (imm8 << 8) * 0x00010001; break;
    case 6: w = cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff; break;
    default:
      if ((cmode & 1) === 0) {
        if (op === 0) { w = imm8 * 0x01010101; break; }
        // Each bit of imm8 becomes a byte of ones or zeros.
        let lo = 0, hi = 0;
        for (let i = 0; i < 4; i++) {
          if (imm8 & (1 << i)) lo |= 0xff << (8 * i);
          if (imm8 & (1 << (i + 4))) hi |= 0xff << (8 * i);
        }
        return [lo >>> 0, hi >>> 0];
      }
      if (op === 0) {
        // imm8<7>:NOT(imm8<6>):Replicate(imm8<6>,5):imm8<5:0>:Zeros(19), twice
        const b6 = (imm8 >>> 6) & 1;
        w = ((imm8 >>> 7) << 31) | ((b6 ^ 1) << 30) | ((b6 ? 0x1f : 0) << 25) | ((imm8 & 0x3f) << 19);
        break;
      }
      {
        // imm8<7>:NOT(imm8<6>):Replicate(imm8<6>,8):imm8<5:0>:Zeros(48)
        const b6 = (imm8 >>> 6) & 1;
        const hi = ((imm8 >>> 7) << 31) | ((b6 ^ 1) << 30) | ((b6 ? 0xff : 0) << 22) | ((imm8 & 0x3f) << 16);
        return [0, hi >>> 0];
      }
  }
  return [w >>> 0, w >>> 0];
}

/**
 * AdvSIMD modified immediate: 0 Q op 0111100000 a b c cmode o2 1 d e f g h Rd. MOVI/MVNI
 * (cmode 0xx0, 10x0, 110x, 1110), ORR/BIC (cmode 0xx1, 10x1), FMOV (vector, immediate)
 * (cmode 1111; the half-precision form o2 = 1 is FEAT_FP16).
 */
function advsimdModifiedImmDecode(w: number): Exec | undefined {
  const Q = (w >>> 30) & 1, op = (w >>> 29) & 1, cmode = (w >>> 12) & 15, o2 = (w >>> 11) & 1, Rd = w & 31;
  const imm8 = (((w >>> 16) & 7) << 5) | ((w >>> 5) & 31);
  if (o2) {
    // FMOV (vector, immediate), half precision (FEAT_FP16): op = 0, cmode = 1111 only.
    if (op || cmode !== 15) return undefined;
    // VFPExpandImm for N = 16: sign : NOT(b6) : b6 b6 : imm8<5:0> : 000000
    const b6 = (imm8 >>> 6) & 1;
    const h = ((imm8 >>> 7) << 15) | ((b6 ^ 1) << 14) | ((b6 ? 3 : 0) << 12) | ((imm8 & 0x3f) << 6);
    const rep = ((h << 16) | h) >>> 0, d4h = Rd << 2;
    return fp16Only(true, (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      writeRep(pe, d4h, rep, rep, Q);
      return Flow.Next;
    });
  }
  if (cmode === 15 && op === 1 && Q === 0) return undefined;
  const [ilo, ihi] = advSimdExpandImm(op, cmode, imm8);
  const d4 = Rd << 2;
  const logical = cmode < 12 && (cmode & 1) === 1;
  if (!logical) {
    // MOVI, or MVNI (op = 1 for cmode < 14).
    const inv = op === 1 && cmode < 14;
    const lo = (inv ? ~ilo : ilo) >>> 0, hi = (inv ? ~ihi : ihi) >>> 0;
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      writeRep(pe, d4, lo, hi, Q);
      return Flow.Next;
    };
  }
  if (op === 0) {
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      const v = pe.v;
      v[d4] = (v[d4] | ilo) >>> 0; v[d4 + 1] = (v[d4 + 1] | ihi) >>> 0;
      if (Q) { v[d4 + 2] = (v[d4 + 2] | ilo) >>> 0; v[d4 + 3] = (v[d4 + 3] | ihi) >>> 0; } else { v[d4 + 2] = 0; v[d4 + 3] = 0; }
      return Flow.Next;
    };
  }
  return (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const v = pe.v;
    v[d4] = (v[d4] & ~ilo) >>> 0; v[d4 + 1] = (v[d4 + 1] & ~ihi) >>> 0;
    if (Q) { v[d4 + 2] = (v[d4 + 2] & ~ilo) >>> 0; v[d4 + 3] = (v[d4 + 3] & ~ihi) >>> 0; } else { v[d4 + 2] = 0; v[d4 + 3] = 0; }
    return Flow.Next;
  };
}

export const SIMD_MOVE: Encoding[] = [
  { name: 'Advanced SIMD copy', mask: 0x9fe08400, value: 0x0e000400, decode: advsimdCopyDecode },
  { name: 'Advanced SIMD scalar copy', mask: 0xdfe08400, value: 0x5e000400, decode: advsimdScalarCopyDecode },
  { name: 'Advanced SIMD modified immediate', mask: 0x9ff80400, value: 0x0f000400, decode: advsimdModifiedImmDecode },
];
