// Guest input from stdin: `armvirt run` hands stdin's bytes to the PL011 (SPI 33). An
// interrupt-driven echo guest sleeps in WFI between bytes; the CLI waits for input rather than
// reporting a deadlock while stdin is open and the guest has unmasked the receive interrupt, and
// reports the deadlock (exit 125) once stdin has ended.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, startCli } from './helpers';

const ECHO = `        .armvirt entry_el, 1
        .equ UART, 0x09000000
        .equ GICD, 0x08000000
        .equ GICR_RD, 0x080A0000
_start: ldr     x0, =vectors
        msr     vbar_el1, x0
        ldr     x1, =GICD
        mov     w0, #0x12
        str     w0, [x1]
        ldr     x2, =GICR_RD
        str     wzr, [x2, #0x14]
        mov     w0, #2
        str     w0, [x1, #0x84]
        str     xzr, [x1, #0x6108]
        str     w0, [x1, #0x104]
        mov     x0, #0xff
        msr     S3_0_C4_C6_0, x0
        mov     x0, #1
        msr     S3_0_C12_C12_7, x0
        ldr     x9, =UART
        mov     w0, #0x10
        str     w0, [x9, #0x38]          // UARTIMSC.RXIM
        msr     daifclr, #2
1:      wfi
        b       1b
irq:    mrs     x1, S3_0_C12_C12_0
2:      ldr     w0, [x9, #0x18]
        tbnz    w0, #4, 3f
        ldr     w0, [x9]
        cmp     w0, #'q'
        b.eq    quit
        cmp     w0, #10
        b.eq    4f
        add     w0, w0, #1
4:      str     w0, [x9]
        b       2b
3:      msr     S3_0_C12_C12_1, x1
        eret
quit:   mov     x0, #0x18
        ldr     x1, =exitblk
        hlt     #0xf000
exitblk: .quad 0x20026, 7
        .balign 0x800
vectors:
        .space  0x280
        b       irq
`;

function waitFor(stream: NodeJS.ReadableStream, re: RegExp, ms: number): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${re}; got ${JSON.stringify(text)}`)), ms);
    stream.on('data', (b: Buffer) => {
      text += b.toString();
      if (re.test(text)) { clearTimeout(t); resolve(text); }
    });
  });
}

describe('armvirt run: stdin feeds the PL011', function () {
  this.timeout(60_000);
  let file: string;
  before(() => {
    ensureBuilt();
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-stdin-')), 'echo.S');
    fs.writeFileSync(file, ECHO);
  });

  it('echoes each line typed while the guest sleeps, then exits when told', async () => {
    const p = startCli(['run', file]);
    const exit = new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
    const first = waitFor(p.stdout, /bcd\n/, 20_000);
    p.stdin.write('abc\n');
    assert.equal(await first, 'bcd\n');
    assert.equal(p.exitCode, null, 'still running, waiting for more input');
    const second = waitFor(p.stdout, /IBM\n/, 20_000);
    p.stdin.write('HAL\n');
    await second;
    p.stdin.write('q');
    assert.equal(await exit, 7);
  });

  it('when stdin ends the sleeping guest is reported as a deadlock (exit 125)', async () => {
    const p = startCli(['run', file]);
    let err = '';
    p.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const exit = new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
    p.stdin.end('xy\n');
    assert.equal(await exit, 125);
    assert.match(err, /waiting in WFI/);
  });
});
