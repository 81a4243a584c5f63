// The board: QEMU `virt`-compatible memory map, N PEs, devices, built-in firmware (PSCI,
// semihosting) and the deterministic round-robin scheduler.
//
//   0x0800_0000  GIC: GICv2 GICD/GICC/GICH/GICV or GICv3 GICD + GICR at 0x080A_0000 (src/sim/gic)
//   0x0900_0000  PL011 UART (SPI 1)
//   0x0901_0000  PL031 RTC (SPI 2)
//   0x0a00_0000  32 virtio-mmio transports, 0x200 apart (SPI 16..47): drives and the console
//   0x4000_0000  RAM (default 1 GiB, pages allocated on first touch)
import { EventBus } from './events';
import type { Exec } from './exec';
import { PhysicalMemory, PAGE_SIZE, type MmioDevice } from './memory';
import { PE, PowerState, type Board } from './pe';
import { CPU_MODELS, type CpuModel } from './cpu-model';
import { Pl011 } from './devices/pl011';
import { Pl031 } from './devices/pl031';
import { VirtioMmio, VIRTIO_MMIO } from './devices/virtio-mmio';
import { VirtioBlk, type VirtioBlkOptions } from './devices/virtio-blk';
import { VirtioConsole } from './devices/virtio-console';
import { GuestRam } from './devices/virtqueue';
import { semihostingCall, type SemihostingHost } from './devices/semihosting';
import { psciCall, PSCI_RET, type PsciHost } from './devices/psci';
import { TWO32 } from './u64';
import { Gic } from './gic/gic';
import { GenericTimers, CNTFRQ_HZ } from './timer/generic-timer';
import { pmuDeadline } from './pmu/pmu';
import { DEFAULT_JIT_THRESHOLD, Jit, type JitOptions } from './jit/jit';
import { installCostModel, type CostProfileFile, type CostTable } from './cost/cost';
import { takeSnapshot, restoreSnapshot, machineDigest, type MachineSnapshot, type MachineDigest } from './snapshot';
import { installMmu, type Mmu, type TranslateOptions, type TranslateReport } from './mmu/mmu';
import { findStuck, inExceptionLoop, sameStuck, type StuckReport } from './stuck';

export const VIRT = {
  GIC_BASE: 0x08000000,
  GIC_SIZE: 0x01000000,
  UART_BASE: 0x09000000,
  UART_SIZE: 0x1000,
  /** SPI of the PL011 (INTID 32 + 1), as QEMU's virt. */
  UART_INTID: 33,
  RTC_BASE: 0x09010000,
  RTC_SIZE: 0x1000,
  /** SPI of the PL031 (INTID 32 + 2). */
  RTC_INTID: 34,
  RAM_BASE: 0x40000000,
} as const;

export interface MachineOptions {
  /** Number of PEs (1..8). */
  cores?: number;
  /** Interrupt controller version. */
  gic?: 'v2' | 'v3';
  /** RAM size in MiB (default 1024). */
  memoryMiB?: number;
  /** Exception level the boot PE starts at (2 as QEMU virt with virtualization=on, or 1). */
  entryEL?: 1 | 2;
  /** CPU model name ('cortex-a57', 'armv8.1-vhe', 'max'). */
  cpu?: string;
  /** Instructions a PE runs before the scheduler moves to the next one. */
  quantum?: number;
  /** CPU cycles per generic-counter tick (default 1). */
  cyclesPerTick?: number;
  /** List registers per PE of the GIC virtual interface (default 4 as QEMU; up to 16 on GICv3, 64 on GICv2). */
  gicListRegisters?: number;
  /** Receives guest output (UART and semihosting). */
  output?: (bytes: Uint8Array) => void;
  /**
   * Cost profile (src/sim/cost: a bundled name such as 'xgene-gicv2', a .json path, or parsed
   * data). Without one every instruction costs one cycle.
   */
  cost?: string | CostProfileFile;
  /**
   * PL031 RTC value (seconds since 1970) at simulated time 0. Default: 2026-01-01T00:00:00Z, a
   * fixed value so that runs (and machine digests) are reproducible; the CLI passes the host's
   * clock, as QEMU's `-rtc base=utc` does.
   */
  rtcEpoch?: number;
  /**
   * virtio-blk disks (src/sim/devices/virtio-blk.ts), each with its storage backend
   * (file-backend.ts opens a host file). Transports are assigned from the highest address down,
   * as QEMU assigns `-device virtio-blk-device` options: the first drive is on 0x0a00_3e00.
   */
  drives?: VirtioBlkOptions[];
  /** A virtio console (single port) on the next free transport after the drives. */
  virtioConsole?: boolean;
  /**
   * The WebAssembly region compiler (src/sim/jit): on unless `false`; options set the threshold
   * (block-head visits before compiling, default 500; 0 compiles at once).
   */
  jit?: boolean | Partial<JitOptions>;
}

