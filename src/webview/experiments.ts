/// <reference lib="dom" />
// The Experiments panel (ArmVirt: Show Experiments): a toolbar with "Run again" and the charts
// of the last results. The host posts the view model ({type: 'model', seq, model, status}) and
// the run's progress ({type: 'running', running, text}); the page builds DOM nodes from the
// same element tree the CLI's --html report serializes (experiments-svg.ts), with
// createElement/createElementNS and text nodes — nothing is parsed as HTML. "Run again" posts
// {type: 'run'}. The last model is kept with setState so a hidden panel comes back as it was.
import type { ExperimentsView } from './model/experiments';
import { experimentsContent, type ViewNode } from './experiments-svg';
import { h, icon, vscodeApi } from './dom';

export interface ModelMessage { type: 'model'; seq?: number; model: ExperimentsView; status?: string }
export interface EmptyMessage { type: 'empty'; seq?: number; reason: string }
export interface RunningMessage { type: 'running'; seq?: number; running: boolean; text?: string }

const SVG_NS = 'http://www.w3.org/2000/svg';

/** DOM nodes for a tree from experiments-svg.ts (SVG elements in the SVG namespace). */
export function build(node: ViewNode | string, svg = false): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  const inSvg = svg || node.tag === 'svg';
  const el = inSvg ? document.createElementNS(SVG_NS, node.tag) : document.createElement(node.tag);
  for (const [k, v] of Object.entries(node.attrs ?? {})) {
    if (v === undefined || k === 'xmlns') continue;
    el.setAttribute(k, String(v));
  }
  for (const c of node.children ?? []) el.appendChild(build(c, inSvg));
  return el;
}

function start(): void {
  const vscode = vscodeApi();
  const root = document.getElementById('root') ?? document.body.appendChild(h('main', { id: 'root' }));
  const button = h('button', { id: 'run-again', type: 'button', title: 'Run every benchmark under every hypervisor again (armvirt experiments)' }, icon('debug-rerun'), ' Run again');
  const status = h('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const content = h('div', { id: 'content' });
  root.replaceChildren(h('header', { class: 'exp-toolbar' }, h('h1', {}, 'Experiments'), button, status), content);
  button.addEventListener('click', () => vscode.postMessage({ type: 'run' }));

  const show = (m: ModelMessage | EmptyMessage): void => {
    if (m.type === 'empty') content.replaceChildren(h('p', { class: 'placeholder' }, icon('info'), ' ', m.reason));
    else {
      content.replaceChildren(build(experimentsContent(m.model)));
      status.textContent = m.status ?? '';
    }
  };
  const saved = vscode.getState() as ModelMessage | EmptyMessage | undefined;
  if (saved && (saved.type === 'model' || saved.type === 'empty')) show(saved);
  window.addEventListener('message', (e: MessageEvent) => {
    const m = e.data as ModelMessage | EmptyMessage | RunningMessage;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'running') {
      (button as HTMLButtonElement).disabled = m.running;
      status.textContent = m.text ?? '';
    } else if (m.type === 'model' || m.type === 'empty') {
      show(m);
      vscode.setState(m);
    } else return;
    if (m.seq !== undefined) document.body.dataset.rendered = String(m.seq);
  });
  vscode.postMessage({ type: 'ready' });
}

start();
