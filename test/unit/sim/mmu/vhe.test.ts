// FEAT_VHE: the EL2&0 regime (TTBR0_EL2/TTBR1_EL2, TCR_EL2 in the TCR_EL1 layout, ASIDs, EL0
// under TGE) and the *_EL12 aliases reaching the real EL1 registers.
import { strict as assert } from 'node:assert';
import { AF, AP_RW_ALL, AP_RW_EL1, NG, RAM, Tables, atEL, faults, machine, reg, setReg, w64 } from './helpers';

const HCR_RW = 0x8000_0000, HCR_TGE = 1 << 27, HCR_E2H_HI = 1 << 2;
const DATA = 0x4100_0000;

function setup() {
  const { m, pe } = machine('armv8.1-vhe');
  const t = new Tables(m);
  const root0 = t.root({ inBits: 48 }), root1 = t.root({ inBits: 48 });
  setReg(pe, 'HCR_EL2', [HCR_RW | HCR_TGE, HCR_E2H_HI]);
  setReg(pe, 'TCR_EL2', [(16 | (16 << 16) | (2 << 30)) >>> 0, 5]);
  setReg(pe, 'MAIR_EL2', 0xff);
  setReg(pe, 'TTBR0_EL2', [root0, 3 << 16]);  // ASID 3
  setReg(pe, 'TTBR1_EL2', root1);
  setReg(pe, 'SCTLR_EL2', 0x30c5_0830 | 1);
  return { m, pe, t, root0, root1 };
}

describe('MMU with VHE (E2H=1, TGE=1)', () => {
  it('the host at EL2 translates the upper range through TTBR1_EL2', () => {
    const { m, pe, t, root1 } = setup();
    t.map(root1, 0x1000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RW_EL1 });
    m.mem.write(DATA + 8, 4, 0x77);
    assert.equal(pe.read(0x1008, 0xffff_0000, 4, 0), 0x77);
    const r = m.translate(pe, { lo: 0x1008, hi: 0xffff_0000 });
    assert.equal(r.regime, 'EL2&0');
    assert.equal(r.s1!.ttbr, 1);
  });

  it('EL0 under TGE uses the EL2&0 regime with EL0 permissions; faults go to EL2', () => {
    const { m, pe, t, root0 } = setup();
    t.map(root0, 0x5000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RW_EL1 });
    t.map(root0, 0x6000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RW_ALL | NG });
    atEL(pe, 0);
    assert.equal(m.translate(pe, 0x6000).regime, 'EL2&0');
    pe.read(0x6000, 0, 4, 0);
    assert.ok(faults(() => pe.read(0x5000, 0, 4, 0)));
    assert.equal(pe.el, 2);
    assert.equal(reg(pe, 'ESR_EL2'), 0x9200_000f);
    assert.equal(reg(pe, 'FAR_EL2'), 0x5000);
  });

  it('TLBI VAE1 at EL2 with {E2H,TGE}={1,1} and VAE2 act on EL2&0 entries by ASID', () => {
    const { m, pe, t, root0 } = setup();
    const leaf = t.map(root0, 0x6000, DATA, { inBits: 48, leaf: 3, lo: AF | AP_RW_ALL | NG });
    m.mem.write(DATA, 4, 1);
    m.mem.write(DATA + 0x1000, 4, 2);
    assert.equal(pe.read(0x6000, 0, 4, 0), 1);
    w64(m, leaf, [DATA + 0x1000 | AF | AP_RW_ALL | NG | 3, 0]);
    assert.equal(pe.read(0x6000, 0, 4, 0), 1);
    m.mmu.tlbi(pe, 'VAE2', 6, 4 << 16);            // wrong ASID
    assert.equal(pe.read(0x6000, 0, 4, 0), 1);
    m.mmu.tlbi(pe, 'VAE1', 6, 3 << 16);
    assert.equal(pe.read(0x6000, 0, 4, 0), 2);
  });

  it('MSR/MRS *_EL12 reach the EL1 registers; EL1 encodings reach the EL2 registers', () => {
    const { m, pe } = setup();
    const MSR = (op1: number, crn: number, crm: number, op2: number, rt: number): number => (0xd5180000 | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt) >>> 0;
    const MRS = (op1: number, crn: number, crm: number, op2: number, rt: number): number => (MSR(op1, crn, crm, op2, rt) | 0x00200000) >>> 0;
    setReg(pe, 'SCTLR_EL2', 0x30c5_0830); // EL2 MMU off for instruction fetch
    const code = [
      MSR(5, 2, 0, 0, 0),   // msr ttbr0_el12, x0
      MRS(0, 2, 0, 0, 1),   // mrs x1, ttbr0_el1   (→ TTBR0_EL2)
      MSR(0, 12, 0, 0, 2),  // msr vbar_el1, x2    (→ VBAR_EL2)
      MRS(5, 12, 0, 0, 3),  // mrs x3, vbar_el12   (→ VBAR_EL1)
    ];
    code.forEach((w, i) => m.mem.write(RAM + 4 * i, 4, w));
    pe.x[0] = 0x4444_0000; pe.x[1] = 0;           // X0
    pe.x[4] = 0x1234_5800; pe.x[5] = 0;           // X2
    setReg(pe, 'VBAR_EL1', 0x4000_0800);
    pe.pcLo = RAM; pe.pcHi = 0;
    pe.run(4);
    assert.equal(reg(pe, 'TTBR0_EL1'), 0x4444_0000);
    assert.equal(pe.x[2], reg(pe, 'TTBR0_EL2') % 2 ** 32, 'TTBR0_EL1 encoding read TTBR0_EL2');
    assert.equal(reg(pe, 'VBAR_EL2'), 0x1234_5800);
    assert.equal(pe.x[6], 0x4000_0800, 'VBAR_EL12 read the EL1 register');
    // Without E2H the alias is UNDEFINED.
    setReg(pe, 'HCR_EL2', [HCR_RW, 0]);
    setReg(pe, 'VBAR_EL2', 0x4000_c000);
    pe.pcLo = RAM + 12; pe.run(1);
    assert.equal(reg(pe, 'ESR_EL2'), 0x0200_0000);
  });
});
