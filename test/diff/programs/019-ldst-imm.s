// LDR/STR unsigned-offset forms of every size: LDRB/LDRH/LDR W/X, LDRSB/LDRSH into W and X,
// LDRSW, STRB/STRH/STR W/X, with the largest scaled offsets; PRFM (a hint) with the same form.
        .include "harness.inc"
        .equ SRC, DATA_BASE
        .equ DST, DATA_BASE + 0x10000
main:
        FILL    SRC, 0x8000
        ZERO    DST, 0x100
        MOV64   x20, SRC
        ldrb    w0, [x20]
        PR      x0
        ldrb    w0, [x20, #4095]
        PR      x0
        ldrh    w0, [x20, #2]
        PR      x0
        ldrh    w0, [x20, #8190]
        PR      x0
        ldr     w0, [x20, #4]
        PR      x0
        ldr     w0, [x20, #16380]
        PR      x0
        ldr     x0, [x20, #8]
        PR      x0
        ldr     x0, [x20, #32760]
        PR      x0
        ldrsb   w0, [x20, #0]
        PR      x0
        ldrsb   x0, [x20, #0]
        PR      x0
        ldrsb   x0, [x20, #3]
        PR      x0
        ldrsh   w0, [x20, #0]
        PR      x0
        ldrsh   x0, [x20, #0]
        PR      x0
        ldrsh   x0, [x20, #6]
        PR      x0
        ldrsw   x0, [x20, #0]
        PR      x0
        ldrsw   x0, [x20, #12]
        PR      x0
        ldrsw   x0, [x20, #16380]
        PR      x0
        mov     x0, #-1
        ldrb    w0, [x20, #1]
        PR      x0
        mov     x0, #-1
        ldr     w0, [x20, #16]
        PR      x0
        prfm    pldl1keep, [x20, #64]
        prfm    pstl2strm, [x20, #32760]
        MOV64   x21, DST
        MOV64   x1, 0x0123456789abcdef
        strb    w1, [x21]
        strb    w1, [x21, #9]
        strh    w1, [x21, #18]
        str     w1, [x21, #28]
        str     x1, [x21, #32]
        strh    wzr, [x21, #34]
        str     x1, [x21, #48]
        strb    wzr, [x21, #55]
        str     xzr, [x21, #64]
        MOV64   x22, DST + 0x80
        str     x1, [x22, #32760 - 0x80 + 0x80]
        ldr     x2, [x22, #32760]
        PR      x2
        DUMP    DST, 10
        ret
