// DWARF `.debug_line` reader (versions 2–5, 32- and 64-bit DWARF formats) and a
// source line map built from it with the same lookup API as the assembler's
// LineMap, so the debugger can use either kind of program transparently.
// Layouts follow the DWARF 4 and DWARF 5 standards, section 6.2 ("Line Number
// Information"). Every problem in the input raises a DwarfError naming it;
// nothing else is ever thrown.

import * as path from 'node:path';
import { LineMap } from './assembler/linemap';
import type { LineInfo, LineMapEntry } from './assembler/types';
import { ByteReader as Reader, DwarfError } from '../dwarf/reader';

// One bounds-checked byte reader and one error type for every DWARF section (src/dwarf/reader.ts).
export { DwarfError };

export interface LineRow {
  address: bigint;
  /** File path: directory and name joined (absolute when the table or `compDir` allows it). */
  file: string;
  line: number;
  column: number;
  isStmt: boolean;
  endSequence: boolean;
}

export interface LineFileEntry {
  name: string;
  /** Directory joined with the name. */
  path: string;
  dirIndex: number;
}

export interface LineProgram {
  /** Offset of the unit in .debug_line. */
  offset: number;
  version: number;
  format: 32 | 64;
  minInstLength: number;
  maxOpsPerInst: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  includeDirectories: string[];
  /** In the table's own numbering: index 1.. for v2–4 (entry 0 unused), 0.. for v5. */
  files: LineFileEntry[];
  rows: LineRow[];
}

export interface DebugLineOptions {
  /** Contents of .debug_line_str (for DW_FORM_line_strp). */
  lineStr?: Uint8Array;
  /** Contents of .debug_str (for DW_FORM_strp). */
  str?: Uint8Array;
  /** Compilation directory used to resolve relative directories (v2–4 directory 0). */
  compDir?: string;
}

// DW_LNS_*
const LNS_copy = 1, LNS_advance_pc = 2, LNS_advance_line = 3, LNS_set_file = 4, LNS_set_column = 5, LNS_negate_stmt = 6,
  LNS_set_basic_block = 7, LNS_const_add_pc = 8, LNS_fixed_advance_pc = 9, LNS_set_prologue_end = 10,
  LNS_set_epilogue_begin = 11, LNS_set_isa = 12;
// DW_LNE_*
const LNE_end_sequence = 1, LNE_set_address = 2, LNE_define_file = 3, LNE_set_discriminator = 4;
// DW_LNCT_*
const LNCT_path = 1, LNCT_directory_index = 2;
// DW_FORM_*
const FORM_block2 = 0x03, FORM_block4 = 0x04, FORM_data2 = 0x05, FORM_data4 = 0x06, FORM_data8 = 0x07, FORM_string = 0x08,
  FORM_block = 0x09, FORM_block1 = 0x0a, FORM_data1 = 0x0b, FORM_sdata = 0x0d, FORM_strp = 0x0e, FORM_udata = 0x0f,
  FORM_data16 = 0x1e, FORM_line_strp = 0x1f;

const ADDR_MASK = (1n << 64n) - 1n;

/** Bounds-checked little-endian reader over a byte range. */
const utf8 = new TextDecoder('utf-8');
function decodeUtf8(b: Uint8Array): string {
  return utf8.decode(b);
}

function stringAt(table: Uint8Array | undefined, off: bigint, sectionName: string, what: string): string {
  if (!table) throw new DwarfError(`${what} refers to ${sectionName}, which is missing`);
  if (off >= BigInt(table.length)) throw new DwarfError(`${what}: offset 0x${off.toString(16)} is outside ${sectionName} (${table.length} bytes)`);
  const r = new Reader(table, Number(off), table.length, sectionName);
  return r.cstr(what);
}

