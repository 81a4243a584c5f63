// CPU models: identification register values and optional features. Values follow what QEMU
// reports for the same -cpu wherever the simulator implements the feature; the differences are
// listed on each model and checked by test/unit/sim/id-space.test.ts and
// test/diff/programs/053-id-space.s.

export interface CpuFeatures {
  /** FEAT_VHE (ARMv8.1): HCR_EL2.E2H, TTBR1_EL2, *_EL12 aliases. */
  vhe: boolean;
  /** FEAT_PAN (ARMv8.1). */
  pan: boolean;
  /** FEAT_LSE atomics (ARMv8.1). */
  lse: boolean;
  /**
   * FEAT_PMUv3p1 (ARMv8.1 PMU): 16-bit PMEVTYPER.evtCount, PMCEID0/1 upper halves,
   * MDCR_EL2.HPMD. Without it the PMU is plain PMUv3 (ID_AA64DFR0_EL1.PMUVer = 1).
   */
  pmuv3p1: boolean;
  /** FEAT_RDM (ARMv8.1): SQRDMLAH, SQRDMLSH (ID_AA64ISAR0_EL1.RDM). */
  rdm: boolean;
  /** FEAT_DotProd (OPTIONAL from Armv8.1, mandatory with AdvSIMD from Armv8.4): SDOT, UDOT (ID_AA64ISAR0_EL1.DP). */
  dotprod: boolean;
  /** FEAT_AES: AESE, AESD, AESMC, AESIMC (ID_AA64ISAR0_EL1.AES >= 1). */
  aes: boolean;
  /** FEAT_PMULL: PMULL/PMULL2 with 64-bit source elements (ID_AA64ISAR0_EL1.AES = 2). */
  pmull: boolean;
  /** FEAT_SHA1: SHA1C, SHA1P, SHA1M, SHA1H, SHA1SU0, SHA1SU1 (ID_AA64ISAR0_EL1.SHA1 = 1). */
  sha1: boolean;
  /** FEAT_SHA256: SHA256H, SHA256H2, SHA256SU0, SHA256SU1 (ID_AA64ISAR0_EL1.SHA2 >= 1). */
  sha256: boolean;
  /** FEAT_SHA512 (ARMv8.2, needs FEAT_SHA256): SHA512H, SHA512H2, SHA512SU0, SHA512SU1 (SHA2 = 2). */
  sha512: boolean;
  /** FEAT_SHA3 (ARMv8.2): EOR3, BCAX, RAX1, XAR (ID_AA64ISAR0_EL1.SHA3 = 1). */
  sha3: boolean;
  /**
   * FEAT_FP16 (ARMv8.2): half-precision FP arithmetic, scalar and AdvSIMD, and FPCR.FZ16
   * (ID_AA64PFR0_EL1.FP = AdvSIMD = 1). Without it those encodings are UNDEFINED.
   */
  fp16: boolean;
}

export interface CpuModel {
  name: string;
  midr: number;
  features: CpuFeatures;
  /**
   * PMCR_EL0's read-only part: IMP [31:24], IDCODE [23:16] and N [15:11], the number of event
   * counters (src/sim/pmu/pmu.ts implements up to 31; the Cortex-A57 has 6).
   */
  pmcr: number;
  /** ID register values by name (low 32 bits, high 32 bits); a register not listed reads 0. */
  ids: Record<string, [number, number]>;
  /** CCSIDR_EL1 by CSSELR_EL1 value. */
  ccsidr: Record<number, number>;
}

/**
 * Cortex-A57 (ARMv8.0), the paper-era core and QEMU's `-cpu cortex-a57`. MIDR, CTR, CLIDR,
 * CCSIDR, DCZID, ID_AA64DFR0 and PMCR are the A57's (Cortex-A57 TRM r1p0, as in QEMU). Feature
 * fields the A57 has but this simulator does not implement read "not implemented", so that
 * software never takes a path we would make UNDEFINED (README "Limits"):
 * - ID_AA64PFR0_EL1.EL0/EL1/EL2 = 1, AArch64 only (the A57 says 2, AArch32 too): no AArch32
 *   state at any EL, and the AArch32 ID registers then read 0 (see sysregs/id.ts);
 * - ID_AA64ISAR0_EL1: AES = 2 (AES and PMULL), SHA1 = 1, SHA2 = 1, CRC32 = 1 — the A57 with its
 *   optional Cryptographic Extension (the TRM's ID_AA64ISAR0_EL1 reads 0x00011120 with it,
 *   0x00010000 without), as QEMU's cortex-a57 (src/sim/isa/simd-crypto.ts);
 * - ID_AA64MMFR0_EL1.BigEnd = 0 (mixed-endian data is not implemented; SCTLR_ELx.EE/E0E are RES0).
 * EL3 is not implemented (QEMU's virt without secure=on clears the EL3 field too).
 */
