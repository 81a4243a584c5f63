// A V8 code cache for the CLI's own bundles, so that a command does not parse and compile the same
// JavaScript again at every start (dist/cli-run.js alone is ~390 KB of source).
//
// Node 22.1+ has this built in (module.enableCompileCache, kept in the OS's temporary directory);
// there it is used. Node 20 (package.json "engines", CI) has no such switch, so this module does the
// same for the dist/cli-*.js bundles only: each is compiled as a vm.Script with the cached data of
// the last run (V8's ScriptCompiler::kConsumeCodeCache), and when there was none, or V8 rejected it
// (another V8 version or flags), the code that the command compiled is saved when the process exits,
// lazily compiled functions included (createCachedData after the run, not after the compile).
//
// Safe by construction: any failure (no temporary directory, a read-only or full disk, a directory
// owned by someone else, a corrupt or truncated file) means "no cache" and the normal compile; V8
// itself refuses data from another V8 version, flag set or source length. What V8 cannot see — the
// same length but other text — is covered by a content key that scripts/build.mjs writes into each
// bundle (`//# armvirtCacheKey=…`, a hash of the bundle's text) and that each cache file starts with.
//
// Where: $ARMVIRT_COMPILE_CACHE if set (a directory; "off" or "0" turns the cache off, as does Node's
// own NODE_DISABLE_COMPILE_CACHE=1), else <os.tmpdir()>/armvirt-compile-cache-<uid>, created 0700;
// a directory that another user owns or that others may write is not used (a cache file is code).
// NODE_DEBUG=armvirt-compile-cache prints what happened to each bundle (hit, miss, rejected, saved).
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { debuglog } from 'node:util';
import { Script } from 'node:vm';

/** The line scripts/build.mjs adds to each CLI bundle; its value keys that bundle's cache file. */
export const CACHE_KEY_PREFIX = '//# armvirtCacheKey=';
/** Only the CLI's own bundles (not cli.js itself, already compiled when this runs, nor node_modules). */
const BUNDLE = /^cli-[\w.-]+\.js$/;

const log = debuglog('armvirt-compile-cache');
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAP_TAIL = '})';

/** The cache directory, or null when the cache is off. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env.ARMVIRT_COMPILE_CACHE;
  if (v === 'off' || v === '0' || env.NODE_DISABLE_COMPILE_CACHE === '1') return null;
  if (v) return resolve(v);
  const uid = typeof process.getuid === 'function' ? `-${process.getuid()}` : '';
  return join(tmpdir(), `armvirt-compile-cache${uid}`);
}

/** The bundle's content key (the last `//# armvirtCacheKey=` line), or null if it has none. */
export function cacheKeyOf(source: string): string | null {
  const i = source.lastIndexOf(CACHE_KEY_PREFIX);
  if (i < 0) return null;
  const end = source.indexOf('\n', i);
  const key = source.slice(i + CACHE_KEY_PREFIX.length, end < 0 ? undefined : end).trim();
  return /^[0-9a-f]{16,64}$/.test(key) ? key : null;
}

