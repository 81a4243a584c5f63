// virtio-mmio transport, version 2 (the "virtio 1.x modern" register layout: OASIS virtio v1.2
// section 4.2.2, "MMIO Device Register Layout"), as QEMU virt places them: 32 transports of
// 0x200 bytes from 0x0a00_0000, transport i on SPI 16 + i (INTID 48 + i), edge-triggered in the
// device tree (hw/arm/virt.c create_virtio_devices).
//
// A transport with no device behind it reads MagicValue "virt", Version 2, DeviceID 0 and QEMU's
// VendorID, every other register as zero, and ignores writes: QEMU does the same (virtio-mmio.c,
// "no backend"), so a driver that probes all 32 skips it (4.2.3.1.1: DeviceID 0 is reserved).
// Note: QEMU's own transports default to the legacy layout (Version 1, `force-legacy=true`);
// `-global virtio-mmio.force-legacy=false` gives the Version 2 layout modelled here.
//
// Determinism: a device does its work synchronously inside the MMIO write to QueueNotify (the
// request completes, the used ring and InterruptStatus are updated and the SPI raised before the
// guest's next instruction), so a run depends only on the guest's instruction stream.
//
// Snapshots: every register and the per-queue state are own primitive fields or typed arrays of
// the transport object (a device model is a subclass), which src/sim/snapshot.ts copies.
import type { MmioDevice } from '../memory';
import { GuestRam, VirtqueueError, popAvail, pushUsed, setAvailEvent, wantsInterrupt, type Chain, type QueueView } from './virtqueue';

/** Where QEMU virt maps the transports (memmap VIRT_MMIO, irqmap VIRT_MMIO). */
export const VIRTIO_MMIO = { BASE: 0x0a000000, SIZE: 0x200, COUNT: 32, FIRST_SPI: 16 } as const;

/** MagicValue: "virt" in little-endian (4.2.2). */
export const VIRTIO_MAGIC = 0x74726976;
/** VendorID: QEMU's ("QEMU" little-endian), which guests on the virt board see. */
export const VIRTIO_VENDOR_QEMU = 0x554d4551;
/** QueueNumMax of a queue the device has (QEMU's VIRTQUEUE_MAX_SIZE). */
export const QUEUE_NUM_MAX = 1024;

/** Device status bits (2.1 "Device Status Field"). */
export const STATUS = { ACKNOWLEDGE: 1, DRIVER: 2, DRIVER_OK: 4, FEATURES_OK: 8, DEVICE_NEEDS_RESET: 0x40, FAILED: 0x80 } as const;
/** Reserved feature bits (6 "Reserved Feature Bits") that every device here offers. */
export const VIRTIO_F_INDIRECT_DESC = 28, VIRTIO_F_EVENT_IDX = 29, VIRTIO_F_VERSION_1 = 32;
/** InterruptStatus bits (4.2.2): used buffer notification, configuration change notification. */
export const INT_VRING = 1, INT_CONFIG = 2;

/** Register offsets (4.2.2, table "MMIO Device Register Layout"). */
export const REG = {
  MagicValue: 0x000, Version: 0x004, DeviceID: 0x008, VendorID: 0x00c,
  DeviceFeatures: 0x010, DeviceFeaturesSel: 0x014, DriverFeatures: 0x020, DriverFeaturesSel: 0x024,
  QueueSel: 0x030, QueueNumMax: 0x034, QueueNum: 0x038, QueueReady: 0x044, QueueNotify: 0x050,
  InterruptStatus: 0x060, InterruptACK: 0x064, Status: 0x070,
  QueueDescLow: 0x080, QueueDescHigh: 0x084, QueueDriverLow: 0x090, QueueDriverHigh: 0x094,
  QueueDeviceLow: 0x0a0, QueueDeviceHigh: 0x0a4, SHMSel: 0x0ac, SHMLenLow: 0x0b0, SHMLenHigh: 0x0b4,
  SHMBaseLow: 0x0b8, SHMBaseHigh: 0x0bc, QueueReset: 0x0c0, ConfigGeneration: 0x0fc, Config: 0x100,
} as const;

