// VM switch (Table 3, row 5): two VMs share PE0; each yields to the other with HC_YIELD and
// the hypervisor switches the PE from one VM's vCPU to the other's (EL1 context, FP, VGIC,
// timer, VTTBR_EL2 with its VMID). Measured from before the yielding VM's HVC (its counter) to
// the other VM's first instruction after its own HVC returns; both directions are counted.
        .equ PE1_ROLE, 0
        .equ VM_SWITCH, 1                   // VM1 has a vCPU on PE0 too
bench_name:     .asciz "vm-switch"
        .balign 4

// Both VMs run the same loop: take the time as soon as they run again, record the switch that
// brought them here (the other VM's timestamp is in S_T0), take the time again and yield.
// Switches are numbered in S_SEQ; the first WARMUP are not recorded.
guest_vcpu0:
        MOV64   x19, SHARED
        b       2f                          // VM0 starts by yielding
1:      TSTAMP  x22
        ldr     x21, [x19, #S_T0]
        ldr     x20, [x19, #S_SEQ]
        RECORD  x21, x22, x20
        add     x20, x20, #1
        str     x20, [x19, #S_SEQ]
        cmp     x20, #(2 * ITERATIONS + WARMUP)
        b.hs    3f
2:      TSTAMP  x21
        str     x21, [x19, #S_T0]
        mov     x0, #HC_YIELD
        hvc     #0                          // → the other VM
        b       1b
3:      mov     x0, #(2 * ITERATIONS)
        str     x0, [x19, #S_ITER]
        b       g_report

guest_vm1:
        MOV64   x19, SHARED
        b       1b

bench_irq:
        ret

// Not used by this benchmark (the hypervisors' I/O backend and other roles link against them).
backend_seen:
backend_main:
        ret
guest_vcpu1:
        b       .