/** A usable cache directory: ours (created 0700 if missing), a real directory, writable by no one else. */
function usableDir(dir: string): boolean {
  try {
    // lstat first: the directory exists at every start but the first (one system call, not mkdir's walk).
    let st = lstatSync(dir, { throwIfNoEntry: false });
    if (st === undefined) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      st = lstatSync(dir);
    }
    if (!st.isDirectory()) return false;
    if (typeof process.getuid === 'function' && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * Cache file of a bundle: one per bundle path, Node version and Node options (so a rebuild replaces
 * it rather than adding one). V8 refuses data made by another V8 or under other flags, and the
 * refusing run writes its own: without the version and options in the name, two installs of the
 * CLI, or runs alternating `node` and `node --some-v8-flag`, would keep replacing each other's file.
 */
function cacheFile(dir: string, filename: string): string {
  const id = `${filename}\0${process.version}\0${process.execArgv.join('\0')}`;
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return join(dir, `${basename(filename, '.js')}-${(h >>> 0).toString(16).padStart(8, '0')}.v8cache`);
}

/** Cache file layout: the content key, a newline, then V8's cached data. */
function readCache(file: string, key: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const head = key.length + 1;
  if (data.length <= head || data.toString('latin1', 0, key.length) !== key || data[key.length] !== 0x0a) return undefined;
  return data.subarray(head);
}

function writeCache(file: string, key: string, script: Script): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${key}\n`, 'latin1'), script.createCachedData()]), { mode: 0o600 });
    renameSync(tmp, file); // atomic: a concurrent reader sees the old file or the new one
    log('saved %s', file);
  } catch (e) {
    log('cannot save %s: %s', file, (e as Error).message);
    try { rmSync(tmp, { force: true }); } catch { /* nothing to clean up */ }
  }
}

interface CompilableModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}

/**
 * Turns the cache on for the bundles in `distDir` (the directory of cli.js). Returns how: 'node'
 * (Node's own cache), 'bundles' (this module's), or 'off'. `save(exitCode)` decides at exit whether
 * what this process compiled is worth keeping: a saved cache is used as it is by every later run, so
 * one from a run that stopped early (a usage error) would leave most of the code to compile each time.
 */
export function enableCompileCache(distDir: string, env: NodeJS.ProcessEnv = process.env, save: (exitCode: number) => boolean = () => true): 'node' | 'bundles' | 'off' {
  const dir = compileCacheDir(env);
  if (dir === null) return 'off';
  // With --enable-source-maps Node maps stack traces of the modules it compiles itself: leave those alone.
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled) return 'off';
  const builtIn = (Module as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (builtIn) {
    try {
      builtIn(env.ARMVIRT_COMPILE_CACHE ? dir : undefined);
      return 'node';
    } catch {
      return 'off';
    }
  }
  if (!usableDir(dir)) {
    log('cache directory %s is not usable: compiling without a cache', dir);
    return 'off';
  }
  const proto = (Module as unknown as { prototype: CompilableModule }).prototype;
  const compile = proto._compile;
  const pending: { file: string; key: string; script: Script }[] = [];
  proto._compile = function (this: CompilableModule, content: string, filename: string): unknown {
    const key = dirname(filename) === distDir && BUNDLE.test(basename(filename)) ? cacheKeyOf(content) : null;
    if (key === null || content.startsWith('#!')) return compile.call(this, content, filename);
    const file = cacheFile(dir, filename);
    const cachedData = readCache(file, key);
    let script: Script;
    try {
      // The wrapper Node puts around a CommonJS module, on a line of its own (lineOffset -1): every
      // line and column of the bundle stays where its source map says (a bundle is a few long lines).
      script = new Script(`${WRAP_HEAD}\n${content}\n${WRAP_TAIL}`, { filename, cachedData, lineOffset: -1 });
    } catch (e) {
      // A syntax error: the normal path reports it as Node always does.
      if (e instanceof SyntaxError) return compile.call(this, content, filename);
      throw e;
    }
    if (cachedData === undefined || script.cachedDataRejected) {
      log('%s %s', cachedData === undefined ? 'miss' : 'rejected', basename(filename));
      pending.push({ file, key, script });
    } else log('hit %s', basename(filename));
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...a: unknown[]) => unknown;
    const mod = this;
    // The require() a module gets (Node's makeRequireFunction): the public parts the bundles use.
    const local = createRequire(filename);
    const req = Object.assign((id: string) => mod.require(id), {
      resolve: local.resolve, main: require.main, cache: local.cache, extensions: local.extensions,
    });
    return wrapper.call(mod.exports, mod.exports, req, mod, filename, dirname(filename));
  };
  process.once('exit', (code) => {
    if (pending.length > 0 && !save(code)) {
      log('not saved: the process exits with %d', code);
      return;
    }
    for (const p of pending) writeCache(p.file, p.key, p.script);
  });
  return 'bundles';
}
