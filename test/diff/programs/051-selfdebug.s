// Self-hosted debug (DDI0487 D2): a hardware breakpoint at EL1 (EC 0x31) and at EL0 (EC 0x30),
// the enables (KDE, PSTATE.D), an address breakpoint linked to a context-ID breakpoint, watchpoints on a store and a load with BAS and MASK
// (EC 0x35/0x34, WnR, FAR printed by a hook), software step from EL0 (EC 0x32 with ISV/EX, a
// stepped LDXR and SVC, an exception return to the active-pending state; EL1 stepping itself,
// EC 0x33), MDCR_EL2.TDE routing a
// breakpoint to EL2, and MDCR_EL2.TDA/TDOSA/TDRA trapping debug register accesses (EC 0x18).
// The harness handler returns to ELR+4 after a breakpoint or watchpoint (skipping the
// instruction); the step hook rewinds ELR so that stepping goes on where the PE stopped.
        .include "harness.inc"
        .equ    BCR_EL1_EL0, 0x1e7      // E, PMC = 0b11, BAS = 0b1111
        .equ    BCR_EL0, 0x1e5          // E, PMC = 0b10
        .equ    MDE, (1 << 15)
        .equ    KDE, (1 << 13)
main:
        PSYS    oslsr_el1
        TO_EL1
        // ---- breakpoints at EL1: off with KDE = 0 or PSTATE.D = 1
        adr     x0, bp1
        msr     dbgbvr0_el1, x0
        mov     x0, #BCR_EL1_EL0
        msr     dbgbcr0_el1, x0
        mov     x0, #(MDE | KDE)
        msr     mdscr_el1, x0
        msr     daifclr, #8
        // (QEMU 7.2 takes breakpoints with the OS lock set, the architecture does not: not here)
        msr     oslar_el1, xzr
        PSYS    oslsr_el1
        isb
        msr     daifset, #8
        PUTS    "D masked\n"
        bl      bp1
        msr     daifclr, #8
        mov     x0, #MDE
        msr     mdscr_el1, x0
        isb
        PUTS    "no KDE\n"
        bl      bp1
        mov     x0, #(MDE | KDE)
        msr     mdscr_el1, x0
        isb
        PUTS    "enabled\n"
        bl      bp1
        msr     dbgbcr0_el1, xzr
        // ---- breakpoint 1 (address, linked: BT = 0b0001, LBN = 4) fires only while breakpoint 4
        // (linked CONTEXTIDR_EL1 match, BT = 0b0011) matches
        mov     x0, #0x42
        msr     dbgbvr4_el1, x0
        ldr     x0, =(BCR_EL1_EL0 | (3 << 20))
        msr     dbgbcr4_el1, x0
        adr     x0, bp1
        msr     dbgbvr1_el1, x0
        ldr     x0, =(BCR_EL1_EL0 | (4 << 16) | (1 << 20))
        msr     dbgbcr1_el1, x0
        mov     x0, #0x41
        msr     contextidr_el1, x0
        isb
        PUTS    "linked, other context\n"
        bl      bp1
        mov     x0, #0x42
        msr     contextidr_el1, x0
        isb
        PUTS    "linked, context 0x42\n"
        bl      bp1
        msr     dbgbcr1_el1, xzr
        msr     dbgbcr4_el1, xzr
        isb
        PR      x1
        // ---- a breakpoint at EL0 (taken to EL1 whatever KDE and D at EL1)
        mov     x0, #BCR_EL0
        msr     dbgbcr0_el1, x0
        adr     x0, bp2
        msr     dbgbvr0_el1, x0
        mov     x0, #MDE
        msr     mdscr_el1, x0
        isb
        TO_EL0
