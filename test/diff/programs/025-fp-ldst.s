// SIMD&FP register loads/stores: LDR/STR B/H/S/D/Q with unsigned offset, pre/post index,
// register offset (LSL/UXTW/SXTW), LDUR/STUR, LDP/STP/LDNP/STNP of S/D/Q, LDR S/D/Q literal.
// Loads of B/H/S/D zero the rest of the 128-bit register. Every access is aligned to its size.
        .include "harness.inc"
        .equ BASE, DATA_BASE + 0x1000
        .macro PQ n
        stp     x0, x1, [sp, #-16]!
        mov     x0, v\n\().d[1]
        mov     x1, v\n\().d[0]
        PUTS    "q\n="
        PHEX    x0
        PCHAR   ':'
        PHEX    x1
        PNL
        ldp     x0, x1, [sp], #16
        .endm
        .macro DIRTY
        movi    v0.16b, #0xee
        movi    v1.16b, #0xdd
        .endm
main:
        FILL    DATA_BASE, 0x12000
        MOV64   x20, BASE
        mov     x1, #3
        mov     x2, #-3
        DIRTY
        ldr     b0, [x20]
        PQ      0
        ldr     b0, [x20, #4095]
        PQ      0
        ldr     h0, [x20, #2]
        PQ      0
        ldr     s0, [x20, #16380]
        PQ      0
        ldr     d0, [x20, #8]
        PQ      0
        ldr     q0, [x20, #16]
        PQ      0
        ldr     q0, [x20, #65520]
        PQ      0
        ldr     b1, [x20, #-1]!
        PQ      1
        ldr     b1, [x20], #-31
        PQ      1
        ldr     h1, [x20, #-2]!
        PQ      1
        ldr     h1, [x20], #2
        PQ      1
        ldr     s1, [x20, #-4]!
        PQ      1
        ldr     s1, [x20], #4
        PQ      1
        ldr     d1, [x20, #-8]!
        PQ      1
        ldr     d1, [x20], #40
        PQ      1
        ldr     q1, [x20, #-256]!
        PQ      1
        ldr     q1, [x20], #255
        PQ      1
        MOV64   x3, BASE
        sub     x3, x20, x3
        PV      base_delta, x3
        MOV64   x20, BASE
        ldr     b0, [x20, x1]
        PQ      0
        ldr     b0, [x20, w2, sxtw]
        PQ      0
        ldr     h0, [x20, x1, lsl #1]
        PQ      0
        ldr     s0, [x20, w2, sxtw #2]
        PQ      0
        ldr     d0, [x20, x2, lsl #3]
        PQ      0
        ldr     q0, [x20, x1, lsl #4]
        PQ      0
        ldr     q0, [x20, w2, sxtw #4]
        PQ      0
        ldr     q0, [x20, w1, uxtw #4]
        PQ      0
        ldur    b0, [x20, #-7]
        PQ      0
        ldur    h0, [x20, #-6]
        PQ      0
        ldur    s0, [x20, #-256]
        PQ      0
        ldur    d0, [x20, #248]
        PQ      0
        ldur    q0, [x20, #-16]
        PQ      0
        ldp     s0, s1, [x20, #-256]
        PQ      0
        PQ      1
        ldp     d0, d1, [x20, #504]
        PQ      0
        PQ      1
        ldp     q0, q1, [x20, #-1024]
        PQ      0
        PQ      1
        ldp     q1, q0, [x20, #1008]!
        PQ      0
        PQ      1
        ldp     d1, d0, [x20], #-496
        PQ      0
        PQ      1
        ldnp    q0, q1, [x20, #32]
        PQ      0
        PQ      1
        ldnp    s1, s0, [x20, #-8]
        PQ      0
        PQ      1
        ldr     s0, lit_s
        PQ      0
        ldr     d0, lit_d
        PQ      0
        ldr     q0, lit_q
        PQ      0
        // stores
        MOV64   x21, DATA_BASE + 0x4000
        ZERO    DATA_BASE + 0x3f00, 0x200
        ldr     q2, lit_q
        ldr     q3, lit_q2
        str     b2, [x21]
        str     h2, [x21, #2]
        str     s2, [x21, #4]
        str     d2, [x21, #8]
        str     q3, [x21, #16]
        str     b3, [x21, #-1]!
        str     h3, [x21, #-3]!
        str     s3, [x21, #-4]!
        str     d3, [x21, #-8]!
        str     q2, [x21, #-16]!
        str     q3, [x21], #64
        str     d2, [x21, x1, lsl #3]
        str     q2, [x21, w2, sxtw #4]
        stur    s3, [x21, #-4]
        stur    q3, [x21, #64]
        stp     s2, s3, [x21, #80]
        stp     d3, d2, [x21, #96]!
        stp     q2, q3, [x21], #32
        stnp    d2, d3, [x21, #104]
        stnp    q3, q2, [x21, #-224]
        MOV64   x3, DATA_BASE + 0x4000
        sub     x3, x21, x3
        PV      dst_delta, x3
        DUMP    DATA_BASE + 0x3f80, 64
        ret
        .balign 16
lit_q:  .quad   0x0011223344556677, 0x8899aabbccddeeff
lit_q2: .quad   0xf0e1d2c3b4a59687, 0x1e2d3c4b5a697887
lit_d:  .quad   0xcafef00dd00dfeed
lit_s:  .word   0x3f800000
