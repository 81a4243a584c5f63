// SIMD&FP instructions (DDI0487 C4.1.88 AdvSIMD structure loads/stores and C4.1.96 "Data
// Processing -- Scalar Floating-Point and Advanced SIMD"), assembled from one file per family:
//   simd-ldst.ts    LD1-LD4/ST1-ST4 (multiple and single structure), LD1R-LD4R, post-index
//   simd-move.ts    DUP, INS, UMOV, SMOV, MOVI/MVNI/ORR/BIC (immediate), FMOV (vector, imm)
//   simd-fp.ts      scalar FP: FMOV (general/register/immediate), arithmetic, fused
//                   multiply-add, compare, select, conversions, FRINT*
//   simd-fpvec.ts   AdvSIMD floating point, vector and scalar: three same, two-register misc,
//                   across lanes, pairwise, fixed-point shifts, by element (FMLA/FMLS/FMUL/FMULX)
//   simd-int.ts     AdvSIMD integer: three same, two-register misc, across lanes, shifts by
//                   immediate, permute, extract, table lookup
//   simd-int-sat.ts the rest of those classes: saturating/rounding shifts, halving, SQDMULH,
//                   saturating narrows, RDM and DotProd (three same extra)
//   simd-int-diff.ts three different (long, wide, narrow; SQDMLAL ...; PMULL 8-bit)
//   simd-int-elem.ts integer by-element multiplies (MUL ... SQRDMLAH, SDOT/UDOT)
//   simd-lanes.ts   exact (BigInt) lanes and saturation for the three above
//   simd-crypto.ts  the Cryptographic Extension (AES, SHA-1, SHA-256, SHA-512, SHA-3) and
//                   PMULL/PMULL2 .1Q
//   simd-fpcore.ts  exact FP arithmetic and FPRound(); simd-common.ts  scratch and helpers
// The SIMD&FP single-register and pair loads/stores are in ldst-single.ts / ldst-pair.ts.
// Everything else in these groups is left to the decoder's default: UNDEFINED.
import type { Encoding } from '../decode';
import { SIMD_LDST } from './simd-ldst';
import { SIMD_MOVE } from './simd-move';
import { SIMD_FP } from './simd-fp';
import { SIMD_FPVEC } from './simd-fpvec';
import { SIMD_INT } from './simd-int';
import { SIMD_INT_SAT } from './simd-int-sat';
import { SIMD_INT_DIFF } from './simd-int-diff';
import { SIMD_INT_ELEM } from './simd-int-elem';
import { SIMD_CRYPTO } from './simd-crypto';

/** Classes deliberately not implemented (UNDEFINED), listed so that the table says why. */
const UNIMPLEMENTED: Encoding[] = [
  // By-element encodings that neither simd-fpvec.ts (FMLA/FMLS/FMUL/FMULX) nor simd-int-elem.ts
  // (the integer opcodes) match, e.g. FEAT_FHM FMLAL and FEAT_BF16: UNDEFINED.
  { name: 'Advanced SIMD vector x indexed element', mask: 0x9f000400, value: 0x0f000000, decode: () => undefined },
  { name: 'Advanced SIMD scalar x indexed element', mask: 0xdf000400, value: 0x5f000000, decode: () => undefined },
];

// SIMD_CRYPTO comes first: its PMULL .1Q record is one row of the "three different" class.
// SIMD_FPVEC's records are narrower than the integer classes that contain them (and than the
// by-element entries below) and come before them: the decoder takes the first record that matches.
export const SIMD: Encoding[] = [...SIMD_CRYPTO, ...SIMD_LDST, ...SIMD_MOVE, ...SIMD_FP, ...SIMD_FPVEC, ...SIMD_INT, ...SIMD_INT_SAT, ...SIMD_INT_DIFF, ...SIMD_INT_ELEM, ...UNIMPLEMENTED];
