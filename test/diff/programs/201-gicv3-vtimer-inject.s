// diff: gic=3
// A virtual timer programmed by the guest fires through the hypervisor's injection (KVM's flow):
// the guest sets CNTV_TVAL_EL0 (100 ms, so a loaded host running QEMU cannot reach the deadline before WFI) and CNTV_CTL_EL0.ENABLE and waits in WFI; PPI 27 is taken
// to EL2 (HCR_EL2.IMO); the hypervisor acknowledges it (EOImode = 1: priority drop only) and
// injects vINTID 27 with HW = 1, pINTID 27; the guest takes the virtual IRQ, masks its timer
// (CNTV_CTL_EL0.IMASK) and EOIs, which deactivates the physical PPI 27. Only values that do not
// depend on time are printed (ISTATUS, not TVAL).
        .include "harness.inc"
        .equ GICD, 0x08000000
        .equ GICR_SGI, 0x080B0000
        .equ GICR_RD, 0x080A0000
main:
        str     x30, [sp, #-16]!
        SET_HOOK 2, el2_hook
        SET_HOOK 1, el1_hook
        MOV64   x1, GICD
        mov     w0, #2
        str     w0, [x1]
        MOV64   x1, GICR_RD
        str     wzr, [x1, #0x14]
        MOV64   x1, GICR_SGI
        MOV64   x0, 0x08000000          // PPI 27 in Group 1, enabled
        str     w0, [x1, #0x80]
        str     w0, [x1, #0x100]
        mov     w0, #0xa0
        strb    w0, [x1, #0x41b]
        ldr     w0, [x1, #0xc04]
        PV      gicr_icfgr1, x0
        mov     x0, #0xff
        msr     S3_0_C4_C6_0, x0        // ICC_PMR_EL1
        mov     x0, #2
        msr     S3_0_C12_C12_4, x0      // EOImode
        mov     x0, #1
        msr     S3_0_C12_C12_7, x0      // ICC_IGRPEN1_EL1
        msr     S3_4_C12_C11_0, x0      // ICH_HCR_EL2.En
        MOV64   x0, 0xf8000002
        msr     S3_4_C12_C11_7, x0      // ICH_VMCR_EL2
        mrs     x0, hcr_el2
        orr     x0, x0, #0x18
        msr     hcr_el2, x0
        isb
        PSYS    CNTFRQ_EL0
        PSYS    CNTV_CTL_EL0
        TO_EL1
        MOV64   x0, 6250000
        msr     cntv_tval_el0, x0
        mov     x0, #1
        msr     cntv_ctl_el0, x0
        wfi
        PUTS    "guest: woke\n"
        mrs     x0, cntv_ctl_el0
        PV      guest_cntv_ctl, x0
        msr     daifclr, #2
        nop
        PUTS    "guest: timer handled\n"
        mrs     x0, cntv_ctl_el0
        PV      guest_cntv_ctl, x0
        msr     daifset, #2
        UP_EL2
        PSYS    S3_4_C12_C12_0          // ICH_LR0_EL2
        PSYS    S3_4_C12_C11_5          // ICH_ELRSR_EL2
        MOV64   x1, GICR_SGI
        ldr     w0, [x1, #0x300]
        PV      gicr_isactiver0, x0
        ldr     w0, [x1, #0x200]
        PV      gicr_ispendr0, x0
        PSYS    S3_0_C12_C11_3          // ICC_RPR_EL1
        msr     cntv_ctl_el0, xzr
        msr     S3_4_C12_C11_0, xzr
        CLR_HOOK 1
        CLR_HOOK 2
        ldr     x30, [sp], #16
        ret

el2_hook:
        cmp     x0, #0x480
        b.ne    9f
        str     x30, [sp, #-16]!
        mrs     x2, S3_0_C12_C12_0      // ICC_IAR1_EL1
        PV      hyp_iar, x2
        msr     S3_0_C12_C12_1, x2      // ICC_EOIR1_EL1 (priority drop)
        MOV64   x1, GICR_SGI
        ldr     w0, [x1, #0x300]
        PV      gicr_isactiver0, x0
        ldr     w0, [x1, #0x200]
        PV      gicr_ispendr0, x0
        MOV64   x3, 0x70a0000000000000
        orr     x3, x3, x2
        orr     x3, x3, x2, lsl #32
        msr     S3_4_C12_C12_0, x3
        PSYS    S3_4_C12_C12_0
        ldr     x30, [sp], #16
9:      ret

el1_hook:
        cmp     x0, #0x280
        b.ne    9f
        str     x30, [sp, #-16]!
        mrs     x2, S3_0_C12_C12_0      // ICV_IAR1_EL1
        PV      guest_iar, x2
        mrs     x0, cntv_ctl_el0
        PV      guest_cntv_ctl, x0
        mov     x0, #3                  // ENABLE | IMASK
        msr     cntv_ctl_el0, x0
        msr     S3_0_C12_C12_1, x2      // ICV_EOIR1_EL1
        ldr     x30, [sp], #16
9:      ret
