// vmm-guests.S — the bare-metal guests that examples/linux/vmm.c runs under Linux's own KVM: the
// seven microbenchmarks of Dall et al., ISCA 2016, Table 3, as KVM/arm64 in Linux 6.1 sees them.
//
// One position-independent image (PC-relative addressing only) that the VMM copies to guest RAM
// at IPA 0x4000_0000 for every VM. Each vCPU starts at guest_entry at EL1 with the MMU off and
// DAIF masked (KVM's reset state, arch/arm64/kvm/reset.c) and with
//   x0 = benchmark number (the order of BENCHMARKS in src/cli/paper.ts),
//   x1 = vCPU index (0 or 1; for vm-switch: the VM's index),
//   x2 = the vGIC the VMM created (3 or 2).
// The guest measures itself as the example guests do (examples/bench/common/guest.inc, the paper's
// §4): ISB; read the counter; the operation; ISB; read the counter. CNTVCT_EL0 when both
// timestamps come from one VM (the VM's CNTVOFF cancels); CNTPCT_EL0 when the other timestamp is
// taken by the VMM's I/O thread in host user space: KVM 6.1 lets a guest read the physical
// counter without a trap (CNTHCTL_EL2.EL1PCTEN set on guest entry, hyp/nvhe/timer-sr.c and
// vhe/timer-sr.c), and the host's EL0 CNTVCT_EL0 is the physical count (CNTVOFF_EL2 = 0 after
// vcpu_put in nVHE; treated as 0 at EL0 with E2H and TGE in VHE, DDI0487 D11.2.2).
//
// The guest talks to the VMM through an unbacked IPA page (Stage-2 faults that KVM hands to user
// space as KVM_EXIT_MMIO; see vmm.c): a UART data register for its output and three VMM
// registers (mark, done, yield). The ioeventfd doorbell is another unbacked IPA, but KVM handles
// stores to it in the kernel (virt/kvm/eventfd.c) and the guest does not leave.

        .equ UART_DATA,     0x09000000      // byte: one character of output
        .equ VMM_MARK,      0x09000008      // 0: timed loop starts; n > 0: it ended after n loops
        .equ VMM_DONE,      0x09000010      // this vCPU's thread stops running it
        .equ VMM_YIELD,     0x09000018      // the vCPU's thread calls sched_yield()
        .equ DOORBELL,      0x0a000000      // KVM_IOEVENTFD (4-byte writes)
        .equ GICD,          0x08000000      // both vGICs: the distributor
        .equ GICR,          0x080a0000      // vgic-v3: redistributors, 2 x 64 KiB frames per vCPU
        .equ GICC,          0x08010000      // vgic-v2: CPU interface (KVM maps the host's GICV here)
        .equ RAM,           0x40000000
        .equ SHARED,        0x40008000      // between the vCPUs and the VMM (vmm.c: SHARED_OFF)
        .equ S_T0,          0x00            // the sender's timestamp
        .equ S_T1,          0x08            // the receiver's timestamp (I/O out: the VMM's)
        .equ S_SEQ,         0x10            // completed iterations
        .equ S_SUM,         0x18            // sum of the measured intervals
        .equ S_READY,       0x20            // the receiving side is ready
        .equ S_STOPPED,     0x28            // set by the VMM when the second vCPU's thread left
        .equ S_GIC,         0x30            // 3 or 2
        .equ SPI_IN,        48              // the irqfd's interrupt (KVM_IRQFD gsi 16 = SPI 16)
        .equ SGI_IPI,       2
        .equ SGI_SELF,      1

        .equ ITERATIONS,    16
        .equ WARMUP,        2
        .equ LOOPS,         (ITERATIONS + WARMUP)
        .equ IDLE_GAP,      20000           // counter ticks between I/O out iterations (vmm.c: as io_thread's pause)

        .macro MOV64 reg, value
        movz    \reg, #((\value) & 0xffff)
        movk    \reg, #(((\value) >> 16) & 0xffff), lsl #16
        .endm

        .macro VSTAMP reg                   // the VM's own time base
        isb
        mrs     \reg, cntvct_el0
        .endm
        .macro PSTAMP reg                   // the time base host user space reads as CNTVCT_EL0
        isb
        mrs     \reg, cntpct_el0
        .endm

