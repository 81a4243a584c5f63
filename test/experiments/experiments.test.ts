// The experiments of the ISCA 2016 paper under the example hypervisors (examples/hyp), with the
// cost model (src/sim/cost). Few iterations: these check behaviour and shape, not the figures.
import * as assert from 'node:assert/strict';
import { Machine } from '../../src/sim/machine';
import { assemble } from '../../src/asm/assembler';
import { CostProfileError, REQUIRED_FIGURES, loadProfile } from '../../src/sim/cost/cost';
import { BENCHMARKS, examplesDir, hypercallBreakdown, makeMachine, runBenchmark, type Hypervisor } from '../../src/cli/experiments';
import { nodeReadFile } from '../../src/asm/assembler';
import * as path from 'node:path';
import type { PE } from '../../src/sim/pe';
import type { Exec } from '../../src/sim/exec';

const HYPS: Hypervisor[] = ['kvm-split', 'kvm-vhe', 'xen-style'];
const IT = 4;

describe('cost model', () => {
  it('keeps cycles == instructions without a profile', () => {
    const r = assemble(['.text', '.global _start', '_start:', 'mov x0, #100', '1: subs x0, x0, #1', 'stp x0, x1, [sp, #-16]!',
      'ldp x0, x1, [sp], #16', 'b.ne 1b', 'isb', 'hvc #0', 'b .'].join('\n'), { fileName: 'loop.s' });
    assert.equal(r.errors.length, 0);
    const m = new Machine({});
    m.load(r.sections.filter((s) => s.flags.alloc && s.size > 0).map((s) => ({ addr: Number(s.address), data: s.data })), Number(r.entry));
    m.pes[0].x[64] = 0x48000000;
    m.run(1000);
    assert.equal(m.pes[0].cycles, m.pes[0].instret);
  });

  it('loads the bundled profiles, every figure with a source', () => {
    for (const name of ['xgene-gicv2', 'armv8.1-vhe']) {
      const p = loadProfile(name);
      for (const k of REQUIRED_FIGURES) assert.ok(p.figures[k].source.length > 10, `${name}: ${k} has a source`);
    }
    assert.throws(() => loadProfile('no-such-profile'), CostProfileError);
  });

  it('the guest\'s counter interval equals the sum of the executed instructions\' modelled cycles', () => {
    // Run the hypercall benchmark; on PE0, add up the cost of every instruction executed after
    // the first timed MRS CNTVCT_EL0 up to and including the second, for the first iteration.
    const first = runBenchmark('kvm-split', 'hypercall', { iterations: 1 });
    const t0 = first.program.symbols.get('bench_t0_hypercall')! + 4;   // TSTAMP = ISB; MRS
    const t1 = first.program.symbols.get('bench_t1_hypercall')! - 4;
    const run = runBenchmarkProbed(t0, t1);
    assert.ok(run.guestDelta > 1000, `guest measured ${run.guestDelta}`);
    // The counter is floor(cycles) at each read; fractional costs (e.g. 2.6-cycle stores) can
    // differ from the exact sum by less than one tick.
    assert.ok(Math.abs(run.summed - run.guestDelta) < 1, `summed ${run.summed}, guest ${run.guestDelta}`);
  });
});

/** Runs kvm-split/hypercall (1 iteration) summing PE0's per-instruction cycles between two PCs. */
function runBenchmarkProbed(t0: number, t1: number): { summed: number; guestDelta: number } {
  let summed = 0, state = 0, guestDelta = 0;
  const r = runBenchmark('kvm-split', 'hypercall', { iterations: 1, maxInstructions: 1 });   // build only
  const m = r.machine;
  m.resetCpu(r.program.entry);
  const pe0 = m.pes[0];
  const inner = pe0.decoder;
  pe0.decoder = (w: number): Exec => {
    const f = inner(w);
    return (p: PE) => {
      if (p.id !== 0) return f(p);
      const pc = p.pcLo, c0 = p.costExtra;
      try { return f(p); } finally {
        const cost = 1 + p.costExtra - c0;
        if (state === 1) summed += cost;
        if (pc === t0 && state === 0) state = 1;
        else if (pc === t1 && state === 1) state = 2;
      }
    };
  };
  m.mem.code.fill(undefined);
  m.run(5_000_000);
  m.mem.read64(0x44200000 + 0x100, 0);   // S_DELTAS[0]: the first measured iteration
  guestDelta = m.mem.out.lo;
  return { summed, guestDelta };
}

