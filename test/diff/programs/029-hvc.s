// HVC: from EL1 (EC 0x16, ISS = imm16, ELR = next instruction), from EL1t, at EL2 (taken to EL2
// current-EL vector), from EL0 (UNDEFINED at EL1), and with HCR_EL2.HCD=1 (UNDEFINED).
// Registers survive the round trip.
        .include "harness.inc"
main:
        MOV64   x0, 0x84000000
        mov     x1, #1
        mov     x2, #2
        TO_EL1
        hvc     #0
        hvc     #0x12
        hvc     #0xffff
        hvc     #0x8000
        PR      x0
        PR      x1
        PR      x2
        mov     x9, #0xf0000000
        msr     nzcv, x9
        hvc     #0x77
        PNZCV
        UP_EL2
        hvc     #0x34
        TO_EL1T
        hvc     #1
        UP_EL2
        TO_EL1
        TO_EL0
        hvc     #5
        UP_EL1
        UP_EL2
        // HCR_EL2.HCD (bit 29) makes HVC UNDEFINED at EL2 and EL1 (no EL3 here)
        mrs     x3, hcr_el2
        orr     x4, x3, #(1 << 29)
        msr     hcr_el2, x4
        isb
        hvc     #6
        msr     hcr_el2, x3
        isb
        hvc     #7
        PSYS    ESR_EL2
        EXIT    0
