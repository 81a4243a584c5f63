// EL2 -> EL1h -> EL0t descents and the way back up (SVC/HVC harness services), EL1t and EL2t,
// CurrentEL/SPSel/SP at each level, NZCV carried across every transition, SPSR/ELR left behind.
        .include "harness.inc"
main:
        PSYS    CurrentEL
        PSYS    SPSel
        mov     x0, sp
        PV      sp_el2, x0
        mov     x9, #0x90000000
        msr     nzcv, x9
        TO_EL1
        PNZCV
        PSYS    CurrentEL
        PSYS    SPSel
        mov     x0, sp
        PV      sp_el1, x0
        mov     x9, #0x60000000
        msr     nzcv, x9
        TO_EL0
        PUTS    "at EL0\n"
        PNZCV
        mov     x0, sp
        PV      sp_el0, x0
        mov     x9, #0x30000000
        msr     nzcv, x9
        UP_EL1
        PNZCV
        PSYS    CurrentEL
        PSYS    SPSR_EL1
        UP_EL2
        PSYS    CurrentEL
        PSYS    SPSR_EL2
        // EL1t: SP is SP_EL0
        TO_EL1T
        PSYS    CurrentEL
        PSYS    SPSel
        mov     x0, sp
        PV      sp_el1t, x0
        UP_EL2
        // straight from EL2 to EL0
        EL2_TO_EL0
        PUTS    "at EL0 again\n"
        mov     x0, sp
        PV      sp_el0, x0
        UP_EL1
        PSYS    CurrentEL
        UP_EL2
        PSYS    CurrentEL
        // EL2t: SPSel = 0 at EL2
        msr     spsel, #0
        PSYS    SPSel
        mov     x0, sp
        PV      sp_el2t, x0
        msr     spsel, #1
        mov     x0, sp
        PV      sp_el2h, x0
        // stack pointers as seen from EL2
        PSYS    SP_EL0
        PSYS    SP_EL1
        mov     x9, #0
        msr     nzcv, x9
        EXIT    0
