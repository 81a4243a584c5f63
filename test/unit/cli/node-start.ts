// What starting a bare Node.js process costs on this host right now (ms, spawn to exit): the
// 1-second contracts of the CLI tests (first line on a pipe, a stuck machine's stop) are about
// our code, and on a loaded CI machine Node's own start-up alone can take most of a second.
// The tests allow 1 s on top of this figure (on an idle machine it is ~40 ms).
import { spawnSync } from 'node:child_process';

export function nodeStartMs(): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[1];
}
