// xen-style — a type-1 hypervisor in the manner of Xen on ARM: it owns EL2 and runs every VM
// (a Dom0-like VM that hosts the I/O backend, and guest VMs) at EL1/EL0. It never leaves EL2 to
// handle a trap, so a trap costs only what the handler needs:
//
//   hypercall (HC_NOP)   save x0..x3 on the EL2 stack, look at ESR, restore, ERET (no EL1,
//                        VGIC or timer state is touched: the guest's stays live in the CPU)
//   other traps          save the guest's full GP frame (the emulation may write any register),
//                        emulate (distributor, doorbell, event channel), restore, ERET
//   VM switch            save the whole vCPU (GP, EL1 sysregs, FP, VGIC, timer, VTTBR_EL2 with
//                        its VMID) and load the other's — the only place EL1 state is switched
//
// I/O goes through Dom0 (VM "DOM0", VMID 3) on PE1: a guest's doorbell write becomes an event
// (virtual interrupt) for Dom0; Dom0 blocks in WFI (trapped: HCR_EL2.TWI) when idle, so a
// notification wakes PE1 from the hypervisor's idle loop and switches Dom0 back in. Dom0
// notifies a guest with the HC_EVTCHN hypercall.
//
// Assembled after ../common/kit.inc, the guest runtime and one benchmark (examples/run/).
        .text
        .global _start
