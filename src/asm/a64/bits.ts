// Bit-level helpers shared by the A64 table: bit-pattern compilation, the logical
// (bitmask) immediate of DDI0487 C6.2 `DecodeBitMasks()`, and the 8-bit FP immediate of
// `VFPExpandImm()`. Everything else in src/asm/a64 works on named fields.

/** One named field of an encoding: bits [lo + width - 1 : lo]. */
export interface FieldDef {
  readonly name: string;
  readonly lo: number;
  readonly width: number;
}

export interface CompiledPattern {
  mask: number;
  value: number;
  fields: FieldDef[];
  /** Named fields whose value the pattern fixes (`Rn=11111`). */
  fixed: Record<string, number>;
  /** "Should be one" bits (`o` in a pattern): ignored when decoding, set when encoding. */
  sbo: number;
}

/**
 * Compiles an encoding diagram written MSB first, as in the Arm ARM: runs of `0`/`1` are fixed
 * bits, `x` a don't-care (should-be-zero) bit, `o` a should-be-one bit, `name:width` a field, `name=0101` a named field with a fixed value.
 * Tokens are separated by spaces and must add up to 32 bits.
 */
export function compilePattern(pattern: string): CompiledPattern {
  let pos = 32;
  let mask = 0;
  let value = 0;
  let sbo = 0;
  const fields: FieldDef[] = [];
  const fixed: Record<string, number> = {};
  for (const tok of pattern.trim().split(/\s+/)) {
    const colon = tok.indexOf(":");
    const eq = tok.indexOf("=");
    if (colon > 0) {
      const width = Number(tok.slice(colon + 1));
      pos -= width;
      fields.push({ name: tok.slice(0, colon), lo: pos, width });
    } else if (eq > 0) {
      const bits = tok.slice(eq + 1);
      pos -= bits.length;
      const v = parseInt(bits, 2);
      fields.push({ name: tok.slice(0, eq), lo: pos, width: bits.length });
      fixed[tok.slice(0, eq)] = v;
      mask |= ((1 << bits.length) - 1) << pos;
      value |= v << pos;
    } else {
      for (const ch of tok) {
        pos--;
        if (ch === "1") { mask |= 1 << pos; value |= 1 << pos; }
        else if (ch === "0") mask |= 1 << pos;
        else if (ch === "o") sbo |= 1 << pos;
        else if (ch !== "x") throw new Error(`bad pattern token '${tok}' in '${pattern}'`);
      }
    }
  }
  if (pos !== 0) throw new Error(`pattern is not 32 bits (${32 - pos}): '${pattern}'`);
  return { mask: mask >>> 0, value: value >>> 0, fields, fixed, sbo: sbo >>> 0 };
}

export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const MASK64 = (1n << 64n) - 1n;

/** DDI0487 `DecodeBitMasks(N, imms, immr, TRUE)` wmask, or undefined if reserved. */
export function decodeBitMask(n: number, imms: number, immr: number, regSize: 32 | 64): bigint | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return undefined;
  const esize = 1 << len;
  if (esize > regSize) return undefined;
  const levels = esize - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (s === levels) return undefined;
  const emask = esize === 64 ? MASK64 : (1n << BigInt(esize)) - 1n;
  const welem = (1n << BigInt(s + 1)) - 1n;
  // rotate right by r within esize
  const rot = r === 0 ? welem : ((welem >> BigInt(r)) | (welem << BigInt(esize - r))) & emask;
  let v = 0n;
  for (let i = 0; i < regSize; i += esize) v |= rot << BigInt(i);
  return v;
}

/** Inverse of decodeBitMask: the {N, immr, imms} encoding of a logical immediate, if any. */
export function encodeBitMask(value: bigint, regSize: 32 | 64): { n: number; immr: number; imms: number } | undefined {
  const full = regSize === 64 ? MASK64 : 0xffffffffn;
  value &= full;
  if (value === 0n || value === full) return undefined;
  // smallest element size whose replication gives value
  let esize: number = regSize;
  while (esize > 2) {
    const half = esize >> 1;
    const m = (1n << BigInt(half)) - 1n;
    if ((value & m) !== ((value >> BigInt(half)) & m)) break;
    esize = half;
  }
  const emask = (1n << BigInt(esize)) - 1n;
  const elem = value & emask;
  // elem must be a rotation of a contiguous run of ones
  const ones = popcountBig(elem);
  const run = (1n << BigInt(ones)) - 1n;
  for (let r = 0; r < esize; r++) {
    const rot = r === 0 ? run : ((run >> BigInt(r)) | (run << BigInt(esize - r))) & emask;
    if (rot === elem) {
      if (esize === 64) return { n: 1, immr: r, imms: ones - 1 };
      return { n: 0, immr: r, imms: (~(esize * 2 - 1) & 0x3f) | (ones - 1) };
    }
  }
  return undefined;
}

function popcountBig(v: bigint): number {
  let c = 0;
  while (v) { v &= v - 1n; c++; }
  return c;
}

/** `VFPExpandImm(imm8)` as a JS number (exact for all 256 values). */
export function fpImm8ToNumber(imm8: number): number {
  const sign = imm8 & 0x80 ? -1 : 1;
  const frac = 16 + (imm8 & 15);
  // exponent NOT(b):b..b:cd, unbiased: b=0 -> 1+cd (1..4), b=1 -> cd-3 (-3..0)
  const expo = imm8 & 0x40 ? ((imm8 >> 4) & 3) - 3 : ((imm8 >> 4) & 3) + 1;
  return (sign * frac * Math.pow(2, expo)) / 16;
}

let fpImmMap: Map<number, number> | undefined;
/** Inverse of fpImm8ToNumber, or undefined if the value is not representable. */
export function numberToFpImm8(v: number): number | undefined {
  if (!fpImmMap) {
    fpImmMap = new Map();
    for (let i = 0; i < 256; i++) fpImmMap.set(fpImm8ToNumber(i), i);
  }
  return fpImmMap.get(v);
}

export function signExtend(v: number, width: number): number {
  const s = 32 - width;
  return (v << s) >> s;
}
