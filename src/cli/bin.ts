// The `armvirt` executable (dist/cli.js is the bundle of this file): runs main() on the command
// line and exits with its code. cli.ts itself has no side effects, so tests can import it.
import * as nodeModule from 'node:module';
import { main } from './cli';

// Node 22.1+ can keep V8's compiled code of the bundles a command loads (module.enableCompileCache,
// in the OS's temporary directory), which saves most of their compile time at the next start;
// Node 20 has no such cache, and this is a no-op there.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`armvirt: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
