// Call frame information: .debug_frame (DWARF 5 §6.4 "Call Frame Information",
// §7.24) and .eh_frame (LSB 5.0 "Exception Frames": CIE augmentations 'z', 'R',
// 'P', 'L', 'S', and AArch64's 'B'; DW_EH_PE_* pointer encodings), with the
// call frame instructions of tables.ts DW_CFA executed into rule rows, so
// `cfaRulesAt(pc)` gives the CFA rule and register rules at any PC.

import { decodeExpr, type Op } from './expr';
import { ByteReader, DwarfError } from './reader';
import { DW_CFA } from './tables';

export interface Cie {
  offset: number;
  version: number;
  augmentation: string;
  codeAlign: number;
  dataAlign: number;
  /** Return address column (x30 on AArch64). */
  raReg: number;
  addressSize: number;
  offsetSize: 4 | 8;
  /** DW_EH_PE_* encoding of FDE pointers ('R'); absolute for .debug_frame. */
  fdeEncoding: number;
  lsdaEncoding?: number;
  personality?: bigint;
  signalFrame: boolean;
  /** 'B' augmentation: return addresses are signed with the B key (AADWARF64 §4.4.1). */
  bKey: boolean;
  instructions: Uint8Array;
}

export interface Fde {
  offset: number;
  cie: Cie;
  pcBegin: bigint;
  /** Exclusive. */
  pcEnd: bigint;
  lsda?: bigint;
  instructions: Uint8Array;
}

export type CfaRule = { kind: 'reg-offset'; reg: number; offset: bigint } | { kind: 'expression'; ops: Op[] };

/** Register rules of DWARF 5 §6.4.1. Registers with no entry keep their value ("same value" by ABI convention). */
export type RegisterRule =
  | { kind: 'undefined' }
  | { kind: 'same-value' }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'val-offset'; offset: bigint }
  | { kind: 'register'; reg: number }
  | { kind: 'expression'; ops: Op[] }
  | { kind: 'val-expression'; ops: Op[] };

export interface CfiRow {
  /** First PC the row applies to. */
  pc: bigint;
  /** First PC after it. */
  end: bigint;
  cfa: CfaRule;
  registers: Map<number, RegisterRule>;
  /** RA_SIGN_STATE (AADWARF64 §4.4.2), toggled by DW_CFA_AARCH64_negate_ra_state. */
  raSigned: boolean;
  fde: Fde;
}

export interface CfiOptions {
  kind: 'debug_frame' | 'eh_frame';
  /** Load address of the section (.eh_frame pointers are often PC-relative). */
  sectionAddress?: bigint;
  addressSize?: number;
}

const M64 = (1n << 64n) - 1n;
// DW_EH_PE_* (LSB 5.0 §10.5 "DWARF Exception Header Encoding").
const PE_omit = 0xff, PE_indirect = 0x80;

export class CallFrameInfo {
  readonly cies: Cie[] = [];
  readonly fdes: Fde[] = [];

  constructor(readonly section: Uint8Array, readonly opts: CfiOptions) {
    const name = opts.kind === 'eh_frame' ? '.eh_frame' : '.debug_frame';
    const cieAt = new Map<number, Cie>();
    let pos = 0;
    while (pos < section.length) {
      const r: ByteReader = new ByteReader(section, pos, section.length, name);
      const start = pos;
      // .eh_frame ends at a zero terminator; both allow padding at the end.
      if (opts.kind === 'eh_frame' && section.length - pos >= 4 && r.u32('length') === 0) {
        pos += 4;
        continue;
      }
      r.pos = start;
      const { offsetSize, end } = r.initialLength('length');
      r.end = end;
      const idPos = r.pos;
      // .eh_frame's CIE id / CIE pointer is 4 bytes even after a 64-bit length (LSB 5.0 §10.6.1.1).
      const id = r.uN(opts.kind === 'eh_frame' ? 4 : offsetSize, 'CIE_id / CIE_pointer');
      const isCie = opts.kind === 'eh_frame' ? id === 0n : id === (offsetSize === 8 ? M64 : 0xffffffffn);
      if (isCie) {
        const cie = this.parseCie(r, start, offsetSize);
        cieAt.set(start, cie);
        this.cies.push(cie);
      } else {
        const cieOff = opts.kind === 'eh_frame' ? idPos - Number(id) : Number(id);
        const cie = cieAt.get(cieOff) ?? this.parseCieAt(cieOff, cieAt, name);
        this.fdes.push(this.parseFde(r, start, cie));
      }
      pos = end;
    }
    this.fdes.sort((a, b) => (a.pcBegin < b.pcBegin ? -1 : a.pcBegin > b.pcBegin ? 1 : 0));
  }