describe('experiments (2 PEs, GICv2, each hypervisor\'s default profile)', function () {
  this.timeout(300000);
  const results = new Map<string, ReturnType<typeof runBenchmark>>();
  const get = (h: Hypervisor, b: typeof BENCHMARKS[number]) => {
    const k = `${h}/${b}`;
    if (!results.has(k)) results.set(k, runBenchmark(h, b, { iterations: IT }));
    return results.get(k)!;
  };

  for (const h of HYPS) {
    for (const b of BENCHMARKS) {
      it(`${b} completes under ${h} and reports its cycles`, () => {
        const r = get(h, b);
        assert.ok(r.cycles !== null && r.cycles > 0, `no RESULT line: ${r.output}`);
        assert.equal(r.machine.pes.length, 2);
      });
    }
  }

  for (const h of HYPS) {
    it(`virtual IPI crosses PEs under ${h}`, () => {
      const sgis: { from: number; to: number }[] = [];
      const taken: number[] = [];
      const r = runWithEvents(h, 'virtual-ipi', (m) => {
        m.bus.on('sgiSent', (e) => sgis.push(e));
        m.bus.on('virqTaken', (e) => taken.push(e.pe));
      });
      assert.ok(r.cycles! > 0);
      assert.ok(sgis.filter((s) => s.from === 0 && s.to === 1).length >= IT, 'physical SGIs from PE0 to PE1');
      assert.ok(taken.filter((p) => p === 1).length >= IT, 'virtual interrupts taken on PE1');
    });

    it(`I/O out and in involve the backend on the other PE under ${h}`, () => {
      const outIrqs: number[] = [];
      const o = runWithEvents(h, 'io-latency-out', (m) => {
        m.bus.on('irqTaken', (e) => outIrqs.push(e.pe));
        m.bus.on('virqTaken', (e) => outIrqs.push(e.pe));
      });
      assert.ok(o.cycles! > 0);
      assert.ok(outIrqs.filter((p) => p === 1).length >= IT, 'the backend on PE1 was notified');
      const sgis: { from: number; to: number }[] = [];
      const i = runWithEvents(h, 'io-latency-in', (m) => m.bus.on('sgiSent', (e) => sgis.push(e)));
      assert.ok(i.cycles! > 0);
      assert.ok(sgis.filter((s) => s.from === 1 && s.to === 0).length >= IT, 'the backend on PE1 kicked PE0');
    });
  }

  for (const h of ['kvm-split', 'kvm-vhe'] as Hypervisor[]) {
    it(`${h}: VM switch and I/O go through the host scheduler (thread switches on the right PE)`, () => {
      // cpu_switch_to (examples/hyp/common/sched.inc) runs once per thread switch.
      const switches = (b: typeof BENCHMARKS[number]): number[] => {
        const r = runBenchmark(h, b, { iterations: IT, maxInstructions: 1 });
        const at = r.program.symbols.get('cpu_switch_to')!;
        const n = [0, 0];
        const m = r.machine;
        m.resetCpu(r.program.entry);
        for (const pe of m.pes) {
          const inner = pe.decoder;
          pe.decoder = (w: number): Exec => { const f = inner(w); return (p: PE) => { if (p.pcLo === at) n[p.id]++; return f(p); }; };
        }
        m.mem.code.fill(undefined);
        let out = '';
        m.setOutput((bytes) => { out += Buffer.from(bytes).toString('latin1'); });
        m.run(20_000_000);
        assert.match(out, /RESULT \S+ cycles=\d+/);
        return n;
      };
      // VM switch: each HC_YIELD switches PE0 from one VM's vCPU thread to the other's
      assert.ok(switches('vm-switch')[0] >= 2 * IT, 'vCPU thread switches on PE0');
      // I/O out: the sleeping vhost worker is woken on PE1 (idle → worker → idle) per doorbell
      assert.ok(switches('io-latency-out')[1] >= 2 * IT, 'idle/vhost switches on PE1');
      // I/O in: the backend's signal wakes PE1's kworker, which injects (backend → kworker → backend)
      assert.ok(switches('io-latency-in')[1] >= 2 * IT, 'backend/kworker switches on PE1');
    });
  }

  for (const h of ['kvm-split', 'kvm-vhe'] as Hypervisor[]) {
    it(`${h}: the io-latency-in guest's WFI blocks its vCPU thread (kvm_vcpu_block → schedule() → PE0's idle task)`, () => {
      // Per iteration: the WFI exits (HCR_EL2.TWI), kvm_vcpu_block's schedule() switches PE0 to
      // its idle task (cpu_switch_to with next = idle_task0), and the kick from PE1's kworker
      // wakes the sleeping thread (autoremove_wake_function on PE1) instead of sending a kick IPI
      // to a running guest.
      const r = runBenchmark(h, 'io-latency-in', { iterations: IT, maxInstructions: 1 });
      const sym = (n: string): number => { const a = r.program.symbols.get(n); assert.ok(a !== undefined, n); return a!; };
      const csw = sym('cpu_switch_to'), idle0 = sym('idle_task0'), block = sym('kvm_vcpu_block'), wake = sym('autoremove_wake_function');
      const toIdle = [0, 0], blocks = [0, 0], wakes = [0, 0];
      const m = r.machine;
      m.resetCpu(r.program.entry);
      for (const pe of m.pes) {
        const inner = pe.decoder;
        pe.decoder = (w: number): Exec => {
          const f = inner(w);
          return (p: PE) => {
            if (p.pcLo === csw && p.x[2] === idle0 && p.x[3] === 0) toIdle[p.id]++;
            else if (p.pcLo === block) blocks[p.id]++;
            else if (p.pcLo === wake) wakes[p.id]++;
            return f(p);
          };
        };
      }
      m.mem.code.fill(undefined);
      let out = '';
      m.setOutput((bytes) => { out += Buffer.from(bytes).toString('latin1'); });
      m.run(20_000_000);
      assert.match(out, /RESULT \S+ cycles=\d+/);
      assert.ok(blocks[0] >= IT, `kvm_vcpu_block on PE0: ${blocks[0]}`);
      assert.ok(toIdle[0] >= IT, `switches to PE0's idle task: ${toIdle[0]}`);
      assert.ok(wakes[1] >= IT, `vCPU thread woken from PE1: ${wakes[1]}`);
      assert.equal(blocks[1], 0);
    });
  }

  it('xen-style: VM switch goes through schedule() and context_switch; Dom0\'s backend sees the doorbell at EL0', () => {
    // Counts, per PE, how often execution reaches a label, and at which EL backend_seen runs.
    const visits = (b: typeof BENCHMARKS[number], label: string): { n: number[]; els: Set<number> } => {
      const r = runBenchmark('xen-style', b, { iterations: IT, maxInstructions: 1 });
      const at = r.program.symbols.get(label)!;
      assert.ok(at !== undefined, label);
      const n = [0, 0];
      const els = new Set<number>();
      const m = r.machine;
      m.resetCpu(r.program.entry);
      for (const pe of m.pes) {
        const inner = pe.decoder;
        pe.decoder = (w: number): Exec => { const f = inner(w); return (p: PE) => { if (p.pcLo === at) { n[p.id]++; els.add(p.el); } return f(p); }; };
      }
      m.mem.code.fill(undefined);
      let out = '';
      m.setOutput((bytes) => { out += Buffer.from(bytes).toString('latin1'); });
      m.run(20_000_000);
      assert.match(out, /RESULT \S+ cycles=\d+/);
      return { n, els };
    };
    // every HC_YIELD is a real vCPU context switch on PE0 (Xen's __context_switch)
    assert.ok(visits('vm-switch', '__context_switch').n[0] >= 2 * IT, 'vCPU switches on PE0');
    // each doorbell wakes Dom0 on PE1 (idle → Dom0) and Dom0's kernel returns to its backend process at EL0
    assert.ok(visits('io-latency-out', '__context_switch').n[1] >= IT, 'Dom0 switched in on PE1');
    const seen = visits('io-latency-out', 'backend_seen');
    assert.ok(seen.n[1] >= IT, 'backend saw every doorbell on PE1');
    assert.deepEqual([...seen.els], [0], 'the backend is a user process (EL0)');
  });

  // The paper's Xen hypercall is 17x cheaper than KVM's; ours is ~4.8x because xen-style does Xen
  // 4.5's GICH_HCR read-modify-write on every trap (one GICH read at the profile's 260 cycles):
  // still several times cheaper, since Xen switches no EL1, FP, VGIC or timer state.
  it('shape: the Xen-style hypercall is more than 4x cheaper than KVM split mode', () => {
    const k = get('kvm-split', 'hypercall').cycles!, x = get('xen-style', 'hypercall').cycles!;
    assert.ok(k > 4 * x, `kvm-split ${k}, xen-style ${x}`);
  });

  it('KVM-vhe\'s hypercall is cheaper than KVM-split\'s (several times: no EL1 double switch, no VGIC MMIO)', () => {
    const k = get('kvm-split', 'hypercall').cycles!, v = get('kvm-vhe', 'hypercall').cycles!;
    assert.ok(v < k, `kvm-split ${k}, kvm-vhe ${v}`);
    assert.ok(3 * v < k, `kvm-split ${k}, kvm-vhe ${v}: expected several times cheaper`);
  });

  it('kvm-vhe: the host runs at EL2 with E2H and TGE, and uses the armv8.1-vhe CPU', () => {
    const r = get('kvm-vhe', 'hypercall');
    const pe0 = r.machine.pes[0];
    assert.ok(pe0.features.vhe, 'ID_AA64MMFR1_EL1.VH');
    assert.equal(pe0.el, 2, 'the host (which stops the machine) is at EL2');
    assert.ok(pe0.e2h() && pe0.tge(), 'HCR_EL2.{E2H,TGE} = {1,1} in the host');
  });

  it('shape: a kvm-vhe hypercall switches neither the full EL1 context nor the GICv2 list registers', () => {
    const split = new Map(hypercallBreakdown('kvm-split').map((r) => [r.class, r]));
    const vhe = new Map(hypercallBreakdown('kvm-vhe').map((r) => [r.class, r]));
    const tot = (m: Map<string, { save: number; restore: number }>, c: string): number => m.get(c)!.save + m.get(c)!.restore;
    assert.ok(tot(vhe, 'el1') * 5 < tot(split, 'el1'), `el1: vhe ${tot(vhe, 'el1')}, split ${tot(split, 'el1')}`);
    assert.ok(tot(vhe, 'vgic') < 50, `vgic: vhe ${tot(vhe, 'vgic')} (no list register in use: no GICH access)`);
    assert.equal(tot(vhe, 'timer'), 0);
    assert.equal(tot(vhe, 'fp'), 0);
  });

  it('kvm-vhe switches FP lazily (trap on first use) and keeps each VM\'s FP registers across exits and VM switches', () => {
    // Two VMs on PE0 each hold a value in d5 across a hypercall and a VM switch (HC_YIELD);
    // a mismatch ends the run with 55 (VM0) or 66 (VM1).
    const bench = ['.equ PE1_ROLE, 0', '.equ VM_SWITCH, 1', 'bench_name: .asciz "fp"', '.balign 4',
      'guest_vcpu0:', 'mov x20, #0', '1: fmov d5, x20', 'mov x0, #HC_NOP', 'hvc #0', 'mov x0, #HC_YIELD', 'hvc #0',
      'fmov x1, d5', 'cmp x1, x20', 'b.ne 9f', 'add x20, x20, #1', 'cmp x20, #6', 'b.lo 1b',
      'mov x0, #HC_DONE', 'mov x1, #0', 'hvc #0', '9: mov x0, #HC_DONE', 'mov x1, #55', 'hvc #0',
      'guest_vm1:', 'MOV64 x20, 0x1234', '2: fmov d5, x20', 'mov x0, #HC_YIELD', 'hvc #0', 'fmov x1, d5', 'cmp x1, x20',
      'b.ne 9f', 'b 2b', '9: mov x0, #HC_DONE', 'mov x1, #66', 'hvc #0',
      'bench_irq:', 'backend_seen:', 'backend_main:', 'ret', 'guest_vcpu1:', 'b .'].join('\n');
    const src = ['.equ ITERATIONS, 4', '.include "../hyp/common/kit.inc"', '.include "../bench/common/guest.inc"', bench,
      '.include "../hyp/kvm-vhe/kvm-vhe.S"', ''].join('\n');
    const r = assemble(src, { fileName: path.join(examplesDir(), 'run', 'kvm-vhe-fp.S'), readFile: nodeReadFile });
    assert.deepEqual(r.errors, []);
    const m = makeMachine('kvm-vhe', 'armv8.1-vhe', () => undefined);
    let fpTraps = 0;
    m.bus.on('exceptionEntry', (e) => { if ((e.esr >>> 26) === 0x07) fpTraps++; });
    m.load(r.sections.filter((x) => x.flags.alloc && x.size > 0).map((x) => ({ addr: Number(x.address), data: x.nobits ? new Uint8Array(0) : x.data, memsz: x.size })), Number(r.entry));
    const res = m.run(2_000_000);
    assert.equal(res.reason, 'exit');
    assert.equal(res.exitCode, 0);
    assert.ok(fpTraps >= 2, `FP access traps: ${fpTraps}`);
  });

  for (const h of HYPS) {
    it(`shape: virtual IRQ completion takes no exception under ${h}`, () => {
      const r = runBenchmark(h, 'virtual-irq-completion', { iterations: IT, maxInstructions: 1 });
      const a = r.program.symbols.get('bench_t0_virq_completion')!, b = r.program.symbols.get('bench_t1_virq_completion')!;
      const m = r.machine;
      m.resetCpu(r.program.entry);
      let inWindow = 0, total = 0;
      m.bus.on('exceptionEntry', (e) => { total++; if (e.elr >= a && e.elr < b) inWindow++; });
      let out = '';
      m.setOutput((bytes) => { out += Buffer.from(bytes).toString('latin1'); });
      m.run(5_000_000);
      assert.match(out, /RESULT virtual-irq-completion cycles=\d+/);
      assert.ok(total > 0);
      assert.equal(inWindow, 0);
    });
  }

  it('shape: the VGIC save dominates KVM split mode\'s hypercall breakdown', () => {
    const rows = hypercallBreakdown('kvm-split');
    const cells = rows.flatMap((r) => [{ k: `${r.class}.save`, v: r.save }, { k: `${r.class}.restore`, v: r.restore }]);
    const total = cells.reduce((s, c) => s + c.v, 0);
    const max = cells.reduce((a, c) => (c.v > a.v ? c : a));
    assert.equal(max.k, 'vgic.save');
    assert.ok(max.v > total / 2, `vgic save ${max.v} of ${total}`);
  });
});

function runWithEvents(h: Hypervisor, b: typeof BENCHMARKS[number], attach: (m: Machine) => void): { cycles: number | null } {
  const r = runBenchmark(h, b, { iterations: IT, maxInstructions: 1 });
  const m = r.machine;
  m.resetCpu(r.program.entry);
  attach(m);
  let out = '';
  m.setOutput((bytes) => { out += Buffer.from(bytes).toString('latin1'); });
  m.run(20_000_000);
  const mm = /RESULT \S+ cycles=(\d+)/.exec(out);
  return { cycles: mm ? Number(mm[1]) : null };
}
