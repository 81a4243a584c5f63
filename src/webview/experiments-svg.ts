// Renders the experiments view model (model/experiments.ts) as a tree of elements — HTML with
// inline SVG charts — without a DOM: toMarkup() serializes it for the CLI's --html report, and
// the panel script (experiments.ts) builds DOM nodes from the same tree (no HTML parsing). Only
// geometry and class names are set here; colours and fonts come from the stylesheet
// (experiments.css), so the charts follow the VS Code theme in the panel.
//
// Every bar carries data-bench, data-hyp, data-source and data-value (cycles; empty when the
// guest did not report), and each chart its scale (data-max) and plot geometry (data-plot-x,
// data-plot-width), so tests can check what is drawn against the numbers.
import { fmtCycles, type BarView, type BreakdownView, type ExperimentsView, type GroupView } from './model/experiments';

export interface ViewNode { tag: string; attrs?: Record<string, string | number | undefined>; children?: (ViewNode | string)[] }

const n = (tag: string, attrs: ViewNode['attrs'] = {}, ...children: (ViewNode | string | null | undefined | false)[]): ViewNode =>
  ({ tag, attrs, children: children.filter((c): c is ViewNode | string => c !== null && c !== undefined && c !== false) });

/** Pixel coordinates are rounded to 0.1 px. */
const r1 = (v: number): number => Math.round(v * 10) / 10;

/** Geometry of a benchmark group's chart (px). */
export const GROUP = { width: 440, labelX: 112, plotX: 118, plotWidth: 200, rowHeight: 20, barHeight: 13, top: 8, axisGap: 4 } as const;
/** Geometry of the breakdown chart (px). */
export const STACKS = { width: 900, labelX: 172, plotX: 178, plotWidth: 600, rowHeight: 26, barHeight: 18, top: 8, axisGap: 4 } as const;

type Geometry = typeof GROUP | typeof STACKS;

/** The x axis under `rows` rows: baseline, ticks with their labels, and the unit. */
function axis(g: Geometry, rows: number, max: number, ticks: number[]): { nodes: ViewNode[]; height: number } {
  const y = g.top + rows * g.rowHeight + g.axisGap;
  const nodes: ViewNode[] = [n('line', { class: 'axis', x1: g.plotX, y1: y, x2: g.plotX + g.plotWidth, y2: y })];
  for (const t of ticks) {
    const x = r1(g.plotX + (t / max) * g.plotWidth);
    nodes.push(n('line', { class: 'tick', x1: x, y1: g.top, x2: x, y2: y + 3 }));
    nodes.push(n('text', { class: 'tick-label', x, y: y + 14, 'text-anchor': 'middle' }, fmtCycles(t)));
  }
  nodes.push(n('text', { class: 'axis-title', x: g.labelX, y: y + 14, 'text-anchor': 'end' }, 'cycles'));
  return { nodes, height: y + 22 };
}

function barRow(b: BarView, i: number, max: number): ViewNode {
  const g = GROUP;
  const y = g.top + i * g.rowHeight;
  const w = b.value === null ? 0 : r1((b.value / max) * g.plotWidth);
  const mid = y + g.barHeight / 2 + 4;
  return n('g', { class: `bar-row ${b.source}` },
    n('text', { class: 'bar-label', x: g.labelX, y: mid, 'text-anchor': 'end' }, b.label),
    n('rect', {
      class: `bar ${b.source} h-${b.hyp}`, x: g.plotX, y, width: w, height: g.barHeight,
      'data-bench': b.bench, 'data-hyp': b.hyp, 'data-source': b.source, 'data-value': b.value ?? '',
      'data-paper': b.paper ?? undefined, 'data-ratio': b.ratio === null ? undefined : b.ratio.toFixed(4),
    }, n('title', {}, b.title)),
    n('text', { class: 'bar-value', x: g.plotX + w + 4, y: mid, 'data-for': b.hyp }, b.text));
}

function groupFigure(gv: GroupView): ViewNode {
  const ax = axis(GROUP, gv.bars.length, gv.max, gv.ticks);
  return n('figure', { class: 'bench-group', 'data-bench': gv.bench },
    n('figcaption', {}, gv.title),
    n('svg', {
      xmlns: 'http://www.w3.org/2000/svg', width: GROUP.width, height: ax.height, viewBox: `0 0 ${GROUP.width} ${ax.height}`, role: 'img',
      'aria-label': `${gv.title}: ${gv.bars.map((b) => `${b.label} ${fmtCycles(b.value)}`).join(', ')} cycles`,
      'data-max': gv.max, 'data-plot-x': GROUP.plotX, 'data-plot-width': GROUP.plotWidth,
    }, ...ax.nodes, ...gv.bars.map((b, i) => barRow(b, i, gv.max))));
}

