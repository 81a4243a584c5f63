#!/usr/bin/env node
// Checks, before the first test runs, that every external tool a test suite needs is installed.
// With CI=true a missing tool fails at once with one line per tool (and the package that brings
// it); otherwise it only warns, and the suites that need the tool say they are skipped.
//   node scripts/check-tools.mjs [--e2e]    (--e2e: also the code-server cache of the VS Code tests)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** [what, how to find it, Debian package, which tests need it] */
const TOOLS = [
  ['qemu-system-aarch64', 'cmd', 'qemu-system-arm', 'QEMU differential corpus (test/diff), DAP and experiment cross-checks'],
  ['aarch64-linux-gnu-as', 'cmd', 'binutils-aarch64-linux-gnu', 'assembler and disassembler cross-checks, differential corpus'],
  ['aarch64-linux-gnu-ld', 'cmd', 'binutils-aarch64-linux-gnu', 'differential corpus'],
  ['aarch64-linux-gnu-objdump', 'cmd', 'binutils-aarch64-linux-gnu', 'disassembler cross-checks'],
  ['aarch64-linux-gnu-gcc', 'cmd', 'gcc-aarch64-linux-gnu', 'C programs with DWARF line tables'],
  ['dtc', 'cmd', 'device-tree-compiler', 'device-tree encoder and generated-tree checks (test/unit/sim/boot)'],
  ['cpio', 'cmd', 'cpio', 'the initramfs writer checked against cpio -t/-i (test/linux)'],
  ['/usr/bin/chromium', 'file', 'chromium', 'webview rendering (test/webview), e2e in code-server'],
];

function hasCmd(name) {
  try {
    execFileSync('sh', ['-c', `command -v "${name}"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const missing = [];
for (const [name, kind, pkg, why] of TOOLS) {
  const ok = kind === 'file' ? existsSync(name) : hasCmd(name);
  if (!ok) missing.push(`missing ${name} (Debian package ${pkg}; needed by: ${why})`);
}
// Debian's arm64 kernel, cached outside the repository by scripts/fetch-kernel.sh (as root).
try {
  execFileSync('bash', [join(repo, 'scripts/fetch-kernel.sh'), '--check'], { stdio: 'ignore' });
} catch {
  missing.push('missing the Debian arm64 kernel (run bash scripts/fetch-kernel.sh as root; needed by: the QEMU reference boots in test/linux)');
}
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) missing.push(`Node.js ${process.versions.node} is too old (need >= 20)`);
if (!existsSync(join(repo, 'node_modules', 'playwright-core'))) missing.push('missing node_modules (run npm install)');

if (process.argv.includes('--e2e')) {
  // scripts/setup-code-server.sh prints its cache folder; it is idempotent and fast once done.
  try {
    const cache = execFileSync('bash', [join(repo, 'scripts/setup-code-server.sh'), '--check'], { encoding: 'utf8' }).trim();
    if (!cache) missing.push('code-server cache not found (run bash scripts/setup-code-server.sh)');
  } catch {
    missing.push('code-server is not installed (run bash scripts/setup-code-server.sh)');
  }
}

if (missing.length > 0) {
  const strict = process.env.CI === 'true';
  for (const m of missing) process.stderr.write(`check-tools: ${m}\n`);
  if (strict) {
    process.stderr.write(`check-tools: ${missing.length} required tool(s) missing (CI=true): install them first (.ci/run does)\n`);
    process.exit(1);
  }
  process.stderr.write('check-tools: the suites that need these are skipped (set CI=true to make this an error)\n');
}
