// Fuzz: 10^4 random and mutated sources. The assembler must never throw, and
// every diagnostic must carry a file and a 1-based line and column.
import { strict as assert } from 'node:assert';
import { assemble } from '../../../src/asm/assembler';
import { FUZZ_FILES, fuzzCases } from './fuzz-corpus';

describe('assembler fuzz', function () {
  this.timeout(300_000);

  it('never throws on 10^4 random and mutated sources', () => {
    let withErrors = 0;
    for (const { i, src, fileName } of fuzzCases(10_000)) {
      let res;
      try {
        res = assemble(src, { fileName, readFile: (p) => FUZZ_FILES[p], maxStatements: 5_000 });
      } catch (e) {
        assert.fail(`case ${i} threw ${(e as Error).stack}\nsource:\n${JSON.stringify(src)}`);
      }
      for (const d of [...res.errors, ...res.warnings]) {
        if (!(d.line >= 1 && d.column >= 1 && typeof d.file === 'string' && d.message.length > 0)) {
          assert.fail(`case ${i}: bad diagnostic ${JSON.stringify(d)}\nsource:\n${JSON.stringify(src)}`);
        }
        if (d.message.startsWith('internal')) assert.fail(`case ${i}: ${d.message}\nsource:\n${JSON.stringify(src)}`);
      }
      if (res.errors.length) withErrors++;
    }
    assert.ok(withErrors > 1000, `mutations should produce errors (${withErrors})`);
  });
});
