// The debug configuration provider: the default `program`, and attribute checks whose messages
// name the attribute (the launch is refused).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Recorder, api, exampleUri, folder } from './util';

describe('debug configuration provider', () => {
  const rec = new Recorder();
  after(() => rec.dispose());

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['cores', { cores: 0 }, /"cores" must be an integer from 1 to 8 \(got 0\)/],
    ['gic', { gic: 'v4' }, /"gic" must be one of 'v2', 'v3' \(got 'v4'\)/],
    ['memory', { memory: 4096 }, /"memory" must be an integer from 1 to 3072/],
    ['entryEL', { entryEL: 3 }, /"entryEL" must be one of 1, 2 \(got 3\)/],
    ['trace', { trace: 'yes' }, /"trace" must be true or false/],
    ['maxInstructions', { maxInstructions: -1 }, /"maxInstructions" must be an integer/],
    ['program', { program: '${workspaceFolder}/missing.S' }, /"program" file does not exist: .*missing\.S/],
  ];
  for (const [field, attrs, message] of bad) {
    it(`refuses an invalid "${field}" with a message naming it`, async () => {
      const a = await api();
      const before = a.outputLines().length;
      const started = await vscode.debug.startDebugging(folder(), {
        type: 'armvirt', request: 'launch', name: `bad ${field}`, program: '${workspaceFolder}/el1-hello.S', ...attrs,
      });
      assert.equal(started, false);
      const lines = a.outputLines().slice(before).join('\n');
      assert.match(lines, message);
    });
  }

  it('defaults "program" to the active assembly file', async () => {
    const uri = exampleUri('el1-hello.S');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const n = rec.sessions.length;
    assert.ok(await vscode.debug.startDebugging(folder(), { type: 'armvirt', request: 'launch', name: 'no program', entryEL: 1, stopOnEntry: true }));
    const s = await rec.session(n);
    assert.equal(s.configuration.program, uri.fsPath);
    const stopped = await rec.event(s, 'stopped');
    assert.equal(stopped.body.reason, 'entry');
    await vscode.debug.stopDebugging(s);
    await rec.ended(s);
  });

  it('treats maxInstructions 0 as "no limit"', async () => {
    const n = rec.sessions.length;
    assert.ok(await vscode.debug.startDebugging(folder(), {
      type: 'armvirt', request: 'launch', name: 'no limit', program: '${workspaceFolder}/el1-hello.S', entryEL: 1, maxInstructions: 0,
    }));
    const s = await rec.session(n);
    assert.equal('maxInstructions' in s.configuration, false);
    const exited = await rec.event(s, 'exited');
    assert.equal(exited.body.exitCode, 55);
    await rec.ended(s);
  });
});
