// Generic timers: CVAL/TVAL/CNTVOFF arithmetic, ISTATUS, PPI outputs and events, access traps,
// deadlines in the run loop and WFI fast-forward, and the typed snapshot.
import { strict as assert } from 'node:assert';
import { Access } from '../../../../src/sim/sysregs';
import { HCR_RW, machine, mrs, msr, rd, wr } from '../gic/util';

const GICR_SGI = 0x080b0000;

describe('generic timers', () => {
  it('CNTFRQ_EL0 is 62.5 MHz; counters follow executed cycles / cyclesPerTick', () => {
    const m = machine({ cyclesPerTick: 4 });
    const pe = m.pes[0];
    assert.equal(rd(pe, 'CNTFRQ_EL0'), 62_500_000n);
    pe.cycles = 4003;
    assert.equal(rd(pe, 'CNTPCT_EL0'), 1000n);
    pe.sys[pe.slotCNTVOFF_EL2 * 2] = 1001;
    assert.equal(rd(pe, 'CNTVCT_EL0'), (1n << 64n) - 1n, 'CNTVCT = CNTPCT - CNTVOFF modulo 2^64');
  });

  it('TVAL write sets CVAL = count + SignExtend(TVAL); TVAL reads CVAL - count as 32 bits', () => {
    const m = machine();
    const pe = m.pes[0];
    pe.cycles = 5000;
    wr(pe, 'CNTP_TVAL_EL0', 100);
    assert.equal(rd(pe, 'CNTP_CVAL_EL0'), 5100n);
    wr(pe, 'CNTP_TVAL_EL0', 0xffffff38);                  // -200
    assert.equal(rd(pe, 'CNTP_CVAL_EL0'), 4800n);
    assert.equal(rd(pe, 'CNTP_TVAL_EL0'), 0xffffff38n);
    pe.cycles = 4700;
    assert.equal(rd(pe, 'CNTP_TVAL_EL0'), 100n);
    wr(pe, 'CNTP_CVAL_EL0', 0x1_0000_0010n);
    assert.equal(rd(pe, 'CNTP_TVAL_EL0'), BigInt((0x1_0000_0010 - 4700) % 2 ** 32), 'truncated to 32 bits');
  });

  it('the virtual timer compares against CNTPCT - CNTVOFF_EL2', () => {
    const m = machine();
    const pe = m.pes[0];
    pe.cycles = 10_000;
    wr(pe, 'CNTVOFF_EL2', 9_000);
    pe.el = 1;
    wr(pe, 'CNTV_TVAL_EL0', 50);
    assert.equal(rd(pe, 'CNTV_CVAL_EL0'), 1_050n);
    wr(pe, 'CNTV_CTL_EL0', 1);
    assert.equal(rd(pe, 'CNTV_CTL_EL0'), 1n);
    assert.equal(pe.eventDeadline, 10_050, 'fires at CVAL + CNTVOFF cycles');
    pe.cycles = 10_050;
    assert.equal(rd(pe, 'CNTV_CTL_EL0'), 5n, 'ISTATUS');
    assert.equal(rd(pe, 'CNTV_TVAL_EL0'), 0n);
    pe.cycles = 10_060;
    assert.equal(rd(pe, 'CNTV_TVAL_EL0'), BigInt(2 ** 32 - 10), 'negative once expired');
  });

  it('ISTATUS reads 0 while disabled (as QEMU); IMASK keeps the PPI low', () => {
    const m = machine();
    const pe = m.pes[0];
    pe.cycles = 100;
    wr(pe, 'CNTHP_CVAL_EL2', 10);
    assert.equal(rd(pe, 'CNTHP_CTL_EL2'), 0n);
    wr(pe, 'CNTHP_CTL_EL2', 3);
    assert.equal(rd(pe, 'CNTHP_CTL_EL2'), 7n);
    assert.equal(m.timers.output[2], 0);
    wr(pe, 'CNTHP_CTL_EL2', 1);
    assert.equal(m.timers.output[2], 1);
    assert.equal(m.mem.read(GICR_SGI + 0x200, 4, 0), 1 << 26, 'PPI 26 pending (level)');
    wr(pe, 'CNTHP_CVAL_EL2', 1000);
    assert.equal(m.mem.read(GICR_SGI + 0x200, 4, 0), 0, 'new CVAL: condition false, line low');
  });

  it('each timer raises its PPI (30, 27, 26) and timerFired when the run loop reaches the deadline', () => {
    const m = machine();
    const pe = m.pes[0];
    const fired: string[] = [];
    m.bus.on('timerFired', (e) => fired.push(`${e.timer}:${e.intid}@${e.count}`));
    for (let i = 0; i < 64; i++) m.mem.write(0x40000000 + 4 * i, 4, 0xd503201f);   // NOPs
    m.mem.write(0x40000000 + 256, 4, 0x14000000);                                   // b .
    wr(pe, 'CNTP_CVAL_EL0', 30);
    wr(pe, 'CNTP_CTL_EL0', 1);
    wr(pe, 'CNTV_CVAL_EL0', 20);
    wr(pe, 'CNTV_CTL_EL0', 1);
    wr(pe, 'CNTHP_CVAL_EL2', 10);
    wr(pe, 'CNTHP_CTL_EL2', 1);
    pe.power = 0;
    m.run(100);
    assert.deepEqual(fired, ['CNTHP:26@10', 'CNTV:27@20', 'CNTP:30@30']);
    assert.equal(m.mem.read(GICR_SGI + 0x200, 4, 0), (1 << 26) | (1 << 27) | (1 << 30));
  });

  it('WFI with no pending interrupt fast-forwards to the timer deadline and takes the IRQ', () => {
    const m = machine({}, 1);
    const pe = m.pes[0];
    pe.reset(0x40000000, 0, 1);
    pe.sys[pe.slotHCR_EL2 * 2] = HCR_RW;
    // GIC: PPI 27 Group 1, enabled; CPU interface on.
    m.mem.write(0x08000000, 4, 2);
    m.mem.write(GICR_SGI + 0x80, 4, 1 << 27);
    m.mem.write(GICR_SGI + 0x100, 4, 1 << 27);
    wr(pe, 'ICC_PMR_EL1', 0xff);
    wr(pe, 'ICC_IGRPEN1_EL1', 1);
    wr(pe, 'VBAR_EL1', 0x40001000);
    m.mem.write(0x40000000, 4, 0xd50342ff);               // msr daifclr, #2
    m.mem.write(0x40000004, 4, 0xd503207f);               // wfi
    m.mem.write(0x40000008, 4, 0x14000000);               // b .
    m.mem.write(0x40001280, 4, 0x14000000);               // IRQ vector: b .
    wr(pe, 'CNTV_TVAL_EL0', 1_000_000);
    wr(pe, 'CNTV_CTL_EL0', 1);
    const wfi: string[] = [];
    m.bus.on('wfiEntered', () => wfi.push('in'));
    m.bus.on('wfiExited', () => wfi.push('out'));
    const r = m.run(10);
    assert.notEqual(r.reason, 'deadlock');
    assert.deepEqual(wfi, ['in', 'out']);
    assert.equal(pe.pc, 0x40001280);
    assert.ok(pe.cycles >= 1_000_000 && pe.cycles < 1_000_010, `cycles ${pe.cycles}`);
    assert.equal(rd(pe, 'ICC_IAR1_EL1'), 27n);
  });

  it('counter reads in the middle of a run slice are exact (PE.now())', () => {
    const m = machine();
    const pe = m.pes[0];
    m.mem.write(0x40000000, 4, 0xd53be020);               // mrs x0, cntpct_el0
    for (let i = 1; i <= 10; i++) m.mem.write(0x40000000 + 4 * i, 4, 0xd503201f);
    m.mem.write(0x4000002c, 4, 0xd53be021);               // mrs x1, cntpct_el0
    m.mem.write(0x40000030, 4, 0x14000000);
    pe.cycles = 500;
    m.run(13);
    assert.equal(pe.x[0], 500);
    assert.equal(pe.x[2], 511);
  });

  it('a PE in WFI with no timer due reports deadlock', () => {
    const m = machine({}, 1);
    m.pes[0].reset(0x40000000, 0, 1);
    m.mem.write(0x40000000, 4, 0xd503207f);
    assert.equal(m.run(10).reason, 'deadlock');
  });

  it('access traps: EL0 via CNTKCTL_EL1, EL1 physical timer via CNTHCTL_EL2 (both layouts)', () => {
    const m = machine({ cpu: 'armv8.1-vhe' });
    const pe = m.pes[0];
    pe.el = 0;
    assert.equal(msr(pe, 'CNTP_CTL_EL0', 0), Access.TrapEL1);
    assert.equal(msr(pe, 'CNTV_CTL_EL0', 0), Access.TrapEL1);
    pe.sys[pe.slotCNTKCTL_EL1 * 2] = 0x300;               // EL0PTEN | EL0VTEN
    assert.equal(msr(pe, 'CNTV_CTL_EL0', 0), Access.Ok);
    assert.equal(msr(pe, 'CNTP_CTL_EL0', 0), Access.Ok);
    pe.el = 1;
    pe.sys[pe.slotCNTHCTL_EL2 * 2] = 1;                   // EL1PCTEN only
    assert.equal(msr(pe, 'CNTP_CTL_EL0', 0), Access.TrapEL2);
    assert.deepEqual(mrs(pe, 'CNTPCT_EL0') !== undefined, true);
    pe.sys[pe.slotHCR_EL2 * 2 + 1] = 4;                   // E2H: EL1PTEN is bit 11
    pe.sys[pe.slotCNTHCTL_EL2 * 2] = 2;
    assert.equal(msr(pe, 'CNTP_CTL_EL0', 0), Access.TrapEL2);
    pe.sys[pe.slotCNTHCTL_EL2 * 2] = 1 << 11;
    assert.equal(msr(pe, 'CNTP_CTL_EL0', 0), Access.Ok);
    assert.deepEqual(mrs(pe, 'CNTPCT_EL0'), { trap: Access.TrapEL2 }, 'E2H layout: EL1PCTEN is bit 10');
    pe.el = 1;
    assert.deepEqual(mrs(pe, 'CNTHP_CTL_EL2'), { trap: Access.Undefined });
    const a57 = machine();
    assert.deepEqual(mrs(a57.pes[0], 'CNTHV_CTL_EL2'), { trap: Access.Undefined }, 'EL2 virtual timer needs FEAT_VHE');
  });

  it('snapshot(pe) is typed for the timers panel', () => {
    const m = machine({ cyclesPerTick: 2 });
    const pe = m.pes[0];
    pe.cycles = 2000;
    wr(pe, 'CNTVOFF_EL2', 400);
    wr(pe, 'CNTV_TVAL_EL0', 300);
    wr(pe, 'CNTV_CTL_EL0', 1);
    const s = m.timers.snapshot(pe);
    assert.equal(s.physicalCountNum, 1000);
    assert.equal(s.virtualCount, '0000000000000258');
    assert.equal(s.frequency, 62_500_000);
    assert.equal(s.nextDeadline, (300 + 600 + 400) * 2);
    assert.deepEqual(s.timers[1], {
      name: 'CNTV', intid: 27, ctl: 1, enable: true, imask: false, istatus: false, cval: '0000000000000384', cvalNum: 900,
      tval: 300, asserted: false, ticksToFire: 300, cyclesToFire: 600,
    });
    assert.equal(s.timers[0].ticksToFire, null);
  });
});
