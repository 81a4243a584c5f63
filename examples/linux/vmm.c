/*
 * armvirt-vmm: a minimal virtual machine monitor for Linux's KVM on arm64, and the paper's seven
 * microbenchmarks (Dall et al., ISCA 2016, Table 3) run as its guests (vmm-guests.S).
 *
 * It is the /init of the benchmark initramfs (scripts/make-initramfs.ts --vmm; the kernel runs it
 * with `rdinit=/vmm`), so it mounts what it needs itself: devtmpfs for /dev/kvm, sysfs and
 * debugfs for KVM's own exit counter. The benchmarks to run come from the kernel command line:
 * the words after "--" reach init as its arguments (init/main.c), e.g.
 *   console=ttyAMA0 rdinit=/vmm -- hypercall virtual-ipi        (no words: all seven, in order)
 *
 * For each benchmark it does what a VMM does with the KVM API (Documentation/virt/kvm/api.rst):
 *   - KVM_CREATE_VM; guest RAM (64 KiB at IPA 0x4000_0000) by KVM_SET_USER_MEMORY_REGION, the
 *     guest image copied in;
 *   - one or two vCPUs: KVM_CREATE_VCPU, KVM_ARM_PREFERRED_TARGET, KVM_ARM_VCPU_INIT with PSCI 0.2,
 *     PC and x0-x2 by KVM_SET_ONE_REG;
 *   - the in-kernel vGIC: KVM_CREATE_DEVICE v3 (v2 when the host has no GICv3 CPU interface, ENODEV),
 *     its frames placed as on QEMU's virt board, KVM_DEV_ARM_VGIC_CTRL_INIT once the vCPUs exist;
 *     the arch timer needs nothing (KVM gives every vCPU its EL1 virtual and physical timers);
 *   - for the I/O benchmarks an eventfd bound to a doorbell IPA with KVM_IOEVENTFD (guest → VMM)
 *     or to SPI 48 with KVM_IRQFD (VMM → guest), and a VMM I/O thread on PE 1;
 *   - one thread per vCPU (clone(2) with CLONE_VM | CLONE_THREAD, pinned by sched_setaffinity)
 *     calling KVM_RUN and handling the exits that reach user space: KVM_EXIT_MMIO (the guest's
 *     UART page and three VMM registers, below), KVM_EXIT_HYPERCALL (Linux 6.1 never sends it
 *     on arm64: KVM answers HVCs itself, PSCI included; newer kernels forward SMCCC calls a VMM
 *     asked for), KVM_EXIT_SYSTEM_EVENT (the guest's PSCI SYSTEM_OFF ends its VM).
 * The MMIO page at IPA 0x0900_0000 (unbacked, so a store there is a Stage-2 fault that KVM hands
 * to user space): +0x00 UART data (the guest's output, a byte per store, printed by line);
 * +0x08 mark (0: the timed loop starts; n: it ended after n loops — the VMM reads KVM's "exits"
 * counter from debugfs at both and prints how many exits the loop took); +0x10 done (this vCPU's
 * thread stops running it); +0x18 yield (sched_yield(), for the VM-switch benchmark).
 *
 * Every line it prints starts with "armvirt-vmm: ". Freestanding like init.c and for the same
 * reasons (no arm64 libc in the Debian cross toolchain, a small reproducible binary to check in):
 * raw system calls, and the two things a libc would hide written here: _start (the initial stack
 * holds argc and argv) and a thread start (clone(2) returns twice; the child runs on its new stack).
 * Build: `npx tsx scripts/make-initramfs.ts --build` (INIT_CFLAGS, vmm.c + vmm-guests.S).
 */

typedef unsigned long u64;
typedef long s64;
typedef unsigned int u32;
typedef int s32;
typedef unsigned char u8;

