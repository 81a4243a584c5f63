// GICv2 on the virt board: GICD/GICC MMIO, SGIs with source CPUs, GICH/GICV virtualization.
import { strict as assert } from 'node:assert';
import { machine } from './util';

const GICD = 0x08000000, GICC = 0x08010000, GICH = 0x08030000, GICV = 0x08040000;

function boot(cores = 1) {
  const m = machine({ gic: 'v2', cores });
  const w = (pe: number, a: number, v: number, size = 4) => m.mem.write(a, size, v, pe);
  const r = (pe: number, a: number, size = 4) => m.mem.read(a, size, pe);
  w(0, GICD, 1);
  for (let p = 0; p < cores; p++) { w(p, GICC + 4, 0xff); w(p, GICC, 1); }
  return { m, w, r };
}

describe('GICv2 (board)', () => {
  it('reads QEMU\'s identification and reset values', () => {
    const { r } = boot(2);
    assert.equal(r(0, GICD + 4), 0x28, 'ITLinesNumber 8, CPUNumber 1');
    assert.equal(r(0, GICD + 8), 0x43b);
    assert.equal(r(0, GICD + 0x100), 0xffff, 'SGIs always enabled');
    assert.equal(r(1, GICD + 0x800), 0x02020202, 'SGI targets read as the accessing CPU');
    assert.equal(r(0, GICD + 0xc00), 0xaaaaaaaa);
    assert.equal(r(0, GICD + 0xfe8), 0x2b);
    assert.equal(r(0, GICC + 0xfc), 0x2043b);
    assert.equal(r(0, GICC + 0x1c), 1, 'ABPR');
    assert.equal(r(0, GICH + 4), 0x90000003);
    assert.equal(r(0, GICH + 0x30), 0xf);
    assert.equal(r(0, GICV + 0xfc), 0x2043b);
  });

  it('SGIR: filters, source CPUID in IAR, per-source pending', () => {
    const { m, w, r } = boot(2);
    w(0, GICD + 0xf00, (1 << 24) | 7);                   // all but self: to CPU 1
    assert.equal(m.pes[1].irqLine, true);
    assert.equal(r(1, GICD + 0xf14) >>> 24, 0x1, 'SGI 7 pending from CPU 0 (byte 3 of SPENDSGIR1)');
    assert.equal(r(1, GICC + 0x18), 7, 'HPPIR (no CPUID, as QEMU)');
    assert.equal(r(1, GICC + 0xc), 7, 'IAR: from CPU 0');
    w(1, GICC + 0x10, 7);
    assert.equal(m.pes[1].irqLine, false);
    w(0, GICD + 0xf00, (2 << 16) | 5);                   // list {CPU 1}, SGI 5
    w(1, GICD + 0xf00, (2 << 24) | 5);                   // self
    assert.equal(r(1, GICC + 0xc), 5);
    assert.equal(r(1, GICD + 0x200) & 0x20, 0x20, 'still pending from CPU 1');
    w(1, GICC + 0x10, 5);
    assert.equal(r(1, GICC + 0xc), (1 << 10) | 5);
  });

  it('snapshot: SGIs in flight machine-wide, with their GICv2 senders, until acknowledged and completed', () => {
    const { m, w, r } = boot(2);
    w(0, GICD + 0xf00, (2 << 16) | 5);                   // CPU 0 → CPU 1, SGI 5
    w(1, GICD + 0xf00, (2 << 16) | 5);                   // CPU 1 → itself, SGI 5
    const seen = m.gic!.snapshot(0).sgis;                 // seen from CPU 0's snapshot too
    assert.deepEqual(seen, [{ intid: 5, target: 1, sources: [0, 1], pending: true, active: false }]);
    assert.equal(r(1, GICC + 0xc), 5);                    // acknowledge CPU 0's: active, CPU 1's still pending
    assert.deepEqual(m.gic!.snapshot(1).sgis, [{ intid: 5, target: 1, sources: [1], pending: true, active: true }]);
    w(1, GICC + 0x10, 5);
    assert.equal(r(1, GICC + 0xc), (1 << 10) | 5);
    w(1, GICC + 0x10, (1 << 10) | 5);
    assert.deepEqual(m.gic!.snapshot(1).sgis, [], 'none left in flight');
  });

  it('group 1 needs AckCtl; FIQEn signals Group 0 as FIQ', () => {
    const { m, w, r } = boot();
    w(0, GICD, 3);
    w(0, GICD + 0x80, 1 << 3);                           // SGI 3 Group 1
    w(0, GICC, 3);
    w(0, GICD + 0xf00, (2 << 24) | 3);
    assert.equal(r(0, GICC + 0xc), 1022);
    w(0, GICC, 3 | 4);
    assert.equal(r(0, GICC + 0xc), 3);
    w(0, GICC + 0x10, 3);
    w(0, GICC, 3 | 8);
    w(0, GICD + 0xf00, (2 << 24) | 2);                   // SGI 2 Group 0
    assert.equal(m.pes[0].fiqLine, true);
    assert.equal(m.pes[0].irqLine, false);
  });

  it('GICH_LR + GICV: inject, acknowledge, EOI with HW deactivation; GICH_ELRSR0/APR', () => {
    const { m, w, r } = boot();
    w(0, GICD + 0x100, 1 << 23);
    w(0, GICD + 0x200, 1 << 23);
    assert.equal(r(0, GICC + 0xc), 23);
    assert.equal(r(0, GICD + 0x300), 1 << 23);
    w(0, GICH, 1);
    w(0, GICV, 1);
    w(0, GICV + 4, 0xf8);
    w(0, GICH + 0x100, (1 << 31) | (1 << 28) | (0x10 << 23) | (23 << 10) | 23);
    assert.equal(r(0, GICH + 0x100), 0x98005c17);
    assert.equal(m.pes[0].vIrqLine, true);
    assert.equal(r(0, GICV + 0xc), 23);
    assert.equal(r(0, GICH + 0xf0), 1 << 16);
    assert.equal(r(0, GICV + 0x14), 0x80);
    w(0, GICV + 0x10, 23);
    assert.equal(r(0, GICD + 0x300), 0, 'physical deactivated');
    assert.equal(r(0, GICH + 0x100), 0x88005c17);
    assert.equal(r(0, GICH + 0x30), 0xf);
  });

  it('supports up to 64 list registers (GICH_VTR.ListRegs, GICH_ELRSR1/EISR1)', () => {
    const m = machine({ gic: 'v2', gicListRegisters: 64 });
    const r = (a: number) => m.mem.read(a, 4, 0);
    assert.equal(r(GICH + 4) & 0x3f, 63);
    assert.equal(r(GICH + 0x30), 0xffffffff);
    assert.equal(r(GICH + 0x34), 0xffffffff);
    m.mem.write(GICH + 0x100 + 4 * 40, 4, (1 << 19) | (2 << 28) | 9, 0);   // LR40 active, EOI
    m.mem.write(GICH + 0x100 + 4 * 40, 4, (1 << 19) | 9, 0);               // then invalid: EOI maintenance
    assert.equal(r(GICH + 0x34), 0xfffffeff);
    assert.equal(r(GICH + 0x24), 1 << 8);
    assert.equal(r(GICH + 0x10) & 1, 1);
    assert.throws(() => machine({ gic: 'v3', gicListRegisters: 17 }), /numLrs/);
  });

  it('GICV_CTLR/PMR/BPR are views of GICH_VMCR', () => {
    const { r, w } = boot();
    w(0, GICH + 8, 0xffffffff);
    assert.equal(r(0, GICH + 8), 0xf8fc021f);
    assert.equal(r(0, GICV), 0x21f);
    assert.equal(r(0, GICV + 4), 0xf8);
    assert.equal(r(0, GICV + 8), 7);
    w(0, GICV + 8, 0);
    assert.equal(r(0, GICV + 8), 2, 'minimum VBPR0');
    assert.equal(r(0, GICH + 8) >>> 21 & 7, 2);
  });
});
