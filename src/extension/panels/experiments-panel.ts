// ArmVirt: Show Experiments — a webview with the experiments' charts (the view of
// `armvirt experiments --html`), independent of any debug session. "Run again" runs
// `node dist/cli.js experiments --json --progress-json` in a child process
// (../experiments-run.ts) under a cancellable progress notification; the last report is kept in
// globalState and shown when the panel is opened again. Same page and CSP as the other panels
// (html.ts: nonce'd script, styles only from dist/, default-src 'none').
import * as vscode from 'vscode';
import type { ExperimentsReport } from '../../cli/paper';
import { experimentsViewModel } from '../../webview/model/experiments';
import { runExperimentsProcess, type ExperimentsStep } from '../experiments-run';
import { newNonce } from './html';
import { experimentsPageHtml } from './experiments-page';

const STATE_KEY = 'armvirt.experiments.last';
/** The CLI's default, so the panel shows the figures README.md and docs/experiments.md quote. */
const ITERATIONS = 32;

interface Cached { report: ExperimentsReport; iterations: number; finished: string }

export class ExperimentsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private seq = 0;
  private running: Promise<void> | undefined;
  private lastStep = '';
  private readonly disposables: vscode.Disposable[] = [];
  /** Messages posted to the page and received from it (tests read them). */
  readonly messages: unknown[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: (line: string) => void) {}

  show(): void {
    if (this.panel) { this.panel.reveal(undefined, false); return; }
    const root = this.context.extensionUri;
    const p = vscode.window.createWebviewPanel('armvirt.experiments', 'ArmVirt: Experiments', vscode.ViewColumn.Active, {
      enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(root, 'dist')],
    });
    const dist = (f: string): string => p.webview.asWebviewUri(vscode.Uri.joinPath(root, 'dist', f)).toString();
    p.webview.html = experimentsPageHtml({ cspSource: p.webview.cspSource, dist, nonce: newNonce() });
    this.panel = p;
    const subs = [
      p.webview.onDidReceiveMessage((m: { type?: string }) => { this.record({ from: 'page', ...m }); this.onMessage(m); }),
    ];
    p.onDidDispose(() => { for (const d of subs) d.dispose(); if (this.panel === p) this.panel = undefined; });
    // The first time (nothing cached), run them now rather than when the page has loaded.
    this.sendState(!this.context.globalState.get<Cached>(STATE_KEY));
  }

  /** Posts what there is to show: the cached report, else a placeholder; the run's progress. Starts a run if `runIfNone`. */
  private sendState(runIfNone: boolean): void {
    const cached = this.context.globalState.get<Cached>(STATE_KEY);
    if (cached) this.postModel(cached);
    else if (!this.running && runIfNone) void this.run();
    else this.post({ type: 'empty', reason: this.running ? 'Running the experiments…' : 'No results yet: Run again runs the experiments.' });
    if (this.running) this.post({ type: 'running', running: true, text: this.lastStep });
  }

  private record(m: unknown): void {
    this.messages.push(m);
    if (this.messages.length > 50) this.messages.shift();
  }

  private post(msg: Record<string, unknown>): void {
    const m = { ...msg, seq: ++this.seq };
    this.record(m);
    void this.panel?.webview.postMessage(m);
  }

  onMessage(m: { type?: string }): void {
    if (m.type === 'ready') this.sendState(false);
    else if (m.type === 'run') {
      void this.run();
    }
  }

  /** Posts the cached report's view model; returns its status line. */
  private postModel(c: Cached): string {
    const when = new Date(c.finished);
    const status = `Results of ${Number.isNaN(when.getTime()) ? c.finished : when.toLocaleString()}`;
    this.post({ type: 'model', model: experimentsViewModel(c.report, { iterations: c.iterations }), status });
    return status;
  }

  /** Runs the experiments in a child process under a cancellable progress notification. */
  run(): Promise<void> {
    this.running ??= this.runOnce().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async runOnce(): Promise<void> {
    this.lastStep = 'Running…';
    this.post({ type: 'running', running: true, text: this.lastStep });
    if (!this.context.globalState.get<Cached>(STATE_KEY)) this.post({ type: 'empty', reason: 'Running the experiments…' });
    let outcome = '';
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'ArmVirt: running the experiments', cancellable: true }, async (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      try {
        const report = await runExperimentsProcess({
          cli: this.context.asAbsolutePath('dist/cli.js'), args: ['--iterations', String(ITERATIONS)], signal: ac.signal,
          onStep: (s: ExperimentsStep) => {
            this.lastStep = `[${s.step}/${s.total}] ${s.label}`;
            progress.report({ message: this.lastStep, increment: 100 / s.total });
            this.post({ type: 'running', running: true, text: this.lastStep });
          },
        });
        const cached: Cached = { report, iterations: ITERATIONS, finished: new Date().toISOString() };
        await this.context.globalState.update(STATE_KEY, cached);
        outcome = this.postModel(cached);
        this.log(`experiments: ${report.rows.length} results (profile ${report.profile})`);
      } catch (e) {
        const err = e as Error;
        if (err.name === 'AbortError') outcome = 'Cancelled.';
        else {
          outcome = `Failed: ${err.message}`;
          this.log(`experiments: ${err.message}`);
          void vscode.window.showErrorMessage(`ArmVirt: the experiments failed: ${err.message}`);
        }
        if (!this.context.globalState.get<Cached>(STATE_KEY)) this.post({ type: 'empty', reason: `No results. ${outcome}` });
      } finally {
        sub.dispose();
      }
    });
    this.post({ type: 'running', running: false, text: outcome });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export function registerExperimentsPanel(context: vscode.ExtensionContext, log: (line: string) => void): ExperimentsPanel {
  const panel = new ExperimentsPanel(context, log);
  context.subscriptions.push(panel, vscode.commands.registerCommand('armvirt.showExperiments', () => panel.show()));
  return panel;
}
