// .debug_info/.debug_abbrev reader: unit headers of DWARF 2–5 (DWARF 5 §7.5.1,
// DWARF 4 §7.5.1.1), abbreviation tables (§7.5.3) and the DIE tree with every
// attribute form of Table 7.6 decoded. Values that need a unit's base
// (DW_FORM_strx*, DW_FORM_addrx*, DW_FORM_loclistx, DW_FORM_rnglistx) are
// resolved through the unit's DW_AT_str_offsets_base / DW_AT_addr_base /
// DW_AT_loclists_base / DW_AT_rnglists_base (§3.1.1).

import { ByteReader, DwarfError, stringAt } from './reader';
import { AT, DW_UT, FORM_ENCODING, TAG, atName, formName, tagName } from './tables';

/** The DWARF sections of one file (absent ones undefined). */
export interface DwarfSections {
  info?: Uint8Array;
  abbrev?: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
  strOffsets?: Uint8Array;
  addr?: Uint8Array;
  rnglists?: Uint8Array;
  loclists?: Uint8Array;
  ranges?: Uint8Array;
  loc?: Uint8Array;
  line?: Uint8Array;
  frame?: Uint8Array;
  ehFrame?: Uint8Array;
  /** Load address of .eh_frame (its pointers are PC-relative). */
  ehFrameAddr?: bigint;
}

/**
 * A decoded attribute value. `kind` is the form's class after decoding:
 * constants keep whether the form was signed (sdata, implicit_const), references
 * are absolute .debug_info offsets, strx/addrx/loclistx/rnglistx keep their index
 * until resolved.
 */
export type AttrValue =
  | { kind: 'address'; value: bigint }
  | { kind: 'addrx'; index: number }
  | { kind: 'constant'; value: bigint; signed: boolean; size: number }
  | { kind: 'data16'; bytes: Uint8Array }
  | { kind: 'flag'; value: boolean }
  | { kind: 'ref'; offset: number }
  | { kind: 'ref_sig8'; signature: bigint }
  | { kind: 'ref_sup'; offset: number }
  | { kind: 'string'; value: string }
  | { kind: 'strx'; index: number }
  | { kind: 'strp_sup'; offset: number }
  | { kind: 'block'; bytes: Uint8Array }
  | { kind: 'exprloc'; bytes: Uint8Array }
  | { kind: 'sec_offset'; offset: number }
  | { kind: 'loclistx'; index: number }
  | { kind: 'rnglistx'; index: number };

export interface Attribute {
  at: number;
  form: number;
  value: AttrValue;
}

export interface Die {
  /** Offset of the DIE in .debug_info. */
  offset: number;
  tag: number;
  attrs: Attribute[];
  children: Die[];
  parent?: Die;
  unit: Unit;
}

export interface Unit {
  /** Offset of the unit header in .debug_info. */
  offset: number;
  /** Offset one past the unit. */
  end: number;
  version: number;
  /** DW_UT_* (DWARF 5); DWARF 2–4 compile units report DW_UT_compile. */
  unitType: number;
  offsetSize: 4 | 8;
  addressSize: number;
  abbrevOffset: number;
  typeSignature?: bigint;
  /** Type units: .debug_info offset of the type DIE the signature names. */
  typeOffset?: number;
  dwoId?: bigint;
  root: Die;
  strOffsetsBase: number;
  addrBase: number;
  loclistsBase: number;
  rnglistsBase: number;
  /** DW_AT_low_pc of the unit: the default base address of its range and location lists. */
  baseAddress: bigint;
}

interface AbbrevSpec {
  at: number;
  form: number;
  implicitConst?: bigint;
}
interface Abbrev {
  code: number;
  tag: number;
  hasChildren: boolean;
  specs: AbbrevSpec[];
}

/** Parses the abbreviation table at `offset` in .debug_abbrev (DWARF 5 §7.5.3). */
export function parseAbbrevTable(sec: Uint8Array, offset: number): Map<number, Abbrev> {
  const r = new ByteReader(sec, offset, sec.length, '.debug_abbrev');
  const table = new Map<number, Abbrev>();
  for (;;) {
    const code = r.ulebNum('abbreviation code');
    if (code === 0) return table;
    const tag = r.ulebNum(`abbreviation ${code} tag`, 0xffff);
    const children = r.u8(`abbreviation ${code} children flag`);
    if (children > 1) r.fail(`abbreviation ${code} children flag`, `is ${children}, not DW_CHILDREN_yes/no`);
    const specs: AbbrevSpec[] = [];
    for (;;) {
      const at = r.ulebNum(`abbreviation ${code} attribute name`, 0xffff);
      const form = r.ulebNum(`abbreviation ${code} attribute form`, 0xffff);
      if (at === 0 && form === 0) break;
      const spec: AbbrevSpec = { at, form };
      // DW_FORM_implicit_const keeps its value in the abbreviation (§7.5.3).
      if (form === 0x21) spec.implicitConst = r.sleb(`abbreviation ${code} implicit constant`);
      specs.push(spec);
    }
    if (table.has(code)) r.fail(`abbreviation code ${code}`, 'is defined twice');
    table.set(code, { code, tag, hasChildren: children === 1, specs });
  }
}

