// Bundles the command-line entry points with esbuild into dist/.
// Each entry is a standalone CommonJS file for Node 20 so `npx armvirt` works
// straight after `npm install` (the `prepare` script runs this); the `armvirt` CLI is split
// into chunks (below).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';

// The `armvirt` CLI loads only what a command needs: `armvirt run prog.elf` neither reads nor
// compiles the assembler, the disassembler (only --trace loads it) or the experiments, and
// `--version` no simulator. esbuild splits a bundle only in ES module format, at the dynamic
// imports of src/cli/cli.ts and src/cli/run.ts: dist/cli-main.mjs is the entry and each
// dist/cli-*-HASH.mjs a chunk, all beside each other in dist/ (so the chunks' __dirname is dist/,
// as the single bundle's was: experiments.ts finds the stylesheet and examples from it).
// dist/cli.js stays the executable that package.json "bin", the tests and the Experiments panel
// run: a CommonJS file that imports the entry.
if (existsSync('src/cli/bin.ts')) {
  if (existsSync('dist')) for (const f of readdirSync('dist')) if (/^cli-.*\.mjs(\.map)?$/.test(f)) rmSync(`dist/${f}`);
  await build({
    entryPoints: { 'cli-main': 'src/cli/bin.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'cli-[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // CommonJS's __dirname, which ES modules lack, for every file of the split bundle.
    banner: { js: "import { dirname as __armvirtDirname } from 'node:path'; import { fileURLToPath as __armvirtFileURLToPath } from 'node:url'; const __dirname = __armvirtDirname(__armvirtFileURLToPath(import.meta.url));" },
    logLevel: 'warning',
  });
  writeFileSync('dist/cli.js', `#!/usr/bin/env node
// armvirt: the command line (src/cli/cli.ts), an ES module bundle split into chunks that each
// command loads on demand (scripts/build.mjs). This CommonJS file only starts it.
import('./cli-main.mjs');
`);
  chmodSync('dist/cli.js', 0o755);
}

const entries = [
  { in: 'bench/bench.ts', out: 'bench', shebang: false },
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
