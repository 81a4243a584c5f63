// Debug adapter test program for travel to trace records (armvirt/travel): starts at EL2, drops
// to EL1 and makes five hypercalls `hvc #i`, each after a busy loop of about 4,500 instructions
// (so that with snapshotInterval 1000 there are snapshots between the traps). The EL2 handler
// adds the immediate to x20 and returns. Exits with code 0 through semihosting.
        .text
        .global _start
_start:
        adr     x0, el2_vectors
        msr     vbar_el2, x0
        mov     x0, #(1 << 31)                // HCR_EL2.RW
        msr     hcr_el2, x0
        ldr     x0, =0x40800000
        msr     sp_el1, x0
        mov     x0, #0x3c5                    // EL1h, DAIF masked
        msr     spsr_el2, x0
        adr     x0, el1_entry
        msr     elr_el2, x0
        mov     x20, #0
        eret
el1_entry:
        mov     x3, #0                        // @start
outer:
        mov     x6, #0
spin:
        add     x6, x6, #1
        cmp     x6, #1500
        b.ne    spin
        add     x3, x3, #1
        hvc     #1                            // @hvc
        cmp     x3, #5
        b.ne    outer
        mov     x0, #0x18                     // @done
        adr     x1, exitblk
        hlt     #0xf000

        .balign 8
exitblk: .quad 0x20026, 0

        .balign 0x800
el2_vectors:
        .space  0x400
el2_lower_sync:
        mrs     x10, esr_el2                  // @el2-handler
        and     x11, x10, #0xffff
        add     x20, x20, x11
        eret                                  // @el2-eret
