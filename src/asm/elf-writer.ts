// ELF64 writer: AssemblyResult → AArch64 little-endian ET_EXEC.
// One PT_LOAD per allocated section (.bss as memsz > filesz), section headers
// for every section plus .symtab/.strtab/.shstrtab (note sections such as the
// non-allocated `.note.armvirt` as SHT_NOTE, where loaders look for them), and the AArch64 mapping
// symbols `$x` / `$d` (IHI0056 "Mapping symbols") so that disassemblers show
// code as code and data as data. Layouts per the System V gABI.

import type { AsmSection, AssemblyResult } from './assembler/types';

const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOTE = 7;
const SHT_NOBITS = 8;
const SHF_WRITE = 1n;
const SHF_ALLOC = 2n;
const SHF_EXECINSTR = 4n;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const SHN_ABS = 0xfff1;

class StrTab {
  private readonly parts: number[] = [0];
  private readonly index = new Map<string, number>();
  add(s: string): number {
    if (s === '') return 0;
    const hit = this.index.get(s);
    if (hit !== undefined) return hit;
    const off = this.parts.length;
    for (const b of new TextEncoder().encode(s)) this.parts.push(b);
    this.parts.push(0);
    this.index.set(s, off);
    return off;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

interface SymRow {
  name: number;
  info: number;
  other: number;
  shndx: number;
  value: bigint;
  size: bigint;
}

const TYPE: Record<string, number> = { notype: 0, object: 1, func: 2, common: 5, tls: 6, gnu_indirect_function: 10 };
const BIND: Record<string, number> = { local: 0, global: 1, weak: 2 };
const VIS: Record<string, number> = { default: 0, internal: 1, hidden: 2, protected: 3 };

const align = (v: number, a: number): number => Math.ceil(v / a) * a;

/** Builds an ELF64 executable image from an assembly result. */
export function writeElf(result: AssemblyResult): Uint8Array {
  const secs: AsmSection[] = result.sections.filter((s) => s.size > 0 || s.name === '.text');
  const loadable = secs.filter((s) => s.flags.alloc && s.size > 0);
  const shstr = new StrTab();
  const str = new StrTab();

  // Section indices: 0 null, 1..n our sections, then .symtab, .strtab, .shstrtab.
  const secIndex = new Map<string, number>();
  secs.forEach((s, i) => secIndex.set(s.name, i + 1));
  const symtabIdx = secs.length + 1;
  const strtabIdx = secs.length + 2;
  const shstrIdx = secs.length + 3;

  // Symbols: null, section symbols, mapping symbols, locals, then globals.
  const locals: SymRow[] = [{ name: 0, info: 0, other: 0, shndx: 0, value: 0n, size: 0n }];
  const globals: SymRow[] = [];
  for (const s of secs) {
    locals.push({ name: 0, info: 3 /* STT_SECTION */, other: 0, shndx: secIndex.get(s.name)!, value: s.address, size: 0n });
  }
  for (const s of secs) {
    for (const m of s.mapping) {
      locals.push({
        name: str.add(m.kind === 'code' ? '$x' : '$d'),
        info: 0,
        other: 0,
        shndx: secIndex.get(s.name)!,
        value: s.address + BigInt(m.offset),
        size: 0n,
      });
    }
  }
  for (const sym of result.symbols) {
    if (sym.name.startsWith('.L')) continue;
    const shndx = sym.section === null ? SHN_ABS : secIndex.get(sym.section);
    if (shndx === undefined) continue;
    const row: SymRow = {
      name: str.add(sym.name),
      info: ((BIND[sym.binding] ?? 0) << 4) | (TYPE[sym.type] ?? 0),
      other: VIS[sym.visibility] ?? 0,
      shndx,
      value: sym.value,
      size: sym.size,
    };
    (sym.binding === 'local' ? locals : globals).push(row);
  }
  const symRows = [...locals, ...globals];

  // Section names.
  const secNames = secs.map((s) => shstr.add(s.name));
  const symtabName = shstr.add('.symtab');
  const strtabName = shstr.add('.strtab');
  const shstrName = shstr.add('.shstrtab');
  const strBytes = str.bytes();
  const shstrBytes = shstr.bytes();

  // File layout.
  const phnum = loadable.length;
  let off = 64 + phnum * 56;
  const dataOff = new Map<string, number>();
  for (const s of secs) {
    if (s.nobits) continue;
    off = align(off, Math.max(s.align, 1));
    dataOff.set(s.name, off);
    off += s.data.length;
  }
  off = align(off, 8);
  const symtabOff = off;
  off += symRows.length * 24;
  const strtabOff = off;
  off += strBytes.length;
  const shstrOff = off;
  off += shstrBytes.length;
  off = align(off, 8);
  const shoff = off;
  const shnum = secs.length + 4;
  const total = shoff + shnum * 64;

  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const u16 = (o: number, v: number): void => dv.setUint16(o, v, true);
  const u32 = (o: number, v: number): void => dv.setUint32(o, v >>> 0, true);
  const u64 = (o: number, v: bigint): void => dv.setBigUint64(o, BigInt.asUintN(64, v), true);

  // ELF header.
  out.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */, 0 /* SYSV */], 0);
  u16(16, 2); // ET_EXEC
  u16(18, 183); // EM_AARCH64
  u32(20, 1);
  u64(24, result.entry);
  u64(32, phnum ? 64n : 0n);
  u64(40, BigInt(shoff));
  u32(48, 0);
  u16(52, 64);
  u16(54, 56);
  u16(56, phnum);
  u16(58, 64);
  u16(60, shnum);
  u16(62, shstrIdx);

