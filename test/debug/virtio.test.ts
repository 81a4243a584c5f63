// DAP: the `drives` and `virtioConsole` launch attributes. The virtio-blk guest driver writes a
// sector of the disk file and exits 0; the virtio console's output reaches the Debug Console;
// a drive that cannot be opened refuses the launch with a message naming the attribute.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, newClient } from './helpers';
import { BLK_GUEST, CONSOLE_GUEST } from '../unit/sim/devices/virtio-guests';

describe('debug adapter: virtio devices (drives, virtioConsole)', function () {
  this.timeout(30000);
  let dc: DebugClient;
  let dir: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-dap-virtio-'));
    fs.writeFileSync(path.join(dir, 'blk.S'), `        .armvirt entry_el, 1\n${BLK_GUEST}`);
    fs.writeFileSync(path.join(dir, 'con.S'), CONSOLE_GUEST);
    dc = newClient();
    await dc.start();
  });
  afterEach(async () => {
    await dc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('drives: the guest writes sector 1 of the file and exits 0', async () => {
    const disk = path.join(dir, 'disk.img');
    fs.writeFileSync(disk, Buffer.alloc(2048, 0x5a));
    const exitedP = dc.waitForEvent('exited');
    await launch(dc, { program: path.join(dir, 'blk.S'), drives: [disk] });
    assert.strictEqual(((await exitedP) as DebugProtocol.ExitedEvent).body.exitCode, 0);
    const b = fs.readFileSync(disk);
    for (let i = 0; i < 512; i++) assert.strictEqual(b[512 + i], (7 * i + 3) & 0xff);
    assert.ok(b.subarray(0, 512).every((x) => x === 0x5a));
  });

  it('drives with ",readonly": the write fails and the guest exits 13', async () => {
    const disk = path.join(dir, 'ro.img');
    fs.writeFileSync(disk, Buffer.alloc(2048, 0x5a));
    const exitedP = dc.waitForEvent('exited');
    await launch(dc, { program: path.join(dir, 'blk.S'), drives: [`${disk},readonly`] });
    assert.strictEqual(((await exitedP) as DebugProtocol.ExitedEvent).body.exitCode, 13);
    assert.ok(fs.readFileSync(disk).every((x) => x === 0x5a));
  });

  it('a drive that cannot be opened refuses the launch, naming "drives"', async () => {
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ program: path.join(dir, 'blk.S'), drives: [path.join(dir, 'none.img')] } as DebugProtocol.LaunchRequestArguments),
      /"drives": drive .*none\.img: cannot open/);
  });

  it('virtioConsole: the transmitq reaches the Debug Console', async () => {
    const out = dc.assertOutput('stdout', 'ready\n');
    await launch(dc, { program: path.join(dir, 'con.S'), virtioConsole: true });
    await out;
  });
});
