// The TextMate grammar (syntaxes/aarch64-asm.tmLanguage.json) and the language server must
// agree on what is a mnemonic, a directive, a system register, a register and a comment:
// every name the server knows (from the assembler's tables) must be accepted by the
// grammar's corresponding regex. Oniguruma patterns are run as JavaScript regexes after
// turning `(?i:…)` groups into a case-insensitive flag, which is enough for these patterns.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SYSREG_NAMES } from '../../src/asm/a64';
import { isRegisterName } from '../../src/asm/a64/operands';
import { DIRECTIVE_NAMES } from '../../src/asm/assembler';
import { stripLineComments } from '../../src/asm/assembler/source';
import { allMnemonics } from '../../src/lsp/completion';

/** Fails listing at most 40 of the names the grammar does not accept. */
function none(missing: string[], what: string): void {
  const shown = missing.slice(0, 40).join(' ');
  assert.equal(missing.length, 0, `${missing.length} ${what} not accepted by the grammar: ${shown}${missing.length > 40 ? ' …' : ''}`);
}

const GRAMMAR = path.resolve(__dirname, '../../syntaxes/aarch64-asm.tmLanguage.json');

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, { name?: string }>;
}

function toJs(re: string): RegExp {
  const ci = re.includes('(?i:') || re.startsWith('(?i)');
  return new RegExp(re.replace(/\(\?i\)/g, '').replace(/\(\?i:/g, '(?:'), ci ? 'gi' : 'g');
}

/** Every `match` regex reachable from a repository entry, with the scope it gives. */
function rulesOf(g: { repository: Record<string, Rule> }, key: string, seen = new Set<string>()): Rule[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const root = g.repository[key];
  if (!root) return [];
  const out: Rule[] = [];
  const walk = (r: Rule): void => {
    if (r.include?.startsWith('#')) out.push(...rulesOf(g, r.include.slice(1), seen));
    if (r.match || r.begin) out.push(r);
    for (const p of r.patterns ?? []) walk(p);
  };
  walk(root);
  return out;
}

/** Whether some rule matches exactly `word` at `at` in `line` (scope name must contain `scopePart`). */
function accepts(rules: Rule[], line: string, word: string, at: number, scopePart: RegExp): boolean {
  for (const r of rules) {
    const re = toJs(r.match ?? r.begin!);
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (m[0].length === 0) re.lastIndex++;
      if (r.name && scopePart.test(r.name) && m.index === at && m[0] === word) return true;
      // Captures: find the group that holds the word.
      for (const [g, c] of Object.entries(r.captures ?? {})) {
        const gi = Number(g);
        if (gi === 0 || !c.name || !scopePart.test(c.name) || m[gi] !== word) continue;
        if (line.indexOf(word, m.index) === at) return true;
      }
    }
  }
  return false;
}

describe('grammar and language server agree', function () {
  let g: { repository: Record<string, Rule>; patterns: Rule[] } | undefined;
  before(function () {
    if (!fs.existsSync(GRAMMAR)) {
      console.log(`      (skipped: ${path.relative(process.cwd(), GRAMMAR)} is not there yet)`);
      this.skip();
    }
    g = JSON.parse(fs.readFileSync(GRAMMAR, 'utf8'));
  });

  it('every mnemonic the assembler accepts is a mnemonic to the grammar', () => {
    const rules = rulesOf(g!, 'line-start');
    const missing: string[] = [];
    for (const m of allMnemonics()) {
      for (const line of [`    ${m} x0, x1`, `lbl: ${m} x0`, `    ${m}`]) {
        if (!accepts(rules, line, m, line.indexOf(m), /mnemonic/)) missing.push(`${JSON.stringify(line)}`);
      }
    }
    none(missing, 'mnemonic lines');
  });

  it('every directive the assembler accepts is a directive to the grammar', () => {
    const rules = rulesOf(g!, 'directives');
    const missing = DIRECTIVE_NAMES.filter((d) => !accepts(rules, `    ${d} 1`, d, 4, /directive/));
    none(missing, 'directives');
  });

  it('every system register name the assembler accepts is a system register to the grammar', () => {
    const rules = rulesOf(g!, 'system-registers');
    const missing: string[] = [];
    for (const n of Object.keys(SYSREG_NAMES)) {
      for (const name of [n, n.toUpperCase()]) {
        const line = `    mrs x0, ${name}`;
        if (!accepts(rules, line, name, 12, /sysreg/)) missing.push(name);
      }
    }
    none(missing, 'system register names');
  });

  it('every register name is a register to the grammar', () => {
    const rules = rulesOf(g!, 'registers');
    const names = ['sp', 'wsp', 'xzr', 'wzr', 'fp', 'lr', 'ip0', 'ip1'];
    for (let i = 0; i < 31; i++) names.push(`x${i}`, `w${i}`);
    for (let i = 0; i < 32; i++) for (const c of 'bhsdqv') names.push(`${c}${i}`);
    assert.ok(names.every((n) => isRegisterName(n)), 'the list matches the assembler');
    const missing = names.filter((n) => !accepts(rules, `    add ${n}, x1`, n, 8, /register/));
    none(missing, 'registers');
  });

  it('comments: the grammar and the assembler cut lines at the same place', () => {
    const rules = rulesOf(g!, 'comments');
    for (const line of ['    add x0, x1, x2 // a comment', '/* block */ nop', '    nop /* inline */ // trailing']) {
      const stripped = stripLineComments(line, false).text;
      const cut = stripped.trimEnd().length;
      // The first comment start the assembler sees is where a grammar comment rule matches.
      const first = line.search(/\/\/|\/\*/);
      assert.ok(first >= 0);
      const ok = rules.some((r) => {
        const re = toJs(r.match ?? r.begin!);
        re.lastIndex = 0;
        const m = re.exec(line);
        return m !== null && m.index === first && /comment/.test(r.name ?? '');
      });
      assert.ok(ok, `grammar comment at column ${first} of ${JSON.stringify(line)} (assembler keeps ${cut} chars)`);
    }
  });
});