/** What a transport is connected to: guest RAM for DMA and its interrupt line. */
export interface VirtioLink {
  ram: GuestRam;
  /** Drives the transport's SPI (level = InterruptStatus != 0). */
  irq: (level: boolean) => void;
}

/**
 * One virtio-mmio transport. The base class alone is an empty transport (DeviceID 0); device
 * models (virtio-blk.ts, virtio-console.ts) extend it with their queues, features and config.
 */
export class VirtioMmio implements MmioDevice {
  readonly name = 'virtio-mmio';
  status = 0;
  deviceFeaturesSel = 0;
  driverFeaturesSel = 0;
  /** Features the driver accepted (DriverFeatures words 0 and 1). */
  readonly driverFeatures = new Uint32Array(2);
  queueSel = 0;
  interruptStatus = 0;
  /** The SPI's level as last driven. */
  line = false;
  configGeneration = 0;
  // Per-queue registers and the device's position in each ring.
  readonly qNum: Uint32Array;
  readonly qReady: Uint32Array;
  readonly qDescLo: Uint32Array;
  readonly qDescHi: Uint32Array;
  readonly qDriverLo: Uint32Array;
  readonly qDriverHi: Uint32Array;
  readonly qDeviceLo: Uint32Array;
  readonly qDeviceHi: Uint32Array;
  readonly qLastAvail: Uint32Array;
  readonly qUsedIdx: Uint32Array;
  /** Why the device last set DEVICE_NEEDS_RESET ('' if it has not). */
  lastError = '';

  /**
   * @param deviceId Device ID (5 "Device Types"): 0 none, 2 block, 3 console
   * @param numQueues virtqueues the device has
   */
  constructor(protected readonly link: VirtioLink, readonly deviceId = 0, readonly numQueues = 0) {
    const q = (): Uint32Array => new Uint32Array(numQueues);
    this.qNum = q(); this.qReady = q(); this.qDescLo = q(); this.qDescHi = q(); this.qDriverLo = q(); this.qDriverHi = q();
    this.qDeviceLo = q(); this.qDeviceHi = q(); this.qLastAvail = q(); this.qUsedIdx = q();
  }

  // ---------------------------------------------------------------- what device models provide

  /** Device-specific feature bits 0..23 (the transport adds INDIRECT_DESC, EVENT_IDX, VERSION_1). */
  protected deviceFeatureBits(): number { return 0; }
  /** The device-specific configuration space (little-endian fields, 4.2.2 Config). */
  protected configSpace(): Uint8Array { return new Uint8Array(0); }
  /** A driver write to the configuration space (read-only by default). */
  protected configWrite(_offset: number, _size: number, _value: number): void { /* read-only */ }
  /** The driver notified queue `q` (it is ready and the driver is OK). */
  protected notified(_q: number): void { /* no queues */ }
  /** Device state to clear on a reset (2.4), besides the transport's. */
  protected deviceReset(): void { /* nothing */ }

  // ---------------------------------------------------------------- features and status

  /** The 64 feature bits the device offers, as two 32-bit words. */
  offeredFeatures(): [number, number] {
    if (this.deviceId === 0) return [0, 0];
    const lo = (this.deviceFeatureBits() | (1 << VIRTIO_F_INDIRECT_DESC) | (1 << VIRTIO_F_EVENT_IDX)) >>> 0;
    return [lo, 1 << (VIRTIO_F_VERSION_1 - 32)];
  }

  /** True if the driver accepted feature `bit`. */
  negotiated(bit: number): boolean {
    return ((this.driverFeatures[bit >> 5] >>> (bit & 31)) & 1) === 1;
  }

  /** The driver has set DRIVER_OK and the device does not need a reset. */
  get live(): boolean {
    return (this.status & (STATUS.DRIVER_OK | STATUS.DEVICE_NEEDS_RESET)) === STATUS.DRIVER_OK;
  }

  /** Device reset (2.4): what writing 0 to Status does. */
  reset(): void {
    this.status = 0;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.driverFeatures.fill(0);
    this.queueSel = 0;
    for (const a of [this.qNum, this.qReady, this.qDescLo, this.qDescHi, this.qDriverLo, this.qDriverHi, this.qDeviceLo, this.qDeviceHi, this.qLastAvail, this.qUsedIdx]) a.fill(0);
    this.lastError = '';
    this.interruptStatus = 0;
    this.updateLine();
    this.deviceReset();
  }

