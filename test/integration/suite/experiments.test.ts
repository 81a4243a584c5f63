// ArmVirt: Show Experiments in a real VS Code, with no debug session: opened for the first time
// (nothing in globalState), it runs `node dist/cli.js experiments` in a child process under a
// progress notification and posts the charts' view model — one bar group per benchmark, every
// hypervisor's bar with the cycles the guest measured.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api } from './util';

interface Posted { type?: string; from?: string; model?: { groups: { bench: string; bars: { source: string; hyp: string; value: number | null }[] }[] }; running?: boolean; text?: string }

async function waitFor<T>(probe: () => T | undefined, what: string, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('experiments panel', () => {
  it('armvirt.showExperiments runs the experiments in a child process and posts the charts of the seven benchmarks', async function () {
    this.timeout(180000);
    const a = await api();
    assert.ok(a.experimentsMessages, 'the API exposes the panel\'s messages');
    assert.equal(vscode.debug.activeDebugSession, undefined, 'no debug session is needed');
    await vscode.commands.executeCommand('armvirt.showExperiments');
    const msgs = () => a.experimentsMessages!() as Posted[];
    const model = await waitFor(() => msgs().find((m) => m.type === 'model')?.model, 'the experiments\' view model', 150000);
    assert.equal(model.groups.length, 7);
    for (const g of model.groups) {
      const ours = g.bars.filter((b) => b.source === 'ours');
      assert.deepEqual(ours.map((b) => b.hyp), ['kvm-split', 'xen-style', 'kvm-vhe']);
      for (const b of ours) assert.ok(b.value !== null && b.value > 0, `${g.bench}/${b.hyp}: ${b.value}`);
    }
    const steps = msgs().filter((m) => m.type === 'running' && m.running && /^\[\d+\/24\] /.test(m.text ?? ''));
    assert.ok(steps.length >= 20, `progress steps seen: ${steps.length}`);
    await waitFor(() => msgs().find((m) => m.type === 'running' && m.running === false), 'the end of the run', 10000);
  });
});
