// Full debug sessions driven through the vscode.debug API, with the adapter as a process and
// inline, and the commands that talk to a running session.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Recorder, api, exampleUri, folder, lineOf, registers, topFrame, until } from './util';

async function setInline(inline: boolean): Promise<void> {
  await vscode.workspace.getConfiguration('armvirt.debugAdapter').update('inline', inline, vscode.ConfigurationTarget.Global);
}

function breakpointAt(name: string, line: number): vscode.SourceBreakpoint {
  return new vscode.SourceBreakpoint(new vscode.Location(exampleUri(name), new vscode.Position(line - 1, 0)));
}

describe('debug sessions', () => {
  const rec = new Recorder();
  after(async () => {
    rec.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await setInline(false);
  });

  for (const inline of [false, true]) {
    it(`el1-hello.S: breakpoint, registers, continue to the exit code (${inline ? 'inline' : 'executable'} adapter)`, async () => {
      const a = await api();
      await setInline(inline);
      const line = lineOf('el1-hello.S', 'cmp     x20, #10');
      const bp = breakpointAt('el1-hello.S', line);
      vscode.debug.addBreakpoints([bp]);
      const n = rec.sessions.length;
      assert.ok(await vscode.debug.startDebugging(folder(), 'EL1: el1-hello.S'));
      const s = await rec.session(n);
      assert.equal(a.lastAdapterKind(), inline ? 'inline' : 'executable');

      const stopped = await rec.event(s, 'stopped');
      assert.equal(stopped.body.reason, 'breakpoint');
      const threadId = stopped.body.threadId as number;
      const frame = await topFrame(s, threadId);
      assert.equal(frame.line, line);
      assert.ok(frame.source?.path?.endsWith('el1-hello.S'), frame.source?.path);
      const regs = await registers(s, threadId, 'General');
      assert.equal(regs.get('X19'), '0x0000000000000001');
      assert.equal(regs.get('X20'), '0x0000000000000002');
      const ev = await s.customRequest('evaluate', { expression: 'x19 + x20', frameId: frame.id, context: 'watch' });
      assert.match(String(ev.result), /^(0x0*3|3)\b/);
      assert.match(rec.output(s), /Hello from EL1!/);

      // Remove the breakpoint, wait until the adapter has it, then run to the semihosting exit.
      const mark = rec.count(s);
      vscode.debug.removeBreakpoints([bp]);
      await rec.message(s, (m) => m.type === 'response' && m.command === 'setBreakpoints' && m.body?.breakpoints?.length === 0, 'setBreakpoints []', mark);
      await s.customRequest('continue', { threadId });
      const exited = await rec.event(s, 'exited', mark);
      assert.equal(exited.body.exitCode, 55);
      await rec.ended(s);
      assert.match(rec.output(s), /exiting with the sum of 1\.\.10/);
    });
  }

  it('hyp-hvc-virq.S: HVC trap, ICH_LR0_EL2 written, trace and translate commands, exit code 42', async () => {
    await setInline(false);
    const n = rec.sessions.length;
    assert.ok(await vscode.debug.startDebugging(folder(), 'EL2 hypervisor: hyp-hvc-virq.S (GICv3)'));
    const s = await rec.session(n);
    const entry = await rec.event(s, 'stopped');
    assert.equal(entry.body.reason, 'entry');
    const threadId = entry.body.threadId as number;

    const line = lineOf('hyp-hvc-virq.S', 'eret                                // ELR_EL2 points after the HVC');
    const mark = rec.count(s);
    vscode.debug.addBreakpoints([breakpointAt('hyp-hvc-virq.S', line)]);
    await rec.message(s, (m) => m.type === 'response' && m.command === 'setBreakpoints' && m.body?.breakpoints?.[0]?.verified === true, 'a verified breakpoint', mark);
    await s.customRequest('continue', { threadId });
    const hit = await rec.event(s, 'stopped', mark);
    assert.equal(hit.body.reason, 'breakpoint');
    assert.equal((await topFrame(s, threadId)).line, line);

    const gic = await registers(s, threadId, 'GIC CPU interface');
    assert.equal(gic.get('ICH_LR0_EL2'), '0x508000000000002a');
    const el2 = await registers(s, threadId, 'System registers: EL2');
    assert.equal(el2.get('ESR_EL2')?.slice(0, 18), '0x000000005a000001'); // EC 0x16 (HVC64), IL, imm16 = 1

    const traced = await vscode.commands.executeCommand<number>('armvirt.showTrace');
    assert.ok(traced > 0, `trace records: ${traced}`);
    const walk = await vscode.commands.executeCommand<string>('armvirt.translateAddress', '0x40000000');
    assert.ok(typeof walk === 'string' && walk.length > 0, `translate: ${walk}`);

    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await s.customRequest('continue', { threadId });
    const exited = await rec.event(s, 'exited', mark);
    assert.equal(exited.body.exitCode, 42);
    await rec.ended(s);
    assert.match(rec.output(s), /took virtual IRQ 42/);
  });

  it('el1-uart-echo.S: the guest console terminal opens, what is typed there reaches the guest, exit code 7', async () => {
    const a = await api();
    await setInline(false);
    const n = rec.sessions.length;
    assert.ok(await vscode.debug.startDebugging(folder(), 'EL1: el1-uart-echo.S (type in the guest console)'));
    const s = await rec.session(n);
    const term = await until(() => a.guestConsole?.(s), 20_000, 'the guest console terminal', [vscode.window.onDidOpenTerminal]);
    assert.match(term.name, /^ArmVirt: guest console/);
    await rec.message(s, (m) => m.type === 'event' && m.event === 'output' && /waiting for console input/.test(String(m.body?.output)), 'the wait for input');
    // sendText on an extension terminal goes to its handleInput, as typing does.
    term.sendText('ab', false);
    await rec.message(s, () => /bc/.test(rec.output(s)) ? true : false, 'the echo of "ab"');
    const mark = rec.count(s);
    term.sendText('q', false);
    const exited = await rec.event(s, 'exited', mark);
    assert.equal(exited.body.exitCode, 7);
    await rec.ended(s);
  });

  it('armvirt.debugFile starts a session stopped on entry; armvirt.runFile runs to the end', async () => {
    const uri = exampleUri('hyp-hvc-virq.S'); // starts at EL2, the default entry level
    let n = rec.sessions.length;
    assert.ok(await vscode.commands.executeCommand<boolean>('armvirt.debugFile', uri));
    const s = await rec.session(n);
    assert.equal((await rec.event(s, 'stopped')).body.reason, 'entry');
    await vscode.debug.stopDebugging(s);
    await rec.ended(s);

    n = rec.sessions.length;
    assert.ok(await vscode.commands.executeCommand<boolean>('armvirt.runFile', uri));
    const r = await rec.session(n);
    assert.equal(r.configuration.noDebug, true);
    assert.equal((await rec.event(r, 'exited')).body.exitCode, 42);
    await rec.ended(r);
  });
});