  private parseCieAt(off: number, cieAt: Map<number, Cie>, name: string): Cie {
    if (off < 0 || off >= this.section.length) throw new DwarfError(`${name}: FDE refers to a CIE at 0x${off.toString(16)}, outside the section`);
    const r: ByteReader = new ByteReader(this.section, off, this.section.length, name);
    const { offsetSize, end } = r.initialLength('CIE length');
    r.end = end;
    r.uN(this.opts.kind === 'eh_frame' ? 4 : offsetSize, 'CIE_id');
    const cie = this.parseCie(r, off, offsetSize);
    cieAt.set(off, cie);
    this.cies.push(cie);
    return cie;
  }

  private parseCie(r: ByteReader, offset: number, offsetSize: 4 | 8): Cie {
    const version = r.u8('CIE version');
    if (![1, 3, 4].includes(version)) {
      r.pos--;
      r.fail('CIE version', `is ${version}; only 1, 3 and 4 are defined`);
    }
    const augmentation = r.cstr('CIE augmentation');
    let addressSize = this.opts.addressSize ?? 8;
    if (augmentation.includes('eh')) r.uN(addressSize, 'CIE eh_data');
    if (version >= 4) {
      addressSize = r.u8('CIE address_size');
      r.u8('CIE segment_selector_size');
    }
    const codeAlign = r.ulebNum('CIE code_alignment_factor');
    const dataAlign = Number(r.sleb('CIE data_alignment_factor'));
    const raReg = version === 1 ? r.u8('CIE return_address_register') : r.ulebNum('CIE return_address_register');
    const cie: Cie = {
      offset, version, augmentation, codeAlign, dataAlign, raReg, addressSize, offsetSize, fdeEncoding: 0,
      signalFrame: false, bKey: false, instructions: new Uint8Array(),
    };
    if (augmentation.startsWith('z')) {
      const len = r.ulebNum('CIE augmentation data length');
      const augEnd = r.pos + len;
      for (const ch of augmentation.slice(1)) {
        switch (ch) {
          case 'R': cie.fdeEncoding = r.u8('CIE FDE pointer encoding'); break;
          case 'L': cie.lsdaEncoding = r.u8('CIE LSDA encoding'); break;
          case 'P': {
            const enc = r.u8('CIE personality encoding');
            cie.personality = this.readEncoded(r, enc, addressSize, 'CIE personality routine');
            break;
          }
          case 'S': cie.signalFrame = true; break;
          case 'B': cie.bKey = true; break;
          case 'G': break; // MTE tagged frames: no data
          default:
            // An unknown letter: the data length still lets us skip the rest (LSB 5.0 §10.6.1.1).
            r.pos = augEnd;
        }
        if (r.pos >= augEnd) break;
      }
      r.pos = augEnd;
    } else if (augmentation !== '' && this.opts.kind === 'eh_frame') {
      r.fail(`CIE augmentation "${augmentation}"`, 'is not understood (no "z" to give its size)');
    }
    cie.instructions = r.bytes(r.end - r.pos, 'CIE initial instructions');
    return cie;
  }

  private parseFde(r: ByteReader, offset: number, cie: Cie): Fde {
    const enc = this.opts.kind === 'eh_frame' ? cie.fdeEncoding : 0;
    const pcBegin = this.readEncoded(r, enc, cie.addressSize, 'FDE initial_location');
    // The range is a plain length in the encoding's size, never PC-relative.
    const range = this.readEncoded(r, enc & 0x0f, cie.addressSize, 'FDE address_range');
    const fde: Fde = { offset, cie, pcBegin, pcEnd: (pcBegin + range) & M64, instructions: new Uint8Array() };
    if (cie.augmentation.startsWith('z')) {
      const len = r.ulebNum('FDE augmentation data length');
      const augEnd = r.pos + len;
      if (cie.lsdaEncoding !== undefined && cie.lsdaEncoding !== PE_omit && len > 0) {
        fde.lsda = this.readEncoded(r, cie.lsdaEncoding, cie.addressSize, 'FDE LSDA pointer');
      }
      r.pos = augEnd;
    }
    fde.instructions = r.bytes(r.end - r.pos, 'FDE instructions');
    return fde;
  }

