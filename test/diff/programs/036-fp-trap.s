// FP/SIMD access traps, EC 0x07 (ISS CV=1 COND=0xE as QEMU reports it): CPACR_EL1.FPEN=0b00 traps
// EL1 and EL0 to EL1, FPEN=0b01 traps only EL0, CPTR_EL2.TFP=1 traps EL0/EL1/EL2 to EL2; CPACR
// has priority over CPTR_EL2 for EL1. Loads/stores of FP registers and moves trap too.
        .include "harness.inc"
main:
        MOV64   x20, DATA_BASE
        MOV64   x1, 0x3ff0000000000000
        fmov    d0, x1
        str     d0, [x20]
        // FPEN = 0b00
        msr     cpacr_el1, xzr
        isb
        TO_EL1
        PUTS    "FPEN=00 EL1\n"
        fmov    d1, x1
        ldr     q1, [x20]
        str     s0, [x20, #16]
        fadd    d2, d0, d0
        mov     v3.16b, v0.16b
        fmov    x2, d0
        TO_EL0
        PUTS    "FPEN=00 EL0\n"
        fmov    d1, x1
        ldp     d2, d3, [x20]
        UP_EL1
        // FPEN = 0b01: EL1 allowed, EL0 trapped
        mov     x4, #(1 << 20)
        msr     cpacr_el1, x4
        isb
        PUTS    "FPEN=01 EL1\n"
        fmov    x2, d0
        PR      x2
        TO_EL0
        PUTS    "FPEN=01 EL0\n"
        fmov    d1, x1
        UP_EL1
        mov     x4, #(3 << 20)
        msr     cpacr_el1, x4
        isb
        UP_EL2
        // CPTR_EL2.TFP = 1
        mov     x4, #0x33ff
        orr     x4, x4, #(1 << 10)
        msr     cptr_el2, x4
        isb
        PUTS    "TFP=1 EL2\n"
        fmov    d1, x1
        ldr     d1, [x20]
        TO_EL1
        PUTS    "TFP=1 EL1\n"
        fmov    d1, x1
        ldr     s1, [x20]
        TO_EL0
        PUTS    "TFP=1 EL0\n"
        fmov    d1, x1
        UP_EL1
        // both: CPACR (to EL1) wins for EL1
        msr     cpacr_el1, xzr
        isb
        PUTS    "TFP=1 FPEN=00 EL1\n"
        fmov    d1, x1
        mov     x4, #(3 << 20)
        msr     cpacr_el1, x4
        isb
        UP_EL2
        mov     x4, #0x33ff
        msr     cptr_el2, x4
        isb
        fmov    x5, d0
        PR      x5
        EXIT    0
