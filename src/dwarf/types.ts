// C type trees from DWARF type DIEs (DWARF 5 §5 "Type Entries"): base,
// pointer, array with subranges, structure/union/class with members and bit
// fields, enumeration, typedef, const/volatile/restrict/atomic, subroutine.
// Trees are cached per DIE, so self-referential types (a struct holding a
// pointer to itself) share one node.

import type { Die } from './info';
import type { DwarfInfo } from './dwarf';
import { evaluateLocation } from './expr';
import { AT, DW_ATE, TAG, tagName } from './tables';

export interface Member {
  name?: string;
  type: TypeNode;
  /** Byte offset of the member's storage in the containing object. */
  byteOffset: number;
  /** For bit fields: width in bits. */
  bitSize?: number;
  /**
   * For bit fields: offset in bits of the field's least significant bit from the
   * start of the containing object (DW_AT_data_bit_offset's meaning, DWARF 5 §5.7.6).
   */
  bitOffset?: number;
}

export interface Enumerator {
  name: string;
  value: bigint;
}

interface TypeBase {
  /** .debug_info offset of the type DIE (undefined for void). */
  die?: number;
  /** Size in bytes when known. */
  size?: number;
}

export type TypeNode = TypeBase &
  (
    | { kind: 'void' }
    | { kind: 'base'; name: string; encoding: string }
    | { kind: 'pointer' | 'reference' | 'rvalue-reference'; target: TypeNode }
    | { kind: 'array'; element: TypeNode; dims: { lower: bigint; count?: bigint }[] }
    | { kind: 'struct' | 'union' | 'class'; name?: string; members: Member[]; declaration: boolean }
    | { kind: 'enum'; name?: string; base?: TypeNode; enumerators: Enumerator[] }
    | { kind: 'typedef'; name: string; target: TypeNode }
    | { kind: 'const' | 'volatile' | 'restrict' | 'atomic'; target: TypeNode }
    | { kind: 'function'; returns: TypeNode; params: TypeNode[]; variadic: boolean }
    | { kind: 'unknown'; tag: string }
  );

export type StructType = Extract<TypeNode, { kind: 'struct' | 'union' | 'class' }>;
export type EnumType = Extract<TypeNode, { kind: 'enum' }>;
export type ArrayType = Extract<TypeNode, { kind: 'array' }>;

const T = {
  base: TAG('DW_TAG_base_type'), pointer: TAG('DW_TAG_pointer_type'), reference: TAG('DW_TAG_reference_type'),
  rvalue: TAG('DW_TAG_rvalue_reference_type'), array: TAG('DW_TAG_array_type'), subrange: TAG('DW_TAG_subrange_type'),
  struct: TAG('DW_TAG_structure_type'), union: TAG('DW_TAG_union_type'), class: TAG('DW_TAG_class_type'),
  enum: TAG('DW_TAG_enumeration_type'), enumerator: TAG('DW_TAG_enumerator'), typedef: TAG('DW_TAG_typedef'),
  const: TAG('DW_TAG_const_type'), volatile: TAG('DW_TAG_volatile_type'), restrict: TAG('DW_TAG_restrict_type'),
  atomic: TAG('DW_TAG_atomic_type'), subroutine: TAG('DW_TAG_subroutine_type'), member: TAG('DW_TAG_member'),
  param: TAG('DW_TAG_formal_parameter'), unspecParams: TAG('DW_TAG_unspecified_parameters'),
  unspecType: TAG('DW_TAG_unspecified_type'),
};
const A = {
  type: AT('DW_AT_type'), byteSize: AT('DW_AT_byte_size'), encoding: AT('DW_AT_encoding'), upper: AT('DW_AT_upper_bound'),
  lower: AT('DW_AT_lower_bound'), count: AT('DW_AT_count'), dml: AT('DW_AT_data_member_location'),
  bitSize: AT('DW_AT_bit_size'), bitOffset: AT('DW_AT_bit_offset'), dataBitOffset: AT('DW_AT_data_bit_offset'),
  constValue: AT('DW_AT_const_value'), declaration: AT('DW_AT_declaration'),
};

