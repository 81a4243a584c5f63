// DWARF reader (src/dwarf) against binutils: two C files compiled with Debian's
// aarch64-linux-gnu-gcc at -O0/-O2 with -gdwarf-4/-gdwarf-5 (and one build with
// .debug_frame and pac-ret), compared with `readelf --debug-dump=info/loc/frames-interp`:
// units, every DIE (depth, offset, tag, attribute names, names, references,
// constants, location expressions), location lists and CFA rule rows. Then the
// model the debugger uses: scopes at a PC, globals, types with member offsets
// and bit fields, functions by name.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DwarfInfo } from '../../../src/dwarf/dwarf';
import { formatExpr } from '../../../src/dwarf/expr';
import type { Die } from '../../../src/dwarf/info';
import { readLocList } from '../../../src/dwarf/lists';
import { aarch64RegName, atName, formName, tagName } from '../../../src/dwarf/tables';
import { typeName, type StructType } from '../../../src/dwarf/types';
import { parseElf } from '../../../src/asm/elf';
import type { CfiRow, RegisterRule } from '../../../src/dwarf/cfi';
import { frameVariables, show, visibleVariables, type FrameReader } from '../../../src/debug/c-variables';
import { GCC, READELF, parseFramesInterp, parseInfoDump, parseLocDump, parseRangesDump, requireTools, run } from './readelf';
import { DwarfError } from '../../../src/dwarf/reader';
import { CallFrameInfo } from '../../../src/dwarf/cfi';

const SRC_DIR = path.join(__dirname, 'programs');

interface Build {
  name: string;
  file: string;
  bytes: Uint8Array;
  dwarf: DwarfInfo;
  version: 4 | 5;
  opt: 'O0' | 'O2';
}

const VARIANTS: { name: string; version: 4 | 5; opt: 'O0' | 'O2'; extra: string[]; typeUnits?: boolean }[] = [
  { name: 'O0-dwarf4', version: 4, opt: 'O0', extra: [] },
  { name: 'O0-dwarf5', version: 5, opt: 'O0', extra: [] },
  { name: 'O2-dwarf4', version: 4, opt: 'O2', extra: [] },
  { name: 'O2-dwarf5', version: 5, opt: 'O2', extra: [] },
  // .debug_frame instead of .eh_frame, and return-address signing (DW_CFA_AARCH64_negate_ra_state).
  // The 64-bit DWARF format (8-byte offsets everywhere).
  { name: 'O2-dwarf5-64bit', version: 5, opt: 'O2', extra: ['-gdwarf64'] },
  // Types in DWARF 5 type units, referenced by DW_FORM_ref_sig8.
  { name: 'O0-dwarf5-type-units', version: 5, opt: 'O0', extra: ['-fdebug-types-section'], typeUnits: true },
  { name: 'O2-dwarf5-pac', version: 5, opt: 'O2', extra: ['-fno-asynchronous-unwind-tables', '-fno-unwind-tables', '-mbranch-protection=pac-ret'] },
];

let tmp: string;
const builds: Build[] = [];

function build(v: (typeof VARIANTS)[number]): Build {
  const file = path.join(tmp, `${v.name}.elf`);
  run(GCC, ['-g', `-gdwarf-${v.version}`, `-${v.opt}`, '-nostdlib', '-ffreestanding', '-static', ...v.extra, '-o', file,
    path.join(SRC_DIR, 'main.c'), path.join(SRC_DIR, 'lib.c')], tmp);
  const bytes = new Uint8Array(fs.readFileSync(file));
  return { name: v.name, file, bytes, dwarf: DwarfInfo.fromElf(bytes), version: v.version, opt: v.opt };
}

const hex = (v: bigint | number): string => '0x' + v.toString(16);

/** What readelf prints for an attribute, for the attribute classes we compare; undefined = not compared. */
function ours(d: DwarfInfo, die: Die, at: number): string | undefined {
  const a = die.attrs.find((x) => x.at === at)!;
  const v = a.value;
  const n = atName(at);
  if (n === 'DW_AT_name' || n === 'DW_AT_comp_dir' || n === 'DW_AT_producer') return d.string(die, at);
  if (v.kind === 'ref') return `<${hex(v.offset)}>`;
  if (v.kind === 'exprloc') return formatExpr(d.decode(v.bytes, die.unit), { unitOffset: die.unit.offset });
  if (n === 'DW_AT_location' && v.kind === 'sec_offset') return `${hex(v.offset)} (location list)`;
  if (n === 'DW_AT_low_pc') return hex(d.address(die, at)!);
  if (n === 'DW_AT_high_pc' && v.kind === 'constant') return hex(v.value);
  if (v.kind === 'constant' && /DW_AT_(decl_line|decl_column|call_line|call_column|byte_size|bit_size|data_bit_offset|bit_offset|data_member_location|upper_bound)$/.test(n)) {
    return v.value.toString();
  }
  return undefined;
}

