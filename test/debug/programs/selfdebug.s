// Debug adapter test program for the guest's self-hosted debug: EL1 arms hardware breakpoint 0
// on `target` (MDSCR_EL1.MDE and KDE, PSTATE.D clear). The EL1 vector counts the breakpoint
// exception, disables the breakpoint and returns to `target`; the program exits with x1 (2).
        .text
        .global _start
_start:
        adr     x0, el1_vectors
        msr     vbar_el1, x0
        mov     x0, #(1 << 31)                // HCR_EL2.RW
        msr     hcr_el2, x0
        ldr     x0, =0x40800000
        msr     sp_el1, x0
        msr     oslar_el1, xzr                // clear the OS lock
        mov     x0, #0x1c5                    // EL1h, D clear, A/I/F masked
        msr     spsr_el2, x0
        adr     x0, el1_entry
        msr     elr_el2, x0
        eret
el1_entry:
        adr     x0, target
        msr     dbgbvr0_el1, x0
        mov     x0, #0x1e7                    // E, PMC = EL1 and EL0, BAS = 0b1111
        msr     dbgbcr0_el1, x0
        mov     x0, #0xa000                   // MDE | KDE
        msr     mdscr_el1, x0
        isb
        mov     x1, #0
target: add     x1, x1, #1                    // @target
        add     x1, x1, #1
        mov     x0, #0x18
        adr     x2, exitblk
        str     x1, [x2, #8]
        mov     x1, x2
        hlt     #0xf000

        .balign 8
exitblk: .quad 0x20026, 0

        .balign 0x800
el1_vectors:
        .space  0x200
        msr     dbgbcr0_el1, xzr              // @el1-handler
        add     x3, x3, #1
        eret
