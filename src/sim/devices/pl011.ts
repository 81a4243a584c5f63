// PL011 UART as on QEMU's virt board at 0x0900_0000 (SPI 1 = INTID 33). ARM DDI0183 (PL011
// TRM) for the registers; QEMU's model for what software can observe of timing: a written byte
// leaves at once (the transmit FIFO is always empty, TXFE set, the TX interrupt raised after every
// write), and the receive interrupt fires as soon as one character is waiting (QEMU keeps the
// receive trigger at one character whatever UARTIFLS says). Linux's amba-pl011 driver sends
// user-space output with the TX interrupt and reads input with RX/RT, so both matter.
//
// Every field is a primitive or a primitive array, so machine snapshots (src/sim/snapshot.ts)
// capture the device whole, FIFO included.
import type { MmioDevice } from '../memory';

const UARTDR = 0x000, UARTRSR = 0x004, UARTFR = 0x018, UARTILPR = 0x020, UARTIBRD = 0x024, UARTFBRD = 0x028,
  UARTLCR_H = 0x02c, UARTCR = 0x030, UARTIFLS = 0x034, UARTIMSC = 0x038, UARTRIS = 0x03c, UARTMIS = 0x040,
  UARTICR = 0x044, UARTDMACR = 0x048;
/** Peripheral and PrimeCell identification registers at 0xFE0..0xFFC (PL011 r1p5). */
const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
/** UARTFR bits (TRM 3.3.3). */
const FR_RXFE = 1 << 4, FR_TXFF = 1 << 5, FR_RXFF = 1 << 6, FR_TXFE = 1 << 7;
/** Interrupt bits of UARTRIS/UARTMIS/UARTIMSC/UARTICR (TRM 3.3.12–3.3.15). */
export const PL011_INT = { RX: 1 << 4, TX: 1 << 5, RT: 1 << 6 } as const;
const INT_MASK = 0x7ff;
/** UARTLCR_H.FEN: FIFOs enabled (32 entries), else a one-character holding register. */
const LCRH_FEN = 1 << 4;

export class Pl011 implements MmioDevice {
  readonly name = 'pl011';
  cr = 0x300;          // UARTCR reset: TXE | RXE (TRM 3.3.8)
  lcrH = 0;
  ifls = 0x12;
  imsc = 0;
  /** Raw interrupt status. */
  ris = 0;
  ibrd = 0;
  fbrd = 0;
  ilpr = 0;
  dmacr = 0;
  /** Receive FIFO (bytes; UARTDR also reports error bits 8–11, always clear here). */
  rx: number[] = [];
  /** Level of the interrupt output last driven, so the line is driven only on a change. */
  line = false;
  /**
   * Called once, the first time the guest looks at the receive side: reads UARTDR or UARTFR, or
   * unmasks a receive interrupt. `armvirt run` opens stdin only then, so a program that never reads
   * its console does not pay for Node's stdin streams. A host hook, not device state: snapshots and
   * digests (which take primitive fields only) leave it out, and it changes nothing the guest sees.
   */
  onInputInterest: (() => void) | null = null;

  constructor(
    private readonly out: (byte: number) => void,
    private readonly irq: (level: boolean) => void = () => undefined,
  ) {}

  private get rxDepth(): number { return this.lcrH & LCRH_FEN ? 32 : 1; }

  /**
   * Input bytes not yet in the receive FIFO: the host side of the line (CLI stdin, the debugger's
   * console). They move into the FIFO as the guest makes room, as QEMU's character back-ends do
   * (they offer input only while the UART can take it), so no byte is ever lost to an overrun.
   */
  pending: number[] = [];

  /** Bytes arriving on the receive line. */
  receive(bytes: Uint8Array | readonly number[]): void {
    for (const b of bytes) this.pending.push(b & 0xff);
    this.fill();
  }

  /**
   * True when a received byte would raise the interrupt (UARTIMSC.RXIM or RTIM set; like QEMU,
   * UARTCR's enables are not checked). The CLI waits for stdin instead of reporting a deadlock
   * when every PE sleeps and this holds.
   */
  get waitsForInput(): boolean { return (this.imsc & (PL011_INT.RX | PL011_INT.RT)) !== 0; }

  private fill(): void {
    const depth = this.rxDepth;
    let moved = false;
    while (this.rx.length < depth && this.pending.length > 0) { this.rx.push(this.pending.shift()!); moved = true; }
    if (moved) { this.ris |= PL011_INT.RX; this.update(); }
  }

  read(offset: number): number {
    switch (offset & 0xffc) {
      case UARTDR: {
        if (this.onInputInterest) this.inputInterest();
        const b = this.rx.length > 0 ? this.rx.shift()! : 0;
        if (this.rx.length === 0) { this.ris &= ~(PL011_INT.RX | PL011_INT.RT); this.update(); }
        this.fill();
        return b;
      }
      case UARTRSR: return 0;
      case UARTFR: {
        if (this.onInputInterest) this.inputInterest();
        let fr = FR_TXFE;
        if (this.rx.length === 0) fr |= FR_RXFE;
        if (this.rx.length >= this.rxDepth) fr |= FR_RXFF;
        return fr & ~FR_TXFF;
      }
      case UARTILPR: return this.ilpr;
      case UARTIBRD: return this.ibrd;
      case UARTFBRD: return this.fbrd;
      case UARTLCR_H: return this.lcrH;
      case UARTCR: return this.cr;
      case UARTIFLS: return this.ifls;
      case UARTIMSC: return this.imsc;
      case UARTRIS: return this.ris;
      case UARTMIS: return this.ris & this.imsc;
      case UARTDMACR: return this.dmacr;
      default:
        if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset & 0xffc) {
      case UARTDR:
        this.out(value & 0xff);
        // The byte is gone at once: the transmit FIFO is empty again (QEMU raises TX here too).
        this.ris |= PL011_INT.TX;
        this.update();
        return;
      case UARTRSR: return;   // write clears the error flags (none are ever set)
      case UARTILPR: this.ilpr = value & 0xff; return;
      case UARTIBRD: this.ibrd = value & 0xffff; return;
      case UARTFBRD: this.fbrd = value & 0x3f; return;
      case UARTLCR_H:
        // Changing FEN flushes nothing in QEMU; shrinking to a 1-entry holding register keeps what is queued.
        this.lcrH = value & 0xff;
        this.fill();
        return;
      case UARTCR: this.cr = value & 0xffff; return;
      case UARTIFLS: this.ifls = value & 0x3f; return;
      case UARTIMSC:
        this.imsc = value & INT_MASK;
        if (this.onInputInterest && (this.imsc & (PL011_INT.RX | PL011_INT.RT)) !== 0) this.inputInterest();
        this.update();
        return;
      case UARTICR: this.ris &= ~value; this.update(); return;
      case UARTDMACR: this.dmacr = value & 7; return;
      default: return;
    }
  }

  private inputInterest(): void {
    const f = this.onInputInterest;
    this.onInputInterest = null;
    f?.();
  }

  /** Drives the interrupt output: UARTINTR = OR of the masked interrupt status (TRM 2.8). */
  private update(): void {
    const level = (this.ris & this.imsc) !== 0;
    if (level !== this.line) { this.line = level; this.irq(level); }
  }
}

/** A region that reads as zero and ignores writes (reserved device space). */
export class RazWi implements MmioDevice {
  constructor(readonly name: string) {}
  read(): number { return 0; }
  write(): void { /* ignored */ }
}