const VOID: TypeNode = { kind: 'void' };

/** Builds (or returns the cached) type tree of the type DIE `die`; undefined die means void. */
export function buildType(info: DwarfInfo, die: Die | undefined, cache: Map<number, TypeNode>): TypeNode {
  if (!die) return VOID;
  const hit = cache.get(die.offset);
  if (hit) return hit;
  const size = info.udata(die, A.byteSize);
  const target = (): TypeNode => buildType(info, info.ref(die, A.type), cache);
  const name = info.name(die);
  let node: TypeNode;
  // Nodes are registered in the cache before their parts are built, so cycles close.
  const reg = <N extends TypeNode>(n: N): N => {
    cache.set(die.offset, n);
    return n;
  };
  switch (die.tag) {
    case T.base:
      node = reg({ kind: 'base', die: die.offset, size, name: name ?? '?', encoding: DW_ATE.name.get(info.udata(die, A.encoding) ?? 0) ?? 'unknown' });
      break;
    case T.pointer: case T.reference: case T.rvalue: {
      const n = reg({ kind: die.tag === T.pointer ? 'pointer' : die.tag === T.reference ? 'reference' : 'rvalue-reference', die: die.offset, size: size ?? die.unit.addressSize, target: VOID } as TypeNode & { target: TypeNode });
      n.target = target();
      node = n;
      break;
    }
    case T.typedef: case T.const: case T.volatile: case T.restrict: case T.atomic: {
      const kind = die.tag === T.typedef ? 'typedef' : die.tag === T.const ? 'const' : die.tag === T.volatile ? 'volatile' : die.tag === T.restrict ? 'restrict' : 'atomic';
      const n = reg({ kind, die: die.offset, name: name ?? '', target: VOID } as TypeNode & { target: TypeNode });
      n.target = target();
      n.size = n.target.size;
      node = n;
      break;
    }
    case T.array: {
      const n = reg({ kind: 'array', die: die.offset, element: VOID, dims: [] as { lower: bigint; count?: bigint }[], size } as TypeNode & { kind: 'array' });
      n.element = target();
      for (const c of die.children) {
        if (c.tag !== T.subrange) continue;
        // C arrays default to a lower bound of 0 (§5.13, Table 7.17 default lower bounds).
        const lower = info.sdata(c, A.lower) ?? 0n;
        const count = info.sdata(c, A.count);
        const upper = info.sdata(c, A.upper);
        n.dims.push({ lower, count: count ?? (upper !== undefined ? upper - lower + 1n : undefined) });
      }
      if (n.size === undefined && n.element.size !== undefined && n.dims.every((d) => d.count !== undefined)) {
        n.size = n.dims.reduce((s, d) => s * Number(d.count), n.element.size);
      }
      node = n;
      break;
    }
    case T.struct: case T.union: case T.class: {
      const n = reg({ kind: die.tag === T.struct ? 'struct' : die.tag === T.union ? 'union' : 'class', die: die.offset, name, size, members: [] as Member[], declaration: info.flag(die, A.declaration) } as TypeNode & { kind: 'struct' });
      for (const c of die.children) if (c.tag === T.member) n.members.push(member(info, c, cache));
      node = n;
      break;
    }
    case T.enum: {
      const n = reg({ kind: 'enum', die: die.offset, name, size, enumerators: [] as Enumerator[] } as TypeNode & { kind: 'enum' });
      const baseDie = info.ref(die, A.type);
      if (baseDie) n.base = buildType(info, baseDie, cache);
      for (const c of die.children) {
        if (c.tag === T.enumerator) n.enumerators.push({ name: info.name(c) ?? '?', value: info.sdata(c, A.constValue) ?? 0n });
      }
      node = n;
      break;
    }
    case T.subroutine: {
      const n = reg({ kind: 'function', die: die.offset, returns: VOID, params: [] as TypeNode[], variadic: false } as TypeNode & { kind: 'function' });
      n.returns = target();
      for (const c of die.children) {
        if (c.tag === T.param) n.params.push(buildType(info, info.ref(c, A.type), cache));
        else if (c.tag === T.unspecParams) n.variadic = true;
      }
      node = n;
      break;
    }
    case T.unspecType:
      node = reg({ kind: 'void', die: die.offset });
      break;
    default:
      node = reg({ kind: 'unknown', die: die.offset, tag: tagName(die.tag), size });
  }
  return node;
}

