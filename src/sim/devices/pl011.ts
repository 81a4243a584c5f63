// PL011 UART (transmit side), as on QEMU's virt board at 0x0900_0000. Output bytes are
// handed to the board's sink; the receive FIFO is always empty. ARM DDI0183 (PL011 TRM).
import type { MmioDevice } from '../memory';

const UARTDR = 0x000, UARTFR = 0x018, UARTIBRD = 0x024, UARTFBRD = 0x028, UARTLCR_H = 0x02c, UARTCR = 0x030,
  UARTIFLS = 0x034, UARTIMSC = 0x038, UARTRIS = 0x03c, UARTMIS = 0x040, UARTICR = 0x044;
/** Peripheral and PrimeCell identification registers at 0xFE0..0xFFC. */
const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
/** Flag register: transmit FIFO empty (TXFE) and receive FIFO empty (RXFE). */
const FR_TXFE = 1 << 7, FR_RXFE = 1 << 4;

export class Pl011 implements MmioDevice {
  readonly name = 'pl011';
  private regs = new Map<number, number>([[UARTCR, 0x300], [UARTIFLS, 0x12]]);
  constructor(private readonly out: (byte: number) => void) {}

  read(offset: number): number {
    if (offset === UARTFR) return FR_TXFE | FR_RXFE;
    if (offset === UARTDR) return 0;
    if (offset === UARTRIS || offset === UARTMIS) return 0;
    if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
    return this.regs.get(offset & ~3) ?? 0;
  }

  write(offset: number, _size: number, value: number): void {
    if (offset === UARTDR) { this.out(value & 0xff); return; }
    if (offset === UARTICR) return;
    if ([UARTIBRD, UARTFBRD, UARTLCR_H, UARTCR, UARTIFLS, UARTIMSC].includes(offset)) this.regs.set(offset, value);
  }
}

/** A region that reads as zero and ignores writes (reserved device space). */
export class RazWi implements MmioDevice {
  constructor(readonly name: string) {}
  read(): number { return 0; }
  write(): void { /* ignored */ }
}
