// AND/ORR/EOR/ANDS/TST with bitmask immediates of every element size and rotation (W and X).
        .include "harness.inc"
        .macro T op, imm
        msr     nzcv, xzr
        \op     x0, x1, #\imm
        PHEX    x0
        PCHAR   ' '
        PNZCV
        .endm
        .macro TW op, imm
        msr     nzcv, xzr
        \op     w0, w1, #\imm
        PHEX    x0
        PCHAR   ' '
        PNZCV
        .endm
main:
        MOV64   x1, 0xf0e1d2c3b4a59687
        T       and, 0x5555555555555555
        T       and, 0x3333333333333333
        T       and, 0x0f0f0f0f0f0f0f0f
        T       and, 0x00ff00ff00ff00ff
        T       and, 0x0000ffff0000ffff
        T       and, 0x00000000ffffffff
        T       and, 0x7fffffffffffffff
        T       and, 0x8000000000000001
        T       and, 0xfffffffffffffffe
        T       and, 0x1
        T       and, 0xff00000000000000
        T       and, 0x6666666666666666
        T       and, 0xc3c3c3c3c3c3c3c3
        T       orr, 0x0000000000ff0000
        T       orr, 0xaaaaaaaaaaaaaaaa
        T       orr, 0x8000000080000000
        T       orr, 0x1c1c1c1c1c1c1c1c
        T       eor, 0xffffffff00000000
        T       eor, 0x7e7e7e7e7e7e7e7e
        T       eor, 0x0003fffc0003fffc
        T       ands, 0x8000000000000000
        T       ands, 0x0000000000000f00
        T       ands, 0x0808080808080808
        TW      and, 0x55555555
        TW      and, 0x0000ff00
        TW      and, 0x7fffffff
        TW      orr, 0x80000001
        TW      orr, 0x0ff00ff0
        TW      eor, 0xfffffffe
        TW      eor, 0x33333333
        TW      ands, 0x80000000
        TW      ands, 0x00000001
        TW      ands, 0xf0f0f0f0
        msr     nzcv, xzr
        tst     x1, #0x8
        PNZCV
        tst     x1, #0x4
        PNZCV
        tst     w1, #0x80000000
        PNZCV
        mov     x2, #0x00ff00ff00ff00ff
        PR      x2
        mov     w3, #0xfffe
        PR      x3
        orr     x4, xzr, #0xaaaaaaaaaaaaaaaa
        PR      x4
        and     sp, x1, #0xfffffffffffffff0
        mov     x5, sp
        movz    x6, #(STACK_EL2 >> 16), lsl #16
        mov     sp, x6
        PR      x5
        ret
