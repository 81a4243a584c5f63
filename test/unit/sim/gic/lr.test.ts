// List-register semantics of the virtual CPU interface shared by GICv2 and GICv3 (lr.ts):
// every state transition, HW deactivation, priority masking and preemption, maintenance reasons.
import { strict as assert } from 'node:assert';
import {
  fromV2Lr, HCR_EN, HCR_LRENPIE, HCR_NPIE, HCR_UIE, HCR_VGRP0DIE, HCR_VGRP0EIE, HCR_VGRP1DIE, HCR_VGRP1EIE, LrState, MISR_EOI, MISR_LRENP,
  MISR_NP, MISR_U, MISR_VGRP0D, MISR_VGRP0E, MISR_VGRP1D, MISR_VGRP1E, toV2Lr, VirtualCpuInterface, VMCR_VEOIM, VMCR_VENG0, VMCR_VENG1,
  lrState, type VirtualHost,
} from '../../../../src/sim/gic/lr';

class Host implements VirtualHost {
  virq = false; vfiq = false; maint = false; misr = 0;
  deactivated: number[] = [];
  log: string[] = [];
  deactivatePhysical(_pe: number, pintid: number): void { this.deactivated.push(pintid); }
  setVirtualLines(_pe: number, virq: boolean, vfiq: boolean, maint: boolean, misr: number): void {
    this.virq = virq; this.vfiq = vfiq; this.maint = maint; this.misr = misr;
  }
  events = {
    lrWrite: (_pe: number, lr: number) => { this.log.push(`lrWrite ${lr}`); },
    virqTaken: (_pe: number, lr: number, v: number) => { this.log.push(`taken ${lr} ${v}`); },
    virqCompleted: (_pe: number, lr: number, v: number, how: string, hw: boolean, p: number) => { this.log.push(`done ${lr} ${v} ${how} ${hw ? p : '-'}`); },
  };
}

/** ICH_LR value halves: state, group, priority, vINTID, HW/pINTID, EOI. */
function lr(o: { state: number; grp?: number; prio?: number; vintid: number; hw?: boolean; pintid?: number; eoi?: boolean }): [number, number] {
  const hi = ((o.state << 30) | (o.hw ? 1 << 29 : 0) | ((o.grp ?? 1) << 28) | ((o.prio ?? 0xa0) << 16) | (o.hw ? (o.pintid ?? 0) : 0)
    | (o.eoi ? 1 << 9 : 0)) >>> 0;
  return [o.vintid, hi];
}

function setup(version: 2 | 3 = 3): { v: VirtualCpuInterface; h: Host } {
  const h = new Host();
  const v = new VirtualCpuInterface(0, version, 4, h);
  v.writeHcr(HCR_EN);
  v.writeVmcr((0xf8 << 24) | VMCR_VENG0 | VMCR_VENG1);
  return { v, h };
}

