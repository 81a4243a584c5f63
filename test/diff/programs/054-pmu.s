// diff: cpu=cortex-a57
// PMUv3 where QEMU's behaviour is architectural and deterministic: PMCR_EL0 (IMP, IDCODE, N = 6,
// writable bits, P/C read 0), PMCEID0_EL0 for the events both count (SW_INCR, CPU_CYCLES), SW_INCR
// counting with the EL filters and its overflow flag, PMSELR/PMXEVTYPER indirection, MDCR_EL2.HPMN
// seen as PMCR_EL0.N at EL1, and the trap syndromes of MDCR_EL2.TPM (to EL2) and PMUSERENR_EL0
// (EL0 to EL1). Cycle and instruction counts are not printed (QEMU's follow host time / icount).
        .include "harness.inc"
        .macro SWINC mask
        mov     x3, #\mask
        msr     pmswinc_el0, x3
        .endm
main:
        msr     pmcr_el0, xzr
        PSYS    pmcr_el0
        mov     x3, #0x79                   // E, D, X, DP, LC
        msr     pmcr_el0, x3
        PSYS    pmcr_el0
        mov     x3, #6                      // P, C: write-only actions
        msr     pmcr_el0, x3
        PSYS    pmcr_el0
        mrs     x4, pmceid0_el0
        MOV64   x5, 0x20001
        and     x4, x4, x5
        PV      pmceid0, x4
        PUTS    "SW_INCR\n"
        msr     pmcr_el0, xzr
        mov     x3, #(1 << 27)              // SW_INCR, NSH: counts at EL2 and EL1
        msr     pmevtyper0_el0, x3
        msr     pmevtyper1_el0, x3
        mov     x3, #0                      // SW_INCR at EL0/EL1 only
        msr     pmevtyper2_el0, x3
        msr     pmevcntr0_el0, xzr
        msr     pmevcntr1_el0, xzr
        msr     pmevcntr2_el0, xzr
        mov     x3, #7
        msr     pmcntenset_el0, x3
        msr     pmovsclr_el0, x3
        mov     x3, #1
        msr     pmcr_el0, x3
        isb
        SWINC   5
        SWINC   5
        SWINC   5
        PSYS    pmevcntr0_el0
        PSYS    pmevcntr1_el0
        PSYS    pmevcntr2_el0
        TO_EL1
        SWINC   5
        UP_EL2
        PSYS    pmevcntr0_el0
        PSYS    pmevcntr2_el0
        mov     x3, #1
        msr     pmcntenclr_el0, x3
        SWINC   1
        PSYS    pmevcntr0_el0
        PSYS    pmcntenset_el0
        MOV64   x3, 0xffffffff
        msr     pmevcntr1_el0, x3
        SWINC   2
        PSYS    pmevcntr1_el0
        mrs     x4, pmovsset_el0
        and     x4, x4, #7
        PV      pmovs, x4
        mov     x3, #2
        msr     pmovsclr_el0, x3
        mrs     x4, pmovsset_el0
        and     x4, x4, #7
        PV      pmovs, x4
        PUTS    "PMSELR\n"
        mov     x3, #1
        msr     pmselr_el0, x3
        MOV64   x3, 0x08000011
        msr     pmxevtyper_el0, x3
        PSYS    pmevtyper1_el0
        PSYS    pmselr_el0
        PUTS    "HPMN\n"
        mrs     x3, mdcr_el2
        bic     x3, x3, #0x1f
        orr     x3, x3, #4
        msr     mdcr_el2, x3
        isb
        TO_EL1
        mrs     x4, pmcr_el0
        ubfx    x4, x4, #11, #5
        PV      n_el1, x4
        UP_EL2
        mrs     x4, pmcr_el0
        ubfx    x4, x4, #11, #5
        PV      n_el2, x4
        PUTS    "TPM\n"
        mrs     x3, mdcr_el2
        orr     x3, x3, #(1 << 6)
        msr     mdcr_el2, x3
        isb
        TO_EL1
        mrs     x4, pmccntr_el0
        msr     pmcr_el0, xzr
        mrs     x4, pmintenset_el1
        msr     pmuserenr_el0, xzr
        msr     pmevtyper2_el0, xzr
        UP_EL2
        mrs     x3, mdcr_el2
        bic     x3, x3, #(1 << 6)
        msr     mdcr_el2, x3
        isb
        PUTS    "PMUSERENR\n"
        TO_EL1
        msr     pmuserenr_el0, xzr
        TO_EL0
        mrs     x4, pmccntr_el0
        mrs     x4, pmcr_el0
        msr     pmswinc_el0, x4
        mrs     x4, pmevcntr0_el0
        msr     pmselr_el0, x4
        mrs     x4, pmuserenr_el0
        PR      x4
        msr     pmuserenr_el0, x4
        UP_EL1
        mov     x3, #0xe                    // SW, CR, ER
        msr     pmuserenr_el0, x3
        TO_EL0
        mrs     x4, pmccntr_el0
        mov     x4, #0
        msr     pmswinc_el0, x4
        mrs     x4, pmevcntr0_el0
        msr     pmselr_el0, x4
        msr     pmccntr_el0, x4
        mrs     x4, pmcr_el0
        UP_EL1
        UP_EL2
        EXIT    0
