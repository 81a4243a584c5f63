// Range lists and location lists: DWARF 5 .debug_rnglists (§2.17.3, §7.25) and
// .debug_loclists (§2.6.2, §7.7.3), and their DWARF 2–4 forms .debug_ranges
// (DWARF 4 §2.17.3) and .debug_loc (DWARF 4 §2.6.2). Entries come out with
// absolute [begin, end) addresses.

import { readAddrx, type AttrValue, type DwarfSections, type Unit } from './info';
import { ByteReader, DwarfError } from './reader';
import { DW_LLE, DW_RLE } from './tables';

export interface AddressRange {
  begin: bigint;
  /** Exclusive. */
  end: bigint;
}

export interface LocListEntry extends AddressRange {
  /** The location description (expression bytes) valid in [begin, end). */
  expr: Uint8Array;
  /** DW_LLE_default_location: valid wherever no other entry is. */
  isDefault?: boolean;
}

const M64 = (1n << 64n) - 1n;

/**
 * Offset in .debug_rnglists/.debug_loclists of list `index` of a unit
 * (DW_FORM_rnglistx/loclistx): the offsets array at the unit's base holds
 * offsets relative to that base (§7.28, §7.29).
 */
function listxOffset(sec: Uint8Array, base: number, index: number, u: Unit, name: string): number {
  const r = new ByteReader(sec, base + index * u.offsetSize, sec.length, name);
  return base + r.offset(u.offsetSize, `offset entry ${index} (base 0x${base.toString(16)})`);
}

/** The ranges of a DW_AT_ranges value of a DIE in unit `u`. */
export function readRanges(s: DwarfSections, u: Unit, v: AttrValue): AddressRange[] {
  if (u.version >= 5) {
    if (!s.rnglists) throw new DwarfError(`DW_AT_ranges in unit 0x${u.offset.toString(16)} but the file has no .debug_rnglists`);
    let off: number;
    if (v.kind === 'rnglistx') off = listxOffset(s.rnglists, u.rnglistsBase, v.index, u, '.debug_rnglists');
    else if (v.kind === 'sec_offset') off = v.offset;
    else throw new DwarfError(`DW_AT_ranges has unexpected form class ${v.kind}`);
    return readRnglist(s, u, off);
  }
  if (v.kind !== 'sec_offset' && v.kind !== 'constant') throw new DwarfError(`DW_AT_ranges has unexpected form class ${v.kind}`);
  if (!s.ranges) throw new DwarfError(`DW_AT_ranges in unit 0x${u.offset.toString(16)} but the file has no .debug_ranges`);
  return readRangesV4(s.ranges, u, v.kind === 'sec_offset' ? v.offset : Number(v.value));
}

function readRnglist(s: DwarfSections, u: Unit, off: number): AddressRange[] {
  const r = new ByteReader(s.rnglists!, off, s.rnglists!.length, '.debug_rnglists');
  const out: AddressRange[] = [];
  let base = u.baseAddress;
  const a = (f: string): bigint => r.uN(u.addressSize, f);
  const x = (f: string): bigint => readAddrx(s, u, r.ulebNum(f));
  for (;;) {
    const kind = r.u8('range list entry kind');
    switch (DW_RLE.name.get(kind)) {
      case 'DW_RLE_end_of_list': return out;
      case 'DW_RLE_base_addressx': base = x('DW_RLE_base_addressx index'); break;
      case 'DW_RLE_startx_endx': { const b = x('DW_RLE_startx_endx start'); out.push({ begin: b, end: x('DW_RLE_startx_endx end') }); break; }
      case 'DW_RLE_startx_length': { const b = x('DW_RLE_startx_length start'); out.push({ begin: b, end: (b + r.uleb('DW_RLE_startx_length length')) & M64 }); break; }
      case 'DW_RLE_offset_pair': { const b = r.uleb('DW_RLE_offset_pair start'); out.push({ begin: (base + b) & M64, end: (base + r.uleb('DW_RLE_offset_pair end')) & M64 }); break; }
      case 'DW_RLE_base_address': base = a('DW_RLE_base_address'); break;
      case 'DW_RLE_start_end': { const b = a('DW_RLE_start_end start'); out.push({ begin: b, end: a('DW_RLE_start_end end') }); break; }
      case 'DW_RLE_start_length': { const b = a('DW_RLE_start_length start'); out.push({ begin: b, end: (b + r.uleb('DW_RLE_start_length length')) & M64 }); break; }
      default:
        r.pos--;
        r.fail(`range list entry kind 0x${kind.toString(16)}`, 'is not a DW_RLE_* value');
    }
  }
}

