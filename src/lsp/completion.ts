// Completion: mnemonics (A64 instruction table), directives (the assembler's directive
// table), system-register names (assembler encodings + simulator descriptors), SYS-alias
// operations, macros and labels/constants (the document's Analysis).
//
// The static lists are built once; a request only picks the list for the cursor's context,
// so answering costs the same on a 10-line and a 10,000-line file.

import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { SYSREG_NAMES } from '../asm/a64';
import { CONDITIONS, SYSOP_NAMES } from '../asm/a64/operands';
import { PSTATE_FIELDS } from '../asm/a64/sysops-data';
import { BY_MNEMONIC } from '../asm/a64';
import { ARMVIRT_DIRECTIVES, DIRECTIVE_NAMES } from '../asm/assembler';
import { splitArgs, splitStatements, stripLineComments } from '../asm/assembler/source';
import type { Analysis } from './analysis';
import { mnemonicForms, mnemonicMarkdown, SYSREG_DEFS, sysregMarkdown } from './hover';

/** `data` of an item, used by completionItem/resolve. */
export interface ItemData {
  k: 'mnemonic' | 'sysreg';
  n: string;
}

/** Every mnemonic the assembler accepts, with `b.<cond>` expanded to each condition. */
export function allMnemonics(): string[] {
  const out: string[] = [];
  for (const key of BY_MNEMONIC.keys()) {
    const m = /^(\w+)\.<cond>$/.exec(key);
    if (m) for (const names of CONDITIONS) for (const c of names) out.push(`${m[1]}.${c}`);
    else out.push(key);
  }
  return out;
}

let mnemonicItems: CompletionItem[] | undefined;
let directiveItems: CompletionItem[] | undefined;
let sysregItems: { upper: CompletionItem[]; lower: CompletionItem[] } | undefined;
const sysopItems = new Map<string, CompletionItem[]>();

function mnemonics(): CompletionItem[] {
  if (!mnemonicItems) {
    mnemonicItems = allMnemonics().map((n) => {
      const key = n.includes('.') && !BY_MNEMONIC.has(n) ? n.replace(/\.\w+$/, '.<cond>') : n;
      const forms = mnemonicForms(key);
      const item: CompletionItem = { label: n, kind: CompletionItemKind.Keyword, detail: forms[0]?.desc, data: { k: 'mnemonic', n } satisfies ItemData };
      // Conditional branches sort after the plain mnemonics they extend.
      if (n.includes('.')) item.sortText = `~${n}`;
      return item;
    });
  }
  return mnemonicItems;
}

function directives(): CompletionItem[] {
  if (!directiveItems) {
    directiveItems = DIRECTIVE_NAMES.map((n) => {
      const own = ARMVIRT_DIRECTIVES[n];
      return own
        ? { label: n, kind: CompletionItemKind.Keyword, detail: own.syntax, documentation: { kind: 'markdown' as const, value: own.doc }, filterText: n, insertText: n }
        : { label: n, kind: CompletionItemKind.Keyword, detail: 'directive', filterText: n, insertText: n };
    });
  }
  return directiveItems;
}

function sysregs(lower: boolean): CompletionItem[] {
  if (!sysregItems) {
    const make = (low: boolean): CompletionItem[] =>
      Object.keys(SYSREG_NAMES).map((n) => {
        const upper = n.toUpperCase();
        const d = SYSREG_DEFS.get(upper);
        return {
          label: upper,
          kind: CompletionItemKind.Variable,
          detail: d ? d.long : 'system register (not modelled by the simulator)',
          // Registers the simulator models come first.
          sortText: (d ? '0' : '1') + n,
          filterText: low ? n : upper,
          insertText: low ? n : upper,
          data: { k: 'sysreg', n: upper } satisfies ItemData,
        };
      });
    sysregItems = { upper: make(false), lower: make(true) };
  }
  return lower ? sysregItems.lower : sysregItems.upper;
}

function sysops(kind: string): CompletionItem[] {
  let l = sysopItems.get(kind);
  if (!l) {
    l = [...(SYSOP_NAMES.get(kind)?.keys() ?? [])].map((n) => ({ label: n, kind: CompletionItemKind.EnumMember, detail: `${kind.toUpperCase()} operation` }));
    sysopItems.set(kind, l);
  }
  return l;
}

/** Labels, constants and macros of an analysis, cached on it (the analysis is immutable). */
const symbolItemCache = new WeakMap<Analysis, { symbols: CompletionItem[]; macros: CompletionItem[] }>();
function analysisItems(an: Analysis): { symbols: CompletionItem[]; macros: CompletionItem[] } {
  let c = symbolItemCache.get(an);
  if (!c) {
    const symbols: CompletionItem[] = [];
    for (const [name, defs] of an.defs) {
      const sym = an.symbols.get(name);
      const d = defs[0];
      const isConst = d.kind === 'constant' || d.kind === 'define' || (sym !== undefined && sym.section === null);
      const value = sym ? '0x' + (sym.value < 0n ? sym.value + (1n << 64n) : sym.value).toString(16) : undefined;
      symbols.push({
        label: name,
        kind: isConst ? CompletionItemKind.Constant : CompletionItemKind.Reference,
        detail: isConst ? `constant${value ? ' = ' + value : ''}` : `label${sym?.section ? ` in ${sym.section}` : ''}${value ? ' @ ' + value : ''}`,
      });
    }
    const macros = [...an.macros.values()].map((d) => ({ label: d.name, kind: CompletionItemKind.Function, detail: `macro${d.detail ? ' ' + d.detail : ''}` }));
    symbolItemCache.set(an, (c = { symbols, macros }));
  }
  return c;
}