/** Default PL031 start value: 2026-01-01T00:00:00Z. */
export const DEFAULT_RTC_EPOCH = 1767225600;

/**
 * Why run() returned. 'deadlock': every powered PE waits in WFI with nothing that can wake it;
 * 'stuck': every powered PE is parked in a loop no interrupt can leave (an exception loop, a
 * branch to self with interrupts masked) or waits that way (src/sim/stuck.ts). For both,
 * Machine.stuck says which PEs, where and why.
 */
export type StopReason = 'exit' | 'limit' | 'deadlock' | 'stuck' | 'off' | 'reset' | 'paused';

export interface RunResult {
  reason: StopReason;
  /** Guest exit code (semihosting) when reason is 'exit'; 0 for 'off'. */
  exitCode?: number;
  /** Instructions executed by all PEs in this call. */
  executed: number;
}

/**
 * A device of the board as the guest is told about it: the device tree (src/sim/boot/virt-dtb.ts)
 * lists exactly the entries of Machine.devices, so a device that is not modelled gets no node.
 */
export interface BoardDevice {
  /** Selects the device-tree node builder (QEMU virt's node names and properties). */
  kind: 'pl011' | 'pl031' | 'virtio-mmio';
  base: number;
  size: number;
  /** SPI number (INTID - 32) of the device's interrupt, as in QEMU virt's a15irqmap. */
  spi: number;
}

export interface LoadSegment { addr: number; data: Uint8Array; memsz?: number }

export class Machine implements Board {
  readonly mem: PhysicalMemory;
  readonly bus = new EventBus();
  readonly pes: PE[];
  readonly model: CpuModel;
  readonly options: Required<Omit<MachineOptions, 'output' | 'cost' | 'rtcEpoch' | 'drives' | 'virtioConsole' | 'jit'>>;
  /** The region compiler shared by the PEs, or null when it is off. */
  readonly jit: Jit | null = null;
  /** The cost model in force (null: one cycle per instruction). */
  readonly cost: CostTable | null = null;
  readonly cyclesPerTick: number;
  readonly firmwareConduit: 'hvc' | 'smc';
  /** Set when the guest exits or powers off; run() returns immediately afterwards. */
  halted: StopReason | null = null;
  exitCode = 0;
  /**
   * Set when run() returns 'stuck' or 'deadlock': which PEs cannot make progress and why
   * (src/sim/stuck.ts). Derived from the machine state, so not part of snapshots; run() checks
   * again that it still holds before it reports it a second time.
   */
  stuck: StuckReport | null = null;
  /**
   * Stuck detection between run slices (on by default). Reverse execution turns it off while it
   * re-executes recorded history, which must run exactly as many instructions as the first time.
   */
  stuckDetection = true;
  /** PC (low word) of each PE at its last slice end: a PE whose slices end where they began may be looping. */
  private readonly slicePc: number[] = [];
  private pauseRequested = false;
  private output: (bytes: Uint8Array) => void;
  private readonly semihost: SemihostingHost;
  private readonly psci: PsciHost;
  /** Stage 1/2 translation and TLBs of the PEs. */
  readonly mmu: Mmu;
  /** The interrupt controller selected by options.gic (snapshot(pe) for the GIC panel). */
  readonly gic: Gic;
  /** The PEs' generic timers (snapshot(pe) for the timers panel). */
  readonly timers: GenericTimers;
  /** The PL011 UART (receive(bytes) feeds its input: CLI stdin, the debugger's console). */
  readonly uart: Pl011;
  /** The PL031 real-time clock. */
  readonly rtc: Pl031;
  /** The PL031's value at simulated time 0 (MachineOptions.rtcEpoch): also the seed of /chosen/rng-seed (virt-dtb.ts). */
  readonly rtcEpoch: number;
  /** The 32 virtio-mmio transports, by index (transport i at 0x0a00_0000 + 0x200 * i, SPI 16 + i). */
  readonly virtio: VirtioMmio[] = [];
  /** The virtio-blk devices, in MachineOptions.drives order. */
  readonly drives: VirtioBlk[] = [];
  /** The virtio console (receive(bytes) feeds its input), if the machine has one. */
  readonly virtioConsole: VirtioConsole | null = null;

