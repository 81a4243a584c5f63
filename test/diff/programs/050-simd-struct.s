// AdvSIMD structure loads/stores: LD1/ST1 with 1-4 registers, LD2/LD3/LD4 (de-interleaving) and
// ST2, LD1R, single-lane LD1/ST1, immediate and register post-index. All accesses are aligned
// to their element size (the MMU is off, so memory is Device).
        .include "harness.inc"
        .equ BASE, DATA_BASE + 0x1000
        .macro PQ n
        stp     x0, x1, [sp, #-16]!
        mov     x0, v\n\().d[1]
        mov     x1, v\n\().d[0]
        PUTS    "v\n="
        PHEX    x0
        PCHAR   ':'
        PHEX    x1
        PNL
        ldp     x0, x1, [sp], #16
        .endm
main:
        FILL    DATA_BASE, 0x2000
        MOV64   x20, BASE
        ld1     {v0.16b}, [x20]
        PQ      0
        ld1     {v1.8h, v2.8h}, [x20]
        PQ      1
        PQ      2
        ld1     {v3.4s, v4.4s, v5.4s}, [x20], #48
        PQ      3
        PQ      4
        PQ      5
        ld1     {v6.2d, v7.2d, v8.2d, v9.2d}, [x20]
        PQ      6
        PQ      9
        ld1     {v10.8b}, [x20]
        PQ      10
        mov     x1, #16
        ld2     {v11.16b, v12.16b}, [x20], x1
        PQ      11
        PQ      12
        ld3     {v13.4s, v14.4s, v15.4s}, [x20]
        PQ      13
        PQ      14
        PQ      15
        ld4     {v16.8h, v17.8h, v18.8h, v19.8h}, [x20]
        PQ      16
        PQ      19
        ld1r    {v20.4s}, [x20]
        PQ      20
        ld1r    {v21.8b}, [x20], x1
        PQ      21
        movi    v22.16b, #0x55
        ld1     {v22.s}[2], [x20]
        PQ      22
        ld1     {v22.b}[15], [x20], #1
        PQ      22
        MOV64   x2, BASE
        sub     x2, x20, x2
        PV      base_delta, x2
        MOV64   x21, DATA_BASE + 0x4000
        ZERO    DATA_BASE + 0x4000, 0x100
        st1     {v0.16b, v1.16b}, [x21], #32
        st2     {v3.4s, v4.4s}, [x21], #32
        st1     {v22.h}[7], [x21]
        add     x3, x21, #8
        st1     {v20.d}[1], [x3]
        MOV64   x2, DATA_BASE + 0x4000
        sub     x2, x21, x2
        PV      dst_delta, x2
        DUMP    DATA_BASE + 0x4000, 10
        EXIT    0