  /** A pointer in DW_EH_PE_* encoding `enc` (absptr for .debug_frame). */
  private readEncoded(r: ByteReader, enc: number, addressSize: number, field: string): bigint {
    if (enc === PE_omit) return 0n;
    const fieldAddr = (this.opts.sectionAddress ?? 0n) + BigInt(r.pos);
    let v: bigint;
    switch (enc & 0x0f) {
      case 0x00: v = r.uN(addressSize, field); break;
      case 0x01: v = r.uleb(field); break;
      case 0x02: v = r.uN(2, field); break;
      case 0x03: v = r.uN(4, field); break;
      case 0x04: v = r.uN(8, field); break;
      case 0x09: v = r.sleb(field); break;
      case 0x0a: v = r.sN(2, field); break;
      case 0x0b: v = r.sN(4, field); break;
      case 0x0c: v = r.sN(8, field); break;
      default: r.fail(field, `uses pointer encoding 0x${enc.toString(16)}, whose format is not defined`);
    }
    switch (enc & 0x70) {
      case 0x00: break;
      case 0x10: v += fieldAddr; break; // DW_EH_PE_pcrel
      default: r.fail(field, `uses pointer application 0x${(enc & 0x70).toString(16)} (only absolute and pcrel are supported)`);
    }
    if (enc & PE_indirect) r.fail(field, 'is an indirect pointer (DW_EH_PE_indirect), which needs memory we do not read');
    return v & M64;
  }

  /** The FDE whose range holds pc. */
  fdeAt(pc: bigint): Fde | undefined {
    let lo = 0, hi = this.fdes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = this.fdes[mid];
      if (pc < f.pcBegin) hi = mid - 1;
      else if (pc >= f.pcEnd) lo = mid + 1;
      else return f;
    }
    // Ranges may overlap oddly (zero-length FDEs); fall back to a scan.
    return this.fdes.find((f) => pc >= f.pcBegin && pc < f.pcEnd);
  }

  /** Every row of an FDE's table (DWARF 5 §6.4.1), in address order. */
  rowsOf(fde: Fde): CfiRow[] {
    return execute(fde);
  }

  /** The rules in force at `pc`, or undefined when no FDE covers it. */
  cfaRulesAt(pc: bigint): CfiRow | undefined {
    const fde = this.fdeAt(pc);
    if (!fde) return undefined;
    const rows = execute(fde, pc);
    return rows.find((r) => pc >= r.pc && pc < r.end) ?? rows[rows.length - 1];
  }
}

interface State {
  cfa: CfaRule;
  registers: Map<number, RegisterRule>;
  raSigned: boolean;
}

const copy = (s: State): State => ({ cfa: s.cfa, registers: new Map(s.registers), raSigned: s.raSigned });

