// DAP tests: source-level debugging of an ELF built by GNU as -g (DWARF .debug_line):
// source breakpoints, stack frame locations, next/step-in by line, and the same
// program without DWARF falling back to disassembly only.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { launch, lineOf, newClient, program, requireToolOrSkip, stopped, topFrame, variable } from './helpers';

const AS = 'aarch64-linux-gnu-as';
const LD = 'aarch64-linux-gnu-ld';

function haveTools(): boolean {
  return [AS, LD].every((t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status === 0);
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

describe('debug adapter: ELF with DWARF line info', function () {
  this.timeout(30000);
  let dc: DebugClient;
  let tmp: string;
  let src: string;
  let elf: string;
  let plain: string;

  before(function () {
    requireToolOrSkip(this, haveTools(), `${AS} / ${LD}; install binutils-aarch64-linux-gnu`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-elfsrc-'));
    src = path.join(tmp, 'prog.s');
    fs.copyFileSync(program('basic.s'), src);
    // -N: one segment starting at .text (no ELF headers mapped below RAM at 0x40000000).
    run(AS, ['-g', 'prog.s', '-o', 'prog.o'], tmp);
    run(LD, ['-N', '--no-warn-rwx-segments', '-Ttext=0x40000000', 'prog.o', '-o', 'prog.elf'], tmp);
    run(AS, ['prog.s', '-o', 'plain.o'], tmp);
    run(LD, ['-N', '--no-warn-rwx-segments', '-Ttext=0x40000000', 'plain.o', '-o', 'plain.elf'], tmp);
    elf = path.join(tmp, 'prog.elf');
    plain = path.join(tmp, 'plain.elf');
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  it('stops at a source breakpoint in the .s file and steps over a bl to the next line', async () => {
    const bl = lineOf(src, 'bl      func');
    const firstP = stopped(dc, 'breakpoint');
    let verified: boolean | undefined;
    await launch(dc, { program: elf }, async () => {
      const r = await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: bl }] });
      verified = r.body.breakpoints[0].verified;
    });
    await firstP;
    assert.strictEqual(verified, true);
    const f = await topFrame(dc);
    assert.strictEqual(f.source?.path, src);
    assert.strictEqual(f.line, bl);
    await Promise.all([stopped(dc, 'step'), dc.nextRequest({ threadId: 1 })]);
    const g = await topFrame(dc);
    assert.strictEqual(g.source?.path, src);
    assert.strictEqual(g.line, bl + 1);
    assert.strictEqual((await variable(dc, 'General', 'X0')).value, '0x0000000000000006');
  });

  it('steps into a function by line, with the caller in the stack, and runs to the exit code', async () => {
    const bl = lineOf(src, 'bl      func');
    const firstP = stopped(dc, 'breakpoint');
    await launch(dc, { program: elf }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: bl }] }));
    await firstP;
    await Promise.all([stopped(dc, 'step'), dc.stepInRequest({ threadId: 1 })]);
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.strictEqual(st.body.stackFrames[0].line, lineOf(src, 'add     x0, x0, #5'));
    assert.strictEqual(st.body.stackFrames[0].source?.path, src);
    assert.strictEqual(st.body.stackFrames[1].line, bl, 'caller frame at the bl');
    const exitedP = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await exitedP) as { body: { exitCode: number } }).body.exitCode, 3);
  });

  it('reports no line information for the same ELF without DWARF', async () => {
    let r: { verified: boolean; message?: string } | undefined;
    const firstP = stopped(dc, 'entry');
    await launch(dc, { program: plain, stopOnEntry: true }, async () => {
      r = (await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: lineOf(src, 'bl      func') }] })).body.breakpoints[0];
    });
    await firstP;
    assert.strictEqual(r?.verified, false);
    assert.match(r?.message ?? '', /no line information/);
    assert.strictEqual((await topFrame(dc)).source?.path, undefined);
  });
});
