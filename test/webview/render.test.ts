// Renders the panel webviews (dist/webview-*.js, build first) in headless Chromium from the
// recorded adapter responses (test/unit/webview/fixtures): the page is the production HTML
// (src/extension/panels/html.ts, same strict CSP with file: as the resource origin), with
// acquireVsCodeApi stubbed and view models posted with window.postMessage as the host does.
// Screenshots go to test-artifacts/panel-*.png; the refresh time (post → DOM updated) is printed.
// Skipped when /usr/bin/chromium is missing, except with CI=true.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { panelHtml } from '../../src/extension/panels/html';
import type { GicSnapshot } from '../../src/sim/gic/gic';
import type { TimersSnapshot } from '../../src/sim/timer/generic-timer';
import { gicViewModel } from '../../src/webview/model/gic';
import { timersViewModel } from '../../src/webview/model/timers';
import { nodeItems, rootItems, walkView, type PtNodeData, type PtRootsData, type TranslateReport } from '../../src/webview/model/pagetables';
import { timelineViewModel, type ExitProfileRecord, type TraceRecord } from '../../src/webview/model/timeline';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const FIX = path.join(ROOT, 'test/unit/webview/fixtures');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const load = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(FIX, name), 'utf8')) as T;
const gic = (n: string): GicSnapshot => load<{ data: GicSnapshot }>(`gic-${n}.json`).data;
const timers = (n: string): TimersSnapshot => load<{ data: TimersSnapshot }>(`timers-${n}.json`).data;

/** A few Dark+ theme variables, as VS Code sets them on the webview's <html>. */
const THEME = `html { --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace;
  --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e; --vscode-descriptionForeground: #9d9d9d;
  --vscode-badge-background: #4d4d4d; --vscode-badge-foreground: #ffffff; --vscode-focusBorder: #007fd4;
  --vscode-list-hoverBackground: #2a2d2e; --vscode-panel-border: #444; --vscode-debugTokenExpression-number: #b5cea8;
  --vscode-diffEditor-insertedTextBackground: #9ccc2c33; --vscode-errorForeground: #f48771; --vscode-editorWarning-foreground: #cca700;
  --vscode-charts-green: #89d185; --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-red: #f14c4c;
  --vscode-input-background: #3c3c3c; --vscode-input-foreground: #cccccc; --vscode-button-background: #0e639c; --vscode-button-foreground: #fff;
  --vscode-list-activeSelectionBackground: #04395e; --vscode-list-activeSelectionForeground: #fff; --vscode-disabledForeground: #6f6f6f; }`;

/** In the page: the acquireVsCodeApi stub records posted messages and the state (initially `state`). */
const stub = (state: unknown): string => `(() => { const s = { state: ${JSON.stringify(state ?? null)} ?? undefined, posted: [] }; window.__vscode = s;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => s.posted.push(m), getState: () => s.state, setState: (v) => { s.state = v; } }); })();`;

