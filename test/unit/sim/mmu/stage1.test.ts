// Stage-1 translation: descriptor kinds, levels, granules, VA ranges and faults, with the exact
// ESR/FAR values of the abort (DDI0487 D8, D17.2.37).
import { strict as assert } from 'node:assert';
import { issLdSt } from '../../../../src/sim/syndrome';
import {
  AF, AP_RO_ALL, AP_RO_EL1, AP_RW_ALL, AP_RW_EL1, HI_APTABLE0, HI_APTABLE1, HI_PXN, HI_PXNTABLE, HI_UXN, HI_XNTABLE, RAM, SH_INNER, Tables,
  atEL, attrIndx, faults, machine, reg, setReg, w64,
} from './helpers';

const SCTLR_EL1_RES1 = 0x30d00800;
const DATA = 0x4100_0000;  // PA of the data pages

/** EL1 with stage 1 on: 4K granule (or g), 48-bit VAs in both ranges, IPS 48 bits. */
function setup(opts: { g?: number; t0sz?: number; t1sz?: number; cpu?: string } = {}) {
  const { m, pe } = machine(opts.cpu);
  const t = new Tables(m);
  const g = opts.g ?? 12;
  const tg0 = g === 12 ? 0 : g === 16 ? 1 : 2;
  const tg1 = g === 12 ? 2 : g === 16 ? 3 : 1;
  const t0sz = opts.t0sz ?? 16, t1sz = opts.t1sz ?? 16;
  const root0 = t.root({ g, inBits: 64 - t0sz });
  const root1 = t.root({ g, inBits: 64 - t1sz });
  setReg(pe, 'TCR_EL1', [(t0sz | (tg0 << 14) | (t1sz << 16) | (tg1 << 30)) >>> 0, 5]);
  setReg(pe, 'MAIR_EL1', [0x0044_00ff, 0]);   // Attr0 Normal WB, Attr1 Device-nGnRnE, Attr2 Normal NC
  setReg(pe, 'TTBR0_EL1', root0);
  setReg(pe, 'TTBR1_EL1', root1);
  setReg(pe, 'SCTLR_EL1', SCTLR_EL1_RES1 | 1);
  setReg(pe, 'VBAR_EL1', 0x4000_8000);
  atEL(pe, 1);
  return { m, pe, t, root0, root1, g, inBits0: 64 - t0sz, inBits1: 64 - t1sz };
}

const flip = (v: number, b: number): number => (Math.floor(v / 2 ** b) % 2 ? v - 2 ** b : v + 2 ** b);
const ISS_LDR_W5 = issLdSt(2, false, 5, false, false);

