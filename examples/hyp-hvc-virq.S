// hyp-hvc-virq.S — a tiny hypervisor at EL2 that traps a guest's HVC and injects a virtual
// interrupt through the GICv3 virtual CPU interface (list register ICH_LR0_EL2).
//
//   EL2 boot:  stack, VBAR_EL2, HCR_EL2 = RW | IMO | FMO (physical IRQs/FIQs go to EL2 and the
//              guest's ICC_* accesses reach the virtual interface ICV_*), ICH_HCR_EL2.En = 1,
//              then ERET to the guest at EL1h.
//   EL1 guest: enables its (virtual) CPU interface, asks the hypervisor for an interrupt with
//              `hvc #1` — a trap to EL2, ESR_EL2.EC = 0x16 —, unmasks IRQs and takes virtual
//              INTID 42 at its IRQ vector, acknowledges it (ICC_IAR1_EL1 → ICV_IAR1_EL1) and
//              ends it (ICC_EOIR1_EL1), then exits through semihosting.
//   EL2 HVC:   writes ICH_LR0_EL2 = pending, Group 1, priority 0x80, vINTID 42; ERET.
//
// Good places to stop: the `msr ICH_LR0_EL2, x0` line (then look at the list register in the
// Variables view), the guest's `mrs x0, ICC_IAR1_EL1`, or use the "Trap to EL2" breakpoint filter.

        .equ    UART_DR,     0x09000000
        .equ    EL2_STACK,   0x48000000
        .equ    EL1_STACK,   0x47F00000
        .equ    VINTID,      42
        // ICH_LR<n>_EL2: State[63:62] = 0b01 pending, Group[60] = 1, Priority[55:48], vINTID[31:0]
        .equ    LR_PENDING_G1, (1 << 62) | (1 << 60) | (0x80 << 48)

        .text
        .global _start
_start:
        ldr     x0, =EL2_STACK
        mov     sp, x0
        adr     x0, el2_vectors
        msr     VBAR_EL2, x0
        ldr     x0, =(1 << 31) | (1 << 4) | (1 << 3)   // HCR_EL2: RW, IMO, FMO
        msr     HCR_EL2, x0
        mov     x0, #0xf                    // ICC_SRE_EL2: SRE, DFB, DIB, Enable (EL1 may use SRE)
        msr     ICC_SRE_EL2, x0
        mov     x0, #1                      // ICH_HCR_EL2.En: virtual CPU interface on
        msr     ICH_HCR_EL2, x0
        isb

        adr     x0, hyp_hello
        bl      puts

        // Enter the guest: EL1h with D, A, F masked and I masked until the guest unmasks it.
        adr     x0, guest
        msr     ELR_EL2, x0
        mov     x0, #0x3c5                  // SPSR: DAIF masked, M = EL1h
        msr     SPSR_EL2, x0
        eret

// ---------------------------------------------------------------- the guest (EL1)
guest:
        ldr     x0, =EL1_STACK
        mov     sp, x0
        adr     x0, guest_vectors
        msr     VBAR_EL1, x0
        mov     x0, #0xff
        msr     ICC_PMR_EL1, x0             // really ICV_PMR_EL1: accept every priority
        mov     x0, #1
        msr     ICC_IGRPEN1_EL1, x0         // really ICV_IGRPEN1_EL1: Group 1 on
        isb
        adr     x0, guest_hello
        bl      puts

        mov     x20, #0                     // the IRQ handler sets x20 to the INTID it took
        hvc     #1                          // "please inject an interrupt" — traps to EL2
        msr     DAIFClr, #2                 // unmask IRQs: the virtual IRQ is taken here
        isb
wait:   cbz     x20, wait

        adr     x0, guest_done
        bl      puts
        adr     x1, exit_block              // semihosting SYS_EXIT, exit code = INTID taken
        str     x20, [x1, #8]
        mov     x0, #0x18
        hlt     #0xf000
1:      b       1b

guest_irq:
        mrs     x0, ICC_IAR1_EL1            // acknowledge: INTID 42, the LR becomes active
        mov     x20, x0
        msr     ICC_EOIR1_EL1, x0           // end of interrupt: the LR becomes invalid
        adr     x0, guest_got_irq
        bl      puts
        eret

// ---------------------------------------------------------------- the hypervisor's HVC handler
hyp_sync:
        mrs     x9, ESR_EL2
        lsr     x10, x9, #26                // EC
        cmp     x10, #0x16                  // HVC from AArch64
        b.ne    .
        adr     x0, hyp_trap
        bl      puts
        ldr     x0, =LR_PENDING_G1 | VINTID
        msr     ICH_LR0_EL2, x0             // inject virtual INTID 42
        isb
        eret                                // ELR_EL2 points after the HVC

// puts: writes the NUL-terminated string at x0 to the UART (clobbers x0-x2, x30 is kept by callers).
puts:
        ldr     x1, =UART_DR
2:      ldrb    w2, [x0], #1
        cbz     w2, 3f
        strb    w2, [x1]
        b       2b
3:      ret

// ---------------------------------------------------------------- vector tables
        .balign 0x800
el2_vectors:
        .rept   8                           // current EL (SP_EL0 and SP_ELx): not expected
        b       .
        .balign 0x80
        .endr
        b       hyp_sync                    // lower EL, AArch64, synchronous (HVC)
        .balign 0x80
        .rept   7
        b       .
        .balign 0x80
        .endr

        .balign 0x800
guest_vectors:
        .rept   5
        b       .
        .balign 0x80
        .endr
        b       guest_irq                   // current EL with SP_ELx, IRQ (0x280)
        .balign 0x80
        .rept   10
        b       .
        .balign 0x80
        .endr

        .balign 8
exit_block:
        .quad   0x20026                     // ADP_Stopped_ApplicationExit
        .quad   0
hyp_hello:
        .asciz  "EL2: hypervisor up, entering the guest\n"
guest_hello:
        .asciz  "EL1: guest running, asking for an interrupt\n"
hyp_trap:
        .asciz  "EL2: HVC trapped, injecting virtual INTID 42 through ICH_LR0_EL2\n"
guest_got_irq:
        .asciz  "EL1: took virtual IRQ 42 (ICV_IAR1_EL1), EOI done\n"
guest_done:
        .asciz  "EL1: done\n"
        .balign 4
        .ltorg
