// The panel hosts (DESIGN.md §6): GIC, Timers, Page tables and Timeline webviews. Each follows
// vscode.debug.activeDebugSession and the selected thread (vscode.debug.activeStackItem where
// the running VS Code has it — it is newer than our @types/vscode 1.80 — else the first thread),
// refreshes on every `stopped` event (seen through a debug adapter tracker), and asks the
// adapter with the armvirt/* custom requests. View models are computed here
// (src/webview/model/*, pure) and posted to the page; the page only renders them. What the
// user activates in a page (an LR row: break on it; a timeline record: travel back to it)
// comes back as a message that actions.ts turns into a custom request.
import * as vscode from 'vscode';
import type { GicSnapshot } from '../../sim/gic/gic';
import type { TimersSnapshot } from '../../sim/timer/generic-timer';
import { gicViewModel } from '../../webview/model/gic';
import { timersViewModel } from '../../webview/model/timers';
import { nodeItems, rootItems, walkView, type PtNodeData, type PtRootsData, type TranslateReport, type WalkView } from '../../webview/model/pagetables';
import { timelineViewModel, type ExitProfileRecord, type TraceRecord } from '../../webview/model/timeline';
import { newNonce, panelHtml } from './html';
import { lrBreakpointArgs, travelArgs, watchedLrs, type ExtraFilter } from './actions';

export type PanelKind = 'gic' | 'timers' | 'pagetables' | 'timeline';

const TITLES: Record<PanelKind, string> = { gic: 'ArmVirt: GIC', timers: 'ArmVirt: Timers', pagetables: 'ArmVirt: Page Tables', timeline: 'ArmVirt: Timeline' };

/** What the panels need of the debug API (the tests substitute their own). */
interface StackItemApi { activeStackItem?: { session: vscode.DebugSession; threadId: number }; onDidChangeActiveStackItem?: vscode.Event<unknown> }

interface Body { available?: boolean; data?: unknown }

