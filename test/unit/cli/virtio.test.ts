// `armvirt run --drive FILE[,readonly] --virtio-console`: the virtio-blk guest driver of
// test/unit/sim/devices/virtio-blk-guest.test.ts run by the real CLI against a disk file, option
// errors, and a virtio-console guest that prints through its transmitq and reads a line of stdin
// through its receiveq (the CLI waits for stdin while the guest sleeps with buffers posted).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, ensureBuilt, startCli } from './helpers';
import { BLK_GUEST } from '../sim/devices/virtio-guests';

const CONSOLE_GUEST = `        .armvirt entry_el, 1
        .equ VIO, 0x0a003e00
        .equ GICD, 0x08000000
        .equ GICR_RD, 0x080A0000
        .equ RXQ, 0x40100000
        .equ TXQ, 0x40110000
        .equ RXBUF, 0x40120000
_start: ldr     x0, =vectors
        msr     vbar_el1, x0
        ldr     x1, =GICD
        mov     w0, #0x12
        str     w0, [x1]
        ldr     x2, =GICR_RD
        str     wzr, [x2, #0x14]
        mov     w0, #0x8000
        str     w0, [x1, #0x88]          // INTID 79: Group 1, edge, PE 0, enabled
        mov     w0, #0x80000000
        str     w0, [x1, #0xc10]
        str     xzr, [x1, #0x6278]
        mov     w0, #0x8000
        str     w0, [x1, #0x108]
        mov     x0, #0xff
        msr     S3_0_C4_C6_0, x0
        mov     x0, #1
        msr     S3_0_C12_C12_7, x0
        msr     daifclr, #2
        ldr     x9, =VIO
        ldr     w0, [x9, #8]
        cmp     w0, #3                   // DeviceID: console
        b.ne    fail
        str     wzr, [x9, #0x70]
        mov     w0, #3
        str     w0, [x9, #0x70]          // ACKNOWLEDGE | DRIVER
        mov     w0, #1
        str     w0, [x9, #0x24]
        str     w0, [x9, #0x20]          // VIRTIO_F_VERSION_1
        mov     w0, #0xb
        str     w0, [x9, #0x70]          // FEATURES_OK
        mov     w1, #0                   // queue 0 (receiveq) at RXQ, queue 1 (transmitq) at TXQ
        ldr     x2, =RXQ
        bl      setupq
        mov     w1, #1
        ldr     x2, =TXQ
        bl      setupq
        mov     w0, #0xf
        str     w0, [x9, #0x70]          // DRIVER_OK
        ldr     x2, =RXQ                 // receive buffer: desc 0 = RXBUF, 64 bytes, WRITE
        ldr     x3, =RXBUF
        str     x3, [x2]
        mov     w0, #64
        str     w0, [x2, #8]
        mov     w0, #2
        strh    w0, [x2, #12]
        mov     w0, #1
        strh    w0, [x2, #0x102]         // avail ring[0] = 0 (already), idx = 1
        str     wzr, [x9, #0x50]         // QueueNotify 0
        ldr     x3, =ready               // "ready\\n" through the transmitq
        mov     w4, #6
        mov     w20, #1
        bl      send
1:      ldr     x2, =RXQ                 // sleep until the receive buffer comes back
        ldrh    w0, [x2, #0x202]
        cbnz    w0, 2f
        wfi
        b       1b
2:      ldr     w4, [x2, #0x208]         // used ring[0].len
        ldr     x3, =got
        mov     w5, #5
        ldr     x6, =RXBUF
        mov     w20, #2
        bl      send2                    // "got: " + the line, one chain of two buffers
        mov     x0, #0x18
        ldr     x1, =exitblk
        hlt     #0xf000
fail:   mov     x0, #0x18
        ldr     x1, =failblk
        hlt     #0xf000

setupq: str     w1, [x9, #0x30]          // QueueSel
        mov     w0, #4
        str     w0, [x9, #0x38]          // QueueNum
        str     w2, [x9, #0x80]
        str     wzr, [x9, #0x84]
        add     x0, x2, #0x100
        str     w0, [x9, #0x90]
        str     wzr, [x9, #0x94]
        add     x0, x2, #0x200
        str     w0, [x9, #0xa0]
        str     wzr, [x9, #0xa4]
        mov     w0, #1
        str     w0, [x9, #0x44]          // QueueReady
        ret

// send: x3 buffer, w4 length, w20 new avail idx (single descriptor 0)
send:   ldr     x2, =TXQ
        str     x3, [x2]
        str     w4, [x2, #8]
        strh    wzr, [x2, #12]
        b       publish
// send2: x3/w5 first buffer, x6/w4 second: descriptors 0 -> 1
send2:  ldr     x2, =TXQ
        str     x3, [x2]
        str     w5, [x2, #8]
        mov     w0, #1
        strh    w0, [x2, #12]            // NEXT
        strh    w0, [x2, #14]            // next = 1
        str     x6, [x2, #16]
        str     w4, [x2, #24]
        strh    wzr, [x2, #28]
publish:sub     w0, w20, #1
        and     w0, w0, #3
        add     x1, x2, #0x104
        strh    wzr, [x1, x0, lsl #1]    // avail ring[idx - 1] = head 0
        strh    w20, [x2, #0x102]
        mov     w0, #1
        str     w0, [x9, #0x50]          // QueueNotify 1
        ret

irq:    mrs     x15, S3_0_C12_C12_0
        ldr     w14, [x9, #0x60]
        str     w14, [x9, #0x64]         // InterruptACK
        msr     S3_0_C12_C12_1, x15
        eret

ready:  .ascii  "ready\\n"
got:    .ascii  "got: "
        .balign 8
exitblk: .quad 0x20026, 0
failblk: .quad 0x20026, 1
        .balign 0x800
vectors:
        .space  0x280
        b       irq
`;