// Adds \t1 - \t0 to the sum in x23 when the loop index \i is past the warm-up.
        .macro RECORD t0, t1, i
        cmp     \i, #WARMUP
        b.lo    77f
        sub     x9, \t1, \t0
        add     x23, x23, x9
77:
        .endm

        .macro MARK value
        MOV64   x9, VMM_MARK
        mov     x10, #\value
        str     x10, [x9]
        .endm

        .section .rodata.vmm_guest, "a"
        .balign 4096
        .globl  vmm_guest_image, vmm_guest_image_end
vmm_guest_image:
guest_entry:
        adr     x9, guest_vectors
        msr     vbar_el1, x9
        MOV64   x9, (RAM + 0xf000)          // stacks: vCPU 0 below 0x4000_f000, vCPU 1 a page lower
        sub     x9, x9, x1, lsl #12
        mov     sp, x9
        isb
        mov     x19, x1
        MOV64   x9, SHARED
        str     x2, [x9, #S_GIC]
        mov     x23, #0                     // sum of the measured intervals
        adr     x9, bench_table
        ldrsw   x10, [x9, x0, lsl #2]
        add     x9, x9, x10
        br      x9

bench_table:                                // src/cli/paper.ts BENCHMARKS order
        .word   b_hypercall - bench_table
        .word   b_gicd_trap - bench_table
        .word   b_virtual_ipi - bench_table
        .word   b_irq_completion - bench_table
        .word   b_vm_switch - bench_table
        .word   b_io_out - bench_table
        .word   b_io_in - bench_table

// ---------------------------------------------------------------- hypercall
// HVC #0 with a function ID no SMCCC service owns (0x4b00_0000, as kvm-unit-tests'
// arm/micro-bench.c): KVM's kvm_hvc_call_handler() answers SMCCC_RET_NOT_SUPPORTED in x0 and
// returns to the guest without leaving the kernel — a full world switch out and back.
b_hypercall:
        MARK    0
        mov     x20, #0
1:      movz    w0, #0x4b00, lsl #16
        VSTAMP  x21
        hvc     #0
        VSTAMP  x22
        RECORD  x21, x22, x20
        add     x20, x20, #1
        cmp     x20, #LOOPS
        b.lo    1b
        MARK    LOOPS
        adr     x0, n_hypercall
        b       report

// ---------------------------------------------------------------- interrupt-controller trap
// A read of GICD_IIDR: a Stage-2 fault on the distributor's IPA range, which KVM decodes and
// emulates in the kernel (vgic-mmio.c) without an exit to user space.
b_gicd_trap:
        MARK    0
        mov     x20, #0
        MOV64   x24, GICD
1:      VSTAMP  x21
        ldr     w0, [x24, #0x8]             // GICD_IIDR
        VSTAMP  x22
        RECORD  x21, x22, x20
        add     x20, x20, #1
        cmp     x20, #LOOPS
        b.lo    1b
        MARK    LOOPS
        adr     x0, n_gicd_trap
        b       report

// ---------------------------------------------------------------- virtual IPI
// vCPU 0 sends SGI 2 to vCPU 1 (ICC_SGI1R_EL1 traps to KVM, which queues it and kicks the other
// PE; GICv2: a GICD_SGIR write), vCPU 1 is running (spinning with IRQs unmasked, as in the paper)
// and takes it. Both read the same VM's virtual counter.
b_virtual_ipi:
        cbnz    x19, ipi_receiver
        MOV64   x25, SHARED
1:      ldr     x0, [x25, #S_READY]
        cbz     x0, 1b
        MARK    0
        mov     x20, #0
2:      VSTAMP  x21
        str     x21, [x25, #S_T0]
        dsb     ish
        mov     x0, #2                      // target list: vCPU 1 (MPIDR Aff0 = 1)
        mov     x1, #SGI_IPI
        bl      gic_sgi
        add     x20, x20, #1
3:      ldr     x0, [x25, #S_SEQ]
        cmp     x0, x20
        b.lo    3b
        cmp     x20, #LOOPS
        b.lo    2b
        MARK    LOOPS
4:      ldr     x0, [x25, #S_STOPPED]       // the VMM saw vCPU 1 leave: safe to power off
        cbz     x0, 4b
        ldr     x23, [x25, #S_SUM]
        adr     x0, n_virtual_ipi
        b       report

ipi_receiver:
        bl      gic_dist_enable             // KVM forwards nothing while GICD_CTLR's group is off (vgic_target_oracle)
        bl      gic_cpu_enable
        mov     x0, #SGI_IPI
        bl      gic_enable_private
        adr     x28, ipi_handler
        MOV64   x25, SHARED
        mov     x0, #1
        str     x0, [x25, #S_READY]
        msr     daifclr, #2
1:      ldr     x0, [x25, #S_SEQ]
        cmp     x0, #LOOPS
        b.lo    1b
        msr     daifset, #2
        b       vcpu_done

ipi_handler:                                // x0..x15 free (saved by guest_irq)
        VSTAMP  x1
        mov     x14, x30
        bl      gic_ack
        mov     x15, x0
        bl      gic_eoi
        MOV64   x2, SHARED
        ldr     x3, [x2, #S_T0]
        ldr     x4, [x2, #S_SEQ]
        cmp     x4, #WARMUP
        b.lo    1f
        sub     x5, x1, x3
        ldr     x6, [x2, #S_SUM]
        add     x6, x6, x5
        str     x6, [x2, #S_SUM]
1:      add     x4, x4, #1
        dmb     ish
        str     x4, [x2, #S_SEQ]
        mov     x30, x14
        ret

// ---------------------------------------------------------------- virtual IRQ completion
// The guest sends itself SGI 1 (a trap, not timed), acknowledges it with interrupts masked
// (ICV_IAR1_EL1 / GICV_IAR: no trap) and times only the completion: ICC_EOIR1_EL1, which with
// ICH_HCR_EL2.En and no trap bits KVM sets is the virtual CPU interface's ICV_EOIR1_EL1 (GICv2:
// GICC_EOIR through the GICV frame) — the list register changes state in hardware, no exit.
b_irq_completion:
        bl      gic_dist_enable
        bl      gic_cpu_enable
        mov     x0, #SGI_SELF
        bl      gic_enable_private
        MARK    0
        mov     x20, #0
1:      mov     x0, #1                      // target list: this vCPU (Aff0 = 0)
        mov     x1, #SGI_SELF
        bl      gic_sgi
        bl      gic_ack
        mov     x24, x0
        VSTAMP  x21
        bl      gic_eoi_x24
        VSTAMP  x22
        RECORD  x21, x22, x20
        add     x20, x20, #1
        cmp     x20, #LOOPS
        b.lo    1b
        MARK    LOOPS
        adr     x0, n_irq_completion
        b       report

// ---------------------------------------------------------------- VM switch
// Two VMs with one vCPU each, both threads pinned to PE 0. VM 0 takes a timestamp and yields
// (an exit to its thread, which calls sched_yield(); the scheduler runs VM 1's thread, which
// re-enters VM 1; VM 1 yields at once, and the way back is the same); the round trip is two VM
// switches, so the guest reports half of it.
b_vm_switch:
        cbnz    x19, 2f
        MARK    0
        mov     x20, #0
        MOV64   x24, VMM_YIELD
1:      VSTAMP  x21
        str     x20, [x24]
        VSTAMP  x22
        RECORD  x21, x22, x20
        add     x20, x20, #1
        cmp     x20, #LOOPS
        b.lo    1b
        MARK    LOOPS
        lsr     x23, x23, #1
        adr     x0, n_vm_switch
        b       report
2:      MOV64   x24, VMM_YIELD              // VM 1: yield until the VMM stops running it
3:      str     x19, [x24]
        b       3b

// ---------------------------------------------------------------- I/O latency out
// The guest writes the doorbell (KVM_IOEVENTFD: the kernel signals the eventfd and resumes the
// guest); the VMM's I/O thread on PE 1, blocked in read(2) on that eventfd, wakes and writes
// its timestamp (host CNTVCT_EL0) to S_T1. Measured: guest's send to VMM thread's wake-up.
// Between iterations the guest waits IDLE_GAP counter ticks, untimed, as the I/O thread does
// before each irqfd signal in b_io_in: the paper's backend is waiting when the doorbell rings.
// Without the gap the next doorbell came while the I/O thread was still on its way back into
// read(2) (PE 1 in __schedule, switching to idle with interrupts masked), and each measurement
// carried that tail of the previous iteration (docs/experiments.md, "I/O latency out").
b_io_out:
        MOV64   x25, SHARED
        MOV64   x24, DOORBELL
        MARK    0
        mov     x20, #0
1:      PSTAMP  x21
        str     w20, [x24]
        add     x20, x20, #1
2:      ldr     x0, [x25, #S_SEQ]           // the VMM thread's acknowledgement
        cmp     x0, x20
        b.lo    2b
        dmb     ishld
        ldr     x22, [x25, #S_T1]
        sub     x0, x20, #1
        RECORD  x21, x22, x0
        PSTAMP  x1                          // let the I/O thread block in read(2) again and PE 1
        MOV64   x3, IDLE_GAP                // go idle before the next doorbell (untimed)
3:      PSTAMP  x2
        sub     x2, x2, x1
        cmp     x2, x3
        b.lo    3b
        cmp     x20, #LOOPS
        b.lo    1b
        MARK    LOOPS
        adr     x0, n_io_out
        b       report

// ---------------------------------------------------------------- I/O latency in
// The VMM's I/O thread on PE 1 writes its timestamp to S_T0 and signals an eventfd bound to
// SPI 48 with KVM_IRQFD; KVM injects it and wakes the vCPU, which sleeps in WFI (KVM traps it
// and blocks the vCPU thread). Measured: VMM thread's send to the guest's interrupt handler.
b_io_in:
        bl      gic_dist_enable
        bl      gic_cpu_enable
        mov     x0, #SPI_IN
        bl      gic_enable_spi
        adr     x28, io_in_handler
        MOV64   x25, SHARED
        MARK    0
        mov     x0, #1
        str     x0, [x25, #S_READY]
        msr     daifclr, #2
1:      wfi
        ldr     x0, [x25, #S_SEQ]
        cmp     x0, #LOOPS
        b.lo    1b
        msr     daifset, #2
        MARK    LOOPS
        ldr     x23, [x25, #S_SUM]
        adr     x0, n_io_in
        b       report

io_in_handler:
        PSTAMP  x1
        mov     x14, x30
        bl      gic_ack
        mov     x15, x0
        bl      gic_eoi
        MOV64   x2, SHARED
        ldr     x3, [x2, #S_T0]
        ldr     x4, [x2, #S_SEQ]
        cmp     x4, #WARMUP
        b.lo    1f
        sub     x5, x1, x3
        ldr     x6, [x2, #S_SUM]
        add     x6, x6, x5
        str     x6, [x2, #S_SUM]
1:      add     x4, x4, #1
        dmb     ish
        str     x4, [x2, #S_SEQ]
        mov     x30, x14
        ret

// ---------------------------------------------------------------- the vGIC, v3 or v2
// vgic-v3: the ICC_* system registers (ICV_* under KVM) and the redistributors; vgic-v2: the
// GICC frame (GICV behind Stage 2) and GICD. All clobber x9..x13 only.
gic_is_v2:                                  // Z clear when the VMM created a vgic-v2
        MOV64   x9, SHARED
        ldr     x9, [x9, #S_GIC]
        cmp     x9, #2
        ret

gic_cpu_enable:                             // priority mask open, Group 1 (v2: Group 0) on
        mov     x13, x30
        bl      gic_is_v2
        mov     x30, x13
        b.eq    1f
        mov     x9, #0xff
        msr     icc_pmr_el1, x9
        mov     x9, #1
        msr     icc_igrpen1_el1, x9
        isb
        ret
1:      MOV64   x9, GICC
        mov     w10, #0xff
        str     w10, [x9, #0x4]             // GICC_PMR
        mov     w10, #1
        str     w10, [x9]                   // GICC_CTLR.EnableGrp0 (KVM's vgic-v2: Group 0 as IRQ)
        ret

gic_dist_enable:
        mov     x13, x30
        bl      gic_is_v2
        mov     x30, x13
        MOV64   x9, GICD
        mov     w10, #2                     // v3: GICD_CTLR.EnableGrp1A
        b.ne    1f
        mov     w10, #1                     // v2: GICD_CTLR.EnableGrp0
1:      str     w10, [x9]
        ret

gic_enable_private:                         // x0 = SGI/PPI INTID, for this vCPU
        mov     x13, x30
        bl      gic_is_v2
        mov     x30, x13
        mov     w10, #1
        lsl     w10, w10, w0
        b.eq    1f
        MOV64   x9, (GICR + 0x10000 + 0x100)  // GICR_ISENABLER0 in this vCPU's SGI frame
        add     x9, x9, x19, lsl #17
        str     w10, [x9]
        ret
1:      MOV64   x9, (GICD + 0x100)          // GICD_ISENABLER0 (banked per CPU)
        str     w10, [x9]
        ret

gic_enable_spi:                             // x0 = SPI INTID: edge-triggered, to vCPU 0, enabled
        mov     x13, x30
        bl      gic_is_v2
        mov     x30, x13
        MOV64   x9, GICD
        lsr     x11, x0, #4                 // GICD_ICFGR<n/16>: Int_config bit 2*(n%16)+1 = edge
        and     x12, x0, #15
        lsl     x12, x12, #1
        add     x12, x12, #1
        mov     w10, #1
        lsl     w10, w10, w12
        add     x11, x9, x11, lsl #2
        str     w10, [x11, #0xc00]
        b.ne    1f
        add     x11, x9, #0x800             // v2: GICD_ITARGETSR<n> byte = CPU interface 0
        mov     w10, #1
        strb    w10, [x11, x0]
1:      lsr     x11, x0, #5                 // GICD_ISENABLER<n/32> (v3 routes by GICD_IROUTER, reset 0 = vCPU 0)
        and     x12, x0, #31
        mov     w10, #1
        lsl     w10, w10, w12
        add     x11, x9, x11, lsl #2
        str     w10, [x11, #0x100]
        ret

gic_sgi:                                    // x0 = target list (Aff0 bit mask), x1 = INTID
        mov     x13, x30
        bl      gic_is_v2
        mov     x30, x13
        b.eq    1f
        orr     x9, x0, x1, lsl #24         // ICC_SGI1R_EL1: INTID 27:24, TargetList 15:0
        msr     icc_sgi1r_el1, x9
        isb
        ret
1:      lsl     x9, x0, #16                 // GICD_SGIR: CPUTargetList 23:16, SGIINTID 3:0
        orr     x9, x9, x1
        MOV64   x10, (GICD + 0xf00)
        str     w9, [x10]
        ret

gic_ack:                                    // x0 = INTID (v2: the whole IAR value, CPUID too)
        mov     x13, x30
        bl      gic_is_v2
        mov     x30, x13
        b.eq    1f
        mrs     x0, icc_iar1_el1
        ret
1:      MOV64   x9, GICC
        ldr     w0, [x9, #0xc]              // GICC_IAR
        ret

gic_eoi:                                    // x15 = the value gic_ack returned
        mov     x24, x15
gic_eoi_x24:                                // x24 = the value gic_ack returned
        mov     x13, x30
        bl      gic_is_v2
        mov     x30, x13
        b.eq    1f
        msr     icc_eoir1_el1, x24
        isb
        ret
1:      MOV64   x9, GICC
        str     w24, [x9, #0x10]            // GICC_EOIR
        ret

// ---------------------------------------------------------------- output and the end
putc:                                       // w0 = character
        MOV64   x9, UART_DATA
        strb    w0, [x9]
        ret

puts:                                       // x0 = NUL-terminated string
        mov     x12, x30
        mov     x11, x0
1:      ldrb    w0, [x11], #1
        cbz     w0, 2f
        bl      putc
        b       1b
2:      mov     x30, x12
        ret

putdec:                                     // x0 = unsigned value
        str     x30, [sp, #-16]!
        sub     sp, sp, #32
        add     x11, sp, #31
        strb    wzr, [x11]
        mov     x10, #10
1:      udiv    x1, x0, x10
        msub    x2, x1, x10, x0
        add     w2, w2, #'0'
        sub     x11, x11, #1
        strb    w2, [x11]
        mov     x0, x1
        cbnz    x0, 1b
        mov     x0, x11
        bl      puts
        add     sp, sp, #32
        ldr     x30, [sp], #16
        ret

// "<name>: <sum / ITERATIONS> cycles (<ITERATIONS> iterations)\n", then PSCI SYSTEM_OFF.
report:
        bl      puts
        adr     x0, s_colon
        bl      puts
        mov     x0, #ITERATIONS
        udiv    x0, x23, x0
        bl      putdec
        adr     x0, s_cycles
        bl      puts
        mov     x0, #ITERATIONS
        bl      putdec
        adr     x0, s_iterations
        bl      puts
system_off:
        movz    w0, #0x0008                 // PSCI SYSTEM_OFF (DEN0022: 0x8400_0008), handled by
        movk    w0, #0x8400, lsl #16        // KVM: KVM_EXIT_SYSTEM_EVENT (SHUTDOWN) in the VMM
        hvc     #0
        b       .

vcpu_done:                                  // a second vCPU ends: its thread stops running it
        MOV64   x9, VMM_DONE
        str     x19, [x9]
        b       .

// ---------------------------------------------------------------- exceptions
        .balign 2048
guest_vectors:
        .rept   5
        .balign 128
        b       unexpected
        .endr
        .balign 128                         // current EL with SP_ELx: IRQ
        b       guest_irq
        .rept   10
        .balign 128
        b       unexpected
        .endr

guest_irq:                                  // calls the benchmark's handler (x28)
        stp     x0, x1, [sp, #-128]!
        stp     x2, x3, [sp, #16]
        stp     x4, x5, [sp, #32]
        stp     x6, x9, [sp, #48]
        stp     x10, x11, [sp, #64]
        stp     x12, x13, [sp, #80]
        stp     x14, x15, [sp, #96]
        stp     x24, x30, [sp, #112]
        blr     x28
        ldp     x2, x3, [sp, #16]
        ldp     x4, x5, [sp, #32]
        ldp     x6, x9, [sp, #48]
        ldp     x10, x11, [sp, #64]
        ldp     x12, x13, [sp, #80]
        ldp     x14, x15, [sp, #96]
        ldp     x24, x30, [sp, #112]
        ldp     x0, x1, [sp], #128
        eret

unexpected:                                 // "unexpected exception, ESR_EL1 <decimal>"
        adr     x0, s_unexpected
        bl      puts
        mrs     x0, esr_el1
        bl      putdec
        mov     w0, #'\n'
        bl      putc
        b       system_off

n_hypercall:            .asciz "hypercall"
n_gicd_trap:            .asciz "interrupt-controller-trap"
n_virtual_ipi:          .asciz "virtual-ipi"
n_irq_completion:       .asciz "virtual-irq-completion"
n_vm_switch:            .asciz "vm-switch"
n_io_out:               .asciz "io-latency-out"
n_io_in:                .asciz "io-latency-in"
s_colon:                .asciz ": "
s_cycles:               .asciz " cycles ("
s_iterations:           .asciz " iterations)\n"
s_unexpected:           .asciz "unexpected exception, ESR_EL1 "
        .balign 4
vmm_guest_image_end:
