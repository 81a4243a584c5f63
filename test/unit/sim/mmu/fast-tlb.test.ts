// The per-EL fast cache in front of the architectural TLB: TLBI by VA drops only the cached pages
// of the entries it removes (other pages keep hitting in the cache), a removed page is re-walked
// and sees the new descriptor, and dropping the whole TLB (capacity) empties the cache too.
import { strict as assert } from 'node:assert';
import { Tlb } from '../../../../src/sim/mmu/tlb';
import { AF, AP_RW_EL1, SH_INNER, Tables, atEL, attrIndx, machine, setReg, w64 } from './helpers';

const SCTLR_EL1_RES1 = 0x30d00800;
const LEAF = AF | SH_INNER | AP_RW_EL1 | attrIndx(0);

/** EL1, stage 1 on (4 KiB granule, 48-bit VAs), pages 0x10000+i*0x1000 → 0x4100_0000+i*0x1000. */
function setup() {
  const { m, pe } = machine();
  const t = new Tables(m);
  const root0 = t.root({ inBits: 48 });
  const root1 = t.root({ inBits: 48 });
  setReg(pe, 'TCR_EL1', [(16 | (0 << 14) | (16 << 16) | (2 << 30)) >>> 0, 5]);
  setReg(pe, 'MAIR_EL1', [0xff, 0]);
  setReg(pe, 'TTBR0_EL1', root0);
  setReg(pe, 'TTBR1_EL1', root1);
  setReg(pe, 'SCTLR_EL1', SCTLR_EL1_RES1 | 1);
  atEL(pe, 1);
  const leaves: number[] = [];
  for (let i = 0; i < 4; i++) {
    leaves.push(t.map(root0, 0x10000 + i * 0x1000, 0x4100_0000 + i * 0x1000, { inBits: 48, leaf: 3, lo: LEAF }));
    m.mem.write(0x4100_0000 + i * 0x1000, 4, 0xa0 + i);
    m.mem.write(0x4200_0000 + i * 0x1000, 4, 0xb0 + i);
  }
  return { m, pe, leaves, st: m.mmu.state(pe) };
}

describe('MMU fast cache and TLBI', () => {
  it('TLBI VAAE1 drops only the removed page from the fast cache; other pages still hit without the slow path', () => {
    const { m, pe, leaves, st } = setup();
    for (let i = 0; i < 4; i++) assert.equal(pe.read(0x10000 + i * 0x1000, 0, 4, 0), 0xa0 + i);
    // Remap every page; without TLBI all keep the old translation.
    for (let i = 0; i < 4; i++) w64(m, leaves[i], [(0x4200_0000 + i * 0x1000) | LEAF | 3, 0]);
    const slow0 = st.tlbHits + st.walks;
    for (let i = 0; i < 4; i++) assert.equal(pe.read(0x10000 + i * 0x1000, 0, 4, 0), 0xa0 + i, 'stale');
    assert.equal(st.tlbHits + st.walks, slow0, 'all four from the fast cache');
    m.mmu.tlbi(pe, 'VAAE1', 0x11, 0);     // page 0x11000 only
    assert.equal(pe.read(0x11000, 0, 4, 0), 0xb1, 'the invalidated page is re-walked');
    assert.equal(st.walks, 1 + (slow0 - st.tlbHits), 'one walk');
    const slow1 = st.tlbHits + st.walks;
    for (const i of [0, 2, 3]) assert.equal(pe.read(0x10000 + i * 0x1000, 0, 4, 0), 0xa0 + i, 'other pages keep their entries');
    assert.equal(st.tlbHits + st.walks, slow1, 'and stay in the fast cache');
    m.mmu.tlbi(pe, 'VMALLE1', 0, 0);
    for (let i = 0; i < 4; i++) assert.equal(pe.read(0x10000 + i * 0x1000, 0, 4, 0), 0xb0 + i, 'all re-walked');
  });

  it('a TLB dropped at capacity empties the fast cache, so a later TLBI by VA leaves no stale page', () => {
    const { m, pe, leaves } = setup();
    const cap = Tlb.CAPACITY;
    try {
      Tlb.CAPACITY = 2;
      for (let i = 0; i < 3; i++) pe.read(0x10000 + i * 0x1000, 0, 4, 0);   // the third fill clears the TLB
      w64(m, leaves[0], [0x4200_0000 | LEAF | 3, 0]);
      m.mmu.tlbi(pe, 'VAAE1', 0x10, 0);
      assert.equal(pe.read(0x10000, 0, 4, 0), 0xb0);
    } finally {
      Tlb.CAPACITY = cap;
    }
  });
});
