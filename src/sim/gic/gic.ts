// The interrupt controller of the board: GICv2 (GICD, GICC, GICH, GICV) or GICv3 (GICD, GICR,
// ICC_*/ICH_*/ICV_* system registers), selected per machine. This file wires the shared state
// (irq-state.ts: physical; lr.ts: virtual) to the PEs' interrupt lines, to the event bus, and
// to the MMIO frames at QEMU virt's addresses; the register views live one per file.
import type { EventBus } from '../events';
import type { MmioDevice, PhysicalMemory } from '../memory';
import { IrqState, SPURIOUS, CTLR_EOIMODE, type PhysicalSink } from './irq-state';
import {
  DEFAULT_LIST_REGS, LR_EOI, LR_GROUP, LR_HW, LR_PINTID_MASK, LR_STATE_NAMES, VirtualCpuInterface, lrPriority, lrState, toV2Lr,
  type LrStateName, type VirtualHost,
} from './lr';
import { Gicv3Distributor } from './gicv3-distributor';
import { Gicv3Redistributor } from './gicv3-redistributor';
import { Gicv2Distributor } from './gicv2-distributor';
import { Gicv2CpuInterface } from './gicv2-cpu-interface';
import { Gicv2VirtualControl, Gicv2VirtualCpuInterface } from './gicv2-virtual';

/** QEMU virt memory map of the GIC (hw/arm/virt.c). */
export const GIC_ADDR = {
  GICD: 0x08000000, GICD_SIZE: 0x10000,
  GICC: 0x08010000, GICC_SIZE: 0x10000,
  GICH: 0x08030000, GICH_SIZE: 0x10000,
  GICV: 0x08040000, GICV_SIZE: 0x10000,
  GICR: 0x080a0000, GICR_STRIDE: 0x20000,
} as const;

/** The maintenance interrupt PPI (QEMU virt: ARCH_GIC_MAINT_IRQ 9 + 16). */
export const MAINTENANCE_PPI = 25;

/** What the GIC drives on a PE (PE satisfies it). */
export interface GicPe {
  readonly id: number;
  readonly mpidr: number;
  irqLine: boolean;
  fiqLine: boolean;
  vIrqLine: boolean;
  vFiqLine: boolean;
  /** Ends the PE's current run slice so that it re-checks its interrupt lines. */
  kick?(): void;
}

export interface GicOptions {
  /** List registers per PE (1..16 on GICv3, 1..64 on GICv2); QEMU has 4. */
  numLrs?: number;
}

// ------------------------------------------------------------------ debugger view (typed for the panels)

export interface GicIrqSnapshot {
  intid: number;
  kind: 'SGI' | 'PPI' | 'SPI';
  enabled: boolean;
  pending: boolean;
  active: boolean;
  priority: number;
  group: 0 | 1;
  trigger: 'level' | 'edge';
  /** Input line level (PPIs/SPIs driven by devices). */
  line: boolean;
  /** GICv2: ITARGETSR CPU mask; GICv3: IROUTER as hex ("any" when IRM). SPIs only. */
  target?: string;
}

export interface ListRegisterSnapshot {
  index: number;
  /** The register as the hypervisor reads it: ICH_LR<n>_EL2 (16 hex digits) or GICH_LR<n> (8). */
  raw: string;
  state: LrStateName;
  vintid: number;
  /** Physical INTID when hw (GICv2 HW=0: CPUID in [2:0] and EOI in bit 9 of this field). */
  pintid: number;
  hw: boolean;
  group: 0 | 1;
  priority: number;
  /** EOI maintenance requested (HW=0 only). */
  eoi: boolean;
}

export interface GicCpuInterfaceSnapshot {
  pmr: number;
  bpr0: number;
  bpr1: number;
  eoiMode: boolean;
  groupEnable: [boolean, boolean];
  runningPriority: number;
  /** Highest-priority pending interrupt for this PE (1023: none) and its priority. */
  hppi: number;
  hppiPriority: number;
  irqLine: boolean;
  fiqLine: boolean;
}

