// Helpers that drive the reference toolchain (GNU binutils for AArch64) for the A64 tests
// and the corpus generator. Assembled code is linked at LINK_BASE so that PC-relative forms
// (adrp, :lo12:, literals, branches to labels) resolve exactly as our encoder sees them.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const AS = "aarch64-linux-gnu-as";
export const LD = "aarch64-linux-gnu-ld";
export const OBJDUMP = "aarch64-linux-gnu-objdump";
export const OBJCOPY = "aarch64-linux-gnu-objcopy";
export const LINK_BASE = 0x40000000n;
/** Every extension whose instructions the table knows, so GNU as accepts them all. */
export const MARCH = "-march=armv9.3-a+crc+crypto+fp+simd+lse+lor+rdma+fp16+profile+ras+sve+rcpc+dotprod+fp16fml+sha2+sha3+sm4+aes+rng+ssbs+memtag+sve2+tme+i8mm+f32mm+f64mm+bf16+ls64+flagm+pauth+mops+hbc+cssc+sme+predres";

export function haveBinutils(): boolean {
  const r = spawnSync(AS, ["--version"], { stdio: "ignore" });
  return r.status === 0;
}

export interface RefLine { addr: bigint; word: number; text: string }

/** objdump -d lines of an object/ELF file (text column as printed, trailing blanks removed). */
export function objdump(file: string): RefLine[] {
  const out = execFileSync(OBJDUMP, ["-d", file], { maxBuffer: 1 << 30 }).toString();
  const res: RefLine[] = [];
  for (const line of out.split("\n")) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(line);
    if (m) res.push({ addr: BigInt("0x" + m[1]), word: parseInt(m[2], 16), text: m[3].replace(/\s+$/, "") });
  }
  return res;
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "a64-"));
}

export interface AsmResult { ok: boolean; errors: Map<number, string>; lines: RefLine[] }

/**
 * Assembles `source` (a `start:` label is expected at the top of .text) and links it at
 * LINK_BASE; returns objdump's view. Error messages are keyed by 1-based source line.
 */
export function assembleAndLink(source: string, dir = tmpDir()): AsmResult {
  const s = path.join(dir, "a.s"), o = path.join(dir, "a.o"), e = path.join(dir, "a.elf");
  fs.writeFileSync(s, source);
  const r = spawnSync(AS, [MARCH, s, "-o", o], { maxBuffer: 1 << 28 });
  const errors = new Map<number, string>();
  for (const m of r.stderr.toString().matchAll(/:(\d+): Error: (.*)/g)) errors.set(Number(m[1]), m[2]);
  if (r.status !== 0) return { ok: false, errors, lines: [] };
  const l = spawnSync(LD, ["-Ttext=0x" + LINK_BASE.toString(16), "-e", "start", o, "-o", e]);
  if (l.status !== 0) throw new Error("ld failed: " + l.stderr.toString());
  // keep only `start` so that objdump names every address relative to it
  execFileSync(OBJCOPY, ["--strip-all", "--keep-symbol=start", e]);
  return { ok: true, errors, lines: objdump(e) };
}

/** Disassembles raw words with objdump (as `.inst`, linked at LINK_BASE). */
export function objdumpWords(words: readonly number[], dir = tmpDir()): RefLine[] {
  const src = "start:\n" + words.map((w) => `.inst 0x${(w >>> 0).toString(16)}\n`).join("");
  const r = assembleAndLink(src, dir);
  if (!r.ok) throw new Error("assembling .inst words failed");
  return r.lines;
}

/** A small expression evaluator standing in for the assembler's (symbols, '.', + - * << >> ~ ()). */
export function makeEvaluator(symbols: Record<string, bigint>, pc: () => bigint): (expr: string) => bigint {
  return (expr: string) => {
    let i = 0;
    const s = expr;
    const ws = () => { while (i < s.length && /\s/.test(s[i])) i++; };
    const primary = (): bigint => {
      ws();
      if (s[i] === "(") { i++; const v = sum(); ws(); if (s[i] !== ")") throw new Error(`')' expected in '${expr}'`); i++; return v; }
      if (s[i] === "-") { i++; return -primary(); }
      if (s[i] === "+") { i++; return primary(); }
      if (s[i] === "~") { i++; return ~primary(); }
      const m = /^(0x[0-9a-f]+|0b[01]+|[0-9]+|\.|[A-Za-z_.$][\w.$]*)/i.exec(s.slice(i));
      if (!m) throw new Error(`bad expression '${expr}'`);
      i += m[1].length;
      if (m[1] === ".") return pc();
      if (/^[0-9]/.test(m[1])) return BigInt(m[1]);
      const v = symbols[m[1]];
      if (v === undefined) throw new Error(`undefined symbol '${m[1]}'`);
      return v;
    };
    const prod = (): bigint => { let v = primary(); for (;;) { ws(); if (s[i] === "*") { i++; v *= primary(); } else return v; } };
    const sum = (): bigint => {
      let v = prod();
      for (;;) {
        ws();
        if (s[i] === "+") { i++; v += prod(); }
        else if (s[i] === "-") { i++; v -= prod(); }
        else if (s.startsWith("<<", i)) { i += 2; v <<= prod(); }
        else if (s.startsWith(">>", i)) { i += 2; v >>= prod(); }
        else return v;
      }
    };
    const v = sum();
    ws();
    if (i !== s.length) throw new Error(`unexpected '${s.slice(i)}' in '${expr}'`);
    return v;
  };
}
