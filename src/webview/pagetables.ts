/// <reference lib="dom" />
// Page-table panel: Stage-1 and Stage-2 trees (expanded lazily: the page posts {type: 'expand',
// id, stage, node} and the host answers {type: 'children', id, items}) and an address box whose
// two-stage walk the host answers with {type: 'walk', walk}. Keyboard: the tree follows the
// ARIA tree pattern (Up/Down move, Right expands / goes to the first child, Left collapses / goes
// to the parent, Enter toggles).
import type { TreeItem, WalkView } from './model/pagetables';
import { h, header, icon, replace, vscodeApi } from './dom';

interface RootsMessage { type: 'roots'; seq?: number; title: string; summary: string[]; trees: { stage: 1 | 2; caption: string; items: TreeItem[] }[] }
interface ChildrenMessage { type: 'children'; seq?: number; id: string; items: TreeItem[]; error?: string }
/** walk: null takes the walk box's result down (e.g. the fault walk of an earlier stop). */
interface WalkMessage { type: 'walk'; seq?: number; address: string; walk: WalkView | null }
interface EmptyMessage { type: 'empty'; seq?: number; reason: string }
type Msg = RootsMessage | ChildrenMessage | WalkMessage | EmptyMessage;

interface State { roots?: RootsMessage; children: Record<string, TreeItem[]>; expanded: string[]; walk?: WalkMessage; address: string }

const vscode = vscodeApi();
const state: State = { children: {}, expanded: [], address: '', ...(vscode.getState() as Partial<State> | undefined) };
const root = document.getElementById('root') ?? document.body.appendChild(h('main', { id: 'root' }));
const save = (): void => vscode.setState(state);

function item(it: TreeItem, stage: number, level: number): HTMLElement {
  const expanded = state.expanded.includes(it.id);
  const li = h('li', {
    role: 'treeitem', 'data-id': it.id, 'aria-level': level, tabindex: -1, class: `pt-${it.kind}`, title: it.title,
    'aria-expanded': it.child ? String(expanded) : undefined,
  });
  const twisty = it.child ? icon(expanded ? 'chevron-down' : 'chevron-right') : h('span', { class: 'twisty-space' });
  li.append(h('div', { class: 'row' }, twisty, h('span', { class: 'label' }, it.label), ' ', h('span', { class: 'detail' }, it.detail)));
  if (it.child && expanded) {
    const kids = state.children[it.id];
    const group = h('ul', { role: 'group' });
    if (kids) for (const k of kids) group.append(item(k, stage, level + 1));
    else group.append(h('li', { class: 'loading' }, icon('loading'), ' loading…'));
    li.append(group);
  }
  li.addEventListener('click', (e) => { e.stopPropagation(); toggle(it, stage); });
  return li;
}

function toggle(it: TreeItem, stage: number): void {
  if (!it.child) return;
  const i = state.expanded.indexOf(it.id);
  if (i >= 0) state.expanded.splice(i, 1);
  else {
    state.expanded.push(it.id);
    if (!state.children[it.id]) vscode.postMessage({ type: 'expand', id: it.id, stage, node: it.child });
  }
  save();
  render(undefined, it.id);
}

function findItem(id: string): { it: TreeItem; stage: number } | undefined {
  for (const t of state.roots?.trees ?? []) {
    const stack = [...t.items];
    while (stack.length) {
      const it = stack.pop()!;
      if (it.id === id) return { it, stage: t.stage };
      stack.push(...(state.children[it.id] ?? []));
    }
  }
  return undefined;
}