/* ---------------------------------------------------------------- system calls (arm64 generic) */
#define NR_eventfd2 19
#define NR_ioctl 29
#define NR_mkdirat 34
#define NR_mount 40
#define NR_openat 56
#define NR_close 57
#define NR_read 63
#define NR_write 64
#define NR_exit 93
#define NR_exit_group 94
#define NR_futex 98
#define NR_sched_setaffinity 122
#define NR_sched_yield 124
#define NR_reboot 142
#define NR_getpid 172
#define NR_munmap 215
#define NR_mmap 222

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_RDWR 2
#define O_CLOEXEC 02000000
#define FUTEX_WAIT 0

static s64 sys6(s64 n, s64 a, s64 b, s64 c, s64 d, s64 e, s64 f) {
  register s64 x8 __asm__("x8") = n;
  register s64 x0 __asm__("x0") = a;
  register s64 x1 __asm__("x1") = b;
  register s64 x2 __asm__("x2") = c;
  register s64 x3 __asm__("x3") = d;
  register s64 x4 __asm__("x4") = e;
  register s64 x5 __asm__("x5") = f;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory", "cc");
  return x0;
}
#define sys3(n, a, b, c) sys6((n), (s64)(a), (s64)(b), (s64)(c), 0, 0, 0)

void *memset(void *d, int c, unsigned long n) {
  u8 *p = d;
  while (n--) *p++ = (u8)c;
  return d;
}
void *memcpy(void *d, const void *s, unsigned long n) {
  u8 *p = d;
  const u8 *q = s;
  while (n--) *p++ = *q++;
  return d;
}

/* The process entry: sp points at argc, then argv[], NULL, envp[] (the ELF ABI's initial stack). */
__asm__(".text\n.globl _start\n_start:\n  mov x0, sp\n  bl vmm_main\n  b .\n");

/* thread_start(fn, arg, stack_top, tid): clone(2) with the thread flags; the child (x0 = 0) runs
 * fn(arg) on its own stack and exits the thread. arm64's clone argument order: flags, newsp,
 * parent_tid, tls, child_tid. CLONE_PARENT_SETTID writes the tid before either side runs on,
 * CLONE_CHILD_CLEARTID clears it and wakes a futex waiter when the thread exits (thread_join). */
#define CLONE_THREAD_FLAGS (0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x100000 | 0x200000)
s64 thread_start(void (*fn)(void *), void *arg, void *stack_top, volatile u32 *tid);
__asm__(".text\n.globl thread_start\nthread_start:\n"
        "  stp x0, x1, [x2, #-16]!\n"      /* fn and arg on the child's stack */
        "  mov x4, x3\n"                   /* child_tid */
        "  mov x1, x2\n"                   /* newsp */
        "  mov x2, x3\n"                   /* parent_tid */
        "  mov x3, #0\n"                   /* tls */
        "  mov x0, #0x0f00\n"              /* CLONE_THREAD_FLAGS, 0x350f00 */
        "  movk x0, #0x35, lsl #16\n"
        "  mov x8, #220\n"                 /* clone */
        "  svc #0\n"
        "  cbz x0, 1f\n"
        "  ret\n"
        "1: ldp x9, x0, [sp], #16\n"
        "  blr x9\n"
        "  mov x0, #0\n"
        "  mov x8, #93\n"                  /* exit (this thread only) */
        "  svc #0\n"
        "  b .\n");

static void thread_join(volatile u32 *tid) {
  u32 v;
  while ((v = *tid) != 0) sys6(NR_futex, (s64)tid, FUTEX_WAIT, v, 0, 0, 0);
}

static void pin_to_pe(int pe) {
  u64 mask = 1UL << pe;
  sys3(NR_sched_setaffinity, 0, sizeof mask, &mask);
}

static u64 host_counter(void) {
  u64 t;
  __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(t) :: "memory");
  return t;
}

/* ---------------------------------------------------------------- output: one write per line */
struct out { char b[200]; u32 n; };

