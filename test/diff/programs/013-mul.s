// MUL/MADD/MSUB/MNEG, SMADDL/SMSUBL/UMADDL/UMSUBL/SMULL/UMULL/SMNEGL/UMNEGL, SMULH/UMULH.
        .include "harness.inc"
        .macro ALL a, b, c
        MOV64   x1, \a
        MOV64   x2, \b
        MOV64   x3, \c
        PUTS    "-- \a * \b + \c\n"
        mul     x0, x1, x2
        PV      mul, x0
        madd    x0, x1, x2, x3
        PV      madd, x0
        msub    x0, x1, x2, x3
        PV      msub, x0
        mneg    x0, x1, x2
        PV      mneg, x0
        mul     w0, w1, w2
        PV      mulw, x0
        madd    w0, w1, w2, w3
        PV      maddw, x0
        msub    w0, w1, w2, w3
        PV      msubw, x0
        smaddl  x0, w1, w2, x3
        PV      smaddl, x0
        smsubl  x0, w1, w2, x3
        PV      smsubl, x0
        umaddl  x0, w1, w2, x3
        PV      umaddl, x0
        umsubl  x0, w1, w2, x3
        PV      umsubl, x0
        smull   x0, w1, w2
        PV      smull, x0
        umull   x0, w1, w2
        PV      umull, x0
        smnegl  x0, w1, w2
        PV      smnegl, x0
        umnegl  x0, w1, w2
        PV      umnegl, x0
        smulh   x0, x1, x2
        PV      smulh, x0
        umulh   x0, x1, x2
        PV      umulh, x0
        .endm
main:
        msr     nzcv, xzr
        ALL     3, 7, 100
        ALL     0xffffffffffffffff, 0xffffffffffffffff, 0
        ALL     0x8000000000000000, 0xffffffffffffffff, 1
        ALL     0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff
        ALL     0x123456789abcdef0, 0x0fedcba987654321, 0x1111111111111111
        ALL     0x00000000ffffffff, 0x0000000080000000, 0xffffffffffffffff
        ALL     0x7fffffff7fffffff, 0xffffffff80000001, 0x8000000000000000
        PNZCV
        ret
