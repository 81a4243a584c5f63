// Helpers for the integration suites (they run inside the VS Code extension host).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ArmVirtApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'armvirt.armvirt-debugger';

export function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests run with examples/ open as the workspace folder');
  return f;
}

export function exampleUri(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(folder().uri.fsPath, name));
}

/** 1-based line of the first line of the example that contains `text`. */
export function lineOf(name: string, text: string): number {
  const i = fs.readFileSync(exampleUri(name).fsPath, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} not in ${name}`);
  return i + 1;
}

export async function api(): Promise<ArmVirtApi> {
  const ext = vscode.extensions.getExtension<ArmVirtApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext.activate();
}

/** Resolves with the value of `probe` once it is defined; rejects after `ms` with `what`. */
export function until<T>(probe: () => T | undefined, ms: number, what: string, changed: vscode.Event<unknown>[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    const done = (): void => { clearTimeout(timer); subs.forEach((s) => s.dispose()); };
    const check = (): void => {
      const v = probe();
      if (v !== undefined) { done(); resolve(v); }
    };
    const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${ms} ms waiting for ${what}`)); }, ms);
    for (const e of changed) subs.push(e(check));
    check();
  });
}

type Message = DebugProtocol.ProtocolMessage & { event?: string; command?: string; body?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Records every DAP message of every armvirt session (a DebugAdapterTracker). */
export class Recorder implements vscode.Disposable {
  readonly sessions: { session: vscode.DebugSession; messages: Message[]; ended: boolean }[] = [];
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly subs: vscode.Disposable[] = [];

  constructor() {
    this.subs.push(this.emitter, vscode.debug.registerDebugAdapterTrackerFactory('armvirt', {
      createDebugAdapterTracker: (session) => {
        const entry = { session, messages: [] as Message[], ended: false };
        this.sessions.push(entry);
        this.emitter.fire();
        return {
          onDidSendMessage: (m: Message) => { entry.messages.push(m); this.emitter.fire(); },
          onWillStopSession: () => { entry.ended = true; this.emitter.fire(); },
          onExit: () => { entry.ended = true; this.emitter.fire(); },
        };
      },
    }), vscode.debug.onDidTerminateDebugSession((s) => {
      const e = this.sessions.find((x) => x.session.id === s.id);
      if (e) { e.ended = true; this.emitter.fire(); }
    }));
  }

  /** The session started after `count` sessions were seen. */
  session(count: number, ms = 30_000): Promise<vscode.DebugSession> {
    return until(() => this.sessions[count]?.session, ms, 'a new armvirt debug session', [this.emitter.event]);
  }

  /** Waits for the n-th message (from `since`) of session `s` that matches. */
  message(s: vscode.DebugSession, match: (m: Message) => boolean, what: string, since = 0, ms = 30_000): Promise<Message> {
    const entry = (): { messages: Message[] } | undefined => this.sessions.find((x) => x.session.id === s.id);
    return until(() => entry()?.messages.slice(since).find(match), ms, what, [this.emitter.event]);
  }

  event(s: vscode.DebugSession, name: string, since = 0, ms = 30_000, also: (m: Message) => boolean = () => true): Promise<Message> {
    return this.message(s, (m) => m.type === 'event' && m.event === name && also(m), `'${name}' event`, since, ms);
  }

  count(s: vscode.DebugSession): number {
    return this.sessions.find((x) => x.session.id === s.id)?.messages.length ?? 0;
  }

  output(s: vscode.DebugSession): string {
    return (this.sessions.find((x) => x.session.id === s.id)?.messages ?? [])
      .filter((m) => m.type === 'event' && m.event === 'output').map((m) => String(m.body?.output ?? '')).join('');
  }

  ended(s: vscode.DebugSession, ms = 30_000): Promise<true> {
    return until(() => (this.sessions.find((x) => x.session.id === s.id)?.ended ? true : undefined), ms, 'the end of the session', [this.emitter.event]);
  }

  dispose(): void { this.subs.forEach((d) => d.dispose()); }
}

/** The variables of scope `scopeName` in the top frame of `threadId`, by name. */
export async function registers(s: vscode.DebugSession, threadId: number, scopeName: string): Promise<Map<string, string>> {
  const st = await s.customRequest('stackTrace', { threadId });
  const scopes = await s.customRequest('scopes', { frameId: st.stackFrames[0].id });
  const scope = (scopes.scopes as DebugProtocol.Scope[]).find((x) => x.name === scopeName);
  assert.ok(scope, `scope ${scopeName} in ${(scopes.scopes as DebugProtocol.Scope[]).map((x) => x.name).join(', ')}`);
  const vars = await s.customRequest('variables', { variablesReference: scope.variablesReference });
  return new Map((vars.variables as DebugProtocol.Variable[]).map((v) => [v.name, v.value]));
}

export async function topFrame(s: vscode.DebugSession, threadId: number): Promise<DebugProtocol.StackFrame> {
  const st = await s.customRequest('stackTrace', { threadId });
  return st.stackFrames[0] as DebugProtocol.StackFrame;
}
