// GICv2 Distributor (GICD_*, IHI 0048B 4.3) at 0x0800_0000, without the Security Extensions
// (as QEMU's virt board): GICD_CTLR.EnableGrp0/EnableGrp1, banked SGI/PPI registers, byte-
// accessible IPRIORITYR/ITARGETSR, GICD_SGIR with its target-list filter, and the per-source
// SGI pending registers GICD_CPENDSGIR/GICD_SPENDSGIR.
import type { MmioDevice } from '../memory';
import type { Gic } from './gic';
import { idRegister, mergeWrite, placeWrite, subword } from './mmio-util';

/** PIDR4..CIDR3 from 0xFD0 (ArchRev 2 in PIDR2 = 0x2b), as QEMU. */
const IDS = [0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1];
export const GICV2_IIDR = 0x43b;

type BitKind = 'group' | 'enable' | 'pending' | 'active';
const BIT_REGS: [number, BitKind, 'set' | 'clear' | 'assign'][] = [
  [0x080, 'group', 'assign'], [0x100, 'enable', 'set'], [0x180, 'enable', 'clear'], [0x200, 'pending', 'set'],
  [0x280, 'pending', 'clear'], [0x300, 'active', 'set'], [0x380, 'active', 'clear'],
];

export class Gicv2Distributor implements MmioDevice {
  readonly name = 'gicd';
  constructor(private readonly gic: Gic) {}

  /** GICD_TYPER: ITLinesNumber and CPUNumber (no Security Extensions). */
  typer(): number {
    const s = this.gic.state;
    return ((s.numIrqs / 32 - 1) | ((s.numPes - 1) << 5)) >>> 0;
  }

  read(off: number, size: number, pe: number): number {
    const s = this.gic.state;
    if (off >= 0x400 && off < 0x800) {
      let v = 0;
      for (let i = 0; i < size; i++) { const id = off - 0x400 + i; if (id < s.numIrqs) v |= s.priority[s.slot(pe, id)] << (8 * i); }
      return v >>> 0;
    }
    if (off >= 0x800 && off < 0xc00) {
      let v = 0;
      for (let i = 0; i < size; i++) {
        const id = off - 0x800 + i;
        if (id >= s.numIrqs) continue;
        // SGI/PPI targets read as the accessing CPU; RAZ on a uniprocessor (IHI 0048B 4.3.12).
        const t = id < 32 ? (s.numPes === 1 ? 0 : 1 << pe) : s.targets[id];
        v |= t << (8 * i);
      }
      return v >>> 0;
    }
    if (off >= 0xf10 && off < 0xf30) {
      let v = 0;
      for (let i = 0; i < size; i++) { const id = (off - 0xf10 + i) & 15; v |= s.sgiSources[pe * 16 + id] << (8 * i); }
      return v >>> 0;
    }
    return subword(this.readWord(off & ~3, pe), off, size);
  }

  private readWord(off: number, pe: number): number {
    const s = this.gic.state;
    switch (off) {
      case 0x000: return s.dctlr;
      case 0x004: return this.typer();
      case 0x008: return GICV2_IIDR;
    }
    for (const [base, kind] of BIT_REGS) {
      if (off >= base && off < base + 0x80) return s.readBits(kind, pe, (off - base) * 8);
    }
    if (off >= 0xc00 && off < 0xd00) return s.readCfg(pe, (off - 0xc00) * 4);
    return idRegister(IDS, 0xfd0, off) ?? 0;
  }

  write(off: number, size: number, value: number, pe: number): void {
    const s = this.gic.state;
    if (off >= 0x400 && off < 0x800) {
      for (let i = 0; i < size; i++) { const id = off - 0x400 + i; if (id < s.numIrqs) s.priority[s.slot(pe, id)] = (value >>> (8 * i)) & 0xff; }
      s.updateAll();
      return;
    }
    if (off >= 0x800 && off < 0xc00) {
      const mask = (1 << s.numPes) - 1;
      for (let i = 0; i < size; i++) { const id = off - 0x800 + i; if (id >= 32 && id < s.numIrqs) s.targets[id] = (value >>> (8 * i)) & mask; }
      s.updateAll();
      return;
    }
    if (off >= 0xf10 && off < 0xf30) {
      const setting = off >= 0xf20;
      for (let i = 0; i < size; i++) {
        const id = (off - 0xf10 + i) & 15;
        const b = (value >>> (8 * i)) & ((1 << s.numPes) - 1);
        const k = pe * 16 + id;
        s.sgiSources[k] = setting ? s.sgiSources[k] | b : s.sgiSources[k] & ~b;
      }
      s.updatePe(pe);
      return;
    }
    const w = off & ~3;
    if (w === 0x000) { s.dctlr = mergeWrite(s.dctlr, off, size, value) & 3; s.updateAll(); return; }
    if (w === 0xf00) { this.sgir(pe, mergeWrite(0, off, size, value)); return; }
    for (const [base, kind, op] of BIT_REGS) {
      if (w >= base && w < base + 0x80) {
        const first = (w - base) * 8;
        const v = op === 'assign' ? mergeWrite(s.readBits(kind, pe, first), off, size, value) : placeWrite(off, size, value);
        s.writeBits(kind, op, pe, first, v);
        return;
      }
    }
    if (w >= 0xc00 && w < 0xd00) {
      const first = (w - 0xc00) * 4;
      s.writeCfg(pe, first, mergeWrite(s.readCfg(pe, first), off, size, value));
    }
  }

  /** GICD_SGIR: TargetListFilter [25:24] (0 list, 1 all but self, 2 self), CPUTargetList [23:16], SGIINTID [3:0]. */
  private sgir(pe: number, v: number): void {
    const filter = (v >>> 24) & 3, id = v & 15;
    const n = this.gic.state.numPes;
    let mask: number;
    if (filter === 0) mask = (v >>> 16) & 0xff;
    else if (filter === 1) mask = ((1 << n) - 1) & ~(1 << pe);
    else if (filter === 2) mask = 1 << pe;
    else return; // reserved filter: we choose to ignore the write
    for (let t = 0; t < n; t++) if (mask & (1 << t)) this.gic.sendSgi(pe, t, id);
  }
}
