// Stage-2 translation (HCR_EL2.VM), S1PTW, the TLB (VMID/ASID tags, TLBI scopes) and AT →
// PAR_EL1, with exact ESR_EL2 / FAR_EL2 / HPFAR_EL2 / PAR_EL1 values.
import { strict as assert } from 'node:assert';
import { issLdSt } from '../../../../src/sim/syndrome';
import {
  AF, AP_RO_EL1, AP_RW_ALL, AP_RW_EL1, HI_UXN, MEMATTR_DEVICE, MEMATTR_NORMAL_WB, NG, RAM, S2AP_R, S2AP_RW, SH_INNER, Tables,
  atEL, attrIndx, faults, machine, reg, setReg, w64,
} from './helpers';

const SCTLR_EL1_RES1 = 0x30d00800;
const HCR_RW = 0x8000_0000, HCR_VM = 1, HCR_PTW = 4;
const ISS_LDR_W5 = issLdSt(2, false, 5, false, false);     // ldr w5, [..]
const ISS_STR_X7 = issLdSt(3, false, 7, true, false);      // str x7, [..]
const S2 = { inBits: 40, start: 1 };
const S2LEAF = AF | SH_INNER | S2AP_RW | MEMATTR_NORMAL_WB;
const TWO32 = 2 ** 32;

/** A guest at EL1 with Stage 2 on: 40-bit IPA, start level 1 (two concatenated tables), VMID 1. */
function setup(cpu?: string) {
  const { m, pe } = machine(cpu);
  const t = new Tables(m);
  const s2root = t.root({ inBits: 40, start: 1 });
  setReg(pe, 'VTCR_EL2', 0x8000_0000 | 24 | (1 << 6) | (2 << 16));  // T0SZ=24, SL0=1, PS=40 bits
  setReg(pe, 'VTTBR_EL2', [s2root, 1 << 16]);
  setReg(pe, 'HCR_EL2', [HCR_RW | HCR_VM, 0]);
  setReg(pe, 'VBAR_EL2', 0x4000_a000);
  setReg(pe, 'VBAR_EL1', 0x4000_8000);
  atEL(pe, 1);
  const s2map = (ipa: number, pa: number, leaf = 3, lo = S2LEAF, hi = 0): number => t.map(s2root, ipa, pa, { ...S2, leaf, lo, hi });
  return { m, pe, t, s2root, s2map };
}

/** Adds guest stage-1 tables (identity for the given IPAs), whose own pages are mapped at stage 2. */
function guestS1(env: ReturnType<typeof setup>, tablesIpa = 0x4900_0000) {
  const { pe, t, s2map } = env;
  const s1 = new Tables(env.m, tablesIpa);  // the guest's tables live at IPA == PA here
  const root = s1.root({ inBits: 48 });
  setReg(pe, 'TCR_EL1', [(16 | (16 << 16) | (2 << 30)) >>> 0, 2]);
  setReg(pe, 'MAIR_EL1', [0x0044_00ff, 0]);
  setReg(pe, 'TTBR0_EL1', [root, 5 << 16]); // ASID 5
  setReg(pe, 'SCTLR_EL1', SCTLR_EL1_RES1 | 1);
  // Map the first 2 MiB of the table area at stage 2 (identity).
  s2map(tablesIpa, tablesIpa, 2);
  void t;
  return { s1, root };
}

const hpfarOf = (ipa: number): number => Math.floor(ipa / 4096) * 16;