const AT_str_offsets_base = AT('DW_AT_str_offsets_base');
const AT_addr_base = AT('DW_AT_addr_base');
const AT_loclists_base = AT('DW_AT_loclists_base');
const AT_rnglists_base = AT('DW_AT_rnglists_base');
const AT_low_pc = AT('DW_AT_low_pc');
const AT_GNU_addr_base = 0x2133;
const AT_GNU_ranges_base = 0x2132;

/** Parses every unit of .debug_info with its DIE tree. */
export function parseUnits(s: DwarfSections): Unit[] {
  if (!s.info) return [];
  if (!s.abbrev) throw new DwarfError('.debug_info is present but .debug_abbrev is missing');
  const units: Unit[] = [];
  const abbrevCache = new Map<number, Map<number, Abbrev>>();
  let pos = 0;
  while (pos < s.info.length) {
    const u = parseUnit(s, pos, abbrevCache);
    units.push(u);
    pos = u.end;
  }
  return units;
}

function parseUnit(s: DwarfSections, start: number, abbrevCache: Map<number, Map<number, Abbrev>>): Unit {
  const info = s.info!;
  const r: ByteReader = new ByteReader(info, start, info.length, '.debug_info');
  const { offsetSize, end } = r.initialLength(`unit_length of the unit at 0x${start.toString(16)}`);
  r.end = end;
  const version = r.u16('unit version');
  if (version < 2 || version > 5) {
    r.pos -= 2;
    r.fail('unit version', `is ${version}; only DWARF 2 to 5 are supported`);
  }
  let unitType = DW_UT.code.get('DW_UT_compile')!;
  let addressSize: number;
  let abbrevOffset: number;
  let typeSignature: bigint | undefined;
  let typeOffset: number | undefined;
  let dwoId: bigint | undefined;
  if (version >= 5) {
    // DWARF 5 §7.5.1.1–3: unit_type and address_size come before debug_abbrev_offset.
    unitType = r.u8('unit_type');
    if (!DW_UT.name.has(unitType)) {
      r.pos--;
      r.fail('unit_type', `is 0x${unitType.toString(16)}, not a DW_UT_* value`);
    }
    addressSize = r.u8('address_size');
    abbrevOffset = r.offset(offsetSize, 'debug_abbrev_offset');
    if (unitType === 0x04 || unitType === 0x05) dwoId = r.uN(8, 'dwo_id');
    if (unitType === 0x02 || unitType === 0x06) {
      typeSignature = r.uN(8, 'type_signature');
      typeOffset = start + r.offset(offsetSize, 'type_offset');
    }
  } else {
    // DWARF 4 §7.5.1.1: debug_abbrev_offset, then address_size.
    abbrevOffset = r.offset(offsetSize, 'debug_abbrev_offset');
    addressSize = r.u8('address_size');
  }
  if (addressSize !== 4 && addressSize !== 8) {
    r.pos--;
    r.fail('address_size', `is ${addressSize}; only 4 and 8 are supported`);
  }
  if (abbrevOffset >= s.abbrev!.length) {
    throw new DwarfError(`.debug_info: unit at 0x${start.toString(16)} has debug_abbrev_offset 0x${abbrevOffset.toString(16)} outside .debug_abbrev`);
  }
  let abbrevs = abbrevCache.get(abbrevOffset);
  if (!abbrevs) {
    abbrevs = parseAbbrevTable(s.abbrev!, abbrevOffset);
    abbrevCache.set(abbrevOffset, abbrevs);
  }
  const unit: Unit = {
    offset: start, end, version, unitType, offsetSize, addressSize, abbrevOffset, typeSignature, typeOffset, dwoId,
    root: undefined as unknown as Die, strOffsetsBase: 0, addrBase: 0, loclistsBase: 0, rnglistsBase: 0, baseAddress: 0n,
  };
  // DIEs: a pre-order list where a DIE with children is followed by them and a null entry.
  const stack: Die[] = [];
  while (r.pos < end) {
    const dieOffset = r.pos;
    const code = r.ulebNum('abbreviation number');
    if (code === 0) {
      if (stack.length === 0) {
        // Padding after the root (some producers pad units with zeros).
        continue;
      }
      stack.pop();
      continue;
    }
    const ab = abbrevs.get(code);
    if (!ab) {
      r.pos = dieOffset;
      r.fail(`DIE abbreviation number ${code}`, `is not in the abbreviation table at .debug_abbrev 0x${abbrevOffset.toString(16)}`);
    }
    const die: Die = { offset: dieOffset, tag: ab.tag, attrs: [], children: [], unit, parent: stack[stack.length - 1] };
    for (const spec of ab.specs) die.attrs.push({ at: spec.at, form: spec.form, value: readForm(r, unit, spec, die, s) });
    if (die.parent) die.parent.children.push(die);
    else if (!unit.root) unit.root = die;
    else r.fail(`DIE at 0x${dieOffset.toString(16)}`, 'is a second top-level DIE in its unit');
    if (ab.hasChildren) stack.push(die);
    if (die === unit.root) setBases(unit, die, s);
  }
  if (!unit.root) throw new DwarfError(`.debug_info: unit at 0x${start.toString(16)} has no DIE`);
  return unit;
}

