// GICv3 on the virt board: distributor/redistributor MMIO, ICC_* registers, ICV_* redirection,
// ICH_* registers and traps, SGIs between PEs, PPIs (level/edge), events and the typed snapshot.
import { strict as assert } from 'node:assert';
import { Access } from '../../../../src/sim/sysregs';
import { HCR_IMO, HCR_RW, machine, mrs, msr, rd, setHcr, wr } from './util';

const GICD = 0x08000000, GICR = 0x080a0000, SGI = 0x10000, STRIDE = 0x20000;

function boot(cores = 1) {
  const m = machine({ gic: 'v3', cores });
  const w = (pe: number, a: number, v: number, size = 4) => m.mem.write(a, size, v, pe);
  const r = (pe: number, a: number, size = 4) => m.mem.read(a, size, pe);
  w(0, GICD, 2);                                         // EnableGrp1
  for (let p = 0; p < cores; p++) {
    w(p, GICR + p * STRIDE + 0x14, 0);                   // awake
    wr(m.pes[p], 'ICC_PMR_EL1', 0xff);
    wr(m.pes[p], 'ICC_IGRPEN1_EL1', 1);
  }
  return { m, w, r };
}

describe('GICv3 (board)', () => {
  it('reads the identification and reset values QEMU reports', () => {
    const { m, r } = boot(2);
    assert.equal(r(0, GICD + 4), 0x03780007);
    assert.equal(r(0, GICD + 8), 0x43b);
    assert.equal(r(0, GICD + 0xffe8), 0x3b);
    assert.equal(r(0, GICD) & 0x50, 0x50, 'ARE and DS read as one');
    assert.equal(r(0, GICR + 8), 0x000);
    assert.equal(r(0, GICR + STRIDE + 8), 0x110, 'Processor_Number 1, Last');
    assert.equal(r(0, GICR + STRIDE + 0xc), 1, 'affinity of PE 1');
    assert.equal(r(0, GICR + SGI + 0xc00), 0xaaaaaaaa);
    assert.equal(rd(m.pes[0], 'ICC_CTLR_EL1'), 0x8c00n);
    assert.equal(rd(m.pes[0], 'ICC_SRE_EL1'), 7n);
    assert.equal(rd(m.pes[0], 'ICC_SRE_EL2'), 0xfn);
    assert.equal(rd(m.pes[0], 'ICC_BPR1_EL1'), 3n);
    assert.equal(rd(m.pes[0], 'ICC_BPR0_EL1'), 2n);
    assert.equal(rd(m.pes[0], 'ICH_VTR_EL2'), 0x90b80003n);
    assert.equal(rd(m.pes[0], 'ICH_VMCR_EL2'), 0x4c0008n);
    assert.equal(rd(m.pes[0], 'ID_AA64PFR0_EL1') >> 24n & 0xfn, 1n);
    const w0 = machine({ gic: 'v3' }).mem.read(GICR + 0x14, 4, 0);
    assert.equal(w0, 6, 'GICR_WAKER resets asleep');
  });

  it('PPI level: pending while high; acknowledge makes it active and pending; EOI deactivates', () => {
    const { m, w, r } = boot();
    const pe = m.pes[0];
    w(0, GICR + SGI + 0x80, 1 << 27);                    // Group 1
    w(0, GICR + SGI + 0x100, 1 << 27);
    w(0, GICR + SGI + 0x41b, 0x80, 1);
    m.gic.setPpi(0, 27, true);
    assert.equal(pe.irqLine, true);
    assert.equal(rd(pe, 'ICC_HPPIR1_EL1'), 27n);
    assert.equal(rd(pe, 'ICC_IAR1_EL1'), 27n);
    assert.equal(pe.irqLine, false);
    assert.equal(r(0, GICR + SGI + 0x300), 1 << 27, 'active');
    assert.equal(r(0, GICR + SGI + 0x200), 1 << 27, 'still pending: line high');
    assert.equal(rd(pe, 'ICC_RPR_EL1'), 0x80n);
    assert.equal(rd(pe, 'ICC_AP1R0_EL1'), BigInt(1 << (0x80 >> 3)));
    wr(pe, 'ICC_EOIR1_EL1', 27);
    assert.equal(r(0, GICR + SGI + 0x300), 0);
    assert.equal(pe.irqLine, true, 'level still high: pending again');
    m.gic.setPpi(0, 27, false);
    assert.equal(pe.irqLine, false);
    assert.equal(r(0, GICR + SGI + 0x200), 0);
  });

  it('edge SPI: a rising edge latches; ICPENDR clears; IROUTER routes to a PE', () => {
    const { m, w, r } = boot(2);
    w(0, GICD + 0x84, 1 << 1);                           // SPI 33 Group 1
    w(0, GICD + 0x104, 1 << 1);
    w(0, GICD + 0xc08, 2 << 2);                          // ICFGR2: SPI 33 edge
    w(0, GICD + 0x6000 + 33 * 8, 1);                     // route to affinity 0.0.0.1
    m.gic.setSpi(33, true);
    m.gic.setSpi(33, false);
    assert.equal(m.pes[1].irqLine, true);
    assert.equal(m.pes[0].irqLine, false);
    assert.equal(r(0, GICD + 0x204), 1 << 1);
    w(0, GICD + 0x284, 1 << 1);
    assert.equal(m.pes[1].irqLine, false);
    assert.equal(r(0, GICD + 0x6000 + 33 * 8), 1);
  });

  it('PMR masks, running priority blocks equal priority, EOImode splits drop and deactivate', () => {
    const { m, w, r } = boot();
    const pe = m.pes[0];
    w(0, GICR + SGI + 0x80, 0x3);
    w(0, GICR + SGI + 0x100, 0x3);
    w(0, GICR + SGI + 0x400, 0x8080, 2);                 // SGI 0, 1 priority 0x80
    wr(pe, 'ICC_PMR_EL1', 0x80);
    m.gic.sendSgi(0, 0, 0);
    assert.equal(pe.irqLine, false, 'masked by PMR');
    assert.equal(rd(pe, 'ICC_IAR1_EL1'), 1023n);
    wr(pe, 'ICC_PMR_EL1', 0xff);
    assert.equal(rd(pe, 'ICC_PMR_EL1'), 0xf8n, '5 priority bits');
    wr(pe, 'ICC_CTLR_EL1', 2);                           // EOImode
    assert.equal(rd(pe, 'ICC_IAR1_EL1'), 0n);
    m.gic.sendSgi(0, 0, 1);
    assert.equal(pe.irqLine, false, 'equal priority does not preempt');
    wr(pe, 'ICC_EOIR1_EL1', 0);
    assert.equal(r(0, GICR + SGI + 0x300), 1, 'EOImode: still active after EOIR');
    assert.equal(pe.irqLine, true, 'priority dropped: SGI 1 can be signalled');
    wr(pe, 'ICC_DIR_EL1', 0);
    assert.equal(r(0, GICR + SGI + 0x300), 0);
  });

  it('ICC_SGI1R_EL1 targets by affinity or IRM, and only an SGI in Group 1', () => {
    const { m, w, r } = boot(3);
    const sent: string[] = [];
    m.bus.on('sgiSent', (e) => sent.push(`${e.from}->${e.to}:${e.intid}`));
    w(1, GICR + STRIDE + SGI + 0x80, 1 << 3);
    w(1, GICR + STRIDE + SGI + 0x100, 1 << 3 | 1 << 4);
    w(2, GICR + 2 * STRIDE + SGI + 0x80, 1 << 3);
    w(2, GICR + 2 * STRIDE + SGI + 0x100, 1 << 3);
    wr(m.pes[0], 'ICC_SGI1R_EL1', (4 << 24) | 2);        // SGI 4 is Group 0 on PE 1: dropped
    assert.equal(r(0, GICR + STRIDE + SGI + 0x200), 0);
    wr(m.pes[0], 'ICC_SGI1R_EL1', (3 << 24) | 2);
    assert.equal(r(0, GICR + STRIDE + SGI + 0x200), 1 << 3);
    assert.equal(m.pes[1].irqLine, true);
    assert.equal(m.pes[2].irqLine, false);
    wr(m.pes[1], 'ICC_SGI1R_EL1', (1n << 40n) | (3n << 24n));
    // IRM = 1: every PE but the sender; PE 0 has SGI 3 in Group 0, so it does not accept it.
    assert.deepEqual(sent, ['0->1:3', '1->2:3']);
    assert.equal(m.pes[2].irqLine, true);
  });

  it('EL1 with IMO: ICC_* are ICV_* on the list registers; SGI1R traps; ICH_HCR traps; v2 board UNDEFINED', () => {
    const { m } = boot();
    const pe = m.pes[0];
    wr(pe, 'ICH_HCR_EL2', 1);
    wr(pe, 'ICH_VMCR_EL2', 0xf8000002);
    wr(pe, 'ICH_LR0_EL2', (1n << 62n) | (1n << 60n) | (0xa0n << 48n) | 40n);
    pe.reset(0x40000000, 0, 1);
    setHcr(pe, HCR_RW | HCR_IMO);
    assert.equal(pe.vIrqLine, true);
    assert.equal(rd(pe, 'ICC_PMR_EL1'), 0xf8n, 'ICV_PMR_EL1 = VMCR.VPMR');
    assert.equal(rd(pe, 'ICC_IAR1_EL1'), 40n);
    assert.equal(rd(pe, 'ICC_RPR_EL1'), 0xa0n);
    assert.equal(pe.vIrqLine, false);
    assert.deepEqual(mrs(pe, 'ICH_LR0_EL2'), { trap: Access.Undefined }, 'ICH_* need EL2');
    assert.equal(msr(pe, 'ICC_SGI1R_EL1', 1), Access.TrapEL2);
    assert.equal(msr(pe, 'ICC_EOIR1_EL1', 40), Access.Ok);
    pe.el = 2;
    assert.equal(rd(pe, 'ICH_LR0_EL2') >> 62n, 0n);
    wr(pe, 'ICH_HCR_EL2', 1 | (1 << 12));                // TALL1
    pe.el = 1;
    assert.deepEqual(mrs(pe, 'ICC_IAR1_EL1'), { trap: Access.TrapEL2 });
    assert.deepEqual(mrs(pe, 'ICC_PMR_EL1'), 0xf8n);
    pe.el = 2;
    assert.deepEqual(mrs(pe, 'ICH_LR4_EL2'), { trap: Access.Undefined }, 'only 4 list registers');
    const v2 = machine({ gic: 'v2' });
    assert.deepEqual(mrs(v2.pes[0], 'ICC_SRE_EL2'), { trap: Access.Undefined });
    assert.deepEqual(mrs(v2.pes[0], 'ICC_IAR1_EL1'), { trap: Access.Undefined });
    assert.deepEqual(mrs(v2.pes[0], 'ICH_VTR_EL2'), { trap: Access.Undefined });
  });

  it('maintenance interrupt: PPI 25 to the hypervisor, and its event', () => {
    const { m, w } = boot();
    const pe = m.pes[0];
    const misr: number[] = [];
    m.bus.on('maintenanceIrq', (e) => misr.push(e.misr));
    w(0, GICR + SGI + 0x80, 1 << 25);
    w(0, GICR + SGI + 0x100, 1 << 25);
    wr(pe, 'ICH_HCR_EL2', 1 | 2);                        // En | UIE with no valid LR
    assert.deepEqual(misr, [2]);
    assert.equal(rd(pe, 'ICH_MISR_EL2'), 2n);
    assert.equal(pe.irqLine, true);
    assert.equal(rd(pe, 'ICC_IAR1_EL1'), 25n);
    wr(pe, 'ICH_HCR_EL2', 1);
    assert.equal(m.gic.snapshot(0).virtual.maintenance, false);
  });

  it('emits lrWrite, virqInjected, virqTaken, virqCompleted and irqTaken; HW EOI deactivates', () => {
    const { m, w, r } = boot();
    const pe = m.pes[0];
    const ev: string[] = [];
    m.bus.on('lrWrite', (e) => ev.push(`lrWrite ${e.lr} ${e.state} ${e.raw}`));
    m.bus.on('virqInjected', (e) => ev.push(`injected ${e.vintid} hw=${e.hw}`));
    m.bus.on('virqTaken', (e) => ev.push(`taken ${e.vintid}`));
    m.bus.on('virqCompleted', (e) => ev.push(`completed ${e.vintid} ${e.how} ${e.pintid}`));
    m.bus.on('irqTaken', (e) => ev.push(`irq ${e.intid}`));
    w(0, GICR + SGI + 0x80, 1 << 27);
    w(0, GICR + SGI + 0x100, 1 << 27);
    m.gic.setPpi(0, 27, true);
    rd(pe, 'ICC_IAR1_EL1');
    wr(pe, 'ICH_HCR_EL2', 1);
    wr(pe, 'ICH_VMCR_EL2', 0xf8000002);
    wr(pe, 'ICH_LR1_EL2', 0x70a0001b0000001bn);
    pe.reset(0x40000000, 0, 1);
    setHcr(pe, HCR_RW | HCR_IMO);
    assert.equal(rd(pe, 'ICC_IAR1_EL1'), 27n);
    wr(pe, 'ICC_EOIR1_EL1', 27);
    assert.equal(r(0, GICR + SGI + 0x300), 0, 'physical 27 deactivated by the virtual EOI');
    assert.deepEqual(ev, ['irq 27', 'lrWrite 1 pending 70a0001b0000001b', 'injected 27 hw=true', 'taken 27', 'completed 27 eoi 27']);
  });

  it('snapshot(pe) is typed for the GIC panel', () => {
    const { m, w } = boot();
    w(0, GICR + SGI + 0x100, 1 << 30);
    wr(m.pes[0], 'ICH_LR0_EL2', (2n << 62n) | (1n << 60n) | (0x80n << 48n) | 33n);
    const s = m.gic.snapshot(0);
    assert.equal(s.version, 3);
    assert.equal(s.irqs.length, 256);
    assert.deepEqual(s.irqs[30], { intid: 30, kind: 'PPI', enabled: true, pending: false, active: false, priority: 0, group: 0, trigger: 'level', line: false });
    assert.equal(s.irqs[40].target, '0x000000000');
    assert.deepEqual(s.virtual.lrs[0], { index: 0, raw: '9080000000000021', state: 'active', vintid: 33, pintid: 0, hw: false, group: 1, priority: 0x80, eoi: false });
    assert.equal(s.virtual.elrsr, 0xe);
    assert.equal(s.cpu.pmr, 0xf8);
    assert.equal(s.cpu.hppi, 1023);
  });
});
