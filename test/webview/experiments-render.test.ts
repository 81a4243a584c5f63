// The experiments charts in headless Chromium at 1000 px: the report `armvirt experiments --html`
// writes (its own CSP: nothing but its inline stylesheet) and the Experiments panel's page (the
// panels' CSP, src/extension/panels/experiments-page.ts) showing the view model of the same run.
// In both, every bar's data-value and drawn length must match the JSON rows of that run, nothing
// may leave the viewport, and no console or CSP error may occur. Screenshots:
// test-artifacts/experiments-report.png and experiments-panel.png. Needs dist/ (npm run build);
// skipped when /usr/bin/chromium is missing, except with CI=true.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { experimentsPageHtml } from '../../src/extension/panels/experiments-page';
import { BENCHMARKS, PAPER_TABLE3, PAPER_TABLE4, type ExperimentsReport } from '../../src/cli/paper';
import { experimentsViewModel } from '../../src/webview/model/experiments';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const url = (p: string): string => pathToFileURL(p).href;

/** Dark+ theme variables, as VS Code sets them on a webview's <html>. */
const THEME = `html { --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e;
  --vscode-descriptionForeground: #9d9d9d; --vscode-panel-border: #444; --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616;
  --vscode-charts-green: #89d185; --vscode-charts-red: #f14c4c; --vscode-charts-yellow: #cca700; --vscode-charts-purple: #b180d7;
  --vscode-button-background: #0e639c; --vscode-button-foreground: #fff; --vscode-focusBorder: #007fd4; }`;

const stub = `(() => { const s = { state: undefined, posted: [] }; window.__vscode = s;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => s.posted.push(m), getState: () => s.state, setState: (v) => { s.state = v; } }); })();`;

interface DrawnBar { bench: string; hyp: string; source: string; value: string; width: number; drawn: number; max: number; plotWidth: number; scale: number }
interface Layout { outside: string[]; textOutsideSvg: string[]; scrollWidth: number; innerWidth: number; groups: string[] }

// Strings, not functions: tsx's keepNames would insert __name() calls the page lacks.
const DRAWN_BARS = `[...document.querySelectorAll('rect.bar')].map((r) => {
  const svg = r.ownerSVGElement;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return { bench: r.dataset.bench, hyp: r.dataset.hyp, source: r.dataset.source, value: r.dataset.value, width: Number(r.getAttribute('width')),
    drawn: r.getBoundingClientRect().width, max: Number(svg.dataset.max), plotWidth: Number(svg.dataset.plotWidth), scale };
})`;
const LAYOUT = `(() => {
  const name = (e) => e.tagName + (e.textContent ? ' "' + e.textContent.slice(0, 40) + '"' : '') + (e.dataset && e.dataset.hyp ? ' ' + e.dataset.hyp : '');
  const all = [...document.querySelectorAll('svg, svg text, svg rect, figcaption, h1, h2, li, th, td, button, p')];
  const outside = all.filter((e) => { const b = e.getBoundingClientRect(); return b.left < -0.5 || b.right > innerWidth + 0.5; }).map(name);
  const textOutsideSvg = [...document.querySelectorAll('svg text')].filter((t) => {
    const b = t.getBoundingClientRect(), s = t.ownerSVGElement.getBoundingClientRect();
    return b.left < s.left - 0.5 || b.right > s.right + 0.5 || b.top < s.top - 0.5 || b.bottom > s.bottom + 0.5;
  }).map(name);
  return { outside, textOutsideSvg, scrollWidth: document.documentElement.scrollWidth, innerWidth,
    groups: [...document.querySelectorAll('figure.bench-group')].map((f) => f.dataset.bench) };
})()`;

