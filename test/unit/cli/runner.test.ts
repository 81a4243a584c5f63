// The pieces behind `armvirt run`: the sliced runner executes exactly what one Machine.run()
// executes (slicing is invisible to the guest), stops at a signal between slices, and the
// output writer buffers as documented (line-buffered on a terminal, per flush otherwise).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildProgram } from '../../../src/cli/experiments';
import { Machine } from '../../../src/sim/machine';
import { FdWriter } from '../../../src/cli/output';
import { peSummary, runSliced, type StopFlag } from '../../../src/cli/runner';
import { StdinFeed } from '../../../src/cli/input';
import { assemble } from '../../../src/asm/assembler';
import { PassThrough } from 'node:stream';

/**
 * The kvm-split virtual-IPI benchmark (256 iterations) on 2 PEs with GICv2, as `armvirt run`
 * builds the machine (no cost profile: one cycle per instruction).
 */
const IPI = buildProgram('kvm-split', 'virtual-ipi', 256);
function ipiMachine(out: string[]): Machine {
  const m = new Machine({ cores: 2, gic: 'v2', output: (b) => out.push(Buffer.from(b).toString('latin1')) });
  m.load(IPI.segments, IPI.entry);
  return m;
}

/** A machine (64 MiB) loaded with an assembly program: `x1` holds the UART's base. */
function uartMachine(body: string): Machine {
  const r = assemble(`_start: movz x1, #0x0900, lsl #16\n${body}\n`, { fileName: 'uart.s' });
  assert.deepStrictEqual(r.errors, []);
  const m = new Machine({ memoryMiB: 64 });
  m.load(r.sections.filter((s) => !s.nobits && s.data.length > 0).map((s) => ({ addr: Number(s.address), data: s.data })), Number(r.entry));
  return m;
}

/** Runs `m` for `n` instructions (several slices) with a stdin stand-in; says whether stdin was opened and what the guest got. */
async function runWithInput(m: Machine, n: number, typed: string): Promise<{ opened: boolean; r: Awaited<ReturnType<typeof runSliced>> }> {
  let opened = false;
  const stdin = new PassThrough();
  stdin.end(typed);
  const feed = new StdinFeed(() => { opened = true; return stdin as unknown as NodeJS.ReadStream; });
  const r = await runSliced(m, n, { signal: null, brokenPipe: false }, [], feed);
  feed.close();
  return { opened, r };
}

describe('armvirt run: sliced runner and output writer', function () {
  this.timeout(120000);

  it('runs a 2-PE hypervisor benchmark (KVM virtual IPI) in slices to the same state, output and exit as one run()', async () => {
    const outA: string[] = [], outB: string[] = [];
    const a = ipiMachine(outA), b = ipiMachine(outB);
    const flag: StopFlag = { signal: null, brokenPipe: false };
    const ra = await runSliced(a, Infinity, flag, []);
    const rb = b.run();
    assert.strictEqual(ra.reason, 'exit');
    assert.deepStrictEqual([ra.reason, ra.exitCode, ra.executed], [rb.reason, rb.exitCode, rb.executed]);
    assert.ok(ra.executed > 200_000, `${ra.executed} instructions: too few to need several slices`);
    assert.strictEqual(outA.join(''), outB.join(''));
    assert.deepStrictEqual(a.digest(), b.digest());
  });

  it('with a cost profile, slices a run into equal instruction counts, never sized by the host clock', async () => {
    // Modelled cycles are fractional: host-timed slice ends changed their rounding, and a Linux KVM
    // hypercall measured 4,930 or 7,354 cycles in two identical runs. Every slice must ask for the
    // same number of instructions, however long it took on the host.
    const m = new Machine({ cores: 2, gic: 'v2', cost: 'xgene-gicv2', cyclesPerTick: 1, output: () => undefined });
    m.load(IPI.segments, IPI.entry);
    const asked: number[] = [];
    const run = m.run.bind(m);
    m.run = (n?: number) => { asked.push(n ?? Infinity); return run(n); };
    const r = await runSliced(m, Infinity, { signal: null, brokenPipe: false }, []);
    assert.strictEqual(r.reason, 'exit');
    assert.ok(asked.length > 3, `${asked.length} slices`);
    assert.deepStrictEqual([...new Set(asked)], [asked[0]], 'one slice length');
  });

  it('stops between slices when a signal has been caught, and --max-insns is exact', async () => {
    const out: string[] = [];
    const m = ipiMachine(out);
    const flag: StopFlag = { signal: null, brokenPipe: false };
    setTimeout(() => { flag.signal = 'SIGINT'; }, 30);
    const r = await runSliced(m, Infinity, flag, []);
    assert.strictEqual(r.reason, 'paused');
    assert.ok(r.executed > 0 && r.executed === m.retired);
    assert.match(peSummary(m.pes), /^CPU0 EL[12] PC=0x[0-9a-f]{16} (running|WFI), CPU1 EL[12] PC=0x[0-9a-f]{16} (running|WFI|off)$/);
    const limited = ipiMachine([]);
    const l = await runSliced(limited, 123_457, { signal: null, brokenPipe: false }, []);
    assert.deepStrictEqual([l.reason, l.executed, limited.retired], ['limit', 123_457, 123_457]);
  });

  it('opens stdin only once the guest looks at the UART\'s receive side (UARTFR, UARTDR or a receive interrupt)', async () => {
    // Prints (writes UARTDR) and loops: never reads its console, so stdin stays closed over many slices.
    const silent = uartMachine('mov w0, #0x41\nstrb w0, [x1]\n1: add x2, x2, #1\nb 1b');
    const s = await runWithInput(silent, 2_000_000, 'ignored\n');
    assert.deepStrictEqual([s.r.reason, s.r.executed], ['limit', 2_000_000]);
    assert.strictEqual(s.opened, false);
    // Polls UARTFR until a byte arrives (RXFE clear), reads it from UARTDR into x3 and loops.
    const polled = uartMachine('1: ldr w0, [x1, #0x18]\ntbnz w0, #4, 1b\nldr w3, [x1]\n2: b 2b');
    const p = await runWithInput(polled, 2_000_000, 'Z');
    assert.strictEqual(p.opened, true);
    assert.strictEqual(polled.pes[0].x[6], 0x5a, 'the byte reached the guest');
    // Unmasks the receive interrupt (UARTIMSC.RXIM) without reading anything.
    const irq = uartMachine('mov w0, #0x10\nstr w0, [x1, #0x38]\n1: b 1b');
    assert.strictEqual((await runWithInput(irq, 1_000_000, '')).opened, true);
  });

  it('buffers output: line by line on a terminal, until flush() otherwise', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-out-'));
    try {
      const file = path.join(dir, 'out');
      const fd = fs.openSync(file, 'w');
      const read = (): string => fs.readFileSync(file, 'latin1');
      const tty = new FdWriter(fd, true);
      tty.write('par');
      tty.write(Uint8Array.of(0x74));
      assert.strictEqual(read(), '');
      tty.write('ial\nnext');
      assert.strictEqual(read(), 'partial\nnext');
      const pipe = new FdWriter(fd, false);
      for (let i = 0; i < 100; i++) pipe.write(`line ${i}\n`);
      assert.strictEqual(read(), 'partial\nnext', 'a pipe writer wrote before flush()');
      pipe.flush();
      assert.ok(read().endsWith('line 99\n'));
      // 64 KiB pending are written without waiting for flush().
      const before = read().length;
      pipe.write(new Uint8Array(1 << 16).fill(0x41));
      assert.strictEqual(read().length, before + (1 << 16));
      fs.closeSync(fd);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