bp2:    add     x1, x1, #0x10
        add     x1, x1, #0x100
        UP_EL1
        msr     dbgbcr0_el1, xzr
        PR      x1
        // ---- watchpoints at EL1 (KDE, D clear) and EL0
        SET_HOOK 1, far_hook
        mov     x0, #(MDE | KDE)
        msr     mdscr_el1, x0
        msr     daifclr, #8
        MOV64   x2, DATA_BASE
        ZERO    DATA_BASE, 64
        msr     dbgwvr0_el1, x2
        MOV64   x0, 0x1ff7              // E, PAC = 0b11, LSC = store, BAS = 0xFF
        msr     dbgwcr0_el1, x0
        isb
        mov     x3, #0x55
        ldr     x4, [x2]                // a load: no match
        str     w3, [x2, #16]           // another doubleword: no match
        str     w3, [x2, #4]            // EC 0x35, WnR = 1, FAR = DATA+4
        MOV64   x0, 0x60f               // E, PAC = 0b11, LSC = load, BAS = 0b00110000
        msr     dbgwcr0_el1, x0
        isb
        ldr     w4, [x2]                // bytes 0-3: no match
        ldr     x4, [x2]                // bytes 0-7: FAR = DATA+4, the first watched byte
        MOV64   x0, 0x0c001ff7          // MASK = 12: the 4 KiB block, stores
        msr     dbgwcr0_el1, x0
        isb
        strb    w3, [x2, #0xabc]
        MOV64   x0, 0x1fef              // loads, all bytes
        msr     dbgwcr0_el1, x0
        msr     daifset, #8
        isb
        ldr     x4, [x2]                // D masked at EL1: no exception
        TO_EL0
        ldr     x4, [x2, #8]            // EL0: another doubleword, no match
        ldrh    w4, [x2, #6]            // EC 0x34 from EL0, FAR = DATA+6
        UP_EL1
        msr     dbgwcr0_el1, xzr
        CLR_HOOK 1
        DUMP    DATA_BASE, 4
        // ---- software step of EL0 code (KDE = 0: EL1 itself is not stepped)
        SET_HOOK 1, step_hook
        mov     x0, #1
        msr     mdscr_el1, x0
        adr     x0, el0_code
        msr     elr_el1, x0
        mov     x0, #(1 << 21)          // EL0t, SS = 1 (active-not-pending), DAIF clear
        msr     spsr_el1, x0
        eret
el0_code:
        mov     x5, #1
        ldxr    x6, [x2]                // the next step syndrome has EX = 1
        add     x5, x5, #2
        svc     #0x10                   // stepped: SPSR.SS = 0, so the return is active-pending (ISV = 0)
        add     x5, x5, #4
        UP_EL1
        msr     mdscr_el1, xzr
        CLR_HOOK 1
        PR      x5
        // SPSR.SS = 0 on return: the step exception comes before the first instruction (ISV = 0)
        SET_HOOK 1, step_off_hook
        mov     x0, #1
        msr     mdscr_el1, x0
        adr     x0, el0_code2
        msr     elr_el1, x0
        msr     spsr_el1, xzr
        eret
el0_code2:
        add     x5, x5, #8
        UP_EL1
        CLR_HOOK 1
        PR      x5
        UP_EL2
        // ---- MDCR_EL2.TDE routes EL1 breakpoints to EL2; TDA/TDOSA/TDRA trap EL1 accesses
        adr     x0, bp3
        msr     dbgbvr1_el1, x0
        mov     x0, #BCR_EL1_EL0
        msr     dbgbcr1_el1, x0
        mov     x0, #MDE
        msr     mdscr_el1, x0
        mrs     x0, mdcr_el2
        orr     x0, x0, #(1 << 8)
        msr     mdcr_el2, x0
        isb
        TO_EL1
bp3:    add     x1, x1, #0x1000
        mrs     x0, mdscr_el1           // TDE implies TDA
        msr     oslar_el1, xzr          // and TDOSA
        UP_EL2
        msr     dbgbcr1_el1, xzr
        mrs     x0, mdcr_el2
        bic     x0, x0, #(1 << 8)
        orr     x0, x0, #(1 << 9)       // TDA
        msr     mdcr_el2, x0
        isb
        TO_EL1
        mov     x7, #0x77
        msr     dbgbvr0_el1, x7
        mrs     x7, dbgwcr2_el1
        msr     oslar_el1, xzr          // not trapped by TDA
        mrs     x8, mdrar_el1           // not trapped by TDA
        UP_EL2
        mrs     x0, mdcr_el2
        bic     x0, x0, #(1 << 9)
        orr     x0, x0, #(3 << 10)      // TDOSA, TDRA
        msr     mdcr_el2, x0
        isb
        TO_EL1
        msr     oslar_el1, xzr
        mrs     x8, oslsr_el1
        mrs     x8, mdrar_el1
        mrs     x8, dbgbcr0_el1         // not trapped by TDOSA/TDRA
        UP_EL2
        PR      x1
        // ---- stepping EL1 itself (KDE, PSTATE.D clear): EC 0x33 after one instruction
        mrs     x0, mdcr_el2
        bic     x0, x0, #(3 << 10)
        msr     mdcr_el2, x0
        mov     x0, #(KDE | 1)
        msr     mdscr_el1, x0
        SET_HOOK 1, step_off_hook
        adr     x0, el1_step
        msr     elr_el2, x0
        ldr     x0, =(0x1c5 | (1 << 21))
        msr     spsr_el2, x0
        eret
el1_step:
        add     x1, x1, #0x10000
        add     x1, x1, #0x20000
        UP_EL2
        CLR_HOOK 1
        PR      x1
        EXIT    0

// The EL1 breakpoint's target: a taken breakpoint skips the add (the handler returns to ELR+4).
bp1:    add     x1, x1, #1
        ret

// Hooks (called by the harness handler with x0 = vector offset, x1 = ESR; may use x0-x18).
far_hook:
        lsr     x2, x1, #26
        cmp     x2, #0x34
        b.lo    1f
        cmp     x2, #0x35
        b.hi    1f
        mrs     x2, far_el1
        PV      far, x2
1:      ret

// After a step exception: return to the instruction the PE stopped before (the handler adds 4),
// with SPSR.SS = 1 so that it is stepped.
step_hook:
        lsr     x2, x1, #26
        cmp     x2, #0x32
        b.ne    1f
        mrs     x2, elr_el1
        sub     x2, x2, #4
        msr     elr_el1, x2
        mrs     x2, spsr_el1
        orr     x2, x2, #(1 << 21)
        msr     spsr_el1, x2
1:      ret

// After the first step exception (from EL0 or EL1): stop stepping and return to that instruction.
step_off_hook:
        lsr     x2, x1, #26
        and     x2, x2, #0x3e           // EC 0x32 or 0x33
        cmp     x2, #0x32
        b.ne    1f
        msr     mdscr_el1, xzr
        mrs     x2, elr_el1
        sub     x2, x2, #4
        msr     elr_el1, x2
1:      ret
