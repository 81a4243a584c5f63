// The TextMate grammar (syntaxes/aarch64-asm.tmLanguage.json) tokenised by VS Code's own engine:
// vscode-textmate and vscode-oniguruma as bundled in code-server (installed by
// scripts/setup-code-server.sh), so the regular expressions are checked with Oniguruma, not JS.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tools } from './harness';

interface Token { startIndex: number; endIndex: number; scopes: string[] }
interface Grammar { tokenizeLine(line: string, stack: unknown): { tokens: Token[]; ruleStack: unknown } }

async function loadGrammar(): Promise<{ grammar: Grammar; initial: unknown }> {
  const nm = path.join(path.dirname(tools().serverMain), '..', 'node_modules');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const tm = require(path.join(nm, 'vscode-textmate'));
  const onig = require(path.join(nm, 'vscode-oniguruma'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  const wasm = fs.readFileSync(path.join(nm, 'vscode-oniguruma', 'release', 'onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const file = path.join(REPO, 'syntaxes', 'aarch64-asm.tmLanguage.json');
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
    loadGrammar: async () => tm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file),
  });
  return { grammar: await registry.loadGrammar('source.aarch64-asm'), initial: tm.INITIAL };
}

describe('aarch64-asm TextMate grammar (vscode-textmate + Oniguruma)', () => {
  let g: Grammar;
  let initial: unknown;
  before(async function () {
    this.timeout(30_000);
    ({ grammar: g, initial } = await loadGrammar());
  });

  /** Tokenises `lines` and returns "text → innermost scope" for every non-blank token. */
  function scopes(...lines: string[]): Map<string, string> {
    const out = new Map<string, string>();
    let stack = initial;
    for (const line of lines) {
      const r = g.tokenizeLine(line, stack);
      stack = r.ruleStack;
      for (const t of r.tokens) {
        const text = line.slice(t.startIndex, t.endIndex).trim();
        if (text && !out.has(text)) out.set(text, t.scopes[t.scopes.length - 1]);
      }
    }
    return out;
  }

  it('labels, mnemonics with condition suffixes, local label references', () => {
    const s = scopes('loop:   b.ne    1f', '1:      ret');
    assert.match(s.get('loop')!, /^entity\.name\.function\.label/);
    assert.match(s.get('b.ne')!, /^keyword\.other\.mnemonic/);
    assert.match(s.get('1f')!, /local-reference/);
    assert.match(s.get('ret')!, /^keyword\.other\.mnemonic/);
  });

  it('general, SIMD and system registers (HCR_EL2, ICH_LR0_EL2, S3_4_C12_C12_0, DAIFClr)', () => {
    const s = scopes('  msr ICH_LR0_EL2, x3', '  mrs x0, HCR_EL2', '  msr S3_4_C12_C12_0, xzr', '  msr DAIFClr, #2', '  ldp q0, q1, [sp, #-32]!');
    assert.match(s.get('ICH_LR0_EL2')!, /^variable\.language\.sysreg\.gic/);
    assert.match(s.get('HCR_EL2')!, /^variable\.language\.sysreg/);
    assert.match(s.get('S3_4_C12_C12_0')!, /^variable\.language\.sysreg\.encoded/);
    assert.match(s.get('DAIFClr')!, /^variable\.language\.sysreg/);
    for (const r of ['x3', 'x0', 'xzr', 'sp']) assert.match(s.get(r)!, /^variable\.language\.register\.general/, r);
    assert.match(s.get('q0')!, /^variable\.language\.register\.simd/);
  });

  it('directives, strings with escapes, numbers', () => {
    const s = scopes('  .equ VINTID, 42', '  .asciz "hi\\n"', '  ldr x0, =0x9000000', '  mov x1, #0b101');
    assert.match(s.get('.equ')!, /^keyword\.control\.directive/);
    assert.match(s.get('.asciz')!, /^keyword\.control\.directive/);
    assert.match(s.get('\\n')!, /^constant\.character\.escape/);
    assert.match(s.get('42')!, /^constant\.numeric\.decimal/);
    assert.match(s.get('0x9000000')!, /^constant\.numeric\.hex/);
    assert.match(s.get('0b101')!, /^constant\.numeric\.binary/);
  });

  it('comments: //, /* */ across lines, and # lines for cpp', () => {
    const s = scopes('  nop // trailing', '/* one', 'two */', '#include "x.h"', '# 1 "line marker"', '#define N 4');
    assert.match(s.get('trailing')!, /^comment\.line\.double-slash/);
    assert.match(s.get('two')!, /^comment\.block/);
    assert.match(s.get('include')!, /^keyword\.control\.directive\.preprocessor/);
    assert.match(s.get('1 "line marker"')!, /^comment\.line\.number-sign/);
    assert.match(s.get('define')!, /^keyword\.control\.directive\.preprocessor/);
  });

  it('tokenises both examples without an unscoped mnemonic', () => {
    for (const f of ['el1-hello.S', 'hyp-hvc-virq.S']) {
      let stack = initial;
      for (const line of fs.readFileSync(path.join(REPO, 'examples', f), 'utf8').split('\n')) {
        const r = g.tokenizeLine(line, stack);
        stack = r.ruleStack;
        const m = /^\s+([a-z][a-z0-9.]*)\s/.exec(line);
        if (m && !line.trim().startsWith('//')) {
          const tok = r.tokens.find((t) => line.slice(t.startIndex, t.endIndex) === m[1]);
          assert.ok(tok && /mnemonic|directive/.test(tok.scopes.join(' ')), `${f}: '${m[1]}' in: ${line}`);
        }
      }
    }
  });
});
