// The Linux kernel's own symbol table (kallsyms), found and decoded in an arm64 Image without a
// vmlinux: the debugger names kernel functions with it (call stacks, function breakpoints).
//
// What scripts/kallsyms.c (Linux 6.1) emits into .rodata, in this order, each table aligned to 8:
//   kallsyms_offsets        s32[num_syms]  CONFIG_KALLSYMS_BASE_RELATIVE: address - relative_base
//   kallsyms_relative_base  u64            the lowest symbol address (a relocated quad: 0 in the
//                                          Image file; the kernel writes it when it relocates itself)
//   kallsyms_num_syms       u32
//   kallsyms_names          num_syms entries: a length (one byte; two, little-endian base-128, when
//                           bit 7 is set — "kallsyms: support big kernel symbols", 6.1), then that
//                           many token numbers; the first expanded character is the nm type
//   kallsyms_markers        u32[ceil(num_syms / 256)]  offset in kallsyms_names of every 256th entry
//   kallsyms_seqs_of_names  3 bytes per symbol, only in kernels with the kallsyms_lookup_name()
//                           speed-up (6.2, backported to some 6.1 stable builds such as Debian's)
//   kallsyms_token_table    256 NUL-terminated strings: what each name byte expands to
//   kallsyms_token_index    u16[256]  offset of each token in kallsyms_token_table
// (6.4 moved the offsets and the base after the token index; this reader looks for the 6.1 order.)
//
// The tables are located by their own consistency, not by addresses: the token table is the one
// whose 256 strings are exactly indexed by the u16 array after it, and the digits '0'…'9' are
// tokens of themselves (every symbol character that occurs is its own token); num_syms is the
// u32 whose names parse, marker by marker, up to kallsyms_markers just before the token table.

/** One kernel symbol: address relative to kallsyms_relative_base, nm type letter, name. */
export interface KernelSymbol { offset: number; type: string; name: string }

/** Where the tables are in the Image (byte offsets in the file). */
export interface KallsymsLayout {
  offsets: number;
  relativeBase: number;
  numSyms: number;
  names: number;
  markers: number;
  tokenTable: number;
  tokenIndex: number;
  count: number;
}

export class KallsymsError extends Error {}

const align8 = (n: number): number => (n + 7) & ~7;

/** Finds the kallsyms tables in `image` (an uncompressed arm64 Image). Throws KallsymsError when absent. */
export function locateKallsyms(image: Uint8Array): KallsymsLayout {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const u32 = (o: number): number => dv.getUint32(o, true);
  const digits = Buffer.from('0\u00001\u00002\u00003\u00004\u00005\u00006\u00007\u00008\u00009\u0000', 'latin1');
  const buf = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  for (let at = buf.indexOf(digits); at >= 0; at = buf.indexOf(digits, at + 1)) {
    const tables = tokenTablesAround(image, dv, at);
    if (!tables) continue;
    const found = findNames(image, u32, tables.tokenTable);
    if (found) return { ...found, tokenTable: tables.tokenTable, tokenIndex: tables.tokenIndex };
  }
  throw new KallsymsError('no kallsyms tables in the kernel image (built without CONFIG_KALLSYMS, or compressed?)');
}

/**
 * `at` is where token '0' (0x30) may start: the table begins 48 strings earlier; it is the token
 * table if the u16 array after its 256 strings (8-aligned) gives each string's offset.
 */
function tokenTablesAround(image: Uint8Array, dv: DataView, at: number): { tokenTable: number; tokenIndex: number } | undefined {
  // Back over tokens 0x2f…0x01 to the start of token 1; token 0's own start is read from the index
  // (the byte before the table need not be 0: kallsyms_seqs_of_names can end in any byte).
  let token1 = at;
  for (let i = 0; i < 0x2f; i++) {
    if (token1 < 2 || image[token1 - 1] !== 0 || image[token1 - 2] === 0) return undefined;
    token1 -= 2;
    while (token1 > 0 && image[token1 - 1] !== 0) token1--;
  }
  const ends: number[] = [];
  let p = token1;
  for (let i = 1; i < 256; i++) {
    if (p >= image.length || image[p] === 0) return undefined;
    while (p < image.length && image[p] !== 0) p++;
    ends.push(++p);
  }
  const index = align8(p);
  if (index + 512 > image.length) return undefined;
  const start = token1 - dv.getUint16(index + 2, true);
  if (start >= token1 - 1 || start < 0 || dv.getUint16(index, true) !== 0) return undefined;
  for (let i = 2; i < 256; i++) if (dv.getUint16(index + 2 * i, true) !== ends[i - 2] - start) return undefined;
  for (let q = start; q < token1 - 1; q++) if (image[q] === 0) return undefined;
  return { tokenTable: start, tokenIndex: index };
}

