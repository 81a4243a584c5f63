// Debug adapter test program for reverse execution: nested loops with stores (about 8,000
// instructions per outer iteration), then a semihosting exit (code 0).
        .text
        .global _start
_start:
        mov     x3, #0                        // @start
        ldr     x4, =0x40100000
outer:
        mov     x6, #0
inner:
        add     x6, x6, #1
        str     x6, [x4, #8]
        cmp     x6, #2000
        b.ne    inner                         // @inner-end
        add     x3, x3, #1                    // @tick
        str     x3, [x4]
        cmp     x3, #10
        b.ne    outer
        mov     x0, #0x18                     // @done
        adr     x1, exitblk
        hlt     #0xf000

        .balign 8
exitblk: .quad 0x20026, 0
