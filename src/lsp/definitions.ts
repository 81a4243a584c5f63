// Go to definition and find references for labels, constants and macros, across every file
// an analysis read through .include / #include.

import type { Analysis, Def, Span, WordAt } from './analysis';
import { findLocalLabel } from './analysis';

export interface FileSpan extends Span {
  file: string;
}

const spanOf = (file: string, s: Span): FileSpan => ({ file, line: s.line, start: s.start, end: s.end });

/** What the word names: a macro (statement head) or a label/constant; undefined for mnemonics etc. */
function targetDefs(w: WordAt, ans: Analysis[], docFile: string): { defs: Def[]; macro: boolean } {
  if (w.role === 'head') {
    for (const an of ans) {
      const m = an.macros.get(w.name.toLowerCase());
      if (m) return { defs: [m], macro: true };
    }
    return { defs: [], macro: true };
  }
  if (w.role === 'directive' || w.role === 'include' || w.role === 'comment') return { defs: [], macro: false };
  if (/^\d+[fb]$/.test(w.name)) {
    for (const an of ans) {
      const d = findLocalLabel(an, docFile, w.name, w.line);
      if (d) return { defs: [d], macro: false };
    }
    return { defs: [], macro: false };
  }
  for (const an of ans) {
    const l = an.defs.get(w.name);
    if (l?.length) return { defs: l, macro: false };
  }
  // A macro name used as an operand (e.g. `.purgem m`).
  for (const an of ans) {
    const m = an.macros.get(w.name.toLowerCase());
    if (m) return { defs: [m], macro: true };
  }
  return { defs: [], macro: false };
}

export function definition(w: WordAt, ans: Analysis[], docFile: string): FileSpan[] {
  if (w.role === 'include') {
    for (const an of ans) {
      const inc = an.files.get(docFile)?.includes.find((i) => i.line === w.line);
      if (inc?.target) return [{ file: inc.target, line: 0, start: 0, end: 0 }];
    }
    return [];
  }
  return targetDefs(w, ans, docFile).defs.map((d) => spanOf(d.file, d));
}

export function references(w: WordAt, ans: Analysis[], docFile: string, includeDeclaration: boolean): FileSpan[] {
  const { defs, macro } = targetDefs(w, ans, docFile);
  if (defs.length === 0) return [];
  if (defs[0].kind === 'local') {
    // Numeric local labels: the references that resolve to this very definition.
    const d = defs[0];
    const out: FileSpan[] = includeDeclaration ? [spanOf(d.file, d)] : [];
    for (const an of ans) {
      const fi = an.files.get(d.file);
      if (!fi) continue;
      for (const r of fi.refs) {
        if (/^\d+[fb]$/.test(r.name) && r.name.slice(0, -1) === d.name && findLocalLabel(an, d.file, r.name, r.line) === d) out.push(spanOf(d.file, r));
      }
      break;
    }
    return out;
  }
  const out: FileSpan[] = [];
  const seen = new Set<string>();
  const add = (s: FileSpan) => {
    const k = `${s.file}:${s.line}:${s.start}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(s);
    }
  };
  if (includeDeclaration) for (const d of defs) add(spanOf(d.file, d));
  const name = macro ? defs[0].name.toLowerCase() : defs[0].name;
  for (const an of ans) {
    for (const fi of an.files.values()) {
      for (const r of fi.refs) {
        if (macro ? r.name.toLowerCase() === name : r.name === name) add(spanOf(fi.file, r));
      }
    }
  }
  return out;
}
