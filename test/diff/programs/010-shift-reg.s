// LSLV/LSRV/ASRV/RORV (LSL/LSR/ASR/ROR register) with amounts 0..200: the amount is taken modulo
// the register width, so amounts >= width wrap.
        .include "harness.inc"
        .macro SH amt
        mov     x2, #\amt
        lsl     x3, x1, x2
        lsr     x4, x1, x2
        asr     x5, x1, x2
        ror     x6, x1, x2
        lsl     w7, w1, w2
        lsr     w8, w1, w2
        asr     w9, w1, w2
        ror     w10, w1, w2
        PUTS    "amt \amt\n"
        PR      x3
        PR      x4
        PR      x5
        PR      x6
        PR      x7
        PR      x8
        PR      x9
        PR      x10
        .endm
main:
        MOV64   x1, 0x80000000f0000001
        SH      0
        SH      1
        SH      4
        SH      31
        SH      32
        SH      33
        SH      63
        SH      64
        SH      65
        SH      96
        SH      127
        SH      200
        MOV64   x2, 0xffffffffffffff04
        lslv    x0, x1, x2
        PR      x0
        asrv    w0, w1, w2
        PR      x0
        ret
