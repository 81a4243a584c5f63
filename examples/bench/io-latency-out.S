// I/O latency out (Table 3, row 6): the guest (PE0) writes a doorbell register of a virtual
// device (IPA 0x0a00_0000, not mapped in Stage 2: a trap). The hypervisor forwards the
// notification to the I/O backend on PE1 (KVM: a host thread, woken by an IPI; Xen: Dom0, a
// separate VM, woken with an event channel). Measured from before the guest's write (its
// counter) to the moment the backend sees the notification (the backend's counter).
        .equ PE1_ROLE, 2                    // PE1 hosts the I/O backend
        .equ VM_SWITCH, 0
        .equ IO_IDLE_GAP, 20000             // cycles from the backend's timestamp to the next doorbell
bench_name:     .asciz "io-latency-out"
        .balign 4

guest_vcpu0:
        MOV64   x19, SHARED
        MOV64   x23, DOORBELL_IPA
        mov     x20, #0
1:      ldr     x0, [x19, #S_GO]            // the backend is ready
        cbz     x0, 1b
2:      TSTAMP  x21
        str     w20, [x23]                  // doorbell: traps
        add     x24, x20, #1
3:      ldr     x0, [x19, #S_SEQ]           // wait until the backend has seen it
        cmp     x0, x24
        b.lo    3b
        ldr     x22, [x19, #S_T1]
        RECORD  x21, x22, x20
        mov     x20, x24
        // Not timed: give the backend's side time to go idle again (as in the paper, where the
        // backend is waiting for I/O when the doorbell rings) before the next doorbell.
        MOV64   x25, IO_IDLE_GAP
4:      mrs     x0, cntvct_el0
        sub     x0, x0, x22                 // signed: the backend's PE may be up to one
        cmp     x0, x25                     // scheduling quantum ahead of ours
        b.lt    4b
        cmp     x20, #(ITERATIONS + WARMUP)
        b.lo    2b
        mov     x0, #ITERATIONS
        str     x0, [x19, #S_ITER]
        b       g_report

// Backend side, called by the hypervisor's backend (host IRQ handler / Dom0 event handler)
// when it receives the doorbell notification. x0..x8 free.
backend_seen:
        TSTAMP  x1
        MOV64   x2, SHARED
        str     x1, [x2, #S_T1]
        ldr     x3, [x2, #S_SEQ]
        add     x3, x3, #1
        str     x3, [x2, #S_SEQ]
        ret

// Backend's own loop (in-direction only): nothing to do here.
backend_main:
        ret

bench_irq:
        ret
guest_vcpu1:
        b       .
guest_vm1:
        b       .