function joinPath(dir: string, name: string): string {
  if (name === '' || isAbsolute(name) || dir === '') return name;
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + name : `${dir}/${name}`;
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** Parses every line-number program in a .debug_line section. Throws DwarfError only. */
export function parseDebugLine(section: Uint8Array, opts: DebugLineOptions = {}): LineProgram[] {
  try {
    if (!(section instanceof Uint8Array)) throw new DwarfError('.debug_line contents must be a Uint8Array');
    const out: LineProgram[] = [];
    let off = 0;
    while (off < section.length) {
      const unit = parseUnit(section, off, opts);
      out.push(unit.program);
      off = unit.next;
    }
    return out;
  } catch (e) {
    if (e instanceof DwarfError) throw e;
    throw new DwarfError(`malformed .debug_line: ${(e as Error)?.message ?? String(e)}`);
  }
}

/** All rows of all units, in section order. */
export function parseDebugLineRows(section: Uint8Array, opts: DebugLineOptions = {}): LineRow[] {
  return parseDebugLine(section, opts).flatMap((p) => p.rows);
}

function parseUnit(b: Uint8Array, start: number, opts: DebugLineOptions): { program: LineProgram; next: number } {
  const what = `.debug_line unit at 0x${start.toString(16)}`;
  const r = new Reader(b, start, b.length, what);
  let format: 32 | 64 = 32;
  let length: bigint = BigInt(r.u32('unit_length'));
  if (length === 0xffffffffn) {
    format = 64;
    length = r.u64('unit_length (64-bit)');
  } else if (length >= 0xfffffff0n) {
    throw new DwarfError(`${what}: reserved unit_length value 0x${length.toString(16)}`);
  }
  if (length > BigInt(b.length - r.pos)) {
    throw new DwarfError(`${what}: unit_length ${length} runs past the end of the section (${b.length - r.pos} bytes left)`);
  }
  const end = r.pos + Number(length);
  r.end = end;
  const version = r.u16('version');
  if (version < 2 || version > 5) throw new DwarfError(`${what}: unsupported DWARF line table version ${version} (expected 2 to 5)`);
  let addressSize = 8;
  if (version >= 5) {
    addressSize = r.u8('address_size');
    if (addressSize !== 4 && addressSize !== 8) throw new DwarfError(`${what}: unsupported address size ${addressSize}`);
    const seg = r.u8('segment_selector_size');
    if (seg !== 0) throw new DwarfError(`${what}: segment selectors (size ${seg}) are not supported`);
  }
  const headerLength = format === 64 ? r.u64('header_length') : BigInt(r.u32('header_length'));
  if (headerLength > BigInt(end - r.pos)) throw new DwarfError(`${what}: header_length ${headerLength} runs past the end of the unit`);
  const progStart = r.pos + Number(headerLength);
  const minInstLength = r.u8('minimum_instruction_length');
  const maxOpsPerInst = version >= 4 ? r.u8('maximum_operations_per_instruction') : 1;
  if (maxOpsPerInst === 0) throw new DwarfError(`${what}: maximum_operations_per_instruction is 0`);
  const defaultIsStmt = r.u8('default_is_stmt') !== 0;
  const lineBase = r.i8('line_base');
  const lineRange = r.u8('line_range');
  if (lineRange === 0) throw new DwarfError(`${what}: line_range is 0`);
  const opcodeBase = r.u8('opcode_base');
  if (opcodeBase === 0) throw new DwarfError(`${what}: opcode_base is 0`);
  const opLengths: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) opLengths.push(r.u8(`standard_opcode_lengths[${i}]`));

  const compDir = opts.compDir ?? '';
  const includeDirectories: string[] = [];
  const files: LineFileEntry[] = [];
  const dirOf = (i: number): string => {
    if (version >= 5) {
      if (i >= includeDirectories.length) throw new DwarfError(`${what}: file refers to directory ${i}, but there are ${includeDirectories.length}`);
      return joinPath(compDir, includeDirectories[i]);
    }
    if (i === 0) return compDir;
    if (i > includeDirectories.length) throw new DwarfError(`${what}: file refers to directory ${i}, but there are ${includeDirectories.length}`);
    return joinPath(compDir, includeDirectories[i - 1]);
  };

  if (version <= 4) {
    for (;;) {
      const d = r.cstr('include_directories entry');
      if (d === '') break;
      includeDirectories.push(d);
    }
    files.push({ name: '', path: '', dirIndex: 0 }); // entry 0: unused before DWARF 5
    for (;;) {
      const name = r.cstr('file_names entry');
      if (name === '') break;
      const dirIndex = r.ulebNum('file directory index');
      r.uleb('file modification time');
      r.uleb('file length');
      files.push({ name, path: joinPath(dirOf(dirIndex), name), dirIndex });
    }
  } else {
    const readFormats = (kind: string): [number, number][] => {
      const n = r.u8(`${kind}_entry_format_count`);
      const f: [number, number][] = [];
      for (let i = 0; i < n; i++) f.push([r.ulebNum(`${kind} content type`, 0xffff), r.ulebNum(`${kind} form`, 0xffff)]);
      return f;
    };
    const readEntries = (kind: string, formats: [number, number][]): { name?: string; dir: number }[] => {
      const count = r.ulebNum(`${kind}s_count`);
      if (count > 0 && formats.length === 0) throw new DwarfError(`${what}: ${count} ${kind} entries but no entry format`);
      if (count > end - r.pos) throw new DwarfError(`${what}: ${kind}s_count ${count} is larger than the unit`);
      const list: { name?: string; dir: number }[] = [];
      for (let i = 0; i < count; i++) {
        const e: { name?: string; dir: number } = { dir: 0 };
        for (const [type, form] of formats) {
          const v = readForm(r, form, format, opts, `${kind} ${i}`, what);
          if (type === LNCT_path) {
            if (typeof v !== 'string') throw new DwarfError(`${what}: ${kind} ${i} path has a non-string form 0x${form.toString(16)}`);
            e.name = v;
          } else if (type === LNCT_directory_index) {
            if (typeof v !== 'bigint') throw new DwarfError(`${what}: ${kind} ${i} directory index has a non-constant form 0x${form.toString(16)}`);
            if (v > 0xffffffn) throw new DwarfError(`${what}: ${kind} ${i} directory index ${v} is too large`);
            e.dir = Number(v);
          }
        }
        list.push(e);
      }
      return list;
    };
    const dirFormats = readFormats('directory');
    for (const d of readEntries('directory', dirFormats)) includeDirectories.push(d.name ?? '');
    const fileFormats = readFormats('file_name');
    for (const f of readEntries('file_name', fileFormats)) {
      const name = f.name ?? '';
      files.push({ name, path: joinPath(dirOf(f.dir), name), dirIndex: f.dir });
    }
  }
  if (r.pos > progStart) throw new DwarfError(`${what}: header is longer than header_length says`);

  // The line-number program.
  r.pos = progStart;
  const rows: LineRow[] = [];
  const fileName = (i: number): string => {
    if (version <= 4 && i === 0) throw new DwarfError(`${what}: row uses file 0, which does not exist before DWARF 5`);
    if (i >= files.length) throw new DwarfError(`${what}: row uses file ${i}, but the table has ${version >= 5 ? files.length : files.length - 1}`);
    return files[i].path;
  };
  let address = 0n, opIndex = 0, file = 1, line = 1, column = 0, isStmt = defaultIsStmt;
  const reset = (): void => { address = 0n; opIndex = 0; file = 1; line = 1; column = 0; isStmt = defaultIsStmt; };
  const emit = (endSequence: boolean): void => {
    if (line < 0 || line > 0xffffffff) throw new DwarfError(`${what}: line number ${line} is out of range`);
    rows.push({ address, file: fileName(file), line, column, isStmt, endSequence });
  };
  const advance = (opAdvance: bigint): void => {
    if (maxOpsPerInst === 1) {
      address = (address + BigInt(minInstLength) * opAdvance) & ADDR_MASK;
    } else {
      const t = BigInt(opIndex) + opAdvance;
      address = (address + BigInt(minInstLength) * (t / BigInt(maxOpsPerInst))) & ADDR_MASK;
      opIndex = Number(t % BigInt(maxOpsPerInst));
    }
  };
  while (r.pos < end) {
    const op = r.u8('opcode');
    if (op >= opcodeBase) {
      const adj = op - opcodeBase;
      advance(BigInt(Math.floor(adj / lineRange)));
      line += lineBase + (adj % lineRange);
      emit(false);
    } else if (op === 0) {
      const len = r.ulebNum('extended opcode length', end);
      if (len === 0) throw new DwarfError(`${what}: extended opcode with length 0 at offset 0x${(r.pos - 1).toString(16)}`);
      const after = r.pos + len;
      if (after > end) throw new DwarfError(`${what}: extended opcode of ${len} bytes runs past the end of the unit`);
      const sub = r.u8('extended opcode');
      if (sub === LNE_end_sequence) {
        emit(true);
        reset();
      } else if (sub === LNE_set_address) {
        const n = len - 1;
        if (n < 1 || n > 8) throw new DwarfError(`${what}: DW_LNE_set_address with a ${n}-byte operand`);
        address = r.uN(n, 'DW_LNE_set_address operand');
        opIndex = 0;
      } else if (sub === LNE_define_file) {
        const name = r.cstr('DW_LNE_define_file name');
        const dirIndex = r.ulebNum('DW_LNE_define_file directory');
        r.uleb('DW_LNE_define_file time');
        r.uleb('DW_LNE_define_file length');
        files.push({ name, path: joinPath(dirOf(dirIndex), name), dirIndex });
      } else if (sub === LNE_set_discriminator) {
        r.uleb('DW_LNE_set_discriminator operand');
      }
      // Unknown (vendor) extended opcodes are skipped by their length.
      if (r.pos > after) throw new DwarfError(`${what}: extended opcode ${sub} is longer than its length ${len}`);
      r.pos = after;
    } else {
      switch (op) {
        case LNS_copy: emit(false); break;
        case LNS_advance_pc: advance(r.uleb('DW_LNS_advance_pc operand')); break;
        case LNS_advance_line: {
          const d = r.sleb('DW_LNS_advance_line operand');
          if (d > 0xffffffffn || d < -0xffffffffn) throw new DwarfError(`${what}: DW_LNS_advance_line by ${d} is out of range`);
          line += Number(d);
          break;
        }
        case LNS_set_file: file = r.ulebNum('DW_LNS_set_file operand', 0xffffff); break;
        case LNS_set_column: column = r.ulebNum('DW_LNS_set_column operand', 0xffffffff); break;
        case LNS_negate_stmt: isStmt = !isStmt; break;
        case LNS_set_basic_block: case LNS_set_prologue_end: case LNS_set_epilogue_begin: break;
        case LNS_const_add_pc: advance(BigInt(Math.floor((255 - opcodeBase) / lineRange))); break;
        case LNS_fixed_advance_pc: address = (address + BigInt(r.u16('DW_LNS_fixed_advance_pc operand'))) & ADDR_MASK; opIndex = 0; break;
        case LNS_set_isa: r.uleb('DW_LNS_set_isa operand'); break;
        default:
          // Standard opcode unknown to us: skip its ULEB128 operands as the header declares.
          for (let i = 0; i < opLengths[op]; i++) r.uleb(`operand of standard opcode ${op}`);
      }
    }
    if (rows.length > b.length * 2 + 16) throw new DwarfError(`${what}: too many rows`);
  }
  return {
    program: { offset: start, version, format, minInstLength, maxOpsPerInst, defaultIsStmt, lineBase, lineRange, opcodeBase, includeDirectories, files, rows },
    next: end,
  };
}

