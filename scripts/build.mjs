// Bundles the command-line entry points with esbuild into dist/.
// Each entry is a standalone CommonJS file for Node 20 so `npx armvirt` works
// straight after `npm install` (the `prepare` script runs this); the `armvirt` CLI is split
// into several bundles (below).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

// The `armvirt` CLI loads only what a command needs: `armvirt run prog.elf` neither reads nor
// compiles the assembler, the disassembler (only --trace loads it) or the experiments, and
// `--version` no simulator. The CLI is split by hand into CommonJS bundles, one per module of
// CLI_SPLIT: each bundle holds its module and what that module imports, except another CLI_SPLIT
// module, which it require()s from that module's bundle when it is used (cli.ts and run.ts import
// the commands and loaders dynamically). CommonJS, not esbuild's own code splitting (ES modules
// only): on Node 20 the ES module loader alone costs more start-up time than the split saves.
// A module whose classes are caught across bundles (UsageError, ProgramError, BootError) is a split point,
// so that there is one copy of it; a module bundled twice (the simulator, in cli-run.js and
// cli-experiments.js) is never loaded twice by one command. All bundles are in dist/, so their
// __dirname is dist/ (experiments.ts finds the stylesheet and examples from it).
// The key of a bundle's compiled-code cache (src/cli/compile-cache.ts): a hash of its text, on a
// line of its own before the source map's line, so a cache is never used with other text.
function addCacheKey(file) {
  const text = readFileSync(file, 'utf8');
  const key = createHash('sha256').update(text).digest('hex').slice(0, 32);
  const at = text.lastIndexOf('\n//# sourceMappingURL=');
  const line = `//# armvirtCacheKey=${key}`;
  writeFileSync(file, at < 0 ? `${text}\n${line}\n` : `${text.slice(0, at)}\n${line}${text.slice(at)}`);
}

const CLI_SPLIT = {
  'src/cli/cli.ts': 'cli', // the executable: package.json "bin", the tests, the Experiments panel
  'src/cli/args.ts': 'cli-args',
  'src/asm/program-image.ts': 'cli-program-image',
  'src/sim/boot/errors.ts': 'cli-boot-errors',
  'src/cli/run.ts': 'cli-run',
  'src/cli/asm.ts': 'cli-asm',
  'src/cli/kernel-boot.ts': 'cli-kernel-boot', // run --kernel / --dump-dtb
  // run --exit-profile only (kallsyms, the profiler). It holds a second copy of the sysreg table's
  // slot numbers and the ESR classes (kernel-view.ts, syndrome.ts): plain data, equal to cli-run's.
  'src/cli/exit-profile.ts': 'cli-exit-profile',
  'src/cli/experiments.ts': 'cli-experiments',
  'src/asm/asm-program.ts': 'cli-asm-program',
  'src/asm/assembler/index.ts': 'cli-assembler',
  'src/asm/a64/index.ts': 'cli-a64',
  'src/asm/dwarf-line.ts': 'cli-dwarf-line', // an ELF's .debug_line, read only when the ELF has one
  'src/dwarf/dwarf.ts': 'cli-dwarf', // the debugger's DWARF reader (ProgramImage.debugInfo), not used by the CLI
};
if (existsSync('src/cli/cli.ts')) {
  if (existsSync('dist')) for (const f of readdirSync('dist')) if (/^cli[-.].*\.(m?js|map)$/.test(f)) rmSync(`dist/${f}`);
  const splitOf = new Map(Object.entries(CLI_SPLIT).map(([src, out]) => [path.resolve(src), out]));
  const sourceFile = (p) => ['.ts', '/index.ts', ''].map((x) => p + x).find((f) => existsSync(f) && !statSync(f).isDirectory());
  for (const [src, out] of Object.entries(CLI_SPLIT)) {
    const splitAt = {
      name: 'armvirt-cli-split',
      setup(b) {
        b.onResolve({ filter: /^\./ }, (a) => {
          const f = sourceFile(path.resolve(a.resolveDir, a.path));
          const other = f && splitOf.get(f);
          return other && other !== out ? { path: `./${other}.js`, external: true } : undefined;
        });
      },
    };
    await build({
      entryPoints: [src], outfile: `dist/${out}.js`, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
      sourcemap: true, plugins: [splitAt], logLevel: 'warning',
      // import() of another bundle becomes require(): no ES module loader at start-up.
      supported: { 'dynamic-import': false },
      // Less to read and parse at every start (cli-run.js: 475 KB -> 290 KB, ~3 ms of CPU); names
      // are kept, so stack traces still name functions, and the source maps lead back to src/.
      minifyWhitespace: true, minifySyntax: true,
      banner: out === 'cli' ? { js: '#!/usr/bin/env node' } : undefined,
    });
    if (out !== 'cli') addCacheKey(`dist/${out}.js`);
  }
  chmodSync('dist/cli.js', 0o755);
}

const entries = [
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
