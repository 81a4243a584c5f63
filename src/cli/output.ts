// Synchronous, buffered writer for one file descriptor (guest output on stdout, the --trace log on
// stderr). The machine runs synchronously, so output is collected in memory and written with
// writeSync at the points the runner chooses:
//   - on a terminal: at every end of line (line-buffered, as C's stdio does for a tty);
//   - otherwise (pipe, file): whenever the runner calls flush() between machine slices (every
//     10–20 ms of simulation), when 64 KiB are pending, and at exit.
// A non-blocking pipe that is full (EAGAIN) is retried after a millisecond; a closed pipe (EPIPE)
// ends the output quietly: `closed` becomes true and later bytes are dropped, so that the runner
// can stop the guest.
import { fstatSync, writeSync } from 'node:fs';

const HIGH_WATER = 1 << 16;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * isatty(fd), without loading node:tty (which brings node's net and stream modules, a few ms of
 * start-up) when `fd` is not a character device: a terminal always is one, so a pipe or a file
 * is answered by fstat alone.
 */
export function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false; // a closed or bad descriptor is no terminal (as isatty says)
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

export class FdWriter {
  private buf = new Uint8Array(4096);
  private size = 0;
  /** True once the reader has gone away (EPIPE); nothing more is written. */
  closed = false;
  readonly lineBuffered: boolean;

  constructor(readonly fd: number, lineBuffered = isTerminal(fd)) {
    this.lineBuffered = lineBuffered;
  }

  /** Bytes written but not yet flushed. */
  get pending(): number { return this.size; }

  write(b: Uint8Array | string): void {
    if (this.closed) return;
    const bytes = typeof b === 'string' ? Buffer.from(b) : b;
    const need = this.size + bytes.length;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const grown = new Uint8Array(cap);
      grown.set(this.buf.subarray(0, this.size));
      this.buf = grown;
    }
    // Copied: the machine may reuse its output array after the call.
    this.buf.set(bytes, this.size);
    this.size = need;
    if (need >= HIGH_WATER || (this.lineBuffered && bytes.includes(10))) this.flush();
  }

  /** Writes everything pending. */
  flush(): void {
    const n = this.size;
    this.size = 0;
    if (n === 0 || this.closed) return;
    let off = 0;
    while (off < n) {
      try {
        off += writeSync(this.fd, this.buf, off, n - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(sleeper, 0, 0, 1); // the reader is behind: give it a millisecond
          continue;
        }
        if (code === 'EPIPE') {
          this.closed = true;
          return;
        }
        throw e;
      }
    }
    if (this.buf.length > HIGH_WATER * 4) this.buf = new Uint8Array(4096);
  }
}
