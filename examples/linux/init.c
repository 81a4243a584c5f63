/*
 * armvirt-init: the /init of the reference initramfs (scripts/make-initramfs.ts).
 *
 * It runs as PID 1 on Debian's arm64 cloud kernel, under QEMU (`-M virt,virtualization=on`, the
 * oracle) and under ArmVirt, and reports what user space can see of the machine and of KVM:
 *   - mounts proc, sysfs and devtmpfs (an initramfs gets no automatic devtmpfs mount:
 *     CONFIG_DEVTMPFS_MOUNT only acts when the kernel mounts a real root file system);
 *   - prints the kernel release, the number of PEs and the first PE's CPU implementer, part and
 *     Features lines of /proc/cpuinfo;
 *   - prints /dev/kvm's device numbers, KVM_GET_API_VERSION and a few KVM_CHECK_EXTENSION answers,
 *     the files of /sys/module/kvm/parameters, and the kernel's own words on how KVM started
 *     ("VHE mode" / "Hyp mode" / "Protected nVHE mode" in the kernel log, read with syslog(2));
 *   - runs two tiny guests under KVM: one stores to an unbacked IPA (a Stage-2 fault that KVM
 *     hands to user space as KVM_EXIT_MMIO) and calls PSCI SYSTEM_OFF by HVC (handled by KVM's
 *     PSCI emulation, reported as KVM_EXIT_SYSTEM_EVENT); the other, with KVM's in-kernel vGIC
 *     (v3, or v2 on a GICv2 host), takes its virtual timer's interrupt (PPI 27, injected through
 *     a list register) and reports the INTID by MMIO before it powers off;
 *   - powers the machine off with reboot(LINUX_REBOOT_CMD_POWER_OFF), which Linux turns into
 *     PSCI SYSTEM_OFF, so QEMU exits with status 0.
 * Every line it prints starts with "armvirt-init: " so a test can pick them out of the console.
 *
 * Freestanding on purpose: no libc (the Debian cross compiler without libc6-dev-arm64-cross has
 * none, and a static glibc binary would be ~600 KB to check in); system calls are made with SVC
 * directly, with the numbers of the generic table (include/uapi/asm-generic/unistd.h) that arm64
 * uses. Build: `npx tsx scripts/make-initramfs.ts --build` runs aarch64-linux-gnu-gcc with the
 * flags of INIT_CFLAGS there (-Os -static -nostdlib -ffreestanding, no build id, stripped: ~8 KB,
 * the same bytes on every build so the checked-in binary can be compared with its source).
 */

typedef unsigned long u64;
typedef long s64;
typedef unsigned int u32;
typedef unsigned char u8;

/* ---------------------------------------------------------------- system calls (arm64 generic) */
#define NR_mkdirat 34
#define NR_ioctl 29
#define NR_mount 40
#define NR_openat 56
#define NR_close 57
#define NR_getdents64 61
#define NR_read 63
#define NR_write 64
#define NR_newfstatat 79
#define NR_ppoll 73
#define NR_syslog 116
#define NR_reboot 142
#define NR_uname 160
#define NR_mmap 222

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_RDWR 2
#define O_DIRECTORY 040000 /* arm64 value (arch/arm64/include/uapi/asm/fcntl.h) */
#define O_CLOEXEC 02000000

/* The Linux syscall convention on arm64: number in x8, arguments in x0-x5, result in x0
 * (negative errno on failure). */
static s64 sys6(s64 n, s64 a, s64 b, s64 c, s64 d, s64 e, s64 f) {
  register s64 x8 __asm__("x8") = n;
  register s64 x0 __asm__("x0") = a;
  register s64 x1 __asm__("x1") = b;
  register s64 x2 __asm__("x2") = c;
  register s64 x3 __asm__("x3") = d;
  register s64 x4 __asm__("x4") = e;
  register s64 x5 __asm__("x5") = f;
  __asm__ volatile("svc #0"
                   : "+r"(x0)
                   : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                   : "memory", "cc");
  return x0;
}
#define sys3(n, a, b, c) sys6((n), (s64)(a), (s64)(b), (s64)(c), 0, 0, 0)

/* GCC may emit calls to these even when freestanding. */
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

/* ---------------------------------------------------------------- output, one write per line */
static char line[512];
static u32 len;

