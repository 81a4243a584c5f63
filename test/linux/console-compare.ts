// Compares two Linux serial consoles — QEMU's (the oracle) and ArmVirt's — line by line, for the
// full-system tests: the same kernel, command line and initramfs must print the same lines in
// the same order, except the lines listed in ALLOWED_DIFFERENCES, each with the reason it may
// differ. Timestamps ("[    1.234567] ") are removed first: simulated time runs at another
// speed than QEMU's. The differences are computed as a longest-common-subsequence diff, so one
// missing line is reported once instead of shifting every later line.

export interface AllowedDifference {
  /** Matched against a line after its timestamp is removed. */
  pattern: RegExp;
  /** Why this line may differ between QEMU and a faithful model of the same board. */
  why: string;
  /**
   * 'differ' (default): the line is left out of the comparison on both sides.
   * 'moves': the line must be there as often on both sides, but its place may change (output of
   * work the kernel runs asynchronously).
   */
  kind?: 'differ' | 'moves';
}

/**
 * Lines that may differ (or be present on one side only) without the machines disagreeing on
 * anything the kernel depends on. Keep this list short: every entry hides real output.
 */
export const ALLOWED_DIFFERENCES: readonly AllowedDifference[] = [
  { pattern: /^Booting Linux on physical CPU /, why: 'prints MIDR_EL1: a model may report another variant/revision of the same part than QEMU\'s cortex-a57 (r1p0, 0x411fd070)' },
  { pattern: /^CPU\d+: Booted secondary processor /, why: 'prints MIDR_EL1, as "Booting Linux on physical CPU"' },
  { pattern: /^CPU features: /, why: 'errata workarounds and detected features follow MIDR_EL1\'s revision and ID registers a model may fill differently (QEMU enables errata of r1p0); the panic dump\'s "CPU features: 0x…" is a hash of them' },
  { pattern: /^random: /, why: 'both boards put a /chosen/rng-seed in the tree (QEMU random bytes, ours from the RTC epoch), so "crng init done" comes at once on both; its timestamp and place among the early lines may differ' },
  { pattern: /^NUMA: NODE_DATA \[mem /, why: 'memblock places NODE_DATA below the boot-time reservations, which include the device tree: QEMU 7.2 hands over a blob padded to 1 MiB (totalsize 0x100000, checked with dumpdtb), ours is its real size (about 5.5 KiB), so the address moves by the difference' },
  { pattern: /^(Registered setend emulation handler|setend instruction emulation is not supported on this system)$/, why: 'the CPU models are AArch64-only (ID_AA64PFR0_EL1.EL0 = 1, README Limits "Exception levels"); QEMU\'s cortex-a57 has AArch32 EL0' },
  { pattern: /^armvirt-init: KVM_CHECK_EXTENSION KVM_CAP_ARM_EL1_32BIT /, why: 'KVM offers 32-bit guests only when the CPU has AArch32 at EL1; our models are AArch64-only (README Limits)' },
  { pattern: /^(KASLR enabled|KASLR disabled due to lack of seed)$/, why: 'QEMU puts random bytes in /chosen/kaslr-seed; our boots are deterministic and pass none (boots with "nokaslr" print the same line on both)' },
  { pattern: /^ASID allocator initialised with \d+ entries$/, why: 'with KASLR on (QEMU, see above) Linux unmaps the kernel at EL0 (KPTI) and uses ASIDs in pairs, halving the count; without KASLR all 65536 are used' },
  { pattern: /^arch_timer: cp15 timer\(s\) running at /, why: 'CNTFRQ_EL0: QEMU 7.2 uses 62.5 MHz, a model may tick at another frequency' },
  { pattern: /^clocksource: arch_sys_counter: /, why: 'max_cycles/max_idle_ns are derived from the counter frequency' },
  { pattern: /^sched_clock: /, why: 'resolution and wrap time are derived from the counter frequency' },
  { pattern: /^Calibrating delay loop|BogoMIPS/, why: 'BogoMIPS is computed from the counter frequency (the delay loop is skipped)' },
  { pattern: /^rtc-pl031 [0-9a-f]+\.pl031: setting system clock to /, why: 'the PL031 starts at the host\'s wall-clock date' },
  { pattern: /^audit: type=2000 audit\(/, why: 'carries a timestamp (seconds since boot)' },
  { pattern: /^node \d+ deferred pages initialised in \d+ms/, why: 'a duration measured with the kernel\'s clock' },
  { pattern: /^(hrtimer: interrupt took \d+ ns|sched: RT throttling activated)$/, why: 'the kernel measured a slow interrupt or a busy real-time task in its clock\'s time; QEMU\'s virtual counter follows the host clock, so these come and go with the host\'s load' },
  { pattern: /^Memory: \d+K\/\d+K available/, why: 'free memory depends on where the loader puts the initrd and DTB (QEMU: hw/arm/boot.c; a model may reserve differently)' },
  { pattern: /^(Kernel Offset|PHYS_OFFSET): /, why: 'KASLR: QEMU fills /chosen/kaslr-seed with random bytes; without nokaslr the offset changes every boot' },
  { pattern: /^(Trying to unpack rootfs image as initramfs\.\.\.|Freeing initrd memory: \d+K)$/, kind: 'moves', why: 'init/initramfs.c unpacks the initramfs (and frees it) with async_schedule_domain(), so these lines land among the initcalls\' lines wherever the async worker runs' },
  { pattern: /^GICv3: \d+ (Extended )?SPIs implemented/, why: 'GICD_TYPER.ITLinesNumber/ESPI: the number of SPIs the distributor models' },
  { pattern: /^(ITS |ITS@|Platform MSI: |PCI\/MSI: |GICv3: using LPI property table|GICv3: CPU\d+: using allocated LPI pending table)/, why: 'QEMU virt has a GICv3 ITS (LPIs, MSI domains); the board does not model it (README "Limits")' },
  { pattern: /^(pci-host-generic |pci_bus |pci \d{4}:|PCI: )/, why: 'QEMU virt has a PCIe host bridge; the board does not model PCI (README "Limits")' },
  { pattern: /^GICv2m: /, why: 'QEMU virt has a GICv2m MSI frame beside a GICv2; the board does not model it (README "Limits")' },
  { pattern: /^pl061_gpio /, why: 'QEMU virt has a PL061 GPIO controller; the board does not model it' },
];

/**
 * On top of ALLOWED_DIFFERENCES, for `-cpu max`: QEMU 7.2's max implements SVE/SVE2, pointer
 * authentication, BTI and the other ARMv8.2–8.7 features its hwcaps list; our max advertises only
 * what the simulator implements (README Limits, "SVE, SME, MTE, PAuth …"), so the kernel reports
 * no SVE vector lengths and KVM offers neither SVE nor address authentication to its guests.
 * The "cpuinfo Features" line is checked word by word by the test instead.
 */
export const MAX_CPU_DIFFERENCES: readonly AllowedDifference[] = [
  { pattern: /^SVE: (maximum available|default) vector length /, why: 'our max has no SVE (ID_AA64PFR0_EL1.SVE = 0): the kernel probes no vector lengths' },
  { pattern: /^armvirt-init: KVM_CHECK_EXTENSION KVM_CAP_ARM_(SVE|PTRAUTH_ADDRESS|PTRAUTH_GENERIC) /, why: 'KVM offers SVE and pointer authentication to guests only when the host CPU has them; our max has neither (ID_AA64PFR0_EL1.SVE, ID_AA64ISAR1_EL1.APA/API/GPA/GPI = 0)' },
  { pattern: /^CPU: detected .*(SVE|pointer auth|BTI)/i, why: 'feature-detection lines of features our max does not implement' },
  { pattern: /^armvirt-init: cpuinfo Features: /, why: 'QEMU\'s max lists hwcaps of features ours does not implement (sve, paca, bti, …); the test checks word by word that every hwcap ours lists is among QEMU\'s' },
];

export interface ConsoleDifference {
  /** 'missing': in QEMU's console only; 'extra': in ours only. A changed line gives one of each. */
  kind: 'missing' | 'extra';
  line: string;
  /** 1-based index among the compared lines of that side (for a 'moves' line: among all its lines). */
  at: number;
}

export interface ConsoleComparison {
  same: boolean;
  differences: ConsoleDifference[];
  /** Lines left out of the comparison, each with the entry of the allowed list it matched. */
  ignored: { side: 'qemu' | 'ours'; line: string; why: string }[];
  /** How many lines of each side were compared. */
  compared: { qemu: number; ours: number };
}

const TIMESTAMP = /^\[\s*\d+\.\d+\]\s?/;
/** The first line of a kernel's console: earlier output (firmware, loader) is not compared. */
const FIRST_LINE = /^Booting Linux on physical CPU /;
/** The diff is quadratic: longer consoles are cut (and the cut reported as a difference). */
const MAX_LINES = 5000;

/** The console as compared: CR and timestamps removed, trailing blanks trimmed, empty lines
 * dropped, starting at "Booting Linux on physical CPU" when that line is there. */
export function consoleLines(text: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r/g, '').replace(TIMESTAMP, '').trimEnd()).filter((l) => l !== '');
  const start = lines.findIndex((l) => FIRST_LINE.test(l));
  return start > 0 ? lines.slice(start) : lines;
}

