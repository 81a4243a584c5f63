// End to end in a real VS Code: code-server (VS Code 1.139) on 127.0.0.1 with the packaged
// armvirt-debugger.vsix installed, driven by Debian's Chromium through playwright-core.
// The test opens examples/, sets a breakpoint by clicking the gutter, presses F5, and checks the
// stop in the editor and the registers in the Variables view; then it stops on exception
// breakpoints ticked in the Breakpoints view (virq-inject, stage2-fault), opens the GIC and Page
// Tables panels and checks what their webviews render, inside the webview frames, with no CSP
// violation; last, the hypervisor in C (examples/c-hyp) stops on trap-el2 and the Variables view
// shows its vCPU structs under Globals. Screenshots go to test-artifacts/.
//
// Needs `npm run package` (the .vsix) and scripts/setup-code-server.sh (npm run test:e2e does both
// in CI). Every wait is on a DOM marker; nothing sleeps for a fixed time.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, ConsoleMessage, Frame, Locator, Page } from 'playwright-core';
import {
  ARTIFACTS, REPO, Group, codeServerCli, copyExamples, freePort, launchChromium, scratch, tools, writeUserSettings,
} from './harness';

const VSIX = path.join(REPO, 'armvirt-debugger.vsix');
const UI = 30_000; // ordinary UI waits
const BOOT = 90_000; // first workbench load (10–20 s here; more on a busy machine)

