// xen-style — a type-1 hypervisor written after Xen on ARM 4.5/4.6 (xen/arch/arm, 2015-16): it owns
// EL2 and runs every VM (Dom0, which hosts the I/O backend, and guest VMs) at EL1/EL0. It never
// leaves EL2 to handle a trap. Each block below names the Xen function it corresponds to; the
// code does what that function does on these paths (same memory, system-register and GIC
// accesses, locks and lists), in assembly and for the few cases our benchmarks reach.
//
//   every trap      arm64/entry.S `entry`: the whole guest frame (x0..x30, SP_EL0/EL1, ELR/SPSR_EL1,
//                   ELR/SPSR_EL2) on the vCPU's own hypervisor stack; enter_hypervisor_head →
//                   gic_clear_lrs (GICH_HCR read-modify-write and the vgic lock on every trap, as
//                   Xen 4.5 does; every in-use LR read back over MMIO); on the way out
//                   leave_hypervisor_tail (softirqs, gic_inject).
//   hypercall       do_trap_hypercall through the hypercall table (no EL1/FP/VGIC/timer switch).
//   GICD access     do_trap_data_abort_guest → gva_to_ipa (AT S1E1R) → handle_mmio (the domain's
//                   MMIO handler table) → vgic_v2_distr_mmio_read/write → advance_pc.
//   physical IRQ    GICv2 with EOImode = 1: gic_interrupt reads GICC_IAR until spurious; do_sgi:
//                   EOIR (priority drop), DIR (deactivate); pending virtual interrupts reach the
//                   list registers in gic_inject on the way back to the guest.
//   virtual timer   time.c: the guest's timer firing while it runs raises PPI 27 → do_IRQ →
//                   vtimer_interrupt: save CNTV_CTL, set its IMASK (the line falls), and
//                   vgic_vcpu_inject_irq(current, 27) (a plain virtual interrupt, no HW bit);
//                   EOIR + DIR as for any Xen IRQ. The guest's handler re-arms the timer. While
//                   the vCPU is descheduled, virt_timer_save hands the deadline to a Xen timer
//                   (virt_timer_expired: masks the saved CNTV_CTL, injects 27).
//   vIRQ inject     vgic_vcpu_inject_irq: rank lock (priority), vgic lock, inflight/lr_pending
//                   lists, an LR write when the target is running here, else vcpu_unblock and an
//                   EVENT_CHECK SGI to the target's PE.
//   VM switch       schedule() (common/schedule.c) with the credit scheduler (sched_credit.c: per-PE
//                   run queue, burn_credits, slice timer on the timer heap → CNTHP_CVAL_EL2 in the
//                   TIMER softirq), context_switch → __context_switch (per-vCPU hypervisor stacks)
//                   → schedule_tail: ctxt_switch_from/ctxt_switch_to (p2m VTTBR/SCTLR/HCR, EL1
//                   system registers, virt_timer_save/restore, VFP, gic_save_state/restore_state).
//   WFI             HCR_EL2.TWI (as Xen sets it): vcpu_block_unless_event_pending → schedule → idle.
//   event channels  evtchn_send → evtchn_2l_set_pending on the receiver's shared_info →
//                   vcpu_mark_events_pending → vgic_vcpu_inject_irq(PPI 31) → vcpu_wake →
//                   __runq_tickle → SCHEDULE softirq / SGI on the receiver's PE.
//
// Dom0 (VMID 3) runs on PE1 a small Linux-like kernel (EL1) and the I/O backend as a user process
// (EL0) that talks to /dev/xen/evtchn: it blocks in read() (the kernel switches to its idle task,
// whose WFI traps to Xen, which deschedules Dom0), is woken by the event upcall (evtchn_interrupt
// → wake_up), and notifies a guest with ioctl(IOCTL_EVTCHN_NOTIFY) → EVTCHNOP_send hypercall.
//
// Differences from real Xen, kept because the benchmark guests are shared with the KVM examples:
//  - the guests issue HVC #0 with the call number in x0 (Xen: HVC #0xEA1, number in x16; HVC #0
//    would be PSCI); the calls are our HC_* functions dispatched through a hypercall table;
//  - a guest's I/O doorbell is an MMIO write to an unmapped IPA (a PV frontend would make an
//    EVTCHNOP_send hypercall): an MMIO handler registered for it sends the event to Dom0;
//  - the benchmark guests have no PV event-channel code (nothing would clear their shared_info
//    bits), so Dom0's notification reaches a guest as the virtual SPI VIRQ_EVENT through the same
//    vgic_vcpu_inject_irq; Dom0 itself receives real 2-level event channels on PPI 31;
//  - the credit scheduler's rate limit is off (sched_ratelimit_us=0 on the Xen command line), or
//    a yield within 1 ms of being scheduled would not switch; load balancing between PEs, the
//    credit accounting tick and runstate areas in guest memory (our guests register none) are
//    not modelled; vCPUs are pinned.
//
// Assembled after ../common/kit.inc, the guest runtime and one benchmark (examples/run/).

// ================================================================ data layouts
// struct vcpu: the kit's context (CTX_*: EL1 registers, FP, VGIC and timer save areas, VTTBR)
// followed by Xen's own fields, in the same 4 KiB page.
        .if CTX_SIZE > 0x600
        .error "xen-style keeps its struct vcpu fields from offset 0x600 of each context"
        .endif
        .equ V_SAVED,       0x600           // __context_switch: x19..x28, x29, sp, lr
        .equ V_STACK,       0x670           // top of this vCPU's hypervisor stack
        .equ V_DOMAIN,      0x678
        .equ V_PAUSE,       0x680           // pause_flags: bit 0 _VPF_blocked, bit 1 _VPF_down
        .equ V_PAUSE_CNT,   0x688           // pause_count
        .equ V_RUNNING,     0x690           // is_running
        .equ V_RS_STATE,    0x698           // runstate.state
        .equ V_RS_ENTRY,    0x6a0           // runstate.state_entry_time
        .equ V_RS_TIME,     0x6a8           // runstate.time[4]
        .equ V_IDLE,        0x6c8           // an idle vCPU
        .equ V_RUNQ,        0x6d0           // csched_vcpu.runq_elem (next, prev)
        .equ V_PRI,         0x6e0
        .equ V_CREDIT,      0x6e8
        .equ V_START,       0x6f0           // start_time
        .equ V_RESIDUAL,    0x6f8
        .equ V_SFLAGS,      0x700           // csched flags: bit 0 CSCHED_FLAG_VCPU_YIELD
        .equ V_VGIC_LOCK,   0x708
        .equ V_LR_PENDING,  0x710           // list head (next, prev)
        .equ V_INFLIGHT,    0x720           // list head (next, prev)
        .equ V_LR_MASK,     0x730           // saved per-PE lr_mask
        .equ V_VTIMER,      0x738           // struct timer of the virtual timer (T_*)
        .equ V_CSSELR,      0x768
        .equ V_FRAME,       0x770           // guest_cpu_user_regs()
        .equ V_PIRQ,        0x800           // pending_irq[32]: SGIs and PPIs (P_*)

        // struct pending_irq (64 bytes)
        .equ P_STATUS,      0x00            // GIC_IRQ_GUEST_* bits
        .equ P_IRQ,         0x08
        .equ P_LR,          0x0c
        .equ P_PRIO,        0x10
        .equ P_INFLIGHT,    0x18            // list node (next, prev)
        .equ P_LRQ,         0x28            // lr_queue list node (next, prev)
        .equ P_SIZE,        0x40
        .equ GUEST_QUEUED,  0
        .equ GUEST_ACTIVE,  1
        .equ GUEST_VISIBLE, 2
        .equ GUEST_ENABLED, 3
        .equ LR_INVALID,    0xff

        // struct timer
        .equ T_EXPIRES,     0x00
        .equ T_HEAP,        0x08            // heap_offset (0: not in the heap)
        .equ T_FN,          0x10
        .equ T_DATA,        0x18
        .equ T_CPU,         0x20
        .equ T_STATUS,      0x28            // 0 inactive, 1 in heap
        .equ T_SIZE,        0x30

        // struct domain
        .equ D_ID,          0x00
        .equ D_VCPU0,       0x08
        .equ D_VCPU1,       0x10
        .equ D_MAX_VCPUS,   0x18
        .equ D_SHINFO,      0x20            // shared_info page
        .equ D_PAUSE_CNT,   0x28
        .equ D_VTTBR,       0x30
        .equ D_VGIC_CTLR,   0x38
        .equ D_VGIC_DBASE,  0x40
        .equ D_RANK_LOCK,   0x48            // vgic rank 0 lock
        .equ D_PRIO,        0x50            // rank priorities of INTIDs 0..63 (bytes)
        .equ D_EVTCHN_IRQ,  0x90
        .equ D_EVTCHN,      0x98            // evtchn[4] (E_*)
        .equ D_EVTCHN_OPS,  0x118           // set_pending of this domain's event ABI
        .equ D_POLL_MASK,   0x120
        .equ D_NR_IO,       0x128
        .equ D_IO,          0x130           // io_handlers: {addr, size, read, write} x 2
        .equ D_VPIDR,       0x170
        .equ D_PAGE_REF,    0x178           // reference count of the pages copy_from_guest maps
        .equ D_SPIS,        0x200           // pending_irq[8] of the SPIs 32..39
        .equ D_SIZE,        0x400
        .equ IO_SIZE,       0x20
        .equ E_STATE,       0x00            // 32-bit
        .equ E_LOCK,        0x04            // the channel's lock
        .equ E_RDOM,        0x08
        .equ E_RPORT,       0x10
        .equ E_VCPU,        0x18
        .equ E_SIZE,        0x20
        .equ ECS_INTERDOMAIN, 3

        // struct shared_info (public/xen.h, 64-bit)
        .equ SH_UPCALL_PENDING, 0x00        // vcpu_info[0].evtchn_upcall_pending
        .equ SH_PENDING_SEL,    0x08        // vcpu_info[0].evtchn_pending_sel
        .equ SH_EVTCHN_PENDING, 0x800
        .equ SH_EVTCHN_MASK,    0xa00

        // per-PE data (TPIDR_EL2): curr_vcpu, schedule_data, softirq_pending, timers, lr_mask
        .equ PC_CURR,       0x00            // current (the kit's PCPU_VCPU)
        .equ PC_ID,         0x10            // the kit's PCPU_ID
        .equ PC_IDLE,       0x18            // idle_vcpu[cpu]
        .equ PC_SOFTIRQ,    0x20
        .equ PC_LR_MASK,    0x28
        .equ PC_SCHED_LOCK, 0x30
        .equ PC_SD_CURR,    0x38            // schedule_data.curr (curr_on_cpu)
        .equ PC_RUNQ,       0x40            // the credit run queue (list head: next, prev)
        .equ PC_STIMER,     0x50            // schedule_data.s_timer (struct timer)
        .equ PC_TIMERS_LOCK, 0x80
        .equ PC_HEAP,       0x88            // timer heap: [0] = size, [1..7] = timers
        .equ PC_DEADLINE,   0xc8            // timer_deadline
        .equ PC_PREEMPT,    0xd0            // preempt_count
        .equ PC_TASKLET,    0xd8            // tasklet_work_to_do
        .equ PC_SIZE,       0x100

        // struct cpu_user_regs (arm64): the trap frame
        .equ UREGS_LR,      0xf0
        .equ UREGS_SP,      0xf8
        .equ UREGS_PC,      0x100
        .equ UREGS_CPSR,    0x108
        .equ UREGS_SPSR_EL1, 0x110          // end of the hypervisor-mode frame
        .equ UREGS_SP_EL0,  0x118
        .equ UREGS_SP_EL1,  0x120
        .equ UREGS_ELR_EL1, 0x128
        .equ UREGS_SIZE,    0x130

        .equ TIMER_SOFTIRQ,     0
        .equ SCHEDULE_SOFTIRQ,  1
        .equ RUNSTATE_RUNNING,  0
        .equ RUNSTATE_RUNNABLE, 1
        .equ RUNSTATE_BLOCKED,  2
        .equ PRI_TS_BOOST,      0
        .equ PRI_TS_UNDER,      -1
        .equ PRI_TS_OVER,       -2
        .equ PRI_IDLE,          -64
        .equ GIC_SGI_EVENT_CHECK, 0
        .equ EVTCHN_PPI,        31          // GUEST_EVTCHN_PPI
        .equ CNTHP_PPI,         26
        .equ VTIMER_PPI,        27          // the EL1 virtual timer (timer_irq[TIMER_VIRT_PPI])
        .equ GICH_HCR_EN,       1
        .equ GICH_HCR_UIE,      2
        .equ EVTCHNOP_SEND,     4
        .equ EVTCHNOP_UNMASK,   9
        .equ IO_PORT,           1           // the I/O event channel's port in both domains
        .equ VSTACK_SIZE,       0x2000
        .equ NS_PER_SEC,        1000000000
        .equ CNT_HZ,            62500000    // CNTFRQ_EL0 of the board
        .equ TSLICE_MS,         30          // sched_credit_tslice_ms default
        .equ TIMER_SLOP_NS,     50000       // timer_slop default (50 us)

// ================================================================ boot
        .text
        .global _start
