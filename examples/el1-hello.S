// el1-hello.S — a bare-metal program at EL1 on the ArmVirt `virt` board.
//
// `.armvirt entry_el, 1` below asks the simulator to start the boot PE here at EL1h with the MMU
// off (an ARMVIRT ELF note; `--entry-el` or the launch attribute "entryEL" would override it).
// The program installs an EL1 vector table, prints over the PL011 UART (its output appears in
// the Debug Console), sums 1..10 in a loop (put a breakpoint on `add`), makes a system call to
// itself with SVC (stop on it with the "Exception entry" breakpoint filter), and ends with a
// semihosting SYS_EXIT whose exit code is the sum (55).

        .equ    UART_DR, 0x09000000         // PL011 data register
        .equ    STACK_TOP, 0x47F00000

        .armvirt entry_el, 1                // start at EL1 (default: EL2, as QEMU virt,virtualization=on)

        .text
        .global _start
_start:
        ldr     x0, =STACK_TOP
        mov     sp, x0
        adr     x0, el1_vectors
        msr     VBAR_EL1, x0
        isb

        adr     x0, hello
        bl      puts

        // Sum 1..10 into x19.
        mov     x19, #0
        mov     x20, #1
loop:
        add     x19, x19, x20
        add     x20, x20, #1
        cmp     x20, #10
        b.le    loop

        // A system call: the handler below prints the SVC number and returns.
        svc     #42
        adr     x0, after_svc
        bl      puts

        // Semihosting SYS_EXIT (ADP_Stopped_ApplicationExit) with the sum as exit code.
        adr     x1, exit_block
        str     x19, [x1, #8]
        mov     x0, #0x18
        hlt     #0xf000
1:      b       1b

// puts: writes the NUL-terminated string at x0 to the UART.
puts:
        ldr     x1, =UART_DR
2:      ldrb    w2, [x0], #1
        cbz     w2, 3f
        strb    w2, [x1]
        b       2b
3:      ret

// ---------------------------------------------------------------- EL1 exception vectors
        .balign 0x800
el1_vectors:
        .rept   4                           // current EL with SP_EL0: not used
        b       .
        .balign 0x80
        .endr
        b       el1_sync                    // current EL with SP_ELx, synchronous
        .balign 0x80
        .rept   11
        b       .
        .balign 0x80
        .endr

el1_sync:
        mrs     x9, ESR_EL1
        lsr     x10, x9, #26                // EC
        cmp     x10, #0x15                  // SVC from AArch64
        b.ne    .
        adr     x0, in_svc
        bl      puts
        eret                                // ELR_EL1 already points after the SVC

        .balign 8
exit_block:
        .quad   0x20026                     // ADP_Stopped_ApplicationExit
        .quad   0
hello:
        .asciz  "Hello from EL1!\n"
in_svc:
        .asciz  "EL1: in the SVC handler\n"
after_svc:
        .asciz  "back from the SVC; exiting with the sum of 1..10\n"
        .balign 4
        .ltorg
