// c-hyp: shared definitions of the hypervisor's C code and its assembly (start.S).
#ifndef C_HYP_H
#define C_HYP_H

// Offsets of struct vcpu's saved state, used by the EL2 vectors in start.S (hyp.c checks them).
#define VCPU_REGS    0     // x0..x30
#define VCPU_SP_EL1  248
#define VCPU_PC      256   // ELR_EL2 at the trap: where the guest resumes
#define VCPU_PSTATE  264   // SPSR_EL2 at the trap

#define UART_IPA     0x09000000UL  // where the guests see a PL011 (not backed by Stage 2: emulated)
#define UART_PA      0x09000000UL  // the board's PL011
#define VIRQ_TICK    42            // virtual INTID injected on a guest's HVC_RAISE_VIRQ
#define HVC_YIELD        0         // hvc #0 function numbers (x0)
#define HVC_RAISE_VIRQ   1
#define HVC_GET_ID       2

#endif
