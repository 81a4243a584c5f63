// kvm-vhe — KVM/ARM on ARMv8.1 with the Virtualization Host Extensions (FEAT_VHE).
//
// The host kernel runs at EL2 with HCR_EL2.{E2H,TGE} = {1,1}: its EL1 register accesses
// (SCTLR_EL1, VBAR_EL1, CPACR_EL1, ELR_EL1, ...) are redirected by the architecture to the EL2
// registers, so the real EL1 registers belong to the guest alone and are reached from the host
// through the *_EL12 / *_EL02 aliases. There is no lowvisor and no second world switch: the
// host calls the world switch as a function (no HVC), and a guest exit is one exception into
// the host's own EL: guest (EL1) --trap--> EL2: save guest GP, undo the traps --RET--> host
// run loop (EL2); the host handles the exit and calls the world switch again --ERET--> guest.
//
// What is modelled is the design of the ATC 2017 follow-up (Dall, Li, Nieh, "Optimizing the
// Design and Implementation of the Linux ARM Hypervisor"), as merged in Linux 4.18
// (arch/arm64/kvm/hyp/switch.c __kvm_vcpu_run_vhe, sysreg-sr.c, virt/kvm/arm/vgic/vgic-v2.c):
//
//   per exit / entry (the hypercall path):
//     GP       all guest x0..x30 saved and restored; the host's callee-saved x18..x30 (the host
//              called the switch as a function, as __guest_enter does)
//     EL1      only the "common" state: MDSCR_EL1 and SP_EL0 of guest and host
//              (__sysreg_save_common_state); ELR/SPSR_EL2 of the guest; ESR_EL2 and, for a
//              Stage-2 abort only, FAR_EL2/HPFAR_EL2 (__populate_fault_info)
//     EL2 cfg  HCR_EL2 (guest value with E2H, host value E2H|TGE), CPACR_EL1 (=CPTR_EL2 in the
//              E2H layout: FP trapped until the guest uses it), VBAR_EL1 (=VBAR_EL2: the KVM
//              vectors while the guest runs, the kernel's on exit), HSTR_EL2, MDCR_EL2
//              (activate_traps_vhe / deactivate_traps_vhe); VTTBR_EL2 (__activate_vm)
//     VGIC     GICv2 over MMIO, only when list registers are in use (used_lrs): restore writes
//              GICH_HCR and the used LRs; save reads ELRSR0 and the used LRs not empty, clears
//              them and GICH_HCR. With no virtual interrupt in flight (the hypercall) nothing
//              touches the GICH. Linux 4.18 does this from the run loop with interrupts off
//              (vgic_v2_save_state / vgic_v2_restore_state), as here.
//     timer    nothing: the host uses the EL2 timers (CNTHP/CNTHV), so the guest's virtual
//              timer and the CNTHCTL_EL2 trap bits stay loaded while the vCPU is loaded
//     FP       nothing: lazy. The guest's first FP instruction traps (EC 0x07); the switch saves
//              the host's FP, loads the guest's and returns straight to the guest
//              (__hyp_switch_fpsimd); the host's FP comes back at vcpu_put.
//   at vcpu_load / vcpu_put (only when another vCPU is to run on this PE: the VM switch):
//     the full guest EL1 context via *_EL12 (kvm_vcpu_load_sysregs / kvm_vcpu_put_sysregs),
//     the virtual timer via CNTV_*_EL02 and CNTVOFF/CNTHCTL_EL2 (kvm_timer_vcpu_load/put),
//     GICH_VMCR and GICH_APR (vgic_v2_load / vgic_v2_put), and a lazily loaded guest FP state.
//   the guest's virtual timer (virt/kvm/arm/arch_timer.c of 4.18): it stays loaded across exits,
//     so its PPI 27 firing while the guest runs is an IRQ exit after which the host takes the
//     physical interrupt itself: gic_handle_irq (EOImode 1: EOIR only) → kvm_arch_timer_handler
//     → kvm_timer_should_fire (the live CNTV_CTL: ENABLE, ISTATUS, not IMASK) →
//     kvm_timer_update_irq → the vgic makes the mapped virtual INTID 27 pending; vgic_flush writes
//     its list register with HW = 1, pINTID 27, and the guest's EOI deactivates PPI 27, which the
//     host left active. kvm_timer_vcpu_load sets PPI 27's physical active state from the virtual
//     one (kvm_timer_vcpu_load_gic).
//
// The host kernel has a scheduler (../common/sched.inc, the same as kvm-split's): each vCPU is a
// thread of its VM's QEMU process, and vcpu_load/vcpu_put run from the KVM preempt notifiers
// when the scheduler switches a vCPU thread out or in (the VM switch: HC_YIELD makes the vCPU
// thread yield). Under VHE the scheduler's TTBR0_EL1 accesses reach TTBR0_EL2 (the host's
// address space), and the host's timer is the EL2 physical timer (CNTP_* reach CNTHP_*).
//
// Guest WFI (HCR_EL2.TWI and TWE, HCR_GUEST_FLAGS) exits and blocks the vCPU thread
// (kvm_handle_wfx → kvm_vcpu_block, ../common/kvm-host.inc). As the thread sleeps its context
// switch runs vcpu_put (the full EL1/VGIC put above) and vcpu_load when it is woken. 4.18's
// kvm_timer_schedule saves and disables the loaded virtual timer (vtimer_save_state) and, if it
// is enabled and not yet due, arms the background hrtimer (bg_timer) for its deadline on the
// host's timer (CNTHP, PPI 26); kvm_bg_timer_expire wakes the vCPU thread (kvm_vcpu_wake_up);
// kvm_timer_unschedule restores the timer if vcpu_load has not already (vtimer->loaded).
//
// Not modelled: the VHE host's own page tables (the host runs with the MMU off, as kvm-split's
// host does), PMU/debug switching (MDSCR only), SVE, RAS (VSESR), the per-VM last_vcpu_ran TLB
// check of kvm_arch_vcpu_load (never true here: one vCPU per VM and PE).
//
// Roles of the PEs, the host threads and the host's exit handling are those of kvm-split
// (examples/bench/*.S, ../common/kvm-host.inc): PE0 runs VM0's vCPU0 thread (and VM1's vCPU0
// thread in the VM-switch benchmark); PE1 runs VM0's vCPU1 thread (virtual IPI), the vhost
// worker and a kworker (io-latency-*), or only its idle task.

        .equ HCR_E2H,       (1 << 34)
        .equ CPACR_FPEN,    (3 << 20)       // CPACR_EL1 / CPTR_EL2 (E2H layout) FPEN
        // CNTHCTL_EL2 in the E2H layout: EL0PCTEN|EL0VCTEN (bits 0,1), EL1PCTEN (10), EL1PCEN (11)
        .equ CNTHCTL_HOST,  (3 << 10) | 3
        .equ CNTHCTL_GUEST, (1 << 10) | 3   // the guest's physical timer traps, its counter does not
        .equ ESR_EC_FP,     0x07
        .equ PCPU_LOADED,   0x20            // vCPU whose state is loaded on this PE (vcpu_load)
        .equ CTX_USED_LRS,  0x4e0           // list registers in use (vgic_flush → restore)
        .equ CTX_FP_LOADED, 0x4e8           // 1: this vCPU's FP state is in the registers
        .equ CTX_MDSCR,     CTX_EL1 + 0xb8
        .equ PCPU_RQ,       0x30            // this PE's run queue (the host's per-CPU data)

