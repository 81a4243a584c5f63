// ADD/SUB/ADDS/SUBS/CMP/CMN immediate (12-bit, optionally LSL #12), W and X, with SP forms.
        .include "harness.inc"
        .macro T op, rd, rn, a, imm
        MOV64   x1, \a
        msr     nzcv, xzr
        \op     \rd, \rn, #\imm
        PHEX    x0
        PCHAR   ' '
        PNZCV
        .endm
        .macro TS op, a, imm, shift
        MOV64   x1, \a
        msr     nzcv, xzr
        \op     x0, x1, #\imm, lsl #\shift
        PHEX    x0
        PCHAR   ' '
        PNZCV
        .endm
main:
        T       add, x0, x1, 0, 0
        T       add, x0, x1, 1, 4095
        T       add, x0, x1, 0xffffffffffffffff, 1
        T       adds, x0, x1, 0xffffffffffffffff, 1
        T       adds, x0, x1, 0x7fffffffffffffff, 1
        T       adds, x0, x1, 0x8000000000000000, 0
        T       adds, w0, w1, 0xffffffff, 1
        T       adds, w0, w1, 0x7fffffff, 1
        T       adds, w0, w1, 0x123456789, 7
        T       add, w0, w1, 0xffffffffffffffff, 2
        T       sub, x0, x1, 0, 1
        T       subs, x0, x1, 0, 1
        T       subs, x0, x1, 5, 5
        T       subs, x0, x1, 0x8000000000000000, 1
        T       subs, w0, w1, 0x80000000, 1
        T       subs, w0, w1, 0, 0
        T       subs, w0, w1, 3, 4
        TS      add, 0x10, 0x123, 12
        TS      adds, 0xfffffffffffff000, 1, 12
        TS      sub, 0x1000000, 0xfff, 12
        TS      subs, 0x1000, 1, 12
        MOV64   x1, 10
        msr     nzcv, xzr
        cmp     x1, #10
        PNZCV
        cmp     x1, #11
        PNZCV
        cmp     w1, #9
        PNZCV
        cmn     x1, #10
        PNZCV
        mov     x1, #-10
        cmn     x1, #10
        PNZCV
        cmn     w1, #11
        PNZCV
        mov     x2, sp
        add     sp, sp, #0x40
        mov     x3, sp
        sub     sp, sp, #0x40
        sub     x3, x3, x2
        PR      x3
        add     x4, sp, #0
        sub     x4, x4, x2
        PR      x4
        adds    x5, sp, #1
        sub     x5, x5, x2
        PR      x5
        mov     x6, #0x100
        add     w7, w6, #0xfff, lsl #12
        PR      x7
        ret
