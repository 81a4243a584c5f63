// Virtual IPI (Table 3, row 3): vCPU0 (on PE0) sends SGI 1 to vCPU1 (on PE1) by writing the
// emulated distributor's GICD_SGIR (a trap); the hypervisor makes it pending for vCPU1 and
// kicks PE1 with a physical SGI; PE1 leaves the guest, the hypervisor puts the virtual SGI in a
// list register, and vCPU1's handler takes the time. Measured from before the GICD_SGIR write
// (vCPU0's counter) to the receiving handler (vCPU1's counter): both PEs run VM code.
        .equ PE1_ROLE, 1                    // PE1 runs vCPU1 of the same VM
        .equ VM_SWITCH, 0
bench_name:     .asciz "virtual-ipi"
        .balign 4

guest_vcpu0:
        MOV64   x19, SHARED
1:      ldr     x0, [x19, #S_READY]         // wait for vCPU1
        cbz     x0, 1b
        mov     x20, #0
        MOV64   x23, GUEST_GICD
        MOV64   x25, (2 << 16) | VIRQ_IPI   // target list = CPU interface 1, SGI 1
2:      TSTAMP  x21
        str     x21, [x19, #S_T0]
        str     w25, [x23, #0xf00]          // GICD_SGIR: traps, sends the virtual IPI
        add     x24, x20, #1
3:      ldr     x0, [x19, #S_SEQ]           // wait until vCPU1 handled it
        cmp     x0, x24
        b.lo    3b
        mov     x20, x24
        cmp     x20, #(ITERATIONS + WARMUP)
        b.lo    2b
        mov     x0, #ITERATIONS
        str     x0, [x19, #S_ITER]
        b       g_report

guest_vcpu1:
        bl      g_gic_enable
        MOV64   x19, SHARED
        msr     daifclr, #2
        mov     x0, #1
        str     x0, [x19, #S_READY]
1:      b       1b                          // run VM code until interrupted

bench_irq:                                  // on vCPU1
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

// Not used by this benchmark (the hypervisors' I/O backend and other roles link against them).
backend_seen:
backend_main:
        ret
guest_vm1:
        b       .
