// Branches: unconditional immediate, conditional, compare-and-branch, test-and-branch,
// and unconditional register branches. DDI0487 C4.1.3 (Branches, Exception Generating
// and System instructions) / C6.2.
import { Flow } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import { TWO32 } from '../u64';
import { branchRel, condMask, condPass, link, sext, src } from './common';

export const BRANCH_SYS: Encoding[] = [
  {
    name: 'B / BL (immediate)', mask: 0x7c000000, value: 0x14000000,
    decode(w) {
      const off = sext(w & 0x3ffffff, 26) * 4;
      if (w & 0x80000000) return (pe: PE) => { link(pe); branchRel(pe, off); return Flow.Jump; };
      return (pe: PE) => { branchRel(pe, off); return Flow.Jump; };
    },
  },
  {
    name: 'B.cond', mask: 0xff000010, value: 0x54000000,
    decode(w) {
      const off = sext((w >>> 5) & 0x7ffff, 19) * 4;
      const mask = condMask(w & 0xf);
      return (pe: PE) => {
        if (!condPass(pe, mask)) return Flow.Next;
        branchRel(pe, off);
        return Flow.Jump;
      };
    },
  },
  {
    name: 'CBZ / CBNZ', mask: 0x7e000000, value: 0x34000000,
    decode(w) {
      const sf = w >>> 31;
      const nz = (w >>> 24) & 1;
      const off = sext((w >>> 5) & 0x7ffff, 19) * 4;
      const t = src(w & 31, false) * 2;
      return (pe: PE) => {
        const zero = sf ? (pe.x[t] | pe.x[t + 1]) === 0 : pe.x[t] === 0;
        if (zero === (nz === 1)) return Flow.Next;
        branchRel(pe, off);
        return Flow.Jump;
      };
    },
  },
  {
    name: 'TBZ / TBNZ', mask: 0x7e000000, value: 0x36000000,
    decode(w) {
      const bit = ((w >>> 31) << 5) | ((w >>> 19) & 31);
      const nz = (w >>> 24) & 1;
      const off = sext((w >>> 5) & 0x3fff, 14) * 4;
      const t = src(w & 31, false) * 2 + (bit >= 32 ? 1 : 0);
      const m = 1 << (bit & 31);
      return (pe: PE) => {
        const set = (pe.x[t] & m) !== 0;
        if (set !== (nz === 1)) return Flow.Next;
        branchRel(pe, off);
        return Flow.Jump;
      };
    },
  },
  {
    // BR, BLR, RET (op = 00, 01, 10); pointer-authentication variants are unallocated here.
    name: 'BR / BLR / RET', mask: 0xff9ffc1f, value: 0xd61f0000,
    decode(w) {
      const op = (w >>> 21) & 3;
      if (op === 3) return undefined;
      const n = src((w >>> 5) & 31, false) * 2;
      if (op === 1) {
        return (pe: PE) => {
          const lo = pe.x[n], hi = pe.x[n + 1];  // read before the link write (BLR X30)
          const r = pe.pcLo + 4;
          pe.x[60] = r >>> 0;
          pe.x[61] = (pe.pcHi + (r >= TWO32 ? 1 : 0)) >>> 0;
          pe.pcLo = lo; pe.pcHi = hi;
          return Flow.Jump;
        };
      }
      return (pe: PE) => { pe.pcLo = pe.x[n]; pe.pcHi = pe.x[n + 1]; return Flow.Jump; };
    },
  },
];