function setBases(u: Unit, root: Die, sec: DwarfSections): void {
  for (const a of root.attrs) {
    const v = a.value;
    const off = v.kind === 'sec_offset' ? v.offset : v.kind === 'constant' ? Number(v.value) : undefined;
    if (a.at === AT_str_offsets_base && off !== undefined) u.strOffsetsBase = off;
    else if ((a.at === AT_addr_base || a.at === AT_GNU_addr_base) && off !== undefined) u.addrBase = off;
    else if (a.at === AT_loclists_base && off !== undefined) u.loclistsBase = off;
    else if ((a.at === AT_rnglists_base || a.at === AT_GNU_ranges_base) && off !== undefined) u.rnglistsBase = off;
    else if (a.at === AT_low_pc && v.kind === 'address') u.baseAddress = v.value;
  }
  // A DW_FORM_addrx low_pc needs addr_base, which may come after it (§3.1.1).
  const low = root.attrs.find((a) => a.at === AT_low_pc);
  if (low && low.value.kind === 'addrx') u.baseAddress = readAddrx(sec, u, low.value.index);
}

/** Decodes one attribute value of form `spec.form` (DWARF 5 §7.5.5–6). */
function readForm(r: ByteReader, u: Unit, spec: AbbrevSpec, die: Die, sec: DwarfSections): AttrValue {
  let form = spec.form;
  const field = (): string => `${atName(spec.at)} (${formName(form)}) of the DIE at 0x${die.offset.toString(16)}`;
  for (let depth = 0; ; depth++) {
    const enc = FORM_ENCODING.get(form);
    if (!enc) r.fail(field(), 'uses an unknown attribute form');
    switch (enc) {
      case 'addr': return { kind: 'address', value: r.uN(u.addressSize, field()) };
      case 'addrx': return { kind: 'addrx', index: r.ulebNum(field()) };
      case 'addrx1': return { kind: 'addrx', index: r.u8(field()) };
      case 'addrx2': return { kind: 'addrx', index: r.u16(field()) };
      case 'addrx3': return { kind: 'addrx', index: r.u24(field()) };
      case 'addrx4': return { kind: 'addrx', index: r.u32(field()) };
      case 'data1': return { kind: 'constant', value: r.uN(1, field()), signed: false, size: 1 };
      case 'data2': return { kind: 'constant', value: r.uN(2, field()), signed: false, size: 2 };
      case 'data4': return { kind: 'constant', value: r.uN(4, field()), signed: false, size: 4 };
      case 'data8': return { kind: 'constant', value: r.uN(8, field()), signed: false, size: 8 };
      case 'data16': return { kind: 'data16', bytes: r.bytes(16, field()) };
      case 'sdata': return { kind: 'constant', value: r.sleb(field()), signed: true, size: 8 };
      case 'udata': return { kind: 'constant', value: r.uleb(field()), signed: false, size: 8 };
      case 'implicit_const': return { kind: 'constant', value: spec.implicitConst ?? 0n, signed: true, size: 8 };
      case 'flag': return { kind: 'flag', value: r.u8(field()) !== 0 };
      case 'flag_present': return { kind: 'flag', value: true };
      case 'string': return { kind: 'string', value: r.cstr(field()) };
      case 'strp': case 'line_strp': case 'gnu_strp_alt': case 'strp_sup': {
        const off = r.offset(u.offsetSize, field());
        if (enc === 'strp_sup' || enc === 'gnu_strp_alt') return { kind: 'strp_sup', offset: off };
        // Resolved at once: .debug_str / .debug_line_str need no unit base.
        return enc === 'strp'
          ? { kind: 'string', value: stringAt(sec.str, '.debug_str', off, field()) }
          : { kind: 'string', value: stringAt(sec.lineStr, '.debug_line_str', off, field()) };
      }
      case 'strx': return { kind: 'strx', index: r.ulebNum(field()) };
      case 'strx1': return { kind: 'strx', index: r.u8(field()) };
      case 'strx2': return { kind: 'strx', index: r.u16(field()) };
      case 'strx3': return { kind: 'strx', index: r.u24(field()) };
      case 'strx4': return { kind: 'strx', index: r.u32(field()) };
      // Unit-relative references become absolute .debug_info offsets (§7.5.5 "reference").
      case 'ref1': return { kind: 'ref', offset: u.offset + r.u8(field()) };
      case 'ref2': return { kind: 'ref', offset: u.offset + r.u16(field()) };
      case 'ref4': return { kind: 'ref', offset: u.offset + r.u32(field()) };
      case 'ref8': return { kind: 'ref', offset: u.offset + r.offset(8, field()) };
      case 'ref_udata': return { kind: 'ref', offset: u.offset + r.ulebNum(field()) };
      // DWARF 2 used address_size for DW_FORM_ref_addr; DWARF 3+ the offset size (§7.5.4).
      case 'ref_addr': return { kind: 'ref', offset: r.offset(u.version <= 2 ? u.addressSize : u.offsetSize, field()) };
      case 'ref_sig8': return { kind: 'ref_sig8', signature: r.uN(8, field()) };
      case 'ref_sup4': return { kind: 'ref_sup', offset: r.u32(field()) };
      case 'ref_sup8': return { kind: 'ref_sup', offset: r.offset(8, field()) };
      case 'gnu_ref_alt': return { kind: 'ref_sup', offset: r.offset(u.offsetSize, field()) };
      case 'sec_offset': return { kind: 'sec_offset', offset: r.offset(u.offsetSize, field()) };
      case 'exprloc': return { kind: 'exprloc', bytes: r.bytes(r.ulebNum(`${field()} length`), field()) };
      case 'block1': return { kind: 'block', bytes: r.bytes(r.u8(`${field()} length`), field()) };
      case 'block2': return { kind: 'block', bytes: r.bytes(r.u16(`${field()} length`), field()) };
      case 'block4': return { kind: 'block', bytes: r.bytes(r.u32(`${field()} length`), field()) };
      case 'block': return { kind: 'block', bytes: r.bytes(r.ulebNum(`${field()} length`), field()) };
      case 'loclistx': return { kind: 'loclistx', index: r.ulebNum(field()) };
      case 'rnglistx': return { kind: 'rnglistx', index: r.ulebNum(field()) };
      case 'indirect':
        // DW_FORM_indirect: the real form follows as a ULEB128 (§7.5.3).
        if (depth > 4) r.fail(field(), 'nests DW_FORM_indirect too deeply');
        form = r.ulebNum(field(), 0xffff);
        if (form === 0x21) r.fail(field(), 'is DW_FORM_indirect naming DW_FORM_implicit_const');
        continue;
    }
  }
}

