// Debug adapter test program for the GIC/timer exception filters (launch with gic: 'v3').
// EL2 hypervisor with HCR_EL2.IMO/FMO = 1, guest at EL1:
//  1. the hypervisor injects vINTID 40 (LR0, priority 0xa0) and vINTID 42 (LR1, priority 0x90,
//     EOI maintenance); the guest unmasks IRQs and takes both virtual IRQs (42 first);
//  2. the guest's EOI of 42 raises the maintenance interrupt (PPI 25), a physical IRQ taken to
//     EL2, whose handler clears LR1 and deactivates 25;
//  3. the guest programs its virtual timer and waits in WFI; PPI 27 fires, is taken to EL2,
//     injected as vINTID 27 (HW = 1) in LR0; the guest takes it, masks the timer and EOIs.
// Exits with code 0 through semihosting.
        .text
        .global _start
        .equ GICD, 0x08000000
        .equ GICR_RD, 0x080A0000
        .equ GICR_SGI, 0x080B0000
_start:
        adr     x0, el2_vectors
        msr     vbar_el2, x0
        adr     x0, el1_vectors
        msr     vbar_el1, x0
        ldr     x1, =GICD
        mov     w0, #2
        str     w0, [x1]                        // GICD_CTLR.EnableGrp1NS
        ldr     x1, =GICR_RD
        str     wzr, [x1, #0x14]                // GICR_WAKER: awake
        ldr     x1, =GICR_SGI
        ldr     x0, =0x0a000000                 // PPI 25 and 27 in Group 1
        str     w0, [x1, #0x80]
        str     w0, [x1, #0x100]                // enable them
        mov     w0, #0x80
        strb    w0, [x1, #0x419]                // PPI 25 priority 0x80
        strb    w0, [x1, #0x41b]                // PPI 27 priority 0x80
        mov     x0, #0xff
        msr     S3_0_C4_C6_0, x0                // ICC_PMR_EL1
        mov     x0, #2
        msr     S3_0_C12_C12_4, x0              // ICC_CTLR_EL1.EOImode = 1
        mov     x0, #1
        msr     S3_0_C12_C12_7, x0              // ICC_IGRPEN1_EL1
        msr     S3_4_C12_C11_0, x0              // ICH_HCR_EL2.En
        ldr     x0, =0xf8000002
        msr     S3_4_C12_C11_7, x0              // ICH_VMCR_EL2: VPMR 0xf8, VENG1
        ldr     x0, =((1 << 31) | 0x18)         // HCR_EL2.RW | IMO | FMO
        msr     hcr_el2, x0
        isb
        ldr     x0, =0x50a0000000000000 | 40    // pending, Group 1, priority 0xa0, vINTID 40
        msr     S3_4_C12_C12_0, x0              // @inject40 ICH_LR0_EL2
        ldr     x0, =0x5090020000000000 | 42    // pending, Group 1, priority 0x90, EOI, vINTID 42
        msr     S3_4_C12_C12_1, x0              // @inject42 ICH_LR1_EL2
        mov     x2, #0                          // @after-inject42
        ldr     x0, =0x40800000
        msr     sp_el1, x0
        mov     x0, #0x3c5                      // EL1h, DAIF masked
        msr     spsr_el2, x0
        adr     x0, el1_entry
        msr     elr_el2, x0
        eret
el1_entry:
        msr     daifclr, #2                     // @unmask: takes vIRQ 42, then 40
        nop
        mov     x0, #1000
        msr     cntv_tval_el0, x0
        mov     x0, #1
        msr     cntv_ctl_el0, x0                // virtual timer on
        wfi                                     // @wfi
        nop                                     // @after-wfi
        adr     x1, exitblk
        mov     x0, #0x18
        hlt     #0xf000

        .balign 8
exitblk: .quad 0x20026, 0

        .balign 0x800
el1_vectors:
        .space  0x280
el1_irq:
        mrs     x10, S3_0_C12_C12_0             // @el1-irq ICV_IAR1_EL1
        cmp     x10, #27
        b.ne    1f
        mov     x11, #3                         // timer: ENABLE | IMASK
        msr     cntv_ctl_el0, x11
1:      msr     S3_0_C12_C12_1, x10             // @el1-eoi ICV_EOIR1_EL1
        eret                                    // @el1-eret

        .balign 0x800
el2_vectors:
        .space  0x480
el2_lower_irq:
        mrs     x10, S3_0_C12_C12_0             // @el2-irq ICC_IAR1_EL1
        msr     S3_0_C12_C12_1, x10             // ICC_EOIR1_EL1: priority drop only
        cmp     x10, #25
        b.ne    1f
        msr     S3_4_C12_C12_1, xzr             // maintenance: clear LR1
        msr     S3_0_C12_C11_1, x10             // ICC_DIR_EL1 25
        eret
1:      ldr     x11, =0x70a0000000000000        // pending, HW, Group 1, priority 0xa0
        orr     x11, x11, x10                   // vINTID
        orr     x11, x11, x10, lsl #32          // pINTID
        msr     S3_4_C12_C12_0, x11             // @inject27 ICH_LR0_EL2
        eret                                    // @el2-eret27
