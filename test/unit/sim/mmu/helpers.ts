// Helpers for the MMU unit tests: a machine, system-register access by name, and a builder
// that writes translation tables (any granule, stage 1 or 2) into guest RAM.
import { Machine } from '../../../../src/sim/machine';
import type { PE } from '../../../../src/sim/pe';
import { sysregSlot } from '../../../../src/sim/sysregs';
import { ExceptionTaken } from '../../../../src/sim/exec';

export const RAM = 0x4000_0000;
const TWO32 = 4294967296;

export function machine(cpu = 'cortex-a57'): { m: Machine; pe: PE } {
  const m = new Machine({ memoryMiB: 256, cpu });
  const pe = m.pes[0];
  pe.reset(RAM, 0, 2);
  pe.sys[sysregSlot('HCR_EL2') * 2] = 0x80000000; // RW
  pe.updateRegime();
  return { m, pe };
}

/** Writes a system register (64-bit as a number or [lo, hi]) and refreshes derived state. */
export function setReg(pe: PE, name: string, v: number | [number, number]): void {
  const s = sysregSlot(name);
  if (s < 0) throw new Error(`no register ${name}`);
  const [lo, hi] = typeof v === 'number' ? [v % TWO32 >>> 0, Math.floor(v / TWO32) >>> 0] : v;
  pe.sys[2 * s] = lo >>> 0;
  pe.sys[2 * s + 1] = hi >>> 0;
  pe.updateRegime();
}

export function reg(pe: PE, name: string): number {
  const s = sysregSlot(name);
  return pe.sys[2 * s + 1] * TWO32 + pe.sys[2 * s];
}

export function regLo(pe: PE, name: string): number { return pe.sys[2 * sysregSlot(name)]; }

/** Sets the EL (SPSel=1) and refreshes the regime. */
export function atEL(pe: PE, el: number): void { pe.setElSp(el, el === 0 ? 0 : 1); }

/** Runs fn; returns true if it raised a guest exception. */
export function faults(fn: () => void): boolean {
  try { fn(); return false; } catch (e) { if (e instanceof ExceptionTaken) return true; throw e; }
}

export function w64(m: Machine, pa: number, v: number | [number, number]): void {
  const [lo, hi] = typeof v === 'number' ? [v % TWO32 >>> 0, Math.floor(v / TWO32) >>> 0] : v;
  m.mem.write(pa, 4, lo);
  m.mem.write(pa + 4, 4, hi);
}

// Descriptor bits.
export const VALID = 1, TABLE = 3, PAGE = 3, BLOCK = 1;
export const AF = 1 << 10;
export const AP_RW_EL1 = 0 << 6, AP_RW_ALL = 1 << 6, AP_RO_EL1 = 2 << 6, AP_RO_ALL = 3 << 6;
export const NG = 1 << 11;
export const SH_INNER = 3 << 8;
export const attrIndx = (i: number): number => i << 2;
// Upper attributes are in the high word: bit 54 → hi bit 22, 53 → 21; table bits 59..62 → 27..30.
export const HI_UXN = 1 << 22, HI_PXN = 1 << 21;
export const HI_PXNTABLE = 1 << 27, HI_XNTABLE = 1 << 28, HI_APTABLE0 = 1 << 29, HI_APTABLE1 = 1 << 30;
// Stage 2: S2AP bits 7:6 (01 read, 10 write), MemAttr bits 5:2.
export const S2AP_R = 1 << 6, S2AP_W = 2 << 6, S2AP_RW = 3 << 6;
export const MEMATTR_NORMAL_WB = 0xf << 2, MEMATTR_DEVICE = 0x1 << 2;

export interface MapOpts {
  /** log2 granule: 12, 14 or 16. */
  g?: number;
  /** Input address size in bits. */
  inBits: number;
  /** Level of the leaf (block or page). */
  leaf: number;
  /** Low word attribute bits of the leaf (default AF | inner shareable). */
  lo?: number;
  /** High word bits of the leaf. */
  hi?: number;
  /** High word bits to put in every table descriptor on the way. */
  tableHi?: number;
  /** Start level override (stage 2 with concatenation). */
  start?: number;
}

/** A bump allocator of zeroed tables in RAM and a mapper. */
export class Tables {
  next: number;
  constructor(readonly m: Machine, base = 0x4800_0000) { this.next = base; }

  alloc(bytes: number, align = bytes): number {
    this.next = Math.ceil(this.next / align) * align;
    const a = this.next;
    this.next += bytes;
    for (let i = 0; i < bytes; i += 4) this.m.mem.write(a + i, 4, 0);
    return a;
  }

  /** A root table of 2^rootBits entries. */
  root(o: { g?: number; inBits: number; start?: number }): number {
    const g = o.g ?? 12;
    const stride = g - 3;
    const start = o.start ?? 4 - Math.ceil((o.inBits - g) / stride);
    const bits = o.inBits - (g + (3 - start) * stride);
    return this.alloc(8 << bits, Math.max(8 << bits, 64));
  }

  /** Maps `ia` → `oa` with a leaf at `o.leaf`, creating tables as needed; returns the leaf's address. */
  map(root: number, ia: number, oa: number, o: MapOpts): number {
    const g = o.g ?? 12;
    const stride = g - 3;
    const start = o.start ?? 4 - Math.ceil((o.inBits - g) / stride);
    let table = root;
    for (let level = start; ; level++) {
      const lsb = g + (3 - level) * stride;
      const nbits = level === start ? o.inBits - lsb : stride;
      const idx = Math.floor(ia / 2 ** lsb) % 2 ** nbits;
      const da = table + idx * 8;
      if (level === o.leaf) {
        const lo = ((oa % TWO32) & ~(2 ** Math.min(lsb, 31) - 1 | 0xfff)) | (o.lo ?? (AF | SH_INNER)) | (level === 3 ? PAGE : BLOCK);
        w64(this.m, da, [lo >>> 0, (Math.floor(oa / TWO32) | (o.hi ?? 0)) >>> 0]);
        return da;
      }
      const dlo = this.m.mem.read(da, 4), dhi = this.m.mem.read(da + 4, 4);
      if ((dlo & 3) === 3) {
        table = (dhi & 0xffff) * TWO32 + (dlo & ~(2 ** g - 1));
      } else {
        const t = this.alloc(2 ** g);
        w64(this.m, da, [(t % TWO32 | TABLE) >>> 0, (Math.floor(t / TWO32) | (o.tableHi ?? 0)) >>> 0]);
        table = t;
      }
    }
  }
}

export const hex = (n: number): string => `0x${n.toString(16)}`;