function member(info: DwarfInfo, c: Die, cache: Map<number, TypeNode>): Member {
  const type = buildType(info, info.ref(c, A.type), cache);
  const m: Member = { name: info.name(c), type, byteOffset: 0 };
  const loc = info.attr(c, A.dml);
  if (loc) {
    if (loc.value.kind === 'constant') m.byteOffset = Number(loc.value.value);
    else if (loc.value.kind === 'exprloc' || loc.value.kind === 'block') {
      // DWARF 2 style: an expression run with the object's address (0) pushed (§5.7.6).
      const r = evaluateLocation(info.decode(loc.value.bytes, c.unit), { readRegister: () => undefined, readMemory: () => undefined }, { initialStack: [0n] });
      if (r.kind === 'memory') m.byteOffset = Number(r.address);
    }
  }
  const bitSize = info.udata(c, A.bitSize);
  if (bitSize !== undefined) {
    m.bitSize = bitSize;
    const dbo = info.udata(c, A.dataBitOffset);
    if (dbo !== undefined) {
      m.bitOffset = dbo;
      m.byteOffset = Math.floor(dbo / 8);
    } else {
      // DWARF 2–4 DW_AT_bit_offset counts from the most significant bit of the
      // storage unit (DW_AT_byte_size, else the type's size) (DWARF 4 §5.6.6);
      // on a little-endian target the LSB offset is storage*8 - bit_offset - bit_size.
      const bo = info.udata(c, A.bitOffset) ?? 0;
      const storage = info.udata(c, A.byteSize) ?? type.size ?? 0;
      m.bitOffset = m.byteOffset * 8 + storage * 8 - bo - bitSize;
    }
  }
  return m;
}

/** The C spelling of a type: `const pt_t *`, `char [4][3]`, `struct bits`. */
export function typeName(t: TypeNode): string {
  switch (t.kind) {
    case 'void': return 'void';
    case 'base': return t.name;
    case 'typedef': return t.name;
    case 'struct': case 'union': case 'class': case 'enum': return `${t.kind} ${t.name ?? '<anonymous>'}`;
    case 'pointer': {
      const inner = t.target;
      if (inner.kind === 'function') return `${typeName(inner.returns)} (*)(${inner.params.map(typeName).join(', ')}${inner.variadic ? ', ...' : ''})`;
      return `${typeName(inner)} *`;
    }
    case 'reference': return `${typeName(t.target)} &`;
    case 'rvalue-reference': return `${typeName(t.target)} &&`;
    case 'const': case 'volatile': case 'restrict': case 'atomic': {
      const q = t.kind === 'atomic' ? '_Atomic' : t.kind;
      // Qualifiers of a pointer follow the star (`int * const`).
      return t.target.kind === 'pointer' ? `${typeName(t.target)} ${q}` : `${q} ${typeName(t.target)}`;
    }
    case 'array': return `${typeName(t.element)} ${t.dims.map((d) => `[${d.count ?? ''}]`).join('')}`;
    case 'function': return `${typeName(t.returns)} (${t.params.map(typeName).join(', ')}${t.variadic ? ', ...' : ''})`;
    case 'unknown': return `<${t.tag}>`;
  }
}
