// Physical interrupt state shared by the GICv2 and GICv3 models: per-INTID configuration and
// state (SGIs and PPIs banked per PE, SPIs global), the physical CPU interface of each PE
// (priority mask, binary points, active priorities, acknowledge / EOI / deactivate), and the
// highest-priority-pending computation that drives each PE's IRQ and FIQ lines.
// IHI 0048B (GICv2) ch. 3-4 and IHI 0069 (GICv3) ch. 4; we model both without the Security
// Extensions (GICv2) or with GICD_CTLR.DS = 1 (GICv3), as QEMU's virt board configures them.
//
// Pending state: an edge-triggered interrupt is pending while its latch is set (rising edge,
// ISPENDR, SGI); a level-sensitive one while the latch is set or its input is high. Acknowledge
// clears the latch, so a level interrupt whose line is still high becomes active and pending.

export const SPURIOUS = 1023;

/** Where the physical interface's outputs go (the GIC wiring sets PE lines). */
export interface PhysicalSink {
  setPhysicalLines(pe: number, irq: boolean, fiq: boolean): void;
  irqTaken?(pe: number, intid: number, group: number): void;
}

/** Per-PE physical CPU interface state (GICC_* on GICv2, ICC_* on GICv3). */
export class CpuInterface {
  pmr = 0;
  /** GICC_BPR / ICC_BPR0_EL1 and GICC_ABPR / ICC_BPR1_EL1 (stored values). */
  bpr0: number;
  bpr1: number;
  /** GICv2 GICC_CTLR (EnableGrp0/1, AckCtl, FIQEn, CBPR, EOImode); GICv3 keeps EOImode/CBPR here too. */
  ctlr = 0;
  /** GICv3 ICC_IGRPEN0_EL1 / ICC_IGRPEN1_EL1. */
  igrpen0 = 0;
  igrpen1 = 0;
  /** Active priorities: group 0 in words 0..7, group 1 in 8..15, one bit per priority value 0..255. */
  readonly ap = new Uint32Array(16);
  /** Highest-priority pending interrupt: INTID (1023 none), priority, group. */
  hppiId = SPURIOUS;
  hppiPrio = 0xff;
  hppiGrp = 0;
  irq = false;
  fiq = false;

  constructor(readonly minBpr0: number) {
    this.bpr0 = minBpr0;
    this.bpr1 = minBpr0 + 1;
  }

  reset(): void {
    this.pmr = 0;
    this.bpr0 = this.minBpr0;
    this.bpr1 = this.minBpr0 + 1;
    this.ctlr = 0;
    this.igrpen0 = this.igrpen1 = 0;
    this.ap.fill(0);
    this.hppiId = SPURIOUS;
    this.hppiPrio = 0xff;
  }
}

function ctz32(v: number): number { return v === 0 ? 32 : 31 - Math.clz32(v & -v); }

/** CTLR bits of the CPU interface kept in CpuInterface.ctlr (GICv2 GICC_CTLR layout). */
export const CTLR_EN_GRP0 = 1 << 0;
export const CTLR_EN_GRP1 = 1 << 1;
export const CTLR_ACKCTL = 1 << 2;
export const CTLR_FIQEN = 1 << 3;
export const CTLR_CBPR = 1 << 4;
export const CTLR_EOIMODE = 1 << 9;

export class IrqState {
  /** Total INTIDs (including the 32 private ones). */
  readonly numIrqs: number;
  readonly numPes: number;
  // Per slot: slot(pe, id) = id for SPIs, numIrqs + pe * 32 + id for SGIs/PPIs.
  readonly enabled: Uint8Array;
  readonly latch: Uint8Array;
  readonly level: Uint8Array;
  readonly active: Uint8Array;
  readonly edge: Uint8Array;
  readonly group: Uint8Array;
  readonly grpmod: Uint8Array;
  readonly priority: Uint8Array;
  /** GICv2 ITARGETSR of SPIs (CPU mask). */
  readonly targets: Uint8Array;
  /** GICv3 GICD_IROUTER<n> of SPIs: low word (Aff2.Aff1.Aff0, IRM in bit 31) and Aff3. */
  readonly routeLo: Uint32Array;
  readonly routeHi: Uint32Array;
  /** GICv2 SGI pending bits per source CPU: [target * 16 + sgi] = mask of sources. */
  readonly sgiSources: Uint8Array;
  /** GICv2: source CPU recorded when an SGI was acknowledged, per [pe * 16 + sgi]. */
  readonly sgiActiveSource: Uint8Array;
  /** GICD_CTLR (EnableGrp0 bit 0, EnableGrp1 bit 1; GICv3 adds ARE and DS, RAO). */
  dctlr = 0;
  readonly cpus: CpuInterface[];
  /** MPIDR affinity of each PE (Aff2.Aff1.Aff0) for GICv3 routing. */
  readonly affinity: number[];

