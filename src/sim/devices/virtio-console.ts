// virtio console device (OASIS virtio v1.2 section 5.3) on a virtio-mmio transport: one port,
// port 0 (receiveq 0, transmitq 1), the emergency write register (VIRTIO_CONSOLE_F_EMERG_WRITE)
// and VIRTIO_CONSOLE_F_MULTIPORT with its control queues (2: control receiveq, 3: control
// transmitq) announcing port 0 as the console, as QEMU's virtio-serial-device with a virtconsole
// does. Output goes where the PL011's goes (the machine's output); input is queued host-side
// until the driver makes receive buffers available, so no byte is lost. Work happens
// synchronously at the queue notification and at receive().
import { VirtioMmio, type VirtioLink } from './virtio-mmio';
import { gather, scatter } from './virtqueue';

/** Device ID of a console (5 "Device Types"). */
export const VIRTIO_ID_CONSOLE = 3;
/** Feature bits (5.3.3). */
export const VIRTIO_CONSOLE_F_SIZE = 0, VIRTIO_CONSOLE_F_MULTIPORT = 1, VIRTIO_CONSOLE_F_EMERG_WRITE = 2;
/** Queues (5.3.2): port 0's, then the control queues (with MULTIPORT). */
export const RECEIVEQ = 0, TRANSMITQ = 1, CONTROL_RECEIVEQ = 2, CONTROL_TRANSMITQ = 3;
/** struct virtio_console_control events (5.3.6.2). */
export const VIRTIO_CONSOLE = {
  DEVICE_READY: 0, DEVICE_ADD: 1, DEVICE_REMOVE: 2, PORT_READY: 3, CONSOLE_PORT: 4, RESIZE: 5, PORT_OPEN: 6, PORT_NAME: 7,
} as const;
/** Size of struct virtio_console_control: le32 id, le16 event, le16 value. */
const CONTROL_BYTES = 8;
/** Offset of emerg_wr in struct virtio_console_config (5.3.4). */
const EMERG_WR = 8;

export class VirtioConsole extends VirtioMmio {
  /** Input bytes not yet delivered to a receive buffer (kept in snapshots with the device). */
  readonly pending: number[] = [];
  /** Control messages for the driver not yet delivered (8 bytes each, MULTIPORT). */
  readonly controlOut: number[] = [];
  /** The driver opened port 0 (its last PORT_OPEN value; MULTIPORT). */
  guestOpen = false;

  constructor(link: VirtioLink, private readonly out: (bytes: Uint8Array) => void) {
    super(link, VIRTIO_ID_CONSOLE, 4);
  }

  protected override deviceFeatureBits(): number { return (1 << VIRTIO_CONSOLE_F_EMERG_WRITE) | (1 << VIRTIO_CONSOLE_F_MULTIPORT); }

  /** struct virtio_console_config: cols, rows (no F_SIZE: 0), max_nr_ports (1), emerg_wr (write-only). */
  protected override configSpace(): Uint8Array {
    const c = new Uint8Array(12);
    new DataView(c.buffer).setUint32(4, 1, true);
    return c;
  }

  /**
   * 5.3.6.1: a write to emerg_wr outputs its low byte; the feature being offered, the driver may
   * use it before feature negotiation (early console).
   */
  protected override configWrite(offset: number, _size: number, value: number): void {
    if (offset === EMERG_WR) this.out(Uint8Array.of(value & 0xff));
  }

  /** Host input for the guest (the CLI's stdin, the debugger's console). */
  receive(bytes: Uint8Array | number[]): void {
    for (const b of bytes) this.pending.push(b & 0xff);
    this.deliver();
  }

  /** The driver has made receive buffers available that input would fill (the guest waits for input). */
  get waitsForInput(): boolean {
    if (!this.queueLive(RECEIVEQ)) return false;
    const avail = this.qDriverHi[RECEIVEQ] * 0x100000000 + this.qDriverLo[RECEIVEQ];
    return this.link.ram.isRam(avail, 4) && this.link.ram.u16(avail + 2, 'available ring') !== this.qLastAvail[RECEIVEQ];
  }

