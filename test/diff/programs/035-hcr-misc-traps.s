// Other EL2 trap controls (EC 0x18 with the system instruction/register in the ISS):
// HCR_EL2.TTLB (TLB maintenance), TSW (DC by set/way), TPC (DC CIVAC/CVAC to PoC), TPU (IC IVAU,
// DC CVAU), TACR (ACTLR_EL1), TID3 (ID_AA64*), TID2 (CTR_EL0/CLIDR/CSSELR/CCSIDR), TID1
// (REVIDR/AIDR), CNTHCTL_EL2.EL1PCTEN/EL1PCEN (physical counter/timer at EL1).
        .include "harness.inc"
        .macro HCR_SET bit
        mrs     x3, hcr_el2
        orr     x3, x3, #(1 << \bit)
        msr     hcr_el2, x3
        isb
        .endm
        .macro HCR_CLR bit
        mrs     x3, hcr_el2
        bic     x3, x3, #(1 << \bit)
        msr     hcr_el2, x3
        isb
        .endm
main:
        MOV64   x20, DATA_BASE
        HCR_SET 25
        TO_EL1
        PUTS    "TTLB\n"
        tlbi    vmalle1
        tlbi    vae1, x20
        tlbi    aside1, x1
        tlbi    vmalle1is
        tlbi    vaale1is, x2
        UP_EL2
        HCR_CLR 25
        HCR_SET 22
        TO_EL1
        PUTS    "TSW\n"
        dc      isw, x1
        dc      csw, x2
        dc      cisw, x3
        UP_EL2
        HCR_CLR 22
        HCR_SET 23
        TO_EL1
        PUTS    "TPC\n"
        dc      civac, x20
        dc      cvac, x20
        dc      ivac, x20
        UP_EL2
        HCR_CLR 23
        HCR_SET 24
        TO_EL1
        PUTS    "TPU\n"
        ic      ivau, x20
        dc      cvau, x20
        ic      iallu
        ic      ialluis
        UP_EL2
        HCR_CLR 24
        HCR_SET 21
        TO_EL1
        PUTS    "TACR\n"
        mrs     x4, actlr_el1
        msr     actlr_el1, x4
        UP_EL2
        HCR_CLR 21
        HCR_SET 18
        TO_EL1
        PUTS    "TID3\n"
        mrs     x4, id_aa64pfr0_el1
        mrs     x5, id_aa64isar0_el1
        mrs     x6, id_aa64mmfr0_el1
        mrs     x7, id_aa64dfr0_el1
        UP_EL2
        HCR_CLR 18
        HCR_SET 17
        TO_EL1
        PUTS    "TID2\n"
        mrs     x4, ctr_el0
        mrs     x5, clidr_el1
        mrs     x6, csselr_el1
        msr     csselr_el1, xzr
        mrs     x7, ccsidr_el1
        UP_EL2
        HCR_CLR 17
        HCR_SET 16
        TO_EL1
        PUTS    "TID1\n"
        mrs     x4, revidr_el1
        mrs     x5, aidr_el1
        UP_EL2
        HCR_CLR 16
        // no trap bits: the same instructions run at EL1 without exceptions
        TO_EL1
        PUTS    "no traps\n"
        tlbi    vmalle1
        dc      civac, x20
        ic      iallu
        dsb     sy
        isb
        UP_EL2
        // CNTHCTL_EL2: EL1PCTEN (bit 0) = 0 traps CNTPCT_EL0; EL1PCEN (bit 1) = 0 traps CNTP_*
        mov     x4, #0
        msr     cnthctl_el2, x4
        isb
        TO_EL1
        PUTS    "CNTHCTL\n"
        mrs     x4, cntpct_el0
        mrs     x5, cntp_ctl_el0
        msr     cntp_ctl_el0, xzr
        mrs     x6, cntp_cval_el0
        msr     cntp_tval_el0, x6
        UP_EL2
        mov     x4, #3
        msr     cnthctl_el2, x4
        isb
        EXIT    0
