// HCR_EL2.TVM traps EL1 writes of the virtual-memory control registers to EL2, HCR_EL2.TRVM
// traps their reads (EC 0x18; ISS = Op0<<20 | Op2<<17 | Op1<<14 | CRn<<10 | Rt<<5 | CRm<<1 | dir).
// A trapped MSR does not write; a trapped MRS leaves Rt unchanged.
        .include "harness.inc"
main:
        // known values for the registers, from EL2
        ldr     x1, =SCTLR_EL1_RES1
        msr     sctlr_el1, x1
        msr     ttbr0_el1, xzr
        msr     ttbr1_el1, xzr
        msr     tcr_el1, xzr
        msr     mair_el1, xzr
        msr     amair_el1, xzr
        msr     contextidr_el1, xzr
        msr     far_el1, xzr
        msr     afsr0_el1, xzr
        msr     afsr1_el1, xzr
        mrs     x3, hcr_el2
        orr     x3, x3, #(1 << 26)
        msr     hcr_el2, x3
        isb
        TO_EL1
        MOV64   x5, 0x1234000
        msr     sctlr_el1, x5
        msr     ttbr0_el1, x6
        msr     ttbr1_el1, x7
        msr     tcr_el1, x8
        msr     esr_el1, x9
        msr     far_el1, x10
        msr     afsr0_el1, x11
        msr     afsr1_el1, x12
        msr     mair_el1, x13
        msr     amair_el1, x14
        msr     contextidr_el1, x15
        msr     sctlr_el1, xzr
        msr     ttbr0_el1, x30
        // not VM registers: not trapped by TVM
        msr     tpidr_el1, x5
        msr     tpidrro_el0, x1
        mrs     x20, sctlr_el1
        PR      x20
        mrs     x20, tpidr_el1
        PR      x20
        UP_EL2
        PSYS    TTBR0_EL1
        PSYS    TCR_EL1
        // TRVM (bit 30): reads trap, writes do not
        mrs     x3, hcr_el2
        bic     x3, x3, #(1 << 26)
        orr     x3, x3, #(1 << 30)
        msr     hcr_el2, x3
        isb
        TO_EL1
        mov     x20, #0x77
        mrs     x20, sctlr_el1
        PR      x20
        mrs     x21, ttbr0_el1
        mrs     x22, ttbr1_el1
        mrs     x23, tcr_el1
        mrs     x24, esr_el1
        mrs     x25, far_el1
        mrs     x26, afsr0_el1
        mrs     x27, afsr1_el1
        mrs     x28, mair_el1
        mrs     x0, amair_el1
        mrs     x1, contextidr_el1
        mrs     x2, tpidr_el1
        PR      x2
        msr     mair_el1, x5
        UP_EL2
        PSYS    MAIR_EL1
        mrs     x3, hcr_el2
        bic     x3, x3, #(1 << 30)
        msr     hcr_el2, x3
        isb
        EXIT    0