  /**
   * Where host input for the guest goes (CLI stdin): the virtio console when the board has one,
   * else the PL011. Both queue bytes until the guest can take them.
   */
  get consoleInput(): { receive(bytes: Uint8Array): void; readonly waitsForInput: boolean } {
    return this.virtioConsole ?? this.uart;
  }
  /** The MMIO devices besides the GIC, in the order they were added (the device tree lists these). */
  readonly devices: BoardDevice[] = [];

  constructor(opts: MachineOptions = {}) {
    const cores = opts.cores ?? 1;
    if (!Number.isInteger(cores) || cores < 1 || cores > 8) throw new RangeError(`cores must be an integer from 1 to 8 (got ${cores})`);
    const memoryMiB = opts.memoryMiB ?? 1024;
    if (!(memoryMiB >= 1 && memoryMiB <= 3072)) throw new RangeError(`memory must be from 1 to 3072 MiB (got ${memoryMiB})`);
    const entryEL = opts.entryEL ?? 2;
    if (entryEL !== 1 && entryEL !== 2) throw new RangeError(`entryEL must be 1 or 2 (got ${entryEL})`);
    const cpu = opts.cpu ?? 'cortex-a57';
    const model = CPU_MODELS[cpu];
    if (!model) throw new RangeError(`unknown cpu model '${cpu}' (known: ${Object.keys(CPU_MODELS).join(', ')})`);
    const gic = opts.gic ?? 'v3';
    if (gic !== 'v2' && gic !== 'v3') throw new RangeError(`gic must be "v2" or "v3" (got ${String(gic)})`);
    this.options = {
      cores, gic, memoryMiB, entryEL, cpu, quantum: opts.quantum ?? (cores === 1 ? 1 << 20 : 1000), cyclesPerTick: opts.cyclesPerTick ?? 1,
      gicListRegisters: opts.gicListRegisters ?? 4,
    };
    // GICv3 system-register interface: ID_AA64PFR0_EL1.GIC = 1 (QEMU sets it with gic-version=3).
    const pfr0 = model.ids.ID_AA64PFR0_EL1 ?? [0, 0];
    this.model = gic === 'v3' ? { ...model, ids: { ...model.ids, ID_AA64PFR0_EL1: [(pfr0[0] & ~0x0f000000 | 0x01000000) >>> 0, pfr0[1]] } } : model;
    this.cyclesPerTick = this.options.cyclesPerTick;
    this.firmwareConduit = entryEL === 2 ? 'smc' : 'hvc';
    this.output = opts.output ?? (() => undefined);
    this.mem = new PhysicalMemory(VIRT.RAM_BASE, memoryMiB * 1024 * 1024);
    // Device interrupt outputs drive GIC SPIs (the GIC is built below; the lines only move while running).
    this.uart = new Pl011((b) => this.emitOutput(Uint8Array.of(b), true), (level) => this.gic.setSpi(VIRT.UART_INTID, level));
    this.addBoardDevice({ kind: 'pl011', base: VIRT.UART_BASE, size: VIRT.UART_SIZE, spi: VIRT.UART_INTID - 32 }, this.uart);
    const seconds = (pe: number): number => this.pes[pe].now() / this.cyclesPerTick / CNTFRQ_HZ;
    this.rtcEpoch = opts.rtcEpoch ?? DEFAULT_RTC_EPOCH;
    this.rtc = new Pl031(seconds, (level) => this.gic.setSpi(VIRT.RTC_INTID, level), this.rtcEpoch);
    this.addBoardDevice({ kind: 'pl031', base: VIRT.RTC_BASE, size: VIRT.RTC_SIZE, spi: VIRT.RTC_INTID - 32 }, this.rtc);
    this.virtioConsole = this.addVirtio(opts.drives ?? [], opts.virtioConsole ?? false);
    this.pes = [];
    for (let i = 0; i < cores; i++) this.pes.push(new PE(i, this, this.model));
    this.gic = new Gic(gic === 'v2' ? 2 : 3, this.pes, this.bus, { numLrs: this.options.gicListRegisters });
    this.gic.map(this.mem);
    this.timers = new GenericTimers(this.pes, this.gic, this.bus, this.cyclesPerTick);
    // Stage 1/2 translation, TLB, TLBI and AT (installs pe.mmuTranslate, this.tlbi, this.at).
    this.mmu = installMmu(this, this.pes);
    this.semihost = {
      write: (b) => this.emitOutput(b, false),
      exit: (code) => this.halt('exit', code),
      clock: (pe) => Math.floor(pe.cycles / this.cyclesPerTick / 625000),
      heap: { base: VIRT.RAM_BASE + memoryMiB * 1048576 / 2, limit: VIRT.RAM_BASE + memoryMiB * 1048576 * 3 / 4, stackBase: VIRT.RAM_BASE + memoryMiB * 1048576, stackLimit: VIRT.RAM_BASE + memoryMiB * 1048576 * 3 / 4 },
    };
    this.psci = {
      cpuOn: (target, eLo, eHi, cLo, cHi, caller) => {
        const result = this.cpuOn(target, eLo, eHi, cLo, cHi, caller);
        if (this.bus.wants.psciCpuOn) {
          this.bus.emit('psciCpuOn', { caller: caller.id, target, entry: eHi * TWO32 + eLo, context: cHi * TWO32 + cLo, result });
        }
        return result;
      },
      cpuOff: (pe) => { pe.power = PowerState.Off; pe.stopRequested = true; return PSCI_RET.SUCCESS; },
      affinityInfo: (target) => {
        const pe = this.pes.find((p) => p.mpidr % 0x1000000 === target % 0x1000000);
        if (!pe) return PSCI_RET.INVALID_PARAMETERS;
        return pe.power === PowerState.On ? 0 : 1;
      },
      systemOff: () => this.halt('off', 0),
      systemReset: () => this.halt('reset', 0),
    };
    // Secondary PEs start powered off (PSCI CPU_ON starts them), as on QEMU virt.
    for (let i = 1; i < cores; i++) this.pes[i].power = PowerState.Off;
    if (opts.cost !== undefined) this.cost = installCostModel(this, opts.cost);
    // ARMVIRT_JIT=N forces the compiler on with threshold N in every machine (running whole test
    // suites with it on; "off" forces it off). It is a testing switch, not a user option.
    const forced = typeof process !== 'undefined' ? process.env?.ARMVIRT_JIT : undefined;
    if (forced !== undefined && forced !== '') opts = { ...opts, jit: forced === 'off' ? false : { threshold: Number(forced) } };
    if (opts.jit !== false) {
      this.jit = new Jit({ threshold: (typeof opts.jit === 'object' ? opts.jit.threshold : undefined) ?? DEFAULT_JIT_THRESHOLD });
      for (const p of this.pes) p.jit = this.jit;
    }
  }

