// GIC panel view model: a GicSnapshot (armvirt/gic) → tables of list registers, virtual
// interface control registers, the physical CPU interface and the interesting INTIDs, with
// the cells that changed since the previous stop marked.
// Register layouts: IHI 0069 (GICv3) 12.5 ICH_LR<n>_EL2, ICH_HCR_EL2, ICH_VMCR_EL2, ICH_MISR_EL2;
// GICv2 GICH_* share them (IHI 0048B 5.3), see src/sim/gic/lr.ts.
import type { GicSnapshot } from '../../sim/gic/gic';
import { bitNames, hex, markChanges, type Row, type RowAction, type Table } from './common';

/** ICH_MISR_EL2 bits [7:0] (IHI 0069 12.5.11). */
export const MISR_REASONS = [
  'EOI (EOI maintenance of an LR)', 'U (underflow: at most one valid LR)', 'LRENP (EOI with no LR entry)',
  'NP (no pending LR)', 'VGrp0E', 'VGrp0D', 'VGrp1E', 'VGrp1D',
] as const;
const MISR_SHORT = ['EOI', 'U', 'LRENP', 'NP', 'VGrp0E', 'VGrp0D', 'VGrp1E', 'VGrp1D'] as const;
/** ICH_HCR_EL2 bits (IHI 0069 12.5.7). */
const HCR_BITS = ['En', 'UIE', 'LRENPIE', 'NPIE', 'VGrp0EIE', 'VGrp0DIE', 'VGrp1EIE', 'VGrp1DIE', '', '', 'TC', 'TALL0', 'TALL1', 'TSEI', 'TDIR'];
/** ICH_VMCR_EL2 low bits (IHI 0069 12.5.13). */
const VMCR_BITS = ['VENG0', 'VENG1', 'VAckCtl', 'VFIQEn', 'VCBPR', '', '', '', '', 'VEOIM'];

export const LR_STATES = ['invalid', 'pending', 'active', 'pending+active'] as const;

export interface LrView { index: number; raw: string; state: string; vintid: number; pintid: string; hw: boolean; priority: number; group: number; eoi: boolean }

/** Decodes ICH_LR<n>_EL2 from its 64-bit value as 16 hex digits (GICv3 layout). */
export function decodeLr(raw: string, index = 0): LrView {
  const v = BigInt(`0x${raw.replace(/^0x/, '') || '0'}`);
  const hi = Number(v >> 32n), lo = Number(v & 0xffffffffn);
  const hw = ((hi >>> 29) & 1) === 1;
  const pintid = hi & 0x1fff;
  return {
    index, raw, state: LR_STATES[(hi >>> 30) & 3], vintid: lo >>> 0, hw,
    pintid: hw ? String(pintid) : '—', priority: (hi >>> 16) & 0xff, group: (hi >>> 28) & 1, eoi: !hw && ((hi >>> 9) & 1) === 1,
  };
}

export interface GicViewModel {
  title: string;
  version: 2 | 3;
  pe: number;
  summary: string[];
  misrReasons: string[];
  tables: Table[];
}

/**
 * What activating an LR row posts: the host turns it into the `virq-inject` exception filter with
 * `lr == n && pe == p` (src/extension/panels/actions.ts), or removes it when the row is marked.
 */
export interface BreakOnLrAction extends RowAction { type: 'breakOnLr'; pe: number; lr: number; name: string }

export function breakOnLrAction(pe: number, lr: number, name: string): BreakOnLrAction {
  return { type: 'breakOnLr', pe, lr, name };
}

export interface GicViewOptions {
  /** List registers of this PE with a breakpoint (marked rows; activating them removes it). */
  watchedLrs?: readonly number[];
}

export function gicViewModel(cur: GicSnapshot, prev?: GicSnapshot | undefined, opts: GicViewOptions = {}): GicViewModel {
  const tables = build(cur, opts);
  if (prev && prev.pe === cur.pe && prev.version === cur.version) {
    const old = build(prev, opts);
    for (const t of tables) markChanges(t.rows, old.find((o) => o.id === t.id)?.rows);
  }
  const v = cur.virtual;
  const lrName = cur.version === 3 ? 'ICH_LR' : 'GICH_LR';
  const misr = bitNames(v.misr, MISR_REASONS);
  return {
    title: `GICv${cur.version} — CPU${cur.pe}`, version: cur.version, pe: cur.pe,
    summary: [
      `virtual interface ${v.enabled ? 'enabled' : 'disabled'}`,
      `${v.lrs.filter((l) => l.state !== 'invalid').length}/${v.lrs.length} ${lrName}s in use`,
      `vIRQ line ${v.vIrqLine ? 'high' : 'low'}`,
      `maintenance ${v.maintenance ? 'asserted' : 'idle'}`,
      `physical IRQ line ${cur.cpu.irqLine ? 'high' : 'low'}`,
    ],
    misrReasons: misr,
    tables,
  };
}

