// DAP launch of programs that are not runnable (no code) and of programs that say where they
// start (the ARMVIRT entry-EL note, `.armvirt entry_el`): the note applies unless the launch
// attribute `entryEL` says otherwise.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ROOT, launch, newClient, stopped } from './helpers';

const EL1_HELLO = path.join(ROOT, 'examples', 'el1-hello.S');

describe('debug adapter: loading programs', function () {
  this.timeout(30000);
  let dc: DebugClient;
  let tmp: string;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-dap-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  it('refuses an empty or comment-only source with the assembler\'s "no code" message', async () => {
    const f = path.join(tmp, 'empty.S');
    fs.writeFileSync(f, '// only a comment\n');
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ program: f } as DebugProtocol.LaunchRequestArguments),
      (e: Error) => e.message.includes(`${f}:1:1: error: no code: the program has no instructions or data`));
  });

  it('refuses an ELF without a PT_LOAD segment', async () => {
    const elf = Buffer.alloc(64);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
    elf.writeUInt16LE(2, 16);
    elf.writeUInt16LE(183, 18);
    elf.writeUInt32LE(1, 20);
    elf.writeUInt16LE(64, 52);
    elf.writeUInt16LE(56, 54);
    elf.writeUInt16LE(64, 58);
    const f = path.join(tmp, 'noload.elf');
    fs.writeFileSync(f, elf);
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ program: f } as DebugProtocol.LaunchRequestArguments), /no code: the program has no loadable segment/);
  });

  for (const [attrs, el] of [[{}, 1], [{ entryEL: 1 }, 1], [{ entryEL: 2 }, 2]] as const) {
    it(`el1-hello.S (.armvirt entry_el, 1) with ${JSON.stringify(attrs)} starts at EL${el}`, async () => {
      const first = stopped(dc, 'entry');
      await launch(dc, { program: EL1_HELLO, stopOnEntry: true, ...attrs });
      await first;
      const th = await dc.threadsRequest();
      assert.strictEqual(th.body.threads[0].name, `CPU0 (EL${el})`);
      if (el === 1) {
        // Runs to its exit code at the EL the note asks for.
        const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
        await dc.continueRequest({ threadId: 1 });
        assert.strictEqual((await exited).body.exitCode, 55);
      }
      await dc.terminateRequest({}).catch(() => undefined);
    });
  }
});