/** kallsyms_num_syms and kallsyms_names: before the markers, which end at the token table (or at the seqs before it). */
function findNames(image: Uint8Array, u32: (o: number) => number, tokenTable: number): Omit<KallsymsLayout, 'tokenTable' | 'tokenIndex'> | undefined {
  const lowest = Math.max(16, tokenTable - 64 * 1024 * 1024) & ~7;
  for (let p = (tokenTable - 8) & ~7; p >= lowest; p -= 8) {
    const n = u32(p);
    if (n < 16 || n > 4_000_000 || u32(p + 4) !== 0) continue;
    const m = Math.ceil(n / 256);
    // markers end at the token table, or 3 * n bytes of kallsyms_seqs_of_names before it.
    for (const markers of [tokenTable - align8(4 * m), tokenTable - align8(3 * n) - align8(4 * m)]) {
      if (markers <= p + 8 || u32(markers) !== 0) continue;
      if (!namesMatchMarkers(image, u32, p + 8, n, markers)) continue;
      // The offsets (8-aligned) end where the 8-aligned relative base begins.
      const offsets = p - 8 - align8(4 * n);
      if (offsets < 0) continue;
      return { offsets, relativeBase: p - 8, numSyms: p, names: p + 8, markers, count: n };
    }
  }
  return undefined;
}

/** Walks the n length-prefixed names from `names`; every 256th must start where its marker says. */
function namesMatchMarkers(image: Uint8Array, u32: (o: number) => number, names: number, n: number, markers: number): boolean {
  let q = names;
  for (let k = 0; k < n; k++) {
    if ((k & 255) === 0 && q - names !== u32(markers + 4 * (k >> 8))) return false;
    let len = image[q++];
    if (len & 0x80) len = (len & 0x7f) | (image[q++] << 7);
    if (len === 0) return false;
    q += len;
    if (q > markers) return false;
  }
  return align8(q) >= markers - 8 && q <= markers;
}

/** The decoded table: every symbol in address order (kallsyms is sorted by address). */
export class Kallsyms {
  readonly symbols: KernelSymbol[];
  private readonly byName = new Map<string, KernelSymbol>();

  constructor(readonly layout: KallsymsLayout, symbols: KernelSymbol[]) {
    this.symbols = symbols;
    // First definition wins, as kallsyms_lookup_name() returns the first match in table order.
    for (const s of symbols) if (!this.byName.has(s.name)) this.byName.set(s.name, s);
  }

  /** Locates and decodes the tables in an uncompressed arm64 Image. */
  static fromImage(image: Uint8Array): Kallsyms {
    const l = locateKallsyms(image);
    const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
    const tokens: string[] = [];
    for (let i = 0; i < 256; i++) {
      const s = l.tokenTable + dv.getUint16(l.tokenIndex + 2 * i, true);
      let e = s;
      while (image[e] !== 0) e++;
      tokens.push(Buffer.from(image.subarray(s, e)).toString('latin1'));
    }
    const symbols: KernelSymbol[] = new Array(l.count);
    let q = l.names;
    for (let k = 0; k < l.count; k++) {
      let len = image[q++];
      if (len & 0x80) len = (len & 0x7f) | (image[q++] << 7);
      let text = '';
      for (let j = 0; j < len; j++) text += tokens[image[q + j]];
      q += len;
      // CONFIG_KALLSYMS_BASE_RELATIVE without ABSOLUTE_PERCPU (arm64): address = base + (u32)offset.
      symbols[k] = { offset: dv.getUint32(l.offsets + 4 * k, true), type: text[0], name: text.slice(1) };
    }
    return new Kallsyms(l, symbols);
  }

  lookup(name: string): KernelSymbol | undefined { return this.byName.get(name); }

  /** The symbol containing relative address `off` (the last one at or below it), with the distance. */
  at(off: number): { sym: KernelSymbol; delta: number } | undefined {
    const s = this.symbols;
    let lo = 0, hi = s.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].offset <= off) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return undefined;
    // Several names can share an address (aliases): prefer the first one, as /proc/kallsyms lists it.
    while (best > 0 && s[best - 1].offset === s[best].offset) best--;
    return { sym: s[best], delta: off - s[best].offset };
  }

  /** Relative address just past the last symbol's start: beyond it nothing is named. */
  get end(): number { return this.symbols.length ? this.symbols[this.symbols.length - 1].offset : 0; }
}