  // Program headers.
  loadable.forEach((s, i) => {
    const o = 64 + i * 56;
    const flags = PF_R | (s.flags.write ? PF_W : 0) | (s.flags.exec ? PF_X : 0);
    u32(o, 1); // PT_LOAD
    u32(o + 4, flags);
    u64(o + 8, BigInt(s.nobits ? align(64 + phnum * 56, 1) : dataOff.get(s.name)!));
    u64(o + 16, s.address);
    u64(o + 24, s.address);
    u64(o + 32, s.nobits ? 0n : BigInt(s.data.length));
    u64(o + 40, BigInt(s.size));
    u64(o + 48, BigInt(Math.max(s.align, 1)));
  });

  // Contents.
  for (const s of secs) if (!s.nobits) out.set(s.data, dataOff.get(s.name)!);
  symRows.forEach((r, i) => {
    const o = symtabOff + i * 24;
    u32(o, r.name);
    out[o + 4] = r.info;
    out[o + 5] = r.other;
    u16(o + 6, r.shndx);
    u64(o + 8, r.value);
    u64(o + 16, r.size);
  });
  out.set(strBytes, strtabOff);
  out.set(shstrBytes, shstrOff);

  // Section headers (index 0 stays zero).
  const sh = (i: number, f: { name: number; type: number; flags: bigint; addr: bigint; offset: number; size: number; link: number; info: number; align: number; entsize: number }): void => {
    const o = shoff + i * 64;
    u32(o, f.name);
    u32(o + 4, f.type);
    u64(o + 8, f.flags);
    u64(o + 16, f.addr);
    u64(o + 24, BigInt(f.offset));
    u64(o + 32, BigInt(f.size));
    u32(o + 40, f.link);
    u32(o + 44, f.info);
    u64(o + 48, BigInt(f.align));
    u64(o + 56, BigInt(f.entsize));
  };
  secs.forEach((s, i) => {
    const flags = (s.flags.alloc ? SHF_ALLOC : 0n) | (s.flags.write ? SHF_WRITE : 0n) | (s.flags.exec ? SHF_EXECINSTR : 0n);
    sh(i + 1, {
      name: secNames[i],
      type: s.nobits ? SHT_NOBITS : s.note ? SHT_NOTE : SHT_PROGBITS,
      flags,
      addr: s.address,
      offset: s.nobits ? align(64 + phnum * 56, 1) : dataOff.get(s.name)!,
      size: s.size,
      link: 0,
      info: 0,
      align: Math.max(s.align, 1),
      entsize: 0,
    });
  });
  sh(symtabIdx, { name: symtabName, type: SHT_SYMTAB, flags: 0n, addr: 0n, offset: symtabOff, size: symRows.length * 24, link: strtabIdx, info: locals.length, align: 8, entsize: 24 });
  sh(strtabIdx, { name: strtabName, type: SHT_STRTAB, flags: 0n, addr: 0n, offset: strtabOff, size: strBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  sh(shstrIdx, { name: shstrName, type: SHT_STRTAB, flags: 0n, addr: 0n, offset: shstrOff, size: shstrBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  return out;
}