export interface CompletionContext {
  kind: 'head' | 'directive' | 'operand' | 'none';
  head?: string;
  operand?: number;
  prefix: string;
}

/** What the cursor is completing, from the text of its line up to the cursor. */
export function completionContext(lineText: string, character: number): CompletionContext {
  const before = lineText.slice(0, character);
  const stripped = before.indexOf('/') >= 0 ? stripLineComments(before, false).text : before;
  if (stripped.length < before.length) return { kind: 'none', prefix: '' }; // in a comment
  if (/^\s*#/.test(stripped)) return { kind: 'none', prefix: '' };
  // Inside a string?
  if (((stripped.match(/"/g) ?? []).length & 1) === 1) return { kind: 'none', prefix: '' };
  const pieces = splitStatements(stripped);
  let text = pieces[pieces.length - 1].text;
  // Skip label definitions.
  for (;;) {
    const m = /^[ \t]*([A-Za-z_.$][\w.$]*|\d+)[ \t]*:(?![:=])/.exec(text);
    if (!m) break;
    text = text.slice(m[0].length);
  }
  const prefix = /[\w.$]*$/.exec(text)![0];
  const hm = /^[ \t]*([\w.$]*)/.exec(text)!;
  if (hm[0].length === text.length) return { kind: prefix.startsWith('.') ? 'directive' : 'head', prefix };
  const head = hm[1].toLowerCase();
  const operand = splitArgs(text.slice(hm[0].length)).length - 1;
  return { kind: 'operand', head, operand, prefix };
}

/** Whether the characters of `prefix` occur in order in `text` (both lower case). */
function subsequence(prefix: string, text: string): boolean {
  let j = 0;
  for (let i = 0; i < text.length && j < prefix.length; i++) if (text.charCodeAt(i) === prefix.charCodeAt(j)) j++;
  return j === prefix.length;
}

/**
 * Completion for a position. `ans`: the analyses that see the document. Lists are cut down
 * to the items that can still match the typed prefix (a superset of what the editor's fuzzy
 * filter keeps); the list is then marked incomplete so the editor asks again as the word
 * changes — cheap, and it keeps large lists (900+ system registers, every label of a
 * 10,000-line file) off the wire.
 */
export function complete(lineText: string, character: number, ans: Analysis[]): { isIncomplete: boolean; items: CompletionItem[] } {
  const ctx = completionContext(lineText, character);
  const all = candidates(ctx, ans);
  if (!ctx.prefix) return { isIncomplete: false, items: all };
  const p = ctx.prefix.toLowerCase();
  return { isIncomplete: true, items: all.filter((i) => subsequence(p, (i.filterText ?? i.label).toLowerCase())) };
}

function candidates(ctx: CompletionContext, ans: Analysis[]): CompletionItem[] {
  const lowerCase = (s: string | undefined) => s !== undefined && s === s.toLowerCase();
  switch (ctx.kind) {
    case 'none':
      return [];
    case 'directive':
      return directives();
    case 'head': {
      const macros = ans.flatMap((an) => analysisItems(an).macros);
      return [...macros, ...mnemonics(), ...directives()];
    }
    case 'operand': {
      const head = ctx.head!;
      const op = ctx.operand!;
      const lower = ctx.prefix ? lowerCase(ctx.prefix) : lowerCase(head);
      if ((head === 'mrs' && op === 1) || (head === 'msr' && op === 0)) {
        const regs = sysregs(lower);
        if (head !== 'msr') return regs;
        const pstate = PSTATE_FIELDS.map(([, , n]) => ({ label: lower ? n : n.toUpperCase(), kind: CompletionItemKind.EnumMember, detail: 'PSTATE field (MSR immediate)' }));
        return [...pstate, ...regs];
      }
      if (op === 0 && SYSOP_NAMES.has(head)) return sysops(head);
      if (head === '.include') return [];
      const symbols = ans.flatMap((an) => analysisItems(an).symbols);
      return symbols;
    }
  }
}

/** Fills in documentation for an item the editor is showing. */
export function resolveItem(item: CompletionItem): CompletionItem {
  const d = item.data as ItemData | undefined;
  if (!d) return item;
  const md = d.k === 'sysreg' ? sysregMarkdown(d.n) : mnemonicMarkdown(d.n);
  if (md) item.documentation = { kind: MarkupKind.Markdown, value: md };
  return item;
}
