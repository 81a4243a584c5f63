// Debug adapter test program for armvirt/pageTables. EL2 builds Stage-2 tables (VMID 1, 40-bit
// IPA, start level 1: two concatenated level-1 tables) and the guest's Stage-1 tables, which
// live at IPA 0x4100_0000 = PA 0x4040_0000 (so Stage-1 table addresses are IPAs that Stage 2
// moves), then runs the guest at EL1 with both stages on.
//   Stage 2: L1[0] → L2_LOW (UART block, Device); L1[1] → L2_RAM: IPA 0x4000_0000 + 2 MiB·i
//            identity for i < 8 (S2AP rw), [8] IPA 0x4100_0000 → PA 0x4040_0000 (rw),
//            [9] IPA 0x4120_0000 → PA 0x4060_0000 (S2AP ro, XN).
//   Stage 1 (TCR_EL1.T0SZ=25: 39-bit VA, start level 1): L1[0] 1 GiB Device block at 0,
//            L1[1] → L2; L2[i] identity for i < 9 (AttrIndx 0, Normal WB), [16] VA 0x4200_0000 →
//            IPA 0x4120_0000 read-only with UXN+PXN, [17] → L3: [0] page VA 0x4220_0000 → IPA
//            0x4000_1000 nG.
        .text
        .global _start
        .equ S2_L1,     0x40200000
        .equ S2_L2_LOW, 0x40202000
        .equ S2_L2_RAM, 0x40203000
        .equ S1_L1_PA,  0x40400000
        .equ S1_L2_PA,  0x40401000
        .equ S1_L3_PA,  0x40402000
        .equ S1_L1_IPA, 0x41000000
        .equ S1_L2_IPA, 0x41001000
        .equ S1_L3_IPA, 0x41002000
_start:
        // ---- Stage 2
        ldr     x0, =S2_L1
        ldr     x1, =(S2_L2_LOW | 3)
        str     x1, [x0]
        ldr     x1, =(S2_L2_RAM | 3)
        str     x1, [x0, #8]
        ldr     x0, =S2_L2_LOW
        ldr     x1, =(0x09000000 | 0x4c5)       // UART: AF, S2AP rw, Device-nGnRE
        str     x1, [x0, #(72 * 8)]
        ldr     x0, =S2_L2_RAM
        ldr     x1, =(0x40000000 | 0x7fd)       // AF, SH inner, S2AP rw, Normal WB, block
        mov     x2, #8
1:      str     x1, [x0], #8
        add     x1, x1, #0x200, lsl #12
        subs    x2, x2, #1
        b.ne    1b
        ldr     x1, =(0x40400000 | 0x7fd)
        str     x1, [x0], #8                    // [8] IPA 0x4100_0000 → PA 0x4040_0000
        ldr     x1, =(0x0040000040600000 | 0x77d)
        str     x1, [x0], #8                    // [9] IPA 0x4120_0000 → PA 0x4060_0000, S2AP ro, XN
        // ---- Stage 1 (written through the PAs of its tables)
        ldr     x0, =S1_L1_PA
        ldr     x1, =(0x00000000 | 0x405)       // 1 GiB Device block (AttrIndx 1)
        str     x1, [x0]
        ldr     x1, =(S1_L2_IPA | 3)
        str     x1, [x0, #8]
        ldr     x0, =S1_L2_PA
        ldr     x1, =(0x40000000 | 0x701)       // AF, SH inner, AttrIndx 0, block
        mov     x2, #9
1:      str     x1, [x0], #8
        add     x1, x1, #0x200, lsl #12
        subs    x2, x2, #1
        b.ne    1b
        ldr     x0, =S1_L2_PA
        ldr     x1, =(0x0060000041200000 | 0x781)  // VA 0x4200_0000: AP EL1 RO, UXN, PXN
        str     x1, [x0, #(16 * 8)]
        ldr     x1, =(S1_L3_IPA | 3)
        str     x1, [x0, #(17 * 8)]
        ldr     x0, =S1_L3_PA
        ldr     x1, =(0x40001000 | 0xf03)       // page, nG
        str     x1, [x0]
        // ---- controls
        ldr     x0, =0x80023558                 // VTCR_EL2: T0SZ=24 SL0=1 WB inner TG0=4K PS=40 bits
        msr     vtcr_el2, x0
        ldr     x0, =(S2_L1 | (1 << 48))
        msr     vttbr_el2, x0
        ldr     x0, =0x0000000200803519         // TCR_EL1: T0SZ=25 EPD1 TG0=4K IPS=40 bits
        msr     tcr_el1, x0
        mov     x0, #0x04ff
        msr     mair_el1, x0
        ldr     x0, =S1_L1_IPA
        msr     ttbr0_el1, x0
        ldr     x0, =((1 << 31) | 1)            // HCR_EL2.RW | VM
        msr     hcr_el2, x0
        ldr     x0, =0x30d01805                 // SCTLR_EL1: RES1 | I | C | M
        msr     sctlr_el1, x0
        dsb     sy
        tlbi    vmalls12e1
        dsb     sy
        isb
        ldr     x0, =0x40800000
        msr     sp_el1, x0
        mov     x0, #0x3c5                      // EL1h, DAIF masked
        msr     spsr_el2, x0
        adr     x0, el1_entry
        msr     elr_el2, x0
        eret
el1_entry:
        ldr     x0, =0x42000000
        ldr     x1, [x0]                        // through both stages
        nop                                     // @guest-ready
        adr     x1, exitblk
        mov     x0, #0x18
        hlt     #0xf000

        .balign 8
exitblk: .quad 0x20026, 0
