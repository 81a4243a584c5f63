// Hypercall round-trip benchmark: EL2 installs a vector table whose lower-EL synchronous entry is
// a bare ERET, drops to EL1, and EL1 performs 1,000,000 `hvc #0` round trips, then exits.
        .include "harness.inc"
        .ifndef ROUNDS    // npm run bench sets it to vary the loop length
        .equ    ROUNDS, 1000000
        .endif
main:
        adr     x0, bench_vectors
        msr     vbar_el2, x0
        isb
        TO_EL1
        ldr     x1, =ROUNDS
        mov     x2, #0
1:      hvc     #0
        add     x2, x2, #1
        subs    x1, x1, #1
        b.ne    1b
        PV      hvc_calls, x2
        EXIT    0

        .balign 0x800
bench_vectors:
        .rept   8
        .balign 0x80
        b       .
        .endr
        .balign 0x80                    // 0x400: lower EL, AArch64, synchronous: HVC returns
        eret
        .rept   7
        .balign 0x80
        b       .
        .endr
