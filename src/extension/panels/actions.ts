// What the panel host asks the adapter when the user activates something in a panel page: pure
// functions from a page message to the arguments of a custom request (no vscode import, so the
// unit tests check them as they are).
//
// GIC panel, an LR row → `armvirt/setExceptionFilter` with the `virq-inject` filter and the
// condition `lr == n && pe == p`. The issue asks for a data breakpoint on the LR where the
// adapter supports one, else this filter. Neither is reachable through VS Code's extension API:
// it has no DataBreakpoint class (DAP data breakpoints are only set from the Variables view's
// context menu) and no way to enable an exception filter with a condition. So the host goes to
// the adapter directly; the adapter keeps such filters apart from the Breakpoints view's list
// (which replaces its own list on every change) and echoes the change to the Debug Console.
// The virq-inject filter stops right after the instruction that makes LR n pending (MSR
// ICH_LRn_EL2, or the store to GICH_LRn), on that PE only.
//
// Timeline panel, a record → `armvirt/travel` with the record's history position (the number of
// instructions retired by all PEs when the event had happened) and the PE's thread.

/** The filters of armvirt/setExceptionFilter's list (its response). */
export interface ExtraFilter { filterId: string; condition?: string }

export const LR_FILTER = 'virq-inject';

export const lrCondition = (pe: number, lr: number): string => `lr == ${lr} && pe == ${pe}`;

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** List registers of `pe` that have a breakpoint in `filters`. */
export function watchedLrs(filters: readonly ExtraFilter[], pe: number): number[] {
  const out: number[] = [];
  for (const f of filters) {
    const m = f.filterId === LR_FILTER ? /^lr == (\d+) && pe == (\d+)$/.exec(f.condition ?? '') : null;
    if (m && Number(m[2]) === pe) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

export interface SetFilterArgs { filterId: string; condition: string; enabled: boolean }

/**
 * armvirt/setExceptionFilter arguments for a page's {type: 'breakOnLr', pe, lr}: sets the
 * breakpoint, or removes it when the LR has one already (the row toggles, like the gutter).
 */
export function lrBreakpointArgs(msg: Record<string, unknown>, filters: readonly ExtraFilter[]): SetFilterArgs | undefined {
  if (msg.type !== 'breakOnLr' || !isIndex(msg.pe) || !isIndex(msg.lr)) return undefined;
  return { filterId: LR_FILTER, condition: lrCondition(msg.pe, msg.lr), enabled: !watchedLrs(filters, msg.pe).includes(msg.lr) };
}

/** armvirt/travel arguments for a page's {type: 'travel', retired, pe} (threads are PEs + 1). */
export function travelArgs(msg: Record<string, unknown>): { retired: number; threadId: number } | undefined {
  if (msg.type !== 'travel' || !isIndex(msg.retired) || !isIndex(msg.pe)) return undefined;
  return { retired: msg.retired, threadId: msg.pe + 1 };
}
