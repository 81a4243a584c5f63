// Builds the reference initramfs: a newc cpio archive (scripts/newc.ts) holding /init
// (examples/linux/init, the freestanding program of examples/linux/init.c), the mount points
// /dev, /proc, /sys and the /dev/console node (5:1) that the kernel opens as PID 1's stdin,
// stdout and stderr before it runs /init (init/main.c console_on_rootfs()). Node only: no cpio,
// no root needed. gzip-compressed unless --no-gzip (the kernel takes both).
//   npx tsx scripts/make-initramfs.ts [-o FILE] [--init FILE] [--vmm] [--build] [--no-gzip]
//     -o FILE      where to write (default dist/initramfs.cpio.gz, or .cpio with --no-gzip)
//     --init FILE  the program to put at /init (default examples/linux/init, checked in)
//     --vmm        also put the benchmark VMM at /vmm (examples/linux/vmm, checked in; the kernel
//                  runs it instead of /init with `rdinit=/vmm`, benchmarks after `--`)
//     --build      first rebuild examples/linux/init (and vmm) with aarch64-linux-gnu-gcc
//     --no-gzip    write the bare cpio archive
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { newcArchive, type NewcEntry } from './newc';

export const REPO = path.resolve(__dirname, '..');
export const INIT_SOURCE = path.join(REPO, 'examples/linux/init.c');
export const INIT_BINARY = path.join(REPO, 'examples/linux/init');
/** The benchmark VMM (examples/linux/vmm.c) and its guests, linked into one binary. */
export const VMM_SOURCES = [path.join(REPO, 'examples/linux/vmm.c'), path.join(REPO, 'examples/linux/vmm-guests.S')];
export const VMM_BINARY = path.join(REPO, 'examples/linux/vmm');
export const CROSS_GCC = process.env.CROSS_GCC ?? 'aarch64-linux-gnu-gcc';

/** The compiler flags of init.c: freestanding (no libc), static, small, reproducible
 * (no build id, no .comment, no unwind tables, 4 KiB segment alignment instead of 64 KiB). */
export const INIT_CFLAGS = [
  '-Os', '-Wall', '-Wextra', '-Werror', '-static', '-nostdlib', '-ffreestanding', '-fno-builtin',
  '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-fno-unwind-tables', '-fno-ident',
  '-fno-pie', '-no-pie', '-Wl,--build-id=none', '-Wl,-z,max-page-size=4096', '-s',
];

/** Compiles init.c (or other sources with the same flags) into `out` with the cross compiler;
 * throws with gcc's message on failure. */
export function buildInit(out: string, source: string | string[] = INIT_SOURCE): void {
  const sources = typeof source === 'string' ? [source] : source;
  const r = spawnSync(CROSS_GCC, [...INIT_CFLAGS, '-o', out, ...sources], { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ${CROSS_GCC} (Debian package gcc-aarch64-linux-gnu): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${CROSS_GCC} failed on ${sources.join(' ')}:\n${r.stderr}`);
}

/** Compiles the benchmark VMM (vmm.c + vmm-guests.S) into `out`, with init.c's flags. */
export function buildVmm(out: string): void {
  buildInit(out, VMM_SOURCES);
}

/** Extra programs for the archive: `vmm` goes to /vmm. */
export interface InitramfsExtras { vmm?: Uint8Array }

/** The archive's entries: parents before children, /init (and /vmm) executable by everyone. */
export function initramfsEntries(init: Uint8Array, extras: InitramfsExtras = {}): NewcEntry[] {
  const entries: NewcEntry[] = [
    { name: 'dev', kind: 'dir', perm: 0o755 },
    { name: 'dev/console', kind: 'char', perm: 0o600, rdev: { major: 5, minor: 1 } },
    { name: 'proc', kind: 'dir', perm: 0o555 },
    { name: 'sys', kind: 'dir', perm: 0o555 },
    { name: 'init', kind: 'file', perm: 0o755, data: init },
  ];
  if (extras.vmm !== undefined) entries.push({ name: 'vmm', kind: 'file', perm: 0o755, data: extras.vmm });
  return entries;
}

/** The initramfs for `init` (the program's bytes): a cpio archive, gzip-compressed by default. */
export function makeInitramfs(init: Uint8Array, opts: { gzip?: boolean } & InitramfsExtras = {}): Buffer {
  const cpio = newcArchive(initramfsEntries(init, { vmm: opts.vmm }));
  // mtime 0 in the gzip header (node's default) keeps the output reproducible.
  return opts.gzip === false ? cpio : gzipSync(cpio, { level: 9 });
}

function usage(msg: string): never {
  process.stderr.write(`make-initramfs: ${msg}\nusage: npx tsx scripts/make-initramfs.ts [-o FILE] [--init FILE] [--vmm] [--build] [--no-gzip]\n`);
  process.exit(2);
}

function main(argv: string[]): void {
  let out: string | undefined;
  let init = INIT_BINARY;
  let build = false;
  let gzip = true;
  let vmm = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-o' || a === '--init') {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a file name`);
      if (a === '-o') out = v; else init = v;
    } else if (a === '--build') build = true;
    else if (a === '--no-gzip') gzip = false;
    else if (a === '--vmm') vmm = true;
    else if (a === '-h' || a === '--help') usage('help');
    else usage(`unknown argument ${a}`);
  }
  out ??= path.join(REPO, 'dist', gzip ? 'initramfs.cpio.gz' : 'initramfs.cpio');
  if (build) {
    buildInit(INIT_BINARY);
    process.stderr.write(`make-initramfs: built ${path.relative(process.cwd(), INIT_BINARY)} (${fs.statSync(INIT_BINARY).size} bytes)\n`);
    if (vmm) {
      buildVmm(VMM_BINARY);
      process.stderr.write(`make-initramfs: built ${path.relative(process.cwd(), VMM_BINARY)} (${fs.statSync(VMM_BINARY).size} bytes)\n`);
    }
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(init);
  } catch (e) {
    usage(`cannot read ${init}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, makeInitramfs(bytes, { gzip, vmm: vmm ? fs.readFileSync(VMM_BINARY) : undefined }));
  process.stderr.write(`make-initramfs: ${fs.statSync(out).size} bytes\n`);
  process.stdout.write(`${path.resolve(out)}\n`);
}

// Run as a script only (bundled into dist/bench.js, `require.main === module` holds for the bundle too).
if (require.main === module && /make-initramfs\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) main(process.argv.slice(2));
