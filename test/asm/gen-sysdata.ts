// Regenerates the derived system-instruction tables in src/asm/a64 from the reference
// toolchain (GNU binutils 2.40 for AArch64): which system-register names GNU as accepts and
// which encodings they have, which name objdump prints for each MRS/MSR encoding, and the
// names of SYS aliases (tlbi/dc/ic/at/...), hints, barriers and MSR (immediate) PSTATE fields.
//
//   npx tsx test/asm/gen-sysdata.ts
//
// Candidate names come from the identifiers in the reference's libopcodes plus a short
// hand-written list; every candidate is validated by assembling it, so the output holds only
// what GNU as 2.40 accepts and exactly what objdump 2.40 prints.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const AS = "aarch64-linux-gnu-as";
const OBJDUMP = "aarch64-linux-gnu-objdump";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "a64sys-"));
const outDir = path.join(__dirname, "../../src/asm/a64");

/** Assembles lines; returns words per line index (undefined where GNU as rejected the line). */
function assembleLines(lines: string[]): (number | undefined)[] {
  const src = path.join(tmp, "a.s");
  const obj = path.join(tmp, "a.o");
  let keep = lines.map((_, i) => i);
  for (let attempt = 0; attempt < 3; attempt++) {
    fs.writeFileSync(src, keep.map((i) => lines[i]).join("\n") + "\n");
    let stderr = "";
    try {
      execFileSync(AS, ["-march=armv9.3-a+crc+crypto+fp+simd+lse+lor+rdma+fp16+profile+ras+sve+rcpc+dotprod+fp16fml+sha2+sha3+sm4+aes+rng+ssbs+memtag+sve2+sve2-aes+sve2-sm4+sve2-sha3+sve2-bitperm+tme+i8mm+f32mm+f64mm+bf16+ls64+flagm+pauth+mops+hbc+cssc+sme+predres", src, "-o", obj], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (e) {
      stderr = String((e as { stderr?: Buffer }).stderr ?? "");
    }
    const bad = new Set<number>();
    for (const m of stderr.matchAll(/:(\d+): Error:/g)) bad.add(Number(m[1]) - 1);
    if (bad.size === 0) break;
    keep = keep.filter((_, k) => !bad.has(k));
  }
  const words = disassembleObj(obj).map((l) => l.word);
  const res: (number | undefined)[] = new Array(lines.length).fill(undefined);
  keep.forEach((i, k) => (res[i] = words[k]));
  return res;
}

interface DisLine { word: number; text: string }
function disassembleObj(obj: string): DisLine[] {
  const out = execFileSync(OBJDUMP, ["-d", obj], { maxBuffer: 1 << 28 }).toString();
  const res: DisLine[] = [];
  for (const line of out.split("\n")) {
    const m = /^\s*[0-9a-f]+:\t([0-9a-f]{8}) \t(.*)$/.exec(line);
    if (m) res.push({ word: parseInt(m[1], 16), text: m[2] });
  }
  return res;
}
function disassembleWords(words: number[]): string[] {
  const src = path.join(tmp, "w.s");
  const obj = path.join(tmp, "w.o");
  fs.writeFileSync(src, "x:\n" + words.map((w) => `.inst 0x${w.toString(16)}\n`).join(""));
  execFileSync(AS, [src, "-o", obj]);
  const r = disassembleObj(obj);
  if (r.length !== words.length) throw new Error("objdump line count mismatch");
  return r.map((l) => l.text);
}

// ---- system registers ----------------------------------------------------------------------
const key = (op0: number, op1: number, crn: number, crm: number, op2: number) =>
  (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
const sysWord = (base: number, k: number) => (base | ((k & 0x7fff) << 5) | (((k >> 14) & 1) << 19)) >>> 0;

const mrsWords: number[] = [];
const msrWords: number[] = [];
for (let k = 0x8000; k < 0x10000; k++) {
  // op0 = 2 or 3: bit 19 = o0 = op0 - 2
  mrsWords.push((0xd5300000 | ((k & 0x3fff) << 5) | (((k >> 14) & 1) << 19)) >>> 0);
  msrWords.push((0xd5100000 | ((k & 0x3fff) << 5) | (((k >> 14) & 1) << 19)) >>> 0);
}
void sysWord;
const mrsText = disassembleWords(mrsWords);
const msrText = disassembleWords(msrWords);
const printed = new Map<number, { r?: string; w?: string }>();
for (let i = 0; i < mrsWords.length; i++) {
  const k = 0x8000 + i;
  const r = /^mrs\tx0, (.*)$/.exec(mrsText[i]);
  const w = /^msr\t(.*), x0$/.exec(msrText[i]);
  const e: { r?: string; w?: string } = {};
  if (r && !/^s[23]_/.test(r[1])) e.r = r[1];
  if (w && !/^s[23]_/.test(w[1])) e.w = w[1];
  if (e.r || e.w) printed.set(k & 0xffff, e);
}

const libs = fs.readdirSync("/lib/x86_64-linux-gnu").filter((f) => /^libopcodes-.*arm64\.so$/.test(f));
const strs = new Set<string>();
for (const l of libs) {
  const s = execFileSync("strings", ["-n", "3", path.join("/lib/x86_64-linux-gnu", l)]).toString();
  for (const x of s.split("\n")) if (/^[a-z][a-z0-9_]*$/.test(x)) strs.add(x);
}
for (const e of printed.values()) { if (e.r) strs.add(e.r); if (e.w) strs.add(e.w); }
for (const n of ["spsr_el0", "sp_el0", "sp_el1", "sp_el2", "elr_el1", "elr_el2", "spsr_el1", "spsr_el2"]) strs.add(n);
const cands = [...strs].sort();
const lines: string[] = [];
for (const c of cands) { lines.push(`mrs x0, ${c}`); lines.push(`msr ${c}, x0`); }
const words = assembleLines(lines);
const names = new Map<string, number>();
for (let i = 0; i < cands.length; i++) {
  for (const w of [words[2 * i], words[2 * i + 1]]) {
    if (w === undefined) continue;
    const k = ((w >>> 5) & 0x3fff) | ((((w >>> 19) & 1) + 2) << 14);
    names.set(cands[i], k);
  }
}

function fmtKey(k: number) {
  return `${(k >> 14) & 3}, ${(k >> 11) & 7}, ${(k >> 7) & 15}, ${(k >> 3) & 15}, ${k & 7}`;
}
let out = `// System-register names and encodings (op0, op1, CRn, CRm, op2) as accepted by GNU as 2.40,
// and the name objdump 2.40 prints for each MRS/MSR encoding.
// GENERATED by test/asm/gen-sysdata.ts from the reference binutils — do not edit by hand.
// The Arm ARM (DDI0487) "System register index" is the architectural source of these encodings.

export interface SysRegEncoding {
  readonly op0: number;
  readonly op1: number;
  readonly crn: number;
  readonly crm: number;
  readonly op2: number;
}

function e(op0: number, op1: number, crn: number, crm: number, op2: number): SysRegEncoding {
  return { op0, op1, crn, crm, op2 };
}

/** Lower-case Arm ARM name -> encoding (includes _EL12/_EL02 aliases and ICC_/ICH_ registers). */
export const SYSREG_NAMES: Readonly<Record<string, SysRegEncoding>> = {
`;
for (const [n, k] of [...names].sort((a, b) => a[0].localeCompare(b[0]))) out += `  ${n}: e(${fmtKey(k)}),\n`;
out += `};

/**
 * Names objdump prints, keyed by the 16-bit value op0:op1:CRn:CRm:op2 (op0 in bits 15:14):
 * [key, name for MRS ("" = generic form), name for MSR ("" = generic form)].
 */
export const SYSREG_PRINT_NAMES: ReadonlyArray<readonly [number, string, string]> = [
`;
for (const [k, v] of [...printed].sort((a, b) => a[0] - b[0])) out += `  [0x${k.toString(16)}, "${v.r ?? ""}", "${v.w ?? ""}"],\n`;
out += "];\n";
fs.writeFileSync(path.join(outDir, "sysreg-names.ts"), out);
console.log(`sysregs: ${names.size} names, ${printed.size} printed encodings`);

// ---- SYS aliases, hints, barriers, PSTATE -------------------------------------------------
const sysWords: number[] = [];
for (let k = 0; k < 0x4000; k++) { sysWords.push((0xd5080000 | (k << 5)) >>> 0); sysWords.push((0xd5080000 | (k << 5) | 31) >>> 0); }
const sysText = disassembleWords(sysWords);
const sysOps: string[] = [];
for (let k = 0; k < 0x4000; k++) {
  const a = sysText[2 * k], b = sysText[2 * k + 1];
  if (a.startsWith("sys\t")) continue;
  const m = /^(\w+)\t([\w]+)(, x0)?$/.exec(a);
  const m31 = /^(\w+)\t([\w]+)(, xzr)?$/.exec(b);
  if (!m || !m31) { console.log("odd sys", a, b); continue; }
  // reg: "r" register printed (always), "n" never printed
  const reg = m[3] ? "r" : "n";
  sysOps.push(`  [0x${k.toString(16)}, "${m[1]}", "${m[2]}", "${reg}"],`);
}
const hintText = disassembleWords(Array.from({ length: 128 }, (_, i) => (0xd503201f | (i << 5)) >>> 0));
const barText = disassembleWords(Array.from({ length: 128 }, (_, i) => (0xd503301f | (i << 5)) >>> 0));
const psWords: number[] = [];
for (let op1 = 0; op1 < 8; op1++) for (let op2 = 0; op2 < 8; op2++) psWords.push((0xd500401f | (op1 << 16) | (op2 << 5)) >>> 0);
const psText = disassembleWords(psWords);
const pstate: string[] = [];
psWords.forEach((w, i) => {
  const m = /^msr\t(\w+), #0x0$/.exec(psText[i]);
  if (m) pstate.push(`  [${(w >>> 16) & 7}, ${(w >>> 5) & 7}, "${m[1]}"],`);
  else if (!psText[i].startsWith(".inst") && !psText[i].startsWith("msr\ts0_")) console.log("pstate odd:", psText[i]);
});

let o2 = `// Names of SYS aliases, hints, barriers and PSTATE fields as printed by objdump 2.40.
// GENERATED by test/asm/gen-sysdata.ts from the reference binutils — do not edit by hand.

/** [op1:CRn:CRm:op2 (14 bits), alias mnemonic, operation name, "r" = Xt printed, "n" = no Xt]. */
export const SYS_OPS: ReadonlyArray<readonly [number, string, string, "r" | "n"]> = [
${sysOps.join("\n")}
];

/** objdump text for HINT #0..127 (CRm:op2). */
export const HINT_TEXT: readonly string[] = ${JSON.stringify(hintText, null, 1).replace(/\n\s*/g, " ")};

/** objdump text for the barrier group CRm:op2 (0..127), Rt = 31. */
export const BARRIER_TEXT: readonly string[] = ${JSON.stringify(barText, null, 1).replace(/\n\s*/g, " ")};

/** MSR (immediate) PSTATE fields: [op1, op2, name]. */
export const PSTATE_FIELDS: ReadonlyArray<readonly [number, number, string]> = [
${pstate.join("\n")}
];
`;
fs.writeFileSync(path.join(outDir, "sysops-data.ts"), o2);
console.log(`sys ops: ${sysOps.length}, pstate: ${pstate.length}`);
fs.rmSync(tmp, { recursive: true });
