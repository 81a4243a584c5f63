// The device tree of the board we model, built from the Machine itself (its RAM, PEs, GIC
// frames, timers, firmware conduit, CPU model and device table) so that what the guest is
// told and what exists cannot drift apart. Node names, properties and values follow QEMU 7.2's
// `virt` machine (hw/arm/virt.c: create_fdt, fdt_add_cpu_nodes, fdt_add_psci_node,
// fdt_add_gic_node, fdt_add_timer_nodes, fdt_add_pmu_nodes, create_uart; and hw/arm/boot.c for
// /chosen; create_virtio_devices for the virtio_mmio nodes), checked against
// `qemu-system-aarch64 -M virt,virtualization=on,dumpdtb=…`.
// Left out on purpose: nodes of devices we do not model (fw-cfg, flash, PCIe, PL061 and
// gpio-keys, the platform bus, the GICv3 ITS and GICv2m MSI frames) and /chosen's kaslr-seed (QEMU
// fills it with random bytes; without it the kernel runs at the addresses of `nokaslr`).
// /chosen/rng-seed is there, as in QEMU (virt.c create_randomness), but its 32 bytes come from the
// machine's RTC epoch, not the host's RNG, so boots stay deterministic. Without a seed Linux's
// CRNG stays unseeded (crng_init CRNG_EMPTY) for the whole of a short run, and every
// get_random_u16() — one per system call for the kernel-stack offset, arm64 invoke_syscall() —
// then runs extract_entropy()'s BLAKE2s over the input pool (drivers/char/random.c
// crng_make_state()): ~10,000 modelled cycles per system call that QEMU's and real boots do not
// pay, and which made the KVM I/O-out benchmark dearer than I/O in (docs/experiments.md).
import type { Machine, BoardDevice } from '../machine';
import { TIMER_PPI } from '../timer/generic-timer';
import { MAINTENANCE_PPI } from '../gic/gic';
import { PSCI, PSCI_VERSION_VALUE } from '../devices/psci';
import { cells, cells64, empty, node, str, strList, type FdtNode } from './fdt';

/** What the boot loader adds to /chosen (hw/arm/boot.c arm_load_dtb). */
export interface ChosenInfo {
  /** Kernel command line (`--append`); no `bootargs` property when absent or empty, as QEMU. */
  bootargs?: string;
  /** Physical range of the initrd, end exclusive (`linux,initrd-start` / `linux,initrd-end`). */
  initrd?: { start: number; end: number };
}

// Interrupt specifier of the GIC bindings (arm,gic.yaml / arm,gic-v3.yaml): <type number flags>.
const GIC_SPI = 0, GIC_PPI = 1;
/** IRQ_TYPE_LEVEL_HIGH (include/dt-bindings/interrupt-controller/irq.h). */
const IRQ_LEVEL_HIGH = 4;
/** The secure EL1 physical timer (INTID 29): not modelled, but the timer binding lists it first. */
const SECURE_PHYS_TIMER_INTID = 29;
/** PMU overflow interrupt: QEMU virt's VIRTUAL_PMU_IRQ, PPI 7 = INTID 23. */
export const PMU_INTID = 23;
/** The APB clock QEMU virt gives its PrimeCell devices (24 MHz fixed clock). */
const APB_PCLK_HZ = 24_000_000;

/**
 * `compatible` of the cpu nodes per CPU model: QEMU's dtb_compatible for the same -cpu
 * (target/arm/cpu64.c: "arm,cortex-a57"; its `max` starts from the A57's init and keeps it).
 */
const CPU_COMPATIBLE: Record<string, string> = {
  'cortex-a57': 'arm,cortex-a57',
  'armv8.1-vhe': 'arm,cortex-a57',
  max: 'arm,cortex-a57',
};

/** True when the CPU model implements a PMU: ID_AA64DFR0_EL1.PMUVer (bits [11:8]) is neither 0 nor 0xF (IMPLEMENTATION DEFINED). */
export function hasPmu(m: Machine): boolean {
  const pmuVer = ((m.model.ids.ID_AA64DFR0_EL1?.[0] ?? 0) >>> 8) & 0xf;
  return pmuVer !== 0 && pmuVer !== 0xf;
}

