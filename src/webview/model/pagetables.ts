// Page-table panel view model: armvirt/pageTables answers (lazy Stage-1 / Stage-2 trees,
// src/sim/mmu/tables.ts) → tree nodes with each descriptor decoded into one line, and an
// armvirt/translate report → the steps of the two-stage walk VA → IPA → PA, the faulting step
// marked (DDI0487 D8.2 translation table walks; D8.3 descriptor formats).

export interface PtEntry {
  index: number; inputStart: string; inputEnd: string; descAddress: string; descPa?: string; raw: string;
  decoded: Record<string, unknown>; child?: Record<string, unknown>;
}
export interface PtRoot {
  name: string; enabled: boolean; reason?: string; tableAddress: string; tablePa?: string; level: number;
  inputStart: string; inputEnd: string; granule: number; concatenated?: number; node: Record<string, unknown>;
}
export interface PtRootsData { stage: 1 | 2; regime: string; stage1Enabled: boolean; stage2Enabled: boolean; vmid?: number; roots: PtRoot[] }
export interface PtNodeData { stage: 1 | 2; regime: string; node: Record<string, unknown>; tablePa?: string; error?: string; entries: PtEntry[] }

/** One line of the tree: a root or a descriptor; `child` is the handle to expand it. */
export interface TreeItem {
  id: string; label: string; detail: string; title: string; kind: 'root' | 'table' | 'block' | 'page' | 'reserved' | 'disabled';
  child?: Record<string, unknown>;
}

const SIZE_UNITS: [number, string][] = [[2 ** 40, 'T'], [2 ** 30, 'G'], [2 ** 20, 'M'], [2 ** 10, 'K']];
export function sizeText(start: string, end: string): string {
  const n = Number(BigInt(end) - BigInt(start)) + 1;
  for (const [u, s] of SIZE_UNITS) if (n >= u && n % u === 0) return `${n / u}${s}`;
  return `${n}B`;
}

/** Decoded attributes of one descriptor as short text. */
export function entryAttributes(stage: 1 | 2, d: Record<string, unknown>): string {
  const t = String(d.type);
  if (t === 'table') {
    const a: string[] = [];
    for (const k of ['APTable', 'XNTable', 'PXNTable', 'UXNTable', 'apTable', 'xnTable', 'pxnTable', 'uxnTable']) if (d[k]) a.push(`${k}=${String(d[k])}`);
    return a.join(' ');
  }
  if (t !== 'block' && t !== 'page') return typeof d.note === 'string' ? d.note : '';
  const a: string[] = [];
  if (stage === 1) {
    a.push(String(d.apText ?? `AP=${String(d.ap)}`));
    if (d.uxn) a.push('UXN');
    if (d.pxn) a.push('PXN');
    if (d.ng) a.push('nG');
  } else {
    a.push(`S2AP ${String(d.s2apText ?? d.s2ap)}`);
    if (d.xn) a.push('XN');
  }
  if (d.memType) a.push(String(d.memType));
  if (d.shText) a.push(String(d.shText));
  if (!d.af) a.push('AF=0');
  return a.join(', ');
}

export function rootItems(data: PtRootsData): TreeItem[] {
  return data.roots.map((r) => ({
    id: `s${data.stage}:${r.name}`, kind: r.enabled ? 'root' : 'disabled',
    label: `${r.name} ${r.tableAddress}${r.tablePa && r.tablePa !== r.tableAddress ? ` (PA ${r.tablePa})` : ''}`,
    detail: r.enabled ? `L${r.level} ${r.inputStart}–${r.inputEnd}${r.concatenated ? `, ${r.concatenated} concatenated tables` : ''}` : (r.reason ?? 'disabled'),
    title: `granule ${r.granule / 1024}K`, child: r.enabled ? r.node : undefined,
  }));
}

export function nodeItems(data: PtNodeData): TreeItem[] {
  return data.entries.map((e) => {
    const t = String(e.decoded.type) as TreeItem['kind'];
    const out = String(e.decoded.outputAddress ?? '');
    const outPa = e.decoded.outputPa && e.decoded.outputPa !== out ? ` (PA ${String(e.decoded.outputPa)})` : '';
    return {
      id: `s${data.stage}:${e.descAddress}`, kind: t,
      label: `[${e.index}] ${e.inputStart}–${e.inputEnd} (${sizeText(e.inputStart, e.inputEnd)}) → ${t} ${out}${outPa}`,
      detail: entryAttributes(data.stage, e.decoded),
      title: `descriptor ${e.raw} at ${e.descAddress}${e.descPa && e.descPa !== e.descAddress ? ` (PA ${e.descPa})` : ''}`,
      child: e.child,
    };
  });
}

export interface WalkStep {
  stage: number; level: number; forS1Table: boolean; tableBase: number; index: number; descAddr: number; descPa?: number;
  descLo: number; descHi: number; decision: string; why: string;
}
export interface TranslateReport { ok: boolean; regime?: string; vaLo?: number; vaHi?: number; ipa?: number | null; pa?: number | null; fault?: Record<string, unknown> | null; explanation?: string; attrText?: string; steps?: WalkStep[] }

export interface WalkView { ok: boolean; headline: string; steps: { text: string; detail: string; fault: boolean; stage: number }[] }

const hx = (v: number): string => `0x${v.toString(16)}`;

export function walkView(r: TranslateReport): WalkView {
  const steps = (r.steps ?? []).map((s, i, all) => {
    const desc = `0x${(s.descHi >>> 0).toString(16).padStart(8, '0')}${(s.descLo >>> 0).toString(16).padStart(8, '0')}`;
    const fault = !r.ok && i === all.length - 1;
    return {
      stage: s.stage, fault,
      text: `S${s.stage} L${s.level}${s.forS1Table ? ' (for S1 table)' : ''}: ${hx(s.tableBase)}[${s.index}] @ ${hx(s.descAddr)}${s.descPa !== undefined && s.descPa !== s.descAddr ? ` (PA ${hx(s.descPa)})` : ''} = ${desc}`,
      detail: `${s.decision}: ${s.why}`,
    };
  });
  const f = r.fault;
  const headline = r.ok ? (r.explanation ?? 'ok') + (r.attrText ? ` (${r.attrText})` : '')
    : `fault: ${f ? Object.entries(f).filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object').map(([k, v]) => `${k}=${String(v)}`).join(' ') : 'unknown'}`;
  return { ok: r.ok, headline, steps };
}
