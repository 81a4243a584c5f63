// LDP/STP of W and X (signed offset, pre-index, post-index, scaled 7-bit offsets), LDPSW,
// LDNP/STNP.
        .include "harness.inc"
        .equ BASE, DATA_BASE + 0x1000
main:
        FILL    DATA_BASE, 0x2000
        MOV64   x20, BASE
        ldp     w0, w1, [x20]
        PR      x0
        PR      x1
        ldp     w0, w1, [x20, #-256]
        PR      x0
        PR      x1
        ldp     w0, w1, [x20, #252]
        PR      x0
        PR      x1
        ldp     x0, x1, [x20, #-512]
        PR      x0
        PR      x1
        ldp     x0, x1, [x20, #504]
        PR      x0
        PR      x1
        ldpsw   x0, x1, [x20, #8]
        PR      x0
        PR      x1
        ldpsw   x0, x1, [x20, #-16]!
        PR      x0
        PR      x1
        ldpsw   x0, x1, [x20], #24
        PR      x0
        PR      x1
        ldp     x0, x1, [x20, #16]!
        PR      x0
        PR      x1
        ldp     w0, w1, [x20], #-40
        PR      x0
        PR      x1
        ldnp    x0, x1, [x20, #32]
        PR      x0
        PR      x1
        ldnp    w0, w1, [x20, #-4]
        PR      x0
        PR      x1
        MOV64   x2, BASE
        sub     x2, x20, x2
        PV      base_delta, x2
        MOV64   x21, DATA_BASE + 0x3000
        ZERO    DATA_BASE + 0x2f00, 0x200
        MOV64   x8, 0x1111111122222222
        MOV64   x9, 0x3333333344444444
        stp     x8, x9, [x21]
        stp     w8, w9, [x21, #-8]
        stp     x9, x8, [x21, #-32]!
        stp     w9, w8, [x21], #64
        stp     xzr, x8, [x21, #-16]
        stnp    x8, x9, [x21, #8]
        stnp    w9, wzr, [x21, #-4]
        stp     w8, w9, [x21, #-64]!
        MOV64   x2, DATA_BASE + 0x3000
        sub     x2, x21, x2
        PV      dst_delta, x2
        DUMP    DATA_BASE + 0x2fc0, 16
        ret
