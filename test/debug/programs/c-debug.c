// C program for the DAP tests of source-level C debugging (test/debug/c-debug.test.ts), built
// at -O0 and -O2 with DWARF 4 and 5. _start (assembly, at the end) runs at EL2: it installs
// EL2 vectors, drops to guest_main at EL1. The guest prints what the debugger must show —
// values ("name=value" lines) and its own frame-record chain ("bt" lines) — then makes a
// hypercall from three C frames deep; the EL2 vector saves the guest's registers and calls the
// C handler handle_hvc. Output goes to the PL011 at 0x09000000; the end is a semihosting exit.

#define UART ((volatile unsigned int *)0x09000000)
#define NOINLINE __attribute__((noinline, noipa))

enum vstate { V_OFF, V_RUN = 2, V_WAIT = 5 };

struct vcpu {
  unsigned long regs[4];
  int id;
  unsigned state : 3;
  unsigned ready : 1;
  enum vstate mode;
  const char *name;
  struct vcpu *next;
};

struct vcpu vcpus[2] = {
  { { 10, 11, 12, 13 }, 0, 5, 1, V_RUN, "alpha", &vcpus[1] },
  { { 20, 21, 22, 23 }, 1, 2, 0, V_WAIT, "beta", 0 },
};
unsigned short table[300];
static int hvc_count;
volatile int sink;

/* Registers the EL2 vector saves: x0–x18 and x30 (what a C call may clobber). */
struct frame { unsigned long x[20]; };

static void putc_(char c) { *UART = (unsigned char)c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static NOINLINE void puthex(unsigned long v) {
  puts_("0x");
  for (int i = 60; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]);
}
static NOINLINE void putdec(long v) {
  char buf[24];
  int n = 0;
  unsigned long u = v < 0 ? -v : v;
  do { buf[n++] = (char)('0' + u % 10); u /= 10; } while (u);
  if (v < 0) putc_('-');
  while (n) putc_(buf[--n]);
}
static void show(const char *name, long v) { puts_(name); putc_('='); putdec(v); putc_('\n'); }

/* Called from the EL2 vector with the guest's saved registers. */
NOINLINE void handle_hvc(struct frame *f) {
  hvc_count++;
  unsigned long imm = f->x[0];
  f->x[0] = imm + 100; // @el2-handler
}

static inline __attribute__((always_inline)) int scale(int x) {
  int y = x * 3; // @inline-body
  sink = y;
  return y + 1;
}

NOINLINE int level3(int depth, struct vcpu *v) {
  unsigned long *fp = __builtin_frame_address(0);
  puts_("bt");
  // The frame-record chain: each record holds the caller's record and the return address.
  for (; fp && fp[1]; fp = (unsigned long *)fp[0]) { putc_(' '); puthex(fp[1]); }
  putc_('\n');
  // The hypercall is in the middle of its line (a step over the line must not end in EL2).
  register unsigned long x0 __asm__("x0") = 7; __asm__ volatile("hvc #0" : "+r"(x0) : : "memory"); sink = (int)x0; // @hvc
  return depth + v->id + (int)x0;
}

NOINLINE int level2(int depth, struct vcpu *v) {
  int local2 = depth * 10 + 2;
  int r = level3(depth + 1, v); // @call3
  return r + local2;
}

NOINLINE int level1(int depth) {
  int local1 = depth + 40;
  show("local1", local1);
  int r = level2(depth + 1, &vcpus[1]);
  return r * 2 + local1;
}

NOINLINE int compute(int a) {
  int b = a + 5;
  int c = scale(b); // @call-scale
  return c - a; // @after-scale
}

void guest_main(void) {
  int count = 3;
  show("count", count); // @count
  int t = compute(count); // @call-compute
  show("t", t);
  show("count2", count); // @count2
  int r = level1(1);
  show("r", r);
  show("hvc_count", hvc_count);
  puts_(vcpus[0].name); putc_('\n');
  register long x0 __asm__("x0") = 0x18; // SYS_EXIT
  register void *x1 __asm__("x1") = (void *)(unsigned long[]){ 0x20026, 0 };
  __asm__ volatile("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
  for (;;) {}
}

__asm__(
  ".globl _start\n"
  "_start:\n"
  "  ldr x0, =0x40200000\n  mov sp, x0\n"
  "  adr x0, el2_vectors\n  msr vbar_el2, x0\n"
  "  mov x0, #(1 << 31)\n  msr hcr_el2, x0\n"              // HCR_EL2.RW: EL1 is AArch64
  "  ldr x0, =0x40300000\n  msr sp_el1, x0\n"
  "  mov x0, #0x3c5\n  msr spsr_el2, x0\n"                 // EL1h, DAIF masked
  "  adr x0, guest_main\n  msr elr_el2, x0\n"
  "  mov x29, #0\n  mov x30, #0\n"
  "  eret\n"
  "  .ltorg\n"
  "  .balign 0x800\n"
  "el2_vectors:\n"
  "  .space 0x400\n"
  "el2_sync_lower:\n"                                      // lower EL, AArch64, synchronous
  "  sub sp, sp, #160\n"
  "  stp x0, x1, [sp, #0]\n  stp x2, x3, [sp, #16]\n  stp x4, x5, [sp, #32]\n  stp x6, x7, [sp, #48]\n"
  "  stp x8, x9, [sp, #64]\n  stp x10, x11, [sp, #80]\n  stp x12, x13, [sp, #96]\n  stp x14, x15, [sp, #112]\n"
  "  stp x16, x17, [sp, #128]\n  stp x18, x30, [sp, #144]\n"
  "  mov x0, sp\n"
  "  bl handle_hvc\n"
  "  ldp x0, x1, [sp, #0]\n  ldp x2, x3, [sp, #16]\n  ldp x4, x5, [sp, #32]\n  ldp x6, x7, [sp, #48]\n"
  "  ldp x8, x9, [sp, #64]\n  ldp x10, x11, [sp, #80]\n  ldp x12, x13, [sp, #96]\n  ldp x14, x15, [sp, #112]\n"
  "  ldp x16, x17, [sp, #128]\n  ldp x18, x30, [sp, #144]\n"
  "  add sp, sp, #160\n"
  "  eret\n"
  "  .balign 0x800\n"
);
