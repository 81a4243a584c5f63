// The CLI's compiled-code cache (src/cli/compile-cache.ts): a second start uses what the first
// compiled, a bad or foreign cache is never used, an unusable directory only means "no cache", and
// the program's behaviour and error positions are the same with and without it. What happened is
// read from NODE_DEBUG=armvirt-compile-cache; on Node 22.1+ Node's own cache is used instead.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE_KEY_PREFIX, cacheKeyOf, compileCacheDir } from '../../../src/cli/compile-cache';
import { CLI, ROOT, ensureBuilt } from './helpers';

const NODE_HAS_CACHE = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const HELLO_EXIT = 55; // examples/el1-hello.S exits with the sum of 1..10

interface Run { status: number | null; stdout: string; stderr: string; events: string[] }

/** `node dist/cli.js ...args` with the cache in `cacheDir`; `events`: the cache's debug lines ("hit cli-run.js"…). */
function run(args: string[], cacheDir: string): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, ARMVIRT_COMPILE_CACHE: cacheDir, NODE_DEBUG: 'armvirt-compile-cache' };
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60000, env });
  if (r.error) throw r.error;
  const events = r.stderr.split('\n').filter((l) => l.startsWith('ARMVIRT-COMPILE-CACHE')).map((l) => l.replace(/^ARMVIRT-COMPILE-CACHE \d+: /, ''));
  const stderr = r.stderr.split('\n').filter((l) => !l.startsWith('ARMVIRT-COMPILE-CACHE')).join('\n');
  return { status: r.status, stdout: r.stdout, stderr, events };
}

const cacheFiles = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache')) : []);

