// ADD/SUB(S) extended register: UXTB/UXTH/UXTW/UXTX/SXTB/SXTH/SXTW/SXTX with shifts 0..4, SP forms.
        .include "harness.inc"
        .macro T op, ext, amt
        msr     nzcv, xzr
        \op     x0, x1, w2, \ext #\amt
        PHEX    x0
        PCHAR   ' '
        PNZCV
        .endm
        .macro TX op, ext, amt
        msr     nzcv, xzr
        \op     x0, x1, x2, \ext #\amt
        PHEX    x0
        PCHAR   ' '
        PNZCV
        .endm
        .macro TW op, ext, amt
        msr     nzcv, xzr
        \op     w0, w1, w2, \ext #\amt
        PHEX    x0
        PCHAR   ' '
        PNZCV
        .endm
main:
        MOV64   x1, 0x1000
        MOV64   x2, 0xfedcba9876548382
        T       add, uxtb, 0
        T       add, uxtb, 4
        T       add, uxth, 1
        T       add, uxtw, 2
        T       add, sxtb, 0
        T       add, sxtb, 3
        T       add, sxth, 0
        T       add, sxth, 4
        T       add, sxtw, 0
        T       add, sxtw, 1
        TX      add, uxtx, 0
        TX      add, uxtx, 4
        TX      add, sxtx, 2
        T       sub, uxtb, 0
        T       sub, sxtb, 1
        T       subs, sxth, 2
        T       subs, uxtw, 3
        T       adds, sxtw, 4
        TX      subs, sxtx, 0
        TW      add, uxtb, 0
        TW      add, sxtb, 2
        TW      add, sxth, 0
        TW      add, uxth, 4
        TW      subs, uxtw, 1
        TW      adds, sxtw, 3
        mov     x3, sp
        add     x4, sp, w2, uxtb
        sub     x4, x4, x3
        PR      x4
        add     x4, sp, w2, sxtb #2
        sub     x4, x4, x3
        PR      x4
        mov     x5, #0x30
        add     sp, sp, x5
        mov     x6, sp
        sub     sp, sp, x5, uxtx #0
        sub     x6, x6, x3
        PR      x6
        mov     x6, sp
        sub     x6, x6, x3
        PR      x6
        MOV64   x7, 0xff
        msr     nzcv, xzr
        cmp     x1, w7, sxtb
        PNZCV
        cmn     x1, w7, uxtb #4
        PNZCV
        cmp     sp, x3
        PNZCV
        ret
