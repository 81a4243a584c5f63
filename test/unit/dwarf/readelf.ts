// Test helper: compile C with Debian's aarch64-linux-gnu-gcc and parse what
// `aarch64-linux-gnu-readelf --debug-dump` prints, so the DWARF reader can be
// compared with binutils. Missing tools skip the test locally and fail it with CI=true.

import { spawnSync } from 'node:child_process';

export const GCC = 'aarch64-linux-gnu-gcc';
export const READELF = 'aarch64-linux-gnu-readelf';

export function requireTools(ctx: Mocha.Context): void {
  const missing = [GCC, READELF].filter((t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  const msg = `${missing.join(', ')} not found; install gcc-aarch64-linux-gnu and binutils-aarch64-linux-gnu`;
  if (process.env.CI === 'true') throw new Error(msg);
  // eslint-disable-next-line no-console
  console.log(`      skipped: ${msg}`);
  ctx.skip();
}

export function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export interface DumpAttr {
  name: string;
  value: string;
}
export interface DumpDie {
  depth: number;
  offset: number;
  tag: string;
  attrs: DumpAttr[];
}

/** `readelf --debug-dump=info`: unit count and every DIE with its attributes as printed. */
export function parseInfoDump(text: string): { units: number; dies: DumpDie[] } {
  let units = 0;
  const dies: DumpDie[] = [];
  for (const line of text.split('\n')) {
    if (/^\s+Compilation Unit @ offset/.test(line)) units++;
    let m = /^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: \d+ \((\w+)\)/.exec(line);
    if (m) {
      dies.push({ depth: Number(m[1]), offset: parseInt(m[2], 16), tag: m[3], attrs: [] });
      continue;
    }
    m = /^\s+<[0-9a-f]+>\s+(DW_AT_\w+)\s*: (.*)$/.exec(line);
    if (m && dies.length) dies[dies.length - 1].attrs.push({ name: m[1], value: m[2].trimEnd() });
  }
  return { units, dies };
}

export interface DumpLocEntry {
  offset: number;
  begin: bigint;
  end: bigint;
  expr: string;
}

/**
 * `readelf --debug-dump=loc`: entries in order, with `null` for each
 * "<End of list>", so a list is the run of entries from its offset to the next null.
 */
export function parseLocDump(text: string): (DumpLocEntry | null)[] {
  const out: (DumpLocEntry | null)[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s+[0-9a-f]{8} <End of list>/.test(line)) {
      out.push(null);
      continue;
    }
    let m = /^\s+([0-9a-f]{8}) v[0-9a-f]+ v[0-9a-f]+ views at [0-9a-f]+ for:$/.exec(line);
    if (m) {
      const n = /^\s+([0-9a-f]{16}) ([0-9a-f]{16}) \((.*)\)$/.exec(lines[i + 1] ?? '');
      if (n) {
        out.push({ offset: parseInt(m[1], 16), begin: BigInt('0x' + n[1]), end: BigInt('0x' + n[2]), expr: n[3] });
        i++;
      }
      continue;
    }
    m = /^\s+([0-9a-f]{8}) ([0-9a-f]{16}) ([0-9a-f]{16}) \((.*)\)$/.exec(line);
    if (m) out.push({ offset: parseInt(m[1], 16), begin: BigInt('0x' + m[2]), end: BigInt('0x' + m[3]), expr: m[4] });
  }
  return out;
}

export interface DumpFde {
  begin: bigint;
  end: bigint;
  columns: string[];
  rows: { loc: bigint; cfa: string; regs: string[] }[];
  raColumn: number;
}

/** `readelf --debug-dump=frames-interp`: per FDE, the column names and the rows. */
export function parseFramesInterp(text: string): DumpFde[] {
  const out: DumpFde[] = [];
  const ra = new Map<string, number>();
  let cur: DumpFde | undefined;
  for (const line of text.split('\n')) {
    let m = /^([0-9a-f]{8}) [0-9a-f]+ [0-9a-f]+ CIE ".*" cf=\S+ df=\S+ ra=(\d+)/.exec(line);
    if (m) {
      ra.set(m[1], Number(m[2]));
      cur = undefined;
      continue;
    }
    m = /^[0-9a-f]{8} [0-9a-f]+ [0-9a-f]+ FDE cie=([0-9a-f]{8}) pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line);
    if (m) {
      cur = { begin: BigInt('0x' + m[2]), end: BigInt('0x' + m[3]), columns: [], rows: [], raColumn: ra.get(m[1]) ?? 30 };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    if (/^\s+LOC\s+CFA/.test(line)) {
      cur.columns = line.trim().split(/\s+/).slice(2);
      continue;
    }
    m = /^([0-9a-f]{16}) (.*)$/.exec(line);
    if (m) {
      const f = m[2].trim().split(/\s+/);
      cur.rows.push({ loc: BigInt('0x' + m[1]), cfa: f[0], regs: f.slice(1) });
    }
  }
  return out;
}

/**
 * `readelf --debug-dump=Ranges`: lists by the offset of their first entry
 * (.debug_rnglists prints each entry's offset, .debug_ranges the list's).
 * Values are as printed: .debug_rnglists offset pairs without the base address.
 * binutils 2.40 prints only the first list of each .debug_rnglists table.
 */
export function parseRangesDump(text: string): Map<number, [bigint, bigint][]> {
  const out = new Map<number, [bigint, bigint][]>();
  let cur: [bigint, bigint][] | undefined;
  for (const line of text.split('\n')) {
    const end = /^\s+([0-9a-f]{8}) <End of list>/.exec(line);
    if (end) {
      if (!cur) out.set(parseInt(end[1], 16), []);
      cur = undefined;
      continue;
    }
    const m = /^\s+([0-9a-f]{8}) ([0-9a-f]{16}) ([0-9a-f]{16})/.exec(line);
    if (!m) continue;
    if (!cur) {
      cur = [];
      out.set(parseInt(m[1], 16), cur);
    }
    cur.push([BigInt('0x' + m[2]), BigInt('0x' + m[3])]);
  }
  return out;
}