describe('the CLI compile cache', function () {
  this.timeout(120000);
  let dir = '';
  let elf = '';

  before(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-cc-test-'));
    elf = path.join(dir, 'el1-hello.elf');
    const r = spawnSync(process.execPath, [CLI, 'asm', path.join(ROOT, 'examples', 'el1-hello.S'), '-o', elf], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('every CLI bundle but cli.js carries a content key that changes with its text', () => {
    const bundles = fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => /^cli-.*\.js$/.test(f));
    assert.ok(bundles.includes('cli-run.js'), bundles.join(', '));
    const keys = new Set<string>();
    for (const b of bundles) {
      const text = fs.readFileSync(path.join(ROOT, 'dist', b), 'utf8');
      const key = cacheKeyOf(text);
      assert.ok(key, `${b} has a ${CACHE_KEY_PREFIX} line`);
      keys.add(key);
      // The key line comes before the source map's line, which stays last.
      assert.match(text, /\n\/\/# armvirtCacheKey=[0-9a-f]+\n\/\/# sourceMappingURL=[\w.-]+\.map\n?$/, b);
    }
    assert.strictEqual(keys.size, bundles.length, 'bundles of different text have different keys');
    assert.strictEqual(cacheKeyOf(fs.readFileSync(CLI, 'utf8')), null, 'cli.js itself is compiled before the cache is on');
    assert.strictEqual(cacheKeyOf('x\n//# armvirtCacheKey=not-hex\n'), null);
    assert.strictEqual(cacheKeyOf('x\n//# armvirtCacheKey=0123456789abcdef\n'), '0123456789abcdef');
  });

  it('the directory: ARMVIRT_COMPILE_CACHE, "off"/"0" and NODE_DISABLE_COMPILE_CACHE=1 turn it off, else a per-user one in the temporary directory', () => {
    assert.strictEqual(compileCacheDir({ ARMVIRT_COMPILE_CACHE: '/x/y' }), path.resolve('/x/y'));
    assert.strictEqual(compileCacheDir({ ARMVIRT_COMPILE_CACHE: 'off' }), null);
    assert.strictEqual(compileCacheDir({ ARMVIRT_COMPILE_CACHE: '0' }), null);
    assert.strictEqual(compileCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1' }), null);
    const d = compileCacheDir({});
    assert.ok(d !== null && d.startsWith(os.tmpdir()) && path.basename(d).startsWith('armvirt-compile-cache'), String(d));
    if (typeof process.getuid === 'function') assert.ok(d.endsWith(`-${process.getuid()}`), 'one directory per user');
  });

  it('the first run saves the bundles it compiled, the second uses them, with the same result as without a cache', function () {
    if (NODE_HAS_CACHE) this.skip(); // Node 22.1+: module.enableCompileCache is used (next test)
    const cache = path.join(dir, 'cache-a');
    const off = run(['run', elf], 'off');
    assert.strictEqual(off.status, HELLO_EXIT, off.stderr);
    assert.deepStrictEqual(off.events, [], 'nothing happens when the cache is off');
    assert.ok(!fs.existsSync(cache));

    const first = run(['run', elf], cache);
    assert.ok(first.events.includes('miss cli-run.js'), first.events.join('; '));
    assert.ok(first.events.some((e) => /^saved .*cli-run-[0-9a-f]{8}\.v8cache$/.test(e)), first.events.join('; '));
    const files = cacheFiles(cache);
    assert.strictEqual(files.length, 1, files.join(', '));
    const saved = fs.readFileSync(path.join(cache, files[0]));
    const key = cacheKeyOf(fs.readFileSync(path.join(ROOT, 'dist', 'cli-run.js'), 'utf8'));
    assert.strictEqual(saved.toString('latin1', 0, key!.length + 1), `${key}\n`, 'the file starts with the bundle\'s key');
    assert.ok(saved.length > 10000, `V8's data follows (${saved.length} bytes)`);
    if (typeof process.getuid === 'function') {
      assert.strictEqual(fs.statSync(cache).mode & 0o777, 0o700);
      assert.strictEqual(fs.statSync(path.join(cache, files[0])).mode & 0o777, 0o600);
    }

    const second = run(['run', elf], cache);
    assert.deepStrictEqual(second.events, ['hit cli-run.js'], 'read, accepted, and not written again');
    for (const r of [first, second]) {
      assert.strictEqual(r.status, off.status);
      assert.strictEqual(r.stdout, off.stdout);
      assert.strictEqual(r.stderr, off.stderr);
    }
    // A run that ends in a usage error compiled little of the simulator: it leaves no cache behind.
    const early = path.join(dir, 'cache-usage');
    const u = run(['run', elf, '--cores', '99'], early);
    assert.strictEqual(u.status, 2, u.stderr);
    assert.ok(u.events.includes('miss cli-run.js') && u.events.includes('not saved: the process exits with 2'), u.events.join('; '));
    assert.deepStrictEqual(cacheFiles(early), []);
    // A bundle that the first command did not load (the assembler, for a .S) is added on its first use.
    const asm = run(['run', path.join(ROOT, 'examples', 'el1-hello.S')], cache);
    assert.strictEqual(asm.status, HELLO_EXIT);
    assert.ok(asm.events.includes('hit cli-run.js') && asm.events.includes('miss cli-assembler.js'), asm.events.join('; '));
    assert.ok(cacheFiles(cache).some((f) => f.startsWith('cli-assembler-')));
  });

  it('on Node 22.1+ Node\'s own cache is turned on instead', function () {
    if (!NODE_HAS_CACHE) this.skip(); // Node 20: compile-cache.ts's own cache (previous test)
    const cache = path.join(dir, 'cache-node');
    const r = run(['run', elf], cache);
    assert.strictEqual(r.status, HELLO_EXIT);
    assert.ok(fs.existsSync(cache) && fs.readdirSync(cache).length > 0, 'Node wrote its cache where ARMVIRT_COMPILE_CACHE says');
  });

  it('a corrupt cache file or one of another build is not used, and is replaced', function () {
    if (NODE_HAS_CACHE) this.skip();
    const cache = path.join(dir, 'cache-b');
    run(['run', elf], cache);
    const [file] = cacheFiles(cache);
    const good = fs.readFileSync(path.join(cache, file));
    const key = good.toString('latin1', 0, good.indexOf(0x0a));
    // The right key, but V8's data damaged (V8 checks it and rejects it).
    const bad = Buffer.from(good);
    for (let i = key.length + 1; i < bad.length; i += 7) bad[i] ^= 0x5a;
    fs.writeFileSync(path.join(cache, file), bad);
    const r1 = run(['run', elf], cache);
    assert.strictEqual(r1.status, HELLO_EXIT, r1.stderr);
    assert.ok(r1.events.includes('rejected cli-run.js'), r1.events.join('; '));
    assert.deepStrictEqual(run(['run', elf], cache).events, ['hit cli-run.js'], 'rewritten by the rejecting run');
    // Valid V8 data, but under another build's key: not even offered to V8.
    fs.writeFileSync(path.join(cache, file), Buffer.concat([Buffer.from(`${'0'.repeat(key.length)}\n`), good.subarray(key.length + 1)]));
    const r2 = run(['run', elf], cache);
    assert.strictEqual(r2.status, HELLO_EXIT);
    assert.ok(r2.events.includes('miss cli-run.js'), r2.events.join('; '));
    // Truncated (a reader racing a writer cannot see this: files are renamed into place).
    fs.writeFileSync(path.join(cache, file), good.subarray(0, key.length + 1 + 100));
    const r3 = run(['run', elf], cache);
    assert.strictEqual(r3.status, HELLO_EXIT);
    assert.ok(r3.events.includes('rejected cli-run.js'), r3.events.join('; '));
  });

  it('runs under other Node options keep a cache of their own (V8 refuses data made under other flags)', function () {
    if (NODE_HAS_CACHE) this.skip();
    const cache = path.join(dir, 'cache-flags');
    const withFlag = (): Run => {
      const env: NodeJS.ProcessEnv = { ...process.env, ARMVIRT_COMPILE_CACHE: cache, NODE_DEBUG: 'armvirt-compile-cache' };
      delete env.NODE_DISABLE_COMPILE_CACHE;
      const r = spawnSync(process.execPath, ['--stack-size=2000', CLI, 'run', elf], { cwd: ROOT, encoding: 'utf8', timeout: 60000, env });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, events: r.stderr.split('\n').filter((l) => l.startsWith('ARMVIRT')).map((l) => l.replace(/^ARMVIRT-COMPILE-CACHE \d+: /, '')) };
    };
    assert.ok(run(['run', elf], cache).events.includes('miss cli-run.js'));
    assert.ok(withFlag().events.includes('miss cli-run.js'), 'not the plain run\'s file');
    assert.strictEqual(cacheFiles(cache).length, 2);
    // Alternating, each finds its own.
    assert.deepStrictEqual(run(['run', elf], cache).events, ['hit cli-run.js']);
    assert.deepStrictEqual(withFlag().events, ['hit cli-run.js']);
    assert.strictEqual(withFlag().status, HELLO_EXIT);
  });

  it('an unusable directory (a file in the way, writable by others) means no cache, not a failure', function () {
    if (NODE_HAS_CACHE) this.skip();
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const r = run(['run', elf], path.join(blocker, 'cache'));
    assert.strictEqual(r.status, HELLO_EXIT, r.stderr);
    assert.ok(r.stdout.startsWith('Hello from EL1!'));
    assert.ok(r.events.some((e) => e.includes('is not usable')), r.events.join('; '));
    assert.ok(!r.events.some((e) => e.startsWith('miss') || e.startsWith('hit')));

    const open = path.join(dir, 'world-writable');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    const w = run(['run', elf], open);
    assert.strictEqual(w.status, HELLO_EXIT);
    assert.ok(w.events.some((e) => e.includes('is not usable')), w.events.join('; '));
    assert.deepStrictEqual(cacheFiles(open), [], 'nothing is written where others could replace it');
  });

  it('with --enable-source-maps the bundles are compiled by Node (which maps their stack traces), not from the cache', () => {
    const cache = path.join(dir, 'cache-maps');
    const env: NodeJS.ProcessEnv = { ...process.env, ARMVIRT_COMPILE_CACHE: cache, NODE_DEBUG: 'armvirt-compile-cache' };
    delete env.NODE_DISABLE_COMPILE_CACHE;
    const r = spawnSync(process.execPath, ['--enable-source-maps', CLI, 'run', elf], { cwd: ROOT, encoding: 'utf8', timeout: 60000, env });
    assert.strictEqual(r.status, HELLO_EXIT, r.stderr);
    assert.ok(!r.stderr.includes('ARMVIRT-COMPILE-CACHE'), r.stderr);
    assert.ok(!fs.existsSync(cache));
  });

  it('an error thrown in a cached bundle reports the same file, line and column as without the cache', function () {
    if (NODE_HAS_CACHE) this.skip();
    // A stand-in bundle (long lines, as esbuild writes them) that throws from its second line.
    const fake = path.join(dir, 'fake-dist');
    fs.mkdirSync(fake);
    fs.writeFileSync(path.join(fake, 'cli-thrower.js'),
      `"use strict";var a=1;\nfunction f(){return a+1}var b=f();if(process.env.THROW)throw new Error("boom "+b);module.exports={b,where:__filename};\n//# armvirtCacheKey=00112233445566778899aabbccddeeff\n`);
    const driver = path.join(dir, 'driver.ts');
    fs.writeFileSync(driver, [
      `import { enableCompileCache } from ${JSON.stringify(path.join(ROOT, 'src', 'cli', 'compile-cache.ts'))};`,
      // tsx turns source maps on, which turns the cache off (previous test): positions here are the bundle's own.
      'process.setSourceMapsEnabled(false);',
      `console.log(enableCompileCache(${JSON.stringify(fake)}));`,
      `try { console.log(JSON.stringify(require(${JSON.stringify(path.join(fake, 'cli-thrower.js'))}))); }`,
      `catch (e) { console.log((e as Error).stack!.split('\\n').slice(0, 2).join(' | ')); }`,
    ].join('\n'));
    const go = (cacheDir: string, throwIt: boolean): { out: string[]; events: string[] } => {
      const env = { ...process.env, ARMVIRT_COMPILE_CACHE: cacheDir, NODE_DEBUG: 'armvirt-compile-cache', THROW: throwIt ? '1' : '' };
      const r = spawnSync(process.execPath, ['--import', 'tsx', driver], { cwd: ROOT, encoding: 'utf8', env, timeout: 60000 });
      assert.strictEqual(r.status, 0, r.stderr);
      return { out: r.stdout.trim().split('\n'), events: r.stderr.split('\n').filter((l) => l.startsWith('ARMVIRT')) };
    };
    const cache = path.join(dir, 'cache-c');
    const plain = go('off', true);
    assert.strictEqual(plain.out[0], 'off');
    go(cache, false); // fills the cache
    const cached = go(cache, true);
    assert.strictEqual(cached.out[0], 'bundles');
    assert.ok(cached.events.some((e) => e.endsWith('hit cli-thrower.js')), cached.events.join('; '));
    assert.match(plain.out[1], /Error: boom 2 \| +at .*cli-thrower\.js:2:\d+/);
    assert.strictEqual(cached.out[1], plain.out[1]);
    // __filename, exports and module.exports as Node gives them.
    assert.deepStrictEqual(JSON.parse(go(cache, false).out[1]), { b: 2, where: path.join(fake, 'cli-thrower.js') });
  });
});
