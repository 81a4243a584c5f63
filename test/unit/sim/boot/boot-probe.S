// A minimal arm64 "kernel" for the boot-protocol tests: the 64-byte Image header of Linux
// Documentation/arch/arm64/booting.rst, then code that prints over the PL011 what the boot
// loader handed over (X0..X3, its own load address, CurrentEL, DAIF, SCTLR.M, the FDT magic
// at X0, /chosen's bootargs and initrd range, /memory@40000000's reg) and powers off with PSCI SYSTEM_OFF (SMC at
// EL2, HVC at EL1). Built into a flat binary by linux-boot.test.ts with the built-in
// assembler and run with --kernel under the simulator and under QEMU.
        .equ    UART, 0x09000000
        .equ    FDT_BEGIN_NODE, 1
        .equ    FDT_END_NODE, 2
        .equ    FDT_PROP, 3
        .equ    FDT_END, 9

        .text
        .globl  _start
_start:
        b       start                   // code0
        .word   0                       // code1
        .quad   0                       // text_offset
        .quad   image_end - _start      // image_size
        .quad   0xa                     // flags: little-endian, 4 KiB pages, anywhere in RAM
        .quad   0                       // res2
        .quad   0                       // res3
        .quad   0                       // res4
        .byte   0x41, 0x52, 0x4d, 0x64  // magic "ARM\x64"
        .word   0                       // res5

start:
        mov     x19, x0                 // DTB
        mov     x20, x1
        mov     x21, x2
        mov     x22, x3
        ldr     x23, =UART

        adr     x0, s_x0
        bl      puts
        mov     x0, x19
        bl      puthex
        adr     x0, s_x123
        bl      puts
        orr     x0, x20, x21
        orr     x0, x0, x22
        bl      puthex
        adr     x0, s_pc
        bl      puts
        adr     x0, _start
        bl      puthex
        adr     x0, s_el
        bl      puts
        mrs     x24, CurrentEL
        lsr     x0, x24, #2
        bl      puthex
        adr     x0, s_daif
        bl      puts
        mrs     x0, DAIF
        bl      puthex
        adr     x0, s_mmu
        bl      puts
        cmp     x24, #8
        b.ne    1f
        mrs     x0, SCTLR_EL2
        b       2f
1:      mrs     x0, SCTLR_EL1
2:      and     x0, x0, #1
        bl      puthex

        adr     x0, s_magic
        bl      puts
        ldr     w0, [x19]
        rev     w0, w0
        bl      puthex

        adr     x0, s_bootargs
        bl      puts
        adr     x0, n_bootargs
        adr     x1, n_chosen
        bl      find_prop
        cbz     x0, 3f
        bl      puts
