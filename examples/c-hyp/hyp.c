// c-hyp: a small hypervisor in C. It runs two guests (guest.S) at EL1 under Stage 2, switches
// between them on the EL2 physical timer (PPI 26), emulates a PL011 UART the guests see at an IPA
// Stage 2 leaves unmapped (handle_dabt decodes the data abort's ISS), and injects a virtual
// interrupt through a GICv3 list register when a guest asks with an HVC (inject_virq).
// References: Arm ARM DDI 0487 — D1.10 exception entry, D8 Stage 2 translation (VTCR_EL2,
// VTTBR_EL2, block descriptors), D19 ESR_EL2 (EC 0x16 HVC, EC 0x24 data abort with ISV/SAS/SRT/
// WnR), HPFAR_EL2; GIC architecture IHI 0069 — ICH_LR<n>_EL2, ICH_VMCR_EL2, ICC_IAR1_EL1.
// Built by scripts/build-c-hyp.sh with -O0 -g (DWARF 5); the debugger shows struct vcpu.
#include "hyp.h"

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;

#define read_sysreg(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")

enum vcpu_state { VCPU_RUNNING, VCPU_READY };
enum exit_reason { EXIT_NONE, EXIT_HVC, EXIT_DABT, EXIT_IRQ };

// The virtual UART's state for one guest: a line buffer printed on '\n' with the guest's name.
struct vuart {
  char line[64];
  u32 len;
  u32 writes;
};

// A virtual CPU: the guest's registers saved at a trap (the first four fields: start.S stores
// them at fixed offsets, checked below), its EL1 system registers and virtual GIC state saved at
// a switch, and what the hypervisor did for it.
struct vcpu {
  u64 regs[31];
  u64 sp_el1;
  u64 pc;
  u64 pstate;
  int id;
  u32 vmid;
  enum vcpu_state state;
  enum exit_reason last_exit;
  u64 last_esr;
  u64 last_ipa;
  u64 vbar_el1, elr_el1, spsr_el1;
  u64 ich_vmcr, ich_lr0;
  u32 hvc_count, dabt_count, virq_count, runs;
  const char *name;
  struct vuart uart;
};

_Static_assert(__builtin_offsetof(struct vcpu, sp_el1) == VCPU_SP_EL1, "start.S offsets");
_Static_assert(__builtin_offsetof(struct vcpu, pc) == VCPU_PC, "start.S offsets");
_Static_assert(__builtin_offsetof(struct vcpu, pstate) == VCPU_PSTATE, "start.S offsets");

#define NR_VCPUS 2
#define TIME_SLICE 20000            // EL2 timer ticks per guest turn
#define GUEST_STACK_SIZE 0x1000
#define GICD 0x08000000UL
#define GICR_SGI 0x080B0000UL       // redistributor of PE 0, SGI/PPI frame
#define GICR_RD 0x080A0000UL
#define CNTHP_PPI 26

struct vcpu vcpus[NR_VCPUS];
struct vcpu *current;
u64 switches;
u8 el2_stack[0x2000] __attribute__((aligned(16)));
u8 guest_stacks[NR_VCPUS][GUEST_STACK_SIZE] __attribute__((aligned(16)));
// Stage 2: a level-1 table for a 4 GiB IPA space (VTCR_EL2.T0SZ = 32, SL0 = 1), shared by both
// VMs: IPA 0x4000_0000-0x7fff_ffff → the same PA as a 1 GiB block; everything else (the UART page
// at 0x0900_0000 included) invalid, so a guest access there is a Stage-2 translation fault.
u64 s2_l1[512] __attribute__((aligned(4096)));

extern char guest_entry[];
extern void vcpu_resume(struct vcpu *v) __attribute__((noreturn));

static volatile u32 *const uart = (volatile u32 *)UART_PA;