class Panel {
  private seq = 0;
  /** Snapshot at the stop `lastStop` of `lastKey` (session:thread), and the one of the stop before. */
  private last: unknown;
  private before: unknown;
  private lastKey = '';
  private lastStop = -1;
  /** Page tables: the address the user last translated (walked again at every stop), and whether a fault walk is on show. */
  private translateAddress?: string;
  private faultShown = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly kind: PanelKind, readonly panel: vscode.WebviewPanel, private readonly host: PanelHost) {
    const web = panel.webview;
    const root = host.context.extensionUri;
    const dist = (p: string) => web.asWebviewUri(vscode.Uri.joinPath(root, 'dist', p)).toString();
    web.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(root, 'dist')] };
    web.html = panelHtml({
      title: TITLES[kind], cspSource: web.cspSource, nonce: newNonce(), script: dist(`webview-${kind}.js`),
      styles: [dist('codicons/codicon.css'), dist('webview.css')],
    });
    this.disposables.push(
      web.onDidReceiveMessage((m: { type?: string } & Record<string, unknown>) => { host.record(kind, { from: 'page', ...m }); void this.onMessage(m); }),
      panel.onDidChangeViewState(() => { if (panel.visible) void this.refresh(); }),
    );
    panel.onDidDispose(() => { for (const d of this.disposables) d.dispose(); host.forget(this); });
    // Take the snapshot of this stop now (the baseline of "changed" at the next stop), even
    // before the page has loaded; the page's 'ready' refreshes again at the same stop.
    void this.refresh();
  }

  private post(msg: Record<string, unknown>): void {
    const m = { ...msg, seq: ++this.seq };
    this.host.record(this.kind, m);
    void this.panel.webview.postMessage(m);
  }

  /** A message from the page (or from the armvirt.panelAction command). */
  async onMessage(m: { type?: string } & Record<string, unknown>): Promise<void> {
    const target = await this.host.target();
    try {
      switch (m.type) {
        case 'ready': await this.refresh(); break;
        case 'expand': {
          if (!target) return;
          const r = await target.session.customRequest('armvirt/pageTables', { threadId: target.threadId, stage: m.stage, node: m.node }) as Body;
          const data = r?.data as PtNodeData | undefined;
          this.post({ type: 'children', id: String(m.id), items: data ? nodeItems(data) : [], error: data?.error ?? (data ? undefined : 'not available') });
          break;
        }
        case 'translate': {
          if (!target) return;
          this.translateAddress = String(m.address);
          this.faultShown = false;
          const r = await target.session.customRequest('armvirt/translate', { threadId: target.threadId, address: String(m.address), stage: 'both' }) as { report?: TranslateReport };
          if (r?.report) this.post({ type: 'walk', address: String(m.address), walk: walkView(r.report) });
          break;
        }
        case 'select':
          // The start of the trace has no recorded position to travel to.
          this.host.log(`timeline: segment of CPU${Number(m.pe)} starting at cycle ${Number(m.cycle)} (no recorded position)`);
          break;
        case 'travel': {
          const args = travelArgs(m);
          if (!target || !args) return;
          // The adapter answers, then sends `stopped` (reason 'goto'): VS Code and the panels refresh from that.
          await target.session.customRequest('armvirt/travel', args);
          this.host.log(`timeline: travelled to instruction ${args.retired} (record #${Number(m.seq)}, CPU${Number(m.pe)})`);
          break;
        }
        case 'exitProfile': {
          if (!target) return;
          // The adapter runs through the thread's next guest exit, answers, then sends `stopped`
          // (reason 'step'): the panels refresh from that and show the profile.
          const r = await target.session.customRequest('armvirt/exitProfile', { threadId: target.threadId }) as { profile?: ExitProfileRecord };
          if (r?.profile) this.host.log(`timeline: profiled one exit of CPU${r.profile.pe} (${r.profile.cause}): ${Math.round(r.profile.cycles)} cycles in ${r.profile.segments.length} function segments`);
          break;
        }
        case 'breakOnLr': {
          if (!target) return;
          const args = lrBreakpointArgs(m, this.host.filtersOf(target.session));
          if (!args) return;
          const r = await target.session.customRequest('armvirt/setExceptionFilter', args) as { filters?: ExtraFilter[] };
          this.host.setFilters(target.session, r?.filters ?? []);
          const name = String(m.name ?? `LR${String(m.lr)}`);
          void vscode.window.showInformationMessage(args.enabled
            ? `ArmVirt: the debugger stops when a virtual interrupt is made pending in ${name} on CPU${String(m.pe)} (exception breakpoint virq-inject, ${args.condition}).`
            : `ArmVirt: breakpoint on ${name} of CPU${String(m.pe)} removed.`);
          await this.refresh();
          break;
        }
      }
    } catch (e) {
      const msg = (e as Error).message;
      if (m.type === 'expand') this.post({ type: 'children', id: String(m.id), items: [], error: msg });
      else if (m.type === 'translate') this.post({ type: 'walk', address: String(m.address), walk: { ok: false, headline: msg, steps: [] } });
      else if (m.type === 'travel' || m.type === 'breakOnLr' || m.type === 'exitProfile') {
        this.host.log(`${this.kind}: ${msg}`);
        void vscode.window.showErrorMessage(`ArmVirt: ${msg}`);
      }
    }
  }

  /** Fetches the panel's data from the adapter and posts the view model. */
  async refresh(): Promise<void> {
    const target = await this.host.target();
    if (!target) { this.post({ type: 'empty', reason: 'No ArmVirt debug session is stopped.' }); return; }
    const { session, threadId } = target;
    const key = `${session.id}:${threadId}`;
    const stop = this.host.stopCount(session);
    // "Changed" means since the previous stop, however often the panel refreshes at this one.
    // A panel opened after the previous stop takes the host's snapshot of that stop (GIC, timers) as its baseline.
    const prev = this.lastKey !== key ? (isSnapshotKind(this.kind) ? this.host.snapshotAt(this.kind, session, threadId, stop - 1) : undefined)
      : stop === this.lastStop ? this.before : this.last;
    const remember = (data: unknown): void => {
      if (this.lastKey !== key || stop !== this.lastStop) this.before = prev;
      this.last = data; this.lastStop = stop; this.lastKey = key;
    };
    try {
      switch (this.kind) {
        case 'gic': {
          const r = await session.customRequest('armvirt/gic', { threadId }) as Body;
          if (!r?.available) { this.post({ type: 'empty', reason: 'This machine has no GIC.' }); return; }
          const snap = r.data as GicSnapshot;
          this.post({ type: 'model', model: gicViewModel(snap, prev as GicSnapshot | undefined, { watchedLrs: watchedLrs(this.host.filtersOf(session), snap.pe) }) });
          remember(r.data);
          break;
        }
        case 'timers': {
          const r = await session.customRequest('armvirt/timers', { threadId }) as Body;
          if (!r?.available) { this.post({ type: 'empty', reason: 'This machine has no generic timers.' }); return; }
          this.post({ type: 'model', model: timersViewModel(r.data as TimersSnapshot, prev as TimersSnapshot | undefined) });
          remember(r.data);
          break;
        }
        case 'pagetables': {
          const [s1, s2] = await Promise.all([1, 2].map((stage) => session.customRequest('armvirt/pageTables', { threadId, stage }) as Thenable<Body>));
          const d1 = s1?.data as PtRootsData | undefined, d2 = s2?.data as PtRootsData | undefined;
          const trees = [];
          if (d1) trees.push({ stage: 1, caption: `Stage 1 (${d1.regime})${d1.stage1Enabled ? '' : ' — MMU off'}`, items: rootItems(d1) });
          if (d2) trees.push({ stage: 2, caption: `Stage 2${d2.vmid !== undefined ? ` (VMID ${d2.vmid})` : ''}${d2.stage2Enabled ? '' : ' — off'}`, items: rootItems(d2) });
          this.post({ type: 'roots', title: `Page tables — thread ${threadId}`, summary: [d1?.regime ?? '', d2?.stage2Enabled ? 'Stage 2 on' : 'Stage 2 off'].filter(Boolean), trees });
          // On a Stage-2 fault stop, the walk of the faulting access with its failing step (DESIGN.md §6).
          // Otherwise the walk box behaves like a watch: the user's address is walked again in the
          // state of this stop, and a fault walk of an earlier stop is taken down.
          const fault = await this.host.faultWalk(session, threadId);
          if (fault) {
            this.faultShown = true;
            this.post({ type: 'walk', ...fault });
          } else if (this.translateAddress !== undefined) {
            const r = await session.customRequest('armvirt/translate', { threadId, address: this.translateAddress, stage: 'both' }) as { report?: TranslateReport };
            if (r?.report) this.post({ type: 'walk', address: this.translateAddress, walk: walkView(r.report) });
          } else if (this.faultShown) {
            this.faultShown = false;
            this.post({ type: 'walk', address: '', walk: null });
          }
          break;
        }
        case 'timeline': {
          const r = await session.customRequest('armvirt/trace', { max: 1000 }) as { records?: TraceRecord[]; retired?: number; exitProfile?: ExitProfileRecord };
          this.post({ type: 'model', model: timelineViewModel(Array.isArray(r?.records) ? r.records : [], undefined, [], r?.retired, r?.exitProfile) });
          break;
        }
      }
    } catch (e) {
      this.post({ type: 'empty', reason: `The adapter did not answer: ${(e as Error).message}` });
    }
  }
}

