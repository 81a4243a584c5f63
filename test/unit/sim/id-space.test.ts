// The ID register space (op0=3, op1=0, CRn=0, CRm=1–7) executed through MRS/MSR: allocated
// registers read the CPU model's value, unallocated encodings read zero at EL1 and EL2, MSR is
// UNDEFINED, EL0 access is UNDEFINED (no FEAT_IDST), HCR_EL2.TID3/TID2/TID1 trap with the exact
// EC 0x18 syndrome, and the models advertise only features the simulator implements.
import { strict as assert } from 'node:assert';
import { TestBoard, getX, isUndefined } from './harness';
import { ARMV81_VHE, CORTEX_A57, type CpuModel } from '../../../src/sim/cpu-model';
import { SYSREGS } from '../../../src/sim/sysregs';

type Enc = [op0: number, op1: number, crn: number, crm: number, op2: number];

/** MRS Xt, <enc> / MSR <enc>, Xt (DDI0487 C6.2.228/C6.2.230: op0 is 2 + o0). */
function mrsWord(rt: number, [op0, op1, crn, crm, op2]: Enc): number {
  return (0xd5300000 | ((op0 - 2) << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt) >>> 0;
}
function msrWord(rt: number, [op0, op1, crn, crm, op2]: Enc): number {
  return (0xd5100000 | ((op0 - 2) << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt) >>> 0;
}

/** ESR of a trapped MRS/MSR, field by field from DDI0487 D17.2.37 (ISS encoding for EC 0x18). */
function sysregEsr([op0, op1, crn, crm, op2]: Enc, rt: number, read: boolean): number {
  return ((0x18 << 26) | (1 << 25) | (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0)) >>> 0;
}

const VBAR = 0x40010000;
const HCR_RW = 1 << 31, HCR_TID1 = 1 << 16, HCR_TID2 = 1 << 17, HCR_TID3 = 1 << 18;

interface Outcome { value?: bigint; el: number; esr?: number }

/** Runs one instruction at `el` and reports the value written to X5 or the exception taken. */
function exec(model: CpuModel, el: number, word: number, hcr = HCR_RW): Outcome {
  const t = new TestBoard(model);
  const pe = t.reset(el === 0 ? 1 : el);
  pe.sys[pe.slotHCR_EL2 * 2] = hcr >>> 0;
  pe.sys[pe.slotVBAR[1] * 2] = VBAR;
  pe.sys[pe.slotVBAR[2] * 2] = VBAR;
  if (el === 0) pe.setElSp(0, 0);
  t.code([word]);
  pe.run(1);
  if (pe.exceptions === 0) return { value: getX(pe, 5), el: pe.el };
  return { el: pe.el, esr: pe.sys[pe.slotESR[pe.el] * 2] };
}

/** Every encoding of the ID space, with the table's name for it. */
const SPACE: { enc: Enc; name: string; reserved: boolean }[] = [];
for (let crm = 1; crm <= 7; crm++) {
  for (let op2 = 0; op2 <= 7; op2++) {
    const d = SYSREGS.find((r) => r.op0 === 3 && r.op1 === 0 && r.crn === 0 && r.crm === crm && r.op2 === op2);
    assert.ok(d, `encoding 3,0,0,${crm},${op2} is in the table`);
    SPACE.push({ enc: [3, 0, 0, crm, op2], name: d.name, reserved: d.reservedId === true });
  }
}
const UNDEF_ESR = 0x02000000; // EC 0x00, IL = 1

describe('ID register space (op0=3, op1=0, CRn=0, CRm=1–7)', () => {
  it('has 56 encodings, all in the table; the unallocated ones are named S3_0_C0_Cm_n', () => {
    assert.equal(SPACE.length, 56);
    const reserved = SPACE.filter((s) => s.reserved);
    assert.ok(reserved.length >= 10, `${reserved.length} reserved encodings`);
    for (const s of reserved) assert.equal(s.name, `S3_0_C0_C${s.enc[3]}_${s.enc[4]}`);
    // The registers Linux 6.1 reads in __cpuinfo_store_cpu are named, not reserved.
    for (const n of ['ID_AA64ISAR2_EL1', 'ID_AA64ZFR0_EL1', 'ID_AA64SMFR0_EL1', 'ID_DFR1_EL1', 'ID_ISAR6_EL1', 'ID_MMFR4_EL1', 'ID_MMFR5_EL1', 'ID_PFR2_EL1']) {
      assert.ok(SPACE.some((s) => s.name === n && !s.reserved), n);
    }
  });

  for (const model of [CORTEX_A57, ARMV81_VHE]) {
    for (const el of [1, 2]) {
      it(`${model.name}: every encoding reads its model value (0 if none) at EL${el}, without an exception`, () => {
        for (const s of SPACE) {
          const o = exec(model, el, mrsWord(5, s.enc));
          assert.equal(o.esr, undefined, `${s.name} raised ESR 0x${o.esr?.toString(16)}`);
          const want = model.ids[s.name] ? (BigInt(model.ids[s.name][1]) << 32n) | BigInt(model.ids[s.name][0]) : 0n;
          assert.equal(o.value, want, s.name);
          if (s.reserved) assert.equal(o.value, 0n, `${s.name} is RAZ`);
        }
      });
    }
  }

  it('Linux\'s probe sequence reads zero: ID_AA64ISAR2, ZFR0, SMFR0, ID_DFR1, ID_ISAR6, ID_MMFR4/5, ID_PFR2 (EL1 and EL2)', () => {
    for (const n of ['ID_AA64ISAR2_EL1', 'ID_AA64ZFR0_EL1', 'ID_AA64SMFR0_EL1', 'ID_DFR1_EL1', 'ID_ISAR6_EL1', 'ID_MMFR4_EL1', 'ID_MMFR5_EL1', 'ID_PFR2_EL1']) {
      const s = SPACE.find((x) => x.name === n)!;
      for (const el of [1, 2]) assert.deepEqual(exec(CORTEX_A57, el, mrsWord(5, s.enc)), { value: 0n, el }, `${n} at EL${el}`);
    }
  });

  it('AArch32 ID registers are readable from AArch64 and read 0 (no AArch32 at any EL: ID_AA64PFR0_EL1.EL0..EL2 = 1)', () => {
    const pfr0 = exec(CORTEX_A57, 1, mrsWord(5, [3, 0, 0, 4, 0])).value!;
    assert.equal(pfr0 & 0xfffn, 0x111n, 'EL0, EL1, EL2: AArch64 only; EL3 not implemented');
    for (const s of SPACE.filter((x) => x.enc[3] <= 3 && !x.reserved)) {
      assert.deepEqual(exec(CORTEX_A57, 1, mrsWord(5, s.enc)), { value: 0n, el: 1 }, s.name);
    }
  });

  it('MSR to any encoding of the space is UNDEFINED at EL1 and EL2 (taken to the same EL, ESR 0x02000000)', () => {
    for (const s of SPACE) {
      for (const el of [1, 2]) assert.deepEqual(exec(CORTEX_A57, el, msrWord(5, s.enc)), { el, esr: UNDEF_ESR }, `${s.name} at EL${el}`);
    }
  });

  it('EL0 access is UNDEFINED (FEAT_IDST is ARMv8.4): taken to EL1, also with HCR_EL2.TID3 set', () => {
    for (const s of SPACE) {
      assert.deepEqual(exec(CORTEX_A57, 0, mrsWord(5, s.enc)), { el: 1, esr: UNDEF_ESR }, s.name);
      assert.deepEqual(exec(CORTEX_A57, 0, mrsWord(5, s.enc), HCR_RW | HCR_TID3), { el: 1, esr: UNDEF_ESR }, `${s.name} (TID3)`);
    }
  });

  it('HCR_EL2.TID3 traps EL1 reads of every encoding (allocated or not) to EL2 with EC 0x18 and the exact ISS', () => {
    for (const s of SPACE) {
      for (const rt of [5, 30]) {
        const o = exec(CORTEX_A57, 1, mrsWord(rt, s.enc), HCR_RW | HCR_TID3);
        assert.deepEqual(o, { el: 2, esr: sysregEsr(s.enc, rt, true) }, s.name);
      }
    }
    // MSR stays UNDEFINED (TID3 traps reads only, and the write is UNDEFINED first).
    assert.deepEqual(exec(CORTEX_A57, 1, msrWord(3, [3, 0, 0, 6, 2]), HCR_RW | HCR_TID3), { el: 1, esr: UNDEF_ESR });
    // EL2 reads are not trapped.
    assert.equal(exec(CORTEX_A57, 2, mrsWord(5, [3, 0, 0, 4, 0]), HCR_RW | HCR_TID3).esr, undefined);
  });

  it('TID3 does not trap MIDR/MPIDR; TID1 traps REVIDR/AIDR; TID2 traps CTR_EL0/CCSIDR/CLIDR and CSSELR both ways', () => {
    const midr: Enc = [3, 0, 0, 0, 0], mpidr: Enc = [3, 0, 0, 0, 5], revidr: Enc = [3, 0, 0, 0, 6], aidr: Enc = [3, 1, 0, 0, 7];
    const ctr: Enc = [3, 3, 0, 0, 1], ccsidr: Enc = [3, 1, 0, 0, 0], clidr: Enc = [3, 1, 0, 0, 1], csselr: Enc = [3, 2, 0, 0, 0];
    for (const e of [midr, mpidr, revidr, aidr, ctr]) assert.equal(exec(CORTEX_A57, 1, mrsWord(5, e), HCR_RW | HCR_TID3).esr, undefined);
    for (const e of [revidr, aidr]) assert.deepEqual(exec(CORTEX_A57, 1, mrsWord(7, e), HCR_RW | HCR_TID1), { el: 2, esr: sysregEsr(e, 7, true) });
    for (const e of [ctr, ccsidr, clidr, csselr]) assert.deepEqual(exec(CORTEX_A57, 1, mrsWord(7, e), HCR_RW | HCR_TID2), { el: 2, esr: sysregEsr(e, 7, true) });
    assert.deepEqual(exec(CORTEX_A57, 1, msrWord(7, csselr), HCR_RW | HCR_TID2), { el: 2, esr: sysregEsr(csselr, 7, false) });
  });

  it('CRm=0 is not RAZ space: its unallocated op2 values (1–4, 7) are UNDEFINED', () => {
    for (const op2 of [1, 2, 3, 4, 7]) {
      assert.deepEqual(exec(CORTEX_A57, 1, mrsWord(5, [3, 0, 0, 0, op2])), { el: 1, esr: UNDEF_ESR }, `op2=${op2}`);
    }
  });
});

describe('CPU models advertise only what the simulator implements', () => {
  const field = (m: CpuModel, reg: string, lsb: number): number => ((m.ids[reg]?.[0] ?? 0) >>> lsb) & 0xf;
  // Representative encodings (DDI0487 C6/C7): AESE V0.16B, V1.16B; SHA1C Q0, S1, V2.4S; SHA256H Q0, Q1, V2.4S;
  // PMULL V0.1Q, V1.1D, V2.1D; CRC32B W0, W1, W2; LDADD W1, W0, [X2]; SQRDMLAH V0.4S, V1.4S, V2.4S (FEAT_RDM);
  // SDOT V0.4S, V1.16B, V2.16B (FEAT_DotProd).
  const AESE = 0x4e284820, SHA1C = 0x5e020020, SHA256H = 0x5e024020, PMULL2D = 0x0ee2e020, CRC32B = 0x1ac24020, LDADD = 0xb8210040, SQRDMLAH = 0x6e828420, SDOT = 0x4e829420;

  for (const m of [CORTEX_A57, ARMV81_VHE]) {
    it(`${m.name}: ID_AA64ISAR0_EL1 fields match the decoder (AES+PMULL/SHA1/SHA2 present, CRC32 present, Atomic iff LSE, RDM/DP iff the model has them)`, () => {
      // Crypto executes on both models (src/sim/isa/simd-crypto.ts; test/unit/sim/crypto.test.ts checks each
      // instruction against its feature); the decoder accepts the encodings, the ID register says so.
      assert.equal(isUndefined(AESE) || isUndefined(PMULL2D), false, 'AES/PMULL decode');
      assert.equal(field(m, 'ID_AA64ISAR0_EL1', 4), m.features.pmull ? 2 : m.features.aes ? 1 : 0, 'AES');
      assert.equal(isUndefined(SHA1C), false); assert.equal(field(m, 'ID_AA64ISAR0_EL1', 8), m.features.sha1 ? 1 : 0, 'SHA1');
      assert.equal(isUndefined(SHA256H), false); assert.equal(field(m, 'ID_AA64ISAR0_EL1', 12), m.features.sha512 ? 2 : m.features.sha256 ? 1 : 0, 'SHA2');
      assert.equal(field(m, 'ID_AA64ISAR0_EL1', 4), m === CORTEX_A57 || m === ARMV81_VHE ? 2 : -1, 'both models have AES and PMULL');
      assert.equal(isUndefined(CRC32B), false); assert.equal(field(m, 'ID_AA64ISAR0_EL1', 16), 1, 'CRC32');
      assert.equal(field(m, 'ID_AA64ISAR0_EL1', 20), m.features.lse ? 2 : 0, 'Atomic');
      if (m.features.lse) assert.equal(isUndefined(LDADD), false);
      // RDM and DotProd decode on every model and are UNDEFINED at execution where the model lacks
      // them (test/unit/sim/simd-int-ext.test.ts runs them on both models).
      assert.equal(isUndefined(SQRDMLAH), false); assert.equal(field(m, 'ID_AA64ISAR0_EL1', 28), m.features.rdm ? 1 : 0, 'RDM');
      assert.equal(isUndefined(SDOT), false); assert.equal(((m.ids.ID_AA64ISAR0_EL1[1] >>> 12) & 0xf), m.features.dotprod ? 1 : 0, 'DP [47:44]');
    });

    it(`${m.name}: AArch64-only ELs, no EL3, no mixed-endian, PMUv3 present and its version matches the model`, () => {
      assert.equal((m.ids.ID_AA64PFR0_EL1[0] & 0xffff) >>> 0, 0x0111);
      assert.equal(field(m, 'ID_AA64MMFR0_EL1', 8), 0, 'BigEnd');
      assert.equal(field(m, 'ID_AA64MMFR0_EL1', 16), 0, 'BigEndEL0');
      assert.equal(field(m, 'ID_AA64DFR0_EL1', 8), m.features.pmuv3p1 ? 4 : 1, 'PMUVer');
      assert.equal(field(m, 'ID_AA64MMFR1_EL1', 12), 0, 'HPDS: TCR_ELx.HPD is not implemented');
      assert.equal(field(m, 'ID_AA64MMFR1_EL1', 8), m.features.vhe ? 1 : 0, 'VH');
      assert.equal(field(m, 'ID_AA64MMFR1_EL1', 20), m.features.pan ? 1 : 0, 'PAN');
    });
  }

  it('max: CSV2 = CSV3 = 1 (no speculation), but not CSV2 = 2 (SCXTNUM_EL1 is UNDEFINED); the A57 keeps 0', () => {
    // ID_AA64PFR0_EL1.CSV2 is [59:56], CSV3 [63:60] (D17.2.67).
    const csv = (m: CpuModel): [number, number] => [(m.ids.ID_AA64PFR0_EL1[1] >>> 24) & 0xf, m.ids.ID_AA64PFR0_EL1[1] >>> 28];
    assert.deepEqual(csv(ARMV81_VHE), [1, 1]);
    assert.deepEqual(csv(CORTEX_A57), [0, 0]);
    const scxtnumEl1: Enc = [3, 0, 13, 0, 7];
    assert.deepEqual(exec(ARMV81_VHE, 1, mrsWord(5, scxtnumEl1)), { el: 1, esr: UNDEF_ESR });
    // The value reaches MRS at EL1 (TID3 clear), as Linux reads it in cpuinfo_store_cpu.
    assert.equal(exec(ARMV81_VHE, 1, mrsWord(5, [3, 0, 0, 4, 0])).value! >> 56n, 0x11n);
  });

  it('PARange: 44 bits on the A57, 48 bits on max; the MIDRs differ (max is not a real core)', () => {
    assert.equal(field(CORTEX_A57, 'ID_AA64MMFR0_EL1', 0), 4);
    assert.equal(field(ARMV81_VHE, 'ID_AA64MMFR0_EL1', 0), 5);
    assert.equal(CORTEX_A57.midr, 0x411fd070);
    assert.equal(ARMV81_VHE.midr >>> 24, 0, 'Implementer 0: reserved for software use');
    assert.equal(exec(ARMV81_VHE, 2, mrsWord(5, [3, 0, 0, 0, 0])).value, 0xf0510n);
  });

  it('registers of features the models report absent are UNDEFINED at EL1 and EL2 (LORegions, SVE, PAuth, RAS, MTE)', () => {
    const cases: { reg: string; lsb: number; enc: Enc; what: string }[] = [
      { reg: 'ID_AA64MMFR1_EL1', lsb: 16, enc: [3, 0, 10, 4, 3], what: 'LORC_EL1 (FEAT_LOR)' },
      { reg: 'ID_AA64PFR0_EL1', lsb: 32, enc: [3, 0, 1, 2, 0], what: 'ZCR_EL1 (SVE)' },
      { reg: 'ID_AA64ISAR1_EL1', lsb: 4, enc: [3, 0, 2, 1, 0], what: 'APIAKEYLO_EL1 (PAuth)' },
      { reg: 'ID_AA64PFR0_EL1', lsb: 28, enc: [3, 0, 5, 3, 0], what: 'ERRIDR_EL1 (RAS)' },
      { reg: 'ID_AA64PFR1_EL1', lsb: 8, enc: [3, 0, 5, 6, 0], what: 'TFSR_EL1 (MTE)' },
    ];
    for (const m of [CORTEX_A57, ARMV81_VHE]) {
      for (const c of cases) {
        const v = m.ids[c.reg] ?? [0, 0];
        assert.equal(((c.lsb >= 32 ? v[1] >>> (c.lsb - 32) : v[0] >>> c.lsb) & 0xf), 0, `${m.name} ${c.reg}[${c.lsb + 3}:${c.lsb}] says ${c.what} is absent`);
        for (const el of [1, 2]) assert.deepEqual(exec(m, el, mrsWord(5, c.enc)), { el, esr: UNDEF_ESR }, `${m.name} ${c.what} at EL${el}`);
      }
    }
  });

  it('SCTLR_EL1.EE/E0E and SCTLR_EL2.EE are RES0 (BigEnd = 0): MSR writes of them are ignored', () => {
    const t = new TestBoard();
    const pe = t.reset(2);
    pe.x[1] = 0x03000000;
    t.code([msrWord(1, [3, 0, 1, 0, 0]), msrWord(1, [3, 4, 1, 0, 0]), mrsWord(2, [3, 0, 1, 0, 0]), mrsWord(3, [3, 4, 1, 0, 0])]);
    pe.run(4);
    assert.equal(pe.exceptions, 0);
    assert.equal(pe.x[4] & 0x03000000, 0, 'SCTLR_EL1');
    assert.equal(pe.x[6] & 0x03000000, 0, 'SCTLR_EL2');
  });
});
