// NZCV from ADDS/SUBS/CMP/CMN at the signed and unsigned boundaries, W and X.
        .include "harness.inc"
        .macro F a, b
        MOV64   x1, \a
        MOV64   x2, \b
        PUTS    "-- \a \b\n"
        adds    x0, x1, x2
        PNZCV
        subs    x0, x1, x2
        PNZCV
        adds    w0, w1, w2
        PNZCV
        subs    w0, w1, w2
        PNZCV
        .endm
main:
        F       0, 0
        F       1, 1
        F       0, 1
        F       1, 0
        F       0xffffffffffffffff, 1
        F       0xffffffffffffffff, 0xffffffffffffffff
        F       0x7fffffffffffffff, 1
        F       0x7fffffffffffffff, 0x7fffffffffffffff
        F       0x8000000000000000, 0x8000000000000000
        F       0x8000000000000000, 1
        F       0x8000000000000000, 0x7fffffffffffffff
        F       0x7fffffffffffffff, 0x8000000000000000
        F       0x000000007fffffff, 0x0000000000000001
        F       0x0000000080000000, 0x0000000080000000
        F       0x00000000ffffffff, 0x0000000000000001
        F       0x0000000080000000, 0x000000007fffffff
        F       0xffffffff00000000, 0x0000000100000000
        F       0x5555555555555555, 0xaaaaaaaaaaaaaaab
        ret
