// ELF64 reader for AArch64 images (ET_EXEC, ET_DYN and ET_REL).
// Field layouts follow the System V gABI (ELF-64 Object File Format 1.5) and
// the AArch64 ELF ABI (IHI0056). Every structural problem raises an ElfError
// naming it; nothing else is ever thrown.

import { ARMVIRT_NOTE_SECTION, parseNotes, NoteError, type ElfNote } from './armvirt-note';

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export const EM_AARCH64 = 183;
export const PT_LOAD = 1;
export const PT_NOTE = 4;
export const SHT_NOTE = 7;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;
export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;

export interface ElfSegment {
  paddr: bigint;
  vaddr: bigint;
  /** The file image of the segment (filesz bytes); the rest up to memsz is zero. */
  data: Uint8Array;
  memsz: bigint;
  /** PF_X = 1, PF_W = 2, PF_R = 4. */
  flags: number;
  offset: bigint;
  align: bigint;
}

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: bigint;
  /** STT_*: 0 notype, 1 object, 2 func, 3 section, 4 file, 6 tls. */
  type: number;
  /** STB_*: 0 local, 1 global, 2 weak. */
  bind: number;
  /** Section index, or SHN_ABS / SHN_UNDEF. */
  shndx: number;
  /** STV_* visibility (st_other & 3). */
  visibility: number;
}

