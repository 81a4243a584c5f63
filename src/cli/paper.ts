// The experiment matrix (hypervisors × benchmarks) and the paper's figures they are compared
// with: Dall et al., "ARM Virtualization: Performance and Architectural Implications", ISCA 2016,
// Table 3 (microbenchmarks, ARM columns) and Table 4 (KVM ARM hypercall breakdown) — PAPER.md.
// No imports: the CLI (src/cli/experiments.ts), the report's view model
// (src/webview/model/experiments.ts) and the panel's browser bundle all read these same tables.

export const HYPERVISORS = ['kvm-split', 'kvm-vhe', 'xen-style'] as const;
export type Hypervisor = typeof HYPERVISORS[number];
export const BENCHMARKS = ['hypercall', 'interrupt-controller-trap', 'virtual-ipi', 'virtual-irq-completion', 'vm-switch', 'io-latency-out', 'io-latency-in'] as const;
export type Benchmark = typeof BENCHMARKS[number];

/** The paper's Table 3 (ARM columns), PAPER.md. */
export const PAPER_TABLE3: Record<Benchmark, { kvm: number; xen: number }> = {
  'hypercall': { kvm: 6500, xen: 376 },
  'interrupt-controller-trap': { kvm: 7370, xen: 1356 },
  'virtual-ipi': { kvm: 11557, xen: 5978 },
  'virtual-irq-completion': { kvm: 71, xen: 71 },
  'vm-switch': { kvm: 10387, xen: 8799 },
  'io-latency-out': { kvm: 6024, xen: 16491 },
  'io-latency-in': { kvm: 13872, xen: 15650 },
};

/** The paper's Table 4 (KVM ARM hypercall breakdown), by our register-class names. */
export const PAPER_TABLE4: Record<string, { label: string; save: number; restore: number }> = {
  gp: { label: 'GP registers', save: 152, restore: 184 },
  fp: { label: 'FP registers', save: 282, restore: 310 },
  el1: { label: 'EL1 system registers', save: 230, restore: 511 },
  vgic: { label: 'VGIC registers (GICv2 MMIO)', save: 3250, restore: 181 },
  timer: { label: 'Timer registers', save: 104, restore: 106 },
  el2cfg: { label: 'EL2 config registers', save: 92, restore: 107 },
  el2vm: { label: 'EL2 virtual memory registers', save: 92, restore: 107 },
};

/** The paper column a hypervisor is compared with (kvm-vhe: none, the paper had no VHE hardware). */
export const PAPER_COLUMN: Record<Hypervisor, 'kvm' | 'xen' | null> = { 'kvm-split': 'kvm', 'xen-style': 'xen', 'kvm-vhe': null };

/** The paper's figure for (hypervisor, benchmark), or null when the paper has no such cell. */
export function paperFigure(h: Hypervisor, b: Benchmark): number | null {
  const col = PAPER_COLUMN[h];
  return col === null ? null : PAPER_TABLE3[b][col];
}

/** The hypervisor whose breakdown Table 4 measured. */
export const TABLE4_HYPERVISOR: Hypervisor = 'kvm-split';

/** One row of `armvirt experiments --json`. */
export interface ExperimentRow { benchmark: Benchmark; hypervisor: Hypervisor; cycles: number | null; paper: number | null }
export interface BreakdownRow { hypervisor: Hypervisor; class: string; save: number; restore: number }

/** What `armvirt experiments --json` prints. */
export interface ExperimentsReport {
  profile: string;
  /** Hypervisors asked for whose example is not written yet. */
  missing?: Hypervisor[];
  rows: ExperimentRow[];
  /** With --linux: the benchmarks on Linux's own KVM (src/cli/linux-kvm.ts LinuxKvmRow). */
  linux?: { benchmark: Benchmark; mode: string; cycles: number | null; exits: number | null; loops: number | null; paper: number }[];
  breakdown: BreakdownRow[];
}
