// c-hyp: shared definitions of the hypervisor's C code and its assembly (start.S).
#ifndef C_HYP_H
#define C_HYP_H

// Offsets of struct vcpu's saved state, used by the EL2 vectors in start.S (hyp.c checks them).
#define VCPU_REGS    0     // x0..x30
#define VCPU_SP_EL1  248
#define VCPU_PC      256   // ELR_EL2 at the trap: where the guest resumes
#define VCPU_PSTATE  264   // SPSR_EL2 at the trap

// An unsigned long constant in C, a plain number in assembly.
#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

#define UART_IPA     UL(0x09000000)  // where the guests see a PL011 (not backed by Stage 2: emulated)
#define UART_PA      UL(0x09000000)  // the board's PL011
#define VIRQ_TICK    42            // virtual INTID injected on a guest's HVC_RAISE_VIRQ
#define HVC_YIELD        0         // hvc #0 function numbers (x0)
#define HVC_RAISE_VIRQ   1
#define HVC_GET_ID       2

#endif
