// Advanced SIMD structure loads and stores (DDI0487 C4.1.88 "Advanced SIMD load/store multiple
// structures" and "... single structure", each with a post-indexed form): LD1-LD4/ST1-ST4 of
// 1-4 registers, single lanes, and the replicating LD1R-LD4R. Semantics from the shared
// pseudocode of C6.2/C7.2 LD1 (multiple structures) and LD1 (single structure).
//
// The registers taking part (t, t+1, ... modulo 32) are copied into the scratch BLOCK, the
// elements move between memory and the block one access per element (so SCTLR_ELx.A checks
// the element size, as the architecture requires), and loaded registers are written back only
// after every access succeeded: a faulting instruction leaves the register file unchanged
// (the architecture leaves it UNKNOWN, so we choose the simplest rule). The base writeback
// follows the accesses. Fast path: LD1/ST1 (one structure element) at an 8-byte aligned
// address moves 8 bytes per access, which cannot fault differently.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { src } from './common';
import { EA, addOff } from './ldst-common';
import { BLOCK, U16, U8, W32 } from './simd-common';

/** Byte offset of the block in the scratch buffer, and the register stride in bytes. */
const B0 = BLOCK * 4;

function readElem(pe: PE, lo: number, hi: number, ebytes: number, at: number): void {
  // `at` is the byte offset in the scratch buffer.
  switch (ebytes) {
    case 1: U8[at] = pe.read(lo, hi, 1, 0); break;
    case 2: U16[at >>> 1] = pe.read(lo, hi, 2, 0); break;
    case 4: W32[at >>> 2] = pe.read(lo, hi, 4, 0); break;
    default: { const l = pe.read64(lo, hi, 0); W32[at >>> 2] = l; W32[(at >>> 2) + 1] = pe.rhi; break; }
  }
}

function writeElem(pe: PE, lo: number, hi: number, ebytes: number, at: number): void {
  switch (ebytes) {
    case 1: pe.write(lo, hi, 1, U8[at], 0); break;
    case 2: pe.write(lo, hi, 2, U16[at >>> 1], 0); break;
    case 4: pe.write(lo, hi, 4, W32[at >>> 2], 0); break;
    default: pe.write64(lo, hi, W32[at >>> 2], W32[(at >>> 2) + 1], 0); break;
  }
}

function blockIn(pe: PE, t: number, regs: number): void {
  const v = pe.v;
  for (let i = 0; i < regs; i++) {
    const s = ((t + i) & 31) << 2, d = BLOCK + (i << 2);
    W32[d] = v[s]; W32[d + 1] = v[s + 1]; W32[d + 2] = v[s + 2]; W32[d + 3] = v[s + 3];
  }
}

/** Writes the block back to V[t..t+regs-1]; q = 0 zeroes bits [127:64]. */
function blockOut(pe: PE, t: number, regs: number, q: number): void {
  const v = pe.v;
  for (let i = 0; i < regs; i++) {
    const d = ((t + i) & 31) << 2, s = BLOCK + (i << 2);
    v[d] = W32[s]; v[d + 1] = W32[s + 1];
    if (q) { v[d + 2] = W32[s + 2]; v[d + 3] = W32[s + 3]; } else { v[d + 2] = 0; v[d + 3] = 0; }
  }
}

/**
 * Base writeback of the post-indexed forms: Rm = 31 adds the immediate (the bytes
 * transferred), otherwise X[m]. m2 < 0: no writeback.
 */
function writeback(pe: PE, n2: number, lo: number, hi: number, m2: number, imm: number): void {
  if (m2 < 0) return;
  if (m2 === 62) {      // Rm = 31: immediate
    pe.x[n2] = addOff(lo, hi, imm); pe.x[n2 + 1] = EA.hi;
    return;
  }
  const s = lo + pe.x[m2];
  pe.x[n2] = s >>> 0;
  pe.x[n2 + 1] = (hi + pe.x[m2 + 1] + (s > 0xffffffff ? 1 : 0)) >>> 0;
}

