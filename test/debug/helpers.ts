// Shared set-up of the debug adapter tests: a DebugClient over `node dist/debugAdapter.js`
// (build it first with `npm run build`), and small helpers on top of it.
import * as assert from 'node:assert';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = path.resolve(__dirname, '../..');
export const ADAPTER = path.join(ROOT, 'dist/debugAdapter.js');
export const PROGRAMS = path.join(__dirname, 'programs');

export function program(name: string): string {
  return path.join(PROGRAMS, name);
}

export function newClient(): DebugClient {
  const dc = new DebugClient('node', ADAPTER, 'armvirt');
  dc.defaultTimeout = 10000;
  return dc;
}

/** 1-based line of the first line of `file` containing `marker` (a comment like `// @hvc0`). */
export function lineOf(file: string, marker: string): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const text: string = require('node:fs').readFileSync(file, 'utf8');
  const i = text.split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not in ${file}`);
  return i + 1;
}

/** Launches with the given configuration: exception filters and breakpoints are set in the configuration phase. */
export async function launch(dc: DebugClient, args: Record<string, unknown>, configure: () => Promise<unknown> = async () => undefined): Promise<void> {
  await Promise.all([
    dc.waitForEvent('initialized').then(configure).then(() => dc.configurationDoneRequest()),
    dc.launch(args),
  ]);
}

export async function stopped(dc: DebugClient, reason?: string): Promise<DebugProtocol.StoppedEvent> {
  const e = await dc.waitForEvent('stopped') as DebugProtocol.StoppedEvent;
  if (reason !== undefined) assert.strictEqual(e.body.reason, reason, `stopped: ${JSON.stringify(e.body)}`);
  return e;
}

export async function topFrame(dc: DebugClient, threadId = 1): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId });
  return st.body.stackFrames[0];
}

/** Value of a variable in a named scope of the top frame. */
export async function variable(dc: DebugClient, scopeName: string, name: string, threadId = 1): Promise<DebugProtocol.Variable> {
  const f = await topFrame(dc, threadId);
  const scopes = await dc.scopesRequest({ frameId: f.id });
  const sc = scopes.body.scopes.find((s) => s.name === scopeName);
  if (!sc) throw new Error(`no scope ${scopeName}: ${scopes.body.scopes.map((s) => s.name).join(', ')}`);
  const vars = await dc.variablesRequest({ variablesReference: sc.variablesReference });
  const v = vars.body.variables.find((x) => x.name === name);
  if (!v) throw new Error(`no variable ${name} in ${scopeName}`);
  return v;
}

export async function evaluate(dc: DebugClient, expression: string): Promise<string> {
  const f = await topFrame(dc);
  const r = await dc.evaluateRequest({ expression, frameId: f.id, context: 'repl' });
  return r.body.result;
}

/** Debian's AArch64 cross compiler, which the C-program tests build with. */
export const GCC = 'aarch64-linux-gnu-gcc';

/**
 * Skips the suite when a tool it builds with is missing (`present` false), saying which package
 * to install; under CI=true a missing tool fails instead (CI installs every tool first).
 */
export function requireToolOrSkip(ctx: Mocha.Context, present: boolean, what: string): void {
  if (present) return;
  const msg = `${what} not found`;
  if (process.env.CI === 'true') throw new Error(msg);
  // eslint-disable-next-line no-console
  console.log(`      skipped: ${msg}`);
  ctx.skip();
}

/** requireToolOrSkip for the cross gcc. */
export function requireGcc(ctx: Mocha.Context): void {
  requireToolOrSkip(ctx, spawnSync(GCC, ['--version'], { stdio: 'ignore' }).status === 0, `${GCC}; install gcc-aarch64-linux-gnu`);
}
