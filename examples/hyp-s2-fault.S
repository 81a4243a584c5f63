// hyp-s2-fault.S — a tiny hypervisor at EL2 that runs a guest under Stage 2 and emulates a device
// register the guest writes: the register page is left invalid in the Stage-2 tables, so the
// guest's store is a Stage-2 translation fault at level 3, taken to EL2 (HPFAR_EL2 holds the IPA).
//
//   EL2 boot:  stack, VBAR_EL2, VTCR_EL2 (4 KiB granule, 32-bit IPA, walk starts at level 1),
//              VTTBR_EL2 = VMID 1 | s2_l1, HCR_EL2 = RW | VM (Stage 2 on), then ERET to the guest
//              at EL1h. The guest's Stage 1 stays off: its VAs are IPAs.
//   Stage 2:   level 1 [0] 0..1 GiB  → level 2 table:
//                           [72] 0x0900_0000 2 MiB → UART (Device, passed through)
//                           [80] 0x0a00_0000 2 MiB → level 3 table (the "device window"):
//                                 [0] 0x0a00_0000 → a RAM page (data the guest may read)
//                                 [1] 0x0a00_1000 invalid: the emulated device's registers
//              level 1 [1] 1..2 GiB  → RAM, 1 GiB block (the guest's code, data and stack)
//   EL1 guest: reads the shared page at IPA 0x0a00_0000 (mapped), then writes 0x2a to the device
//              register at IPA 0x0a00_1008 — Stage-2 translation fault, level 3, ESR_EL2.EC = 0x24.
//   EL2 abort: checks EC, takes the IPA from HPFAR_EL2 and FAR_EL2, "emulates" the store (keeps
//              the value in x20), skips the instruction (ELR_EL2 += 4) and returns; the guest then
//              exits through semihosting with the value the hypervisor saw (exit code 42).
//
// Good places to stop: enable the "Stage-2 fault" exception breakpoint (condition e.g.
// `ipa == 0xa001008`) and open ArmVirt: Show Page Tables — the faulting walk is shown with its
// failing level-3 step; or set a breakpoint on `hyp_dabt`.

        .equ    UART_DR,     0x09000000
        .equ    EL2_STACK,   0x48000000
        .equ    EL1_STACK,   0x47F00000
        .equ    DEV_PAGE,    0x0a000000     // IPA of the mapped page of the device window
        .equ    DEV_REGS,    0x0a001000     // IPA of the emulated registers (Stage-2 invalid)
        // VTCR_EL2: T0SZ = 32 (4 GiB IPA), SL0 = 1 (start at level 1), IRGN0/ORGN0 = WB,
        // SH0 = inner shareable, TG0 = 4 KiB, PS = 32 bits; bit 31 is RES1.
        .equ    VTCR_VALUE,  (1 << 31) | (3 << 12) | (1 << 10) | (1 << 8) | (1 << 6) | 32
        .equ    HCR_RW_VM,   (1 << 31) | 1  // HCR_EL2: EL1 is AArch64, Stage 2 on

        .text
        .global _start
_start:
        ldr     x0, =EL2_STACK
        mov     sp, x0
        adr     x0, el2_vectors
        msr     VBAR_EL2, x0
        ldr     x0, =VTCR_VALUE
        msr     VTCR_EL2, x0
        adr     x0, s2_l1                   // VTTBR_EL2: VMID 1, Stage-2 level-1 table
        mov     x1, #1
        orr     x0, x0, x1, lsl #48
        msr     VTTBR_EL2, x0
        ldr     x0, =HCR_RW_VM
        msr     HCR_EL2, x0
        isb

        adr     x0, hyp_hello
        bl      puts

        adr     x0, guest                   // enter the guest: EL1h, DAIF masked
        msr     ELR_EL2, x0
        mov     x0, #0x3c5
        msr     SPSR_EL2, x0
        eret