static void put(const char *s) {
  while (*s && len < sizeof line - 1) line[len++] = *s++;
}
static void put_n(const char *s, u32 n) {
  while (n-- && *s && len < sizeof line - 1) line[len++] = *s++;
}
static void put_dec(s64 v) {
  char b[24];
  int i = 0;
  u64 u = v < 0 ? (u64)-v : (u64)v;
  if (v < 0) put("-");
  do b[i++] = (char)('0' + u % 10); while ((u /= 10) != 0);
  while (i) { char c[2] = {b[--i], 0}; put(c); }
}
static void put_hex(u64 v) {
  char b[19] = "0x";
  int i, n = 1;
  while (n < 16 && (v >> (4 * n)) != 0) n++;
  for (i = 0; i < n; i++) b[2 + i] = "0123456789abcdef"[(v >> (4 * (n - 1 - i))) & 15];
  b[2 + n] = 0;
  put(b);
}
static void begin(void) {
  len = 0;
  put("armvirt-init: ");
}
static void end(void) {
  line[len++] = '\n';
  sys3(NR_write, 1, line, len);
  len = 0;
}
static void say(const char *s) { begin(); put(s); end(); }

static int starts(const char *s, const char *prefix) {
  while (*prefix) if (*s++ != *prefix++) return 0;
  return 1;
}
static const char *find(const char *s, u32 n, const char *needle) {
  u32 i;
  for (i = 0; i < n; i++) {
    const char *a = s + i, *b = needle;
    u32 j = i;
    while (*b && j < n && *a == *b) { a++; b++; j++; }
    if (!*b) return s + i;
  }
  return 0;
}

/* Reads a whole (small) file into buf; returns its length or a negative errno. */
static s64 slurp(const char *path, char *buf, u64 size) {
  s64 fd = sys6(NR_openat, AT_FDCWD, (s64)path, O_RDONLY | O_CLOEXEC, 0, 0, 0), n, got = 0;
  if (fd < 0) return fd;
  while (got < (s64)size - 1 && (n = sys3(NR_read, fd, buf + got, size - 1 - got)) > 0) got += n;
  sys3(NR_close, fd, 0, 0);
  buf[got] = 0;
  return got;
}

/* ---------------------------------------------------------------- file systems */
static void mount_fs(const char *source, const char *target, const char *type) {
  s64 r;
  sys3(NR_mkdirat, AT_FDCWD, target, 0755); /* already there in our archive; harmless if so */
  r = sys6(NR_mount, (s64)source, (s64)target, (s64)type, 0, 0, 0);
  begin();
  put("mount "); put(type); put(" on "); put(target);
  if (r == 0) put(": ok"); else { put(": error "); put_dec(r); }
  end();
}

/* ---------------------------------------------------------------- kernel and CPUs */
static char buf[16384];

static void report_kernel(void) {
  /* struct new_utsname: six fields of 65 bytes (sysname, nodename, release, version, machine,
   * domainname), include/uapi/linux/utsname.h */
  static char uts[6 * 65];
  if (sys3(NR_uname, uts, 0, 0) == 0) {
    begin(); put("kernel "); put(uts + 2 * 65); put(" "); put(uts + 4 * 65); end();
  }
}

static void report_cpus(void) {
  s64 n = slurp("/proc/cpuinfo", buf, sizeof buf);
  const char *p = buf, *e = buf + (n > 0 ? n : 0);
  int cpus = 0, first = 1;
  if (n < 0) { begin(); put("/proc/cpuinfo: error "); put_dec(n); end(); return; }
  while (p < e) {
    const char *q = p;
    while (q < e && *q != '\n') q++;
    if (starts(p, "processor")) {
      if (cpus++ > 0) first = 0;
    } else if (first && (starts(p, "Features") || starts(p, "CPU implementer") ||
                         starts(p, "CPU part") || starts(p, "CPU variant") ||
                         starts(p, "CPU revision"))) {
      /* "Features\t: fp asimd ..." printed as "cpuinfo Features: fp asimd ..." */
      const char *colon = p;
      begin(); put("cpuinfo ");
      while (colon < q && *colon != ':') colon++;
      { const char *k = colon; while (k > p && (k[-1] == '\t' || k[-1] == ' ')) k--; put_n(p, (u32)(k - p)); }
      put(":");
      if (colon + 1 < q) put_n(colon + 1, (u32)(q - colon - 1));
      end();
    }
    p = q + 1;
  }
  begin(); put("cpus "); put_dec(cpus); end();
}

/* ---------------------------------------------------------------- KVM */
/* include/uapi/linux/kvm.h: KVMIO 0xAE; _IO(KVMIO, nr) = 0xAE00 | nr; _IOW/_IOR add the
 * direction (1 = write, 2 = read) in bits 31:30 and the argument size in bits 29:16. */
