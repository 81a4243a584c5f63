// virtio console device (OASIS virtio v1.2 section 5.3) on a virtio-mmio transport: one port
// (no VIRTIO_CONSOLE_F_MULTIPORT), receiveq 0 and transmitq 1, plus the emergency write
// register (VIRTIO_CONSOLE_F_EMERG_WRITE). Output goes where the PL011's goes (the machine's
// output); input is queued host-side until the driver makes receive buffers available, so no
// byte is lost. Work happens synchronously at the queue notification and at receive().
import { VirtioMmio, type VirtioLink } from './virtio-mmio';
import { gather, scatter } from './virtqueue';

/** Device ID of a console (5 "Device Types"). */
export const VIRTIO_ID_CONSOLE = 3;
/** Feature bits (5.3.3). */
export const VIRTIO_CONSOLE_F_SIZE = 0, VIRTIO_CONSOLE_F_MULTIPORT = 1, VIRTIO_CONSOLE_F_EMERG_WRITE = 2;
/** Queues of port 0 (5.3.2). */
export const RECEIVEQ = 0, TRANSMITQ = 1;
/** Offset of emerg_wr in struct virtio_console_config (5.3.4). */
const EMERG_WR = 8;

export class VirtioConsole extends VirtioMmio {
  /** Input bytes not yet delivered to a receive buffer (kept in snapshots with the device). */
  readonly pending: number[] = [];

  constructor(link: VirtioLink, private readonly out: (bytes: Uint8Array) => void) {
    super(link, VIRTIO_ID_CONSOLE, 2);
  }

  protected override deviceFeatureBits(): number { return 1 << VIRTIO_CONSOLE_F_EMERG_WRITE; }

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

  protected override deviceReset(): void { /* pending input stays for the next driver */ }

  protected override notified(q: number): void {
    if (q === TRANSMITQ) {
      // 5.3.6.2: the driver's output is the readable part of each chain; nothing is written back.
      this.serviceQueue(q, (c) => {
        const data = gather(this.link.ram, c.readable);
        if (data.length > 0) this.out(data);
        return 0;
      });
    } else if (q === RECEIVEQ) this.deliver();
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
