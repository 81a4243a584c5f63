// The debugging-information model the debugger queries: units and DIEs from
// info.ts, attribute values resolved (strings, addresses, references through
// DW_AT_abstract_origin / DW_AT_specification), PC ranges, location lists by
// PC, scopes at a PC (subprogram → inlined subroutines → lexical blocks, DWARF 5
// §3.3, §3.3.8, §3.5) with their parameters and variables, globals, types and
// functions by name.

import { elfSectionData, parseElf, type ElfImage } from '../asm/elf';
import { parseDebugLine, type LineProgram } from '../asm/dwarf-line';
import { CallFrameInfo, type CfiRow } from './cfi';
import { decodeExpr, type Op } from './expr';
import { parseUnits, readAddrx, readStrx, type Attribute, type Die, type DwarfSections, type Unit } from './info';
import { readLocList, readRanges, type AddressRange, type LocListEntry } from './lists';
import { DwarfError } from './reader';
import { AT, TAG } from './tables';
import { buildType, type TypeNode } from './types';

const A = {
  name: AT('DW_AT_name'), lowPc: AT('DW_AT_low_pc'), highPc: AT('DW_AT_high_pc'), ranges: AT('DW_AT_ranges'),
  origin: AT('DW_AT_abstract_origin'), spec: AT('DW_AT_specification'), type: AT('DW_AT_type'),
  location: AT('DW_AT_location'), frameBase: AT('DW_AT_frame_base'), constValue: AT('DW_AT_const_value'),
  callFile: AT('DW_AT_call_file'), callLine: AT('DW_AT_call_line'), callColumn: AT('DW_AT_call_column'),
  declFile: AT('DW_AT_decl_file'), declLine: AT('DW_AT_decl_line'), external: AT('DW_AT_external'),
  stmtList: AT('DW_AT_stmt_list'), compDir: AT('DW_AT_comp_dir'), entryPc: AT('DW_AT_entry_pc'),
  linkageName: AT('DW_AT_linkage_name'), declaration: AT('DW_AT_declaration'), inline: AT('DW_AT_inline'),
};
const T = {
  subprogram: TAG('DW_TAG_subprogram'), inlined: TAG('DW_TAG_inlined_subroutine'), block: TAG('DW_TAG_lexical_block'),
  variable: TAG('DW_TAG_variable'), param: TAG('DW_TAG_formal_parameter'), namespace: TAG('DW_TAG_namespace'),
  compileUnit: TAG('DW_TAG_compile_unit'), partialUnit: TAG('DW_TAG_partial_unit'), skeleton: TAG('DW_TAG_skeleton_unit'),
};

/** Where a variable's location description comes from. */
export type VariableLocation =
  | { kind: 'expr'; ops: Op[] }
  | { kind: 'list'; entries: LocListEntry[] }
  | { kind: 'const'; value: bigint | Uint8Array }
  | { kind: 'none' };

export interface Variable {
  die: Die;
  name?: string;
  isParameter: boolean;
  /** The DIE holding DW_AT_type (possibly the abstract origin). */
  typeDie?: Die;
  location: VariableLocation;
  declFile?: string;
  declLine?: number;
  external: boolean;
}

export interface Scope {
  kind: 'subprogram' | 'inlined' | 'block';
  die: Die;
  /** Function name (through the abstract origin) for subprograms and inlined subroutines. */
  name?: string;
  ranges: AddressRange[];
  parameters: Variable[];
  variables: Variable[];
  /** For inlined subroutines: where the call is. */
  callFile?: string;
  callLine?: number;
  callColumn?: number;
}

export interface FunctionInfo {
  die: Die;
  name: string;
  ranges: AddressRange[];
  /** Low PC of the first range (the function's entry for a contiguous function). */
  entry: bigint;
  inlined: boolean;
}

export class DwarfInfo {
  readonly units: Unit[];
  private readonly dies = new Map<number, Die>();
  /** Type units by signature (DWARF 5 §3.1.4), for DW_FORM_ref_sig8. */
  private readonly signatures = new Map<bigint, number>();
  private readonly typeCache = new Map<number, TypeNode>();
  private readonly lineCache = new Map<Unit, LineProgram | undefined>();
  private readonly rangeCache = new Map<Die, AddressRange[]>();
  private cfi?: { debugFrame?: CallFrameInfo; ehFrame?: CallFrameInfo };
  private functionIndex?: Map<string, Die[]>;