/** The device tree of machine `m` (QEMU virt layout), with `chosen` in /chosen. */
export function virtDeviceTree(m: Machine, chosen: ChosenInfo = {}): FdtNode {
  // Phandles: fixed small numbers, referenced by name (QEMU allocates from 0x8000 up; the
  // values are arbitrary as long as they are unique and non-zero).
  const PH = { clock: 1, gic: 2, cpu0: 16 } as const;
  const cores = m.pes.length;
  const gicV2 = m.options.gic === 'v2';
  // GICv2 PPI specifiers carry a CPU mask in flags bits [15:8] (one bit per PE the PPI is
  // wired to); GICv3 has none. QEMU applies it to the timer and PMU PPIs only.
  const ppiFlags = gicV2 ? ((((1 << cores) - 1) << 8) | IRQ_LEVEL_HIGH) : IRQ_LEVEL_HIGH;
  const ppi = (intid: number, flags = ppiFlags): number[] => [GIC_PPI, intid - 16, flags];
  const spi = (n: number): number[] => [GIC_SPI, n, IRQ_LEVEL_HIGH];

  const root = node('', {
    'interrupt-parent': cells(PH.gic),
    model: str('linux,dummy-virt'),
    '#size-cells': cells(2),
    '#address-cells': cells(2),
    compatible: str('linux,dummy-virt'),
  });
  const add = (n: FdtNode): void => { root.children.push(n); };

  // /psci (arm,psci.yaml). Our firmware answers PSCI 1.1 (src/sim/devices/psci.ts); the binding's
  // newest compatible is "arm,psci-1.0", followed by the older ones as QEMU lists them. The
  // per-function IDs are the PSCI 0.1 binding's, with the SMC64 IDs QEMU gives an AArch64 CPU.
  const psciMajor = PSCI_VERSION_VALUE >>> 16;
  add(node('psci', {
    migrate: cells(0xc4000005),
    cpu_on: cells(PSCI.CPU_ON_64),
    cpu_off: cells(PSCI.CPU_OFF),
    cpu_suspend: cells(PSCI.CPU_SUSPEND_64),
    // The conduit the board answers on: SMC when the boot PE starts at EL2, HVC at EL1.
    method: str(m.firmwareConduit),
    compatible: psciMajor >= 1 ? strList('arm,psci-1.0', 'arm,psci-0.2', 'arm,psci') : strList('arm,psci-0.2', 'arm,psci'),
  }));

  add(node(`memory@${m.mem.ramBase.toString(16)}`, {
    reg: cells64(m.mem.ramBase, m.mem.ramSize),
    device_type: str('memory'),
  }));

  // Devices of the board's table (Machine.devices), one builder per kind.
  const clockUsed = m.devices.some((d) => d.kind === 'pl011' || d.kind === 'pl031');
  for (const d of m.devices) add(deviceNode(d, spi, PH.clock));

  if (hasPmu(m)) {
    add(node('pmu', { interrupts: cells(...ppi(PMU_INTID)), compatible: str('arm,armv8-pmuv3') }));
  }

  // The interrupt controller: its MMIO frames exactly as the GIC maps them (gic.ts creates them
  // in the bindings' order: GICv2 GICD, GICC, GICH, GICV; GICv3 GICD, then one redistributor
  // region covering the PEs' GICR frames), plus the virtualization maintenance interrupt. The
  // GICv3 binding's optional GICC/GICH/GICV regions are absent, as in QEMU's tree: neither
  // QEMU's GICv3 nor ours has the legacy memory-mapped CPU interfaces. QEMU sizes the GICR
  // region for 123 PEs (0xf60000); we list the frames that are mapped (GICR_TYPER.Last ends
  // Linux's scan either way).
  // The virtualization parts (GICv2 GICH/GICV, the maintenance interrupt) are the hypervisor's:
  // as QEMU virt without virtualization=on, a kernel entered at EL1 is not told about them.
  const hyp = m.options.entryEL === 2;
  const frames = gicV2 && !hyp ? m.gic.devices.slice(0, 2) : m.gic.devices;
  add(node(`intc@${frames[0].base.toString(16)}`, {
    phandle: cells(PH.gic),
    interrupts: hyp ? cells(GIC_PPI, MAINTENANCE_PPI - 16, IRQ_LEVEL_HIGH) : undefined,
    reg: cells64(...frames.flatMap((f) => [f.base, f.size])),
    '#redistributor-regions': gicV2 ? undefined : cells(1),
    compatible: str(gicV2 ? 'arm,cortex-a15-gic' : 'arm,gic-v3'),
    // As QEMU (which has MSI frames below it): dtc's interrupt_provider check wants #address-cells.
    ranges: empty(),
    '#size-cells': cells(2),
    '#address-cells': cells(2),
    'interrupt-controller': empty(),
    '#interrupt-cells': cells(3),
  }));

  // /cpus (arm/cpus.yaml): reg = MPIDR_EL1 affinity (Aff2..Aff0, #address-cells = 1), with the
  // cpu-map topology QEMU adds. QEMU gives `enable-method = "psci"` only with more than one CPU.
  const compatible = CPU_COMPATIBLE[m.model.name] ?? 'arm,armv8';
  const coreNodes = m.pes.map((pe, i) => node(`core${i}`, { cpu: cells(PH.cpu0 + i) }));
  add(node('cpus', { '#size-cells': cells(0), '#address-cells': cells(1) }, [
    node('cpu-map', {}, [node('socket0', {}, [node('cluster0', {}, coreNodes)])]),
    ...m.pes.map((pe, i) => node(`cpu@${(pe.mpidr & 0xffffff).toString(16)}`, {
      phandle: cells(PH.cpu0 + i),
      reg: cells(pe.mpidr & 0xffffff),
      'enable-method': cores > 1 ? str('psci') : undefined,
      compatible: str(compatible),
      device_type: str('cpu'),
    })),
  ]));

  // /timer (arm,arch_timer.yaml): secure phys, non-secure phys, virtual, hypervisor phys, in
  // that order, level-sensitive PPIs (the INTIDs the generic timers drive, timer/generic-timer.ts).
  add(node('timer', {
    interrupts: cells(...ppi(SECURE_PHYS_TIMER_INTID), ...ppi(TIMER_PPI[0]), ...ppi(TIMER_PPI[1]), ...ppi(TIMER_PPI[2])),
    'always-on': empty(),
    compatible: strList('arm,armv8-timer', 'arm,armv7-timer'),
  }));

  if (clockUsed) {
    add(node('apb-pclk', {
      phandle: cells(PH.clock),
      'clock-output-names': str('clk24mhz'),
      'clock-frequency': cells(APB_PCLK_HZ),
      '#clock-cells': cells(0),
      compatible: str('fixed-clock'),
    }));
  }

  const uart = m.devices.find((d) => d.kind === 'pl011');
  add(node('chosen', {
    'rng-seed': rngSeed(m.rtcEpoch),
    'linux,initrd-end': chosen.initrd ? initrdCell(chosen.initrd.end, 'end') : undefined,
    'linux,initrd-start': chosen.initrd ? initrdCell(chosen.initrd.start, 'start') : undefined,
    bootargs: chosen.bootargs ? str(chosen.bootargs) : undefined,
    'stdout-path': uart ? str(`/${deviceNodeName(uart)}`) : undefined,
  }));
  return root;
}