export interface ElfSection {
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

export interface ElfImage {
  /** e_type: 1 ET_REL, 2 ET_EXEC, 3 ET_DYN. */
  type: number;
  machine: number;
  entry: bigint;
  /** PT_LOAD segments in program-header order. */
  segments: ElfSegment[];
  symbols: ElfSymbol[];
  sections: ElfSection[];
  /** Note entries of the PT_NOTE segments and of SHT_NOTE sections no PT_NOTE covers (gABI "Note Section"). */
  notes: ElfNote[];
}

const MACHINES: Record<number, string> = {
  0: 'none',
  2: 'SPARC',
  3: 'x86 (i386)',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM (32-bit)',
  42: 'SuperH',
  50: 'IA-64',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};

const hex = (v: bigint | number): string => '0x' + v.toString(16);

/** Parses an ELF64 little-endian AArch64 file. Throws ElfError only. */
export function parseElf(bytes: Uint8Array): ElfImage {
  try {
    return parse(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw e;
    throw new ElfError(`malformed ELF file: ${(e as Error)?.message ?? String(e)}`);
  }
}

function parse(bytes: Uint8Array): ElfImage {
  if (!(bytes instanceof Uint8Array)) throw new ElfError('ELF input must be a Uint8Array');
  const len = bytes.length;
  const N = BigInt(len);
  if (len < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('not an ELF file (bad magic)');
  }
  if (len < 16) throw new ElfError(`ELF identification is truncated (${len} of 16 bytes)`);
  const cls = bytes[4];
  if (cls === 1) throw new ElfError('ELF class is 32-bit; only ELF64 is supported');
  if (cls !== 2) throw new ElfError(`invalid ELF class ${cls}; expected 2 (ELF64)`);
  const enc = bytes[5];
  if (enc === 2) throw new ElfError('ELF data encoding is big-endian; only little-endian is supported');
  if (enc !== 1) throw new ElfError(`invalid ELF data encoding ${enc}; expected 1 (little-endian)`);
  if (bytes[6] !== 1) throw new ElfError(`unsupported ELF version ${bytes[6]} in e_ident; expected 1`);
  if (len < 64) throw new ElfError(`ELF header is truncated (${len} of 64 bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => dv.getUint16(o, true);
  const u32 = (o: number): number => dv.getUint32(o, true);
  const u64 = (o: number): bigint => dv.getBigUint64(o, true);

  const type = u16(16);
  const machine = u16(18);
  if (machine !== EM_AARCH64) {
    const name = MACHINES[machine] ?? 'unknown';
    throw new ElfError(`ELF machine is ${name} (${machine}); expected AArch64 (${EM_AARCH64})`);
  }
  if (type < 1 || type > 4) throw new ElfError(`unsupported ELF type ${type}`);
  if (u32(20) !== 1) throw new ElfError(`unsupported ELF version ${u32(20)}; expected 1`);
  const entry = u64(24);
  const phoff = u64(32);
  const shoff = u64(40);
  const phentsize = u16(54);
  const phnum = u16(56);
  const shentsize = u16(58);
  let shnum = u16(60);
  let shstrndx = u16(62);

  // Program headers.
  const segments: ElfSegment[] = [];
  const notes: ElfNote[] = [];
  const noteRanges: [bigint, bigint][] = [];
  // Notes are read for what they say to us (src/asm/armvirt-note.ts). A malformed `.note.armvirt`
  // is an error; other malformed notes (other tools' business) are skipped, as they were before
  // notes were read at all.
  const readNotes = (offset: bigint, size: bigint, alignment: bigint, what: string, strict: boolean): void => {
    try {
      if (offset + size > N) throw new NoteError('extends beyond the end of the file');
      notes.push(...parseNotes(bytes.subarray(Number(offset), Number(offset + size)), alignment === 8n ? 8 : 4));
      noteRanges.push([offset, offset + size]);
    } catch (e) {
      if (!(e instanceof NoteError)) throw e;
      if (strict) throw new ElfError(`${what}: ${e.message}`);
    }
  };
  if (phnum > 0) {
    if (phentsize !== 56) throw new ElfError(`program header entry size is ${phentsize}; expected 56`);
    if (phoff + BigInt(phnum) * 56n > N) throw new ElfError('program header table extends beyond the end of the file');
    for (let i = 0; i < phnum; i++) {
      const o = Number(phoff) + i * 56;
      const ptype = u32(o);
      if (ptype === PT_NOTE) readNotes(u64(o + 8), u64(o + 32), u64(o + 48), `note segment (program header ${i})`, false);
      if (ptype !== PT_LOAD) continue;
      const flags = u32(o + 4);
      const offset = u64(o + 8);
      const vaddr = u64(o + 16);
      const paddr = u64(o + 24);
      const filesz = u64(o + 32);
      const memsz = u64(o + 40);
      const align = u64(o + 48);
      if (offset + filesz > N) throw new ElfError(`program header ${i} extends beyond the end of the file`);
      if (filesz > memsz) {
        throw new ElfError(`program header ${i}: file size ${hex(filesz)} is larger than memory size ${hex(memsz)}`);
      }
      if (vaddr + memsz > 1n << 64n || paddr + memsz > 1n << 64n) {
        throw new ElfError(`program header ${i}: segment at ${hex(vaddr)} of ${hex(memsz)} bytes wraps around the address space`);
      }
      const start = Number(offset);
      segments.push({ paddr, vaddr, data: bytes.slice(start, start + Number(filesz)), memsz, flags, offset, align });
    }
  }

  // Section headers.
  const sections: ElfSection[] = [];
  if (shoff !== 0n) {
    if (shentsize !== 64) throw new ElfError(`section header entry size is ${shentsize}; expected 64`);
    if (shoff + 64n > N) throw new ElfError('section header table extends beyond the end of the file');
    if (shnum === 0) {
      // Extended numbering: the count is in section 0's sh_size (gABI "Sections").
      const big = u64(Number(shoff) + 32);
      if (big > 0xffffffn) throw new ElfError(`section count ${big} is too large`);
      shnum = Number(big);
    }
    if (shstrndx === 0xffff) shstrndx = u32(Number(shoff) + 40);
    if (shoff + BigInt(shnum) * 64n > N) throw new ElfError('section header table extends beyond the end of the file');
    for (let i = 0; i < shnum; i++) {
      const o = Number(shoff) + i * 64;
      const s: ElfSection = {
        name: '',
        type: u32(o + 4),
        flags: u64(o + 8),
        addr: u64(o + 16),
        offset: u64(o + 24),
        size: u64(o + 32),
        link: u32(o + 40),
        info: u32(o + 44),
        addralign: u64(o + 48),
        entsize: u64(o + 56),
      };
      if (i > 0 && s.type !== SHT_NOBITS && s.type !== 0 && s.offset + s.size > N) {
        throw new ElfError(`section ${i} extends beyond the end of the file`);
      }
      sections.push(s);
    }
    if (shnum > 0) {
      if (shstrndx >= shnum) throw new ElfError(`section name table index ${shstrndx} is out of range (${shnum} sections)`);
      const strtab = sections[shstrndx];
      if (shstrndx !== 0) {
        if (strtab.type !== SHT_STRTAB) throw new ElfError(`section name table (section ${shstrndx}) is not a string table`);
        for (let i = 0; i < shnum; i++) {
          const nameOff = u32(Number(shoff) + i * 64);
          sections[i].name = readString(bytes, strtab, nameOff, `name of section ${i}`);
        }
      }
    }
  }

  // Note sections that no PT_NOTE segment covers (a note section need not be allocated).
  sections.forEach((s, i) => {
    if (s.type !== SHT_NOTE || s.size === 0n) return;
    if (noteRanges.some(([a, b]) => s.offset >= a && s.offset + s.size <= b)) return;
    readNotes(s.offset, s.size, s.addralign, `note section ${s.name || i}`, s.name === ARMVIRT_NOTE_SECTION);
  });

  // Symbols (the first SHT_SYMTAB).
  const symbols: ElfSymbol[] = [];
  const symtabIndex = sections.findIndex((s) => s.type === SHT_SYMTAB);
  if (symtabIndex > 0) {
    const st = sections[symtabIndex];
    if (st.entsize !== 24n) throw new ElfError(`symbol table entry size is ${st.entsize}; expected 24`);
    if (st.link >= sections.length) throw new ElfError(`symbol table links to string table ${st.link}, which does not exist`);
    const strs = sections[st.link];
    if (strs.type !== SHT_STRTAB) throw new ElfError(`symbol table links to section ${st.link}, which is not a string table`);
    const count = Number(st.size / 24n);
    for (let i = 0; i < count; i++) {
      const o = Number(st.offset) + i * 24;
      const info = bytes[o + 4];
      symbols.push({
        name: readString(bytes, strs, u32(o), `name of symbol ${i}`),
        value: u64(o + 8),
        size: u64(o + 16),
        type: info & 0xf,
        bind: info >> 4,
        shndx: u16(o + 6),
        visibility: bytes[o + 5] & 3,
      });
    }
  }
  return { type, machine, entry, segments, symbols, sections, notes };
}

function readString(bytes: Uint8Array, table: ElfSection, off: number, what: string): string {
  if (BigInt(off) >= table.size) {
    if (off === 0 && table.size === 0n) return '';
    throw new ElfError(`${what} is outside its string table`);
  }
  const start = Number(table.offset) + off;
  const end = Number(table.offset + table.size);
  let i = start;
  while (i < end && bytes[i] !== 0) i++;
  if (i >= end) throw new ElfError(`${what} is not terminated inside its string table`);
  let s = '';
  for (let j = start; j < i; j++) s += String.fromCharCode(bytes[j]);
  return s;
}

/** SHF_COMPRESSED: the section holds an Elf64_Chdr followed by compressed data. */
export const SHF_COMPRESSED = 0x800n;

/**
 * Contents of the first section called `name` (a view into `bytes`, which must be the
 * buffer `image` was parsed from), or undefined when there is no such section or it
 * has no file contents. Throws ElfError for a compressed section.
 */
export function elfSectionData(bytes: Uint8Array, image: ElfImage, name: string): Uint8Array | undefined {
  const s = image.sections.find((x) => x.name === name);
  if (!s || s.type === SHT_NOBITS || s.type === 0) return undefined;
  if (s.flags & SHF_COMPRESSED) throw new ElfError(`section ${name} is compressed, which is not supported`);
  if (s.offset + s.size > BigInt(bytes.length)) throw new ElfError(`section ${name} extends beyond the end of the file`);
  return bytes.subarray(Number(s.offset), Number(s.offset + s.size));
}
