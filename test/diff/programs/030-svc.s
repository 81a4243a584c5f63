// SVC: at EL2 (to EL2), at EL1h and EL1t (to EL1 current-EL vectors), at EL0 (to EL1 lower-EL
// vector, EC 0x15, ISS = imm16), with NZCV captured in SPSR.
        .include "harness.inc"
main:
        svc     #0x21
        TO_EL1
        svc     #0x22
        svc     #0
        TO_EL0
        mov     x9, #0xa0000000
        msr     nzcv, x9
        svc     #0x23
        PNZCV
        svc     #0xffff
        mov     x5, #0x55
        svc     #0x1234
        PR      x5
        UP_EL1
        PSYS    ESR_EL1
        PSYS    SPSR_EL1
        UP_EL2
        TO_EL1T
        svc     #0x24
        UP_EL2
        EXIT    0