// ---------------------------------------------------------------- multiple structures

/**
 * AdvSIMD load/store multiple structures (and post-indexed): 0 Q 0011001 L 0 Rm opcode size Rn Rt
 * (bit 23 = 1 and Rm for the post-indexed class). opcode gives (rpt, selem): 0000 LD4/ST4,
 * 0010 LD1/ST1 x4, 0100 LD3/ST3, 0110 LD1/ST1 x3, 0111 LD1/ST1 x1, 1000 LD2/ST2, 1010 LD1/ST1 x2.
 */
function advsimdLdstMultDecode(w: number): Exec | undefined {
  const Q = (w >>> 30) & 1, L = (w >>> 22) & 1, post = (w >>> 23) & 1, Rm = (w >>> 16) & 31;
  const opcode = (w >>> 12) & 15, size = (w >>> 10) & 3, Rn = (w >>> 5) & 31, Rt = w & 31;
  let rpt: number, selem: number;
  switch (opcode) {
    case 0: rpt = 1; selem = 4; break;
    case 2: rpt = 4; selem = 1; break;
    case 4: rpt = 1; selem = 3; break;
    case 6: rpt = 3; selem = 1; break;
    case 7: rpt = 1; selem = 1; break;
    case 8: rpt = 1; selem = 2; break;
    case 10: rpt = 2; selem = 1; break;
    default: return undefined;
  }
  if (size === 3 && Q === 0 && selem !== 1) return undefined;   // ReservedValue()
  const ebytes = 1 << size, elements = (Q ? 16 : 8) >>> size, regs = rpt * selem;
  const total = (Q ? 16 : 8) * regs;
  const n2 = src(Rn, true) * 2;
  const m2 = post ? Rm * 2 : -1;
  if (!post && Rm !== 0) return undefined;
  const half = Q ? 16 : 8;
  return (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const blo = pe.x[n2], bhi = pe.x[n2 + 1];
    let lo = blo, hi = bhi;
    if (L) {
      if (selem === 1 && (lo & 7) === 0) {
        for (let i = 0; i < regs; i++) {
          for (let b = 0; b < half; b += 8) {
            const l = pe.read64(lo, hi, 0), w2 = (B0 + (i << 4) + b) >>> 2;
            W32[w2] = l; W32[w2 + 1] = pe.rhi;
            lo = addOff(lo, hi, 8); hi = EA.hi;
          }
        }
      } else {
        for (let r = 0; r < rpt; r++) {
          for (let e = 0; e < elements; e++) {
            for (let s = 0; s < selem; s++) {
              readElem(pe, lo, hi, ebytes, B0 + ((r + s) << 4) + e * ebytes);
              lo = addOff(lo, hi, ebytes); hi = EA.hi;
            }
          }
        }
      }
      blockOut(pe, Rt, regs, Q);
    } else {
      blockIn(pe, Rt, regs);
      if (selem === 1 && (lo & 7) === 0) {
        for (let i = 0; i < regs; i++) {
          for (let b = 0; b < half; b += 8) {
            const w2 = (B0 + (i << 4) + b) >>> 2;
            pe.write64(lo, hi, W32[w2], W32[w2 + 1], 0);
            lo = addOff(lo, hi, 8); hi = EA.hi;
          }
        }
      } else {
        for (let r = 0; r < rpt; r++) {
          for (let e = 0; e < elements; e++) {
            for (let s = 0; s < selem; s++) {
              writeElem(pe, lo, hi, ebytes, B0 + ((r + s) << 4) + e * ebytes);
              lo = addOff(lo, hi, ebytes); hi = EA.hi;
            }
          }
        }
      }
    }
    writeback(pe, n2, blo, bhi, m2, total);
    return Flow.Next;
  };
}

// ---------------------------------------------------------------- single structure

