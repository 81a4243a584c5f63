// c-hyp: the guest kernel both VMs run at EL1 (MMU off; Stage 2 maps its RAM). x0 = the guest's
// number at entry. It loops: prints a line on "its" UART (a page Stage 2 leaves unmapped, so each
// store is a data abort the hypervisor emulates), asks for a virtual interrupt with HVC_RAISE_VIRQ,
// takes it at its IRQ vector (ICC_IAR1_EL1 reads ICV_IAR1_EL1 with HCR_EL2.IMO = 1), and spins a
// while; the EL2 timer switches to the other guest in the middle.
#include "hyp.h"

        .text
        .global guest_entry
guest_entry:
        mov     x19, x0                         // guest number
        mov     x20, #0                         // virtual IRQs taken
        mov     x21, #0                         // rounds
        adr     x1, guest_vectors
        msr     VBAR_EL1, x1
        mov     x1, #0xff
        msr     ICC_PMR_EL1, x1                 // ICV_PMR_EL1: every priority
        mov     x1, #1
        msr     ICC_IGRPEN1_EL1, x1             // ICV_IGRPEN1_EL1: Group 1 on
        msr     DAIFClr, #2                     // take (virtual) IRQs
        isb
round:
        ldr     x1, =UART_IPA
        mov     w2, #'g'
        strb    w2, [x1]                        // Stage-2 fault → handle_dabt
        add     w2, w19, #'0'
        strb    w2, [x1]
        mov     w2, #' '
        strb    w2, [x1]
        add     w2, w21, #'0'                   // round number (mod 10)
        mov     w3, #10
        udiv    w4, w21, w3
        msub    w2, w4, w3, w21
        add     w2, w2, #'0'
        strb    w2, [x1]
        mov     w2, #'\n'
        strb    w2, [x1]
        mov     x0, #HVC_RAISE_VIRQ
        hvc     #0                              // → handle_hvc: inject_virq
        add     x21, x21, #1
        mov     x3, #2000                       // spin: the EL2 timer may switch guests here
1:      subs    x3, x3, #1
        b.ne    1b
        b       round

guest_irq:
        stp     x0, x1, [sp, #-16]!
        mrs     x0, ICC_IAR1_EL1                // acknowledge the virtual interrupt
        add     x20, x20, #1
        msr     ICC_EOIR1_EL1, x0               // and end it (the list register becomes invalid)
        ldp     x0, x1, [sp], #16
        eret

        .balign 0x800
guest_vectors:
        .rept   5
        b       .                               // current EL with SP_EL0, and sync with SP_EL1
        .balign 0x80
        .endr
        b       guest_irq                       // current EL with SP_EL1: IRQ
        .balign 0x80
        .rept   10
        b       .
        .balign 0x80
        .endr
