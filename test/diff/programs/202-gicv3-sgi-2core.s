// diff: gic=3 cores=2
// Two cores: core 0 starts core 1 with PSCI CPU_ON (SMC, the machine starts at EL2), checks the
// PSCI return codes (SUCCESS, ALREADY_ON, INVALID_PARAMETERS, AFFINITY_INFO ON/OFF), then sends
// SGIs through ICC_SGI1R_EL1 that core 1 takes at EL2 (HCR_EL2.IMO), acknowledges and EOIs.
// Core 1 records what it saw in memory and core 0 prints it (only core 0 prints, so the output
// does not depend on how the cores interleave). An SGI configured in Group 0 on core 1 is not
// delivered by ICC_SGI1R_EL1 (GICD_CTLR.DS = 1 group check).
        .include "harness.inc"
        .equ GICD, 0x08000000
        .equ GICR1_RD, 0x080C0000
        .equ GICR1_SGI, 0x080D0000
        .equ SHARED, 0x44100000         // flags and results written by core 1
        .equ S_READY, 0x00
        .equ S_COUNT, 0x08
        .equ S_CTX, 0x10
        .equ S_MPIDR, 0x18
        .equ S_EL, 0x20
        .equ S_IAR0, 0x28
        .equ S_IAR1, 0x30
        .equ S_RPR, 0x38
        .equ S_QUIT, 0x40
main:
        str     x30, [sp, #-16]!
        ZERO    SHARED, 0x80
        MOV64   x1, GICD
        mov     w0, #2
        str     w0, [x1]                // GICD_CTLR.EnableGrp1
        // CPU_ON(1, secondary, context 0x1234)
        MOV64   x0, 0xC4000003
        mov     x1, #1
        adr     x2, secondary
        mov     x3, #0x1234
        smc     #0
        PV      cpu_on, x0
        MOV64   x0, 0xC4000003
        mov     x1, #5                  // no such core
        adr     x2, secondary
        mov     x3, #0
        smc     #0
        PV      cpu_on_bad, x0
        MOV64   x9, SHARED
1:      ldr     x0, [x9, #S_READY]
        cbz     x0, 1b
        MOV64   x0, 0xC4000003
        mov     x1, #1
        adr     x2, secondary
        mov     x3, #0
        smc     #0
        PV      cpu_on_again, x0
        MOV64   x0, 0xC4000004          // AFFINITY_INFO(1, level 0)
        mov     x1, #1
        mov     x2, #0
        smc     #0
        PV      affinity_on, x0
        ldr     x0, [x9, #S_CTX]
        PV      sec_context, x0
        ldr     x0, [x9, #S_MPIDR]
        PV      sec_mpidr, x0
        ldr     x0, [x9, #S_EL]
        PV      sec_el, x0
        // SGI 4 is Group 0 on core 1: ICC_SGI1R_EL1 must not deliver it.
        MOV64   x0, (4 << 24) | 2
        msr     S3_0_C12_C11_5, x0
        isb
        MOV64   x1, GICR1_SGI
        ldr     w0, [x1, #0x200]
        PV      gicr1_ispendr0, x0
        // SGI 3 to target list {aff0 = 1}
        MOV64   x0, (3 << 24) | 2
        msr     S3_0_C12_C11_5, x0
2:      ldr     x0, [x9, #S_COUNT]
        cmp     x0, #1
        b.lo    2b
        ldr     x0, [x9, #S_IAR0]
        PV      sec_iar, x0
        ldr     x0, [x9, #S_RPR]
        PV      sec_rpr_in_handler, x0
        // SGI 3 again with IRM = 1 (every PE but self)
        MOV64   x0, (1 << 40) | (3 << 24)
        msr     S3_0_C12_C11_5, x0
3:      ldr     x0, [x9, #S_COUNT]
        cmp     x0, #2
        b.lo    3b
        ldr     x0, [x9, #S_IAR1]
        PV      sec_iar2, x0
        MOV64   x1, GICR1_SGI
        ldr     w0, [x1, #0x300]
        PV      gicr1_isactiver0, x0
        ldr     w0, [x1, #0x200]
        PV      gicr1_ispendr0, x0
        // Let core 1 power itself off, then wait for AFFINITY_INFO = OFF.
        mov     x0, #1
        str     x0, [x9, #S_QUIT]
        MOV64   x0, (3 << 24) | 2       // wake core 1 from WFI
        msr     S3_0_C12_C11_5, x0
4:      MOV64   x0, 0xC4000004
        mov     x1, #1
        mov     x2, #0
        smc     #0
        cmp     x0, #1
        b.ne    4b
        PV      affinity_off, x0
        ldr     x30, [sp], #16
        ret

// ---------------------------------------------------------------- core 1 (prints nothing)
secondary:
        MOV64   x9, SHARED
        str     x0, [x9, #S_CTX]
        MOV64   x1, 0x47C00000
        mov     sp, x1
        mrs     x1, mpidr_el1
        str     x1, [x9, #S_MPIDR]
        mrs     x1, CurrentEL
        str     x1, [x9, #S_EL]
        adr     x1, sec_vectors
        msr     vbar_el2, x1
        MOV64   x1, (1 << 31) | 0x18    // RW, IMO, FMO: physical IRQs are taken at EL2
        msr     hcr_el2, x1
        MOV64   x1, GICR1_RD
        str     wzr, [x1, #0x14]        // GICR_WAKER: awake
        MOV64   x1, GICR1_SGI
        mov     w2, #0x08               // SGI 3 Group 1 (SGI 4 stays Group 0)
        str     w2, [x1, #0x80]
        mov     w2, #0x18               // enable SGI 3 and 4
        str     w2, [x1, #0x100]
        mov     x2, #0xff
        msr     S3_0_C4_C6_0, x2        // ICC_PMR_EL1
        mov     x2, #1
        msr     S3_0_C12_C12_7, x2      // ICC_IGRPEN1_EL1
        isb
        mov     x2, #1
        str     x2, [x9, #S_READY]
        msr     daifclr, #2
1:      wfi
        ldr     x2, [x9, #S_QUIT]
        cbz     x2, 1b
        msr     daifset, #2
        MOV64   x0, 0x84000002          // CPU_OFF
        smc     #0
        b       .

        .balign 2048
sec_vectors:
        .rept   5                       // 0x000..0x200: unexpected (spin)
        .balign 128
        b       .
        .endr
        .balign 128                     // 0x280: IRQ, current EL with SP_ELx
sec_irq:
        stp     x0, x1, [sp, #-16]!
        stp     x2, x9, [sp, #-16]!
        MOV64   x9, SHARED
        mrs     x0, S3_0_C12_C12_0      // ICC_IAR1_EL1
        ldr     x1, [x9, #S_COUNT]
        add     x2, x9, #S_IAR0
        str     x0, [x2, x1, lsl #3]
        mrs     x2, S3_0_C12_C11_3      // ICC_RPR_EL1 while active
        str     x2, [x9, #S_RPR]
        msr     S3_0_C12_C12_1, x0      // ICC_EOIR1_EL1
        isb
        add     x1, x1, #1
        str     x1, [x9, #S_COUNT]
        ldp     x2, x9, [sp], #16
        ldp     x0, x1, [sp], #16
        eret
