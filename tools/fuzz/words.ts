// Random-word mode: uniformly random 32-bit words run on the simulator only, through the same
// harness (light mode: no buffer restore or checksum). Each word must either execute or raise an
// architectural exception; a JavaScript exception escaping the simulator is a host error.
// Words that take the harness over (ERET, a write to VBAR/SCTLR/TTBR, a branch into the harness,
// WFI with nothing to wake it) can stop progress: the run restarts on a fresh machine at the next
// word, and such words are counted, not reported.
import { disassemble } from '../../src/asm/a64';
import { Machine } from '../../src/sim/machine';
import { Rng } from './cases';
import { buildImage, type FuzzCase } from './harness';
import { BUF_BASE, BUF_SIZE, HV, HV_BASE, IN, OUT, OUT_BASE, RAM_MIB } from './layout';

export interface WordsOptions { count: number; seed: number; cpu: string; el: 0 | 1 | 2; batch?: number }
export interface WordsReport {
  words: number;
  executed: number;
  exceptions: number;
  /** Words after which the harness lost control (the run restarted at the next word). */
  restarts: number;
  hostErrors: { word: number; text: string; error: string }[];
  ms: number;
}

/** Instructions without progress (no new case started) after which the run restarts. */
const STALL = 200_000;

function randomInput(rng: Rng): BigUint64Array {
  const a = new BigUint64Array(IN.WORDS);
  for (let i = 0; i < 31; i++) a[IN.X + i] = rng.chance(0.5) ? BigInt(BUF_BASE + BUF_SIZE / 2 + rng.range(-64, 63)) : rng.u64();
  a[IN.SP] = BigInt(BUF_BASE + BUF_SIZE / 2);
  a[IN.NZCV] = BigInt(rng.int(16)) << 28n;
  for (let i = 0; i < 64; i++) a[IN.V + i] = rng.u64();
  return a;
}

export function runRandomWords(o: WordsOptions): WordsReport {
  const t0 = Date.now();
  const rng = new Rng(o.seed ^ 0x3c6ef372);
  const pristine = new Uint8Array(BUF_SIZE);
  const rep: WordsReport = { words: 0, executed: 0, exceptions: 0, restarts: 0, hostErrors: [], ms: 0 };
  const batch = o.batch ?? 20_000;
  for (let done = 0; done < o.count; done += batch) {
    const n = Math.min(batch, o.count - done);
    const cases: FuzzCase[] = [];
    for (let i = 0; i < n; i++) cases.push({ word: rng.u32(), input: randomInput(rng) });
    let start = 0;
    while (start < n) {
      const part = cases.slice(start);
      const img = buildImage(part, o.el, pristine, undefined, true);
      const m = new Machine({ cpu: o.cpu, memoryMiB: RAM_MIB, gic: 'v3' });
      m.load(img.segments, img.entry);
      const left = () => m.mem.read(HV_BASE + HV.CASES_LEFT, 4);
      const current = () => part.length - left() - 1; // index in `part` of the case being run
      let finished = 0; // cases of `part` whose record is complete
      let next = part.length;
      for (;;) {
        const before = left();
        let r;
        try {
          r = m.run(STALL);
        } catch (e) {
          const i = current();
          const w = part[i].word;
          rep.hostErrors.push({ word: w, text: disassemble(w), error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
          finished = i; next = i + 1;
          break;
        }
        if (r.reason === 'exit' && left() === 0 && m.exitCode === 0) { finished = part.length; next = part.length; break; }
        if (r.reason !== 'limit' || left() === before) {
          const i = Math.max(current(), 0);
          rep.restarts++;
          finished = i; next = i + 1;
          break;
        }
      }
      for (let i = 0; i < finished; i++) {
        const kind = m.mem.read(OUT_BASE + (i * OUT.WORDS + OUT.KIND) * 8, 4);
        if (kind & 0x10) rep.exceptions++; else rep.executed++;
      }
      rep.words += next;
      start += next;
    }
  }
  rep.ms = Date.now() - t0;
  return rep;
}