export interface GicVirtualSnapshot {
  hcr: number;
  vtr: number;
  vmcr: number;
  misr: number;
  eisr: number;
  elrsr: number;
  ap0r: number;
  ap1r: number;
  eoiCount: number;
  enabled: boolean;
  vpmr: number;
  runningPriority: number;
  /** List register that the virtual CPU interface would signal (-1: none). */
  hppiIndex: number;
  lrs: ListRegisterSnapshot[];
  vIrqLine: boolean;
  vFiqLine: boolean;
  maintenance: boolean;
}

/** An SGI pending or active at some CPU interface ("in flight"), machine-wide. */
export interface SgiInFlight {
  intid: number;
  /** The receiving PE. */
  target: number;
  /** GICv2: the PEs whose GICD_SGIR writes are still pending at the target; GICv3 keeps no source (null). */
  sources: number[] | null;
  pending: boolean;
  active: boolean;
}

export interface GicSnapshot {
  version: 2 | 3;
  pe: number;
  distributor: { ctlr: number; numIrqs: number };
  irqs: GicIrqSnapshot[];
  /** SGIs pending or active at any PE (not only `pe`): the IPIs in flight. */
  sgis: SgiInFlight[];
  cpu: GicCpuInterfaceSnapshot;
  virtual: GicVirtualSnapshot;
}

const h8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

export class Gic implements PhysicalSink, VirtualHost {
  readonly state: IrqState;
  readonly virt: VirtualCpuInterface[];
  readonly numLrs: number;
  readonly events: VirtualHost['events'];
  private readonly frames: { base: number; size: number; dev: MmioDevice }[] = [];

  constructor(readonly version: 2 | 3, readonly pes: readonly GicPe[], readonly bus: EventBus, opts: GicOptions = {}) {
    const numLrs = opts.numLrs ?? DEFAULT_LIST_REGS;
    const maxLrs = version === 3 ? 16 : 64;
    if (!Number.isInteger(numLrs) || numLrs < 1 || numLrs > maxLrs) throw new RangeError(`numLrs must be 1..${maxLrs} (got ${numLrs})`);
    this.numLrs = numLrs;
    // INTIDs: GICv2 288 (32 private + 256 SPIs, GICD_TYPER.ITLinesNumber = 8); GICv3 256 (ITLinesNumber = 7), as QEMU virt.
    const numIrqs = version === 2 ? 288 : 256;
    this.state = new IrqState(version, pes.length, numIrqs, pes.map((p) => p.mpidr & 0xffffff), this);
    this.events = {
      lrWrite: (pe, lr, lo, hi) => this.onLrWrite(pe, lr, lo, hi),
      virqTaken: (pe, lr, vintid) => { if (bus.wants.virqTaken) bus.emit('virqTaken', { pe, lr, vintid }); },
      virqCompleted: (pe, lr, vintid, how, hw, pintid) => {
        if (bus.wants.virqCompleted) bus.emit('virqCompleted', { pe, lr, vintid, how, hw, pintid: hw ? pintid : undefined });
      },
    };
    this.virt = pes.map((p) => new VirtualCpuInterface(p.id, version, numLrs, this));
    if (version === 3) {
      this.frames.push({ base: GIC_ADDR.GICD, size: GIC_ADDR.GICD_SIZE, dev: new Gicv3Distributor(this.state) });
      this.frames.push({ base: GIC_ADDR.GICR, size: GIC_ADDR.GICR_STRIDE * pes.length, dev: new Gicv3Redistributor(this.state) });
    } else {
      this.frames.push({ base: GIC_ADDR.GICD, size: GIC_ADDR.GICD_SIZE, dev: new Gicv2Distributor(this) });
      this.frames.push({ base: GIC_ADDR.GICC, size: GIC_ADDR.GICC_SIZE, dev: new Gicv2CpuInterface(this.state) });
      this.frames.push({ base: GIC_ADDR.GICH, size: GIC_ADDR.GICH_SIZE, dev: new Gicv2VirtualControl(this) });
      this.frames.push({ base: GIC_ADDR.GICV, size: GIC_ADDR.GICV_SIZE, dev: new Gicv2VirtualCpuInterface(this) });
    }
  }

  /** Maps the GIC's MMIO frames on the board's physical address space. */
  map(mem: PhysicalMemory): void {
    for (const f of this.frames) mem.addDevice(f.base, f.size, f.dev);
  }

  /** MMIO frames (for tests and the board). */
  get devices(): readonly { base: number; size: number; dev: MmioDevice }[] { return this.frames; }