function build(s: GicSnapshot, opts: GicViewOptions = {}): Table[] {
  const v = s.virtual;
  const lrName = s.version === 3 ? 'ICH_LR' : 'GICH_LR';
  const watched = new Set(opts.watchedLrs ?? []);
  const lrs: Row[] = v.lrs.map((l) => ({
    key: `lr${l.index}`, dim: l.state === 'invalid',
    action: breakOnLrAction(s.pe, l.index, `${lrName}${l.index}`),
    marked: watched.has(l.index),
    actionLabel: watched.has(l.index)
      ? `Remove the breakpoint on ${lrName}${l.index}`
      : `Break when a virtual interrupt is made pending in ${lrName}${l.index} (virq-inject, lr == ${l.index})`,
    cells: [
      { text: `${lrName}${l.index}` }, { text: l.state }, { text: String(l.vintid) },
      { text: l.hw ? String(l.pintid) : '—', title: l.hw ? 'HW = 1: deactivating the vINTID deactivates pINTID' : 'HW = 0' },
      { text: l.hw ? 'HW' : l.eoi ? 'EOI' : '' }, { text: hex(l.priority, 2) }, { text: `G${l.group}` },
      { text: l.raw, title: 'raw value' },
    ],
  }));
  const reg = (name: string, value: number, decoded: string): Row => ({ key: name, cells: [{ text: name }, { text: hex(value, 8) }, { text: decoded }] });
  const p = s.version === 3 ? 'ICH_' : 'GICH_';
  const el2 = s.version === 3 ? '_EL2' : '';
  const vregs: Row[] = [
    reg(`${p}HCR${el2}`, v.hcr, [...bitNames(v.hcr & 0x7fff, HCR_BITS).filter((n) => n), `EOIcount=${v.eoiCount}`].join(' ')),
    reg(`${p}VMCR${el2}`, v.vmcr, [...bitNames(v.vmcr & 0x3ff, VMCR_BITS).filter((n) => n), `VPMR=${hex(v.vpmr, 2)}`].join(' ')),
    reg(`${p}MISR${el2}`, v.misr, bitNames(v.misr, MISR_SHORT).join(' ') || '(none)'),
    reg(`${p}EISR${el2}`, v.eisr, lrList(v.eisr, lrName)),
    reg(`${p}ELRSR${el2}`, v.elrsr, `empty: ${lrList(v.elrsr & ((1 << v.lrs.length) - 1 || -1), lrName)}`),
    reg(s.version === 3 ? 'ICH_AP0R0_EL2' : 'GICH_APR', v.ap0r, ''),
    ...(s.version === 3 ? [reg('ICH_AP1R0_EL2', v.ap1r, '')] : []),
    reg('virtual running priority', v.runningPriority, v.hppiIndex >= 0 ? `HPPI: ${lrName}${v.hppiIndex}` : 'no pending LR'),
  ];
  const c = s.cpu;
  const cpu: Row[] = [
    reg('PMR', c.pmr, ''), reg('BPR0', c.bpr0, ''), reg('BPR1', c.bpr1, ''),
    reg('running priority', c.runningPriority, ''),
    reg('HPPI', c.hppi, c.hppi === 1023 ? 'none (1023)' : `INTID ${c.hppi} priority ${hex(c.hppiPriority, 2)}`),
    { key: 'ctl', cells: [{ text: 'control' }, { text: '' }, { text: `EOImode=${c.eoiMode ? 1 : 0} Grp0=${c.groupEnable[0] ? 'on' : 'off'} Grp1=${c.groupEnable[1] ? 'on' : 'off'}` }] },
  ];
  const irqs: Row[] = s.irqs.filter((i) => i.enabled || i.pending || i.active).map((i) => ({
    key: `intid${i.intid}`,
    cells: [
      { text: String(i.intid) }, { text: i.kind }, { text: i.enabled ? 'on' : 'off' }, { text: i.pending ? 'pending' : '' },
      { text: i.active ? 'active' : '' }, { text: hex(i.priority, 2) }, { text: `G${i.group}` }, { text: i.trigger }, { text: i.target ?? '' },
    ],
  }));
  return [
    { id: 'lrs', caption: `List registers (${lrName}<n>${el2})`, columns: ['LR', 'state', 'vINTID', 'pINTID', 'HW/EOI', 'priority', 'group', 'raw'], rows: lrs },
    { id: 'vif', caption: 'Virtual interface control', columns: ['register', 'value', 'decoded'], rows: vregs },
    { id: 'cpu', caption: `Physical CPU interface (${s.version === 3 ? 'ICC_*' : 'GICC_*'})`, columns: ['register', 'value', 'decoded'], rows: cpu },
    { id: 'irqs', caption: `Distributor/redistributor: enabled, pending or active INTIDs (GICD_CTLR ${hex(s.distributor.ctlr)})`, columns: ['INTID', 'kind', 'enabled', 'pending', 'active', 'priority', 'group', 'trigger', 'target'], rows: irqs },
    { id: 'sgis', caption: 'SGIs in flight (all CPUs)', columns: ['SGI', 'to', 'from', 'state'], rows: sgiRows(s) },
  ];
}

function lrList(mask: number, lrName: string): string {
  const out: string[] = [];
  for (let i = 0; i < 32; i++) if ((mask >>> i) & 1) out.push(`${lrName}${i}`);
  return out.join(' ') || '(none)';
}

/** SGIs pending or active anywhere (older recordings have no `sgis`: an empty table). */
function sgiRows(s: GicSnapshot): Row[] {
  return (s.sgis ?? []).map((g) => ({
    key: `sgi${g.intid}@${g.target}`,
    cells: [
      { text: String(g.intid) }, { text: `CPU${g.target}` },
      { text: g.sources === null ? '?' : g.sources.map((c) => `CPU${c}`).join(' '), title: g.sources === null ? 'GICv3 does not record the sender of a pending SGI' : 'GICv2: senders whose GICD_SGIR write is still pending' },
      { text: [g.pending ? 'pending' : '', g.active ? 'active' : ''].filter(Boolean).join('+') },
    ],
  }));
}
