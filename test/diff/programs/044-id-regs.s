// diff: cpu=cortex-a57
// ID registers of the cortex-a57 model (MIDR 0x411FD070, CTR_EL0, DCZID_EL0, MPIDR of core 0 on
// virt), and their virtualisation: EL1 reads of MIDR_EL1/MPIDR_EL1 return VPIDR_EL2/VMPIDR_EL2.
// Other ID registers (ID_AA64*) are deliberately not printed.
        .include "harness.inc"
main:
        PSYS    MIDR_EL1
        PSYS    MPIDR_EL1
        PSYS    CTR_EL0
        PSYS    DCZID_EL0
        MOV64   x1, 0x410fd034
        msr     vpidr_el2, x1
        MOV64   x2, 0x80000123
        msr     vmpidr_el2, x2
        isb
        PSYS    MIDR_EL1
        PSYS    MPIDR_EL1
        PSYS    VPIDR_EL2
        PSYS    VMPIDR_EL2
        TO_EL1
        PSYS    MIDR_EL1
        PSYS    MPIDR_EL1
        PSYS    CTR_EL0
        TO_EL0
        mrs     x3, ctr_el0
        PR      x3
        mrs     x4, dczid_el0
        PR      x4
        UP_EL1
        UP_EL2
        EXIT    0