// The VHE host kernel's per-CPU data is reached through TPIDR_EL2.
        .macro THIS_RQ reg
        mrs     \reg, tpidr_el2
        ldr     \reg, [\reg, #PCPU_RQ]
        .endm
        .macro SET_THIS_RQ reg              // (clobbers x1)
        mrs     x1, tpidr_el2
        str     \reg, [x1, #PCPU_RQ]
        .endm
        .equ KVM_VCPU_KICK, 1               // vgic_inject kicks through kvm_vcpu_kick (kvm-host.inc)
        .equ HOST_TIMER_PPI, 26             // the VHE host's arch timer: the EL2 physical timer (CNTHP)

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
        VCPU_INIT vhe_vcpu_init, VM0_VCPU0, guest_vcpu0, GUEST_STACK0, VM0, vm0_s2_l1, 1, 0, 0
        .if PE1_ROLE == 1
        VCPU_INIT vhe_vcpu_init, VM0_VCPU1, guest_vcpu1, GUEST_STACK1, VM0, vm0_s2_l1, 1, 1, 1
        .endif
        .if VM_SWITCH
        VCPU_INIT vhe_vcpu_init, VM1_VCPU0, guest_vm1, GUEST_STACK2, VM1, vm1_s2_l1, 2, 0, 0
        .endif
        PSCI_CPU_ON 1, secondary_entry      // start PE1 (x0 = 1 there)
        mov     x0, #0
        b       kvm_host_main               // ../common/kvm-host.inc

secondary_entry:                            // PE1 at EL2, x0 = 1
        mov     x19, x0
        bl      hyp_init_pe
        mov     x0, x19
        b       kvm_host_main

// vcpu_init (runtime.inc), then the guest's HCR_EL2 keeps E2H set: the host stays in the
// EL2&0 layout while the guest runs (vcpu_reset_hcr: hcr_el2 |= HCR_E2H with VHE).
vhe_vcpu_init:
        stp     x29, x30, [sp, #-16]!
        str     x0, [sp, #-16]!
        bl      kvm_vcpu_init               // vcpu_init, then TWI | TWE (kvm-host.inc)
        ldr     x0, [sp], #16
        ldr     x1, [x0, #CTX_HCR]
        orr     x1, x1, #HCR_E2H
        str     x1, [x0, #CTX_HCR]
        ldp     x29, x30, [sp], #16
        ret

// The VHE host kernel's per-PE start at EL2 (x0 = PE number): E2H|TGE first, then stack,
// the kernel's vectors, per-PE data (TPIDR_EL2), GIC CPU interface, Stage-2 controls.
hyp_init_pe:
        MOV64   x1, HCR_VHE_HOST
        msr     hcr_el2, x1
        isb
        msr     daifset, #0xf
        MOV64   x1, EL2_STACK
        lsl     x2, x0, #16
        sub     x1, x1, x2
        mov     sp, x1
        adr     x1, host_vectors
        msr     vbar_el2, x1
        MOV64   x1, PCPU_BASE
        add     x1, x1, x0, lsl #6
        msr     tpidr_el2, x1
        str     x0, [x1, #PCPU_ID]
        str     xzr, [x1, #PCPU_VCPU]
        str     xzr, [x1, #PCPU_LOADED]
        MOV64   x2, HOST_CTX
        add     x2, x2, x0, lsl #12
        str     x2, [x1, #PCPU_HOST]
        MOV64   x1, GICC
        mov     w2, #0xff
        str     w2, [x1, #4]                // GICC_PMR
        mov     w2, #1
        str     w2, [x1]                    // GICC_CTLR.Enable
        MOV64   x1, VTCR_VALUE
        msr     vtcr_el2, x1
        MOV64   x1, CNTHCTL_HOST
        msr     cnthctl_el2, x1
        msr     cntvoff_el2, xzr
        mov     x1, #CPACR_FPEN             // CPTR_EL2 in the E2H layout: FP not trapped
        msr     cptr_el2, x1
        isb
        ret

// ======================================================================== host kernel (EL2)
// The kernel's vectors (VBAR_EL2 while the host runs).
        .balign 2048
host_vectors:
        .rept   5
        .balign 128
        b       host_panic
        .endr
        .balign 128                         // 0x280: IRQ at EL2 (SPx): the host's interrupts
        b       host_irq
        .rept   10
        .balign 128
        b       host_panic
        .endr

// KVM's vectors (VBAR_EL2 while a guest runs): exceptions from the guest only.
        .balign 2048
kvm_hyp_vectors:
        .rept   8
        .balign 128
        b       hyp_panic
        .endr
        .balign 128                         // 0x400: synchronous from a lower EL
        stp     x0, x1, [sp, #-16]!         // on the host's own stack (SP_EL2)
        mrs     x1, tpidr_el2
        ldr     x0, [x1, #PCPU_VCPU]
        mov     x1, #0                      // exit reason: trap
        b       guest_exit
        .balign 128                         // 0x480: IRQ from a lower EL
        stp     x0, x1, [sp, #-16]!
        mrs     x1, tpidr_el2
        ldr     x0, [x1, #PCPU_VCPU]
        mov     x1, #1                      // exit reason: IRQ (taken once the host unmasks)
        b       guest_exit
        .rept   6
        .balign 128
        b       hyp_panic
        .endr

hyp_panic:
        mov     x0, #98
        b       machine_exit

host_panic:
        mov     x0, #97
        b       machine_exit

// ------------------------------------------------------------------------ the world switch
// __kvm_vcpu_run_vhe: x0 = vCPU context; returns x0 = exit reason (0 trap, 1 IRQ). Called
// with interrupts masked. Host caller-saved registers are not preserved.
kvm_vcpu_run_vhe:
        mrs     x2, tpidr_el2
        ldr     x1, [x2, #PCPU_HOST]
        str     x0, [x2, #PCPU_VCPU]
        SAVE_HOST_GP x1, host
bd_el1_save_host:                           // sysreg_save_host_state_vhe: common state only
        mrs     x2, mdscr_el1
        str     x2, [x1, #CTX_MDSCR]
        mrs     x2, sp_el0
        str     x2, [x1, #CTX_EL1 + 0x98]
bd_end_el1_save_host:
bd_el2cfg_restore_guest:                    // __activate_traps + activate_traps_vhe
        ldr     x2, [x0, #CTX_HCR]
        msr     hcr_el2, x2
        mrs     x2, cpacr_el1               // = CPTR_EL2 (E2H)
        bic     x2, x2, #CPACR_FPEN
        ldr     x3, [x0, #CTX_FP_LOADED]
        cbz     x3, 1f
        orr     x2, x2, #CPACR_FPEN         // the guest's FP is already in the registers
1:      msr     cpacr_el1, x2
        adr     x2, kvm_hyp_vectors
        msr     vbar_el1, x2                // = VBAR_EL2 (E2H)
        msr     hstr_el2, xzr
        mov     x2, #6
        msr     mdcr_el2, x2
bd_end_el2cfg_restore_guest:
bd_el2vm_restore_guest:                     // __activate_vm
        ldr     x2, [x0, #CTX_VTTBR]
        msr     vttbr_el2, x2
bd_end_el2vm_restore_guest:
bd_el1_restore_guest:                       // sysreg_restore_guest_state_vhe: common + EL2 return
        ldr     x2, [x0, #CTX_MDSCR]
        msr     mdscr_el1, x2
        ldr     x2, [x0, #CTX_EL1 + 0x98]
        msr     sp_el0, x2
bd_end_el1_restore_guest:
vhe_enter_guest:                            // __guest_enter (x0 = vCPU context)
        ldr     x2, [x0, #CTX_PC]
        msr     elr_el2, x2
        ldr     x2, [x0, #CTX_PSTATE]
        msr     spsr_el2, x2
        RESTORE_GUEST_GP guest
        eret

// Guest → host. x0 = vCPU context, x1 = exit reason; the guest's x0/x1 are on the stack.
guest_exit:
        SAVE_GUEST_GP x0, guest
        str     x1, [x0, #CTX_EXIT]
        mrs     x2, elr_el2
        str     x2, [x0, #CTX_PC]
        mrs     x2, spsr_el2
        str     x2, [x0, #CTX_PSTATE]
        cbnz    x1, 2f                      // IRQ: no syndrome
        mrs     x2, esr_el2
        str     x2, [x0, #CTX_ESR]
        lsr     x3, x2, #26
        cmp     x3, #ESR_EC_FP
        b.eq    vhe_switch_fpsimd           // fixup_guest_exit: handled without leaving
        cmp     x3, #ESR_EC_DABT
        b.ne    2f
        mrs     x2, hpfar_el2               // __populate_fault_info: Stage-2 aborts only
        str     x2, [x0, #CTX_HPFAR]
        mrs     x2, far_el2
        str     x2, [x0, #CTX_FAR]
2:
bd_el1_save_guest:                          // sysreg_save_guest_state_vhe: common state only
        mrs     x2, mdscr_el1
        str     x2, [x0, #CTX_MDSCR]
        mrs     x2, sp_el0
        str     x2, [x0, #CTX_EL1 + 0x98]
bd_end_el1_save_guest:
bd_el2cfg_save_guest:                       // __deactivate_traps + deactivate_traps_vhe
        MOV64   x2, HCR_VHE_HOST
        msr     hcr_el2, x2
        mov     x2, #CPACR_FPEN
        msr     cpacr_el1, x2               // CPACR_EL1_DEFAULT (= CPTR_EL2)
        adr     x2, host_vectors
        msr     vbar_el1, x2                // back to the kernel's vectors
        msr     hstr_el2, xzr
        mov     x2, #6
        msr     mdcr_el2, x2
bd_end_el2cfg_save_guest:
bd_el2vm_save_guest:                        // __deactivate_vm
        msr     vttbr_el2, xzr
bd_end_el2vm_save_guest:
        mrs     x2, tpidr_el2
        str     xzr, [x2, #PCPU_VCPU]
        ldr     x1, [x2, #PCPU_HOST]
bd_el1_restore_host:                        // sysreg_restore_host_state_vhe: common state only
        ldr     x2, [x1, #CTX_MDSCR]
        msr     mdscr_el1, x2
        ldr     x2, [x1, #CTX_EL1 + 0x98]
        msr     sp_el0, x2
bd_end_el1_restore_host:
        RESTORE_HOST_GP x1, host
        ldr     x0, [x0, #CTX_EXIT]
        ret                                 // back into the host's run loop: no ERET, no HVC

// The guest's first FP/SIMD use since vcpu_load (__hyp_switch_fpsimd): enable FP, park the
// host's FP state, load the guest's, and re-enter the guest at the trapped instruction.
vhe_switch_fpsimd:
        mrs     x2, cpacr_el1
        orr     x2, x2, #CPACR_FPEN
        msr     cpacr_el1, x2
        isb
        mrs     x2, tpidr_el2
        ldr     x1, [x2, #PCPU_HOST]
        FP_SAVE x1, lazyhost
        FP_RESTORE x0, lazyguest
        mov     x2, #1
        str     x2, [x0, #CTX_FP_LOADED]
        b       vhe_enter_guest

// ------------------------------------------------------------------------ vcpu_load / vcpu_put
// The full EL1 context of a guest, through the *_EL12 aliases where the EL1 encoding would be
// redirected to EL2, and the EL1 encoding where it is not (ACTLR, PAR, TPIDR*, SP_EL1).
// Same layout as kit.inc's EL1_SAVE; SP_EL0 and MDSCR go with every exit instead.
        .macro VHE_EL1_SAVE ctx, tag
bd_el1_save_\tag:
        mrs     x2, sctlr_el12
        mrs     x3, actlr_el1
        stp     x2, x3, [\ctx, #CTX_EL1 + 0x00]
        mrs     x2, cpacr_el12
        mrs     x3, ttbr0_el12
        stp     x2, x3, [\ctx, #CTX_EL1 + 0x10]
        mrs     x2, ttbr1_el12
        mrs     x3, tcr_el12
        stp     x2, x3, [\ctx, #CTX_EL1 + 0x20]
        mrs     x2, esr_el12
        mrs     x3, afsr0_el12
        stp     x2, x3, [\ctx, #CTX_EL1 + 0x30]
        mrs     x2, afsr1_el12
        mrs     x3, far_el12
        stp     x2, x3, [\ctx, #CTX_EL1 + 0x40]
        mrs     x2, mair_el12
        mrs     x3, vbar_el12
        stp     x2, x3, [\ctx, #CTX_EL1 + 0x50]
        mrs     x2, contextidr_el12
        mrs     x3, amair_el12
        stp     x2, x3, [\ctx, #CTX_EL1 + 0x60]
        mrs     x2, cntkctl_el12
        mrs     x3, par_el1
        stp     x2, x3, [\ctx, #CTX_EL1 + 0x70]
        mrs     x2, tpidr_el0
        mrs     x3, tpidrro_el0
        stp     x2, x3, [\ctx, #CTX_EL1 + 0x80]
        mrs     x2, tpidr_el1
        str     x2, [\ctx, #CTX_EL1 + 0x90]
        mrs     x2, sp_el1
        mrs     x3, elr_el12
        stp     x2, x3, [\ctx, #CTX_EL1 + 0xa0]
        mrs     x2, spsr_el12
        str     x2, [\ctx, #CTX_EL1 + 0xb0]
bd_end_el1_save_\tag:
        .endm

        .macro VHE_EL1_RESTORE ctx, tag
bd_el1_restore_\tag:
        ldp     x2, x3, [\ctx, #CTX_EL1 + 0x00]
        msr     sctlr_el12, x2
        msr     actlr_el1, x3
        ldp     x2, x3, [\ctx, #CTX_EL1 + 0x10]
        msr     cpacr_el12, x2
        msr     ttbr0_el12, x3
        ldp     x2, x3, [\ctx, #CTX_EL1 + 0x20]
        msr     ttbr1_el12, x2
        msr     tcr_el12, x3
        ldp     x2, x3, [\ctx, #CTX_EL1 + 0x30]
        msr     esr_el12, x2
        msr     afsr0_el12, x3
        ldp     x2, x3, [\ctx, #CTX_EL1 + 0x40]
        msr     afsr1_el12, x2
        msr     far_el12, x3
        ldp     x2, x3, [\ctx, #CTX_EL1 + 0x50]
        msr     mair_el12, x2
        msr     vbar_el12, x3
        ldp     x2, x3, [\ctx, #CTX_EL1 + 0x60]
        msr     contextidr_el12, x2
        msr     amair_el12, x3
        ldp     x2, x3, [\ctx, #CTX_EL1 + 0x70]
        msr     cntkctl_el12, x2
        msr     par_el1, x3
        ldp     x2, x3, [\ctx, #CTX_EL1 + 0x80]
        msr     tpidr_el0, x2
        msr     tpidrro_el0, x3
        ldr     x2, [\ctx, #CTX_EL1 + 0x90]
        msr     tpidr_el1, x2
        ldp     x2, x3, [\ctx, #CTX_EL1 + 0xa0]
        msr     sp_el1, x2
        msr     elr_el12, x3
        ldr     x2, [\ctx, #CTX_EL1 + 0xb0]
        msr     spsr_el12, x2
bd_end_el1_restore_\tag:
        .endm

// kvm_arch_vcpu_load / kvm_arch_vcpu_put (virt/kvm/arm/arm.c of 4.18), run by the scheduler's
// preempt notifiers when the vCPU thread is switched in / out (and at the start of its run
// ioctl): the PE and host context bookkeeping, then vcpu_load / vcpu_put below.
kvm_arch_vcpu_load:                         // x0 = vCPU context
        stp     x29, x30, [sp, #-16]!
        str     x19, [sp, #-16]!
        mov     x19, x0
        mrs     x1, tpidr_el2
        ldr     x2, [x1, #PCPU_ID]
        str     x2, [x19, #CTX_CPU]         // vcpu->cpu = cpu
        ldr     x3, [x1, #PCPU_HOST]
        str     x3, [x19, #CTX_HOST_CPU_CONTEXT]
        str     x19, [x1, #PCPU_LOADED]
        THIS_RQ x4
        str     x19, [x4, #RQ_KVM_RUNNING_VCPU] // kvm_arm_set_running_vcpu(vcpu)
        bl      vcpu_load
        ldr     x19, [sp], #16
        ldp     x29, x30, [sp], #16
        ret

kvm_arch_vcpu_put:                          // x0 = vCPU context
        stp     x29, x30, [sp, #-16]!
        str     x19, [sp, #-16]!
        mov     x19, x0
        bl      vcpu_put
        mov     x1, #-1
        str     x1, [x19, #CTX_CPU]         // vcpu->cpu = -1
        mrs     x1, tpidr_el2
        str     xzr, [x1, #PCPU_LOADED]
        THIS_RQ x1
        str     xzr, [x1, #RQ_KVM_RUNNING_VCPU]
        ldr     x19, [sp], #16
        ldp     x29, x30, [sp], #16
        ret

vcpu_put:                                   // x0 = vCPU context
        VHE_EL1_SAVE x0, put
bd_timer_save_put:                          // kvm_timer_vcpu_put: vtimer_save_state (if loaded)
        ldr     x3, [x0, #CTX_TIMER_LOADED]
        cbz     x3, 5f
        mrs     x2, cntv_ctl_el02
        mrs     x3, cntv_cval_el02
        stp     x2, x3, [x0, #CTX_TIMER]
        msr     cntv_ctl_el02, xzr
        str     xzr, [x0, #CTX_TIMER_LOADED]
5:      MOV64   x2, CNTHCTL_HOST
        msr     cnthctl_el2, x2
        msr     cntvoff_el2, xzr
bd_end_timer_save_put:
bd_vgic_save_put:                           // vgic_v2_put: VMCR and the active priorities
        MOV64   x2, GICH
        ldr     w3, [x2, #GICH_VMCR]
        str     w3, [x0, #CTX_VGIC + 0x08]
        ldr     w3, [x2, #GICH_APR]
        str     w3, [x0, #CTX_VGIC + 0x38]
bd_end_vgic_save_put:
        ldr     x3, [x0, #CTX_FP_LOADED]
        cbz     x3, 1f
        FP_SAVE x0, putguest
        mrs     x2, tpidr_el2
        ldr     x1, [x2, #PCPU_HOST]
        FP_RESTORE x1, puthost
        str     xzr, [x0, #CTX_FP_LOADED]
1:      ret

vcpu_load:                                  // x0 = vCPU context
        VHE_EL1_RESTORE x0, load
        // kvm_timer_vcpu_load_gic: PPI 27 active in the distributor iff the guest has the mapped
        // virtual interrupt active (kvm_vgic_map_is_active; irq_set_irqchip_state)
        MOV64   x2, GICD
        mov     w3, #(1 << HOST_VTIMER_IRQ)
        ldr     x4, [x0, #CTX_MAPPED_LR]
        cbz     x4, 1f
        add     x5, x0, #CTX_LR - 8
        add     x5, x5, x4, lsl #3
        ldr     w5, [x5]
        and     w6, w5, #0x3ff
        cmp     w6, #HOST_VTIMER_IRQ        // (the LR may hold another interrupt by now)
        b.ne    1f
        tbz     w5, #29, 1f                 // GICH_LR state: active
        str     w3, [x2, #0x300]            // GICD_ISACTIVER0
        b       2f
1:      str     w3, [x2, #0x380]            // GICD_ICACTIVER0
2:
bd_timer_restore_load:                      // kvm_timer_vcpu_load
        MOV64   x2, CNTHCTL_GUEST
        msr     cnthctl_el2, x2
        ldr     x2, [x0, #CTX_TIMER + 16]
        msr     cntvoff_el2, x2
        ldp     x2, x3, [x0, #CTX_TIMER]
        msr     cntv_cval_el02, x3
        msr     cntv_ctl_el02, x2
        mov     x2, #1                      // vtimer->loaded
        str     x2, [x0, #CTX_TIMER_LOADED]
bd_end_timer_restore_load:
bd_vgic_restore_load:                       // vgic_v2_load
        MOV64   x2, GICH
        ldr     w3, [x0, #CTX_VGIC + 0x08]
        str     w3, [x2, #GICH_VMCR]
        ldr     w3, [x0, #CTX_VGIC + 0x38]
        str     w3, [x2, #GICH_APR]
bd_end_vgic_restore_load:
        ret

// ------------------------------------------------------------------------ VGIC (GICv2 MMIO)
// vgic_v2_restore_state (x0 = vCPU context), after vgic_flush filled the shadow list
// registers: used_lrs = 1 + the highest LR not invalid; GICH is written only if used_lrs > 0.
vgic_v2_restore_state:
        mov     x4, #0                      // (the count belongs to vgic_flush_lr_state: not VGIC switching)
        mov     x5, #0
1:      add     x6, x0, #CTX_LR
        add     x6, x6, x5, lsl #3
        ldr     w3, [x6]
        tst     w3, #(3 << 28)
        b.eq    2f
        add     x4, x5, #1
2:      add     x5, x5, #1
        cmp     x5, #NR_LRS
        b.lo    1b
        str     x4, [x0, #CTX_USED_LRS]
bd_vgic_restore_guest:
        cbz     x4, 9f
        MOV64   x2, GICH
        ldr     w3, [x0, #CTX_VGIC + 0x00]
        str     w3, [x2, #GICH_HCR]
        add     x7, x2, #GICH_LR0
        mov     x5, #0
3:      add     x6, x0, #CTX_LR
        add     x6, x6, x5, lsl #3
        ldr     w3, [x6]
        str     w3, [x7, x5, lsl #2]
        add     x5, x5, #1
        cmp     x5, x4
        b.lo    3b
9:
bd_end_vgic_restore_guest:
        ret

// vgic_v2_save_state (x0 = vCPU context), after the exit: for each used LR, an empty one
// (ELRSR) is marked invalid without reading it, any other is read back; each is cleared.
vgic_v2_save_state:
bd_vgic_save_guest:
        ldr     x4, [x0, #CTX_USED_LRS]
        cbz     x4, 9f
        MOV64   x2, GICH
        ldr     w5, [x2, #GICH_ELRSR0]
        add     x7, x2, #GICH_LR0
        mov     x6, #0
1:      add     x8, x0, #CTX_LR
        add     x8, x8, x6, lsl #3
        lsr     w9, w5, w6
        tbz     w9, #0, 2f
        ldr     w3, [x8]
        bic     w3, w3, #(3 << 28)          // empty: state invalid
        b       3f
2:      ldr     w3, [x7, x6, lsl #2]
3:      str     w3, [x8]
        str     wzr, [x7, x6, lsl #2]
        add     x6, x6, #1
        cmp     x6, x4
        b.lo    1b
        str     wzr, [x2, #GICH_HCR]
        str     xzr, [x0, #CTX_USED_LRS]
9:
bd_end_vgic_save_guest:
        ret

// ------------------------------------------------------------------------ host (EL2)
// The vCPU run loop (kvm_arch_vcpu_ioctl_run): x19 = vCPU context, x28 = this PE.
host_run_vcpu:
        bl      cond_resched                // the loop's scheduling point
        msr     daifset, #2
        mov     x0, x19
        bl      vgic_flush                  // pending virtual interrupts → list registers
        mov     x0, x19
        bl      vgic_v2_restore_state
        mov     x0, x19
        bl      kvm_vcpu_run_vhe            // a function call: the host is already at EL2
        mov     x20, x0
        mov     x0, x19
        bl      vgic_v2_save_state
        msr     daifclr, #2                 // a physical interrupt that caused the exit is taken here
        isb
        msr     daifset, #2
        cbnz    x20, host_run_vcpu
        mov     x0, x19
        bl      host_handle_trap
        cbz     x0, host_run_vcpu
        // HC_YIELD: the vCPU thread yields the PE (sched_yield); the scheduler puts this vCPU
        // (kvm_sched_out) and switches to the other VM's vCPU thread, which loads its own
        bl      yield
        b       host_run_vcpu

// ------------------------------------------------------------------------ virtual timer
// kvm_arch_timer_handler (4.18), from gic_handle_irq on PPI 27 (EOIR done, no deactivation):
// the running vCPU (kvm_arm_get_running_vcpu; none after vcpu_put: ignore); if its timer should
// fire — the live CNTV_CTL_EL02 (the timer is loaded) has ENABLE and ISTATUS and not IMASK —
// kvm_timer_update_irq(vcpu, true): the level goes up and kvm_vgic_inject_irq makes the mapped
// virtual INTID 27 pending (vgic_inject: the vCPU runs on this PE, so no kick).
kvm_arch_timer_handler:
        THIS_RQ x1
        ldr     x0, [x1, #RQ_KVM_RUNNING_VCPU]
        cbz     x0, 9f
        mrs     x1, cntv_ctl_el02           // kvm_timer_should_fire
        and     x1, x1, #7
        cmp     x1, #5                      // ENABLE | ISTATUS
        b.ne    9f
        mov     x1, #1                      // kvm_timer_update_irq
        str     x1, [x0, #CTX_TIMER_LEVEL]
        ldr     x2, [x0, #CTX_PCPU]
        mov     x1, #HOST_VTIMER_IRQ
        b       vgic_inject
9:      ret

// kvm_timer_should_fire (vcpu x0) → x0 (4.18): a loaded timer from the live CNTV_CTL_EL02
// (ENABLE, ISTATUS, not IMASK); a saved one: can fire and CVAL <= counter - cntvoff.
kvm_timer_should_fire:
        ldr     x1, [x0, #CTX_TIMER_LOADED]
        cbz     x1, 1f
        mrs     x1, cntv_ctl_el02
        and     x1, x1, #7
        cmp     x1, #5
        cset    x0, eq
        ret
1:      ldr     x1, [x0, #CTX_TIMER]
        and     x1, x1, #3
        cmp     x1, #1
        b.ne    8f
        ldp     x1, x2, [x0, #CTX_TIMER + 8]
        isb
        mrs     x3, cntvct_el0              // (at EL2 with E2H: the physical count)
        sub     x3, x3, x2
        cmp     x1, x3
        cset    x0, ls
        ret
8:      mov     x0, #0
        ret

// kvm_timer_vcpu_init (vcpu x0): hrtimer_init(&timer->bg_timer) with kvm_bg_timer_expire.
kvm_timer_vcpu_init:
        adr     x1, kvm_bg_timer_expire
        str     x1, [x0, #CTX_BG_TIMER + HRT_FUNCTION]
        str     xzr, [x0, #CTX_BG_TIMER + HRT_STATE]
        ret

// kvm_arch_vcpu_blocking → kvm_timer_schedule (vcpu x0) (4.18): vtimer_save_state (the loaded
// timer is saved and disabled), then, if the timer is not already due and can fire,
// soft_timer_start(&timer->bg_timer, kvm_timer_earliest_exp(vcpu)).
kvm_arch_vcpu_blocking:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        ldr     x1, [x19, #CTX_TIMER_LOADED] // vtimer_save_state
        cbz     x1, 1f
        mrs     x2, cntv_ctl_el02
        mrs     x3, cntv_cval_el02
        stp     x2, x3, [x19, #CTX_TIMER]
        msr     cntv_ctl_el02, xzr
        isb
        str     xzr, [x19, #CTX_TIMER_LOADED]
1:      mov     x0, x19
        bl      kvm_timer_should_fire
        cbnz    x0, 9f
        ldr     x1, [x19, #CTX_TIMER]       // kvm_timer_irq_can_fire
        and     x1, x1, #3
        cmp     x1, #1
        b.ne    9f
        mov     x0, x19                     // kvm_timer_earliest_exp
        bl      kvm_timer_compute_delta
        mov     x1, x0
        mov     x0, x19
        bl      kvm_timer_arm               // soft_timer_start
9:      ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// kvm_arch_vcpu_unblocking → kvm_timer_unschedule (vcpu x0): vtimer_restore_state (unless
// vcpu_load already restored it), soft_timer_cancel(&timer->bg_timer).
kvm_arch_vcpu_unblocking:
        ldr     x1, [x0, #CTX_TIMER_LOADED]
        cbnz    x1, 1f
        ldp     x2, x3, [x0, #CTX_TIMER]
        msr     cntv_cval_el02, x3
        isb
        msr     cntv_ctl_el02, x2
        mov     x1, #1
        str     x1, [x0, #CTX_TIMER_LOADED]
1:      add     x0, x0, #CTX_BG_TIMER
        b       hrtimer_cancel

// kvm_bg_timer_expire (the bg_timer's function, x0 = the hrtimer, in the host's timer
// interrupt): deadline still ahead → forward and restart; else kvm_vcpu_wake_up(vcpu).
kvm_bg_timer_expire:
        stp     x29, x30, [sp, #-32]!
        stp     x19, x20, [sp, #16]
        mov     x19, x0
        sub     x0, x19, #CTX_BG_TIMER
        bl      kvm_timer_compute_delta     // kvm_timer_earliest_exp
        cbz     x0, 2f
        mov     x1, x0                      // hrtimer_forward_now(hrt, ns)
        mov     x0, x19
        bl      hrtimer_forward_now
        mov     x0, #1                      // HRTIMER_RESTART
        b       9f
2:      sub     x0, x19, #CTX_BG_TIMER
        bl      kvm_vcpu_wake_up
        mov     x0, #0                      // HRTIMER_NORESTART
9:      ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

        .include "../common/handle-exit.inc"   // host_handle_trap
        .include "../common/runtime.inc"
        .include "../common/sched.inc"
        .include "../common/kvm-host.inc"

        .data
        STAGE2  vm0_s2_l1, vm0_s2_l2, vm0_s2_l3
        STAGE2  vm1_s2_l1, vm1_s2_l2, vm1_s2_l3
