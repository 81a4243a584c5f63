// Runaway expansion must end with positioned diagnostics and bounded work — a typo must never
// freeze the language server or the debugger (issue: a macro invoking itself twice used 4.4 GB,
// a file including itself twice 2.1 GB, nested `.rept 100000` 2.1 GB).
import { strict as assert } from 'node:assert';
import { assemble } from '../../../src/asm/assembler';

function run(files: Record<string, string>, root: string, maxStatements?: number) {
  const before = process.memoryUsage().heapUsed;
  const res = assemble(files[root], { fileName: root, readFile: (p) => files[p.replace(/^\.\//, '')], maxStatements });
  const grown = process.memoryUsage().heapUsed - before;
  for (const d of res.errors) {
    assert.ok(d.line >= 1 && d.column >= 1 && d.file.length > 0, `positioned: ${JSON.stringify(d)}`);
    assert.ok(!d.message.startsWith('internal'), d.message);
  }
  return { res, grown };
}

describe('assembler: runaway expansion is bounded by work, not only by depth', function () {
  this.timeout(60_000);

  it('a macro that invokes itself twice stops at the error cap with the nesting message', () => {
    const { res } = run({ 'rec.S': '.macro m\nm\nm\n.endm\nm\n' }, 'rec.S');
    assert.ok(res.errors.some((e) => /nested too deeply/.test(e.message)));
    assert.ok(res.errors.some((e) => /too many errors/.test(e.message)), 'stops at the error cap');
    assert.ok(res.errors.length <= 201, `${res.errors.length} errors`);
  });

  it('a file that includes itself twice stops at the error cap', () => {
    const { res } = run({ 'self.s': '.include "self.s"\n.include "self.s"\n' }, 'self.s');
    assert.ok(res.errors.some((e) => /\.include nested too deeply/.test(e.message)));
    assert.ok(res.errors.length <= 201, `${res.errors.length} errors`);
  });

  it('nested .rept 40000 × 40000 stops at the statement budget', () => {
    // Each count alone is within the budget; the product is not.
    const { res } = run({ 'r.s': '.rept 40000\n.rept 40000\nnop\n.endr\n.endr\n' }, 'r.s', 50_000);
    assert.equal(res.errors.length, 1);
    assert.match(res.errors[0].message, /too many statements after expansion \(more than 50000\)/);
    assert.equal(res.errors[0].line, 3);
  });

  it('the default statement budget is 10^6 (a program just below it assembles)', () => {
    const ok = run({ 'a.s': '.rept 999990\nnop\n.endr\n' }, 'a.s').res;
    assert.equal(ok.errors.length, 0);
    assert.equal(ok.sections.find((s) => s.name === '.text')!.data.length, 999990 * 4);
    const over = run({ 'b.s': '.rept 1000001\nnop\n.endr\n' }, 'b.s').res;
    assert.ok(over.errors.some((e) => /\.rept count 1000001 is too large/.test(e.message)), JSON.stringify(over.errors));
  });
});
