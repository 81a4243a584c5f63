// Virtual IRQ completion (Table 3, row 4): the guest completes a virtual interrupt by writing
// GICC_EOIR, which Stage 2 maps onto the GIC's virtual CPU interface (GICV_EOIR): the list
// register is updated in hardware and no exception is taken. Before each measurement (not
// timed) the guest asks the hypervisor for a virtual interrupt (HC_INJECT_SELF) and
// acknowledges it by reading GICC_IAR with interrupts masked.
        .equ PE1_ROLE, 0
        .equ VM_SWITCH, 0
bench_name:     .asciz "virtual-irq-completion"
        .balign 4

guest_vcpu0:
        bl      g_gic_enable
        mov     x20, #0
        MOV64   x23, GUEST_GICC
1:      mov     x0, #HC_INJECT_SELF
        mov     x1, #VIRQ_SELF
        hvc     #0
        ldr     w24, [x23, #0x0c]           // GICC_IAR: acknowledge (pending → active)
bench_t0_virq_completion:
        TSTAMP  x21
        str     w24, [x23, #0x10]           // GICC_EOIR: completes in the virtual interface
        TSTAMP  x22
bench_t1_virq_completion:
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
