// Advanced SIMD vector x indexed element (0 Q U 01111 size L M Rm opcode H 0 Rn Rd) and scalar
// x indexed element (01 U 11111 size L M Rm opcode H 0 Rn Rd), integer opcodes (DDI0487 J.a
// C4.1.95, C7.2 "(by element)" pages):
//   MUL, MLA, MLS; SMULL/UMULL, SMLAL/UMLAL, SMLSL/UMLSL (and "2"); SQDMULL, SQDMLAL, SQDMLSL
//   (vector "2" and scalar); SQDMULH, SQRDMULH (vector and scalar); SQRDMLAH, SQRDMLSH
//   (FEAT_RDM); SDOT/UDOT (FEAT_DotProd).
// The index: H:L:M with Vm = V0-V15 for 16-bit elements, H:L with Vm = M:Rm for 32-bit ones.
// The floating-point opcodes (0001, 0101, 1001) belong to the FP by-element
// records: the integer records below match only the integer opcodes, so the two sets can be
// listed in any order.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { RES, begin, lane, satQ, sqdmulh, sqdmull as dmull, sqrdmlah, writeLanes, type LaneOp as Fn } from './simd-lanes';
import { execDot } from './simd-int-sat';

interface ElemForm { fn: Fn; long: boolean; acc: boolean; signed: boolean; scalarOk: boolean; rdm?: boolean }

function elemForm(U: number, opcode: number): ElemForm | null {
  const s = U === 0;
  switch (opcode) {
    case 0b0000: return U ? { fn: (a, b, d) => d + a * b, long: false, acc: true, signed: false, scalarOk: false } : null;     // MLA
    case 0b0100: return U ? { fn: (a, b, d) => d - a * b, long: false, acc: true, signed: false, scalarOk: false } : null;     // MLS
    case 0b1000: return U ? null : { fn: (a, b) => a * b, long: false, acc: false, signed: false, scalarOk: false };           // MUL
    case 0b0010: return { fn: (a, b, d) => d + a * b, long: true, acc: true, signed: s, scalarOk: false };                    // [SU]MLAL
    case 0b0110: return { fn: (a, b, d) => d - a * b, long: true, acc: true, signed: s, scalarOk: false };                    // [SU]MLSL
    case 0b1010: return { fn: (a, b) => a * b, long: true, acc: false, signed: s, scalarOk: false };                          // [SU]MULL
    case 0b0011: return U ? null : { fn: (a, b, d, n) => satQ(d + dmull(a, b, n), 2 * n, false), long: true, acc: true, signed: true, scalarOk: true };
    case 0b0111: return U ? null : { fn: (a, b, d, n) => satQ(d - dmull(a, b, n), 2 * n, false), long: true, acc: true, signed: true, scalarOk: true };
    case 0b1011: return U ? null : { fn: (a, b, _d, n) => dmull(a, b, n), long: true, acc: false, signed: true, scalarOk: true };
    case 0b1100: return U ? null : { fn: sqdmulh(false), long: false, acc: false, signed: true, scalarOk: true };               // SQDMULH
    case 0b1101: return U ? { fn: sqrdmlah(false), long: false, acc: true, signed: true, scalarOk: true, rdm: true }            // SQRDMLAH
      : { fn: sqdmulh(true), long: false, acc: false, signed: true, scalarOk: true };                                          // SQRDMULH
    case 0b1111: return U ? { fn: sqrdmlah(true), long: false, acc: true, signed: true, scalarOk: true, rdm: true } : null;     // SQRDMLSH
    default: return null;
  }
}

function elemDecode(w: number): Exec | undefined {
  const scalar = ((w >>> 28) & 1) === 1;
  const Q = scalar ? 0 : (w >>> 30) & 1, U = (w >>> 29) & 1, size = (w >>> 22) & 3, opcode = (w >>> 12) & 15;
  const H = (w >>> 11) & 1, L = (w >>> 21) & 1, M = (w >>> 20) & 1, Rm4 = (w >>> 16) & 15;
  const d = w & 31, n = (w >>> 5) & 31;
  if (opcode === 0b1110) {   // SDOT/UDOT (by element): 32-bit group H:L of V(M:Rm)
    if (scalar || size !== 2) return undefined;
    return execDot(U === 0, Q, d, n, (M << 4) | Rm4, (H << 1) | L);
  }
  const form = elemForm(U, opcode);
  if (!form || (scalar && !form.scalarOk) || (size !== 1 && size !== 2)) return undefined;
  const bits = 8 << size;
  const idx = size === 1 ? (H << 2) | (L << 1) | M : (H << 1) | L;
  const m = size === 1 ? Rm4 : (M << 4) | Rm4;
  const { fn, long, acc, signed, rdm } = form;
  // Long forms: 64 bits of Vpart[n, Q] in, 128 bits out; the others: Q selects 64 or 128 bits.
  const count = scalar ? 1 : long ? 64 / bits : (64 << Q) / bits, part = long ? Q * count : 0;
  const rbits = long ? 2 * bits : bits;
  return (pe: PE) => {
    if (rdm && !pe.features.rdm) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    begin();
    const b = lane(pe, m, bits, idx, signed);
    for (let e = 0; e < count; e++) {
      RES[e] = fn(lane(pe, n, bits, part + e, signed), b, acc ? lane(pe, d, rbits, e, true) : 0n, bits);
    }
    writeLanes(pe, d, rbits, count, 0, false);
    return Flow.Next;
  };
}

// Integer opcodes only (see the header): xxx0, xx11, 1101.
const VEC = 0x0f000000, VMASK = 0x9f000400, SCA = 0x5f000000, SMASK = 0xdf000400;
export const SIMD_INT_ELEM: Encoding[] = [
  { name: 'Advanced SIMD vector x indexed element (integer, opcode xxx0)', mask: VMASK | 0x1000, value: VEC, decode: elemDecode },
  { name: 'Advanced SIMD vector x indexed element (integer, opcode xx11)', mask: VMASK | 0x3000, value: VEC | 0x3000, decode: elemDecode },
  { name: 'Advanced SIMD vector x indexed element (integer, opcode 1101)', mask: VMASK | 0xf000, value: VEC | 0xd000, decode: elemDecode },
  { name: 'Advanced SIMD scalar x indexed element (integer, opcode xxx0)', mask: SMASK | 0x1000, value: SCA, decode: elemDecode },
  { name: 'Advanced SIMD scalar x indexed element (integer, opcode xx11)', mask: SMASK | 0x3000, value: SCA | 0x3000, decode: elemDecode },
  { name: 'Advanced SIMD scalar x indexed element (integer, opcode 1101)', mask: SMASK | 0xf000, value: SCA | 0xd000, decode: elemDecode },
];
