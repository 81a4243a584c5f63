// diff: gic=2
// GICv2 virtualization extensions: the hypervisor at EL2 programs GICH_* (0x0803_0000) and the
// guest at EL1 uses the virtual CPU interface GICV_* (0x0804_0000, accessed at its physical
// address here; a hypervisor would map it at the guest's GICC address with Stage 2).
//  1. physical PPI 23 (Group 0, EOImode = 1) pended while the guest runs is taken to EL2, acked
//     (priority drop only) and injected with GICH_LR0 HW = 1, PhysicalID 23; the guest's GICV_EOIR
//     deactivates the physical interrupt (GICD_ISACTIVER0);
//  2. GICH_LR1 with HW = 0 and EOI = 1: the guest's EOI raises the maintenance interrupt (PPI 25)
//     with GICH_MISR.EOI and GICH_EISR0;
//  3. a virtual SGI with a source CPUID: GICV_IAR returns it in bits [12:10].
        .include "harness.inc"
        .equ GICD, 0x08000000
        .equ GICC, 0x08010000
        .equ GICH, 0x08030000
        .equ GICV, 0x08040000
main:
        str     x30, [sp, #-16]!
        SET_HOOK 2, el2_hook
        SET_HOOK 1, el1_hook
        MOV64   x1, GICD
        mov     w0, #1
        str     w0, [x1]                // GICD_CTLR.EnableGrp0
        MOV64   x0, (1 << 23) | (1 << 25)
        str     w0, [x1, #0x100]        // enable PPI 23 and the maintenance PPI 25
        mov     w0, #0x80
        strb    w0, [x1, #0x417]
        strb    w0, [x1, #0x419]
        MOV64   x1, GICC
        mov     w0, #0xff
        str     w0, [x1, #4]            // GICC_PMR
        MOV64   x0, 0x201               // EnableGrp0 | EOImode
        str     w0, [x1]
        MOV64   x1, GICH
        mov     w0, #1
        str     w0, [x1]                // GICH_HCR.En
        ldr     w0, [x1, #4]
        PV      gich_vtr, x0
        mrs     x0, hcr_el2
        orr     x0, x0, #0x18
        msr     hcr_el2, x0
        isb
        TO_EL1
        // guest: enable its (virtual) CPU interface
        MOV64   x1, GICV
        mov     w0, #1
        str     w0, [x1]                // GICV_CTLR.EnableGrp0
        mov     w0, #0xf8
        str     w0, [x1, #4]            // GICV_PMR
        UP_EL2
        MOV64   x1, GICH
        ldr     w0, [x1, #8]
        PV      gich_vmcr, x0
        // pend PPI 23
        MOV64   x1, GICD
        MOV64   x0, (1 << 23)
        str     w0, [x1, #0x200]
        TO_EL1
        PUTS    "guest: running\n"
        msr     daifclr, #2
        nop
        PUTS    "guest: back\n"
        msr     daifset, #2
        UP_EL2
        MOV64   x1, GICH
        ldr     w0, [x1, #0x100]
        PV      gich_lr0, x0
        ldr     w0, [x1, #0x30]
        PV      gich_elrsr0, x0
        ldr     w0, [x1, #0x10]
        PV      gich_misr, x0
        ldr     w0, [x1, #0xf0]
        PV      gich_apr, x0
        MOV64   x1, GICD
        ldr     w0, [x1, #0x300]
        PV      gicd_isactiver0, x0
        MOV64   x1, GICC
        ldr     w0, [x1, #0x14]
        PV      gicc_rpr, x0
        // Part 2: EOI maintenance for vINTID 42
        MOV64   x1, GICH
        MOV64   x0, (1 << 28) | (0x12 << 23) | (1 << 19) | 42
        str     w0, [x1, #0x104]
        ldr     w0, [x1, #0x104]
        PV      gich_lr1, x0
        TO_EL1
        msr     daifclr, #2
        nop
        PUTS    "guest: back from 42\n"
        msr     daifset, #2
        UP_EL2
        // Part 3: virtual SGI 3 from CPU 2
        MOV64   x1, GICH
        MOV64   x0, (1 << 28) | (0x14 << 23) | (2 << 10) | 3
        str     w0, [x1, #0x108]
        ldr     w0, [x1, #0x108]
        PV      gich_lr2, x0
        TO_EL1
        msr     daifclr, #2
        nop
        msr     daifset, #2
        UP_EL2
        MOV64   x1, GICH
        ldr     w0, [x1, #0x108]
        PV      gich_lr2, x0
        ldr     w0, [x1, #0x30]
        PV      gich_elrsr0, x0
        str     wzr, [x1]
        CLR_HOOK 1
        CLR_HOOK 2
        ldr     x30, [sp], #16
        ret

el2_hook:
        cmp     x0, #0x480
        b.ne    9f
        str     x30, [sp, #-16]!
        MOV64   x1, GICC
        ldr     w2, [x1, #0xc]          // GICC_IAR
        PV      hyp_iar, x2
        str     w2, [x1, #0x10]         // GICC_EOIR: priority drop
        MOV64   x1, GICH
        cmp     w2, #25
        b.eq    1f
        // GICH_LR0: HW, pending, priority 0x80, PhysicalID = VirtualID = IAR
        MOV64   x3, (1 << 31) | (1 << 28) | (0x10 << 23)
        orr     w3, w3, w2
        orr     w3, w3, w2, lsl #10
        str     w3, [x1, #0x100]
        ldr     w0, [x1, #0x100]
        PV      gich_lr0, x0
        ldr     w0, [x1, #0x30]
        PV      gich_elrsr0, x0
        MOV64   x1, GICD
        ldr     w0, [x1, #0x300]
        PV      gicd_isactiver0, x0
        b       8f
1:      ldr     w0, [x1, #0x10]
        PV      gich_misr, x0
        ldr     w0, [x1, #0x20]
        PV      gich_eisr0, x0
        ldr     w0, [x1, #0x30]
        PV      gich_elrsr0, x0
        str     wzr, [x1, #0x104]       // clear LR1
        ldr     w0, [x1, #0x10]
        PV      gich_misr, x0
        MOV64   x1, GICC
        MOV64   x0, 0x1000
        str     w2, [x1, x0]            // GICC_DIR 25
8:      ldr     x30, [sp], #16
9:      ret

el1_hook:
        cmp     x0, #0x280
        b.ne    9f
        str     x30, [sp, #-16]!
        MOV64   x1, GICV
        ldr     w0, [x1, #0x18]
        PV      guest_hppir, x0
        ldr     w2, [x1, #0xc]          // GICV_IAR
        PV      guest_iar, x2
        ldr     w0, [x1, #0x14]
        PV      guest_rpr, x0
        str     w2, [x1, #0x10]         // GICV_EOIR
        ldr     w0, [x1, #0x14]
        PV      guest_rpr, x0
        ldr     x30, [sp], #16
9:      ret
