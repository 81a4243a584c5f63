// diff: gic=3 cores=2
// PSCI CPU_ON called from EL1 (as an nVHE Linux kernel does): the new core starts at EL2, the
// highest Non-secure EL the machine implements, not at the caller's EL (PSCI 1.1, DEN0022, 6.4),
// with the MMU off and X0 = context_id. Core 1 records CurrentEL, X0 and SCTLR_EL2.M in memory and
// powers itself off; only core 0 prints.
        .include "harness.inc"
        .equ SHARED, 0x44100000
        .equ S_READY, 0x00
        .equ S_EL, 0x08
        .equ S_CTX, 0x10
        .equ S_M, 0x18
main:
        str     x30, [sp, #-16]!
        ZERO    SHARED, 0x40
        TO_EL1
        MOV64   x0, 0xC4000003          // CPU_ON(1, secondary, 0xabcd) from EL1 over SMC
        mov     x1, #1
        adr     x2, secondary
        MOV64   x3, 0xabcd
        smc     #0
        PV      cpu_on, x0
        MOV64   x9, SHARED
1:      ldr     x0, [x9, #S_READY]
        cbz     x0, 1b
        ldr     x0, [x9, #S_EL]
        PV      sec_currentel, x0
        ldr     x0, [x9, #S_CTX]
        PV      sec_x0, x0
        ldr     x0, [x9, #S_M]
        PV      sec_sctlr_el2_m, x0
        UP_EL2
        ldr     x30, [sp], #16
        ret

secondary:
        MOV64   x9, SHARED
        str     x0, [x9, #S_CTX]
        mrs     x1, CurrentEL
        str     x1, [x9, #S_EL]
        mrs     x1, sctlr_el2
        and     x1, x1, #1
        str     x1, [x9, #S_M]
        mov     x1, #1
        str     x1, [x9, #S_READY]
        MOV64   x0, 0x84000002          // CPU_OFF
        smc     #0
        b       .