static void putc_(char c) { *uart = (u8)c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void putn(u64 v) {
  char b[20];
  int n = 0;
  do { b[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) putc_(b[--n]);
}

void hyp_panic(u64 esr, u64 elr) {
  puts_("c-hyp: unexpected exception at EL2, ESR_EL2 ");
  putn(esr);
  puts_(" ELR_EL2 ");
  putn(elr);
  putc_('\n');
}

// inject_virq: makes virtual INTID `intid` pending for the guest through list register 0
// (ICH_LR<n>_EL2: State[63:62] = 0b01 pending, Group[60] = 1, Priority[55:48], vINTID[31:0]).
// The guest running now gets it in ICH_LR0_EL2 itself; a switched-out guest in its saved copy.
void inject_virq(struct vcpu *vcpu, u32 intid) {
  u64 lr = (1UL << 62) | (1UL << 60) | (0xa0UL << 48) | intid;
  vcpu->virq_count++;
  if (vcpu == current) {
    write_sysreg(ICH_LR0_EL2, lr);
    isb();
  } else {
    vcpu->ich_lr0 = lr;
  }
}

// handle_hvc: the guest's `hvc #0` (ESR_EL2.EC = 0x16); x0 selects the call, x0 returns a value.
// ELR_EL2 already points after the HVC (D1.10.1: HVC is a "preferred return after" exception).
void handle_hvc(struct vcpu *vcpu, u32 imm) {
  vcpu->hvc_count++;
  vcpu->last_exit = EXIT_HVC;
  switch (vcpu->regs[0]) {
  case HVC_RAISE_VIRQ:
    inject_virq(vcpu, VIRQ_TICK);
    vcpu->regs[0] = 0;
    break;
  case HVC_GET_ID:
    vcpu->regs[0] = (u64)vcpu->id;
    break;
  default:
    vcpu->regs[0] = imm ? (u64)imm : ~0UL;  // unknown call
    break;
  }
}

static void vuart_write(struct vcpu *vcpu, u32 offset, u64 value) {
  struct vuart *u = &vcpu->uart;
  if (offset != 0) return;                  // only UARTDR is emulated for writes
  u->writes++;
  char c = (char)value;
  if (c != '\n' && u->len < sizeof u->line - 1) { u->line[u->len++] = c; return; }
  u->line[u->len] = 0;
  puts_("[");
  puts_(vcpu->name);
  puts_("] ");
  puts_(u->line);
  putc_('\n');
  u->len = 0;
}

// handle_dabt: a data abort from the guest (ESR_EL2.EC = 0x24). With ISV = 1 the ISS gives the
// access: SAS[23:22] size, SRT[20:16] the register, WnR[6] write. HPFAR_EL2.FIPA[43:4] holds
// IPA[51:12] of the faulting access and FAR_EL2 the page offset (D19, HPFAR_EL2).
void handle_dabt(struct vcpu *vcpu, u64 esr) {
  u64 ipa = ((read_sysreg(HPFAR_EL2) >> 4) << 12) | (read_sysreg(FAR_EL2) & 0xfff);
  int isv = (esr >> 24) & 1;
  u32 srt = (esr >> 16) & 0x1f;
  int write = (esr >> 6) & 1;
  vcpu->dabt_count++;
  vcpu->last_exit = EXIT_DABT;
  vcpu->last_ipa = ipa;
  if (!isv || ipa - UART_IPA >= 0x1000) {
    puts_("c-hyp: guest data abort outside the emulated UART\n");
  } else if (write) {
    vuart_write(vcpu, (u32)(ipa - UART_IPA), srt == 31 ? 0 : vcpu->regs[srt]);
  } else if (srt != 31) {
    vcpu->regs[srt] = 0;                    // UARTFR and every other register read as 0 (TX never full)
  }
  vcpu->pc += 4;                            // skip the emulated load or store
}

// handle_sync: every synchronous exception from a guest.
struct vcpu *handle_sync(struct vcpu *vcpu) {
  u64 esr = read_sysreg(ESR_EL2);
  vcpu->last_esr = esr;
  switch (esr >> 26) {
  case 0x16: handle_hvc(vcpu, (u32)(esr & 0xffff)); break;
  case 0x24: handle_dabt(vcpu, esr); break;
  default: hyp_panic(esr, vcpu->pc); vcpu->pc += 4; break;
  }
  return vcpu;
}

// The EL1 state the two guests do not share: saved on a switch away, restored on a switch back.
static void save_el1(struct vcpu *v) {
  v->vbar_el1 = read_sysreg(VBAR_EL1);
  v->elr_el1 = read_sysreg(ELR_EL1);
  v->spsr_el1 = read_sysreg(SPSR_EL1);
  v->ich_vmcr = read_sysreg(ICH_VMCR_EL2);
  v->ich_lr0 = read_sysreg(ICH_LR0_EL2);
  v->state = VCPU_READY;
}

static void restore_el1(struct vcpu *v) {
  write_sysreg(VBAR_EL1, v->vbar_el1);
  write_sysreg(ELR_EL1, v->elr_el1);
  write_sysreg(SPSR_EL1, v->spsr_el1);
  write_sysreg(ICH_VMCR_EL2, v->ich_vmcr);
  write_sysreg(ICH_LR0_EL2, v->ich_lr0);
  write_sysreg(VTTBR_EL2, ((u64)v->vmid << 48) | (u64)s2_l1);
  isb();
  v->state = VCPU_RUNNING;
  v->runs++;
  current = v;
}

// handle_irq: a physical IRQ while a guest ran (HCR_EL2.IMO = 1 routes it to EL2). The EL2
// timer ends the running guest's turn: re-arm it and switch to the other guest.
struct vcpu *handle_irq(struct vcpu *vcpu) {
  u32 intid = (u32)read_sysreg(ICC_IAR1_EL1);
  struct vcpu *next = vcpu;
  vcpu->last_exit = EXIT_IRQ;
  if (intid == CNTHP_PPI) {
    write_sysreg(CNTHP_TVAL_EL2, TIME_SLICE);
    next = &vcpus[(vcpu->id + 1) % NR_VCPUS];
    save_el1(vcpu);
    restore_el1(next);
    switches++;
  }
  write_sysreg(ICC_EOIR1_EL1, intid);       // EOImode 0: also deactivates
  return next;
}

static void gic_init(void) {
  *(volatile u32 *)GICD = 2;                              // GICD_CTLR.EnableGrp1NS
  *(volatile u32 *)(GICR_RD + 0x14) = 0;                  // GICR_WAKER: awake
  *(volatile u32 *)(GICR_SGI + 0x80) = 1u << CNTHP_PPI;   // GICR_IGROUPR0: Group 1
  *(volatile u8 *)(GICR_SGI + 0x400 + CNTHP_PPI) = 0x80;  // GICR_IPRIORITYR
  *(volatile u32 *)(GICR_SGI + 0x100) = 1u << CNTHP_PPI;  // GICR_ISENABLER0
  write_sysreg(ICC_SRE_EL2, 0xf);                         // system registers; EL1 may use them
  write_sysreg(ICC_PMR_EL1, 0xff);
  write_sysreg(ICC_IGRPEN1_EL1, 1);
  write_sysreg(ICH_HCR_EL2, 1);                           // ICH_HCR_EL2.En: virtual CPU interface on
  isb();
}

static void stage2_init(void) {
  // Block descriptor (D8.3): [1:0] = 0b01, MemAttr[5:2] = 0b1111 (Normal, write-back),
  // S2AP[7:6] = 0b11 (read/write), SH[9:8] = 0b11, AF[10] = 1.
  s2_l1[1] = 0x40000000UL | (1UL << 10) | (3UL << 8) | (3UL << 6) | (0xfUL << 2) | 1;
  // VTCR_EL2: T0SZ = 32, SL0 = 1 (start at level 1), IRGN0/ORGN0 = write-back, SH0 = inner, TG0 = 4 KiB.
  write_sysreg(VTCR_EL2, (1UL << 31) | (3UL << 12) | (1UL << 10) | (1UL << 8) | (1UL << 6) | 32);
  // HCR_EL2: RW (EL1 is AArch64), IMO and FMO (physical interrupts to EL2, virtual ones to
  // the guest), VM (Stage 2 on).
  write_sysreg(HCR_EL2, (1UL << 31) | (1UL << 4) | (1UL << 3) | 1);
  isb();
}

static const char *const names[NR_VCPUS] = { "vm1", "vm2" };

void hyp_main(void) {
  puts_("c-hyp: two guests, Stage 2, an emulated UART and a virtual interrupt\n");
  gic_init();
  stage2_init();
  for (int i = 0; i < NR_VCPUS; i++) {
    struct vcpu *v = &vcpus[i];
    v->id = i;
    v->vmid = (u32)i + 1;
    v->name = names[i];
    v->regs[0] = (u64)i;
    v->pc = (u64)guest_entry;
    v->pstate = 0x3c5;                       // EL1h, DAIF masked (the guest unmasks I)
    v->sp_el1 = (u64)&guest_stacks[i][GUEST_STACK_SIZE];
    v->ich_vmcr = 0;
    v->state = VCPU_READY;
  }
  write_sysreg(CNTHP_TVAL_EL2, TIME_SLICE);
  write_sysreg(CNTHP_CTL_EL2, 1);           // ENABLE, not masked
  restore_el1(&vcpus[0]);
  vcpu_resume(&vcpus[0]);
}