#define KVM_GET_API_VERSION 0xAE00
#define KVM_CREATE_VM 0xAE01
#define KVM_CHECK_EXTENSION 0xAE03
#define KVM_GET_VCPU_MMAP_SIZE 0xAE04
#define KVM_CREATE_VCPU 0xAE41
#define KVM_SET_USER_MEMORY_REGION 0x4020AE46 /* _IOW(KVMIO, 0x46, 32-byte region) */
#define KVM_RUN 0xAE80
#define KVM_SET_ONE_REG 0x4010AEAC            /* _IOW(KVMIO, 0xac, struct kvm_one_reg) */
#define KVM_ARM_VCPU_INIT 0x4020AEAE          /* _IOW(KVMIO, 0xae, struct kvm_vcpu_init) */
#define KVM_ARM_PREFERRED_TARGET 0x8020AEAF   /* _IOR(KVMIO, 0xaf, struct kvm_vcpu_init) */

#define KVM_EXIT_MMIO 6
#define KVM_EXIT_SYSTEM_EVENT 24
#define KVM_SYSTEM_EVENT_SHUTDOWN 1
#define KVM_ARM_VCPU_PSCI_0_2 2

static const struct { int cap; const char *name; } caps[] = {
  {3, "KVM_CAP_USER_MEMORY"},
  {9, "KVM_CAP_NR_VCPUS"},
  {66, "KVM_CAP_MAX_VCPUS"},
  {93, "KVM_CAP_ARM_EL1_32BIT"},
  {102, "KVM_CAP_ARM_PSCI_0_2"},
  {126, "KVM_CAP_ARM_PMU_V3"},
  {165, "KVM_CAP_ARM_VM_IPA_SIZE"},
  {170, "KVM_CAP_ARM_SVE"},
  {171, "KVM_CAP_ARM_PTRAUTH_ADDRESS"},
  {205, "KVM_CAP_ARM_MTE"},
};

static void report_kvm_device(void) {
  /* struct stat on arm64 (asm-generic/stat.h): st_mode at byte 16, st_rdev at byte 32 */
  static u64 st[16];
  s64 r = sys6(NR_newfstatat, AT_FDCWD, (s64)"/dev/kvm", (s64)st, 0, 0, 0);
  begin();
  if (r < 0) { put("/dev/kvm: missing (error "); put_dec(r); put(")"); end(); return; }
  {
    u32 mode = (u32)st[2];
    u64 dev = st[4];
    /* new_decode_dev(): major = bits 19:8, minor = bits 7:0 and 31:20 */
    u64 major = (dev >> 8) & 0xfff, minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    put("/dev/kvm: "); put((mode & 0170000) == 0020000 ? "char " : "not a char device ");
    put_dec((s64)major); put(":"); put_dec((s64)minor);
  }
  end();
}

static void list_kvm_parameters(void) {
  static char dents[4096], path[128], value[128];
  const char *dir = "/sys/module/kvm/parameters";
  s64 fd = sys6(NR_openat, AT_FDCWD, (s64)dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0), n;
  if (fd < 0) { begin(); put(dir); put(": error "); put_dec(fd); end(); return; }
  while ((n = sys3(NR_getdents64, fd, dents, sizeof dents)) > 0) {
    s64 off = 0;
    while (off < n) {
      /* struct linux_dirent64: d_ino u64, d_off s64, d_reclen u16, d_type u8, d_name[] */
      unsigned short reclen = *(unsigned short *)(dents + off + 16);
      const char *name = dents + off + 19;
      if (name[0] != '.') {
        u32 i = 0, j;
        const char *s = dir;
        while (*s) path[i++] = *s++;
        path[i++] = '/';
        for (j = 0; name[j] && i < sizeof path - 1; j++) path[i++] = name[j];
        path[i] = 0;
        begin(); put("kvm parameter "); put(name); put(" = ");
        if (slurp(path, value, sizeof value) >= 0) {
          for (j = 0; value[j]; j++) if (value[j] == '\n') value[j] = 0;
          put(value);
        } else {
          put("(unreadable)");
        }
        end();
      }
      off += reclen;
    }
  }
  sys3(NR_close, fd, 0, 0);
}