_start:
        mov     x0, #0
        bl      xen_init_pe
        MOV64   x1, GICD
        mov     w0, #1
        str     w0, [x1]
        mov     w0, #0xffff
        str     w0, [x1, #0x100]
        VCPU_INIT vcpu_init, VM0_VCPU0, guest_vcpu0, GUEST_STACK0, VM0, vm0_s2_l1, 1, 0, 0
        .if PE1_ROLE == 1
        VCPU_INIT vcpu_init, VM0_VCPU1, guest_vcpu1, GUEST_STACK1, VM0, vm0_s2_l1, 1, 1, 1
        .endif
        .if PE1_ROLE == 2
        VCPU_INIT vcpu_init, DOM0_VCPU0, dom0_main, GUEST_STACK3, DOM0, dom0_s2_l1, 3, 0, 1
        MOV64   x0, DOM0_VCPU0              // Dom0 blocks in WFI: trap it
        MOV64   x1, HCR_GUEST_TWI
        str     x1, [x0, #CTX_HCR]
        .endif
        .if VM_SWITCH
        VCPU_INIT vcpu_init, VM1_VCPU0, guest_vm1, GUEST_STACK2, VM1, vm1_s2_l1, 2, 0, 0
        MOV64   x1, PCPU_BASE
        MOV64   x0, VM1_VCPU0
        str     x0, [x1, #PCPU_OTHER]
        .endif
        MOV64   x0, 0xC4000003              // PSCI CPU_ON: PE1
        mov     x1, #1
        adr     x2, xen_secondary
        mov     x3, #1
        smc     #0
        MOV64   x0, VM0_VCPU0
        b       vcpu_switch_in

xen_secondary:
        bl      xen_init_pe
        .if PE1_ROLE == 1
        MOV64   x0, VM0_VCPU1
        b       vcpu_switch_in
        .endif
        .if PE1_ROLE == 2
        MOV64   x0, DOM0_VCPU0
        b       vcpu_switch_in
        .endif
        b       xen_idle

// x0 = PE number.
xen_init_pe:
        EL2_PE_SETUP xen_vectors
        mov     x1, #1
        msr     cnthctl_el2, x1
        msr     cntvoff_el2, xzr
        msr     cptr_el2, xzr
        isb
        ret

// ---------------------------------------------------------------- vectors
        .balign 2048
xen_vectors:
        .rept   5
        .balign 128
        b       xen_panic
        .endr
        .balign 128                         // 0x280: IRQ at EL2 (the idle loop)
        b       xen_idle_irq
        .rept   2
        .balign 128
        b       xen_panic
        .endr
        .balign 128                         // 0x400: synchronous from the guest
bd_gp_save_xenvec:
        stp     x0, x1, [sp, #-16]!
        stp     x2, x3, [sp, #-16]!
bd_end_gp_save_xenvec:
        b       xen_trap
        .balign 128                         // 0x480: IRQ while a guest runs
        stp     x0, x1, [sp, #-16]!
        stp     x2, x3, [sp, #-16]!
        b       xen_guest_irq
        .rept   6
        .balign 128
        b       xen_panic
        .endr

xen_panic:
        mov     x0, #96
        b       machine_exit

// Saves the guest's full GP frame into the current vCPU (x0..x3 are on the stack) and returns
// x19 = vCPU, x28 = this PE. Called with BL from the vectors' slow paths (x30 is saved first).
        .macro FULL_FRAME_SAVE tag
        mrs     x1, tpidr_el2
        ldr     x0, [x1, #PCPU_VCPU]
bd_gp_save_\tag:
        ldp     x2, x3, [sp], #16
        stp     x2, x3, [x0, #CTX_X + 16]
        stp     x4, x5, [x0, #CTX_X + 32]
        stp     x6, x7, [x0, #CTX_X + 48]
        stp     x8, x9, [x0, #CTX_X + 64]
        stp     x10, x11, [x0, #CTX_X + 80]
        stp     x12, x13, [x0, #CTX_X + 96]
        stp     x14, x15, [x0, #CTX_X + 112]
        stp     x16, x17, [x0, #CTX_X + 128]
        stp     x18, x19, [x0, #CTX_X + 144]
        stp     x20, x21, [x0, #CTX_X + 160]
        stp     x22, x23, [x0, #CTX_X + 176]
        stp     x24, x25, [x0, #CTX_X + 192]
        stp     x26, x27, [x0, #CTX_X + 208]
        stp     x28, x29, [x0, #CTX_X + 224]
        str     x30, [x0, #CTX_X + 240]
        ldp     x2, x3, [sp], #16
        stp     x2, x3, [x0, #CTX_X]
bd_end_gp_save_\tag:
        mrs     x2, elr_el2
        str     x2, [x0, #CTX_PC]
        mrs     x2, spsr_el2
        str     x2, [x0, #CTX_PSTATE]
        mov     x19, x0
        ldr     x28, [x1, #PCPU_ID]
        .endm

// Back to the vCPU in x19 (its frame in the context; EL1 state is live).
xen_return:
        ldr     x2, [x19, #CTX_PC]
        msr     elr_el2, x2
        ldr     x2, [x19, #CTX_PSTATE]
        msr     spsr_el2, x2
        mov     x0, x19
        RESTORE_GUEST_GP xenfull
        eret

// Every trap: the guest's GP frame is saved (as Xen's entry code saves cpu_user_regs); the
// EL1, FP, VGIC and timer state stay live in the CPU.
xen_trap:
        FULL_FRAME_SAVE trap
        mrs     x2, esr_el2
        str     x2, [x19, #CTX_ESR]
        mrs     x2, hpfar_el2
        str     x2, [x19, #CTX_HPFAR]
        mrs     x2, far_el2
        str     x2, [x19, #CTX_FAR]
        ldr     x2, [x19, #CTX_ESR]
        lsr     x3, x2, #26
        cmp     x3, #ESR_EC_HVC
        b.eq    xen_hvc
        cmp     x3, #ESR_EC_DABT
        b.eq    xen_dabt
        cmp     x3, #ESR_EC_WFX
        b.eq    xen_wfi
        b       xen_panic

xen_hvc:
        ldp     x0, x1, [x19, #CTX_X]
        cbz     x0, xen_return              // HC_NOP: nothing to do
        cmp     x0, #HC_INJECT_SELF
        b.ne    1f
        mov     x0, x19
        mov     x2, x28
        bl      vgic_inject
        mov     x0, x19
        bl      vgic_flush_live
        b       xen_return
1:      cmp     x0, #HC_YIELD
        b.ne    2f
        // VM switch: the other vCPU of this PE
        mrs     x1, tpidr_el2
        ldr     x0, [x1, #PCPU_OTHER]
        str     x19, [x1, #PCPU_OTHER]
        b       vcpu_switch
2:      cmp     x0, #HC_EVTCHN
        b.ne    3f
        // event channel (Dom0 → guest): pend the event on VM0's vCPU0, kick its PE
        MOV64   x0, VM0_VCPU0
        mov     x1, #VIRQ_EVENT
        mov     x2, x28
        bl      vgic_inject
        b       xen_return
3:      cmp     x0, #HC_DONE
        b.ne    xen_return
        mov     x0, x1
        b       machine_exit

xen_dabt:
        mov     x0, x19
        bl      dabt_decode
        MOV64   x3, GICD
        sub     x4, x0, x3
        cmp     x4, #0x10000
        b.hs    1f
        mov     x0, x19                     // the distributor, emulated in the hypervisor
        mov     x5, x1
        mov     x1, x4
        mov     x3, x2
        mov     x2, x5
        mov     x4, x28
        bl      vgic_dist_access
        b       2f
1:      MOV64   x3, DOORBELL_IPA
        cmp     x0, x3
        b.ne    2f
        // ioreq: an event for Dom0's backend (Dom0 runs on PE1)
        MOV64   x0, DOM0_VCPU0
        mov     x1, #VIRQ_EVENT
        mov     x2, x28
        bl      vgic_inject
2:      ldr     x0, [x19, #CTX_PC]
        add     x0, x0, #4
        str     x0, [x19, #CTX_PC]
        b       xen_return

// Dom0 has nothing to do: block it (save it whole) and idle this PE until an event comes.
xen_wfi:
        ldr     x0, [x19, #CTX_PC]
        add     x0, x0, #4
        str     x0, [x19, #CTX_PC]
        mov     x0, x19
        bl      vcpu_save_state
        mov     x0, x19                     // an event already delivered? then do not block
        bl      vcpu_has_events
        cbz     x0, 1f
        mov     x0, x19
        b       vcpu_switch_in
1:      mrs     x1, tpidr_el2
        str     xzr, [x1, #PCPU_VCPU]
        str     x19, [x1, #PCPU_OTHER]      // the blocked vCPU, to be woken here
        b       xen_idle

// x0 = a saved vCPU: returns x0 != 0 if it has a pending virtual interrupt (software pending
// bits, or a list register in the pending state).
vcpu_has_events:
        ldr     x1, [x0, #CTX_PENDING]
        cbnz    x1, 2f
        mov     x2, #0
1:      add     x3, x0, #CTX_LR
        ldr     x1, [x3, x2, lsl #3]
        tbnz    x1, #28, 2f
        add     x2, x2, #1
        cmp     x2, #NR_LRS
        b.lo    1b
        mov     x0, #0
        ret
2:      mov     x0, #1
        ret

// A physical interrupt while a guest runs: acknowledge; a kick means the running vCPU has new
// pending virtual interrupts — write them straight into the live list registers.
xen_guest_irq:
        FULL_FRAME_SAVE irq
        MOV64   x1, GICC
        ldr     w0, [x1, #0x0c]             // GICC_IAR
        str     w0, [x1, #0x10]             // GICC_EOIR
        mov     x0, x19
        bl      vgic_flush_live
        b       xen_return

// The idle loop (EL2, no vCPU loaded): wait for an interrupt, then switch in the blocked vCPU
// if it has pending events.
xen_idle:
        mrs     x1, tpidr_el2
        str     xzr, [x1, #PCPU_VCPU]
1:      msr     daifclr, #2
        wfi
        msr     daifset, #2
        mrs     x1, tpidr_el2
        ldr     x0, [x1, #PCPU_OTHER]
        cbz     x0, 1b
        bl      vcpu_has_events
        cbz     x0, 1b
        mrs     x1, tpidr_el2
        ldr     x0, [x1, #PCPU_OTHER]
        str     xzr, [x1, #PCPU_OTHER]
        b       vcpu_switch_in

xen_idle_irq:
        stp     x0, x1, [sp, #-16]!
        MOV64   x1, GICC
        ldr     w0, [x1, #0x0c]
        str     w0, [x1, #0x10]
        ldp     x0, x1, [sp], #16
        eret

// ---------------------------------------------------------------- the vCPU switch
// Saves the state of vCPU x0 that is not in its GP frame (EL1, FP, VGIC, timer).
vcpu_save_state:
        EL1_SAVE x0, xen
        FP_SAVE x0, xen
        TIMER_SAVE x0, xen
        VGIC_SAVE x0, xen
        ret

// Switches from the vCPU in x19 (GP frame saved) to the vCPU in x0.
vcpu_switch:
        mov     x20, x0
        mov     x0, x19
        bl      vcpu_save_state
        mov     x0, x20
        // fall through
// Loads vCPU x0 whole and enters it.
vcpu_switch_in:
        mov     x19, x0
        bl      vgic_flush                  // its pending events into the list registers it will load
        mov     x0, x19
        mrs     x1, tpidr_el2
        str     x0, [x1, #PCPU_VCPU]
        TRAPS_ACTIVATE x0, xen
        VGIC_RESTORE x0, xen
        TIMER_RESTORE x0, xen
        EL1_RESTORE x0, xen
        FP_RESTORE x0, xen
        b       xen_return

// Writes the running vCPU's (x0) pending virtual interrupts into free live list registers.
vgic_flush_live:
        stp     x29, x30, [sp, #-16]!
        mov     x8, x0
        add     x0, x8, #CTX_PENDING
        bl      atomic_take
        mov     x4, x0
        cbz     x4, 9f
        MOV64   x7, GICH
        ldr     w6, [x7, #GICH_ELRSR0]      // empty list registers
1:      cbz     x4, 9f
        cbz     w6, 8f
        rbit    x5, x4
        clz     x5, x5
        rbit    w3, w6
        clz     w3, w3                      // lowest empty LR
        MOV64   x2, (1 << 28) | ((0xa0 >> 3) << 23)
        orr     w2, w2, w5
        add     x1, x7, #GICH_LR0
        str     w2, [x1, x3, lsl #2]
        mov     x1, #1
        lsl     x2, x1, x5
        bic     x4, x4, x2
        lsl     w2, w1, w3
        bic     w6, w6, w2
        b       1b
8:      mov     x1, x4                      // no room: keep them pending
        add     x0, x8, #CTX_PENDING
        bl      atomic_or
9:      ldp     x29, x30, [sp], #16
        ret

// ---------------------------------------------------------------- Dom0
// Dom0's kernel: enables its virtual CPU interface, announces the backend, runs the backend's
// loop (io-latency-in), then blocks in WFI; its interrupt handler runs the backend on events.
dom0_main:
        adr     x0, dom0_vectors
        msr     vbar_el1, x0
        isb
        bl      g_gic_enable
        msr     daifclr, #2
        MOV64   x0, SHARED
        mov     x1, #1
        str     x1, [x0, #S_GO]
        bl      backend_main
1:      wfi
        b       1b

// Dom0's notification of the guest: the event-channel hypercall.
backend_notify:
        mov     x0, #HC_EVTCHN
        hvc     #0
        ret

        .balign 2048
dom0_vectors:
        .rept   5
        .balign 128
        b       guest_unexpected
        .endr
        .balign 128
        stp     x29, x30, [sp, #-16]!
        stp     x0, x1, [sp, #-16]!
        stp     x2, x3, [sp, #-16]!
        stp     x4, x5, [sp, #-16]!
        stp     x6, x7, [sp, #-16]!
        stp     x8, x9, [sp, #-16]!
        MOV64   x1, GUEST_GICC
        ldr     w0, [x1, #0x0c]             // GICC_IAR (GICV)
        stp     x0, x1, [sp, #-16]!
        bl      backend_seen
        ldp     x0, x1, [sp], #16
        str     w0, [x1, #0x10]             // GICC_EOIR
        ldp     x8, x9, [sp], #16
        ldp     x6, x7, [sp], #16
        ldp     x4, x5, [sp], #16
        ldp     x2, x3, [sp], #16
        ldp     x0, x1, [sp], #16
        ldp     x29, x30, [sp], #16
        eret
        .rept   10
        .balign 128
        b       guest_unexpected
        .endr

        .include "../common/runtime.inc"

        .data
        STAGE2  vm0_s2_l1, vm0_s2_l2, vm0_s2_l3
        STAGE2  vm1_s2_l1, vm1_s2_l2, vm1_s2_l3
        STAGE2  dom0_s2_l1, dom0_s2_l2, dom0_s2_l3
