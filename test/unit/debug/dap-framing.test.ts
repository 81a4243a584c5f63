// DAP base-protocol framing (src/debug/dap-framing.ts): good frames in any chunking, and every
// kind of bad frame reported once, with reading resynchronised on the next header.
import * as assert from 'node:assert';
import { DapFrameReader, MAX_HEADER_BYTES, type Frame } from '../../../src/debug/dap-framing';

const frame = (body: string, header = `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`): string => header + body;
const req = (seq: number, command = 'threads'): string => JSON.stringify({ seq, type: 'request', command });

function read(...chunks: string[]): Frame[] {
  const r = new DapFrameReader();
  return chunks.flatMap((c) => r.push(Buffer.from(c, 'utf8')));
}
const seqs = (fs: Frame[]): number[] => fs.filter((f) => f.kind === 'message').map((f) => (f as { message: Record<string, unknown> }).message.seq as number);
const errors = (fs: Frame[]): Extract<Frame, { kind: 'error' }>[] => fs.filter((f): f is Extract<Frame, { kind: 'error' }> => f.kind === 'error');

describe('debug: DAP framing', () => {
  it('reads well-formed messages whatever the chunking (byte by byte, several per chunk, UTF-8 bodies)', () => {
    const text = frame(req(1)) + frame(JSON.stringify({ seq: 2, type: 'request', command: 'evaluate', arguments: { expression: 'é→x0' } })) + frame(req(3));
    assert.deepStrictEqual(seqs(read(text)), [1, 2, 3]);
    const r = new DapFrameReader();
    const out: Frame[] = [];
    for (const b of Buffer.from(text)) out.push(...r.push(Buffer.from([b])));
    assert.deepStrictEqual(seqs(out), [1, 2, 3]);
    assert.strictEqual(errors(out).length, 0);
  });

  it('accepts other header fields and LF-only header ends', () => {
    const body = req(5);
    assert.deepStrictEqual(seqs(read(`Content-Type: application/vscode-jsonrpc\r\nContent-Length: ${body.length}\r\n\r\n${body}`)), [5]);
    assert.deepStrictEqual(seqs(read(`Content-Length: ${body.length}\n\n${body}`, frame(req(6)))), [5, 6]);
  });

  for (const [name, bad, message] of [
    ['a body that is not JSON', frame('{'), /the body is not JSON: '\{'/],
    ['a body that is plain text', frame('not json'), /not JSON: 'not json'/],
    ['a null body', frame('null'), /the body is null, not a message object/],
    ['an array body', frame('[1,2]'), /an array, not a message object/],
    ['a number body', frame('42'), /a number, not a message object/],
    ['Content-Length 0', 'Content-Length: 0\r\n\r\n', /Content-Length 0/],
    ['a negative Content-Length', 'Content-Length: -5\r\n\r\n', /Content-Length '-5' is not a length/],
    ['Content-Length NaN', 'Content-Length: NaN\r\n\r\n', /'NaN' is not a length/],
    ['a header without Content-Length', 'Content-Type: x\r\n\r\n', /no Content-Length/],
    ['a huge Content-Length', 'Content-Length: 9999999999\r\n\r\n', /exceeds the limit/],
    ['garbage in front of the header', 'xyz\r\n\r\n', /'xyz' is not a header line/],
  ] as const) {
    it(`reports ${name} and reads the next message`, () => {
      const out = read(bad, frame(req(9)));
      assert.strictEqual(errors(out).length, 1, JSON.stringify(out));
      assert.match(errors(out)[0].error, message);
      assert.deepStrictEqual(seqs(out), [9]);
    });
  }

  it('recovers the seq of a request behind a bad Content-Length', () => {
    const out = read(`Content-Length: -5\r\n\r\n${req(41, 'next')}`, frame(req(42)));
    assert.deepStrictEqual(errors(out).map((e) => [e.seq, e.command]), [[41, 'next']]);
    assert.deepStrictEqual(seqs(out), [42]);
  });

  it('a Content-Length larger than the body: reports that message and keeps the next one', () => {
    const out = read(`Content-Length: 500\r\n\r\n${req(51)}${frame(req(52))}`);
    assert.strictEqual(errors(out).length, 1);
    assert.match(errors(out)[0].error, /Content-Length 500 is larger than the message/);
    assert.strictEqual(errors(out)[0].seq, 51);
    assert.deepStrictEqual(seqs(out), [52]);
  });

  it('a Content-Length shorter than the body: reports it and resynchronises on the next header', () => {
    const body = req(61);
    const out = read(`Content-Length: ${body.length - 10}\r\n\r\n${body}`, frame(req(62)));
    assert.strictEqual(errors(out).length >= 1, true);
    assert.deepStrictEqual(seqs(out), [62]);
  });

  it('garbage glued to a header ("xyzContent-Length: …") and unframed text are skipped', () => {
    assert.deepStrictEqual(seqs(read('xyz' + frame(req(71)))), [71]);
    assert.deepStrictEqual(seqs(read('not json at all', frame(req(72)))), [72]);
  });

  it('an endless header is cut at MAX_HEADER_BYTES', () => {
    const out = read('x'.repeat(MAX_HEADER_BYTES + 10), frame(req(81)));
    assert.ok(errors(out).length >= 1);
    assert.match(errors(out)[0].error, /no header end/);
    assert.deepStrictEqual(seqs(out), [81]);
  });
});
