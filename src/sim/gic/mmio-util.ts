// Helpers for GIC register frames: sub-word accesses to 32-bit registers and the ID registers.

/** The `size`-byte part at byte offset `off & 3` of a 32-bit register value. */
export function subword(word: number, off: number, size: number): number {
  if (size >= 4) return word >>> 0;
  const sh = (off & 3) * 8;
  return (word >>> sh) & (size === 1 ? 0xff : 0xffff);
}

/** A `size`-byte write of `value` at `off & 3` merged into the register's old value. */
export function mergeWrite(old: number, off: number, size: number, value: number): number {
  if (size >= 4) return value >>> 0;
  const sh = (off & 3) * 8;
  const m = (size === 1 ? 0xff : 0xffff) << sh;
  return ((old & ~m) | ((value << sh) & m)) >>> 0;
}

/** A `size`-byte write as a 32-bit value with zeros elsewhere (for write-1-to-set/clear registers). */
export function placeWrite(off: number, size: number, value: number): number {
  if (size >= 4) return value >>> 0;
  const sh = (off & 3) * 8;
  return ((value & (size === 1 ? 0xff : 0xffff)) << sh) >>> 0;
}

/** CoreSight-style ID registers PIDR4..PIDR7, PIDR0..PIDR3, CIDR0..CIDR3 from `base` (QEMU's values). */
export function idRegister(ids: readonly number[], base: number, off: number): number | undefined {
  if (off < base || off >= base + 48 || (off & 3)) return undefined;
  return ids[(off - base) >>> 2];
}
