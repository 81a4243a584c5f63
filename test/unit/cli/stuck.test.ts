// `armvirt run` on a machine that can make no progress: the message on stderr names the pattern
// (vector base register and ESR for an exception loop; "halted" for `b .` with interrupts
// masked), the hint names the option, and the exit code is 125. Spawns `node dist/cli.js`
// (build it first with `npm run build`, as for the DAP tests).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { nodeStartMs } from './node-start';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

function run(source: string, args: string[] = []): { status: number | null; stdout: string; stderr: string; ms: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-stuck-'));
  const file = path.join(dir, 'prog.S');
  fs.writeFileSync(file, source);
  const t0 = Date.now();
  // The timeout only keeps a regression (a machine that spins forever) from hanging the suite.
  const r = spawnSync(process.execPath, [CLI, 'run', ...args, file], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  const ms = Date.now() - t0;
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms };
}

describe('armvirt run: a stuck machine', () => {
  it('a program whose EL2 vector table is missing stops with exit 125, naming VBAR_EL2 and ESR_EL2, and hints --entry-el 1', function () {
    const r = run(`
        .global _start
_start: adr     x0, _start
        msr     vbar_el1, x0        // written for EL1
        svc     #0
        b       .
`);
    // The contract: "stops within 1 s" (wall time), counted beyond what a bare Node.js
    // start costs on this host now (node-start.ts says why).
    const base = nodeStartMs();
    this.test!.title += ` (${r.ms} ms; bare node start ${base.toFixed(0)} ms)`;
    assert.equal(r.status, 125, r.stderr);
    assert.ok(r.ms - base < 1000, `stopped after ${r.ms} ms (bare node start ${base} ms)`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'armvirt: CPU0: instruction abort at EL2 fetching 0x200 (VBAR_EL2 is 0: no vector table installed); ESR_EL2=0x86000010');
    assert.match(r.stderr, /armvirt: the loop began with SVC .* from EL2 \(ELR_EL2=0x4000000c, ESR_EL2=0x56000000\)/);
    assert.match(r.stderr, /armvirt: Did you mean --entry-el 1\?/);
  });

  it('the same program at --entry-el 1 has its vector table: b . in the handler with interrupts masked is "halted"', () => {
    const r = run(`
        .global _start
_start: adr     x0, vectors
        msr     vbar_el1, x0
        svc     #0
        .balign 0x800
vectors:
        .rept   16
        b       .
        .balign 0x80
        .endr
`, ['--entry-el', '1']);
    assert.equal(r.status, 125, r.stderr);
    assert.equal(r.stderr, 'armvirt: CPU0: halted at PC 0x40000a00 (branch to self, interrupts masked)\n');
  });

  it('b . with interrupts masked: "halted", exit 125', () => {
    const r = run(`
        .global _start
_start: mov     x0, #1
        b       .
`);
    assert.equal(r.status, 125);
    assert.equal(r.stderr, 'armvirt: CPU0: halted at PC 0x40000004 (branch to self, interrupts masked)\n');
  });

  it('every PE in WFI with nothing to wake it: exit 125 with the WFI and why', () => {
    const r = run(`
        .global _start
_start: wfi
`);
    assert.equal(r.status, 125);
    assert.equal(r.stderr, 'armvirt: CPU0: waiting in WFI at 0x40000000 with nothing that can wake it (no interrupt pending, no timer armed, interrupts masked)\n');
  });

  it('regression: a PE that does PSCI CPU_OFF and is started again by CPU_ON in the same run() call runs (run() used to spin forever)', () => {
    // CPU_OFF left the PE's stop request set, so its turns executed nothing and never ended; the
    // scheduler now clears it after each slice (it also carries the exception-loop detector's
    // early slice end). A child process, so that a regression fails by the timeout, not hangs.
    const r = run(`
        .equ    UART_DR, 0x09000000
        .global _start
_start: ldr     x0, =0xc4000003     // CPU_ON CPU1 at off1
        mov     x1, #1
        adr     x2, off1
        mov     x3, #0
        smc     #0
1:      ldr     x0, =0xc4000004     // AFFINITY_INFO(CPU1): wait until it is off
        mov     x1, #1
        mov     x2, #0
        smc     #0
        cmp     x0, #1
        b.ne    1b
        ldr     x0, =0xc4000003     // CPU_ON CPU1 again, at say
        mov     x1, #1
        adr     x2, say
        mov     x3, #0
        smc     #0
        wfi
        b       .-4
off1:   ldr     x0, =0x84000002     // CPU_OFF
        smc     #0
        b       .
say:    ldr     x5, =UART_DR
        mov     w6, #'!'
        strb    w6, [x5]
        adr     x1, blk
        mov     x0, #0x18           // SYS_EXIT 7
        hlt     #0xf000
        .balign 8
blk:    .quad   0x20026, 7
`, ['--cores', '2']);
    assert.equal(r.status, 7, r.stderr);
    assert.equal(r.stdout, '!');
  });
});
