// Stage 1 + Stage 2: EL2 builds Stage-2 tables (VMID 1) and the guest's Stage-1 tables, then
// runs the guest at EL1. The guest touches mapped, read-only (stage 1 and stage 2) and unmapped
// pages, an emulated MMIO region (unmapped at stage 2) and a page whose stage-1 table is not
// mapped at stage 2 (S1PTW). The EL2 hook prints HPFAR_EL2 and emulates the access with
// ISS.SRT/WnR: loads get 0xabcd0000 | FAR[11:0], stores print the register value.
// Then a stale TLB entry is observed before TLBI VAE1 and gone after, and AT results are
// printed from PAR_EL1 (S1E1R/W at EL1, S12E1R/W at EL2).
        .include "harness.inc"
        .equ S2_L1,      0x45000000     // 2 concatenated level-1 tables (40-bit IPA, SL0=1)
        .equ S2_L2_LOW,  0x45002000
        .equ S2_L2_RAM,  0x45003000
        .equ S2_L3,      0x45004000     // IPA 0x4440_0000..: page 1 read-only, page 2 unmapped
        .equ S1_L0,      0x45100000
        .equ S1_L1,      0x45101000
        .equ S1_L2_LOW,  0x45102000
        .equ S1_L2_RAM,  0x45103000
        .equ S1_L3,      0x45104000     // VA 0x4400_0000..: page 1 RO, page 2 unmapped, page 3 → 0x4400_5000
        .equ S2_BLOCK,   0x7fd          // AF, SH inner, S2AP RW, Normal WB, block
        .equ S2_PAGE,    0x7ff
        .equ S1_BLOCK,   0x701          // AF, SH inner, AttrIndx 0, block
        .equ S1_PAGE,    0x703
