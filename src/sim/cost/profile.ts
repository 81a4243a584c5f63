// Cost profiles: what each operation of the machine costs in CPU cycles, as data.
//
// A profile is a JSON file in this directory (xgene-gicv2.json, armv8.1-vhe.json). Every figure
// is `{ "cycles": N, "source": "where the number comes from" }`; a loader check refuses a figure
// without a source. The accounting (cost.ts) charges:
//   - a static cost per executed instruction, chosen at decode time from its encoding class
//     (insn.*) plus its memory accesses (mem.*) and, for MRS/MSR, the register class
//     (sysreg.<class>.read|write) — see `instructionCost`;
//   - dynamic costs where they happen: exception entry and ERET by (from, to) EL, MMIO accesses
//     by device, translation-table walk steps on a TLB miss, IPI delivery latency, WFI wake-up.
// An experiment's cycle count is therefore the sum of what its executed code costs: nothing in
// a profile is specific to one experiment (docs/cost-model.md).
import { existsSync, readFileSync } from 'node:fs';
import XGENE from './xgene-gicv2.json';
import VHE from './armv8.1-vhe.json';
import { SYSREGS, sysregKey, sysregSlotByKey } from '../sysregs';
import type { Encoding } from '../decode';

export interface CostFigure { cycles: number; source: string }

export interface CostProfileFile {
  name: string;
  description: string;
  /** Clock of the modelled CPU (for converting to time in reports). */
  cpuHz: number;
  figures: Record<string, CostFigure>;
}

/** Register classes of the cost model (and of the paper's Table 4 breakdown). */
export const SYSREG_CLASSES = ['el1', 'el2-config', 'el2-vm', 'el2-exception', 'timer', 'gic', 'fp', 'other'] as const;
export type SysregClass = typeof SYSREG_CLASSES[number];

/** MMIO devices with their own access cost (names as MmioDevice.name). */
export const MMIO_DEVICES = ['gicd', 'gicc', 'gich', 'gicv', 'uart', 'device'] as const;

/** Every key a profile must define. */
export const REQUIRED_FIGURES: readonly string[] = [
  'insn.alu', 'insn.mul', 'insn.div', 'insn.branch', 'insn.load', 'insn.store', 'insn.fp', 'insn.sysreg', 'insn.sys-op', 'insn.hint',
  'mem.load', 'mem.store', 'mem.load.q', 'mem.store.q',
  'barrier.isb', 'barrier.dsb', 'barrier.dmb',
  ...['EL0-EL1', 'EL1-EL1', 'EL0-EL2', 'EL1-EL2', 'EL2-EL2'].map((k) => `exception.entry.${k}`),
  ...['EL1-EL0', 'EL1-EL1', 'EL2-EL0', 'EL2-EL1', 'EL2-EL2'].map((k) => `exception.return.${k}`),
  ...SYSREG_CLASSES.flatMap((c) => [`sysreg.${c}.read`, `sysreg.${c}.write`]),
  ...MMIO_DEVICES.flatMap((d) => [`mmio.${d}.read`, `mmio.${d}.write`]),
  'tlb.walk-step', 'ipi.latency', 'wfi.wakeup',
];

export class CostProfileError extends RangeError {}

/** The bundled profiles (JSON in this directory, bundled into dist/ by esbuild). */
const BUNDLED: Record<string, CostProfileFile> = {
  'xgene-gicv2': XGENE as CostProfileFile,
  'armv8.1-vhe': VHE as CostProfileFile,
};

export function listProfiles(): string[] {
  return Object.keys(BUNDLED).sort();
}

/** Validates a parsed profile (every required figure present, numeric, with a source note). */
export function checkProfile(p: CostProfileFile): CostProfileFile {
  if (typeof p !== 'object' || p === null || typeof p.name !== 'string' || typeof p.figures !== 'object') {
    throw new CostProfileError('a cost profile needs "name" and "figures"');
  }
  for (const k of REQUIRED_FIGURES) {
    const f = p.figures[k];
    if (!f) throw new CostProfileError(`profile ${p.name}: figure "${k}" is missing`);
    if (typeof f.cycles !== 'number' || !(f.cycles >= 0)) throw new CostProfileError(`profile ${p.name}: figure "${k}" needs a non-negative "cycles"`);
    if (typeof f.source !== 'string' || f.source.trim() === '') throw new CostProfileError(`profile ${p.name}: figure "${k}" has no "source" note`);
  }
  for (const k of Object.keys(p.figures)) {
    if (!REQUIRED_FIGURES.includes(k)) throw new CostProfileError(`profile ${p.name}: unknown figure "${k}"`);
  }
  return p;
}

