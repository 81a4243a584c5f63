// Machine snapshots (src/sim/snapshot.ts): restore gives back exactly the digested state,
// copy-on-write keeps a snapshot's memory while the machine writes on, and re-execution from a
// snapshot is deterministic whatever the run slicing (the basis of reverse execution).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Machine } from '../../../../src/sim/machine';
import { loadProgram } from '../../../../src/asm/program';

// Each PE: per-PE stores (COW), an LDXR/STXR counter shared by all PEs (interleaving-sensitive),
// HVC round trips to EL2, UART output, a timer and GIC distributor writes. PE 0 starts PE 1 with
// PSCI CPU_ON (SMC); on one core the call just fails.
const SOURCE = `
        .text
        .global _start
_start:
        ldr     x0, =0xc4000003
        mov     x1, #1
        adr     x2, common
        mov     x3, #0
        smc     #0
common:
        adr     x0, vectors
        msr     vbar_el2, x0
        mrs     x19, mpidr_el1
        and     x19, x19, #0xff
        ldr     x20, =0x40100000
        add     x21, x20, x19, lsl #12
        ldr     x22, =0x40200000
        mov     x23, #0
        mov     x0, #5000
        msr     cnthp_tval_el2, x0
        mov     x0, #1
        msr     cnthp_ctl_el2, x0
        ldr     x4, =0x08000000
        mov     w5, #0x10
        str     w5, [x4]
loop:
        and     x1, x23, #0x1ff
        str     x23, [x21, x1, lsl #3]
1:      ldxr    x2, [x22]
        add     x2, x2, #1
        stxr    w3, x2, [x22]
        cbnz    w3, 1b
        tst     x23, #63
        b.ne    2f
        hvc     #5
        ldr     x4, =0x09000000
        mov     w5, #46
        strb    w5, [x4]
2:      add     x23, x23, #1
        b       loop
patchme:
        mov     x1, #7
        b       .

        .balign 0x800
vectors:
        .space  0x200
        add     x24, x24, #1
        eret
`;

let file: string;
before(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-snap-'));
  file = path.join(dir, 'snap.s');
  fs.writeFileSync(file, SOURCE);
});

function boot(cores: number, quantum?: number): Machine {
  const p = loadProgram(file);
  const m = new Machine({ cores, quantum, output: () => undefined });
  m.load(p.segments, p.entry);
  return m;
}

for (const cores of [1, 2]) {
  describe(`machine snapshots (${cores} PE${cores > 1 ? 's' : ''})`, () => {
    it('restore gives back the digested state, and re-execution repeats it', () => {
      const m = boot(cores, 100);
      m.run(20_000);
      const d0 = m.digest();
      const s = m.snapshot();
      m.run(30_000);
      const d1 = m.digest();
      assert.notEqual(d1.all, d0.all);
      assert.notEqual(d1.memory, d0.memory);
      m.restore(s);
      assert.deepEqual(m.digest(), d0);
      m.run(30_000);
      assert.deepEqual(m.digest(), d1);
    });

    it('copy-on-write: writes after a snapshot do not change it', () => {
      const m = boot(cores);
      m.run(5_000);
      const s = m.snapshot();
      const idx = (0x40100000 - m.mem.ramBase) / 4096;
      const k = Array.from(s.pageIdx).indexOf(idx);
      assert.ok(k >= 0, 'the data page is in the snapshot');
      const before = Buffer.from(new Uint8Array(s.pages[k].buffer, s.pages[k].byteOffset, 4096)).toString('hex');
      m.mem.write(0x40100000, 4, 0xdeadbeef);
      m.mem.write64(0x40100008, 1, 2);
      m.mem.load(0x40100010, Uint8Array.of(1, 2, 3));
      m.run(20_000);
      assert.equal(Buffer.from(new Uint8Array(s.pages[k].buffer, s.pages[k].byteOffset, 4096)).toString('hex'), before);
      assert.notEqual(m.mem.pages[idx], s.pages[k]);
      assert.equal(m.mem.read(0x40100000, 4) === 0xdeadbeef, false, 'the guest overwrote the debugger write');
    });

    it('re-execution does not depend on how runs are sliced (pauses, limits)', () => {
      const a = boot(cores, 250);
      a.run(100_000);
      const b = boot(cores, 250);
      let left = 100_000;
      let i = 1;
      while (left > 0) {
        const n = Math.min(left, (i * 7919) % 1777 + 1);
        b.run(n);
        left -= n;
        i++;
        if (i % 5 === 0) b.run(0);
      }
      assert.equal(b.retired, a.retired);
      assert.deepEqual(b.digest(), a.digest());
    });
  });
}

describe('machine snapshots: decoded instructions', () => {
  it('drops decoded instructions of pages whose contents changed', () => {
    const m = boot(1);
    const p = loadProgram(file);
    const patch = p.symbols.find((s) => s.name === 'patchme')!.value;
    const pe = m.pes[0];
    m.run(1000);
    const s = m.snapshot();
    // Decode the original instruction, then patch it (mov x1, #42) and decode that too.
    const runAt = (): number => { pe.pcLo = patch; pe.pcHi = 0; pe.resumeMidBlock = false; m.stepInstruction(pe); return pe.x[2]; };
    assert.equal(runAt(), 7);
    m.mem.write(patch, 4, 0xd2800541);
    assert.equal(runAt(), 42);
    m.restore(s);
    assert.equal(runAt(), 7);
  });
});