  /** Maps a device and records it in `devices` (what the guest's device tree describes). */
  private addBoardDevice(d: BoardDevice, dev: MmioDevice): void {
    this.mem.addDevice(d.base, d.size, dev);
    this.devices.push(d);
  }

  /**
   * QEMU virt's 32 virtio-mmio transports (hw/arm/virt.c create_virtio_devices). QEMU fills them
   * from the highest address down (a `-device` lands on the free transport that qbus lists first,
   * and the list is built in reverse), so devices are placed the same way: drives, then the console.
   */
  private addVirtio(drives: VirtioBlkOptions[], console: boolean): VirtioConsole | null {
    const ram = new GuestRam(this.mem);
    const wanted = drives.length + (console ? 1 : 0);
    if (wanted > VIRTIO_MMIO.COUNT) throw new RangeError(`at most ${VIRTIO_MMIO.COUNT} virtio devices (got ${drives.length} drives${console ? ' and a console' : ''})`);
    let con: VirtioConsole | null = null;
    for (let i = 0; i < VIRTIO_MMIO.COUNT; i++) {
      const intid = 32 + VIRTIO_MMIO.FIRST_SPI + i;
      const link = { ram, irq: (level: boolean): void => this.gic.setSpi(intid, level) };
      const slot = VIRTIO_MMIO.COUNT - 1 - i;
      let dev: VirtioMmio;
      if (slot < drives.length) {
        const d = new VirtioBlk(link, drives[slot]);
        this.drives.push(d);
        dev = d;
      } else if (slot === drives.length && console) {
        con = new VirtioConsole(link, (b) => this.emitOutput(b, false));
        dev = con;
      } else dev = new VirtioMmio(link);
      this.virtio.push(dev);
    }
    // Map and list them lowest address first (QEMU's device tree order).
    this.virtio.forEach((dev, i) => this.addBoardDevice({
      kind: 'virtio-mmio', base: VIRTIO_MMIO.BASE + VIRTIO_MMIO.SIZE * i, size: VIRTIO_MMIO.SIZE, spi: VIRTIO_MMIO.FIRST_SPI + i,
    }, dev));
    this.drives.reverse();
    return con;
  }

