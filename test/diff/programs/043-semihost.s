// Semihosting console output interleaved with PL011 output: SYS_WRITEC (0x03, x1 -> the byte) and
// SYS_WRITE0 (0x04, x1 -> NUL-terminated string) at EL2 and EL1; registers other than x0 are
// preserved; exit through SYS_EXIT_EXTENDED (0x20) with code 3.
        .include "harness.inc"
        .macro WRITEC ch
        adr     x1, 1f
        mov     x0, #3
        hlt     #0xf000
        b       2f
1:      .byte   \ch
        .balign 4
2:
        .endm
main:
        PUTS    "uart 1\n"
        adr     x1, msg1
        mov     x0, #4
        hlt     #0xf000
        PUTS    "uart 2\n"
        WRITEC  'a'
        WRITEC  'b'
        WRITEC  10
        PUTS    "uart 3\n"
        mov     x2, #0x22
        mov     x3, #0x33
        adr     x1, msg2
        mov     x0, #4
        hlt     #0xf000
        PR      x1
        adr     x4, msg2
        sub     x1, x1, x4
        PR      x1
        PR      x2
        PR      x3
        TO_EL1
        adr     x1, msg3
        mov     x0, #4
        hlt     #0xf000
        WRITEC  '!'
        WRITEC  10
        // SYS_EXIT_EXTENDED with {ADP_Stopped_ApplicationExit, 3}
        adr     x1, exitblk
        mov     x0, #0x20
        hlt     #0xf000
        PUTS    "not reached\n"
        EXIT    1
        .balign 8
exitblk:
        .quad   0x20026, 3
msg1:   .asciz  "semihosting write0 at EL2\n"
msg2:   .asciz  "second: \x01\x7f\xff bytes\n"
msg3:   .asciz  "write0 at EL1\n"
        .balign 4
