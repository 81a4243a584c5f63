// The loop of mmu-loop.s with the MMU off (EL2, flat physical addresses), for the
// "TLB slowdown" ratio: same instructions, same number of pages touched.
        .include "harness.inc"
        .equ PASSES,     200
        .equ NPAGES,     16384
        .equ DATA_PA,    0x41000000
main:
        MOV64   x5, DATA_PA
        bl      work
        PV      checksum, x11
        EXIT    0

work:
        mov     x7, x5
        mov     x6, #NPAGES
        mov     x8, #0
1:      str     x8, [x7]
        add     x7, x7, #0x1000
        add     x8, x8, #1
        subs    x6, x6, #1
        b.ne    1b
        mov     x9, #PASSES
2:      mov     x7, x5
        mov     x6, #NPAGES
3:      ldr     x10, [x7]
        add     x10, x10, #3
        str     x10, [x7]
        add     x11, x11, x10
        add     x7, x7, #0x1000
        subs    x6, x6, #1
        b.ne    3b
        subs    x9, x9, #1
        b.ne    2b
        ret