/**
 * AdvSIMD load/store single structure (and post-indexed): 0 Q 0011011 L R Rm opcode S size Rn Rt.
 * scale = opcode<2:1>, selem = opcode<0>:R + 1; scale 3 is the replicating load (LDnR), else
 * the lane index is built from Q:S:size as in the pseudocode's decode.
 */
function advsimdLdstSingleDecode(w: number): Exec | undefined {
  const Q = (w >>> 30) & 1, L = (w >>> 22) & 1, R = (w >>> 21) & 1, post = (w >>> 23) & 1, Rm = (w >>> 16) & 31;
  const opcode = (w >>> 13) & 7, S = (w >>> 12) & 1, size = (w >>> 10) & 3, Rn = (w >>> 5) & 31, Rt = w & 31;
  if (!post && Rm !== 0) return undefined;
  let scale = opcode >>> 1;
  const selem = (((opcode & 1) << 1) | R) + 1;
  let replicate = false;
  let index = 0;
  switch (scale) {
    case 3:
      if (L === 0 || S === 1) return undefined;
      scale = size;
      replicate = true;
      break;
    case 0: index = (Q << 3) | (S << 2) | size; break;
    case 1:
      if (size & 1) return undefined;
      index = (Q << 2) | (S << 1) | (size >>> 1);
      break;
    default:
      if (size & 2) return undefined;
      if ((size & 1) === 0) index = (Q << 1) | S;
      else {
        if (S) return undefined;
        index = Q;
        scale = 3;
      }
  }
  const ebytes = 1 << scale;
  const n2 = src(Rn, true) * 2;
  const m2 = post ? Rm * 2 : -1;
  const total = selem * ebytes;
  if (replicate) {
    const elements = (Q ? 16 : 8) >>> scale;
    return (pe: PE) => {
      if (pe.fpTrapped()) return Flow.Stop;
      const blo = pe.x[n2], bhi = pe.x[n2 + 1];
      let lo = blo, hi = bhi;
      for (let s = 0; s < selem; s++) {
        const at = B0 + (s << 4);
        readElem(pe, lo, hi, ebytes, at);
        for (let e = 1; e < elements; e++) U8.copyWithin(at + e * ebytes, at, at + ebytes);
        lo = addOff(lo, hi, ebytes); hi = EA.hi;
      }
      blockOut(pe, Rt, selem, Q);
      writeback(pe, n2, blo, bhi, m2, total);
      return Flow.Next;
    };
  }
  const off = index * ebytes;
  return (pe: PE) => {
    if (pe.fpTrapped()) return Flow.Stop;
    const blo = pe.x[n2], bhi = pe.x[n2 + 1];
    let lo = blo, hi = bhi;
    blockIn(pe, Rt, selem);
    for (let s = 0; s < selem; s++) {
      if (L) readElem(pe, lo, hi, ebytes, B0 + (s << 4) + off);
      else writeElem(pe, lo, hi, ebytes, B0 + (s << 4) + off);
      lo = addOff(lo, hi, ebytes); hi = EA.hi;
    }
    if (L) blockOut(pe, Rt, selem, 1);
    writeback(pe, n2, blo, bhi, m2, total);
    return Flow.Next;
  };
}

export const SIMD_LDST: Encoding[] = [
  { name: 'Advanced SIMD load/store multiple structures', mask: 0xbfbf0000, value: 0x0c000000, decode: advsimdLdstMultDecode },
  { name: 'Advanced SIMD load/store multiple structures (post-indexed)', mask: 0xbfa00000, value: 0x0c800000, decode: advsimdLdstMultDecode },
  { name: 'Advanced SIMD load/store single structure', mask: 0xbf9f0000, value: 0x0d000000, decode: advsimdLdstSingleDecode },
  { name: 'Advanced SIMD load/store single structure (post-indexed)', mask: 0xbf800000, value: 0x0d800000, decode: advsimdLdstSingleDecode },
];
