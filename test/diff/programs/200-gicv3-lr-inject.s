// diff: gic=3
// GICv3 virtualization, bare-metal hypervisor at EL2 and guest at EL1 (HCR_EL2.IMO/FMO = 1):
//  1. a physical SGI 5 (Group 1, EOImode = 1) pended while the guest runs is taken to EL2; the
//     hypervisor acknowledges it (priority drop only) and injects it as virtual INTID 5 through
//     ICH_LR0_EL2 with HW = 1, pINTID = 5;
//  2. the guest unmasks IRQs, takes the virtual IRQ at EL1, reads ICC_IAR1_EL1 (really ICV_IAR1),
//     EOIs it: the LR becomes invalid and the physical SGI is deactivated (GICR_ISACTIVER0);
//  3. an LR with HW = 0 and EOI = 1 (vINTID 42): the guest's EOI raises the maintenance
//     interrupt (PPI 25) with ICH_MISR_EL2.EOI, ICH_EISR_EL2 bit 0; the hypervisor clears the LR;
//  4. an EOI of an INTID in no LR increments ICH_HCR_EL2.EOIcount (MISR.LRENP with LRENPIE).
        .include "harness.inc"
        .equ GICD, 0x08000000
        .equ GICR_SGI, 0x080B0000
        .equ GICR_RD, 0x080A0000
