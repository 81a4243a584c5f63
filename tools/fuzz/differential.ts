// The differential fuzzer: random cases from the instruction table, run in batches on QEMU and on
// the simulator, compared record by record.
import { eligibleRecords, pristineBuffer, randomCase, Rng, type Eligible, type GenCase } from './cases';
import { diffRecords, formatReproducer, record, reproducer, type FieldDiff, type Reproducer } from './compare';
import { IN } from './layout';
import { explain } from './qemu-deviations';
import { runOnQemu, runOnSim } from './run';

export interface DiffOptions {
  count: number;
  seed: number;
  cpu: string;
  el: 0 | 1 | 2;
  /** Comma-separated table classes (`cls`), or undefined for all eligible ones. */
  classes?: string;
  /** Cases per QEMU run. */
  batch?: number;
  log?: (line: string) => void;
}

export interface DiffReport {
  cases: number;
  /** Cases per class. */
  covered: Map<string, number>;
  unexplained: Reproducer[];
  /** Entry id → number of cases it explained. */
  explained: Map<string, number>;
  simMs: number;
  qemuMs: number;
}

const PROBES = 6;
const probed = new Map<string, { eligible: Eligible[]; unimplemented: Map<string, number> }>();

/**
 * The records our simulator implements on `cpu`: the decoder's verdict (eligibleRecords) refined
 * by executing PROBES random encodings of each record in the harness — a record whose every probe
 * raises UNDEFINED (ESR.EC 0) is left out and counted per class in `unimplemented`.
 */
export function implementedRecords(cpu: string, classes?: string): { eligible: Eligible[]; unimplemented: Map<string, number> } {
  const key = `${cpu}/${classes ?? ''}`;
  const hit = probed.get(key);
  if (hit) return hit;
  const { eligible, unimplemented } = eligibleRecords(classes);
  const rng = new Rng(0x5eed);
  const cases: GenCase[] = [];
  for (const e of eligible) for (let i = 0; i < PROBES; i++) cases.push(randomCase([e], rng, cases.length));
  const res = runOnSim(cases, cpu, 1, pristineBuffer(rng));
  const keep: Eligible[] = [];
  eligible.forEach((e, k) => {
    let ok = e.cls === 'udf'; // permanently UNDEFINED by design: both sides must raise it
    for (let i = 0; i < PROBES && !ok; i++) {
      const r = record(res.out, k * PROBES + i);
      ok = r.get('kind')! < 0x10n || ((r.get('esr')! >> 26n) & 0x3fn) !== 0n;
    }
    if (ok) keep.push(e);
    else unimplemented.set(e.cls, (unimplemented.get(e.cls) ?? 0) + 1);
  });
  const out = { eligible: keep, unimplemented };
  probed.set(key, out);
  return out;
}

/** Unexplained differences per run that are re-run alone to confirm them. */
const CONFIRM = 10;
const NOP = 0xd503201f;

/**
 * Re-runs one case with nothing before it but NOPs (so that it keeps its slot address, which
 * register-branch inputs depend on) and checks that the same fields differ: the reproducer then
 * stands on its own (the word and its input record), independent of the other cases of its batch.
 */
async function reproducesAlone(c: GenCase, index: number, cpu: string, el: 0 | 1 | 2, pristine: Uint8Array, diffs: FieldDiff[]): Promise<boolean> {
  const cases: GenCase[] = [];
  for (let i = 0; i < index; i++) cases.push({ word: NOP, input: new BigUint64Array(IN.WORDS), rec: c.rec });
  cases.push(c);
  const [q, s] = [await runOnQemu(cases, cpu, el, pristine), runOnSim(cases, cpu, el, pristine)];
  const d = diffRecords(record(s.out, index), record(q.out, index));
  return d.length === diffs.length && d.every((x, k) => x.name === diffs[k].name && x.ours === diffs[k].ours && x.qemu === diffs[k].qemu);
}

export async function runDifferential(o: DiffOptions): Promise<DiffReport> {
  const { eligible } = implementedRecords(o.cpu, o.classes);
  if (eligible.length === 0) throw new Error(`--class ${o.classes}: no eligible instruction records in that class`);
  const rng = new Rng(o.seed);
  const pristine = pristineBuffer(rng);
  const batch = o.batch ?? 4000;
  const rep: DiffReport = { cases: 0, covered: new Map(), unexplained: [], explained: new Map(), simMs: 0, qemuMs: 0 };
  for (let done = 0; done < o.count; done += batch) {
    const n = Math.min(batch, o.count - done);
    const cases: GenCase[] = [];
    for (let i = 0; i < n; i++) cases.push(randomCase(eligible, rng, i));
    const t0 = Date.now();
    const qemuP = runOnQemu(cases, o.cpu, o.el, pristine);
    const t1 = Date.now();
    const ours = runOnSim(cases, o.cpu, o.el, pristine);
    rep.simMs += Date.now() - t1;
    const qemu = await qemuP;
    rep.qemuMs += Date.now() - t0;
    for (let i = 0; i < n; i++) {
      const c = cases[i];
      rep.covered.set(c.rec.spec.cls, (rep.covered.get(c.rec.spec.cls) ?? 0) + 1);
      const a = record(ours.out, i), b = record(qemu.out, i);
      const d = diffRecords(a, b);
      if (d.length === 0) continue;
      const ex = explain(c, d, a, b, o.cpu);
      if (ex) { rep.explained.set(ex.entry.id, (rep.explained.get(ex.entry.id) ?? 0) + 1); continue; }
      const r = reproducer(c, i, d);
      if (rep.unexplained.length < CONFIRM) r.alone = await reproducesAlone(c, i, o.cpu, o.el, pristine, d);
      rep.unexplained.push(r);
      o.log?.(formatReproducer(r, `${o.cpu} EL${o.el} seed ${o.seed} batch ${done / batch}`));
    }
    rep.cases += n;
  }
  return rep;
}
