// The guest's EL1 virtual timer under each example hypervisor (examples/bench/virtual-timer.S):
// every expiry reaches the guest as virtual INTID 27, through the hypervisor (an IRQ exception to
// EL2 per expiry), with the delivery each real system used — KVM: a list register with HW = 1,
// pINTID 27, the guest's EOI deactivating the physical PPI 27; Xen: vtimer_interrupt
// acknowledges PPI 27 itself (IAR, EOIR, DIR) and injects a plain virtual interrupt — and the
// guest measures a positive, finite latency from the deadline to its handler.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { assemble, nodeReadFile } from '../../src/asm/assembler';
import { HYPERVISORS, examplesDir, makeMachine, programSource, runBenchmark, type Hypervisor } from '../../src/cli/experiments';
import type { Machine } from '../../src/sim/machine';

const IT = 6;
const WARMUP = 2;                      // guest.inc
const EXPECTED = IT + WARMUP;          // timer interrupts the guest takes

interface Trace {
  out: string;
  cycles: number | null;
  order: ('fire' | 'irq-el2' | 'vtaken')[];
  lrWrites: { vintid: number; state: string; hw: boolean; pintid: number }[];
  completed: { vintid: number; hw: boolean; pintid?: number }[];
  /** Physical acknowledges of PPI 27 on PE0 (GICC_IAR read by the hypervisor or host). */
  hostIar27: number;
  /** PPI 27 still active in PE0's physical CPU interface when the guest has finished. */
  activeAtEnd: boolean;
}

function runTraced(h: Hypervisor, extra = '', hook?: (m: Machine) => void): Trace {
  const t: Trace = { out: '', cycles: null, order: [], lrWrites: [], completed: [], hostIar27: 0, activeAtEnd: false };
  let m: Machine;
  if (extra === '') {
    const r = runBenchmark(h, 'virtual-timer', { iterations: IT, maxInstructions: 1 });   // build only
    m = r.machine;
    m.resetCpu(r.program.entry);
  } else {
    const src = extra + programSource(h, 'virtual-timer', IT);
    const r = assemble(src, { fileName: path.join(examplesDir(), 'run', `${h}-virtual-timer-variant.S`), readFile: nodeReadFile });
    assert.deepEqual(r.errors, []);
    m = makeMachine(h, h === 'kvm-vhe' ? 'armv8.1-vhe' : 'xgene-gicv2', () => undefined);
    m.load(r.sections.filter((x) => x.flags.alloc && x.size > 0).map((x) => ({ addr: Number(x.address), data: x.nobits ? new Uint8Array(0) : x.data, memsz: x.size })), Number(r.entry));
  }
  hook?.(m);
  m.bus.on('timerFired', (e) => { if (e.pe === 0 && e.timer === 'CNTV') t.order.push('fire'); });
  m.bus.on('exceptionEntry', (e) => { if (e.pe === 0 && e.kind === 'irq' && e.from === 1 && e.to === 2) t.order.push('irq-el2'); });
  m.bus.on('virqTaken', (e) => { if (e.pe === 0 && e.vintid === 27) t.order.push('vtaken'); });
  m.bus.on('lrWrite', (e) => { if (e.pe === 0) t.lrWrites.push(e); });
  m.bus.on('virqCompleted', (e) => { if (e.pe === 0) t.completed.push(e); });
  m.bus.on('irqTaken', (e) => { if (e.pe === 0 && e.intid === 27) t.hostIar27++; });
  m.setOutput((bytes) => { t.out += Buffer.from(bytes).toString('latin1'); });
  const res = m.run(20_000_000);
  assert.equal(res.reason, 'exit', `machine stopped: ${res.reason}\n${t.out}`);
  assert.equal(res.exitCode, 0, t.out);
  t.activeAtEnd = (m.gic.state.readBits('active', 0, 0) & (1 << 27)) !== 0;
  const mm = /RESULT virtual-timer cycles=(\d+)/.exec(t.out);
  t.cycles = mm ? Number(mm[1]) : null;
  return t;
}

/** Each virtual timer interrupt the guest took was preceded (since the previous one) by an expiry and then an IRQ exception to EL2. */
function assertThroughEl2(order: Trace['order']): void {
  let fired = false, exited = false, n = 0;
  for (const ev of order) {
    if (ev === 'fire') fired = true;
    else if (ev === 'irq-el2') { if (fired) exited = true; }
    else {
      assert.ok(fired && exited, `virtual timer interrupt ${n} not preceded by an expiry and an IRQ exit to EL2`);
      fired = exited = false;
      n++;
    }
  }
  assert.equal(n, EXPECTED);
}

