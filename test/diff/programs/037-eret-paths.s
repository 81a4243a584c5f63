// ERET: SPSR_EL2/ELR_EL2 choose the target; DAIF and NZCV are restored from SPSR; returns to
// EL1h, EL1t (SPSel=0, SP_EL0), EL0t and EL2t; illegal exception returns (to EL3, to a reserved
// mode, EL1 -> EL2) set PSTATE.IL and the next instruction takes an Illegal Execution State
// exception (EC 0x0E) at the same EL.
        .include "harness.inc"
        .macro GO spsr, label
        MOV64   x0, \spsr
        msr     spsr_el2, x0
        adr     x0, \label
        msr     elr_el2, x0
        eret
        .endm
main:
        SET_HOOK 2, clear_il
        SET_HOOK 1, clear_il
        GO      0x000001c5, t1
t1:     PUTS    "t1\n"
        PSYS    CurrentEL
        PSYS    DAIF
        PNZCV
        UP_EL2
        GO      0xf0000085, t2
t2:     PUTS    "t2\n"
        PSYS    DAIF
        PNZCV
        UP_EL2
        GO      0x50000344, t3
t3:     PUTS    "t3\n"
        PSYS    SPSel
        PSYS    DAIF
        PNZCV
        mov     x1, sp
        PR      x1
        UP_EL2
        // EL0t: let EL0 read DAIF (SCTLR_EL1.UMA)
        ldr     x1, =SCTLR_EL1_RES1 | (1 << 9)
        msr     sctlr_el1, x1
        GO      0xa0000240, t4
t4:     PUTS    "t4\n"
        mrs     x1, daif
        PR      x1
        PNZCV
        UP_EL1
        PSYS    SPSR_EL1
        PSYS    ELR_EL1
        adr     x2, t4
        mrs     x3, elr_el1
        sub     x3, x3, x2
        PR      x3
        UP_EL2
        ldr     x1, =SCTLR_EL1_RES1
        msr     sctlr_el1, x1
        // EL2t
        GO      0x300003c8, t5
t5:     PUTS    "t5\n"
        PSYS    CurrentEL
        PSYS    SPSel
        PNZCV
        msr     spsel, #1
        // illegal: target EL3 (not implemented)
        SET_RESUME 2, t6
        GO      0x8000000d, t6x
t6x:    PUTS    "t6x (IL set)\n"
        nop
t6:     PUTS    "t6\n"
        PSYS    CurrentEL
        PNZCV
        // illegal: reserved mode M = 0b0110
        SET_RESUME 2, t7
        GO      0x00000006, t7x
t7x:    nop
t7:     PUTS    "t7\n"
        PSYS    CurrentEL
        // illegal: from EL1, SPSR_EL1.M = EL2h
        TO_EL1
        SET_RESUME 1, t8
        MOV64   x0, 0x000003c9
        msr     spsr_el1, x0
        adr     x0, t8x
        msr     elr_el1, x0
        eret
t8x:    nop
t8:     PUTS    "t8\n"
        PSYS    CurrentEL
        UP_EL2
        CLR_HOOK 1
        CLR_HOOK 2
        EXIT    0
        // hook: clear SPSR.IL (bit 20) so that the handler's ERET is legal
clear_il:
        mrs     x2, CurrentEL
        cmp     x2, #8
        b.ne    1f
        mrs     x2, spsr_el2
        bic     x2, x2, #(1 << 20)
        msr     spsr_el2, x2
        ret
1:      mrs     x2, spsr_el1
        bic     x2, x2, #(1 << 20)
        msr     spsr_el1, x2
        ret
