// `armvirt run --drive FILE[,readonly] --virtio-console`: the virtio-blk guest driver of
// test/unit/sim/devices/virtio-blk-guest.test.ts run by the real CLI against a disk file, option
// errors, and a virtio-console guest that prints through its transmitq and reads a line of stdin
// through its receiveq (the CLI waits for stdin while the guest sleeps with buffers posted).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, ensureBuilt, startCli } from './helpers';
import { BLK_GUEST, CONSOLE_GUEST } from '../sim/devices/virtio-guests';


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
