// Runs `armvirt experiments --json --progress-json` in a child process (the extension host is
// never blocked by the simulation): the report is the child's stdout; each step's progress is
// one JSON line on its stderr ({"step", "total", "hypervisor", "what", "label"}, src/cli/experiments.ts).
// No vscode import: the unit tests run it against dist/cli.js.
import { spawn } from 'node:child_process';
import type { ExperimentsReport } from '../cli/paper';

export interface ExperimentsStep { step: number; total: number; hypervisor: string; what: string; label: string }

export interface RunExperimentsOptions {
  /** dist/cli.js. */
  cli: string;
  /** The Node.js to run it with (default: this process's runtime, as Node under Electron). */
  node?: string;
  /** Extra CLI arguments (--iterations, --hyp, --bench, --profile). */
  args?: string[];
  onStep?(s: ExperimentsStep): void;
  /** Aborting kills the child; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
}

export class ExperimentsRunError extends Error {}

export function runExperimentsProcess(o: RunExperimentsOptions): Promise<ExperimentsReport> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) { reject(abortError()); return; }
    const child = spawn(o.node ?? process.execPath, [o.cli, 'experiments', '--json', '--progress-json', ...(o.args ?? [])], {
      // Under VS Code's Electron, process.execPath is Electron: run it as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true,
    });
    const out: Buffer[] = [];
    let errText = '', pending = '';
    let aborted = false;
    const onAbort = (): void => { aborted = true; child.kill(); };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      pending += s;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const step = parseStep(line);
        if (step) o.onStep?.(step);
        else if (line.trim()) errText += line + '\n';
      }
    });
    child.on('error', (e) => { o.signal?.removeEventListener('abort', onAbort); reject(new ExperimentsRunError(`could not start ${o.cli}: ${e.message}`)); });
    child.on('close', (code, sig) => {
      o.signal?.removeEventListener('abort', onAbort);
      if (aborted) { reject(abortError()); return; }
      errText += pending;
      if (code !== 0) { reject(new ExperimentsRunError(`armvirt experiments exited with ${code ?? sig}${errText.trim() ? `: ${errText.trim()}` : ''}`)); return; }
      try {
        const report = JSON.parse(Buffer.concat(out).toString('utf8')) as ExperimentsReport;
        if (!Array.isArray(report?.rows) || !Array.isArray(report?.breakdown)) throw new Error('no rows or breakdown');
        resolve(report);
      } catch (e) {
        reject(new ExperimentsRunError(`armvirt experiments printed no report: ${(e as Error).message}`));
      }
    });
  });
}

function parseStep(line: string): ExperimentsStep | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const s = JSON.parse(line) as Partial<ExperimentsStep>;
    return typeof s.step === 'number' && typeof s.total === 'number' && typeof s.label === 'string' ? s as ExperimentsStep : undefined;
  } catch {
    return undefined;
  }
}

function abortError(): Error {
  const e = new Error('the experiments were cancelled');
  e.name = 'AbortError';
  return e;
}
