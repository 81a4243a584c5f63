// Synchronous, buffered writer for one file descriptor (guest output on stdout, the --trace log on
// stderr). The machine runs synchronously, so output is collected in memory and written with
// writeSync at the points the runner chooses:
//   - on a terminal: at every end of line (line-buffered, as C's stdio does for a tty);
//   - otherwise (pipe, file): whenever the runner calls flush() between machine slices (every
//     10–20 ms of simulation), when 64 KiB are pending, and at exit.
// A non-blocking pipe that is full (EAGAIN) is retried; a closed pipe (EPIPE) ends the output
// quietly: `closed` becomes true and later bytes are dropped, so the runner can stop the guest.
import * as fs from 'node:fs';
import * as tty from 'node:tty';

const HIGH_WATER = 1 << 16;

export class FdWriter {
  private chunks: Buffer[] = [];
  private size = 0;
  /** True once the reader has gone away (EPIPE); nothing more is written. */
  closed = false;
  readonly lineBuffered: boolean;

  constructor(readonly fd: number, lineBuffered = tty.isatty(fd)) {
    this.lineBuffered = lineBuffered;
  }

  get pending(): number { return this.size; }

  write(b: Uint8Array | string): void {
    if (this.closed) return;
    const buf = typeof b === 'string' ? Buffer.from(b) : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    // Copy: the machine may reuse its output buffer after the call.
    this.chunks.push(typeof b === 'string' ? buf : Buffer.from(buf));
    this.size += buf.length;
    if (this.size >= HIGH_WATER || (this.lineBuffered && buf.includes(10))) this.flush();
  }

  /** Writes everything pending. */
  flush(): void {
    if (this.size === 0 || this.closed) {
      this.chunks = [];
      this.size = 0;
      return;
    }
    const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = [];
    this.size = 0;
    let off = 0;
    while (off < buf.length) {
      try {
        off += fs.writeSync(this.fd, buf, off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EPIPE') {
          this.closed = true;
          return;
        }
        throw e;
      }
    }
  }
}
