// CCMP/CCMN (immediate and register), condition true and false paths, every nzcv immediate kind.
        .include "harness.inc"
        .macro C insn, flags
        MOV64   x9, \flags
        msr     nzcv, x9
        \insn
        PNZCV
        .endm
main:
        mov     x1, #5
        mov     x2, #7
        MOV64   x3, 0x8000000000000000
        C       "ccmp x1, #5, #0xf, eq", 0x40000000
        C       "ccmp x1, #5, #0xf, eq", 0x00000000
        C       "ccmp x1, #6, #0x0, ne", 0x00000000
        C       "ccmp x1, #31, #0x2, al", 0x00000000
        C       "ccmp x1, x2, #0x4, cs", 0x20000000
        C       "ccmp x2, x1, #0x4, cs", 0x20000000
        C       "ccmp x2, x1, #0x8, cc", 0x20000000
        C       "ccmp x3, #1, #0, mi", 0x80000000
        C       "ccmp w3, #1, #0, mi", 0x80000000
        C       "ccmp w1, w2, #0x1, vs", 0x10000000
        C       "ccmp w1, w2, #0x9, vc", 0x10000000
        C       "ccmn x1, #5, #0, eq", 0x40000000
        C       "ccmn x3, x3, #0, eq", 0x40000000
        C       "ccmn w1, #31, #0xf, ne", 0x40000000
        C       "ccmn x1, x2, #0x6, gt", 0x00000000
        C       "ccmn x1, x2, #0x6, gt", 0x80000000
        mov     x4, #-5
        C       "ccmn x4, #5, #0, ge", 0x90000000
        C       "ccmn w4, w1, #0, ge", 0x90000000
        C       "ccmp x4, x3, #0, le", 0x40000000
        C       "ccmp x3, x4, #0, lt", 0x80000000
        // a chained comparison: (x1 == 5 && x2 == 7)
        cmp     x1, #5
        ccmp    x2, #7, #0, eq
        cset    x5, eq
        PR      x5
        cmp     x1, #4
        ccmp    x2, #7, #0, eq
        cset    x5, eq
        PR      x5
        ret
