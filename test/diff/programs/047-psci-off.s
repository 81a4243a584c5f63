// diff: cores=2
// PSCI on a two-core board: AFFINITY_INFO says core 0 is ON and core 1 is OFF (QEMU starts the
// secondaries powered off when PSCI is its firmware); then SYSTEM_OFF (0x84000008) over SMC from
// EL1 ends the run with status 0, after the output before it.
        .include "harness.inc"
        .macro AFF mpidr
        MOV64   x0, 0xc4000004
        MOV64   x1, \mpidr
        mov     x2, #0
        smc     #0
        PV      affinity_info_\mpidr, x0
        .endm
main:
        AFF     0
        AFF     1
        AFF     2
        PUTS    "powering off\n"
        TO_EL1
        MOV64   x0, 0x84000008
        smc     #0
        PUTS    "not reached\n"
        EXIT    1
