// EXTR (W and X, every kind of lsb) and its ROR-immediate alias.
        .include "harness.inc"
main:
        MOV64   x1, 0x0123456789abcdef
        MOV64   x2, 0xfedcba9876543210
        extr    x0, x1, x2, #0
        PR      x0
        extr    x0, x1, x2, #4
        PR      x0
        extr    x0, x1, x2, #32
        PR      x0
        extr    x0, x1, x2, #63
        PR      x0
        extr    x0, x2, x1, #17
        PR      x0
        extr    w0, w1, w2, #0
        PR      x0
        extr    w0, w1, w2, #8
        PR      x0
        extr    w0, w1, w2, #31
        PR      x0
        extr    w0, w2, w1, #16
        PR      x0
        ror     x0, x1, #1
        PR      x0
        ror     x0, x1, #36
        PR      x0
        ror     x0, x1, #63
        PR      x0
        ror     w0, w1, #1
        PR      x0
        ror     w0, w1, #20
        PR      x0
        ror     w0, w2, #31
        PR      x0
        extr    x0, xzr, x1, #12
        PR      x0
        extr    x0, x1, xzr, #12
        PR      x0
        ret
