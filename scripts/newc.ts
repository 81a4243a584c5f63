// The "new ASCII" (newc) cpio format that Linux unpacks as an initramfs
// (Documentation/driver-api/early-userspace/buffer-format.rst, init/initramfs.c):
// each entry is a 110-byte header — the magic "070701" and 13 fields of 8 hexadecimal digits —
// then the NUL-terminated name, padded so that header + name is a multiple of 4 bytes, then
// the data, padded to a multiple of 4. The archive ends with an entry named "TRAILER!!!".
// Written here so that building an initramfs needs node only (no cpio, no fakeroot: device
// nodes and root ownership are just numbers in the header).

/** What an entry is: the file-type bits of its mode (S_IFMT, include/uapi/linux/stat.h). */
export type NewcKind = 'file' | 'dir' | 'char' | 'block' | 'symlink';

export interface NewcEntry {
  /** Path inside the archive, without a leading "/" ("init", "dev/console"). */
  name: string;
  kind: NewcKind;
  /** Permission bits (0o755…); the type bits come from `kind`. */
  perm: number;
  /** File contents, or a symlink's target. */
  data?: Uint8Array | string;
  /** Device number of a 'char' or 'block' node. */
  rdev?: { major: number; minor: number };
  uid?: number;
  gid?: number;
  /** Seconds since 1970; 0 by default so that archives are reproducible. */
  mtime?: number;
}

const S_IF: Record<NewcKind, number> = {
  file: 0o100000,
  dir: 0o040000,
  char: 0o020000,
  block: 0o060000,
  symlink: 0o120000,
};

const MAGIC = '070701';
const HEADER_SIZE = 110;
const TRAILER = 'TRAILER!!!';

function field(name: string, entry: string, value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`newc: ${entry}: ${name} ${value} does not fit 8 hexadecimal digits`);
  }
  return value.toString(16).padStart(8, '0');
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

/** One header + name + data, padded. `ino` numbers entries uniquely (hard links are not used). */
function encodeEntry(e: NewcEntry, ino: number): Buffer {
  const name = e.name.replace(/^\/+/, '');
  if (name === '' || name.includes('\0')) throw new Error(`newc: bad entry name ${JSON.stringify(e.name)}`);
  if ((e.perm & ~0o7777) !== 0) throw new RangeError(`newc: ${name}: perm ${e.perm.toString(8)} has bits outside 0o7777`);
  const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data ?? new Uint8Array(0));
  if (data.length > 0 && e.kind !== 'file' && e.kind !== 'symlink') throw new Error(`newc: ${name}: a ${e.kind} has no data`);
  if ((e.kind === 'char' || e.kind === 'block') && !e.rdev) throw new Error(`newc: ${name}: a ${e.kind} device needs rdev`);
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const fields = [
    ['c_ino', ino],
    ['c_mode', S_IF[e.kind] | e.perm],
    ['c_uid', e.uid ?? 0],
    ['c_gid', e.gid ?? 0],
    ['c_nlink', e.kind === 'dir' ? 2 : 1],
    ['c_mtime', e.mtime ?? 0],
    ['c_filesize', data.length],
    ['c_devmajor', 0],
    ['c_devminor', 0],
    ['c_rdevmajor', e.rdev?.major ?? 0],
    ['c_rdevminor', e.rdev?.minor ?? 0],
    ['c_namesize', nameBytes.length],
    ['c_check', 0], // only the "070702" (crc) variant fills it
  ] as const;
  const header = MAGIC + fields.map(([n, v]) => field(n, name, v)).join('');
  return Buffer.concat([
    Buffer.from(header, 'ascii'),
    nameBytes,
    Buffer.alloc(pad4(HEADER_SIZE + nameBytes.length)),
    data,
    Buffer.alloc(pad4(data.length)),
  ]);
}

/** A complete archive: the entries in order (parents before children), then the trailer. */
export function newcArchive(entries: readonly NewcEntry[]): Buffer {
  const seen = new Set<string>();
  const parts = entries.map((e, i) => {
    const name = e.name.replace(/^\/+/, '');
    if (seen.has(name)) throw new Error(`newc: ${name} appears twice`);
    seen.add(name);
    return encodeEntry(e, i + 1);
  });
  // The trailer: all fields zero except nlink 1 and namesize (GNU cpio writes the same).
  const trailerName = Buffer.from(`${TRAILER}\0`, 'ascii');
  const trailer = MAGIC + [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, trailerName.length, 0].map((v) => field('c_field', TRAILER, v)).join('');
  parts.push(Buffer.concat([Buffer.from(trailer, 'ascii'), trailerName, Buffer.alloc(pad4(HEADER_SIZE + trailerName.length))]));
  return Buffer.concat(parts);
}
