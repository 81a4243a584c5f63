// The virtio-mmio transport, split virtqueues, virtio-blk and virtio-console, driven from the
// host side: register accesses go through the machine's physical bus (as a guest's would), the
// rings and buffers are written into guest RAM. The guest-program test is virtio-blk-guest.test.ts.
import { strict as assert } from 'node:assert';
import { Machine, type MachineOptions } from '../../../../src/sim/machine';
import { MemoryBlockBackend } from '../../../../src/sim/devices/block-backend';
import { REG, STATUS, VIRTIO_MAGIC, VIRTIO_VENDOR_QEMU, VIRTIO_MMIO, type VirtioMmio } from '../../../../src/sim/devices/virtio-mmio';
import {
  VIRTIO_BLK_S_IOERR, VIRTIO_BLK_S_OK, VIRTIO_BLK_S_UNSUPP, VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_GET_ID, VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT,
} from '../../../../src/sim/devices/virtio-blk';
import { VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from '../../../../src/sim/devices/virtqueue';

const base = (i: number): number => VIRTIO_MMIO.BASE + VIRTIO_MMIO.SIZE * i;
/** Guest RAM layout of the test driver. */
const DESC = 0x40100000, AVAIL = 0x40101000, USED = 0x40102000, BUF = 0x40200000, INDIRECT = 0x40300000;

type Desc = { addr: number; len: number; flags?: number; next?: number };

/** A minimal virtio driver working through the bus. */
class Driver {
  availIdx = 0;
  constructor(readonly m: Machine, readonly at: number) {}
  r(off: number): number { return this.m.mem.read(this.at + off, 4); }
  w(off: number, v: number): void { this.m.mem.write(this.at + off, 4, v); }
  get dev(): VirtioMmio { return this.m.virtio[(this.at - VIRTIO_MMIO.BASE) / VIRTIO_MMIO.SIZE]; }

  /** 3.1.1 initialization up to FEATURES_OK with the given feature words; returns the status read back. */
  negotiate(lo: number, hi = 1): number {
    this.w(REG.Status, 0);
    this.w(REG.Status, STATUS.ACKNOWLEDGE);
    this.w(REG.Status, STATUS.ACKNOWLEDGE | STATUS.DRIVER);
    this.w(REG.DriverFeaturesSel, 0); this.w(REG.DriverFeatures, lo);
    this.w(REG.DriverFeaturesSel, 1); this.w(REG.DriverFeatures, hi);
    this.w(REG.Status, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK);
    return this.r(REG.Status);
  }

  /** Sets up queue `q` with `size` entries at the fixed ring addresses and sets DRIVER_OK. */
  setupQueue(q: number, size: number, at = { desc: DESC, avail: AVAIL, used: USED }): void {
    this.w(REG.QueueSel, q);
    this.w(REG.QueueNum, size);
    this.w(REG.QueueDescLow, at.desc % 2 ** 32); this.w(REG.QueueDescHigh, Math.floor(at.desc / 2 ** 32));
    this.w(REG.QueueDriverLow, at.avail % 2 ** 32); this.w(REG.QueueDriverHigh, Math.floor(at.avail / 2 ** 32));
    this.w(REG.QueueDeviceLow, at.used % 2 ** 32); this.w(REG.QueueDeviceHigh, Math.floor(at.used / 2 ** 32));
    this.w(REG.QueueReady, 1);
    this.w(REG.Status, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK | STATUS.DRIVER_OK);
  }

  writeDescs(table: number, ds: Desc[]): void {
    ds.forEach((d, i) => {
      const a = table + 16 * i;
      this.m.mem.write(a, 4, d.addr % 2 ** 32); this.m.mem.write(a + 4, 4, Math.floor(d.addr / 2 ** 32));
      this.m.mem.write(a + 8, 4, d.len);
      this.m.mem.write(a + 12, 2, d.flags ?? 0);
      this.m.mem.write(a + 14, 2, d.next ?? 0);
    });
  }

  /** Makes chain `head` available on queue size `size` and notifies queue `q` (unless notify is false). */
  offer(head: number, size: number, q = 0, notify = true): void {
    this.m.mem.write(AVAIL + 4 + 2 * (this.availIdx % size), 2, head);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.m.mem.write(AVAIL + 2, 2, this.availIdx);
    if (notify) this.w(REG.QueueNotify, q);
  }

  usedIdx(): number { return this.m.mem.read(USED + 2, 2); }
  usedElem(i: number, size: number): { id: number; len: number } {
    const e = USED + 4 + 8 * (i % size);
    return { id: this.m.mem.read(e, 4), len: this.m.mem.read(e + 4, 4) };
  }
}

function bytes(m: Machine, pa: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => m.mem.read(pa + i, 1));
}
function put(m: Machine, pa: number, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) m.mem.write(pa + i, 1, data[i]);
}
/** A virtio-blk request header at `pa`. */
function header(m: Machine, pa: number, type: number, sector: number): void {
  m.mem.write(pa, 4, type); m.mem.write(pa + 4, 4, 0);
  m.mem.write(pa + 8, 4, sector % 2 ** 32); m.mem.write(pa + 12, 4, Math.floor(sector / 2 ** 32));
}

