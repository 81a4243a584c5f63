// GICv3 Redistributors (GICR_*, IHI 0069 12.10-12.11): one 128 KiB frame pair per PE from
// 0x080A_0000 (RD_base: control, TYPER, WAKER; SGI_base at +64 KiB: the SGI/PPI enable,
// pending, active, priority and configuration registers). No LPIs (GICR_TYPER.PLPIS = 0).
import type { MmioDevice } from '../memory';
import type { IrqState } from './irq-state';
import { idRegister, mergeWrite, placeWrite, subword } from './mmio-util';
import { GICV3_IIDR } from './gicv3-distributor';

const FRAME = 0x20000;
const SGI_BASE = 0x10000;
const IDS = [0x44, 0, 0, 0, 0x93, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1];
const WAKER_PROCESSOR_SLEEP = 1 << 1;
const WAKER_CHILDREN_ASLEEP = 1 << 2;

type BitKind = 'group' | 'enable' | 'pending' | 'active';
const BIT_REGS: [number, BitKind, 'set' | 'clear' | 'assign'][] = [
  [0x080, 'group', 'assign'], [0x100, 'enable', 'set'], [0x180, 'enable', 'clear'], [0x200, 'pending', 'set'],
  [0x280, 'pending', 'clear'], [0x300, 'active', 'set'], [0x380, 'active', 'clear'],
];

export class Gicv3Redistributor implements MmioDevice {
  readonly name = 'gicr';
  /** GICR_WAKER.ProcessorSleep per PE (reset 1: the redistributor starts asleep, QEMU reads 6). */
  readonly sleep: Uint8Array;

  constructor(private readonly s: IrqState) {
    this.sleep = new Uint8Array(s.numPes).fill(1);
  }

  /** GICR_TYPER: Affinity_Value [63:32], Processor_Number [23:8], Last [4]. */
  typer(pe: number): [number, number] {
    return [((pe << 8) | (pe === this.s.numPes - 1 ? 1 << 4 : 0)) >>> 0, this.s.affinity[pe] >>> 0];
  }

  read(off: number, size: number): number {
    const pe = Math.floor(off / FRAME);
    const o = off % FRAME;
    if (pe >= this.s.numPes) return 0;
    const s = this.s;
    if (o >= SGI_BASE + 0x400 && o < SGI_BASE + 0x420) {
      let v = 0;
      for (let i = 0; i < size; i++) v |= s.priority[s.slot(pe, o - SGI_BASE - 0x400 + i)] << (8 * i);
      return v >>> 0;
    }
    return subword(this.readWord(pe, o & ~3), o, size);
  }

  private readWord(pe: number, o: number): number {
    const s = this.s;
    if (o < SGI_BASE) {
      switch (o) {
        case 0x0000: return 0;                        // GICR_CTLR: no LPIs
        case 0x0004: return GICV3_IIDR;
        case 0x0008: return this.typer(pe)[0];
        case 0x000c: return this.typer(pe)[1];
        case 0x0014: return this.sleep[pe] ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
      }
      return idRegister(IDS, 0xffd0, o) ?? 0;
    }
    const r = o - SGI_BASE;
    for (const [base, kind] of BIT_REGS) if (r === base) return s.readBits(kind, pe, 0);
    if (r === 0xc00) return s.readCfg(pe, 0);
    if (r === 0xc04) return s.readCfg(pe, 16);
    return 0; // IGRPMODR0 (RAZ/WI with DS = 1), NSACR, reserved
  }

  write(off: number, size: number, value: number): void {
    const pe = Math.floor(off / FRAME);
    const o = off % FRAME;
    if (pe >= this.s.numPes) return;
    const s = this.s;
    if (o >= SGI_BASE + 0x400 && o < SGI_BASE + 0x420) {
      for (let i = 0; i < size; i++) s.priority[s.slot(pe, o - SGI_BASE - 0x400 + i)] = (value >>> (8 * i)) & 0xff;
      s.updatePe(pe);
      return;
    }
    const w = o & ~3;
    if (w === 0x0014) {
      this.sleep[pe] = (mergeWrite(0, o, size, value) & WAKER_PROCESSOR_SLEEP) ? 1 : 0;
      return;
    }
    if (w < SGI_BASE) return;
    const r = w - SGI_BASE;
    for (const [base, kind, op] of BIT_REGS) {
      if (r === base) {
        const v = op === 'assign' ? mergeWrite(s.readBits(kind, pe, 0), o, size, value) : placeWrite(o, size, value);
        s.writeBits(kind, op, pe, 0, v);
        return;
      }
    }
    if (r === 0xc04) s.writeCfg(pe, 16, mergeWrite(s.readCfg(pe, 16), o, size, value));
  }
}
