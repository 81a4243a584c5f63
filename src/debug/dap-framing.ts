// DAP base-protocol framing for the stand-alone adapter (dist/debugAdapter.js): splits a byte stream
// into messages, `Content-Length: N\r\n\r\n` followed by N bytes of UTF-8 JSON (DAP "Base protocol").
//
// @vscode/debugadapter's own reader (ProtocolServer._handleData) is not robust: a body that is not
// JSON or not an object raises its 'error' event, on which DebugSession shuts the process down; a
// Content-Length of 0, -5 or NaN, or headers ending in LF only, leave it waiting forever. This
// reader never gives up: a bad header or body becomes a FrameError and reading resynchronises on
// the next `Content-Length:` header. It is pure (no streams), so it is unit-tested byte by byte.

/** Largest body accepted (writeMemory of 1 MiB is ~1.4 MB of base64; far below this). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** A header block longer than this without its blank line is garbage, not a header. */
export const MAX_HEADER_BYTES = 4096;

export type Frame =
  | { kind: 'message'; message: Record<string, unknown> }
  /** `seq`/`command` when the bad frame's body still showed which request it was. */
  | { kind: 'error'; error: string; seq?: number; command?: string };

const CL = Buffer.from('content-length:');

export class DapFrameReader {
  private buf = Buffer.alloc(0);
  /** Declared length of the body being read, or -1 while reading a header. */
  private bodyLength = -1;

  /** Adds bytes; returns the frames they complete, in order. */
  push(data: Uint8Array): Frame[] {
    this.buf = this.buf.length === 0 ? Buffer.from(data) : Buffer.concat([this.buf, data]);
    const out: Frame[] = [];
    for (;;) {
      if (this.bodyLength < 0) {
        if (!this.readHeader(out)) break;
      } else if (!this.readBody(out)) {
        break;
      }
    }
    return out;
  }

  /** Whether a body is partly read (the caller may call stale() if no more bytes come). */
  get waitingForBody(): boolean {
    return this.bodyLength >= 0 && this.buf.length > 0;
  }

  /**
   * Called when the input has been idle for a while: a body still waiting for bytes although
   * those it has form a complete JSON value had a Content-Length larger than the message. Without
   * this, a client waiting for the answer and the reader waiting for the rest would wait forever.
   */
  stale(): Frame[] {
    if (!this.waitingForBody || parseJson(this.buf) === undefined) return [];
    const f: Frame = { kind: 'error', error: `framing error: Content-Length ${this.bodyLength} is larger than the message (${this.buf.length} bytes)`, ...identify(this.buf) };
    this.buf = Buffer.alloc(0);
    this.bodyLength = -1;
    return [f];
  }

