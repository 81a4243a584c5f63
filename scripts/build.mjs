// Bundles the command-line entry points with esbuild into dist/.
// Each entry is a standalone CommonJS file for Node 20 so `npx armvirt` works
// straight after `npm install` (the `prepare` script runs this).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';

const entries = [
  { in: 'src/cli/cli.ts', out: 'cli', shebang: true },
  { in: 'bench/bench.ts', out: 'bench', shebang: false },
  { in: 'bench/kernel-boot.ts', out: 'kernel-boot', shebang: false },
  { in: 'src/debug/debugAdapter.ts', out: 'debugAdapter' },
  { in: 'src/lsp/server.ts', out: 'lspServer' },
  // The VS Code extension: 'vscode' is provided by the extension host at run time.
  { in: 'src/extension/extension.ts', out: 'extension', external: ['vscode'] },
];

for (const e of entries) {
  if (!existsSync(e.in)) continue;
  await build({
    entryPoints: [e.in],
    outfile: `dist/${e.out}.js`,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: e.external,
    banner: e.shebang ? { js: '#!/usr/bin/env node' } : undefined,
    logLevel: 'warning',
  });
  if (e.shebang) chmodSync(`dist/${e.out}.js`, 0o755);
}

// The panel webviews (src/webview): browser IIFE bundles, their stylesheet and the codicon font
// (copied from @vscode/codicons, so the packaged extension needs no node_modules).
for (const name of ['gic', 'timers', 'pagetables', 'timeline', 'experiments']) {
  const entry = `src/webview/${name}.ts`;
  if (!existsSync(entry)) continue;
  await build({
    entryPoints: [entry], outfile: `dist/webview-${name}.js`, bundle: true, platform: 'browser',
    target: 'chrome114', format: 'iife', sourcemap: true, logLevel: 'warning',
  });
}
if (existsSync('src/webview/panels.css')) copyFileSync('src/webview/panels.css', 'dist/webview.css');
// The experiments charts' stylesheet: the panel links it, `armvirt experiments --html` inlines it.
if (existsSync('src/webview/experiments.css')) copyFileSync('src/webview/experiments.css', 'dist/webview-experiments.css');
if (existsSync('node_modules/@vscode/codicons/dist/codicon.css')) {
  mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);
}
