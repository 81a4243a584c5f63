// Requests the adapter must refuse without dying (issue 17), through DebugClient: each answer is
// an error naming the problem, and the adapter answers the next request.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { launch, lineOf, newClient, program, stopped, topFrame } from './helpers';

const BASIC = program('basic.s');

/** The error message of a request that must fail. */
async function refused(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the request succeeded');
}

describe('debug adapter: refused requests', function () {
  this.timeout(30000);
  let dc: DebugClient;
  beforeEach(async () => { dc = newClient(); await dc.start(); await dc.initializeRequest(); });
  afterEach(async () => { await dc.stop(); });

  it('continue before launch is an error; the adapter stays alive and launches afterwards', async () => {
    assert.match(await refused(dc.continueRequest({ threadId: 1 })), /continue: no program is running/);
    for (const cmd of ['next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'stackTrace']) {
      assert.match(await refused(dc.send(cmd, { threadId: 1 })), /no program is running/, cmd);
    }
    assert.match(await refused(dc.send('armvirt/gic', {})), /no program is running/);
    assert.match(await refused(dc.send('armvirt/whatever', {})), /unknown request 'armvirt\/whatever'/);
    assert.deepStrictEqual((await dc.threadsRequest()).body.threads, []);
    const entry = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await entry;
    assert.strictEqual((await dc.threadsRequest()).body.threads.length, 1);
  });

  it('breakpoints set before launch are answered at once as pending and apply at launch (the last request per source wins)', async () => {
    const bl = lineOf(BASIC, 'bl      func');
    const early = await dc.setBreakpointsRequest({ source: { path: BASIC }, breakpoints: [{ line: 1 }, { line: 2 }] });
    assert.deepStrictEqual(early.body.breakpoints.map((b) => [b.verified, /pending/.test(b.message ?? '')]), [[false, true], [false, true]]);
    await dc.setBreakpointsRequest({ source: { path: BASIC }, breakpoints: [{ line: bl }] });
    const hit = stopped(dc, 'breakpoint');
    await launch(dc, { program: BASIC });
    await hit;
    assert.strictEqual((await topFrame(dc)).line, bl);
  });

  it('launch of /dev/zero is refused as not a regular file (nothing is read)', async () => {
    assert.match(await refused(dc.launch({ program: '/dev/zero' })), /cannot read \/dev\/zero: not a regular file/);
    assert.ok((await dc.threadsRequest()).success);
  });

  it('launch with maxInstructions -5 is refused, naming the attribute', async () => {
    assert.match(await refused(dc.launch({ program: BASIC, maxInstructions: -5 })), /"maxInstructions" must be an integer from 0 upwards \(got -5\)/);
  });

  it('launch with stopOnEntry "yes" is refused, naming the attribute', async () => {
    assert.match(await refused(dc.launch({ program: BASIC, stopOnEntry: 'yes' })), /"stopOnEntry" must be true or false \(got 'yes'\)/);
  });

  it('launch of an empty or comment-only .S is refused: no code', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-empty-'));
    try {
      const f = path.join(dir, 'empty.S');
      fs.writeFileSync(f, '// only a comment\n');
      assert.match(await refused(dc.launch({ program: f })), /empty\.S:1:1: error: no code: the program has no instructions or data/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after launch: bad references and arguments are errors naming them; the session goes on', async () => {
    const entry = stopped(dc, 'entry');
    await launch(dc, { program: BASIC, stopOnEntry: true });
    await entry;
    assert.match(await refused(dc.stackTraceRequest({ threadId: 7 })), /'threadId' 7 is not a thread/);
    assert.match(await refused(dc.scopesRequest({ frameId: 424242 })), /'frameId' 424242/);
    assert.match(await refused(dc.variablesRequest({ variablesReference: 9999 })), /'variablesReference' 9999 does not exist/);
    assert.match(await refused(dc.send('readMemory', { memoryReference: '0x40000000', count: 1.5 })), /readMemory: 'count' must be an integer \(got 1.5\)/);
    assert.match(await refused(dc.send('disassemble', { memoryReference: '0x40000000', instructionCount: 1e9 })), /'instructionCount' must be at most 100000/);
    assert.match(await refused(dc.send('setBreakpoints', { source: 'basic.s' })), /setBreakpoints: 'source' must be an object/);
    assert.match(await refused(dc.send('evaluate', { expression: '('.repeat(2000) + '1' + ')'.repeat(2000) })), /nested too deeply/);
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.ok(st.body.stackFrames.length > 0);
  });
});
