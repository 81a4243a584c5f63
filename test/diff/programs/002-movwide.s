// MOVZ/MOVN/MOVK in W and X forms at every shift, and the MOV aliases.
        .include "harness.inc"
main:
        movz    x0, #0x1234
        PR      x0
        movz    x0, #0x1234, lsl #16
        PR      x0
        movz    x0, #0x1234, lsl #32
        PR      x0
        movz    x0, #0xffff, lsl #48
        PR      x0
        movz    w0, #0xabcd, lsl #16
        PR      x0
        mov     x0, #-1
        movz    w0, #0x5555
        PR      x0
        movn    x1, #0
        PR      x1
        movn    x1, #0x1234
        PR      x1
        movn    x1, #0x1234, lsl #16
        PR      x1
        movn    x1, #0x1234, lsl #32
        PR      x1
        movn    x1, #0x8000, lsl #48
        PR      x1
        movn    w1, #0
        PR      x1
        movn    w1, #0x1234, lsl #16
        PR      x1
        mov     x2, #-1
        movk    x2, #0
        PR      x2
        movk    x2, #0x1111, lsl #16
        PR      x2
        movk    x2, #0x2222, lsl #32
        PR      x2
        movk    x2, #0x3333, lsl #48
        PR      x2
        mov     x3, #-1
        movk    w3, #0xbeef, lsl #16
        PR      x3
        mov     x3, #-1
        movk    w3, #0xdead
        PR      x3
        mov     x4, #0x7fffffff
        PR      x4
        mov     w4, #-2
        PR      x4
        mov     x4, #-0x10000
        PR      x4
        mov     x4, #0xffffffffffff0000
        PR      x4
        mov     x4, #0x5555555555555555
        PR      x4
        mov     x5, x4
        PR      x5
        mov     w5, w4
        PR      x5
        mov     x6, sp
        PR      x6
        mov     x7, #0x123400000000
        PR      x7
        ret
