// virtio-blk through a real guest: an EL1 program with a GICv3 probes the last virtio-mmio
// transport (0x0a00_3e00, where QEMU puts the first -device), negotiates VERSION_1 and FLUSH,
// sets up a split virtqueue, writes sector 1, reads it back, flushes, and exits with a status
// saying which step failed. Completions are taken through the transport's edge-triggered SPI
// (INTID 79) with InterruptStatus/InterruptACK. The test then checks the disk FILE's bytes.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Machine } from '../../../../src/sim/machine';
import { loadProgram } from '../../../../src/asm/program';
import { FileBlockBackend } from '../../../../src/sim/devices/file-backend';
import { BLK_GUEST } from './virtio-guests';


describe('virtio-blk through a guest driver (file-backed disk)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-vblk-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function run(readOnly: boolean): { m: Machine; disk: string; before: Buffer } {
    const src = path.join(dir, 'blk.s');
    fs.writeFileSync(src, BLK_GUEST);
    const disk = path.join(dir, 'disk.img');
    const before = Buffer.alloc(8192, 0xee);
    fs.writeFileSync(disk, before);
    const p = loadProgram(src);
    const backend = new FileBlockBackend(disk, readOnly);
    const m = new Machine({ entryEL: 1, gic: 'v3', drives: [{ backend, readOnly }] });
    m.load(p.segments, p.entry);
    const r = m.run(2_000_000);
    backend.close();
    assert.strictEqual(r.reason, 'exit');
    return { m, disk, before };
  }

  it('writes sector 1, reads it back, flushes: the file holds the bytes, the rest is untouched', () => {
    const { m, disk, before } = run(false);
    assert.strictEqual(m.exitCode, 0, `guest failed at step ${m.exitCode}`);
    const after = fs.readFileSync(disk);
    const expected = Buffer.from(before);
    for (let i = 0; i < 512; i++) expected[512 + i] = (7 * i + 3) & 0xff;
    assert.ok(after.equals(expected), 'sector 1 written, sectors 0 and 2.. unchanged');
    assert.strictEqual(m.drives[0].flushes, 1);
    assert.strictEqual(m.drives[0].requests, 3);
    // Three completions, three interrupts taken and acknowledged: the line is low again.
    assert.strictEqual(m.pes[0].x[42], 3);
    assert.strictEqual(m.drives[0].interruptStatus, 0);
    assert.strictEqual(m.gic.state.pendingAt(0, 79), false);
  });

  it('read-only drive: the write fails with VIRTIO_BLK_S_IOERR and the file is unchanged', () => {
    const { m, disk, before } = run(true);
    assert.strictEqual(m.exitCode, 13, 'the guest stops at the write step');
    assert.strictEqual(m.pes[0].x[56], 1, 'status VIRTIO_BLK_S_IOERR (X28)');
    assert.ok(fs.readFileSync(disk).equals(before));
  });
});