/* The kernel log (syslog(2) SYSLOG_ACTION_READ_ALL = 3): the lines about KVM and the EL the PEs
 * started at, and the mode KVM chose: arch/arm64/kvm/arm.c prints "VHE mode initialized
 * successfully" (host at EL2, HCR_EL2.E2H = 1), "Protected nVHE mode ..." (pKVM) or "Hyp mode
 * initialized successfully" (nVHE: host at EL1, the hyp stub/world switch at EL2). */
static char klog[1 << 17];

static void report_kernel_log(void) {
  s64 n = sys3(NR_syslog, 3, klog, sizeof klog);
  const char *p = klog, *e = klog + (n > 0 ? n : 0), *mode = "unknown (no kvm line in the kernel log)";
  if (n < 0) { begin(); put("syslog: error "); put_dec(n); end(); return; }
  while (p < e) {
    const char *q = p, *text = p;
    while (q < e && *q != '\n') q++;
    /* "<6>[    0.123456] text": drop the level and the timestamp */
    if (text < q && *text == '<') { while (text < q && *text != '>') text++; text++; }
    if (text < q && *text == '[') { while (text < q && *text != ']') text++; text += 2; }
    if (text < q && (starts(text, "kvm [") || find(text, (u32)(q - text), "started at EL"))) {
      begin(); put("klog: "); put_n(text, (u32)(q - text)); end();
      /* "Protected nVHE mode" also contains "VHE mode": test it first */
      if (find(text, (u32)(q - text), "Protected nVHE mode initialized successfully")) mode = "protected nVHE";
      else if (find(text, (u32)(q - text), "Hyp mode initialized successfully")) mode = "nVHE";
      else if (find(text, (u32)(q - text), "VHE mode initialized successfully")) mode = "VHE";
    }
    p = q + 1;
  }
  begin(); put("kvm mode: "); put(mode); end();
}

/* guest_mmio_psci: seven instructions at IPA 0x10000, run at EL1 with the MMU off:
 *   movz x0, #0x0900, lsl #16      x0 = 0x0900_0000 (no memory slot there)
 *   movz w1, #0x4b4f               w1 = "OK" (0x4b4f)
 *   str w1, [x0]                   Stage-2 fault, ESR_EL2.ISV = 1 -> KVM_EXIT_MMIO (write, 4 bytes)
 *   movz w0, #0x0008               PSCI SYSTEM_OFF = 0x8400_0008 (DEN0022, SMC32 function id)
 *   movk w0, #0x8400, lsl #16
 *   hvc #0                         KVM's PSCI 0.2+ emulation -> KVM_EXIT_SYSTEM_EVENT (SHUTDOWN)
 *   b .
 */
static const u32 guest_mmio_psci[] = {
  0xd2a12000, 0x528969e1, 0xb9000001, 0x52800100, 0x72b08000, 0xd4000002, 0x14000000,
};

/* guest_vtimer: the EL1 virtual timer through KVM's in-kernel vGICv3 (distributor at IPA
 * 0x0800_0000, redistributors at 0x080a_0000 as on QEMU virt). KVM injects PPI 27 with a list
 * register when the timer fires (arch/arm64/kvm/arch_timer.c, vgic-v3.c); the guest takes the
 * virtual IRQ through its ICC_* (really ICV_*) registers.
 *   movz x0, #0x1, lsl #16
 *   add x0, x0, #0x800             VBAR_EL1 = 0x10800 (guest_vtimer_irq at +0x280)
 *   msr vbar_el1, x0
 *   mov x0, #0xff
 *   msr icc_pmr_el1, x0            priority mask: let everything through
 *   mov x0, #1
 *   msr icc_igrpen1_el1, x0        enable Group 1 at the CPU interface
 *   movz x1, #0x0800, lsl #16
 *   mov w2, #2
 *   str w2, [x1]                   GICD_CTLR.EnableGrp1 (KVM emulates the distributor)
 *   movz x1, #0x080b, lsl #16
 *   mov w2, #0x8000000
 *   str w2, [x1, #0x100]           GICR_ISENABLER0 of vCPU 0 (SGI frame): enable PPI 27
 *   mov x0, #1000
 *   msr cntv_tval_el0, x0          fire in 1000 ticks
 *   mov x0, #1
 *   msr cntv_ctl_el0, x0           ENABLE = 1, IMASK = 0
 *   msr daifclr, #2                unmask IRQs
 *   wfi
 *   b .-4
 */
