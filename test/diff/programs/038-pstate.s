// PSTATE access: MRS CurrentEL/DAIF/NZCV/SPSel, MSR DAIFSet/DAIFClr with every immediate, MSR DAIF
// and NZCV (only the defined bits stick), MSR SPSel (SP switches), at EL2, EL1 and EL0; EL0 DAIF
// access traps to EL1 (EC 0x18) unless SCTLR_EL1.UMA=1; SPSel and CurrentEL are UNDEFINED at EL0.
// Not covered: MSR DAIFSet/DAIFClr at EL0 with UMA=0 — QEMU 7.2 swaps Op1 and Op2 in that
// syndrome (reports 0x620793E4 for DAIFSet #2, the architecture says 0x620DD3E4).
        .include "harness.inc"
        .macro DS imm
        msr     daifset, #\imm
        mrs     x1, daif
        msr     daifclr, #0xf
        mrs     x2, daif
        msr     daif, x10
        msr     daifclr, #\imm
        mrs     x3, daif
        PUTS    "daifset/clr \imm: "
        PHEX    x1
        PCHAR   ' '
        PHEX    x2
        PCHAR   ' '
        PHEX    x3
        PNL
        .endm
        .macro ALLDS
        mov     x10, #0x3c0
        DS      0
        DS      1
        DS      2
        DS      3
        DS      4
        DS      5
        DS      8
        DS      10
        DS      15
        mov     x4, #-1
        msr     daif, x4
        PSYS    DAIF
        mov     x4, #0x140
        msr     daif, x4
        PSYS    DAIF
        msr     daifset, #0xf
        msr     nzcv, x4
        PSYS    NZCV
        mov     x4, #-1
        msr     nzcv, x4
        PSYS    NZCV
        mov     x4, #0x50000000
        msr     nzcv, x4
        PNZCV
        .endm
main:
        PSYS    CurrentEL
        PSYS    SPSel
        ALLDS
        msr     spsel, #0
        mov     x5, sp
        PR      x5
        PSYS    SPSel
        msr     spsel, #1
        mov     x5, sp
        PR      x5
        mov     x4, #0
        msr     spsel, x4
        PSYS    SPSel
        mov     x4, #1
        msr     spsel, x4
        TO_EL1
        PSYS    CurrentEL
        ALLDS
        msr     spsel, #0
        mov     x5, sp
        PR      x5
        msr     spsel, #1
        mov     x5, sp
        PR      x5
        TO_EL0
        PUTS    "EL0 UMA=0\n"
        mrs     x6, nzcv
        PR      x6
        mov     x6, #0x20000000
        msr     nzcv, x6
        PNZCV
        mrs     x7, daif
        msr     daif, x7
        msr     spsel, #0
        mrs     x7, spsel
        mrs     x7, CurrentEL
        UP_EL1
        ldr     x1, =SCTLR_EL1_RES1 | (1 << 9)
        msr     sctlr_el1, x1
        isb
        TO_EL0
        PUTS    "EL0 UMA=1\n"
        mrs     x7, daif
        PR      x7
        msr     daifclr, #0xf
        mrs     x7, daif
        PR      x7
        msr     daifset, #0xf
        mrs     x7, daif
        PR      x7
        mov     x8, #0x80
        msr     daif, x8
        mrs     x7, daif
        PR      x7
        msr     daifset, #0xf
        UP_EL1
        UP_EL2
        EXIT    0
