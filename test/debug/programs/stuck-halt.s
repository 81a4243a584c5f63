// Does a little work, then halts with every interrupt masked: `b .` that nothing can leave.
        .text
        .global _start
_start:
        mov     x0, #1
        add     x0, x0, #2
halt:   b       .                   // @halt
