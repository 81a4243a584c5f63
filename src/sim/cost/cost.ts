// The cost accounting: installs a profile (profile.ts) on a machine.
//
//   static costs   a decoder that wraps each decoded executor whose cost is not one cycle, so the
//                  run loop stays unchanged: the wrapper adds (cost - 1) to pe.costExtra before
//                  executing. Without a profile nothing is wrapped (cycles == instructions).
//   dynamic costs  exception entry / ERET (PE funnel), MMIO accesses (PhysicalMemory.onMmio),
//                  TLB-miss walk steps (mmu.ts), IPI delivery latency (pe.irqArrival, set here
//                  from the GIC's sgiSent event), WFI wake-up (machine scheduler).
// The generic counter reads pe.now(), which includes costExtra, so guests that time themselves
// with CNTVCT see exactly the modelled cycles.
import { PLAIN_DECODERS, type Exec } from '../exec';
import { decode, findEncoding } from '../decode';
import type { PE } from '../pe';
import type { EventBus } from '../events';
import type { PhysicalMemory } from '../memory';
import { buildCostTable, checkProfile, instructionCost, loadProfile, type CostProfileFile, type CostTable } from './profile';

export * from './profile';

/** A decoder whose executors charge the profile's static instruction costs. */
export function costedDecoder(t: CostTable): (word: number) => Exec {
  const d = (word: number): Exec => {
    const f = decode(word);
    const extra = instructionCost(t, findEncoding(word), word) - 1;
    if (extra === 0) return f;
    return (pe: PE) => {
      pe.costExtra += extra;
      pe.sliceLimit -= extra;
      return f(pe);
    };
  };
  PLAIN_DECODERS.add(d);
  return d;
}

/** What installCostModel needs from the board (Machine satisfies it). */
export interface CostedBoard {
  readonly pes: PE[];
  readonly mem: PhysicalMemory;
  readonly bus: EventBus;
}

const MMIO_NAME: Record<string, string> = { gicd: 'gicd', gicc: 'gicc', gich: 'gich', gicv: 'gicv', pl011: 'uart', gicr: 'gicd' };

/**
 * Puts a cost profile in force on every PE of `m` (by name, path or parsed file). Returns the
 * numeric table. Decoded instructions cached before the call are dropped so they re-decode
 * with their costs.
 */
export function installCostModel(m: CostedBoard, profile: string | CostProfileFile): CostTable {
  const file = typeof profile === 'string' ? loadProfile(profile) : checkProfile(profile);
  const t = buildCostTable(file);
  const dec = costedDecoder(t);
  for (const pe of m.pes) { pe.cost = t; pe.decoder = dec; }
  // Every executor is re-decoded with the costs (new code arrays); the epochs move so that no
  // compiled region of the old arrays is chained to (src/sim/jit).
  m.mem.code.fill(undefined);
  for (let i = 0; i < m.mem.codeEpoch.length; i++) m.mem.codeEpoch[i]++;
  const read: number[] = [], write: number[] = [];
  const slot = new Map<string, number>();
  m.mem.onMmio = (peId, device, isWrite) => {
    let i = slot.get(device);
    if (i === undefined) {
      i = read.length;
      const k = MMIO_NAME[device] ?? 'device';
      read.push(t.mmioRead[k]);
      write.push(t.mmioWrite[k]);
      slot.set(device, i);
    }
    m.pes[peId].charge(isWrite ? write[i] : read[i]);
  };
  m.bus.on('sgiSent', (e) => {
    const target = m.pes[e.to];
    if (e.from < 0 || e.from >= m.pes.length || e.from === e.to) return;
    const arrival = m.pes[e.from].now() + t.ipiLatency;
    if (arrival > target.irqArrival) target.irqArrival = arrival;
  });
  return t;
}