  /** Makes every drive's writes durable (VIRTIO_BLK_T_FLUSH for all): call before exiting. */
  flushDrives(): void {
    for (const d of this.drives) d.flush();
  }

  private emitOutput(bytes: Uint8Array, uart: boolean): void {
    this.output(bytes);
    if (this.bus.wants.uartOutput) this.bus.emit('uartOutput', { text: Buffer.from(bytes).toString('latin1') });
    void uart;
  }

  setOutput(fn: (bytes: Uint8Array) => void): void { this.output = fn; }

  /**
   * Loads segments into RAM and resets PE 0 to `entry` at the configured EL. Every segment is
   * checked against RAM before anything is written, so a bad program header (a huge p_memsz, an
   * address outside RAM) is refused with a message naming it and never allocates its size.
   */
  load(segments: LoadSegment[], entry: number): void {
    const ramEnd = VIRT.RAM_BASE + this.mem.ramSize;
    const range = `RAM 0x${VIRT.RAM_BASE.toString(16)}..0x${ramEnd.toString(16)}`;
    segments.forEach((s, i) => {
      const memsz = s.memsz ?? s.data.length;
      if (!Number.isSafeInteger(memsz) || memsz < s.data.length) {
        throw new RangeError(`segment ${i} at 0x${s.addr.toString(16)}: memory size ${memsz} is smaller than its file size ${s.data.length}`);
      }
      if (!this.mem.isRamRange(s.addr, memsz)) {
        throw new RangeError(`segment ${i} at 0x${s.addr.toString(16)} (0x${memsz.toString(16)} bytes in memory) is outside ${range}`);
      }
    });
    for (const s of segments) {
      this.mem.load(s.addr, s.data);
      const extra = (s.memsz ?? s.data.length) - s.data.length;
      if (extra > 0) this.mem.zero(s.addr + s.data.length, extra);
    }
    this.resetCpu(entry);
  }

