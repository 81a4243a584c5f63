// PL031 real-time clock as on QEMU's virt board at 0x0901_0000 (SPI 2 = INTID 34). ARM DDI0224
// (PL031 TRM) for the registers. The clock counts seconds of *simulated* time from a start value
// fixed when the machine is built (the host's wall clock by default, or a given epoch), so a run
// is deterministic once that value is fixed and the guest sees time advance as it executes.
// The match interrupt is evaluated whenever the guest touches the RTC and at each timer deadline
// the board reports (Pl031.poll), which is how often the simulated clock is observed anyway.
import type { MmioDevice } from '../memory';

const RTCDR = 0x000, RTCMR = 0x004, RTCLR = 0x008, RTCCR = 0x00c, RTCIMSC = 0x010, RTCRIS = 0x014, RTCMIS = 0x018,
  RTCICR = 0x01c;
/** Peripheral and PrimeCell identification registers at 0xFE0..0xFFC (PL031). */
const ID = [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class Pl031 implements MmioDevice {
  readonly name = 'pl031';
  /** RTCDR = offset + whole seconds of simulated time (RTCLR writes move the offset). */
  offset: number;
  mr = 0;
  /** RTCCR.RTCStart: QEMU's model (and Linux's driver) treat the counter as running from reset. */
  cr = 1;
  imsc = 0;
  ris = 0;
  line = false;
  /** RTCDR when the match was last evaluated: the match fires when the count passes RTCMR. */
  seen: number;

  /**
   * @param seconds simulated seconds elapsed, seen by PE `pe` (its clock / counter frequency)
   * @param irq drives the interrupt output (SPI 2)
   * @param epoch RTCDR at simulated time 0 (seconds since 1970)
   */
  constructor(
    private readonly seconds: (pe: number) => number,
    private readonly irq: (level: boolean) => void,
    epoch: number,
  ) {
    this.offset = epoch >>> 0;
    this.seen = this.offset;
  }

  private now(pe: number): number { return (this.offset + Math.floor(this.seconds(pe))) >>> 0; }

  read(offset: number, _size: number, pe: number): number {
    switch (offset & 0xffc) {
      case RTCDR: this.check(pe); return this.now(pe);
      case RTCMR: return this.mr;
      case RTCLR: return this.now(pe);
      case RTCCR: return this.cr;
      case RTCIMSC: return this.imsc;
      case RTCRIS: this.check(pe); return this.ris;
      case RTCMIS: this.check(pe); return this.ris & this.imsc;
      default:
        if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
        return 0;
    }
  }

  write(offset: number, _size: number, value: number, pe: number): void {
    switch (offset & 0xffc) {
      case RTCMR: this.mr = value >>> 0; this.seen = (this.now(pe) - 1) >>> 0; this.check(pe); return;
      case RTCLR: this.offset = (value - Math.floor(this.seconds(pe))) >>> 0; this.seen = (this.now(pe) - 1) >>> 0; this.check(pe); return;
      case RTCCR: this.cr = value & 1 ? 1 : this.cr; return;   // once started it cannot be stopped (TRM 3.3.4)
      case RTCIMSC: this.imsc = value & 1; this.update(); return;
      case RTCICR: this.ris &= ~(value & 1); this.update(); return;
      default: return;
    }
  }

  /** Called by the board when simulated time moved (timer deadlines): raises the match interrupt when due. */
  poll(pe: number): void { this.check(pe); }

  /**
   * RTCRIS is set when the counter reaches the match register (TRM 2.2). The count is sampled, so
   * the match fires if RTCMR lies in (last sample, now]: a match already in the past when RTCMR
   * is written fires only after the counter wraps, as on the hardware.
   */
  private check(pe: number): void {
    const now = this.now(pe);
    const passed = (now - this.seen) >>> 0, toMatch = (this.mr - this.seen) >>> 0;
    this.seen = now;
    if (toMatch !== 0 && toMatch <= passed) { this.ris |= 1; this.update(); }
  }

  private update(): void {
    const level = (this.ris & this.imsc) !== 0;
    if (level !== this.line) { this.line = level; this.irq(level); }
  }
}
