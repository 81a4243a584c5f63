/// <reference lib="dom" />
// Timeline panel: one lane per PE of EL segments (width ∝ cycles) with the cycle cost of each,
// a filter on event types, and a segment list. Selecting a segment (click, or Enter/Space on
// the focused one) or an event of the list travels there: the page posts the record's history
// position ({type: 'travel', retired, pe, seq, cycle}) and the host asks the adapter to re-create
// that state (armvirt/travel); the start of the trace, which has no record, posts {type: 'select'}.
// Records after the current position (after travelling back) are shown faded.
// Keyboard: Left/Right move between segments of a lane, Up/Down between lanes.
// Below the lanes, "One guest exit by function": the last exit the adapter profiled
// (armvirt/exitProfile) as a lane of kernel-function segments and a table of the functions by
// cost; the "Profile next exit" button posts {type: 'exitProfile'} and the host runs it.
import { travelMessage, type ExitProfileView, type Segment, type TimelineEvent, type TimelineViewModel } from './model/timeline';
import { h, header, icon, replace, vscodeApi } from './dom';

interface ModelMessage { type: 'model'; seq?: number; model: TimelineViewModel }
interface State { msg?: ModelMessage; hidden: string[]; selected?: string }

const vscode = vscodeApi();
const state: State = { hidden: [], ...(vscode.getState() as Partial<State> | undefined) };
const root = document.getElementById('root') ?? document.body.appendChild(h('main', { id: 'root' }));
const save = (): void => vscode.setState(state);
const segId = (s: Segment): string => `${s.pe}:${s.startCycle}:${s.seq}`;

function render(seq?: number): void {
  const m = state.msg?.model;
  if (!m) { replace(root, seq, h('p', { class: 'placeholder' }, 'No trace yet: stop the program in an ArmVirt debug session.')); return; }
  const span = Math.max(1, m.endCycle - m.startCycle);
  const filters = h('fieldset', { class: 'filters' }, h('legend', {}, 'Events'));
  for (const t of m.types) {
    const cb = h('input', { type: 'checkbox', id: `f-${t}`, checked: !state.hidden.includes(t) });
    cb.addEventListener('change', () => {
      state.hidden = cb.checked ? state.hidden.filter((x) => x !== t) : [...state.hidden, t];
      save(); render();
    });
    filters.append(h('label', { for: `f-${t}` }, cb, ` ${t}`));
  }
  const lanes = h('div', { class: 'lanes', role: 'grid', 'aria-label': 'exception levels over time' });
  const details = h('section', { class: 'segments' });
  for (const p of m.pes) {
    const lane = h('div', { class: 'lane', role: 'row', 'data-pe': p.pe });
    lane.append(h('span', { class: 'lane-label', role: 'rowheader' }, `CPU${p.pe}`));
    const bar = h('div', { class: 'bar' });
    for (const s of p.segments) {
      const id = segId(s);
      const el = h('button', {
        class: `seg el${s.el}${state.selected === id ? ' selected' : ''}${s.future ? ' future' : ''}`, role: 'gridcell', tabindex: -1, 'data-id': id,
        title: `EL${s.el}: ${s.cycles} cycles (${s.startCycle}–${s.endCycle}) — ${s.cause}${s.at !== undefined ? ' — click to travel here' : ''}`,
        'aria-label': `EL${s.el} ${s.cycles} cycles`,
      }, `EL${s.el}`);
      el.style.flexGrow = String(Math.max(s.cycles, span / 200));
      el.addEventListener('click', () => select(s));
      bar.append(el);
    }
    lane.append(bar);
    lanes.append(lane);
    const totals = p.cyclesPerEl.map((c, el) => `EL${el} ${c}`).filter((_, el) => p.cyclesPerEl[el] > 0).join(' · ');
    const list = h('ol', { class: 'seglist', 'aria-label': `CPU${p.pe} segments` });
    for (const s of p.segments) {
      const evs = s.events.filter((e) => !state.hidden.includes(e.type));
      const li = h('li', { class: `el${s.el}${state.selected === segId(s) ? ' selected' : ''}${s.future ? ' future' : ''}`, 'data-id': segId(s) },
        h('span', { class: 'cost' }, `${s.cycles} cycles`), ' ', h('strong', {}, `EL${s.el}`), ` @${s.startCycle} `, h('span', { class: 'cause' }, s.cause));
      if (evs.length) {
        const ul = h('ul', {});
        for (const e of evs) ul.append(eventItem(p.pe, e));
        li.append(ul);
      }
      list.append(li);
    }
    details.append(h('h2', {}, `CPU${p.pe}: ${totals}`), list);
  }
  const summary = m.pes.map((p) => `CPU${p.pe}: ${p.segments.length} segments`);
  replace(root, seq, header(m.title, summary), filters, lanes, exitSection(m.exit), details);
  const focus = root.querySelector<HTMLElement>('.seg.selected') ?? root.querySelector<HTMLElement>('.seg');
  focus?.setAttribute('tabindex', '0');
  lanes.addEventListener('keydown', (e) => laneKey(e, lanes));
}

