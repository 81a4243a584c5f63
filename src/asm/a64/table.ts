// Compiles the instruction records of insns.ts into the lookup structures the disassembler
// and encoder use: masks/values, named field positions, operand kinds, a decode dispatch on
// bits [31:21] and a mnemonic index.
import { compilePattern, popcount, type FieldDef } from "./bits";
import { INSN_SPECS, type InsnSpec } from "./insns";
import { operandKind, type Fields, type OperandKind } from "./operands";

export interface A64Insn {
  readonly spec: InsnSpec;
  readonly index: number;
  readonly mask: number;
  readonly value: number;
  /** Value to encode: `value` plus should-be-one bits. */
  readonly encodeValue: number;
  readonly fields: readonly FieldDef[];
  /** Fields that the operands must fill (not fixed by the pattern). */
  readonly freeFields: readonly FieldDef[];
  readonly fixed: Readonly<Fields>;
  readonly ops: readonly OperandKind[];
}

function compile(spec: InsnSpec, index: number): A64Insn {
  const p = compilePattern(spec.pattern);
  const ops = spec.operands.trim() === "" ? [] : spec.operands.split(/,\s*(?![^()]*\))/).map((t) => operandKind(t.trim()));
  const freeFields = p.fields.filter((fd) => !(fd.name in p.fixed));
  return { spec, index, mask: p.mask, value: p.value, encodeValue: (p.value | p.sbo) >>> 0, fields: p.fields, freeFields, fixed: p.fixed, ops };
}

export const A64_TABLE: readonly A64Insn[] = INSN_SPECS.map(compile);

/** Decode candidates per bits [31:21], in priority order (aliases, then most specific). */
export const DECODE_BUCKETS: readonly (readonly A64Insn[])[] = (() => {
  const buckets: A64Insn[][] = Array.from({ length: 2048 }, () => []);
  for (const r of A64_TABLE) {
    if (r.spec.encodeOnly || r.spec.unimplemented) continue;
    const km = (r.mask >>> 21) & 0x7ff;
    const kv = (r.value >>> 21) & 0x7ff;
    const free = ~km & 0x7ff;
    let sub = free;
    for (;;) {
      buckets[kv | sub].push(r);
      if (sub === 0) break;
      sub = (sub - 1) & free;
    }
  }
  const rank = (r: A64Insn) => (r.spec.alias ? 64 : 0) + popcount(r.mask);
  for (const b of buckets) b.sort((x, y) => rank(y) - rank(x) || x.index - y.index);
  return buckets;
})();

/** Unallocated regions for which objdump prints a note other than "undefined". */
export const UNDEFINED_NOTES: ReadonlyArray<{ mask: number; value: number; note: string }> = A64_TABLE
  .filter((r) => r.spec.undefinedNote)
  .map((r) => ({ mask: r.mask, value: r.value, note: r.spec.undefinedNote! }));

/** Records by mnemonic (lower case), in table order; `b.<cond>` stays under that key. */
export const BY_MNEMONIC: ReadonlyMap<string, readonly A64Insn[]> = (() => {
  const m = new Map<string, A64Insn[]>();
  for (const r of A64_TABLE) {
    if (r.spec.unimplemented) continue;
    let l = m.get(r.spec.mnemonic);
    if (!l) m.set(r.spec.mnemonic, (l = []));
    l.push(r);
  }
  return m;
})();

export function extractFields(r: A64Insn, word: number): Fields {
  const f: Fields = {};
  for (const fd of r.fields) f[fd.name] = (word >>> fd.lo) & ((1 << fd.width) - 1);
  return f;
}