  constructor(readonly sections: DwarfSections) {
    this.units = parseUnits(sections);
    const index = (d: Die): void => {
      this.dies.set(d.offset, d);
      for (const c of d.children) index(c);
    };
    for (const u of this.units) {
      index(u.root);
      if (u.typeSignature !== undefined && u.typeOffset !== undefined) this.signatures.set(u.typeSignature, u.typeOffset);
    }
  }

  /** Reads the DWARF sections of an ELF file. */
  static fromElf(bytes: Uint8Array, image: ElfImage = parseElf(bytes)): DwarfInfo {
    return new DwarfInfo(dwarfSectionsOfElf(bytes, image));
  }

  dieAt(offset: number): Die | undefined {
    return this.dies.get(offset);
  }

  /** Every DIE of every unit, in .debug_info order. */
  *allDies(): Generator<Die> {
    const walk = function* (d: Die): Generator<Die> {
      yield d;
      for (const c of d.children) yield* walk(c);
    };
    for (const u of this.units) yield* walk(u.root);
  }

  // ---- attribute access ----

  attr(die: Die, at: number): Attribute | undefined {
    for (const a of die.attrs) if (a.at === at) return a;
    return undefined;
  }

  /** Like attr, but also looks through DW_AT_abstract_origin and DW_AT_specification (§3.3.8.1, §2.13.2). */
  attrFollow(die: Die, at: number): { attr: Attribute; die: Die } | undefined {
    let d: Die | undefined = die;
    for (let i = 0; d && i < 8; i++) {
      const a = this.attr(d, at);
      if (a) return { attr: a, die: d };
      d = this.ref(d, A.origin) ?? this.ref(d, A.spec);
    }
    return undefined;
  }

  string(die: Die, at: number): string | undefined {
    const a = this.attr(die, at);
    if (!a) return undefined;
    if (a.value.kind === 'string') return a.value.value;
    if (a.value.kind === 'strx') return readStrx(this.sections, die.unit, a.value.index);
    return undefined;
  }

  /** DW_AT_name, through abstract origins and specifications. */
  name(die: Die): string | undefined {
    const f = this.attrFollow(die, A.name);
    return f ? this.string(f.die, A.name) : undefined;
  }

  udata(die: Die, at: number): number | undefined {
    const a = this.attr(die, at);
    return a && a.value.kind === 'constant' ? Number(a.value.value) : undefined;
  }

  /** A constant as signed: data1..8 forms are sign-extended from their size (the C producer's convention for bounds and enumerators of signed types). */
  sdata(die: Die, at: number): bigint | undefined {
    const a = this.attr(die, at);
    if (!a || a.value.kind !== 'constant') return undefined;
    const v = a.value;
    return v.signed ? v.value : BigInt.asIntN(v.size * 8, v.value);
  }

  flag(die: Die, at: number): boolean {
    const a = this.attr(die, at);
    return !!a && a.value.kind === 'flag' && a.value.value;
  }

  ref(die: Die, at: number): Die | undefined {
    const a = this.attr(die, at);
    if (!a) return undefined;
    if (a.value.kind === 'ref_sig8') {
      const off = this.signatures.get(a.value.signature);
      const t = off === undefined ? undefined : this.dies.get(off);
      if (!t) throw new DwarfError(`DIE at 0x${die.offset.toString(16)}: no type unit has signature 0x${a.value.signature.toString(16)}`);
      return t;
    }
    if (a.value.kind !== 'ref') return undefined;
    const d = this.dies.get(a.value.offset);
    if (!d) throw new DwarfError(`DIE at 0x${die.offset.toString(16)}: reference to 0x${a.value.offset.toString(16)} is not the offset of a DIE`);
    return d;
  }

  address(die: Die, at: number): bigint | undefined {
    const a = this.attr(die, at);
    if (!a) return undefined;
    if (a.value.kind === 'address') return a.value.value;
    if (a.value.kind === 'addrx') return readAddrx(this.sections, die.unit, a.value.index);
    return undefined;
  }

  decode(bytes: Uint8Array, unit: Unit): Op[] {
    return decodeExpr(bytes, { addressSize: unit.addressSize, offsetSize: unit.offsetSize, unitOffset: unit.offset });
  }

