// Timers panel view model: a TimersSnapshot (armvirt/timers) → one row per generic timer with
// CNTx_CTL decoded (ENABLE, IMASK, ISTATUS: DDI0487 D11.2.x), CVAL/TVAL and the cycles until it
// fires, the counters, CNTVOFF_EL2 and the trap configuration (CNTHCTL_EL2, CNTKCTL_EL1).
import type { TimersSnapshot } from '../../sim/timer/generic-timer';
import { bitNames, hex, markChanges, type Row, type Table } from './common';

/** CNTHCTL_EL2 with HCR_EL2.E2H == 0 (DDI0487 D13.11.x): EL1PCTEN, EL1PCEN, EVNTEN, EVNTDIR. */
const CNTHCTL_BITS = ['EL1PCTEN', 'EL1PCEN', 'EVNTEN', 'EVNTDIR'];
/** CNTKCTL_EL1: EL0PCTEN, EL0VCTEN, EVNTEN, EVNTDIR, …, EL0VTEN, EL0PTEN. */
const CNTKCTL_BITS = ['EL0PCTEN', 'EL0VCTEN', 'EVNTEN', 'EVNTDIR', '', '', '', '', 'EL0VTEN', 'EL0PTEN'];

export function decodeTimerCtl(ctl: number): string {
  const parts = [ctl & 1 ? 'ENABLE' : 'disabled'];
  if (ctl & 2) parts.push('IMASK');
  if (ctl & 4) parts.push('ISTATUS');
  return parts.join(' ');
}

export interface TimersViewModel { title: string; summary: string[]; tables: Table[] }

export function timersViewModel(cur: TimersSnapshot, prev?: TimersSnapshot): TimersViewModel {
  const tables = build(cur);
  if (prev && prev.pe === cur.pe) {
    const old = build(prev);
    for (const t of tables) markChanges(t.rows, old.find((o) => o.id === t.id)?.rows);
  }
  const next = cur.nextDeadline === null ? 'no timer armed' : `next timer event at cycle ${cur.nextDeadline} (in ${cur.nextDeadline - cur.cycles} cycles)`;
  return {
    title: `Generic timers — CPU${cur.pe}`,
    summary: [`cycle ${cur.cycles}`, `${(cur.frequency / 1e6).toFixed(2)} MHz, ${cur.cyclesPerTick} cycle(s)/tick`, next],
    tables,
  };
}

function build(s: TimersSnapshot): Table[] {
  const timers: Row[] = s.timers.map((t) => ({
    key: t.name, dim: !t.enable,
    cells: [
      { text: t.name }, { text: String(t.intid) },
      { text: `${hex(t.ctl)} ${decodeTimerCtl(t.ctl)}`, title: 'CTL: ENABLE [0], IMASK [1], ISTATUS [2]' },
      { text: `0x${t.cval}` }, { text: String(t.tval), title: 'TVAL as read at EL2 (signed; negative once expired)' },
      { text: t.asserted ? 'asserted' : t.istatus ? 'met (masked)' : '' },
      { text: t.cyclesToFire === null ? '—' : t.cyclesToFire === 0 ? 'fired' : String(t.cyclesToFire), title: t.ticksToFire === null ? 'disabled' : `${t.ticksToFire} ticks` },
    ],
  }));
  const reg = (name: string, value: string, decoded = ''): Row => ({ key: name, cells: [{ text: name }, { text: value }, { text: decoded }] });
  const counters: Row[] = [
    reg('CNTPCT_EL0', `0x${s.physicalCount}`, String(s.physicalCountNum)),
    reg('CNTVCT_EL0', `0x${s.virtualCount}`, 'CNTPCT − CNTVOFF'),
    reg('CNTVOFF_EL2', `0x${s.cntvoff}`),
    reg('CNTHCTL_EL2', hex(s.cnthctl, 8), bitNames(s.cnthctl & 0xf, CNTHCTL_BITS).join(' ') || 'EL1 accesses to the physical counter/timer trap to EL2'),
    reg('CNTKCTL_EL1', hex(s.cntkctl, 8), bitNames(s.cntkctl & 0x3ff, CNTKCTL_BITS).filter((n) => n).join(' ') || 'EL0 accesses trap to EL1'),
  ];
  return [
    { id: 'timers', caption: 'Timers', columns: ['timer', 'PPI', 'CTL', 'CVAL', 'TVAL', 'output', 'cycles to fire'], rows: timers },
    { id: 'counters', caption: 'Counters and traps', columns: ['register', 'value', 'decoded'], rows: counters },
  ];
}