function readRangesV4(sec: Uint8Array, u: Unit, off: number): AddressRange[] {
  const r = new ByteReader(sec, off, sec.length, '.debug_ranges');
  const out: AddressRange[] = [];
  const max = u.addressSize === 8 ? M64 : 0xffffffffn;
  let base = u.baseAddress;
  for (;;) {
    const b = r.uN(u.addressSize, 'range begin');
    const e = r.uN(u.addressSize, 'range end');
    if (b === 0n && e === 0n) return out;
    // A begin of the largest address selects a new base (DWARF 4 §2.17.3.1).
    if (b === max) base = e;
    else out.push({ begin: (base + b) & M64, end: (base + e) & M64 });
  }
}

/** The entries of a DW_AT_location (or similar) value that is a location list. */
export function readLocList(s: DwarfSections, u: Unit, v: AttrValue): LocListEntry[] {
  if (u.version >= 5) {
    if (!s.loclists) throw new DwarfError(`location list in unit 0x${u.offset.toString(16)} but the file has no .debug_loclists`);
    let off: number;
    if (v.kind === 'loclistx') off = listxOffset(s.loclists, u.loclistsBase, v.index, u, '.debug_loclists');
    else if (v.kind === 'sec_offset') off = v.offset;
    else throw new DwarfError(`location list attribute has unexpected form class ${v.kind}`);
    return readLoclist(s, u, off);
  }
  if (v.kind !== 'sec_offset' && v.kind !== 'constant') throw new DwarfError(`location list attribute has unexpected form class ${v.kind}`);
  if (!s.loc) throw new DwarfError(`location list in unit 0x${u.offset.toString(16)} but the file has no .debug_loc`);
  return readLocV4(s.loc, u, v.kind === 'sec_offset' ? v.offset : Number(v.value));
}

function readLoclist(s: DwarfSections, u: Unit, off: number): LocListEntry[] {
  const r = new ByteReader(s.loclists!, off, s.loclists!.length, '.debug_loclists');
  const out: LocListEntry[] = [];
  let base = u.baseAddress;
  const a = (f: string): bigint => r.uN(u.addressSize, f);
  const x = (f: string): bigint => readAddrx(s, u, r.ulebNum(f));
  const expr = (): Uint8Array => r.bytes(r.ulebNum('location description length'), 'location description');
  for (;;) {
    const kind = r.u8('location list entry kind');
    switch (DW_LLE.name.get(kind)) {
      case 'DW_LLE_end_of_list': return out;
      case 'DW_LLE_base_addressx': base = x('DW_LLE_base_addressx index'); break;
      case 'DW_LLE_startx_endx': { const b = x('DW_LLE_startx_endx start'); const e = x('DW_LLE_startx_endx end'); out.push({ begin: b, end: e, expr: expr() }); break; }
      case 'DW_LLE_startx_length': { const b = x('DW_LLE_startx_length start'); const e = (b + r.uleb('DW_LLE_startx_length length')) & M64; out.push({ begin: b, end: e, expr: expr() }); break; }
      case 'DW_LLE_offset_pair': { const b = (base + r.uleb('DW_LLE_offset_pair start')) & M64; const e = (base + r.uleb('DW_LLE_offset_pair end')) & M64; out.push({ begin: b, end: e, expr: expr() }); break; }
      case 'DW_LLE_default_location': out.push({ begin: 0n, end: M64, expr: expr(), isDefault: true }); break;
      case 'DW_LLE_base_address': base = a('DW_LLE_base_address'); break;
      case 'DW_LLE_start_end': { const b = a('DW_LLE_start_end start'); const e = a('DW_LLE_start_end end'); out.push({ begin: b, end: e, expr: expr() }); break; }
      case 'DW_LLE_start_length': { const b = a('DW_LLE_start_length start'); const e = (b + r.uleb('DW_LLE_start_length length')) & M64; out.push({ begin: b, end: e, expr: expr() }); break; }
      case 'DW_LLE_GNU_view_pair': r.uleb('DW_LLE_GNU_view_pair begin view'); r.uleb('DW_LLE_GNU_view_pair end view'); break;
      default:
        r.pos--;
        r.fail(`location list entry kind 0x${kind.toString(16)}`, 'is not a DW_LLE_* value');
    }
  }
}

function readLocV4(sec: Uint8Array, u: Unit, off: number): LocListEntry[] {
  const r = new ByteReader(sec, off, sec.length, '.debug_loc');
  const out: LocListEntry[] = [];
  const max = u.addressSize === 8 ? M64 : 0xffffffffn;
  let base = u.baseAddress;
  for (;;) {
    const b = r.uN(u.addressSize, 'location list begin');
    const e = r.uN(u.addressSize, 'location list end');
    if (b === 0n && e === 0n) return out;
    if (b === max) { base = e; continue; } // base address selection (DWARF 4 §2.6.2)
    const bytes = r.bytes(r.u16('location description length'), 'location description');
    out.push({ begin: (base + b) & M64, end: (base + e) & M64, expr: bytes });
  }
}
