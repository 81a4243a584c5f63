// C program for the DAP test of C expressions (test/debug/c-expr-dap.test.ts). It prints, on the
// PL011 UART, the value gcc computes for each expression of EXPRS as `expression=value`; the test
// evaluates the same text in the debugger at the end of main and compares.
typedef unsigned long u64_t;
enum vstate { IDLE, RUNNING, BLOCKED = 5 };
struct flags { unsigned pending : 3; unsigned hw : 1; signed prio : 4; };
struct vcpu {
  int id;
  enum vstate st;
  u64_t regs[4];
  struct flags flags;
  const char *name;
  struct vcpu *next;
};
typedef struct vcpu vcpu_t;

struct vcpu vcpus[2];
vcpu_t *cur;
volatile int neg = -7;
volatile short narrow = -2;
unsigned char bytes[6] = { 1, 2, 250, 4, 5, 6 };
static const char guest_name[] = "guest-1";
volatile u64_t sink;

#define UART_DR ((volatile unsigned int *)0x09000000)
static void putc_(char c) { *UART_DR = (unsigned char)c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void putd(long v) {
  char b[24];
  int n = 0;
  unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
  if (v < 0) putc_('-');
  do { b[n++] = (char)('0' + u % 10); u /= 10; } while (u);
  while (n) putc_(b[--n]);
}
static void print(const char *text, long v) { puts_(text); putc_('='); putd(v); putc_('\n'); }

#define EXPRS(X) \
  X(cur->id) X(cur->regs[2]) X(vcpus[0].regs[3] - vcpus[1].regs[0]) X(cur->next->id) X((*cur).st) \
  X(cur->st == BLOCKED) X(vcpus[0].st) X(sizeof(struct vcpu)) X(sizeof(vcpu_t *)) X(sizeof vcpus / sizeof vcpus[0]) \
  X(sizeof(struct flags)) X(sizeof cur->regs) X(sizeof(enum vstate)) X(sizeof(short) + sizeof(long long)) \
  X(&vcpus[1] - &vcpus[0]) X((char *)&vcpus[1].regs[3] - (char *)vcpus) X((long)(cur->regs + 3) - (long)cur) \
  X(*(cur->regs + 1)) X((unsigned char)(cur->regs[1] + 300)) X((signed char)bytes[2]) X(bytes[2] + bytes[3] * 2) \
  X(-1 < 0u) X(-1 < 0L) X(neg / 2) X(neg % 4) X(neg >> 1) X((unsigned)neg >> 28) X(narrow * 3) \
  X((long)(short)0x18001) X(0xffffffff + 1) X(4294967295 + 1) X(1 ? neg : 3u) X(~0 == -1) X(!cur + !!cur) \
  X(cur->flags.pending) X(cur->flags.hw) X(cur->flags.prio) X(cur->name[6]) X(*cur->name) X('A' + 1) \
  X(cur->name == guest_name) X((cur > &vcpus[0] && cur->next == &vcpus[0]) || 0) X(RUNNING + BLOCKED * 2) \
  X((vcpus[1].regs[0] & 0xff0) >> 4 | 1 << 3 ^ 1)

#define PRINT(e) print(#e, (long)(e));

__attribute__((noinline)) void vcpu_run(struct vcpu *vcpu, int round) {
  vcpu->regs[0] += (u64_t)round; // @cond
  vcpu->st = round & 1 ? BLOCKED : RUNNING; // @log
  sink = vcpu->regs[0];
}

int main(void) {
  for (int i = 0; i < 2; i++) {
    vcpus[i].id = i;
    for (int r = 0; r < 4; r++) vcpus[i].regs[r] = 0x1000 * (u64_t)(i + 1) + (u64_t)r;
    vcpus[i].next = &vcpus[1 - i];
  }
  vcpus[1].flags.pending = 5;
  vcpus[1].flags.hw = 1;
  vcpus[1].flags.prio = -3;
  vcpus[1].name = guest_name;
  vcpus[0].name = "guest-0";
  for (int round = 0; round < 4; round++) vcpu_run(&vcpus[round % 2], round);
  cur = &vcpus[1];
  EXPRS(PRINT)
  sink = 1; // @done
  return 0;
}

__asm__(".globl _start\n_start:\n  ldr x0, =0x40200000\n  mov sp, x0\n  bl main\n1: b 1b\n  .ltorg\n");
