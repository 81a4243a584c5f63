// An interrupt-driven UART echo guest at EL1: type into the "ArmVirt: guest console" terminal (or
// stdin of `armvirt run`). With a GICv3 it takes the PL011's SPI 33, drains the receive FIFO, writes
// each byte + 1 back (a newline as it is, a CR — Enter in a terminal — as a newline), counts bytes in x20 and interrupts in x21; 'q' exits
// with code 7. The PL011 unit tests and the CLI/DAP console-input tests use it too.
        .armvirt entry_el, 1
        .equ UART, 0x09000000
        .equ GICD, 0x08000000
        .equ GICR_RD, 0x080A0000
_start: ldr     x0, =vectors
        msr     vbar_el1, x0
        ldr     x1, =GICD
        mov     w0, #0x12
        str     w0, [x1]                 // GICD_CTLR: EnableGrp1NS, ARE_NS
        ldr     x2, =GICR_RD
        str     wzr, [x2, #0x14]         // GICR_WAKER
        mov     w0, #2
        str     w0, [x1, #0x84]          // INTID 33 in Group 1
        mov     w0, #0xa0
        strb    w0, [x1, #0x421]
        str     xzr, [x1, #0x6108]       // GICD_IROUTER33 = PE 0
        mov     w0, #2
        str     w0, [x1, #0x104]         // enable INTID 33
        mov     x0, #0xff
        msr     S3_0_C4_C6_0, x0         // ICC_PMR_EL1
        mov     x0, #1
        msr     S3_0_C12_C12_7, x0       // ICC_IGRPEN1_EL1
        ldr     x9, =UART
        mov     w0, #0x10
        str     w0, [x9, #0x2c]          // UARTLCR_H.FEN: 32-entry FIFOs
        str     w0, [x9, #0x38]          // UARTIMSC.RXIM
        msr     daifclr, #2
1:      wfi
        b       1b

irq:    mrs     x1, S3_0_C12_C12_0       // ICC_IAR1_EL1
2:      ldr     w0, [x9, #0x18]          // drain the FIFO
        tbnz    w0, #4, 3f               // RXFE
        ldr     w0, [x9]
        cmp     w0, #'q'
        b.eq    quit
        cmp     w0, #10
        b.eq    4f
        cmp     w0, #13
        b.eq    5f
        add     w0, w0, #1
        b       4f
5:      mov     w0, #10
4:      str     w0, [x9]
        add     x20, x20, #1             // bytes handled
        b       2b
3:      add     x21, x21, #1             // interrupts taken
        msr     S3_0_C12_C12_1, x1       // ICC_EOIR1_EL1
        eret
quit:   mov     x0, #0x18
        ldr     x1, =exitblk
        hlt     #0xf000
exitblk: .quad 0x20026, 7

        .balign 0x800
vectors:
        .space  0x280
        b       irq
