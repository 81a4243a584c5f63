// WFI traps: HCR_EL2.TWI traps EL1 and EL0 WFI to EL2 (EC 0x01, ISS: CV=1 COND=0xE TI=0 as QEMU
// reports it); SCTLR_EL1.nTWI = 0 traps EL0 WFI first to EL1. WFE is only executed with the event
// register set (SEVL just before), where it neither waits nor traps even with HCR_EL2.TWE=1 or
// SCTLR_EL1.nTWE=0: QEMU 7.2 never traps WFE, so a WFE that would wait is not portable.
        .include "harness.inc"
main:
        sevl
        wfe
        PUTS    "wfe after sevl returned at EL2\n"
        nop
        yield
        sev
        mrs     x3, hcr_el2
        orr     x3, x3, #(1 << 13)
        orr     x3, x3, #(1 << 14)
        msr     hcr_el2, x3
        isb
        TO_EL1
        wfi
        sevl
        wfe
        wfi
        TO_EL0
        wfi
        sevl
        wfe
        UP_EL1
        // let EL0 WFI/WFE reach the EL2 trap: nTWI (16) and nTWE (18) = 1
        mrs     x4, sctlr_el1
        orr     x4, x4, #(1 << 16)
        orr     x4, x4, #(1 << 18)
        msr     sctlr_el1, x4
        isb
        TO_EL0
        wfi
        sevl
        wfe
        UP_EL1
        UP_EL2
        EXIT    0
