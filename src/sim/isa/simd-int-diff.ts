// Advanced SIMD three different (0 Q U 01110 size 1 Rm opcode 00 Rn Rd) and scalar three
// different (01 U 11110 size 1 Rm opcode 00 Rn Rd), DDI0487 J.a C4.1.95 and the C7.2 pages:
//   long   SADDL/UADDL, SSUBL/USUBL, SABAL/UABAL, SABDL/UABDL, SMLAL/UMLAL, SMLSL/UMLSL,
//          SMULL/UMULL, SQDMLAL, SQDMLSL, SQDMULL (vector and scalar), PMULL (8-bit lanes)
//   wide   SADDW/UADDW, SSUBW/USUBW
//   narrow ADDHN/RADDHN, SUBHN/RSUBHN
// The "2" forms (Q = 1) take their narrow operands from, or write their narrow result to, the
// upper half (Vpart[n, 1]). PMULL with size = 11 (1Q <- 1D, FEAT_PMULL) is a separate record
// (simd.ts) and stays UNDEFINED here.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { RES, absInt as abs, begin, lane, polyMul, satQ, sqdmull as dmull, writeLanes, type LaneOp } from './simd-lanes';

const enum K { Long, Wide, Narrow }

interface DiffForm { kind: K; fn: LaneOp; acc: boolean; signed: boolean }

/** Forms by U:opcode; `bits` passed to fn is the narrow element size. */
function diffForm(U: number, opcode: number): DiffForm | null {
  const s = U === 0;
  const L = (fn: DiffForm['fn'], acc = false): DiffForm => ({ kind: K.Long, fn, acc, signed: s });
  switch (opcode) {
    case 0b0000: return L((a, b) => a + b);
    case 0b0001: return { kind: K.Wide, fn: (a, b) => a + b, acc: false, signed: s };
    case 0b0010: return L((a, b) => a - b);
    case 0b0011: return { kind: K.Wide, fn: (a, b) => a - b, acc: false, signed: s };
    case 0b0100: return { kind: K.Narrow, fn: (a, b, _d, n) => (a + b + (U ? 1n << BigInt(n - 1) : 0n)) >> BigInt(n), acc: false, signed: false };
    case 0b0101: return L((a, b, d) => d + abs(a - b), true);
    case 0b0110: return { kind: K.Narrow, fn: (a, b, _d, n) => (a - b + (U ? 1n << BigInt(n - 1) : 0n)) >> BigInt(n), acc: false, signed: false };
    case 0b0111: return L((a, b) => abs(a - b));
    case 0b1000: return L((a, b, d) => d + a * b, true);
    case 0b1010: return L((a, b, d) => d - a * b, true);
    case 0b1100: return L((a, b) => a * b);
    // SQDMLAL/SQDMLSL: both the product and the accumulation saturate (SignedSatQ twice).
    case 0b1001: return U ? null : L((a, b, d, n) => satQ(d + dmull(a, b, n), 2 * n, false), true);
    case 0b1011: return U ? null : L((a, b, d, n) => satQ(d - dmull(a, b, n), 2 * n, false), true);
    case 0b1101: return U ? null : L((a, b, _d, n) => dmull(a, b, n));
    case 0b1110: return U ? null : { kind: K.Long, fn: (a, b, _d, n) => polyMul(Number(a), Number(b), n), acc: false, signed: false };
    default: return null;
  }
}

function diffDecode(w: number): Exec | undefined {
  const scalar = ((w >>> 28) & 1) === 1;
  const Q = scalar ? 0 : (w >>> 30) & 1, U = (w >>> 29) & 1, size = (w >>> 22) & 3, opcode = (w >>> 12) & 15;
  const d = w & 31, n = (w >>> 5) & 31, m = (w >>> 16) & 31;
  const form = diffForm(U, opcode);
  if (!form || size === 3) return undefined;
  const sqd = opcode === 0b1001 || opcode === 0b1011 || opcode === 0b1101;
  if (sqd && size === 0) return undefined;                          // SQDMxxL: H and S sources only
  if (scalar && !sqd) return undefined;                             // the scalar class has only SQDMxxL
  if (opcode === 0b1110 && size !== 0) return undefined;            // PMULL: 8-bit (size 11 is FEAT_PMULL)
  const bits = 8 << size, count = scalar ? 1 : 64 / bits, part = Q * count;
  const { kind, fn, acc, signed } = form;
  return (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    begin();
    for (let e = 0; e < count; e++) {
      if (kind === K.Narrow) {
        RES[e] = fn(lane(pe, n, 2 * bits, e, false), lane(pe, m, 2 * bits, e, false), 0n, bits);
      } else {
        const a = kind === K.Wide ? lane(pe, n, 2 * bits, e, signed) : lane(pe, n, bits, part + e, signed);
        RES[e] = fn(a, lane(pe, m, bits, part + e, signed), acc ? lane(pe, d, 2 * bits, e, true) : 0n, bits);
      }
    }
    if (kind === K.Narrow) writeLanes(pe, d, bits, count, part, Q === 1);
    else writeLanes(pe, d, 2 * bits, count, 0, false);
    return Flow.Next;
  };
}

export const SIMD_INT_DIFF: Encoding[] = [
  // PMULL/PMULL2 with 64-bit lanes (size = 11, FEAT_PMULL) is simd-crypto.ts's narrower record,
  // listed before these in the decoder table.
  { name: 'Advanced SIMD three different', mask: 0x9f200c00, value: 0x0e200000, decode: diffDecode },
  { name: 'Advanced SIMD scalar three different', mask: 0xdf200c00, value: 0x5e200000, decode: diffDecode },
];