  constructor(readonly version: 2 | 3, numPes: number, numIrqs: number, affinity: number[], readonly sink: PhysicalSink) {
    this.numIrqs = numIrqs;
    this.numPes = numPes;
    const n = numIrqs + numPes * 32;
    this.enabled = new Uint8Array(n);
    this.latch = new Uint8Array(n);
    this.level = new Uint8Array(n);
    this.active = new Uint8Array(n);
    this.edge = new Uint8Array(n);
    this.group = new Uint8Array(n);
    this.grpmod = new Uint8Array(n);
    this.priority = new Uint8Array(n);
    this.targets = new Uint8Array(numIrqs);
    this.routeLo = new Uint32Array(numIrqs);
    this.routeHi = new Uint32Array(numIrqs);
    this.sgiSources = new Uint8Array(numPes * 16);
    this.sgiActiveSource = new Uint8Array(numPes * 16);
    this.affinity = affinity;
    // GICv2 (8 priority bits): BPR minimum 0; GICv3 (5 bits): BPR0 minimum 2 (QEMU resets 2 and 3).
    this.cpus = [];
    for (let i = 0; i < numPes; i++) this.cpus.push(new CpuInterface(version === 3 ? 2 : 0));
    this.reset();
  }

  reset(): void {
    for (const a of [this.enabled, this.latch, this.level, this.active, this.edge, this.group, this.grpmod, this.priority]) a.fill(0);
    this.targets.fill(0);
    this.routeLo.fill(0);
    this.routeHi.fill(0);
    this.sgiSources.fill(0);
    this.sgiActiveSource.fill(0);
    this.dctlr = 0;
    for (let p = 0; p < this.numPes; p++) {
      for (let id = 0; id < 16; id++) {
        const s = this.slot(p, id);
        this.edge[s] = 1;                          // SGIs are edge-triggered (ICFGR0 = 0xaaaaaaaa)
        if (this.version === 2) this.enabled[s] = 1; // GICv2 SGIs are always enabled (QEMU: ISENABLER0[15:0] RAO)
      }
      this.cpus[p].reset();
    }
    this.updateAll();
  }

  resetCpu(pe: number): void {
    this.cpus[pe].reset();
    this.updatePe(pe);
  }

  slot(pe: number, id: number): number { return id < 32 ? this.numIrqs + pe * 32 + id : id; }

  /** Is the (slot's) interrupt pending? */
  pendingAt(pe: number, id: number): boolean {
    const s = this.slot(pe, id);
    if (this.version === 2 && id < 16) return this.sgiSources[pe * 16 + id] !== 0;
    return this.latch[s] !== 0 || (this.level[s] !== 0 && this.edge[s] === 0);
  }

  /** Does SPI `id` target PE `pe`? (GICv2 ITARGETSR; GICv3 IROUTER, IRM=1 meaning any PE.) */
  targetsPe(id: number, pe: number): boolean {
    if (this.version === 2) return this.numPes === 1 || (this.targets[id] & (1 << pe)) !== 0;
    const lo = this.routeLo[id];
    if (lo & 0x80000000) return true;
    return this.routeHi[id] === 0 && (lo & 0xffffff) === this.affinity[pe];
  }

  /** Distributor group enable for a group. */
  private groupEnabled(g: number): boolean { return (this.dctlr & (g ? 2 : 1)) !== 0; }