/**
 * /chosen/rng-seed: 32 bytes, as QEMU's create_randomness() writes (read by Linux's
 * early_init_dt_scan_chosen(), credited with CONFIG_RANDOM_TRUST_BOOTLOADER). We choose to derive
 * them from `epoch` with SplitMix64 (Steele et al., OOPSLA 2014): the same inputs give the same boot.
 */
export function rngSeed(epoch: number): Uint8Array {
  const M = (1n << 64n) - 1n;
  let x = BigInt(epoch >>> 0) ^ 0x61726d7669727431n; // "armvirt1"
  const out = new Uint8Array(32);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b97f4a7c15n) & M;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    dv.setBigUint64(8 * i, z ^ (z >> 31n), true);
  }
  return out;
}

/**
 * QEMU 7.2 writes linux,initrd-start/end as one u32 cell (qemu_fdt_setprop_cell); Linux reads
 * either width (early_init_dt_check_for_initrd). Our RAM ends below 4 GiB, so one cell is exact.
 */
function initrdCell(addr: number, which: string): Uint8Array {
  if (addr > 0xffffffff) throw new RangeError(`initrd ${which} 0x${addr.toString(16)} does not fit a 32-bit cell`);
  return cells(addr);
}

/** QEMU's node names: pl011@9000000, pl031@9010000, virtio_mmio@a000000. */
function deviceNodeName(d: BoardDevice): string {
  const kind = d.kind === 'virtio-mmio' ? 'virtio_mmio' : d.kind;
  return `${kind}@${d.base.toString(16)}`;
}

function deviceNode(d: BoardDevice, spi: (n: number) => number[], clock: number): FdtNode {
  const reg = cells64(d.base, d.size);
  const interrupts = cells(...spi(d.spi));
  switch (d.kind) {
    case 'pl011':
      return node(deviceNodeName(d), {
        'clock-names': strList('uartclk', 'apb_pclk'), clocks: cells(clock, clock), interrupts, reg,
        compatible: strList('arm,pl011', 'arm,primecell'),
      });
    case 'pl031':
      return node(deviceNodeName(d), {
        'clock-names': str('apb_pclk'), clocks: cells(clock), interrupts, reg,
        compatible: strList('arm,pl031', 'arm,primecell'),
      });
    case 'virtio-mmio':
      // QEMU virt's transports are edge-triggered (flags 1) and DMA-coherent.
      return node(deviceNodeName(d), {
        'dma-coherent': empty(), interrupts: cells(GIC_SPI, d.spi, 1), reg, compatible: str('virtio,mmio'),
      });
  }
}