function blkMachine(disk = new Uint8Array(16 * 512), extra: MachineOptions = {}): { m: Machine; d: Driver; disk: MemoryBlockBackend } {
  const backend = new MemoryBlockBackend(disk);
  const m = new Machine({ drives: [{ backend, serial: 'armvirt-disk-0' }], ...extra });
  const d = new Driver(m, base(31));
  assert.strictEqual(d.negotiate((1 << 9) | (1 << 28) | (1 << 29)) & STATUS.FEATURES_OK, STATUS.FEATURES_OK);
  return { m, d, disk: backend };
}

/** A three-descriptor blk request (header, data, status) as chain 0 of an 8-entry queue. */
function request(d: Driver, type: number, sector: number, len: number, write: boolean): void {
  header(d.m, BUF, type, sector);
  d.m.mem.write(BUF + 0x100, 1, 0xff);
  const data: Desc[] = len > 0 ? [{ addr: BUF + 0x1000, len, flags: VIRTQ_DESC_F_NEXT | (write ? VIRTQ_DESC_F_WRITE : 0), next: 2 }] : [];
  d.writeDescs(DESC, [
    { addr: BUF, len: 16, flags: VIRTQ_DESC_F_NEXT, next: len > 0 ? 1 : 2 },
    ...data,
    ...(len > 0 ? [] : [{ addr: 0, len: 0 }]),
    { addr: BUF + 0x100, len: 1, flags: VIRTQ_DESC_F_WRITE },
  ]);
  d.offer(0, 8);
}
const status = (m: Machine): number => m.mem.read(BUF + 0x100, 1);