  /** Recomputes the highest-priority pending interrupt of PE `pe` and its IRQ/FIQ outputs. */
  updatePe(pe: number): void {
    const c = this.cpus[pe];
    let best = SPURIOUS, bestPrio = 0x100, bestGrp = 0;
    const base = this.numIrqs + pe * 32;
    for (let id = 0; id < 32; id++) {
      const s = base + id;
      if (!this.enabled[s] || this.active[s] || !this.pendingAt(pe, id)) continue;
      if (!this.groupEnabled(this.group[s])) continue;
      const p = this.priority[s];
      if (p < bestPrio) { bestPrio = p; best = id; bestGrp = this.group[s]; }
    }
    for (let id = 32; id < this.numIrqs; id++) {
      if (!this.enabled[id] || this.active[id]) continue;
      if (!(this.latch[id] || (this.level[id] && !this.edge[id]))) continue;
      if (!this.groupEnabled(this.group[id]) || !this.targetsPe(id, pe)) continue;
      const p = this.priority[id];
      if (p < bestPrio) { bestPrio = p; best = id; bestGrp = this.group[id]; }
    }
    c.hppiId = best;
    c.hppiPrio = best === SPURIOUS ? 0xff : bestPrio;
    c.hppiGrp = bestGrp;
    let irq = false, fiq = false;
    if (this.canPreempt(pe)) {
      if (bestGrp === 0 && (this.version === 3 || (c.ctlr & CTLR_FIQEN))) fiq = true; else irq = true;
    }
    if (irq !== c.irq || fiq !== c.fiq) {
      c.irq = irq; c.fiq = fiq;
      this.sink.setPhysicalLines(pe, irq, fiq);
    }
  }

  updateAll(): void {
    for (let p = 0; p < this.numPes; p++) this.updatePe(p);
  }

  /** Updates the PEs an INTID can reach. */
  updateFor(pe: number, id: number): void {
    if (id < 32) this.updatePe(pe); else this.updateAll();
  }

  // ------------------------------------------------------------- priority logic

  private cpuGroupEnabled(pe: number, g: number): boolean {
    const c = this.cpus[pe];
    if (this.version === 3) return (g ? c.igrpen1 : c.igrpen0) !== 0;
    return (c.ctlr & (g ? CTLR_EN_GRP1 : CTLR_EN_GRP0)) !== 0;
  }

  /** Group priority mask (GroupBits): BPR0 for Group 0; Group 1 uses BPR1 - 1 unless CBPR. */
  gprioMask(pe: number, g: number): number {
    const c = this.cpus[pe];
    const bpr = g === 0 || (c.ctlr & CTLR_CBPR) ? c.bpr0 : c.bpr1 - 1;
    return (0xff << (bpr + 1)) & 0xff;
  }

  /** Running priority (highest active priority), 0xff when idle. */
  runningPriority(pe: number): number {
    const ap = this.cpus[pe].ap;
    for (let w = 0; w < 8; w++) {
      const v = (ap[w] | ap[w + 8]) >>> 0;
      if (v) return w * 32 + ctz32(v);
    }
    return 0xff;
  }

  /** Group of the highest active priority, or -1. */
  private highestActiveGroup(pe: number): number {
    const ap = this.cpus[pe].ap;
    for (let w = 0; w < 8; w++) {
      const a0 = ctz32(ap[w]), a1 = ctz32(ap[w + 8]);
      if (a0 === 32 && a1 === 32) continue;
      return a0 <= a1 ? 0 : 1;
    }
    return -1;
  }

  /** The HPPI is enabled at the CPU interface, unmasked by PMR and preempts the running priority. */
  canPreempt(pe: number): boolean {
    const c = this.cpus[pe];
    if (c.hppiId === SPURIOUS || !this.cpuGroupEnabled(pe, c.hppiGrp)) return false;
    if (c.hppiPrio >= c.pmr) return false;
    const r = this.runningPriority(pe);
    if (r === 0xff) return true;
    const m = this.gprioMask(pe, c.hppiGrp);
    return (c.hppiPrio & m) < (r & m);
  }

  // ------------------------------------------------------------- CPU interface operations