static const u32 guest_vtimer[] = {
  0xd2a00020, 0x91200000, 0xd518c000, 0xd2801fe0, 0xd5184600, 0xd2800020, 0xd518cce0,
  0xd2a10001, 0x52800042, 0xb9000022, 0xd2a10161, 0x52a10002, 0xb9010022, 0xd2807d00,
  0xd51be300, 0xd2800020, 0xd51be320, 0xd50342ff, 0xd503207f, 0x17ffffff,
};

/* guest_vtimer_irq: the IRQ vector (current EL with SP_ELx, VBAR_EL1 + 0x280):
 *   mrs x0, icc_iar1_el1           acknowledge: the INTID (27)
 *   msr cntv_ctl_el0, xzr          stop the timer, so its level drops
 *   msr icc_eoir1_el1, x0          priority drop and deactivation (EOImode 0)
 *   movz x1, #0x0900, lsl #16
 *   str w0, [x1]                   report the INTID: KVM_EXIT_MMIO
 *   movz w0, #0x0008
 *   movk w0, #0x8400, lsl #16
 *   hvc #0                         PSCI SYSTEM_OFF
 *   b .
 */
static const u32 guest_vtimer_irq[] = {
  0xd538cc00, 0xd51be33f, 0xd518cc20, 0xd2a12001, 0xb9000020, 0x52800100, 0x72b08000,
  0xd4000002, 0x14000000,
};
/* guest_vtimer_v2: the same with KVM's vGICv2 (a GICv2 host): distributor at IPA 0x0800_0000,
 * CPU interface at 0x0801_0000, which KVM maps onto the host's GICV frame at Stage 2, so the
 * guest's GICC_IAR/EOIR accesses reach the virtual CPU interface without a trap. KVM's vGICv2
 * puts interrupts in Group 0 (signalled as IRQ: GICC_CTLR.FIQEn = 0).
 *   movz x0, #0x1, lsl #16
 *   add x0, x0, #0x800
 *   msr vbar_el1, x0               VBAR_EL1 = 0x10800 (guest_vtimer_v2_irq at +0x280)
 *   movz x1, #0x0801, lsl #16
 *   mov w2, #0xff
 *   str w2, [x1, #4]               GICC_PMR
 *   mov w2, #1
 *   str w2, [x1]                   GICC_CTLR.EnableGrp0
 *   movz x1, #0x0800, lsl #16
 *   str w2, [x1]                   GICD_CTLR.EnableGrp0
 *   mov w2, #0x8000000
 *   str w2, [x1, #0x100]           GICD_ISENABLER0 (banked per CPU): enable PPI 27
 *   mov x0, #1000
 *   msr cntv_tval_el0, x0
 *   mov x0, #1
 *   msr cntv_ctl_el0, x0
 *   msr daifclr, #2
 *   wfi
 *   b .-4
 */
static const u32 guest_vtimer_v2[] = {
  0xd2a00020, 0x91200000, 0xd518c000, 0xd2a10021, 0x52801fe2, 0xb9000422, 0x52800022,
  0xb9000022, 0xd2a10001, 0xb9000022, 0x52a10002, 0xb9010022, 0xd2807d00, 0xd51be300,
  0xd2800020, 0xd51be320, 0xd50342ff, 0xd503207f, 0x17ffffff,
};

/* guest_vtimer_v2_irq: the IRQ vector with GICv2 memory-mapped registers:
 *   movz x1, #0x0801, lsl #16
 *   ldr w0, [x1, #0xc]             GICC_IAR: the INTID (27)
 *   msr cntv_ctl_el0, xzr
 *   str w0, [x1, #0x10]            GICC_EOIR
 *   movz x1, #0x0900, lsl #16
 *   str w0, [x1]                   report the INTID: KVM_EXIT_MMIO
 *   movz w0, #0x0008
 *   movk w0, #0x8400, lsl #16
 *   hvc #0                         PSCI SYSTEM_OFF
 *   b .
 */
static const u32 guest_vtimer_v2_irq[] = {
  0xd2a10021, 0xb9400c20, 0xd51be33f, 0xb9001020, 0xd2a12001, 0xb9000020, 0x52800100,
  0x72b08000, 0xd4000002, 0x14000000,
};
/* (test/linux/initramfs.test.ts assembles each listing above and compares it with its array) */

#define GUEST_IPA 0x10000UL
#define GUEST_SIZE 0x10000UL

