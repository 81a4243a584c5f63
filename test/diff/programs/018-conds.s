// All 16 condition codes under all 16 NZCV values: one line per NZCV value with a 16-bit mask
// (bit n = condition n holds), from CSEL and from B.cond.
        .include "harness.inc"
        .macro BC c, bit
        b.\c    1f
        b       2f
1:      orr     x2, x2, #(1 << \bit)
2:
        .endm
        .macro CS c, bit
        csel    x3, x4, xzr, \c
        orr     x1, x1, x3, lsl #\bit
        .endm
main:
        mov     x4, #1
        mov     x20, #0
loop:
        lsl     x21, x20, #28
        mov     x1, #0
        mov     x2, #0
        msr     nzcv, x21
        CS      eq, 0
        CS      ne, 1
        CS      cs, 2
        CS      cc, 3
        CS      mi, 4
        CS      pl, 5
        CS      vs, 6
        CS      vc, 7
        CS      hi, 8
        CS      ls, 9
        CS      ge, 10
        CS      lt, 11
        CS      gt, 12
        CS      le, 13
        CS      al, 14
        CS      nv, 15
        BC      eq, 0
        BC      ne, 1
        BC      hs, 2
        BC      lo, 3
        BC      mi, 4
        BC      pl, 5
        BC      vs, 6
        BC      vc, 7
        BC      hi, 8
        BC      ls, 9
        BC      ge, 10
        BC      lt, 11
        BC      gt, 12
        BC      le, 13
        BC      al, 14
        BC      nv, 15
        PNZCV
        PV      csel_mask, x1
        PV      bcond_mask, x2
        add     x20, x20, #1
        cmp     x20, #16
        b.ne    loop
        ret
