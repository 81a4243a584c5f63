// GICv2 virtualization extensions (IHI 0048B ch. 5): the virtual interface control registers
// GICH_* at 0x0803_0000 (the hypervisor's view: HCR, VTR, VMCR, MISR, EISR, ELRSR, APR, LRn)
// and the virtual CPU interface GICV_* at 0x0804_0000 (the guest's GICC, backed by the list
// registers; a hypervisor maps it at the guest's GICC address with Stage 2). Both are banked per
// accessing PE. The semantics are shared with GICv3 in lr.ts.
import type { MmioDevice } from '../memory';
import type { Gic } from './gic';
import { fromV2Lr, toV2Lr, VMCR_VEOIM, VMCR_VPMR_SHIFT } from './lr';
import { subword } from './mmio-util';
import { GICC_IIDR } from './gicv2-cpu-interface';

export class Gicv2VirtualControl implements MmioDevice {
  readonly name = 'gich';
  constructor(private readonly gic: Gic) {}

  read(off: number, size: number, pe: number): number {
    const v = this.gic.virt[pe];
    const w = off & ~3;
    let r: number;
    if (w >= 0x100 && w < 0x100 + 4 * v.numLrs) {
      const n = (w - 0x100) >>> 2;
      r = toV2Lr(v.lrLo[n], v.lrHi[n]);
    } else {
      switch (w) {
        case 0x00: r = v.hcr; break;
        case 0x04: r = v.vtr(); break;
        case 0x08: r = v.vmcr; break;
        case 0x10: r = v.misr(); break;
        case 0x20: r = v.eisr(0); break;
        case 0x24: r = v.eisr(1); break;
        case 0x30: r = v.elrsr(0); break;
        case 0x34: r = v.elrsr(1); break;
        case 0xf0: r = (v.ap0 | v.ap1) >>> 0; break;
        default: r = 0; // reserved
      }
    }
    return subword(r, off, size);
  }

  write(off: number, _size: number, value: number, pe: number): void {
    const v = this.gic.virt[pe];
    const w = off & ~3;
    if (w >= 0x100 && w < 0x100 + 4 * v.numLrs) {
      const { lo, hi } = fromV2Lr(value >>> 0);
      v.writeLr((w - 0x100) >>> 2, lo, hi);
      return;
    }
    switch (w) {
      case 0x00: v.writeHcr(value); break;
      case 0x08: v.writeVmcr(value); break;
      // GICv2 has a single active-priorities register: we keep it in the Group 0 bank.
      case 0xf0: v.ap1 = 0; v.writeAp(0, value); break;
      default: break;
    }
  }
}

export class Gicv2VirtualCpuInterface implements MmioDevice {
  readonly name = 'gicv';
  constructor(private readonly gic: Gic) {}

  read(off: number, size: number, pe: number): number {
    const v = this.gic.virt[pe];
    let r: number;
    switch (off & ~3) {
      case 0x00: r = (v.vmcr & 0x1f) | (v.vmcr & VMCR_VEOIM ? 1 << 9 : 0); break;  // GICV_CTLR
      case 0x04: r = v.vpmr(); break;
      case 0x08: r = v.vbpr(0); break;
      case 0x0c: r = v.acknowledge(-1); break;
      case 0x14: r = v.runningPriority(); break;
      case 0x18: r = v.highestPending(-1); break;
      case 0x1c: r = v.vbpr(1); break;
      case 0x20: r = v.acknowledge(1); break;
      case 0x28: r = v.highestPending(1); break;
      case 0xd0: r = (v.ap0 | v.ap1) >>> 0; break;
      case 0xfc: r = GICC_IIDR; break;
      default: r = 0;
    }
    return subword(r, off, size);
  }

  write(off: number, _size: number, value: number, pe: number): void {
    const v = this.gic.virt[pe];
    switch (off & ~3) {
      case 0x00: {
        // GICV_CTLR bits [4:0] and EOImode [9] are VMCR's VMGrp0En..VMCBPR and VEM.
        v.writeVmcr((v.vmcr & ~(0x1f | VMCR_VEOIM)) | (value & 0x1f) | (value & (1 << 9) ? VMCR_VEOIM : 0));
        break;
      }
      case 0x04: v.writePmr(value); break;
      case 0x08: v.setVbpr(0, value); v.update(); break;
      case 0x10: v.endOfInterrupt(value, -1); break;
      case 0x1c: v.setVbpr(1, value); v.update(); break;
      case 0x24: v.endOfInterrupt(value, 1); break;
      case 0x1000: v.deactivate(value); break;
      default: break;
    }
    void VMCR_VPMR_SHIFT;
  }
}
