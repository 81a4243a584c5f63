// Guest input from stdin: `armvirt run` hands stdin's bytes to the PL011 (SPI 33). An
// interrupt-driven echo guest sleeps in WFI between bytes; the CLI waits for input rather than
// reporting a deadlock while stdin is open and the guest has unmasked the receive interrupt, and
// reports the deadlock (exit 125) once stdin has ended.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ensureBuilt, startCli } from './helpers';

const ECHO = path.join(__dirname, '../../../examples/el1-uart-echo.S');

function waitFor(stream: NodeJS.ReadableStream, re: RegExp, ms: number): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${re}; got ${JSON.stringify(text)}`)), ms);
    stream.on('data', (b: Buffer) => {
      text += b.toString();
      if (re.test(text)) { clearTimeout(t); resolve(text); }
    });
  });
}

describe('armvirt run: stdin feeds the PL011', function () {
  this.timeout(60_000);
  let file: string;
  before(() => {
    ensureBuilt();
    file = ECHO;
  });

  it('echoes each line typed while the guest sleeps, then exits when told', async () => {
    const p = startCli(['run', file]);
    const exit = new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
    const first = waitFor(p.stdout, /bcd\n/, 20_000);
    p.stdin.write('abc\n');
    assert.equal(await first, 'bcd\n');
    assert.equal(p.exitCode, null, 'still running, waiting for more input');
    const second = waitFor(p.stdout, /IBM\n/, 20_000);
    p.stdin.write('HAL\n');
    await second;
    p.stdin.write('q');
    assert.equal(await exit, 7);
  });

  it('when stdin ends the sleeping guest is reported as a deadlock (exit 125)', async () => {
    const p = startCli(['run', file]);
    let err = '';
    p.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const exit = new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
    p.stdin.end('xy\n');
    assert.equal(await exit, 125);
    assert.match(err, /waiting in WFI/);
  });
});
