// B, BL, BR, BLR, RET (x30 and another register), CBZ/CBNZ (W and X), TBZ/TBNZ (bits 0..63),
// B.cond loops, backward and forward branches, a jump table, and the link register values.
        .include "harness.inc"
        .macro TB bit
        MOV64   x1, (1 << \bit)
        mov     x2, #0
        tbnz    x1, #\bit, 1f
        orr     x2, x2, #1
1:      tbz     x1, #\bit, 2f
        orr     x2, x2, #2
2:      tbz     xzr, #\bit, 3f
        orr     x2, x2, #4
3:      PV      tb\bit, x2
        .endm
main:
        str     x30, [sp, #-16]!
        mov     x19, #0
        b       fwd
back:   add     x19, x19, #1
        b       after
fwd:    add     x19, x19, #10
        b       back
after:  PR      x19
        bl      func
        PR      x0
        adr     x1, func
        blr     x1
        PR      x0
        adr     x2, func_ret_x5
        mov     x5, xzr
        adr     x5, 1f
        br      x2
1:      PUTS    "back from br\n"
        // link register value
        bl      2f
2:      adr     x3, 2b
        sub     x3, x30, x3
        PV      lr_delta, x3
        // cbz / cbnz
        mov     x4, #0
        MOV64   x6, 0x100000000
        mov     x7, #0
        cbz     x6, 3f
        orr     x7, x7, #1
3:      cbz     w6, 4f
        orr     x7, x7, #2
4:      cbnz    w6, 5f
        orr     x7, x7, #4
5:      cbnz    x6, 6f
        orr     x7, x7, #8
6:      cbnz    xzr, 7f
        orr     x7, x7, #16
7:      PV      cbmask, x7
        TB      0
        TB      1
        TB      15
        TB      31
        TB      32
        TB      47
        TB      62
        TB      63
        // countdown loop with b.cond
        mov     x8, #10
        mov     x9, #0
8:      add     x9, x9, x8
        subs    x8, x8, #1
        b.gt    8b
        PV      sum, x9
        // jump table
        mov     x10, #0
        mov     x12, #0
9:      adr     x11, table
        ldr     w13, [x11, x10, lsl #2]
        add     x11, x11, x13
        blr     x11
        add     x10, x10, #1
        cmp     x10, #4
        b.lo    9b
        PV      table_acc, x12
        ldr     x30, [sp], #16
        ret
func:   mov     x0, #0x42
        add     x0, x0, x19
        ret
func_ret_x5:
        PUTS    "in func_ret_x5\n"
        ret     x5
        .balign 4
table:  .word   case0 - table, case1 - table, case2 - table, case3 - table
case0:  add     x12, x12, #1
        ret
case1:  add     x12, x12, #0x10
        ret
case2:  add     x12, x12, #0x100
        ret
case3:  add     x12, x12, #0x1000
        ret
