// In-process tests of the language server's tokenizer and context detection (the parts
// that decide *which* name a request is about; the protocol tests cover the answers).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, indexFile, wordAt } from '../../src/lsp/analysis';
import { completionContext } from '../../src/lsp/completion';

describe('lsp analysis: tokenizer and contexts', () => {
  it('finds label, constant and macro definitions with their columns', () => {
    const fi = indexFile(
      ['start: nop', '  .equ FOO, 4', 'BAR = FOO + 1', '.macro m a, b', '  add \\a, \\b, #FOO', '.endm', 'x: y: m x0, x1 ; b x', '1: b 1b'].join('\n'),
      '/t.s',
      () => undefined,
    );
    assert.deepEqual(
      fi.defs.map((d) => [d.kind, d.name, d.line, d.start, d.end]),
      [
        ['label', 'start', 0, 0, 5],
        ['constant', 'FOO', 1, 7, 10],
        ['constant', 'BAR', 2, 0, 3],
        ['macro', 'm', 3, 7, 8],
        ['label', 'x', 6, 0, 1],
        ['label', 'y', 6, 3, 4],
        ['local', '1', 7, 0, 1],
      ],
    );
    assert.equal(fi.defs[3].endLine, 5);
    assert.equal(fi.defs[3].detail, 'a, b');
    // References: no registers, no mnemonics, no macro parameters; macro heads and local labels kept.
    assert.deepEqual(
      fi.refs.map((r) => `${r.name}@${r.line}:${r.start}${r.head ? 'h' : ''}`),
      ['FOO@2:6', 'FOO@4:15', 'm@6:6h', 'x@6:19', '1b@7:5'],
    );
  });

  it('skips comments and strings, and relocation operators', () => {
    const fi = indexFile(['  adrp x0, sym // not_a_ref', '  add x0, x0, :lo12:sym /* gone */', '/* a', ' b */ .ascii "text"', '  ldr x1, =val'].join('\n'), '/t.s', () => undefined);
    assert.deepEqual(fi.refs.map((r) => `${r.name}@${r.line}:${r.start}`), ['sym@0:11', 'sym@1:20', 'val@4:11']);
  });

  it('records .include and #include with their targets', () => {
    const fi = indexFile('.include "a.inc"\n#include <b.h>\n', '/d/t.S', (n) => (n === 'a.inc' ? '/d/a.inc' : undefined));
    assert.deepEqual(fi.includes.map((i) => [i.name, i.target, i.line, i.start, i.end]), [
      ['a.inc', '/d/a.inc', 0, 9, 16],
      ['b.h', undefined, 1, 9, 14],
    ]);
  });

  it('classifies the word under the cursor', () => {
    const roles = (line: string, ch: number) => {
      const w = wordAt(line, 0, ch);
      return w && [w.name, w.role, w.headWord, w.operand];
    };
    assert.deepEqual(roles('lbl: mrs x0, hcr_el2 // c', 15), ['hcr_el2', 'operand', 'mrs', 1]);
    assert.deepEqual(roles('lbl: mrs x0, hcr_el2', 6), ['mrs', 'head', undefined, undefined]);
    assert.deepEqual(roles('lbl: mrs x0, hcr_el2', 1), ['lbl', 'labelDef', undefined, undefined]);
    assert.deepEqual(roles('  .quad table', 4), ['.quad', 'directive', undefined, undefined]);
    assert.deepEqual(roles('FOO = 3', 1), ['FOO', 'labelDef', undefined, undefined]);
    assert.deepEqual(roles('  b 1f', 5), ['1f', 'operand', 'b', 0]);
    assert.equal(roles('  nop // hcr_el2', 12), undefined);
    assert.deepEqual(roles('  .include "x.inc"', 13), ['x.inc', 'include', undefined, undefined]);
    assert.deepEqual(roles('  nop; msr sctlr_el1, x0', 13), ['sctlr_el1', 'operand', 'msr', 0]);
  });

  it('knows what completion is for', () => {
    const k = (line: string) => {
      const c = completionContext(line, line.length);
      return [c.kind, c.head, c.operand, c.prefix];
    };
    assert.deepEqual(k('    mr'), ['head', undefined, undefined, 'mr']);
    assert.deepEqual(k('lbl: '), ['head', undefined, undefined, '']);
    assert.deepEqual(k('    .qu'), ['directive', undefined, undefined, '.qu']);
    assert.deepEqual(k('    mrs x0, ich_'), ['operand', 'mrs', 1, 'ich_']);
    assert.deepEqual(k('    msr '), ['operand', 'msr', 0, '']);
    assert.deepEqual(k('    nop // mrs x0, '), ['none', undefined, undefined, '']);
    assert.deepEqual(k('    .ascii "ab'), ['none', undefined, undefined, '']);
  });

  it('places diagnostics on the offending token and resolves symbol values', () => {
    const an = analyze({ root: '/t.s', version: 1, text: '.equ N, 0x10\nstart:\n  add x0, x1, #N*1000\n', readFile: () => undefined });
    assert.deepEqual(an.diagnostics.map((d) => [d.line, d.start, d.end]), [[2, 14, 16]]);
    assert.equal(an.symbols.get('N')?.value, 0x10n);
    assert.equal(an.symbols.get('start')?.section, '.text');
  });

  it('treats symbols another object defines as link-time references (the C hypervisor example)', () => {
    // examples/c-hyp/start.S calls C functions (hyp_main, handle_sync, ...) that gcc links in:
    // GNU as accepts it, so the editor must show warnings, not errors; `.extern` is accepted too.
    const root = path.join(__dirname, '../../examples/c-hyp/start.S');
    const an = analyze({ version: 1, root, text: fs.readFileSync(root, 'utf8'), readFile: (p: string) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } } });
    assert.deepEqual(an.diagnostics.filter((d) => d.severity === 'error'), []);
    const names = an.diagnostics.map((d) => /^'([^']+)' is not defined in this file/.exec(d.message)?.[1]);
    for (const n of ['hyp_main', 'handle_sync', 'handle_irq']) assert.ok(names.includes(n), `${n} named in a warning`);
    const ext = analyze({ version: 1, root: '/t.S', text: '.extern c_fn\n.text\n_start: bl c_fn\n', readFile: () => undefined });
    assert.deepEqual(ext.diagnostics.map((d) => [d.severity, d.line, d.start]), [['warning', 2, 11]]);
    // A genuine error stays one.
    const bad = analyze({ version: 1, root: '/u.S', text: '_start: addd x0, x0, x0\n', readFile: () => undefined });
    assert.deepEqual(bad.diagnostics.map((d) => d.severity), ['error']);
  });
});
