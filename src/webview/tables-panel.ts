/// <reference lib="dom" />
// The GIC and Timers panels: a header and tables, re-rendered from each view model the host posts
// ({type: 'model', seq, model}); the last model is kept with setState so a hidden panel comes
// back as it was. Rows with an action post it to the host when clicked or on Enter/Space.
import type { Table } from './model/common';
import { h, header, icon, renderTable, replace, vscodeApi } from './dom';

export interface TablesModel { title: string; summary: string[]; misrReasons?: string[]; tables: Table[] }
export interface ModelMessage { type: 'model'; seq?: number; model: TablesModel; status?: string }
export interface EmptyMessage { type: 'empty'; seq?: number; reason: string }

export function startTablesPanel(): void {
  const vscode = vscodeApi();
  const root = document.getElementById('root') ?? document.body.appendChild(h('main', { id: 'root' }));
  const render = (m: ModelMessage | EmptyMessage): void => {
    if (m.type === 'empty') {
      replace(root, m.seq, h('p', { class: 'placeholder' }, icon('debug'), ' ', m.reason));
      return;
    }
    const parts: Node[] = [header(m.model.title, m.model.summary, m.status)];
    if (m.model.misrReasons && m.model.misrReasons.length > 0) {
      const ul = h('ul', { class: 'misr', 'aria-label': 'maintenance interrupt reasons' });
      for (const r of m.model.misrReasons) ul.append(h('li', {}, icon('warning'), ' ', r));
      parts.push(h('section', {}, h('h2', {}, 'Maintenance interrupt (MISR)'), ul));
    }
    // Activated rows (the GIC panel's list registers: break on this LR) go to the host.
    for (const t of m.model.tables) parts.push(renderTable(t, (a) => vscode.postMessage(a)));
    replace(root, m.seq, ...parts);
  };
  const saved = vscode.getState() as ModelMessage | EmptyMessage | undefined;
  if (saved && (saved.type === 'model' || saved.type === 'empty')) render(saved);
  window.addEventListener('message', (e: MessageEvent) => {
    const m = e.data as ModelMessage | EmptyMessage;
    if (!m || (m.type !== 'model' && m.type !== 'empty')) return;
    render(m);
    vscode.setState(m);
  });
  vscode.postMessage({ type: 'ready' });
}