  // ---- PC ranges ----

  /** The PC ranges of a DIE: DW_AT_low_pc/high_pc (high_pc of constant class is a length, §2.17.2) or DW_AT_ranges. */
  pcRanges(die: Die): AddressRange[] {
    const cached = this.rangeCache.get(die);
    if (cached) return cached;
    let out: AddressRange[] = [];
    const ranges = this.attr(die, A.ranges);
    if (ranges) out = readRanges(this.sections, die.unit, ranges.value);
    else {
      const low = this.address(die, A.lowPc);
      const hi = this.attr(die, A.highPc);
      if (low !== undefined && hi) {
        const end = hi.value.kind === 'constant' ? low + hi.value.value : this.address(die, A.highPc);
        if (end !== undefined) out = [{ begin: low, end }];
      } else if (low !== undefined) out = [{ begin: low, end: low + 1n }];
    }
    this.rangeCache.set(die, out);
    return out;
  }

  private contains(die: Die, pc: bigint): boolean {
    return this.pcRanges(die).some((r) => pc >= r.begin && pc < r.end);
  }

  /** The unit whose ranges hold `pc`. */
  unitAt(pc: bigint): Unit | undefined {
    return this.units.find((u) => this.contains(u.root, pc));
  }

  // ---- locations ----

  /** The location of a variable or parameter DIE (own attributes only; concrete DIEs carry them). */
  variableLocation(die: Die): VariableLocation {
    const loc = this.attr(die, A.location);
    if (loc) {
      const v = loc.value;
      if (v.kind === 'exprloc' || v.kind === 'block') return { kind: 'expr', ops: this.decode(v.bytes, die.unit) };
      return { kind: 'list', entries: readLocList(this.sections, die.unit, v) };
    }
    const cv = this.attrFollow(die, A.constValue);
    if (cv) {
      const v = cv.attr.value;
      if (v.kind === 'constant') return { kind: 'const', value: v.value };
      if (v.kind === 'block' || v.kind === 'exprloc' || v.kind === 'data16') return { kind: 'const', value: v.bytes };
    }
    return { kind: 'none' };
  }

  /**
   * The location expression of a variable at `pc`: for a location list the entry
   * covering pc (or the default entry); an empty list means optimized out there.
   */
  locationAt(v: Variable | Die, pc: bigint): Op[] | undefined {
    const loc = 'location' in v ? v.location : this.variableLocation(v);
    const unit = 'location' in v ? v.die.unit : v.unit;
    if (loc.kind === 'expr') return loc.ops;
    if (loc.kind !== 'list') return undefined;
    const e = loc.entries.find((x) => !x.isDefault && pc >= x.begin && pc < x.end) ?? loc.entries.find((x) => x.isDefault);
    return e ? this.decode(e.expr, unit) : [];
  }

  /** DW_AT_frame_base of the subprogram containing `pc` (decoded), if any. */
  frameBaseAt(pc: bigint): Op[] | undefined {
    const s = this.scopesAt(pc).find((x) => x.kind === 'subprogram');
    if (!s) return undefined;
    const fb = this.attr(s.die, A.frameBase);
    if (!fb) return undefined;
    if (fb.value.kind === 'exprloc' || fb.value.kind === 'block') return this.decode(fb.value.bytes, s.die.unit);
    const e = readLocList(this.sections, s.die.unit, fb.value).find((x) => pc >= x.begin && pc < x.end);
    return e ? this.decode(e.expr, s.die.unit) : undefined;
  }

  // ---- files ----

  lineProgram(u: Unit): LineProgram | undefined {
    if (this.lineCache.has(u)) return this.lineCache.get(u);
    let prog: LineProgram | undefined;
    const off = this.attr(u.root, A.stmtList);
    if (off && this.sections.line) {
      const at = off.value.kind === 'sec_offset' ? off.value.offset : off.value.kind === 'constant' ? Number(off.value.value) : -1;
      const compDir = this.string(u.root, A.compDir);
      prog = parseDebugLine(this.sections.line, { lineStr: this.sections.lineStr, str: this.sections.str, compDir }).find((p) => p.offset === at);
    }
    this.lineCache.set(u, prog);
    return prog;
  }