  /** Parses one header block at the start of the buffer; false when more bytes are needed. */
  private readHeader(out: Frame[]): boolean {
    // Leading blank lines between messages are harmless.
    let skip = 0;
    while (skip < this.buf.length && (this.buf[skip] === 0x0d || this.buf[skip] === 0x0a)) skip++;
    if (skip > 0) this.buf = this.buf.subarray(skip);
    if (this.buf.length === 0) return false;
    const end = headerEnd(this.buf);
    if (end === undefined) {
      if (this.buf.length <= MAX_HEADER_BYTES) return false;
      out.push({ kind: 'error', error: `framing error: no header end (blank line) in the first ${MAX_HEADER_BYTES} bytes` });
      this.resync(1);
      return true;
    }
    const text = this.buf.subarray(0, end.at).toString('latin1');
    let length: number | undefined;
    let problem: string | undefined;
    for (const line of text.split(/\r?\n/)) {
      const m = /^([A-Za-z0-9-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
      if (!m) { problem = `'${clip(line)}' is not a header line`; break; }
      if (m[1].toLowerCase() !== 'content-length') continue; // e.g. Content-Type: ignored
      if (!/^\d{1,10}$/.test(m[2])) { problem = `Content-Length '${clip(m[2])}' is not a length`; break; }
      length = Number(m[2]);
    }
    if (!problem && length === undefined) problem = 'the header has no Content-Length';
    if (!problem && length === 0) problem = 'Content-Length 0: an empty message';
    if (!problem && length! > MAX_BODY_BYTES) problem = `Content-Length ${length} exceeds the limit of ${MAX_BODY_BYTES} bytes`;
    if (problem) {
      // Garbage in front of a header ("xyzContent-Length: 5"): the real header starts inside this block.
      const inner = indexOfHeader(this.buf, 1);
      if (inner > 0 && inner < end.at) {
        out.push({ kind: 'error', error: `framing error: ${problem}` });
        this.buf = this.buf.subarray(inner);
        return true;
      }
      // The body that followed a bad header may still say which request it was.
      const rest = this.buf.subarray(end.at + end.size);
      const next = indexOfHeader(rest, 0);
      const guess = identify(rest.subarray(0, next < 0 ? rest.length : next));
      out.push({ kind: 'error', error: `framing error: ${problem}`, ...guess });
      this.buf = next < 0 ? Buffer.alloc(0) : rest.subarray(next);
      return true;
    }
    this.buf = this.buf.subarray(end.at + end.size);
    this.bodyLength = length!;
    return true;
  }

  /** Takes one body of the declared length; false when more bytes are needed. */
  private readBody(out: Frame[]): boolean {
    const n = this.bodyLength;
    if (this.buf.length < n) {
      // A declared length larger than the real body swallows the next message. Valid JSON never
      // holds a raw line break inside a string, nor the bare word Content-Length outside one, so
      // a header inside the pending bytes after a complete JSON value means the length was wrong.
      const at = indexOfHeader(this.buf, 1);
      if (at > 0 && parseJson(this.buf.subarray(0, at)) !== undefined) {
        const guess = identify(this.buf.subarray(0, at));
        out.push({ kind: 'error', error: `framing error: Content-Length ${n} is larger than the message (${at} bytes)`, ...guess });
        this.buf = this.buf.subarray(at);
        this.bodyLength = -1;
        return true;
      }
      return false;
    }
    const body = this.buf.subarray(0, n);
    this.bodyLength = -1;
    const value = parseJson(body);
    if (value === undefined) {
      // A length shorter than the body leaves its tail in front of the next header: resynchronise.
      const at = indexOfHeader(body, 1);
      out.push({ kind: 'error', error: `framing error: the body is not JSON: '${clip(body.toString('utf8'))}'`, ...identify(body) });
      this.buf = at > 0 ? this.buf.subarray(at) : this.buf.subarray(n);
      if (at <= 0) this.resyncIfGarbage();
      return true;
    }
    this.buf = this.buf.subarray(n);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.push({ kind: 'error', error: `framing error: the body is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not a message object` });
      return true;
    }
    out.push({ kind: 'message', message: value as Record<string, unknown> });
    return true;
  }

  /** Drops bytes up to the next `Content-Length:` at or after `from` (keeping a possible partial one). */
  private resync(from: number): void {
    const at = indexOfHeader(this.buf, from);
    this.buf = at >= 0 ? this.buf.subarray(at) : this.buf.subarray(Math.max(from, this.buf.length - CL.length + 1));
  }

  /** After a cut body, anything before the next header is the rest of that body. */
  private resyncIfGarbage(): void {
    if (this.buf.length === 0) return;
    const c = this.buf[0];
    if (c === 0x0d || c === 0x0a || startsWithHeader(this.buf)) return;
    this.resync(0);
  }
}

/** End of a header block: CRLF CRLF as the protocol says, or LF LF from a lax client. */
function headerEnd(b: Buffer): { at: number; size: number } | undefined {
  const crlf = b.indexOf('\r\n\r\n');
  const lf = b.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return undefined;
  if (lf >= 0 && (crlf < 0 || lf < crlf)) return { at: lf, size: 2 };
  return { at: crlf, size: 4 };
}

/** Index of the next `Content-Length:` (any case) at or after `from`, or -1. */
function indexOfHeader(b: Buffer, from: number): number {
  for (let i = from; i + CL.length <= b.length; i++) {
    if ((b[i] | 0x20) !== 0x63) continue; // 'c'
    let ok = true;
    for (let j = 1; j < CL.length && ok; j++) ok = (b[i + j] | (CL[j] >= 0x61 ? 0x20 : 0)) === CL[j];
    if (ok) return i;
  }
  return -1;
}

function startsWithHeader(b: Buffer): boolean {
  return /^[A-Za-z0-9-]+:/.test(b.subarray(0, 80).toString('latin1'));
}

function parseJson(b: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** seq and command of a request body, if it parses far enough to tell. */
function identify(b: Uint8Array): { seq?: number; command?: string } {
  const v = parseJson(b) as Record<string, unknown> | undefined;
  if (!v || typeof v !== 'object' || v.type !== 'request' || !Number.isSafeInteger(v.seq)) return {};
  return { seq: v.seq as number, command: typeof v.command === 'string' ? v.command : undefined };
}

function clip(s: string): string {
  const t = s.replace(/[\r\n]/g, ' ');
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}