/** Compares QEMU's console with ours; lines matching `allowed` are left out on both sides. */
export function compareConsoles(qemuText: string, oursText: string, allowed: readonly AllowedDifference[] = ALLOWED_DIFFERENCES): ConsoleComparison {
  const ignored: ConsoleComparison['ignored'] = [];
  const moved = { qemu: new Map<string, number[]>(), ours: new Map<string, number[]>() };
  const keep = (side: 'qemu' | 'ours', lines: string[]): string[] => lines.filter((line, i) => {
    const a = allowed.find((x) => x.pattern.test(line));
    if (!a) return true;
    if (a.kind === 'moves') {
      moved[side].set(line, [...(moved[side].get(line) ?? []), i + 1]);
    } else {
      ignored.push({ side, line, why: a.why });
    }
    return false;
  });
  const q = keep('qemu', consoleLines(qemuText));
  const o = keep('ours', consoleLines(oursText));
  const differences: ConsoleDifference[] = [];
  // Lines that may move: the same number of times on both sides, anywhere.
  for (const [line, at] of moved.qemu) {
    const ours = moved.ours.get(line) ?? [];
    for (const n of at.slice(ours.length)) differences.push({ kind: 'missing', line, at: n });
  }
  for (const [line, at] of moved.ours) {
    const qemu = moved.qemu.get(line) ?? [];
    for (const n of at.slice(qemu.length)) differences.push({ kind: 'extra', line, at: n });
  }
  const qc = q.slice(0, MAX_LINES);
  const oc = o.slice(0, MAX_LINES);
  if (q.length > MAX_LINES) differences.push({ kind: 'missing', line: `(QEMU's console cut after ${MAX_LINES} lines of ${q.length})`, at: MAX_LINES + 1 });
  if (o.length > MAX_LINES) differences.push({ kind: 'extra', line: `(our console cut after ${MAX_LINES} lines of ${o.length})`, at: MAX_LINES + 1 });
  differences.unshift(...diffLines(qc, oc));
  return { same: differences.length === 0, differences, ignored, compared: { qemu: q.length, ours: o.length } };
}

