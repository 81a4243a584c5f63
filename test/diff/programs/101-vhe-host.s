// diff: cpu=max
// FEAT_VHE: a host at EL2 with HCR_EL2.E2H=1, TGE=1. *_EL12 accesses reach the EL1 registers,
// EL1 encodings reach the EL2 registers; the EL2&0 regime translates with TTBR0_EL2 (identity)
// and TTBR1_EL2 (upper range), and EL0 runs under TGE in the same regime (faults go to EL2).
        .include "harness.inc"
        .arch   armv8.1-a                       // *_EL12, TTBR1_EL2 names (FEAT_VHE)
        .equ L0_0, 0x45000000
        .equ L1_0, 0x45001000
        .equ L0_1, 0x45002000
        .equ L1_1, 0x45003000
        .equ L2_1, 0x45004000
        .equ L3_1, 0x45005000
main:
        ZERO    0x45000000, 0x6000
        MOV64   x0, 0x44000000
        mov     x1, #0x600d
        str     x1, [x0]
        mov     x1, #0xbad
        str     x1, [x0, #0x1000]
        MOV64   x0, (HCR_RW | (1 << 27) | (1 << 34))
        msr     hcr_el2, x0
        isb
        // *_EL12 versus EL1 encodings
        MOV64   x1, 0x12345000
        msr     ttbr0_el12, x1
        MOV64   x1, 0x777000
        msr     ttbr0_el1, x1                   // TTBR0_EL2
        mrs     x2, ttbr0_el12
        PR      x2
        mrs     x3, ttbr0_el1
        PR      x3
        mov     x1, #0x5a
        msr     contextidr_el12, x1
        mov     x1, #0x3c
        msr     contextidr_el1, x1              // CONTEXTIDR_EL2
        PSYS    CONTEXTIDR_EL12
        PSYS    CONTEXTIDR_EL2
        MOV64   x1, 0xff0044
        msr     mair_el12, x1
        PSYS    MAIR_EL12
        MOV64   x1, 0x1234
        msr     far_el12, x1
        PSYS    FAR_EL12
        mov     x1, #0x3c5
        msr     spsr_el12, x1
        PSYS    SPSR_EL12
        MOV64   x1, 0x40001000
        msr     elr_el12, x1
        PSYS    ELR_EL12
        MOV64   x1, 0x0000000100803510
        msr     tcr_el12, x1
        PSYS    TCR_EL12
        // ---- EL2&0 translation
        MOV64   x0, L0_0
        MOV64   x1, (L1_0 | 3)
        str     x1, [x0]
        MOV64   x0, L1_0
        MOV64   x1, (0x00000000 | 0x405)        // 0..1 GiB Device (UART)
        str     x1, [x0]
        MOV64   x1, (0x40000000 | 0x701)        // 1..2 GiB Normal, EL2 only
        str     x1, [x0, #8]
        MOV64   x0, L0_1
        MOV64   x1, (L1_1 | 3)
        str     x1, [x0]
        MOV64   x0, L1_1
        MOV64   x1, (L2_1 | 3)
        str     x1, [x0]
        MOV64   x0, L2_1
        MOV64   x1, (L3_1 | 3)
        str     x1, [x0]
        MOV64   x0, L3_1
        MOV64   x1, (0x44000000 | 0x743)        // EL0 and EL2 read/write
        str     x1, [x0, #8]
        MOV64   x1, (0x44001000 | 0x703)        // EL2 only
        str     x1, [x0, #16]
        mov     x0, #0x04ff
        msr     mair_el1, x0                    // MAIR_EL2
        MOV64   x0, 0x00000002b5103510          // T0SZ=T1SZ=16, TG0=4K, TG1=4K, WB inner, IPS=40 bits
        msr     tcr_el1, x0                     // TCR_EL2
        MOV64   x0, L0_0
        msr     ttbr0_el1, x0                   // TTBR0_EL2
        MOV64   x0, L0_1
        msr     ttbr1_el2, x0
        tlbi    alle2
        dsb     sy
        isb
        mrs     x0, sctlr_el1                   // SCTLR_EL2
        orr     x0, x0, #1
        msr     sctlr_el1, x0
        isb
        MOV64   x9, 0xffff000000001000
        ldr     x20, [x9]
        PR      x20
        ldr     x21, [x9, #0x1000]
        PR      x21
        ldr     x22, [x9, #0x2000]              // unmapped: translation fault at EL2
        at      s1e2r, x9
        isb
        PSYS    PAR_EL1
        add     x0, x9, #0x2000
        at      s1e2w, x0
        isb
        PSYS    PAR_EL1
        // EL0 in the EL2&0 regime
        mov     x20, #0
        mov     x21, #0
        EL2_TO_EL0
        ldr     x20, [x9]
        // EL2-only page: permission fault to EL2. A pair load (ISV=0): QEMU 7.2 reports ISV=0 for a
        // single-register load here, unlike for EL2's own stage-1 aborts above (ISV=1).
        add     x10, x9, #0x1000
        ldp     x21, x22, [x10]
        UP_EL1                                  // svc taken to EL2 (TGE): back at EL2h
        PR      x20
        PR      x21
        mrs     x0, sctlr_el1
        bic     x0, x0, #1
        msr     sctlr_el1, x0
        isb
        MOV64   x0, HCR_RW
        msr     hcr_el2, x0
        isb
        EXIT    0
