// EL1&0 stage-1 translation (4 KiB granule, T0SZ=25: level-1 1 GiB device block + level-2 2 MiB
// normal blocks) to give the unprivileged accesses meaning: LDTR/STTR at EL1 are checked with EL0
// permissions (AP), EL0 permission faults (EC 0x24) vs EL1 (EC 0x25), DFSC permission level 2
// (0x0E), translation fault level 1 (0x05), WnR, FAR; misaligned loads allowed on Normal memory
// with SCTLR_EL1.A=0; AT S1E1R/S1E0R/S1E1W results in PAR_EL1 (PA and fault status only).
        .include "harness.inc"
        .equ L1, PT_BASE
        .equ L2, PT_BASE + 0x1000
        .equ NORMAL_EL1, 0x0040000000000705    // AF, SH=11, AttrIndx 1, AP=00, UXN
        .equ NORMAL_RW_ALL, 0x0040000000000745 // AP=01 (EL0+EL1 RW), UXN
        .equ NORMAL_RO_ALL, 0x00000000000007c5 // AP=11 (read-only at EL0 and EL1), executable
        .equ NORMAL_RO_NX, 0x00400000000007c5  // AP=11, UXN
        .equ DEVICE_RW_ALL, 0x0060000000000441 // AF, AttrIndx 0, AP=01, UXN+PXN, level-1 block
        .equ BLK_RW_ALL, DATA_BASE             // 0x4400_0000: EL0 and EL1 read/write
        .equ BLK_EL1, DATA_BASE + 0x200000     // 0x4420_0000: EL1 only
        .equ BLK_RO, DATA_BASE + 0x400000      // 0x4440_0000: read-only for both
        .macro PAR_PRINT
        mrs     x0, par_el1
        tbnz    x0, #0, 1f
        and     x0, x0, #0xfffffffff000
        b       2f
1:      and     x0, x0, #0x7f
2:      PV      par, x0
        .endm
main:
        FILL    DATA_BASE, 0x40
        FILL    BLK_EL1, 0x40
        FILL    BLK_RO, 0x40
        // level 2: 512 x 2 MiB normal blocks for 0x4000_0000..0x7FFF_FFFF, EL1-only by default
        MOV64   x1, L2
        MOV64   x2, 0x40000000 | NORMAL_EL1
        mov     x3, #512
1:      str     x2, [x1], #8
        add     x2, x2, #0x200000
        subs    x3, x3, #1
        b.ne    1b
        MOV64   x1, L2
        MOV64   x2, 0x40000000 | NORMAL_RO_ALL
        str     x2, [x1, #0x00 * 8]
        MOV64   x2, BLK_RW_ALL | NORMAL_RW_ALL
        str     x2, [x1, #0x20 * 8]
        MOV64   x2, BLK_RO | NORMAL_RO_NX
        str     x2, [x1, #0x22 * 8]
        MOV64   x2, 0x47c00000 | NORMAL_RW_ALL   // EL0 stack (grows down from 0x47E0_0000)
        str     x2, [x1, #0x3e * 8]
        MOV64   x2, 0x47e00000 | NORMAL_RW_ALL   // EL1 stack
        str     x2, [x1, #0x3f * 8]
        // level 1: [0] device block (UART), [1] -> L2, others invalid
        ZERO    L1, 0x1000
        MOV64   x1, L1
        MOV64   x2, DEVICE_RW_ALL
        str     x2, [x1, #0]
        MOV64   x2, L2 | 3
        str     x2, [x1, #8]
        dsb     sy
        MOV64   x1, 0xff00
        msr     mair_el1, x1
        MOV64   x1, 0x80803519
        msr     tcr_el1, x1
        MOV64   x1, L1
        msr     ttbr0_el1, x1
        isb
        TO_EL1
        tlbi    vmalle1
        dsb     sy
        ldr     x1, =SCTLR_EL1_RES1 | 1
        msr     sctlr_el1, x1
        isb
        PUTS    "EL1 MMU on\n"
        MOV64   x20, BLK_RW_ALL
        MOV64   x21, BLK_EL1
        MOV64   x22, BLK_RO
        ldr     x0, [x20]
        PR      x0
        ldtr    x0, [x20, #8]
        PR      x0
        ldr     x0, [x21]
        PR      x0
        mov     x0, #0
        ldtr    x0, [x21, #8]
        PR      x0
        ldtrb   w0, [x21, #1]
        sttr    x0, [x21, #16]
        ldr     x0, [x22]
        PR      x0
        ldtrsw  x0, [x22, #4]
        PR      x0
        str     x0, [x22]
        sttrh   w0, [x22, #2]
        MOV64   x9, 0x1111222233334444
        sttr    x9, [x20, #16]
        ldr     x0, [x20, #16]
        PR      x0
        PUTS    "misaligned on Normal memory, A=0\n"
        ldr     x0, [x20, #1]
        PR      x0
        ldr     w0, [x20, #3]
        PR      x0
        add     x24, x20, #4
        ldp     x0, x1, [x24]
        PR      x0
        PR      x1
        PUTS    "translation fault\n"
        MOV64   x23, 0x80000010
        ldr     x0, [x23]
        str     x0, [x23]
        ldtr    x0, [x23]
        PUTS    "AT\n"
        at      s1e1r, x20
        isb
        PAR_PRINT
        at      s1e0r, x21
        isb
        PAR_PRINT
        at      s1e1w, x22
        isb
        PAR_PRINT
        at      s1e1r, x23
        isb
        PAR_PRINT
        TO_EL0
        PUTS    "EL0 MMU on\n"
        ldr     x0, [x20, #8]
        PR      x0
        ldr     x0, [x21]
        str     x0, [x21]
        ldr     x0, [x22, #8]
        PR      x0
        str     x0, [x22]
        ldr     x0, [x23]
        UP_EL1
        ldr     x1, =SCTLR_EL1_RES1
        msr     sctlr_el1, x1
        isb
        PUTS    "EL1 MMU off\n"
        ldr     x0, [x20, #16]
        PR      x0
        UP_EL2
        EXIT    0
