// Flattened device tree (DTB) encoder and decoder: Devicetree Specification v0.4, chapter 5
// ("Flattened Devicetree (DTB) Format"). A tree of nodes with named byte-string properties
// becomes a blob of version 17 (last compatible version 16):
//
//   header (40 bytes, big-endian u32 fields, 5.2) | memory reservation block (5.3: pairs of
//   u64 address/size ending with 0/0, 8-byte aligned) | structure block (5.4: tokens
//   FDT_BEGIN_NODE name, FDT_PROP len nameoff value, FDT_END_NODE, FDT_END; 4-byte aligned) |
//   strings block (5.5: NUL-terminated property names, shared).
//
// We write our own (about 250 lines) rather than depend on a package: the npm registry has no
// maintained FDT library under the obvious names (`fdt`, `dtb`, `device-tree`, `devicetree`
// are not published), and Linux/QEMU's libfdt is C. The decoder validates a user-supplied
// `--dtb` and drives the tests; every error names the header field or token at fault.

import { BootError } from './errors';

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;
const HEADER_SIZE = 40;
const FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_NOP = 4, FDT_END = 9;

export interface FdtProperty { name: string; value: Uint8Array }

export interface FdtNode {
  /** Node name with its unit address (`memory@40000000`); '' for the root. */
  name: string;
  props: FdtProperty[];
  children: FdtNode[];
}

export interface FdtReservation { address: bigint; size: bigint }

export interface FdtBlob {
  root: FdtNode;
  /** Memory reservation block entries (the terminating 0/0 entry excluded). */
  reservations: FdtReservation[];
  /** boot_cpuid_phys: the physical ID (reg of the cpu node) of the boot CPU. */
  bootCpuidPhys: number;
  version: number;
  lastCompVersion: number;
  totalSize: number;
}

/** A malformed DTB: `field` names the header field or structure element that is wrong. */
export class FdtError extends BootError {
  constructor(readonly field: string, message: string) {
    super(`DTB ${field}: ${message}`);
  }
}

// ---------------------------------------------------------------- property values (2.2.4)

/** <u32> cells, big-endian. */
export function cells(...values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => {
    if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) throw new RangeError(`cell value ${x} is not a u32`);
    v.setUint32(i * 4, x);
  });
  return b;
}

/** Each value as two cells (<u64>, high cell first): `reg` with #address-cells = #size-cells = 2. */
export function cells64(...values: number[]): Uint8Array {
  return cells(...values.flatMap((x) => [Math.floor(x / 0x100000000), x % 0x100000000]));
}

/** <string>: NUL-terminated. */
export function str(s: string): Uint8Array {
  return new TextEncoder().encode(`${s}\0`);
}

/** <stringlist>: each NUL-terminated, concatenated. */
export function strList(...s: string[]): Uint8Array {
  return new TextEncoder().encode(s.map((x) => `${x}\0`).join(''));
}

/** <empty>: a boolean property (present = true). */
export function empty(): Uint8Array {
  return new Uint8Array(0);
}

/** A node; `props` in insertion order (undefined values are left out). */
export function node(name: string, props: Record<string, Uint8Array | undefined> = {}, children: FdtNode[] = []): FdtNode {
  return {
    name,
    props: Object.entries(props).filter((e): e is [string, Uint8Array] => e[1] !== undefined).map(([n, value]) => ({ name: n, value })),
    children,
  };
}

// ---------------------------------------------------------------- queries

/** The node at `path` ('/', '/chosen', '/cpus/cpu@0'); a component without '@' also matches `name@unit` if unique. */
export function findNode(root: FdtNode, path: string): FdtNode | undefined {
  if (!path.startsWith('/')) return undefined;
  let n: FdtNode | undefined = root;
  for (const part of path.split('/').filter((p) => p !== '')) {
    const exact: FdtNode | undefined = n.children.find((c) => c.name === part);
    if (exact) { n = exact; continue; }
    const byName: FdtNode[] = n.children.filter((c) => c.name.split('@')[0] === part);
    if (part.includes('@') || byName.length !== 1) return undefined;
    n = byName[0];
  }
  return n;
}

export function getProp(n: FdtNode, name: string): Uint8Array | undefined {
  return n.props.find((p) => p.name === name)?.value;
}