describe('virtual timer: the guest\'s CNTV interrupt delivered by each example hypervisor', function () {
  this.timeout(300000);
  const traces = new Map<Hypervisor, Trace>();
  const get = (h: Hypervisor): Trace => {
    if (!traces.has(h)) traces.set(h, runTraced(h));
    return traces.get(h)!;
  };

  for (const h of HYPERVISORS) {
    it(`${h}: the guest takes every timer interrupt as vINTID 27`, () => {
      const t = get(h);
      assert.match(t.out, new RegExp(`VTIMER irqs=${EXPECTED} other=0\\n`), t.out);
      assert.equal(t.order.filter((e) => e === 'vtaken').length, EXPECTED);
    });

    it(`${h}: each timer interrupt goes through the hypervisor (an IRQ exception to EL2)`, () => {
      const t = get(h);
      assertThroughEl2(t.order);
      assert.ok(t.order.filter((e) => e === 'irq-el2').length >= EXPECTED);
    });

    it(`${h}: the guest measures a positive, finite latency from the deadline to its handler`, () => {
      const t = get(h);
      assert.ok(t.cycles !== null && Number.isFinite(t.cycles), t.out);
      assert.ok(t.cycles! > 0 && t.cycles! < 50_000, `latency ${t.cycles}`);
    });
  }

  for (const h of ['kvm-split', 'kvm-vhe'] as const) {
    it(`${h}: the list register is HW-mapped to PPI 27 and the guest's EOI deactivates it`, () => {
      const t = get(h);
      const pend = t.lrWrites.filter((w) => w.vintid === 27 && w.state === 'pending');
      assert.ok(pend.length >= EXPECTED, `pending LR writes for vINTID 27: ${pend.length}`);
      for (const w of pend) assert.ok(w.hw && w.pintid === 27, `LR for vINTID 27 without HW/pINTID 27: ${JSON.stringify(w)}`);
      const done = t.completed.filter((c) => c.vintid === 27);
      assert.equal(done.length, EXPECTED);
      for (const c of done) assert.ok(c.hw && c.pintid === 27);
      assert.equal(t.activeAtEnd, false, 'PPI 27 left active');
    });
  }

  it('kvm-split: the world switch withdraws PPI 27, so Linux 4.5 injects from kvm_timer_sync_hwstate (no host acknowledge)', () => {
    assert.equal(get('kvm-split').hostIar27, 0);
  });

  it('kvm-vhe: the host takes PPI 27 (kvm_arch_timer_handler) once per expiry', () => {
    assert.equal(get('kvm-vhe').hostIar27, EXPECTED);
  });

  it('xen-style: vtimer_interrupt acknowledges and deactivates PPI 27 and injects a plain virtual interrupt', () => {
    const t = get('xen-style');
    assert.equal(t.hostIar27, EXPECTED);        // each acknowledge needs the previous one deactivated
    assert.equal(t.activeAtEnd, false);
    assert.ok(t.completed.filter((c) => c.vintid === 27).every((c) => !c.hw));
    const pend = t.lrWrites.filter((w) => w.vintid === 27 && w.state === 'pending');
    assert.ok(pend.length >= EXPECTED);
    for (const w of pend) assert.ok(!w.hw, 'Xen 4.5 does not HW-map the virtual timer');
  });

  it('xen-style: a vCPU blocked in WFI is woken by virt_timer_save\'s Xen timer (virt_timer_expired)', () => {
    // The deadline is far enough out that the vCPU is switched out first; the hypervisor's CNTHP
    // timer (PPI 26) then fires, virt_timer_expired injects vINTID 27 and the vCPU is woken.
    const t = runTraced('xen-style', '        .equ VT_WFI, 1\n        .equ VT_DELAY, 60000\n');
    assert.match(t.out, new RegExp(`VTIMER irqs=${EXPECTED} other=0\\n`), t.out);
    assert.ok(t.cycles !== null && t.cycles > 0 && t.cycles < 100_000, `latency ${t.cycles}`);
    assert.equal(t.hostIar27, 0, 'the guest\'s timer is never running on the PE while the vCPU is blocked');
  });

  for (const h of ['kvm-split', 'kvm-vhe'] as const) {
    it(`${h}: a vCPU blocked in WFI (kvm_vcpu_block) is woken by kvm_timer_schedule's hrtimer`, () => {
      // The guest waits in WFI: it traps (TWI), the vCPU thread sleeps with an hrtimer armed for
      // the deadline; the host's own timer PPI (30 at EL1, 26 for the VHE host at EL2) fires on
      // PE0 and the timer code wakes the thread (4.5: through the kvm_arch_timer workqueue).
      const ppi = h === 'kvm-vhe' ? 26 : 30;
      let hostTimerIrqs = 0;
      const t = runTraced(h, '        .equ VT_WFI, 1\n        .equ VT_DELAY, 60000\n', (m) =>
        m.bus.on('irqTaken', (e) => { if (e.pe === 0 && e.intid === ppi) hostTimerIrqs++; }));
      assert.match(t.out, new RegExp(`VTIMER irqs=${EXPECTED} other=0\\n`), t.out);
      assert.ok(t.cycles !== null && t.cycles > 0 && t.cycles < 100_000, `latency ${t.cycles}`);
      assert.ok(hostTimerIrqs >= EXPECTED, `host timer interrupts on PE0: ${hostTimerIrqs}`);
    });
  }

  it('shape: KVM with VHE delivers the virtual timer faster than split mode', () => {
    assert.ok(get('kvm-vhe').cycles! < get('kvm-split').cycles!);
  });
});
