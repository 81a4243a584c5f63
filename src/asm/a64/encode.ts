// A64 encoder driven by the instruction table: GNU as syntax in, one 32-bit word out.
// Candidate records for a mnemonic are tried in table order; the first whose operands parse
// (and whose alias conditions hold where they choose an encoding, e.g. mov) wins. When none
// fits, the error of the candidate that got furthest into the operands is reported.
import type { EncodeContext, EncodeResult } from "./api";
import { condByName, type Fields, type OpErr, type ParseState } from "./operands";
import { BY_MNEMONIC, type A64Insn } from "./table";

interface Split { pieces: string[]; cols: number[] }

/** Splits operands at top-level commas (not inside [], {} or ()), trimming each piece. */
function splitOperands(s: string): Split | OpErr {
  const pieces: string[] = [];
  const cols: number[] = [];
  let depth = 0;
  let start = 0;
  const push = (end: number) => {
    const raw = s.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    pieces.push(raw.trim());
    cols.push(start + lead);
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") depth--;
    else if (c === "," && depth === 0) { push(i); start = i + 1; }
  }
  if (s.trim() !== "") push(s.length);
  for (let i = 0; i < pieces.length; i++) if (pieces[i] === "") return { msg: "empty operand", col: cols[i] };
  return { pieces, cols };
}

let allMnemonics: string[] | undefined;
function suggest(m: string): string {
  allMnemonics ??= [...BY_MNEMONIC.keys()].map((k) => k.replace(".<cond>", ".eq"));
  let best = "";
  let bestD = 3;
  for (const c of allMnemonics) {
    if (Math.abs(c.length - m.length) >= bestD) continue;
    const dd = editDistance(m, c);
    if (dd < bestD) { bestD = dd; best = c; }
  }
  return best ? ` (did you mean '${best}'?)` : "";
}

function editDistance(a: string, b: string): number {
  const prev = new Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = t;
    }
  }
  return prev[b.length];
}

function assemble(r: A64Insn, f: Fields): number | string {
  let w = r.encodeValue;
  for (const fd of r.freeFields) {
    const v = f[fd.name] ?? 0;
    if (v < 0 || v >= 1 << fd.width) return `internal: field ${fd.name} out of range (${v})`;
    w |= v << fd.lo;
  }
  return w >>> 0;
}

/** Cheap positional pre-check of the operands up to the first multi-piece operand. */
function quickOk(r: A64Insn, lower: string[]): boolean {
  const n = Math.min(r.ops.length, lower.length);
  for (let k = 0; k < n; k++) {
    const op = r.ops[k];
    if (op.quick && !op.quick(lower[k])) return false;
    if (op.multi) return true;
  }
  return true;
}

/** How many operand pieces look like the record's operand kinds (for choosing diagnostics). */
function quickScore(r: A64Insn, lower: string[]): number {
  const n = Math.min(r.ops.length, lower.length);
  let score = 0;
  for (let k = 0; k < n; k++) {
    const op = r.ops[k];
    if (!op.quick || op.quick(lower[k])) score++;
    if (op.multi) break;
  }
  return r.ops.some((o) => o.multi) ? score : score - Math.abs(r.ops.length - lower.length);
}

function describe(r: A64Insn): string {
  return r.ops.map((k) => k.syntax).join(", ");
}

export function encode(mnemonic: string, operands: string, ctx: EncodeContext): EncodeResult {
  let mn = mnemonic.trim().toLowerCase();
  let ops = operands;
  const cmt = ops.indexOf("//");
  if (cmt >= 0) ops = ops.slice(0, cmt);
  let cond: number | undefined;
  let cands = BY_MNEMONIC.get(mn);
  if (!cands) {
    const dot = /^(b|bc)\.([a-z]+)$/.exec(mn);
    if (dot) {
      cond = condByName(dot[2]);
      if (cond === undefined) return { ok: false, message: `unknown condition '${dot[2]}' in '${mnemonic}' (eq, ne, cs/hs, cc/lo, mi, pl, vs, vc, hi, ls, ge, lt, gt, le, al, nv)` };
      cands = BY_MNEMONIC.get(`${dot[1]}.<cond>`);
    }
  }
  if (!cands || cands.length === 0) return { ok: false, message: `unknown instruction '${mnemonic}'${suggest(mn)}` };
  const sp = splitOperands(ops);
  if ("msg" in sp) return { ok: false, message: sp.msg, column: sp.col };
  const st: ParseState = { pieces: sp.pieces, lower: sp.pieces.map((p) => p.toLowerCase()), cols: sp.cols, i: 0, ctx };
  let best: { msg: string; col?: number; progress: number } | undefined;
  let score = 0;
  const fail = (msg: string, progress: number, col?: number) => {
    progress += score * 1024;
    if (!best || progress > best.progress) best = { msg, col, progress };
  };
  // ctx.evaluate may throw for a name that another candidate reads as a keyword (isb sy):
  // such errors propagate only if no candidate encodes.
  let thrown: { e: unknown } | undefined;
  // fast pass: only candidates whose first operand can match
  const first = st.lower.length ? st.lower[0] : undefined;
  for (const r of cands) {
    if (first === undefined ? r.ops.length && !r.ops[0].fillDefault : !quickOk(r, st.lower)) continue;
    try {
      const w = tryRecord(r);
      if (w !== undefined) return { ok: true, word: w };
    } catch (e) {
      thrown ??= { e };
    }
  }
  // slow pass for the diagnostics
  best = undefined;
  for (const r of cands) {
    try {
      const w = tryRecord(r);
      if (w !== undefined) return { ok: true, word: w };
    } catch (e) {
      thrown ??= { e };
    }
  }
  if (thrown) throw thrown.e;
  const b = best!;
  return b.col === undefined ? { ok: false, message: b.msg } : { ok: false, message: b.msg, column: b.col };

  function tryRecord(r: A64Insn): number | undefined {
    score = quickScore(r, st.lower);
    const f: Fields = { ...r.fixed };
    if (cond !== undefined) f.cond = cond;
    st.i = 0;
    let e: OpErr | undefined;
    let plausible = false;
    let k = 0;
    for (; k < r.ops.length; k++) {
      const kind = r.ops[k];
      if (st.i >= st.pieces.length) {
        if (kind.fillDefault) { kind.fillDefault(f); continue; }
        e = { msg: "", col: ops.trimEnd().length };
        break;
      }
      const at = st.i;
      e = kind.parse(st, f);
      // an error from an operand that at least looks like this kind is the more useful one
      if (e) { plausible = !e.weak && (!kind.quick || kind.quick(st.lower[at])); break; }
    }
    if (e) {
      if (e.msg === "") {
        fail(`missing operand: expected '${describe(r)}'`, st.i * 4 + 1, e.col);
      } else fail(e.msg, st.i * 4 + (plausible ? 3 : 1), e.col);
      return undefined;
    }
    if (st.i < st.pieces.length) {
      fail(r.ops.length === 0 ? `'${mn}' takes no operands` : `too many operands: expected '${describe(r)}'`, st.i * 4, st.cols[st.i]);
      return undefined;
    }
    const s = r.spec;
    if (s.ties) for (const [a, b] of s.ties) f[a] = f[b];
    if (s.check) {
      const m = s.check(f);
      if (m) { fail(m, st.i * 4, 0); return undefined; }
    }
    if (s.encodeWhen && s.when && !s.when(f)) { fail(`operands do not fit '${mn} ${describe(r)}'`, 0); return undefined; }
    const w = assemble(r, f);
    if (typeof w === "string") { fail(w, 0); return undefined; }
    return w;
  }
}