  private writeStatus(v: number): void {
    if (v === 0) { this.reset(); return; }
    let next = (v & 0xff & ~STATUS.DEVICE_NEEDS_RESET) | (this.status & STATUS.DEVICE_NEEDS_RESET);
    if ((next & STATUS.FEATURES_OK) && !(this.status & STATUS.FEATURES_OK)) {
      // 3.1.1 step 5-6: the device accepts FEATURES_OK only for a subset of its offer that
      // includes VIRTIO_F_VERSION_1 (a version 2 transport has no legacy interface, 4.2.4);
      // otherwise the bit reads back clear and the driver gives up.
      const [lo, hi] = this.offeredFeatures();
      const ok = (this.driverFeatures[0] & ~lo) === 0 && (this.driverFeatures[1] & ~hi) === 0 && this.negotiated(VIRTIO_F_VERSION_1);
      if (!ok) next &= ~STATUS.FEATURES_OK;
    }
    this.status = next;
  }

  // ---------------------------------------------------------------- MMIO

  read(offset: number, size: number): number {
    if (offset >= REG.Config) return this.readConfig(offset - REG.Config, size);
    // 4.2.2.2: the driver MUST use only 32-bit wide and aligned reads of the registers below
    // the configuration space; we choose to answer a narrower read with the low bits.
    const v = this.readRegister(offset & ~3);
    return size >= 4 ? v : (v >>> (8 * (offset & 3))) & (size === 1 ? 0xff : 0xffff);
  }

  private readRegister(offset: number): number {
    switch (offset) {
      case REG.MagicValue: return VIRTIO_MAGIC;
      case REG.Version: return 2;
      case REG.DeviceID: return this.deviceId;
      case REG.VendorID: return VIRTIO_VENDOR_QEMU;
    }
    if (this.deviceId === 0) return 0;
    const q = this.queueSel;
    const has = q < this.numQueues;
    switch (offset) {
      case REG.DeviceFeatures: return this.deviceFeaturesSel < 2 ? this.offeredFeatures()[this.deviceFeaturesSel] : 0;
      case REG.QueueNumMax: return has ? QUEUE_NUM_MAX : 0;
      case REG.QueueReady: return has ? this.qReady[q] : 0;
      case REG.InterruptStatus: return this.interruptStatus;
      case REG.Status: return this.status;
      // No shared memory regions: "reading from a non-existent region returns a length of -1".
      case REG.SHMLenLow: case REG.SHMLenHigh: return 0xffffffff;
      case REG.SHMBaseLow: case REG.SHMBaseHigh: return 0xffffffff;
      case REG.ConfigGeneration: return this.configGeneration;
      // The other registers are write-only (4.2.2): we choose to read them as zero, as QEMU.
      default: return 0;
    }
  }

  private readConfig(off: number, size: number): number {
    if (this.deviceId === 0) return 0;
    const c = this.configSpace();
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + (off + i < c.length ? c[off + i] : 0);
    return v >>> 0;
  }

