// LDUR/STUR family (signed 9-bit unscaled offsets, aligned addresses only): LDURB/LDURH/LDUR
// W/X, LDURSB/LDURSH/LDURSW, STURB/STURH/STUR, PRFUM.
        .include "harness.inc"
        .equ BASE, DATA_BASE + 0x1000
main:
        FILL    DATA_BASE, 0x2000
        MOV64   x20, BASE
        ldurb   w0, [x20, #-1]
        PR      x0
        ldurb   w0, [x20, #255]
        PR      x0
        ldursb  w0, [x20, #-256]
        PR      x0
        ldursb  x0, [x20, #-3]
        PR      x0
        ldurh   w0, [x20, #-2]
        PR      x0
        ldurh   w0, [x20, #254]
        PR      x0
        ldursh  w0, [x20, #-8]
        PR      x0
        ldursh  x0, [x20, #10]
        PR      x0
        ldur    w0, [x20, #-4]
        PR      x0
        ldur    w0, [x20, #-256]
        PR      x0
        ldursw  x0, [x20, #-12]
        PR      x0
        ldursw  x0, [x20, #252]
        PR      x0
        ldur    x0, [x20, #-8]
        PR      x0
        ldur    x0, [x20, #248]
        PR      x0
        ldur    x0, [x20, #-256]
        PR      x0
        prfum   pldl1keep, [x20, #-1]
        MOV64   x21, DATA_BASE + 0x3000
        ZERO    DATA_BASE + 0x2f00, 0x200
        MOV64   x9, 0xa1b2c3d4e5f60718
        sturb   w9, [x21, #-1]
        sturh   w9, [x21, #-4]
        stur    w9, [x21, #-8]
        stur    x9, [x21, #-16]
        stur    x9, [x21, #248]
        stur    w9, [x21, #-256]
        sturb   wzr, [x21, #-15]
        DUMP    DATA_BASE + 0x2f00, 4
        DUMP    DATA_BASE + 0x2fe0, 4
        DUMP    DATA_BASE + 0x30f0, 2
        ret