describe('virtio-mmio transports (virtio v1.2 4.2.2)', () => {
  it('32 transports at 0x0a000000 + 0x200 i: empty ones read magic, version 2, DeviceID 0, QEMU vendor, zeros, and ignore writes', () => {
    const m = new Machine({ drives: [{ backend: new MemoryBlockBackend(new Uint8Array(4096)) }], virtioConsole: true });
    assert.strictEqual(m.virtio.length, 32);
    const ids = Array.from({ length: 32 }, (_, i) => m.mem.read(base(i) + REG.DeviceID, 4));
    // QEMU's order: the first device on the highest transport, the next one below it.
    assert.deepStrictEqual(ids, [...new Array(30).fill(0), 3, 2]);
    for (const i of [0, 17, 30, 31]) {
      assert.strictEqual(m.mem.read(base(i) + REG.MagicValue, 4), VIRTIO_MAGIC);
      assert.strictEqual(m.mem.read(base(i) + REG.Version, 4), 2);
      assert.strictEqual(m.mem.read(base(i) + REG.VendorID, 4), VIRTIO_VENDOR_QEMU);
    }
    m.mem.write(base(0) + REG.Status, 4, 1);
    assert.strictEqual(m.mem.read(base(0) + REG.Status, 4), 0);
    assert.strictEqual(m.mem.read(base(0) + REG.QueueNumMax, 4), 0);
    assert.strictEqual(m.mem.read(base(0) + REG.DeviceFeatures, 4), 0);
    // The device table the device tree is built from: SPI 16 + i.
    const v = m.devices.filter((x) => x.kind === 'virtio-mmio');
    assert.deepStrictEqual(v.map((x) => [x.base, x.spi]), Array.from({ length: 32 }, (_, i) => [base(i), 16 + i]));
  });

  it('feature negotiation: FEATURES_OK only for a subset of the offer that includes VERSION_1; features frozen afterwards', () => {
    const m = new Machine({ drives: [{ backend: new MemoryBlockBackend(new Uint8Array(4096)) }] });
    const d = new Driver(m, base(31));
    d.w(REG.DeviceFeaturesSel, 1);
    assert.strictEqual(d.r(REG.DeviceFeatures), 1, 'VIRTIO_F_VERSION_1');
    d.w(REG.DeviceFeaturesSel, 0);
    const offered = d.r(REG.DeviceFeatures);
    assert.strictEqual(offered & (1 << 28 | 1 << 29 | 1 << 9), (1 << 28 | 1 << 29 | 1 << 9) >>> 0, 'INDIRECT_DESC, EVENT_IDX, BLK_F_FLUSH');
    assert.strictEqual(offered & (1 << 5), 0, 'not read-only');
    assert.strictEqual(d.negotiate(0, 0) & STATUS.FEATURES_OK, 0, 'no VERSION_1: refused');
    assert.strictEqual(d.negotiate(1 << 7) & STATUS.FEATURES_OK, 0, 'a feature not offered (bit 7): refused');
    assert.strictEqual(d.negotiate(1 << 9) & STATUS.FEATURES_OK, STATUS.FEATURES_OK);
    d.w(REG.DriverFeaturesSel, 0); d.w(REG.DriverFeatures, 1 << 28);
    assert.ok(d.dev.negotiated(9) && !d.dev.negotiated(28), 'DriverFeatures after FEATURES_OK is ignored');
  });

  it('queue registers: QueueNumMax, QueueReady per QueueSel, 64-bit ring addresses; notify before DRIVER_OK does nothing', () => {
    const { m, d } = blkMachine();
    d.w(REG.QueueSel, 1);
    assert.strictEqual(d.r(REG.QueueNumMax), 0, 'virtio-blk has one queue');
    d.w(REG.QueueReady, 1);
    assert.strictEqual(d.r(REG.QueueReady), 0);
    d.w(REG.QueueSel, 0);
    assert.strictEqual(d.r(REG.QueueNumMax), 1024);
    // Rings given with a non-zero high word are above 4 GiB: no RAM there, so the device stops.
    d.setupQueue(0, 8, { desc: 0x1_4010_0000, avail: AVAIL, used: USED });
    request(d, VIRTIO_BLK_T_GET_ID, 0, 20, true);
    assert.ok(d.r(REG.Status) & STATUS.DEVICE_NEEDS_RESET);
    assert.match(d.dev.lastError, /descriptor at 0x140100000/);
    assert.strictEqual(d.r(REG.InterruptStatus), 2, 'configuration change notification');
    // Reset (Status = 0) clears it all, including the interrupt.
    d.w(REG.Status, 0);
    assert.strictEqual(d.r(REG.Status), 0);
    assert.strictEqual(d.r(REG.InterruptStatus), 0);
    assert.strictEqual(d.dev.line, false);
    assert.strictEqual(d.r(REG.QueueReady), 0);
    // Set up again, but notify before DRIVER_OK: nothing is consumed.
    d.availIdx = 0;
    d.negotiate(1 << 9);
    d.w(REG.QueueNum, 8); d.w(REG.QueueDescLow, DESC); d.w(REG.QueueDriverLow, AVAIL); d.w(REG.QueueDeviceLow, USED); d.w(REG.QueueReady, 1);
    m.mem.write(USED + 2, 2, 0);
    request(d, VIRTIO_BLK_T_GET_ID, 0, 20, true);
    assert.strictEqual(d.usedIdx(), 0);
    d.w(REG.Status, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK | STATUS.DRIVER_OK);
    d.w(REG.QueueNotify, 0);
    assert.strictEqual(d.usedIdx(), 1, 'the chain made available earlier is taken at the next notify');
  });

  it('InterruptStatus bit 0 and the SPI on completion; InterruptACK clears them; NO_INTERRUPT suppresses', () => {
    const { m, d } = blkMachine();
    d.setupQueue(0, 8);
    // The GIC: INTID 79 enabled and routed, so pending is visible.
    request(d, VIRTIO_BLK_T_GET_ID, 0, 20, true);
    assert.strictEqual(d.r(REG.InterruptStatus), 1);
    assert.strictEqual(d.dev.line, true);
    assert.ok(m.gic.state.pendingAt(0, 79), 'SPI 47 (INTID 79) pending');
    d.w(REG.InterruptACK, 1);
    assert.strictEqual(d.r(REG.InterruptStatus), 0);
    assert.strictEqual(d.dev.line, false);
    m.mem.write(AVAIL, 2, 1);   // VIRTQ_AVAIL_F_NO_INTERRUPT (driver without EVENT_IDX)
    d.w(REG.Status, 0);
    d.availIdx = 0;
    d.negotiate(1 << 9);
    d.setupQueue(0, 8);
    m.mem.write(AVAIL, 2, 1);
    request(d, VIRTIO_BLK_T_GET_ID, 0, 20, true);
    assert.strictEqual(d.usedIdx(), 1);
    assert.strictEqual(d.r(REG.InterruptStatus), 0, 'suppressed');
  });

  it('VIRTIO_F_EVENT_IDX: interrupts only when used_event is crossed; avail_event published', () => {
    const { m, d } = blkMachine();
    d.w(REG.Status, 0);
    d.negotiate((1 << 9) | (1 << 29));
    d.setupQueue(0, 8);
    m.mem.write(AVAIL + 4 + 2 * 8, 2, 2);   // used_event = 2: interrupt when used idx passes 2
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      request(d, VIRTIO_BLK_T_GET_ID, 0, 20, true);
      seen.push(d.r(REG.InterruptStatus));
      d.w(REG.InterruptACK, 3);
    }
    assert.deepStrictEqual(seen, [0, 0, 1, 0], 'only the completion that moved used idx from 2 to 3');
    assert.strictEqual(m.mem.read(USED + 4 + 8 * 8, 2), 4, 'avail_event = next available index the device will read');
  });

  it('descriptor chains: data split over descriptors, indirect tables, and the used length', () => {
    const { m, d } = blkMachine();
    d.setupQueue(0, 8);
    // Write sector 3 from three readable descriptors (100 + 300 + 112 bytes) out of order in the table.
    const payload = Array.from({ length: 512 }, (_, i) => (i * 13 + 1) & 0xff);
    put(m, BUF + 0x1000, payload);
    header(m, BUF, VIRTIO_BLK_T_OUT, 3);
    d.writeDescs(DESC, [
      { addr: BUF, len: 16, flags: VIRTQ_DESC_F_NEXT, next: 5 },
      { addr: BUF + 0x100, len: 1, flags: VIRTQ_DESC_F_WRITE },
      { addr: BUF + 0x1000 + 400, len: 112, flags: VIRTQ_DESC_F_NEXT, next: 1 },
      { addr: 0, len: 0 }, { addr: 0, len: 0 },
      { addr: BUF + 0x1000, len: 100, flags: VIRTQ_DESC_F_NEXT, next: 6 },
      { addr: BUF + 0x1000 + 100, len: 300, flags: VIRTQ_DESC_F_NEXT, next: 2 },
    ]);
    d.offer(0, 8);
    assert.strictEqual(status(m), VIRTIO_BLK_S_OK);
    assert.deepStrictEqual(d.usedElem(0, 8), { id: 0, len: 1 });
    // Read it back through an indirect table (header, two writable halves, status).
    d.writeDescs(INDIRECT, [
      { addr: BUF + 0x200, len: 16, flags: VIRTQ_DESC_F_NEXT, next: 1 },
      { addr: BUF + 0x2000, len: 256, flags: VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, next: 2 },
      { addr: BUF + 0x3000, len: 256, flags: VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, next: 3 },
      { addr: BUF + 0x300, len: 1, flags: VIRTQ_DESC_F_WRITE },
    ]);
    header(m, BUF + 0x200, VIRTIO_BLK_T_IN, 3);
    d.writeDescs(DESC + 16 * 7, [{ addr: INDIRECT, len: 64, flags: VIRTQ_DESC_F_INDIRECT }]);
    d.offer(7, 8);
    assert.strictEqual(m.mem.read(BUF + 0x300, 1), VIRTIO_BLK_S_OK);
    assert.deepStrictEqual([...bytes(m, BUF + 0x2000, 256), ...bytes(m, BUF + 0x3000, 256)], payload);
    assert.deepStrictEqual(d.usedElem(1, 8), { id: 7, len: 513 });
  });

  it('a descriptor loop or a nested indirect table sets DEVICE_NEEDS_RESET instead of hanging', () => {
    for (const nested of [false, true]) {
      const { d } = blkMachine();
      d.setupQueue(0, 8);
      if (nested) {
        d.writeDescs(INDIRECT, [{ addr: INDIRECT, len: 16, flags: VIRTQ_DESC_F_INDIRECT }]);
        d.writeDescs(DESC, [{ addr: INDIRECT, len: 16, flags: VIRTQ_DESC_F_INDIRECT }]);
      } else {
        d.writeDescs(DESC, [{ addr: BUF, len: 16, flags: VIRTQ_DESC_F_NEXT, next: 1 }, { addr: BUF, len: 16, flags: VIRTQ_DESC_F_NEXT, next: 0 }]);
      }
      d.offer(0, 8);
      assert.ok(d.r(REG.Status) & STATUS.DEVICE_NEEDS_RESET);
      assert.match(d.dev.lastError, nested ? /indirect descriptor inside an indirect table/ : /loops/);
      assert.strictEqual(d.usedIdx(), 0);
    }
  });

  it('avail and used indices wrap around 0xffff → 0', () => {
    const { m, d } = blkMachine();
    d.setupQueue(0, 8);
    // Driver and device both at index 0xfffe (as after 65534 requests): ring slots 6, 7, 0, 1.
    d.dev.qLastAvail[0] = 0xfffe; d.dev.qUsedIdx[0] = 0xfffe;
    d.availIdx = 0xfffe;
    m.mem.write(USED + 2, 2, 0xfffe);
    const got: number[] = [];
    for (let i = 0; i < 4; i++) {
      header(m, BUF, VIRTIO_BLK_T_GET_ID, 0);
      d.writeDescs(DESC + 16 * i, [{ addr: BUF, len: 16, flags: VIRTQ_DESC_F_NEXT, next: 7 }]);
      d.writeDescs(DESC + 16 * 7, [{ addr: BUF + 0x100, len: 1, flags: VIRTQ_DESC_F_WRITE }]);
      m.mem.write(AVAIL + 4 + 2 * (d.availIdx % 8), 2, i);
      d.availIdx = (d.availIdx + 1) & 0xffff;
      m.mem.write(AVAIL + 2, 2, d.availIdx);
      d.w(REG.QueueNotify, 0);
      got.push(d.usedIdx());
    }
    assert.deepStrictEqual(got, [0xffff, 0, 1, 2]);
    assert.deepStrictEqual([0, 1, 2, 3].map((k) => d.usedElem(0xfffe + k, 8)), [0, 1, 2, 3].map((id) => ({ id, len: 1 })));
  });
});

