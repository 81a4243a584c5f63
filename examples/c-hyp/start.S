// c-hyp: boot and EL2 exception vectors. The vectors save the interrupted guest's registers into
// the current vCPU (TPIDR_EL2 holds its address), call a C handler that returns the vCPU to run
// next (the same one, or the other after a timer switch), restore that vCPU and ERET to it.
// Exception vector layout: Arm ARM DDI 0487 D1.10.2 (Table D1-7): four groups of four 128-byte
// entries; "lower EL using AArch64" is the third group (offset 0x400).
#include "hyp.h"

        .section .text.boot, "ax"
        .global _start
_start:
        ldr     x0, =el2_stack + 0x2000            // top of hyp.c's el2_stack
        mov     sp, x0
        adr     x0, el2_vectors
        msr     VBAR_EL2, x0
        isb
        bl      hyp_main                        // never returns: it enters the first guest
1:      wfe
        b       1b

// save_guest: x0 and x1 are on the EL2 stack; stores x0..x30, SP_EL1, ELR_EL2, SPSR_EL2 into the
// current vCPU and leaves its address in x0.
.macro save_guest
        mrs     x0, TPIDR_EL2
        stp     x2, x3, [x0, #VCPU_REGS + 16]
        stp     x4, x5, [x0, #VCPU_REGS + 32]
        stp     x6, x7, [x0, #VCPU_REGS + 48]
        stp     x8, x9, [x0, #VCPU_REGS + 64]
        stp     x10, x11, [x0, #VCPU_REGS + 80]
        stp     x12, x13, [x0, #VCPU_REGS + 96]
        stp     x14, x15, [x0, #VCPU_REGS + 112]
        stp     x16, x17, [x0, #VCPU_REGS + 128]
        stp     x18, x19, [x0, #VCPU_REGS + 144]
        stp     x20, x21, [x0, #VCPU_REGS + 160]
        stp     x22, x23, [x0, #VCPU_REGS + 176]
        stp     x24, x25, [x0, #VCPU_REGS + 192]
        stp     x26, x27, [x0, #VCPU_REGS + 208]
        stp     x28, x29, [x0, #VCPU_REGS + 224]
        str     x30, [x0, #VCPU_REGS + 240]
        ldp     x2, x3, [sp], #16               // the guest's x0, x1
        stp     x2, x3, [x0, #VCPU_REGS]
        mrs     x2, SP_EL1
        str     x2, [x0, #VCPU_SP_EL1]
        mrs     x2, ELR_EL2
        str     x2, [x0, #VCPU_PC]
        mrs     x2, SPSR_EL2
        str     x2, [x0, #VCPU_PSTATE]
.endm

// A lower-EL entry: save the guest, call the C handler (vcpu in x0), resume what it returns.
.macro guest_entry handler
        .balign 0x80
        stp     x0, x1, [sp, #-16]!
        save_guest
        bl      \handler
        b       vcpu_resume
.endm

.macro unexpected
        .balign 0x80
        b       hyp_unexpected
.endm

        .text
        .balign 0x800
        .global el2_vectors
el2_vectors:
        unexpected                              // current EL with SP_EL0: sync, IRQ, FIQ, SError
        unexpected
        unexpected
        unexpected
        unexpected                              // current EL with SP_EL2
        unexpected
        unexpected
        unexpected
        guest_entry handle_sync                 // lower EL, AArch64: synchronous (HVC, data abort)
        guest_entry handle_irq                  //                    IRQ (the EL2 timer)
        unexpected                              //                    FIQ
        unexpected                              //                    SError
        unexpected                              // lower EL, AArch32: not used
        unexpected
        unexpected
        unexpected

// vcpu_resume(struct vcpu *x0): makes x0 the current vCPU, restores its registers and ERETs to it.
        .global vcpu_resume
vcpu_resume:
        msr     TPIDR_EL2, x0
        ldr     x2, [x0, #VCPU_SP_EL1]
        msr     SP_EL1, x2
        ldr     x2, [x0, #VCPU_PC]
        msr     ELR_EL2, x2
        ldr     x2, [x0, #VCPU_PSTATE]
        msr     SPSR_EL2, x2
        ldp     x2, x3, [x0, #VCPU_REGS + 16]
        ldp     x4, x5, [x0, #VCPU_REGS + 32]
        ldp     x6, x7, [x0, #VCPU_REGS + 48]
        ldp     x8, x9, [x0, #VCPU_REGS + 64]
        ldp     x10, x11, [x0, #VCPU_REGS + 80]
        ldp     x12, x13, [x0, #VCPU_REGS + 96]
        ldp     x14, x15, [x0, #VCPU_REGS + 112]
        ldp     x16, x17, [x0, #VCPU_REGS + 128]
        ldp     x18, x19, [x0, #VCPU_REGS + 144]
        ldp     x20, x21, [x0, #VCPU_REGS + 160]
        ldp     x22, x23, [x0, #VCPU_REGS + 176]
        ldp     x24, x25, [x0, #VCPU_REGS + 192]
        ldp     x26, x27, [x0, #VCPU_REGS + 208]
        ldp     x28, x29, [x0, #VCPU_REGS + 224]
        ldr     x30, [x0, #VCPU_REGS + 240]
        ldp     x0, x1, [x0, #VCPU_REGS]
        eret

hyp_unexpected:
        mrs     x0, ESR_EL2
        mrs     x1, ELR_EL2
        bl      hyp_panic
2:      wfe
        b       2b
