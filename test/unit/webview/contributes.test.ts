// The panel commands and setting: declared in package.json, registered by the panel host, and
// every webview bundle the host loads is built by scripts/build.mjs and shipped by .vscodeignore.
import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const read = (f: string): string => fs.readFileSync(path.join(ROOT, f), 'utf8');

describe('webview panels: contributions', () => {
  const pkg = JSON.parse(read('package.json'));
  const ids = ['armvirt.showGic', 'armvirt.showTimers', 'armvirt.showPageTables', 'armvirt.showTimeline'];

  it('commands are declared, in the palette and the Call Stack view title, and registered', () => {
    const host = read('src/extension/panels/panels.ts');
    for (const id of ids) {
      const c = pkg.contributes.commands.find((x: { command: string }) => x.command === id);
      assert.ok(c, `${id} declared`);
      assert.strictEqual(c.category, 'ArmVirt');
      assert.match(c.title, /^Show /);
      assert.ok(pkg.contributes.menus.commandPalette.some((x: { command: string }) => x.command === id));
      assert.ok(pkg.contributes.menus['view/title'].some((x: { command: string; when: string }) => x.command === id && x.when.includes('workbench.debug.callStackView')));
      assert.ok(host.includes(`registerCommand('${id}'`), `${id} registered`);
    }
  });

  it('every menu is one VS Code knows (ids are case-sensitive: "debug/toolbar" is silently ignored)', () => {
    // Menu contribution points of the VS Code extension manifest (contributes.menus) that an
    // extension of this kind would use; anything else here is a typo VS Code does not report.
    const known = new Set(['commandPalette', 'editor/title', 'editor/title/run', 'editor/title/context', 'editor/context',
      'explorer/context', 'view/title', 'view/item/context', 'debug/callstack/context', 'debug/variables/context', 'debug/toolBar']);
    for (const id of Object.keys(pkg.contributes.menus)) assert.ok(known.has(id), `unknown menu id ${id}`);
    assert.ok(pkg.contributes.menus['debug/toolBar'].some((x: { command: string }) => x.command === 'armvirt.showGic'));
  });

  it('ArmVirt: Show Experiments is declared, always enabled (no debug session needed) and registered', () => {
    const c = pkg.contributes.commands.find((x: { command: string }) => x.command === 'armvirt.showExperiments');
    assert.ok(c, 'armvirt.showExperiments declared');
    assert.strictEqual(c.category, 'ArmVirt');
    assert.strictEqual(c.title, 'Show Experiments');
    assert.strictEqual(c.enablement, undefined);
    const palette = pkg.contributes.menus.commandPalette.find((x: { command: string }) => x.command === 'armvirt.showExperiments');
    assert.ok(palette, 'in the command palette');
    assert.strictEqual(palette.when, undefined);
    assert.ok(read('src/extension/panels/experiments-panel.ts').includes("registerCommand('armvirt.showExperiments'"));
    assert.ok(read('src/extension/extension.ts').includes('registerExperimentsPanel(context'));
    assert.ok(read('scripts/build.mjs').includes("'experiments'") && fs.existsSync(path.join(ROOT, 'src/webview/experiments.ts')));
  });

  it('the .vsix carries what the Experiments panel runs: dist/cli.js and the bundles it loads, its page and stylesheet, every hypervisor and benchmark source', function () {
    this.timeout(60000);
    // `vsce ls` applies .vscodeignore exactly as `vsce package` does.
    const listed = new Set(execFileSync(path.join(ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' }).split('\n').map((l) => l.trim()));
    const need = ['dist/cli.js', 'dist/webview-experiments.js', 'dist/webview-experiments.css'];
    // The bundles dist/cli.js loads on demand (scripts/build.mjs: CLI_SPLIT).
    const bundles = fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => /^cli-.*\.js$/.test(f)).map((f) => `dist/${f}`);
    assert.ok(bundles.includes('dist/cli-run.js') && bundles.includes('dist/cli-experiments.js'), `the CLI's bundles are built: ${bundles.join(', ')}`);
    need.push(...bundles);
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = `${dir}/${e.name}`;
        if (e.isDirectory()) walk(rel);
        else if (/\.(S|inc)$/.test(e.name)) need.push(rel);
      }
    };
    walk('examples/hyp');
    walk('examples/bench');
    assert.ok(need.length > 15);
    assert.deepEqual(need.filter((f) => !listed.has(f)), [], 'not packaged');
  });

  it('armvirt.panels.autoOpen defaults to false', () => {
    assert.strictEqual(pkg.contributes.configuration.properties['armvirt.panels.autoOpen'].default, false);
  });

  it('the webview bundles, stylesheet and codicons are built and packaged', () => {
    const build = read('scripts/build.mjs');
    const ignore = read('.vscodeignore');
    for (const p of ['gic', 'timers', 'pagetables', 'timeline']) {
      assert.ok(fs.existsSync(path.join(ROOT, `src/webview/${p}.ts`)));
      assert.ok(build.includes(`'${p}'`));
    }
    for (const f of ['!dist/webview-*.js', '!dist/webview.css', '!dist/codicons/codicon.css', '!dist/codicons/codicon.ttf']) assert.ok(ignore.includes(f), f);
  });
});
