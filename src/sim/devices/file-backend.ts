// A host file as a virtio-blk disk (block-backend.ts). Writes go straight to the file
// (pwrite), so nothing is lost if the process ends without a flush; flush() is an fsync
// (VIRTIO_BLK_T_FLUSH and machine shutdown). Reverse execution does not un-write the file:
// the disk is outside machine snapshots (README "Limits").
import * as fs from 'node:fs';
import type { BlockBackend } from './block-backend';

export class FileBlockBackend implements BlockBackend {
  readonly size: number;
  private fd: number | null;

  /** Opens `file` (read-write, or read-only); a clear error names the file when it cannot. */
  constructor(readonly file: string, readonly readOnly = false) {
    try {
      this.fd = fs.openSync(file, readOnly ? 'r' : 'r+');
      const st = fs.fstatSync(this.fd);
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
      const n = fs.readSync(this.handle(), out, done, length - done, offset + done);
      if (n === 0) break;   // past the end of a file that shrank: zeros
      done += n;
    }
    return out;
  }

  write(offset: number, data: Uint8Array): void {
    if (this.readOnly) throw new Error(`drive ${this.file} is read-only`);
    let done = 0;
    while (done < data.length) done += fs.writeSync(this.handle(), data, done, data.length - done, offset + done);
  }

  flush(): void {
    if (this.fd !== null && !this.readOnly) fs.fsyncSync(this.fd);
  }

  /** Flushes and closes the file (later accesses fail, and the device reports VIRTIO_BLK_S_IOERR). */
  close(): void {
    if (this.fd === null) return;
    this.flush();
    fs.closeSync(this.fd);
    this.fd = null;
  }
}
