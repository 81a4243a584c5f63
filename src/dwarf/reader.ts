// Bounds-checked little-endian reader over one DWARF section. Every read past
// the end raises a DwarfError naming the section, the field and the offset.

/** Every problem in DWARF input (this reader, .debug_line, .debug_info, CFI) is one of these. */
export class DwarfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DwarfError';
  }
}

const MASK64 = (1n << 64n) - 1n;

export class ByteReader {
  constructor(
    readonly b: Uint8Array,
    public pos: number,
    public end: number,
    /** Section name used in messages (".debug_info"). */
    readonly section: string,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  fail(field: string, why = 'runs past the end of its data'): never {
    throw new DwarfError(`${this.section}: ${field} at offset 0x${this.pos.toString(16)} ${why}`);
  }

  private need(n: number, field: string): void {
    if (n < 0 || this.pos + n > this.end) this.fail(field);
  }

  u8(field: string): number {
    this.need(1, field);
    return this.b[this.pos++];
  }
  i8(field: string): number {
    const v = this.u8(field);
    return v >= 0x80 ? v - 0x100 : v;
  }
  u16(field: string): number {
    this.need(2, field);
    const v = this.b[this.pos] | (this.b[this.pos + 1] << 8);
    this.pos += 2;
    return v;
  }
  u24(field: string): number {
    this.need(3, field);
    const v = this.b[this.pos] | (this.b[this.pos + 1] << 8) | (this.b[this.pos + 2] << 16);
    this.pos += 3;
    return v;
  }
  u32(field: string): number {
    this.need(4, field);
    const p = this.pos;
    const v = (this.b[p] | (this.b[p + 1] << 8) | (this.b[p + 2] << 16)) + this.b[p + 3] * 0x1000000;
    this.pos += 4;
    return v;
  }
  /** Unsigned integer of `n` bytes (1..16) as a bigint. */
  uN(n: number, field: string): bigint {
    this.need(n, field);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.b[this.pos + i]);
    this.pos += n;
    return v;
  }
  /** Signed integer of `n` bytes as a bigint. */
  sN(n: number, field: string): bigint {
    const v = this.uN(n, field);
    const sign = 1n << BigInt(n * 8 - 1);
    return v & sign ? v - (sign << 1n) : v;
  }
  /** An `n`-byte value that must fit a JS number (offsets, lengths). */
  offset(n: number, field: string): number {
    const v = this.uN(n, field);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(field, `is too large (0x${v.toString(16)})`);
    return Number(v);
  }
  uleb(field: string): bigint {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.u8(field);
      if (shift < 64n) v |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) return v & MASK64;
      if (shift > 140n) this.fail(field, 'is an over-long LEB128 number');
    }
  }
  sleb(field: string): bigint {
    let v = 0n;
    let shift = 0n;
    let byte: number;
    do {
      byte = this.u8(field);
      if (shift < 64n) v |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (shift > 140n) this.fail(field, 'is an over-long LEB128 number');
    } while (byte & 0x80);
    if (shift < 64n && byte & 0x40) v -= 1n << shift;
    return BigInt.asIntN(64, v);
  }
  /** ULEB128 that must fit a JS number no larger than `max`. */
  ulebNum(field: string, max = Number.MAX_SAFE_INTEGER): number {
    const at = this.pos;
    const v = this.uleb(field);
    if (v > BigInt(max)) {
      this.pos = at;
      this.fail(field, `is too large (${v})`);
    }
    return Number(v);
  }
  u64(field: string): bigint {
    const lo = this.u32(field);
    const hi = this.u32(field);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }
  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  cstr(field: string): string {
    let e = this.pos;
    while (e < this.end && this.b[e] !== 0) e++;
    if (e >= this.end) this.fail(field, 'is an unterminated string');
    const s = utf8(this.b.subarray(this.pos, e));
    this.pos = e + 1;
    return s;
  }
  /**
   * An initial length field (DWARF 5 §7.4): 0xffffffff announces the 64-bit
   * format with an 8-byte length. Returns the length, the offset size and the
   * end of the unit (checked against the section end).
   */
  initialLength(field: string): { length: number; offsetSize: 4 | 8; end: number } {
    let length = this.u32(field);
    let offsetSize: 4 | 8 = 4;
    if (length === 0xffffffff) {
      length = this.offset(8, field);
      offsetSize = 8;
    } else if (length >= 0xfffffff0) {
      this.pos -= 4;
      this.fail(field, `uses the reserved value 0x${length.toString(16)}`);
    }
    const end = this.pos + length;
    if (end > this.end) {
      this.fail(field, `(0x${length.toString(16)}) runs past the end of the section`);
    }
    return { length, offsetSize, end };
  }
}

const decoder = new TextDecoder('utf-8');
export function utf8(b: Uint8Array): string {
  return decoder.decode(b);
}

/** NUL-terminated string at `off` in a string section (.debug_str, .debug_line_str). */
export function stringAt(sec: Uint8Array | undefined, name: string, off: number, what: string): string {
  if (!sec) throw new DwarfError(`${what} refers to ${name}, which the file does not have`);
  if (off < 0 || off >= sec.length) throw new DwarfError(`${what}: offset 0x${off.toString(16)} is outside ${name} (size 0x${sec.length.toString(16)})`);
  let e = off;
  while (e < sec.length && sec[e] !== 0) e++;
  return utf8(sec.subarray(off, e));
}
