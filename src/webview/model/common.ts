// Shared pieces of the panel view models: a table cell that knows whether it changed since
// the previous stop, and hex formatting. Everything here is pure (no DOM, no vscode).

/** One cell of a panel table: its text, an optional tooltip, and whether it differs from the previous stop. */
export interface Cell { text: string; title?: string; changed?: boolean }

/** A message a page posts to its host when the user activates a row (click, Enter or Space). */
export interface RowAction { type: string; [field: string]: unknown }

/**
 * A table row; `key` identifies the row across stops (e.g. 'lr0', 'intid27'). `action` makes the
 * row activatable (`actionLabel` says what activating it does); `marked` shows a breakpoint on it.
 */
export interface Row { key: string; cells: Cell[]; changed?: boolean; dim?: boolean; action?: RowAction; actionLabel?: string; marked?: boolean }

export interface Table { id: string; caption: string; columns: string[]; rows: Row[] }

export const hex = (v: number, digits = 0): string => `0x${(v >>> 0).toString(16).padStart(digits, '0')}`;

/** Marks the cells of `rows` whose text differs from the row with the same key in `prev` (no prev: nothing changed). */
export function markChanges(rows: Row[], prev: Row[] | undefined): Row[] {
  if (!prev) return rows;
  const old = new Map(prev.map((r) => [r.key, r]));
  for (const r of rows) {
    const o = old.get(r.key);
    r.cells.forEach((c, i) => { c.changed = o === undefined || o.cells[i]?.text !== c.text; });
    r.changed = r.cells.some((c) => c.changed);
  }
  return rows;
}

/** Names of the set bits of `v`, using `names[i]` for bit i. */
export function bitNames(v: number, names: readonly string[]): string[] {
  const out: string[] = [];
  names.forEach((n, i) => { if ((v >>> i) & 1) out.push(n); });
  return out;
}

export const yn = (b: boolean): string => (b ? 'yes' : 'no');
