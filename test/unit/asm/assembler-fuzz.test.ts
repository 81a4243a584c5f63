// Fuzz: 10^4 random and mutated sources. The assembler must never throw, no case may run past
// 10 s (a hang), and every diagnostic must carry a file and a 1-based line and column.
import { strict as assert } from 'node:assert';
import { assemble } from '../../../src/asm/assembler';
import { FUZZ_FILES, fuzzCases } from './fuzz-corpus';

describe('assembler fuzz', function () {
  this.timeout(300_000);

  it('never throws on 10^4 random and mutated sources', () => {
    let withErrors = 0;
    let slowest = 0;
    for (const { i, src, fileName } of fuzzCases(10_000)) {
      let res;
      const t0 = performance.now();
      try {
        res = assemble(src, { fileName, readFile: (p) => FUZZ_FILES[p], maxStatements: 5_000 });
      } catch (e) {
        assert.fail(`case ${i} threw ${(e as Error).stack}\nsource:\n${JSON.stringify(src)}`);
      }
      // A hang guard, not a speed goal: the issue counted a case that ran past 10 s as a hang.
      const ms = performance.now() - t0;
      if (ms > 10_000) assert.fail(`case ${i} took ${ms.toFixed(0)} ms\nsource:\n${JSON.stringify(src)}`);
      slowest = Math.max(slowest, ms);
      for (const d of [...res.errors, ...res.warnings]) {
        if (!(d.line >= 1 && d.column >= 1 && typeof d.file === 'string' && d.message.length > 0)) {
          assert.fail(`case ${i}: bad diagnostic ${JSON.stringify(d)}\nsource:\n${JSON.stringify(src)}`);
        }
        if (d.message.startsWith('internal')) assert.fail(`case ${i}: ${d.message}\nsource:\n${JSON.stringify(src)}`);
      }
      if (res.errors.length) withErrors++;
    }
    assert.ok(withErrors > 1000, `mutations should produce errors (${withErrors})`);
    console.log(`      slowest case: ${slowest.toFixed(0)} ms`);
  });
});