main:
        ZERO    0x45000000, 0x106000
        MOV64   x0, 0x44000000
        mov     x1, #0x1111
        str     x1, [x0]
        mov     x1, #0x2222
        str     x1, [x0, #0x1000]
        mov     x1, #0xaaaa
        str     x1, [x0, #0x5000]
        mov     x1, #0xbbbb
        str     x1, [x0, #0x6000]
        // ---- Stage 2
        MOV64   x0, S2_L1
        MOV64   x1, (S2_L2_LOW | 3)
        str     x1, [x0]
        MOV64   x1, (S2_L2_RAM | 3)
        str     x1, [x0, #8]
        MOV64   x0, S2_L2_LOW
        MOV64   x1, (0x09000000 | 0x4c5)        // UART: AF, S2AP RW, Device-nGnRE
        str     x1, [x0, #(72 * 8)]
        MOV64   x0, S2_L2_RAM
        MOV64   x1, (0x40000000 | S2_BLOCK)
        mov     x2, #64
1:      str     x1, [x0], #8
        add     x1, x1, #0x200, lsl #12
        subs    x2, x2, #1
        b.ne    1b
        MOV64   x0, S2_L2_RAM
        MOV64   x1, (S2_L3 | 3)
        str     x1, [x0, #(34 * 8)]             // IPA 0x4440_0000 → 4 KiB pages
        MOV64   x0, S2_L3
        MOV64   x1, (0x44400000 | S2_PAGE)
        mov     x2, #512
1:      str     x1, [x0], #8
        add     x1, x1, #0x1000
        subs    x2, x2, #1
        b.ne    1b
        MOV64   x0, S2_L3
        MOV64   x1, (0x44401000 | 0x77f)        // S2AP = read-only
        str     x1, [x0, #8]
        str     xzr, [x0, #16]                  // IPA 0x4440_2000 unmapped
        // ---- Stage 1 (identity except the S1_L3 region)
        MOV64   x0, S1_L0
        MOV64   x1, (S1_L1 | 3)
        str     x1, [x0]
        MOV64   x0, S1_L1
        MOV64   x1, (S1_L2_LOW | 3)
        str     x1, [x0]
        MOV64   x1, (S1_L2_RAM | 3)
        str     x1, [x0, #8]
        MOV64   x0, S1_L2_LOW
        MOV64   x1, (0x09000000 | 0x405)        // UART, Device (AttrIndx 1)
        str     x1, [x0, #(72 * 8)]
        MOV64   x1, (0x0a000000 | 0x405)        // emulated MMIO at IPA 0x0a00_0000
        str     x1, [x0, #(80 * 8)]
        MOV64   x0, S1_L2_RAM
        MOV64   x1, (0x40000000 | S1_BLOCK)
        mov     x2, #64
1:      str     x1, [x0], #8
        add     x1, x1, #0x200, lsl #12
        subs    x2, x2, #1
        b.ne    1b
        MOV64   x0, S1_L2_RAM
        MOV64   x1, (S1_L3 | 3)
        str     x1, [x0, #(32 * 8)]             // VA 0x4400_0000 → pages
        MOV64   x1, (0x44402000 | 3)            // VA 0x4460_0000: table at an IPA stage 2 does not map
        str     x1, [x0, #(35 * 8)]
        MOV64   x0, S1_L3
        MOV64   x1, (0x44000000 | S1_PAGE)
        mov     x2, #512
1:      str     x1, [x0], #8
        add     x1, x1, #0x1000
        subs    x2, x2, #1
        b.ne    1b
        MOV64   x0, S1_L3
        MOV64   x1, (0x44001000 | 0x783)        // AP = read-only at EL1
        str     x1, [x0, #8]
        str     xzr, [x0, #16]                  // VA 0x4400_2000 unmapped
        MOV64   x1, (0x44005000 | S1_PAGE)
        str     x1, [x0, #24]
        // ---- controls
        MOV64   x0, 0x80023558                  // VTCR_EL2: T0SZ=24 SL0=1 WB inner TG0=4K PS=40 bits
        msr     vtcr_el2, x0
        MOV64   x0, (S2_L1 | (1 << 48))
        msr     vttbr_el2, x0
        MOV64   x0, 0x0000000200803510          // TCR_EL1: T0SZ=16 EPD1 TG0=4K IPS=40 bits
        msr     tcr_el1, x0
        mov     x0, #0x04ff
        msr     mair_el1, x0
        MOV64   x0, S1_L0
        msr     ttbr0_el1, x0
        MOV64   x0, (HCR_RW | 1)
        msr     hcr_el2, x0
        MOV64   x0, (SCTLR_EL1_RES1 | 0x1005)
        msr     sctlr_el1, x0
        dsb     sy
        tlbi    vmalls12e1
        dsb     sy
        isb
        SET_HOOK 2, emu_hook
        TO_EL1
        // ---- guest
        MOV64   x9, 0x44000000
        ldr     x20, [x9]
        PR      x20
        ldr     x21, [x9, #0x1000]
        PR      x21
        str     x21, [x9, #0x1000]              // stage-1 permission fault → EL1
        ldr     x20, [x9, #0x2000]              // stage-1 translation fault → EL1
        MOV64   x10, 0x0a000000
        ldr     w20, [x10, #0x10]               // MMIO load: stage-2 fault → EL2 emulates
        PR      x20
        mov     x21, #0x5555
        str     x21, [x10, #0x28]               // MMIO store
        ldrh    w21, [x10, #0x2]
        PR      x21
        MOV64   x11, 0x44400000
        str     x21, [x11, #0x1000]             // stage-2 permission fault
        ldr     x20, [x11, #0x2000]             // stage-2 translation fault (RAM): emulated
        PR      x20
        MOV64   x12, 0x44600000
        ldr     x20, [x12]                      // S1PTW: ISV=0
        // TLB: stale entry before TLBI, gone after
        ldr     x22, [x9, #0x3000]
        PR      x22
        MOV64   x0, S1_L3
        MOV64   x1, (0x44006000 | S1_PAGE)
        str     x1, [x0, #24]
        dsb     ishst
        ldr     x22, [x9, #0x3000]
        PR      x22
        MOV64   x0, (0x44003000 >> 12)
        tlbi    vae1, x0
        dsb     ish
        isb
        ldr     x22, [x9, #0x3000]
        PR      x22
        // AT from EL1
        at      s1e1r, x9
        isb
        PSYS    PAR_EL1
        add     x0, x9, #0x1000
        at      s1e1w, x0
        isb
        PSYS    PAR_EL1
        add     x0, x9, #0x2000
        at      s1e1r, x0
        isb
        PSYS    PAR_EL1
        at      s1e0r, x9
        isb
        PSYS    PAR_EL1
        MOV64   x0, 0x09000000
        at      s1e1w, x0
        isb
        PSYS    PAR_EL1
        UP_EL2
        CLR_HOOK 2
        MOV64   x9, 0x44000000
        at      s12e1r, x9
        isb
        PSYS    PAR_EL1
        MOV64   x0, 0x44401000
        at      s12e1w, x0
        isb
        PSYS    PAR_EL1
        MOV64   x0, 0x44402000
        at      s12e1r, x0
        isb
        PSYS    PAR_EL1
        MOV64   x0, 0x44600000
        at      s12e1r, x0
        isb
        PSYS    PAR_EL1
        at      s12e0r, x9
        isb
        PSYS    PAR_EL1
        MOV64   x0, 0x09000000
        at      s12e1r, x0
        isb
        PSYS    PAR_EL1
        EXIT    0

// EL2 hook: x0 = vector offset, x1 = ESR_EL2.
emu_hook:
        stp     x29, x30, [sp, #-16]!
        PSYS    HPFAR_EL2
        lsr     x2, x1, #26
        cmp     x2, #0x24
        b.ne    9f
        tbz     x1, #24, 9f                     // ISV
        ubfx    x3, x1, #16, #5                 // SRT
        tbnz    x1, #6, 5f                      // WnR
        mrs     x4, far_el2
        and     x4, x4, #0xfff
        movz    x5, #0xabcd, lsl #16
        orr     x4, x4, x5
        cmp     x3, #20
        b.ne    1f
        mov     x20, x4
        b       9f
1:      cmp     x3, #21
        b.ne    9f
        mov     x21, x4
        b       9f
5:      cmp     x3, #21
        b.ne    9f
        PV      mmio_write, x21
9:      ldp     x29, x30, [sp], #16
        ret
