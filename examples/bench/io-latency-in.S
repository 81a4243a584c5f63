// I/O latency in (Table 3, row 7): the I/O backend on PE1 signals the guest on PE0 (a virtual
// interrupt: KVM: the host injects it and kicks PE0 with an IPI; Xen: Dom0 sends an event
// channel notification through the hypervisor). Measured from the backend's timestamp before
// it signals to the guest's interrupt handler.
        .equ PE1_ROLE, 2
        .equ VM_SWITCH, 0
bench_name:     .asciz "io-latency-in"
        .balign 4

guest_vcpu0:
        bl      g_gic_enable
        MOV64   x19, SHARED
        msr     daifclr, #2
        mov     x0, #1
        str     x0, [x19, #S_READY]
1:      wfi
        ldr     x0, [x19, #S_SEQ]           // idle until every notification arrived
        cmp     x0, #(ITERATIONS + WARMUP)
        b.lo    1b
        msr     daifset, #2
        mov     x0, #ITERATIONS
        str     x0, [x19, #S_ITER]
        b       g_report

bench_irq:
        TSTAMP  x1
        MOV64   x2, GUEST_GICC
        ldr     w3, [x2, #0x0c]             // GICC_IAR
        MOV64   x4, SHARED
        ldr     x0, [x4, #S_T0]
        ldr     x5, [x4, #S_SEQ]
        RECORD  x0, x1, x5
        str     w3, [x2, #0x10]             // GICC_EOIR
        add     x5, x5, #1
        str     x5, [x4, #S_SEQ]
        ret

// The backend (on PE1, in the host or Dom0): waits for the guest, then for each iteration
// takes the time and calls backend_notify (provided by the hypervisor's environment).
backend_main:
        stp     x29, x30, [sp, #-16]!
        MOV64   x19, SHARED
1:      ldr     x0, [x19, #S_READY]
        cbz     x0, 1b
        mov     x20, #0
2:      ldr     x0, [x19, #S_SEQ]           // previous notification handled
        cmp     x0, x20
        b.lo    2b
        cmp     x20, #(ITERATIONS + WARMUP)
        b.hs    3f
        cbz     x20, 5f                     // not timed: let the guest go idle again
4:      mrs     x0, cntvct_el0
        sub     x0, x0, x21
        MOV64   x1, 20000
        cmp     x0, x1
        b.lt    4b
5:      TSTAMP  x21
        str     x21, [x19, #S_T0]
        bl      backend_notify
        add     x20, x20, #1
        b       2b
3:      ldp     x29, x30, [sp], #16
        ret

backend_seen:
        ret
guest_vcpu1:
        b       .
guest_vm1:
        b       .
