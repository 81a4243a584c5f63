// MMU benchmark: the same loop as mmu-loop-flat.s, run by an EL1 guest with Stage 1 AND Stage 2
// on, 4 KiB pages at both stages. Each pass reads, updates and writes one word in each of the
// 16,384 pages of a 64 MiB region (so every access is in a different page than the previous
// one: this measures the software TLB, not a one-entry cache), PASSES times; then prints a
// checksum that does not depend on time.
//
// Layout (built at EL2 with the MMU off, tables in the harness's PT_BASE area):
//   Stage 2 (VMID 1): 40-bit IPA, start level 1 (two concatenated tables), identity 4 KiB pages
//     for RAM 0x4000_0000..0x4800_0000, a 2 MiB Device block for the UART.
//   Stage 1 (TTBR0_EL1, 48-bit VA): VA 0x1_0000_0000 + n*4K → IPA 0x4100_0000 + n*4K (4 KiB pages),
//     identity 2 MiB blocks for RAM (code, stacks, harness variables), Device block for the UART.
        .include "harness.inc"
        .ifndef PASSES    // npm run bench sets it to vary the loop length
        .equ    PASSES, 200
        .endif
        .equ NPAGES,     16384
        .equ S2_L1,      0x45000000     // 2 concatenated level-1 tables (8 KiB)
        .equ S2_L2_LOW,  0x45002000     // IPA 0..1 GiB (UART)
        .equ S2_L2_RAM,  0x45003000     // IPA 1..2 GiB
        .equ S2_L3,      0x45010000     // 64 tables: IPA 0x4000_0000..0x4800_0000
        .equ S1_L0,      0x45100000
        .equ S1_L1,      0x45101000
        .equ S1_L2_LOW,  0x45102000     // VA 0..1 GiB
        .equ S1_L2_RAM,  0x45103000     // VA 1..2 GiB
        .equ S1_L2_DATA, 0x45104000     // VA 4..5 GiB
        .equ S1_L3_DATA, 0x45110000     // 32 tables
        .equ DATA_PA,    0x41000000
        .equ DATA_VA,    0x100000000
main:
        ZERO    0x45000000, 0x130000
        // ---- Stage 2
        MOV64   x0, S2_L1
        MOV64   x1, (S2_L2_LOW | 3)
        str     x1, [x0]
        MOV64   x1, (S2_L2_RAM | 3)
        str     x1, [x0, #8]
        MOV64   x0, S2_L2_LOW
        MOV64   x1, (0x09000000 | 0x400 | 0xc0 | 0x4 | 1)   // AF, S2AP RW, Device-nGnRE, block
        str     x1, [x0, #(0x48 * 8)]
        MOV64   x0, S2_L2_RAM                                // 64 table descriptors
        MOV64   x1, (S2_L3 | 3)
        mov     x2, #64
1:      str     x1, [x0], #8
        add     x1, x1, #0x1000
        subs    x2, x2, #1
        b.ne    1b
        MOV64   x0, S2_L3                                    // 32768 page descriptors
        MOV64   x1, (0x40000000 | 0x7ff)                     // AF, SH inner, S2AP RW, Normal WB, page
        mov     x2, #32768
1:      str     x1, [x0], #8
        add     x1, x1, #0x1000
        subs    x2, x2, #1
        b.ne    1b
        // ---- Stage 1 (EL1&0)
        MOV64   x0, S1_L0
        MOV64   x1, (S1_L1 | 3)
        str     x1, [x0]
        MOV64   x0, S1_L1
        MOV64   x1, (S1_L2_LOW | 3)
        str     x1, [x0]
        MOV64   x1, (S1_L2_RAM | 3)
        str     x1, [x0, #8]
        MOV64   x1, (S1_L2_DATA | 3)
        str     x1, [x0, #32]
        MOV64   x0, S1_L2_LOW
        MOV64   x1, (0x09000000 | 0x400 | 0x4 | 1)           // AF, AttrIndx 1 (Device), block
        str     x1, [x0, #(0x48 * 8)]
        MOV64   x0, S1_L2_RAM                                // identity 2 MiB blocks
        MOV64   x1, (0x40000000 | 0x701)
        mov     x2, #64
1:      str     x1, [x0], #8
        add     x1, x1, #0x200, lsl #12
        subs    x2, x2, #1
        b.ne    1b
        MOV64   x0, S1_L2_DATA
        MOV64   x1, (S1_L3_DATA | 3)
        mov     x2, #32
1:      str     x1, [x0], #8
        add     x1, x1, #0x1000
        subs    x2, x2, #1
        b.ne    1b
        MOV64   x0, S1_L3_DATA
        MOV64   x1, (DATA_PA | 0x703)                        // AF, SH inner, AttrIndx 0, page
        mov     x2, #NPAGES
1:      str     x1, [x0], #8
        add     x1, x1, #0x1000
        subs    x2, x2, #1
        b.ne    1b
        // ---- controls
        MOV64   x0, 0x80023558          // VTCR_EL2: T0SZ=24 SL0=1 IRGN/ORGN WB, SH inner, TG0 4K, PS 40 bits
        msr     vtcr_el2, x0
        MOV64   x0, (S2_L1 | (1 << 48))
        msr     vttbr_el2, x0
        MOV64   x0, 0x0000000200803510  // TCR_EL1: T0SZ=16, WB, inner, TG0 4K, EPD1, IPS 40 bits
        msr     tcr_el1, x0
        mov     x0, #0x04ff             // MAIR_EL1: Attr0 Normal WB, Attr1 Device-nGnRE
        msr     mair_el1, x0
        MOV64   x0, S1_L0
        msr     ttbr0_el1, x0
        MOV64   x0, (HCR_RW | 1)
        msr     hcr_el2, x0
        MOV64   x0, (SCTLR_EL1_RES1 | 0x1005)   // M, C, I
        msr     sctlr_el1, x0
        dsb     sy
        tlbi    vmalls12e1
        dsb     sy
        isb
        TO_EL1
        MOV64   x5, DATA_VA
        bl      work
        PV      checksum, x11
        EXIT    0

        .include "mmu-loop-work.inc"