// ---------------------------------------------------------------- the guest (EL1, Stage 1 off)
guest:
        ldr     x0, =EL1_STACK
        mov     sp, x0
        adr     x0, guest_hello
        bl      puts

        ldr     x1, =DEV_PAGE
        ldr     x2, [x1]                    // mapped at Stage 2: reads the RAM page
        ldr     x1, =DEV_REGS
        mov     x3, #42
        str     x3, [x1, #8]                // not mapped: Stage-2 translation fault, level 3

        adr     x0, guest_done
        bl      puts
        adr     x1, exit_block              // semihosting SYS_EXIT, exit code = what EL2 saw
        str     x20, [x1, #8]
        mov     x0, #0x18
        hlt     #0xf000
1:      b       1b

// ---------------------------------------------------------------- the hypervisor's abort handler
hyp_dabt:
        mrs     x9, ESR_EL2
        lsr     x10, x9, #26                // EC
        cmp     x10, #0x24                  // Data Abort from a lower EL
        b.ne    .
        mrs     x11, HPFAR_EL2              // FIPA[39:4] = IPA[47:12]
        lsl     x11, x11, #8
        mrs     x12, FAR_EL2
        and     x12, x12, #0xfff
        orr     x11, x11, x12               // x11 = faulting IPA (0x0a001008)
        mov     x20, x3                     // "emulate" the store: the guest's x3 (SRT = 3)
        adr     x0, hyp_trap
        bl      puts
        mrs     x0, ELR_EL2                 // skip the emulated instruction
        add     x0, x0, #4
        msr     ELR_EL2, x0
        eret

// puts: writes the NUL-terminated string at x0 to the UART (clobbers x0-x2).
puts:
        ldr     x1, =UART_DR
2:      ldrb    w2, [x0], #1
        cbz     w2, 3f
        strb    w2, [x1]
        b       2b
3:      ret

// ---------------------------------------------------------------- vector table
        .balign 0x800
el2_vectors:
        .rept   8                           // current EL (SP_EL0 and SP_ELx): not expected
        b       .
        .balign 0x80
        .endr
        b       hyp_dabt                    // lower EL, AArch64, synchronous (the data abort)
        .balign 0x80
        .rept   7
        b       .
        .balign 0x80
        .endr

// ---------------------------------------------------------------- Stage-2 tables (VMID 1)
// Descriptor low bits: [1:0] = 0b11 table/page (0b01 block), [5:2] MemAttr, [7:6] S2AP,
// [9:8] SH, [10] AF. 0x7fd: Normal WB, RW, inner shareable, AF (block); 0x7ff the same as a
// page; 0x4c1: Device-nGnRE, RW, AF (block).
        .balign 4096
s2_l1:  .quad   s2_l2 + 3                   // 0x0000_0000: level-2 table
        .quad   0x40000000 + 0x7fd          // 0x4000_0000: RAM, 1 GiB block
        .quad   0
        .quad   0
        .balign 4096
s2_l2:  .rept   72
        .quad   0
        .endr
        .quad   UART_DR + 0x4c1             // [72] 0x0900_0000: UART passed through
        .rept   7
        .quad   0
        .endr
        .quad   s2_l3 + 3                   // [80] 0x0a00_0000: the device window, level 3
        .rept   512 - 81
        .quad   0
        .endr
s2_l3:  .quad   shared_page + 0x7ff         // [0] 0x0a00_0000 → a RAM page
        .rept   511
        .quad   0                           // [1] 0x0a00_1000 (device registers) and the rest: invalid
        .endr

        .balign 4096
shared_page:
        .quad   0x1122334455667788
        .balign 4096

        .balign 8
exit_block:
        .quad   0x20026                     // ADP_Stopped_ApplicationExit
        .quad   0
hyp_hello:
        .asciz  "EL2: hypervisor up, Stage 2 on (VMID 1), entering the guest\n"
guest_hello:
        .asciz  "EL1: guest running, writing the device register at IPA 0x0a001008\n"
hyp_trap:
        .asciz  "EL2: Stage-2 data abort at IPA 0x0a001008, store emulated\n"
guest_done:
        .asciz  "EL1: done\n"
        .balign 4
        .ltorg
