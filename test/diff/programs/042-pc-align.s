// PC alignment faults (EC 0x22, FAR = ELR = the misaligned target) from BR/BLR/RET at EL2, EL1
// and EL0; the branch itself completes (LR is written by BLR) and the fault is taken on the fetch.
// Not covered: SP alignment checking (SCTLR_ELx.SA/SA0) — QEMU 7.2 does not implement it.
        .include "harness.inc"
main:
        PUTS    "PC alignment\n"
        adr     x5, target
        add     x6, x5, #2
        SET_RESUME 2, 1f
        br      x6
1:      add     x6, x5, #1
        adr     x7, 2f
        SET_RESUME 2, 2f
        blr     x6
2:      sub     x8, x30, x7
        PV      lr_minus_label, x8
        TO_EL1
        add     x6, x5, #3
        SET_RESUME 1, 3f
        ret     x6
3:      TO_EL0
        add     x6, x5, #2
        SET_RESUME 1, 4f
        br      x6
4:      add     x6, x5, #4
        adr     x30, 5f
        br      x6
        PUTS    "not reached\n"
5:      PUTS    "aligned target ok\n"
        UP_EL1
        UP_EL2
        EXIT    0
        .balign 8
target: nop
        ret