  write(offset: number, size: number, value: number): void {
    if (this.deviceId === 0) return;
    if (offset >= REG.Config) { this.configWrite(offset - REG.Config, size, value); return; }
    if (size !== 4 || offset & 3) return;   // 4.2.2.2: registers take 32-bit aligned writes only; we ignore others
    const q = this.queueSel;
    const has = q < this.numQueues;
    switch (offset) {
      case REG.DeviceFeaturesSel: this.deviceFeaturesSel = value; return;
      case REG.DriverFeatures:
        // Features are fixed once FEATURES_OK is set (3.1.1); words beyond 1 name no feature we know.
        if (!(this.status & STATUS.FEATURES_OK) && this.driverFeaturesSel < 2) this.driverFeatures[this.driverFeaturesSel] = value;
        return;
      case REG.DriverFeaturesSel: this.driverFeaturesSel = value; return;
      case REG.QueueSel: this.queueSel = value; return;
      // 4.2.2: the driver writes a size no larger than QueueNumMax; we choose to ignore others.
      case REG.QueueNum: if (has && value <= QUEUE_NUM_MAX) this.qNum[q] = value; return;
      case REG.QueueReady:
        if (!has) return;
        this.qReady[q] = value & 1;
        // 4.2.2 leaves open what writing 0 does to the device's ring position: we choose to forget
        // it, so that rings set up afresh (indices 0) work when the queue is enabled again.
        if (!(value & 1)) { this.qLastAvail[q] = 0; this.qUsedIdx[q] = 0; }
        return;
      case REG.QueueNotify: this.notify(value & 0xffff); return;
      case REG.InterruptACK: this.interruptStatus &= ~value; this.updateLine(); return;
      case REG.Status: this.writeStatus(value); return;
      case REG.QueueDescLow: if (has) this.qDescLo[q] = value; return;
      case REG.QueueDescHigh: if (has) this.qDescHi[q] = value; return;
      case REG.QueueDriverLow: if (has) this.qDriverLo[q] = value; return;
      case REG.QueueDriverHigh: if (has) this.qDriverHi[q] = value; return;
      case REG.QueueDeviceLow: if (has) this.qDeviceLo[q] = value; return;
      case REG.QueueDeviceHigh: if (has) this.qDeviceHi[q] = value; return;
      default: return;
    }
  }

  private notify(q: number): void {
    // 3.1.1: the driver notifies after DRIVER_OK; a notification before it, for a queue that is
    // not ready or does not exist, or of a device that needs a reset, does nothing.
    if (q >= this.numQueues || !this.qReady[q] || this.qNum[q] === 0 || !this.live) return;
    this.notified(q);
  }

  // ---------------------------------------------------------------- queue service for device models

  /** True if queue `q` can be used now (ready, sized, driver OK). */
  protected queueLive(q: number): boolean {
    return q < this.numQueues && this.qReady[q] === 1 && this.qNum[q] !== 0 && this.live;
  }

  /**
   * Takes available chains of queue `q` while `more()` says so, hands each to `handle` (which
   * returns the bytes it wrote into the chain's writable part), returns them on the used ring and
   * raises a used-buffer notification if the driver wants one. A ring the device cannot follow
   * sets DEVICE_NEEDS_RESET with a configuration change notification (2.1.2).
   */
  protected serviceQueue(q: number, handle: (c: Chain) => number, more: () => boolean = () => true): void {
    if (!this.queueLive(q)) return;
    const view: QueueView = {
      size: this.qNum[q],
      desc: this.qDescHi[q] * 0x100000000 + this.qDescLo[q],
      avail: this.qDriverHi[q] * 0x100000000 + this.qDriverLo[q],
      used: this.qDeviceHi[q] * 0x100000000 + this.qDeviceLo[q],
      lastAvail: this.qLastAvail[q],
      usedIdx: this.qUsedIdx[q],
    };
    const ram = this.link.ram;
    const oldUsed = view.usedIdx;
    const eventIdx = this.negotiated(VIRTIO_F_EVENT_IDX);
    try {
      while (more()) {
        const c = popAvail(ram, view, this.negotiated(VIRTIO_F_INDIRECT_DESC));
        if (c === null) break;
        pushUsed(ram, view, c.head, handle(c));
      }
      if (eventIdx) setAvailEvent(ram, view);
      if (wantsInterrupt(ram, view, oldUsed, eventIdx)) this.interrupt(INT_VRING);
    } catch (e) {
      if (!(e instanceof VirtqueueError)) throw e;
      this.needsReset(`queue ${q}: ${e.message}`);
    } finally {
      this.qLastAvail[q] = view.lastAvail;
      this.qUsedIdx[q] = view.usedIdx;
    }
  }

  /** The device hit an error it cannot recover from without a reset (2.1.2). */
  protected needsReset(why: string): void {
    this.lastError = why;
    this.status |= STATUS.DEVICE_NEEDS_RESET;
    if (this.status & STATUS.DRIVER_OK) this.interrupt(INT_CONFIG);
  }

  protected interrupt(bits: number): void {
    this.interruptStatus |= bits;
    this.updateLine();
  }

  private updateLine(): void {
    const level = this.interruptStatus !== 0;
    if (level !== this.line) { this.line = level; this.link.irq(level); }
  }
}
