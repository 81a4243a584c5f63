// The reverse-execution timeline (src/debug/timeline.ts) on a two-PE machine: going back to any
// earlier stop re-creates its exact state (digest), whatever mix of scheduler runs (with pauses
// and limits) and single-PE steps led there, and from any starting point.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Machine } from '../../../../src/sim/machine';
import { loadProgram } from '../../../../src/asm/program';
import { Timeline } from '../../../../src/debug/timeline';

const SRC = path.join(__dirname, 'snapshot.test.ts');

function boot(cores: number): Machine {
  const source = fs.readFileSync(SRC, 'utf8').split('const SOURCE = `')[1].split('`;')[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-tl-'));
  const file = path.join(dir, 't.s');
  fs.writeFileSync(file, source);
  const p = loadProgram(file);
  const m = new Machine({ cores, quantum: 100, output: () => undefined });
  m.load(p.segments, p.entry);
  return m;
}

for (const cores of [1, 2]) {
  describe(`reverse-execution timeline (${cores} PE${cores > 1 ? 's' : ''})`, () => {
    it('goto(position of any earlier stop) gives back its digest', () => {
      const m = boot(cores);
      let extra = 0;
      const tl = new Timeline(m, { saveExtra: () => extra, loadExtra: (x) => { extra = x as number; } }, { interval: 1000 });
      const stops: { g: number; all: string }[] = [{ g: m.retired, all: m.digest().all }];
      const stop = (): void => { stops.push({ g: m.retired, all: m.digest().all }); };
      const plan: (() => void)[] = [
        () => { tl.beginForward(); tl.run(1234); },
        () => { tl.beginForward(); for (let i = 0; i < 5; i++) tl.step(m.pes[cores - 1]); },
        () => { tl.beginForward(); tl.run(777); tl.run(0); },
        () => { tl.beginForward(); tl.step(m.pes[0]); tl.run(333); tl.step(m.pes[0]); },
        () => { tl.beginForward(); for (let i = 0; i < 7; i++) { m.requestPause(); tl.run(4000); tl.run(501); } },
        () => { tl.beginForward(); tl.run(2500); },
      ];
      for (const p of plan) { p(); stop(); }
      assert.ok(tl.snapshots > 3);
      // The last stop at each position is the state before the next instruction.
      const byG = new Map<number, string>();
      for (const s of stops) byG.set(s.g, s.all);
      const gs = [...byG.keys()];
      for (const g of [...gs].reverse().concat(gs)) {
        tl.goto(g);
        assert.equal(m.retired, g);
        assert.equal(m.digest().all, byG.get(g), `state at ${g}`);
      }
      // Interior positions are reproducible too, from any previous position.
      const probes = [1500, 2200, 9000, 20000, 31000].filter((g) => g < stops[stops.length - 1].g);
      const seen = new Map<number, string>();
      for (const g of probes) { tl.goto(g); seen.set(g, m.digest().all); }
      for (const g of [...probes].reverse()) { tl.goto(g); assert.equal(m.digest().all, seen.get(g)); }
      // Going forward from a past state re-creates the same future.
      const last = stops[stops.length - 1];
      tl.goto(stops[1].g);
      tl.beginForward();
      tl.run(last.g - stops[1].g);
      assert.equal(m.retired, last.g);
      assert.ok(tl.live);
    });
  });
}
