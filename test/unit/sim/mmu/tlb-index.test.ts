// The architectural TLB's TLBI indexes (by context, ASID and stage-1 block) must remove exactly
// the entries the matching rule of DDI0487 D8.13 covers. A seeded random sequence of inserts and
// TLBI operations is run on the Tlb and on a plain list filtered entry by entry; after every
// operation both must hold the same entries, and each TLBI must report the same count.
import { strict as assert } from 'node:assert';
import { Tlb, type TlbiScope, type TlbEntry } from '../../../../src/sim/mmu/tlb';
import { type Ctx, Regime } from '../../../../src/sim/mmu/regime';
import type { WalkResult } from '../../../../src/sim/mmu/walk';

const TWO20 = 1048576;

/** A small deterministic PRNG (xorshift32). */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
}

interface Ref { regime: Regime; stages: number; vmid: number; asid: number; global: boolean; vpn: number; shift: number }

function key(e: Ref): string { return `${e.regime}/${e.stages}/${e.vmid}/${e.asid}/${e.global}/${e.vpn}/${e.shift}`; }

/** The matching rule written out independently of the Tlb. */
function covers(e: Ref, s: TlbiScope): boolean {
  if (!s.regimes.includes(e.regime)) return false;
  if (e.regime === Regime.EL10 && s.vmid !== undefined && e.vmid !== s.vmid) return false;
  if (e.global && s.nonGlobalOnly) return false;
  if (!e.global && s.asid !== undefined && e.asid !== s.asid) return false;
  if (s.vpn !== undefined) {
    const blockPages = 2 ** (e.shift - 12);
    return Math.floor(e.vpn / blockPages) === Math.floor(s.vpn / blockPages);
  }
  return true;
}

function ctxOf(regime: Regime, vmid: number, asid: number, s2: boolean): Ctx {
  return {
    regime, el: 1, s1: true, s2, s1only: false, twoRanges: regime !== Regime.EL2, sctlr: 1, tcrLo: 0, tcrHi: 0,
    ttbr0Lo: 0, ttbr0Hi: asid << 16, ttbr1Lo: 0, ttbr1Hi: 0, mairLo: 0, mairHi: 0, hcrLo: 0, hcrHi: 0,
    vtcr: 0, vttbrLo: 0, vttbrHi: 0, vmid, paBits: 48, pan: false, dc: false, ptw: false, asid16: false,
  };
}

function walkOf(ng: boolean, shift: number, s2: boolean): WalkResult {
  return {
    fault: null, ipa: 0x4000_0000, pa: 0x4000_0000, steps: null,
    s1: { ng, shift, ap: 0, uxn: false, pxn: false } as unknown as WalkResult['s1'],
    s2: s2 ? { s2ap: 3, xn: false } as unknown as WalkResult['s2'] : null,
  };
}

function refOf(e: TlbEntry): Ref {
  return { regime: e.regime, stages: e.stages, vmid: e.vmid, asid: e.asid, global: e.global, vpn: e.vpn, shift: e.shift };
}

