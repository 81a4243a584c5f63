// ADC/ADCS/SBC/SBCS/NGC/NGCS: carry-in from both values of C, and 128/192-bit add/sub chains.
        .include "harness.inc"
        .macro A a, b
        MOV64   x1, \a
        MOV64   x2, \b
        PUTS    "-- \a \b\n"
        msr     nzcv, xzr
        adc     x0, x1, x2
        PV      adc_c0, x0
        adcs    x0, x1, x2
        PV      adcs_c0, x0
        PNZCV
        mov     x9, #0x20000000
        msr     nzcv, x9
        adc     x0, x1, x2
        PV      adc_c1, x0
        msr     nzcv, x9
        adcs    x0, x1, x2
        PV      adcs_c1, x0
        PNZCV
        msr     nzcv, xzr
        sbcs    x0, x1, x2
        PV      sbcs_c0, x0
        PNZCV
        msr     nzcv, x9
        sbcs    x0, x1, x2
        PV      sbcs_c1, x0
        PNZCV
        msr     nzcv, x9
        adcs    w0, w1, w2
        PV      adcsw_c1, x0
        PNZCV
        msr     nzcv, xzr
        sbcs    w0, w1, w2
        PV      sbcsw_c0, x0
        PNZCV
        msr     nzcv, xzr
        sbc     w0, w1, w2
        PV      sbcw_c0, x0
        msr     nzcv, xzr
        ngc     x0, x2
        PV      ngc_c0, x0
        msr     nzcv, x9
        ngcs    x0, x2
        PV      ngcs_c1, x0
        PNZCV
        msr     nzcv, xzr
        ngcs    w0, w2
        PV      ngcsw_c0, x0
        PNZCV
        .endm
main:
        A       0, 0
        A       0xffffffffffffffff, 0
        A       0xffffffffffffffff, 0xffffffffffffffff
        A       0x7fffffffffffffff, 0
        A       0x8000000000000000, 0x7fffffffffffffff
        A       0, 0xffffffffffffffff
        A       0x00000000ffffffff, 0x0000000000000000
        A       0x000000007fffffff, 0x00000000ffffffff
        // 192-bit add: (x1:x2:x3) + (x4:x5:x6)
        MOV64   x3, 0xffffffffffffffff
        MOV64   x2, 0xffffffffffffffff
        MOV64   x1, 0x7fffffffffffffff
        MOV64   x6, 0x0000000000000001
        mov     x5, #0
        mov     x4, #0
        adds    x10, x3, x6
        adcs    x11, x2, x5
        adcs    x12, x1, x4
        PNZCV
        PR      x12
        PR      x11
        PR      x10
        // 192-bit sub: 0 - 1
        subs    x10, xzr, x6
        sbcs    x11, xzr, xzr
        sbcs    x12, xzr, xzr
        PNZCV
        PR      x12
        PR      x11
        PR      x10
        ret
