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

const ECHO = fs.readFileSync(path.join(__dirname, '../../../../examples/el1-uart-echo.S'), 'utf8');

function boot(src: string, opts: { fifo?: boolean } = {}): { m: Machine; out: number[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-uart-'));
  const file = path.join(dir, 'echo.S');
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
      assert.equal(r.exitCode, 7);
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