describe('MMU stage 2', () => {
  it('translates IPA → PA with a page and through the second concatenated start-level table', () => {
    const { m, pe, s2map } = setup();
    s2map(0x4000_0000, 0x4100_0000);
    s2map(0x80_4000_0000, 0x4200_0000, 2);          // IPA bit 39 set: start-level index 514
    m.mem.write(0x4100_0010, 4, 0x1234);
    m.mem.write(0x4200_0020, 4, 0x5678);
    assert.equal(pe.read(0x4000_0010, 0, 4, 0), 0x1234);
    assert.equal(pe.read(0x4000_0020, 0x80, 4, 0), 0x5678);
    const r = m.translate(pe, { lo: 0x4000_0020, hi: 0x80 });
    assert.deepEqual(r.steps.map((s) => [s.stage, s.level, s.index]), [[2, 1, 513], [2, 2, 0]]);
    assert.equal(r.s2!.memAttr, 0xf);
  });

  it('a stage-2 translation fault goes to EL2 with ISV/SAS/SRT, FAR_EL2 = VA, HPFAR_EL2 = IPA[47:12] << 4', () => {
    const { pe, s2map } = setup();
    s2map(0x4000_0000, 0x4100_0000);
    assert.ok(faults(() => pe.read(0x4000_1008, 0, 4, ISS_LDR_W5)));
    assert.equal(pe.el, 2);
    // EC 0x24, IL, ISV, SAS=2, SRT=5, DFSC = translation fault level 3
    assert.equal(reg(pe, 'ESR_EL2'), (0x9200_0000 | 0x0100_0000 | (2 << 22) | (5 << 16) | 0x07) >>> 0);
    assert.equal(reg(pe, 'FAR_EL2'), 0x4000_1008);
    assert.equal(reg(pe, 'HPFAR_EL2'), hpfarOf(0x4000_1000));
    assert.equal(reg(pe, 'ELR_EL2'), RAM);
    assert.equal(pe.pc, 0x4000_a400);
  });

  it('a stage-2 permission fault on a store reports WnR=1, SF=1, SRT and the level', () => {
    const { pe, s2map } = setup();
    s2map(0x4000_0000, 0x4100_0000, 3, AF | S2AP_R | MEMATTR_NORMAL_WB);
    pe.read(0x4000_0000, 0, 4, 0);
    assert.ok(faults(() => pe.write64(0x4000_0ff8, 0, 1, 2, ISS_STR_X7)));
    assert.equal(reg(pe, 'ESR_EL2'), (0x9200_0000 | 0x0100_0000 | (3 << 22) | (7 << 16) | (1 << 15) | (1 << 6) | 0x0f) >>> 0);
    assert.equal(reg(pe, 'HPFAR_EL2'), hpfarOf(0x4000_0000));
  });

  it('stage-2 access flag fault (level 2 block)', () => {
    const { pe, s2map } = setup();
    s2map(0x4020_0000, 0x4020_0000, 2, SH_INNER | S2AP_RW | MEMATTR_NORMAL_WB);
    assert.ok(faults(() => pe.read(0x4030_0000, 0, 4, ISS_LDR_W5)));
    assert.equal(reg(pe, 'ESR_EL2') & 0x3f, 0x0a);
  });

  it('stage-2 XN gives an instruction abort to EL2 (EC 0x20) with HPFAR', () => {
    const { m, pe, s2map } = setup();
    s2map(0x4000_0000, 0x4000_0000, 3, S2LEAF, HI_UXN);
    m.mem.write(RAM, 4, 0xd503201f);
    pe.pcLo = RAM; pe.pcHi = 0;
    pe.run(1);
    assert.equal(pe.el, 2);
    assert.equal(reg(pe, 'ESR_EL2'), (0x8200_000f) >>> 0);
    assert.equal(reg(pe, 'FAR_EL2'), RAM);
    assert.equal(reg(pe, 'HPFAR_EL2'), hpfarOf(RAM));
  });

  it('a stage-2 fault on the stage-1 walk sets S1PTW, clears ISV, keeps WnR and reports the table IPA', () => {
    const env = setup();
    const { pe, s2map } = env;
    const { s1, root } = guestS1(env);
    s1.map(root, 0x1000, 0x4000_0000, { inBits: 48, leaf: 3 });
    s2map(0x4000_0000, 0x4000_0000);
    // Move the guest's root table to an IPA that stage 2 does not map.
    setReg(pe, 'TTBR0_EL1', [0x4a00_0000, 5 << 16]);
    assert.ok(faults(() => pe.write(0x1000, 0, 4, 0, ISS_LDR_W5)));
    assert.equal(reg(pe, 'ESR_EL2'), (0x9200_0000 | (1 << 7) | (1 << 6) | 0x06) >>> 0);  // S1PTW, WnR, level 2
    assert.equal(reg(pe, 'HPFAR_EL2'), hpfarOf(0x4a00_0000));
    assert.equal(reg(pe, 'FAR_EL2'), 0x1000);
  });

  it('HCR_EL2.PTW: a stage-1 table in stage-2 Device memory is a stage-2 permission fault', () => {
    const env = setup();
    const { m, pe, s2map } = env;
    const { s1, root } = guestS1(env);
    s1.map(root, 0x1000, 0x4000_0000, { inBits: 48, leaf: 3 });
    s2map(0x4000_0000, 0x4000_0000);
    s2map(0x4900_0000, 0x4900_0000, 2, AF | S2AP_RW | MEMATTR_DEVICE);
    assert.ok(m.translate(pe, 0x1000).ok);
    setReg(pe, 'HCR_EL2', [HCR_RW | HCR_VM | HCR_PTW, 0]);
    assert.ok(faults(() => pe.read(0x1000, 0, 4, 0)));
    assert.equal(reg(pe, 'ESR_EL2'), (0x9200_0000 | (1 << 7) | 0x0e) >>> 0);
  });

  it('an inconsistent VTCR_EL2 (SL0 vs T0SZ) is a level 0 translation fault at stage 2', () => {
    const { m, pe, s2map } = setup();
    s2map(0x4000_0000, 0x4000_0000);
    setReg(pe, 'VTCR_EL2', 0x8000_0000 | 24 | (0 << 6) | (2 << 16));  // SL0=0 (level 2) cannot cover 40 bits
    const r = m.translate(pe, 0x4000_0000);
    assert.equal(r.fault!.stage2, true);
    assert.equal(r.fault!.fsc, 0x04);
  });

  it('SCTLR_EL1.M=0 under stage 2: VA is the IPA; both stages in the walk record with M=1', () => {
    const env = setup();
    const { m, pe, s2map } = env;
    s2map(0x4000_0000, 0x4100_0000);
    assert.equal(m.translate(pe, 0x4000_0abc).pa, 0x4100_0abc);
    const { s1, root } = guestS1(env);
    s1.map(root, 0x7000, 0x4000_0000, { inBits: 48, leaf: 3 });
    const r = m.translate(pe, 0x7abc);
    assert.equal(r.pa, 0x4100_0abc);
    assert.equal(r.ipa, 0x4000_0abc);
    // four stage-1 levels, each preceded by its stage-2 walk (2 steps), then the output's stage 2
    assert.deepEqual(r.steps.map((s) => s.stage).join(''), '221221221221' + '222');
  });
});

