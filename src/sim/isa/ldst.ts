// Loads and stores (DDI0487 C4.1.88 "Loads and Stores", op0 = x1x0): the encoding table of
// the load/store group, assembled from one file per family:
//   ldst-single.ts  single register: immediate (unsigned, unscaled, pre/post-index),
//                   unprivileged, register offset, literal, PRFM — GPR and SIMD&FP
//   ldst-pair.ts    LDP/STP/LDPSW/LDNP/STNP, GPR and SIMD&FP
//   ldst-excl.ts    exclusives, LDAR/STLR, LDAPR, FEAT_LSE atomics and CAS/CASP
//   ldst-common.ts  address arithmetic, transfers, ISS, physical-access helpers
// Classes not implemented stay in the table with the reason, and decode as UNDEFINED.
import type { Encoding } from '../decode';
import { LDST_SINGLE } from './ldst-single';
import { LDST_PAIR } from './ldst-pair';
import { LDST_EXCL } from './ldst-excl';

const UNIMPLEMENTED: Encoding[] = [
  // Advanced SIMD structure loads/stores (LD1-LD4, ST1-ST4, LD1R-LD4R) are in simd-ldst.ts.
  // FEAT_MTE is not implemented (ID_AA64PFR1_EL1.MTE = 0): LDG/STG/STZG/ST2G/STZ2G/LDGM/STGM.
  { name: 'Load/store memory tags', mask: 0xff200000, value: 0xd9200000, decode: () => undefined },
];

export const LDST: Encoding[] = [...LDST_EXCL, ...LDST_PAIR, ...LDST_SINGLE, ...UNIMPLEMENTED];