/** Sets (replaces or appends) a property. */
export function setProp(n: FdtNode, name: string, value: Uint8Array): void {
  const p = n.props.find((x) => x.name === name);
  if (p) p.value = value; else n.props.push({ name, value });
}

export function deleteProp(n: FdtNode, name: string): void {
  n.props = n.props.filter((p) => p.name !== name);
}

/** A property's value as u32 cells. */
export function propCells(v: Uint8Array): number[] {
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= v.length; i += 4) out.push(dv.getUint32(i));
  return out;
}

/** A property's value as a string list. */
export function propStrings(v: Uint8Array): string[] {
  const s = new TextDecoder().decode(v);
  return (s.endsWith('\0') ? s.slice(0, -1) : s).split('\0');
}

// ---------------------------------------------------------------- encoder

/** Encodes a tree as a DTB v17 blob (5.1: header, reservations, structure, strings). */
export function encodeFdt(root: FdtNode, opts: { bootCpuidPhys?: number; reservations?: FdtReservation[] } = {}): Uint8Array {
  if (root.name !== '') throw new RangeError('the root node of a device tree has an empty name');
  const strings: number[] = [];
  const stringOffsets = new Map<string, number>();
  const nameOffset = (name: string): number => {
    let off = stringOffsets.get(name);
    if (off === undefined) {
      off = strings.length;
      stringOffsets.set(name, off);
      for (const b of new TextEncoder().encode(name)) strings.push(b);
      strings.push(0);
    }
    return off;
  };
  const struct: number[] = [];
  const u32 = (x: number): void => { struct.push((x >>> 24) & 0xff, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff); };
  const bytes = (b: Uint8Array): void => {
    for (const x of b) struct.push(x);
    while (struct.length % 4 !== 0) struct.push(0);
  };
  const walk = (n: FdtNode): void => {
    u32(FDT_BEGIN_NODE);
    bytes(new TextEncoder().encode(`${n.name}\0`));
    for (const p of n.props) {
      u32(FDT_PROP);
      u32(p.value.length);
      u32(nameOffset(p.name));
      bytes(p.value);
    }
    for (const c of n.children) walk(c);
    u32(FDT_END_NODE);
  };
  walk(root);
  u32(FDT_END);

  const reservations = opts.reservations ?? [];
  const offRsv = align(HEADER_SIZE, 8);
  const offStruct = offRsv + (reservations.length + 1) * 16;
  const offStrings = offStruct + struct.length;
  const total = offStrings + strings.length;
  const out = new Uint8Array(align(total, 8));
  const v = new DataView(out.buffer);
  const header = [FDT_MAGIC, out.length, offStruct, offStrings, offRsv, FDT_VERSION, FDT_LAST_COMP_VERSION,
    opts.bootCpuidPhys ?? 0, strings.length, struct.length];
  header.forEach((x, i) => v.setUint32(i * 4, x));
  reservations.forEach((r, i) => {
    v.setBigUint64(offRsv + i * 16, r.address);
    v.setBigUint64(offRsv + i * 16 + 8, r.size);
  });
  out.set(struct, offStruct);
  out.set(strings, offStrings);
  return out;
}