export const CORTEX_A57: CpuModel = {
  name: 'cortex-a57',
  midr: 0x411fd070,
  features: { vhe: false, pan: false, lse: false, pmuv3p1: false, fp16: false, rdm: false, dotprod: false, aes: true, pmull: true, sha1: true, sha256: true, sha512: false, sha3: false },
  // IMP 0x41 (Arm), IDCODE 0x01 (Cortex-A57), N = 6 event counters.
  pmcr: 0x41013000,
  ids: {
    // EL0/EL1/EL2 AArch64 only, EL3 not implemented, FP and AdvSIMD implemented (0), GIC set per board.
    ID_AA64PFR0_EL1: [0x00000111, 0],
    // DebugVer 6 (v8.0), PMUVer 1 (PMUv3), BRPs 5 (6 breakpoints), WRPs 3 (4 watchpoints), CTX_CMPs 1 (2).
    ID_AA64DFR0_EL1: [0x10305106, 0],
    // AES = 2 (AES + PMULL), SHA1 = 1, SHA2 = 1 (SHA-256), CRC32 = 1.
    ID_AA64ISAR0_EL1: [0x00011120, 0],
    // PARange 44 bits, ASIDBits 16, BigEnd 0, SNSMem 1, TGran16 no, TGran64 and TGran4 yes.
    ID_AA64MMFR0_EL1: [0x00001024, 0],
    CTR_EL0: [0x8444c004, 0],
    CLIDR_EL1: [0x0a200023, 0],
    DCZID_EL0: [0x00000004, 0],
  },
  ccsidr: { 0: 0x701fe00a, 1: 0x201fe012, 2: 0x70ffe07a },
};

/**
 * An ARMv8.1 core with VHE, for the kvm-vhe examples (QEMU's `-cpu max` also has VHE). Its MIDR
 * is not a real core's: Implementer 0 ("reserved for software use"), Architecture 0xF (the ID
 * registers describe the features), PartNum 0x051, variant and revision 0, as QEMU's max
 * (D17.2.100). Keeping the A57's MIDR on a v8.1 core would make software apply A57 errata
 * workarounds to a core that cannot exist: Linux then selects the Spectre-v3a hyp vectors,
 * which a VHE kernel cannot map (BUG() in create_hyp_exec_mappings).
 */
export const ARMV81_VHE: CpuModel = {
  ...CORTEX_A57,
  name: 'armv8.1-vhe',
  midr: 0x000f0510,
  features: { ...CORTEX_A57.features, vhe: true, pan: true, lse: true, pmuv3p1: true, rdm: true, dotprod: true },
  ids: {
    ...CORTEX_A57.ids,
    // PMUVer 4 (PMUv3 for Armv8.1); the debug fields stay the A57's.
    ID_AA64DFR0_EL1: [0x10305406, 0],
    // AES = 2, SHA1 = 1, SHA2 = 1, CRC32 = 1, Atomic = 2 (FEAT_LSE), RDM = 1 (FEAT_RDM, bits
    // [31:28]); DP = 1 (FEAT_DotProd, bits [47:44]) in the high word (D17.2.61).
    ID_AA64ISAR0_EL1: [0x10211120, 0x00001000],
    // VMIDBits 16, VH 1, PAN 1. HPDS (TCR_ELx.HPD) and LO (LORegions) are not implemented.
    ID_AA64MMFR1_EL1: [0x00100120, 0],
    // As the A57, plus CSV2 = 1 and CSV3 = 1 (D17.2.67): this simulator does not speculate, so
    // branch targets trained in one context cannot steer another (FEAT_CSV2) and data from a
    // faulting load never forms an address (FEAT_CSV3). Software then needs no Spectre-v2
    // mitigation and no kernel page-table isolation (QEMU's max says the same; its CSV2 = 2
    // also needs SCXTNUM_ELx, which is not implemented here).
    ID_AA64PFR0_EL1: [0x00000111, 0x11000000],
    // As the A57 but PARange 48 bits (5), the Armv8.0-8.1 maximum for 4 KiB granules.
    ID_AA64MMFR0_EL1: [0x00001025, 0],
  },
};

/**
 * `max`: the ARMv8.1 VHE core plus Armv8.2 options QEMU's max also has: FEAT_FP16 (half-precision
 * arithmetic, scalar and AdvSIMD, and FPCR.FZ16; ID_AA64PFR0_EL1.FP = 1 and AdvSIMD = 1, D17.2.64:
 * "as for 0b0000, and adds support for half-precision floating-point arithmetic"), FEAT_SHA512
 * (ID_AA64ISAR0_EL1.SHA2 = 2) and FEAT_SHA3 (SHA3 = 1, bits [35:32]).
 */
export const MAX: CpuModel = {
  ...ARMV81_VHE,
  name: 'max',
  features: { ...ARMV81_VHE.features, fp16: true, sha512: true, sha3: true },
  ids: {
    ...ARMV81_VHE.ids,
    ID_AA64PFR0_EL1: [0x00110111, 0x11000000],
    ID_AA64ISAR0_EL1: [0x10212120, 0x00001001],
  },
};

export const CPU_MODELS: Record<string, CpuModel> = { 'cortex-a57': CORTEX_A57, 'armv8.1-vhe': ARMV81_VHE, max: MAX };
