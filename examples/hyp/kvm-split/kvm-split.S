// kvm-split — a type-2 hypervisor in the split mode of KVM/ARM on ARMv8.0 (Linux 4.x, 2016).
//
// The host kernel runs at EL1 (as the guests do) and owns the machine; a small "lowvisor" at
// EL2 does only what needs EL2: it switches the whole EL1 world between host and guest. A guest
// exit therefore costs two world switches:
//
//   guest (EL1) --trap--> lowvisor (EL2): save guest GP, EL1 sysregs, timer, VGIC (GICH over
//        MMIO), disable traps and Stage 2, restore host EL1 sysregs, switch FP  --ERET--> host (EL1)
//   host handles the exit (a hypercall: nothing; a GICD access: emulate the distributor; the
//        doorbell: kick the I/O backend), flushes pending virtual interrupts, then
//   host --HVC--> lowvisor: save host callee-saved GP, EL1 sysregs, FP; enable traps and Stage 2;
//        restore VGIC, timer, guest EL1 sysregs, FP, GP  --ERET--> guest (EL1)
//
// This is the structure of arch/arm64/kvm/hyp/switch.c (__kvm_vcpu_run) of that time, written
// out in assembly with one macro per register class (../common/kit.inc). Set a breakpoint on
// `guest_exit` (or use the "trap-el2" exception filter) and step through a world switch.
//
// The host is a (small) Linux kernel with a scheduler (../common/sched.inc): each vCPU is a
// thread of its VM's QEMU process, and the I/O backend (vhost worker) and the workqueue's
// kworker are threads too (../common/kvm-host.inc). Roles of the PEs (chosen by the benchmark,
// examples/bench/*.S): PE0 runs VM0's vCPU0 thread (and, for the VM-switch benchmark, VM1's
// vCPU0 thread: HC_YIELD makes the vCPU thread yield, and the scheduler switches the PE to the
// other VM's thread); PE1 runs VM0's vCPU1 thread (virtual IPI), the vhost worker and a kworker
// (io-latency-*: woken through the scheduler), or only its idle task (WFI).
//
// The guest's virtual timer (Linux 4.5 virt/kvm/arm/arch_timer.c, arch/arm/kvm/arm.c): its PPI 27
// firing while the guest runs is an IRQ exit; the world switch disables the timer (TIMER_SAVE),
// so the level-sensitive PPI falls before the host unmasks interrupts and the host's
// kvm_arch_timer_handler is not reached (4.5 only warns if it is). On the exit path
// kvm_timer_sync_hwstate → kvm_timer_update_state sees the saved timer able to fire (ENABLE,
// !IMASK, CVAL <= counter - CNTVOFF) and kvm_timer_update_irq raises the mapped virtual INTID 27;
// kvm_vgic_sync_hwstate re-queues it when the guest has completed the previous one and the
// level is still high. Before the next entry kvm_timer_flush_hwstate sets PPI 27 active in the
// physical distributor (so the re-enabled timer does not exit again) and vgic_flush writes the
// list register with HW = 1, pINTID 27: the guest's EOI deactivates the physical interrupt.
//
// Guest WFI (HCR_EL2.TWI, set with TWE as Linux's HCR_GUEST_FLAGS) exits: kvm_handle_wfx →
// kvm_vcpu_block (../common/kvm-host.inc) puts the vCPU thread to sleep until a virtual interrupt
// is pending or its timer expires. Linux 4.5's kvm_timer_schedule arms an hrtimer for the
// deadline of an enabled virtual timer; on expiry (the host's timer PPI 30, hrtimer_interrupt)
// kvm_timer_expire queues work on the "kvm_arch_timer" workqueue, whose kworker
// (kvm_timer_inject_irq_work) kicks — wakes — the vCPU thread.