main:
        str     x30, [sp, #-16]!
        SET_HOOK 2, el2_hook
        SET_HOOK 1, el1_hook
        // Distributor and redistributor: Group 1 enabled, redistributor awake.
        MOV64   x1, GICD
        mov     w0, #2
        str     w0, [x1]
        MOV64   x1, GICR_RD
        str     wzr, [x1, #0x14]
        MOV64   x1, GICR_SGI
        MOV64   x0, 0x02000020          // SGI 5 and PPI 25 in Group 1
        str     w0, [x1, #0x80]
        str     w0, [x1, #0x100]        // enable them
        mov     w0, #0x80
        strb    w0, [x1, #0x405]        // SGI 5 priority 0x80
        strb    w0, [x1, #0x419]        // PPI 25 priority 0x80
        // Physical CPU interface: PMR 0xff, Group 1 on, EOImode = 1 (split drop / deactivate).
        mov     x0, #0xff
        msr     S3_0_C4_C6_0, x0        // ICC_PMR_EL1
        mov     x0, #2
        msr     S3_0_C12_C12_4, x0      // ICC_CTLR_EL1.EOImode
        mov     x0, #1
        msr     S3_0_C12_C12_7, x0      // ICC_IGRPEN1_EL1
        isb
        // Virtual interface: enabled, VENG1, VPMR 0xf8; IMO/FMO route IRQs to EL2.
        mov     x0, #1
        msr     S3_4_C12_C11_0, x0      // ICH_HCR_EL2.En
        MOV64   x0, 0xf8000002
        msr     S3_4_C12_C11_7, x0      // ICH_VMCR_EL2
        mrs     x0, hcr_el2
        orr     x0, x0, #0x18
        msr     hcr_el2, x0
        isb
        PSYS    S3_4_C12_C11_7          // ICH_VMCR_EL2
        // Pend SGI 5 on ourselves (affinity 0.0.0, target list bit 0).
        MOV64   x0, 0x05000001
        msr     S3_0_C12_C11_5, x0      // ICC_SGI1R_EL1
        isb
        TO_EL1
        PUTS    "guest: running\n"
        msr     daifclr, #2
        nop
        PUTS    "guest: back from vIRQ\n"
        msr     daifset, #2
        UP_EL2
        PUTS    "hyp: after HW EOI\n"
        PSYS    S3_4_C12_C12_0          // ICH_LR0_EL2
        PSYS    S3_4_C12_C11_5          // ICH_ELRSR_EL2
        PSYS    S3_4_C12_C11_2          // ICH_MISR_EL2
        PSYS    S3_4_C12_C9_0           // ICH_AP1R0_EL2
        MOV64   x1, GICR_SGI
        ldr     w0, [x1, #0x300]
        PV      gicr_isactiver0, x0
        PSYS    S3_0_C12_C11_3          // ICC_RPR_EL1
        // Part 3: HW = 0 with EOI maintenance, vINTID 42, priority 0x90.
        MOV64   x0, 0x5090020000000000 | (1 << 41) | 42
        msr     S3_4_C12_C12_1, x0      // ICH_LR1_EL2
        PSYS    S3_4_C12_C12_1
        PSYS    S3_4_C12_C11_5
        TO_EL1
        msr     daifclr, #2
        nop
        PUTS    "guest: back from vIRQ 42\n"
        // Part 4: an EOI with nothing active (ignored), then one that matches no LR.
        mov     x0, #77
        msr     S3_0_C12_C12_1, x0      // ICV_EOIR1_EL1: no active priority, ignored
        msr     daifset, #2
        UP_EL2
        PSYS    S3_4_C12_C11_0          // ICH_HCR_EL2
        PSYS    S3_4_C12_C12_1
        PSYS    S3_4_C12_C11_3          // ICH_EISR_EL2
        PSYS    S3_4_C12_C11_5
        // LR2 active (as after a guest IAR), then the guest EOIs a different INTID: EOIcount++.
        MOV64   x0, 0x9080000000000000 | 50
        msr     S3_4_C12_C12_2, x0
        mov     x0, #1
        msr     S3_4_C12_C9_0, x0       // ICH_AP1R0_EL2: priority 0x00 active
        mov     x0, #5                  // En | LRENPIE
        msr     S3_4_C12_C11_0, x0
        TO_EL1
        mov     x0, #51
        msr     S3_0_C12_C12_1, x0      // ICV_EOIR1_EL1 51: not in any LR
        PUTS    "guest: eoi 51 done\n"
        UP_EL2
        PSYS    S3_4_C12_C11_0
        PSYS    S3_4_C12_C11_2
        PSYS    S3_4_C12_C9_0
        PSYS    S3_4_C12_C12_2
        msr     S3_4_C12_C11_0, xzr
        CLR_HOOK 1
        CLR_HOOK 2
        ldr     x30, [sp], #16
        ret

// EL2 hook: x0 = vector offset. IRQ from EL1: acknowledge; SGI 5 is injected with HW = 1;
// the maintenance interrupt (25) clears the EOI-maintenance LR.
el2_hook:
        cmp     x0, #0x480
        b.ne    9f
        str     x30, [sp, #-16]!
        mrs     x2, S3_0_C12_C12_0      // ICC_IAR1_EL1
        PV      hyp_iar, x2
        msr     S3_0_C12_C12_1, x2      // ICC_EOIR1_EL1: priority drop only (EOImode = 1)
        cmp     x2, #25
        b.eq    1f
        // inject: State = pending, HW, Group 1, priority 0x80, pINTID = vINTID = x2
        MOV64   x3, 0x7080000000000000
        orr     x3, x3, x2
        orr     x3, x3, x2, lsl #32
        msr     S3_4_C12_C12_0, x3      // ICH_LR0_EL2
        PSYS    S3_4_C12_C12_0
        PSYS    S3_4_C12_C11_5
        MOV64   x1, GICR_SGI
        ldr     w0, [x1, #0x300]
        PV      gicr_isactiver0, x0
        b       8f
1:      PSYS    S3_4_C12_C11_2          // ICH_MISR_EL2
        PSYS    S3_4_C12_C11_3          // ICH_EISR_EL2
        PSYS    S3_4_C12_C11_5
        msr     S3_4_C12_C12_1, xzr     // clear LR1
        mrs     x3, S3_4_C12_C11_0      // ICH_HCR_EL2: clear EOIcount and LRENPIE
        PV      hyp_hcr, x3
        and     x3, x3, #0x7ffffff
        bic     x3, x3, #4
        msr     S3_4_C12_C11_0, x3
        PSYS    S3_4_C12_C11_2
        msr     S3_0_C12_C11_1, x2      // ICC_DIR_EL1 25
8:      ldr     x30, [sp], #16
9:      ret

// EL1 hook: a virtual IRQ at EL1 (0x280): acknowledge and EOI through the ICV registers.
el1_hook:
        cmp     x0, #0x280
        b.ne    9f
        str     x30, [sp, #-16]!
        PSYS    S3_0_C12_C11_3          // ICV_RPR_EL1 before
        mrs     x2, S3_0_C12_C12_0      // ICV_IAR1_EL1
        PV      guest_iar, x2
        PSYS    S3_0_C12_C11_3          // ICV_RPR_EL1
        PSYS    S3_0_C12_C12_2          // ICV_HPPIR1_EL1
        msr     S3_0_C12_C12_1, x2      // ICV_EOIR1_EL1
        ldr     x30, [sp], #16
9:      ret
