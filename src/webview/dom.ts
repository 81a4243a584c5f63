/// <reference lib="dom" />
// DOM helpers shared by the panel scripts (bundled for the browser by scripts/build.mjs into
// dist/webview-*.js). Text from the adapter only ever reaches the page through textContent and
// attribute values; nothing is parsed as HTML.
import type { Row, RowAction, Table } from './model/common';

export interface VsCodeApi { postMessage(msg: unknown): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;
/** The webview API (acquireVsCodeApi may be called once per page). */
export function vscodeApi(): VsCodeApi {
  api ??= typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage() {}, getState: () => undefined, setState() {} };
  return api;
}

type Attrs = Record<string, string | number | boolean | undefined>;

/** An element with attributes and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** A codicon (font from @vscode/codicons, copied to dist/codicons by the build). */
export const icon = (name: string, label?: string): HTMLElement =>
  h('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true', 'aria-label': label, role: label ? 'img' : undefined });

/**
 * A table from the view model. Rows are keyboard navigable with a roving tabindex:
 * Up/Down/Home/End move between rows, Left/Right between cells. A row with an action is
 * activated by a click or by Enter/Space on any of its cells: `onAction` receives its message.
 * Returned inside a horizontally scrolling wrapper.
 */
export function renderTable(t: Table, onAction?: (a: RowAction) => void): HTMLElement {
  const table = h('table', { class: 'grid', id: `table-${t.id}`, 'aria-label': t.caption });
  table.append(h('caption', {}, t.caption));
  const head = h('tr');
  for (const c of t.columns) head.append(h('th', { scope: 'col' }, c));
  table.append(h('thead', {}, head));
  const body = h('tbody');
  t.rows.forEach((r: Row) => {
    const act = r.action && onAction ? r.action : undefined;
    const cls = [r.changed ? 'changed-row' : '', r.dim ? 'dim' : '', act ? 'actionable' : '', r.marked ? 'marked' : ''].filter(Boolean).join(' ');
    const tr = h('tr', { 'data-key': r.key, class: cls || undefined, title: act ? r.actionLabel : undefined });
    r.cells.forEach((c, i) => {
      const td = h('td', {
        class: c.changed ? 'changed' : undefined, title: c.title ?? (c.changed ? 'changed since the previous stop' : undefined), tabindex: -1,
        // Screen readers hear what activating the row does on its first cell.
        'aria-label': i === 0 && act ? `${c.text}: ${r.actionLabel ?? ''}` : undefined,
      }, i === 0 && r.marked ? icon('debug-breakpoint', 'breakpoint') : null, c.text);
      tr.append(td);
    });
    if (act) tr.addEventListener('click', () => onAction!(act));
    body.append(tr);
  });
  if (t.rows.length === 0) body.append(h('tr', {}, h('td', { colspan: t.columns.length, class: 'empty' }, '(none)')));
  table.append(body);
  const first = body.querySelector('td');
  first?.setAttribute('tabindex', '0');
  // Enter/Space on a cell of row i: that row's action (the '(none)' row has none).
  const activate = (i: number): boolean => {
    const a = onAction ? t.rows[i]?.action : undefined;
    if (a) onAction!(a);
    return a !== undefined;
  };
  table.addEventListener('keydown', (e) => gridKey(e, body, activate));
  // At 200% zoom or in a narrow editor group a wide table scrolls inside its own box instead of
  // pushing the whole page sideways (the header and the other tables stay in view).
  return h('div', { class: 'hscroll' }, table);
}

function gridKey(e: KeyboardEvent, body: HTMLTableSectionElement, activate: (row: number) => boolean): void {
  const td = (e.target as HTMLElement).closest('td');
  if (!td) return;
  const tr = td.parentElement as HTMLTableRowElement;
  const rows = Array.from(body.rows);
  const r = rows.indexOf(tr), c = td.cellIndex;
  let nr = r, nc = c;
  switch (e.key) {
    case 'Enter':
    case ' ':
      if (activate(r)) e.preventDefault();
      return;
    case 'ArrowDown': nr = Math.min(rows.length - 1, r + 1); break;
    case 'ArrowUp': nr = Math.max(0, r - 1); break;
    case 'ArrowRight': nc = Math.min(tr.cells.length - 1, c + 1); break;
    case 'ArrowLeft': nc = Math.max(0, c - 1); break;
    case 'Home': nr = 0; break;
    case 'End': nr = rows.length - 1; break;
    default: return;
  }
  e.preventDefault();
  const next = rows[nr]?.cells[Math.min(nc, rows[nr].cells.length - 1)];
  if (!next) return;
  td.setAttribute('tabindex', '-1');
  next.setAttribute('tabindex', '0');
  next.focus();
}

/** Replaces the children of `root`, then stamps the model sequence number the page shows (tests wait for it). */
export function replace(root: HTMLElement, seq: number | undefined, ...children: Node[]): void {
  root.replaceChildren(...children);
  if (seq !== undefined) document.body.dataset.rendered = String(seq);
}

/** Header: title, summary chips and an optional status line. */
export function header(title: string, summary: string[], status?: string): HTMLElement {
  const chips = h('ul', { class: 'summary' });
  for (const s of summary) chips.append(h('li', {}, s));
  return h('header', {}, h('h1', {}, title), chips, status ? h('p', { class: 'status' }, icon('info'), ' ', status) : null);
}
