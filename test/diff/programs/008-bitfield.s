// UBFM/SBFM/BFM and their aliases: LSL/LSR/ASR immediate, UBFX/SBFX/UBFIZ/SBFIZ/BFI/BFXIL,
// SXTB/SXTH/SXTW/UXTB/UXTH, in W and X forms, including wrapping (imms < immr) cases.
        .include "harness.inc"
main:
        MOV64   x1, 0x8badf00dcafe1234
        MOV64   x2, 0x5555555555555555
        ubfm    x0, x1, #4, #11
        PR      x0
        ubfm    x0, x1, #60, #3
        PR      x0
        ubfm    x0, x1, #0, #63
        PR      x0
        sbfm    x0, x1, #56, #63
        PR      x0
        sbfm    x0, x1, #8, #3
        PR      x0
        sbfm    w0, w1, #4, #11
        PR      x0
        ubfm    w0, w1, #28, #3
        PR      x0
        mov     x0, x2
        bfm     x0, x1, #8, #15
        PR      x0
        mov     x0, x2
        bfm     x0, x1, #60, #7
        PR      x0
        mov     x0, x2
        bfm     w0, w1, #16, #31
        PR      x0
        lsl     x0, x1, #1
        PR      x0
        lsl     x0, x1, #63
        PR      x0
        lsl     w0, w1, #31
        PR      x0
        lsr     x0, x1, #63
        PR      x0
        lsr     w0, w1, #5
        PR      x0
        asr     x0, x1, #1
        PR      x0
        asr     x0, x1, #63
        PR      x0
        asr     w0, w1, #31
        PR      x0
        asr     w0, w1, #0
        PR      x0
        ubfx    x0, x1, #12, #20
        PR      x0
        ubfx    w0, w1, #31, #1
        PR      x0
        sbfx    x0, x1, #28, #8
        PR      x0
        sbfx    w0, w1, #12, #4
        PR      x0
        ubfiz   x0, x1, #40, #16
        PR      x0
        ubfiz   w0, w1, #3, #29
        PR      x0
        sbfiz   x0, x1, #4, #16
        PR      x0
        sbfiz   w0, w1, #30, #2
        PR      x0
        mov     x0, x2
        bfi     x0, x1, #20, #12
        PR      x0
        mov     x0, x2
        bfi     w0, w1, #0, #1
        PR      x0
        mov     x0, x2
        bfxil   x0, x1, #32, #32
        PR      x0
        mov     x0, x2
        bfxil   w0, w1, #8, #8
        PR      x0
        mov     x0, x2
        bfm     x0, xzr, #52, #15
        PR      x0
        sxtb    x0, w1
        PR      x0
        sxtb    w0, w1
        PR      x0
        sxth    x0, w1
        PR      x0
        sxth    w0, w1
        PR      x0
        sxtw    x0, w1
        PR      x0
        uxtb    w0, w1
        PR      x0
        uxth    w0, w1
        PR      x0
        MOV64   x3, 0x7f
        sxtb    x0, w3
        PR      x0
        MOV64   x3, 0x80
        sxtb    x0, w3
        PR      x0
        ret