describe('GIC list registers (lr.ts)', () => {
  it('reports QEMU\'s reset values: VTR, VMCR, ELRSR', () => {
    const h = new Host();
    const v3 = new VirtualCpuInterface(0, 3, 4, h);
    assert.equal(v3.vtr(), 0x90b80003);
    assert.equal(v3.vmcr, 0x004c0008);
    assert.equal(v3.elrsr(), 0xf);
    const v2 = new VirtualCpuInterface(0, 2, 4, h);
    assert.equal(v2.vtr(), 0x90000003);
    assert.equal(v2.vmcr, 0x004c0000);
  });

  it('masks LR writes: priority RES0 bits, NMI and reserved fields', () => {
    const { v } = setup();
    v.writeLr(0, 0xffffffff, 0xffffffff);
    assert.equal(v.lrHi[0], 0xf0f81fff);
    assert.equal(v.lrLo[0], 0xffffffff);
  });

  it('converts GICH_LR <-> ICH_LR layout losslessly (bits 22:20 reserved)', () => {
    for (const w of [0xffffffff, 0x98005c17, 0x1908002a, 0x1a000803, 0x00000000, 0x4a5aa5a5]) {
      const { lo, hi } = fromV2Lr(w);
      assert.equal(toV2Lr(lo, hi), (w & ~0x00700000) >>> 0, w.toString(16));
    }
    assert.equal(toV2Lr(fromV2Lr(0xffffffff).lo, fromV2Lr(0xffffffff).hi), 0xff8fffff);
  });

  it('invalid -> pending asserts vIRQ (Group 1) or vFIQ (Group 0)', () => {
    const { v, h } = setup();
    assert.equal(h.virq, false);
    v.writeLr(0, ...lr({ state: LrState.Pending, vintid: 27 }));
    assert.equal(h.virq, true);
    assert.equal(v.elrsr(), 0xe);
    v.writeLr(0, ...lr({ state: LrState.Pending, grp: 0, vintid: 27 }));
    assert.equal(h.virq, false);
    assert.equal(h.vfiq, true);
  });

  it('GICv2 signals virtual Group 0 as vIRQ unless VMFIQEn', () => {
    const { v, h } = setup(2);
    v.writeLr(0, ...lr({ state: LrState.Pending, grp: 0, vintid: 5 }));
    assert.equal(h.virq, true);
    v.writeVmcr(v.vmcr | 8);
    assert.equal(h.vfiq, true);
    assert.equal(h.virq, false);
  });

  it('does not signal with ICH_HCR.En = 0, the group disabled, or priority >= VPMR', () => {
    const { v, h } = setup();
    v.writeLr(0, ...lr({ state: LrState.Pending, prio: 0xa0, vintid: 30 }));
    assert.equal(h.virq, true);
    v.writeHcr(0);
    assert.equal(h.virq, false);
    v.writeHcr(HCR_EN);
    v.writeGroupEnable(1, false);
    assert.equal(h.virq, false);
    assert.equal(v.acknowledge(1), 1023);
    v.writeGroupEnable(1, true);
    v.writePmr(0xa0);
    assert.equal(h.virq, false, 'priority 0xa0 is masked by VPMR 0xa0');
    assert.equal(v.acknowledge(1), 1023);
    v.writePmr(0xa8);
    assert.equal(h.virq, true);
  });

  it('acknowledge: pending -> active, sets the active priority, drops vIRQ', () => {
    const { v, h } = setup();
    v.writeLr(1, ...lr({ state: LrState.Pending, prio: 0x80, vintid: 44 }));
    assert.equal(v.highestPending(1), 44);
    assert.equal(v.highestPending(0), 1023);
    assert.equal(v.acknowledge(0), 1023, 'wrong group');
    assert.equal(v.acknowledge(1), 44);
    assert.equal(lrState(v.lrHi[1]), LrState.Active);
    assert.equal(v.ap1, 1 << (0x80 >> 3));
    assert.equal(v.runningPriority(), 0x80);
    assert.equal(h.virq, false);
    assert.deepEqual(h.log.slice(-1), ['taken 1 44']);
  });

  it('EOI: active -> invalid, priority dropped, LR free again', () => {
    const { v, h } = setup();
    v.writeLr(0, ...lr({ state: LrState.Pending, prio: 0x80, vintid: 44 }));
    v.acknowledge(1);
    v.endOfInterrupt(44, 1);
    assert.equal(lrState(v.lrHi[0]), LrState.Invalid);
    assert.equal(v.ap1, 0);
    assert.equal(v.runningPriority(), 0xff);
    assert.equal(v.elrsr(), 0xf);
    assert.deepEqual(h.log.slice(-1), ['done 0 44 eoi -']);
  });

  it('pending+active is not signalled; EOI leaves it pending and signals again', () => {
    const { v, h } = setup();
    v.writeLr(0, ...lr({ state: LrState.PendingActive, prio: 0x80, vintid: 27 }));
    assert.equal(h.virq, false);
    assert.equal(v.hppiIndex(), -1);
    v.writeAp(1, 1 << (0x80 >> 3));           // as after the guest's acknowledge
    v.endOfInterrupt(27, 1);
    assert.equal(lrState(v.lrHi[0]), LrState.Pending);
    assert.equal(h.virq, true);
  });

  it('active -> pending+active when the hypervisor re-injects, then active again on acknowledge', () => {
    const { v } = setup();
    v.writeLr(0, ...lr({ state: LrState.Pending, prio: 0x80, vintid: 27 }));
    v.acknowledge(1);
    v.writeLr(0, v.lrLo[0], (v.lrHi[0] | (1 << 30)) >>> 0);
    assert.equal(lrState(v.lrHi[0]), LrState.PendingActive);
    v.endOfInterrupt(27, 1);
    assert.equal(lrState(v.lrHi[0]), LrState.Pending);
    assert.equal(v.acknowledge(1), 27);
    assert.equal(lrState(v.lrHi[0]), LrState.Active);
  });

  it('HW = 1: EOI deactivates the physical INTID; no EOI maintenance', () => {
    const { v, h } = setup();
    v.writeLr(2, ...lr({ state: LrState.Pending, prio: 0x80, vintid: 27, hw: true, pintid: 27 }));
    v.acknowledge(1);
    v.endOfInterrupt(27, 1);
    assert.deepEqual(h.deactivated, [27]);
    assert.equal(v.eisr(), 0);
    assert.equal(v.elrsr(), 0xf);
    assert.deepEqual(h.log.slice(-1), ['done 2 27 eoi 27']);
  });

  it('HW = 0, EOI = 1: EOI sets EISR and MISR.EOI, raises maintenance; ELRSR stays clear', () => {
    const { v, h } = setup();
    v.writeLr(1, ...lr({ state: LrState.Pending, prio: 0x90, vintid: 42, eoi: true }));
    v.acknowledge(1);
    assert.equal(h.maint, false);
    v.endOfInterrupt(42, 1);
    assert.equal(v.eisr(), 2);
    assert.equal(v.elrsr() & 2, 0);
    assert.equal(v.misr() & MISR_EOI, MISR_EOI);
    assert.equal(h.maint, true);
    v.writeLr(1, 0, 0);
    assert.equal(h.maint, false);
    assert.deepEqual(h.deactivated, []);
  });

  it('VEOIM = 1: EOI only drops priority; DIR deactivates (with HW), DIR ignored when VEOIM = 0', () => {
    const { v, h } = setup();
    v.writeVmcr(v.vmcr | VMCR_VEOIM);
    v.writeLr(0, ...lr({ state: LrState.Pending, prio: 0x80, vintid: 33, hw: true, pintid: 40 }));
    v.acknowledge(1);
    v.endOfInterrupt(33, 1);
    assert.equal(v.ap1, 0);
    assert.equal(lrState(v.lrHi[0]), LrState.Active);
    v.deactivate(33);
    assert.equal(lrState(v.lrHi[0]), LrState.Invalid);
    assert.deepEqual(h.deactivated, [40]);
    v.writeVmcr(v.vmcr & ~VMCR_VEOIM);
    v.writeLr(0, ...lr({ state: LrState.Active, prio: 0x80, vintid: 33 }));
    v.deactivate(33);
    assert.equal(lrState(v.lrHi[0]), LrState.Active);
  });

  it('EOI or DIR of an INTID in no LR increments EOIcount (LRENP with LRENPIE); EOI without active priority is ignored', () => {
    const { v, h } = setup();
    v.endOfInterrupt(77, 1);
    assert.equal(v.eoiCount(), 0, 'no active priority: ignored');
    v.writeAp(1, 1);
    v.endOfInterrupt(77, 1);
    assert.equal(v.eoiCount(), 1);
    assert.equal(v.misr() & MISR_LRENP, 0);
    v.writeHcr(v.hcr | HCR_LRENPIE);
    assert.equal(v.misr() & MISR_LRENP, MISR_LRENP);
    assert.equal(h.maint, true);
    v.writeVmcr(v.vmcr | VMCR_VEOIM);
    v.deactivate(78);
    assert.equal(v.eoiCount(), 2);
  });

  it('maintenance reasons U, NP, VGrp0E/D, VGrp1E/D', () => {
    const { v } = setup();
    v.writeHcr(HCR_EN | HCR_UIE);
    assert.equal(v.misr(), MISR_U);
    v.writeLr(0, ...lr({ state: LrState.Pending, vintid: 1 }));
    assert.equal(v.misr(), MISR_U, 'one valid LR is still underflow');
    v.writeLr(1, ...lr({ state: LrState.Active, vintid: 2 }));
    assert.equal(v.misr(), 0);
    v.writeHcr(HCR_EN | HCR_NPIE);
    assert.equal(v.misr(), 0);
    v.writeLr(0, 0, 0);
    assert.equal(v.misr(), MISR_NP);
    v.writeHcr(HCR_EN | HCR_VGRP0EIE | HCR_VGRP0DIE | HCR_VGRP1EIE | HCR_VGRP1DIE);
    assert.equal(v.misr(), MISR_VGRP0E | MISR_VGRP1E);
    v.writeVmcr(v.vmcr & ~(VMCR_VENG0 | VMCR_VENG1));
    assert.equal(v.misr(), MISR_VGRP0D | MISR_VGRP1D);
  });

  it('preemption uses the group priority (VBPR1) against the running priority', () => {
    const { v, h } = setup();
    v.writeLr(0, ...lr({ state: LrState.Pending, prio: 0x40, vintid: 10 }));
    v.acknowledge(1);
    v.writeLr(1, ...lr({ state: LrState.Pending, prio: 0x40, vintid: 11 }));
    assert.equal(h.virq, false, 'same priority does not preempt');
    v.writeLr(1, ...lr({ state: LrState.Pending, prio: 0x20, vintid: 11 }));
    assert.equal(h.virq, true, 'higher priority preempts with VBPR1 = 3 (group priority [7:3])');
    v.writeBpr(1, 7);
    assert.equal(v.readBpr(1), 7);
    assert.equal(h.virq, false, 'with VBPR1 = 7 only bit 7 is group priority: 0x20 and 0x40 are equal');
  });

  it('an LR holding a special INTID goes pending -> invalid on acknowledge and returns it', () => {
    const { v } = setup();
    v.writeLr(0, ...lr({ state: LrState.Pending, vintid: 1023 }));
    assert.equal(v.acknowledge(1), 1023);
    assert.equal(lrState(v.lrHi[0]), LrState.Invalid);
  });

  it('GICv2: GICV_IAR returns the SGI source CPUID, AckCtl gates Group 1', () => {
    const { v } = setup(2);
    const { lo, hi } = fromV2Lr((1 << 28) | (0x14 << 23) | (2 << 10) | 3);
    v.writeLr(0, lo, hi);
    assert.equal(v.highestPending(-1), 3);
    assert.equal(v.acknowledge(-1), 0x803);
    v.endOfInterrupt(0x803, -1);
    assert.equal(v.elrsr(), 0xf);
    const g1 = fromV2Lr((1 << 30) | (1 << 28) | 7);
    v.writeLr(1, g1.lo, g1.hi);
    assert.equal(v.acknowledge(-1), 1022);
    v.writeVmcr(v.vmcr | 4);
    assert.equal(v.acknowledge(-1), 7);
  });

  it('VMCR writes: BPRs clamp to their minimum, GICv3 VFIQEn reads as one', () => {
    const { v } = setup();
    v.writeVmcr(0);
    assert.equal(v.vbpr(0), 2);
    assert.equal(v.vbpr(1), 3);
    assert.equal(v.vmcr & 8, 8);
    const v2 = setup(2).v;
    v2.writeVmcr(0xffffffff);
    assert.equal(v2.vmcr, 0xf8fc021f);
  });
});
