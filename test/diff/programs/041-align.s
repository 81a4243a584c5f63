// Alignment faults (DFSC 0x21, FAR = the address): SCTLR_EL1.A=1 checks every load/store at EL1
// (EC 0x25) and EL0 (EC 0x24, to EL1); SCTLR_EL2.A=1 at EL2 (ESR_EL2 also carries the instruction
// syndrome, ISV=1, as QEMU reports it); exclusives and load-acquire/store-release fault when
// misaligned even with A=0. Aligned accesses and bytes never fault. MMU is off throughout and
// no misaligned access is ever allowed to complete.
        .include "harness.inc"
main:
        MOV64   x20, DATA_BASE
        FILL    DATA_BASE, 0x100
        ldr     x1, =SCTLR_EL1_RES1 | (1 << 1)
        msr     sctlr_el1, x1
        isb
        TO_EL1
        PUTS    "EL1 A=1\n"
        ldr     x0, [x20, #8]
        PR      x0
        ldrb    w0, [x20, #3]
        PR      x0
        ldr     x0, [x20, #1]
        ldr     w0, [x20, #2]
        ldrh    w0, [x20, #1]
        ldrsh   x0, [x20, #3]
        ldr     x0, [x20, #4]
        ldur    w0, [x20, #-2]
        ldp     w0, w1, [x20, #4]
        add     x23, x20, #4
        ldp     x0, x1, [x23]
        str     x0, [x20, #1]
        strh    w0, [x20, #7]
        stp     x0, x1, [x23, #8]
        ldr     d0, [x20, #4]
        ldr     s0, [x20, #2]
        str     h0, [x20, #1]
        TO_EL0
        PUTS    "EL0 A=1\n"
        ldr     x0, [x20, #2]
        str     w0, [x20, #6]
        ldrh    w0, [x20, #2]
        PR      x0
        UP_EL1
        ldr     x1, =SCTLR_EL1_RES1
        msr     sctlr_el1, x1
        isb
        PUTS    "EL1 A=0: exclusives and acquire/release\n"
        add     x21, x20, #4
        ldxr    x0, [x21]
        ldaxr   w0, [x20, #0]
        PR      x0
        add     x22, x20, #2
        ldxr    w0, [x22]
        ldar    x0, [x21]
        stlr    w0, [x22]
        ldxp    x0, x1, [x21]
        clrex
        UP_EL2
        ldr     x1, =SCTLR_EL2_RES1 | (1 << 1)
        msr     sctlr_el2, x1
        isb
        PUTS    "EL2 A=1\n"
        ldr     x0, [x20, #4]
        ldrsw   x0, [x20, #2]
        str     w0, [x20, #1]
        ldrh    w0, [x20, #2]
        PR      x0
        ldr     x1, =SCTLR_EL2_RES1
        msr     sctlr_el2, x1
        isb
        EXIT    0