  /** A DW_AT_decl_file / DW_AT_call_file number as a path, in the unit's line table numbering. */
  fileName(u: Unit, index: number | undefined): string | undefined {
    if (index === undefined) return undefined;
    return this.lineProgram(u)?.files[index]?.path;
  }

  // ---- call frame information ----

  /** The parsed .debug_frame and .eh_frame (each undefined when absent). */
  callFrameInfo(): { debugFrame?: CallFrameInfo; ehFrame?: CallFrameInfo } {
    if (!this.cfi) {
      const s = this.sections;
      this.cfi = {
        debugFrame: s.frame ? new CallFrameInfo(s.frame, { kind: 'debug_frame' }) : undefined,
        ehFrame: s.ehFrame ? new CallFrameInfo(s.ehFrame, { kind: 'eh_frame', sectionAddress: s.ehFrameAddr ?? 0n }) : undefined,
      };
    }
    return this.cfi;
  }

  /** CFA rule and register rules at `pc`, from .debug_frame if it covers pc, else .eh_frame. */
  cfaRulesAt(pc: bigint): CfiRow | undefined {
    const { debugFrame, ehFrame } = this.callFrameInfo();
    return debugFrame?.cfaRulesAt(pc) ?? ehFrame?.cfaRulesAt(pc);
  }

  // ---- model ----

  variable(die: Die): Variable {
    const typeAttr = this.attrFollow(die, A.type);
    const declFile = this.attrFollow(die, A.declFile);
    const declLine = this.attrFollow(die, A.declLine);
    return {
      die,
      name: this.name(die),
      isParameter: die.tag === T.param,
      typeDie: typeAttr ? this.ref(typeAttr.die, A.type) : undefined,
      location: this.variableLocation(die),
      declFile: declFile ? this.fileName(die.unit, this.udata(declFile.die, A.declFile)) : undefined,
      declLine: declLine ? this.udata(declLine.die, A.declLine) : undefined,
      external: !!this.attrFollow(die, A.external),
    };
  }

  private scope(die: Die, kind: Scope['kind']): Scope {
    const s: Scope = { kind, die, ranges: this.pcRanges(die), parameters: [], variables: [] };
    if (kind !== 'block') s.name = this.name(die);
    if (kind === 'inlined') {
      s.callFile = this.fileName(die.unit, this.udata(die, A.callFile));
      s.callLine = this.udata(die, A.callLine);
      s.callColumn = this.udata(die, A.callColumn);
    }
    for (const c of die.children) {
      if (c.tag === T.param) s.parameters.push(this.variable(c));
      else if (c.tag === T.variable) s.variables.push(this.variable(c));
    }
    // A concrete instance may omit parameters and variables of its abstract
    // instance (DWARF 5 §3.3.8.2); those are reported too, with no location.
    const origin = kind === 'block' ? undefined : this.ref(die, A.origin);
    if (origin) {
      const concrete = new Set<number>();
      const collect = (d: Die): void => {
        for (const c of d.children) {
          const o = this.attr(c, A.origin);
          if (o && o.value.kind === 'ref') concrete.add(o.value.offset);
          collect(c);
        }
      };
      collect(die);
      for (const c of origin.children) {
        if (concrete.has(c.offset) || (c.tag !== T.param && c.tag !== T.variable)) continue;
        const v = { ...this.variable(c), location: { kind: 'none' as const } };
        (c.tag === T.param ? s.parameters : s.variables).push(v);
      }
    }
    return s;
  }

  /**
   * The scopes containing `pc`, innermost first: lexical blocks, inlined
   * subroutines, and last the concrete subprogram. Blocks without PC attributes
   * are looked through (their variables belong to the enclosing scope's range).
   */
  scopesAt(pc: bigint): Scope[] {
    const unit = this.unitAt(pc);
    if (!unit) return [];
    const chain: Scope[] = [];
    const visit = (parent: Die): boolean => {
      for (const c of parent.children) {
        if (c.tag === T.subprogram || c.tag === T.inlined || c.tag === T.block) {
          const hasPc = this.attr(c, A.lowPc) !== undefined || this.attr(c, A.ranges) !== undefined;
          if (hasPc ? this.contains(c, pc) : c.tag === T.block && chain.length > 0 && this.blockHasNoPcButHolds(c, pc)) {
            chain.push(this.scope(c, c.tag === T.subprogram ? 'subprogram' : c.tag === T.inlined ? 'inlined' : 'block'));
            visit(c);
            return true;
          }
        } else if (c.tag === T.namespace) {
          if (visit(c)) return true;
        }
      }
      return false;
    };
    visit(unit.root);
    return chain.reverse();
  }

