// Interrupt controller trap (Table 3, row 2): the guest reads a distributor register
// (GICD_IIDR). The distributor is not mapped in the guest's Stage 2, so the read is a Stage-2
// data abort to EL2, emulated by the hypervisor (KVM: the host's in-kernel vGIC; Xen: the
// hypervisor itself), which writes the value into the guest's register and skips the load.
        .equ PE1_ROLE, 0
        .equ VM_SWITCH, 0
bench_name:     .asciz "interrupt-controller-trap"
        .balign 4

guest_vcpu0:
        mov     x20, #0
        MOV64   x23, GUEST_GICD
1:
        TSTAMP  x21
        ldr     w24, [x23, #0x008]          // GICD_IIDR: traps
        TSTAMP  x22
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