describe('armvirt run: virtio devices (--drive, --virtio-console)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-cli-virtio-'));
    fs.writeFileSync(path.join(dir, 'blk.S'), `        .armvirt entry_el, 1\n${BLK_GUEST}`);
    fs.writeFileSync(path.join(dir, 'con.S'), CONSOLE_GUEST);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--drive FILE: the guest writes sector 1 and reads it back; the file holds it after exit', () => {
    const disk = path.join(dir, 'rw.img');
    fs.writeFileSync(disk, Buffer.alloc(4096, 0x11));
    const r = cli(['run', path.join(dir, 'blk.S'), '--drive', disk]);
    assert.strictEqual(r.status, 0, r.stderr);
    const b = fs.readFileSync(disk);
    assert.strictEqual(b.length, 4096);
    for (let i = 0; i < 512; i++) assert.strictEqual(b[512 + i], (7 * i + 3) & 0xff, `byte ${512 + i}`);
    assert.ok(b.subarray(0, 512).every((x) => x === 0x11) && b.subarray(1024).every((x) => x === 0x11));
  });

  it('--drive FILE,readonly: the guest\'s write fails (exit 13) and the file is unchanged', () => {
    const disk = path.join(dir, 'ro.img');
    fs.writeFileSync(disk, Buffer.alloc(4096, 0x22));
    const r = cli(['run', path.join(dir, 'blk.S'), '--drive', `${disk},readonly`]);
    assert.strictEqual(r.status, 13, r.stderr);
    assert.ok(fs.readFileSync(disk).every((x) => x === 0x22));
  });

  it('bad --drive values: a missing file or an unknown option is a usage error naming it', () => {
    const missing = cli(['run', path.join(dir, 'blk.S'), '--drive', path.join(dir, 'nope.img')]);
    assert.strictEqual(missing.status, 2);
    assert.match(missing.stderr, /--drive .*nope\.img: cannot open/);
    const bad = cli(['run', path.join(dir, 'blk.S'), '--drive', `${path.join(dir, 'rw.img')},cache=none`]);
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /unknown option 'cache=none'/);
  });

  it('--virtio-console: output through the transmitq, a stdin line through the receiveq', async () => {
    const p = startCli(['run', path.join(dir, 'con.S'), '--virtio-console']);
    let out = '';
    p.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out === 'ready\n') p.stdin.write('abc\n');
    });
    let err = '';
    p.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const code = await new Promise<number | null>((resolve) => p.on('close', resolve));
    assert.strictEqual(code, 0, err);
    assert.strictEqual(out, 'ready\ngot: abc\n');
  });
});
