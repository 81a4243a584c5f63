// Virtual interrupts from HCR_EL2: VI (with IMO) gives a virtual IRQ, VF (with FMO) a virtual FIQ,
// VSE (with AMO) a virtual SError, taken at EL1 when PSTATE unmasks them (EL1h -> 0x280/0x300/
// 0x380, EL1t -> 0x080, EL0 -> 0x480), visible in ISR_EL1, not delivered at all without IMO, and
// waking WFI while masked. A taken virtual SError clears HCR_EL2.VSE; VI/VF stay set until EL2
// clears them (the EL1 hook masks the interrupt in SPSR_EL1 so that the return does not re-take it).
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
        SET_HOOK 1, mask_in_spsr
        // VI without IMO: nothing happens
        HCR_SET 7
        TO_EL1
        PSYS    ISR_EL1
        msr     daifclr, #2
        nop
        PUTS    "no IMO: not taken\n"
        msr     daifset, #2
        UP_EL2
        PSYS    ISR_EL1
        // IMO + VI
        HCR_SET 4
        TO_EL1
        PSYS    ISR_EL1
        wfi
        PUTS    "wfi woke (masked)\n"
        msr     daifclr, #2
        nop
        PUTS    "after IRQ\n"
        PSYS    DAIF
        UP_EL2
        // EL1t
        TO_EL1T
        msr     daifclr, #2
        nop
        PUTS    "after IRQ at EL1t\n"
        UP_EL2
        // from EL0 (UMA lets EL0 unmask)
        ldr     x1, =SCTLR_EL1_RES1 | (1 << 9)
        msr     sctlr_el1, x1
        TO_EL1
        TO_EL0
        msr     daifclr, #2
        nop
        PUTS    "after IRQ from EL0\n"
        UP_EL1
        UP_EL2
        HCR_CLR 7
        TO_EL1
        PSYS    ISR_EL1
        msr     daifclr, #2
        nop
        PUTS    "VI clear: not taken\n"
        msr     daifset, #2
        UP_EL2
        HCR_CLR 4
        // FMO + VF
        HCR_SET 3
        HCR_SET 6
        TO_EL1
        PSYS    ISR_EL1
        msr     daifclr, #1
        nop
        PUTS    "after FIQ\n"
        UP_EL2
        HCR_CLR 6
        HCR_CLR 3
        // AMO + VSE
        HCR_SET 5
        HCR_SET 8
        TO_EL1
        PSYS    ISR_EL1
        msr     daifclr, #4
        nop
        PUTS    "after SError\n"
        PSYS    ISR_EL1
        UP_EL2
        mrs     x3, hcr_el2
        PV      hcr_vse, x3
        HCR_CLR 5
        CLR_HOOK 1
        EXIT    0
// EL1 hook: x0 = vector offset; mask the class that was taken in the interrupted context
mask_in_spsr:
        mrs     x2, spsr_el1
        and     x1, x0, #0x180
        cmp     x1, #0x080
        b.ne    1f
        orr     x2, x2, #0x80
1:      cmp     x1, #0x100
        b.ne    2f
        orr     x2, x2, #0x40
2:      cmp     x1, #0x180
        b.ne    3f
        orr     x2, x2, #0x100
3:      msr     spsr_el1, x2
        ret