  resetCpu(entry: number): void {
    for (const p of this.pes) this.mmu.state(p).tlb.clear();
    const lo = entry % TWO32 >>> 0, hi = Math.floor(entry / TWO32) >>> 0;
    this.pes[0].reset(lo, hi, this.options.entryEL);
    for (let i = 1; i < this.pes.length; i++) {
      this.pes[i].reset(0, 0, this.options.entryEL);
      this.pes[i].power = PowerState.Off;
    }
    this.gic.reset();
    for (const p of this.pes) this.timers.resetPe(p);
    this.rrIndex = 0;
    this.rrUsed = 0;
    this.rrStarted = false;
    this.rrProgressed = false;
    this.settled = false;
    this.halted = null;
    this.exitCode = 0;
    this.stuck = null;
    this.slicePc.length = 0;
  }

  // ---------------------------------------------------------------- Board

  codePage(pa: number): (Exec | undefined)[] | undefined {
    const off = pa - this.mem.ramBase;
    if (off < 0 || off >= this.mem.ramSize) return undefined;
    const idx = Math.floor(off / PAGE_SIZE);
    let c = this.mem.code[idx] as (Exec | undefined)[] | undefined;
    if (c === undefined) { c = new Array<Exec | undefined>(PAGE_SIZE / 4).fill(undefined); this.mem.setCode(idx, c); }
    return c;
  }

  firmwareCall(pe: PE): boolean {
    if (psciCall(pe, this.psci)) return true;
    // Any other function ID on the firmware conduit returns NOT_SUPPORTED (-1) in X0, as
    // QEMU's built-in firmware does (an SMC Calling Convention "unknown function" answer).
    pe.x[0] = 0xffffffff;
    pe.x[1] = 0xffffffff;
    return true;
  }

  semihosting(pe: PE): void {
    semihostingCall(pe, this.semihost);
  }

  sendEvent(): void {
    for (const p of this.pes) { p.eventReg = 1; }
  }

  private cpuOn(target: number, eLo: number, eHi: number, cLo: number, cHi: number, caller: PE): number {
    const pe = this.pes.find((p) => p.mpidr % 0x1000000 === target % 0x1000000 && Math.floor(target / 0x1000000) % 256 === 0);
    if (!pe) return PSCI_RET.INVALID_PARAMETERS;
    if (pe.power === PowerState.On) return PSCI_RET.ALREADY_ON;
    // The new PE starts in the highest Non-secure EL the board gives the guest, not the caller's
    // (PSCI 1.1, DEN0022, 6.4 "CPU_ON": EL2 when it is implemented and enabled, else EL1; QEMU
    // does the same). A Linux kernel booted at EL2 runs at EL1 when nVHE and calls CPU_ON from
    // there, yet expects its secondaries at EL2 ("CPU: CPUs started in inconsistent modes").
    // AArch64, MMU off, X0 = context_id. Its clock starts at the caller's time.
    const el = this.options.entryEL;
    pe.reset(eLo, eHi, el);
    pe.x[0] = cLo; pe.x[1] = cHi;
    // Without EL2 for the guest (entry at EL1), the board's HCR_EL2 setting applies to every PE.
    if (el === 1) pe.sys.set(caller.sys.subarray(pe.slotHCR_EL2 * 2, pe.slotHCR_EL2 * 2 + 2), pe.slotHCR_EL2 * 2);
    pe.cycles = caller.now();
    pe.power = PowerState.On;
    // CPU reset of the GIC CPU interface and the timers (QEMU resets them with the CPU).
    this.gic.resetCpu(pe.id);
    this.timers.resetPe(pe);
    return PSCI_RET.SUCCESS;
  }

  /**
   * Translates `va` for `pe` as the debugger sees it: result and walk records of both stages,
   * without touching the TLB, the Access flag or any register (options: access, el, stage, source).
   */
  translate(pe: PE, va: number | { lo: number; hi: number }, opts?: TranslateOptions): TranslateReport {
    return this.mmu.translate(pe, va, opts);
  }

  /** A PE's cycle count reached its eventDeadline: update its timers and PMU overflow (they drive PPIs). */
  onDeadline(pe: PE): void {
    this.timers.update(pe);
    this.rtc.poll(pe.id);
    pmuDeadline(pe);
  }

