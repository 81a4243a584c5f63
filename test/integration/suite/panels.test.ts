// The panel webviews in a real VS Code: armvirt.showGic opens the GIC panel and every stop posts
// a fresh view model in which the list register the hypervisor wrote is decoded and marked as
// changed. (Whether the page itself loads is checked by test/webview/render.test.ts: offline, the
// code-server workbench may not load webview content, so the page's 'ready' is not required here.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Recorder, api, exampleUri, folder, lineOf, topFrame } from './util';

interface Posted {
  from?: string; type?: string; seq?: number;
  model?: {
    tables?: { id: string; rows: { key: string; marked?: boolean; cells: { text: string; changed?: boolean }[] }[] }[];
    pes?: { segments: { future?: boolean; seq: number; events: { type: string; future?: boolean }[] }[] }[];
  };
}

async function waitFor<T>(probe: () => T | undefined, what: string, ms = 30000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sets a source breakpoint on the line of `file` holding `text` and waits until the adapter verified it. */
async function breakAtLine(rec: Recorder, s: vscode.DebugSession, file: string, text: string): Promise<void> {
  const mark = rec.count(s);
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(exampleUri(file), new vscode.Position(lineOf(file, text) - 1, 0)))]);
  await rec.message(s, (m) => m.type === 'response' && m.command === 'setBreakpoints' && m.body?.breakpoints?.[0]?.verified === true, 'a verified breakpoint', mark);
}

