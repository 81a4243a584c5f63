// Debug adapter test program for exception filters. Starts at EL2, installs vectors, sets up
// an (empty) Stage-2 table with VMID 1, drops to EL1, makes hypercalls, enables Stage 2 so the
// next fetch faults (the EL2 handler turns Stage 2 off again), executes an UNDEFINED
// instruction (handled at EL1) and exits through semihosting with code 7.
        .text
        .global _start
_start:
        adr     x0, el2_vectors
        msr     vbar_el2, x0
        adr     x0, el1_vectors
        msr     vbar_el1, x0
        mov     x0, #(1 << 31)                // HCR_EL2.RW
        msr     hcr_el2, x0
        ldr     x0, =0x80000060               // VTCR_EL2: T0SZ=32, SL0=1 (level 1), 4K, PS=0
        msr     vtcr_el2, x0
        adr     x0, s2_table
        orr     x0, x0, #(1 << 48)            // VMID 1
        msr     vttbr_el2, x0                 // @vmswitch
        ldr     x0, =0x40800000
        msr     sp_el1, x0
        mov     x0, #0x3c5                    // EL1h, DAIF masked
        msr     spsr_el2, x0
        adr     x0, el1_entry
        msr     elr_el2, x0
        eret                                  // @eret-first
el1_entry:
        mov     x0, #0
        hvc     #0                            // @hvc0
        hvc     #1                            // @hvc1
        hvc     #3                            // @hvc3 (handler enables Stage 2)
        mov     x1, #1                        // @s2fault (fetch faults at Stage 2)
        .inst   0x00000000                    // @udf  udf #0
        mov     x0, #0x18                     // @after-udf
        adr     x1, exitblk
        hlt     #0xf000

        .balign 8
exitblk: .quad 0x20026, 7

        .balign 0x800
el2_vectors:
        .space  0x400
el2_lower_sync:
        mrs     x10, esr_el2                  // @el2-handler
        lsr     x11, x10, #26
        cmp     x11, #0x16
        b.ne    1f
        and     x12, x10, #0xffff
        cmp     x12, #3
        b.ne    2f
        mrs     x13, hcr_el2
        orr     x13, x13, #1                  // HCR_EL2.VM
        msr     hcr_el2, x13
2:      eret                                  // @el2-eret
1:      mrs     x13, hcr_el2                  // Stage-2 abort: turn Stage 2 off and retry
        and     x13, x13, #0xfffffffffffffffe
        msr     hcr_el2, x13
        eret

        .balign 0x800
el1_vectors:
        .space  0x200
el1_cur_sync:
        mrs     x14, elr_el1                  // @el1-handler
        add     x14, x14, #4
        msr     elr_el1, x14
        eret

        .balign 4096
s2_table:
        .space  4096