describe('MMU stage 1 (EL1&0)', () => {
  it('translates a 4 KiB page through four levels and records the walk', () => {
    const { m, pe, t, root0 } = setup();
    t.map(root0, 0x1234_5000, DATA, { inBits: 48, leaf: 3, lo: AF | SH_INNER | AP_RW_EL1 | attrIndx(0) });
    m.mem.write(DATA + 0x10, 4, 0xcafef00d);
    assert.equal(pe.read(0x1234_5010, 0, 4, ISS_LDR_W5), 0xcafef00d);
    const r = m.translate(pe, 0x1234_5010);
    assert.ok(r.ok);
    assert.equal(r.pa, DATA + 0x10);
    assert.equal(r.steps.length, 4);
    assert.deepEqual(r.steps.map((s) => [s.stage, s.level, s.decision]), [[1, 0, 'table'], [1, 1, 'table'], [1, 2, 'table'], [1, 3, 'page']]);
    assert.equal(r.steps[0].tableBase, root0);
    assert.equal(r.steps[0].index, 0);
    assert.equal(r.steps[2].index, (0x1234_5000 >>> 21) & 511);
    assert.equal(r.steps[3].index, (0x1234_5000 >>> 12) & 511);
    assert.equal(r.steps[3].descAddr, r.steps[3].tableBase + 8 * r.steps[3].index);
    assert.equal(r.s1!.attr, 0xff);
    assert.equal(r.s1!.sh, 3);
    assert.equal(r.attrText, 'Normal oWB iWB');
  });

  it('the output address size follows the model\'s PARange: a PA with bit 45 set is an address size fault on the A57 (44 bits), not on max (48)', () => {
    for (const [cpu, ok] of [['cortex-a57', false], ['max', true]] as const) {
      const { m, t, root0 } = setup({ cpu });
      const pe = m.pes[0];
      t.map(root0, 0x1234_5000, 2 ** 45 + 0x5000, { inBits: 48, leaf: 3, lo: AF | SH_INNER | AP_RW_EL1 | attrIndx(0) });
      const r = m.translate(pe, 0x1234_5010);
      assert.equal(r.ok, ok, cpu);
      if (ok) assert.equal(r.pa, 2 ** 45 + 0x5010);
      else assert.equal(r.fault!.type, 'addressSize', cpu);
    }
  });

  it('translates level 1 (1 GiB) and level 2 (2 MiB) blocks', () => {
    const { m, pe, t, root0 } = setup();
    t.map(root0, 0x80_0000_0000, 0x4000_0000, { inBits: 48, leaf: 1 });
    t.map(root0, 0x20_0000, 0x4020_0000, { inBits: 48, leaf: 2 });
    assert.equal(m.translate(pe, 0x80_1234_5678).pa, 0x4000_0000 + 0x1234_5678);
    assert.equal(m.translate(pe, 0x80_1234_5678).s1!.shift, 30);
    assert.equal(m.translate(pe, 0x3f_fff8).pa, 0x403f_fff8);
    assert.equal(m.translate(pe, 0x3f_fff8).s1!.level, 2);
  });

  for (const level of [0, 1, 2, 3]) {
    it(`raises a level ${level} translation fault to EL1 with FAR and DFSC, ISV=0 (EC 0x25)`, () => {
      const { m, pe, t, root0 } = setup();
      const va = 0x12_3456_7000;
      // map a neighbour that shares the tables down to `level` (differs in that level's index)
      if (level > 0) t.map(root0, flip(va, 12 + 9 * (3 - level)), DATA, { inBits: 48, leaf: 3 });
      const near = m.translate(pe, va);
      assert.equal(near.fault!.level, level, near.explanation);
      assert.ok(faults(() => pe.read((va + 4) % 2 ** 32, Math.floor(va / 2 ** 32), 4, ISS_LDR_W5)));
      assert.equal(pe.el, 1);
      assert.equal(reg(pe, 'ESR_EL1'), 0x9600_0004 + level);
      assert.equal(reg(pe, 'FAR_EL1'), va + 4);
      assert.equal(reg(pe, 'ELR_EL1'), RAM);
      assert.equal(pe.pc, 0x4000_8200);
    });
  }

  it('reports WnR=1 for a store and keeps FAR', () => {
    const { pe } = setup();
    assert.ok(faults(() => pe.write(0x9000, 0, 8, 1, issLdSt(3, false, 1, true, false))));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9600_0044);
    assert.equal(reg(pe, 'FAR_EL1'), 0x9000);
  });

  it('raises an access flag fault at the leaf level (before permissions)', () => {
    const { m, pe, t, root0 } = setup();
    t.map(root0, 0x5000, DATA, { inBits: 48, leaf: 3, lo: AP_RO_EL1 });
    t.map(root0, 0x40_0000, DATA, { inBits: 48, leaf: 2, lo: AP_RO_EL1 });
    assert.ok(faults(() => pe.write(0x5008, 0, 4, 0, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9600_004b);
    assert.ok(faults(() => pe.read(0x40_0000, 0, 4, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9600_000a);
    assert.equal(m.translate(pe, 0x5000).fault!.type, 'accessFlag');
  });

  it('checks AP: read-only at EL1, EL0 access to EL1-only pages, EL0 read-only', () => {
    const { pe, t, root0 } = setup();
    t.map(root0, 0x1000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RO_EL1 });
    t.map(root0, 0x2000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RW_EL1 });
    t.map(root0, 0x3000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RO_ALL });
    t.map(root0, 0x4000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RW_ALL });
    pe.read(0x1000, 0, 4, 0);
    assert.ok(faults(() => pe.write(0x1000, 0, 4, 0, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9600_004f);
    atEL(pe, 0);
    assert.ok(faults(() => pe.read(0x2000, 0, 4, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9200_000f);  // EC 0x24: from a lower EL
    atEL(pe, 0);
    pe.read(0x3000, 0, 4, 0);
    assert.ok(faults(() => pe.write(0x3000, 0, 4, 0, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9200_004f);
    atEL(pe, 0);
    pe.write(0x4000, 0, 4, 7, 0);
    assert.equal(pe.read(0x4000, 0, 4, 0), 7);
  });

  it('applies APTable[1] (no write) and APTable[0] (no EL0) hierarchically', () => {
    const { pe, t, root0 } = setup();
    t.map(root0, 0x4000_0000_0000 - 0x1000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RW_ALL, tableHi: HI_APTABLE1 });
    t.map(root0, 0x7000_0000_0000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RW_ALL, tableHi: HI_APTABLE0 });
    const va1 = 0x4000_0000_0000 - 0x1000;
    pe.read(va1 % 2 ** 32, Math.floor(va1 / 2 ** 32), 4, 0);
    assert.ok(faults(() => pe.write(va1 % 2 ** 32, Math.floor(va1 / 2 ** 32), 4, 0, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9600_004f);
    atEL(pe, 1);
    pe.write(0, 0x7000, 4, 1, 0);          // EL1 may write
    atEL(pe, 0);
    assert.ok(faults(() => pe.read(0, 0x7000, 4, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9200_000f);
  });

  it('raises instruction aborts for PXN/UXN pages and the table XN bits (IFSC, FAR = PC)', () => {
    const { m, pe, t, root0 } = setup();
    // Code page for the vectors (so the fault can be taken and fetched).
    t.map(root0, 0x1000_0000, RAM, { inBits: 48, leaf: 3, hi: HI_PXN });
    t.map(root0, 0x1000_1000, RAM, { inBits: 48, leaf: 3, hi: HI_UXN });
    t.map(root0, 0x2000_0000, RAM, { inBits: 48, leaf: 3, tableHi: HI_PXNTABLE });
    t.map(root0, 0x3000_0000, RAM, { inBits: 48, leaf: 3, lo: AF | AP_RW_ALL });
    m.mem.write(RAM, 4, 0xd503201f); // NOP
    pe.pcLo = 0x1000_0000; pe.pcHi = 0;
    pe.run(1);
    assert.equal(reg(pe, 'ESR_EL1'), 0x8600_000f);
    assert.equal(reg(pe, 'FAR_EL1'), 0x1000_0000);
    assert.equal(reg(pe, 'ELR_EL1'), 0x1000_0000);
    atEL(pe, 1);
    pe.pcLo = 0x1000_1000; pe.run(1);     // UXN only: EL1 may execute
    assert.equal(pe.pc, 0x1000_1004);
    pe.pcLo = 0x2000_0000; pe.run(1);
    assert.equal(reg(pe, 'ESR_EL1'), 0x8600_000f);
    atEL(pe, 1);
    pe.pcLo = 0x3000_0000; pe.pcHi = 0; pe.run(1);  // EL0-writable memory is never executable at EL1
    assert.equal(reg(pe, 'ESR_EL1'), 0x8600_000f);
    atEL(pe, 0);
    pe.pcLo = 0x1000_1000; pe.pcHi = 0; pe.run(1);
    assert.equal(reg(pe, 'ESR_EL1'), 0x8200_000f);    // EC 0x20 from EL0
    void HI_XNTABLE;
  });

  it('LDTR/STTR (pe.unprivAccess) at EL1 use EL0 permissions and ignore PAN; the abort stays at EL1', () => {
    const { pe, t, root0 } = setup({ cpu: 'armv8.1-vhe' });
    t.map(root0, 0xb000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RW_EL1 });
    t.map(root0, 0xc000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RW_ALL });
    pe.pan = 1;
    pe.updateRegime();
    pe.unprivAccess = true;
    try {
      pe.write(0xc000, 0, 4, 1, 0);
      assert.ok(faults(() => pe.read(0xb000, 0, 4, 0)));
    } finally { pe.unprivAccess = false; }
    assert.equal(reg(pe, 'ESR_EL1'), 0x9600_000f);
  });

  it('SCTLR_EL1.WXN makes writable memory execute-never', () => {
    const { m, pe, t, root0 } = setup();
    t.map(root0, 0x1000_0000, RAM, { inBits: 48, leaf: 3, lo: AF | AP_RW_EL1 });
    setReg(pe, 'SCTLR_EL1', SCTLR_EL1_RES1 | 1 | (1 << 19));
    const r = m.translate(pe, 0x1000_0000, { access: 'fetch' });
    assert.equal(r.fault!.type, 'permission');
  });

  it('selects TTBR1 for the upper range and faults in the gap (level 0) or with EPD', () => {
    const { m, pe, t, root1 } = setup({ t1sz: 25 });
    const va = { lo: 0xc000_1000, hi: 0xffff_ffff };  // 0xffff_ffff_c000_1000, 39-bit TTBR1 range
    t.map(root1, 0x7f_c000_1000 % 2 ** 39, DATA, { inBits: 39, leaf: 3 });
    const r = m.translate(pe, va);
    assert.ok(r.ok, r.explanation);
    assert.equal(r.pa, DATA);
    assert.equal(r.steps[0].level, 1);
    assert.equal(r.s1!.ttbr, 1);
    // The gap between the ranges
    assert.ok(faults(() => pe.read(0x0000_0000, 0xffff_0000, 4, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9600_0004);
    assert.equal(reg(pe, 'FAR_EL1'), 0xffff_0000_0000_0000);
    // EPD1
    atEL(pe, 1);
    setReg(pe, 'TCR_EL1', [(16 | (25 << 16) | (2 << 30) | (1 << 23)) >>> 0, 5]);
    assert.equal(m.translate(pe, va).fault!.fsc, 0x04);
  });

  it('takes an address size fault for output addresses above the PA size (44 bits on cortex-a57)', () => {
    const { m, pe, t, root0 } = setup();
    t.map(root0, 0x6000, 0x1000_4000_0000, { inBits: 48, leaf: 3 });
    assert.ok(faults(() => pe.read(0x6000, 0, 4, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9600_0003);
    // TTBR base above the PA size: level 0
    setReg(pe, 'TTBR0_EL1', 0x1000_0000_0000);
    assert.equal(m.translate(pe, 0x6000).fault!.fsc, 0x00);
  });

  it('takes a synchronous external abort on a walk outside RAM (DFSC 0x14 + level)', () => {
    const { pe } = setup();
    setReg(pe, 'TTBR0_EL1', 0x1000_0000);
    assert.ok(faults(() => pe.read(0x6000, 0, 4, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9600_0014);
  });

  it('treats a level 0 block (4K granule) and a level 3 0b01 descriptor as translation faults', () => {
    const { m, pe, t, root0 } = setup();
    w64(m, root0 + 8, [0x4000_0000 | AF | 1, 0]);            // block at level 0 for VA 512 GiB
    assert.equal(m.translate(pe, 0x80_0000_0000).fault!.fsc, 0x04);
    const leaf = t.map(root0, 0x7000, DATA, { inBits: 48, leaf: 3 });
    w64(m, leaf, [DATA | AF | 1, 0]);
    assert.equal(m.translate(pe, 0x7000).fault!.fsc, 0x07);
  });

  it('walks with a 16 KiB granule (levels 1–3 for 47-bit VAs, 32 MiB blocks)', () => {
    const { m, pe, t, root0 } = setup({ g: 14, t0sz: 17 });
    t.map(root0, 0x1234_4000, DATA, { g: 14, inBits: 47, leaf: 3 });
    t.map(root0, 0x4000_0000, 0x4200_0000, { g: 14, inBits: 47, leaf: 2 });
    const r = m.translate(pe, 0x1234_6010);
    assert.ok(r.ok, r.explanation);
    assert.equal(r.pa, DATA + 0x2010);
    assert.deepEqual(r.steps.map((s) => s.level), [1, 2, 3]);
    assert.equal(m.translate(pe, 0x41ff_fff0).pa, 0x43ff_fff0);
    assert.equal(m.translate(pe, 0x41ff_fff0).s1!.shift, 25);
  });

  it('walks with a 64 KiB granule (levels 1–3 for 48-bit VAs, 512 MiB blocks)', () => {
    const { m, pe, t, root0 } = setup({ g: 16 });
    t.map(root0, 0x1235_0000, DATA, { g: 16, inBits: 48, leaf: 3 });
    t.map(root0, 0x6000_0000, 0x6000_0000, { g: 16, inBits: 48, leaf: 2 });
    const r = m.translate(pe, 0x1235_fff0);
    assert.ok(r.ok, r.explanation);
    assert.equal(r.pa, DATA + 0xfff0);
    assert.deepEqual(r.steps.map((s) => s.level), [1, 2, 3]);
    assert.equal(m.translate(pe, 0x7fff_0000).pa, 0x7fff_0000);
    assert.equal(m.translate(pe, 0x7fff_0000).s1!.shift, 29);
  });

  it('honours TCR_EL1.TBI0: the top byte is ignored', () => {
    const { m, pe, t, root0 } = setup();
    t.map(root0, 0x9000, DATA, { inBits: 48, leaf: 3 });
    assert.equal(m.translate(pe, { lo: 0x9000, hi: 0x5a00_0000 }).fault!.fsc, 0x04);
    setReg(pe, 'TCR_EL1', [(16 | (16 << 16) | (2 << 30)) >>> 0, 5 | (1 << 5)]);
    assert.equal(m.translate(pe, { lo: 0x9000, hi: 0x5a00_0000 }).pa, DATA);
  });

  it('PSTATE.PAN forbids EL1 data access to EL0-accessible pages (not fetch)', () => {
    const { m, pe, t, root0 } = setup({ cpu: 'armv8.1-vhe' });
    t.map(root0, 0xa000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RO_ALL });
    pe.read(0xa000, 0, 4, 0);
    pe.pan = 1;
    pe.updateRegime();
    assert.ok(faults(() => pe.read(0xa000, 0, 4, 0)));
    assert.equal(reg(pe, 'ESR_EL1'), 0x9600_000f);
    atEL(pe, 1);
    assert.ok(m.translate(pe, 0xa000, { access: 'fetch' }).ok);
  });

  it('with SCTLR_EL1.M=0 data accesses are flat and HCR_EL2.DC forces stage 1 off', () => {
    const { m, pe } = setup();
    setReg(pe, 'SCTLR_EL1', SCTLR_EL1_RES1);
    assert.equal(pe.flatData, true);
    m.mem.write(DATA, 4, 0x11);
    assert.equal(pe.read(DATA, 0, 4, 0), 0x11);
    setReg(pe, 'SCTLR_EL1', SCTLR_EL1_RES1 | 1);
    assert.equal(pe.flatData, false);
    setReg(pe, 'VTCR_EL2', 0x8000_0000 | 24 | (1 << 6) | (4 << 16));
    setReg(pe, 'HCR_EL2', [0x8000_1000, 0]);   // DC without a stage-2 table: stage 2 is on
    const r = m.translate(pe, DATA);
    assert.equal(r.fault?.stage2, true);       // VTTBR_EL2 = 0 is not RAM
    assert.equal(r.fault?.type, 'externalWalk');
    assert.deepEqual(r.steps.map((x) => x.stage), [2]);
  });
});
