// Integer loop benchmark: 25,000,000 iterations of 4 instructions (about 10^8 instructions in
// all), then prints a checksum that does not depend on time and exits through semihosting.
// Built by test/diff/build.ts like the differential corpus (same harness and link script).
        .include "harness.inc"
        .ifndef ITERATIONS    // npm run bench sets it to vary the loop length
        .equ    ITERATIONS, 25000000
        .endif
main:
        ldr     x1, =ITERATIONS
        mov     x2, #0
        mov     x3, #1
loop:   add     x2, x2, x3
        eor     x3, x3, x2, lsl #1
        subs    x1, x1, #1
        b.ne    loop
        PV      checksum, x2
        EXIT    0