function readForm(r: Reader, form: number, format: 32 | 64, opts: DebugLineOptions, field: string, what: string): string | bigint | undefined {
  const offSize = format === 64 ? 8 : 4;
  switch (form) {
    case FORM_string: return r.cstr(`${field} string`);
    case FORM_line_strp: return stringAt(opts.lineStr, r.uN(offSize, `${field} .debug_line_str offset`), '.debug_line_str', `${what}: ${field}`);
    case FORM_strp: return stringAt(opts.str, r.uN(offSize, `${field} .debug_str offset`), '.debug_str', `${what}: ${field}`);
    case FORM_udata: return r.uleb(field);
    case FORM_sdata: return r.sleb(field);
    case FORM_data1: return r.uN(1, field);
    case FORM_data2: return r.uN(2, field);
    case FORM_data4: return r.uN(4, field);
    case FORM_data8: return r.uN(8, field);
    case FORM_data16: r.skip(16, field); return undefined;
    case FORM_block1: r.skip(r.u8(`${field} block length`), field); return undefined;
    case FORM_block2: r.skip(r.u16(`${field} block length`), field); return undefined;
    case FORM_block4: r.skip(r.u32(`${field} block length`), field); return undefined;
    case FORM_block: r.skip(r.ulebNum(`${field} block length`), field); return undefined;
    default: throw new DwarfError(`${what}: ${field} uses unsupported attribute form 0x${form.toString(16)}`);
  }
}

