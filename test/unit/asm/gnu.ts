// Test helper: assemble with GNU as (aarch64-linux-gnu-as) and link at the
// same section addresses our assembler chose, so section contents can be
// compared byte for byte.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseElf } from '../../../src/asm/elf';
import type { AsmSection } from '../../../src/asm/assembler';

const AS = 'aarch64-linux-gnu-as';
const LD = 'aarch64-linux-gnu-ld';
const GCC = 'aarch64-linux-gnu-gcc';

let gccAvailable: boolean | undefined;

/** True when the AArch64 cross GCC (used to preprocess .S files) can be run. */
export function haveGcc(): boolean {
  if (gccAvailable === undefined) gccAvailable = spawnSync(GCC, ['--version'], { stdio: 'ignore' }).status === 0;
  return gccAvailable;
}

let available: boolean | undefined;

/** True when GNU binutils for AArch64 can be run. */
export function haveBinutils(): boolean {
  if (available === undefined) {
    const a = spawnSync(AS, ['--version'], { stdio: 'ignore' });
    const l = spawnSync(LD, ['--version'], { stdio: 'ignore' });
    available = a.status === 0 && l.status === 0;
  }
  return available;
}

/**
 * Skips the current test (or fails when CI=true) when binutils are missing.
 * Call at the start of a mocha test with `this`.
 */
export function requireBinutils(ctx: Mocha.Context): void {
  if (haveBinutils()) return;
  const msg = `GNU binutils for AArch64 (${AS}, ${LD}) not found; install binutils-aarch64-linux-gnu`;
  if (process.env.CI === 'true') throw new Error(msg);
  // eslint-disable-next-line no-console
  console.log(`      skipped: ${msg}`);
  ctx.skip();
}

export interface GnuResult {
  ok: boolean;
  stderr: string;
  /** Section name → contents (nobits sections are absent). */
  sections: Map<string, Uint8Array>;
}

let dirCounter = 0;

/**
 * Assembles `source` with GNU as and links it with a script that puts each of
 * `layout`'s sections at the same address. `files` are extra files (for
 * .include) written next to the source; `includeDirs` are passed as -I.
 */
export function gnuAssemble(
  source: string,
  layout: readonly AsmSection[],
  opts: { files?: Record<string, string>; includeDirs?: string[]; name?: string } = {},
): GnuResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `armvirt-gas-${process.pid}-${dirCounter++}-`));
  try {
    const src = path.join(dir, opts.name ?? 'in.s');
    fs.writeFileSync(src, source);
    for (const [n, t] of Object.entries(opts.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
      fs.writeFileSync(path.join(dir, n), t);
    }
    const obj = path.join(dir, 'out.o');
    const inc = (opts.includeDirs ?? []).flatMap((d) => ['-I', d]);
    // .S goes through GCC's preprocessor first, as `gcc -c x.S` does.
    const a = src.endsWith('.S')
      ? spawnSync(GCC, [...inc, '-I', dir, '-c', '-o', obj, src], { cwd: dir, encoding: 'utf8' })
      : spawnSync(AS, [...inc, '-I', dir, '-o', obj, src], { cwd: dir, encoding: 'utf8' });
    if (a.error) return { ok: false, stderr: String(a.error), sections: new Map() };
    if (a.status !== 0) return { ok: false, stderr: a.stderr, sections: new Map() };
    const lines = ['SECTIONS {'];
    for (const s of layout) {
      if (!s.flags.alloc) continue;
      lines.push(`  ${s.name} 0x${s.address.toString(16)} : { *(${s.name}) }`);
    }
    lines.push('  /DISCARD/ : { *(.note.GNU-stack) }', '}');
    const script = path.join(dir, 'link.ld');
    fs.writeFileSync(script, lines.join('\n'));
    const elf = path.join(dir, 'out.elf');
    const l = spawnSync(LD, ['-T', script, '-e', '0', '--no-warn-rwx-segments', '-o', elf, obj], { cwd: dir, encoding: 'utf8' });
    if (l.status !== 0) return { ok: false, stderr: a.stderr + l.stderr, sections: new Map() };
    const img = parseElf(new Uint8Array(fs.readFileSync(elf)));
    const sections = new Map<string, Uint8Array>();
    const bytes = fs.readFileSync(elf);
    for (const s of img.sections) {
      if (s.type === 8 /* NOBITS */ || !s.name || s.size === 0n) continue;
      if (!(s.flags & 2n)) continue;
      sections.set(s.name, new Uint8Array(bytes.subarray(Number(s.offset), Number(s.offset + s.size))));
    }
    return { ok: true, stderr: a.stderr + l.stderr, sections };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Hex dump of the first difference between two byte arrays, or undefined when equal. */
export function firstDifference(ours: Uint8Array, theirs: Uint8Array, base = 0n): string | undefined {
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    if (ours[i] !== theirs[i]) {
      const w = i & ~3;
      const word = (b: Uint8Array): string =>
        Array.from(b.subarray(w, w + 4))
          .reverse()
          .map((x) => x.toString(16).padStart(2, '0'))
          .join('');
      return `first difference at offset 0x${i.toString(16)} (address 0x${(base + BigInt(i)).toString(16)}): ours ${word(ours)} (len ${ours.length}), GNU as ${word(theirs)} (len ${theirs.length})`;
    }
  }
  return undefined;
}
