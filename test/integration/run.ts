// Runs the extension integration tests (test/integration/suite) inside a real VS Code extension
// host and exits with their verdict.
//
//   tsx test/integration/run.ts              the VS Code server bundled in code-server, started
//                                            with --enable-smoke-test-driver and opened in Chromium;
//                                            works offline (TESTING.md)
//   tsx test/integration/run.ts --electron   @vscode/test-electron: downloads VS Code (needs network)
//
// Both load out/test/integration/index.js (its run() drives mocha) with the repository as the
// extension development path and a copy of examples/ as the workspace.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { ARTIFACTS, REPO, Group, copyExamples, freePort, launchChromium, scratch, tools, writeUserSettings } from '../e2e/harness';

const OUT = path.join(REPO, 'out', 'test', 'integration');
// A guard against a hung workbench, not a speed goal: a loaded 2-core machine needs minutes.
const TIMEOUT_MS = 900_000;

/** Bundles index.ts and each suite file to out/ (CommonJS; vscode and mocha come from the host). */
async function bundleTests(): Promise<string> {
  fs.rmSync(OUT, { recursive: true, force: true });
  const suiteDir = path.join(REPO, 'test', 'integration', 'suite');
  const suites = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(suiteDir, f));
  await build({
    entryPoints: [path.join(REPO, 'test', 'integration', 'index.ts'), ...suites],
    outbase: path.join(REPO, 'test', 'integration'),
    outdir: OUT,
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline',
    external: ['vscode', 'mocha'], logLevel: 'warning',
  });
  return path.join(OUT, 'index.js');
}

async function viaCodeServer(testsPath: string): Promise<number> {
  const t = tools();
  const { dir, env } = scratch('armvirt-it-');
  const userData = path.join(dir, 'user-data');
  writeUserSettings(userData);
  const ws = copyExamples(path.join(dir, 'examples'));
  const port = await freePort();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const server = new Group(t.node, [t.serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--enable-smoke-test-driver', '--disable-telemetry', '--disable-workspace-trust',
    '--user-data-dir', userData, '--extensions-dir', path.join(dir, 'extensions')], env, path.join(ARTIFACTS, 'integration-server.log'));
  const browser = await (async () => {
    await server.waitFor(/Extension host agent listening on/, 60_000, 'VS Code server');
    return launchChromium();
  })().catch((e) => { server.kill(); throw e; });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const verdict = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no verdict after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      void page.exposeFunction('codeAutomationExit', (code: number) => { clearTimeout(timer); resolve(code); });
    });
    await page.exposeFunction('codeAutomationLog', (level: string, message: string) => {
      if (process.env.IT_VERBOSE) process.stdout.write(`[workbench ${level}] ${message}\n`);
    });
    // The extension host's console (index.ts's reporter) is forwarded to the page's console.
    page.on('console', (msg) => {
      void Promise.all(msg.args().map((a) => a.jsonValue().catch(() => '?'))).then((vals: unknown[]) => {
        if (typeof vals[0] === 'string' && vals[0].startsWith('%c')) vals = vals.slice(2); // "%c INFO", "color: …"
        const text = vals.length > 0 ? format(...vals) : msg.text();
        const at = text.indexOf('[armvirt-it] ');
        if (at >= 0) process.stdout.write(`${text.slice(at + 13)}\n`);
        else if (process.env.IT_VERBOSE) process.stdout.write(`[console ${msg.type()}] ${text}\n`);
      });
    });
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://remote${REPO}`],
      ['extensionTestsPath', `vscode-remote://remote${testsPath}`],
    ]);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`);
    const code = await verdict;
    console.log(`extension host exited with ${code}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'integration-final.png') }).catch(() => undefined);
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    server.kill();
  }
}

async function viaTestElectron(testsPath: string): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  const { dir } = scratch('armvirt-it-electron-');
  const ws = copyExamples(path.join(dir, 'examples'));
  try {
    // runTests gives VS Code its own user-data and extensions folders.
    return await runTests({
      extensionDevelopmentPath: REPO,
      extensionTestsPath: testsPath,
      launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (e) {
    console.error(e);
    return 1;
  }
}

async function main(): Promise<number> {
  const t0 = Date.now();
  execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
  const testsPath = await bundleTests();
  const results = path.join(OUT, 'results.json');
  let code = process.argv.includes('--electron') ? await viaTestElectron(testsPath) : await viaCodeServer(testsPath);
  // The exit code is the verdict; results.json (written by index.ts) guards against a run that
  // exits 0 without having run the suites.
  if (!fs.existsSync(results)) {
    console.error('no results.json: the suites did not run');
    code = code || 1;
  } else {
    const r = JSON.parse(fs.readFileSync(results, 'utf8')) as { passes: number; failures: number; tests: number };
    console.log(`integration tests: ${r.passes} passing, ${r.failures} failing`);
    if (r.passes === 0 || r.failures > 0) code = code || 1;
  }
  console.log(`integration tests: exit code ${code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return code;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