// ------------------------------------------------------------------ line map

/** The lookup API shared by the assembler's LineMap and DwarfLineMap. */
export interface SourceLineMap {
  readonly entries: readonly LineMapEntry[];
  lookup(address: bigint): LineMapEntry | undefined;
  addressToLine(address: bigint): LineInfo | undefined;
  lineToAddresses(file: string, line: number, opts?: { includeMacroBodies?: boolean }): bigint[];
  breakpointAddress(file: string, line: number): bigint | undefined;
}

/**
 * Address ↔ line map built from .debug_line rows. Each row covers the addresses up
 * to the next row of its sequence; where rows overlap (several sequences at one
 * address, as in unlinked objects) the first one wins. Breakpoints go to the lowest
 * `is_stmt` address of a line (any row of the line when none is a statement).
 */
export class DwarfLineMap implements SourceLineMap {
  private readonly map: LineMap;
  private readonly stmt = new Map<string, bigint>();
  /** Distinct source files, absolute when they could be resolved. */
  readonly files: string[];

  constructor(rows: readonly LineRow[]) {
    const items: LineMapEntry[] = [];
    const any = new Map<string, bigint>();
    const fileSet = new Set<string>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (row.endSequence) continue;
      fileSet.add(row.file);
      const key = lineKey(row.file, row.line);
      const best = row.isStmt ? this.stmt : any;
      const cur = best.get(key);
      if (cur === undefined || row.address < cur) best.set(key, row.address);
      const next = rows[i + 1];
      if (!next || next.address <= row.address) continue;
      const size = next.address - row.address;
      if (size > 0xffffffffn) continue; // a gap larger than any code range: not a real extent
      items.push({ address: row.address, size: Number(size), kind: 'code', file: row.file, line: row.line });
    }
    for (const [k, a] of any) if (!this.stmt.has(k)) this.stmt.set(k, a);
    items.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    const kept: LineMapEntry[] = [];
    let lastEnd = 0n;
    for (const e of items) {
      if (kept.length > 0 && e.address < lastEnd) continue;
      kept.push(e);
      lastEnd = e.address + BigInt(e.size);
    }
    this.map = new LineMap(kept);
    this.files = [...fileSet];
  }

  get length(): number {
    return this.map.length;
  }

  get entries(): readonly LineMapEntry[] {
    return this.map.entries;
  }

  lookup(address: bigint): LineMapEntry | undefined {
    return this.map.lookup(address);
  }

  addressToLine(address: bigint): LineInfo | undefined {
    return this.map.addressToLine(address);
  }

  lineToAddresses(file: string, line: number, opts: { includeMacroBodies?: boolean } = {}): bigint[] {
    return this.map.lineToAddresses(file, line, opts);
  }

  breakpointAddress(file: string, line: number): bigint | undefined {
    return this.stmt.get(lineKey(file, line));
  }
}

function lineKey(file: string, line: number): string {
  return `${path.resolve(file)}:${line}`;
}

/**
 * Builds a line map from .debug_line (and the optional string sections). Relative
 * paths are resolved with `resolveFile` (e.g. against the compilation directory or
 * the executable's directory). Throws DwarfError only.
 */
export function buildDwarfLineMap(debugLine: Uint8Array, opts: DebugLineOptions & { resolveFile?: (file: string) => string } = {}): DwarfLineMap {
  const rows = parseDebugLineRows(debugLine, opts);
  const resolve = opts.resolveFile;
  if (resolve) {
    const cache = new Map<string, string>();
    for (const r of rows) {
      let v = cache.get(r.file);
      if (v === undefined) cache.set(r.file, (v = resolve(r.file)));
      r.file = v;
    }
  }
  return new DwarfLineMap(rows);
}
