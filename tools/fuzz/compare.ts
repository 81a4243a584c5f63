// Compares the output records of the simulator and QEMU case by case and formats reproducers.
import { disassemble } from '../../src/asm/a64';
import { registerFields, type GenCase } from './cases';
import { IN, OUT, SLOT_BASE, SLOT_SIZE } from './layout';

/** One output field: name and its words in the record. */
const FIELDS: ReadonlyArray<{ name: string; at: number; n: number }> = [
  ...Array.from({ length: 31 }, (_, i) => ({ name: `x${i}`, at: OUT.X + i, n: 1 })),
  { name: 'sp', at: OUT.SP, n: 1 }, { name: 'nzcv', at: OUT.NZCV, n: 1 }, { name: 'fpcr', at: OUT.FPCR, n: 1 },
  { name: 'fpsr', at: OUT.FPSR, n: 1 }, { name: 'kind', at: OUT.KIND, n: 1 }, { name: 'esr', at: OUT.ESR, n: 1 },
  { name: 'elr', at: OUT.ELR, n: 1 }, { name: 'far', at: OUT.FAR, n: 1 }, { name: 'memsum', at: OUT.MEMSUM, n: 1 },
  ...Array.from({ length: 32 }, (_, i) => ({ name: `v${i}`, at: OUT.V + 2 * i, n: 2 })),
];

export interface FieldDiff { name: string; ours: bigint; qemu: bigint }

/** A case's output record as a name → value map (V registers as 128-bit values). */
export type Record_ = Map<string, bigint>;

export function record(out: BigUint64Array, i: number): Record_ {
  const base = i * OUT.WORDS;
  const m = new Map<string, bigint>();
  for (const f of FIELDS) m.set(f.name, f.n === 1 ? out[base + f.at] : (out[base + f.at + 1] << 64n) | out[base + f.at]);
  return m;
}

export function diffRecords(ours: Record_, qemu: Record_): FieldDiff[] {
  const d: FieldDiff[] = [];
  for (const [k, v] of ours) if (qemu.get(k) !== v) d.push({ name: k, ours: v, qemu: qemu.get(k)! });
  return d;
}

const h = (v: bigint) => '0x' + v.toString(16);

/** Describes the output KIND word. */
export function kindText(k: bigint): string {
  if (k === 1n) return 'completed';
  if (k === 2n) return 'branched to +8';
  if ((k & 0x10n) !== 0n) return `exception to EL${k & 3n}`;
  return `kind ${h(k)}`;
}

export interface Reproducer {
  index: number;
  word: number;
  text: string;
  cls: string;
  inputs: string;
  diffs: FieldDiff[];
  /** Checked by re-running the case alone: true if the same difference appears. */
  alone?: boolean;
}

/** A minimal reproducer: one instruction word, the inputs it reads, and the differing outputs. */
export function reproducer(c: GenCase, index: number, diffs: FieldDiff[]): Reproducer {
  const pc = BigInt(SLOT_BASE + index * SLOT_SIZE);
  const text = disassemble(c.word, { pc });
  const regs = registerFields(c.rec, c.word);
  const parts: string[] = [];
  const seen = new Set<number>();
  const cls = c.rec.spec.cls;
  const mem = /^(ldst|asisdls|memop|ldapstl|loadlit)/.test(cls);
  /** Which register file a field names: X (or SP), V, or either (FP <-> integer conversions). */
  const file = (field: string): 'x' | 'v' | 'xv' => {
    if (mem) return field === 'Rt' || field === 'Rt2' ? (cls.startsWith('asisdls') || ((c.word >>> 26) & 1) === 1 ? 'v' : 'x') : 'x';
    if (cls.startsWith('asimd') || cls.startsWith('asisd')) return 'v';
    return cls.startsWith('float') ? 'xv' : 'x';
  };
  for (const [field, r] of Object.entries(regs)) {
    const f = file(field);
    if (f.includes('x') && !seen.has(r)) {
      seen.add(r);
      parts.push(r === 31 ? `sp=${h(c.input[IN.SP])}` : `x${r}=${h(c.input[IN.X + r])}`);
    }
    if (f.includes('v') && !seen.has(100 + r)) {
      seen.add(100 + r);
      parts.push(`v${r}=${h((c.input[IN.V + 2 * r + 1] << 64n) | c.input[IN.V + 2 * r])}`);
    }
  }
  parts.push(`nzcv=${h(c.input[IN.NZCV] >> 28n)}`, `fpcr=${h(c.input[IN.FPCR])}`, `fpsr=${h(c.input[IN.FPSR])}`);
  return { index, word: c.word, text, cls: c.rec.spec.cls, inputs: parts.join(' '), diffs };
}

export function formatReproducer(r: Reproducer, ctx: string): string {
  const w = (r.word >>> 0).toString(16).padStart(8, '0');
  const alone = r.alone === undefined ? '' : r.alone ? ' (reproduces alone)' : ' (does NOT reproduce alone: depends on earlier cases)';
  const lines = [`${ctx} case ${r.index} @${h(BigInt(SLOT_BASE + r.index * SLOT_SIZE))}: .inst 0x${w}  // ${r.text}  [${r.cls}]${alone}`, `  in:  ${r.inputs}`];
  for (const d of r.diffs) {
    const extra = d.name === 'kind' ? ` (ours ${kindText(d.ours)}, qemu ${kindText(d.qemu)})` : '';
    lines.push(`  ${d.name.padEnd(6)} ours=${h(d.ours)} qemu=${h(d.qemu)}${extra}`);
  }
  return lines.join('\n');
}
