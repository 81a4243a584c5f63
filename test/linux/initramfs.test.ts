// The initramfs builder: scripts/newc.ts against Debian's cpio (list with -t, extract with -i),
// scripts/make-initramfs.ts (contents, gzip, reproducibility, its command line), and the
// checked-in examples/linux/init against its source (rebuilt with the cross compiler).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { newcArchive, type NewcEntry } from '../../scripts/newc';
import { INIT_BINARY, buildInit, initramfsEntries, makeInitramfs, CROSS_GCC } from '../../scripts/make-initramfs';
import { REPO, requireTool } from './boot-tools';

function cpio(args: string[], input: Uint8Array, cwd?: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('cpio', args, { input, cwd, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('initramfs: newc cpio writer (scripts/newc.ts) against GNU cpio', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () { requireTool(this, 'cpio', 'cpio'); });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-cpio-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('cpio -tv lists the initramfs: mount points, /dev/console as char 5,1 (0600), /init 0755 with its size', () => {
    const init = fs.readFileSync(INIT_BINARY);
    const r = cpio(['-t', '-v', '--quiet'], makeInitramfs(init, { gzip: false }));
    assert.strictEqual(r.status, 0, r.stderr);
    const rows = r.stdout.trim().split('\n').map((l) => l.split(/\s+/));
    assert.deepStrictEqual(rows.map((x) => x[x.length - 1]), ['dev', 'dev/console', 'proc', 'sys', 'init']);
    const console_ = rows[1];
    assert.strictEqual(console_[0], 'crw-------');
    assert.deepStrictEqual([console_[4], console_[5]], ['5,', '1'], `device numbers in ${console_.join(' ')}`);
    assert.strictEqual(rows[4][0], '-rwxr-xr-x');
    assert.strictEqual(rows[4][4], String(init.length));
    assert.deepStrictEqual([rows[0][0], rows[2][0]], ['drwxr-xr-x', 'dr-xr-xr-x']);
    assert.ok(rows.every((x) => x[2] === 'root' && x[3] === 'root'), 'owned by root without running as root');
  });

  it('cpio -i extracts every padding case byte for byte (names and data of each length mod 4), symlinks and empty files', () => {
    const entries: NewcEntry[] = [{ name: 'd', kind: 'dir', perm: 0o750 }];
    const contents = new Map<string, Buffer>();
    for (let nameLen = 1; nameLen <= 4; nameLen++) {
      for (let size = 0; size <= 5; size++) {
        const name = `d/${'n'.repeat(nameLen)}${size}`;
        const data = Buffer.from(Array.from({ length: size }, (_, i) => (i * 37 + nameLen) & 0xff));
        contents.set(name, data);
        entries.push({ name, kind: 'file', perm: 0o640, data });
      }
    }
    entries.push({ name: 'd/link', kind: 'symlink', perm: 0o777, data: 'n10' });
    const archive = newcArchive(entries);
    assert.strictEqual(archive.length % 4, 0);
    const r = cpio(['-i', '-d', '--quiet', '--no-absolute-filenames'], archive, dir);
    assert.strictEqual(r.status, 0, r.stderr);
    for (const [name, data] of contents) {
      assert.ok(fs.readFileSync(path.join(dir, name)).equals(data), name);
      assert.strictEqual(fs.statSync(path.join(dir, name)).mode & 0o777, 0o640, name);
    }
    assert.strictEqual(fs.readlinkSync(path.join(dir, 'd/link')), 'n10');
    assert.strictEqual(fs.statSync(path.join(dir, 'd')).mode & 0o777, 0o750);
  });

  it('cpio -i extracts the initramfs (device node left out: mknod needs root) with /init intact', () => {
    const init = fs.readFileSync(INIT_BINARY);
    const r = cpio(['-i', '-d', '--quiet', '--no-absolute-filenames', '-f', 'dev/console'], makeInitramfs(init, { gzip: false }), dir);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.ok(fs.readFileSync(path.join(dir, 'init')).equals(init));
    assert.strictEqual(fs.statSync(path.join(dir, 'init')).mode & 0o777, 0o755);
    for (const d of ['dev', 'proc', 'sys']) assert.ok(fs.statSync(path.join(dir, d)).isDirectory(), d);
  });

  it('the header: magic 070701, 8-digit fields, namesize with the NUL, file data after the 4-byte padding; TRAILER!!! last', () => {
    const a = newcArchive([{ name: 'ab', kind: 'file', perm: 0o644, data: 'xyz', mtime: 0x5f5e100 }]);
    const h = a.subarray(0, 110).toString('ascii');
    const f = (i: number): number => parseInt(h.slice(6 + 8 * i, 14 + 8 * i), 16);
    assert.strictEqual(h.slice(0, 6), '070701');
    assert.deepStrictEqual([f(0), f(1), f(4), f(5), f(6), f(11), f(12)], [1, 0o100644, 1, 0x5f5e100, 3, 3, 0]);
    assert.strictEqual(a.subarray(110, 113).toString('latin1'), 'ab\0');
    assert.strictEqual(a.subarray(113, 116).toString('latin1'), '\0\0\0', '110 + 3 padded to 116');
    assert.strictEqual(a.subarray(116, 119).toString('latin1'), 'xyz');
    assert.strictEqual(a.subarray(120, 126).toString('ascii'), '070701');
    assert.strictEqual(a.subarray(230, 241).toString('latin1'), 'TRAILER!!!\0');
    assert.strictEqual(a.length, 244);
  });

  it('bad entries are refused with a message naming the entry and the field', () => {
    assert.throws(() => newcArchive([{ name: 'c', kind: 'char', perm: 0o600 }]), /newc: c: a char device needs rdev/);
    assert.throws(() => newcArchive([{ name: 'x', kind: 'file', perm: 0o644, mtime: -1 }]), /newc: x: c_mtime -1 does not fit 8 hexadecimal digits/);
    assert.throws(() => newcArchive([{ name: 'x', kind: 'file', perm: 0o10644 }]), /newc: x: perm 10644 has bits outside 0o7777/);
    assert.throws(() => newcArchive([{ name: 'x', kind: 'dir', perm: 0o755 }, { name: '/x', kind: 'dir', perm: 0o755 }]), /newc: x appears twice/);
    assert.throws(() => newcArchive([{ name: '/', kind: 'dir', perm: 0o755 }]), /newc: bad entry name "\/"/);
    assert.throws(() => newcArchive([{ name: 'd', kind: 'dir', perm: 0o755, data: 'x' }]), /newc: d: a dir has no data/);
  });
});

describe('initramfs: scripts/make-initramfs.ts and examples/linux/init', function () {
  this.timeout(120_000);

  it('gzip by default (the kernel unpacks both); reproducible byte for byte', () => {
    const init = fs.readFileSync(INIT_BINARY);
    const gz = makeInitramfs(init);
    assert.deepStrictEqual([gz[0], gz[1]], [0x1f, 0x8b]);
    assert.ok(gunzipSync(gz).equals(makeInitramfs(init, { gzip: false })));
    assert.ok(makeInitramfs(init).equals(gz), 'same input, same bytes');
    assert.strictEqual(initramfsEntries(init).find((e) => e.name === 'init')?.data, init);
  });

  it('examples/linux/initramfs.cpio.gz (the VS Code Linux launch configurations\' initrd) is what the script makes now', () => {
    const checkedIn = fs.readFileSync(path.join(REPO, 'examples/linux/initramfs.cpio.gz'));
    assert.ok(checkedIn.equals(makeInitramfs(fs.readFileSync(INIT_BINARY))), 'rebuild it: npx tsx scripts/make-initramfs.ts -o examples/linux/initramfs.cpio.gz');
  });

  it('the command line writes the archive and prints its path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-mkinit-'));
    try {
      const out = path.join(dir, 'sub', 'i.cpio');
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts/make-initramfs.ts'), '--no-gzip', '-o', out], { encoding: 'utf8', cwd: REPO });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.strictEqual(r.stdout, `${out}\n`);
      assert.ok(fs.readFileSync(out).equals(makeInitramfs(fs.readFileSync(INIT_BINARY), { gzip: false })));
      const bad = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts/make-initramfs.ts'), '--init', path.join(dir, 'nope')], { encoding: 'utf8', cwd: REPO });
      assert.strictEqual(bad.status, 2);
      assert.match(bad.stderr, /make-initramfs: cannot read .*nope: ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('examples/linux/init is a small static AArch64 executable', () => {
    const b = fs.readFileSync(INIT_BINARY);
    assert.strictEqual(b.subarray(0, 4).toString('latin1'), '\x7fELF');
    assert.strictEqual(b[4], 2, 'ELFCLASS64');
    assert.strictEqual(b.readUInt16LE(16), 2, 'ET_EXEC');
    assert.strictEqual(b.readUInt16LE(18), 183, 'EM_AARCH64');
    const phoff = Number(b.readBigUInt64LE(32));
    const phnum = b.readUInt16LE(56);
    const types = Array.from({ length: phnum }, (_, i) => b.readUInt32LE(phoff + 56 * i));
    assert.ok(!types.includes(3), 'no PT_INTERP: static');
    assert.ok(b.length < 16 * 1024, `${b.length} bytes`);
  });

  it('examples/linux/init is what init.c compiles to (rebuild: npx tsx scripts/make-initramfs.ts --build)', function () {
    requireTool(this, CROSS_GCC, 'gcc-aarch64-linux-gnu');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-init-'));
    try {
      const out = path.join(dir, 'init');
      buildInit(out);
      assert.ok(fs.readFileSync(out).equals(fs.readFileSync(INIT_BINARY)), 'the checked-in binary is out of date: run npx tsx scripts/make-initramfs.ts --build');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the KVM guests\' code in init.c is what the assembler makes of their listings', function () {
    requireTool(this, 'aarch64-linux-gnu-as', 'binutils-aarch64-linux-gnu');
    const src = fs.readFileSync(path.join(REPO, 'examples/linux/init.c'), 'utf8');
    // "/* NAME: what it is …\n *   insn    comment\n …" and "static const u32 NAME[] = { … };"
    const blocks = [...src.matchAll(/\/\* (guest_\w+): [^]*?\n((?: \*   .*\n)+)/g)];
    assert.deepStrictEqual(blocks.map((b) => b[1]), ['guest_mmio_psci', 'guest_vtimer', 'guest_vtimer_irq', 'guest_vtimer_v2', 'guest_vtimer_v2_irq']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-guest-'));
    try {
      for (const [, name, body] of blocks) {
        const listing = body.split('\n').map((l) => l.replace(/^ \*\s+/, '').replace(/\s{2,}.*$/, '')).filter((l) => l !== '');
        const words = new RegExp(`${name}\\[\\] = \\{([^}]*)\\}`).exec(src)![1].split(',').map((w) => w.trim()).filter((w) => w !== '').map((w) => Number(w));
        fs.writeFileSync(path.join(dir, 'g.s'), `${listing.join('\n')}\n`);
        const as = spawnSync('aarch64-linux-gnu-as', ['-o', path.join(dir, 'g.o'), path.join(dir, 'g.s')], { encoding: 'utf8' });
        assert.strictEqual(as.status, 0, `${name}: ${as.stderr}`);
        const cp = spawnSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', path.join(dir, 'g.o'), path.join(dir, 'g.bin')], { encoding: 'utf8' });
        assert.strictEqual(cp.status, 0, cp.stderr);
        const bin = fs.readFileSync(path.join(dir, 'g.bin'));
        assert.deepStrictEqual(Array.from({ length: bin.length / 4 }, (_, i) => bin.readUInt32LE(4 * i)), words, `${name}: ${listing.join('; ')}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
