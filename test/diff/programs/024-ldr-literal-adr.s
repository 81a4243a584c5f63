// PC-relative: LDR W/X/SW literal (forwards and backwards), LDR Xt, =imm literal pools, PRFM
// literal, ADR (both directions) and ADRP.
        .include "harness.inc"
        .balign 8
back_lit:
        .quad   0x0706050403020100
        .word   0x89abcdef
        .word   0x7fedcba9
main:
        ldr     x0, back_lit
        PR      x0
        ldr     w0, back_lit + 8
        PR      x0
        ldrsw   x0, back_lit + 8
        PR      x0
        ldrsw   x0, back_lit + 12
        PR      x0
        ldr     x0, fwd_lit
        PR      x0
        ldr     w0, fwd_lit
        PR      x0
        ldrsw   x0, fwd_lit + 4
        PR      x0
        prfm    pldl1keep, fwd_lit
        ldr     x0, =0xfeedfacecafebeef
        PR      x0
        ldr     w0, =0x12345678
        PR      x0
        adr     x1, back_lit
        adr     x2, fwd_lit
        sub     x3, x2, x1
        PR      x3
        adr     x4, main
        adr     x5, .
        sub     x5, x5, x4
        PR      x5
        adrp    x6, main
        and     x7, x4, #~0xfff
        sub     x7, x6, x7
        PR      x7
        adrp    x8, fwd_lit + 0x5000
        sub     x8, x8, x6
        PR      x8
        adr     x9, 1f
        ldr     w10, [x9]
        PR      x10
        ret
        .ltorg
        .balign 8
fwd_lit:
        .quad   0x8f8e8d8c8b8a8988
1:      .word   0xd503201f