  /**
   * Acknowledge: grp 0/1 for ICC_IAR0/1_EL1, -1 for GICC_IAR (either group; Group 1 needs
   * AckCtl). Returns the INTID (GICv2 SGIs carry the source CPU in [12:10]), 1022 or 1023.
   */
  acknowledge(pe: number, grp: number): number {
    const c = this.cpus[pe];
    if (!this.canPreempt(pe)) return SPURIOUS;
    const id = c.hppiId, g = c.hppiGrp;
    if (grp >= 0 && g !== grp) return SPURIOUS;
    if (grp < 0 && g === 1 && !(c.ctlr & CTLR_ACKCTL)) return 1022;
    const s = this.slot(pe, id);
    const bit = c.hppiPrio & this.gprioMask(pe, g);
    c.ap[g * 8 + (bit >>> 5)] |= 1 << (bit & 31);
    this.active[s] = 1;
    let value = id;
    if (this.version === 2 && id < 16) {
      const src = this.sgiSources[pe * 16 + id];
      const cpu = ctz32(src);
      this.sgiSources[pe * 16 + id] = src & ~(1 << cpu);
      this.sgiActiveSource[pe * 16 + id] = cpu;
      value = id | (cpu << 10);
    } else {
      this.latch[s] = 0;
    }
    this.sink.irqTaken?.(pe, id, g);
    this.updateFor(pe, id);
    return value;
  }

  /** HPPIR value: grp 0/1 for ICC_HPPIR0/1_EL1, -1 for GICC_HPPIR. */
  highestPending(pe: number, grp: number): number {
    const c = this.cpus[pe];
    if (c.hppiId === SPURIOUS || !this.cpuGroupEnabled(pe, c.hppiGrp)) return SPURIOUS;
    if (grp >= 0 && c.hppiGrp !== grp) return SPURIOUS;
    if (grp < 0 && c.hppiGrp === 1 && !(c.ctlr & CTLR_ACKCTL)) return 1022;
    // GICv2: we choose QEMU's behaviour of not reporting an SGI's source CPUID in GICC_HPPIR.
    return c.hppiId;
  }

  /** Priority drop of the highest active priority in group g (-1: whichever is highest). */
  private dropPriority(pe: number, g: number): void {
    const ap = this.cpus[pe].ap;
    for (let w = 0; w < 8; w++) {
      const i = g === 1 ? w + 8 : g === 0 ? w : (ctz32(ap[w]) <= ctz32(ap[w + 8]) ? w : w + 8);
      if (g < 0 && ap[w] === 0 && ap[w + 8] === 0) continue;
      if (ap[i] === 0) continue;
      ap[i] = (ap[i] & (ap[i] - 1)) >>> 0;
      return;
    }
  }

  /**
   * End of interrupt: grp 0/1 for ICC_EOIR0/1_EL1 (ignored unless the highest active priority
   * belongs to that group), -1 for GICC_EOIR. Priority drop, then deactivation unless EOImode.
   */
  endOfInterrupt(pe: number, value: number, grp: number): void {
    const id = this.version === 2 ? value & 0x3ff : value & 0xffffff;
    if (id >= this.numIrqs) return; // spurious IDs and nonexistent interrupts: ignored (UNPREDICTABLE; we choose to ignore, as QEMU)
    const c = this.cpus[pe];
    if (grp >= 0) {
      const hg = this.highestActiveGroup(pe);
      if (hg !== grp) return;
    } else if (this.runningPriority(pe) === 0xff) {
      return;
    }
    this.dropPriority(pe, grp);
    if (!(c.ctlr & CTLR_EOIMODE)) this.deactivate(pe, id);
    else this.updatePe(pe);
  }

  /** ICC_DIR_EL1 / GICC_DIR: deactivation when EOImode is set. */
  deactivateRegister(pe: number, value: number): void {
    const id = this.version === 2 ? value & 0x3ff : value & 0xffffff;
    if (id >= this.numIrqs) return;
    if (!(this.cpus[pe].ctlr & CTLR_EOIMODE)) return;
    this.deactivate(pe, id);
  }

  /** Clears the active state of INTID `id` as seen by PE `pe` (also used by virtual HW deactivation). */
  deactivate(pe: number, id: number): void {
    if (id >= this.numIrqs) return;
    this.active[this.slot(pe, id)] = 0;
    this.updateFor(pe, id);
  }

  /** GICv3 ICC_AP0R0/ICC_AP1R0 view: bit n = group priority n << 3 (5 bits of priority). */
  readAprV3(pe: number, g: number): number {
    const ap = this.cpus[pe].ap;
    let v = 0;
    for (let n = 0; n < 32; n++) {
      const p = n << 3;
      if (ap[g * 8 + (p >>> 5)] & (1 << (p & 31))) v |= 1 << n;
    }
    return v >>> 0;
  }

