// Guest input from the command line: bytes read from stdin are handed to the PL011's receive
// line (Machine.uart.receive), which queues them until the guest's FIFO has room. On a terminal
// stdin stays in the terminal's line mode, so Ctrl-C remains SIGINT (the runner's handler prints
// where each PE was) and a line reaches the guest when Enter is pressed.
import type { Machine } from '../sim/machine';

export class StdinFeed {
  private chunks: Buffer[] = [];
  /** False once stdin has ended (EOF, error, closed): no more input can arrive. */
  open = true;
  private waiter: (() => void) | null = null;
  private readonly onData = (b: Buffer): void => { this.chunks.push(b); this.wake(); };
  private readonly onEnd = (): void => { this.open = false; this.wake(); };

  constructor(private readonly stream: NodeJS.ReadStream = process.stdin) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('error', this.onEnd);
    stream.on('close', this.onEnd);
  }

  /** Moves what stdin delivered so far into the UART. */
  drain(m: Machine): void {
    for (const c of this.chunks) m.uart.receive(c);
    this.chunks = [];
  }

  /** True when input has been read and not yet handed to the guest. */
  get pending(): boolean { return this.chunks.length > 0; }

  /** Resolves when more input arrives, stdin ends, or `wake()` is called (a signal). */
  wait(): Promise<void> {
    if (this.pending || !this.open) return Promise.resolve();
    return new Promise((resolve) => { this.waiter = resolve; });
  }

  wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Stops reading (lets the process exit). */
  close(): void {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('error', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.pause();
    this.stream.destroy();
    this.open = false;
    this.wake();
  }
}