  /**
   * Every powered PE waits in WFI: advance time to the earliest timer deadline instead of
   * spinning (all clocks move by the same amount). Returns false if no timer is due.
   */
  private fastForward(): boolean {
    let dt = Infinity;
    for (const p of this.pes) if (p.power === PowerState.On) dt = Math.min(dt, p.eventDeadline - p.cycles);
    if (!Number.isFinite(dt)) return false;
    dt = Math.max(dt, 0);
    for (const p of this.pes) {
      if (p.power !== PowerState.On) continue;
      p.cycles += dt;
      if (p.cycles >= p.eventDeadline) this.onDeadline(p);
    }
    return true;
  }

  halt(reason: StopReason, code: number): void {
    this.halted = reason;
    this.exitCode = code;
    for (const p of this.pes) p.stopRequested = true;
  }

  /** Asks a running `run()` to return at the next instruction boundary (safe from another async task). */
  requestPause(): void {
    this.pauseRequested = true;
    for (const p of this.pes) p.stopRequested = true;
  }

  // ---------------------------------------------------------------- scheduler

  /**
   * Round-robin position, kept between run() calls so that run(a) then run(b) executes the same
   * instruction stream as run(a + b) whatever ends a call (limit, pause, breakpoint): the PE
   * whose turn it is, the instructions it has retired in this turn, and whether any PE ran in
   * this round. Part of machine snapshots: with it, a position in the history is defined by the
   * total retired instruction count (reverse execution, src/sim/snapshot.ts).
   */
  rrIndex = 0;
  rrUsed = 0;
  /** The current turn's start (timer deadline, WFI wake-up) has been processed. */
  rrStarted = false;
  rrProgressed = false;
  /**
   * True when the last run() returned with the scheduling before the next instruction done
   * (round end, turn start), false when it returned right after an instruction. run(0)
   * settles; reverse execution records it to re-create a stop exactly.
   */
  settled = false;

  /** Instructions (and exception entries) retired by all PEs since reset. */
  get retired(): number {
    let n = 0;
    for (const p of this.pes) n += p.instret;
    return n;
  }