/** Entry `index` of the unit's .debug_addr table (DWARF 5 §7.27). */
export function readAddrx(sec: DwarfSections, u: Unit, index: number): bigint {
  if (!sec.addr) throw new DwarfError(`unit at .debug_info 0x${u.offset.toString(16)} uses an address index but the file has no .debug_addr`);
  const r = new ByteReader(sec.addr, u.addrBase + index * u.addressSize, sec.addr.length, '.debug_addr');
  return r.uN(u.addressSize, `address index ${index} (addr_base 0x${u.addrBase.toString(16)})`);
}

/** Entry `index` of the unit's .debug_str_offsets table, resolved to its string (DWARF 5 §7.26). */
export function readStrx(sec: DwarfSections, u: Unit, index: number): string {
  if (!sec.strOffsets) throw new DwarfError(`unit at .debug_info 0x${u.offset.toString(16)} uses a string index but the file has no .debug_str_offsets`);
  const r = new ByteReader(sec.strOffsets, u.strOffsetsBase + index * u.offsetSize, sec.strOffsets.length, '.debug_str_offsets');
  const off = r.offset(u.offsetSize, `string index ${index} (str_offsets_base 0x${u.strOffsetsBase.toString(16)})`);
  return stringAt(sec.str, '.debug_str', off, `string index ${index}`);
}

export { tagName, TAG };
