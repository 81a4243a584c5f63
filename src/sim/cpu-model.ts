// CPU models: identification register values and optional features. Values follow what
// QEMU reports for the same -cpu, so the differential tests see identical IDs.

export interface CpuFeatures {
  /** FEAT_VHE (ARMv8.1): HCR_EL2.E2H, TTBR1_EL2, *_EL12 aliases. */
  vhe: boolean;
  /** FEAT_PAN (ARMv8.1). */
  pan: boolean;
  /** FEAT_LSE atomics (ARMv8.1). */
  lse: boolean;
}

export interface CpuModel {
  name: string;
  midr: number;
  features: CpuFeatures;
  /** ID register values by name (low 32 bits, high 32 bits). */
  ids: Record<string, [number, number]>;
  /** CCSIDR_EL1 by CSSELR_EL1 value. */
  ccsidr: Record<number, number>;
}

/** Cortex-A57 (ARMv8.0), the paper-era core and QEMU's `-cpu cortex-a57`. */
export const CORTEX_A57: CpuModel = {
  name: 'cortex-a57',
  midr: 0x411fd070,
  features: { vhe: false, pan: false, lse: false },
  ids: {
    // EL3 not implemented on this board (QEMU virt without secure=on clears the EL3 field).
    ID_AA64PFR0_EL1: [0x00000222, 0],
    ID_AA64DFR0_EL1: [0x10305106, 0],
    ID_AA64ISAR0_EL1: [0x00011120, 0],
    ID_AA64MMFR0_EL1: [0x00001124, 0],
    CTR_EL0: [0x8444c004, 0],
    CLIDR_EL1: [0x0a200023, 0],
    DCZID_EL0: [0x00000004, 0],
    ID_PFR0_EL1: [0x00000131, 0], ID_PFR1_EL1: [0x00011011, 0], ID_DFR0_EL1: [0x03010066, 0],
    ID_MMFR0_EL1: [0x10101105, 0], ID_MMFR1_EL1: [0x40000000, 0], ID_MMFR2_EL1: [0x01260000, 0], ID_MMFR3_EL1: [0x02102211, 0],
    ID_ISAR0_EL1: [0x02101110, 0], ID_ISAR1_EL1: [0x13112111, 0], ID_ISAR2_EL1: [0x21232042, 0], ID_ISAR3_EL1: [0x01112131, 0],
    ID_ISAR4_EL1: [0x00011142, 0], ID_ISAR5_EL1: [0x00011121, 0], MVFR0_EL1: [0x10110222, 0], MVFR1_EL1: [0x12111111, 0], MVFR2_EL1: [0x00000043, 0],
  },
  ccsidr: { 0: 0x701fe00a, 1: 0x201fe012, 2: 0x70ffe07a },
};

/** An ARMv8.1 core with VHE, for the kvm-vhe examples (QEMU's `-cpu max` also has VHE). */
export const ARMV81_VHE: CpuModel = {
  ...CORTEX_A57,
  name: 'armv8.1-vhe',
  features: { vhe: true, pan: true, lse: true },
  ids: {
    ...CORTEX_A57.ids,
    ID_AA64ISAR0_EL1: [0x00211120, 0],
    // VH=1, PAN=1, VMIDBits=16 (0b0010)
    ID_AA64MMFR1_EL1: [0x00101120, 0],
  },
};

export const CPU_MODELS: Record<string, CpuModel> = { 'cortex-a57': CORTEX_A57, 'armv8.1-vhe': ARMV81_VHE, max: ARMV81_VHE };
