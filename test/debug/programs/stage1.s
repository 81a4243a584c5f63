// Debug adapter test program for the stage1-fault filter. Starts at EL2, drops to EL1, where
// it builds a Stage-1 table (39-bit VA, 4 KiB granule, level-1 start) with one 1 GiB block
// mapping 0x4000_0000 identically, turns the MMU on, then loads from 0x1000 (not mapped: a
// level-1 translation fault) and stores to 0x8000_0000 (not mapped either). The EL1 handler
// skips the faulting instruction; the program exits with code 9.
        .text
        .global _start
_start:
        mov     x0, #(1 << 31)                // HCR_EL2.RW: EL1 is AArch64
        msr     hcr_el2, x0
        ldr     x0, =0x40800000
        msr     sp_el1, x0
        mov     x0, #0x3c5                    // EL1h, DAIF masked
        msr     spsr_el2, x0
        adr     x0, el1_entry
        msr     elr_el2, x0
        eret
el1_entry:
        adr     x0, el1_vectors
        msr     vbar_el1, x0
        ldr     x0, =0xff                     // MAIR_EL1 attr0 = Normal WB
        msr     mair_el1, x0
        ldr     x0, =0x80803519               // TCR_EL1: T0SZ=25, IRGN/ORGN WB, SH inner, TG0 4K, EPD1
        msr     tcr_el1, x0
        adr     x0, s1_table
        msr     ttbr0_el1, x0
        isb
        mrs     x0, sctlr_el1
        orr     x0, x0, #1                    // M
        msr     sctlr_el1, x0
        isb
        mov     x1, #0x1000
        ldr     x2, [x1]                      // @s1-load
        mov     x3, #0x80000000
        str     x2, [x3]                      // @s1-store
        ldr     x1, =exit_block
        mov     x0, #0x18
        hlt     #0xf000

        .balign 0x800
el1_vectors:
        .rept 4
        b       .
        .balign 0x80
        .endr
        // current EL with SP_ELx, synchronous
        mrs     x10, elr_el1                  // @el1-handler
        add     x10, x10, #4
        msr     elr_el1, x10
        eret
        .balign 0x80
        .rept 11
        b       .
        .balign 0x80
        .endr

        .balign 8
exit_block:
        .quad   0x20026, 9

        .balign 4096
s1_table:
        .quad   0                             // [0] 0x0000_0000..0x3FFF_FFFF: not mapped
        .quad   0x40000000 | 0x401            // [1] 1 GiB block, AF=1, AttrIndx 0
        .fill   510, 8, 0