static void put(struct out *o, const char *s) {
  while (*s && o->n < sizeof o->b - 1) o->b[o->n++] = *s++;
}
static void put_dec(struct out *o, s64 v) {
  char b[24];
  int i = 0;
  u64 u = v < 0 ? (u64)-v : (u64)v;
  if (v < 0) put(o, "-");
  do b[i++] = (char)('0' + u % 10); while ((u /= 10) != 0);
  while (i) { char c[2] = {b[--i], 0}; put(o, c); }
}
static void begin(struct out *o) { o->n = 0; put(o, "armvirt-vmm: "); }
static void end(struct out *o) { o->b[o->n++] = '\n'; sys3(NR_write, 1, o->b, o->n); o->n = 0; }
static void say(const char *a, const char *b) { struct out o; begin(&o); put(&o, a); put(&o, b); end(&o); }
static void fail(const char *what, s64 err) {
  struct out o; begin(&o); put(&o, what); put(&o, ": error "); put_dec(&o, err); end(&o);
}
static int same(const char *a, const char *b) {
  while (*a && *a == *b) { a++; b++; }
  return *a == *b;
}

/* ---------------------------------------------------------------- KVM API (include/uapi/linux/kvm.h) */
#define KVM_CREATE_VM 0xAE01
#define KVM_GET_VCPU_MMAP_SIZE 0xAE04
#define KVM_CREATE_VCPU 0xAE41
#define KVM_SET_USER_MEMORY_REGION 0x4020AE46 /* _IOW(KVMIO, 0x46, 32 bytes) */
#define KVM_IRQFD 0x4020AE76                  /* _IOW(KVMIO, 0x76, struct kvm_irqfd: 32 bytes) */
#define KVM_IOEVENTFD 0x4040AE79              /* _IOW(KVMIO, 0x79, struct kvm_ioeventfd: 64 bytes) */
#define KVM_RUN 0xAE80
#define KVM_SET_ONE_REG 0x4010AEAC
#define KVM_ARM_VCPU_INIT 0x4020AEAE
#define KVM_ARM_PREFERRED_TARGET 0x8020AEAF
#define KVM_CREATE_DEVICE 0xC00CAEE0
#define KVM_SET_DEVICE_ATTR 0x4018AEE1
#define KVM_DEV_TYPE_ARM_VGIC_V2 5
#define KVM_DEV_TYPE_ARM_VGIC_V3 7
#define KVM_ARM_VCPU_PSCI_0_2 2
#define KVM_EXIT_HYPERCALL 3
#define KVM_EXIT_MMIO 6
#define KVM_EXIT_SYSTEM_EVENT 24
#define ENODEV 19
/* KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (offset in struct kvm_regs) / 4:
 * regs.regs[n] at 8n, regs.pc at 256. */
#define CORE_REG(off) (0x6030000000100000UL | ((off) / 4))

/* The guest's layout (vmm-guests.S has the same numbers). */
#define RAM_IPA 0x40000000UL
#define RAM_SIZE 0x10000UL
#define SHARED_OFF 0x8000
#define S_T0 0x00
#define S_T1 0x08
#define S_SEQ 0x10
#define S_READY 0x20
#define S_STOPPED 0x28
#define MMIO_PAGE 0x09000000UL
#define DOORBELL 0x0a000000UL
#define IRQFD_GSI 16 /* SPI 16 = INTID 48 (vgic_irqfd_set_irq: pin + VGIC_NR_PRIVATE_IRQS) */
#define LOOPS 18     /* ITERATIONS + WARMUP in vmm-guests.S */
#define IDLE_GAP 20000 /* counter ticks the waiting side is left to go to sleep (IDLE_GAP in vmm-guests.S) */

extern const u8 vmm_guest_image[], vmm_guest_image_end[];

/* BENCHMARKS in src/cli/paper.ts, in that order: the guest's x0. */
enum { B_HYPERCALL, B_GICD_TRAP, B_VIRTUAL_IPI, B_IRQ_COMPLETION, B_VM_SWITCH, B_IO_OUT, B_IO_IN, NBENCH };
static const struct { const char *name; int vms, vcpus, io; } benches[NBENCH] = {
  [B_HYPERCALL] = {"hypercall", 1, 1, 0},
  [B_GICD_TRAP] = {"interrupt-controller-trap", 1, 1, 0},
  [B_VIRTUAL_IPI] = {"virtual-ipi", 1, 2, 0},
  [B_IRQ_COMPLETION] = {"virtual-irq-completion", 1, 1, 0},
  [B_VM_SWITCH] = {"vm-switch", 2, 1, 0},
  [B_IO_OUT] = {"io-latency-out", 1, 1, 1},
  [B_IO_IN] = {"io-latency-in", 1, 1, 2},
};

