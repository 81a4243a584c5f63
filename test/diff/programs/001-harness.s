// Harness self-test: strings, hex, flags, a register dump and exit code 0.
        .include "harness.inc"
main:
        PUTS    "hello from EL2\n"
        MOV64   x5, 0x0123456789abcdef
        PR      x5
        PV      minus_one, xzr
        mov     x0, #-1
        PR      x0
        PHEX    x5
        PNL
        PNZCV
        cmp     x5, x5
        PNZCV
        PR      x5
        PCHAR   'Z'
        PNL
        PSYS    CurrentEL
        mov     x0, #0
        ret
