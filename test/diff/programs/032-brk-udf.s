// BRK (EC 0x3C, ISS = imm16) at EL2, EL1 and EL0; UDF and unallocated encodings (EC 0x00, IL=1);
// HLT with an immediate other than 0xF000 (UNDEFINED: halting debug is off); system register
// accesses that are UNDEFINED at the current EL; ERET at EL0; HLT #0xF000 (semihosting) at EL0.
        .include "harness.inc"
main:
        brk     #0
        brk     #0x1234
        brk     #0xffff
        udf     #0
        udf     #0xffff
        .inst   0xd4000000
        hlt     #1
        hlt     #0xffff
        TO_EL1
        brk     #5
        udf     #1
        mrs     x0, hcr_el2
        msr     vbar_el2, x0
        mrs     x0, sp_el1
        msr     spsel, #1
        PSYS    SPSel
        TO_EL0
        brk     #6
        udf     #2
        hlt     #2
        // semihosting is not available at EL0 (QEMU's default, userspace=off): UNDEFINED
        adr     x1, ch
        mov     x0, #3
        hlt     #0xf000
        mrs     x0, sctlr_el1
        msr     vbar_el1, x0
        mrs     x0, CurrentEL
        msr     spsel, #1
        eret
        UP_EL1
        UP_EL2
        EXIT    0
ch:     .byte   'X'
        .balign 4