/** 1-based line of the first line of `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} not found in ${file}`);
  return i + 1;
}

describe('VS Code end to end (code-server + Chromium)', function () {
  this.timeout(240_000);
  let server: Group | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let ws: string;
  let shot = 0;
  const started = Date.now();

  async function screenshot(name: string): Promise<void> {
    await page.mouse.move(900, 990); // no hover popup over the views
    const file = path.join(ARTIFACTS, `e2e-${String(++shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    console.log(`      screenshot ${path.relative(REPO, file)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }

  /** The editor line-number element of `line` in the active editor. */
  function lineNumber(line: number): Locator {
    return page.locator('.editor-group-container.active .monaco-editor .margin-view-overlays .line-numbers').filter({ hasText: new RegExp(`^${line}$`) });
  }

  /** A row of the Variables view whose text matches `re`. */
  function variableRow(re: RegExp): Locator {
    return page.locator('.debug-variables .monaco-list-row').filter({ hasText: re });
  }

  /** Scrolls the active editor to `line` (Go to Line) so that its line number is rendered. */
  async function revealLine(line: number): Promise<void> {
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: UI });
    await input.fill(`:${line}`);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: UI });
  }

  /** The "Paused on …" label of the Call Stack view. */
  function pausedOn(reason: string): Locator {
    return page.locator('.debug-pane').getByText(new RegExp(`^\\s*Paused on ${reason}`, 'i')).first();
  }

  /**
   * Expands a scope of the Variables view. The view may still be restoring the expansion state of
   * the previous session (rows re-render), so each attempt re-finds the row and waits on its
   * aria-expanded state.
   */
  async function expandScope(name: string): Promise<void> {
    const exact = new RegExp(`^\\s*${name}\\s*$`);
    const expanded = page.locator('.debug-variables .monaco-list-row[aria-expanded="true"]').filter({ hasText: exact }).first();
    for (let attempt = 0; attempt < 6; attempt++) {
      const row = await findVariable(exact);
      if (await expanded.isVisible()) return;
      await row.click({ timeout: 3_000 }).catch(() => undefined);
      if (await expanded.waitFor({ timeout: 3_000 }).then(() => true, () => false)) return;
    }
    throw new Error(`could not expand the ${name} scope`);
  }

  /**
   * Waits for a Variables row matching `re`, scrolling the (virtualised) list from the top down
   * step by step until it is rendered: each step waits on the row itself, not on a clock.
   */
  async function findVariable(re: RegExp, fromTop = true): Promise<Locator> {
    const row = variableRow(re).first();
    const list = page.locator('.debug-variables .monaco-list').first();
    await list.waitFor({ timeout: UI });
    if (fromTop && !(await row.isVisible())) {
      await list.hover();
      await page.mouse.wheel(0, -20_000);
    }
    for (let step = 0; step < 60; step++) {
      if (await row.isVisible()) return row;
      await list.hover();
      await page.mouse.wheel(0, 60);
      await row.waitFor({ timeout: 400 }).catch(() => undefined);
    }
    await row.waitFor({ timeout: UI });
    return row;
  }

  /**
   * Expands the Variables row matching `label` (a struct or array), clicking again until the tree
   * shows it expanded: a click that lands while the view re-renders (a refresh after the stop) is
   * lost, and a second one would collapse a row that did open.
   */
  async function expandVariable(label: RegExp): Promise<void> {
    for (let attempt = 0; attempt < 6; attempt++) {
      const row = await findVariable(label, false);
      if ((await row.getAttribute('aria-expanded')) === 'true') return;
      await row.click({ timeout: 3_000 }).catch(() => undefined);
      const open = page.locator('.debug-variables .monaco-list-row[aria-expanded="true"]').filter({ hasText: label }).first();
      if (await open.waitFor({ timeout: 3_000 }).then(() => true, () => false)) return;
    }
    throw new Error(`could not expand the variable ${label}`);
  }

  /** Collapses a view of the Run and Debug container (to give the Variables view room). */
  async function collapsePane(title: string): Promise<void> {
    const header = page.locator('.debug-pane, .pane').locator('.pane-header[aria-expanded="true"]').filter({ hasText: new RegExp(`^${title}`, 'i') }).first();
    if (await header.count()) await header.click();
  }

  async function clickGutter(line: number): Promise<void> {
    await revealLine(line);
    const ln = lineNumber(line);
    await ln.waitFor({ timeout: UI });
    const lnBox = (await ln.boundingBox())!;
    const glyph = (await page.locator('.editor-group-container.active .monaco-editor .glyph-margin').first().boundingBox())!;
    // The breakpoint column is the glyph margin left of the line numbers.
    await page.mouse.move(glyph.x + glyph.width / 2, lnBox.y + lnBox.height / 2);
    await page.mouse.click(glyph.x + glyph.width / 2, lnBox.y + lnBox.height / 2);
  }

  /** The glyph-margin decorations (breakpoint, stack frame) on the row of `line`. */
  async function glyphsOnLine(line: number, cls: string): Promise<number> {
    const ln = (await lineNumber(line).boundingBox())!;
    const boxes = await page.locator(`.editor-group-container.active .monaco-editor ${cls}`).evaluateAll((els) =>
      els.map((e) => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; }));
    return boxes.filter((y) => y >= ln.y && y <= ln.y + ln.height).length;
  }

  async function openFile(name: string): Promise<void> {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: UI });
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().waitFor({ timeout: UI });
    await page.keyboard.press('Enter');
    await page.locator(`.tab.active[aria-label*="${name}"]`).waitFor({ timeout: UI });
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor({ timeout: UI });
  }

  async function runCommand(title: string): Promise<void> {
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: UI });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor({ timeout: UI });
    await page.keyboard.press('Enter');
  }

  /** Console messages of the page and of all its frames (the webviews' included). */
  const consoleText: string[] = [];
  const CSP_VIOLATION = /Content Security Policy/i;
  const escapeRe = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  /** CSP violations reported on the console since message `from`. */
  function cspViolations(from: number): string[] {
    return consoleText.slice(from).filter((t) => CSP_VIOLATION.test(t));
  }

  /** Expands a view of the Run and Debug container. */
  async function expandPane(title: string): Promise<void> {
    const re = new RegExp(`^${title}`, 'i');
    const header = page.locator('.pane-header').filter({ hasText: re }).first();
    await header.waitFor({ timeout: UI });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await page.locator('.pane-header[aria-expanded="true"]').filter({ hasText: re }).first().waitFor({ timeout: UI });
  }

  /** Ticks (or unticks) an exception breakpoint's checkbox in the Breakpoints view, as a user does. */
  async function setExceptionBreakpoint(label: string, on: boolean): Promise<void> {
    await expandPane('Breakpoints');
    const re = new RegExp(`^\\s*${escapeRe(label)}\\s*$`);
    const row = page.locator('.debug-breakpoints .monaco-list-row').filter({ hasText: re }).first();
    await row.waitFor({ timeout: UI });
    const wanted = page.locator(`.debug-breakpoints .monaco-list-row[aria-checked="${on}"]`).filter({ hasText: re }).first();
    if (await wanted.isVisible()) return;
    await row.locator('.monaco-checkbox').click();
    await wanted.waitFor({ timeout: UI });
  }

  /** The editor's exception widget of a stop on exception breakpoint `id` ("Exception has occurred: <id>, <description>"). */
  function exceptionWidget(id: string): Locator {
    return page.locator(`.exception-widget[aria-label^="Exception has occurred: ${id},"]`).first();
  }

  /** Starts a launch configuration of examples/.vscode/launch.json and waits for its stop on entry. */
  async function startConfiguration(name: string): Promise<void> {
    await runCommand('Debug: Select and Start Debugging');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().click({ timeout: UI });
    await pausedOn('entry').waitFor({ timeout: 60_000 });
  }

  /** Continue from the debug toolbar, once the stop has enabled the button (a key press can land before that). */
  async function pressContinue(): Promise<void> {
    const button = page.locator('.debug-toolbar .action-label.codicon-debug-continue:not(.disabled)');
    await button.waitFor({ timeout: UI });
    await button.click();
  }

  async function stopSession(): Promise<void> {
    await page.locator('.debug-toolbar .action-label.codicon-debug-stop').click();
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: UI });
  }

  /**
   * The document of the webview panel titled `title`. code-server nests every webview in two
   * iframes: the workbench's webview host (…/webview/browser/pre/index.html?id=…) and inside it
   * the frame that holds the panel's page (id "active-frame" once its content is loaded).
   */
  async function webviewFrame(title: string): Promise<Frame> {
    const end = Date.now() + UI;
    for (;;) {
      for (const f of page.frames()) {
        if (!f.parentFrame()?.url().includes('/webview/browser/pre/index.html')) continue;
        const ok = await f.evaluate((t) => document.title === t && window.frameElement?.id === 'active-frame', title).catch(() => false);
        if (ok) return f;
      }
      if (Date.now() > end) throw new Error(`no loaded webview titled "${title}"; frames: ${page.frames().map((f) => f.url()).join(' ')}`);
      await page.waitForEvent('framenavigated', { timeout: 500 }).catch(() => undefined);
    }
  }

  /** Asserts that the panel's own script ran in the webview: it loaded dist/webview-<kind>.js and rendered a posted model. */
  async function assertPanelScriptRan(frame: Frame, kind: string): Promise<void> {
    const { rendered, scripts } = await frame.evaluate(() => ({
      rendered: document.body.dataset.rendered,
      scripts: performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\/dist\/webview-\w+\.js/.test(n)),
    }));
    assert.ok(rendered && Number(rendered) > 0, `the ${kind} page rendered a posted model (body[data-rendered]=${rendered})`);
    assert.equal(scripts.length, 1, `one panel script loaded: ${scripts.join(', ')}`);
    assert.match(scripts[0], new RegExp(`/dist/webview-${kind}\\.js$`));
  }

  before(async function () {
    const t = tools();
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run npm run package`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const { dir, env } = scratch('armvirt-e2e-');
    const userData = path.join(dir, 'user-data');
    const extensions = path.join(dir, 'extensions');
    writeUserSettings(userData);
    ws = copyExamples(path.join(dir, 'examples'));
    const t0 = Date.now();
    const installed = codeServerCli(t, ['--install-extension', VSIX, '--extensions-dir', extensions, '--user-data-dir', userData], env);
    assert.match(installed, /was successfully installed/);
    console.log(`      installed the .vsix in ${Date.now() - t0} ms`);
    const port = await freePort();
    const config = path.join(dir, 'config.yaml');
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    server = new Group(t.node, [t.codeServer, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', userData,
      '--extensions-dir', extensions, '--config', config, ws], env, path.join(ARTIFACTS, 'e2e-code-server.log'));
    await server.waitFor(/HTTP server listening on/, 60_000, 'code-server');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => { if (process.env.E2E_VERBOSE) console.log(`      [page error] ${e.message}`); });
    page.on('console', (m: ConsoleMessage) => { consoleText.push(m.text()); });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
  });

  after(async function () {
    if (page && this.currentTest?.state === 'failed') await screenshot('failure').catch(() => undefined);
    await browser?.close().catch(() => undefined);
    server?.kill();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  it('loads the workbench with examples/ open', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: BOOT });
    await page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: 'el1-hello.S' }).waitFor({ timeout: BOOT });
    await screenshot('workbench');
  });

  it('opens el1-hello.S as AArch64 assembly with syntax highlighting', async () => {
    await openFile('el1-hello.S');
    await page.locator('.statusbar-item').filter({ hasText: 'AArch64 Assembly' }).first().waitFor({ timeout: UI });
    // The grammar colours mnemonics, registers and comments differently: several token classes.
    const classes = await page.locator('.editor-group-container.active .view-lines span[class^="mtk"]').evaluateAll(
      (els) => new Set(els.map((e) => e.className)).size);
    assert.ok(classes >= 4, `expected several token colours, got ${classes}`);
  });

  it('sets a breakpoint by clicking the gutter', async () => {
    const line = lineOf(path.join(ws, 'el1-hello.S'), 'cmp     x20, #10');
    await clickGutter(line);
    await page.locator('.editor-group-container.active .monaco-editor .codicon-debug-breakpoint').first().waitFor({ timeout: UI });
    assert.equal(await glyphsOnLine(line, '.codicon-debug-breakpoint'), 1, `a breakpoint glyph on line ${line}`);
    await screenshot('breakpoint-set');
  });

  it('starts debugging with F5 and stops at the breakpoint, registers in the Variables view', async () => {
    const line = lineOf(path.join(ws, 'el1-hello.S'), 'cmp     x20, #10');
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await page.keyboard.press('F5');
    // The stop: the top-stack-frame decoration in the editor on the breakpoint's line.
    await page.locator('.editor-group-container.active .monaco-editor .debug-top-stack-frame-line').first().waitFor({ timeout: 60_000 });
    assert.equal(await glyphsOnLine(line, '[class*="codicon-debug-breakpoint-stackframe"], .codicon-debug-stackframe'), 1, `stopped on line ${line}`);
    await pausedOn('breakpoint').waitFor({ timeout: UI });
    await collapsePane('Watch');
    await collapsePane('Breakpoints');
    await expandScope('General');
    // First pass of the loop: x19 = 1, x20 = 2.
    await findVariable(/^\s*X19\b.*0x0000000000000001/);
    await findVariable(/^\s*X20\b.*0x0000000000000002/);
    await screenshot('stopped-at-breakpoint');
  });

  it('continues to the next hit and then to the end, with guest output in the Debug Console', async () => {
    await page.keyboard.press('F5');
    await findVariable(/^\s*X19\b.*0x0000000000000003/);
    // Remove the breakpoint by clicking the gutter again, then run to the semihosting exit.
    const line = lineOf(path.join(ws, 'el1-hello.S'), 'cmp     x20, #10');
    await clickGutter(line);
    await page.locator('.editor-group-container.active .monaco-editor .codicon-debug-breakpoint').first().waitFor({ state: 'detached', timeout: UI });
    await page.keyboard.press('F5');
    await page.keyboard.press('Control+Shift+Y'); // Debug Console
    await page.locator('.repl .monaco-list-row').filter({ hasText: 'Hello from EL1!' }).first().waitFor({ timeout: UI });
    await page.locator('.repl .monaco-list-row').filter({ hasText: 'exiting with the sum' }).first().waitFor({ timeout: UI });
    // The session ends: the debug toolbar goes away.
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: UI });
    await screenshot('debug-console');
  });

  it('debugs the hypervisor example: stops after the list-register write and shows ICH_LR0_EL2', async () => {
    await openFile('hyp-hvc-virq.S');
    const line = lineOf(path.join(ws, 'hyp-hvc-virq.S'), 'eret                                // ELR_EL2 points after the HVC');
    await clickGutter(line);
    await page.locator('.editor-group-container.active .monaco-editor .codicon-debug-breakpoint').first().waitFor({ timeout: UI });
    await runCommand('Debug: Select and Start Debugging');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'EL2 hypervisor' }).first().click({ timeout: UI });
    // stopOnEntry: first stop at _start, then continue to the breakpoint.
    await pausedOn('entry').waitFor({ timeout: 60_000 });
    await pressContinue();
    await pausedOn('breakpoint').waitFor({ timeout: UI });
    assert.equal(await glyphsOnLine(line, '[class*="codicon-debug-breakpoint-stackframe"], .codicon-debug-stackframe'), 1, `stopped on line ${line}`);
    // The "GIC CPU interface" scope holds the ICC_/ICH_ registers.
    await expandScope('GIC CPU interface');
    await findVariable(/ICH_LR0_EL2.*0x508000000000002a/i);
    await screenshot('hypervisor-list-register');
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: UI });
  });

  it('stops on the virq-inject exception breakpoint; the GIC panel shows the new list register pending and highlighted', async () => {
    await startConfiguration('EL2 hypervisor: hyp-hvc-virq.S');
    await setExceptionBreakpoint('Virtual IRQ injected', true);
    await pressContinue();
    // The stop right after `msr ICH_LR0_EL2, x0`, explained by the filter.
    const widget = exceptionWidget('virq-inject');
    await widget.waitFor({ timeout: UI });
    assert.match((await widget.getAttribute('aria-label')) ?? '', /Virtual interrupt 42 made pending in LR0 \(priority 0x80, group 1\)/);
    const consoleMark = consoleText.length;
    // The debug toolbar offers the GIC panel too (menu debug/toolBar).
    await page.locator('.debug-toolbar .action-label[aria-label="Show GIC"]').waitFor({ state: 'visible', timeout: UI });
    // Open the panel with its button in the Call Stack view's title bar.
    const callStack = page.locator('.pane-header').filter({ hasText: /^Call Stack/i }).first();
    await callStack.hover();
    await callStack.locator('.action-label[aria-label="Show GIC"]').click();

    const gic = await webviewFrame('ArmVirt: GIC');
    const lr0 = gic.locator('#table-lrs tbody tr[data-key="lr0"]');
    await lr0.waitFor({ timeout: UI });
    await assertPanelScriptRan(gic, 'gic');
    const cells = (row: Locator) => row.locator('td').evaluateAll((tds) => tds.map((td) => ({ text: td.textContent?.trim() ?? '', changed: td.classList.contains('changed') })));
    const lr0Cells = await cells(lr0);
    assert.deepEqual(lr0Cells.slice(0, 3).map((c) => c.text), ['ICH_LR0', 'pending', '42'], 'ICH_LR0: pending, vINTID 42');
    assert.equal(lr0Cells[7].text, '508000000000002a', 'raw ICH_LR0_EL2');
    // Changed since the previous stop (the entry, where ICH_LR0 was invalid): the row, its state, vINTID and raw value.
    assert.match((await lr0.getAttribute('class')) ?? '', /\bchanged-row\b/, 'ICH_LR0 row highlighted');
    assert.deepEqual([1, 2, 7].map((i) => lr0Cells[i].changed), [true, true, true], 'state, vINTID and raw cells highlighted');
    assert.equal(lr0Cells[0].changed, false, 'the LR name did not change');
    // Only the LR that was written: ICH_LR1 stays invalid and unmarked.
    const lr1 = gic.locator('#table-lrs tbody tr[data-key="lr1"]');
    assert.deepEqual((await cells(lr1)).map((c) => c.changed), new Array(8).fill(false), 'ICH_LR1 not highlighted');
    assert.equal((await cells(lr1))[1].text, 'invalid');
    // The stylesheet applied under the CSP: the highlight is bold, unchanged cells are not.
    const weight = (l: Locator) => l.evaluate((e) => getComputedStyle(e).fontWeight);
    assert.equal(await weight(lr0.locator('td').nth(1)), '700');
    assert.equal(await weight(lr1.locator('td').nth(1)), '400');
    assert.deepEqual(cspViolations(consoleMark), [], 'no CSP violation while the GIC webview loaded');
    // The console check would see one: an inline script (no nonce) is refused and reported.
    const reported = page.waitForEvent('console', { predicate: (m) => CSP_VIOLATION.test(m.text()), timeout: UI });
    const ran = await gic.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.armvirtInline = 1';
      document.body.append(s);
      return (window as { armvirtInline?: number }).armvirtInline === 1;
    });
    assert.equal(ran, false, 'the page CSP refuses inline scripts');
    await reported;
    await screenshot('gic-panel-virq-inject');

    // Clicking ICH_LR1 asks the adapter for a virq-inject breakpoint on that LR of this CPU: the
    // Debug Console announces it and the row shows its breakpoint once the panel refreshes.
    await lr1.click();
    await page.locator('.repl .monaco-list-row').filter({ hasText: "exception breakpoint 'virq-inject' when lr == 1 && pe == 0 set" }).first().waitFor({ timeout: UI });
    await gic.locator('#table-lrs tbody tr[data-key="lr1"].marked').waitFor({ timeout: UI });
    assert.equal(await gic.locator('#table-lrs tbody tr.marked').count(), 1, 'only ICH_LR1 carries a breakpoint');

    // Travel back from the Timeline panel: clicking the EL2 segment of the HVC trap stops the
    // session at the trap's first instruction, the vector's `b hyp_sync` (line 113).
    await runCommand('ArmVirt: Show Timeline');
    const tl = await webviewFrame('ArmVirt: Timeline');
    const trapSeg = tl.locator('.lane .seg.el2').last();
    await trapSeg.waitFor({ timeout: UI });
    await trapSeg.click();
    const topFrame = page.locator('.debug-call-stack .monaco-list-row').filter({ hasText: /\(EL2\)/ }).first();
    await page.waitForFunction((line) => Array.from(document.querySelectorAll('.debug-call-stack .monaco-list-row'))
      .some((r) => /\(EL2\)/.test(r.textContent ?? '') && (r.textContent ?? '').includes(`${line}:`)), 113, { timeout: UI });
    assert.doesNotMatch((await topFrame.textContent()) ?? '', /hyp_sync\+0x20/, 'no longer at the LR write');
    // The Variables view shows the state of that point: X0 no longer holds the LR value.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.debug-variables .monaco-list-row'))
      .some((r) => /^\s*X0\s*=/.test(r.textContent ?? '') && !(r.textContent ?? '').includes('508000000000002a')), undefined, { timeout: UI });
    await screenshot('timeline-travel-back');

    await setExceptionBreakpoint('Virtual IRQ injected', false);
    await stopSession();
  });

  it('stops on the stage2-fault exception breakpoint; the Page Tables panel shows the faulting walk with its failing step', async () => {
    await startConfiguration('EL2 hypervisor: hyp-s2-fault.S');
    await setExceptionBreakpoint('Stage-2 fault', true);
    await pressContinue();
    const widget = exceptionWidget('stage2-fault');
    await widget.waitFor({ timeout: UI });
    assert.match((await widget.getAttribute('aria-label')) ?? '', /Stage-2 Data Abort \(write\), translation fault level 3 from EL1.*IPA 0xa001008/);
    const consoleMark = consoleText.length;
    await runCommand('ArmVirt: Show Page Tables');

    const pt = await webviewFrame('ArmVirt: Page Tables');
    const steps = pt.locator('section.walk ol.steps > li');
    await steps.first().waitFor({ timeout: UI });
    await assertPanelScriptRan(pt, 'pagetables');
    // The walk of the guest's faulting store, VA = IPA 0xa001008 (its Stage 1 is off), named as a Stage-2 translation fault at level 3.
    const headline = (await pt.locator('section.walk > p.fault').textContent())?.trim() ?? '';
    assert.match(headline, /^0xa001008 \(faulting write from EL1\): fault: type=translation level=3 stage2=true s1ptw=false /);
    const walk = await steps.evaluateAll((lis) => lis.map((li) => ({ text: li.textContent?.trim() ?? '', fault: li.classList.contains('fault') })));
    assert.equal(walk.length, 3, `three Stage-2 steps: ${walk.map((w) => w.text).join(' | ')}`);
    assert.match(walk[0].text, /^S2 L1: 0x[0-9a-f]+\[0\] .* table: /);
    assert.match(walk[1].text, /^S2 L2: 0x[0-9a-f]+\[80\] .* table: /);
    // The failing step: the level-3 descriptor for 0x0a001000 is invalid (0).
    assert.match(walk[2].text, /^S2 L3: 0x[0-9a-f]+\[1\] @ 0x[0-9a-f]+ = 0x0000000000000000 fault: invalid descriptor/);
    assert.deepEqual(walk.map((w) => w.fault), [false, false, true], 'only the failing step is highlighted');
    const weight = (l: Locator) => l.evaluate((e) => getComputedStyle(e).fontWeight);
    assert.equal(await weight(steps.nth(2)), '700');
    assert.equal(await weight(steps.nth(0)), '400');
    assert.match((await pt.locator('#tree-s2').getAttribute('aria-label')) ?? '', /^Stage 2 \(VMID 1\)/);
    assert.deepEqual(cspViolations(consoleMark), [], 'no CSP violation while the Page Tables webview loaded');
    await screenshot('pagetables-stage2-fault');

    await setExceptionBreakpoint('Stage-2 fault', false);
    await stopSession();
  });
  it('debugs the hypervisor in C: at a trap-el2 stop the Variables view shows the vcpus structs with their fields', async () => {
    await runCommand('View: Show Run and Debug');
    await startConfiguration('C hypervisor: c-hyp/c-hyp.elf');
    await setExceptionBreakpoint('Trap to EL2', true);
    await pressContinue();
    // The first trap: vm1's store to its emulated UART, a Stage-2 data abort taken to EL2's vector (start.S).
    const widget = exceptionWidget('trap-el2');
    await widget.waitFor({ timeout: UI });
    assert.match((await widget.getAttribute('aria-label')) ?? '', /EC=0x24|Data Abort/i);
    await collapsePane('Breakpoints');
    await collapsePane('Watch');
    await collapsePane('Call Stack');
    await expandScope('Globals');
    // Globals → vcpus (struct vcpu [2]) → [0] → its fields.
    await expandVariable(/^\s*vcpus\b/);
    await expandVariable(/^\s*\[0\]/);
    await findVariable(/^\s*vmid\s*=\s*1\b/, false);
    await findVariable(/^\s*state\s*=\s*VCPU_RUNNING/, false);
    await findVariable(/^\s*name\s*=\s*0x0000000040/, false);
    await findVariable(/^\s*regs\b/, false);
    await screenshot('c-hyp-vcpus-globals');
    await setExceptionBreakpoint('Trap to EL2', false);
    await stopSession();
  });
});