/** Loads a bundled profile by name, or a JSON file by path. */
export function loadProfile(nameOrPath: string): CostProfileFile {
  const bundled = BUNDLED[nameOrPath];
  if (bundled) return checkProfile(bundled);
  if (nameOrPath.endsWith('.json') && existsSync(nameOrPath)) {
    try {
      return checkProfile(JSON.parse(readFileSync(nameOrPath, 'utf8')) as CostProfileFile);
    } catch (e) {
      if (e instanceof CostProfileError) throw e;
      throw new CostProfileError(`${nameOrPath}: ${(e as Error).message}`);
    }
  }
  throw new CostProfileError(`unknown cost profile '${nameOrPath}' (known: ${listProfiles().join(', ')}, or a .json file)`);
}

/**
 * The register class of a system register for the cost model. The classes follow the paper's
 * Table 4 rows: EL1 context (what a split-mode world switch saves), EL2 configuration (trap
 * controls), EL2 virtual-memory registers (VTTBR/VTCR), timer, GIC CPU interface (ICC_/ICH_).
 */
export function sysregClass(name: string, group: string): SysregClass {
  if (name === 'VTTBR_EL2' || name === 'VTCR_EL2') return 'el2-vm';
  if (['HCR_EL2', 'CPTR_EL2', 'HSTR_EL2', 'MDCR_EL2', 'VPIDR_EL2', 'VMPIDR_EL2', 'HACR_EL2', 'SCTLR_EL2', 'TCR_EL2', 'TTBR0_EL2', 'MAIR_EL2'].includes(name)) return 'el2-config';
  if (['ELR_EL2', 'SPSR_EL2', 'ESR_EL2', 'FAR_EL2', 'HPFAR_EL2', 'TPIDR_EL2', 'VBAR_EL2', 'SP_EL1', 'CURRENTEL', 'CurrentEL'].includes(name)) return 'el2-exception';
  if (name === 'CNTKCTL_EL1') return 'el1';
  if (name === 'FPSR' || name === 'FPCR') return 'fp';
  if (name === 'SP_EL0' || name === 'TPIDR_EL0' || name === 'TPIDRRO_EL0') return 'el1';
  switch (group) {
    case 'EL1': return 'el1';
    case 'Timer': return 'timer';
    case 'GIC': return 'gic';
    case 'EL2': case 'Virtualization': return 'el2-config';
    default: return 'other';
  }
}

/** Numeric tables the PE and devices read on their paths (no string lookups at run time). */
export interface CostTable {
  readonly name: string;
  readonly figures: Record<string, CostFigure>;
  /** Exception entry cost by from * 3 + to. */
  readonly entry: Float64Array;
  /** ERET cost by from * 3 + to. */
  readonly eret: Float64Array;
  readonly walkStep: number;
  readonly ipiLatency: number;
  readonly wfiWakeup: number;
  /** MMIO access cost by device name (reads, writes). */
  readonly mmioRead: Record<string, number>;
  readonly mmioWrite: Record<string, number>;
  /** Cost of one access by register class. */
  readonly sysregRead: Record<SysregClass, number>;
  readonly sysregWrite: Record<SysregClass, number>;
}

export function buildCostTable(p: CostProfileFile): CostTable {
  const c = (k: string): number => p.figures[k].cycles;
  const entry = new Float64Array(9), eret = new Float64Array(9);
  for (const [f, t] of [[0, 1], [1, 1], [0, 2], [1, 2], [2, 2]]) entry[f * 3 + t] = c(`exception.entry.EL${f}-EL${t}`);
  for (const [f, t] of [[1, 0], [1, 1], [2, 0], [2, 1], [2, 2]]) eret[f * 3 + t] = c(`exception.return.EL${f}-EL${t}`);
  const mmioRead: Record<string, number> = {}, mmioWrite: Record<string, number> = {};
  for (const d of MMIO_DEVICES) { mmioRead[d] = c(`mmio.${d}.read`); mmioWrite[d] = c(`mmio.${d}.write`); }
  const sysregRead = {} as Record<SysregClass, number>, sysregWrite = {} as Record<SysregClass, number>;
  for (const k of SYSREG_CLASSES) { sysregRead[k] = c(`sysreg.${k}.read`); sysregWrite[k] = c(`sysreg.${k}.write`); }
  return {
    name: p.name, figures: p.figures, entry, eret, walkStep: c('tlb.walk-step'), ipiLatency: c('ipi.latency'), wfiWakeup: c('wfi.wakeup'),
    mmioRead, mmioWrite, sysregRead, sysregWrite,
  };
}

// ---------------------------------------------------------------- static instruction costs

