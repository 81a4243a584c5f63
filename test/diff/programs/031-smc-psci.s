// SMC and QEMU's built-in PSCI (conduit SMC when EL2 is the highest EL): PSCI_VERSION,
// PSCI_FEATURES, MIGRATE_INFO_TYPE, AFFINITY_INFO from EL2 and EL1; SMC with a non-PSCI function
// ID (UNDEFINED: no EL3); HCR_EL2.TSC=1 traps SMC from EL1 to EL2 (EC 0x17, ISS = imm16,
// ELR = the SMC itself); SMC at EL0 is UNDEFINED; HVC is not a PSCI conduit here.
        .include "harness.inc"
        .macro CALL fn, a1, a2
        MOV64   x0, \fn
        MOV64   x1, \a1
        MOV64   x2, \a2
        mov     x3, #3
        smc     #0
        PUTS    "\fn: "
        PHEX    x0
        PCHAR   ' '
        PHEX    x1
        PCHAR   ' '
        PHEX    x2
        PCHAR   ' '
        PHEX    x3
        PNL
        .endm
main:
        CALL    0x84000000, 0, 0
        CALL    0x8400000a, 0x84000000, 0
        CALL    0x8400000a, 0xc4000003, 0
        CALL    0x8400000a, 0x84000008, 0
        CALL    0x8400000a, 0x840000ff, 0
        CALL    0x84000006, 0, 0
        CALL    0xc4000004, 0, 0
        CALL    0x12345678, 0, 0
        TO_EL1
        CALL    0x84000000, 0, 0
        CALL    0x84000006, 0, 0
        CALL    0x42, 0, 0
        MOV64   x0, 0x84000000
        hvc     #0
        PR      x0
        UP_EL2
        mrs     x3, hcr_el2
        orr     x3, x3, #(1 << 19)
        msr     hcr_el2, x3
        isb
        TO_EL1
        MOV64   x0, 0x84000000
        smc     #0x42
        PR      x0
        mov     x0, #7
        smc     #0xffff
        PR      x0
        TO_EL0
        smc     #1
        UP_EL1
        UP_EL2
        EXIT    0
