// Semihosting SYS_EXIT with a reason other than ADP_Stopped_ApplicationExit
// (0x20023 ADP_Stopped_RunTimeErrorUnknown): QEMU ends with status 1 whatever the subcode.
        .include "harness.inc"
main:
        PUTS    "runtime error exit\n"
        adr     x1, blk
        mov     x0, #0x18
        hlt     #0xf000
        PUTS    "not reached\n"
        EXIT    0
        .balign 8
blk:    .quad   0x20023, 5
