// A raw DAP client for robustness tests: spawns `node dist/debugAdapter.js`, writes arbitrary
// bytes (well-formed or not), parses what the adapter answers, and reads its memory use.
// DebugClient cannot send malformed frames, hence this small one.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import { ADAPTER } from './helpers';

export interface DapMessage {
  seq: number;
  type: 'response' | 'event' | 'request';
  request_seq?: number;
  success?: boolean;
  command?: string;
  message?: string;
  event?: string;
  body?: Record<string, unknown> & { output?: string; category?: string };
}

export class RawDapClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly messages: DapMessage[] = [];
  stderr = '';
  exitCode: number | null | undefined;
  /** Bytes the adapter wrote that were not a well-framed JSON message. */
  garbage = '';
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private nextSeq = 1;

  constructor() {
    this.proc = spawn(process.execPath, [ADAPTER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr.on('data', (d: Buffer) => { this.stderr += d.toString('utf8'); });
    this.proc.on('exit', (code) => { this.exitCode = code; this.wake(); });
    this.proc.stdin.on('error', () => undefined); // EPIPE after a crash is reported by `alive`
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** A fresh request seq (above any the fuzzer sends itself). */
  seq(): number {
    return 1_000_000 + this.nextSeq++;
  }

  writeRaw(bytes: string | Buffer): void {
    this.proc.stdin.write(bytes);
  }

  /** Frames `body` correctly (body is sent as given: it may be any text). */
  writeFrame(body: string): void {
    this.writeRaw(`Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`);
  }

  /** Sends a request (arguments as given, even ill-typed) and returns its seq. */
  send(command: unknown, args?: unknown, seq = this.seq()): number {
    const msg: Record<string, unknown> = { seq, type: 'request', command };
    if (args !== undefined) msg.arguments = args;
    this.writeFrame(JSON.stringify(msg));
    return seq;
  }

  /** The response to `seq`, or undefined after `timeoutMs` (or when the adapter exited). */
  async response(seq: number, timeoutMs: number): Promise<DapMessage | undefined> {
    const find = (): DapMessage | undefined => this.messages.find((m) => m.type === 'response' && m.request_seq === seq);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = find();
      if (r || !this.alive) return r;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => { clearTimeout(t); res(); });
      });
    }
  }

  async request(command: unknown, args?: unknown, timeoutMs = 5000): Promise<DapMessage | undefined> {
    return this.response(this.send(command, args), timeoutMs);
  }

  /** Waits until an event matching `pred` arrived after message index `from`. */
  async event(pred: (m: DapMessage) => boolean, from: number, timeoutMs: number): Promise<DapMessage | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.messages.slice(from).find((m) => m.type === 'event' && pred(m));
      if (e || !this.alive) return e;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => { clearTimeout(t); res(); });
      });
    }
  }

  /** Resident set size of the adapter in bytes (Linux /proc/<pid>/status VmRSS). */
  rss(): number {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  }

  /** Peak resident set size in bytes (VmHWM). */
  peakRss(): number {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  }

  async close(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((res) => this.proc.once('exit', () => res()));
    this.proc.kill();
    await exited;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) break;
      const m = /^Content-Length: (\d+)$/.exec(this.buf.subarray(0, end).toString('latin1'));
      if (!m) {
        this.garbage += this.buf.subarray(0, end + 4).toString('utf8');
        this.buf = this.buf.subarray(end + 4);
        continue;
      }
      const n = Number(m[1]);
      if (this.buf.length < end + 4 + n) break;
      const text = this.buf.subarray(end + 4, end + 4 + n).toString('utf8');
      this.buf = this.buf.subarray(end + 4 + n);
      try {
        this.messages.push(JSON.parse(text) as DapMessage);
      } catch {
        this.garbage += text;
      }
    }
    this.wake();
  }
}
