// scripts/fetch-kernel.sh without the network: with an Image already in the cache it only
// checks the file (the "ARM\x64" magic) and prints its path; a cached file that is not an arm64
// Image is not accepted as one (--check fetches nothing). The download path itself needs root,
// apt and the Debian archive and is not run by the tests.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildProbeImage } from './probe-image';

const SCRIPT = path.resolve(__dirname, '../../../../scripts/fetch-kernel.sh');

describe('scripts/fetch-kernel.sh', () => {
  let cache: string;
  beforeEach(() => { cache = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-kcache-')); });
  afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

  it('a second run only checks the cached Image and prints its path', () => {
    fs.writeFileSync(path.join(cache, 'Image-test'), buildProbeImage());
    fs.writeFileSync(path.join(cache, 'current'), 'Image-test\n');
    const r = spawnSync('bash', [SCRIPT], { encoding: 'utf8', env: { ...process.env, ARMVIRT_KERNEL_CACHE: cache } });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout, `${path.join(cache, 'Image-test')}\n`);
    assert.strictEqual(r.stderr, '');
  });

  it('the cache folder comes from ARMVIRT_KERNEL_CACHE, else XDG_CACHE_HOME/armvirt-kernel', () => {
    const xdg = path.join(cache, 'xdg');
    fs.mkdirSync(path.join(xdg, 'armvirt-kernel'), { recursive: true });
    fs.writeFileSync(path.join(xdg, 'armvirt-kernel', 'Image-x'), buildProbeImage());
    fs.writeFileSync(path.join(xdg, 'armvirt-kernel', 'current'), 'Image-x\n');
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: xdg };
    delete env.ARMVIRT_KERNEL_CACHE;
    const r = spawnSync('bash', [SCRIPT], { encoding: 'utf8', env });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout.trim(), path.join(xdg, 'armvirt-kernel', 'Image-x'));
  });

  it('--check: a cached file without the Image magic is reported, nothing is fetched, exit 1', () => {
    fs.writeFileSync(path.join(cache, 'Image-bad'), new Uint8Array(64));
    fs.writeFileSync(path.join(cache, 'current'), 'Image-bad\n');
    const r = spawnSync('bash', [SCRIPT, '--check'], { encoding: 'utf8', env: { ...process.env, ARMVIRT_KERNEL_CACHE: cache } });
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /Image-bad is missing or not an arm64 Image/);
    assert.strictEqual(r.stdout, '');
    assert.deepStrictEqual(fs.readdirSync(cache).sort(), ['Image-bad', 'current'], 'nothing downloaded');
  });

  it('--check with an empty cache: exit 1 and a hint', () => {
    const r = spawnSync('bash', [SCRIPT, '--check'], { encoding: 'utf8', env: { ...process.env, ARMVIRT_KERNEL_CACHE: cache } });
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /no kernel in .* \(run scripts\/fetch-kernel.sh\)/);
  });
});
