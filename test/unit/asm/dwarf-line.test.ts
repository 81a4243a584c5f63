// DWARF .debug_line reader: rows from GNU as / GCC output (DWARF 3 and 5, 2 and 4
// where the tools emit them) compared with `objdump --dwarf=decodedline`, the
// line-map API the debugger uses, the loadProgram hook-up, clear errors, and a
// mutation fuzz where only DwarfError may escape.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DwarfError, DwarfLineMap, parseDebugLine, parseDebugLineRows, type LineRow } from '../../../src/asm/dwarf-line';
import { elfSectionData, parseElf } from '../../../src/asm/elf';
import { loadProgram } from '../../../src/asm/program';

const AS = 'aarch64-linux-gnu-as';
const LD = 'aarch64-linux-gnu-ld';
const GCC = 'aarch64-linux-gnu-gcc';
const OBJDUMP = 'aarch64-linux-gnu-objdump';

function have(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Skips the test (fails when CI=true) when a tool is missing. */
function requireTools(ctx: Mocha.Context, tools: string[]): void {
  const missing = tools.filter((t) => !have(t));
  if (missing.length === 0) return;
  const msg = `${missing.join(', ')} not found; install binutils-aarch64-linux-gnu and gcc-aarch64-linux-gnu`;
  if (process.env.CI === 'true') throw new Error(msg);
  // eslint-disable-next-line no-console
  console.log(`      skipped: ${msg}`);
  ctx.skip();
}

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const MAIN_S = [
  '        .text',
  '        .global _start',
  '_start:',
  '        mov     x0, #1',
  '        mov     x1, #2',
  '        .include "helper.inc"',
  '        add     x0, x0, x1',
  '        bl      func',
  '        b       .',
].join('\n') + '\n';
const HELPER_INC = '        sub     x1, x1, #1\n        nop\n';
const FUNC_S = [
  '        .text',
  '        .global func',
  'func:',
  '        add     x0, x0, #10',
  '        ret',
].join('\n') + '\n';

const C_SRC = [
  'static int sq(int x) {',
  '  return x * x;',
  '}',
  'int f(int n) {',
  '  int s = 0;',
  '  for (int i = 0; i < n; i++)',
  '    s += sq(i);',
  '  return s;',
  '}',
].join('\n') + '\n';

let tmp: string;

/** Assembles main.s + func.s with `as <flags>` and links at 0x40000000. */
function buildAsm(flags: string[], name: string): string {
  fs.writeFileSync(path.join(tmp, 'main.s'), MAIN_S);
  fs.writeFileSync(path.join(tmp, 'helper.inc'), HELPER_INC);
  fs.writeFileSync(path.join(tmp, 'func.s'), FUNC_S);
  run(AS, [...flags, 'main.s', '-o', `${name}-main.o`], tmp);
  run(AS, [...flags, 'func.s', '-o', `${name}-func.o`], tmp);
  run(LD, ['-Ttext=0x40000000', `${name}-main.o`, `${name}-func.o`, '-o', `${name}.elf`], tmp);
  return path.join(tmp, `${name}.elf`);
}

/** Compiles the C file with gcc and links it (so relocations in .debug_line are applied). */
function buildC(flags: string[], name: string): string {
  fs.writeFileSync(path.join(tmp, 'prog.c'), C_SRC);
  run(GCC, ['-g', '-O0', '-c', '-ffreestanding', '-nostdlib', ...flags, 'prog.c', '-o', `${name}.o`], tmp);
  run(LD, ['-Ttext=0x40000000', '-e', 'f', `${name}.o`, '-o', `${name}.elf`], tmp);
  return path.join(tmp, `${name}.elf`);
}

function sections(file: string): { line: Uint8Array; lineStr?: Uint8Array; str?: Uint8Array } {
  const bytes = fs.readFileSync(file);
  const elf = parseElf(bytes);
  const line = elfSectionData(bytes, elf, '.debug_line');
  assert.ok(line, `${file} has no .debug_line`);
  return { line, lineStr: elfSectionData(bytes, elf, '.debug_line_str'), str: elfSectionData(bytes, elf, '.debug_str') };
}

interface Decoded { file: string; line: string; address: bigint; stmt: boolean }

/** Rows of `objdump --dwarf=decodedline`. */
function objdumpRows(file: string): Decoded[] {
  const out = run(OBJDUMP, ['--dwarf=decodedline', file], tmp);
  const rows: Decoded[] = [];
  for (const l of out.split('\n')) {
    const t = l.trim().split(/\s+/);
    if (t.length < 3 || !/^(\d+|-)$/.test(t[1]) || !/^(0x[0-9a-f]+|0)$/.test(t[2])) continue;
    rows.push({ file: t[0], line: t[1], address: BigInt(t[2]), stmt: t[t.length - 1] === 'x' && t.length > 3 });
  }
  return rows;
}

function ours(rows: LineRow[]): Decoded[] {
  return rows.map((r) => ({ file: path.basename(r.file), line: r.endSequence ? '-' : String(r.line), address: r.address, stmt: r.endSequence ? false : r.isStmt }));
}

function compareWithObjdump(file: string): LineRow[] {
  const s = sections(file);
  const rows = parseDebugLineRows(s.line, { lineStr: s.lineStr, str: s.str });
  const want = objdumpRows(file);
  assert.ok(want.length > 3, 'objdump printed rows');
  assert.deepEqual(ours(rows), want);
  return rows;
}

describe('DWARF .debug_line', function () {
  this.timeout(60000);
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-dwarf-')); });
  after(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

  for (const [label, flags] of [['default (DWARF 3)', ['-g']], ['DWARF 5', ['-gdwarf-5']], ['DWARF 4', ['-gdwarf-4']], ['DWARF 2', ['-gdwarf-2']]] as const) {
    it(`matches objdump for a multi-file as ${flags.join(' ')} program: ${label}`, function () {
      requireTools(this, [AS, LD, OBJDUMP]);
      const elf = buildAsm([...flags], `asm${label.replace(/\W/g, '')}`);
      const rows = compareWithObjdump(elf);
      const units = parseDebugLine(sections(elf).line, sections(elf));
      assert.equal(units.length, 2);
      const lineOf = (f: string, ln: number): bigint | undefined => rows.find((r) => !r.endSequence && path.basename(r.file) === f && r.line === ln)?.address;
      assert.equal(lineOf('main.s', 4), 0x40000000n);
      assert.equal(lineOf('helper.inc', 1), 0x40000008n);
      assert.equal(lineOf('main.s', 7), 0x40000010n);
      assert.equal(lineOf('func.s', 4), 0x4000001cn);
    });
  }

  for (const flags of [[], ['-gdwarf-4'], ['-gdwarf-2']]) {
    it(`matches objdump for gcc -g -O0 ${flags.join(' ')} C code`, function () {
      requireTools(this, [GCC, LD, OBJDUMP]);
      const elf = buildC(flags, `c${flags.join('').replace(/\W/g, '')}`);
      const rows = compareWithObjdump(elf);
      if (flags.length === 0) assert.equal(parseDebugLine(sections(elf).line, sections(elf))[0].version, 5);
      // gcc's DWARF 5 table names the file with the compilation directory: absolute.
      if (flags.length === 0) assert.ok(rows.every((r) => path.isAbsolute(r.file) && r.file.endsWith('prog.c')));
      assert.ok(rows.some((r) => r.line === 7 && r.isStmt));
    });
  }

  it('builds a line map with the assembler LineMap API and hooks it into loadProgram', function () {
    requireTools(this, [AS, LD]);
    const elf = buildAsm(['-g'], 'lm');
    const img = loadProgram(elf);
    assert.equal(img.kind, 'elf');
    const lm = img.lineMap!;
    assert.ok(lm, `no line map: ${img.lineMapError}`);
    const main = path.join(tmp, 'main.s');
    assert.deepEqual(img.sourceFiles!.slice().sort(), [path.join(tmp, 'func.s'), path.join(tmp, 'helper.inc'), main].sort());
    assert.deepEqual(lm.addressToLine(0x40000004n), { file: main, line: 5 });
    assert.deepEqual(lm.addressToLine(0x4000000en), { file: path.join(tmp, 'helper.inc'), line: 2 });
    assert.equal(lm.lookup(0x40000020n)?.file, path.join(tmp, 'func.s'));
    assert.equal(lm.lookup(0x40000024n), undefined); // past the end of the last sequence
    assert.equal(lm.lookup(0x3ffffffcn), undefined);
    assert.equal(lm.breakpointAddress(main, 7), 0x40000010n);
    assert.equal(lm.breakpointAddress(path.relative(process.cwd(), main), 7), 0x40000010n);
    assert.equal(lm.breakpointAddress(main, 3), undefined);
    assert.deepEqual(lm.lineToAddresses(main, 8), [0x40000014n]);
    const e = lm.entries;
    assert.equal(e.length, 9);
    assert.ok(e.every((x, i) => x.kind === 'code' && (i === 0 || x.address >= e[i - 1].address + BigInt(e[i - 1].size))));
    // An ELF without DWARF still loads, without a line map.
    run(AS, ['main.s', '-o', 'nodbg.o'], tmp);
    run(AS, ['func.s', '-o', 'nodbg-func.o'], tmp);
    run(LD, ['-Ttext=0x40000000', 'nodbg.o', 'nodbg-func.o', '-o', 'nodbg.elf'], tmp);
    const plain = loadProgram(path.join(tmp, 'nodbg.elf'));
    assert.equal(plain.lineMap, undefined);
    assert.equal(plain.lineMapError, undefined);
  });

  it('prefers is_stmt rows for breakpoints and lets the last row at an address win for lookups', () => {
    const row = (address: bigint, line: number, isStmt = true, endSequence = false): LineRow => ({ address, file: '/x/a.c', line, column: 0, isStmt, endSequence });
    const lm = new DwarfLineMap([row(0x100n, 1), row(0x104n, 2, false), row(0x108n, 3), row(0x108n, 4), row(0x10cn, 2), row(0x110n, 2, true, true)]);
    assert.equal(lm.breakpointAddress('/x/a.c', 2), 0x10cn);
    assert.equal(lm.addressToLine(0x108n)?.line, 4);
    assert.equal(lm.breakpointAddress('/x/a.c', 3), 0x108n);
    assert.equal(lm.lookup(0x110n), undefined);
  });

  describe('errors', () => {
    const hdr = (version: number, body: number[]): Uint8Array => {
      // v3 header: min_inst 4, default_is_stmt 1, line_base -5, line_range 14, opcode_base 13, no dirs, one file "a.s".
      const h = [4, 1, 0xfb, 14, 13, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, ...Buffer.from('a.s\0'), 0, 0, 0, 0];
      const headerLength = h.length;
      const unit = [version & 0xff, version >> 8, headerLength & 0xff, 0, 0, 0, ...h, ...body];
      return Uint8Array.from([unit.length & 0xff, unit.length >> 8, 0, 0, ...unit]);
    };
    const err = (b: Uint8Array, re: RegExp): void => {
      assert.throws(() => parseDebugLine(b), (e: unknown) => e instanceof DwarfError && re.test(e.message));
    };
    it('parses a minimal hand-made table', () => {
      const rows = parseDebugLineRows(hdr(3, [0, 9, 2, 0, 0x10, 0, 0, 0, 0, 0, 0, 13 + 5, 0, 1, 1]));
      assert.deepEqual(rows.map((r) => [r.address, r.file, r.line, r.endSequence]), [[0x1000n, 'a.s', 1, false], [0x1000n, 'a.s', 1, true]]);
    });
    it('names the problem', () => {
      err(Uint8Array.from([10, 0, 0, 0, 3]), /unit_length 10 runs past the end/);
      err(hdr(7, []), /unsupported DWARF line table version 7/);
      err(hdr(3, [0, 9, 2, 1, 2]), /extended opcode of 9 bytes runs past the end|runs past the end/);
      err(hdr(3, [4, 5, 1]), /row uses file 5, but the table has 1/);
      err(hdr(3, [3]), /DW_LNS_advance_line operand .* runs past the end/);
      err(Uint8Array.from([0xf5, 0xff, 0xff, 0xff]), /reserved unit_length/);
      assert.throws(() => parseDebugLine(undefined as unknown as Uint8Array), DwarfError);
    });
  });

  it('survives 10^3 random mutations and truncations with DwarfError only', function () {
    requireTools(this, [GCC, AS, LD]);
    const inputs = [sections(buildAsm(['-gdwarf-5'], 'fz5')), sections(buildC([], 'fzc')), sections(buildAsm(['-g'], 'fz3'))];
    let x = 0x9e37_79b9;
    const rnd = (): number => {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      return x / 0x1_0000_0000;
    };
    let parsed = 0;
    let failed = 0;
    for (let i = 0; i < 1000; i++) {
      const src = inputs[i % inputs.length];
      let b = Uint8Array.from(src.line);
      const kind = Math.floor(rnd() * 4);
      if (kind === 0) b = b.subarray(0, Math.floor(rnd() * b.length));
      else {
        const n = 1 + Math.floor(rnd() * 4);
        for (let k = 0; k < n; k++) {
          const at = rnd() < 0.6 ? Math.floor(rnd() * Math.min(b.length, 80)) : Math.floor(rnd() * b.length);
          b[at] = kind === 1 ? 0xff : Math.floor(rnd() * 256);
        }
      }
      try {
        const units = parseDebugLine(b, { lineStr: src.lineStr, str: src.str });
        new DwarfLineMap(units.flatMap((u) => u.rows)).lookup(0x40000000n);
        parsed++;
      } catch (e) {
        if (!(e instanceof DwarfError)) assert.fail(`mutation ${i}: ${(e as Error)?.stack}`);
        assert.ok(e.message.length > 0);
        failed++;
      }
    }
    assert.ok(parsed > 0 && failed > 0, `parsed ${parsed}, failed ${failed}`);
  });
});
