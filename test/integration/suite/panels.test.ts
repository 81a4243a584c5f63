// The panel webviews in a real VS Code: armvirt.showGic opens the GIC panel and every stop posts
// a fresh view model in which the list register the hypervisor wrote is decoded and marked as
// changed. (Whether the page itself loads is checked by test/webview/render.test.ts: offline, the
// code-server workbench may not load webview content, so the page's 'ready' is not required here.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Recorder, api, exampleUri, folder, lineOf } from './util';

interface Posted { from?: string; type?: string; seq?: number; model?: { tables?: { id: string; rows: { key: string; cells: { text: string; changed?: boolean }[] }[] }[] } }

async function waitFor<T>(probe: () => T | undefined, what: string, ms = 30000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('panels', () => {
  const rec = new Recorder();
  after(async () => {
    rec.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  it('GIC panel: follows the stops of hyp-hvc-virq.S and marks ICH_LR0 as changed', async () => {
    const a = await api();
    assert.ok(a.panelMessages, 'the API exposes the panel messages');
    const msgs = () => a.panelMessages!('gic') as Posted[];
    const n = rec.sessions.length;
    assert.ok(await vscode.debug.startDebugging(folder(), 'EL2 hypervisor: hyp-hvc-virq.S (GICv3)'));
    const s = await rec.session(n);
    try {
    const entry = await rec.event(s, 'stopped');
    const threadId = entry.body.threadId as number;

    await vscode.commands.executeCommand('armvirt.showGic');
    const lr0 = (m: Posted) => m.model?.tables?.find((t) => t.id === 'lrs')?.rows.find((r) => r.key === 'lr0');
    const firstSeq = msgs().reduce((a, m) => Math.max(a, m.seq ?? 0), 0);

    const line = lineOf('hyp-hvc-virq.S', 'eret                                // ELR_EL2 points after the HVC');
    const mark = rec.count(s);
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(exampleUri('hyp-hvc-virq.S'), new vscode.Position(line - 1, 0)))]);
    await rec.message(s, (m) => m.type === 'response' && m.command === 'setBreakpoints' && m.body?.breakpoints?.[0]?.verified === true, 'a verified breakpoint', mark);
    await s.customRequest('continue', { threadId });
    await rec.event(s, 'stopped', mark);
    const next = await waitFor(() => msgs().find((m) => m.type === 'model' && (m.seq ?? 0) > firstSeq && lr0(m)?.cells[1].text === 'pending'), 'a model with ICH_LR0 pending');
    const row = lr0(next)!;
    assert.deepEqual(row.cells.slice(0, 3).map((c) => c.text), ['ICH_LR0', 'pending', '42']);
    assert.equal(row.cells[1].changed, true);

    } finally {
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      await vscode.debug.stopDebugging(s);
      await rec.ended(s);
    }
  });
});
