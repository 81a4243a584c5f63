// Writes "hi\n" to the PL011 and exits with code 0 (semihosting).
        .text
        .global _start
_start:
        mov     x1, #0x09000000
        mov     w0, #'h'
        strb    w0, [x1]
        mov     w0, #'i'
        strb    w0, [x1]
        mov     w0, #10
        strb    w0, [x1]
        mov     x0, #0x18
        adr     x1, exitblk
        hlt     #0xf000
        .balign 8
exitblk: .quad 0x20026, 0