  /** Pending input stays for the next driver; the control conversation starts again. */
  protected override deviceReset(): void {
    this.controlOut.length = 0;
    this.guestOpen = false;
  }

  protected override notified(q: number): void {
    const multiport = this.negotiated(VIRTIO_CONSOLE_F_MULTIPORT);
    if (q === CONTROL_TRANSMITQ && multiport) {
      this.serviceQueue(q, (c) => {
        const data = gather(this.link.ram, c.readable, 0x10000);
        for (let o = 0; o + CONTROL_BYTES <= data.length; o += CONTROL_BYTES) this.control(data.subarray(o, o + CONTROL_BYTES));
        return 0;
      });
      this.deliverControl();
    } else if (q === CONTROL_RECEIVEQ && multiport) this.deliverControl();
    else if (q === TRANSMITQ) {
      // 5.3.6.2: the driver's output is the readable part of each chain; nothing is written back.
      this.serviceQueue(q, (c) => {
        // In pieces of at most 64 KiB, so a huge buffer never becomes one huge host allocation.
        for (const seg of c.readable) {
          for (let o = 0; o < seg.len; o += 0x10000) this.out(this.link.ram.read(seg.addr + o, Math.min(0x10000, seg.len - o)));
        }
        return 0;
      });
    } else if (q === RECEIVEQ) this.deliver();
  }

  /**
   * A control message from the driver (5.3.6.2.2): DEVICE_READY is answered with DEVICE_ADD for
   * port 0; PORT_READY for port 0 with CONSOLE_PORT and PORT_OPEN (the host side is connected);
   * PORT_OPEN records whether the guest has the port open. Others are ignored.
   */
  private control(msg: Uint8Array): void {
    const v = new DataView(msg.buffer, msg.byteOffset, CONTROL_BYTES);
    const id = v.getUint32(0, true), event = v.getUint16(4, true), value = v.getUint16(6, true);
    switch (event) {
      case VIRTIO_CONSOLE.DEVICE_READY:
        if (value === 1) this.sendControl(0, VIRTIO_CONSOLE.DEVICE_ADD, 0);
        return;
      case VIRTIO_CONSOLE.PORT_READY:
        if (id === 0 && value === 1) {
          this.sendControl(0, VIRTIO_CONSOLE.CONSOLE_PORT, 1);
          this.sendControl(0, VIRTIO_CONSOLE.PORT_OPEN, 1);
        }
        return;
      case VIRTIO_CONSOLE.PORT_OPEN:
        if (id === 0) this.guestOpen = value === 1;
        return;
      default:
        return;
    }
  }

  private sendControl(id: number, event: number, value: number): void {
    this.controlOut.push(id & 0xff, (id >>> 8) & 0xff, (id >>> 16) & 0xff, id >>> 24, event & 0xff, event >>> 8, value & 0xff, value >>> 8);
  }

  /** Hands queued control messages to the driver, one per buffer. */
  private deliverControl(): void {
    if (this.controlOut.length === 0) return;
    this.serviceQueue(CONTROL_RECEIVEQ, (c) => {
      let room = 0;
      for (const s of c.writable) room += s.len;
      // 5.3.6.2.2: each buffer carries one message; a buffer too small for one is returned empty.
      if (room < CONTROL_BYTES) return 0;
      return scatter(this.link.ram, c.writable, Uint8Array.from(this.controlOut.splice(0, CONTROL_BYTES)));
    }, () => this.controlOut.length > 0);
  }

  /** Fills the driver's receive buffers with pending input. */
  private deliver(): void {
    if (this.pending.length === 0) return;
    this.serviceQueue(RECEIVEQ, (c) => {
      let room = 0;
      for (const s of c.writable) room += s.len;
      const n = Math.min(room, this.pending.length);
      const data = Uint8Array.from(this.pending.splice(0, n));
      return scatter(this.link.ram, c.writable, data);
    }, () => this.pending.length > 0);
  }
}