/** Memory accesses of a load/store word: count, direction and whether they are 128-bit (Q) accesses. */
function ldstAccesses(enc: Encoding, w: number): { n: number; load: boolean; q: boolean } {
  const name = enc.name;
  const simd = ((w >>> 26) & 1) === 1;
  if (name.startsWith('Load/store register pair') || name.startsWith('Load/store no-allocate pair') || name === 'Load/store exclusive pair') {
    const load = ((w >>> 22) & 1) === 1;
    const q = simd && (w >>> 30) === 2;
    return { n: 2, load, q };
  }
  if (name === 'Load register (literal)') return { n: 1, load: true, q: simd && (w >>> 30) === 2 };
  if (name.startsWith('Load/store register')) {
    const opc = (w >>> 22) & 3;
    const size = w >>> 30;
    const q = simd && size === 0 && (opc & 2) !== 0;
    // opc: 00 store, 01 load, 1x load-signed (GPR) / 128-bit (SIMD, opc<0> = L).
    const load = simd ? (opc & 1) === 1 : opc !== 0;
    return { n: 1, load, q };
  }
  if (name.startsWith('Advanced SIMD load/store')) {
    return { n: 2, load: ((w >>> 22) & 1) === 1, q: true };
  }
  // Exclusives, ordered, atomics, CAS: one access (atomics read and write: counted as a load and a store).
  if (name === 'Atomic memory operations' || name.startsWith('Compare and swap')) return { n: 2, load: true, q: false };
  const load = ((w >>> 22) & 1) === 1;
  return { n: 1, load, q: false };
}

/**
 * Static cost of one instruction word under a profile: the instruction class plus its memory
 * accesses (RAM hit; MMIO is charged by the device on top) and, for MRS/MSR, the register class.
 */
export function instructionCost(t: CostTable, enc: Encoding | undefined, w: number): number {
  const f = t.figures;
  if (enc === undefined) return f['insn.alu'].cycles;
  const name = enc.name;
  switch (name) {
    case 'MRS': case 'MSR (register)': {
      const read = name === 'MRS';
      const op0 = 2 + ((w >>> 19) & 1), op1 = (w >>> 16) & 7, crn = (w >>> 12) & 15, crm = (w >>> 8) & 15, op2 = (w >>> 5) & 7;
      const slot = sysregSlotByKey(sysregKey(op0, op1, crn, crm, op2));
      const d = slot >= 0 ? SYSREGS[slot] : undefined;
      const cls = d ? sysregClass(d.name, d.group) : 'other';
      return f['insn.sysreg'].cycles + (read ? t.sysregRead[cls] : t.sysregWrite[cls]);
    }
    case 'MSR (immediate)': return f['insn.sysreg'].cycles + t.sysregWrite.other;
    case 'SYS': return f['insn.sys-op'].cycles;
    case 'Barriers (CLREX/DSB/DMB/ISB)': {
      const op2 = (w >>> 5) & 7;
      return op2 === 6 ? f['barrier.isb'].cycles : op2 === 4 ? f['barrier.dsb'].cycles : op2 === 5 ? f['barrier.dmb'].cycles : f['insn.alu'].cycles;
    }
    case 'Hints (NOP/YIELD/WFE/WFI/SEV/SEVL)': return f['insn.hint'].cycles;
    // Exception generation and ERET: the instruction itself; entry/return are charged by the funnel.
    case 'ERET': case 'Exception generation (SVC/HVC/SMC/BRK/HLT)': return f['insn.branch'].cycles;
    case 'B / BL (immediate)': case 'B.cond': case 'BR / BLR / RET': case 'CBZ / CBNZ': case 'TBZ / TBNZ': return f['insn.branch'].cycles;
    case 'Data-processing (3 source)': return f['insn.mul'].cycles;
    case 'Data-processing (2 source)': {
      const opcode = (w >>> 10) & 0x3f;
      return opcode === 2 || opcode === 3 ? f['insn.div'].cycles : f['insn.alu'].cycles;
    }
    default: break;
  }
  if (name.startsWith('Advanced SIMD') && !name.includes('load/store')) return f['insn.fp'].cycles;
  const isLdst = ((w >>> 25) & 5) === 4; // op0 = x1x0: loads and stores (DDI0487 C4.1)
  if (isLdst) {
    const a = ldstAccesses(enc, w);
    const per = a.load ? (a.q ? f['mem.load.q'] : f['mem.load']).cycles : (a.q ? f['mem.store.q'] : f['mem.store']).cycles;
    return (a.load ? f['insn.load'] : f['insn.store']).cycles + a.n * per;
  }
  if (((w >>> 25) & 7) === 7) return f['insn.fp'].cycles; // SIMD&FP data processing
  return f['insn.alu'].cycles;
}