// The host kernel's per-CPU data register (TPIDR_EL1) holds this PE's run queue.
        .macro THIS_RQ reg
        mrs     \reg, tpidr_el1
        .endm
        .macro SET_THIS_RQ reg
        msr     tpidr_el1, \reg
        .endm
        .equ KVM_VCPU_KICK, 1               // vgic_inject kicks through kvm_vcpu_kick (kvm-host.inc)
        .equ KVM_ARCH_TIMER_WQ, 1           // 4.5's "kvm_arch_timer" workqueue (its kworker on PE0)
        .equ HOST_TIMER_PPI, 30             // the host kernel's arch timer: the EL1 physical timer

// Assembled as part of a program that first includes ../common/kit.inc, the guest runtime and
// one benchmark (see examples/run/kvm-split-*.S, which `armvirt experiments` also generates).
        .text
        .global _start
_start:
        mov     x0, #0
        bl      hyp_init_pe
        // the physical distributor: enable, SGIs enabled
        MOV64   x1, GICD
        mov     w0, #1
        str     w0, [x1]
        mov     w0, #0xffff
        str     w0, [x1, #0x100]
        // VM0 (VMID 1) and VM1 (VMID 2): one vCPU each on PE0, VM0's vCPU1 on PE1
        VCPU_INIT kvm_vcpu_init, VM0_VCPU0, guest_vcpu0, GUEST_STACK0, VM0, vm0_s2_l1, 1, 0, 0
        .if PE1_ROLE == 1
        VCPU_INIT kvm_vcpu_init, VM0_VCPU1, guest_vcpu1, GUEST_STACK1, VM0, vm0_s2_l1, 1, 1, 1
        .endif
        .if VM_SWITCH
        VCPU_INIT kvm_vcpu_init, VM1_VCPU0, guest_vm1, GUEST_STACK2, VM1, vm1_s2_l1, 2, 0, 0
        .endif
        PSCI_CPU_ON 1, secondary_entry      // start PE1 (x0 = 1 there)
        mov     x0, #0
        b       enter_host

secondary_entry:                            // PE1 at EL2, x0 = 1
        mov     x19, x0
        bl      hyp_init_pe
        mov     x0, x19
        b       enter_host

// Per-PE EL2 set-up: stack, vectors, per-PE data (TPIDR_EL2), GIC CPU interface, Stage-2
// controls. x0 = PE number.
hyp_init_pe:
        EL2_PE_SETUP lowvisor_vectors
        mov     x1, #3
        msr     cnthctl_el2, x1
        msr     cntvoff_el2, xzr
        msr     cptr_el2, xzr
        MOV64   x1, HCR_HOST
        msr     hcr_el2, x1
        isb
        ret

// Drops to the host kernel at EL1 on this PE (x0 = PE number).
enter_host:
        MOV64   x1, EL1_STACK
        lsl     x2, x0, #16
        sub     x1, x1, x2
        msr     sp_el1, x1
        adr     x1, host_vectors
        msr     vbar_el1, x1
        MOV64   x1, 0x30d00800
        msr     sctlr_el1, x1
        mov     x1, #(3 << 20)
        msr     cpacr_el1, x1
        adr     x1, kvm_host_main          // ../common/kvm-host.inc
        msr     elr_el2, x1
        mov     x1, #0x3c5
        msr     spsr_el2, x1
        isb
        eret

// ======================================================================== lowvisor (EL2)
        .balign 2048
lowvisor_vectors:
        .rept   8
        .balign 128
        b       hyp_panic
        .endr
        .balign 128                         // 0x400: synchronous from a lower EL
        stp     x0, x1, [sp, #-16]!
        mrs     x1, tpidr_el2
        ldr     x0, [x1, #PCPU_VCPU]
        cbz     x0, host_call               // no vCPU loaded: the host asks for something
        mov     x1, #0                      // exit reason: trap
        b       guest_exit
        .balign 128                         // 0x480: IRQ from a lower EL (only while a guest runs)
        stp     x0, x1, [sp, #-16]!
        mrs     x1, tpidr_el2
        ldr     x0, [x1, #PCPU_VCPU]
        mov     x1, #1                      // exit reason: IRQ (the host takes it once back at EL1)
        b       guest_exit
        .rept   6
        .balign 128
        b       hyp_panic
        .endr

hyp_panic:
        mov     x0, #98
        b       machine_exit

// The host's HVC: x0 = 1 (run vCPU x1). Anything else returns to the host.
host_call:
        ldp     x0, x1, [sp], #16
        cmp     x0, #1
        b.ne    1f
        b       switch_to_guest
1:      eret

// Host → guest (x1 = vCPU context). Host caller-saved registers are not preserved (the host
// called us as a function).
switch_to_guest:
        mrs     x2, tpidr_el2
        ldr     x0, [x2, #PCPU_HOST]
        SAVE_HOST_GP x0, host
        mrs     x3, elr_el2
        str     x3, [x0, #CTX_PC]
        mrs     x3, spsr_el2
        str     x3, [x0, #CTX_PSTATE]
        EL1_SAVE x0, host
        FP_SAVE x0, host
        mrs     x2, tpidr_el2
        str     x1, [x2, #PCPU_VCPU]
        mov     x0, x1
        TRAPS_ACTIVATE x0, guest
        VGIC_RESTORE x0, guest
        TIMER_RESTORE x0, guest
        EL1_RESTORE x0, guest
        FP_RESTORE x0, guest
        ldr     x2, [x0, #CTX_PC]
        msr     elr_el2, x2
        ldr     x2, [x0, #CTX_PSTATE]
        msr     spsr_el2, x2
        RESTORE_GUEST_GP guest
        eret

// Guest → host. x0 = vCPU context, x1 = exit reason; the guest's x0/x1 are on the EL2 stack.
guest_exit:
        SAVE_GUEST_GP x0, guest
        str     x1, [x0, #CTX_EXIT]
        mrs     x2, elr_el2
        str     x2, [x0, #CTX_PC]
        mrs     x2, spsr_el2
        str     x2, [x0, #CTX_PSTATE]
        mrs     x2, esr_el2
        str     x2, [x0, #CTX_ESR]
        mrs     x2, hpfar_el2
        str     x2, [x0, #CTX_HPFAR]
        mrs     x2, far_el2
        str     x2, [x0, #CTX_FAR]
        EL1_SAVE x0, guest
        TIMER_SAVE x0, guest
        VGIC_SAVE x0, guest
        TRAPS_DEACTIVATE guest
        mrs     x2, tpidr_el2
        str     xzr, [x2, #PCPU_VCPU]
        ldr     x1, [x2, #PCPU_HOST]
        EL1_RESTORE x1, host
        FP_SAVE x0, guest
        FP_RESTORE x1, host
        ldr     x2, [x1, #CTX_PC]
        msr     elr_el2, x2
        ldr     x2, [x1, #CTX_PSTATE]
        msr     spsr_el2, x2
        RESTORE_HOST_GP x1, host
        ldr     x0, [x0, #CTX_EXIT]         // the host's HVC returns the exit reason
        eret

// ======================================================================== host kernel (EL1)
        .balign 2048
host_vectors:
        .rept   5
        .balign 128
        b       host_panic
        .endr
        .balign 128                         // 0x280: IRQ at EL1 (SPx)
        b       host_irq
        .rept   10
        .balign 128
        b       host_panic
        .endr

host_panic:
        mov     x0, #97
        b       machine_exit

// The vCPU run loop (KVM's kvm_arch_vcpu_ioctl_run) of a vCPU thread: x19 = vCPU context,
// x28 = this PE. cond_resched() first (the loop's scheduling point), then with interrupts off
// flush the pending virtual interrupts and run the guest; a physical interrupt that made the
// guest exit is taken (host_irq) once interrupts are back on.
host_run_vcpu:
        bl      cond_resched
        msr     daifset, #2
        mov     x0, x19
        bl      kvm_timer_flush_hwstate
        mov     x0, x19
        bl      vgic_flush                  // pending virtual interrupts → list registers
        mov     x0, #1
        mov     x1, x19
        hvc     #0                          // run the guest until it exits
        mov     x20, x0
        msr     daifclr, #2                 // a physical interrupt that caused the exit is taken here
        isb
        msr     daifset, #2
        mov     x0, x19                     // the timer before the vgic, so that the vgic sees
        bl      kvm_timer_sync_hwstate      // the updated level of the timer's line
        mov     x0, x19
        bl      kvm_vgic_sync_hwstate
        cbnz    x20, host_run_vcpu          // IRQ exit: nothing more to do
        mov     x0, x19
        bl      host_handle_trap
        cbz     x0, host_run_vcpu
        // HC_YIELD: the vCPU thread yields the PE (sched_yield); the scheduler switches to the
        // other runnable thread (the other VM's vCPU thread) and this one continues here when
        // it is picked again
        bl      yield
        b       host_run_vcpu

// kvm_arch_vcpu_load / kvm_arch_vcpu_put of Linux 4.5 (arch/arm/kvm/arm.c), from the preempt
// notifiers: split mode switches no state here (the world switch does it all on every entry
// and exit); the vCPU only learns its PE and the host context of that PE.
kvm_arch_vcpu_load:                         // x0 = vCPU
        THIS_RQ x1
        ldr     x2, [x1, #RQ_CPU]
        str     x2, [x0, #CTX_CPU]          // vcpu->cpu = cpu
        MOV64   x3, HOST_CTX                // host_cpu_context = this_cpu_ptr(kvm_host_cpu_state)
        add     x3, x3, x2, lsl #12
        str     x3, [x0, #CTX_HOST_CPU_CONTEXT]
        str     x0, [x1, #RQ_KVM_RUNNING_VCPU]  // kvm_arm_set_running_vcpu(vcpu)
        ret

kvm_arch_vcpu_put:                          // x0 = vCPU
        str     xzr, [x0, #CTX_TIMER_ACTIVE_CLEARED] // kvm_timer_vcpu_put: the cached state is stale
        mov     x1, #-1
        str     x1, [x0, #CTX_CPU]          // vcpu->cpu = -1
        THIS_RQ x1
        str     xzr, [x1, #RQ_KVM_RUNNING_VCPU]
        ret

// ------------------------------------------------------------------------ virtual timer
// kvm_arch_timer_handler (Linux 4.5): the world switch disables the guest's timer before the
// host unmasks interrupts, so the host should never take PPI 27; 4.5 only warns if it does.
kvm_arch_timer_handler:
        ret

// kvm_timer_should_fire(vcpu x0) → x0: kvm_timer_irq_can_fire (the saved CNTV_CTL has ENABLE
// and not IMASK) && CVAL <= kvm_phys_timer_read() - cntvoff.
kvm_timer_should_fire:
        ldr     x1, [x0, #CTX_TIMER]        // timer->cntv_ctl
        and     x1, x1, #3
        cmp     x1, #1
        b.ne    8f
        ldp     x1, x2, [x0, #CTX_TIMER + 8] // timer->cntv_cval, kvm->arch.timer.cntvoff
        isb                                 // arch_counter_get_cntvct (the host's CNTVOFF is 0)
        mrs     x3, cntvct_el0
        sub     x3, x3, x2
        cmp     x1, x3
        cset    x0, ls
        ret
8:      mov     x0, #0
        ret

// kvm_timer_update_irq(vcpu x0, new_level x1): record the line's level and tell the vgic
// (kvm_vgic_inject_mapped_irq): a raised level makes virtual INTID 27 pending on the vCPU
// (vgic_inject: it runs on this PE, no kick); a lowered one withdraws a not yet queued request.
kvm_timer_update_irq:
        str     xzr, [x0, #CTX_TIMER_ACTIVE_CLEARED]
        str     x1, [x0, #CTX_TIMER_LEVEL]
        cbz     x1, 1f
        ldr     x2, [x0, #CTX_PCPU]
        mov     x1, #HOST_VTIMER_IRQ
        b       vgic_inject
1:      add     x0, x0, #CTX_PENDING
        mov     x1, #(1 << HOST_VTIMER_IRQ)
        b       atomic_clear

// kvm_timer_update_state(vcpu x0): if kvm_timer_should_fire differs from the level, update it.
kvm_timer_update_state:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        bl      kvm_timer_should_fire
        ldr     x1, [x19, #CTX_TIMER_LEVEL]
        cmp     x0, x1
        b.eq    9f
        mov     x1, x0
        mov     x0, x19
        bl      kvm_timer_update_irq
9:      ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// kvm_timer_sync_hwstate(vcpu x0), after every exit: the guest may have changed its timer, or
// it may have expired (the physical interrupt that made it exit): update the line.
kvm_timer_sync_hwstate:
        b       kvm_timer_update_state

// kvm_timer_flush_hwstate(vcpu x0), before every entry: update the line; then the physical
// active state of PPI 27 (irq_set_irqchip_state → GICD_ISACTIVER0/ICACTIVER0): active while the
// line is raised or the guest has the virtual interrupt active, so that the timer, re-enabled by
// the world switch, does not make the guest exit again before the guest has handled it; clear
// otherwise, so that the next expiry exits. Linux 4.5 wrote the distributor on every entry; we
// keep the "cleared last time" cache (timer->active_cleared_last) Linux added soon after, so a
// vCPU whose timer is idle pays no GICD write per entry.
kvm_timer_flush_hwstate:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        bl      kvm_timer_update_state
        ldr     x1, [x19, #CTX_TIMER_LEVEL] // phys_active = timer->irq.level ||
        cbnz    x1, 2f
        mov     x0, x19                     //   kvm_vgic_map_is_active(vcpu, 27)
        bl      kvm_vgic_map_is_active
        cbnz    x0, 2f
        ldr     x1, [x19, #CTX_TIMER_ACTIVE_CLEARED]
        cbnz    x1, 9f
        MOV64   x2, GICD
        mov     w3, #(1 << HOST_VTIMER_IRQ)
        str     w3, [x2, #0x380]            // GICD_ICACTIVER0
        mov     x1, #1
        str     x1, [x19, #CTX_TIMER_ACTIVE_CLEARED]
        b       9f
2:      MOV64   x2, GICD
        mov     w3, #(1 << HOST_VTIMER_IRQ)
        str     w3, [x2, #0x300]            // GICD_ISACTIVER0
        str     xzr, [x19, #CTX_TIMER_ACTIVE_CLEARED]
9:      ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// kvm_timer_vcpu_init (vcpu x0): hrtimer_init(&timer->timer) with kvm_timer_expire, and
// INIT_WORK(&timer->expired, kvm_timer_inject_irq_work).
kvm_timer_vcpu_init:
        adr     x1, kvm_timer_expire
        str     x1, [x0, #CTX_BG_TIMER + HRT_FUNCTION]
        str     xzr, [x0, #CTX_BG_TIMER + HRT_STATE]
        adr     x1, kvm_timer_inject_irq_work
        str     x1, [x0, #CTX_TIMER_WORK + WORK_FUNC]
        ret

// kvm_arch_vcpu_blocking → kvm_timer_schedule (vcpu x0), as the vCPU blocks: nothing if the
// timer should already fire (kvm_vcpu_block will not sleep) or cannot fire (disabled or
// masked); else timer_arm: the hrtimer at now + kvm_timer_compute_delta, armed = true.
kvm_arch_vcpu_blocking:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        bl      kvm_timer_should_fire
        cbnz    x0, 9f
        ldr     x1, [x19, #CTX_TIMER]       // kvm_timer_irq_can_fire
        and     x1, x1, #3
        cmp     x1, #1
        b.ne    9f
        mov     x0, x19
        bl      kvm_timer_compute_delta
        mov     x1, x0
        mov     x2, #1
        str     x2, [x19, #CTX_TIMER_ARMED]
        mov     x0, x19
        bl      kvm_timer_arm
9:      ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// kvm_arch_vcpu_unblocking → kvm_timer_unschedule (vcpu x0): timer_disarm: if armed, cancel
// the hrtimer (cancel_work_sync of a work that already ran or was never queued: not modelled).
kvm_arch_vcpu_unblocking:
        ldr     x1, [x0, #CTX_TIMER_ARMED]
        cbz     x1, 9f
        str     xzr, [x0, #CTX_TIMER_ARMED]
        add     x0, x0, #CTX_BG_TIMER
        b       hrtimer_cancel
9:      ret

// kvm_timer_expire (the hrtimer's function, x0 = &timer->timer, in the host's timer interrupt):
// if the guest's deadline is still ahead (rounding), forward the hrtimer and restart; else
// queue_work(wqueue, &timer->expired) on the kvm_arch_timer workqueue. Returns x0 = restart.
kvm_timer_expire:
        stp     x29, x30, [sp, #-32]!
        stp     x19, x20, [sp, #16]
        mov     x19, x0
        sub     x0, x19, #CTX_BG_TIMER
        bl      kvm_timer_compute_delta
        cbz     x0, 2f
        mov     x1, x0                      // hrtimer_forward_now(hrt, ns)
        mov     x0, x19
        bl      hrtimer_forward_now
        mov     x0, #1                      // HRTIMER_RESTART
        b       9f
2:      add     x0, x19, #(CTX_TIMER_WORK - CTX_BG_TIMER)
        adr     x1, worker_pool0            // create_singlethread_workqueue: an unbound worker,
        bl      queue_work                  //   here the one on this PE
        mov     x0, #0                      // HRTIMER_NORESTART
9:      ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// kvm_timer_inject_irq_work (x0 = &timer->expired), on the kworker: armed = false,
// WARN_ON(!kvm_timer_should_fire(vcpu)), kvm_vcpu_kick: the blocked vCPU thread is woken and
// sees the expired timer (kvm_cpu_has_pending_timer); the next entry injects vINTID 27.
kvm_timer_inject_irq_work:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        sub     x19, x0, #CTX_TIMER_WORK
        str     xzr, [x19, #CTX_TIMER_ARMED]
        mov     x0, x19
        bl      kvm_timer_should_fire
        mov     x0, x19
        THIS_RQ x1
        ldr     x1, [x1, #RQ_CPU]
        bl      kvm_vcpu_kick
        ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// kvm_vgic_map_is_active(vcpu x0) → x0: the mapped interrupt's list register (as the last exit
// saved it) is active.
kvm_vgic_map_is_active:
        ldr     x1, [x0, #CTX_MAPPED_LR]
        cbz     x1, 8f
        add     x2, x0, #CTX_LR - 8
        add     x2, x2, x1, lsl #3
        ldr     w3, [x2]
        ubfx    x0, x3, #29, #1             // GICH_LR state: active bit
        ret
8:      mov     x0, #0
        ret

// kvm_vgic_sync_hwstate(vcpu x0), the part for mapped interrupts (vgic_sync_hwirq →
// process_queued_irq): once the guest has completed the mapped interrupt (its list register,
// as saved, is invalid), the LR is free; if the timer's line is still high (it expired again
// without an exit in between), the interrupt is pending again.
kvm_vgic_sync_hwstate:
        ldr     x1, [x0, #CTX_MAPPED_LR]
        cbz     x1, 9f
        add     x2, x0, #CTX_LR - 8
        add     x2, x2, x1, lsl #3
        ldr     w3, [x2]
        tst     w3, #(3 << 28)
        b.ne    9f                          // still pending or active in its LR
        str     xzr, [x0, #CTX_MAPPED_LR]
        ldr     x1, [x0, #CTX_TIMER_LEVEL]  // vgic_dist_irq_get_level
        cbz     x1, 9f
        add     x0, x0, #CTX_PENDING
        mov     x1, #(1 << HOST_VTIMER_IRQ)
        b       atomic_or
9:      ret

        .include "../common/handle-exit.inc"   // host_handle_trap
        .include "../common/runtime.inc"
        .include "../common/sched.inc"
        .include "../common/kvm-host.inc"

        .data
        STAGE2  vm0_s2_l1, vm0_s2_l2, vm0_s2_l3
        STAGE2  vm1_s2_l1, vm1_s2_l2, vm1_s2_l3
