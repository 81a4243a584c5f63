// Spins forever (pause test).
        .text
        .global _start
_start:
        mov     x0, #0
spin:
        add     x0, x0, #1
        b       spin
