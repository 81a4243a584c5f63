// PL011 receive path and interrupts, PL031 clock and match, through a real guest: an EL1 program
// with a GICv3 takes the UART's SPI 33 and echoes each received byte + 1. Input is fed with
// machine.uart.receive while the guest waits in WFI; bytes beyond the FIFO wait on the host side
// and none is lost. Register-level behaviour against QEMU is in test/diff/programs/055-pl011-pl031.s.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Machine } from '../../../../src/sim/machine';
import { loadProgram } from '../../../../src/asm/program';

const ECHO = `
        .equ UART, 0x09000000
        .equ GICD, 0x08000000
        .equ GICR_RD, 0x080A0000
_start: ldr     x0, =vectors
        msr     vbar_el1, x0
        ldr     x1, =GICD
        mov     w0, #0x12
        str     w0, [x1]                 // GICD_CTLR: EnableGrp1NS, ARE_NS
        ldr     x2, =GICR_RD
        str     wzr, [x2, #0x14]         // GICR_WAKER
        mov     w0, #2
        str     w0, [x1, #0x84]          // INTID 33 in Group 1
        mov     w0, #0xa0
        strb    w0, [x1, #0x421]
        str     xzr, [x1, #0x6108]       // GICD_IROUTER33 = PE 0
        mov     w0, #2
        str     w0, [x1, #0x104]         // enable INTID 33
        mov     x0, #0xff
        msr     S3_0_C4_C6_0, x0         // ICC_PMR_EL1
        mov     x0, #1
        msr     S3_0_C12_C12_7, x0       // ICC_IGRPEN1_EL1
        ldr     x9, =UART
        mov     w0, #0x10
        str     w0, [x9, #0x2c]          // UARTLCR_H.FEN: 32-entry FIFOs
        str     w0, [x9, #0x38]          // UARTIMSC.RXIM
        msr     daifclr, #2
1:      wfi
        b       1b

irq:    mrs     x1, S3_0_C12_C12_0       // ICC_IAR1_EL1
2:      ldr     w0, [x9, #0x18]          // drain the FIFO
        tbnz    w0, #4, 3f               // RXFE
        ldr     w0, [x9]
        cmp     w0, #'q'
        b.eq    quit
        add     w0, w0, #1
        str     w0, [x9]
        add     x20, x20, #1             // bytes handled
        b       2b
3:      add     x21, x21, #1             // interrupts taken
        msr     S3_0_C12_C12_1, x1       // ICC_EOIR1_EL1
        eret
quit:   mov     x0, #0x18
        ldr     x1, =exitblk
        hlt     #0xf000
exitblk: .quad 0x20026, 0

        .balign 0x800
vectors:
        .space  0x280
        b       irq
`;

function boot(src: string, opts: { fifo?: boolean } = {}): { m: Machine; out: number[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-uart-'));
  const file = path.join(dir, 'echo.s');
  fs.writeFileSync(file, opts.fifo === false ? src.replace('str     w0, [x9, #0x2c]', 'str     wzr, [x9, #0x2c]') : src);
  const p = loadProgram(file);
  const out: number[] = [];
  const m = new Machine({ entryEL: 1, gic: 'v3', output: (b) => out.push(...b) });
  m.load(p.segments, p.entry);
  return { m, out };
}

describe('PL011 receive and interrupts (SPI 33)', () => {
  for (const fifo of [true, false]) {
    it(`echoes input through the RX interrupt${fifo ? '' : ' with FIFOs off (1-byte holding register)'}, losing nothing`, () => {
      const { m, out } = boot(ECHO, { fifo });
      assert.equal(m.run(200_000).reason, 'deadlock', 'waits in WFI for input');
      const text = 'hello, world: 0123456789 abcdefghijklmnoprstuvwxyz ABCDEFGHIJ';   // longer than the FIFO; no 'q' (quits)
      m.uart.receive(Buffer.from(text));
      m.run(2_000_000);
      assert.equal(Buffer.from(out).toString('latin1'), [...text].map((c) => String.fromCharCode(c.charCodeAt(0) + 1)).join(''));
      const pe = m.pes[0];
      assert.equal(pe.x[40], text.length, 'x20: every byte handled once');
      assert.ok(pe.x[42] >= 1, 'x21: interrupts taken');
      m.uart.receive(Buffer.from('q'));
      const r = m.run(1_000_000);
      assert.equal(r.reason, 'exit');
    });
  }

  it('the input queue is part of machine snapshots (restore replays the same bytes)', () => {
    const { m, out } = boot(ECHO);
    m.run(200_000);
    m.uart.receive(Buffer.from('abc'));
    const snap = m.snapshot();
    m.run(1_000_000);
    const first = Buffer.from(out).toString();
    m.restore(snap);
    out.length = 0;
    m.run(1_000_000);
    assert.equal(Buffer.from(out).toString(), first);
    assert.equal(first, 'bcd');
  });
});

describe('PL031 real-time clock', () => {
  it('counts simulated seconds from the configured epoch (62.5 MHz counter)', () => {
    const m = new Machine({ rtcEpoch: 1_000_000 });
    const pe = m.pes[0];
    assert.equal(m.rtc.read(0, 4, 0), 1_000_000);
    pe.cycles = 62_500_000 * 3 + 5;
    assert.equal(m.rtc.read(0, 4, 0), 1_000_003);
    m.rtc.write(8, 4, 500, 0);                      // RTCLR
    assert.equal(m.rtc.read(0, 4, 0), 500);
    pe.cycles += 62_500_000;
    assert.equal(m.rtc.read(0, 4, 0), 501);
  });

  it('a match in the future fires when the count passes it (sampled at timer deadlines), and drives INTID 34', () => {
    const m = new Machine({ rtcEpoch: 100 });
    const pe = m.pes[0];
    m.rtc.write(0x10, 4, 1, 0);                     // RTCIMSC
    m.rtc.write(4, 4, 102, 0);                      // RTCMR = now + 2
    assert.equal(m.rtc.read(0x14, 4, 0), 0);
    pe.cycles = 62_500_000 * 5;                     // the count jumped past 102 between samples
    m.onDeadline(pe);
    assert.equal(m.rtc.read(0x14, 4, 0), 1, 'RTCRIS');
    assert.equal(m.gic.snapshot(0).irqs.find((i) => i.intid === 34)?.pending, true);
    m.rtc.write(0x1c, 4, 1, 0);                     // RTCICR
    assert.equal(m.rtc.read(0x18, 4, 0), 0);
  });

  it('a match already in the past does not fire', () => {
    const m = new Machine({ rtcEpoch: 100 });
    m.rtc.write(4, 4, 50, 0);
    m.pes[0].cycles = 62_500_000 * 10;
    assert.equal(m.rtc.read(0x14, 4, 0), 0);
  });
});
