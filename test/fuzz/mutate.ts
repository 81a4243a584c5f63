// Structure-aware mutations for the input-robustness fuzz tests (test/fuzz/*-load-fuzz.test.ts):
// a seeded generator, "interesting" field values (zero, one, sign and size boundaries, the file's
// own length, RAM edges), and a field writer that sets a little-endian or big-endian integer of
// 1, 2, 4 or 8 bytes in place. Deterministic: the same seed gives the same cases.

/** xorshift32: deterministic, fast, no allocation. */
export class Rand {
  private s: number;
  constructor(seed: number) { this.s = (seed >>> 0) || 1; }
  u32(): number {
    let x = this.s;
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    this.s = x;
    return x;
  }
  /** Integer in [0, n). */
  below(n: number): number { return n <= 0 ? 0 : Math.floor((this.u32() / 0x1_0000_0000) * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.below(xs.length)]; }
  chance(p: number): boolean { return this.u32() / 0x1_0000_0000 < p; }
  u64(): bigint { return (BigInt(this.u32()) << 32n) | BigInt(this.u32()); }
}

/** Boundary values for a field of `bytes` bytes, plus values tied to the input's size. */
export function interesting(r: Rand, bytes: number, fileLength: number): bigint {
  const max = (1n << BigInt(8 * bytes)) - 1n;
  const L = BigInt(fileLength);
  const vals = [0n, 1n, 2n, 3n, 4n, 7n, 8n, 0x10n, 0x38n, 0x40n, 0x7fn, 0x80n, 0xffn, 0x100n, 0xfffn, 0x1000n, 0x7fffn, 0x8000n, 0xffffn,
    0x10000n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x1_0000_0000n, 1n << 53n, 1n << 62n, 1n << 63n, max, max - 1n,
    L, L - 1n, L + 1n, L / 2n, 0x4000_0000n, 0x3fff_fff0n, 0x8000_0000n - 8n, 0x4000_0000n + 0x1000_0000n, r.u64(), BigInt(r.u32())];
  return r.pick(vals) & max;
}

/** Writes the low `bytes` bytes of v at `at` (little-endian unless `be`); out-of-range bytes are skipped. */
export function setField(b: Uint8Array, at: number, bytes: number, v: bigint, be = false): void {
  for (let i = 0; i < bytes; i++) {
    const pos = be ? at + bytes - 1 - i : at + i;
    if (pos >= 0 && pos < b.length) b[pos] = Number((v >> BigInt(8 * i)) & 0xffn);
  }
}

/** 1..n random bytes changed, within [from, to) of `b`. */
export function flipBytes(r: Rand, b: Uint8Array, n: number, from = 0, to = b.length): void {
  const span = Math.max(0, Math.min(to, b.length) - from);
  if (span === 0) return;
  const k = 1 + r.below(n);
  for (let i = 0; i < k; i++) {
    const at = from + r.below(span);
    b[at] = r.chance(0.3) ? b[at] ^ (1 << r.below(8)) : r.below(256);
  }
}

/** A prefix of `b` (possibly empty). */
export function truncate(r: Rand, b: Uint8Array): Uint8Array {
  return b.slice(0, r.below(b.length));
}

/** Runs `f`, timing it; returns the elapsed milliseconds and what it threw (undefined: nothing). */
export function timed(f: () => void): { ms: number; error: unknown } {
  const t0 = process.hrtime.bigint();
  let error: unknown;
  try { f(); } catch (e) { error = e ?? new Error('threw a nullish value'); }
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, error };
}
