// A host file as a virtio-blk disk (block-backend.ts). Writes go straight to the file
// (pwrite), so nothing is lost if the process ends without a flush; flush() is an fsync
// (VIRTIO_BLK_T_FLUSH and machine shutdown). Reverse execution does not un-write the file:
// the disk is outside machine snapshots (README "Limits").
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import type { BlockBackend } from './block-backend';

export class FileBlockBackend implements BlockBackend {
  readonly size: number;
  private fd: number | null;

  /** Opens `file` (read-write, or read-only); a clear error names the file when it cannot. */
  constructor(readonly file: string, readonly readOnly = false) {
    try {
      this.fd = openSync(file, readOnly ? 'r' : 'r+');
      const st = fstatSync(this.fd);
      if (!st.isFile() && !st.isBlockDevice()) throw new Error('not a regular file');
      this.size = st.size;
    } catch (e) {
      throw new Error(`drive ${file}: cannot open${readOnly ? ' read-only' : ''}: ${(e as Error).message}`);
    }
  }

  private handle(): number {
    if (this.fd === null) throw new Error(`drive ${this.file} is closed`);
    return this.fd;
  }

  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.handle(), out, done, length - done, offset + done);
      if (n === 0) break;   // past the end of a file that shrank: zeros
      done += n;
    }
    return out;
  }

  write(offset: number, data: Uint8Array): void {
    if (this.readOnly) throw new Error(`drive ${this.file} is read-only`);
    let done = 0;
    while (done < data.length) done += writeSync(this.handle(), data, done, data.length - done, offset + done);
  }

  flush(): void {
    if (this.fd !== null && !this.readOnly) fsyncSync(this.fd);
  }

  /** Flushes and closes the file (later accesses fail, and the device reports VIRTIO_BLK_S_IOERR). */
  close(): void {
    if (this.fd === null) return;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
  }
}

/** A `--drive` / launch `drives` entry: FILE[,readonly][,serial=ID] (",," is a comma in FILE, as QEMU). */
export interface DriveSpec { file: string; readOnly: boolean; serial?: string }

/** Parses FILE[,readonly][,serial=ID]; throws a message naming the bad part. */
export function parseDriveSpec(spec: string): DriveSpec {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] === ',' && spec[i + 1] === ',') { cur += ','; i++; continue; }
    if (spec[i] === ',') { parts.push(cur); cur = ''; continue; }
    cur += spec[i];
  }
  parts.push(cur);
  const [file, ...opts] = parts;
  if (file === '') throw new Error(`drive '${spec}': no FILE before the options`);
  const d: DriveSpec = { file, readOnly: false };
  for (const o of opts) {
    if (o === 'readonly' || o === 'ro' || o === 'readonly=on') d.readOnly = true;
    else if (o.startsWith('serial=')) d.serial = o.slice('serial='.length);
    else throw new Error(`drive '${spec}': unknown option '${o}' (known: readonly, serial=ID)`);
  }
  return d;
}

/** The spec string of `d` (commas in the file name doubled). */
export function formatDriveSpec(d: DriveSpec): string {
  return [d.file.replace(/,/g, ',,'), ...(d.readOnly ? ['readonly'] : []), ...(d.serial !== undefined ? [`serial=${d.serial}`] : [])].join(',');
}

/** Opens the files of drive specs (FILE[,readonly][,serial=ID]); close() flushes and closes them all. */
export function openDrives(specs: readonly string[], resolve: (f: string) => string = (f) => f): { drives: { backend: FileBlockBackend; readOnly: boolean; serial?: string }[]; close(): void } {
  const drives: { backend: FileBlockBackend; readOnly: boolean; serial?: string }[] = [];
  const close = (): void => { for (const d of drives) d.backend.close(); };
  try {
    for (const s of specs) {
      const d = parseDriveSpec(s);
      drives.push({ backend: new FileBlockBackend(resolve(d.file), d.readOnly), readOnly: d.readOnly, serial: d.serial });
    }
  } catch (e) {
    close();
    throw e;
  }
  return { drives, close };
}