function breakdownFigure(bd: BreakdownView): ViewNode {
  const g = STACKS;
  const ax = axis(g, bd.stacks.length, bd.max, bd.ticks);
  const rows = bd.stacks.map((s, i) => {
    const y = g.top + i * g.rowHeight;
    let x = g.plotX;
    const segs = s.segments.map((seg) => {
      const w = r1((seg.value / bd.max) * g.plotWidth);
      const rect = n('rect', {
        class: `seg c-${seg.cls} ${s.source}`, x: r1(x), y, width: w, height: g.barHeight,
        'data-hyp': s.hyp, 'data-source': s.source, 'data-class': seg.cls, 'data-save': seg.save, 'data-restore': seg.restore, 'data-value': seg.value,
      }, n('title', {}, seg.title));
      x += w;
      return rect;
    });
    const mid = y + g.barHeight / 2 + 4;
    return n('g', { class: `stack ${s.source}`, 'data-hyp': s.hyp, 'data-total': s.total },
      n('text', { class: 'bar-label', x: g.labelX, y: mid, 'text-anchor': 'end' }, s.label), ...segs,
      n('text', { class: 'bar-value', x: r1(x) + 4, y: mid }, s.text));
  });
  return n('figure', { class: 'breakdown' },
    n('figcaption', {}, 'Hypercall breakdown by register class (cycles per hypercall, save + restore), beside the paper\'s Table 4 (ARM KVM)'),
    // Too wide to shrink legibly: a narrow panel scrolls it inside its own box instead.
    n('div', { class: 'hscroll' }, n('svg', {
      xmlns: 'http://www.w3.org/2000/svg', width: g.width, height: ax.height, viewBox: `0 0 ${g.width} ${ax.height}`, role: 'img',
      'aria-label': `Hypercall breakdown: ${bd.stacks.map((s) => `${s.label} ${fmtCycles(s.total)}`).join(', ')} cycles`,
      'data-max': bd.max, 'data-plot-x': g.plotX, 'data-plot-width': g.plotWidth,
    }, ...ax.nodes, ...rows)),
    n('ul', { class: 'legend' }, ...bd.classes.map((c) => n('li', {}, n('span', { class: `swatch c-${c.cls}`, 'aria-hidden': 'true' }), c.label))));
}

/** The breakdown's numbers as a table (save / restore per class, one column pair per stack). */
function breakdownTable(bd: BreakdownView): ViewNode {
  return n('div', { class: 'hscroll' }, n('table', { class: 'numbers', 'aria-label': 'Hypercall breakdown (cycles)' },
    n('thead', {},
      n('tr', {}, n('th', { scope: 'col' }, 'class'), ...bd.stacks.map((s) => n('th', { scope: 'colgroup', colspan: 2 }, s.label))),
      n('tr', {}, n('th', {}), ...bd.stacks.flatMap(() => [n('th', { scope: 'col' }, 'save'), n('th', { scope: 'col' }, 'restore')]))),
    n('tbody', {}, ...bd.classes.map((c, i) => n('tr', { 'data-class': c.cls }, n('th', { scope: 'row' }, c.label),
      ...bd.stacks.flatMap((s) => [n('td', {}, fmtCycles(s.segments[i].save)), n('td', {}, fmtCycles(s.segments[i].restore))]))))));
}

/** The report's content (everything but the page around it and the panel's toolbar). */
export function experimentsContent(v: ExperimentsView): ViewNode {
  return n('div', { class: 'experiments' },
    n('ul', { class: 'notes' }, ...v.notes.map((t) => n('li', {}, t))),
    n('h2', {}, 'Microbenchmarks (cycles): ours beside the paper (ISCA 2016 Table 3, ARM columns)'),
    n('p', { class: 'explain' }, 'One chart per benchmark, each on its own scale. Beside each bar: cycles and ours / paper. kvm-vhe has no paper column (the paper had no VHE hardware).'),
    n('div', { class: 'groups' }, ...v.groups.map(groupFigure)),
    n('h2', {}, 'Hypercall breakdown'),
    breakdownFigure(v.breakdown),
    breakdownTable(v.breakdown));
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string): string => esc(s).replace(/"/g, '&quot;');

/** Serializes a tree as HTML (with inline SVG); text and attribute values are escaped. */
export function toMarkup(node: ViewNode | string): string {
  if (typeof node === 'string') return esc(node);
  const attrs = Object.entries(node.attrs ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${escAttr(String(v))}"`).join('');
  const VOID = new Set(['br', 'hr', 'img', 'input', 'link', 'meta']);
  if (VOID.has(node.tag)) return `<${node.tag}${attrs}>`;
  return `<${node.tag}${attrs}>${(node.children ?? []).map(toMarkup).join('')}</${node.tag}>`;
}
