// Exclusives: LDXR/STXR of B/H/W/X (success and status), STXR without a reservation, after
// CLREX, after an intervening ordinary store of a DIFFERENT value to the same address (QEMU
// compares values, so only a different value is a portable failure), a second STXR after a
// success, LDXP/STXP, LDAXR/STLXR, LDAXP/STLXP, and LDAR/STLR/LDARB/STLRH.
        .include "harness.inc"
        .equ M, DATA_BASE + 0x100
main:
        ZERO    DATA_BASE, 0x400
        MOV64   x20, M
        MOV64   x9, 0x1122334455667788
        str     x9, [x20]
        // plain success, each size
        ldxr    x0, [x20]
        add     x0, x0, #1
        stxr    w1, x0, [x20]
        PV      st_x, x1
        ldxr    w0, [x20]
        add     w0, w0, #1
        stxr    w1, w0, [x20]
        PV      st_w, x1
        ldxrh   w0, [x20]
        add     w0, w0, #1
        stxrh   w1, w0, [x20]
        PV      st_h, x1
        ldxrb   w0, [x20]
        add     w0, w0, #1
        stxrb   w1, w0, [x20]
        PV      st_b, x1
        ldr     x2, [x20]
        PR      x2
        // a second stxr without a new ldxr fails
        stxr    w1, x9, [x20]
        PV      st_again, x1
        // clrex clears the monitor
        ldxr    x0, [x20]
        clrex
        stxr    w1, x9, [x20]
        PV      st_clrex, x1
        // intervening store of a different value
        ldxr    x0, [x20]
        mov     x3, #0x5a
        str     x3, [x20]
        stxr    w1, x9, [x20]
        PV      st_after_store, x1
        ldr     x2, [x20]
        PR      x2
        // retry loop as software writes it
1:      ldxr    x0, [x20]
        add     x0, x0, #0x100
        stxr    w1, x0, [x20]
        cbnz    w1, 1b
        ldr     x2, [x20]
        PR      x2
        // pair exclusives
        add     x21, x20, #0x40
        stp     x9, x3, [x21]
        ldxp    x4, x5, [x21]
        PR      x4
        PR      x5
        stxp    w1, x5, x4, [x21]
        PV      stxp, x1
        ldxp    w4, w5, [x21]
        PR      x4
        PR      x5
        stxp    w1, w5, w4, [x21]
        PV      stxp_w, x1
        ldaxp   x4, x5, [x21]
        stlxp   w1, x4, x4, [x21]
        PV      stlxp, x1
        ldp     x4, x5, [x21]
        PR      x4
        PR      x5
        // acquire/release exclusives
        ldaxr   x6, [x20]
        PR      x6
        stlxr   w1, xzr, [x20]
        PV      stlxr, x1
        ldaxrb  w6, [x21]
        stlxrb  w1, w6, [x21, #0]
        PV      stlxrb, x1
        ldaxrh  w6, [x21]
        stlxrh  w1, w6, [x21]
        PV      stlxrh, x1
        // load-acquire / store-release
        add     x22, x20, #0x80
        stlr    x9, [x22]
        ldar    x7, [x22]
        PR      x7
        stlr    w3, [x22]
        ldar    w7, [x22]
        PR      x7
        stlrh   w9, [x22]
        ldarh   w7, [x22]
        PR      x7
        stlrb   w9, [x22, #0]
        ldarb   w7, [x22]
        PR      x7
        DUMP    M, 4
        DUMP    M + 0x40, 2
        DUMP    M + 0x80, 1
        ret
