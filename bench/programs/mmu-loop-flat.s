// The loop of mmu-loop.s with the MMU off (EL2, flat physical addresses), for the
// "TLB slowdown" ratio: same instructions, same number of pages touched.
        .include "harness.inc"
        .ifndef PASSES    // npm run bench sets it to vary the loop length
        .equ    PASSES, 200
        .endif
        .equ NPAGES,     16384
        .equ DATA_PA,    0x41000000
main:
        MOV64   x5, DATA_PA
        bl      work
        PV      checksum, x11
        EXIT    0

        .include "mmu-loop-work.inc"
