// Timeline panel view model: armvirt/trace records → per-PE segments of time spent at one
// exception level, split at exception entries and returns, each with its cycle cost and the
// machine events inside it (where the cycles of a hypercall go), plus per-EL totals.

/** `retired`: the record's position in the execution history (src/debug/runtime.ts TraceRecord). */
export interface TraceRecord { seq: number; cycle: number; pe: number; type: string; text: string; retired?: number; data?: Record<string, unknown> }

/** `at`: history position of the record (travel target); `future`: after the current position (after a travel back). */
export interface TimelineEvent { seq: number; cycle: number; type: string; text: string; at?: number; future?: boolean }
export interface Segment {
  pe: number; el: number; startCycle: number; endCycle: number; cycles: number;
  /** What started the segment ("IRQ taken to EL2 from EL1", "ERET EL2 → EL1 at …", "start"). */
  cause: string; seq: number; events: TimelineEvent[];
  /** History position of the record that starts the segment (none for the start of the trace). */
  at?: number;
  future?: boolean;
}

/** What selecting a record (segment or event) posts: the host asks the adapter to travel there (armvirt/travel). */
export interface TravelMessage { type: 'travel'; retired: number; pe: number; seq: number; cycle: number }

/** The travel message of a segment or event, or undefined when it has no recorded position (the start of the trace). */
export function travelMessage(pe: number, r: { seq: number; at?: number; cycle?: number; startCycle?: number }): TravelMessage | undefined {
  if (typeof r.at !== 'number') return undefined;
  return { type: 'travel', retired: r.at, pe, seq: r.seq, cycle: r.cycle ?? r.startCycle ?? 0 };
}
export interface PeTimeline { pe: number; segments: Segment[]; cyclesPerEl: number[] }

/** One guest exit charged to functions, as armvirt/trace returns it (src/debug/exit-profile.ts ExitProfile). */
export interface ExitProfileRecord {
  pe: number; startCycle: number; endCycle: number; cycles: number; guestMeasured: number | null; cause: string;
  segments: { fn: string; regime: string; el: number; startCycle: number; cycles: number; instructions: number }[];
}
/** A lane segment of the exit: one run of instructions in one function. */
export interface FnSegment { fn: string; regime: string; el: number; startCycle: number; cycles: number; instructions: number }
/** The exit's functions added up, dearest first, with their share of the exit. */
export interface FnShare { fn: string; regime: string; cycles: number; instructions: number; percent: number }
export interface ExitProfileView { title: string; pe: number; cycles: number; guestMeasured: number | null; segments: FnSegment[]; functions: FnShare[] }

export interface TimelineViewModel {
  title: string; startCycle: number; endCycle: number; pes: PeTimeline[]; types: string[]; filter: string[];
  /** The last exit profiled by function (armvirt/exitProfile), when there is one. */
  exit?: ExitProfileView;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** The Timeline's view of one exit profile: its lane of function segments and the functions by cost. */
export function exitProfileView(p: ExitProfileRecord): ExitProfileView {
  const by = new Map<string, FnShare>();
  for (const s of p.segments) {
    const k = `${s.regime}\0${s.fn}`;
    const f = by.get(k) ?? { fn: s.fn, regime: s.regime, cycles: 0, instructions: 0, percent: 0 };
    f.cycles += s.cycles; f.instructions += s.instructions;
    by.set(k, f);
  }
  const total = Math.max(p.cycles, 1e-9);
  const functions = [...by.values()].map((f) => ({ ...f, cycles: round1(f.cycles), percent: round1((100 * f.cycles) / total) })).sort((a, b) => b.cycles - a.cycles);
  const measured = p.guestMeasured === null ? '' : `; the guest measured ${p.guestMeasured}`;
  return {
    title: `One guest exit on CPU${p.pe} by function — ${p.cause}: ${round1(p.cycles)} cycles${measured}`,
    pe: p.pe, cycles: round1(p.cycles), guestMeasured: p.guestMeasured,
    segments: p.segments.map((s) => ({ ...s, cycles: round1(s.cycles) })),
    functions,
  };
}

const TRANSITIONS = new Set(['exceptionEntry', 'exceptionReturn']);

/**
 * @param endCycle the cycle of the stop (the last segment runs to it); default the last record's cycle.
 * @param filter event types to keep inside segments (empty: all). Transitions always split segments.
 * @param now the current history position: records after it are marked `future` (the machine travelled back).
 */
export function timelineViewModel(records: readonly TraceRecord[], endCycle?: number, filter: readonly string[] = [], now?: number, exit?: ExitProfileRecord): TimelineViewModel {
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  const end = Math.max(endCycle ?? 0, ...sorted.map((r) => r.cycle), 0);
  const byPe = new Map<number, Segment[]>();
  const types = new Set<string>();
  // The EL each PE was at when the trace starts: the `from` of its first transition.
  const initialEl = new Map<number, number>();
  for (const r of sorted) {
    const from = r.data?.from;
    if (TRANSITIONS.has(r.type) && typeof from === 'number' && !initialEl.has(r.pe)) initialEl.set(r.pe, from);
  }
  const startSegment = (pe: number, cycle: number): Segment =>
    ({ pe, el: initialEl.get(pe) ?? -1, startCycle: cycle, endCycle: end, cycles: 0, cause: 'start of trace', seq: -1, events: [] });
  const future = (r: TraceRecord): boolean | undefined => (now !== undefined && r.retired !== undefined && r.retired > now) || undefined;
  for (const r of sorted) {
    types.add(r.type);
    let segs = byPe.get(r.pe);
    if (!segs) { segs = []; byPe.set(r.pe, segs); }
    const d = r.data ?? {};
    const cur = segs[segs.length - 1];
    if (TRANSITIONS.has(r.type) && typeof d.to === 'number') {
      if (cur) cur.endCycle = r.cycle;
      else segs.push({ ...startSegment(r.pe, sorted[0].cycle), endCycle: r.cycle });
      segs.push({ pe: r.pe, el: d.to, startCycle: r.cycle, endCycle: end, cycles: 0, cause: r.text, seq: r.seq, events: [], at: r.retired, future: future(r) });
    } else if (filter.length === 0 || filter.includes(r.type)) {
      const target = cur ?? (segs.push(startSegment(r.pe, sorted[0].cycle)), segs[segs.length - 1]);
      target.events.push({ seq: r.seq, cycle: r.cycle, type: r.type, text: r.text, at: r.retired, future: future(r) });
    }
  }
  const pes: PeTimeline[] = [...byPe.entries()].sort((a, b) => a[0] - b[0]).map(([pe, segments]) => {
    const cyclesPerEl = [0, 0, 0, 0];
    for (const s of segments) {
      s.cycles = Math.max(0, s.endCycle - s.startCycle);
      if (s.el >= 0 && s.el < 4) cyclesPerEl[s.el] += s.cycles;
    }
    return { pe, segments, cyclesPerEl };
  });
  const start = sorted.length ? sorted[0].cycle : 0;
  return { title: `Timeline — cycles ${start}–${end}`, startCycle: start, endCycle: end, pes, types: [...types].sort(), filter: [...filter], ...(exit ? { exit: exitProfileView(exit) } : {}) };
}
