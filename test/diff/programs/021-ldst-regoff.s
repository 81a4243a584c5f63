// Register-offset loads/stores: LSL #0/#size, UXTW/SXTW (with and without scaling), SXTX,
// with negative 32-bit and 64-bit offsets, for every size.
        .include "harness.inc"
        .equ BASE, DATA_BASE + 0x1000
main:
        FILL    DATA_BASE, 0x2000
        MOV64   x20, BASE
        mov     x1, #5
        mov     x2, #-5
        MOV64   x3, 0xfffffff0
        MOV64   x4, 0xfffffffffffffff0
        ldrb    w0, [x20, x1]
        PR      x0
        ldrb    w0, [x20, x2]
        PR      x0
        ldrb    w0, [x20, x1, lsl #0]
        PR      x0
        ldrb    w0, [x20, w3, sxtw]
        PR      x0
        ldrsb   x0, [x20, w2, sxtw #0]
        PR      x0
        ldrh    w0, [x20, x1, lsl #1]
        PR      x0
        ldrh    w0, [x20, w3, sxtw #1]
        PR      x0
        ldrsh   x0, [x20, x2, lsl #1]
        PR      x0
        ldrsh   w0, [x20, w1, uxtw #1]
        PR      x0
        ldr     w0, [x20, x1, lsl #2]
        PR      x0
        ldr     w0, [x20, w2, sxtw #2]
        PR      x0
        ldrsw   x0, [x20, x2, sxtx #2]
        PR      x0
        ldr     x0, [x20, x1, lsl #3]
        PR      x0
        ldr     x0, [x20, x2, lsl #3]
        PR      x0
        ldr     x0, [x20, w4, sxtw #3]
        PR      x0
        ldr     x0, [x20, x4, sxtx]
        PR      x0
        ldr     x0, [x20, w1, uxtw #3]
        PR      x0
        // UXTW of a negative-looking W value is a large positive offset: use a small base
        MOV64   x21, DATA_BASE - 0xfffffff0 + 0x40
        ldr     x0, [x21, w3, uxtw]
        PR      x0
        ldr     x0, [x21, w3, uxtw #0]
        PR      x0
        MOV64   x22, DATA_BASE + 0x3000
        ZERO    DATA_BASE + 0x2f00, 0x200
        MOV64   x9, 0xa1b2c3d4e5f60718
        strb    w9, [x22, x1]
        strh    w9, [x22, x2, lsl #1]
        str     w9, [x22, w1, sxtw #2]
        str     x9, [x22, w2, sxtw #3]
        str     x9, [x22, x1, lsl #3]
        str     w9, [x22, w3, sxtw]
        prfm    pldl1keep, [x22, x1, lsl #3]
        DUMP    DATA_BASE + 0x2fd0, 16
        ret