describe('experiments charts in headless Chromium', function () {
  this.timeout(300000);
  let browser: Browser | undefined;
  let tmp: string;
  let report: ExperimentsReport;
  let reportFile: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing (CI=true: not skipping)`);
      console.log(`    (skipped: ${CHROMIUM} is missing)`);
      this.skip();
    }
    for (const f of ['cli.js', 'webview-experiments.js', 'webview-experiments.css', 'webview.css', 'codicons/codicon.css']) {
      assert.ok(fs.existsSync(path.join(DIST, f)), `dist/${f} is missing: run npm run build`);
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-exp-render-'));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // One real run gives both the JSON rows and the report drawn from them.
    reportFile = path.join(tmp, 'report.html');
    const r = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), 'experiments', '--json', '--iterations', '2', '--html', reportFile], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.equal(r.status, 0, r.stderr);
    report = JSON.parse(r.stdout) as ExperimentsReport;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser!.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) errors.push(m.text()); });
    page.on('requestfailed', (q) => errors.push(`request failed: ${q.url()}`));
    return { page, errors };
  }

  /** The drawn bars against the JSON rows and the paper's tables; the layout at 1000 px. */
  async function checkCharts(page: Page): Promise<void> {
    const layout = await page.evaluate(LAYOUT) as Layout;
    assert.deepEqual(layout.groups, [...BENCHMARKS], 'one bar group per benchmark');
    assert.deepEqual(layout.outside, [], 'elements outside the 1000 px viewport');
    assert.deepEqual(layout.textOutsideSvg, [], 'labels outside their chart');
    assert.ok(layout.scrollWidth <= layout.innerWidth, `no horizontal scrolling (${layout.scrollWidth} px)`);
    const bars = await page.evaluate(DRAWN_BARS) as DrawnBar[];
    const ours = bars.filter((b) => b.source === 'ours');
    assert.equal(ours.length, report.rows.length);
    for (const row of report.rows) {
      const b = ours.find((x) => x.bench === row.benchmark && x.hyp === row.hypervisor);
      assert.ok(b, `${row.benchmark}/${row.hypervisor} drawn`);
      assert.equal(Number(b!.value), row.cycles, `${row.benchmark}/${row.hypervisor} data-value`);
      const want = (row.cycles! / b!.max) * b!.plotWidth;
      assert.ok(Math.abs(b!.width - want) <= 0.05 + 1e-9, // rounded to 0.1 px: at most half a step off (a tie rounds up)
        `${row.benchmark}/${row.hypervisor}: width ${b!.width}, expected ${want}`);
      assert.ok(Math.abs(b!.drawn - want * b!.scale) <= 1, `${row.benchmark}/${row.hypervisor}: drawn ${b!.drawn} px, expected ${want * b!.scale}`);
    }
    for (const b of bars.filter((x) => x.source === 'paper')) {
      const col = b.hyp === 'paper-kvm' ? 'kvm' : 'xen';
      assert.equal(Number(b.value), PAPER_TABLE3[b.bench as typeof BENCHMARKS[number]][col], `${b.bench} ${b.hyp}`);
      assert.ok(Math.abs(b.drawn - (Number(b.value) / b.max) * b.plotWidth * b.scale) <= 1);
    }
    // The breakdown: the JSON breakdown rows (save + restore per class), Table 4 for the paper.
    const segs = await page.evaluate(`[...document.querySelectorAll('rect.seg')].map((r) => ({ hyp: r.dataset.hyp, cls: r.dataset.class, save: Number(r.dataset.save), restore: Number(r.dataset.restore) }))`) as { hyp: string; cls: string; save: number; restore: number }[];
    for (const row of report.breakdown) {
      const s = segs.find((x) => x.hyp === row.hypervisor && x.cls === row.class);
      assert.deepEqual(s && [s.save, s.restore], [row.save, row.restore], `${row.hypervisor} ${row.class}`);
    }
    for (const [cls, p] of Object.entries(PAPER_TABLE4)) {
      const s = segs.find((x) => x.hyp === 'paper-kvm' && x.cls === cls);
      assert.deepEqual(s && [s.save, s.restore], [p.save, p.restore], `paper ${cls}`);
    }
  }

  it('the --html report: bars match the JSON rows, fits 1000 px, styled under its own CSP with no error', async () => {
    const { page, errors } = await newPage();
    await page.goto(url(reportFile));
    await checkCharts(page);
    // The inline stylesheet applied (its hash is in the CSP): bars are coloured by hypervisor.
    const fill = await page.evaluate(`getComputedStyle(document.querySelector('rect.bar[data-hyp="kvm-split"]')).fill`) as string;
    assert.notEqual(fill, 'rgb(0, 0, 0)', 'the stylesheet was applied');
    await page.screenshot({ path: path.join(ARTIFACTS, 'experiments-report.png'), fullPage: true });
    // A narrow panel: the benchmark charts shrink, the breakdown chart and table scroll in their own box, the page does not.
    await page.setViewportSize({ width: 420, height: 800 });
    const narrow = await page.evaluate(LAYOUT) as Layout;
    assert.ok(narrow.scrollWidth <= 420, `page width at 420 px: ${narrow.scrollWidth}`);
    assert.deepEqual(narrow.textOutsideSvg, []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the panel page (panels\' CSP): the same bars from the posted view model; Run again posts run; progress disables it', async () => {
    fs.writeFileSync(path.join(tmp, 'stub.js'), stub);
    fs.writeFileSync(path.join(tmp, 'theme.css'), THEME);
    const file = path.join(tmp, 'panel.html');
    const html = experimentsPageHtml({ cspSource: 'file:', dist: (f) => url(path.join(DIST, f)), preScripts: [url(path.join(tmp, 'stub.js'))], extraStyles: [url(path.join(tmp, 'theme.css'))] });
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-([A-Za-z0-9]+)';/);
    const nonce = /'nonce-([A-Za-z0-9]+)'/.exec(html)![1];
    assert.equal((html.match(new RegExp(`<script nonce="${nonce}"`, 'g')) ?? []).length, 2, 'every script carries the nonce');
    fs.writeFileSync(file, html);
    const { page, errors } = await newPage();
    await page.goto(url(file));
    await page.waitForFunction(`window.__vscode.posted.some((m) => m.type === 'ready')`);
    const render = (msg: Record<string, unknown>): Promise<unknown> => page.evaluate(`new Promise((resolve) => {
      const m = ${JSON.stringify(msg)};
      const obs = new MutationObserver(() => { if (document.body.dataset.rendered === String(m.seq)) { obs.disconnect(); resolve(true); } });
      obs.observe(document.body, { attributes: true, attributeFilter: ['data-rendered'] });
      window.postMessage(m, '*');
    })`);
    await render({ type: 'model', seq: 1, model: experimentsViewModel(report, { iterations: 2 }), status: 'Results of now' });
    await checkCharts(page);
    await page.click('#run-again');
    assert.deepEqual(await page.evaluate(`window.__vscode.posted.filter((m) => m.type === 'run')`), [{ type: 'run' }]);
    await render({ type: 'running', seq: 2, running: true, text: '[5/24] kvm-split × vm-switch' });
    assert.equal(await page.evaluate(`document.getElementById('run-again').disabled`), true);
    assert.match(await page.evaluate(`document.querySelector('.exp-toolbar .status').textContent`) as string, /\[5\/24\] kvm-split × vm-switch/);
    assert.equal(await page.evaluate(`window.__vscode.state.seq`), 1, 'the model is kept for restore');
    await render({ type: 'running', seq: 3, running: false, text: '' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'experiments-panel.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
