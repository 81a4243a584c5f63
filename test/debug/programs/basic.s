// Debug adapter test program: calls, a loop, a data store and a semihosting exit (code 3).
        .text
        .global _start
_start:
        mov     x0, #1
        bl      func
        mov     x1, #2
        adr     x2, var
        str     x0, [x2]
        mov     x3, #0
loop:
        add     x3, x3, #1
        cmp     x3, #5
        b.ne    loop
        mov     x0, #0x18
        adr     x1, exitblk
        hlt     #0xf000
func:
        add     x0, x0, #5
        ret
        .balign 8
exitblk: .quad 0x20026, 3
var:    .quad 0