function align(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

// ---------------------------------------------------------------- decoder

/** Decodes and validates a DTB (versions 16 and 17); throws FdtError naming the field at fault. */
export function decodeFdt(blob: Uint8Array): FdtBlob {
  if (blob.length < HEADER_SIZE) throw new FdtError('header', `${blob.length} bytes is shorter than the 40-byte header`);
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const h = (i: number): number => v.getUint32(i * 4);
  const magic = h(0), totalSize = h(1), offStruct = h(2), offStrings = h(3), offRsv = h(4);
  const version = h(5), lastComp = h(6), bootCpuidPhys = h(7), sizeStrings = h(8);
  if (magic !== FDT_MAGIC) throw new FdtError('magic', `0x${magic.toString(16).padStart(8, '0')} is not 0xd00dfeed (is this a device tree blob?)`);
  if (totalSize < HEADER_SIZE || totalSize > blob.length) throw new FdtError('totalsize', `${totalSize} is outside 40..${blob.length} (the file's size)`);
  if (lastComp > FDT_VERSION) throw new FdtError('last_comp_version', `${lastComp}: only versions up to ${FDT_VERSION} can be read`);
  if (version < 16) throw new FdtError('version', `${version}: versions before 16 are not supported`);
  const sizeStruct = version >= 17 ? h(9) : totalSize - offStruct;
  const within = (field: string, off: number, size: number, alignment: number): void => {
    if (off % alignment !== 0) throw new FdtError(field, `0x${off.toString(16)} is not ${alignment}-byte aligned`);
    if (off < HEADER_SIZE || off > totalSize || size > totalSize - off) {
      throw new FdtError(field, `block 0x${off.toString(16)}+0x${size.toString(16)} is outside the blob (totalsize 0x${totalSize.toString(16)})`);
    }
  };
  within('off_mem_rsvmap', offRsv, 16, 8);
  within('off_dt_struct', offStruct, sizeStruct, 4);
  within('off_dt_strings', offStrings, sizeStrings, 1);
  if (sizeStruct < 8) throw new FdtError('size_dt_struct', `${sizeStruct} is too small for a root node`);

  const reservations: FdtReservation[] = [];
  for (let off = offRsv; ; off += 16) {
    if (off + 16 > totalSize) throw new FdtError('off_mem_rsvmap', 'the memory reservation block has no terminating 0/0 entry');
    const address = v.getBigUint64(off), size = v.getBigUint64(off + 8);
    if (address === 0n && size === 0n) break;
    reservations.push({ address, size });
  }

  const end = offStruct + sizeStruct;
  let p = offStruct;
  const token = (): number => {
    if (p + 4 > end) throw new FdtError('size_dt_struct', `the structure block ends inside a token at 0x${p.toString(16)}`);
    const t = v.getUint32(p);
    p += 4;
    return t;
  };
  const cstring = (from: number, limit: number, field: string): string => {
    let q = from;
    while (q < limit && blob[q] !== 0) q++;
    if (q >= limit) throw new FdtError(field, `string at 0x${from.toString(16)} is not NUL-terminated`);
    return new TextDecoder().decode(blob.subarray(from, q));
  };
  const names = new Map<number, string>();
  const propName = (nameoff: number): string => {
    if (nameoff >= sizeStrings) throw new FdtError('FDT_PROP nameoff', `${nameoff} is outside the strings block (size_dt_strings ${sizeStrings})`);
    let n = names.get(nameoff);
    if (n === undefined) { n = cstring(offStrings + nameoff, offStrings + sizeStrings, 'FDT_PROP nameoff'); names.set(nameoff, n); }
    return n;
  };
  const readNode = (depth: number): FdtNode => {
    const name = cstring(p, end, 'FDT_BEGIN_NODE name');
    p = align(p + name.length + 1, 4);
    if (depth > 64) throw new FdtError('FDT_BEGIN_NODE', 'nodes nested more than 64 deep');
    const n: FdtNode = { name, props: [], children: [] };
    for (;;) {
      const at = p;
      const t = token();
      if (t === FDT_PROP) {
        const len = token(), nameoff = token();
        if (len > end - p) throw new FdtError('FDT_PROP len', `${len} at 0x${at.toString(16)} runs past the structure block`);
        n.props.push({ name: propName(nameoff), value: blob.slice(p, p + len) });
        p = align(p + len, 4);
      } else if (t === FDT_BEGIN_NODE) {
        n.children.push(readNode(depth + 1));
      } else if (t === FDT_END_NODE) {
        return n;
      } else if (t !== FDT_NOP) {
        throw new FdtError('structure block', `unexpected token 0x${t.toString(16)} at 0x${at.toString(16)} inside node '${name || '/'}'`);
      }
    }
  };
  let t: number;
  do t = token(); while (t === FDT_NOP);
  if (t !== FDT_BEGIN_NODE) throw new FdtError('structure block', `starts with token 0x${t.toString(16)}, not FDT_BEGIN_NODE`);
  const root = readNode(0);
  if (root.name !== '') throw new FdtError('FDT_BEGIN_NODE name', `the root node is named '${root.name}' (must be empty)`);
  do t = token(); while (t === FDT_NOP);
  if (t !== FDT_END) throw new FdtError('structure block', `token 0x${t.toString(16)} after the root node, not FDT_END`);
  return { root, reservations, bootCpuidPhys, version, lastCompVersion: lastComp, totalSize };
}