/** Normalizes readelf's printing of the same value. */
function theirs(name: string, value: string, form: string): string {
  if (name === 'DW_AT_name' || name === 'DW_AT_comp_dir' || name === 'DW_AT_producer') return value.replace(/^\((indirect|indexed) [^)]*\): /, '');
  const block = /byte block: [0-9a-f ]*\t\((.*)\)$/.exec(value);
  if (block) return block[1];
  // readelf prints DW_FORM_ref8 references without the angle brackets of the other ref forms.
  if (form === 'DW_FORM_ref8' && /^0x[0-9a-f]+$/.test(value)) return `<${value}>`;
  return value.replace(/\t.*$/, '');
}

function cfaText(row: CfiRow | undefined): string {
  if (!row) return '<none>';
  const c = row.cfa;
  if (c.kind === 'expression') return 'exp';
  return `${aarch64RegName(c.reg)}${c.offset >= 0n ? '+' : ''}${c.offset}`;
}

function ruleText(rule: RegisterRule | undefined): string {
  if (!rule || rule.kind === 'undefined') return 'u';
  switch (rule.kind) {
    case 'same-value': return 's';
    case 'offset': return `c${rule.offset >= 0n ? '+' : ''}${rule.offset}`;
    case 'val-offset': return `v${rule.offset >= 0n ? '+' : ''}${rule.offset}`;
    case 'register': return aarch64RegName(rule.reg);
    case 'expression': return 'exp';
    case 'val-expression': return 'vexp';
  }
}

function find(d: DwarfInfo, pred: (x: Die) => boolean): Die[] {
  return [...d.allDies()].filter(pred);
}