static s64 kvm_fd, pid, run_size;
static int gic_version; /* 3, or 2 after the host refused a vgic-v3 (ENODEV) */

struct vm;
struct vcpu {
  struct vm *vm;
  s64 fd;
  u8 *run;
  int index, pe;
  volatile u32 tid;
};
struct vm {
  const char *name;
  s64 fd, efd, vgic_fd;
  u8 *mem;
  int nvcpus;
  struct vcpu vcpu[2];
  struct out line;     /* the guest's UART output so far */
  s64 exits_at_mark;
  int stops_yielding;
};

static volatile int stop_yielding; /* vm-switch: VM 0 powered off, VM 1's thread may stop */
static u8 stacks[4][16384] __attribute__((aligned(16)));

static volatile u64 *shared(struct vm *vm, u32 off) { return (volatile u64 *)(vm->mem + SHARED_OFF + off); }

/* KVM's own count of guest exits for this VM (every return from the guest, whatever the cause:
 * vcpu->stat.exits, summed over the vCPUs in debugfs, virt/kvm/kvm_main.c), or -1. */
static s64 vm_exits(struct vm *vm) {
  char path[96], buf[32];
  struct out o;
  s64 fd, n, v = 0, i;
  o.n = 0;
  put(&o, "/sys/kernel/debug/kvm/"); put_dec(&o, pid); put(&o, "-"); put_dec(&o, vm->fd); put(&o, "/exits");
  o.b[o.n] = 0;
  memcpy(path, o.b, o.n + 1);
  fd = sys6(NR_openat, AT_FDCWD, (s64)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
  if (fd < 0) return -1;
  n = sys3(NR_read, fd, buf, sizeof buf - 1);
  sys3(NR_close, fd, 0, 0);
  if (n <= 0) return -1;
  for (i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) v = v * 10 + (buf[i] - '0');
  return v;
}

static int set_reg(s64 vcpu, u64 id, u64 value) {
  struct { u64 id, addr; } reg = {id, (u64)&value};
  return (int)sys3(NR_ioctl, vcpu, KVM_SET_ONE_REG, &reg);
}

/* A guest store to the MMIO page (KVM_EXIT_MMIO). Returns 0 to stop running this vCPU. */
static int mmio_write(struct vcpu *c, u64 addr, u64 data) {
  struct vm *vm = c->vm;
  switch (addr - MMIO_PAGE) {
  case 0x00: /* UART data */
    if (data == '\n') { end(&vm->line); begin(&vm->line); }
    else { char ch[2] = {(char)data, 0}; put(&vm->line, ch); }
    return 1;
  case 0x08: { /* mark */
    s64 e = vm_exits(vm);
    if (data == 0) { vm->exits_at_mark = e; return 1; }
    {
      struct out o;
      begin(&o); put(&o, vm->name); put(&o, ": ");
      if (e < 0 || vm->exits_at_mark < 0) put(&o, "exits unknown (no debugfs)");
      else {
        /* both marks are exits themselves: the end mark's is counted, the start mark's not */
        put(&o, "exits "); put_dec(&o, e - vm->exits_at_mark - 1);
      }
      put(&o, " in "); put_dec(&o, (s64)data); put(&o, " loops"); end(&o);
    }
    return 1;
  }
  case 0x10: /* done */
    return 0;
  case 0x18: /* yield */
    if (stop_yielding) return 0;
    sys3(NR_sched_yield, 0, 0, 0);
    return 1;
  }
  {
    struct out o;
    begin(&o); put(&o, vm->name); put(&o, ": unexpected MMIO write at IPA "); put_dec(&o, (s64)addr); end(&o);
  }
  return 0;
}

static void vcpu_thread(void *arg) {
  struct vcpu *c = arg;
  struct vm *vm = c->vm;
  pin_to_pe(c->pe);
  for (;;) {
    s64 r = sys3(NR_ioctl, c->fd, KVM_RUN, 0);
    u32 reason;
    if (r < 0) { fail("KVM_RUN", r); break; }
    /* struct kvm_run: exit_reason (u32) at byte 8, the exit's union at byte 32 */
    reason = *(u32 *)(c->run + 8);
    if (reason == KVM_EXIT_MMIO) {
      /* mmio: phys_addr u64, data[8], len u32, is_write u8 */
      u64 addr = *(u64 *)(c->run + 32), data = 0;
      u32 n = *(u32 *)(c->run + 48), i;
      if (!c->run[52]) { for (i = 0; i < 8; i++) c->run[40 + i] = 0; continue; } /* reads: 0 */
      for (i = 0; i < n && i < 8; i++) data |= (u64)c->run[40 + i] << (8 * i);
      if (!mmio_write(c, addr, data)) break;
    } else if (reason == KVM_EXIT_SYSTEM_EVENT) {
      break; /* PSCI SYSTEM_OFF (or RESET): the VM is over */
    } else if (reason == KVM_EXIT_HYPERCALL) {
      /* Not sent by Linux 6.1 on arm64 (KVM answers HVCs itself); from 6.4 a VMM may ask for
       * SMCCC calls with KVM_ARM_SET_SMCCC_FILTER and then writes the result to the guest's x0
       * itself (api.rst, KVM_EXIT_HYPERCALL). We ask for none; answer SMCCC_RET_NOT_SUPPORTED. */
      set_reg(c->fd, CORE_REG(0), (u64)-1);
      say(vm->name, ": KVM_EXIT_HYPERCALL (answered NOT_SUPPORTED)");
    } else {
      struct out o;
      begin(&o); put(&o, vm->name); put(&o, ": unexpected exit reason "); put_dec(&o, reason); end(&o);
      break;
    }
  }
  if (vm->nvcpus > 1 && c->index == 1) *shared(vm, S_STOPPED) = 1; /* vCPU 0 may power off now */
  if (vm->stops_yielding) stop_yielding = 1; /* vm-switch: VM 1's thread may stop at its next yield */
}

/* ---------------------------------------------------------------- the VMM's I/O thread */
static struct vm *io_vm;
static int io_kind;

static void io_thread(void *arg) {
  struct vm *vm = io_vm;
  u64 v, i;
  (void)arg;
  pin_to_pe(1);
  if (io_kind == 1) {
    /* I/O out: each guest doorbell write signals the eventfd; answer with our time */
    for (i = 1; i <= LOOPS; i++) {
      if (sys3(NR_read, vm->efd, &v, 8) != 8) { fail("read ioeventfd", -1); return; }
      *shared(vm, S_T1) = host_counter();
      __asm__ volatile("dmb ish" ::: "memory");
      *shared(vm, S_SEQ) = i;
    }
  } else {
    /* I/O in: for each iteration, once the guest handled the previous interrupt and had time to
     * sleep again in WFI, take the time and signal the irqfd */
    while (!*shared(vm, S_READY)) {}
    for (i = 0; i < LOOPS; i++) {
      u64 t;
      while (*shared(vm, S_SEQ) < i) {}
      t = host_counter();
      while (host_counter() - t < IDLE_GAP) {}
      *shared(vm, S_T0) = host_counter();
      __asm__ volatile("dmb ish" ::: "memory");
      v = 1;
      if (sys3(NR_write, vm->efd, &v, 8) != 8) { fail("write irqfd", -1); return; }
    }
  }
}

/* ---------------------------------------------------------------- building a VM */
static int set_attr(s64 dev, u32 group, u64 attr, u64 *value) {
  /* struct kvm_device_attr: flags u32, group u32, attr u64, addr u64 */
  struct { u32 flags, group; u64 attr, addr; } a = {0, group, attr, (u64)value};
  return (int)sys3(NR_ioctl, dev, KVM_SET_DEVICE_ATTR, &a);
}

/* Creates the in-kernel vGIC (Documentation/virt/kvm/devices/arm-vgic{,-v3}.rst): create, place
 * its frames, initialise after the vCPUs exist and before the first KVM_RUN. */
static int create_vgic(struct vm *vm) {
  /* (the device fd is kept in vm->vgic_fd and closed with the VM) */
  struct { u32 type, fd, flags; } dev = {0, 0, 0};
  u64 dist = 0x08000000, second;
  s64 r;
  if (gic_version == 0 || gic_version == 3) {
    dev.type = KVM_DEV_TYPE_ARM_VGIC_V3;
    r = sys3(NR_ioctl, vm->fd, KVM_CREATE_DEVICE, &dev);
    if (r == 0) gic_version = 3;
    else if (r == -ENODEV && gic_version == 0) gic_version = 2;
    else { fail("KVM_CREATE_DEVICE vgic-v3", r); return -1; }
  }
  if (gic_version == 2) {
    dev.type = KVM_DEV_TYPE_ARM_VGIC_V2;
    if ((r = sys3(NR_ioctl, vm->fd, KVM_CREATE_DEVICE, &dev)) < 0) { fail("KVM_CREATE_DEVICE vgic-v2", r); return -1; }
  }
  /* KVM_DEV_ARM_VGIC_GRP_ADDR: v2 DIST 0 / CPU 1; v3 DIST 2 / REDIST 3 */
  second = gic_version == 3 ? 0x080a0000 : 0x08010000;
  if ((r = set_attr(dev.fd, 0, gic_version == 3 ? 2 : 0, &dist)) < 0) { fail("vgic distributor address", r); return -1; }
  if ((r = set_attr(dev.fd, 0, gic_version == 3 ? 3 : 1, &second)) < 0) { fail("vgic second frame address", r); return -1; }
  if ((r = set_attr(dev.fd, 4, 0, 0)) < 0) { fail("KVM_DEV_ARM_VGIC_CTRL_INIT", r); return -1; }
  vm->vgic_fd = dev.fd;
  return 0;
}

static int create_vm(struct vm *vm, int bench, int vm_index) {
  struct { u32 slot, flags; u64 gpa, size, uaddr; } region;
  struct { u32 target, features[7]; } init;
  s64 r;
  int i;
  vm->fd = sys3(NR_ioctl, kvm_fd, KVM_CREATE_VM, 0);
  if (vm->fd < 0) { fail("KVM_CREATE_VM", vm->fd); return -1; }
  vm->mem = (u8 *)sys6(NR_mmap, 0, RAM_SIZE, 3, 0x22, -1, 0); /* PROT_READ|WRITE, MAP_PRIVATE|ANONYMOUS */
  if ((s64)vm->mem < 0 && (s64)vm->mem > -4096) { fail("mmap guest RAM", (s64)vm->mem); return -1; }
  memcpy(vm->mem, vmm_guest_image, (u64)(vmm_guest_image_end - vmm_guest_image));
  region.slot = 0; region.flags = 0; region.gpa = RAM_IPA; region.size = RAM_SIZE; region.uaddr = (u64)vm->mem;
  if ((r = sys3(NR_ioctl, vm->fd, KVM_SET_USER_MEMORY_REGION, &region)) < 0) { fail("KVM_SET_USER_MEMORY_REGION", r); return -1; }
  if ((r = sys3(NR_ioctl, vm->fd, KVM_ARM_PREFERRED_TARGET, &init)) < 0) { fail("KVM_ARM_PREFERRED_TARGET", r); return -1; }
  vm->nvcpus = benches[bench].vcpus;
  for (i = 0; i < vm->nvcpus; i++) {
    struct vcpu *c = &vm->vcpu[i];
    c->vm = vm;
    c->index = i;
    /* two vCPUs of one VM on two PEs; two VMs (vm-switch) share PE 0 */
    c->pe = i;
    c->fd = sys3(NR_ioctl, vm->fd, KVM_CREATE_VCPU, i);
    if (c->fd < 0) { fail("KVM_CREATE_VCPU", c->fd); return -1; }
    for (r = 0; r < 7; r++) init.features[r] = 0;
    init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
    if ((r = sys3(NR_ioctl, c->fd, KVM_ARM_VCPU_INIT, &init)) < 0) { fail("KVM_ARM_VCPU_INIT", r); return -1; }
    if ((r = set_reg(c->fd, CORE_REG(256), RAM_IPA)) < 0 ||
        (r = set_reg(c->fd, CORE_REG(0), (u64)bench)) < 0 ||
        (r = set_reg(c->fd, CORE_REG(8), (u64)(vm_index + i))) < 0) { fail("KVM_SET_ONE_REG", r); return -1; }
    c->run = (u8 *)sys6(NR_mmap, 0, run_size, 3, 0x01, c->fd, 0); /* MAP_SHARED */
    if ((s64)c->run < 0 && (s64)c->run > -4096) { fail("mmap kvm_run", (s64)c->run); return -1; }
  }
  if (create_vgic(vm) < 0) return -1;
  for (i = 0; i < vm->nvcpus; i++) {
    /* x2 = the vGIC version, known once the first vGIC exists */
    if ((r = set_reg(vm->vcpu[i].fd, CORE_REG(16), (u64)gic_version)) < 0) { fail("KVM_SET_ONE_REG x2", r); return -1; }
  }
  vm->efd = -1;
  if (benches[bench].io) {
    vm->efd = sys3(NR_eventfd2, 0, 0, 0);
    if (vm->efd < 0) { fail("eventfd2", vm->efd); return -1; }
    if (benches[bench].io == 1) {
      /* struct kvm_ioeventfd: datamatch u64, addr u64, len u32, fd s32, flags u32, pad[36] */
      struct { u64 datamatch, addr; u32 len; s32 fd; u32 flags; u8 pad[36]; } io;
      memset(&io, 0, sizeof io);
      io.addr = DOORBELL; io.len = 4; io.fd = (s32)vm->efd;
      if ((r = sys3(NR_ioctl, vm->fd, KVM_IOEVENTFD, &io)) < 0) { fail("KVM_IOEVENTFD", r); return -1; }
    } else {
      /* struct kvm_irqfd: fd u32, gsi u32, flags u32, resamplefd u32, pad[16] */
      struct { u32 fd, gsi, flags, resamplefd; u8 pad[16]; } irq;
      memset(&irq, 0, sizeof irq);
      irq.fd = (u32)vm->efd; irq.gsi = IRQFD_GSI;
      if ((r = sys3(NR_ioctl, vm->fd, KVM_IRQFD, &irq)) < 0) { fail("KVM_IRQFD", r); return -1; }
    }
  }
  begin(&vm->line);
  return 0;
}

/* Drops every reference to the VM (mappings and file descriptors), so KVM destroys it now and its
 * debugfs directory "<pid>-<fd>" is free for the next VM that gets the same fd number. */
static void destroy_vm(struct vm *vm) {
  int i;
  for (i = 0; i < vm->nvcpus; i++) {
    sys3(NR_munmap, vm->vcpu[i].run, run_size, 0);
    sys3(NR_close, vm->vcpu[i].fd, 0, 0);
  }
  if (vm->efd >= 0) sys3(NR_close, vm->efd, 0, 0);
  if (vm->vgic_fd > 0) sys3(NR_close, vm->vgic_fd, 0, 0);
  sys3(NR_close, vm->fd, 0, 0);
  sys3(NR_munmap, vm->mem, RAM_SIZE, 0);
}

static void run_bench(int bench) {
  static struct vm vms[2];
  volatile u32 io_tid = 0;
  int v, i, t = 0;
  stop_yielding = 0;
  for (v = 0; v < benches[bench].vms; v++) {
    memset(&vms[v], 0, sizeof vms[v]);
    vms[v].name = benches[bench].name;
    if (create_vm(&vms[v], bench, v) < 0) return;
  }
  if (bench == B_VM_SWITCH) { vms[1].vcpu[0].pe = 0; vms[0].stops_yielding = 1; }
  for (v = 0; v < benches[bench].vms; v++)
    for (i = 0; i < vms[v].nvcpus; i++) {
      struct vcpu *c = &vms[v].vcpu[i];
      s64 r = thread_start(vcpu_thread, c, stacks[t++] + sizeof stacks[0], &c->tid);
      if (r < 0) { fail("clone", r); return; }
    }
  if (benches[bench].io) {
    io_vm = &vms[0];
    io_kind = benches[bench].io;
    if (thread_start(io_thread, 0, stacks[t++] + sizeof stacks[0], &io_tid) < 0) { fail("clone", -1); return; }
  }
  for (v = 0; v < benches[bench].vms; v++)
    for (i = 0; i < vms[v].nvcpus; i++) thread_join(&vms[v].vcpu[i].tid);
  if (benches[bench].io) thread_join(&io_tid);
  for (v = 0; v < benches[bench].vms; v++) destroy_vm(&vms[v]);
}

/* ---------------------------------------------------------------- entry */
static void mount_fs(const char *source, const char *target, const char *type) {
  s64 r;
  sys3(NR_mkdirat, AT_FDCWD, target, 0755);
  r = sys6(NR_mount, (s64)source, (s64)target, (s64)type, 0, 0, 0);
  if (r < 0 && r != -16 /* EBUSY: already mounted */) { struct out o; begin(&o); put(&o, "mount "); put(&o, target); put(&o, ": error "); put_dec(&o, r); end(&o); }
}

__attribute__((noreturn, used)) void vmm_main(u64 *sp) {
  int argc = (int)sp[0], i, b, any = 0;
  char **argv = (char **)(sp + 1);
  pid = sys3(NR_getpid, 0, 0, 0);
  for (i = 1; i < argc; i++) {
    for (b = 0; b < NBENCH && !same(argv[i], benches[b].name); b++) {}
    if (b == NBENCH) {
      struct out o;
      begin(&o); put(&o, "unknown benchmark '"); put(&o, argv[i]); put(&o, "' (known:");
      for (b = 0; b < NBENCH; b++) { put(&o, " "); put(&o, benches[b].name); }
      put(&o, ")"); end(&o);
      argc = 0;
    }
  }
  mount_fs("devtmpfs", "/dev", "devtmpfs");
  mount_fs("sysfs", "/sys", "sysfs");
  mount_fs("debugfs", "/sys/kernel/debug", "debugfs");
  kvm_fd = sys6(NR_openat, AT_FDCWD, (s64)"/dev/kvm", O_RDWR | O_CLOEXEC, 0, 0, 0);
  if (kvm_fd < 0) fail("open /dev/kvm", kvm_fd);
  else if ((run_size = sys3(NR_ioctl, kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0)) < 0) fail("KVM_GET_VCPU_MMAP_SIZE", run_size);
  else {
    for (b = 0; b < NBENCH; b++) {
      int wanted = argc <= 1;
      for (i = 1; i < argc; i++) if (same(argv[i], benches[b].name)) wanted = 1;
      if (!wanted) continue;
      say("running ", benches[b].name);
      run_bench(b);
      any = 1;
    }
    if (any) { struct out o; begin(&o); put(&o, "done (vgic-v"); put_dec(&o, gic_version); put(&o, ")"); end(&o); }
  }
  if (pid != 1) sys3(NR_exit_group, 0, 0, 0);
  /* PID 1 must not exit: power off (PSCI SYSTEM_OFF, so QEMU and ArmVirt end with status 0) */
  sys3(NR_reboot, 0xfee1dead, 672274793, 0x4321fedc);
  for (;;) sys3(NR_sched_yield, 0, 0, 0);
}