  writeAprV3(pe: number, g: number, v: number): void {
    const ap = this.cpus[pe].ap;
    for (let w = 0; w < 8; w++) ap[g * 8 + w] = 0;
    for (let n = 0; n < 32; n++) {
      if (v & (1 << n)) { const p = n << 3; ap[g * 8 + (p >>> 5)] |= 1 << (p & 31); }
    }
    this.updatePe(pe);
  }

  // ------------------------------------------------------------- inputs

  /** Drives the input line of an interrupt (PPI: banked by pe; SPI: pe ignored). */
  setLine(pe: number, id: number, high: boolean): void {
    const s = this.slot(pe, id);
    const v = high ? 1 : 0;
    if (this.level[s] === v) return;
    this.level[s] = v;
    if (high && this.edge[s]) this.latch[s] = 1;   // rising edge latches an edge-triggered interrupt
    this.updateFor(pe, id);
  }

  /** Makes an SGI pending on `target` (GICv2 records the source CPU). */
  pendSgi(source: number, target: number, id: number): void {
    if (this.version === 2) this.sgiSources[target * 16 + id] |= 1 << source;
    else this.latch[this.slot(target, id)] = 1;
    this.updatePe(target);
  }

  // ------------------------------------------------------------- register helpers (bit-per-INTID)

  /** Reads a 32-INTID bitmap register (first INTID `first`) of kind k as seen by `pe`. */
  readBits(k: 'group' | 'enable' | 'pending' | 'active' | 'grpmod', pe: number, first: number): number {
    let v = 0;
    for (let i = 0; i < 32; i++) {
      const id = first + i;
      if (id >= this.numIrqs) break;
      const s = this.slot(pe, id);
      let b: number;
      switch (k) {
        case 'group': b = this.group[s]; break;
        case 'enable': b = this.enabled[s]; break;
        case 'pending': b = this.pendingAt(pe, id) ? 1 : 0; break;
        case 'active': b = this.active[s]; break;
        default: b = this.grpmod[s];
      }
      if (b) v |= 1 << i;
    }
    return v >>> 0;
  }

  /** Applies a write to a bitmap register: 'set' (IS*), 'clear' (IC*) or 'assign' (IGROUPR/IGRPMODR). */
  writeBits(k: 'group' | 'enable' | 'pending' | 'active' | 'grpmod', op: 'set' | 'clear' | 'assign', pe: number, first: number, value: number): void {
    for (let i = 0; i < 32; i++) {
      const id = first + i;
      if (id >= this.numIrqs) break;
      const on = (value >>> i) & 1;
      if (op !== 'assign' && !on) continue;
      const s = this.slot(pe, id);
      const b = op === 'clear' ? 0 : op === 'set' ? 1 : on;
      switch (k) {
        case 'group': this.group[s] = b; break;
        case 'grpmod': this.grpmod[s] = b; break;
        case 'enable':
          if (this.version === 2 && id < 16) break; // GICv2 SGIs cannot be disabled
          this.enabled[s] = b; break;
        case 'active': this.active[s] = b; break;
        case 'pending':
          if (this.version === 2 && id < 16) {
            // GICv2 ISPENDR/ICPENDR for SGIs are RO (use GICD_SPENDSGIR/CPENDSGIR).
            break;
          }
          this.latch[s] = b;
          break;
      }
    }
    if (first < 32) this.updatePe(pe); else this.updateAll();
  }

  /** ICFGR: 2 bits per INTID, bit 1 = edge; SGIs are fixed edge. */
  readCfg(pe: number, first: number): number {
    let v = 0;
    for (let i = 0; i < 16; i++) {
      const id = first + i;
      if (id >= this.numIrqs) break;
      if (this.edge[this.slot(pe, id)]) v |= 2 << (2 * i);
    }
    return v >>> 0;
  }

  writeCfg(pe: number, first: number, value: number): void {
    for (let i = 0; i < 16; i++) {
      const id = first + i;
      if (id >= this.numIrqs) break;
      if (id < 16) continue;
      this.edge[this.slot(pe, id)] = (value >>> (2 * i + 1)) & 1;
    }
    if (first < 32) this.updatePe(pe); else this.updateAll();
  }
}
