// ADD/SUB(S) shifted register: LSL/LSR/ASR by 0..63 (X) and 0..31 (W), NEG/NEGS/CMP/CMN forms.
        .include "harness.inc"
        .macro T op, sh, amt
        msr     nzcv, xzr
        \op     x0, x1, x2, \sh #\amt
        PHEX    x0
        PCHAR   ' '
        PNZCV
        .endm
        .macro TW op, sh, amt
        msr     nzcv, xzr
        \op     w0, w1, w2, \sh #\amt
        PHEX    x0
        PCHAR   ' '
        PNZCV
        .endm
main:
        MOV64   x1, 0x0123456789abcdef
        MOV64   x2, 0xf00dfeedcafebabe
        T       add, lsl, 0
        T       add, lsl, 1
        T       add, lsl, 31
        T       add, lsl, 63
        T       add, lsr, 4
        T       add, lsr, 63
        T       add, asr, 4
        T       add, asr, 63
        T       adds, lsl, 8
        T       adds, asr, 1
        T       sub, lsl, 12
        T       sub, lsr, 32
        T       subs, asr, 60
        T       subs, lsr, 1
        TW      add, lsl, 0
        TW      add, lsl, 31
        TW      add, lsr, 16
        TW      add, asr, 31
        TW      adds, lsl, 3
        TW      adds, asr, 5
        TW      sub, lsr, 1
        TW      subs, asr, 30
        TW      subs, lsl, 17
        MOV64   x1, 0x8000000000000000
        MOV64   x2, 0x4000000000000000
        T       adds, lsl, 1
        T       subs, lsl, 1
        T       adds, lsr, 1
        T       subs, asr, 0
        MOV64   x1, 0x80000000
        MOV64   x2, 0x40000000
        TW      adds, lsl, 1
        TW      subs, lsl, 1
        MOV64   x2, 0x123
        msr     nzcv, xzr
        neg     x0, x2
        PR      x0
        negs    x0, x2, lsl #4
        PNZCV
        PR      x0
        negs    x0, xzr
        PNZCV
        MOV64   x2, 0x8000000000000000
        negs    x0, x2
        PNZCV
        PR      x0
        negs    w0, w2, lsr #32-1
        PNZCV
        PR      x0
        cmp     x1, x2, asr #63
        PNZCV
        cmn     x1, x2, lsr #40
        PNZCV
        cmp     w1, w1, lsl #0
        PNZCV
        ret
