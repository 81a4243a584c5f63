// diff: gic=2 cores=2
// GICv2 SGIs between two cores: core 0 starts core 1 with PSCI CPU_ON, then sends SGIs with
// GICD_SGIR (target list, then "all but self"); core 1 takes them at EL2 (HCR_EL2.IMO), reads
// GICC_IAR (source CPUID in bits [12:10]) and EOIs. Core 1 records what it saw; only core 0
// prints. Banked registers: GICD_ITARGETSR0 reads as the accessing CPU's mask.
        .include "harness.inc"
        .equ GICD, 0x08000000
        .equ GICC, 0x08010000
        .equ SHARED, 0x44100000
        .equ S_READY, 0x00
        .equ S_COUNT, 0x08
        .equ S_TARGETS, 0x10
        .equ S_IAR0, 0x28
        .equ S_IAR1, 0x30
        .equ S_IAR2, 0x38
        .equ S_QUIT, 0x48
main:
        str     x30, [sp, #-16]!
        ZERO    SHARED, 0x80
        MOV64   x1, GICD
        mov     w0, #1
        str     w0, [x1]                // GICD_CTLR.EnableGrp0
        ldr     w0, [x1, #0x800]
        PV      itargets0_cpu0, x0
        ldr     w0, [x1, #4]
        PV      gicd_typer, x0
        MOV64   x0, 0xC4000003
        mov     x1, #1
        adr     x2, secondary
        mov     x3, #0
        smc     #0
        PV      cpu_on, x0
        MOV64   x9, SHARED
1:      ldr     x0, [x9, #S_READY]
        cbz     x0, 1b
        ldr     x0, [x9, #S_TARGETS]
        PV      itargets0_cpu1, x0
        MOV64   x1, GICD
        MOV64   x0, (2 << 16) | 3       // SGI 3 to CPU 1
        str     w0, [x1, #0xf00]
2:      ldr     x0, [x9, #S_COUNT]
        cmp     x0, #1
        b.lo    2b
        ldr     x0, [x9, #S_IAR0]
        PV      sec_iar, x0
        MOV64   x0, (1 << 24) | 6       // SGI 6 to all but self
        str     w0, [x1, #0xf00]
3:      ldr     x0, [x9, #S_COUNT]
        cmp     x0, #2
        b.lo    3b
        ldr     x0, [x9, #S_IAR1]
        PV      sec_iar2, x0
        mov     x0, #1
        str     x0, [x9, #S_QUIT]
        MOV64   x0, (2 << 16) | 1       // wake core 1
        str     w0, [x1, #0xf00]
4:      MOV64   x0, 0xC4000004
        mov     x1, #1
        mov     x2, #0
        smc     #0
        cmp     x0, #1
        b.ne    4b
        PV      affinity_off, x0
        ldr     x0, [x9, #S_IAR2]
        PV      sec_iar3, x0
        ldr     x30, [sp], #16
        ret

secondary:
        MOV64   x9, SHARED
        MOV64   x1, 0x47C00000
        mov     sp, x1
        adr     x1, sec_vectors
        msr     vbar_el2, x1
        MOV64   x1, (1 << 31) | 0x18
        msr     hcr_el2, x1
        MOV64   x1, GICD
        ldr     w2, [x1, #0x800]
        str     x2, [x9, #S_TARGETS]
        MOV64   x1, GICC
        mov     w2, #0xff
        str     w2, [x1, #4]            // GICC_PMR
        mov     w2, #1
        str     w2, [x1]                // GICC_CTLR.EnableGrp0
        isb
        mov     x2, #1
        str     x2, [x9, #S_READY]
        msr     daifclr, #2
1:      wfi
        ldr     x2, [x9, #S_QUIT]
        cbz     x2, 1b
        ldr     x2, [x9, #S_COUNT]
        cmp     x2, #3
        b.lo    1b
        msr     daifset, #2
        MOV64   x0, 0x84000002
        smc     #0
        b       .

        .balign 2048
sec_vectors:
        .rept   5
        .balign 128
        b       .
        .endr
        .balign 128
sec_irq:
        stp     x0, x1, [sp, #-16]!
        stp     x2, x9, [sp, #-16]!
        MOV64   x9, SHARED
        MOV64   x2, GICC
        ldr     w0, [x2, #0xc]          // GICC_IAR
        ldr     x1, [x9, #S_COUNT]
        add     x2, x9, #S_IAR0
        str     x0, [x2, x1, lsl #3]
        MOV64   x2, GICC
        str     w0, [x2, #0x10]         // GICC_EOIR
        add     x1, x1, #1
        str     x1, [x9, #S_COUNT]
        ldp     x2, x9, [sp], #16
        ldp     x0, x1, [sp], #16
        eret
