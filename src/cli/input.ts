// Guest input from the command line: bytes read from stdin are handed to the PL011's receive
// line (Machine.uart.receive), which queues them until the guest's FIFO has room — or, with
// --virtio-console, to the virtio console, which queues them until the driver gives buffers. On a terminal
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

  private stream: NodeJS.ReadStream | null = null;

  constructor(private readonly source: () => NodeJS.ReadStream = () => process.stdin) {}

  /**
   * Starts reading stdin. The runner calls it before it yields to the event loop once the guest
   * may want input (it has looked at the UART's receive side, or has a virtio console): no input
   * can reach the guest before then (stream events need the loop), and a program that ends within
   * its first slice, or never reads its console, never opens process.stdin, whose streams cost a
   * few ms of start-up.
   */
  listen(): void {
    if (this.stream || !this.open) return;
    const stream = this.source();
    this.stream = stream;
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('error', this.onEnd);
    stream.on('close', this.onEnd);
  }

  /** Moves what stdin delivered so far into the guest: the virtio console if there is one, else the UART. */
  drain(m: Machine): void {
    const con = m.consoleInput;
    for (const c of this.chunks) con.receive(c);
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
    const stream = this.stream;
    if (stream) {
      stream.off('data', this.onData);
      stream.off('end', this.onEnd);
      stream.off('error', this.onEnd);
      stream.off('close', this.onEnd);
      stream.pause();
      stream.destroy();
    }
    this.open = false;
    this.wake();
  }
}
