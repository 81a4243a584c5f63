// The ARMVIRT ELF note: facts about a program that the simulator needs before its first
// instruction (today only the exception level it expects to start at).
//
// Layout of one note entry (System V gABI "Note Section"): namesz, descsz and type as 4-byte
// words, then the owner name (NUL-terminated, padded to 4 bytes), then the descriptor (padded to
// 4 bytes). Our entry is owner "ARMVIRT", type NT_ARMVIRT_ENTRY_EL = 1, and a 4-byte
// little-endian descriptor holding the EL (1 or 2). It lives in a SHT_NOTE section called
// `.note.armvirt` that is NOT allocated ("" flags): GNU ld then keeps it as a plain section
// instead of placing it in a PT_LOAD at its default text-segment address (0x40_0000, outside
// the board's RAM), and the simulator never loads it into guest memory. The built-in assembler
// writes it for `.armvirt entry_el, N`; under GNU as the same bytes come from
//
//         .pushsection .note.armvirt, "", %note
//         .balign 4
//         .long   8            // namesz: "ARMVIRT" and its NUL
//         .long   4            // descsz
//         .long   1            // type: entry EL
//         .asciz  "ARMVIRT"
//         .long   1            // the EL
//         .popsection

export const ARMVIRT_NOTE_OWNER = 'ARMVIRT';
export const ARMVIRT_NOTE_SECTION = '.note.armvirt';
/** Note type: the exception level the boot PE starts at (4-byte descriptor, 1 or 2). */
export const NT_ARMVIRT_ENTRY_EL = 1;

/** One note entry as read from a note section or PT_NOTE segment. */
export interface ElfNote {
  owner: string;
  type: number;
  desc: Uint8Array;
}

/** What ARMVIRT notes say about a program (absent fields: nothing said). */
export interface ArmvirtNoteInfo {
  entryEL?: 1 | 2;
}

export class NoteError extends Error {}

/** Encodes one note entry (owner padded to 4 bytes, descriptor padded to 4 bytes). */
export function encodeNote(owner: string, type: number, desc: Uint8Array): Uint8Array {
  const name = new TextEncoder().encode(owner + '\0');
  const pad = (n: number): number => (n + 3) & ~3;
  const out = new Uint8Array(12 + pad(name.length) + pad(desc.length));
  const dv = new DataView(out.buffer);
  dv.setUint32(0, name.length, true);
  dv.setUint32(4, desc.length, true);
  dv.setUint32(8, type >>> 0, true);
  out.set(name, 12);
  out.set(desc, 12 + pad(name.length));
  return out;
}

/** The note entry that says "start at EL `el`". */
export function entryElNote(el: number): Uint8Array {
  const d = new Uint8Array(4);
  new DataView(d.buffer).setUint32(0, el >>> 0, true);
  return encodeNote(ARMVIRT_NOTE_OWNER, NT_ARMVIRT_ENTRY_EL, d);
}

/**
 * Splits the contents of a note section or segment into entries. `align` is the entry
 * alignment (4, or 8 for segments/sections aligned to 8 as GNU property notes are).
 * Throws NoteError naming the entry that does not fit.
 */
export function parseNotes(bytes: Uint8Array, align = 4): ElfNote[] {
  const a = align === 8 ? 8 : 4;
  // Sizes are 32-bit unsigned fields: pad with arithmetic (a bitwise mask would wrap 0xfffffffd to 0
  // and let a name run past the section).
  const pad = (n: number): number => Math.ceil(n / a) * a;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notes: ElfNote[] = [];
  let off = 0;
  while (off + 12 <= bytes.length) {
    const namesz = dv.getUint32(off, true);
    const descsz = dv.getUint32(off + 4, true);
    const type = dv.getUint32(off + 8, true);
    const nameAt = off + 12;
    const descAt = nameAt + pad(namesz);
    if (nameAt + namesz > bytes.length || descAt > bytes.length || descAt + descsz > bytes.length) {
      throw new NoteError(`note entry at offset ${off} (name size ${namesz}, descriptor size ${descsz}) extends beyond its section`);
    }
    let end = nameAt + namesz;
    while (end > nameAt && bytes[end - 1] === 0) end--;
    let owner = '';
    for (let i = nameAt; i < end; i++) owner += String.fromCharCode(bytes[i]);
    notes.push({ owner, type, desc: bytes.slice(descAt, descAt + descsz) });
    off = descAt + pad(descsz);
  }
  return notes;
}

/** Reads the ARMVIRT entries among `notes`; other owners are ignored. Throws NoteError for a bad or contradictory entry. */
export function armvirtNoteInfo(notes: ElfNote[]): ArmvirtNoteInfo {
  const info: ArmvirtNoteInfo = {};
  for (const n of notes) {
    if (n.owner !== ARMVIRT_NOTE_OWNER) continue;
    if (n.type !== NT_ARMVIRT_ENTRY_EL) continue; // later note types: ignored by this version
    if (n.desc.length !== 4) throw new NoteError(`ARMVIRT entry-EL note has a ${n.desc.length}-byte descriptor; expected 4`);
    const el = new DataView(n.desc.buffer, n.desc.byteOffset, 4).getUint32(0, true);
    if (el !== 1 && el !== 2) throw new NoteError(`ARMVIRT entry-EL note says EL${el}; the simulator starts programs at EL1 or EL2`);
    if (info.entryEL !== undefined && info.entryEL !== el) throw new NoteError(`ARMVIRT entry-EL notes disagree (EL${info.entryEL} and EL${el})`);
    info.entryEL = el;
  }
  return info;
}
