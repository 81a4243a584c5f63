// diff: gic=3
// The PL011 and PL031 as software sees them on QEMU's virt: PrimeCell IDs, the flag register
// with an empty receive FIFO, UARTIMSC/UARTRIS/UARTMIS around a transmitted byte and UARTICR
// (QEMU raises the TX interrupt after every write: the transmit FIFO is empty at once), the
// UART's interrupt reaching the GIC as SPI 1 (INTID 33: pending in GICD_ISPENDR1, taken at EL2
// and acknowledged through ICC_IAR1_EL1), and the RTC's control, load and match registers: a
// match written equal to the current count raises RTCRIS at once and INTID 34 when unmasked.
// RTC values are printed relative to what was loaded, so the host clock never shows.
        .include "harness.inc"
        .equ GICD, 0x08000000
        .equ GICR_RD, 0x080A0000
        .equ GICR_SGI, 0x080B0000
        .equ RTC, 0x09010000
        .equ RESULT, 0x44100000
main:
        str     x30, [sp, #-16]!
        MOV64   x9, UART_BASE
        // PrimeCell identification of both devices.
        mov     x2, #0
        mov     x3, #0xfe0
1:      ldr     w0, [x9, x3]
        orr     x2, x0, x2, lsl #8
        add     x3, x3, #4
        cmp     x3, #0x1000
        b.ne    1b
        PV      uart_id, x2
        MOV64   x10, RTC
        mov     x2, #0
        mov     x3, #0xfe0
1:      ldr     w0, [x10, x3]
        orr     x2, x0, x2, lsl #8
        add     x3, x3, #4
        cmp     x3, #0x1000
        b.ne    1b
        PV      rtc_id, x2
        ldr     w0, [x9, #0x18]
        PV      uart_fr, x0
        ldr     w0, [x9, #0x30]
        PV      uart_cr, x0
        // Interrupt status around one transmitted byte.
        mov     w0, #0x7ff
        str     w0, [x9, #0x44]             // UARTICR: clear everything
        ldr     w4, [x9, #0x3c]             // RIS after clearing
        mov     w0, #'.'
        str     w0, [x9]                    // transmit one byte
        ldr     w5, [x9, #0x3c]             // RIS after it
        ldr     w6, [x9, #0x40]             // MIS (nothing enabled yet)
        mov     w0, #0x20
        str     w0, [x9, #0x38]             // UARTIMSC.TXIM
        ldr     w7, [x9, #0x40]             // MIS with TXIM
        ldr     w8, [x9, #0x38]
        PNL
        PV      ris_cleared, x4
        PV      ris_after_tx, x5
        PV      mis_masked, x6
        PV      mis_txim, x7
        PV      imsc, x8
        // The UART interrupt is SPI 1 = INTID 33: route it to this PE in Group 1 and take it.
        MOV64   x1, GICD
        mov     w0, #0x12                   // EnableGrp1NS | ARE_NS
        str     w0, [x1]
        MOV64   x1, GICR_RD
        str     wzr, [x1, #0x14]            // GICR_WAKER: awake
        MOV64   x1, GICD
        mov     w0, #0x6                    // INTID 33 and 34 in Group 1
        str     w0, [x1, #0x84]
        mov     w0, #0xa0
        strb    w0, [x1, #0x421]            // priorities
        strb    w0, [x1, #0x422]
        str     xzr, [x1, #0x6108]          // GICD_IROUTER33: PE 0
        str     xzr, [x1, #0x6110]          // GICD_IROUTER34: PE 0
        mov     w0, #0x6
        str     w0, [x1, #0x104]            // GICD_ISENABLER1
        mov     x0, #0xff
        msr     S3_0_C4_C6_0, x0            // ICC_PMR_EL1
        mov     x0, #1
        msr     S3_0_C12_C12_7, x0          // ICC_IGRPEN1_EL1
        mrs     x0, hcr_el2
        orr     x0, x0, #0x10               // IMO: physical IRQs to EL2
        msr     hcr_el2, x0
        isb
        ldr     w0, [x1, #0x204]            // GICD_ISPENDR1
        and     w0, w0, #0x6
        PV      ispendr1, x0
        mrs     x0, S3_0_C12_C12_0          // ICC_IAR1_EL1
        mov     x11, x0
        msr     S3_0_C12_C12_1, x0          // ICC_EOIR1_EL1
        PV      iar, x11
        mov     w0, #0x20
        str     w0, [x9, #0x44]             // clear TX; then printing raises it again
        str     wzr, [x9, #0x38]            // UARTIMSC = 0
        // The RTC: load a value, read it back, match now, then unmask the match interrupt.
        ldr     w0, [x10, #0x0c]
        PV      rtc_cr, x0
        MOV64   x0, 0x12345600
        str     w0, [x10, #0x08]            // RTCLR
        ldr     w1, [x10, #0x00]            // RTCDR
        sub     w1, w1, w0
        PV      rtc_dr_minus_loaded_le1, x1
        ldr     w0, [x10, #0x14]
        PV      rtc_ris_before, x0
        ldr     w1, [x10, #0x00]
        str     w1, [x10, #0x04]            // RTCMR = now: match at once
        ldr     w0, [x10, #0x04]
        sub     w0, w0, w1
        PV      rtc_mr_minus_dr, x0
        ldr     w0, [x10, #0x14]
        PV      rtc_ris_match, x0
        ldr     w0, [x10, #0x18]
        PV      rtc_mis_masked, x0
        mov     w0, #1
        str     w0, [x10, #0x10]            // RTCIMSC
        ldr     w0, [x10, #0x18]
        PV      rtc_mis, x0
        MOV64   x1, GICD
        ldr     w0, [x1, #0x204]
        and     w0, w0, #0x6
        PV      ispendr1_rtc, x0
        mrs     x0, S3_0_C12_C12_0          // ICC_IAR1_EL1
        mov     x11, x0
        msr     S3_0_C12_C12_1, x0
        PV      iar_rtc, x11
        mov     w0, #1
        str     w0, [x10, #0x1c]            // RTCICR
        ldr     w0, [x10, #0x14]
        PV      rtc_ris_cleared, x0
        ldr     w0, [x1, #0x204]
        and     w0, w0, #0x6
        PV      ispendr1_after, x0
        ldr     x30, [sp], #16
        ret
