// GICv3 Distributor (GICD_*, IHI 0069 12.9) at 0x0800_0000, 64 KiB, with affinity routing always
// on and a single Security state (GICD_CTLR.ARE and DS read as one, as QEMU's virt board without
// secure=on). With ARE = 1 the registers for INTIDs 0..31 are RAZ/WI (they live in GICR_*).
import type { MmioDevice } from '../memory';
import type { IrqState } from './irq-state';
import { idRegister, mergeWrite, placeWrite, subword } from './mmio-util';

const CTLR_ARE = 1 << 4;
const CTLR_DS = 1 << 6;
/** PIDR4..CIDR3 from 0xFFD0 (ArchRev 3 in PIDR2 = 0x3b). */
const IDS = [0x44, 0, 0, 0, 0x92, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1];
/** IIDR: implementer Arm (0x43b), as QEMU. */
export const GICV3_IIDR = 0x43b;

type BitKind = 'group' | 'enable' | 'pending' | 'active';
const BIT_REGS: [number, BitKind, 'set' | 'clear' | 'assign'][] = [
  [0x080, 'group', 'assign'], [0x100, 'enable', 'set'], [0x180, 'enable', 'clear'], [0x200, 'pending', 'set'],
  [0x280, 'pending', 'clear'], [0x300, 'active', 'set'], [0x380, 'active', 'clear'],
];

export class Gicv3Distributor implements MmioDevice {
  readonly name = 'gicd';
  constructor(private readonly s: IrqState) {}

  /** GICD_TYPER: ITLinesNumber, IDbits = 15 (16-bit INTIDs), A3V, No1N; no LPIs (we have no ITS). */
  typer(): number { return (0x03780000 | (this.s.numIrqs / 32 - 1)) >>> 0; }

  read(off: number, size: number, pe: number): number {
    const s = this.s;
    if (off >= 0x400 && off < 0x800) {
      let v = 0;
      for (let i = 0; i < size; i++) { const id = off - 0x400 + i; if (id >= 32 && id < s.numIrqs) v |= s.priority[id] << (8 * i); }
      return v >>> 0;
    }
    if (off >= 0x6000 && off < 0x8000) {
      const id = (off - 0x6000) >>> 3;
      if (id < 32 || id >= s.numIrqs) return 0;
      return subword((off & 4) ? s.routeHi[id] : s.routeLo[id] & 0x80ffffff, off, size);
    }
    return subword(this.readWord(off & ~3, pe), off, size);
  }

  private readWord(off: number, pe: number): number {
    const s = this.s;
    switch (off) {
      case 0x0000: return (s.dctlr | CTLR_ARE | CTLR_DS) >>> 0;
      case 0x0004: return this.typer();
      case 0x0008: return GICV3_IIDR;
    }
    for (const [base, kind] of BIT_REGS) {
      if (off >= base && off < base + 0x80) {
        const first = (off - base) * 8;
        return first < 32 ? 0 : s.readBits(kind, pe, first);
      }
    }
    if (off >= 0xc00 && off < 0xd00) {
      const first = (off - 0xc00) * 4;
      return first < 32 ? 0 : s.readCfg(pe, first);
    }
    // IGRPMODR: RAZ/WI with DS = 1.
    const id = idRegister(IDS, 0xffd0, off);
    return id ?? 0;
  }

  write(off: number, size: number, value: number, pe: number): void {
    const s = this.s;
    if (off >= 0x400 && off < 0x800) {
      for (let i = 0; i < size; i++) { const id = off - 0x400 + i; if (id >= 32 && id < s.numIrqs) s.priority[id] = (value >>> (8 * i)) & 0xff; }
      s.updateAll();
      return;
    }
    if (off >= 0x6000 && off < 0x8000) {
      const id = (off - 0x6000) >>> 3;
      if (id < 32 || id >= s.numIrqs) return;
      if (off & 4) s.routeHi[id] = mergeWrite(s.routeHi[id], off, size, value) & 0xff;
      else s.routeLo[id] = mergeWrite(s.routeLo[id], off, size, value) & 0x80ffffff;
      s.updateAll();
      return;
    }
    const w = off & ~3;
    if (w === 0) { s.dctlr = mergeWrite(s.dctlr, off, size, value) & 3; s.updateAll(); return; }
    for (const [base, kind, op] of BIT_REGS) {
      if (w >= base && w < base + 0x80) {
        const first = (w - base) * 8;
        if (first < 32) return;
        const v = op === 'assign' ? mergeWrite(s.readBits(kind, pe, first), off, size, value) : placeWrite(off, size, value);
        s.writeBits(kind, op, pe, first, v);
        return;
      }
    }
    if (w >= 0xc00 && w < 0xd00) {
      const first = (w - 0xc00) * 4;
      if (first >= 32) s.writeCfg(pe, first, mergeWrite(s.readCfg(pe, first), off, size, value));
    }
  }
}
