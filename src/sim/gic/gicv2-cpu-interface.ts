// GICv2 physical CPU interface (GICC_*, IHI 0048B 4.4) at 0x0801_0000, banked per PE: CTLR
// (EnableGrp0/1, AckCtl, FIQEn, CBPR, EOImode), PMR, BPR/ABPR, IAR/EOIR/HPPIR and their
// Group 1 aliases, RPR, and DIR at offset 0x1000 for split priority drop / deactivation.
import type { MmioDevice } from '../memory';
import type { IrqState } from './irq-state';
import { subword } from './mmio-util';

/** GICC_IIDR: GICv2 (ArchitectureVersion 2), implementer Arm, as QEMU (0x0002043b). */
export const GICC_IIDR = 0x0002043b;
/** Writable GICC_CTLR bits without the Security Extensions. */
const CTLR_MASK = 0x1f | (1 << 9);

export class Gicv2CpuInterface implements MmioDevice {
  readonly name = 'gicc';
  constructor(private readonly s: IrqState) {}

  read(off: number, size: number, pe: number): number {
    const s = this.s;
    const c = s.cpus[pe];
    let v: number;
    switch (off & ~3) {
      case 0x00: v = c.ctlr; break;
      case 0x04: v = c.pmr; break;
      case 0x08: v = c.bpr0; break;
      case 0x0c: v = s.acknowledge(pe, -1); break;
      case 0x14: v = s.runningPriority(pe); break;
      case 0x18: v = s.highestPending(pe, -1); break;
      case 0x1c: v = c.bpr1; break;
      case 0x20: v = s.acknowledge(pe, 1); break;
      case 0x28: v = s.highestPending(pe, 1); break;
      case 0xfc: v = GICC_IIDR; break;
      default: v = 0; // APRn/NSAPRn: RAZ/WI (we choose not to expose the active-priority encoding)
    }
    return subword(v, off, size);
  }

  write(off: number, _size: number, value: number, pe: number): void {
    const s = this.s;
    const c = s.cpus[pe];
    switch (off & ~3) {
      case 0x00: c.ctlr = value & CTLR_MASK; break;
      case 0x04: c.pmr = value & 0xff; break;
      case 0x08: c.bpr0 = Math.max(value & 7, c.minBpr0); break;
      case 0x10: s.endOfInterrupt(pe, value, -1); return;
      case 0x1c: c.bpr1 = Math.max(value & 7, c.minBpr0 + 1); break;
      case 0x24: s.endOfInterrupt(pe, value, -1); return;
      case 0x1000: s.deactivateRegister(pe, value); return;
      default: return;
    }
    s.updatePe(pe);
  }
}
