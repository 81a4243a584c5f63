// Unprivileged loads/stores LDTR/LDTRB/LDTRH/LDTRSB/LDTRSH/LDTRSW/STTR/STTRB/STTRH (9-bit signed
// offsets) at EL1 and EL0, MMU off (so they act as ordinary accesses; see 049 for permissions).
        .include "harness.inc"
        .equ BASE, DATA_BASE + 0x1000
        .macro ALL
        ldtrb   w0, [x20]
        PR      x0
        ldtrb   w0, [x20, #-1]
        PR      x0
        ldtrsb  w0, [x20, #255]
        PR      x0
        ldtrsb  x0, [x20, #-256]
        PR      x0
        ldtrh   w0, [x20, #-2]
        PR      x0
        ldtrsh  w0, [x20, #2]
        PR      x0
        ldtrsh  x0, [x20, #-6]
        PR      x0
        ldtr    w0, [x20, #4]
        PR      x0
        ldtrsw  x0, [x20, #-4]
        PR      x0
        ldtr    x0, [x20, #248]
        PR      x0
        ldtr    x0, [x20, #-256]
        PR      x0
        sttrb   w9, [x21, #1]
        sttrh   w9, [x21, #-2]
        sttr    w9, [x21, #4]
        sttr    x9, [x21, #8]
        sttr    x9, [x21, #-256]
        .endm
main:
        FILL    DATA_BASE, 0x2000
        MOV64   x20, BASE
        MOV64   x9, 0x0123456789abcdef
        TO_EL1
        PUTS    "EL1\n"
        MOV64   x21, DATA_BASE + 0x3000
        ZERO    DATA_BASE + 0x2f00, 0x200
        ALL
        DUMP    DATA_BASE + 0x2f00, 2
        DUMP    DATA_BASE + 0x2ff8, 3
        TO_EL0
        PUTS    "EL0\n"
        MOV64   x21, DATA_BASE + 0x3100
        mvn     x9, x9
        ALL
        UP_EL1
        DUMP    DATA_BASE + 0x3000, 2
        DUMP    DATA_BASE + 0x30f8, 3
        UP_EL2
        EXIT    0