/** Continues the session and waits for its next `stopped` event. */
async function continueToStop(rec: Recorder, s: vscode.DebugSession, threadId: number): Promise<void> {
  const mark = rec.count(s);
  await s.customRequest('continue', { threadId });
  await rec.event(s, 'stopped', mark);
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

    await breakAtLine(rec, s, 'hyp-hvc-virq.S', 'eret                                // ELR_EL2 points after the HVC');
    await continueToStop(rec, s, threadId);
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

  it('Timers panel opened after a stop marks what changed since the previous stop (the counter)', async () => {
    const a = await api();
    const msgs = () => a.panelMessages!('timers') as Posted[];
    const n = rec.sessions.length;
    assert.ok(await vscode.debug.startDebugging(folder(), 'EL2 hypervisor: hyp-hvc-virq.S (GICv3)'));
    const s = await rec.session(n);
    try {
      const entry = await rec.event(s, 'stopped');
      const threadId = entry.body.threadId as number;
      await breakAtLine(rec, s, 'hyp-hvc-virq.S', 'eret                                // ELR_EL2 points after the HVC');
      await continueToStop(rec, s, threadId);
      // opened only now: its baseline is the host's snapshot of the entry stop
      const before = msgs().length;
      await vscode.commands.executeCommand('armvirt.showTimers');
      const cntpct = (m: Posted) => m.model?.tables?.find((t) => t.id === 'counters')?.rows.find((r) => r.key === 'CNTPCT_EL0');
      const model = await waitFor(() => msgs().slice(before).find((m) => m.type === 'model' && cntpct(m) !== undefined), 'a timers model');
      assert.equal(cntpct(model)!.cells[1].changed, true, 'CNTPCT_EL0 advanced since the entry stop');
      const cntvoff = model.model!.tables!.find((t) => t.id === 'counters')!.rows.find((r) => r.key === 'CNTVOFF_EL2')!;
      assert.notEqual(cntvoff.cells[1].changed, true, 'CNTVOFF_EL2 did not change');
    } finally {
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      await vscode.debug.stopDebugging(s);
      await rec.ended(s);
    }
  });

  it('Page Tables panel: the faulting walk on a stage2-fault stop, taken down at the next stop', async () => {
    const a = await api();
    const msgs = () => a.panelMessages!('pagetables') as (Posted & { walk?: { ok: boolean; steps: { fault?: boolean }[] } | null; address?: string })[];
    const n = rec.sessions.length;
    assert.ok(await vscode.debug.startDebugging(folder(), 'EL2 hypervisor: hyp-s2-fault.S (Stage-2 fault)'));
    const s = await rec.session(n);
    try {
      const entry = await rec.event(s, 'stopped');
      const threadId = entry.body.threadId as number;
      await s.customRequest('armvirt/setExceptionFilter', { filterId: 'stage2-fault', enabled: true });
      await vscode.commands.executeCommand('armvirt.showPageTables');
      let before = msgs().length;
      await continueToStop(rec, s, threadId);
      const faultWalk = await waitFor(() => msgs().slice(before).find((m) => m.type === 'walk' && m.walk), 'the fault walk');
      assert.equal(faultWalk.walk!.ok, false);
      assert.match(String(faultWalk.address), /^0xa001008 \(faulting write from EL1\)/);
      assert.equal(faultWalk.walk!.steps.filter((st) => st.fault).length, 1, 'one failing step');
      // the next stop (a breakpoint after the emulated store) is not a fault: the walk is taken down
      await s.customRequest('armvirt/setExceptionFilter', { filterId: 'stage2-fault', enabled: false });
      await breakAtLine(rec, s, 'hyp-s2-fault.S', 'adr     x0, guest_done');
      before = msgs().length;
      await continueToStop(rec, s, threadId);
      await waitFor(() => msgs().slice(before).find((m) => m.type === 'walk' && m.walk === null), 'the walk taken down');
    } finally {
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      await vscode.debug.stopDebugging(s);
      await rec.ended(s);
    }
  });

  // The pages' clicks are replayed with the armvirt.panelAction command (the page itself may not
  // load in code-server offline; test/webview/render.test.ts checks that a click posts these).
  it('GIC panel: activating ICH_LR0 stops at its write; Timeline: travelling to the HVC trap re-creates it', async () => {
    const a = await api();
    const msgs = (k: 'gic' | 'timeline') => a.panelMessages!(k) as Posted[];
    const n = rec.sessions.length;
    assert.ok(await vscode.debug.startDebugging(folder(), 'EL2 hypervisor: hyp-hvc-virq.S (GICv3)'));
    const s = await rec.session(n);
    try {
      const entry = await rec.event(s, 'stopped');
      const threadId = entry.body.threadId as number;
      let mark = rec.count(s);
      await vscode.commands.executeCommand('armvirt.panelAction', 'gic', { type: 'breakOnLr', pe: 0, lr: 0, name: 'ICH_LR0' });
      const resp = await rec.message(s, (m) => m.type === 'response' && m.command === 'armvirt/setExceptionFilter', 'the armvirt/setExceptionFilter response', mark);
      assert.equal((resp as { success?: boolean }).success, true);
      assert.deepEqual(resp.body.filters, [{ filterId: 'virq-inject', condition: 'lr == 0 && pe == 0' }]);
      const lr0 = (m: Posted) => m.model?.tables?.find((t) => t.id === 'lrs')?.rows.find((r) => r.key === 'lr0');
      const last = msgs('gic').filter((m) => m.type === 'model').pop();
      assert.equal(last && lr0(last)?.marked, true, 'the LR0 row shows its breakpoint');

      mark = rec.count(s);
      await s.customRequest('continue', { threadId });
      const hit = await rec.event(s, 'stopped', mark);
      assert.equal(hit.body.reason, 'exception');
      assert.equal((await topFrame(s, threadId)).line, lineOf('hyp-hvc-virq.S', 'msr     ICH_LR0_EL2, x0') + 1);

      const trace = await s.customRequest('armvirt/trace', {}) as { records: { type: string; retired: number; seq: number; data: { to?: number } }[] };
      const trap = trace.records.find((r) => r.type === 'exceptionEntry' && r.data.to === 2);
      assert.ok(trap, 'the HVC trap is recorded');
      mark = rec.count(s);
      await vscode.commands.executeCommand('armvirt.panelAction', 'timeline', { type: 'travel', retired: trap.retired, pe: 0, seq: trap.seq, cycle: 0 });
      const back = await rec.event(s, 'stopped', mark);
      assert.equal(back.body.reason, 'goto');
      assert.equal((await topFrame(s, threadId)).line, lineOf('hyp-hvc-virq.S', 'b       hyp_sync'));
      assert.equal((await s.customRequest('armvirt/digest', {})).retired, trap.retired);
      // The timeline refreshes at the stop: the LR0 injection after the trap is shown as the future.
      const injected = (m: Posted) => m.model?.pes?.[0]?.segments.flatMap((x) => x.events).find((e) => e.type === 'virqInjected');
      const now = await waitFor(() => msgs('timeline').find((m) => m.type === 'model' && injected(m)?.future), 'a timeline with the injection in the future');
      assert.ok(!now.model!.pes![0].segments.find((x) => x.seq === trap.seq)!.future, 'the trap itself is not in the future');
    } finally {
      await vscode.debug.stopDebugging(s);
      await rec.ended(s);
    }
  });
});