_start:
        mov     x0, #0
        bl      percpu_init
        mov     x0, #1
        bl      percpu_init
        mov     x0, #0
        bl      xen_init_pe
        MOV64   x1, GICD                    // gic_dist_init: enable; SGIs, the CNTHP PPI and the
        mov     w0, #1                      // virtual timer's PPI (init_timer_interrupt: request_irq)
        str     w0, [x1]
        MOV64   x0, 0x0c00ffff
        str     w0, [x1, #0x100]
        // domains and vCPUs (domain_create / alloc_vcpu / arch_set_info_guest)
        adr     x0, dom_vm0
        mov     x1, #1
        bl      domain_init
        VCPU_INIT vcpu_init, VM0_VCPU0, guest_vcpu0, GUEST_STACK0, VM0, vm0_s2_l1, 1, 0, 0
        MOV64   x0, VM0_VCPU0
        adr     x1, dom_vm0
        adr     x2, vstack_vm0_0 + VSTACK_SIZE
        bl      xen_vcpu_init
        .if PE1_ROLE == 1
        VCPU_INIT vcpu_init, VM0_VCPU1, guest_vcpu1, GUEST_STACK1, VM0, vm0_s2_l1, 1, 1, 1
        MOV64   x0, VM0_VCPU1
        adr     x1, dom_vm0
        adr     x2, vstack_vm0_1 + VSTACK_SIZE
        bl      xen_vcpu_init
        .endif
        .if PE1_ROLE == 2
        adr     x0, dom_dom0
        mov     x1, #0
        bl      domain_init
        VCPU_INIT vcpu_init, DOM0_VCPU0, dom0_main, GUEST_STACK3, DOM0, dom0_s2_l1, 3, 0, 1
        MOV64   x0, DOM0_VCPU0
        adr     x1, dom_dom0
        adr     x2, vstack_dom0 + VSTACK_SIZE
        bl      xen_vcpu_init
        bl      io_channel_init
        .endif
        .if VM_SWITCH
        adr     x0, dom_vm1
        mov     x1, #2
        bl      domain_init
        VCPU_INIT vcpu_init, VM1_VCPU0, guest_vm1, GUEST_STACK2, VM1, vm1_s2_l1, 2, 0, 0
        MOV64   x0, VM1_VCPU0
        adr     x1, dom_vm1
        adr     x2, vstack_vm1_0 + VSTACK_SIZE
        bl      xen_vcpu_init
        .endif
        PSCI_CPU_ON 1, xen_secondary        // start PE1 (x0 = 1 there)
        b       idle_loop                   // PE0's idle vCPU schedules the first vCPU

xen_secondary:
        bl      xen_init_pe
        b       idle_loop

// Per-PE hardware set-up (x0 = PE): the kit's EL2 basics, then Xen's: TPIDR_EL2 = this PE's
// per-cpu area, HCR_EL2 as init_traps sets it (traps WFI), GICC with EOImode = 1 (gicv2_cpu_init).
xen_init_pe:
        mov     x19, x0
        mov     x20, x30
        EL2_PE_SETUP hyp_traps_vector
        adr     x1, xen_percpu
        add     x1, x1, x19, lsl #8
        msr     tpidr_el2, x1
        mov     x1, #1
        msr     cnthctl_el2, x1
        msr     cntvoff_el2, xzr
        msr     cptr_el2, xzr
        MOV64   x1, HCR_GUEST_TWI
        msr     hcr_el2, x1
        MOV64   x1, GICC
        mov     w2, #0x201                  // EOImodeNS | Enable
        str     w2, [x1]
        isb
        mov     x30, x20
        ret

// Per-PE data of PE x0 (done by PE0 for both before PE1 starts): the idle vCPU (HOST_CTX + 4K*PE,
// on the PE's boot stack), empty run queue and timer heap, the scheduler's slice timer.
percpu_init:
        adr     x1, xen_percpu
        add     x1, x1, x0, lsl #8
        str     x0, [x1, #PC_ID]
        MOV64   x2, HOST_CTX
        add     x2, x2, x0, lsl #12
        str     x2, [x1, #PC_IDLE]
        str     x2, [x1, #PC_CURR]
        str     x2, [x1, #PC_SD_CURR]
        mov     x3, #1
        str     x3, [x2, #V_IDLE]
        str     x3, [x2, #V_RUNNING]
        str     x0, [x2, #CTX_PCPU]
        mov     x3, #PRI_IDLE
        str     x3, [x2, #V_PRI]
        add     x3, x2, #V_RUNQ             // not on a run queue: node points to itself
        stp     x3, x3, [x3]
        adr     x3, dom_idle
        str     x3, [x2, #V_DOMAIN]
        add     x3, x1, #PC_RUNQ
        stp     x3, x3, [x3]
        add     x3, x1, #PC_STIMER
        adr     x4, s_timer_fn
        str     x4, [x3, #T_FN]
        str     x0, [x3, #T_CPU]
        ret

// vgic_init_pending_irq (vgic.c) for virtual INTIDs first..end-1, whose struct pending_irq array
// is at \base + \off: irq = INTID, lr = GIC_INVALID_LR, inflight and lr_queue empty lists; every
// one enabled as the guest's GIC driver would have left it (GUEST_ENABLED). Clobbers x2-x4.
        .macro  VGIC_INIT_PENDING_IRQS base, off, first, end
        add     x2, \base, #\off
        mov     x3, #\first
1:      str     w3, [x2, #P_IRQ]
        mov     w4, #LR_INVALID
        str     w4, [x2, #P_LR]
        mov     x4, #(1 << GUEST_ENABLED)
        str     x4, [x2, #P_STATUS]
        add     x4, x2, #P_INFLIGHT         // INIT_LIST_HEAD(&p->inflight)
        stp     x4, x4, [x4]
        add     x4, x2, #P_LRQ              // INIT_LIST_HEAD(&p->lr_queue)
        stp     x4, x4, [x4]
        add     x2, x2, #P_SIZE
        add     x3, x3, #1
        cmp     x3, #\end
        b.lo    1b
        .endm

// x0 = domain, x1 = domain id.
domain_init:
        str     x1, [x0, #D_ID]
        MOV64   x2, GICD
        str     x2, [x0, #D_VGIC_DBASE]
        mov     x2, #EVTCHN_PPI
        str     x2, [x0, #D_EVTCHN_IRQ]
        MOV64   x2, 0x410fd070              // VPIDR: the MIDR the guest sees
        str     x2, [x0, #D_VPIDR]
        add     x2, x0, #D_PRIO             // every interrupt at priority 0xa0
        mov     x3, #64
        mov     w4, #0xa0
1:      strb    w4, [x2], #1
        subs    x3, x3, #1
        b.ne    1b
        adr     x2, evtchn_2l_set_pending   // the 2-level event channel ABI
        str     x2, [x0, #D_EVTCHN_OPS]
        VGIC_INIT_PENDING_IRQS x0, D_SPIS, 32, 40   // SPIs: pending_irq set up like the private ones
        // MMIO handlers: the distributor (vgic_v2_domain_init → register_mmio_handler)
        mov     x2, #1
        str     x2, [x0, #D_NR_IO]
        add     x2, x0, #D_IO
        MOV64   x3, GICD
        str     x3, [x2, #0]
        mov     x3, #0x1000
        str     x3, [x2, #8]
        adr     x3, vgic_v2_distr_mmio_read
        str     x3, [x2, #16]
        adr     x3, vgic_v2_distr_mmio_write
        str     x3, [x2, #24]
        ret

// Xen's half of a vCPU created by vcpu_init (x0 = ctx, x1 = domain, x2 = hypervisor stack top):
// the initial guest frame on its stack, a first __context_switch into continue_new_vcpu,
// credit-scheduler and vGIC state, and its place on its PE's run queue (vcpu_wake at unpause).
xen_vcpu_init:
        stp     x29, x30, [sp, #-32]!
        stp     x19, x20, [sp, #16]
        mov     x19, x0
        str     x1, [x19, #V_DOMAIN]
        ldr     x3, [x19, #CTX_ID]
        add     x4, x1, #D_VCPU0
        str     x19, [x4, x3, lsl #3]
        add     x3, x3, #1
        ldr     x4, [x1, #D_MAX_VCPUS]
        cmp     x3, x4
        csel    x3, x3, x4, hi
        str     x3, [x1, #D_MAX_VCPUS]
        ldr     x3, [x19, #CTX_VTTBR]
        str     x3, [x1, #D_VTTBR]
        str     x2, [x19, #V_STACK]
        sub     x20, x2, #UREGS_SIZE        // guest_cpu_user_regs()
        str     x20, [x19, #V_FRAME]
        ldp     x3, x4, [x19, #CTX_X]       // x0, x1 of guest_start
        stp     x3, x4, [x20, #0]
        ldr     x3, [x19, #CTX_PC]
        ldr     x4, [x19, #CTX_PSTATE]
        stp     x3, x4, [x20, #UREGS_PC]
        add     x3, x19, #V_SAVED           // saved_context: sp = the frame, lr = continue_new_vcpu
        str     x20, [x3, #88]
        adr     x4, continue_new_vcpu
        str     x4, [x3, #96]
        mov     x3, #PRI_TS_UNDER
        str     x3, [x19, #V_PRI]
        mov     x3, #RUNSTATE_RUNNABLE
        str     x3, [x19, #V_RS_STATE]
        add     x3, x19, #V_LR_PENDING
        stp     x3, x3, [x3]
        add     x3, x19, #V_INFLIGHT
        stp     x3, x3, [x3]
        ldr     w3, [x19, #CTX_VGIC + 0x08] // VMCR: 0 (the guest's GICC starts disabled)
        add     x3, x19, #V_VTIMER
        adr     x4, virt_timer_expired
        str     x4, [x3, #T_FN]
        str     x19, [x3, #T_DATA]
        ldr     x4, [x19, #CTX_PCPU]
        str     x4, [x3, #T_CPU]
        // pending_irq[0..31]; enabled as the guest's GIC driver would have at boot (GICD_ISENABLER0)
        VGIC_INIT_PENDING_IRQS x19, V_PIRQ, 0, 32
        // on its PE's run queue; that PE has a SCHEDULE softirq pending
        ldr     x0, [x19, #CTX_PCPU]
        adr     x1, xen_percpu
        add     x20, x1, x0, lsl #8
        mov     x0, x20
        mov     x1, x19
        bl      runq_insert
        ldr     x0, [x20, #PC_SOFTIRQ]
        orr     x0, x0, #(1 << SCHEDULE_SOFTIRQ)
        str     x0, [x20, #PC_SOFTIRQ]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// The I/O event channel (evtchn_bind_interdomain): guest VM0 port 1 <-> Dom0 port 1; the guest's
// doorbell page is an MMIO region of VM0 whose write handler sends on port 1. The benchmark
// guest has no event-channel code, so VM0 takes its events as the virtual SPI VIRQ_EVENT.
io_channel_init:
        adr     x0, dom_vm0
        adr     x1, dom_dom0
        add     x2, x0, #D_EVTCHN + IO_PORT * E_SIZE
        mov     x3, #ECS_INTERDOMAIN
        str     w3, [x2, #E_STATE]
        str     x1, [x2, #E_RDOM]
        mov     x3, #IO_PORT
        str     x3, [x2, #E_RPORT]
        add     x2, x1, #D_EVTCHN + IO_PORT * E_SIZE
        mov     x3, #ECS_INTERDOMAIN
        str     w3, [x2, #E_STATE]
        str     x0, [x2, #E_RDOM]
        mov     x3, #IO_PORT
        str     x3, [x2, #E_RPORT]
        adr     x2, evtchn_vspi_set_pending
        str     x2, [x0, #D_EVTCHN_OPS]
        adr     x2, xen_shinfo_dom0
        str     x2, [x1, #D_SHINFO]
        adr     x2, xen_shinfo_vm0
        str     x2, [x0, #D_SHINFO]
        mov     x2, #2
        str     x2, [x0, #D_NR_IO]
        add     x2, x0, #D_IO + IO_SIZE
        MOV64   x3, DOORBELL_IPA
        str     x3, [x2, #0]
        mov     x3, #0x1000
        str     x3, [x2, #8]
        adr     x3, doorbell_mmio_read
        str     x3, [x2, #16]
        adr     x3, doorbell_mmio_write
        str     x3, [x2, #24]
        ret

// ================================================================ vectors (arm64/entry.S)
        .balign 2048
hyp_traps_vector:
        .rept   4                           // EL2t
        .balign 128
        b       hyp_bad
        .endr
        .balign 128                         // EL2h synchronous
        b       hyp_bad
        .balign 128                         // EL2h IRQ (the idle loop)
        b       hyp_irq
        .balign 128
        b       hyp_bad
        .balign 128
        b       hyp_bad
        .balign 128                         // lower EL, AArch64: synchronous
        b       xen_guest_sync
        .balign 128                         // lower EL, AArch64: IRQ
        b       xen_guest_irq
        .rept   6
        .balign 128
        b       hyp_bad
        .endr

hyp_bad:
xen_panic:
        mov     x0, #96
        b       machine_exit

// `entry`: push the trap frame (struct cpu_user_regs) on the current (vCPU's) hypervisor stack.
        .macro  XEN_ENTRY hyp, tag
        sub     sp, sp, #(UREGS_SPSR_EL1 - UREGS_LR)
bd_gp_save_\tag:
        stp     x28, x29, [sp, #-16]!
        stp     x26, x27, [sp, #-16]!
        stp     x24, x25, [sp, #-16]!
        stp     x22, x23, [sp, #-16]!
        stp     x20, x21, [sp, #-16]!
        stp     x18, x19, [sp, #-16]!
        stp     x16, x17, [sp, #-16]!
        stp     x14, x15, [sp, #-16]!
        stp     x12, x13, [sp, #-16]!
        stp     x10, x11, [sp, #-16]!
        stp     x8, x9, [sp, #-16]!
        stp     x6, x7, [sp, #-16]!
        stp     x4, x5, [sp, #-16]!
        stp     x2, x3, [sp, #-16]!
        stp     x0, x1, [sp, #-16]!
bd_end_gp_save_\tag:
        .if \hyp == 1
        add     x21, sp, #UREGS_SPSR_EL1
        .else
bd_el1_save_\tag:                           // entry_guest: the guest's EL1 stack/exception state
        add     x21, sp, #UREGS_SPSR_EL1
        mrs     x23, spsr_el1
        str     x23, [x21]
        add     x21, sp, #UREGS_SP_EL0
        mrs     x22, sp_el0
        str     x22, [x21]
        add     x21, sp, #UREGS_SP_EL1
        mrs     x22, sp_el1
        mrs     x23, elr_el1
        stp     x22, x23, [x21]
bd_end_el1_save_\tag:
        movn    x21, #0
        .endif
        stp     x30, x21, [sp, #UREGS_LR]
        mrs     x22, elr_el2
        mrs     x23, spsr_el2
        stp     x22, x23, [sp, #UREGS_PC]
        .endm

hyp_irq:
        XEN_ENTRY 1, hirq
        mov     x0, sp
        bl      do_trap_irq
        b       return_from_trap

xen_guest_sync:
        XEN_ENTRY 0, gsync
        msr     daifclr, #2
        mov     x0, sp
        bl      do_trap_hypervisor
        b       return_to_new_vcpu64        // `exit hyp=0`

xen_guest_irq:
        XEN_ENTRY 0, girq
        mov     x0, sp
        bl      do_trap_irq
        // fall through: `exit hyp=0`

// `exit hyp=0` (also the first entry of a new vCPU): leave_hypervisor_tail, exit_guest,
// return_from_trap.
return_to_new_vcpu64:
        bl      leave_hypervisor_tail
bd_el1_restore_xen:
        add     x21, sp, #UREGS_SPSR_EL1
        ldr     x23, [x21]
        msr     spsr_el1, x23
        add     x21, sp, #UREGS_SP_EL0
        ldr     x22, [x21]
        msr     sp_el0, x22
        add     x21, sp, #UREGS_SP_EL1
        ldp     x22, x23, [x21]
        msr     sp_el1, x22
        msr     elr_el1, x23
bd_end_el1_restore_xen:
return_from_trap:
        msr     daifset, #2
        ldp     x21, x22, [sp, #UREGS_PC]
bd_gp_restore_xen:
        ldp     x0, x1, [sp], #16
        ldp     x2, x3, [sp], #16
        ldp     x4, x5, [sp], #16
        ldp     x6, x7, [sp], #16
        ldp     x8, x9, [sp], #16
        msr     elr_el2, x21
        msr     spsr_el2, x22
        ldp     x10, x11, [sp], #16
        ldp     x12, x13, [sp], #16
        ldp     x14, x15, [sp], #16
        ldp     x16, x17, [sp], #16
        ldp     x18, x19, [sp], #16
        ldp     x20, x21, [sp], #16
        ldp     x22, x23, [sp], #16
        ldp     x24, x25, [sp], #16
        ldp     x26, x27, [sp], #16
        ldp     x28, x29, [sp], #16
        ldr     x30, [sp], #(UREGS_SPSR_EL1 - UREGS_LR)
bd_end_gp_restore_xen:
        eret

// ================================================================ traps (traps.c)
// do_trap_hypervisor(regs x0)
do_trap_hypervisor:
        stp     x29, x30, [sp, #-32]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        mov     x19, x0
        mrs     x20, esr_el2                // hsr
        mov     x0, x19
        bl      enter_hypervisor_head
        ldr     x0, [x19, #UREGS_CPSR]      // 32-bit userspace on a 64-bit kernel: not handled
        tbnz    x0, #4, xen_panic
        lsr     x0, x20, #26                // hsr.ec
        cmp     x0, #ESR_EC_HVC
        b.eq    1f
        cmp     x0, #ESR_EC_DABT
        b.eq    2f
        cmp     x0, #ESR_EC_WFX
        b.eq    3f
        b       xen_panic
1:      mov     x0, x19                     // HSR_EC_HVC64 (see the header: HVC #0 is the hypercall)
        and     x1, x20, #0xffff
        bl      do_trap_hypercall
        b       9f
2:      mov     x0, x19                     // HSR_EC_DATA_ABORT_LOWER_EL
        mov     x1, x20
        bl      do_trap_data_abort_guest
        b       9f
3:      mov     x0, x20                     // HSR_EC_WFI_WFE
        bl      check_conditional_instr
        tbnz    x20, #0, 4f                 // hsr.wfi_wfe.ti: WFE → vcpu_yield (not used)
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_CURR]
        bl      vcpu_block_unless_event_pending
4:      mov     x0, x19
        bl      advance_pc
9:      ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// check_conditional_instr: exception classes >= 0x10 are unconditional; an A64 WFI has
// ESR.CV = 1, COND = 0xe (always). x0 = hsr; returns 1.
check_conditional_instr:
        lsr     x1, x0, #26
        cmp     x1, #0x10
        b.hs    1f
        tbz     x0, #24, 1f                 // ccvalid
        ubfx    x1, x0, #20, #4
        cmp     x1, #0xe
1:      mov     x0, #1
        ret

// advance_pc(regs x0): skip the trapped instruction (A64: 4 bytes).
advance_pc:
        ldr     x1, [x0, #UREGS_CPSR]
        tst     x1, #0x10                   // AArch32 Thumb IT handling not needed
        ldr     x1, [x0, #UREGS_PC]
        add     x1, x1, #4
        str     x1, [x0, #UREGS_PC]
        ret

// enter_hypervisor_head(regs x0): a trap from a guest syncs the list registers back.
enter_hypervisor_head:
        ldr     x1, [x0, #UREGS_CPSR]
        and     x1, x1, #0xf
        cmp     x1, #9                      // EL2h: a hypervisor-mode frame
        b.eq    1f
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_CURR]
        b       gic_clear_lrs
1:      ret

// do_trap_hypercall(regs x0, iss x1): arm_hypercall_table[x0] (HYPERCALL_ARGS: x0..x4).
do_trap_hypercall:
        stp     x29, x30, [sp, #-32]!
        mov     x29, sp
        str     x19, [sp, #16]
        mov     x19, x0
        ldr     x2, [x19, #0]               // the call number (our guests: x0)
        cmp     x2, #HC_DONE + 1
        b.hs    8f
        adr     x3, arm_hypercall_table
        ldr     x3, [x3, x2, lsl #3]
        cbz     x3, 8f
        ldp     x0, x1, [x19, #8]           // arguments x1, x2 (x0 is the number here)
        ldr     x2, [x19, #24]
        blr     x3
        str     x0, [x19, #0]               // HYPERCALL_RESULT_REG
        b       9f
8:      mov     x0, #-38                    // -ENOSYS
        str     x0, [x19, #0]
9:      ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

        .balign 8
arm_hypercall_table:
        .quad   do_nop_hypercall            // HC_NOP
        .quad   do_inject_self              // HC_INJECT_SELF
        .quad   do_sched_op_yield           // HC_YIELD (SCHEDOP_yield)
        .quad   do_event_channel_op         // HC_EVTCHN (x1 = cmd, x2 = arg)
        .quad   do_done                     // HC_DONE

do_nop_hypercall:
        mov     x0, #0
        ret

// A virtual interrupt x0 for the calling vCPU (the virtual-IRQ-completion benchmark's set-up).
do_inject_self:
        stp     x29, x30, [sp, #-16]!
        mov     x1, x0
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_CURR]
        bl      vgic_vcpu_inject_irq
        mov     x0, #0
        ldp     x29, x30, [sp], #16
        ret

do_done:
        b       machine_exit

// do_sched_op(SCHEDOP_yield) → vcpu_yield (do_yield): the scheduler's yield hook
// (csched_vcpu_yield sets CSCHED_FLAG_VCPU_YIELD) under the vCPU's schedule lock, then the
// SCHEDULE softirq, which runs on the way back to the guest.
do_sched_op_yield:
        stp     x29, x30, [sp, #-32]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        mrs     x19, tpidr_el2
        ldr     x20, [x19, #PC_CURR]
        add     x0, x19, #PC_SCHED_LOCK     // vcpu_schedule_lock_irq
        msr     daifset, #2
        bl      _spin_lock
        add     x0, x20, #V_SFLAGS          // csched_vcpu_yield
        mov     x1, #0
        bl      set_bit
        add     x0, x19, #PC_SCHED_LOCK
        bl      _spin_unlock
        msr     daifclr, #2
        mov     x0, #SCHEDULE_SOFTIRQ       // raise_softirq
        bl      raise_softirq
        mov     x0, #0
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// do_trap_data_abort_guest(regs x0, hsr x1)
do_trap_data_abort_guest:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        mov     x20, x1
        mov     x0, x1
        bl      check_conditional_instr
        mrs     x21, far_el2                // info.gva
        tbnz    x20, #7, 8f                 // dabt.s1ptw: not handled
        mov     x0, x21
        bl      gva_to_ipa                  // info.gpa
        mov     x22, x0
        tbz     x20, #24, 8f                // !dabt.valid: would need decoding
        mov     x0, x22
        mov     x1, x20
        mov     x2, x19
        bl      handle_mmio
        cbz     x0, 8f
        mov     x0, x19
        bl      advance_pc
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
8:      b       xen_panic                   // bad_data_abort (Xen injects it into the guest)

// gva_to_ipa(gva x0) → IPA x0 (gva_to_ipa_par: AT S1E1R, keeping the guest's PAR_EL1).
gva_to_ipa:
        mrs     x2, par_el1
        at      s1e1r, x0
        isb
        mrs     x1, par_el1
        msr     par_el1, x2
        tbnz    x1, #0, xen_panic           // PAR.F
        and     x1, x1, #0x0000fffffffff000
        and     x0, x0, #0xfff
        orr     x0, x1, x0
        ret

// handle_mmio(gpa x0, hsr x1, regs x2): the first of the domain's MMIO handlers that covers gpa.
// Returns x0 = 1 if handled.
handle_mmio:
        stp     x29, x30, [sp, #-16]!
        mrs     x3, tpidr_el2
        ldr     x3, [x3, #PC_CURR]
        ldr     x4, [x3, #V_DOMAIN]
        ldr     x5, [x4, #D_NR_IO]
        add     x6, x4, #D_IO
1:      cbz     x5, 8f
        ldp     x7, x8, [x6]                // addr, size
        cmp     x0, x7
        b.lo    2f
        add     x8, x7, x8
        cmp     x0, x8
        b.lo    3f
2:      add     x6, x6, #IO_SIZE
        sub     x5, x5, #1
        b       1b
3:      tst     x1, #(1 << 6)               // dabt.write
        ldr     x7, [x6, #16]
        ldr     x8, [x6, #24]
        csel    x7, x8, x7, ne
        mov     x4, x0                      // gpa (handlers take v, gpa, regs, dabt.reg)
        mov     x0, x3                      // v
        ubfx    x5, x1, #16, #5             // dabt.reg
        mov     x1, x4
        mov     x3, x5
        blr     x7                          // (v, gpa, regs, reg)
        ldp     x29, x30, [sp], #16
        ret
8:      mov     x0, #0
        ldp     x29, x30, [sp], #16
        ret

// select_user_reg(regs, reg): x31 reads as zero / writes are dropped.
// vgic_v2_distr_mmio_read(v x0, gpa x1, regs x2, reg x3)
vgic_v2_distr_mmio_read:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        add     x20, x2, x3, lsl #3         // r = select_user_reg(regs, dabt.reg)
        ldr     x21, [x19, #V_DOMAIN]
        ldr     x0, [x21, #D_VGIC_DBASE]
        sub     x22, x1, x0                 // gicd_reg
        cmp     x22, #0x000                 // GICD_CTLR
        b.ne    1f
        add     x0, x19, #V_VGIC_LOCK       // vgic_lock(v) (Xen 4.6 locks the vCPU's vgic lock)
        bl      _spin_lock
        ldr     x1, [x21, #D_VGIC_CTLR]
        str     x1, [x20]
        add     x0, x19, #V_VGIC_LOCK
        bl      _spin_unlock
        b       9f
1:      cmp     x22, #0x004                 // GICD_TYPER
        b.ne    2f
        add     x0, x19, #V_VGIC_LOCK
        bl      _spin_lock
        ldr     x1, [x21, #D_MAX_VCPUS]
        sub     x1, x1, #1
        lsl     x1, x1, #5
        orr     x1, x1, #1                  // DIV_ROUND_UP(nr_spis, 32)
        str     x1, [x20]
        add     x0, x19, #V_VGIC_LOCK
        bl      _spin_unlock
        b       9f
2:      cmp     x22, #0x008                 // GICD_IIDR: the physical value
        b.ne    3f
        MOV64   x1, 0x0000043b
        str     x1, [x20]
        b       9f
3:      str     xzr, [x20]                  // (other registers: read as zero here)
9:      mov     x0, #1
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// vgic_v2_distr_mmio_write(v x0, gpa x1, regs x2, reg x3)
vgic_v2_distr_mmio_write:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        mov     x20, #0
        cmp     x3, #31
        b.eq    1f
        ldr     x20, [x2, x3, lsl #3]       // *r
1:      ldr     x21, [x19, #V_DOMAIN]
        ldr     x0, [x21, #D_VGIC_DBASE]
        sub     x22, x1, x0
        cmp     x22, #0x000                 // GICD_CTLR
        b.ne    2f
        add     x0, x19, #V_VGIC_LOCK
        bl      _spin_lock
        and     x1, x20, #1
        str     x1, [x21, #D_VGIC_CTLR]
        add     x0, x19, #V_VGIC_LOCK
        bl      _spin_unlock
        b       9f
2:      cmp     x22, #0xf00                 // GICD_SGIR → vgic_v2_to_sgi
        b.ne    9f
        mov     x0, x19
        mov     x1, x20
        bl      vgic_v2_to_sgi
9:      mov     x0, #1
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// vgic_v2_to_sgi(v x0, sgir x1) → vgic_to_sgi: vgic_vcpu_inject_irq for each vCPU of the target
// list (TargetListFilter 0).
vgic_v2_to_sgi:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        ldr     x19, [x0, #V_DOMAIN]
        and     x20, x1, #0xf               // virq
        ubfx    x21, x1, #16, #8            // target list
        ubfx    x2, x1, #24, #2             // irqmode: SGI_TARGET_LIST only
        cbnz    x2, xen_panic
        mov     x22, #0                     // for_each_set_bit(i, &bitmap, 8)
1:      cbz     x21, 9f
        rbit    x0, x21
        clz     x22, x0
        mov     x0, #1
        lsl     x0, x0, x22
        bic     x21, x21, x0
        ldr     x0, [x19, #D_MAX_VCPUS]
        cmp     x22, x0
        b.hs    1b
        add     x0, x19, #D_VCPU0
        ldr     x0, [x0, x22, lsl #3]
        cbz     x0, 1b
        ldr     x1, [x0, #V_PAUSE]          // is_vcpu_online
        tbnz    x1, #1, 1b
        mov     x1, x20
        bl      vgic_vcpu_inject_irq
        b       1b
9:      ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// The guest's doorbell page (our stand-in for a PV frontend's notify_remote_via_evtchn): a write
// sends on the domain's I/O event channel; reads return 0.
doorbell_mmio_read:
        str     xzr, [x2, x3, lsl #3]
        mov     x0, #1
        ret
doorbell_mmio_write:
        stp     x29, x30, [sp, #-16]!
        ldr     x0, [x0, #V_DOMAIN]
        mov     x1, #IO_PORT
        bl      evtchn_send
        mov     x0, #1
        ldp     x29, x30, [sp], #16
        ret

// ================================================================ physical interrupts (gic.c, gic-v2.c)
// GIC_HW_OP op, reg: a call through gic_hw_ops (gicv2_ops below; op = its OPS_* slot), with
// reg as the scratch register for the pointer.
        .macro  GIC_HW_OP op, reg
        adr     \reg, gicv2_ops
        ldr     \reg, [\reg, #\op]
        blr     \reg
        .endm

// do_trap_irq(regs x0) → gic_interrupt: acknowledge until GICC_IAR reads spurious.
do_trap_irq:
        stp     x29, x30, [sp, #-32]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        bl      enter_hypervisor_head
        adr     x19, gicv2_ops
1:      ldr     x1, [x19, #OPS_READ_IRQ]    // irq = gic_hw_ops->read_irq()
        blr     x1
        mov     x20, x0
        cmp     x20, #16
        b.lo    2f
        cmp     x20, #1020
        b.hs    9f
        msr     daifclr, #2                 // do_IRQ with interrupts enabled
        mov     x0, x20
        bl      do_IRQ
        msr     daifset, #2
        b       1b
2:      mov     x0, x20                     // do_sgi
        bl      do_sgi
        b       1b
9:      msr     daifset, #2
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// do_sgi(sgi x0): priority drop, the SGI's work (EVENT_CHECK: none — softirqs and gic_inject run
// on the way out), deactivate.
do_sgi:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        GIC_HW_OP OPS_EOI, x1               // gic_hw_ops->eoi_irq
        cmp     x19, #GIC_SGI_EVENT_CHECK
        b.ne    xen_panic
        mov     x0, x19
        GIC_HW_OP OPS_DIR, x1               // gic_hw_ops->deactivate_irq
        ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// do_IRQ(irq x0): the hypervisor timer (timer_interrupt: CNTHP fired → TIMER softirq) or the
// virtual timer (vtimer_interrupt); the host IRQ type's end() = EOIR + DIR.
do_IRQ:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        cmp     x0, #CNTHP_PPI
        b.ne    3f
        mrs     x1, cnthp_ctl_el2
        tbz     x1, #2, 1f                  // ISTATUS
        msr     cnthp_ctl_el2, xzr
        mov     x0, #TIMER_SOFTIRQ
        bl      raise_softirq
1:      mov     x0, x19
        GIC_HW_OP OPS_EOI, x1               // gic_hw_ops->eoi_irq
        mov     x0, x19
        GIC_HW_OP OPS_DIR, x1               // gic_hw_ops->deactivate_irq
        ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret
3:      cmp     x19, #VTIMER_PPI
        b.ne    1b
        bl      vtimer_interrupt
        b       1b

// vtimer_interrupt (time.c): the running vCPU's virtual timer fired (ignored if the idle vCPU
// runs: the timer belonged to a vCPU that has been switched out). Save CNTV_CTL into
// v->arch.virt_timer.ctl, mask the timer so that its level-sensitive output falls, and inject
// the virtual timer's PPI into the current vCPU.
vtimer_interrupt:
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_CURR]          // current
        ldr     x1, [x0, #V_IDLE]
        cbnz    x1, 9f
        mrs     x1, cntv_ctl_el0
        str     x1, [x0, #CTX_TIMER]
        orr     x1, x1, #2                  // CNTx_CTL_MASK
        msr     cntv_ctl_el0, x1
        mov     x1, #VTIMER_PPI             // v->arch.virt_timer.irq
        b       vgic_vcpu_inject_irq
9:      ret

// gic_hw_ops (gicv2_ops): the GICv2 accessors Xen calls through function pointers.
        .equ OPS_READ_IRQ,  0
        .equ OPS_EOI,       8
        .equ OPS_DIR,       16
        .equ OPS_HCR,       24
        .equ OPS_READ_LR,   32
        .equ OPS_UPDATE_LR, 40
        .equ OPS_CLEAR_LR,  48
        .equ OPS_SAVE,      56
        .equ OPS_RESTORE,   64
        .equ OPS_SEND_SGI,  72
        .balign 8
gicv2_ops:
        .quad   gicv2_read_irq, gicv2_eoi_irq, gicv2_dir_irq, gicv2_hcr_status, gicv2_read_lr
        .quad   gicv2_update_lr, gicv2_clear_lr, gicv2_save_state, gicv2_restore_state, gicv2_send_SGI

gicv2_read_irq:
        MOV64   x1, GICC
        ldr     w0, [x1, #0x0c]             // GICC_IAR
        and     w0, w0, #0x3ff
        ret
gicv2_eoi_irq:                              // x0 = irq: priority drop
        MOV64   x1, GICC
        str     w0, [x1, #0x10]             // GICC_EOIR
        ret
gicv2_dir_irq:                              // deactivate
        MOV64   x1, GICC + 0x1000
        str     w0, [x1]                    // GICC_DIR
        ret
// gicv2_hcr_status(flag x0, status x1): GICH_HCR read-modify-write.
gicv2_hcr_status:
        MOV64   x2, GICH
bd_vgic_save_hcr:
        ldr     w3, [x2, #GICH_HCR]
        bic     w4, w3, w0
        orr     w3, w3, w0
        cmp     x1, #0
        csel    w3, w3, w4, ne
        str     w3, [x2, #GICH_HCR]
bd_end_vgic_save_hcr:
        ret
// gicv2_read_lr(lr x0) → LR value w0
gicv2_read_lr:
        MOV64   x1, GICH + GICH_LR0
        ldr     w0, [x1, x0, lsl #2]
        ret
// gicv2_update_lr(lr x0, pending_irq x1, state x2)
gicv2_update_lr:
        lsl     w2, w2, #28
        ldr     w3, [x1, #P_PRIO]
        lsr     w3, w3, #3
        orr     w2, w2, w3, lsl #23
        ldr     w3, [x1, #P_IRQ]
        and     w3, w3, #0x3ff
        orr     w2, w2, w3
        MOV64   x1, GICH + GICH_LR0
        str     w2, [x1, x0, lsl #2]
        ret
gicv2_clear_lr:
        MOV64   x1, GICH + GICH_LR0
        str     wzr, [x1, x0, lsl #2]
        ret
// gicv2_save_state(v x0): list registers, APR, VMCR; disable the virtual interface.
gicv2_save_state:
        MOV64   x2, GICH
        ldr     w3, [x2, #GICH_LR0 + 0]
        str     w3, [x0, #CTX_LR + 0]
        ldr     w3, [x2, #GICH_LR0 + 4]
        str     w3, [x0, #CTX_LR + 8]
        ldr     w3, [x2, #GICH_LR0 + 8]
        str     w3, [x0, #CTX_LR + 16]
        ldr     w3, [x2, #GICH_LR0 + 12]
        str     w3, [x0, #CTX_LR + 24]
        ldr     w3, [x2, #GICH_APR]
        str     w3, [x0, #CTX_VGIC + 0x38]
        ldr     w3, [x2, #GICH_VMCR]
        str     w3, [x0, #CTX_VGIC + 0x08]
        str     wzr, [x2, #GICH_HCR]
        ret
// gicv2_restore_state(v x0)
gicv2_restore_state:
        MOV64   x2, GICH
        ldr     w3, [x0, #CTX_LR + 0]
        str     w3, [x2, #GICH_LR0 + 0]
        ldr     w3, [x0, #CTX_LR + 8]
        str     w3, [x2, #GICH_LR0 + 4]
        ldr     w3, [x0, #CTX_LR + 16]
        str     w3, [x2, #GICH_LR0 + 8]
        ldr     w3, [x0, #CTX_LR + 24]
        str     w3, [x2, #GICH_LR0 + 12]
        ldr     w3, [x0, #CTX_VGIC + 0x38]
        str     w3, [x2, #GICH_APR]
        ldr     w3, [x0, #CTX_VGIC + 0x08]
        str     w3, [x2, #GICH_VMCR]
        mov     w3, #GICH_HCR_EN
        str     w3, [x2, #GICH_HCR]
        ret
// gicv2_send_SGI(sgi x0, cpu x1) (SGI_TARGET_LIST of one PE)
gicv2_send_SGI:
        mov     x2, #1
        lsl     x2, x2, x1
        orr     x0, x0, x2, lsl #16
        MOV64   x3, GICD
        str     w0, [x3, #0xf00]            // GICD_SGIR
        ret

// smp_send_event_check_cpu(cpu x0) → send_SGI_mask(cpumask_of(cpu), GIC_SGI_EVENT_CHECK)
smp_send_event_check_cpu:
        mov     x1, x0
        mov     x0, #GIC_SGI_EVENT_CHECK
        dsb     sy
        adr     x2, gicv2_ops
        ldr     x2, [x2, #OPS_SEND_SGI]
        br      x2

// ================================================================ the vGIC (gic.c, vgic.c)
// gic_clear_lrs(v x0): GICH_HCR.UIE off; every LR in lr_mask read back (gic_update_one_lr) under the
// vgic lock.
gic_clear_lrs:
        // Xen 4.5 (xen/arch/arm/gic.c) returns early only for the idle vCPU; every other trap
        // does the GICH_HCR read-modify-write and takes the vgic lock even when no list register
        // is in use. Modelled literally: an earlier version of this example skipped both when
        // lr_mask was 0, to land nearer the paper's 376-cycle hypercall; docs/experiments.md
        // gives the cost of the literal path.
        ldr     x1, [x0, #V_IDLE]
        cbnz    x1, 9f
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        mov     x0, #GICH_HCR_UIE           // gic_hw_ops->update_hcr_status(GICH_HCR_UIE, 0)
        mov     x1, #0
        GIC_HW_OP OPS_HCR, x2
        add     x0, x19, #V_VGIC_LOCK
        bl      _spin_lock_irqsave
        mov     x21, x0
        mov     x20, #0                     // i
1:      mrs     x0, tpidr_el2               // find_next_bit(lr_mask, nr_lrs, i)
        ldr     x0, [x0, #PC_LR_MASK]
        lsr     x0, x0, x20
        cbz     x0, 2f
        rbit    x0, x0
        clz     x0, x0
        add     x20, x20, x0
        cmp     x20, #NR_LRS
        b.hs    2f
        mov     x0, x19
        mov     x1, x20
        bl      gic_update_one_lr
        add     x20, x20, #1
        b       1b
2:      add     x0, x19, #V_VGIC_LOCK
        mov     x1, x21
        bl      _spin_unlock_irqrestore
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
9:      ret

// irq_to_pending(v x0, irq x1) → x0
irq_to_pending:
        cmp     x1, #32
        b.hs    1f
        add     x0, x0, #V_PIRQ
        add     x0, x0, x1, lsl #6
        ret
1:      ldr     x0, [x0, #V_DOMAIN]
        sub     x1, x1, #32
        add     x0, x0, #D_SPIS
        add     x0, x0, x1, lsl #6
        ret

// gic_update_one_lr(v x0, i x1)
gic_update_one_lr:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        mov     x20, x1
        mov     x0, x1                      // gic_hw_ops->read_lr(i)
        GIC_HW_OP OPS_READ_LR, x2
        mov     x21, x0
        and     x1, x21, #0x3ff             // virq
        mov     x0, x19
        bl      irq_to_pending
        mov     x22, x0
        tbnz    x21, #29, 1f                // GICH_LR_ACTIVE
        tbnz    x21, #28, 2f                // GICH_LR_PENDING
        // neither: the guest completed it — free the list register
        mov     x0, x20
        GIC_HW_OP OPS_CLEAR_LR, x2          // gic_hw_ops->clear_lr
        mrs     x0, tpidr_el2               // clear_bit(i, &this_cpu(lr_mask))
        add     x1, x0, #PC_LR_MASK
        mov     x0, x20
        bl      clear_bit_nr
        add     x1, x22, #P_STATUS
        mov     x0, #GUEST_VISIBLE
        bl      clear_bit_nr
        add     x1, x22, #P_STATUS
        mov     x0, #GUEST_ACTIVE
        bl      clear_bit_nr
        mov     w0, #LR_INVALID
        str     w0, [x22, #P_LR]
        ldr     x0, [x22, #P_STATUS]        // re-raise if queued again meanwhile
        tbz     x0, #GUEST_ENABLED, 3f
        tbz     x0, #GUEST_QUEUED, 3f
        mov     x0, x19
        ldr     w1, [x22, #P_IRQ]
        ldr     w2, [x22, #P_PRIO]
        bl      gic_raise_guest_irq
        b       9f
3:      add     x0, x22, #P_INFLIGHT        // list_del_init(&p->inflight)
        bl      list_del_init
        b       9f
1:      add     x1, x22, #P_STATUS          // active: set ACTIVE
        mov     x0, #GUEST_ACTIVE
        bl      set_bit_nr
        b       9f
2:      add     x1, x22, #P_STATUS          // still pending: drop the QUEUED request
        mov     x0, #GUEST_QUEUED
        bl      test_and_clear_bit_nr
9:      ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// gic_set_lr(lr x0, p x1, state x2): write the LR; VISIBLE, not QUEUED, p->lr = lr.
gic_set_lr:
        stp     x29, x30, [sp, #-32]!
        stp     x19, x20, [sp, #16]
        mov     x19, x0
        mov     x20, x1
        GIC_HW_OP OPS_UPDATE_LR, x3         // gic_hw_ops->update_lr
        add     x1, x20, #P_STATUS
        mov     x0, #GUEST_VISIBLE
        bl      set_bit_nr
        add     x1, x20, #P_STATUS
        mov     x0, #GUEST_QUEUED
        bl      clear_bit_nr
        str     w19, [x20, #P_LR]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// gic_add_to_lr_pending(v x0, p x1): into v's lr_pending, ordered by priority.
gic_add_to_lr_pending:
        add     x2, x1, #P_LRQ
        ldr     x3, [x2]
        cmp     x3, x2                      // already queued
        b.eq    1f
        ret
1:      ldr     w4, [x1, #P_PRIO]
        add     x5, x0, #V_LR_PENDING       // list_for_each_entry(iter, &lr_pending, lr_queue)
        ldr     x3, [x5]
2:      cmp     x3, x5
        b.eq    3f
        ldr     w6, [x3, #P_PRIO - P_LRQ]
        cmp     w6, w4
        b.hi    3f
        ldr     x3, [x3]
        b       2b
3:      mov     x0, x2                      // list_add_tail(&p->lr_queue, iter)
        mov     x1, x3
        b       list_add_tail

// gic_raise_guest_irq(v x0, virq x1, priority x2)
gic_raise_guest_irq:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        mov     x20, x1
        mrs     x21, tpidr_el2
        ldr     x0, [x21, #PC_CURR]
        cmp     x0, x19                     // v == current && list_empty(&v->lr_pending)?
        b.ne    8f
        add     x0, x19, #V_LR_PENDING
        ldr     x1, [x0]
        cmp     x1, x0
        b.ne    8f
        ldr     x0, [x21, #PC_LR_MASK]      // i = find_first_zero_bit(lr_mask, nr_lrs)
        mvn     x0, x0
        rbit    x0, x0
        clz     x22, x0
        cmp     x22, #NR_LRS
        b.hs    8f
        add     x1, x21, #PC_LR_MASK
        mov     x0, x22
        bl      set_bit_nr
        mov     x0, x19
        mov     x1, x20
        bl      irq_to_pending
        mov     x1, x0
        mov     x0, x22
        mov     x2, #1                      // GICH_LR_PENDING
        bl      gic_set_lr
        b       9f
8:      mov     x0, x19
        mov     x1, x20
        bl      irq_to_pending
        mov     x1, x0
        mov     x0, x19
        bl      gic_add_to_lr_pending
9:      ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// gic_restore_pending_irqs(v x0): lr_pending → free list registers (no eviction modelled).
gic_restore_pending_irqs:
        stp     x29, x30, [sp, #-64]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        str     x23, [sp, #48]
        mov     x19, x0
        add     x0, x19, #V_VGIC_LOCK
        bl      _spin_lock_irqsave
        mov     x20, x0
        mov     x22, #0                     // lr
1:      add     x0, x19, #V_LR_PENDING      // list_empty?
        ldr     x21, [x0]
        cmp     x21, x0
        b.eq    9f
        mrs     x0, tpidr_el2               // lr = find_next_zero_bit(lr_mask, nr_lrs, lr)
        ldr     x0, [x0, #PC_LR_MASK]
        mvn     x0, x0
        lsr     x0, x0, x22
        rbit    x0, x0
        clz     x0, x0
        add     x22, x22, x0
        cmp     x22, #NR_LRS
        b.hs    9f
        sub     x23, x21, #P_LRQ            // p
        mov     x0, x22
        mov     x1, x23
        mov     x2, #1
        bl      gic_set_lr
        add     x0, x23, #P_LRQ             // list_del_init(&p->lr_queue)
        bl      list_del_init
        mrs     x0, tpidr_el2
        add     x1, x0, #PC_LR_MASK
        mov     x0, x22
        bl      set_bit_nr
        b       1b
9:      add     x0, x19, #V_VGIC_LOCK
        mov     x1, x20
        bl      _spin_unlock_irqrestore
        ldr     x23, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret

// gic_inject: on every return to a guest.
gic_inject:
        stp     x29, x30, [sp, #-16]!
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_CURR]
        bl      gic_restore_pending_irqs
        mrs     x1, tpidr_el2               // !list_empty(lr_pending) && lr_all_full() → UIE
        ldr     x0, [x1, #PC_CURR]
        add     x0, x0, #V_LR_PENDING
        ldr     x2, [x0]
        cmp     x2, x0
        b.eq    9f
        ldr     x2, [x1, #PC_LR_MASK]
        cmp     x2, #((1 << NR_LRS) - 1)
        b.ne    9f
        mov     x0, #GICH_HCR_UIE
        mov     x1, #1
        GIC_HW_OP OPS_HCR, x2               // gic_hw_ops->update_hcr_status
9:      ldp     x29, x30, [sp], #16
        ret

// vgic_vcpu_inject_irq(v x0, virq x1)
vgic_vcpu_inject_irq:
        stp     x29, x30, [sp, #-64]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        mov     x19, x0
        mov     x20, x1
        bl      irq_to_pending
        mov     x21, x0                     // n
        ldr     x23, [x19, #V_DOMAIN]       // priority = vgic_get_virq_priority (rank lock)
        add     x0, x23, #D_RANK_LOCK
        bl      _spin_lock_irqsave
        mov     x24, x0
        add     x1, x23, #D_PRIO
        ldrb    w22, [x1, x20]
        add     x0, x23, #D_RANK_LOCK
        mov     x1, x24
        bl      _spin_unlock_irqrestore
        add     x0, x19, #V_VGIC_LOCK       // spin_lock_irqsave(&v->arch.vgic.lock)
        bl      _spin_lock_irqsave
        mov     x24, x0
        ldr     x0, [x19, #V_PAUSE]         // _VPF_down
        tbnz    x0, #1, 8f
        add     x1, x21, #P_STATUS
        mov     x0, #GUEST_QUEUED
        bl      set_bit_nr
        add     x0, x21, #P_INFLIGHT        // already in flight: gic_raise_inflight_irq
        ldr     x1, [x0]
        cmp     x1, x0
        b.eq    1f
        add     x0, x21, #P_LRQ
        ldr     x1, [x0]
        cmp     x1, x0
        b.ne    8f
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_CURR]
        cmp     x0, x19
        b.ne    8f
        mov     x0, x19
        ldr     w1, [x21, #P_LR]
        bl      gic_update_one_lr
        b       8f
1:      str     w22, [x21, #P_PRIO]
        ldr     x0, [x21, #P_STATUS]
        tbz     x0, #GUEST_ENABLED, 2f
        mov     x0, x19
        mov     x1, x20
        mov     x2, x22
        bl      gic_raise_guest_irq
2:      add     x5, x19, #V_INFLIGHT        // the inflight list, ordered by priority
        ldr     x3, [x5]
3:      cmp     x3, x5
        b.eq    4f
        ldr     w6, [x3, #P_PRIO - P_INFLIGHT]
        cmp     w6, w22
        b.hi    4f
        ldr     x3, [x3]
        b       3b
4:      add     x0, x21, #P_INFLIGHT
        mov     x1, x3
        bl      list_add_tail
8:      add     x0, x19, #V_VGIC_LOCK
        mov     x1, x24
        bl      _spin_unlock_irqrestore
        ldr     x23, [x19, #V_RUNNING]      // running = v->is_running
        mov     x0, x19
        bl      vcpu_unblock
        cbz     x23, 9f                     // running && v != current: kick its PE
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_CURR]
        cmp     x0, x19
        b.eq    9f
        ldr     x0, [x19, #CTX_PCPU]
        bl      smp_send_event_check_cpu
9:      ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret

// gic_events_need_delivery (on the calling vCPU): an enabled, unmasked, not-active interrupt in
// flight above the running priority (GICH_APR, GICH_VMCR read over MMIO). Returns x0.
gic_events_need_delivery:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        MOV64   x2, GICH
        ldr     w20, [x2, #GICH_APR]        // gic_hw_ops->read_apr(0)
        ldr     w21, [x2, #GICH_VMCR]       // gic_hw_ops->read_vmcr_priority()
        ubfx    w21, w21, #27, #5
        rbit    w0, w20                     // active_priority = find_next_bit(&apr, 32, 0)
        clz     w20, w0
        mrs     x19, tpidr_el2
        ldr     x19, [x19, #PC_CURR]
        add     x0, x19, #V_VGIC_LOCK
        bl      _spin_lock_irqsave
        mov     x22, x0
        mov     x0, #0
        add     x5, x19, #V_INFLIGHT
        ldr     x3, [x5]
1:      cmp     x3, x5
        b.eq    2f
        ldr     w6, [x3, #P_PRIO - P_INFLIGHT]
        lsr     w6, w6, #3                  // GIC_PRI_TO_GUEST
        cmp     w6, w21
        b.hs    2f
        cmp     w6, w20
        b.hs    2f
        ldr     x6, [x3, #P_STATUS - P_INFLIGHT]
        tbz     x6, #GUEST_ENABLED, 3f
        mov     x0, #1
        b       2f
3:      ldr     x3, [x3]
        b       1b
2:      mov     x20, x0
        add     x0, x19, #V_VGIC_LOCK
        mov     x1, x22
        bl      _spin_unlock_irqrestore
        mov     x0, x20
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// local_events_need_delivery_nomask: the vGIC, or an event upcall not yet in flight.
local_events_need_delivery_nomask:
        stp     x29, x30, [sp, #-16]!
        bl      gic_events_need_delivery
        cbnz    x0, 9f
        mrs     x1, tpidr_el2
        ldr     x1, [x1, #PC_CURR]
        ldr     x2, [x1, #V_DOMAIN]
        ldr     x3, [x2, #D_SHINFO]
        cbz     x3, 9f
        ldrb    w3, [x3, #SH_UPCALL_PENDING]
        cbz     w3, 9f
        add     x1, x1, #V_PIRQ + EVTCHN_PPI * P_SIZE + P_INFLIGHT
        ldr     x2, [x1]
        cmp     x2, x1
        cset    x0, eq
9:      ldp     x29, x30, [sp], #16
        ret

// ================================================================ list, bit and lock primitives
// list_add_tail(new x0, head x1); list_del_init(entry x0)
list_add_tail:
        ldr     x2, [x1, #8]                // head->prev
        str     x0, [x1, #8]
        stp     x1, x2, [x0]
        str     x0, [x2]
        ret
list_del_init:
        ldp     x1, x2, [x0]
        str     x1, [x2]
        str     x2, [x1, #8]
        stp     x0, x0, [x0]
        ret

// Xen's arm64 atomic bitops (lib/bitops.S, after Linux's): bit x0 of the bitmap at x1 (32-bit
// words). As there, one macro makes each family: bitop (set/clear: LDXR/STXR, no barrier) and
// testop (test_and_*: LDXR/STLXR then DMB; x0 = the old bit), `instr` the ALU operation.
        .macro  BIT_WORD_MASK               // x1 = the word holding bit x0, w3 = its mask
        lsr     x2, x0, #5
        add     x1, x1, x2, lsl #2
        and     w0, w0, #31
        mov     w3, #1
        lsl     w3, w3, w0
        .endm
        .macro  BITOP instr
        BIT_WORD_MASK
1:      ldxr    w2, [x1]
        \instr  w2, w2, w3
        stxr    w4, w2, [x1]
        cbnz    w4, 1b
        ret
        .endm
        .macro  TESTOP instr
        BIT_WORD_MASK
1:      ldxr    w2, [x1]
        \instr  w5, w2, w3
        stlxr   w4, w5, [x1]
        cbnz    w4, 1b
        dmb     ish
        tst     w2, w3
        cset    x0, ne
        ret
        .endm
set_bit_nr:
        BITOP   orr
clear_bit_nr:
        BITOP   bic
test_and_set_bit_nr:                        // → x0 = old bit
        TESTOP  orr
test_and_clear_bit_nr:
        TESTOP  bic
// set_bit(addr x0, nr x1) (argument order of the C helpers that take the flags word first)
set_bit:
        mov     x2, x0
        mov     x0, x1
        mov     x1, x2
        b       set_bit_nr

// Ticket spinlocks (common/spinlock.c, 4.6): head in bits 0..15, tail in bits 16..31. Taking
// one: arch_fetch_and_add (__sync_fetch_and_add: LDXR/STLXR, DMB), wait for our ticket,
// preempt_disable (per-PE preempt_count), arch_lock_acquire_barrier (DMB). Releasing:
// arch_lock_release_barrier (DMB), preempt_enable, add_sized(&head, 1). x0 = lock.
_spin_lock:
        mov     w2, #0x10000
1:      ldxr    w1, [x0]
        add     w3, w1, w2
        stlxr   w4, w3, [x0]
        cbnz    w4, 1b
        dmb     ish
        lsr     w3, w1, #16                 // our ticket
2:      and     w4, w1, #0xffff
        cmp     w4, w3
        b.eq    3f
        ldrh    w1, [x0]                    // observe_head
        b       2b
3:      mrs     x4, tpidr_el2
        ldr     x5, [x4, #PC_PREEMPT]
        add     x5, x5, #1
        str     x5, [x4, #PC_PREEMPT]
        dmb     ish
        ret
_spin_unlock:
        dmb     ish
        mrs     x4, tpidr_el2
        ldr     x5, [x4, #PC_PREEMPT]
        sub     x5, x5, #1
        str     x5, [x4, #PC_PREEMPT]
        ldrh    w1, [x0]
        add     w1, w1, #1
        strh    w1, [x0]
        ret
_spin_lock_irqsave:                         // → x0 = flags
        mrs     x6, daif
        msr     daifset, #2
        mov     x7, x30
        bl      _spin_lock
        mov     x0, x6
        ret     x7
_spin_unlock_irqrestore:                    // x0 = lock, x1 = flags
        mov     x6, x1
        mov     x7, x30
        bl      _spin_unlock
        msr     daif, x6
        ret     x7

// ================================================================ softirqs (common/softirq.c)
// raise_softirq(nr x0) on this PE
raise_softirq:
        mrs     x1, tpidr_el2
        add     x1, x1, #PC_SOFTIRQ
        b       set_bit_nr

// cpu_raise_softirq(cpu x0, nr x1): set the bit in that PE's softirq_pending; another PE gets
// an EVENT_CHECK SGI unless the bit was already set.
cpu_raise_softirq:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        adr     x2, xen_percpu
        add     x2, x2, x0, lsl #8
        mov     x0, x1
        add     x1, x2, #PC_SOFTIRQ
        bl      test_and_set_bit_nr
        cbnz    x0, 9f
        mrs     x1, tpidr_el2
        ldr     x1, [x1, #PC_ID]
        cmp     x1, x19
        b.eq    9f
        mov     x0, x19
        bl      smp_send_event_check_cpu
9:      ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// do_softirq → __do_softirq: run pending softirqs, lowest number first, until none is left.
do_softirq:
        stp     x29, x30, [sp, #-16]!
1:      mrs     x1, tpidr_el2
        ldr     x0, [x1, #PC_SOFTIRQ]
        cbz     x0, 9f
        rbit    x0, x0                      // i = find_first_set_bit(pending)
        clz     x0, x0
        stp     x0, xzr, [sp, #-16]!
        add     x1, x1, #PC_SOFTIRQ
        bl      clear_bit_nr
        ldp     x0, xzr, [sp], #16
        adr     x1, softirq_handlers
        ldr     x1, [x1, x0, lsl #3]
        blr     x1
        b       1b
9:      ldp     x29, x30, [sp], #16
        ret

        .balign 8
softirq_handlers:
        .quad   timer_softirq_action, schedule

// leave_hypervisor_tail: softirqs first (with interrupts enabled), then gic_inject with
// interrupts disabled, which stay disabled until the ERET.
leave_hypervisor_tail:
        stp     x29, x30, [sp, #-16]!
1:      msr     daifset, #2
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_SOFTIRQ]
        cbnz    x0, 2f
        bl      gic_inject
        ldp     x29, x30, [sp], #16
        ret
2:      msr     daifclr, #2
        bl      do_softirq
        b       1b

// ================================================================ time and timers (time.c, timer.c)
// NOW() = get_s_time(): ticks_to_ns(CNTPCT_EL0 - boot_count)
xen_now:
        isb
        mrs     x0, cntpct_el0
        adr     x1, xen_boot_count
        ldr     x1, [x1]
        sub     x0, x0, x1
        MOV64   x1, NS_PER_SEC              // muldiv64(ticks, SECONDS(1), 1000 * cpu_khz)
        mul     x0, x0, x1
        MOV64   x1, CNT_HZ
        udiv    x0, x0, x1
        ret

// The timer heap (timer.c: add_to_heap / remove_from_heap), heap[0] = size.
// heap_add(heap x0, timer x1) → x0 = 1 if it became the head
heap_add:
        ldr     x2, [x0]
        add     x2, x2, #1
        str     x2, [x0]
        ldr     x3, [x1, #T_EXPIRES]
1:      cmp     x2, #1                      // up_heap
        b.eq    2f
        lsr     x4, x2, #1
        ldr     x5, [x0, x4, lsl #3]
        ldr     x6, [x5, #T_EXPIRES]
        cmp     x6, x3
        b.le    2f
        str     x5, [x0, x2, lsl #3]
        str     x4, [x5, #T_HEAP]
        mov     x2, x4
        b       1b
2:      str     x1, [x0, x2, lsl #3]
        str     x2, [x1, #T_HEAP]
        cmp     x2, #1
        cset    x0, eq
        ret
// heap_remove(heap x0, timer x1) → x0 = 1 if it was the head (at most two timers per PE here:
// the last entry moves into the hole)
heap_remove:
        ldr     x2, [x1, #T_HEAP]
        ldr     x3, [x0]
        cmp     x2, x3
        b.eq    1f
        ldr     x4, [x0, x3, lsl #3]
        str     x4, [x0, x2, lsl #3]
        str     x2, [x4, #T_HEAP]
1:      sub     x3, x3, #1
        str     x3, [x0]
        str     xzr, [x1, #T_HEAP]
        cmp     x2, #1
        cset    x0, eq
        ret

// timer_lock: the lock of the PE the timer lives on. x0 = timer → x0 = that PE's data.
timer_percpu:
        ldr     x1, [x0, #T_CPU]
        adr     x0, xen_percpu
        add     x0, x0, x1, lsl #8
        ret

// set_timer(timer x0, expires x1)
set_timer:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        mov     x20, x1
        bl      timer_percpu
        mov     x21, x0
        add     x0, x21, #PC_TIMERS_LOCK    // timer_lock_irqsave
        bl      _spin_lock_irqsave
        mov     x22, x0
        ldr     x0, [x19, #T_STATUS]        // active_timer → deactivate_timer
        cbz     x0, 1f
        add     x0, x21, #PC_HEAP
        mov     x1, x19
        bl      heap_remove
        str     xzr, [x19, #T_STATUS]
1:      str     x20, [x19, #T_EXPIRES]      // activate_timer: add_entry, head → TIMER softirq
        mov     x0, #1
        str     x0, [x19, #T_STATUS]
        add     x0, x21, #PC_HEAP
        mov     x1, x19
        bl      heap_add
        cbz     x0, 2f
        ldr     x0, [x19, #T_CPU]
        mov     x1, #TIMER_SOFTIRQ
        bl      cpu_raise_softirq
2:      add     x0, x21, #PC_TIMERS_LOCK
        mov     x1, x22
        bl      _spin_unlock_irqrestore
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// stop_timer(timer x0)
stop_timer:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        bl      timer_percpu
        mov     x21, x0
        add     x0, x21, #PC_TIMERS_LOCK
        bl      _spin_lock_irqsave
        mov     x22, x0
        ldr     x0, [x19, #T_STATUS]
        cbz     x0, 2f
        add     x0, x21, #PC_HEAP           // deactivate_timer
        mov     x1, x19
        bl      heap_remove
        str     xzr, [x19, #T_STATUS]
        cbz     x0, 2f
        ldr     x0, [x19, #T_CPU]
        mov     x1, #TIMER_SOFTIRQ
        bl      cpu_raise_softirq
2:      add     x0, x21, #PC_TIMERS_LOCK
        mov     x1, x22
        bl      _spin_unlock_irqrestore
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// migrate_timer(timer x0, cpu x1): nothing to do when it already lives there.
migrate_timer:
        ldr     x2, [x0, #T_CPU]
        cmp     x2, x1
        b.ne    xen_panic                   // vCPUs are pinned
        ret

// timer_softirq_action: run expired timers, then program CNTHP for the earliest deadline.
timer_softirq_action:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mrs     x19, tpidr_el2
        msr     daifset, #2                 // spin_lock_irq(&ts->lock)
        add     x0, x19, #PC_TIMERS_LOCK
        bl      _spin_lock
        bl      xen_now
        mov     x20, x0
1:      ldr     x0, [x19, #PC_HEAP]         // while heap[1]->expires < now: execute_timer
        cbz     x0, 2f
        ldr     x21, [x19, #PC_HEAP + 8]
        ldr     x1, [x21, #T_EXPIRES]
        cmp     x1, x20
        b.ge    2f
        add     x0, x19, #PC_HEAP
        mov     x1, x21
        bl      heap_remove
        str     xzr, [x21, #T_STATUS]
        add     x0, x19, #PC_TIMERS_LOCK    // execute_timer: the handler runs unlocked
        bl      _spin_unlock
        msr     daifclr, #2
        ldr     x1, [x21, #T_FN]
        ldr     x0, [x21, #T_DATA]
        blr     x1
        msr     daifset, #2
        add     x0, x19, #PC_TIMERS_LOCK
        bl      _spin_lock
        b       1b
2:      mov     x21, #0                     // deadline = heap top (none: 0)
        ldr     x0, [x19, #PC_HEAP]
        cbz     x0, 3f
        ldr     x0, [x19, #PC_HEAP + 8]
        ldr     x21, [x0, #T_EXPIRES]
        bl      xen_now                     // MAX(deadline, now + timer_slop)
        MOV64   x1, TIMER_SLOP_NS
        add     x0, x0, x1
        cmp     x21, x0
        csel    x21, x21, x0, ge
3:      str     x21, [x19, #PC_DEADLINE]
        mov     x0, x21
        bl      reprogram_timer
        add     x0, x19, #PC_TIMERS_LOCK
        bl      _spin_unlock
        msr     daifclr, #2
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// reprogram_timer(timeout ns x0): the EL2 physical timer (CNTHP) fires at the deadline.
reprogram_timer:
        cbnz    x0, 1f
        msr     cnthp_ctl_el2, xzr
        ret
1:      MOV64   x1, CNT_HZ                  // ns_to_ticks + boot_count
        mul     x0, x0, x1
        MOV64   x1, NS_PER_SEC
        udiv    x0, x0, x1
        adr     x1, xen_boot_count
        ldr     x1, [x1]
        add     x0, x0, x1
        msr     cnthp_cval_el2, x0
        mov     x0, #1                      // CNTx_CTL_ENABLE
        msr     cnthp_ctl_el2, x0
        isb
        ret

// s_timer_fn: the scheduling slice is over.
s_timer_fn:
        mov     x0, #SCHEDULE_SOFTIRQ
        b       raise_softirq

// virt_timer_expired(v x0): the descheduled vCPU's virtual timer fired: mask it in the saved
// CNTV_CTL (t->ctl |= CNTx_CTL_MASK: when the vCPU's timer is restored, its output stays low
// until the guest re-arms it) and inject its PPI 27.
virt_timer_expired:
        ldr     x1, [x0, #CTX_TIMER]
        orr     x1, x1, #2
        str     x1, [x0, #CTX_TIMER]
        mov     x1, #VTIMER_PPI
        b       vgic_vcpu_inject_irq

// ================================================================ the scheduler (schedule.c, sched_credit.c)
// vcpu_runnable(v x0) → x0: no pause flag, no pause count (vCPU or domain)
vcpu_runnable:
        ldr     x1, [x0, #V_PAUSE]
        ldr     x2, [x0, #V_PAUSE_CNT]
        orr     x1, x1, x2
        ldr     x2, [x0, #V_DOMAIN]
        ldr     x2, [x2, #D_PAUSE_CNT]
        orr     x1, x1, x2
        cmp     x1, #0
        cset    x0, eq
        ret

// vcpu_runstate_change(v x0, state x1, now x2)
vcpu_runstate_change:
        ldr     x3, [x0, #V_RS_ENTRY]
        subs    x3, x2, x3
        b.le    1f
        ldr     x4, [x0, #V_RS_STATE]
        add     x4, x0, x4, lsl #3
        ldr     x5, [x4, #V_RS_TIME]
        add     x5, x5, x3
        str     x5, [x4, #V_RS_TIME]
        str     x2, [x0, #V_RS_ENTRY]
1:      str     x1, [x0, #V_RS_STATE]
        ret

// __runq_insert(percpu x0, svc x1): before the first vCPU of lower priority; a yielding vCPU
// goes one further when that is not the idle vCPU.
runq_insert:
        add     x2, x0, #PC_RUNQ
        ldr     x3, [x2]                    // iter
        ldr     x4, [x1, #V_PRI]
1:      cmp     x3, x2
        b.eq    2f
        ldr     x5, [x3, #V_PRI - V_RUNQ]
        cmp     x4, x5
        b.gt    2f
        ldr     x3, [x3]
        b       1b
2:      ldr     x5, [x1, #V_SFLAGS]
        tbz     x5, #0, 3f
        cmp     x3, x2
        b.eq    3f
        ldr     x5, [x3, #V_PRI - V_RUNQ]
        cmn     x5, #-PRI_IDLE
        b.le    3f
        ldr     x3, [x3]
3:      add     x0, x1, #V_RUNQ
        mov     x1, x3
        b       list_add_tail

// burn_credits(svc x0, now x1)
burn_credits:
        ldr     x2, [x0, #V_START]
        subs    x2, x1, x2                  // delta
        b.le    9f
        mov     x3, #10                     // CSCHED_CREDITS_PER_MSEC
        ldr     x4, [x0, #V_RESIDUAL]
        madd    x2, x2, x3, x4
        MOV64   x3, 1000000                 // MILLISECS(1)
        udiv    x4, x2, x3                  // credits
        msub    x5, x4, x3, x2
        str     x5, [x0, #V_RESIDUAL]
        add     x6, x0, #V_CREDIT           // atomic_sub(credits, &svc->credit)
1:      ldxr    x7, [x6]
        sub     x7, x7, x4
        stxr    w8, x7, [x6]
        cbnz    w8, 1b
        mul     x5, x4, x3                  // start_time += credits * MILLISECS(1) / 10
        mov     x6, #10
        udiv    x5, x5, x6
        ldr     x6, [x0, #V_START]
        add     x6, x6, x5
        str     x6, [x0, #V_START]
9:      ret

// csched_schedule(percpu x0, now x1) → x0 = next vCPU, x1 = slice (ns, -1 for none)
csched_schedule:
        stp     x29, x30, [sp, #-64]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        mov     x19, x0
        mov     x21, x1
        ldr     x20, [x19, #PC_CURR]        // scurr
        ldr     x0, [x20, #V_RS_ENTRY]      // runtime (for the rate limit)
        sub     x22, x21, x0
        ldr     x0, [x20, #V_IDLE]
        cbnz    x0, 1f
        mov     x0, x20                     // burn_credits; start_time -= now
        mov     x1, x21
        bl      burn_credits
        ldr     x0, [x20, #V_START]
        sub     x0, x0, x21
        str     x0, [x20, #V_START]
        b       2f
1:      mov     x0, #PRI_IDLE
        str     x0, [x20, #V_PRI]
2:      adr     x0, csched_priv             // rate limit (off: sched_ratelimit_us = 0)
        ldr     x1, [x0, #8]
        cbz     x1, 3f
        b       xen_panic
3:      ldr     x1, [x0, #0]                // tslice = MILLISECS(tslice_ms)
        MOV64   x2, 1000000
        mul     x23, x1, x2
        mov     x0, x20                     // if vcpu_runnable(current): __runq_insert
        bl      vcpu_runnable
        cbz     x0, 4f
        mov     x0, x19
        mov     x1, x20
        bl      runq_insert
4:      ldr     x24, [x19, #PC_RUNQ]        // snext = __runq_elem(runq->next)
        sub     x24, x24, #V_RUNQ
        add     x1, x20, #V_SFLAGS          // clear_bit(CSCHED_FLAG_VCPU_YIELD, &scurr->flags)
        mov     x0, #0
        bl      clear_bit_nr
        add     x0, x24, #V_RUNQ            // __runq_remove(snext) (csched_load_balance not modelled)
        bl      list_del_init
        adr     x2, csched_priv             // the idlers mask
        ldr     x3, [x2, #16]
        ldr     x4, [x19, #PC_ID]
        mov     x5, #1
        lsl     x5, x5, x4
        ldr     x0, [x24, #V_PRI]
        cmn     x0, #-PRI_IDLE
        b.ne    5f
        tst     x3, x5
        b.ne    6f
        orr     x3, x3, x5
        str     x3, [x2, #16]
        b       6f
5:      tst     x3, x5
        b.eq    6f
        bic     x3, x3, x5
        str     x3, [x2, #16]
6:      ldr     x0, [x24, #V_IDLE]          // start_time += now; slice (idle: none)
        movn    x1, #0
        cbnz    x0, 7f
        ldr     x0, [x24, #V_START]
        add     x0, x0, x21
        str     x0, [x24, #V_START]
        mov     x1, x23
7:      mov     x0, x24
        ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret

// schedule() (the SCHEDULE softirq)
schedule:
        stp     x29, x30, [sp, #-64]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        mrs     x19, tpidr_el2
        ldr     x20, [x19, #PC_CURR]        // prev
        ldr     x0, [x19, #PC_TASKLET]      // tasklet_work_to_do: none
        bl      xen_now
        mov     x21, x0
        msr     daifset, #2                 // pcpu_schedule_lock_irq
        add     x0, x19, #PC_SCHED_LOCK
        bl      _spin_lock
        add     x0, x19, #PC_STIMER         // stop_timer(&sd->s_timer)
        bl      stop_timer
        mov     x0, x19                     // next_slice = csched_schedule(...)
        mov     x1, x21
        bl      csched_schedule
        mov     x22, x0
        mov     x23, x1
        str     x22, [x19, #PC_SD_CURR]     // sd->curr = next
        tbnz    x23, #63, 1f                // set_timer(&sd->s_timer, now + next_slice.time)
        add     x0, x19, #PC_STIMER
        add     x1, x21, x23
        bl      set_timer
1:      cmp     x20, x22
        b.ne    2f
        add     x0, x19, #PC_SCHED_LOCK     // continue_running(prev)
        bl      _spin_unlock
        msr     daifclr, #2
        b       9f
2:      mov     x0, x20                     // prev: blocked or runnable
        bl      vcpu_runnable
        mov     x1, #RUNSTATE_RUNNABLE
        ldr     x2, [x20, #V_PAUSE]
        tst     x2, #1
        mov     x3, #RUNSTATE_BLOCKED
        csel    x1, x3, x1, ne
        mov     x0, x20
        mov     x2, x21
        bl      vcpu_runstate_change
        mov     x0, x22                     // next: running
        mov     x1, #RUNSTATE_RUNNING
        mov     x2, x21
        bl      vcpu_runstate_change
        mov     x0, #1
        str     x0, [x22, #V_RUNNING]
        add     x0, x19, #PC_SCHED_LOCK
        bl      _spin_unlock
        msr     daifclr, #2
        mov     x0, x20
        mov     x1, x22
        bl      context_switch
9:      ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret

// vcpu_block_unless_event_pending(v x0): block (WFI), unless an interrupt is deliverable.
vcpu_block_unless_event_pending:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        add     x1, x19, #V_PAUSE           // vcpu_block: set _VPF_blocked
        mov     x0, #0
        bl      set_bit_nr
        mrs     x0, tpidr_el2               // local_events_need_delivery: guest IRQs masked?
        ldr     x0, [x0, #PC_CURR]
        ldr     x0, [x0, #V_FRAME]
        ldr     x0, [x0, #UREGS_CPSR]
        tbnz    x0, #7, 1f
        bl      local_events_need_delivery_nomask
        cbz     x0, 1f
        add     x1, x19, #V_PAUSE
        mov     x0, #0
        bl      clear_bit_nr
        b       2f
1:      mov     x0, #SCHEDULE_SOFTIRQ
        bl      raise_softirq
2:      bl      local_events_need_delivery_nomask
        cbz     x0, 9f
        mov     x0, x19
        bl      vcpu_unblock
9:      ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// vcpu_unblock(v x0): if it was blocked, vcpu_wake.
vcpu_unblock:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        add     x1, x0, #V_PAUSE
        mov     x0, #0
        bl      test_and_clear_bit_nr
        cbz     x0, 9f
        mov     x0, x19
        bl      vcpu_wake
9:      ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// vcpu_wake(v x0): runnable again → csched_vcpu_wake under its PE's schedule lock.
vcpu_wake:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        ldr     x0, [x19, #CTX_PCPU]        // vcpu_schedule_lock_irqsave
        adr     x20, xen_percpu
        add     x20, x20, x0, lsl #8
        add     x0, x20, #PC_SCHED_LOCK
        bl      _spin_lock_irqsave
        mov     x21, x0
        mov     x0, x19
        bl      vcpu_runnable
        cbz     x0, 8f
        ldr     x0, [x19, #V_RS_STATE]
        cmp     x0, #RUNSTATE_BLOCKED
        b.lo    1f
        bl      xen_now
        mov     x2, x0
        mov     x0, x19
        mov     x1, #RUNSTATE_RUNNABLE
        bl      vcpu_runstate_change
1:      ldr     x0, [x20, #PC_SD_CURR]      // csched_vcpu_wake: running there, or queued?
        cmp     x0, x19
        b.eq    8f
        add     x0, x19, #V_RUNQ
        ldr     x1, [x0]
        cmp     x1, x0
        b.ne    8f
        ldr     x0, [x19, #V_PRI]           // boost an UNDER vCPU
        cmn     x0, #-PRI_TS_UNDER
        b.ne    2f
        mov     x0, #PRI_TS_BOOST
        str     x0, [x19, #V_PRI]
2:      mov     x0, x20
        mov     x1, x19
        bl      runq_insert
        ldr     x0, [x20, #PC_SD_CURR]      // __runq_tickle: preempt a lower-priority current
        ldr     x0, [x0, #V_PRI]
        ldr     x1, [x19, #V_PRI]
        cmp     x1, x0
        b.le    8f
        ldr     x0, [x20, #PC_ID]           // cpumask_raise_softirq(mask, SCHEDULE_SOFTIRQ)
        mov     x1, #SCHEDULE_SOFTIRQ
        bl      cpu_raise_softirq
8:      add     x0, x20, #PC_SCHED_LOCK
        mov     x1, x21
        bl      _spin_unlock_irqrestore
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// ================================================================ context switch (domain.c, entry.S)
// context_switch(prev x0, next x1)
context_switch:
        stp     x29, x30, [sp, #-16]!
        mov     x29, sp
        msr     daifset, #2                 // local_irq_disable
        mrs     x2, tpidr_el2               // set_current(next)
        str     x1, [x2, #PC_CURR]
        bl      __context_switch            // returns in next's context, x0 = its prev
        bl      schedule_tail
        ldp     x29, x30, [sp], #16
        ret

// __context_switch(prev x0, next x1): callee-saved registers, sp and lr; switches stacks.
__context_switch:
        CPU_SWITCH_TO #V_SAVED
        ret

// schedule_tail(prev x0)
schedule_tail:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        bl      ctxt_switch_from
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_CURR]
        bl      ctxt_switch_to
        msr     daifclr, #2                 // local_irq_enable
        dmb     ishst                       // context_saved(prev): is_running = 0
        str     xzr, [x19, #V_RUNNING]
        dmb     ish
        ldr     x0, [x19, #V_PAUSE]         // _VPF_migrating: never here
        ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// A vCPU's first run: its first __context_switch "returns" here (x0 = prev).
continue_new_vcpu:
        bl      schedule_tail
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_CURR]
        ldr     x1, [x0, #V_FRAME]          // reset_stack_and_jump(return_to_new_vcpu64)
        mov     sp, x1
        b       return_to_new_vcpu64

// ctxt_switch_from(p x0)
ctxt_switch_from:
        ldr     x1, [x0, #V_IDLE]
        cbz     x1, 1f
        ret
1:      stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        mrs     x1, sctlr_el1               // p2m_save_state
        str     x1, [x19, #CTX_EL1 + 0x00]
        mrs     x1, csselr_el1
        str     x1, [x19, #V_CSSELR]
        mrs     x1, cpacr_el1
        str     x1, [x19, #CTX_EL1 + 0x10]
        mrs     x1, contextidr_el1
        str     x1, [x19, #CTX_EL1 + 0x60]
        mrs     x1, tpidr_el0
        str     x1, [x19, #CTX_EL1 + 0x80]
        mrs     x1, tpidrro_el0
        str     x1, [x19, #CTX_EL1 + 0x88]
        mrs     x1, tpidr_el1
        str     x1, [x19, #CTX_EL1 + 0x90]
        mrs     x1, cntkctl_el1             // arch timer
        str     x1, [x19, #CTX_EL1 + 0x70]
        bl      virt_timer_save
        isb
        mrs     x1, vbar_el1                // MMU
        str     x1, [x19, #CTX_EL1 + 0x58]
        mrs     x1, tcr_el1
        str     x1, [x19, #CTX_EL1 + 0x28]
        mrs     x1, ttbr0_el1
        str     x1, [x19, #CTX_EL1 + 0x18]
        mrs     x1, ttbr1_el1
        str     x1, [x19, #CTX_EL1 + 0x20]
        mrs     x1, par_el1
        str     x1, [x19, #CTX_EL1 + 0x78]
        mrs     x1, mair_el1
        str     x1, [x19, #CTX_EL1 + 0x50]
        mrs     x1, amair_el1
        str     x1, [x19, #CTX_EL1 + 0x68]
        mrs     x1, far_el1                 // fault status
        str     x1, [x19, #CTX_EL1 + 0x48]
        mrs     x1, esr_el1
        str     x1, [x19, #CTX_EL1 + 0x30]
        mrs     x1, afsr0_el1
        str     x1, [x19, #CTX_EL1 + 0x38]
        mrs     x1, afsr1_el1
        str     x1, [x19, #CTX_EL1 + 0x40]
        mov     x0, x19                     // vfp_save_state
        FP_SAVE x0, xen
        mrs     x1, tpidr_el2               // gic_save_state: v->lr_mask = this_cpu(lr_mask)
        ldr     x1, [x1, #PC_LR_MASK]
        str     x1, [x19, #V_LR_MASK]
        mov     x0, x19
        GIC_HW_OP OPS_SAVE, x1              // gic_hw_ops->save_state
        isb
        isb
        ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// virt_timer_save(v x0): stop the guest's virtual timer; if it was armed, a Xen timer takes over
// its deadline while the vCPU is descheduled.
virt_timer_save:
        mrs     x1, cntv_ctl_el0
        str     x1, [x0, #CTX_TIMER]
        bic     x2, x1, #1
        msr     cntv_ctl_el0, x2
        mrs     x2, cntv_cval_el0
        str     x2, [x0, #CTX_TIMER + 8]
        and     x1, x1, #3                  // ENABLE && !IMASK
        cmp     x1, #1
        b.ne    9f
        stp     x29, x30, [sp, #-16]!
        adr     x1, xen_boot_count          // ticks_to_ns(cval + offset - boot_count)
        ldr     x1, [x1]
        sub     x2, x2, x1
        MOV64   x1, NS_PER_SEC
        mul     x2, x2, x1
        MOV64   x1, CNT_HZ
        udiv    x1, x2, x1
        add     x0, x0, #V_VTIMER
        bl      set_timer
        ldp     x29, x30, [sp], #16
9:      ret

// ctxt_switch_to(n x0)
ctxt_switch_to:
        ldr     x1, [x0, #V_IDLE]
        cbz     x1, 1f
        ret
1:      stp     x29, x30, [sp, #-32]!
        stp     x19, x20, [sp, #16]
        mov     x19, x0
        ldr     x20, [x19, #V_DOMAIN]
        mrs     x1, hcr_el2                 // p2m_restore_state
        bic     x2, x1, #1                  // HCR_VM off while VTTBR changes
        msr     hcr_el2, x2
        isb
        ldr     x2, [x20, #D_VTTBR]         // p2m_load_VTTBR
        msr     vttbr_el2, x2
        isb
        orr     x1, x1, #(1 << 31)          // HCR_RW: AArch64 domain
        ldr     x2, [x19, #CTX_EL1 + 0x00]
        msr     sctlr_el1, x2
        isb
        msr     hcr_el2, x1
        isb
        ldr     x1, [x20, #D_VPIDR]
        msr     vpidr_el2, x1
        ldr     x1, [x19, #CTX_ID]          // vmpidr: Aff0 = vCPU id, bit 31 RES1
        orr     x1, x1, #(1 << 31)
        msr     vmpidr_el2, x1
        ldr     x1, [x19, #V_LR_MASK]       // gic_restore_state
        mrs     x2, tpidr_el2
        str     x1, [x2, #PC_LR_MASK]
        mov     x0, x19
        GIC_HW_OP OPS_RESTORE, x1           // gic_hw_ops->restore_state
        isb
        mov     x0, x19
        bl      gic_restore_pending_irqs
        mov     x0, x19                     // vfp_restore_state
        FP_RESTORE x0, xen
        ldr     x1, [x19, #CTX_EL1 + 0x48]  // fault status
        msr     far_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x30]
        msr     esr_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x38]
        msr     afsr0_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x40]
        msr     afsr1_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x58]  // MMU
        msr     vbar_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x28]
        msr     tcr_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x18]
        msr     ttbr0_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x20]
        msr     ttbr1_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x78]
        msr     par_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x50]
        msr     mair_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x68]
        msr     amair_el1, x1
        isb
        ldr     x1, [x19, #CTX_EL1 + 0x10]  // control registers
        msr     cpacr_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x60]
        msr     contextidr_el1, x1
        ldr     x1, [x19, #CTX_EL1 + 0x80]
        msr     tpidr_el0, x1
        ldr     x1, [x19, #CTX_EL1 + 0x88]
        msr     tpidrro_el0, x1
        ldr     x1, [x19, #CTX_EL1 + 0x90]
        msr     tpidr_el1, x1
        isb
        ldr     x1, [x19, #V_CSSELR]
        msr     csselr_el1, x1
        isb
        ldr     x1, [x19, #CTX_EL1 + 0x70]
        msr     cntkctl_el1, x1
        mov     x0, x19                     // virt_timer_restore
        bl      virt_timer_restore
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// virt_timer_restore(v x0)
virt_timer_restore:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        add     x0, x19, #V_VTIMER
        bl      stop_timer
        add     x0, x19, #V_VTIMER          // migrate_timer (virtual and physical timer)
        ldr     x1, [x19, #CTX_PCPU]
        bl      migrate_timer
        add     x0, x19, #V_VTIMER
        ldr     x1, [x19, #CTX_PCPU]
        bl      migrate_timer
        msr     cntvoff_el2, xzr            // the domain's virt_timer_base.offset
        ldr     x1, [x19, #CTX_TIMER + 8]
        msr     cntv_cval_el0, x1
        ldr     x1, [x19, #CTX_TIMER]
        msr     cntv_ctl_el0, x1
        ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// idle_loop: WFI while nothing is pending; softirqs (the scheduler) otherwise.
idle_loop:
1:      msr     daifset, #2
        mrs     x0, tpidr_el2               // cpu_is_haltable
        ldr     x1, [x0, #PC_SOFTIRQ]
        cbnz    x1, 2f
        ldr     x1, [x0, #PC_TASKLET]
        cbnz    x1, 2f
        dsb     sy
        wfi
2:      msr     daifclr, #2                 // an interrupt that woke us is taken here (hyp_irq)
        mrs     x0, tpidr_el2               // do_tasklet: nothing queued
        ldr     x1, [x0, #PC_TASKLET]
        bl      do_softirq
        b       1b

// ================================================================ event channels (event_channel.c, event_2l.c)
// do_event_channel_op(cmd x0, arg x1) (HC_EVTCHN: the guest's x1 = cmd, x2 = guest address)
do_event_channel_op:
        stp     x29, x30, [sp, #-32]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        mov     x19, x0
        mov     x0, x1                      // copy_from_guest(&op, arg, 1): the port
        bl      copy_from_guest_u32
        mov     x20, x0
        mrs     x0, tpidr_el2
        ldr     x0, [x0, #PC_CURR]
        ldr     x0, [x0, #V_DOMAIN]
        mov     x1, x20
        cmp     x19, #EVTCHNOP_SEND
        b.ne    1f
        bl      evtchn_send
        b       9f
1:      cmp     x19, #EVTCHNOP_UNMASK
        b.ne    8f
        bl      evtchn_unmask
        b       9f
8:      mov     x0, #-38
9:      ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// copy_from_guest of a 32-bit value at guest virtual address x0 (raw_copy_from_guest →
// get_page_from_gva: AT S12E1R keeping PAR_EL1, a page reference; map_domain_page is the
// direct map on arm64).
copy_from_guest_u32:
        mrs     x2, par_el1
        at      s12e1r, x0
        isb
        mrs     x1, par_el1
        msr     par_el1, x2
        tbnz    x1, #0, xen_panic
        and     x1, x1, #0x0000fffffffff000
        and     x3, x0, #0xfff
        orr     x3, x1, x3
        mrs     x4, tpidr_el2               // get_page(page, d)
        ldr     x4, [x4, #PC_CURR]
        ldr     x4, [x4, #V_DOMAIN]
        add     x4, x4, #D_PAGE_REF
1:      ldaxr   x5, [x4]
        add     x5, x5, #1
        stlxr   w6, x5, [x4]
        cbnz    w6, 1b
        ldr     w0, [x3]                    // memcpy
1:      ldaxr   x5, [x4]                    // put_page
        sub     x5, x5, #1
        stlxr   w6, x5, [x4]
        cbnz    w6, 1b
        ret

// evtchn_send(ld x0, lport x1)
evtchn_send:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        cmp     x1, #4                      // port_is_valid
        b.hs    8f
        add     x19, x0, #D_EVTCHN
        add     x19, x19, x1, lsl #5        // lchn
        add     x0, x19, #E_LOCK            // spin_lock(&lchn->lock)
        bl      _spin_lock
        ldr     w0, [x19, #E_STATE]
        cmp     w0, #ECS_INTERDOMAIN
        b.ne    7f
        ldr     x20, [x19, #E_RDOM]         // rd, rport, rchn
        ldr     x1, [x19, #E_RPORT]
        add     x21, x20, #D_EVTCHN
        add     x21, x21, x1, lsl #5
        ldr     x0, [x21, #E_VCPU]          // evtchn_port_set_pending(rd, notify_vcpu_id, rchn)
        add     x2, x20, #D_VCPU0
        ldr     x0, [x2, x0, lsl #3]
        mov     x2, x1
        mov     x1, x21
        ldr     x3, [x20, #D_EVTCHN_OPS]
        blr     x3                          // (v, evtchn, port)
7:      add     x0, x19, #E_LOCK
        bl      _spin_unlock
8:      mov     x0, #0
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// evtchn_2l_set_pending(v x0, evtchn x1, port x2): the pending bit in the domain's shared_info;
// unless masked, the selector bit and the vCPU's upcall.
evtchn_2l_set_pending:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        mov     x20, x2
        ldr     x21, [x19, #V_DOMAIN]
        ldr     x22, [x21, #D_SHINFO]
        mov     x0, x20
        add     x1, x22, #SH_EVTCHN_PENDING
        bl      test_and_set_bit_nr
        cbnz    x0, 8f
        add     x1, x22, #SH_EVTCHN_MASK    // !test_bit(port, evtchn_mask)
        lsr     x2, x20, #5
        ldr     w1, [x1, x2, lsl #2]
        and     x2, x20, #31
        lsr     w1, w1, w2
        tbnz    w1, #0, 8f
        lsr     x0, x20, #6                 // !test_and_set_bit(port / 64, &evtchn_pending_sel)
        add     x1, x22, #SH_PENDING_SEL
        bl      test_and_set_bit_nr
        cbnz    x0, 8f
        mov     x0, x19
        bl      vcpu_mark_events_pending
8:      ldr     x0, [x21, #D_POLL_MASK]     // evtchn_check_pollers: nobody polls
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

// evtchn_vspi_set_pending(v x0, ...): a guest without event-channel code gets the I/O event as
// its virtual SPI (see the header).
evtchn_vspi_set_pending:
        mov     x1, #VIRQ_EVENT
        b       vgic_vcpu_inject_irq

// vcpu_mark_events_pending(v x0): set evtchn_upcall_pending; if it was clear, the upcall PPI.
vcpu_mark_events_pending:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        ldr     x1, [x19, #V_DOMAIN]
        ldr     x1, [x1, #D_SHINFO]
        add     x1, x1, #SH_UPCALL_PENDING
        mov     x0, #0
        bl      test_and_set_bit_nr
        cbnz    x0, 9f
        mov     x0, x19
        ldr     x1, [x19, #V_DOMAIN]
        ldr     x1, [x1, #D_EVTCHN_IRQ]
        bl      vgic_vcpu_inject_irq
9:      ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// evtchn_unmask(d x0, port x1) (EVTCHNOP_unmask → evtchn_2l_unmask)
evtchn_unmask:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x19, x0
        mov     x20, x1
        ldr     x21, [x19, #D_SHINFO]
        mov     x0, x20
        add     x1, x21, #SH_EVTCHN_MASK
        bl      test_and_clear_bit_nr
        cbz     x0, 9f
        add     x1, x21, #SH_EVTCHN_PENDING
        lsr     x2, x20, #5
        ldr     w1, [x1, x2, lsl #2]
        and     x2, x20, #31
        lsr     w1, w1, w2
        tbz     w1, #0, 9f
        lsr     x0, x20, #6
        add     x1, x21, #SH_PENDING_SEL
        bl      test_and_set_bit_nr
        cbnz    x0, 9f
        ldr     x0, [x19, #D_VCPU0]
        bl      vcpu_mark_events_pending
9:      mov     x0, #0
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret

        .include "dom0.inc"

        .include "../common/runtime.inc"

        .data
        .balign 4096
xen_shinfo_vm0:
        .space  4096
xen_shinfo_dom0:
        .space  4096
        .balign 64
xen_percpu:
        .space  PC_SIZE * 2
xen_boot_count:
        .quad   0
csched_priv:
        .quad   TSLICE_MS                   // tslice_ms
        .quad   0                           // ratelimit_us (sched_ratelimit_us=0)
        .quad   0                           // idlers
        .balign 64
dom_idle:
        .space  D_SIZE
dom_vm0:
        .space  D_SIZE
dom_vm1:
        .space  D_SIZE
dom_dom0:
        .space  D_SIZE
        .balign 16
vstack_vm0_0:
        .space  VSTACK_SIZE
vstack_vm0_1:
        .space  VSTACK_SIZE
vstack_vm1_0:
        .space  VSTACK_SIZE
vstack_dom0:
        .space  VSTACK_SIZE
        STAGE2  vm0_s2_l1, vm0_s2_l2, vm0_s2_l3
        STAGE2  vm1_s2_l1, vm1_s2_l2, vm1_s2_l3
        STAGE2  dom0_s2_l1, dom0_s2_l2, dom0_s2_l3
