// KernelView (src/debug/kernel-view.ts) on a small machine: the translation regime of each
// EL/HCR_EL2 combination, symbols for kernel VAs and (through their PA) for the nVHE hyp, none for
// guests and user space, the relocated kallsyms base read from guest memory, and where a function
// breakpoint goes. The real kernel is exercised in test/linux/kernel-debug.test.ts.
import * as assert from 'node:assert';
import { Machine } from '../../../src/sim/machine';
import { requiredSlot } from '../../../src/sim/sysregs';
import { Kallsyms, type KallsymsLayout } from '../../../src/debug/kallsyms';
import { KernelView } from '../../../src/debug/kernel-view';

const LOAD = 0x40200000;
const BASE = 0xffff800008010000n;

function setup(): { m: Machine; k: KernelView } {
  const m = new Machine({ cores: 1, memoryMiB: 64 });
  const image = new Uint8Array(0x20000);
  // Image header: the instruction at +4 is B primary_entry (file offset 0x10100).
  new DataView(image.buffer).setUint32(4, (0x14000000 | ((0x10100 - 4) >> 2)) >>> 0, true);
  m.load([{ addr: LOAD, data: image }], LOAD);
  const layout = { relativeBase: 0x1f000 } as KallsymsLayout;
  const syms = new Kallsyms(layout, [
    { offset: 0, type: 'T', name: '_stext' },
    { offset: 0x100, type: 'T', name: 'primary_entry' },
    { offset: 0x200, type: 't', name: 'kvm_vcpu_ioctl' },
    { offset: 0x300, type: 'T', name: '__kvm_nvhe_handle_trap' },
  ]);
  return { m, k: new KernelView(m, syms, LOAD, image) };
}

function setHcr(m: Machine, { vm = 0, tge = 0, e2h = 0 }): void {
  const s = requiredSlot('HCR_EL2') * 2;
  m.pes[0].sys[s] = ((vm ? 1 : 0) | (tge ? 1 << 27 : 0) | 0x80000000) >>> 0;
  m.pes[0].sys[s + 1] = e2h ? 0x4 : 0;
}

describe('kernel view (regimes, kallsyms addresses)', () => {
  it('names the regime of every EL and HCR_EL2 combination', () => {
    const { m, k } = setup();
    const pe = m.pes[0];
    setHcr(m, {});
    assert.deepStrictEqual([k.regime(pe, 2), k.regime(pe, 1), k.regime(pe, 0)], ['hyp', 'kernel', 'user']);
    setHcr(m, { vm: 1 });
    assert.deepStrictEqual([k.regime(pe, 2), k.regime(pe, 1), k.regime(pe, 0)], ['hyp', 'guest', 'guest']);
    setHcr(m, { e2h: 1, tge: 1 });
    assert.deepStrictEqual([k.regime(pe, 2), k.regime(pe, 0)], ['kernel', 'user'], 'VHE host: kernel at EL2, user at EL0');
    setHcr(m, { e2h: 1, vm: 1 });
    assert.deepStrictEqual([k.regime(pe, 2), k.regime(pe, 1)], ['kernel', 'guest'], 'VHE with a guest loaded');
  });

  it('reads the relocated base from guest memory and names kernel VAs, hyp PCs by PA, not guests', () => {
    const { m, k } = setup();
    const pe = m.pes[0];
    setHcr(m, {});
    assert.strictEqual(k.base(), undefined, 'before the kernel relocates itself');
    assert.deepStrictEqual(k.resolve('kvm_vcpu_ioctl'), { pa: LOAD + 0x10200, va: undefined, regime: 'kernel' });
    m.mem.write64(LOAD + 0x1f000, Number(BASE & 0xffffffffn), Number(BASE >> 32n));
    assert.strictEqual(k.base(), BASE);
    assert.deepStrictEqual(k.symbolize(pe, BASE + 0x204n, 1), { name: 'kvm_vcpu_ioctl', delta: 4 });
    assert.strictEqual(k.nameOf(pe, BASE + 0x200n, 1), 'kvm_vcpu_ioctl');
    assert.deepStrictEqual(k.resolve('kvm_vcpu_ioctl'), { pa: LOAD + 0x10200, va: BASE + 0x200n, regime: 'kernel' });
    // EL2 with the MMU off (the hyp stub): the PC is a PA inside the image.
    assert.deepStrictEqual(k.symbolize(pe, BigInt(LOAD + 0x10308), 2), { name: '__kvm_nvhe_handle_trap', delta: 8 });
    assert.strictEqual(k.resolve('__kvm_nvhe_handle_trap')?.regime, 'hyp');
    assert.strictEqual(k.resolve('nonexistent'), undefined);
    setHcr(m, { vm: 1 });
    assert.strictEqual(k.symbolize(pe, BASE + 0x204n, 1), undefined, 'a guest\'s addresses are not the kernel\'s');
  });
});