describe('virtio-blk (virtio v1.2 5.2)', () => {
  it('config space: capacity in 512-byte sectors, seg_max, blk_size', () => {
    const { m } = blkMachine(new Uint8Array(20 * 512 + 100));
    const cfg = base(31) + REG.Config;
    assert.strictEqual(m.mem.read(cfg, 4), 20);
    assert.strictEqual(m.mem.read(cfg + 4, 4), 0);
    assert.strictEqual(m.mem.read(cfg, 1), 20, 'byte access');
    assert.strictEqual(m.mem.read(cfg + 12, 4), 254);
    assert.strictEqual(m.mem.read(cfg + 20, 4), 512);
  });

  it('VIRTIO_BLK_T_GET_ID answers the serial (20 bytes, NUL-padded)', () => {
    const { m, d } = blkMachine();
    d.setupQueue(0, 8);
    put(m, BUF + 0x1000, new Array(20).fill(0x55));
    request(d, VIRTIO_BLK_T_GET_ID, 0, 20, true);
    assert.strictEqual(status(m), VIRTIO_BLK_S_OK);
    assert.strictEqual(Buffer.from(bytes(m, BUF + 0x1000, 20)).toString('latin1'), 'armvirt-disk-0\0\0\0\0\0\0');
    assert.deepStrictEqual(d.usedElem(0, 8), { id: 0, len: 21 });
  });

  it('reads and writes land in the backend; out-of-range or partial sectors → VIRTIO_BLK_S_IOERR; unknown type → UNSUPP', () => {
    const disk = new Uint8Array(16 * 512).map((_, i) => i & 0xff);
    const { m, d, disk: be } = blkMachine(disk);
    d.setupQueue(0, 8);
    request(d, VIRTIO_BLK_T_IN, 2, 1024, true);
    assert.strictEqual(status(m), VIRTIO_BLK_S_OK);
    assert.deepStrictEqual(bytes(m, BUF + 0x1000, 1024), Array.from(disk.subarray(1024, 2048)));
    put(m, BUF + 0x1000, new Array(512).fill(0xab));
    request(d, VIRTIO_BLK_T_OUT, 15, 512, false);
    assert.strictEqual(status(m), VIRTIO_BLK_S_OK);
    assert.ok(be.bytes.subarray(15 * 512).every((b) => b === 0xab), 'last sector written');
    const copy = be.bytes.slice();
    request(d, VIRTIO_BLK_T_OUT, 16, 512, false);
    assert.strictEqual(status(m), VIRTIO_BLK_S_IOERR, 'sector 16 is past the end');
    request(d, VIRTIO_BLK_T_OUT, 15, 1024, false);
    assert.strictEqual(status(m), VIRTIO_BLK_S_IOERR, 'runs past the end');
    request(d, VIRTIO_BLK_T_IN, 2 ** 40, 512, true);
    assert.strictEqual(status(m), VIRTIO_BLK_S_IOERR, 'huge sector');
    request(d, VIRTIO_BLK_T_OUT, 0, 100, false);
    assert.strictEqual(status(m), VIRTIO_BLK_S_IOERR, 'not a whole sector');
    assert.deepStrictEqual(be.bytes, copy, 'nothing written by failed requests');
    request(d, 99, 0, 0, false);
    assert.strictEqual(status(m), VIRTIO_BLK_S_UNSUPP);
    request(d, VIRTIO_BLK_T_FLUSH, 0, 0, false);
    assert.strictEqual(status(m), VIRTIO_BLK_S_OK);
    assert.strictEqual(be.flushes, 1);
    m.flushDrives();
    assert.strictEqual(be.flushes, 2, 'Machine.flushDrives flushes every drive');
  });

  it('read-only: VIRTIO_BLK_F_RO offered, writes fail with IOERR, the backend is unchanged', () => {
    const backend = new MemoryBlockBackend(new Uint8Array(4 * 512).fill(7));
    const m = new Machine({ drives: [{ backend, readOnly: true }] });
    const d = new Driver(m, base(31));
    d.w(REG.DeviceFeaturesSel, 0);
    assert.ok(d.r(REG.DeviceFeatures) & (1 << 5));
    d.negotiate(1 << 5);
    d.setupQueue(0, 8);
    put(m, BUF + 0x1000, new Array(512).fill(1));
    request(d, VIRTIO_BLK_T_OUT, 0, 512, false);
    assert.strictEqual(status(m), VIRTIO_BLK_S_IOERR);
    assert.ok(backend.bytes.every((b) => b === 7));
    request(d, VIRTIO_BLK_T_IN, 0, 512, true);
    assert.strictEqual(status(m), VIRTIO_BLK_S_OK, 'reads work');
  });

  it('a transfer above 64 MiB is refused with VIRTIO_BLK_S_IOERR (no host allocation of its size)', () => {
    // A 1 GiB disk whose reads are only counted: the request is in range, just too large.
    let reads = 0;
    const backend = { size: 1 << 30, read: (_o: number, n: number) => { reads++; return new Uint8Array(n); }, write: () => undefined, flush: () => undefined };
    const m = new Machine({ drives: [{ backend }] });
    const d = new Driver(m, base(31));
    d.negotiate(0);
    d.setupQueue(0, 8);
    header(m, BUF, VIRTIO_BLK_T_IN, 0);
    d.writeDescs(DESC, [
      { addr: BUF, len: 16, flags: VIRTQ_DESC_F_NEXT, next: 1 },
      { addr: 0x44000000, len: (64 << 20) + 512, flags: VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, next: 2 },
      { addr: BUF + 0x100, len: 1, flags: VIRTQ_DESC_F_WRITE },
    ]);
    d.offer(0, 8);
    assert.strictEqual(status(m), VIRTIO_BLK_S_IOERR);
    assert.strictEqual(reads, 0);
  });

  it('a host storage failure reads as VIRTIO_BLK_S_IOERR', () => {
    const backend = new MemoryBlockBackend(new Uint8Array(4 * 512));
    backend.read = () => { throw new Error('EIO'); };
    const m = new Machine({ drives: [{ backend }] });
    const d = new Driver(m, base(31));
    d.negotiate(0);
    d.setupQueue(0, 8);
    request(d, VIRTIO_BLK_T_IN, 0, 512, true);
    assert.strictEqual(status(m), VIRTIO_BLK_S_IOERR);
  });

  it('drives take transports 31, 30, ... in order; snapshots restore the queue state', () => {
    const a = new MemoryBlockBackend(new Uint8Array(512)), b = new MemoryBlockBackend(new Uint8Array(1024));
    const m = new Machine({ drives: [{ backend: a }, { backend: b }] });
    assert.strictEqual(m.mem.read(base(31) + REG.Config, 4), 1);
    assert.strictEqual(m.mem.read(base(30) + REG.Config, 4), 2);
    assert.deepStrictEqual(m.drives.map((x) => x.capacity), [1, 2]);
    const d = new Driver(m, base(31));
    d.negotiate(0);
    d.setupQueue(0, 8);
    const snap = m.snapshot();
    const before = m.digest();
    request(d, VIRTIO_BLK_T_GET_ID, 0, 20, true);
    assert.notStrictEqual(m.digest().devices, before.devices);
    m.restore(snap);
    assert.strictEqual(m.digest().devices, before.devices);
    assert.strictEqual(d.dev.qLastAvail[0], 0);
  });
});