/** Runs the CIE's initial instructions then the FDE's, stopping after the row holding `stopAt`. */
function execute(fde: Fde, stopAt?: bigint): CfiRow[] {
  const cie = fde.cie;
  const fmt = { addressSize: cie.addressSize, offsetSize: cie.offsetSize };
  let state: State = { cfa: { kind: 'reg-offset', reg: 31, offset: 0n }, registers: new Map(), raSigned: false };
  const rows: CfiRow[] = [];
  let loc = fde.pcBegin;
  const stack: State[] = [];
  let initial: Map<number, RegisterRule> | undefined;

  const run = (bytes: Uint8Array, where: string): boolean => {
    const r: ByteReader = new ByteReader(bytes, 0, bytes.length, `${where} instructions`);
    while (!r.atEnd) {
      const b = r.u8('call frame instruction');
      const high = b & 0xc0;
      const code = high ? high : b;
      const low = b & 0x3f;
      const info = DW_CFA.get(code);
      if (!info) {
        r.pos--;
        r.fail(`call frame instruction 0x${b.toString(16)}`, 'is not a DW_CFA_* code');
      }
      const f = info.name;
      const advance = (delta: bigint): boolean => {
        const next = (loc + delta * BigInt(cie.codeAlign)) & M64;
        if (next > loc) rows.push({ pc: loc, end: next, ...copy(state), fde });
        loc = next;
        return stopAt !== undefined && loc > stopAt;
      };
      const factored = (v: bigint): bigint => v * BigInt(cie.dataAlign);
      const cfaRegOffset = (): { reg: number; offset: bigint } => {
        if (state.cfa.kind !== 'reg-offset') r.fail(f, 'changes a CFA that is defined by an expression');
        return state.cfa;
      };
      switch (f) {
        case 'DW_CFA_advance_loc': if (advance(BigInt(low))) return true; break;
        case 'DW_CFA_advance_loc1': if (advance(BigInt(r.u8(f)))) return true; break;
        case 'DW_CFA_advance_loc2': if (advance(BigInt(r.u16(f)))) return true; break;
        case 'DW_CFA_advance_loc4': if (advance(BigInt(r.u32(f)))) return true; break;
        case 'DW_CFA_set_loc': {
          const next = r.uN(cie.addressSize, f);
          if (next > loc) rows.push({ pc: loc, end: next, ...copy(state), fde });
          loc = next;
          if (stopAt !== undefined && loc > stopAt) return true;
          break;
        }
        case 'DW_CFA_offset': state.registers.set(low, { kind: 'offset', offset: factored(r.uleb(f)) }); break;
        case 'DW_CFA_offset_extended': { const reg = r.ulebNum(f); state.registers.set(reg, { kind: 'offset', offset: factored(r.uleb(f)) }); break; }
        case 'DW_CFA_offset_extended_sf': { const reg = r.ulebNum(f); state.registers.set(reg, { kind: 'offset', offset: factored(r.sleb(f)) }); break; }
        case 'DW_CFA_GNU_negative_offset_extended': { const reg = r.ulebNum(f); state.registers.set(reg, { kind: 'offset', offset: -factored(r.uleb(f)) }); break; }
        case 'DW_CFA_val_offset': { const reg = r.ulebNum(f); state.registers.set(reg, { kind: 'val-offset', offset: factored(r.uleb(f)) }); break; }
        case 'DW_CFA_val_offset_sf': { const reg = r.ulebNum(f); state.registers.set(reg, { kind: 'val-offset', offset: factored(r.sleb(f)) }); break; }
        case 'DW_CFA_restore': case 'DW_CFA_restore_extended': {
          const reg = f === 'DW_CFA_restore' ? low : r.ulebNum(f);
          if (!initial) r.fail(f, 'appears in a CIE (there is no initial rule to restore)');
          const rule = initial.get(reg);
          if (rule) state.registers.set(reg, rule);
          else state.registers.delete(reg);
          break;
        }
        case 'DW_CFA_undefined': state.registers.set(r.ulebNum(f), { kind: 'undefined' }); break;
        case 'DW_CFA_same_value': state.registers.set(r.ulebNum(f), { kind: 'same-value' }); break;
        case 'DW_CFA_register': { const reg = r.ulebNum(f); state.registers.set(reg, { kind: 'register', reg: r.ulebNum(f) }); break; }
        case 'DW_CFA_remember_state': stack.push(copy(state)); break;
        case 'DW_CFA_restore_state': {
          const s = stack.pop();
          if (!s) r.fail(f, 'has no remembered state');
          // We choose to restore the CFA rule too, as GCC's unwinder and GDB do.
          state = s;
          break;
        }
        case 'DW_CFA_def_cfa': { const reg = r.ulebNum(f); state.cfa = { kind: 'reg-offset', reg, offset: r.uleb(f) }; break; }
        case 'DW_CFA_def_cfa_sf': { const reg = r.ulebNum(f); state.cfa = { kind: 'reg-offset', reg, offset: factored(r.sleb(f)) }; break; }
        case 'DW_CFA_def_cfa_register': { const reg = r.ulebNum(f); state.cfa = { kind: 'reg-offset', reg, offset: cfaRegOffset().offset }; break; }
        case 'DW_CFA_def_cfa_offset': state.cfa = { kind: 'reg-offset', reg: cfaRegOffset().reg, offset: r.uleb(f) }; break;
        case 'DW_CFA_def_cfa_offset_sf': state.cfa = { kind: 'reg-offset', reg: cfaRegOffset().reg, offset: factored(r.sleb(f)) }; break;
        case 'DW_CFA_def_cfa_expression': state.cfa = { kind: 'expression', ops: decodeExpr(r.bytes(r.ulebNum(f), f), fmt, f) }; break;
        case 'DW_CFA_expression': { const reg = r.ulebNum(f); state.registers.set(reg, { kind: 'expression', ops: decodeExpr(r.bytes(r.ulebNum(f), f), fmt, f) }); break; }
        case 'DW_CFA_val_expression': { const reg = r.ulebNum(f); state.registers.set(reg, { kind: 'val-expression', ops: decodeExpr(r.bytes(r.ulebNum(f), f), fmt, f) }); break; }
        case 'DW_CFA_AARCH64_negate_ra_state': state.raSigned = !state.raSigned; break;
        case 'DW_CFA_GNU_args_size': r.uleb(f); break;
        case 'DW_CFA_nop': break;
        default: r.fail(f, 'is not handled');
      }
    }
    return false;
  };

  run(cie.instructions, `CIE at 0x${cie.offset.toString(16)}`);
  initial = new Map(state.registers);
  if (!run(fde.instructions, `FDE at 0x${fde.offset.toString(16)}`) && loc < fde.pcEnd) {
    rows.push({ pc: loc, end: fde.pcEnd, ...copy(state), fde });
  }
  return rows;
}