describe('TLB indexes (TLBI removes exactly the covered entries)', () => {
  // Sweep 4: emptied buckets and index sets are swept every few removals (Tlb.sweep).
  for (const [seed, sweep] of [[1, 0], [7, 0], [12345, 0], [99, 4]]) {
    it(`random inserts and TLBIs agree with an entry-by-entry filter (seed ${seed}${sweep ? `, sweep after ${sweep} emptied` : ''})`, () => {
      const r = rng(seed);
      const saved = Tlb.SWEEP_AFTER;
      if (sweep) Tlb.SWEEP_AFTER = sweep;
      after(() => { Tlb.SWEEP_AFTER = saved; });
      const tlb = new Tlb();
      let ref = new Map<string, Ref>();
      const shifts = [12, 12, 21, 30];
      // A few VA regions so that blocks and pages overlap: pages within two 1 GiB blocks.
      const vpnAt = (): number => (r(2) ? 0x40000 : 0x7ff_fffc0000 % 2 ** 44) + r(1024);
      let removedTotal = 0;
      for (let step = 0; step < 4000; step++) {
        if (r(3) !== 0) {
          const regime = [Regime.EL10, Regime.EL10, Regime.EL2, Regime.EL20][r(4)];
          const vmid = regime === Regime.EL10 ? r(3) : 0;
          const asid = regime === Regime.EL2 ? 0 : r(3);
          const s2 = regime === Regime.EL10 && r(4) === 0;
          const ng = regime !== Regime.EL2 && r(2) === 0;
          const shift = shifts[r(4)];
          const vpn = vpnAt();
          const ctx = ctxOf(regime, vmid, asid, s2);
          const e = tlb.insert(ctx, (vpn % TWO20) * 4096, Math.floor(vpn / TWO20), walkOf(ng, shift, s2));
          const re = refOf(e);
          // Same tags replace: one entry per (page, regime, stages, VMID, ASID, global).
          for (const [k, o] of ref) {
            if (o.vpn === re.vpn && o.regime === re.regime && o.stages === re.stages && o.vmid === re.vmid && o.asid === re.asid && o.global === re.global) ref.delete(k);
          }
          ref.set(key(re), re);
        } else {
          const vmid = r(3), asid = r(3), vpn = vpnAt();
          const scopes: TlbiScope[] = [
            { regimes: [Regime.EL10], vmid },
            { regimes: [Regime.EL10], vmid, vpn, asid },
            { regimes: [Regime.EL10], vmid, vpn },
            { regimes: [Regime.EL10], vmid, asid, nonGlobalOnly: true },
            { regimes: [Regime.EL10] },
            { regimes: [Regime.EL2, Regime.EL20] },
            { regimes: [Regime.EL20], vpn, asid },
            { regimes: [Regime.EL20], vmid, asid, nonGlobalOnly: true },
            { regimes: [Regime.EL2], vpn },
          ];
          const s = scopes[r(scopes.length)];
          const expect = [...ref.values()].filter((e) => covers(e, s));
          const n = tlb.invalidate(s);
          assert.equal(n, expect.length, `count removed by ${JSON.stringify(s)} at step ${step}`);
          removedTotal += n;
          const next = new Map<string, Ref>();
          for (const [k, e] of ref) if (!covers(e, s)) next.set(k, e);
          ref = next;
        }
        assert.equal(tlb.size, ref.size, `size at step ${step}`);
        // Lookups see exactly the entries held (emptied buckets left in place find nothing).
        const probe = vpnAt(), pctx = ctxOf(Regime.EL2, 0, 0, false);
        const want = [...ref.values()].some((e) => e.vpn === probe && e.regime === Regime.EL2);
        assert.equal(tlb.lookup(pctx, (probe % TWO20) * 4096, Math.floor(probe / TWO20)) !== null, want, `lookup at step ${step}`);
      }
      const got = tlb.entries().map((e) => key(refOf(e))).sort();
      assert.deepEqual(got, [...ref.keys()].sort());
      assert.ok(removedTotal > 100, 'the sequence exercised removals');
    });
  }

  it('TLBI by VA removes a 2 MiB block entry filled at another page of the block, and only that block', () => {
    const tlb = new Tlb();
    const ctx = ctxOf(Regime.EL2, 0, 0, false);
    tlb.insert(ctx, 0x4020_0000 + 0x5000, 0, walkOf(false, 21, false)); // block 0x4020_0000
    tlb.insert(ctx, 0x4040_0000 + 0x5000, 0, walkOf(false, 21, false)); // next block
    assert.equal(tlb.invalidate({ regimes: [Regime.EL2], vpn: 0x403ff }), 1); // last page of the first block
    assert.deepEqual(tlb.entries().map((e) => e.vpn), [0x40405]);
  });

  it('snapshots rebuild the indexes (a TLBI after loadRaw still finds entries)', () => {
    const tlb = new Tlb();
    const ctx = ctxOf(Regime.EL10, 1, 2, false);
    tlb.insert(ctx, 0x1000, 0, walkOf(true, 12, false));
    tlb.insert(ctx, 0x20_0000, 0, walkOf(false, 21, false));
    const raw = tlb.saveRaw();
    const t2 = new Tlb();
    t2.loadRaw(raw);
    assert.equal(t2.invalidate({ regimes: [Regime.EL10], vmid: 1, asid: 2, nonGlobalOnly: true }), 1);
    assert.equal(t2.invalidate({ regimes: [Regime.EL10], vmid: 1, vpn: 0x3ff }), 1);
    assert.equal(t2.size, 0);
    assert.equal(tlb.size, 2, 'the saved TLB is unaffected');
  });
});
