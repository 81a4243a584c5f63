// A64 disassembler driven by the instruction table; output matches
// `aarch64-linux-gnu-objdump -d` (binutils 2.40) without the address and raw-bytes columns.
import type { DisasmOptions } from "./api";
import { CONDITIONS, type DisState, type Fields } from "./operands";
import { DECODE_BUCKETS, UNDEFINED_NOTES, extractFields, type A64Insn } from "./table";

export interface Decoded {
  readonly insn: A64Insn;
  readonly fields: Fields;
  readonly text: string;
}

/** Finds the record objdump would print for `word` and formats it; undefined if unallocated. */
export function decode(word: number, opts?: DisasmOptions): Decoded | undefined {
  word >>>= 0;
  const bucket = DECODE_BUCKETS[word >>> 21];
  const d: DisState = { pc: opts?.pc ?? 0n, symbolize: opts?.symbolize, comment: "" };
  outer: for (const r of bucket) {
    if (((word & r.mask) >>> 0) !== r.value) continue;
    const f = extractFields(r, word);
    const s = r.spec;
    if (s.ties) for (const [a, b] of s.ties) if (f[a] !== f[b]) continue outer;
    if (s.when && !s.when(f)) continue;
    d.comment = "";
    let ops = "";
    for (const k of r.ops) {
      const t = k.print(f, d);
      if (t === null) continue outer;
      if (t === "") continue;
      ops += ops ? ", " + t : t;
    }
    let mn = s.mnemonic;
    let tail = "";
    if (mn.endsWith(".<cond>")) {
      const names = CONDITIONS[f.cond];
      const stem = mn.slice(0, -7);
      mn = `${stem}.${names[0]}`;
      for (let i = 1; i < names.length; i++) tail += `${i === 1 ? "  //" : ","} ${stem}.${names[i]}`;
    }
    let text = ops ? `${mn}\t${ops}` : mn;
    if (d.comment) text += `\t// ${d.comment}`;
    return { insn: r, fields: f, text: text + tail };
  }
  return undefined;
}

export function disassemble(word: number, opts?: DisasmOptions): string {
  const r = decode(word, opts);
  if (r) return r.text;
  let note = "undefined";
  for (const u of UNDEFINED_NOTES) if (((word & u.mask) >>> 0) === u.value) note = u.note;
  return `.inst\t0x${(word >>> 0).toString(16).padStart(8, "0")} ; ${note}`;
}
