// Differential tests: every program in test/diff/programs, assembled with GNU as and linked with
// test/diff/link.ld, must print the same bytes and exit with the same status under
// `node dist/cli.js run` as under qemu-system-aarch64 (docs/TESTING.md).
//   DIFF_ONLY=<substring>  run only matching programs      DIFF_JOBS=<n>  parallelism (default 2)
//   CI=true                fail (instead of skip) when QEMU or binutils are missing
import { defineDiffSuite } from './suite';

defineDiffSuite({ title: 'differential: GNU as + QEMU vs armvirt run' });