/* KVM_CREATE_DEVICE = _IOWR(KVMIO, 0xe0, struct kvm_create_device (12 bytes)),
 * KVM_SET_DEVICE_ATTR = _IOW(KVMIO, 0xe1, struct kvm_device_attr (24 bytes));
 * arch/arm64/include/uapi/asm/kvm.h: KVM_DEV_ARM_VGIC_GRP_ADDR 0 (KVM_VGIC_V2_ADDR_TYPE_DIST 0,
 * _CPU 1; KVM_VGIC_V3_ADDR_TYPE_DIST 2, _REDIST 3), KVM_DEV_ARM_VGIC_GRP_CTRL 4
 * (KVM_DEV_ARM_VGIC_CTRL_INIT 0). */
#define KVM_CREATE_DEVICE 0xC00CAEE0
#define KVM_SET_DEVICE_ATTR 0x4018AEE1
#define KVM_DEV_TYPE_ARM_VGIC_V2 5
#define KVM_DEV_TYPE_ARM_VGIC_V3 7
#define ENODEV 19

struct guest {
  const char *label;
  const u32 *code; u32 words;      /* at GUEST_IPA */
  const u32 *irq; u32 irq_words;   /* at GUEST_IPA + 0xa80 (VBAR_EL1 0x10800 + 0x280), if any */
  int vgic;                        /* 0, or the in-kernel vGIC to create: 2 or 3 */
  const struct guest *otherwise;   /* run instead when the host has no such vGIC (ENODEV) */
};

static const char *label;

static void vm_fail(const char *what, s64 r) {
  begin(); put(label); put(": "); put(what); put(": error "); put_dec(r); end();
}

static int set_attr(s64 dev, u32 group, u64 attr, u64 *value) {
  /* struct kvm_device_attr: flags u32, group u32, attr u64, addr u64 */
  static struct { u32 flags, group; u64 attr, addr; } a;
  a.flags = 0;
  a.group = group;
  a.attr = attr;
  a.addr = (u64)value;
  return (int)sys3(NR_ioctl, dev, KVM_SET_DEVICE_ATTR, &a);
}