describe('virtio-console (virtio v1.2 5.3)', () => {
  function consoleMachine(): { m: Machine; d: Driver; out: number[] } {
    const out: number[] = [];
    const m = new Machine({ virtioConsole: true, output: (b) => out.push(...b) });
    const d = new Driver(m, base(31));
    assert.strictEqual(d.r(REG.DeviceID), 3);
    d.negotiate(0);
    return { m, d, out };
  }

  it('transmitq: the readable buffers of each chain reach the machine output, in order', () => {
    const { m, d, out } = consoleMachine();
    d.setupQueue(1, 4);
    put(m, BUF, Buffer.from('hello, '));
    put(m, BUF + 0x100, Buffer.from('virtio\n'));
    d.writeDescs(DESC, [{ addr: BUF, len: 7, flags: VIRTQ_DESC_F_NEXT, next: 1 }, { addr: BUF + 0x100, len: 7 }]);
    d.offer(0, 4, 1);
    assert.strictEqual(Buffer.from(out).toString('latin1'), 'hello, virtio\n');
    assert.deepStrictEqual(d.usedElem(0, 4), { id: 0, len: 0 });
    assert.strictEqual(d.r(REG.InterruptStatus), 1);
  });

  it('receiveq: input waits for receive buffers, fills them, and nothing is lost', () => {
    const { m, d } = consoleMachine();
    m.virtioConsole!.receive(Buffer.from('abcdefgh'));
    d.setupQueue(0, 4);
    d.writeDescs(DESC, [{ addr: BUF, len: 5, flags: VIRTQ_DESC_F_WRITE }, { addr: BUF + 0x100, len: 16, flags: VIRTQ_DESC_F_WRITE }]);
    d.offer(0, 4, 0);
    assert.deepStrictEqual(d.usedElem(0, 4), { id: 0, len: 5 });
    assert.strictEqual(Buffer.from(bytes(m, BUF, 5)).toString('latin1'), 'abcde');
    assert.strictEqual(d.usedIdx(), 1, 'no more buffers: the rest waits');
    d.offer(1, 4, 0);
    assert.deepStrictEqual(d.usedElem(1, 4), { id: 1, len: 3 });
    assert.strictEqual(Buffer.from(bytes(m, BUF + 0x100, 3)).toString('latin1'), 'fgh');
    // A buffer offered with nothing pending stays available until input arrives.
    d.writeDescs(DESC + 32, [{ addr: BUF + 0x200, len: 16, flags: VIRTQ_DESC_F_WRITE }]);
    d.offer(2, 4, 0);
    assert.strictEqual(d.usedIdx(), 2);
    m.virtioConsole!.receive([0x71]);
    assert.strictEqual(d.usedIdx(), 3);
    assert.deepStrictEqual(d.usedElem(2, 4), { id: 2, len: 1 });
    assert.strictEqual(m.mem.read(BUF + 0x200, 1), 0x71);
  });

  it('VIRTIO_CONSOLE_F_MULTIPORT: DEVICE_READY → DEVICE_ADD; PORT_READY → CONSOLE_PORT, PORT_OPEN; the guest\'s PORT_OPEN recorded', () => {
    const out: number[] = [];
    const m = new Machine({ virtioConsole: true, output: (b) => out.push(...b) });
    const d = new Driver(m, base(31));
    d.w(REG.DeviceFeaturesSel, 0);
    assert.ok(d.r(REG.DeviceFeatures) & 2, 'MULTIPORT offered');
    assert.strictEqual(d.negotiate(2) & STATUS.FEATURES_OK, STATUS.FEATURES_OK);
    // Control receiveq (2) and control transmitq (3), each with its own rings.
    const CR = 0x40400000, CT = 0x40500000;
    d.setupQueue(2, 8, { desc: CR, avail: CR + 0x100, used: CR + 0x200 });
    d.setupQueue(3, 8, { desc: CT, avail: CT + 0x100, used: CT + 0x200 });
    // The driver posts four 8-byte control receive buffers.
    for (let i = 0; i < 4; i++) {
      m.mem.write(CR + 16 * i, 4, BUF + 0x100 * i); m.mem.write(CR + 16 * i + 4, 4, 0);
      m.mem.write(CR + 16 * i + 8, 4, 8); m.mem.write(CR + 16 * i + 12, 2, VIRTQ_DESC_F_WRITE);
      m.mem.write(CR + 0x104 + 2 * i, 2, i);
    }
    m.mem.write(CR + 0x102, 2, 4);
    d.w(REG.QueueNotify, 2);
    assert.strictEqual(m.mem.read(CR + 0x202, 2), 0, 'nothing to say before DEVICE_READY');
    let sent = 0;
    const send = (id: number, event: number, value: number): void => {
      const a = BUF + 0x1000 + 16 * sent;
      m.mem.write(a, 4, id); m.mem.write(a + 4, 2, event); m.mem.write(a + 6, 2, value);
      m.mem.write(CT + 16 * sent, 4, a); m.mem.write(CT + 16 * sent + 4, 4, 0); m.mem.write(CT + 16 * sent + 8, 4, 8); m.mem.write(CT + 16 * sent + 12, 2, 0);
      m.mem.write(CT + 0x104 + 2 * sent, 2, sent);
      sent++;
      m.mem.write(CT + 0x102, 2, sent);
      d.w(REG.QueueNotify, 3);
    };
    const msg = (i: number): number[] => [m.mem.read(BUF + 0x100 * i, 4), m.mem.read(BUF + 0x100 * i + 4, 2), m.mem.read(BUF + 0x100 * i + 6, 2)];
    send(0xffffffff, 0, 1);   // DEVICE_READY
    assert.strictEqual(m.mem.read(CR + 0x202, 2), 1);
    assert.deepStrictEqual(msg(0), [0, 1, 0], 'DEVICE_ADD port 0');
    send(0, 3, 1);            // PORT_READY port 0
    assert.strictEqual(m.mem.read(CR + 0x202, 2), 3);
    assert.deepStrictEqual([msg(1), msg(2)], [[0, 4, 1], [0, 6, 1]], 'CONSOLE_PORT, PORT_OPEN');
    assert.strictEqual(m.virtioConsole!.guestOpen, false);
    send(0, 6, 1);            // the guest opens the port
    assert.strictEqual(m.virtioConsole!.guestOpen, true);
    assert.strictEqual(m.mem.read(CT + 0x202, 2), 3, 'every control message returned');
    // A reset forgets the conversation.
    d.w(REG.Status, 0);
    assert.strictEqual(m.virtioConsole!.guestOpen, false);
  });

  it('config: max_nr_ports 1; emerg_wr writes a byte to the output', () => {
    const { m, out } = consoleMachine();
    assert.strictEqual(m.mem.read(base(31) + REG.Config + 4, 4), 1);
    m.mem.write(base(31) + REG.Config + 8, 4, 0x21);
    assert.deepStrictEqual(out, [0x21]);
  });
});
