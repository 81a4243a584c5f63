// HCR_EL2.TGE=1 (E2H=0): exceptions from EL0 that would go to EL1 go to EL2 instead (SVC, UDF,
// BRK, HVC-as-UNDEFINED, trapped EL1 register access, alignment faults are not used here), and an
// exception return to EL1 is illegal (PSTATE.IL, then EC 0x0E at EL2).
        .include "harness.inc"
main:
        mrs     x3, hcr_el2
        orr     x3, x3, #(1 << 27)
        msr     hcr_el2, x3
        isb
        EL2_TO_EL0
        PUTS    "EL0 with TGE\n"
        svc     #7
        svc     #0x100
        udf     #3
        brk     #9
        hvc     #1
        mrs     x4, sctlr_el1
        UP_EL1
        PSYS    CurrentEL
        // ERET to EL1 with TGE=1 is an illegal return
        SET_HOOK 2, clear_il
        SET_RESUME 2, back
        MOV64   x0, 0x3c5
        msr     spsr_el2, x0
        adr     x0, 1f
        msr     elr_el2, x0
        eret
1:      nop
back:   PSYS    CurrentEL
        CLR_HOOK 2
        mrs     x3, hcr_el2
        bic     x3, x3, #(1 << 27)
        msr     hcr_el2, x3
        isb
        // without TGE, the same SVC goes to EL1
        EL2_TO_EL0
        svc     #8
        UP_EL1
        UP_EL2
        EXIT    0
clear_il:
        mrs     x2, spsr_el2
        bic     x2, x2, #(1 << 20)
        msr     spsr_el2, x2
        ret
