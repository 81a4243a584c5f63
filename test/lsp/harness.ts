// A small LSP client for tests: spawns `node dist/lspServer.js --stdio` and speaks JSON-RPC
// over its stdio with vscode-jsonrpc, as an editor would.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const SERVER = path.resolve(__dirname, '../../dist/lspServer.js');

export interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  message: string;
  relatedInformation?: { location: { uri: string }; message: string }[];
}

export class LspClient {
  readonly conn: MessageConnection;
  private readonly proc: ChildProcess;
  private readonly versions = new Map<string, number>();
  /** Latest diagnostics per URI. */
  readonly diagnostics = new Map<string, Diag[]>();
  private diagWaiters: { uri: string; resolve: (d: Diag[]) => void }[] = [];
  stderr = '';
  private disposed = false;

  constructor(env: Record<string, string> = {}) {
    if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} missing: run \`npm run build\` first`);
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    // A server that dies fails the pending requests instead of leaving them hanging.
    this.proc.on('exit', (code, signal) => {
      if (this.disposed) return;
      console.error(`language server exited (code ${code}, signal ${signal}); stderr:\n${this.stderr}`);
      this.conn.dispose();
    });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diag[] }) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      const ready = this.diagWaiters.filter((w) => w.uri === p.uri);
      this.diagWaiters = this.diagWaiters.filter((w) => w.uri !== p.uri);
      for (const w of ready) w.resolve(p.diagnostics);
    });
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onRequest('workspace/semanticTokens/refresh', () => null);
    this.conn.listen();
  }

  async initialize(initializationOptions: Record<string, unknown> = { debounceMs: 20 }): Promise<{ capabilities: Record<string, unknown> }> {
    const r = await this.conn.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { hover: { contentFormat: ['markdown'] } }, workspace: { semanticTokens: { refreshSupport: true } } },
      initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  /** Resolves with the next diagnostics published for `uri`. */
  nextDiagnostics(uri: string, timeoutMs = 30000): Promise<Diag[]> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.diagWaiters.push({ uri, resolve: (d) => (clearTimeout(t), resolve(d)) });
    });
  }

  async open(uri: string, text: string, languageId = 'aarch64-asm'): Promise<void> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, text: string): Promise<void> {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest<T>(method, params);
  }

  hover(uri: string, line: number, character: number): Promise<{ contents: { kind: string; value: string }; range?: unknown } | null> {
    return this.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  /** The items of a completion answer (a CompletionList or an array). */
  async completion(uri: string, line: number, character: number): Promise<{ label: string; insertText?: string; data?: unknown; detail?: string }[]> {
    type Item = { label: string; insertText?: string; data?: unknown; detail?: string };
    const r = await this.request<Item[] | { items: Item[] } | null>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    return r === null ? [] : Array.isArray(r) ? r : r.items;
  }

  definition(uri: string, line: number, character: number): Promise<{ uri: string; range: Diag['range'] }[] | null> {
    return this.request('textDocument/definition', { textDocument: { uri }, position: { line, character } });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    this.conn.dispose();
    this.proc.kill();
  }
}

/** A fresh temporary directory with the given files; returns its path. */
export function tempTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-lsp-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export const uriOf = (p: string): string => pathToFileURL(p).href;

/** Position (0-based line, character) of the first occurrence of `needle` in `text`, plus `offset`. */
export function posOf(text: string, needle: string, offset = 0): { line: number; character: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, i + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
