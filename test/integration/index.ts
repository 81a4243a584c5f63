// The extension-tests entry point, as @vscode/test-electron (and the VS Code server with
// --enable-smoke-test-driver) load it inside the extension host: `run()` runs the mocha suites in
// ./suite and rejects when a test fails, which becomes the extension host's exit code.
import * as fs from 'node:fs';
import * as path from 'node:path';

interface MochaRunner { on(event: string, fn: (...args: any[]) => void): void } // eslint-disable-line @typescript-eslint/no-explicit-any

/** Prefix of every report line: run.ts picks these out of the forwarded console. */
export const MARK = '[armvirt-it]';

/**
 * A spec-like reporter on console.log: the extension host forwards its console to the
 * workbench (and to stdout under Electron), not its process stdout.
 */
function Reporter(runner: MochaRunner): void {
  let depth = 0;
  const say = (s: string): void => console.log(`${MARK} ${'  '.repeat(depth)}${s}`);
  runner.on('suite', (s: { title: string }) => { if (s.title) { say(s.title); depth++; } });
  runner.on('suite end', (s: { title: string }) => { if (s.title) depth--; });
  runner.on('pass', (t: { title: string; duration?: number }) => say(`✔ ${t.title} (${t.duration ?? 0} ms)`));
  runner.on('fail', (t: { title: string }, err: Error) => say(`✘ ${t.title}\n${err?.stack ?? err}`));
}
interface MochaInstance {
  addFile(file: string): void;
  run(done: (failures: number) => void): MochaRunner;
}
type MochaCtor = new (opts: Record<string, unknown>) => MochaInstance;

/** mocha 12 is an ES module whose `default` is the Mocha class; require() of ESM yields the namespace. */
function loadMocha(): MochaCtor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require('mocha') as MochaCtor & { default?: MochaCtor };
  return m.default ?? m;
}

export function run(): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: Reporter });
  const dir = path.join(__dirname, 'suite');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  const counts = { tests: 0, passes: 0, failures: 0, failed: [] as string[] };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        // For the runner outside the extension host (run.ts): proof that the suites ran.
        fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(counts, null, 2));
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
      runner.on('pass', () => { counts.tests++; counts.passes++; });
      runner.on('fail', (t) => { counts.tests++; counts.failures++; counts.failed.push(String((t as { fullTitle?: () => string }).fullTitle?.() ?? t)); });
    } catch (e) {
      reject(e as Error);
    }
  });
}