/** Panels whose "changed" highlighting needs the state of the previous stop even if they were opened after it. */
const SNAPSHOT_KINDS = ['gic', 'timers'] as const;
type SnapshotKind = typeof SNAPSHOT_KINDS[number];
const isSnapshotKind = (k: PanelKind): k is SnapshotKind => (SNAPSHOT_KINDS as readonly string[]).includes(k);

export class PanelHost implements vscode.Disposable {
  private readonly panels = new Map<PanelKind, Panel>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Thread of the last `stopped` event per session (the fallback when activeStackItem is unknown). */
  private readonly stoppedThread = new Map<string, number>();
  private readonly stops = new Map<string, number>();
  /** Per session: the adapter's list of filters set from the panels (armvirt/setExceptionFilter responses). */
  private readonly extraFilters = new Map<string, ExtraFilter[]>();
  private autoOpened = false;
  /** GIC and timer state of the last two stops per session, thread and kind (the "changed" baseline of a panel opened later). */
  private readonly stopSnapshots = new Map<string, { stop: number; data: unknown }[]>();

  constructor(readonly context: vscode.ExtensionContext, readonly log: (line: string) => void) {
    const dbg = vscode.debug as unknown as StackItemApi;
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('armvirt', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: { type?: string; event?: string; body?: { threadId?: number } }) => {
            if (m?.type === 'event' && m.event === 'stopped') this.onStopped(session, m.body?.threadId);
          },
        }),
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.refreshAll()),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.stoppedThread.delete(s.id); this.stops.delete(s.id); this.extraFilters.delete(s.id);
        for (const k of [...this.stopSnapshots.keys()]) if (k.startsWith(`${s.id}:`)) this.stopSnapshots.delete(k);
        this.refreshAll();
      }),
    );
    if (dbg.onDidChangeActiveStackItem) this.disposables.push(dbg.onDidChangeActiveStackItem(() => this.refreshAll()));
  }

  show(kind: PanelKind): void {
    const existing = this.panels.get(kind);
    if (existing) { existing.panel.reveal(undefined, true); return; }
    const wp = vscode.window.createWebviewPanel(`armvirt.${kind}`, TITLES[kind], { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')],
    });
    this.panels.set(kind, new Panel(kind, wp, this));
  }

  private readonly posted = new Map<PanelKind, unknown[]>();

  /** Keeps the last messages posted to each panel (integration tests read them through the API). */
  record(kind: PanelKind, msg: unknown): void {
    const l = this.posted.get(kind) ?? [];
    l.push(msg);
    if (l.length > 50) l.shift();
    this.posted.set(kind, l);
  }

  /** Messages posted to a panel, and messages received from its page ('ready' means the script ran under the CSP). */
  messages(kind: PanelKind): readonly unknown[] { return this.posted.get(kind) ?? []; }

  /** Number of `stopped` events seen from the session. */
  stopCount(session: vscode.DebugSession): number { return this.stops.get(session.id) ?? 0; }

  /** The GIC or timers snapshot taken at stop `stop` of the session's thread, if any. */
  snapshotAt(kind: SnapshotKind, session: vscode.DebugSession, threadId: number, stop: number): unknown {
    return this.stopSnapshots.get(`${session.id}:${threadId}:${kind}`)?.find((s) => s.stop === stop)?.data;
  }

  /** At a `stage2-fault` stop: the faulting access's walk (VA → IPA → PA in the guest's regime), else undefined. */
  async faultWalk(session: vscode.DebugSession, threadId: number): Promise<{ address: string; walk: WalkView } | undefined> {
    try {
      const info = await session.customRequest('exceptionInfo', { threadId }) as { exceptionId?: string; details?: { stackTrace?: string } };
      if (info?.exceptionId !== 'stage2-fault') return undefined;
      // details.stackTrace holds the filter's fields as "name=0xvalue …" (src/debug/session.ts).
      const f: Record<string, number> = {};
      for (const m of (info.details?.stackTrace ?? '').matchAll(/(\w+)=(0x[0-9a-f]+)/gi)) f[m[1]] = Number(m[2]);
      if (f.va === undefined) return undefined;
      const access = f.fetch ? 'fetch' : f.write ? 'write' : 'read';
      const address = `0x${f.va.toString(16)}`;
      const r = await session.customRequest('armvirt/translate', { threadId, address, el: f.from ?? 1, stage: 'both', access }) as { report?: TranslateReport };
      return r?.report ? { address: `${address} (faulting ${access} from EL${f.from ?? 1})`, walk: walkView(r.report) } : undefined;
    } catch {
      return undefined;
    }
  }

  filtersOf(session: vscode.DebugSession): readonly ExtraFilter[] { return this.extraFilters.get(session.id) ?? []; }

  setFilters(session: vscode.DebugSession, filters: ExtraFilter[]): void { this.extraFilters.set(session.id, filters); }

  /**
   * Handles `msg` as if the panel's page had posted it (the armvirt.panelAction command: the
   * integration tests drive the host this way, as code-server may not load webview content
   * offline). Opens the panel first if needed.
   */
  async receive(kind: PanelKind, msg: { type?: string } & Record<string, unknown>): Promise<void> {
    this.show(kind);
    this.record(kind, { from: 'command', ...msg });
    await this.panels.get(kind)!.onMessage(msg);
  }

  forget(p: Panel): void { if (this.panels.get(p.kind) === p) this.panels.delete(p.kind); }

  /** The session and thread the panels show. */
  async target(): Promise<{ session: vscode.DebugSession; threadId: number } | undefined> {
    const session = vscode.debug.activeDebugSession;
    if (!session || session.type !== 'armvirt') return undefined;
    const item = (vscode.debug as unknown as StackItemApi).activeStackItem;
    if (item && item.session.id === session.id && typeof item.threadId === 'number') return { session, threadId: item.threadId };
    const stopped = this.stoppedThread.get(session.id);
    if (stopped !== undefined) return { session, threadId: stopped };
    try {
      const r = await session.customRequest('threads') as { threads?: { id: number }[] };
      const first = r?.threads?.[0]?.id;
      return first === undefined ? undefined : { session, threadId: first };
    } catch {
      return undefined;
    }
  }

  private onStopped(session: vscode.DebugSession, threadId: number | undefined): void {
    if (threadId !== undefined) this.stoppedThread.set(session.id, threadId);
    this.stops.set(session.id, this.stopCount(session) + 1);
    const stop = this.stopCount(session), thread = threadId ?? this.stoppedThread.get(session.id);
    if (thread !== undefined) {
      for (const kind of SNAPSHOT_KINDS) {
        const key = `${session.id}:${thread}:${kind}`;
        void Promise.resolve(session.customRequest(`armvirt/${kind}`, { threadId: thread })).then((r: Body) => {
          if (!r?.available) return;
          const l = this.stopSnapshots.get(key) ?? [];
          l.push({ stop, data: r.data });
          if (l.length > 2) l.shift();
          this.stopSnapshots.set(key, l);
        }, () => undefined);
      }
    }
    if (!this.autoOpened && vscode.workspace.getConfiguration('armvirt.panels').get<boolean>('autoOpen', false)) {
      this.autoOpened = true;
      this.show('gic');
    }
    // The tracker sees the event before VS Code has updated the active session and stack item.
    setTimeout(() => this.refreshAll(), 50);
  }

  private refreshAll(): void {
    for (const p of this.panels.values()) if (p.panel.visible) void p.refresh();
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export function registerPanels(context: vscode.ExtensionContext, log: (line: string) => void): PanelHost {
  const host = new PanelHost(context, log);
  context.subscriptions.push(
    host,
    vscode.commands.registerCommand('armvirt.showGic', () => host.show('gic')),
    vscode.commands.registerCommand('armvirt.showTimers', () => host.show('timers')),
    vscode.commands.registerCommand('armvirt.showPageTables', () => host.show('pagetables')),
    vscode.commands.registerCommand('armvirt.showTimeline', () => host.show('timeline')),
    // Not in the palette: runs a page action ({type: 'breakOnLr' | 'travel', …}) without the page.
    vscode.commands.registerCommand('armvirt.panelAction', (kind: PanelKind, msg: Record<string, unknown>) => host.receive(kind, msg)),
  );
  return host;
}
