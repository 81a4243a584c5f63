// Pre-index and post-index loads and stores of every size (signed 9-bit offsets -256..255),
// showing both the data and the written-back base register. All accesses are aligned.
        .include "harness.inc"
        .equ SRC, DATA_BASE + 0x1000
        .equ DST, DATA_BASE + 0x20000
main:
        FILL    DATA_BASE, 0x2000
        ZERO    DST - 0x100, 0x200
        MOV64   x20, SRC
        ldrb    w0, [x20, #1]!
        PR      x0
        ldrb    w0, [x20], #-256
        PR      x0
        ldrsb   x0, [x20, #255]!
        PR      x0
        ldrsb   w0, [x20], #3
        PR      x0
        ldrh    w0, [x20, #-3]!
        PR      x0
        ldrsh   x0, [x20], #100
        PR      x0
        ldrsh   w0, [x20, #-200]!
        PR      x0
        ldr     w0, [x20], #-4
        PR      x0
        ldrsw   x0, [x20, #8]!
        PR      x0
        ldr     x0, [x20, #-256]!
        PR      x0
        ldr     x0, [x20], #248
        PR      x0
        ldr     x0, [x20], #-255
        PR      x0
        MOV64   x1, SRC
        sub     x20, x20, x1
        PV      base_delta, x20
        MOV64   x21, DST
        MOV64   x1, 0x8877665544332211
        strb    w1, [x21, #-1]!
        strb    w1, [x21, #-1]!
        strh    w1, [x21, #-2]!
        str     w1, [x21, #-4]!
        str     x1, [x21, #-8]!
        str     x1, [x21], #16
        strb    w1, [x21], #2
        strh    w1, [x21], #-2
        str     w1, [x21, #16]!
        str     x1, [x21], #8
        MOV64   x2, DST
        sub     x2, x21, x2
        PV      dst_delta, x2
        DUMP    DST - 0x20, 12
        // base register as data register with writeback: avoided (CONSTRAINED UNPREDICTABLE)
        mov     x3, sp
        str     x1, [sp, #-16]!
        ldr     x4, [sp], #16
        mov     x5, sp
        sub     x5, x5, x3
        PR      x4
        PR      x5
        ret
