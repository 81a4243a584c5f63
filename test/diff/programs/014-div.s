// UDIV/SDIV in W and X: ordinary values, rounding toward zero, divide by zero (result 0, no trap),
// INT_MIN / -1 (result INT_MIN), plus the remainder idiom with MSUB.
        .include "harness.inc"
        .macro D a, b
        MOV64   x1, \a
        MOV64   x2, \b
        udiv    x3, x1, x2
        sdiv    x4, x1, x2
        udiv    w5, w1, w2
        sdiv    w6, w1, w2
        msub    x7, x4, x2, x1
        PUTS    "-- \a / \b\n"
        PV      udiv, x3
        PV      sdiv, x4
        PV      udivw, x5
        PV      sdivw, x6
        PV      srem, x7
        .endm
main:
        D       100, 7
        D       7, 100
        D       -100, 7
        D       100, -7
        D       -100, -7
        D       0xffffffffffffffff, 2
        D       0x8000000000000000, 0xffffffffffffffff
        D       0x0000000080000000, 0x00000000ffffffff
        D       12345, 0
        D       0, 0
        D       0xffffffffffffffff, 0
        D       0x8000000000000000, 1
        D       0x7fffffffffffffff, 0x7fffffffffffffff
        D       0x123456789abcdef0, 0x100000000
        D       0x00000001fffffffe, 0xffffffff00000003
        ret
