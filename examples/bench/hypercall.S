// Hypercall (paper Table 3, row 1): the guest calls the hypervisor with a function that does
// nothing (HC_NOP) and returns — the cost of the transition and of the state the hypervisor
// switches on the way. kvm-unit-tests arm/micro-bench.c calls this `hvc`.
        .equ PE1_ROLE, 0                    // the second PE idles
        .equ VM_SWITCH, 0
bench_name:     .asciz "hypercall"
        .balign 4

guest_vcpu0:
        mov     x20, #0                     // iteration
1:      mov     x0, #HC_NOP
bench_t0_hypercall:
        TSTAMP  x21
        hvc     #0
        TSTAMP  x22
bench_t1_hypercall:
        RECORD  x21, x22, x20
        add     x20, x20, #1
        cmp     x20, #(ITERATIONS + WARMUP)
        b.lo    1b
        MOV64   x9, SHARED
        mov     x0, #ITERATIONS
        str     x0, [x9, #S_ITER]
        b       g_report

bench_irq:
        ret

// Not used by this benchmark (the hypervisors' I/O backend and other roles link against them).
backend_seen:
backend_main:
        ret
guest_vcpu1:
        b       .
guest_vm1:
        b       .