  reset(): void {
    this.state.reset();
    for (const v of this.virt) v.reset();
  }

  /** CPU reset of one PE (PSCI CPU_ON): its CPU interface and virtual interface (QEMU icc_reset). */
  resetCpu(pe: number): void {
    this.state.resetCpu(pe);
    this.virt[pe].reset();
  }

  // ------------------------------------------------------------- inputs

  /** Drives a PPI of PE `pe` (timers, maintenance). */
  setPpi(pe: number, intid: number, level: boolean): void {
    this.state.setLine(pe, intid, level);
  }

  /** Drives an SPI input (devices). */
  setSpi(intid: number, level: boolean): void {
    if (intid < 32 || intid >= this.state.numIrqs) throw new RangeError(`SPI ${intid} out of range`);
    this.state.setLine(0, intid, level);
  }

  /** Makes SGI `intid` pending on `target`, sent by `source` (if the target accepts it). */
  sendSgi(source: number, target: number, intid: number): void {
    this.state.pendSgi(source, target, intid);
    if (this.bus.wants.sgiSent) this.bus.emit('sgiSent', { from: source, to: target, intid });
  }

  /**
   * GICv3 ICC_SGI0R/SGI1R/ASGI1R_EL1 (IHI 0069 12.2.20): TargetList [15:0], Aff1 [23:16],
   * INTID [27:24], Aff2 [39:32], IRM [40], Aff3 [55:48]. An SGI is delivered only to a
   * redistributor where that SGI is configured in the same group (GICD_CTLR.DS = 1).
   */
  generateSgiV3(source: number, lo: number, hi: number, group: number): void {
    const targetList = lo & 0xffff, aff1 = (lo >>> 16) & 0xff, intid = (lo >>> 24) & 0xf;
    const aff2 = hi & 0xff, irm = (hi >>> 8) & 1, aff3 = (hi >>> 16) & 0xff;
    for (let p = 0; p < this.pes.length; p++) {
      if (irm) {
        if (p === source) continue;
      } else {
        const a = this.state.affinity[p];
        if (aff3 !== 0 || (a >>> 8) !== ((aff2 << 8) | aff1)) continue;
        const aff0 = a & 0xff;
        if (aff0 > 15 || !(targetList & (1 << aff0))) continue;
      }
      if (this.state.group[this.state.slot(p, intid)] !== group) continue;
      this.sendSgi(source, p, intid);
    }
  }

  // ------------------------------------------------------------- outputs (PhysicalSink / VirtualHost)

  setPhysicalLines(pe: number, irq: boolean, fiq: boolean): void {
    const p = this.pes[pe];
    const rise = (irq && !p.irqLine) || (fiq && !p.fiqLine);
    p.irqLine = irq;
    p.fiqLine = fiq;
    if (rise) p.kick?.();
  }

  irqTaken(pe: number, intid: number, group: number): void {
    if (this.bus.wants.irqTaken) this.bus.emit('irqTaken', { pe, intid, group });
  }

  setVirtualLines(pe: number, virq: boolean, vfiq: boolean, maintenance: boolean, misr: number): void {
    const p = this.pes[pe];
    const rise = (virq && !p.vIrqLine) || (vfiq && !p.vFiqLine);
    p.vIrqLine = virq;
    p.vFiqLine = vfiq;
    if (rise) p.kick?.();
    const was = this.state.level[this.state.slot(pe, MAINTENANCE_PPI)] !== 0;
    this.state.setLine(pe, MAINTENANCE_PPI, maintenance);
    if (maintenance && !was && this.bus.wants.maintenanceIrq) this.bus.emit('maintenanceIrq', { pe, misr });
  }

  deactivatePhysical(pe: number, pintid: number): void {
    this.state.deactivate(pe, pintid);
  }

  private onLrWrite(pe: number, lr: number, lo: number, hi: number): void {
    const st = lrState(hi);
    if (this.bus.wants.lrWrite) {
      this.bus.emit('lrWrite', {
        pe, lr, vintid: lo, state: LR_STATE_NAMES[st], hw: (hi & LR_HW) !== 0, group: hi & LR_GROUP ? 1 : 0,
        priority: lrPriority(hi), pintid: hi & LR_PINTID_MASK, raw: this.lrRaw(pe, lr),
      });
    }
    if ((st & 1) && this.bus.wants.virqInjected) {
      this.bus.emit('virqInjected', { pe, lr, vintid: lo, priority: lrPriority(hi), group: hi & LR_GROUP ? 1 : 0, hw: (hi & LR_HW) !== 0 });
    }
  }