/**
 * The last profiled guest exit: one lane whose segments are kernel functions (width ∝ cycles,
 * coloured by EL), then the functions by cost. The button profiles the next exit of the thread.
 */
function exitSection(x: ExitProfileView | undefined): HTMLElement {
  const button = h('button', { class: 'profile-exit', title: 'run through the next guest exit of this thread, charging each cycle to the kernel function that spends it' }, icon('pulse'), ' Profile next exit');
  button.addEventListener('click', () => vscode.postMessage({ type: 'exitProfile' }));
  const sec = h('section', { class: 'exit-profile', 'aria-label': 'one guest exit by function' }, h('h2', {}, x ? x.title : 'One guest exit by function'), button);
  if (!x) {
    sec.append(h('p', { class: 'placeholder' }, 'No exit profiled yet: stop a Linux kernel session with a KVM guest running, then profile its next exit.'));
    return sec;
  }
  const bar = h('div', { class: 'bar' });
  for (const s of x.segments) {
    const seg = h('span', { class: `seg fn el${s.el}`, title: `${s.fn} (${s.regime}, EL${s.el}): ${s.cycles} cycles, ${s.instructions} instructions, from cycle ${s.startCycle}` });
    seg.style.flexGrow = String(Math.max(s.cycles, x.cycles / 400));
    bar.append(seg);
  }
  sec.append(h('div', { class: 'lanes' }, h('div', { class: 'lane' }, h('span', { class: 'lane-label' }, `CPU${x.pe}`), bar)));
  const table = h('table', { class: 'grid fn-costs' }, h('thead', {}, h('tr', {}, h('th', {}, 'function'), h('th', {}, 'regime'), h('th', {}, 'cycles'), h('th', {}, '%'), h('th', {}, 'instructions'))));
  const body = h('tbody', {});
  for (const f of x.functions) body.append(h('tr', {}, h('td', {}, f.fn), h('td', {}, f.regime), h('td', { class: 'num' }, String(f.cycles)), h('td', { class: 'num' }, String(f.percent)), h('td', { class: 'num' }, String(f.instructions))));
  table.append(body);
  sec.append(table);
  return sec;
}

/** An event of the segment list: a button that travels to it when it has a recorded position. */
function eventItem(pe: number, e: TimelineEvent): HTMLElement {
  const text = ` #${e.seq} @${e.cycle} ${e.text}`;
  const msg = travelMessage(pe, e);
  const li = h('li', { class: `ev ev-${e.type}${e.future ? ' future' : ''}` }, icon('circle-small-filled'));
  if (!msg) { li.append(text); return li; }
  const b = h('button', { class: 'travel', 'data-seq': e.seq, title: `travel to instruction ${msg.retired}` }, text);
  b.addEventListener('click', () => vscode.postMessage(msg));
  li.append(b);
  return li;
}

function select(s: Segment): void {
  state.selected = segId(s);
  save();
  vscode.postMessage(travelMessage(s.pe, s) ?? { type: 'select', seq: s.seq, cycle: s.startCycle, pe: s.pe });
  render();
  root.querySelector<HTMLElement>('.seg.selected')?.focus();
}

function laneKey(e: KeyboardEvent, lanes: HTMLElement): void {
  const seg = (e.target as HTMLElement).closest<HTMLElement>('.seg');
  if (!seg) return;
  const rows = Array.from(lanes.querySelectorAll<HTMLElement>('.lane'));
  const lane = seg.closest<HTMLElement>('.lane')!;
  const segs = Array.from(lane.querySelectorAll<HTMLElement>('.seg'));
  const i = segs.indexOf(seg), r = rows.indexOf(lane);
  let next: HTMLElement | undefined;
  if (e.key === 'ArrowRight') next = segs[i + 1];
  else if (e.key === 'ArrowLeft') next = segs[i - 1];
  else if (e.key === 'Home') next = segs[0];
  else if (e.key === 'End') next = segs[segs.length - 1];
  else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    const other = rows[r + (e.key === 'ArrowDown' ? 1 : -1)]?.querySelectorAll<HTMLElement>('.seg');
    if (other && other.length) next = other[Math.min(i, other.length - 1)];
  } else return;
  e.preventDefault();
  if (!next) return;
  seg.setAttribute('tabindex', '-1');
  next.setAttribute('tabindex', '0');
  next.focus();
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as ModelMessage;
  if (!m || m.type !== 'model') return;
  state.msg = m;
  save();
  render(m.seq);
});
render();
vscode.postMessage({ type: 'ready' });