describe('MMU TLB', () => {
  it('keeps a stale stage-1 entry until TLBI VAE1 (and debugger "tlb" vs "walk" views)', () => {
    const env = setup();
    const { m, pe, s2map } = env;
    s2map(0x4000_0000, 0x4000_0000, 2);
    const { s1, root } = guestS1(env);
    const leaf = s1.map(root, 0x8000, 0x4000_1000, { inBits: 48, leaf: 3, lo: AF | NG | AP_RW_EL1 });
    m.mem.write(0x4000_1000, 4, 0xaaaa);
    m.mem.write(0x4000_2000, 4, 0xbbbb);
    assert.equal(pe.read(0x8000, 0, 4, 0), 0xaaaa);
    w64(m, leaf, [0x4000_2000 | AF | NG | 3, 0]);
    assert.equal(pe.read(0x8000, 0, 4, 0), 0xaaaa, 'stale TLB entry');
    assert.equal(m.translate(pe, 0x8000, { source: 'tlb' }).pa, 0x4000_1000);
    assert.equal(m.translate(pe, 0x8000).pa, 0x4000_2000);
    const before = m.mmu.state(pe).tlb.size;
    m.translate(pe, 0x9000); m.translate(pe, 0x8000);
    assert.equal(m.mmu.state(pe).tlb.size, before, 'debugger walks never fill the TLB');
    m.mmu.tlbi(pe, 'VAE1', 0x8, 6 << 16);   // another ASID: no effect on ASID 5's entry
    assert.equal(pe.read(0x8000, 0, 4, 0), 0xaaaa);
    m.mmu.tlbi(pe, 'VAE1', 0x8, 5 << 16);
    assert.equal(pe.read(0x8000, 0, 4, 0), 0xbbbb);
  });

  it('tags entries by ASID: ASIDE1 removes non-global entries of one ASID only', () => {
    const env = setup();
    const { m, pe, s2map } = env;
    s2map(0x4000_0000, 0x4000_0000, 2);
    const { s1, root } = guestS1(env);
    const lng = s1.map(root, 0x8000, 0x4000_1000, { inBits: 48, leaf: 3, lo: AF | NG });
    const lg = s1.map(root, 0x9000, 0x4000_1000, { inBits: 48, leaf: 3, lo: AF });
    m.mem.write(0x4000_1000, 4, 1);
    m.mem.write(0x4000_2000, 4, 2);
    assert.equal(pe.read(0x8000, 0, 4, 0), 1);
    assert.equal(pe.read(0x9000, 0, 4, 0), 1);
    w64(m, lng, [0x4000_2000 | AF | NG | 3, 0]);
    w64(m, lg, [0x4000_2000 | AF | 3, 0]);
    setReg(pe, 'TTBR0_EL1', [root, 6 << 16]);          // ASID 6: the nG entry does not match
    assert.equal(pe.read(0x8000, 0, 4, 0), 2);
    assert.equal(pe.read(0x9000, 0, 4, 0), 1, 'global entries match every ASID');
    setReg(pe, 'TTBR0_EL1', [root, 5 << 16]);          // back to ASID 5: its stale entry is still there
    assert.equal(pe.read(0x8000, 0, 4, 0), 1);
    m.mmu.tlbi(pe, 'ASIDE1', 0, 5 << 16);
    assert.equal(pe.read(0x8000, 0, 4, 0), 2);
    assert.equal(pe.read(0x9000, 0, 4, 0), 1, 'ASIDE1 leaves global entries');
    m.mmu.tlbi(pe, 'VAAE1', 0x9, 0);
    assert.equal(pe.read(0x9000, 0, 4, 0), 2);
  });

  it('tags entries by VMID: VMALLS12E1 removes the current VMID only; IPAS2E1 alone leaves combined entries', () => {
    const { m, pe, s2map } = setup();
    const l1 = s2map(0x4000_0000, 0x4100_0000);
    m.mem.write(0x4100_0000, 4, 0x11);
    m.mem.write(0x4200_0000, 4, 0x22);
    assert.equal(pe.read(0x4000_0000, 0, 4, 0), 0x11);
    w64(m, l1, [0x4200_0000 | S2LEAF | 3, 0]);
    assert.equal(pe.read(0x4000_0000, 0, 4, 0), 0x11, 'stale');
    const vttbr = reg(pe, 'VTTBR_EL2') % TWO32;
    setReg(pe, 'VTTBR_EL2', [vttbr, 2 << 16]);           // VMID 2: same tables, no entry yet
    assert.equal(pe.read(0x4000_0000, 0, 4, 0), 0x22);
    setReg(pe, 'VTTBR_EL2', [vttbr, 1 << 16]);
    assert.equal(pe.read(0x4000_0000, 0, 4, 0), 0x11, 'VMID 1 still has its stale entry');
    atEL(pe, 2);
    m.mmu.tlbi(pe, 'IPAS2E1IS', 0x40000, 0);
    atEL(pe, 1);
    assert.equal(pe.read(0x4000_0000, 0, 4, 0), 0x11, 'combined entry survives IPAS2E1');
    atEL(pe, 2);
    m.mmu.tlbi(pe, 'VMALLS12E1', 0, 0);
    atEL(pe, 1);
    assert.equal(pe.read(0x4000_0000, 0, 4, 0), 0x22);
  });

  it('TLBI by VA inside a block invalidates the whole block; non-IS TLBI is local, IS broadcasts', () => {
    const { m, pe } = machine();
    const t = new Tables(m);
    const root = t.root({ inBits: 48 });
    const blk = t.map(root, 0x4000_0000, 0x4000_0000, { inBits: 48, leaf: 2, lo: AF | AP_RW_EL1 });
    setReg(pe, 'TCR_EL2', 0x8080_0000 | 16 | (2 << 16));
    setReg(pe, 'MAIR_EL2', 0xff);
    setReg(pe, 'TTBR0_EL2', root);
    setReg(pe, 'SCTLR_EL2', 0x30c5_0830 | 1);
    m.mem.write(0x4010_0000, 4, 1);
    m.mem.write(0x4030_0000, 4, 2);
    assert.equal(pe.read(0x4010_0000, 0, 4, 0), 1);
    w64(m, blk, [0x4020_0000 | AF | 1, 0]);
    assert.equal(pe.read(0x4010_0000, 0, 4, 0), 1);
    m.mmu.tlbi(pe, 'VAE2', 0x401ff, 0);                    // another page of the same 2 MiB block
    assert.equal(pe.read(0x4010_0000, 0, 4, 0), 2);
    w64(m, blk, [0x4000_0000 | AF | 1, 0]);
    m.mmu.tlbi(pe, 'ALLE2', 0, 0);
    assert.equal(pe.read(0x4010_0000, 0, 4, 0), 1);
  });

  it('non-IS maintenance stays on the PE that executes it', () => {
    const { m: m2 } = { m: new (require('../../../../src/sim/machine').Machine)({ cores: 2, memoryMiB: 256 }) } as { m: import('../../../../src/sim/machine').Machine };
    const [p0, p1] = m2.pes;
    const t = new Tables(m2);
    const root = t.root({ inBits: 48 });
    const leaf = t.map(root, 0x5000, 0x4000_1000, { inBits: 48, leaf: 3 });
    for (const p of [p0, p1]) {
      p.reset(RAM, 0, 2);
      setReg(p, 'TCR_EL2', 0x8080_0000 | 16 | (2 << 16));
      setReg(p, 'TTBR0_EL2', root);
      setReg(p, 'SCTLR_EL2', 0x30c5_0830 | 1);
      assert.equal(p.read(0x5000, 0, 4, 0), 0);
    }
    m2.mem.write(0x4000_2000, 4, 9);
    w64(m2, leaf, [0x4000_2000 | AF | 3, 0]);
    m2.mmu.tlbi(p0, 'VAE2', 5, 0);
    assert.equal(p0.read(0x5000, 0, 4, 0), 9);
    assert.equal(p1.read(0x5000, 0, 4, 0), 0, 'PE 1 keeps its entry');
    m2.mmu.tlbi(p0, 'VAE2IS', 5, 0);
    assert.equal(p1.read(0x5000, 0, 4, 0), 9);
  });

  it('a permission miss on a cached entry re-walks (permission upgrade without TLBI, as QEMU)', () => {
    const env = setup();
    const { m, pe, s2map } = env;
    s2map(0x4000_0000, 0x4000_0000, 2);
    const { s1, root } = guestS1(env);
    const leaf = s1.map(root, 0x8000, 0x4000_1000, { inBits: 48, leaf: 3, lo: AF | AP_RO_EL1 });
    pe.read(0x8000, 0, 4, 0);
    w64(m, leaf, [0x4000_1000 | AF | AP_RW_EL1 | 3, 0]);
    pe.write(0x8000, 0, 4, 5, 0);
    assert.equal(m.mem.read(0x4000_1000, 4), 5);
  });
});