static void run_guest(s64 kvm, const struct guest *g) {
  static const struct { u32 type, base_attr, second_attr; u64 base, second; const char *name, *second_name; } vgic[4] = {
    [2] = {KVM_DEV_TYPE_ARM_VGIC_V2, 0, 1, 0x08000000, 0x08010000, "vgic-v2", "cpu interface"},
    [3] = {KVM_DEV_TYPE_ARM_VGIC_V3, 2, 3, 0x08000000, 0x080a0000, "vgic-v3", "redistributors"},
  };
  /* struct kvm_userspace_memory_region: slot, flags, guest_phys_addr, memory_size, userspace_addr */
  static struct { u32 slot, flags; u64 gpa, size, uaddr; } region;
  /* struct kvm_vcpu_init: target, features[7] */
  static struct { u32 target, features[7]; } init;
  /* struct kvm_one_reg: id, addr */
  static struct { u64 id, addr; } reg;
  /* struct kvm_create_device: type, fd, flags */
  static struct { u32 type, fd, flags; } dev;
  static u64 pc, base, second;
  s64 vm, vcpu, r, size, exits;
  u8 *mem, *run;
  u32 i;

  label = g->label;
  vm = sys3(NR_ioctl, kvm, KVM_CREATE_VM, 0);
  if (vm < 0) { vm_fail("KVM_CREATE_VM", vm); return; }
  /* mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) */
  mem = (u8 *)sys6(NR_mmap, 0, GUEST_SIZE, 3, 0x22, -1, 0);
  if ((s64)mem < 0 && (s64)mem > -4096) { vm_fail("mmap guest memory", (s64)mem); return; }
  memcpy(mem, g->code, g->words * 4);
  if (g->irq) memcpy(mem + 0xa80, g->irq, g->irq_words * 4);
  region.gpa = GUEST_IPA;
  region.size = GUEST_SIZE;
  region.uaddr = (u64)mem;
  if ((r = sys3(NR_ioctl, vm, KVM_SET_USER_MEMORY_REGION, &region)) < 0) { vm_fail("KVM_SET_USER_MEMORY_REGION", r); return; }
  vcpu = sys3(NR_ioctl, vm, KVM_CREATE_VCPU, 0);
  if (vcpu < 0) { vm_fail("KVM_CREATE_VCPU", vcpu); return; }
  if ((r = sys3(NR_ioctl, vm, KVM_ARM_PREFERRED_TARGET, &init)) < 0) { vm_fail("KVM_ARM_PREFERRED_TARGET", r); return; }
  init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
  if ((r = sys3(NR_ioctl, vcpu, KVM_ARM_VCPU_INIT, &init)) < 0) { vm_fail("KVM_ARM_VCPU_INIT", r); return; }
  /* The PC as a core register: KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | the u32
   * index of regs.pc in struct kvm_regs (31 X registers, then sp, then pc: byte 256 / 4 = 0x40) */
  pc = GUEST_IPA;
  reg.id = 0x6030000000100040UL;
  reg.addr = (u64)&pc;
  if ((r = sys3(NR_ioctl, vcpu, KVM_SET_ONE_REG, &reg)) < 0) { vm_fail("KVM_SET_ONE_REG pc", r); return; }
  if (g->vgic) {
    /* Documentation/virt/kvm/devices/arm-vgic{,-v3}.rst: create, place, then initialise after
     * the vCPUs exist and before the first KVM_RUN. */
    dev.type = vgic[g->vgic].type;
    dev.fd = 0;
    dev.flags = 0;
    if ((r = sys3(NR_ioctl, vm, KVM_CREATE_DEVICE, &dev)) < 0) {
      sys3(NR_close, vcpu, 0, 0);
      sys3(NR_close, vm, 0, 0);
      if (r == -ENODEV && g->otherwise) { run_guest(kvm, g->otherwise); return; }
      vm_fail("KVM_CREATE_DEVICE", r);
      return;
    }
    base = vgic[g->vgic].base;
    second = vgic[g->vgic].second;
    if ((r = set_attr(dev.fd, 0, vgic[g->vgic].base_attr, &base)) < 0) { vm_fail("vgic distributor address", r); return; }
    if ((r = set_attr(dev.fd, 0, vgic[g->vgic].second_attr, &second)) < 0) { vm_fail("vgic second frame address", r); return; }
    if ((r = set_attr(dev.fd, 4, 0, 0)) < 0) { vm_fail("vgic KVM_DEV_ARM_VGIC_CTRL_INIT", r); return; }
    begin(); put(label); put(": "); put(vgic[g->vgic].name); put(" at "); put_hex(base); put(", ");
    put(vgic[g->vgic].second_name); put(" at "); put_hex(second); end();
  }
  size = sys3(NR_ioctl, kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (size < 0) { vm_fail("KVM_GET_VCPU_MMAP_SIZE", size); return; }
  /* mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_SHARED, vcpu, 0) */
  run = (u8 *)sys6(NR_mmap, 0, size, 3, 0x01, vcpu, 0);
  if ((s64)run < 0 && (s64)run > -4096) { vm_fail("mmap kvm_run", (s64)run); return; }
  begin(); put(label); put(": vcpu target "); put_dec(init.target); put(", guest at "); put_hex(GUEST_IPA); end();

  for (exits = 0; exits < 16; exits++) {
    u32 reason;
    if ((r = sys3(NR_ioctl, vcpu, KVM_RUN, 0)) < 0) { vm_fail("KVM_RUN", r); return; }
    /* struct kvm_run: exit_reason (u32) at byte 8, the exit's union at byte 32 */
    reason = *(u32 *)(run + 8);
    if (reason == KVM_EXIT_MMIO) {
      /* mmio: phys_addr u64, data[8], len u32, is_write u8 */
      u64 addr = *(u64 *)(run + 32), data = 0;
      u32 n = *(u32 *)(run + 48);
      for (i = 0; i < n && i < 8; i++) data |= (u64)run[40 + i] << (8 * i);
      begin(); put(label); put(": exit MMIO "); put(run[52] ? "write " : "read "); put_hex(data);
      put(" at "); put_hex(addr); put(" ("); put_dec(n); put(" bytes)"); end();
    } else if (reason == KVM_EXIT_SYSTEM_EVENT) {
      u32 type = *(u32 *)(run + 32);
      begin(); put(label); put(": exit SYSTEM_EVENT type "); put_dec(type);
      if (type == KVM_SYSTEM_EVENT_SHUTDOWN) put(" (shutdown: the guest called PSCI SYSTEM_OFF)");
      end();
      break;
    } else {
      begin(); put(label); put(": exit reason "); put_dec(reason); put(" (unexpected)"); end();
      break;
    }
  }
  if (exits == 16) { begin(); put(label); put(": too many exits"); end(); }
  sys3(NR_close, vcpu, 0, 0);
  sys3(NR_close, vm, 0, 0);
}

static const struct guest vtimer_v2 = {
  "vm-vtimer", guest_vtimer_v2, sizeof guest_vtimer_v2 / 4, guest_vtimer_v2_irq, sizeof guest_vtimer_v2_irq / 4, 2, 0,
};
static const struct guest guests[] = {
  {"vm", guest_mmio_psci, sizeof guest_mmio_psci / 4, 0, 0, 0, 0},
  {"vm-vtimer", guest_vtimer, sizeof guest_vtimer / 4, guest_vtimer_irq, sizeof guest_vtimer_irq / 4, 3, &vtimer_v2},
};

static void report_kvm(void) {
  s64 kvm, r;
  u32 i;
  report_kvm_device();
  kvm = sys6(NR_openat, AT_FDCWD, (s64)"/dev/kvm", O_RDWR | O_CLOEXEC, 0, 0, 0);
  if (kvm < 0) { begin(); put("open /dev/kvm: error "); put_dec(kvm); end(); return; }
  r = sys3(NR_ioctl, kvm, KVM_GET_API_VERSION, 0);
  begin(); put("KVM_GET_API_VERSION "); put_dec(r); end();
  for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
    r = sys3(NR_ioctl, kvm, KVM_CHECK_EXTENSION, caps[i].cap);
    begin(); put("KVM_CHECK_EXTENSION "); put(caps[i].name); put(" "); put_dec(r); end();
  }
  for (i = 0; i < sizeof guests / sizeof guests[0]; i++) run_guest(kvm, &guests[i]);
  sys3(NR_close, kvm, 0, 0);
}