  /** The LR as the hypervisor's register reads it (hex). */
  lrRaw(pe: number, n: number): string {
    const v = this.virt[pe];
    return this.version === 3 ? h8(v.lrHi[n]) + h8(v.lrLo[n]) : h8(toV2Lr(v.lrLo[n], v.lrHi[n]));
  }

  // ------------------------------------------------------------- debugger view

  snapshot(pe: number): GicSnapshot {
    const s = this.state;
    const irqs: GicIrqSnapshot[] = [];
    for (let id = 0; id < s.numIrqs; id++) {
      const k = s.slot(pe, id);
      const snap: GicIrqSnapshot = {
        intid: id, kind: id < 16 ? 'SGI' : id < 32 ? 'PPI' : 'SPI',
        enabled: s.enabled[k] !== 0, pending: s.pendingAt(pe, id), active: s.active[k] !== 0,
        priority: s.priority[k], group: s.group[k] ? 1 : 0, trigger: s.edge[k] ? 'edge' : 'level', line: s.level[k] !== 0,
      };
      if (id >= 32) {
        snap.target = this.version === 2 ? `0x${s.targets[id].toString(16)}`
          : s.routeLo[id] & 0x80000000 ? 'any' : `0x${s.routeHi[id].toString(16)}${h8(s.routeLo[id])}`;
      }
      irqs.push(snap);
    }
    const sgis: SgiInFlight[] = [];
    for (let t = 0; t < this.pes.length; t++) {
      for (let id = 0; id < 16; id++) {
        const pending = s.pendingAt(t, id), active = s.active[s.slot(t, id)] !== 0;
        if (!pending && !active) continue;
        let sources: number[] | null = null;
        if (this.version === 2) {
          const mask = s.sgiSources[t * 16 + id];
          sources = [];
          for (let b = 0; b < 8; b++) if (mask & (1 << b)) sources.push(b);
        }
        sgis.push({ intid: id, target: t, sources, pending, active });
      }
    }
    const c = s.cpus[pe];
    const v = this.virt[pe];
    const lrs: ListRegisterSnapshot[] = [];
    for (let n = 0; n < v.numLrs; n++) {
      const hi = v.lrHi[n];
      lrs.push({
        index: n, raw: this.lrRaw(pe, n), state: LR_STATE_NAMES[lrState(hi)], vintid: v.lrLo[n], pintid: hi & LR_PINTID_MASK,
        hw: (hi & LR_HW) !== 0, group: hi & LR_GROUP ? 1 : 0, priority: lrPriority(hi), eoi: !(hi & LR_HW) && (hi & LR_EOI) !== 0,
      });
    }
    const p = this.pes[pe];
    return {
      version: this.version, pe,
      distributor: { ctlr: s.dctlr, numIrqs: s.numIrqs },
      irqs,
      sgis,
      cpu: {
        pmr: c.pmr, bpr0: c.bpr0, bpr1: c.bpr1, eoiMode: (c.ctlr & CTLR_EOIMODE) !== 0,
        groupEnable: this.version === 3 ? [c.igrpen0 !== 0, c.igrpen1 !== 0] : [(c.ctlr & 1) !== 0, (c.ctlr & 2) !== 0],
        runningPriority: s.runningPriority(pe), hppi: c.hppiId, hppiPriority: c.hppiId === SPURIOUS ? 0xff : c.hppiPrio,
        irqLine: c.irq, fiqLine: c.fiq,
      },
      virtual: {
        hcr: v.hcr, vtr: v.vtr(), vmcr: v.vmcr, misr: v.misr(), eisr: v.eisr(), elrsr: v.elrsr(), ap0r: v.ap0, ap1r: v.ap1,
        eoiCount: v.eoiCount(), enabled: (v.hcr & 1) !== 0, vpmr: v.vpmr(), runningPriority: v.runningPriority(),
        hppiIndex: v.hppiIndex(), lrs, vIrqLine: p.vIrqLine, vFiqLine: p.vFiqLine, maintenance: v.maint,
      },
    };
  }
}
