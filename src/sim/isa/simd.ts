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
//   simd-fpcore.ts  exact FP arithmetic and FPRound(); simd-common.ts  scratch and helpers
// The SIMD&FP single-register and pair loads/stores are in ldst-single.ts / ldst-pair.ts.
// Everything else in these groups is left to the decoder's default: UNDEFINED.
import type { Encoding } from '../decode';
import { SIMD_LDST } from './simd-ldst';
import { SIMD_MOVE } from './simd-move';
import { SIMD_FP } from './simd-fp';
import { SIMD_FPVEC } from './simd-fpvec';
import { SIMD_INT } from './simd-int';

/** Classes deliberately not implemented (UNDEFINED), listed so that the table says why. */
const UNIMPLEMENTED: Encoding[] = [
  // FEAT_AES/FEAT_SHA1/FEAT_SHA256: not implemented yet (compilers emit them only for intrinsics).
  { name: 'Cryptographic AES', mask: 0xff3e0c00, value: 0x4e280800, decode: () => undefined },
  { name: 'Cryptographic three-register SHA', mask: 0xff208c00, value: 0x5e000000, decode: () => undefined },
  { name: 'Cryptographic two-register SHA', mask: 0xff3e0c00, value: 0x5e280800, decode: () => undefined },
  // Widening/narrowing arithmetic (SADDL, UMULL, ADDHN, PMULL ...): not implemented yet.
  { name: 'Advanced SIMD three different', mask: 0x9f200c00, value: 0x0e200000, decode: () => undefined },
  { name: 'Advanced SIMD scalar three different', mask: 0xdf200c00, value: 0x5e200000, decode: () => undefined },
  // Integer by-element multiplies (MUL/MLA by element, SQDMULH ...): not implemented yet (the FP
  // opcodes FMLA/FMLS/FMUL/FMULX are in simd-fpvec.ts, listed before these).
  { name: 'Advanced SIMD vector x indexed element', mask: 0x9f000400, value: 0x0f000000, decode: () => undefined },
  { name: 'Advanced SIMD scalar x indexed element', mask: 0xdf000400, value: 0x5f000000, decode: () => undefined },
];

// SIMD_FPVEC's records are narrower than the integer classes that contain them (and than the
// by-element entries below) and come first: the decoder takes the first record that matches.
export const SIMD: Encoding[] = [...SIMD_LDST, ...SIMD_MOVE, ...SIMD_FP, ...SIMD_FPVEC, ...SIMD_INT, ...UNIMPLEMENTED];