/** Longest-common-subsequence diff of two line lists, in order of appearance. */
function diffLines(a: string[], b: string[]): ConsoleDifference[] {
  const n = a.length;
  const m = b.length;
  // lcs[i * (m + 1) + j] = LCS length of a[i..] and b[j..]
  const lcs = new Uint16Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const out: ConsoleDifference[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { i++; j++; continue; }
    if (j >= m || (i < n && lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
      out.push({ kind: 'missing', line: a[i], at: i + 1 });
      i++;
    } else {
      out.push({ kind: 'extra', line: b[j], at: j + 1 });
      j++;
    }
  }
  return out;
}

/** A readable report for an assertion message: "- line" is QEMU's only, "+ line" ours only. */
export function formatComparison(c: ConsoleComparison, max = 40): string {
  if (c.same) return `same ${c.compared.qemu} lines (${c.ignored.length} allowed differences ignored)`;
  const shown = c.differences.slice(0, max).map((d) => `${d.kind === 'missing' ? '-' : '+'} ${d.line}    (${d.kind === 'missing' ? 'QEMU' : 'ours'} line ${d.at})`);
  if (c.differences.length > max) shown.push(`… ${c.differences.length - max} more`);
  return `${c.differences.length} differences (- QEMU only, + ours only; ${c.compared.qemu} vs ${c.compared.ours} lines compared):\n${shown.join('\n')}`;
}
