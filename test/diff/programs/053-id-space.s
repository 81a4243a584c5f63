// diff: cpu=cortex-a57
// The ID register space (op0=3, op1=0, CRn=0, CRm=1–7): unallocated encodings read zero (RAZ), the
// registers QEMU's cortex-a57 and our model agree on read the same, MSR is UNDEFINED, EL0 access is
// UNDEFINED, HCR_EL2.TID3 traps every encoding of the space (ESR EC 0x18 with the encoding).
// Not printed (deliberate differences, README "Limits"): the AArch32 ID registers (we implement no
// AArch32 state and read them as 0), ID_AA64PFR0_EL1.EL0–EL2 (AArch64 only) and
// ID_AA64MMFR0_EL1.BigEnd (not implemented here); the rest of those registers is printed masked.
// ID_AA64ISAR0_EL1 is printed whole: AES+PMULL, SHA1, SHA2 and CRC32 as QEMU's cortex-a57.
        .include "harness.inc"
        .macro PMASK reg, mask
        mrs     x4, \reg
        MOV64   x5, \mask
        and     x4, x4, x5
        PV      \reg, x4
        .endm
main:
        PMASK   s3_0_c0_c4_0, 0xfffffffffffff000   // ID_AA64PFR0_EL1 without EL0..EL3
        PSYS    s3_0_c0_c6_0                         // ID_AA64ISAR0_EL1
        PMASK   s3_0_c0_c7_0, 0xfffffffffffff0ff   // ID_AA64MMFR0_EL1 without BigEnd
        PSYS    s3_0_c0_c5_0                         // ID_AA64DFR0_EL1
        // AArch32 registers QEMU's cortex-a57 reads as zero, and the unallocated ones of CRm 1–3
        PSYS    s3_0_c0_c1_3
        PSYS    s3_0_c0_c2_6
        PSYS    s3_0_c0_c2_7
        PSYS    s3_0_c0_c3_3
        PSYS    s3_0_c0_c3_4
        PSYS    s3_0_c0_c3_5
        PSYS    s3_0_c0_c3_6
        PSYS    s3_0_c0_c3_7
        // CRm 4–7 other than the masked registers above
        PSYS    s3_0_c0_c4_1
        PSYS    s3_0_c0_c4_2
        PSYS    s3_0_c0_c4_3
        PSYS    s3_0_c0_c4_4
        PSYS    s3_0_c0_c4_5
        PSYS    s3_0_c0_c4_6
        PSYS    s3_0_c0_c4_7
        PSYS    s3_0_c0_c5_1
        PSYS    s3_0_c0_c5_2
        PSYS    s3_0_c0_c5_3
        PSYS    s3_0_c0_c5_4
        PSYS    s3_0_c0_c5_5
        PSYS    s3_0_c0_c5_6
        PSYS    s3_0_c0_c5_7
        PSYS    s3_0_c0_c6_1
        PSYS    s3_0_c0_c6_2
        PSYS    s3_0_c0_c6_3
        PSYS    s3_0_c0_c6_4
        PSYS    s3_0_c0_c6_5
        PSYS    s3_0_c0_c6_6
        PSYS    s3_0_c0_c6_7
        PSYS    s3_0_c0_c7_1
        PSYS    s3_0_c0_c7_2
        PSYS    s3_0_c0_c7_3
        PSYS    s3_0_c0_c7_4
        PSYS    s3_0_c0_c7_5
        PSYS    s3_0_c0_c7_6
        PSYS    s3_0_c0_c7_7
        TO_EL1
        PUTS    "EL1\n"
        PSYS    s3_0_c0_c6_2                         // ID_AA64ISAR2_EL1 (Linux 6.1 reads it)
        PSYS    s3_0_c0_c4_4                         // ID_AA64ZFR0_EL1
        PSYS    s3_0_c0_c3_5                         // ID_DFR1_EL1
        PUTS    "MSR\n"
        msr     s3_0_c0_c6_2, x1
        msr     s3_0_c0_c3_3, x1
        msr     s3_0_c0_c4_0, x1
        UP_EL2
        PUTS    "TID3\n"
        mrs     x3, hcr_el2
        orr     x3, x3, #(1 << 18)
        msr     hcr_el2, x3
        isb
        TO_EL1
        mrs     x4, s3_0_c0_c6_2
        mrs     x5, s3_0_c0_c3_3
        mrs     x6, s3_0_c0_c1_0
        mrs     x7, s3_0_c0_c7_7
        mrs     x8, s3_0_c0_c4_5
        msr     s3_0_c0_c5_3, x9
        PUTS    "EL0\n"
        TO_EL0
        mrs     x4, s3_0_c0_c6_2
        mrs     x5, s3_0_c0_c4_0
        UP_EL1
        UP_EL2
        EXIT    0
