// The `armvirt` executable (dist/cli.js loads the bundle of this file): runs main() on the
// command line and exits with its code. cli.ts itself has no side effects, so tests can import it.
import { main } from './cli';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`armvirt: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