  /**
   * Runs all PEs round-robin until the guest exits, `maxInstructions` have executed, a pause
   * is requested, or no PE can make progress.
   */
  run(maxInstructions = Infinity): RunResult {
    let executed = 0;
    if (this.halted) return { reason: this.halted, exitCode: this.exitCode, executed };
    if (this.stuck !== null) {
      // Stopped stuck before: report it again at once while it still holds (the debugger may
      // have changed registers or memory since).
      const s = this.stuckDetection ? findStuck(this) : undefined;
      const still = s !== undefined && sameStuck(this.stuck, s);
      this.stuck = still ? s : null;
      if (still) return { reason: s.kind === 'deadlock' ? 'deadlock' : 'stuck', executed };
    }
    this.pauseRequested = false;
    for (const p of this.pes) p.stopRequested = false;
    const q = this.options.quantum;
    const n = this.pes.length;
    for (;;) {
      if (this.rrIndex >= n) {
        // End of a round.
        const progressed = this.rrProgressed;
        this.rrIndex = 0;
        this.rrProgressed = false;
        if (!progressed) {
          if (this.pes.every((p) => p.power !== PowerState.On)) return { reason: 'off', exitCode: 0, executed };
          if (this.fastForward()) continue;
          this.stuck = findStuck(this) ?? null;
          return { reason: 'deadlock', executed };
        }
        // Keep waiting PEs' clocks in step with the running ones (with a cost model: with the
        // slowest running one, so that a wake-up is timed by the interrupt's arrival).
        const now = this.cost !== null ? this.runningClock() : Math.max(...this.pes.map((p) => p.cycles));
        for (const p of this.pes) if (p.waiting && p.cycles < now) p.cycles = now;
        continue;
      }
      const pe = this.pes[this.rrIndex];
      if (pe.power !== PowerState.On) { this.nextTurn(); continue; }
      if (!this.rrStarted) {
        this.rrStarted = true;
        // Start of this PE's turn.
        if (pe.cycles >= pe.eventDeadline) this.onDeadline(pe);
        if (pe.waiting) {
          if (!pe.interruptPending()) { this.nextTurn(); continue; }
          pe.waiting = false;
          // Cost model: the wake-up starts when the interrupt has arrived (IPI latency).
          if (pe.cost !== null) pe.cycles = Math.max(pe.cycles, pe.irqArrival) + pe.cost.wfiWakeup;
          if (this.bus.wants.wfiExited) this.bus.emit('wfiExited', { pe: pe.id, wfe: false });
        }
      }
      let budget = Math.min(q - this.rrUsed, maxInstructions - executed);
      if (this.cost !== null && budget > 0) {
        // Cost model: run each PE only up to one quantum past the slowest running PE, so the
        // PEs' clocks stay in step however different their instructions' costs are.
        const ahead = this.runningClock() + q - pe.cycles;
        if (ahead <= 0) { this.nextTurn(); continue; }
        budget = Math.min(budget, ahead);
      }
      if (budget <= 0) { this.settled = true; return { reason: 'limit', executed }; }
      // Count retired instructions (a breakpoint stop un-counts the instruction it did not execute).
      const before = pe.instret, cyclesBefore = pe.cycles, pcBefore = pe.pcLo;
      pe.run(budget);
      const got = pe.instret - before;
      executed += got;
      // With a cost profile the quantum is modelled cycles, so the PEs' clocks stay in step.
      this.rrUsed += pe.cost === null ? got : pe.cycles - cyclesBefore;
      if (got > 0) this.rrProgressed = true;
      this.settled = got === 0;
      // The turn ends with the quantum, or when the PE waits or powers off; a pause, halt or
      // the limit leaves it to be continued by the next call.
      if (this.rrUsed >= q || pe.power !== PowerState.On || pe.waiting) this.nextTurn();
      if (this.halted) return { reason: this.halted, exitCode: this.exitCode, executed };
      if (this.pauseRequested) { this.pauseRequested = false; return { reason: 'paused', executed }; }
      if (got > 0 && this.stuckDetection && this.mayBeLooping(pe, pcBefore)) {
        const s = findStuck(this);
        if (s) { this.stuck = s; return { reason: 'stuck', executed }; }
      }
      // The exception-loop detector may have ended the slice early (stuck.ts); halts and pauses,
      // the other reasons for a stop request, have returned above.
      pe.stopRequested = false;
      if (executed >= maxInstructions) return { reason: 'limit', executed };
    }
  }

  /**
   * Cheap test at a slice end before the full one (findStuck): the PE is in an exception loop, or
   * its slice ended at the PC it began at, or at its previous slice end's (a branch to self).
   */
  private mayBeLooping(pe: PE, pcBefore: number): boolean {
    if (inExceptionLoop(pe)) return true;
    const last = this.slicePc[pe.id];
    this.slicePc[pe.id] = pe.pcLo;
    return pe.pcLo === pcBefore || pe.pcLo === last;
  }

  /** The clock of the slowest powered PE that is not waiting (the max of all if every PE waits). */
  private runningClock(): number {
    let t = Infinity;
    for (const p of this.pes) if (p.power === PowerState.On && !p.waiting && p.cycles < t) t = p.cycles;
    return t === Infinity ? Math.max(...this.pes.map((p) => p.cycles)) : t;
  }

  private nextTurn(): void {
    this.rrIndex++;
    this.rrUsed = 0;
    this.rrStarted = false;
  }

  // ---------------------------------------------------------------- snapshots (src/sim/snapshot.ts)

  /** Captures the whole machine state; RAM is shared copy-on-write with the running machine. */
  snapshot(): MachineSnapshot { return takeSnapshot(this); }

  /** Returns to a snapshot's state (decoded caches of changed pages dropped, fast TLBs flushed). */
  restore(s: MachineSnapshot): void { restoreSnapshot(this, s); }

  /** Hashes of the PE, device and memory state (tests of reverse execution). */
  digest(): MachineDigest { return machineDigest(this); }

  /** Executes exactly one instruction (or exception entry) on `pe`. */
  stepInstruction(pe: PE): number {
    pe.stopRequested = false;
    if (pe.waiting && pe.interruptPending()) pe.waiting = false;
    return pe.run(1);
  }
}