/* ---------------------------------------------------------------- /proc/kallsyms sample */
/* With "armvirt.kallsyms=M" on the kernel command line, prints about one line in M of
 * /proc/kallsyms ("kallsyms <line>"), chosen by a multiplicative hash of the line number, then
 * "kallsyms lines <count>": the ground truth the debugger's kallsyms reader is tested against
 * (test/linux/kernel-debug.test.ts). PID 1 runs as root with CAP_SYSLOG, so the addresses are
 * real (kallsyms_show_value(), kernel/kallsyms.c). */
static char ksbuf[8192];

static void sample_kallsyms(void) {
  static char cmd[1024];
  const char *arg;
  u64 every = 0, n = 0, k;
  s64 fd, got, keep = 0;
  if (slurp("/proc/cmdline", cmd, sizeof cmd) <= 0 || !(arg = find(cmd, sizeof cmd, "armvirt.kallsyms="))) return;
  for (arg += 17; *arg >= '0' && *arg <= '9'; arg++) every = every * 10 + (u64)(*arg - '0');
  if (every == 0) return;
  fd = sys6(NR_openat, AT_FDCWD, (s64)"/proc/kallsyms", O_RDONLY | O_CLOEXEC, 0, 0, 0);
  if (fd < 0) { begin(); put("kallsyms: error "); put_dec(fd); end(); return; }
  while ((got = sys3(NR_read, fd, ksbuf + keep, sizeof ksbuf - 1 - keep)) > 0) {
    s64 all = keep + got, start = 0, i;
    for (i = 0; i < all; i++) {
      if (ksbuf[i] != '\n') continue;
      /* Knuth's multiplicative hash: a fixed, spread-out choice of lines. */
      k = (n++ * 2654435761UL) & 0xffffffffUL;
      if (k < 0x100000000UL / every) { begin(); put("kallsyms "); put_n(ksbuf + start, (u32)(i - start)); end(); }
      start = i + 1;
    }
    keep = all - start;
    memcpy(ksbuf, ksbuf + start, (unsigned long)keep);
  }
  sys3(NR_close, fd, 0, 0);
  begin(); put("kallsyms lines "); put_dec((s64)n); end();
}

/* ---------------------------------------------------------------- entry */
__attribute__((noreturn, used)) void _start(void) {
  say("hello from user space");
  report_kernel();
  mount_fs("proc", "/proc", "proc");
  mount_fs("sysfs", "/sys", "sysfs");
  mount_fs("devtmpfs", "/dev", "devtmpfs");
  report_cpus();
  sample_kallsyms();
  report_kvm();
  list_kvm_parameters();
  report_kernel_log();
  say("powering off");
  /* reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF): arm64 Linux
   * calls PSCI SYSTEM_OFF (psci_sys_poweroff), which ends QEMU with exit status 0. */
  sys3(NR_reboot, 0xfee1dead, 672274793, 0x4321fedc);
  say("reboot failed");
  /* PID 1 must not exit (the kernel would panic): block forever in ppoll(NULL, 0, NULL, NULL). */
  for (;;) sys3(NR_ppoll, 0, 0, 0);
}
