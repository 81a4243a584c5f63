// Virtual timer (not a row of the paper's Table 3: `armvirt experiments` does not run it; see
// test/experiments/virtual-timer.test.ts and the "Experiment: virtual-timer …" configurations).
// vCPU0 arms its EL1 virtual timer (CNTV_TVAL_EL0 = VT_DELAY, then CNTV_CTL_EL0.ENABLE) and
// spins with interrupts unmasked. At the deadline the timer drives the physical PPI 27; the
// hypervisor turns it into the virtual INTID 27 of this vCPU (KVM: an IRQ exit and a list
// register with HW = 1, pINTID 27; Xen: vtimer_interrupt masks the timer and injects it), and
// the guest's handler takes the time. Measured from the deadline (CNTV_CVAL_EL0 read back after
// the TVAL write) to the handler's counter read: the delivery latency of a virtual timer
// interrupt to a running vCPU.
//
// The handler does what Linux's arch_timer_handler_virt does: CNTV_CTL.ISTATUS is set, so it
// sets IMASK (the timer's output is level-sensitive and must fall before the EOI, or the
// interrupt would be taken again), then writes GICC_EOIR. The next iteration re-arms the timer
// with a new TVAL and ENABLE (IMASK clear).
        .equ PE1_ROLE, 0                    // the second PE idles
        .equ VM_SWITCH, 0
        .ifndef VT_DELAY
        .equ VT_DELAY, 5000                 // counter ticks from arming to the deadline
        .endif
        .ifndef VT_WFI
        .equ VT_WFI, 0                      // 1: wait in WFI instead of spinning (Xen traps it and
        .endif                              // deschedules the vCPU: virt_timer_save's Xen timer)
        .equ S_VT_IRQS, 0x40                // interrupts acknowledged as INTID 27
        .equ S_VT_OTHER, 0x48               // interrupts acknowledged with any other INTID
        .equ VTIMER_INTID, 27               // the EL1 virtual timer's PPI
bench_name:     .asciz "virtual-timer"
msg_vt_irqs:    .asciz "VTIMER irqs="
msg_vt_other:   .asciz " other="
        .balign 4

guest_vcpu0:
        bl      g_gic_enable
        MOV64   x19, SHARED
        msr     daifclr, #2
        mov     x20, #0                     // iteration
1:      mov     x0, #VT_DELAY
        msr     cntv_tval_el0, x0           // CVAL = CNTVCT + VT_DELAY
        isb
        mrs     x21, cntv_cval_el0          // the deadline
        str     x21, [x19, #S_T0]
        mov     x0, #1                      // ENABLE, IMASK clear
        msr     cntv_ctl_el0, x0
        isb
        add     x24, x20, #1
2:
        .if VT_WFI
        wfi
        .endif
        ldr     x0, [x19, #S_SEQ]           // run VM code until the handler has run
        cmp     x0, x24
        b.lo    2b
        mov     x20, x24
        cmp     x20, #(ITERATIONS + WARMUP)
        b.lo    1b
        msr     cntv_ctl_el0, xzr           // timer off
        mov     x0, #ITERATIONS
        str     x0, [x19, #S_ITER]
        adr     x0, msg_vt_irqs             // "VTIMER irqs=<n> other=<m>"
        bl      g_puts
        ldr     x0, [x19, #S_VT_IRQS]
        bl      g_putdec
        adr     x0, msg_vt_other
        bl      g_puts
        ldr     x0, [x19, #S_VT_OTHER]
        bl      g_putdec
        mov     x0, #10
        bl      g_putc
        b       g_report

bench_irq:
        TSTAMP  x1
        MOV64   x2, GUEST_GICC
        ldr     w3, [x2, #0x0c]             // GICC_IAR (GICV_IAR behind Stage 2)
        MOV64   x4, SHARED
        and     w6, w3, #0x3ff
        cmp     w6, #VTIMER_INTID
        b.ne    5f
        mrs     x7, cntv_ctl_el0            // arch_timer_handler_virt: ISTATUS → set IMASK
        orr     x7, x7, #2
        msr     cntv_ctl_el0, x7
        isb
        ldr     x0, [x4, #S_T0]
        ldr     x5, [x4, #S_SEQ]
        RECORD  x0, x1, x5
        ldr     x8, [x4, #S_VT_IRQS]
        add     x8, x8, #1
        str     x8, [x4, #S_VT_IRQS]
        str     w3, [x2, #0x10]             // GICC_EOIR (HW list register: also deactivates PPI 27)
        add     x5, x5, #1
        str     x5, [x4, #S_SEQ]
        ret
5:      cmp     w6, #1020                   // spurious: nothing to complete
        b.hs    6f
        ldr     x8, [x4, #S_VT_OTHER]
        add     x8, x8, #1
        str     x8, [x4, #S_VT_OTHER]
        str     w3, [x2, #0x10]             // GICC_EOIR
6:      ret

// Not used by this program (the hypervisors' I/O backend and other roles link against them).
backend_seen:
backend_main:
        ret
guest_vcpu1:
        b       .
guest_vm1:
        b       .