describe('DWARF reader vs readelf (src/dwarf)', function () {
  this.timeout(120000);

  before(function () {
    requireTools(this);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-dwarf-'));
    for (const v of VARIANTS) builds.push(build(v));
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const v of VARIANTS) {
    describe(v.name, () => {
      const b = (): Build => builds.find((x) => x.name === v.name)!;

      it('reads the same units and DIE tree (depth, offset, tag, attribute names) as readelf', () => {
        const dump = parseInfoDump(run(READELF, ['--debug-dump=info', b().file], tmp));
        const d = b().dwarf;
        assert.equal(d.units.length, dump.units);
        assert.equal(d.units.filter((u) => u.typeSignature === undefined).length, 2, 'main.c and lib.c');
        assert.equal(d.units.some((u) => u.typeSignature !== undefined), !!v.typeUnits);
        assert.ok(d.units.every((u) => u.version === v.version));
        const mine: { depth: number; offset: number; tag: string; attrs: string[] }[] = [];
        const walk = (die: Die, depth: number): void => {
          mine.push({ depth, offset: die.offset, tag: tagName(die.tag), attrs: die.attrs.map((a) => atName(a.at)) });
          for (const c of die.children) walk(c, depth + 1);
        };
        for (const u of d.units) walk(u.root, 0);
        assert.equal(mine.length, dump.dies.length, 'DIE count');
        const count = (xs: { tag: string }[]): Record<string, number> => xs.reduce((m, x) => ((m[x.tag] = (m[x.tag] ?? 0) + 1), m), {} as Record<string, number>);
        assert.deepEqual(count(mine), count(dump.dies), 'DIEs per tag');
        for (let i = 0; i < mine.length; i++) {
          const t = dump.dies[i];
          assert.deepEqual(mine[i], { depth: t.depth, offset: t.offset, tag: t.tag, attrs: t.attrs.map((a) => a.name) }, `DIE ${i}`);
        }
      });

      it('decodes attribute values as readelf prints them (names, references, constants, pcs, location expressions)', () => {
        const dump = parseInfoDump(run(READELF, ['--debug-dump=info', b().file], tmp));
        const d = b().dwarf;
        let compared = 0, exprs = 0;
        for (const t of dump.dies) {
          const die = d.dieAt(t.offset)!;
          die.attrs.forEach((a, i) => {
            const o = ours(d, die, a.at);
            if (o === undefined) return;
            assert.equal(o, theirs(t.attrs[i].name, t.attrs[i].value, formName(a.form)), `${t.attrs[i].name} of DIE 0x${t.offset.toString(16)}`);
            compared++;
            if (a.value.kind === 'exprloc') exprs++;
          });
        }
        assert.ok(compared > 250, `compared ${compared} values`);
        assert.ok(exprs >= 4, `compared ${exprs} location expressions`);
      });

      it('reads every location list as readelf does, and picks the entry covering a PC', function () {
        const d = b().dwarf;
        const lists = find(d, (x) => x.attrs.some((a) => atName(a.at) === 'DW_AT_location' && (a.value.kind === 'sec_offset' || a.value.kind === 'loclistx')));
        if (v.opt === 'O0') {
          assert.equal(lists.length, 0, '-O0 keeps every variable in one place');
          return;
        }
        const dump = parseLocDump(run(READELF, ['--debug-dump=loc', b().file], tmp));
        assert.ok(lists.length >= 5, `${lists.length} variables with location lists`);
        let entries = 0;
        for (const die of lists) {
          const a = die.attrs.find((x) => atName(x.at) === 'DW_AT_location')!;
          const mine = readLocList(d.sections, die.unit, a.value);
          const start = dump.findIndex((e) => e !== null && a.value.kind === 'sec_offset' && e.offset === a.value.offset);
          assert.ok(start >= 0, `readelf has the list of DIE 0x${die.offset.toString(16)}`);
          const end = dump.indexOf(null, start);
          const want = dump.slice(start, end) as NonNullable<(typeof dump)[number]>[];
          assert.deepEqual(mine.map((e) => ({ begin: e.begin, end: e.end, expr: formatExpr(d.decode(e.expr, die.unit), { unitOffset: die.unit.offset }) })),
            want.map((e) => ({ begin: e.begin, end: e.end, expr: e.expr })), `list of DIE 0x${die.offset.toString(16)}`);
          for (const e of want) {
            if (e.begin === e.end) continue; // an empty range (a location view only) holds no PC
            for (const pc of [e.begin, e.end - 4n]) {
              const ops = d.locationAt(die, pc)!;
              assert.equal(formatExpr(ops, { unitOffset: die.unit.offset }), e.expr, `DIE 0x${die.offset.toString(16)} at ${hex(pc)}`);
            }
            entries++;
          }
        }
        assert.ok(entries >= 10, `${entries} entries checked`);
      });

      it('reads the PC ranges of DW_AT_ranges DIEs as readelf --debug-dump=Ranges does', () => {
        const d = b().dwarf;
        const withRanges = find(d, (x) => x.attrs.some((a) => atName(a.at) === 'DW_AT_ranges'));
        if (v.opt === 'O0') return assert.equal(withRanges.length, 0);
        assert.ok(withRanges.length >= 3, `${withRanges.length} DIEs with DW_AT_ranges`);
        const dump = parseRangesDump(run(READELF, ['--debug-dump=Ranges', b().file], tmp));
        let compared = 0;
        for (const die of withRanges) {
          const a = die.attrs.find((x) => atName(x.at) === 'DW_AT_ranges')!;
          assert.equal(a.value.kind, 'sec_offset');
          const off = a.value.kind === 'sec_offset' ? a.value.offset : -1;
          const base = v.version === 5 ? die.unit.baseAddress : 0n;
          // readelf 2.40 prints only the first list of each .debug_rnglists table.
          if (v.version === 5 && !dump.has(off)) continue;
          compared++;
          assert.deepEqual(d.pcRanges(die).map((r) => [r.begin - base, r.end - base]), dump.get(off), `ranges of DIE 0x${die.offset.toString(16)}`);
        }
        assert.ok(compared >= (v.version === 5 ? 2 : withRanges.length), `${compared} range lists compared`);
      });

      it('gives the CFA and register rules readelf --debug-dump=frames-interp gives, at each row and inside it', () => {
        const d = b().dwarf;
        const fdes = parseFramesInterp(run(READELF, ['--debug-dump=frames-interp', b().file], tmp));
        assert.ok(fdes.length >= 4, `${fdes.length} FDEs`);
        const { debugFrame, ehFrame } = d.callFrameInfo();
        assert.ok(v.name.endsWith('pac') ? debugFrame && !ehFrame : ehFrame && !debugFrame, 'the expected CFI section');
        if (v.name.includes('64bit')) assert.ok(d.units.every((u) => u.offsetSize === 8));
        let rows = 0;
        for (const f of fdes) {
          f.rows.forEach((row, i) => {
            const next = f.rows[i + 1]?.loc ?? f.end;
            for (const pc of [row.loc, next - 4n]) {
              if (pc < row.loc) continue;
              const mine = d.cfaRulesAt(pc);
              assert.ok(mine, `rules at ${hex(pc)}`);
              const regs = f.columns.map((c) => ruleText(mine.registers.get(c === 'ra' ? f.raColumn : c === 'sp' ? 31 : Number(c.slice(1)))));
              assert.deepEqual({ pc: hex(pc), cfa: cfaText(mine), regs }, { pc: hex(pc), cfa: row.cfa, regs: row.regs });
              rows++;
            }
          });
          const fde = (debugFrame ?? ehFrame)!.fdeAt(f.begin)!;
          const mine = (debugFrame ?? ehFrame)!.rowsOf(fde);
          if (f.rows.length === 0) {
            // readelf prints no rows for an FDE without instructions; the CIE's initial rules (CFA = sp+0) apply.
            assert.deepEqual(mine.map((r) => [hex(r.pc), cfaText(r), r.registers.size]), [[hex(f.begin), 'sp+0', 0]]);
            assert.equal(cfaText(d.cfaRulesAt(f.end - 4n)), 'sp+0');
          } else {
            // Our rows are readelf's rows.
            assert.deepEqual(mine.map((r) => hex(r.pc)), f.rows.map((r) => hex(r.loc)));
          }
        }
        assert.ok(rows >= 12, `${rows} PCs checked`);
      });
    });
  }

  it('tracks DW_CFA_AARCH64_negate_ra_state: the return address is signed between PACIASP and AUTIASP', () => {
    const b = builds.find((x) => x.name === 'O2-dwarf5-pac')!;
    const raw = run(READELF, ['--debug-dump=frames', b.file], tmp);
    // Addresses at which readelf shows a negate_ra_state.
    const toggles: bigint[] = [];
    let loc = 0n;
    for (const line of raw.split('\n')) {
      const m = /pc=([0-9a-f]+)\.\./.exec(line);
      if (m) loc = BigInt('0x' + m[1]);
      const a = /DW_CFA_advance_loc\d?: \d+ to ([0-9a-f]+)/.exec(line);
      if (a) loc = BigInt('0x' + a[1]);
      if (line.includes('DW_CFA_AARCH64_negate_ra_state')) toggles.push(loc);
    }
    assert.ok(toggles.length >= 2, 'pac-ret code signs and authenticates');
    const cfi = b.dwarf.callFrameInfo().debugFrame!;
    const signedAt = toggles[0];
    assert.equal(cfi.cfaRulesAt(signedAt - 4n)?.raSigned ?? false, false);
    assert.equal(cfi.cfaRulesAt(signedAt)!.raSigned, true);
    // The instruction just before is PACIASP (HINT #25, DDI0487 C6.2.x "PACIA, PACIA1716, PACIASP...").
    const img = parseElf(b.bytes);
    const seg = img.segments.find((s) => signedAt - 4n >= s.vaddr && signedAt < s.vaddr + BigInt(s.data.length))!;
    const off = Number(signedAt - 4n - seg.vaddr);
    const word = seg.data[off] | (seg.data[off + 1] << 8) | (seg.data[off + 2] << 16) | (seg.data[off + 3] << 24);
    assert.equal(word >>> 0, 0xd503233f, 'PACIASP');
  });

  it('raises only DwarfError on corrupted sections (mutation fuzz of .debug_info/.debug_abbrev/lists/CFI)', () => {
    const b = builds.find((x) => x.name === 'O2-dwarf5')!;
    const pc = b.dwarf.functionByName('sum')[0].entry + 0x20n;
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const names = ['info', 'abbrev', 'loclists', 'rnglists', 'ehFrame', 'str'] as const;
    let errors = 0;
    for (let i = 0; i < 400; i++) {
      const sections = { ...b.dwarf.sections };
      const which = names[i % names.length];
      const orig = sections[which]!;
      const copy = new Uint8Array(orig);
      for (let k = 0; k < 1 + rnd(4); k++) copy[rnd(copy.length)] = rnd(256);
      if (rnd(8) === 0) sections[which] = copy.subarray(0, rnd(copy.length));
      else sections[which] = copy;
      try {
        const d = new DwarfInfo(sections);
        for (const s of d.scopesAt(pc)) for (const x of [...s.parameters, ...s.variables]) { d.typeOf(x.die); d.locationAt(x, pc); }
        for (const u of d.units) for (const g of d.globalsOfCu(u)) d.typeOf(g.die);
        d.cfaRulesAt(pc);
      } catch (e) {
        if (!(e instanceof DwarfError)) throw new Error(`iteration ${i} (${which}): ${(e as Error).stack}`);
        errors++;
      }
    }
    assert.ok(errors > 20, `${errors} corruptions reported`);
  });

  it('names the field and offset of a truncated or invalid unit', () => {
    const b = builds.find((x) => x.name === 'O2-dwarf5')!;
    const s = b.dwarf.sections;
    assert.throws(() => new DwarfInfo({ ...s, info: s.info!.subarray(0, 20) }), (e: unknown) => e instanceof DwarfError && /\.debug_info: unit_length of the unit at 0x0 .* runs past the end/.test(e.message));
    const badVersion = new Uint8Array(s.info!);
    badVersion[4] = 9;
    assert.throws(() => new DwarfInfo({ ...s, info: badVersion }), /unit version .* is 9; only DWARF 2 to 5/);
    assert.throws(() => new DwarfInfo({ ...s, abbrev: undefined }), /\.debug_abbrev is missing/);
    assert.throws(() => new CallFrameInfo(new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0]), { kind: 'eh_frame' }), /CIE version .* is 7/);
  });

  describe('model (every build but pac-ret)', () => {
    const each = (fn: (b: Build) => void) => () => {
      for (const b of builds.filter((x) => !x.name.endsWith('pac'))) fn(b);
    };

    it('types: struct members with offsets, bit fields from DW_AT_data_bit_offset (v5) and DW_AT_bit_offset (v4)', each((b) => {
      const d = b.dwarf;
      const gp = d.globalsOfCu(d.units.find((u) => d.name(u.root)?.endsWith('lib.c'))!).find((g) => g.name === 'gp')!;
      const t = d.typeOf(gp.die);
      assert.equal(typeName(t), 'const pt_t');
      assert.ok(t.kind === 'const' && t.target.kind === 'typedef' && t.target.target.kind === 'struct');
      const pt = t.target.target as StructType;
      const m = Object.fromEntries(pt.members.map((x) => [x.name, x]));
      // AAPCS64 layout of struct pt (lib.c): x@0 y@4 bf@8 (struct bits, 16 bytes, 8-aligned) name@24 next@40.
      assert.deepEqual(pt.members.map((x) => [x.name, x.byteOffset]), [['x', 0], ['y', 4], ['bf', 8], ['name', 24], ['next', 40]]);
      assert.equal(pt.size, 48, b.name);
      assert.equal(typeName(m.name.type), 'char [4][3]');
      assert.equal(m.name.type.size, 12);
      // The self-reference closes the cycle on the same node.
      assert.ok(m.next.type.kind === 'pointer' && m.next.type.target === pt);
      const bits = m.bf.type as StructType;
      assert.deepEqual(bits.members.map((x) => [x.name, x.bitOffset, x.bitSize]),
        [['a', 0, 3], ['b', 3, 5], ['c', undefined, undefined], ['d', 64, 7], ['e', 71, 40]], b.name);
      assert.equal(bits.members[2].byteOffset, 4);
      const color = find(d, (x) => tagName(x.tag) === 'DW_TAG_enumeration_type')[0];
      const ct = d.typeOf(color);
      assert.ok(ct.kind === 'enum');
      assert.deepEqual(ct.enumerators.map((e) => [e.name, e.value]), [['RED', 0n], ['GREEN', 5n], ['BLUE', -1n]]);
      const walk = d.functionByName('walk')[0];
      const fn = walk.die.children.find((c) => d.name(c) === 'fn')!;
      assert.equal(typeName(d.typeOf(fn)), 'int (*)(const struct pt *, int)');
    }));

    it('functionByName, globalsOfCu and parameters of a few functions', each((b) => {
      const d = b.dwarf;
      const sum = d.functionByName('sum').filter((f) => !f.inlined);
      assert.equal(sum.length, 1, b.name);
      const params = sum[0].die.children.filter((c) => tagName(c.tag) === 'DW_TAG_formal_parameter').map((c) => `${d.name(c)}: ${typeName(d.typeOf(c))}`);
      assert.deepEqual(params, ['p: const pt_t *', 'n: int']);
      const pick = d.functionByName('pick')[0];
      assert.deepEqual(pick.die.children.filter((c) => tagName(c.tag) === 'DW_TAG_formal_parameter').map((c) => `${d.name(c)}: ${typeName(d.typeOf(c))}`),
        ['v: union u', 'k: long long int']);
      assert.equal(typeName(d.typeOf(pick.die)), 'enum color');
      const lib = d.units.find((u) => d.name(u.root)?.endsWith('lib.c'))!;
      const main = d.units.find((u) => d.name(u.root)?.endsWith('main.c'))!;
      assert.deepEqual(d.globalsOfCu(lib).map((g) => `${g.name}: ${typeName(d.typeOf(g.die))}${g.external ? ' extern' : ''}`),
        ['gv: volatile int extern', 'gp: const pt_t extern', 'counter: int']);
      const table = d.globalsOfCu(main).find((g) => g.name === 'table')!;
      assert.equal(typeName(d.typeOf(table.die)), 'long long int [3]');
      assert.equal(table.location.kind, 'expr');
      // The global's address is its ELF symbol's value.
      const addr = table.location.kind === 'expr' ? table.location.ops[0].operands[0] : undefined;
      const symbols = parseElf(b.bytes).symbols;
      assert.equal(addr, symbols.find((s) => s.name === 'table')!.value);
      assert.equal(sum[0].entry, symbols.find((s) => s.name === 'sum')!.value);
    }));

    it('frame variables at -O2 read registers, stack values and report entry values as unavailable (src/debug/c-variables.ts)', each((b) => {
      if (b.opt !== 'O2') return;
      const d = b.dwarf;
      // A machine where xN = 0x1000 + N and memory reads as zeros.
      const reader: FrameReader = { register: (n) => (n <= 31 ? 0x1000n + BigInt(n) : undefined), memory: (_a, n) => new Uint8Array(n) };
      const seen = { reg: 0, entry: 0, lit: 0 };
      for (const f of [...d.functionByName('sum'), ...d.functionByName('mix'), ...d.functionByName('pick')]) {
        for (const r of f.ranges) {
          for (let pc = r.begin; pc < r.end; pc += 4n) {
            const fv = frameVariables(d, pc, reader)!;
            assert.ok(fv, `variables at ${hex(pc)}`);
            const scopeVars = d.scopesAt(pc).flatMap((s) => [...s.parameters, ...s.variables]);
            for (const c of [...fv.arguments, ...fv.locals]) {
              const v = scopeVars.find((x) => x.name === c.name)!;
              const ops = d.locationAt(v, pc);
              const text = ops ? formatExpr(ops) : '';
              const shown = show(c).value;
              const reg = /^DW_OP_reg(\d+) \(x\d+\)$/.exec(text);
              const lit = /^DW_OP_lit(\d+); DW_OP_stack_value$/.exec(text);
              if (reg && c.type.size === 4 && typeName(c.type) === 'int') {
                assert.equal(shown, String(0x1000 + Number(reg[1])), `${c.name} at ${hex(pc)}`);
                seen.reg++;
              } else if (lit && typeName(c.type) === 'int') {
                assert.equal(shown, lit[1]);
                seen.lit++;
              } else if (text.startsWith('DW_OP_entry_value') || text.startsWith('DW_OP_GNU_entry_value')) {
                assert.match(shown, /^\(unavailable: DW_OP_(GNU_)?entry_value/);
                seen.entry++;
              } else if (!ops || (ops.length === 0)) {
                assert.equal(shown, '(optimized out)');
              }
            }
          }
        }
      }
      assert.ok(seen.reg > 5 && seen.entry > 0 && seen.lit > 0, JSON.stringify(seen));
    }));

    it('visibleVariables (src/debug/c-frame.ts): locals, then arguments, then the unit\'s globals, each name once, readable', each((b) => {
      const d = b.dwarf;
      const sum = d.functionByName('sum').find((f) => !f.inlined)!;
      const pc = sum.ranges[0].begin;
      const symbols = parseElf(b.bytes).symbols;
      const gv = symbols.find((s) => s.name === 'gv')!.value;
      // Memory holds 0x2a at gv's address (little-endian int), zeros elsewhere.
      const reader: FrameReader = {
        register: (n) => (n <= 31 ? 0x80000n : undefined),
        memory: (a, n) => Uint8Array.from({ length: n }, (_, i) => (a + BigInt(i) === gv ? 0x2a : 0)),
      };
      const vis = visibleVariables(d, pc, reader);
      const kinds = vis.map((v) => v.kind);
      assert.deepEqual([...kinds].sort((x, y) => ['local', 'argument', 'global'].indexOf(x) - ['local', 'argument', 'global'].indexOf(y)), kinds, 'locals, arguments, globals in order');
      assert.deepEqual(vis.filter((v) => v.kind === 'argument').map((v) => v.name), ['p', 'n']);
      assert.deepEqual(vis.filter((v) => v.kind === 'global').map((v) => v.name), ['gv', 'gp', 'counter']);
      assert.equal(new Set(vis.map((v) => v.name)).size, vis.length);
      const g = vis.find((v) => v.name === 'gv')!;
      assert.equal(typeName(g.type), 'volatile int');
      const val = g.read();
      assert.equal(show(val).value, '42');
      assert.deepEqual(val.store, { kind: 'memory', address: gv });
    }));

    it('scopesAt: blocks, the inlined call with its call site, and the subprogram, innermost first', each((b) => {
      const d = b.dwarf;
      const sum = d.functionByName('sum').find((f) => !f.inlined)!;
      if (b.opt === 'O0') {
        // Innermost block of sum's loop body: { int t = ...; }
        const blocks = find(d, (x) => tagName(x.tag) === 'DW_TAG_lexical_block' && x.children.some((c) => d.name(c) === 't'));
        assert.equal(blocks.length, 1);
        const pc = d.pcRanges(blocks[0])[0].begin;
        const chain = d.scopesAt(pc);
        assert.deepEqual(chain.map((s) => [s.kind, s.name, [...s.parameters, ...s.variables].map((x) => x.name)]),
          [['block', undefined, ['t']], ['block', undefined, ['i']], ['subprogram', 'sum', ['p', 'n', 's']]]);
        // At -O0 everything lives in the frame: DW_OP_fbreg with DW_AT_frame_base = DW_OP_call_frame_cfa.
        const s = chain[2].variables[0];
        assert.match(formatExpr(d.locationAt(s, pc)!), /^DW_OP_fbreg: -\d+$/);
        assert.equal(formatExpr(d.frameBaseAt(pc)!), 'DW_OP_call_frame_cfa');
      } else {
        const inl = d.functionByName('mix').filter((f) => f.inlined);
        assert.ok(inl.length >= 1, 'mix is inlined at -O2');
        const pc = inl[0].ranges[0].begin;
        const chain = d.scopesAt(pc);
        const i = chain.findIndex((s) => s.kind === 'inlined');
        assert.ok(i >= 0);
        assert.equal(chain[i].name, 'mix');
        assert.equal(chain[i].callLine, 11);
        assert.match(chain[i].callFile ?? '', /lib\.c$/);
        assert.deepEqual(chain[i].parameters.map((p) => p.name).sort(), ['a', 'b']);
        // GCC puts mix's local in a lexical block inside the inlined instance.
        assert.deepEqual(chain.slice(0, i + 1).flatMap((s) => s.variables.map((p) => p.name)), ['r']);
        assert.equal(chain[chain.length - 1].kind, 'subprogram');
        assert.equal(chain[chain.length - 1].name, 'sum');
        assert.equal(chain[chain.length - 1].die, sum.die);
        assert.ok(chain.slice(i + 1, -1).every((s) => s.kind === 'block'));
        // Variables from an abstract origin carry their names and types from it.
        assert.equal(typeName(d.typeOf(chain[i].parameters[0].die)), 'int');
      }
      assert.deepEqual(d.scopesAt(0x10n), []);
    }));
  });
});