describe('panel webviews in headless Chromium', function () {
  this.timeout(120000);
  let browser: Browser | undefined;
  let tmp: string;
  const timings: string[] = [];

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing (CI=true: not skipping)`);
      console.log(`    (skipped: ${CHROMIUM} is missing)`);
      this.skip();
    }
    for (const f of ['webview-gic.js', 'webview-timers.js', 'webview-pagetables.js', 'webview-timeline.js', 'webview.css', 'codicons/codicon.css']) {
      assert.ok(fs.existsSync(path.join(DIST, f)), `dist/${f} is missing: run npm run build`);
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-panels-'));
    fs.writeFileSync(path.join(tmp, 'theme.css'), THEME);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (timings.length) console.log(`    refresh times: ${timings.join(', ')}`);
  });

  async function open(panel: string, state?: unknown, view: { width: number; height: number; scale?: number } = { width: 1000, height: 700 }): Promise<{ page: Page; errors: string[] }> {
    const url = (p: string) => pathToFileURL(p).href;
    fs.writeFileSync(path.join(tmp, `stub-${panel}.js`), stub(state));
    const html = panelHtml({
      title: panel, cspSource: 'file:', script: url(path.join(DIST, `webview-${panel}.js`)), preScripts: [url(path.join(tmp, `stub-${panel}.js`))],
      styles: [url(path.join(tmp, 'theme.css')), url(path.join(DIST, 'codicons/codicon.css')), url(path.join(DIST, 'webview.css'))],
    });
    const file = path.join(tmp, `${panel}.html`);
    fs.writeFileSync(file, html);
    const page = await browser!.newPage({ viewport: { width: view.width, height: view.height }, deviceScaleFactor: view.scale ?? 1 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(url(file));
    await page.waitForFunction(() => (window as unknown as { __vscode: { posted: { type: string }[] } }).__vscode.posted.some((m) => m.type === 'ready'));
    return { page, errors };
  }

  /** Posts a message as the host would and returns the ms until the page shows it (data-rendered = seq). */
  async function post(page: Page, msg: { seq: number } & Record<string, unknown>): Promise<number> {
    // A string, not a function: tsx's keepNames would insert __name() calls the page lacks.
    return page.evaluate(`new Promise((resolve) => {
      const m = ${JSON.stringify(msg)};
      const t0 = performance.now();
      const obs = new MutationObserver(() => {
        if (document.body.dataset.rendered === String(m.seq)) { obs.disconnect(); resolve(performance.now() - t0); }
      });
      obs.observe(document.body, { attributes: true, attributeFilter: ['data-rendered'] });
      window.postMessage(m, '*');
    })`);
  }

  const cellTexts = (page: Page, sel: string) => page.$$eval(sel, (tds) => tds.map((td) => td.textContent ?? ''));

  it('GIC: list registers decoded, changed cells marked, refresh time', async () => {
    const { page, errors } = await open('gic');
    await post(page, { type: 'model', seq: 1, model: gicViewModel(gic('0-after-inject42')) });
    const lr0 = await cellTexts(page, '#table-lrs tbody tr[data-key=lr0] td');
    assert.deepStrictEqual(lr0.slice(0, 3), ['ICH_LR0', 'pending', '40']);
    assert.deepStrictEqual((await cellTexts(page, '#table-lrs tbody tr[data-key=lr1] td')).slice(0, 5), ['ICH_LR1', 'pending', '42', '—', 'EOI']);
    assert.strictEqual(await page.$$eval('td.changed', (x) => x.length), 0);
    await post(page, { type: 'model', seq: 2, model: gicViewModel(gic('3-wfi'), gic('2-el1-irq')) });
    const ms = await post(page, { type: 'model', seq: 3, model: gicViewModel(gic('4-el2-eret27'), gic('3-wfi')) });
    timings.push(`GIC ${ms.toFixed(1)} ms`);
    const row = await cellTexts(page, '#table-lrs tbody tr[data-key=lr0] td');
    assert.deepStrictEqual(row.slice(0, 5), ['ICH_LR0', 'pending', '27', '27', 'HW']);
    const changed = await page.$$eval('#table-lrs tbody tr[data-key=lr0] td', (tds) => tds.map((td) => td.classList.contains('changed')));
    assert.deepStrictEqual(changed.slice(0, 3), [false, true, true]);
    // Keyboard: the first cell is the tab stop; ArrowDown / ArrowRight move the focus.
    await page.focus('#table-lrs tbody td[tabindex="0"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    assert.strictEqual(await page.evaluate(() => document.activeElement?.textContent), 'invalid');
    // The state is saved for restore.
    assert.strictEqual(await page.evaluate(() => (window as unknown as { __vscode: { state: { seq: number } } }).__vscode.state.seq), 3);
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-gic.png'), fullPage: true });
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  /** Messages of `type` the page posted to the host (the acquireVsCodeApi stub records them). */
  const postedOf = (page: Page, type: string): Promise<Record<string, unknown>[]> =>
    page.evaluate(`window.__vscode.posted.filter((m) => m.type === ${JSON.stringify(type)})`);

  it('GIC: clicking a list register, or Enter / Space on it, posts break-on-this-LR; a watched LR is marked', async () => {
    const { page, errors } = await open('gic');
    await post(page, { type: 'model', seq: 1, model: gicViewModel(gic('0-after-inject42'), undefined, { watchedLrs: [2] }) });
    await page.click('#table-lrs tbody tr[data-key=lr1] td:nth-child(3)');
    assert.deepStrictEqual(await postedOf(page, 'breakOnLr'), [{ type: 'breakOnLr', pe: 0, lr: 1, name: 'ICH_LR1' }]);
    // Keyboard: the first cell is the tab stop; ArrowDown to LR1, ArrowDown to LR2, Enter; then Space on LR3.
    await page.focus('#table-lrs tbody td[tabindex="0"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    assert.deepStrictEqual((await postedOf(page, 'breakOnLr')).map((m) => m.lr), [1, 2, 3]);
    // Rows of other tables do nothing.
    await page.click('#table-vif tbody tr:first-child td');
    assert.strictEqual((await postedOf(page, 'breakOnLr')).length, 3);
    // LR2 has a breakpoint: an icon in its first cell (the cell text is unchanged), and tooltips say what a click does.
    assert.strictEqual(await page.$$eval('#table-lrs tr.marked', (x) => x.map((e) => e.getAttribute('data-key')).join()), 'lr2');
    assert.strictEqual(await page.$eval('#table-lrs tr[data-key=lr2] td:first-child', (td) => td.textContent), 'ICH_LR2');
    assert.ok(await page.$('#table-lrs tr[data-key=lr2] td:first-child .codicon-debug-breakpoint'));
    assert.strictEqual(await page.$eval('#table-lrs tr[data-key=lr2]', (tr) => tr.getAttribute('title')), 'Remove the breakpoint on ICH_LR2');
    assert.match(await page.$eval('#table-lrs tr[data-key=lr0] td:first-child', (td) => td.getAttribute('aria-label') ?? ''), /^ICH_LR0: Break when/);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('GIC: state restored from getState on reload', async () => {
    const { page } = await open('gic');
    await post(page, { type: 'model', seq: 7, model: gicViewModel(gic('4-el2-eret27'), gic('3-wfi')) });
    const state = await page.evaluate(() => (window as unknown as { __vscode: { state: unknown } }).__vscode.state);
    await page.close();
    // A new page whose getState returns the saved state (the panel was hidden and shown) renders it without any message.
    const again = await open('gic', state);
    assert.strictEqual(await again.page.$eval('h1', (e) => e.textContent), 'GICv3 — CPU0');
    assert.deepStrictEqual((await cellTexts(again.page, '#table-lrs tbody tr[data-key=lr0] td')).slice(0, 3), ['ICH_LR0', 'pending', '27']);
    assert.ok(await again.page.$eval('#table-lrs tbody tr[data-key=lr0] td:nth-child(3)', (td) => td.classList.contains('changed')));
    await again.page.close();
  });

  it('GIC and Timers at 200% zoom in a narrow panel: nothing clipped, wide tables scroll inside the panel', async () => {
    // VS Code's zoom is browser zoom: a 1000-pixel panel at 200% is a 500-CSS-pixel page drawn at scale 2.
    for (const [panel, msg] of [['gic', { type: 'model', seq: 1, model: gicViewModel(gic('4-el2-eret27'), gic('3-wfi')) }],
      ['timers', { type: 'model', seq: 1, model: timersViewModel(timers('3-wfi')) }]] as const) {
      const { page, errors } = await open(panel, undefined, { width: 500, height: 700, scale: 2 });
      await post(page, msg);
      const r = await page.evaluate(`(() => {
        const doc = document.scrollingElement;
        const clipped = [...document.querySelectorAll('td, th, h1, h2, .badge')].filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'auto').map((e) => e.textContent);
        const wide = [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().width > innerWidth);
        const scrollable = wide.every((t) => { let p = t.parentElement; while (p && p !== document.body) { if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true; p = p.parentElement; } return false; });
        return { pageScroll: doc.scrollWidth - doc.clientWidth, clipped, wide: wide.length, scrollable, font: parseFloat(getComputedStyle(document.body).fontSize) };
      })()`) as { pageScroll: number; clipped: string[]; wide: number; scrollable: boolean; font: number };
      await page.screenshot({ path: path.join(ARTIFACTS, `panel-${panel}-200pct.png`), fullPage: true });
      assert.ok(r.pageScroll <= 1, `${panel}: the page itself scrolls sideways by ${r.pageScroll}px`);
      assert.ok(r.scrollable, `${panel}: ${r.wide} table(s) wider than the panel without a scrolling container`);
      assert.deepStrictEqual(r.clipped, [], `${panel}: clipped text`);
      assert.ok(r.font >= 12, `${panel}: body font ${r.font}px`);
      assert.deepStrictEqual(errors, []);
      await page.close();
    }
  });

  it('Page tables at 200% zoom in a narrow panel: the page does not scroll sideways', async () => {
    const pt = load<{ stage1: { roots: { data: PtRootsData }; nodes: { node: unknown; data: PtNodeData }[] }; translate: { report: TranslateReport } }>('pagetables.json');
    const { page, errors } = await open('pagetables', undefined, { width: 500, height: 700, scale: 2 });
    await post(page, { type: 'roots', seq: 1, title: 'Page tables — CPU0', summary: ['EL1&0'], trees: [{ stage: 1, caption: 'Stage 1 (EL1&0)', items: rootItems(pt.stage1.roots.data) }] });
    await post(page, { type: 'walk', seq: 2, address: 'pc', walk: walkView(pt.translate.report) });
    const scroll = await page.evaluate('document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth') as number;
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-pagetables-200pct.png'), fullPage: true });
    assert.ok(scroll <= 1, `the page scrolls sideways by ${scroll}px`);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('Timeline at 200% zoom in a narrow panel: the page does not scroll sideways', async () => {
    const { page, errors } = await open('timeline', undefined, { width: 500, height: 700, scale: 2 });
    await post(page, { type: 'model', seq: 1, model: timelineViewModel(load<{ records: TraceRecord[] }>('trace-6-after-wfi.json').records) });
    const scroll = await page.evaluate('document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth') as number;
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-timeline-200pct.png'), fullPage: true });
    assert.ok(scroll <= 1, `the page scrolls sideways by ${scroll}px`);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('Timers: CTL decoded and cycles to fire', async () => {
    const { page, errors } = await open('timers');
    await post(page, { type: 'model', seq: 1, model: timersViewModel(timers('2-el1-irq')) });
    const ms = await post(page, { type: 'model', seq: 2, model: timersViewModel(timers('3-wfi'), timers('2-el1-irq')) });
    timings.push(`Timers ${ms.toFixed(1)} ms`);
    const cntv = await cellTexts(page, '#table-timers tbody tr[data-key=CNTV] td');
    assert.strictEqual(cntv[2], '0x1 ENABLE');
    assert.strictEqual(cntv[6], String(timers('3-wfi').timers[1].cyclesToFire));
    assert.ok(await page.$eval('#table-timers tbody tr[data-key=CNTV] td:nth-child(3)', (td) => td.classList.contains('changed')));
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-timers.png'), fullPage: true });
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('Page tables: trees, lazy expansion by keyboard, the two-stage walk', async () => {
    const pt = load<{ stage1: { roots: { data: PtRootsData }; nodes: { node: unknown; data: PtNodeData }[] }; stage2: { roots: { data: PtRootsData }; nodes: { node: unknown; data: PtNodeData }[] }; translate: { report: TranslateReport } }>('pagetables.json');
    const { page, errors } = await open('pagetables');
    const ms = await post(page, {
      type: 'roots', seq: 1, title: 'Page tables — CPU0', summary: ['EL1&0', 'Stage 2 on, VMID 1'],
      trees: [
        { stage: 1, caption: 'Stage 1 (EL1&0)', items: rootItems(pt.stage1.roots.data) },
        { stage: 2, caption: 'Stage 2', items: rootItems(pt.stage2.roots.data) },
      ],
    });
    timings.push(`Page tables ${ms.toFixed(1)} ms`);
    const labels = await page.$$eval('#tree-s1 > li > .row .label', (x) => x.map((e) => e.textContent));
    assert.deepStrictEqual(labels, ['TTBR0_EL1 0x41000000 (PA 0x40400000)', 'TTBR1_EL1 0x0']);
    // Right arrow on the focused root asks the host for its children.
    await page.focus('#tree-s1 li[tabindex="0"]');
    await page.keyboard.press('ArrowRight');
    const asked = await page.evaluate(() => (window as unknown as { __vscode: { posted: { type: string; id?: string }[] } }).__vscode.posted.filter((m) => m.type === 'expand'));
    assert.strictEqual(asked.length, 1);
    await post(page, { type: 'children', seq: 2, id: asked[0].id!, items: nodeItems(pt.stage1.nodes[0].data) });
    const child = await page.$$eval('#tree-s1 li[role=treeitem] li[role=treeitem] .label', (x) => x.map((e) => e.textContent));
    assert.deepStrictEqual(child, ['[0] 0x0–0x3fffffff (1G) → block 0x0', '[1] 0x40000000–0x7fffffff (1G) → table 0x41001000 (PA 0x40401000)']);
    await post(page, { type: 'walk', seq: 3, address: 'pc', walk: walkView(pt.translate.report) });
    assert.match(await page.$eval('.walk p', (p) => p.textContent ?? ''), /VA → IPA 0x40000108 → PA 0x40000108/);
    await post(page, { type: 'walk', seq: 4, address: '0x7fff0000', walk: walkView({ ...pt.translate.report, ok: false, fault: { type: 'translation', level: 2, stage2: true } }) });
    assert.strictEqual(await page.$$eval('.steps li.fault', (x) => x.length), 1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-pagetables.png'), fullPage: true });
    // walk: null (a later stop that is not a fault) takes the result down
    await post(page, { type: 'walk', seq: 5, address: '', walk: null });
    assert.strictEqual(await page.$$eval('.walk p, .steps li', (x) => x.length), 0);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('Timeline: EL segments with cycle costs, filter, selection', async () => {
    const recs = load<{ records: TraceRecord[] }>('trace-6-after-wfi.json').records;
    const model = timelineViewModel(recs);
    const { page, errors } = await open('timeline');
    const ms = await post(page, { type: 'model', seq: 1, model });
    timings.push(`Timeline ${ms.toFixed(1)} ms`);
    const segs = await page.$$eval('.lane .seg', (x) => x.map((e) => e.textContent));
    assert.strictEqual(segs.length, model.pes[0].segments.length);
    assert.strictEqual(segs[0], 'EL2');
    assert.ok(await page.$$eval('.seglist .cost', (x) => x.every((e) => /^\d+ cycles$/.test(e.textContent ?? ''))));
    const before = await page.$$eval('.ev-virqTaken', (x) => x.length);
    assert.ok(before > 0);
    await page.click('#f-virqTaken');
    assert.strictEqual(await page.$$eval('.ev-virqTaken', (x) => x.length), 0);
    // Clicking a segment travels to the record that starts it (its history position).
    const seg = (i: number) => model.pes[0].segments[i];
    const rec = (seq: number) => recs.find((r) => r.seq === seq)!;
    await page.click('.lane .seg:nth-child(2)');
    assert.deepStrictEqual(await postedOf(page, 'travel'), [{ type: 'travel', retired: rec(seg(1).seq).retired, pe: 0, seq: seg(1).seq, cycle: seg(1).startCycle }]);
    await page.keyboard.press('ArrowRight');
    assert.strictEqual(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), `0:${seg(2).startCycle}:${seg(2).seq}`);
    // Enter on the focused segment travels to it.
    await page.keyboard.press('Enter');
    assert.deepStrictEqual((await postedOf(page, 'travel')).map((m) => m.retired), [rec(seg(1).seq).retired, rec(seg(2).seq).retired]);
    // The start of the trace has no record: selecting it only reports the selection.
    await page.click('.lane .seg:nth-child(1)');
    assert.strictEqual((await postedOf(page, 'travel')).length, 2);
    assert.strictEqual((await postedOf(page, 'select')).length, 1);
    // An event of the segment list travels to itself.
    const ev = model.pes[0].segments.flatMap((x) => x.events).find((e) => e.type === 'timerFired')!;
    await page.click(`.seglist .travel[data-seq="${ev.seq}"]`);
    const last = (await postedOf(page, 'travel')).pop();
    assert.deepStrictEqual(last, { type: 'travel', retired: rec(ev.seq).retired, pe: 0, seq: ev.seq, cycle: ev.cycle });
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-timeline.png'), fullPage: true });
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('Timeline: one guest exit by kernel function (lane + table), and the button that profiles the next one', async () => {
    const recs = load<{ records: TraceRecord[] }>('trace-6-after-wfi.json').records;
    const { page, errors } = await open('timeline');
    await post(page, { type: 'model', seq: 1, model: timelineViewModel(recs) });
    assert.strictEqual(await page.$$eval('.exit-profile .seg', (x) => x.length), 0);
    assert.match(await page.$eval('.exit-profile', (e) => e.textContent ?? ''), /No exit profiled yet/);
    const p = load<ExitProfileRecord>('exit-profile-nvhe-hypercall.json');
    const model = timelineViewModel(recs, undefined, [], undefined, p);
    await post(page, { type: 'model', seq: 2, model });
    assert.strictEqual(await page.$$eval('.exit-profile .seg.fn', (x) => x.length), p.segments.length);
    assert.strictEqual(await page.$$eval('.lanes:not(.exit-profile .lanes) .seg', (x) => x.length), model.pes.reduce((a, q) => a + q.segments.length, 0), 'the EL lanes are unchanged');
    const rows = await page.$$eval('.fn-costs tbody tr', (x) => x.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent)));
    assert.strictEqual(rows.length, model.exit!.functions.length);
    assert.deepStrictEqual(rows[0], [model.exit!.functions[0].fn, 'hyp', String(model.exit!.functions[0].cycles), String(model.exit!.functions[0].percent), String(model.exit!.functions[0].instructions)]);
    assert.match(await page.$eval('.exit-profile h2', (e) => e.textContent ?? ''), /4930\.1 cycles; the guest measured 4930/);
    const title = await page.$eval('.exit-profile .seg.fn', (e) => e.getAttribute('title') ?? '');
    assert.ok(title.startsWith(`${p.segments[0].fn} (`), title);
    await page.click('.exit-profile .profile-exit');
    assert.deepStrictEqual(await postedOf(page, 'exitProfile'), [{ type: 'exitProfile' }]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-timeline-exit.png'), fullPage: true });
    assert.deepStrictEqual(errors, []);
    await page.close();
  });
});
