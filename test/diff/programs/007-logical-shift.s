// AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS shifted register (LSL/LSR/ASR/ROR), MVN, TST register.
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
        MOV64   x1, 0xf0e1d2c3b4a59687
        MOV64   x2, 0x8123456789abcdef
        T       and, lsl, 0
        T       and, lsr, 7
        T       and, asr, 9
        T       and, ror, 13
        T       bic, lsl, 4
        T       bic, ror, 63
        T       orr, lsl, 32
        T       orr, asr, 63
        T       orn, lsr, 1
        T       orn, ror, 32
        T       eor, lsl, 1
        T       eor, ror, 17
        T       eon, asr, 3
        T       eon, lsr, 0
        T       ands, lsl, 0
        T       ands, lsl, 63
        T       ands, ror, 40
        T       bics, lsl, 0
        T       bics, asr, 2
        TW      and, ror, 8
        TW      bic, asr, 31
        TW      orr, lsr, 12
        TW      orn, ror, 1
        TW      eor, asr, 4
        TW      eon, lsl, 16
        TW      ands, asr, 31
        TW      bics, ror, 31
        TW      ands, lsl, 0
        mvn     x3, x1
        PR      x3
        mvn     w3, w1
        PR      x3
        mvn     x3, x2, ror #4
        PR      x3
        msr     nzcv, xzr
        tst     x1, x2
        PNZCV
        tst     x1, xzr
        PNZCV
        tst     w1, w2, lsl #31
        PNZCV
        mov     x4, x1
        orr     x4, xzr, x2, lsr #3
        PR      x4
        ret