function treeKey(e: KeyboardEvent, tree: HTMLElement): void {
  const li = (e.target as HTMLElement).closest('li[role=treeitem]') as HTMLElement | null;
  if (!li) return;
  const visible = Array.from(tree.querySelectorAll<HTMLElement>('li[role=treeitem]')).filter((x) => x.offsetParent !== null || x === li);
  const i = visible.indexOf(li);
  const id = li.dataset.id ?? '';
  const found = findItem(id);
  let next: HTMLElement | undefined;
  switch (e.key) {
    case 'ArrowDown': next = visible[i + 1]; break;
    case 'ArrowUp': next = visible[i - 1]; break;
    case 'Home': next = visible[0]; break;
    case 'End': next = visible[visible.length - 1]; break;
    case 'ArrowRight':
      if (found?.it.child && !state.expanded.includes(id)) { toggle(found.it, found.stage); e.preventDefault(); return; }
      next = li.querySelector<HTMLElement>('li[role=treeitem]') ?? undefined; break;
    case 'ArrowLeft':
      if (state.expanded.includes(id) && found) { toggle(found.it, found.stage); e.preventDefault(); return; }
      next = li.parentElement?.closest<HTMLElement>('li[role=treeitem]') ?? undefined; break;
    case 'Enter': case ' ':
      if (found) toggle(found.it, found.stage);
      e.preventDefault(); return;
    default: return;
  }
  e.preventDefault();
  if (next) focusItem(tree, next);
}

function focusItem(tree: HTMLElement, li: HTMLElement): void {
  tree.querySelectorAll('li[tabindex="0"]').forEach((x) => x.setAttribute('tabindex', '-1'));
  li.setAttribute('tabindex', '0');
  li.focus();
}

function walkSection(): HTMLElement {
  const input = h('input', { type: 'text', id: 'address', placeholder: 'VA, register or symbol (e.g. pc, 0x40001000)', 'aria-label': 'address to translate', value: state.address });
  const form = h('form', { class: 'addr' }, input, h('button', { type: 'submit', title: 'Translate (Stage 1 and Stage 2)' }, icon('arrow-right'), ' Translate'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.address = input.value.trim();
    save();
    if (state.address) vscode.postMessage({ type: 'translate', address: state.address });
  });
  const sec = h('section', { class: 'walk', 'aria-label': 'two-stage walk' }, h('h2', {}, 'Translate VA → IPA → PA'), form);
  const w = state.walk;
  if (w?.walk) {
    const walk = w.walk;
    sec.append(h('p', { class: walk.ok ? 'ok' : 'fault' }, icon(walk.ok ? 'pass' : 'error'), ' ', `${w.address}: ${walk.headline}`));
    const ol = h('ol', { class: 'steps' });
    for (const s of walk.steps) ol.append(h('li', { class: [`s${s.stage}`, s.fault ? 'fault' : ''].join(' ').trim(), tabindex: -1 }, h('code', {}, s.text), ' ', h('span', { class: 'detail' }, s.detail)));
    sec.append(ol);
  }
  return sec;
}

function render(seq?: number, focusId?: string): void {
  const active = focusId ?? (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('li[role=treeitem]')?.dataset.id;
  const r = state.roots;
  if (!r) { replace(root, seq, h('p', { class: 'placeholder' }, 'No page tables yet: stop the program in an ArmVirt debug session.')); return; }
  const parts: Node[] = [header(r.title, r.summary), walkSection()];
  for (const t of r.trees) {
    const tree = h('ul', { role: 'tree', class: 'tree', 'aria-label': t.caption, id: `tree-s${t.stage}` });
    for (const it of t.items) tree.append(item(it, t.stage, 1));
    tree.addEventListener('keydown', (e) => treeKey(e, tree));
    parts.push(h('section', {}, h('h2', {}, t.caption), h('div', { class: 'hscroll' }, tree)));
  }
  replace(root, seq, ...parts);
  const all = Array.from(root.querySelectorAll<HTMLElement>('li[role=treeitem]'));
  const target = all.find((x) => x.dataset.id === active) ?? all[0];
  if (target) {
    target.setAttribute('tabindex', '0');
    if (active) target.focus();
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as Msg;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'roots': state.roots = m; state.children = {}; break;
    case 'children': state.children[m.id] = m.error ? [{ id: `${m.id}:error`, kind: 'reserved', label: m.error, detail: '', title: '' }] : m.items; break;
    case 'walk': state.walk = m.walk ? m : undefined; break;
    case 'empty': state.roots = undefined; break;
    default: return;
  }
  save();
  render(m.seq);
  // Expanded nodes of the previous stop are fetched again (the tables may have changed).
  if (m.type === 'roots') for (const id of state.expanded) { const f = findItem(id); if (f?.it.child) vscode.postMessage({ type: 'expand', id, stage: f.stage, node: f.it.child }); }
});
render();
vscode.postMessage({ type: 'ready' });
