// DAP launch with the `kernel` attribute (the Linux boot protocol): stop on entry at the
// kernel's first instruction with X0 = the DTB address, the DTB readable at X0, then run to
// PSCI SYSTEM_OFF. The kernel is the hand-made Image of test/unit/sim/boot/boot-probe.S.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, launch, newClient, stopped, topFrame } from './helpers';
import { buildProbeImage } from '../unit/sim/boot/probe-image';

describe('debug adapter: launch with "kernel"', function () {
  this.timeout(30000);
  let dc: DebugClient;
  let dir: string;
  let kernel: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-dap-kernel-'));
    kernel = path.join(dir, 'probe.img');
    fs.writeFileSync(kernel, buildProbeImage());
    fs.writeFileSync(path.join(dir, 'rd'), new Uint8Array(8192));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  it('stops on entry at the kernel\'s first instruction with X0 = DTB address, and runs to SYSTEM_OFF', async () => {
    const entry = stopped(dc, 'entry');
    await launch(dc, { kernel, initrd: path.join(dir, 'rd'), append: 'from DAP', stopOnEntry: true, memory: 512 });
    await entry;
    const f = await topFrame(dc);
    assert.strictEqual(f.instructionPointerReference, '0x40200000');
    assert.strictEqual(await evaluate(dc, 'x0'), '0x48200000 (1210056704)');
    assert.strictEqual(await evaluate(dc, 'x1 | x2 | x3'), '0x0 (0)');
    // FDT magic, big-endian in memory: d0 0d fe ed.
    assert.strictEqual(await evaluate(dc, '*(u32*)x0'), '0xedfe0dd0 (3992849872)');
    const th = await dc.threadsRequest();
    assert.deepStrictEqual(th.body.threads.map((t) => t.name), ['CPU0 (EL2)']);
    let out = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') out += e.body.output; });
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 0);
    assert.match(out, /^x0=0x0000000048200000\n/);
    assert.match(out, /\nbootargs=from DAP\ninitrd=0x0000000048000000\.\.0x0000000048002000\nmemory=0x0000000040000000\+0x0000000020000000\n$/);
  });

  it('refuses "program" together with "kernel", and a bad Image with a message naming the field', async () => {
    await dc.initializeRequest();
    await assert.rejects(dc.launch({ kernel, program: kernel } as DebugProtocol.LaunchRequestArguments), /"program" and "kernel" exclude each other/);
    const bad = path.join(dir, 'be.img');
    const b = buildProbeImage();
    new DataView(b.buffer).setBigUint64(24, 1n, true);
    fs.writeFileSync(bad, b);
    await dc.stop();
    dc = newClient();
    await dc.start();
    await dc.initializeRequest();
    await assert.rejects(dc.launch({ kernel: bad } as DebugProtocol.LaunchRequestArguments), /arm64 Image header flags: bit 0 \(endianness\)/);
  });
});