  /** A lexical block with no PC attributes holds pc when one of its nested scopes does, or it has none at all. */
  private blockHasNoPcButHolds(block: Die, pc: bigint): boolean {
    const nested = block.children.filter((c) => c.tag === T.block || c.tag === T.inlined);
    if (nested.length === 0) return true;
    return nested.some((c) => (this.attr(c, A.lowPc) || this.attr(c, A.ranges) ? this.contains(c, pc) : this.blockHasNoPcButHolds(c, pc)));
  }

  /** Variables declared at file scope of a unit (DW_TAG_variable children of the unit and its namespaces). */
  globalsOfCu(u: Unit): Variable[] {
    const out: Variable[] = [];
    const walk = (d: Die): void => {
      for (const c of d.children) {
        if (c.tag === T.variable) {
          // A declaration completed by a later DIE with DW_AT_specification is reported once, as the definition.
          if (this.flag(c, A.declaration) && this.definedElsewhere(u, c)) continue;
          out.push(this.variable(c));
        } else if (c.tag === T.namespace) walk(c);
      }
    };
    walk(u.root);
    return out;
  }

  private definedElsewhere(u: Unit, decl: Die): boolean {
    return u.root.children.some((d) => d !== decl && this.ref(d, A.spec) === decl);
  }

  /** The type tree of a DIE's DW_AT_type (or of a type DIE itself). */
  typeOf(die: Die): TypeNode {
    const isType = !(die.tag === T.variable || die.tag === T.param || die.tag === T.subprogram || die.tag === T.inlined || die.tag === TAG('DW_TAG_member'));
    if (isType) return buildType(this, die, this.typeCache);
    const t = this.attrFollow(die, A.type);
    return buildType(this, t ? this.ref(t.die, A.type) : undefined, this.typeCache);
  }

  /** Concrete code for functions called `name`: out-of-line subprograms and inlined copies. */
  functionByName(name: string): FunctionInfo[] {
    if (!this.functionIndex) {
      // Built once: every subprogram or inlined copy with code, under its name and its linkage name.
      const index = new Map<string, Die[]>();
      const add = (n: string | undefined, d: Die): void => {
        if (n === undefined) return;
        const l = index.get(n);
        if (l) { if (!l.includes(d)) l.push(d); } else index.set(n, [d]);
      };
      for (const d of this.allDies()) {
        if (d.tag !== T.subprogram && d.tag !== T.inlined) continue;
        if (this.attr(d, A.lowPc) === undefined && this.attr(d, A.ranges) === undefined) continue;
        add(this.name(d), d);
        const linkage = this.attrFollow(d, A.linkageName);
        if (linkage) add(this.string(linkage.die, A.linkageName), d);
      }
      this.functionIndex = index;
    }
    return (this.functionIndex.get(name) ?? []).flatMap((d) => {
      const ranges = this.pcRanges(d);
      return ranges.length === 0 ? [] : [{ die: d, name, ranges, entry: this.address(d, A.entryPc) ?? ranges[0].begin, inlined: d.tag === T.inlined }];
    });
  }
}

/** Collects the DWARF sections of an ELF file. */
export function dwarfSectionsOfElf(bytes: Uint8Array, image: ElfImage): DwarfSections {
  const get = (n: string): Uint8Array | undefined => elfSectionData(bytes, image, n);
  const eh = image.sections.find((s) => s.name === '.eh_frame');
  return {
    info: get('.debug_info'), abbrev: get('.debug_abbrev'), str: get('.debug_str'), lineStr: get('.debug_line_str'),
    strOffsets: get('.debug_str_offsets'), addr: get('.debug_addr'), rnglists: get('.debug_rnglists'),
    loclists: get('.debug_loclists'), ranges: get('.debug_ranges'), loc: get('.debug_loc'), line: get('.debug_line'),
    frame: get('.debug_frame'), ehFrame: get('.eh_frame'), ehFrameAddr: eh?.addr,
  };
}