describe('MMU AT → PAR_EL1', () => {
  function atEnv() {
    const env = setup();
    const { s2map } = env;
    s2map(0x4000_0000, 0x4100_0000, 2, AF | (2 << 8) | S2AP_RW | MEMATTR_NORMAL_WB);
    const { s1, root } = guestS1(env);
    s1.map(root, 0x1000, 0x4000_0000, { inBits: 48, leaf: 3, lo: AF | SH_INNER | AP_RO_EL1 | attrIndx(0) });
    s1.map(root, 0x2000, 0x4000_3000, { inBits: 48, leaf: 3, lo: AF | SH_INNER | AP_RW_ALL | attrIndx(1) });
    return env;
  }
  const par = (pe: import('../../../../src/sim/pe').PE): number => reg(pe, 'PAR_EL1');

  it('S1E1R success: PA (the IPA), NS, SH, ATTR; S1E1W on read-only: F=1 FST=permission level 3', () => {
    const { m, pe } = atEnv();
    m.mmu.at(pe, 'S1E1R', 0x1234, 0);
    assert.equal(par(pe), 0xff00_0000_4000_0b80);
    m.mmu.at(pe, 'S1E1W', 0x1234, 0);
    assert.equal(par(pe), 0x81f);
    m.mmu.at(pe, 'S1E0R', 0x1234, 0);   // EL1-only page
    assert.equal(par(pe), 0x81f);
    m.mmu.at(pe, 'S1E0W', 0x2000, 0);
    assert.equal(par(pe), 0x4000_3b80, 'stage 1 only: SH as in the descriptor (QEMU 7.2)');
    m.mmu.at(pe, 'S1E1R', 0x5000, 0);
    assert.equal(par(pe), 0x80f);
  });

  it('S12E1R from EL2 gives the PA with combined attributes; a stage-2 fault sets PAR.S', () => {
    const { m, pe } = atEnv();
    atEL(pe, 2);
    m.mmu.at(pe, 'S12E1R', 0x1234, 0);
    assert.equal(par(pe), 0xff00_0000_4100_0b00);   // SH: stage 2 outer shareable wins
    m.mmu.at(pe, 'S12E1R', 0x2000, 0);
    assert.equal(par(pe), 0x0000_0000_4100_3b00);   // Device from stage 1
    // map VA 0x3000 to an IPA with no stage-2 mapping
    const env2 = atEnv();
    void env2;
  });

  it('S12E1R: stage-2 translation fault → F=1, S=1, FST; on the stage-1 walk also PTW=1', () => {
    const env = setup();
    const { m, pe, s2map } = env;
    s2map(0x4000_0000, 0x4100_0000, 2);
    const { s1, root } = guestS1(env);
    s1.map(root, 0x3000, 0x4400_0000, { inBits: 48, leaf: 3 });
    atEL(pe, 2);
    m.mmu.at(pe, 'S12E1R', 0x3000, 0);
    assert.equal(par(pe), 0x800 | 0x200 | (0x06 << 1) | 1);
    setReg(pe, 'TTBR0_EL1', [0x4a00_0000, 5 << 16]);
    m.mmu.at(pe, 'S12E1W', 0x3000, 0);
    assert.equal(par(pe), 0x800 | 0x200 | 0x100 | (0x06 << 1) | 1);
  });

  it('AT S1E1R at EL1 whose walk faults at stage 2 is taken to EL2 (CM=1, WnR=1, S1PTW)', () => {
    const env = setup();
    const { m, pe } = env;
    guestS1(env);
    setReg(pe, 'TTBR0_EL1', [0x4a00_0000, 5 << 16]);
    assert.ok(faults(() => m.mmu.at(pe, 'S1E1R', 0x3000, 0)));
    assert.equal(pe.el, 2);
    assert.equal(reg(pe, 'ESR_EL2'), (0x9200_0000 | (1 << 8) | (1 << 7) | (1 << 6) | 0x06) >>> 0);
    assert.equal(reg(pe, 'FAR_EL2'), 0x3000);
    assert.equal(reg(pe, 'HPFAR_EL2'), hpfarOf(0x4a00_0000));
  });

  it('S1E2R with the EL2 MMU off: PA = VA, Device-nGnRnE, SH = 0 (QEMU 7.2)', () => {
    const { m, pe } = machine();
    m.mmu.at(pe, 'S1E2R', 0x4123_4567, 0);
    assert.equal(par(pe), 0x4123_4a00);
  });
});
