// Document symbols: sections (as containers), labels inside them, constants, and macros
// (spanning .macro … .endm), from the tokenizer's index of one file.

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { Analysis, FileIndex } from './analysis';

const range = (line: number, start: number, endLine: number, end: number) => ({ start: { line, character: start }, end: { line: endLine, character: end } });

export function documentSymbols(fi: FileIndex, an: Analysis | undefined): DocumentSymbol[] {
  const top: DocumentSymbol[] = [];
  const last = Math.max(0, fi.lineCount - 1);
  // Sections: from their directive to the line before the next section change.
  const secs = fi.sections.map((s, i) => {
    const endLine = i + 1 < fi.sections.length ? Math.max(s.line, fi.sections[i + 1].line - 1) : last;
    const sym: DocumentSymbol = {
      name: s.name,
      kind: SymbolKind.Namespace,
      range: range(s.line, 0, endLine + 1, 0),
      selectionRange: range(s.line, s.start, s.line, s.end),
      children: [],
    };
    return sym;
  });
  top.push(...secs);
  const container = (line: number): DocumentSymbol[] => {
    let c: DocumentSymbol | undefined;
    for (const s of secs) if (s.range.start.line <= line) c = s;
    return c ? c.children! : top;
  };
  const labels = fi.defs.filter((d) => d.kind !== 'local');
  for (let i = 0; i < labels.length; i++) {
    const d = labels[i];
    if (d.kind === 'macro') {
      top.push({
        name: d.name,
        detail: d.detail ? `macro ${d.detail}` : 'macro',
        kind: SymbolKind.Method,
        range: range(d.line, 0, (d.endLine ?? d.line) + 1, 0),
        selectionRange: range(d.line, d.start, d.line, d.end),
      });
      continue;
    }
    const sym = an?.symbols.get(d.name);
    const isConst = d.kind !== 'label';
    // Ranges end at the start of the line after the last one they cover.
    // A label's range runs to the next label (or the end of its section).
    let endLine = d.line;
    if (!isConst) {
      let next: (typeof labels)[number] | undefined;
      for (let j = i + 1; j < labels.length && !next; j++) if (labels[j].kind === 'label' && labels[j].line > d.line) next = labels[j];
      endLine = next ? next.line - 1 : last;
      const sec = secs.find((s) => s.range.start.line > d.line);
      if (sec && sec.range.start.line - 1 < endLine) endLine = sec.range.start.line - 1;
      if (endLine < d.line) endLine = d.line;
    }
    const value = sym ? '0x' + (sym.value < 0n ? sym.value + (1n << 64n) : sym.value).toString(16) : undefined;
    container(d.line).push({
      name: d.name,
      detail: isConst ? (value ? `= ${value}` : d.detail) : value,
      kind: isConst ? SymbolKind.Constant : sym?.type === 'object' ? SymbolKind.Variable : SymbolKind.Function,
      range: range(d.line, 0, endLine + 1, 0),
      selectionRange: range(d.line, d.start, d.line, d.end),
    });
  }
  return top.sort((a, b) => a.range.start.line - b.range.start.line);
}