3:      adr     x0, s_initrd
        bl      puts
        adr     x0, n_initrd_start
        adr     x1, n_chosen
        bl      find_prop
        bl      cellval
        bl      puthex
        adr     x0, s_dotdot
        bl      puts
        adr     x0, n_initrd_end
        adr     x1, n_chosen
        bl      find_prop
        bl      cellval
        bl      puthex
        adr     x0, s_memory
        bl      puts
        adr     x0, n_reg
        adr     x1, n_memory
        bl      find_prop
        mov     x25, x0
        cbz     x25, 6f
        ldr     x0, [x25]               // reg = <base size> with 2 + 2 cells
        rev     x0, x0
        bl      puthex
        adr     x0, s_plus
        bl      puts
        ldr     x0, [x25, #8]
        rev     x0, x0
        bl      puthex
6:      adr     x0, s_nl
        bl      puts

        // PSCI SYSTEM_OFF on the conduit of the entry EL.
        ldr     x0, =0x84000008
        cmp     x24, #8
        b.ne    4f
        smc     #0
4:      hvc     #0
5:      wfi
        b       5b

// puts: x0 = NUL-terminated string. Clobbers x0, x1.
puts:
        ldrb    w1, [x0], #1
        cbz     w1, 1f
        strb    w1, [x23]
        b       puts
1:      ret

// puthex: x0 as 0x + 16 hex digits. Clobbers x0-x3.
puthex:
        mov     w1, #'0'
        strb    w1, [x23]
        mov     w1, #'x'
        strb    w1, [x23]
        mov     x2, #60
1:      lsr     x1, x0, x2
        and     x1, x1, #0xf
        cmp     x1, #10
        b.lt    2f
        add     x1, x1, #('a' - 10 - '0')
2:      add     x1, x1, #'0'
        strb    w1, [x23]
        subs    x2, x2, #4
        b.ge    1b
        ret

// be32: w0 = big-endian u32 at [x0]. Clobbers nothing else.
.macro  be32 rd, rs
        ldr     \rd, [\rs]
        rev     \rd, \rd
.endm

// cellval: x0 = value, x1 = length of a property → its u32/u64 big-endian value (0 if x0 = 0).
cellval:
        cbz     x0, 2f
        cmp     x1, #8
        b.eq    1f
        be32    w0, x0
        ret
1:      ldr     x0, [x0]
        rev     x0, x0
        ret
2:      mov     x0, #0
        ret

// find_prop: x0 = property name, x1 = name of a child of the root → x0 = value (0 if
// absent), x1 = length. Walks the structure block (Devicetree Specification 5.4).
// Clobbers x0-x16.
find_prop:
        mov     x9, x0                  // wanted property
        mov     x16, x1                 // wanted node
        add     x0, x19, #8
        be32    w10, x0                 // off_dt_struct
        add     x0, x19, #12
        be32    w11, x0                 // off_dt_strings
        add     x10, x19, x10           // p
        add     x11, x19, x11           // strings
        mov     x12, #0                 // depth
        mov     x13, #0                 // inside the wanted node
tok:    be32    w14, x10
        add     x10, x10, #4
        cmp     w14, #FDT_BEGIN_NODE
        b.eq    begin
        cmp     w14, #FDT_END_NODE
        b.eq    endn
        cmp     w14, #FDT_PROP
        b.eq    prop
        cmp     w14, #FDT_END
        b.ne    tok                     // FDT_NOP
        mov     x0, #0
        ret
begin:  cmp     x12, #1
        b.ne    skipname
        mov     x0, x16
        mov     x1, x10
cmpname:
        ldrb    w2, [x0], #1
        ldrb    w3, [x1], #1
        cmp     w2, w3
        b.ne    skipname
        cbnz    w2, cmpname
        mov     x13, #1
skipname:
        ldrb    w2, [x10], #1
        cbnz    w2, skipname
        add     x10, x10, #3
        and     x10, x10, #~3
        add     x12, x12, #1
        b       tok
endn:   sub     x12, x12, #1
        cmp     x12, #1
        b.ne    tok
        mov     x13, #0
        b       tok
prop:   be32    w14, x10                // len
        add     x0, x10, #4
        be32    w15, x0                 // nameoff
        add     x10, x10, #8
        cbz     x13, nextprop
        cmp     x12, #2
        b.ne    nextprop
        add     x1, x11, x15
        mov     x0, x9
1:      ldrb    w2, [x0], #1
        ldrb    w3, [x1], #1
        cmp     w2, w3
        b.ne    nextprop
        cbnz    w2, 1b
        mov     x0, x10
        mov     x1, x14
        ret
nextprop:
        add     x10, x10, x14
        add     x10, x10, #3
        and     x10, x10, #~3
        b       tok

s_x0:           .asciz  "x0="
s_x123:         .asciz  "\nx1|x2|x3="
s_pc:           .asciz  "\nentry="
s_el:           .asciz  "\nCurrentEL="
s_daif:         .asciz  "\nDAIF="
s_mmu:          .asciz  "\nSCTLR.M="
s_magic:        .asciz  "\nmagic="
s_bootargs:     .asciz  "\nbootargs="
s_initrd:       .asciz  "\ninitrd="
s_dotdot:       .asciz  ".."
s_memory:       .asciz  "\nmemory="
s_plus:         .asciz  "+"
s_nl:           .asciz  "\n"
n_chosen:       .asciz  "chosen"
n_memory:       .asciz  "memory@40000000"
n_reg:          .asciz  "reg"
n_bootargs:     .asciz  "bootargs"
n_initrd_start: .asciz  "linux,initrd-start"
n_initrd_end:   .asciz  "linux,initrd-end"
        .balign 8
        .ltorg
image_end:
