// Loads an assembly source (.S / .s / .asm) into a ProgramImage by assembling it with the built-in
// assembler; the image keeps the assembler's result and its address <-> source line map.
import * as path from 'node:path';
import { assembleFile, nodeReadFile } from './assembler';
import { parseNotes, NoteError, type ElfNote } from './armvirt-note';
import { ProgramError, formatDiagnostic, noteEntryEL, requireSegments, type ProgramImage } from './program-image';

/** Assembles `file`, whose contents are `bytes`; throws ProgramError listing the assembly errors. */
export function loadAssemblyProgram(file: string, bytes: Uint8Array, opts: { linkAddress?: bigint } = {}): ProgramImage {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const r = assembleFile(file, { linkAddress: opts.linkAddress, readFile: (p) => (p === file ? text : nodeReadFile(p)) });
  if (r.errors.length > 0) {
    throw new ProgramError(`${r.errors.length} error(s) assembling ${file}:\n${r.errors.map(formatDiagnostic).join('\n')}`, r.errors);
  }
  const notes: ElfNote[] = [];
  try {
    for (const s of r.sections) if (s.note) notes.push(...parseNotes(s.data));
  } catch (e) {
    if (e instanceof NoteError) throw new ProgramError(`${file}: note section: ${e.message}`);
    throw e;
  }
  return requireSegments({
    kind: 'asm', path: file, entry: Number(r.entry),
    segments: r.sections.filter((s) => s.flags.alloc && s.size > 0).map((s) => ({ addr: Number(s.address), data: s.nobits ? new Uint8Array(0) : s.data, memsz: s.size })),
    symbols: r.symbols.filter((s) => s.section !== null).map((s) => ({ name: s.name, value: Number(s.value), size: Number(s.size), type: s.type })),
    assembly: r,
    lineMap: r.lineMap,
    sourceFiles: r.files.map((f) => path.resolve(f)),
    entryEL: noteEntryEL(file, notes),
  });
}
