// The panel host's translation of page messages into adapter requests
// (src/extension/panels/actions.ts): an LR row → the virq-inject filter on that LR and PE
// (toggled), a timeline record → armvirt/travel to its position on its PE's thread.
import * as assert from 'node:assert';
import { lrBreakpointArgs, lrCondition, travelArgs, watchedLrs } from '../../../src/extension/panels/actions';
import { breakOnLrAction } from '../../../src/webview/model/gic';
import { travelMessage } from '../../../src/webview/model/timeline';

describe('panel host: page messages → adapter requests', () => {
  it('break on an LR: virq-inject with lr == n && pe == p; a second click removes it', () => {
    const msg = { ...breakOnLrAction(1, 2, 'ICH_LR2') };
    assert.deepStrictEqual(lrBreakpointArgs(msg, []), { filterId: 'virq-inject', condition: 'lr == 2 && pe == 1', enabled: true });
    const set = [{ filterId: 'virq-inject', condition: lrCondition(1, 2) }];
    assert.deepStrictEqual(lrBreakpointArgs(msg, set), { filterId: 'virq-inject', condition: 'lr == 2 && pe == 1', enabled: false });
    // The same LR index of another PE, or another filter, is a different breakpoint.
    assert.strictEqual(lrBreakpointArgs({ ...breakOnLrAction(0, 2, 'ICH_LR2') }, set)!.enabled, true);
    assert.strictEqual(lrBreakpointArgs(msg, [{ filterId: 'virq-taken', condition: lrCondition(1, 2) }])!.enabled, true);
  });

  it('ignores malformed LR messages', () => {
    assert.strictEqual(lrBreakpointArgs({ type: 'breakOnLr', pe: 0, lr: -1 }, []), undefined);
    assert.strictEqual(lrBreakpointArgs({ type: 'breakOnLr', pe: 0, lr: '1 || 1' }, []), undefined);
    assert.strictEqual(lrBreakpointArgs({ type: 'travel', pe: 0, lr: 1 }, []), undefined);
  });

  it('watched LRs of a PE from the adapter\'s filter list', () => {
    const filters = [
      { filterId: 'virq-inject', condition: lrCondition(0, 3) }, { filterId: 'virq-inject', condition: lrCondition(0, 1) },
      { filterId: 'virq-inject', condition: lrCondition(1, 0) }, { filterId: 'virq-inject', condition: 'vintid == 27' }, { filterId: 'virq-inject' },
    ];
    assert.deepStrictEqual(watchedLrs(filters, 0), [1, 3]);
    assert.deepStrictEqual(watchedLrs(filters, 1), [0]);
    assert.deepStrictEqual(watchedLrs([], 0), []);
  });

  it('travel: the record\'s position on its PE\'s thread', () => {
    const msg = travelMessage(1, { seq: 7, at: 9025, cycle: 9100 })!;
    assert.deepStrictEqual(msg, { type: 'travel', retired: 9025, pe: 1, seq: 7, cycle: 9100 });
    assert.deepStrictEqual(travelArgs({ ...msg }), { retired: 9025, threadId: 2 });
    assert.strictEqual(travelArgs({ type: 'select', seq: 7, pe: 0, cycle: 1 }), undefined);
    assert.strictEqual(travelArgs({ type: 'travel', retired: 1.5, pe: 0 }), undefined);
  });
});
